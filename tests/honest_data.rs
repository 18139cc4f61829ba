//! Data that would be read wrongly without a word (a new user's attack, issue of the
//! `data7` branch): each case here says what it did, or refuses with the file named. The
//! files are small and written by hand in each test.

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

fn rotor(dir: &Path, args: &[&str]) -> common::Run {
    common::rotor(dir, args)
}

#[test]
fn a_price_file_whose_close_is_called_price_is_named_in_the_unknown_symbol_error() {
    // `Date,Price` has no close column: the file is read as one series, named `Price` by its
    // column, and `IWM` is no symbol. The error must say why, not "there are no symbols".
    let dir = folder(
        "renamed",
        &[(
            "IWM.csv",
            "Date,Price\n2024-01-02,100\n2024-01-03,101\n2024-01-04,102\n",
        )],
        "data \"IWM.csv\"\nbuy IWM monthly\n",
    );
    let out = rotor(&dir, &["check", "s.rotor", "--format", "json"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let list: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    let error = &list[0];
    assert_eq!(error["message"], "unknown symbol `IWM`");
    let help = error["help"].as_str().expect("a help");
    assert!(
        help.starts_with("`IWM.csv` has no close column, so it was read as a series `Price` (named by its column), not as the prices of `IWM`"),
        "{help}"
    );
    assert!(help.contains("rename its column `Price` to `Close`"), "{help}");
    assert!(help.contains("`data \"IWM.csv\" as series NAME`"), "{help}");
    assert!(!help.contains("there are no symbols"), "{help}");
    // `rotor run` loads only the series a strategy reads, and says the same.
    let run = rotor(&dir, &["run", "s.rotor"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("`IWM.csv` has no close column"), "{}", run.stderr);
}

/// `rotor run s.rotor --json` in `dir`, which must succeed: the report.
fn run_json(dir: &Path) -> serde_json::Value {
    let out = rotor(dir, &["run", "s.rotor", "--json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    serde_json::from_str(&out.stdout).expect("JSON")
}

fn notes(report: &serde_json::Value) -> Vec<String> {
    let notes = report["data"]["notes"].as_array().expect("data.notes");
    notes.iter().map(|n| n.as_str().expect("a note").to_string()).collect()
}

#[test]
fn a_quoted_number_with_one_comma_and_three_digits_in_a_comma_file_says_how_it_was_read() {
    // `"122,686"` is 122686 with the comma grouping thousands, or 122.686 with a decimal
    // comma: no cell settles it, so the rule of comma files (the comma groups thousands) is
    // applied and said.
    let dir = folder(
        "qdec",
        &[(
            "AAA.csv",
            "Date,Close\n2024-01-02,\"122,686\"\n2024-01-03,\"120,490\"\n2024-01-04,\"121,000\"\n",
        )],
        "data \"AAA.csv\"\ncapital 1000 USD\nbuy AAA once on 2024-01-02\n",
    );
    let report = run_json(&dir);
    let notes = notes(&report);
    assert!(
        notes.iter().any(|n| n.starts_with(
            "AAA.csv: no number in the file shows its decimal mark for certain; rotor takes `.` as the decimal mark, so `122,686` is 122686"
        )),
        "{notes:?}"
    );
    // Bought at 120,490 (next bar's open: the close), valued at 121,000: 1000 × 121000 / 120490.
    let final_value = report["metrics"]["final_value"].as_f64().expect("a number");
    assert!(
        (final_value - 1000.0 * 121_000.0 / 120_490.0).abs() < 1e-6,
        "{final_value}"
    );
}

#[test]
fn a_quoted_decimal_comma_elsewhere_in_the_column_settles_the_mark() {
    // `"100,5"` can only be read with a decimal comma, so `"100,250"` and `"201,000"` are
    // 100.25 and 201: bought at 100.5 on 01-03, worth 1000 / 100.5 × 201 = 2000 on 01-04.
    let dir = folder(
        "qdec2",
        &[(
            "AAA.csv",
            "Date,Close\n2024-01-02,\"100,250\"\n2024-01-03,\"100,5\"\n2024-01-04,\"201,000\"\n",
        )],
        "data \"AAA.csv\"\ncapital 1000 USD\nbuy AAA once on 2024-01-02\n",
    );
    let report = run_json(&dir);
    let notes = notes(&report);
    assert!(
        notes.iter().any(|n| n
            .starts_with("AAA.csv: fields separated by commas (`,`), numbers with a decimal comma (`100,5` is 100.5)")),
        "{notes:?}"
    );
    let final_value = report["metrics"]["final_value"].as_f64().expect("a number");
    assert!((final_value - 2000.0).abs() < 1e-6, "{final_value}");
}

#[test]
fn quoted_numbers_of_both_marks_in_a_comma_file_are_refused_at_a_cell_of_each() {
    let dir = folder(
        "qdec3",
        &[(
            "AAA.csv",
            "Date,Close\n2024-01-02,\"1,234.5\"\n2024-01-03,\"100,5\"\n2024-01-04,101\n",
        )],
        "data \"AAA.csv\"\nbuy AAA monthly\n",
    );
    let out = rotor(&dir, &["check", "s.rotor"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("rotor::data::mixed_decimal_marks"),
        "{}",
        out.stderr
    );
}

/// AAA on five NYSE trading days of 2019 with February's 4th to April's end missing: no
/// bar in March or April.
const GAPPY: &str = "Date,Close\n2019-01-02,100\n2019-01-03,100\n2019-02-01,100\n2019-05-01,100\n2019-05-02,100\n";

#[test]
fn a_monthly_contribution_due_in_months_without_bars_is_credited_on_the_next_bar() {
    // A savings plan's money arrives whether the file has prices or not: January's 500
    // with the capital, February's on 02-01, and March's, April's and May's all on
    // 05-01 — 1,000 + 5 × 500 = 3,500, not the 2,500 of the months that have bars.
    let dir = folder(
        "gap-contribute",
        &[("AAA.csv", GAPPY)],
        "data \"AAA.csv\"\ncapital 1000 USD\ncontribute 500 USD monthly\nbuy AAA monthly\n",
    );
    let report = run_json(&dir);
    assert_eq!(
        report["metrics"]["contributed"].as_f64(),
        Some(3500.0),
        "{}",
        report["metrics"]
    );
    assert_eq!(report["activity"]["contributions_skipped"].as_u64(), Some(0));
    let assumptions: Vec<&str> = (report["assumptions"].as_array().expect("assumptions").iter())
        .map(|a| a.as_str().expect("text"))
        .collect();
    assert!(
        assumptions.contains(
            &"2 contributions due when the data has no bar (the first on 2019-03-01) were credited on the next bar (2019-05-01)"
        ),
        "{assumptions:?}"
    );
}

#[test]
fn trading_days_a_price_file_skips_are_said_with_the_dates_and_the_count() {
    // NYSE traded on 19 days from 2019-01-04 to 01-31 (the 21st was Martin Luther King
    // Day) and on 60 from 02-04 to 04-30 (18 in February without Presidents' Day, 21 in
    // March, 21 in April without Good Friday): the file has rows on none of them.
    let dir = folder("gap-note", &[("AAA.csv", GAPPY)], "data \"AAA.csv\"\nbuy AAA monthly\n");
    let report = run_json(&dir);
    let notes = notes(&report);
    assert!(
        notes.contains(
            &"AAA.csv: AAA has no rows on 79 NYSE trading days, in 2 stretches: 2019-01-04 to 2019-01-31 (19 days), 2019-02-04 to 2019-04-30 (60 days); a run values AAA at its last price before each stretch, and its orders wait for the next row"
                .to_string()
        ),
        "{notes:?}"
    );
}

#[test]
fn a_short_gap_and_the_exchange_s_own_holidays_are_no_gap() {
    // Four trading days missing (2019-01-07 to 01-10) is under the threshold of five, and
    // 2019-01-21 is a holiday, not a gap.
    let file =
        "Date,Close\n2019-01-02,100\n2019-01-03,100\n2019-01-04,100\n2019-01-11,100\n2019-01-18,100\n2019-01-22,100\n";
    let dir = folder("no-gap", &[("AAA.csv", file)], "data \"AAA.csv\"\nbuy AAA monthly\n");
    let report = run_json(&dir);
    let notes = notes(&report);
    assert!(!notes.iter().any(|n| n.contains("has no rows on")), "{notes:?}");
}

#[test]
fn monthly_bars_dated_on_the_first_of_the_month_are_refused_not_read_ahead_of_time() {
    // Yahoo's monthly download dates each month's last close on the month's first day
    // (2016-05-01 is a Sunday): read as dated, a run would know May's close on May 1.
    let file = "Date,Close\n2016-04-01,100\n2016-05-01,101\n2016-06-01,102\n2016-07-01,103\n";
    let dir = folder(
        "period-start",
        &[("AAA.csv", file)],
        "data \"AAA.csv\"\nbuy AAA monthly\n",
    );
    let out = rotor(&dir, &["check", "s.rotor", "--format", "json"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let list: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    let error = &list[0];
    assert_eq!(error["code"], "rotor::data::period_start_dates");
    assert_eq!(
        error["message"],
        "`AAA.csv` has monthly bars of AAA dated on the first day of each month"
    );
    assert_eq!(
        (error["line"].as_u64(), error["file"].as_str()),
        (Some(2), Some("AAA.csv"))
    );
    let help = error["help"].as_str().expect("a help");
    assert!(
        help.contains("the close of the bar dated 2016-04-01 is the month's last close"),
        "{help}"
    );
    assert!(help.contains("daily prices"), "{help}");

    // Month-end dates are when each close was known: read as they are.
    let file = "Date,Close\n2016-04-29,100\n2016-05-31,101\n2016-06-30,102\n2016-07-29,103\n";
    let dir = folder(
        "period-end",
        &[("AAA.csv", file)],
        "data \"AAA.csv\"\nbuy AAA monthly\n",
    );
    let out = rotor(&dir, &["check", "s.rotor"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
}

/// `rotor check s.rotor --format json` in a folder with `AAA.csv` = `file`: the diagnostics.
fn check_json(label: &str, file: &str) -> (i32, serde_json::Value) {
    let dir = folder(label, &[("AAA.csv", file)], "data \"AAA.csv\"\nbuy AAA weekly\n");
    let out = rotor(&dir, &["check", "s.rotor", "--format", "json"]);
    let list = if out.code == 0 {
        serde_json::Value::Null
    } else {
        serde_json::from_str(&out.stdout).expect("JSON")
    };
    (out.code, list)
}

#[test]
fn weekly_bars_dated_on_the_monday_that_starts_the_week_are_refused_not_read_ahead_of_time() {
    // Yahoo's weekly download (interval 1wk) dates each week's last close (Friday's) on the
    // week's Monday, a holiday too: 2024-01-01 (New Year's Day) and 2024-01-15 (Martin
    // Luther King Day) are NYSE holidays, yet the bars are dated on them.
    let file = "Date,Close\n2024-01-01,100\n2024-01-08,101\n2024-01-15,102\n2024-01-22,103\n";
    let (code, list) = check_json("week-start", file);
    assert_eq!(code, 1, "{list}");
    let error = &list[0];
    assert_eq!(error["code"], "rotor::data::period_start_dates");
    assert_eq!(
        error["message"],
        "`AAA.csv` has weekly bars of AAA dated on the Monday that starts each week"
    );
    assert_eq!(
        (error["line"].as_u64(), error["file"].as_str()),
        (Some(2), Some("AAA.csv"))
    );
    let help = error["help"].as_str().expect("a help");
    assert!(
        help.contains("the close of the bar dated 2024-01-01 is the week's last close"),
        "{help}"
    );
    assert!(help.contains("`buy AAA weekly`"), "{help}");

    // A vendor that dates a week on its first trading day writes the Tuesday after a
    // Monday holiday (2024-01-02, 2024-01-16): the same form. The last bar of a download
    // made in mid-week is dated on that day (Wednesday 2024-01-24).
    let file = "Date,Close\n2024-01-02,100\n2024-01-08,101\n2024-01-16,102\n2024-01-24,103\n";
    let (code, list) = check_json("week-start-tuesday", file);
    assert_eq!(code, 1, "{list}");
    assert_eq!(list[0]["code"], "rotor::data::period_start_dates");

    // Investing.com dates a week on the Sunday before it (2023-12-31, 2024-01-07, …): the
    // Friday close of 2024-01-05 seen five days early.
    let file = "Date,Close\n2023-12-31,100\n2024-01-07,101\n2024-01-14,102\n2024-01-21,103\n";
    let (code, list) = check_json("week-start-sunday", file);
    assert_eq!(code, 1, "{list}");
    assert_eq!(list[0]["code"], "rotor::data::period_start_dates");
    assert_eq!(
        list[0]["message"],
        "`AAA.csv` has weekly bars of AAA dated on the Sunday that starts each week"
    );
    let help = list[0]["help"].as_str().expect("a help");
    assert!(
        help.contains("as Investing.com writes weekly prices, the close of the bar dated 2023-12-31"),
        "{help}"
    );
}

#[test]
fn weekly_bars_dated_when_their_close_was_made_are_read_as_dated() {
    // Friday-dated weeks (the close's own day): read as they are.
    let fridays = "Date,Close\n2024-01-05,100\n2024-01-12,101\n2024-01-19,102\n2024-01-26,103\n";
    // A Tuesday after a Monday that traded (2024-01-09) is no week's start: Tuesday
    // closes, read as dated.
    let tuesdays = "Date,Close\n2024-01-01,100\n2024-01-09,101\n2024-01-15,102\n2024-01-22,103\n";
    // Two weekly bars are too few to tell a form from.
    let two = "Date,Close\n2024-01-08,100\n2024-01-15,101\n";
    // Daily bars on Mondays among the others are no weekly form.
    let daily = "Date,Close\n2024-01-08,100\n2024-01-09,101\n2024-01-10,102\n2024-01-15,103\n";
    for (label, file) in [
        ("fridays", fridays),
        ("tuesdays", tuesdays),
        ("two", two),
        ("daily", daily),
    ] {
        let (code, list) = check_json(label, file);
        assert_eq!(code, 0, "{label}: {list}");
    }
}

/// BBB trades every weekday from 2019-03-04 to 03-15 and on 04-01; AAA, at 100, only on
/// 03-04, 03-05, 03-14 and 03-15: a run with BBB as its benchmark has bars where AAA has no
/// row.
const BBB: &str = "Date,Close\n2019-03-04,50\n2019-03-05,50\n2019-03-06,50\n2019-03-07,50\n2019-03-08,50\n\
                   2019-03-11,50\n2019-03-12,50\n2019-03-13,50\n2019-03-14,50\n2019-03-15,50\n2019-04-01,50\n";
const AAA_HOLED: &str = "Date,Close\n2019-03-04,100\n2019-03-05,100\n2019-03-14,100\n2019-03-15,100\n";

#[test]
fn orders_without_a_price_and_a_holding_valued_at_an_old_close_say_so() {
    // `buy AAA daily` with all the cash, filled at the close: 03-04 buys 10 shares (1,000 /
    // 100) and leaves no cash. 03-05, 03-14 and 03-15 have an AAA row and no cash: 3 orders
    // that came to nothing. On 03-06, 07, 08, 11, 12, 13 and 04-01 AAA has no price: those
    // 7 orders wait for its next row; the 6 that get one (03-14) come to nothing there (no
    // cash), and 04-01's is still waiting at the end. The 10 shares are valued at 03-05's
    // close on the 6 bars from 03-06 to 03-13.
    let dir = folder(
        "no-price",
        &[("AAA.csv", AAA_HOLED), ("BBB.csv", BBB)],
        "data \"AAA.csv\"\ndata \"BBB.csv\"\ncapital 1000 USD\nfill close\nbuy AAA daily\nbenchmark BBB\n",
    );
    let report = run_json(&dir);
    let activity = &report["activity"];
    let count = |key: &str| activity[key].as_u64();
    assert_eq!(count("orders"), Some(11), "{activity}");
    assert_eq!(count("trades"), Some(1), "{activity}");
    assert_eq!(count("empty_orders"), Some(3), "{activity}");
    assert_eq!(count("waited_for_price"), Some(7), "{activity}");
    assert_eq!(count("empty_after_waiting"), Some(6), "{activity}");
    assert_eq!(count("pending_at_end"), Some(1), "{activity}");
    let assumptions: Vec<&str> = (report["assumptions"].as_array().expect("assumptions").iter())
        .map(|a| a.as_str().expect("text"))
        .collect();
    assert!(
        assumptions.contains(
            &"AAA: held on 6 bars without a row of its own, valued at its last close before them: the close of 2019-03-05 used on 6 bars until 2019-03-13"
        ),
        "{assumptions:?}"
    );
    let text = rotor(&dir, &["run", "s.rotor"]);
    assert_eq!(text.code, 0, "{}", text.stderr);
    for line in [
        "  3 orders that came to nothing (no cash or no position, or less than a cent)\n",
        "  7 orders or rebalance legs that found no price for their symbol on the bar they were to fill, and waited for its next row\n",
        "  6 orders that waited for a price and came to nothing when it came (no cash or no position by then)\n",
    ] {
        assert!(text.stdout.contains(line), "{line}\n{}", text.stdout);
    }
}

/// Every weekday from 2019-01-02 to 2019-04-30 at `close`.
fn weekdays(close: &str) -> String {
    let mut csv = String::from("Date,Close\n");
    let mut day = chrono::NaiveDate::from_ymd_opt(2019, 1, 2).expect("a date");
    while day <= chrono::NaiveDate::from_ymd_opt(2019, 4, 30).expect("a date") {
        use chrono::Datelike;
        if day.weekday().number_from_monday() <= 5 {
            csv.push_str(&format!("{day},{close}\n"));
        }
        day = day.succ_opt().expect("a date");
    }
    csv
}

#[test]
fn symbols_of_different_bar_frequencies_are_each_named_with_their_own() {
    // AAA is monthly, dated on each month's last trading day (2019-01-31, 02-28, 03-29,
    // 04-30: 28, 29 and 32 days apart, a median of 29); BBB daily (weekdays: 1 day). The
    // run's bars are BBB's, daily.
    let monthly = "Date,Close\n2019-01-31,100\n2019-02-28,101\n2019-03-29,102\n2019-04-30,103\n";
    let dir = folder(
        "mixed-frequency",
        &[("AAA.csv", monthly), ("BBB.csv", &weekdays("50"))],
        "data \"AAA.csv\"\ndata \"BBB.csv\"\nbuy 100 USD of AAA monthly\nbuy 100 USD of BBB monthly\n",
    );
    let report = run_json(&dir);
    let assumptions: Vec<&str> = (report["assumptions"].as_array().expect("assumptions").iter())
        .map(|a| a.as_str().expect("text"))
        .collect();
    let note = "bars of different frequencies: AAA monthly (a median of 29 days between its rows), BBB daily \
                (1 day); the run has a bar wherever one of its files has a row (daily bars), and a schedule \
                fires on those; a symbol is priced only on its own rows: between them its holding is valued at \
                its last close and its orders wait for its next row; volatility, Sharpe and Sortino are \
                annualised with the run's 252 bars a year, on which its equity is valued";
    assert!(assumptions.contains(&note), "{assumptions:#?}");

    // One frequency: nothing said.
    let dir = folder(
        "one-frequency",
        &[("AAA.csv", &weekdays("100")), ("BBB.csv", &weekdays("50"))],
        "data \"AAA.csv\"\ndata \"BBB.csv\"\nbuy 100 USD of AAA monthly\nbuy 100 USD of BBB monthly\n",
    );
    let report = run_json(&dir);
    let assumptions = report["assumptions"].to_string();
    assert!(!assumptions.contains("different frequencies"), "{assumptions}");
}
