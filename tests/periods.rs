//! Periods that move (issue 12, item 15): every command honours the strategy's `from`/`to`
//! and the `--from`/`--to` flags; what shortens the period is said under Assumed, and an
//! explicit start that cannot be honoured is an error.
//!
//! tests/fixtures/periods/: AAA on every weekday of 2024 (2024-01-02 … 12-31); `usdkrw` at
//! 1300 on every weekday from 2024-03-01 only.

mod common;

use std::path::{Path, PathBuf};

fn strategy(body: &str) -> PathBuf {
    let dir = common::temp_dir("periods");
    common::copy_fixtures("periods", &dir);
    let path = dir.join("s.rotor");
    std::fs::write(&path, format!("data \"periods\"\n{body}\n")).expect("writable");
    path
}

fn rotor(path: &Path, args: &[&str]) -> common::Run {
    common::rotor(path.parent().expect("a folder"), args)
}

fn json(out: &common::Run) -> serde_json::Value {
    assert_eq!(out.code, 0, "{}", out.stderr);
    serde_json::from_str(&out.stdout).expect("JSON")
}

fn spans(v: &serde_json::Value) -> Vec<(String, String)> {
    let windows = v["windows"].as_array().expect("windows");
    let span = |s: &serde_json::Value| {
        format!(
            "{}..{}",
            s["from"].as_str().unwrap_or("?"),
            s["to"].as_str().unwrap_or("?")
        )
    };
    windows.iter().map(|w| (span(&w["train"]), span(&w["test"]))).collect()
}

const SWEPT: &str = "let n = 5\ncapital 1000 USD\nbuy AAA monthly while close(AAA) > sma(AAA, n)";

#[test]
fn walk_forward_splits_the_strategy_period_not_the_data() {
    // `from 2024-07-01`: the run's days are 07-01 … 12-31, 184 calendar days; two windows
    // start at day 0 and 184·1/2 = 92: 07-01 … 09-30 and 10-01 … 12-31.
    let path = strategy(&format!("from 2024-07-01\n{SWEPT}"));
    let v = json(&rotor(
        &path,
        &["sweep", "s.rotor", "--vary", "n=3,5", "--walk-forward", "2", "--json"],
    ));
    assert_eq!(
        spans(&v),
        [("2024-07-01..2024-09-30".into(), "2024-10-01..2024-12-31".into())]
    );
}

#[test]
fn walk_forward_takes_from_and_to_flags() {
    // 2024-03-01 … 04-30 is 61 days: windows 03-01 … 03-30 and 03-31 … 04-30.
    let path = strategy(SWEPT);
    let args = [
        "sweep",
        "s.rotor",
        "--vary",
        "n=3,5",
        "--walk-forward",
        "2",
        "--from",
        "2024-03-01",
        "--to",
        "2024-04-30",
        "--json",
    ];
    let v = json(&rotor(&path, &args));
    assert_eq!(
        spans(&v),
        [("2024-03-01..2024-03-30".into(), "2024-03-31..2024-04-30".into())]
    );
}

