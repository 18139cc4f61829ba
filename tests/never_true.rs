//! Conditions that can never hold (issue 12, item 8): a comparison of a series with a
//! constant outside the values the series takes over the run is a warning at the
//! comparison, from `rotor run` and `rotor check`, with the likely meant value.
//!
//! tests/fixtures/never_true/: AAA trades on 2024-01-02 … 03-01; `sig` (a fraction) reads
//! 0.2 from 01-02, 0.5 from 01-04, 0.9 from 02-01 (0.95 on 2023-12-29, before the run);
//! `rate` (percent) 4.75, 5.25, 5.5 on the same days (4.5 before). Over the run `sig`
//! ranges from 0.2 to 0.9 and `rate` from 4.75 to 5.5.

mod common;

use std::path::{Path, PathBuf};

fn strategy(body: &str) -> PathBuf {
    let dir = common::temp_dir("never-true");
    common::copy_fixtures("never_true", &dir);
    let path = dir.join("s.rotor");
    std::fs::write(&path, format!("data \"never_true\"\n{body}\n")).expect("writable");
    path
}

fn run(path: &Path) -> common::Run {
    let out = common::rotor(path.parent().expect("a folder"), &["run", "s.rotor"]);
    assert_eq!(out.code, 0, "a warning fails nothing: {}", out.stderr);
    out
}

