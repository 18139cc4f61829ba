//! The page of a comparison (`rotor compare A.rotor B.rotor --report out.html`): who is
//! compared and over what, what to beware of, one table of every figure with the best run
//! per row, one equity chart and one drawdown chart.

use serde::Serialize;

use super::chart_data::{Points, Series};
use super::tables::{self, Column, Figures};
use crate::report::compare::{Comparison, of};
use crate::report::rows::{after_tax_rows, any_withdrawn, base_rows};
use crate::report::summary::{SYNTHETIC, period};

#[derive(Serialize)]
struct RunView {
    name: String,
    file: String,
    description: Option<String>,
    period: String,
    sources: Vec<String>,
    synthetic: bool,
    benchmark: Option<String>,
    assumed: Vec<String>,
}

#[derive(Serialize)]
struct ComparePage {
    title: String,
    runs: Vec<RunView>,
    cautions: Vec<String>,
    synthetic: bool,
    synthetic_words: &'static str,
    figures: Figures,
    notes: Vec<String>,
}

#[derive(Serialize)]
struct Line {
    name: String,
    equity: Series,
    underwater: Series,
}

/// The chart data: one time axis, the union of the runs' dates; each run `null` on the
/// dates it has no bar.
#[derive(Serialize)]
struct CompareCharts {
    kind: &'static str,
    x: Vec<i64>,
    strategies: Vec<Line>,
}

/// The page of a comparison, as HTML.
pub fn compare(comparison: &Comparison) -> String {
    let runs = &comparison.runs;
    let mut days: Vec<i32> = runs.iter().flat_map(|r| r.report.curve.days.iter().copied()).collect();
    days.sort_unstable();
    days.dedup();
    let points = Points::of(&days);
    let columns: Vec<Column> = (runs.iter().enumerate())
        .map(|(i, r)| Column {
            heading: r.name.clone(),
            metrics: &r.report.metrics,
            path: format!("strategies.{i}.metrics"),
        })
        .collect();
    let page = ComparePage {
        title: runs.iter().map(|r| r.name.as_str()).collect::<Vec<_>>().join(" vs "),
        runs: (runs.iter())
            .map(|r| RunView {
                name: r.name.clone(),
                file: r.report.strategy.file.clone(),
                description: r.report.strategy.description.clone(),
                period: period(&r.report),
                sources: r.report.data.sources.clone(),
                synthetic: r.report.data.synthetic,
                benchmark: r.report.benchmark.as_ref().map(|b| b.symbol.clone()),
                assumed: r
                    .report
                    .assumptions
                    .iter()
                    .chain(&r.report.data.notes)
                    .cloned()
                    .collect(),
            })
            .collect(),
        cautions: comparison.cautions(),
        synthetic: runs.iter().any(|r| r.report.data.synthetic),
        synthetic_words: SYNTHETIC,
        figures: figures(comparison, &columns),
        notes: points.note.iter().cloned().collect(),
    };
    let charts = CompareCharts {
        kind: "compare",
        x: points.x(&days),
        strategies: (runs.iter())
            .map(|r| {
                let c = &r.report.curve;
                Line {
                    name: r.name.clone(),
                    equity: points.take(&aligned(&days, &c.days, &c.equity)),
                    underwater: points.take(&aligned(&days, &c.days, &c.underwater())),
                }
            })
            .collect(),
    };
    super::render("compare.html", &page, &charts)
}

/// The figures table: the rows every run has, the figures in the base currency every run
/// shares ([`Comparison::base_unit`]), then, with a tax rule, the after-tax rows of the text
/// table ([`Comparison::after_tax_units`]), in USD and in the shared base currency.
fn figures(comparison: &Comparison, columns: &[Column]) -> Figures {
    let mut figures = tables::figures("USD", columns, true);
    // The shared base currency's own figures, then the after-tax rows.
    let own = comparison.base_unit().map(|code| (code, true, true));
    let after_tax = comparison
        .after_tax_units()
        .into_iter()
        .map(|(unit, base)| (unit, base, false));
    for (unit, base, own) in own.into_iter().chain(after_tax) {
        // Every run has the base currency's figures here (after_tax_units asks that).
        let columns: Vec<Column> = (comparison.runs.iter().enumerate())
            .filter_map(|(i, r)| {
                let metrics = of(&r.report, base)?;
                let path = if base {
                    format!("strategies.{i}.base_currency.metrics")
                } else {
                    format!("strategies.{i}.metrics")
                };
                Some(Column {
                    heading: r.name.clone(),
                    metrics,
                    path,
                })
            })
            .collect();
        let rows = if own {
            base_rows(&unit, any_withdrawn(columns.iter().map(|c| c.metrics)))
        } else {
            after_tax_rows(&unit)
        };
        figures.rows.extend(tables::figure_rows(rows, &columns, true));
    }
    figures
}

/// `values` (one per date of `own`) on the dates of `all`: the value of the last bar on
/// each date, NaN where `own` has no bar.
fn aligned(all: &[i32], own: &[i32], values: &[f64]) -> Vec<f64> {
    let mut out = vec![f64::NAN; all.len()];
    let mut j = 0;
    for (t, &d) in own.iter().enumerate() {
        while j < all.len() && all[j] < d {
            j += 1;
        }
        if j < all.len() && all[j] == d {
            out[j] = values.get(t).copied().unwrap_or(f64::NAN);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::aligned;

    #[test]
    fn runs_are_placed_on_the_shared_dates() {
        let got = aligned(&[1, 2, 3, 5], &[2, 3, 3, 5], &[20.0, 30.0, 31.0, 50.0]);
        assert!(got[0].is_nan());
        assert_eq!(&got[1..], &[20.0, 31.0, 50.0]);
    }
}
