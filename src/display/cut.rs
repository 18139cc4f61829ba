//! A cell or name quoted in a message, cut when long: a 5 MB cell is not echoed whole.

use std::borrow::Cow;

/// The most characters of a piece of input a message quotes.
pub const MAX_QUOTED_CHARS: usize = 60;

/// `text` as a message quotes it: whole up to [`MAX_QUOTED_CHARS`] characters, or else its
/// first ones, `…` and its length in characters: `aaaa… (5000000 characters)`.
pub fn quoted(text: &str) -> Cow<'_, str> {
    match text.char_indices().nth(MAX_QUOTED_CHARS) {
        None => Cow::Borrowed(text),
        Some((end, _)) => Cow::Owned(format!("{}… ({} characters)", &text[..end], text.chars().count())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_is_whole_and_long_text_cut_with_its_length() {
        assert_eq!(quoted("abc"), "abc");
        let limit = "x".repeat(MAX_QUOTED_CHARS);
        assert_eq!(quoted(&limit), limit);
        let long = "é".repeat(5_000);
        let expected = format!("{}… (5000 characters)", "é".repeat(MAX_QUOTED_CHARS));
        assert_eq!(quoted(&long), expected);
    }
}
