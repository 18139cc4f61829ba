//! Position state that rules read: the entry price, when the position was opened, when it
//! was last closed, and the highest and lowest close since entry (for `trailing stop`).
//! Kept from the fills as they happen ([`Positions::fill`]), so a decision on a bar reads
//! only fills made before it: a fill at the bar's open is known at its close, a `fill
//! close` fill from the next bar on.

/// An open position: from the fill that bought it from flat to the sale that empties it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Open {
    /// The average fill price (after slippage, fees not included) of the buys since the
    /// position was opened; sales do not change it (Pine's `strategy.position_avg_price`).
    pub entry_price: f64,
    /// The bar of the fill that opened it.
    pub bar: usize,
    /// That bar's date, days since 1970-01-01.
    pub day: i32,
    /// An exit order is waiting to fill: no second one is placed.
    pub exiting: bool,
}

/// A fill as positions see it: `shares` of `symbol` (a frame index) bought or sold at
/// `price`, after which `held` shares are held.
#[derive(Clone, Copy, Debug)]
pub struct Fill {
    pub symbol: usize,
    pub buy: bool,
    pub shares: f64,
    pub price: f64,
    pub held: f64,
}

/// Every symbol's position state, indexed like the frame's symbols.
#[derive(Clone, Debug, Default)]
pub struct Positions {
    pub open: Vec<Option<Open>>,
    /// The date of the sale that last emptied each position (days since 1970-01-01).
    pub last_exit: Vec<Option<i32>>,
}

impl Positions {
    pub fn new(symbols: usize) -> Positions {
        Positions {
            open: vec![None; symbols],
            last_exit: vec![None; symbols],
        }
    }

    /// Notes a fill on bar `t` (date `day`).
    pub fn fill(&mut self, fill: Fill, t: usize, day: i32) {
        let Fill {
            symbol: s,
            buy,
            shares,
            price,
            held,
        } = fill;
        if buy {
            self.open[s] = Some(match self.open[s] {
                None => Open {
                    entry_price: price,
                    bar: t,
                    day,
                    exiting: false,
                },
                Some(open) => {
                    // The average of the shares held before (at the old average) and those
                    // bought now.
                    let before = held - shares;
                    Open {
                        entry_price: (open.entry_price * before + price * shares) / held,
                        ..open
                    }
                }
            });
        } else if held <= 0.0 && self.open[s].is_some() {
            self.open[s] = None;
            self.last_exit[s] = Some(day);
        }
    }

    /// The average fill price of the open position in `s`; NaN when flat.
    pub fn entry_price(&self, s: usize) -> f64 {
        self.open[s].map_or(f64::NAN, |o| o.entry_price)
    }

    /// Calendar days from the opening fill's date to `day`; NaN when flat.
    pub fn held_days(&self, s: usize, day: i32) -> f64 {
        self.open[s].map_or(f64::NAN, |o| f64::from(day - o.day))
    }

    /// Calendar days from the last sale that emptied the position to `day`; NaN before the
    /// first such sale, and while a position is open again.
    pub fn days_since_exit(&self, s: usize, day: i32) -> f64 {
        match (self.open[s], self.last_exit[s]) {
            (None, Some(exit)) => f64::from(day - exit),
            _ => f64::NAN,
        }
    }
}

/// `highest(x since entry)` or `lowest(…)`: the extreme of `x` over the bars from the one
/// whose fill opened the position to the current one. A `fill close` fill is made after
/// the bar's values are read, so the first bar that sees the position brings in the value
/// of the bar before (the entry bar) too.
#[derive(Clone, Debug)]
pub struct SinceEntry {
    high: bool,
    /// The opening bar of the position the extreme is of.
    bar: Option<usize>,
    extreme: f64,
    /// `x` on the bar before, for an entry at that bar's close.
    prev: f64,
}

impl SinceEntry {
    pub fn new(high: bool) -> SinceEntry {
        SinceEntry {
            high,
            bar: None,
            extreme: f64::NAN,
            prev: f64::NAN,
        }
    }

    /// Feeds `x` on bar `t`, where the position opened on bar `opened` (if open).
    pub fn update(&mut self, x: f64, t: usize, opened: Option<usize>) -> f64 {
        let prev = std::mem::replace(&mut self.prev, x);
        let Some(open) = opened else {
            self.bar = None;
            self.extreme = f64::NAN;
            return f64::NAN;
        };
        if self.bar != Some(open) {
            self.bar = Some(open);
            self.extreme = if open < t { prev } else { f64::NAN };
        }
        self.extreme = self.pick(self.extreme, x);
        self.extreme
    }

    /// The extreme of two values, a NaN one left out.
    fn pick(&self, a: f64, b: f64) -> f64 {
        match (a.is_nan(), b.is_nan()) {
            (true, _) => b,
            (_, true) => a,
            _ if self.high => a.max(b),
            _ => a.min(b),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_entry_price_is_the_average_of_the_buys_since_flat() {
        let mut p = Positions::new(1);
        // 10 shares at 100, then 10 at 110: average 105; a sale of 5 keeps it.
        p.fill(
            Fill {
                symbol: 0,
                buy: true,
                shares: 10.0,
                price: 100.0,
                held: 10.0,
            },
            3,
            100,
        );
        p.fill(
            Fill {
                symbol: 0,
                buy: true,
                shares: 10.0,
                price: 110.0,
                held: 20.0,
            },
            5,
            102,
        );
        assert_eq!(p.entry_price(0), 105.0);
        p.fill(
            Fill {
                symbol: 0,
                buy: false,
                shares: 5.0,
                price: 120.0,
                held: 15.0,
            },
            6,
            103,
        );
        assert_eq!(p.entry_price(0), 105.0);
        assert_eq!(p.held_days(0, 106), 6.0, "opened on day 100");
        assert!(p.days_since_exit(0, 106).is_nan(), "never emptied");
        // Sold out on day 107: flat, no entry price, 3 days since the exit on day 110.
        p.fill(
            Fill {
                symbol: 0,
                buy: false,
                shares: 15.0,
                price: 90.0,
                held: 0.0,
            },
            7,
            107,
        );
        assert!(p.entry_price(0).is_nan() && p.held_days(0, 110).is_nan());
        assert_eq!(p.days_since_exit(0, 110), 3.0);
        // Bought again: a new entry at its own price and date.
        p.fill(
            Fill {
                symbol: 0,
                buy: true,
                shares: 1.0,
                price: 80.0,
                held: 1.0,
            },
            9,
            111,
        );
        assert_eq!((p.entry_price(0), p.held_days(0, 111)), (80.0, 0.0));
    }

    #[test]
    fn the_extreme_since_entry_starts_at_the_entry_bar() {
        let mut h = SinceEntry::new(true);
        // Flat on bars 0 and 1; opened at bar 2's open: 5, then 7, 6.
        assert!(h.update(9.0, 0, None).is_nan());
        assert!(h.update(8.0, 1, None).is_nan());
        assert_eq!(h.update(5.0, 2, Some(2)), 5.0);
        assert_eq!(h.update(7.0, 3, Some(2)), 7.0);
        assert_eq!(h.update(6.0, 4, Some(2)), 7.0);
        // Flat, then opened at bar 5's close: seen from bar 6, bar 5's value counts.
        assert!(h.update(4.0, 5, None).is_nan());
        assert_eq!(h.update(3.0, 6, Some(5)), 4.0);
    }
}
