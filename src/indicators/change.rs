//! Change over a number of bars.

use super::lag::Lag;

/// The change over `n` bars, `x_t - x_{t-n}`; NaN until `n + 1` values have arrived.
#[derive(Debug, Clone)]
pub struct Change {
    lag: Lag,
}

impl Change {
    /// The change over `n >= 1` bars.
    pub fn new(n: usize) -> Self {
        Self { lag: Lag::new(n) }
    }

    /// Feeds this bar's value and returns the change since `n` bars ago; NaN (state
    /// unchanged) if `x` is not available.
    pub fn update(&mut self, x: f64) -> f64 {
        // NaN whenever `x` or the lagged value is.
        x - self.lag.update(x)
    }
}

#[cfg(test)]
mod tests {
    use super::Change;
    use crate::indicators::testing::{check_against_naive, prices, warm_up, with_gaps};

    #[test]
    fn hand_worked() {
        // Change(1) of 1, 4, 2: NaN, 4 - 1 = 3, 2 - 4 = -2.
        let mut change = Change::new(1);
        let out = [1.0, 4.0, 2.0].map(|x| change.update(x));
        assert!(out[0].is_nan());
        assert_eq!(&out[1..], [3.0, -2.0]);
    }

    #[test]
    fn infinite_input_is_skipped() {
        let mut change = Change::new(1);
        change.update(1.0);
        assert!(change.update(f64::NEG_INFINITY).is_nan());
        assert_eq!(change.update(3.0), 2.0);
    }

    #[test]
    fn matches_naive_recomputation_and_skips_nan_bars() {
        let xs = with_gaps(&prices(31, 200), 32);
        for n in [1, 5, 20] {
            let mut change = Change::new(n);
            check_against_naive(
                &xs,
                |x| change.update(x),
                |seen| match seen.iter().rev().nth(n) {
                    Some(past) => seen[seen.len() - 1] - past,
                    None => f64::NAN,
                },
                &format!("Change({n})"),
            );
        }
    }

    #[test]
    fn first_value_after_n_plus_one() {
        for n in [1, 10] {
            let mut change = Change::new(n);
            assert_eq!(warm_up(|x| change.update(x)), n + 1);
        }
    }
}
