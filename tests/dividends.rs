//! Dividends paid as cash (issue 16 part 2, docs/TAXES.md "Dividends"): paid on the
//! ex-date on the shares held at the close before, withheld, reinvested by the fill rule,
//! never counted twice, through the whole pipeline on tiny hand-made data
//! (tests/fixtures/dividends/). Every expected number is worked out by hand in the comments
//! or computed independently in the test.
//!
//! AAA.csv (Yahoo "history with events", open = close): 100 (2024-03-01, Friday),
//! 101 (03-04), 99 (03-05, ex-date of a 1.00 dividend), 100 (03-06), 102 (03-07); its
//! `Adj Close` is 99.0099 on 03-01 and the close from 03-04 on.
//! BBB.csv (raw prices, no dividend column): 50 every day, 51 on 03-07; BBB_div.csv: a
//! 0.50 dividend dated Saturday 2024-03-02.
//! CCC.csv: `Date,Adj Close` only; CCC_div.csv: 0.10 on 03-05.
//! DDD.csv (Alpha Vantage daily adjusted, newest first): raw closes 102, 100 (a 2.00
//! dividend on 03-04), 100, then a 2-for-1 split on 03-06: 50, 51.
//! macro.csv: krw 1,300 KRW per USD from 03-01, 1,350 from 03-05.

mod common;

use rotor::pipeline::RunOutput;

fn run(body: &str) -> RunOutput {
    match common::run_with_fixtures("dividends", body) {
        Ok(out) => out,
        Err(rendered) => panic!("{rendered}"),
    }
}

fn assert_close(a: f64, b: f64) {
    assert!((a - b).abs() < 1e-9 * b.abs().max(1.0), "{a} != {b}");
}

fn assert_curve(curve: &[f64], expected: &[f64]) {
    assert_eq!(curve.len(), expected.len(), "{curve:?}");
    for (a, b) in curve.iter().zip(expected) {
        assert_close(*a, *b);
    }
}

fn assumed(out: &RunOutput) -> String {
    out.report.assumptions.join("\n")
}

const AAA: &str = "data \"dividends/AAA.csv\"\n";

#[test]
fn a_dividend_on_a_held_position_is_paid_to_cash_on_the_ex_date() {
    // 10,000 USD buys 100 AAA at the close of 03-01 (100, the raw close). On the ex-date
    // 03-05 the 100 shares held at the close of 03-04 earn 100 × 1.00 = 100 USD of cash.
    let out = run(&format!(
        "{AAA}dividends cash\nfill close\ncapital 10000 USD\nbuy AAA once on 2024-03-01"
    ));
    let run = &out.backtest.run;
    assert_curve(
        &run.equity,
        &[10_000.0, 10_100.0, 9_900.0 + 100.0, 10_000.0 + 100.0, 10_200.0 + 100.0],
    );
    assert_close(run.cash, 100.0);
    assert_eq!(out.report.costs.dividends_received, 100.0);
    assert_eq!(out.report.costs.withholding_tax, 0.0);
    let words = assumed(&out);
    assert!(
        words.contains("dividends are paid as cash on their ex-dates"),
        "{words}"
    );
    assert!(
        words.contains("prices are the raw close, not an adjusted close, so that no dividend is counted twice: AAA (the dividend column of "),
        "{words}"
    );
    assert!(words.contains("dividends/AAA.csv)"), "{words}");
    assert!(
        !words.contains("adjusted for dividends and splits with adj_close"),
        "{words}"
    );
    let summary = rotor::report::summary::render(&out.report);
    assert!(
        summary.contains("Dividends received 100.00 USD, tax withheld from them 0.00 USD"),
        "{summary}"
    );
}

#[test]
fn without_dividends_cash_the_adjusted_close_is_used_as_before() {
    // Prices scaled by Adj Close / Close: 99.0099 on 03-01, so 10,000 buys 10,000 / 99.0099
    // shares, worth that × 102 at the end; no dividend is paid.
    let out = run(&format!(
        "{AAA}fill close\ncapital 10000 USD\nbuy AAA once on 2024-03-01"
    ));
    let run = &out.backtest.run;
    assert_close(*run.equity.last().expect("bars"), 10_000.0 / 99.0099 * 102.0);
    assert_eq!(out.report.costs.dividends_received, 0.0);
    let words = assumed(&out);
    assert!(
        words.contains("adjusted for dividends and splits with adj_close (total return): AAA"),
        "{words}"
    );
    assert!(!words.contains("paid as cash"), "{words}");
}

