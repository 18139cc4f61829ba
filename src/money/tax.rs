//! Capital-gains tax: gains and losses of all symbols netted per calendar year, a yearly
//! deduction, one rate on the rest, paid at the end of May of the following year
//! (docs/TAXES.md gives each preset's source and year). A loss year owes nothing and its
//! loss is not carried into the next year.

use crate::civil;

/// A capital-gains tax rule.
#[derive(Clone, Debug, PartialEq)]
pub struct TaxRule {
    /// How the strategy named it: `korea`, or `capital gains` for the generic form.
    pub name: String,
    /// The rate on the taxable gain, a fraction (0.22).
    pub rate: f64,
    /// Deducted from each year's net gain, in the gains' currency.
    pub deduction: f64,
    /// Whether gains are computed in the base currency (`currency KRW using …`) rather
    /// than in USD.
    pub in_base: bool,
}

impl TaxRule {
    /// `tax korea`: 22% (20% national + 2% local income tax) on a resident's net gains
    /// from overseas shares above 2,500,000 KRW a year, in KRW.
    pub fn korea() -> TaxRule {
        TaxRule {
            name: "korea".into(),
            rate: 0.22,
            deduction: 2_500_000.0,
            in_base: true,
        }
    }

    /// The tax on a year's net gain.
    pub fn tax(&self, net_gain: f64) -> f64 {
        self.taxable(net_gain) * self.rate
    }

    /// What is taxed of a year's net gain: the gain above the deduction, never negative.
    pub fn taxable(&self, net_gain: f64) -> f64 {
        (net_gain - self.deduction).max(0.0)
    }
}

/// The day the tax on `year`'s gains is due: May 31 of the next year (day number).
pub fn deadline(year: i64) -> i32 {
    civil::days(year + 1, 5, 31) as i32
}

/// One tax year as the run saw it.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct TaxYear {
    pub year: i64,
    /// Gains less losses of the year's sales, in the rule's currency.
    pub net_gain: f64,
    pub deduction: f64,
    pub taxable: f64,
    /// The tax, in the rule's currency.
    pub tax: f64,
    /// The date it was paid (`None`: due at the end of the run).
    pub paid_on: Option<String>,
    /// What paying it took from cash, USD (with the FX spread); 0 while it is due.
    pub paid_usd: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_issue_example() {
        // A 7,250,000 KRW gain: 22% of 7,250,000 − 2,500,000 = 4,750,000 is 1,045,000 KRW.
        let k = TaxRule::korea();
        assert_eq!(k.taxable(7_250_000.0), 4_750_000.0);
        assert!((k.tax(7_250_000.0) - 1_045_000.0).abs() < 1e-6);
    }

    #[test]
    fn below_the_deduction_and_loss_years_owe_nothing() {
        let k = TaxRule::korea();
        assert_eq!(k.tax(2_500_000.0), 0.0);
        assert_eq!(k.tax(-3_000_000.0), 0.0);
    }

    #[test]
    fn due_at_the_end_of_the_next_may() {
        assert_eq!(civil::iso(deadline(2024)), "2025-05-31");
    }
}
