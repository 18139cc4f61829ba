//! The grammar's words, in the groups editors show differently.

use crate::syntax::{RESERVED, STATEMENT_KEYWORDS};

/// Words of the grammar that are neither statement keywords nor reserved names: they have
/// a meaning only in their place (`fill next open`, `on last trading day`).
pub const OTHER_KEYWORDS: &[&str] = &[
    "as", "using", "next", "trade", "trading", "day", "first", "last", "free", "cash", "equity", "position", "meeting",
];

/// Every keyword: statement keywords, reserved words and the other words of the grammar.
pub fn keywords() -> impl Iterator<Item = &'static str> {
    STATEMENT_KEYWORDS.iter().chain(RESERVED).chain(OTHER_KEYWORDS).copied()
}

/// Whether `word` is one of [`keywords`].
pub fn is_keyword(word: &str) -> bool {
    keywords().any(|k| k == word)
}
