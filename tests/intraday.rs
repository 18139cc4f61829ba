//! Intraday bars: outputs keep the data's timestamps (issue 12 item 17).

mod common;

use std::path::PathBuf;

use common::{rotor, temp_dir};

/// AAA one-minute bars 09:30 … 09:34 on 2024-01-02 and 2024-01-03, open = close = 10, 11, …
fn minutes(strategy: &str) -> PathBuf {
    let dir = temp_dir("intraday");
    let mut csv = String::from("date,symbol,open,high,low,close\n");
    let mut p = 10;
    for day in ["2024-01-02", "2024-01-03"] {
        for m in 30..35 {
            csv.push_str(&format!("{day} 09:{m},AAA,{p},{p},{p},{p}\n"));
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
