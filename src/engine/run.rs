//! The backtest loop.
//!
//! Each trading day, in this order:
//! 1. fund expenses accrue on held positions (for the days since the previous bar);
//!    dividends whose ex-date this is are paid on the shares held at the previous close
//!    (with `dividends cash`);
//! 2. scheduled contributions are credited; with `delisted sell`, holdings whose symbol
//!    has stopped trading are sold at their last close;
//! 3. orders decided on the previous day fill at today's open (`fill next open`);
//! 4. every expression slot is evaluated on today's close;
//! 5. with `reinvest dividends`, today's dividends are orders to buy their symbols; then
//!    the rules run in file order: a rule whose schedule fires and whose guards pass
//!    places an order (filled at once at today's close with `fill close`);
//! 6. withdrawals due today are paid at the close (engine/withdraw.rs);
//! 7. the portfolio is valued at today's close.

use std::ops::Range;
use std::sync::Arc;

use super::action::{Act, Engine, Order, OrderKind, compile_action};
use super::assumption::Assumption;
use super::clock;
use super::columns::{BLOCK, BlockView, ColumnCache};
use super::compile::Scope;
use super::counters::Counters;
use super::dates::Dates;
use super::delisted::Delisting;
use super::exits::Exits;
use super::firings::Firings;
use super::flows::Flows;
use super::frame::{Frame, date_of};
use super::frequency::{Frequency, Inferred};
use super::ledger::{self, Keep};
use super::nothing::Quiet;
use super::plan::{Held, Plan, PortfolioView};
use super::portfolio::{self, Costs, Portfolio, Trade};
use super::position::Positions;
use super::schedule::{PassedOver, firing, passed_over};
use super::trace::{Detail, Recorder, Trace};
use crate::check::{
    CooldownPeriod, Delisted, FillModel, GuardKind, Money, Program, Rule, ScheduleKind, ShareMode, Size, Withdrawal,
    WithdrawalAmount,
};
use crate::report::ranked::{Ranked, RankedFold};
use crate::source::Span;

/// The bars a rule's schedule fires on: every bar of the period (no schedule, or `every
/// bar`), kept as no flags at all, or a flag for every bar of the frame. Every-bar rules
/// on 500,000 minute bars would otherwise keep half a megabyte of `true` each.
enum Fires {
    Every,
    On(Arc<[bool]>),
}

impl Fires {
    /// The flags of a schedule ([`schedule`]); `None` for a rule without one. With
    /// `firings`, the flags are worked out once for all the runs on the frame.
    fn of(kind: Option<&ScheduleKind>, frame: &Frame, start: usize, firings: Option<&Firings>) -> Fires {
        match kind {
            None | Some(ScheduleKind::EveryBar) => Fires::Every,
            Some(kind) => {
                let work_out = || schedule(kind, frame, start);
                Fires::On(match firings {
                    Some(firings) => firings.of(Some(kind), start, work_out),
                    None => work_out().into(),
                })
            }
        }
    }

    /// Whether it fires on bar `t`, a bar of the period.
    #[inline]
    fn at(&self, t: usize) -> bool {
        match self {
            Fires::Every => true,
            Fires::On(flags) => flags[t],
        }
    }
}

struct CompiledRule {
    index: usize,
    /// `at most once per …`
    cooldown: Option<CooldownPeriod>,
    /// The bars the rule's schedule fires on (flags shared by the runs on a shared frame).
    fires: Fires,
    /// Kind, slot, and whether the condition held at the previous scheduled check.
    guards: Vec<(GuardKind, usize, bool)>,
    act: Act,
    /// Whether every guard reads data slots only (none reads the portfolio): then whether
    /// the rule fires and passes its guards is worked out a block at a time
    /// ([`CompiledRule::gate`]), not bar by bar.
    gated: bool,
    /// With `gated`: for each bar of the current block from `open_from` on, whether the
    /// rule fires and its guards pass.
    open: Vec<bool>,
    open_from: usize,
}

impl CompiledRule {
    fn new(index: usize, cooldown: Option<CooldownPeriod>, fires: Fires, act: Act) -> CompiledRule {
        CompiledRule {
            index,
            cooldown,
            fires,
            guards: Vec::new(),
            act,
            gated: true,
            open: Vec::new(),
            open_from: 0,
        }
    }

    /// Whether the rule fires on bar `t` and its guards pass there (`value` reads a slot
    /// at `t`); each guard is evaluated on every bar the rule fires, and one that is not
    /// available is counted.
    fn passes(&mut self, t: usize, value: &impl Fn(usize) -> f64, counters: &mut Counters) -> bool {
        if self.gated {
            return self.open[t - self.open_from];
        }
        if !self.fires.at(t) {
            return false;
        }
        let mut pass = true;
        for (kind, slot, prev) in &mut self.guards {
            pass &= guard(*kind, value(*slot), prev, counters);
        }
        pass
    }

    /// With `gated`, works out [`Self::passes`] for the bars `bars` of a block, a guard at
    /// a time over its column: each guard sees the bars the rule fires on in order, as bar
    /// by bar, and the count of guards not available is the same sum.
    fn gate(&mut self, bars: Range<usize>, view: &BlockView, values: &[f64], counters: &mut Counters) {
        let CompiledRule {
            fires,
            guards,
            open,
            open_from,
            ..
        } = self;
        *open_from = bars.start;
        open.clear();
        match fires {
            Fires::Every => open.resize(bars.len(), true),
            Fires::On(flags) => open.extend_from_slice(&flags[bars.clone()]),
        }
        for (kind, slot, prev) in guards {
            // The guard's values on these bars: its column from the block, or a constant.
            let column = view.column(*slot).map(|c| &c[bars.start - view.start()..]);
            let constant = values[*slot];
            let value = |k: usize| match column {
                Some(c) => c[k],
                None => constant,
            };
            match fires {
                Fires::Every => gate_guard(open, std::iter::repeat(true), value, *kind, prev, counters),
                Fires::On(flags) => {
                    let fired = flags[bars.clone()].iter().copied();
                    gate_guard(open, fired, value, *kind, prev, counters)
                }
            }
        }
    }
}

