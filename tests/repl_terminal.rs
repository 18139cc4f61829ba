//! `rotor repl` on a terminal: completion, Ctrl-C and history, through a pseudo-terminal
//! made by `script` (util-linux). Skipped, with a message, where `script` is missing.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Generous: the machine running the tests may be busy.
const TIMEOUT: Duration = Duration::from_secs(30);

struct Terminal {
    child: Child,
    input: ChildStdin,
    screen: Arc<Mutex<String>>,
}

impl Terminal {
    /// Starts `rotor repl` in a pseudo-terminal, with its data folder (history) in `home`.
    fn start(home: &Path) -> Option<Terminal> {
        if Command::new("script").arg("--version").output().is_err() {
            eprintln!("skipped: `script` (util-linux) is not installed");
            return None;
        }
        let command = format!("{} repl", env!("CARGO_BIN_EXE_rotor"));
        let mut child = Command::new("script")
            .args(["-qfec", &command, "/dev/null"])
            .env("XDG_DATA_HOME", home)
            .env("HOME", home)
            .env("NO_COLOR", "1")
            .env("TERM", "xterm")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("script starts");
        let input = child.stdin.take().expect("stdin is piped");
        let mut output = child.stdout.take().expect("stdout is piped");
        let screen = Arc::new(Mutex::new(String::new()));
        let sink = screen.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = output.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock()
                    .expect("the reader holds the lock briefly")
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        let mut t = Terminal { child, input, screen };
        t.expect("rotor> ");
        Some(t)
    }

    fn send(&mut self, keys: &str) {
        self.input.write_all(keys.as_bytes()).expect("the terminal takes input");
        self.input.flush().expect("flush");
    }

    /// Waits until `text` appears on the screen after everything seen so far.
    fn expect(&mut self, text: &str) -> String {
        let start = Instant::now();
        loop {
            {
                let mut screen = self.screen.lock().expect("lock");
                if let Some(i) = screen.find(text) {
                    let seen = screen[..i + text.len()].to_string();
                    screen.replace_range(..i + text.len(), "");
                    return seen;
                }
                assert!(
                    start.elapsed() < TIMEOUT,
                    "timed out waiting for {text:?}; screen: {screen:?}"
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Ctrl-D, then waits for the REPL to leave.
    fn finish(mut self) {
        self.send("\x04");
        let start = Instant::now();
        while self.child.try_wait().expect("wait").is_none() {
            if start.elapsed() > TIMEOUT {
                let _ = self.child.kill();
                panic!("the REPL did not leave on Ctrl-D");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

fn home(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("repl-tty-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("the scratch folder can be made");
    dir
}

#[test]
fn tab_completes_a_function_and_ctrl_c_drops_the_line() {
    let home = home("complete");
    let Some(mut t) = Terminal::start(&home) else { return };
    // `sq` is only `sqrt(`; the completed call then evaluates.
    t.send("sq\t");
    t.expect("sqrt(");
    t.send("16)\r");
    t.expect("4 (as of");
    // Half a line, Ctrl-C, then a new line: only the new line is evaluated.
    t.send("no_such_name");
    t.expect("no_such_name");
    t.send("\x03");
    t.expect("rotor> ");
    t.send("40 + 2\r");
    let seen = t.expect("(as of");
    assert!(seen.contains("42"), "{seen:?}");
    assert!(
        !seen.contains("unknown"),
        "the dropped line was not evaluated: {seen:?}"
    );
    t.finish();
}

#[test]
fn history_is_kept_between_sessions() {
    let home = home("history");
    let Some(mut t) = Terminal::start(&home) else { return };
    t.send("6 * 7\r");
    t.expect("42 (as of");
    t.finish();
    assert!(home.join("rotor/history").exists(), "the history file is written");
    let Some(mut t) = Terminal::start(&home) else { return };
    // Up arrow recalls the last session's line.
    t.send("\x1b[A\r");
    t.expect("42 (as of");
    t.finish();
}

/// A line typed at the prompt that starts with `,` or `and` carries on the list of the
/// statement typed just before it, as the next line of a file would: the statement is
/// replaced by the whole of it (at a terminal the REPL cannot wait for the next line before
/// it answers, as it does on a pipe).
#[test]
fn a_line_starting_with_a_comma_or_and_goes_on_the_statement_above() {
    let home = home("list-goes-on");
    let Some(mut t) = Terminal::start(&home) else { return };
    t.send("fees 0.1%\r");
    t.expect("added 1: fees 0.1%");
    t.send("  , 1 USD per trade\r");
    t.expect("added 1: fees 0.1%, 1 USD per trade");
    t.send("buy 100 USD of IWM monthly with stop loss 10%\r");
    t.expect("added 2: buy 100 USD of IWM monthly with stop loss 10%");
    t.send("  and take profit 25%\r");
    t.expect("added 2: buy 100 USD of IWM monthly with stop loss 10%, take profit 25%");
    t.send(":rules\r");
    let seen = t.expect("  2  buy");
    assert!(seen.contains("  1  fees 0.1%, 1 USD per trade"), "{seen:?}");
    let rest = t.expect("rotor> ");
    assert!(!rest.contains("  3  "), "no third statement: {rest:?}");
    t.finish();
}
