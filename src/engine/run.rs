//! The backtest loop.
//!
//! Each trading day, in this order:
//! 1. fund expenses accrue on held positions (for the days since the previous bar);
//! 2. scheduled contributions are credited;
//! 3. orders decided on the previous day fill at today's open (`fill next open`);
//! 4. every expression slot is evaluated on today's close;
//! 5. the rules run in file order: a rule whose schedule fires and whose guards pass
//!    places an order (filled at once at today's close with `fill close`);
//! 6. the portfolio is valued at today's close.

use super::columns::{BLOCK, ColumnCache};
use super::compile::Scope;
use super::frame::Frame;
use super::plan::{Plan, PortfolioView};
use super::portfolio::{Costs, FillOutcome, Portfolio, Trade};
use super::schedule::firing;
use crate::check::{Action, FillModel, FractionBase, GuardKind, Money, Program, Rule, ShareMode, Size};

#[derive(Clone, Debug)]
enum OrderKind {
    Buy(usize, Size),
    Sell(usize, Size),
    /// Target weights of the portfolio value; `sell_others` sells holdings not listed.
    Target {
        weights: Vec<(usize, f64)>,
        sell_others: bool,
    },
}

#[derive(Clone, Debug)]
struct Order {
    rule: usize,
    kind: OrderKind,
}

#[derive(Clone, Debug)]
enum Act {
    Trade {
        buy: bool,
        sym: usize,
        size: Size,
    },
    Rebalance {
        targets: Vec<(usize, f64)>,
        tolerance: f64,
    },
    Rotate {
        top: bool,
        n: usize,
        candidates: Vec<(usize, usize)>,
    },
}

struct CompiledRule {
    index: usize,
    fires: Vec<bool>,
    /// Kind, slot, and whether the condition held at the previous scheduled check.
    guards: Vec<(GuardKind, usize, bool)>,
    act: Act,
}

/// Counts the report states, so nothing the engine skipped goes unmentioned.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct Counters {
    /// Orders placed by rules.
    pub orders: usize,
    /// Fills (each leg of a rebalance counts).
    pub trades: usize,
    /// Buys shrunk to the cash available.
    pub shrunk_orders: usize,
    /// Orders that came to nothing (no cash, no position); not trades.
    pub empty_orders: usize,
    /// Orders for a symbol that had no price yet (before its history starts).
    pub skipped_not_listed: usize,
    /// Scheduled checks where a guard read a value not yet available (and so was false).
    pub guards_not_available: usize,
    /// Orders still waiting for a fill when the data ended.
    pub pending_at_end: usize,
    /// Contributions skipped because the exchange rate was not available.
    pub contributions_skipped: usize,
}

/// One run's record.
#[derive(Clone, Debug)]
pub struct Run {
    pub days: Vec<i32>,
    pub equity: Vec<f64>,
    pub flows: Vec<f64>,
    pub invested: Vec<f64>,
    pub trades: Vec<Trade>,
    pub counters: Counters,
    pub fees_paid: f64,
    pub slippage_paid: f64,
    pub expense_drag: f64,
    pub traded_value: f64,
    /// The same record in the base currency, when the strategy declares one.
    pub base: Option<BaseCurve>,
    /// Risk-free rate per bar (annual percent), if named.
    pub risk_free: Option<Vec<f64>>,
    /// Holdings at the end: symbol, shares, value.
    pub holdings: Vec<(String, f64, f64)>,
    pub cash: f64,
    pub bars_per_day: f64,
}

#[derive(Clone, Debug)]
pub struct BaseCurve {
    pub code: String,
    pub equity: Vec<f64>,
    pub flows: Vec<f64>,
}

