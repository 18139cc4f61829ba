//! `rotor sweep`: grids, ranking, determinism, shards and merge, train/test and walk-forward,
//! checked against single `rotor run --set … --json` runs of the real binary.

mod common;

use std::path::{Path, PathBuf};

use common::{root, rotor};
use serde_json::Value;

/// A folder of its own for each test.
fn tempdir(name: &str) -> PathBuf {
    common::temp_dir(&format!("sweep-{name}"))
}

/// A strategy over the engine fixtures (copied next to it: a strategy reads only its own
/// folder) with two parameters, `sym` and `threshold`.
fn fixture_strategy(dir: &Path) -> PathBuf {
    let fixtures = root().join("tests/fixtures/engine");
    for name in ["prices.csv", "macro.csv"] {
        std::fs::copy(fixtures.join(name), dir.join(name)).expect("fixture copied");
    }
    let text = "data \"prices.csv\"\ndata \"macro.csv\"\nlet sym = AAA\nlet threshold = 0.8\ncontribute 100 USD monthly\nfill close\nbuy sym monthly while signal > threshold\n";
    let path = dir.join("s.rotor");
    std::fs::write(&path, text).expect("temp file writable");
    path
}

/// The SMA strategy of the brief, on the bundled data.
fn sma_strategy(dir: &Path) -> PathBuf {
    let path = dir.join("sma.rotor");
    std::fs::write(
        &path,
        "let sym = IWM\nlet window = 50\nbuy sym daily while close(sym) > sma(sym, window)\n",
    )
    .expect("temp file writable");
    path
}

const FIXTURE_GRID: [&str; 4] = ["--vary", "sym=AAA,BBB,CCC", "--vary", "threshold=0.1:0.9:0.4"];

fn sweep_json(dir: &Path, args: &[&str]) -> Value {
    let mut all = vec!["sweep"];
    all.extend_from_slice(args);
    all.push("--json");
    let out = rotor(dir, &all);
    assert_eq!(out.code, 0, "{}", out.stderr);
    serde_json::from_str(&out.stdout).expect("valid JSON")
}

/// A JSON number, or NaN for `null`.
fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or(f64::NAN)
}

fn same(a: f64, b: f64) -> bool {
    (a.is_nan() && b.is_nan()) || a == b
}

fn indices(v: &Value) -> Vec<u64> {
    v["variants"]
        .as_array()
        .expect("variants")
        .iter()
        .map(|o| o["index"].as_u64().expect("an index"))
        .collect()
}

/// The `--set` arguments of a variant in the JSON.
fn sets(variant: &Value) -> Vec<String> {
    variant["parameters"]
        .as_array()
        .expect("parameters")
        .iter()
        .map(|p| format!("{}={}", p[0].as_str().expect("name"), p[1].as_str().expect("value")))
        .collect()
}

/// `rotor run FILE --set … --json [extra]` for a sweep variant.
fn single_run(dir: &Path, file: &str, variant: &Value, extra: &[&str]) -> Value {
    let sets = sets(variant);
    let mut args = vec!["run", file, "--json"];
    for s in &sets {
        args.push("--set");
        args.push(s);
    }
    args.extend_from_slice(extra);
    let out = rotor(dir, &args);
    assert_eq!(out.code, 0, "{}", out.stderr);
    serde_json::from_str(&out.stdout).expect("valid JSON")
}

/// The sweep's figures for a variant equal those of a single run with the same values.
fn assert_matches_run(variant: &Value, run: &Value) {
    let m = &run["metrics"];
    let pairs = [
        ("final_value", num(&m["final_value"])),
        ("cagr", num(&m["cagr"])),
        ("xirr", num(&m["xirr"])),
        ("sharpe", num(&m["sharpe"])),
        ("max_drawdown", num(&m["max_drawdown"]["depth"])),
        ("trades", num(&run["activity"]["trades"])),
    ];
    for (field, expected) in pairs {
        assert!(
            same(num(&variant[field]), expected),
            "{field} of {variant}: sweep {} vs run {expected}",
            variant[field]
        );
    }
}

