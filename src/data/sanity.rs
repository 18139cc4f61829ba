//! Whether a price file's bars can be, checked once its histories are read: a pass over the
//! loaded columns, apart from the reading of the cells.
//!
//! - A high below the low, or a volume below zero, is no bar any market makes: an error
//!   naming the file, symbol and date, shown at the row's line (`--lenient` drops the row
//!   and counts it as skipped).
//! - A close outside its bar's low–high range is a warning (and a note), not an error: a
//!   close adjusted for dividends beside a raw high and low can lie outside it. A file
//!   whose only close is the adjusted close is not checked for it.
//!
//! A column the run does not keep ([`Unread`](super::Unread)) is empty and not checked;
//! `rotor check` and lenient runs keep every column, so they check every bar.

use std::ops::Range;

use chrono::{Duration, NaiveDate};

use super::date::format_timestamp;
use super::error::{DataError, PeriodForm};
use super::input::{Input, span};
use super::record::Records;
use super::store::PriceHistory;
use super::warning::DataWarning;
use crate::calendar::Exchange;
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
        period_start_dates(history, input)?;
        impossible(history, high_low, input)?;
        if let Some(outside) = outside_range(history) {
            notes.push(outside.to_string());
            warnings.push(outside);
        }
    }
    histories.retain(|h| !h.is_empty());
    Ok((warnings, notes))
}

/// Refuses bars dated at the start of the period whose last close they hold (three or
/// more): Yahoo's monthly form, whose bar dated 2016-05-01 holds May's last close, and its
/// weekly form (interval 1wk), whose bar dated Monday 2024-01-08 holds that Friday's close.
/// Read as dated, a run would know each close days or weeks early; a date at the period's
/// end is when the close was known, and is read as it is. Daily files stop at their first
/// date that fits neither form.
fn period_start_dates(history: &PriceHistory, input: &Input) -> Result<(), DataError> {
    let ts = &history.ts[..];
    let symbol = &history.symbol;
    let (bars, form, help) = if month_starts(ts) {
        (
            format!("monthly bars of {symbol} dated on the first day of each month"),
            PeriodForm::Month,
            format!(
                "as Yahoo writes monthly prices, the close of the bar dated {date} is the month's last close, \
                 known only at the month's end: read on the 1st it would be a price from the future. Use daily \
                 prices (Yahoo: interval 1d) and let a schedule pick the months (`buy {symbol} monthly`), or date \
                 each row on the day its close was made",
                date = format_timestamp(ts[0])
            ),
        )
    } else if week_starts(symbol, ts) {
        // Day 0 (1970-01-01) was a Thursday: Sunday is 3.
        let (day, vendor) = if super::date::day_of(ts[0]).rem_euclid(7) == 3 {
            ("Sunday", "Investing.com writes weekly prices")
        } else {
            ("Monday", "Yahoo writes weekly prices (interval 1wk)")
        };
        (
            format!("weekly bars of {symbol} dated on the {day} that starts each week"),
            PeriodForm::Week,
            format!(
                "as {vendor}, the close of the bar dated {date} is the week's last \
                 close, made on its last trading day (a Friday): read on the {day} it would be a price from the \
                 future. Use daily prices (Yahoo: interval 1d) and let a schedule pick the weeks (`buy {symbol} \
                 weekly`), or date each row on the day its close was made",
                date = format_timestamp(ts[0])
            ),
        )
    } else {
        return Ok(());
    };
    let row = row_of(input, symbol, ts[0]);
    Err(DataError::PeriodStartDates {
        file: input.name.to_owned(),
        bars,
        form,
        help,
        src: row.is_some().then(|| input.source()),
        span: row.as_ref().map(span),
    })
}

/// Bars that must fit a period-start form before a file is refused.
const MIN_PERIOD_BARS: usize = 3;

/// Whether `ts` are monthly bars all dated on the 1st: monthly steps only (28 to 31 days),
/// since rarer bars on the 1st are not Yahoo's monthly form, and are read as dated.
fn month_starts(ts: &[i64]) -> bool {
    const DAY: i64 = 86_400;
    let first_of_month = |t: &i64| crate::civil::ymd(super::date::day_of(*t)).2 == 1;
    let monthly = |w: &[i64]| (28 * DAY..=31 * DAY).contains(&(w[1] - w[0]));
    ts.len() >= MIN_PERIOD_BARS && ts.iter().all(first_of_month) && ts.windows(2).all(monthly)
}

