//! When a schedule fires, straight from docs/LANGUAGE.md's table: period-start schedules
//! fire on the first trading day of each period (the run's first day counts as one); dated
//! schedules fire on the first trading day on or after each scheduled calendar date.

use chrono::{Datelike, Months, NaiveDate, Weekday};

use super::model::{Anchor, Schedule, Unit};

/// Whether `schedule` fires on bar `i` of the run's trading days `days`.
pub fn fires(schedule: Schedule, days: &[NaiveDate], i: usize) -> bool {
    let d = days[i];
    if let Some(period) = period_of(schedule) {
        return i == 0 || period(days[i - 1]) != period(d);
    }
    let first = days[0];
    if i == 0 {
        return scheduled(schedule, d, first);
    }
    // Any scheduled date in (previous trading day, today] rolls forward to today.
    days[i - 1]
        .iter_days()
        .skip(1)
        .take_while(|x| *x <= d)
        .any(|x| scheduled(schedule, x, first))
}

/// For schedules that fire on a period's first trading day: the period of a date.
fn period_of(schedule: Schedule) -> Option<fn(NaiveDate) -> (i32, u32)> {
    fn day(d: NaiveDate) -> (i32, u32) {
        (d.year(), d.ordinal())
    }
    fn week(d: NaiveDate) -> (i32, u32) {
        let w = d.iso_week();
        (w.year(), w.week())
    }
    fn month(d: NaiveDate) -> (i32, u32) {
        (d.year(), d.month())
    }
    fn quarter(d: NaiveDate) -> (i32, u32) {
        (d.year(), d.month0() / 3)
    }
    match schedule {
        Schedule::Daily => Some(day),
        Schedule::Weekly(None) => Some(week),
        Schedule::Monthly(Anchor::Plain | Anchor::FirstTradingDay) => Some(month),
        Schedule::Quarterly(Anchor::Plain | Anchor::FirstTradingDay) => Some(quarter),
        _ => None,
    }
}

/// Whether `date` is a date the schedule names; `first` is the run's first day.
fn scheduled(schedule: Schedule, date: NaiveDate, first: NaiveDate) -> bool {
    let quarter_month = date.month0().is_multiple_of(3);
    match schedule {
        Schedule::Weekly(Some(day)) => date.weekday() == day,
        Schedule::Monthly(Anchor::Day(n)) => date.day() == n.min(month_length(date)),
        Schedule::Monthly(Anchor::LastTradingDay) => date == last_weekday(date),
        Schedule::Quarterly(Anchor::Day(n)) => quarter_month && date.day() == n.min(month_length(date)),
        Schedule::Quarterly(Anchor::LastTradingDay) => date.month0() % 3 == 2 && date == last_weekday(date),
        Schedule::Every(n, Unit::Days) => (date - first).num_days() % n as i64 == 0,
        Schedule::Every(n, Unit::Weeks) => (date - first).num_days() % (7 * n as i64) == 0,
        Schedule::Every(n, Unit::Months) => {
            let months = (date.year() - first.year()) * 12 + date.month() as i32 - first.month() as i32;
            months % n as i32 == 0 && date.day() == first.day().min(month_length(date))
        }
        Schedule::Once(d) => date == d,
        _ => unreachable!("period-start schedules are handled by `period_of`"),
    }
}

fn month_length(date: NaiveDate) -> u32 {
    let first = date.with_day(1).expect("day 1");
    ((first + Months::new(1)) - first).num_days() as u32
}

/// NYSE holidays that fall on a month's last weekday, 2015–2035 (the generated markets'
/// symbols are US listings): Good Friday on 30 or 29 March, Memorial Day on 31 May.
/// Listed by hand, not computed, so the engine's calendar is checked against them.
const NYSE_MONTH_END_HOLIDAYS: [(i32, u32, u32); 6] = [
    (2018, 3, 30),
    (2021, 5, 31),
    (2024, 3, 29),
    (2027, 5, 31),
    (2029, 3, 30),
    (2032, 5, 31),
];

/// The last NYSE trading day of the date's month: its last Monday-to-Friday day, or the
/// one before when that is a holiday.
fn last_weekday(date: NaiveDate) -> NaiveDate {
    let mut d = date.with_day(month_length(date)).expect("the last day");
    let closed = |d: NaiveDate| {
        matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
            || NYSE_MONTH_END_HOLIDAYS.contains(&(d.year(), d.month(), d.day()))
    };
    while closed(d) {
        d = d.pred_opt().expect("a date");
    }
    d
}
