//! Splitting CSV text into records and fields with exact byte spans.
//!
//! Hand-written rather than the `csv` crate so that every field keeps its byte range in the
//! file (diagnostics point at the exact cell) and a record costs no allocation: fields go
//! into a buffer the caller reuses.

use std::borrow::Cow;
use std::ops::Range;

/// One field of a record: its byte range in the file, quotes included.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Field {
    pub span: Range<usize>,
    quoted: bool,
    /// The quoted text holds `""`, so reading it needs unescaping.
    escaped: bool,
}

impl Field {
    /// The field's text without quotes and surrounding blanks.
    pub fn value<'t>(&self, text: &'t str) -> Cow<'t, str> {
        let raw = &text[self.span.clone()];
        if !self.quoted {
            return Cow::Borrowed(raw.trim());
        }
        let inner = &raw[1..raw.len() - 1];
        if self.escaped {
            Cow::Owned(inner.replace("\"\"", "\"").trim().to_owned())
        } else {
            Cow::Borrowed(inner.trim())
        }
    }
}

/// A quoted field that does not end properly, at `span`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct QuoteError {
    pub span: Range<usize>,
    /// The closing quote is missing altogether (rather than followed by stray text).
    pub unclosed: bool,
}

/// The records of a CSV text, read one at a time.
pub(crate) struct Records<'t> {
    text: &'t str,
    at: usize,
}

impl<'t> Records<'t> {
    /// Reads `text` from byte `start` (past a byte order mark, say).
    pub fn new(text: &'t str, start: usize) -> Self {
        Records { text, at: start }
    }

    /// Skips empty lines and returns where the next record starts, `None` at the end.
    pub fn next_start(&mut self) -> Option<usize> {
        let bytes = self.text.as_bytes();
        while self.at < bytes.len() && matches!(bytes[self.at], b'\n' | b'\r') {
            self.at += 1;
        }
        (self.at < bytes.len()).then_some(self.at)
    }

    /// Continues after a record the caller read itself, ending at `at` (past its line end).
    pub fn resume_at(&mut self, at: usize) {
        self.at = at;
    }

    /// Reads the next record into `fields` and returns its span without the line ending.
    /// Empty lines are not records: they hold no data, and editors leave them at the end.
    pub fn next_record(&mut self, fields: &mut Vec<Field>) -> Option<Result<Range<usize>, QuoteError>> {
        let bytes = self.text.as_bytes();
        let len = bytes.len();
        while self.at < len && matches!(bytes[self.at], b'\n' | b'\r') {
            self.at += 1;
        }
        if self.at >= len {
            return None;
        }
        fields.clear();
        let start = self.at;
        loop {
            let field_start = self.at;
            if bytes[self.at..].first() == Some(&b'"') {
                let mut i = self.at + 1;
                let mut escaped = false;
                loop {
                    match bytes[i..].iter().position(|&b| b == b'"') {
                        None => {
                            self.at = len;
                            let span = field_start..field_start + 1;
                            return Some(Err(QuoteError { span, unclosed: true }));
                        }
                        Some(q) if bytes.get(i + q + 1) == Some(&b'"') => {
                            escaped = true;
                            i += q + 2;
                        }
                        Some(q) => {
                            i += q + 1;
                            break;
                        }
                    }
                }
                if i < len && !matches!(bytes[i], b',' | b'\n' | b'\r') {
                    let end = self.text[i..].find([',', '\n', '\r']).map_or(len, |e| i + e);
                    self.at = end;
                    let span = field_start..end;
                    return Some(Err(QuoteError { span, unclosed: false }));
                }
                fields.push(Field {
                    span: field_start..i,
                    quoted: true,
                    escaped,
                });
                self.at = i;
            } else {
                let rest = &bytes[self.at..];
                let end = rest
                    .iter()
                    .position(|&b| matches!(b, b',' | b'\n' | b'\r'))
                    .map_or(len, |e| self.at + e);
                fields.push(Field {
                    span: field_start..end,
                    quoted: false,
                    escaped: false,
                });
                self.at = end;
            }
            if bytes.get(self.at) == Some(&b',') {
                self.at += 1;
                continue;
            }
            let end = self.at;
            // CRLF, LF and a lone CR all end a record.
            if bytes.get(self.at) == Some(&b'\r') {
                self.at += 1;
            }
            if bytes.get(self.at) == Some(&b'\n') {
                self.at += 1;
            }
            return Some(Ok(start..end));
        }
    }
}

/// Where the unquoted field starting at `bytes[at]` ends: at the next comma or line end.
/// `None` when a quote comes first, since quotes need [`Records::next_record`].
pub(crate) fn field_end(bytes: &[u8], at: usize) -> Option<usize> {
    let rest = bytes.get(at..)?;
    match rest.iter().position(|&b| matches!(b, b',' | b'\n' | b'\r' | b'"')) {
        None => Some(bytes.len()),
        Some(i) if rest[i] == b'"' => None,
        Some(i) => Some(at + i),
    }
}

