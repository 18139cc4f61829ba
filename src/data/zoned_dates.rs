//! Daily bars whose dates carry a UTC offset and a time that is not midnight: dates written
//! in another time zone than the exchange's, as a tz-aware index converted to UTC writes
//! them (`2016-04-27 22:00:00+00:00` for Frankfurt's 2016-04-28). rotor has no time zones
//! ([`super::date`]): it reads the date before the offset, which is then the day before (or
//! after) the trading day, and would put bars on Sundays. Which exchange's day a bar is
//! cannot be told from the file, so such a file is refused with a way out. A daily bar at
//! midnight with an offset (`2016-04-28 00:00:00-04:00`, as yfinance writes the exchange's
//! own midnight) and intraday bars (several a day, at their wall-clock time) are read as
//! written.

use super::date::{SECONDS_PER_DAY, day_of};
use super::error::DataError;
use super::input::{Input, span};
use super::record::Records;
use super::store::PriceHistory;

/// Refuses the first history (oldest first) whose bars are daily, one per date, none at
/// midnight, and whose first date cell has a UTC offset.
pub(crate) fn check(histories: &[PriceHistory], input: &Input) -> Result<(), DataError> {
    for history in histories {
        let ts = &history.ts[..];
        // Each test stops at its first counter-example: intraday bars at the second bar,
        // daily bars at midnight at the first.
        let one_a_day = || ts.windows(2).all(|w| day_of(w[0]) != day_of(w[1]));
        let off_midnight = || ts.iter().all(|t| t.rem_euclid(SECONDS_PER_DAY) != 0);
        if ts.is_empty() || !one_a_day() || !off_midnight() {
            continue;
        }
        let Some((cell, at)) = first_date_cell(input, &history.symbol) else {
            continue;
        };
        if !has_offset(&cell) {
            continue;
        }
        return Err(DataError::ZonedDailyDates {
            file: input.name.to_owned(),
            symbol: history.symbol.to_string(),
            cell,
            src: input.source(),
            span: span(&at),
        });
    }
    Ok(())
}

/// The text and place of the first date cell of `symbol` in the file.
fn first_date_cell(input: &Input, symbol: &str) -> Option<(String, std::ops::Range<usize>)> {
    let columns = input.dates.columns.as_ref()?;
    let text = input.text;
    let mut records = Records::new(text, columns.data_start, columns.delimiter);
    let mut fields = Vec::new();
    while let Some(record) = records.next_record(&mut fields) {
        record.ok()?;
        let Some(date) = fields.get(columns.date) else { continue };
        let same_symbol = columns
            .symbol
            .is_none_or(|column| fields.get(column).is_some_and(|cell| cell.value(text) == symbol));
        if same_symbol {
            return Some((date.value(text).trim().to_owned(), date.span.clone()));
        }
    }
    None
}

/// Whether a date cell ends in a UTC offset after its time: `Z`, `+HH:MM`, `-HHMM`.
fn has_offset(cell: &str) -> bool {
    let Some(time) = cell.get(10..) else { return false };
    if time.ends_with('Z') {
        return true;
    }
    time.rfind(['+', '-']).is_some_and(|i| {
        let zone = &time[i + 1..];
        (4..=5).contains(&zone.len()) && zone.bytes().all(|b| b.is_ascii_digit() || b == b':')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_after_a_time() {
        assert!(has_offset("2016-04-27 22:00:00+00:00"));
        assert!(has_offset("2016-04-28 00:00:00-04:00"));
        assert!(has_offset("2016-04-28T00:00:00Z"));
        assert!(has_offset("2016-04-28T09:30:00+0900"));
        assert!(!has_offset("2016-04-28 22:00:00"));
        assert!(!has_offset("2016-04-28"));
        assert!(!has_offset("28-04-2016"));
    }

    #[test]
    fn tiingo_dates_are_read_and_other_fractions_of_a_second_are_not() {
        let day = super::super::date::parse_timestamp("2021-04-27");
        assert!(day.is_some());
        assert_eq!(super::super::date::parse_timestamp("2021-04-27T00:00:00.000Z"), day);
        assert_eq!(super::super::date::parse_timestamp("2021-04-27T00:00:00.500Z"), None);
        assert_eq!(super::super::date::parse_timestamp("2021-04-27T00:00:00.Z"), None);
    }
}
