//! Golden tests of the engine on tiny hand-made data (tests/fixtures/engine/): every
//! expected number is worked out by hand in the comments, or by a small independent
//! calculation in the test.
//!
//! prices.csv (open / close):
//!
//! | date       | AAA         | BBB       | CCC (listed from 02-01) |
//! |------------|-------------|-----------|-----|
//! | 2024-01-02 | 10 / 10     | 20 / 20   |     |
//! | 2024-01-03 | 10.5 / 11   | 20 / 19   |     |
//! | 2024-01-04 | 11 / 12     | 19 / 18   |     |
//! | 2024-02-01 | 12.5 / 12   | 18 / 18   | 12 / 12 |
//! | 2024-02-02 | 12 / 13     | 18.5 / 19 | 13 / 13 |
//! | 2024-02-05 | 13 / 14     | 19 / 20   | 14 / 14 |
//! | 2024-03-01 | 14 / 15     | 20 / 21   | 15 / 15 |
//! | 2024-03-04 | 15.5 / 15   | 21 / 20   | 15 / 15 |
//! | 2024-03-05 | 15 / 16     | 20 / 22   | 16 / 16 |
//! | 2024-04-01 | 16 / 16     | 22 / 22   | 16 / 16 |
//! | 2024-04-02 | 16.5 / 17   | 22 / 24   | 17 / 17 |
//!
//! macro.csv: signal 0.9 from 01-01, 0.5 from 02-01, 0.95 from 03-01, 0.2 from 04-01;
//! krw (KRW per USD) 1000, 1250, 1250, 1600 on the same dates.

mod common;

use rotor::pipeline::RunOutput;

/// Runs a strategy body with the fixture data ([`common::fixture_run`]).
fn run(body: &str) -> RunOutput {
    common::fixture_run("engine", body)
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9 * b.abs().max(1.0)
}

fn final_value(out: &RunOutput) -> f64 {
    *out.backtest.run.equity.last().expect("a run has bars")
}

#[test]
fn dca_with_close_fills() {
    // 100 USD on the first trading day of each month, all of it into AAA at that close:
    // 100/10 + 100/12 + 100/15 + 100/16 = 10 + 8.3333… + 6.6666… + 6.25 = 31.25 shares,
    // worth 31.25 × 17 = 531.25 at the last close.
    let out = run("contribute 100 USD monthly\nfill close\nbuy AAA monthly");
    assert!(close(final_value(&out), 531.25), "{}", final_value(&out));
    assert_eq!(out.report.metrics.contributed, 400.0);
    assert_eq!(out.report.activity.trades, 4);
}

#[test]
fn dca_with_next_open_fills() {
    // Decided on the close of 01-02, 02-01, 03-01, 04-01; filled at the next day's open:
    // 10.5, 12, 15.5, 16.5.
    let shares = 100.0 / 10.5 + 100.0 / 12.0 + 100.0 / 15.5 + 100.0 / 16.5;
    let out = run("contribute 100 USD monthly\nbuy AAA monthly");
    assert!(close(final_value(&out), shares * 17.0), "{}", final_value(&out));
    let dates: Vec<&str> = out.report.trades.iter().map(|t| t.date.as_str()).collect();
    assert_eq!(dates, ["2024-01-03", "2024-02-02", "2024-03-04", "2024-04-02"]);
}

#[test]
fn conditional_dca_waits_in_cash() {
    // signal > 0.8 on 01-02 (0.9) and 03-01 (0.95), not on 02-01 (0.5) or 04-01 (0.2).
    // 01-02: 100/10 = 10 shares. 03-01: cash 200 → 200/15 = 13.333… shares.
    // End: 23.333… × 17 + 100 cash (April's contribution) = 496.666…
    let out = run("contribute 100 USD monthly\nfill close\nbuy AAA monthly while signal > 0.8");
    let expected = (10.0 + 200.0 / 15.0) * 17.0 + 100.0;
    assert!(close(final_value(&out), expected), "{}", final_value(&out));
    assert!(close(out.report.cash, 100.0));
}

#[test]
fn when_fires_once_per_rise_while_fires_every_time() {
    // signal > 0.8 holds 01-02..01-04 and 03-01..03-05: `when` fires on 01-02 and 03-01,
    // `while` on all six of those days.
    let when = run("capital 1000 USD\nfill close\nbuy 100 USD of AAA when signal > 0.8");
    let dates: Vec<&str> = when.report.trades.iter().map(|t| t.date.as_str()).collect();
    assert_eq!(dates, ["2024-01-02", "2024-03-01"]);
    let whl = run("capital 1000 USD\nfill close\nbuy 100 USD of AAA while signal > 0.8");
    assert_eq!(whl.report.trades.len(), 6);
}

