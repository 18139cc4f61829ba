//! The engine's action code: what a rule does when it fires. A rule's action is compiled
//! against the frame ([`Act`]); when the rule fires, it places an [`Order`]; the order fills
//! at the next open or at the close ([`Engine::execute`]).

use super::compile::Scope;
use super::counters::Counters;
use super::frame::Frame;
use super::plan::Plan;
use super::portfolio::{FillOutcome, Portfolio, Trade};
use crate::check::{Action, FractionBase, Money, Size};

#[derive(Clone, Debug)]
pub(super) enum OrderKind {
    Buy(usize, Size),
    Sell(usize, Size),
    /// Target weights of the portfolio value; `sell_others` sells holdings not listed.
    Target {
        weights: Vec<(usize, f64)>,
        sell_others: bool,
    },
}

#[derive(Clone, Debug)]
pub(super) struct Order {
    rule: usize,
    kind: OrderKind,
}

#[derive(Clone, Debug)]
pub(super) enum Act {
    Trade {
        buy: bool,
        sym: usize,
        size: Size,
    },
    Rebalance {
        targets: Vec<(usize, f64)>,
        tolerance: f64,
    },
    Rotate {
        top: bool,
        n: usize,
        candidates: Vec<(usize, usize)>,
    },
}

pub(super) fn compile_action(action: &Action, plan: &mut Plan, scope: &Scope) -> Act {
    let sym = |name: &str| scope.frame.symbol_index(name).expect("traded symbols are in the frame");
    match action {
        Action::Trade { buy, symbol, size } => Act::Trade {
            buy: *buy,
            sym: sym(symbol),
            size: *size,
        },
        Action::Rebalance { targets, tolerance } => Act::Rebalance {
            targets: targets.iter().map(|(s, w)| (sym(s), *w)).collect(),
            tolerance: *tolerance,
        },
        Action::Rotate { top, n, candidates, by } => {
            let candidates = candidates
                .iter()
                .map(|c| {
                    let sub = Scope {
                        subject: Some(c),
                        ..*scope
                    };
                    (sym(c), plan.compile(by, &sub))
                })
                .collect();
            Act::Rotate {
                top: *top,
                n: *n,
                candidates,
            }
        }
    }
}

pub(super) struct Engine<'f> {
    pub(super) frame: &'f Frame<'f>,
    pub(super) pf: Portfolio,
    pub(super) trades: Vec<Trade>,
    pub(super) counters: Counters,
    pub(super) rate: Option<&'f [f64]>,
}

