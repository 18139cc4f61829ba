//! The reference backtest: one bar at a time, one rule at a time, in the order of
//! docs/LANGUAGE.md's "Each trading day, in order", with issue 12's intended semantics
//! where the page is silent:
//!
//! - the run's trading days are the dates on which a traded symbol or the benchmark has a
//!   row, within `from`/`to`, from the first on which a traded symbol has one (the
//!   benchmark's rows alone never start the run); indicators walk the same kind of
//!   calendar from the data's first day, so values before `from` count (warm-up, item 1);
//! - an order for a symbol without a row that day waits for its next row, for every order
//!   kind and both fill modes (item 5): a rebalance or rotation fills the legs whose
//!   symbols trade and leaves each other leg waiting, resolved when it fills;
//! - a symbol without a current price — no row in the last five bars — is not ranked by
//!   `rotate` (item 5);
//! - `tolerance` counts cash beyond its target as drift (item 18);
//! - the benchmark invests each cash flow at the strategy's first possible fill after it
//!   arrives: the same day's close (`fill close`) or the next open on which the benchmark
//!   trades (`fill next open`) (item 4).

use chrono::NaiveDate;

use super::account::{Account, At, Costs, Fill, Minimums};
use super::eval::{self, Bar, Portfolio};
use super::market::Market;
use super::model::{
    Action, Amount, Computed, Cooldown, Exit, GuardKind, Ind, Model, Ranker, Ser, Src, Sym, Value, frac,
};
use super::positions::Positions;
use super::schedule::fires;

/// What the reference computed.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// The run's trading days.
    pub days: Vec<NaiveDate>,
    /// Value at each day's close.
    pub equity: Vec<f64>,
    /// Cash put in on each day (credited at its start) less what was taken out (at its
    /// close).
    pub flows: Vec<f64>,
    /// What was taken out at each day's close (negative), and the value at each close
    /// before it was: what the time-weighted return of the day ends on ([`Outcome::twr`]).
    pub closing: Vec<f64>,
    pub before_close: Vec<f64>,
    pub fills: Vec<Fill>,
    pub cash: f64,
    pub holdings: Vec<(Sym, f64)>,
    pub benchmark: Option<Vec<f64>>,
    /// A condition was decided by less than rounding (see `eval::condition`).
    pub fragile: bool,
    /// Orders still waiting at the end.
    pub pending: usize,
    /// Sales made by exits (`stop loss`, `take profit`, `trailing stop`).
    pub exits: usize,
}

/// A symbol without a row in this many bars (a trading week) has no current price and is
/// not ranked by `rotate` (issue 12 item 5; the number is the reference's reading).
const CURRENT_BARS: usize = 5;

/// An order between its decision and its fill.
#[derive(Clone, Debug)]
enum Order {
    Buy(Sym, Amount),
    Sell(Sym, Amount),
    /// Target weights of the portfolio value (fractions); `sell_others` sells holdings not
    /// listed (rebalance), otherwise they are left alone (rotate).
    Target {
        legs: Vec<(Sym, f64)>,
        sell_others: bool,
    },
    /// One leg of a target order whose symbol had no row when the others filled.
    Leg(Sym, f64),
    /// A stop loss, take profit or trailing stop: the whole position sold.
    Exit(Sym),
}

/// Prices of a fill: the bar's open or its close.
#[derive(Clone, Copy, PartialEq)]
enum Price {
    Open,
    Close,
}

struct Run<'a> {
    model: &'a Model,
    market: &'a Market,
    /// Every trading day up to the end of the run, from the data's first.
    calendar: Vec<NaiveDate>,
    /// Index in `calendar` of the run's first day.
    offset: usize,
    account: Account,
    waiting: Vec<(usize, Order)>,
    fragile: bool,
    /// Entry prices and dates, from the fills so far.
    positions: Positions,
    /// Sales made by exits.
    exit_sales: usize,
    /// For each rule (by number), the decision date of its order in flight, and of its
    /// last order that traded (where a cooldown counts from).
    decided: Vec<Option<NaiveDate>>,
    last_traded: Vec<Option<NaiveDate>>,
}

