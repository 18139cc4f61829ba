//! Position state, exits, cooldowns and `hold … if … else …` (issue 18 items 3 and 4), on
//! tiny hand-made prices: every expected trade and number is worked out by hand in the
//! comments. Each test writes its own prices (`date, AAA open/close, BBB open/close`;
//! high and low are the larger and smaller of the two).

mod common;

use rotor::pipeline::{RunOptions, RunOutput, run_file};
use rotor::source::SourceMap;

/// `(date, AAA open, AAA close, BBB open, BBB close)`
type Row = (&'static str, f64, f64, f64, f64);

/// The prices file of `rows`.
fn prices(rows: &[Row]) -> String {
    let mut s = String::from("date,symbol,open,high,low,close,volume\n");
    for (date, ao, ac, bo, bc) in rows {
        for (sym, o, c) in [("AAA", ao, ac), ("BBB", bo, bc)] {
            s.push_str(&format!("{date},{sym},{o},{},{},{c},1000\n", o.max(*c), o.min(*c)));
        }
    }
    s
}

/// Runs `body` over `rows`; panics with the diagnostics if rotor refuses it.
fn run(rows: &[Row], body: &str) -> RunOutput {
    let dir = common::temp_dir("positions");
    std::fs::write(dir.join("prices.csv"), prices(rows)).expect("temp file writable");
    let path = dir.join("s.rotor");
    std::fs::write(&path, format!("data \"prices.csv\"\n{body}\n")).expect("temp file writable");
    let mut sources = SourceMap::new();
    match run_file(&path, &RunOptions::default(), &mut sources) {
        Ok(out) => out,
        Err(f) => panic!("{}", f.render(false)),
    }
}

/// A trade as `(date, symbol, side, shares, price, rule, exit)`.
type TradeRow = (String, String, &'static str, f64, f64, usize, Option<&'static str>);

/// What a test expects of a trade, in the order of [`TradeRow`].
type Expected<'a> = (&'a str, &'a str, &'a str, f64, f64, usize, Option<&'a str>);

/// The trades of a run.
fn trades(out: &RunOutput) -> Vec<TradeRow> {
    out.backtest
        .run
        .trades
        .iter()
        .map(|t| {
            (
                t.date.to_string(),
                t.symbol.to_string(),
                t.side,
                t.shares,
                t.price,
                t.rule,
                t.exit.map(|e| e.key()),
            )
        })
        .collect()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9 * b.abs().max(1.0)
}

/// Asserts the trades' dates, symbols, sides, rules and exits, and their shares and
/// prices within rounding.
#[track_caller]
fn assert_trades(out: &RunOutput, expected: &[Expected]) {
    let got = trades(out);
    assert_eq!(got.len(), expected.len(), "trades: {got:?}");
    for (g, e) in got.iter().zip(expected) {
        let same = g.0 == e.0 && g.1 == e.1 && g.2 == e.2 && g.5 == e.5 && g.6 == e.6;
        assert!(same && close(g.3, e.3) && close(g.4, e.4), "got {g:?}, expected {e:?}");
    }
}

fn final_value(out: &RunOutput) -> f64 {
    *out.backtest.run.equity.last().expect("a run has bars")
}

/// A fall below the stop on a Friday's close; Monday opens lower still.
const GAP: &[Row] = &[
    ("2024-01-02", 100.0, 100.0, 50.0, 50.0),
    ("2024-01-03", 100.0, 95.0, 50.0, 50.0),
    ("2024-01-04", 95.0, 91.0, 50.0, 50.0),
    ("2024-01-05", 91.0, 89.0, 50.0, 50.0),
    ("2024-01-08", 80.0, 82.0, 50.0, 50.0),
    ("2024-01-09", 82.0, 83.0, 50.0, 50.0),
];

#[test]
fn a_stop_loss_fires_on_the_close_and_fills_at_the_next_open_after_a_gap() {
    // Bought at 01-03's open: 1000 / 100 = 10 shares, entry price 100, stop at 90. Closes 95
    // and 91 are above it; 89 on Friday 01-05 is not: the sale fills at Monday's open, 80,
    // not at the stop's level.
    let out = run(GAP, "capital 1000 USD\nstop loss 10%\nbuy AAA once on 2024-01-02");
    assert_trades(
        &out,
        &[
            ("2024-01-03", "AAA", "buy", 10.0, 100.0, 1, None),
            ("2024-01-08", "AAA", "sell", 10.0, 80.0, 0, Some("stop_loss")),
        ],
    );
    assert!(close(final_value(&out), 800.0));
    let counters = &out.backtest.run.counters;
    assert_eq!((counters.exits.stop_loss, counters.exits.take_profit), (1, 0));
}

#[test]
fn with_fill_close_a_stop_sells_at_the_close_that_broke_it() {
    // Bought at 01-02's close, 100: 10 shares; 89 on 01-05 is at or below 90: sold at 89.
    let out = run(
        GAP,
        "capital 1000 USD\nfill close\nstop loss 10%\nbuy AAA once on 2024-01-02",
    );
    assert_trades(
        &out,
        &[
            ("2024-01-02", "AAA", "buy", 10.0, 100.0, 1, None),
            ("2024-01-05", "AAA", "sell", 10.0, 89.0, 0, Some("stop_loss")),
        ],
    );
}

#[test]
fn the_json_counts_exits_and_the_trades_name_them() {
    let dir = common::temp_dir("positions-json");
    std::fs::write(dir.join("prices.csv"), prices(GAP)).expect("temp file writable");
    let body = "data \"prices.csv\"\ncapital 1000 USD\nstop loss 10%\nbuy AAA once on 2024-01-02\n";
    std::fs::write(dir.join("s.rotor"), body).expect("temp file writable");
    let r = common::rotor(&dir, &["run", "s.rotor", "--json", "--trades", "trades.csv"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).expect("JSON");
    assert_eq!(v["activity"]["exits"]["stop_loss"], 1, "{}", v["activity"]);
    assert_eq!(v["trades"][1]["exit"], "stop_loss");
    assert!(v["trades"][0].get("exit").is_none(), "a rule's fill names no exit");
    let csv = std::fs::read_to_string(dir.join("trades.csv")).expect("trades written");
    assert!(csv.lines().nth(2).is_some_and(|l| l.ends_with(",0,stop_loss")), "{csv}");
    let summary = common::rotor(&dir, &["run", "s.rotor"]);
    assert!(summary.stdout.contains("1 sale by a stop loss"), "{}", summary.stdout);
}

#[test]
fn a_trailing_stop_follows_the_highest_close_since_entry() {
    // Bought at 100 (01-02's close); the closes rise to 120, so the stop is at 108: 109 on
    // 01-05 holds, 107 on 01-08 sells, at that close. A stop loss of 15% (at 85) never fires.
    let rows: &[Row] = &[
        ("2024-01-02", 100.0, 100.0, 50.0, 50.0),
        ("2024-01-03", 100.0, 110.0, 50.0, 50.0),
        ("2024-01-04", 110.0, 120.0, 50.0, 50.0),
        ("2024-01-05", 120.0, 109.0, 50.0, 50.0),
        ("2024-01-08", 109.0, 107.0, 50.0, 50.0),
        ("2024-01-09", 107.0, 130.0, 50.0, 50.0),
    ];
    let body = "capital 1000 USD\nfill close\ntrailing stop 10% on AAA\nstop loss 15%\nbuy AAA once on 2024-01-02";
    let out = run(rows, body);
    assert_trades(
        &out,
        &[
            ("2024-01-02", "AAA", "buy", 10.0, 100.0, 1, None),
            ("2024-01-08", "AAA", "sell", 10.0, 107.0, 0, Some("trailing_stop")),
        ],
    );
    // `highest(close(AAA) since entry)` is the same peak: a rule reading it sells BBB, held
    // too, on the first close at least 10% below 120 — the same day.
    let body = "capital 2000 USD\nfill close\nbuy 1000 USD of AAA once on 2024-01-02\n\
                buy 1000 USD of BBB once on 2024-01-02\n\
                sell BBB if close(AAA) <= highest(close(AAA) since entry) * 0.9";
    let out = run(rows, body);
    let sells: Vec<_> = trades(&out).into_iter().filter(|t| t.2 == "sell").collect();
    assert_eq!(sells.len(), 1, "{sells:?}");
    assert_eq!((sells[0].0.as_str(), sells[0].1.as_str()), ("2024-01-08", "BBB"));
}

#[test]
fn a_take_profit_sells_at_the_open_after_the_close_above_it() {
    // Bought at 01-03's open, 100: 10 shares; target 125. 124 holds, 126 on 01-05 fires; the
    // sale fills at 01-08's open, 127: 1270 USD.
    let rows: &[Row] = &[
        ("2024-01-02", 100.0, 100.0, 50.0, 50.0),
        ("2024-01-03", 100.0, 110.0, 50.0, 50.0),
        ("2024-01-04", 110.0, 124.0, 50.0, 50.0),
        ("2024-01-05", 124.0, 126.0, 50.0, 50.0),
        ("2024-01-08", 127.0, 128.0, 50.0, 50.0),
    ];
    let out = run(rows, "capital 1000 USD\ntake profit 25%\nbuy AAA once on 2024-01-02");
    assert_trades(
        &out,
        &[
            ("2024-01-03", "AAA", "buy", 10.0, 100.0, 1, None),
            ("2024-01-08", "AAA", "sell", 10.0, 127.0, 0, Some("take_profit")),
        ],
    );
    assert!(close(final_value(&out), 1270.0));
    assert_eq!(out.backtest.run.counters.exits.take_profit, 1);
}

#[test]
fn the_entry_price_is_the_average_cost_after_two_buys() {
    // 1000 USD at 100 (10 shares), then 1000 USD at 125 (8 shares): the entry price is
    // 2000 / 18 = 111.11. The rule sells when a close is below it: 112 on 01-04 is not,
    // 111 on 01-05 is. Had it been the first price (100) it would never sell; the last
    // (125), it would sell on 01-04.
    let rows: &[Row] = &[
        ("2024-01-02", 100.0, 100.0, 50.0, 50.0),
        ("2024-01-03", 100.0, 125.0, 50.0, 50.0),
        ("2024-01-04", 125.0, 112.0, 50.0, 50.0),
        ("2024-01-05", 112.0, 111.0, 50.0, 50.0),
        ("2024-01-08", 111.0, 90.0, 50.0, 50.0),
    ];
    let body = "capital 2000 USD\nfill close\nbuy 1000 USD of AAA once on 2024-01-02\n\
                buy 1000 USD of AAA once on 2024-01-03\nsell AAA daily if close(AAA) < entry_price(AAA)";
    let out = run(rows, body);
    assert_trades(
        &out,
        &[
            ("2024-01-02", "AAA", "buy", 10.0, 100.0, 1, None),
            ("2024-01-03", "AAA", "buy", 8.0, 125.0, 2, None),
            ("2024-01-05", "AAA", "sell", 18.0, 111.0, 3, None),
        ],
    );
}

#[test]
fn held_days_counts_calendar_days_across_a_weekend() {
    // Decided Thursday 01-04, filled Friday 01-05 at the open: held 0 days at Friday's close,
    // 3 on Monday 01-08 (a count of bars would say 1), so the sale is decided Monday and
    // fills Tuesday.
    let rows: &[Row] = &[
        ("2024-01-04", 100.0, 100.0, 50.0, 50.0),
        ("2024-01-05", 100.0, 101.0, 50.0, 50.0),
        ("2024-01-08", 101.0, 102.0, 50.0, 50.0),
        ("2024-01-09", 103.0, 104.0, 50.0, 50.0),
        ("2024-01-10", 104.0, 105.0, 50.0, 50.0),
    ];
    let body = "capital 1000 USD\nbuy AAA once on 2024-01-04\nsell AAA daily if held_days(AAA) >= 3";
    let out = run(rows, body);
    assert_trades(
        &out,
        &[
            ("2024-01-05", "AAA", "buy", 10.0, 100.0, 1, None),
            ("2024-01-09", "AAA", "sell", 10.0, 103.0, 2, None),
        ],
    );
}

#[test]
fn days_since_exit_waits_after_a_stop_before_buying_back() {
    // Bought at 100 (01-02's close); the 10% trailing stop sells at 01-04's close (89 after a
    // peak of 100). `days_since_exit` is 0 that day; the re-entry rule waits for 5 calendar
    // days: 01-09 (5 days) buys back at its close, 95.
    let rows: &[Row] = &[
        ("2024-01-02", 100.0, 100.0, 50.0, 50.0),
        ("2024-01-03", 100.0, 95.0, 50.0, 50.0),
        ("2024-01-04", 95.0, 89.0, 50.0, 50.0),
        ("2024-01-05", 89.0, 90.0, 50.0, 50.0),
        ("2024-01-08", 90.0, 92.0, 50.0, 50.0),
        ("2024-01-09", 92.0, 95.0, 50.0, 50.0),
        ("2024-01-10", 95.0, 96.0, 50.0, 50.0),
    ];
    let body = "capital 1000 USD\nfill close\ntrailing stop 10%\nbuy AAA once on 2024-01-02\n\
                buy AAA daily if position(AAA) == 0 and days_since_exit(AAA) >= 5";
    let out = run(rows, body);
    assert_trades(
        &out,
        &[
            ("2024-01-02", "AAA", "buy", 10.0, 100.0, 1, None),
            ("2024-01-04", "AAA", "sell", 10.0, 89.0, 0, Some("trailing_stop")),
            ("2024-01-09", "AAA", "buy", 890.0 / 95.0, 95.0, 2, None),
        ],
    );
}

#[test]
fn bars_since_counts_bars_from_the_last_true_one() {
    // close > 105 on 01-03 (bars_since 0) and 01-08; two bars later (01-05 and 01-10) the
    // rule buys at the close.
    let rows: &[Row] = &[
        ("2024-01-02", 100.0, 100.0, 50.0, 50.0),
        ("2024-01-03", 100.0, 106.0, 50.0, 50.0),
        ("2024-01-04", 106.0, 104.0, 50.0, 50.0),
        ("2024-01-05", 104.0, 103.0, 50.0, 50.0),
        ("2024-01-08", 103.0, 107.0, 50.0, 50.0),
        ("2024-01-09", 107.0, 101.0, 50.0, 50.0),
        ("2024-01-10", 101.0, 102.0, 50.0, 50.0),
        ("2024-01-11", 102.0, 103.0, 50.0, 50.0),
    ];
    let body = "capital 1000 USD\nfill close\nbuy 103 USD of AAA daily if bars_since(close(AAA) > 105) == 2";
    let out = run(rows, body);
    assert_trades(
        &out,
        &[
            ("2024-01-05", "AAA", "buy", 1.0, 103.0, 1, None),
            ("2024-01-10", "AAA", "buy", 103.0 / 102.0, 102.0, 1, None),
        ],
    );
}

/// The last days of January and the first of February and March.
const MONTH_END: &[Row] = &[
    ("2024-01-29", 100.0, 100.0, 50.0, 50.0),
    ("2024-01-30", 100.0, 100.0, 50.0, 50.0),
    ("2024-01-31", 100.0, 100.0, 50.0, 50.0),
    ("2024-02-01", 100.0, 100.0, 50.0, 50.0),
    ("2024-02-02", 100.0, 100.0, 50.0, 50.0),
    ("2024-03-01", 100.0, 100.0, 50.0, 50.0),
];

#[test]
fn a_cooldown_per_month_lets_a_daily_rule_trade_once_each_calendar_month() {
    // Daily, but once a month: 01-29, then 02-01 (a new month, two days later), then 03-01.
    let out = run(
        MONTH_END,
        "capital 1000 USD\nfill close\nbuy 100 USD of AAA daily at most once per month",
    );
    let dates: Vec<String> = trades(&out).into_iter().map(|t| t.0).collect();
    assert_eq!(dates, ["2024-01-29", "2024-02-01", "2024-03-01"]);
    // Three checks held back in January, one in February.
    assert_eq!(out.backtest.run.counters.cooldown_skipped, 3);
    // `per 2 days` counts calendar days from the last decision that traded.
    let out = run(
        MONTH_END,
        "capital 1000 USD\nfill close\nbuy 100 USD of AAA daily at most once per 2 days",
    );
    let dates: Vec<String> = trades(&out).into_iter().map(|t| t.0).collect();
    assert_eq!(dates, ["2024-01-29", "2024-01-31", "2024-02-02", "2024-03-01"]);
}

#[test]
fn an_order_that_came_to_nothing_does_not_start_a_cooldown() {
    // The sell rule (rule 1) runs first each day: on 01-29 and 01-30 nothing is held, so its
    // orders come to nothing and do not count. On 01-31 it sells what rule 2 bought on
    // 01-30 (a trade: January is done for it); rule 3 buys again that day, and the sale of
    // 02-01 is February's.
    let body = "capital 1000 USD\nfill close\nsell AAA daily at most once per month\n\
                buy AAA once on 2024-01-30\nbuy AAA once on 2024-01-31";
    let out = run(MONTH_END, body);
    assert_trades(
        &out,
        &[
            ("2024-01-30", "AAA", "buy", 10.0, 100.0, 2, None),
            ("2024-01-31", "AAA", "sell", 10.0, 100.0, 1, None),
            ("2024-01-31", "AAA", "buy", 10.0, 100.0, 3, None),
            ("2024-02-01", "AAA", "sell", 10.0, 100.0, 1, None),
        ],
    );
}

#[test]
fn with_fill_next_open_a_cooldown_counts_from_the_decision() {
    // From 01-31: decided that day (January), filled at 02-01's open. February is still
    // free, so the rule decides again on 02-01 (filled 02-02); 02-02 is held back; the
    // decision of 03-01 has no next open to fill at.
    let body = "from 2024-01-31\ncapital 1000 USD\nbuy 100 USD of AAA daily at most once per month";
    let out = run(MONTH_END, body);
    let dates: Vec<String> = trades(&out).into_iter().map(|t| t.0).collect();
    assert_eq!(dates, ["2024-02-01", "2024-02-02"]);
    assert_eq!(out.backtest.run.counters.cooldown_skipped, 1);
    assert_eq!(out.backtest.run.counters.pending_at_end, 1);
}

#[test]
fn hold_switches_sides_by_its_condition() {
    // Each day: AAA while its close rose from the day before, else BBB (fill close).
    // 01-02: no close before: not available, nothing traded.
    // 01-03: 110 > 100: all in AAA, 1000 / 110 = 9.0909 shares.
    // 01-04: 120 > 110: AAA again, already held: nothing.
    // 01-05: 115 < 120: BBB: AAA sold, 9.0909 × 115 = 1045.45, bought BBB at 50.
    // 01-08: 114 < 115: BBB again: nothing.
    // 01-09: 118 > 114: AAA: BBB sold at 51, bought AAA at 118.
    let rows: &[Row] = &[
        ("2024-01-02", 100.0, 100.0, 50.0, 50.0),
        ("2024-01-03", 100.0, 110.0, 50.0, 50.0),
        ("2024-01-04", 110.0, 120.0, 50.0, 50.0),
        ("2024-01-05", 120.0, 115.0, 50.0, 50.0),
        ("2024-01-08", 115.0, 114.0, 50.0, 52.0),
        ("2024-01-09", 114.0, 118.0, 52.0, 51.0),
    ];
    let body = "capital 1000 USD\nfill close\nhold AAA if close(AAA) > close(AAA)[1] else BBB tolerance 5%";
    let out = run(rows, body);
    let aaa = 1000.0 / 110.0;
    let bbb = aaa * 115.0 / 50.0;
    let back = bbb * 51.0 / 118.0;
    assert_trades(
        &out,
        &[
            ("2024-01-03", "AAA", "buy", aaa, 110.0, 1, None),
            ("2024-01-05", "AAA", "sell", aaa, 115.0, 1, None),
            ("2024-01-05", "BBB", "buy", bbb, 50.0, 1, None),
            ("2024-01-09", "BBB", "sell", bbb, 51.0, 1, None),
            ("2024-01-09", "AAA", "buy", back, 118.0, 1, None),
        ],
    );
    assert_eq!(out.backtest.run.counters.guards_not_available, 1, "01-02");
    // `else cash` sells everything.
    let body = "capital 1000 USD\nfill close\nhold AAA if close(AAA) > close(AAA)[1] else cash";
    let out = run(rows, body);
    let sides: Vec<(String, &str)> = trades(&out).into_iter().map(|t| (t.0, t.2)).collect();
    assert_eq!(
        sides,
        [
            ("2024-01-03".into(), "buy"),
            ("2024-01-05".into(), "sell"),
            ("2024-01-09".into(), "buy")
        ]
    );
}

#[test]
fn hold_with_weights_trades_only_beyond_its_tolerance() {
    // 50/50 from 01-02's close: 5 AAA at 100, 10 BBB at 50. On 01-03 AAA is 110: 550 / 1050
    // = 52.4%, 2.4 points off: nothing. On 01-04 AAA is 130: 650 / 1150 = 56.5%, beyond 5
    // points: back to 575 each: sell (650 − 575) / 130 = 0.5769 AAA, buy 75 / 50 = 1.5 BBB.
    let rows: &[Row] = &[
        ("2024-01-02", 100.0, 100.0, 50.0, 50.0),
        ("2024-01-03", 100.0, 110.0, 50.0, 50.0),
        ("2024-01-04", 110.0, 130.0, 50.0, 50.0),
    ];
    let body = "capital 1000 USD\nfill close\nhold AAA 50%, BBB 50% if close(AAA) > 0 else cash tolerance 5%";
    let out = run(rows, body);
    assert_trades(
        &out,
        &[
            ("2024-01-02", "AAA", "buy", 5.0, 100.0, 1, None),
            ("2024-01-02", "BBB", "buy", 10.0, 50.0, 1, None),
            ("2024-01-04", "AAA", "sell", 75.0 / 130.0, 130.0, 1, None),
            ("2024-01-04", "BBB", "buy", 1.5, 50.0, 1, None),
        ],
    );
}

/// A long, uneven walk for both symbols: `n` weekdays from 2023-01-02.
fn walk(n: usize) -> Vec<(String, f64, f64, f64, f64)> {
    let mut rows = Vec::new();
    let (mut a, mut b) = (100.0_f64, 50.0_f64);
    let mut seed: u64 = 42;
    let mut step = |x: &mut f64| {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let r = ((seed >> 33) % 1000) as f64 / 1000.0 - 0.48;
        let open = *x * (1.0 + r * 0.02);
        *x = open * (1.0 + r * 0.03);
        ((open * 100.0).round() / 100.0, (*x * 100.0).round() / 100.0)
    };
    let mut day = chrono::NaiveDate::from_ymd_opt(2023, 1, 2).expect("a date");
    while rows.len() < n {
        if day.format("%u").to_string().parse::<u32>().expect("a weekday number") <= 5 {
            let (ao, ac) = step(&mut a);
            let (bo, bc) = step(&mut b);
            rows.push((day.to_string(), ao, ac, bo, bc));
        }
        day = day.succ_opt().expect("a next day");
    }
    rows
}

#[test]
fn data_cut_at_a_date_changes_nothing_before_it() {
    let body = "capital 10000 USD\ntrailing stop 8% on AAA\ntake profit 15%\nstop loss 6% on BBB\n\
                buy 2000 USD of AAA weekly if position(AAA) == 0 or days_since_exit(AAA) >= 10\n\
                buy 1000 USD of BBB daily if bars_since(close(BBB) > close(BBB)[1]) >= 2 at most once per month\n\
                sell 50% of AAA daily if held_days(AAA) > 40 and close(AAA) > entry_price(AAA)\n\
                hold monthly BBB 30%, AAA 30%, cash 40% if close(AAA) > highest(close(AAA) since entry) * 0.95 \
                else cash tolerance 10%";
    let rows = walk(300);
    let full = run_owned(&rows, body);
    let cut = &rows[..180];
    let cut_date = cut.last().expect("rows").0.clone();
    let part = run_owned(cut, body);
    let before = |out: &RunOutput| -> Vec<_> {
        trades(out)
            .into_iter()
            .filter(|t| t.0 <= cut_date)
            .map(|t| format!("{t:?}"))
            .collect()
    };
    let full_trades = before(&full);
    assert!(full_trades.len() > 5, "the strategy trades: {full_trades:?}");
    assert_eq!(before(&part), full_trades);
    let exits = &full.backtest.run.counters.exits;
    assert!(
        exits.trailing_stop + exits.take_profit + exits.stop_loss > 0,
        "{exits:?}"
    );
    let n = part.backtest.run.equity.len();
    assert_eq!(&full.backtest.run.equity[..n], &part.backtest.run.equity[..]);
}

/// [`run`] for rows with owned dates.
fn run_owned(rows: &[(String, f64, f64, f64, f64)], body: &str) -> RunOutput {
    let leaked: Vec<Row> = rows
        .iter()
        .map(|(d, ao, ac, bo, bc)| (&*Box::leak(d.clone().into_boxed_str()), *ao, *ac, *bo, *bc))
        .collect();
    run(&leaked, body)
}

#[test]
fn the_formatter_prints_the_new_forms_canonically_and_stably() {
    use rotor::format::format_source;
    use rotor::source::SourceFile;
    let messy = "\
stop   loss 10%
take profit   25% on IWM ,IWO
trailing  stop 15%   on IWM
hold   monthly IWM 60% ,IWO 40% if   close(IWM)>sma(IWM,200) else   cash   tolerance 5%
hold IWM if x else AGG at   most once   per 20 days
buy 500 USD of IWM daily if bars_since( x ) == 0  at most once per   month
sell IWM daily if close(IWM) < highest( close(IWM)   since   entry ) * 0.85
sell IWM if held_days(IWM)>30 and entry_price(IWM)<close(IWM) at most once per week
";
    let canonical = "\
stop loss 10%
take profit 25% on IWM, IWO
trailing stop 15% on IWM
hold monthly IWM 60%, IWO 40% if close(IWM) > sma(IWM, 200) else cash tolerance 5%
hold IWM if x else AGG at most once per 20 days
buy 500 USD of IWM daily if bars_since(x) == 0 at most once per month
sell IWM daily if close(IWM) < highest(close(IWM) since entry) * 0.85
sell IWM if held_days(IWM) > 30 and entry_price(IWM) < close(IWM) at most once per week
";
    let source = |text: &str| SourceFile {
        name: "t.rotor".into(),
        path: None,
        text: text.into(),
        base: 0,
    };
    let out = format_source(&source(messy)).expect("formats");
    assert_eq!(out, canonical);
    assert_eq!(format_source(&source(&out)).expect("formats"), out, "idempotent");
}

#[test]
fn every_cookbook_strategy_runs_and_is_canonical() {
    let dir = common::root().join("strategies/cookbook");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).expect("strategies/cookbook exists") {
        let path = entry.expect("a folder entry").path();
        if path.extension().is_none_or(|e| e != "rotor") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("UTF-8");
        let lines: Vec<&str> = text.lines().take(2).collect();
        assert!(
            lines.iter().all(|l| l.starts_with('#')),
            "{} starts with comment lines saying what it shows",
            path.display()
        );
        let source = rotor::source::SourceFile {
            name: "t.rotor".into(),
            path: None,
            text: text.clone(),
            base: 0,
        };
        assert_eq!(
            rotor::format::format_source(&source).expect("formats"),
            text,
            "{}",
            path.display()
        );
        let r = common::rotor(common::root(), &["run", &path.to_string_lossy()]);
        assert_eq!(r.code, 0, "{}: {}", path.display(), r.stderr);
        assert!(r.stdout.contains("Final value"), "{}", r.stdout);
        seen += 1;
    }
    assert!(seen >= 3, "cookbook strategies found: {seen}");
}

/// AAA falls 11% in two days and BBB 22% in three: which exit applies to which decides
/// every sale.
const FALL: &[Row] = &[
    ("2024-01-02", 100.0, 100.0, 50.0, 50.0),
    ("2024-01-03", 100.0, 95.0, 50.0, 44.0),
    ("2024-01-04", 95.0, 89.0, 44.0, 43.0),
    ("2024-01-05", 89.0, 88.0, 43.0, 39.0),
    ("2024-01-08", 88.0, 90.0, 39.0, 41.0),
];

#[test]
fn a_rules_exit_applies_to_the_symbols_it_trades_only() {
    // Both bought at 01-02's close: 10 AAA at 100, 20 BBB at 50. The buy of AAA carries a
    // 10% stop (at 90): 89 on 01-04 sells AAA at that close. BBB falls 22% but its rule has
    // no exit: it is never sold. Cash 890 + 20 × 41 = 1710 at the end.
    let body = "capital 2000 USD\nfill close\n\
                buy 1000 USD of AAA once on 2024-01-02 with stop loss 10%\n\
                buy 1000 USD of BBB once on 2024-01-02";
    let out = run(FALL, body);
    assert_trades(
        &out,
        &[
            ("2024-01-02", "AAA", "buy", 10.0, 100.0, 1, None),
            ("2024-01-02", "BBB", "buy", 20.0, 50.0, 2, None),
            ("2024-01-04", "AAA", "sell", 10.0, 89.0, 0, Some("stop_loss")),
        ],
    );
    assert!(close(final_value(&out), 1710.0), "{}", final_value(&out));
    assert_eq!(out.backtest.run.counters.exits.stop_loss, 1);
}

#[test]
fn a_rules_exit_wins_over_the_line_for_every_symbol() {
    // `stop loss 20%` for every symbol, 10% on the rule that buys AAA. AAA: 89 ≤ 90 on 01-04
    // (20% would need 80). BBB keeps the line's 20% (at 40): 44 and 43 hold, 39 on 01-05
    // sells. Cash 890 + 780 = 1670.
    let body = "capital 2000 USD\nfill close\nstop loss 20%\n\
                buy 1000 USD of AAA once on 2024-01-02 with stop loss 10%\n\
                buy 1000 USD of BBB once on 2024-01-02";
    let out = run(FALL, body);
    assert_trades(
        &out,
        &[
            ("2024-01-02", "AAA", "buy", 10.0, 100.0, 1, None),
            ("2024-01-02", "BBB", "buy", 20.0, 50.0, 2, None),
            ("2024-01-04", "AAA", "sell", 10.0, 89.0, 0, Some("stop_loss")),
            ("2024-01-05", "BBB", "sell", 20.0, 39.0, 0, Some("stop_loss")),
        ],
    );
    assert!(close(final_value(&out), 1670.0), "{}", final_value(&out));
}

#[test]
fn several_exits_on_one_rule_are_judged_in_their_order() {
    // A take profit of 5% and a trailing stop of 10% on the rule that buys BBB at 50 (01-02's
    // close): no close reaches 52.5; the peak is 50, so 44 on 01-03 (≤ 45) fires the
    // trailing stop, sold at that close: 20 × 44 = 880.
    let body = "capital 1000 USD\nfill close\n\
                buy BBB once on 2024-01-02 with take profit 5% and trailing stop 10%";
    let out = run(FALL, body);
    assert_trades(
        &out,
        &[
            ("2024-01-02", "BBB", "buy", 20.0, 50.0, 1, None),
            ("2024-01-03", "BBB", "sell", 20.0, 44.0, 0, Some("trailing_stop")),
        ],
    );
    assert!(close(final_value(&out), 880.0));
}

#[test]
fn a_rotation_with_an_exit_trades_as_the_same_exit_on_its_candidates() {
    // By definition `rotate … with trailing stop 4%` is `trailing stop 4% on AAA, BBB` and
    // the rotation: the same trades, day by day, on a long walk.
    let rule = "rotate monthly to top 1 of AAA, BBB by return(5)";
    let rows = walk(260);
    let with = run_owned(&rows, &format!("capital 10000 USD\n{rule} with trailing stop 4%"));
    let line = run_owned(
        &rows,
        &format!("capital 10000 USD\ntrailing stop 4% on AAA, BBB\n{rule}"),
    );
    let (a, b) = (trades(&with), trades(&line));
    assert!(a.iter().any(|t| t.6 == Some("trailing_stop")), "the stop fires: {a:?}");
    assert_eq!(format!("{a:?}"), format!("{b:?}"));
    assert_eq!(with.backtest.run.equity, line.backtest.run.equity);
}

#[test]
fn rule_exits_on_data_cut_at_a_date_change_nothing_before_it() {
    // Both rules buy BBB, so both carry the same exits.
    let body_ok = "capital 10000 USD\n\
                   rotate weekly to top 1 of AAA, BBB by return(10) with trailing stop 6%, take profit 12%\n\
                   buy 500 USD of BBB monthly if position(BBB) == 0 with trailing stop 6%, take profit 12%";
    let rows = walk(300);
    let full = run_owned(&rows, body_ok);
    let cut = &rows[..170];
    let cut_date = cut.last().expect("rows").0.clone();
    let part = run_owned(cut, body_ok);
    let before = |out: &RunOutput| -> Vec<String> {
        trades(out)
            .into_iter()
            .filter(|t| t.0 <= cut_date)
            .map(|t| format!("{t:?}"))
            .collect()
    };
    let full_trades = before(&full);
    assert!(
        full_trades
            .iter()
            .any(|t| t.contains("trailing_stop") || t.contains("take_profit")),
        "an exit fires before the cut: {full_trades:?}"
    );
    assert_eq!(before(&part), full_trades);
    let n = part.backtest.run.equity.len();
    assert_eq!(&full.backtest.run.equity[..n], &part.backtest.run.equity[..]);
}

/// `rotor check` of `body` over the FALL prices: exit code and standard error.
fn check(body: &str) -> (i32, String) {
    let dir = common::temp_dir("positions-check");
    std::fs::write(dir.join("prices.csv"), prices(FALL)).expect("temp file writable");
    std::fs::write(dir.join("s.rotor"), format!("data \"prices.csv\"\n{body}\n")).expect("temp file writable");
    let r = common::rotor(&dir, &["check", "s.rotor"]);
    (r.code, r.stderr)
}

#[test]
fn one_symbols_position_gets_one_exit_of_a_kind_or_an_error() {
    // Another rule buys AAA without the exit: the stop would sell what it bought too.
    let (code, err) = check("buy AAA monthly with stop loss 10%\nrebalance quarterly to AAA 50%, BBB 50%");
    assert_ne!(code, 0);
    assert!(err.contains("rotor::check::exit_conflict"), "{err}");
    assert!(
        err.contains("another rule buys `AAA` without this rule's stop loss"),
        "{err}"
    );
    assert!(
        err.contains("stop loss 10% on AAA"),
        "the help shows the setting line: {err}"
    );
    // Two levels for one symbol, from two rules, or from a rule and an `on` line.
    let (code, err) = check("buy AAA monthly with trailing stop 10%\nbuy AAA weekly with trailing stop 12%");
    assert!(code != 0 && err.contains("give it different trailing stops"), "{err}");
    let (code, err) = check("take profit 30% on AAA\nbuy AAA monthly with take profit 20%");
    assert!(code != 0 && err.contains("`AAA` has two take profits"), "{err}");
    // A sell opens nothing to exit; one kind twice in a `with` is a duplicate.
    let (code, err) = check("buy AAA monthly\nsell AAA weekly with stop loss 5%");
    assert!(code != 0 && err.contains("a sell opens no position"), "{err}");
    let (code, err) = check("buy AAA monthly with stop loss 5%, stop loss 6%");
    assert!(code != 0 && err.contains("rotor::check::duplicate_setting"), "{err}");
    // The same exit on both rules, a sell beside them, another kind on the line for every
    // symbol, and a level out of range checked as on a line.
    let (code, err) = check(
        "take profit 40%\nbuy AAA monthly with stop loss 10%\nbuy AAA weekly with stop loss 10%\nsell AAA daily if close(AAA) > 200",
    );
    assert_eq!(code, 0, "{err}");
    let (code, err) = check("buy AAA monthly with trailing stop 100%");
    assert!(
        code != 0 && err.contains("a trailing stop of 100% never does anything"),
        "{err}"
    );
}

#[test]
fn the_formatter_prints_rule_exits_canonically_and_stably() {
    use rotor::format::format_source;
    use rotor::source::SourceFile;
    let messy = "\
rotate monthly to top 1 of IWM,IWO by return(3 months)   with  trailing   stop 15%
buy 500 USD of IWO monthly if x at most once per month with stop loss 10%   and take profit 25%
hold IWM if x else AGG with stop loss 5% ,\\
  trailing stop 12%
rebalance quarterly to IWM 60%, AGG 40% tolerance 5% with take profit 20%
";
    let canonical = "\
rotate monthly to top 1 of IWM, IWO by return(3 months) with trailing stop 15%
buy 500 USD of IWO monthly if x at most once per month with stop loss 10%, take profit 25%
hold IWM if x else AGG with stop loss 5%, trailing stop 12%
rebalance quarterly to IWM 60%, AGG 40% tolerance 5% with take profit 20%
";
    let source = |text: &str| SourceFile {
        name: "t.rotor".into(),
        path: None,
        text: text.into(),
        base: 0,
    };
    let out = format_source(&source(messy)).expect("formats");
    assert_eq!(out, canonical);
    assert_eq!(format_source(&source(&out)).expect("formats"), out, "idempotent");
}

#[test]
fn forms_that_do_nothing_are_warned_about_where_they_are_written() {
    // Both sides the same: the condition picks nothing. Checked and run, with a warning.
    let (code, err) = check("hold monthly AAA if close(AAA) > 90 else AAA");
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("rotor::check::no_effect"), "{err}");
    assert!(err.contains("both sides of this `hold` are the same"), "{err}");
    assert!(err.contains("else cash"), "the help says what to write: {err}");
    // The same weights in another order are the same side.
    let (_, err) = check("hold monthly AAA 60%, BBB 40% if close(AAA) > 90 else BBB 40%, AAA 60%");
    assert!(err.contains("both sides of this `hold` are the same"), "{err}");
    // Weights and a ranking that do not read the symbol.
    let (code, err) = check("rebalance monthly to AAA, BBB weighted by 2 * 3");
    assert!(
        code == 0 && err.contains("these weights do not read the symbol"),
        "{err}"
    );
    assert!(err.contains("weighted equally"), "{err}");
    let (_, err) = check("rotate monthly to top 1 of AAA, BBB by return(AAA, 2)");
    assert!(err.contains("this ranking does not read the candidate"), "{err}");
    // Exits on a rule that holds no symbol close nothing.
    let (code, err) = check("buy AAA monthly\nhold monthly cash if close(AAA) > 90 else cash with stop loss 5%");
    assert!(code == 0 && err.contains("its exits never close anything"), "{err}");
    // What does something is not warned about.
    let (code, err) = check(
        "hold monthly AAA if close(AAA) > 90 else BBB\n\
         rebalance monthly to AAA, BBB weighted by 1 / volatility(2)\n\
         rotate monthly to top 1 of AAA, BBB by return(2)",
    );
    assert!(code == 0 && !err.contains("no_effect"), "{err}");
}

#[test]
fn a_once_date_outside_the_run_is_warned_about() {
    // FALL runs 2024-01-02 to 2024-01-08: a `once` before or after it never fires, and the
    // run says so at the date; one inside it (a weekend rolls forward) is no warning.
    let out = run(
        FALL,
        "capital 1000 USD\nfill close\nbuy AAA once on 2023-12-29\nbuy BBB once on 2024-01-09\nbuy 10 USD of BBB once on 2024-01-06",
    );
    let words: Vec<String> = out.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(
        words,
        [
            "`once on 2023-12-29` never fires: the run's bars are from 2024-01-02 to 2024-01-08",
            "`once on 2024-01-09` never fires: the run's bars are from 2024-01-02 to 2024-01-08",
        ]
    );
    assert_eq!(
        trades(&out).len(),
        1,
        "only the weekend date's buy, on Monday: {:?}",
        trades(&out)
    );
}
