//! Linearly weighted moving average.

use super::compensated_sum::CompensatedSum;
use super::window::Window;

/// Weighted mean of the last `n` values, the newest weighted `n`, the one before `n - 1`, …,
/// the oldest 1, divided by `n(n+1)/2`; NaN until `n` values have arrived.
///
/// Sliding the window lowers every weight by one, so the weighted sum loses the plain sum of
/// the old window and gains `n * x`: O(1) per bar with a running plain sum. Both sums are
/// compensated and rebuilt from the window every `n` bars so they cannot drift.
#[derive(Debug, Clone)]
pub struct Wma {
    window: Window,
    weighted_sum: CompensatedSum,
    sum: CompensatedSum,
    pushes_since_rebuild: usize,
}

impl Wma {
    /// A WMA over `n >= 1` bars.
    pub fn new(n: usize) -> Self {
        Self {
            window: Window::new(n),
            weighted_sum: CompensatedSum::default(),
            sum: CompensatedSum::default(),
            pushes_since_rebuild: 0,
        }
    }

    /// Feeds this bar's value and returns the weighted mean of the last `n`; NaN (state
    /// unchanged) if `x` is not available.
    pub fn update(&mut self, x: f64) -> f64 {
        if !x.is_finite() {
            return f64::NAN;
        }
        let n = self.window.capacity();
        match self.window.push(x) {
            Some(evicted) => {
                self.weighted_sum.add(-self.sum.value());
                self.weighted_sum.add(n as f64 * x);
                self.sum.add(-evicted);
                self.sum.add(x);
                self.pushes_since_rebuild += 1;
                if self.pushes_since_rebuild >= n {
                    self.rebuild();
                }
            }
            // The sums are first needed, and built, when the window fills.
            None if self.window.is_full() => self.rebuild(),
            None => return f64::NAN,
        }
        self.weighted_sum.value() / (n * (n + 1) / 2) as f64
    }

    fn rebuild(&mut self) {
        self.weighted_sum = CompensatedSum::of(self.window.iter().enumerate().map(|(i, x)| (i + 1) as f64 * x));
        self.sum = CompensatedSum::of(self.window.iter());
        self.pushes_since_rebuild = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::Wma;
    use crate::indicators::testing::{check_against_naive, check_no_drift, prices, warm_up, with_gaps};

    fn naive(seen: &[f64], n: usize) -> f64 {
        if seen.len() < n {
            return f64::NAN;
        }
        let last = &seen[seen.len() - n..];
        let weighted: f64 = last.iter().zip(1..).map(|(x, w)| x * f64::from(w)).sum();
        let weights: f64 = (1..=n).map(|w| w as f64).sum();
        weighted / weights
    }

    #[test]
    fn hand_worked() {
        // WMA(3) weights 1, 2, 3 over 6: (1*1 + 2*2 + 3*3)/6 = 14/6, then (1*2 + 2*3 + 3*4)/6
        // = 20/6, then (1*3 + 2*4 + 3*0)/6 = 11/6.
        let mut wma = Wma::new(3);
        let out = [1.0, 2.0, 3.0, 4.0, 0.0].map(|x| wma.update(x));
        assert!(out[0].is_nan() && out[1].is_nan());
        assert_eq!(&out[2..], [14.0 / 6.0, 20.0 / 6.0, 11.0 / 6.0]);
    }

    #[test]
    fn matches_naive_recomputation_and_skips_nan_bars() {
        let xs = with_gaps(&prices(5, 300), 6);
        for n in [1, 2, 5, 20] {
            let mut wma = Wma::new(n);
            check_against_naive(&xs, |x| wma.update(x), |seen| naive(seen, n), &format!("WMA({n})"));
        }
    }

    #[test]
    fn first_value_after_n() {
        for n in [1, 3, 10] {
            let mut wma = Wma::new(n);
            assert_eq!(warm_up(|x| wma.update(x)), n);
        }
    }

    #[test]
    fn no_drift_after_a_million_updates() {
        let n = 50;
        let mut wma = Wma::new(n);
        check_no_drift(|x| wma.update(x), |seen| naive(seen, n));
    }
}