#[test]
fn every_variant_equals_a_single_run_with_the_same_sets() {
    let dir = tempdir("equal");
    fixture_strategy(&dir);
    let v = sweep_json(&dir, &[&["s.rotor"], &FIXTURE_GRID[..]].concat());
    let variants = v["variants"].as_array().expect("variants");
    assert_eq!(v["grid_size"], 9);
    assert_eq!(variants.len(), 9);
    let mut seen: Vec<u64> = indices(&v);
    seen.sort_unstable();
    assert_eq!(seen, (0..9).collect::<Vec<_>>());
    for variant in variants {
        assert_matches_run(variant, &single_run(&dir, "s.rotor", variant, &[]));
    }
    // Index 5 is the 6th of sym-major order: BBB (second sym) with 0.9 (third threshold).
    let five = variants.iter().find(|o| o["index"] == 5).expect("variant 5");
    assert_eq!(sets(five), ["sym=BBB", "threshold=0.9"]);
}

#[test]
fn variants_are_sorted_best_first_for_each_metric() {
    let dir = tempdir("sorted");
    fixture_strategy(&dir);
    for (metric, field, higher_is_better) in [
        ("sharpe", "sharpe", true),
        ("cagr", "cagr", true),
        ("xirr", "xirr", true),
        ("final", "final_value", true),
        ("max_drawdown", "max_drawdown", false),
    ] {
        let v = sweep_json(&dir, &[&["s.rotor", "--metric", metric], &FIXTURE_GRID[..]].concat());
        let variants = v["variants"].as_array().expect("variants");
        for pair in variants.windows(2) {
            let (a, b) = (num(&pair[0][field]), num(&pair[1][field]));
            let (ia, ib) = (pair[0]["index"].as_u64(), pair[1]["index"].as_u64());
            let ordered = match (a.is_nan(), b.is_nan()) {
                (_, true) => true,
                (true, false) => false,
                _ if a == b => ia < ib,
                _ => (a > b) == higher_is_better,
            };
            assert!(ordered, "{metric}: {} before {}", pair[0], pair[1]);
        }
    }
}

#[test]
fn output_does_not_depend_on_the_number_of_workers() {
    let dir = tempdir("jobs");
    fixture_strategy(&dir);
    for extra in [&[][..], &["--json"][..]] {
        let run = |jobs: &str| {
            let out = rotor(
                &dir,
                &[&["sweep", "s.rotor", "--jobs", jobs], &FIXTURE_GRID[..], extra].concat(),
            );
            assert_eq!(out.code, 0, "{}", out.stderr);
            out.stdout
        };
        assert_eq!(run("1"), run("2"));
    }
}

#[test]
fn the_text_table_lists_every_variant_in_rank_order() {
    let dir = tempdir("table");
    fixture_strategy(&dir);
    let out = rotor(&dir, &[&["sweep", "s.rotor"], &FIXTURE_GRID[..]].concat());
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v = sweep_json(&dir, &[&["s.rotor"], &FIXTURE_GRID[..]].concat());
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert!(
        lines[0].starts_with("Sweep of s.rotor: 9 variants, best sharpe first"),
        "{}",
        out.stdout
    );
    assert!(lines[1].contains("sym") && lines[1].contains("threshold") && lines[1].contains("Sharpe"));
    let rows: Vec<Vec<&str>> = lines[2..].iter().map(|l| l.split_whitespace().collect()).collect();
    assert_eq!(rows.len(), 9, "{}", out.stdout);
    for (rank, (row, index)) in rows.iter().zip(indices(&v)).enumerate() {
        assert_eq!(row[0], (rank + 1).to_string());
        assert_eq!(row[1], index.to_string());
    }
}

#[test]
fn csv_holds_every_variant() {
    let dir = tempdir("csv");
    fixture_strategy(&dir);
    let out = rotor(
        &dir,
        &[&["sweep", "s.rotor", "--csv", "all.csv"], &FIXTURE_GRID[..]].concat(),
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let csv = std::fs::read_to_string(dir.join("all.csv")).expect("the CSV was written");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "rank,index,sym,threshold,final_value,cagr,xirr,sharpe,max_drawdown,trades"
    );
    assert_eq!(lines.len(), 10);
}

