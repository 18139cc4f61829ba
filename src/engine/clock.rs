//! Schedules of the clock and of bars, for intraday data (issue 12 item 13): `every bar`,
//! `hourly`, `every 15 minutes`, `every 2 hours`. The calendar schedules (`daily`,
//! `monthly`, …) are in [`super::schedule`]; `daily` on one-minute bars fires on the first
//! bar of each day.
//!
//! A clock schedule fires on the first bar of each stretch of the clock — each hour, each
//! 15 minutes counted from midnight — so a stretch without a bar (a gap in the data, the
//! night) is skipped, never made up later. On daily bars every bar is a new stretch: they
//! fire on every bar. Whether bar `t` fires depends only on the timestamps of bars `t - 1`
//! and `t`.

use crate::check::{ClockUnit, ScheduleKind};

const DAY: i64 = 86_400;

/// The bars (timestamps `ts`) a clock or bar schedule fires on; `None` for a calendar
/// schedule.
pub fn firing(kind: &ScheduleKind, ts: &[i64]) -> Option<Vec<bool>> {
    let seconds = match kind {
        ScheduleKind::EveryBar => return Some(vec![true; ts.len()]),
        ScheduleKind::Hourly => ClockUnit::Hours.seconds(),
        ScheduleKind::EveryClock { n, unit } => i64::from((*n).max(1)) * unit.seconds(),
        _ => return None,
    };
    // The stretch of a timestamp: its day, and which stretch of that day from midnight.
    let stretch = |t: i64| (t.div_euclid(DAY), t.rem_euclid(DAY) / seconds);
    let mut previous = None;
    Some(
        ts.iter()
            .map(|&t| {
                let s = stretch(t);
                let fires = previous != Some(s);
                previous = Some(s);
                fires
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Seconds since 1970 of 2024-01-02 at `h:m`.
    fn at(h: i64, m: i64) -> i64 {
        19_724 * DAY + h * 3600 + m * 60
    }

    fn fired(kind: ScheduleKind, ts: &[i64]) -> Vec<usize> {
        let f = firing(&kind, ts).expect("a clock schedule");
        (0..ts.len()).filter(|&i| f[i]).collect()
    }

    #[test]
    fn clock_schedules_fire_on_the_first_bar_of_each_stretch() {
        // Bars at 09:30, 09:45, 09:59, 10:00, 10:14, 10:44 (10:15–10:44 has one bar), 11:02.
        let ts = [
            at(9, 30),
            at(9, 45),
            at(9, 59),
            at(10, 0),
            at(10, 14),
            at(10, 44),
            at(11, 2),
        ];
        assert_eq!(fired(ScheduleKind::EveryBar, &ts), [0, 1, 2, 3, 4, 5, 6]);
        assert_eq!(fired(ScheduleKind::Hourly, &ts), [0, 3, 6]);
        let quarter = ScheduleKind::EveryClock {
            n: 15,
            unit: ClockUnit::Minutes,
        };
        // Stretches :30–:44, :45–:59, 10:00–:14, 10:30–:44, 11:00–:14.
        assert_eq!(fired(quarter, &ts), [0, 1, 3, 5, 6]);
        let two_hours = ScheduleKind::EveryClock {
            n: 2,
            unit: ClockUnit::Hours,
        };
        // 08:00–09:59 and 10:00–11:59.
        assert_eq!(fired(two_hours, &ts), [0, 3]);
    }

    #[test]
    fn a_new_day_is_a_new_stretch_and_daily_bars_fire_every_bar() {
        let ts = [at(15, 59), at(15, 59) + DAY, 19_726 * DAY, 19_727 * DAY];
        assert_eq!(fired(ScheduleKind::Hourly, &ts), [0, 1, 2, 3]);
        assert_eq!(firing(&ScheduleKind::Daily, &ts), None);
    }
}
