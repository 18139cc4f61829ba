//! How far a statement may run and how deep its brackets go, found before pest sees it.
//!
//! pest descends once per bracket, and the AST builder once per grammar rule inside each
//! bracket, so brackets nested thousands deep would overflow the stack. The parser refuses
//! them up front with this scan. For the refusal to be sound the scan must see every
//! bracket pest could parse in one `line`: it runs at least as far as the grammar lets a
//! statement continue, and it skips only what the grammar never reads as brackets (strings,
//! quoted names, comments). Where in doubt it runs on, which only costs time.

use super::parser::MAX_NESTING;

/// Where a statement ends, and where its brackets first go too deep.
#[derive(Debug, PartialEq)]
pub(super) struct Extent {
    /// Byte offset just past the end of the statement (past its line break).
    pub end: usize,
    /// Byte offset of the first bracket nested deeper than [`MAX_NESTING`].
    pub too_deep: Option<usize>,
    /// When the text ran out before the statement ended: how it may go on.
    pub goes_on: Option<GoesOn>,
}

/// How a statement cut off at the end of a text goes on in the lines after it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GoesOn {
    /// A bracket is open: any lines, blank ones too, until it closes.
    Bracket,
    /// The text ends with `,` or `and`: the list goes on after any blank lines.
    List,
    /// The text ends with a continuation `\`: on the next line (a blank one ends it).
    Backslash,
}

/// How the last statement of `text` goes on past its end, if it does: what a file would
/// read on into the next line. A statement that ended (at a line break, with nothing that
/// carries it on) gives `None`; a later line starting with `,` or `and` still continues it
/// ([`continues_list`]).
pub fn goes_on(text: &str) -> Option<GoesOn> {
    let mut pos = 0;
    while pos < text.len() {
        let extent = Extent::scan(text, pos);
        if extent.end >= text.len() {
            return extent.goes_on;
        }
        pos = extent.end;
    }
    None
}

/// Whether `text` (the lines after a statement) starts, after blank lines, with the `,` or
/// `and` that carries a list on: a file reads it as part of the statement before.
pub fn continues_list(text: &str) -> bool {
    list_continuation(text.as_bytes(), 0).is_some()
}

impl Extent {
    /// Scans the statement that starts at byte `pos` of `text`.
    pub fn scan(text: &str, pos: usize) -> Extent {
        let bytes = text.as_bytes();
        let mut depth = 0usize;
        let mut too_deep = None;
        // The last byte that is not blank, outside strings, names and comments, and where
        // the word it ends started; `None` while the statement is still empty.
        let mut last: Option<(u8, usize)> = None;
        let mut word_start = pos;
        let mut list_goes_on_at = pos;
        let mut i = pos;
        while i < bytes.len() {
            let b = bytes[i];
            match b {
                b'"' | b'`' => {
                    i = skip_quoted(bytes, i);
                    last = Some((b, i));
                    continue;
                }
                // A comment runs to the end of its physical line, and ends the statement.
                b'#' => {
                    while i < bytes.len() && !matches!(bytes[i], b'\n' | b'\r') {
                        i += 1;
                    }
                    continue;
                }
                b'(' | b'[' => {
                    depth += 1;
                    if depth > MAX_NESTING && too_deep.is_none() {
                        too_deep = Some(i);
                    }
                }
                b')' | b']' => depth = depth.saturating_sub(1),
                // Line breaks before a list's `,` were already looked past (checking at each
                // of them again would be quadratic in the number of blank lines).
                b'\n' | b'\r' if depth == 0 && i >= list_goes_on_at => {
                    let ends = match last {
                        None => true,
                        Some((b',' | b'\\', _)) => false,
                        Some((_, at)) if bytes[word_start..=at] == *b"and" => false,
                        Some(_) => match list_continuation(bytes, i) {
                            Some(at) => {
                                list_goes_on_at = at;
                                false
                            }
                            None => true,
                        },
                    };
                    if ends {
                        return Extent {
                            end: i + 1,
                            too_deep,
                            goes_on: None,
                        };
                    }
                }
                _ => {}
            }
            if !matches!(b, b' ' | b'\t' | b'\r' | b'\n') {
                let continues_word = last.is_some_and(|(_, at)| at + 1 == i && is_ident(bytes[at]) && is_ident(b));
                if !continues_word {
                    word_start = i;
                }
                last = Some((b, i));
            }
            i += 1;
        }
        let goes_on = match last {
            _ if depth > 0 => Some(GoesOn::Bracket),
            Some((b',', _)) => Some(GoesOn::List),
            Some((b'\\', _)) => Some(GoesOn::Backslash),
            Some((_, at)) if bytes.get(word_start..=at) == Some(b"and") => Some(GoesOn::List),
            _ => None,
        };
        Extent {
            end: bytes.len(),
            too_deep,
            goes_on,
        }
    }
}

