//! The cost of converting between the base currency and US dollars (`fx spread 0.25%`).
//!
//! The rate series gives the mid rate, units of the base currency per USD (such as 1,350
//! KRW per USD). A broker sells dollars at `rate × (1 + spread)` and buys them back at
//! `rate × (1 − spread)`: the spread is the half-spread, what Korean brokers quote as the
//! exchange fee (환전 수수료) before any preferential discount (환율 우대).

/// The half-spread as a fraction, such as 0.0025 for `fx spread 0.25%`.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Spread(pub f64);

impl Spread {
    /// The dollars `base` units of the base currency buy at mid `rate`.
    pub fn buy_usd(self, base: f64, rate: f64) -> f64 {
        base / (rate * (1.0 + self.0))
    }

    /// What `usd` dollars cost in the base currency at mid `rate`.
    pub fn cost_of_usd(self, usd: f64, rate: f64) -> f64 {
        usd * rate * (1.0 + self.0)
    }

    /// The dollars needed to pay `base` units of the base currency at mid `rate` (dollars
    /// sold at `rate × (1 − spread)`).
    pub fn usd_to_pay(self, base: f64, rate: f64) -> f64 {
        base / (rate * (1.0 - self.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quarter_percent_either_way() {
        let s = Spread(0.0025);
        // 1,353,375 KRW at 1,350 × 1.0025 = 1,353.375 KRW per USD buys exactly 1,000 USD.
        assert!((s.buy_usd(1_353_375.0, 1350.0) - 1000.0).abs() < 1e-9);
        assert!((s.cost_of_usd(1000.0, 1350.0) - 1_353_375.0).abs() < 1e-6);
        // Paying 1,346,625 KRW: dollars sell at 1,350 × 0.9975 = 1,346.625, so 1,000 USD.
        assert!((s.usd_to_pay(1_346_625.0, 1350.0) - 1000.0).abs() < 1e-9);
        // No spread: the mid rate.
        assert_eq!(Spread(0.0).buy_usd(1_350_000.0, 1350.0), 1000.0);
    }
}
