//! Exchange holiday calendars (issue 12, item 16): `monthly on last trading day` fires on
//! the month's last trading day by the exchange's holidays, known in advance, not on the
//! next bar after a holiday that ends the month.
//!
//! tests/fixtures/calendar/nyse/AAA.csv has NYSE's days of late March to early June 2024:
//! no row on Friday 29 March (Good Friday), so March ends on Thursday the 28th; April ends
//! on Tuesday the 30th, May on Friday the 31st. krx/360750.csv (a Korean listing) has
//! KRX's days: it traded on 29 March, and closed on 1 May (Labor Day).

mod common;

use std::path::PathBuf;

fn strategy(name: &str, folder: &str, body: &str) -> PathBuf {
    let dir = common::temp_dir(&format!("calendar-{name}"));
    common::copy_fixtures("calendar", &dir);
    let path = dir.join("s.rotor");
    std::fs::write(&path, format!("data \"calendar/{folder}\"\n{body}\n")).expect("writable");
    path
}

fn run(path: &std::path::Path) -> (serde_json::Value, String) {
    let out = common::rotor(path.parent().expect("a folder"), &["run", "s.rotor", "--json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    (serde_json::from_str(&out.stdout).expect("json"), flat(&out.stderr))
}

use common::flat;

fn trade_dates(report: &serde_json::Value) -> Vec<String> {
    report["trades"]
        .as_array()
        .expect("trades")
        .iter()
        .map(|t| t["date"].as_str().expect("a date").to_owned())
        .collect()
}

fn assumed(report: &serde_json::Value) -> Vec<String> {
    report["assumptions"]
        .as_array()
        .expect("assumptions")
        .iter()
        .map(|a| a.as_str().expect("words").to_owned())
        .collect()
}

const BUY: &str = "capital 1000 USD\nfill close\nbuy 100 USD of AAA monthly on last trading day";

#[test]
fn good_friday_ends_march_on_thursday() {
    let (report, stderr) = run(&strategy("nyse", "nyse", BUY));
    // One fill a month, each in its own month: 28 March, 30 April, 31 May.
    assert_eq!(trade_dates(&report), ["2024-03-28", "2024-04-30", "2024-05-31"]);
    // 100 USD at 10, 12 and 13.
    let shares: Vec<f64> = report["trades"]
        .as_array()
        .expect("trades")
        .iter()
        .map(|t| t["shares"].as_f64().expect("shares"))
        .collect();
    for (got, want) in shares.iter().zip([10.0, 100.0 / 12.0, 100.0 / 13.0]) {
        assert!((got - want).abs() < 1e-9, "{shares:?}");
    }
    // The calendar was chosen from AAA (a US listing) and says so; the data agrees with it.
    assert!(
        assumed(&report)
            .iter()
            .any(|a| a.starts_with("`on last trading day` keeps the NYSE holiday calendar")),
        "{:?}",
        assumed(&report)
    );
    assert!(!stderr.contains("rotor::run::calendar"), "{stderr}");
}

#[test]
fn without_holidays_march_rolls_into_april_and_the_data_disagrees() {
    let (report, stderr) = run(&strategy("weekdays", "nyse", &format!("calendar weekdays\n{BUY}")));
    // 29 March is the last weekday; the data has no row, so the order waits for 1 April:
    // April gets two fills, as before calendars.
    assert_eq!(trade_dates(&report), ["2024-04-01", "2024-04-30", "2024-05-31"]);
    assert!(stderr.contains("rotor::run::calendar"), "{stderr}");
    assert!(
        stderr.contains(
            "the data disagrees with the weekdays calendar about 1 month end of the run: no row on 2024-03-29"
        ),
        "{stderr}"
    );
    // At the `calendar` line, the strategy's second.
    assert!(stderr.contains("s.rotor:2:1"), "{stderr}");
    // A declared calendar is no assumption.
    assert!(assumed(&report).iter().all(|a| !a.contains("holiday calendar")));
}

#[test]
fn the_calendar_check_covers_the_period_not_the_warm_up() {
    // The same data and calendar from 1 April: March's missing 29th lies before the period
    // (its bars only warm up indicators), so nothing in the run disagrees.
    let body = format!("calendar weekdays\n{BUY}\nfrom 2024-04-01");
    let (report, stderr) = run(&strategy("weekdays-from", "nyse", &body));
    assert_eq!(trade_dates(&report), ["2024-04-30", "2024-05-31"]);
    assert!(!stderr.contains("rotor::run::calendar"), "{stderr}");
}

#[test]
fn a_korean_listing_keeps_the_krx_calendar() {
    let buy = "capital 1000 USD\nfill close\nbuy 100 USD of `360750` monthly on last trading day";
    let (report, stderr) = run(&strategy("krx", "krx", buy));
    // KRX trades on Good Friday: March ends on the 29th.
    assert_eq!(trade_dates(&report), ["2024-03-29", "2024-04-30", "2024-05-31"]);
    assert!(
        assumed(&report)
            .iter()
            .any(|a| a.starts_with("`on last trading day` keeps the KRX holiday calendar")),
        "{:?}",
        assumed(&report)
    );
    assert!(!stderr.contains("rotor::run::calendar"), "{stderr}");
    // The same data with NYSE's calendar: March's order on the 28th, and a warning that
    // the data has a row on the 29th.
    let (report, stderr) = run(&strategy("krx-nyse", "krx", &format!("calendar nyse\n{buy}")));
    assert_eq!(trade_dates(&report), ["2024-03-28", "2024-04-30", "2024-05-31"]);
    assert!(
        stderr.contains("a row on 2024-03-29, after 2024-03-28 (closed by the calendar)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("calendar krx"),
        "the help names the other calendars: {stderr}"
    );
}

#[test]
fn an_unknown_calendar_is_a_located_error() {
    let path = strategy("nasdaq", "nyse", &format!("calendar nasdaq\n{BUY}"));
    let out = common::rotor(path.parent().expect("a folder"), &["check", "s.rotor"]);
    assert_ne!(out.code, 0);
    assert!(out.stderr.contains("`nyse`, `krx` or `weekdays`"), "{}", out.stderr);
    assert!(out.stderr.contains("s.rotor:2:10"), "{}", out.stderr);
    let twice = strategy("twice", "nyse", &format!("calendar nyse\ncalendar krx\n{BUY}"));
    let out = common::rotor(twice.parent().expect("a folder"), &["check", "s.rotor"]);
    assert_ne!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("`calendar` is given twice"), "{}", out.stderr);
}

#[test]
fn the_formatter_keeps_the_calendar_line() {
    let path = strategy("fmt", "nyse", &format!("calendar   krx\n{BUY}"));
    let out = common::rotor(path.parent().expect("a folder"), &["fmt", "s.rotor", "--check"]);
    assert_eq!(out.code, 1, "not formatted yet: {}", out.stderr);
    let out = common::rotor(path.parent().expect("a folder"), &["fmt", "s.rotor"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("\ncalendar krx\n"), "{}", out.stdout);
}

#[test]
fn the_last_trading_day_is_known_without_the_next_row() {
    // The data cut after Thursday 28 March: the run still buys that day, as with the full
    // data; the calendar, not the next row, says the month ends there.
    let path = strategy("cut", "nyse", BUY);
    let dir = path.parent().expect("a folder");
    let file = dir.join("calendar/nyse/AAA.csv");
    let text = std::fs::read_to_string(&file).expect("the copied fixture");
    let kept: Vec<&str> = text.lines().take_while(|l| !l.starts_with("2024-04")).collect();
    assert_eq!(kept.last(), Some(&"2024-03-28,10"));
    std::fs::write(&file, kept.join("\n") + "\n").expect("writable");
    let (report, _) = run(&path);
    assert_eq!(trade_dates(&report), ["2024-03-28"]);
}

#[test]
fn a_korean_listing_priced_as_dollars_is_warned_about_at_its_rule() {
    // 360750 is a six-digit KRX code: its prices are in won, and rotor takes every price
    // as USD. `rotor check` and `rotor run` both say so, pointing at the rule that buys it.
    let buy = "capital 1000 USD\nfill close\nbuy 100 USD of `360750` monthly on last trading day";
    let path = strategy("krx-usd", "krx", buy);
    let dir = path.parent().expect("a folder");
    let check = common::rotor(dir, &["check", "s.rotor"]);
    assert_eq!(check.code, 0, "a warning, not an error: {}", check.stderr);
    let said = flat(&check.stderr);
    assert!(said.contains("rotor::run::price_currency"), "{said}");
    assert!(
        said.contains("`360750` is a Korean listing, priced in won, but rotor values every price as US dollars"),
        "{said}"
    );
    assert!(said.contains("buy 100 USD of `360750`"), "the rule is shown: {said}");
    let (report, stderr) = run(&path);
    assert!(stderr.contains("rotor::run::price_currency"), "{stderr}");
    // The report states it too, under Assumed: the JSON and the page carry no standard
    // error, and their figures are the ones it affects.
    let korean = |report: &serde_json::Value| {
        (report["assumptions"].as_array().expect("assumptions").iter())
            .filter_map(|a| a.as_str())
            .any(|a| a.starts_with("Korean listing 360750: priced in won, but every price is taken as US dollars"))
    };
    assert!(korean(&report), "{report}");
    // A US listing on the same kind of file says nothing of the sort.
    let (report, stderr) = run(&strategy("nyse-usd", "nyse", BUY));
    assert!(!stderr.contains("price_currency"), "{stderr}");
    assert!(!korean(&report), "{report}");
}
