//! What all script calls of one run may spend together, and what they have spent.
//!
//! The per-call limits ([`super::Limits`]) stop one call that runs away; they do not stop a
//! script that does a little too much on every bar (30,000 operations a call on 5,000 bars
//! is ninety seconds). The budget bounds the sum: operations counted by rhai, and wall time
//! measured around every call (so work rhai counts as one operation, such as sorting a long
//! array, is paid for too).

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// The most script work one run may do (`--script-time`, `--script-operations`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Budget {
    /// rhai operations over all calls.
    pub operations: u64,
    /// Wall time spent inside calls.
    pub time: Duration,
}

/// Default [`Budget::time`]: ten seconds. The costliest example, `sahm_rule` in
/// strategies/recession_guard.rotor (a 252-bar loop on each of 5,000 daily bars), spends
/// about 50 million operations and 3 s of CPU in a release build; wall time, which this
/// counts, grows on a loaded machine.
pub const DEFAULT_RUN_TIME: Duration = Duration::from_secs(10);
/// Default [`Budget::operations`].
pub const DEFAULT_RUN_OPERATIONS: u64 = 100_000_000;

impl Default for Budget {
    fn default() -> Self {
        Budget {
            operations: DEFAULT_RUN_OPERATIONS,
            time: DEFAULT_RUN_TIME,
        }
    }
}

/// What one run has spent so far. Atomics, because sweep workers hold the scripts through a
/// shared reference; each run has a meter of its own and calls it from one thread, so
/// relaxed loads and stores are enough.
#[derive(Debug, Default)]
pub struct Meter {
    operations: AtomicU64,
    nanos: AtomicU64,
}

/// What is left of a budget before a call.
#[derive(Clone, Copy, Debug)]
pub struct Left {
    pub operations: u64,
    pub time: Duration,
}

impl Meter {
    /// What `budget` leaves, or `None` once it is spent.
    pub fn left(&self, budget: &Budget) -> Option<Left> {
        let operations = budget.operations.checked_sub(self.operations.load(Ordering::Relaxed))?;
        let spent = Duration::from_nanos(self.nanos.load(Ordering::Relaxed));
        let time = budget.time.checked_sub(spent)?;
        (operations > 0 && !time.is_zero()).then_some(Left { operations, time })
    }

    /// Adds one call's work; returns whether `budget` is now spent. One run's calls happen
    /// on one thread, so this is a load and a store rather than a locked addition.
    pub fn add(&self, operations: u64, time: Duration, budget: &Budget) -> bool {
        let operations = self.operations.load(Ordering::Relaxed).saturating_add(operations);
        let nanos = u64::try_from(time.as_nanos()).unwrap_or(u64::MAX);
        let nanos = self.nanos.load(Ordering::Relaxed).saturating_add(nanos);
        self.operations.store(operations, Ordering::Relaxed);
        self.nanos.store(nanos, Ordering::Relaxed);
        operations >= budget.operations || Duration::from_nanos(nanos) >= budget.time
    }

    /// Which part of `budget` is spent, in words, if one is.
    pub fn spent(&self, budget: &Budget) -> Option<String> {
        let operations = self.operations.load(Ordering::Relaxed);
        let time = Duration::from_nanos(self.nanos.load(Ordering::Relaxed));
        if operations >= budget.operations {
            Some(format!(
                "{} operations",
                crate::report::number::thousands(budget.operations as f64)
            ))
        } else if time >= budget.time {
            Some(format!("{:.1} s of script time", budget.time.as_secs_f64()))
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_meter_counts_down_both_parts_of_the_budget() {
        let budget = Budget {
            operations: 1_000,
            time: Duration::from_secs(1),
        };
        let meter = Meter::default();
        assert!(!meter.add(400, Duration::from_millis(300), &budget));
        let left = meter.left(&budget).expect("not spent");
        assert_eq!((left.operations, left.time), (600, Duration::from_millis(700)));
        assert_eq!(meter.spent(&budget), None);
        assert!(meter.add(600, Duration::ZERO, &budget));
        assert!(meter.left(&budget).is_none());
        assert_eq!(meter.spent(&budget).as_deref(), Some("1,000 operations"));
        let slow = Meter::default();
        assert!(slow.add(1, Duration::from_secs(2), &budget));
        assert_eq!(slow.spent(&budget).as_deref(), Some("1.0 s of script time"));
    }
}
