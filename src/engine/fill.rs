//! How an order fills: at the open or the close of a bar on which its symbol has a row.
//! A symbol without a row has no price that day, so its order (or a target order's leg)
//! waits for its next row, in both fill modes (issue 12 item 5): nothing fills at a price
//! that never traded, and nothing is dropped.

use super::action::{Engine, Order, OrderKind};
use super::frame::Frame;
use super::portfolio::{FillOutcome, Filled, MIN_ORDER_USD};
use crate::check::{FractionBase, Size};

impl Engine<'_> {
    /// Fills an order at bar `t`'s open (or close). What must wait for a row — the whole
    /// order, or the legs of a target order whose symbols have none — goes to `waiting`,
    /// in order.
    pub(super) fn execute_here(&mut self, order: Order, t: usize, at_open: bool, waiting: &mut Vec<Order>) {
        let (rule, decided) = (order.rule, order.decided);
        self.filling = decided;
        // Its first try is on the bar it was decided on, or the next one's open.
        let first_try = t == decided + usize::from(at_open);
        self.filling_waited = !first_try;
        match order.kind {
            OrderKind::Buy(s, size) | OrderKind::Sell(s, size) => {
                let Some(p) = price(self.frame, s, t, at_open) else {
                    return self.wait(order, first_try, waiting);
                };
                let buy = matches!(order.kind, OrderKind::Buy(..));
                let outcome = if buy {
                    self.buy(s, size, p, t, at_open)
                } else {
                    self.sell(s, size, p, t, at_open)
                };
                self.record(rule, s, buy, outcome, t, false);
            }
            OrderKind::Target {
                weights: mut legs,
                sell_others,
            } => {
                if sell_others {
                    for s in 0..self.pf.shares.len() {
                        if self.pf.shares[s] != 0.0 && !legs.iter().any(|(x, _)| *x == s) {
                            legs.push((s, 0.0));
                        }
                    }
                }
                let (trades, fees) = (self.trades.len(), self.counters.fee_exceeds_value);
                let (now, later): (Vec<_>, Vec<_>) = legs
                    .into_iter()
                    .partition(|(s, _)| price(self.frame, *s, t, at_open).is_some());
                self.trade_to(rule, &now, t, at_open);
                let left = later.len();
                self.counters.waited_for_price += left;
                waiting.extend(later.into_iter().map(|(s, w)| Order {
                    rule,
                    kind: OrderKind::Leg(s, w),
                    decided,
                }));
                let nothing = self.trades.len() == trades && self.counters.fee_exceeds_value == fees;
                if nothing && left == 0 {
                    self.counters.empty_orders += 1;
                }
            }
            OrderKind::Invest(s) => {
                let Some(p) = price(self.frame, s, t, at_open) else {
                    return self.wait(order, first_try, waiting);
                };
                // At the open, this morning's cash flows arrived after the decision.
                let budget = if at_open {
                    self.pf.cash - self.arrived
                } else {
                    self.pf.cash
                };
                let outcome = self.pf.buy_value(s, budget, p);
                self.record(rule, s, true, outcome, t, false);
            }
            OrderKind::Exit(s, exit) => {
                let Some(p) = price(self.frame, s, t, at_open) else {
                    return self.wait(order, first_try, waiting);
                };
                let outcome = self.sell(s, Size::All, p, t, at_open);
                let before = self.trades.len();
                self.record(rule, s, false, outcome, t, false);
                if let Some(trade) = self.trades.get_mut(before) {
                    trade.exit = Some(exit);
                    self.counters.count_exit(exit);
                }
                if let Some(open) = &mut self.positions.open[s] {
                    open.exiting = false;
                }
            }
            OrderKind::Leg(s, w) => {
                if price(self.frame, s, t, at_open).is_none() {
                    return self.wait(order, first_try, waiting);
                }
                self.trade_to(rule, &[(s, w)], t, at_open);
            }
        }
    }

    /// Puts `order`, whose symbol has no price now, to wait for its next row: counted on
    /// its `first_try` (a rebalance's legs are counted when they are split off it).
    fn wait(&mut self, order: Order, first_try: bool, waiting: &mut Vec<Order>) {
        if first_try && !matches!(order.kind, OrderKind::Leg(..)) {
            self.counters.waited_for_price += 1;
        }
        waiting.push(order);
    }

    /// A buy of `size` of `s` at `p`, resolved now: with the cash and prices of this moment.
    fn buy(&mut self, s: usize, size: Size, p: f64, t: usize, at_open: bool) -> FillOutcome {
        match size {
            Size::All => self.pf.buy_value(s, self.pf.cash, p),
            Size::Money { amount, base } => self.pf.buy_value(s, self.usd(amount, base, t), p),
            Size::Shares(q) => self.pf.buy_shares(s, q, p),
            Size::Fraction(f, FractionBase::Cash) => self.pf.buy_value(s, f * self.pf.cash, p),
            Size::Fraction(f, FractionBase::Equity) => {
                let value = f * self.marked_value(t, at_open);
                self.pf.buy_value(s, value, p)
            }
            Size::Fraction(f, FractionBase::Position) => self.pf.buy_shares(s, f * self.pf.shares[s], p),
        }
    }

    /// A sell of `size` of `s` at `p`, resolved now.
    fn sell(&mut self, s: usize, size: Size, p: f64, t: usize, at_open: bool) -> FillOutcome {
        let held = self.pf.shares[s];
        let q = match size {
            Size::All => held,
            Size::Money { amount, base } => self.usd(amount, base, t) / p,
            Size::Shares(q) => q,
            Size::Fraction(f, FractionBase::Position) => f * held,
            Size::Fraction(f, FractionBase::Equity) => f * self.marked_value(t, at_open) / p,
            Size::Fraction(f, FractionBase::Cash) => f * self.pf.cash / p,
        };
        self.pf.sell_shares(s, q, p)
    }

    /// The portfolio's value at a fill: each holding at the fill's price where its symbol
    /// trades now, else at its last close.
    fn marked_value(&self, t: usize, at_open: bool) -> f64 {
        let frame = self.frame;
        self.pf.value(|s| {
            let c = &frame.symbols[s];
            match price(frame, s, t, at_open) {
                Some(p) => p,
                None if at_open && t > 0 => c.close[t - 1],
                None if at_open => f64::NAN,
                None => c.close[t],
            }
        })
    }

    /// Trades each leg's symbol (all of which have a row at `t`) to its weight of the
    /// portfolio value: sells first, so their cash pays for the buys. A leg within a cent
    /// of its target comes to nothing ([`super::portfolio::MIN_ORDER_USD`]). When the cash
    /// does not cover every buy (the sells' fees and slippage, a weight that counted on a
    /// sale not placed), each buy gets the same share of what it asked for, whatever the
    /// order the legs are listed in; a buy shrunk by a cent or more is counted
    /// ([`super::counters::Counters::shrunk_orders`]).
    fn trade_to(&mut self, rule: usize, legs: &[(usize, f64)], t: usize, at_open: bool) {
        let equity = self.marked_value(t, at_open);
        for &(s, w) in legs {
            let p = price(self.frame, s, t, at_open).expect("legs that trade now");
            let excess = self.pf.shares[s] - w * equity / p;
            if excess > 0.0 {
                let outcome = self.pf.sell_shares(s, excess, p);
                self.record(rule, s, false, outcome, t, true);
            }
        }
        // What the buys ask for in all: each leg's shortfall, computed again below from the
        // same shares and price (a buy changes only its own symbol's shares).
        let short_of = |pf: &super::portfolio::Portfolio, s: usize, w: f64| {
            let p = price(self.frame, s, t, at_open).expect("legs that trade now");
            (w * equity - pf.shares[s] * p, p)
        };
        let wanted: f64 = (legs.iter())
            .map(|&(s, w)| short_of(&self.pf, s, w).0)
            .filter(|short| *short > 0.0)
            .sum();
        let share = if wanted > self.pf.cash {
            self.pf.cash.max(0.0) / wanted
        } else {
            1.0
        };
        for &(s, w) in legs {
            let (short, p) = short_of(&self.pf, s, w);
            if short > 0.0 {
                let budget = short * share;
                let outcome = match self.pf.buy_value(s, budget, p) {
                    FillOutcome::Filled { shares, price } if short - budget >= MIN_ORDER_USD => {
                        FillOutcome::Shrunk { shares, price }
                    }
                    outcome => outcome,
                };
                self.record(rule, s, true, outcome, t, true);
            }
        }
    }

    /// Counts an order's fill (a leg's, with `leg`) and writes it down. A leg that comes to
    /// nothing is a weight already at its target (within a cent), not an empty order.
    pub(super) fn record(&mut self, rule: usize, s: usize, buy: bool, outcome: FillOutcome, t: usize, leg: bool) {
        let (shares, price) = match outcome {
            FillOutcome::Nothing => {
                if !leg {
                    let c = &mut self.counters;
                    *if self.filling_waited {
                        &mut c.empty_after_waiting
                    } else {
                        &mut c.empty_orders
                    } += 1;
                }
                return;
            }
            FillOutcome::FeeExceedsValue => {
                self.counters.fee_exceeds_value += 1;
                return;
            }
            FillOutcome::Shrunk { shares, price } => {
                self.counters.shrunk_orders += 1;
                (shares, price)
            }
            FillOutcome::Filled { shares, price } => (shares, price),
        };
        self.counters.trades += 1;
        let day = self.frame.days[t];
        let fill = super::position::Fill {
            symbol: s,
            buy,
            shares,
            price,
            held: self.account_shares(s),
        };
        self.positions.fill(fill, t, day);
        if let Some(last) = self.last_traded.get_mut(rule).filter(|_| rule > 0) {
            *last = Some(self.filling);
        }
        let value = shares * price;
        let fee = self.pf.fee(value);
        self.trades.push(Filled {
            bar: t,
            symbol: s,
            buy,
            shares,
            price,
            value,
            fee,
            rule,
            exit: None,
        });
        // money: lots, and the tax a sale withholds (engine/ledger.rs).
        self.book(s, buy, shares, value, fee, t);
    }
}

/// The price `s` fills at on bar `t` — its open, or its close — or `None` when it has no
/// row that bar (its open is NaN; the close carried over such a day is for valuation only).
fn price(frame: &Frame, s: usize, t: usize, at_open: bool) -> Option<f64> {
    let c = &frame.symbols[s];
    if c.open[t].is_nan() {
        None
    } else if at_open {
        Some(c.open[t])
    } else {
        Some(c.close[t])
    }
}