/// Past the line ending at `bytes[at]` (CRLF, LF, a lone CR, or the end of the text), where
/// the next record may start; `None` when the record does not end at `at`.
pub(crate) fn past_line_end(bytes: &[u8], at: usize) -> Option<usize> {
    match bytes.get(at) {
        None => Some(at),
        Some(b'\n') => Some(at + 1),
        Some(b'\r') => Some(at + 1 + usize::from(bytes.get(at + 1) == Some(&b'\n'))),
        Some(_) => None,
    }
}

/// Past the end of the unquoted record starting at `bytes[at]`, without looking at its
/// fields; `None` when it holds a quote (a quoted field may span lines).
pub(crate) fn skip_record(bytes: &[u8], at: usize) -> Option<usize> {
    let rest = bytes.get(at..)?;
    match memchr::memchr3(b'\n', b'\r', b'"', rest) {
        None => Some(bytes.len()),
        Some(j) if rest[j] == b'"' => None,
        Some(j) => past_line_end(bytes, at + j),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<Vec<String>> {
        let mut records = Records::new(text, 0);
        let mut fields = Vec::new();
        let mut out = Vec::new();
        while let Some(record) = records.next_record(&mut fields) {
            record.expect("well-formed test input");
            out.push(fields.iter().map(|f| f.value(text).into_owned()).collect());
        }
        out
    }

    #[test]
    fn plain_quoted_and_escaped_fields() {
        let text = "a,\"b,c\",\"say \"\"hi\"\"\"\n1, 2 ,\n";
        assert_eq!(split(text), vec![vec!["a", "b,c", "say \"hi\""], vec!["1", "2", ""]]);
    }

    #[test]
    fn line_endings_and_blank_lines() {
        assert_eq!(
            split("x,y\r\n1,2\r\n\r\n3,4"),
            vec![vec!["x", "y"], vec!["1", "2"], vec!["3", "4"]]
        );
        assert_eq!(split("x\ry\r"), vec![vec!["x"], vec!["y"]]);
        assert!(split("\n\n").is_empty());
    }

    #[test]
    fn quoted_field_may_hold_a_newline() {
        assert_eq!(split("\"two\nlines\",z\n"), vec![vec!["two\nlines", "z"]]);
    }

    #[test]
    fn spans_point_at_the_cells() {
        let text = "date,close\n2024-01-02,\"1.5\"\n";
        let mut records = Records::new(text, 0);
        let mut fields = Vec::new();
        records.next_record(&mut fields);
        let second = records.next_record(&mut fields).expect("a record").expect("valid");
        assert_eq!(&text[second], "2024-01-02,\"1.5\"");
        assert_eq!(&text[fields[0].span.clone()], "2024-01-02");
        assert_eq!(&text[fields[1].span.clone()], "\"1.5\"");
    }

    #[test]
    fn byte_scans_agree_with_the_splitter() {
        let text = b"a,bc\r\nx,\"q\"\nlast";
        assert_eq!(field_end(text, 0), Some(1));
        assert_eq!(field_end(text, 2), Some(4));
        assert_eq!(past_line_end(text, 4), Some(6), "CRLF");
        assert_eq!(skip_record(text, 0), Some(6));
        assert_eq!(skip_record(text, 6), None, "a quote needs the full splitter");
        assert_eq!(field_end(text, 8), None);
        assert_eq!(skip_record(text, 12), Some(16), "the end of the text ends a record");
        assert_eq!(past_line_end(b"a\rb", 1), Some(2), "a lone CR");
        assert_eq!(past_line_end(b"ab", 1), None);
        // Long records, so the word-at-a-time scan runs: the stop byte in every position.
        for n in 0..20 {
            let line = format!("{}\n{}", "x".repeat(n), "y".repeat(9));
            assert_eq!(skip_record(line.as_bytes(), 0), Some(n + 1), "{n}");
            let quoted = format!("{}\"{}\n", "x".repeat(n), "y".repeat(9));
            assert_eq!(skip_record(quoted.as_bytes(), 0), None, "{n}");
        }
    }

    #[test]
    fn broken_quotes_are_reported_where_they_start() {
        let text = "a,\"open\n";
        let mut fields = Vec::new();
        let err = Records::new(text, 0).next_record(&mut fields).expect("a record");
        assert_eq!(
            err,
            Err(QuoteError {
                span: 2..3,
                unclosed: true
            })
        );

        let text = "a,\"b\"c,d\n";
        let err = Records::new(text, 0).next_record(&mut fields).expect("a record");
        assert_eq!(
            err,
            Err(QuoteError {
                span: 2..6,
                unclosed: false
            })
        );
    }
}
