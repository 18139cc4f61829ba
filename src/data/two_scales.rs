//! A file whose only close is the adjusted close, beside an open, a high and a low that
//! are raw (as-traded) prices: Yahoo's download with its `Close` column deleted. The two
//! scales differ by every dividend and split after a bar, so an order filled at the raw
//! open would be valued at the adjusted close, a loss or gain that never happened.
//!
//! A close always lies within its own bar's low–high range on one scale; an adjusted close
//! outside the range of a bar says the range is on another. Such a file's open, high and
//! low are then not read: the adjusted close stands in for them, as in a file without
//! them, and a warning says why. An adjusted close inside every range (recent bars, before
//! any dividend) cannot tell the scales apart, and the open, high and low are read as
//! written.

use super::date::format_timestamp;
use super::store::PriceHistory;
use super::warning::DataWarning;

/// How far outside the range an adjusted close must be, relative to the price: yfinance's
/// float dumps of an adjusted close and an adjusted low of one day can differ in their
/// last digits.
const SLACK: f64 = 1e-6;

/// Whether the close of `history` is an adjusted close beside raw open, high and low (see
/// the module); if so, the open, high and low become the close, and the warning says so.
/// `close_name` is the close column's header name. A history whose high and low are not
/// kept, or whose only close is not adjusted, is left alone.
pub(crate) fn drop_raw_range(history: &mut PriceHistory, file: &str, close_name: &str) -> Option<DataWarning> {
    let n = history.close.len();
    if !history.close_is_adjusted || history.open_is_close || history.high.len() != n || history.low.len() != n {
        return None;
    }
    let outside = |i: usize| {
        let (c, l, h) = (history.close[i], history.low[i], history.high[i]);
        c < l * (1.0 - SLACK) || c > h * (1.0 + SLACK)
    };
    let first = (0..n).find(|&i| outside(i))?;
    let rows = (first..n).filter(|&i| outside(i)).count();
    let warning = DataWarning::RawRangeBesideAdjustedClose {
        file: file.to_owned(),
        symbol: history.symbol.to_string(),
        close_name: close_name.to_owned(),
        rows: crate::display::count(rows, "row"),
        date: format_timestamp(history.ts[first]),
        close: history.close[first],
        low: history.low[first],
        high: history.high[first],
    };
    history.open = history.close.clone();
    history.high = history.close.clone();
    history.low = history.close.clone();
    history.open_is_close = true;
    Some(warning)
}
