//! The bar generators of the speed benchmarks (`benches/support/minute_data.rs`):
//! its output is checked from the CSV text alone, and `rotor run` reads it.

mod common;
#[path = "../benches/support/minute_data.rs"]
mod minute_data;

use chrono::{Datelike, NaiveDateTime, Timelike, Weekday};
use std::collections::BTreeMap;

/// Five full days and 50 bars of a sixth.
const BARS: usize = 2_000;

/// One row: time, then open, high, low, close in cents, then volume.
struct Row {
    time: NaiveDateTime,
    ohlc: [i64; 4],
    volume: u64,
}

/// Cents of a price written with exactly two decimals.
fn cents(cell: &str) -> i64 {
    let (whole, fraction) = cell.split_once('.').unwrap_or_else(|| panic!("{cell} has no decimals"));
    assert_eq!(fraction.len(), 2, "{cell} has two decimals");
    let whole: i64 = whole.parse().unwrap_or_else(|_| panic!("{cell} is a price"));
    let fraction: i64 = fraction.parse().unwrap_or_else(|_| panic!("{cell} is a price"));
    whole * 100 + fraction
}

fn rows(csv: &str, header: &str) -> Vec<Vec<String>> {
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some(header));
    lines.map(|l| l.split(',').map(String::from).collect()).collect()
}

fn row(fields: &[String]) -> Row {
    assert_eq!(fields.len(), 6, "six fields: {fields:?}");
    Row {
        time: NaiveDateTime::parse_from_str(&fields[0], "%Y-%m-%d %H:%M:%S")
            .unwrap_or_else(|e| panic!("{} is a timestamp: {e}", fields[0])),
        ohlc: [1, 2, 3, 4].map(|i| cents(&fields[i])),
        volume: fields[5].parse().expect("the volume is a whole number"),
    }
}

#[test]
fn minute_bars_are_well_formed() {
    let csv = minute_data::minute_csv(BARS);
    let rows: Vec<Row> = rows(&csv, "date,open,high,low,close,volume")
        .iter()
        .map(|f| row(f))
        .collect();
    assert_eq!(rows.len(), BARS);

    let first = &rows[0].time;
    assert_eq!(first.to_string(), "2024-01-02 09:30:00");
    for pair in rows.windows(2) {
        assert!(pair[0].time < pair[1].time, "{} then {}", pair[0].time, pair[1].time);
    }

    let mut per_day: BTreeMap<chrono::NaiveDate, usize> = BTreeMap::new();
    for r in &rows {
        assert!(
            !matches!(r.time.weekday(), Weekday::Sat | Weekday::Sun),
            "{} is a weekday",
            r.time
        );
        let minute = r.time.hour() * 60 + r.time.minute();
        assert!(
            (9 * 60 + 30..16 * 60).contains(&minute),
            "{} is in trading hours",
            r.time
        );
        assert_eq!(r.time.second(), 0);
        *per_day.entry(r.time.date()).or_default() += 1;

        let [open, high, low, close] = r.ohlc;
        assert!(low > 0, "{}: prices are positive", r.time);
        assert!(
            low <= open.min(close) && open.max(close) <= high,
            "{}: {:?}",
            r.time,
            r.ohlc
        );
        assert!(r.volume > 0);
    }
    // 2,000 = 5 × 390 + 50: five full days (Tuesday 2 to Monday 8 January), then 50 bars.
    let counts: Vec<usize> = per_day.values().copied().collect();
    assert_eq!(counts, [390, 390, 390, 390, 390, 50]);
    let last_day = per_day.keys().last().expect("six days");
    assert_eq!(last_day.to_string(), "2024-01-09");
}

#[test]
fn minute_bars_are_the_same_on_every_run() {
    assert_eq!(minute_data::minute_csv(BARS), minute_data::minute_csv(BARS));
    // A shorter file is the start of a longer one: the walk does not depend on the length.
    assert!(minute_data::minute_csv(BARS).starts_with(&minute_data::minute_csv(100)));
}

