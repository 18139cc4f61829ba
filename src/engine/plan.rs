//! The plan: a flat list of slots the loop evaluates once per bar, compiled from a checked
//! program's terms ([`super::compile`]).
//!
//! Equal sub-expressions share one slot and one indicator state. Each slot reads only slots
//! before it and the frame's row `t`, and every indicator is fed one value per bar, so a
//! value at `t` cannot depend on anything after `t`.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use super::assumption::Assumption;
use super::columns::{Block, BlockView, Column, ColumnCache, source};
use super::frame::Frame;
use super::node::{Key, Node, binary_column, call_script, cross_column, eval, inputs, position_value};
use crate::script::{ScriptError, Scripts};

/// What the account holds at the decision point: shares per symbol, and the positions'
/// state (entry prices, opening dates).
#[derive(Clone, Copy)]
pub struct Held<'a> {
    pub shares: &'a [f64],
    pub positions: &'a super::position::Positions,
}

/// The values a slot can read besides data: the portfolio at the decision point.
#[derive(Clone, Copy, Debug, Default)]
pub struct PortfolioView {
    pub cash: f64,
    pub equity: f64,
    pub drawdown: f64,
}

/// The compiled expressions of a run.
///
/// Slots that read only data ("data slots") are evaluated a block of bars at a time, as
/// columns, before the loop reaches those bars ([`Plan::fill_block`]); slots that read the
/// portfolio, directly or through an input ("live slots"), are evaluated bar by bar in the
/// loop ([`Plan::step`]). Both feed each indicator one value per bar in bar order.
#[derive(Clone, Default)]
pub struct Plan {
    pub nodes: Vec<Node>,
    /// Values of the current bar for live slots, and the value of constant slots.
    pub values: Vec<f64>,
    /// Whether a slot reads the portfolio, itself or through an input.
    pub(super) live: Vec<bool>,
    /// Whether the loop reads a slot from a block: a compiled term's slot (a guard, a
    /// ranking), or an input of a live slot. Other data slots are only read by later ones.
    pub(super) read_by_loop: Vec<bool>,
    /// Each slot's memo key: what it computes, naming its inputs by slot.
    pub(super) keys: Vec<Key>,
    memo: HashMap<Key, usize>,
    /// Whether any node reads the portfolio (then slots must be evaluated after fills).
    pub reads_portfolio: bool,
    /// The strategy's rhai functions, if it `use`s any.
    pub scripts: Option<Arc<Scripts>>,
    /// Columns handed to scripts, shared between calls.
    pub(super) script_columns: HashMap<String, Arc<[f64]>>,
    /// The slot of each of the program's `let`s, once compiled.
    pub(super) let_slots: Vec<Option<usize>>,
    /// The earliest script error found so far, as (bar, slot, error); the run stops at that
    /// bar, as it would had every slot been evaluated bar by bar.
    pub error: Option<(usize, usize, ScriptError)>,
    /// What compiling found that the report must say: windows and look-backs longer than
    /// the data, which are never available ([`Assumption::LongerThanData`]).
    pub found: Vec<Assumption>,
    /// Whether a window compiled so far is a duration turned into bars (`3 months`, or
    /// `volatility`'s default of a year): data whose spacing changes has no one count for
    /// it ([`super::RunError::MixedSpacing`]).
    pub durations: bool,
}

impl std::fmt::Debug for Plan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Plan")
            .field("nodes", &self.nodes)
            .finish_non_exhaustive()
    }
}

impl Plan {
    /// An empty plan that can call the strategy's rhai functions.
    pub fn with_scripts(scripts: Option<Arc<Scripts>>) -> Plan {
        Plan {
            scripts,
            ..Plan::default()
        }
    }

    /// The slot computing `node`, keyed by `key`: an existing one if the key is known.
    pub(super) fn node(&mut self, key: Key, node: Node) -> usize {
        if let Some(&slot) = self.memo.get(&key) {
            return slot;
        }
        let portfolio = node.reads_portfolio();
        self.reads_portfolio |= portfolio;
        let live = portfolio || inputs(&node).iter().any(|&i| self.live[i]);
        self.values.push(match node {
            Node::Const(c) => c,
            _ => f64::NAN,
        });
        if live {
            for input in inputs(&node) {
                self.read_by_loop[input] = true;
            }
        }
        self.nodes.push(node);
        self.live.push(live);
        self.read_by_loop.push(false);
        self.keys.push(key.clone());
        let slot = self.nodes.len() - 1;
        self.memo.insert(key, slot);
        slot
    }

