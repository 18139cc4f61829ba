//! Projection: `rotor run` loads only the histories a strategy names, `rotor check` all.

mod common;

use std::collections::BTreeSet;
use std::sync::Arc;

use common::{root, rotor, temp_dir};
use rotor::data::{LoadOptions, NameKind, load_path, load_str};

fn only(names: &[&str]) -> LoadOptions {
    LoadOptions {
        only: Some(Arc::new(names.iter().map(|n| n.to_string()).collect())),
        ..Default::default()
    }
}

fn sample(file: &str) -> std::path::PathBuf {
    root().join("examples/data").join(file)
}

#[test]
fn wanted_histories_are_exactly_those_of_a_full_load() {
    let path = sample("etf_daily.csv");
    let full = load_path(&path, &LoadOptions::default()).expect("the sample loads");
    let part = load_path(&path, &only(&["IWO", "SPY", "NOT_THERE"])).expect("the sample loads");
    let symbols: Vec<&str> = part.prices.iter().map(|p| p.symbol.as_str()).collect();
    assert_eq!(symbols, ["IWO", "SPY"], "a wanted name in no file is no error");
    for history in &part.prices {
        assert_eq!(Some(history), full.price(&history.symbol), "{}", history.symbol);
    }
    // The other four are listed, not loaded.
    let mut left: Vec<&str> = part.unloaded.iter().map(|u| u.name.as_str()).collect();
    left.sort_unstable();
    let mut expected: Vec<&str> = full
        .prices
        .iter()
        .map(|p| p.symbol.as_str())
        .filter(|s| !["IWO", "SPY"].contains(s))
        .collect();
    expected.sort_unstable();
    assert_eq!(left, expected);
    assert!(part.unloaded.iter().all(|u| u.kind == NameKind::Symbol));
}

#[test]
fn series_columns_not_wanted_are_listed() {
    let path = sample("macro_daily.csv");
    let full = load_path(&path, &LoadOptions::default()).expect("the sample loads");
    let part = load_path(&path, &only(&["fed_cut_prob"])).expect("the sample loads");
    assert_eq!(part.series.len(), 1);
    assert_eq!(Some(&part.series[0]), full.series("fed_cut_prob"));
    let catalog = rotor::pipeline::catalog(&part);
    let all: BTreeSet<&str> = full.series.iter().map(|s| s.name.as_str()).collect();
    let known: BTreeSet<&str> = catalog.series.iter().map(String::as_str).collect();
    assert_eq!(known, all, "the checker knows every series name");
}

#[test]
fn a_file_of_one_symbol_is_read_even_when_not_wanted() {
    // Its `data` line names it: it is checked as a whole, like every file without projection.
    let error = load_str("data/IWO.csv", "Date,Close\n2024-01-02,oops\n", &only(&["SPY"]));
    assert!(error.is_err(), "the bad cell is found");
    let set = load_str("data/IWO.csv", "Date,Close\n2024-01-02,5\n", &only(&["SPY"])).expect("valid");
    assert_eq!(set.prices.len(), 1);
    assert!(set.unloaded.is_empty());
}

#[test]
fn a_series_file_of_nothing_wanted_lists_its_names_and_skips_its_rows() {
    let set = load_str("fred.csv", "date,DFF,DGS2\n2024-01-02,5.3,4.3\n", &only(&["SPY"])).expect("valid");
    assert!(set.series.is_empty());
    let names: Vec<(&str, NameKind, &str)> = set
        .unloaded
        .iter()
        .map(|u| (u.name.as_str(), u.kind, u.file.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("DFF", NameKind::Series, "fred.csv"),
            ("DGS2", NameKind::Series, "fred.csv")
        ]
    );
    // Nothing is read from it, so a bad row does not stop a run; loading it all (as
    // `rotor check` does) still finds it.
    let broken = "date,DFF,DGS2\n2024-13-02,x,4.3\n";
    load_str("fred.csv", broken, &only(&["SPY"])).expect("its rows are not read");
    let error = load_str("fred.csv", broken, &LoadOptions::default()).expect_err("bad date");
    assert_eq!(error.to_string(), "`2024-13-02` is not a date");
    // A name not loaded is still one file's name.
    let mut other = load_str(
        "b.csv",
        "date,symbol,close\n2024-01-02,DFF,5\n",
        &LoadOptions::default(),
    )
    .expect("valid");
    let error = other.merge(set).expect_err("DFF twice");
    assert!(error.to_string().contains("`DFF` is loaded twice"), "{error}");
}

