//! Which calendar years of a run are whole (issue 12 item 9).
//!
//! A year is partial only when the run does not cover its first and last trading days in
//! the data. A run from 2023-01-03 to 2024-12-31 covers both years whole when 2 January
//! 2023 was a holiday and 31 December 2024 the year's last trading day.
//!
//! A year's first trading day "in the data" is certain when the data also has a day in the
//! year before (so nothing between them was a trading day); when the data itself starts
//! that year, its first day counts as the year's first trading day only within the year's
//! first week (7 January). Likewise at the end: a day in the next year, or on or after 25
//! December. Without the data's days, the run's first and last years are partial.

use crate::check::Program;
use crate::data::{DataSet, PriceHistory};

use super::metrics::YearReturn;

/// The first week of a year and the last week of December, as (month, day) bounds.
const FIRST_WEEK_ENDS: (u32, u32) = (1, 7);
const LAST_WEEK_STARTS: (u32, u32) = (12, 25);

/// The trading days of the data the run's calendar is made of: every date on which a
/// traded symbol or the benchmark has a row, before and after the run's period too
/// (days since 1970, ascending).
pub fn data_days(program: &Program, data: &DataSet) -> Vec<i32> {
    let mut symbols = program.traded.clone();
    if let Some((b, _)) = &program.benchmark {
        symbols.push(b.clone());
    }
    let times = PriceHistory::distinct_times(symbols.iter().filter_map(|s| data.price(s)));
    // Each history's day once (its bars are in time order, so a day's bars are together),
    // not each bar's: a minute history has hundreds of bars a day.
    let mut days: Vec<i32> = Vec::new();
    for ts in times {
        let (mut day, mut last) = (crate::civil::Days::default(), None);
        for &t in ts {
            let d = day.of(t);
            if last != Some(d) {
                days.push(d);
                last = Some(d);
            }
        }
    }
    // Each history is in time order: a stable sort finds those runs and merges them (linear
    // in the days for one or two histories), where an unstable one sorts them afresh.
    days.sort();
    days.dedup();
    days
}

/// Marks each year of `years` partial or whole, for a run whose first and last bars are on
/// days `first` and `last`, over data whose trading days are `data` (empty: unknown).
pub fn mark_partial(years: &mut [YearReturn], first: i32, last: i32, data: &[i32]) {
    let year_of = |day: i32| crate::civil::ymd(day).0 as i32;
    let (first_year, last_year) = (year_of(first), year_of(last));
    for row in years.iter_mut() {
        let starts = row.year > first_year || (!data.is_empty() && covers_start(row.year, first, data));
        let ends = row.year < last_year || (!data.is_empty() && covers_end(row.year, last, data));
        row.partial = !(starts && ends);
    }
}

/// Whether a run starting on `first` starts on the first trading day of `year`.
fn covers_start(year: i32, first: i32, data: &[i32]) -> bool {
    let opens = civil_day(year, 1, 1);
    let Some(&first_of_year) = data.iter().find(|&&d| d >= opens) else {
        return false;
    };
    let certain = data.first().is_some_and(|&d| d < opens);
    let early = first_of_year <= civil_day(year, FIRST_WEEK_ENDS.0, FIRST_WEEK_ENDS.1);
    first <= first_of_year && (certain || early)
}

/// Whether a run ending on `last` ends on the last trading day of `year`.
fn covers_end(year: i32, last: i32, data: &[i32]) -> bool {
    let closes = civil_day(year + 1, 1, 1);
    let Some(&last_of_year) = data.iter().rev().find(|&&d| d < closes) else {
        return false;
    };
    let certain = data.last().is_some_and(|&d| d >= closes);
    let late = last_of_year >= civil_day(year, LAST_WEEK_STARTS.0, LAST_WEEK_STARTS.1);
    last >= last_of_year && (certain || late)
}

fn civil_day(year: i32, month: u32, day: u32) -> i32 {
    crate::civil::days(i64::from(year), month, day) as i32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> i32 {
        let (y, rest) = s.split_at(4);
        let m: u32 = rest[1..3].parse().expect("month");
        let d: u32 = rest[4..6].parse().expect("day");
        civil_day(y.parse().expect("year"), m, d)
    }

    fn partial(first: &str, last: &str, data: &[&str]) -> Vec<(i32, bool)> {
        let data: Vec<i32> = data.iter().map(|d| day(d)).collect();
        let (f, l) = (day(first), day(last));
        let mut years: Vec<YearReturn> = (crate::civil::ymd(f).0..=crate::civil::ymd(l).0)
            .map(|y| YearReturn {
                year: y as i32,
                value: 0.0,
                partial: true,
            })
            .collect();
        mark_partial(&mut years, f, l, &data);
        years.iter().map(|y| (y.year, y.partial)).collect()
    }

    const DATA: &[&str] = &[
        "2022-12-30",
        "2023-01-03",
        "2023-06-30",
        "2023-12-29",
        "2024-01-02",
        "2024-12-31",
        "2025-01-02",
    ];

    #[test]
    fn a_run_over_each_years_first_and_last_trading_day_is_whole() {
        // 2023-01-02 was a holiday: the data's first 2023 day is the 3rd.
        assert_eq!(
            partial("2023-01-03", "2024-12-31", DATA),
            [(2023, false), (2024, false)]
        );
    }

    #[test]
    fn a_run_that_starts_or_ends_inside_a_year_is_partial_there() {
        assert_eq!(partial("2023-06-30", "2024-12-31", DATA), [(2023, true), (2024, false)]);
        assert_eq!(partial("2023-01-03", "2024-01-02", DATA), [(2023, false), (2024, true)]);
    }

    #[test]
    fn data_that_starts_in_a_year_covers_it_only_from_its_first_week() {
        // No 2022 day: 2023-01-03 is in the first week, 2023-03-01 is not.
        let early = ["2023-01-03", "2023-12-29", "2024-01-02"];
        assert_eq!(partial("2023-01-03", "2023-12-29", &early), [(2023, false)]);
        let late = ["2023-03-01", "2023-12-29", "2024-01-02"];
        assert_eq!(partial("2023-03-01", "2023-12-29", &late), [(2023, true)]);
        // The data ends 2023-12-22: not the last week, and nothing after it.
        let short = ["2023-01-03", "2023-12-22"];
        assert_eq!(partial("2023-01-03", "2023-12-22", &short), [(2023, true)]);
    }

    #[test]
    fn without_the_datas_days_the_first_and_last_years_are_partial() {
        assert_eq!(
            partial("2023-01-03", "2025-12-31", &[]),
            [(2023, true), (2024, false), (2025, true)]
        );
    }
}
