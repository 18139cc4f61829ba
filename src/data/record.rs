//! Splitting CSV text into records and fields with exact byte spans.
//!
//! The `csv-core` state machine (the engine of the `csv` crate) splits the records: it
//! handles quotes, doubled quotes, delimiters and CRLF, LF or CR line endings, and reports
//! how many input bytes each field took, so every field keeps its byte range in the file
//! (diagnostics point at the exact cell). Fields go into a buffer the caller reuses, so a
//! record costs no allocation. The byte scans below ([`field_end`], [`skip_record`]) serve
//! the loaders' fast paths, which only ever take unquoted fields, where they agree with
//! `csv-core` (a test below checks it).

use std::borrow::Cow;
use std::cell::RefCell;
use std::ops::Range;

use csv_core::{ReadFieldResult, Reader, ReaderBuilder};

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
    delimiter: u8,
    /// Always `Some` until dropped, when it goes back to [`SPARE`].
    reader: Option<Reader>,
    /// Where `csv-core` copies a field's unescaped bytes; only the spans are used.
    scratch: Vec<u8>,
}

impl<'t> Records<'t> {
    /// Reads `text` from byte `start` (past a byte order mark, say), with fields separated
    /// by `delimiter`.
    pub fn new(text: &'t str, start: usize, delimiter: u8) -> Self {
        Records {
            text,
            at: start,
            delimiter,
            reader: Some(take_reader(delimiter)),
            scratch: vec![0; 256],
        }
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
        let start = self.next_start()?;
        let bytes = self.text.as_bytes();
        fields.clear();
        // Each record is read from a fresh state: the fast paths may have read the ones
        // before it.
        let reader = self.reader.as_mut().expect("a reader until dropped");
        reader.reset();
        let mut at = start;
        let mut field_start = start;
        loop {
            let (result, read, _) = reader.read_field(&bytes[at..], &mut self.scratch);
            at += read;
            let (end, record_end) = match result {
                ReadFieldResult::OutputFull => {
                    let grown = self.scratch.len() * 2;
                    self.scratch.resize(grown, 0);
                    continue;
                }
                // The delimiter or line end that ended the field was the last byte read.
                ReadFieldResult::Field { record_end } if read > 0 => (at - 1, record_end),
                // The text ended inside the field (or right after a delimiter): its end
                // ends the field and the record, as the reader agrees once it is told.
                ReadFieldResult::Field { .. } | ReadFieldResult::InputEmpty | ReadFieldResult::End => {
                    if read > 0 {
                        reader.read_field(&[], &mut self.scratch);
                    }
                    (at, true)
                }
            };
            let field = match check_quotes(bytes, field_start..end) {
                Ok(field) => field,
                Err(error) => {
                    self.at = if error.unclosed { bytes.len() } else { at };
                    return Some(Err(error));
                }
            };
            fields.push(field);
            field_start = at;
            if record_end {
                self.at = at;
                if end < bytes.len() && bytes[end] == b'\r' && bytes.get(at) == Some(&b'\n') {
                    self.at += 1;
                }
                return Some(Ok(start..end));
            }
        }
    }
}

thread_local! {
    /// `csv-core` readers not in use, with their delimiters. Making one builds its
    /// transition tables (about a quarter of a million instructions, as much as reading
    /// 2,000 rows on the fast path), and `Reader::clone` does not copy them whole, so a
    /// reader is handed back here when its records are done, and taken again for the next
    /// file.
    static SPARE: RefCell<Vec<(u8, Reader)>> = const { RefCell::new(Vec::new()) };
}

/// A fresh `csv-core` reader for `delimiter`.
fn take_reader(delimiter: u8) -> Reader {
    let spare = SPARE.with(|spare| {
        let mut spare = spare.borrow_mut();
        let i = spare.iter().position(|(d, _)| *d == delimiter)?;
        Some(spare.swap_remove(i).1)
    });
    let mut reader = spare.unwrap_or_else(|| ReaderBuilder::new().delimiter(delimiter).build());
    reader.reset();
    reader
}

impl Drop for Records<'_> {
    fn drop(&mut self) {
        if let Some(reader) = self.reader.take() {
            SPARE.with(|spare| {
                let mut spare = spare.borrow_mut();
                // A few: one per delimiter, and one more while two files are read at once.
                if spare.len() < 4 {
                    spare.push((self.delimiter, reader));
                }
            });
        }
    }
}

/// The field at `span` as `csv-core` delimited it, or what is wrong with its quotes.
/// `csv-core` reads any input rather than fail; rotor rejects a quoted field that is never
/// closed, or that has text after its closing quote, since such a cell was not written as
/// meant and its value would be a guess.
fn check_quotes(bytes: &[u8], span: Range<usize>) -> Result<Field, QuoteError> {
    let raw = &bytes[span.clone()];
    if raw.first() != Some(&b'"') {
        return Ok(Field {
            span,
            quoted: false,
            escaped: false,
        });
    }
    let mut i = 1;
    let mut escaped = false;
    loop {
        match raw[i..].iter().position(|&b| b == b'"') {
            None => {
                return Err(QuoteError {
                    span: span.start..span.start + 1,
                    unclosed: true,
                });
            }
            Some(q) if raw.get(i + q + 1) == Some(&b'"') => {
                escaped = true;
                i += q + 2;
            }
            Some(q) if i + q + 1 == raw.len() => {
                return Ok(Field {
                    span,
                    quoted: true,
                    escaped,
                });
            }
            Some(_) => return Err(QuoteError { span, unclosed: false }),
        }
    }
}

