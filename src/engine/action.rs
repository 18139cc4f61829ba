//! The engine's action code: what a rule does when it fires. A rule's action is compiled
//! against the frame ([`Act`]); when the rule fires, it places an [`Order`]
//! ([`Engine::decide`]); the order fills at the next open or at the close
//! ([`Engine::execute`], in `fill.rs`).

use super::compile::Scope;
use super::counters::Counters;
use super::frame::Frame;
use super::plan::Plan;
use super::portfolio::{Filled, Portfolio};
use super::position::Positions;
use crate::check::{Action, ExitKind, Money, Size};

#[derive(Clone, Debug)]
pub(super) enum OrderKind {
    Buy(usize, Size),
    Sell(usize, Size),
    /// Target weights of the portfolio value; `sell_others` sells holdings not listed.
    Target {
        weights: Vec<(usize, f64)>,
        sell_others: bool,
    },
    /// One leg of a target order whose symbol had no row when the other legs filled: the
    /// symbol traded to this weight of the portfolio value when it has a row again.
    Leg(usize, f64),
    /// The benchmark's buy: all the cash there was when it was decided.
    Invest(usize),
    /// A stop loss, take profit or trailing stop: the whole position sold.
    Exit(usize, ExitKind),
}

#[derive(Clone, Debug)]
pub(super) struct Order {
    pub(super) rule: usize,
    pub(super) kind: OrderKind,
    /// The bar it was decided on: a cooldown counts from it once the order traded. An
    /// order first tries to fill on this bar (`fill close`) or the next (at its open); on
    /// a later bar, it has waited for a row of its symbol.
    pub(super) decided: usize,
}

#[derive(Clone, Debug)]
pub(super) enum Act {
    Trade {
        buy: bool,
        sym: usize,
        size: Size,
        /// The slot of a computed amount, whose value at the decision goes into `size`.
        computed: Option<usize>,
    },
    Rebalance {
        targets: Vec<(usize, f64)>,
        tolerance: f64,
    },
    /// `rebalance … weighted by EXPR`: each symbol and the slot of its weight.
    Weighted {
        targets: Vec<(usize, usize)>,
        tolerance: f64,
    },
    Rotate {
        top: bool,
        n: usize,
        candidates: Vec<(usize, usize)>,
    },
    /// `hold … if … else …`: the condition's slot and each side's target weights.
    Hold {
        condition: usize,
        then: Vec<(usize, f64)>,
        otherwise: Vec<(usize, f64)>,
        tolerance: f64,
    },
    /// The benchmark's only rule, on every bar: invest all cash in the symbol. Its order
    /// spends the cash there was at the decision — with `fill next open`, not the cash
    /// credited the morning it fills — so each cash flow is invested at the first fill any
    /// rule could make after it arrives, which makes "buy SYM with every contribution" and
    /// `benchmark SYM` the same plan (issue 12 item 4).
    Invest(usize),
}

