//! What the runs of a sweep share: frames, data columns, bar frequencies, dates and rule
//! schedules.
//!
//! Variants of one strategy mostly differ in a number or a symbol, so most of what a run
//! builds before its loop is the same from one variant to the next. A [`Shared`] keeps each
//! such piece under a key that spells out everything it was built from (the `Debug` form of
//! its inputs), so two runs get the same piece only when they would have built equal ones.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use super::columns::ColumnCache;
use super::dates::Dates;
use super::firings::Firings;
use super::frame::Frame;
use super::frequency::Inferred;

/// Pieces shared by the runs of a sweep; safe to use from many threads.
#[derive(Default)]
pub struct Shared<'d> {
    frames: Mutex<HashMap<String, Arc<SharedFrame<'d>>>>,
    /// Bytes of column values each frame's cache may keep (`None`: the default).
    column_budget: Option<usize>,
}

/// A frame and what runs on it have computed.
pub struct SharedFrame<'d> {
    pub frame: Frame<'d>,
    pub columns: ColumnCache,
    /// Its bar frequency, inferred once for all the runs on it.
    pub frequency: Inferred,
    /// The period's dates, copied once for all the runs' records.
    pub dates: Dates,
    /// The bars the rules' schedules fire on, worked out once for all the runs.
    pub firings: Firings,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // Entries are inserted whole, so a map is consistent even if a worker panicked.
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl<'d> Shared<'d> {
    /// Shared pieces whose column caches keep at most `bytes` of values each.
    pub fn with_column_budget(bytes: usize) -> Self {
        Shared {
            frames: Mutex::default(),
            column_budget: Some(bytes),
        }
    }

    /// The frame built from `key`'s inputs, building it with `build` the first time.
    pub fn frame(&self, key: String, build: impl FnOnce() -> Frame<'d>) -> Arc<SharedFrame<'d>> {
        if let Some(f) = lock(&self.frames).get(&key) {
            return f.clone();
        }
        // Built outside the lock so workers on other frames are not held up; two workers
        // may build the same frame at once, and the first one stored wins.
        let built = Arc::new(SharedFrame {
            frame: build(),
            columns: self
                .column_budget
                .map_or_else(ColumnCache::default, ColumnCache::with_budget),
            frequency: Inferred::default(),
            dates: Dates::default(),
            firings: Firings::default(),
        });
        lock(&self.frames).entry(key).or_insert(built).clone()
    }
}
