//! The page of one run (`rotor run FILE --report out.html`).

use serde::Serialize;

use super::chart_data::{self, Marked, Points, Price, Series};
use super::tables::{self, Cell, Column, Figures, LotRow, TradeRow, TripRow};
use crate::report::conditions::Use;
use crate::report::metrics::{Metrics, YearReturn};
use crate::report::monthly::{MonthReturn, monthly};
use crate::report::number::money;
use crate::report::returns::{bar_returns, wealth};
use crate::report::rolling::rolling;
use crate::report::round_trips::{Statistics, replay};
use crate::report::rows::{pct, pct_opt};
use crate::report::summary::{activity_notes, period};
use crate::report::underwater::{underwater, worst};
use crate::report::zero::fixed;
use crate::report::{EquityCurve, Report, RunDetail};

/// The deepest drawdowns listed and marked on the underwater chart.
const WORST: usize = 5;

/// The page of a run, as HTML. Charts that need the run's detail (allocation, prices,
/// conditions, round trips) are left out when the report has none.
pub fn run(report: &Report) -> String {
    let points = Points::of(&report.curve.days);
    let mut page = RunPage::of(report, &points);
    let charts = RunCharts::of(report, &points);
    // A run shorter than the window has no rolling figure: the page says so instead of
    // drawing empty charts.
    page.rolling = charts.rolling.strategy[0].0.iter().any(|v| v.is_finite());
    page.rolling_window = charts.rolling.window;
    super::render("run.html", &page, &charts)
}

/// A heatmap cell: a return, its colour and whether the period was covered only in part.
#[derive(Clone, Debug, Serialize)]
pub struct Heat {
    pub text: String,
    pub value: Option<String>,
    pub style: String,
    pub partial: bool,
}

/// Background and text colours for a return on a diverging scale (Okabe–Ito blue for
/// gains, vermillion for losses), full at `scale`.
pub fn heat(value: f64, scale: f64, partial: bool) -> Heat {
    let a = (value.abs() / scale).min(1.0) * 0.85;
    let (r, g, b) = if value >= 0.0 { (0, 114, 178) } else { (213, 94, 0) };
    let ink = if a > 0.5 { "#fff" } else { "#111" };
    Heat {
        text: pct(value),
        value: value.is_finite().then(|| tables::number(value)),
        style: format!("background:rgba({r},{g},{b},{a:.2});color:{ink}"),
        partial,
    }
}

#[derive(Serialize)]
struct MonthRow {
    year: i32,
    months: Vec<Option<Heat>>,
    total: Option<Heat>,
}

#[derive(Serialize)]
struct WorstRow {
    n: usize,
    depth: Cell,
    peak: String,
    trough: String,
    recovery: String,
    /// Calendar days from the peak to the recovery (or to the end).
    days: i32,
}

#[derive(Serialize)]
struct ConditionView {
    text: String,
    uses: String,
    panels: Vec<String>,
}

