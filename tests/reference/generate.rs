//! proptest strategies for markets and strategies. Conditions compare like with like (a
//! close with an average of the same close, a return with a small threshold, a series with
//! a level inside its range) so that they are sometimes true and sometimes false.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use proptest::prelude::*;
use proptest::sample::select;

use super::market::MarketSpec;
use super::model::*;

const TRADED: [Sym; 4] = [Sym::Aaa, Sym::Bbb, Sym::Ccc, Sym::Ddd];

pub fn market_spec() -> impl Strategy<Value = MarketSpec> {
    (any::<u64>(), 30usize..140, 0u32..1500).prop_map(|(seed, days, start)| MarketSpec { seed, days, start })
}

/// The first and last base-calendar weekday of a market (see `Market::generate`).
pub fn span(spec: MarketSpec) -> (NaiveDate, NaiveDate) {
    let first = NaiveDate::from_ymd_opt(2018, 1, 1).expect("a date") + Duration::days(spec.start as i64);
    let weekdays: Vec<NaiveDate> = first
        .iter_days()
        .filter(|d| !matches!(d.weekday(), Weekday::Sat | Weekday::Sun))
        .take(spec.days + 10)
        .collect();
    (weekdays[10], *weekdays.last().expect("weekdays"))
}

fn traded() -> impl Strategy<Value = Sym> {
    prop_oneof![3 => Just(Sym::Aaa), 2 => Just(Sym::Bbb), 2 => Just(Sym::Ccc), 2 => Just(Sym::Ddd)]
}

fn any_sym() -> impl Strategy<Value = Sym> {
    prop_oneof![4 => traded(), 1 => Just(Sym::Www)]
}

fn window() -> impl Strategy<Value = u32> {
    prop_oneof![4 => 1u32..6, 1 => 6u32..25]
}

/// A value on the scale of `sym`'s price.
fn price_like(sym: Sym) -> impl Strategy<Value = Value> {
    let src = Src::Close(sym);
    prop_oneof![
        3 => Just(Value::Src(src)),
        1 => (1u32..4).prop_map(move |n| Value::Lagged(src, n)),
        4 => (select(vec![Ind::Sma, Ind::Ema, Ind::Highest, Ind::Lowest, Ind::Median]), window())
            .prop_map(move |(ind, n)| Value::Ind(ind, src, n)),
    ]
}

fn src() -> impl Strategy<Value = Src> {
    prop_oneof![3 => any_sym().prop_map(Src::Close), 1 => Just(Src::Series(Ser::Sig))]
}

fn cmp() -> impl Strategy<Value = Cmp> {
    select(vec![Cmp::Lt, Cmp::Le, Cmp::Gt, Cmp::Ge])
}

