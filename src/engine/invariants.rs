//! Invariants every finished run must satisfy, checked from the run's record alone (its
//! flows, fills, equity and invested value per bar) against the frame it ran on:
//!
//! - cash is never negative (rotor has no leverage): `equity − invested ≥ 0` on every bar;
//! - no position is ever negative;
//! - the cash ledger closes: cash = Σ flows − Σ buys (value + fee) + Σ sells (value − fee),
//!   so flows are the only money that enters or leaves;
//! - equity = cash + Σ shares × close on every bar, with shares rebuilt from the fills and
//!   the fund expenses of docs/LANGUAGE.md ("value × ratio × days / 365, taken from the
//!   position"), and the final holdings and cash are the rebuilt ones;
//! - every fill is on a day its symbol has a row, at that row's open or close moved by the
//!   slippage (or, with `delisted sell`, a sale of a holding whose symbol stopped trading,
//!   at its last close).
//!
//! Debug builds check every backtest ([`assert_backtest`], called at the end of
//! `engine::backtest_shared`), so every test that runs the engine exercises them, without
//! tolerance: the faults of issue 12 that once broke them (a fixed fee taking cash below
//! zero, a `fill close` order filled at the close carried over a day without a row) are
//! fixed.
//!
//! Trades carry their date, not their bar: with intraday bars the rebuilt shares and cash
//! are compared at the last bar of each day.

use crate::check::{Delisted, Program};

use super::frame::Frame;
use super::run::Run;
use crate::report::ranked::Ranked;

/// Money differences up to this (USD), plus 1e-9 of the amounts involved, are rounding.
const ROUNDING: f64 = 1e-6;

/// What is broken.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    NegativeCash,
    NegativeShares,
    /// Cash differs from the ledger of flows and fills.
    Ledger,
    /// Equity differs from cash plus holdings at the close.
    Equity,
    /// A fill on a day its symbol has no row, or at a price the row does not have.
    FillWithoutPrice,
    /// Final holdings or cash differ from the rebuilt ones.
    Holdings,
}

/// One broken invariant.
#[derive(Clone, Debug, PartialEq)]
pub struct Violation {
    pub kind: Kind,
    /// Bar index in the run.
    pub bar: usize,
    pub detail: String,
}

/// [`assert_holds`] for a backtest's run and its benchmark's (which has the strategy's
/// costs and fill rule), both from bar `start` of the frame.
pub fn assert_backtest(run: &Run, benchmark: Option<&(String, Run)>, frame: &Frame, start: usize, strategy: &Program) {
    assert_holds(run, frame, start, strategy);
    if let Some((_, bench)) = benchmark {
        assert_holds(bench, frame, start, strategy);
    }
}

/// Panics unless the ranked figures folded in a run's loop (`folded`) are those of the pass
/// over its whole curve (`whole`), to the bit (a figure missing in both, or NaN in both,
/// agrees).
pub fn assert_same_ranked(folded: Ranked, whole: Ranked) {
    let same = |a: Option<f64>, b: Option<f64>| match (a, b) {
        (Some(x), Some(y)) => x.to_bits() == y.to_bits() || (x.is_nan() && y.is_nan()),
        (None, None) => true,
        _ => false,
    };
    let agree = same(Some(folded.final_value), Some(whole.final_value))
        && same(folded.cagr, whole.cagr)
        && same(folded.xirr, whole.xirr)
        && same(folded.sharpe, whole.sharpe)
        && same(Some(folded.max_drawdown), Some(whole.max_drawdown));
    assert!(
        agree,
        "the figures folded in the loop {folded:?} are not the whole curve's {whole:?}"
    );
}

/// Panics, listing them, if a run from bar `start` of the frame breaks an invariant.
pub fn assert_holds(run: &Run, frame: &Frame, start: usize, strategy: &Program) {
    let broken: Vec<String> = check(run, frame, start, strategy)
        .into_iter()
        .map(|v| format!("{:?} on bar {}: {}", v.kind, v.bar, v.detail))
        .collect();
    assert!(broken.is_empty(), "the run breaks invariants:\n{}", broken.join("\n"));
}

