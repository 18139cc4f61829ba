//! What the investor keeps (issue 16, docs/TAXES.md): interest on cash, lots, Korean
//! capital-gains tax and the FX spread, through the whole pipeline on tiny hand-made data
//! (tests/fixtures/money/). Every expected number is worked out by hand in the comments.
//!
//! prices.csv (open = close): AAA 100 (2024-03-04), 110 (04-01), 120 (04-16), 130 (05-01),
//! 150 (09-02), 150 (2025-05-30), 150 (06-02), 160 (06-03); BBB 50, 50, 45, 45, 40, 40, 40, 40.
//! macro.csv: krw (KRW per USD) 1300 from 2024-03-01, 1350 from 2024-09-01, 1400 from
//! 2025-05-01; dff (yearly %) 4.5 from 2024-03-01, 5.0 from 2024-04-16.

mod common;

use rotor::pipeline::RunOutput;

/// Runs a strategy body with the fixture data ([`common::money_run`]).
fn run(body: &str) -> RunOutput {
    common::money_run(body)
}

fn assert_close(a: f64, b: f64) {
    assert!((a - b).abs() < 1e-6 * b.abs().max(1.0), "{a} != {b}");
}

/// A rule that never fires, for runs about cash alone.
const IDLE: &str = "buy AAA once on 2030-01-02";

#[test]
fn interest_on_cash_with_a_rate_change_mid_month() {
    // 100,000 USD in cash from 2024-03-04. March: 28 days (4th–31st) at 4.5%:
    // 100,000 × 0.045 × 28 / 365 = 345.2054795, credited at the close of 04-01 (the first
    // trading day after March ended). April: 15 days (1st–15th) at 4.5% and 15 days
    // (16th–30th) at 5% on 100,345.2054795: × (0.045 × 15 + 0.05 × 15) / 365 = 391.7586789,
    // credited at the close of 05-01. The run ends on 05-01: May 1 itself is not accrued.
    let out = run(&format!("capital 100000 USD\ncash interest dff\nto 2024-05-01\n{IDLE}"));
    let run = &out.backtest.run;
    let march = 100_000.0 * 0.045 * 28.0 / 365.0;
    let april = (100_000.0 + march) * (0.045 * 15.0 + 0.05 * 15.0) / 365.0;
    assert_close(march, 345.205_479_452);
    assert_close(april, 391.758_678_927);
    assert_eq!(run.equity[0], 100_000.0);
    assert_close(run.equity[1], 100_000.0 + march);
    assert_close(run.equity[2], 100_000.0 + march);
    assert_close(run.equity[3], 100_000.0 + march + april);
    assert_close(out.report.costs.interest_earned, 736.964_158_379);
    assert!(rotor::report::summary::render(&out.report).contains("interest earned 736.96 USD"));
}

#[test]
fn a_constant_rate_is_the_same_as_a_flat_series() {
    // 4.5% all along: March 345.2054795 as above; April 30 days on 100,345.2054795:
    // × 0.045 × 30 / 365 = 371.1398011.
    let out = run(&format!(
        "capital 100000 USD\ncash interest 4.5%\nto 2024-05-01\n{IDLE}"
    ));
    let march = 100_000.0 * 0.045 * 28.0 / 365.0;
    let april = (100_000.0 + march) * 0.045 * 30.0 / 365.0;
    assert_close(april, 371.139_801_088);
    assert_close(out.report.costs.interest_earned, march + april);
}