/// The reference run of `model`. A sleeve (`sleeve s P%:` over the first k rules) is an
/// account of its own: the sleeve's rules run with P% of the capital and of every
/// contribution, the other rules with the rest, both on the whole strategy's trading
/// days, and the two records are added up (rules numbered as in the whole file). That is
/// what a sleeve means when nothing reads or changes the account as a whole
/// ([`Model::sleeve_fits`]); rotor keeps the sleeves as books of one account instead.
pub fn simulate(model: &Model, market: &Market, minimums: Minimums) -> Outcome {
    let Some(parts) = model.split() else {
        return simulate_one(model, market, minimums);
    };
    // The whole strategy's own symbols; each part adds the benchmark itself.
    let calendar = model.own_symbols();
    let mut outcomes = parts.into_iter().map(|(mut part, first_rule)| {
        part.calendar = calendar.clone();
        let mut out = simulate_one(&part, market, minimums);
        for f in &mut out.fills {
            if f.rule > 0 {
                f.rule += first_rule;
            }
        }
        out
    });
    let mut sum = outcomes.next().expect("a sleeve and the rest");
    for other in outcomes {
        assert_eq!(sum.days, other.days, "both parts trade on the whole calendar");
        for (a, b) in sum.equity.iter_mut().zip(&other.equity) {
            *a += b;
        }
        for (a, b) in sum.flows.iter_mut().zip(&other.flows) {
            *a += b;
        }
        for (a, b) in sum.closing.iter_mut().zip(&other.closing) {
            *a += b;
        }
        for (a, b) in sum.before_close.iter_mut().zip(&other.before_close) {
            *a += b;
        }
        sum.fills.extend(other.fills);
        sum.cash += other.cash;
        for (s, q) in other.holdings {
            match sum.holdings.iter_mut().find(|h| h.0 == s) {
                Some(h) => h.1 += q,
                None => sum.holdings.push((s, q)),
            }
        }
        sum.holdings.sort_by_key(|h| h.0);
        sum.fragile |= other.fragile;
        sum.pending += other.pending;
        sum.exits += other.exits;
    }
    sum
}

