//! Byte offsets ↔ LSP positions. A position is a line and a character offset counted in
//! the negotiated encoding: UTF-16 code units (the protocol's default) or UTF-8 bytes.
//! A position off the end of a line or of the text, or inside a character, is clamped, so
//! no position a client sends can make the server fail.

use lsp_types::{Position, Range};

/// How positions count characters within a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
}

/// Where each line of a text starts, for converting offsets both ways.
#[derive(Clone, Debug)]
pub struct LineIndex {
    /// Byte offset of the start of each line (the first is 0).
    starts: Vec<usize>,
    len: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        LineIndex {
            starts,
            len: text.len(),
        }
    }

    /// The position of byte `offset` (clamped to the text, and down to a character start).
    pub fn position(&self, text: &str, offset: usize, encoding: Encoding) -> Position {
        let offset = crate::language::continuation::floor_char_boundary(text, offset.min(self.len));
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let character = match encoding {
            Encoding::Utf8 => offset - start,
            Encoding::Utf16 => text[start..offset].encode_utf16().count(),
        };
        Position::new(clamp_u32(line), clamp_u32(character))
    }

    /// The byte offset of `position`: a line past the end is the end of the text, a
    /// character past the end of its line is the line's end, one inside a character is
    /// that character's start.
    pub fn offset(&self, text: &str, position: Position, encoding: Encoding) -> usize {
        let Some(&start) = self.starts.get(position.line as usize) else {
            return self.len;
        };
        let end = self
            .starts
            .get(position.line as usize + 1)
            .map_or(self.len, |&next| next - 1);
        start + within(&text[start..end], position.character, encoding)
    }

    /// [`LineIndex::offset`] without an index: the text is scanned to the line. For a text
    /// too large to analyse, whose index is not kept (8 bytes a line).
    pub fn offset_unindexed(text: &str, position: Position, encoding: Encoding) -> usize {
        let bytes = text.as_bytes();
        let start = match position.line as usize {
            0 => 0,
            line => match memchr::memchr_iter(b'\n', bytes).nth(line - 1) {
                Some(newline) => newline + 1,
                None => return text.len(),
            },
        };
        let end = memchr::memchr(b'\n', &bytes[start..]).map_or(text.len(), |i| start + i);
        start + within(&text[start..end], position.character, encoding)
    }

    /// The range of bytes `start..end`.
    pub fn range(&self, text: &str, start: usize, end: usize, encoding: Encoding) -> Range {
        Range::new(
            self.position(text, start, encoding),
            self.position(text, end.max(start), encoding),
        )
    }
}

/// The byte offset within `line` (no newline) of `character`, counted in `encoding`: past
/// the end is the end, inside a character is that character's start.
fn within(line: &str, character: u32, encoding: Encoding) -> usize {
    let wanted = character as usize;
    match encoding {
        Encoding::Utf8 => crate::language::continuation::floor_char_boundary(line, wanted),
        Encoding::Utf16 => {
            let mut units = 0;
            let mut at = line.len();
            for (i, c) in line.char_indices() {
                if units + c.len_utf16() > wanted {
                    at = i;
                    break;
                }
                units += c.len_utf16();
            }
            at
        }
    }
}

fn clamp_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_counts_units_and_utf8_counts_bytes() {
        // `é` is 2 bytes and 1 UTF-16 unit; `𝄞` is 4 bytes and 2 units.
        let text = "ab\né𝄞x\n";
        let index = LineIndex::new(text);
        let x = text.find('x').expect("x is in the text");
        assert_eq!(index.position(text, x, Encoding::Utf16), Position::new(1, 3));
        assert_eq!(index.position(text, x, Encoding::Utf8), Position::new(1, 6));
        assert_eq!(index.offset(text, Position::new(1, 3), Encoding::Utf16), x);
        assert_eq!(index.offset(text, Position::new(1, 6), Encoding::Utf8), x);
    }

    #[test]
    fn positions_out_of_range_or_inside_a_character_are_clamped() {
        let text = "ab\né𝄞x\n";
        let index = LineIndex::new(text);
        let clef = text.find('𝄞').expect("the clef is in the text");
        // Between the two UTF-16 units of the clef, and between its bytes.
        assert_eq!(index.offset(text, Position::new(1, 2), Encoding::Utf16), clef);
        assert_eq!(index.offset(text, Position::new(1, 4), Encoding::Utf8), clef);
        assert_eq!(index.offset(text, Position::new(0, 99), Encoding::Utf16), 2);
        assert_eq!(index.offset(text, Position::new(99, 0), Encoding::Utf16), text.len());
        assert_eq!(index.offset(text, Position::new(2, 0), Encoding::Utf16), text.len());
        assert_eq!(index.position(text, clef + 1, Encoding::Utf16), Position::new(1, 1));
        assert_eq!(index.position(text, usize::MAX, Encoding::Utf8), Position::new(2, 0));
    }

    #[test]
    fn offsets_without_an_index_are_the_indexed_ones() {
        let text = "ab\né𝄞x\n\nlast";
        let index = LineIndex::new(text);
        for line in 0..6 {
            for character in [0, 1, 2, 3, 4, 6, 99] {
                for encoding in [Encoding::Utf8, Encoding::Utf16] {
                    let position = Position::new(line, character);
                    assert_eq!(
                        LineIndex::offset_unindexed(text, position, encoding),
                        index.offset(text, position, encoding),
                        "{position:?} {encoding:?}"
                    );
                }
            }
        }
    }
}