#[derive(Serialize)]
struct RunPage {
    title: String,
    name: Option<String>,
    description: Option<String>,
    file: String,
    sources: Vec<String>,
    synthetic: bool,
    synthetic_words: &'static str,
    period: String,
    frequency: String,
    benchmark: Option<String>,
    sets: Vec<String>,
    cards: Vec<(String, Cell)>,
    figures: Figures,
    base_figures: Option<(String, Figures)>,
    not_shown: Vec<String>,
    worst: Vec<WorstRow>,
    months: Vec<MonthRow>,
    rolling: bool,
    rolling_window: usize,
    month_names: [&'static str; 12],
    detail: bool,
    allocation: bool,
    prices: Vec<String>,
    conditions: Vec<ConditionView>,
    trades: Vec<TradeRow>,
    trips: Vec<TripRow>,
    stats: Vec<(String, Cell)>,
    lots: Vec<LotRow>,
    costs: Vec<(String, Cell)>,
    activity: Vec<(String, Cell)>,
    holdings: Vec<(String, Cell, Cell)>,
    cash: Cell,
    /// Each sleeve (docs/LANGUAGE.md, "Sleeves"): name, value, weight, contributed, TWR,
    /// holdings; empty without sleeves.
    sleeves: Vec<(String, Cell, String, Cell, String, String)>,
    assumed: Vec<String>,
    /// The run's warnings: code, place (`file:line:column`, or empty), message, help.
    warnings: Vec<(String, String, String, String)>,
    source: String,
    notes: Vec<String>,
}

impl RunPage {
    fn of(report: &Report, points: &Points) -> RunPage {
        let m = &report.metrics;
        let detail = report.detail.as_deref();
        let bench = report.benchmark.as_ref();
        let mut columns = vec![Column {
            heading: "Strategy".into(),
            metrics: m,
            path: "metrics".into(),
        }];
        if let Some(b) = bench {
            columns.push(Column {
                heading: format!("{} (buy & hold)", b.symbol),
                metrics: &b.metrics,
                path: "benchmark.metrics".into(),
            });
        }
        let base_figures = report.base_currency.as_ref().map(|base| {
            let mut columns = vec![Column {
                heading: "Strategy".into(),
                metrics: &base.metrics,
                path: "base_currency.metrics".into(),
            }];
            if let (Some(b), Some(bm)) = (bench, base.benchmark.as_ref()) {
                columns.push(Column {
                    heading: format!("{} (buy & hold)", b.symbol),
                    metrics: bm,
                    path: "base_currency.benchmark".into(),
                });
            }
            (base.code.clone(), tables::figures(&base.code, &columns, false))
        });
        let (trips, stats, lots) = round_trips(report, detail);
        RunPage {
            title: report
                .strategy
                .name
                .clone()
                .unwrap_or_else(|| report.strategy.file.clone()),
            name: report.strategy.name.clone(),
            description: report.strategy.description.clone(),
            file: report.strategy.file.clone(),
            sources: report.data.sources.clone(),
            synthetic: report.data.synthetic,
            synthetic_words: crate::report::summary::SYNTHETIC,
            period: period(report),
            frequency: frequency(report),
            benchmark: bench.map(|b| b.symbol.clone()),
            sets: detail.map_or(Vec::new(), |d| d.sets.iter().map(|(k, v)| format!("{k}={v}")).collect()),
            cards: cards(m),
            figures: tables::figures("USD", &columns, false),
            base_figures,
            not_shown: not_shown(m),
            worst: worst_rows(report),
            months: months(report, detail),
            rolling: false,
            rolling_window: 0,
            month_names: [
                "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
            ],
            detail: detail.is_some(),
            allocation: detail.is_some_and(|d| d.record.held.iter().any(|h| h.iter().any(|&v| v != 0.0))),
            prices: detail.map_or(Vec::new(), |d| d.traded.clone()),
            conditions: detail.map_or(Vec::new(), conditions),
            trades: tables::trades(&report.trades, &report.listed, detail.map_or(&[], |d| &d.rules)),
            trips,
            stats,
            lots,
            costs: costs(report),
            activity: activity(report),
            holdings: (report.holdings.iter())
                .map(|h| {
                    let shares = Cell::new(fixed(h.shares, 4), Some(h.shares), String::new());
                    (
                        h.symbol.clone(),
                        shares,
                        Cell::new(money(h.value), Some(h.value), String::new()),
                    )
                })
                .collect(),
            cash: Cell::new(money(report.cash), Some(report.cash), "cash".into()),
            sleeves: sleeve_rows(report),
            assumed: report.assumptions.iter().chain(&report.data.notes).cloned().collect(),
            warnings: (report.diagnostics.iter())
                .map(|w| {
                    (
                        w.code.clone().unwrap_or_default(),
                        w.place().unwrap_or_default(),
                        w.message.clone(),
                        w.help.clone().unwrap_or_default(),
                    )
                })
                .collect(),
            source: detail.map_or(String::new(), |d| d.source.clone()),
            notes: points.note.iter().cloned().collect(),
        }
    }
}

fn frequency(report: &Report) -> String {
    let f = &report.bar_frequency;
    let how = if f.declared {
        "set by `bars per year`"
    } else {
        "inferred from the dates"
    };
    let kind = serde_json::to_value(f.kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string));
    format!(
        "{} bars, {} a year ({how})",
        kind.unwrap_or_default(),
        fixed(f.bars_per_year, 2).trim_end_matches(".00")
    )
}