/// Every broken invariant of a run whose first bar is bar `start` of the frame (the bars
/// before it are warm-up), in bar order.
pub fn check(run: &Run, frame: &Frame, start: usize, strategy: &Program) -> Vec<Violation> {
    let mut out = Vec::new();
    let n = run.equity.len().min(frame.len().saturating_sub(start));
    let expense: Vec<f64> = frame
        .symbols
        .iter()
        .map(|s| {
            strategy
                .expenses
                .iter()
                .find(|(name, _, _)| name == &s.name)
                .map_or(0.0, |(_, r, _)| *r)
        })
        .collect();
    let mut book = Rebuilt::new(frame.symbols.len());
    let mut next_trade = 0;
    // `t` counts the run's bars, `f` the frame's.
    for t in 0..n {
        let f = start + t;
        if t > 0 {
            book.accrue_expenses(&expense, f64::from(frame.days[f] - frame.days[f - 1]));
        }
        book.credit(run.flows[t]);
        let day_ends = t + 1 == n || frame.days[f + 1] != frame.days[f];
        if !day_ends {
            continue;
        }
        // money: interest credited and tax paid at the day's end (src/money/ledger.rs).
        let moves = run.money.cash_moves.iter().filter(|(d, _)| *d == frame.days[f]);
        book.credit(moves.map(|(_, m)| m).sum());
        while let Some(trade) = run.trades.get(next_trade) {
            if trade_day(&trade.date) != Some(frame.days[f]) {
                break;
            }
            next_trade += 1;
            let Some(s) = frame.symbol_index(&trade.symbol) else {
                out.push(violation(
                    Kind::FillWithoutPrice,
                    t,
                    format!("a fill of unknown {}", trade.symbol),
                ));
                continue;
            };
            out.extend(fill_price_violation(frame, strategy, s, f, trade).map(|v| Violation { bar: t, ..v }));
            book.fill(s, trade);
        }
        out.extend(book.day_end(run, frame, t, f));
    }
    if next_trade < run.trades.len() {
        out.push(violation(
            Kind::FillWithoutPrice,
            n.saturating_sub(1),
            format!("a fill dated {} outside the run's days", run.trades[next_trade].date),
        ));
    }
    out.extend(final_state(run, frame, &book.shares, book.cash, book.scale));
    out
}

/// The account rebuilt from the run's flows and fills alone.
struct Rebuilt {
    /// Shares of each frame symbol.
    shares: Vec<f64>,
    /// Cash, USD.
    cash: f64,
    /// The largest cash balance or fill value so far: what rounding is relative to.
    scale: f64,
}

impl Rebuilt {
    fn new(symbols: usize) -> Rebuilt {
        Rebuilt {
            shares: vec![0.0; symbols],
            cash: 0.0,
            scale: 0.0,
        }
    }

    /// Fund expenses for `days` calendar days, taken from the positions (yearly ratios).
    fn accrue_expenses(&mut self, ratios: &[f64], days: f64) {
        for (q, er) in self.shares.iter_mut().zip(ratios) {
            if *er > 0.0 && *q > 0.0 {
                *q *= 1.0 - er * days / 365.0;
            }
        }
    }

    fn credit(&mut self, flow: f64) {
        self.cash += flow;
        self.scale = self.scale.max(self.cash.abs());
    }

    /// A fill of frame symbol `s`.
    fn fill(&mut self, s: usize, trade: &super::Trade) {
        if trade.side == "buy" {
            self.shares[s] += trade.shares;
            self.cash -= trade.value + trade.fee;
        } else {
            self.shares[s] -= trade.shares;
            self.cash += trade.value - trade.fee;
        }
        self.scale = self.scale.max(trade.value);
        if self.shares[s].abs() < super::portfolio::SHARE_EPSILON {
            self.shares[s] = 0.0;
        }
    }

