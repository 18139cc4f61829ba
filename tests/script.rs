//! Custom indicators through the public `Scripts` API: the example scripts on hand-made
//! data, the look-ahead guarantee, the sandbox against hostile scripts, and diagnostics.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use miette::{GraphicalReportHandler, GraphicalTheme};
use rotor::script::{Arg, CallContext, ScriptError, Scripts, SeriesView};
use rotor::source::{SourceMap, Span};

const DATE: &str = "2024-03-01";

/// A stand-in strategy call: the tests that do not look at spans do not care where.
fn ctx() -> CallContext<'static> {
    CallContext {
        call_span: Span::new(0, 0),
        date: DATE,
    }
}

fn view(values: &[f64]) -> SeriesView {
    SeriesView::new(Arc::from(values), values.len() - 1)
}

fn compile(text: &str) -> (SourceMap, Scripts) {
    let mut sources = SourceMap::new();
    match Scripts::from_source(&mut sources, "test.rhai", text) {
        Ok(scripts) => (sources, scripts),
        Err(errors) => panic!("{text:?} should compile: {errors:?}"),
    }
}

fn compile_error(text: &str) -> (SourceMap, ScriptError) {
    let mut sources = SourceMap::new();
    match Scripts::from_source(&mut sources, "test.rhai", text) {
        Ok(_) => panic!("{text:?} should not compile"),
        Err(mut errors) => {
            assert_eq!(errors.len(), 1, "{errors:?}");
            (sources, errors.remove(0))
        }
    }
}

fn index_of(scripts: &Scripts, name: &str) -> usize {
    scripts
        .functions()
        .iter()
        .position(|f| f.name == name)
        .unwrap_or_else(|| panic!("no function `{name}` in {:?}", scripts.functions()))
}

/// Calls the only (or the named) function of a one-script source.
fn call(scripts: &Scripts, name: &str, args: &[Arg]) -> Result<f64, ScriptError> {
    scripts.call(index_of(scripts, name), args, &ctx())
}

fn run(text: &str, name: &str, args: &[Arg]) -> Result<f64, ScriptError> {
    let (_, scripts) = compile(text);
    call(&scripts, name, args)
}

fn example(name: &str) -> (PathBuf, Span) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("strategies/indicators")
        .join(name);
    (path, Span::new(0, 0))
}

fn load_example(name: &str) -> Scripts {
    let mut sources = SourceMap::new();
    Scripts::load(&mut sources, &[example(name)]).unwrap_or_else(|e| panic!("{name}: {e:?}"))
}

fn close(actual: f64, expected: f64) -> bool {
    (actual - expected).abs() < 1e-12
}

fn render(sources: &SourceMap, error: ScriptError) -> String {
    let report = miette::Report::new(error).with_source_code(sources.clone());
    let mut out = String::new();
    GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor())
        .with_width(200)
        .render_report(&mut out, report.as_ref())
        .expect("rendering into a String cannot fail");
    out
}

// ---------------------------------------------------------------------------------------
// The examples

#[test]
fn momentum_is_the_return_over_n_bars() {
    let scripts = load_example("momentum.rhai");
    let prices = view(&[100.0, 110.0, 121.0, 133.1]);
    let momentum = |s: &SeriesView, n: f64| call(&scripts, "momentum", &[Arg::Series(s), Arg::Number(n)]).unwrap();
    // 133.1 / 110 = 1.21, 133.1 / 100 = 1.331
    assert!(close(momentum(&prices, 2.0), 0.21));
    assert!(close(momentum(&prices, 3.0), 0.331));
    assert!(momentum(&prices, 4.0).is_nan(), "only 4 bars: no price 4 bars back");
    let early = SeriesView::new(Arc::from(&[100.0, 110.0, 121.0, 133.1][..]), 1);
    assert!(momentum(&early, 2.0).is_nan(), "on day 1 there is no day -1");
    assert!(
        momentum(&view(&[0.0, 5.0]), 1.0).is_nan(),
        "no return from a zero price"
    );
}

