//! The language's rough edges found by new users (issue 18), each a test that failed
//! before its fix: a statement broken inside parentheses, reserved words as names, a
//! symbol named twice in one rule, rhai functions overloaded by arity, a weekly day the
//! market is closed, a column name with spaces, and `fmt --check`'s output.

mod common;

use common::{diagnose, rotor, temp_dir};

/// Writes `files` (name, contents) into a fresh folder and returns it.
fn folder(label: &str, files: &[(&str, &str)]) -> std::path::PathBuf {
    let dir = temp_dir(label);
    for (name, text) in files {
        std::fs::write(dir.join(name), text).expect("fixture written");
    }
    dir
}

/// Five weekdays of prices, Tuesday 2024-01-02 to Monday 2024-01-08, rising by 1.
const WEEKDAYS: &str = "Date,Close\n2024-01-02,100\n2024-01-03,101\n2024-01-04,102\n\
                        2024-01-05,103\n2024-01-08,104\n";

#[test]
fn a_condition_goes_on_inside_parentheses_after_an_operator() {
    let broken = "buy IWO monthly if (close(IWO) > 100 and\n    fed_cut_prob > 0.8)\n";
    assert_eq!(diagnose("broken.rotor", broken.as_bytes()), "ok\n");
    // Several lines, a blank one, CRLF, and nesting.
    let nested = "buy IWO monthly if (close(IWO) > 100 and\r\n\r\n  (fed_cut_prob > 0.8 or\n   us2y < 4))\n";
    assert_eq!(diagnose("nested.rotor", nested.as_bytes()), "ok\n");
}

#[test]
fn a_broken_condition_means_the_same_as_on_one_line() {
    let one = "data \"AAA.csv\"\nbuy 10 USD of AAA daily if (AAA > 101 and AAA < 104)\n";
    let two = "data \"AAA.csv\"\nbuy 10 USD of AAA daily if (AAA > 101 and\n  AAA < 104)\n";
    let dir = folder(
        "paren-lines",
        &[("AAA.csv", WEEKDAYS), ("one.rotor", one), ("two.rotor", two)],
    );
    let a = rotor(&dir, &["run", "one.rotor", "--json"]);
    let b = rotor(&dir, &["run", "two.rotor", "--json"]);
    assert_eq!(a.code, 0, "{}", a.stderr);
    assert_eq!(b.code, 0, "{}", b.stderr);
    let trades = |out: &str| {
        let v: serde_json::Value = serde_json::from_str(out).expect("JSON");
        v["trades"].as_array().map(Vec::len)
    };
    // Closes 102 and 103 are inside (101, 104): two buys, whichever way it is written.
    assert_eq!(trades(&a.stdout), Some(2), "{}", a.stdout);
    assert_eq!(trades(&b.stdout), Some(2), "{}", b.stdout);
    // `fmt` writes it on one line, and that reads back the same.
    let formatted = rotor(&dir, &["fmt", "two.rotor"]);
    assert_eq!(formatted.stdout, one, "{}", formatted.stderr);
}

#[test]
fn a_comment_inside_parentheses_that_go_on_is_a_clear_error() {
    let text = "buy IWO monthly if (close(IWO) > 100 and # cheap\n    fed_cut_prob > 0.8)\nbuy IWN monthly\n";
    let out = diagnose("comment.rotor", text.as_bytes());
    assert!(out.contains("rotor::syntax::comment_in_parentheses"), "{out}");
    // One error: the statement's second line is not reported as a statement of its own.
    assert!(!out.contains("unknown statement"), "{out}");
    assert!(!out.contains("2 errors"), "{out}");
}

#[test]
fn every_reserved_word_is_refused_as_a_let_name_and_allowed_in_backticks() {
    for word in rotor::syntax::RESERVED {
        let plain = format!("let {word} = 1\nbuy IWO monthly\n");
        let out = diagnose("reserved.rotor", plain.as_bytes());
        assert!(out.contains("rotor::syntax::"), "`let {word}` was accepted: {out}");
        assert!(out.contains("reserved word"), "`let {word}`: {out}");
        let quoted = format!("let `{word}` = 1\nbuy IWO monthly\n");
        assert_eq!(
            diagnose("quoted.rotor", quoted.as_bytes()),
            "ok\n",
            "`{word}` in backticks"
        );
    }
}

