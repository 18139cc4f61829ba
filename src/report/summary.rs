//! The readable summary `rotor run` prints: a table of figures, an equity sparkline, and
//! every default that was applied.

use comfy_table::{CellAlignment, Table, presets};

use super::metrics::Metrics;
use super::number::{money, thousands};
use super::run_report::Report;
use super::sparkline::sparkline;
use super::zero::fixed;
use crate::display::{escape, escape_line};
use crate::engine::frequency::Kind;

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
    let m = &report.metrics;
    let noun = bars_noun(report.bar_frequency.kind);
    let length = if m.bars == m.trading_days {
        format!("{} {noun}", thousands(m.bars as f64))
    } else {
        format!(
            "{} bars on {} trading days",
            thousands(m.bars as f64),
            thousands(m.trading_days as f64)
        )
    };
    out.push_str(&format!(
        "Period: {} to {} ({:.1} years, {length})\n",
        m.start.as_deref().unwrap_or("?"),
        m.end.as_deref().unwrap_or("?"),
        m.years,
    ));
    if report.data.synthetic {
        out.push_str("Data: bundled SYNTHETIC sample data — not market prices\n");
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
    }
    let line = sparkline(equity, 60);
    if !line.is_empty() {
        out.push_str(&format!(
            "\nEquity  {line}  {} → {} USD\n",
            money(equity.first().copied().unwrap_or(0.0)),
            money(equity.last().copied().unwrap_or(0.0))
        ));
    }
    out.push_str(&holdings(report));
    out.push_str(&activity(report));
    if !report.assumptions.is_empty() || !report.data.notes.is_empty() {
        out.push_str("\nAssumed:\n");
        for a in report.assumptions.iter().chain(&report.data.notes) {
            out.push_str(&format!("  - {a}\n"));
        }
    }
    escape(&out).into_owned()
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
    let row = |label: &str, f: &dyn Fn(&Metrics) -> String| {
        let mut r = vec![label.to_string(), f(m)];
        if let Some((_, b)) = bench {
            r.push(f(b));
        }
        r
    };
    t.add_row(row(&format!("Contributed ({unit})"), &|m| money(m.contributed)));
    t.add_row(row(&format!("Final value ({unit})"), &|m| money(m.final_value)));
    t.add_row(row(&format!("Profit ({unit})"), &|m| money(m.profit)));
    t.add_row(row("Money-weighted return (XIRR)", &|m| pct_opt(m.xirr)));
    t.add_row(row("Time-weighted return, total", &|m| pct_opt(m.twr)));
    t.add_row(row("Time-weighted return, CAGR", &|m| pct_opt(m.cagr)));
    t.add_row(row("Volatility (annualised)", &|m| pct_opt(m.volatility)));
    t.add_row(row("Sharpe", &|m| num_opt(m.sharpe)));
    t.add_row(row("Sortino", &|m| num_opt(m.sortino)));
    t.add_row(row("Max drawdown", &|m| {
        let d = &m.max_drawdown;
        match (&d.peak, &d.trough) {
            (Some(p), Some(tr)) if d.depth > 0.0 => format!("{} ({p} to {tr})", pct(-d.depth)),
            _ => pct(0.0),
        }
    }));
    t.add_row(row(
        "Recovered",
        &|m| match (&m.max_drawdown.recovery, m.max_drawdown.depth > 0.0) {
            (Some(r), true) => r.clone(),
            (None, true) => "not yet".to_string(),
            _ => "-".to_string(),
        },
    ));
    t.add_row(row("Calmar", &|m| num_opt(m.calmar)));
    t.add_row(row("Best year", &|m| year(m.best_year.as_ref())));
    t.add_row(row("Worst year", &|m| year(m.worst_year.as_ref())));
    t.add_row(row("Time in market", &|m| pct_opt(m.exposure)));
    for i in 1..=2 {
        if let Some(c) = t.column_mut(i) {
            c.set_cell_alignment(CellAlignment::Right);
        }
    }
    format!("{t}\n")
}

/// Why figures of the strategy's column show `-`, one line per reason.
fn not_shown(m: &Metrics) -> String {
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
            other => other,
        }
    };
    let mut reasons: Vec<(&str, Vec<&str>)> = Vec::new();
    for (field, reason) in &m.why_null {
        match reasons.iter_mut().find(|(r, _)| r == reason) {
            Some((_, fields)) => fields.push(label(field)),
            None => reasons.push((reason, vec![label(field)])),
        }
    }
    reasons
        .iter()
        .map(|(reason, fields)| format!(" - {}: {reason}\n", fields.join(", ")))
        .collect()
}

/// `"trading days"`, `"weekly bars"`, …: what a count of the run's bars is called.
fn bars_noun(kind: Kind) -> &'static str {
    match kind {
        Kind::Daily => "trading days",
        Kind::Weekly => "weekly bars",
        Kind::Monthly => "monthly bars",
        Kind::Quarterly => "quarterly bars",
        Kind::Yearly => "yearly bars",
        Kind::Intraday | Kind::Irregular => "bars",
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

fn activity(report: &Report) -> String {
    let a = &report.activity;
    let c = &report.costs;
    let mut s = format!(
        "Activity: {} orders, {} fills; fees {} USD, slippage {} USD, fund expenses {} USD",
        a.orders,
        a.trades,
        money(c.fees_paid),
        money(c.slippage_paid),
        money(c.expense_drag)
    );
    if let Some(t) = c.annual_turnover {
        s.push_str(&format!(", turnover {}/year", pct(t)));
    }
    s.push('\n');
    let notes = [
        (a.shrunk_orders, "buys shrunk to the cash available"),
        (
            a.empty_orders,
            "orders that came to nothing (no cash or no position, or less than a cent)",
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
            a.contributions_skipped,
            "contributions skipped: no exchange rate that day",
        ),
    ];
    for (n, what) in notes {
        if n > 0 {
            s.push_str(&format!("  {} {what}\n", thousands(n as f64)));
        }
    }
    s
}

fn pct(v: f64) -> String {
    if v.is_finite() {
        format!("{}%", fixed(v * 100.0, 2))
    } else {
        "-".into()
    }
}

fn pct_opt(v: Option<f64>) -> String {
    v.map_or("-".into(), pct)
}

fn num_opt(v: Option<f64>) -> String {
    v.map_or("-".into(), |x| fixed(x, 2))
}

fn year(y: Option<&super::metrics::YearReturn>) -> String {
    y.map_or("-".into(), |y| {
        format!("{} ({}{})", pct(y.value), y.year, if y.partial { ", part" } else { "" })
    })
}

#[cfg(test)]
mod tests {
    use super::{num_opt, pct};

    #[test]
    fn figures_that_round_to_zero_have_no_sign() {
        // Issue 12 item 10: a return of -0.001% printed as "-0.00%".
        assert_eq!(pct(-0.00001), "0.00%");
        assert_eq!(pct(-0.0), "0.00%");
        assert_eq!(pct(-0.0001), "-0.01%");
        assert_eq!(num_opt(Some(-0.004)), "0.00");
        assert_eq!(num_opt(Some(-0.006)), "-0.01");
    }
}