#[test]
fn macro_zscore_is_today_against_the_last_n() {
    let scripts = load_example("zscore_macro.rhai");
    let values = [7.0, 1.0, 2.0, 3.0, 4.0, 10.0];
    let z = |s: &SeriesView, n: f64| call(&scripts, "macro_zscore", &[Arg::Series(s), Arg::Number(n)]).unwrap();
    // Last 5: 1 2 3 4 10, mean 4, squared deviations 9 4 1 0 36 = 50, sample variance
    // 50 / 4 = 12.5; z = (10 - 4) / sqrt(12.5).
    assert!(close(z(&view(&values), 5.0), 6.0 / 12.5f64.sqrt()));
    assert!(z(&view(&values), 7.0).is_nan(), "6 observations only");
    assert!(z(&view(&[3.0, 3.0, 3.0]), 3.0).is_nan(), "no spread, no z-score");
}

/// The Sahm gap recomputed from scratch: every window summed anew.
fn naive_sahm(rates: &[f64], avg: usize, lookback: usize) -> f64 {
    let t = rates.len() - 1;
    let mean_at = |lag: usize| rates[t + 1 - lag - avg..=t - lag].iter().sum::<f64>() / avg as f64;
    let low = (1..=lookback).map(mean_at).fold(f64::INFINITY, f64::min);
    mean_at(0) - low
}

#[test]
fn sahm_rule_is_the_rise_of_the_3_month_average_over_its_12_month_low() {
    let scripts = load_example("sahm_rule.rhai");
    let rates = [
        3.5, 3.5, 3.6, 3.5, 3.4, 3.5, 3.6, 3.7, 3.8, 3.9, 4.0, 4.1, 4.3, 4.5, 4.7,
    ];
    let sahm = |s: &[f64], avg: f64, lookback: f64| {
        call(
            &scripts,
            "sahm_rule",
            &[Arg::Series(&view(s)), Arg::Number(avg), Arg::Number(lookback)],
        )
        .unwrap()
    };
    // Today's average (4.3 + 4.5 + 4.7) / 3 = 4.5; the lowest earlier one is months 4-6,
    // (3.5 + 3.4 + 3.5) / 3 = 10.4 / 3.
    let gap = sahm(&rates, 3.0, 12.0);
    assert!((gap - (4.5 - 10.4 / 3.0)).abs() < 1e-9, "{gap}");
    assert!((gap - naive_sahm(&rates, 3, 12)).abs() < 1e-9);
    assert!(sahm(&rates[1..], 3.0, 12.0).is_nan(), "14 months are one too few");
    // Daily-style parameters on a longer, wavier series.
    let daily: Vec<f64> = (0..400)
        .map(|i| 4.0 + (i as f64 / 37.0).sin() + i as f64 / 400.0)
        .collect();
    let gap = sahm(&daily, 63.0, 252.0);
    assert!((gap - naive_sahm(&daily, 63, 252)).abs() < 1e-9, "{gap}");
}

#[test]
fn rate_cut_signal_needs_a_high_probability_and_a_low_or_falling_two_year() {
    let scripts = load_example("rate_cut_signal.rhai");
    let signal = |prob: f64, two_year: &[f64], fed_funds: f64| {
        call(
            &scripts,
            "rate_cut_signal",
            &[
                Arg::Series(&view(&[0.1, 0.1, prob])),
                Arg::Series(&view(two_year)),
                Arg::Series(&view(&[5.0, 5.0, fed_funds])),
                Arg::Number(0.7),
                Arg::Number(2.0),
            ],
        )
        .unwrap()
    };
    assert_eq!(signal(0.8, &[4.0, 4.0, 4.5], 5.0), 1.0, "2y 4.5 is below fed funds 5.0");
    assert_eq!(
        signal(0.8, &[5.6, 5.5, 5.4], 5.0),
        1.0,
        "2y above fed funds but falling"
    );
    assert_eq!(signal(0.8, &[5.2, 5.5, 5.4], 5.0), 0.0, "2y above fed funds and rising");
    assert_eq!(signal(0.6, &[4.0, 4.0, 4.5], 5.0), 0.0, "cut probability too low");
    assert!(
        signal(0.8, &[f64::NAN, 4.0, 4.5], 5.0).is_nan(),
        "2y two bars ago missing"
    );
}

// ---------------------------------------------------------------------------------------
// Calling convention

#[test]
fn return_values_become_numbers() {
    let text = "fn f() { 2.5 }\nfn i() { 7 }\nfn yes() { true }\nfn no() { false }\nfn na() { () }";
    let (_, scripts) = compile(text);
    assert_eq!(call(&scripts, "f", &[]).unwrap(), 2.5);
    assert_eq!(call(&scripts, "i", &[]).unwrap(), 7.0);
    assert_eq!(call(&scripts, "yes", &[]).unwrap(), 1.0);
    assert_eq!(call(&scripts, "no", &[]).unwrap(), 0.0);
    assert!(call(&scripts, "na", &[]).unwrap().is_nan());
}

