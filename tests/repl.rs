//! `rotor repl` driven through a pipe: the real binary, inputs on standard input, results
//! on standard output, diagnostics on standard error, exit status 1 if any input failed.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

struct Session {
    stdout: String,
    stderr: String,
    code: i32,
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `rotor repl ARGS…` in `dir` with `input` piped in.
fn repl_in(dir: &Path, args: &[&str], input: impl AsRef<[u8]>) -> Session {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rotor"))
        .arg("repl")
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the rotor binary starts");
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(input.as_ref())
        .expect("the REPL reads its input");
    let out = child.wait_with_output().expect("the REPL finishes");
    Session {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        code: out.status.code().unwrap_or(-1),
    }
}

fn repl(input: &str) -> Session {
    repl_in(root(), &[], input)
}

/// A fresh empty folder for files a test writes.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("repl-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("the scratch folder can be made");
    dir
}

/// A column of the bundled macro CSV on a date, read straight from the file.
fn macro_value(column: &str, date: &str) -> String {
    let text = std::fs::read_to_string(root().join("examples/data/macro_daily.csv")).expect("bundled CSV");
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("a header").split(',').collect();
    let col = header.iter().position(|h| *h == column).expect("the column exists");
    let row = lines.find(|l| l.starts_with(date)).expect("the date is in the data");
    row.split(',').nth(col).expect("the cell exists").to_string()
}

#[test]
fn a_series_as_of_a_date_is_its_value_on_that_day() {
    let s = repl("fed_cut_prob @ 2024-09-16\n");
    assert_eq!(s.code, 0, "{}", s.stderr);
    let expected: f64 = macro_value("fed_cut_prob", "2024-09-16").parse().expect("a number");
    let shown: f64 = s
        .stdout
        .split_whitespace()
        .next()
        .expect("a value")
        .parse()
        .expect("a number");
    assert_eq!(shown, expected, "{}", s.stdout);
    // A series shows the date of its observation (here the day asked for).
    assert!(s.stdout.contains("(observed 2024-09-16)"), "{}", s.stdout);
    // The bundled data is announced as synthetic, on standard error.
    assert!(s.stderr.contains("SYNTHETIC"), "{}", s.stderr);
}

#[test]
fn a_date_before_the_data_is_not_available() {
    let s = repl("fed_cut_prob @ 1990-01-01\nsma(IWO, 50 days) @ 2005-01-04\n");
    assert_eq!(s.code, 0, "{}", s.stderr);
    let lines: Vec<&str> = s.stdout.lines().collect();
    assert!(lines[0].starts_with("n/a"), "{}", s.stdout);
    // Two days into the data a 50-day average does not exist yet.
    assert!(lines[1].starts_with("n/a"), "{}", s.stdout);
}

#[test]
fn a_range_prints_a_sampled_table_and_a_sparkline() {
    let s = repl("fed_cut_prob from 2024-01-01 to 2024-06-30\n");
    assert_eq!(s.code, 0, "{}", s.stderr);
    let rows: Vec<&str> = s.stdout.lines().filter(|l| l.starts_with("2024-")).collect();
    assert_eq!(rows.len(), 20, "{}", s.stdout);
    // The first row is the first trading day of the range, with its value from the file.
    let first: Vec<&str> = rows[0].split_whitespace().collect();
    let expected: f64 = macro_value("fed_cut_prob", first[0]).parse().expect("a number");
    assert_eq!(first[1].parse::<f64>().expect("a number"), expected);
    assert!(first[0] >= "2024-01-01" && rows[19].split_whitespace().next() <= Some("2024-06-30"));
    assert!(
        s.stdout.contains('▁') || s.stdout.contains('▄'),
        "a sparkline: {}",
        s.stdout
    );
}

#[test]
fn a_bare_condition_shows_true_or_false() {
    let s = repl("1 + 1\n2 > 1\n");
    assert_eq!(s.code, 0, "{}", s.stderr);
    let lines: Vec<&str> = s.stdout.lines().collect();
    assert!(lines[0].starts_with("2 "), "{}", s.stdout);
    assert!(lines[1].starts_with("true "), "{}", s.stdout);
}

#[test]
fn a_strategy_built_line_by_line_runs_like_the_same_file() {
    let dir = scratch("build");
    let input = "strategy \"Typed\"\n\
                 let threshold = 0.8\n\
                 buy 500 USD of IWO monthly while fed_cut_prob > threshold\n\
                 :rules\n\
                 :save typed.rotor\n\
                 :run\n";
    let s = repl_in(&dir, &[], input);
    assert_eq!(s.code, 0, "{}", s.stderr);
    assert!(
        s.stdout
            .contains("added 3: buy 500 USD of IWO monthly while fed_cut_prob > threshold")
    );
    assert!(s.stdout.contains("  2  let threshold = 0.8\n"), "{}", s.stdout);
    let saved = std::fs::read_to_string(dir.join("typed.rotor")).expect("the session was saved");
    assert_eq!(
        saved,
        "strategy \"Typed\"\nlet threshold = 0.8\nbuy 500 USD of IWO monthly while fed_cut_prob > threshold\n"
    );
    // `:run` prints what `rotor run` prints for the saved file, apart from the file name.
    let cli = Command::new(env!("CARGO_BIN_EXE_rotor"))
        .args(["run", "typed.rotor"])
        .current_dir(&dir)
        .output()
        .expect("rotor run");
    let cli = String::from_utf8_lossy(&cli.stdout).into_owned();
    let body = |text: &str| -> String { text.lines().skip_while(|l| !l.starts_with("Period")).collect() };
    let run_part = &s.stdout[s.stdout.find("Typed — ").expect("a summary title")..];
    assert_eq!(body(run_part), body(&cli));
}

