//! Reading the rows of a series file into one [`SeriesHistory`] per column.

use std::ops::Range;

use super::cell::{is_missing, parse_number};
use super::chronology::Chronology;
use super::date::parse_timestamp;
use super::error::DataError;
use super::input::Input;
use super::issue::Issue;
use super::layout::SeriesLayout;
use super::record::{Field, Records};
use super::store::SeriesHistory;

/// The histories of a series file, and what the report should say about reading it.
pub(crate) struct ReadSeries {
    pub histories: Vec<SeriesHistory>,
    pub notes: Vec<String>,
}

/// Reads every row after the header. A missing observation (see
/// [`is_missing`](super::cell::is_missing)) leaves that date out of that series only.
pub(crate) fn read_series(
    input: &mut Input,
    layout: &SeriesLayout,
    records: &mut Records,
) -> Result<ReadSeries, DataError> {
    let mut reader = Reader {
        layout,
        width: input.header.len(),
        histories: layout
            .series
            .iter()
            .map(|&i| SeriesHistory {
                name: input.header[i].clone(),
                file: input.name.to_owned(),
                ts: Vec::new(),
                values: Vec::new(),
            })
            .collect(),
        order: Chronology::default(),
        row_values: vec![f64::NAN; layout.series.len()],
        missing: 0,
    };
    let mut fields = Vec::with_capacity(input.header.len());
    while let Some(record) = records.next_record(&mut fields) {
        let line = record.map_err(|e| input.quote_error(e))?;
        input.rows += 1;
        if let Err(issue) = reader.row(input, &fields, line) {
            input.reject(issue)?;
        }
    }
    Ok(reader.finish(input))
}

struct Reader<'l> {
    layout: &'l SeriesLayout,
    width: usize,
    histories: Vec<SeriesHistory>,
    /// The rows share one date column, so they share one order.
    order: Chronology,
    /// The current row's values, `NaN` where missing; reused so rows allocate nothing.
    row_values: Vec<f64>,
    /// Cells that marked a missing observation.
    missing: usize,
}

impl Reader<'_> {
    /// Checks one row completely, then appends it; a bad row changes nothing.
    fn row(&mut self, input: &Input, fields: &[Field], line: Range<usize>) -> Result<(), Issue> {
        let text = input.text;
        if fields.len() != self.width {
            return Err(Issue::Ragged {
                expected: self.width,
                found: fields.len(),
                span: line,
            });
        }
        let date = &fields[self.layout.date];
        let ts = parse_timestamp(&date.value(text)).ok_or_else(|| Issue::BadDate {
            span: date.span.clone(),
        })?;
        for (slot, &i) in self.row_values.iter_mut().zip(&self.layout.series) {
            let field = &fields[i];
            let cell = field.value(text);
            *slot = if is_missing(&cell) {
                f64::NAN
            } else {
                parse_number(&cell).ok_or_else(|| Issue::NotANumber {
                    column: i,
                    series: true,
                    span: field.span.clone(),
                })?
            };
        }
        self.order.check(ts).map_err(|disorder| {
            let names: Vec<&str> = self.histories.iter().map(|h| h.name.as_str()).collect();
            Issue::disorder(disorder, names.join(", "), ts, date.span.clone())
        })?;
        self.order.commit(ts);
        for (history, &value) in self.histories.iter_mut().zip(&self.row_values) {
            if value.is_nan() {
                self.missing += 1;
            } else {
                history.ts.push(ts);
                history.values.push(value);
            }
        }
        Ok(())
    }

    fn finish(mut self, input: &Input) -> ReadSeries {
        let name = input.name;
        let mut notes = Vec::new();
        if self.order.descending() {
            for history in &mut self.histories {
                history.ts.reverse();
                history.values.reverse();
            }
            notes.push(format!("{name}: rows run newest first; rotor reads them oldest first"));
        }
        if self.missing > 0 {
            notes.push(format!(
                "{name}: {} empty or `.` cell(s) are missing observations, left out",
                self.missing
            ));
        }
        let empty: Vec<&str> = self
            .histories
            .iter()
            .filter(|h| h.ts.is_empty())
            .map(|h| h.name.as_str())
            .collect();
        if !empty.is_empty() {
            notes.push(format!(
                "{name}: series {} have no observations at all",
                empty.join(", ")
            ));
        }
        ReadSeries {
            histories: self.histories,
            notes,
        }
    }
}
