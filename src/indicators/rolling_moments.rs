//! Mean and variance of a sliding window, updated in O(1) per value.

use super::compensated_sum::CompensatedSum;
use super::window::Window;

/// The last `n` values with their running sum and sum of squares, for the mean- and
/// variance-based indicators (SMA, Bollinger, standard deviation, z-score, volatility).
///
/// Three things keep the running sums accurate for any length of history:
/// - the sums are of `x - shift`, with `shift` near the window mean, so that
///   `sum_sq - sum²/n` does not cancel catastrophically when the mean dwarfs the spread
///   (prices around 5000 moving by cents);
/// - both sums are compensated ([`CompensatedSum`]);
/// - every `n` pushes they are rebuilt from the window, which bounds any error left over to
///   what `n` updates can produce, at an amortised cost of O(1) per push.
///
/// A window of identical values reports variance exactly 0 (and its mean exactly that
/// value), tracked by the length of the current run of equal values, so that callers can
/// test `stdev == 0` without an epsilon.
#[derive(Debug, Clone)]
pub(crate) struct RollingMoments {
    window: Window,
    shift: f64,
    sum: CompensatedSum,
    sum_sq: CompensatedSum,
    pushes_since_rebuild: usize,
    equal_run: usize,
    /// Whether the sum of squares is kept (not for the mean alone).
    squares: bool,
}

impl RollingMoments {
    /// Empty moments over windows of `n >= 1` values.
    pub(crate) fn new(n: usize) -> Self {
        Self {
            window: Window::new(n),
            shift: 0.0,
            sum: CompensatedSum::default(),
            sum_sq: CompensatedSum::default(),
            pushes_since_rebuild: 0,
            equal_run: 0,
            squares: true,
        }
    }

    /// Moments for the mean only: the variances are not available. What the SMA
    /// (indicators/sma.rs) computes on its own, to the bit; kept to check that it does.
    #[cfg(test)]
    pub(crate) fn mean_only(n: usize) -> Self {
        Self {
            squares: false,
            ..Self::new(n)
        }
    }

    /// Adds a finite value, evicting the oldest once `n` are held.
    // Inlined into each indicator's loop over a block (engine/node.rs `Indicator::column`).
    #[inline(always)]
    pub(crate) fn push(&mut self, x: f64) {
        debug_assert!(x.is_finite(), "callers skip bars that are not available");
        if self.window.len() == 0 {
            self.shift = x;
        }
        self.equal_run = if self.window.len() > 0 && self.window.ago(0) == x {
            (self.equal_run + 1).min(self.window.capacity())
        } else {
            1
        };
        self.add(x, 1.0);
        if let Some(evicted) = self.window.push(x) {
            self.add(evicted, -1.0);
        }
        self.pushes_since_rebuild += 1;
        if self.pushes_since_rebuild >= self.window.capacity() {
            self.rebuild();
        }
    }

    #[inline]
    fn add(&mut self, x: f64, sign: f64) {
        let d = x - self.shift;
        self.sum.add(sign * d);
        if self.squares {
            self.sum_sq.add(sign * d * d);
        }
    }

    // Once every `n` pushes: kept out of the pushes' loop.
    #[inline(never)]
    fn rebuild(&mut self) {
        self.shift = self.mean();
        let shift = self.shift;
        self.sum = CompensatedSum::of(self.window.iter().map(|x| x - shift));
        if self.squares {
            self.sum_sq = CompensatedSum::of(self.window.iter().map(|x| (x - shift) * (x - shift)));
        }
        self.pushes_since_rebuild = 0;
    }

    /// Whether `n` values have been pushed, i.e. the window statistics are defined.
    #[inline]
    pub(crate) fn is_full(&self) -> bool {
        self.window.is_full()
    }

    /// Mean of the values held.
    pub(crate) fn mean(&self) -> f64 {
        if self.is_constant() {
            return self.window.ago(0);
        }
        self.shift + self.sum.value() / self.window.len() as f64
    }

    /// Variance with denominator `len` (the window is the whole population).
    pub(crate) fn population_variance(&self) -> f64 {
        self.variance(0.0)
    }

    /// Variance with denominator `len - 1` (the window is a sample); NaN for one value.
    pub(crate) fn sample_variance(&self) -> f64 {
        if self.window.len() < 2 {
            return f64::NAN;
        }
        self.variance(1.0)
    }

    fn variance(&self, lost_degrees: f64) -> f64 {
        if !self.squares {
            return f64::NAN;
        }
        if self.is_constant() {
            return 0.0;
        }
        let n = self.window.len() as f64;
        let sum = self.sum.value();
        // Rounding can leave a tiny negative residue when the true variance is ~0.
        ((self.sum_sq.value() - sum * sum / n) / (n - lost_degrees)).max(0.0)
    }

    #[inline]
    fn is_constant(&self) -> bool {
        self.window.len() > 0 && self.equal_run >= self.window.len()
    }
}

#[cfg(test)]
mod tests {
    use super::RollingMoments;

    #[test]
    fn constant_window_has_exactly_zero_variance() {
        let mut moments = RollingMoments::new(3);
        // 0.1 is not representable, so shifted sums of it would not cancel exactly.
        for x in [5.0, 1.0, 0.1, 0.1, 0.1] {
            moments.push(x);
        }
        assert_eq!(moments.population_variance(), 0.0);
        assert_eq!(moments.mean(), 0.1);
    }

    #[test]
    fn mean_and_variances_of_a_small_window() {
        let mut moments = RollingMoments::new(4);
        // Window 2, 4, 4, 6 after evicting 100: mean 4, squared deviations 4+0+0+4 = 8.
        for x in [100.0, 2.0, 4.0, 4.0, 6.0] {
            moments.push(x);
        }
        assert!((moments.mean() - 4.0).abs() < 1e-12);
        assert!((moments.population_variance() - 8.0 / 4.0).abs() < 1e-12);
        assert!((moments.sample_variance() - 8.0 / 3.0).abs() < 1e-12);
    }
}
