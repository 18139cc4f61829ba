//! What all script calls of one run may spend together, and what they have spent.
//!
//! The per-call limits ([`super::Limits`]) stop one call that runs away; they do not stop a
//! script that does a little too much on every bar (30,000 operations a call on 5,000 bars
//! is ninety seconds). The budget bounds the sum: operations counted by rhai, and time
//! measured around every call (so work rhai counts as one operation, such as sorting a long
//! array, is paid for too).
//!
//! Time is measured with the wall clock around each call (reading it costs ~30 ns; the
//! thread's CPU clock costs a system call, ~1 µs, as much as a small script call). On a busy
//! machine wall time overstates the work, so before a run is stopped for time, the claim is
//! checked against the thread's CPU time since the run's first call, which bounds the
//! scripts' CPU time from above: a run is stopped only for time its scripts really used.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// The most script work one run may do (`--script-time`, `--script-operations`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Budget {
    /// rhai operations over all calls.
    pub operations: u64,
    /// Time spent inside calls: wall time, checked against CPU time before it stops a run.
    pub time: Duration,
}

/// Default [`Budget::time`]: ten seconds of script CPU time. The costliest example,
/// `sahm_rule` in strategies/recession_guard.rotor (a 252-bar loop on each of 5,000 daily
/// bars), spends about 50 million operations and 3 s of CPU in a release build.
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
#[derive(Debug)]
pub struct Meter {
    operations: AtomicU64,
    nanos: AtomicU64,
    /// The thread's CPU clock at the run's first call ([`UNSET`] before it, and where the
    /// platform has no thread CPU clock): the base for checking a time claim.
    cpu_base: AtomicU64,
}

const UNSET: u64 = u64::MAX;

impl Default for Meter {
    fn default() -> Self {
        Meter {
            operations: AtomicU64::new(0),
            nanos: AtomicU64::new(0),
            cpu_base: AtomicU64::new(UNSET),
        }
    }
}

/// What is left of a budget before a call.
#[derive(Clone, Copy, Debug)]
pub struct Left {
    pub operations: u64,
    pub time: Duration,
    /// The thread CPU time (see [`thread_cpu_nanos`]) at which the budget's time is really
    /// spent, when known: a call past `time` by the wall clock goes on until then.
    pub cpu_deadline: Option<u64>,
}

impl Meter {
    /// What `budget` leaves, or `None` once it is spent.
    pub fn left(&self, budget: &Budget) -> Option<Left> {
        let operations = budget.operations.checked_sub(self.operations.load(Ordering::Relaxed))?;
        let spent = Duration::from_nanos(self.nanos.load(Ordering::Relaxed));
        let time = budget.time.checked_sub(spent)?;
        (operations > 0 && !time.is_zero()).then(|| Left {
            operations,
            time,
            cpu_deadline: self.cpu_deadline(budget),
        })
    }

    /// Notes the thread's CPU clock before the run's first call (later calls: nothing), so
    /// that time claims can be checked ([`Meter::add`]).
    pub fn start(&self) {
        if self.cpu_base.load(Ordering::Relaxed) == UNSET
            && let Some(now) = thread_cpu_nanos()
        {
            self.cpu_base.store(now, Ordering::Relaxed);
        }
    }

    /// Adds one call's work (`time` is its wall time); returns whether `budget` is now spent.
    /// A time that reaches the budget is first checked against the thread's CPU time since
    /// [`Meter::start`], and lowered to it. One run's calls happen on one thread, so this is
    /// a load and a store rather than a locked addition.
    pub fn add(&self, operations: u64, time: Duration, budget: &Budget) -> bool {
        let operations = self.operations.load(Ordering::Relaxed).saturating_add(operations);
        let nanos = u64::try_from(time.as_nanos()).unwrap_or(u64::MAX);
        let mut nanos = self.nanos.load(Ordering::Relaxed).saturating_add(nanos);
        if Duration::from_nanos(nanos) >= budget.time {
            nanos = nanos.min(self.cpu_since_start().unwrap_or(u64::MAX));
        }
        self.operations.store(operations, Ordering::Relaxed);
        self.nanos.store(nanos, Ordering::Relaxed);
        operations >= budget.operations || Duration::from_nanos(nanos) >= budget.time
    }

    /// The CPU time the thread used since [`Meter::start`], if it was started and the
    /// platform can tell: an upper bound of what the run's scripts used.
    pub fn cpu_since_start(&self) -> Option<u64> {
        let base = self.cpu_base.load(Ordering::Relaxed);
        (base != UNSET).then(|| thread_cpu_nanos().map(|now| now.saturating_sub(base)))?
    }

    /// The thread CPU time at which `budget`'s time is spent, for the check inside a call.
    pub fn cpu_deadline(&self, budget: &Budget) -> Option<u64> {
        let base = self.cpu_base.load(Ordering::Relaxed);
        let time = u64::try_from(budget.time.as_nanos()).unwrap_or(u64::MAX);
        (base != UNSET).then(|| base.saturating_add(time))
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

/// The calling thread's CPU time in nanoseconds (`CLOCK_THREAD_CPUTIME_ID`), where the
/// platform has it.
pub fn thread_cpu_nanos() -> Option<u64> {
    #[cfg(unix)]
    {
        let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
        // SAFETY: `ts` is a valid, writable timespec; the call only writes it.
        let ok = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) } == 0;
        ok.then(|| {
            (ts.tv_sec as u64)
                .saturating_mul(1_000_000_000)
                .saturating_add(ts.tv_nsec as u64)
        })
    }
    #[cfg(not(unix))]
    {
        None
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

    #[test]
    fn a_time_claim_is_checked_against_the_threads_cpu_time() {
        let budget = Budget {
            operations: 1_000,
            time: Duration::from_secs(1),
        };
        // Started: two seconds of wall time (a loaded machine) but almost no CPU time.
        let meter = Meter::default();
        meter.start();
        if thread_cpu_nanos().is_some() {
            assert!(!meter.add(1, Duration::from_secs(2), &budget));
            let left = meter.left(&budget).expect("not spent");
            let deadline = left.cpu_deadline.expect("started");
            assert!(thread_cpu_nanos().expect("clock") < deadline);
        }
    }
}
