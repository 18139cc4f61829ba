//! The FOMC's scheduled meetings, by decision date: the bundled calendar, extendable with
//! a calendar file (see [`super::fomc_file`]).
//!
//! A meeting's *decision date* is the day its statement is released (2 p.m. Eastern; the
//! second day of a two-day meeting). Only scheduled meetings are listed: they are known in
//! advance, so "the next meeting after day t" never looks ahead. Unscheduled decisions
//! (2008-01-22, 2008-10-08, 2020-03-03, 2020-03-15) move the target range and are in
//! [`super::target_range`]; the scheduled 2020-03-18 meeting, replaced on 2020-03-15, stays
//! here because it was the next meeting until that day.
//!
//! Source: the Federal Reserve's FOMC meeting calendars
//! (<https://www.federalreserve.gov/monetarypolicy/fomccalendars.htm> and
//! <https://www.federalreserve.gov/monetarypolicy/fomc_historical_year.htm>) and its press
//! releases announcing each year's tentative schedule, the latest of 2025-09-05 (2027 and
//! January 2028).

use chrono::{Datelike, NaiveDate};

/// Scheduled decision dates, 2008 through the latest published schedule, as
/// (year, [(month, day); 8]); 2028 has only its January meeting so far.
const SCHEDULED: &[(i32, &[(u32, u32)])] = &[
    (
        2008,
        &[(1, 30), (3, 18), (4, 30), (6, 25), (8, 5), (9, 16), (10, 29), (12, 16)],
    ),
    (
        2009,
        &[(1, 28), (3, 18), (4, 29), (6, 24), (8, 12), (9, 23), (11, 4), (12, 16)],
    ),
    (
        2010,
        &[(1, 27), (3, 16), (4, 28), (6, 23), (8, 10), (9, 21), (11, 3), (12, 14)],
    ),
    (
        2011,
        &[(1, 26), (3, 15), (4, 27), (6, 22), (8, 9), (9, 21), (11, 2), (12, 13)],
    ),
    (
        2012,
        &[(1, 25), (3, 13), (4, 25), (6, 20), (8, 1), (9, 13), (10, 24), (12, 12)],
    ),
    (
        2013,
        &[(1, 30), (3, 20), (5, 1), (6, 19), (7, 31), (9, 18), (10, 30), (12, 18)],
    ),
    (
        2014,
        &[(1, 29), (3, 19), (4, 30), (6, 18), (7, 30), (9, 17), (10, 29), (12, 17)],
    ),
    (
        2015,
        &[(1, 28), (3, 18), (4, 29), (6, 17), (7, 29), (9, 17), (10, 28), (12, 16)],
    ),
    (
        2016,
        &[(1, 27), (3, 16), (4, 27), (6, 15), (7, 27), (9, 21), (11, 2), (12, 14)],
    ),
    (
        2017,
        &[(2, 1), (3, 15), (5, 3), (6, 14), (7, 26), (9, 20), (11, 1), (12, 13)],
    ),
    (
        2018,
        &[(1, 31), (3, 21), (5, 2), (6, 13), (8, 1), (9, 26), (11, 8), (12, 19)],
    ),
    (
        2019,
        &[(1, 30), (3, 20), (5, 1), (6, 19), (7, 31), (9, 18), (10, 30), (12, 11)],
    ),
    (
        2020,
        &[(1, 29), (3, 18), (4, 29), (6, 10), (7, 29), (9, 16), (11, 5), (12, 16)],
    ),
    (
        2021,
        &[(1, 27), (3, 17), (4, 28), (6, 16), (7, 28), (9, 22), (11, 3), (12, 15)],
    ),
    (
        2022,
        &[(1, 26), (3, 16), (5, 4), (6, 15), (7, 27), (9, 21), (11, 2), (12, 14)],
    ),
    (
        2023,
        &[(2, 1), (3, 22), (5, 3), (6, 14), (7, 26), (9, 20), (11, 1), (12, 13)],
    ),
    (
        2024,
        &[(1, 31), (3, 20), (5, 1), (6, 12), (7, 31), (9, 18), (11, 7), (12, 18)],
    ),
    (
        2025,
        &[(1, 29), (3, 19), (5, 7), (6, 18), (7, 30), (9, 17), (10, 29), (12, 10)],
    ),
    (
        2026,
        &[(1, 28), (3, 18), (4, 29), (6, 17), (7, 29), (9, 16), (10, 28), (12, 9)],
    ),
    (
        2027,
        &[(1, 27), (3, 17), (4, 28), (6, 9), (7, 28), (9, 15), (10, 27), (12, 8)],
    ),
    (2028, &[(1, 26)]),
];

/// Scheduled FOMC decision dates, in order, without repeats.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Calendar {
    dates: Vec<NaiveDate>,
}