#[test]
fn long_layout_holds_each_symbol_at_each_time() {
    let csv = minute_data::long_csv(3, 500);
    let rows = rows(&csv, "date,symbol,open,high,low,close,volume");
    assert_eq!(rows.len(), 3 * 500);
    for (i, fields) in rows.iter().enumerate() {
        let expected = ["MA", "MB", "MC"][i % 3];
        assert_eq!(fields[1], expected, "row {i}");
        let mut rest = fields.clone();
        rest.remove(1);
        let r = row(&rest);
        let [open, high, low, close] = r.ohlc;
        assert!(0 < low && low <= open.min(close) && open.max(close) <= high, "row {i}");
        assert_eq!(fields[0], rows[i - i % 3][0], "row {i} shares its time");
    }
    // The symbols walk apart: their own streams, not one copied.
    assert_ne!(rows[297][5], rows[298][5]);
}

#[test]
fn rotor_runs_the_minute_trend_strategy_on_the_bars() {
    let dir = common::temp_dir("minute-data");
    let data = dir.join("MIN.csv");
    std::fs::write(&data, minute_data::minute_csv(BARS)).expect("the temporary folder is writable");
    let data = data.to_str().expect("the temporary folder's path is UTF-8");
    let run = common::rotor(common::root(), &["run", "benches/minute_trend.rotor", "--data", data]);
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    assert!(run.stdout.contains("2024-01-02 to 2024-01-09"), "{}", run.stdout);
    // 2,000 bars = 5 full days of 390 and 50 bars of a sixth.
    assert!(run.stdout.contains("2,000 bars on 6 trading days"), "{}", run.stdout);
    assert!(run.stdout.contains("Final value"), "{}", run.stdout);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn daily_tickers_are_weekdays_of_every_ticker_in_order() {
    let csv = minute_data::daily_long_csv(30, 260);
    let rows = rows(&csv, "date,symbol,open,high,low,close,volume");
    assert_eq!(rows.len(), 30 * 260);
    let names = minute_data::tickers(30);
    // Three letters, plain names: TAA … TAZ, then TBA …
    assert_eq!(
        (names[0].as_str(), names[25].as_str(), names[26].as_str()),
        ("TAA", "TAZ", "TBA")
    );
    let mut previous: Option<chrono::NaiveDate> = None;
    for (i, fields) in rows.iter().enumerate() {
        assert_eq!(fields[1], names[i % 30], "row {i}");
        let day = chrono::NaiveDate::parse_from_str(&fields[0], "%Y-%m-%d").expect("a date");
        assert!(!matches!(day.weekday(), Weekday::Sat | Weekday::Sun), "{day}");
        if i % 30 == 0 {
            assert!(previous.is_none_or(|p| p < day), "row {i}: days ascend");
            previous = Some(day);
        } else {
            assert_eq!(Some(day), previous, "row {i} shares its day");
        }
        let [open, high, low, close] = [2, 3, 4, 5].map(|k| cents(&fields[k]));
        assert!(0 < low && low <= open.min(close) && open.max(close) <= high, "row {i}");
        assert!(fields[6].parse::<u64>().is_ok_and(|v| v > 0), "row {i}: a volume");
    }
    assert_eq!(rows[0][0], "2004-01-02");
    // Daily steps are larger than minute steps: some day moves more than 1%.
    let moved = rows.iter().any(|f| {
        let [open, _, _, close] = [2, 3, 4, 5].map(|k| cents(&f[k]));
        (close - open).abs() * 100 > open
    });
    assert!(moved, "daily-sized moves");
    assert_eq!(csv, minute_data::daily_long_csv(30, 260), "the same bytes on every run");
}

#[test]
fn bars_on_a_single_day_are_counted_on_one_trading_day() {
    let dir = common::temp_dir("minute-one-day");
    let data = dir.join("MIN.csv");
    // 100 bars: 09:30 to 11:09 of the first day (a day has 390).
    std::fs::write(&data, minute_data::minute_csv(100)).expect("the temporary folder is writable");
    let data = data.to_str().expect("the temporary folder's path is UTF-8");
    let run = common::rotor(common::root(), &["run", "benches/minute_trend.rotor", "--data", data]);
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    assert!(run.stdout.contains("100 bars on 1 trading day)"), "{}", run.stdout);
    let _ = std::fs::remove_dir_all(&dir);
}