#[test]
fn a_position_bought_on_the_ex_date_gets_nothing() {
    // Decided at the close of 03-04, filled at the open of 03-05 (99), the ex-date: the
    // shares were not held at the close before it.
    let next_open = run(&format!(
        "{AAA}dividends cash\ncapital 10000 USD\nbuy AAA once on 2024-03-04"
    ));
    assert_eq!(next_open.report.costs.dividends_received, 0.0);
    assert_close(
        *next_open.backtest.run.equity.last().expect("bars"),
        10_000.0 / 99.0 * 102.0,
    );
    // Filled at the close of the ex-date: nothing either.
    let close = run(&format!(
        "{AAA}dividends cash\nfill close\ncapital 10000 USD\nbuy AAA once on 2024-03-05"
    ));
    assert_eq!(close.report.costs.dividends_received, 0.0);
}

#[test]
fn sold_the_day_before_the_ex_date_gets_nothing_sold_on_it_keeps_it() {
    // Sold at the close of 03-04 (101): 10,100 of cash, no dividend.
    let before = run(&format!(
        "{AAA}dividends cash\nfill close\ncapital 10000 USD\nbuy AAA once on 2024-03-01\nsell AAA once on 2024-03-04"
    ));
    assert_eq!(before.report.costs.dividends_received, 0.0);
    assert_close(before.backtest.run.cash, 10_100.0);
    // Sold at the close of 03-05 (99): held at the close before the ex-date, so paid
    // 100, plus 9,900 from the sale.
    let on = run(&format!(
        "{AAA}dividends cash\nfill close\ncapital 10000 USD\nbuy AAA once on 2024-03-01\nsell AAA once on 2024-03-05"
    ));
    assert_eq!(on.report.costs.dividends_received, 100.0);
    assert_close(on.backtest.run.cash, 10_000.0);
}

#[test]
fn reinvested_dividends_buy_the_symbol_by_the_fill_rule_with_fees() {
    // fees 0.1%: 10,000 buys s0 = 10,000 / (100 × 1.001) shares on 03-01. The dividend of
    // s0 × 1.00 on 03-05 buys s1 = s0 / (99 × 1.001) at that close (`fill close`), which
    // spends it all; the lot opens at 99 and costs the whole dividend (price and fee).
    let out = run(&format!(
        "{AAA}reinvest dividends\nfill close\nfees 0.1%\ncapital 10000 USD\nbuy AAA once on 2024-03-01"
    ));
    let r = &out.backtest.run;
    let s0 = 10_000.0 / (100.0 * 1.001);
    let s1 = s0 / (99.0 * 1.001);
    assert_eq!(r.trades.len(), 2);
    let t = &r.trades[1];
    assert_eq!(
        (t.date.as_str(), t.side, t.rule, t.price),
        ("2024-03-05", "buy", 0, 99.0)
    );
    assert_close(t.shares, s1);
    assert_close(t.fee, s1 * 99.0 * 0.001);
    assert!(r.cash.abs() < 1e-9, "{}", r.cash);
    assert_close(*r.equity.last().expect("bars"), (s0 + s1) * 102.0);
    assert_close(out.report.costs.dividends_received, s0);
    let lots = &r.money.positions[0];
    assert_close(lots.shares, s0 + s1);
    assert_close(lots.cost_basis, 10_000.0 + s0);
    // `fill next open`: 10,000 buys s0 = 10,000 / (101 × 1.001) at the open of 03-04; the
    // dividend of 03-05 buys s0 / (100 × 1.001) at the open of 03-06.
    let next = run(&format!(
        "{AAA}reinvest dividends\nfees 0.1%\ncapital 10000 USD\nbuy AAA once on 2024-03-01"
    ));
    let s0 = 10_000.0 / (101.0 * 1.001);
    let t = &next.backtest.run.trades[1];
    assert_eq!((t.date.as_str(), t.price), ("2024-03-06", 100.0));
    assert_close(t.shares, s0 / (100.0 * 1.001));
}

