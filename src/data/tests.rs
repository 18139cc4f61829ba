//! Loading whole files: the fixtures under `tests/fixtures/data/` and small inline texts.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme};

use super::*;

fn fixture(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/data")
        .join(relative)
}

fn load(relative: &str) -> DataSet {
    load_path(&fixture(relative), &LoadOptions::default()).expect(relative)
}

fn lenient() -> LoadOptions {
    LoadOptions {
        lenient: true,
        ..LoadOptions::default()
    }
}

fn alias(name: &str) -> LoadOptions {
    LoadOptions {
        symbol: Some(name.to_owned()),
        ..LoadOptions::default()
    }
}

/// Midnight of a day, counted by chrono's date subtraction rather than rotor's parser.
fn day(y: i32, m: u32, d: u32) -> i64 {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid");
    let date = NaiveDate::from_ymd_opt(y, m, d).expect("valid test date");
    date.signed_duration_since(epoch).num_days() * 86_400
}

/// What a diagnostic shows: its code, the 1-based line and column of its first label (as
/// miette computes them from the source), and the labelled text.
#[derive(Debug, PartialEq)]
struct Shown {
    code: String,
    line: usize,
    column: usize,
    text: String,
}

fn shown(error: &DataError) -> Shown {
    let code = error.code().map(|c| c.to_string()).unwrap_or_default();
    let label = error.labels().and_then(|mut l| l.next()).expect("a label");
    let source = error.source_code().expect("source code");
    let contents = source.read_span(label.inner(), 0, 0).expect("span inside the file");
    Shown {
        code,
        line: contents.line() + 1,
        column: contents.column() + 1,
        text: String::from_utf8_lossy(contents.data()).into_owned(),
    }
}

fn shows(code: &str, line: usize, column: usize, text: &str) -> Shown {
    Shown {
        code: format!("rotor::data::{code}"),
        line,
        column,
        text: text.to_owned(),
    }
}

fn fail(text: &str, opts: &LoadOptions) -> DataError {
    match load_str("test.csv", text, opts) {
        Err(error) => error,
        Ok(set) => panic!("expected an error, loaded {set:?}"),
    }
}

fn help(error: &DataError) -> String {
    error.help().map(|h| h.to_string()).unwrap_or_default()
}

#[test]
fn yahoo_export() {
    let set = load("yahoo/IWO.csv");
    assert!(set.series.is_empty());
    let iwo = set.price("IWO").expect("symbol from the file stem");
    assert!(iwo.file.ends_with("yahoo/IWO.csv"));
    assert_eq!(
        iwo.ts,
        [day(2016, 4, 28), day(2016, 4, 29), day(2016, 5, 2), day(2016, 5, 3)]
    );
    assert_eq!(iwo.open, [136.85, 135.23, 134.50, 134.80]);
    assert_eq!(iwo.high, [137.89, 135.54, 136.10, 134.95]);
    assert_eq!(iwo.low, [135.39, 133.24, 134.20, 132.60]);
    assert_eq!(iwo.close, [135.70, 134.07, 135.90, 133.10]);
    assert_eq!(iwo.adj_close.as_deref(), Some(&[130.72, 129.15, 130.91, 128.21][..]));
    let volume = iwo.volume.as_ref().expect("a volume column");
    assert_eq!(volume[..2], [882_700.0, 790_900.0]);
    assert!(volume[2].is_nan(), "the empty volume cell is not available");
    assert_eq!(volume[3], 1_020_000.0);
    assert_eq!(set.notes.len(), 1, "{:?}", set.notes);
    assert!(set.notes[0].contains("1 row(s) have no volume"), "{:?}", set.notes);
    assert_eq!(set.skipped_rows, 0);
}

#[test]
fn alpha_vantage_newest_first_is_reversed() {
    let set = load("alphavantage/IWM.csv");
    let iwm = set.price("IWM").expect("IWM");
    assert_eq!(iwm.ts, [day(2020, 12, 9), day(2020, 12, 10), day(2020, 12, 11)]);
    assert_eq!(iwm.open, [192.5, 187.76, 189.99]);
    assert_eq!(iwm.close, [189.2, 191.24, 190.3]);
    assert_eq!(iwm.adj_close.as_deref(), Some(&[189.2, 191.24, 190.3][..]));
    assert_eq!(
        iwm.volume.as_deref(),
        Some(&[25_000_000.0, 21_245_294.0, 30_864_993.0][..])
    );
    let notes = set.notes.join("\n");
    assert!(notes.contains("newest first"), "{notes}");
    assert!(notes.contains("`dividend_amount`, `split_coefficient`"), "{notes}");
}

