//! Scratch folders for the unit tests: one under the system's temporary folder per call,
//! removed when the test that made it ends.

use std::path::PathBuf;

thread_local! {
    /// The folders [`folder`] made on this thread: each test runs on a thread of its own,
    /// so they are removed (each a `tempfile::TempDir`) when the test ends.
    static FOLDERS: std::cell::RefCell<Vec<tempfile::TempDir>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// A fresh folder named `rotor-{label}-…` with the folder `sub` (a relative path) in it,
/// kept until the test (its thread) ends.
pub(crate) fn folder(label: &str, sub: &str) -> PathBuf {
    let dir = tempfile::Builder::new()
        .prefix(&format!("rotor-{label}-"))
        .tempdir()
        .expect("a scratch folder");
    let path = dir.path().to_path_buf();
    std::fs::create_dir_all(path.join(sub)).expect("a scratch folder");
    FOLDERS.with(|folders| folders.borrow_mut().push(dir));
    path
}
