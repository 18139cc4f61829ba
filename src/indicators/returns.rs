//! Return over a number of bars.
//!
//! (The file is `returns.rs` because `return` is a Rust keyword.)

use super::lag::Lag;

/// The simple return over `n` bars, `x_t / x_{t-n} - 1`; NaN until `n + 1` values have
/// arrived, and NaN when `x_{t-n}` is 0.
#[derive(Debug, Clone)]
pub struct Return {
    lag: Lag,
}

impl Return {
    /// The return over `n >= 1` bars.
    pub fn new(n: usize) -> Self {
        Self { lag: Lag::new(n) }
    }

    /// Feeds this bar's value and returns the return since `n` bars ago; NaN (state
    /// unchanged) if `x` is not available.
    pub fn update(&mut self, x: f64) -> f64 {
        let past = self.lag.update(x);
        if past == 0.0 {
            return f64::NAN;
        }
        // NaN whenever `x` or `past` is.
        x / past - 1.0
    }
}

#[cfg(test)]
mod tests {
    use super::Return;
    use crate::indicators::testing::{check_against_naive, prices, warm_up, with_gaps};

    #[test]
    fn hand_worked() {
        // Return(2) of 100, 50, 110, 0, 55, 10:
        // NaN, NaN, 110/100 - 1 = 0.1, 0/50 - 1 = -1, 55/110 - 1 = -0.5, 10/0: NaN.
        let mut ret = Return::new(2);
        let out = [100.0, 50.0, 110.0, 0.0, 55.0, 10.0].map(|x| ret.update(x));
        assert!(out[0].is_nan() && out[1].is_nan() && out[5].is_nan());
        assert!((out[2] - 0.1).abs() < 1e-15);
        assert_eq!(&out[3..5], [-1.0, -0.5]);
    }

    #[test]
    fn matches_naive_recomputation_and_skips_nan_bars() {
        let xs = with_gaps(&prices(29, 200), 30);
        for n in [1, 5, 20] {
            let mut ret = Return::new(n);
            check_against_naive(
                &xs,
                |x| ret.update(x),
                |seen| {
                    let Some(&past) = seen.iter().rev().nth(n) else {
                        return f64::NAN;
                    };
                    (seen[seen.len() - 1] - past) / past
                },
                &format!("Return({n})"),
            );
        }
    }

    #[test]
    fn first_value_after_n_plus_one() {
        for n in [1, 10] {
            let mut ret = Return::new(n);
            assert_eq!(warm_up(|x| ret.update(x)), n + 1);
        }
    }
}