#[test]
fn stooq_and_eodhd_exports() {
    let spy = load("stooq/SPY.csv");
    let spy = spy.price("SPY").expect("SPY");
    assert_eq!(spy.close, [368.79, 371.33]);
    assert_eq!(spy.adj_close, None);
    assert_eq!(spy.volume.as_deref(), Some(&[110_210_810.0, 66_426_229.0][..]));

    let iwm = load("eodhd/IWM.csv");
    let iwm = iwm.price("IWM").expect("IWM");
    assert_eq!(iwm.ts, [day(2000, 5, 26), day(2000, 5, 30)]);
    assert_eq!(iwm.close, [91.4375, 94.8125]);
    assert_eq!(iwm.adj_close.as_deref(), Some(&[33.4009, 34.6337][..]));
}

#[test]
fn close_only_file_fills_open_high_low() {
    let set = load("close_only/^GSPC.csv");
    let gspc = set.price("^GSPC").expect("the stem keeps the caret");
    let close = [1228.10, 1244.78, 1272.34];
    assert_eq!(
        (&gspc.open[..], &gspc.high[..], &gspc.low[..]),
        (&close[..], &close[..], &close[..])
    );
    assert_eq!(gspc.close, close);
    assert_eq!((gspc.adj_close.as_ref(), gspc.volume.as_ref()), (None, None));
    assert!(set.notes[0].contains("no open, high, low column"), "{:?}", set.notes);
}

#[test]
fn adjusted_close_alone_serves_as_close() {
    let set = load_str(
        "X.csv",
        "Date,Adj Close\n2024-01-02,10\n2024-01-03,11\n",
        &LoadOptions::default(),
    )
    .expect("valid");
    let x = set.price("X").expect("X");
    assert_eq!(x.close, [10.0, 11.0]);
    assert_eq!(x.adj_close.as_deref(), Some(&[10.0, 11.0][..]));
    assert!(
        set.notes.iter().any(|n| n.contains("adjusted close `Adj Close`")),
        "{:?}",
        set.notes
    );
}

#[test]
fn fred_holidays_are_absent_observations() {
    let set = load("fred/DFF.csv");
    assert!(set.prices.is_empty());
    let dff = set.series("DFF").expect("named by its header");
    assert_eq!(dff.ts, [day(2024, 12, 30), day(2024, 12, 31), day(2025, 1, 2)]);
    assert_eq!(dff.values, [4.33, 4.48, 4.33]);
    assert!(set.notes[0].contains("1 empty or `.` cell(s)"), "{:?}", set.notes);
}

#[test]
fn long_file_with_bom_crlf_and_quotes() {
    let set = load("long/prices.csv");
    assert_eq!(set.names().collect::<Vec<_>>(), ["IWO", "IWM"]);
    let iwo = set.price("IWO").expect("IWO");
    assert_eq!(iwo.ts, [day(2024, 1, 2), day(2024, 1, 3)]);
    assert_eq!(iwo.open, [250.5, 251.0]);
    assert_eq!(iwo.close, [251.25, 252.75]);
    let iwm = set.price("IWM").expect("IWM");
    assert_eq!(iwm.high, [196.5, 197.0]);
    assert_eq!(iwm.close, [196.0, 196.25]);
    assert_eq!(iwm.volume.as_deref(), Some(&[2000.0, 2100.0][..]));
    assert!(set.notes.is_empty(), "{:?}", set.notes);
}

#[test]
fn wide_file_has_one_series_per_column() {
    let set = load("wide/macro.csv");
    let cut = set.series("fed_cut_prob").expect("first series");
    assert_eq!(cut.ts, [day(2024, 1, 31), day(2024, 3, 31), day(2024, 4, 30)]);
    assert_eq!(cut.values, [0.85, 0.62, 0.40]);
    let hike = set.series("hike prob").expect("quoted header");
    assert_eq!(hike.ts, [day(2024, 1, 31), day(2024, 2, 29)]);
    assert_eq!(hike.values, [0.02, 0.05]);
    assert!(set.notes[0].contains("3 empty or `.` cell(s)"), "{:?}", set.notes);
}

