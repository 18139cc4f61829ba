//! When a schedule fires.
//!
//! A schedule names calendar dates (the 15th of each month, every Friday, 2025-09-17). It
//! fires on the first trading day on or after each such date: a scheduled date that is not
//! a trading day rolls forward to the next one. "First trading day" schedules (`monthly`,
//! `quarterly`, `yearly`, bare `weekly`) fire on the first trading day of each period, and
//! the run's first day counts as the first trading day of its period. "Last trading
//! day" is the period's last trading day by the strategy's exchange calendar
//! ([`crate::calendar`], known in advance), rolled forward to the next bar when the data
//! has none that day, so deciding it never needs to know tomorrow's data.
//!
//! Whether bar `t` fires depends only on the dates of bars `t-1` and `t`.

use chrono::{Datelike, Months, NaiveDate};

use super::frame::date_of;
use crate::calendar::Exchange;
use crate::check::{Anchor, ScheduleKind, TimeUnit};

/// Which bars a schedule fires on; `anchor` is the first bar's date (for `every`).
pub fn firing(kind: &ScheduleKind, days: &[i32]) -> Vec<bool> {
    let Some(&first) = days.first() else {
        return Vec::new();
    };
    if let Some(key) = period_key(kind) {
        // The period of each bar, from its day number alone: no calendar type per bar.
        let mut previous = None;
        return days
            .iter()
            .map(|&d| {
                let k = key(d);
                let fires = previous != Some(k);
                previous = Some(k);
                fires
            })
            .collect();
    }
    let anchor = date_of(first);
    let mut out = Vec::with_capacity(days.len());
    for (i, &d) in days.iter().enumerate() {
        // Any scheduled date in (previous bar, this bar]; on the first bar, that day only.
        let lo = if i == 0 { d } else { days[i - 1] + 1 };
        out.push((lo..=d).any(|day| is_scheduled(kind, date_of(day), anchor)));
    }
    out
}

/// A bar that a calendar schedule passed over more than one scheduled date to reach (a
/// month without bars under `monthly`): those dates all fell where the data has no bar,
/// and roll forward to this bar with the one it fires for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PassedOver {
    /// The bar (an index into `days`).
    pub bar: usize,
    /// Scheduled dates before it besides the one it fires for.
    pub extra: u32,
    /// The first scheduled date that fell without a bar (days since 1970).
    pub first_due: i32,
}

/// The bars of `days` where the schedule passed over several scheduled dates since the
/// bar before ([`PassedOver`]). Only calendar schedules whose dates a gap in the data can
/// swallow count: `weekly`, `monthly`, `quarterly`, `yearly` (any anchor), `every N
/// weeks/months/years` and `every N days` for N of 7 or more; `daily`, `every N days` below
/// a week, `once` and intraday schedules are not made up (a `daily` contribution is one a
/// bar of the data; a stretch without bars is said under Assumed by the price-gap note).
/// Empty on data without such gaps. Looks only at bars more than a week after the bar
/// before.
pub fn passed_over(kind: &ScheduleKind, days: &[i32]) -> Vec<PassedOver> {
    let counts = match kind {
        ScheduleKind::Weekly(_) | ScheduleKind::Monthly(_) | ScheduleKind::Quarterly(_) | ScheduleKind::Yearly(_) => {
            true
        }
        // `every N days` from a week up: its dates are a week apart at least, like `weekly`'s.
        ScheduleKind::Every { unit, n } => *unit != TimeUnit::Days || *n >= 7,
        _ => false,
    };
    let Some(&first) = days.first().filter(|_| counts) else {
        return Vec::new();
    };
    let anchor = date_of(first);
    let key = period_key(kind);
    let due = |day: i32| match key {
        Some(key) => key(day) != key(day - 1),
        None => is_scheduled(kind, date_of(day), anchor),
    };
    let mut out = Vec::new();
    for (i, pair) in days.windows(2).enumerate() {
        let (lo, hi) = (pair[0] + 1, pair[1]);
        if hi - lo < 7 {
            // Two scheduled dates are a week apart at least (`weekly`): fewer than eight
            // days since the bar before (a weekend, a holiday) hold one at most.
            continue;
        }
        let mut dates = (lo..=hi).filter(|&day| due(day));
        let Some(first_due) = dates.next() else { continue };
        let extra = dates.count() as u32;
        if extra > 0 {
            out.push(PassedOver {
                bar: i + 1,
                extra,
                first_due,
            });
        }
    }
    out
}

