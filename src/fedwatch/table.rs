//! A small CSV file read whole with the `csv` crate, keeping where each cell is so a
//! diagnostic can point at it.

use std::ops::Range;
use std::sync::Arc;

use chrono::NaiveDate;
use miette::{NamedSource, SourceSpan};

use super::error::{FedWatchError, Source};

/// One record: its cells and where they are in the file.
#[derive(Debug)]
pub(crate) struct Row {
    /// The record's bytes in the file, without its line end.
    pub span: Range<usize>,
    pub cells: Vec<String>,
    /// Each cell's bytes; the whole record's for every cell of a record that spans lines.
    pub spans: Vec<Range<usize>>,
}

impl Row {
    /// The cell at `i`, trimmed; empty past the end.
    pub fn cell(&self, i: usize) -> &str {
        self.cells.get(i).map_or("", |c| c.trim())
    }

    pub fn cell_span(&self, i: usize) -> SourceSpan {
        to_span(self.spans.get(i).unwrap_or(&self.span))
    }

    pub fn row_span(&self) -> SourceSpan {
        to_span(&self.span)
    }
}

/// A whole file: its text for diagnostics and its records.
#[derive(Debug)]
pub(crate) struct Table {
    pub name: String,
    pub src: Source,
    pub rows: Vec<Row>,
}

/// A byte range as miette wants it.
pub(crate) fn to_span(range: &Range<usize>) -> SourceSpan {
    (range.start, range.end - range.start).into()
}

impl Table {
    /// Reads `text` (a file called `name`). A UTF-8 byte order mark is skipped; blank lines
    /// are not records.
    pub fn read(name: &str, text: &str) -> Result<Table, FedWatchError> {
        let src: Source = Arc::new(NamedSource::new(name, text.to_owned()));
        let start = if text.starts_with('\u{feff}') {
            '\u{feff}'.len_utf8()
        } else {
            0
        };
        let body = &text[start..];
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(body.as_bytes());
        let mut records = Vec::new();
        for record in reader.records() {
            let record = record.map_err(|e| {
                let at = e.position().map_or(0, |p| p.byte() as usize) + start;
                FedWatchError::Csv {
                    reason: e.to_string(),
                    src: src.clone(),
                    span: (at.min(text.len()), 0).into(),
                }
            })?;
            let at = record.position().map_or(0, |p| p.byte() as usize) + start;
            // After a CRLF the reader's position can be the `\n`, or a blank line's.
            let at = at + (text[at..].len() - text[at..].trim_start_matches(['\r', '\n']).len());
            records.push((at, record));
        }
        let mut rows = Vec::with_capacity(records.len());
        for (i, (at, record)) in records.iter().enumerate() {
            let next = records.get(i + 1).map_or(text.len(), |(n, _)| *n);
            let end = at + text[*at..next].trim_end_matches(['\r', '\n']).len();
            let cells: Vec<String> = record.iter().map(str::to_owned).collect();
            let mut spans = cell_spans(&text[*at..end], *at);
            if spans.len() != cells.len() {
                spans = vec![*at..end; cells.len()];
            }
            rows.push(Row {
                span: *at..end,
                cells,
                spans,
            });
        }
        Ok(Table {
            name: name.to_owned(),
            src,
            rows,
        })
    }

    /// A [`FedWatchError::BadCell`] at `span` of this file.
    pub fn bad_cell(&self, span: SourceSpan, message: impl Into<String>, label: &str, help: &str) -> FedWatchError {
        FedWatchError::BadCell {
            message: message.into(),
            src: self.src.clone(),
            span,
            label: label.into(),
            help: help.into(),
        }
    }

    /// The date in cell `i` of `row`, or a [`FedWatchError::BadDate`] at it.
    pub fn date(&self, row: &Row, i: usize) -> Result<NaiveDate, FedWatchError> {
        parse_date(row.cell(i)).ok_or_else(|| FedWatchError::BadDate {
            cell: row.cell(i).to_owned(),
            src: self.src.clone(),
            span: row.cell_span(i),
        })
    }

    /// The file's stem: `data/FedMeeting_20250917.csv` → `FedMeeting_20250917`.
    pub fn stem(&self) -> &str {
        std::path::Path::new(&self.name)
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or(&self.name)
    }
}

/// `2025/8/21` (as CME writes dates), `2025-08-21`, `2025/08/21`.
pub(crate) fn parse_date(cell: &str) -> Option<NaiveDate> {
    let mut parts = cell.split(['/', '-']);
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 {
        return None;
    }
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

/// Header cells compared without case, spaces or underscores, as the main loader does.
pub(crate) fn normalise(cell: &str) -> String {
    cell.chars()
        .filter(|c| !matches!(c, ' ' | '_' | '"'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The byte ranges of the cells of one line (quotes and all), offset by `base`.
fn cell_spans(line: &str, base: usize) -> Vec<Range<usize>> {
    let mut spans = Vec::new();
    let mut from = 0;
    let mut quoted = false;
    for (i, b) in line.bytes().enumerate() {
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => {
                spans.push(base + from..base + i);
                from = i + 1;
            }
            _ => {}
        }
    }
    spans.push(base + from..base + line.len());
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_keep_their_place_in_the_file() {
        let text = "\u{feff}Date,(0-25)\r\n2025/8/1,\"0.5\",x\n\n2025/8/4,\n";
        let t = Table::read("f.csv", text).expect("reads");
        assert_eq!(t.rows.len(), 3, "the blank line is no record");
        let row = &t.rows[1];
        assert_eq!(row.cells, ["2025/8/1", "0.5", "x"]);
        assert_eq!(&text[row.spans[1].clone()], "\"0.5\"");
        assert_eq!(&text[row.span.clone()], "2025/8/1,\"0.5\",x");
        assert_eq!(t.rows[2].cell(1), "");
        assert_eq!(t.rows[2].cell(5), "");
        assert_eq!(&text[t.rows[0].spans[0].clone()], "Date");
    }
}