/// Runs `rules` of a checked program over a prepared frame.
pub fn simulate(
    strategy: &Program,
    rules: &[Rule],
    frame: &Frame,
    capital: &Money,
    scripts: Option<&std::sync::Arc<crate::script::Scripts>>,
    cache: Option<&ColumnCache>,
) -> Result<Run, super::RunError> {
    let n = frame.len();
    let bars_per_day = bars_per_day(&frame.days);
    let mut plan = Plan::with_scripts(scripts.cloned());
    let scope = Scope {
        frame,
        program: strategy,
        subject: None,
        bars_per_day,
    };
    let rules: Vec<CompiledRule> = rules
        .iter()
        .enumerate()
        .map(|(i, rule)| {
            let fires = match &rule.schedule {
                Some(s) => firing(s, &frame.days),
                None => vec![true; n],
            };
            let guards = rule
                .guards
                .iter()
                .map(|g| (g.kind, plan.compile(&g.condition, &scope), false))
                .collect();
            let act = compile_action(&rule.action, &mut plan, &scope);
            CompiledRule {
                index: i + 1,
                fires,
                guards,
                act,
            }
        })
        .collect();
    let contributions: Vec<(Vec<bool>, &Money)> = strategy
        .contributions
        .iter()
        .map(|c| (firing(&c.schedule, &frame.days), &c.amount))
        .collect();
    let rate = strategy
        .currency
        .as_ref()
        .and_then(|c| frame.series_index(&c.rate_series))
        .map(|i| frame.series[i].1.as_slice());
    let expense: Vec<f64> = frame
        .symbols
        .iter()
        .map(|s| {
            strategy
                .expenses
                .iter()
                .find(|(sym, _, _)| sym == &s.name)
                .map_or(0.0, |(_, r, _)| *r)
        })
        .collect();
    let any_expense = expense.iter().any(|&e| e > 0.0);
    let costs = Costs {
        fee_rate: strategy.fee_rate,
        fee_per_trade: strategy.fee_per_trade,
        slippage: strategy.slippage,
        whole_shares: strategy.shares == ShareMode::Whole,
    };

    let mut engine = Engine {
        frame,
        pf: Portfolio::new(frame.symbols.len(), costs),
        trades: Vec::new(),
        counters: Counters::default(),
        rate,
    };
    let mut rules = rules;
    let mut pending: Vec<Order> = Vec::new();
    let mut waiting: Vec<Order> = Vec::new();
    let mut run = Run {
        days: frame.days.clone(),
        equity: Vec::with_capacity(n),
        flows: Vec::with_capacity(n),
        invested: Vec::with_capacity(n),
        trades: Vec::new(),
        counters: Counters::default(),
        fees_paid: 0.0,
        slippage_paid: 0.0,
        expense_drag: 0.0,
        traded_value: 0.0,
        base: None,
        risk_free: strategy
            .risk_free
            .as_ref()
            .and_then(|(name, _)| frame.series_index(name))
            .map(|i| frame.series[i].1.clone()),
        holdings: Vec::new(),
        cash: 0.0,
        bars_per_day,
    };
    let mut base_flows = Vec::with_capacity(if rate.is_some() { n } else { 0 });
    let (mut twr_index, mut twr_peak, mut prev_equity) = (1.0f64, 1.0f64, 0.0f64);
    let mut expense_drag = 0.0;

    let names = cache.map(|c| c.names(&plan.keys, &plan.nodes));
    let cache = cache.zip(names.as_deref());
    let live = plan.has_live_slots();
    let mut block_start = 0;
    while block_start < n {
        let block_end = (block_start + BLOCK).min(n);
        let block = plan.fill_block(frame, block_start..block_end, cache);
        let view = block.view();
        for t in block_start..block_end {
            // 1. expenses
            if any_expense && t > 0 {
                let dt = (frame.days[t] - frame.days[t - 1]) as f64;
                for (s, &er) in expense.iter().enumerate() {
                    let q = engine.pf.shares[s];
                    if er > 0.0 && q > 0.0 {
                        let factor = er * dt / 365.0;
                        let price = frame.symbols[s].close[t - 1];
                        expense_drag += q * factor * if price.is_nan() { 0.0 } else { price };
                        engine.pf.shares[s] = q * (1.0 - factor);
                    }
                }
            }
            // 2. contributions (capital on the first bar)
            let mut flow_usd = 0.0;
            let mut flow_base = 0.0;
            let credit = |m: &Money, engine: &mut Engine, usd: &mut f64, base: &mut f64| match engine.to_usd(m, t) {
                Some(v) => {
                    *usd += v;
                    if let Some(r) = engine.rate {
                        *base += if m.is_usd() { v * r[t] } else { m.amount };
                    }
                }
                None => engine.counters.contributions_skipped += 1,
            };
            if t == 0 && capital.amount > 0.0 {
                credit(capital, &mut engine, &mut flow_usd, &mut flow_base);
            }
            for (fires, amount) in &contributions {
                if fires[t] {
                    credit(amount, &mut engine, &mut flow_usd, &mut flow_base);
                }
            }
            engine.pf.cash += flow_usd;
            // 3. yesterday's orders at today's open
            if !pending.is_empty() {
                // Two buffers swapped, so carrying orders over allocates nothing.
                std::mem::swap(&mut pending, &mut waiting);
                for order in waiting.drain(..) {
                    if !engine.execute(&order, t, true) {
                        pending.push(order);
                    }
                }
            }
            // 4. values at the close
            let close_value = |engine: &Engine| engine.pf.value(|s| frame.symbols[s].close[t]);
            let equity = close_value(&engine);
            let denominator = prev_equity + flow_usd;
            if denominator > 0.0 {
                twr_index *= equity / denominator;
            }
            twr_peak = twr_peak.max(twr_index);
            let pf_view = PortfolioView {
                cash: engine.pf.cash,
                equity,
                drawdown: 1.0 - twr_index / twr_peak,
            };
            if live {
                plan.step(t, frame, &engine.pf.shares, pf_view, &view);
            }
            if let Some(e) = plan.error_at(t) {
                return Err(Box::new(e).into());
            }
            // 5. rules
            for rule in &mut rules {
                if !rule.fires[t] {
                    continue;
                }
                let mut pass = true;
                for (kind, slot, prev) in &mut rule.guards {
                    let v = view.value(*slot, t, &plan.values);
                    let holds = !v.is_nan() && v != 0.0;
                    if v.is_nan() {
                        engine.counters.guards_not_available += 1;
                    }
                    pass &= match kind {
                        GuardKind::While | GuardKind::If => holds,
                        GuardKind::Unless => !v.is_nan() && v == 0.0,
                        GuardKind::When => holds && !*prev,
                    };
                    *prev = holds;
                }
                if !pass {
                    continue;
                }
                let Some(order) = engine.decide(rule, &|slot| view.value(slot, t, &plan.values), t, equity) else {
                    continue;
                };
                engine.counters.orders += 1;
                match strategy.fill {
                    FillModel::Close => {
                        engine.execute(&order, t, false);
                    }
                    FillModel::NextOpen => pending.push(order),
                }
            }
            // 6. record
            let invested = engine.pf.invested(|s| frame.symbols[s].close[t]);
            let equity = engine.pf.cash + invested;
            run.equity.push(equity);
            run.flows.push(flow_usd);
            run.invested.push(invested);
            if engine.rate.is_some() {
                base_flows.push(flow_base);
            }
            prev_equity = equity;
        }
        block_start = block_end;
    }

    engine.counters.pending_at_end = pending.len();
    if let (Some(r), Some(c)) = (rate, &strategy.currency) {
        run.base = Some(BaseCurve {
            code: c.code.clone(),
            equity: run.equity.iter().zip(r).map(|(e, r)| e * r).collect(),
            flows: base_flows,
        });
    }
    let last = n.saturating_sub(1);
    run.holdings = frame
        .symbols
        .iter()
        .enumerate()
        .filter(|(s, _)| engine.pf.shares[*s] != 0.0)
        .map(|(s, c)| (c.name.clone(), engine.pf.shares[s], engine.pf.shares[s] * c.close[last]))
        .collect();
    run.cash = engine.pf.cash;
    run.fees_paid = engine.pf.fees_paid;
    run.slippage_paid = engine.pf.slippage_paid;
    run.traded_value = engine.pf.traded_value;
    run.expense_drag = expense_drag;
    run.trades = engine.trades;
    run.counters = engine.counters;
    Ok(run)
}