#[test]
fn numbers_arrive_as_floats_and_nan_as_unit() {
    let text = "fn kind(x) { if x == () { -1 } else if type_of(x) == \"f64\" { 1 } else { 0 } }";
    let (_, scripts) = compile(text);
    assert_eq!(call(&scripts, "kind", &[Arg::Number(90.0)]).unwrap(), 1.0);
    assert_eq!(call(&scripts, "kind", &[Arg::Number(f64::NAN)]).unwrap(), -1.0);
}

#[test]
fn other_return_types_are_errors_that_name_the_type() {
    for (text, found) in [("fn f() { \"hello\" }", "string"), ("fn f() { [1, 2] }", "array")] {
        match run(text, "f", &[]) {
            Err(ScriptError::ReturnType {
                function,
                found: f,
                date,
                ..
            }) => {
                assert_eq!(function, "f");
                assert_eq!(date, DATE);
                assert!(f.contains(found), "{f}");
            }
            other => panic!("{text}: {other:?}"),
        }
    }
}

#[test]
fn helpers_and_private_functions_are_not_offered_to_strategies() {
    let text = "fn a(x) { _b(x) + c() }\nfn _b(x) { x }\nprivate fn c() { 1 }\nfn d(x, y, z) { 0 }";
    let (sources, scripts) = compile(text);
    let offered: Vec<(&str, usize, &str, usize)> = scripts
        .functions()
        .iter()
        .map(|f| (f.name.as_str(), f.arity, sources.slice(f.span), f.file))
        .collect();
    assert_eq!(offered, vec![("a", 1, "a", 0), ("d", 3, "d", 0)]);
    assert_eq!(
        call(&scripts, "a", &[Arg::Number(2.0)]).unwrap(),
        3.0,
        "helpers still work inside"
    );
}

#[test]
fn functions_of_several_scripts_know_their_file() {
    let mut sources = SourceMap::new();
    let scripts = Scripts::load(&mut sources, &[example("momentum.rhai"), example("sahm_rule.rhai")]).unwrap();
    let found: Vec<(&str, usize, &str)> = scripts
        .functions()
        .iter()
        .map(|f| (f.name.as_str(), f.file, sources.slice(f.span)))
        .collect();
    assert_eq!(found, vec![("momentum", 0, "momentum"), ("sahm_rule", 1, "sahm_rule")]);
}