#[test]
fn sell_half_of_a_position() {
    // 01-02: 1000/10 = 100 shares. 03-01: sell 50 at 15 = 750 cash. End 750 + 50 × 17 = 1600.
    let out = run("capital 1000 USD\nfill close\nbuy AAA once on 2024-01-02\nsell 50% of AAA once on 2024-03-01");
    assert!(close(final_value(&out), 1600.0), "{}", final_value(&out));
    assert!(close(out.report.cash, 750.0));
}

#[test]
fn rebalance_to_target_weights() {
    // Independent calculation: at each month start, value the two holdings at the close and
    // reset each to half of the total.
    let closes = [(10.0, 20.0), (12.0, 18.0), (15.0, 21.0), (16.0, 22.0)];
    let (mut a, mut b, mut cash) = (0.0f64, 0.0f64, 1000.0f64);
    for (pa, pb) in closes {
        let total = cash + a * pa + b * pb;
        a = total / 2.0 / pa;
        b = total / 2.0 / pb;
        cash = 0.0;
    }
    let expected = a * 17.0 + b * 24.0;
    let out = run("capital 1000 USD\nfill close\nrebalance monthly to AAA 50%, BBB 50%");
    assert!(
        (final_value(&out) - expected).abs() < 1e-6,
        "{} vs {expected}",
        final_value(&out)
    );
}

#[test]
fn rotate_holds_the_best_performer() {
    // return(1) at each month start (close today / close on the previous bar - 1):
    // 01-02: no previous bar, not available → nothing.
    // 02-01: AAA 12/12-1 = 0, BBB 18/18-1 = 0: a tie → AAA (listed first): 1000/12 AAA.
    // 03-01: AAA 15/14-1 = 7.1%, BBB 21/20-1 = 5%: keep AAA.
    // 04-01: AAA 16/16-1 = 0, BBB 22/22-1 = 0: tie → AAA. End: 1000/12 × 17.
    let out = run("capital 1000 USD\nfill close\nrotate monthly to top 1 of AAA, BBB by return(1)");
    assert!(close(final_value(&out), 1000.0 / 12.0 * 17.0), "{}", final_value(&out));
    // With `bottom 1`, 03-01 picks BBB: sell 83.33 AAA at 15 = 1250, buy 1250/21 BBB;
    // 04-01 is a tie again → AAA: sell at 22 → 1250/21 × 22, buy AAA at 16.
    let out = run("capital 1000 USD\nfill close\nrotate monthly to bottom 1 of AAA, BBB by return(1)");
    let expected = 1000.0 / 12.0 * 15.0 / 21.0 * 22.0 / 16.0 * 17.0;
    assert!(
        close(final_value(&out), expected),
        "{} vs {expected}",
        final_value(&out)
    );
}

#[test]
fn fees_and_slippage_apply_to_every_fill() {
    // Buy with 1000 USD at close 10, slippage 1%: price 10.10. Fee 1% + 2 USD per trade:
    // shares = (1000 - 2) / (10.10 × 1.01) = 97.8331…; fee = 1% × shares × 10.10 + 2.
    // Sell everything on 04-02 at 17 × 0.99 = 16.83: proceeds = shares × 16.83 × 0.99 - 2.
    let out = run(
        "capital 1000 USD\nfees 1%, 2 USD per trade\nslippage 1%\nfill close\nbuy AAA once on 2024-01-02\nsell AAA once on 2024-04-02",
    );
    let shares = 998.0 / (10.10 * 1.01);
    let proceeds = shares * 16.83 * 0.99 - 2.0;
    assert!(close(out.report.cash, proceeds), "{} vs {proceeds}", out.report.cash);
    let fees = (shares * 10.10 * 0.01 + 2.0) + (shares * 16.83 * 0.01 + 2.0);
    assert!(close(out.report.costs.fees_paid, fees));
    assert!(close(out.report.costs.slippage_paid, shares * 0.10 + shares * 0.17));
}

#[test]
fn xirr_of_monthly_contributions() {
    // Independent XIRR: bisection on the NPV of the investor's flows (-100 on each month
    // start, + final value on the last day).
    let out = run("contribute 100 USD monthly\nfill close\nbuy AAA monthly");
    let days = [0.0, 30.0, 59.0, 90.0]; // 01-02, 02-01, 03-01, 04-01 after 01-02
    let end = 91.0; // 04-02
    let fv = final_value(&out);
    let npv = |r: f64| {
        days.iter().map(|d| -100.0 / (1.0 + r).powf(d / 365.0)).sum::<f64>() + fv / (1.0 + r).powf(end / 365.0)
    };
    let (mut lo, mut hi) = (-0.99, 100.0);
    for _ in 0..200 {
        let mid = (lo + hi) / 2.0;
        if npv(mid) > 0.0 { lo = mid } else { hi = mid }
    }
    let xirr = out.report.metrics.xirr.expect("xirr exists");
    assert!((xirr - lo).abs() < 1e-6, "{xirr} vs {lo}");
}