    /// The run's record at its bar `t` (frame bar `f`), the last of its day, against the
    /// rebuilt account.
    fn day_end(&self, run: &Run, frame: &Frame, t: usize, f: usize) -> Vec<Violation> {
        let mut out = Vec::new();
        let cash = self.cash;
        let tolerance = ROUNDING + 1e-9 * self.scale.max(run.equity[t].abs());
        let recorded_cash = run.equity[t] - run.invested[t];
        if recorded_cash < -tolerance {
            out.push(violation(Kind::NegativeCash, t, format!("cash {recorded_cash}")));
        }
        if (recorded_cash - cash).abs() > tolerance {
            out.push(violation(
                Kind::Ledger,
                t,
                format!("cash {recorded_cash}, ledger {cash}"),
            ));
        }
        let holdings: f64 = self
            .shares
            .iter()
            .enumerate()
            .filter(|(_, q)| **q != 0.0)
            .map(|(s, q)| {
                let p = frame.symbols[s].close[f];
                if p.is_nan() { 0.0 } else { q * p }
            })
            .sum();
        if (run.equity[t] - (cash + holdings)).abs() > tolerance {
            out.push(violation(
                Kind::Equity,
                t,
                format!("equity {}, cash + holdings {}", run.equity[t], cash + holdings),
            ));
        }
        for (s, q) in self.shares.iter().enumerate() {
            if *q < -1e-9 {
                out.push(violation(
                    Kind::NegativeShares,
                    t,
                    format!("{} {q}", frame.symbols[s].name),
                ));
            }
        }
        out
    }
}

fn violation(kind: Kind, bar: usize, detail: String) -> Violation {
    Violation { kind, bar, detail }
}

/// The day number of a trade's date (`YYYY-MM-DD`, optionally followed by a time).
fn trade_day(date: &str) -> Option<i32> {
    let y: i64 = date.get(0..4)?.parse().ok()?;
    let m: u32 = date.get(5..7)?.parse().ok()?;
    let d: u32 = date.get(8..10)?.parse().ok()?;
    i32::try_from(crate::civil::days(y, m, d)).ok()
}

/// A fill must be on a bar of its day where the symbol has a row, at that row's open or
/// close moved by the slippage against the trader.
fn fill_price_violation(
    frame: &Frame,
    strategy: &Program,
    s: usize,
    t: usize,
    trade: &super::Trade,
) -> Option<Violation> {
    let col = &frame.symbols[s];
    let slip = if trade.side == "buy" {
        1.0 + strategy.slippage
    } else {
        1.0 - strategy.slippage
    };
    let near = |p: f64| !p.is_nan() && (p * slip - trade.price).abs() <= 1e-9 * trade.price.abs().max(1.0);
    // The bars of the fill's day: `t` is its last.
    let first = (0..=t)
        .rev()
        .take_while(|&k| frame.days[k] == frame.days[t])
        .last()
        .unwrap_or(t);
    let on_a_row = (first..=t).any(|k| !col.open[k].is_nan() && (near(col.open[k]) || near(col.close[k])));
    // `delisted sell` sells a holding whose symbol stopped trading at its last close, as a
    // trade of no rule, on a day the symbol has no row.
    let delisting = strategy.delisted == Delisted::Sell
        && trade.rule == 0
        && trade.side == "sell"
        && (first..=t).any(|k| col.open[k].is_nan() && near(col.close[k]));
    (!on_a_row && !delisting).then(|| {
        violation(
            Kind::FillWithoutPrice,
            t,
            format!(
                "{} {} {} at {} on {}, not a price of a row that day",
                trade.side, trade.shares, trade.symbol, trade.price, trade.date
            ),
        )
    })
}

