//! Words of one line and their classes, for highlighting: the REPL paints them in ANSI
//! colours, the language server sends them as semantic tokens. Neither parses the line, so
//! a half-typed line is highlighted as well as a finished one.

use super::words::{builtin_series, is_keyword};
use crate::check::functions;

/// What a word is, as far as the text alone tells.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    /// A word of the grammar: `buy`, `monthly`, `while`, `and`.
    Keyword,
    /// A built-in function's name followed by `(`: `sma(`.
    Function,
    /// Any other name followed by `(`: a script's function, or a typo.
    Call,
    /// Any other name: a symbol, series, parameter or portfolio value (the data tells
    /// which), and a FedWatch series before its meeting (`fed_cut_prob(meeting 2)`).
    /// Quoted names keep their backticks.
    Name,
    /// `0.8`, `10_000`
    Number,
    /// `25%`
    Percent,
    /// `$500` (the `500` of `500 USD` is a [`Class::Number`])
    Money,
    /// `2025-09-17`
    Date,
    /// `"Rate-cut DCA"`
    String,
    /// `# …` to the end of the line.
    Comment,
    /// `:run` at the start of a REPL line.
    Command,
}

/// A classified word: byte offsets into the line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    pub class: Class,
}

/// The classified words of one line, in order. Operators, brackets and spaces are not
/// tokens. Linear in the line's length.
pub fn tokens(line: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let end_of = |k: usize| chars.get(k).map_or(line.len(), |c| c.0);
    let take = |mut j: usize, f: &dyn Fn(char) -> bool| {
        while j < chars.len() && f(chars[j].1) {
            j += 1;
        }
        j
    };
    let mut k = 0;
    while k < chars.len() {
        let (i, c) = chars[k];
        let (j, class) = if c == '#' {
            (chars.len(), Some(Class::Comment))
        } else if c == '"' || c == '`' {
            let j = (take(k + 1, &|x| x != c) + 1).min(chars.len());
            (j, Some(if c == '"' { Class::String } else { Class::Name }))
        } else if c == ':' && line[..i].trim().is_empty() {
            (take(k + 1, &|x| !x.is_whitespace()), Some(Class::Command))
        } else if c.is_ascii_digit() || (c == '$' && chars.get(k + 1).is_some_and(|n| n.1.is_ascii_digit())) {
            let j = take(k + 1, &|x| x.is_ascii_digit() || matches!(x, '_' | '.' | '-' | '%'));
            (j, Some(number_class(&line[i..end_of(j)])))
        } else if c.is_ascii_alphabetic() || c == '_' || c == '^' {
            let mut j = take(k + 1, &|x| x.is_ascii_alphanumeric() || matches!(x, '_' | '.'));
            if let Some(n) = hyphenated(&line[i..]) {
                j = k + n;
            }
            let word = &line[i..end_of(j)];
            let is_call = line[end_of(j)..].trim_start().starts_with('(');
            (j, Some(word_class(word, is_call)))
        } else {
            (k + 1, None)
        };
        if let Some(class) = class {
            out.push(Token {
                start: i,
                end: end_of(j),
                class,
            });
        }
        k = j;
    }
    out
}

/// A run of digits and `_ . - %`, perhaps after `$`.
fn number_class(text: &str) -> Class {
    let b = text.as_bytes();
    let is_date = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        });
    if is_date {
        Class::Date
    } else if text.ends_with('%') {
        Class::Percent
    } else if text.starts_with('$') {
        Class::Money
    } else {
        Class::Number
    }
}

/// The length in characters of `day-first` or `month-first` (one word of the grammar's
/// `date_order`) at the start of `text`, if it is there.
fn hyphenated(text: &str) -> Option<usize> {
    ["day-first", "month-first"].into_iter().find_map(|word| {
        let rest = text.strip_prefix(word)?;
        let ends = !rest.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_');
        ends.then_some(word.len())
    })
}

