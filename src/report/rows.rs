//! The rows of the figures table, one list that the text summary, the HTML report and
//! `rotor compare` all show, so they never disagree. A new figure (an after-tax return,
//! say) is one more row here.

use super::metrics::{Metrics, YearReturn};
use super::number::money;
use super::zero::fixed;

/// Which way a figure is better, for `rotor compare`'s "best" column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Better {
    Higher,
    Lower,
    /// Neither: a fact, not a score (contributed money, time in the market).
    Neither,
}

/// One row: its label, where its number is in the JSON (`metrics.…`), and how it is shown.
pub struct Row {
    pub label: String,
    /// The field's path inside `metrics` in the JSON, as `max_drawdown.depth`.
    pub field: &'static str,
    pub better: Better,
    /// The cell as the summary prints it.
    pub text: fn(&Metrics) -> String,
    /// The number behind the cell, as the JSON has it (`None`: null or not a number).
    pub value: fn(&Metrics) -> Option<f64>,
    /// An amount of money that grows with the money put in (a final value, a profit): runs
    /// that put in different amounts have no best in it ([`rank`]).
    pub amount: bool,
}

impl Row {
    /// A figure a longer period makes larger whatever the strategy: one that adds up over
    /// the run (an amount of money, the total time-weighted return), the max drawdown and
    /// the Calmar ratio built on it (a longer run meets more falls), and the best and worst
    /// year (a longer run has more years to pick them from). Runs over different periods
    /// have no best in it ([`rank`]).
    pub fn is_total(&self) -> bool {
        self.amount
            || matches!(
                self.field,
                "twr" | "max_drawdown.depth" | "calmar" | "best_year.return" | "worst_year.return"
            )
    }
}

/// Whether any of `metrics` took money out: their figures then call the contributed money
/// net and show the withdrawals beside it ([`rows`]).
pub fn any_withdrawn<'a>(metrics: impl IntoIterator<Item = &'a Metrics>) -> bool {
    metrics.into_iter().any(|m| m.withdrawn > 0.0)
}

/// The rows, money labelled in `unit` (`USD`, or the base currency). With `withdrawn` (some
/// column took money out, [`any_withdrawn`]), `contributed` is labelled as what it is, the
/// money put in net of withdrawals (it can fall below zero), and a "Withdrawn" row follows
/// it: the net figure stays the one the profit is measured from, and the two add up to the
/// money put in.
pub fn rows(unit: &str, withdrawn: bool) -> Vec<Row> {
    let row = |label: String, field: &'static str, better, text, value| Row {
        amount: matches!(field, "final_value" | "profit"),
        label,
        field,
        better,
        text,
        value,
    };
    use Better::*;
    let net = if withdrawn { "Net contributed" } else { "Contributed" };
    let mut all = vec![row(
        format!("{net} ({unit})"),
        "contributed",
        Neither,
        |m| money(m.contributed),
        |m| Some(m.contributed),
    )];
    if withdrawn {
        all.push(row(
            format!("Withdrawn ({unit})"),
            "withdrawn",
            Neither,
            |m| money(m.withdrawn),
            |m| Some(m.withdrawn),
        ));
    }
    all.extend([
        row(
            format!("Final value ({unit})"),
            "final_value",
            Higher,
            |m| money(m.final_value),
            |m| Some(m.final_value),
        ),
        row(
            format!("Profit ({unit})"),
            "profit",
            Higher,
            |m| money(m.profit),
            |m| Some(m.profit),
        ),
        row(
            "Money-weighted return (XIRR)".into(),
            "xirr",
            Higher,
            |m| pct_opt(m.xirr),
            |m| m.xirr,
        ),
        row(
            "Time-weighted return, total".into(),
            "twr",
            Higher,
            |m| pct_opt(m.twr),
            |m| m.twr,
        ),
        row(
            "Time-weighted return, CAGR".into(),
            "cagr",
            Higher,
            |m| pct_opt(m.cagr),
            |m| m.cagr,
        ),
        row(
            "Volatility (annualised)".into(),
            "volatility",
            Lower,
            |m| pct_opt(m.volatility),
            |m| m.volatility,
        ),
        row("Sharpe".into(), "sharpe", Higher, |m| num_opt(m.sharpe), |m| m.sharpe),
        row(
            "Sortino".into(),
            "sortino",
            Higher,
            |m| num_opt(m.sortino),
            |m| m.sortino,
        ),
        row("Max drawdown".into(), "max_drawdown.depth", Lower, drawdown, |m| {
            Some(m.max_drawdown.depth)
        }),
        row("Recovered".into(), "max_drawdown.recovery", Neither, recovered, |_| {
            None
        }),
        row("Calmar".into(), "calmar", Higher, |m| num_opt(m.calmar), |m| m.calmar),
        row(
            "Best year".into(),
            "best_year.return",
            Higher,
            |m| year(m.best_year.as_ref()),
            |m| m.best_year.as_ref().map(|y| y.value),
        ),
        row(
            "Worst year".into(),
            "worst_year.return",
            Higher,
            |m| year(m.worst_year.as_ref()),
            |m| m.worst_year.as_ref().map(|y| y.value),
        ),
        row(
            "Time in market".into(),
            "exposure",
            Neither,
            |m| pct_opt(m.exposure),
            |m| m.exposure,
        ),
    ]);
    all
}

