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

/// A fresh folder under the system's temporary folder, unique per call.
pub fn temp_dir(label: &str) -> std::path::PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let n = N.fetch_add(1, Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!("rotor-{label}-{}-{n}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temporary folder can be created");
    dir
}
