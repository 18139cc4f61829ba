//! Bollinger bands.

use super::rolling_moments::RollingMoments;

/// One bar of [`Bollinger`]; all fields NaN until `n` values have arrived.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BollingerValue {
    /// SMA of the last `n` values.
    pub middle: f64,
    /// `middle + k * sd`.
    pub upper: f64,
    /// `middle - k * sd`.
    pub lower: f64,
    /// Where the value sits in the band: `(x - lower) / (upper - lower)`, 0 at the lower
    /// band, 1 at the upper; NaN when the band has zero width.
    pub percent_b: f64,
}

impl BollingerValue {
    const NAN: Self = Self {
        middle: f64::NAN,
        upper: f64::NAN,
        lower: f64::NAN,
        percent_b: f64::NAN,
    };
}

/// Bollinger bands: the SMA of the last `n` values ± `k` POPULATION standard deviations
/// of the same window (Bollinger's own definition).
#[derive(Debug, Clone)]
pub struct Bollinger {
    moments: RollingMoments,
    k: f64,
}

impl Bollinger {
    /// Bands over `n >= 1` bars, `k` standard deviations wide on each side (classically 20, 2).
    pub fn new(n: usize, k: f64) -> Self {
        Self {
            moments: RollingMoments::new(n),
            k,
        }
    }

    /// Feeds this bar's value; all fields NaN (state unchanged) if `x` is not available.
    pub fn update(&mut self, x: f64) -> BollingerValue {
        if !x.is_finite() {
            return BollingerValue::NAN;
        }
        self.moments.push(x);
        if !self.moments.is_full() {
            return BollingerValue::NAN;
        }
        let middle = self.moments.mean();
        let width = self.k * self.moments.population_variance().sqrt();
        let (upper, lower) = (middle + width, middle - width);
        let percent_b = if upper == lower {
            f64::NAN
        } else {
            (x - lower) / (upper - lower)
        };
        BollingerValue {
            middle,
            upper,
            lower,
            percent_b,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Bollinger;
    use crate::indicators::testing::{
        assert_close, available, check_no_drift, mean_and_squared_deviations, prices, with_gaps,
    };

    #[test]
    fn hand_worked() {
        // n = 3, k = 2 over 1, 2, 3: middle 2, population variance (1 + 0 + 1)/3 = 2/3,
        // sd = sqrt(2/3) ≈ 0.8165, bands 2 ± 1.633; %b of 3 = (3 - (2 - 2sd)) / (4sd)
        // = (1 + 2sd) / (4sd) ≈ 0.8062.
        let mut bands = Bollinger::new(3, 2.0);
        bands.update(1.0);
        bands.update(2.0);
        let value = bands.update(3.0);
        let sd = (2.0_f64 / 3.0).sqrt();
        assert_close(value.middle, 2.0, "middle");
        assert_close(value.upper, 2.0 + 2.0 * sd, "upper");
        assert_close(value.lower, 2.0 - 2.0 * sd, "lower");
        assert_close(value.percent_b, (1.0 + 2.0 * sd) / (4.0 * sd), "%b");
        assert!((value.percent_b - 0.8062).abs() < 1e-4);
    }

    #[test]
    fn flat_window_has_no_percent_b() {
        let mut bands = Bollinger::new(3, 2.0);
        let value = [0.1, 0.1, 0.1].map(|x| bands.update(x))[2];
        assert_eq!((value.upper, value.middle, value.lower), (0.1, 0.1, 0.1));
        assert!(value.percent_b.is_nan());
    }

    #[test]
    fn matches_naive_recomputation_and_skips_nan_bars() {
        let xs = with_gaps(&prices(13, 300), 14);
        for (n, k) in [(1, 2.0), (2, 1.0), (5, 2.0), (20, 2.5)] {
            let mut bands = Bollinger::new(n, k);
            for (t, &x) in xs.iter().enumerate() {
                let actual = bands.update(x);
                let context = format!("Bollinger({n}, {k}) at bar {t}");
                let seen = available(&xs[..=t]);
                if x.is_nan() || seen.len() < n {
                    assert!(actual.middle.is_nan() && actual.upper.is_nan(), "{context}");
                    assert!(actual.lower.is_nan() && actual.percent_b.is_nan(), "{context}");
                    continue;
                }
                let (mean, squares) = mean_and_squared_deviations(&seen[seen.len() - n..]);
                let sd = (squares / n as f64).sqrt();
                assert_close(actual.middle, mean, &context);
                assert_close(actual.upper, mean + k * sd, &context);
                assert_close(actual.lower, mean - k * sd, &context);
                if sd > 0.0 {
                    let b = (x - (mean - k * sd)) / (2.0 * k * sd);
                    // %b divides by the band width, which amplifies the 1e-9 of the bands.
                    assert!((actual.percent_b - b).abs() < 1e-6, "{context}: %b");
                }
            }
        }
    }

    #[test]
    fn first_value_after_n() {
        let mut bands = Bollinger::new(20, 2.0);
        let out: Vec<_> = prices(15, 40).into_iter().map(|x| bands.update(x)).collect();
        assert_eq!(out.iter().position(|v| !v.middle.is_nan()), Some(19));
    }

    #[test]
    fn no_drift_after_a_million_updates() {
        let n = 50;
        let mut bands = Bollinger::new(n, 2.0);
        check_no_drift(
            |x| bands.update(x).upper,
            |seen| {
                let (mean, squares) = mean_and_squared_deviations(&seen[seen.len() - n..]);
                mean + 2.0 * (squares / n as f64).sqrt()
            },
        );
    }
}
