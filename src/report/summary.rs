//! The readable summary `rotor run` prints: a table of figures, an equity sparkline, and
//! every default that was applied.

use comfy_table::{CellAlignment, Table, presets};

use super::metrics::Metrics;
use super::number::{money, thousands};
use super::rows::{any_withdrawn, pct, rows};
use super::run_report::Report;
use super::sparkline::sparkline;
use super::zero::fixed;
use crate::display::{count, escape, escape_line};
use crate::engine::frequency::Kind;

/// What the header says of the bundled sample data.
pub const SYNTHETIC: &str = "bundled SYNTHETIC sample data — not market prices";

/// Renders the summary. Names, notes and paths come from the strategy and the data, so
/// control characters in them are escaped ([`crate::display::escape`]).
pub fn render(report: &Report) -> String {
    let equity = &report.curve.equity;
    let mut out = String::new();
    let title = report.strategy.name.as_deref().unwrap_or("Strategy");
    out.push_str(&format!("{title} — {}\n", report.strategy.file));
    if let Some(d) = &report.strategy.description {
        out.push_str(&format!("{d}\n"));
    }
    out.push_str(&format!("Period: {}\n", period(report)));
    if report.data.synthetic {
        out.push_str(&format!("Data: {SYNTHETIC}\n"));
    } else {
        out.push_str(&format!("Data: {}\n", report.data.sources.join(", ")));
    }
    out.push('\n');
    out.push_str(&table(
        "USD",
        &report.metrics,
        report.benchmark.as_ref().map(|b| (&b.symbol, &b.metrics)),
    ));
    out.push_str(&not_shown(&report.metrics));
    if let Some(base) = &report.base_currency {
        out.push_str(&format!(
            "\nIn {} (contributions converted at each day's rate):\n",
            base.code
        ));
        let bench = report
            .benchmark
            .as_ref()
            .zip(base.benchmark.as_ref())
            .map(|(b, m)| (&b.symbol, m));
        out.push_str(&table(&base.code, &base.metrics, bench));
        // Only what the USD figures' reasons have not said: a missing exchange rate, above all.
        out.push_str(&not_shown_beyond(&base.metrics, &report.metrics));
    }
    out.push_str(&super::after_tax::render(report));
    let line = sparkline(equity, 60);
    if !line.is_empty() {
        out.push_str(&format!(
            "\nEquity  {line}  {} → {} USD\n",
            money(equity.first().copied().unwrap_or(0.0)),
            money(equity.last().copied().unwrap_or(0.0))
        ));
    }
    out.push_str(&holdings(report));
    out.push_str(&super::sleeves::render(&report.sleeves));
    out.push_str(&activity(report));
    if !report.assumptions.is_empty() || !report.data.notes.is_empty() {
        out.push_str("\nAssumed:\n");
        for a in report.assumptions.iter().chain(&report.data.notes) {
            out.push_str(&format!("  - {a}\n"));
        }
    }
    out.push_str(&warnings(report));
    escape(&out).into_owned()
}

/// The run's warnings, one line each (standard error shows them in full, with the line of
/// the strategy they point at): so a report kept as a file still has them.
fn warnings(report: &Report) -> String {
    if report.diagnostics.is_empty() {
        return String::new();
    }
    let mut out = String::from("\nWarnings:\n");
    for w in &report.diagnostics {
        let code = w.code.as_deref().unwrap_or("rotor::warning");
        match w.place() {
            Some(place) => out.push_str(&format!("  - {code} ({place}): {}\n", w.message)),
            None => out.push_str(&format!("  - {code}: {}\n", w.message)),
        }
    }
    out
}

fn table(unit: &str, m: &Metrics, bench: Option<(&String, &Metrics)>) -> String {
    let mut t = Table::new();
    t.load_preset(presets::NOTHING);
    let mut header = vec![String::new(), "Strategy".to_string()];
    if let Some((sym, _)) = bench {
        // Escaped before the table measures it, so the columns stay aligned.
        header.push(format!("{} (buy & hold)", escape_line(sym)));
    }
    t.set_header(header);
    let withdrawn = any_withdrawn(std::iter::once(m).chain(bench.map(|b| b.1)));
    for row in rows(unit, withdrawn) {
        let mut r = vec![row.label.clone(), (row.text)(m)];
        if let Some((_, b)) = bench {
            r.push((row.text)(b));
        }
        t.add_row(r);
    }
    for i in 1..=2 {
        if let Some(c) = t.column_mut(i) {
            c.set_cell_alignment(CellAlignment::Right);
        }
    }
    format!("{t}\n")
}

