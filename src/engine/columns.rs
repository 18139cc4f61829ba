//! Data slots evaluated a block of bars at a time, and shared between the runs of a sweep.
//!
//! A slot that reads only data (prices, series, indicators of them, arithmetic on them)
//! does not depend on what the portfolio did, so the loop need not evaluate it bar by bar:
//! [`Plan::fill_block`](super::plan::Plan::fill_block) computes its values for a block of [`BLOCK`] bars before the loop
//! enters the block. Each value is still computed from bars up to its own (indicators are
//! fed in bar order, scripts see views ending at the bar), so nothing changes for
//! look-ahead; blocks only bound memory to `BLOCK` values a slot, whatever the length of
//! the data.
//!
//! In a sweep, variants that compute the same thing on the same frame (`sma(IWM, 200)` in
//! 24 variants that differ in a threshold) share it through a [`ColumnCache`]: a slot is
//! named by its memo key and the names of its inputs, so equal computations get equal names
//! however the variants number their slots.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::{Arc, Mutex};

use super::node::{Key, Node, inputs};

/// Bars a block holds: small enough to stay in cache, large enough that the per-block work
/// is negligible.
pub const BLOCK: usize = 4096;

/// The values of one block of bars: a column slice per data slot, nothing for live and
/// constant slots (they are read from [`Plan::values`](super::plan::Plan::values)).
pub struct Block<'f> {
    pub range: Range<usize>,
    pub(super) columns: Vec<Column<'f>>,
}

pub(super) enum Column<'f> {
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

    /// The values of `slot` over the block, from its first bar ([`Self::start`]); `None`
    /// for a slot read from the plan's values (as [`Self::value`] does).
    #[inline]
    pub fn column(&self, slot: usize) -> Option<&[f64]> {
        self.columns[slot]
    }

    /// The block's first bar.
    #[inline]
    pub fn start(&self) -> usize {
        self.start
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
    names: HashMap<(Key, Vec<u32>), u32>,
    /// (name, first bar of the block) → the block's values, and the slot's state after it.
    blocks: HashMap<(u32, usize), CachedBlock>,
    /// Blocks computed once and not kept (see [`ColumnCache::keep`]).
    seen_once: HashSet<(u32, usize)>,
    /// Bytes of values held in `blocks`.
    bytes: usize,
}

/// What a cache may hold of block values by default. A sweep whose variants all compute different
/// columns (every window of an SMA on every symbol) would otherwise keep every column of
/// every variant; past this, blocks are still computed, just no longer kept.
const CACHE_BYTES: usize = 256 << 20;

/// A block's values and the state of the slot's indicator after it.
pub(super) type CachedBlock = (Arc<[f64]>, Node);

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

    /// A block computed before: its values and the slot's state after it.
    pub(super) fn get(&self, key: &(u32, usize)) -> Option<CachedBlock> {
        self.lock().blocks.get(key).cloned()
    }

    /// Keeps a computed block the second time it is computed, unless the cache is full.
    /// A block computed once may be the only one of its kind: a sweep whose variants all
    /// compute different columns (every window of an SMA on every symbol) then keeps none
    /// of them (its peak memory is its data, not every variant's columns), while one that
    /// shares a column (24 thresholds on one SMA) computes it twice and shares it after.
    pub(super) fn keep(&self, key: (u32, usize), values: &Arc<[f64]>, state: &Node) {
        let mut inner = self.lock();
        if inner.blocks.contains_key(&key) || inner.seen_once.insert(key) {
            return;
        }
        let size = std::mem::size_of_val::<[f64]>(values);
        if inner.bytes + size <= self.budget {
            inner.bytes += size;
            inner.blocks.insert(key, (values.clone(), state.clone()));
        }
    }

    /// The names here of a plan's slots (their memo keys and nodes), to pass to
    /// [`Plan::fill_block`](super::plan::Plan::fill_block).
    pub fn names(&self, keys: &[Key], nodes: &[Node]) -> Vec<u32> {
        let mut inner = self.lock();
        let mut names: Vec<u32> = Vec::with_capacity(nodes.len());
        for (slot, node) in nodes.iter().enumerate() {
            let key = (keys[slot].clone(), inputs(node).iter().map(|&i| names[i]).collect());
            let next = inner.names.len() as u32;
            names.push(*inner.names.entry(key).or_insert(next));
        }
        names
    }
}

/// An input of a data slot over a block: its values, or one value for every bar.
#[derive(Clone, Copy)]
pub(super) enum Source<'a> {
    Slice(&'a [f64]),
    Scalar(f64),
}

impl Source<'_> {
    #[inline]
    pub(super) fn at(self, k: usize) -> f64 {
        match self {
            Source::Slice(s) => s[k],
            Source::Scalar(x) => x,
        }
    }
}

pub(super) fn source<'a>(column: &'a Column, slot: usize, values: &[f64], range: &Range<usize>) -> Source<'a> {
    match column {
        Column::None => Source::Scalar(values[slot]),
        Column::Frame(c) => Source::Slice(&c[range.clone()]),
        Column::Shared(c) => Source::Slice(c),
    }
}