#[test]
fn names_used_covers_every_place_a_name_can_be() {
    let text = "data \"x.csv\" as ALIAS\nbenchmark BENCH\nexpense EXP 0.1%\ncurrency KRW using rate_series\n\
                risk free rf_series\nlet pick = PARAM_SYMBOL\nrebalance monthly to REB 50%, cash 50%\n\
                rotate monthly to top 1 of ROT1, ROT2 by momentum(MOM, 90)\n\
                buy BUY monthly while sma(GUARD, 5)[1] > threshold\n";
    let mut sources = rotor::source::SourceMap::new();
    let file = sources.add("t.rotor", None, text.to_owned());
    let (ast, errors) = rotor::syntax::parse_file(&file);
    assert!(errors.is_empty(), "{errors:?}");
    let names = ast.names();
    for name in [
        "ALIAS",
        "BENCH",
        "EXP",
        "rate_series",
        "rf_series",
        "PARAM_SYMBOL",
        "REB",
        "ROT1",
        "ROT2",
        "MOM",
        "BUY",
        "GUARD",
        "threshold",
    ] {
        assert!(names.contains(name), "{name} missing from {names:?}");
    }
}

/// A folder with a long file whose VTWG rows include a broken cell, and a strategy that
/// does not use VTWG.
fn broken_unused_symbol(strategy: &str) -> std::path::PathBuf {
    let dir = temp_dir("projection");
    let prices = "date,symbol,close\n2024-01-02,IWO,100\n2024-01-02,VTWG,abc\n2024-01-03,IWO,101\n\
                  2024-01-03,VTWG,50\n2024-01-04,IWO,102\n";
    std::fs::write(dir.join("prices.csv"), prices).expect("write data");
    std::fs::write(dir.join("s.rotor"), strategy).expect("write strategy");
    dir
}

