//! A `let` is one value: computed once however often it is read, so what a strategy costs is
//! linear in its text, and no chain of `let`s, however long, recurses (issue 11, items 4
//! and 5).

mod common;

use std::path::Path;

use rotor::check::{BinaryOp, Term};
use rotor::data::{LoadOptions, load_path};
use rotor::engine::{Frame, compile::Scope, plan::Plan};
use rotor::pipeline::{self, Load, RunOptions};
use rotor::source::SourceMap;

fn prices() -> std::path::PathBuf {
    common::root().join("tests/fixtures/engine/prices.csv")
}

/// `rotor run FILE`, allowed to read the fixture, which lies outside the strategy's
/// temporary folder.
fn run(path: &Path) -> common::Run {
    let fixtures = common::root().join("tests/fixtures/engine").display().to_string();
    let path = path.display().to_string();
    common::rotor(Path::new("."), &["run", "--allow-path", &fixtures, &path])
}

/// `let v0 = close(AAA)`, then `n` lines `let vI = vI-1 + vI-1`: `vn` is 2ⁿ times the close.
fn doubling(n: usize) -> String {
    let mut text = String::from("let v0 = close(AAA)\n");
    for i in 1..=n {
        text.push_str(&format!("let v{i} = v{} + v{}\n", i - 1, i - 1));
    }
    text
}

/// Writes `body` after a `data` line for the engine fixture; returns its path.
fn strategy(label: &str, body: &str) -> std::path::PathBuf {
    let path = common::temp_dir(label).join("s.rotor");
    let text = format!("data \"{}\"\n{body}", prices().display());
    std::fs::write(&path, text).expect("temp file writable");
    path
}

#[test]
fn a_let_read_twice_is_one_slot() {
    let data = load_path(&prices(), &LoadOptions::default()).expect("the fixture loads");
    let mut sources = SourceMap::new();
    let text = format!("{}buy AAA daily while v25 > 0\n", doubling(25));
    let file = sources.add("s.rotor", None, text);
    let options = RunOptions {
        load: Load::Names(pipeline::catalog(&data)),
        ..RunOptions::default()
    };
    let prepared = pipeline::prepare(&file, &options, &mut sources).expect("prepares");
    let program = pipeline::check(&prepared, &sources).expect("checks");
    // Each line reads the one before as a reference, not as its expression again.
    let v24 = || Box::new(Term::Let(24));
    assert_eq!(program.lets[25].value, Term::Binary(BinaryOp::Add, v24(), v24()));
    let symbols = vec!["AAA".to_string()];
    let frame = Frame::build(&data, &symbols, &[], &[], &[], None);
    let scope = Scope {
        frame: &frame,
        program: &program,
        subject: None,
        bars: rotor::engine::frequency::BarScale::DAILY,
    };
    let mut plan = Plan::default();
    plan.compile(&program.rules[0].guards[0].condition, &scope);
    // close(AAA), 25 sums, the constant 0 and the comparison: one slot a line, where an
    // expression inlined at each use would need 2²⁶.
    assert_eq!(plan.nodes.len(), 25 + 3, "{:?}", plan.nodes);

    // And the value is right: 2²⁵ times the close, exactly (doubling is exact).
    let v25 = &program.lets[25].value;
    let (_, values) = rotor::engine::evaluate_series(&program, v25, &data, None, None).expect("no script");
    let closes = [10.0, 11.0, 12.0, 12.0, 13.0, 14.0, 15.0, 15.0, 16.0, 16.0, 17.0];
    let expected: Vec<f64> = closes.iter().map(|c| c * 2f64.powi(25)).collect();
    assert_eq!(values, expected);
}

#[test]
fn a_hundred_doubling_lines_run() {
    // Were each `let` computed where it is read, the last would cost 2¹⁰⁰ sums.
    let path = strategy(
        "doubling",
        &format!("{}buy AAA monthly while v100 > 0\n", doubling(100)),
    );
    let out = run(&path);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("Final value"), "{}", out.stdout);
}

#[test]
fn twenty_thousand_chained_lets_run_as_one_line_would() {
    // A chain of names (`let s1 = s0`) and a chain of sums (`let v1 = v0 + 1`): no
    // recursion follows either, in the checker or the engine.
    let mut body = String::from("let s0 = AAA\n");
    for i in 1..200 {
        body.push_str(&format!("let s{i} = s{}\n", i - 1));
    }
    body.push_str("let v0 = close(s199)\n");
    for i in 1..20_000 {
        body.push_str(&format!("let v{i} = v{} + 1\n", i - 1));
    }
    body.push_str("fill close\nbuy AAA monthly while v19999 > 20011.5\n");
    let chained = strategy("chain", &body);
    let out = run(&chained);
    assert_eq!(out.code, 0, "{}", out.stderr);
    // v19999 is the close plus 19,999: above 20,011.5 when the close is above 12.5, as on
    // the first trading days of March (15) and April (16), not of January (10) or
    // February (12). The same strategy in one line reports the same.
    let one_line = strategy("chain", "fill close\nbuy AAA monthly while close(AAA) > 12.5\n");
    let expected = run(&one_line);
    let figures = |s: &str| s.lines().skip(1).collect::<Vec<_>>().join("\n");
    assert_eq!(figures(&out.stdout), figures(&expected.stdout));
    // Orders in March and April; April's finds no cash. 10,000 USD at March's close of 15
    // is worth 10,000 / 15 × 17 at the last close.
    assert!(out.stdout.contains("2 orders, 1 fill;"), "{}", out.stdout);
    assert!(out.stdout.contains("11,333.33"), "{}", out.stdout);
}