fn simulate_one(model: &Model, market: &Market, minimums: Minimums) -> Outcome {
    let calendar_symbols = model.calendar_symbols();
    let mut calendar: Vec<NaiveDate> = calendar_symbols
        .iter()
        .filter_map(|s| market.prices.get(s))
        .flat_map(|h| h.keys().copied())
        .filter(|d| model.to.is_none_or(|to| *d <= to))
        .collect();
    calendar.sort();
    calendar.dedup();
    let from = calendar.partition_point(|d| model.from.is_some_and(|f| *d < f));
    // The first day from there on which one of the strategy's own symbols has a row: a
    // benchmark's rows alone never start the run (a yardstick does not move its period).
    let own = model.own_symbols();
    let offset = (from..calendar.len())
        .find(|&i| own.iter().any(|s| market.row(*s, calendar[i]).is_some()))
        .filter(|_| !own.is_empty())
        .unwrap_or(from);
    let costs = Costs {
        rate: frac(model.fee_rate),
        fixed: model.fee_fixed,
        slippage: frac(model.slippage),
        whole: model.whole,
        minimums,
    };
    let mut run = Run {
        model,
        market,
        calendar,
        offset,
        account: Account::new(costs),
        waiting: Vec::new(),
        fragile: false,
        positions: Positions::default(),
        exit_sales: 0,
        decided: vec![None; model.rules.len() + 1],
        last_traded: vec![None; model.rules.len() + 1],
    };
    let days = run.calendar[offset..].to_vec();
    let flows: Vec<f64> = (0..days.len()).map(|t| flow(model, &days, t)).collect();
    let mut prev_holds: Vec<Vec<bool>> = model.rules.iter().map(|r| vec![false; r.guards.len()]).collect();
    let mut equity = Vec::with_capacity(days.len());
    let (mut closing, mut before_close) = (Vec::new(), Vec::new());
    for t in 0..days.len() {
        let d = days[t];
        if t > 0 {
            run.accrue_expenses(days[t - 1], d);
        }
        run.account.cash += flows[t];
        if model.delisted_sell {
            let before = run.account.fills.len();
            run.sell_delisted(d, offset + t);
            run.positions.note(&run.account, before, offset + t);
        }
        if !model.fill_close {
            run.fill_waiting(d, Price::Open, offset + t);
        }
        let view_cash = run.account.cash;
        let view_equity = run.account.value(|s| market.close_asof(s, d));
        let view_shares = run.account.shares.clone();
        let view_positions = run.positions.clone();
        if model.fill_close {
            run.fill_waiting(d, Price::Close, offset + t);
        }
        run.judge_exits(d, offset + t);
        for (r, rule) in model.rules.iter().enumerate() {
            if !rule.schedule.is_none_or(|s| fires(s, &days, t)) {
                continue;
            }
            let shares = |s: Sym| view_shares.get(&s).copied().unwrap_or(0.0);
            let bar = Bar {
                market,
                calendar: &run.calendar,
                i: offset + t,
                rate_lag: model.lag_days.unwrap_or(0),
                stale: model.stale_days,
                portfolio: Some(Portfolio {
                    cash: view_cash,
                    equity: view_equity,
                    shares: &shares,
                    positions: &view_positions,
                }),
            };
            let mut pass = true;
            for (g, (kind, cond)) in rule.guards.iter().enumerate() {
                let value = eval::condition(&bar, cond, &mut run.fragile);
                let holds = value == Some(true);
                pass &= match kind {
                    GuardKind::While | GuardKind::If => holds,
                    GuardKind::Unless => value == Some(false),
                    GuardKind::When => holds && !prev_holds[r][g],
                };
                prev_holds[r][g] = holds;
            }
            if !pass {
                continue;
            }
            if let Some(c) = rule.cooldown
                && run.cooling(r + 1, c, d)
            {
                continue;
            }
            let order = match &rule.action {
                Action::Hold {
                    cond,
                    then,
                    otherwise,
                    tolerance,
                } => match eval::condition(&bar, cond, &mut run.fragile) {
                    // Not available: neither side is meant; nothing is traded.
                    None => None,
                    Some(holds) => run.rebalance(if holds { then } else { otherwise }, *tolerance, &bar),
                },
                action => run.decide(action, &bar),
            };
            let Some(order) = order else {
                continue;
            };
            run.decided[r + 1] = Some(d);
            if model.fill_close {
                let left = run.execute_noted(r + 1, order, d, Price::Close, offset + t);
                run.waiting.extend(left.into_iter().map(|o| (r + 1, o)));
            } else {
                run.waiting.push((r + 1, order));
            }
        }
        before_close.push(run.account.value(|s| market.close_asof(s, d)));
        let mut paid = 0.0;
        for (amount, schedule) in &model.withdrawals {
            if fires(*schedule, &days, t) {
                let before = run.account.fills.len();
                paid += run.withdraw(d, *amount);
                run.positions.note(&run.account, before, offset + t);
            }
        }
        closing.push(-paid);
        equity.push(run.account.value(|s| market.close_asof(s, d)));
    }
    let benchmark = model
        .benchmark
        .map(|b| benchmark(model, market, (&run.calendar, offset), &flows, b, costs));
    Outcome {
        equity,
        flows: flows.iter().zip(&closing).map(|(a, b)| a + b).collect(),
        closing,
        before_close,
        cash: run.account.cash,
        holdings: run.account.shares.iter().map(|(s, q)| (*s, *q)).collect(),
        fills: run.account.fills,
        benchmark,
        fragile: run.fragile,
        pending: run.waiting.len(),
        exits: run.exit_sales,
        days,
    }
}

/// Cash credited at the start of day `t`: the capital on the first day, contributions.
fn flow(model: &Model, days: &[NaiveDate], t: usize) -> f64 {
    let capital = if t == 0 { model.capital } else { 0.0 };
    capital
        + model
            .contributions
            .iter()
            .filter(|(_, s)| fires(*s, days, t))
            .map(|(m, _)| m)
            .sum::<f64>()
}

