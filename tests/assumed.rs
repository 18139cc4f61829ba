//! What the report states under "Assumed" about how the engine reads a strategy (issue 12
//! item 18): close-only data with `fill next open`, and `rotate` beside other rules.

mod common;

use common::{rotor, temp_dir};

fn assumed(prices: &str, strategy: &str) -> Vec<String> {
    let dir = temp_dir("assumed");
    std::fs::write(dir.join("p.csv"), prices).expect("write data");
    std::fs::write(
        dir.join("s.rotor"),
        format!("data \"p.csv\"\ncapital 1000 USD\n{strategy}"),
    )
    .expect("write strategy");
    let run = rotor(&dir, &["run", "s.rotor", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    json["assumptions"]
        .as_array()
        .expect("assumptions")
        .iter()
        .map(|a| a.as_str().expect("words").to_string())
        .collect()
}

const CLOSE_ONLY: &str =
    "date,symbol,close\n2024-01-02,AAA,10\n2024-01-03,AAA,11\n2024-01-02,BBB,5\n2024-01-03,BBB,6\n";
const NOTE: &str = "no open prices for AAA (no open column, or none on the close's scale): `fill next open` fills their orders at the next bar's close";

#[test]
fn next_open_on_close_only_data_is_said_to_be_the_next_close() {
    let notes = assumed(CLOSE_ONLY, "buy AAA daily\n");
    assert!(notes.iter().any(|n| n == NOTE), "{notes:?}");
    // BBB is read by a condition only: it is not named (the note is equal to NOTE).
    let notes = assumed(CLOSE_ONLY, "buy AAA daily if BBB > 0\n");
    assert!(notes.iter().any(|n| n == NOTE), "{notes:?}");
    // With `fill close`, or with opens, there is nothing to say.
    let notes = assumed(CLOSE_ONLY, "fill close\nbuy AAA daily\n");
    assert!(!notes.iter().any(|n| n.starts_with("no open prices")), "{notes:?}");
    let with_opens = "date,symbol,open,close\n2024-01-02,AAA,10,10\n2024-01-03,AAA,11,11\n";
    let notes = assumed(with_opens, "buy AAA daily\n");
    assert!(!notes.iter().any(|n| n.starts_with("no open prices")), "{notes:?}");
}

#[test]
fn rotate_beside_other_rules_is_said_to_size_by_the_whole_portfolio() {
    let rotate = "rotate monthly to top 1 of AAA, BBB by return(1)\n";
    let alone = assumed(CLOSE_ONLY, rotate);
    assert!(!alone.iter().any(|n| n.starts_with("`rotate`")), "{alone:?}");
    let beside = assumed(CLOSE_ONLY, &format!("{rotate}buy 100 USD of AAA monthly\n"));
    assert!(
        beside.iter().any(|n| n.starts_with(
            "`rotate` gives each chosen candidate 1/N of the whole portfolio's value, holdings other rules manage included"
        )),
        "{beside:?}"
    );
}

/// A run shorter than a year says that its CAGR and XIRR are annual rates drawn from it: 10
/// daily bars from 2024-01-01 to 2024-01-10 are 9 calendar days from the first to the last,
/// the days CAGR's years count (9 / 365.25). A run of a year or more says nothing.
#[test]
fn a_run_shorter_than_a_year_says_its_rates_are_annualised() {
    let mut ten = String::from("date,symbol,open,close\n");
    for day in 1..=10 {
        let price = 99 + day;
        ten.push_str(&format!("2024-01-{day:02},AAA,{price},{price}\n"));
    }
    let notes = assumed(&ten, "buy AAA daily\n");
    let note =
        "the run covers 9 days (from 2024-01-01 to 2024-01-10), less than a year; CAGR and XIRR are annualised from it";
    assert!(notes.iter().any(|n| n == note), "{notes:?}");

    let year = "date,symbol,open,close\n2024-01-01,AAA,100,100\n2024-07-01,AAA,105,105\n2025-01-01,AAA,110,110\n";
    let notes = assumed(year, "buy AAA daily\n");
    assert!(!notes.iter().any(|n| n.starts_with("the run covers")), "{notes:?}");
}

const FOUR_DAYS: &str =
    "date,symbol,close\n2024-01-02,AAA,10\n2024-01-03,AAA,11\n2024-01-04,AAA,12\n2024-01-05,AAA,13\n";

/// `buy AAA daily` with nothing bringing cash in: the first order (2024-01-02, at the
/// close) spends the 1,000 USD; the three later ones find no cash, and the report says why
/// (the one-line DCA strategy a new user writes first is a lump sum without `contribute`).
#[test]
fn a_recurring_all_cash_buy_with_no_cash_coming_in_is_said_to_invest_once() {
    let note = "`buy AAA` names no amount, so each order spends all the cash there is; nothing brings cash in \
                after the start (no `contribute` line, no sales), so its first order invested everything and \
                3 later orders found no cash (to invest every period, add e.g. `contribute 500 USD monthly`)";
    let notes = assumed(FOUR_DAYS, "fill close\nbuy AAA daily\n");
    assert!(notes.iter().any(|n| n == note), "{notes:?}");
    // An amount, a contribution, a sale, or a single order: nothing to say.
    for strategy in [
        "fill close\nbuy 100 USD of AAA daily\n",
        "fill close\ncontribute 100 USD monthly\nbuy AAA daily\n",
        "fill close\nbuy AAA daily\nsell all AAA when close(AAA) > 12\n",
        "fill close\nbuy AAA once on 2024-01-03\n",
        // Another rule's orders would be counted as this one's: nothing is said.
        "fill close\nbuy AAA daily\nbuy 10 USD of AAA daily\n",
    ] {
        let notes = assumed(FOUR_DAYS, strategy);
        assert!(
            !notes.iter().any(|n| n.starts_with("`buy AAA` names no amount")),
            "{strategy}: {notes:?}"
        );
    }
}

/// A benchmark whose symbol has no price in the period bought nothing: rather than a column
/// of 0% figures under "BBB (buy & hold)", it is left out and the report says why.
#[test]
fn a_benchmark_that_bought_nothing_is_left_out_and_said_so() {
    let prices = "date,symbol,close\n2023-01-02,BBB,5\n2023-01-03,BBB,6\n\
                  2024-01-02,AAA,10\n2024-01-03,AAA,11\n2024-01-04,AAA,12\n";
    let dir = temp_dir("assumed-benchmark");
    std::fs::write(dir.join("p.csv"), prices).expect("write data");
    std::fs::write(
        dir.join("s.rotor"),
        "data \"p.csv\"\ncapital 1000 USD\nbenchmark BBB\nfrom 2024-01-02\nbuy AAA daily\n",
    )
    .expect("write strategy");
    let run = rotor(&dir, &["run", "s.rotor", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert!(json["benchmark"].is_null(), "{}", json["benchmark"]);
    let notes = json["assumptions"].to_string();
    assert!(notes.contains("benchmark BBB is not shown"), "{notes}");
    // Without `from` the run starts where the traded AAA's prices do (2024-01-02), not on
    // the benchmark's earlier ones (attack 8b finding 6): BBB is left out the same way.
    std::fs::write(
        dir.join("s.rotor"),
        "data \"p.csv\"\ncapital 1000 USD\nbenchmark BBB\nbuy AAA daily\n",
    )
    .expect("write strategy");
    let run = rotor(&dir, &["run", "s.rotor", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert_eq!(json["metrics"]["start"], "2024-01-02");
    assert!(json["benchmark"].is_null(), "{}", json["benchmark"]);
    // With BBB's prices in the period, it is shown as before.
    let prices = format!("{prices}2024-01-02,BBB,7\n2024-01-03,BBB,8\n2024-01-04,BBB,9\n");
    std::fs::write(dir.join("p.csv"), prices).expect("write data");
    let run = rotor(&dir, &["run", "s.rotor", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    assert!(!json["benchmark"].is_null(), "{}", json["benchmark"]);
}