fn cards(m: &Metrics) -> Vec<(String, Cell)> {
    let cell = |text: String, value: Option<f64>, field: &str| Cell::new(text, value, format!("metrics.{field}"));
    vec![
        (
            "Final value (USD)".into(),
            cell(money(m.final_value), Some(m.final_value), "final_value"),
        ),
        (
            // Net of withdrawals, as the figures table calls it (report/rows.rs).
            if m.withdrawn > 0.0 {
                "Net contributed (USD)"
            } else {
                "Contributed (USD)"
            }
            .into(),
            cell(money(m.contributed), Some(m.contributed), "contributed"),
        ),
        ("XIRR".into(), cell(pct_opt(m.xirr), m.xirr, "xirr")),
        ("CAGR".into(), cell(pct_opt(m.cagr), m.cagr, "cagr")),
        (
            "Max drawdown".into(),
            cell(
                pct(-m.max_drawdown.depth),
                Some(m.max_drawdown.depth).filter(|d| d.is_finite()),
                "max_drawdown.depth",
            ),
        ),
        (
            "Sharpe".into(),
            cell(crate::report::rows::num_opt(m.sharpe), m.sharpe, "sharpe"),
        ),
    ]
}

/// Why figures of the strategy show `-`: one line per reason, as in the text summary.
fn not_shown(m: &Metrics) -> Vec<String> {
    let mut reasons: Vec<(&str, Vec<&str>)> = Vec::new();
    for (field, reason) in &m.why_null {
        match reasons.iter_mut().find(|(r, _)| r == reason) {
            Some((_, fields)) => fields.push(field),
            None => reasons.push((reason, vec![field])),
        }
    }
    reasons.iter().map(|(r, f)| format!("{}: {r}", f.join(", "))).collect()
}

fn wealth_of(curve: &EquityCurve) -> (Vec<f64>, Vec<f64>) {
    let r = bar_returns(&curve.equity, &curve.flows, &curve.closing);
    let w = wealth(&r);
    (r, w)
}

fn worst_rows(report: &Report) -> Vec<WorstRow> {
    let c = &report.curve;
    let (_, w) = wealth_of(c);
    let last = c.days.last().copied().unwrap_or(0);
    worst(&w, &c.days, WORST)
        .into_iter()
        .enumerate()
        .map(|(i, e)| WorstRow {
            n: i + 1,
            depth: Cell::new(pct(-e.depth), Some(e.depth), String::new()),
            days: e.bars.2.map_or(last, |r| c.days[r]) - c.days[e.bars.0],
            peak: e.peak,
            trough: e.trough,
            recovery: e.recovery.unwrap_or_else(|| "not yet".into()),
        })
        .collect()
}

fn months(report: &Report, detail: Option<&RunDetail>) -> Vec<MonthRow> {
    let c = &report.curve;
    let (_, w) = wealth_of(c);
    let data_days = detail.map_or(&[][..], |d| &d.data_days[..]);
    let list: Vec<MonthReturn> = monthly(&c.days, &w, data_days);
    let years: &[YearReturn] = &report.metrics.calendar_years;
    let mut rows: Vec<MonthRow> = Vec::new();
    for m in list {
        if rows.last().is_none_or(|r| r.year != m.year) {
            let total = years
                .iter()
                .find(|y| y.year == m.year)
                .map(|y| heat(y.value, 0.3, y.partial));
            rows.push(MonthRow {
                year: m.year,
                months: vec![None; 12],
                total,
            });
        }
        if let Some(row) = rows.last_mut() {
            row.months[(m.month - 1) as usize] = Some(heat(m.value, 0.1, m.partial));
        }
    }
    rows
}

