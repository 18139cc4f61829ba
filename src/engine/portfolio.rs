//! Cash, holdings and fills. A buy never overdraws cash (it is shrunk to what is there);
//! a sell never goes below zero shares.

use serde::Serialize;

/// Costs and share rounding that apply to every fill.
#[derive(Clone, Copy, Debug)]
pub struct Costs {
    /// Fee as a fraction of the traded value.
    pub fee_rate: f64,
    /// Fixed fee per fill, in USD.
    pub fee_per_trade: f64,
    /// Slippage as a fraction of the price, against the trader.
    pub slippage: f64,
    pub whole_shares: bool,
}

/// One fill.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Trade {
    pub date: String,
    pub symbol: String,
    /// "buy" or "sell"
    pub side: &'static str,
    pub shares: f64,
    /// Price paid or received per share, after slippage.
    pub price: f64,
    /// shares × price
    pub value: f64,
    pub fee: f64,
    /// 1-based index of the rule that made the order (0 for the benchmark).
    pub rule: usize,
}

/// What happened to an order, for the report's counters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FillOutcome {
    Filled,
    /// Filled, but smaller than asked because cash ran short.
    Shrunk,
    /// Came to nothing (no cash, no position): not a trade.
    Nothing,
}

#[derive(Clone, Debug)]
pub struct Portfolio {
    pub cash: f64,
    /// Shares per frame symbol.
    pub shares: Vec<f64>,
    pub costs: Costs,
    pub fees_paid: f64,
    pub slippage_paid: f64,
    pub traded_value: f64,
}

impl Portfolio {
    pub fn new(symbols: usize, costs: Costs) -> Self {
        Portfolio {
            cash: 0.0,
            shares: vec![0.0; symbols],
            costs,
            fees_paid: 0.0,
            slippage_paid: 0.0,
            traded_value: 0.0,
        }
    }

    /// Spends up to `money` (fees included) on `sym` at `price` (before slippage).
    pub fn buy_value(&mut self, sym: usize, money: f64, price: f64) -> (FillOutcome, Option<(f64, f64)>) {
        let c = self.costs;
        let mut shrunk = false;
        let mut budget = money;
        if budget > self.cash {
            // Tiny differences are rounding, not a shrunk order.
            shrunk = budget - self.cash > 1e-9 * budget.max(1.0);
            budget = self.cash;
        }
        let fill_price = price * (1.0 + c.slippage);
        if budget <= c.fee_per_trade || fill_price.is_nan() || fill_price <= 0.0 {
            return (FillOutcome::Nothing, None);
        }
        let mut shares = (budget - c.fee_per_trade) / (fill_price * (1.0 + c.fee_rate));
        if c.whole_shares {
            shares = shares.floor();
        }
        if shares <= 0.0 {
            return (FillOutcome::Nothing, None);
        }
        self.fill(sym, shares, fill_price, price);
        (
            if shrunk {
                FillOutcome::Shrunk
            } else {
                FillOutcome::Filled
            },
            Some((shares, fill_price)),
        )
    }

    /// Buys `shares` of `sym`, fewer if cash runs short.
    pub fn buy_shares(&mut self, sym: usize, shares: f64, price: f64) -> (FillOutcome, Option<(f64, f64)>) {
        let c = self.costs;
        let fill_price = price * (1.0 + c.slippage);
        let cost = shares * fill_price * (1.0 + c.fee_rate) + c.fee_per_trade;
        if cost > self.cash * (1.0 + 1e-12) {
            let (outcome, fill) = self.buy_value(sym, self.cash, price);
            let outcome = if outcome == FillOutcome::Nothing {
                outcome
            } else {
                FillOutcome::Shrunk
            };
            return (outcome, fill);
        }
        let shares = if c.whole_shares { shares.floor() } else { shares };
        if shares <= 0.0 || fill_price.is_nan() || fill_price <= 0.0 {
            return (FillOutcome::Nothing, None);
        }
        self.fill(sym, shares, fill_price, price);
        (FillOutcome::Filled, Some((shares, fill_price)))
    }

    /// Sells up to `shares` of `sym` (never more than held).
    pub fn sell_shares(&mut self, sym: usize, shares: f64, price: f64) -> (FillOutcome, Option<(f64, f64)>) {
        let c = self.costs;
        let held = self.shares[sym];
        let mut q = shares.min(held);
        if c.whole_shares && q < held {
            q = q.floor();
        }
        let fill_price = price * (1.0 - c.slippage);
        if q <= 0.0 || fill_price.is_nan() || fill_price <= 0.0 {
            return (FillOutcome::Nothing, None);
        }
        self.fill(sym, -q, fill_price, price);
        (FillOutcome::Filled, Some((q, fill_price)))
    }

    /// Moves shares and cash; positive `shares` buys.
    fn fill(&mut self, sym: usize, shares: f64, fill_price: f64, price: f64) {
        let c = self.costs;
        let value = shares.abs() * fill_price;
        let fee = value * c.fee_rate + c.fee_per_trade;
        if shares > 0.0 {
            self.cash -= value + fee;
        } else {
            self.cash += value - fee;
        }
        // Rounding must never leave a negative balance behind.
        if self.cash < 0.0 && self.cash > -1e-6 {
            self.cash = 0.0;
        }
        self.shares[sym] += shares;
        if self.shares[sym].abs() < 1e-12 {
            self.shares[sym] = 0.0;
        }
        self.fees_paid += fee;
        self.slippage_paid += shares.abs() * (fill_price - price).abs();
        self.traded_value += value;
    }

    /// The fee of a fill of `value`.
    pub fn fee(&self, value: f64) -> f64 {
        value * self.costs.fee_rate + self.costs.fee_per_trade
    }

    /// Cash plus holdings at the given prices (NaN prices count as 0 holdings value).
    pub fn value(&self, prices: impl Fn(usize) -> f64) -> f64 {
        self.cash + self.invested(prices)
    }

    pub fn invested(&self, prices: impl Fn(usize) -> f64) -> f64 {
        self.shares
            .iter()
            .enumerate()
            .filter(|(_, q)| **q != 0.0)
            .map(|(i, q)| {
                let p = prices(i);
                if p.is_nan() { 0.0 } else { q * p }
            })
            .sum()
    }
}
