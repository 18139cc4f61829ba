//! The page of a sweep (`rotor sweep FILE --vary … --report out.html`): the metric over
//! two varied parameters as a heatmap, and the ranked table.

use serde::Serialize;

use super::tables::{Cell, number};
use crate::report::heatmap::Heatmap;
use crate::report::number::money;
use crate::report::rows::{num_opt, pct};
use crate::sweep::{Metric, Outcome, SweepReport};

/// Variants listed in the ranked table at most (`--csv` writes them all).
const LISTED: usize = 2_000;

#[derive(Serialize)]
struct HeatCell {
    text: String,
    value: Option<String>,
    style: String,
    /// The variant's grid index.
    index: usize,
    best: bool,
}

#[derive(Serialize)]
struct HeatView {
    x_name: String,
    x_values: Vec<String>,
    y_name: Option<String>,
    y_values: Vec<String>,
    rows: Vec<Vec<Option<HeatCell>>>,
    folded: Vec<String>,
}

#[derive(Serialize)]
struct VariantRow {
    rank: usize,
    index: usize,
    parameters: Vec<String>,
    cells: Vec<Cell>,
    trades: usize,
}

#[derive(Serialize)]
struct SweepPage {
    title: String,
    file: String,
    metric: &'static str,
    lower_is_better: bool,
    grid_size: usize,
    shard: Option<String>,
    parameters: Vec<String>,
    heat: Option<HeatView>,
    variants: Vec<VariantRow>,
    total: usize,
}

/// The page of a sweep, as HTML.
pub fn sweep(report: &SweepReport) -> String {
    let page = SweepPage {
        title: format!("Sweep of {}", report.file),
        file: report.file.clone(),
        metric: report.metric.name(),
        lower_is_better: report.metric == Metric::MaxDrawdown,
        grid_size: report.grid_size,
        shard: report.shard.clone(),
        parameters: report.parameters.clone(),
        heat: Heatmap::of(report).map(|h| heat_view(&h, report)),
        variants: (report.variants.iter().take(LISTED).enumerate())
            .map(|(rank, v)| VariantRow {
                rank: rank + 1,
                index: v.index,
                parameters: v.parameters.iter().map(|(_, value)| value.clone()).collect(),
                cells: [
                    Metric::Final,
                    Metric::Cagr,
                    Metric::Xirr,
                    Metric::Sharpe,
                    Metric::MaxDrawdown,
                ]
                .into_iter()
                .map(|m| figure(m, v))
                .collect(),
                trades: v.trades,
            })
            .collect(),
        total: report.variants.len(),
    };
    super::render("sweep.html", &page, &serde_json::json!({ "kind": "sweep" }))
}

/// A variant's figure as the text table shows it (drawdown as a fall: `-25.00%`).
fn figure(metric: Metric, v: &Outcome) -> Cell {
    let x = metric.of(v);
    let text = match metric {
        Metric::Final => money(x),
        Metric::Sharpe => num_opt(x.is_finite().then_some(x)),
        Metric::MaxDrawdown => pct(-x),
        Metric::Cagr | Metric::Xirr => pct(x),
    };
    Cell::new(text, Some(x), String::new())
}

fn heat_view(h: &Heatmap, report: &SweepReport) -> HeatView {
    let best = report.variants.first().map(|v| v.index);
    let range = h.range();
    let lower = report.metric == Metric::MaxDrawdown;
    let by_index = |i: usize| report.variants.iter().find(|v| v.index == i);
    HeatView {
        x_name: h.x.0.clone(),
        x_values: h.x.1.clone(),
        y_name: h.y.as_ref().map(|y| y.0.clone()),
        y_values: h.y.as_ref().map_or(vec![String::new()], |y| y.1.clone()),
        rows: (h.cells.iter())
            .map(|row| {
                (row.iter())
                    .map(|cell| {
                        let (index, value) = (*cell)?;
                        let text = by_index(index).map_or(String::new(), |v| figure(report.metric, v).text);
                        Some(HeatCell {
                            text,
                            value: value.is_finite().then(|| number(value)),
                            style: shade(value, range, lower),
                            index,
                            best: Some(index) == best,
                        })
                    })
                    .collect()
            })
            .collect(),
        folded: h.folded.clone(),
    }
}

/// A sequential Okabe–Ito blue: the better the value within the map's range, the darker.
fn shade(value: f64, range: Option<(f64, f64)>, lower_is_better: bool) -> String {
    let Some((lo, hi)) = range.filter(|_| value.is_finite()) else {
        return "background:#f2f2f2;color:#666".into();
    };
    let mut t = if hi > lo { (value - lo) / (hi - lo) } else { 1.0 };
    if lower_is_better {
        t = 1.0 - t;
    }
    let a = 0.08 + 0.8 * t;
    let ink = if a > 0.5 { "#fff" } else { "#111" };
    format!("background:rgba(0,114,178,{a:.2});color:{ink}")
}

#[cfg(test)]
mod tests {
    use super::shade;

    #[test]
    fn better_is_darker_whichever_way_better_goes() {
        assert_eq!(
            shade(2.0, Some((0.0, 2.0)), false),
            "background:rgba(0,114,178,0.88);color:#fff"
        );
        assert_eq!(
            shade(2.0, Some((0.0, 2.0)), true),
            "background:rgba(0,114,178,0.08);color:#111"
        );
        assert!(shade(f64::NAN, Some((0.0, 2.0)), false).contains("f2f2f2"));
    }
}