fn leaf() -> BoxedStrategy<Cond> {
    let prices = any_sym().prop_flat_map(|s| (price_like(s), cmp(), price_like(s)));
    let returns = (src(), window(), cmp(), select(vec![-0.03, -0.01, 0.0, 0.01, 0.03]))
        .prop_map(|(s, n, op, c)| Cond::Cmp(Value::Ind(Ind::Return, s, n), op, Value::Const(c)));
    let changes = (any_sym(), window(), cmp(), select(vec![-2.0, 0.0, 2.0]))
        .prop_map(|(s, n, op, c)| Cond::Cmp(Value::Ind(Ind::Change, Src::Close(s), n), op, Value::Const(c)));
    let signal = (
        prop_oneof![
            Just(Value::Src(Src::Series(Ser::Sig))),
            (1u32..3).prop_map(|n| Value::Lagged(Src::Series(Ser::Sig), n))
        ],
        cmp(),
        select(vec![0.25, 0.5, 0.75]),
    )
        .prop_map(|(v, op, c)| Cond::Cmp(v, op, Value::Const(c)));
    let rate = (cmp(), select(vec![3.0, 4.0, 5.0]))
        .prop_map(|(op, c)| Cond::Cmp(Value::Src(Src::Series(Ser::Rate)), op, Value::Const(c)));
    // The rate against its previous observation (a month earlier), or the signal's.
    let observations = (select(vec![Ser::Rate, Ser::Sig]), cmp())
        .prop_map(|(ser, op)| Cond::Cmp(Value::Src(Src::Series(ser)), op, Value::Prev(ser)));
    let ranks = (src(), window(), cmp(), select(vec![0.25, 0.5, 0.75]))
        .prop_map(|(s, n, op, c)| Cond::Cmp(Value::Ind(Ind::PercentRank, s, n), op, Value::Const(c)));
    // Returns that move together (or not), and a price against its 80th percentile.
    let pairs = (
        any::<bool>(),
        src(),
        src(),
        2u32..12,
        cmp(),
        select(vec![-0.5, 0.0, 0.5, 1.0]),
    )
        .prop_map(|(beta, a, b, n, op, c)| Cond::Cmp(Value::Pair(beta, a, b, n), op, Value::Const(c)));
    let percentiles = any_sym()
        .prop_flat_map(|s| (Just(s), window(), cmp()))
        .prop_map(|(s, n, op)| Cond::Cmp(Value::Src(Src::Close(s)), op, Value::Percentile80(Src::Close(s), n)));
    let portfolio = prop_oneof![
        (cmp(), select(vec![500.5, 2000.5])).prop_map(|(op, c)| Cond::Cmp(Value::Cash, op, Value::Const(c))),
        (cmp(), select(vec![1000.5, 12000.5])).prop_map(|(op, c)| Cond::Cmp(Value::Equity, op, Value::Const(c))),
        (traded(), cmp(), select(vec![0.3, 0.6])).prop_map(|(s, op, c)| Cond::Cmp(
            Value::Weight(s),
            op,
            Value::Const(c)
        )),
        (traded(), cmp(), select(vec![0.5, 100.5])).prop_map(|(s, op, c)| Cond::Cmp(
            Value::Position(s),
            op,
            Value::Const(c)
        )),
    ];
    let cross = any_sym()
        .prop_flat_map(|s| (price_like(s), any::<bool>(), price_like(s)))
        .prop_map(|(a, above, b)| Cond::Cross { a, above, b });
    prop_oneof![
        4 => prices.prop_map(|(a, op, b)| Cond::Cmp(a, op, b)),
        2 => returns,
        1 => changes,
        2 => signal,
        1 => rate,
        1 => observations,
        1 => ranks,
        1 => pairs,
        1 => percentiles,
        2 => portfolio,
        2 => cross,
        3 => position(),
    ]
    .boxed()
}

/// A condition on a position's state (issue 18 item 4): its entry price, how long it has
/// been held, the days since it was last sold out, its highest or lowest close since entry,
/// or the bars since a condition on prices held.
fn position() -> BoxedStrategy<Cond> {
    prop_oneof![
        (traded(), cmp()).prop_map(|(s, op)| Cond::Cmp(Value::Src(Src::Close(s)), op, Value::EntryPrice(s))),
        (traded(), cmp(), select(vec![1.0, 3.0, 10.0])).prop_map(|(s, op, c)| Cond::Cmp(
            Value::HeldDays(s),
            op,
            Value::Const(c)
        )),
        (traded(), cmp(), select(vec![1.0, 4.0, 12.0])).prop_map(|(s, op, c)| Cond::Cmp(
            Value::DaysSinceExit(s),
            op,
            Value::Const(c)
        )),
        (traded(), cmp(), any::<bool>()).prop_map(|(s, op, high)| Cond::Cmp(
            Value::Src(Src::Close(s)),
            op,
            Value::SinceEntry(high, s)
        )),
        (exact_leaf(), cmp(), select(vec![0.0, 2.0, 5.0])).prop_map(|(c, op, k)| Cond::Cmp(
            Value::BarsSince(Box::new(c)),
            op,
            Value::Const(k)
        )),
    ]
    .boxed()
}

/// A condition on prices that rotor and the reference compute with the same operations,
/// so a past bar's outcome never depends on rounding.
fn exact_leaf() -> impl Strategy<Value = Cond> {
    (any_sym(), cmp(), 1u32..4, any::<bool>()).prop_map(|(s, op, n, lag)| {
        let src = Src::Close(s);
        let other = if lag {
            Value::Lagged(src, n)
        } else {
            Value::Ind(Ind::Highest, src, n + 1)
        };
        Cond::Cmp(Value::Src(src), op, other)
    })
}

