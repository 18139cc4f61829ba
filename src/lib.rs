//! rotor: trading and allocation strategies as short plain-text files,
//! backtested honestly over historical CSV data.
//!
//! The pipeline reads from the module names:
//! [`syntax`] (grammar → AST) → [`check`] (names, types, arity → a resolved program) →
//! [`data`] (CSV → columns) → [`engine`] (the backtest) → [`report`] (metrics, summary,
//! JSON, CSV). [`pipeline`] drives them, for the command line and for programs that embed
//! rotor.

pub mod access;
pub mod calendar;
pub mod check;
pub mod civil;
pub mod cli;
pub mod data;
pub mod diagnostic;
pub mod display;
pub mod engine;
pub mod fedwatch;
pub mod format;
pub mod indicators;
pub mod language;
pub mod lsp;
pub mod money;
pub mod output;
pub mod pipeline;
pub mod repl;
pub mod report;
#[cfg(test)]
mod scratch;
pub mod script;
pub mod source;
pub mod suggest;
pub mod sweep;
pub mod syntax;
