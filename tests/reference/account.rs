//! Cash, shares and fills, by the rules of docs/LANGUAGE.md ("Amounts") and issue 12:
//! a buy never spends more than the cash there is, a sell never sells more than is held,
//! an amount below a cent is not an order, a fill whose fee leaves less than a cent of its
//! value (to the cent) is not placed, and a position below a share epsilon is zero.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::model::Sym;

/// Below this traded value (USD) an order is not an order (issue 12 item 2).
pub const DUST: f64 = 0.01;

/// The floating-point slack of the two comparisons with a cent (USD): a value computed as
/// (amount ÷ price) × price that meets them exactly but for rounding meets them
/// (docs/LANGUAGE.md, "Minimums").
const SLACK: f64 = 1e-9;

/// The smallest order and position.
#[derive(Clone, Copy, Debug)]
pub struct Minimums {
    /// A fill worth less (USD) is not placed.
    pub order_value: f64,
    /// A position of fewer shares is zero.
    pub position: f64,
    /// A target leg is traded when its shares are more than this many too many (sells) or
    /// its value more than this fraction of the portfolio too little (buys).
    pub leg: f64,
}

impl Minimums {
    /// Issue 12 item 2: amounts below a cent are not orders, positions below a share
    /// epsilon are zero.
    pub const INTENDED: Minimums = Minimums {
        order_value: DUST,
        position: 1e-9,
        leg: 0.0,
    };
    /// rotor today (src/engine/portfolio.rs, run.rs): any positive amount is an order,
    /// positions below 1e-12 shares are zero, legs within 1e-9 are left alone.
    pub const ROTOR_TODAY: Minimums = Minimums {
        order_value: 0.0,
        position: 1e-12,
        leg: 1e-9,
    };
}

/// Costs as fractions and USD.
#[derive(Clone, Copy, Debug)]
pub struct Costs {
    pub rate: f64,
    pub fixed: f64,
    pub slippage: f64,
    pub whole: bool,
    pub minimums: Minimums,
}

/// One fill, as rotor reports it.
#[derive(Clone, Debug, PartialEq)]
pub struct Fill {
    pub date: NaiveDate,
    pub symbol: Sym,
    pub buy: bool,
    pub shares: f64,
    /// Per share, after slippage.
    pub price: f64,
    pub value: f64,
    pub fee: f64,
    /// 1-based rule index (0 for the benchmark).
    pub rule: usize,
}

#[derive(Clone, Debug)]
pub struct Account {
    pub cash: f64,
    pub shares: BTreeMap<Sym, f64>,
    pub costs: Costs,
    pub fills: Vec<Fill>,
}

/// Where and for whom a fill happens.
#[derive(Clone, Copy, Debug)]
pub struct At {
    pub date: NaiveDate,
    pub rule: usize,
}

impl Account {
    pub fn new(costs: Costs) -> Account {
        Account {
            cash: 0.0,
            shares: BTreeMap::new(),
            costs,
            fills: Vec::new(),
        }
    }

    pub fn held(&self, sym: Sym) -> f64 {
        self.shares.get(&sym).copied().unwrap_or(0.0)
    }

    /// Cash plus every position at `mark`.
    pub fn value(&self, mark: impl Fn(Sym) -> f64) -> f64 {
        self.cash + self.shares.iter().map(|(s, q)| q * mark(*s)).sum::<f64>()
    }

    /// Spends up to `money` (fees included) on `sym` at `price` before slippage.
    pub fn buy_money(&mut self, at: At, sym: Sym, money: f64, price: f64) {
        let budget = money.min(self.cash);
        let fill_price = price * (1.0 + self.costs.slippage);
        let mut shares = (budget - self.costs.fixed) / (fill_price * (1.0 + self.costs.rate));
        if self.costs.whole {
            shares = shares.floor();
        }
        self.place(at, sym, true, shares, fill_price);
    }

    /// Buys `shares`, or as many as the cash pays for.
    pub fn buy_shares(&mut self, at: At, sym: Sym, shares: f64, price: f64) {
        let fill_price = price * (1.0 + self.costs.slippage);
        let cost = shares * fill_price * (1.0 + self.costs.rate) + self.costs.fixed;
        if cost > self.cash * (1.0 + 1e-12) {
            return self.buy_money(at, sym, self.cash, price);
        }
        let shares = if self.costs.whole { shares.floor() } else { shares };
        self.place(at, sym, true, shares, fill_price);
    }

    /// Sells up to `shares` (never more than held; whole shares unless selling out).
    pub fn sell_shares(&mut self, at: At, sym: Sym, shares: f64, price: f64) {
        let held = self.held(sym);
        let mut q = shares.min(held);
        if self.costs.whole && q < held {
            q = q.floor();
        }
        let fill_price = price * (1.0 - self.costs.slippage);
        self.place(at, sym, false, q, fill_price);
    }

    /// Moves cash and shares for a fill of `q` shares, unless it is too small to be an
    /// order or its fee would eat it.
    fn place(&mut self, at: At, sym: Sym, buy: bool, q: f64, fill_price: f64) {
        let value = q * fill_price;
        let fee = value * self.costs.rate + self.costs.fixed;
        // A fee must leave at least half a cent of the value (a cent, rounded): a fee equal
        // to the value give or take rounding dust is never a fill (docs/LANGUAGE.md).
        if q.is_nan() || q <= 0.0 || value < self.costs.minimums.order_value - SLACK || value - fee < DUST / 2.0 - SLACK
        {
            return;
        }
        let shares = if buy { q } else { -q };
        if buy {
            self.cash -= value + fee;
        } else {
            self.cash += value - fee;
        }
        assert!(self.cash > -1e-6, "the reference overdrew cash: {}", self.cash);
        self.cash = self.cash.max(0.0);
        let left = self.held(sym) + shares;
        if left.abs() < self.costs.minimums.position {
            self.shares.remove(&sym);
        } else {
            self.shares.insert(sym, left);
        }
        self.fills.push(Fill {
            date: at.date,
            symbol: sym,
            buy,
            shares: q,
            price: fill_price,
            value,
            fee,
            rule: at.rule,
        });
    }
}