#[test]
fn shards_partition_the_grid_and_merge_into_the_full_run() {
    let dir = tempdir("shards");
    fixture_strategy(&dir);
    let full = rotor(&dir, &[&["sweep", "s.rotor", "--json"], &FIXTURE_GRID[..]].concat());
    assert_eq!(full.code, 0, "{}", full.stderr);
    let mut files = Vec::new();
    for k in 1..=4 {
        let spec = format!("{k}/4");
        let v = sweep_json(&dir, &[&["s.rotor", "--shard", &spec], &FIXTURE_GRID[..]].concat());
        let mut got = indices(&v);
        got.sort_unstable();
        let expected: Vec<u64> = (0..9).filter(|i| i % 4 == k - 1).collect();
        assert_eq!(got, expected, "shard {spec}");
        assert_eq!(v["shard"], spec.as_str());
        let name = format!("shard{k}.json");
        std::fs::write(dir.join(&name), v.to_string()).expect("writable");
        files.push(name);
    }
    let mut args = vec!["sweep", "s.rotor", "--json", "--merge"];
    args.extend(files.iter().map(String::as_str));
    let merged = rotor(&dir, &args);
    assert_eq!(merged.code, 0, "{}", merged.stderr);
    assert_eq!(merged.stdout, full.stdout, "merged shards equal the full sweep");

    let gaps = rotor(
        &dir,
        &[
            "sweep",
            "s.rotor",
            "--merge",
            "shard1.json",
            "shard2.json",
            "shard2.json",
        ],
    );
    assert_eq!(gaps.code, 1);
    assert!(gaps.stderr.contains("rotor::sweep::coverage"), "{}", gaps.stderr);
    // Shard 3/4 holds 2 and 6, shard 4/4 holds 3 and 7; shard 2/4 (1, 5) came twice.
    assert!(gaps.stderr.contains("missing #2, #3, #6, #7"), "{}", gaps.stderr);
    assert!(gaps.stderr.contains("more than once #1, #5"), "{}", gaps.stderr);
}

#[test]
fn invalid_grids_are_diagnostics_with_help() {
    let dir = tempdir("invalid");
    fixture_strategy(&dir);
    let cases: [(&[&str], &str, &str); 8] = [
        // Too many values is not an empty range, and its help is not about FROM ≤ TO.
        (
            &["--vary", "threshold=0.1:0.9:0.0000001"],
            "rotor::sweep::too_many_variants",
            "`--vary threshold=0.1:0.9:0.0000001` has more than a million values",
        ),
        (
            &["--vary", "threshold=0:1:0.001", "--vary", "sym=0:1:0.001"],
            "rotor::sweep::too_many_variants",
            "at most 1,000,000 variants: take a larger step or fewer values",
        ),
        (
            &["--vary", "threshold=0.9:0.1:0.1"],
            "rotor::sweep::empty_range",
            "FROM is above TO",
        ),
        (
            &["--vary", "threshold=0.1:0.9:0"],
            "rotor::sweep::empty_range",
            "step is not above 0",
        ),
        (
            &["--vary", "treshold=0.1,0.2"],
            "rotor::sweep::unknown_parameter",
            "did you mean `threshold`?",
        ),
        (
            &["--vary", "threshold"],
            "rotor::sweep::bad_vary",
            "--vary NAME=FROM:TO:STEP",
        ),
        (
            &["--vary", "sym=AAA", "--shard", "3/2"],
            "rotor::sweep::bad_shard",
            "1 ≤ K ≤ N",
        ),
        (
            &["--vary", "sym=AAA,ZZZ"],
            "variant #1 (sym=ZZZ) failed",
            "unknown series or symbol `ZZZ`",
        ),
    ];
    for (args, code, text) in cases {
        let out = rotor(&dir, &[&["sweep", "s.rotor"], args].concat());
        assert_eq!(out.code, 1, "{args:?}");
        assert!(out.stderr.contains(code), "{args:?}: {}", out.stderr);
        assert!(out.stderr.contains(text), "{args:?}: {}", out.stderr);
        assert!(out.stdout.is_empty(), "{args:?}");
    }
}