#[test]
fn set_changes_a_parameter_and_runs_again() {
    let s = repl("let threshold = 0.8\nbuy IWO monthly while fed_cut_prob > threshold\n:set threshold 2\n:trades\n");
    assert_eq!(s.code, 0, "{}", s.stderr);
    assert!(s.stdout.contains("replaced 1: let threshold = 2"), "{}", s.stdout);
    // fed_cut_prob is a probability, never above 2: no trades.
    assert!(s.stdout.contains("the last run made no trades"), "{}", s.stdout);
}

#[test]
fn errors_are_diagnostics_and_the_session_goes_on() {
    let s = repl("buy IWX monthly\n:rule\n:rules\nfed_cut_prb @ last\n");
    assert_eq!(s.code, 1, "an input failed");
    // The unknown symbol was not added.
    assert!(s.stdout.contains("the session is empty"), "{}", s.stdout);
    assert!(
        s.stderr.contains("<repl:1>"),
        "the span is in the first input: {}",
        s.stderr
    );
    assert!(s.stderr.contains("rotor::repl::unknown_command"), "{}", s.stderr);
    assert!(s.stderr.contains("did you mean `:rules`?"), "{}", s.stderr);
    assert!(s.stderr.contains("did you mean `fed_cut_prob`?"), "{}", s.stderr);
    assert!(s.stderr.contains("<repl:4>:1:1"), "{}", s.stderr);
}

#[test]
fn save_never_overwrites_silently() {
    let dir = scratch("save");
    std::fs::write(dir.join("mine.rotor"), "buy SPY monthly\n").expect("write");
    let s = repl_in(&dir, &[], "buy IWO monthly\n:save mine.rotor\n");
    assert_eq!(s.code, 1);
    assert!(s.stderr.contains("`:save! mine.rotor`"), "{}", s.stderr);
    assert_eq!(
        std::fs::read_to_string(dir.join("mine.rotor")).expect("read"),
        "buy SPY monthly\n"
    );
    let s = repl_in(&dir, &[], "buy IWO monthly\n:save! mine.rotor\n");
    assert_eq!(s.code, 0, "{}", s.stderr);
    assert_eq!(
        std::fs::read_to_string(dir.join("mine.rotor")).expect("read"),
        "buy IWO monthly\n"
    );
    // The file that was loaded may be saved back.
    let s = repl_in(&dir, &["mine.rotor"], "sell all of IWO yearly\n:save mine.rotor\n");
    assert_eq!(s.code, 0, "{}", s.stderr);
    assert_eq!(
        std::fs::read_to_string(dir.join("mine.rotor")).expect("read"),
        "buy IWO monthly\nsell all IWO yearly\n", // `all of` is written `all` canonically
    );
}

#[test]
fn save_to_a_folder_says_it_is_a_folder_rather_than_offering_save_bang() {
    // `:save DIR` answered "already exists: write `:save! DIR` to replace it", and `:save!`
    // then failed: a folder is never replaced.
    let dir = scratch("save-folder");
    std::fs::create_dir_all(dir.join("sub")).expect("a folder");
    let s = repl_in(&dir, &[], "buy IWO monthly\n:save sub\n");
    assert_eq!(s.code, 1);
    assert!(s.stderr.contains("is a folder, not a regular file"), "{}", s.stderr);
    assert!(!s.stderr.contains(":save!"), "{}", s.stderr);
    assert!(dir.join("sub").is_dir(), "the folder is left alone");
}

#[test]
fn input_continues_over_lines_while_a_bracket_is_open() {
    let s = repl("max(1,\n  2) @ last\n:drop 1\n");
    assert_eq!(
        s.stdout.lines().next().map(|l| l.starts_with("2 ")),
        Some(true),
        "{}",
        s.stdout
    );
    assert!(s.stderr.contains("there is no statement 1"), "{}", s.stderr);
}

#[test]
fn a_bracket_left_open_ends_at_two_blank_lines_or_a_command() {
    // Without an end, one unclosed `(` would take every later line into the same input, and
    // nothing after it would run: two blank lines in a row end it, and so does a `:command`
    // (which then runs).
    let s = repl("sma(IWO, 50\n\n\n1 + 1\n(2 +\n:rules\n3 + 3\n");
    assert_eq!(s.code, 1, "the unclosed brackets failed");
    assert_eq!(s.stderr.matches("rotor::syntax::unclosed").count(), 2, "{}", s.stderr);
    assert!(s.stderr.contains("<repl:1>:1:4"), "the first `(`: {}", s.stderr);
    assert!(s.stdout.contains("2 (as of"), "1 + 1 ran: {}", s.stdout);
    assert!(s.stdout.contains("the session is empty"), ":rules ran: {}", s.stdout);
    assert!(s.stdout.contains("6 (as of"), "3 + 3 ran: {}", s.stdout);
}

