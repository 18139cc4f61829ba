//! Dates and times in data files.
//!
//! A timestamp is `i64` seconds since 1970-01-01T00:00 in the exchange's local time: rotor
//! has no time zones, so a daily row is midnight and an intraday bar keeps its wall-clock
//! time.

use chrono::{Datelike, NaiveDate, NaiveTime, Timelike};

/// Seconds in a calendar day (no leap seconds, no daylight saving: timestamps are local).
pub const SECONDS_PER_DAY: i64 = 86_400;

/// The date formats [`parse_timestamp`] accepts, worded for help lines.
pub const DATE_FORMATS: &str = "YYYY-MM-DD, YYYY-MM-DD HH:MM[:SS], YYYY-MM-DDTHH:MM:SS[.000][Z], \
                                YYYY/MM/DD, YYYY.MM.DD, YYYYMMDD, DD/MM/YYYY or MM/DD/YYYY";

/// What to do about a date cell that is not a date: the formats read, and for two forms
/// met in vendors' files a word of its own. A year of two digits (`04/27/21`, as the Wall
/// Street Journal writes) is not read, because its century is not certain; an empty date
/// is most often one of the empty rows Excel leaves at the end of a sheet.
pub fn bad_date_help(text: &str) -> String {
    let formats = format!("write dates as {DATE_FORMATS}");
    let parts: Vec<&str> = text.trim().split(['/', '-', '.']).collect();
    let digits = |p: &str| !p.is_empty() && p.len() <= 2 && p.bytes().all(|b| b.is_ascii_digit());
    if parts.len() == 3 && parts.iter().all(|p| digits(p)) {
        return format!(
            "a year of two digits is not read, because its century is not certain: save the dates \
             with four-digit years; {formats}"
        );
    }
    if text.trim().is_empty() {
        return format!(
            "a row without a date: if it is one of the empty rows (`,,,`) a spreadsheet leaves at \
             the end, delete them; {formats}"
        );
    }
    formats
}

/// `NaiveDate::num_days_from_ce` of 1970-01-01.
const EPOCH_DAYS_FROM_CE: i64 = 719_163;

/// Which of the two numbers before the year is the day, in dates such as `01/02/2024`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DateOrder {
    /// `01/02/2024` is 1 February (Europe, Korea's day-first exports, most of the world).
    DayFirst,
    /// `01/02/2024` is 2 January (the United States).
    MonthFirst,
}

impl DateOrder {
    /// How a `data` line writes it: `day-first` or `month-first`.
    pub fn keyword(self) -> &'static str {
        match self {
            DateOrder::DayFirst => "day-first",
            DateOrder::MonthFirst => "month-first",
        }
    }

    pub(crate) fn other(self) -> DateOrder {
        match self {
            DateOrder::DayFirst => DateOrder::MonthFirst,
            DateOrder::MonthFirst => DateOrder::DayFirst,
        }
    }
}

/// A date written with the year last (`01/02/2024`, `1.2.2024`, `01-02-2024`), whose day
/// and month are known only once the file's [`DateOrder`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct YearLast {
    pub first: u32,
    pub second: u32,
    pub year: u32,
}

impl YearLast {
    /// Reads `D/M/YYYY` or `M/D/YYYY` with `/`, `.` or `-` between the parts (one or two
    /// digits each), or `None` for any other text.
    pub fn parse(text: &str) -> Option<YearLast> {
        let bytes = text.as_bytes();
        let mut c = Cursor { bytes, at: 0 };
        let first = c.digits(1, 2)?;
        let separator = *bytes.get(c.at)?;
        if !matches!(separator, b'/' | b'.' | b'-') {
            return None;
        }
        c.at += 1;
        let second = c.digits(1, 2)?;
        c.expect(separator)?;
        let year = c.digits(4, 4)?;
        c.end()?;
        Some(YearLast { first, second, year })
    }

    /// The midnight this date is in `order`, `None` when that is no day (`13/01/2024`
    /// month-first).
    pub fn timestamp(self, order: DateOrder) -> Option<i64> {
        let (day, month) = match order {
            DateOrder::DayFirst => (self.first, self.second),
            DateOrder::MonthFirst => (self.second, self.first),
        };
        timestamp(self.year, month, day, 0)
    }
}

