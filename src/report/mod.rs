//! The report: the figures of a backtest computed from its equity curve and cash flows, and
//! every way they are written out.
//!
//! [`metrics`] turns a curve into returns, risk and drawdown figures, [`xirr`] solves the
//! money-weighted return, and [`sparkline`] draws a curve in one line of text. [`Report`]
//! gathers what a run found, its curve and its assumptions in words (`--json` prints it);
//! [`summary`] renders it for people, [`csv`] as the trades and equity files, with the
//! number formats of [`number`] and no negative zero ([`zero`]). [`meaning`] says why a
//! figure is null, [`years`] which calendar years are whole. A new output (an HTML page,
//! say) is one new file here that reads a [`Report`].

pub mod after_tax;
mod assumption;
pub use assumption::{stale_limit, words as assumption_words};
pub mod compare;
pub mod conditions;
pub mod csv;
pub mod detail;
pub mod heatmap;
pub mod html;
pub mod meaning;
pub mod metrics;
pub mod monthly;
pub mod number;
pub mod plot;
pub mod ranked;
pub mod returns;
pub mod rolling;
pub mod round_trips;
pub mod rows;
mod run_report;
pub mod sleeves;
pub mod sparkline;
pub mod summary;
pub mod term_text;
pub mod underwater;
pub mod warning;
pub mod xirr;
pub mod years;
pub mod zero;

pub use detail::RunDetail;
pub use run_report::{EquityCurve, Report, SCHEMA_VERSION, metrics_of};
pub use warning::StrategyWarning;
