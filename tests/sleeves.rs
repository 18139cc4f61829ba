//! Sleeves (`sleeve NAME P%:` with rules indented below it; docs/LANGUAGE.md, "Sleeves")
//! through the whole pipeline on the money fixtures (tests/fixtures/money/, `fill close`):
//! AAA 100 (2024-03-04), 110 (04-01), 120 (04-16), 130 (05-01), 150 (09-02); BBB 50, 50,
//! 45, 45, 40. Every expected number is worked out by hand in the comments.

mod common;

use rotor::pipeline::RunOutput;

fn run(body: &str) -> RunOutput {
    common::money_run(body)
}

fn assert_close(a: f64, b: f64) {
    assert!((a - b).abs() < 1e-6 * b.abs().max(1.0), "{a} != {b}");
}

/// The shares of `symbol` the account holds at the end.
fn held(out: &RunOutput, symbol: &str) -> f64 {
    out.backtest
        .run
        .holdings
        .iter()
        .find(|h| h.0 == symbol)
        .map_or(0.0, |h| h.1)
}

const TWO_SLEEVES: &str = "capital 10000 USD
to 2024-05-01
sleeve a 60%:
  buy AAA monthly
sleeve b 40%:
  rebalance monthly to AAA 50%, BBB 50%";

#[test]
fn two_sleeves_worked_by_hand() {
    // 03-04 (AAA 100, BBB 50): a gets 6,000 and buys 60 AAA; b gets 4,000: 20 AAA, 40 BBB.
    // 04-01 (AAA 110): a has no cash (its buy comes to nothing); b is worth 20 × 110 +
    // 40 × 50 = 4,200: 2,100 each, 19.0909… AAA (sells 0.9090…) and 42 BBB (buys 2).
    // 05-01 (AAA 130, BBB 45): b is worth 19.0909… × 130 + 42 × 45 = 4,371.8181…: 2,185.9090…
    // each, 16.8147… AAA and 48.5757… BBB. a is 60 × 130 = 7,800.
    let out = run(TWO_SLEEVES);
    let r = &out.backtest.run;
    let b_april = 2100.0 / 110.0;
    let b_may = b_april * 130.0 + 42.0 * 45.0;
    assert_close(b_may, 4_371.818_181_818);
    assert_close(held(&out, "AAA"), 60.0 + b_may / 2.0 / 130.0);
    assert_close(held(&out, "BBB"), b_may / 2.0 / 45.0);
    assert_close(*r.equity.last().unwrap(), 7800.0 + b_may);
    // Each sleeve's own record: values, holdings and time-weighted return.
    let s = &out.report.sleeves;
    let names: Vec<_> = s.iter().map(|x| x.name.as_deref()).collect();
    assert_eq!(names, [None, Some("a"), Some("b")]);
    assert_close(s[0].final_value, 0.0);
    assert_close(s[1].final_value, 7800.0);
    assert_close(s[1].contributed, 6000.0);
    assert_close(s[1].twr.unwrap(), 7800.0 / 6000.0 - 1.0);
    assert_eq!(s[1].holdings.len(), 1);
    assert_close(s[1].holdings[0].shares, 60.0);
    assert_close(s[2].final_value, b_may);
    assert_close(s[2].twr.unwrap(), b_may / 4000.0 - 1.0);
    assert_close(s[2].weight, b_may / (7800.0 + b_may));
    // a's April buy had no cash in its sleeve, though the account's cash was 0 too: one
    // empty order. Without sleeves the rebalance would have sold a's AAA to 50/50.
    let text = rotor::report::summary::render(&out.report);
    assert!(text.contains("Sleeves:\n"), "{text}");
    assert!(text.contains("  a 60% (60% of the account): 7,800.00 USD"), "{text}");
}

