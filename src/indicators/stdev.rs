//! Rolling standard deviation.

use super::rolling_moments::RollingMoments;

/// SAMPLE standard deviation (denominator `n - 1`) of the last `n` values; NaN until `n`
/// values have arrived.
#[derive(Debug, Clone)]
pub struct Stdev {
    moments: RollingMoments,
}

impl Stdev {
    /// A standard deviation over `n >= 2` bars (one value has no sample deviation).
    pub fn new(n: usize) -> Self {
        assert!(n >= 2, "a sample standard deviation needs at least two values");
        Self {
            moments: RollingMoments::new(n),
        }
    }

    /// Feeds this bar's value and returns the standard deviation of the last `n`; NaN (state
    /// unchanged) if `x` is not available.
    pub fn update(&mut self, x: f64) -> f64 {
        if !x.is_finite() {
            return f64::NAN;
        }
        self.moments.push(x);
        if self.moments.is_full() {
            self.moments.sample_variance().sqrt()
        } else {
            f64::NAN
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Stdev;
    use crate::indicators::testing::{
        check_against_naive, check_no_drift, mean_and_squared_deviations, prices, warm_up, with_gaps,
    };

    fn naive(seen: &[f64], n: usize) -> f64 {
        if seen.len() < n {
            return f64::NAN;
        }
        let (_, squares) = mean_and_squared_deviations(&seen[seen.len() - n..]);
        (squares / (n - 1) as f64).sqrt()
    }

    #[test]
    fn hand_worked() {
        // Stdev(3) of 2, 4, 6: mean 4, squared deviations 4 + 0 + 4 = 8, 8/(3-1) = 4, sd 2.
        // Then 4, 6, 6: mean 16/3, deviations (4/3)² + 2(2/3)² = 24/9, /2 = 4/3.
        let mut stdev = Stdev::new(3);
        let out = [2.0, 4.0, 6.0, 6.0].map(|x| stdev.update(x));
        assert!(out[0].is_nan() && out[1].is_nan());
        assert!((out[2] - 2.0).abs() < 1e-12);
        assert!((out[3] - (4.0_f64 / 3.0).sqrt()).abs() < 1e-12);
    }

    #[test]
    fn flat_window_is_exactly_zero() {
        let mut stdev = Stdev::new(2);
        let out = [3.0, 0.3, 0.3].map(|x| stdev.update(x));
        assert_eq!(out[2], 0.0);
    }

    #[test]
    fn matches_naive_recomputation_and_skips_nan_bars() {
        let xs = with_gaps(&prices(23, 300), 24);
        for n in [2, 3, 5, 20] {
            let mut stdev = Stdev::new(n);
            check_against_naive(&xs, |x| stdev.update(x), |seen| naive(seen, n), &format!("Stdev({n})"));
        }
    }

    #[test]
    fn first_value_after_n() {
        for n in [2, 3, 10] {
            let mut stdev = Stdev::new(n);
            assert_eq!(warm_up(|x| stdev.update(x)), n);
        }
    }

    #[test]
    fn no_drift_after_a_million_updates() {
        let n = 50;
        let mut stdev = Stdev::new(n);
        check_no_drift(|x| stdev.update(x), |seen| naive(seen, n));
    }
}
