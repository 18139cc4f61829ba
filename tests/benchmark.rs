//! Issue 12 item 4: `benchmark SYM` is the same plan as a strategy that buys SYM with every
//! cash flow — each flow invested at the first fill a rule could make after it arrives, with
//! the strategy's costs, share rounding and fill rule — so where the strategy is exactly that
//! plan, both columns are identical.

use rotor::pipeline::{RunOptions, run_file};
use rotor::source::SourceMap;

mod common;

/// Rows of AAA on three weeks from 2024-01-29, with opens and closes that differ and no
/// row on 02-06 (BBB trades that day, so it is a day of the run).
fn prices() -> String {
    let rows = [
        ("2024-01-29", 10.0, 10.5),
        ("2024-01-30", 10.25, 10.0),
        ("2024-01-31", 9.5, 10.0),
        ("2024-02-01", 8.0, 10.0),
        ("2024-02-02", 12.5, 12.5),
        ("2024-02-05", 12.0, 11.75),
        ("2024-02-07", 11.5, 11.0),
        ("2024-02-08", 11.0, 11.25),
        ("2024-02-09", 13.0, 12.5),
        ("2024-02-12", 12.25, 12.75),
        ("2024-02-13", 12.5, 13.0),
    ];
    let mut csv = String::from("date,symbol,open,close\n");
    for (d, o, c) in rows {
        csv.push_str(&format!("{d},AAA,{o},{c}\n{d},BBB,20,20\n"));
        // BBB trades on 02-06 too, so the run has a day on which AAA has no row.
        if d == "2024-02-05" {
            csv.push_str("2024-02-06,BBB,20,20\n");
        }
    }
    csv
}

/// The strategy's equity and the benchmark's, bar by bar.
fn both(settings: &str, rule: &str) -> (Vec<f64>, Vec<f64>, usize) {
    let dir = common::temp_dir("benchmark");
    std::fs::write(dir.join("prices.csv"), prices()).expect("write data");
    let text = format!("data \"prices.csv\"\n{settings}\nbenchmark AAA\n{rule}\nsell all of BBB monthly\n");
    std::fs::write(dir.join("s.rotor"), &text).expect("write strategy");
    let out = run_file(&dir.join("s.rotor"), &RunOptions::default(), &mut SourceMap::new())
        .unwrap_or_else(|f| panic!("{}\n{text}", f.render(false)));
    let b = &out.backtest;
    let bench = b.benchmark.as_ref().expect("a benchmark").1.equity.to_vec();
    (b.run.equity.to_vec(), bench, b.run.trades.len())
}

#[test]
fn buying_the_benchmark_with_every_contribution_is_the_benchmark() {
    // The rule fires on the days the cash arrives and no order is waiting when the next
    // flow arrives (an order resolved at its fill would spend that flow too), so each
    // order spends its own flow.
    let plans = [
        ("capital 0 USD\ncontribute 100 USD monthly", "buy all of AAA monthly"),
        ("capital 1000 USD\ncontribute 100 USD weekly", "buy all of AAA weekly"),
        (
            "capital 500 USD\ncontribute 250 USD every 2 weeks",
            "buy AAA every 2 weeks",
        ),
    ];
    let costs = [
        "",
        "fees 0.1%, 1 USD per trade\nslippage 0.05%",
        "whole shares\nfees 0.5 USD per trade",
    ];
    for (flows, rule) in plans {
        for cost in costs {
            for fill in ["fill next open", "fill close"] {
                let settings = format!("{flows}\n{cost}\n{fill}");
                let (strategy, benchmark, trades) = both(&settings, rule);
                assert!(trades > 1, "{settings}\n{rule}: the plan trades");
                assert_eq!(strategy, benchmark, "{settings}\n{rule}");
            }
        }
    }
}

