//! A real editor's LSP client against `rotor lsp`: headless Neovim (Debian's `neovim`
//! package; `.ci/run` installs it) with the documented setup, editors/neovim/rotor.lua,
//! opens the sample strategy with a typo and must receive the located diagnostic, apply
//! the quick fix, and get completion and hover. Skipped, with a message, where `nvim` is
//! missing.

mod common;

use std::process::Command;
use std::time::Duration;

#[test]
fn neovim_shows_the_typo_and_applies_the_quick_fix() {
    if Command::new("nvim").arg("--version").output().is_err() {
        eprintln!("skipped: `nvim` is not installed (`apt-get install neovim`)");
        return;
    }
    let dir = common::temp_dir("lsp-neovim");
    let text = std::fs::read_to_string(common::root().join("strategies/rate_cut_dca.rotor"))
        .expect("the sample strategy is in the repository")
        .replace("while fed_cut_prob > threshold", "while fed_cut_prb > threshold");
    let file = dir.join("rate_cut_dca.rotor");
    std::fs::write(&file, &text).expect("the fixture can be written");
    let out = dir.join("out.txt");
    let mut child = Command::new("nvim")
        .args(["--headless", "--clean", "-n", "-i", "NONE", "-c"])
        .arg(format!(
            "luafile {}",
            common::root().join("tests/fixtures/lsp/neovim_session.lua").display()
        ))
        .env("ROTOR_BIN", env!("CARGO_BIN_EXE_rotor"))
        .env("ROTOR_SETUP", common::root().join("editors/neovim/rotor.lua"))
        .env("ROTOR_FILE", &file)
        .env("ROTOR_OUT", &out)
        .env("HOME", &dir)
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .env("XDG_DATA_HOME", dir.join("data"))
        .env("XDG_STATE_HOME", dir.join("state"))
        .current_dir(&dir)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("nvim starts");
    // Neovim quits by itself; a hung one is stopped so the test fails instead of hanging.
    let mut waited = Duration::ZERO;
    while child.try_wait().expect("nvim can be waited for").is_none() {
        if waited > Duration::from_secs(120) {
            let _ = child.kill();
            panic!("nvim did not finish");
        }
        std::thread::sleep(Duration::from_millis(100));
        waited += Duration::from_millis(100);
    }
    let report = std::fs::read_to_string(&out).unwrap_or_else(|_| panic!("nvim wrote no report"));
    let lines: Vec<Vec<&str>> = report.lines().map(|l| l.split('\t').collect()).collect();
    let find = |key: &str| lines.iter().filter(|l| l[0] == key).collect::<Vec<_>>();
    assert!(find("error").is_empty(), "{report}");
    assert_eq!(find("filetype")[0][1], "rotor", "{report}");

    // The diagnostic, where the typo is (0-based line and byte column, as Neovim keeps them).
    let line = text
        .lines()
        .position(|l| l.contains("fed_cut_prb"))
        .expect("the typo's line");
    let column = text
        .lines()
        .nth(line)
        .and_then(|l| l.find("fed_cut_prb"))
        .expect("the typo");
    let diagnostics = find("diagnostic");
    assert_eq!(diagnostics.len(), 1, "{report}");
    let d = diagnostics[0];
    assert_eq!(
        (d[1], d[2], d[3]),
        (
            line.to_string().as_str(),
            column.to_string().as_str(),
            (column + 11).to_string().as_str()
        ),
        "{report}"
    );
    assert_eq!((d[4], d[5]), ("rotor::check::unknown_name", "rotor"), "{report}");
    assert!(
        d[6].starts_with("unknown series `fed_cut_prb` | help: did you mean `fed_cut_prob`?"),
        "{report}"
    );

    // The quick fix, applied by Neovim.
    assert_eq!(find("action")[0][1], "Change to `fed_cut_prob`", "{report}");
    assert_eq!(
        find("fixed line")[0][1],
        "buy IWO monthly while fed_cut_prob > threshold",
        "{report}"
    );
    let completions: Vec<&str> = find("completion").iter().map(|l| l[1]).collect();
    assert_eq!(completions, ["monthly"], "{report}");
    assert_eq!(
        find("hover")[0][1],
        "`monthly`: the first trading day of each month",
        "{report}"
    );
}
