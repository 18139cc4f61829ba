//! Rolling maximum.

use super::monotonic_window::{Extreme, MonotonicWindow};

/// The maximum of the last `n` values, the current one included; NaN until `n` values have
/// arrived. Amortised O(1) per bar.
#[derive(Debug, Clone)]
pub struct Highest {
    window: MonotonicWindow,
}

impl Highest {
    /// The maximum over `n >= 1` bars.
    pub fn new(n: usize) -> Self {
        Self {
            window: MonotonicWindow::new(n, Extreme::Highest),
        }
    }

    /// Feeds this bar's value and returns the maximum of the last `n`; NaN (state unchanged)
    /// if `x` is not available.
    pub fn update(&mut self, x: f64) -> f64 {
        if !x.is_finite() {
            return f64::NAN;
        }
        self.window.push(x)
    }
}

#[cfg(test)]
mod tests {
    use super::Highest;
    use crate::indicators::testing::{Lcg, check_against_naive, prices, warm_up, with_gaps};

    #[test]
    fn hand_worked() {
        // Highest(3) of 1, 3, 2, 0, -1, 5: NaN, NaN, max(1,3,2) = 3, max(3,2,0) = 3,
        // max(2,0,-1) = 2, max(0,-1,5) = 5.
        let mut highest = Highest::new(3);
        let out = [1.0, 3.0, 2.0, 0.0, -1.0, 5.0].map(|x| highest.update(x));
        assert!(out[0].is_nan() && out[1].is_nan());
        assert_eq!(&out[2..], [3.0, 3.0, 2.0, 5.0]);
    }

    #[test]
    fn matches_naive_recomputation_and_skips_nan_bars() {
        // Small integers as well as prices, so that ties between equal values occur.
        let mut rng = Lcg::new(33);
        let integers: Vec<f64> = (0..300).map(|_| (rng.next_f64() * 6.0).floor()).collect();
        for xs in [with_gaps(&prices(34, 300), 35), with_gaps(&integers, 36)] {
            for n in [1, 2, 5, 20] {
                let mut highest = Highest::new(n);
                check_against_naive(
                    &xs,
                    |x| highest.update(x),
                    |seen| {
                        if seen.len() < n {
                            return f64::NAN;
                        }
                        seen[seen.len() - n..].iter().copied().fold(f64::MIN, f64::max)
                    },
                    &format!("Highest({n})"),
                );
            }
        }
    }

    #[test]
    fn first_value_after_n() {
        for n in [1, 10] {
            let mut highest = Highest::new(n);
            assert_eq!(warm_up(|x| highest.update(x)), n);
        }
    }
}
