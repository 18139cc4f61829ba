//! Issue 12 item 1: indicators, series and script series see every bar dated on or before
//! the day; the period only says when the account exists. The same for the file's `from`,
//! `--from`, the REPL, sweep `--train/--test` windows and walk-forward test windows.
//!
//! The data: AAA closes 10, 11, … 19 on the ten weekdays 2024-01-01 … 01-12, so
//! `close(AAA) > sma(AAA, 3)` holds from the third bar on. From 2024-01-08 (close 15) the
//! 3-bar average is (13 + 14 + 15) / 3 = 14 < 15: `fill close` buys 1000 / 15 shares on
//! the period's first day, worth 1000 / 15 × 19 = 1266.67 on 01-12. Without the bars before
//! the period the average would first exist on 01-10 (close 17): 1000 / 17 × 19 = 1117.65.

mod common;

use std::path::{Path, PathBuf};

use common::{rotor, temp_dir};
use serde_json::Value;

const DAYS: [&str; 10] = ["01", "02", "03", "04", "05", "08", "09", "10", "11", "12"];

/// Bought on the period's first day at 15, valued at 19.
const WARM: f64 = 1000.0 / 15.0 * 19.0;

fn folder(rules: &str) -> PathBuf {
    let dir = temp_dir("warm-up");
    let mut csv = String::from("date,symbol,close\n");
    for (i, d) in DAYS.iter().enumerate() {
        csv.push_str(&format!("2024-01-{d},AAA,{}\n", 10 + i));
    }
    std::fs::write(dir.join("p.csv"), csv).expect("write data");
    std::fs::write(
        dir.join("s.rotor"),
        format!("data \"p.csv\"\ncapital 1000 USD\nfill close\n{rules}"),
    )
    .expect("write strategy");
    dir
}

fn json(dir: &Path, args: &[&str]) -> Value {
    let out = rotor(dir, args);
    assert_eq!(out.code, 0, "{}", out.stderr);
    serde_json::from_str(&out.stdout).expect("JSON")
}

fn final_value(v: &Value) -> f64 {
    v["metrics"]["final_value"].as_f64().expect("a final value")
}

fn assert_close(actual: f64, expected: f64) {
    assert!((actual - expected).abs() < 1e-9, "{actual}, expected {expected}");
}

#[test]
fn a_period_starts_with_its_indicators_warm() {
    let dir = folder("from 2024-01-08\nbuy all of AAA daily while close(AAA) > sma(AAA, 3)\n");
    let v = json(&dir, &["run", "s.rotor", "--json"]);
    assert_eq!(v["metrics"]["start"], "2024-01-08");
    assert_eq!(v["trades"][0]["date"], "2024-01-08");
    assert_eq!(v["trades"][0]["price"], 15.0);
    assert_close(final_value(&v), WARM);
    // The warm-up bars are not the account's: no guard was "not available" in the period.
    assert_eq!(v["activity"]["guards_not_available"], 0);
}

#[test]
fn from_on_the_command_line_is_the_same_period() {
    let dir = folder("buy all of AAA daily while close(AAA) > sma(AAA, 3)\n");
    let v = json(&dir, &["run", "s.rotor", "--json", "--from", "2024-01-08"]);
    assert_eq!(v["trades"][0]["date"], "2024-01-08");
    assert_close(final_value(&v), WARM);
}

#[test]
fn the_repl_and_the_run_agree() {
    // The issue: the REPL said true where the run said "not available".
    let dir = folder("from 2024-01-08\nbuy all of AAA daily while close(AAA) > sma(AAA, 3)\n");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_rotor"))
        .args(["repl", "s.rotor"])
        .current_dir(&dir)
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("the REPL starts");
    use std::io::Write;
    child
        .stdin
        .take()
        .expect("piped")
        .write_all(b"close(AAA) > sma(AAA, 3) @ 2024-01-08\nsma(AAA, 3) @ 2024-01-08\n:run\n")
        .expect("the REPL reads");
    let out = child.wait_with_output().expect("the REPL ends");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("true (as of 2024-01-08)"), "{text}");
    assert!(text.contains("14 (as of 2024-01-08)"), "{text}");
    assert!(text.contains("1,266.67"), "the REPL's :run buys on 01-08 too:\n{text}");
}