#[test]
fn withholding_is_taken_at_payment_in_usd() {
    // tax dividends 15%: 100 USD gross, 15 withheld, 85 to cash.
    let out = run(&format!(
        "{AAA}dividends cash\ntax dividends 15%\nfill close\ncapital 10000 USD\nbuy AAA once on 2024-03-01"
    ));
    assert_eq!(out.report.costs.dividends_received, 100.0);
    assert_close(out.report.costs.withholding_tax, 15.0);
    assert_close(out.backtest.run.cash, 85.0);
    assert_close(*out.backtest.run.equity.last().expect("bars"), 10_200.0 + 85.0);
    assert_eq!(out.report.costs.dividends_received_base, None);
    assert!(assumed(&out).contains("less 15% withheld"), "{}", assumed(&out));
}

#[test]
fn tax_korea_withholds_15_percent_and_counts_dividends_in_krw_at_the_ex_date_rate() {
    // 100 USD on 03-05 at 1,350 KRW/USD: 135,000 KRW gross, 15 USD = 20,250 KRW withheld.
    let out = run(&format!(
        "{AAA}data \"dividends/macro.csv\"\ncurrency KRW using krw\ntax korea\ndividends cash\nfill close\n\
         capital 10000 USD\nbuy AAA once on 2024-03-01"
    ));
    let c = &out.report.costs;
    assert_eq!(c.dividends_received, 100.0);
    assert_close(c.withholding_tax, 15.0);
    assert_close(c.dividends_received_base.expect("KRW"), 135_000.0);
    assert_close(c.withholding_tax_base.expect("KRW"), 20_250.0);
    // The KRW curve: 100 shares and 85 USD of cash at 1,350 on the last day.
    let base = out.backtest.run.base.as_ref().expect("a KRW curve");
    assert_close(*base.equity.last().expect("bars"), (10_200.0 + 85.0) * 1350.0);
    let summary = rotor::report::summary::render(&out.report);
    assert!(
        summary.contains(
            "Dividends received 100.00 USD, tax withheld from them 15.00 USD (135,000.00 and 20,250.00 KRW at the ex-dates' rates)"
        ),
        "{summary}"
    );
    // The JSON has them under `costs`.
    let json = serde_json::to_value(&out.report).expect("a report serialises");
    assert_eq!(json["costs"]["dividends_received"], 100.0);
    assert_eq!(json["costs"]["withholding_tax"], 15.0);
}

#[test]
fn a_dividend_file_pays_a_raw_price_symbol_on_the_next_trading_day() {
    // 5,000 buys 100 BBB at 50 on 03-01; the 0.50 dated Saturday 03-02 is paid on Monday
    // 03-04 on the 100 shares held: 50 USD. End: 100 × 51 + 50.
    let out = run(
        "data \"dividends/BBB.csv\"\ndividends \"dividends/BBB_div.csv\" for BBB\nfill close\ncapital 5000 USD\n\
         buy BBB once on 2024-03-01",
    );
    assert_eq!(out.report.costs.dividends_received, 50.0);
    assert_curve(&out.backtest.run.equity, &[5_000.0, 5_050.0, 5_050.0, 5_050.0, 5_150.0]);
    let words = assumed(&out);
    assert!(
        words.contains("counted twice: BBB (") && words.contains("dividends/BBB_div.csv)"),
        "{words}"
    );
}

#[test]
fn alpha_vantage_raw_close_is_made_continuous_at_splits_with_its_dividends() {
    // Raw closes before the 2-for-1 split of 03-06 are halved: 51, 50, 50, 50, 51; the
    // 2.00 dividend of 03-04 is 1.00 a post-split share. 5,100 buys 100 shares at 51: paid
    // 100 on 03-04; end 100 × 51 + 100.
    let out =
        run("data \"dividends/DDD.csv\"\ndividends cash\nfill close\ncapital 5100 USD\nbuy DDD once on 2024-03-01");
    assert_eq!(out.backtest.run.trades[0].price, 51.0);
    assert_eq!(out.report.costs.dividends_received, 100.0);
    assert_close(*out.backtest.run.equity.last().expect("bars"), 5_200.0);
    // Without `dividends cash`: the adjusted close (50 on 03-01) as before: 102 shares.
    let adjusted = run("data \"dividends/DDD.csv\"\nfill close\ncapital 5100 USD\nbuy DDD once on 2024-03-01");
    assert_close(*adjusted.backtest.run.equity.last().expect("bars"), 102.0 * 51.0);
}

