//! The report's figures on small hand-made files (tests/fixtures/report/), through the
//! real binary: bar frequency and annualisation, partial years, zeros, and ratios that
//! mean nothing (issue 12 items 6, 9, 10, 14). Every expected value is worked out by hand
//! in the comments.

mod common;

use std::path::{Path, PathBuf};

/// Writes `body` after a `data` line for the fixture `data` into a fresh folder; returns
/// the strategy's path.
fn strategy(data: &str, body: &str) -> PathBuf {
    let dir = common::temp_dir("report");
    let fixture = common::root().join("tests/fixtures/report").join(data);
    let path = dir.join("s.rotor");
    std::fs::write(&path, format!("data \"{}\"\n{body}\n", fixture.display())).expect("temp file writable");
    path
}

/// `rotor run FILE ARGS…`; stdout, which must come with success.
fn run(path: &Path, args: &[&str]) -> String {
    let mut all = vec!["run", path.to_str().expect("a UTF-8 path")];
    all.extend_from_slice(args);
    let out = common::rotor(path.parent().expect("a folder"), &all);
    assert_eq!(out.code, 0, "{}", out.stderr);
    out.stdout
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&run(path, &["--json"])).expect("valid JSON")
}

/// Every number in a JSON value, with where it is.
fn numbers(v: &serde_json::Value, at: String, out: &mut Vec<(String, f64)>) {
    match v {
        serde_json::Value::Number(n) => out.push((at, n.as_f64().expect("a number"))),
        serde_json::Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                numbers(item, format!("{at}[{i}]"), out);
            }
        }
        serde_json::Value::Object(map) => {
            for (k, item) in map {
                numbers(item, format!("{at}.{k}"), out);
            }
        }
        _ => {}
    }
}

// ---------------------------------------------------------------- item 10: negative zero

#[test]
fn figures_within_rounding_of_zero_are_zero_in_text_json_and_csv() {
    // flat.csv: AAA at 10 on six days. 100 USD arrives each day and nothing is ever bought
    // (AAA never closes above 100): invested is 0 on every day, every return is 0 and the
    // money-weighted return solves to 0. rotor wrote the invested 0 as "-0" (a sum over no
    // holdings is -0.0 in Rust).
    let path = strategy(
        "flat.csv",
        "capital 0 USD\ncontribute 100 USD daily\nfill close\nbuy AAA daily if close(AAA) > 100",
    );
    let equity = path.with_file_name("equity.csv");
    let text = run(&path, &["--equity", equity.to_str().expect("UTF-8")]);
    assert!(!text.contains("-0.00"), "{text}");
    let csv = std::fs::read_to_string(&equity).expect("the equity file");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "date,equity,cash_flow,invested");
    assert_eq!(lines[1], "2024-01-02,100,100,0");
    assert_eq!(lines[6], "2024-01-09,600,100,0");
    let mut found = Vec::new();
    numbers(&json(&path), String::new(), &mut found);
    let signed_zeros: Vec<_> = found
        .iter()
        .filter(|(_, x)| (*x == 0.0 && x.is_sign_negative()) || (*x != 0.0 && x.abs() < 1e-9))
        .collect();
    assert!(signed_zeros.is_empty(), "{signed_zeros:?}");
}
