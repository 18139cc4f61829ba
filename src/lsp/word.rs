//! The word under the cursor, classified by the tokenizer the REPL highlights with.

use crate::language::{self, Class};

/// A word of the document: its byte range and class.
pub struct Word<'a> {
    pub start: usize,
    pub end: usize,
    pub class: Class,
    /// The text; a quoted name without its backticks.
    pub text: &'a str,
}

/// The word at byte `offset` of `text` (the cursor may be just after it).
pub fn at(text: &str, offset: usize) -> Option<Word<'_>> {
    let offset = language::continuation::floor_char_boundary(text, offset);
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let line = &text[line_start..line_end];
    let column = offset - line_start;
    let token = language::tokens(line)
        .into_iter()
        .find(|t| t.start <= column && column <= t.end && t.class != Class::Comment)?;
    let raw = &line[token.start..token.end];
    let text = if token.class == Class::Name {
        raw.trim_matches('`')
    } else {
        raw
    };
    Some(Word {
        start: line_start + token.start,
        end: line_start + token.end,
        class: token.class,
        text,
    })
}
