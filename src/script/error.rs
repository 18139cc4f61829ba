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

    #[error("function `{name}` with {} is defined by two scripts", crate::display::count(*.arity, "parameter"))]
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

    #[error("`{function}` in `{script}` used up the run's script budget ({what}) on {date}")]
    #[diagnostic(
        code(rotor::script::budget),
        help(
            "all script calls of one run share one budget; if you trust this strategy and it \
             needs more, raise it with `--script-time SECONDS` or `--script-operations N`, \
             or make the function do less on each bar"
        )
    )]
    Budget {
        script: String,
        function: String,
        date: String,
        /// What was spent: "10.0 s of script time", "100,000,000 operations".
        what: String,
        #[label("this function")]
        at: Span,
        #[label("called here on {date}")]
        call: Span,
    },

    #[error("`{function}` returned {value} on {date}")]
    #[diagnostic(
        code(rotor::script::not_finite),
        help(
            "return `()` when there is no value yet; NaN or an infinity is never a price, a \
             weight or a signal: look for a division by zero or the logarithm of a number \
             that is not above zero"
        )
    )]
    NotFinite {
        function: String,
        date: String,
        /// `NaN`, `inf` or `-inf`.
        value: String,
        #[label("this function")]
        at: Span,
        #[label("called here on {date}")]
        call: Span,
    },

    /// A call of a function the script does not define and rhai does not provide.
    #[error("there is no function `{name}`")]
    #[diagnostic(code(rotor::script::undefined_function), help("{help}"))]
    UndefinedFunction {
        name: String,
        #[label("called here")]
        span: Span,
        help: String,
    },

    #[error("`{file}` defines more than {} functions", crate::display::group_digits(&limit.to_string()))]
    #[diagnostic(
        code(rotor::script::too_many_functions),
        help(
            "a script holds the few functions a strategy calls and their helpers; split it into several scripts and `use` each"
        )
    )]
    TooManyFunctions {
        file: String,
        limit: usize,
        #[label("one function too many")]
        span: Span,
    },

    /// What a script's errors past the first [`crate::syntax::MAX_ERRORS`] come to.
    #[error(
        "{} of {} errors in `{file}` shown",
        crate::display::group_digits(&shown.to_string()),
        crate::display::group_digits(&total.to_string())
    )]
    #[diagnostic(
        code(rotor::script::more_errors),
        help("fix these and check again; the errors after them are not listed")
    )]
    MoreErrors { file: String, shown: usize, total: usize },

    #[error("`{name}` is not available in rotor scripts")]
    #[diagnostic(
        code(rotor::script::not_available),
        help(
            "a script computes from the series and numbers it is given: it cannot wait, read \
             the clock, or reach files, the network, processes or the environment ({what})"
        )
    )]
    NotAvailable {
        name: String,
        /// What the function would do: "waits", "reads a file".
        what: &'static str,
        #[label("not available")]
        span: Span,
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
            | ScriptError::Budget { date, .. }
            | ScriptError::NotFinite { date, .. }
            | ScriptError::ReturnType { date, .. } => *date = when,
            _ => {}
        }
        self
    }
}