/// The after-tax rows (`metrics.after_tax`, docs/TAXES.md), money labelled in `unit`: what
/// `rotor compare` adds when a run has a tax rule. A run without one pays no tax in the
/// model: its cell is its pre-tax figure marked [`NO_TAX_RULE`], with no value to rank (a
/// run that models no tax would otherwise win every after-tax row).
pub fn after_tax_rows(unit: &str) -> Vec<Row> {
    vec![
        Row {
            label: format!("Final value after tax ({unit})"),
            field: "after_tax.final_value",
            better: Better::Higher,
            amount: true,
            text: |m| (m.after_tax.as_ref()).map_or_else(|| untaxed(money(m.final_value)), |a| money(a.final_value)),
            value: |m| m.after_tax.as_ref().map(|a| a.final_value),
        },
        Row {
            label: format!("XIRR after tax ({unit})"),
            field: "after_tax.xirr",
            better: Better::Higher,
            amount: false,
            text: |m| (m.after_tax.as_ref()).map_or_else(|| untaxed(pct_opt(m.xirr)), |a| pct_opt(a.xirr)),
            value: |m| m.after_tax.as_ref().and_then(|a| a.xirr),
        },
        Row {
            label: format!("Final value if sold on the last day ({unit})"),
            field: "after_tax.final_value_if_sold",
            better: Better::Higher,
            amount: true,
            text: |m| {
                (m.after_tax.as_ref()).map_or_else(|| untaxed(money(m.final_value)), |a| money(a.final_value_if_sold))
            },
            value: |m| m.after_tax.as_ref().map(|a| a.final_value_if_sold),
        },
        Row {
            label: format!("XIRR if sold on the last day ({unit})"),
            field: "after_tax.xirr_if_sold",
            better: Better::Higher,
            amount: false,
            text: |m| (m.after_tax.as_ref()).map_or_else(|| untaxed(pct_opt(m.xirr)), |a| pct_opt(a.xirr_if_sold)),
            value: |m| m.after_tax.as_ref().and_then(|a| a.xirr_if_sold),
        },
    ]
}

/// What marks an after-tax cell of a run without a tax rule, whose figure is its pre-tax one.
pub const NO_TAX_RULE: &str = "(no tax rule)";

fn untaxed(figure: String) -> String {
    format!("{figure} {NO_TAX_RULE}")
}

/// The rows of a run's figures in its base currency (`unit`) that `rotor compare` shows
/// beside the USD ones: the money (put in, taken out, at the end, profit) and the returns
/// that the exchange rate moves (XIRR, time-weighted), each labelled with the unit.
pub fn base_rows(unit: &str, withdrawn: bool) -> Vec<Row> {
    (rows(unit, withdrawn).into_iter())
        .filter_map(|mut row| {
            let label = match row.field {
                "contributed" | "withdrawn" | "final_value" | "profit" => return Some(row),
                "xirr" => format!("Money-weighted return (XIRR, {unit})"),
                "twr" => format!("Time-weighted return, total ({unit})"),
                "cagr" => format!("Time-weighted return, CAGR ({unit})"),
                "max_drawdown.depth" => format!("Max drawdown ({unit})"),
                _ => return None,
            };
            row.label = label;
            Some(row)
        })
        .collect()
}

/// The columns holding the best value (all of them on a tie); none for a fact that is not a
/// score, or with fewer than two values to compare. Values within rounding of the best
/// ([`TIE`]) tie with it: the same year's return of two runs that bought the same shares by
/// different arithmetic (0.5067090198922377 against …2308) is one figure, and naming one
/// of them best would be rounding's choice.
pub fn best(values: &[Option<f64>], better: Better) -> Vec<usize> {
    let known: Vec<(usize, f64)> = (values.iter().enumerate())
        .filter_map(|(i, v)| v.filter(|x| x.is_finite()).map(|x| (i, x)))
        .collect();
    if known.len() < 2 {
        return Vec::new();
    }
    let pick = match better {
        Better::Higher => known.iter().map(|k| k.1).fold(f64::NEG_INFINITY, f64::max),
        Better::Lower => known.iter().map(|k| k.1).fold(f64::INFINITY, f64::min),
        Better::Neither => return Vec::new(),
    };
    let tie = TIE * pick.abs().max(1.0);
    known
        .iter()
        .filter(|k| (k.1 - pick).abs() <= tie)
        .map(|k| k.0)
        .collect()
}

