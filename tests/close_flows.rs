//! Money that leaves or moves at a day's close (withdrawals, a `rebalanced` sleeve's
//! transfers) enters the time-weighted returns at the close, and money that arrives before
//! the open (capital, contributions) at the start (report/returns.rs; docs/OUTPUT.md,
//! "Definitions"). Over the money fixtures (tests/fixtures/money/, `fill close`, no fees):
//! AAA 100 (2024-03-04), 110 (04-01), 120 (04-16), 130 (05-01), 150 (09-02); BBB 50, 50, 45,
//! 45, 40. Every expected figure is worked out by hand in the comments.

mod common;

use rotor::pipeline::RunOutput;

fn assert_close(a: f64, b: f64) {
    assert!((a - b).abs() < 1e-9 * b.abs().max(1.0), "{a} != {b}");
}

fn twr(out: &RunOutput) -> f64 {
    out.report.metrics.twr.expect("money came in")
}

/// The sleeve called `name` in a run's report.
fn sleeve<'r>(out: &'r rotor::pipeline::RunOutput, name: &str) -> &'r rotor::report::sleeves::SleeveReport {
    (out.report.sleeves.iter())
        .find(|s| s.name.as_deref() == Some(name))
        .expect("the sleeve")
}

/// A sleeve holding only AAA, brought back to its share every day: every day it sells what
/// it gained beyond its share at the close and the money moves out of it, so its value
/// index is AAA's: 150 / 100 − 1 = 50%, with no drawdown (AAA only rises). With the
/// transfers counted in the morning it was not (the review's 31% where AAA made 20%).
#[test]
fn a_one_asset_sleeve_rebalanced_daily_has_the_assets_return() {
    let out = common::money_run("capital 10000 USD\nto 2024-09-02\nsleeve s 50% rebalanced daily:\n  buy AAA daily");
    let s = sleeve(&out, "s");
    assert_close(s.twr.expect("money came in"), 0.5);
    assert_eq!(s.max_drawdown.depth, 0.0);
    // The account holds half AAA, half cash, rebalanced daily: each day half of AAA's
    // return. Its transfers stay inside the account, so this was right before too.
    let whole = [110.0 / 100.0, 120.0 / 110.0, 130.0 / 120.0, 150.0 / 130.0]
        .iter()
        .map(|g| 1.0 + 0.5 * (g - 1.0))
        .product::<f64>();
    assert_close(twr(&out), whole - 1.0);
    // The part outside the sleeves only holds cash moved to it: a return of 0.
    let outside = &out.report.sleeves[0];
    assert_eq!(outside.name, None);
    assert_close(outside.twr.expect("money came in"), 0.0);
}

/// 4% taken out each year at the close, on a price that never moves: nothing gained or
/// lost, so TWR 0, no drawdown, XIRR 0. (Counted in the morning this was 0 too:
/// 9,600 / (10,000 − 400); the test guards the bar of the first day, capital and
/// withdrawal on one bar, and the percent withdrawal's sales.)
#[test]
fn a_yearly_withdrawal_on_a_flat_price_returns_nothing() {
    let dir = common::temp_dir("close-flows-flat");
    let mut csv = String::from("date,symbol,open,high,low,close,volume\n");
    for year in 2020..2024 {
        for month in 1..=12 {
            csv.push_str(&format!("{year}-{month:02}-02,FLAT,100,100,100,100,1000\n"));
        }
    }
    std::fs::write(dir.join("flat.csv"), csv).expect("temp file writable");
    let body = "data \"flat.csv\"\nfill close\ncapital 10000 USD\nbuy FLAT once on 2020-01-02\nwithdraw 4% yearly\n";
    std::fs::write(dir.join("s.rotor"), body).expect("temp file writable");
    let mut sources = rotor::source::SourceMap::new();
    let out = rotor::pipeline::run_file(&dir.join("s.rotor"), &Default::default(), &mut sources)
        .unwrap_or_else(|f| panic!("{}", f.render(false)));
    let m = &out.report.metrics;
    // Four withdrawals (2020 to 2023, the first on the first day): 10,000 × 0.96⁴ left.
    assert_close(out.report.costs.withdrawn, 10_000.0 * (1.0 - 0.96_f64.powi(4)));
    assert_close(m.final_value, 10_000.0 * 0.96_f64.powi(4));
    assert_close(twr(&out), 0.0);
    // Within rounding: 9,600 / 9,600 is 1, but not every quotient of the sales is.
    assert!(m.max_drawdown.depth < 1e-12, "{:?}", m.max_drawdown);
    assert!(m.xirr.expect("flows of both signs").abs() < 1e-9, "{:?}", m.xirr);
    let _ = std::fs::remove_dir_all(&dir);
}