fn conditions(d: &RunDetail) -> Vec<ConditionView> {
    d.conditions
        .iter()
        .map(|c| ConditionView {
            text: c.text.clone(),
            uses: c
                .uses
                .iter()
                .map(|u| use_text(u, &d.rules))
                .collect::<Vec<_>>()
                .join("; "),
            panels: c.panels.iter().map(|p| p.label.clone()).collect(),
        })
        .collect()
}

fn use_text(u: &Use, rules: &[String]) -> String {
    let rule = rules.get(u.rule - 1).map_or(String::new(), |r| format!(" `{r}`"));
    let acts = if u.negated {
        "acts where it does not hold"
    } else {
        "acts where it holds"
    };
    format!("rule {}{rule} ({}: {acts})", u.rule, u.word)
}

type Trips = (Vec<TripRow>, Vec<(String, Cell)>, Vec<LotRow>);

fn round_trips(report: &Report, detail: Option<&RunDetail>) -> Trips {
    let Some(d) = detail else {
        return (Vec::new(), Vec::new(), Vec::new());
    };
    let (trips, book) = replay(&report.trades, &report.curve.days, &d.expenses);
    let last_close = |symbol: &str| {
        let i = d.record.symbols.iter().position(|s| s == symbol);
        let close = i.and_then(|i| d.record.close[i].iter().rev().find(|v| !v.is_nan()));
        close.copied().unwrap_or(f64::NAN)
    };
    (
        tables::trips(&trips),
        tables::statistics(&Statistics::of(&trips)),
        tables::lots(&book, last_close),
    )
}