/// For schedules that fire on the first trading day of a period: the period of a day
/// (days since 1970).
fn period_key(kind: &ScheduleKind) -> Option<fn(i32) -> i64> {
    fn day(d: i32) -> i64 {
        d as i64
    }
    fn week(d: i32) -> i64 {
        // Weeks start on Monday; 1970-01-01 was a Thursday.
        (d as i64 + 3).div_euclid(7)
    }
    fn month(d: i32) -> i64 {
        let (y, m) = year_month(d);
        y * 12 + m
    }
    fn quarter(d: i32) -> i64 {
        let (y, m) = year_month(d);
        y * 4 + m / 3
    }
    fn year(d: i32) -> i64 {
        year_month(d).0
    }
    match kind {
        ScheduleKind::Daily => Some(day),
        ScheduleKind::Weekly(None) => Some(week),
        ScheduleKind::Monthly(None | Some(Anchor::FirstTradingDay)) => Some(month),
        ScheduleKind::Quarterly(None | Some(Anchor::FirstTradingDay)) => Some(quarter),
        ScheduleKind::Yearly(None | Some(Anchor::FirstTradingDay)) => Some(year),
        _ => None,
    }
}

/// The civil year and month (0-based) of a day number.
fn year_month(d: i32) -> (i64, i64) {
    let (y, m, _) = crate::civil::ymd(d);
    (y, i64::from(m) - 1)
}

/// Whether a calendar date is one the schedule names.
fn is_scheduled(kind: &ScheduleKind, date: NaiveDate, anchor: NaiveDate) -> bool {
    let first_month_of_period = |months_per_period: u32| date.month0().is_multiple_of(months_per_period);
    match kind {
        ScheduleKind::Weekly(Some(day)) => date.weekday() == *day,
        ScheduleKind::Monthly(Some(a)) => on_anchor(a, date, 1),
        ScheduleKind::Quarterly(Some(Anchor::Day(n))) => first_month_of_period(3) && date.day() == clamp_day(date, *n),
        ScheduleKind::Quarterly(Some(a)) => on_anchor(a, date, 3),
        ScheduleKind::Yearly(Some(Anchor::Day(n))) => date.month() == 1 && date.day() == clamp_day(date, *n),
        ScheduleKind::Yearly(Some(a)) => on_anchor(a, date, 12),
        ScheduleKind::Once(d) => date == d.date,
        ScheduleKind::Every { n, unit } => {
            let n = (*n).max(1);
            match unit {
                TimeUnit::Days => (date - anchor).num_days().rem_euclid(n as i64) == 0,
                TimeUnit::Weeks => (date - anchor).num_days().rem_euclid(7 * n as i64) == 0,
                TimeUnit::Months | TimeUnit::Years => {
                    let step = if *unit == TimeUnit::Months { n } else { 12 * n };
                    let months = (date.year() - anchor.year()) * 12 + date.month() as i32 - anchor.month() as i32;
                    months >= 0 && (months as u32).is_multiple_of(step) && date.day() == clamp_day(date, anchor.day())
                }
            }
        }
        // Period-start kinds are handled by `period_key`.
        _ => false,
    }
}

/// Day `n` of a monthly anchor, or the period's last weekday.
fn on_anchor(anchor: &Anchor, date: NaiveDate, months_per_period: u32) -> bool {
    match anchor {
        Anchor::Day(n) => date.day() == clamp_day(date, *n),
        Anchor::FirstTradingDay => date.day() == 1 && date.month0().is_multiple_of(months_per_period),
        Anchor::LastTradingDay(exchange) => {
            let last_month = date.month0() % months_per_period == months_per_period - 1;
            // A month's last trading day is within its last ten days: most days skip the
            // calendar.
            let late = date.day() + 10 > month_length(date);
            last_month && late && date == exchange.unwrap_or(Exchange::Weekdays).last_trading_day(date)
        }
    }
}