fn cond() -> BoxedStrategy<Cond> {
    leaf()
        .prop_recursive(2, 6, 2, |inner| {
            prop_oneof![
                (inner.clone(), inner.clone()).prop_map(|(a, b)| Cond::And(Box::new(a), Box::new(b))),
                (inner.clone(), inner.clone()).prop_map(|(a, b)| Cond::Or(Box::new(a), Box::new(b))),
                inner.prop_map(|c| Cond::Not(Box::new(c))),
            ]
        })
        .boxed()
}

fn guard_kind() -> impl Strategy<Value = GuardKind> {
    select(vec![
        GuardKind::While,
        GuardKind::If,
        GuardKind::When,
        GuardKind::Unless,
    ])
}

fn anchor() -> impl Strategy<Value = Anchor> {
    prop_oneof![
        2 => Just(Anchor::Plain),
        1 => Just(Anchor::FirstTradingDay),
        1 => Just(Anchor::LastTradingDay),
        2 => (1u32..32).prop_map(Anchor::Day),
    ]
}

/// Weekdays only: the markets have no weekend bars, and rotor refuses `weekly on saturday`
/// on such data (a rule that would act days later).
fn weekday() -> impl Strategy<Value = Weekday> {
    select(vec![
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
    ])
}

fn schedule(first: NaiveDate, last: NaiveDate) -> impl Strategy<Value = Schedule> {
    let span = (last - first).num_days();
    prop_oneof![
        2 => Just(Schedule::Daily),
        1 => Just(Schedule::Weekly(None)),
        1 => weekday().prop_map(|d| Schedule::Weekly(Some(d))),
        3 => anchor().prop_map(Schedule::Monthly),
        1 => anchor().prop_map(Schedule::Quarterly),
        1 => (1u32..15).prop_map(|n| Schedule::Every(n, Unit::Days)),
        1 => (1u32..4).prop_map(|n| Schedule::Every(n, Unit::Weeks)),
        1 => (1u32..3).prop_map(|n| Schedule::Every(n, Unit::Months)),
        1 => (0..=span).prop_map(move |k| Schedule::Once(first + Duration::days(k))),
    ]
}

fn buy_amount() -> impl Strategy<Value = Amount> {
    prop_oneof![
        3 => Just(Amount::All),
        2 => select(vec![50.0, 250.0, 1000.0, 3000.5]).prop_map(Amount::Money),
        1 => select(vec![1.0, 2.5, 10.0, 40.0]).prop_map(Amount::Shares),
        1 => select(vec![10.0, 25.0, 50.0, 100.0]).prop_map(Amount::OfCash),
        1 => select(vec![10.0, 20.0, 50.0]).prop_map(Amount::OfEquity),
        1 => computed_amount(),
    ]
}

/// `(cash / k) USD`, `(10 * sma(close(S), n)) USD`, `(100 * change(close(S), n)) USD`.
fn computed_amount() -> impl Strategy<Value = Amount> {
    prop_oneof![
        (2u32..5).prop_map(Computed::CashShare),
        (any_sym(), window()).prop_map(|(s, n)| Computed::Sma(s, n)),
        (any_sym(), window()).prop_map(|(s, n)| Computed::Change(s, n)),
        Just(Computed::SigShares),
        Just(Computed::SigOfCash),
    ]
    .prop_map(Amount::Computed)
}

fn sell_amount() -> impl Strategy<Value = Amount> {
    prop_oneof![
        3 => Just(Amount::All),
        1 => select(vec![50.0, 500.0, 2000.0]).prop_map(Amount::Money),
        1 => select(vec![1.0, 2.5, 10.0]).prop_map(Amount::Shares),
        1 => select(vec![10.0, 50.0]).prop_map(Amount::OfCash),
        1 => select(vec![10.0, 20.0]).prop_map(Amount::OfEquity),
        2 => select(vec![25.0, 50.0, 100.0]).prop_map(Amount::OfPosition),
        1 => computed_amount(),
    ]
}

fn rebalance() -> impl Strategy<Value = Action> {
    (
        proptest::collection::vec((traded(), 1u32..7), 1..4),
        proptest::option::weighted(0.3, 1u32..10),
    )
        .prop_map(|(raw, tolerance)| {
            let mut targets: Vec<(Sym, u32)> = Vec::new();
            for (s, w) in raw {
                if !targets.iter().any(|(x, _)| *x == s) {
                    targets.push((s, w * 10));
                }
            }
            // Scale down to at most 100%: the rest is cash.
            while targets.iter().map(|(_, w)| w).sum::<u32>() > 100 {
                for t in targets.iter_mut() {
                    t.1 = (t.1 - 10).max(10);
                }
            }
            Action::Rebalance { targets, tolerance }
        })
}

