//! Whether a price file's bars can be, checked once its histories are read: a pass over the
//! loaded columns, apart from the reading of the cells.
//!
//! - A high below the low, or a volume below zero, is no bar any market makes: an error
//!   naming the file, symbol and date (`--lenient` drops the row and counts it as skipped).
//! - A close outside its bar's low–high range is a warning (and a note), not an error: a
//!   close adjusted for dividends beside a raw high and low can lie outside it. A file
//!   whose only close is the adjusted close is not checked for it.
//!
//! A column the run does not keep ([`Unread`](super::Unread)) is empty and not checked;
//! `rotor check` keeps every column, so it checks every bar.

use super::date::format_timestamp;
use super::error::DataError;
use super::input::Input;
use super::store::PriceHistory;
use super::warning::DataWarning;
use crate::display::count;

/// Checks every history of a price file; `high_low`: the file has both a high and a low
/// column (otherwise the close stands in for the missing one, and the close check covers
/// it). Returns the warnings and their notes; fails on the first impossible bar, unless
/// loading leniently, when such rows are dropped and counted in `input`.
pub(crate) fn check(
    histories: &mut Vec<PriceHistory>,
    high_low: bool,
    input: &mut Input,
) -> Result<(Vec<DataWarning>, Vec<String>), DataError> {
    let mut warnings = Vec::new();
    let mut notes = Vec::new();
    for history in histories.iter_mut() {
        impossible(history, high_low, input)?;
        if let Some(outside) = outside_range(history) {
            notes.push(outside.to_string());
            warnings.push(outside);
        }
    }
    histories.retain(|h| !h.is_empty());
    Ok((warnings, notes))
}

/// Why bar `i` cannot be, if it cannot.
fn impossible_at(history: &PriceHistory, high_low: bool, i: usize) -> Option<String> {
    if high_low
        && let (Some(&high), Some(&low)) = (history.high.get(i), history.low.get(i))
        && high < low
    {
        return Some(format!("the high {high} is below the low {low}"));
    }
    match history.volume.as_ref().and_then(|v| v.get(i)) {
        Some(&volume) if volume < 0.0 => Some(format!("the volume {volume} is below zero")),
        _ => None,
    }
}

/// Fails on the first impossible bar of `history`, or drops every one when lenient.
fn impossible(history: &mut PriceHistory, high_low: bool, input: &mut Input) -> Result<(), DataError> {
    let bad: Vec<bool> = (0..history.len())
        .map(|i| impossible_at(history, high_low, i).is_some())
        .collect();
    let Some(first) = bad.iter().position(|&b| b) else {
        return Ok(());
    };
    let what = impossible_at(history, high_low, first).expect("the bar found bad");
    let date = format_timestamp(history.ts[first]);
    if !input.lenient() {
        let help = if what.contains("volume") {
            "a volume is 0 or more: correct the cell, or leave it empty where the volume is not known; \
             `rotor run --lenient` skips such rows"
        } else {
            "correct the row (are the high and low columns swapped?); `rotor run --lenient` skips such rows"
        };
        return Err(DataError::ImpossibleBar {
            file: input.name.to_owned(),
            symbol: history.symbol.clone(),
            date,
            what,
            help: help.to_owned(),
        });
    }
    let dropped = bad.iter().filter(|&&b| b).count();
    input.skip_read(dropped, format!("{} on {date}: {what}", history.symbol));
    history.drop_rows(&bad);
    Ok(())
}

/// The warning about closes outside their bar's range, if any is.
fn outside_range(history: &PriceHistory) -> Option<DataWarning> {
    if history.close_is_adjusted || history.high.is_empty() {
        return None;
    }
    let outside = |i: &usize| {
        let (close, low, high) = (history.close[*i], history.low[*i], history.high[*i]);
        close < low || close > high
    };
    let mut rows = (0..history.len()).filter(outside);
    let first = rows.next()?;
    let rows = 1 + rows.count();
    Some(DataWarning::CloseOutsideRange {
        file: history.file.clone(),
        symbol: history.symbol.clone(),
        rows: count(rows, "row"),
        date: format_timestamp(history.ts[first]),
        close: history.close[first],
        low: history.low[first],
        high: history.high[first],
    })
}
