//! `rotor repl`: try expressions against the data and build a strategy line by line.
//!
//! [`Session`] holds the state and answers each input, with no terminal code; this file is
//! the loop around it. On a terminal: rustyline, with history, completion, hints and
//! colour. Otherwise (a pipe, a script): one input per line from standard input, no prompt,
//! results on standard output, diagnostics on standard error, and exit status 1 if any
//! input failed, so a script of REPL inputs can be checked in CI.

mod blocks;
mod command;
mod error;
mod help;
mod helper;
mod paths;
mod query;
mod session;

use std::collections::VecDeque;
use std::io::{BufRead, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use rustyline::error::ReadlineError;

use crate::diagnostic::Failure;
use rustyline::history::DefaultHistory;
use rustyline::{Config, Editor};

pub use command::{COMMANDS, Command};
pub use error::{Problem, ReplError};
pub use helper::{ReplHelper, colorize, is_incomplete};
pub use session::{Outcome, Session};

/// Runs the REPL, first loading `file` if given; `options.data` replaces the bundled sample
/// data; `--allow-path`, the size limits and the script budget come from `options` too.
pub fn run(file: Option<&Path>, options: &crate::pipeline::RunOptions) -> ExitCode {
    let mut session = Session::with_options(options);
    if std::io::stdin().is_terminal() {
        interactive(&mut session, file)
    } else {
        piped(&mut session, file)
    }
}

/// Prints an outcome; returns whether it was an error. Answers echo what was typed or
/// loaded, so control characters in them are escaped.
fn show(outcome: &Outcome, color: bool) -> bool {
    print!("{}", crate::display::escape(&outcome.output));
    let _ = std::io::stdout().flush();
    for note in &outcome.notes {
        eprintln!("note: {}", crate::display::escape(note));
    }
    eprint!("{}", crate::diagnostic::render_warnings(&outcome.warnings, color));
    eprint!(
        "{}",
        crate::diagnostic::render_warnings(&outcome.strategy_warnings, color)
    );
    if let Some(problem) = &outcome.error {
        eprint!("{}", problem.render(color));
    }
    outcome.error.is_some()
}

fn piped(session: &mut Session, file: Option<&Path>) -> ExitCode {
    let mut failed = file.is_some_and(|f| show(&session.load(f), false));
    let mut pending = String::new();
    let mut stdin = std::io::stdin().lock();
    // Lines read past a finished statement, to see whether a later one carries its list on
    // with `,` or `and` (as a file's does): they are the next inputs when it does not.
    let mut ahead: VecDeque<Input> = VecDeque::new();
    loop {
        let line = match ahead.pop_front() {
            Some(input) => input,
            None => match next_input(&mut stdin) {
                Ok(Some(input)) => input,
                Ok(None) => break,
                Err(e) => {
                    eprintln!("error: cannot read standard input: {e}");
                    return ExitCode::FAILURE;
                }
            },
        };
        let line = match line {
            Input::Text(line) => line,
            Input::TooLong => {
                let problem = crate::diagnostic::UsageError::InvalidArgument {
                    message: format!(
                        "an input line is longer than {}; it was skipped",
                        crate::access::human_size(MAX_INPUT_BYTES as u64)
                    ),
                    help: "a REPL input is one statement or expression; put long strategies in a file and `:load` it"
                        .into(),
                };
                eprint!(
                    "{}",
                    Failure::one(problem, &crate::source::SourceMap::new()).render(false)
                );
                failed = true;
                continue;
            }
        };
        if !pending.is_empty() {
            pending.push('\n');
        }
        pending.push_str(&line);
        if pending.len() <= MAX_PENDING_BYTES && crate::language::input_continues(&pending) {
            continue;
        }
        match list_follows(&pending, &mut stdin, &mut ahead) {
            Ok(Some(blanks)) => {
                // The blank lines before the `,` or `and` line go with the statement; that
                // line is read next.
                for blank in ahead.drain(..blanks) {
                    if let Input::Text(blank) = blank {
                        pending.push('\n');
                        pending.push_str(&blank);
                    }
                }
                continue;
            }
            Ok(None) => {}
            Err(e) => {
                eprintln!("error: cannot read standard input: {e}");
                return ExitCode::FAILURE;
            }
        }
        let (outcome, shown) = handle_lines(session, &std::mem::take(&mut pending), false);
        failed |= shown;
        if outcome {
            break;
        }
    }
    if !pending.is_empty() {
        failed |= handle_lines(session, &pending, false).1;
    }
    if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS }
}

/// Whether a line after `pending` (a finished input), past any blank lines, starts with the
/// `,` or `and` that carries a list on (`fees 0.1%⏎  , 1 USD per trade`): a file reads it as
/// part of the statement, so the REPL reads on too. Lines it reads are left in `ahead`;
/// `Some(n)`: the `,` or `and` line is `ahead[n]`, after `n` blank lines. A REPL command is
/// never carried on.
fn list_follows(
    pending: &str,
    input: &mut impl BufRead,
    ahead: &mut VecDeque<Input>,
) -> std::io::Result<Option<usize>> {
    let last = pending.rsplit('\n').next().unwrap_or_default();
    if pending.trim().is_empty() || last.trim_start().starts_with(':') {
        return Ok(None);
    }
    let mut i = 0;
    loop {
        if i == ahead.len() {
            match next_input(input)? {
                Some(next) => ahead.push_back(next),
                None => return Ok(None),
            }
        }
        match &ahead[i] {
            Input::Text(line) if line.trim_matches([' ', '\t', '\r', '\\']).is_empty() => i += 1,
            Input::Text(line) => return Ok(crate::syntax::continues_list(line).then_some(i)),
            Input::TooLong => return Ok(None),
        }
    }
}

