//! Rolling z-score.

use super::rolling_moments::RollingMoments;

/// How many standard deviations the value is from the mean of the last `n` values (the
/// current one included): `(x - mean) / sample_stdev`. NaN until `n` values have arrived,
/// and NaN when the window is flat (standard deviation 0).
#[derive(Debug, Clone)]
pub struct Zscore {
    moments: RollingMoments,
}

impl Zscore {
    /// A z-score over `n >= 2` bars.
    pub fn new(n: usize) -> Self {
        assert!(n >= 2, "a sample standard deviation needs at least two values");
        Self {
            moments: RollingMoments::new(n),
        }
    }

    /// Feeds this bar's value and returns its z-score; NaN (state unchanged) if `x` is not
    /// available.
    pub fn update(&mut self, x: f64) -> f64 {
        if !x.is_finite() {
            return f64::NAN;
        }
        self.moments.push(x);
        if !self.moments.is_full() {
            return f64::NAN;
        }
        let stdev = self.moments.sample_variance().sqrt();
        if stdev == 0.0 {
            return f64::NAN;
        }
        (x - self.moments.mean()) / stdev
    }
}

#[cfg(test)]
mod tests {
    use super::Zscore;
    use crate::indicators::testing::{
        check_against_naive, check_no_drift, mean_and_squared_deviations, prices, warm_up, with_gaps,
    };

    fn naive(seen: &[f64], n: usize) -> f64 {
        if seen.len() < n {
            return f64::NAN;
        }
        let (mean, squares) = mean_and_squared_deviations(&seen[seen.len() - n..]);
        let stdev = (squares / (n - 1) as f64).sqrt();
        if stdev == 0.0 {
            return f64::NAN;
        }
        (seen[seen.len() - 1] - mean) / stdev
    }

    #[test]
    fn hand_worked() {
        // Zscore(3) of 1, 2, 3: mean 2, sample variance (1 + 0 + 1)/2 = 1, so (3 - 2)/1 = 1.
        // Then 2, 3, 1: mean 2, same variance, (1 - 2)/1 = -1.
        let mut zscore = Zscore::new(3);
        let out = [1.0, 2.0, 3.0, 1.0].map(|x| zscore.update(x));
        assert!(out[0].is_nan() && out[1].is_nan());
        assert!((out[2] - 1.0).abs() < 1e-12 && (out[3] + 1.0).abs() < 1e-12);
    }

    #[test]
    fn flat_window_is_nan() {
        let mut zscore = Zscore::new(3);
        let out = [9.0, 0.7, 0.7, 0.7].map(|x| zscore.update(x));
        assert!(out[3].is_nan());
    }

    #[test]
    fn matches_naive_recomputation_and_skips_nan_bars() {
        let xs = with_gaps(&prices(39, 300), 40);
        for n in [2, 5, 20] {
            let mut zscore = Zscore::new(n);
            check_against_naive(
                &xs,
                |x| zscore.update(x),
                |seen| naive(seen, n),
                &format!("Zscore({n})"),
            );
        }
    }

    #[test]
    fn first_value_after_n() {
        for n in [2, 10] {
            let mut zscore = Zscore::new(n);
            assert_eq!(warm_up(|x| zscore.update(x)), n);
        }
    }

    #[test]
    fn no_drift_after_a_million_updates() {
        let n = 50;
        let mut zscore = Zscore::new(n);
        check_no_drift(|x| zscore.update(x), |seen| naive(seen, n));
    }
}