/// A strategy pasted at the prompt reads as the same file read by `:load`: a blank line
/// inside parentheses does not end the input there.
#[test]
fn a_blank_line_inside_brackets_goes_on_as_in_a_file() {
    let rule = "buy IWO monthly while (close(IWO) > 1\n\n  and close(IWO) > 2)\n";
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(dir.path().join("s.rotor"), rule).expect("write the strategy");
    let loaded = repl_in(dir.path(), &[], ":load s.rotor\n:rules\n");
    assert_eq!(loaded.code, 0, "the file is valid: {}", loaded.stderr);
    assert!(
        loaded.stdout.starts_with("loaded s.rotor: 1 statement\n"),
        "{}",
        loaded.stdout
    );
    let pasted = repl_in(dir.path(), &[], format!("{rule}:rules\n"));
    assert_eq!(pasted.code, 0, "pasted, it is valid too: {}", pasted.stderr);
    // What `:rules` lists: the statement, joined on one line.
    let listed = |s: &Session| {
        s.stdout
            .lines()
            .filter(|l| l.contains("  buy IWO"))
            .map(str::trim)
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(
        listed(&pasted),
        "1  buy IWO monthly while (close(IWO) > 1 and close(IWO) > 2)",
        "{}",
        pasted.stdout
    );
    assert_eq!(listed(&pasted), listed(&loaded));
}

/// A data fixture's path, for a `data` line typed at the prompt.
fn data_fixture(path: &str) -> String {
    root().join("tests/fixtures/data").join(path).display().to_string()
}

#[test]
fn data_warnings_are_shown_once_when_the_data_is_loaded() {
    let iwo = data_fixture("misspelled/IWO.csv");
    let s = repl(&format!(
        "data \"{iwo}\"\nclose(IWO) @ 2024-01-03\nclose(IWO) @ 2024-01-02\n"
    ));
    assert_eq!(s.code, 0, "a warning fails nothing: {}", s.stderr);
    // The file's Close column, as written: 252.75 on the 3rd, 251.25 on the 2nd.
    let values: Vec<&str> = s.stdout.lines().skip(1).filter_map(|l| l.split(' ').next()).collect();
    assert_eq!(values, ["252.75", "251.25"], "{}", s.stdout);
    assert_eq!(
        s.stderr.matches("rotor::data::unknown_column").count(),
        1,
        "{}",
        s.stderr
    );
    assert!(s.stderr.contains("did you mean `Adj Close`?"), "{}", s.stderr);
    assert!(s.stderr.contains("IWO.csv:1:26"), "{}", s.stderr);
}

#[test]
fn a_data_line_that_now_says_how_to_read_dates_reloads_the_file() {
    // 01/02, 02/02, 05/02/2024: decided day-first (1, 2 and 5 February, Thursday to
    // Monday), while `dates month-first` reads 2 January, 2 February and 2 May.
    let ewg = data_fixture("day_first/EWG.csv");
    let s = repl(&format!(
        "data \"{ewg}\"\nclose(EWG) @ 2024-02-05\n:drop 1\n\
         data \"{ewg}\" dates month-first\nclose(EWG) @ 2024-02-05\n"
    ));
    assert_eq!(s.code, 0, "{}", s.stderr);
    let values: Vec<&str> = s
        .stdout
        .lines()
        .filter(|l| l.contains("(as of"))
        .filter_map(|l| l.split(' ').next())
        .collect();
    // Day-first: the close of 5 February. Month-first: 5 February falls between 2 February
    // (30.50) and 2 May.
    assert_eq!(values, ["30.8", "30.5"], "{}", s.stdout);
}

// ---------------------------------------------------------------- issue 12, item 12

/// The first number on the first line of `stdout` that starts with one.
fn first_value(stdout: &str) -> f64 {
    stdout
        .lines()
        .find_map(|l| l.split(' ').next()?.parse().ok())
        .unwrap_or_else(|| panic!("a value in {stdout}"))
}

#[test]
fn a_script_function_at_the_prompt_is_evaluated_not_a_panic() {
    // rotation_momentum.rotor uses momentum.rhai: momentum(x, n) = x / x[n] - 1. The
    // bundled IWO has an adjusted close, which is what rotor reads as its close.
    let text = std::fs::read_to_string(root().join("examples/data/etf_daily.csv")).expect("bundled CSV");
    let adjusted: Vec<(String, f64)> = text
        .lines()
        .skip(1)
        .filter_map(|l| {
            let c: Vec<&str> = l.split(',').collect();
            (c[1] == "IWO").then(|| (c[0].to_string(), c[6].parse().expect("an adjusted close")))
        })
        .collect();
    let at = adjusted
        .iter()
        .position(|(d, _)| d == "2024-01-05")
        .expect("a trading day");
    let expected = adjusted[at].1 / adjusted[at - 2].1 - 1.0;
    let s = repl_in(
        root(),
        &["strategies/rotation_momentum.rotor"],
        "momentum(IWO, 2) @ 2024-01-05\n",
    );
    assert_eq!(s.code, 0, "{}", s.stderr);
    assert!(s.stdout.contains("(as of 2024-01-05)"), "{}", s.stdout);
    let shown = first_value(s.stdout.lines().nth(1).unwrap_or_default());
    assert!((shown - expected).abs() < 5e-5, "{shown} vs {expected}: {}", s.stdout);
    // A script `use`d at the prompt works the same way.
    let s = repl("use \"strategies/indicators/momentum.rhai\"\nmomentum(IWO, 2) @ 2024-01-05\n");
    assert_eq!(s.code, 0, "{}", s.stderr);
    let shown = first_value(s.stdout.lines().nth(1).unwrap_or_default());
    assert!((shown - expected).abs() < 5e-5, "{shown} vs {expected}: {}", s.stdout);
}

/// A folder with AAA's closes on April and May 2020 weekdays and a monthly UNRATE series
/// (dated the first of each month, as FRED writes it).
fn lagged_data(name: &str) -> PathBuf {
    let dir = scratch(name);
    let data = dir.join("data");
    std::fs::create_dir_all(&data).expect("a folder");
    let mut prices = String::from("date,close\n");
    let mut day = chrono::NaiveDate::from_ymd_opt(2020, 3, 30).expect("a date");
    while day <= chrono::NaiveDate::from_ymd_opt(2020, 5, 29).expect("a date") {
        if chrono::Datelike::weekday(&day).number_from_monday() <= 5 {
            prices.push_str(&format!("{day},10\n"));
        }
        day = day.succ_opt().expect("a next day");
    }
    std::fs::write(data.join("AAA.csv"), prices).expect("writable");
    std::fs::write(
        data.join("UNRATE.csv"),
        "observation_date,UNRATE\n2020-02-01,3.5\n2020-03-01,4.4\n2020-04-01,14.8\n2020-05-01,13.2\n",
    )
    .expect("writable");
    dir
}

#[test]
fn a_lag_typed_at_the_prompt_applies_to_later_expressions() {
    let dir = lagged_data("lag");
    // Without a lag April's figure (dated 04-01) is read on 04-30; with `lag UNRATE 1 month`
    // it is published on 05-01, so 04-30 still reads March's 4.4, as a run does.
    let s = repl_in(
        &dir,
        &["--data", "data"],
        "UNRATE @ 2020-04-30\nlag UNRATE 1 month\nUNRATE @ 2020-04-30\nUNRATE @ 2020-05-01\n",
    );
    assert_eq!(s.code, 0, "{}", s.stderr);
    let values: Vec<&str> = s
        .stdout
        .lines()
        .filter(|l| !l.starts_with("added"))
        .filter_map(|l| l.split(' ').next())
        .collect();
    assert_eq!(values, ["14.8", "4.4", "14.8"], "{}", s.stdout);
}

#[test]
fn save_after_data_on_the_command_line_writes_its_data_line() {
    let dir = lagged_data("save-data");
    let s = repl_in(
        &dir,
        &["--data", "data"],
        "capital 1000 USD\nfill close\nbuy AAA once on 2020-04-01\n:save s.rotor\n",
    );
    assert_eq!(s.code, 0, "{}", s.stderr);
    let saved = std::fs::read_to_string(dir.join("s.rotor")).expect("saved");
    assert_eq!(
        saved,
        "data \"data\"\ncapital 1000 USD\nfill close\nbuy AAA once on 2020-04-01\n"
    );
    // The saved file runs on the same data: AAA at 10, 100 shares, not the synthetic sample.
    let out = Command::new(env!("CARGO_BIN_EXE_rotor"))
        .args(["run", "s.rotor", "--json"])
        .current_dir(&dir)
        .output()
        .expect("rotor run");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(report["data"]["synthetic"], false);
    assert_eq!(report["trades"][0]["shares"], 100.0);
    // Saved into another folder, the path is written from there.
    let s = repl_in(
        &dir,
        &["--data", "data"],
        "buy AAA monthly\n:save data/inner.rotor\n:rules\n",
    );
    assert_eq!(s.code, 0, "{}", s.stderr);
    let saved = std::fs::read_to_string(dir.join("data/inner.rotor")).expect("saved");
    assert_eq!(saved, "data \".\"\nbuy AAA monthly\n");
    assert!(s.stdout.contains("  1  data \"data\"\n"), "{}", s.stdout);
}

#[test]
fn data_added_at_the_prompt_is_a_data_line_of_the_session() {
    let dir = lagged_data("data-command");
    let s = repl_in(&dir, &[], ":data data\n:rules\nbuy AAA monthly\n:save s.rotor\n");
    assert_eq!(s.code, 0, "{}", s.stderr);
    assert!(s.stdout.contains("added 1: data \"data\""), "{}", s.stdout);
    assert_eq!(
        std::fs::read_to_string(dir.join("s.rotor")).expect("saved"),
        "data \"data\"\nbuy AAA monthly\n"
    );
}

#[test]
fn a_script_that_fails_at_the_prompt_is_a_diagnostic_not_a_value() {
    // divide.rhai divides by zero on the third bar: as in a run, that is an error with the
    // bar's date, not "n/a".
    let s = repl("use \"tests/fixtures/scripts/divide.rhai\"\nrisky(IWO)\n");
    assert_eq!(s.code, 1, "{}", s.stdout);
    assert!(s.stderr.contains("rotor::script::runtime"), "{}", s.stderr);
    assert!(s.stderr.contains("`risky` failed on 2005-01-05"), "{}", s.stderr);
    assert!(!s.stdout.contains("n/a"), "{}", s.stdout);
}

#[test]
fn an_exit_set_before_its_rule_runs_and_the_trades_name_it() {
    // A session may set the stop before the rule that buys IWM; `:trades` names the exit.
    let s = repl(
        "capital 10000 USD\ntrailing stop 15% on IWM\nbuy IWM once on 2005-01-03\n\
         buy IWM daily if position(IWM) == 0 and days_since_exit(IWM) >= 20\n:run\n:trades\n",
    );
    assert_eq!(s.code, 0, "{}", s.stderr);
    assert!(s.stdout.contains("added 2: trailing stop 15% on IWM"), "{}", s.stdout);
    assert!(s.stdout.contains("sales by a trailing stop"), "{}", s.stdout);
    let sale = s
        .stdout
        .lines()
        .find(|l| l.ends_with("trailing stop") && l.contains(" sell "));
    assert!(
        sale.is_some_and(|l| l.contains(" 0  ")),
        "an exit is a trade of no rule: {}",
        s.stdout
    );
}

#[test]
fn portfolio_values_are_not_available_at_the_prompt() {
    // Outside a run nothing is held and there is no cash: each is `n/a`, a condition on
    // one too; `cash` alone is the value, `cash interest` the setting.
    let s = repl("position(IWO)\nposition(IWO) > 0\ncash\ncash + 1\nweight(IWO)\ncash interest 4%\n");
    assert_eq!(s.code, 0, "{}", s.stderr);
    let lines: Vec<&str> = s.stdout.lines().collect();
    assert_eq!(lines.len(), 6, "{}", s.stdout);
    for line in &lines[..5] {
        assert!(line.starts_with("n/a (as of "), "{}", s.stdout);
    }
    assert_eq!(lines[5], "added 1: cash interest 4%");
}

#[test]
fn a_refused_run_leaves_no_period_behind() {
    // `:run --to` with no rules is refused; the run `:set` starts covers the whole sample.
    let s = repl(":run --to 2004-01-01\nlet x = 0.8\nbuy IWO monthly while fed_cut_prob > x\n:set x 0.7\n");
    assert!(s.stderr.contains("the session has no rules to run"), "{}", s.stderr);
    assert!(!s.stderr.contains("no_trading_days"), "{}", s.stderr);
    assert!(s.stdout.contains("replaced 1: let x = 0.7"), "{}", s.stdout);
    assert!(s.stdout.contains("Period: 2005-01-03 to 2025-12-31"), "{}", s.stdout);
    // A run that went ahead keeps its period for the next `:set`.
    let s = repl("let x = 0.8\nbuy IWO monthly while fed_cut_prob > x\n:run --to 2010-12-31\n:set x 0.7\n");
    assert_eq!(s.code, 0, "{}", s.stderr);
    assert_eq!(
        s.stdout.matches("Period: 2005-01-03 to 2010-12-31").count(),
        2,
        "{}",
        s.stdout
    );
}

#[test]
fn a_line_that_is_not_utf8_is_called_an_input_not_a_file() {
    let s = repl_in(root(), &[], b"\xff\xfe bad\n1 + 1\n");
    assert!(s.stderr.contains("this input is not UTF-8 text"), "{}", s.stderr);
    assert!(!s.stderr.contains("file"), "{}", s.stderr);
    assert!(s.stdout.starts_with("2 "), "{}", s.stdout);
}

/// On minute bars the REPL speaks of bars and shows their times, and `@` takes a time.
#[test]
fn minute_data_is_shown_as_bars_with_their_times() {
    // 25 bars two minutes apart from 10:00 on 5 March 2024, closing at 10, 11, … 34.
    let mut csv = String::from("date,open,high,low,close,volume\n");
    for i in 0..25 {
        let (hour, minute) = (10 + i * 2 / 60, i * 2 % 60);
        let close = 10 + i;
        csv.push_str(&format!(
            "2024-03-05 {hour:02}:{minute:02},{close},{close},{close},{close},100\n"
        ));
    }
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(dir.path().join("MIN.csv"), csv).expect("write the data");
    let input = ":data MIN.csv\n\
                 close(MIN) @ 2024-03-05 10:05\n\
                 close(MIN) @ 2024-03-05 10:04\n\
                 close(MIN) @ 2024-03-06\n\
                 close(MIN)\n\
                 close(MIN) from 2024-03-05 to 2024-03-05\n";
    let s = repl_in(dir.path(), &[], input);
    assert_eq!(s.code, 0, "{}", s.stderr);
    let lines: Vec<&str> = s.stdout.lines().collect();
    let at = |text: &str| {
        lines
            .iter()
            .position(|l| l.contains(text))
            .unwrap_or_else(|| panic!("`{text}` in {}", s.stdout))
    };
    // 10:04 is the third bar (close 12); 10:48 the last (close 34).
    at("12 (as of 2024-03-05 10:04, the last bar before 2024-03-05 10:05)");
    at("12 (as of 2024-03-05 10:04)");
    at("34 (as of 2024-03-05 10:48, the last bar before 2024-03-06)");
    let header = at("20 of 25 bars, evenly spaced");
    assert!(lines[header + 1].starts_with("2024-03-05 10:00 "), "{}", s.stdout);
    assert!(lines[header + 20].starts_with("2024-03-05 10:48 "), "{}", s.stdout);
    assert!(!s.stdout.contains("trading day"), "{}", s.stdout);
}

/// A statement that starts with a keyword and then a bracket (`buy (base) USD …`, a computed
/// amount) is a statement at the prompt, as in a file, not an expression.
#[test]
fn a_computed_amount_reads_at_the_prompt_as_in_a_file() {
    let rules = "let base = 500\n\
                 buy (base) USD of IWM monthly\n\
                 buy (2 * base) USD of IWM monthly if close(IWM) < 100\n";
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(dir.path().join("s.rotor"), rules).expect("write the strategy");
    let loaded = repl_in(dir.path(), &[], ":load s.rotor\n:rules\n");
    assert_eq!(loaded.code, 0, "the file is valid: {}", loaded.stderr);
    let pasted = repl_in(dir.path(), &[], format!("{rules}:rules\n"));
    assert_eq!(pasted.code, 0, "typed, it is valid too: {}", pasted.stderr);
    assert!(
        pasted.stdout.contains("added 2: buy (base) USD of IWM monthly\n"),
        "{}",
        pasted.stdout
    );
    assert!(
        pasted.stdout.contains("added 3: buy (2 * base) USD of IWM monthly if"),
        "{}",
        pasted.stdout
    );
    let listed = |s: &Session| s.stdout.lines().filter(|l| l.contains("  buy (")).count();
    assert_eq!(
        (listed(&loaded), listed(&pasted)),
        (2, 2),
        "{}\n{}",
        loaded.stdout,
        pasted.stdout
    );
    // A keyword's mistake after a bracket is reported as the statement's, not an expression's.
    let wrong = repl("buy (500) USD of IWM montly\n");
    assert_eq!(wrong.code, 1);
    assert!(
        !wrong.stderr.contains("expected the end of the line"),
        "{}",
        wrong.stderr
    );
    assert!(wrong.stderr.contains("montly"), "{}", wrong.stderr);
}

/// A blank line after a trailing comma goes on, as in a file (the grammar reads on after a
/// comma over any number of line ends); two blank lines in a row end the input.
#[test]
fn a_blank_line_after_a_trailing_comma_goes_on_as_in_a_file() {
    let rule = "rebalance quarterly to IWO 50%,\n\n IWN 50%\n";
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(dir.path().join("s.rotor"), rule).expect("write the strategy");
    let loaded = repl_in(dir.path(), &[], ":load s.rotor\n:rules\n");
    assert_eq!(loaded.code, 0, "the file is valid: {}", loaded.stderr);
    let pasted = repl_in(dir.path(), &[], format!("{rule}:rules\n"));
    assert_eq!(pasted.code, 0, "pasted, it is valid too: {}", pasted.stderr);
    assert!(
        pasted.stdout.contains("1  rebalance quarterly to IWO 50%, IWN 50%\n"),
        "{}",
        pasted.stdout
    );
    let ended = repl("rebalance quarterly to IWO 50%,\n\n\n1 + 1\n");
    assert_eq!(ended.code, 1, "the rule was left unfinished: {}", ended.stderr);
    assert!(ended.stdout.starts_with("2 (as of"), "1 + 1 ran: {}", ended.stdout);
}

/// A setting typed twice at the prompt says how to replace the one the session has.
#[test]
fn a_setting_typed_twice_says_how_to_replace_it() {
    let s = repl("fees 0.1%\nfees 0.2%\n");
    assert_eq!(s.code, 1);
    assert!(s.stderr.contains("`fees` is given twice"), "{}", s.stderr);
    assert!(s.stderr.contains(":drop 1"), "{}", s.stderr);
    assert!(!s.stderr.contains("keep one `fees` line"), "{}", s.stderr);
}

/// A time asked of daily data is said to give the day's closing value, not one known then.
#[test]
fn a_time_on_daily_data_says_the_value_is_the_close() {
    // The bundled data: IWO's adjusted close (what `close` reads) was 204.6897 on 2 January
    // 2024 (examples/data/etf_daily.csv).
    let s = repl("close(IWO) @ 2024-01-02 10:00\nclose(IWO) @ 2024-01-02\n");
    assert_eq!(s.code, 0, "{}", s.stderr);
    let lines: Vec<&str> = s.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", s.stdout);
    assert!(lines[0].starts_with("204.6897 (as of 2024-01-02"), "{}", s.stdout);
    assert!(lines[0].contains("daily data"), "{}", s.stdout);
    assert!(lines[0].contains("not known at 10:00"), "{}", s.stdout);
    assert_eq!(lines[1], "204.6897 (as of 2024-01-02)", "no time asked, nothing to say");
}

/// `:data` of a file without series does not print an empty `series:` line.
#[test]
fn data_without_series_prints_no_series_line() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let csv = "date,open,high,low,close,volume\n2024-03-05 10:00,1,1,1,1,100\n2024-03-05 10:01,2,2,2,2,100\n";
    std::fs::write(dir.path().join("MIN.csv"), csv).expect("write the data");
    let s = repl_in(dir.path(), &[], ":data MIN.csv\n");
    assert_eq!(s.code, 0, "{}", s.stderr);
    assert!(s.stdout.contains("symbols: MIN\n"), "{}", s.stdout);
    assert!(!s.stdout.contains("series:"), "{}", s.stdout);
}

