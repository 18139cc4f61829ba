//! Percent rank: where today's value stands among the values before it.

use super::sorted_window::SortedWindow;

/// The share of the `n` values before the current one that are less than or equal to it,
/// 0–1: 1 when today's value is the highest of the window or ties it, 0 when every earlier
/// value is higher. Ties count as "at most", as TradingView's `ta.percentrank` counts them
/// (which gives the same share in percent). NaN until `n + 1` values have arrived.
#[derive(Debug, Clone)]
pub struct PercentRank {
    earlier: SortedWindow,
}

impl PercentRank {
    /// The rank among the `n >= 1` values before the current one.
    pub fn new(n: usize) -> Self {
        Self {
            earlier: SortedWindow::new(n),
        }
    }

    /// Feeds this bar's value and returns its percent rank; NaN (state unchanged) if `x` is
    /// not available.
    pub fn update(&mut self, x: f64) -> f64 {
        if !x.is_finite() {
            return f64::NAN;
        }
        let rank = if self.earlier.is_full() {
            self.earlier.count_at_most(x) as f64 / self.earlier.sorted().len() as f64
        } else {
            f64::NAN
        };
        self.earlier.push(x);
        rank
    }
}

#[cfg(test)]
mod tests {
    use super::PercentRank;
    use crate::indicators::testing::{check_against_naive, prices, warm_up, with_gaps};

    fn naive(seen: &[f64], n: usize) -> f64 {
        if seen.len() < n + 1 {
            return f64::NAN;
        }
        let today = seen[seen.len() - 1];
        let earlier = &seen[seen.len() - 1 - n..seen.len() - 1];
        earlier.iter().filter(|&&v| v <= today).count() as f64 / n as f64
    }

    #[test]
    fn hand_worked() {
        // PercentRank(4) of 10, 20, 30, 40, 25, 40, 5:
        // bar 5 (25): of 10, 20, 30, 40, two are <= 25: 0.5;
        // bar 6 (40): of 20, 30, 40, 25, all four are <= 40 (the tie counts): 1;
        // bar 7 (5): of 30, 40, 25, 40, none: 0.
        let mut rank = PercentRank::new(4);
        let out = [10.0, 20.0, 30.0, 40.0, 25.0, 40.0, 5.0].map(|x| rank.update(x));
        assert!(out[..4].iter().all(|x| x.is_nan()));
        assert_eq!(&out[4..], [0.5, 1.0, 0.0]);
    }

    #[test]
    fn matches_naive_recomputation_and_skips_nan_bars() {
        let xs = with_gaps(&prices(31, 400), 32);
        for n in [1, 3, 20, 63] {
            let mut rank = PercentRank::new(n);
            check_against_naive(
                &xs,
                |x| rank.update(x),
                |seen| naive(seen, n),
                &format!("PercentRank({n})"),
            );
        }
    }

    #[test]
    fn first_value_after_n_plus_one() {
        for n in [1, 5, 20] {
            let mut rank = PercentRank::new(n);
            assert_eq!(warm_up(|x| rank.update(x)), n + 1);
        }
    }
}