#[test]
fn the_issue_example_tax_is_paid_the_next_may() {
    // 10,000 USD buys 100 AAA at 100 on 2024-03-04 (1,300 KRW/USD: 13,000,000 KRW); all
    // sold at 150 on 2024-09-02 (1,350: 20,250,000 KRW). Gain 7,250,000 KRW; tax
    // 22% × (7,250,000 − 2,500,000) = 1,045,000 KRW, due 2025-05-31 (a Saturday), paid on
    // Monday 2025-06-02 at 1,400: 746.4285714 USD. Cash afterwards 15,000 − 746.43.
    let out = run("currency KRW using krw\ncapital 10000 USD\ntax korea\n\
         buy AAA once on 2024-03-04\nsell AAA once on 2024-09-02");
    let r = &out.report;
    let tax = r.tax.as_ref().expect("a tax rule");
    assert_eq!((tax.rule.as_str(), tax.currency.as_str()), ("korea", "KRW"));
    assert_eq!(tax.years.len(), 1);
    let y = &tax.years[0];
    assert_eq!(y.year, 2024);
    assert_close(y.net_gain, 7_250_000.0);
    assert_close(y.taxable, 4_750_000.0);
    assert_close(y.tax, 1_045_000.0);
    assert_eq!(y.paid_on.as_deref(), Some("2025-06-02"));
    assert_close(r.costs.taxes_paid, 746.428_571_429);
    assert_eq!(r.costs.taxes_due, 0.0);
    let run = &out.backtest.run;
    // Bars: …, 2025-05-30 (index 5), 06-02 (6), 06-03 (7).
    assert_close(run.equity[5], 15_000.0);
    assert_close(run.equity[6], 15_000.0 - 1_045_000.0 / 1400.0);
    assert_close(run.cash, 15_000.0 - 1_045_000.0 / 1400.0);
    // Realized by symbol and year: 5,000 USD, 7,250,000 KRW.
    let g = &r.gains.realized[0];
    assert_eq!((g.symbol.as_str(), g.year), ("AAA", 2024));
    assert_close(g.gain, 5_000.0);
    assert_close(g.gain_base.expect("KRW"), 7_250_000.0);
    // Nothing is due at the end: the after-tax figures are the figures.
    let after = r.metrics.after_tax.as_ref().expect("after tax");
    assert_close(after.final_value, r.metrics.final_value);
}

#[test]
fn tax_still_due_at_the_end_is_subtracted_after_tax() {
    // The same sale, run to 2025-05-30: the tax (1,045,000 KRW) is due, not paid. At the
    // last day's rate (1,400) it is 746.4285714 USD; the KRW final value is
    // 15,000 × 1,400 = 21,000,000, after tax 19,955,000 KRW. The after-tax XIRR in KRW
    // solves −13,000,000 on 2024-03-04 and +19,955,000 on 2025-05-30 (452 days):
    // (19,955,000 / 13,000,000)^(365 / 452) − 1.
    let out = run("currency KRW using krw\ncapital 10000 USD\ntax korea\nto 2025-05-30\n\
         buy AAA once on 2024-03-04\nsell AAA once on 2024-09-02");
    let r = &out.report;
    assert_eq!(r.costs.taxes_paid, 0.0);
    assert_close(r.costs.taxes_due, 746.428_571_429);
    let base = r.base_currency.as_ref().expect("KRW figures");
    assert_close(base.metrics.final_value, 21_000_000.0);
    let after = base.metrics.after_tax.as_ref().expect("after tax");
    assert_close(after.final_value, 19_955_000.0);
    assert_close(after.taxes_due, 1_045_000.0);
    let xirr = (19_955_000.0_f64 / 13_000_000.0).powf(365.0 / 452.0) - 1.0;
    assert!((after.xirr.expect("a rate") - xirr).abs() < 1e-7);
    // In USD: 15,000 − 746.43.
    let usd = r.metrics.after_tax.as_ref().expect("after tax");
    assert_close(usd.final_value, 15_000.0 - 1_045_000.0 / 1400.0);
    assert!(rotor::report::summary::render(&out.report).contains("After tax and costs (tax korea)"));
    assert_eq!(r.tax.as_ref().expect("a tax rule").years[0].paid_on, None);
}

#[test]
fn a_loss_on_one_symbol_nets_a_gain_on_another() {
    // AAA: 100 shares at 100 (13,000,000 KRW) sold at 150 (20,250,000): +7,250,000 KRW.
    // BBB: 200 shares at 50 (13,000,000 KRW) sold at 40 (8,000 USD × 1,350 = 10,800,000):
    // −2,200,000 KRW. Net 5,050,000; taxable 2,550,000; tax 561,000 KRW = 400.7142857 USD
    // at 1,400 on 2025-06-02.
    let out = run("currency KRW using krw\ncapital 20000 USD\ntax korea\n\
         buy 10000 USD of AAA once on 2024-03-04\nbuy 10000 USD of BBB once on 2024-03-04\n\
         sell AAA once on 2024-09-02\nsell BBB once on 2024-09-02");
    let r = &out.report;
    let y = &r.tax.as_ref().expect("a tax rule").years[0];
    assert_close(y.net_gain, 5_050_000.0);
    assert_close(y.tax, 561_000.0);
    assert_close(r.costs.taxes_paid, 400.714_285_714);
    let bbb = r.gains.positions.iter().find(|p| p.symbol == "BBB").expect("BBB");
    assert_close(bbb.realized, -2_000.0);
}