#[test]
fn the_same_function_in_two_scripts_is_an_error() {
    let dir = std::env::temp_dir().join(format!("rotor-script-dup-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let other = dir.join("other.rhai");
    std::fs::write(&other, "// also momentum\nfn momentum(p, n) { 0 }\n").unwrap();
    let mut sources = SourceMap::new();
    let result = Scripts::load(&mut sources, &[example("momentum.rhai"), (other, Span::new(0, 0))]);
    std::fs::remove_dir_all(&dir).ok();
    match result.map(|_| ()).unwrap_err().as_slice() {
        [
            error @ ScriptError::Duplicate {
                name,
                arity,
                first,
                second,
            },
        ] => {
            assert_eq!((name.as_str(), *arity), ("momentum", 2));
            assert_eq!(
                error.to_string(),
                "function `momentum` with 2 parameters is defined by two scripts"
            );
            assert_eq!(sources.slice(*first), "momentum");
            assert_eq!(sources.slice(*second), "momentum");
            assert_ne!(first.start, second.start);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn calls_from_many_threads_agree() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Scripts>();
    let scripts = load_example("momentum.rhai");
    let prices: Arc<[f64]> = (0..500).map(|i| 100.0 + i as f64).collect();
    let momentum = index_of(&scripts, "momentum");
    let results: Vec<Vec<f64>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..4)
            .map(|_| {
                s.spawn(|| {
                    (0..500)
                        .map(|t| {
                            let v = SeriesView::new(prices.clone(), t);
                            scripts
                                .call(momentum, &[Arg::Series(&v), Arg::Number(10.0)], &ctx())
                                .unwrap()
                        })
                        .collect()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    // Prices are 100 + t, so momentum over 10 bars is (100 + t) / (90 + t) - 1 from t = 10.
    for result in &results {
        assert!(result[9].is_nan());
        for (t, &m) in result.iter().enumerate().skip(10) {
            assert!(close(m, (100.0 + t as f64) / (90.0 + t as f64) - 1.0), "t = {t}: {m}");
        }
    }
}

// ---------------------------------------------------------------------------------------
// The look-ahead guarantee

#[test]
fn no_index_reaches_past_today() {
    // Bars 3 and 4 are "the future" on day 2; they hold a value no earlier bar has.
    let data: Arc<[f64]> = Arc::from(&[1.0, 2.0, 3.0, 999.0, 999.0][..]);
    let today = SeriesView::new(data, 2);
    let text = r#"
        fn largest_seen(s) {
            let best = 0.0;
            for k in -1000..1000 {
                let x = s[k];
                if x != () && x > best { best = x; }
                let y = s[k.to_float()];
                if y != () && y > best { best = y; }
            }
            best
        }
        fn minus_one(s) { s[-1] }
        fn at_len(s) { s[s.len()] }
        fn len(s) { s.len() }
        fn window_past_today(s) { s.max(4) }
        fn window_today(s) { s.max(3) }
        fn shown(s) { let text = `${s} ${debug(s)}` + to_debug(s) + to_string(s); if text.contains("999") { 1 } else { 0 } }
    "#;
    let (_, scripts) = compile(text);
    let on = |name: &str| call(&scripts, name, &[Arg::Series(&today)]).unwrap();
    assert_eq!(on("largest_seen"), 3.0);
    assert!(on("minus_one").is_nan());
    assert!(on("at_len").is_nan());
    assert_eq!(on("len"), 3.0);
    assert!(
        on("window_past_today").is_nan(),
        "a 4-bar window on day 2 would need bar 3"
    );
    assert_eq!(on("window_today"), 3.0);
    assert_eq!(on("shown"), 0.0, "printing a series must not reveal later bars");
}

#[test]
fn series_helpers_match_a_naive_computation() {
    let values = [4.0, 8.0, 6.0, 5.0, 3.0, 7.0];
    let s = view(&values);
    let text = "fn sum(s, n) { s.sum(n) }\nfn mean(s, n) { s.mean(n) }\nfn min(s, n) { s.min(n) }\n\
                fn max(s, n) { s.max(n) }\nfn stdev(s, n) { s.stdev(n) }\nfn stdev_int(s) { s.stdev(4) }";
    let (_, scripts) = compile(text);
    let at = |name: &str, n: f64| call(&scripts, name, &[Arg::Series(&s), Arg::Number(n)]).unwrap();
    // The last 4 values: 6 5 3 7.
    assert_eq!(at("sum", 4.0), 21.0);
    assert_eq!(at("mean", 4.0), 5.25);
    assert_eq!(at("min", 4.0), 3.0);
    assert_eq!(at("max", 4.0), 7.0);
    // Squared deviations from 5.25: 0.5625 0.0625 5.0625 3.0625 = 8.75; / 3.
    assert!(close(at("stdev", 4.0), (8.75f64 / 3.0).sqrt()));
    assert!(close(
        call(&scripts, "stdev_int", &[Arg::Series(&s)]).unwrap(),
        (8.75f64 / 3.0).sqrt()
    ));
    assert_eq!(at("sum", 6.0), 33.0);
    assert!(at("sum", 7.0).is_nan());
    let holed = view(&[1.0, f64::NAN, 2.0, 3.0]);
    let sum = |n: f64| call(&scripts, "sum", &[Arg::Series(&holed), Arg::Number(n)]).unwrap();
    assert_eq!(sum(2.0), 5.0);
    assert!(sum(3.0).is_nan(), "a missing value in the window");
}

#[test]
fn a_fractional_or_empty_window_is_an_error_with_help() {
    let s = view(&[1.0, 2.0]);
    for (n, help) in [(1.5, "whole number"), (0.0, "at least one bar")] {
        match run("fn f(s, n) { s.mean(n) }", "f", &[Arg::Series(&s), Arg::Number(n)]) {
            Err(ScriptError::Runtime { help: h, .. }) => assert!(h.contains(help), "{h}"),
            other => panic!("{n}: {other:?}"),
        }
    }
}

// ---------------------------------------------------------------------------------------
// The sandbox

/// Runs `f()` of `text`, expecting a limit error within about a second; returns its `what`.
fn stopped(text: &str) -> String {
    let (sources, scripts) = compile(text);
    let started = Instant::now();
    let result = call(&scripts, "f", &[]);
    let elapsed = started.elapsed();
    assert!(elapsed < Duration::from_millis(1500), "{text}: took {elapsed:?}");
    match result {
        Err(ScriptError::Limit { what, at, help, .. }) => {
            assert!(!sources.slice(at).is_empty(), "the label points into the script");
            assert!(!help.is_empty());
            what
        }
        other => panic!("{text}: {other:?}"),
    }
}

#[test]
fn an_endless_loop_runs_too_long() {
    let what = stopped("fn f() { loop {} }");
    assert_eq!(what, "ran too long (more than 1000000 operations)");
}

#[test]
fn slow_operations_hit_the_clock_before_the_operation_count() {
    // Each reversal of 50,000 items is one operation but tens of microseconds.
    let what = stopped("fn f() { let a = []; a.pad(50000, 1.0); loop { a.reverse(); } }");
    assert_eq!(what, "ran too long (more than 1.0 s)");
}

#[test]
fn endless_recursion_is_stopped() {
    let what = stopped("fn f() { g(1) }\nfn g(x) { g(x) }");
    assert_eq!(what, "called functions too deeply (more than 32 levels)");
}

#[test]
fn code_outside_functions_never_runs() {
    let (sources, error) = compile_error("fn f(x) { f(x) }\nf(1)\n");
    match error {
        ScriptError::TopLevel { span, .. } => assert_eq!(sources.slice(span), "f(1)"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_gigabyte_string_is_stopped() {
    let what = stopped("fn f() { let s = \"x\"; loop { s += s; } }");
    assert_eq!(what, "built a string larger than 65536 bytes");
}

#[test]
fn huge_arrays_and_maps_are_stopped() {
    // rhai re-measures the array on every push, so this may meet the clock first.
    let what = stopped("fn f() { let a = []; loop { a.push(1); } }");
    assert!(
        what == "built an array larger than 100000 items" || what == "ran too long (more than 1.0 s)",
        "{what}"
    );
    assert_eq!(
        stopped("fn f() { let a = [1]; a.pad(1000000000, 0); }"),
        "built an array larger than 100000 items"
    );
    assert_eq!(
        stopped("fn f() { let a = [[1, 2, 3]]; loop { a += a; } }"),
        "built an array larger than 100000 items"
    );
    // rhai measures a map when maps are merged, not on `m[k] = v`; merging copies, so
    // either the size limit or the clock stops the first, and the clock or the operation
    // count stops the second (at a few hundred thousand entries at most).
    for text in [
        "fn f() { let m = #{}; let i = 0; loop { let n = #{}; n[`k${i}`] = i; m += n; i += 1; } }",
        "fn f() { let m = #{}; let i = 0; loop { m[`k${i}`] = i; i += 1; } }",
    ] {
        let what = stopped(text);
        assert!(
            what == "built an object map larger than 10000 entries" || what.starts_with("ran too long"),
            "{what}"
        );
    }
}

#[test]
fn eval_and_import_do_not_compile() {
    for (text, token) in [
        ("fn f() { eval(\"1\") }", "eval"),
        ("import \"x\" as x;\nfn f() { 1 }", "import"),
    ] {
        let (sources, error) = compile_error(text);
        match error {
            ScriptError::Syntax { span, help, .. } => {
                assert_eq!(sources.slice(span), token, "{text}");
                assert!(help.contains(token), "{help}");
            }
            other => panic!("{text}: {other:?}"),
        }
    }
}

#[test]
fn there_are_no_files_processes_or_environment() {
    for call_text in [
        "open_file(\"/etc/passwd\")",
        "read_file(\"/etc/passwd\")",
        "File::open(\"/etc/passwd\")",
        "env(\"HOME\")",
        "system(\"ls\")",
        "exec(\"ls\")",
        "command(\"ls\")",
        "http_get(\"http://example.com\")",
    ] {
        let text = format!("fn f() {{ {call_text} }}");
        let mut sources = SourceMap::new();
        match Scripts::from_source(&mut sources, "test.rhai", &text) {
            // `File::open` is not even syntax without modules.
            Err(errors) if call_text.contains("::") => {
                assert!(matches!(errors[..], [ScriptError::Syntax { .. }]), "{errors:?}")
            }
            // The others are refused when the script loads, at the call.
            Err(errors) => match &errors[..] {
                [ScriptError::NotAvailable { name, .. }] => assert!(call_text.starts_with(name.as_str())),
                other => panic!("{call_text}: {other:?}"),
            },
            Ok(_) => panic!("{call_text} compiled"),
        }
    }
}

/// A call of a function that neither the script defines nor rhai and rotor provide is
/// refused when the script loads, at the call, with the likely name: before, it failed only
/// on the first bar of a run.
#[test]
fn a_call_of_an_undefined_function_is_refused_when_the_script_loads() {
    let text = "fn helper(x) { x * 2.0 }\nfn f(s) { helpr(s[0]) }\n";
    let (sources, error) = compile_error(text);
    match &error {
        ScriptError::UndefinedFunction { name, span, help } => {
            assert_eq!(name, "helpr");
            assert_eq!(sources.slice(*span), "helpr");
            assert!(help.contains("`helper`"), "{help}");
        }
        other => panic!("{other:?}"),
    }
    let shown = render(&sources, error);
    assert!(shown.contains("rotor::script::undefined_function"), "{shown}");
    assert!(shown.contains("test.rhai:2:11"), "{shown}");
    // What rhai provides (functions, methods, keywords such as `type_of`) and the script's
    // own functions, defined before or after the call, load and run.
    let fine = "fn g(s) {\n\
                    let a = [1, 2];\n\
                    let x = abs(s[0]) + sqrt(4.0) + a.len() + to_float(3) + type_of(s[0]).len();\n\
                    let p = Fn(\"h\");\n\
                    h(x) + p.call(1.0) + later(0.0)\n\
                }\n\
                fn h(x) { x }\n\
                fn later(x) { x }\n";
    let series = view(&[-2.0]);
    let value = run(fine, "g", &[Arg::Series(&series)]).expect("runs");
    // |-2| + √4 + 2 + 3 + len("f64") = 12, then h(12) + 1 + 0.
    assert_eq!(value, 13.0);
}

/// A window below the least a series helper takes is an error that counts bars in words.
#[test]
fn a_window_too_small_is_counted_in_bars() {
    let series = view(&[1.0, 2.0, 3.0]);
    let error = run("fn f(s) { s.mean(0) }", "f", &[Arg::Series(&series)]).expect_err("too small");
    assert!(
        error.to_string().contains("needs a window of at least 1 bar, not 0"),
        "{error}"
    );
    let error = run("fn f(s) { s.stdev(1) }", "f", &[Arg::Series(&series)]).expect_err("too small");
    assert!(
        error.to_string().contains("needs a window of at least 2 bars, not 1"),
        "{error}"
    );
}

#[test]
fn print_and_debug_write_nothing_and_do_not_fail() {
    assert_eq!(
        run("fn f() { print(\"hi\"); debug(\"hi\"); 1 }", "f", &[]).unwrap(),
        1.0
    );
}

// ---------------------------------------------------------------------------------------
// Diagnostics

#[test]
fn syntax_errors_point_at_the_bad_token() {
    // Line 3, after `+`, the `;` is where an expression was expected.
    let (sources, error) = compile_error("// header\nfn f(x) {\n    let y = x + ;\n    y\n}\n");
    match error {
        ScriptError::Syntax { file, span, .. } => {
            assert_eq!(file, "test.rhai");
            assert_eq!(sources.slice(span), ";");
            let source = sources.file_at(span.start).unwrap();
            assert_eq!(source.line_col(span.start), (3, 17));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_misspelt_name_is_found_when_the_script_loads() {
    let (sources, error) = compile_error("fn momentum(prices, n) {\n    pricse[0] / prices[n] - 1.0\n}\n");
    match error {
        ScriptError::Syntax { span, help, .. } => {
            assert_eq!(sources.slice(span), "pricse");
            assert!(help.contains("`pricse`"), "{help}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_runtime_error_points_into_the_script_and_at_the_call() {
    let mut sources = SourceMap::new();
    let strategy_text = "use \"m.rhai\"\nbuy IWO monthly while momentum(IWO, 90) > 0\n";
    let strategy = sources.add("strategy.rotor", None, strategy_text.to_string());
    let call_start = strategy.base as usize + strategy_text.find("momentum").unwrap();
    let call_span = Span::new(call_start, call_start + "momentum(IWO, 90)".len());
    let scripts = Scripts::from_source(
        &mut sources,
        "m.rhai",
        "// divides by zero\nfn momentum(prices, n) {\n    prices.len() / 0\n}\n",
    )
    .unwrap();
    let prices = view(&[1.0, 2.0]);
    let ctx = CallContext { call_span, date: DATE };
    let error = scripts
        .call(0, &[Arg::Series(&prices), Arg::Number(90.0)], &ctx)
        .unwrap_err();
    match &error {
        ScriptError::Runtime {
            function,
            date,
            at,
            call,
            ..
        } => {
            assert_eq!((function.as_str(), date.as_str()), ("momentum", DATE));
            assert_eq!(sources.slice(*at), "/");
            assert_eq!(sources.slice(*call), "momentum(IWO, 90)");
        }
        other => panic!("{other:?}"),
    }
    let text = render(&sources, error);
    assert!(text.contains("rotor::script::runtime"), "{text}");
    assert!(text.contains("`momentum` failed on 2024-03-01"), "{text}");
    assert!(text.contains("m.rhai"), "{text}");
    assert!(text.contains("prices.len() / 0"), "{text}");
    assert!(text.contains("strategy.rotor"), "{text}");
    assert!(text.contains("buy IWO monthly while momentum(IWO, 90) > 0"), "{text}");
    assert!(text.contains("called here on 2024-03-01"), "{text}");
}

#[test]
fn using_a_missing_value_suggests_testing_for_unit() {
    let (sources, scripts) = compile("fn f(s) {\n    s[0] / s[5]\n}\n");
    match scripts.call(0, &[Arg::Series(&view(&[1.0, 2.0]))], &ctx()) {
        Err(ScriptError::Runtime { help, at, .. }) => {
            assert!(help.contains("if x == ()"), "{help}");
            assert_eq!(sources.slice(at), "/");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_error_in_a_helper_names_the_helper() {
    let (sources, scripts) = compile("fn f() { _g(0) }\nfn _g(x) { 1 / x }\n");
    match call(&scripts, "f", &[]) {
        Err(ScriptError::Runtime {
            function, message, at, ..
        }) => {
            assert_eq!(function, "f");
            assert!(message.starts_with("in `_g`: "), "{message}");
            assert_eq!(sources.slice(at), "/");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_missing_file_is_reported_at_the_use() {
    let mut sources = SourceMap::new();
    let strategy = sources.add("s.rotor", None, "use \"nope/missing.rhai\"\n".to_string());
    let use_span = Span::new(strategy.base as usize + 4, strategy.base as usize + 23);
    let path = PathBuf::from("nope/missing.rhai");
    match Scripts::load(&mut sources, &[(path, use_span)])
        .map(|_| ())
        .unwrap_err()
        .as_slice()
    {
        [ScriptError::Read { path, span, .. }] => {
            assert_eq!(path, "nope/missing.rhai");
            assert_eq!(sources.slice(*span), "\"nope/missing.rhai\"");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
#[ignore = "timing; run with `cargo test --release --test script -- --ignored --nocapture`"]
fn cost_per_call() {
    let scripts = load_example("momentum.rhai");
    let prices: Arc<[f64]> = (0..10_000).map(|i| 100.0 + (i as f64).sin()).collect();
    let index = index_of(&scripts, "momentum");
    let calls = prices.len();
    let started = Instant::now();
    let mut total = 0.0;
    for t in 0..calls {
        let v = SeriesView::new(prices.clone(), t);
        let m = scripts
            .call(index, &[Arg::Series(&v), Arg::Number(90.0)], &ctx())
            .unwrap();
        if !m.is_nan() {
            total += m;
        }
    }
    let per_call = started.elapsed() / calls as u32;
    println!("momentum: {per_call:?} per call ({calls} calls, checksum {total})");
}

#[test]
fn every_rhai_block_in_the_scripting_guide_compiles() {
    let guide = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/SCRIPTING.md"))
        .expect("docs/SCRIPTING.md exists");
    let blocks: Vec<&str> = guide
        .split("```rhai\n")
        .skip(1)
        .map(|rest| rest.split("```").next().unwrap_or(""))
        .collect();
    assert!(blocks.len() >= 4, "found {} blocks", blocks.len());
    for block in blocks {
        let mut sources = SourceMap::new();
        if let Err(errors) = Scripts::from_source(&mut sources, "guide.rhai", block) {
            panic!("{block}\n{errors:?}");
        }
    }
}
