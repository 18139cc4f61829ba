//! The file being read: its name and text, its header, and the rows skipped so far.

use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use miette::{NamedSource, SourceSpan};

use super::error::DataError;
use super::issue::Issue;
use super::record::QuoteError;

/// One data file while it is read.
pub(crate) struct Input<'a> {
    /// The path as the user gave it; diagnostics and notes name the file by it.
    pub name: &'a str,
    pub text: &'a str,
    lenient: bool,
    /// Column names as written in the header, for messages.
    pub header: Vec<String>,
    /// Data rows read, bad ones included.
    pub rows: usize,
    /// Rows skipped under lenient loading.
    pub skipped: usize,
    /// Line number and message of the first skipped row, for the note.
    first_skipped: Option<String>,
}

impl<'a> Input<'a> {
    pub fn new(name: &'a str, text: &'a str, lenient: bool) -> Self {
        Input {
            name,
            text,
            lenient,
            header: Vec::new(),
            rows: 0,
            skipped: 0,
            first_skipped: None,
        }
    }

    /// The whole file as miette source code. Built only when an error is, since it copies.
    pub fn source(&self) -> Arc<NamedSource<String>> {
        Arc::new(NamedSource::new(self.name, self.text.to_owned()))
    }

    /// The file name without directory and extension: `data/^GSPC.csv` → `^GSPC`.
    pub fn stem(&self) -> &'a str {
        Path::new(self.name)
            .file_stem()
            .and_then(|s| s.to_str())
            .filter(|s| !s.is_empty())
            .unwrap_or(self.name)
    }

    /// Fails on `issue`, or, when loading leniently and the issue concerns only its row,
    /// counts the row as skipped.
    pub fn reject(&mut self, issue: Issue) -> Result<(), DataError> {
        if !(self.lenient && issue.skippable()) {
            return Err(issue.into_error(self));
        }
        self.skipped += 1;
        if self.first_skipped.is_none() {
            let line = self.line_of(issue.span().start);
            self.first_skipped = Some(format!("line {line}: {}", issue.into_error(self)));
        }
        Ok(())
    }

    /// The note telling the report how many rows were skipped, if any were.
    pub fn skip_note(&self) -> Option<String> {
        let first = self.first_skipped.as_ref()?;
        let rows = if self.skipped == 1 { "row" } else { "rows" };
        Some(format!(
            "{}: skipped {} bad {rows} (lenient); the first, {first}",
            self.name, self.skipped
        ))
    }

    /// The 1-based line that byte `offset` is on.
    pub fn line_of(&self, offset: usize) -> usize {
        1 + self.text.as_bytes()[..offset].iter().filter(|&&b| b == b'\n').count()
    }

    pub fn quote_error(&self, error: QuoteError) -> DataError {
        DataError::BadQuote {
            unclosed: error.unclosed,
            src: self.source(),
            span: span(&error.span),
        }
    }
}

/// A byte range as miette wants it.
pub(crate) fn span(range: &Range<usize>) -> SourceSpan {
    (range.start, range.end - range.start).into()
}