#[test]
fn a_contribution_is_invested_after_it_arrives_not_at_that_mornings_open() {
    // The hand case of docs/REFERENCE.md: 100 USD on 01-30 buys 10 shares at the 01-31
    // open of 10 (not 10.25: 01-30's open came before the money); the 100 of 02-01 buys 8
    // at the 02-02 open of 12.5, not 12.5 shares at 02-01's open of 8. 18 shares.
    let dir = common::temp_dir("benchmark");
    let csv = "date,symbol,open,close\n2024-01-30,AAA,10,10\n2024-01-31,AAA,10,10\n\
               2024-02-01,AAA,8,10\n2024-02-02,AAA,12.5,12.5\n";
    std::fs::write(dir.join("prices.csv"), csv).expect("write data");
    std::fs::write(
        dir.join("s.rotor"),
        "data \"prices.csv\"\ncapital 0 USD\ncontribute 100 USD monthly\nbenchmark AAA\nbuy AAA once on 2030-01-01\n",
    )
    .expect("write strategy");
    let out = run_file(&dir.join("s.rotor"), &RunOptions::default(), &mut SourceMap::new())
        .unwrap_or_else(|f| panic!("{}", f.render(false)));
    let bench = &out.backtest.benchmark.as_ref().expect("a benchmark").1;
    assert_eq!(bench.equity.to_vec(), [100.0, 100.0, 200.0, 225.0]);
}

/// The strategy's record of a run of `text` on `csv` as `--json` writes it, without the
/// benchmark's part: everything the strategy's own column is made of.
fn strategy_json(csv: &str, text: &str) -> serde_json::Value {
    let dir = common::temp_dir("benchmark");
    std::fs::write(dir.join("prices.csv"), csv).expect("write data");
    std::fs::write(dir.join("s.rotor"), text).expect("write strategy");
    let out = common::rotor(&dir, &["run", "s.rotor", "--json"]);
    assert_eq!(out.code, 0, "{}\n{text}", out.stderr);
    let mut json: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    let map = json.as_object_mut().expect("an object");
    map.remove("benchmark");
    map.remove("strategy");
    json
}

#[test]
fn a_benchmark_with_earlier_prices_does_not_move_the_strategy() {
    // Attack 8b finding 6: SPY from 1993 as the benchmark of an IWO plan (IWO from 2000)
    // started the run in 1993, and contributions piled up as cash for seven years. Here
    // BBB (the benchmark) has rows from Monday 2024-01-01, AAA (traded) from 01-15, on the
    // same weekdays after that: the run starts on 01-15 either way, and with the
    // benchmark the strategy's figures, trades and curve are those without it.
    let mut csv = String::from("date,symbol,close\n");
    let first = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).expect("a date");
    let weekdays = (0..70)
        .map(|i| first + chrono::Duration::days(i))
        .filter(|d| chrono::Datelike::weekday(d).number_from_monday() <= 5);
    for (i, d) in weekdays.enumerate() {
        csv.push_str(&format!("{d},BBB,{}\n", 50.0 + (i % 7) as f64));
        if d >= chrono::NaiveDate::from_ymd_opt(2024, 1, 15).expect("a date") {
            csv.push_str(&format!("{d},AAA,{}\n", 10.0 + (i % 7) as f64 * 0.5));
        }
    }
    let plan = "capital 1000 USD\ncontribute 100 USD weekly\nbuy all of AAA weekly\n";
    let alone = strategy_json(&csv, &format!("data \"prices.csv\"\n{plan}"));
    let with = strategy_json(&csv, &format!("data \"prices.csv\"\nbenchmark BBB\n{plan}"));
    assert_eq!(alone["metrics"]["start"], "2024-01-15", "{alone}");
    for key in ["metrics", "trades", "equity", "activity", "costs"] {
        assert_eq!(alone[key], with[key], "{key}");
    }
    // A `from` before the strategy's prices says when they start.
    let text = format!("data \"prices.csv\"\nbenchmark BBB\nfrom 2024-01-02\n{plan}");
    let dir = common::temp_dir("benchmark");
    std::fs::write(dir.join("prices.csv"), &csv).expect("write data");
    std::fs::write(dir.join("s.rotor"), &text).expect("write strategy");
    let out = common::rotor(&dir, &["run", "s.rotor"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("2024-01-15"), "{}", out.stdout);
}
