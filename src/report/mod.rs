//! The report: the figures of a backtest computed from its equity curve and cash flows.
//!
//! [`metrics`] turns a curve into returns, risk and drawdown figures, [`xirr`] solves the
//! money-weighted return, and [`sparkline`] draws a curve in one line of text. [`Report`]
//! gathers a run's figures (what `--json` prints); [`summary`] renders them for people.

pub mod frequency;
pub mod meaning;
pub mod metrics;
mod run_report;
pub mod sparkline;
pub mod summary;
pub mod xirr;
pub mod years;
pub mod zero;

pub use run_report::{Report, SCHEMA_VERSION, metrics_of};