#[test]
fn contributions_are_split_by_share_and_spent_by_their_sleeve() {
    // 11,000 on 03-04 (the capital and the month's contribution: the first day counts as
    // the month's first trading day), 1,000 on 04-01 and on 05-01: the sleeve gets 70% of
    // each, the rules outside 30%. In the sleeve `buy 50% of cash` spends its own cash:
    // 03-04: half of 7,700 = 3,850 USD of AAA (38.5 at 100), 3,850 left; 04-01: 3,850 + 700
    // = 4,550, half 2,275 (at 110), 2,275 left; 05-01: 2,975, half 1,487.5 (at 130).
    // Outside, a plain buy of BBB spends all of its 3,300, 300, 300: 66 + 6 + 6.6666… at
    // 50, 50, 45.
    let out = run("capital 10000 USD
contribute 1000 USD monthly
to 2024-05-01
sleeve s 70%:
  buy 50% of cash of AAA monthly
buy BBB monthly");
    let aaa = 38.5 + 2275.0 / 110.0 + 1487.5 / 130.0;
    let bbb = 66.0 + 6.0 + 300.0 / 45.0;
    assert_close(held(&out, "AAA"), aaa);
    assert_close(held(&out, "BBB"), bbb);
    assert_close(out.backtest.run.cash, 1487.5);
    let s = &out.report.sleeves;
    assert_close(out.report.metrics.contributed, 13000.0);
    assert_close(s[1].contributed, 9100.0);
    assert_close(s[0].contributed, 3900.0);
    assert_close(s[1].cash, 1487.5);
    assert_close(s[1].final_value, aaa * 130.0 + 1487.5);
    assert_close(s[0].final_value, bbb * 45.0);
    assert_close(s[0].cash, 0.0);
}

#[test]
fn a_rotation_in_a_sleeve_takes_1_over_n_of_the_sleeve() {
    // Half the account in a sleeve rotating into the better 1-bar return of AAA and BBB,
    // the other half buying BBB. 03-04: no return yet, nothing ranked; the outside buys 100
    // BBB with 5,000. 04-01: AAA +10%, BBB 0%: the sleeve's 5,000 (all cash) buys AAA:
    // 5,000 / 110 = 45.4545…; the whole account's 1/1 would have been 10,000.
    let out = run("capital 10000 USD
to 2024-04-01
sleeve m 50%:
  rotate daily to top 1 of AAA, BBB by return(1)
buy BBB daily");
    assert_close(held(&out, "AAA"), 5000.0 / 110.0);
    assert_close(held(&out, "BBB"), 100.0);
    assert_close(out.backtest.run.cash, 0.0);
}

#[test]
fn nested_sleeves_and_two_sleeves_holding_one_symbol() {
    // Outer 80% of 10,000 = 8,000; inner 50% of it = 4,000; the outer's own rules manage the
    // other 4,000, the rules outside the sleeves 2,000. All three buy AAA at 100 on 03-04:
    // the account holds 100 shares, each part its own (40, 40, 20): three fills.
    let out = run("capital 10000 USD
to 2024-03-04
sleeve outer 80%:
  buy AAA once on 2024-03-04
  sleeve inner 50%:
    buy AAA once on 2024-03-04
buy AAA once on 2024-03-04");
    assert_close(held(&out, "AAA"), 100.0);
    assert_eq!(out.report.trades.len(), 3);
    let s = &out.report.sleeves;
    let shares = |i: usize| s[i].holdings[0].shares;
    // outside, outer (with inner), inner
    assert_close(shares(0), 20.0);
    assert_close(shares(1), 80.0);
    assert_close(shares(2), 40.0);
    assert_eq!(s[2].parent.as_deref(), Some("outer"));
    assert_close(s[2].fraction, 0.4);
}

#[test]
fn a_rebalanced_sleeve_is_brought_back_to_its_share() {
    // 50/50: the sleeve holds AAA, the outside BBB (bought on 03-04: 50 AAA, 100 BBB).
    // 04-01 is a new month: AAA 110, BBB 50, the account 5,500 + 5,000 = 10,500; the sleeve
    // pays 250 (sells 250 / 110 AAA at the close) and the outside is credited 250 in cash.
    let out = run("capital 10000 USD
to 2024-04-01
sleeve s 50% rebalanced monthly:
  buy AAA once on 2024-03-04
buy BBB once on 2024-03-04");
    assert_close(held(&out, "AAA"), 50.0 - 250.0 / 110.0);
    assert_close(held(&out, "BBB"), 100.0);
    let s = &out.report.sleeves;
    assert_close(s[1].final_value, 5250.0);
    assert_close(s[0].final_value, 5250.0);
    assert_close(s[0].cash, 250.0);
    // Moving money between sleeves is no contribution of the account.
    assert_close(out.report.metrics.contributed, 10000.0);
    // The sleeve's money in is its 5,000 less the 250 moved out, the outside's 5,000 and
    // 250: the summary does not call transfers "contributed".
    assert_close(s[1].contributed, 4750.0);
    assert_close(s[0].contributed, 5250.0);
    let text = rotor::report::sleeves::render(s);
    assert!(text.contains("net money in 4,750.00 USD"), "{text}");
    assert!(text.contains("net money in 5,250.00 USD"), "{text}");
    assert!(!text.contains("contributed"), "{text}");
}

#[test]
fn sleeves_drift_without_rebalanced() {
    let out = run("capital 10000 USD
to 2024-04-01
sleeve s 50%:
  buy AAA once on 2024-03-04
buy BBB once on 2024-03-04");
    let s = &out.report.sleeves;
    assert_close(s[1].final_value, 5500.0);
    assert_close(s[0].final_value, 5000.0);
}

#[test]
fn a_withdrawal_is_paid_by_each_sleeve_in_proportion_to_its_value() {
    // 04-01: the sleeve's AAA is worth 5,500, the outside's BBB 5,000 (of 10,500); a 1,050
    // withdrawal takes 550 from the sleeve (5 AAA at 110) and 500 from the outside (10 BBB).
    let out = run("capital 10000 USD
to 2024-04-01
withdraw 1050 USD monthly from 2024-04-01
sleeve s 50%:
  buy AAA once on 2024-03-04
buy BBB once on 2024-03-04");
    assert_close(held(&out, "AAA"), 45.0);
    assert_close(held(&out, "BBB"), 90.0);
}

#[test]
fn the_cookbook_core_satellite_runs_and_its_sleeves_add_up() {
    // The real binary on the bundled sample, text and JSON.
    let path = common::root().join("strategies/cookbook/core_satellite.rotor");
    let bin = env!("CARGO_BIN_EXE_rotor");
    let text = std::process::Command::new(bin)
        .arg("run")
        .arg(&path)
        .output()
        .expect("rotor runs");
    assert!(text.status.success(), "{}", String::from_utf8_lossy(&text.stderr));
    let stdout = String::from_utf8_lossy(&text.stdout);
    assert!(
        stdout.contains("\nSleeves:\n  satellite 70% (70% of the account, rebalanced): "),
        "{stdout}"
    );
    assert!(stdout.contains("\n  core 30% (30% of the account): "), "{stdout}");
    let json = std::process::Command::new(bin)
        .args(["run", "--json"])
        .arg(&path)
        .output()
        .expect("rotor runs");
    assert!(json.status.success());
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    let sleeves = v["sleeves"].as_array().expect("a list of sleeves");
    let names: Vec<_> = sleeves.iter().map(|s| s["name"].as_str()).collect();
    assert_eq!(names, [None, Some("satellite"), Some("core")]);
    let total: f64 = sleeves
        .iter()
        .map(|s| s["final_value"].as_f64().expect("a value"))
        .sum();
    assert_close(total, v["metrics"]["final_value"].as_f64().expect("a value"));
    // Every contribution split 70/30 (and money moved by the yearly rebalance on top).
    let contributed: f64 = sleeves
        .iter()
        .map(|s| s["contributed"].as_f64().expect("a value"))
        .sum();
    assert_close(contributed, v["metrics"]["contributed"].as_f64().expect("a value"));
    // Each holds only its own symbols: the rotation IWM, IWO or IWN, the core SPMD.
    let held = |i: usize| -> Vec<String> {
        (sleeves[i]["holdings"].as_array().expect("holdings").iter())
            .map(|h| h["symbol"].as_str().expect("a symbol").to_string())
            .collect()
    };
    assert!(
        held(1).iter().all(|s| ["IWM", "IWO", "IWN"].contains(&s.as_str())),
        "{:?}",
        held(1)
    );
    assert_eq!(held(2), ["SPMD"]);
    // The HTML report has the sleeves' table.
    let html = common::temp_dir("sleeves-html").join("r.html");
    let status = std::process::Command::new(bin)
        .arg("run")
        .arg(&path)
        .arg("--report")
        .arg(&html)
        .output()
        .expect("rotor runs");
    assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
    let page = std::fs::read_to_string(&html).expect("the report is written");
    let table = &page[page
        .find("<table class=\"small\" id=\"sleeves\">")
        .expect("a sleeves table")..];
    assert!(
        table.contains("<tr><td>satellite</td>") && table.contains("<tr><td>core</td>"),
        "{table}"
    );
}

/// `rotor repl` with `input` piped in: how it ended.
fn repl_output(input: &str) -> std::process::Output {
    use std::io::Write;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_rotor"))
        .arg("repl")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("rotor starts");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("written");
    child.wait_with_output().expect("rotor ends")
}

/// `rotor repl` with `input` piped in: its standard output, once it ended successfully.
fn repl_piped(input: &str) -> String {
    let out = repl_output(input);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn a_sleeve_block_typed_in_the_repl_ends_at_a_blank_line() {
    let input = "capital 10000 USD\nsleeve a 50%:\n  buy IWM monthly\n\nbuy IWO monthly\n:run\n";
    let stdout = repl_piped(input);
    assert!(
        stdout.contains("added 2: sleeve a 50%:\nadded 3: buy IWM monthly\n"),
        "{stdout}"
    );
    assert!(stdout.contains("\n  a 50% (50% of the account): "), "{stdout}");
    assert!(stdout.contains("\n  outside the sleeves 50%: "), "{stdout}");
}

/// A REPL command right after a block (no blank line) closes it: the block is added, then
/// the command runs.
#[test]
fn a_repl_command_after_a_sleeve_block_closes_it() {
    let input = "capital 10000 USD\nsleeve a 60%:\n  buy IWM monthly\nsleeve b 40%:\n  buy IWO monthly\n:run\n";
    let stdout = repl_piped(input);
    assert!(stdout.contains("added 5: buy IWO monthly"), "{stdout}");
    assert!(stdout.contains("\n  a 60% (60% of the account): "), "{stdout}");
    assert!(stdout.contains("\n  b 40% (40% of the account): "), "{stdout}");
}

#[test]
fn sleeves_are_limited_in_number_and_depth() {
    let check = |text: &str| {
        let dir = common::temp_dir("sleeve-limits");
        let path = dir.join("s.rotor");
        std::fs::write(&path, text).expect("written");
        std::process::Command::new(env!("CARGO_BIN_EXE_rotor"))
            .arg("check")
            .arg(&path)
            .output()
            .expect("rotor runs")
    };
    let many: String = (0..101)
        .map(|i| format!("sleeve s{i} 0.5%:\n  buy IWM monthly\n"))
        .collect();
    let out = check(&many);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("rotor::check::too_many_sleeves") && stderr.contains("too many sleeves"),
        "{stderr}"
    );
    let deep: String = (0..9)
        .map(|i| format!("{}sleeve s{i} 50%:\n", "  ".repeat(i)))
        .collect::<String>()
        + "  ".repeat(9).as_str()
        + "buy IWM monthly\n";
    let out = check(&deep);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("nested too deep"));
    // 100 sleeves, 8 deep, are fine.
    let eight: String = (0..8)
        .map(|i| format!("{}sleeve s{i} 50%:\n", "  ".repeat(i)))
        .collect::<String>()
        + "  ".repeat(8).as_str()
        + "buy IWM monthly\n";
    assert!(
        check(&eight).status.success(),
        "{}",
        String::from_utf8_lossy(&check(&eight).stderr)
    );
    let hundred: String = (0..100)
        .map(|i| format!("sleeve s{i} 0.5%:\n  buy IWM monthly\n"))
        .collect();
    assert!(check(&hundred).status.success());
}

#[test]
fn the_benchmark_is_one_account_beside_sleeves() {
    // The benchmark buys and holds BBB with the strategy's flows (withdrawals included),
    // whatever the strategy's sleeves: the same curve with and without them.
    let body = |sleeve: &str| {
        format!(
            "capital 10000 USD\nto 2024-09-02\nwithdraw 500 USD monthly from 2024-04-01\nbenchmark BBB\n{sleeve}buy AAA monthly\nbuy BBB monthly"
        )
    };
    let with = run(&body("sleeve s 50%:\n  "));
    let without = run(&body(""));
    let curve = |out: &RunOutput| out.backtest.benchmark.as_ref().expect("a benchmark").1.equity.to_vec();
    let (a, b) = (curve(&with), curve(&without));
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        assert_close(*x, *y);
    }
    assert!(with.backtest.benchmark.as_ref().expect("a benchmark").1.cash >= 0.0);
}

/// A rule that fails to check (an unknown symbol) still stands in its sleeve: the sleeve is
/// not also said to have no rules, which would send the reader to the wrong line. A sleeve
/// with only a `let` in it has none.
#[test]
fn a_sleeve_whose_rule_has_an_error_is_not_also_empty() {
    let dir = common::temp_dir("sleeve-rule-error");
    let path = dir.join("s.rotor");
    let check = |text: &str| {
        std::fs::write(&path, text).expect("written");
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_rotor"))
            .arg("check")
            .arg(&path)
            .output()
            .expect("rotor runs");
        (out.status.success(), String::from_utf8_lossy(&out.stderr).into_owned())
    };
    let (ok, stderr) =
        check("sleeve a 60%:\n  buy NOPE monthly\nsleeve b 40%:\n  sleeve c 50%:\n    buy NOPE2 monthly\n");
    assert!(!ok);
    assert!(stderr.contains("unknown symbol `NOPE`"), "{stderr}");
    assert!(!stderr.contains("empty_sleeve"), "{stderr}");
    let (ok, stderr) = check("sleeve a 60%:\n  let k = 2\nbuy IWM monthly\n");
    assert!(!ok);
    assert!(stderr.contains("the sleeve `a` has no rules"), "{stderr}");
}

/// `:rules` shows the blocks as `rotor fmt` writes them, and `:drop` of a sleeve line says
/// where its statements went (they keep their indentation, so the sleeve above takes them).
#[test]
fn the_repl_shows_sleeve_blocks_and_says_where_dropped_rules_go() {
    let input = "capital 1000 USD\nsleeve core 70%:\n  buy IWM monthly\nsleeve sat 30%:\n  buy IWO monthly\n  \
                 sell all IWO when close(IWO) < sma(IWO, 50)\n\n:rules\n:drop 4\n:drop 1\n";
    let stdout = repl_piped(input);
    assert!(
        stdout
            .contains("  2  sleeve core 70%:\n  3    buy IWM monthly\n  4  sleeve sat 30%:\n  5    buy IWO monthly\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "dropped 4: sleeve sat 30%:\nstatements 4–5 stood in sleeve `sat` and now belong to sleeve `core`\n"
        ),
        "{stdout}"
    );
    // A statement outside every sleeve moves nothing.
    assert!(stdout.contains("dropped 1: capital 1000 USD\n"), "{stdout}");
    assert!(!stdout.contains("dropped 1: capital 1000 USD\nstatement"), "{stdout}");
}

/// Dropping a sleeve that holds another: the inner sleeve's rules stay in it, the others
/// leave, each said once (found by review: all were said to leave).
#[test]
fn dropping_an_outer_sleeve_says_where_each_statement_went() {
    let input = "capital 1000 USD\nsleeve a 50%:\n  buy IWM monthly\n  sleeve inner 50%:\n    buy IWO monthly\n\n\
                 :drop 2\n";
    let stdout = repl_piped(input);
    assert!(
        stdout.contains("statements 2–3 stood in sleeve `a` and now belong to no sleeve (the account's own rules)\n"),
        "{stdout}"
    );
    assert!(
        !stdout.contains("statement 4 stood"),
        "the inner sleeve's rule stays in it: {stdout}"
    );
}

/// `:drop` of a sleeve's last rule is refused: the sleeve would be empty, an error every
/// later input would carry (found by attack: the session then refused every new rule).
#[test]
fn dropping_the_last_rule_of_a_sleeve_is_refused() {
    let input = "sleeve a 50%:\n  buy IWN monthly\n\n:drop 2\nbuy IWO monthly\n:rules\n";
    let out = repl_output(input);
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(
        stderr.contains("statement 2 is the last rule of the sleeve `a`"),
        "{stderr}"
    );
    assert!(stdout.contains("added 3: buy IWO monthly"), "{stdout}");
    assert!(
        stdout.contains("  2    buy IWN monthly\n  3  buy IWO monthly\n"),
        "{stdout}"
    );
}