fn costs(report: &Report) -> Vec<(String, Cell)> {
    let c = &report.costs;
    let cell = |v: f64, field: &str| Cell::new(money(v), Some(v), format!("costs.{field}"));
    let mut rows = vec![
        ("Fees (USD)".into(), cell(c.fees_paid, "fees_paid")),
        ("Slippage (USD)".into(), cell(c.slippage_paid, "slippage_paid")),
        ("Fund expenses (USD)".into(), cell(c.expense_drag, "expense_drag")),
        ("Traded value (USD)".into(), cell(c.traded_value, "traded_value")),
        (
            "Turnover a year".into(),
            Cell::new(
                pct_opt(c.annual_turnover),
                c.annual_turnover,
                "costs.annual_turnover".into(),
            ),
        ),
    ];
    // Interest, FX costs and tax (docs/TAXES.md), as the text summary's "After tax and
    // costs" block gives them: only when the strategy asks for them.
    if c.interest_earned != 0.0 {
        rows.push((
            "Interest earned (USD)".into(),
            cell(c.interest_earned, "interest_earned"),
        ));
    }
    if c.fx_costs != 0.0 {
        rows.push(("FX costs (USD)".into(), cell(c.fx_costs, "fx_costs")));
    }
    if c.dividends_received != 0.0 {
        rows.push((
            "Dividends received (USD)".into(),
            cell(c.dividends_received, "dividends_received"),
        ));
        rows.push((
            "Dividend tax withheld (USD)".into(),
            cell(c.withholding_tax, "withholding_tax"),
        ));
    }
    if c.withdrawn != 0.0 || !c.withdrawals_short.is_empty() {
        // Short withdrawals are listed under "Assumed".
        rows.push(("Withdrawn (USD)".into(), cell(c.withdrawn, "withdrawn")));
    }
    if let Some(tax) = &report.tax {
        rows.push(("Taxes paid (USD)".into(), cell(c.taxes_paid, "taxes_paid")));
        rows.push(("Taxes due at the end (USD)".into(), cell(c.taxes_due, "taxes_due")));
        rows.push((
            "Tax if sold on the last day (USD)".into(),
            cell(c.taxes_if_sold, "taxes_if_sold"),
        ));
        // Each tax year, as the text summary's line; the number is the year's tax.
        for (i, y) in tax.years.iter().enumerate() {
            rows.push((
                format!("Tax year {} ({})", y.year, tax.currency),
                Cell::new(
                    crate::report::after_tax::year_line(y, &tax.currency),
                    Some(y.tax),
                    format!("tax.years.{i}.tax"),
                ),
            ));
        }
        // The benchmark's money under the same rules, as the text block's line gives it.
        if let Some(b) = &report.benchmark {
            let bc = &b.costs;
            let field = |f: &str| format!("benchmark.costs.{f}");
            for (label, v, f) in [
                ("Interest earned (USD)", bc.interest_earned, "interest_earned"),
                ("FX costs (USD)", bc.fx_costs, "fx_costs"),
                ("Taxes paid (USD)", bc.taxes_paid, "taxes_paid"),
                ("Taxes due at the end (USD)", bc.taxes_due, "taxes_due"),
            ] {
                rows.push((format!("{}: {label}", b.symbol), Cell::new(money(v), Some(v), field(f))));
            }
        }
    }
    let after_tax = |unit: &str, path: &str, m: &crate::report::metrics::Metrics| {
        m.after_tax.as_ref().map(|a| {
            [
                (
                    format!("Final value after tax ({unit})"),
                    Cell::new(
                        money(a.final_value),
                        Some(a.final_value),
                        format!("{path}.after_tax.final_value"),
                    ),
                ),
                (
                    format!("XIRR after tax ({unit})"),
                    Cell::new(pct_opt(a.xirr), a.xirr, format!("{path}.after_tax.xirr")),
                ),
                (
                    format!("Final value if sold on the last day ({unit})"),
                    Cell::new(
                        money(a.final_value_if_sold),
                        Some(a.final_value_if_sold),
                        format!("{path}.after_tax.final_value_if_sold"),
                    ),
                ),
                (
                    format!("XIRR if sold on the last day ({unit})"),
                    Cell::new(
                        pct_opt(a.xirr_if_sold),
                        a.xirr_if_sold,
                        format!("{path}.after_tax.xirr_if_sold"),
                    ),
                ),
            ]
        })
    };
    rows.extend(after_tax("USD", "metrics", &report.metrics).into_iter().flatten());
    if let Some(base) = &report.base_currency {
        rows.extend(
            after_tax(&base.code, "base_currency.metrics", &base.metrics)
                .into_iter()
                .flatten(),
        );
    }
    // The benchmark through the same money rules, so the two compare after tax.
    if let Some(b) = &report.benchmark {
        let label = |(name, cell): (String, Cell)| (format!("{}: {name}", b.symbol), cell);
        rows.extend(
            after_tax("USD", "benchmark.metrics", &b.metrics)
                .into_iter()
                .flatten()
                .map(label),
        );
        if let Some(m) = report
            .base_currency
            .as_ref()
            .and_then(|base| base.benchmark.as_ref().map(|m| (base, m)))
        {
            let (base, m) = m;
            rows.extend(
                after_tax(&base.code, "base_currency.benchmark", m)
                    .into_iter()
                    .flatten()
                    .map(label),
            );
        }
    }
    rows
}

fn activity(report: &Report) -> Vec<(String, Cell)> {
    let a = &report.activity;
    let count = |n: usize, field: &str| Cell::new(n.to_string(), Some(n as f64), format!("activity.{field}"));
    let mut out = vec![
        ("Orders".to_string(), count(a.orders, "orders")),
        ("Fills".to_string(), count(a.trades, "trades")),
    ];
    for (n, what) in activity_notes(a) {
        if n > 0 {
            let mut words = what.to_string();
            if let Some(first) = words.get_mut(0..1) {
                first.make_ascii_uppercase();
            }
            out.push((words, Cell::new(n.to_string(), Some(n as f64), String::new())));
        }
    }
    out
}