#[test]
fn fifo_and_average_cost_differ_on_a_partial_sale() {
    // 50 AAA at 100 (03-04) and 50 at 120 (04-16), 25 sold at 150 (09-02), no tax rule.
    // FIFO: cost 25 × 100 = 2,500, gain 3,750 − 2,500 = 1,250; left 25 at 100 + 50 at 120 =
    // 8,500, worth 75 × 160 = 12,000 at the end: unrealized 3,500.
    // Average: 110 a share, cost 2,750, gain 1,000; left 75 × 110 = 8,250: unrealized 3,750.
    let body = "capital 11000 USD\nbuy 50 shares of AAA once on 2024-03-04\n\
                buy 50 shares of AAA once on 2024-04-16\nsell 25 shares of AAA once on 2024-09-02";
    let fifo = run(body);
    let p = &fifo.report.gains.positions[0];
    assert_eq!(fifo.report.gains.cost_basis, "fifo");
    assert_close(p.realized, 1_250.0);
    assert_close(p.cost_basis, 8_500.0);
    assert_close(p.unrealized, 3_500.0);
    let avg = run(&format!("cost basis average\n{body}"));
    let p = &avg.report.gains.positions[0];
    assert_close(p.realized, 1_000.0);
    assert_close(p.cost_basis, 8_250.0);
    assert_close(p.unrealized, 3_750.0);
}

#[test]
fn the_fx_spread_costs_every_conversion() {
    // 1,303,250 KRW at 1,300 × 1.0025 = 1,303.25 KRW per USD buys 1,000 USD; at mid it
    // would be 1,002.5: the spread cost 2.5 USD. The KRW contribution stays 1,303,250.
    let out = run(&format!(
        "currency KRW using krw\ncapital 1303250 KRW\nfx spread 0.25%\n{IDLE}"
    ));
    let run = &out.backtest.run;
    assert_close(run.flows[0], 1_000.0);
    assert_close(out.report.costs.fx_costs, 2.5);
    let base = run.base.as_ref().expect("KRW figures");
    assert_close(base.flows[0], 1_303_250.0);
}