/// The day (days since 1970-01-01) that a timestamp falls on.
pub fn day_of(ts: i64) -> i32 {
    // Years 1..=9999 are all that parse, so the day count fits an i32 with room to spare.
    ts.div_euclid(SECONDS_PER_DAY) as i32
}

/// Parses a date cell in one of the [`DATE_FORMATS`] into a timestamp.
///
/// Returns `None` for anything else, including impossible dates such as `2025-02-30`.
/// A UTC offset after a time (`2020-01-02 00:00:00-05:00`, as pandas writes) is accepted
/// and dropped, because the wall-clock time before it already is the local time.
/// A date with the year last is read only when one order alone makes it a day
/// (`28/04/2016`, `04/28/2016`); `01/02/2024` needs the file's order
/// (`YearLast::timestamp`), which the loader decides from all of a file's dates.
pub fn parse_timestamp(text: &str) -> Option<i64> {
    if let Some(date) = YearLast::parse(text) {
        let (day_first, month_first) = (
            date.timestamp(DateOrder::DayFirst),
            date.timestamp(DateOrder::MonthFirst),
        );
        return match (day_first, month_first) {
            (Some(ts), None) | (None, Some(ts)) => Some(ts),
            (Some(a), Some(b)) if a == b => Some(a),
            _ => None,
        };
    }
    parse_year_first(text)
}

/// Parses a date with the year first (ISO with an optional time, `YYYY/MM/DD`,
/// `YYYY.MM.DD`, `YYYYMMDD`).
pub(crate) fn parse_year_first(text: &str) -> Option<i64> {
    let bytes = text.as_bytes();
    if bytes.len() == 8 && bytes.iter().all(u8::is_ascii_digit) {
        let mut c = Cursor { bytes, at: 0 };
        let (y, m, d) = (c.digits(4, 4)?, c.digits(2, 2)?, c.digits(2, 2)?);
        return timestamp(y, m, d, 0);
    }
    let mut c = Cursor { bytes, at: 0 };
    let year = c.digits(4, 4)?;
    if c.eat(b'-') {
        let m = c.digits(2, 2)?;
        c.expect(b'-')?;
        let d = c.digits(2, 2)?;
        let seconds = c.time_of_day()?;
        return timestamp(year, m, d, seconds);
    }
    // Korean exports write `2024/01/02` or `2024.01.02`, FedWatch `2025/1/30`.
    let separator = *bytes.get(c.at)?;
    if !matches!(separator, b'/' | b'.') {
        return None;
    }
    c.at += 1;
    let m = c.digits(1, 2)?;
    c.expect(separator)?;
    let d = c.digits(1, 2)?;
    c.end()?;
    timestamp(year, m, d, 0)
}

/// How finely a set of timestamps is given: what every output of a run writes them with,
/// so that one-minute bars keep their minutes in every file (issue 12 item 17) and a bar at
/// midnight among them is not written as a bare date.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Resolution {
    /// `2024-01-31`: every timestamp is a whole day.
    #[default]
    Day,
    /// `2024-01-31 09:30`
    Minute,
    /// `2024-01-31 09:30:15`
    Second,
}

impl Resolution {
    /// The finest resolution among `ts`.
    pub fn of(ts: &[i64]) -> Resolution {
        let mut finest = Resolution::Day;
        for &t in ts {
            if t.rem_euclid(60) != 0 {
                return Resolution::Second;
            }
            if t.rem_euclid(SECONDS_PER_DAY) != 0 {
                finest = Resolution::Minute;
            }
        }
        finest
    }

    /// `ts` written at this resolution.
    pub fn format(self, ts: i64) -> String {
        // `civil` writes it without `format!`: a trade's date is written per fill, and the
        // equity file's per bar.
        let fields = match self {
            Resolution::Day => 0,
            Resolution::Minute => 2,
            Resolution::Second => 3,
        };
        crate::civil::iso_time(day_of(ts), ts.rem_euclid(SECONDS_PER_DAY), fields)
    }
}

/// Writes a timestamp the way rotor prints dates: `2024-01-31`, or `2024-01-31 09:30[:15]`
/// when it has a time of day.
pub fn format_timestamp(ts: i64) -> String {
    let date = NaiveDate::from_num_days_from_ce_opt(
        (i64::from(day_of(ts)) + EPOCH_DAYS_FROM_CE).clamp(1, i64::from(i32::MAX)) as i32,
    )
    .expect("a day clamped into chrono's range is a valid date");
    let seconds = ts.rem_euclid(SECONDS_PER_DAY);
    let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    let day = format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day());
    match (seconds, s) {
        (0, _) => day,
        (_, 0) => format!("{day} {h:02}:{m:02}"),
        _ => format!("{day} {h:02}:{m:02}:{s:02}"),
    }
}

