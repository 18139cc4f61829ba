//! The command line: argument definitions (clap derive) and one file per command.

mod check;
mod completions;
mod fedwatch;
mod fmt;
mod lsp;
mod repl;
mod run;
mod sandbox;
mod sweep;

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
        #[arg(long)]
        no_data: bool,
        #[command(flatten)]
        sandbox: sandbox::SandboxArgs,
    },
    /// Print strategy files in canonical form.
    Fmt {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Rewrite the files in place.
        #[arg(long, conflicts_with = "check")]
        write: bool,
        /// Exit with 1 if a file is not formatted; print nothing else.
        #[arg(long)]
        check: bool,
    },
    /// Backtest a strategy and print a summary.
    Run(run::RunArgs),
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
            sandbox,
        } => check::run(&files, format, no_data, &sandbox),
        Command::Fmt { files, write, check } => fmt::run(&files, write, check),
        Command::Run(args) => run::run(&args),
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

/// Prints diagnostics to standard error, in colour on a terminal.
pub(crate) fn report_failure(failure: &Failure) {
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    eprint!("{}", failure.render(color));
}

/// Prints warnings (about the data or the strategy) to standard error, in colour on a
/// terminal.
pub(crate) fn report_warnings<W: miette::Diagnostic>(warnings: &[W]) {
    if warnings.is_empty() {
        return;
    }
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    eprint!("{}", crate::diagnostic::render_warnings(warnings, color));
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
