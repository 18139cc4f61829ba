//! Custom indicators written in rhai.
//!
//! A strategy says `use "indicators/momentum.rhai"` and calls the script's functions like
//! built-in indicators. Strategies are shared as text and run by people who did not write
//! them, so a script runs in a sandbox: no files, network, processes, environment, clock or
//! sleep (a call to one is an error when the script loads), no `eval`, no `import`, no
//! output, per-call limits on operations, wall time, call depth and memory ([`Limits`]), and
//! a budget for all calls of a run together ([`Budget`]). A function sees each series as a [`SeriesView`] that ends at the
//! current bar, so no script can look ahead. docs/SCRIPTING.md is the author's guide.
//!
//! Flow: [`Scripts::load`] reads and compiles the files once; the checker reads
//! [`Scripts::functions`]; the engine calls [`Scripts::call`] once per bar per call site.

mod budget;
mod call;
mod diagnose;
mod error;
mod forbidden;
mod outline;
mod sandbox;
mod scripts;
mod series;
mod undefined;

/// Functions one script may define: rhai's parser looks each name a function uses up among
/// all the functions parsed before it, so parsing takes time in the square of their number
/// (20,000 took 7 s, in an editor on every change). The longest example script defines 6.
pub const MAX_FUNCTIONS: usize = 1_000;

pub use budget::{Budget, DEFAULT_RUN_OPERATIONS, DEFAULT_RUN_TIME};
pub use call::{Arg, CallContext, ScriptFunction};
pub use error::ScriptError;
pub use forbidden::NOT_AVAILABLE;
pub use sandbox::Limits;
pub use scripts::Scripts;
pub use series::SeriesView;
