//! A stranger's strategy is safe to run (docs/SECURITY.md): one module per kind of attack,
//! each driving the real binary with a hostile file and checking that the answer is a
//! diagnostic (exit 1), never a crash, a hang, a leak or damage to the user's files.

#[path = "../common/mod.rs"]
mod common;

mod escaping;
mod file_access;
mod input_limits;
mod long_lines;
mod mutation;
mod outputs;
mod scripts;
mod shards;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

pub use common::{Run, flat, rotor, rotor_bounded, temp_dir};

/// Runs `rotor ARGS…` in `dir` with `input` on standard input.
pub fn rotor_with_input(dir: &Path, args: &[&str], input: &[u8]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rotor"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the rotor binary starts");
    let mut stdin = child.stdin.take().expect("stdin is piped");
    // Written from a thread: a large input must not block on a full pipe while rotor writes.
    let input = input.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let out = child.wait_with_output().expect("rotor finishes");
    let _ = writer.join();
    Run {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        code: out.status.code().unwrap_or(-1),
    }
}

/// The run ended with a diagnostic: exit 1 (not 101 for a panic, 134 for an abort, or a
/// signal), with a `rotor::` code on standard error.
#[track_caller]
pub fn assert_diagnostic(run: &Run, code: &str) {
    assert_eq!(run.code, 1, "exit {}; stderr:\n{}", run.code, cut(&run.stderr));
    assert!(!run.stderr.contains("panicked"), "{}", cut(&run.stderr));
    assert!(run.stderr.contains(code), "no {code} in:\n{}", cut(&run.stderr));
}

/// At most the first 3,000 characters, for assertion messages.
pub fn cut(text: &str) -> String {
    text.chars().take(3_000).collect()
}

/// Writes `files` (name, contents) into a fresh folder and returns it.
pub fn folder(label: &str, files: &[(&str, &[u8])]) -> std::path::PathBuf {
    let dir = temp_dir(label);
    for (name, bytes) in files {
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("a folder can be made");
        }
        std::fs::write(path, bytes).expect("a test file can be written");
    }
    dir
}
