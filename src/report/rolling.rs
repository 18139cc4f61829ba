//! Rolling one-year figures: the return, volatility and Sharpe ratio over the year of bars
//! ending at each bar, computed as the report's whole-run figures are (docs/OUTPUT.md).

use serde::Serialize;

use super::meaning::NEGLIGIBLE_DEVIATION;

/// Rolling figures, one entry a bar; NaN until a whole window has passed (and Sharpe where
/// the returns do not vary).
#[derive(Clone, Debug, Default, Serialize)]
pub struct Rolling {
    /// Bars in the window: the bars per year, rounded (252 for daily bars).
    pub window: usize,
    /// W_t / W_{t-window} - 1.
    pub ret: Vec<f64>,
    /// Sample standard deviation of the window's per-bar returns × √B.
    pub volatility: Vec<f64>,
    /// mean(e) / stdev(e) × √B over the window, e = r - rf / 100 / B.
    pub sharpe: Vec<f64>,
}

/// The rolling figures of per-bar `returns` (r_0 first, which no window includes, as no
/// whole-run volatility does), with the risk-free rate per bar in annual percent (NaN where
/// unknown: 0) and B `bars_per_year`.
pub fn rolling(returns: &[f64], risk_free: Option<&[f64]>, bars_per_year: f64) -> Rolling {
    let n = returns.len();
    let window = (bars_per_year.round() as usize).max(2);
    let excess = |t: usize| {
        let rate = risk_free.and_then(|r| r.get(t).copied()).filter(|r| !r.is_nan());
        returns[t] - rate.unwrap_or(0.0) / 100.0 / bars_per_year
    };
    let scale = bars_per_year.sqrt();
    let mut out = Rolling {
        window,
        ret: vec![f64::NAN; n],
        volatility: vec![f64::NAN; n],
        sharpe: vec![f64::NAN; n],
    };
    let wealth = super::returns::wealth(returns);
    // Running sums over bars t-window+1 ..= t of the returns and the excess returns.
    let (mut sum, mut squares, mut esum, mut esquares) = (0.0, 0.0, 0.0, 0.0);
    let count = window as f64;
    for t in 1..n {
        let (r, e) = (returns[t], excess(t));
        sum += r;
        squares += r * r;
        esum += e;
        esquares += e * e;
        if t > window {
            let (r0, e0) = (returns[t - window], excess(t - window));
            sum -= r0;
            squares -= r0 * r0;
            esum -= e0;
            esquares -= e0 * e0;
        }
        if t >= window {
            let deviation = ((squares - sum * sum / count) / (count - 1.0)).max(0.0).sqrt();
            let edeviation = ((esquares - esum * esum / count) / (count - 1.0)).max(0.0).sqrt();
            let start = wealth[t - window];
            out.ret[t] = if start > 0.0 { wealth[t] / start - 1.0 } else { f64::NAN };
            out.volatility[t] = deviation * scale;
            if edeviation > NEGLIGIBLE_DEVIATION {
                out.sharpe[t] = esum / count / edeviation * scale;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The figures over one window, computed directly.
    fn naive(returns: &[f64], t: usize, window: usize, b: f64) -> (f64, f64, f64) {
        let w = &returns[t + 1 - window..=t];
        let growth: f64 = w.iter().map(|r| 1.0 + r).product();
        let mean = w.iter().sum::<f64>() / window as f64;
        let var = w.iter().map(|r| (r - mean).powi(2)).sum::<f64>() / (window - 1) as f64;
        (growth - 1.0, var.sqrt() * b.sqrt(), mean / var.sqrt() * b.sqrt())
    }

    #[test]
    fn matches_a_direct_computation_over_each_window() {
        let returns: Vec<f64> = (0..40).map(|i| ((i * 7919 % 23) as f64 - 11.0) / 400.0).collect();
        let r = rolling(&returns, None, 12.0);
        assert_eq!(r.window, 12);
        for t in 0..12 {
            assert!(r.ret[t].is_nan() && r.volatility[t].is_nan());
        }
        for t in 12..40 {
            let (ret, vol, sharpe) = naive(&returns, t, 12, 12.0);
            assert!((r.ret[t] - ret).abs() < 1e-9, "return at {t}");
            assert!((r.volatility[t] - vol).abs() < 1e-9, "volatility at {t}");
            assert!((r.sharpe[t] - sharpe).abs() < 1e-9, "Sharpe at {t}");
        }
    }

    #[test]
    fn constant_returns_have_no_sharpe() {
        let r = rolling(&[0.0; 10], None, 4.0);
        assert!(r.sharpe[9].is_nan());
        assert!((r.volatility[9]).abs() < 1e-12);
    }

    #[test]
    fn the_risk_free_rate_lowers_the_excess_return() {
        let returns: Vec<f64> = (0..10).map(|i| if i % 2 == 0 { 0.02 } else { 0.01 }).collect();
        let rf = vec![4.0; 10];
        let with = rolling(&returns, Some(&rf), 4.0);
        let without = rolling(&returns, None, 4.0);
        assert!(with.sharpe[9] < without.sharpe[9]);
        assert_eq!(with.ret[9], without.ret[9]);
    }
}