fn compile_action(action: &Action, plan: &mut Plan, scope: &Scope) -> Act {
    let sym = |name: &str| scope.frame.symbol_index(name).expect("traded symbols are in the frame");
    match action {
        Action::Trade { buy, symbol, size } => Act::Trade {
            buy: *buy,
            sym: sym(symbol),
            size: *size,
        },
        Action::Rebalance { targets, tolerance } => Act::Rebalance {
            targets: targets.iter().map(|(s, w)| (sym(s), *w)).collect(),
            tolerance: *tolerance,
        },
        Action::Rotate { top, n, candidates, by } => {
            let candidates = candidates
                .iter()
                .map(|c| {
                    let sub = Scope {
                        subject: Some(c),
                        ..*scope
                    };
                    (sym(c), plan.compile(by, &sub))
                })
                .collect();
            Act::Rotate {
                top: *top,
                n: *n,
                candidates,
            }
        }
    }
}

/// Bars per trading day: 1 for daily data, more for intraday bars.
fn bars_per_day(days: &[i32]) -> f64 {
    let mut distinct = days.to_vec();
    distinct.dedup();
    if distinct.is_empty() {
        1.0
    } else {
        (days.len() as f64 / distinct.len() as f64).round().max(1.0)
    }
}

struct Engine<'f> {
    frame: &'f Frame<'f>,
    pf: Portfolio,
    trades: Vec<Trade>,
    counters: Counters,
    rate: Option<&'f [f64]>,
}