fn word_class(word: &str, is_call: bool) -> Class {
    if is_call && functions::lookup(word).is_some() {
        Class::Function
    } else if builtin_series().any(|s| s == word) {
        // `fed_cut_prob(meeting 2)` names a series: the brackets pick a meeting.
        Class::Name
    } else if is_keyword(word) {
        Class::Keyword
    } else if is_call {
        Class::Call
    } else {
        Class::Name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classes(line: &str) -> Vec<(&str, Class)> {
        tokens(line).iter().map(|t| (&line[t.start..t.end], t.class)).collect()
    }

    #[test]
    fn each_word_gets_its_class() {
        use Class::*;
        assert_eq!(
            classes(r#"buy $500 of IWO monthly while sma(IWO, 50 days) > 25% and mom(x) # why"#),
            [
                ("buy", Keyword),
                ("$500", Money),
                ("of", Keyword),
                ("IWO", Name),
                ("monthly", Keyword),
                ("while", Keyword),
                ("sma", Function),
                ("IWO", Name),
                ("50", Number),
                ("days", Name),
                ("25%", Percent),
                ("and", Keyword),
                ("mom", Call),
                ("x", Name),
                ("# why", Comment),
            ]
        );
        assert_eq!(
            classes("from 2020-01-01 to `BRK-B` \"x\""),
            [
                ("from", Keyword),
                ("2020-01-01", Date),
                ("to", Keyword),
                ("`BRK-B`", Name),
                ("\"x\"", String)
            ]
        );
        assert_eq!(classes(":run --from"), [(":run", Command), ("from", Keyword)]);
        assert_eq!(
            classes("data \"ecb.csv\" dates day-first"),
            [
                ("data", Keyword),
                ("\"ecb.csv\"", String),
                ("dates", Keyword),
                ("day-first", Keyword)
            ]
        );
        assert_eq!(
            classes("bars per year 52"),
            [("bars", Keyword), ("per", Keyword), ("year", Keyword), ("52", Number)]
        );
        assert_eq!(
            classes("fed_cut_prob(meeting 2) > fed_hold_prob(by 2025-12-31) - day-firsts"),
            [
                ("fed_cut_prob", Name),
                ("meeting", Keyword),
                ("2", Number),
                ("fed_hold_prob", Name),
                ("by", Keyword),
                ("2025-12-31", Date),
                ("day", Keyword),
                ("firsts", Name),
            ]
        );
    }

    #[test]
    fn sleeves_are_highlighted() {
        use Class::*;
        let words = classes("sleeve momentum 70% rebalanced yearly:");
        for (word, class) in [
            ("sleeve", Keyword),
            ("momentum", Name),
            ("rebalanced", Keyword),
            ("yearly", Keyword),
        ] {
            assert!(words.contains(&(word, class)), "{word}: {words:?}");
        }
    }

    #[test]
    fn weighted_rebalances_and_series_files_are_highlighted() {
        use Class::*;
        assert_eq!(
            classes("to IWM, IWO weighted by 1 / volatility(63 days)"),
            [
                ("to", Keyword),
                ("IWM", Name),
                ("IWO", Name),
                ("weighted", Keyword),
                ("by", Keyword),
                ("1", Number),
                ("volatility", Function),
                ("63", Number),
                ("days", Name),
            ]
        );
        assert_eq!(
            classes("as series irx equally prev(irx)"),
            [
                ("as", Keyword),
                ("series", Keyword),
                ("irx", Name),
                ("equally", Keyword),
                ("prev", Function),
                ("irx", Name),
            ]
        );
    }

    #[test]
    fn odd_text_gives_tokens_inside_the_line() {
        for line in ["\"unterminated", "`open", "é ü 1.5", "$", "#", "x(", "((("] {
            for t in tokens(line) {
                assert!(t.start < t.end && t.end <= line.len(), "{line:?}: {t:?}");
                assert!(line.is_char_boundary(t.start) && line.is_char_boundary(t.end));
            }
        }
    }
}
