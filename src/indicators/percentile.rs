//! Rolling percentiles and the median.

use super::sorted_window::SortedWindow;

/// The `p`-th percentile (0–1) of the last `n` values, the current one included, by linear
/// interpolation between the closest ranks: with the window sorted as `s[0] <= … <=
/// s[n-1]` and `h = (n − 1) p`, the value is `s[⌊h⌋] + (h − ⌊h⌋)(s[⌊h⌋+1] − s[⌊h⌋])`.
/// This is Hyndman and Fan's definition 7 (Statistical Computing 50(4), 1996), the default
/// of R's `quantile`, NumPy's `percentile` and Excel's `PERCENTILE.INC`; `p = 0.5` is the
/// median (the mean of the two middle values for an even `n`). NaN until `n` values have
/// arrived.
#[derive(Debug, Clone)]
pub struct Percentile {
    window: SortedWindow,
    p: f64,
}

impl Percentile {
    /// The `p`-th percentile, `0 <= p <= 1`, over `n >= 1` bars.
    pub fn new(n: usize, p: f64) -> Self {
        assert!((0.0..=1.0).contains(&p), "a percentile is between 0 and 1");
        Self {
            window: SortedWindow::new(n),
            p,
        }
    }

    /// Feeds this bar's value and returns the percentile of the last `n`; NaN (state
    /// unchanged) if `x` is not available.
    pub fn update(&mut self, x: f64) -> f64 {
        if !x.is_finite() {
            return f64::NAN;
        }
        self.window.push(x);
        if !self.window.is_full() {
            return f64::NAN;
        }
        let s = self.window.sorted();
        let h = (s.len() - 1) as f64 * self.p;
        let lo = h.floor() as usize;
        match s.get(lo + 1) {
            Some(&above) => s[lo] + (h - lo as f64) * (above - s[lo]),
            None => s[lo],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Percentile;
    use crate::indicators::testing::{assert_close, check_against_naive, prices, warm_up, with_gaps};

    /// Definition 7 from its formula, on a fresh sort of the window.
    fn naive(seen: &[f64], n: usize, p: f64) -> f64 {
        if seen.len() < n {
            return f64::NAN;
        }
        let mut s = seen[seen.len() - n..].to_vec();
        s.sort_by(f64::total_cmp);
        let h = (n - 1) as f64 * p;
        let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
        s[lo] + (h - lo as f64) * (s[hi] - s[lo])
    }

    #[test]
    fn hand_worked() {
        // The window 3, 1, 4, 1 sorted is 1, 1, 3, 4. Median: h = 3 × 0.5 = 1.5, between
        // s[1] = 1 and s[2] = 3: 2. 80th percentile: h = 2.4, 3 + 0.4 × (4 − 3) = 3.4.
        let data = [3.0, 1.0, 4.0, 1.0];
        let mut median = Percentile::new(4, 0.5);
        let mut p80 = Percentile::new(4, 0.8);
        let out: Vec<(f64, f64)> = data.iter().map(|&x| (median.update(x), p80.update(x))).collect();
        assert!(out[..3].iter().all(|(a, b)| a.is_nan() && b.is_nan()));
        assert_eq!(out[3].0, 2.0);
        assert_close(out[3].1, 3.4, "80th percentile");
        // Odd window: the median of 1, 4, 1, 5 over 3 bars is the middle of 1, 4, 5 → 4.
        let mut odd = Percentile::new(3, 0.5);
        let last = [3.0, 1.0, 4.0, 5.0].map(|x| odd.update(x))[3];
        assert_eq!(last, 4.0);
    }

    #[test]
    fn extremes_are_the_lowest_and_highest() {
        let mut lo = Percentile::new(3, 0.0);
        let mut hi = Percentile::new(3, 1.0);
        let out = [2.0, 9.0, 5.0].map(|x| (lo.update(x), hi.update(x)))[2];
        assert_eq!(out, (2.0, 9.0));
    }

    #[test]
    fn matches_naive_recomputation_and_skips_nan_bars() {
        let xs = with_gaps(&prices(41, 400), 42);
        for (n, p) in [(1, 0.5), (4, 0.5), (5, 0.8), (20, 0.25), (63, 0.95)] {
            let mut pct = Percentile::new(n, p);
            check_against_naive(
                &xs,
                |x| pct.update(x),
                |seen| naive(seen, n, p),
                &format!("Percentile({n}, {p})"),
            );
        }
    }

    #[test]
    fn first_value_after_n() {
        for n in [1, 5, 20] {
            let mut pct = Percentile::new(n, 0.5);
            assert_eq!(warm_up(|x| pct.update(x)), n);
        }
    }
}
