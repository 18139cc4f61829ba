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

thread_local! {
    /// The folders [`temp_dir`] made on this thread. libtest runs each test on a thread of
    /// its own, so they are removed (each a `tempfile::TempDir`) when the test ends.
    static FOLDERS: std::cell::RefCell<Vec<tempfile::TempDir>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// A fresh folder of its own under the system's temporary folder, unique per call, removed
/// when the test (its thread) ends.
pub fn temp_dir(label: &str) -> std::path::PathBuf {
    let dir = tempfile::Builder::new()
        .prefix(&format!("rotor-{label}-"))
        .tempdir()
        .expect("temporary folder can be created");
    let path = dir.path().to_path_buf();
    FOLDERS.with(|folders| folders.borrow_mut().push(dir));
    path
}
