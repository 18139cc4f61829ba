//! Amounts and weights computed when a rule fires (issue 18 item 1): `(EXPR) USD`, `(EXPR)
//! shares`, `(EXPR) of cash`, `rebalance … weighted by EXPR` and `weighted equally`, on the
//! engine fixture (tests/fixtures/engine/, its table in tests/engine.rs). Every expected
//! number is worked out here from the fixture's closes.

mod common;

use rotor::pipeline::RunOutput;

/// Runs a strategy body with the fixture data ([`common::fixture_run`]).
fn run(body: &str) -> RunOutput {
    common::fixture_run("engine", body)
}

fn assert_near(got: f64, expected: f64, what: &str) {
    assert!(
        (got - expected).abs() < 1e-9 * expected.abs().max(1.0),
        "{what}: {got} vs {expected}"
    );
}

fn final_value(out: &RunOutput) -> f64 {
    *out.backtest.run.equity.last().expect("a run has bars")
}

fn shares(out: &RunOutput, symbol: &str) -> f64 {
    out.report
        .holdings
        .iter()
        .find(|h| h.symbol == symbol)
        .map_or(0.0, |h| h.shares)
}

#[test]
fn a_constant_amount_folds_through_arithmetic() {
    // `2 * base` with `base = 50`, and `2 * 50 USD`: 100 USD a month at the first trading
    // day's close (10, 12, 15, 16): 10 + 8.33… + 6.66… + 6.25 = 31.25 shares.
    for body in [
        "let base = 50\nbuy (2 * base) USD of AAA monthly",
        "buy 2 * 50 USD of AAA monthly",
        "let base = 50 USD\nbuy 2 * base of AAA monthly",
    ] {
        let out = run(&format!("contribute 100 USD monthly\nfill close\n{body}"));
        assert_near(shares(&out, "AAA"), 31.25, body);
    }
}

#[test]
fn money_computed_from_the_cash_at_the_decision() {
    // Half the cash each month, cash being 100 more each month: 50 at 10 (5 shares, 50
    // left), 75 of 150 at 12, 87.5 of 175 at 15, 93.75 of 187.5 at 16.
    let out = run("contribute 100 USD monthly\nfill close\nbuy (cash / 2) USD of AAA monthly");
    let expected = 50.0 / 10.0 + 75.0 / 12.0 + 87.5 / 15.0 + 93.75 / 16.0;
    assert_near(shares(&out, "AAA"), expected, "shares");
    assert_near(final_value(&out), expected * 17.0 + 93.75, "final value");
}

#[test]
fn an_amount_not_yet_available_places_no_order_and_is_counted() {
    // 10 × sma(AAA, 5): not available on 01-02 and 02-01 (fewer than 5 closes); on 03-01
    // the closes 12, 12, 13, 14, 15 average 13.2 → 132 USD at 15; on 04-01 14, 15, 15,
    // 16, 16 average 15.2 → 152 USD at 16.
    let out = run("capital 1000 USD\nfill close\nbuy (10 * sma(AAA, 5)) USD of AAA monthly");
    assert_eq!(out.report.activity.amount_not_available, 2);
    assert_near(shares(&out, "AAA"), 132.0 / 15.0 + 152.0 / 16.0, "shares");
    assert_near(
        final_value(&out),
        1000.0 - 132.0 - 152.0 + (8.8 + 9.5) * 17.0,
        "final value",
    );
}

#[test]
fn a_zero_or_negative_amount_places_no_order_and_is_counted() {
    // AAA − 20 is negative on every day (AAA closes at 10 to 17): four monthly sells that
    // are not placed, and the shares bought stay.
    let out = run("capital 1000 USD\nfill close\nbuy AAA once on 2024-01-02\nsell (AAA - 20) shares of AAA monthly");
    assert_eq!(out.report.activity.amount_not_positive, 4);
    assert_near(shares(&out, "AAA"), 100.0, "shares");
    let summary = rotor::report::summary::render(&out.report);
    assert!(
        summary.contains("4 orders not placed: their computed amount was zero or negative"),
        "{summary}"
    );
}

#[test]
fn computed_shares_and_shares_of_cash() {
    // `(signal * 10) shares` on 01-02 (signal 0.9): 9 shares at 10. `(signal) of cash` on
    // 02-01 (signal 0.5): half of the 910 left, 455 at 12.
    let out = run(
        "capital 1000 USD\nfill close\nbuy (signal * 10) shares of AAA once on 2024-01-02\nbuy (signal) of cash of BBB once on 2024-02-01",
    );
    assert_near(shares(&out, "AAA"), 9.0, "AAA");
    assert_near(shares(&out, "BBB"), 455.0 / 18.0, "BBB");
}

#[test]
fn weighted_equally_is_one_over_n() {
    // The same fills as fixed thirds written out (whose weights add up to 100% within the
    // checker's tolerance).
    let equal = run("capital 1000 USD\nrebalance monthly to AAA, BBB, CCC weighted equally");
    let thirds = run(
        "capital 1000 USD\nrebalance monthly to AAA 33.3333333333333333%, BBB 33.3333333333333333%, CCC 33.3333333333333334%",
    );
    assert!(!equal.report.trades.is_empty());
    assert_eq!(equal.report.trades.len(), thirds.report.trades.len());
    for (a, b) in equal.report.trades.iter().zip(thirds.report.trades.iter()) {
        assert_eq!((&a.date, &a.symbol, a.side), (&b.date, &b.symbol, b.side));
        assert_near(a.shares, b.shares, "shares of a fill");
    }
}

