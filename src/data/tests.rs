//! Loading whole files: the fixtures under `tests/fixtures/data/` and small inline texts.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme};

use super::date::DateOrder;
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
        iwo.ts[..],
        [day(2016, 4, 28), day(2016, 4, 29), day(2016, 5, 2), day(2016, 5, 3)]
    );
    assert_eq!(iwo.open[..], [136.85, 135.23, 134.50, 134.80]);
    assert_eq!(iwo.high[..], [137.89, 135.54, 136.10, 134.95]);
    assert_eq!(iwo.low[..], [135.39, 133.24, 134.20, 132.60]);
    assert_eq!(iwo.close[..], [135.70, 134.07, 135.90, 133.10]);
    assert_eq!(iwo.adj_close.as_deref(), Some(&[130.72, 129.15, 130.91, 128.21][..]));
    let volume = iwo.volume.as_ref().expect("a volume column");
    assert_eq!(volume[..2], [882_700.0, 790_900.0]);
    assert!(volume[2].is_nan(), "the empty volume cell is not available");
    assert_eq!(volume[3], 1_020_000.0);
    assert_eq!(set.notes.len(), 1, "{:?}", set.notes);
    assert!(set.notes[0].contains("1 row has no volume"), "{:?}", set.notes);
    assert_eq!(set.skipped_rows, 0);
}

#[test]
fn alpha_vantage_newest_first_is_reversed() {
    let set = load("alphavantage/IWM.csv");
    let iwm = set.price("IWM").expect("IWM");
    assert_eq!(iwm.ts[..], [day(2020, 12, 9), day(2020, 12, 10), day(2020, 12, 11)]);
    assert_eq!(iwm.open[..], [192.5, 187.76, 189.99]);
    assert_eq!(iwm.close[..], [189.2, 191.24, 190.3]);
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
    assert_eq!(spy.close[..], [368.79, 371.33]);
    assert_eq!(spy.adj_close, None);
    assert_eq!(spy.volume.as_deref(), Some(&[110_210_810.0, 66_426_229.0][..]));

    let iwm = load("eodhd/IWM.csv");
    let iwm = iwm.price("IWM").expect("IWM");
    assert_eq!(iwm.ts[..], [day(2000, 5, 26), day(2000, 5, 30)]);
    assert_eq!(iwm.close[..], [91.4375, 94.8125]);
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
    assert_eq!(gspc.close[..], close);
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
    assert_eq!(x.close[..], [10.0, 11.0]);
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
    assert_eq!(dff.ts[..], [day(2024, 12, 30), day(2024, 12, 31), day(2025, 1, 2)]);
    assert_eq!(dff.values, [4.33, 4.48, 4.33]);
    assert!(
        set.notes[0].contains("1 empty or `.` cell is a missing observation, left out"),
        "{:?}",
        set.notes
    );
}

#[test]
fn long_file_with_bom_crlf_and_quotes() {
    let set = load("long/prices.csv");
    assert_eq!(set.names().collect::<Vec<_>>(), ["IWO", "IWM"]);
    let iwo = set.price("IWO").expect("IWO");
    assert_eq!(iwo.ts[..], [day(2024, 1, 2), day(2024, 1, 3)]);
    assert_eq!(iwo.open[..], [250.5, 251.0]);
    assert_eq!(iwo.close[..], [251.25, 252.75]);
    let iwm = set.price("IWM").expect("IWM");
    assert_eq!(iwm.high[..], [196.5, 197.0]);
    assert_eq!(iwm.close[..], [196.0, 196.25]);
    assert_eq!(iwm.volume.as_deref(), Some(&[2000.0, 2100.0][..]));
    assert_eq!(set.notes.len(), 1, "{:?}", set.notes);
    assert!(set.notes[0].contains("no adjusted close"), "{:?}", set.notes);
}

#[test]
fn wide_file_has_one_series_per_column() {
    let set = load("wide/macro.csv");
    let cut = set.series("fed_cut_prob").expect("first series");
    assert_eq!(cut.ts[..], [day(2024, 1, 31), day(2024, 3, 31), day(2024, 4, 30)]);
    assert_eq!(cut.values, [0.85, 0.62, 0.40]);
    let hike = set.series("hike prob").expect("quoted header");
    assert_eq!(hike.ts[..], [day(2024, 1, 31), day(2024, 2, 29)]);
    assert_eq!(hike.values, [0.02, 0.05]);
    assert!(
        set.notes[0].contains("3 empty or `.` cells are missing observations, left out"),
        "{:?}",
        set.notes
    );
}

