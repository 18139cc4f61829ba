//! `priced in KRW 069500.KS`: a Korean listing's won prices converted to USD at each day's
//! rate. The fixture (tests/fixtures/krw/) has four days:
//!
//! | day        | 069500.KS (KRW) | IWO (USD) | usdkrw |
//! |------------|-----------------|-----------|--------|
//! | 2024-01-02 | 13,000          | 100       | 1,300  |
//! | 2024-01-03 | 13,200          | 102       | 1,320  |
//! | 2024-01-04 | 13,750          | 101       | 1,250  |
//! | 2024-01-05 | 12,800          | 105       | 1,280  |
//!
//! so 069500.KS costs 10, 10, 11 and 10 USD. Every expected figure is worked out here from
//! those numbers, not read from rotor.

mod common;

use std::path::Path;

use serde_json::Value;

const WON: [f64; 4] = [13_000.0, 13_200.0, 13_750.0, 12_800.0];
const IWO: [f64; 4] = [100.0, 102.0, 101.0, 105.0];
const RATE: [f64; 4] = [1_300.0, 1_320.0, 1_250.0, 1_280.0];

const DATA: &str = "data \"krw/prices.csv\"\ndata \"krw/rates.csv\"\nfill close\n";

/// A folder with the fixture and the strategy `body` (after the data lines) as `s.rotor`.
fn strategy(body: &str) -> std::path::PathBuf {
    common::strategy_with_fixtures("krw", &format!("{DATA}{body}\n"))
}

