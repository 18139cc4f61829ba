//! `data "FILE" as series NAME` (issue 18 item 6): a `Date,Close` (or `Date,Value`) file
//! of a rate or an index level, read as a series: no price checks (0 and negative values
//! allowed), usable in expressions, not tradable.
//!
//! tests/fixtures/series_file/: irx.csv (a Yahoo-style `^IRX` export: 0.5 on 2024-01-01,
//! 0 on 02-01, −0.1 on 03-01, 1.5 on 04-01), level.csv (`Date,Value`), and the engine
//! fixture's prices (AAA closes 10 … 17, table in tests/engine.rs).

mod common;

fn run_in(body: &str, command: &str) -> common::Run {
    let dir = common::temp_dir("series-file");
    common::copy_fixtures("series_file", &dir);
    let text = format!("data \"series_file/prices.csv\"\n{body}\n");
    std::fs::write(dir.join("s.rotor"), text).expect("writable");
    common::rotor(&dir, &[command, "s.rotor"])
}

#[test]
fn a_rate_with_zero_and_negative_values_is_read_as_a_series() {
    // Buys 100 USD of AAA at each month's first close while the rate is at most 0: on
    // 02-01 (0, at 12) and 03-01 (−0.1, at 15), not on 01-02 (0.5) nor 04-01 (1.5).
    let dir = common::temp_dir("series-file");
    common::copy_fixtures("series_file", &dir);
    let text = "data \"series_file/prices.csv\"\ndata \"series_file/irx.csv\" as series irx\n\
                capital 1000 USD\nfill close\nbuy 100 USD of AAA monthly if irx <= 0\n";
    std::fs::write(dir.join("s.rotor"), text).expect("writable");
    let out = common::rotor(&dir, &["run", "s.rotor", "--json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    let trades = json["trades"].as_array().expect("trades");
    let dates: Vec<&str> = trades.iter().map(|t| t["date"].as_str().expect("a date")).collect();
    assert_eq!(dates, ["2024-02-01", "2024-03-01"]);
    let shares: f64 = trades.iter().map(|t| t["shares"].as_f64().expect("shares")).sum();
    assert!((shares - (100.0 / 12.0 + 100.0 / 15.0)).abs() < 1e-9, "{shares}");
}

#[test]
fn without_as_series_the_file_is_a_price_file_and_its_zero_is_refused() {
    let out = run_in(
        "data \"series_file/irx.csv\" as IRX\nbuy AAA monthly if IRX > 0",
        "check",
    );
    assert_ne!(out.code, 0, "a price of 0 is refused: {}", out.stdout);
    let out = run_in(
        "data \"series_file/irx.csv\" as series irx\nbuy AAA monthly if irx > 0",
        "check",
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
}

#[test]
fn a_date_value_file_is_a_series_too() {
    let out = run_in(
        "data \"series_file/level.csv\" as series level\nbuy AAA monthly if level > 50",
        "check",
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
}

#[test]
fn trading_a_series_is_a_located_error() {
    let out = run_in("data \"series_file/irx.csv\" as series irx\nbuy irx monthly", "check");
    assert_ne!(out.code, 0);
    assert!(
        out.stderr
            .contains("`irx` is a data series, not a symbol you can trade"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("buy irx monthly"),
        "the line is shown: {}",
        out.stderr
    );
}