#[test]
fn a_script_series_sees_the_bars_before_the_period() {
    // `s.len()` is how many bars a script sees: 6 on 01-08, the period's first day.
    let dir = folder("from 2024-01-08\nuse \"bars.rhai\"\nbuy all of AAA daily if bars(AAA) == 6\n");
    std::fs::write(dir.join("bars.rhai"), "fn bars(s) { s.len() }\n").expect("write script");
    let v = json(&dir, &["run", "s.rotor", "--json"]);
    assert_eq!(v["trades"][0]["date"], "2024-01-08");
    assert_close(final_value(&v), WARM);
}

#[test]
fn a_sweeps_test_window_starts_warm() {
    // Windows of 2 and 3 bars both hold on 01-08: (14 + 15) / 2 and (13 + 14 + 15) / 3.
    let dir = folder("let window = 3\nbuy all of AAA daily while close(AAA) > sma(AAA, window)\n");
    let v = json(
        &dir,
        &[
            "sweep",
            "s.rotor",
            "--vary",
            "window=2,3",
            "--train",
            "2024-01-01..2024-01-05",
            "--test",
            "2024-01-08..2024-01-12",
            "--json",
        ],
    );
    assert_close(v["out_of_sample"]["final_value"].as_f64().expect("a value"), WARM);
}

#[test]
fn a_walk_forward_test_window_starts_warm() {
    // Two windows of the 12 days: 01-01 … 01-06 and 01-07 … 01-12; the test starts on 01-08.
    let dir = folder("let window = 3\nbuy all of AAA daily while close(AAA) > sma(AAA, window)\n");
    let v = json(
        &dir,
        &[
            "sweep",
            "s.rotor",
            "--vary",
            "window=2,3",
            "--walk-forward",
            "2",
            "--json",
        ],
    );
    let windows = v["windows"].as_array().expect("windows");
    assert_eq!(windows.len(), 1);
    assert_eq!(windows[0]["test"]["from"], "2024-01-07");
    assert_close(
        windows[0]["out_of_sample"]["final_value"].as_f64().expect("a value"),
        WARM,
    );
}

/// The money ledger's interest with a period that starts after the data does: interest
/// is credited on the run's days, not the frame's (the debug invariant check once compared
/// the credits with the wrong day and stopped such runs).
#[test]
fn interest_is_credited_in_a_period_that_starts_late() {
    let dir = temp_dir("warm-up-interest");
    let mut csv = String::from("date,symbol,close\n");
    let mut day = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).expect("a date");
    while day <= chrono::NaiveDate::from_ymd_opt(2024, 2, 9).expect("a date") {
        if chrono::Datelike::weekday(&day).number_from_monday() <= 5 {
            csv.push_str(&format!("{day},AAA,10\n"));
        }
        day = day.succ_opt().expect("a date");
    }
    std::fs::write(dir.join("p.csv"), csv).expect("write data");
    std::fs::write(
        dir.join("s.rotor"),
        "data \"p.csv\"\ncapital 1000 USD\nfrom 2024-01-15\ncash interest 3.65%\n\
         buy 100 USD of AAA daily if close(AAA) > 1000\n",
    )
    .expect("write strategy");
    let v = json(&dir, &["run", "s.rotor", "--json"]);
    // 1000 USD × 3.65% / 365 = 0.10 USD a calendar day, for the closes of January 15–31
    // (17 days), credited when February 1 closes; February's is not yet credited.
    assert_close(v["costs"]["interest_earned"].as_f64().expect("interest"), 1.7);
    assert_close(final_value(&v), 1001.7);
}
