//! How two prices move together: the correlation and the beta of their returns.

use super::window::Window;

/// Which measure of the paired returns [`Comovement`] gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// Pearson's correlation coefficient of the two return series, −1 to 1:
    /// `cov(ra, rb) / (sd(ra) sd(rb))`.
    Correlation,
    /// The beta of `a` against `b`, `cov(ra, rb) / var(rb)`: the slope of the least-squares
    /// line of `a`'s returns on `b`'s, as in the capital asset pricing model (Sharpe 1964;
    /// Bodie, Kane and Marcus, *Investments*, ch. 8).
    Beta,
}

/// The correlation or beta of the simple returns `x_t / x_{t-1} − 1` of two inputs over
/// their last `n` return pairs; needs `n + 1` bars where both are available. A bar where
/// either is not available is skipped for both (the returns are taken across it), as every
/// indicator skips a missing bar. A return out of a zero value is undefined: that bar adds
/// no pair. NaN while a spread is zero (a flat window: correlation and beta undefined).
///
/// Each update recomputes the window in two passes, O(n): exact, and for windows of a few
/// hundred bars as cheap as the bookkeeping a running version would need.
#[derive(Debug, Clone)]
pub struct Comovement {
    previous: (f64, f64),
    a: Window,
    b: Window,
    measure: Measure,
}

impl Comovement {
    /// The measure over `n >= 2` return pairs.
    pub fn new(n: usize, measure: Measure) -> Self {
        assert!(n >= 2, "a correlation or beta needs at least two returns");
        Self {
            previous: (f64::NAN, f64::NAN),
            a: Window::new(n),
            b: Window::new(n),
            measure,
        }
    }

