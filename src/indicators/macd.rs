//! Moving average convergence/divergence.

use super::ema::Ema;

/// One bar of [`Macd`]; each field is NaN until it is available.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MacdValue {
    /// `EMA(fast) - EMA(slow)` of the input.
    pub line: f64,
    /// `EMA(signal)` of the line.
    pub signal: f64,
    /// `line - signal`.
    pub histogram: f64,
}

impl MacdValue {
    const NAN: Self = Self {
        line: f64::NAN,
        signal: f64::NAN,
        histogram: f64::NAN,
    };
}

/// MACD: the line is available once both EMAs are (after `max(fast, slow)` values), the
/// signal and histogram `signal - 1` lines later.
#[derive(Debug, Clone)]
pub struct Macd {
    fast: Ema,
    slow: Ema,
    signal: Ema,
}

impl Macd {
    /// MACD with EMA periods `fast`, `slow` and `signal`, each `>= 1` (classically 12, 26, 9).
    pub fn new(fast: usize, slow: usize, signal: usize) -> Self {
        Self {
            fast: Ema::new(fast),
            slow: Ema::new(slow),
            signal: Ema::new(signal),
        }
    }

    /// Feeds this bar's value; all fields NaN (state unchanged) if `x` is not available.
    pub fn update(&mut self, x: f64) -> MacdValue {
        if !x.is_finite() {
            return MacdValue::NAN;
        }
        let line = self.fast.update(x) - self.slow.update(x);
        // A NaN line (EMAs still warming up) is skipped by the signal EMA, so the signal is
        // seeded with the first `signal` available lines.
        let signal = self.signal.update(line);
        MacdValue {
            line,
            signal,
            histogram: line - signal,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Macd;
    use crate::indicators::testing::{assert_close, available, prices, seeded_average_closed_form, with_gaps};

    #[test]
    fn hand_worked() {
        // fast = 1 (the EMA is the value itself), slow = 2 (alpha 2/3), signal = 2.
        // Input 1, 2, 4, 7.
        // slow EMA: NaN, (1+2)/2 = 3/2, 3/2 + (2/3)(4 - 3/2) = 19/6,
        //           19/6 + (2/3)(7 - 19/6) = 103/18.
        // line:     NaN, 2 - 3/2 = 1/2, 4 - 19/6 = 5/6, 7 - 103/18 = 23/18.
        // signal:   seeded with mean(1/2, 5/6) = 2/3 on bar 3, then
        //           2/3 + (2/3)(23/18 - 2/3) = 29/27 on bar 4.
        // histogram on bar 4: 23/18 - 29/27 = 11/54.
        let mut macd = Macd::new(1, 2, 2);
        let out = [1.0, 2.0, 4.0, 7.0].map(|x| macd.update(x));
        assert!(out[0].line.is_nan() && out[0].signal.is_nan());
        assert_close(out[1].line, 0.5, "line 2");
        assert!(out[1].signal.is_nan() && out[1].histogram.is_nan());
        assert_close(out[2].line, 5.0 / 6.0, "line 3");
        assert_close(out[2].signal, 2.0 / 3.0, "signal 3");
        assert_close(out[3].line, 23.0 / 18.0, "line 4");
        assert_close(out[3].signal, 29.0 / 27.0, "signal 4");
        assert_close(out[3].histogram, 11.0 / 54.0, "histogram 4");
    }

    #[test]
    fn matches_naive_recomputation_and_skips_nan_bars() {
        let xs = with_gaps(&prices(9, 200), 10);
        for (fast, slow, signal) in [(12, 26, 9), (3, 5, 2), (1, 1, 1)] {
            let ema = |values: &[f64], n: usize| seeded_average_closed_form(values, n, 2.0 / (n as f64 + 1.0));
            let mut macd = Macd::new(fast, slow, signal);
            let mut lines = Vec::new();
            for (t, &x) in xs.iter().enumerate() {
                let actual = macd.update(x);
                let context = format!("MACD({fast}, {slow}, {signal}) at bar {t}");
                if x.is_nan() {
                    assert!(actual.line.is_nan() && actual.signal.is_nan(), "{context}");
                    assert!(actual.histogram.is_nan(), "{context}");
                    continue;
                }
                let seen = available(&xs[..=t]);
                let line = ema(&seen, fast) - ema(&seen, slow);
                if !line.is_nan() {
                    lines.push(line);
                }
                let expected_signal = ema(&lines, signal);
                assert_close(actual.line, line, &context);
                assert_close(actual.signal, expected_signal, &context);
                assert_close(actual.histogram, line - expected_signal, &context);
            }
        }
    }

    #[test]
    fn warm_up_of_line_and_signal() {
        let mut macd = Macd::new(12, 26, 9);
        let out: Vec<_> = prices(11, 40).into_iter().map(|x| macd.update(x)).collect();
        let first_line = out.iter().position(|v| !v.line.is_nan());
        let first_signal = out.iter().position(|v| !v.signal.is_nan());
        // Bars are counted from 0: the line on the 26th value, the signal 8 lines later.
        assert_eq!(first_line, Some(25));
        assert_eq!(first_signal, Some(25 + 8));
    }
}
