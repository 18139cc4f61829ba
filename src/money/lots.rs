//! Lots and cost basis. Every buy opens a lot; a sale closes lots first in, first out
//! (`cost basis fifo`, the default) or at the position's moving average cost (`cost basis
//! average`). Costs include the buy's fee, proceeds are net of the sale's fee, so the fees
//! are deducted from the gain. Each lot also keeps its cost in the base currency at the
//! rate of its buy date, and each sale's proceeds are converted at the rate of its date:
//! what Korea's tax on overseas shares asks for (docs/TAXES.md).

use std::collections::VecDeque;

/// How sales are matched against buys.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Basis {
    /// First in, first out.
    #[default]
    Fifo,
    /// Moving average cost: every buy merges into one pooled lot.
    Average,
}

/// Shares bought on one day, and what they cost.
#[derive(Clone, Debug, PartialEq)]
pub struct Lot {
    /// Day number of the buy.
    pub day: i32,
    pub shares: f64,
    /// Value paid plus the fee, USD.
    pub cost: f64,
    /// The same in the base currency at the buy date's rate.
    pub cost_base: f64,
}

/// What one sale realized.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Realized {
    /// Value received less the fee, USD.
    pub proceeds: f64,
    /// Cost basis of the shares sold, USD.
    pub cost: f64,
    pub proceeds_base: f64,
    pub cost_base: f64,
}

impl Realized {
    /// The gain in USD (negative for a loss).
    pub fn gain(&self) -> f64 {
        self.proceeds - self.cost
    }

    /// The gain in the base currency.
    pub fn gain_base(&self) -> f64 {
        self.proceeds_base - self.cost_base
    }
}

/// The open lots of every symbol.
#[derive(Clone, Debug)]
pub struct Book {
    basis: Basis,
    lots: Vec<VecDeque<Lot>>,
}

impl Book {
    pub fn new(symbols: usize, basis: Basis) -> Book {
        Book {
            basis,
            lots: vec![VecDeque::new(); symbols],
        }
    }

    /// A buy of `shares` of symbol `sym` for `value` USD plus `fee`, on `day`, at `rate`
    /// units of the base currency per USD (1 without a base currency).
    pub fn buy(&mut self, sym: usize, day: i32, shares: f64, value: f64, fee: f64, rate: f64) {
        let cost = value + fee;
        let lot = Lot {
            day,
            shares,
            cost,
            cost_base: cost * rate,
        };
        let lots = &mut self.lots[sym];
        match (self.basis, lots.front_mut()) {
            (Basis::Average, Some(pool)) => {
                pool.shares += lot.shares;
                pool.cost += lot.cost;
                pool.cost_base += lot.cost_base;
            }
            _ => lots.push_back(lot),
        }
    }

    /// A sale of `shares` of `sym` for `value` USD less `fee`, at `rate`. Sells at most
    /// what the lots hold.
    pub fn sell(&mut self, sym: usize, shares: f64, value: f64, fee: f64, rate: f64) -> Realized {
        let proceeds = value - fee;
        let mut out = Realized {
            proceeds,
            proceeds_base: proceeds * rate,
            ..Realized::default()
        };
        let lots = &mut self.lots[sym];
        let mut left = shares;
        while left > 0.0 {
            let Some(lot) = lots.front_mut() else { break };
            // A remainder below a billionth of a share is rounding: the lot is closed.
            if lot.shares <= left * (1.0 + 1e-9) {
                left -= lot.shares;
                out.cost += lot.cost;
                out.cost_base += lot.cost_base;
                lots.pop_front();
            } else {
                let part = left / lot.shares;
                let (cost, cost_base) = (lot.cost * part, lot.cost_base * part);
                out.cost += cost;
                out.cost_base += cost_base;
                lot.cost -= cost;
                lot.cost_base -= cost_base;
                lot.shares -= left;
                left = 0.0;
            }
        }
        out
    }

