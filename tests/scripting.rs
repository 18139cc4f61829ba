//! Custom rhai indicators through `rotor run`: results, the subject convention, hostile and
//! failing scripts reported with their diagnostics.

mod common;

use common::{root, rotor};

fn strategy(name: &str, body: &str) -> std::path::PathBuf {
    let dir = common::temp_dir(&format!("scripting-{name}"));
    let path = dir.join(format!("{name}.rotor"));
    let body = body
        .replace("FIX", &root().join("tests/fixtures").display().to_string())
        .replace("EX", &root().join("strategies").display().to_string());
    std::fs::write(&path, body).expect("writable");
    path
}

#[test]
fn momentum_from_rhai_equals_the_built_in_return() {
    // momentum(p, n) = p[0] / p[n] - 1 is exactly return(p, n): the two runs must agree.
    let a = strategy(
        "momentum",
        "data \"FIX/engine/prices.csv\"\nuse \"EX/indicators/momentum.rhai\"\ncapital 1000 USD\nfill close\nrotate monthly to top 1 of AAA, BBB by momentum(1)\n",
    );
    let b = strategy(
        "builtin",
        "data \"FIX/engine/prices.csv\"\ncapital 1000 USD\nfill close\nrotate monthly to top 1 of AAA, BBB by return(1)\n",
    );
    let ra = rotor(
        root(),
        &["run", "--allow-path", ".", a.to_str().expect("utf-8"), "--json"],
    );
    let rb = rotor(
        root(),
        &["run", "--allow-path", ".", b.to_str().expect("utf-8"), "--json"],
    );
    assert_eq!(ra.code, 0, "{}", ra.stderr);
    assert_eq!(rb.code, 0, "{}", rb.stderr);
    let v = |s: &str| serde_json::from_str::<serde_json::Value>(s).expect("json");
    assert_eq!(v(&ra.stdout)["trades"], v(&rb.stdout)["trades"]);
    assert_eq!(
        v(&ra.stdout)["metrics"]["final_value"],
        v(&rb.stdout)["metrics"]["final_value"]
    );
}

#[test]
fn an_endless_script_stops_with_a_diagnostic() {
    let path = strategy(
        "forever",
        "data \"FIX/engine/prices.csv\"\nuse \"FIX/scripts/forever.rhai\"\nbuy AAA daily while forever(AAA) > 0\n",
    );
    let start = std::time::Instant::now();
    let out = rotor(root(), &["run", "--allow-path", ".", path.to_str().expect("utf-8")]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("rotor::script::"), "{}", out.stderr);
    assert!(out.stderr.contains("forever.rhai"), "{}", out.stderr);
    assert!(start.elapsed().as_secs() < 20, "stopped in time");
}

#[test]
fn a_runtime_error_points_into_the_script_and_at_the_strategy_line() {
    let path = strategy(
        "risky",
        "data \"FIX/engine/prices.csv\"\nuse \"FIX/scripts/divide.rhai\"\nbuy AAA daily while risky(AAA) > 0\n",
    );
    let out = rotor(root(), &["run", "--allow-path", ".", path.to_str().expect("utf-8")]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("divide.rhai"), "{}", out.stderr);
    assert!(out.stderr.contains("risky.rotor"), "{}", out.stderr);
    assert!(
        out.stderr.contains("2024-01-04"),
        "the date of the third bar: {}",
        out.stderr
    );
}

#[test]
fn calling_a_script_function_with_the_wrong_arity_is_a_check_error() {
    let path = strategy(
        "arity",
        "data \"FIX/engine/prices.csv\"\nuse \"EX/indicators/momentum.rhai\"\nbuy AAA daily while momentum(AAA) > 0\n",
    );
    let out = rotor(root(), &["check", "--allow-path", ".", path.to_str().expect("utf-8")]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("rotor::check::arity"), "{}", out.stderr);
    assert!(out.stderr.contains("`momentum` takes 2 arguments"), "{}", out.stderr);
}

#[test]
fn a_missing_script_file_points_at_the_use_line() {
    let path = strategy("missing", "use \"no_such.rhai\"\nbuy IWO monthly\n");
    let out = rotor(root(), &["check", "--allow-path", ".", path.to_str().expect("utf-8")]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("no_such.rhai"), "{}", out.stderr);
}

#[test]
fn calls_with_many_arguments_pass_each_in_its_place() {
    // Nine arguments (one more than fit on the stack) and three: each call returns a number
    // that tells whether every argument arrived where it was written.
    let dir = common::temp_dir("scripting-many");
    std::fs::write(
        dir.join("many.rhai"),
        "fn nine(p, a, b, c, d, e, f, g, h) { if p.len() > 0 && a == 1.0 && b == 2.0 && c == 3.0 && d == 4.0 && e == 5.0 && f == 6.0 && g == 7.0 && h == 8.0 { 1.0 } else { 0.0 } }\nfn three(a, p, b) { if p.len() > 0 && a == 1.0 && b == 2.0 { 1.0 } else { 0.0 } }\n",
    )
    .expect("writable");
    let body = format!(
        "data \"{}\"\nuse \"many.rhai\"\ncapital 1000 USD\nfill close\nbuy AAA once on 2024-01-02 if nine(AAA, 1, 2, 3, 4, 5, 6, 7, 8) > 0.5 and three(1, AAA, 2) > 0.5\n",
        root().join("tests/fixtures/engine/prices.csv").display()
    );
    let path = dir.join("many.rotor");
    std::fs::write(&path, body).expect("writable");
    let out = rotor(
        root(),
        &["run", "--allow-path", ".", path.to_str().expect("utf-8"), "--json"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    assert_eq!(v["activity"]["trades"], 1, "both guards held: {}", out.stdout);
}

#[test]
fn a_whole_float_index_far_out_of_range_is_not_available_not_an_error() {
    // `p[1e18]` is a whole number of bars, further back than any data: `()`, as `p[5000]`
    // is on a short series (docs/SCRIPTING.md). It used to stop the run with "must be a
    // whole number, not 1000000000000000000". So for a window of 1e18 bars and `p[-1e18]`.
    let path = strategy(
        "far",
        "data \"FIX/engine/prices.csv\"\nuse \"far.rhai\"\ncapital 1000 USD\nfill close\nbuy AAA monthly while far(AAA) > 0\n",
    );
    std::fs::write(
        path.with_file_name("far.rhai"),
        "fn far(p) {\n    if p[1e18] == () && p[-1e18] == () && p.mean(1e18) == () && p[0.0] != () { 1.0 } else { 0.0 }\n}\n",
    )
    .expect("writable");
    let out = rotor(
        root(),
        &["run", "--allow-path", ".", path.to_str().expect("utf-8"), "--json"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let report: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    assert!(
        report["activity"]["trades"].as_u64().is_some_and(|n| n > 0),
        "far(AAA) is 1 on every bar: {}",
        report["activity"]
    );
    // A fraction is still a mistake.
    std::fs::write(path.with_file_name("far.rhai"), "fn far(p) { p[2.5] }\n").expect("writable");
    let out = rotor(root(), &["run", "--allow-path", ".", path.to_str().expect("utf-8")]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stderr.contains("must be a whole number, not 2.5"), "{}", out.stderr);
}
