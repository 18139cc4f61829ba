//! The command line as a user meets it: the README's commands, exit codes, JSON output.

mod common;

use common::{root, rotor};

#[test]
fn the_readme_main_job_runs_on_the_bundled_data() {
    let out = rotor(root(), &["run", "strategies/rate_cut_dca.rotor"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("Rate-cut DCA"), "{}", out.stdout);
    assert!(
        out.stdout.contains("SYNTHETIC"),
        "the report says the data is synthetic"
    );
    assert!(out.stdout.contains("Money-weighted return (XIRR)"));
    assert!(out.stdout.contains("SPY (buy & hold)"));
    assert!(out.stdout.contains("Assumed:"));
}

#[test]
fn json_output_is_deterministic_and_parses() {
    let a = rotor(root(), &["run", "strategies/rotation_momentum.rotor", "--json"]);
    let b = rotor(root(), &["run", "strategies/rotation_momentum.rotor", "--json"]);
    assert_eq!(a.code, 0, "{}", a.stderr);
    assert_eq!(a.stdout, b.stdout, "byte-identical JSON");
    let v: serde_json::Value = serde_json::from_str(&a.stdout).expect("valid JSON");
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["data"]["synthetic"], true);
    assert!(v["metrics"]["xirr"].is_number());
    assert!(v["trades"].as_array().is_some_and(|t| !t.is_empty()));
}

#[test]
fn check_exits_0_on_valid_files_and_1_with_diagnostics() {
    let ok = rotor(root(), &["check", "strategies/fee_drag.rotor"]);
    assert_eq!(ok.code, 0, "{}", ok.stderr);
    let bad = rotor(root(), &["check", "tests/fixtures/diagnostics/unknown_series.rotor"]);
    assert_eq!(bad.code, 1);
    assert!(bad.stderr.contains("unknown series `fed_cut_prb`"), "{}", bad.stderr);
    assert!(bad.stderr.contains("did you mean `fed_cut_prob`?"), "{}", bad.stderr);
    assert!(bad.stderr.contains("unknown_series.rotor:1:23"), "{}", bad.stderr);
}

#[test]
fn check_json_gives_locations_for_editors() {
    let out = rotor(
        root(),
        &[
            "check",
            "--format",
            "json",
            "tests/fixtures/diagnostics/misspelled_schedule.rotor",
        ],
    );
    assert_eq!(out.code, 1);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).expect("valid JSON");
    assert_eq!(v[0]["code"], "rotor::syntax::unexpected");
    assert_eq!(v[0]["line"], 1);
    assert_eq!(v[0]["column"], 9);
    assert_eq!(v[0]["help"], "did you mean `monthly`?");
}

#[test]
fn run_reports_a_broken_strategy_without_running() {
    let out = rotor(root(), &["run", "tests/fixtures/diagnostics/weights_sum_90.rotor"]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("rotor::check::weights_sum"), "{}", out.stderr);
    assert!(out.stdout.is_empty());
}

#[test]
fn a_missing_file_is_a_clear_error() {
    let out = rotor(root(), &["run", "no/such/file.rotor"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("cannot read `no/such/file.rotor`"),
        "{}",
        out.stderr
    );
}

#[test]
fn set_overrides_a_parameter_and_rejects_unknown_ones() {
    let base = rotor(root(), &["run", "strategies/rate_cut_dca.rotor", "--json"]);
    let low = rotor(
        root(),
        &[
            "run",
            "strategies/rate_cut_dca.rotor",
            "--json",
            "--set",
            "threshold=0.3",
        ],
    );
    assert_eq!(low.code, 0, "{}", low.stderr);
    let orders = |s: &str| serde_json::from_str::<serde_json::Value>(s).expect("json")["activity"]["orders"].clone();
    assert_ne!(
        orders(&base.stdout),
        orders(&low.stdout),
        "a lower threshold buys in more months"
    );
    let bad = rotor(
        root(),
        &["run", "strategies/rate_cut_dca.rotor", "--set", "treshold=0.3"],
    );
    assert_eq!(bad.code, 1);
    assert!(bad.stderr.contains("did you mean `threshold`?"), "{}", bad.stderr);
}

#[test]
fn a_parameter_set_twice_is_an_error_not_the_last_value() {
    // `--set threshold=0.5 --set threshold=0.9` ran with 0.9 without a word.
    let out = rotor(
        root(),
        &[
            "run",
            "strategies/rate_cut_dca.rotor",
            "--set",
            "threshold=0.5",
            "--set",
            "threshold=0.9",
        ],
    );
    assert_eq!(out.code, 1, "{}", out.stdout);
    assert!(out.stdout.is_empty(), "no run: {}", out.stdout);
    let text = out.stderr.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        text.contains("`--set threshold` is given twice: `0.5`, then `0.9`"),
        "{}",
        out.stderr
    );
    assert!(text.contains("rotor sweep --vary threshold=0.5,0.9"), "{}", out.stderr);
}

