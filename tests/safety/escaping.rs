//! Issue 11.10: a strategy name such as `"\e]0;title\a\e[2J"` or a symbol in backticks put
//! raw control sequences on the terminal, in the report and in diagnostics. Every text
//! output now shows them escaped.

use super::*;

const TITLE: &str = "\u{1b}]0;title\u{7}\u{1b}[2J";

#[track_caller]
fn assert_no_control(text: &str) {
    let raw: Vec<char> = text.chars().filter(|&c| c.is_control() && c != '\n').collect();
    assert!(raw.is_empty(), "raw {raw:?} in:\n{}", cut(text));
}

#[test]
fn a_strategy_name_is_escaped_in_the_report() {
    let text = format!("strategy \"{TITLE}\"\ndescription \"x\u{1b}[31m\"\nbuy IWO monthly\n");
    let dir = folder("escape-report", &[("s.rotor", text.as_bytes())]);
    let out = rotor(&dir, &["run", "s.rotor"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_no_control(&out.stdout);
    assert!(
        out.stdout.contains("\\u{1b}]0;title\\u{7}\\u{1b}[2J"),
        "{}",
        cut(&out.stdout)
    );
}

#[test]
fn a_symbol_in_backticks_is_escaped_in_diagnostics() {
    let text = format!("strategy \"{TITLE}\"\nbuy `I\u{1b}[31mWO` monthly\n");
    let dir = folder("escape-diagnostic", &[("s.rotor", text.as_bytes())]);
    let out = rotor(&dir, &["check", "s.rotor"]);
    assert_diagnostic(&out, "rotor::check::unknown_name");
    assert_no_control(&out.stderr);
    assert!(out.stderr.contains("`I\\u{1b}[31mWO`"), "{}", cut(&out.stderr));
}

#[test]
fn a_symbol_from_the_data_is_escaped_in_tables() {
    let csv = "date,symbol,close\n2024-01-02,I\u{1b}[2JWO,10\n2024-01-03,I\u{1b}[2JWO,11\n";
    let text = "data \"prices.csv\"\nbenchmark `I\u{1b}[2JWO`\nbuy `I\u{1b}[2JWO` monthly\n";
    let dir = folder(
        "escape-table",
        &[("s.rotor", text.as_bytes()), ("prices.csv", csv.as_bytes())],
    );
    let out = rotor(&dir, &["run", "s.rotor"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_no_control(&out.stdout);
    assert!(
        out.stdout.contains("I\\u{1b}[2JWO (buy & hold)"),
        "{}",
        cut(&out.stdout)
    );
}

#[test]
fn the_repl_escapes_what_it_echoes() {
    let input = format!("strategy \"{TITLE}\"\n:rules\n");
    let out = rotor_with_input(super::common::root(), &["repl"], input.as_bytes());
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_no_control(&out.stdout);
    assert!(out.stdout.contains("\\u{1b}]0;title"), "{}", cut(&out.stdout));
}

#[test]
fn a_data_cell_is_escaped_in_diagnostics() {
    let csv = format!("date,close\n2024-01-02,{TITLE}\n");
    let dir = folder(
        "escape-cell",
        &[
            ("s.rotor", b"data \"IWO.csv\"\nbuy IWO monthly\n"),
            ("IWO.csv", csv.as_bytes()),
        ],
    );
    let out = rotor(&dir, &["run", "s.rotor"]);
    assert_diagnostic(&out, "rotor::data::not_a_number");
    assert_no_control(&out.stderr);
}