fn rotate() -> impl Strategy<Value = Action> {
    (
        proptest::sample::subsequence(TRADED.to_vec(), 2..=4),
        1u32..4,
        any::<bool>(),
        prop_oneof![
            (1u32..10).prop_map(Ranker::Return),
            (1u32..10).prop_map(Ranker::Change),
            (1u32..5).prop_map(Ranker::Highest),
        ],
    )
        .prop_map(|(candidates, n, top, by)| Action::Rotate {
            top,
            n: n.min(candidates.len() as u32),
            candidates,
            by,
        })
}

/// One side of a `hold`: cash, a symbol, or weights.
fn side() -> impl Strategy<Value = Vec<(Sym, u32)>> {
    prop_oneof![
        1 => Just(Vec::new()),
        2 => traded().prop_map(|s| vec![(s, 100)]),
        1 => rebalance().prop_map(|a| match a {
            Action::Rebalance { targets, .. } => targets,
            _ => unreachable!("a rebalance"),
        }),
    ]
}

fn hold() -> BoxedStrategy<Action> {
    (cond(), side(), side(), proptest::option::weighted(0.3, 1u32..10))
        .prop_map(|(cond, then, otherwise, tolerance)| {
            // Two cash sides trade nothing and name no symbol.
            let then = if then.is_empty() && otherwise.is_empty() {
                vec![(Sym::Aaa, 100)]
            } else {
                then
            };
            Action::Hold {
                cond,
                then,
                otherwise,
                tolerance,
            }
        })
        .boxed()
}

/// `rebalance to … weighted by RANKER` or `weighted equally`.
fn weighted() -> impl Strategy<Value = Action> {
    (
        proptest::sample::subsequence(TRADED.to_vec(), 1..=4),
        proptest::option::weighted(
            0.7,
            prop_oneof![
                (1u32..10).prop_map(Ranker::Return),
                (1u32..10).prop_map(Ranker::Change),
                (1u32..5).prop_map(Ranker::Highest),
            ],
        ),
        proptest::option::weighted(0.3, 1u32..10),
    )
        .prop_map(|(symbols, by, tolerance)| Action::Weighted { symbols, by, tolerance })
}

fn action() -> BoxedStrategy<Action> {
    prop_oneof![
        4 => (buy_amount(), traded()).prop_map(|(a, s)| Action::Buy(a, s)),
        2 => (sell_amount(), traded()).prop_map(|(a, s)| Action::Sell(a, s)),
        2 => rebalance(),
        1 => rotate(),
        1 => hold(),
        1 => weighted(),
    ]
    .boxed()
}

fn cooldown() -> impl Strategy<Value = Cooldown> {
    select(vec![
        Cooldown::Week,
        Cooldown::Month,
        Cooldown::Days(3),
        Cooldown::Days(10),
    ])
}

/// Exit lines, each kind at most once for every symbol and once a symbol.
fn exits() -> impl Strategy<Value = Vec<(Exit, u32, Option<Sym>)>> {
    let exit = prop_oneof![
        (select(vec![2u32, 5, 10]), proptest::option::weighted(0.4, traded())).prop_map(|(l, s)| (
            Exit::StopLoss,
            l,
            s
        )),
        (select(vec![3u32, 10, 30]), proptest::option::weighted(0.4, traded())).prop_map(|(l, s)| (
            Exit::TakeProfit,
            l,
            s
        )),
        (select(vec![3u32, 8, 15]), proptest::option::weighted(0.4, traded())).prop_map(|(l, s)| (
            Exit::TrailingStop,
            l,
            s
        )),
    ];
    proptest::collection::vec(exit, 0..3).prop_map(|raw| {
        let mut out: Vec<(Exit, u32, Option<Sym>)> = Vec::new();
        for e in raw {
            if !out.iter().any(|o| o.0 == e.0 && o.2 == e.2) {
                out.push(e);
            }
        }
        out
    })
}