impl Engine<'_> {
    pub(super) fn to_usd(&self, m: &Money, t: usize) -> Option<f64> {
        if m.is_usd() {
            return Some(m.amount);
        }
        let r = self.rate?[t];
        (r > 0.0).then(|| m.amount / r)
    }

    /// An amount in USD, or in the base currency converted at the day's rate.
    fn usd(&self, amount: f64, base: bool, t: usize) -> f64 {
        if base {
            self.rate.map_or(f64::NAN, |r| amount / r[t])
        } else {
            amount
        }
    }

    fn listed(&self, sym: usize, t: usize) -> bool {
        self.frame.symbols[sym].first.is_some_and(|f| f <= t)
    }

    /// Turns the action of rule number `rule` (1-based), which fired at bar `t`, into an order,
    /// or nothing. `value` reads a slot at `t`; `equity` is the portfolio at the close.
    pub(super) fn decide(
        &mut self,
        rule: usize,
        act: &Act,
        value: &dyn Fn(usize) -> f64,
        t: usize,
        equity: f64,
    ) -> Option<Order> {
        let kind = match act {
            Act::Trade { buy, sym, size } => {
                if !self.listed(*sym, t) {
                    self.counters.skipped_not_listed += 1;
                    return None;
                }
                if *buy {
                    OrderKind::Buy(*sym, *size)
                } else {
                    OrderKind::Sell(*sym, *size)
                }
            }
            Act::Rebalance { targets, tolerance } => {
                if targets.iter().any(|(s, _)| !self.listed(*s, t)) {
                    self.counters.skipped_not_listed += 1;
                    return None;
                }
                if *tolerance > 0.0 && equity > 0.0 {
                    let weight = |s: usize| self.pf.shares[s] * self.frame.symbols[s].close[t] / equity;
                    let drift = targets
                        .iter()
                        .map(|(s, w)| (weight(*s) - w).abs())
                        .chain(
                            (0..self.pf.shares.len())
                                .filter(|s| self.pf.shares[*s] != 0.0 && !targets.iter().any(|(x, _)| x == s))
                                .map(weight),
                        )
                        .fold(0.0, f64::max);
                    if drift <= *tolerance {
                        return None;
                    }
                }
                OrderKind::Target {
                    weights: targets.clone(),
                    sell_others: true,
                }
            }
            Act::Rotate { top, n, candidates } => {
                let mut ranked: Vec<(usize, f64, usize)> = candidates
                    .iter()
                    .enumerate()
                    .filter(|(_, (s, _))| self.listed(*s, t))
                    .map(|(i, (s, slot))| (*s, value(*slot), i))
                    .filter(|(_, v, _)| !v.is_nan())
                    .collect();
                if ranked.is_empty() {
                    return None;
                }
                // Best first; ties keep the order the candidates were listed in.
                ranked.sort_by(|a, b| {
                    let ord = if *top { b.1.total_cmp(&a.1) } else { a.1.total_cmp(&b.1) };
                    ord.then(a.2.cmp(&b.2))
                });
                let chosen: Vec<usize> = ranked.iter().take(*n).map(|r| r.0).collect();
                let w = 1.0 / *n as f64;
                let weights = candidates
                    .iter()
                    .map(|(s, _)| (*s, if chosen.contains(s) { w } else { 0.0 }))
                    .collect();
                OrderKind::Target {
                    weights,
                    sell_others: false,
                }
            }
        };
        Some(Order { rule, kind })
    }

    /// Fills an order at today's open (or close). Returns false if it must wait: the
    /// symbol has no price today.
    pub(super) fn execute(&mut self, order: &Order, t: usize, at_open: bool) -> bool {
        let frame = self.frame;
        let price = |s: usize| {
            let c = &frame.symbols[s];
            if at_open { c.open[t] } else { c.close[t] }
        };
        match &order.kind {
            OrderKind::Buy(s, size) | OrderKind::Sell(s, size) => {
                let p = price(*s);
                if p.is_nan() {
                    return false;
                }
                let buy = matches!(order.kind, OrderKind::Buy(..));
                // Only sizes in a fraction of the portfolio need its value.
                let equity = || self.pf.value(|x| mark(frame, x, t, at_open));
                let outcome = if buy {
                    match *size {
                        Size::All => self.pf.buy_value(*s, self.pf.cash, p),
                        Size::Money { amount, base } => self.pf.buy_value(*s, self.usd(amount, base, t), p),
                        Size::Shares(q) => self.pf.buy_shares(*s, q, p),
                        Size::Fraction(f, FractionBase::Cash) => self.pf.buy_value(*s, f * self.pf.cash, p),
                        Size::Fraction(f, FractionBase::Equity) => {
                            let value = f * equity();
                            self.pf.buy_value(*s, value, p)
                        }
                        Size::Fraction(f, FractionBase::Position) => self.pf.buy_shares(*s, f * self.pf.shares[*s], p),
                    }
                } else {
                    let held = self.pf.shares[*s];
                    let q = match *size {
                        Size::All => held,
                        Size::Money { amount, base } => self.usd(amount, base, t) / p,
                        Size::Shares(q) => q,
                        Size::Fraction(f, FractionBase::Position) => f * held,
                        Size::Fraction(f, FractionBase::Equity) => f * equity() / p,
                        Size::Fraction(f, FractionBase::Cash) => f * self.pf.cash / p,
                    };
                    self.pf.sell_shares(*s, q, p)
                };
                self.record(order.rule, *s, buy, outcome, t, false);
            }
            OrderKind::Target { weights, sell_others } => {
                let equity = self.pf.value(|x| mark(frame, x, t, at_open));
                let mut legs: Vec<(usize, f64)> = weights.clone();
                if *sell_others {
                    for s in 0..self.pf.shares.len() {
                        if self.pf.shares[s] != 0.0 && !legs.iter().any(|(x, _)| *x == s) {
                            legs.push((s, 0.0));
                        }
                    }
                }
                // Sells first, so their cash pays for the buys.
                for (s, w) in &legs {
                    let p = price(*s);
                    if p.is_nan() {
                        continue;
                    }
                    let excess = self.pf.shares[*s] - w * equity / p;
                    if excess > 0.0 {
                        let outcome = self.pf.sell_shares(*s, excess, p);
                        self.record(order.rule, *s, false, outcome, t, true);
                    }
                }
                for (s, w) in &legs {
                    let p = price(*s);
                    if p.is_nan() {
                        continue;
                    }
                    let short = w * equity - self.pf.shares[*s] * p;
                    if short > 0.0 {
                        let outcome = self.pf.buy_value(*s, short, p);
                        self.record(order.rule, *s, true, outcome, t, true);
                    }
                }
            }
        }
        true
    }

    /// Counts an order's fill (a leg's, with `leg`) and writes it down. A leg that comes to
    /// nothing is a weight already at its target (within a cent), not an empty order.
    fn record(&mut self, rule: usize, s: usize, buy: bool, outcome: FillOutcome, t: usize, leg: bool) {
        let (shares, price) = match outcome {
            FillOutcome::Nothing => {
                if !leg {
                    self.counters.empty_orders += 1;
                }
                return;
            }
            FillOutcome::FeeExceedsValue => {
                self.counters.fee_exceeds_value += 1;
                return;
            }
            FillOutcome::Shrunk { shares, price } => {
                if !leg {
                    self.counters.shrunk_orders += 1;
                }
                (shares, price)
            }
            FillOutcome::Filled { shares, price } => (shares, price),
        };
        self.counters.trades += 1;
        let value = shares * price;
        self.trades.push(Trade {
            date: crate::civil::iso(self.frame.days[t]),
            symbol: self.frame.symbols[s].name.clone(),
            side: if buy { "buy" } else { "sell" },
            shares,
            price,
            value,
            fee: self.pf.fee(value),
            rule,
        });
    }
}

/// A symbol's mark for valuing the portfolio at a fill: the fill price if it trades now,
/// else its last close.
fn mark(frame: &Frame, s: usize, t: usize, at_open: bool) -> f64 {
    let c = &frame.symbols[s];
    let p = if at_open { c.open[t] } else { c.close[t] };
    if p.is_nan() {
        if t > 0 { c.close[t - 1] } else { f64::NAN }
    } else {
        p
    }
}
