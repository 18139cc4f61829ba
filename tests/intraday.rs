//! Intraday bars: schedules of bars and of the clock (issue 12 item 13), and outputs that
//! keep the data's timestamps (item 17).

mod common;

use std::path::PathBuf;

use common::{rotor, temp_dir};

/// AAA one-minute bars 09:30 … 09:34 on 2024-01-02 and 2024-01-03, open = close = 10, 11, …
fn minutes(strategy: &str) -> PathBuf {
    bars(&["09:30", "09:31", "09:32", "09:33", "09:34"], strategy)
}

/// AAA bars at `times` on 2024-01-02 and 2024-01-03, open = close = 10, 11, … (19 for the
/// last of ten).
fn bars(times: &[&str], strategy: &str) -> PathBuf {
    let dir = temp_dir("intraday");
    let mut csv = String::from("date,symbol,open,high,low,close\n");
    let mut p = 10;
    for day in ["2024-01-02", "2024-01-03"] {
        for time in times {
            csv.push_str(&format!("{day} {time},AAA,{p},{p},{p},{p}\n"));
            p += 1;
        }
    }
    std::fs::write(dir.join("p.csv"), csv).expect("write data");
    std::fs::write(
        dir.join("s.rotor"),
        format!("data \"p.csv\"\ncapital 1000 USD\n{strategy}"),
    )
    .expect("write strategy");
    dir
}

#[test]
fn trades_and_the_equity_file_keep_the_bars_times() {
    // Decided at the 09:30 bar of 01-02, filled at the 09:31 open of 11.
    let dir = minutes("buy all of AAA once on 2024-01-02\n");
    let run = rotor(
        &dir,
        &["run", "s.rotor", "--json", "--trades", "t.csv", "--equity", "e.csv"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(json["trades"][0]["date"], "2024-01-02 09:31");
    assert_eq!(json["trades"][0]["price"], 11.0);
    let trades = std::fs::read_to_string(dir.join("t.csv")).expect("trades file");
    assert!(
        trades
            .lines()
            .nth(1)
            .is_some_and(|l| l.starts_with("2024-01-02 09:31,AAA,buy,")),
        "{trades}"
    );
    let equity = std::fs::read_to_string(dir.join("e.csv")).expect("equity file");
    let dates: Vec<&str> = equity
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().expect("a date"))
        .collect();
    assert_eq!(dates.len(), 10);
    assert_eq!(dates[0], "2024-01-02 09:30");
    assert_eq!(dates[9], "2024-01-03 09:34");
    // Ten distinct rows: a day's bars can be told apart.
    let mut distinct = dates.clone();
    distinct.dedup();
    assert_eq!(distinct.len(), 10);
}

/// The fills of a run: (date, shares, price).
fn fills(dir: &std::path::Path) -> (Vec<(String, f64, f64)>, serde_json::Value) {
    let run = rotor(dir, &["run", "s.rotor", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    let fills = json["trades"]
        .as_array()
        .expect("trades")
        .iter()
        .map(|t| {
            let date = t["date"].as_str().expect("a date").to_string();
            (
                date,
                t["shares"].as_f64().expect("shares"),
                t["price"].as_f64().expect("a price"),
            )
        })
        .collect();
    (fills, json)
}

#[test]
fn every_bar_fires_on_each_bar_and_daily_on_the_first_bar_of_a_day() {
    // One share at each bar's close: 10 + 11 + … + 19 = 145 spent, 10 shares at 19.
    let (every, json) = fills(&minutes("fill close\nbuy 1 shares of AAA every bar\n"));
    assert_eq!(every.len(), 10);
    assert_eq!(every[4], ("2024-01-02 09:34".into(), 1.0, 14.0));
    assert_eq!(json["metrics"]["final_value"], 1000.0 - 145.0 + 10.0 * 19.0);
    let (daily, _) = fills(&minutes("fill close\nbuy 1 shares of AAA daily\n"));
    assert_eq!(
        daily,
        [
            ("2024-01-02 09:30".into(), 1.0, 10.0),
            ("2024-01-03 09:30".into(), 1.0, 15.0)
        ]
    );
    // With `fill next open` each bar's order fills at the next bar's open; the last waits.
    let (next, json) = fills(&minutes("buy 1 shares of AAA every bar\n"));
    assert_eq!(next.len(), 9);
    assert_eq!(next[0], ("2024-01-02 09:31".into(), 1.0, 11.0));
    assert_eq!(next[4], ("2024-01-03 09:30".into(), 1.0, 15.0));
    assert_eq!(json["activity"]["pending_at_end"], 1);
}

#[test]
fn clock_schedules_fire_on_the_first_bar_of_each_stretch() {
    // Bars 09:58 … 10:02 each day (prices 10 … 14, then 15 … 19).
    let times = ["09:58", "09:59", "10:00", "10:01", "10:02"];
    let (hourly, _) = fills(&bars(&times, "fill close\nbuy 1 shares of AAA hourly\n"));
    let at = |fills: &[(String, f64, f64)]| fills.iter().map(|f| f.0.clone()).collect::<Vec<_>>();
    assert_eq!(
        at(&hourly),
        [
            "2024-01-02 09:58",
            "2024-01-02 10:00",
            "2024-01-03 09:58",
            "2024-01-03 10:00"
        ]
    );
    let (two, _) = fills(&bars(&times, "fill close\nbuy 1 shares of AAA every 2 minutes\n"));
    assert_eq!(
        at(&two),
        [
            "2024-01-02 09:58",
            "2024-01-02 10:00",
            "2024-01-02 10:02",
            "2024-01-03 09:58",
            "2024-01-03 10:00",
            "2024-01-03 10:02"
        ]
    );
}
