//! The command line: argument definitions (clap derive) and one file per command.

/// `print!` to standard output that ends rotor with a diagnostic, not a panic, when the
/// write fails (a full disk, a closed file): see [`write_out`].
macro_rules! out {
    ($($arg:tt)*) => { $crate::cli::write_out(format_args!($($arg)*)) };
}

/// `println!` through [`out!`].
macro_rules! outln {
    ($($arg:tt)*) => { $crate::cli::write_out(format_args!("{}\n", format_args!($($arg)*))) };
}

/// `eprint!` that never panics: see [`write_err`].
macro_rules! err {
    ($($arg:tt)*) => { $crate::cli::write_err(format_args!($($arg)*)) };
}

/// `eprintln!` through [`err!`].
macro_rules! errln {
    ($($arg:tt)*) => { $crate::cli::write_err(format_args!("{}\n", format_args!($($arg)*))) };
}

mod check;
mod compare;
mod completions;
mod fedwatch;
mod fmt;
mod inputs;
mod lsp;
mod repl;
mod run;
mod sandbox;
mod sweep;
mod write;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::diagnostic::Failure;

#[derive(Debug, Parser)]
#[command(
    name = "rotor",
    version,
    about = "Write trading and allocation strategies as plain text; backtest them honestly over CSV data.",
    after_help = "Start with: rotor run strategies/rate_cut_dca.rotor\nThe language: docs/LANGUAGE.md"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check strategy files for errors without running them.
    Check {
        /// Strategy files (*.rotor).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// How to print diagnostics.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Do not load data: check only what the file itself says.
        #[arg(long, conflicts_with_all = ["data", "lenient"])]
        no_data: bool,
        #[command(flatten)]
        inputs: inputs::InputArgs,
    },
    /// Print strategy files in canonical form.
    Fmt {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Rewrite the files in place.
        #[arg(long, conflicts_with = "check")]
        write: bool,
        /// Print `FILE: not formatted` for each file that is not, and exit with 1 if any is;
        /// print nothing for formatted files.
        #[arg(long)]
        check: bool,
    },
    /// Backtest a strategy and print a summary.
    Run(run::RunArgs),
    /// Run several strategies and show them side by side (docs/REPORT.md).
    Compare(compare::CompareArgs),
    /// Run a strategy over a grid of parameter values and rank the variants (docs/SCALING.md).
    Sweep(sweep::SweepArgs),
    /// Try expressions and build a strategy interactively (docs/REPL.md).
    Repl(repl::ReplArgs),
    /// FOMC meeting probabilities from fed funds futures, as CME FedWatch computes them (docs/FEDWATCH.md).
    Fedwatch(fedwatch::FedWatchArgs),
    /// Serve editors over the Language Server Protocol on standard input and output
    /// (docs/EDITORS.md).
    Lsp(lsp::LspArgs),
    /// Print a shell's completion script for rotor (README: where to put it).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print rotor's manual page (roff), or write one page per command into a folder.
    Man {
        /// Write `rotor.1`, `rotor-run.1`, … into this folder instead.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

/// Parses the command line and runs the command.
pub fn main() -> ExitCode {
    restore_sigpipe();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check {
            files,
            format,
            no_data,
            inputs,
        } => check::run(&files, format, no_data, &inputs),
        Command::Fmt { files, write, check } => fmt::run(&files, write, check),
        Command::Run(args) => run::run(&args),
        Command::Compare(args) => compare::run(&args),
        Command::Sweep(args) => sweep::run(&args),
        Command::Repl(args) => repl::run(&args),
        Command::Fedwatch(args) => fedwatch::run(&args),
        Command::Lsp(args) => lsp::run(&args),
        Command::Completions { shell } => completions::completions(shell),
        Command::Man { dir } => completions::man(dir.as_deref()),
    };
    match result {
        Ok(code) => code,
        Err(failure) => {
            report_failure(&failure);
            ExitCode::FAILURE
        }
    }
}

/// Writes to standard output. `print!` panics when the write fails; rotor instead prints
/// `rotor::io::write` on standard error and exits with 1 (a closed pipe never gets here:
/// rotor ends quietly on SIGPIPE, see `restore_sigpipe`).
pub(crate) fn write_out(args: std::fmt::Arguments) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    let written = if STDOUT_CLOSED.load(std::sync::atomic::Ordering::Relaxed) {
        Err(std::io::Error::other("it was closed when rotor started"))
    } else {
        stdout.write_fmt(args).and_then(|()| stdout.flush())
    };
    if let Err(error) = written {
        let failure = Failure::one(
            crate::diagnostic::UsageError::Write {
                path: "standard output".to_string(),
                reason: error.to_string(),
            },
            &crate::source::SourceMap::new(),
        );
        report_failure(&failure);
        std::process::exit(1);
    }
}

/// Whether standard output was closed when rotor started; see [`stdout_was_closed`].
static STDOUT_CLOSED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Says that standard output was closed when the process started (the binary finds out
/// before Rust's runtime puts /dev/null in its place): writing to it is then an error,
/// `rotor::io::write`, instead of output lost without a word.
pub fn stdout_was_closed() {
    STDOUT_CLOSED.store(true, std::sync::atomic::Ordering::Relaxed);
}

/// Writes to standard error. `eprint!` panics when the write fails (`2>/dev/full`: exit
/// 101, "failed printing to stderr"); rotor instead exits with 1 at once, as a message
/// could no longer be seen (a closed pipe never gets here: see `restore_sigpipe`).
pub(crate) fn write_err(args: std::fmt::Arguments) {
    use std::io::Write;
    let mut stderr = std::io::stderr().lock();
    if stderr.write_fmt(args).and_then(|()| stderr.flush()).is_err() {
        std::process::exit(1);
    }
}

/// Prints diagnostics to standard error, in colour on a terminal.
pub(crate) fn report_failure(failure: &Failure) {
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    err!("{}", failure.render(color));
}

/// Prints warnings (about the data or the strategy) to standard error, in colour on a
/// terminal.
pub(crate) fn report_warnings<W: miette::Diagnostic>(warnings: &[W]) {
    if warnings.is_empty() {
        return;
    }
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    err!("{}", crate::diagnostic::render_warnings(warnings, color));
}

/// Rust ignores SIGPIPE, so printing into a closed pipe (`rotor run … | head`) would be an
/// error; a command-line tool should simply stop, as `cat` does.
fn restore_sigpipe() {
    #[cfg(unix)]
    // SAFETY: called once at start-up, before any other thread exists; SIG_DFL is a valid
    // disposition for SIGPIPE.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
