//! Stale series (issue 12, item 7): a value older than its series' usual spacing × 3 (and
//! at least 7 days) is reported; `stale after N days` makes such values not available; the
//! REPL shows a value's own observation date.
//!
//! tests/fixtures/stale/: AAA at 10 on every weekday of 2024-01-02 … 06-28; `sig` at 0.8
//! on every weekday of 2024-01-02 … 02-15, then nothing. Its usual spacing is 1 day
//! (the median gap between weekdays), so a value is stale once more than 7 days old.

mod common;

use std::path::{Path, PathBuf};

fn strategy(body: &str) -> PathBuf {
    let dir = common::temp_dir("stale");
    common::copy_fixtures("stale", &dir);
    let path = dir.join("s.rotor");
    std::fs::write(&path, format!("data \"stale\"\n{body}\n")).expect("writable");
    path
}

fn json(path: &Path) -> serde_json::Value {
    let out = common::rotor(path.parent().expect("a folder"), &["run", "s.rotor", "--json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    serde_json::from_str(&out.stdout).expect("JSON")
}

fn assumptions(report: &serde_json::Value) -> Vec<String> {
    let list = report["assumptions"].as_array().expect("a list");
    list.iter().filter_map(|a| a.as_str().map(String::from)).collect()
}

const RULES: &str = "capital 1000 USD\nfill close\nbuy 10 USD of AAA monthly while sig > 0.5";

#[test]
fn a_series_that_ended_is_reported_with_the_decisions_it_still_drove() {
    // Monthly decisions on Jan 2, Feb 1, Mar 1, Apr 1, May 1, Jun 3. sig was last observed on
    // Feb 15: on Mar 1 it is 15 days old (> 7), so Mar 1 … Jun 3 are 4 decisions on a stale
    // value. All 6 buy (0.8 > 0.5).
    let report = json(&strategy(RULES));
    assert_eq!(report["activity"]["trades"], 6);
    let note = "sig last observed 2024-02-15, used for 4 decisions until 2024-06-03: older than \
                7 days (3 × its usual spacing of 1 day, and at least 7 days); `stale after N days` \
                makes such values not available";
    assert!(
        assumptions(&report).iter().any(|a| a == note),
        "{:#?}",
        assumptions(&report)
    );
}

#[test]
fn stale_after_makes_old_values_not_available() {
    // With `stale after 30 days`: on Mar 1 sig is 15 days old (read), on Apr 1 46 days
    // (not available), and so on May 1 and Jun 3: 3 buys, 3 guards not available.
    let report = json(&strategy(&format!("stale after 30 days\n{RULES}")));
    assert_eq!(report["activity"]["trades"], 3);
    assert_eq!(report["activity"]["guards_not_available"], 3);
    let note = "sig last observed 2024-02-15: not available for 3 decisions until 2024-06-03 \
                (`stale after 30 days`)";
    assert!(
        assumptions(&report).iter().any(|a| a == note),
        "{:#?}",
        assumptions(&report)
    );
    // For one series by name, the same.
    let report = json(&strategy(&format!("stale sig after 30 days\n{RULES}")));
    assert_eq!(report["activity"]["trades"], 3);
}

#[test]
fn fresh_series_are_not_mentioned() {
    let report = json(&strategy(
        "capital 1000 USD\nfill close\nto 2024-02-20\nbuy 10 USD of AAA monthly while sig > 0.5",
    ));
    assert!(
        !assumptions(&report).iter().any(|a| a.contains("last observed")),
        "{:#?}",
        assumptions(&report)
    );
}

fn repl(dir: &Path, input: &str) -> common::Run {
    use std::io::Write;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_rotor"))
        .args(["repl", "s.rotor"])
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the REPL starts");
    child
        .stdin
        .take()
        .expect("piped")
        .write_all(input.as_bytes())
        .expect("input");
    let out = child.wait_with_output().expect("the REPL ends");
    common::Run {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        code: out.status.code().unwrap_or(-1),
    }
}

#[test]
fn the_repl_shows_the_observation_date_and_the_setting() {
    // On 2024-05-15 sig's value was observed on Feb 15: 29 + 31 + 30 = 90 days before.
    let path = strategy(RULES);
    let dir = path.parent().expect("a folder");
    let s = repl(
        dir,
        "sig @ 2024-05-15\nsig @ 2024-02-15\nstale after 30 days\nsig @ 2024-05-15\nsig @ 2024-03-01\n",
    );
    assert_eq!(s.code, 0, "{}", s.stderr);
    let lines: Vec<&str> = s
        .stdout
        .lines()
        .filter(|l| !l.starts_with("loaded") && !l.starts_with("added"))
        .collect();
    assert_eq!(
        lines,
        [
            "0.8 (observed 2024-02-15, 90 days before 2024-05-15: stale)",
            "0.8 (observed 2024-02-15)",
            "n/a (observed 2024-02-15, 90 days before 2024-05-15: stale after 30 days)",
            "0.8 (observed 2024-02-15, 15 days before 2024-03-01)",
        ],
        "{}",
        s.stdout
    );
}

/// FedWatch's series carry the date of the export row behind each value (tests/fixtures/
/// fedwatch/exports/: the September meeting's rows of 8/1, 8/4, 8/6, 9/17 and October's of
/// 8/1, 9/16, 9/18). The next-meeting probability has a point on the 2025-09-17 meeting
/// day, whose value is October's row of 9/16: the REPL shows that date, not the point's.
/// Distinct observation days 8/1, 8/4, 8/6, 9/16, 9/18: gaps 3, 2, 41, 2, median 2.5, so
/// a value is stale after max(⌈3 × 2.5⌉, 7) = 8 days.
#[test]
fn a_fedwatch_value_is_as_old_as_its_export_row() {
    let dir = common::temp_dir("stale-fedwatch");
    common::copy_fixtures("fedwatch", &dir);
    std::fs::write(
        dir.join("s.rotor"),
        "data \"fedwatch/prices/IWO.csv\"\ndata \"fedwatch/exports/\"\ncapital 1000 USD\nfill close\n\
         buy 100 USD of IWO monthly while fed_cut_prob > 0.8\n",
    )
    .expect("writable");
    let s = repl(
        &dir,
        "fed_cut_prob @ 2025-09-17\nfed_cut_prob @ 2025-08-07\nfed_cut_prob @ 2025-09-15\n",
    );
    assert_eq!(s.code, 0, "{}", s.stderr);
    let lines: Vec<&str> = s.stdout.lines().skip(1).collect();
    assert_eq!(
        lines,
        [
            "0.7 (observed 2025-09-16, 1 day before 2025-09-17)",
            "0.9 (observed 2025-08-06, 1 day before 2025-08-07)",
            "0.9 (observed 2025-08-06, 40 days before 2025-09-15: stale)",
        ],
        "{}",
        s.stdout
    );
    // The monthly checks (see tests/fedwatch.rs) read, on 2025-09-02, the row of 8/6 (27
    // days old) and on 2025-10-01 the row of 9/18 (13 days old): both stale.
    let report = json(&dir.join("s.rotor"));
    let note = "fed_cut_prob last observed 2025-09-18, used for 2 decisions until 2025-10-01: older \
                than 8 days (3 × its usual spacing of 2.5 days, and at least 7 days); `stale after N \
                days` makes such values not available";
    assert!(
        assumptions(&report).iter().any(|a| a == note),
        "{:#?}",
        assumptions(&report)
    );
}

/// `stale fed_cut_prob after 14 days` on FedWatch's derived series: the age is that of the
/// export row behind the value, not of the series' daily point. The monthly checks read,
/// on 2025-09-02, the Sept. meeting's row of 8/6 (0.9; 27 days old: not available, so no
/// buy) and on 2025-10-01 the Oct. meeting's row of 9/18 (0.85; 13 days old: a buy).
#[test]
fn stale_after_applies_to_fedwatch_rows_by_their_own_dates() {
    let dir = common::temp_dir("stale-fedwatch-after");
    common::copy_fixtures("fedwatch", &dir);
    let rules = "data \"fedwatch/prices/IWO.csv\"\ndata \"fedwatch/exports/\"\ncapital 1000 USD\nfill close\n\
                 buy 100 USD of IWO monthly while fed_cut_prob > 0.8\n";
    std::fs::write(
        dir.join("s.rotor"),
        format!("{rules}stale fed_cut_prob after 14 days\n"),
    )
    .expect("writable");
    let report = json(&dir.join("s.rotor"));
    let dates: Vec<&str> = report["trades"]
        .as_array()
        .expect("trades")
        .iter()
        .map(|t| t["date"].as_str().expect("a date"))
        .collect();
    assert_eq!(dates, ["2025-10-01"]);
    let note = "fed_cut_prob last observed 2025-08-06: not available for 1 decision until 2025-09-02 \
                (`stale after 14 days`)";
    assert!(
        assumptions(&report).iter().any(|a| a == note),
        "{:#?}",
        assumptions(&report)
    );
    // Without the line both buys happen (the rows are stale, and the report says so).
    std::fs::write(dir.join("s.rotor"), rules).expect("writable");
    let report = json(&dir.join("s.rotor"));
    assert_eq!(report["trades"].as_array().expect("trades").len(), 2);
}

/// A monthly statistic read by a rule, with its first-of-the-month dates (FRED's way), in
/// the folder of the stale fixture: `unrate` at 4.0 on 2024-01-01 … 06-01.
fn with_monthly_unrate(body: &str) -> PathBuf {
    let path = strategy(&format!("data \"unrate.csv\"\n{body}"));
    let months = (1..=6).map(|m| format!("2024-{m:02}-01,4.0\n")).collect::<String>();
    let file = path.with_file_name("unrate.csv");
    std::fs::write(file, format!("date,unrate\n{months}")).expect("writable");
    path
}

#[test]
fn a_quarterly_series_without_a_lag_is_told_a_longer_delay() {
    // Quarters dated on their first day (as FRED dates GDP), 91, 91 and 92 days apart: a
    // quarter's figure comes about a month after the quarter ends, so the 45 days that cover
    // a monthly release would still read it two months early; the note names 4 months.
    let path = strategy("data \"gdp.csv\"\ncapital 1000 USD\nfill close\nbuy 10 USD of AAA monthly while gdp > 1");
    let quarters = "2023-10-01,2.0\n2024-01-01,2.1\n2024-04-01,2.2\n2024-07-01,2.3\n";
    std::fs::write(path.with_file_name("gdp.csv"), format!("date,gdp\n{quarters}")).expect("writable");
    let notes = assumptions(&json(&path));
    assert!(
        notes
            .iter()
            .any(|a| a.starts_with("gdp has one value about every 91 days") && a.contains("add `lag gdp 4 months`")),
        "{notes:#?}"
    );
    // A year's figure dated 1 January comes after that year ends: 13 months.
    let path = strategy("data \"gdpa.csv\"\ncapital 1000 USD\nfill close\nbuy 10 USD of AAA monthly while gdpa > 1");
    let years = "2021-01-01,2.0\n2022-01-01,2.1\n2023-01-01,2.2\n2024-01-01,2.3\n";
    std::fs::write(path.with_file_name("gdpa.csv"), format!("date,gdpa\n{years}")).expect("writable");
    let notes = assumptions(&json(&path));
    assert!(
        notes.iter().any(|a| a.contains("add `lag gdpa 13 months`")),
        "{notes:#?}"
    );
}

#[test]
fn a_monthly_series_without_a_lag_is_said_to_be_read_from_its_own_date() {
    // unrate's gaps are 31, 29, 31, 30 and 31 days: a median of 31. The April figure, dated
    // 2024-04-01, decides the buy of 2024-04-01, weeks before such a figure is published;
    // the run cannot know the delay, so the report says so and names the line that fixes it.
    let rules = "capital 1000 USD\nfill close\nbuy 10 USD of AAA monthly while unrate < 5";
    let report = json(&with_monthly_unrate(rules));
    let note = "unrate has one value about every 31 days, each used from its own date; a monthly \
                or quarterly figure is usually published weeks after the date it is for (FRED \
                dates a month's figure on its first day; the US jobs report comes out in the \
                first days of the next month, CPI around its middle, GDP a month after its \
                quarter): if so, add `lag unrate 45 days` (or the delay it has), else the run \
                reads it before it was known";
    assert!(
        assumptions(&report).iter().any(|a| a == note),
        "{:#?}",
        assumptions(&report)
    );
    // With the line, the values are read when published; a daily series (sig) is read on
    // the day it is dated: nothing is said of either.
    for quiet in [
        with_monthly_unrate(&format!("lag unrate 1 month\n{rules}")),
        strategy(RULES),
    ] {
        let notes = assumptions(&json(&quiet));
        assert!(
            !notes.iter().any(|a| a.contains("used from its own date")),
            "{notes:#?}"
        );
    }
}

/// A strategy in the stale fixture's folder reading series `name` (written as `file` with
/// `header` and `rows`) in a monthly buy's guard: the notes of its run.
fn notes_reading(file: &str, header: &str, rows: &str, name: &str) -> Vec<String> {
    let path = strategy(&format!(
        "data \"{file}\"\ncapital 1000 USD\nfill close\nbuy 10 USD of AAA monthly while {name} > 0"
    ));
    std::fs::write(path.with_file_name(file), format!("{header}\n{rows}")).expect("writable");
    assumptions(&json(&path))
}

/// `rows` of `value` on each of `days` (dates).
fn rows(days: &[&str], value: &str) -> String {
    days.iter().map(|d| format!("{d},{value}\n")).collect()
}

#[test]
fn weekly_claims_are_told_the_thursday_they_are_published() {
    // FRED dates initial claims (ICSA) on the Saturday that ends the week (2024-01-06,
    // 01-13, …); the Department of Labor publishes them the next Thursday (2024-01-11,
    // 01-18, …): 5 days after the date.
    let saturdays = ["2024-01-06", "2024-01-13", "2024-01-20", "2024-01-27", "2024-02-03"];
    let notes = notes_reading("ICSA.csv", "observation_date,ICSA", &rows(&saturdays, "200000"), "ICSA");
    let note = "ICSA has one value about every 7 days, each used from its own date; initial claims for \
                the week ending on a Saturday are published by the Department of Labor the next Thursday \
                at 8:30 a.m. ET, 5 days later: add `lag ICSA 5 days`, else the run reads each value \
                before it was known";
    assert!(notes.iter().any(|a| a == note), "{notes:#?}");
    // Another weekly series: its own delay is not known, so a delay that covers the usual
    // weekly releases is named.
    let notes = notes_reading("w.csv", "date,w", &rows(&saturdays, "1"), "w");
    let note = "w has one value about every 7 days, each used from its own date; a weekly figure is \
                usually dated by the week it is for and published days later (FRED dates initial \
                claims, ICSA, on the Saturday that ends the week, published the next Thursday; \
                continued claims, CCSA, a week later still): if so, add `lag w 2 weeks` (or the delay \
                it has), else the run reads it before it was known";
    assert!(notes.iter().any(|a| a == note), "{notes:#?}");
}

#[test]
fn daily_rates_are_told_a_day_only_when_published_the_next_day() {
    // The effective fed funds rate of a day (DFF, dated on every calendar day) is published
    // by the New York Fed the next business day: a rule at that day's close could not know it.
    let days: Vec<String> = (1..=31).map(|d| format!("2024-01-{d:02}")).collect();
    let days: Vec<&str> = days.iter().map(String::as_str).collect();
    let notes = notes_reading("DFF.csv", "observation_date,DFF", &rows(&days, "5.33"), "DFF");
    let note = "DFF has one value a day, each used from its own date; the effective federal funds \
                rate of a business day is published by the Federal Reserve Bank of New York at about \
                9 a.m. ET the next business day: add `lag DFF 1 day`, else the run reads each value \
                before it was known";
    assert!(notes.iter().any(|a| a == note), "{notes:#?}");
    // A market rate of its own day (the 2-year yield, DGS2, from the day's closing quotes;
    // an exchange rate): nothing is said.
    let notes = notes_reading("DGS2.csv", "observation_date,DGS2", &rows(&days, "4.3"), "DGS2");
    assert!(
        !notes.iter().any(|a| a.contains("used from its own date")),
        "{notes:#?}"
    );
    // The monthly average of the daily rate (FEDFUNDS, dated on the month's first day) is
    // complete once its last day's rate is published, early in the next month: 1 month, not
    // the 45 days of a statistic.
    let firsts = ["2024-01-01", "2024-02-01", "2024-03-01", "2024-04-01"];
    let notes = notes_reading(
        "FEDFUNDS.csv",
        "observation_date,FEDFUNDS",
        &rows(&firsts, "5.33"),
        "FEDFUNDS",
    );
    let note = "FEDFUNDS has one value about every 31 days, each used from its own date; the monthly \
                average of the daily effective federal funds rate is complete once the month's last \
                rate is published, the next business day: add `lag FEDFUNDS 1 month`, else the run \
                reads each value before it was known";
    assert!(notes.iter().any(|a| a == note), "{notes:#?}");
}