    /// Feeds this bar's two values; NaN (state unchanged) if either is not available.
    pub fn update(&mut self, a: f64, b: f64) -> f64 {
        if !a.is_finite() || !b.is_finite() {
            return f64::NAN;
        }
        let (pa, pb) = std::mem::replace(&mut self.previous, (a, b));
        let (ra, rb) = (a / pa - 1.0, b / pb - 1.0);
        if !ra.is_finite() || !rb.is_finite() {
            return f64::NAN;
        }
        self.a.push(ra);
        self.b.push(rb);
        if !self.a.is_full() {
            return f64::NAN;
        }
        let n = self.a.len() as f64;
        let (mean_a, mean_b) = (self.a.iter().sum::<f64>() / n, self.b.iter().sum::<f64>() / n);
        let (mut cov, mut var_a, mut var_b) = (0.0, 0.0, 0.0);
        for (x, y) in self.a.iter().zip(self.b.iter()) {
            let (dx, dy) = (x - mean_a, y - mean_b);
            cov += dx * dy;
            var_a += dx * dx;
            var_b += dy * dy;
        }
        // The n − 1 of the sample (co)variances cancels in both ratios.
        match self.measure {
            Measure::Correlation if var_a > 0.0 && var_b > 0.0 => {
                (cov / (var_a.sqrt() * var_b.sqrt())).clamp(-1.0, 1.0)
            }
            Measure::Beta if var_b > 0.0 => cov / var_b,
            _ => f64::NAN,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Comovement, Measure};
    use crate::indicators::testing::{assert_close, prices, with_gaps};

    #[test]
    fn hand_worked() {
        // b: 100, 110, 99, 99 → returns 0.1, −0.1, 0.
        // a: 50, 60, 48, 48  → returns 0.2, −0.2, 0: exactly twice b's.
        // Correlation 1, beta 2 over any window.
        let (a, b) = ([50.0, 60.0, 48.0, 48.0], [100.0, 110.0, 99.0, 99.0]);
        let mut corr = Comovement::new(2, Measure::Correlation);
        let mut beta = Comovement::new(2, Measure::Beta);
        let out: Vec<(f64, f64)> = a
            .iter()
            .zip(&b)
            .map(|(&x, &y)| (corr.update(x, y), beta.update(x, y)))
            .collect();
        assert!(out[0].0.is_nan() && out[1].0.is_nan());
        assert_close(out[2].0, 1.0, "correlation");
        assert_close(out[2].1, 2.0, "beta");
        assert_close(out[3].1, 2.0, "beta, bar 4");
    }

    #[test]
    fn hand_worked_uneven() {
        // Returns of a: 0.1, 0, 0.2 (100, 110, 110, 132); of b: 0.1, −0.1, 0.1 (100, 110, 99, 108.9).
        // Means 0.1 and 0.1/3. Deviations a: 0, −0.1, 0.1; b: 0.2/3, −0.4/3, 0.2/3.
        // cov = 0 + 0.04/3 + 0.02/3 = 0.02; var_a = 0.02; var_b = (0.04 + 0.16 + 0.04)/9 = 0.08/3.
        // beta = 0.02 / (0.08/3) = 0.75; correlation = 0.02 / sqrt(0.02 × 0.08/3) = 0.866….
        let (a, b) = ([100.0, 110.0, 110.0, 132.0], [100.0, 110.0, 99.0, 108.9]);
        let mut corr = Comovement::new(3, Measure::Correlation);
        let mut beta = Comovement::new(3, Measure::Beta);
        let mut last = (f64::NAN, f64::NAN);
        for (&x, &y) in a.iter().zip(&b) {
            last = (corr.update(x, y), beta.update(x, y));
        }
        assert_close(last.1, 0.75, "beta");
        assert_close(last.0, 0.02 / (0.02_f64 * 0.08 / 3.0).sqrt(), "correlation");
    }

    #[test]
    fn a_flat_benchmark_has_no_beta() {
        let mut beta = Comovement::new(2, Measure::Beta);
        let out = [(1.0, 5.0), (2.0, 5.0), (3.0, 5.0)].map(|(x, y)| beta.update(x, y));
        assert!(out[2].is_nan());
    }

    /// Against a recomputation from the bars where both inputs are available.
    #[test]
    fn matches_naive_recomputation_and_skips_nan_bars() {
        let a = with_gaps(&prices(51, 300), 52);
        let b = with_gaps(&prices(53, 300), 54);
        for n in [2, 5, 21] {
            let mut corr = Comovement::new(n, Measure::Correlation);
            let mut beta = Comovement::new(n, Measure::Beta);
            let mut seen: Vec<(f64, f64)> = Vec::new();
            for t in 0..a.len() {
                let (c, be) = (corr.update(a[t], b[t]), beta.update(a[t], b[t]));
                if a[t].is_nan() || b[t].is_nan() {
                    assert!(c.is_nan() && be.is_nan());
                    continue;
                }
                seen.push((a[t], b[t]));
                let (ec, eb) = naive(&seen, n);
                assert_close(c, ec, &format!("correlation({n}) at {t}"));
                assert_close(be, eb, &format!("beta({n}) at {t}"));
            }
        }
    }

    fn naive(seen: &[(f64, f64)], n: usize) -> (f64, f64) {
        if seen.len() < n + 1 {
            return (f64::NAN, f64::NAN);
        }
        let last = &seen[seen.len() - n - 1..];
        let ra: Vec<f64> = last.windows(2).map(|w| w[1].0 / w[0].0 - 1.0).collect();
        let rb: Vec<f64> = last.windows(2).map(|w| w[1].1 / w[0].1 - 1.0).collect();
        let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
        let (ma, mb) = (mean(&ra), mean(&rb));
        let cov: f64 = ra.iter().zip(&rb).map(|(x, y)| (x - ma) * (y - mb)).sum::<f64>() / (n - 1) as f64;
        let va: f64 = ra.iter().map(|x| (x - ma).powi(2)).sum::<f64>() / (n - 1) as f64;
        let vb: f64 = rb.iter().map(|y| (y - mb).powi(2)).sum::<f64>() / (n - 1) as f64;
        (cov / (va * vb).sqrt(), cov / vb)
    }
}