/// One line of piped input, without its line ending.
enum Input {
    Text(String),
    /// Longer than [`MAX_INPUT_BYTES`]; it was read and dropped.
    TooLong,
}

/// The next line of piped input; `None` at the end. A line that is not UTF-8 is kept with
/// its bad bytes replaced (the parser then points at them), never the end of the session.
fn next_input(input: &mut impl BufRead) -> std::io::Result<Option<Input>> {
    Ok(match read_line(input)? {
        Line::End => None,
        Line::Text(bytes) => Some(Input::Text(
            String::from_utf8_lossy(&bytes)
                .trim_end_matches(['\n', '\r'])
                .to_string(),
        )),
        Line::TooLong => Some(Input::TooLong),
    })
}

/// Handles one input, or a `sleeve` block and the REPL command that closed it one after the
/// other, showing each outcome. Returns (whether to quit, whether anything failed).
fn handle_lines(session: &mut Session, text: &str, color: bool) -> (bool, bool) {
    let (input, command) = crate::language::split_trailing_command(text);
    let mut failed = false;
    for part in std::iter::once(input).chain(command) {
        let outcome = session.handle(part);
        failed |= show(&outcome, color);
        if outcome.quit {
            return (true, failed);
        }
    }
    (false, failed)
}

/// The longest input line the REPL reads from a pipe: a strategy file's limit.
const MAX_INPUT_BYTES: usize = crate::access::MAX_STRATEGY_BYTES as usize;

/// Input gathered for one statement (or `sleeve` block) before it is handled as it stands:
/// the most a statement may be ([`crate::syntax::MAX_STATEMENT_BYTES`]), so one that goes on
/// past it is reported too long (a `sleeve` block that long is cut, and its later lines are
/// errors of their own). Whether input goes on is found by scanning all of it again at each
/// line, so without a bound piped lines that each carry a list on were quadratic (fifty
/// thousand `fees 1%,` lines ran for many minutes).
const MAX_PENDING_BYTES: usize = crate::syntax::MAX_STATEMENT_BYTES;

/// One line of piped input.
enum Line {
    Text(Vec<u8>),
    /// Longer than [`MAX_INPUT_BYTES`]; the rest of it was read and dropped.
    TooLong,
    End,
}

/// Reads a line (with its `\n`) of at most [`MAX_INPUT_BYTES`].
fn read_line(input: &mut impl BufRead) -> std::io::Result<Line> {
    let mut bytes = Vec::new();
    let read = input
        .by_ref()
        .take(MAX_INPUT_BYTES as u64 + 1)
        .read_until(b'\n', &mut bytes)?;
    if read == 0 {
        return Ok(Line::End);
    }
    if bytes.len() <= MAX_INPUT_BYTES || bytes.ends_with(b"\n") {
        return Ok(Line::Text(bytes));
    }
    // Drop the rest of the line, a buffer at a time.
    loop {
        let buffer = input.fill_buf()?;
        if buffer.is_empty() {
            break;
        }
        match memchr::memchr(b'\n', buffer) {
            Some(i) => {
                input.consume(i + 1);
                break;
            }
            None => {
                let n = buffer.len();
                input.consume(n);
            }
        }
    }
    Ok(Line::TooLong)
}

fn interactive(session: &mut Session, file: Option<&Path>) -> ExitCode {
    let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let config = Config::builder()
        .auto_add_history(false)
        .history_ignore_dups(true)
        .and_then(|b| b.max_history_size(1000))
        .map(|b| b.build())
        .unwrap_or_default();
    let mut editor: Editor<ReplHelper, DefaultHistory> = match Editor::with_config(config) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("warning: no line editing ({e}); reading plain lines");
            return piped(session, file);
        }
    };
    editor.set_helper(Some(ReplHelper {
        names: Default::default(),
        color,
    }));
    let history = history_path();
    if let Some(path) = &history
        && path.exists()
        && let Err(e) = editor.load_history(path)
    {
        eprintln!("warning: cannot read the history in {}: {e}", path.display());
    }
    println!("rotor repl — type an expression or a rule; :help for help, Ctrl-D to leave");
    if let Some(f) = file {
        show(&session.load(f), color);
    }
    loop {
        if let Some(h) = editor.helper_mut() {
            h.names = session.vocabulary();
        }
        match editor.readline("rotor> ") {
            Ok(line) => {
                if !line.trim().is_empty() {
                    let _ = editor.add_history_entry(line.as_str());
                    if let Some(path) = &history
                        && let Err(e) = editor.save_history(path)
                    {
                        eprintln!("warning: cannot write the history to {}: {e}", path.display());
                    }
                }
                if handle_lines(session, &line, color).0 {
                    break;
                }
            }
            // Ctrl-C abandons the line being typed, as in a shell.
            Err(ReadlineError::Interrupted) => continue,
            Err(ReadlineError::Eof) => break,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    ExitCode::SUCCESS
}

/// `<data dir>/rotor/history`, creating the folder; `None` (after a warning) if impossible.
fn history_path() -> Option<PathBuf> {
    let dir = dirs::data_dir()?.join("rotor");
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("warning: no history: cannot create {}: {e}", dir.display());
        return None;
    }
    Some(dir.join("history"))
}