#[test]
fn run_skips_a_broken_unused_symbol_but_check_reports_it() {
    let dir = broken_unused_symbol("data \"prices.csv\"\ncapital 1000 USD\nbuy IWO monthly\n");
    let run = rotor(&dir, &["run", "s.rotor"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let check = rotor(&dir, &["check", "s.rotor"]);
    assert_ne!(check.code, 0, "{}", check.stdout);
    assert!(check.stderr.contains("not a number"), "{}", check.stderr);
    assert!(check.stderr.contains("prices.csv:3:"), "{}", check.stderr);
}

#[test]
fn a_typo_still_gets_did_you_mean() {
    let dir = broken_unused_symbol("data \"prices.csv\"\ncapital 1000 USD\nbuy VTWGG monthly\n");
    let run = rotor(&dir, &["run", "s.rotor"]);
    assert_ne!(run.code, 0);
    assert!(
        run.stderr.contains("`VTWG`"),
        "the unloaded symbol is suggested: {}",
        run.stderr
    );
}

/// A folder of one-symbol files (named by the file, as `--data FOLDER` of Yahoo downloads):
/// IWO.csv used, VTWG.csv not used, with a broken cell and no open column.
fn folder_of_symbol_files() -> std::path::PathBuf {
    let dir = temp_dir("projection-folder");
    std::fs::create_dir_all(dir.join("prices")).expect("make folder");
    std::fs::write(
        dir.join("prices/IWO.csv"),
        "date,open,close,adj_close\n2024-01-02,100,100,100\n2024-01-03,101,101,101\n2024-01-04,102,102,102\n",
    )
    .expect("write IWO");
    std::fs::write(
        dir.join("prices/VTWG.csv"),
        "Date,Close\n2024-01-02,abc\n2024-01-03,50\n",
    )
    .expect("write VTWG");
    dir
}

#[test]
fn a_folder_file_of_an_unused_symbol_is_not_read_and_says_nothing() {
    let dir = folder_of_symbol_files();
    std::fs::write(dir.join("s.rotor"), "capital 1000 USD\nbuy IWO daily\n").expect("write strategy");
    let run = rotor(&dir, &["run", "s.rotor", "--data", "prices"]);
    assert_eq!(run.code, 0, "the broken VTWG.csv is not read: {}", run.stderr);
    assert!(
        !run.stdout.contains("VTWG"),
        "no note about a file the run does not use:\n{}",
        run.stdout
    );
    // `rotor check` reads every file whole and finds the broken cell.
    let check = rotor(&dir, &["check", "s.rotor", "--data", "prices"]);
    assert_ne!(check.code, 0, "{}", check.stdout);
    assert!(check.stderr.contains("VTWG.csv:2:"), "{}", check.stderr);
    // Its name is still known: a typo is offered it.
    std::fs::write(dir.join("t.rotor"), "capital 1000 USD\nbuy VTWGG daily\n").expect("write strategy");
    let typo = rotor(&dir, &["run", "t.rotor", "--data", "prices"]);
    assert_ne!(typo.code, 0);
    assert!(typo.stderr.contains("`VTWG`"), "{}", typo.stderr);
}

#[test]
fn a_folder_file_of_a_used_symbol_is_read_whole() {
    let dir = folder_of_symbol_files();
    // VTWG is used (as the benchmark): its broken cell stops the run, as before.
    std::fs::write(dir.join("s.rotor"), "capital 1000 USD\nbenchmark VTWG\nbuy IWO daily\n").expect("write strategy");
    let run = rotor(&dir, &["run", "s.rotor", "--data", "prices"]);
    assert_ne!(run.code, 0, "{}", run.stdout);
    assert!(run.stderr.contains("VTWG.csv:2:"), "{}", run.stderr);
}

// Column projection: a run keeps only the price columns its strategy can read.

const OHLCV: &str = "date,open,high,low,close,volume\n2024-01-02,10,11,9,10,500\n\
                     2024-01-03,10,12,9.5,11,2000\n2024-01-04,11,11.5,10,11,\n\
                     2024-01-05,11,13,10.5,12,3000\n2024-01-08,12,12.5,11,12,100\n";

fn unread(high_low: bool, volume: bool) -> LoadOptions {
    LoadOptions {
        unread: rotor::data::Unread { high_low, volume },
        ..Default::default()
    }
}

#[test]
fn unread_columns_are_empty_and_the_rest_is_a_full_load() {
    let full = load_str("X.csv", OHLCV, &LoadOptions::default()).expect("valid");
    for (high_low, volume) in [(true, true), (true, false), (false, true)] {
        let part = load_str("X.csv", OHLCV, &unread(high_low, volume)).expect("valid");
        let mut expected = full.prices[0].clone();
        if high_low {
            expected.high = Default::default();
            expected.low = Default::default();
        }
        if volume {
            expected.volume = Some(Default::default());
        }
        // Debug text: the missing volume is NaN, which `==` never equals.
        assert_eq!(
            format!("{:?}", part.prices[0]),
            format!("{expected:?}"),
            "{high_low} {volume}"
        );
        // The note about the row without a volume is the same whether it is kept or not.
        assert_eq!(part.notes, full.notes);
        assert!(
            part.notes.iter().any(|n| n.contains("1 row has no volume")),
            "{:?}",
            part.notes
        );
    }
}

#[test]
fn a_bad_cell_in_an_unread_column_is_found_as_in_a_full_load() {
    // Every kind of cell a high or a volume may hold: each is read alike, kept or not.
    let cells = [
        "11",
        "11.5",
        "0.5",
        "0.0000001",
        "0",
        "-3",
        "1e3",
        "1.5e2",
        "abc",
        "",
        ".",
        "NaN",
        "12.",
        ".5",
        "1,5",
        "999999999999",
        "1000000000000",
        "1000000000001",
        "0011",
        "1234567890123456789",
        "\"11\"",
    ];
    for cell in cells {
        for column in ["high", "volume"] {
            // The bar around a high cell has its low and close at or below every plausible
            // high the cells hold (0.5 is the least), so only the cell's reading is tested
            // here; whether a bar can be is checked in the columns kept alone (below).
            let text = match column {
                "high" => format!(
                    "date,open,high,low,close,volume\n2024-01-02,0.5,{cell},0.4,0.5,500\n2024-01-03,10,11,9,10,500\n"
                ),
                _ => format!(
                    "date,open,high,low,close,volume\n2024-01-02,10,11,9,10,{cell}\n2024-01-03,10,11,9,10,500\n"
                ),
            };
            for lenient in [false, true] {
                let options = |unread: LoadOptions| LoadOptions { lenient, ..unread };
                let full = load_str("X.csv", &text, &options(LoadOptions::default()));
                let part = load_str("X.csv", &text, &options(unread(true, true)));
                if (column, cell) == ("volume", "-3") {
                    // Read alike, but a bar that cannot be: checked only where the volume is
                    // kept (data/sanity.rs), an error, or a skipped row when lenient.
                    let part = part.expect("an unkept volume is not checked");
                    assert_eq!(part.skipped_rows, 0);
                    match full {
                        Err(rotor::data::DataError::ImpossibleBar { what, .. }) if !lenient => {
                            assert_eq!(what, "the volume -3 is below zero");
                        }
                        Ok(full) if lenient => assert_eq!(full.skipped_rows, 1),
                        other => panic!("volume `-3`, lenient {lenient}: {other:?}"),
                    }
                    continue;
                }
                match (full, part) {
                    (Ok(full), Ok(part)) => {
                        assert_eq!(part.notes, full.notes, "{column} `{cell}`");
                        assert_eq!(part.skipped_rows, full.skipped_rows, "{column} `{cell}`");
                        assert_eq!(part.prices[0].ts, full.prices[0].ts, "{column} `{cell}`");
                        assert_eq!(part.prices[0].close, full.prices[0].close, "{column} `{cell}`");
                    }
                    (Err(full), Err(part)) => assert_eq!(format!("{part:?}"), format!("{full:?}"), "{column} `{cell}`"),
                    (full, part) => panic!("{column} `{cell}`: {full:?} against {part:?}"),
                }
            }
        }
    }
}

/// A folder with `OHLCV` as `X.csv` and a strategy `s.rotor` reading it.
fn ohlcv_strategy(rules: &str) -> std::path::PathBuf {
    let dir = temp_dir("columns");
    std::fs::write(dir.join("X.csv"), OHLCV).expect("write data");
    std::fs::write(
        dir.join("s.rotor"),
        format!("data \"X.csv\"\ncapital 1000 USD\n{rules}"),
    )
    .expect("write strategy");
    dir
}

/// The price histories `rotor run` would load for `rules`.
fn loaded_for(rules: &str) -> rotor::data::PriceHistory {
    use rotor::pipeline::{self, RunOptions};
    let dir = ohlcv_strategy(rules);
    let mut sources = rotor::source::SourceMap::new();
    let file = pipeline::read(&dir.join("s.rotor"), &mut sources).expect("reads");
    let prepared = pipeline::prepare(&file, &RunOptions::default(), &mut sources).expect("prepares");
    let data = prepared.data.expect("a run loads data");
    data.data.prices[0].clone()
}

#[test]
fn a_run_keeps_the_columns_its_strategy_reads() {
    let none = loaded_for("buy X daily while close(X) > 10\n");
    assert!(none.high.is_empty() && none.low.is_empty(), "{none:?}");
    assert_eq!(none.volume.as_deref(), Some(&[][..]));
    assert_eq!(none.open.len(), 5);
    for (rules, high_low, volume) in [
        ("buy X daily while high(X) > 11.8\n", true, false),
        ("buy X daily while low(X) > 10\n", true, false),
        ("buy X daily while atr(X, 2) > 1\n", true, false),
        ("buy X daily while volume(X) > 1000\n", false, true),
    ] {
        let history = loaded_for(rules);
        assert_eq!(history.high.len(), if high_low { 5 } else { 0 }, "{rules}");
        assert_eq!(history.low.len(), if high_low { 5 } else { 0 }, "{rules}");
        assert_eq!(
            history.volume.as_ref().map(|v| v.len()),
            Some(if volume { 5 } else { 0 }),
            "{rules}"
        );
    }
}

#[test]
fn a_run_reading_high_low_and_volume_sees_their_values() {
    // Highs above 11.8 on 01-03 and 01-05, volumes above 1,000 on the same days: the buys
    // fill at the next bar's open, on 01-04 and 01-08.
    for rules in [
        "buy 100 USD of X daily while high(X) > 11.8\n",
        "buy 100 USD of X daily while volume(X) > 1000\n",
    ] {
        let dir = ohlcv_strategy(rules);
        let run = rotor(&dir, &["run", "s.rotor", "--trades", "trades.csv"]);
        assert_eq!(run.code, 0, "{rules}: {}", run.stderr);
        let trades = std::fs::read_to_string(dir.join("trades.csv")).expect("trades written");
        let dates: Vec<&str> = trades.lines().skip(1).map(|l| &l[..10]).collect();
        assert_eq!(dates, ["2024-01-04", "2024-01-08"], "{rules}: {trades}");
    }
}
