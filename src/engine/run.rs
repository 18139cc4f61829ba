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

use super::action::{Act, Engine, Order, compile_action};
use super::columns::{BLOCK, ColumnCache};
use super::compile::Scope;
use super::frame::Frame;
use super::plan::{Plan, PortfolioView};
use super::portfolio::{Costs, Portfolio, Trade};
use super::schedule::firing;
use crate::check::{FillModel, GuardKind, Money, Program, Rule, ShareMode};

pub(super) struct CompiledRule {
    pub(super) index: usize,
    fires: Vec<bool>,
    /// Kind, slot, and whether the condition held at the previous scheduled check.
    guards: Vec<(GuardKind, usize, bool)>,
    pub(super) act: Act,
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
