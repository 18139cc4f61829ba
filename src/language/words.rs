//! The grammar's words, in the groups editors show differently.

use crate::syntax::{RESERVED, STATEMENT_KEYWORDS};

/// Words of the grammar that are neither statement keywords nor reserved names: they have
/// a meaning only in their place (`fill next open`, `on last trading day`,
/// `bars per year 52`, `data "x.csv" dates day-first`, `fed_cut_prob(meeting 2)`).
pub const OTHER_KEYWORDS: &[&str] = &[
    "as",
    "using",
    "next",
    "trade",
    "trading",
    "day",
    "first",
    "last",
    "free",
    "cash",
    "equity",
    "position",
    "meeting",
    "year",
    "dates",
    "day-first",
    "month-first",
];

/// Every keyword: statement keywords, reserved words and the other words of the grammar.
pub fn keywords() -> impl Iterator<Item = &'static str> {
    STATEMENT_KEYWORDS.iter().chain(RESERVED).chain(OTHER_KEYWORDS).copied()
}

/// Whether `word` is one of [`keywords`].
pub fn is_keyword(word: &str) -> bool {
    keywords().any(|k| k == word)
}

/// The series rotor derives itself, whatever the data's columns: FedWatch's
/// (`fed_cut_prob`, …; docs/FEDWATCH.md), which a meeting in brackets may follow.
pub fn builtin_series() -> impl Iterator<Item = &'static str> {
    crate::fedwatch::Measure::ALL.into_iter().map(|m| m.name())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every word the grammar spells out for a keyword rule (`kw_bars = @{ "bars" … }`) or a
    /// date order, so a statement added to the grammar is highlighted and completed too.
    fn grammar_words() -> Vec<String> {
        let grammar = include_str!("../../grammar/rotor.pest");
        let mut words = Vec::new();
        for line in grammar.lines() {
            let Some((rule, body)) = line.split_once('=') else {
                continue;
            };
            let rule = rule.trim();
            if !(rule.starts_with("kw_") || rule == "date_order") {
                continue;
            }
            words.extend(body.split('"').skip(1).step_by(2).map(str::to_string));
        }
        words
    }

    #[test]
    fn every_keyword_of_the_grammar_is_a_keyword_here() {
        let words = grammar_words();
        assert!(words.len() > 50, "the grammar's keyword rules are found: {words:?}");
        // `fill next open`, `fill close`: also built-in functions, highlighted as those.
        let functions = ["open", "close"];
        for word in words.iter().filter(|w| !functions.contains(&w.as_str())) {
            assert!(crate::check::functions::lookup(word).is_none(), "{word}");
            assert!(
                is_keyword(word),
                "`{word}` (grammar/rotor.pest) is missing from language::words"
            );
        }
    }
}
