//! Custom indicators written in rhai.
//!
//! A strategy says `use "indicators/momentum.rhai"` and calls the script's functions like
//! built-in indicators. Strategies are shared as text and run by people who did not write
//! them, so a script runs in a sandbox: no files, network, processes or environment, no
//! `eval`, no `import`, no output, and per-call limits on operations, wall time, call depth
//! and memory ([`Limits`]). A function sees each series as a [`SeriesView`] that ends at the
//! current bar, so no script can look ahead. docs/SCRIPTING.md is the author's guide.
//!
//! Flow: [`Scripts::load`] reads and compiles the files once; the checker reads
//! [`Scripts::functions`]; the engine calls [`Scripts::call`] once per bar per call site.

mod call;
mod diagnose;
mod error;
mod outline;
mod sandbox;
mod scripts;
mod series;

pub use call::{Arg, CallContext, ScriptFunction};
pub use error::ScriptError;
pub use sandbox::Limits;
pub use scripts::Scripts;
pub use series::SeriesView;
