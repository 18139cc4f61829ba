//! Stock splits: making raw prices continuous, and noticing a split nobody mentioned.
//!
//! A 2-for-1 split halves the price overnight. Raw (as-traded) prices with a
//! `split_coefficient` column (Alpha Vantage writes 2.0 on the first day after a 2-for-1
//! split) are made continuous by dividing every earlier price by the coefficients of the
//! splits after it, and multiplying earlier volumes by them: the usual back-adjustment,
//! which leaves the latest prices as traded. Raw prices without any split information
//! are read as they are, but a one-day move by the ratio of a common split is a warning.

use super::date::format_timestamp;
use super::store::PriceHistory;

/// A split: the first timestamp traded after it, and its coefficient (new shares per old).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Split {
    pub ts: i64,
    pub coefficient: f64,
}

/// Divides the prices (and dividends) before each split by its coefficient and multiplies
/// the volumes, so `history` (oldest first) has no jumps at splits. With an adjusted close
/// beside them (Alpha Vantage's daily adjusted), the volumes are left as traded, as they
/// always were: the raw prices are made continuous only so that they can be used with
/// dividends paid as cash, and the adjusted prices (the raw ones scaled by adjusted close /
/// close, the same for both) do not change.
pub(crate) fn adjust_for_splits(history: &mut PriceHistory, splits: &mut [Split]) {
    let volume = history.adj_close.is_none();
    splits.sort_by_key(|s| s.ts);
    // The factor for a bar is the product of the coefficients of the splits after it;
    // walking from the newest bar back, it grows at each split.
    let mut factor = 1.0;
    let mut next = splits.len();
    let mut prices = [
        history.open.to_mut(),
        history.high.to_mut(),
        history.low.to_mut(),
        history.close.to_mut(),
    ];
    let mut dividends = history.dividends.as_mut().map(|d| d.to_mut());
    let mut volumes = history.volume.as_mut().filter(|_| volume).map(|v| v.to_mut());
    for i in (0..history.ts.len()).rev() {
        if factor != 1.0 {
            for column in &mut prices {
                // A column a run does not read is empty (`Unread`).
                if let Some(x) = column.get_mut(i) {
                    *x /= factor;
                }
            }
            if let Some(dividends) = dividends.as_mut() {
                dividends[i] /= factor;
            }
            if let Some(x) = volumes.as_mut().and_then(|v| v.get_mut(i)) {
                *x *= factor;
            }
        }
        // A split dated on this bar applies to the bars before it.
        while next > 0 && splits[next - 1].ts >= history.ts[i] {
            factor *= splits[next - 1].coefficient;
            next -= 1;
        }
    }
}

/// The splits a one-day close-to-close ratio looks like: 2-, 3- and 4-for-1 splits give
/// −50%, −66.7% and −75%, reverse splits the inverse moves. `Some(k)` for a move to 1/k
/// of the price (a k-for-1 split), `Some(-k)` for k times the price (a 1-for-k reverse
/// split); within 3%, which a day's market move around a split stays inside.
#[inline]
pub(crate) fn split_like(before: f64, after: f64) -> Option<i32> {
    let ratio = after / before;
    // Nearly every day moves far less: one test instead of six (within 3% of 1/2 and 2).
    if ratio > 0.5 * 1.03 && ratio < 2.0 * 0.97 {
        return None;
    }
    (2..=4).find_map(|k| {
        let k_f = f64::from(k);
        if (ratio * k_f - 1.0).abs() <= 0.03 {
            Some(k)
        } else if (ratio / k_f - 1.0).abs() <= 0.03 {
            Some(-k)
        } else {
            None
        }
    })
}

/// A one-day move that looks like a split, in a history without split information.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct SplitLike {
    /// The later of the two days, and its close.
    pub ts: i64,
    pub close: f64,
    /// The day before it and its close.
    pub previous_close: f64,
    /// As [`split_like`] gives it.
    pub kind: i32,
    /// Where the later day's row is in the file, for the warning's label.
    pub row: usize,
}

impl SplitLike {
    /// "fell 50.5% on 2005-06-09 (123.43 → 62.32), as a 2-for-1 split would"
    pub fn describe(&self) -> String {
        let change = (self.close / self.previous_close - 1.0) * 100.0;
        let verb = if change < 0.0 { "fell" } else { "rose" };
        let split = if self.kind > 0 {
            format!("a {}-for-1 split", self.kind)
        } else {
            format!("a 1-for-{} reverse split", -self.kind)
        };
        format!(
            "{verb} {:.1}% on {} ({} → {}), as {split} would",
            change.abs(),
            format_timestamp(self.ts),
            self.previous_close,
            self.close
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn history(closes: &[f64]) -> PriceHistory {
        PriceHistory {
            symbol: "X".into(),
            file: "x.csv".into(),
            ts: (0..closes.len() as i64).map(|d| d * 86_400).collect::<Vec<_>>().into(),
            open: closes.to_vec().into(),
            high: closes.to_vec().into(),
            low: closes.to_vec().into(),
            close: closes.to_vec().into(),
            adj_close: None,
            volume: Some(vec![100.0; closes.len()].into()),
            dividends: None,
            open_is_close: false,
            close_is_adjusted: false,
        }
    }

    #[test]
    fn earlier_prices_are_divided_by_later_splits() {
        // A 2-for-1 split on day 2 and a 3-for-1 on day 4.
        let mut h = history(&[120.0, 124.0, 62.0, 63.0, 21.0]);
        let mut splits = vec![
            Split {
                ts: 4 * 86_400,
                coefficient: 3.0,
            },
            Split {
                ts: 2 * 86_400,
                coefficient: 2.0,
            },
        ];
        adjust_for_splits(&mut h, &mut splits);
        assert_eq!(h.close[..], [120.0 / 6.0, 124.0 / 6.0, 62.0 / 3.0, 63.0 / 3.0, 21.0]);
        assert_eq!(h.open, h.close);
        assert_eq!(h.volume.as_deref(), Some(&[600.0, 600.0, 300.0, 300.0, 100.0][..]));
    }

    #[test]
    fn ratios_of_splits() {
        assert_eq!(split_like(123.43, 62.32), Some(2), "IWM, 2005-06-09");
        assert_eq!(split_like(100.0, 33.0), Some(3));
        assert_eq!(split_like(100.0, 25.5), Some(4));
        assert_eq!(split_like(10.0, 20.1), Some(-2));
        assert_eq!(split_like(100.0, 60.0), None);
        assert_eq!(split_like(100.0, 45.0), None, "−55% is outside 3% of a split");
        assert_eq!(split_like(100.0, 101.0), None);
    }

    #[test]
    fn a_move_is_described_with_its_date() {
        let m = SplitLike {
            ts: 86_400,
            close: 62.32,
            previous_close: 123.43,
            kind: 2,
            row: 0,
        };
        assert_eq!(
            m.describe(),
            "fell 49.5% on 1970-01-02 (123.43 → 62.32), as a 2-for-1 split would"
        );
    }
}
