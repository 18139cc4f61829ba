//! Issues 11.2, 11.3, 11.11 and 11.12 (script half): rhai's `sleep(100.0)` escaped every
//! limit and passed `rotor check`; no budget bounded a run's script work as a whole; a
//! script function named like a built-in was silently ignored; a NaN or infinity returned
//! by a script flowed into the run.

use std::time::{Duration, Instant};

use super::*;

fn with_script(label: &str, script: &str, rule: &str) -> std::path::PathBuf {
    let strategy = format!("use \"f.rhai\"\n{rule}\n");
    folder(
        label,
        &[("s.rotor", strategy.as_bytes()), ("f.rhai", script.as_bytes())],
    )
}

#[test]
fn sleep_and_the_clock_are_refused_when_the_script_loads() {
    for (script, name) in [
        ("fn slow(s) { sleep(100.0); 1.0 }", "sleep"),
        ("fn slow(s) { 100.sleep(); 1.0 }", "sleep"),
        ("fn slow(s) { let t = timestamp(); 1.0 }", "timestamp"),
        ("fn slow(s) { exit(1.0) }", "exit"),
    ] {
        let dir = with_script("sleep", script, "buy IWO monthly while slow(IWO) > 0");
        let start = Instant::now();
        let out = rotor(&dir, &["check", "s.rotor"]);
        assert_diagnostic(&out, "rotor::script::not_available");
        assert!(
            out.stderr
                .contains(&format!("`{name}` is not available in rotor scripts")),
            "{}",
            cut(&out.stderr)
        );
        assert!(out.stderr.contains("f.rhai:1:"), "located: {}", cut(&out.stderr));
        assert!(start.elapsed() < Duration::from_secs(10));
    }
}

#[test]
fn a_sleep_reached_another_way_does_not_wait() {
    // A function pointer hides the name from the check; the engine has no `sleep` at all.
    let dir = with_script(
        "sleep-pointer",
        "fn slow(s) { let f = Fn(\"sl\" + \"eep\"); f.call(100.0); 1.0 }",
        "buy IWO monthly while slow(IWO) > 0",
    );
    let start = Instant::now();
    let out = rotor(&dir, &["run", "s.rotor"]);
    assert_diagnostic(&out, "rotor::script::runtime");
    assert!(start.elapsed() < Duration::from_secs(10), "took {:?}", start.elapsed());
}

#[test]
fn a_run_stops_when_its_scripts_spend_the_budget() {
    // About 30,000 operations a call, on every one of the bundled data's ~5,000 bars.
    let busy = "fn busy(s) { let x = 0; for i in 0..10000 { x += i; } x.to_float() }";
    let dir = with_script("budget", busy, "buy IWO daily while busy(IWO) > 0");
    let start = Instant::now();
    let out = rotor(&dir, &["run", "s.rotor", "--script-operations", "5000000"]);
    assert_diagnostic(&out, "rotor::script::budget");
    assert!(
        out.stderr
            .contains("`busy` in `f.rhai` used up the run's script budget (5,000,000 operations) on 20"),
        "{}",
        cut(&out.stderr)
    );
    assert!(
        out.stderr.contains("--script-time"),
        "the help names the flags: {}",
        cut(&out.stderr)
    );
    assert!(start.elapsed() < Duration::from_secs(60), "took {:?}", start.elapsed());

    let out = rotor(&dir, &["run", "s.rotor", "--script-time", "0.5"]);
    assert_diagnostic(&out, "rotor::script::budget");
    assert!(out.stderr.contains("0.5 s of script time"), "{}", cut(&out.stderr));
}

#[test]
fn time_counts_for_work_that_is_few_operations() {
    // Sorting a 100,000-item array is a handful of operations but takes milliseconds, on
    // every bar. (The default budget, ten seconds, would stop it too, ten times later.)
    let sorter = "fn sorter(s) { let a = []; a.pad(100000, 1.5); a.sort(); a.len().to_float() }";
    let dir = with_script("budget-sort", sorter, "buy IWO daily while sorter(IWO) > 0");
    let start = Instant::now();
    let out = rotor(&dir, &["run", "s.rotor", "--script-time", "1"]);
    assert_diagnostic(&out, "rotor::script::budget");
    assert!(out.stderr.contains("1.0 s of script time"), "{}", cut(&out.stderr));
    assert!(start.elapsed() < Duration::from_secs(30), "took {:?}", start.elapsed());
}

#[test]
fn a_script_function_named_like_a_built_in_is_a_check_error() {
    for (name, rule) in [("sma", "sma(IWO, 20) > 0"), ("close", "close(IWO) > 0")] {
        let script = format!("fn {name}(s, n) {{ 1.0 }}\nfn {name}(s) {{ 1.0 }}");
        let dir = with_script("shadow", &script, &format!("buy IWO monthly while {rule}"));
        let out = rotor(&dir, &["check", "s.rotor"]);
        assert_diagnostic(&out, "rotor::check::shadows_builtin");
        assert!(
            out.stderr.contains(&format!(
                "the script function `{name}` has the name of the built-in `{name}("
            )),
            "{}",
            cut(&out.stderr)
        );
        assert!(
            out.stderr.contains("f.rhai:1:4") && out.stderr.contains("s.rotor:1:5"),
            "both places: {}",
            cut(&out.stderr)
        );
    }
}

