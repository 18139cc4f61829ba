//! Drawdown from the peak.

use super::highest::Highest;

/// How far the value is below its peak, `1 - x / peak`, as a positive fraction (0.25 = 25%
/// below the peak, 0 at a new high). The peak is the maximum over all history, or over the
/// last `n` values (then NaN until `n` values have arrived).
///
/// Defined for positive series such as prices: NaN while the peak is not positive.
#[derive(Debug, Clone)]
pub struct Drawdown {
    peak: Peak,
}

#[derive(Debug, Clone)]
enum Peak {
    AllTime(f64),
    Window(Highest),
}

impl Drawdown {
    /// Drawdown from the all-time peak (`None`) or from the peak of the last `n >= 1` values.
    pub fn new(n: Option<usize>) -> Self {
        let peak = match n {
            None => Peak::AllTime(f64::NAN),
            Some(n) => Peak::Window(Highest::new(n)),
        };
        Self { peak }
    }

    /// Feeds this bar's value and returns its drawdown; NaN (state unchanged) if `x` is not
    /// available.
    pub fn update(&mut self, x: f64) -> f64 {
        if !x.is_finite() {
            return f64::NAN;
        }
        let peak = match &mut self.peak {
            Peak::AllTime(peak) => {
                // `f64::max` ignores the NaN of "no peak yet".
                *peak = peak.max(x);
                *peak
            }
            Peak::Window(highest) => highest.update(x),
        };
        if peak > 0.0 { 1.0 - x / peak } else { f64::NAN }
    }
}

#[cfg(test)]
mod tests {
    use super::Drawdown;
    use crate::indicators::testing::{check_against_naive, prices, warm_up, with_gaps};

    #[test]
    fn hand_worked() {
        // All-time peak over 100, 120, 90, 60, 130: peaks 100, 120, 120, 120, 130;
        // drawdowns 0, 0, 1 - 90/120 = 0.25, 1 - 60/120 = 0.5, 0 (new high).
        let mut all_time = Drawdown::new(None);
        let out = [100.0, 120.0, 90.0, 60.0, 130.0].map(|x| all_time.update(x));
        assert_eq!(out, [0.0, 0.0, 0.25, 0.5, 0.0]);
        // Peak of the last 2: NaN, max(100,120) = 120 → 0, max(120,90) → 0.25,
        // max(90,60) = 90 → 1 - 60/90 = 1/3, max(60,130) → 0.
        let mut recent = Drawdown::new(Some(2));
        let out = [100.0, 120.0, 90.0, 60.0, 130.0].map(|x| recent.update(x));
        assert!(out[0].is_nan());
        assert_eq!([out[1], out[2], out[4]], [0.0, 0.25, 0.0]);
        assert!((out[3] - 1.0 / 3.0).abs() < 1e-15);
    }

    #[test]
    fn no_positive_peak_is_nan() {
        let mut drawdown = Drawdown::new(None);
        assert!(drawdown.update(0.0).is_nan());
        assert!(drawdown.update(-5.0).is_nan());
        assert_eq!(drawdown.update(4.0), 0.0);
        assert_eq!(drawdown.update(1.0), 0.75);
    }

    #[test]
    fn matches_naive_recomputation_and_skips_nan_bars() {
        let xs = with_gaps(&prices(37, 300), 38);
        for n in [None, Some(1), Some(5), Some(50)] {
            let mut drawdown = Drawdown::new(n);
            check_against_naive(
                &xs,
                |x| drawdown.update(x),
                |seen| {
                    let start = match n {
                        None => 0,
                        Some(n) if seen.len() >= n => seen.len() - n,
                        Some(_) => return f64::NAN,
                    };
                    let peak = seen[start..].iter().copied().fold(f64::MIN, f64::max);
                    (peak - seen[seen.len() - 1]) / peak
                },
                &format!("Drawdown({n:?})"),
            );
        }
    }

    #[test]
    fn warm_up_is_one_value_or_the_window() {
        let mut all_time = Drawdown::new(None);
        assert_eq!(warm_up(|x| all_time.update(x)), 1);
        let mut recent = Drawdown::new(Some(10));
        assert_eq!(warm_up(|x| recent.update(x)), 10);
    }
}