impl Calendar {
    /// The bundled calendar, 2008-01-30 to the latest published meeting.
    pub fn bundled() -> Calendar {
        let dates = SCHEDULED
            .iter()
            .flat_map(|(year, days)| {
                days.iter()
                    .map(move |&(m, d)| NaiveDate::from_ymd_opt(*year, m, d).expect("a valid bundled date"))
            })
            .collect();
        Calendar { dates }
    }

    /// Every scheduled decision date, in order.
    pub fn dates(&self) -> &[NaiveDate] {
        &self.dates
    }

    /// Adds a scheduled meeting (no change if it is listed).
    pub fn add(&mut self, date: NaiveDate) {
        if let Err(at) = self.dates.binary_search(&date) {
            self.dates.insert(at, date);
        }
    }

    /// Removes a meeting (a cancelled one); no change if it is not listed.
    pub fn remove(&mut self, date: NaiveDate) {
        if let Ok(at) = self.dates.binary_search(&date) {
            self.dates.remove(at);
        }
    }

    pub fn contains(&self, date: NaiveDate) -> bool {
        self.dates.binary_search(&date).is_ok()
    }

    /// Where a meeting is in [`Calendar::dates`].
    pub fn index_of(&self, date: NaiveDate) -> Option<usize> {
        self.dates.binary_search(&date).ok()
    }

    /// The `n`th meeting (1 = the next) whose decision date is after `day`.
    pub fn ahead(&self, day: NaiveDate, n: u32) -> Option<NaiveDate> {
        let first = self.dates.partition_point(|&d| d <= day);
        let index = first.checked_add(usize::try_from(n).ok()?.checked_sub(1)?)?;
        self.dates.get(index).copied()
    }

    /// Where the next meeting after `day` is in [`Calendar::dates`].
    pub fn index_after(&self, day: NaiveDate) -> usize {
        self.dates.partition_point(|&d| d <= day)
    }

    /// The last meeting whose decision date is on or before `date`.
    pub fn last_by(&self, date: NaiveDate) -> Option<NaiveDate> {
        let end = self.dates.partition_point(|&d| d <= date);
        end.checked_sub(1).map(|i| self.dates[i])
    }

    /// The meeting in a calendar month, if there is one (the FOMC never meets twice in a
    /// month on schedule).
    pub fn in_month(&self, year: i32, month: u32) -> Option<NaiveDate> {
        let first = NaiveDate::from_ymd_opt(year, month, 1)?;
        let at = self.dates.partition_point(|&d| d < first);
        self.dates
            .get(at)
            .copied()
            .filter(|d| d.year() == year && d.month() == month)
    }

    /// The meetings closest to `date`, one before and one after, for "did you mean".
    pub fn neighbours(&self, date: NaiveDate) -> Vec<NaiveDate> {
        let at = self.dates.partition_point(|&d| d < date);
        let before = at.checked_sub(1).map(|i| self.dates[i]);
        before.into_iter().chain(self.dates.get(at).copied()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a date")
    }

    #[test]
    fn eight_meetings_a_year_in_order_on_weekdays() {
        let calendar = Calendar::bundled();
        let dates = calendar.dates();
        assert!(dates.windows(2).all(|w| w[0] < w[1]), "in order, no repeats");
        for year in 2008..=2027 {
            assert_eq!(dates.iter().filter(|d| d.year() == year).count(), 8, "{year}");
        }
        // Decisions come on Tuesday to Thursday (2012-09-13 and 2018-11-08 were Thursdays).
        for d in dates {
            let weekday = d.weekday().num_days_from_monday();
            assert!((1..=3).contains(&weekday), "{d} is a {:?}", d.weekday());
        }
    }

    #[test]
    fn the_next_meeting_is_strictly_after_the_day() {
        let calendar = Calendar::bundled();
        // On a decision day the decision is known by the close: the next meeting is the one after.
        assert_eq!(calendar.ahead(date(2025, 9, 17), 1), Some(date(2025, 10, 29)));
        assert_eq!(calendar.ahead(date(2025, 9, 16), 1), Some(date(2025, 9, 17)));
        assert_eq!(calendar.ahead(date(2025, 9, 16), 3), Some(date(2025, 12, 10)));
        assert_eq!(calendar.ahead(date(2025, 9, 16), 0), None);
        assert_eq!(calendar.last_by(date(2025, 12, 31)), Some(date(2025, 12, 10)));
        assert_eq!(calendar.last_by(date(2007, 12, 31)), None);
        assert_eq!(calendar.in_month(2026, 7), Some(date(2026, 7, 29)));
        assert_eq!(calendar.in_month(2026, 8), None);
    }

    #[test]
    fn meetings_can_be_added_and_removed() {
        let mut calendar = Calendar::bundled();
        let extra = date(2028, 3, 15);
        calendar.add(extra);
        calendar.add(extra);
        assert_eq!(calendar.dates().iter().filter(|&&d| d == extra).count(), 1);
        calendar.remove(date(2020, 3, 18));
        assert_eq!(calendar.ahead(date(2020, 3, 16), 1), Some(date(2020, 4, 29)));
    }
}