/// One guard of [`CompiledRule::gate`] over a block's bars: on each bar the rule fires on
/// (`fired`, in step with `open`), the guard on its value there (`value` of the bar's
/// offset in `open`) narrows `open`.
#[inline(always)]
fn gate_guard(
    open: &mut [bool],
    fired: impl Iterator<Item = bool>,
    value: impl Fn(usize) -> f64,
    kind: GuardKind,
    prev: &mut bool,
    counters: &mut Counters,
) {
    for (k, (pass, fire)) in open.iter_mut().zip(fired).enumerate() {
        if fire {
            *pass &= guard(kind, value(k), prev, counters);
        }
    }
}

/// Whether a guard of `kind` passes on a bar where its condition is `v`, after it held
/// (`prev`) or not on the rule's previous firing; records whether it holds now, and counts
/// a condition that is not available.
#[inline(always)]
fn guard(kind: GuardKind, v: f64, prev: &mut bool, counters: &mut Counters) -> bool {
    let holds = !v.is_nan() && v != 0.0;
    if v.is_nan() {
        counters.guards_not_available += 1;
    }
    let pass = match kind {
        GuardKind::While | GuardKind::If => holds,
        GuardKind::Unless => !v.is_nan() && v == 0.0,
        GuardKind::When => holds && !*prev,
    };
    *prev = holds;
    pass
}

/// One run's record. Money is in US dollars unless a field says otherwise. The curves
/// (`days`, `equity`, `flows`, `invested`) have one entry a bar and are shared, not copied,
/// with the report that draws them.
#[derive(Clone, Debug)]
pub struct Run {
    /// Each bar's date, in days since 1970-01-01 (intraday bars of one day share it).
    pub days: Arc<Vec<i32>>,
    /// Each bar's timestamp, seconds since 1970 (exchange local time), and how finely the
    /// data gives them: what the equity file and trade dates are written with.
    pub ts: Arc<Vec<i64>>,
    pub resolution: crate::data::Resolution,
    /// The portfolio's value at each bar's close, after the bar's orders and cash flows:
    /// cash plus holdings at their closes, USD.
    pub equity: Arc<Vec<f64>>,
    /// Cash put in on each bar (the starting capital on the first, contributions on theirs),
    /// less what withdrawals took out, USD; 0 on most bars.
    pub flows: Arc<Flows>,
    /// The part of each bar's flow that moved at its close, USD: withdrawals (negative) and
    /// tax the investor paid in from outside at the day's end; the rest arrived before the
    /// open (what the time-weighted returns tell apart, report/returns.rs). Empty when the
    /// program has neither withdrawals nor a tax rule, so nothing can move at a close.
    pub closing: Arc<Vec<f64>>,
    /// The market value of the holdings at each bar's close, USD (`equity` less cash).
    pub invested: Arc<Vec<f64>>,
    /// Every fill, in order; shared, not copied, with the report.
    pub trades: Arc<Vec<Trade>>,
    /// The prices of the fills of listings priced in the base currency (`priced in KRW`)
    /// in that currency; empty without them.
    pub listed: Vec<super::portfolio::ListedPrice>,
    pub counters: Counters,
    /// Trading fees paid, USD.
    pub fees_paid: f64,
    /// What slippage cost, USD.
    pub slippage_paid: f64,
    /// Fund expenses taken from held value, USD.
    pub expense_drag: f64,
    /// The value of everything bought and sold, USD.
    pub traded_value: f64,
    /// The same record in the base currency, when the strategy declares one.
    pub base: Option<BaseCurve>,
    /// Risk-free rate per bar (annual percent), if named.
    pub risk_free: Option<Vec<f64>>,
    /// Holdings at the end: symbol, shares, value (USD).
    pub holdings: Vec<(String, f64, f64)>,
    /// Cash at the end, USD.
    pub cash: f64,
    /// Holdings whose symbol stopped trading: sold at their last close (`delisted sell`), or
    /// carried at it to the end.
    pub delisted: Vec<Delisting>,
    /// How often the bars come: bars per trading day (1 for daily data) and per year
    /// (what the report annualises with; `bars per year N` sets it).
    pub frequency: Frequency,
    /// Holdings, closes and traced terms bar by bar, when the run was asked to record them
    /// ([`Trace`]; for `--report`).
    pub detail: Option<Arc<Detail>>,
    /// What compiling the program found that the report must say: windows and look-backs
    /// longer than the data ([`Assumption::LongerThanData`]).
    pub found: Vec<Assumption>,
    /// Interest, lots and gains, taxes and FX costs (src/money/).
    pub money: crate::money::MoneyRecord,
    /// Each sleeve's values, flows and holdings (the part outside the sleeves first); empty
    /// without sleeves (engine/sleeves.rs).
    pub sleeves: Vec<super::SleeveRun>,
    /// The figures a sweep ranks by, folded bar by bar in the loop when the run was asked
    /// to ([`Aids::fold`]); then, in release builds, `equity`, `flows` and `invested` are
    /// empty (the ranking reads nothing else of them).
    pub ranked: Option<Ranked>,
}

/// `equity` and `flows` of a [`Run`] in the base currency (`currency KRW using usdkrw`):
/// equity at each bar's rate, contributions as they were made.
#[derive(Clone, Debug)]
pub struct BaseCurve {
    /// The currency's code, such as `KRW`.
    pub code: String,
    pub equity: Vec<f64>,
    pub flows: Flows,
    /// The part of `flows` that moved at the bar's close (as [`Run::closing`]).
    pub closing: Vec<f64>,
}

/// What a run trades: a program's rules, or the benchmark.
#[derive(Clone, Copy, Debug)]
pub enum Rules<'r> {
    Program(&'r [Rule]),
    /// `benchmark SYM`: each cash flow invested in SYM at the first fill a rule could make
    /// after it arrives (see [`super::action::Act::Invest`]).
    Benchmark(&'r str),
}

/// What a run may use beside its rules, all optional: the strategy's scripts, a sweep's
/// shared column cache, what to record bar by bar for the report, and whether to leave
/// its trades unwritten.
#[derive(Clone, Copy, Default)]
pub struct Aids<'a> {
    pub scripts: Option<&'a Arc<crate::script::Scripts>>,
    pub cache: Option<&'a ColumnCache>,
    pub trace: Option<&'a Trace>,
    /// Fills are counted ([`Counters::trades`]) but not written down as trades
    /// ([`Run::trades`] is empty): a sweep's variant shows only their number.
    pub lean: bool,
    /// The bar frequencies already inferred from the frame's dates, shared with other runs
    /// on the same frame.
    pub frequency: Option<&'a Inferred>,
    /// The period's dates already copied out of the frame, shared with other runs on it.
    pub dates: Option<&'a Dates>,
    /// The ranked figures are folded in the loop ([`Run::ranked`]) and, in release builds,
    /// the curves not kept: a sweep's variant, whose table shows only those figures. (Debug
    /// builds keep the curves all the same, for the invariants to check and the figures to
    /// be compared with those of the whole curve.) Without a tax rule, fills are not booked
    /// into lots either, so [`Run::money`] has no realized or unrealized gains.
    pub fold: bool,
    /// The rules' schedules already worked out on the frame, shared with other runs on it.
    pub firings: Option<&'a Firings>,
}