impl Outcome {
    /// The time-weighted return and the deepest fall of its value index from a running
    /// peak (which starts at 1): each day's growth is the value at its close before the
    /// withdrawals over the value at the close before plus what arrived in the morning (1
    /// where that is not positive).
    pub fn twr(&self) -> (f64, f64) {
        let (mut index, mut peak, mut depth, mut prev) = (1.0_f64, 1.0_f64, 0.0_f64, 0.0);
        for t in 0..self.days.len() {
            let morning = prev + self.flows[t] - self.closing[t];
            if morning > 0.0 {
                index *= self.before_close[t] / morning;
            }
            peak = peak.max(index);
            depth = depth.max(1.0 - index / peak);
            prev = self.equity[t];
        }
        (index - 1.0, depth)
    }
}

impl Run<'_> {
    /// `withdraw AMOUNT USD` on day `d`, after the rules: paid from cash; what cash lacks
    /// is raised by selling, at today's close, every holding that has a row today, each in
    /// proportion to its value (never less than a cent's worth in all, docs/LANGUAGE.md).
    /// Without trading costs (features.rs) one round of sales raises it. Returns what was
    /// paid: the amount, or all the cash there is.
    fn withdraw(&mut self, d: NaiveDate, amount: f64) -> f64 {
        let need = amount - self.account.cash;
        if need > 1e-9 * amount.max(1.0) {
            let sellable: Vec<(Sym, f64, f64)> = (self.account.shares.iter())
                .filter_map(|(&s, &q)| {
                    let close = self.market.row(s, d)?.close;
                    (q > 0.0 && close > 0.0).then_some((s, close, q * close))
                })
                .collect();
            let total: f64 = sellable.iter().map(|x| x.2).sum();
            let gross = need.max(0.01 * 1.001);
            for (s, close, value) in sellable {
                let at = At { date: d, rule: 0 };
                self.account.sell_shares(at, s, gross * value / total / close, close);
            }
        }
        let paid = amount.min(self.account.cash.max(0.0));
        self.account.cash -= paid;
        paid
    }

    /// Fund expenses for the calendar days since the previous trading day, taken from the
    /// position: value × ratio × days / 365.
    fn accrue_expenses(&mut self, prev: NaiveDate, d: NaiveDate) {
        let Some((sym, ratio)) = self.model.expense else { return };
        let held = self.account.held(sym);
        if held > 0.0 {
            let factor = frac(ratio) * (d - prev).num_days() as f64 / 365.0;
            self.account.shares.insert(sym, held * (1.0 - factor));
        }
    }

    /// Fills the orders waiting for a price, in the order they were placed; what is left
    /// of each keeps its place. `bar` is the day's index in the full calendar.
    fn fill_waiting(&mut self, d: NaiveDate, price: Price, bar: usize) {
        for (rule, order) in std::mem::take(&mut self.waiting) {
            let left = self.execute_noted(rule, order, d, price, bar);
            self.waiting.extend(left.into_iter().map(|o| (rule, o)));
        }
    }

    /// [`Self::execute`], then the fills it made taken into the positions, and, when the
    /// order traded, its rule's cooldown started from its decision.
    fn execute_noted(&mut self, rule: usize, order: Order, d: NaiveDate, price: Price, bar: usize) -> Vec<Order> {
        let before = self.account.fills.len();
        let left = self.execute(rule, order, d, price);
        self.positions.note(&self.account, before, bar);
        if rule > 0 && self.account.fills[before..].iter().any(|f| f.rule == rule) {
            self.last_traded[rule] = self.decided[rule];
        }
        left
    }

    /// Whether rule number `rule` is held back on day `d` by its cooldown: an order of it
    /// waits, or its last order that traded was decided within the period.
    fn cooling(&self, rule: usize, cooldown: Cooldown, d: NaiveDate) -> bool {
        use chrono::Datelike;
        if self.waiting.iter().any(|(r, _)| *r == rule) {
            return true;
        }
        let Some(last) = self.last_traded[rule] else {
            return false;
        };
        match cooldown {
            Cooldown::Week => last.iso_week() == d.iso_week(),
            Cooldown::Month => (last.year(), last.month()) == (d.year(), d.month()),
            Cooldown::Days(n) => (d - last).num_days() < i64::from(n),
        }
    }

    /// The level (a fraction) of `exit` for `s`: the `with` of a rule that trades it (all
    /// such rules agree), else its own line, else the line for every symbol.
    fn exit_level(&self, exit: Exit, s: Sym) -> Option<f64> {
        let of_rule = self
            .model
            .rules
            .iter()
            .filter(|r| r.action.symbols().contains(&s))
            .flat_map(|r| &r.exits)
            .find(|(e, _)| *e == exit)
            .map(|(_, level)| *level);
        let of_kind = || self.model.exits.iter().filter(|(e, _, _)| *e == exit);
        of_rule
            .or_else(|| of_kind().find(|(_, _, on)| *on == Some(s)).map(|(_, level, _)| *level))
            .or_else(|| of_kind().find(|(_, _, on)| on.is_none()).map(|(_, level, _)| *level))
            .map(|level| frac(f64::from(level)))
    }

    /// Judges each open position on day `d`'s close (full-calendar bar `bar`): stop loss,
    /// trailing stop, take profit, the first that fires sells it all, by the fill rule.
    fn judge_exits(&mut self, d: NaiveDate, bar: usize) {
        let open: Vec<(Sym, super::positions::Open)> = self.positions.open.iter().map(|(s, o)| (*s, *o)).collect();
        for (s, o) in open {
            let Some(row) = self.market.row(s, d) else { continue };
            if o.exiting {
                continue;
            }
            let peak = (o.bar..=bar)
                .map(|k| self.market.close_asof(s, self.calendar[k]))
                .fold(f64::MIN, f64::max);
            let close = row.close;
            let fires = [Exit::StopLoss, Exit::TrailingStop, Exit::TakeProfit]
                .into_iter()
                .any(|exit| {
                    self.exit_level(exit, s).is_some_and(|level| match exit {
                        Exit::StopLoss => close <= o.entry_price * (1.0 - level),
                        Exit::TrailingStop => close <= peak * (1.0 - level),
                        Exit::TakeProfit => close >= o.entry_price * (1.0 + level),
                    })
                });
            if !fires {
                continue;
            }
            if let Some(open) = self.positions.open.get_mut(&s) {
                open.exiting = true;
            }
            if self.model.fill_close {
                let left = self.execute_noted(0, Order::Exit(s), d, Price::Close, bar);
                self.waiting.extend(left.into_iter().map(|o| (0, o)));
            } else {
                self.waiting.push((0, Order::Exit(s)));
            }
        }
    }

    /// A rule that fired and passed its guards → an order, or nothing.
    fn decide(&self, action: &Action, bar: &Bar) -> Option<Order> {
        let d = bar.date();
        let listed = |s: Sym| self.market.listed(s, d);
        // A computed amount is money of its value at the close; none when it is not
        // available, zero or negative.
        let resolved = |amount: Amount| match amount {
            Amount::Computed(c) => {
                let v = computed(bar, c);
                (v.is_finite() && v > 0.0).then_some(match c {
                    Computed::SigShares => Amount::Shares(v),
                    // Written percent, as the model keeps shares of cash.
                    Computed::SigOfCash => Amount::OfCash(v * 100.0),
                    _ => Amount::Money(v),
                })
            }
            other => Some(other),
        };
        match action {
            Action::Rebalance { targets, tolerance } => self.rebalance(targets, *tolerance, bar),
            Action::Hold { .. } => unreachable!("a hold's condition is read where the fragile flag is"),
            Action::Buy(amount, s) => listed(*s).then(|| resolved(*amount).map(|a| Order::Buy(*s, a)))?,
            Action::Sell(amount, s) => listed(*s).then(|| resolved(*amount).map(|a| Order::Sell(*s, a)))?,
            Action::Weighted { symbols, by, tolerance } => {
                let legs: Vec<(Sym, f64)> = match by {
                    None => {
                        if !symbols.iter().all(|s| listed(*s)) {
                            return None;
                        }
                        symbols.iter().map(|s| (*s, 1.0 / symbols.len() as f64)).collect()
                    }
                    Some(by) => {
                        let raw: Vec<(Sym, f64)> = symbols
                            .iter()
                            .filter(|s| listed(**s) && self.current(**s, bar.i))
                            .map(|s| (*s, rank_value(bar, *by, *s)))
                            .filter(|(_, v)| v.is_finite() && *v >= 0.0)
                            .collect();
                        let total: f64 = raw.iter().map(|(_, v)| v).sum();
                        if total <= 0.0 || !total.is_finite() {
                            return None;
                        }
                        raw.into_iter().map(|(s, v)| (s, v / total)).collect()
                    }
                };
                if let Some(tol) = tolerance
                    && self.drift(&legs, d) <= frac(*tol as f64)
                {
                    return None;
                }
                Some(Order::Target {
                    legs,
                    sell_others: true,
                })
            }
            Action::Rotate { top, n, candidates, by } => {
                let mut ranked: Vec<(usize, Sym, f64)> = candidates
                    .iter()
                    .enumerate()
                    .filter(|(_, s)| self.current(**s, bar.i))
                    .map(|(i, s)| (i, *s, rank_value(bar, *by, *s)))
                    .filter(|(_, _, v)| !v.is_nan())
                    .collect();
                if ranked.is_empty() {
                    return None;
                }
                ranked.sort_by(|a, b| {
                    let order = if *top { b.2.total_cmp(&a.2) } else { a.2.total_cmp(&b.2) };
                    order.then(a.0.cmp(&b.0))
                });
                let chosen: Vec<Sym> = ranked.iter().take(*n as usize).map(|r| r.1).collect();
                let w = 1.0 / *n as f64;
                let legs = candidates
                    .iter()
                    .map(|s| (*s, if chosen.contains(s) { w } else { 0.0 }))
                    .collect();
                Some(Order::Target {
                    legs,
                    sell_others: false,
                })
            }
        }
    }

    /// A rebalance's order (also a `hold`'s, to the side its condition picked): nothing
    /// while a target is not listed, or while no weight drifted beyond the tolerance.
    fn rebalance(&self, targets: &[(Sym, u32)], tolerance: Option<u32>, bar: &Bar) -> Option<Order> {
        let d = bar.date();
        if !targets.iter().all(|(s, _)| self.market.listed(*s, d)) {
            return None;
        }
        let legs: Vec<(Sym, f64)> = targets.iter().map(|(s, w)| (*s, frac(*w as f64))).collect();
        if let Some(tol) = tolerance
            && self.drift(&legs, d) <= frac(tol as f64)
        {
            return None;
        }
        Some(Order::Target {
            legs,
            sell_others: true,
        })
    }

    /// The drift of the portfolio as it stands at the close of `d`, after the fills of rules
    /// before this one with `fill close`, from target weights `legs` (cash's target what
    /// they leave); infinite for a portfolio worth nothing (the order is placed).
    fn drift(&self, legs: &[(Sym, f64)], d: NaiveDate) -> f64 {
        let equity = self.account.value(|s| self.market.close_asof(s, d));
        if equity <= 0.0 {
            return f64::INFINITY;
        }
        let shares = |s: Sym| self.account.held(s);
        let weight = |s: Sym| shares(s) * self.market.close_asof(s, d) / equity;
        let cash_target = 1.0 - legs.iter().map(|(_, w)| w).sum::<f64>();
        let mut drift = (self.account.cash / equity - cash_target).abs();
        for s in Sym::ALL {
            let target = legs.iter().find(|(x, _)| *x == s).map_or(0.0, |(_, w)| *w);
            if target > 0.0 || shares(s) != 0.0 {
                drift = drift.max((weight(s) - target).abs());
            }
        }
        drift
    }

    /// `delisted sell`: every holding without a current price on full-calendar bar `i` (day
    /// `d`) is sold at its last close, as a trade of no rule.
    fn sell_delisted(&mut self, d: NaiveDate, i: usize) {
        let held: Vec<Sym> = self.account.shares.keys().copied().collect();
        for s in held {
            if !self.current(s, i) {
                let at = At { date: d, rule: 0 };
                let q = self.account.held(s);
                self.account.sell_shares(at, s, q, self.market.close_asof(s, d));
            }
        }
    }

    /// Whether a symbol has a current price on full-calendar bar `i`: a row within the last
    /// [`CURRENT_BARS`] bars. A holiday of its own exchange keeps it current; a file that has
    /// ended does not stay current.
    fn current(&self, s: Sym, i: usize) -> bool {
        current(self.market, &self.calendar, s, i)
    }

    /// The portfolio value at a fill: each symbol at the fill's price where it has a row,
    /// else at its last close.
    fn marked_value(&self, d: NaiveDate, price: Price) -> f64 {
        self.account.value(|s| match self.market.row(s, d) {
            Some(bar) if price == Price::Open => bar.open,
            _ => self.market.close_asof(s, d),
        })
    }

    /// Fills an order on day `d`; returns what must wait for a symbol's next row: the
    /// whole order, or the legs of a target order whose symbols have no row today.
    fn execute(&mut self, rule: usize, order: Order, d: NaiveDate, price: Price) -> Vec<Order> {
        let at = At { date: d, rule };
        let market = self.market;
        let price_of = |s: Sym| {
            market
                .row(s, d)
                .map(|b| if price == Price::Open { b.open } else { b.close })
        };
        match order {
            Order::Buy(s, amount) => {
                let Some(p) = price_of(s) else { return vec![order] };
                let cash = self.account.cash;
                match amount {
                    Amount::All => self.account.buy_money(at, s, cash, p),
                    Amount::Money(m) => self.account.buy_money(at, s, m, p),
                    Amount::Shares(q) => self.account.buy_shares(at, s, q, p),
                    Amount::OfCash(f) => self.account.buy_money(at, s, frac(f) * cash, p),
                    Amount::OfEquity(f) => {
                        let money = frac(f) * self.marked_value(d, price);
                        self.account.buy_money(at, s, money, p)
                    }
                    Amount::OfPosition(_) => unreachable!("the generator sells positions only"),
                    Amount::Computed(_) => unreachable!("a computed amount is money in its order"),
                }
                Vec::new()
            }
            Order::Sell(s, amount) => {
                let Some(p) = price_of(s) else { return vec![order] };
                let held = self.account.held(s);
                let q = match amount {
                    Amount::All => held,
                    Amount::Money(m) => m / p,
                    Amount::Shares(q) => q,
                    Amount::OfCash(f) => frac(f) * self.account.cash / p,
                    Amount::OfEquity(f) => frac(f) * self.marked_value(d, price) / p,
                    Amount::OfPosition(f) => frac(f) * held,
                    Amount::Computed(_) => unreachable!("a computed amount is money in its order"),
                };
                if held > 0.0 {
                    self.account.sell_shares(at, s, q, p);
                }
                Vec::new()
            }
            Order::Target { mut legs, sell_others } => {
                if sell_others {
                    let held: Vec<Sym> = self.account.shares.keys().copied().collect();
                    for s in held {
                        if !legs.iter().any(|(x, _)| *x == s) {
                            legs.push((s, 0.0));
                        }
                    }
                }
                let (now, later): (Vec<_>, Vec<_>) = legs.into_iter().partition(|(s, _)| price_of(*s).is_some());
                self.trade_to(at, &now, d, price);
                later.into_iter().map(|(s, w)| Order::Leg(s, w)).collect()
            }
            Order::Leg(s, w) => {
                if price_of(s).is_none() {
                    return vec![order];
                }
                self.trade_to(at, &[(s, w)], d, price);
                Vec::new()
            }
            Order::Exit(s) => {
                let Some(p) = price_of(s) else { return vec![order] };
                let held = self.account.held(s);
                let before = self.account.fills.len();
                if held > 0.0 {
                    self.account.sell_shares(at, s, held, p);
                }
                self.exit_sales += self.account.fills.len() - before;
                if let Some(open) = self.positions.open.get_mut(&s) {
                    open.exiting = false;
                }
                Vec::new()
            }
        }
    }

    /// Trades each leg's symbol to its weight of the portfolio value: sells first, so
    /// their cash pays for the buys. Every leg's symbol has a row on `d`.
    fn trade_to(&mut self, at: At, legs: &[(Sym, f64)], d: NaiveDate, price: Price) {
        let equity = self.marked_value(d, price);
        let price_of = |s: Sym| {
            let bar = self.market.row(s, d).expect("legs that trade today");
            if price == Price::Open { bar.open } else { bar.close }
        };
        for (s, w) in legs {
            let p = price_of(*s);
            let excess = self.account.held(*s) - w * equity / p;
            if excess > self.account.costs.minimums.leg {
                self.account.sell_shares(at, *s, excess, p);
            }
        }
        // The buys, each its shortfall; when the cash does not cover them all, each gets
        // the same share of its shortfall (docs/LANGUAGE.md, "Rebalance").
        let least = self.account.costs.minimums.leg * equity.max(1.0);
        let buys: Vec<(Sym, f64, f64)> = legs
            .iter()
            .map(|(s, w)| (*s, price_of(*s), w * equity - self.account.held(*s) * price_of(*s)))
            .filter(|(_, _, short)| *short > least)
            .collect();
        let wanted: f64 = buys.iter().map(|b| b.2).sum();
        let share = if wanted > self.account.cash {
            self.account.cash.max(0.0) / wanted
        } else {
            1.0
        };
        for (s, p, short) in buys {
            self.account.buy_money(at, s, short * share, p);
        }
    }
}