#[test]
fn a_series_without_prices_says_why_it_has_no_value() {
    // Values are read on the prices' trading days: with only a series loaded there are
    // none, and the REPL says so rather than "no data yet" for a day the file covers.
    let dir = scratch("series-only");
    std::fs::write(dir.join("u.csv"), "date,value\n2024-01-01,3.7\n2024-02-01,3.9\n").expect("writable");
    let s = repl_in(&dir, &[], "data \"u.csv\" as series unrate\nunrate @ 2024-02-15\n");
    assert!(
        s.stdout.contains(
            "n/a (no prices loaded: values are read on the prices' trading days; add a price file with `data`)"
        ),
        "{}\n{}",
        s.stdout,
        s.stderr
    );
    assert!(!s.stdout.contains("no data yet"), "{}", s.stdout);
    // A range says the same, not "no trading days in that period".
    let s = repl_in(
        &dir,
        &[],
        "data \"u.csv\" as series unrate\nunrate from 2024-01-01 to 2024-02-15\n",
    );
    assert!(s.stdout.contains("no prices loaded"), "{}\n{}", s.stdout, s.stderr);
    assert!(!s.stdout.contains("no trading days"), "{}", s.stdout);
}

#[test]
fn a_let_shows_as_what_it_was_written_as() {
    // `let e = 1 > 2` is folded to the number 0 before the run; at the prompt it is still
    // the condition it was written as, and a duration keeps its unit (3 months = 3 × 21
    // trading days).
    let s = repl("let e = 1 > 2\ne\nlet f = (e)\nf\nlet m = 3 months\nm\n");
    let answers: Vec<&str> = s.stdout.lines().filter(|l| !l.starts_with("added")).collect();
    assert_eq!(answers.len(), 3, "{}", s.stdout);
    assert!(
        answers[0].starts_with("false ") && answers[1].starts_with("false "),
        "{}",
        s.stdout
    );
    assert_eq!(answers[2], "63 trading days (`3 months`)");
    // Money and percents keep their unit too.
    let s = repl("let k = 500 USD\nk\nlet p = 5%\np\n");
    let answers: Vec<&str> = s.stdout.lines().filter(|l| !l.starts_with("added")).collect();
    assert_eq!(answers, ["500 USD", "5%"], "{}", s.stdout);
}