#[test]
fn directory_loads_every_csv_file_in_name_order() {
    let set = load("dir");
    assert_eq!(
        set.names().collect::<Vec<_>>(),
        ["IWN", "DGS2"],
        "README.txt is no data"
    );
    assert_eq!(set.price("IWN").map(|p| p.close.clone()), Some(vec![150.0, 151.5]));
    let dgs2 = set.series("DGS2").expect("from rates.CSV");
    assert!(dgs2.file.ends_with("rates.CSV"));
    assert_eq!(dgs2.values, [4.33, 4.38]);
}

#[test]
fn slash_and_compact_dates() {
    // (A FedWatch export with these dates is read by crate::fedwatch, not as series.)
    let text = "Date,low,high\n2025/1/30,0.1,0.9\n01/31/2025,0.2,0.8\n20250203,,0.7\n";
    let set = load_str("dates.csv", text, &LoadOptions::default()).expect("valid");
    let low = set.series("low").expect("first column");
    assert_eq!(low.ts, [day(2025, 1, 30), day(2025, 1, 31)]);
    let high = set.series("high").expect("second column");
    assert_eq!(high.ts, [day(2025, 1, 30), day(2025, 1, 31), day(2025, 2, 3)]);
}

#[test]
fn intraday_bars_keep_their_time() {
    let text = "datetime,close\n2024-03-01 09:30,10\n2024-03-01 09:31,11\n";
    let set = load_str("bars.csv", text, &LoadOptions::default()).expect("valid");
    let bars = set.price("bars").expect("bars");
    let open = day(2024, 3, 1) + 9 * 3600 + 30 * 60;
    assert_eq!(bars.ts, [open, open + 60]);
    assert_eq!(day_of(bars.ts[1]), (day(2024, 3, 1) / 86_400) as i32);
}

#[test]
fn as_names_the_one_history_of_a_file() {
    let opts = alias("GROWTH");
    let set = load_path(&fixture("yahoo/IWO.csv"), &opts).expect("valid");
    assert_eq!(set.names().collect::<Vec<_>>(), ["GROWTH"]);
    let set = load_path(&fixture("fred/DFF.csv"), &alias("fed_rate")).expect("valid");
    assert_eq!(set.names().collect::<Vec<_>>(), ["fed_rate"]);

    let error = load_path(&fixture("wide/macro.csv"), &opts).expect_err("two series");
    assert_eq!(
        error.code().map(|c| c.to_string()).as_deref(),
        Some("rotor::data::ambiguous_alias")
    );
    assert!(help(&error).contains("fed_cut_prob, hike prob"), "{}", help(&error));
}

#[test]
fn the_same_symbol_from_two_files_is_an_error() {
    let mut set = load("yahoo/IWO.csv");
    let other = load_str("mine/IWO.csv", "Date,Close\n2024-01-02,5\n", &LoadOptions::default()).expect("valid");
    let error = set.merge(other).expect_err("IWO twice");
    let message = error.to_string();
    assert!(
        message.contains("yahoo/IWO.csv") && message.contains("`mine/IWO.csv`"),
        "{message}"
    );
    assert_eq!(
        error.code().map(|c| c.to_string()).as_deref(),
        Some("rotor::data::duplicate_name")
    );
}

#[test]
fn not_a_number_points_at_the_cell() {
    let error = load_path(&fixture("bad/not_a_number.csv"), &LoadOptions::default()).expect_err("abc is no price");
    assert_eq!(shown(&error), shows("not_a_number", 3, 25, "abc"));
    assert_eq!(error.to_string(), "`abc` in column Close is not a number");
}

#[test]
fn rendered_diagnostic_names_file_line_and_column() {
    let text = std::fs::read_to_string(fixture("bad/not_a_number.csv")).expect("fixture");
    let error = load_str("bad.csv", &text, &LoadOptions::default()).expect_err("abc");
    let mut out = String::new();
    GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor())
        .render_report(&mut out, &error)
        .expect("rendering into a string");
    assert!(out.contains("[bad.csv:3:25]"), "{out}");
    assert!(out.contains("rotor::data::not_a_number"), "{out}");
}

#[test]
fn unsorted_names_the_symbol_and_both_dates() {
    let error = load_path(&fixture("bad/unsorted.csv"), &lenient()).expect_err("not skippable");
    assert_eq!(shown(&error), shows("unsorted", 7, 1, "2024-01-02"));
    assert_eq!(
        error.to_string(),
        "rows of BBB are out of order: 2024-01-02 comes after 2024-01-03"
    );
}

