//! Issue 12 items 2 and 3: an amount below a cent is not an order, a position below the
//! share epsilon is zero, a fill whose fee is not smaller than its value is not placed, and
//! the counts the report gives are real fills.

mod common;

use std::collections::BTreeSet;

use common::{rotor, temp_dir};

/// IWM's rows in the bundled sample data: (date, open, close), both adjusted with the
/// file's adj_close as rotor adjusts them (open × adj_close / close).
fn bundled_iwm() -> (Vec<(String, f64, f64)>, BTreeSet<String>) {
    let text = include_str!("../examples/data/etf_daily.csv");
    let mut iwm = Vec::new();
    let mut spy = BTreeSet::new();
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        let num = |i: usize| f[i].parse::<f64>().expect("a number in the sample data");
        match f[1] {
            "IWM" => iwm.push((f[0].to_string(), num(2) * num(6) / num(5), num(6))),
            "SPY" => {
                spy.insert(f[0].to_string());
            }
            _ => {}
        }
    }
    (iwm, spy)
}

/// benches/trend.rotor, worked out apart from rotor: the 200-bar average as a plain sum,
/// `buy IWM daily while close > sma` filled at the next open with all the cash, `sell all
/// IWM when close crosses below sma` at the next open. A fill happens only when there is
/// a cent to spend or a position to sell; exact arithmetic leaves no residue, so rounding
/// cannot add fills here.
fn trend_fills_by_hand() -> usize {
    let (iwm, spy) = bundled_iwm();
    // The benchmark SPY sets the calendar too: it trades on exactly IWM's days.
    assert_eq!(iwm.iter().map(|r| r.0.clone()).collect::<BTreeSet<_>>(), spy);
    let close: Vec<f64> = iwm.iter().map(|r| r.2).collect();
    let sma: Vec<Option<f64>> = (0..close.len())
        .map(|t| (t >= 199).then(|| close[t - 199..=t].iter().sum::<f64>() / 200.0))
        .collect();
    let (mut cash, mut shares, mut fills) = (10_000.0f64, 0.0f64, 0);
    let (mut buy, mut sell) = (false, false);
    for t in 0..close.len() {
        let open = iwm[t].1;
        // Orders decided yesterday, in rule order: the buy, then the sell.
        if buy && cash >= 0.01 {
            shares += cash / open;
            cash = 0.0;
            fills += 1;
        }
        if sell && shares > 0.0 {
            cash += shares * open;
            shares = 0.0;
            fills += 1;
        }
        buy = sma[t].is_some_and(|s| close[t] > s);
        sell = t > 0 && matches!((sma[t - 1], sma[t]), (Some(p), Some(s)) if close[t] < s && close[t - 1] >= p);
    }
    fills
}

