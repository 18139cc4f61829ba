//! A problem confined to one row, before it becomes an error or a skipped row.
//!
//! Lenient loading may skip thousands of bad rows; building a [`DataError`] copies the whole
//! file into its source code, so a row problem stays this small value until it must be shown.

use std::ops::Range;

use super::chronology::Disorder;
use super::date::format_timestamp;
use super::error::DataError;
use super::input::{Input, span};

/// What is wrong with a row, and where.
#[derive(Debug)]
pub(crate) enum Issue {
    Ragged {
        expected: usize,
        found: usize,
        span: Range<usize>,
    },
    /// `column` indexes the header; `series` selects the help line.
    NotANumber {
        column: usize,
        series: bool,
        span: Range<usize>,
    },
    BadDate {
        span: Range<usize>,
    },
    NotPositive {
        column: usize,
        span: Range<usize>,
    },
    EmptySymbol {
        span: Range<usize>,
    },
    Duplicate {
        history: String,
        ts: i64,
        span: Range<usize>,
    },
    Unsorted {
        history: String,
        previous: i64,
        ts: i64,
        span: Range<usize>,
    },
}

impl Issue {
    /// The issue a date in the wrong place raises for `history`.
    pub fn disorder(disorder: Disorder, history: String, ts: i64, span: Range<usize>) -> Self {
        match disorder {
            Disorder::Duplicate => Issue::Duplicate { history, ts, span },
            Disorder::Unsorted { previous } => Issue::Unsorted {
                history,
                previous,
                ts,
                span,
            },
        }
    }

    /// Whether lenient loading may skip the row. Disorder is not a row's fault: skipping
    /// every row after one wrong date would silently drop the rest of the file.
    pub fn skippable(&self) -> bool {
        !matches!(self, Issue::Unsorted { .. })
    }

    pub fn span(&self) -> &Range<usize> {
        match self {
            Issue::Ragged { span, .. }
            | Issue::NotANumber { span, .. }
            | Issue::BadDate { span }
            | Issue::NotPositive { span, .. }
            | Issue::EmptySymbol { span }
            | Issue::Duplicate { span, .. }
            | Issue::Unsorted { span, .. } => span,
        }
    }

    pub fn into_error(self, input: &Input) -> DataError {
        let src = input.source();
        let at = span(self.span());
        // The cell as the user sees it in the message: without quotes and blanks.
        let cell = |span: &Range<usize>| input.text[span.clone()].trim().trim_matches('"').to_owned();
        let column = |index: usize| input.header.get(index).cloned().unwrap_or_default();
        match self {
            Issue::Ragged { expected, found, .. } => DataError::RaggedRow {
                expected,
                found,
                src,
                span: at,
            },
            Issue::NotANumber {
                column: index,
                series,
                span,
            } => {
                let help = if series {
                    "write a plain number such as `0.85`; leave the cell empty (or write `.`) \
                     on days without an observation"
                } else {
                    "write a plain number such as `101.25`, without currency signs or thousands \
                     separators; lenient loading (`--lenient`) skips such rows and counts them"
                };
                DataError::NotANumber {
                    text: cell(&span),
                    column: column(index),
                    src,
                    span: at,
                    help: help.to_owned(),
                }
            }
            Issue::BadDate { span } => DataError::BadDate {
                text: cell(&span),
                src,
                span: at,
            },
            Issue::NotPositive { column: index, span } => DataError::NegativePrice {
                text: cell(&span),
                column: column(index),
                src,
                span: at,
            },
            Issue::EmptySymbol { .. } => DataError::EmptySymbol { src, span: at },
            Issue::Duplicate { history, ts, .. } => DataError::DuplicateDate {
                history,
                date: format_timestamp(ts),
                src,
                span: at,
            },
            Issue::Unsorted {
                history, previous, ts, ..
            } => DataError::Unsorted {
                history,
                previous: format_timestamp(previous),
                date: format_timestamp(ts),
                src,
                span: at,
            },
        }
    }
}
