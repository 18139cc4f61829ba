//! The smallest pieces of canonical text: names, string literals, dates.

use std::borrow::Cow;

use crate::syntax::RESERVED;
use crate::syntax::ast::{Date, Name};

/// Words that end a `buy`/`sell` amount (`10% of cash of IWO`) or start a `rebalance`
/// target (`cash 10%`). A symbol spelled like one of them is only read back as a symbol
/// in backticks.
pub(super) const HOLDING_WORDS: &[&str] = &["cash", "equity", "position"];

/// A name as it must be written to read back as the same name: plain when the grammar's
/// `plain_name` or `digit_name` would take it whole, otherwise in backticks.
pub(super) fn name(name: &Name) -> Cow<'_, str> {
    name_avoiding(name, &[])
}

/// Like [`name`], but also backticks a name whose first word is one of `words`, for the
/// places where the grammar tries those words before it tries a name.
pub(super) fn name_avoiding<'n>(name: &'n Name, words: &[&str]) -> Cow<'n, str> {
    let text = name.text.as_str();
    // The grammar's keyword test is "the word, then no identifier character", so in a
    // plain-shaped name only the part before the first `.` can be taken for a keyword.
    let first_word = text.split('.').next().unwrap_or(text);
    let is_word = RESERVED.contains(&first_word) || words.contains(&first_word);
    if (is_plain_name(text) && !is_word) || is_digit_name(text) || is_selected(text) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(format!("`{text}`"))
    }
}

/// A series with a meeting selector as the parser spells it: `fed_cut_prob(meeting 2)`.
fn is_selected(text: &str) -> bool {
    let Some(base) = crate::fedwatch::series::selector_base(text) else {
        return false;
    };
    let selector = &text[base.len() + 1..text.len() - 1];
    let canonical = match selector.split_once(' ') {
        Some(("meeting", n)) => n.parse::<u32>().is_ok_and(|v| v.to_string() == n),
        Some(("by", d)) => chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok_and(|v| v.to_string() == d),
        _ => false,
    };
    canonical && is_plain_name(base) && !RESERVED.contains(&base)
}

fn is_ident_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// The shape of the grammar's `plain_name`, without its keyword test:
/// `("^" | ASCII_ALPHA | "_") ~ (ident_char | "." ~ &ident_char)*`, taking the whole text.
fn is_plain_name(text: &str) -> bool {
    let bytes = text.as_bytes();
    let Some((&first, rest)) = bytes.split_first() else {
        return false;
    };
    if !(first == b'^' || first == b'_' || first.is_ascii_alphabetic()) {
        return false;
    }
    rest.iter()
        .enumerate()
        .all(|(i, &b)| is_ident_char(b) || (b == b'.' && rest.get(i + 1).is_some_and(|&n| is_ident_char(n))))
}

/// The grammar's `digit_name` taking the whole text: `005930.KS`.
fn is_digit_name(text: &str) -> bool {
    let mut parts = text.split('.');
    let digits = parts.next().unwrap_or("");
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let mut any = false;
    for part in parts {
        let bytes = part.as_bytes();
        let starts_alpha = bytes.first().is_some_and(u8::is_ascii_alphabetic);
        if !starts_alpha || !bytes.iter().all(|&b| is_ident_char(b)) {
            return false;
        }
        any = true;
    }
    any
}

/// A string literal with `"`, `\`, newline and tab escaped, the escapes the grammar knows.
pub(super) fn string(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            other => out.push(other),
        }
    }
    out.push('"');
    out
}

/// `YYYY-MM-DD`.
pub(super) fn date(date: &Date) -> String {
    date.date.format("%Y-%m-%d").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Span;

    fn named(text: &str) -> Name {
        Name {
            text: text.to_string(),
            span: Span::default(),
        }
    }

    #[test]
    fn names_are_plain_only_when_the_grammar_reads_them_back_plain() {
        // (name, how it must be written, why)
        let cases = [
            ("IWO", "IWO", "a ticker"),
            ("fed_cut_prob", "fed_cut_prob", "a series"),
            ("BRK.B", "BRK.B", "a dot between identifier characters"),
            ("^RUT", "^RUT", "an index with a caret"),
            ("_x", "_x", "a leading underscore"),
            ("005930.KS", "005930.KS", "a digit_name"),
            ("andy", "andy", "a keyword is only a keyword as a whole word"),
            ("BRK-B", "`BRK-B`", "`-` is not an identifier character"),
            ("and", "`and`", "a reserved word"),
            ("top", "`top`", "reserved, even though `to` shadows it in the grammar"),
            ("on.x", "`on.x`", "`.` ends the keyword `on`"),
            ("x.", "`x.`", "a trailing dot"),
            ("a..b", "`a..b`", "two dots"),
            ("1abc", "`1abc`", "a digit start without a dotted part"),
            ("123", "`123`", "would read back as a number"),
            ("1.a.5", "`1.a.5`", "a dotted part must start with a letter"),
            ("a^b", "`a^b`", "a caret only at the start"),
            ("my name", "`my name`", "a space"),
            ("é", "`é`", "letters are ASCII only"),
            ("cash", "cash", "`cash` is a plain name outside holdings"),
            (
                "fed_cut_prob(meeting 2)",
                "fed_cut_prob(meeting 2)",
                "a meeting selector",
            ),
            (
                "fed_cut_prob(by 2025-12-31)",
                "fed_cut_prob(by 2025-12-31)",
                "a selector by date",
            ),
            (
                "fed_cut_prob(meeting 02)",
                "`fed_cut_prob(meeting 02)`",
                "not as the parser spells it",
            ),
            (
                "fed_cut_prob(by 2025-2-1)",
                "`fed_cut_prob(by 2025-2-1)`",
                "not an ISO date",
            ),
            (
                "and(meeting 2)",
                "`and(meeting 2)`",
                "a reserved word before the selector",
            ),
        ];
        for (text, expected, why) in cases {
            assert_eq!(name(&named(text)), expected, "{why}");
        }
    }

    #[test]
    fn holding_words_are_backticked_where_the_grammar_tries_them_first() {
        assert_eq!(name_avoiding(&named("cash"), HOLDING_WORDS), "`cash`");
        assert_eq!(name_avoiding(&named("cash.x"), HOLDING_WORDS), "`cash.x`");
        assert_eq!(name_avoiding(&named("equity"), HOLDING_WORDS), "`equity`");
        assert_eq!(name_avoiding(&named("cashflow"), HOLDING_WORDS), "cashflow");
    }

    #[test]
    fn strings_are_escaped() {
        assert_eq!(string(r#"a "b" \c"#), r#""a \"b\" \\c""#);
        assert_eq!(string("line\nnext\tcol"), r#""line\nnext\tcol""#);
        assert_eq!(string(""), r#""""#);
    }
}