/// The run's final holdings and cash against the rebuilt ones.
fn final_state(run: &Run, frame: &Frame, shares: &[f64], cash: f64, scale: f64) -> Vec<Violation> {
    let last = run.equity.len().saturating_sub(1);
    let mut out = Vec::new();
    if (run.cash - cash).abs() > ROUNDING + 1e-9 * scale {
        out.push(violation(
            Kind::Holdings,
            last,
            format!("final cash {}, rebuilt {cash}", run.cash),
        ));
    }
    for (s, q) in shares.iter().enumerate() {
        let name = &frame.symbols[s].name;
        let held = run
            .holdings
            .iter()
            .find(|(h, _, _)| h == name)
            .map_or(0.0, |(_, q, _)| *q);
        if (held - q).abs() > 1e-9 * q.abs().max(1.0) {
            out.push(violation(
                Kind::Holdings,
                last,
                format!("{name}: holds {held}, rebuilt {q}"),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;
    use std::sync::Arc;

    use super::*;
    use crate::check::FillModel;
    use crate::engine::frame::SymbolColumns;
    use crate::engine::{Counters, Frequency, Trade};
    use crate::source::Span;

    /// A program with what the checker reads of it (the fill rule, a fixed fee, an expense
    /// on AAA); rules do not matter here.
    fn strategy(fill: FillModel, fee_per_trade: f64, expense: Option<f64>) -> Program {
        Program {
            fill,
            fee_per_trade,
            expenses: expense
                .map(|r| ("AAA".into(), r, Span::default()))
                .into_iter()
                .collect(),
            ..Program::default()
        }
    }

    /// `buy AAA` with the defaults: orders fill at the next open, no costs.
    fn buy_aaa() -> Program {
        strategy(FillModel::NextOpen, 0.0, None)
    }

    /// Days 0, 1, 2; AAA opens/closes at 10/10, 11/12, (no row: close carried 12).
    fn frame() -> Frame<'static> {
        let nan = f64::NAN;
        let col = |v: Vec<f64>| Cow::Owned(v);
        Frame {
            ts: Arc::new(vec![0, 86_400, 172_800]),
            days: Arc::new(vec![0, 1, 2]),
            resolution: crate::data::Resolution::Day,
            symbols: vec![SymbolColumns {
                name: "AAA".into(),
                open: col(vec![10.0, 11.0, nan]),
                high: col(vec![10.0, 12.0, nan]),
                low: col(vec![10.0, 11.0, nan]),
                close: col(vec![10.0, 12.0, 12.0]),
                volume: col(vec![nan; 3]),
                first: Some(0),
                adjusted: false,
                dividend: None,
                close_only: false,
            }],
            series: Vec::new(),
            observed: Vec::new(),
            previous: Vec::new(),
            no_rate: Vec::new(),
            rateless_dividends: Vec::new(),
        }
    }

    fn trade(day: i32, side: &'static str, shares: f64, price: f64, fee: f64) -> Trade {
        Trade {
            date: crate::civil::iso(day).into(),
            symbol: "AAA".into(),
            side,
            shares,
            price,
            value: shares * price,
            fee,
            rule: 1,
            exit: None,
        }
    }

    /// A run with 100 USD on day 0 and the given fills, its equity and invested value
    /// worked out from them.
    fn run(trades: Vec<Trade>, equity: [f64; 3], invested: [f64; 3], cash: f64, held: f64) -> Run {
        Run {
            days: Arc::new(vec![0, 1, 2]),
            ts: Arc::new(vec![0, 86_400, 172_800]),
            resolution: crate::data::Resolution::Day,
            equity: Arc::new(equity.to_vec()),
            flows: Arc::new(crate::engine::Flows::from([100.0, 0.0, 0.0])),
            closing: Arc::new(Vec::new()),
            invested: Arc::new(invested.to_vec()),
            trades: Arc::new(trades),
            listed: Vec::new(),
            counters: Counters::default(),
            fees_paid: 0.0,
            slippage_paid: 0.0,
            expense_drag: 0.0,
            traded_value: 0.0,
            base: None,
            risk_free: None,
            holdings: if held > 0.0 {
                vec![("AAA".into(), held, held * 12.0)]
            } else {
                Vec::new()
            },
            cash,
            delisted: Vec::new(),
            frequency: Frequency::of(&[0, 1, 2], None),
            detail: None,
            found: Vec::new(),
            money: Default::default(),
            sleeves: Vec::new(),
            ranked: None,
        }
    }

    fn kinds(v: &[Violation]) -> Vec<Kind> {
        v.iter().map(|v| v.kind).collect()
    }

    #[test]
    fn a_consistent_run_keeps_every_invariant() {
        // 100 USD buys 9 shares at the day-1 open of 11 (99 USD), 1 USD stays in cash:
        // equity 100, 1 + 9 × 12 = 109, 109 (day 2 carries the close of 12).
        let s = buy_aaa();
        let r = run(
            vec![trade(1, "buy", 9.0, 11.0, 0.0)],
            [100.0, 109.0, 109.0],
            [0.0, 108.0, 108.0],
            1.0,
            9.0,
        );
        assert_eq!(check(&r, &frame(), 0, &s), []);
    }

    #[test]
    fn equity_that_does_not_match_the_fills_is_reported() {
        // Equity 110 on day 1 where cash 1 + 9 × 12 = 109.
        let s = buy_aaa();
        let r = run(
            vec![trade(1, "buy", 9.0, 11.0, 0.0)],
            [100.0, 110.0, 109.0],
            [0.0, 108.0, 108.0],
            1.0,
            9.0,
        );
        assert_eq!(kinds(&check(&r, &frame(), 0, &s)), [Kind::Ledger, Kind::Equity]);
    }

    #[test]
    fn negative_cash_is_reported_even_after_a_fee_that_ate_its_fill() {
        // A 100 USD buy of 10 shares at 11 (110 USD) overdraws cash to -10.
        let s = buy_aaa();
        let r = run(
            vec![trade(1, "buy", 10.0, 11.0, 0.0)],
            [100.0, 110.0, 110.0],
            [0.0, 120.0, 120.0],
            -10.0,
            10.0,
        );
        let found = check(&r, &frame(), 0, &s);
        assert_eq!(kinds(&found)[..2], [Kind::NegativeCash, Kind::NegativeCash]);
        // Issue 12 item 3: 1 USD fee on a sell worth 0.50 after a buy of all the cash.
        let s = strategy(FillModel::NextOpen, 1.0, None);
        let trades = vec![trade(1, "buy", 9.0, 11.0, 1.0), trade(1, "sell", 0.25 / 6.0, 12.0, 1.0)];
        let cash = -0.5;
        let held = 9.0 - 0.25 / 6.0;
        let r = run(
            trades,
            [100.0, cash + held * 12.0, cash + held * 12.0],
            [0.0, held * 12.0, held * 12.0],
            cash,
            held,
        );
        // Both fills are at prices of the day-1 row (open 11, close 12): only cash breaks.
        let found = check(&r, &frame(), 0, &s);
        assert_eq!(kinds(&found), [Kind::NegativeCash, Kind::NegativeCash]);
    }

    #[test]
    fn a_fill_on_a_day_without_a_row_is_reported_in_both_fill_modes() {
        // Day 2 has no AAA row; the close of 12 is carried there.
        let buy_on_day_2 = || {
            run(
                vec![trade(2, "buy", 8.0, 12.0, 0.0)],
                [100.0, 100.0, 100.0],
                [0.0, 0.0, 96.0],
                4.0,
                8.0,
            )
        };
        let close = check(&buy_on_day_2(), &frame(), 0, &strategy(FillModel::Close, 0.0, None));
        assert_eq!(kinds(&close), [Kind::FillWithoutPrice]);
        let open = check(&buy_on_day_2(), &frame(), 0, &buy_aaa());
        assert_eq!(kinds(&open), [Kind::FillWithoutPrice]);
    }

    #[test]
    fn a_fill_at_a_price_the_row_does_not_have_is_reported() {
        // Day 1 trades between 11 and 12; a fill at 11.5 is at neither the open nor the close.
        let s = buy_aaa();
        let r = run(
            vec![trade(1, "buy", 8.0, 11.5, 0.0)],
            [100.0, 104.0, 104.0],
            [0.0, 96.0, 96.0],
            8.0,
            8.0,
        );
        assert_eq!(kinds(&check(&r, &frame(), 0, &s)), [Kind::FillWithoutPrice]);
    }

    #[test]
    fn expenses_are_taken_from_the_position_in_the_rebuilt_shares() {
        // 10 shares bought on day 0 at the close of 10 (100 USD), fill close; expense 18.25%
        // a year takes 0.05% a day: 9.995 shares on day 1, 9.995 × 0.9995 on day 2.
        let s = strategy(FillModel::Close, 0.0, Some(0.1825));
        let held = 9.995 * 0.9995;
        let mut r = run(
            vec![trade(0, "buy", 10.0, 10.0, 0.0)],
            [100.0, 9.995 * 12.0, held * 12.0],
            [100.0, 9.995 * 12.0, held * 12.0],
            0.0,
            held,
        );
        assert_eq!(check(&r, &frame(), 0, &s), []);
        Arc::make_mut(&mut r.equity)[2] = 10.0 * 12.0;
        Arc::make_mut(&mut r.invested)[2] = 10.0 * 12.0;
        assert_eq!(kinds(&check(&r, &frame(), 0, &s)), [Kind::Equity]);
    }
}
