//! Data that would be read wrongly without a word (a new user's attack, issue of the
//! `data7` branch): each case here says what it did, or refuses with the file named. The
//! files are small and written by hand in each test.

mod common;

use std::path::{Path, PathBuf};

/// A fresh folder with `files` (name, text) and the strategy `body` as `s.rotor`.
fn folder(label: &str, files: &[(&str, &str)], body: &str) -> PathBuf {
    let dir = common::temp_dir(label);
    for (name, text) in files {
        std::fs::write(dir.join(name), text).expect("a temporary file is writable");
    }
    std::fs::write(dir.join("s.rotor"), body).expect("a temporary file is writable");
    dir
}

fn rotor(dir: &Path, args: &[&str]) -> common::Run {
    common::rotor(dir, args)
}

#[test]
fn a_price_file_whose_close_is_called_price_is_named_in_the_unknown_symbol_error() {
    // `Date,Price` has no close column: the file is read as one series, named `Price` by its
    // column, and `IWM` is no symbol. The error must say why, not "there are no symbols".
    let dir = folder(
        "renamed",
        &[(
            "IWM.csv",
            "Date,Price\n2024-01-02,100\n2024-01-03,101\n2024-01-04,102\n",
        )],
        "data \"IWM.csv\"\nbuy IWM monthly\n",
    );
    let out = rotor(&dir, &["check", "s.rotor", "--format", "json"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let list: serde_json::Value = serde_json::from_str(&out.stdout).expect("JSON");
    let error = &list[0];
    assert_eq!(error["message"], "unknown symbol `IWM`");
    let help = error["help"].as_str().expect("a help");
    assert!(
        help.starts_with("`IWM.csv` has no close column, so it was read as a series `Price` (named by its column), not as the prices of `IWM`"),
        "{help}"
    );
    assert!(help.contains("rename its column `Price` to `Close`"), "{help}");
    assert!(help.contains("`data \"IWM.csv\" as series NAME`"), "{help}");
    assert!(!help.contains("there are no symbols"), "{help}");
}
