//! Simple moving average.

use super::rolling_moments::RollingMoments;

/// Mean of the last `n` values; NaN until `n` values have arrived.
#[derive(Debug, Clone)]
pub struct Sma {
    moments: RollingMoments,
}

impl Sma {
    /// An SMA over `n >= 1` bars.
    pub fn new(n: usize) -> Self {
        Self {
            moments: RollingMoments::mean_only(n),
        }
    }

    /// Feeds this bar's value and returns the mean of the last `n`; NaN (state unchanged) if
    /// `x` is not available.
    #[inline]
    pub fn update(&mut self, x: f64) -> f64 {
        if !x.is_finite() {
            return f64::NAN;
        }
        self.moments.push(x);
        if self.moments.is_full() {
            self.moments.mean()
        } else {
            f64::NAN
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Sma;
    use crate::indicators::testing::{check_against_naive, check_no_drift, prices, warm_up, with_gaps};

    fn naive(seen: &[f64], n: usize) -> f64 {
        if seen.len() < n {
            return f64::NAN;
        }
        seen[seen.len() - n..].iter().sum::<f64>() / n as f64
    }

    #[test]
    fn hand_worked() {
        // SMA(3) of 1, 2, 3, 4: NaN, NaN, (1+2+3)/3 = 2, (2+3+4)/3 = 3.
        let mut sma = Sma::new(3);
        let out = [1.0, 2.0, 3.0, 4.0].map(|x| sma.update(x));
        assert!(out[0].is_nan() && out[1].is_nan());
        assert_eq!(&out[2..], [2.0, 3.0]);
    }

    #[test]
    fn nan_bar_is_skipped() {
        // The NaN bar neither counts towards the window nor changes it: SMA(2) of 1, NaN, 3
        // is NaN, NaN, (1+3)/2 = 2.
        let mut sma = Sma::new(2);
        let out = [1.0, f64::NAN, 3.0].map(|x| sma.update(x));
        assert!(out[0].is_nan() && out[1].is_nan());
        assert_eq!(out[2], 2.0);
    }

    #[test]
    fn matches_naive_recomputation_and_skips_nan_bars() {
        let xs = with_gaps(&prices(3, 300), 4);
        for n in [1, 2, 5, 20] {
            let mut sma = Sma::new(n);
            check_against_naive(&xs, |x| sma.update(x), |seen| naive(seen, n), &format!("SMA({n})"));
        }
    }

    #[test]
    fn first_value_after_n() {
        for n in [1, 3, 10] {
            let mut sma = Sma::new(n);
            assert_eq!(warm_up(|x| sma.update(x)), n);
        }
    }

    #[test]
    fn no_drift_after_a_million_updates() {
        let n = 50;
        let mut sma = Sma::new(n);
        check_no_drift(|x| sma.update(x), |seen| naive(seen, n));
    }
}
