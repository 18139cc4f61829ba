//! `rotor completions SHELL` and `rotor man`: generated from the command line's own
//! definitions, so every command appears in them.

mod common;

use common::{root, rotor, temp_dir};

const COMMANDS: &[&str] = &[
    "check",
    "fmt",
    "run",
    "compare",
    "sweep",
    "repl",
    "lsp",
    "completions",
    "man",
];

#[test]
fn completion_scripts_name_every_command() {
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef rotor"),
        ("fish", "complete -c rotor"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let out = rotor(root(), &["completions", shell]);
        assert_eq!(out.code, 0, "{shell}: {}", out.stderr);
        assert!(out.stdout.contains(marker), "{shell}: no `{marker}`");
        for command in COMMANDS {
            assert!(out.stdout.contains(command), "{shell}: no `{command}`");
        }
    }
    let out = rotor(root(), &["completions", "tcsh"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("possible values"), "{}", out.stderr);
}

#[test]
fn the_man_page_lists_the_commands_and_one_page_per_command_can_be_written() {
    let out = rotor(root(), &["man"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains(".TH rotor 1") && out.stdout.contains(".SH SUBCOMMANDS"),
        "{}",
        out.stdout
    );
    for command in COMMANDS {
        assert!(
            out.stdout.contains(&format!("rotor\\-{command}")),
            "no `{command}` in the page"
        );
    }
    let dir = temp_dir("man");
    let out = rotor(root(), &["man", "--dir", dir.to_str().expect("a UTF-8 path")]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    for page in ["rotor.1", "rotor-run.1", "rotor-lsp.1", "rotor-check.1"] {
        let text = std::fs::read_to_string(dir.join(page)).unwrap_or_else(|_| panic!("{page} is written"));
        assert!(text.contains(".TH"), "{page}");
    }
}

/// `--dir` makes the folders of its path that are missing (the README's
/// `~/.local/share/man/man1` often is), and says which above the last it made, so a typo
/// in a parent (`mna/man1`) does not go unseen.
#[test]
fn man_dir_says_which_missing_folders_it_made() {
    let dir = temp_dir("man-parent");
    let out = rotor(&dir, &["man", "--dir", "missing/deeper/man1"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(dir.join("missing/deeper/man1/rotor.1").is_file());
    let made = format!(
        "made the missing folders `missing`, `{}` above `{}`",
        std::path::Path::new("missing").join("deeper").display(),
        std::path::Path::new("missing/deeper/man1").display()
    );
    assert!(out.stderr.contains(&made), "{}", out.stderr);
    // Only the last folder missing: it is what `--dir` names, nothing to say.
    let out = rotor(&dir, &["man", "--dir", "man1"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(dir.join("man1/rotor.1").is_file());
    assert_eq!(out.stderr, "");
}

#[test]
fn man_dir_naming_a_file_says_it_is_a_file() {
    // It said "cannot write `pages`: File exists (os error 17)", which reads as though the
    // pages were there already.
    let dir = temp_dir("man-file");
    let file = dir.join("pages");
    std::fs::write(&file, "mine\n").expect("writable");
    let out = rotor(&dir, &["man", "--dir", "pages"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stderr.contains("rotor::io::write"), "{}", out.stderr);
    let text = out.stderr.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(text.contains("it is a file, not a folder"), "{}", out.stderr);
    assert!(!text.contains("os error"), "{}", out.stderr);
    assert_eq!(
        std::fs::read_to_string(&file).expect("readable"),
        "mine\n",
        "left alone"
    );
}
