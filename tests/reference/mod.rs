//! A deliberately simple, slow reference backtester for the property test
//! (tests/properties.rs): per bar, per rule, every value recomputed from the raw
//! histories, written apart from rotor's engine and syntax tree. docs/REFERENCE.md
//! describes it and the divergences it found.

#![allow(dead_code)]

pub mod account;
pub mod compare;
pub mod eval;
pub mod features;
pub mod generate;
pub mod market;
pub mod model;
pub mod positions;
pub mod schedule;
pub mod simulate;

// The test helpers' temporary folders (removed when each test ends), shared rather than
// written again here: the property tests include this module without `mod common`.
#[path = "../common/mod.rs"]
mod common;
pub use common::temp_dir;