/// Why figures of the strategy's column show `-`, one line per reason.
fn not_shown(m: &Metrics) -> String {
    reasons_text(m.why_null.iter().map(|(f, r)| (*f, *r)))
}

/// The reasons of [`not_shown`] for `m`'s figures that `said`'s reasons did not give.
fn not_shown_beyond(m: &Metrics, said: &Metrics) -> String {
    reasons_text(
        (m.why_null.iter())
            .filter(|(f, r)| said.why_null.get(*f) != Some(*r))
            .map(|(f, r)| (*f, *r)),
    )
}

/// One line per reason, naming the figures it leaves `-`.
fn reasons_text<'a>(why_null: impl Iterator<Item = (&'static str, &'a str)>) -> String {
    let label = |field: &'static str| -> &'static str {
        match field {
            "twr" => "TWR",
            "cagr" => "CAGR",
            "xirr" => "XIRR",
            "volatility" => "Volatility",
            "sharpe" => "Sharpe",
            "sortino" => "Sortino",
            "calmar" => "Calmar",
            "best_year" => "Best year",
            "worst_year" => "Worst year",
            "max_drawdown" => "Max drawdown",
            other => other,
        }
    };
    let mut reasons: Vec<(&str, Vec<&str>)> = Vec::new();
    for (field, reason) in why_null {
        match reasons.iter_mut().find(|(r, _)| *r == reason) {
            Some((_, fields)) => fields.push(label(field)),
            None => reasons.push((reason, vec![label(field)])),
        }
    }
    reasons
        .iter()
        .map(|(reason, fields)| format!(" - {}: {reason}\n", fields.join(", ")))
        .collect()
}

/// `2005-01-03 to 2025-12-31 (21.0 years, 5,283 trading days)`: the run's period.
pub fn period(report: &Report) -> String {
    let m = &report.metrics;
    let length = if m.bars == m.trading_days {
        count(m.bars, bar_noun(report.bar_frequency.kind))
    } else {
        format!("{} on {}", count(m.bars, "bar"), count(m.trading_days, "trading day"))
    };
    format!(
        "{} to {} ({:.1} years, {length})",
        m.start.as_deref().unwrap_or("?"),
        m.end.as_deref().unwrap_or("?"),
        m.years,
    )
}

/// `"trading days"`, `"weekly bars"`, …: what a count of the run's bars is called.
/// What one bar of the run is called in its period line, in the singular.
fn bar_noun(kind: Kind) -> &'static str {
    match kind {
        Kind::Daily => "trading day",
        Kind::Weekly => "weekly bar",
        Kind::Monthly => "monthly bar",
        Kind::Quarterly => "quarterly bar",
        Kind::Yearly => "yearly bar",
        Kind::Intraday | Kind::Irregular => "bar",
    }
}

fn holdings(report: &Report) -> String {
    let mut parts: Vec<String> = report
        .holdings
        .iter()
        .map(|h| format!("{} {} shares ({} USD)", h.symbol, fixed(h.shares, 4), money(h.value)))
        .collect();
    parts.push(format!("cash {} USD", money(report.cash)));
    format!("Holdings at the end: {}\n", parts.join(", "))
}

