//! The value a number of bars ago.

use super::window::Window;

/// The value `n` bars ago (counting available bars); `Lag::new(0)` returns the value itself.
/// NaN until `n + 1` values have arrived.
#[derive(Debug, Clone)]
pub struct Lag {
    window: Window,
}

impl Lag {
    /// The value `n >= 0` bars back.
    pub fn new(n: usize) -> Self {
        Self {
            window: Window::new(n + 1),
        }
    }

    /// Feeds this bar's value and returns the one `n` bars before it; NaN (state unchanged)
    /// if `x` is not available.
    pub fn update(&mut self, x: f64) -> f64 {
        if !x.is_finite() {
            return f64::NAN;
        }
        self.window.push(x);
        if self.window.is_full() {
            self.window.ago(self.window.capacity() - 1)
        } else {
            f64::NAN
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Lag;
    use crate::indicators::testing::{check_against_naive, prices, warm_up, with_gaps};

    #[test]
    fn hand_worked() {
        // Lag(2) of 1, 2, 3, 4: NaN, NaN, 1, 2. Lag(0) is the identity.
        let mut lag = Lag::new(2);
        let out = [1.0, 2.0, 3.0, 4.0].map(|x| lag.update(x));
        assert!(out[0].is_nan() && out[1].is_nan());
        assert_eq!(&out[2..], [1.0, 2.0]);
        let mut identity = Lag::new(0);
        assert_eq!([5.0, 6.0].map(|x| identity.update(x)), [5.0, 6.0]);
    }

    #[test]
    fn matches_naive_recomputation_and_skips_nan_bars() {
        let xs = with_gaps(&prices(27, 200), 28);
        for n in [0, 1, 5, 20] {
            let mut lag = Lag::new(n);
            check_against_naive(
                &xs,
                |x| lag.update(x),
                |seen| {
                    if seen.len() > n {
                        seen[seen.len() - 1 - n]
                    } else {
                        f64::NAN
                    }
                },
                &format!("Lag({n})"),
            );
        }
    }

    #[test]
    fn first_value_after_n_plus_one() {
        for n in [0, 1, 10] {
            let mut lag = Lag::new(n);
            assert_eq!(warm_up(|x| lag.update(x)), n + 1);
        }
    }
}
