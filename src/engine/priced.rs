//! `priced in KRW 069500.KS`: a listing's prices in the base currency, converted to USD
//! once, when the frame is built, at each bar's exchange rate (the `currency` line's
//! series, as the frame reads it: its last value dated on or before the bar, after any
//! `lag`, and not available once a `stale` line expires it). Everything after, the rules,
//! fills, valuation and the report, reads the listing in USD, as every other price. A
//! strategy without the line is not touched: nothing here runs for it.
//!
//! On a bar where the listing has a row but the rate is not available its open, high and
//! low are left out (not available: nothing fills there, as on a day without a row) and its
//! close is the last converted one, for valuation; the bars are kept ([`Frame::no_rate`])
//! and the report counts them (`Assumption::PricesConverted`).

use super::frame::{Frame, SymbolColumns};
use crate::check::Priced;

/// Converts the columns of `priced`'s listings in `frame` from the base currency to USD
/// with the series `rate` (base currency per USD). Without that series in the frame every
/// bar has no rate.
pub(super) fn to_usd(frame: &mut Frame, priced: &Priced, rate: &str) {
    let rates = frame.series_index(rate).map(|i| frame.series[i].1.clone());
    for (s, columns) in frame.symbols.iter_mut().enumerate() {
        if priced.has(&columns.name) {
            let (no_rate, dividends) = convert(columns, rates.as_deref());
            frame.no_rate.push((s, no_rate));
            frame
                .rateless_dividends
                .extend(dividends.into_iter().map(|(t, d)| (s, t, d)));
        }
    }
}

/// One listing's columns: prices divided by the bar's rate; volume (shares) unchanged.
/// Returns the bars where it has a row but no rate, and the dividends due on bars without a
/// rate (bar, amount a share in the listing's currency), taken out of the column.
fn convert(c: &mut SymbolColumns, rates: Option<&[f64]>) -> (Vec<usize>, Vec<(usize, f64)>) {
    let mut no_rate = Vec::new();
    let mut dividends = Vec::new();
    let n = c.close.len();
    let (open, high, low, close) = (c.open.to_mut(), c.high.to_mut(), c.low.to_mut(), c.close.to_mut());
    let mut last = f64::NAN;
    for t in 0..n {
        let rate = rates.map_or(f64::NAN, |r| r[t]);
        if rate.is_finite() && rate > 0.0 {
            open[t] /= rate;
            if let (Some(h), Some(l)) = (high.get_mut(t), low.get_mut(t)) {
                *h /= rate;
                *l /= rate;
            }
            close[t] /= rate;
            if let Some((due, _)) = &mut c.dividend {
                due[t] /= rate;
            }
            last = close[t];
            continue;
        }
        // A row (its open is there) whose price cannot be converted.
        if !open[t].is_nan() {
            no_rate.push(t);
        }
        open[t] = f64::NAN;
        if let (Some(h), Some(l)) = (high.get_mut(t), low.get_mut(t)) {
            *h = f64::NAN;
            *l = f64::NAN;
        }
        close[t] = last;
        // A dividend due on such a bar cannot be converted there: the run pays it on the
        // first later bar with a rate, at that bar's rate.
        if let Some((due, _)) = &mut c.dividend {
            if due[t] != 0.0 && due[t].is_finite() {
                dividends.push((t, due[t]));
            }
            due[t] = 0.0;
        }
    }
    (no_rate, dividends)
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use super::*;

    fn columns(open: Vec<f64>, close: Vec<f64>) -> SymbolColumns<'static> {
        let n = close.len();
        SymbolColumns {
            name: "069500.KS".into(),
            high: Cow::Owned(open.clone()),
            low: Cow::Owned(open.clone()),
            open: Cow::Owned(open),
            close: Cow::Owned(close),
            volume: Cow::Owned(vec![100.0; n]),
            first: Some(0),
            adjusted: false,
            dividend: None,
            close_only: false,
        }
    }

    #[test]
    fn each_bar_at_its_own_rate() {
        let nan = f64::NAN;
        // Bar 2 has no row (open NaN, close carried in won); bar 3 has a row but no rate.
        let mut c = columns(
            vec![10_000.0, 11_000.0, nan, 12_000.0, 13_000.0],
            vec![10_500.0, 11_000.0, 11_000.0, 12_600.0, 13_000.0],
        );
        let rates = [1_000.0, 1_100.0, 1_000.0, nan, 1_300.0];
        let (no_rate, _) = convert(&mut c, Some(&rates));
        assert_eq!(c.open[..2], [10.0, 10.0]);
        assert!(c.open[2].is_nan() && c.open[3].is_nan());
        assert_eq!(c.open[4], 10.0);
        // The carried won close at bar 2's own rate; bar 3 keeps bar 2's dollars.
        assert_eq!(c.close[..], [10.5, 10.0, 11.0, 11.0, 10.0]);
        assert!(c.high[3].is_nan() && c.low[3].is_nan());
        assert_eq!(c.volume[..], [100.0; 5]);
        assert_eq!(no_rate, [3]);
    }

    #[test]
    fn no_rate_series_leaves_every_row_out() {
        let mut c = columns(vec![10_000.0, 11_000.0], vec![10_000.0, 11_000.0]);
        let (no_rate, _) = convert(&mut c, None);
        assert!(c.open.iter().chain(c.close.iter()).all(|x| x.is_nan()));
        assert_eq!(no_rate, [0, 1]);
    }
}