/// What the engine skipped or changed, with a count each (zero counts included).
pub fn activity_notes(a: &crate::engine::Counters) -> [(usize, &'static str); 20] {
    [
        (a.shrunk_orders, "buys shrunk to the cash available"),
        (
            a.empty_orders,
            "orders that came to nothing (no cash or no position, or less than a cent)",
        ),
        (
            a.waited_for_price,
            "orders or rebalance legs that found no price for their symbol on the bar they were to fill, and waited for its next row",
        ),
        (
            a.empty_after_waiting,
            "orders that waited for a price and came to nothing when it came (no cash or no position by then)",
        ),
        (
            a.fee_exceeds_value,
            "orders or rebalance legs not placed: the fee would have been at least their value",
        ),
        (a.skipped_not_listed, "orders skipped: the symbol had no price yet"),
        (
            a.not_ranked_no_price,
            "rotation candidates not ranked: no price in the last 5 trading days",
        ),
        (
            a.guards_not_available,
            "scheduled checks where a condition was not yet available (counted as false)",
        ),
        (a.pending_at_end, "orders still waiting for a fill when the data ended"),
        (
            a.contributions_late_no_rate,
            "contributions credited late: no exchange rate the day they were due (see Assumed)",
        ),
        (
            a.contributions_skipped,
            "contributions never credited: no exchange rate from the day due to the end",
        ),
        (a.exits.stop_loss, "sales by a stop loss"),
        (a.exits.take_profit, "sales by a take profit"),
        (a.exits.trailing_stop, "sales by a trailing stop"),
        (
            a.cooldown_skipped,
            "rule checks held back by a cooldown (`at most once per …`) or a waiting order",
        ),
        (a.withdrawals_skipped, "withdrawals skipped: no exchange rate that day"),
        (
            a.amount_not_available,
            "orders not placed: their computed amount was not available",
        ),
        (
            a.amount_not_positive,
            "orders not placed: their computed amount was zero or negative",
        ),
        (
            a.weights_partly_resolved,
            "weighted rebalances where some weights did not resolve (given 0, the rest renormalised)",
        ),
        (
            a.weights_unresolved,
            "weighted rebalances not placed: no weight resolved",
        ),
    ]
}

fn activity(report: &Report) -> String {
    let a = &report.activity;
    let c = &report.costs;
    let mut s = format!(
        "Activity: {}, {}; fees {} USD, slippage {} USD, fund expenses {} USD",
        crate::display::count(a.orders, "order"),
        crate::display::count(a.trades, "fill"),
        money(c.fees_paid),
        money(c.slippage_paid),
        money(c.expense_drag)
    );
    if let Some(t) = c.annual_turnover {
        s.push_str(&format!(", turnover {}/year", pct(t)));
    }
    s.push('\n');
    let notes = activity_notes(a);
    for (n, what) in notes {
        if n > 0 {
            let what = if n == 1 { singular(what) } else { what };
            s.push_str(&format!("  {} {what}\n", thousands(n as f64)));
        }
    }
    s
}

/// An activity note of [`activity_notes`] for a count of one: "1 order that came to
/// nothing", not "1 orders that came …".
fn singular(plural: &'static str) -> &'static str {
    match plural {
        "buys shrunk to the cash available" => "buy shrunk to the cash available",
        "orders that came to nothing (no cash or no position, or less than a cent)" => {
            "order that came to nothing (no cash or no position, or less than a cent)"
        }
        "orders or rebalance legs that found no price for their symbol on the bar they were to fill, and waited for its next row" => {
            "order or rebalance leg that found no price for its symbol on the bar it was to fill, and waited for its next row"
        }
        "orders that waited for a price and came to nothing when it came (no cash or no position by then)" => {
            "order that waited for a price and came to nothing when it came (no cash or no position by then)"
        }
        "orders or rebalance legs not placed: the fee would have been at least their value" => {
            "order or rebalance leg not placed: the fee would have been at least its value"
        }
        "orders skipped: the symbol had no price yet" => "order skipped: the symbol had no price yet",
        "rotation candidates not ranked: no price in the last 5 trading days" => {
            "rotation candidate not ranked: no price in the last 5 trading days"
        }
        "scheduled checks where a condition was not yet available (counted as false)" => {
            "scheduled check where a condition was not yet available (counted as false)"
        }
        "orders still waiting for a fill when the data ended" => "order still waiting for a fill when the data ended",
        "contributions credited late: no exchange rate the day they were due (see Assumed)" => {
            "contribution credited late: no exchange rate the day it was due (see Assumed)"
        }
        "contributions never credited: no exchange rate from the day due to the end" => {
            "contribution never credited: no exchange rate from the day due to the end"
        }
        "sales by a stop loss" => "sale by a stop loss",
        "sales by a take profit" => "sale by a take profit",
        "sales by a trailing stop" => "sale by a trailing stop",
        "rule checks held back by a cooldown (`at most once per …`) or a waiting order" => {
            "rule check held back by a cooldown (`at most once per …`) or a waiting order"
        }
        "withdrawals skipped: no exchange rate that day" => "withdrawal skipped: no exchange rate that day",
        "orders not placed: their computed amount was not available" => {
            "order not placed: its computed amount was not available"
        }
        "orders not placed: their computed amount was zero or negative" => {
            "order not placed: its computed amount was zero or negative"
        }
        "weighted rebalances where some weights did not resolve (given 0, the rest renormalised)" => {
            "weighted rebalance where some weights did not resolve (given 0, the rest renormalised)"
        }
        "weighted rebalances not placed: no weight resolved" => "weighted rebalance not placed: no weight resolved",
        other => other,
    }
}

#[cfg(test)]
mod singular_tests {
    #[test]
    fn every_activity_note_has_a_singular() {
        let counters = crate::engine::Counters::default();
        for (_, plural) in super::activity_notes(&counters) {
            let one = super::singular(plural);
            assert_ne!(one, plural, "no singular for {plural:?}");
            assert!(one.len() < plural.len() + 2, "{one:?}");
        }
    }
}