#[test]
fn directory_loads_every_csv_file_in_name_order() {
    let set = load("dir");
    assert_eq!(
        set.names().collect::<Vec<_>>(),
        ["IWN", "DGS2"],
        "README.txt is no data"
    );
    assert_eq!(set.price("IWN").map(|p| p.close.to_vec()), Some(vec![150.0, 151.5]));
    let dgs2 = set.series("DGS2").expect("from rates.CSV");
    assert!(dgs2.file.ends_with("rates.CSV"));
    assert_eq!(dgs2.values, [4.33, 4.38]);
}

#[test]
fn slash_and_compact_dates() {
    // (A FedWatch export with these dates is read by crate::fedwatch, not as series.)
    let text = "Date,cut,hold\n2025/1/30,0.1,0.9\n01/31/2025,0.2,0.8\n20250203,,0.7\n";
    let set = load_str("dates.csv", text, &LoadOptions::default()).expect("valid");
    let cut = set.series("cut").expect("first column");
    assert_eq!(cut.ts[..], [day(2025, 1, 30), day(2025, 1, 31)]);
    let hold = set.series("hold").expect("second column");
    assert_eq!(hold.ts[..], [day(2025, 1, 30), day(2025, 1, 31), day(2025, 2, 3)]);
}

#[test]
fn intraday_bars_keep_their_time() {
    let text = "datetime,close\n2024-03-01 09:30,10\n2024-03-01 09:31,11\n";
    let set = load_str("bars.csv", text, &LoadOptions::default()).expect("valid");
    let bars = set.price("bars").expect("bars");
    let open = day(2024, 3, 1) + 9 * 3600 + 30 * 60;
    assert_eq!(bars.ts[..], [open, open + 60]);
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

/// A date typed wrong is one row out of place; the diagnostic points at that row, not at
/// the good row after it (issue 12, item 18).
#[test]
fn unsorted_points_at_the_row_out_of_place() {
    // 2024-01-05 sits between 01-02 and 01-03: it is the row out of place (line 3).
    let text = "date,close\n2024-01-02,10\n2024-01-05,11\n2024-01-03,12\n2024-01-08,13\n";
    let error = fail(text, &LoadOptions::default());
    assert_eq!(shown(&error), shows("unsorted", 3, 1, "2024-01-05"));
    assert_eq!(
        error.to_string(),
        "rows of test are out of order: 2024-01-05 comes before 2024-01-03"
    );
    // 2024-01-01 after 01-02 and 01-03 is itself out of place (line 4), newest first too.
    let text = "date,close\n2024-01-02,10\n2024-01-03,11\n2024-01-01,12\n2024-01-04,13\n";
    assert_eq!(
        shown(&fail(text, &LoadOptions::default())),
        shows("unsorted", 4, 1, "2024-01-01")
    );
    let text = "date,close\n2024-01-09,9\n2024-01-08,10\n2024-01-02,11\n2024-01-05,12\n2024-01-01,13\n";
    let error = fail(text, &LoadOptions::default());
    assert_eq!(shown(&error), shows("unsorted", 4, 1, "2024-01-02"));
    // The same in a series file and in a file of several symbols.
    let text = "date,rate\n2024-01-02,1\n2024-01-05,2\n2024-01-03,3\n2024-01-08,4\n";
    assert_eq!(
        shown(&fail(text, &LoadOptions::default())),
        shows("unsorted", 3, 1, "2024-01-05")
    );
    let text = "date,symbol,close\n2024-01-02,A,1\n2024-01-02,B,1\n2024-01-09,A,2\n\
                2024-01-03,B,2\n2024-01-04,A,3\n";
    let error = fail(text, &LoadOptions::default());
    assert_eq!(shown(&error), shows("unsorted", 4, 1, "2024-01-09"));
    assert_eq!(
        error.to_string(),
        "rows of A are out of order: 2024-01-09 comes before 2024-01-04"
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
    // (A quoted `"1,5"` is 1.5 now: only a decimal comma reads it, docs/DATA.md.)
    let error = fail("date,close\n2024-01-02,\"1,5a\"\n", &LoadOptions::default());
    assert_eq!(shown(&error), shows("not_a_number", 2, 12, "\"1,5a\""));
    assert_eq!(error.to_string(), "`1,5a` in column close is not a number");
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
    assert_eq!(x.ts[..], [day(2020, 3, 6), day(2020, 3, 10), day(2020, 3, 12)]);
    assert_eq!(x.close[..], [100.5, 98.5, 96.5]);
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

// ---------------------------------------------------------------- files as they come
// Each file below is a download as a user gets it (see docs/DATA.md's table of sources);
// the expected values are the cells as written, worked out by hand.

fn notes(set: &DataSet) -> String {
    set.notes.join("\n")
}

fn with_dates(order: DateOrder) -> LoadOptions {
    LoadOptions {
        dates: Some(order),
        ..LoadOptions::default()
    }
}

#[test]
fn day_first_dates_are_decided_from_the_whole_file() {
    let set = load("day_first/EWG.csv");
    let ewg = set.price("EWG").expect("EWG");
    // 1, 2 and 5 February 2024 (Thursday, Friday, Monday), not 2 January, 2 February, 2 May.
    assert_eq!(ewg.ts[..], [day(2024, 2, 1), day(2024, 2, 2), day(2024, 2, 5)]);
    assert_eq!(ewg.close[..], [30.25, 30.50, 30.80]);
    let notes = notes(&set);
    assert!(
        notes.contains("EWG.csv: dates read day-first (`01/02/2024` is 1 February 2024)"),
        "{notes}"
    );
    assert!(notes.contains("write `dates month-first`"), "{notes}");
}

#[test]
fn a_day_above_twelve_decides_month_first() {
    let set = load("day_first/SPY_us.csv");
    let spy = set.price("SPY_us").expect("SPY_us");
    assert_eq!(spy.ts[..], [day(2024, 1, 12), day(2024, 1, 16)]);
    let notes = notes(&set);
    assert!(
        notes.contains("dates read month-first (`01/12/2024` is 12 January 2024): `01/16/2024` is no date day-first"),
        "{notes}"
    );
}

#[test]
fn dates_that_read_both_ways_ask_for_the_order() {
    let error = load_path(&fixture("day_first/rates.csv"), &LoadOptions::default()).expect_err("ambiguous");
    assert_eq!(shown(&error), shows("ambiguous_dates", 2, 1, "01/02/2024"));
    assert_eq!(error.to_string(), "`01/02/2024` could be day-first or month-first");
    assert!(
        help(&error).contains("add `dates day-first` or `dates month-first`"),
        "{}",
        help(&error)
    );
    let label = error
        .labels()
        .and_then(|mut l| l.next())
        .and_then(|l| l.label().map(str::to_owned));
    assert_eq!(label.as_deref(), Some("1 February 2024 or 2 January 2024?"));

    let set = load_path(&fixture("day_first/rates.csv"), &with_dates(DateOrder::DayFirst)).expect("told");
    let rate = set.series("policy_rate").expect("the series");
    assert_eq!(rate.ts[..], [day(2024, 2, 1), day(2024, 3, 1), day(2024, 4, 1)]);
    assert!(notes(&set).contains("dates read day-first (`01/02/2024` is 1 February 2024), as the `data` line says"));
    let set = load_path(&fixture("day_first/rates.csv"), &with_dates(DateOrder::MonthFirst)).expect("told");
    let rate = set.series("policy_rate").expect("the series");
    assert_eq!(rate.ts[..], [day(2024, 1, 2), day(2024, 1, 3), day(2024, 1, 4)]);
}

#[test]
fn a_date_against_the_given_order_is_an_error_at_the_cell() {
    let error = fail(
        "Date,Close\n01/02/2024,1\n01/13/2024,2\n",
        &with_dates(DateOrder::DayFirst),
    );
    assert_eq!(shown(&error), shows("date_order", 3, 1, "01/13/2024"));
    assert!(
        help(&error).contains("the `data` line says `dates day-first`"),
        "{}",
        help(&error)
    );
    let error = fail("Date,Close\n13/02/2024,1\n02/14/2024,2\n", &LoadOptions::default());
    assert_eq!(shown(&error), shows("mixed_date_orders", 2, 1, "13/02/2024"));
}

#[test]
fn semicolons_and_decimal_commas() {
    let set = load("semicolon/DAX.csv");
    let dax = set.price("DAX").expect("DAX");
    assert_eq!(dax.open[..], [16_769.36, 16_656.98]);
    assert_eq!(dax.close[..], [16_769.36, 16_538.39]);
    assert_eq!(dax.volume.as_deref(), Some(&[73_018_900.0, 80_522_300.0][..]));
    assert!(
        notes(&set)
            .contains("DAX.csv: fields separated by semicolons (`;`), numbers with a decimal comma (`100,5` is 100.5)"),
        "{}",
        notes(&set)
    );
    let set = load("semicolon/EXS1.csv");
    let exs1 = set.price("EXS1").expect("EXS1");
    assert_eq!(
        (exs1.open.to_vec(), exs1.high.to_vec()),
        (vec![100.5, 100.8], vec![101.0, 102.2])
    );
    assert_eq!(
        (exs1.low.to_vec(), exs1.close.to_vec()),
        (vec![99.5, 100.1], vec![100.75, 101.9])
    );
}

#[test]
fn tabs_and_utf16() {
    let set = load("tab/SPY.csv");
    let spy = set.price("SPY").expect("SPY");
    assert_eq!(spy.close[..], [472.65, 468.79]);
    assert_eq!(spy.volume.as_deref(), Some(&[123_623_700.0, 103_585_900.0][..]));
    assert!(notes(&set).contains("fields separated by tabs, numbers with a decimal point"));
    let set = load("utf16/VTWG.csv");
    let vtwg = set.price("VTWG").expect("VTWG");
    assert_eq!(
        (vtwg.ts.to_vec(), vtwg.close.to_vec()),
        (vec![day(2024, 1, 2), day(2024, 1, 3)], vec![184.52, 181.07])
    );
    assert!(
        notes(&set).contains("VTWG.csv: read as UTF-16LE text"),
        "{}",
        notes(&set)
    );
}

#[test]
fn both_decimal_marks_in_one_file_is_an_error() {
    let error = load_path(&fixture("semicolon/mixed.csv"), &LoadOptions::default()).expect_err("mixed");
    assert_eq!(shown(&error), shows("mixed_decimal_marks", 2, 12, "100,5"));
}

#[test]
fn a_misspelled_column_is_a_warning_and_the_run_says_it_is_unadjusted() {
    let set = load("misspelled/IWO.csv");
    let iwo = set.price("IWO").expect("IWO");
    assert_eq!(iwo.adj_close, None, "`Adj Clse` is not read as the adjusted close");
    assert_eq!(iwo.close[..], [251.25, 252.75]);
    assert_eq!(set.warnings.len(), 1);
    let warning = &set.warnings[0];
    assert_eq!(
        warning.to_string(),
        "column `Adj Clse` is not read; did you mean `Adj Close`?"
    );
    assert_eq!(warning.severity(), Some(miette::Severity::Warning));
    let notes = notes(&set);
    assert!(
        notes.contains("column `Adj Clse` is not read (did you mean `Adj Close`?)"),
        "{notes}"
    );
    assert!(
        notes.contains("IWO.csv: no adjusted close: prices are not adjusted for dividends"),
        "{notes}"
    );

    let set = load("misspelled/IWN.csv");
    assert_eq!(
        set.warnings[0].to_string(),
        "column `hi` is not read; did you mean `High`?"
    );
    let label = set.warnings[0].labels().and_then(|mut l| l.next()).expect("a label");
    assert_eq!((label.offset(), label.len()), ("Date,Open,".len(), 2));
    let iwn = set.price("IWN").expect("IWN");
    assert_eq!(iwn.high, iwn.close, "no high column is read");
}

#[test]
fn prices_without_a_close_are_an_error_at_the_header() {
    let error = load_path(&fixture("no_close/IWM.csv"), &LoadOptions::default()).expect_err("no close");
    assert_eq!(shown(&error), shows("missing_column", 1, 1, "Date,Open,High,Low"));
    assert_eq!(error.to_string(), "the header has no close column");
    assert!(
        help(&error).contains("need a `Close` (or `Adj Close`) column"),
        "{}",
        help(&error)
    );
    let error = fail("Date,Open,Clsoe\n2024-01-02,1,2\n", &LoadOptions::default());
    assert!(
        help(&error).contains("did you mean `Close` for `Clsoe`?"),
        "{}",
        help(&error)
    );
}

#[test]
fn alpha_vantage_raw_prices_are_made_continuous_at_splits() {
    let set = load("splits/IWM.csv");
    let iwm = set.price("IWM").expect("IWM");
    assert_eq!(
        iwm.ts[..],
        [day(2005, 6, 7), day(2005, 6, 8), day(2005, 6, 9), day(2005, 6, 10)]
    );
    // Before the 2-for-1 split of 2005-06-09, prices halve and volumes double.
    assert_eq!(iwm.close[..], [124.22 / 2.0, 123.43 / 2.0, 62.32, 62.45]);
    assert_eq!(iwm.open[..], [124.4 / 2.0, 124.48 / 2.0, 61.67, 62.45]);
    assert_eq!(iwm.high[..], [125.75 / 2.0, 124.74 / 2.0, 62.42, 62.55]);
    assert_eq!(iwm.low[..], [123.94 / 2.0, 123.25 / 2.0, 61.36, 62.08]);
    assert_eq!(
        iwm.volume.as_deref(),
        Some(&[25_201_400.0, 18_085_800.0, 10_906_900.0, 19_949_900.0][..])
    );
    assert!(set.warnings.is_empty(), "a split the file states is no surprise");
    let notes = notes(&set);
    assert!(
        notes.contains("raw prices made continuous with `split_coefficient`: prices before each split divided by its coefficient: IWM (2 on 2005-06-09)"),
        "{notes}"
    );
    assert!(
        notes.contains("`dividend_amount` is paid only with `dividends cash`"),
        "{notes}"
    );
}

#[test]
fn a_split_like_move_in_raw_prices_is_a_warning_naming_the_day() {
    let set = load("raw_split/IWM.csv");
    let iwm = set.price("IWM").expect("IWM");
    assert_eq!(iwm.close[..], [124.22, 123.43, 62.32, 62.45], "read as written");
    assert_eq!(set.warnings.len(), 1);
    // 62.32 / 123.43 − 1 = −49.5%.
    assert_eq!(
        set.warnings[0].to_string(),
        "IWM fell 49.5% on 2005-06-09 (123.43 → 62.32), as a 2-for-1 split would"
    );
    let label = set.warnings[0].labels().and_then(|mut l| l.next()).expect("a label");
    let text = std::fs::read_to_string(fixture("raw_split/IWM.csv")).expect("fixture");
    assert_eq!(
        &text[label.offset()..label.offset() + label.len()],
        "2005-06-09,61.67,62.42,61.36,62.32,10906900"
    );
    assert!(notes(&set).contains("IWM fell 49.5% on 2005-06-09"), "{}", notes(&set));
}

#[test]
fn krx_export_in_cp949() {
    let set = load("krx/280930.csv");
    let etf = set.price("280930").expect("named by the file");
    assert_eq!(etf.ts[..], [day(2024, 1, 2), day(2024, 1, 3), day(2024, 1, 4)]);
    assert_eq!(etf.open[..], [12_330.0, 12_280.0, 12_005.0]);
    assert_eq!(etf.high[..], [12_440.0, 12_285.0, 12_010.0]);
    assert_eq!(etf.low[..], [12_300.0, 12_020.0, 11_890.0]);
    assert_eq!(etf.close[..], [12_400.0, 12_035.0, 11_905.0]);
    assert_eq!(etf.volume.as_deref(), Some(&[40_128.0, 81_902.0, 52_311.0][..]));
    let notes = notes(&set);
    assert!(notes.contains("280930.csv: read as CP949 (EUC-KR) text"), "{notes}");
    assert!(notes.contains("run newest first"), "{notes}");
    assert!(
        notes.contains("ignored columns `대비`, `등락률`, `거래대금`, `시가총액`, `상장주식수`"),
        "{notes}"
    );
    assert!(set.warnings.is_empty());
}

#[test]
fn broker_export_with_dotted_dates() {
    let set = load("broker/360750.csv");
    let etf = set.price("360750").expect("named by the file");
    assert_eq!(etf.ts[..], [day(2024, 1, 2), day(2024, 1, 3), day(2024, 1, 4)]);
    assert_eq!(etf.close[..], [15_470.0, 15_250.0, 15_145.0]);
    assert_eq!(etf.open[..], [15_385.0, 15_420.0, 15_230.0]);
    assert_eq!(etf.volume.as_deref(), Some(&[98_154.0, 151_230.0, 103_215.0][..]));
}

#[test]
fn bank_of_korea_ecos_won_dollar() {
    let set = load("ecos/usdkrw.csv");
    let rate = set.series("usdkrw").expect("the value column, named by the file");
    assert_eq!(rate.ts[..], [day(2024, 1, 2), day(2024, 1, 3), day(2024, 1, 4)]);
    assert_eq!(rate.values, [1289.4, 1306.1, 1310.1]);
    assert_eq!(set.series.len(), 1, "the descriptive columns are no series");
    assert!(notes(&set).contains("ignored columns `STAT_CODE`"), "{}", notes(&set));

    let set = load_path(&fixture("ecos/usdkrw_web.csv"), &alias("usdkrw")).expect("valid");
    let rate = set.series("usdkrw").expect("renamed");
    assert_eq!(rate.ts[..], [day(2024, 1, 2), day(2024, 1, 3), day(2024, 1, 4)]);
    assert_eq!(rate.values, [1289.4, 1306.1, 1310.1]);
}

#[test]
fn prices_must_be_plausible() {
    let error = load_path(&fixture("bad/tiny_price.csv"), &LoadOptions::default()).expect_err("1e-320");
    assert_eq!(shown(&error), shows("implausible_price", 3, 12, "1e-320"));
    assert!(help(&error).contains("from 0.000001 to 1e12"), "{}", help(&error));
    let error = load_path(&fixture("bad/huge_price.csv"), &LoadOptions::default()).expect_err("1e26");
    assert_eq!(shown(&error), shows("implausible_price", 3, 12, "1e26"));
    let error = load_path(&fixture("bad/infinite_price.csv"), &LoadOptions::default()).expect_err("inf");
    assert_eq!(shown(&error), shows("not_a_number", 3, 12, "inf"));
    let error = fail("Date,Close\n2024-01-02,NaN\n", &LoadOptions::default());
    assert_eq!(shown(&error), shows("not_a_number", 2, 12, "NaN"));
    let set = load_path(&fixture("bad/tiny_price.csv"), &lenient()).expect("skipped");
    assert_eq!(set.price("tiny_price").map(|p| p.close.to_vec()), Some(vec![100.5]));
    assert_eq!(set.skipped_rows, 1);
}

/// A price file of `rows` one-minute bars (about 50 bytes a row), with the cell `bad` in
/// place of the close of row `bad_row`, if any.
fn minute_file(rows: usize, bad: Option<(usize, &str)>) -> String {
    let mut text = String::from("date,open,high,low,close,volume\n");
    let start = NaiveDate::from_ymd_opt(2020, 1, 1)
        .expect("a date")
        .and_hms_opt(0, 0, 0)
        .expect("a time");
    for i in 0..rows {
        let at = start + chrono::Duration::minutes(i as i64);
        let price = 100 + i % 13;
        let close = match bad {
            Some((row, cell)) if row == i => cell.to_owned(),
            _ => format!("{price}.75"),
        };
        text.push_str(&format!(
            "{},{price}.50,{}.25,{price}.00,{close},{}\n",
            at.format("%Y-%m-%d %H:%M:%S"),
            price + 1,
            1000 + i
        ));
    }
    text
}

/// Loads `text` by [`load_mapped`], recording what it lets go of.
fn load_released(text: &str, opts: &LoadOptions) -> (Result<DataSet, DataError>, Vec<std::ops::Range<usize>>) {
    let released = std::sync::Mutex::new(Vec::new());
    let record = |range: std::ops::Range<usize>| released.lock().expect("not poisoned").push(range);
    let set = load_mapped("MIN.csv", text.as_bytes(), opts, &record);
    let mut ranges = released.into_inner().expect("not poisoned");
    ranges.sort_by_key(|r| r.start);
    (set, ranges)
}

#[test]
fn a_mapped_file_is_let_go_of_row_by_row_with_the_same_result() {
    // About 10 MB: read in two halves, each letting go of its rows in parts.
    let text = minute_file(200_000, None);
    let opts = LoadOptions::default();
    let (mapped, ranges) = load_released(&text, &opts);
    let mapped = mapped.expect("valid");
    let direct = load_str("MIN.csv", &text, &opts).expect("valid");
    assert_eq!(mapped.prices, direct.prices);
    assert_eq!(mapped.notes, direct.notes);
    assert_eq!(mapped.prices[0].len(), 200_000);
    // Several parts, none overlapping another, together every row from the first to the end.
    assert!(ranges.len() >= 4, "{ranges:?}");
    let header = text.find('\n').expect("a header") + 1;
    assert_eq!(ranges[0].start, header, "{ranges:?}");
    assert_eq!(ranges.last().map(|r| r.end), Some(text.len()), "{ranges:?}");
    for pair in ranges.windows(2) {
        assert_eq!(pair[0].end, pair[1].start, "{ranges:?}");
    }
}

#[test]
fn a_bad_row_in_a_mapped_file_is_reported_the_same_after_its_rows_are_let_go_of() {
    // The bad cell is past the first part let go of, and read again for the diagnostic.
    let text = minute_file(200_000, Some((150_000, "-1")));
    let (mapped, ranges) = load_released(&text, &LoadOptions::default());
    let direct = load_str("MIN.csv", &text, &LoadOptions::default());
    let (mapped, direct) = (mapped.expect_err("bad close"), direct.expect_err("bad close"));
    assert_eq!(mapped.to_string(), direct.to_string());
    assert_eq!(
        mapped.labels().map(|l| l.collect::<Vec<_>>()),
        direct.labels().map(|l| l.collect::<Vec<_>>())
    );
    assert!(!ranges.is_empty());
    // Leniently, the row is skipped and counted, as without letting go.
    let (mapped, ranges) = load_released(&text, &lenient());
    let (mapped, direct) = (
        mapped.expect("lenient"),
        load_str("MIN.csv", &text, &lenient()).expect("lenient"),
    );
    assert_eq!(mapped.prices, direct.prices);
    assert_eq!(mapped.notes, direct.notes);
    assert_eq!(mapped.skipped_rows, 1);
    assert!(
        ranges.iter().all(|r| r.start < r.end && r.end <= text.len()),
        "{ranges:?}"
    );
}

/// A high below the low is no bar any market makes: an error naming the file, symbol and
/// date; `--lenient` drops the row (counted, with the reason in the note).
#[test]
fn a_high_below_the_low_is_an_error_naming_the_bar() {
    let text = "Date,Open,High,Low,Close\n2024-01-02,10,11,9,10\n2024-01-03,10,9,11,10\n2024-01-04,10,11,9,10\n";
    let error = fail(text, &alias("IWM"));
    assert_eq!(
        error.to_string(),
        "IWM on 2024-01-03 in `test.csv`: the high 9 is below the low 11"
    );
    assert_eq!(
        error.code().map(|c| c.to_string()).as_deref(),
        Some("rotor::data::impossible_bar")
    );
    assert!(help(&error).contains("swapped"), "{}", help(&error));
    let set = load_str(
        "test.csv",
        text,
        &LoadOptions {
            lenient: true,
            ..alias("IWM")
        },
    )
    .expect("lenient loading drops the row");
    let iwm = set.price("IWM").expect("IWM");
    assert_eq!(iwm.ts[..], [day(2024, 1, 2), day(2024, 1, 4)]);
    assert_eq!(iwm.high[..], [11.0, 11.0]);
    assert_eq!(iwm.low[..], [9.0, 9.0]);
    assert_eq!(set.skipped_rows, 1);
    let notes = set.notes.join("\n");
    assert!(
        notes.contains(
            "skipped 1 bad row (lenient); the first, line 3: IWM on 2024-01-03: the high 9 is below the low 11"
        ),
        "{notes}"
    );
}

#[test]
fn a_negative_volume_is_an_error_naming_the_bar() {
    let text = "date,symbol,open,high,low,close,volume\n2024-01-02,AAA,10,11,9,10,100\n2024-01-02,BBB,10,11,9,10,-5\n";
    let error = fail(text, &LoadOptions::default());
    assert_eq!(
        error.to_string(),
        "BBB on 2024-01-02 in `test.csv`: the volume -5 is below zero"
    );
    // An empty volume cell is an unknown volume, not a negative one.
    let text = "date,symbol,open,high,low,close,volume\n2024-01-02,AAA,10,11,9,10,\n";
    assert!(load_str("test.csv", text, &LoadOptions::default()).is_ok());
}

/// A close outside [low, high] is a warning and a note, not an error: an adjusted close
/// beside a raw high and low can lie outside. One warning per symbol, with the count and
/// the first bar.
#[test]
fn a_close_outside_the_range_is_a_warning() {
    let text = "Date,Open,High,Low,Close\n2024-01-02,10,11,9,12\n2024-01-03,10,11,9,10\n2024-01-04,10,11,9,8.5\n";
    let set = load_str("test.csv", text, &alias("IWM")).expect("a warning only");
    assert_eq!(set.warnings.len(), 1);
    let warning = &set.warnings[0];
    assert_eq!(
        warning.to_string(),
        "test.csv: IWM closes outside its low–high range on 2 rows, the first on 2024-01-02 (close 12, low 9, high 11)"
    );
    assert_eq!(warning.severity(), Some(miette::Severity::Warning));
    assert!(set.notes.contains(&warning.to_string()), "{:?}", set.notes);
    assert_eq!(set.price("IWM").expect("IWM").close[..], [12.0, 10.0, 8.5]);
    let one = "Date,Open,High,Low,Close\n2024-01-02,10,11,9,10\n2024-01-03,10,11,9,11.5\n";
    let set = load_str("test.csv", one, &alias("IWM")).expect("a warning only");
    assert!(
        set.warnings[0]
            .to_string()
            .contains("on 1 row, the first on 2024-01-03")
    );
    // The only close is the adjusted close: outside the range, it says the open, high and
    // low are raw (data/two_scales.rs), which is said instead, and they are not read.
    let adjusted = "Date,Open,High,Low,Adj Close\n2024-01-02,10,11,9,8\n";
    let set = load_str("test.csv", adjusted, &alias("IWM")).expect("loads");
    assert_eq!(set.warnings.len(), 1, "{:?}", set.warnings);
    assert!(matches!(
        set.warnings[0],
        DataWarning::RawRangeBesideAdjustedClose { .. }
    ));
    let iwm = set.price("IWM").expect("IWM");
    assert_eq!(iwm.open[..], [8.0]);
    assert_eq!(iwm.high[..], [8.0]);
    assert_eq!(iwm.low[..], [8.0]);
}

/// A run that does not keep the high and low, or the volume, does not check them (the
/// columns are empty); `rotor check` (every column kept) does.
#[test]
fn only_kept_columns_are_checked() {
    let text = "Date,Open,High,Low,Close,Volume\n2024-01-02,10,9,11,12,-1\n";
    assert!(matches!(
        load_str("test.csv", text, &alias("IWM")),
        Err(DataError::ImpossibleBar { .. })
    ));
    let nothing_kept = LoadOptions {
        unread: Unread {
            high_low: true,
            volume: true,
        },
        ..alias("IWM")
    };
    let set = load_str("test.csv", text, &nothing_kept).expect("nothing checked is kept");
    assert!(set.warnings.is_empty(), "{:?}", set.warnings);
    let volume_kept = LoadOptions {
        unread: Unread {
            high_low: true,
            volume: false,
        },
        ..alias("IWM")
    };
    let error = fail(text, &volume_kept);
    assert!(error.to_string().contains("the volume -1 is below zero"), "{error}");
}

/// A huge cell is quoted cut, with its length, in the message and in the rendered
/// diagnostic: a 5 MB cell is not echoed whole.
#[test]
fn a_huge_cell_is_cut_in_its_diagnostic() {
    let huge = "x".repeat(5_000_000);
    let text = format!("Date,Close\n2024-01-02,10\n2024-01-03,{huge}\n");
    let error = fail(&text, &alias("IWM"));
    let message = error.to_string();
    assert_eq!(
        message,
        format!(
            "`{}… (5000000 characters)` in column Close is not a number",
            "x".repeat(crate::display::MAX_QUOTED_CHARS)
        )
    );
    let rendered = crate::display::render(&error, None, false);
    assert!(rendered.len() < 10_000, "{} bytes rendered", rendered.len());
    assert!(rendered.contains("5000000 characters"), "{rendered}");
}

/// Excel's `sep=;` first line names the delimiter; the header is the next line, and the
/// report says so.
#[test]
fn an_excel_sep_line_names_the_delimiter() {
    let text = "sep=;\r\nDate;Open;High;Low;Close\r\n2024-01-02;10,5;11;9;10,25\r\n2024-01-03;10;11;9;10\r\n";
    let set = load_str("DAX.csv", text, &LoadOptions::default()).expect("loads");
    let dax = set.price("DAX").expect("named by the file");
    assert_eq!(dax.ts[..], [day(2024, 1, 2), day(2024, 1, 3)]);
    assert_eq!(dax.open[..], [10.5, 10.0]);
    assert_eq!(dax.close[..], [10.25, 10.0]);
    assert!(
        set.notes[0].starts_with(
            "DAX.csv: the first line `sep=;` (Excel's) names the field separator; the header is the line after it"
        ),
        "{:?}",
        set.notes
    );
    assert!(
        notes(&set).contains("fields separated by semicolons (`;`), numbers with a decimal comma"),
        "{}",
        notes(&set)
    );
    // `sep=,` too, even where another delimiter would count more often in the header.
    let text = "sep=,\nDate,Close\n2024-01-02,10\n";
    let set = load_str("X.csv", text, &LoadOptions::default()).expect("loads");
    assert_eq!(set.price("X").expect("X").close[..], [10.0]);
    // Quoted, as some tools write it (a one-cell row).
    let text = "\"sep=;\"\r\nDate;Close\r\n2024-01-02;10,5\r\n";
    let set = load_str("X.csv", text, &LoadOptions::default()).expect("loads");
    assert_eq!(set.price("X").expect("X").close[..], [10.5]);
    // A `sep=` naming no delimiter rotor reads is no such line: an error at the header,
    // whose help says what the line means and what to do.
    let error = fail("sep=|\nDate|Close\n2024-01-02|10\n", &LoadOptions::default());
    let help = help(&error);
    assert!(help.contains("`sep=|` names `|` as the field separator"), "{help}");
    assert!(help.contains("commas, semicolons or tabs"), "{help}");
    assert!(load_str("X.csv", "\"sep=;\nDate;Close\n2024-01-02;10\n", &LoadOptions::default()).is_err());
}