#[test]
fn an_exchange_rate_that_starts_late_is_an_error_after_an_explicit_from() {
    let path = strategy("currency KRW using usdkrw\nfrom 2024-01-15\ncapital 1000 USD\nbuy AAA monthly");
    let out = rotor(&path, &["run", "s.rotor"]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(out.stderr.contains("rotor::run::period_not_covered"), "{}", out.stderr);
    assert!(
        out.stderr
            .contains("the period starts 2024-01-15, but usdkrw (KRW per USD) is known only from 2024-03-01"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("`from 2024-03-01`"), "{}", out.stderr);
    // The help also names the other cause: values expired by a `stale` line.
    let help = out.stderr.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(help.contains("a `stale` line has expired them there"), "{help}");
    // `--from` is as explicit.
    let path = strategy("currency KRW using usdkrw\ncapital 1000 USD\nbuy AAA monthly");
    let out = rotor(&path, &["run", "s.rotor", "--from", "2024-02-01"]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(out.stderr.contains("rotor::run::period_not_covered"), "{}", out.stderr);
}

#[test]
fn without_a_from_a_late_exchange_rate_moves_the_start_and_says_so() {
    let path = strategy("currency KRW using usdkrw\ncapital 1000 USD\nbuy AAA monthly");
    let v = json(&rotor(&path, &["run", "s.rotor", "--json"]));
    assert_eq!(v["metrics"]["start"], "2024-03-01");
    let notes: Vec<&str> = v["assumptions"]
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|a| a.as_str())
        .collect();
    let note = "period: starts 2024-03-01, when usdkrw (KRW per USD) starts; the prices start 2024-01-02";
    assert!(notes.contains(&note), "{notes:#?}");
}

#[test]
fn a_period_beyond_the_data_is_stated() {
    let path = strategy("from 2023-06-01 to 2025-06-30\ncapital 1000 USD\nbuy AAA monthly");
    let v = json(&rotor(&path, &["run", "s.rotor", "--json"]));
    let notes: Vec<&str> = v["assumptions"]
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|a| a.as_str())
        .collect();
    assert!(
        notes.contains(&"period: starts 2024-01-02, where the prices start, not 2023-06-01 as asked"),
        "{notes:#?}"
    );
    assert!(
        notes.contains(&"period: ends 2024-12-31, where the prices end, not 2025-06-30 as asked"),
        "{notes:#?}"
    );
    // A `from` inside the data (a holiday or a weekend) shortens nothing: no note.
    let path = strategy("from 2024-03-02\ncapital 1000 USD\nbuy AAA monthly");
    let v = json(&rotor(&path, &["run", "s.rotor", "--json"]));
    assert_eq!(v["metrics"]["start"], "2024-03-04");
    let text = v["assumptions"].to_string();
    assert!(!text.contains("period:"), "{text}");
}

#[test]
fn a_sweep_says_how_its_period_was_shortened() {
    let path = strategy(&format!("from 2023-06-01\n{SWEPT}"));
    let out = rotor(&path, &["sweep", "s.rotor", "--vary", "n=3,5"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("note: period: starts 2024-01-02, where the prices start, not 2023-06-01 as asked"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_late_exchange_rate_moves_the_start_but_not_the_warm_up() {
    // The run starts on 2024-03-01, when usdkrw starts; the 43 weekdays of AAA before it
    // still feed `sma(AAA, 30)`, which has its value on the first day: a buy on 03-01 (a
    // frame cut at 03-01 would have no value until the 30th bar, in April).
    let path = strategy(
        "currency KRW using usdkrw\ncapital 1000 USD\nfill close\nbuy 100 USD of AAA monthly while sma(AAA, 30) > 0",
    );
    let v = json(&rotor(&path, &["run", "s.rotor", "--json"]));
    assert_eq!(v["metrics"]["start"], "2024-03-01");
    let first = &v["trades"].as_array().expect("trades")[0];
    assert_eq!(first["date"], "2024-03-01", "{first}");
}

#[test]
fn a_period_without_bars_says_what_the_data_has() {
    let path = strategy("buy AAA monthly");
    // After the data: the data's first and last day, so the user sees what to ask for.
    let after = rotor(&path, &["run", "s.rotor", "--from", "2030-01-01"]);
    assert_eq!(after.code, 1, "{}", after.stderr);
    assert!(after.stderr.contains("rotor::run::no_trading_days"), "{}", after.stderr);
    assert!(
        after
            .stderr
            .contains("the traded symbols have prices from 2024-01-02 to 2024-12-31"),
        "{}",
        after.stderr
    );
    // A period that ends before it starts is said as such.
    let reversed = rotor(&path, &["run", "s.rotor", "--from", "2024-06-01", "--to", "2024-05-01"]);
    assert_eq!(reversed.code, 1, "{}", reversed.stderr);
    assert!(
        reversed
            .stderr
            .contains("the period ends (2024-05-01) before it starts (2024-06-01)"),
        "{}",
        reversed.stderr
    );
}

#[test]
fn a_weekend_inside_the_data_is_not_called_a_period_outside_it() {
    // 2024-06-01 and 06-02 are a Saturday and a Sunday, inside AAA's 2024: asking to choose
    // "a period within" 2024-01-02 … 12-31 would be no help, as the period already is.
    let path = strategy("buy AAA monthly");
    let out = rotor(&path, &["run", "s.rotor", "--from", "2024-06-01", "--to", "2024-06-02"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stderr.contains("rotor::run::no_trading_days"), "{}", out.stderr);
    let help = out.stderr.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        help.contains(
            "the traded symbols have prices from 2024-01-02 to 2024-12-31, but no bar falls in \
             this period (a weekend, a holiday or a gap in the data): choose a longer period"
        ),
        "{}",
        out.stderr
    );
    assert!(!help.contains("choose a period within them"), "{}", out.stderr);
}

#[test]
fn a_one_day_period_runs_and_a_reversed_one_is_refused_alike_in_the_file_and_the_flags() {
    // `from X to X` in the file was "the period ends before it starts" while
    // `--from X --to X` ran; a reversed pair of flags said the rule's symbols had no prices.
    let one_day = strategy("from 2024-06-03 to 2024-06-03\nbuy AAA monthly");
    let run = rotor(&one_day, &["run", "s.rotor"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let flags = rotor(
        &strategy("buy AAA monthly"),
        &["run", "s.rotor", "--from", "2024-06-03", "--to", "2024-06-03"],
    );
    assert_eq!(flags.code, 0, "{}", flags.stderr);

    let reversed = rotor(
        &strategy("buy AAA monthly"),
        &["run", "s.rotor", "--from", "2024-06-03", "--to", "2024-06-02"],
    );
    assert_eq!(reversed.code, 1, "{}", reversed.stderr);
    let text = common::flat(&reversed.stderr);
    assert!(text.contains("rotor::run::period_reversed"), "{text}");
    assert!(!text.contains("no prices"), "{text}");
    assert!(text.contains("the start is `--from` and the end `--to`"), "{text}");
    // The file's start and a flag's end.
    let mixed = rotor(&one_day, &["run", "s.rotor", "--to", "2024-05-31"]);
    assert_eq!(mixed.code, 1, "{}", mixed.stderr);
    let text = common::flat(&mixed.stderr);
    assert!(
        text.contains("the period ends (2024-05-31) before it starts (2024-06-03)"),
        "{text}"
    );
    assert!(
        text.contains("the start is the strategy's `from` and the end `--to`"),
        "{text}"
    );
}
