use miette::Diagnostic;
use thiserror::Error;

use super::file::human_size;
use crate::source::Span;

/// A file rotor refused to read. None of these shows the file's contents: a file that is
/// not known to be CSV or rhai text is never echoed, only described.
#[derive(Clone, Debug, Diagnostic, Error, PartialEq)]
pub enum AccessError {
    #[error("`{path}` is outside the strategy's folder")]
    #[diagnostic(code(rotor::access::outside), help("{help}"))]
    Outside {
        path: String,
        #[label("refused")]
        span: Option<Span>,
        help: String,
    },

    #[error("`{path}` is {what}, not a regular file")]
    #[diagnostic(code(rotor::access::not_a_file))]
    NotAFile {
        path: String,
        what: &'static str,
        #[label("not a regular file")]
        span: Option<Span>,
        /// See [`AccessError::not_a_file`].
        #[help]
        help: &'static str,
    },

    #[error("`{path}` is {}, more than the {} a {kind} may be", human_size(*size), human_size(*limit))]
    #[diagnostic(code(rotor::access::too_large), help("{help}"))]
    TooLarge {
        path: String,
        kind: &'static str,
        /// Bytes.
        size: u64,
        limit: u64,
        #[label("too large")]
        span: Option<Span>,
        help: &'static str,
    },

    #[error("the scripts this strategy uses hold {} together, more than {}", human_size(*size), human_size(*limit))]
    #[diagnostic(
        code(rotor::access::too_large),
        help("a strategy uses a few short scripts; `use` each one once")
    )]
    ScriptsTooLarge {
        size: u64,
        limit: u64,
        #[label("here the total goes past the limit")]
        span: Option<Span>,
    },

    #[error("`{path}` is not {expected}: {why}")]
    #[diagnostic(code(rotor::access::not_recognised), help("{help}"))]
    NotRecognised {
        path: String,
        expected: &'static str,
        why: String,
        #[label("refused")]
        span: Option<Span>,
        help: String,
    },
}

impl AccessError {
    /// `path` (as the user named it), a `kind` of file ("data file"), is `size` bytes, over
    /// its `limit`; `raisable` says whether `--max-data-size` raises the limit.
    pub fn too_large(path: String, kind: &'static str, size: u64, limit: u64, raisable: bool) -> Self {
        AccessError::TooLarge {
            path,
            kind,
            size,
            limit,
            span: None,
            help: if raisable {
                "if the file is meant to be this large, raise the limit with `--max-data-size`"
            } else {
                "a file this large is not one rotor expects; split it into smaller files"
            },
        }
    }

    /// `path` (as the user named it) is `what` ("a folder", "a named pipe (FIFO)"), not a
    /// regular file; the help fits what it is.
    pub fn not_a_file(path: String, what: &'static str) -> Self {
        AccessError::NotAFile {
            path,
            what,
            span: None,
            help: if what == "a folder" {
                "name a file inside the folder, not the folder itself"
            } else {
                "name a regular file; rotor reads no devices, pipes, sockets or kernel files (/proc, /sys)"
            },
        }
    }

    /// The error pointing at `span`: the `data` or `use` line that named the file.
    pub fn at(mut self, at: Span) -> Self {
        match &mut self {
            AccessError::Outside { span, .. }
            | AccessError::NotAFile { span, .. }
            | AccessError::TooLarge { span, .. }
            | AccessError::ScriptsTooLarge { span, .. }
            | AccessError::NotRecognised { span, .. } => *span = Some(at),
        }
        self
    }
}
