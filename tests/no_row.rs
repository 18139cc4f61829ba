//! Issue 12 item 5: an order for a symbol without a row that day waits for its next row
//! (every order kind, both fill modes), and a symbol without a current price is not ranked.
//! The values of the smallest cases are in tests/known_divergences.rs; here, what the
//! report says about them.

mod common;

use common::{rotor, temp_dir};

fn run_json(prices: &str, strategy: &str) -> serde_json::Value {
    let dir = temp_dir("no-row");
    std::fs::write(dir.join("prices.csv"), prices).expect("write data");
    std::fs::write(dir.join("s.rotor"), format!("data \"prices.csv\"\n{strategy}")).expect("write strategy");
    let run = rotor(&dir, &["run", "s.rotor", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    serde_json::from_str(&run.stdout).expect("JSON")
}

#[test]
fn a_candidate_whose_file_has_ended_is_not_ranked_and_is_counted() {
    // AAA on nine weekdays 01-02 … 01-12; DDD only on 01-02 and 01-03. DDD's last row is
    // bar 1: it is current up to bar 5 (a row within five trading days) and left out on
    // bars 6, 7 and 8, once a day: 3. AAA is bought on 01-03 (+10% against −10%) and kept.
    let mut prices = String::from("date,symbol,close\n");
    let days = ["02", "03", "04", "05", "08", "09", "10", "11", "12"];
    let closes = [10, 11, 12, 13, 14, 15, 14, 13, 12];
    for (d, c) in days.iter().zip(closes) {
        prices.push_str(&format!("2024-01-{d},AAA,{c}\n"));
    }
    prices.push_str("2024-01-02,DDD,10\n2024-01-03,DDD,9\n");
    let json = run_json(
        &prices,
        "capital 1000 USD\nfill close\nrotate daily to top 1 of AAA, DDD by return(1)\n",
    );
    assert_eq!(json["activity"]["not_ranked_no_price"], 3);
    assert_eq!(json["activity"]["trades"], 1);
    let value = json["metrics"]["final_value"].as_f64().expect("a value");
    assert!((value - 1000.0 / 11.0 * 12.0).abs() < 1e-9, "{value}");
}

#[test]
fn a_leg_that_never_gets_a_row_is_counted_as_waiting_at_the_end() {
    // BBB's file ends on 01-02; the rebalance decided on 01-03 fills AAA's half at the
    // 01-04 open and leaves BBB's leg waiting to the end: one order pending, 500 in cash.
    let prices = "date,symbol,open,close\n2024-01-02,AAA,10,10\n2024-01-02,BBB,20,20\n\
                  2024-01-03,AAA,10,10\n2024-01-04,AAA,10,10\n";
    let json = run_json(
        prices,
        "capital 1000 USD\nrebalance once on 2024-01-03 to AAA 50%, BBB 50%\n",
    );
    assert_eq!(json["activity"]["trades"], 1);
    assert_eq!(json["activity"]["pending_at_end"], 1);
    assert_eq!(json["cash"], 500.0);
}

/// AAA on the nine weekdays 01-02 … 01-12 at 10; DDD at 10 on 01-02 and 9 on 01-03, then
/// its file ends. `fill close` buys 100 DDD at 10 on 01-02.
fn delisting(setting: &str) -> (serde_json::Value, String) {
    let mut prices = String::from("date,symbol,close\n");
    for d in ["02", "03", "04", "05", "08", "09", "10", "11", "12"] {
        prices.push_str(&format!("2024-01-{d},AAA,10\n"));
    }
    prices.push_str("2024-01-02,DDD,10\n2024-01-03,DDD,9\n");
    let strategy = format!("capital 1000 USD\nfill close\nbenchmark AAA\n{setting}buy all of DDD once on 2024-01-02\n");
    let json = run_json(&prices, &strategy);
    let assumed = json["assumptions"]
        .as_array()
        .expect("assumptions")
        .iter()
        .filter_map(|a| a.as_str())
        .find(|a| a.starts_with("DDD:"))
        .expect("a note on DDD")
        .to_string();
    (json, assumed)
}

#[test]
fn a_holding_whose_file_has_ended_is_held_at_its_last_close_and_reported() {
    // DDD's last row is 01-03 (bar 1); the run ends on 01-12 (bar 8): carried 7 trading
    // days at 9, so 100 × 9 = 900.
    let (json, assumed) = delisting("");
    assert_eq!(json["metrics"]["final_value"], 900.0);
    assert_eq!(json["holdings"][0]["symbol"], "DDD");
    assert_eq!(
        assumed,
        "DDD: no prices after 2024-01-03; its 100 shares are valued at that day's close (9.00 USD) \
         for the last 7 trading days of the run (`delisted sell` sells such a holding)"
    );
}

#[test]
fn delisted_sell_sells_a_holding_at_its_last_close_once_it_has_stopped_trading() {
    // No row on 01-04, 01-05, 01-08, 01-09: still current. On 01-10, the fifth trading day
    // without a row, the 100 shares are sold at the last close of 9: 900 in cash.
    let (json, assumed) = delisting("delisted sell\n");
    let sale = &json["trades"][1];
    assert_eq!(
        (
            &sale["date"],
            &sale["side"],
            &sale["shares"],
            &sale["price"],
            &sale["rule"]
        ),
        (
            &"2024-01-10".into(),
            &"sell".into(),
            &100.0.into(),
            &9.0.into(),
            &0.into()
        )
    );
    assert_eq!(json["cash"], 900.0);
    assert_eq!(json["holdings"].as_array().map(Vec::len), Some(0));
    assert_eq!(
        assumed,
        "DDD: no prices after 2024-01-03; its 100 shares were sold at that day's close (9.00 USD) \
         on 2024-01-10, 5 trading days later (`delisted sell`)"
    );
}