#[test]
fn ragged_row() {
    let error = load_path(&fixture("bad/ragged.csv"), &LoadOptions::default()).expect_err("3 fields");
    assert_eq!(shown(&error), shows("ragged_row", 3, 1, "2024-01-03,1.6,extra"));
    assert_eq!(error.to_string(), "this row has 3 fields but the header has 2");
}

#[test]
fn empty_files() {
    let error = load_path(&fixture("bad/empty.csv"), &LoadOptions::default()).expect_err("empty");
    assert_eq!(shown(&error), shows("empty", 1, 1, ""));
    let error = load_str("x.csv", "Date,Close\r\n", &LoadOptions::default()).expect_err("no rows");
    assert_eq!(shown(&error), shows("empty", 1, 1, "Date,Close"));
    assert!(
        help(&error).starts_with("the header has no rows under it"),
        "{}",
        help(&error)
    );
    let error = fail("\u{feff}\n\n", &LoadOptions::default());
    assert_eq!(
        shown(&error).code,
        "rotor::data::empty",
        "a BOM and blank lines are empty"
    );
}

#[test]
fn bad_date_lists_the_formats() {
    let error = fail("date,x\n2025-02-28,1\n2025-02-30,2\n", &LoadOptions::default());
    assert_eq!(shown(&error), shows("bad_date", 3, 1, "2025-02-30"));
    assert!(
        help(&error).contains("YYYY-MM-DD, YYYY-MM-DD HH:MM[:SS]"),
        "{}",
        help(&error)
    );
}

#[test]
fn duplicate_date() {
    let error = fail(
        "date,symbol,close\n2024-01-02,A,1\n2024-01-02,B,1\n2024-01-02,A,2\n",
        &LoadOptions::default(),
    );
    assert_eq!(shown(&error), shows("duplicate_date", 4, 1, "2024-01-02"));
    assert_eq!(error.to_string(), "A has two rows dated 2024-01-02");
}

#[test]
fn prices_must_be_above_zero() {
    let error = fail(
        "Date,Open,Close\n2024-01-02,1,2\n2024-01-03,-1.5,2\n",
        &LoadOptions::default(),
    );
    assert_eq!(shown(&error), shows("negative_price", 3, 12, "-1.5"));
    let error = fail("Date,Close\n2024-01-02,0\n", &LoadOptions::default());
    assert_eq!(error.to_string(), "price `0` in column Close is not above zero");
}

#[test]
fn missing_column_help_lists_what_was_found() {
    let error = fail("day,close\n2024-01-02,1\n", &LoadOptions::default());
    assert_eq!(shown(&error), shows("missing_column", 1, 1, "day,close"));
    let help = help(&error);
    assert!(
        help.contains("found `day`, `close`") && help.contains("observation_date"),
        "{help}"
    );
}

#[test]
fn quoted_cells_keep_exact_spans() {
    let error = fail("date,close\n2024-01-02,\"1,5\"\n", &LoadOptions::default());
    assert_eq!(shown(&error), shows("not_a_number", 2, 12, "\"1,5\""));
    assert_eq!(error.to_string(), "`1,5` in column close is not a number");
    let error = fail("date,close\n2024-01-02,\"15\n", &LoadOptions::default());
    assert_eq!(shown(&error), shows("bad_quote", 2, 12, "\""));
}

#[test]
fn empty_symbol() {
    let error = fail("date,ticker,close\n2024-01-02,,1\n", &LoadOptions::default());
    assert_eq!(shown(&error), shows("empty_symbol", 2, 12, ""));
}

#[test]
fn series_cells_must_be_numbers_or_missing() {
    let error = fail("date,DFF\n2024-01-02,4.3\n2024-01-03,4,3\n", &LoadOptions::default());
    assert_eq!(shown(&error).code, "rotor::data::ragged_row");
    let error = fail("date,DFF\n2024-01-02,4.3\n2024-01-03,n.a.\n", &LoadOptions::default());
    assert_eq!(shown(&error), shows("not_a_number", 3, 12, "n.a."));
    assert!(help(&error).contains("leave the cell empty"), "{}", help(&error));
}