/// Whether `s` has a row on one of the [`CURRENT_BARS`] bars of `calendar` up to bar `i`.
fn current(market: &Market, calendar: &[NaiveDate], s: Sym, i: usize) -> bool {
    let first = i.saturating_sub(CURRENT_BARS - 1);
    calendar[first..=i].iter().any(|d| market.row(s, *d).is_some())
}

/// A candidate's value for `rotate … by`.
/// A computed amount's value on the decision bar.
fn computed(bar: &Bar, c: Computed) -> f64 {
    match c {
        Computed::CashShare(k) => bar.value_on(&Value::Cash, bar.i) / k as f64,
        Computed::Sma(s, n) => 10.0 * bar.indicator(Ind::Sma, Src::Close(s), n as usize, bar.i),
        Computed::Change(s, n) => 100.0 * bar.indicator(Ind::Change, Src::Close(s), n as usize, bar.i),
        Computed::SigShares => 10.0 * bar.value_on(&Value::Src(Src::Series(Ser::Sig)), bar.i),
        Computed::SigOfCash => bar.value_on(&Value::Src(Src::Series(Ser::Sig)), bar.i),
    }
}

fn rank_value(bar: &Bar, by: Ranker, s: Sym) -> f64 {
    let (ind, n) = match by {
        Ranker::Return(n) => (Ind::Return, n),
        Ranker::Change(n) => (Ind::Change, n),
        Ranker::Highest(n) => (Ind::Highest, n),
    };
    bar.indicator(ind, Src::Close(s), n as usize, bar.i)
}

