//! A deliberately simple, slow reference backtester for the property test
//! (tests/properties.rs): per bar, per rule, every value recomputed from the raw
//! histories, written apart from rotor's engine and syntax tree. docs/REFERENCE.md
//! describes it and the divergences it found.

#![allow(dead_code)]

pub mod account;
pub mod eval;
pub mod features;
pub mod generate;
pub mod market;
pub mod model;
pub mod schedule;
pub mod simulate;