    /// Shares the lots of `sym` hold.
    pub fn shares(&self, sym: usize) -> f64 {
        self.lots[sym].iter().map(|l| l.shares).sum()
    }

    /// Sets the shares of `sym` to `shares` in proportion, keeping each lot's cost: fund
    /// expenses shrink a holding without changing what it cost.
    pub fn rescale(&mut self, sym: usize, shares: f64) {
        let held = self.shares(sym);
        if held <= 0.0 {
            return;
        }
        let k = shares / held;
        for lot in &mut self.lots[sym] {
            lot.shares *= k;
        }
    }

    /// The cost basis of what `sym` holds, USD and base currency.
    pub fn cost(&self, sym: usize) -> (f64, f64) {
        let lots = &self.lots[sym];
        (
            lots.iter().map(|l| l.cost).sum(),
            lots.iter().map(|l| l.cost_base).sum(),
        )
    }

    /// The open lots of `sym`, oldest first.
    pub fn lots(&self, sym: usize) -> &VecDeque<Lot> {
        &self.lots[sym]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) {
        assert!((a - b).abs() < 1e-6, "{a} != {b}");
    }

    #[test]
    fn the_issue_example_in_krw() {
        // 100 shares at 100 USD when USD/KRW is 1,300, sold at 150 when it is 1,350:
        // cost 13,000,000 KRW, proceeds 20,250,000 KRW, gain 7,250,000 KRW (5,000 USD).
        let mut b = Book::new(1, Basis::Fifo);
        b.buy(0, 0, 100.0, 10_000.0, 0.0, 1300.0);
        let r = b.sell(0, 100.0, 15_000.0, 0.0, 1350.0);
        close(r.gain(), 5_000.0);
        close(r.gain_base(), 7_250_000.0);
        assert!(b.lots(0).is_empty());
    }

    #[test]
    fn fifo_closes_the_oldest_lot_first_and_splits_the_next() {
        // Lots: 10 at 10 (fee 1: cost 101), 10 at 20 (fee 1: cost 201). Selling 15 at 30
        // for 450 less a fee of 2: proceeds 448; cost 101 + half of 201 = 201.5; gain 246.5.
        let mut b = Book::new(1, Basis::Fifo);
        b.buy(0, 1, 10.0, 100.0, 1.0, 1.0);
        b.buy(0, 2, 10.0, 200.0, 1.0, 1.0);
        let r = b.sell(0, 15.0, 450.0, 2.0, 1.0);
        close(r.proceeds, 448.0);
        close(r.cost, 201.5);
        close(r.gain(), 246.5);
        assert_eq!(b.lots(0).len(), 1);
        close(b.shares(0), 5.0);
        close(b.cost(0).0, 100.5);
        assert_eq!(b.lots(0)[0].day, 2);
    }

    #[test]
    fn average_cost_pools_the_buys() {
        // Same buys, average cost: 20 shares cost 302, 15.1 a share. Selling 15: cost 226.5,
        // gain 448 − 226.5 = 221.5; 5 shares left at 75.5.
        let mut b = Book::new(1, Basis::Average);
        b.buy(0, 1, 10.0, 100.0, 1.0, 1.0);
        b.buy(0, 2, 10.0, 200.0, 1.0, 1.0);
        let r = b.sell(0, 15.0, 450.0, 2.0, 1.0);
        close(r.cost, 226.5);
        close(r.gain(), 221.5);
        close(b.cost(0).0, 75.5);
    }

    #[test]
    fn a_rescaled_holding_keeps_its_cost() {
        let mut b = Book::new(1, Basis::Fifo);
        b.buy(0, 1, 10.0, 100.0, 0.0, 1.0);
        b.rescale(0, 9.9);
        close(b.shares(0), 9.9);
        close(b.cost(0).0, 100.0);
        // Selling all 9.9 at 11: proceeds 108.9, gain 8.9.
        close(b.sell(0, 9.9, 108.9, 0.0, 1.0).gain(), 8.9);
    }
}
