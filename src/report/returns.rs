//! The per-bar time-weighted return and the value index it compounds into, as
//! docs/OUTPUT.md defines them: what the charts of a report draw.

/// The return of bar `t`: r_t = equity_t / (equity_{t-1} + flow_t) - 1 for t ≥ 1, and
/// r_0 = equity_0 / flow_0 - 1 (flows credited at the start of the bar, so a contribution is
/// not a return). A bar whose denominator is not positive has r = 0.
pub fn bar_return(equity: &[f64], flows: &[f64], t: usize) -> f64 {
    let base = if t == 0 { flows[0] } else { equity[t - 1] + flows[t] };
    if base > 0.0 { equity[t] / base - 1.0 } else { 0.0 }
}

/// Every bar's return ([`bar_return`]); `equity` and `flows` have one entry a bar.
pub fn bar_returns(equity: &[f64], flows: &[f64]) -> Vec<f64> {
    let n = equity.len().min(flows.len());
    (0..n).map(|t| bar_return(equity, flows, t)).collect()
}

/// The time-weighted value index W_t = Π_{s≤t}(1 + r_s): what one dollar invested
/// throughout would be worth at each bar.
pub fn wealth(returns: &[f64]) -> Vec<f64> {
    let mut w = 1.0;
    returns
        .iter()
        .map(|r| {
            w *= 1.0 + r;
            w
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_contribution_is_not_a_return() {
        // 100 in, grows to 110; 50 more arrives and the whole falls to 144 (a 10% fall of 160).
        let equity = [110.0, 144.0];
        let flows = [100.0, 50.0];
        let r = bar_returns(&equity, &flows);
        assert!((r[0] - 0.10).abs() < 1e-12);
        assert!((r[1] - (144.0 / 160.0 - 1.0)).abs() < 1e-12);
        let w = wealth(&r);
        assert!((w[1] - 1.1 * 0.9).abs() < 1e-12);
    }

    #[test]
    fn no_money_yet_is_no_return() {
        assert_eq!(bar_returns(&[0.0, 0.0], &[0.0, 0.0]), vec![0.0, 0.0]);
    }
}
