//! Data a run reads that does not cover the run's bars: a warning naming the series or
//! symbol, its data's dates and the run's (src/engine/coverage.rs).

mod common;

use common::rotor;

/// A folder with prices of AAA on four days of January 2024, `later.csv` (a series
/// observed only in 2030), `earlier.csv` (a series that ends in 2020), `BBB.csv` (prices
/// only in 2030), and a strategy `s.rotor` of `rules`.
fn folder(label: &str, rules: &str) -> std::path::PathBuf {
    let dir = common::temp_dir(&format!("coverage-{label}"));
    let prices = "Date,Close\n2024-01-02,10\n2024-01-03,11\n2024-01-04,12\n2024-01-05,13\n";
    std::fs::write(dir.join("AAA.csv"), prices).expect("writable");
    std::fs::write(dir.join("BBB.csv"), "Date,Close\n2030-01-02,10\n2030-01-03,11\n").expect("writable");
    std::fs::write(dir.join("later.csv"), "date,later\n2030-01-01,1\n2030-02-01,2\n").expect("writable");
    std::fs::write(dir.join("earlier.csv"), "date,earlier\n2020-01-01,1\n2020-02-01,2\n").expect("writable");
    let data = "data \"AAA.csv\"\ndata \"BBB.csv\"\ndata \"later.csv\"\ndata \"earlier.csv\"\n";
    std::fs::write(
        dir.join("s.rotor"),
        format!("{data}capital 1000 USD\nfill close\n{rules}"),
    )
    .expect("writable");
    dir
}

/// `text` with miette's wrapping undone: the margin's `│` and every run of whitespace as
/// one space.
fn flat(text: &str) -> String {
    text.replace('│', " ").split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn a_series_with_no_value_in_the_run_is_a_warning_with_both_dates() {
    let dir = folder("later", "buy AAA daily while later > 0\n");
    let out = rotor(&dir, &["run", "s.rotor"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let flat = flat(&out.stderr);
    assert!(
        flat.contains(
            "series `later` does not cover the run: its data is from 2030-01-01 to 2030-02-01, \
             the run's bars from 2024-01-02 to 2024-01-05; it has no value on any bar"
        ),
        "{}",
        out.stderr
    );
    assert!(flat.contains("rotor::run::data_outside_run"), "{}", out.stderr);
}

#[test]
fn a_series_that_ends_before_the_run_is_a_warning() {
    let dir = folder("earlier", "buy AAA daily while earlier > 0\n");
    let out = rotor(&dir, &["run", "s.rotor"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let flat = flat(&out.stderr);
    assert!(
        flat.contains(
            "series `earlier` does not cover the run: its data is from 2020-01-01 to 2020-02-01, \
             the run's bars from 2024-01-02 to 2024-01-05; every bar reads its last value"
        ),
        "{}",
        out.stderr
    );
}

#[test]
fn a_symbol_with_no_row_in_the_run_is_a_warning() {
    let dir = folder("symbol", "buy AAA daily while close(BBB) > 0\n");
    let out = rotor(&dir, &["run", "s.rotor"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let flat = flat(&out.stderr);
    assert!(
        flat.contains(
            "symbol `BBB` does not cover the run: its data is from 2030-01-02 to 2030-01-03, \
             the run's bars from 2024-01-02 to 2024-01-05; it has no price on any bar"
        ),
        "{}",
        out.stderr
    );
}

#[test]
fn data_that_covers_the_run_gives_no_such_warning() {
    let dir = folder("covered", "buy AAA daily while close(AAA) > 0\n");
    let out = rotor(&dir, &["run", "s.rotor"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(!out.stderr.contains("does not cover the run"), "{}", out.stderr);
}

/// A lagged series whose only value is dated before the run but is first seen inside it
/// (2023-12-03 with `lag … 1 month`: from 2024-01-03) is not "read on every bar": the first
/// bar had no value yet.
#[test]
fn a_lagged_value_first_seen_inside_the_run_is_not_said_to_be_carried_on_every_bar() {
    let dir = folder("lagged", "buy AAA daily while recent > 0\n");
    std::fs::write(dir.join("recent.csv"), "date,recent\n2023-12-03,1\n").expect("writable");
    let strategy = std::fs::read_to_string(dir.join("s.rotor")).expect("readable");
    std::fs::write(
        dir.join("s.rotor"),
        format!("data \"recent.csv\"\nlag recent 1 month\n{strategy}"),
    )
    .expect("writable");
    let out = rotor(&dir, &["run", "s.rotor"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        !flat(&out.stderr).contains("every bar reads its last value"),
        "{}",
        out.stderr
    );
    // Without the lag it is visible from the first bar: carried on every bar, and said so.
    let strategy = std::fs::read_to_string(dir.join("s.rotor")).expect("readable");
    std::fs::write(dir.join("s.rotor"), strategy.replace("lag recent 1 month\n", "")).expect("writable");
    let out = rotor(&dir, &["run", "s.rotor"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        flat(&out.stderr).contains("series `recent` does not cover the run"),
        "{}",
        out.stderr
    );
    assert!(
        flat(&out.stderr).contains("every bar reads its last value"),
        "{}",
        out.stderr
    );
}
