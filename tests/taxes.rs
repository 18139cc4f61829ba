//! Korean-listed funds, ISA accounts, withdrawals and after-tax figures if sold on the last
//! day (issue 16 parts 4, 6 and 7; docs/TAXES.md), through the whole pipeline on the money
//! fixtures (tests/fixtures/money/, described in tests/money.rs). Every expected number is
//! worked out by hand in the comments.
//!
//! Bars: 0 2024-03-04, 1 04-01, 2 04-16, 3 05-01, 4 09-02, 5 2025-05-30, 6 06-02, 7 06-03.
//! AAA closes 100, 110, 120, 130, 150, 150, 150, 160; BBB 50, 50, 45, 45, 40, 40, 40, 40.
//! KRW per USD: 1,300 to 2024-08, 1,350 from 2024-09-01, 1,400 from 2025-05-01.

mod common;

use common::money_run as run;

fn assert_close(a: f64, b: f64) {
    assert!((a - b).abs() < 1e-6 * b.abs().max(1.0), "{a} != {b}");
}

/// 10,000 USD into each of AAA (100 shares at 100, 13,000,000 KRW at 1,300) and BBB (200
/// at 50, 13,000,000 KRW); AAA sold on 2024-09-02 at 150 (15,000 USD, 20,250,000 KRW at
/// 1,350: +7,250,000 KRW), BBB sold on `bbb_sold` at 40 (8,000 USD).
fn two_sales(rule: &str, bbb_sold: &str) -> String {
    format!(
        "currency KRW using krw\ncapital 20000 USD\n{rule}\n\
         buy 10000 USD of AAA once on 2024-03-04\nbuy 10000 USD of BBB once on 2024-03-04\n\
         sell AAA once on 2024-09-02\nsell BBB once on {bbb_sold}"
    )
}

#[test]
fn korea_listed_withholds_each_gain_at_the_sale_and_nets_no_loss() {
    // AAA: +7,250,000 KRW, 15.4% = 1,116,500 KRW withheld at 1,350: 827.0370370 USD.
    // BBB: 8,000 USD × 1,350 = 10,800,000 KRW against 13,000,000: −2,200,000, no tax, and
    // it does not reduce AAA's (under `tax korea` the two would net to 5,050,000).
    let out = run(&two_sales("tax korea-listed", "2024-09-02"));
    let r = &out.report;
    let withheld = 1_116_500.0 / 1350.0;
    assert_close(withheld, 827.037_037_037);
    assert_close(r.costs.taxes_withheld, withheld);
    assert_close(r.costs.taxes_paid, withheld);
    assert_eq!(r.costs.taxes_due, 0.0);
    let run = &out.backtest.run;
    assert_close(run.equity[4], 15_000.0 + 8_000.0 - withheld);
    assert_close(run.cash, 23_000.0 - withheld);
    let tax = r.tax.as_ref().expect("a tax rule");
    assert_eq!((tax.rule.as_str(), tax.currency.as_str()), ("korea-listed", "KRW"));
    let y = &tax.years[0];
    assert!(y.withheld_at_sale);
    assert_eq!(y.year, 2024);
    assert_close(y.net_gain, 5_050_000.0);
    assert_close(y.taxable, 7_250_000.0);
    assert_close(y.tax, 1_116_500.0);
    // Nothing is held at the end: selling it would add nothing.
    let after = r.metrics.after_tax.as_ref().expect("after tax");
    assert_eq!(after.taxes_if_sold, 0.0);
    assert_close(after.final_value_if_sold, r.metrics.final_value);
    let text = rotor::report::summary::render(r);
    assert!(text.contains("withheld at each sale"), "{text}");
    // Distributions are taxed 15.4% too: the rate the dividend path reads.
    assert_eq!(out.strategy.money.dividend_tax(), Some(0.154));
}