/// A rule's `with` exits: up to two, each kind once (conflicts with other rules and `on`
/// lines are left out later, [`Model::rule_exits_consistent`]).
fn rule_exits() -> impl Strategy<Value = Vec<(Exit, u32)>> {
    let exit = prop_oneof![
        select(vec![3u32, 8]).prop_map(|l| (Exit::StopLoss, l)),
        select(vec![5u32, 20]).prop_map(|l| (Exit::TakeProfit, l)),
        select(vec![4u32, 12]).prop_map(|l| (Exit::TrailingStop, l)),
    ];
    proptest::collection::vec(exit, 0..3).prop_map(|raw| {
        let mut out: Vec<(Exit, u32)> = Vec::new();
        for e in raw {
            if !out.iter().any(|o| o.0 == e.0) {
                out.push(e);
            }
        }
        out
    })
}

fn rule(first: NaiveDate, last: NaiveDate) -> impl Strategy<Value = Rule> {
    (
        action(),
        proptest::option::weighted(0.85, schedule(first, last)),
        proptest::collection::vec((guard_kind(), cond()), 0..3),
        proptest::option::weighted(0.2, cooldown()),
        proptest::option::weighted(0.3, rule_exits()),
    )
        .prop_map(|(action, schedule, mut guards, cooldown, exits)| {
            // `when` on a `once` schedule can never fire: rotor rejects it.
            if matches!(schedule, Some(Schedule::Once(_))) {
                for g in &mut guards {
                    if g.0 == GuardKind::When {
                        g.0 = GuardKind::If;
                    }
                }
            }
            Rule {
                action,
                schedule,
                guards,
                cooldown,
                exits: exits.unwrap_or_default(),
            }
        })
}

/// Settings that are numbers: capital, fee rate, fixed fee, slippage.
fn costs() -> impl Strategy<Value = (f64, f64, f64, f64)> {
    (
        select(vec![0.0, 1000.0, 10000.0, 2500.5]),
        select(vec![0.0, 0.0, 0.1, 0.25]),
        select(vec![0.0, 0.0, 1.0, 2.0]),
        select(vec![0.0, 0.0, 0.05, 0.2]),
    )
}

/// A strategy over the market `spec` describes.
pub fn model(spec: MarketSpec) -> impl Strategy<Value = Model> {
    let (first, last) = span(spec);
    let days = (last - first).num_days();
    (
        costs(),
        (
            proptest::collection::vec((select(vec![100.0, 250.0, 1000.0]), schedule(first, last)), 0..3),
            proptest::option::weighted(0.3, (select(vec![40.0, 300.0, 5000.0]), schedule(first, last))),
        ),
        (
            any::<bool>(),
            proptest::bool::weighted(0.25),
            proptest::option::weighted(0.4, traded()),
            proptest::bool::weighted(0.3),
        ),
        (
            proptest::option::weighted(0.35, days / 10..days / 2),
            proptest::option::weighted(0.2, days * 7 / 10..=days),
            proptest::option::weighted(0.3, 0u32..40),
            proptest::option::weighted(0.2, (traded(), select(vec![0.24, 5.0]))),
            proptest::option::weighted(0.25, 1u32..40),
        ),
        proptest::collection::vec(rule(first, last), 1..5),
        exits(),
        proptest::option::weighted(0.3, (select(vec![30u32, 50, 70, 100]), 0usize..8)),
    )
        .prop_map(
            move |(
                (capital, fee_rate, fee_fixed, slippage),
                (contributions, withdrawal),
                (fill_close, whole, benchmark, delisted_sell),
                (from, to, lag_days, expense, stale_days),
                rules,
                exits,
                sleeve,
            )| {
                let capital = if capital == 0.0 && contributions.is_empty() {
                    1000.0
                } else {
                    capital
                };
                Model {
                    capital,
                    contributions,
                    withdrawals: withdrawal.into_iter().collect(),
                    fee_rate,
                    fee_fixed,
                    slippage,
                    fill_close,
                    whole,
                    benchmark,
                    from: from.map(|k| first + Duration::days(k)),
                    to: to.map(|k| first + Duration::days(k)),
                    lag_days,
                    stale_days,
                    expense,
                    delisted_sell,
                    exits,
                    // The first k rules (at least one) in a sleeve; 100% leaves the others
                    // nothing, so then all of them are in it.
                    sleeve: sleeve.map(|(share, k)| {
                        let k = if share == 100 { rules.len() } else { 1 + k % rules.len() };
                        (share, k)
                    }),
                    calendar: Vec::new(),
                    rules,
                }
            },
        )
}