#[test]
fn inverse_volatility_weights_computed_by_hand() {
    // On 2024-03-05 (fill close), 1 / stdev of the last 3 closes: AAA 15, 15, 16 (sample
    // stdev √(1/3)), BBB 21, 20, 22 (stdev 1).
    let sd = |xs: [f64; 3]| {
        let m = xs.iter().sum::<f64>() / 3.0;
        (xs.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / 2.0).sqrt()
    };
    let (ia, ib) = (1.0 / sd([15.0, 15.0, 16.0]), 1.0 / sd([21.0, 20.0, 22.0]));
    let (wa, wb) = (ia / (ia + ib), ib / (ia + ib));
    let out = run("capital 1000 USD\nfill close\nrebalance once on 2024-03-05 to AAA, BBB weighted by 1 / stdev(3)");
    assert_near(shares(&out, "AAA"), 1000.0 * wa / 16.0, "AAA");
    assert_near(shares(&out, "BBB"), 1000.0 * wb / 22.0, "BBB");
    assert_near(
        final_value(&out),
        1000.0 * wa / 16.0 * 17.0 + 1000.0 * wb / 22.0 * 24.0,
        "final",
    );
}

#[test]
fn weights_that_do_not_resolve_get_zero_and_are_counted() {
    // sma(3) of AAA and CCC (listed from 02-01), monthly with close fills:
    // 01-02: AAA has 1 close, CCC none → nothing resolves, no rebalance (counted);
    // 02-01: AAA (11 + 12 + 12) / 3, CCC one close → CCC 0, all in AAA (counted);
    // 03-01: AAA (13 + 14 + 15) / 3 = 14, CCC (13 + 14 + 15) / 3 = 14 → half each;
    // 04-01: AAA (15 + 16 + 16) / 3, CCC the same → half each.
    let out = run("capital 1000 USD\nfill close\nrebalance monthly to AAA, CCC weighted by sma(3)");
    let a = &out.report.activity;
    assert_eq!((a.weights_unresolved, a.weights_partly_resolved), (1, 1));
    let first: Vec<(&str, &str, &str)> = out
        .report
        .trades
        .iter()
        .map(|t| (t.date.as_str(), t.symbol.as_str(), t.side))
        .collect();
    assert_eq!(first[0], ("2024-02-01", "AAA", "buy"));
    // On 03-01 the portfolio is worth 1000 / 12 × 15 = 1250: 625 in each.
    let on_march = out.report.trades.iter().filter(|t| t.date == "2024-03-01");
    for t in on_march {
        let after = if t.symbol == "AAA" {
            1000.0 / 12.0 - t.shares
        } else {
            t.shares
        };
        assert_near(after * 15.0, 625.0, &t.symbol);
    }
}

#[test]
fn a_tolerance_holds_weighted_rebalances_back() {
    // All cash drifts 100% from the targets: the first rebalance is placed; after it the
    // weights stay within 50 points.
    let out = run("capital 1000 USD\nrebalance monthly to AAA, BBB weighted equally tolerance 50%");
    assert_eq!(out.report.activity.orders, 1);
    let out = run("capital 1000 USD\nrebalance monthly to AAA, BBB weighted by sma(2) tolerance 50%");
    assert_eq!(out.report.activity.orders, 1);
}

#[test]
fn a_window_first_takes_the_symbol_as_subject() {
    // `volatility(3)` of each symbol, not of the constant 3: on 2024-03-05 the last three
    // returns of AAA (14 → 15 → 15 → 16) and of BBB (20 → 21 → 20 → 22). The annualisation
    // is the same for both, so the weights are the inverse sample stdevs' shares.
    let sd = |closes: [f64; 4]| {
        let r: Vec<f64> = closes.windows(2).map(|w| w[1] / w[0] - 1.0).collect();
        let m = r.iter().sum::<f64>() / 3.0;
        (r.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / 2.0).sqrt()
    };
    let (ia, ib) = (1.0 / sd([14.0, 15.0, 15.0, 16.0]), 1.0 / sd([20.0, 21.0, 20.0, 22.0]));
    let wa = ia / (ia + ib);
    let out =
        run("capital 1000 USD\nfill close\nrebalance once on 2024-03-05 to AAA, BBB weighted by 1 / volatility(3)");
    assert!(
        (shares(&out, "AAA") - 1000.0 * wa / 16.0).abs() < 1e-6,
        "{} vs {}",
        shares(&out, "AAA"),
        1000.0 * wa / 16.0
    );
    // `rsi(3)` in a ranking is the candidate's RSI too (a constant would tie every
    // candidate, and the first listed would always win).
    let out = run("capital 1000 USD\nfill close\nrotate once on 2024-03-05 to top 1 of BBB, AAA by rsi(3)");
    assert_eq!(out.report.trades[0].symbol, "AAA", "AAA rose on every day but one");
}