/// A window of 0 is a whole number, too small: said so, not "must be a whole number".
#[test]
fn a_window_below_one_is_said_to_be_too_small() {
    let out = diagnose("zero.rotor", b"buy IWO monthly while close(IWO) > sma(IWO, 0)\n");
    assert!(out.contains("a window must be at least 1"), "{out}");
    assert!(!out.contains("whole number"), "{out}");
    let out = diagnose(
        "months.rotor",
        b"buy IWO monthly while close(IWO) > sma(IWO, 0 months)\n",
    );
    assert!(out.contains("a window must be at least 1"), "{out}");
    // A fraction is still the wrong kind.
    let out = diagnose("half.rotor", b"buy IWO monthly while close(IWO) > sma(IWO, 2.5)\n");
    assert!(
        out.contains("a window must be a whole number of bars or a duration"),
        "{out}"
    );
}

#[test]
fn a_symbol_named_twice_in_one_rule_is_an_error() {
    let out = diagnose("twice.rotor", b"rebalance monthly to IWM 50%, IWM 50%\n");
    assert!(out.contains("rotor::check::duplicate_symbol"), "{out}");
    assert!(out.contains("`IWM` is named twice in one rule"), "{out}");
    let out = diagnose("twice.rotor", b"rotate monthly to top 1 of IWM, IWO, IWM by close\n");
    assert!(out.contains("rotor::check::duplicate_symbol"), "{out}");
    // Cash beside symbols is no repeat.
    assert_eq!(
        diagnose("cash.rotor", b"rebalance monthly to IWM 50%, cash 50%\n"),
        "ok\n"
    );
}