#[test]
fn the_benchmark_gets_its_dividends_too() {
    // benchmark AAA: 10,000 in AAA at the close of 03-01 (100 shares); the 100 USD dividend
    // of 03-05 is invested at that close (99). End: (100 + 100 / 99) × 102.
    let out = run(&format!(
        "{AAA}data \"dividends/BBB.csv\"\nbenchmark AAA\ndividends cash\nfill close\ncapital 10000 USD\n\
         buy BBB once on 2024-03-01"
    ));
    let (_, bench) = out.backtest.benchmark.as_ref().expect("a benchmark");
    assert_eq!(bench.money.dividends_received, 100.0);
    assert_close(*bench.equity.last().expect("bars"), (100.0 + 100.0 / 99.0) * 102.0);
    // The strategy holds BBB, which has no dividend data: nothing, and the report says so.
    assert_eq!(out.report.costs.dividends_received, 0.0);
    assert!(assumed(&out).contains("no dividend data for BBB"), "{}", assumed(&out));
}

#[test]
fn a_run_on_data_cut_at_a_day_equals_the_full_run_up_to_it() {
    // No look-ahead: the data cut after 03-04 (before the ex-date) and after 03-05 (the
    // ex-date itself) give the full run's first bars exactly.
    let body = format!(
        "{AAA}reinvest dividends\ntax dividends 15%\nfill close\nfees 0.1%\ncapital 10000 USD\nbuy AAA once on 2024-03-01"
    );
    let full = run(&body);
    for (cut, bars) in [("2024-03-04", 2), ("2024-03-05", 3)] {
        let dir = common::strategy_with_fixtures("dividends", &body);
        let path = dir.join("dividends/AAA.csv");
        let text = std::fs::read_to_string(&path).expect("fixture");
        let kept: Vec<&str> = text
            .lines()
            .filter(|l| l.starts_with("Date") || l[..10] <= *cut)
            .collect();
        std::fs::write(&path, kept.join("\n") + "\n").expect("writable");
        let mut sources = rotor::source::SourceMap::new();
        let cut_run = rotor::pipeline::run_file(&dir.join("s.rotor"), &Default::default(), &mut sources)
            .unwrap_or_else(|f| panic!("{}", f.render(false)));
        let r = &cut_run.backtest.run;
        assert_eq!(r.equity.len(), bars);
        assert_eq!(r.equity[..], full.backtest.run.equity[..bars], "cut at {cut}");
        assert_eq!(
            r.trades.len(),
            full.backtest
                .run
                .trades
                .iter()
                .filter(|t| t.date.as_str() <= cut)
                .count()
        );
    }
}

