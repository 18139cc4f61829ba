//! Withdrawals (`withdraw 1000000 KRW monthly from 2040-01-01`, `withdraw 4% yearly`):
//! money taken out of the account at the close of each day the schedule fires.
//!
//! What is paid comes from cash first; what cash lacks is raised by selling, at the day's
//! close, every holding whose symbol has a row that day, **in proportion to the holdings'
//! values** (so the mix stays as it was), each sale closing lots by the strategy's cost
//! basis (FIFO by default) and paying its fee, slippage and any tax withheld at the sale.
//! A round of selling is never less than a cent's worth (an order's least size), so up to a
//! cent more than needed may be sold, its change left in cash.
//! A withdrawal the account cannot pay in full pays what there is and is reported
//! ([`crate::money::ledger::ShortWithdrawal`]), never silently shrunk.

use super::action::Engine;
use super::portfolio::MIN_ORDER_USD;

/// Rounds of selling before giving up: each round sells what the one before fell short
/// by (a tax withheld at a sale, a fee, whole shares), so a few suffice.
const ROUNDS: usize = 8;

impl Engine<'_> {
    /// Pays `usd` out of the account at bar `t`'s close (see the module doc). Returns what
    /// was paid: `usd`, or less when selling everything that trades today does not cover it.
    pub(super) fn withdraw_here(&mut self, usd: f64, t: usize) -> f64 {
        let frame = self.frame;
        for _ in 0..ROUNDS {
            let need = usd - self.pf.cash;
            // What is left below a billionth of the amount is rounding.
            if need <= 1e-9 * usd.max(1.0) {
                break;
            }
            let sellable: Vec<(usize, f64, f64)> = (0..self.pf.shares.len())
                .filter(|&s| self.pf.shares[s] > 0.0 && !frame.symbols[s].open[t].is_nan())
                .map(|s| {
                    let p = frame.symbols[s].close[t];
                    (s, p, self.pf.shares[s] * p)
                })
                .filter(|(_, p, v)| *p > 0.0 && *v > 0.0)
                .collect();
            let total: f64 = sellable.iter().map(|(_, _, v)| v).sum();
            if total <= 0.0 {
                break;
            }
            // Proceeds are the value less slippage and fees: ask for that much more, so one
            // round usually covers it; never less than an order's size, or a residue below
            // it could not be sold.
            let c = self.pf.costs;
            let fixed = c.fee_per_trade * sellable.len() as f64;
            let gross = ((need + fixed) / ((1.0 - c.slippage) * (1.0 - c.fee_rate))).max(MIN_ORDER_USD * 1.001);
            for (s, p, v) in sellable {
                let mut q = (gross * v / total / p).min(self.pf.shares[s]);
                if c.whole_shares {
                    q = q.ceil().min(self.pf.shares[s]);
                }
                let outcome = self.pf.sell_shares(s, q, p);
                // Rule 0: not a rule's order (the trades list shows it with rule 0).
                self.record(0, s, false, outcome, t, true);
            }
        }
        let paid = usd.min(self.pf.cash.max(0.0));
        self.pf.cash -= paid;
        paid
    }
}