/// Index just past the string or quoted name opening at `open`: past its closing quote,
/// or at the line break where the grammar gives up on it.
fn skip_quoted(bytes: &[u8], open: usize) -> usize {
    let quote = bytes[open];
    let mut i = open + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' | b'\r' => return i,
            // Only strings have escapes; an escaped line break is an error pest stops at.
            b'\\' if quote == b'"' => i += 1,
            b if b == quote => return i + 1,
            _ => {}
        }
        i += 1;
    }
    bytes.len()
}

/// Lists (fees, expenses, targets, candidates) may go on with `,` or `and` at the start of
/// a later line, after any blank lines: where that `,` or `and` is, if it is there.
fn list_continuation(bytes: &[u8], newline: usize) -> Option<usize> {
    let at = bytes[newline..]
        .iter()
        .position(|b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n' | b'\\'))
        .map_or(bytes.len(), |i| newline + i);
    let rest = &bytes[at..];
    let is_list =
        rest.first() == Some(&b',') || (rest.starts_with(b"and") && !rest.get(3).copied().is_some_and(is_ident));
    is_list.then_some(at)
}

/// What one pass over a statement finds inside it, past strings and quoted names: the line
/// breaks inside parentheses, and the comments the grammar cannot keep where they are.
#[derive(Debug, PartialEq)]
pub(super) struct Inside {
    /// Offsets of the line breaks inside parentheses, each with the continuation `\`
    /// before it, if any.
    breaks: Vec<usize>,
    /// Offset of the first comment inside parentheses.
    comment_inside: Option<usize>,
    /// Offset of the first comment with more of the statement after it.
    comment_before_more: Option<usize>,
    /// Parentheses still open at the end (a `)` with none open counts as none).
    depth: usize,
    /// Whether a `)` came with no parenthesis open.
    stray_close: bool,
}

impl Inside {
    /// Scans `statement` once.
    pub fn scan(statement: &str) -> Inside {
        let bytes = statement.as_bytes();
        let mut inside = Inside {
            breaks: Vec::new(),
            comment_inside: None,
            comment_before_more: None,
            depth: 0,
            stray_close: false,
        };
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'"' | b'`' => {
                    i = skip_quoted(bytes, i);
                    continue;
                }
                b'#' => {
                    let start = i;
                    if inside.depth > 0 {
                        inside.comment_inside.get_or_insert(start);
                    }
                    while i < bytes.len() && !matches!(bytes[i], b'\n' | b'\r') {
                        i += 1;
                    }
                    if inside.comment_before_more.is_none()
                        && bytes[i..].iter().any(|b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
                    {
                        inside.comment_before_more = Some(start);
                    }
                    continue;
                }
                b'(' => inside.depth += 1,
                b')' => match inside.depth.checked_sub(1) {
                    Some(d) => inside.depth = d,
                    None => inside.stray_close = true,
                },
                b'\n' | b'\r' if inside.depth > 0 => {
                    inside.breaks.push(i);
                    // A continuation backslash before the break goes with it.
                    let before = bytes[..i].iter().rposition(|b| !matches!(b, b' ' | b'\t' | b'\r'));
                    if let Some(at) = before.filter(|&at| bytes[at] == b'\\') {
                        inside.breaks.push(at);
                    }
                }
                _ => {}
            }
            i += 1;
        }
        inside
    }

    /// The statement with every line break inside parentheses made a space, so that pest,
    /// whose expressions stay on one line, reads `(A > 1 and⏎ B > 0)` as one expression.
    /// `Ok(None)` when there is no such break or a parenthesis is left open or closed
    /// before it opens (pest reports it); `Err(offset)` of a comment inside parentheses
    /// that go on to the next line, which the grammar cannot keep (it would swallow the
    /// rest). Byte offsets do not change: each `\n` or `\r` (with a continuation `\`
    /// before it) becomes one space. `statement` is the one scanned.
    pub fn joined(&self, statement: &str) -> Result<Option<String>, usize> {
        if self.stray_close || self.depth != 0 || self.breaks.is_empty() {
            return Ok(None);
        }
        if let Some(at) = self.comment_inside {
            return Err(at);
        }
        let mut joined = statement.as_bytes().to_vec();
        for &at in &self.breaks {
            joined[at] = b' ';
        }
        // Only ASCII line breaks were replaced by an ASCII space.
        Ok(String::from_utf8(joined).ok())
    }

    /// Offset of a comment that more of the statement follows (a list going on after a
    /// comma or before a `,` or `and`, a line after `\`): the grammar ends a statement at
    /// its comment, so the rest could not be read. `None` when every comment is on the last
    /// line, and when a parenthesis is left open (the parser reports that instead).
    pub fn comment_before_more(&self) -> Option<usize> {
        self.comment_before_more.filter(|_| self.depth == 0)
    }
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

#[cfg(test)]
mod tests {
    use super::*;

    fn end_of_first(text: &str) -> usize {
        Extent::scan(text, 0).end
    }

    #[test]
    fn a_statement_ends_at_its_line_break() {
        assert_eq!(end_of_first("buy X\nsell Y\n"), "buy X\n".len());
        assert_eq!(end_of_first("buy X\r\nsell Y"), "buy X\r".len());
        assert_eq!(end_of_first("buy X # (((\nsell Y"), "buy X # (((\n".len());
        assert_eq!(end_of_first("\n\n\nbuy X"), 1);
        assert_eq!(end_of_first("buy X"), 5);
    }

    #[test]
    fn a_statement_runs_on_where_the_grammar_lets_it() {
        let cases = [
            // (text, where the statement ends)
            ("let x = f(1,\n2)\nZ", "let x = f(1,\n2)\n"),
            ("let x = (1\n)\nZ", "let x = (1\n)\n"),
            ("let x = 1 + \\\n 2\nZ", "let x = 1 + \\\n 2\n"),
            ("fees 1%\n\n , 2%\nZ", "fees 1%\n\n , 2%\n"),
            ("fees 1% and\n 2%\nZ", "fees 1% and\n 2%\n"),
            ("fees 1%\n and 2%\nZ", "fees 1%\n and 2%\n"),
        ];
        for (text, statement) in cases {
            assert_eq!(end_of_first(text), statement.len(), "{text:?}");
        }
        // `android` is a name, not `and`.
        assert_eq!(end_of_first("let x = android\nandroid"), "let x = android\n".len());
    }

    #[test]
    fn a_statement_cut_off_at_the_end_says_how_it_goes_on() {
        let cases = [
            ("fees 1%,", Some(GoesOn::List)),
            ("fees 1% and", Some(GoesOn::List)),
            ("fees 1% and  # a comment\n", Some(GoesOn::List)),
            ("fees 1%,\n\n", Some(GoesOn::List)),
            ("buy X if (A > 1", Some(GoesOn::Bracket)),
            ("let x = y[", Some(GoesOn::Bracket)),
            ("buy X \\", Some(GoesOn::Backslash)),
            ("buy X\nfees 1%,", Some(GoesOn::List)),
            // Ended statements, and what only looks like a continuation.
            ("fees 1%", None),
            ("fees 1%,\n 2%\n", None),
            ("fees 1%\n , 2%", None),
            ("let x = android", None),
            ("buy X # ,", None),
            ("strategy \"a (b,\"", None),
            ("buy `a,`", None),
            ("", None),
            ("\n\n", None),
        ];
        for (text, expected) in cases {
            assert_eq!(goes_on(text), expected, "{text:?}");
        }
        assert!(continues_list("  , 2%"));
        assert!(continues_list("\n\n  and 2%"));
        assert!(!continues_list("android"));
        assert!(!continues_list("buy X"));
    }

    #[test]
    fn line_breaks_inside_parentheses_become_spaces() {
        let joined = |s: &str| Inside::scan(s).joined(s);
        assert_eq!(
            joined("buy X if (A > 1 and\n  B > 0)\n"),
            Ok(Some("buy X if (A > 1 and   B > 0)\n".to_string()))
        );
        assert_eq!(joined("let x = f(1,\r\n2)"), Ok(Some("let x = f(1,  2)".to_string())));
        // A backslash continuation inside parentheses is a line break like any other.
        assert_eq!(
            joined("let x = (1 \\\r\n+ 2)"),
            Ok(Some("let x = (1    + 2)".to_string()))
        );
        // Nothing to join, an open parenthesis, a `(` in a string, a stray `)`.
        assert_eq!(joined("buy X if (A > 1)\n"), Ok(None));
        assert_eq!(joined("buy X if (A > 1 and\n"), Ok(None));
        assert_eq!(joined("strategy \"(\"\n"), Ok(None));
        assert_eq!(joined("buy X if A > 1) and (\nB"), Ok(None));
        // A comment inside parentheses that go on: where it starts.
        assert_eq!(joined("buy X if (A > 1 and # why\n B > 0)"), Err(20));
        assert_eq!(joined("buy X if (A > 1) # (\n"), Ok(None));
    }

    #[test]
    fn a_comment_with_more_of_the_statement_after_it_is_found() {
        let found = |s: &str| Inside::scan(s).comment_before_more();
        assert_eq!(found("rebalance monthly to A 50%,  # first\n  B 50%\n"), Some(29));
        assert_eq!(found("fees 1%  # a\n  , 2%\n"), Some(9));
        assert_eq!(found("fees 1%,\n  # a\n  2%"), Some(11));
        // A comment on the last line, or a `#` inside a string or a name, is no such comment.
        assert_eq!(found("fees 1%,\n 2%  # a\r\n"), None);
        assert_eq!(found("strategy \"# not\",\n x"), None);
        assert_eq!(found("buy `#x`,\n y"), None);
        assert_eq!(found("buy X monthly\n"), None);
        // An open parenthesis is the error to report.
        assert_eq!(found("buy X if (A > 1  # a\nsell Y monthly\n"), None);
    }

    #[test]
    fn strings_names_and_comments_hide_their_brackets() {
        let deep = "(".repeat(MAX_NESTING + 1);
        for text in [
            format!("strategy \"{deep}\""),
            format!("strategy \"\\\"{deep}\""),
            format!("buy `{deep}`"),
            format!("buy X # {deep}"),
        ] {
            assert_eq!(Extent::scan(&text, 0).too_deep, None, "{text:?}");
        }
    }

    #[test]
    fn brackets_after_quotes_still_count() {
        let deep = "(".repeat(MAX_NESTING + 1);
        let cases = [
            // (what comes before the brackets, brackets already open in it)
            // A `"` inside a quoted name opens no string.
            ("let x = `\"` + ", 0),
            // A `` ` `` inside a string opens no name.
            ("let x = f(\"`\", ", 1),
            // An escaped quote does not close the string; the real quote does.
            ("strategy \"a\\\"b\" ", 0),
            // A string or name that is not closed ends at the line break.
            ("let x = f(\"a\n", 1),
            ("let x = f(`a\n", 1),
        ];
        for (before, open) in cases {
            let text = format!("{before}{deep}");
            let expected = before.len() + MAX_NESTING - open;
            assert_eq!(Extent::scan(&text, 0).too_deep, Some(expected), "{text:?}");
        }
    }

    #[test]
    fn many_blank_lines_before_a_list_comma_are_crossed_once() {
        let text = format!("fees 1%{}, 2%\nZ", "\n".repeat(200_000));
        assert_eq!(end_of_first(&text), text.len() - 1);
    }
}