pub(super) fn compile_action(action: &Action, plan: &mut Plan, scope: &Scope) -> Act {
    let sym = |name: &str| scope.frame.symbol_index(name).expect("traded symbols are in the frame");
    match action {
        Action::Trade {
            buy,
            symbol,
            size,
            computed,
        } => Act::Trade {
            buy: *buy,
            sym: sym(symbol),
            size: *size,
            computed: computed.as_ref().map(|term| plan.compile(term, scope)),
        },
        Action::Weighted { symbols, by, tolerance } => Act::Weighted {
            targets: symbols
                .iter()
                .map(|s| {
                    let sub = Scope {
                        subject: Some(s),
                        ..*scope
                    };
                    (sym(s), plan.compile(by, &sub))
                })
                .collect(),
            tolerance: *tolerance,
        },
        Action::Rebalance { targets, tolerance } => Act::Rebalance {
            targets: targets.iter().map(|(s, w)| (sym(s), *w)).collect(),
            tolerance: *tolerance,
        },
        Action::Hold {
            condition,
            then,
            otherwise,
            tolerance,
        } => {
            let side = |targets: &[(String, f64)]| targets.iter().map(|(s, w)| (sym(s), *w)).collect();
            Act::Hold {
                condition: plan.compile(condition, scope),
                then: side(then),
                otherwise: side(otherwise),
                tolerance: *tolerance,
            }
        }
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
    /// The fills so far, written down by index ([`Filled::trade`] formats them).
    pub(super) trades: Vec<Filled>,
    pub(super) counters: Counters,
    pub(super) rate: Option<&'f [f64]>,
    /// Cash credited on the current bar (the capital, contributions), USD.
    pub(super) arrived: f64,
    /// Entry prices, opening and closing dates of the positions, from the fills.
    pub(super) positions: Positions,
    /// For each rule (by its 1-based number), the bar on which its last order that traded
    /// was decided: where its cooldown counts from.
    pub(super) last_traded: Vec<Option<usize>>,
    /// The decision bar of the order being filled (see [`Order::decided`]).
    pub(super) filling: usize,
    /// Whether the order being filled waited for a price (see [`Order::decided`]): if it
    /// comes to nothing, it is counted in [`super::Counters::empty_after_waiting`].
    pub(super) filling_waited: bool,
    /// money: every fill is booked into lots as it is made (engine/ledger.rs), so a tax
    /// withheld at a sale leaves cash before the next leg spends it.
    pub(super) ledger: crate::money::Ledger,
    /// Whether fills are booked into the ledger's lots: not in a run that shows only its
    /// ranked figures and has no tax rule, where lots change no cash ([`super::run::Aids::fold`]).
    pub(super) book_lots: bool,
    /// Whether fund expenses shrink holdings (the lots then follow the engine's shares).
    pub(super) expenses: bool,
    /// Each sleeve's cash and shares, when the program has sleeves (engine/sleeves.rs).
    pub(super) sleeves: Option<Box<super::sleeves::Sleeves>>,
}

/// A symbol has a current price when it has a row on one of this many trading days up to
/// the decision (a trading week): a holiday of its own exchange keeps it current, a file
/// that has ended does not stay current for more than a week.
pub const CURRENT_DAYS: usize = 5;

impl Engine<'_> {
    pub(super) fn to_usd(&self, m: &Money, t: usize) -> Option<f64> {
        if m.is_usd() {
            return Some(m.amount);
        }
        let r = self.rate?[t];
        (r > 0.0).then(|| m.amount / r)
    }

    /// An amount in USD, or in the base currency converted at the day's rate.
    pub(super) fn usd(&self, amount: f64, base: bool, t: usize) -> f64 {
        if base {
            self.rate.map_or(f64::NAN, |r| amount / r[t])
        } else {
            amount
        }
    }

    pub(super) fn listed(&self, sym: usize, t: usize) -> bool {
        self.frame.symbols[sym].first.is_some_and(|f| f <= t)
    }

    /// Whether `sym` has a row on one of the [`CURRENT_DAYS`] trading days up to bar `t`
    /// (with intraday bars, any bar of those days).
    pub(super) fn current(&self, sym: usize, t: usize) -> bool {
        let (days, open) = (&self.frame.days, &self.frame.symbols[sym].open);
        let mut seen = 0;
        for k in (0..=t).rev() {
            if k == t || days[k] != days[k + 1] {
                seen += 1;
                if seen > CURRENT_DAYS {
                    return false;
                }
            }
            // A row always has an open (the close where the file has none).
            if !open[k].is_nan() {
                return true;
            }
        }
        false
    }

    /// Turns the action of rule number `rule` (1-based), which fired at bar `t`, into an order,
    /// or nothing. `value` reads a slot at `t`.
    pub(super) fn decide_here(
        &mut self,
        rule: usize,
        act: &Act,
        value: &dyn Fn(usize) -> f64,
        t: usize,
    ) -> Option<Order> {
        let kind = match act {
            Act::Trade {
                buy,
                sym,
                size,
                computed,
            } => {
                if !self.listed(*sym, t) {
                    self.counters.skipped_not_listed += 1;
                    return None;
                }
                let size = match computed {
                    Some(slot) => self.computed_size(*size, value(*slot))?,
                    None => *size,
                };
                if *buy {
                    OrderKind::Buy(*sym, size)
                } else {
                    OrderKind::Sell(*sym, size)
                }
            }
            Act::Weighted { targets, tolerance } => {
                let weights = self.weights(targets, value, t)?;
                if *tolerance > 0.0 && self.drift(&weights, t) <= *tolerance {
                    return None;
                }
                OrderKind::Target {
                    weights,
                    sell_others: true,
                }
            }
            Act::Rebalance { targets, tolerance } => self.rebalance(targets, *tolerance, t)?,
            Act::Hold {
                condition,
                then,
                otherwise,
                tolerance,
            } => {
                // Not available: neither side is known to be meant, so nothing is traded.
                let c = value(*condition);
                if c.is_nan() {
                    self.counters.guards_not_available += 1;
                    return None;
                }
                let side = if c != 0.0 { then } else { otherwise };
                self.rebalance(side, *tolerance, t)?
            }
            Act::Rotate { top, n, candidates } => self.rotation(*top, *n, candidates, value, t)?,
            Act::Invest(sym) => {
                if !self.listed(*sym, t) {
                    self.counters.skipped_not_listed += 1;
                    return None;
                }
                OrderKind::Invest(*sym)
            }
        };
        Some(Order { rule, kind, decided: t })
    }

    /// A rebalance's order (also a `hold`'s, to the side its condition picks): nothing when a
    /// target is not listed yet, or when no weight has drifted beyond the tolerance.
    fn rebalance(&mut self, targets: &[(usize, f64)], tolerance: f64, t: usize) -> Option<OrderKind> {
        if targets.iter().any(|(s, _)| !self.listed(*s, t)) {
            self.counters.skipped_not_listed += 1;
            return None;
        }
        if tolerance > 0.0 && self.drift(targets, t) <= tolerance {
            return None;
        }
        Some(OrderKind::Target {
            weights: targets.to_vec(),
            sell_others: true,
        })
    }

    /// How far the portfolio, as it stands at the close of bar `t` (after earlier rules'
    /// `fill close` fills), is from a rebalance's targets: the largest difference between a
    /// weight and its target, among the targets, other holdings (target 0) and cash (target
    /// what the weights leave over, so new cash beyond it is drift too: issue 12 item 18).
    /// A portfolio worth nothing has no weights: the tolerance does not hold the order back
    /// (it is placed, as without a tolerance, and sized at its fill).
    fn drift(&self, targets: &[(usize, f64)], t: usize) -> f64 {
        let frame = self.frame;
        let equity = self.pf.value(|s| frame.symbols[s].close[t]);
        if equity <= 0.0 {
            return f64::INFINITY;
        }
        let weight = |s: usize| self.pf.shares[s] * frame.symbols[s].close[t] / equity;
        let cash_target = 1.0 - targets.iter().map(|(_, w)| w).sum::<f64>();
        let others = (0..self.pf.shares.len())
            .filter(|s| self.pf.shares[*s] != 0.0 && !targets.iter().any(|(x, _)| x == s))
            .map(weight);
        targets
            .iter()
            .map(|(s, w)| (weight(*s) - w).abs())
            .chain(others)
            .chain(std::iter::once((self.pf.cash / equity - cash_target).abs()))
            .fold(0.0, f64::max)
    }

    /// A rotation's order: the best `n` candidates by their value in `value`, each 1/n of
    /// the portfolio, the others sold. A candidate without a current price ([`Self::current`])
    /// or whose value is not available is not ranked; nothing is traded when none is.
    fn rotation(
        &mut self,
        top: bool,
        n: usize,
        candidates: &[(usize, usize)],
        value: &dyn Fn(usize) -> f64,
        t: usize,
    ) -> Option<OrderKind> {
        let mut ranked: Vec<(usize, f64, usize)> = Vec::with_capacity(candidates.len());
        for (i, (s, slot)) in candidates.iter().enumerate() {
            if !self.listed(*s, t) {
                continue;
            }
            if !self.current(*s, t) {
                self.counters.not_ranked_no_price += 1;
                continue;
            }
            let v = value(*slot);
            if !v.is_nan() {
                ranked.push((*s, v, i));
            }
        }
        if ranked.is_empty() {
            return None;
        }
        // Best first; ties keep the order the candidates were listed in.
        ranked.sort_by(|a, b| {
            let ord = if top { b.1.total_cmp(&a.1) } else { a.1.total_cmp(&b.1) };
            ord.then(a.2.cmp(&b.2))
        });
        let chosen: Vec<usize> = ranked.iter().take(n).map(|r| r.0).collect();
        let w = 1.0 / n as f64;
        let weights = candidates
            .iter()
            .map(|(s, _)| (*s, if chosen.contains(s) { w } else { 0.0 }))
            .collect();
        Some(OrderKind::Target {
            weights,
            sell_others: false,
        })
    }
}