/// Runs `rules` of a checked program over a prepared frame, with the account from bar
/// `start` on: the bars before it are warm-up, seen by indicators only. With a trace in
/// `aids`, records what it asks for bar by bar ([`Run::detail`]).
pub fn simulate(
    program: &Program,
    rules: Rules,
    frame: &Frame,
    start: usize,
    capital: &Money,
    aids: Aids,
) -> Result<Run, super::RunError> {
    let Aids {
        scripts,
        cache,
        trace,
        lean,
        frequency: inferred,
        dates,
        fold,
        firings,
    } = aids;
    let n = frame.len();
    let (frequency, bars) = match inferred {
        Some(inferred) => inferred.of(&frame.days, start, program.bars_per_year),
        None => Inferred::default().of(&frame.days, start, program.bars_per_year),
    };
    // A fresh count of the scripts' budget for each run.
    let mut plan = Plan::with_scripts(scripts.map(|s| Arc::new(s.for_run())));
    let scope = Scope {
        frame,
        program,
        subject: None,
        bars,
    };
    let benchmark = matches!(rules, Rules::Benchmark(_));
    let mut rules = match rules {
        Rules::Program(rules) => {
            let mut first_duration = None;
            let compiled = compile_rules(rules, &mut plan, &scope, start, firings, &mut first_duration);
            if let (Some(change), Some(span)) = (scope.bars.change, first_duration) {
                return Err(super::RunError::MixedSpacing {
                    change: change.describe(),
                    later: crate::civil::iso(change.second.1 + 1),
                    span,
                });
            }
            compiled
        }
        Rules::Benchmark(sym) => vec![CompiledRule::new(
            0,
            None,
            Fires::Every,
            Act::Invest(frame.symbol_index(sym).expect("the benchmark is in the frame")),
        )],
    };
    let mut recorder = trace.map(|t| Recorder::new(t, &mut plan, &scope));
    let mut run = Loop::new(program, frame, start, capital);
    if fold {
        run.fold_ranked(frequency.bars_per_year);
    }
    // The benchmark invests all its cash on every bar: its dividends need no order of their own.
    run.reinvest &= !benchmark;
    // The benchmark is one account: its only rule is no sleeve's.
    if benchmark {
        run.engine.sleeves = None;
        run.sleeves = false;
    }
    run.engine.last_traded = vec![None; rules.len() + 1];
    // The benchmark has no exits: it is bought and held.
    let mut exits = match rules.first() {
        Some(r) if r.index > 0 => Exits::new(program, frame),
        _ => None,
    };
    let names = cache.map(|c| c.names(&plan.keys, &plan.nodes));
    let cache = cache.zip(names.as_deref());
    let live = plan.has_live_slots();
    // A run without live slots, exits, a trace or the features `Loop::plain` lists does
    // only the steps every run has on each bar: decided once, not asked bar by bar.
    let plain = run.plain() && !live && exits.is_none() && recorder.is_none();
    // Whether a bar after the first can have money to credit.
    let credits = !program.contributions.is_empty();
    let mut block_start = 0;
    while block_start < n {
        let block_end = (block_start + BLOCK).min(n);
        // Blocks before the period are warm-up: their data slots are computed (indicators
        // carry their state into the period), the account does nothing.
        let block = plan.fill_block(frame, block_start..block_end, cache);
        let view = block.view();
        // Empty in a block of warm-up (before `start`).
        let bars = block_start.max(start).min(block_end)..block_end;
        for rule in rules.iter_mut().filter(|r| r.gated) {
            rule.gate(bars.clone(), &view, &plan.values, &mut run.engine.counters);
        }
        for t in bars {
            if plain {
                // The steps every run has, in the order below.
                let flow = if t == start || credits {
                    run.credit_contributions(t)
                } else {
                    run.credit_nothing()
                };
                if program.fill == FillModel::NextOpen {
                    run.fill_pending(t, true);
                }
                if let Some(e) = plan.error_at(t) {
                    return Err(Box::new(e).into());
                }
                if program.fill == FillModel::Close {
                    run.fill_pending(t, false);
                }
                for rule in &mut rules {
                    run.run_rule(rule, t, &|slot| view.value(slot, t, &plan.values));
                }
                run.record_value(t, &flow);
                continue;
            }
            run.accrue_expenses(t);
            run.pay_dividends(t);
            let mut flow = run.credit_contributions(t);
            if program.delisted == Delisted::Sell {
                run.engine.sell_delisted(t, &mut run.delisted);
            }
            if program.fill == FillModel::NextOpen {
                run.fill_pending(t, true);
            }
            // Only expressions read the portfolio at the close (`cash`, `drawdown`, …).
            if live {
                let pf = run.value_at_close(t, flow.usd);
                let held = Held {
                    shares: &run.engine.pf.shares,
                    positions: &run.engine.positions,
                };
                plan.step(t, frame, held, pf, &view);
            }
            if let Some(e) = plan.error_at(t) {
                return Err(Box::new(e).into());
            }
            if program.fill == FillModel::Close {
                run.fill_pending(t, false);
            }
            run.place_reinvestments(t);
            if let Some(exits) = &mut exits {
                run.exit(exits, t);
            }
            // Sleeves `rebalanced` today get their shares back before their rules run.
            if run.sleeves {
                run.engine.rebalance_sleeves(t);
            }
            for rule in &mut rules {
                run.run_rule(rule, t, &|slot| view.value(slot, t, &plan.values));
            }
            run.withdraw(t, &mut flow);
            run.record(t, flow);
            if let Some(r) = &mut recorder {
                r.bar(t, frame, &run.engine.pf.shares, &|slot| {
                    view.value(slot, t, &plan.values)
                });
            }
        }
        block_start = block_end;
    }
    let (days, ts) = dates.unwrap_or(&Dates::default()).of(frame, start);
    let mut out = run.finish(frequency, std::mem::take(&mut plan.found), lean, days, ts);
    out.detail = recorder.map(|r| Arc::new(r.finish(frame)));
    Ok(out)
}