#[test]
fn lenient_loading_skips_and_counts_bad_rows() {
    let path = fixture("bad/yahoo_nulls.csv");
    let error = load_path(&path, &LoadOptions::default()).expect_err("null prices");
    assert_eq!(shown(&error), shows("not_a_number", 3, 12, "null"));

    let set = load_path(&path, &lenient()).expect("bad rows skipped");
    let x = set.price("yahoo_nulls").expect("the good rows");
    assert_eq!(x.ts, [day(2020, 3, 6), day(2020, 3, 10), day(2020, 3, 12)]);
    assert_eq!(x.close, [100.5, 98.5, 96.5]);
    assert_eq!(set.skipped_rows, 2);
    let note = set
        .notes
        .iter()
        .find(|n| n.contains("skipped"))
        .expect("a note on skipping");
    assert!(note.contains("yahoo_nulls.csv: skipped 2 bad rows"), "{note}");
    assert!(note.contains("line 3: `null` in column Open is not a number"), "{note}");
}

#[test]
fn lenient_loading_of_nothing_but_bad_rows_is_empty() {
    let error = fail("date,close\n2024-01-02,x\n2024-01-03,y\n", &lenient());
    assert_eq!(shown(&error).code, "rotor::data::empty");
    assert!(help(&error).starts_with("all 2 rows were skipped"), "{}", help(&error));
}

#[test]
fn lenient_duplicate_keeps_the_first_row() {
    let set = load_str(
        "d.csv",
        "date,v\n2024-01-02,1\n2024-01-02,2\n2024-01-03,3\n",
        &lenient(),
    )
    .expect("duplicate skipped");
    let v = set.series("v").expect("v");
    assert_eq!((v.ts.len(), v.values.clone()), (2, vec![1.0, 3.0]));
    assert_eq!(set.skipped_rows, 1);
}

#[test]
fn unreadable_paths() {
    let missing = fixture("no/such.csv");
    let error = load_path(&missing, &LoadOptions::default()).expect_err("no file");
    assert!(matches!(error, DataError::Io { .. }));
    assert!(error.to_string().contains("no/such.csv"), "{error}");

    let latin1 = std::env::temp_dir().join(format!("rotor-data-{}-latin1.csv", std::process::id()));
    std::fs::write(&latin1, b"date,name\n2024-01-02,caf\xe9\n").expect("temp file");
    let error = load_path(&latin1, &LoadOptions::default()).expect_err("not UTF-8");
    std::fs::remove_file(&latin1).expect("temp file");
    assert_eq!(shown(&error), shows("not_utf8", 2, 15, "\u{fffd}"));
}

/// Loading speed on a long file of 6 symbols × 5,300 days (~2.5 MB). Run it with
/// `cargo test --release --lib data::tests::load_speed -- --ignored --nocapture`.
#[test]
#[ignore = "a timing, not a check; run by hand in release mode"]
fn load_speed() {
    use chrono::{Datelike, Days};
    use std::fmt::Write;

    let symbols = ["IWO", "IWM", "IWN", "SPY", "VTWG", "SPMD"];
    let start = NaiveDate::from_ymd_opt(2000, 1, 3).expect("valid");
    let mut text = String::from("date,symbol,open,high,low,close,adj_close,volume\n");
    for d in 0..5_300u64 {
        let date = start.checked_add_days(Days::new(d)).expect("in range");
        for (s, symbol) in symbols.iter().enumerate() {
            let base = 100.0 + s as f64 * 10.0 + d as f64 * 0.01;
            writeln!(
                text,
                "{:04}-{:02}-{:02},{symbol},{:.6},{:.6},{:.6},{:.6},{:.6},{}",
                date.year(),
                date.month(),
                date.day(),
                base,
                base * 1.01,
                base * 0.99,
                base * 1.001,
                base * 0.95,
                1_000_000 + d * 37 + s as u64
            )
            .expect("writing to a String");
        }
    }
    let runs = 20;
    let began = std::time::Instant::now();
    for _ in 0..runs {
        let set = load_str("speed.csv", &text, &LoadOptions::default()).expect("valid");
        assert_eq!(set.prices.len(), 6);
        assert!(set.prices.iter().all(|p| p.len() == 5_300));
    }
    let each = began.elapsed() / runs;
    let mb = text.len() as f64 / 1e6;
    println!(
        "{mb:.2} MB, 31,800 rows: {each:?} per load ({:.0} MB/s)",
        mb / each.as_secs_f64()
    );
}