/// 100 AAA bought at 100; on 04-01 (AAA 110) 1,100 USD is withdrawn at the close: 10
/// shares sold, 90 left. Over the run the account holds only AAA, so its TWR is AAA's,
/// 130 / 100 − 1 = 30%, and 04-01's return is AAA's 10%. Counted in the morning, 04-01
/// read 9,900 / (10,000 − 1,100) − 1 = 11.2% and the TWR 31.5%.
#[test]
fn a_withdrawal_on_a_day_the_price_moves() {
    let out = common::money_run(
        "capital 10000 USD\nto 2024-05-01\nbuy AAA once on 2024-03-04\nwithdraw 1100 USD once on 2024-04-01",
    );
    let run = &out.backtest.run;
    assert_close(run.equity[1], 9_900.0);
    assert_close(run.flows[1], -1_100.0);
    assert_close(run.closing[1], -1_100.0);
    let w = out.report.curve.wealth();
    assert_close(w[1], 1.1);
    assert_close(twr(&out), 0.3);
    assert_eq!(out.report.metrics.max_drawdown.depth, 0.0);
    // The ranked figures of a sweep agree: CAGR from the same 30%.
    let ranked = rotor::report::ranked::ranked_of(run);
    assert_eq!(ranked.cagr, out.report.metrics.cagr);
    // In KRW at a rate that does not move (1,300 until 09-01) and no spread, the same 30%.
    let out = common::money_run(
        "currency KRW using krw\ncapital 10000 USD\nto 2024-05-01\nbuy AAA once on 2024-03-04\nwithdraw 1100 USD once on 2024-04-01",
    );
    let base = out.report.base_currency.as_ref().expect("a base currency");
    assert_close(base.metrics.twr.expect("money came in"), 0.3);
}

/// A withdrawal paid by a sleeve holding only AAA, in proportion to its value (the rest
/// outside holds cash): the sleeve's return stays AAA's.
#[test]
fn a_sleeves_part_of_a_withdrawal_leaves_at_the_close() {
    let out = common::money_run(
        "capital 10000 USD\nto 2024-05-01\nwithdraw 1000 USD once on 2024-04-16\nsleeve s 50%:\n  buy AAA once on 2024-03-04",
    );
    let s = sleeve(&out, "s");
    assert_close(s.twr.expect("money came in"), 0.3);
}

/// Without anything at the close, the per-bar record has no closing part at all (no cost
/// for runs that cannot have one).
#[test]
fn no_closing_record_without_withdrawals_or_tax() {
    let out = common::money_run("capital 10000 USD\ncontribute 100 USD monthly\nbuy AAA monthly");
    assert!(out.backtest.run.closing.is_empty());
}

/// The flat fixture of [`a_yearly_withdrawal_on_a_flat_price_returns_nothing`], written in a
/// fresh folder with `body` as `NAME.rotor`.
fn flat_strategy(dir: &std::path::Path, name: &str, body: &str) {
    let mut csv = String::from("date,symbol,open,high,low,close,volume\n");
    for year in 2020..2024 {
        for month in 1..=12 {
            csv.push_str(&format!("{year}-{month:02}-02,FLAT,100,100,100,100,1000\n"));
        }
    }
    std::fs::write(dir.join("flat.csv"), csv).expect("temp file writable");
    let text = format!("data \"flat.csv\"\nfill close\ncapital 10000 USD\nbuy FLAT once on 2020-01-02\n{body}");
    std::fs::write(dir.join(format!("{name}.rotor")), text).expect("temp file writable");
}

