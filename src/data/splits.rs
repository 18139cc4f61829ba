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

/// The split ratios watched for, as k-for-1 splits and 1-for-k reverse splits: the
/// whole-number ratios of recent US splits (Apple 7 and 4, Nvidia 4 and 10, Tesla 5 and 3,
/// Amazon and Alphabet 20, Walmart 3), and of the 1-for-2 to 1-for-20 reverse splits that
/// companies announce to lift a low price. Fractional ratios (3-for-2: −33%) are left out:
/// a market can move so in a day.
const RATIOS: [u32; 9] = [2, 3, 4, 5, 7, 8, 10, 15, 20];

/// How far a day's ratio may be from a split's, as a fraction of it: ±10% keeps a split on
/// a day that moved 5% (or more) in either direction, and no two ratios of the list share
/// a day's ratio (the nearest is taken where 7 and 8 overlap).
const TOLERANCE: f64 = 0.10;

/// How many of the symbol's usual days (a robust standard deviation of its daily log
/// moves) a split-like move must be, so that its own market cannot make it.
const USUAL_DAYS: f64 = 6.0;

/// The split a one-day close-to-close ratio looks like: `Some(k)` for a move to about 1/k
/// of the price (a k-for-1 split), `Some(-k)` for about k times it (a 1-for-k reverse
/// split), the nearest of [`RATIOS`] within [`TOLERANCE`].
pub(crate) fn split_like(before: f64, after: f64) -> Option<i32> {
    let ratio = after / before;
    let deviation = |x: f64| (x - 1.0).abs();
    RATIOS
        .iter()
        .flat_map(|&k| {
            let k_f = f64::from(k);
            let k = i32::try_from(k).expect("the split ratios are small");
            [(k, deviation(ratio * k_f)), (-k, deviation(ratio / k_f))]
        })
        .filter(|&(_, d)| d <= TOLERANCE)
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(k, _)| k)
}

/// Whether a day's ratio is far enough from 1 to be any split of [`RATIOS`]: outside
/// (1/2 × 1.1, 2 × 0.9). Nearly every day is inside, so this is the only test it gets.
fn may_be_split(ratio: f64) -> bool {
    !(ratio > 0.5 * (1.0 + TOLERANCE) && ratio < 2.0 * (1.0 - TOLERANCE))
}

/// The one-day moves of `close` (oldest first, dated by `ts`) that look like a split
/// ([`split_like`]) and are at least [`USUAL_DAYS`] of the symbol's usual moves: a
/// once-per-symbol pass after loading, for raw prices without split information.
pub(crate) fn split_like_moves(ts: &[i64], close: &[f64]) -> Vec<SplitLike> {
    let candidates: Vec<usize> = (1..close.len().min(ts.len()))
        .filter(|&i| may_be_split(close[i] / close[i - 1]))
        .filter(|&i| split_like(close[i - 1], close[i]).is_some())
        .collect();
    if candidates.is_empty() {
        return Vec::new();
    }
    let usual = usual_move(close);
    candidates
        .into_iter()
        .filter(|&i| (close[i] / close[i - 1]).ln().abs() >= USUAL_DAYS * usual)
        .map(|i| SplitLike {
            ts: ts[i],
            close: close[i],
            previous_close: close[i - 1],
            kind: split_like(close[i - 1], close[i]).expect("a candidate is split-like"),
        })
        .collect()
}

/// A robust standard deviation of the daily log moves: 1.4826 times their median absolute
/// size (the factor makes it the standard deviation for normal moves), which a few
/// split days do not sway.
fn usual_move(close: &[f64]) -> f64 {
    let mut sizes: Vec<f64> = close.windows(2).map(|w| (w[1] / w[0]).ln().abs()).collect();
    let middle = sizes.len() / 2;
    let (_, median, _) = sizes.select_nth_unstable_by(middle, f64::total_cmp);
    1.4826 * *median
}

/// A price as a person reads it: to the cent from 1 up, otherwise to four significant
/// digits (a float32 dump such as `204.77000427246094` is shown `204.77`).
fn price_text(x: f64) -> String {
    if x.abs() >= 1.0 || x == 0.0 {
        format!("{x:.2}")
    } else {
        let decimals = (3.0 - x.abs().log10().floor()).clamp(2.0, 12.0) as usize;
        format!("{x:.decimals$}")
    }
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
            price_text(self.previous_close),
            price_text(self.close)
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
        assert_eq!(split_like(100.0, 40.0), None, "−60%: 20% off a 2- and a 3-for-1");
        assert_eq!(split_like(100.0, 101.0), None);
        assert_eq!(split_like(1000.0, 102.0), Some(10), "10-for-1 on a day up 2%");
        assert_eq!(split_like(100.0, 52.0), Some(2), "2-for-1 on a day up 4%");
        assert_eq!(split_like(100.0, 47.5), Some(2), "2-for-1 on a day down 5%");
        assert_eq!(split_like(10.0, 95.0), Some(-10), "1-for-10 on a day down 5%");
        // 100/7 = 14.29 and 100/8 = 12.5: 13.6 is 4.8% off the first, 8.8% off the second.
        assert_eq!(split_like(100.0, 13.6), Some(7));
        assert_eq!(split_like(100.0, 4.0), None, "1/25: 20% off 1/20");
    }

    #[test]
    fn a_move_is_described_with_its_date() {
        let m = SplitLike {
            ts: 86_400,
            close: 62.32,
            previous_close: 123.43,
            kind: 2,
        };
        assert_eq!(
            m.describe(),
            "fell 49.5% on 1970-01-02 (123.43 → 62.32), as a 2-for-1 split would"
        );
        let cents = SplitLike {
            close: 204.77000427246094,
            previous_close: 2028.8,
            kind: 10,
            ..m
        };
        assert!(cents.describe().contains("(2028.80 → 204.77)"), "{}", cents.describe());
        let pennies = SplitLike {
            close: 0.012341,
            previous_close: 0.1234,
            kind: 10,
            ..cents
        };
        assert!(
            pennies.describe().contains("(0.1234 → 0.01234)"),
            "{}",
            pennies.describe()
        );
    }

    #[test]
    fn a_move_its_own_market_makes_is_no_split() {
        let day = |i: i64| i * 86_400;
        let ts: Vec<i64> = (0..6).map(day).collect();
        // Calm days of ±1%, then a halving: the robust deviation is 1.4826 × ln(1.01) = 1.5%.
        let calm = [100.0, 101.0, 100.0, 101.0, 100.0, 50.0];
        let moves = split_like_moves(&ts, &calm);
        assert_eq!(moves.len(), 1);
        assert_eq!((moves[0].ts, moves[0].kind), (day(5), 2));
        // Days of ±40%: ln 2 = 0.69 is under 6 × 1.4826 × ln 1.4 = 3.0.
        let wild = [100.0, 140.0, 100.0, 140.0, 100.0, 50.0];
        assert_eq!(split_like_moves(&ts, &wild), Vec::new());
    }
}