#[test]
fn an_isa_nets_gains_and_losses_of_every_year_and_owes_at_the_end() {
    // AAA +7,250,000 KRW in 2024; BBB sold on 2025-06-02 at 40 × 200 = 8,000 USD × 1,400 =
    // 11,200,000 KRW against 13,000,000: −1,800,000. Over the account: 5,450,000; less
    // 2,000,000 tax-free: 3,450,000 × 9.9% = 341,550 KRW, due at the end (2025-06-03, 1,400
    // KRW per USD, no spread: the account holds KRW): 243.9642857 USD.
    let out = run(&two_sales("account isa", "2025-06-02"));
    let r = &out.report;
    assert_eq!(r.costs.taxes_paid, 0.0);
    assert_close(r.costs.taxes_due, 341_550.0 / 1400.0);
    let tax = r.tax.as_ref().expect("a tax rule");
    assert_eq!(tax.rule, "isa");
    assert_eq!(tax.years.len(), 1);
    let y = &tax.years[0];
    assert_eq!((y.year, y.paid_on.as_deref()), (2025, None));
    assert_close(y.net_gain, 5_450_000.0);
    assert_close(y.deduction, 2_000_000.0);
    assert_close(y.tax, 341_550.0);
    // In KRW: 23,000 USD × 1,400 = 32,200,000, after tax 31,858,450.
    let base = r.base_currency.as_ref().expect("KRW");
    let after = base.metrics.after_tax.as_ref().expect("after tax");
    assert_close(after.final_value, 32_200_000.0 - 341_550.0);
    // The low-income type: 4,000,000 tax-free: 1,450,000 × 9.9% = 143,550 KRW.
    let low = run(&two_sales("account isa low-income", "2025-06-02"));
    let y = &low.report.tax.as_ref().expect("a tax rule").years[0];
    assert_close(y.tax, 143_550.0);
    // The same sales under `tax korea`: 2024 alone, 22% × 4,750,000 = 1,045,000 KRW, paid
    // on 2025-06-02; 2025's loss nets nothing.
    let korea = run(&two_sales("tax korea", "2025-06-02"));
    let years = &korea.report.tax.as_ref().expect("a tax rule").years;
    assert_close(years[0].tax, 1_045_000.0);
    assert_eq!(years[1].tax, 0.0);
}

#[test]
fn isa_contributions_above_the_yearly_limit_are_said() {
    // 10,000 USD × 1,300 = 13,000,000 KRW, then 5,000,000 KRW each on 04-01, 04-16 and
    // 05-01 (monthly fires on 04-01 and 05-01 only; once on 04-16): 28,000,000 KRW in 2024.
    let body = "currency KRW using krw\ncapital 10000 USD\naccount isa\ncontribute 5000000 KRW monthly\n\
                buy AAA once on 2024-03-04";
    let out = run(body);
    let note = out
        .report
        .assumptions
        .iter()
        .find(|a| a.contains("ISA contributions in 2024"));
    assert!(note.is_some(), "{:?}", out.report.assumptions);
    assert!(out.warnings.iter().any(|w| w.to_string().contains("20,000,000 KRW")));
    // Within the limit: no word.
    let quiet = run("currency KRW using krw\ncapital 10000 USD\naccount isa\nbuy AAA once on 2024-03-04");
    assert!(!quiet.report.assumptions.iter().any(|a| a.contains("ISA contributions")));
}