/// Whether `ts` (of `symbol`) are weekly bars dated on the day each week starts: a Monday
/// (Yahoo dates a week on its Monday even when the exchange is closed that day), the Sunday
/// before it (Investing.com's weekly form: the week's Friday close dated five days early), or a
/// Tuesday after a Monday the symbol's exchange ([`Exchange::of_symbol`]) was closed (a
/// vendor dating a week on its first trading day), each in the week after the bar before.
/// The last bar may be any day of the week after its predecessor's, or of the same week: a
/// download made in mid-week dates its unfinished week on the day it was made. A Tuesday
/// after a Monday that traded is no week's start: such a file is read as dated.
fn week_starts(symbol: &str, ts: &[i64]) -> bool {
    let Some((&last, body)) = ts.split_last().filter(|_| ts.len() >= MIN_PERIOD_BARS) else {
        return false;
    };
    // Day 0 (1970-01-01) was a Thursday: Monday is 0.
    let weekday = |d: i32| (d + 3).rem_euclid(7);
    // The Monday of the trading week `d` is in: a Sunday belongs to the week after it.
    let monday = |d: i32| d + 1 - weekday(d + 1);
    let exchange = Exchange::of_symbol(symbol);
    let closed = |d: i32| !exchange.is_trading_day(NaiveDate::default() + Duration::days(i64::from(d)));
    let starts = |d: i32| weekday(d) == 0 || weekday(d) == 6 || (weekday(d) == 1 && closed(d - 1));
    // Bar by bar, so that a daily file stops at its first bar that does not fit.
    let mut before: Option<i32> = None;
    for &t in body {
        let d = super::date::day_of(t);
        if !starts(d) || before.is_some_and(|b| monday(d) - b != 7) {
            return false;
        }
        before = Some(monday(d));
    }
    let (d, before) = (
        super::date::day_of(last),
        before.expect("two or more bars before the last"),
    );
    let step = monday(d) - before;
    if starts(d) {
        step == 7
    } else {
        (step == 7 || step == 0) && weekday(d) < 5
    }
}

/// Whether bar `i` cannot be: its high below its low (`high_low`), or its volume below
/// zero. The columns a run does not keep are empty, and so never say so.
fn impossible_at(history: &PriceHistory, high_low: bool, i: usize) -> bool {
    let below = |a: Option<&f64>, b: Option<&f64>| matches!((a, b), (Some(a), Some(b)) if a < b);
    (high_low && below(history.high.get(i), history.low.get(i)))
        || below(history.volume.as_ref().and_then(|v| v.get(i)), Some(&0.0))
}

/// The first bar that cannot be, if one cannot: a scan of the columns alone, so that the
/// usual file, where none is, costs little.
fn first_impossible(history: &PriceHistory, high_low: bool) -> Option<usize> {
    let crossed = high_low.then(|| first_crossed(&history.high, &history.low)).flatten();
    let negative = history.volume.as_deref().and_then(first_negative);
    crossed.into_iter().chain(negative).min()
}

/// The first bar whose high is below its low. Each scan first counts the matches over the
/// whole column (a count without a branch per bar, which the compiler makes vector
/// instructions of), and searches bar by bar only when there is one.
fn first_crossed(high: &[f64], low: &[f64]) -> Option<usize> {
    let crossed = || high.iter().zip(low).map(|(h, l)| h < l);
    (crossed().filter(|&c| c).count() > 0)
        .then(|| crossed().position(|c| c))
        .flatten()
}

/// The first negative volume.
fn first_negative(volume: &[f64]) -> Option<usize> {
    let negative = || volume.iter().map(|&v| v < 0.0);
    (negative().filter(|&n| n).count() > 0)
        .then(|| negative().position(|n| n))
        .flatten()
}

/// The first bar whose close is outside [low, high].
fn first_outside(close: &[f64], low: &[f64], high: &[f64]) -> Option<usize> {
    let outside = || (close.iter().zip(low).zip(high)).map(|((c, l), h)| (c < l) | (c > h));
    (outside().filter(|&o| o).count() > 0)
        .then(|| outside().position(|o| o))
        .flatten()
}