/// The program a session holds, as `:rules` lists it: the lines numbered `  N  …`, before
/// the summary of any run.
fn listing(stdout: &str) -> String {
    let (before_run, _) = split_run(stdout);
    before_run
        .lines()
        .filter(|l| {
            let t = l.trim_start();
            let digits = t.len() - t.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            digits > 0 && t[digits..].starts_with("  ")
        })
        .map(|l| format!("{l}\n"))
        .collect()
}

/// A session's output split before the summary of its `:run` (whose first line, the
/// strategy's name, ends ` — <repl>`), and that summary without its first line.
fn split_run(stdout: &str) -> (&str, &str) {
    match stdout.find(" — <repl>\n") {
        Some(at) => {
            let line_start = stdout[..at].rfind('\n').map_or(0, |i| i + 1);
            (&stdout[..line_start], &stdout[at + " — <repl>\n".len()..])
        }
        None => (stdout, ""),
    }
}

/// A report with each line of its "Warnings:" list cut before the warning's place
/// (`  - rotor::run::isa_limit (tax_isa.rotor:13:1): …` → `  - rotor::run::isa_limit …`).
fn without_places(report: &str) -> String {
    let (before, warnings) = report.split_once("\nWarnings:\n").unwrap_or((report, ""));
    let cut = warnings.lines().map(|l| match (l.find(" ("), l.find("): ")) {
        (Some(open), Some(close)) if open < close => format!("{}{}", &l[..open], &l[close + 1..]),
        _ => l.to_string(),
    });
    format!("{before}\nWarnings:\n{}", cut.collect::<Vec<_>>().join("\n"))
}

