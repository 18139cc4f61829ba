//! Data slots evaluated a block of bars at a time, and shared between the runs of a sweep.
//!
//! A slot that reads only data (prices, series, indicators of them, arithmetic on them)
//! does not depend on what the portfolio did, so the loop need not evaluate it bar by bar:
//! [`Plan::fill_block`] computes its values for a block of [`BLOCK`] bars before the loop
//! enters the block. Each value is still computed from bars up to its own (indicators are
//! fed in bar order, scripts see views ending at the bar), so nothing changes for
//! look-ahead; blocks only bound memory to `BLOCK` values a slot, whatever the length of
//! the data.
//!
//! In a sweep, variants that compute the same thing on the same frame (`sma(IWM, 200)` in
//! 24 variants that differ in a threshold) share it through a [`ColumnCache`]: a slot is
//! named by its memo key and the names of its inputs, so equal computations get equal names
//! however the variants number their slots.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Arc, Mutex};

use super::frame::Frame;
use super::plan::{Node, Plan, call_script, eval, inputs};

/// Bars a block holds: small enough to stay in cache, large enough that the per-block work
/// is negligible.
pub const BLOCK: usize = 4096;

/// The values of one block of bars: a column slice per data slot, nothing for live and
/// constant slots (they are read from [`Plan::values`]).
pub struct Block<'f> {
    pub range: Range<usize>,
    columns: Vec<Column<'f>>,
}

enum Column<'f> {
    None,
    /// A column of the frame, read in place.
    Frame(&'f [f64]),
    Shared(Arc<[f64]>),
}

/// A [`Block`] ready to be read by bar.
pub struct BlockView<'b> {
    start: usize,
    columns: Vec<Option<&'b [f64]>>,
}

impl<'f> Block<'f> {
    /// Borrows the block's columns for reading.
    pub fn view(&self) -> BlockView<'_> {
        let start = self.range.start;
        let columns = self
            .columns
            .iter()
            .map(|c| match c {
                Column::None => None,
                Column::Frame(col) => Some(&col[self.range.clone()]),
                Column::Shared(col) => Some(&col[..]),
            })
            .collect();
        BlockView { start, columns }
    }
}

impl BlockView<'_> {
    /// The value of `slot` on bar `t` (which lies in the block).
    #[inline]
    pub fn value(&self, slot: usize, t: usize, values: &[f64]) -> f64 {
        match self.columns[slot] {
            Some(col) => col[t - self.start],
            None => values[slot],
        }
    }

    /// A view with no columns: every slot is read from the plan's values.
    pub fn empty() -> BlockView<'static> {
        BlockView {
            start: 0,
            columns: Vec::new(),
        }
    }
}

/// Blocks of data slots computed by earlier runs on the same frame, for a sweep.
pub struct ColumnCache {
    inner: Mutex<CacheInner>,
    /// Bytes of block values it may hold.
    budget: usize,
}

impl Default for ColumnCache {
    fn default() -> Self {
        ColumnCache::with_budget(CACHE_BYTES)
    }
}

#[derive(Default)]
struct CacheInner {
    /// (memo key, names of the inputs) → name
    names: HashMap<(String, Vec<u32>), u32>,
    /// (name, first bar of the block) → the block's values, and the slot's state after it.
    blocks: HashMap<(u32, usize), CachedBlock>,
    /// Bytes of values held in `blocks`.
    bytes: usize,
}

/// What a cache may hold of block values by default. A sweep whose variants all compute different
/// columns (every window of an SMA on every symbol) would otherwise keep every column of
/// every variant; past this, blocks are still computed, just no longer kept.
const CACHE_BYTES: usize = 256 << 20;

/// A block's values and the state of the slot's indicator after it.
type CachedBlock = (Arc<[f64]>, Node);

