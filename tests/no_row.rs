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