/// The chart data of a run page.
#[derive(Serialize)]
struct RunCharts {
    /// `run`: which charts the page's script draws.
    kind: &'static str,
    x: Vec<i64>,
    equity: Series,
    contributed: Series,
    benchmark: Option<(String, Series)>,
    underwater: Series,
    benchmark_underwater: Option<Series>,
    worst: Vec<Marked>,
    years: YearBars,
    rolling: RollingCharts,
    allocation: Option<Allocation>,
    prices: Vec<Price>,
    conditions: Vec<ConditionChart>,
}

#[derive(Serialize)]
struct YearBars {
    labels: Vec<String>,
    strategy: Series,
    benchmark: Option<Series>,
}

#[derive(Serialize)]
struct RollingCharts {
    window: usize,
    strategy: [Series; 3],
    benchmark: Option<[Series; 3]>,
}

#[derive(Serialize)]
struct Allocation {
    names: Vec<String>,
    weights: Vec<Series>,
}

#[derive(Serialize)]
struct ConditionChart {
    text: String,
    /// 1 where the condition holds, 0 where not, `null` where not available.
    held: Series,
    panels: Vec<PanelChart>,
}

#[derive(Serialize)]
struct PanelChart {
    label: String,
    values: Series,
    threshold: Option<(&'static str, f64)>,
    other: Option<(String, Series)>,
}

impl RunCharts {
    fn of(report: &Report, points: &Points) -> RunCharts {
        let c = &report.curve;
        let bpy = report.bar_frequency.bars_per_year;
        let (r, w) = wealth_of(c);
        let bench = report.benchmark.as_ref();
        let bench_rw = bench.map(|b| wealth_of(&b.curve));
        let roll = |r: &[f64], rf: Option<&[f64]>| {
            let x = rolling(r, rf, bpy);
            (
                [points.take(&x.ret), points.take(&x.volatility), points.take(&x.sharpe)],
                x.window,
            )
        };
        let rf = c.risk_free.as_deref().map(|v| &v[..]);
        let (strategy_rolling, window) = roll(&r, rf);
        let detail = report.detail.as_deref();
        RunCharts {
            kind: "run",
            x: points.x(&c.days),
            equity: points.take(&c.equity),
            contributed: points.take(&c.contributed()),
            benchmark: bench.map(|b| (b.symbol.clone(), points.take(&b.curve.equity))),
            underwater: points.take(&underwater(&w)),
            benchmark_underwater: bench_rw.as_ref().map(|(_, bw)| points.take(&underwater(bw))),
            worst: chart_data::marked(&worst(&w, &c.days, WORST), &c.days),
            years: year_bars(&report.metrics, bench.map(|b| &b.metrics)),
            rolling: RollingCharts {
                window,
                strategy: strategy_rolling,
                benchmark: bench_rw.as_ref().map(|(br, _)| roll(br, rf).0),
            },
            allocation: detail.and_then(|d| allocation(d, c, points)),
            prices: detail.map_or(Vec::new(), |d| {
                (d.traded.iter())
                    .filter_map(|s| {
                        let i = d.record.symbols.iter().position(|x| x == s)?;
                        Some(chart_data::price(
                            s,
                            &d.record.close[i],
                            &report.trades,
                            &c.days,
                            points,
                        ))
                    })
                    .collect()
            }),
            conditions: detail.map_or(Vec::new(), |d| condition_charts(d, points)),
        }
    }
}

fn year_bars(m: &Metrics, bench: Option<&Metrics>) -> YearBars {
    let label = |y: &YearReturn| {
        if y.partial {
            format!("{} (part)", y.year)
        } else {
            y.year.to_string()
        }
    };
    let of = |b: &Metrics| {
        Series(
            (m.calendar_years.iter())
                .map(|y| {
                    b.calendar_years
                        .iter()
                        .find(|by| by.year == y.year)
                        .map_or(f64::NAN, |by| by.value)
                })
                .collect(),
        )
    };
    YearBars {
        labels: m.calendar_years.iter().map(label).collect(),
        strategy: Series(m.calendar_years.iter().map(|y| y.value).collect()),
        benchmark: bench.map(of),
    }
}

/// Each held symbol's share of the equity at each bar, and cash's.
fn allocation(d: &RunDetail, c: &EquityCurve, points: &Points) -> Option<Allocation> {
    let held: Vec<usize> = (0..d.record.symbols.len())
        .filter(|&s| d.record.held[s].iter().any(|&v| v != 0.0))
        .collect();
    if held.is_empty() {
        return None;
    }
    let share = |v: f64, e: f64| if e > 0.0 { v / e } else { f64::NAN };
    let mut names: Vec<String> = held.iter().map(|&s| d.record.symbols[s].clone()).collect();
    let mut weights: Vec<Series> = (held.iter())
        .map(|&s| {
            let w: Vec<f64> = (d.record.held[s].iter().zip(c.equity.iter()))
                .map(|(&v, &e)| share(v, e))
                .collect();
            points.take(&w)
        })
        .collect();
    let cash: Vec<f64> = (c.equity.iter().zip(c.invested.iter()))
        .map(|(&e, &i)| share(e - i, e))
        .collect();
    names.push("cash".into());
    weights.push(points.take(&cash));
    Some(Allocation { names, weights })
}

fn condition_charts(d: &RunDetail, points: &Points) -> Vec<ConditionChart> {
    let term = |i: usize| d.record.terms.get(i).map_or(&[][..], |v| &v[..]);
    d.conditions
        .iter()
        .map(|c| {
            let held: Vec<f64> = (term(c.term).iter())
                .map(|&v| {
                    if v.is_nan() {
                        f64::NAN
                    } else {
                        f64::from(u8::from(v != 0.0))
                    }
                })
                .collect();
            ConditionChart {
                text: c.text.clone(),
                held: points.take(&held),
                panels: (c.panels.iter())
                    .map(|p| PanelChart {
                        label: p.label.clone(),
                        values: points.take(term(p.term)),
                        threshold: p.threshold,
                        other: p.other.as_ref().map(|(l, i)| (l.clone(), points.take(term(*i)))),
                    })
                    .collect(),
            }
        })
        .collect()
}

/// The sleeves' table rows: a nested sleeve's name after its parent's (`satellite / inner`).
fn sleeve_rows(report: &Report) -> Vec<(String, Cell, String, Cell, String, String)> {
    let sleeves = &report.sleeves;
    (sleeves.iter())
        .filter(|s| s.name.is_some() || s.fraction > 0.0 || !s.holdings.is_empty())
        .map(|s| {
            let mut name = s.name.clone().unwrap_or_else(|| "outside the sleeves".into());
            let mut up = s.parent.as_ref();
            while let Some(p) = up {
                name = format!("{p} / {name}");
                up = sleeves
                    .iter()
                    .find(|x| x.name.as_ref() == Some(p))
                    .and_then(|x| x.parent.as_ref());
            }
            let mut holds: Vec<String> = (s.holdings.iter())
                .map(|h| format!("{} {}", h.symbol, fixed(h.shares, 4)))
                .collect();
            holds.push(format!("cash {}", money(s.cash)));
            (
                name,
                Cell::new(money(s.final_value), Some(s.final_value), String::new()),
                pct(s.weight),
                Cell::new(money(s.contributed), Some(s.contributed), String::new()),
                pct_opt(s.twr),
                holds.join(", "),
            )
        })
        .collect()
}
