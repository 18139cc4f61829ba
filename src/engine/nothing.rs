//! Orders known to come to nothing when they are decided, so they are counted and dropped
//! instead of queued and filled. The trend rule `buy SYM daily while …` places an all-cash
//! buy on most days while it is fully invested (4,788 of 5,018 orders of the 20-year run):
//! each would wait for the next open, be priced and sized, and fill as nothing. The
//! counters the report shows (`orders`, `empty_orders`) stay exactly what filling the order
//! would have made them. A trade of a fixed size (`buy SYM`, `sell all SYM`) outside sleeves
//! is asked before it is even made into an order ([`Engine::trade_comes_to_nothing`]):
//! deciding it would only have checked that its symbol is listed.
//!
//! An order is known to come to nothing only when the state it would fill against is the
//! state now:
//! - a buy (or the benchmark's buy) with less than half a cent of cash: whatever its size,
//!   a fill spends at most the cash there is, and less than a cent is no order
//!   ([`MIN_ORDER_USD`]); with no negative fee, rounding cannot lift half a cent to one;
//! - a sale of a symbol not held: it sells at most what is held.
//!
//! With `fill close` the order fills now, so the state is the present one; it needs a row
//! of its symbol now (else it would wait for one). With `fill next open` it fills at the
//! next bar's open: the cash and holdings then are the present ones when nothing can change
//! them in between — no order is queued ahead of it, and the strategy has no money that
//! arrives by itself (contributions, withdrawals, dividends, interest, tax, delisted sales)
//! — and when its symbol has a row on that bar (else it would wait, and a waiting order
//! holds its rule's cooldown and may be left pending at the end). Reading whether the next
//! bar has a row only chooses between two paths that count the same; no decision reads it.

use super::action::{Engine, Order, OrderKind};
use super::portfolio::MIN_ORDER_USD;

/// Whether cash and holdings change between two bars only by fills (see the module doc):
/// decided once for a run.
#[derive(Clone, Copy, Debug)]
pub(super) struct Quiet(pub(super) bool);

impl Engine<'_> {
    /// Whether `order`, decided on bar `t`, is sure to fill as nothing: at `t`'s close when
    /// `queued` is `None` (`fill close`), else at the next bar's open with `queued` orders
    /// ahead of it, under `quiet`.
    pub(super) fn comes_to_nothing(&self, order: &Order, t: usize, queued: Option<usize>, quiet: Quiet) -> bool {
        match order.kind {
            OrderKind::Buy(s, _) | OrderKind::Invest(s) => self.trade_comes_to_nothing(true, s, t, queued, quiet),
            OrderKind::Sell(s, _) => self.trade_comes_to_nothing(false, s, t, queued, quiet),
            _ => false,
        }
    }

    /// Whether a buy (`buy`) or a sale of symbol `s`, of any size, decided on bar `t`, is
    /// sure to fill as nothing ([`Self::comes_to_nothing`]): the loop asks it before a
    /// trade of a fixed size is made into an order at all.
    pub(super) fn trade_comes_to_nothing(
        &self,
        buy: bool,
        s: usize,
        t: usize,
        queued: Option<usize>,
        quiet: Quiet,
    ) -> bool {
        let bar = match queued {
            None => t,
            Some(0) if quiet.0 => t + 1,
            Some(_) => return false,
        };
        let c = self.pf.costs;
        let empty = if buy {
            self.pf.cash < MIN_ORDER_USD / 2.0 && c.fee_rate >= 0.0 && c.fee_per_trade >= 0.0
        } else {
            self.pf.shares[s] == 0.0
        };
        // A row on the bar it fills on: an open (NaN where the symbol has no row).
        let row = self.frame.symbols[s].open.get(bar).is_some_and(|o| !o.is_nan());
        empty && row
    }
}

#[cfg(test)]
mod tests {
    use super::super::portfolio::{Costs, FillOutcome, Portfolio};

    /// What the module doc relies on: with less than half a cent of cash no buy fills,
    /// whatever its size, price, fee rate or fixed fee (non-negative), and no sale of a
    /// symbol not held does.
    #[test]
    fn less_than_half_a_cent_buys_nothing_and_nothing_held_sells_nothing() {
        for cash in [0.0, 1e-13, 0.001, 0.004_999_999, -0.003] {
            for (fee_rate, fee_per_trade, slippage) in [(0.0, 0.0, 0.0), (0.001, 0.0, 0.0005), (0.0, 1.0, 0.01)] {
                for price in [0.01, 1.0, 33.3, 1e6] {
                    let costs = Costs {
                        fee_rate,
                        fee_per_trade,
                        slippage,
                        whole_shares: false,
                    };
                    let mut pf = Portfolio::new(2, costs);
                    pf.cash = cash;
                    assert_eq!(pf.buy_value(0, cash, price), FillOutcome::Nothing);
                    assert_eq!(pf.buy_value(0, 1e9, price), FillOutcome::Nothing);
                    assert_eq!(pf.buy_shares(0, 1e-12, price), FillOutcome::Nothing);
                    assert_eq!(pf.buy_shares(0, 100.0, price), FillOutcome::Nothing);
                    assert_eq!(pf.sell_shares(1, 100.0, price), FillOutcome::Nothing);
                    assert_eq!((pf.cash, pf.shares[0], pf.shares[1]), (cash, 0.0, 0.0));
                }
            }
        }
    }
}