/// The rules compiled into the plan, with the bars their schedules fire on (counted from
/// the period's first bar, `start`; from `firings` when given, which keeps those of the
/// frame's runs).
fn compile_rules(
    rules: &[Rule],
    plan: &mut Plan,
    scope: &Scope,
    start: usize,
    firings: Option<&Firings>,
    first_duration: &mut Option<Span>,
) -> Vec<CompiledRule> {
    let frame = scope.frame;
    rules
        .iter()
        .enumerate()
        .map(|(i, rule)| {
            let durations = plan.durations;
            let fires = Fires::of(rule.schedule.as_ref(), frame, start, firings);
            let guards: Vec<_> = rule
                .guards
                .iter()
                .map(|g| (g.kind, plan.compile(&g.condition, scope), false))
                .collect();
            let act = compile_action(&rule.action, plan, scope);
            // The rule whose terms (or the `let`s they read first) hold the first window
            // given as a duration: where a run on data whose spacing changes is refused.
            if plan.durations && !durations {
                *first_duration = Some(rule.span);
            }
            CompiledRule {
                gated: guards.iter().all(|&(_, slot, _)| !plan.live[slot]),
                guards,
                ..CompiledRule::new(i + 1, rule.cooldown, fires, act)
            }
        })
        .collect()
}

/// A flag for every bar of the frame: whether the schedule fires there. Schedules count the
/// period (from bar `start`) and none fires during the warm-up.
pub(super) fn schedule(kind: &ScheduleKind, frame: &Frame, start: usize) -> Vec<bool> {
    let period = clock::firing(kind, &frame.ts[start..]).unwrap_or_else(|| firing(kind, &frame.days[start..]));
    let mut fires = vec![false; start];
    fires.extend(period);
    fires
}

/// A contribution's extra credits by bar ([`late_credits`]).
type LateCredits = Option<Vec<u32>>;

/// How many more times than once a contribution on `kind` is credited on each bar it
/// fires on: once for each scheduled date it passed over where the data has no bar
/// ([`passed_over`]; a savings plan's money arrives whether the file has prices that month
/// or not, on the next bar). `None` on data without such a stretch.
fn late_credits(kind: &ScheduleKind, frame: &Frame, start: usize) -> LateCredits {
    let late = passed_over_from(kind, frame, start);
    if late.is_empty() {
        return None;
    }
    let mut extra = vec![0; frame.len()];
    for p in late {
        extra[p.bar] += p.extra;
    }
    Some(extra)
}

/// [`passed_over`] on the run's bars from `start`, with bar indices into the frame.
pub(super) fn passed_over_from(kind: &ScheduleKind, frame: &Frame, start: usize) -> Vec<PassedOver> {
    let mut late = passed_over(kind, &frame.days[start..]);
    for p in &mut late {
        p.bar += start;
    }
    late
}

/// Cash that came in on a bar: in USD, and in the base currency when there is one; and of
/// each, the part that moved at the bar's close (withdrawals, tax paid in from outside).
#[derive(Clone, Copy, Default)]
struct Flow {
    usd: f64,
    base: f64,
    close_usd: f64,
    close_base: f64,
}