/// Fails on the first impossible bar of `history`, or drops every one when lenient.
fn impossible(history: &mut PriceHistory, high_low: bool, input: &mut Input) -> Result<(), DataError> {
    let Some(first) = first_impossible(history, high_low) else {
        return Ok(());
    };
    let crossed = (history.high.get(first).zip(history.low.get(first))).filter(|(high, low)| high_low && high < low);
    let what = if let Some((high, low)) = crossed {
        format!("the high {high} is below the low {low}")
    } else {
        let volume = history.volume.as_ref().map_or(f64::NAN, |v| v[first]);
        format!("the volume {volume} is below zero")
    };
    let date = format_timestamp(history.ts[first]);
    let row = row_of(input, &history.symbol, history.ts[first]);
    if !input.lenient() {
        let help = if what.contains("volume") {
            "a volume is 0 or more: correct the cell, or leave it empty where the volume is not known; \
             `rotor run --lenient` skips such rows"
        } else {
            "correct the row (are the high and low columns swapped?); `rotor run --lenient` skips such rows"
        };
        return Err(DataError::ImpossibleBar {
            file: input.name.to_owned(),
            bar: format!("{} on {date}", history.symbol),
            what,
            help,
            src: row.is_some().then(|| input.source()),
            span: row.as_ref().map(span),
        });
    }
    let bad: Vec<bool> = (0..history.len())
        .map(|i| i >= first && impossible_at(history, high_low, i))
        .collect();
    let dropped = bad.iter().filter(|&&b| b).count();
    let reason = format!("{} on {date}: {what}", history.symbol);
    match row {
        Some(row) => {
            let line = input.line_of(row.start);
            input.skip_read(dropped, row.start, format!("line {line}: {reason}"));
        }
        None => input.skip_read(dropped, usize::MAX, reason),
    }
    history.drop_rows(&bad);
    Ok(())
}

/// The bytes of the row of `symbol` dated `ts` in the file, for the diagnostic and the note
/// (sought only once a bar is found impossible, so the usual file costs nothing): the first
/// row whose date cell reads as `ts` and whose symbol cell, where the file has one, is
/// `symbol`. `None` if the row cannot be found.
pub(crate) fn row_of(input: &Input, symbol: &str, ts: i64) -> Option<Range<usize>> {
    let columns = input.dates.columns.as_ref()?;
    let text = input.text;
    let mut records = Records::new(text, columns.data_start, columns.delimiter);
    let mut fields = Vec::new();
    while let Some(record) = records.next_record(&mut fields) {
        let line = record.ok()?;
        let Some(date) = fields.get(columns.date) else { continue };
        let same_symbol = columns
            .symbol
            .is_none_or(|column| fields.get(column).is_some_and(|cell| cell.value(text) == symbol));
        if same_symbol && input.timestamp(&date.value(text), &date.span).ok() == Some(ts) {
            return Some(line);
        }
    }
    None
}

/// The warning about closes outside their bar's range, if any is.
fn outside_range(history: &PriceHistory) -> Option<DataWarning> {
    if history.close_is_adjusted || history.high.is_empty() {
        return None;
    }
    let first = first_outside(&history.close, &history.low, &history.high)?;
    let bars = history.close.iter().zip(history.low.iter()).zip(history.high.iter());
    let rows = bars.skip(first).filter(|((c, l), h)| c < l || c > h).count();
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The counting scans find the same first bar as a plain search, wherever it lies (the
    /// first, one in the middle, the last) or nowhere.
    #[test]
    fn counting_scans_find_the_first_bar_as_a_plain_search_does() {
        let n = 197;
        for bad in [None, Some(0), Some(63), Some(64), Some(129), Some(n - 1)] {
            let mut high = vec![11.0; n];
            let low = vec![9.0; n];
            let mut close = vec![10.0; n];
            let mut volume = vec![100.0; n];
            if let Some(i) = bad {
                high[i] = 8.0;
                close[i] = 12.0;
                volume[i] = -1.0;
                // A later bad bar too: the first is the one found.
                high[n - 1] = 8.0;
            }
            let plain = high.iter().zip(&low).position(|(h, l)| h < l);
            assert_eq!(first_crossed(&high, &low), plain, "{bad:?}");
            assert_eq!(first_negative(&volume), bad, "{bad:?}");
            assert_eq!(first_outside(&close, &low, &vec![11.0; n]), bad, "{bad:?}");
        }
    }
}
