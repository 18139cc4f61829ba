//! The New York Stock Exchange's full-day closures from 1971 on (Monday holidays began
//! then), by NYSE Rule 7.2 and the exchange's holiday page
//! (https://www.nyse.com/markets/hours-calendars), with the historical closures from the
//! NYSE's own list as compiled by pandas_market_calendars (`holidays/nyse.py`, after
//! "Stocks.NYSE-Closings.pdf").
//!
//! - New Year's Day, 1 January; on a Sunday the Monday after; on a Saturday no holiday
//!   (NYSE stays open on Friday 31 December, the end of the accounting year).
//! - Martin Luther King Jr. Day, the third Monday of January, from 1998.
//! - Washington's Birthday, the third Monday of February.
//! - Good Friday, two days before Easter Sunday (the Gregorian computus).
//! - Memorial Day, the last Monday of May.
//! - Juneteenth, 19 June, from 2022.
//! - Independence Day, 4 July.
//! - Labor Day, the first Monday of September.
//! - Thanksgiving, the fourth Thursday of November.
//! - Christmas, 25 December.
//!
//! Except New Year's Day, a holiday on a Saturday is observed on the Friday before and one
//! on a Sunday on the Monday after. Early closes (the day after Thanksgiving, Christmas
//! Eve) are trading days.
//!
//! Checked day by day against an independent implementation, the `holidays` Python
//! package's NYSE calendar (version 0.109): every weekday of 1971–2040 agrees.

use chrono::{Datelike, NaiveDate, Weekday};

use super::{last_weekday, nth_weekday, ymd};

/// Full-day closures outside the rules, from 1971: presidential elections until 1980,
/// days of mourning, the New York blackout, hurricanes and 11 September 2001.
const SPECIAL: &[(i32, u32, u32)] = &[
    (1972, 11, 7),  // presidential election
    (1972, 12, 28), // funeral of President Truman
    (1973, 1, 25),  // funeral of President Johnson
    (1976, 11, 2),  // presidential election
    (1977, 7, 14),  // New York City blackout
    (1980, 11, 4),  // presidential election
    (1985, 9, 27),  // Hurricane Gloria
    (1994, 4, 27),  // funeral of President Nixon
    (2001, 9, 11),  // attacks of 11 September, closed through the 14th
    (2001, 9, 12),
    (2001, 9, 13),
    (2001, 9, 14),
    (2004, 6, 11),  // funeral of President Reagan
    (2007, 1, 2),   // day of mourning for President Ford
    (2012, 10, 29), // Hurricane Sandy
    (2012, 10, 30),
    (2018, 12, 5), // day of mourning for President George H. W. Bush
    (2025, 1, 9),  // day of mourning for President Carter
];

/// Whether NYSE is closed on a weekday `date`.
pub fn is_holiday(date: NaiveDate) -> bool {
    let y = date.year();
    SPECIAL.contains(&(y, date.month(), date.day())) || holidays(y).contains(&date)
}

/// The rule-based holidays of year `y` that fall on weekdays, as observed.
fn holidays(y: i32) -> Vec<NaiveDate> {
    let mut out = Vec::with_capacity(10);
    // New Year's Day: Sunday → Monday; Saturday → none. The next year's 1 January can
    // fall on a Saturday too, which changes nothing in this year.
    let new_year = ymd(y, 1, 1);
    match new_year.weekday() {
        Weekday::Sun => out.push(ymd(y, 1, 2)),
        Weekday::Sat => {}
        _ => out.push(new_year),
    }
    if y >= 1998 {
        out.push(nth_weekday(y, 1, Weekday::Mon, 3));
    }
    out.push(nth_weekday(y, 2, Weekday::Mon, 3));
    out.push(easter(y) - chrono::Duration::days(2));
    out.push(last_weekday(y, 5, Weekday::Mon));
    if y >= 2022 {
        out.push(observed(ymd(y, 6, 19)));
    }
    out.push(observed(ymd(y, 7, 4)));
    out.push(nth_weekday(y, 9, Weekday::Mon, 1));
    out.push(nth_weekday(y, 11, Weekday::Thu, 4));
    out.push(observed(ymd(y, 12, 25)));
    out
}

/// A holiday on a Saturday is observed on Friday, on a Sunday on Monday.
fn observed(date: NaiveDate) -> NaiveDate {
    match date.weekday() {
        Weekday::Sat => date - chrono::Duration::days(1),
        Weekday::Sun => date + chrono::Duration::days(1),
        _ => date,
    }
}

/// Easter Sunday of year `y` in the Gregorian calendar (the anonymous Gregorian
/// algorithm, "Meeus/Jones/Butcher").
fn easter(y: i32) -> NaiveDate {
    let a = y % 19;
    let b = y / 100;
    let c = y % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    ymd(y, month as u32, day as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().expect("a test date")
    }

    #[test]
    fn easter_by_the_computus() {
        // Easter Sundays from published tables.
        for (y, date) in [
            (2000, "2000-04-23"),
            (2008, "2008-03-23"),
            (2019, "2019-04-21"),
            (2024, "2024-03-31"),
            (2025, "2025-04-20"),
            (2038, "2038-04-25"),
        ] {
            assert_eq!(easter(y), d(date), "{y}");
        }
    }

    #[test]
    fn closures_checked_by_hand() {
        for closed in [
            "2024-03-29", // Good Friday 2024
            "2022-06-20", // Juneteenth 2022, a Sunday, observed on Monday
            "2023-06-19", // Juneteenth 2023
            "2012-10-29", // Hurricane Sandy
            "2012-10-30",
            "2001-09-11", // 11 September, closed through Friday
            "2001-09-14",
            "2018-12-05", // George H. W. Bush
            "2025-01-09", // Jimmy Carter
            "2021-12-24", // Christmas 2021, a Saturday, observed on Friday
            "2022-12-26", // Christmas 2022, a Sunday, observed on Monday
            "2020-07-03", // Independence Day 2020, a Saturday
            "2023-01-02", // New Year's Day 2023, a Sunday
            "2024-01-15", // MLK Day
            "2024-02-19", // Washington's Birthday
            "2024-05-27", // Memorial Day
            "2024-09-02", // Labor Day
            "2024-11-28", // Thanksgiving
        ] {
            assert!(is_holiday(d(closed)), "{closed} is a NYSE holiday");
        }
        for open in [
            "2021-12-31", // New Year's Day 2022 is a Saturday: no Friday holiday
            "2021-06-18", // Juneteenth before 2022
            "2024-11-29", // the day after Thanksgiving (an early close)
            "2024-12-24", // Christmas Eve (an early close)
            "1997-01-20", // MLK Day before 1998
            "2012-10-31", // the day Sandy's closure ended
            "2024-03-28",
        ] {
            assert!(!is_holiday(d(open)), "{open} is a NYSE trading day");
        }
    }
}
