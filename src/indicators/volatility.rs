//! Annualised volatility of simple returns.

use super::rolling_moments::RollingMoments;

/// SAMPLE standard deviation of the last `n` simple returns `x_t / x_{t-1} - 1`, times
/// `sqrt(periods_per_year)` (252 for daily bars); needs `n + 1` values.
///
/// A return out of a zero value is undefined: on that bar the output is NaN and no return
/// enters the window, but the value still becomes the previous one.
#[derive(Debug, Clone)]
pub struct Volatility {
    previous: f64,
    returns: RollingMoments,
    annualisation: f64,
}

impl Volatility {
    /// Volatility over `n >= 2` returns, annualised for `periods_per_year` bars a year.
    pub fn new(n: usize, periods_per_year: f64) -> Self {
        assert!(n >= 2, "a sample standard deviation needs at least two returns");
        Self {
            previous: f64::NAN,
            returns: RollingMoments::new(n),
            annualisation: periods_per_year.sqrt(),
        }
    }

    /// Feeds this bar's value and returns the annualised volatility; NaN (state unchanged)
    /// if `x` is not available.
    pub fn update(&mut self, x: f64) -> f64 {
        if !x.is_finite() {
            return f64::NAN;
        }
        let previous = std::mem::replace(&mut self.previous, x);
        let simple_return = x / previous - 1.0;
        // NaN before the second value; infinite or NaN out of a zero value.
        if !simple_return.is_finite() {
            return f64::NAN;
        }
        self.returns.push(simple_return);
        if self.returns.is_full() {
            self.returns.sample_variance().sqrt() * self.annualisation
        } else {
            f64::NAN
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Volatility;
    use crate::indicators::testing::{
        assert_close, check_against_naive, check_no_drift, mean_and_squared_deviations, prices, warm_up, with_gaps,
    };

    fn naive(seen: &[f64], n: usize, periods_per_year: f64) -> f64 {
        if seen.len() < n + 1 {
            return f64::NAN;
        }
        let last = &seen[seen.len() - n - 1..];
        let returns: Vec<f64> = last.windows(2).map(|w| (w[1] - w[0]) / w[0]).collect();
        let (_, squares) = mean_and_squared_deviations(&returns);
        (squares / (n - 1) as f64 * periods_per_year).sqrt()
    }

    #[test]
    fn hand_worked() {
        // Volatility(2, 4 periods a year) of 100, 110, 99, 99: returns +0.1, -0.1, 0.
        // Bar 3: returns 0.1, -0.1, mean 0, sample variance (0.01 + 0.01)/1 = 0.02,
        //        times sqrt(4) = 2: 2 * sqrt(0.02) ≈ 0.2828.
        // Bar 4: returns -0.1, 0, mean -0.05, variance (0.0025 + 0.0025)/1 = 0.005,
        //        2 * sqrt(0.005) ≈ 0.1414.
        let mut volatility = Volatility::new(2, 4.0);
        let out = [100.0, 110.0, 99.0, 99.0].map(|x| volatility.update(x));
        assert!(out[0].is_nan() && out[1].is_nan());
        assert_close(out[2], 2.0 * 0.02_f64.sqrt(), "bar 3");
        assert_close(out[3], 2.0 * 0.005_f64.sqrt(), "bar 4");
    }

    #[test]
    fn return_out_of_zero_is_skipped() {
        // 1, 0, 2, 4, 8: the return 0 → 2 is undefined, so the window holds -1 (1 → 0),
        // then 1 (2 → 4) and 1 (4 → 8): stdev of (1, 1) is 0.
        let mut volatility = Volatility::new(2, 1.0);
        let out = [1.0, 0.0, 2.0, 4.0, 8.0].map(|x| volatility.update(x));
        assert!(out[2].is_nan());
        assert_close(out[3], (2.0_f64).sqrt(), "returns -1, 1");
        assert_eq!(out[4], 0.0);
    }

    #[test]
    fn matches_naive_recomputation_and_skips_nan_bars() {
        let xs = with_gaps(&prices(25, 300), 26);
        for n in [2, 5, 20] {
            let mut volatility = Volatility::new(n, 252.0);
            check_against_naive(
                &xs,
                |x| volatility.update(x),
                |seen| naive(seen, n, 252.0),
                &format!("Volatility({n})"),
            );
        }
    }

    #[test]
    fn first_value_after_n_plus_one() {
        for n in [2, 3, 20] {
            let mut volatility = Volatility::new(n, 252.0);
            assert_eq!(warm_up(|x| volatility.update(x)), n + 1);
        }
    }

    #[test]
    fn no_drift_after_a_million_updates() {
        let n = 50;
        let mut volatility = Volatility::new(n, 252.0);
        check_no_drift(|x| volatility.update(x), |seen| naive(seen, n, 252.0));
    }
}
