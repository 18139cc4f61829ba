//! The engine scripts run in: no way out, and bounded in time, depth and memory.
//!
//! rhai has no file, network, process or environment functions unless the host adds them,
//! and rotor adds none; `no_module` (in `Cargo.toml`) removes `import` and `no_time` the
//! clock. The engine is built from rhai's packages one by one, leaving out the language-core
//! package, whose `sleep` waits outside every limit (and whose `exit` ends a script early).
//! What is left to guard against is a script that never stops or eats memory, which the
//! limits below bound per call, and [`super::Budget`] over a whole run.

use std::cell::Cell;
use std::time::{Duration, Instant};

use rhai::Engine;
use rhai::packages::{
    ArithmeticPackage, BasicArrayPackage, BasicBlobPackage, BasicFnPackage, BasicIteratorPackage, BasicMapPackage,
    BasicMathPackage, BasicStringPackage, BitFieldPackage, LogicPackage, MoreStringPackage, Package,
};

rhai::def_package! {
    /// What `Engine::new` registers (rhai's standard package) but the language core, whose
    /// `sleep` waits outside every limit and whose `exit` ends a script early. One module,
    /// as the standard package is, so a call looks its function up in one index.
    SandboxPackage(lib):
        ArithmeticPackage,
        BasicStringPackage,
        BasicIteratorPackage,
        BasicFnPackage,
        BitFieldPackage,
        LogicPackage,
        BasicMathPackage,
        BasicArrayPackage,
        BasicBlobPackage,
        BasicMapPackage,
        MoreStringPackage
    {
        // Nothing of its own: the packages above are the whole of it.
        let _ = lib;
    }
}

use super::budget::Left;
use super::series;

/// How much one call of a script function may do. Every limit is per call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// rhai operations (roughly: expressions evaluated and loop iterations).
    pub operations: u64,
    /// Wall time, checked every [`CLOCK_EVERY`] operations.
    pub time: Duration,
    /// Nested function calls.
    pub call_levels: usize,
    /// Nesting of expressions outside functions; checked when compiling.
    pub expr_depth: usize,
    /// Nesting of expressions inside functions; checked when compiling.
    pub fn_expr_depth: usize,
    /// Bytes in one string.
    pub string_size: usize,
    /// Items in one array, counting nested arrays.
    pub array_size: usize,
    /// Entries in one object map, counting nested maps.
    pub map_size: usize,
    /// Variables alive at once.
    pub variables: usize,
}

impl Default for Limits {
    /// Generous for an indicator (a few thousand operations per bar is typical) and small
    /// enough that a hostile script costs at most about a second and a few megabytes.
    fn default() -> Self {
        Limits {
            operations: 1_000_000,
            time: Duration::from_secs(1),
            call_levels: 32,
            expr_depth: 64,
            fn_expr_depth: 64,
            string_size: 64 * 1024,
            array_size: 100_000,
            map_size: 10_000,
            variables: 1_000,
        }
    }
}

/// Reading the clock costs about as much as a cheap operation, so it is read only every this
/// many operations; the slowest single operations (reversing or scanning a 100,000-item array)
/// take a fraction of a millisecond, so the deadline is overshot by well under 0.1 s.
pub const CLOCK_EVERY: u64 = 256;

thread_local! {
    /// When the running call started. Calls run on one thread from start to end, so a
    /// thread-local is the call's own clock even when sweep workers share one engine.
    static STARTED: Cell<Option<Instant>> = const { Cell::new(None) };
    /// Operations the running call has done so far, as rhai counts them.
    static OPERATIONS: Cell<u64> = const { Cell::new(0) };
    /// What the run's budget leaves for the running call.
    static LEFT: Cell<Option<Left>> = const { Cell::new(None) };
}

/// Starts a new call's clock and operation count, with `left` of the run's budget (`None`:
/// no budget); returns when it started.
pub fn start_call(left: Option<Left>) -> Instant {
    let now = Instant::now();
    STARTED.set(Some(now));
    OPERATIONS.set(0);
    LEFT.set(left);
    now
}

/// The operations the call that ran last on this thread did.
pub fn operations() -> u64 {
    OPERATIONS.get()
}

/// The value `on_progress` stops a script with, so the error can say it was the clock.
pub const TIMED_OUT: &str = "rotor: time limit";
/// The value `on_progress` stops a script with when the run's budget is spent.
pub const OVER_BUDGET: &str = "rotor: run budget";

/// A fresh engine with the series type registered, `eval` switched off, output discarded,
/// and `limits` in force.
pub fn engine(limits: &Limits) -> Engine {
    let mut engine = Engine::new_raw();
    engine.register_global_module(SandboxPackage::new().as_shared_module());
    engine.set_max_strings_interned(256);
    engine.disable_symbol("eval");
    // Functions see only their parameters and locals, so a name that is neither is a typo:
    // better reported when the script loads than on some bar years into a backtest.
    engine.set_strict_variables(true);
    // A shared strategy must not write to the reader's terminal; output is also not
    // reproducible across sweep threads.
    engine.on_print(|_| {});
    engine.on_debug(|_, _, _| {});
    engine
        .set_max_operations(limits.operations)
        .set_max_call_levels(limits.call_levels)
        .set_max_expr_depths(limits.expr_depth, limits.fn_expr_depth)
        .set_max_string_size(limits.string_size)
        .set_max_array_size(limits.array_size)
        .set_max_map_size(limits.map_size)
        .set_max_variables(limits.variables);
    let time = limits.time;
    engine.on_progress(move |ops| {
        OPERATIONS.set(ops);
        if ops % CLOCK_EVERY != 0 {
            return None;
        }
        let left = LEFT.get();
        if left.is_some_and(|left| ops >= left.operations) {
            return Some(OVER_BUDGET.into());
        }
        let elapsed = STARTED.get()?.elapsed();
        if elapsed > time {
            Some(TIMED_OUT.into())
        } else if let Some(left) = left.filter(|left| elapsed > left.time) {
            // Wall time overstates work on a busy machine: stop only when the thread's CPU
            // time says the budget is really spent.
            let cpu = super::budget::thread_cpu_nanos();
            match (cpu, left.cpu_deadline) {
                (Some(now), Some(deadline)) if now < deadline => None,
                _ => Some(OVER_BUDGET.into()),
            }
        } else {
            None
        }
    });
    series::register(&mut engine);
    engine
}
