//! Monthly returns of the time-weighted value index W, for the report's heatmap.

use serde::Serialize;

use crate::civil;

/// One calendar month's return.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MonthReturn {
    pub year: i32,
    /// 1 to 12.
    pub month: u32,
    /// W at the month's last bar over W at the previous month's last bar (1 before the
    /// first bar), minus 1.
    #[serde(rename = "return")]
    pub value: f64,
    /// The run covers only part of the month: it starts after the month's first trading
    /// day or ends before its last (see [`monthly`]).
    pub partial: bool,
}

/// The return of every calendar month with a bar, oldest first. `data_days` are the data's
/// trading days ([`super::years::data_days`]) and tell whether the run's first and last
/// months are whole: the first is whole when no trading day of the month comes before the
/// run, and the data either has a day in an earlier month or starts in the month's first
/// week; likewise the last, with the month's last week. Without them, both are partial.
pub fn monthly(days: &[i32], wealth: &[f64], data_days: &[i32]) -> Vec<MonthReturn> {
    let mut out: Vec<MonthReturn> = Vec::new();
    let mut before = 1.0;
    for (t, (&day, &w)) in days.iter().zip(wealth).enumerate() {
        let (y, m, _) = civil::ymd(day);
        let last_of_month = days.get(t + 1).is_none_or(|&next| month_of(next) != (y as i32, m));
        if last_of_month {
            out.push(MonthReturn {
                year: y as i32,
                month: m,
                value: w / before - 1.0,
                partial: false,
            });
            before = w;
        }
    }
    if let (Some(&first), Some(&last)) = (days.first(), days.last()) {
        if let Some(m) = out.first_mut() {
            m.partial = !covers_start(first, data_days);
        }
        if let Some(m) = out.last_mut() {
            m.partial |= !covers_end(last, data_days);
        }
    }
    out
}

fn month_of(day: i32) -> (i32, u32) {
    let (y, m, _) = civil::ymd(day);
    (y as i32, m)
}

/// Whether a run starting on `first` covers its month's first trading day.
fn covers_start(first: i32, data: &[i32]) -> bool {
    let month = month_of(first);
    let i = data.partition_point(|&d| d < first);
    let earlier_in_month = i > 0 && month_of(data[i - 1]) == month;
    let known_start = i > 0 || civil::ymd(first).2 <= 7;
    !data.is_empty() && !earlier_in_month && known_start
}

/// Whether a run ending on `last` covers its month's last trading day.
fn covers_end(last: i32, data: &[i32]) -> bool {
    let month = month_of(last);
    let i = data.partition_point(|&d| d <= last);
    let later_in_month = i < data.len() && month_of(data[i]) == month;
    let known_end = i < data.len() || month_of(last + 7) != month;
    !data.is_empty() && !later_in_month && known_end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i64, m: u32, d: u32) -> i32 {
        civil::days(y, m, d) as i32
    }

    #[test]
    fn each_month_is_its_last_value_over_the_month_before() {
        let days = [day(2024, 1, 2), day(2024, 1, 31), day(2024, 2, 1), day(2024, 2, 29)];
        let wealth = [1.01, 1.10, 1.0, 0.99];
        let data = days.to_vec();
        let m = monthly(&days, &wealth, &data);
        assert_eq!(m.len(), 2);
        assert!((m[0].value - 0.10).abs() < 1e-12);
        assert!((m[1].value - (0.99 / 1.10 - 1.0)).abs() < 1e-12);
        // The data starts on 2 January (first week) and ends on 29 February (last week).
        assert!(!m[0].partial && !m[1].partial);
    }

    #[test]
    fn a_run_that_starts_after_the_months_first_trading_day_has_a_partial_first_month() {
        let data = [day(2024, 1, 2), day(2024, 1, 10), day(2024, 1, 31), day(2024, 2, 1)];
        let m = monthly(&data[1..], &[1.0, 1.1, 1.2], &data);
        assert!(m[0].partial);
        assert!(!monthly(&data, &[1.0, 1.0, 1.1, 1.2], &data)[0].partial);
        // The last month ends on 1 February with no later data: partial.
        assert!(m[1].partial);
        // Without the data's days both ends are partial.
        assert!(monthly(&data, &[1.0; 4], &[])[0].partial);
    }
}
