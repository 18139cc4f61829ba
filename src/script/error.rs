use miette::Diagnostic;
use thiserror::Error;

use crate::source::Span;

/// Something wrong with a `use`d rhai script: it cannot be read, does not compile, or failed
/// while computing a bar. Spans are global, so one error can point into the script and into
/// the strategy that called it.
#[derive(Clone, Debug, Diagnostic, Error, PartialEq)]
pub enum ScriptError {
    #[error("cannot read script `{path}`: {reason}")]
    #[diagnostic(
        code(rotor::script::read),
        help("check the path after `use`; a relative path starts at the strategy file's folder")
    )]
    Read {
        path: String,
        reason: String,
        #[label("used here")]
        span: Span,
    },

    #[error("syntax error in `{file}`: {message}")]
    #[diagnostic(code(rotor::script::syntax))]
    Syntax {
        file: String,
        message: String,
        #[label("here")]
        span: Span,
        #[help]
        help: String,
    },

    #[error("`{file}` has code outside a function")]
    #[diagnostic(
        code(rotor::script::top_level),
        help(
            "move this into a `fn`, or delete it: a script only defines functions, \
             and nothing runs until a strategy calls one"
        )
    )]
    TopLevel {
        file: String,
        #[label("not inside a `fn`")]
        span: Span,
    },

    #[error("function `{name}` with {arity} parameter(s) is defined by two scripts")]
    #[diagnostic(
        code(rotor::script::duplicate),
        help("rename one of them, or `use` only one of the scripts")
    )]
    Duplicate {
        name: String,
        arity: usize,
        #[label("defined here")]
        first: Span,
        #[label("and again here")]
        second: Span,
    },

    /// `message` starts with "in `helper`: " when the failure was inside another function.
    #[error("`{function}` failed on {date}: {message}")]
    #[diagnostic(code(rotor::script::runtime))]
    Runtime {
        function: String,
        date: String,
        message: String,
        #[label("failed here")]
        at: Span,
        #[label("called here on {date}")]
        call: Span,
        #[help]
        help: &'static str,
    },

    #[error("`{function}` {what} on {date}")]
    #[diagnostic(code(rotor::script::limit))]
    Limit {
        function: String,
        date: String,
        /// Which limit, as the rest of a sentence: "ran too long (over 1,000,000 operations)".
        what: String,
        #[label("stopped here")]
        at: Span,
        #[label("called here on {date}")]
        call: Span,
        #[help]
        help: &'static str,
    },

    #[error("`{function}` returned {found} on {date}, not a number")]
    #[diagnostic(
        code(rotor::script::return_type),
        help("return a number, `true` or `false`, or `()` when the value is not available yet")
    )]
    ReturnType {
        function: String,
        date: String,
        found: String,
        #[label("this function")]
        at: Span,
        #[label("called here on {date}")]
        call: Span,
    },
}

impl ScriptError {
    /// The error with the bar's date filled in: the engine formats the date only when a call
    /// fails, so a call that succeeds costs no string work.
    pub fn on_date(mut self, when: String) -> Self {
        match &mut self {
            ScriptError::Runtime { date, .. }
            | ScriptError::Limit { date, .. }
            | ScriptError::ReturnType { date, .. } => *date = when,
            _ => {}
        }
        self
    }
}
