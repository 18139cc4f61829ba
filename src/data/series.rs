//! Reading the rows of a series file into one [`SeriesHistory`] per column.
//!
//! As for prices, each row first takes a fast path over plain unquoted cells
//! ([`Reader::fast_row`]); any other row goes through the general splitter and
//! [`Reader::row`].

use std::ops::Range;

use super::cell::{is_missing, parse_number};
use super::chronology::Chronology;
use super::day_cache::DayCache;
use super::dialect::Dialect;
use super::error::DataError;
use super::estimate::{capacity_for, reserve_to, trim};
use super::input::Input;
use super::issue::Issue;
use super::layout::SeriesLayout;
use super::plain::plain_or_missing;
use super::record::{Field, Records, field_end, past_line_end};
use super::store::SeriesHistory;

/// The histories of a series file, and what the report should say about reading it.
pub(crate) struct ReadSeries {
    pub histories: Vec<SeriesHistory>,
    pub notes: Vec<String>,
}

/// Reads every row after the header. A missing observation (see
/// [`is_missing`](super::cell::is_missing)) leaves that date out of that series only.
/// Columns not in `layout.series` are not read (beyond counting the fields).
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
                name: if layout.named_by_file {
                    input.stem().to_owned()
                } else {
                    input.header[i].clone()
                },
                file: input.name.to_owned(),
                ts: Vec::new(),
                values: Vec::new(),
                observed: None,
            })
            .collect(),
        order: Chronology::default(),
        row_values: vec![f64::NAN; layout.series.len()],
        slots: {
            let mut slots = vec![None; input.header.len()];
            for (slot, &column) in layout.series.iter().enumerate() {
                slots[column] = Some(slot);
            }
            slots
        },
        days: DayCache::default(),
        total: input.text.len(),
        missing: 0,
        dialect: input.dialect,
    };
    let bytes = input.text.as_bytes();
    let mut fields = Vec::with_capacity(input.header.len());
    while let Some(start) = records.next_start() {
        input.rows += 1;
        if let Some(next) = reader.fast_row(bytes, start) {
            records.resume_at(next);
            continue;
        }
        let record = records.next_record(&mut fields).expect("next_start found a record");
        let line = record.map_err(|e| input.quote_error(e))?;
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
    /// By column: the index into `row_values` of a series read, `None` for the date and
    /// columns left out.
    slots: Vec<Option<usize>>,
    days: DayCache,
    /// The length of the text, for estimating column lengths.
    total: usize,
    /// Cells that marked a missing observation.
    missing: usize,
    dialect: Dialect,
}

impl Reader<'_> {
    /// Reads a row of plain unquoted cells that is good in every way, appends it and returns
    /// where the next record starts. `None` leaves the row, untouched, to [`Reader::row`].
    fn fast_row(&mut self, bytes: &[u8], start: usize) -> Option<usize> {
        let Dialect { delimiter, decimal } = self.dialect;
        let mut at = start;
        let mut ts = None;
        let mut date = 0..0;
        for i in 0..self.width {
            if i > 0 {
                if bytes.get(at) != Some(&delimiter) {
                    return None;
                }
                at += 1;
            }
            at = if i == self.layout.date {
                let (value, end) = self.days.timestamp(bytes, at)?;
                ts = Some(value);
                date = at..end;
                end
            } else if let Some(slot) = self.slots[i] {
                let (value, end) = plain_or_missing(bytes, at, delimiter, decimal)?;
                self.row_values[slot] = value;
                end
            } else {
                field_end(bytes, at, delimiter)?
            };
        }
        let next = past_line_end(bytes, at)?;
        let ts = ts.expect("the date column is one of the row's columns");
        self.order.check(ts).ok()?;
        self.order.commit(ts, date);
        self.push(ts, next);
        Some(next)
    }

    /// Appends the row in `row_values`, which ends at byte `consumed`.
    fn push(&mut self, ts: i64, consumed: usize) {
        for (history, &value) in self.histories.iter_mut().zip(&self.row_values) {
            if value.is_nan() {
                self.missing += 1;
                continue;
            }
            if history.ts.len() == history.ts.capacity() {
                // A series file's rows all belong to every series: it starts with the file.
                let capacity = capacity_for(history.ts.len(), 0, consumed, self.total);
                reserve_to(&mut history.ts, capacity);
                reserve_to(&mut history.values, capacity);
            }
            history.ts.push(ts);
            history.values.push(value);
        }
    }

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
        let ts = input.timestamp(&date.value(text), &date.span)?;
        for (slot, &i) in self.row_values.iter_mut().zip(&self.layout.series) {
            let field = &fields[i];
            let cell = field.value(text);
            *slot = if is_missing(&cell) {
                f64::NAN
            } else {
                parse_number(&cell, self.dialect.decimal).ok_or_else(|| Issue::NotANumber {
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
        self.order.commit(ts, date.span.clone());
        self.push(ts, line.end);
        Ok(())
    }

    fn finish(mut self, input: &Input) -> ReadSeries {
        let name = input.name;
        for history in &mut self.histories {
            trim(&mut history.ts);
            trim(&mut history.values);
        }
        let mut notes = Vec::new();
        if self.order.descending() {
            for history in &mut self.histories {
                history.ts.reverse();
                history.values.reverse();
            }
            notes.push(format!("{name}: rows run newest first; rotor reads them oldest first"));
        }
        if !self.layout.ignored.is_empty() {
            let ignored: Vec<String> = self
                .layout
                .ignored
                .iter()
                .map(|&i| format!("`{}`", input.header[i]))
                .collect();
            let columns = if ignored.len() == 1 { "column" } else { "columns" };
            notes.push(format!("{name}: ignored {columns} {}", ignored.join(", ")));
        }
        if self.missing > 0 {
            let cells = if self.missing == 1 {
                "1 empty or `.` cell is a missing observation".to_owned()
            } else {
                format!("{} empty or `.` cells are missing observations", self.missing)
            };
            notes.push(format!("{name}: {cells}, left out"));
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