/// The row of `text` that starts with `label`, its cells split on runs of spaces.
fn row_of(text: &str, label: &str) -> Option<Vec<String>> {
    text.lines().map(str::trim).find(|l| l.starts_with(label)).map(|l| {
        l[label.len()..]
            .split("  ")
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(String::from)
            .collect()
    })
}

/// 4% withdrawn yearly from 10,000 on a flat price: 400, 384, 368.64, 353.8944 taken out
/// (10,000 × (1 − 0.96⁴) = 1,506.5344), 8,493.4656 left of the money put in. The figures
/// call that "Net contributed" and show what was withdrawn beside it, in the text summary,
/// the HTML report and `rotor compare`; the JSON keeps `contributed` and adds `withdrawn`.
/// A run without withdrawals keeps "Contributed" and no "Withdrawn" row.
#[test]
fn money_withdrawn_is_shown_beside_the_net_contributed() {
    let dir = common::temp_dir("close-flows-net");
    flat_strategy(&dir, "w", "withdraw 4% yearly\n");
    flat_strategy(&dir, "k", "");

    let text = common::rotor(&dir, &["run", "w.rotor"]);
    assert_eq!(text.code, 0, "{}", text.stderr);
    assert_eq!(
        row_of(&text.stdout, "Net contributed (USD)"),
        Some(vec!["8,493.47".to_string()])
    );
    assert_eq!(
        row_of(&text.stdout, "Withdrawn (USD)"),
        Some(vec!["1,506.53".to_string()])
    );
    assert_eq!(row_of(&text.stdout, "Contributed (USD)"), None, "{}", text.stdout);

    let kept = common::rotor(&dir, &["run", "k.rotor"]);
    assert_eq!(
        row_of(&kept.stdout, "Contributed (USD)"),
        Some(vec!["10,000.00".to_string()])
    );
    assert_eq!(row_of(&kept.stdout, "Withdrawn (USD)"), None, "{}", kept.stdout);
    assert_eq!(row_of(&kept.stdout, "Net contributed (USD)"), None);

    let json = common::rotor(&dir, &["run", "w.rotor", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    assert_close(
        v["metrics"]["contributed"].as_f64().expect("a number"),
        10_000.0 * 0.96_f64.powi(4),
    );
    assert_close(
        v["metrics"]["withdrawn"].as_f64().expect("a number"),
        10_000.0 * (1.0 - 0.96_f64.powi(4)),
    );
    let json = common::rotor(&dir, &["run", "k.rotor", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    assert_eq!(v["metrics"]["withdrawn"].as_f64(), Some(0.0));

    // Compared with a run that withdraws nothing: one "Net contributed" row for both (a
    // fact, not a score: no best run, "-").
    let both = common::rotor(&dir, &["compare", "w.rotor", "k.rotor"]);
    assert_eq!(both.code, 0, "{}", both.stderr);
    assert_eq!(
        row_of(&both.stdout, "Net contributed (USD)"),
        Some(vec!["8,493.47".to_string(), "10,000.00".to_string(), "-".to_string()])
    );
    assert_eq!(
        row_of(&both.stdout, "Withdrawn (USD)"),
        Some(vec!["1,506.53".to_string(), "0.00".to_string(), "-".to_string()])
    );

    let html = common::rotor(&dir, &["run", "w.rotor", "--report", "w.html"]);
    assert_eq!(html.code, 0, "{}", html.stderr);
    let page = std::fs::read_to_string(dir.join("w.html")).expect("the report");
    assert!(page.contains("Net contributed (USD)"), "no net label in the HTML");
    assert!(page.contains("Withdrawn (USD)"), "no withdrawn row in the HTML");
    assert!(
        !page.contains(">Contributed (USD)<"),
        "a plain contributed label in the HTML"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