impl Engine<'_> {
    fn to_usd(&self, m: &Money, t: usize) -> Option<f64> {
        if m.is_usd() {
            return Some(m.amount);
        }
        let r = self.rate?[t];
        (r > 0.0).then(|| m.amount / r)
    }

    /// An amount in USD, or in the base currency converted at the day's rate.
    fn usd(&self, amount: f64, base: bool, t: usize) -> f64 {
        if base {
            self.rate.map_or(f64::NAN, |r| amount / r[t])
        } else {
            amount
        }
    }

    fn listed(&self, sym: usize, t: usize) -> bool {
        self.frame.symbols[sym].first.is_some_and(|f| f <= t)
    }

    /// Turns a rule that fired into an order, or nothing.
    fn decide(&mut self, rule: &CompiledRule, value: &dyn Fn(usize) -> f64, t: usize, equity: f64) -> Option<Order> {
        let kind = match &rule.act {
            Act::Trade { buy, sym, size } => {
                if !self.listed(*sym, t) {
                    self.counters.skipped_not_listed += 1;
                    return None;
                }
                if *buy {
                    OrderKind::Buy(*sym, *size)
                } else {
                    OrderKind::Sell(*sym, *size)
                }
            }
            Act::Rebalance { targets, tolerance } => {
                if targets.iter().any(|(s, _)| !self.listed(*s, t)) {
                    self.counters.skipped_not_listed += 1;
                    return None;
                }
                if *tolerance > 0.0 && equity > 0.0 {
                    let weight = |s: usize| self.pf.shares[s] * self.frame.symbols[s].close[t] / equity;
                    let drift = targets
                        .iter()
                        .map(|(s, w)| (weight(*s) - w).abs())
                        .chain(
                            (0..self.pf.shares.len())
                                .filter(|s| self.pf.shares[*s] != 0.0 && !targets.iter().any(|(x, _)| x == s))
                                .map(weight),
                        )
                        .fold(0.0, f64::max);
                    if drift <= *tolerance {
                        return None;
                    }
                }
                OrderKind::Target {
                    weights: targets.clone(),
                    sell_others: true,
                }
            }
            Act::Rotate { top, n, candidates } => {
                let mut ranked: Vec<(usize, f64, usize)> = candidates
                    .iter()
                    .enumerate()
                    .filter(|(_, (s, _))| self.listed(*s, t))
                    .map(|(i, (s, slot))| (*s, value(*slot), i))
                    .filter(|(_, v, _)| !v.is_nan())
                    .collect();
                if ranked.is_empty() {
                    return None;
                }
                // Best first; ties keep the order the candidates were listed in.
                ranked.sort_by(|a, b| {
                    let ord = if *top { b.1.total_cmp(&a.1) } else { a.1.total_cmp(&b.1) };
                    ord.then(a.2.cmp(&b.2))
                });
                let chosen: Vec<usize> = ranked.iter().take(*n).map(|r| r.0).collect();
                let w = 1.0 / *n as f64;
                let weights = candidates
                    .iter()
                    .map(|(s, _)| (*s, if chosen.contains(s) { w } else { 0.0 }))
                    .collect();
                OrderKind::Target {
                    weights,
                    sell_others: false,
                }
            }
        };
        Some(Order { rule: rule.index, kind })
    }

    /// Fills an order at today's open (or close). Returns false if it must wait: the
    /// symbol has no price today.
    fn execute(&mut self, order: &Order, t: usize, at_open: bool) -> bool {
        let frame = self.frame;
        let price = |s: usize| {
            let c = &frame.symbols[s];
            if at_open { c.open[t] } else { c.close[t] }
        };
        match &order.kind {
            OrderKind::Buy(s, size) | OrderKind::Sell(s, size) => {
                let p = price(*s);
                if p.is_nan() {
                    return false;
                }
                let buy = matches!(order.kind, OrderKind::Buy(..));
                // Only sizes in a fraction of the portfolio need its value.
                let equity = || self.pf.value(|x| mark(frame, x, t, at_open));
                let outcome = if buy {
                    match *size {
                        Size::All => self.pf.buy_value(*s, self.pf.cash, p),
                        Size::Money { amount, base } => self.pf.buy_value(*s, self.usd(amount, base, t), p),
                        Size::Shares(q) => self.pf.buy_shares(*s, q, p),
                        Size::Fraction(f, FractionBase::Cash) => self.pf.buy_value(*s, f * self.pf.cash, p),
                        Size::Fraction(f, FractionBase::Equity) => {
                            let value = f * equity();
                            self.pf.buy_value(*s, value, p)
                        }
                        Size::Fraction(f, FractionBase::Position) => self.pf.buy_shares(*s, f * self.pf.shares[*s], p),
                    }
                } else {
                    let held = self.pf.shares[*s];
                    let q = match *size {
                        Size::All => held,
                        Size::Money { amount, base } => self.usd(amount, base, t) / p,
                        Size::Shares(q) => q,
                        Size::Fraction(f, FractionBase::Position) => f * held,
                        Size::Fraction(f, FractionBase::Equity) => f * equity() / p,
                        Size::Fraction(f, FractionBase::Cash) => f * self.pf.cash / p,
                    };
                    self.pf.sell_shares(*s, q, p)
                };
                self.record(order.rule, *s, buy, outcome, t, true);
            }
            OrderKind::Target { weights, sell_others } => {
                let equity = self.pf.value(|x| mark(frame, x, t, at_open));
                let mut legs: Vec<(usize, f64)> = weights.clone();
                if *sell_others {
                    for s in 0..self.pf.shares.len() {
                        if self.pf.shares[s] != 0.0 && !legs.iter().any(|(x, _)| *x == s) {
                            legs.push((s, 0.0));
                        }
                    }
                }
                // Sells first, so their cash pays for the buys.
                for (s, w) in &legs {
                    let p = price(*s);
                    if p.is_nan() {
                        continue;
                    }
                    let excess = self.pf.shares[*s] - w * equity / p;
                    if excess > 1e-9 {
                        let outcome = self.pf.sell_shares(*s, excess, p);
                        self.record(order.rule, *s, false, outcome, t, false);
                    }
                }
                for (s, w) in &legs {
                    let p = price(*s);
                    if p.is_nan() {
                        continue;
                    }
                    let short = w * equity - self.pf.shares[*s] * p;
                    if short > 1e-9 * equity.max(1.0) {
                        let outcome = self.pf.buy_value(*s, short, p);
                        self.record(order.rule, *s, true, outcome, t, false);
                    }
                }
            }
        }
        true
    }

    fn record(
        &mut self,
        rule: usize,
        s: usize,
        buy: bool,
        (outcome, fill): (FillOutcome, Option<(f64, f64)>),
        t: usize,
        count_shrunk: bool,
    ) {
        match (outcome, fill) {
            (FillOutcome::Nothing, _) | (_, None) => self.counters.empty_orders += 1,
            (outcome, Some((shares, price))) => {
                if outcome == FillOutcome::Shrunk && count_shrunk {
                    self.counters.shrunk_orders += 1;
                }
                self.counters.trades += 1;
                let value = shares * price;
                self.trades.push(Trade {
                    date: crate::civil::iso(self.frame.days[t]),
                    symbol: self.frame.symbols[s].name.clone(),
                    side: if buy { "buy" } else { "sell" },
                    shares,
                    price,
                    value,
                    fee: self.pf.fee(value),
                    rule,
                });
            }
        }
    }
}

/// A symbol's mark for valuing the portfolio at a fill: the fill price if it trades now,
/// else its last close.
fn mark(frame: &Frame, s: usize, t: usize, at_open: bool) -> f64 {
    let c = &frame.symbols[s];
    let p = if at_open { c.open[t] } else { c.close[t] };
    if p.is_nan() {
        if t > 0 { c.close[t - 1] } else { f64::NAN }
    } else {
        p
    }
}