#[test]
fn a_korean_tax_needs_krw_rates() {
    let dir = common::temp_dir("money-diag");
    std::fs::write(dir.join("s.rotor"), "tax korea\nbuy IWO monthly\n").expect("writable");
    let out = common::rotor(&dir, &["check", "s.rotor"]);
    assert_ne!(out.code, 0);
    assert!(
        out.stderr.contains("`tax korea` computes gains in KRW"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("currency KRW using"), "{}", out.stderr);
}

#[test]
fn a_negative_interest_rate_is_refused() {
    let dir = common::temp_dir("money-diag");
    std::fs::write(dir.join("s.rotor"), "cash interest -1%\nbuy IWO monthly\n").expect("writable");
    let out = common::rotor(&dir, &["check", "s.rotor"]);
    assert_ne!(out.code, 0);
    assert!(out.stderr.contains("cash interest"), "{}", out.stderr);
}

#[test]
fn tax_that_cash_cannot_pay_is_paid_from_outside_and_counted_as_a_contribution() {
    // The issue example, but the 15,000 USD of proceeds buy 100 AAA again at 150 on
    // 2025-05-30: on 2025-06-02 cash is 0, so the 1,045,000 KRW (746.4285714 USD at 1,400)
    // come from outside: a contribution of 746.43 USD (1,045,000 KRW) that day, paid out at
    // once. Equity that day is 100 × 150 = 15,000; cash stays 0. (Debug builds also check
    // the cash ledger, interest and tax included, on every bar.)
    let out = run(
        "currency KRW using krw\ncapital 10000 USD\ntax korea\nbuy AAA once on 2024-03-04\n\
         sell AAA once on 2024-09-02\nbuy AAA once on 2025-05-30",
    );
    let run = &out.backtest.run;
    let usd = 1_045_000.0 / 1400.0;
    assert_close(run.flows[6], usd);
    assert_close(run.base.as_ref().expect("KRW").flows[6], 1_045_000.0);
    assert_close(run.equity[6], 15_000.0);
    assert_eq!(run.cash, 0.0);
    assert_close(out.report.costs.taxes_paid_from_outside, usd);
    assert_close(out.report.costs.taxes_paid, usd);
    assert!(
        out.report
            .assumptions
            .iter()
            .any(|a| a.contains("paid from outside the account"))
    );
}

#[test]
fn a_sale_without_an_exchange_rate_leaves_its_years_tax_unknown_not_zero() {
    // krw's observations are 2024-03-01, 2024-09-01 and 2025-05-01; with `stale krw after
    // 5 days` the 2024-05-01 sale has no rate (61 days old), so its gain in KRW, and 2024's
    // tax, are unknown. Before: "taxable 0.00 KRW, tax 0.00 KRW". Its deadline day
    // (2025-06-02) passes with nothing paid, and the USD side is untouched: 100 AAA bought
    // at 100 and sold at 130 leave 13,000 USD in cash.
    let out = run(
        "currency KRW using krw\nstale krw after 5 days\ncapital 10000 USD\ntax korea\n\
         buy AAA once on 2024-03-04\nsell AAA once on 2024-05-01",
    );
    let r = &out.report;
    let y = &r.tax.as_ref().expect("a tax rule").years[0];
    assert_eq!(y.year, 2024);
    assert!(y.net_gain.is_nan() && y.taxable.is_nan() && y.tax.is_nan(), "{y:?}");
    assert_eq!((y.paid_on.as_deref(), y.paid_usd), (None, 0.0));
    assert_eq!(r.costs.taxes_paid, 0.0);
    assert_close(out.backtest.run.cash, 13_000.0);
    let text = rotor::report::summary::render(r);
    assert!(
        text.contains("2024: net gain - KRW, taxable - KRW, tax - KRW, unknown: a sale without an exchange rate"),
        "{text}"
    );
    assert!(
        r.assumptions
            .iter()
            .any(|a| a.starts_with("1 sale has no gain in the base currency")
                && a.contains("tax under `tax korea` is unknown")),
        "{:?}",
        r.assumptions
    );
    // The KRW figures that need a value on every day name the missing rate.
    let base = &r.base_currency.as_ref().expect("KRW").metrics;
    for figure in ["cagr", "xirr", "sharpe"] {
        assert!(
            base.why_null
                .get(figure)
                .is_some_and(|w| w.contains("no exchange rate")),
            "{figure}: {:?}",
            base.why_null
        );
    }
}

#[test]
fn a_base_currency_drawdown_over_days_without_a_rate_is_unknown_not_the_earlier_one() {
    // krw's observations are 2024-03-01, 04-16, 09-01 and 2025-05-01; with `stale krw
    // after 5 days` the bar of 2024-04-01 (31 days after the last rate) has no rate, so the
    // KRW value is unknown that day and the time-weighted index after it. 100 AAA bought at
    // 100 on 2024-03-04 and held: in USD the value only rises (100, 110, 120, 130, 150, 150,
    // 150, 160), so the USD drawdown is 0. In KRW the 2024-03-04 bar is known and so is its
    // drawdown up to then (none); everything after it is not. The max drawdown used to be
    // that early figure (0.00%) as if it held for the whole run: now it is unknown, and says
    // why, as CAGR and the other curve figures do.
    let out = run(
        "currency KRW using krw\nstale krw after 5 days\nfill close\ncapital 10000 USD\n\
         buy AAA once on 2024-03-04",
    );
    let r = &out.report;
    assert_eq!(r.metrics.max_drawdown.depth, 0.0, "USD: {:?}", r.metrics.max_drawdown);
    let base = &r.base_currency.as_ref().expect("KRW").metrics;
    let d = &base.max_drawdown;
    assert!(d.depth.is_nan(), "{d:?}");
    assert_eq!((&d.peak, &d.trough, &d.recovery), (&None, &None, &None), "{d:?}");
    assert!(
        base.why_null
            .get("max_drawdown")
            .is_some_and(|w| w.contains("no exchange rate")),
        "{:?}",
        base.why_null
    );
    let json = serde_json::to_value(r).expect("JSON");
    assert_eq!(
        json["base_currency"]["metrics"]["max_drawdown"]["depth"],
        serde_json::Value::Null
    );
    let text = rotor::report::summary::render(r);
    let krw = text.split("\nIn KRW").nth(1).unwrap_or_else(|| panic!("{text}"));
    let row = (krw.lines())
        .find(|l| l.trim_start().starts_with("Max drawdown"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(row.trim_end().ends_with(" -"), "{row}");
    assert!(
        krw.contains("Max drawdown") && krw.contains("no exchange rate those days"),
        "the reason is said under the KRW figures: {text}"
    );
}

#[test]
fn a_known_tax_whose_deadline_day_has_no_rate_waits_for_one() {
    // The issue example (1,045,000 KRW of 2024 tax, docs above), but with `stale krw after
    // 5 days`: on the deadline day 2025-06-02 the last rate is 32 days old, and so on
    // 06-03, the last bar. Nothing can buy the won: the tax is not paid (it used to turn
    // cash into NaN) and stays due at the end; cash keeps the 15,000 USD of the sale.
    let out = run(
        "currency KRW using krw\nstale krw after 5 days\ncapital 10000 USD\ntax korea\n\
         buy AAA once on 2024-03-04\nsell AAA once on 2024-09-02",
    );
    let r = &out.report;
    let y = &r.tax.as_ref().expect("a tax rule").years[0];
    assert_close(y.tax, 1_045_000.0);
    assert_eq!(y.paid_on, None);
    assert_eq!(r.costs.taxes_paid, 0.0);
    assert_close(out.backtest.run.cash, 15_000.0);
    assert_close(r.metrics.final_value, 15_000.0);
}

#[test]
fn interest_credited_for_a_month_ending_on_a_weekend_earns_from_the_first() {
    // docs/TAXES.md: a month's interest is value-dated its last day. May 2025 ends on a
    // Saturday; the bars are Friday 05-30, Monday 06-02 and 06-03. 100,000 USD earn May 30
    // and 31: 100,000 × 0.045 × 2 / 365 = 24.6575342, credited (in the cash at Monday's
    // close). June 1 (a Sunday) and June 2 already earn on 100,024.6575342:
    // 2 × 100,024.6575342 × 0.045 / 365 = 24.6636142, accrued, not credited by the end.
    // (Earning on 100,000 on Sunday would give 24.6606.)
    let out = run(&format!(
        "capital 100000 USD\ncash interest 4.5%\nfrom 2025-05-30\n{IDLE}"
    ));
    let money = &out.backtest.run.money;
    let may = 100_000.0 * 0.045 * 2.0 / 365.0;
    assert_close(may, 24.657_534_247);
    assert_close(money.interest_earned, may);
    let june = 2.0 * (100_000.0 + may) * 0.045 / 365.0;
    assert_close(june, 24.663_614_187);
    assert_close(money.interest_accrued, june);
    let run = &out.backtest.run;
    assert_close(run.equity[0], 100_000.0);
    assert_close(run.equity[1], 100_000.0 + may);
}

/// Runs a strategy body over tests/fixtures/krw_hole/: AAA on 17 Wednesdays from
/// 2024-01-03 to 04-24 (close 10 to 02-28; 8 on 03-06, 03-13, 03-20; then 9, 10, 10, 11,
/// 12), and two KRW-per-USD series observed on the same Wednesdays: `usdkrw` 1,000 to 02-21,
/// nothing for three weeks (02-28, 03-06, 03-13), 1,250 from 03-20; `gone` 1,000 to 02-21
/// and nothing after.
fn hole_run(body: &str) -> RunOutput {
    common::fixture_run("krw_hole", &format!("fill close\ncapital 1000000 KRW\n{body}"))
}

/// The rate r with Σ amount·(1+r)^(-days/365) = 0 (days since the first flow), by
/// bisection: an independent check of the report's XIRR.
fn rate_of(flows: &[(i64, f64)]) -> f64 {
    let npv = |r: f64| -> f64 {
        flows
            .iter()
            .map(|&(d, a)| a * (1.0 + r).powf(-(d as f64) / 365.0))
            .sum()
    };
    let (mut lo, mut hi) = (0.0, 100.0);
    assert!(npv(lo) > 0.0 && npv(hi) < 0.0);
    for _ in 0..200 {
        let mid = (lo + hi) / 2.0;
        if npv(mid) > 0.0 { lo = mid } else { hi = mid }
    }
    lo
}

#[test]
fn a_won_contribution_on_a_day_without_a_rate_is_credited_on_the_next_day_with_one() {
    // `stale usdkrw after 5 days`: on 02-28, 03-06 and 03-13 the last rate (02-21) is 7, 14
    // and 21 days old, so not available. `contribute 1000000 KRW monthly` falls on the
    // first bar of each month: 01-03 (with the capital), 02-07, 03-06 and 04-03. March's
    // has no rate on 03-06: it is credited on 03-20, the first later bar with a rate, at
    // that bar's 1,250 (800 USD), not at 02-21's 1,000.
    //   01-03: 2,000,000 KRW / 1,000 = 2,000 USD → 200 AAA at 10
    //   02-07: 1,000 USD → 100 AAA at 10
    //   03-20: 1,000,000 / 1,250 = 800 USD → 100 AAA at 8
    //   04-03: 800 USD → 80 AAA at 10
    // 480 AAA × 12 = 5,760 USD at the end; 4,600 USD (5,000,000 KRW) contributed;
    // 5,760 × 1,250 = 7,200,000 KRW. Before: March's was skipped (3,800 USD in, 4,560 out).
    let out = hole_run(
        "currency KRW using usdkrw\nstale usdkrw after 5 days\ncontribute 1000000 KRW monthly\nbuy AAA weekly",
    );
    let r = &out.report;
    assert_close(r.metrics.contributed, 4_600.0);
    assert_close(r.metrics.final_value, 5_760.0);
    let base = &r.base_currency.as_ref().expect("KRW").metrics;
    assert_close(base.contributed, 5_000_000.0);
    assert_close(base.final_value, 7_200_000.0);
    // XIRR reads the money on the day it went in (03-20, day 77), not the day it was due.
    let usd = rate_of(&[(0, -2000.0), (35, -1000.0), (77, -800.0), (91, -800.0), (112, 5760.0)]);
    assert_close(r.metrics.xirr.expect("a rate"), usd);
    let krw = rate_of(&[(0, -2e6), (35, -1e6), (77, -1e6), (91, -1e6), (112, 7.2e6)]);
    assert_close(base.xirr.expect("a rate"), krw);
    assert_eq!(r.activity.contributions_skipped, 0);
    assert_eq!(r.activity.contributions_late_no_rate, 1);
    assert!(
        r.assumptions.iter().any(|a| a
            == "1 contribution had no usable usdkrw on the day it was due (2024-03-06): \
                credited on the first later bar with one, at that bar's rate (2024-03-20, 14 days late)"),
        "{:?}",
        r.assumptions
    );
    let text = rotor::report::summary::render(r);
    assert!(
        text.contains("1 contribution credited late: no exchange rate the day it was due (see Assumed)"),
        "{text}"
    );
}

#[test]
fn a_won_contribution_whose_rate_never_returns_is_counted_as_never_credited() {
    // `gone` stops after 02-21: the contributions due 03-06 and 04-03 find no rate on any
    // later bar, so they never come in: 2,000 + 1,000 USD in, 300 AAA × 12 = 3,600 USD.
    let out =
        hole_run("currency KRW using gone\nstale gone after 5 days\ncontribute 1000000 KRW monthly\nbuy AAA weekly");
    let r = &out.report;
    assert_close(r.metrics.contributed, 3_000.0);
    assert_close(r.metrics.final_value, 3_600.0);
    assert_eq!(r.activity.contributions_skipped, 2);
    assert_eq!(r.activity.contributions_late_no_rate, 0);
    assert!(
        r.assumptions.iter().any(|a| a
            == "2 contributions were never credited: gone had no usable value from the day the first was due \
                (2024-03-06) to the end"),
        "{:?}",
        r.assumptions
    );
    let text = rotor::report::summary::render(r);
    assert!(
        text.contains("2 contributions never credited: no exchange rate from the day due to the end"),
        "{text}"
    );
}
