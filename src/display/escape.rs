//! Control characters written out, so text from a file never drives the reader's terminal.
//!
//! A strategy, a data cell or a script can hold an escape sequence (`\e]0;title\a`,
//! `\e[2J`) or a right-to-left override that reorders what is shown. Whatever rotor prints
//! that came from input goes through [`escape`] (text that may span lines: diagnostics,
//! reports) or [`escape_line`] (one field: a name, a symbol, a table cell) first.

use std::borrow::Cow;

/// Whether `c` would act on a terminal instead of being shown: a C0 or C1 control other than
/// line feed and tab, DEL, or a bidirectional override or isolate (the "Trojan source"
/// characters, which make text display in another order than it is read).
pub fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` with every unsafe character (see [`is_unsafe`]) written as an escape: `\r`, `\0`,
/// or `\u{1b}`. Line feeds and tabs are kept. Borrows when there is nothing to escape.
pub fn escape(text: &str) -> Cow<'_, str> {
    escape_where(text, is_unsafe)
}

/// [`escape`] for a value shown on one line (a name, a table cell): line feeds and tabs are
/// escaped too, so a value cannot break the layout around it.
pub fn escape_line(text: &str) -> Cow<'_, str> {
    escape_where(text, |c| is_unsafe(c) || c == '\n' || c == '\t')
}

/// The escape for one character, as Rust writes it in a string literal.
pub fn escaped(c: char) -> String {
    match c {
        '\0' => "\\0".to_string(),
        '\r' => "\\r".to_string(),
        '\n' => "\\n".to_string(),
        '\t' => "\\t".to_string(),
        c => format!("\\u{{{:x}}}", c as u32),
    }
}

fn escape_where(text: &str, unsafe_char: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !text.chars().any(&unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_char(c) {
            out.push_str(&escaped(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_sequences_are_written_out() {
        assert_eq!(
            escape("\u{1b}]0;title\u{7}\u{1b}[2J"),
            "\\u{1b}]0;title\\u{7}\\u{1b}[2J"
        );
        assert_eq!(escape("a\rb\0c\u{7f}d\u{9b}e"), "a\\rb\\0c\\u{7f}d\\u{9b}e");
    }

    #[test]
    fn line_feeds_and_tabs_stay_unless_one_line_is_asked_for() {
        assert_eq!(escape("a\n\tb"), "a\n\tb");
        assert_eq!(escape_line("a\n\tb"), "a\\n\\tb");
    }

    #[test]
    fn bidirectional_overrides_are_written_out() {
        assert_eq!(escape("x\u{202e}y\u{2066}z"), "x\\u{202e}y\\u{2066}z");
    }

    #[test]
    fn ordinary_text_is_borrowed_unchanged() {
        let text = "Rate-cut DCA — 한국 투자자, 50 %";
        assert!(matches!(escape(text), Cow::Borrowed(t) if t == text));
        assert!(matches!(escape_line(text), Cow::Borrowed(_)));
    }
}
