//! Simple moving average.

use super::compensated_sum::CompensatedSum;

/// Mean of the last `n` values; NaN until `n` values have arrived.
///
/// The mean of [`RollingMoments`](super::rolling_moments::RollingMoments) alone, by the same
/// arithmetic in the same order, so to the same bits: a compensated sum of `x - shift`,
/// re-summed from the window every `n` pushes with `shift` moved to the mean, and the
/// newest value itself while the window holds a run of equal values. Without a sum of
/// squares, an `Option` for the evicted value or the ring's checks in calls of their own,
/// a push is about half the instructions (an SMA is most of a trend sweep's indicator work).
#[derive(Debug, Clone)]
pub struct Sma {
    /// The last `n` values, a ring: `next` is where the next one goes (once the ring is
    /// full, the oldest).
    ring: Box<[f64]>,
    next: usize,
    /// Values held (at most `n`).
    len: usize,
    /// The value pushed last (meaningless while `len` is 0).
    newest: f64,
    /// The sum is of `x - shift`, `shift` near the window's mean (see `RollingMoments`).
    shift: f64,
    sum: CompensatedSum,
    pushes_since_rebuild: usize,
    /// How many of the newest values are equal (at most `n`).
    equal_run: usize,
}

impl Sma {
    /// An SMA over `n >= 1` bars. Panics if `n` is 0.
    pub fn new(n: usize) -> Self {
        assert!(n >= 1, "a window holds at least one value");
        Self {
            ring: vec![f64::NAN; n].into_boxed_slice(),
            next: 0,
            len: 0,
            newest: f64::NAN,
            shift: 0.0,
            sum: CompensatedSum::default(),
            pushes_since_rebuild: 0,
            equal_run: 0,
        }
    }

    /// Feeds this bar's value and returns the mean of the last `n`; NaN (state unchanged) if
    /// `x` is not available.
    // Inlined into the indicator's loop over a block (engine/node.rs `Indicator::column`).
    #[inline(always)]
    pub fn update(&mut self, x: f64) -> f64 {
        if !x.is_finite() {
            return f64::NAN;
        }
        let n = self.ring.len();
        if self.len == 0 {
            self.shift = x;
        }
        self.equal_run = if self.len > 0 && self.newest == x {
            (self.equal_run + 1).min(n)
        } else {
            1
        };
        self.newest = x;
        // `RollingMoments` adds `1.0 * d` and `-1.0 * d`: the same bits as `d` and `-d`.
        self.sum.add(x - self.shift);
        let slot = &mut self.ring[self.next];
        let evicted = std::mem::replace(slot, x);
        self.next += 1;
        if self.next == n {
            self.next = 0;
        }
        if self.len == n {
            self.sum.add(-(evicted - self.shift));
        } else {
            self.len += 1;
        }
        self.pushes_since_rebuild += 1;
        if self.pushes_since_rebuild >= n {
            self.rebuild();
        }
        if self.len == n { self.mean() } else { f64::NAN }
    }

    /// The mean of the values held (`len > 0`).
    #[inline]
    fn mean(&self) -> f64 {
        if self.equal_run >= self.len {
            return self.newest;
        }
        self.shift + self.sum.value() / self.len as f64
    }

    /// Every `n` pushes: the sum again from the window, oldest first, about its mean.
    // Kept out of the pushes' loop.
    #[inline(never)]
    fn rebuild(&mut self) {
        self.shift = self.mean();
        let shift = self.shift;
        let n = self.ring.len();
        let oldest = (self.next + n - self.len) % n;
        let first = (n - oldest).min(self.len);
        let wrapped = self.len - first;
        let values = self.ring[oldest..oldest + first].iter().chain(&self.ring[..wrapped]);
        self.sum = CompensatedSum::of(values.map(|x| x - shift));
        self.pushes_since_rebuild = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::Sma;
    use crate::indicators::rolling_moments::RollingMoments;
    use crate::indicators::testing::{check_against_naive, check_no_drift, prices, warm_up, with_gaps};

    fn naive(seen: &[f64], n: usize) -> f64 {
        if seen.len() < n {
            return f64::NAN;
        }
        seen[seen.len() - n..].iter().sum::<f64>() / n as f64
    }

    #[test]
    fn hand_worked() {
        // SMA(3) of 1, 2, 3, 4: NaN, NaN, (1+2+3)/3 = 2, (2+3+4)/3 = 3.
        let mut sma = Sma::new(3);
        let out = [1.0, 2.0, 3.0, 4.0].map(|x| sma.update(x));
        assert!(out[0].is_nan() && out[1].is_nan());
        assert_eq!(&out[2..], [2.0, 3.0]);
    }

    #[test]
    fn nan_bar_is_skipped() {
        // The NaN bar neither counts towards the window nor changes it: SMA(2) of 1, NaN, 3
        // is NaN, NaN, (1+3)/2 = 2.
        let mut sma = Sma::new(2);
        let out = [1.0, f64::NAN, 3.0].map(|x| sma.update(x));
        assert!(out[0].is_nan() && out[1].is_nan());
        assert_eq!(out[2], 2.0);
    }

    #[test]
    fn matches_naive_recomputation_and_skips_nan_bars() {
        let xs = with_gaps(&prices(3, 300), 4);
        for n in [1, 2, 5, 20] {
            let mut sma = Sma::new(n);
            check_against_naive(&xs, |x| sma.update(x), |seen| naive(seen, n), &format!("SMA({n})"));
        }
    }

    #[test]
    fn first_value_after_n() {
        for n in [1, 3, 10] {
            let mut sma = Sma::new(n);
            assert_eq!(warm_up(|x| sma.update(x)), n);
        }
    }

    #[test]
    fn no_drift_after_a_million_updates() {
        let n = 50;
        let mut sma = Sma::new(n);
        check_no_drift(|x| sma.update(x), |seen| naive(seen, n));
    }

    /// The mean of `RollingMoments` over the same window, pushed the same available values:
    /// what this SMA must equal to the bit.
    fn moments_mean(xs: &[f64], n: usize) -> Vec<f64> {
        let mut moments = RollingMoments::mean_only(n);
        xs.iter()
            .map(|&x| {
                if !x.is_finite() {
                    return f64::NAN;
                }
                moments.push(x);
                if moments.is_full() { moments.mean() } else { f64::NAN }
            })
            .collect()
    }

    #[test]
    fn the_same_bits_as_the_rolling_moments_mean() {
        // Prices with unchanged days (runs of equal values) and missing bars, then long runs
        // of one value (where the mean is the value itself) and a jump far from the shift.
        let mut xs = with_gaps(&prices(11, 3_000), 5);
        xs.extend([7.25; 40]);
        xs.extend([f64::INFINITY, 1e9, 1e9, 0.1, 0.1, 0.1, 0.1]);
        xs.extend(prices(12, 500).iter().map(|p| p * 1e-3));
        for n in [1, 2, 3, 5, 20, 50, 250] {
            let mut sma = Sma::new(n);
            let ours: Vec<f64> = xs.iter().map(|&x| sma.update(x)).collect();
            for (t, (a, b)) in ours.iter().zip(moments_mean(&xs, n)).enumerate() {
                assert!(
                    a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan()),
                    "SMA({n}) at {t}: {a} against {b}"
                );
            }
        }
    }
}
