//! Vendors' files read honestly (a new user's attack, issue of the `data9` branch): a layout
//! whose prices are on two scales, an unadjusted split of any usual ratio, and yfinance's
//! own layout are each said or refused, never read wrongly without a word. The files are
//! small and written by hand in each test; every figure below is worked out by hand.

mod common;

use std::path::{Path, PathBuf};

/// A fresh folder with `files` (name, text) and the strategy `body` as `s.rotor`.
fn folder(label: &str, files: &[(&str, &str)], body: &str) -> PathBuf {
    let dir = common::temp_dir(label);
    for (name, text) in files {
        std::fs::write(dir.join(name), text).expect("a temporary file is writable");
    }
    std::fs::write(dir.join("s.rotor"), body).expect("a temporary file is writable");
    dir
}

/// `rotor run s.rotor --json` in `dir`, which must succeed: the report and the stderr.
fn run_json(dir: &Path) -> (serde_json::Value, String) {
    let out = common::rotor(dir, &["run", "s.rotor", "--json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    (serde_json::from_str(&out.stdout).expect("JSON"), out.stderr)
}

/// Standard error as one line of words: miette's wrapped message and help joined again.
fn words(stderr: &str) -> String {
    common::flat(stderr).split_whitespace().collect::<Vec<_>>().join(" ")
}

fn notes(report: &serde_json::Value) -> Vec<String> {
    let notes = report["data"]["notes"].as_array().expect("data.notes");
    notes.iter().map(|n| n.as_str().expect("a note").to_string()).collect()
}

/// Five calm days (±1%) of `level`, then the day `after`: a file `Date,Close`.
fn calm_then(level: &str, high: &str, after: &str) -> String {
    format!(
        "Date,Close\n2024-01-02,{level}\n2024-01-03,{high}\n2024-01-04,{level}\n2024-01-05,{high}\n\
         2024-01-08,{level}\n2024-01-09,{after}\n"
    )
}

#[test]
fn unadjusted_splits_of_the_usual_ratios_are_warned_about_with_rounded_prices() {
    let dir = folder(
        "splits",
        &[
            // 10-for-1 on a day up 2%: 1000 → 102 is 102/1000 − 1 = −89.8%.
            ("TEN.csv", &calm_then("1000", "1010", "102")),
            // 1-for-10 reverse on a day down 5%: 10 → 95 is +850%.
            ("REV.csv", &calm_then("10", "10.1", "95")),
            // 2-for-1 on a day up 4%: 100 → 52 is −48%.
            ("TWO.csv", &calm_then("100", "101", "52")),
            // 5-for-1, the day's close written as a float32 dump: 100 → 20.39999961853027
            // is −79.6%, shown to the cent.
            ("FIVE.csv", &calm_then("100", "101", "20.39999961853027")),
            // −60% is no split of the list (2 × 0.4 = 0.8, 3 × 0.4 = 1.2: both 20% off).
            ("DROP.csv", &calm_then("100", "101", "40")),
        ],
        "data \"TEN.csv\"\ndata \"REV.csv\"\ndata \"TWO.csv\"\ndata \"FIVE.csv\"\ndata \"DROP.csv\"\n\
         capital 1000 USD\nbuy TEN once on 2024-01-02\n",
    );
    let (report, stderr) = run_json(&dir);
    let stderr = common::flat(&stderr);
    let expected = [
        "TEN fell 89.8% on 2024-01-09 (1000.00 → 102.00), as a 10-for-1 split would",
        "REV rose 850.0% on 2024-01-09 (10.00 → 95.00), as a 1-for-10 reverse split would",
        "TWO fell 48.0% on 2024-01-09 (100.00 → 52.00), as a 2-for-1 split would",
        "FIVE fell 79.6% on 2024-01-09 (100.00 → 20.40), as a 5-for-1 split would",
    ];
    let notes = notes(&report).join("\n");
    for warning in expected {
        assert!(stderr.contains(warning), "{warning}\n{stderr}");
        assert!(notes.contains(warning), "{warning}\n{notes}");
    }
    assert!(!stderr.contains("DROP fell"), "{stderr}");
    assert!(!notes.contains("DROP fell"), "{notes}");
}

#[test]
fn a_halving_is_no_split_for_a_symbol_whose_days_move_as_much() {
    // Days of ±40% (|ln 1.4| = 0.34 each): a fall to half (ln 2 = 0.69) is two such days,
    // which the market makes for this symbol; a calm symbol's halving is warned about above.
    let dir = folder(
        "wild",
        &[("WILD.csv", &calm_then("100", "140", "50"))],
        "data \"WILD.csv\"\ncapital 1000 USD\nbuy WILD once on 2024-01-02\n",
    );
    let (report, stderr) = run_json(&dir);
    assert!(!stderr.contains("split"), "{stderr}");
    assert!(!notes(&report).join("\n").contains("split would"));
}

/// yfinance's `Ticker.history()` written with `to_csv()`: its default `auto_adjust=True`
/// leaves the `Close` adjusted for dividends and splits and no `Adj Close`; the
/// `Stock Splits` column is yfinance's own name.
const YFINANCE_HISTORY: &str = "Date,Open,High,Low,Close,Volume,Dividends,Stock Splits\n\
    2024-01-02 00:00:00-05:00,10,11,9,10,100,0.0,0.0\n\
    2024-01-03 00:00:00-05:00,10,11,9,10.5,100,0.5,0.0\n\
    2024-01-04 00:00:00-05:00,10.5,11,10,10.8,100,0.0,0.0\n";

#[test]
fn yfinance_history_closes_are_read_as_adjusted_and_dividends_are_not_paid_twice() {
    let body = "data \"AAA.csv\"\ncapital 1000 USD\ndividends cash\nfill close\nbuy AAA once on 2024-01-02\n";
    let dir = folder("yfh", &[("AAA.csv", YFINANCE_HISTORY)], body);
    let out = common::rotor(&dir, &["run", "s.rotor"]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    let stderr = common::flat(&out.stderr);
    assert!(stderr.contains("AAA's dividends would be counted twice"), "{stderr}");

    // Without `dividends cash` the run goes on and says which reading applies.
    let body = "data \"AAA.csv\"\ncapital 1000 USD\nfill close\nbuy AAA once on 2024-01-02\n";
    let dir = folder("yfh2", &[("AAA.csv", YFINANCE_HISTORY)], body);
    let (report, _) = run_json(&dir);
    let notes = notes(&report).join("\n");
    assert!(
        notes.contains(
            "AAA.csv: `Stock Splits` is yfinance's column, and without an `Adj Close` its `Close` is \
             adjusted for dividends and splits (yfinance's `auto_adjust=True`, the default); rotor \
             reads it as an adjusted close"
        ),
        "{notes}"
    );
    assert!(!notes.contains("prices are the raw close"), "{notes}");
    // 1000 USD buys 100 shares at 10, worth 100 × 10.8 = 1080 at the end.
    assert_eq!(report["metrics"]["final_value"], 1080.0, "{report}");
}

#[test]
fn yfinance_history_with_its_adjusted_close_keeps_the_raw_close() {
    // `auto_adjust=False` writes `Adj Close` beside the raw `Close`: read as Yahoo's layout.
    let text = "Date,Open,High,Low,Close,Adj Close,Volume,Dividends,Stock Splits\n\
        2024-01-02,10,11,9,10,9.5,100,0.0,0.0\n\
        2024-01-03,10,11,9,10.5,10,100,0.5,0.0\n";
    let body = "data \"AAA.csv\"\ncapital 1000 USD\ndividends cash\nfill close\nbuy AAA once on 2024-01-02\n";
    let dir = folder("yfh3", &[("AAA.csv", text)], body);
    let (report, _) = run_json(&dir);
    assert!(!notes(&report).join("\n").contains("auto_adjust"));
    // 100 shares at the raw 10, worth 100 × 10.5 plus the dividend 100 × 0.5 = 1100.
    assert_eq!(report["metrics"]["final_value"], 1100.0, "{report}");
}

/// Yahoo's download with its `Close` column deleted: raw open, high and low beside the
/// adjusted close, which lies below each raw low.
const RAW_RANGE_ADJUSTED_CLOSE: &str = "Date,Open,High,Low,Adj Close,Volume\n\
    2024-01-02,100,102,99,95,1000\n\
    2024-01-03,101,103,100,96,1000\n\
    2024-01-04,102,104,101,97,1000\n";

#[test]
fn raw_open_high_low_beside_an_adjusted_close_are_not_mixed_with_it() {
    let dir = folder(
        "noclose",
        &[("AAA.csv", RAW_RANGE_ADJUSTED_CLOSE)],
        "data \"AAA.csv\"\ncapital 960 USD\nfill next open\nbuy AAA once on 2024-01-02\n",
    );
    let out = common::rotor(&dir, &["run", "s.rotor", "--json", "--trades", "t.csv"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let stderr = common::flat(&out.stderr);
    let said = "AAA.csv: AAA's open, high and low are not on the scale of the adjusted close \
                `Adj Close`: it lies outside their range on 3 rows, the first on 2024-01-02 \
                (adjusted close 95, low 99, high 102)";
    assert!(stderr.contains(said), "{stderr}");
    let report: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    let notes = notes(&report).join("\n");
    assert!(notes.contains(said), "{notes}");
    assert!(
        notes.contains("rotor uses the adjusted close in their place"),
        "{notes}"
    );
    // The order of 2024-01-02 fills at the next bar's adjusted close, 96, not at its raw
    // open 101: 960 / 96 = 10 shares.
    let trades = std::fs::read_to_string(dir.join("t.csv")).expect("trades written");
    let fill = trades.lines().nth(1).expect("one fill");
    assert!(fill.starts_with("2024-01-03,AAA,buy,10,96,960"), "{trades}");
}

#[test]
fn an_adjusted_close_inside_every_range_keeps_the_open_high_and_low() {
    // An adjusted close inside each bar's range cannot tell the scales apart: the open is
    // used as written, and the note on the only close stays as it was.
    let text = "Date,Open,High,Low,Adj Close\n2024-01-02,100,102,98,99\n2024-01-03,100,103,99,102\n";
    let dir = folder(
        "inside",
        &[("AAA.csv", text)],
        "data \"AAA.csv\"\ncapital 1000 USD\nfill next open\nbuy AAA once on 2024-01-02\n",
    );
    let out = common::rotor(&dir, &["run", "s.rotor", "--trades", "t.csv"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(!out.stderr.contains("not on the scale"), "{}", out.stderr);
    let trades = std::fs::read_to_string(dir.join("t.csv")).expect("trades written");
    // 1000 USD at the open 100: 10 shares.
    assert!(
        trades
            .lines()
            .nth(1)
            .expect("one fill")
            .starts_with("2024-01-03,AAA,buy,10,100,1000"),
        "{trades}"
    );
}

#[test]
fn daily_bars_dated_in_utc_are_refused_and_midnight_offsets_are_read() {
    // A Frankfurt close written in UTC: 22:00 (summer) and 23:00 (winter) of the day before.
    let utc = "Date,Close\n2016-10-27 22:00:00+00:00,10\n2016-10-28 22:00:00+00:00,11\n\
               2016-10-30 23:00:00+00:00,12\n";
    let dir = folder(
        "utc",
        &[("AAA.csv", utc)],
        "data \"AAA.csv\"\ncapital 1000 USD\nbuy AAA once on 2016-10-28\n",
    );
    let out = common::rotor(&dir, &["check", "s.rotor"]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    let stderr = words(&out.stderr);
    assert!(
        stderr.contains(
            "`AAA.csv`: AAA's daily bars are dated with a UTC offset at a time that is not midnight \
             (`2016-10-27 22:00:00+00:00`)"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("each bar falls on the date before its time"),
        "{stderr}"
    );
    assert!(stderr.contains("AAA.csv:2:1"), "{stderr}");

    // yfinance's own midnight with the exchange's offset, and Tiingo's dates, are the days
    // written: 1000 USD at 10 buys 100 shares, worth 100 × 12 = 1200.
    for (label, dates) in [
        (
            "midnight",
            [
                "2016-10-27 00:00:00-04:00",
                "2016-10-28 00:00:00-04:00",
                "2016-10-31 00:00:00-04:00",
            ],
        ),
        (
            "tiingo",
            [
                "2016-10-27T00:00:00.000Z",
                "2016-10-28T00:00:00.000Z",
                "2016-10-31T00:00:00.000Z",
            ],
        ),
    ] {
        let text = format!("Date,Close\n{},10\n{},11\n{},12\n", dates[0], dates[1], dates[2]);
        let dir = folder(
            label,
            &[("AAA.csv", &text)],
            "data \"AAA.csv\"\ncapital 1000 USD\nfill close\nbuy AAA once on 2016-10-27\n",
        );
        let (report, _) = run_json(&dir);
        assert_eq!(report["metrics"]["start"], "2016-10-27", "{label}");
        assert_eq!(report["metrics"]["end"], "2016-10-31", "{label}");
        assert_eq!(report["metrics"]["final_value"], 1200.0, "{label}");
    }
}

#[test]
fn vendor_layouts_rotor_does_not_read_are_refused_with_what_to_do() {
    // An index download names its one column after the index: a series, not a symbol.
    let dir = folder(
        "rut",
        &[("RUT.csv", "Date,^RUT\n2024-01-02,2000\n2024-01-03,2010\n")],
        "data \"RUT.csv\"\nbuy `^RUT` monthly\n",
    );
    let out = common::rotor(&dir, &["check", "s.rotor"]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    let stderr = words(&out.stderr);
    assert!(
        stderr.contains(
            "`RUT.csv` has no close column, so its column `^RUT` was read as a series: to trade it, \
             rename the column to `Close` and trade `RUT`"
        ),
        "{stderr}"
    );

    // The Wall Street Journal's two-digit years, and Excel's empty rows at the end.
    for (label, text, said) in [
        (
            "wsj",
            "Date,Close\n04/27/21,313.19\n04/26/21,313.30\n",
            "a year of two digits is not read, because its century is not certain",
        ),
        (
            "trail",
            "Date,Close\n2024-01-02,10\n2024-01-03,11\n,\n",
            "if it is one of the empty rows (`,,,`) a spreadsheet leaves at the end, delete them",
        ),
    ] {
        let dir = folder(label, &[("AAA.csv", text)], "data \"AAA.csv\"\nbuy AAA monthly\n");
        let out = common::rotor(&dir, &["check", "s.rotor"]);
        assert_eq!(out.code, 1, "{label}: {}", out.stdout);
        let stderr = words(&out.stderr);
        assert!(stderr.contains(said), "{label}: {stderr}");
    }
}