#[test]
fn a_withdrawal_sells_fifo_and_the_korea_listed_tax_is_withheld_on_what_it_sells() {
    // Lots: 10 AAA at 100 (03-04, 1,300) and 50 at 120 (04-16, 1,300); no cash left. On
    // 2024-09-02 (150, 1,350) 3,000 USD are withdrawn: each share of the first lot gains
    // 150 × 1,350 − 100 × 1,300 = 72,500 KRW, each of the second 202,500 − 156,000 =
    // 46,500. A sale withholds 15.4% of its gain as a Korean assessment does
    // (docs/TAXES.md): the gain in whole won, 14% of it cut to ten won, and 10% of that
    // cut to ten won. Round 1 sells 20 shares (10 of each lot): 1,190,000 KRW of gain,
    // 166,600 + 16,660 = 183,260 KRW withheld (135.7481 USD); each later round sells what
    // the one before fell short by (engine/withdraw.rs), worked out below: round 2's
    // 0.9049877 shares gain 42,081 won and withhold 5,890 + 580; round 4's 0.0010863
    // shares gain 50 won and withhold nothing (14% of it is 7 won).
    let out = run("currency KRW using krw\ncapital 7000 USD\ntax korea-listed\n\
         buy 10 shares of AAA once on 2024-03-04\nbuy 50 shares of AAA once on 2024-04-16\n\
         withdraw 3000 USD once on 2024-09-02");
    let withheld = |gain: f64| {
        let won = gain.floor() as u64;
        let national = won * 14 / 1000 * 10;
        (national + national / 100 * 10) as f64
    };
    let (mut cash, mut first, mut sold_by_hand, mut tax_krw) = (0.0f64, 10.0f64, 0.0, 0.0);
    for _ in 0..8 {
        let need = 3000.0 - cash;
        if need <= 1e-9 * 3000.0 {
            break;
        }
        let q = need.max(0.01 * 1.001) / 150.0;
        let from_first = q.min(first);
        first -= from_first;
        let krw = withheld(from_first * 72_500.0 + (q - from_first) * 46_500.0);
        cash += q * 150.0 - krw / 1350.0;
        sold_by_hand += q;
        tax_krw += krw;
    }
    assert_eq!(tax_krw, 183_260.0 + 6_470.0 + 220.0);
    let run = &out.backtest.run;
    let sold: f64 = run.trades.iter().filter(|t| t.side == "sell").map(|t| t.shares).sum();
    assert!((sold - sold_by_hand).abs() < 1e-9, "{sold} != {sold_by_hand}");
    assert!(run.trades.iter().filter(|t| t.side == "sell").all(|t| t.rule == 0));
    assert_close(out.report.costs.taxes_withheld, tax_krw / 1350.0);
    // The withdrawal is a negative flow of the day, in USD and in KRW (no spread).
    assert_close(run.flows[4], -3000.0);
    assert_close(run.base.as_ref().expect("KRW").flows[4], -3000.0 * 1350.0);
    assert_close(out.report.costs.withdrawn, 3000.0);
    assert!(out.report.costs.withdrawals_short.is_empty());
    // What is left: the second lot's rest, 39.0619757 shares at 120.
    let p = &out.report.gains.positions[0];
    assert!((p.shares - (50.0 - sold + 10.0)).abs() < 1e-9);
    assert!((p.cost_basis - (60.0 - sold) * 120.0).abs() < 1e-6);
    assert!(run.cash >= 0.0 && run.cash < 0.01, "{}", run.cash);
}