#[test]
fn train_test_picks_the_in_sample_best_and_reports_it_out_of_sample() {
    let dir = tempdir("train");
    sma_strategy(&dir);
    let (train, test) = ("2005-01-01..2014-12-31", "2015-01-01..2025-12-31");
    let v = sweep_json(
        &dir,
        &[
            "sma.rotor",
            "--vary",
            "window=20:100:40",
            "--vary",
            "sym=IWM,SPY",
            "--train",
            train,
            "--test",
            test,
        ],
    );
    let ranking = v["ranking"].as_array().expect("ranking");
    assert_eq!(ranking.len(), 6);
    let best = ranking
        .iter()
        .map(|o| num(&o["sharpe"]))
        .fold(f64::NEG_INFINITY, f64::max);
    assert_eq!(
        num(&v["in_sample"]["sharpe"]),
        best,
        "the winner has the best in-sample Sharpe"
    );
    assert_eq!(v["in_sample"]["index"], ranking[0]["index"]);
    let in_sample = single_run(
        &dir,
        "sma.rotor",
        &v["in_sample"],
        &["--from", "2005-01-01", "--to", "2014-12-31"],
    );
    assert_matches_run(&v["in_sample"], &in_sample);
    let out_of_sample = single_run(
        &dir,
        "sma.rotor",
        &v["in_sample"],
        &["--from", "2015-01-01", "--to", "2025-12-31"],
    );
    assert_matches_run(&v["out_of_sample"], &out_of_sample);
}

#[test]
fn walk_forward_trains_on_each_window_and_tests_on_the_next() {
    let dir = tempdir("walk");
    sma_strategy(&dir);
    let grid = ["--vary", "window=20:100:40", "--vary", "sym=IWM,SPY"];
    let v = sweep_json(&dir, &[&["sma.rotor", "--walk-forward", "3"], &grid[..]].concat());
    let windows = v["windows"].as_array().expect("windows");
    assert_eq!(windows.len(), 2, "3 windows give 2 train/test steps");
    let mut out_of_sample = Vec::new();
    for (i, w) in windows.iter().enumerate() {
        let (from, to) = (
            w["train"]["from"].as_str().expect("date"),
            w["train"]["to"].as_str().expect("date"),
        );
        if i > 0 {
            assert_eq!(w["train"], windows[i - 1]["test"], "windows are consecutive");
        }
        // The winner is the best of a plain sweep over the training window.
        let plain = sweep_json(&dir, &[&["sma.rotor", "--from", from, "--to", to], &grid[..]].concat());
        assert_eq!(w["in_sample"]["index"], plain["variants"][0]["index"], "step {i}");
        let test = single_run(
            &dir,
            "sma.rotor",
            &w["in_sample"],
            &[
                "--from",
                w["test"]["from"].as_str().expect("date"),
                "--to",
                w["test"]["to"].as_str().expect("date"),
            ],
        );
        assert_matches_run(&w["out_of_sample"], &test);
        out_of_sample.push(num(&w["out_of_sample"]["sharpe"]));
    }
    let mean = out_of_sample.iter().sum::<f64>() / out_of_sample.len() as f64;
    assert!((num(&v["mean_out_of_sample"]) - mean).abs() < 1e-12);
}

/// A sweep ranks by a lean pass over each run's curve (report/ranked.rs), not the full
/// report's: on strategies of every kind — contributions, a base currency with interest,
/// taxes, rotation, exits, a benchmark — each figure it ranks by equals the full report's
/// to the bit (JSON numbers are written exactly).
#[test]
fn ranked_figures_equal_the_full_report_on_strategies_of_every_kind() {
    for file in [
        "strategies/rate_cut_dca.rotor",
        "strategies/krw_investor.rotor",
        "strategies/tax_korea_listed.rotor",
        "strategies/rotation_momentum.rotor",
        "strategies/cookbook/swing_stop_target.rotor",
        "strategies/cookbook/bill_rate_filter.rotor",
        "benches/trend.rotor",
    ] {
        let v = sweep_json(root(), &[file]);
        let variants = v["variants"].as_array().expect("variants");
        assert_eq!(variants.len(), 1, "{file}: one variant, as written");
        let run = single_run(root(), file, &variants[0], &[]);
        assert_matches_run(&variants[0], &run);
    }
}

/// Counts read as English: one variant is "1 variant".
#[test]
fn a_sweep_of_one_variant_says_variant() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rotor"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["sweep", "strategies/rate_cut_dca.rotor", "--vary", "threshold=0.8"])
        .output()
        .expect("rotor runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains(": 1 variant, best"), "{stdout}");
}

