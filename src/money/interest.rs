//! Interest on idle cash: accrued every calendar day on that day's closing balance at
//! `rate / 365`, credited to cash at the end of each month (and at the end of the run, for
//! the last, partial month). A negative balance earns nothing; a rate that is not known
//! yet (NaN) earns nothing and is counted.

use crate::civil;

/// Interest accrued but not yet credited, and what has been credited so far.
#[derive(Clone, Debug, Default)]
pub struct Accrual {
    /// Accrued since the last credit, in the account's currency.
    pub accrued: f64,
    /// Credited over the run.
    pub credited: f64,
    /// Calendar days on which the rate was not known.
    pub days_without_rate: u32,
}

impl Accrual {
    /// Holds `cash` over the calendar days `from..to` (day numbers, `to` excluded) at the
    /// yearly rate `rate` (a fraction). Interest credited at a month end inside the span
    /// joins the balance of the days after it. Returns what was credited.
    pub fn hold(&mut self, cash: f64, rate: f64, from: i32, to: i32) -> f64 {
        let mut balance = cash;
        let mut credited = 0.0;
        let mut day = from;
        while day < to {
            let month_end = last_of_month(day);
            let end = to.min(month_end + 1);
            let days = f64::from(end - day);
            if rate.is_nan() {
                self.days_without_rate += (end - day) as u32;
            } else if balance > 0.0 {
                self.accrued += balance * rate / 365.0 * days;
            }
            if end == month_end + 1 {
                let credit = std::mem::take(&mut self.accrued);
                balance += credit;
                credited += credit;
            }
            day = end;
        }
        self.credited += credited;
        credited
    }

    /// Credits what has accrued since the last month end (at the end of the run).
    pub fn settle(&mut self) -> f64 {
        let credit = std::mem::take(&mut self.accrued);
        self.credited += credit;
        credit
    }
}

/// The day number of the last day of `day`'s month.
fn last_of_month(day: i32) -> i32 {
    let (y, m, _) = civil::ymd(day);
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    (civil::days(ny, nm, 1) - 1) as i32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i64, m: u32, d: u32) -> i32 {
        civil::days(y, m, d) as i32
    }

    #[test]
    fn last_days_of_months() {
        assert_eq!(last_of_month(day(2024, 2, 10)), day(2024, 2, 29));
        assert_eq!(last_of_month(day(2023, 12, 31)), day(2023, 12, 31));
    }

    #[test]
    fn a_month_at_a_rate_that_changes_mid_month() {
        // 100,000 USD in cash through April 2024 (30 days): 4.5% for the 1st–15th, 5% for
        // the 16th–30th. By hand: 100,000 × 0.045 / 365 × 15 = 184.93150…,
        // 100,000 × 0.05 / 365 × 15 = 205.47945…; together 390.41095… credited on the 30th.
        let mut a = Accrual::default();
        let c1 = a.hold(100_000.0, 0.045, day(2024, 4, 1), day(2024, 4, 16));
        assert_eq!(c1, 0.0, "nothing is credited before the month ends");
        let c2 = a.hold(100_000.0, 0.05, day(2024, 4, 16), day(2024, 5, 1));
        let by_hand = 100_000.0 * 0.045 / 365.0 * 15.0 + 100_000.0 * 0.05 / 365.0 * 15.0;
        assert!((c2 - 390.410_958_904_109_6).abs() < 1e-9);
        assert!((c2 - by_hand).abs() < 1e-9);
        assert_eq!(a.accrued, 0.0);
    }

    #[test]
    fn a_weekend_across_a_month_end_compounds_the_credit() {
        // Friday 2024-05-31 close to Monday 2024-06-03: 36,500 USD at 3.65% earns 3.65 USD a
        // day. May 31 is credited with May's interest: 3.65 (the run began on May 31).
        // June 1 and 2 accrue on 36,503.65: 2 × 36,503.65 × 0.0365 / 365 = 7.30073.
        let mut a = Accrual::default();
        let credited = a.hold(36_500.0, 0.0365, day(2024, 5, 31), day(2024, 6, 3));
        assert!((credited - 3.65).abs() < 1e-9);
        assert!((a.accrued - 7.300_73).abs() < 1e-9);
        assert!((a.settle() - 7.300_73).abs() < 1e-9);
        assert!((a.credited - 10.950_73).abs() < 1e-9);
    }

    #[test]
    fn negative_cash_and_unknown_rates_earn_nothing() {
        let mut a = Accrual::default();
        a.hold(-500.0, 0.05, day(2024, 1, 1), day(2024, 1, 11));
        a.hold(500.0, f64::NAN, day(2024, 1, 11), day(2024, 1, 14));
        assert_eq!(a.settle(), 0.0);
        assert_eq!(a.days_without_rate, 3);
    }
}