/// The columns holding the best value of `row` among runs with these figures (`None`: the
/// run has none), as [`best`]; none for an amount of money ([`Row::amount`]) when the runs
/// put in different amounts ([`amounts_differ`], in the row's own currency, as the note
/// says): a run that put in more ends with more, and naming it best would contradict the
/// note that says these do not compare. Nor, when the runs cover different periods
/// ([`periods_differ`]), for a total over the period or the max drawdown ([`Row::is_total`]):
/// a longer run grows more and meets more falls.
pub fn rank(row: &Row, metrics: &[Option<&Metrics>]) -> Vec<usize> {
    let known = || metrics.iter().flatten().copied();
    if row.amount && amounts_differ(known()) {
        return Vec::new();
    }
    if row.is_total() && periods_differ(known()) {
        return Vec::new();
    }
    let values: Vec<Option<f64>> = metrics.iter().map(|m| m.and_then(|m| (row.value)(m))).collect();
    best(&values, row.better)
}

/// Whether the runs cover different periods (first or last day): their totals over the
/// period then do not compare ([`rank`]).
pub fn periods_differ<'a>(metrics: impl IntoIterator<Item = &'a Metrics>) -> bool {
    let mut it = metrics.into_iter().map(|m| (&m.start, &m.end));
    let Some(first) = it.next() else { return false };
    it.any(|p| p != first)
}

/// Whether the runs put in different amounts (net contributed more than half a cent apart):
/// their final values and profits then do not compare.
pub fn amounts_differ<'a>(metrics: impl IntoIterator<Item = &'a Metrics>) -> bool {
    let mut it = metrics.into_iter().map(|m| m.contributed);
    let Some(first) = it.next() else { return false };
    it.any(|c| (c - first).abs() >= 0.005)
}

/// Figures closer than this (relative, or absolute below 1) are equal for [`best`]: far
/// above floating-point rounding (1e-16 relative), far below anything shown (a hundredth of
/// a percent, a cent of a million).
const TIE: f64 = 1e-9;

fn drawdown(m: &Metrics) -> String {
    let d = &m.max_drawdown;
    if d.depth.is_nan() {
        return "-".into();
    }
    match (&d.peak, &d.trough) {
        (Some(p), Some(tr)) if d.depth > 0.0 => format!("{} ({p} to {tr})", pct(-d.depth)),
        _ => pct(0.0),
    }
}

fn recovered(m: &Metrics) -> String {
    match (&m.max_drawdown.recovery, m.max_drawdown.depth > 0.0) {
        (Some(r), true) => r.clone(),
        (None, true) => "not yet".to_string(),
        _ => "-".to_string(),
    }
}

/// A fraction as a percentage with two decimals, no `-0.00%`; `-` when not finite.
pub fn pct(v: f64) -> String {
    if v.is_finite() {
        format!("{}%", fixed(v * 100.0, 2))
    } else {
        "-".into()
    }
}

pub fn pct_opt(v: Option<f64>) -> String {
    v.map_or("-".into(), pct)
}

/// A ratio with two decimals, or `-`.
pub fn num_opt(v: Option<f64>) -> String {
    v.map_or("-".into(), |x| fixed(x, 2))
}

fn year(y: Option<&YearReturn>) -> String {
    y.map_or("-".into(), |y| {
        format!("{} ({}{})", pct(y.value), y.year, if y.partial { ", part" } else { "" })
    })
}

#[cfg(test)]
mod tests {
    use super::{Better, best, num_opt, pct};

    #[test]
    fn figures_that_round_to_zero_have_no_sign() {
        // Issue 12 item 10: a return of -0.001% printed as "-0.00%".
        assert_eq!(pct(-0.00001), "0.00%");
        assert_eq!(pct(-0.0), "0.00%");
        assert_eq!(pct(-0.0001), "-0.01%");
        assert_eq!(num_opt(Some(-0.004)), "0.00");
        assert_eq!(num_opt(Some(-0.006)), "-0.01");
    }

    #[test]
    fn best_is_the_highest_or_lowest_and_every_tie() {
        assert_eq!(best(&[Some(1.0), Some(3.0), None], Better::Higher), vec![1]);
        assert_eq!(best(&[Some(1.0), Some(3.0), Some(1.0)], Better::Lower), vec![0, 2]);
        assert!(best(&[Some(1.0), Some(3.0)], Better::Neither).is_empty());
        assert!(best(&[Some(1.0), None], Better::Higher).is_empty());
    }

    #[test]
    fn rounding_dust_does_not_pick_the_best() {
        // Three runs' best year and worst year, equal but for floating-point dust.
        let best_years = [
            Some(0.5067090198922308),
            Some(0.5067090198922377),
            Some(0.5067090198922308),
        ];
        assert_eq!(best(&best_years, Better::Higher), vec![0, 1, 2]);
        let worst = [
            Some(-0.38051149935960304),
            Some(-0.3773763691058585),
            Some(-0.37737636910585715),
        ];
        assert_eq!(best(&worst, Better::Higher), vec![1, 2]);
        // A real difference still decides: a cent in a million, a hundredth of a percent.
        assert_eq!(best(&[Some(1_000_000.0), Some(1_000_000.01)], Better::Higher), vec![1]);
        assert_eq!(best(&[Some(0.1234), Some(0.1235)], Better::Lower), vec![0]);
    }
}