#[test]
fn nan_or_infinity_from_a_script_is_an_error_naming_the_function_and_date() {
    for (body, shown) in [("0.0 / 0.0", "NaN"), ("1.0 / 0.0", "inf"), ("-1.0 / 0.0", "-inf")] {
        let script = format!("fn bad(s) {{ {body} }}");
        let dir = with_script("not-finite", &script, "buy IWO monthly while bad(IWO) > 0");
        let out = rotor(&dir, &["run", "s.rotor"]);
        assert_diagnostic(&out, "rotor::script::not_finite");
        assert!(
            out.stderr.contains(&format!("`bad` returned {shown} on 20")),
            "{}",
            cut(&out.stderr)
        );
    }
    // `()` is "not available", as before.
    let dir = with_script("unit", "fn later(s) { () }", "buy IWO monthly while later(IWO) > 0");
    let out = rotor(&dir, &["run", "s.rotor"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
}

/// A script of `n` functions, each calling one that does not exist: `fn f7(s) { g7(s) }`.
fn calling_missing(n: usize) -> String {
    (0..n).map(|i| format!("fn f{i}(s) {{ g{i}(s) }}\n")).collect()
}

/// The lines (1-based) of the script's errors, in the order `check` printed them.
fn error_lines(stderr: &str) -> Vec<usize> {
    stderr
        .lines()
        .filter_map(|line| line.split("[f.rhai:").nth(1))
        .filter_map(|rest| rest.split(':').next()?.parse().ok())
        .collect()
}

/// The errors of one script came in an order that changed from run to run (text and JSON),
/// and all of them were printed where a strategy file stops at 50.
#[test]
fn script_errors_come_in_file_order_and_at_most_fifty() {
    let dir = with_script("order", &calling_missing(3), "buy IWO monthly while f1(IWO) > 0");
    let first = rotor(&dir, &["check", "s.rotor"]);
    assert_diagnostic(&first, "rotor::script::undefined_function");
    assert_eq!(error_lines(&first.stderr), [1, 2, 3], "{}", cut(&first.stderr));
    let json = rotor(&dir, &["check", "--format", "json", "s.rotor"]);
    for _ in 0..4 {
        assert_eq!(rotor(&dir, &["check", "s.rotor"]).stderr, first.stderr);
        assert_eq!(
            rotor(&dir, &["check", "--format", "json", "s.rotor"]).stdout,
            json.stdout
        );
    }

    let dir = with_script("cap", &calling_missing(1_000), "buy IWO monthly while f1(IWO) > 0");
    let out = rotor(&dir, &["check", "s.rotor"]);
    assert_diagnostic(&out, "rotor::script::more_errors");
    assert_eq!(
        out.stderr.matches("there is no function").count(),
        50,
        "{}",
        cut(&out.stderr)
    );
    assert_eq!(error_lines(&out.stderr), (1..=50).collect::<Vec<_>>());
    assert!(
        flat(&out.stderr).contains("50 of 1,000 errors in `f.rhai` shown"),
        "{}",
        out.stderr.lines().rev().take(6).collect::<Vec<_>>().join("\n")
    );
}

/// Loading a script took time in the square of its functions: 20,000 functions (518 KB,
/// under the 1 MiB limit) were still loading after two minutes, and the language server
/// stopped answering. rhai's own parser is quadratic in them, so a script holds at most
/// 1,000; up to that, loading is quick. The bounds leave room for a debug build on a busy
/// machine.
#[cfg(target_os = "linux")]
#[test]
fn a_script_of_many_functions_is_refused_or_loads_quickly() {
    let rule = "buy IWO monthly while f1(IWO) > 0";
    let dir = with_script("many-missing", &calling_missing(20_000), rule);
    let out = rotor_bounded(&dir, &["check", "s.rotor"], Duration::from_secs(60))
        .expect("`rotor check` of 20,000 functions still running after 60 s");
    assert_diagnostic(&out.run, "rotor::script::too_many_functions");
    assert!(
        out.run.stderr.contains("defines more than 1,000 functions") && out.run.stderr.contains("f.rhai:1001:1"),
        "{}",
        cut(&out.run.stderr)
    );

    let dir = with_script("many-missing", &calling_missing(1_000), rule);
    let out = rotor_bounded(&dir, &["check", "s.rotor"], Duration::from_secs(30))
        .expect("`rotor check` of 1,000 undefined calls still running after 30 s");
    assert_diagnostic(&out.run, "rotor::script::undefined_function");

    let defined: String = (0..1_000).map(|i| format!("fn f{i}(s) {{ {i} }}\n")).collect();
    let dir = with_script("many-defined", &defined, rule);
    let out = rotor_bounded(&dir, &["check", "s.rotor"], Duration::from_secs(30))
        .expect("`rotor check` of 1,000 functions still running after 30 s");
    assert_eq!(out.run.code, 0, "{}", cut(&out.run.stderr));
}
