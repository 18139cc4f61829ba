//! What a schedule means, in words (hover text). The rules are the engine's
//! (`engine/schedule.rs`): a scheduled date that is not a trading day rolls forward to the
//! next one.

use crate::syntax::ast::{Anchor, ScheduleKind};

/// "the first trading day of each month", for `monthly`.
pub fn meaning(kind: &ScheduleKind) -> String {
    let rolled = "or the next trading day when that is not one";
    match kind {
        ScheduleKind::Daily => "every trading day".into(),
        ScheduleKind::Weekly(None) => "the first trading day of each week (Monday to Sunday)".into(),
        ScheduleKind::Weekly(Some(day)) => format!("every {}, {rolled}", weekday(*day)),
        ScheduleKind::Monthly(anchor) => in_period(anchor.as_ref(), "month", "the month"),
        ScheduleKind::Quarterly(anchor) => format!(
            "{} (quarters start in January, April, July and October)",
            in_period(anchor.as_ref(), "quarter", "the quarter's first month")
        ),
        ScheduleKind::Yearly(anchor) => in_period(anchor.as_ref(), "year", "January"),
        ScheduleKind::Every { n, unit } => format!(
            "every {n} {} counted from the first day of the run, {rolled}",
            unit.word(f64::from(*n))
        ),
        ScheduleKind::EveryBar => "every bar: each trading day on daily data, each bar of intraday data".into(),
        ScheduleKind::Hourly => "the first bar of each clock hour (on daily bars, every bar)".into(),
        ScheduleKind::EveryClock { n, unit } => format!(
            "the first bar of each {n} {} of the clock, counted from midnight (on daily bars, every bar)",
            unit.word(*n)
        ),
        ScheduleKind::Once(date) => format!("once, on {}, {rolled}", date.date),
    }
}

fn in_period(anchor: Option<&Anchor>, period: &str, month: &str) -> String {
    match anchor {
        None | Some(Anchor::FirstTradingDay) => format!("the first trading day of each {period}"),
        Some(Anchor::LastTradingDay(_)) => format!(
            "the last trading day of each {period} by the exchange's holidays (`calendar`), or the next trading day when the data has no row that day"
        ),
        Some(Anchor::Day(n)) => format!(
            "day {n} of {month} each {period} (the month's last day when it is shorter), or the next trading day when that is not one"
        ),
    }
}

fn weekday(day: chrono::Weekday) -> &'static str {
    use chrono::Weekday::*;
    match day {
        Mon => "Monday",
        Tue => "Tuesday",
        Wed => "Wednesday",
        Thu => "Thursday",
        Fri => "Friday",
        Sat => "Saturday",
        Sun => "Sunday",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedules_in_words() {
        assert_eq!(
            meaning(&ScheduleKind::Monthly(None)),
            "the first trading day of each month"
        );
        assert_eq!(
            meaning(&ScheduleKind::Weekly(Some(chrono::Weekday::Fri))),
            "every Friday, or the next trading day when that is not one"
        );
        assert!(meaning(&ScheduleKind::Quarterly(Some(Anchor::Day(15)))).starts_with("day 15 of the quarter's"));
        assert!(
            meaning(&ScheduleKind::Every {
                n: 1,
                unit: crate::syntax::ast::TimeUnit::Weeks
            })
            .starts_with("every 1 week counted")
        );
    }
}
