//! Runs every command in docs/GUIDE.md (and the other docs' `console` blocks) and checks
//! that each line shown under it appears in its output.

mod common;

use std::process::Command;

#[test]
fn every_console_command_in_the_docs_runs_as_shown() {
    let mut checked = 0;
    for doc in ["docs/GUIDE.md", "docs/REPL.md", "docs/SCRIPTING.md", "docs/FEDWATCH.md"] {
        let Ok(text) = std::fs::read_to_string(common::root().join(doc)) else {
            continue;
        };
        let mut block: Option<Vec<String>> = None;
        for line in text.lines() {
            match (&mut block, line.trim_start()) {
                (None, "```console") => block = Some(Vec::new()),
                (Some(lines), "```") => {
                    check_block(doc, lines);
                    checked += 1;
                    block = None;
                }
                (Some(lines), l) => lines.push(l.to_string()),
                _ => {}
            }
        }
    }
    assert!(checked >= 5, "the guide has commands");
}

fn check_block(doc: &str, lines: &[String]) {
    let command = lines[0]
        .strip_prefix("$ rotor ")
        .unwrap_or_else(|| panic!("{doc}: a block starts with `$ rotor`"));
    let (args, stdin) = match command.split_once(" < ") {
        Some((a, file)) => (a, Some(file.trim())),
        None => (command, None),
    };
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_rotor"));
    cmd.args(args.split_whitespace())
        .current_dir(common::root())
        .env("NO_COLOR", "1");
    if let Some(file) = stdin {
        cmd.stdin(std::fs::File::open(common::root().join(file)).expect("stdin file exists"));
    }
    let out = cmd.output().expect("rotor runs");
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{doc}: `{command}` crashed:\n{all}"
    );
    for expected in &lines[1..] {
        if expected == "…" || expected.is_empty() {
            continue;
        }
        assert!(
            all.contains(expected.as_str()),
            "{doc}: `{command}` should print `{expected}`; it printed:\n{all}"
        );
    }
}