/// Checks the calendar with chrono and combines the parts into a timestamp.
fn timestamp(year: u32, month: u32, day: u32, seconds_of_day: i64) -> Option<i64> {
    let date = NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)?;
    let days = i64::from(date.num_days_from_ce()) - EPOCH_DAYS_FROM_CE;
    Some(days * SECONDS_PER_DAY + seconds_of_day)
}

/// A position in a date cell, read left to right without allocating.
struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Cursor<'_> {
    /// Reads between `min` and `max` ASCII digits as a number.
    fn digits(&mut self, min: usize, max: usize) -> Option<u32> {
        let start = self.at;
        let mut value = 0u32;
        while self.at - start < max {
            match self.bytes.get(self.at) {
                Some(b) if b.is_ascii_digit() => {
                    value = value * 10 + u32::from(b - b'0');
                    self.at += 1;
                }
                _ => break,
            }
        }
        (self.at - start >= min).then_some(value)
    }

    fn eat(&mut self, byte: u8) -> bool {
        let found = self.bytes.get(self.at) == Some(&byte);
        self.at += usize::from(found);
        found
    }

    fn expect(&mut self, byte: u8) -> Option<()> {
        self.eat(byte).then_some(())
    }

    fn end(&self) -> Option<()> {
        (self.at == self.bytes.len()).then_some(())
    }

    /// Reads an optional ` HH:MM[:SS]` or `THH:MM:SS` with an optional `Z` or `±HH:MM`,
    /// up to the end of the cell; nothing at all is midnight.
    fn time_of_day(&mut self) -> Option<i64> {
        if self.end().is_some() {
            return Some(0);
        }
        if !self.eat(b' ') {
            self.expect(b'T')?;
        }
        let h = self.digits(2, 2)?;
        self.expect(b':')?;
        let m = self.digits(2, 2)?;
        let s = if self.eat(b':') { self.digits(2, 2)? } else { 0 };
        // Tiingo writes whole seconds with zero milliseconds (`T00:00:00.000Z`): nothing is
        // lost; other fractions of a second are not read.
        if self.eat(b'.') {
            let zeros = self.bytes[self.at..].iter().take_while(|&&b| b == b'0').count();
            if zeros == 0 {
                return None;
            }
            self.at += zeros;
        }
        let time = NaiveTime::from_hms_opt(h, m, s)?;
        if !self.eat(b'Z') && (self.eat(b'+') || self.eat(b'-')) {
            self.digits(2, 2)?;
            self.eat(b':');
            self.digits(2, 2)?;
        }
        self.end()?;
        Some(i64::from(time.num_seconds_from_midnight()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Days since 1970-01-01 counted naively, month by month, as an independent check.
    fn naive_days(year: i64, month: i64, day: i64) -> i64 {
        let leap = |y: i64| (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        let mut days = 0;
        for y in 1970..year {
            days += if leap(y) { 366 } else { 365 };
        }
        let lengths = [
            31,
            if leap(year) { 29 } else { 28 },
            31,
            30,
            31,
            30,
            31,
            31,
            30,
            31,
            30,
            31,
        ];
        days += lengths[..(month - 1) as usize].iter().sum::<i64>();
        days + day - 1
    }

    #[test]
    fn two_digit_years_and_empty_dates_get_a_word_of_their_own() {
        assert!(bad_date_help("04/27/21").starts_with("a year of two digits is not read"));
        assert!(bad_date_help("27.04.21").starts_with("a year of two digits is not read"));
        assert!(bad_date_help("").starts_with("a row without a date"));
        assert!(bad_date_help("2021-13-01").starts_with("write dates as"));
        assert!(bad_date_help("Apr 27, 2021").starts_with("write dates as"));
    }

    #[test]
    fn every_format_gives_the_same_day() {
        let expected = naive_days(2016, 4, 28) * 86_400;
        for text in [
            "2016-04-28",
            "2016-04-28 00:00:00",
            "2016-04-28 00:00",
            "2016-04-28T00:00:00",
            "2016-04-28T00:00:00Z",
            "2016-04-28T00:00:00.000Z",
            "2016-04-28 00:00:00-04:00",
            "2016/04/28",
            "2016/4/28",
            "20160428",
            "04/28/2016",
            "4/28/2016",
            "28/04/2016",
            "28.04.2016",
            "2016.04.28",
        ] {
            assert_eq!(parse_timestamp(text), Some(expected), "{text}");
        }
    }

    #[test]
    fn intraday_bars_keep_their_time() {
        let midnight = naive_days(2024, 3, 1) * 86_400;
        assert_eq!(parse_timestamp("2024-03-01 09:30"), Some(midnight + 9 * 3600 + 30 * 60));
        assert_eq!(
            parse_timestamp("2024-03-01T15:59:59Z"),
            Some(midnight + 15 * 3600 + 59 * 60 + 59)
        );
    }

    #[test]
    fn epoch_and_early_dates() {
        assert_eq!(parse_timestamp("1970-01-01"), Some(0));
        assert_eq!(parse_timestamp("1969-12-31"), Some(-86_400));
        assert_eq!(day_of(-1), -1, "one second before the epoch is the day before");
        assert_eq!(day_of(86_399), 0);
    }

    #[test]
    fn impossible_and_malformed_dates_are_rejected() {
        for text in [
            "2025-02-30",
            "2023-02-29",
            "2024-13-01",
            "2024-1-05",
            "2024-01-05 24:00",
            "2024-01-05 9:30",
            "2024-01-05X",
            "13/13/2024",
            "01/02/2024",
            "20240132",
            "2024.01.05 09:30",
            "2024/01-05",
            "",
            "abc",
            "124-01-05",
        ] {
            assert_eq!(parse_timestamp(text), None, "{text}");
        }
        assert!(parse_timestamp("2024-02-29").is_some(), "2024 is a leap year");
    }

    #[test]
    fn year_last_dates_need_an_order() {
        let date = YearLast::parse("01/02/2024").expect("year last");
        assert_eq!(
            date.timestamp(DateOrder::DayFirst),
            Some(naive_days(2024, 2, 1) * 86_400)
        );
        assert_eq!(
            date.timestamp(DateOrder::MonthFirst),
            Some(naive_days(2024, 1, 2) * 86_400)
        );
        let date = YearLast::parse("31.12.2023").expect("dots");
        assert_eq!(
            date.timestamp(DateOrder::DayFirst),
            Some(naive_days(2023, 12, 31) * 86_400)
        );
        assert_eq!(date.timestamp(DateOrder::MonthFirst), None);
        assert_eq!(YearLast::parse("1-2-2024").map(|d| (d.first, d.second)), Some((1, 2)));
        for text in ["2024/01/02", "01/02/24", "01/02-2024", "001/02/2024", "01/02/2024 "] {
            assert_eq!(YearLast::parse(text), None, "{text}");
        }
        assert_eq!(
            parse_timestamp("05/05/2024"),
            Some(naive_days(2024, 5, 5) * 86_400),
            "the same either way"
        );
    }

    #[test]
    fn formats_round_trip() {
        for text in ["2024-02-29", "1999-12-31 23:59:58", "2024-03-01 09:30", "1960-07-04"] {
            let ts = parse_timestamp(text).expect(text);
            assert_eq!(format_timestamp(ts), text);
        }
    }

    #[test]
    fn a_resolution_is_the_finest_of_its_timestamps_and_writes_them_all_alike() {
        let day = 86_400 * 19_723; // 2024-01-01
        assert_eq!(Resolution::of(&[day, day + 86_400]), Resolution::Day);
        // A bar at midnight among minute bars keeps its minutes.
        let minutes = [day, day + 9 * 3600 + 30 * 60];
        assert_eq!(Resolution::of(&minutes), Resolution::Minute);
        assert_eq!(Resolution::Minute.format(minutes[0]), "2024-01-01 00:00");
        assert_eq!(Resolution::Minute.format(minutes[1]), "2024-01-01 09:30");
        assert_eq!(Resolution::of(&[day, day + 15]), Resolution::Second);
        assert_eq!(Resolution::Second.format(day + 15), "2024-01-01 00:00:15");
        assert_eq!(Resolution::Day.format(day), "2024-01-01");
    }
}
