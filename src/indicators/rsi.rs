//! Relative strength index.

use super::ema::Ema;

/// Wilder's RSI over `n` changes: `100 - 100 / (1 + avg_gain / avg_loss)`, where the first
/// averages are simple means of the first `n` changes and later ones are Wilder-smoothed,
/// `avg = (prev * (n - 1) + current) / n`.
///
/// 100 when there were no losses (50 when there were neither gains nor losses). The first
/// value comes after `n + 1` inputs, since `n` changes need `n + 1` values.
#[derive(Debug, Clone)]
pub struct Rsi {
    previous: f64,
    gain: Ema,
    loss: Ema,
}

impl Rsi {
    /// An RSI over `n >= 1` changes.
    pub fn new(n: usize) -> Self {
        Self {
            previous: f64::NAN,
            gain: Ema::wilder(n),
            loss: Ema::wilder(n),
        }
    }

    /// Feeds this bar's value and returns the RSI in [0, 100]; NaN (state unchanged) if `x`
    /// is not available.
    pub fn update(&mut self, x: f64) -> f64 {
        if !x.is_finite() {
            return f64::NAN;
        }
        let previous = std::mem::replace(&mut self.previous, x);
        if previous.is_nan() {
            return f64::NAN;
        }
        let change = x - previous;
        let gain = self.gain.update(change.max(0.0));
        let loss = self.loss.update((-change).max(0.0));
        if gain.is_nan() {
            f64::NAN
        } else if loss == 0.0 {
            if gain == 0.0 { 50.0 } else { 100.0 }
        } else {
            100.0 - 100.0 / (1.0 + gain / loss)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Rsi;
    use crate::indicators::testing::{
        assert_close, check_against_naive, prices, seeded_average_closed_form, warm_up, with_gaps,
    };

    fn naive(seen: &[f64], n: usize) -> f64 {
        let changes: Vec<f64> = seen.windows(2).map(|w| w[1] - w[0]).collect();
        let gains: Vec<f64> = changes.iter().map(|c| c.max(0.0)).collect();
        let losses: Vec<f64> = changes.iter().map(|c| (-c).max(0.0)).collect();
        let gain = seeded_average_closed_form(&gains, n, 1.0 / n as f64);
        let loss = seeded_average_closed_form(&losses, n, 1.0 / n as f64);
        match (gain, loss) {
            (g, _) if g.is_nan() => f64::NAN,
            (0.0, 0.0) => 50.0,
            (_, 0.0) => 100.0,
            (g, l) => 100.0 * g / (g + l),
        }
    }

    #[test]
    fn hand_worked() {
        // RSI(2) of 10, 11, 10.5, 11.5, 11: changes +1, -0.5, +1, -0.5.
        // After 3 values: avg gain (1 + 0)/2 = 0.5, avg loss (0 + 0.5)/2 = 0.25, RS = 2,
        //   RSI = 100 - 100/3 = 66.67.
        // +1:   gain (0.5*1 + 1)/2 = 0.75, loss (0.25*1 + 0)/2 = 0.125, RS = 6,
        //   RSI = 100 - 100/7 = 85.71.
        // -0.5: gain (0.75 + 0)/2 = 0.375, loss (0.125 + 0.5)/2 = 0.3125, RS = 1.2,
        //   RSI = 100 - 100/2.2 = 54.55.
        let mut rsi = Rsi::new(2);
        let out = [10.0, 11.0, 10.5, 11.5, 11.0].map(|x| rsi.update(x));
        assert!(out[0].is_nan() && out[1].is_nan());
        assert_close(out[2], 100.0 - 100.0 / 3.0, "bar 3");
        assert_close(out[3], 100.0 - 100.0 / 7.0, "bar 4");
        assert_close(out[4], 100.0 - 100.0 / 2.2, "bar 5");
    }

    #[test]
    fn only_gains_is_100_and_no_change_is_50() {
        let mut rising = Rsi::new(3);
        let out = [1.0, 2.0, 3.0, 4.0, 5.0].map(|x| rising.update(x));
        assert_eq!(&out[3..], [100.0, 100.0]);
        let mut flat = Rsi::new(2);
        let out = [7.0, 7.0, 7.0, 7.0].map(|x| flat.update(x));
        assert_eq!(&out[2..], [50.0, 50.0]);
    }

    #[test]
    fn nan_bar_is_skipped() {
        // The change is taken across the gap: RSI(1) of 1, NaN, 0 sees one loss → 0.
        let mut rsi = Rsi::new(1);
        let out = [1.0, f64::NAN, 0.0].map(|x| rsi.update(x));
        assert!(out[0].is_nan() && out[1].is_nan());
        assert_eq!(out[2], 0.0);
    }

    #[test]
    fn matches_naive_recomputation_and_skips_nan_bars() {
        let xs = with_gaps(&prices(7, 300), 8);
        for n in [1, 2, 5, 14] {
            let mut rsi = Rsi::new(n);
            check_against_naive(&xs, |x| rsi.update(x), |seen| naive(seen, n), &format!("RSI({n})"));
        }
    }

    #[test]
    fn first_value_after_n_plus_one() {
        for n in [1, 3, 14] {
            let mut rsi = Rsi::new(n);
            assert_eq!(warm_up(|x| rsi.update(x)), n + 1);
        }
    }
}