#[test]
fn expense_ratio_accrues_daily_on_held_value() {
    // 100 shares bought at the 01-02 close. Expense 3.65% a year = 0.01% per calendar day;
    // each bar keeps (1 - 0.0001 × days since the previous bar) of the shares.
    let out = run("capital 1000 USD\nexpense AAA 3.65%\nfill close\nbuy AAA once on 2024-01-02");
    let dates = [2, 3, 4, 32, 33, 36, 61, 64, 65, 92, 93]; // day of year
    let mut shares = 100.0f64;
    for w in dates.windows(2) {
        shares *= 1.0 - 0.0001 * (w[1] - w[0]) as f64;
    }
    assert!(
        close(final_value(&out), shares * 17.0),
        "{} vs {}",
        final_value(&out),
        shares * 17.0
    );
    assert!(out.report.costs.expense_drag > 0.0);
}

#[test]
fn contributions_in_krw_convert_at_the_days_rate() {
    // 100,000 KRW a month at 1000, 1250, 1250, 1600 KRW/USD = 100 + 80 + 80 + 62.5 USD.
    let out = run("currency KRW using krw\ncontribute 100000 KRW monthly\nfill close\nbuy AAA monthly");
    assert!(close(out.report.metrics.contributed, 322.5));
    let base = out.report.base_currency.as_ref().expect("KRW figures");
    assert_eq!(base.code, "KRW");
    assert!(close(base.metrics.contributed, 400_000.0));
    // Final KRW value = USD value × 1600 (the rate as of 04-02).
    assert!(close(base.metrics.final_value, final_value(&out) * 1600.0));
}

#[test]
fn a_symbol_whose_history_starts_late() {
    // CCC has prices from 02-01. AAA (traded too) makes January a trading day, so the
    // January order for CCC is skipped and counted; February's fills. The AAA rule comes
    // second and finds no cash left in April: an empty order, not a trade.
    let out = run("contribute 100 USD monthly\nfill close\nbuy CCC monthly\nbuy 10 USD of AAA once on 2024-04-01");
    assert_eq!(out.report.activity.skipped_not_listed, 1);
    // 02-01: 200/12; 03-01: 100/15; 04-01: 100/16.
    let shares = 200.0 / 12.0 + 100.0 / 15.0 + 100.0 / 16.0;
    assert!(close(final_value(&out), shares * 17.0));
    assert_eq!(out.report.activity.empty_orders, 1);
}

#[test]
fn an_order_with_nothing_to_spend_is_not_a_trade() {
    let out = run("capital 100 USD\nfill close\nbuy AAA daily");
    assert_eq!(out.report.activity.trades, 1);
    assert_eq!(out.report.activity.empty_orders, 10);
}

#[test]
fn a_buy_larger_than_cash_is_shrunk_and_counted() {
    let out = run("capital 100 USD\nfill close\nbuy 500 USD of AAA once on 2024-01-02");
    assert_eq!(out.report.activity.shrunk_orders, 1);
    assert!(close(final_value(&out), 10.0 * 17.0));
}

#[test]
fn lag_delays_a_series_by_calendar_time() {
    // With `lag signal 1 month` each value becomes visible a month after its date:
    // 0.9 (01-01) from 02-01, 0.5 from 03-01, 0.95 from 04-01. `while signal > 0.8` then
    // holds on 02-01, 02-02, 02-05, 04-01, 04-02: five buys (six without the lag).
    let out = run("capital 1000 USD\nlag signal 1 month\nfill close\nbuy 100 USD of AAA while signal > 0.8");
    let dates: Vec<&str> = out.report.trades.iter().map(|t| t.date.as_str()).collect();
    assert_eq!(
        dates,
        ["2024-02-01", "2024-02-02", "2024-02-05", "2024-04-01", "2024-04-02"]
    );
}

#[test]
fn whole_shares_round_buys_down() {
    // 1000 / 15 = 66.67 → 66 shares, 10 USD left. End: 66 × 17 + 10 = 1132.
    let out = run("capital 1000 USD\nwhole shares\nfill close\nbuy AAA once on 2024-03-01");
    assert!(close(final_value(&out), 1132.0), "{}", final_value(&out));
    assert!(close(out.report.cash, 10.0));
}

#[test]
fn guards_on_values_not_yet_available_are_false_and_counted() {
    // sma(AAA, 3) is available from the third bar: `unless` must not fire before it either.
    let out = run("capital 1000 USD\nfill close\nbuy 100 USD of AAA unless sma(AAA, 3) > 100");
    assert_eq!(out.report.activity.guards_not_available, 2);
    assert_eq!(out.report.trades.first().map(|t| t.date.as_str()), Some("2024-01-04"));
}
