//! Average true range.

use super::ema::Ema;

/// Wilder's average true range over `n` bars.
///
/// The true range of a bar is `max(high - low, |high - prev_close|, |low - prev_close|)`,
/// which counts an overnight gap as range; the first bar has no previous close, so its true
/// range is `high - low`. The ATR is seeded with the mean of the first `n` true ranges (so
/// it is available on the `n`-th bar) and then Wilder-smoothed,
/// `atr = (prev * (n - 1) + tr) / n`.
#[derive(Debug, Clone)]
pub struct Atr {
    previous_close: f64,
    average: Ema,
}

impl Atr {
    /// An ATR over `n >= 1` bars.
    pub fn new(n: usize) -> Self {
        Self {
            previous_close: f64::NAN,
            average: Ema::wilder(n),
        }
    }

    /// Feeds this bar's high, low and close; NaN (state unchanged) unless all three are
    /// available.
    pub fn update(&mut self, high: f64, low: f64, close: f64) -> f64 {
        if !(high.is_finite() && low.is_finite() && close.is_finite()) {
            return f64::NAN;
        }
        let previous = std::mem::replace(&mut self.previous_close, close);
        let range = high - low;
        let true_range = if previous.is_nan() {
            range
        } else {
            range.max((high - previous).abs()).max((low - previous).abs())
        };
        self.average.update(true_range)
    }
}

#[cfg(test)]
mod tests {
    use super::Atr;
    use crate::indicators::testing::{Lcg, assert_close, prices, seeded_average_closed_form, with_gaps};

    #[test]
    fn hand_worked() {
        // ATR(2); bars (high, low, close):
        // (10, 8, 9):       first bar, TR = 10 - 8 = 2.
        // (12, 10, 11):     TR = max(2, |12 - 9|, |10 - 9|) = 3; ATR = (2 + 3)/2 = 2.5.
        // (11.5, 10.5, 11): TR = max(1, 0.5, 0.5) = 1; ATR = (2.5*1 + 1)/2 = 1.75.
        // (9, 8, 8.5):      gap down, TR = max(1, |9 - 11|, |8 - 11|) = 3;
        //                   ATR = (1.75 + 3)/2 = 2.375.
        let mut atr = Atr::new(2);
        assert!(atr.update(10.0, 8.0, 9.0).is_nan());
        assert_eq!(atr.update(12.0, 10.0, 11.0), 2.5);
        assert_eq!(atr.update(11.5, 10.5, 11.0), 1.75);
        assert_eq!(atr.update(9.0, 8.0, 8.5), 2.375);
    }

    #[test]
    fn bar_with_any_missing_field_is_skipped() {
        // ATR(1) is the true range itself. The skipped bar's close (100) must not become
        // the previous close: the last bar's TR is max(1, |11 - 9|, |10 - 9|) = 2.
        let mut atr = Atr::new(1);
        assert_eq!(atr.update(10.0, 8.0, 9.0), 2.0);
        assert!(atr.update(f64::NAN, 99.0, 100.0).is_nan());
        assert!(atr.update(101.0, 99.0, f64::NAN).is_nan());
        assert_eq!(atr.update(11.0, 10.0, 10.5), 2.0);
    }

    #[test]
    fn matches_naive_recomputation_and_skips_nan_bars() {
        let closes = with_gaps(&prices(17, 300), 18);
        let mut rng = Lcg::new(19);
        let bars: Vec<(f64, f64, f64)> = closes
            .iter()
            .map(|&c| (c * (1.0 + 0.02 * rng.next_f64()), c * (1.0 - 0.02 * rng.next_f64()), c))
            .collect();
        for n in [1, 2, 5, 14] {
            let mut atr = Atr::new(n);
            for (t, &(high, low, close)) in bars.iter().enumerate() {
                let actual = atr.update(high, low, close);
                let seen: Vec<_> = bars[..=t].iter().filter(|b| !b.2.is_nan()).collect();
                let true_ranges: Vec<f64> = seen
                    .iter()
                    .enumerate()
                    .map(|(i, &&(h, l, _))| match i {
                        0 => h - l,
                        _ => {
                            let pc = seen[i - 1].2;
                            [h - l, (h - pc).abs(), (l - pc).abs()].into_iter().fold(0.0, f64::max)
                        }
                    })
                    .collect();
                let expected = if close.is_nan() {
                    f64::NAN
                } else {
                    seeded_average_closed_form(&true_ranges, n, 1.0 / n as f64)
                };
                assert_close(actual, expected, &format!("ATR({n}) at bar {t}"));
            }
        }
    }

    #[test]
    fn first_value_after_n() {
        let mut atr = Atr::new(14);
        let first = prices(21, 40)
            .into_iter()
            .position(|c| !atr.update(c + 1.0, c - 1.0, c).is_nan());
        assert_eq!(first, Some(13));
    }
}