#[test]
fn dividends_inside_an_adjusted_only_close_are_refused() {
    let dir = common::strategy_with_fixtures(
        "dividends",
        "data \"dividends/CCC.csv\"\ndividends \"dividends/CCC_div.csv\" for CCC\nbuy CCC once on 2024-03-01\n",
    );
    let out = common::rotor(&dir, &["run", "s.rotor"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    insta::assert_snapshot!(out.stderr);
}

#[test]
fn check_refuses_dividends_inside_an_adjusted_only_close_as_run_does() {
    let dir = common::strategy_with_fixtures(
        "dividends",
        "data \"dividends/CCC.csv\"\ndividends \"dividends/CCC_div.csv\" for CCC\nbuy CCC once on 2024-03-01\n",
    );
    let run = common::rotor(&dir, &["run", "s.rotor"]);
    let check = common::rotor(&dir, &["check", "s.rotor"]);
    assert_eq!(check.code, 1, "{}", check.stderr);
    assert!(
        check.stderr.contains("rotor::run::dividends_counted_twice"),
        "{}",
        check.stderr
    );
    // The same message, at the same place, with the same hint.
    assert_eq!(check.stderr, run.stderr);
    assert!(!check.stdout.contains(": ok"), "{}", check.stdout);
}

#[test]
fn two_sources_of_one_symbols_dividends_are_refused() {
    let Err(rendered) = common::run_with_fixtures(
        "dividends",
        "data \"dividends/AAA.csv\"\ndividends \"dividends/CCC_div.csv\" for AAA\nbuy AAA once on 2024-03-01\n",
    ) else {
        panic!("two sources of AAA's dividends ran");
    };
    assert!(rendered.contains("rotor::data::dividends_twice"), "{rendered}");
    assert!(
        rendered.contains("the dividends of `AAA` are given twice"),
        "{rendered}"
    );
}

mod property {
    //! Random prices, dividends and trading against a deliberately simple reference: the
    //! dividends due are Σ over ex-dates of (shares after the fills of earlier days) ×
    //! amount, and the cash at the end is what the fills and the net dividends left.
    //! `ROTOR_PROPTEST_CASES=N` runs N cases (48 by default).

    use proptest::prelude::*;

    fn cases() -> u32 {
        std::env::var("ROTOR_PROPTEST_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(48)
    }

    /// Consecutive calendar days from 2024-01-01, as `YYYY-MM-DD`.
    fn date(i: usize) -> String {
        let d = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).expect("a date") + chrono::Duration::days(i as i64);
        d.format("%Y-%m-%d").to_string()
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

        #[test]
        fn dividends_and_cash_match_a_simple_reference(
            days in prop::collection::vec((1_000u32..20_000, prop::option::weighted(0.3, 1u32..200)), 5..40),
            buy in 1u32..20,
            sell in 1u32..30,
            every in 2u32..6,
            withholding in 0u32..30,
            reinvest in any::<bool>(),
        ) {
            let mut csv = String::from("Date,Open,High,Low,Close,Volume,Dividends\n");
            for (i, (cents, div)) in days.iter().enumerate() {
                let price = f64::from(*cents) / 100.0;
                let div = div.map_or(0.0, |d| f64::from(d) / 100.0);
                csv.push_str(&format!("{},{price},{price},{price},{price},1000,{div}\n", date(i)));
            }
            let how = if reinvest { "reinvest dividends" } else { "dividends cash" };
            let body = format!(
                "data \"AAA.csv\"\n{how}\ntax dividends {withholding}%\nfill close\nfees 0.1%\n\
                 capital 100000 USD\nbuy {buy} shares of AAA daily\nsell {sell} shares of AAA every {every} days\n"
            );
            let dir = crate::common::temp_dir("dividend-property");
            std::fs::write(dir.join("AAA.csv"), csv).expect("writable");
            std::fs::write(dir.join("s.rotor"), body).expect("writable");
            let mut sources = rotor::source::SourceMap::new();
            let out = rotor::pipeline::run_file(&dir.join("s.rotor"), &Default::default(), &mut sources)
                .unwrap_or_else(|f| panic!("{}", f.render(false)));
            let run = &out.backtest.run;
            let rate = f64::from(withholding) / 100.0;
            let (mut shares, mut cash, mut due) = (0.0_f64, 100_000.0_f64, 0.0_f64);
            let mut trades = run.trades.iter().peekable();
            for (i, (_, div)) in days.iter().enumerate() {
                let today = date(i);
                let amount = div.map_or(0.0, |d| f64::from(d) / 100.0);
                // Paid before today's fills, on what the earlier days' fills left.
                if i > 0 && shares > 0.0 {
                    due += shares * amount;
                    cash += shares * amount * (1.0 - rate);
                }
                while let Some(t) = trades.next_if(|t| t.date == today) {
                    if t.side == "buy" {
                        shares += t.shares;
                        cash -= t.value + t.fee;
                    } else {
                        shares -= t.shares;
                        cash += t.value - t.fee;
                    }
                }
            }
            prop_assert!(trades.next().is_none(), "every trade is on a day of the data");
            let got = out.report.costs.dividends_received;
            prop_assert!((got - due).abs() <= 1e-9 * due.max(1.0), "dividends {} != {}", got, due);
            let withheld = out.report.costs.withholding_tax;
            prop_assert!((withheld - due * rate).abs() <= 1e-9 * due.max(1.0), "withheld {} != {}", withheld, due * rate);
            prop_assert!((run.cash - cash).abs() <= 1e-6 * cash.abs().max(1.0), "cash {} != {}", run.cash, cash);
        }
    }
}

#[test]
fn a_dividend_file_outside_the_strategys_folder_is_refused() {
    let dir = common::strategy_with_fixtures("dividends", "");
    let inner = dir.join("inner");
    std::fs::create_dir_all(&inner).expect("a folder");
    std::fs::write(
        inner.join("s.rotor"),
        "dividends \"../dividends/BBB_div.csv\" for BBB\nbuy BBB monthly\n",
    )
    .expect("writable");
    let out = common::rotor(&inner, &["run", "s.rotor"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stderr.contains("rotor::access::outside"), "{}", out.stderr);
}

#[test]
fn a_price_file_named_as_a_dividend_file_and_a_negative_dividend_are_errors() {
    let Err(rendered) = common::run_with_fixtures(
        "dividends",
        "data \"dividends/BBB.csv\"\ndividends \"dividends/AAA.csv\" for BBB\nbuy BBB once on 2024-03-01\n",
    ) else {
        panic!("a price file was read as dividends");
    };
    assert!(rendered.contains("rotor::data::not_dividends"), "{rendered}");
    let dir = common::strategy_with_fixtures("dividends", "data \"AAA.csv\"\ndividends cash\nbuy AAA monthly\n");
    let text = std::fs::read_to_string(dir.join("dividends/AAA.csv")).expect("fixture");
    std::fs::write(dir.join("AAA.csv"), text.replace(",1.00,0", ",-1.00,0")).expect("writable");
    let out = common::rotor(&dir, &["run", "s.rotor"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stderr.contains("rotor::data::negative_dividend"), "{}", out.stderr);
    assert!(out.stderr.contains("AAA.csv:4:"), "{}", out.stderr);
}

#[test]
fn dividend_files_in_a_data_folder_are_left_to_their_own_lines() {
    // `data "dividends/"` reads every file of the folder: the two `Date,Dividends` files
    // are not series (both would be called `Dividends`), and BBB's own line pays BBB's.
    let out = run(
        "data \"dividends/\"\ndividends \"dividends/BBB_div.csv\" for BBB\nfill close\ncapital 5000 USD\n\
         buy BBB once on 2024-03-01",
    );
    assert_eq!(out.report.costs.dividends_received, 50.0);
    let notes = out.report.data.notes.join("\n");
    assert!(
        notes.contains("CCC_div.csv: a file of dividends (`Dividends`), not read as data"),
        "{notes}"
    );
}

#[test]
fn a_korean_listed_funds_distribution_is_withheld_at_15_4_percent() {
    // The same 100 USD dividend under `tax korea-listed`: 15.4% = 15.40 USD withheld at
    // payment, 84.60 USD to cash.
    let out = run(&format!(
        "{AAA}data \"dividends/macro.csv\"\ncurrency KRW using krw\ntax korea-listed\ndividends cash\nfill close\n\
         capital 10000 USD\nbuy AAA once on 2024-03-01"
    ));
    let c = &out.report.costs;
    assert_eq!(c.dividends_received, 100.0);
    assert_close(c.withholding_tax, 15.4);
    assert_close(out.backtest.run.cash, 84.6);
}

#[test]
fn in_an_isa_a_dividend_joins_the_accounts_net_income_and_nothing_is_withheld() {
    // Under `account isa` the 100 USD dividend (135,000 KRW at 1,350 on the ex-date) is
    // paid whole and joins the account's net income; with no sale that is the whole
    // net income, under the 2,000,000 KRW tax-free part: no tax.
    let out = run(&format!(
        "{AAA}data \"dividends/macro.csv\"\ncurrency KRW using krw\naccount isa\ndividends cash\nfill close\n\
         capital 10000 USD\nbuy AAA once on 2024-03-01"
    ));
    let c = &out.report.costs;
    assert_eq!(c.dividends_received, 100.0);
    assert_eq!(c.withholding_tax, 0.0);
    assert_close(out.backtest.run.cash, 100.0);
    let tax = out.report.tax.as_ref().expect("the ISA's tax rule");
    let year = tax.years.last().expect("the account's row");
    assert_close(year.net_gain, 135_000.0);
    assert_eq!(year.tax, 0.0);
}
