//! The backtest: a checked strategy and loaded data → a day-by-day record.
//!
//! Look-ahead is impossible by construction: the [`frame::Frame`] aligns every column to
//! the trading days before the loop, and the loop ([`run`]) evaluates bar `t` from row `t`
//! and the state left by bars before it; indicators are fed one value per bar.

pub mod columns;
mod error;
pub mod frame;
pub mod plan;
pub mod portfolio;
pub mod run;
pub mod schedule;
mod shared;

use chrono::NaiveDate;

pub use error::RunError;
pub use frame::{Frame, date_of, day_of, days_of};
pub use portfolio::Trade;
pub use run::{Counters, Run};
pub use shared::Shared;

use crate::check::{Money, Strategy};
use crate::data::DataSet;
use crate::source::Span;
use crate::syntax::ast::{Action, Amount, Expr, ExprKind, Holding, Rule, Schedule, ScheduleKind};

/// Default starting cash when a strategy names neither `capital` nor `contribute`.
pub const DEFAULT_CAPITAL: f64 = 10_000.0;

/// A finished backtest: the strategy's run, the benchmark's, and what was assumed.
#[derive(Clone, Debug)]
pub struct Backtest {
    pub run: Run,
    pub benchmark: Option<(String, Run)>,
    /// Defaults applied and facts about the data, in words, for the report.
    pub assumptions: Vec<String>,
    pub capital: Money,
}

/// Limits of the period, from the command line (they override the file's `from`/`to`).
#[derive(Clone, Copy, Debug, Default)]
pub struct Period {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

/// Runs a checked strategy (and its benchmark) over the data.
pub fn backtest(
    strategy: &Strategy,
    data: &DataSet,
    period: Period,
    scripts: Option<&std::sync::Arc<crate::script::Scripts>>,
) -> Result<Backtest, RunError> {
    backtest_shared(strategy, data, period, scripts, None, true)
}

/// [`backtest`], reusing (and adding to) what earlier runs of a sweep built: the frame and
/// data columns, each keyed by everything it depends on. Without `benchmark`, the benchmark
/// still sets the calendar (so the strategy's figures do not change) but is not run.
pub fn backtest_shared<'d>(
    strategy: &Strategy,
    data: &'d DataSet,
    period: Period,
    scripts: Option<&std::sync::Arc<crate::script::Scripts>>,
    shared: Option<&Shared<'d>>,
    benchmark: bool,
) -> Result<Backtest, RunError> {
    let from = period.from.or(strategy.from);
    let to = period.to.or(strategy.to);
    let traded = traded_symbols(strategy);
    let mut calendar = traded.clone();
    if let Some((b, _)) = &strategy.benchmark
        && !calendar.contains(b)
    {
        calendar.push(b.clone());
    }
    let names = expression_names(strategy);
    let watched: Vec<String> = names.iter().filter(|n| data.price(n).is_some()).cloned().collect();
    let mut series: Vec<String> = names.iter().filter(|n| data.series(n).is_some()).cloned().collect();
    for extra in strategy
        .currency
        .iter()
        .map(|c| &c.rate_series)
        .chain(strategy.risk_free.iter().map(|(n, _)| n))
    {
        if !series.contains(extra) {
            series.push(extra.clone());
        }
    }
    let from_day = from.map(days_of);
    let to_day = to.map(days_of);
    let rate_series = strategy.currency.as_ref().map(|c| c.rate_series.clone());
    let build = || {
        let frame = Frame::build(data, &calendar, &watched, &series, &strategy.lags, from_day, to_day);
        // With a base currency, the run starts once the exchange rate is known.
        match rate_series.as_ref().and_then(|r| frame.series_index(r)) {
            Some(i) => {
                let start = frame.series[i]
                    .1
                    .iter()
                    .position(|r| !r.is_nan())
                    .unwrap_or(frame.len());
                frame.slice_from(start)
            }
            None => frame,
        }
    };
    let entry = shared.map(|shared| {
        let key = format!(
            "{calendar:?} {watched:?} {series:?} {:?} {from_day:?} {to_day:?} {rate_series:?}",
            strategy.lags
        );
        shared.frame(key, build)
    });
    let owned;
    let frame: &Frame = match &entry {
        Some(e) => &e.frame,
        None => {
            owned = build();
            &owned
        }
    };
    let columns = entry.as_deref().map(|e| &e.columns);
    let first_rule_span = strategy.rules.first().map_or(Span::default(), |r| r.span);
    if frame.is_empty() {
        return Err(RunError::NoTradingDays {
            from: from.map(|d| d.to_string()),
            to: to.map(|d| d.to_string()),
            span: first_rule_span,
        });
    }

    let mut assumptions = Vec::new();
    let capital = match &strategy.capital {
        Some(c) => c.clone(),
        None => {
            let amount = if strategy.contributions.is_empty() {
                assumptions.push(format!(
                    "no `capital` or `contribute` line: assumed a starting capital of {} USD",
                    thousands(DEFAULT_CAPITAL)
                ));
                DEFAULT_CAPITAL
            } else {
                0.0
            };
            Money {
                amount,
                currency: None,
                span: Span::default(),
            }
        }
    };
    if !strategy.fill_given {
        assumptions.push("orders fill at the next trading day's open (default; `fill close` to change)".into());
    }
    if strategy.fee_rate == 0.0 && strategy.fee_per_trade == 0.0 {
        assumptions.push("no trading fees (add e.g. `fees 0.05%`)".into());
    }
    if strategy.slippage == 0.0 {
        assumptions.push("no slippage (add e.g. `slippage 0.02%`)".into());
    }
    let adjusted: Vec<&str> = frame
        .symbols
        .iter()
        .filter(|s| s.adjusted)
        .map(|s| s.name.as_str())
        .collect();
    if !adjusted.is_empty() {
        assumptions.push(format!(
            "prices adjusted for dividends and splits with adj_close (total return): {}",
            adjusted.join(", ")
        ));
    }
    for s in &frame.symbols {
        if let Some(f) = s.first
            && f > 0
            && traded.contains(&s.name)
        {
            assumptions.push(format!(
                "{} has prices only from {}; orders before that are skipped",
                s.name,
                date_of(frame.days[f])
            ));
        }
    }

    let run = run::simulate(strategy, frame, &capital, scripts, columns)?;
    let benchmark = match &strategy.benchmark {
        Some((sym, span)) if benchmark => {
            let mut bench = strategy.clone();
            bench.rules = vec![buy_all_daily(sym, *span)];
            bench.params.clear();
            Some((sym.clone(), run::simulate(&bench, frame, &capital, None, None)?))
        }
        _ => None,
    };
    Ok(Backtest {
        run,
        benchmark,
        assumptions,
        capital,
    })
}