/// The benchmark: the strategy's cash flows, costs and fill convention, every flow
/// invested in `sym` at the first fill possible after it arrives.
/// `calendar` is every trading day up to the run's end, the run's from bar `offset` on.
fn benchmark(
    model: &Model,
    market: &Market,
    (calendar, offset): (&[NaiveDate], usize),
    flows: &[f64],
    sym: Sym,
    costs: Costs,
) -> Vec<f64> {
    let days = &calendar[offset..];
    let mut account = Account::new(costs);
    let mut equity = Vec::with_capacity(days.len());
    for (t, &d) in days.iter().enumerate() {
        if t > 0
            && let Some((s, ratio)) = model.expense
            && s == sym
            && account.held(sym) > 0.0
        {
            let factor = frac(ratio) * (d - days[t - 1]).num_days() as f64 / 365.0;
            let held = account.held(sym);
            account.shares.insert(sym, held * (1.0 - factor));
        }
        account.cash += flows[t];
        let at = At { date: d, rule: 0 };
        if model.delisted_sell && account.held(sym) > 0.0 && !current(market, calendar, sym, offset + t) {
            let q = account.held(sym);
            account.sell_shares(at, sym, q, market.close_asof(sym, d));
        }
        // With `fill next open`, cash is invested at the open after a decision on a day the
        // symbol was listed (orders before its first price are skipped); today's flow waits
        // for today's decision.
        let decided = model.fill_close || (t > 0 && market.listed(sym, days[t - 1]));
        if let Some(bar) = market.row(sym, d)
            && decided
        {
            let (money, price) = if model.fill_close {
                (account.cash, bar.close)
            } else {
                (account.cash - flows[t], bar.open)
            };
            if money > 0.0 {
                account.buy_money(at, sym, money, price);
            }
        }
        equity.push(account.value(|s| market.close_asof(s, d)));
    }
    equity
}
