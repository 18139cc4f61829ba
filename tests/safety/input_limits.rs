//! Issue 11.6 and the expression half of 11.5: `sma(IWO, 9999999 years)` passed `check` and
//! then allocated ~20 GB; a 10 MB expression line allocated 5 GB before failing. Windows
//! longer than any data are refused when checked, windows longer than the data at hand
//! allocate nothing and are noted, and input sizes are bounded before they are read or
//! parsed. Deep nesting in one expression ends in a located diagnostic in every command.

use std::time::{Duration, Instant};

use super::*;

#[test]
fn windows_longer_than_any_data_are_refused_by_check() {
    for condition in [
        "sma(IWO, 9999999 years) > 0",
        "IWO[4000000000] > 0",
        "ema(IWO, 20000000) > 0",
        "highest(IWO, 101 years) > 0",
    ] {
        let text = format!("buy IWO monthly while {condition}\n");
        let dir = folder("window", &[("s.rotor", text.as_bytes())]);
        let out = rotor(&dir, &["check", "--no-data", "s.rotor"]);
        assert_diagnostic(&out, "rotor::check::window_too_long");
        assert!(out.stderr.contains("s.rotor:1:"), "located: {}", cut(&out.stderr));
    }
}

#[test]
fn a_window_longer_than_the_data_is_never_available_and_noted() {
    // The bundled data holds about 21 years of daily bars.
    let dir = folder(
        "window-note",
        &[("s.rotor", b"buy IWO monthly while sma(IWO, 60 years) > 0\n")],
    );
    let out = rotor(&dir, &["run", "s.rotor"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("`60 years` needs 15,120 bars but the data has"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("never available"), "{}", out.stdout);
}

#[test]
fn a_strategy_file_over_a_megabyte_is_refused_unread() {
    let text = "# a comment line of forty bytes or so...\n".repeat(60_000);
    let dir = folder("big-strategy", &[("s.rotor", text.as_bytes())]);
    for command in ["check", "fmt", "run"] {
        let out = rotor(&dir, &[command, "s.rotor"]);
        assert_diagnostic(&out, "rotor::access::too_large");
    }
}

#[test]
fn a_long_statement_is_refused_before_it_is_parsed() {
    let args = vec!["1"; 100_000].join(", ");
    let text = format!("let x = max({args})\nbuy IWO monthly\n");
    let dir = folder("long-statement", &[("s.rotor", text.as_bytes())]);
    let start = Instant::now();
    let out = rotor(&dir, &["check", "s.rotor"]);
    assert_diagnostic(&out, "rotor::syntax::too_long");
    assert!(out.stderr.contains("s.rotor:1:16385"), "{}", cut(&out.stderr));
    assert!(start.elapsed() < Duration::from_secs(20), "took {:?}", start.elapsed());
}

#[test]
fn a_piped_repl_line_over_a_megabyte_is_skipped_and_the_session_goes_on() {
    let mut input = vec![b'x'; 3 << 20];
    input.extend_from_slice(b"\n:help\n");
    let out = rotor_with_input(super::common::root(), &["repl"], &input);
    assert_eq!(out.code, 1, "{}", cut(&out.stderr));
    assert!(out.stderr.contains("longer than 1.0 MiB"), "{}", cut(&out.stderr));
    assert!(
        out.stdout.contains(":run"),
        "the next input was answered: {}",
        cut(&out.stdout)
    );
}

#[test]
fn deep_nesting_in_one_expression_is_a_located_diagnostic_in_every_command() {
    for (label, condition, code) in [
        (
            "parens",
            format!("{}fed_cut_prob{}", "(\n".repeat(10_000), ")".repeat(10_000)),
            "rotor::syntax::too_deep",
        ),
        (
            "minus",
            format!("{}fed_cut_prob", "- ".repeat(3_000)),
            "rotor::syntax::too_complex",
        ),
        (
            "not",
            format!("{}fed_cut_prob", "not ".repeat(3_000)),
            "rotor::syntax::too_complex",
        ),
        (
            "lags",
            format!("fed_cut_prob{}", "[1]".repeat(3_000)),
            "rotor::syntax::too_complex",
        ),
        (
            "terms",
            vec!["fed_cut_prob"; 1_000].join(" + "),
            "rotor::syntax::too_complex",
        ),
        (
            "long-minus",
            format!("{}fed_cut_prob", "- ".repeat(10_000)),
            "rotor::syntax::too_long",
        ),
    ] {
        let text = format!("buy IWO monthly while {condition} > 0\n");
        let dir = folder(&format!("nesting-{label}"), &[("s.rotor", text.as_bytes())]);
        for command in ["check", "fmt", "run"] {
            let out = rotor(&dir, &[command, "s.rotor"]);
            assert_diagnostic(&out, code);
            assert!(
                out.stderr.contains("s.rotor:"),
                "{label} {command}: located: {}",
                cut(&out.stderr)
            );
        }
    }
}

#[test]
fn a_strategy_cannot_read_its_scripts_over_and_over() {
    // Under the 1 MiB of one script, but `use`d five times.
    let script = format!("fn f(s) {{ 1.0 }}\n// {}\n", "x".repeat(1_000_000));
    let text = format!("{}buy IWO monthly while f(IWO) > 0\n", "use \"f.rhai\"\n".repeat(5));
    let dir = folder(
        "scripts-total",
        &[("s.rotor", text.as_bytes()), ("f.rhai", script.as_bytes())],
    );
    let out = rotor(&dir, &["check", "s.rotor"]);
    assert_diagnostic(&out, "rotor::access::too_large");
    assert!(
        out.stderr.contains("the scripts this strategy uses hold"),
        "{}",
        cut(&out.stderr)
    );
}

/// A price file of `symbols` symbols with one row each (a long file: date, symbol, prices).
fn one_row_symbols(symbols: usize) -> Vec<u8> {
    let mut text = String::from("date,symbol,open,high,low,close\n");
    for i in 0..symbols {
        text.push_str(&format!("2020-01-02,S{i},1,1,1,1\n"));
    }
    text.into_bytes()
}

/// A 600 KB file of 20,000 one-row symbols took 4.2 GB and 14 s to check: each symbol's
/// first row was given room for every row left in the file, and each name was compared
/// with every one before it. Checking and running such files now take memory and time in
/// proportion to the file: 20,000 symbols, and 50,000 (1.2 MB, read in two halves at once),
/// within bounds that leave room for a debug build on a busy machine.
#[cfg(target_os = "linux")]
#[test]
fn many_symbols_of_one_row_take_memory_in_proportion_to_the_file() {
    for symbols in [20_000, 50_000] {
        let data = one_row_symbols(symbols);
        let dir = folder(
            "many-symbols",
            &[("p.csv", &data), ("s.rotor", b"data \"p.csv\"\nbuy S1 daily\n")],
        );
        for command in ["check", "run"] {
            let out = rotor_bounded(&dir, &[command, "s.rotor"], Duration::from_secs(60))
                .unwrap_or_else(|| panic!("`rotor {command}` of {symbols} symbols still running after 60 s"));
            assert_eq!(out.run.code, 0, "{}", cut(&out.run.stderr));
            assert!(
                out.peak_kib < 400 * 1024,
                "`rotor {command}` held {} MiB for a {} KB file",
                out.peak_kib / 1024,
                data.len() / 1000
            );
        }
    }
}