impl ColumnCache {
    /// A cache that keeps at most `budget` bytes of values.
    pub fn with_budget(budget: usize) -> Self {
        ColumnCache {
            inner: Mutex::default(),
            budget,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, CacheInner> {
        // A worker that panicked left the maps consistent: each entry is inserted whole.
        self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Keeps a computed block, unless the cache is full.
    fn keep(&self, key: (u32, usize), values: &Arc<[f64]>, state: &Node) {
        let mut inner = self.lock();
        let size = std::mem::size_of_val::<[f64]>(values);
        if inner.bytes + size <= self.budget && !inner.blocks.contains_key(&key) {
            inner.bytes += size;
            inner.blocks.insert(key, (values.clone(), state.clone()));
        }
    }

    /// The names of a plan's slots here, to pass to [`Plan::fill_block`].
    pub fn names(&self, plan: &Plan) -> Vec<u32> {
        let mut inner = self.lock();
        let mut names: Vec<u32> = Vec::with_capacity(plan.nodes.len());
        for (slot, node) in plan.nodes.iter().enumerate() {
            let key = (
                plan.keys[slot].clone(),
                inputs(node).iter().map(|&i| names[i]).collect(),
            );
            let next = inner.names.len() as u32;
            names.push(*inner.names.entry(key).or_insert(next));
        }
        names
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
                        let hit = cache.zip(key).and_then(|((c, _), k)| c.lock().blocks.get(&k).cloned());
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
            Node::Indicator(ind, a) => {
                let a = source(&done[*a], *a, values, &range);
                (0..range.len()).map(|k| ind.update(a.at(k))).collect()
            }
            Node::Binary(op, a, b) => {
                let (a, b) = (
                    source(&done[*a], *a, values, &range),
                    source(&done[*b], *b, values, &range),
                );
                let op = *op;
                (0..range.len())
                    .map(|k| super::plan::binary(op, a.at(k), b.at(k)))
                    .collect()
            }
            Node::Cross {
                above,
                a,
                b,
                prev_a,
                prev_b,
            } => {
                let (a, b) = (
                    source(&done[*a], *a, values, &range),
                    source(&done[*b], *b, values, &range),
                );
                let above = *above;
                (0..range.len())
                    .map(|k| {
                        let (x, y) = (a.at(k), b.at(k));
                        let out = super::plan::crossing(above, x, y, *prev_a, *prev_b);
                        (*prev_a, *prev_b) = (x, y);
                        out
                    })
                    .collect()
            }
            node => range.clone().map(|t| eval(node, t, frame, |i| v(i, t))).collect(),
        }
    }
}

/// An input of a data slot over a block: its values, or one value for every bar.
#[derive(Clone, Copy)]
enum Source<'a> {
    Slice(&'a [f64]),
    Scalar(f64),
}

impl Source<'_> {
    #[inline]
    fn at(self, k: usize) -> f64 {
        match self {
            Source::Slice(s) => s[k],
            Source::Scalar(x) => x,
        }
    }
}

fn source<'a>(column: &'a Column, slot: usize, values: &[f64], range: &Range<usize>) -> Source<'a> {
    match column {
        Column::None => Source::Scalar(values[slot]),
        Column::Frame(c) => Source::Slice(&c[range.clone()]),
        Column::Shared(c) => Source::Slice(c),
    }
}

#[cfg(test)]
mod tests {
    use super::super::compile::Scope;
    use super::*;
    use crate::check::{Catalog, Context, check};
    use crate::data::{LoadOptions, load_str};
    use crate::source::SourceMap;
    use crate::syntax::parse_file;

    #[test]
    fn a_block_keeps_only_the_columns_the_loop_reads() {
        let data = load_str(
            "AAA.csv",
            "date,close\n2024-01-02,10\n2024-01-03,11\n",
            &LoadOptions::default(),
        )
        .expect("valid");
        let mut sources = SourceMap::new();
        let text = "let v0 = close(AAA)\nlet v1 = v0 + 1\nlet v2 = v1 + 1\nbuy AAA daily while v2 > 0\n";
        let (ast, errors) = parse_file(&sources.add("t.rotor", None, text.into()));
        assert!(errors.is_empty());
        let catalog = Catalog {
            symbols: vec!["AAA".into()],
            series: Vec::new(),
        };
        let ctx = Context {
            data: Some(&catalog),
            ..Context::default()
        };
        let program = check(&ast, ctx).expect("checks");
        let frame = Frame::build(&data, &program.traded, &[], &[], &[], None, None);
        let scope = Scope {
            frame: &frame,
            program: &program,
            subject: None,
            bars_per_day: 1.0,
        };
        let mut plan = Plan::default();
        let guard = plan.compile(&program.rules[0].guards[0].condition, &scope);
        let block = plan.fill_block(&frame, 0..frame.len(), None);
        let view = block.view();
        // close(AAA), v1 and v2 are read only by the next sum: let go once it is computed.
        let kept: Vec<usize> = (0..plan.nodes.len()).filter(|&s| view.columns[s].is_some()).collect();
        assert_eq!(kept, [guard]);
        assert_eq!(view.value(guard, 1, &plan.values), 1.0);
    }
}