/// Day `n`, or the last day of the month when the month is shorter.
fn clamp_day(date: NaiveDate, n: u32) -> u32 {
    n.min(month_length(date))
}

fn month_length(date: NaiveDate) -> u32 {
    let first = date.with_day(1).expect("day 1 exists");
    let next = first.checked_add_months(Months::new(1)).expect("within chrono's range");
    (next - first).num_days() as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::frame::days_of;
    use chrono::Weekday;

    fn days(dates: &[&str]) -> Vec<i32> {
        dates.iter().map(|s| days_of(s.parse().expect("test date"))).collect()
    }

    fn fired(kind: ScheduleKind, dates: &[&str]) -> Vec<String> {
        let f = firing(&kind, &days(dates));
        dates
            .iter()
            .zip(f)
            .filter(|(_, f)| *f)
            .map(|(d, _)| d.to_string())
            .collect()
    }

    // 2024-01: Mon 1 (holiday, no bar), Tue 2 … ; 2024-02-01 is a Thursday.
    const JAN_FEB: &[&str] = &[
        "2024-01-02",
        "2024-01-03",
        "2024-01-12",
        "2024-01-15",
        "2024-01-16",
        "2024-01-31",
        "2024-02-01",
        "2024-02-15",
        "2024-02-29",
        "2024-03-01",
    ];

    #[test]
    fn months_without_bars_are_passed_over_and_counted() {
        // January, February, then May: March's and April's first days fell without a bar.
        let d = days(&["2019-01-02", "2019-01-03", "2019-02-01", "2019-05-01", "2019-05-02"]);
        let monthly = ScheduleKind::Monthly(None);
        assert_eq!(
            passed_over(&monthly, &d),
            vec![PassedOver {
                bar: 3,
                extra: 2,
                first_due: d[3] - 61
            }]
        );
        // The 15th of March and of April, with May's on 05-15 not reached yet.
        let on_15 = passed_over(&ScheduleKind::Monthly(Some(Anchor::Day(15))), &d);
        assert_eq!(on_15.iter().map(|p| (p.bar, p.extra)).collect::<Vec<_>>(), vec![(3, 2)]);
        // Quarterly: April's quarter started on 04-01, the one firing on 05-01; nothing passed.
        assert!(passed_over(&ScheduleKind::Quarterly(None), &d).is_empty());
        // Daily counts trading days: a gap is no missed day.
        assert!(passed_over(&ScheduleKind::Daily, &d).is_empty());
        // `every 10 days` from 2019-01-02: 01-12, 01-22 and 02-01 (the bar) lie in
        // (01-03, 02-01], so two fell without a bar; `every 3 days` is not made up.
        let every = |n| ScheduleKind::Every {
            n,
            unit: TimeUnit::Days,
        };
        let ten = passed_over(&every(10), &d);
        assert_eq!(ten.first().map(|p| (p.bar, p.extra)), Some((2, 2)));
        assert!(passed_over(&every(3), &d).is_empty());
        // Weekends and holidays pass nothing over.
        let weeks = days(&["2024-12-20", "2024-12-23", "2024-12-24", "2024-12-26", "2025-01-02"]);
        assert!(passed_over(&ScheduleKind::Weekly(None), &weeks).is_empty());
        assert!(passed_over(&monthly, &weeks).is_empty());
    }

    #[test]
    fn monthly_fires_on_the_first_trading_day_of_each_month() {
        assert_eq!(
            fired(ScheduleKind::Monthly(None), JAN_FEB),
            ["2024-01-02", "2024-02-01", "2024-03-01"]
        );
    }

    #[test]
    fn a_scheduled_day_without_a_bar_rolls_forward() {
        // The 14th (a Sunday) has no bar: it rolls to the 15th... but day 14 is asked for
        // only via `on day 14`; day 13 rolls from the 13th (Saturday) to the 15th too.
        assert_eq!(
            fired(ScheduleKind::Monthly(Some(Anchor::Day(13))), JAN_FEB),
            ["2024-01-15", "2024-02-15"]
        );
        // Day 31 in February is clamped to the 29th (2024 is a leap year).
        assert_eq!(
            fired(ScheduleKind::Monthly(Some(Anchor::Day(31))), JAN_FEB),
            ["2024-01-31", "2024-02-29"]
        );
    }

    #[test]
    fn last_trading_day_is_the_last_weekday() {
        // 2024-01-31 is a Wednesday, 2024-02-29 a Thursday.
        assert_eq!(
            fired(ScheduleKind::Monthly(Some(Anchor::LastTradingDay(None))), JAN_FEB),
            ["2024-01-31", "2024-02-29"]
        );
    }

    #[test]
    fn last_trading_day_keeps_the_exchange_calendar() {
        // Good Friday 2024 is 29 March: NYSE's March ends on Thursday the 28th; without the
        // holidays the order would wait for the next bar, 1 April.
        let dates = [
            "2024-03-27",
            "2024-03-28",
            "2024-04-01",
            "2024-04-29",
            "2024-04-30",
            "2024-05-01",
        ];
        let nyse = ScheduleKind::Monthly(Some(Anchor::LastTradingDay(Some(Exchange::Nyse))));
        assert_eq!(fired(nyse, &dates), ["2024-03-28", "2024-04-30"]);
        let weekdays = ScheduleKind::Monthly(Some(Anchor::LastTradingDay(Some(Exchange::Weekdays))));
        assert_eq!(fired(weekdays, &dates), ["2024-04-01", "2024-04-30"]);
        // Quarterly: the last trading day of March, June, September and December only.
        let quarterly = ScheduleKind::Quarterly(Some(Anchor::LastTradingDay(Some(Exchange::Nyse))));
        assert_eq!(fired(quarterly, &dates), ["2024-03-28"]);
    }

    #[test]
    fn weekly_on_friday_and_bare_weekly() {
        // Fridays: 2024-01-12 is one; 2024-01-05 and -19, -26 have no bar and roll forward.
        let dates = [
            "2024-01-02",
            "2024-01-08",
            "2024-01-12",
            "2024-01-15",
            "2024-01-22",
            "2024-01-29",
        ];
        assert_eq!(
            fired(ScheduleKind::Weekly(Some(Weekday::Fri)), &dates),
            ["2024-01-08", "2024-01-12", "2024-01-22", "2024-01-29"]
        );
        // Bare weekly: the first trading day of each week; 01-12 shares a week with 01-08.
        assert_eq!(
            fired(ScheduleKind::Weekly(None), &dates),
            ["2024-01-02", "2024-01-08", "2024-01-15", "2024-01-22", "2024-01-29"]
        );
    }

    #[test]
    fn every_two_weeks_counts_from_the_first_bar() {
        let dates = ["2024-01-02", "2024-01-09", "2024-01-16", "2024-01-23", "2024-01-30"];
        assert_eq!(
            fired(
                ScheduleKind::Every {
                    n: 2,
                    unit: TimeUnit::Weeks
                },
                &dates
            ),
            ["2024-01-02", "2024-01-16", "2024-01-30"]
        );
    }

    #[test]
    fn quarterly_fires_in_january_april_july_october() {
        let dates = [
            "2024-01-02",
            "2024-02-01",
            "2024-04-01",
            "2024-05-01",
            "2024-07-01",
            "2024-10-01",
        ];
        assert_eq!(
            fired(ScheduleKind::Quarterly(None), &dates),
            ["2024-01-02", "2024-04-01", "2024-07-01", "2024-10-01"]
        );
    }

    #[test]
    fn the_first_bar_is_the_first_trading_day_of_its_period() {
        let dates = ["2024-01-17", "2024-01-18", "2024-02-01"];
        assert_eq!(fired(ScheduleKind::Monthly(None), &dates), ["2024-01-17", "2024-02-01"]);
        assert_eq!(fired(ScheduleKind::Yearly(None), &dates), ["2024-01-17"]);
    }
}