#[test]
fn script_functions_are_told_apart_by_their_number_of_parameters() {
    let script = "fn level(s) { s[0] }\nfn level(s, k) { s[0] * k }\n";
    // level(AAA) is the close, level(AAA, 2) twice it. Closes 100..104: close > 103 only at
    // 104 (one buy of 10); 2 × close > 205 at 103 and 104 (two buys of 20). Filled at the
    // close, so the last bar's orders fill too.
    let strategy = "data \"AAA.csv\"\nuse \"level.rhai\"\nfill close\nbuy 10 USD of AAA daily if level(AAA) > 103\n\
                    buy 20 USD of AAA daily if level(AAA, 2) > 205\n";
    let dir = folder(
        "overloads",
        &[("AAA.csv", WEEKDAYS), ("level.rhai", script), ("s.rotor", strategy)],
    );
    let out = rotor(&dir, &["run", "s.rotor", "--json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    let amounts: Vec<f64> = v["trades"]
        .as_array()
        .expect("trades")
        .iter()
        .map(|t| t["value"].as_f64().expect("value"))
        .collect();
    let tens = amounts.iter().filter(|a| (**a - 10.0).abs() < 0.01).count();
    let twenties = amounts.iter().filter(|a| (**a - 20.0).abs() < 0.01).count();
    assert_eq!((tens, twenties), (1, 2), "{amounts:?}");
    // A count that no overload takes names every overload.
    let wrong = "data \"AAA.csv\"\nuse \"level.rhai\"\nbuy 10 USD of AAA daily if level(AAA, 2, 3) > 0\n";
    std::fs::write(dir.join("wrong.rotor"), wrong).expect("written");
    let out = rotor(&dir, &["check", "wrong.rotor"]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("takes 1 or 2 arguments, not 3"), "{}", out.stderr);
}

/// Weekdays (Monday to Friday) from 2024-01-01 for `weeks` weeks, one close a day.
fn weekdays_for(weeks: i64) -> String {
    let first = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).expect("a date");
    let mut csv = String::from("Date,Close\n");
    for day in (0..weeks * 7).map(|i| first + chrono::Duration::days(i)) {
        if !matches!(
            chrono::Datelike::weekday(&day),
            chrono::Weekday::Sat | chrono::Weekday::Sun
        ) {
            csv.push_str(&format!("{day},100\n"));
        }
    }
    csv
}

#[test]
fn weekly_on_a_day_without_bars_is_refused_with_a_hint() {
    let strategy = "data \"AAA.csv\"\nbuy 10 USD of AAA weekly on saturday\n";
    let dir = folder("saturday", &[("AAA.csv", &weekdays_for(9)), ("s.rotor", strategy)]);
    let out = rotor(&dir, &["check", "s.rotor"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("the data has no bars on a saturday"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("weekly on friday"), "{}", out.stderr);
    // Data with a Saturday bar (a market open every day) may name Saturday.
    let every_day = "Date,Close\n2024-01-05,1\n2024-01-06,2\n2024-01-07,3\n2024-01-08,4\n";
    std::fs::write(dir.join("AAA.csv"), every_day).expect("written");
    let out = rotor(&dir, &["check", "s.rotor"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    // Without data nothing is known about the days: no error.
    let out = rotor(&dir, &["check", "--no-data", "s.rotor"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
}

/// A weekday missing from a few weeks of data may be holidays: only eight weeks of data
/// tell a day the market does not open. Short data is not refused, so the same strategy on
/// the data cut at a day of its run is not refused while the whole data runs (the property
/// test found both Thursdays of a two-week cut to be one symbol's holidays).
#[test]
fn weekly_on_a_day_is_judged_only_on_eight_weeks_of_data() {
    let strategy = "data \"AAA.csv\"\nbuy 10 USD of AAA weekly on thursday\n";
    let without_thursdays = |weeks| {
        weekdays_for(weeks)
            .lines()
            .filter(|l| {
                !l.starts_with("Date") && {
                    let day: chrono::NaiveDate = l[..10].parse().expect("a date");
                    chrono::Datelike::weekday(&day) != chrono::Weekday::Thu
                }
            })
            .fold(String::from("Date,Close\n"), |csv, l| csv + l + "\n")
    };
    let dir = folder("thursday", &[("AAA.csv", &without_thursdays(3)), ("s.rotor", strategy)]);
    let out = rotor(&dir, &["check", "s.rotor"]);
    assert_eq!(
        out.code, 0,
        "three weeks without a Thursday may be holidays: {}",
        out.stderr
    );
    std::fs::write(dir.join("AAA.csv"), without_thursdays(9)).expect("written");
    let out = rotor(&dir, &["check", "s.rotor"]);
    assert_eq!(
        out.code, 1,
        "nine weeks without one is a market closed then: {}",
        out.stderr
    );
    assert!(
        out.stderr.contains("the data has no bars on a thursday"),
        "{}",
        out.stderr
    );
}

/// Which weekdays have bars is read from one bar a day (the rest of a day is skipped by a
/// search), so it must still see a day whose session is a few minutes between full days.
#[test]
fn weekly_on_a_day_is_judged_by_every_day_of_intraday_data() {
    let bars = |days: &[&str]| {
        let mut csv = String::from("date,close\n");
        for day in days {
            for minute in ["09:30", "09:31", "09:32"] {
                csv.push_str(&format!("{day} {minute}:00,100\n"));
            }
        }
        csv
    };
    let strategy = "data \"AAA.csv\"\nbuy 10 USD of AAA weekly on saturday\n";
    // Thursday, Friday, Saturday, Monday (and a day two months on, so that the data is long
    // enough to be judged): the Saturday session lies between full days.
    let with_saturday = bars(&["2024-01-04", "2024-01-05", "2024-01-06", "2024-01-08", "2024-03-04"]);
    let dir = folder(
        "intraday-saturday",
        &[("AAA.csv", &with_saturday), ("s.rotor", strategy)],
    );
    let out = rotor(&dir, &["check", "s.rotor"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    // Two months of weekdays: long enough for a missing Saturday to mean one.
    let weekdays = bars(&["2024-01-04", "2024-01-05", "2024-01-08", "2024-01-09", "2024-03-04"]);
    std::fs::write(dir.join("AAA.csv"), weekdays).expect("written");
    let out = rotor(&dir, &["check", "s.rotor"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr.contains("the data has no bars on a saturday"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_column_with_spaces_is_suggested_as_it_must_be_written() {
    let strategy = "data \"AAA.csv\"\ndata \"F.csv\"\nbuy 10 USD of AAA daily if fed_cut_prob > 0.5\n";
    let series = "Date,Fed Cut Prob\n2024-01-02,0.9\n";
    let dir = folder(
        "spaces",
        &[("AAA.csv", WEEKDAYS), ("F.csv", series), ("s.rotor", strategy)],
    );
    let out = rotor(&dir, &["check", "s.rotor"]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("`` `Fed Cut Prob` ``"), "{}", out.stderr);
}

#[test]
fn fmt_check_names_each_unformatted_file_and_nothing_else() {
    let dir = folder(
        "fmt-check",
        &[
            ("good.rotor", "buy IWO monthly\n"),
            ("bad.rotor", "buy   IWO monthly\n"),
        ],
    );
    let out = rotor(&dir, &["fmt", "--check", "good.rotor", "bad.rotor"]);
    assert_eq!(out.code, 1);
    assert_eq!(out.stdout, "bad.rotor: not formatted\n");
    assert_eq!(out.stderr, "");
    let out = rotor(&dir, &["fmt", "--check", "good.rotor"]);
    assert_eq!((out.code, out.stdout.as_str()), (0, ""));
}

#[test]
fn a_sample_series_on_the_users_own_data_says_where_it_came_from() {
    // The README's examples read `us2y` and `fed_cut_prob` from the bundled sample; on a
    // user's own files they are unknown, and the help says why instead of offering `SPY`.
    let dir = folder(
        "sample-series",
        &[
            ("SPY.csv", WEEKDAYS),
            ("rates.rotor", "buy SPY daily while us2y > 3\n"),
            ("cut.rotor", "buy SPY daily while fed_cut_prob > 0.8\n"),
            ("typo.rotor", "buy SPY daily while us2yy > 3\n"),
        ],
    );
    let rates = rotor(&dir, &["run", "rates.rotor", "--data", "SPY.csv"]);
    assert_ne!(rates.code, 0);
    assert!(rates.stderr.contains("unknown series `us2y`"), "{}", rates.stderr);
    assert!(
        rates.stderr.contains("series of the bundled sample data") && rates.stderr.contains("as series us2y"),
        "{}",
        rates.stderr
    );
    assert!(!rates.stderr.contains("`SPY`?"), "{}", rates.stderr);
    let cut = rotor(&dir, &["run", "cut.rotor", "--data", "SPY.csv"]);
    assert!(cut.stderr.contains("docs/FEDWATCH.md"), "{}", cut.stderr);
    // A name that is not the sample's gets the usual help.
    let typo = rotor(&dir, &["run", "typo.rotor", "--data", "SPY.csv"]);
    assert!(!typo.stderr.contains("bundled sample"), "{}", typo.stderr);
}

#[test]
fn once_without_its_day_gets_the_line_with_one() {
    let out = diagnose("once.rotor", b"buy IWM once\n");
    assert!(out.contains("expected `on`"), "{out}");
    assert!(
        out.contains("`once` trades on one day, named after `on`: `buy IWM once on 2024-01-02`"),
        "{out}"
    );
}

#[test]
fn a_number_too_large_is_one_error_not_two() {
    // The number is kept as 0 so the rest of the file is checked; `contribute` must not
    // then say its amount is not positive: the one error is the number's.
    let out = diagnose(
        "big.rotor",
        b"contribute 100000000000000 USD monthly\nbuy IWM monthly\n",
    );
    assert!(out.contains("is too large here"), "{out}");
    assert!(!out.contains("must be a positive amount"), "{out}");
    // Elsewhere in the file a check error still shows beside a syntax error.
    let both = diagnose(
        "both.rotor",
        b"contribute 100000000000000 USD monthly\ncontribute 0 USD monthly\nbuy IWM monthly\n",
    );
    assert!(
        both.contains("is too large here") && both.contains("must be a positive amount"),
        "{both}"
    );
}