    /// Whether any slot must be evaluated bar by bar.
    pub fn has_live_slots(&self) -> bool {
        self.live.iter().any(|&l| l)
    }

    /// Records a script error at bar `t` in `slot` if it comes before the one recorded.
    pub(super) fn record_error(&mut self, t: usize, slot: usize, error: ScriptError) {
        if self.error.as_ref().is_none_or(|(et, es, _)| (t, slot) < (*et, *es)) {
            self.error = Some((t, slot, error));
        }
    }

    /// The error that stops the run at bar `t`, if any.
    pub fn error_at(&mut self, t: usize) -> Option<ScriptError> {
        if self.error.as_ref().is_some_and(|(et, _, _)| *et <= t) {
            return self.error.take().map(|(_, _, e)| e);
        }
        None
    }

    /// Evaluates the live slots for bar `t`, in order. Reads only row `t` of the frame, and
    /// data slots through `block` (the columns of the block holding `t`).
    pub fn step(&mut self, t: usize, frame: &Frame, held: Held, pf: PortfolioView, block: &BlockView) {
        let Held { shares, positions } = held;
        let day = frame.days[t];
        for i in 0..self.nodes.len() {
            if !self.live[i] {
                continue;
            }
            let values = &self.values;
            let v = |slot: usize| block.value(slot, t, values);
            let value = match &mut self.nodes[i] {
                Node::Cash => pf.cash,
                Node::Equity => pf.equity,
                Node::Drawdown => pf.drawdown,
                Node::Position(s) => position_value(*s, t, frame, shares),
                Node::Weight(s) => {
                    if pf.equity > 0.0 {
                        position_value(*s, t, frame, shares) / pf.equity
                    } else {
                        f64::NAN
                    }
                }
                Node::EntryPrice(s) => positions.entry_price(*s),
                Node::HeldDays(s) => positions.held_days(*s, day),
                Node::DaysSinceExit(s) => positions.days_since_exit(*s, day),
                Node::SinceEntry(state, input, s) => {
                    let opened = positions.open[*s].map(|o| o.bar);
                    state.update(v(*input), t, opened)
                }
                Node::Script { index, args, span } => {
                    let Some(scripts) = &self.scripts else { continue };
                    match call_script(scripts, *index, args, *span, t, frame, v) {
                        Ok(x) => x,
                        Err(e) => {
                            self.record_error(t, i, e);
                            f64::NAN
                        }
                    }
                }
                node => eval(node, t, frame, v),
            };
            self.values[i] = value;
        }
    }
}

