//! Every error rotor reports, gathered in one type, and how they are shown: graphical text
//! for people (plain, without colour, when output is not a terminal) or JSON for editors.

use std::fmt;

use miette::{Diagnostic, LabeledSpan, SourceCode};
use serde::Serialize;
use thiserror::Error;

use crate::check::CheckError;
use crate::data::DataError;
use crate::engine::RunError;
use crate::source::SourceMap;
use crate::syntax::SyntaxError;

/// Any diagnostic from any phase.
#[derive(Debug, Diagnostic, Error)]
pub enum Error {
    #[error(transparent)]
    #[diagnostic(transparent)]
    Syntax(#[from] SyntaxError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Check(#[from] CheckError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Data(#[from] DataError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Run(#[from] RunError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Usage(#[from] UsageError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Script(#[from] crate::script::ScriptError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Access(#[from] crate::access::AccessError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Output(#[from] crate::output::OutputError),
    /// A diagnostic of a command's own (a sweep's grid, say), shown as it is.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Other(Other),
}

/// Any diagnostic, boxed: how a part above this module (such as `sweep`) reports its own
/// errors without this module knowing their type.
#[derive(Debug)]
pub struct Other(pub Box<dyn Diagnostic + Send + Sync>);

impl fmt::Display for Other {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl std::error::Error for Other {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0.source()
    }
}

impl Diagnostic for Other {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.0.code()
    }
    fn severity(&self) -> Option<miette::Severity> {
        self.0.severity()
    }
    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.0.help()
    }
    fn url<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.0.url()
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.0.source_code()
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.0.labels()
    }
    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn Diagnostic> + 'b>> {
        self.0.related()
    }
    fn diagnostic_source(&self) -> Option<&dyn Diagnostic> {
        self.0.diagnostic_source()
    }
}

/// Problems with how rotor was called: a file that cannot be read, a bad `--set`.
#[derive(Clone, Debug, Diagnostic, Error, PartialEq)]
pub enum UsageError {
    #[error("cannot read `{path}`: {reason}")]
    #[diagnostic(
        code(rotor::io::read),
        help("check the path; relative paths start from the current directory")
    )]
    Read { path: String, reason: String },

    #[error("cannot write `{path}`: {reason}")]
    #[diagnostic(
        code(rotor::io::write),
        help("check that the folder exists and that you may write there, or choose another path")
    )]
    Write { path: String, reason: String },

    #[error("{message}")]
    #[diagnostic(code(rotor::usage::invalid_argument))]
    InvalidArgument {
        message: String,
        #[help]
        help: String,
    },
}

/// All errors of one attempt, with the sources their spans point into.
#[derive(Debug)]
pub struct Failure {
    pub errors: Vec<Error>,
    pub sources: SourceMap,
}

impl Failure {
    pub fn new(errors: Vec<Error>, sources: &SourceMap) -> Self {
        Failure {
            errors,
            sources: sources.clone(),
        }
    }

    pub fn one(error: impl Into<Error>, sources: &SourceMap) -> Self {
        Failure::new(vec![error.into()], sources)
    }

    /// The errors as text. `color` for a terminal; plain otherwise (and in tests). Long
    /// lines are cut and control characters escaped ([`crate::display::render`]).
    pub fn render(&self, color: bool) -> String {
        let mut out = String::new();
        for e in &self.errors {
            out.push_str(&crate::display::render(e, Some(&self.sources), color));
        }
        let n = self.errors.len();
        if n > 1 {
            out.push_str(&format!("{n} errors\n"));
        }
        out
    }

    /// The errors as JSON objects, one per diagnostic.
    pub fn to_json(&self) -> Vec<JsonDiagnostic> {
        self.errors
            .iter()
            .map(|e| JsonDiagnostic::new(e, &self.sources))
            .collect()
    }
}

/// Warnings as JSON objects (`"severity": "warning"`), located in their own source (a CSV
/// file, the strategy) or in `sources`.
pub fn warnings_to_json<W: Diagnostic>(warnings: &[W], sources: &SourceMap) -> Vec<JsonDiagnostic> {
    warnings.iter().map(|w| JsonDiagnostic::new(w, sources)).collect()
}

/// Warnings (about the data, or the strategy: each carries its source) as text for
/// standard error, rendered like errors (with their file, line and label, long lines cut
/// and control characters escaped: [`crate::display::render`]) but marked as warnings.
/// `color` as for [`Failure::render`].
pub fn render_warnings<W: Diagnostic>(warnings: &[W], color: bool) -> String {
    warnings
        .iter()
        .map(|warning| crate::display::render(warning, None, color))
        .collect()
}

/// A diagnostic in the JSON output of `rotor check --format json` (and each of a run's
/// `warnings`, docs/OUTPUT.md).
#[derive(Clone, Debug, Serialize)]
pub struct JsonDiagnostic {
    /// `error`, or `warning` for what rotor read but a person should look at (the check
    /// still passes), or `advice`.
    pub severity: &'static str,
    pub code: Option<String>,
    pub message: String,
    pub help: Option<String>,
    pub file: Option<String>,
    /// 1-based line and column of the first label.
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub labels: Vec<JsonLabel>,
}

impl JsonDiagnostic {
    /// Where the diagnostic points, as `file:line:column` (`file` alone without a line);
    /// `None` without a file.
    pub fn place(&self) -> Option<String> {
        let file = self.file.as_deref()?;
        Some(match (self.line, self.column) {
            (Some(line), Some(column)) => format!("{file}:{line}:{column}"),
            _ => file.to_string(),
        })
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct JsonLabel {
    pub file: Option<String>,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub text: Option<String>,
}

impl JsonDiagnostic {
    /// `e` located in its own source (a data file's) or else in `sources`.
    fn new(e: &dyn Diagnostic, sources: &SourceMap) -> Self {
        let labels: Vec<JsonLabel> = e
            .labels()
            .into_iter()
            .flatten()
            .filter_map(|l| {
                let (file, line, column, end_line, end_column) = match e.source_code() {
                    Some(code) => locate_in(code, l.offset(), l.len())?,
                    None => {
                        let f = sources.file_at(l.offset() as u32)?;
                        let (line, column) = f.line_col(l.offset() as u32);
                        let (end_line, end_column) = f.line_col((l.offset() + l.len()) as u32);
                        (Some(f.name.clone()), line, column, end_line, end_column)
                    }
                };
                Some(JsonLabel {
                    file,
                    line,
                    column,
                    end_line,
                    end_column,
                    text: l.label().map(str::to_string),
                })
            })
            .collect();
        JsonDiagnostic {
            severity: match e.severity() {
                Some(miette::Severity::Warning) => "warning",
                Some(miette::Severity::Advice) => "advice",
                Some(miette::Severity::Error) | None => "error",
            },
            code: e.code().map(|c| c.to_string()),
            message: e.to_string(),
            help: e.help().map(|h| h.to_string()),
            file: labels.first().and_then(|l| l.file.clone()),
            line: labels.first().map(|l| l.line),
            column: labels.first().map(|l| l.column),
            labels,
        }
    }
}

/// Line and column of a span in a diagnostic's own source (data files).
fn locate_in(
    code: &dyn miette::SourceCode,
    offset: usize,
    len: usize,
) -> Option<(Option<String>, usize, usize, usize, usize)> {
    let start = code.read_span(&(offset, 0).into(), 0, 0).ok()?;
    let end = code.read_span(&(offset + len, 0).into(), 0, 0).ok()?;
    Some((
        start.name().map(str::to_string),
        start.line() + 1,
        start.column() + 1,
        end.line() + 1,
        end.column() + 1,
    ))
}