/// The loop's state from one bar to the next, and one method for each step of a bar.
struct Loop<'a> {
    program: &'a Program,
    frame: &'a Frame<'a>,
    /// The period's first bar: the account exists from here.
    start: usize,
    capital: &'a Money,
    engine: Engine<'a>,
    /// The bars each contribution is credited on, how many more times on each where its
    /// schedule passed over dates without a bar (`None` without such a bar:
    /// [`passed_over`]), and its amount.
    contributions: Vec<(Vec<bool>, LateCredits, &'a Money)>,
    /// Contributions (or the capital) in the base currency due on a bar without a usable
    /// exchange rate, with the day each was due: credited on the next bar with one.
    owed: Vec<(&'a Money, i32)>,
    /// Each contribution that waited for a rate: the day it was due, the day it came in.
    waited: Vec<(i32, i32)>,
    /// Whether a listing priced in the base currency has a dividend on a bar without a rate
    /// ([`Frame::rateless_dividends`]); those dividends, gross in the base currency, with
    /// their symbol and ex-date, until a bar with a rate pays them; and each one paid so:
    /// its ex-date and the day it was paid.
    rateless_dividends: bool,
    dividends_owed: Vec<(usize, f64, i32)>,
    dividends_waited: Vec<(i32, i32)>,
    /// The bars each withdrawal is paid on (none before its `from` day), and what it takes.
    withdrawals: Vec<(Vec<bool>, &'a Withdrawal)>,
    /// Each symbol's yearly expense ratio (a fraction), if any symbol has one.
    expense: Option<Vec<f64>>,
    expense_drag: f64,
    /// Holdings sold because their symbol stopped trading (`delisted sell`).
    delisted: Vec<Delisting>,
    /// Orders waiting for the next open (or, with `fill close`, for their symbol's next
    /// row), and a second buffer to swap with.
    pending: Vec<Order>,
    waiting: Vec<Order>,
    /// The time-weighted value index, its peak so far, and the equity of the bar before.
    twr_index: f64,
    twr_peak: f64,
    prev_equity: f64,
    /// Whether `equity`, `flows` and `invested` are kept (all but a folded run in a
    /// release build).
    curves: bool,
    equity: Vec<f64>,
    flows: Flows,
    invested: Vec<f64>,
    base_flows: Flows,
    /// The ranked figures folded bar by bar ([`Aids::fold`]), with the risk-free rate
    /// series they read (the frame's, one entry a bar).
    fold: Option<RankedFold>,
    risk_free: Option<&'a [f64]>,
    /// The part of each bar's flow at its close, USD and base currency: kept only when the
    /// program can move money at a close (`closes`; see [`Run::closing`]).
    closes: bool,
    closing: Vec<f64>,
    base_closing: Vec<f64>,
    /// money: lots, interest on cash, tax (engine/ledger.rs).
    keep: Keep<'a>,
    /// Whether any symbol is paid dividends (`dividends cash` with dividend data).
    dividends: bool,
    /// `reinvest dividends` (not for the benchmark), and the buys of today's dividends.
    reinvest: bool,
    reinvestments: Vec<Order>,
    /// Whether cash and holdings change between bars only by fills (engine/nothing.rs).
    quiet: Quiet,
    /// Whether the run keeps sleeves' books: decided once, so a run without sleeves makes
    /// no per-bar call into engine/sleeves.rs.
    sleeves: bool,
}

impl<'a> Loop<'a> {
    fn new(program: &'a Program, frame: &'a Frame<'a>, start: usize, capital: &'a Money) -> Loop<'a> {
        let n = frame.len() - start;
        let contributions = program
            .contributions
            .iter()
            .map(|c| {
                let fires = schedule(&c.schedule, frame, start);
                (fires, late_credits(&c.schedule, frame, start), &c.amount)
            })
            .collect();
        let withdrawals = (program.withdrawals.iter())
            .map(|w| {
                let mut fires = schedule(&w.schedule, frame, start);
                if let Some(from) = w.from {
                    let first = super::frame::days_of(from);
                    for (f, d) in fires.iter_mut().zip(frame.days.iter()) {
                        *f &= *d >= first;
                    }
                }
                (fires, w)
            })
            .collect();
        let rate = program
            .currency
            .as_ref()
            .and_then(|c| frame.series_index(&c.rate_series))
            .map(|i| frame.series[i].1.as_slice());
        let expense: Vec<f64> = frame
            .symbols
            .iter()
            .map(|s| {
                let ratio = program.expenses.iter().find(|(sym, _, _)| sym == &s.name);
                ratio.map_or(0.0, |(_, r, _)| *r)
            })
            .collect();
        let dividends = frame.symbols.iter().any(|s| s.dividend.is_some());
        let closes = !program.withdrawals.is_empty() || program.money.tax.is_some();
        let quiet = Quiet(
            program.contributions.is_empty()
                && program.withdrawals.is_empty()
                && program.money.interest.is_none()
                && program.money.tax.is_none()
                && program.delisted != Delisted::Sell
                && !dividends,
        );
        let costs = Costs {
            fee_rate: program.fee_rate,
            fee_per_trade: program.fee_per_trade,
            slippage: program.slippage,
            whole_shares: program.shares == ShareMode::Whole,
        };
        Loop {
            program,
            frame,
            start,
            capital,
            engine: Engine {
                frame,
                pf: Portfolio::new(frame.symbols.len(), costs),
                trades: Vec::new(),
                counters: Counters::default(),
                rate,
                arrived: 0.0,
                positions: Positions::new(frame.symbols.len()),
                last_traded: Vec::new(),
                filling: 0,
                filling_waited: false,
                ledger: ledger::ledger(program, frame, rate.is_some()),
                book_lots: true,
                expenses: !program.expenses.is_empty(),
                sleeves: super::sleeves::Sleeves::new(program, frame, start),
            },
            sleeves: !program.sleeves.is_empty(),
            contributions,
            owed: Vec::new(),
            waited: Vec::new(),
            rateless_dividends: !frame.rateless_dividends.is_empty(),
            dividends_owed: Vec::new(),
            dividends_waited: Vec::new(),
            withdrawals,
            expense: expense.iter().any(|&e| e > 0.0).then_some(expense),
            expense_drag: 0.0,
            delisted: Vec::new(),
            pending: Vec::new(),
            waiting: Vec::new(),
            twr_index: 1.0,
            twr_peak: 1.0,
            prev_equity: 0.0,
            curves: true,
            equity: Vec::with_capacity(n),
            flows: Flows::new(),
            invested: Vec::with_capacity(n),
            base_flows: Flows::new(),
            closes,
            closing: Vec::with_capacity(if closes { n } else { 0 }),
            base_closing: Vec::with_capacity(if closes && rate.is_some() { n } else { 0 }),
            keep: Keep::new(program, frame),
            dividends,
            reinvest: program.money.dividends.is_some_and(|d| d.reinvest),
            reinvestments: Vec::new(),
            quiet,
            fold: None,
            risk_free: None,
        }
    }

    /// Folds the ranked figures of a curve of `bars_per_year` bars a year bar by bar
    /// instead of keeping the curve (which a debug build keeps all the same).
    fn fold_ranked(&mut self, bars_per_year: f64) {
        let frame = self.frame;
        self.risk_free = (self.program.risk_free.as_ref())
            .and_then(|(name, _)| frame.series_index(name))
            .map(|i| frame.series[i].1.as_slice());
        self.fold = Some(RankedFold::new(bars_per_year, self.risk_free.is_some()));
        // Without a tax rule a sale withholds nothing: the lots change no cash, and only
        // the money record, which a folded run does not show, reads them.
        self.engine.book_lots = self.program.money.tax.is_some();
        if !cfg!(debug_assertions) {
            self.curves = false;
            self.equity = Vec::new();
            self.flows = Flows::new();
            self.invested = Vec::new();
        }
    }

    /// Step 1, money: each dividend whose ex-date is bar `t` is paid on the shares held
    /// now, those of the previous close (fills of this bar come later: a position bought
    /// on the ex-date gets nothing, one sold on it keeps its dividend), less withholding
    /// (money/ledger.rs). Its amount is known on the ex-date: no look-ahead. With
    /// `reinvest dividends`, what it paid is an order to buy the same symbol.
    fn pay_dividends(&mut self, t: usize) {
        if !self.dividends {
            return;
        }
        let frame = self.frame;
        for (s, columns) in frame.symbols.iter().enumerate() {
            let Some((due, _)) = &columns.dividend else { continue };
            let shares = self.engine.pf.shares[s];
            if due[t] == 0.0 || shares <= 0.0 {
                continue;
            }
            let gross = shares * due[t];
            let rate = self.engine.rate.map(|r| r[t]);
            let net = gross - self.engine.ledger.dividend(frame.days[t], s, gross, rate);
            self.credit_dividend(s, net, t);
        }
        if self.rateless_dividends {
            self.pay_rateless_dividends(t);
        }
    }

    /// A dividend of symbol `s` credited on bar `t`, `net` of withholding (USD): to the
    /// cash and the symbol's sleeves and, with `reinvest dividends`, an order to buy the
    /// same symbol (rule 0, which has no cooldown).
    fn credit_dividend(&mut self, s: usize, net: f64, t: usize) {
        self.engine.pf.cash += net;
        self.engine.sleeves_dividend(s, net);
        if self.reinvest {
            self.reinvestments.push(Order {
                rule: 0,
                kind: OrderKind::Buy(
                    s,
                    Size::Money {
                        amount: net,
                        base: false,
                    },
                ),
                decided: t,
            });
        }
    }

    /// Step 1, with a listing priced in the base currency: a dividend whose ex-date `t` has
    /// no usable exchange rate is owed on the shares held now (in the base currency, as the
    /// listing paid it); what is owed is paid on the first bar with a rate, converted at
    /// that bar's rate (never an earlier one), less withholding, and reinvested like any
    /// other with `reinvest dividends`.
    fn pay_rateless_dividends(&mut self, t: usize) {
        let frame = self.frame;
        for &(s, bar, amount) in &frame.rateless_dividends {
            let shares = self.engine.pf.shares[s];
            if bar == t && shares > 0.0 {
                self.dividends_owed.push((s, shares * amount, frame.days[t]));
            }
        }
        let Some(rate) = self.engine.rate.map(|r| r[t]).filter(|r| *r > 0.0) else {
            return;
        };
        for (s, base, ex) in std::mem::take(&mut self.dividends_owed) {
            let gross = base / rate;
            let net = gross - self.engine.ledger.dividend(frame.days[t], s, gross, Some(rate));
            self.credit_dividend(s, net, t);
            self.dividends_waited.push((ex, frame.days[t]));
        }
    }

    /// Step 5, first: today's reinvested dividends are orders like a rule's, filled by
    /// the strategy's fill rule (at this close with `fill close`, else the next open), with
    /// its fees and its least order.
    fn place_reinvestments(&mut self, t: usize) {
        if self.reinvestments.is_empty() {
            return;
        }
        for order in std::mem::take(&mut self.reinvestments) {
            match self.program.fill {
                FillModel::Close => self.engine.execute(order, t, false, &mut self.pending),
                FillModel::NextOpen => self.pending.push(order),
            }
        }
    }

    /// Step 1: fund expenses accrue on held positions for the days since the bar before.
    fn accrue_expenses(&mut self, t: usize) {
        let (Some(expense), true) = (&self.expense, t > self.start) else {
            return;
        };
        let frame = self.frame;
        let dt = (frame.days[t] - frame.days[t - 1]) as f64;
        for (s, &er) in expense.iter().enumerate() {
            let q = self.engine.pf.shares[s];
            if er > 0.0 && q > 0.0 {
                let factor = er * dt / 365.0;
                let price = frame.symbols[s].close[t - 1];
                self.expense_drag += q * factor * if price.is_nan() { 0.0 } else { price };
                self.engine.pf.shares[s] = q * (1.0 - factor);
                self.engine.sleeves_scale(s, 1.0 - factor);
            }
        }
    }

    /// Step 2: scheduled contributions are credited (the capital on the first bar). One in
    /// the base currency on a bar without a usable exchange rate waits ([`Loop::owed`]) and
    /// is credited on the first later bar with one, at that bar's rate.
    fn credit_contributions(&mut self, t: usize) -> Flow {
        let mut flow = Flow::default();
        // Whether the amount could be converted (and so was credited).
        let credit = |m: &Money, engine: &mut Engine, flow: &mut Flow| match engine.to_usd(m, t) {
            Some(v) => {
                // money: the conversion pays the FX spread (money/fx.rs).
                let amount = if m.is_usd() { v } else { m.amount };
                let rate = engine.rate.map(|r| r[t]);
                let (usd, base) = engine.ledger.contribution(m.is_usd(), amount, rate);
                flow.usd += usd;
                flow.base += base;
                true
            }
            None => false,
        };
        let day = self.frame.days[t];
        if t == self.start && self.capital.amount > 0.0 && !credit(self.capital, &mut self.engine, &mut flow) {
            self.owed.push((self.capital, day));
        }
        // Money that waited for a rate comes in on the first bar with one, at its rate.
        if !self.owed.is_empty() && self.engine.rate.is_some_and(|r| r[t] > 0.0) {
            for (amount, due) in std::mem::take(&mut self.owed) {
                credit(amount, &mut self.engine, &mut flow);
                self.waited.push((due, day));
            }
        }
        for (fires, late, amount) in &self.contributions {
            if fires[t] {
                for _ in 0..1 + late.as_ref().map_or(0, |late| late[t]) {
                    if !credit(amount, &mut self.engine, &mut flow) {
                        self.owed.push((amount, day));
                    }
                }
            }
        }
        self.engine.pf.cash += flow.usd;
        if self.sleeves {
            self.engine.sleeves_credit(flow.usd);
        }
        self.engine.arrived = flow.usd;
        flow
    }

    /// Step 2 on a bar with nothing to credit (after the first, without contributions, in
    /// a run without sleeves): what [`Self::credit_contributions`] does there, without
    /// looking.
    fn credit_nothing(&mut self) -> Flow {
        // The zero credited is added all the same: it keeps cash to the bit (-0 becomes 0).
        self.engine.pf.cash += 0.0;
        self.engine.arrived = 0.0;
        Flow::default()
    }

    /// Step 3: orders decided on the bar before fill at this bar's open; with `fill close`,
    /// orders that waited for a row fill at this bar's close, before the rules run. What
    /// still has no row waits on, keeping its place.
    fn fill_pending(&mut self, t: usize, at_open: bool) {
        if self.pending.is_empty() {
            return;
        }
        // Two buffers swapped, so carrying orders over allocates nothing.
        std::mem::swap(&mut self.pending, &mut self.waiting);
        for order in self.waiting.drain(..) {
            self.engine.execute(order, t, at_open, &mut self.pending);
        }
    }

    /// Step 4: the portfolio at the close, as expressions read it.
    fn value_at_close(&mut self, t: usize, flow_usd: f64) -> PortfolioView {
        let frame = self.frame;
        let equity = self.engine.pf.value(|s| frame.symbols[s].close[t]);
        let denominator = self.prev_equity + flow_usd;
        if denominator > 0.0 {
            self.twr_index *= equity / denominator;
        }
        self.twr_peak = self.twr_peak.max(self.twr_index);
        PortfolioView {
            cash: self.engine.pf.cash,
            equity,
            drawdown: 1.0 - self.twr_index / self.twr_peak,
        }
    }

    /// Step 5: a rule whose schedule fires and whose guards pass places an order: filled at once
    /// with `fill close` (what has no row waits for the next), at the next open otherwise.
    /// `value` reads a slot at this bar.
    fn run_rule(&mut self, rule: &mut CompiledRule, t: usize, value: &impl Fn(usize) -> f64) {
        if !rule.passes(t, value, &mut self.engine.counters) {
            return;
        }
        if let Some(period) = rule.cooldown
            && self.cooling(rule.index, period, t)
        {
            self.engine.counters.cooldown_skipped += 1;
            return;
        }
        let queued = (self.program.fill == FillModel::NextOpen).then_some(self.pending.len());
        // A trade of a fixed size sure to fill as nothing is counted as the order it would
        // be, without making the order (outside sleeves, whose books decide on their own
        // cash): deciding it would only check that its symbol is listed.
        if let Act::Trade {
            buy,
            sym,
            computed: None,
            ..
        } = rule.act
            && !self.sleeves
            && self.engine.listed(sym, t)
            && self.engine.trade_comes_to_nothing(buy, sym, t, queued, self.quiet)
        {
            self.engine.counters.orders += 1;
            self.engine.counters.empty_orders += 1;
            return;
        }
        let Some(order) = self.engine.decide(rule.index, &rule.act, value, t) else {
            return;
        };
        self.engine.counters.orders += 1;
        // An order sure to fill as nothing is counted as such, not queued and filled.
        if self.engine.comes_to_nothing(&order, t, queued, self.quiet) {
            self.engine.counters.empty_orders += 1;
            return;
        }
        match self.program.fill {
            FillModel::Close => self.engine.execute(order, t, false, &mut self.pending),
            FillModel::NextOpen => self.pending.push(order),
        }
    }

    /// Step 4½: exits judged on the close; their sales fill by the fill rule, before the
    /// rules' orders.
    fn exit(&mut self, exits: &mut Exits, t: usize) {
        for order in exits.judge(&mut self.engine, t) {
            match self.program.fill {
                FillModel::Close => self.engine.execute(order, t, false, &mut self.pending),
                FillModel::NextOpen => self.pending.push(order),
            }
        }
    }

    /// Whether rule number `index` is held back by its cooldown on bar `t`: an order of it
    /// still waits to fill, or its last order that traded was decided within the period.
    fn cooling(&self, index: usize, period: CooldownPeriod, t: usize) -> bool {
        if self.pending.iter().any(|o| o.rule == index) {
            return true;
        }
        let days = &self.frame.days;
        self.engine.last_traded[index].is_some_and(|last| super::exits::cooling(period, days[last], days[t]))
    }

    /// Step 6: withdrawals due on this bar are paid at its close ([`Engine::withdraw`]): a
    /// fixed amount (converted with the FX spread when in the base currency), or a share of
    /// the portfolio's value at the close. Each is a negative flow of the bar.
    fn withdraw(&mut self, t: usize, flow: &mut Flow) {
        let frame = self.frame;
        for (fires, w) in &self.withdrawals {
            if !fires[t] {
                continue;
            }
            let engine = &mut self.engine;
            let rate = engine.rate.map(|r| r[t]).filter(|r| *r > 0.0);
            let spread = engine.ledger.spread();
            // What is asked in USD, and in the base currency when the amount is fixed there.
            let (usd, fixed_base) = match (&w.amount, rate) {
                (WithdrawalAmount::Share(p), _) => (p * engine.pf.value(|s| frame.symbols[s].close[t]), None),
                (WithdrawalAmount::Money(m), _) if m.is_usd() => (m.amount, None),
                (WithdrawalAmount::Money(m), Some(r)) => (spread.usd_to_pay(m.amount, r), Some(m.amount)),
                (WithdrawalAmount::Money(_), None) => {
                    engine.counters.withdrawals_skipped += 1;
                    continue;
                }
            };
            let paid = engine.withdraw(usd, t);
            let part = if usd > 0.0 { paid / usd } else { 0.0 };
            let (base, fx) = match (rate, fixed_base) {
                (Some(r), Some(b)) => (Some(b * part), paid - b * part / r),
                (Some(r), None) => (Some(paid * r * (1.0 - spread.0)), paid * spread.0),
                (None, _) => (None, 0.0),
            };
            engine.ledger.withdrawal(frame.days[t], usd, paid, base, fx);
            flow.usd -= paid;
            flow.base -= base.unwrap_or(0.0);
            flow.close_usd -= paid;
            flow.close_base -= base.unwrap_or(0.0);
        }
    }

    /// Whether no bar needs a step for a feature beside the rules and the fills: fund
    /// expenses, dividends, `delisted sell`, sleeves, withdrawals, interest or tax at the
    /// day's end, a base currency. Such a run's bars skip those steps ([`simulate`]).
    fn plain(&self) -> bool {
        self.expense.is_none()
            && !self.dividends
            && self.program.delisted != Delisted::Sell
            && !self.sleeves
            && self.withdrawals.is_empty()
            && !self.keep.works()
            && self.engine.rate.is_none()
            && !self.closes
    }

    /// Step 7: the portfolio is valued at the close and the bar recorded.
    fn record(&mut self, t: usize, mut flow: Flow) {
        // Without interest, tax or sleeves the day's end does nothing (decided once).
        if self.keep.works() || self.sleeves {
            self.day_end(t, &mut flow);
        }
        self.record_value(t, &flow);
        if self.engine.rate.is_some() {
            self.base_flows.push(flow.base);
        }
        if self.closes {
            self.closing.push(flow.close_usd);
            if self.engine.rate.is_some() {
                self.base_closing.push(flow.close_base);
            }
        }
    }

    /// Step 7, what every run records: the portfolio's value, the bar's flow in USD and the
    /// holdings' value at bar `t`'s close — as curves, or folded into the ranked figures
    /// ([`Loop::fold_ranked`]), or both.
    // Called on every bar from two places; the merged curves-and-fold body is no longer
    // inlined on its own (measured: 13.7 M instructions more on 500,000 bars as a call).
    #[inline(always)]
    fn record_value(&mut self, t: usize, flow: &Flow) {
        let frame = self.frame;
        let invested = self.engine.pf.invested(|s| frame.symbols[s].close[t]);
        let equity = self.engine.pf.cash + invested;
        if self.curves {
            self.equity.push(equity);
            self.flows.push(flow.usd);
            self.invested.push(invested);
        }
        if let Some(fold) = &mut self.fold {
            // What the ranked pass over the whole curve reads of this bar (report/ranked.rs).
            let risk_free = self.risk_free;
            let rate = || {
                (risk_free.and_then(|r| r.get(t).copied()))
                    .filter(|r| !r.is_nan())
                    .unwrap_or(0.0)
            };
            let end = if self.closes { flow.close_usd } else { 0.0 };
            fold.bar(frame.days[t], equity, flow.usd, end, rate);
        }
        self.prev_equity = equity;
    }

    /// Step 7, first: interest and tax at the day's end (money), shared by the sleeves'
    /// books, which record their values.
    fn day_end(&mut self, t: usize, flow: &mut Flow) {
        let cash = self.engine.pf.cash;
        let end = self.keep.bar_end(t, &mut self.engine);
        let moved = self.engine.pf.cash - cash;
        if self.sleeves {
            self.engine.sleeves_cash_moved(moved, end.outside, t);
            self.engine.sleeves_record(t);
        }
        // Tax paid in from outside: money that arrives at the day's end, when it is paid.
        flow.usd += end.outside;
        flow.base += end.outside_base;
        flow.close_usd += end.outside;
        flow.close_base += end.outside_base;
    }

    /// The run's record once the last bar is done, with the period's dates (`days` and
    /// `ts` from bar `start` on); its fills written down as trades unless `lean`.
    fn finish(
        self,
        frequency: Frequency,
        mut found: Vec<Assumption>,
        lean: bool,
        days: Arc<Vec<i32>>,
        ts: Arc<Vec<i64>>,
    ) -> Run {
        let (frame, program, start) = (self.frame, self.program, self.start);
        let mut engine = self.engine;
        engine.counters.pending_at_end = self.pending.len();
        found.extend(rateless_contributions(
            program,
            &self.owed,
            &self.waited,
            &mut engine.counters,
        ));
        found.extend(rateless_dividends(
            program,
            &self.dividends_owed,
            &self.dividends_waited,
        ));
        let base = match (engine.rate, &program.currency) {
            (Some(r), Some(c)) => Some(BaseCurve {
                code: c.code.clone(),
                equity: self.equity.iter().zip(&r[start..]).map(|(e, r)| e * r).collect(),
                flows: self.base_flows,
                closing: self.base_closing,
            }),
            _ => None,
        };
        let last = frame.len().saturating_sub(1);
        if !lean {
            let held = super::unpriced::held_without_rows(&engine.trades, frame, start);
            found.extend(held.into_iter().map(Assumption::HeldWithoutRows));
        }
        let mut delisted = self.delisted;
        delisted.extend(engine.held_delisted(last));
        let sleeves = engine.sleeves_finish(program, last);
        let money = ledger::finish(engine.ledger, frame, engine.rate);
        let shares = &engine.pf.shares;
        let holdings = frame
            .symbols
            .iter()
            .enumerate()
            .filter(|(s, _)| shares[*s] != 0.0)
            .map(|(s, c)| (c.name.clone(), shares[s], shares[s] * c.close[last]))
            .collect();
        let risk_free = program
            .risk_free
            .as_ref()
            .and_then(|(name, _)| frame.series_index(name))
            .map(|i| frame.series[i].1[start..].to_vec());
        debug_assert!(days[..] == frame.days[start..] && ts[..] == frame.ts[start..]);
        Run {
            days,
            ts,
            resolution: frame.resolution,
            equity: Arc::new(self.equity),
            flows: Arc::new(self.flows),
            closing: Arc::new(self.closing),
            invested: Arc::new(self.invested),
            listed: match (&program.priced, engine.rate) {
                (Some(priced), Some(rates)) if !lean => portfolio::listed(&engine.trades, frame, priced, rates),
                _ => Vec::new(),
            },
            trades: Arc::new(if lean {
                Vec::new()
            } else {
                portfolio::written(std::mem::take(&mut engine.trades), frame)
            }),
            counters: engine.counters,
            fees_paid: engine.pf.fees_paid,
            slippage_paid: engine.pf.slippage_paid,
            expense_drag: self.expense_drag,
            traded_value: engine.pf.traded_value,
            base,
            risk_free,
            holdings,
            cash: engine.pf.cash,
            delisted,
            frequency,
            detail: None,
            found,
            money,
            sleeves,
            ranked: self.fold.map(RankedFold::finish),
        }
    }
}

/// What became of the contributions due on bars without a usable exchange rate: those
/// credited later are counted in `contributions_late_no_rate`, those still waiting at
/// the end in `contributions_skipped`; each kind with a note for the report.
fn rateless_contributions(
    program: &Program,
    owed: &[(&Money, i32)],
    waited: &[(i32, i32)],
    counters: &mut Counters,
) -> Vec<Assumption> {
    let mut found = Vec::new();
    if waited.is_empty() && owed.is_empty() {
        return found;
    }
    let rate = (program.currency.as_ref()).map_or_else(String::new, |c| c.rate_series.clone());
    counters.contributions_late_no_rate = waited.len();
    counters.contributions_skipped = owed.len();
    if let Some(&(due, credited)) = waited.first() {
        found.push(Assumption::ContributionsAwaitedRate {
            count: waited.len(),
            rate: rate.clone(),
            first_due: date_of(due),
            credited: date_of(credited),
            most_days_late: waited.iter().map(|(d, c)| c - d).max().unwrap_or(0),
        });
    }
    if let Some(&(_, due)) = owed.first() {
        found.push(Assumption::ContributionsNeverCredited {
            count: owed.len(),
            rate,
            first_due: date_of(due),
        });
    }
    found
}

/// What became of the dividends of listings priced in the base currency whose ex-date had
/// no usable exchange rate: `owed` never paid (no rate to the end), `waited` paid later
/// (ex-date, day paid); a note for the report of each kind.
fn rateless_dividends(program: &Program, owed: &[(usize, f64, i32)], waited: &[(i32, i32)]) -> Vec<Assumption> {
    let rate = (program.currency.as_ref()).map_or_else(String::new, |c| c.rate_series.clone());
    let mut found = Vec::new();
    if let Some(&(ex, paid)) = waited.first() {
        found.push(Assumption::DividendsAwaitedRate {
            count: waited.len(),
            rate: rate.clone(),
            first_ex: date_of(ex),
            paid: date_of(paid),
            most_days_late: waited.iter().map(|(e, p)| p - e).max().unwrap_or(0),
        });
    }
    if let Some(&(_, _, ex)) = owed.first() {
        found.push(Assumption::DividendsNeverPaid {
            count: owed.len(),
            rate,
            first_ex: date_of(ex),
        });
    }
    found
}