impl Plan {
    /// Computes the data slots for the bars in `range` (the next block: blocks must come in
    /// order, since indicators carry their state from one to the next). Script errors are
    /// recorded with their bar ([`Plan::error_at`]); the slot is "not available" from there.
    pub fn fill_block<'f>(
        &mut self,
        frame: &'f Frame,
        range: Range<usize>,
        cache: Option<(&ColumnCache, &[u32])>,
    ) -> Block<'f> {
        let mut columns: Vec<Column<'f>> = Vec::with_capacity(self.nodes.len());
        // The last data slot that reads each slot: past it, a column the loop does not read
        // is let go, so a long chain of sums holds a few columns at a time, not all of them.
        let mut last_reader: Vec<Option<usize>> = vec![None; self.nodes.len()];
        for (slot, node) in self.nodes.iter().enumerate() {
            if !self.live[slot] {
                for input in inputs(node) {
                    last_reader[input] = Some(slot);
                }
            }
        }
        for slot in 0..self.nodes.len() {
            let column = if self.live[slot] {
                Column::None
            } else {
                match &self.nodes[slot] {
                    Node::Const(_) => Column::None,
                    Node::Open(s) => Column::Frame(&frame.symbols[*s].open),
                    Node::High(s) => Column::Frame(&frame.symbols[*s].high),
                    Node::Low(s) => Column::Frame(&frame.symbols[*s].low),
                    Node::Close(s) => Column::Frame(&frame.symbols[*s].close),
                    Node::Volume(s) => Column::Frame(&frame.symbols[*s].volume),
                    Node::Series(s) => Column::Frame(&frame.series[*s].1),
                    _ => {
                        let key = cache.map(|(_, names)| (names[slot], range.start));
                        let hit = cache.zip(key).and_then(|((c, _), k)| c.get(&k));
                        match hit {
                            Some((values, state)) => {
                                // The state after the block, so the next block continues from it.
                                self.nodes[slot] = state;
                                Column::Shared(values)
                            }
                            None => {
                                let values = self.compute(slot, frame, range.clone(), &columns);
                                if let (Some((c, _)), Some(k)) = (cache, key)
                                    && self.error.as_ref().is_none_or(|(_, s, _)| *s != slot)
                                {
                                    c.keep(k, &values, &self.nodes[slot]);
                                }
                                Column::Shared(values)
                            }
                        }
                    }
                }
            };
            columns.push(column);
            for input in inputs(&self.nodes[slot]) {
                if last_reader[input] == Some(slot) && !self.read_by_loop[input] {
                    columns[input] = Column::None;
                }
            }
        }
        Block { range, columns }
    }

    /// One data slot over `range`, from the columns of the slots before it.
    fn compute(&mut self, slot: usize, frame: &Frame, range: Range<usize>, done: &[Column]) -> Arc<[f64]> {
        let start = range.start;
        let values = &self.values;
        let v = |input: usize, t: usize| source(&done[input], input, values, &range).at(t - start);
        match &mut self.nodes[slot] {
            Node::Script { index, args, span } => {
                let scripts = self
                    .scripts
                    .clone()
                    .expect("the checker only lets script functions through with scripts");
                let (index, span) = (*index, *span);
                let mut failed = None;
                let out: Arc<[f64]> = range
                    .clone()
                    .map(|t| {
                        if failed.is_some() {
                            return f64::NAN;
                        }
                        match call_script(&scripts, index, args, span, t, frame, |i| v(i, t)) {
                            Ok(x) => x,
                            Err(e) => {
                                failed = Some((t, e));
                                f64::NAN
                            }
                        }
                    })
                    .collect();
                if let Some((t, e)) = failed {
                    self.record_error(t, slot, e);
                }
                out
            }
            // The common forms as tight loops over their input slices; the rest bar by bar.
            Node::Indicator(ind, a) => ind.column(source(&done[*a], *a, values, &range), range.len()),
            Node::Binary(op, a, b) => binary_column(
                *op,
                source(&done[*a], *a, values, &range),
                source(&done[*b], *b, values, &range),
                range.len(),
            ),
            Node::Cross {
                above,
                a,
                b,
                prev_a,
                prev_b,
            } => cross_column(
                *above,
                source(&done[*a], *a, values, &range),
                source(&done[*b], *b, values, &range),
                range.len(),
                (prev_a, prev_b),
            ),
            node => range.clone().map(|t| eval(node, t, frame, |i| v(i, t))).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::compile::Scope;
    use super::*;
    use crate::check::{Arg, BinaryOp, Builtin, Let, Program, Term};
    use crate::data::{LoadOptions, load_str};
    use crate::source::Span;

    /// `let v0 = close(AAA)`, `let v1 = v0 + 1`, `let v2 = v1 + 1`, as the checker resolves them.
    fn chain() -> Program {
        let close = Term::Call(Builtin::Close, vec![Arg::Value(Term::Symbol("AAA".into()))]);
        let plus_one = |i| Term::Binary(BinaryOp::Add, Box::new(Term::Let(i)), Box::new(Term::Number(1.0)));
        let value = |name: &str, value| Let {
            name: name.into(),
            value,
            span: Span::default(),
        };
        Program {
            lets: vec![value("v0", close), value("v1", plus_one(0)), value("v2", plus_one(1))],
            traded: vec!["AAA".into()],
            ..Program::default()
        }
    }

    #[test]
    fn a_block_keeps_only_the_columns_the_loop_reads() {
        let data = load_str(
            "AAA.csv",
            "date,close\n2024-01-02,10\n2024-01-03,11\n",
            &LoadOptions::default(),
        )
        .expect("valid");
        let program = chain();
        let frame = Frame::build(&data, &program.traded, &[], &[], &[], None);
        let scope = Scope {
            frame: &frame,
            program: &program,
            subject: None,
            bars: super::super::frequency::BarScale::DAILY,
        };
        let mut plan = Plan::default();
        // `while v2 > 0`
        let condition = Term::Binary(BinaryOp::Gt, Box::new(Term::Let(2)), Box::new(Term::Number(0.0)));
        let guard = plan.compile(&condition, &scope);
        let block = plan.fill_block(&frame, 0..frame.len(), None);
        let view = block.view();
        // close(AAA), v1 and v2 are read only by the next sum: let go once it is computed.
        let kept: Vec<usize> = (0..plan.nodes.len())
            .filter(|&s| !matches!(block.columns[s], Column::None))
            .collect();
        assert_eq!(kept, [guard]);
        assert_eq!(view.value(guard, 1, &plan.values), 1.0);
    }
}