/// The benchmark's only rule: put all cash into it every day (buy and hold, with the
/// strategy's cash flows).
fn buy_all_daily(sym: &str, span: Span) -> Rule {
    Rule {
        action: Action::Buy {
            amount: Some(Amount::All(span)),
            symbol: crate::syntax::ast::Name {
                text: sym.to_string(),
                span,
            },
        },
        schedule: Some(Schedule {
            kind: ScheduleKind::Daily,
            span,
        }),
        guards: Vec::new(),
        span,
    }
}

/// Symbols the rules trade, in order of first mention.
pub fn traded_symbols(strategy: &Strategy) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut add = |s: &str| {
        if !out.iter().any(|x| x == s) {
            out.push(s.to_string());
        }
    };
    for rule in &strategy.rules {
        match &rule.action {
            Action::Buy { symbol, .. } | Action::Sell { symbol, .. } => add(&symbol.text),
            Action::Rebalance { targets, .. } => {
                for t in targets {
                    if let Holding::Symbol(n) = &t.holding {
                        add(&n.text);
                    }
                }
            }
            Action::Rotate { candidates, .. } => candidates.iter().for_each(|c| add(&c.text)),
        }
    }
    out
}

/// Every name read by an expression (conditions, rankings, parameters).
/// The names `e` mentions, added to `out` once each.
fn walk(e: &Expr, out: &mut Vec<String>) {
    match &e.kind {
        ExprKind::Name(n) if !out.contains(&n.text) => out.push(n.text.clone()),
        ExprKind::Call { args, .. } => args.iter().for_each(|a| walk(a, out)),
        ExprKind::Lag { expr, .. } | ExprKind::Unary { expr, .. } | ExprKind::Group(expr) => walk(expr, out),
        ExprKind::Binary { lhs, rhs, .. } => {
            walk(lhs, out);
            walk(rhs, out);
        }
        _ => {}
    }
}

fn expression_names(strategy: &Strategy) -> Vec<String> {
    let mut out = Vec::new();
    for p in &strategy.params {
        walk(&p.value, &mut out);
    }
    for rule in &strategy.rules {
        for g in &rule.guards {
            walk(&g.condition, &mut out);
        }
        if let Action::Rotate { by, .. } = &rule.action {
            walk(by, &mut out);
        }
    }
    out
}

/// `12345.6` → `12,346`
pub fn thousands(v: f64) -> String {
    let s = format!("{:.0}", v.abs());
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if v < 0.0 { format!("-{out}") } else { out }
}

/// Evaluates an expression on every trading day of the data (all symbols' dates, up to
/// `to`), outside any strategy: what the REPL shows for `sma(IWO, 50) @ last`. Portfolio
/// values (`cash`, `position(…)`) are not available here. Returns (days, values).
pub fn evaluate_series(
    expr: &Expr,
    params: &std::collections::HashMap<String, Expr>,
    data: &DataSet,
    to: Option<NaiveDate>,
) -> (Vec<i32>, Vec<f64>) {
    let symbols: Vec<String> = data.prices.iter().map(|p| p.symbol.clone()).collect();
    let mut series: Vec<String> = data.series.iter().map(|s| s.name.clone()).collect();
    // A later meeting's FedWatch series (`fed_cut_prob(meeting 2)`) is in no list: found by name.
    let mut named = Vec::new();
    walk(expr, &mut named);
    params.values().for_each(|e| walk(e, &mut named));
    series.extend(
        named
            .into_iter()
            .filter(|n| data.series(n).is_some() && !data.series.iter().any(|s| &s.name == n)),
    );
    let frame = Frame::build(data, &symbols, &[], &series, &[], None, to.map(days_of));
    let scope = plan::Scope {
        frame: &frame,
        params,
        subject: None,
        bars_per_day: 1.0,
    };
    let mut p = plan::Plan::default();
    let slot = p.compile(expr, &scope);
    let none = vec![0.0; frame.symbols.len()];
    let view = plan::PortfolioView {
        cash: f64::NAN,
        equity: f64::NAN,
        drawdown: f64::NAN,
    };
    let mut values = Vec::with_capacity(frame.len());
    let mut start = 0;
    while start < frame.len() {
        let end = (start + columns::BLOCK).min(frame.len());
        let block = p.fill_block(&frame, start..end, None);
        let block_view = block.view();
        for t in start..end {
            p.step(t, &frame, &none, view, &block_view);
            values.push(block_view.value(slot, t, &p.values));
        }
        start = end;
    }
    (frame.days, values)
}