/// Where the unquoted field starting at `bytes[at]` ends: at the next `delimiter` or line
/// end. `None` when a quote comes first, since quotes need [`Records::next_record`].
pub(crate) fn field_end(bytes: &[u8], at: usize, delimiter: u8) -> Option<usize> {
    let rest = bytes.get(at..)?;
    match rest
        .iter()
        .position(|&b| b == delimiter || matches!(b, b'\n' | b'\r' | b'"'))
    {
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
        let mut records = Records::new(text, 0, b',');
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
        let mut records = Records::new(text, 0, b',');
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
        assert_eq!(field_end(text, 0, b','), Some(1));
        assert_eq!(field_end(text, 2, b','), Some(4));
        assert_eq!(past_line_end(text, 4), Some(6), "CRLF");
        assert_eq!(skip_record(text, 0), Some(6));
        assert_eq!(skip_record(text, 6), None, "a quote needs the full splitter");
        assert_eq!(field_end(text, 8, b','), None);
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
    fn other_delimiters() {
        let split_by = |text: &str, delimiter: u8| {
            let mut records = Records::new(text, 0, delimiter);
            let mut fields = Vec::new();
            let mut out = Vec::new();
            while let Some(record) = records.next_record(&mut fields) {
                record.expect("well-formed test input");
                out.push(fields.iter().map(|f| f.value(text).into_owned()).collect::<Vec<_>>());
            }
            out
        };
        assert_eq!(
            split_by("Date;Close\n2024-01-02;\"100,5\"\n", b';'),
            vec![vec!["Date", "Close"], vec!["2024-01-02", "100,5"]]
        );
        assert_eq!(split_by("a\tb,c\n", b'\t'), vec![vec!["a", "b,c"]]);
    }

    #[test]
    fn a_record_ending_the_text_after_a_delimiter_has_an_empty_last_field() {
        let text = "a,b,";
        let mut fields = Vec::new();
        let record = Records::new(text, 0, b',').next_record(&mut fields);
        assert_eq!(record, Some(Ok(0..4)));
        let spans: Vec<_> = fields.iter().map(|f| f.span.clone()).collect();
        assert_eq!(spans, [0..1, 2..3, 4..4]);
    }

    proptest::proptest! {
        /// The fast paths' byte scans find the same fields and record ends as `csv-core`
        /// on unquoted records, whatever the delimiter and line endings.
        #[test]
        fn byte_scans_agree_with_csv_core(
            rows in proptest::collection::vec(proptest::collection::vec("[a-z0-9. -]{0,6}", 1..5), 1..5),
            delimiter in proptest::sample::select(vec![b',', b';', b'\t']),
            ending in proptest::sample::select(vec!["\n", "\r\n", "\r"]),
        ) {
            // A record of one empty field is a blank line, which holds no record.
            proptest::prop_assume!(rows.iter().all(|r| r.len() > 1 || !r[0].is_empty()));
            let d = char::from(delimiter).to_string();
            let text: String = rows.iter().map(|r| r.join(&d) + ending).collect();
            let bytes = text.as_bytes();
            let mut records = Records::new(&text, 0, delimiter);
            let mut fields = Vec::new();
            let mut at = 0;
            for row in &rows {
                let record = records.next_record(&mut fields).expect("a record").expect("unquoted");
                proptest::prop_assert_eq!(record.start, at);
                proptest::prop_assert_eq!(fields.len(), row.len());
                for field in &fields {
                    let end = field_end(bytes, at, delimiter).expect("no quotes");
                    proptest::prop_assert_eq!(field.span.clone(), at..end);
                    at = end + 1;
                }
                let next = skip_record(bytes, record.start).expect("no quotes");
                proptest::prop_assert_eq!(past_line_end(bytes, record.end), Some(next));
                at = next;
            }
        }
    }

    #[test]
    fn broken_quotes_are_reported_where_they_start() {
        let text = "a,\"open\n";
        let mut fields = Vec::new();
        let err = Records::new(text, 0, b',').next_record(&mut fields).expect("a record");
        assert_eq!(
            err,
            Err(QuoteError {
                span: 2..3,
                unclosed: true
            })
        );

        let text = "a,\"b\"c,d\n";
        let err = Records::new(text, 0, b',').next_record(&mut fields).expect("a record");
        assert_eq!(
            err,
            Err(QuoteError {
                span: 2..6,
                unclosed: false
            })
        );
    }
}
