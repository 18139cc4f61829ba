//! Mistakes in REPL commands (`:drop 9`, `:sav`), and what a REPL input can go wrong with.

use miette::Diagnostic;
use thiserror::Error;

use crate::diagnostic::Failure;
use crate::source::{SourceMap, Span};

/// An error in a `:command` line; the span points into the line as typed.
#[derive(Clone, Debug, Diagnostic, Error, PartialEq)]
pub enum ReplError {
    #[error("there is no command `:{name}`")]
    #[diagnostic(code(rotor::repl::unknown_command))]
    UnknownCommand {
        name: String,
        #[label("unknown command")]
        span: Span,
        #[help]
        help: String,
    },

    #[error("{message}")]
    #[diagnostic(code(rotor::repl::usage))]
    Usage {
        message: String,
        #[label("{label}")]
        span: Span,
        label: String,
        #[help]
        help: String,
    },

    #[error("`{path}` already exists")]
    #[diagnostic(
        code(rotor::repl::file_exists),
        help("write `:save! {path}` to replace it, or choose another name")
    )]
    FileExists {
        path: String,
        #[label("would be overwritten")]
        span: Span,
    },

    #[error("there is no run to show yet")]
    #[diagnostic(code(rotor::repl::no_run), help("write `:run` first"))]
    NoRun {
        #[label("needs a run")]
        span: Span,
    },
}

/// Why an input failed: a diagnostic of the pipeline or of a REPL command. Both are shown
/// with the same miette handler against the session's sources.
#[derive(Debug)]
pub enum Problem {
    Pipeline(Failure),
    Command(Box<ReplError>, SourceMap),
}

impl Problem {
    /// The diagnostics as text, in colour for a terminal.
    pub fn render(&self, color: bool) -> String {
        match self {
            Problem::Pipeline(f) => f.render(color),
            Problem::Command(e, sources) => crate::display::render(e.as_ref(), Some(sources), color),
        }
    }
}

impl From<Failure> for Problem {
    fn from(f: Failure) -> Self {
        Problem::Pipeline(f)
    }
}