#[test]
fn a_set_value_of_several_lines_is_refused_not_partly_dropped() {
    // The second line was parsed, then dropped: the run went on with 0.8 and no SPY.
    for value in ["threshold=0.8\ncapital 99999 USD", "threshold=0.8\nbuy SPY daily"] {
        let out = rotor(root(), &["run", "strategies/rate_cut_dca.rotor", "--set", value]);
        assert_eq!(out.code, 1, "{}", out.stdout);
        assert!(out.stdout.is_empty(), "no run: {}", out.stdout);
        let text = out.stderr.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            text.contains("`--set threshold` holds more than one line"),
            "{}",
            out.stderr
        );
        assert!(text.contains("give one value per `--set`"), "{}", out.stderr);
    }
    // A comment on a line of its own adds no statement.
    let out = rotor(
        root(),
        &[
            "run",
            "strategies/rate_cut_dca.rotor",
            "--set",
            "threshold=0.8\n# tried on Monday",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
}

#[test]
fn from_and_to_limit_the_period() {
    let out = rotor(
        root(),
        &[
            "run",
            "strategies/rate_cut_dca.rotor",
            "--json",
            "--from",
            "2019-01-01",
            "--to",
            "2020-12-31",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    assert_eq!(v["metrics"]["start"], "2019-01-02");
    assert_eq!(v["metrics"]["end"], "2020-12-31");
}

#[test]
fn trades_and_equity_csv_files() {
    let dir = common::temp_dir("cli");
    let trades = dir.join("t.csv");
    let equity = dir.join("e.csv");
    let out = rotor(
        root(),
        &[
            "run",
            "strategies/rate_cut_dca.rotor",
            "--trades",
            trades.to_str().expect("utf-8 path"),
            "--equity",
            equity.to_str().expect("utf-8 path"),
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let t = std::fs::read_to_string(&trades).expect("trades written");
    assert!(t.starts_with("date,symbol,side,shares,price,value,fee,rule,exit\n"));
    assert!(t.lines().count() > 1);
    let e = std::fs::read_to_string(&equity).expect("equity written");
    assert!(e.starts_with("date,equity,cash_flow,invested\n"));
    assert_eq!(
        e.lines().count(),
        1 + 5288,
        "one row per trading day of the sample data"
    );
}

#[test]
fn fmt_prints_checks_and_writes() {
    let dir = common::temp_dir("fmt");
    let path = dir.join("messy.rotor");
    std::fs::write(&path, "buy   IWO monthly   while fed_cut_prob>0.8 # note\n\n\n").expect("writable");
    let p = path.to_str().expect("utf-8");
    let printed = rotor(root(), &["fmt", p]);
    assert_eq!(printed.code, 0, "{}", printed.stderr);
    assert_eq!(printed.stdout, "buy IWO monthly while fed_cut_prob > 0.8  # note\n");
    assert_eq!(rotor(root(), &["fmt", "--check", p]).code, 1);
    assert_eq!(rotor(root(), &["fmt", "--write", p]).code, 0);
    assert_eq!(std::fs::read_to_string(&path).expect("readable"), printed.stdout);
    assert_eq!(rotor(root(), &["fmt", "--check", p]).code, 0);
}

#[test]
fn fmt_never_rewrites_a_file_with_errors() {
    let dir = common::temp_dir("fmt-bad");
    let path = dir.join("bad.rotor");
    let text = "buy IWO monthy\n";
    std::fs::write(&path, text).expect("writable");
    let out = rotor(root(), &["fmt", "--write", path.to_str().expect("utf-8")]);
    assert_eq!(out.code, 1);
    assert_eq!(std::fs::read_to_string(&path).expect("readable"), text);
}

/// A full disk under standard output is a diagnostic and exit 1, never a panic (101).
#[cfg(target_os = "linux")]
#[test]
fn a_failed_write_to_standard_output_is_a_diagnostic_not_a_panic() {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full opens");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rotor"))
        .args(["run", "strategies/rate_cut_dca.rotor", "--json"])
        .current_dir(root())
        .env("NO_COLOR", "1")
        .stdout(full)
        .output()
        .expect("the rotor binary runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("rotor::io::write"), "{stderr}");
    assert!(stderr.contains("standard output"), "{stderr}");
}

/// A full disk under standard error made rotor panic (exit 101, "failed printing to
/// stderr"); it now exits with 1, the code of the error it could not print.
#[cfg(target_os = "linux")]
#[test]
fn a_failed_write_to_standard_error_exits_with_1_not_a_panic() {
    let dir = common::temp_dir("stderr-full");
    std::fs::write(dir.join("bad.rotor"), "buy IWO monthy\n").expect("writable");
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full opens");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_rotor"))
        .args(["check", "bad.rotor"])
        .current_dir(&dir)
        .stdout(std::process::Stdio::null())
        .stderr(full)
        .status()
        .expect("the rotor binary runs");
    assert_eq!(status.code(), Some(1), "{status:?}");
}

/// With standard output closed (`rotor run s.rotor >&-`) the output was lost and rotor
/// exited 0: Rust's runtime puts /dev/null in place of a closed standard stream. Writing
/// the output is now an error, on standard error.
#[cfg(target_os = "linux")]
#[test]
fn output_to_a_closed_standard_output_is_an_error() {
    use std::os::unix::process::CommandExt;
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_rotor"));
    command
        .args(["run", "strategies/rate_cut_dca.rotor"])
        .current_dir(root())
        .env("NO_COLOR", "1")
        .stderr(std::process::Stdio::piped());
    // SAFETY: `close` is async-signal-safe, as code between fork and exec must be.
    unsafe {
        command.pre_exec(|| {
            libc::close(1);
            Ok(())
        });
    }
    let out = command.output().expect("the rotor binary runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("rotor::io::write") && stderr.contains("standard output"),
        "{stderr}"
    );
}

#[test]
fn check_and_repl_read_data_from_the_command_line_as_run_does() {
    // `AAA` is only in the file given with --data: run knows it, and so must check.
    let dir = common::temp_dir("check-data");
    std::fs::write(dir.join("AAA.csv"), "date,close\n2024-01-02,10\n2024-01-03,11\n").expect("writable");
    std::fs::write(dir.join("s.rotor"), "buy AAA once on 2024-01-02\n").expect("writable");
    let run = common::rotor(&dir, &["run", "s.rotor", "--data", "AAA.csv"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let check = common::rotor(&dir, &["check", "s.rotor", "--data", "AAA.csv"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(check.stdout.contains("s.rotor: ok"), "{}", check.stdout);
    // Without it, AAA is unknown (the bundled sample has no AAA).
    let bare = common::rotor(&dir, &["check", "s.rotor"]);
    assert_eq!(bare.code, 1, "{}", bare.stderr);
    assert!(bare.stderr.contains("unknown symbol `AAA`"), "{}", bare.stderr);
    // --no-data reads nothing, so --data beside it is a contradiction.
    let both = common::rotor(&dir, &["check", "s.rotor", "--no-data", "--data", "AAA.csv"]);
    assert_eq!(both.code, 2, "{}", both.stderr);
    // One help text for --data, the same for every command that takes it.
    let help = |cmd: &str| {
        let out = common::rotor(&dir, &[cmd, "--help"]);
        let at = out
            .stdout
            .find("--data <PATH>")
            .unwrap_or_else(|| panic!("{cmd}: {}", out.stdout));
        // Up to the next flag, which is `--lenient` everywhere.
        let text = &out.stdout[at..];
        let text = &text[..text.find("--lenient").unwrap_or(text.len())];
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    };
    for cmd in ["check", "repl", "compare", "sweep"] {
        assert_eq!(help(cmd), help("run"), "{cmd}");
    }
    // The REPL loads it: AAA's close on its second day.
    let repl = std::process::Command::new(env!("CARGO_BIN_EXE_rotor"))
        .args(["repl", "--data", "AAA.csv"])
        .current_dir(&dir)
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the rotor binary runs");
    use std::io::Write;
    let mut repl = repl;
    repl.stdin
        .take()
        .expect("stdin")
        .write_all(b"close(AAA) @ 2024-01-03\n")
        .expect("written");
    let out = repl.wait_with_output().expect("ends");
    assert!(String::from_utf8_lossy(&out.stdout).contains("11"), "{:?}", out);
}

/// The tests' temporary folders are removed when their test (its thread) ends, not left in
/// the system's temporary folder.
#[test]
fn a_test_s_temporary_folder_is_removed_when_the_test_ends() {
    let path = std::thread::spawn(|| {
        let dir = common::temp_dir("removed");
        std::fs::write(dir.join("s.rotor"), "buy IWM monthly\n").expect("writable");
        assert!(dir.join("s.rotor").exists());
        dir
    })
    .join()
    .expect("the thread ends");
    assert!(!path.exists(), "{} is left", path.display());
}