#[test]
fn a_percent_written_as_a_number_is_found_and_the_fraction_suggested() {
    let path = strategy("buy AAA monthly while sig > 80");
    let out = run(&path);
    assert!(out.stderr.contains("rotor::run::never_true"), "{}", out.stderr);
    assert!(
        out.stderr
            .contains("`sig > 80` never holds over the run: sig ranges from 0.2 to 0.9"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("did you mean `0.8` (80%)?"), "{}", out.stderr);
    // The label is at the comparison, on the strategy's second line.
    assert!(out.stderr.contains("s.rotor:2:23"), "{}", out.stderr);
    // `rotor check` says the same, and still passes.
    let check = common::rotor(path.parent().expect("a folder"), &["check", "s.rotor"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(check.stderr.contains("did you mean `0.8` (80%)?"), "{}", check.stderr);
    let json = common::rotor(
        path.parent().expect("a folder"),
        &["check", "s.rotor", "--format", "json"],
    );
    let list: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    let warning = &list[0];
    assert_eq!(warning["severity"], "warning");
    assert_eq!(warning["code"], "rotor::run::never_true");
    assert_eq!(
        (warning["line"].as_u64(), warning["column"].as_u64()),
        (Some(2), Some(23))
    );
}

#[test]
fn a_fraction_against_a_series_in_percent_points_suggests_the_number() {
    // `5%` is 0.05; `rate` is never below 4.75, so `rate < 5%` never holds and `unless`
    // always passes: 5 is what was meant.
    let out = run(&strategy("buy AAA monthly unless rate < 5%"));
    assert!(
        out.stderr
            .contains("`rate < 5%` never holds over the run: rate ranges from 4.75 to 5.5"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("did you mean `5`?"), "{}", out.stderr);
}

#[test]
fn a_constant_through_a_parameter_or_on_the_left_is_found_too() {
    // 0.95 is above every value of the run (the 0.95 of 2023-12-29 is before it); neither
    // 95 nor 0.0095 is in range, so there is no suggestion, only the range.
    let out = run(&strategy("let t = 0.95\nbuy AAA monthly while t < sig"));
    assert!(
        out.stderr
            .contains("`sig > 0.95` never holds over the run: sig ranges from 0.2 to 0.9"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("did you mean"), "{}", out.stderr);
    // A condition that always holds is as constant: `sig < 80` is true on every bar.
    let out = run(&strategy("buy AAA monthly while sig < 80"));
    assert!(
        out.stderr
            .contains("`sig < 80` always holds over the run: sig ranges from 0.2 to 0.9"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_constant_inside_the_range_is_no_warning() {
    for body in [
        "buy AAA monthly while sig > 0.8",
        "buy AAA monthly while sig >= 0.2",
        "buy AAA monthly when sig crosses above 0.5",
        "buy AAA monthly while rate < 5",
    ] {
        let out = run(&strategy(body));
        assert!(!out.stderr.contains("never_true"), "{body}: {}", out.stderr);
    }
}

#[test]
fn the_repl_run_shows_the_warning_too() {
    let path = strategy("buy AAA monthly while sig > 80");
    let dir = path.parent().expect("a folder");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_rotor"))
        .args(["repl", "s.rotor"])
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the REPL starts");
    use std::io::Write;
    child.stdin.take().expect("piped").write_all(b":run\n").expect("input");
    let out = child.wait_with_output().expect("the REPL ends");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("did you mean `0.8` (80%)?"), "{stderr}");
}

#[test]
fn every_comparison_is_judged_not_only_the_first() {
    // `sig > 0.5` holds on some days; `rate > 9` never does (rate ranges 4.75 to 5.5).
    // Spans once compared equal whatever their place, and only the file's first comparison
    // was noted: the second went unwarned.
    let path = strategy("buy AAA monthly while sig > 0.5\nsell AAA monthly if rate > 9");
    let out = run(&path);
    assert!(
        out.stderr
            .contains("`rate > 9` never holds over the run: rate ranges from 4.75 to 5.5"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("s.rotor:3:"), "{}", out.stderr);
    assert!(!out.stderr.contains("`sig > 0.5`"), "{}", out.stderr);
}

#[test]
fn a_once_date_outside_the_run_is_said_not_silently_skipped() {
    // AAA's bars run from 2024-01-02 to 2024-03-01: neither date is among them.
    let path = strategy("buy AAA once on 2023-06-01\nsell AAA once on 2024-05-02\nbuy AAA once on 2024-01-06");
    let out = run(&path);
    assert!(out.stderr.contains("rotor::run::once_outside"), "{}", out.stderr);
    assert!(
        out.stderr
            .contains("`once on 2023-06-01` never fires: the run's bars are from 2024-01-02 to 2024-03-01"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("`once on 2024-05-02` never fires"),
        "{}",
        out.stderr
    );
    // A Saturday inside the run rolls forward to the Monday: no warning.
    assert!(!out.stderr.contains("`once on 2024-01-06`"), "{}", out.stderr);
    assert!(out.stderr.contains("s.rotor:2:1"), "{}", out.stderr);
}

#[test]
fn the_warnings_are_in_the_json_the_html_page_and_the_text_report_too() {
    // A report shared as a file, or a CI job reading `--json`, must not lose the one sign
    // that the strategy does nothing: the warning standard error shows is in every output.
    let path = strategy("buy AAA monthly while sig > 80");
    let dir = path.parent().expect("a folder");
    let json = common::rotor(dir, &["run", "s.rotor", "--json"]);
    assert_eq!(json.code, 0, "{}", json.stderr);
    let report: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    let warnings = report["warnings"].as_array().expect("a warnings array");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    let w = &warnings[0];
    assert_eq!(w["severity"], "warning");
    assert_eq!(w["code"], "rotor::run::never_true");
    assert_eq!(
        w["message"],
        "`sig > 80` never holds over the run: sig ranges from 0.2 to 0.9"
    );
    assert_eq!((w["line"].as_u64(), w["column"].as_u64()), (Some(2), Some(23)));
    assert!(w["file"].as_str().is_some_and(|f| f.ends_with("s.rotor")), "{w}");

    let text = common::rotor(dir, &["run", "s.rotor", "--report", "r.html"]);
    assert_eq!(text.code, 0, "{}", text.stderr);
    assert!(
        text.stdout
            .contains("Warnings:\n  - rotor::run::never_true (s.rotor:2:23): `sig > 80` never holds over the run"),
        "{}",
        text.stdout
    );
    let page = std::fs::read_to_string(dir.join("r.html")).expect("the page was written");
    assert!(page.contains("id=\"warnings\""), "no warnings section");
    assert!(page.contains("rotor::run::never_true"), "the code is not on the page");
    assert!(
        page.contains("never holds over the run"),
        "the message is not on the page"
    );
}

#[test]
fn a_run_without_warnings_has_an_empty_warnings_array_and_no_warnings_section() {
    let path = strategy("buy AAA monthly while sig > 0.5");
    let dir = path.parent().expect("a folder");
    let json = common::rotor(dir, &["run", "s.rotor", "--json"]);
    let report: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    assert_eq!(report["warnings"], serde_json::json!([]));
    let text = common::rotor(dir, &["run", "s.rotor"]);
    assert!(!text.stdout.contains("Warnings:"), "{}", text.stdout);
}