#[test]
fn a_withdrawal_the_account_cannot_pay_is_paid_as_far_as_possible_and_reported() {
    // 1,000 USD in cash, 1,500 asked on 2024-04-01: 1,000 paid, 500 short.
    let dir = common::temp_dir("withdraw-short");
    common::copy_fixtures("money", &dir);
    let strategy = "data \"money/prices.csv\"\ncapital 1000 USD\nwithdraw 1500 USD once on 2024-04-01\n\
                    buy AAA once on 2030-01-02\n";
    std::fs::write(dir.join("s.rotor"), strategy).expect("writable");
    let out = common::rotor(&dir, &["run", "s.rotor", "--json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    let short = &json["costs"]["withdrawals_short"][0];
    assert_eq!(short["date"], "2024-04-01");
    assert_eq!(short["asked"], 1500.0);
    assert_eq!(short["paid"], 1000.0);
    assert_eq!(json["costs"]["withdrawn"], 1000.0);
    assert_eq!(json["metrics"]["final_value"], 0.0);
    assert!(out.stderr.contains("could not be paid in full"), "{}", out.stderr);
    let text = common::rotor(&dir, &["run", "s.rotor"]);
    assert!(
        text.stdout
            .contains("Withdrawal on 2024-04-01 short: asked 1,500.00 USD, paid 1,000.00 USD"),
        "{}",
        text.stdout
    );
}

#[test]
fn four_percent_yearly_takes_a_share_of_the_value_at_the_close() {
    // 100 AAA bought at 100 on 2024-03-04 with all 10,000 USD. `yearly` fires on the first
    // bar of each year: 2024-03-04, after the buy: 4% of 10,000 = 400, 4 shares sold at 100
    // (no gain); 2025-05-30: 96 × 150 = 14,400, 4% = 576, 3.84 shares at 150. With `from
    // 2025-01-01` only the second, on 100 shares: 4% of 15,000 = 600, 4 shares.
    let both = run("capital 10000 USD\nbuy AAA once on 2024-03-04\nwithdraw 4% yearly");
    let flows = &both.backtest.run.flows;
    assert_close(flows[0], 10_000.0 - 400.0);
    assert_close(flows[5], -576.0);
    let sells: Vec<f64> = (both.backtest.run.trades.iter())
        .filter(|t| t.side == "sell")
        .map(|t| t.shares)
        .collect();
    assert_eq!(sells.len(), 2);
    assert_close(sells[0], 4.0);
    assert_close(sells[1], 3.84);
    assert_close(both.report.costs.withdrawn, 976.0);
    let later = run("capital 10000 USD\nbuy AAA once on 2024-03-04\nwithdraw 4% yearly from 2025-01-01");
    assert_close(later.backtest.run.flows[5], -600.0);
    assert_close(later.report.costs.withdrawn, 600.0);
}

#[test]
fn a_krw_withdrawal_pays_the_fx_spread() {
    // 1,346,625 KRW on 2024-04-01 at 1,300 with a 0.25% spread: dollars sell at 1,296.75,
    // so 1,038.462 USD leave the account (at mid 1,035.865: the spread costs 2.596 USD).
    let out = run("currency KRW using krw\ncapital 10000 USD\nfx spread 0.25%\n\
         withdraw 1346625 KRW once on 2024-04-01\nbuy AAA once on 2030-01-02");
    let usd = 1_346_625.0 / (1300.0 * 0.9975);
    let run = &out.backtest.run;
    assert_close(run.flows[1], -usd);
    assert_close(run.base.as_ref().expect("KRW").flows[1], -1_346_625.0);
    // The contribution of 10,000 USD cost 10,000 × 1,300 × 0.0025 / 1,300 = 25 USD more.
    assert_close(out.report.costs.fx_costs, 25.0 + usd - 1_346_625.0 / 1300.0);
}

#[test]
fn the_benchmark_runs_through_the_same_money_rules_and_is_taxed_if_sold() {
    // fill next open, 4.5% interest, benchmark AAA, to 2024-05-01. The benchmark's 100,000
    // USD arrive on 2024-03-04 and buy at the next open (04-01, 110): 909.0909091 shares.
    // Cash held over March 4–31 (28 days) earns 100,000 × 0.045 × 28 / 365 = 345.2054795,
    // credited at the close of 04-01 and invested at the next open (04-16, 120). April's
    // interest on it (04-01 to 04-15, 15 days), 345.2054795 × 0.045 × 15 / 365 =
    // 0.6383937, is credited at the close of 05-01, the last bar, and stays in cash.
    let out = run(
        "fill next open\ncurrency KRW using krw\ncapital 100000 USD\ncash interest 4.5%\ntax korea\n\
         benchmark AAA\nto 2024-05-01\nbuy AAA once on 2030-01-02",
    );
    let march = 100_000.0 * 0.045 * 28.0 / 365.0;
    let april = march * 0.045 * 15.0 / 365.0;
    assert_close(april, 0.638_393_7);
    let b = out.report.benchmark.as_ref().expect("a benchmark");
    assert_close(b.costs.interest_earned, march + april);
    assert_eq!(b.costs.taxes_paid, 0.0);
    // If sold at the last close (130, 1,300): the shares' KRW value less their KRW cost is
    // the 2024 gain (no sale in 2024 so far); 22% above 2,500,000, paid in USD at 1,300:
    // the taxable amount in whole won, 20% of it cut to ten won, and 10% of that cut to
    // ten won (docs/TAXES.md).
    let shares = 100_000.0 / 110.0 + march / 120.0;
    let value = shares * 130.0 + april;
    let gain = shares * 130.0 * 1300.0 - (100_000.0 + march) * 1300.0;
    let won = (gain - 2_500_000.0).floor() as u64;
    let national = won * 2 / 100 * 10;
    let tax = (national + national / 100 * 10) as f64;
    assert!((tax - 0.22 * (gain - 2_500_000.0)).abs() < 20.0);
    let after = b.metrics.after_tax.as_ref().expect("after tax");
    assert_eq!(after.taxes_due, 0.0);
    assert_close(after.final_value, value);
    assert_close(after.taxes_if_sold, tax / 1300.0);
    assert_close(after.final_value_if_sold, value - tax / 1300.0);
    let base = out
        .report
        .base_currency
        .as_ref()
        .and_then(|b| b.benchmark.as_ref())
        .expect("KRW");
    let after_krw = base.after_tax.as_ref().expect("after tax");
    assert_close(after_krw.final_value_if_sold, value * 1300.0 - tax);
    // The strategy held cash all along: nothing to tax if sold, and more interest.
    let s = out.report.metrics.after_tax.as_ref().expect("after tax");
    assert_eq!(s.taxes_if_sold, 0.0);
    assert!(out.report.costs.interest_earned > b.costs.interest_earned);
    let text = rotor::report::summary::render(&out.report);
    assert!(text.contains("AAA (buy & hold): final value"), "{text}");
    assert!(text.contains("if sold on the last day"), "{text}");
}

#[test]
fn a_run_cut_at_a_date_equals_the_full_run_before_it() {
    // Withheld tax, an ISA, withdrawals and interest use nothing dated after the day.
    for rule in ["tax korea-listed", "account isa", "tax korea"] {
        let body = format!(
            "currency KRW using krw\ncapital 20000 USD\ncash interest dff\nfx spread 0.1%\n{rule}\n\
             contribute 1000000 KRW monthly\nwithdraw 3% quarterly\n\
             rebalance monthly to AAA 50%, BBB 50%"
        );
        let full = run(&body);
        let cut = run(&format!("{body}\nto 2025-05-30"));
        let (f, c) = (&full.backtest.run, &cut.backtest.run);
        let n = c.equity.len();
        assert_eq!(n, 6);
        assert_eq!(&f.equity[..n], &c.equity[..], "{rule}");
        assert_eq!(&f.flows.to_vec()[..n], &c.flows.to_vec()[..], "{rule}");
        let trades = |r: &rotor::engine::Run| {
            r.trades
                .iter()
                .filter(|t| t.date.as_str() <= "2025-05-30")
                .cloned()
                .collect::<Vec<_>>()
        };
        assert_eq!(trades(f), trades(c), "{rule}");
    }
}

#[test]
fn direct_vs_korea_listed_vs_isa_is_one_compare() {
    // The same trade three ways: 100 AAA bought at 100 on 2024-03-04 (13,000,000 KRW),
    // sold at 150 on 2024-09-02 (20,250,000 KRW): a gain of 7,250,000 KRW. The run ends on
    // 2025-06-03 at 1,400 KRW per USD.
    // - direct, `tax korea`: 22% × 4,750,000 = 1,045,000 KRW paid on 2025-06-02 (746.43
    //   USD): 15,000 − 746.43 = 14,253.57 USD, 19,955,000 KRW.
    // - Korean-listed: 15.4% × 7,250,000 = 1,116,500 KRW withheld at the sale (827.04 USD at
    //   1,350): 14,172.96 USD, 19,842,148.15 KRW.
    // - ISA: 9.9% × 5,250,000 = 519,750 KRW due at the end: 21,000,000 − 519,750 =
    //   20,480,250 KRW after tax.
    // After tax in KRW: ISA > direct > Korean-listed.
    let dir = three_ways();
    let files = ["compare", "direct.rotor", "listed.rotor", "isa.rotor"];
    let out = common::rotor(&dir, &[&files[..], &["--json"]].concat());
    assert_eq!(out.code, 0, "{}", out.stderr);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    let krw = |i: usize| {
        json["strategies"][i]["base_currency"]["metrics"]["after_tax"]["final_value"]
            .as_f64()
            .expect("a number")
    };
    assert_close(krw(0), 19_955_000.0);
    assert_close(krw(1), (15_000.0 - 1_116_500.0 / 1350.0) * 1400.0);
    assert_close(krw(2), 20_480_250.0);
    assert!(krw(2) > krw(0) && krw(0) > krw(1));
    let text = common::rotor(&dir, &files);
    assert_eq!(text.code, 0, "{}", text.stderr);
    let line = (text.stdout.lines())
        .find(|l| l.trim_start().starts_with("Final value after tax (KRW)"))
        .unwrap_or_else(|| panic!("{}", text.stdout));
    assert!(
        line.contains("20,480,250.00") && line.trim_end().ends_with("ISA"),
        "{line}"
    );
}

/// Two runs under `tax korea` that put in 10,000 USD each, one all on the first day (at
/// 1,300 KRW per USD: 13,000,000 KRW), the other half then and half on 2024-09-03, whose
/// next trading day in the fixture is 2025-05-30 (at 1,400: 6,500,000 + 7,000,000 =
/// 13,500,000 KRW). In USD the money in is the same, so the USD
/// final values compare; in won it differs, so the KRW after-tax final values do not, and
/// the note and the footnote say so in KRW, as the Best column does.
#[test]
fn compare_says_in_which_currency_the_money_in_differs() {
    let dir = common::temp_dir("tax-compare-amounts");
    common::copy_fixtures("money", &dir);
    let body = "data \"money/prices.csv\"\ndata \"money/macro.csv\"\nfill close\ncurrency KRW using krw\ntax korea\n\
                buy AAA once on 2024-03-04\nsell AAA once on 2024-09-02\n";
    let files = [
        ("once.rotor", "Once", "capital 10000 USD\n"),
        (
            "halves.rotor",
            "Halves",
            "capital 5000 USD\ncontribute 5000 USD once on 2024-09-03\n",
        ),
    ];
    for (file, name, money) in files {
        std::fs::write(dir.join(file), format!("strategy \"{name}\"\n{money}{body}")).expect("writable");
    }
    let out = common::rotor(&dir, &["compare", "once.rotor", "halves.rotor"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains(
            "the runs put in different amounts (Once: 13,000,000.00 KRW; Halves: 13,500,000.00 KRW): \
             their final values and profits in KRW do not compare"
        ),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("\n`-` on final values and profits in KRW: the runs put in different amounts.\n"),
        "{}",
        out.stdout
    );
    let line = |label: &str| {
        (out.stdout.lines())
            .find(|l| l.trim_start().starts_with(label))
            .unwrap_or_else(|| panic!("{label}: {}", out.stdout))
            .trim_end()
            .to_string()
    };
    assert!(line("Final value after tax (KRW)").ends_with(" -"), "{}", out.stdout);
    assert!(!line("Final value after tax (USD)").ends_with(" -"), "{}", out.stdout);
}

/// The folder of `direct_vs_korea_listed_vs_isa_is_one_compare`: one trade under `tax
/// korea` (Direct), `tax korea-listed` (Listed) and `account isa` (ISA).
fn three_ways() -> std::path::PathBuf {
    let dir = common::temp_dir("tax-compare");
    common::copy_fixtures("money", &dir);
    let body = "data \"money/prices.csv\"\ndata \"money/macro.csv\"\nfill close\ncurrency KRW using krw\n\
                capital 10000 USD\nbuy AAA once on 2024-03-04\nsell AAA once on 2024-09-02\n";
    for (file, name, rule) in [
        ("direct.rotor", "Direct", "tax korea"),
        ("listed.rotor", "Listed", "tax korea-listed"),
        ("isa.rotor", "ISA", "account isa"),
    ] {
        let text = format!("strategy \"{name}\"\n{rule}\n{body}");
        std::fs::write(dir.join(file), text).expect("writable");
    }
    dir
}

#[test]
fn the_compare_page_has_the_after_tax_rows_of_the_text() {
    // The figures of direct_vs_korea_listed_vs_isa_is_one_compare, on the page.
    use scraper::{Html, Selector};
    let dir = three_ways();
    let files = ["compare", "direct.rotor", "listed.rotor", "isa.rotor"];
    let out = common::rotor(&dir, &[&files[..], &["--report", "c.html"]].concat());
    assert_eq!(out.code, 0, "{}", out.stderr);
    let html = Html::parse_document(&std::fs::read_to_string(dir.join("c.html")).expect("written"));
    let rows = Selector::parse("#figures-compare tbody tr").expect("valid");
    let (th, td) = (
        Selector::parse("th").expect("valid"),
        Selector::parse("td").expect("valid"),
    );
    let row = |label: &str| {
        (html.select(&rows))
            .find(|r| {
                r.select(&th)
                    .next()
                    .is_some_and(|h| h.text().collect::<String>() == label)
            })
            .unwrap_or_else(|| panic!("no row {label}"))
    };
    // Every after-tax row the text table has, in USD and in KRW.
    let text = common::rotor(&dir, &files);
    for label in [
        "Final value after tax (USD)",
        "XIRR after tax (USD)",
        "Final value if sold on the last day (USD)",
        "XIRR if sold on the last day (USD)",
        "Final value after tax (KRW)",
        "XIRR after tax (KRW)",
        "Final value if sold on the last day (KRW)",
        "XIRR if sold on the last day (KRW)",
    ] {
        assert!(text.stdout.contains(label), "{label}: {}", text.stdout);
        row(label);
    }
    let krw = row("Final value after tax (KRW)");
    let cells: Vec<f64> = (krw.select(&td))
        .filter_map(|c| c.value().attr("data-value").map(|v| v.parse().expect("a number")))
        .collect();
    assert_eq!(cells.len(), 3);
    assert_close(cells[0], 19_955_000.0);
    assert_close(cells[1], (15_000.0 - 1_116_500.0 / 1350.0) * 1400.0);
    assert_close(cells[2], 20_480_250.0);
    let best: String = krw
        .select(&Selector::parse("td.best-name").expect("valid"))
        .flat_map(|c| c.text())
        .collect();
    assert_eq!(best, "ISA");
    // In USD: 15,000 − 746.43 (direct), − 827.04 (listed).
    let usd = row("Final value after tax (USD)");
    let fields: Vec<&str> = usd.select(&td).filter_map(|c| c.value().attr("data-field")).collect();
    assert_eq!(fields[0], "strategies.0.metrics.after_tax.final_value");
    let first: f64 = (usd.select(&td).next())
        .and_then(|c| c.value().attr("data-value"))
        .expect("a value")
        .parse()
        .expect("a number");
    assert_close(first, 15_000.0 - 1_045_000.0 / 1400.0);
}

#[test]
fn isa_contributions_above_the_limit_over_the_accounts_life_are_said() {
    // 10,000 USD × 1,300 = 13,000,000 KRW on 2024-03-04, and 20,000,000 KRW on the first
    // bar of each month, the first one included (as in the yearly test above, whose 28M in
    // 2024 is 13M + 3 × 5M): 03-04 (33M), 04-01 (53M), 05-01 (73M), then 09-02: June's,
    // July's and August's, which had no bar, are credited there with September's
    // (docs/LANGUAGE.md, "Stretches without bars"): 73M + 4 × 20M = 153M, past the
    // 100,000,000 KRW limit on 2024-09-02.
    let body = "currency KRW using krw\ncapital 10000 USD\naccount isa\ncontribute 20000000 KRW monthly\n\
                buy AAA once on 2024-03-04";
    let out = run(body);
    assert!(
        out.report.assumptions.iter().any(|a| a.starts_with(
            "ISA contributions reached 153,000,000.00 KRW on 2024-09-02, above the limit of 100,000,000 KRW"
        )),
        "{:?}",
        out.report.assumptions
    );
    assert!(
        out.warnings
            .iter()
            .any(|w| w.to_string().contains("reach 153,000,000.00 KRW on 2024-09-02")),
        "{:?}",
        out.warnings.iter().map(|w| w.to_string()).collect::<Vec<_>>()
    );
    // 73,000,000 KRW in all to 2024-08-30: within it, no word of the life limit.
    let within = run(&format!("{body}\nto 2024-08-30"));
    assert!(
        !within
            .report
            .assumptions
            .iter()
            .any(|a| a.contains("limit of 100,000,000 KRW"))
    );
}

#[test]
fn a_korea_listed_sale_without_an_exchange_rate_withholds_nothing_and_says_unknown() {
    // krw is observed on 2024-03-01, 2024-09-01 and 2025-05-01; with `stale krw after 5
    // days` the sale on 2024-05-01 has no rate: its gain in KRW, and the 15.4% of it, are
    // unknown. Nothing is withheld (it used to make cash NaN): 100 AAA bought at 100 and
    // sold at 130 leave 13,000 USD.
    let out = run(
        "currency KRW using krw\nstale krw after 5 days\ncapital 10000 USD\ntax korea-listed\n\
         buy AAA once on 2024-03-04\nsell AAA once on 2024-05-01",
    );
    assert_close(out.backtest.run.cash, 13_000.0);
    assert_eq!(out.report.costs.taxes_paid, 0.0);
    let y = &out.report.tax.as_ref().expect("a tax rule").years[0];
    assert!(y.tax.is_nan(), "{y:?}");
}

#[test]
fn a_us_listing_under_a_korean_fund_rule_is_said_to_stand_for_a_korean_fund() {
    // `tax korea-listed` taxes funds listed in Korea and an ISA cannot hold a US-listed
    // ETF: AAA and BBB (not Korean listings) stand for Korean-listed funds tracking them,
    // which the report says; `tax korea` (shares held directly) says nothing of the kind.
    let said = |rule: &str| {
        let out = run(&two_sales(rule, "2024-09-02"));
        (out.report.assumptions.iter())
            .find(|a| a.contains("stand for Korean-listed funds that track them"))
            .cloned()
    };
    let listed = said("tax korea-listed").expect("a note under korea-listed");
    assert!(listed.starts_with("AAA, BBB stand for"), "{listed}");
    assert!(listed.contains("the rule taxes funds listed in Korea"), "{listed}");
    let isa = said("account isa").expect("a note in an ISA");
    assert!(isa.contains("an ISA cannot hold a US-listed ETF"), "{isa}");
    assert_eq!(said("tax korea"), None);
}
