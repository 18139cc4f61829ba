//! Issue 11.1: a diagnostic whose column is past 65,535 made miette's renderer panic (exit
//! 101), in a strategy, in a CSV file and in the REPL (ending the session). Long lines are
//! now cut around the label when shown.

use super::*;

fn spaces(n: usize) -> String {
    " ".repeat(n)
}

#[test]
fn a_strategy_line_of_70000_characters_is_a_diagnostic() {
    // Statements are limited to 16 KiB now (see input_limits.rs), so the error is at that
    // limit; before, it was at column 70,041 and the renderer panicked.
    let text = format!("buy IWO monthly while fed_cut_prob > 0.5{}xyz\n", spaces(70_000));
    let dir = folder("long-strategy", &[("long.rotor", text.as_bytes())]);
    for command in ["check", "run", "fmt"] {
        let out = rotor(&dir, &[command, "long.rotor"]);
        assert_diagnostic(&out, "rotor::syntax::too_long");
        assert!(out.stderr.contains("long.rotor:1:16385"), "{}", cut(&out.stderr));
        assert!(out.stderr.contains('…'), "the line is shown cut: {}", cut(&out.stderr));
        assert!(out.stderr.len() < 3_000, "{} bytes of diagnostic", out.stderr.len());
    }
}

#[test]
fn a_data_error_past_column_65535_is_a_diagnostic() {
    // The bad cell comes after a note of 70,000 spaces on the same line.
    let csv = format!("date,note,symbol,close\n2024-01-02,{},IWO,abc\n", spaces(70_000));
    let dir = folder(
        "long-csv",
        &[
            ("s.rotor", b"data \"IWO.csv\"\nbuy IWO monthly\n"),
            ("IWO.csv", csv.as_bytes()),
        ],
    );
    let out = rotor(&dir, &["run", "s.rotor"]);
    assert_diagnostic(&out, "rotor::data::not_a_number");
    assert!(out.stderr.contains("IWO.csv:2:70017"), "{}", cut(&out.stderr));
    assert!(out.stderr.len() < 3_000, "{} bytes of diagnostic", out.stderr.len());
}

#[test]
fn a_long_repl_line_is_a_diagnostic_and_the_session_goes_on() {
    let input = format!("1 +{})\n:help\n", spaces(70_000));
    let out = rotor_with_input(super::common::root(), &["repl"], input.as_bytes());
    assert_diagnostic(&out, "rotor::syntax");
    assert!(
        out.stdout.contains(":run"),
        "the next input was answered: {}",
        cut(&out.stdout)
    );
}
