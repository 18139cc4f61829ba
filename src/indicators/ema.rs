//! Exponential moving average.

use super::compensated_sum::CompensatedSum;

/// Exponential moving average with `alpha = 2/(n+1)`, seeded with the simple mean of the
/// first `n` values (the TA-Lib convention); NaN for the first `n - 1` values.
#[derive(Debug, Clone)]
pub struct Ema {
    n: usize,
    alpha: f64,
    seen: usize,
    seed_sum: CompensatedSum,
    value: f64,
}

impl Ema {
    /// An EMA over `n >= 1` bars.
    pub fn new(n: usize) -> Self {
        Self::with_alpha(n, 2.0 / (n as f64 + 1.0))
    }

    /// Wilder's smoothing (used by RSI and ATR): the same seeded average with `alpha = 1/n`,
    /// i.e. `avg = (prev * (n - 1) + x) / n`.
    pub(crate) fn wilder(n: usize) -> Self {
        Self::with_alpha(n, 1.0 / n as f64)
    }

    fn with_alpha(n: usize, alpha: f64) -> Self {
        assert!(n >= 1, "an average needs at least one value");
        Self {
            n,
            alpha,
            seen: 0,
            seed_sum: CompensatedSum::default(),
            value: f64::NAN,
        }
    }

    /// Feeds this bar's value and returns the average; NaN (state unchanged) if `x` is not
    /// available.
    pub fn update(&mut self, x: f64) -> f64 {
        if !x.is_finite() {
            return f64::NAN;
        }
        if self.seen < self.n {
            self.seen += 1;
            self.seed_sum.add(x);
            if self.seen == self.n {
                self.value = self.seed_sum.value() / self.n as f64;
            }
        } else {
            self.value += self.alpha * (x - self.value);
        }
        self.value
    }
}

#[cfg(test)]
mod tests {
    use super::Ema;
    use crate::indicators::testing::{
        assert_close, check_against_naive, prices, seeded_average_closed_form, warm_up, with_gaps,
    };

    #[test]
    fn hand_worked() {
        // n = 3, alpha = 2/4 = 0.5. Seed = mean(1, 2, 3) = 2 on the third value;
        // then 2 + 0.5*(4 - 2) = 3, and 3 + 0.5*(5 - 3) = 4.
        let mut ema = Ema::new(3);
        let out: Vec<f64> = [1.0, 2.0, 3.0, 4.0, 5.0].map(|x| ema.update(x)).to_vec();
        assert!(out[0].is_nan() && out[1].is_nan());
        assert_eq!(&out[2..], [2.0, 3.0, 4.0]);
    }

    #[test]
    fn wilder_hand_worked() {
        // n = 2, alpha = 1/2: seed mean(4, 8) = 6, then (6*1 + 10)/2 = 8.
        let mut wilder = Ema::wilder(2);
        assert!(wilder.update(4.0).is_nan());
        assert_eq!(wilder.update(8.0), 6.0);
        assert_eq!(wilder.update(10.0), 8.0);
    }

    #[test]
    fn matches_closed_form_and_skips_nan_bars() {
        let xs = with_gaps(&prices(1, 300), 2);
        for n in [1, 2, 5, 20] {
            let mut ema = Ema::new(n);
            let alpha = 2.0 / (n as f64 + 1.0);
            check_against_naive(
                &xs,
                |x| ema.update(x),
                |seen| seeded_average_closed_form(seen, n, alpha),
                &format!("EMA({n})"),
            );
        }
    }

    #[test]
    fn first_value_after_n() {
        for n in [1, 3, 10] {
            let mut ema = Ema::new(n);
            assert_eq!(warm_up(|x| ema.update(x)), n);
        }
    }

    #[test]
    fn infinite_input_is_skipped_like_nan() {
        let mut ema = Ema::new(1);
        assert_eq!(ema.update(2.0), 2.0);
        assert!(ema.update(f64::INFINITY).is_nan());
        assert_close(ema.update(4.0), 4.0, "EMA(1) after a skipped bar");
    }
}
