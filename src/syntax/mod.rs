//! Text → syntax tree: the pest grammar in `grammar/rotor.pest`, the typed AST, and
//! syntax diagnostics. Nothing outside this module sees pest.

pub mod ast;
mod error;
mod expected;
mod extent;
pub mod next;
mod parser;
mod shape;

pub use error::SyntaxError;
pub use expected::STATEMENT_KEYWORDS;
pub use extent::{GoesOn, continues_list, goes_on};
pub use parser::{MAX_DEPTH, MAX_ERRORS, MAX_NESTING, MAX_STATEMENT_BYTES, depth, parse_file};

/// Every word the grammar reserves (they cannot be used as names).
pub const RESERVED: &[&str] = &[
    "and",
    "or",
    "not",
    "crosses",
    "above",
    "below",
    "of",
    "to",
    "by",
    "top",
    "bottom",
    "while",
    "if",
    "when",
    "unless",
    "daily",
    "hourly",
    "weekly",
    "monthly",
    "quarterly",
    "yearly",
    "every",
    "once",
    "on",
    "tolerance",
    "true",
    "false",
    "all",
    "shares",
    "per",
];