/// Pastes `file` (in `dir`) at the prompt as piped input and compares what the session ends
/// up with against the same file read as a file: the statements `:rules` lists after
/// `rotor repl FILE` loads it (which checks it as `rotor check` does), and, when the file
/// runs, the figures of `:run` against `rotor run FILE`.
fn assert_pasted_reads_as_the_file(dir: &Path, file: &str) {
    let text = std::fs::read_to_string(dir.join(file)).expect("readable strategy");
    let loaded = repl_in(dir, &[file], ":rules\n");
    assert_eq!(loaded.code, 0, "{file} loads and checks: {}", loaded.stderr);
    let run = Command::new(env!("CARGO_BIN_EXE_rotor"))
        .args(["run", file])
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("rotor run starts");
    let runs = run.status.success();
    let mut input = text.clone();
    if !input.ends_with('\n') {
        input.push('\n');
    }
    input.push_str(":rules\n");
    if runs {
        input.push_str(":run\n");
    }
    let pasted = repl_in(dir, &[], input);
    assert_eq!(pasted.code, 0, "{file} pasted at the prompt: {}", pasted.stderr);
    let listed = listing(&pasted.stdout);
    assert!(!listed.is_empty(), "{file}: {}", pasted.stdout);
    assert_eq!(listed, listing(&loaded.stdout), "{file}: pasted and loaded differ");
    if runs {
        let run = String::from_utf8_lossy(&run.stdout);
        let after_name = run.split_once('\n').map_or("", |(_, rest)| rest);
        // A warning's place differs by nature: `tax_isa.rotor:13:1` in the file, the
        // input that holds the line at the prompt (`<repl:12>:1:1`).
        assert_eq!(
            without_places(split_run(&pasted.stdout).1),
            without_places(after_name),
            "{file}: `:run` and `rotor run` differ"
        );
    }
}

