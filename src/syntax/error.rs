use miette::Diagnostic;
use thiserror::Error;

use crate::source::Span;

/// A problem in the text of a strategy file, found before anything is checked.
#[derive(Clone, Debug, Diagnostic, Error, PartialEq)]
pub enum SyntaxError {
    #[error("unexpected {found}; expected {expected}")]
    #[diagnostic(code(rotor::syntax::unexpected))]
    Unexpected {
        found: String,
        expected: String,
        #[label("here")]
        span: Span,
        #[help]
        help: Option<String>,
    },

    #[error("`{time}` is a time of day, but a date here is a whole day")]
    #[diagnostic(
        code(rotor::syntax::time_of_day),
        help(
            "write the date alone, as in `from 2024-03-04 to 2024-03-05`: a period runs from the first bar of its \
             `from` day to the last bar of its `to` day, and a rule dated `once on DATE` fires on its day's first bar"
        )
    )]
    TimeOfDay {
        time: String,
        #[label("a time of day")]
        span: Span,
    },

    #[error("unknown statement `{word}`")]
    #[diagnostic(code(rotor::syntax::unknown_statement))]
    UnknownStatement {
        word: String,
        #[label("not a statement")]
        span: Span,
        #[help]
        help: String,
    },

    #[error("unterminated string")]
    #[diagnostic(
        code(rotor::syntax::unterminated_string),
        help("close the text with a `\"` on the same line")
    )]
    UnterminatedString {
        #[label("this text has no closing quote")]
        span: Span,
    },

    #[error("a comment inside parentheses")]
    #[diagnostic(
        code(rotor::syntax::comment_in_parentheses),
        help(
            "a statement that goes on inside parentheses cannot hold a comment: put it on its own line above the statement"
        )
    )]
    CommentInParentheses {
        #[label("the comment would swallow the rest of the statement")]
        span: Span,
    },

    #[error("a comment inside a statement that goes on")]
    #[diagnostic(
        code(rotor::syntax::comment_in_statement),
        help(
            "a statement that goes on to the next line (a list after a comma or before a `,` or `and`, a line ending in `\\`) cannot hold a comment: put it on its own line above the statement"
        )
    )]
    CommentInStatement {
        #[label("the statement goes on below this comment")]
        span: Span,
    },

    #[error("unclosed parenthesis")]
    #[diagnostic(code(rotor::syntax::unclosed), help("add the closing `)`"))]
    Unclosed {
        #[label("this `(` is never closed")]
        span: Span,
    },

    #[error("`{text}` is not a date: {reason}")]
    #[diagnostic(
        code(rotor::syntax::bad_date),
        help("write dates as YYYY-MM-DD, for example 2025-09-17")
    )]
    BadDate {
        text: String,
        reason: String,
        #[label("invalid date")]
        span: Span,
    },

    #[error("`{text}` is a date, and a date is not a value here")]
    #[diagnostic(
        code(rotor::syntax::date_in_expression),
        help(
            "dates go in `from DATE to DATE`, `once on DATE`, `withdraw … from DATE`, `fed_cut_prob(by DATE)` \
             and the REPL's `EXPR @ DATE`; a condition cannot compare with a date (to subtract numbers, \
             write spaces: `2025 - 1 - 1`)"
        )
    )]
    DateInExpression {
        text: String,
        #[label("a date")]
        span: Span,
    },

    #[error("number `{text}` is too large here")]
    #[diagnostic(code(rotor::syntax::number_too_large), help("{help}"))]
    NumberTooLarge {
        text: String,
        help: String,
        #[label("too large")]
        span: Span,
    },

    #[error("brackets nested more than {limit} deep")]
    #[diagnostic(
        code(rotor::syntax::too_deep),
        help("split the expression into named parts with `let`")
    )]
    TooDeep {
        limit: usize,
        #[label("too deep from here")]
        span: Span,
    },

    #[error("expression too complex (more than {limit} levels)")]
    #[diagnostic(
        code(rotor::syntax::too_complex),
        help("split the expression into named parts with `let`")
    )]
    TooComplex {
        limit: usize,
        #[label("this expression")]
        span: Span,
    },

    #[error("this {what} is {length} bytes long, more than the {limit} a statement may be")]
    #[diagnostic(
        code(rotor::syntax::too_long),
        help(
            "a strategy statement is short: name the parts of a long expression with `let`, and \
             split a long list of symbols over several statements"
        )
    )]
    TooLong {
        /// "line", or "statement of N lines" when lines continue it (blank lines in a list
        /// count: they are bytes of the statement too).
        what: String,
        /// Bytes in the statement, with the lines that continue it.
        length: usize,
        limit: usize,
        #[label("it goes on past here")]
        span: Span,
    },

    /// Text with bytes that are not UTF-8: in a file (`what` is "the file"), or typed or
    /// piped into the REPL (`what` is "this input").
    #[error("{what} is not UTF-8 text")]
    #[diagnostic(code(rotor::syntax::not_text), help("{help}"))]
    NotText {
        what: &'static str,
        #[label("invalid bytes start here")]
        span: Span,
        help: &'static str,
    },
}

impl SyntaxError {
    pub fn span(&self) -> Span {
        match self {
            SyntaxError::Unexpected { span, .. }
            | SyntaxError::UnknownStatement { span, .. }
            | SyntaxError::TimeOfDay { span, .. }
            | SyntaxError::UnterminatedString { span }
            | SyntaxError::Unclosed { span }
            | SyntaxError::CommentInParentheses { span }
            | SyntaxError::CommentInStatement { span }
            | SyntaxError::BadDate { span, .. }
            | SyntaxError::DateInExpression { span, .. }
            | SyntaxError::NumberTooLarge { span, .. }
            | SyntaxError::TooDeep { span, .. }
            | SyntaxError::TooComplex { span, .. }
            | SyntaxError::TooLong { span, .. }
            | SyntaxError::NotText { span, .. } => *span,
        }
    }
}
