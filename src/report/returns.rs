//! The per-bar time-weighted return and the value index it compounds into, as
//! docs/OUTPUT.md defines them: what the charts of a report draw.
//!
//! A bar's external cash flows come at two times of day: money that arrives before the
//! open (the capital, contributions) and money that leaves or moves at the close
//! (withdrawals, tax the investor pays in from outside at the day's end, and, for a
//! sleeve, the money a `rebalanced` sleeve moves between sleeves). Each is valued at the
//! moment it happens, as the GIPS standards ask of a time-weighted return (portfolios
//! valued at the time of each large external cash flow, the sub-periods' returns linked
//! geometrically; GIPS Guidance Statement on Calculation Methodology). Within one bar this
//! is the Modified Dietz return with exact day-weights W = (CD − D_i) / CD: 1 for a flow at
//! the bar's start, 0 for one at its end, so no flow is weighted by a guess:
//!
//! r = (V_end − F_end − V_start − F_start) / (V_start + F_start)
//!
//! with F_start the flow at the open and F_end the net flow at the close (negative when
//! money leaves), both signed as money into the account.

use crate::engine::Flows;

/// The return of bar `t`. `flow` is the bar's whole external flow (money in positive)
/// and `closing[t]` the part of it that moved at the close (empty: none ever did), so the
/// flow at the start is `flow − closing[t]`:
/// r_t = (equity_t − closing_t) / (equity_{t−1} + start_t) − 1 for t ≥ 1, and
/// r_0 = (equity_0 − closing_0) / start_0 − 1. A bar whose denominator is not positive has
/// r = 0. Without a flow at the close this is equity_t / (equity_{t−1} + flow_t) − 1, to
/// the bit.
#[inline]
pub fn bar_return(equity: &[f64], flow: f64, closing: &[f64], t: usize) -> f64 {
    let end = closing.get(t).copied().unwrap_or(0.0);
    let start = flow - end;
    let base = if t == 0 { start } else { equity[t - 1] + start };
    if base > 0.0 {
        (equity[t] - end) / base - 1.0
    } else {
        0.0
    }
}

/// Every bar's return ([`bar_return`]); `equity` and `flows` have one entry a bar (the
/// shorter one's length is taken), `closing` one a bar or none.
pub fn bar_returns(equity: &[f64], flows: &Flows, closing: &[f64]) -> Vec<f64> {
    let n = equity.len().min(flows.len());
    (flows.iter().take(n).enumerate())
        .map(|(t, flow)| bar_return(equity, flow, closing, t))
        .collect()
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
        let r = bar_returns(&equity, &flows.into(), &[]);
        assert!((r[0] - 0.10).abs() < 1e-12);
        assert!((r[1] - (144.0 / 160.0 - 1.0)).abs() < 1e-12);
        let w = wealth(&r);
        assert!((w[1] - 1.1 * 0.9).abs() < 1e-12);
    }

    #[test]
    fn no_money_yet_is_no_return() {
        assert_eq!(bar_returns(&[0.0, 0.0], &[0.0, 0.0].into(), &[]), vec![0.0, 0.0]);
    }

    #[test]
    fn a_withdrawal_at_the_close_is_not_a_loss() {
        // 1000 at the close of day 0; day 1 the holdings rise 5% to 1050 and 40 is taken
        // out at the close: 1010 left. The day's return is 1050 / 1000 − 1 = 5%, not
        // 1010 / (1000 − 40) − 1 = 5.2% (the withdrawal counted in the morning).
        let equity = [1000.0, 1010.0];
        let flows = [1000.0, -40.0];
        let closing = [0.0, -40.0];
        let r = bar_returns(&equity, &flows.into(), &closing);
        assert_eq!(r[0], 0.0);
        assert!((r[1] - 0.05).abs() < 1e-12, "{}", r[1]);
        // Counted at the start of the day, as before: the other convention's figure.
        let morning = bar_returns(&equity, &flows.into(), &[]);
        assert!((morning[1] - (1010.0 / 960.0 - 1.0)).abs() < 1e-12);
    }

    #[test]
    fn flows_at_both_ends_of_one_bar() {
        // 500 at the close before; 100 arrives in the morning, the 600 gain 10% to 660,
        // 60 leaves at the close: 600. r = (600 + 60 − 500 − 100) / 600 = 10%.
        let equity = [500.0, 600.0];
        let flows = [500.0, 40.0];
        let closing = [0.0, -60.0];
        let r = bar_returns(&equity, &flows.into(), &closing);
        assert!((r[1] - 0.10).abs() < 1e-12, "{}", r[1]);
        // The first bar: capital in the morning, a withdrawal at its close.
        let r = bar_returns(&[900.0], &[1000.0 - 150.0].into(), &[-150.0]);
        assert!((r[0] - 0.05).abs() < 1e-12, "{}", r[0]);
    }

    #[test]
    fn without_a_flow_at_the_close_nothing_changes_to_the_bit() {
        let equity = [100.0, 103.7, 98.1, 120.3];
        let flows = [100.0, 0.0, 17.3, -4.1];
        let old = |t: usize| {
            let base = if t == 0 { flows[0] } else { equity[t - 1] + flows[t] };
            if base > 0.0 { equity[t] / base - 1.0 } else { 0.0 }
        };
        for closing in [&[][..], &[0.0; 4][..]] {
            for (t, &flow) in flows.iter().enumerate() {
                assert_eq!(bar_return(&equity, flow, closing, t).to_bits(), old(t).to_bits());
            }
        }
    }
}