/// Every strategy of strategies/, strategies/cookbook/ and examples/, every `rotor` block of
/// the docs (docs/COOKBOOK.md's examples are the cookbook's files), and hand-written files
/// with every way the grammar lets a statement go on over lines (tests/fixtures/continuation:
/// `,` and `and` at the end of a line or the start of the next, after blank lines too; `\`;
/// parentheses; sleeves; CRLF): pasted at the prompt, each is the program its file is.
#[test]
fn every_strategy_pasted_at_the_prompt_is_the_program_of_its_file() {
    let rotor_files = |dir: &Path| {
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .expect("a folder of strategies")
            .map(|e| e.expect("an entry").file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".rotor"))
            .collect();
        files.sort();
        files
    };
    let mut checked = 0;
    for folder in [
        "strategies",
        "strategies/cookbook",
        "examples",
        "tests/fixtures/continuation",
    ] {
        let dir = root().join(folder);
        for file in rotor_files(&dir) {
            assert_pasted_reads_as_the_file(&dir, &file);
            checked += 1;
        }
    }
    // The docs' blocks are written as if they were in strategies/: a scratch folder holds
    // them with the scripts they use.
    let dir = scratch("doc-blocks");
    let scripts = root().join("strategies/indicators");
    std::fs::create_dir_all(dir.join("indicators")).expect("a scripts folder");
    for entry in std::fs::read_dir(&scripts).expect("strategies/indicators") {
        let path = entry.expect("an entry").path();
        std::fs::copy(&path, dir.join("indicators").join(path.file_name().expect("a name"))).expect("copied");
    }
    let mut blocks = 0;
    for doc in [
        "LANGUAGE.md",
        "COOKBOOK.md",
        "GUIDE.md",
        "SCRIPTING.md",
        "SCALING.md",
        "FEDWATCH.md",
    ] {
        let text = std::fs::read_to_string(root().join("docs").join(doc)).expect("the doc");
        let mut block: Option<String> = None;
        for line in text.lines() {
            match (&mut block, line.trim()) {
                (None, "```rotor") => block = Some(String::new()),
                (Some(b), "```") => {
                    blocks += 1;
                    let name = format!("block_{blocks}.rotor");
                    std::fs::write(dir.join(&name), &b).expect("the block is written");
                    assert_pasted_reads_as_the_file(&dir, &name);
                    block = None;
                }
                (Some(b), _) => {
                    b.push_str(line);
                    b.push('\n');
                }
                (None, _) => {}
            }
        }
    }
    assert!(checked >= 30, "the strategies and the hand-written files: {checked}");
    assert!(blocks >= 10, "the docs' blocks: {blocks}");
}

