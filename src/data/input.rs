//! The file being read: its name and text, its header, and the rows skipped so far.

use std::cell::OnceCell;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use miette::{NamedSource, SourceSpan};

use super::date::{DateOrder, YearLast, parse_year_first};
use super::date_order::{DateColumns, Decision, Undecided, Why, decide};
use super::dialect::Dialect;
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
    /// Where the first skipped row starts in the text (the earliest in the file, not the
    /// first found: bars that cannot be are found after every cell is read), and its line
    /// number and message, for the note.
    first_skipped: Option<(usize, String)>,
    /// The delimiter and decimal mark.
    pub dialect: Dialect,
    /// How dates with the year last are read (see [`Input::timestamp`]).
    pub dates: Dates,
}

/// How a file's dates with the year last (`01/02/2024`) are read: as the `data` line
/// says, or as decided from all of the file's dates the first time one is met.
#[derive(Default)]
pub(crate) struct Dates {
    pub given: Option<DateOrder>,
    /// Where the dates are; set once the layout is known.
    pub columns: Option<DateColumns>,
    decided: OnceCell<Result<Decision, Undecided>>,
    /// The first year-last date met, for the note when the order was given.
    first: OnceCell<String>,
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
            dialect: Dialect::default(),
            dates: Dates::default(),
        }
    }

    /// The timestamp of a date cell whose text (quotes and blanks removed) is `cell`.
    pub fn timestamp(&self, cell: &str, span: &Range<usize>) -> Result<i64, Issue> {
        let Some(date) = YearLast::parse(cell) else {
            return parse_year_first(cell).ok_or_else(|| Issue::BadDate { span: span.clone() });
        };
        let order = self.date_order()?;
        self.dates.first.get_or_init(|| cell.to_owned());
        date.timestamp(order).ok_or_else(|| Issue::AgainstOrder {
            order,
            given: self.dates.given.is_some(),
            span: span.clone(),
        })
    }

    /// The order of the file's year-last dates: given, or decided from all of them.
    fn date_order(&self) -> Result<DateOrder, Issue> {
        if let Some(order) = self.dates.given {
            return Ok(order);
        }
        let decided = self.dates.decided.get_or_init(|| match &self.dates.columns {
            Some(columns) => decide(self.text, columns),
            None => Err(Undecided::Ambiguous { span: 0..0 }),
        });
        match decided {
            Ok(decision) => Ok(decision.order),
            Err(Undecided::Ambiguous { span }) => Err(Issue::AmbiguousDates { span: span.clone() }),
            Err(Undecided::Mixed { day_first, month_first }) => Err(Issue::MixedDateOrders {
                day_first: day_first.clone(),
                month_first: month_first.clone(),
            }),
        }
    }

    /// What the report should say about how year-last dates were read, if any were.
    pub fn date_note(&self) -> Option<String> {
        let name = self.name;
        let reading = |order: DateOrder, example: &str| {
            let read = YearLast::parse(example).and_then(|d| d.timestamp(order));
            let shown = read.map_or(String::new(), |ts| format!(" (`{example}` is {})", spelled(ts)));
            format!("{name}: dates read {}{shown}", order.keyword())
        };
        if let Some(order) = self.dates.given {
            let example = self.dates.first.get()?;
            return Some(format!("{}, as the `data` line says", reading(order, example)));
        }
        let Some(Ok(decision)) = self.dates.decided.get() else {
            return None;
        };
        let example = decision.example.as_deref()?;
        let other = decision.order.other().keyword();
        Some(match &decision.why {
            Why::Impossible(date) => format!("{}: `{date}` is no date {other}", reading(decision.order, example)),
            Why::Implausible => format!(
                "{}: read {other}, the dates would fall on weekends, out of order, or jump by \
                 months; if that is wrong, write `dates {other}` on the `data` line",
                reading(decision.order, example)
            ),
        })
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
            let start = issue.span().start;
            let line = self.line_of(start);
            self.first_skipped = Some((start, format!("line {line}: {}", issue.into_error(self))));
        }
        Ok(())
    }

    /// Whether bad rows are skipped (and counted) rather than failed on.
    pub fn lenient(&self) -> bool {
        self.lenient
    }

    /// Counts `rows` rows dropped once their history was read (a bar that cannot be, see
    /// data/sanity.rs); `first` says what was wrong with the first, which starts at byte
    /// `at`, should it be the first skipped in the file.
    pub fn skip_read(&mut self, rows: usize, at: usize, first: String) {
        self.skipped += rows;
        if self.first_skipped.as_ref().is_none_or(|(earliest, _)| at < *earliest) {
            self.first_skipped = Some((at, first));
        }
    }

    /// The note telling the report how many rows were skipped, if any were.
    pub fn skip_note(&self) -> Option<String> {
        let (_, first) = self.first_skipped.as_ref()?;
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

/// A day written out, so a reader sees which order was taken: `1 February 2024`.
pub(crate) fn spelled(ts: i64) -> String {
    let text = super::date::format_timestamp(ts);
    chrono::NaiveDate::parse_from_str(&text, "%Y-%m-%d").map_or(text, |d| d.format("%-d %B %Y").to_string())
}

/// A byte range as miette wants it.
pub(crate) fn span(range: &Range<usize>) -> SourceSpan {
    (range.start, range.end - range.start).into()
}