/// Walk-forward over two windows has one train/test step, and says so in the singular.
#[test]
fn a_walk_forward_of_one_step_says_step() {
    let dir = tempdir("walk-one");
    sma_strategy(&dir);
    let out = rotor(
        &dir,
        &["sweep", "sma.rotor", "--walk-forward", "2", "--vary", "window=20,50"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains(": 2 windows, 1 train/test step, by"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains(" of 1 step "), "{}", out.stdout);
}

/// A `--vary` list splits at its top-level commas only: a value is anything a `let`
/// takes, a call with its own commas included.
#[test]
fn a_vary_list_keeps_the_commas_inside_a_call() {
    let dir = tempdir("vary-calls");
    std::fs::write(
        dir.join("v.rotor"),
        "let level = close(IWM)\nbuy IWM monthly while close(IWM) >= level\n",
    )
    .expect("temp file writable");
    let v = sweep_json(&dir, &["v.rotor", "--vary", "level=atr(IWM, 5),close(IWM)"]);
    let variants = v["variants"].as_array().expect("variants");
    assert_eq!(variants.len(), 2, "{v}");
    let mut values: Vec<String> = variants.iter().flat_map(sets).collect();
    values.sort();
    assert_eq!(values, ["level=atr(IWM, 5)", "level=close(IWM)"]);
}

#[test]
fn a_walk_forward_step_whose_training_ranked_nothing_says_so() {
    // On the bundled sample, rate_cut_dca buys only while fed_cut_prob > threshold. In
    // some training windows no variant buys: every Sharpe is undefined (a flat curve), the
    // "best" is merely the grid's first variant, and its figure out of sample used to stand
    // in the table and the mean like a pick, with only a `-` beside it.
    let args = [
        "sweep",
        "strategies/rate_cut_dca.rotor",
        "--vary",
        "threshold=0.5:0.9:0.1",
        "--walk-forward",
        "5",
    ];
    let json = rotor(root(), &[&args[..], &["--json"]].concat());
    assert_eq!(json.code, 0, "{}", json.stderr);
    let v: Value = serde_json::from_str(&json.stdout).expect("json");
    let unranked: Vec<String> = (v["windows"].as_array().expect("windows").iter().enumerate())
        .filter(|(_, w)| w["in_sample"]["sharpe"].is_null())
        .map(|(i, w)| {
            assert_eq!(w["in_sample"]["index"], 0, "the first variant stands in");
            (i + 1).to_string()
        })
        .collect();
    assert!(!unranked.is_empty(), "the case this test is about: {}", json.stdout);
    let text = rotor(root(), &args);
    assert_eq!(text.code, 0, "{}", text.stderr);
    let flat = text.stdout.split_whitespace().collect::<Vec<_>>().join(" ");
    let steps = if unranked.len() == 1 { "Step" } else { "Steps" };
    let note = format!(
        "{steps} {}: no variant has a sharpe in the training window, so none was picked",
        unranked.join(", ")
    );
    assert!(flat.contains(&note), "{note}\n{}", text.stdout);
    // Where every step ranked its variants, nothing is said.
    let dir = tempdir("walk-ranked");
    sma_strategy(&dir);
    let out = rotor(
        &dir,
        &[
            "sweep",
            "sma.rotor",
            "--walk-forward",
            "3",
            "--vary",
            "window=20:100:40",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        !out.stdout.contains("no variant has a sharpe in the training window"),
        "{}",
        out.stdout
    );
}

#[test]
fn the_walk_forward_mean_leaves_out_steps_that_picked_nothing() {
    // rate_cut_dca over four windows (the attack's case): step 2's training window ranked
    // nothing, so its figure out of sample, the only one there is, is of the grid's first
    // variant, which nothing picked. The mean is over the steps that picked a variant and
    // have the figure out of sample: worked out here from each window's figures, none
    // qualifies, so there is no mean, and the headline says which step was left out.
    let args = [
        "sweep",
        "strategies/rate_cut_dca.rotor",
        "--vary",
        "threshold=0.5:0.9:0.1",
        "--walk-forward",
        "4",
    ];
    let json = rotor(root(), &[&args[..], &["--json"]].concat());
    assert_eq!(json.code, 0, "{}", json.stderr);
    let v: Value = serde_json::from_str(&json.stdout).expect("json");
    let windows = v["windows"].as_array().expect("windows");
    let picked: Vec<f64> = (windows.iter())
        .filter(|w| !w["in_sample"]["sharpe"].is_null())
        .filter_map(|w| w["out_of_sample"]["sharpe"].as_f64())
        .collect();
    let unpicked_with_figure: Vec<usize> = (windows.iter().enumerate())
        .filter(|(_, w)| w["in_sample"]["sharpe"].is_null() && !w["out_of_sample"]["sharpe"].is_null())
        .map(|(i, _)| i + 1)
        .collect();
    assert!(
        !unpicked_with_figure.is_empty(),
        "the case this test is about: {}",
        json.stdout
    );
    let mean = (!picked.is_empty()).then(|| picked.iter().sum::<f64>() / picked.len() as f64);
    assert_eq!(v["mean_out_of_sample"].as_f64(), mean, "{}", json.stdout);
    // The JSON explains itself as the text does: each window says whether it was picked,
    // the mean names the steps it averages, and the text's notes are there.
    for w in windows {
        assert_eq!(w["picked"].as_bool(), Some(!w["in_sample"]["sharpe"].is_null()), "{w}");
    }
    let averaged: Vec<u64> = (windows.iter().enumerate())
        .filter(|(_, w)| !w["in_sample"]["sharpe"].is_null() && !w["out_of_sample"]["sharpe"].is_null())
        .map(|(i, _)| i as u64 + 1)
        .collect();
    let named: Vec<u64> = (v["mean_of_steps"].as_array().expect("mean_of_steps").iter())
        .filter_map(|s| s.as_u64())
        .collect();
    assert_eq!(named, averaged, "{}", json.stdout);
    let notes: Vec<&str> = (v["notes"].as_array().expect("notes").iter())
        .filter_map(|n| n.as_str())
        .collect();
    assert!(notes.len() >= unpicked_with_figure.len(), "{}", json.stdout);
    let text = rotor(root(), &args);
    assert_eq!(text.code, 0, "{}", text.stderr);
    for note in &notes {
        assert!(text.stdout.contains(note), "{note}: {}", text.stdout);
    }
    let flat = text.stdout.split_whitespace().collect::<Vec<_>>().join(" ");
    let steps: Vec<String> = unpicked_with_figure.iter().map(|s| s.to_string()).collect();
    let step = if steps.len() == 1 { "step" } else { "steps" };
    assert!(
        flat.contains(&format!("{step} {} left out:", steps.join(", "))),
        "{}",
        text.stdout
    );
    // Every picked variant without a figure out of sample says why.
    for (i, w) in windows.iter().enumerate() {
        if !w["in_sample"]["sharpe"].is_null() && w["out_of_sample"]["sharpe"].is_null() {
            assert!(
                flat.contains(&format!("Step {}: ", i + 1)) && flat.contains("has no sharpe out of sample"),
                "step {}: {}",
                i + 1,
                text.stdout
            );
        }
    }
}

#[test]
fn a_sweep_says_what_check_says_of_the_file_as_written() {
    // fed_cut_prob is a fraction (0.002 to 0.977 in the bundled sample): 80 was meant as
    // 0.8. `rotor run` and `rotor check` warn; a sweep of the same file ranked its
    // variants without a word.
    let dir = tempdir("warned");
    std::fs::write(
        dir.join("s.rotor"),
        "let t = 80\nbuy IWO monthly while fed_cut_prob > t\n",
    )
    .expect("writable");
    let out = rotor(&dir, &["sweep", "s.rotor", "--vary", "t=70,80"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("rotor::run::never_true"), "{}", out.stderr);
    assert!(out.stderr.contains("`fed_cut_prob > 80` never holds"), "{}", out.stderr);
    // As a fraction, nothing to say.
    std::fs::write(
        dir.join("s.rotor"),
        "let t = 0.8\nbuy IWO monthly while fed_cut_prob > t\n",
    )
    .expect("writable");
    let out = rotor(&dir, &["sweep", "s.rotor", "--vary", "t=0.7,0.8"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(!out.stderr.contains("never_true"), "{}", out.stderr);
}

#[test]
fn a_walk_forward_pick_among_equals_says_so() {
    // By final value, rate_cut_dca's thresholds all end alike in a training window where
    // none of them buys: the "best" is the grid's first of the equals, which is no choice.
    let args = [
        "sweep",
        "strategies/rate_cut_dca.rotor",
        "--vary",
        "threshold=0.5:0.9:0.1",
        "--walk-forward",
        "4",
        "--metric",
        "final",
    ];
    let json = rotor(root(), &[&args[..], &["--json"]].concat());
    assert_eq!(json.code, 0, "{}", json.stderr);
    let v: Value = serde_json::from_str(&json.stdout).expect("json");
    let notes: Vec<&str> = (v["notes"].as_array().expect("notes").iter())
        .filter_map(|n| n.as_str())
        .collect();
    let mut tied_steps = 0;
    for (i, w) in v["windows"].as_array().expect("windows").iter().enumerate() {
        // Each training window swept on its own: how many variants share the best final.
        let (from, to) = (
            w["train"]["from"].as_str().expect("from"),
            w["train"]["to"].as_str().expect("to"),
        );
        let alone = rotor(
            root(),
            &[
                "sweep",
                "strategies/rate_cut_dca.rotor",
                "--vary",
                "threshold=0.5:0.9:0.1",
                "--from",
                from,
                "--to",
                to,
                "--metric",
                "final",
                "--json",
            ],
        );
        assert_eq!(alone.code, 0, "{}", alone.stderr);
        let a: Value = serde_json::from_str(&alone.stdout).expect("json");
        let finals: Vec<f64> = (a["variants"].as_array().expect("variants").iter())
            .map(|x| x["final_value"].as_f64().expect("a final value"))
            .collect();
        let best = finals.iter().copied().fold(f64::MIN, f64::max);
        let tied = finals.iter().filter(|&&f| f == best).count();
        let note = format!("Step {}: {tied} variants tie on final in the training window", i + 1);
        if tied > 1 {
            tied_steps += 1;
            assert!(notes.iter().any(|n| n.starts_with(&note)), "{note}: {notes:?}");
        } else {
            assert!(
                !notes
                    .iter()
                    .any(|n| n.starts_with(&format!("Step {}: ", i + 1)) && n.contains("tie")),
                "{notes:?}"
            );
        }
    }
    assert!(tied_steps > 0, "the case this test is about: {notes:?}");
}

#[test]
fn a_sweep_warns_once_per_warning_only_its_variants_get() {
    // The file as written compares with 0.8, which the bundled fed_cut_prob (0.002 to 0.977)
    // crosses: nothing to say of it. The value 80 given only in --vary never holds: the
    // sweep says so once, naming the two variants (one per symbol) that get it.
    let dir = tempdir("variant-warned");
    std::fs::write(
        dir.join("s.rotor"),
        "let sym = IWO\nlet t = 0.8\nbuy sym monthly while fed_cut_prob > t\n",
    )
    .expect("writable");
    let out = rotor(
        &dir,
        &["sweep", "s.rotor", "--vary", "t=0.8,80", "--vary", "sym=IWO,IWN"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let said = common::flat(&out.stderr);
    assert_eq!(said.matches("rotor::run::never_true").count(), 1, "{said}");
    assert!(said.contains("`fed_cut_prob > 80` never holds"), "{said}");
    assert!(said.contains("in 2 variants: t=80 sym=IWO; t=80 sym=IWN"), "{said}");
    // Without the value, nothing is said.
    let out = rotor(
        &dir,
        &["sweep", "s.rotor", "--vary", "t=0.7,0.8", "--vary", "sym=IWO,IWN"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(!out.stderr.contains("never_true"), "{}", out.stderr);
    // A Korean listing given only in --vary (in backticks: its code is a number) is priced
    // in won; `rotor check` warns of it in a file that names it, and so does the sweep,
    // once, for the variant that trades it.
    let dir = tempdir("variant-korean");
    common::copy_fixtures("calendar", &dir);
    std::fs::write(
        dir.join("s.rotor"),
        "data \"calendar/krx\"\ndata \"calendar/nyse\"\nlet sym = AAA\ncapital 1000 USD\nfill close\n\
         buy 100 USD of sym monthly on last trading day\n",
    )
    .expect("writable");
    let out = rotor(&dir, &["sweep", "s.rotor", "--vary", "sym=AAA,`360750`"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let said = common::flat(&out.stderr);
    assert_eq!(said.matches("rotor::run::price_currency").count(), 1, "{said}");
    assert!(said.contains("in 1 variant: sym=`360750`"), "{said}");
    let out = rotor(&dir, &["sweep", "s.rotor", "--vary", "sym=AAA"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(!out.stderr.contains("price_currency"), "{}", out.stderr);
}

#[test]
fn a_sweep_in_won_with_a_tax_rule_says_what_it_ranks_on() {
    // Each variant's run folds its figures in USD, with the tax paid during the run (a
    // `korea-listed` withholding, `tax korea`'s May payments) but not the tax due at the
    // end: the strategy's KRW and after-tax figures are not what the table ranks, and the
    // sweep says so.
    let dir = tempdir("krw-tax");
    common::copy_fixtures("money", &dir);
    std::fs::write(
        dir.join("s.rotor"),
        "data \"money/prices.csv\"\ndata \"money/macro.csv\"\nfill close\ncurrency KRW using krw\ntax korea\n\
         capital 10000 USD\nlet sym = AAA\nbuy sym once on 2024-03-04\nsell sym once on 2024-09-02\n",
    )
    .expect("writable");
    let said = "the variants are ranked on their figures in USD before the tax due at the end (tax paid \
                or withheld during the run is taken), not in KRW or after tax";
    let out = rotor(&dir, &["sweep", "s.rotor", "--vary", "sym=AAA,BBB"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains(&format!("\nNote: {said}")), "{}", out.stdout);
    let json = sweep_json(&dir, &["s.rotor", "--vary", "sym=AAA,BBB"]);
    assert!(json["notes"][0].as_str().is_some_and(|n| n.starts_with(said)), "{json}");
    // In USD without a tax rule there is nothing to say, and no `notes` key.
    let dir = tempdir("usd");
    let json = sweep_json(
        &dir,
        &[fixture_strategy(&dir).to_str().expect("utf-8"), "--vary", "sym=AAA,BBB"],
    );
    assert!(json.get("notes").is_none(), "{json}");
}

#[test]
fn variants_whose_contributions_waited_for_a_rate_are_warned_about() {
    // tests/fixtures/krw_hole (tests/money.rs describes it): with `stale usdkrw after 5
    // days` March's won contribution finds no rate on its day (03-06) and is credited on
    // 03-20, in every variant; without the `stale` line nothing waits and nothing is said.
    let body = "data \"krw_hole/prices.csv\"\ndata \"krw_hole/macro.csv\"\ncurrency KRW using usdkrw\n\
                stale usdkrw after 5 days\nfill close\ncapital 1000000 KRW\ncontribute 1000000 KRW monthly\n\
                let n = 1\nbuy AAA weekly while n > 0\n";
    let dir = common::strategy_with_fixtures("krw_hole", body);
    let out = common::rotor(&dir, &["sweep", "s.rotor", "--vary", "n=1,2"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let said = common::flat(&out.stderr);
    assert!(
        said.contains(
            "1 contribution credited late for want of a usable `usdkrw`: the money did not all go in when the plan \
             says — in 2 variants: n=1; n=2"
        ),
        "{said}"
    );
    std::fs::write(dir.join("s.rotor"), body.replace("stale usdkrw after 5 days\n", "")).expect("writable");
    let out = common::rotor(&dir, &["sweep", "s.rotor", "--vary", "n=1,2"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(!out.stderr.contains("contributions_without_rate"), "{}", out.stderr);
}

/// `--jobs 100000` started a thread for each and ran for ever on 3 variants; the workers
/// are now at most the cores and the variants, and a number above the cores is noted.
#[cfg(target_os = "linux")]
#[test]
fn an_absurd_number_of_jobs_runs_on_the_cores_there_are() {
    let dir = tempdir("many-jobs");
    fixture_strategy(&dir);
    let args = ["sweep", "s.rotor", "--jobs", "100000", "--vary", "sym=AAA,BBB,CCC"];
    let out = common::rotor_bounded(&dir, &args, std::time::Duration::from_secs(60))
        .expect("`sweep --jobs 100000` still running after 60 s")
        .run;
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains("note: --jobs 100000 is more than the"),
        "{}",
        out.stderr
    );
    let one = rotor(&dir, &["sweep", "s.rotor", "--jobs", "1", "--vary", "sym=AAA,BBB,CCC"]);
    assert_eq!(out.stdout, one.stdout);
}