/// A time of day after a `from`/`to` date (minute data) is refused by a file and at the
/// prompt alike, with a diagnostic that says a period is whole days, at the time written.
#[test]
fn a_time_in_a_period_is_refused_as_a_file_refuses_it_saying_why() {
    let dir = scratch("period-time");
    let line = "from 2024-03-04 09:30 to 2024-03-05 16:00";
    std::fs::write(dir.join("s.rotor"), format!("{line}\nbuy IWM monthly\n")).expect("written");
    let checked = Command::new(env!("CARGO_BIN_EXE_rotor"))
        .args(["check", "--no-data", "s.rotor"])
        .current_dir(&dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("rotor check starts");
    let typed = repl_in(&dir, &[], format!("{line}\n"));
    for (what, code, stderr) in [
        (
            "rotor check",
            checked.status.code(),
            String::from_utf8_lossy(&checked.stderr).into_owned(),
        ),
        ("the prompt", Some(typed.code), typed.stderr.clone()),
    ] {
        assert_eq!(code, Some(1), "{what}: {stderr}");
        assert!(stderr.contains("rotor::syntax::time_of_day"), "{what}: {stderr}");
        assert!(stderr.contains("`09:30`"), "{what}: {stderr}");
        assert!(stderr.contains("a date here is a whole day"), "{what}: {stderr}");
        // The label is under the time: columns 17 to 21 of the line.
        assert!(stderr.contains(":1:17]"), "{what}: {stderr}");
    }
}

/// `:run --from DATE TIME`: the time is said to be one (a period is whole days), not an
/// unknown option of `:run`.
#[test]
fn a_time_after_a_run_date_says_a_period_is_whole_days() {
    let s = repl("buy IWO monthly\n:run --from 2024-01-02 09:30\n");
    assert_eq!(s.code, 1, "{}", s.stderr);
    assert!(
        s.stderr
            .contains("`09:30` is a time of day, but `--from` takes a whole day"),
        "{}",
        s.stderr
    );
    assert!(!s.stderr.contains("is not an option of `:run`"), "{}", s.stderr);
}

#[test]
fn a_date_typed_as_a_value_is_refused_not_subtracted() {
    // `let d = 2025-01-01` answered `let d = 2025 - 01 - 01` = 2023, `2025-13-45` 1967.
    let s = repl("let d = 2025-01-01\n2025-13-45\n");
    assert_eq!(s.code, 1, "{}", s.stderr);
    assert_eq!(
        s.stderr.matches("a date is not a value here").count(),
        2,
        "{}",
        s.stderr
    );
    assert!(!s.stdout.contains("Added"), "{}", s.stdout);
    assert!(!s.stdout.contains("2023") && !s.stdout.contains("1967"), "{}", s.stdout);
    // With spaces it is a subtraction: 2025 - 1 - 1 = 2023.
    let s = repl("2025 - 1 - 1\n");
    assert_eq!(s.code, 0, "{}", s.stderr);
    assert!(s.stdout.starts_with("2023 "), "{}", s.stdout);
}

/// Runs `rotor repl` with `input` piped in, killed after `limit`: `None` if it had not ended.
fn repl_within(input: Vec<u8>, limit: std::time::Duration) -> Option<Session> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rotor"))
        .arg("repl")
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the rotor binary starts");
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let deadline = std::time::Instant::now() + limit;
    while child.try_wait().expect("the REPL can be waited for").is_none() {
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let _ = writer.join();
    let out = child.wait_with_output().expect("the REPL finishes");
    Some(Session {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        code: out.status.code().unwrap_or(-1),
    })
}

/// Piped lines that each carry a list on (`fees 1%,` fifty thousand times) were scanned
/// again whole at every line, quadratic in the input: it ran for many minutes. The
/// statement is too long, and said so; the session goes on to the next command.
#[test]
fn a_statement_continued_over_thousands_of_piped_lines_is_too_long_not_a_hang() {
    let mut input = "fees 1%,\n".repeat(50_000).into_bytes();
    input.extend_from_slice(b" 2%\n\n\n1 + 1\n");
    // Generous for a debug build on a busy machine; the quadratic scan took far longer.
    let session = repl_within(input, std::time::Duration::from_secs(120)).expect("the REPL ends");
    assert_eq!(session.code, 1, "{}", session.stderr);
    assert!(session.stderr.contains("rotor::syntax::too_long"), "{}", session.stderr);
    assert!(session.stdout.contains("2 (as of"), "1 + 1 ran: {}", session.stdout);
}