fn json(dir: &Path, extra: &[&str]) -> Value {
    let mut args = vec!["run", "s.rotor", "--json"];
    args.extend(extra);
    let out = common::rotor(dir, &args);
    assert_eq!(out.code, 0, "{}", out.stderr);
    serde_json::from_str(&out.stdout).expect("JSON")
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

const TWO: &str = "currency KRW using usdkrw\npriced in KRW 069500.KS\ncapital 10000 USD\n\
                   buy 5000 USD of 069500.KS once on 2024-01-02\nbuy 5000 USD of IWO once on 2024-01-02";

#[test]
fn a_won_listing_beside_a_dollar_one_is_valued_at_each_days_rate() {
    let dir = strategy(TWO);
    let report = json(&dir, &[]);
    // 5,000 USD buys 5,000 / (13,000 / 1,300) shares of the won listing, 5,000 / 100 of IWO.
    let korean = 5_000.0 / (WON[0] / RATE[0]);
    let iwo = 5_000.0 / IWO[0];
    let usd = korean * WON[3] / RATE[3] + iwo * IWO[3];
    let final_usd = report["metrics"]["final_value"].as_f64().expect("final value");
    assert!(close(final_usd, usd), "{final_usd} vs {usd}");
    let final_krw = report["base_currency"]["metrics"]["final_value"].as_f64().expect("KRW");
    assert!(close(final_krw, usd * RATE[3]), "{final_krw} vs {}", usd * RATE[3]);
    // Its fill is at the day's won price in dollars.
    let trades = report["trades"].as_array().expect("trades");
    let buy = trades.iter().find(|t| t["symbol"] == "069500.KS").expect("a buy");
    assert!(close(buy["price"].as_f64().expect("price"), WON[0] / RATE[0]), "{buy}");
    // … and its won price is given beside it, in the JSON and in the trades file.
    let at = trades
        .iter()
        .position(|t| t["symbol"] == "069500.KS")
        .expect("its index");
    let listed = report["listed_prices"].as_array().expect("listed prices");
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(listed[0]["trade"], at);
    assert_eq!(listed[0]["currency"], "KRW");
    assert!(
        close(listed[0]["price"].as_f64().expect("won price"), WON[0]),
        "{listed:?}"
    );
    let out = common::rotor(&dir, &["run", "s.rotor", "--trades", "trades.csv"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let csv = std::fs::read_to_string(dir.join("trades.csv")).expect("trades file");
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("date,symbol,side,shares,price,value,fee,rule,exit,listing_currency,listing_price")
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    let korean = rows.iter().find(|r| r[1] == "069500.KS").expect("its row");
    assert_eq!(korean[9], "KRW");
    assert!(close(korean[10].parse().expect("a number"), WON[0]), "{csv}");
    let dollar = rows.iter().find(|r| r[1] == "IWO").expect("IWO's row");
    assert_eq!((dollar[9], dollar[10]), ("USD", dollar[4]), "{csv}");
    // Assumed says how, and the old warning is gone for a converted listing.
    let said = report["assumptions"].to_string();
    assert!(
        said.contains("069500.KS priced in KRW: each bar's prices converted to USD at that bar's usdkrw"),
        "{said}"
    );
    assert!(said.contains("the account's cash is held in USD"), "{said}");
    assert!(!said.contains("taken as US dollars"), "{said}");
    let run = common::rotor(&dir, &["run", "s.rotor"]);
    assert!(!run.stderr.contains("price_currency"), "{}", run.stderr);
}

#[test]
fn a_sales_won_gain_is_the_won_proceeds_less_the_won_cost() {
    // 13,000,000 KRW at 1,300 is 10,000 USD: 1,000 shares at 10 USD (13,000 KRW). Sold on the
    // third day at 13,750 KRW (11 USD): 750,000 KRW gained, 15.4% withheld at the sale.
    let body = "currency KRW using usdkrw\npriced in KRW 069500.KS\ncapital 13000000 KRW\ntax korea-listed\n\
                buy 069500.KS once on 2024-01-02\nsell all 069500.KS once on 2024-01-04";
    let report = json(&strategy(body), &[]);
    let shares = 13_000_000.0 / RATE[0] / (WON[0] / RATE[0]);
    let gain = shares * WON[2] - 13_000_000.0;
    let tax = gain * 0.154;
    let year = &report["tax"]["years"][0];
    assert!(close(year["net_gain"].as_f64().expect("gain"), gain), "{year}");
    assert!(close(year["tax"].as_f64().expect("tax"), tax), "{year}");
    assert!(close(year["paid_usd"].as_f64().expect("paid"), tax / RATE[2]), "{year}");
    let realized = &report["gains"]["realized"][0];
    assert!(
        close(realized["gain_base"].as_f64().expect("won gain"), gain),
        "{realized}"
    );
    // What is left is cash: the dollar proceeds less the tax, worth the last day's won.
    let cash = shares * WON[2] / RATE[2] - tax / RATE[2];
    let final_usd = report["metrics"]["final_value"].as_f64().expect("final value");
    assert!(close(final_usd, cash), "{final_usd} vs {cash}");
    let final_krw = report["base_currency"]["metrics"]["final_value"].as_f64().expect("KRW");
    assert!(close(final_krw, cash * RATE[3]), "{final_krw} vs {}", cash * RATE[3]);
    let said = report["assumptions"].to_string();
    assert!(
        said.contains("taxes each as a Korean-listed fund of overseas shares"),
        "{said}"
    );
}

/// The rows of `file` (a CSV written by `--equity`) dated before `cut`.
fn rows_before(file: &Path, cut: &str) -> Vec<String> {
    let text = std::fs::read_to_string(file).expect("the equity file");
    text.lines()
        .skip(1)
        .filter(|l| l[..10] < *cut)
        .map(String::from)
        .collect()
}

#[test]
fn prices_and_rates_cut_at_a_date_give_the_same_days_before_it() {
    // The same strategy over the fixture, and over a copy whose prices and rates stop
    // before 2024-01-05: the days before agree to the bit, so no day read a later rate.
    let full = strategy(TWO);
    let cut = strategy(TWO);
    for name in ["prices.csv", "rates.csv"] {
        let path = cut.join("krw").join(name);
        let text = std::fs::read_to_string(&path).expect("fixture");
        let kept: Vec<&str> = text.lines().filter(|l| !l.starts_with("2024-01-05")).collect();
        std::fs::write(&path, kept.join("\n") + "\n").expect("writable");
    }
    for dir in [&full, &cut] {
        let out = common::rotor(dir, &["run", "s.rotor", "--equity", "equity.csv"]);
        assert_eq!(out.code, 0, "{}", out.stderr);
    }
    let before = rows_before(&full.join("equity.csv"), "2024-01-05");
    assert_eq!(before.len(), 3, "{before:?}");
    assert_eq!(before, rows_before(&cut.join("equity.csv"), "2024-01-05"));
}

#[test]
fn a_day_without_a_usable_rate_keeps_the_last_converted_price_and_says_so() {
    // Rates on the 2nd and the 5th only; `stale usdkrw after 1 day` expires the 2nd's on
    // the 4th. On the 3rd the 2nd's rate is read (its last value, never the 5th's); on the
    // 4th no rate: the listing keeps the 3rd's dollar price and the report counts the day.
    let dir = strategy(&format!("stale usdkrw after 1 day\n{TWO}"));
    let path = dir.join("krw/rates.csv");
    std::fs::write(&path, "date,usdkrw\n2024-01-02,1300\n2024-01-05,1280\n").expect("writable");
    let out = common::rotor(&dir, &["run", "s.rotor", "--equity", "equity.csv", "--json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let report: Value = serde_json::from_str(&out.stdout).expect("JSON");
    let said = report["assumptions"].to_string();
    assert!(
        said.contains("069500.KS had prices but no usable usdkrw on 1 bar (the first 2024-01-04)"),
        "{said}"
    );
    let korean = 5_000.0 / (WON[0] / RATE[0]);
    let iwo = 5_000.0 / IWO[0];
    let expected = [
        korean * WON[0] / 1_300.0 + iwo * IWO[0],
        korean * WON[1] / 1_300.0 + iwo * IWO[1],
        korean * WON[1] / 1_300.0 + iwo * IWO[2],
        korean * WON[3] / 1_280.0 + iwo * IWO[3],
    ];
    let text = std::fs::read_to_string(dir.join("equity.csv")).expect("equity");
    let header: Vec<&str> = text.lines().next().expect("a header").split(',').collect();
    let col = header.iter().position(|h| *h == "equity").expect("an equity column");
    let values: Vec<f64> = (text.lines().skip(1))
        .map(|l| l.split(',').nth(col).expect("a value").parse().expect("a number"))
        .collect();
    assert_eq!(values.len(), 4, "{text}");
    for (v, e) in values.iter().zip(expected) {
        assert!((v - e).abs() < 0.005, "{values:?} vs {expected:?}");
    }
}

/// `rotor check` of the strategy `body`: its exit code and its diagnostics, on one line.
fn check(body: &str) -> (i32, String) {
    let dir = strategy(body);
    let out = common::rotor(&dir, &["check", "s.rotor"]);
    (out.code, out.stderr.split_whitespace().collect::<Vec<_>>().join(" "))
}

const BUY: &str = "buy 069500.KS once on 2024-01-02";

#[test]
fn each_mistake_is_a_located_error_with_a_help() {
    let cases: [(&str, &[&str]); 10] = [
        (
            "priced in KRW 069500.KS",
            &[
                "no `currency` line",
                "add `currency KRW using <series of KRW per USD>`",
                "s.rotor:4:11",
            ],
        ),
        (
            "currency KRW using usdkrw\npriced in JPY 069500.KS",
            &[
                "`priced in JPY`, but the strategy's currency is KRW",
                "write `priced in KRW …`",
                "s.rotor:5:11",
            ],
        ),
        (
            "currency KRW using usdkrw\npriced in USD 069500.KS",
            &["prices are taken as US dollars already", "help: remove this line"],
        ),
        (
            "currency KRW using usdkrw\npriced in 069500.KS",
            &["expected a currency code", "`priced in KRW 069500.KS`", "s.rotor:5:11"],
        ),
        (
            "currency KRW using usdkrw\npriced in KRW 069500.KS, IWO",
            &[
                "`IWO` is priced in KRW, but no rule trades it",
                "list only the symbols the rules trade",
                "s.rotor:5:26",
            ],
        ),
        (
            "currency KRW using usdkrw\npriced in KRW 069500.KS, 069500.KS",
            &["`069500.KS` in `priced in` is given twice", "name `069500.KS` once"],
        ),
        (
            "currency KRW using usdkrw\npriced in KRW 069500.KS\npriced in KRW 069500.KS",
            &["`priced in` is given twice", "keep one `priced in` line"],
        ),
        (
            "currency KRW using usdkrw\npriced in KRW 069500.KS\nfx spread 0.25%",
            &["`fx spread` and `priced in` are both given", "remove `fx spread`"],
        ),
        (
            "currency KRW using usdkrw\npriced in KRW 069500.KS\ntax korea",
            &["`tax korea` and `priced in` are both given", "use `tax korea-listed`"],
        ),
        (
            "currency KRW using usdkrw\npriced in KRW 069500.KS\ntax korea-listed\nbuy IWO once on 2024-01-02",
            &[
                "`tax korea-listed` and `priced in` are both given",
                "but `IWO` is priced in USD",
            ],
        ),
    ];
    for (body, said) in cases {
        let (code, stderr) = check(&format!("{body}\n{BUY}"));
        assert_eq!(code, 1, "{body}: {stderr}");
        for words in said {
            assert!(stderr.contains(words), "{body}: `{words}` not in {stderr}");
        }
        assert!(stderr.contains("help:"), "{body}: {stderr}");
    }
    // The line as meant checks.
    let (code, stderr) = check(&format!("currency KRW using usdkrw\npriced in KRW 069500.KS\n{BUY}"));
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn a_korean_listing_without_the_line_is_still_warned_about_and_told_of_it() {
    let (code, stderr) = check(&format!("currency KRW using usdkrw\n{BUY}"));
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("rotor::run::price_currency"), "{stderr}");
    assert!(stderr.contains("`priced in KRW 069500.KS`"), "{stderr}");
}

#[test]
fn fmt_keeps_the_line() {
    let dir = strategy(&format!(
        "currency KRW using usdkrw\npriced   in KRW 069500.KS ,IWO\n{BUY}\nbuy IWO once on 2024-01-02"
    ));
    let out = common::rotor(&dir, &["fmt", "--check", "s.rotor"]);
    assert_ne!(out.code, 0, "spacing to tidy: {}{}", out.stdout, out.stderr);
    let out = common::rotor(&dir, &["fmt", "--write", "s.rotor"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let text = std::fs::read_to_string(dir.join("s.rotor")).expect("the file");
    assert!(text.contains("\npriced in KRW 069500.KS, IWO\n"), "{text}");
    // Formatted again, it stays as it is, and it runs.
    let again = common::rotor(&dir, &["fmt", "--check", "s.rotor"]);
    assert_eq!(again.code, 0, "{}{}", again.stdout, again.stderr);
    let run = common::rotor(&dir, &["run", "s.rotor"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn every_korean_listing_left_out_of_the_line_is_warned_about_once() {
    // Two listings traded besides the converted one: a warning for each, and the help says
    // to add them to the line there is (a second `priced in` line is an error).
    let dir = common::temp_dir("priced-two-left");
    std::fs::write(
        dir.join("s.rotor"),
        "currency KRW using usdkrw\npriced in KRW 069500.KS\nbuy 069500.KS once on 2024-01-02\n\
         buy 360750.KS once on 2024-01-02\nbuy `005930` once on 2024-01-02\n",
    )
    .expect("writable");
    let out = common::rotor(&dir, &["check", "--no-data", "s.rotor"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let said = out.stderr.split_whitespace().collect::<Vec<_>>().join(" ");
    assert_eq!(said.matches("rotor::run::price_currency").count(), 2, "{said}");
    assert!(said.contains("`360750.KS` is a Korean listing") && said.contains("`005930` is a Korean listing"));
    assert_eq!(said.matches("add it to the `priced in KRW` line").count(), 2, "{said}");
    assert!(!said.contains("`069500.KS` is a Korean listing"), "{said}");
}

/// A won listing on the Wednesdays of tests/fixtures/krw_hole (whose `usdkrw` has no value
/// on 02-28, 03-06 and 03-13, and 1,250 from 03-20; `gone` none after 02-21): 10,000 KRW
/// to 02-28, 11,000 on 03-06 and 03-13, 12,000 on 03-20 and 03-27, and a dividend of 500
/// KRW a share with its ex-date on 03-06.
const WON_LISTING: &str = "Date,Open,High,Low,Close,Volume,Dividends\n\
    2024-01-03,10000,10000,10000,10000,1000,0\n2024-01-10,10000,10000,10000,10000,1000,0\n\
    2024-01-17,10000,10000,10000,10000,1000,0\n2024-01-24,10000,10000,10000,10000,1000,0\n\
    2024-01-31,10000,10000,10000,10000,1000,0\n2024-02-07,10000,10000,10000,10000,1000,0\n\
    2024-02-14,10000,10000,10000,10000,1000,0\n2024-02-21,10000,10000,10000,10000,1000,0\n\
    2024-02-28,10000,10000,10000,10000,1000,0\n2024-03-06,11000,11000,11000,11000,1000,500\n\
    2024-03-13,11000,11000,11000,11000,1000,0\n2024-03-20,12000,12000,12000,12000,1000,0\n\
    2024-03-27,12000,12000,12000,12000,1000,0\n";

/// The run of 1,000 shares of the won listing bought on 2024-01-03 (10,000,000 KRW at
/// 1,000 = 10,000 USD), with dividends paid as cash and the rate `rate` expiring after 5 days.
fn won_dividend_run(rate: &str) -> Value {
    let body = format!(
        "data \"069500.KS.csv\"\ndata \"krw_hole/macro.csv\"\ncurrency KRW using {rate}\nstale {rate} after 5 days\n\
         priced in KRW 069500.KS\ndividends cash\nfill close\ncapital 10000000 KRW\nbuy 069500.KS once on 2024-01-03\n"
    );
    let dir = common::strategy_with_fixtures("krw_hole", &body);
    std::fs::write(dir.join("069500.KS.csv"), WON_LISTING).expect("writable");
    json(&dir, &[])
}

#[test]
fn a_won_dividend_whose_ex_date_has_no_rate_is_paid_on_the_next_day_with_one() {
    // 1,000 shares × 500 KRW = 500,000 KRW, due on 03-06 without a rate (it used to be
    // dropped: 0 received, 12,000,000 KRW at the end); paid on 03-20 at 1,250: 400 USD.
    // At the end: 1,000 × 12,000 / 1,250 = 9,600 USD of shares + 400 USD cash = 10,000
    // USD, × 1,250 = 12,500,000 KRW.
    let report = won_dividend_run("usdkrw");
    assert!(
        close(report["cash"].as_f64().expect("cash"), 400.0),
        "{}",
        report["cash"]
    );
    assert!(close(
        report["costs"]["dividends_received"].as_f64().expect("USD"),
        400.0
    ));
    assert!(close(report["metrics"]["final_value"].as_f64().expect("USD"), 10_000.0));
    let krw = report["base_currency"]["metrics"]["final_value"].as_f64().expect("KRW");
    assert!(close(krw, 12_500_000.0), "{krw}");
    let said = report["assumptions"].to_string();
    assert!(
        said.contains(
            "1 dividend of a listing priced in won had no usable usdkrw on its ex-date (2024-03-06): paid on the \
             first later bar with one, at that bar's rate (2024-03-20, 14 days late)"
        ),
        "{said}"
    );
    // `gone` never comes back: the dividend is never paid, and the report says so.
    let report = won_dividend_run("gone");
    assert_eq!(report["cash"].as_f64(), Some(0.0));
    let said = report["assumptions"].to_string();
    assert!(
        said.contains(
            "1 dividend of a listing priced in won never paid: gone had no usable value from its ex-date \
             (2024-03-06) to the end"
        ),
        "{said}"
    );
}