#[test]
fn the_trend_case_reports_only_real_fills() {
    // Issue 12 item 2: the trend case reported 229 fills for 226 on the sample data
    // of its day; on today's sample data rotor reported 154, five of them buys of 1e-12 USD
    // of rounding residue. Worked out by hand: 149.
    let expected = trend_fills_by_hand();
    assert_eq!(expected, 149);
    let dir = temp_dir("minimums");
    let trend = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/benches/trend.rotor"))
        .expect("benches/trend.rotor");
    std::fs::write(dir.join("trend.rotor"), trend).expect("write strategy");
    let run = rotor(&dir, &["run", "trend.rotor", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(json["activity"]["trades"], expected);
    let trades = json["trades"].as_array().expect("trades");
    assert_eq!(trades.len(), expected);
    let smallest = trades
        .iter()
        .map(|t| t["value"].as_f64().expect("a value"))
        .fold(f64::INFINITY, f64::min);
    assert!(smallest >= 0.01, "a fill worth {smallest} USD");
}

#[test]
fn a_rebalance_leg_worth_less_than_its_fee_is_not_placed_and_is_counted() {
    // AAA 10, BBB 20 on three days; 1 USD a trade; `rebalance daily to AAA 60%, BBB 40%`.
    // Day 1: AAA (600 − 1) / 10 = 59.9 shares, BBB (400 − 1) / 20 = 19.95, value 998.
    // Days 2 and 3: AAA is 0.20 over 60% of 998: a sell worth 0.20 for a fee of 1 is not
    // placed (counted once a day); BBB's 0.20 short has no cash to buy with. Cash stays 0.
    let dir = temp_dir("minimums");
    let mut csv = String::from("date,symbol,close\n");
    for d in ["2024-01-02", "2024-01-03", "2024-01-04"] {
        csv.push_str(&format!("{d},AAA,10\n{d},BBB,20\n"));
    }
    std::fs::write(dir.join("prices.csv"), csv).expect("write data");
    std::fs::write(
        dir.join("s.rotor"),
        "data \"prices.csv\"\ncapital 1000 USD\nfees 1 USD per trade\nfill close\nrebalance daily to AAA 60%, BBB 40%\n",
    )
    .expect("write strategy");
    let run = rotor(&dir, &["run", "s.rotor", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(json["activity"]["trades"], 2);
    assert_eq!(json["activity"]["fee_exceeds_value"], 2);
    assert_eq!(json["cash"], 0.0);
    let value = json["metrics"]["final_value"].as_f64().expect("a value");
    assert!((value - 998.0).abs() < 1e-9, "{value}");
    let text = rotor(&dir, &["run", "s.rotor"]);
    assert!(
        text.stdout
            .contains("2 orders or rebalance legs not placed: the fee would have been at least their value"),
        "{}",
        text.stdout
    );
}

#[test]
fn a_rebalance_leg_within_a_cent_of_its_target_is_no_trade() {
    // `fill close`, `rebalance daily to AAA 50%, BBB 50%`, capital 1000, no costs; BBB
    // stays at 10.
    // 01-02: AAA 10: 50 shares of each, two fills.
    // 01-03: AAA 10.0001: AAA is worth 500.005, the portfolio 1000.005, each target
    //        500.0025: AAA is 0.0025 USD over it, BBB 0.0025 under. Below a cent: no trade.
    // 01-04: AAA 10.001: AAA is worth 500.05, the portfolio 1000.05, each target 500.025:
    //        sell 0.025 USD of AAA (0.025 / 10.001 shares), buy 0.025 USD of BBB (0.0025
    //        shares). Two fills, each worth 0.025.
    let dir = temp_dir("minimums");
    let mut csv = String::from("date,symbol,close\n");
    for (d, aaa) in [
        ("2024-01-02", "10"),
        ("2024-01-03", "10.0001"),
        ("2024-01-04", "10.001"),
    ] {
        csv.push_str(&format!("{d},AAA,{aaa}\n{d},BBB,10\n"));
    }
    std::fs::write(dir.join("prices.csv"), csv).expect("write data");
    std::fs::write(
        dir.join("s.rotor"),
        "data \"prices.csv\"\ncapital 1000 USD\nfill close\nrebalance daily to AAA 50%, BBB 50%\n",
    )
    .expect("write strategy");
    let run = rotor(&dir, &["run", "s.rotor", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    let trades = json["trades"].as_array().expect("trades");
    let seen: Vec<(&str, &str, &str)> = trades
        .iter()
        .map(|t| {
            let s = |k: &str| t[k].as_str().expect("a string");
            (s("date"), s("symbol"), s("side"))
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("2024-01-02", "AAA", "buy"),
            ("2024-01-02", "BBB", "buy"),
            ("2024-01-04", "AAA", "sell"),
            ("2024-01-04", "BBB", "buy"),
        ]
    );
    assert_eq!(json["activity"]["trades"], 4);
    let near = |a: f64, b: f64| (a - b).abs() <= 1e-9 * b.abs().max(1.0);
    for t in &trades[2..] {
        let value = t["value"].as_f64().expect("a value");
        assert!(near(value, 0.025), "{t}");
    }
    let shares = |i: usize| trades[i]["shares"].as_f64().expect("shares");
    assert!(near(shares(2), 0.025 / 10.001), "{}", shares(2));
    assert!(near(shares(3), 0.0025), "{}", shares(3));
    let value = json["metrics"]["final_value"].as_f64().expect("a value");
    assert!(near(value, 1000.05), "{value}");
}

#[test]
fn a_shortfall_is_split_across_the_buy_legs_pro_rata_whatever_their_listed_order() {
    // Attack 8b finding 11: the last-listed buy leg absorbed the sell's fee. Capital 1000,
    // 1 USD a trade, `fill close`, `rebalance daily` to AAA 50%, BBB 25%, CCC 25%.
    // 01-02, all at 10: buys of 500, 250, 250: (500 − 1) / 10 = 49.9 AAA, 24.9 BBB and
    //   CCC; cash 0, value 997.
    // 01-03, AAA 12: AAA 598.8, BBB 249, CCC 249, value 1,096.8; targets 548.4, 274.2,
    //   274.2. AAA sells 50.4 USD (4.2 shares) for 49.4 after its fee. BBB and CCC ask
    //   25.2 each, 50.4 in all: each gets 49.4 / 50.4 of it, 24.7, and buys (24.7 − 1) / 10
    //   = 2.37 shares. Each is 0.50 short: two shrunk legs. Final value 45.7 × 12 + 2 ×
    //   27.27 × 10 = 1,093.8 (1,096.8 less three fees).
    let dir = temp_dir("minimums");
    let mut csv = String::from("date,symbol,close\n");
    for (d, aaa) in [("2024-01-02", "10"), ("2024-01-03", "12")] {
        csv.push_str(&format!("{d},AAA,{aaa}\n{d},BBB,10\n{d},CCC,10\n"));
    }
    std::fs::write(dir.join("prices.csv"), csv).expect("write data");
    let mut runs = Vec::new();
    for targets in ["AAA 50%, BBB 25%, CCC 25%", "CCC 25%, BBB 25%, AAA 50%"] {
        std::fs::write(
            dir.join("s.rotor"),
            format!(
                "data \"prices.csv\"\ncapital 1000 USD\nfees 1 USD per trade\nfill close\nrebalance daily to {targets}\n"
            ),
        )
        .expect("write strategy");
        let run = rotor(&dir, &["run", "s.rotor", "--json"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
        let value = json["metrics"]["final_value"].as_f64().expect("a value");
        assert!((value - 1093.8).abs() < 1e-9, "{targets}: {value}");
        assert_eq!(json["activity"]["shrunk_orders"], 2, "{targets}");
        let mut day2: Vec<(String, String, f64)> = (json["trades"].as_array().expect("trades").iter())
            .filter(|t| t["date"] == "2024-01-03")
            .map(|t| {
                let field = |k: &str| t[k].as_str().expect("text").to_string();
                (field("symbol"), field("side"), t["shares"].as_f64().expect("shares"))
            })
            .collect();
        day2.sort_by(|a, b| a.0.cmp(&b.0));
        assert_eq!(day2.len(), 3, "{targets}");
        assert_eq!((&day2[0].0[..], &day2[0].1[..]), ("AAA", "sell"));
        assert!((day2[0].2 - 4.2).abs() < 1e-9, "{day2:?}");
        for (symbol, side, shares) in &day2[1..] {
            assert_eq!(side, "buy", "{symbol}");
            assert!((shares - 2.37).abs() < 1e-9, "{targets}: {symbol} {shares}");
        }
        runs.push(day2);
    }
    assert_eq!(runs[0], runs[1]);
}
