//! A problem confined to one row, before it becomes an error or a skipped row.
//!
//! Lenient loading may skip thousands of bad rows; building a [`DataError`] copies the whole
//! file into its source code, so a row problem stays this small value until it must be shown.

use std::ops::Range;

use super::cell::{MAX_PRICE, MIN_PRICE};
use super::chronology::Disorder;
use super::date::{DateOrder, YearLast, format_timestamp};
use super::error::DataError;
use super::input::{Input, span, spelled};

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
    /// A dividend below zero.
    NegativeDividend {
        column: usize,
        span: Range<usize>,
    },
    /// A price outside [`MIN_PRICE`]..=[`MAX_PRICE`].
    Implausible {
        column: usize,
        span: Range<usize>,
    },
    /// A year-last date that is no day in the file's order.
    AgainstOrder {
        order: DateOrder,
        /// The order was given on the `data` line (rather than decided from the file).
        given: bool,
        span: Range<usize>,
    },
    /// The file's year-last dates read equally well day-first and month-first.
    AmbiguousDates {
        span: Range<usize>,
    },
    /// Some year-last dates are days only day-first, others only month-first.
    MixedDateOrders {
        day_first: Range<usize>,
        month_first: Range<usize>,
    },
    EmptySymbol {
        span: Range<usize>,
    },
    Duplicate {
        history: String,
        ts: i64,
        span: Range<usize>,
    },
    /// `ts` goes the wrong way after `previous`; `earlier`: the row of `previous` is the
    /// one out of place, and `span` is its date.
    Unsorted {
        history: String,
        previous: i64,
        ts: i64,
        earlier: bool,
        span: Range<usize>,
    },
}

impl Issue {
    /// The issue a date in the wrong place raises for `history`.
    pub fn disorder(disorder: Disorder, history: String, ts: i64, span: Range<usize>) -> Self {
        match disorder {
            Disorder::Duplicate => Issue::Duplicate { history, ts, span },
            Disorder::Unsorted { previous, out_of_place } => Issue::Unsorted {
                history,
                previous,
                ts,
                earlier: out_of_place.is_some(),
                span: out_of_place.unwrap_or(span),
            },
        }
    }

    /// Whether lenient loading may skip the row. Disorder is not a row's fault: skipping
    /// every row after one wrong date would silently drop the rest of the file.
    /// The order of a file's dates is not a row's fault either.
    pub fn skippable(&self) -> bool {
        !matches!(
            self,
            Issue::Unsorted { .. } | Issue::AmbiguousDates { .. } | Issue::MixedDateOrders { .. }
        )
    }

    pub fn span(&self) -> &Range<usize> {
        match self {
            Issue::Ragged { span, .. }
            | Issue::NotANumber { span, .. }
            | Issue::BadDate { span }
            | Issue::NotPositive { span, .. }
            | Issue::NegativeDividend { span, .. }
            | Issue::Implausible { span, .. }
            | Issue::AgainstOrder { span, .. }
            | Issue::AmbiguousDates { span }
            | Issue::MixedDateOrders { day_first: span, .. }
            | Issue::EmptySymbol { span }
            | Issue::Duplicate { span, .. }
            | Issue::Unsorted { span, .. } => span,
        }
    }

    pub fn into_error(self, input: &Input) -> DataError {
        let src = input.source();
        let at = span(self.span());
        // The cell as the user sees it in the message: without quotes and blanks, and cut
        // when long (the label shows where it is).
        let cell = |span: &Range<usize>| {
            crate::display::quoted(input.text[span.clone()].trim().trim_matches('"')).into_owned()
        };
        let column = |index: usize| {
            input
                .header
                .get(index)
                .map(|name| crate::display::quoted(name).into_owned())
                .unwrap_or_default()
        };
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
                help: super::date::bad_date_help(&cell(&span)),
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
            Issue::NegativeDividend { column: index, span } => DataError::NegativeDividend {
                text: cell(&span),
                column: column(index),
                src,
                span: at,
            },
            Issue::Implausible { column: index, span } => DataError::ImplausiblePrice {
                text: cell(&span),
                column: column(index),
                src,
                span: at,
                help: format!(
                    "rotor reads prices from {MIN_PRICE} to {MAX_PRICE:e}; a price outside that is a \
                     broken cell or a unit mix-up: correct it, or remove the row (`--lenient` \
                     skips such rows and counts them)"
                ),
            },
            Issue::AgainstOrder { order, given, span } => {
                let why = if given {
                    format!("the `data` line says `dates {}`", order.keyword())
                } else {
                    format!("the file's other dates are read {}", order.keyword())
                };
                DataError::DateAgainstOrder {
                    text: cell(&span),
                    order: order.keyword(),
                    src,
                    span: at,
                    help: format!("{why}; correct this date, or the order of the file"),
                }
            }
            Issue::AmbiguousDates { span } => {
                let text = cell(&span);
                let read = |order| {
                    YearLast::parse(&text)
                        .and_then(|d| d.timestamp(order))
                        .map_or_else(String::new, spelled)
                };
                DataError::AmbiguousDates {
                    readings: format!("{} or {}?", read(DateOrder::DayFirst), read(DateOrder::MonthFirst)),
                    help: format!(
                        "no date in the file tells whether `{text}` is day-first or month-first; \
                         add `dates day-first` or `dates month-first` to its `data` line, such as \
                         `data \"{}\" dates day-first`",
                        input.name
                    ),
                    text,
                    src,
                    span: at,
                }
            }
            Issue::MixedDateOrders { day_first, month_first } => DataError::MixedDateOrders {
                day_first: cell(&day_first),
                month_first: cell(&month_first),
                src,
                day_first_span: span(&day_first),
                month_first_span: span(&month_first),
            },
            Issue::EmptySymbol { .. } => DataError::EmptySymbol { src, span: at },
            Issue::Duplicate { history, ts, .. } => DataError::DuplicateDate {
                history,
                date: format_timestamp(ts),
                src,
                span: at,
            },
            Issue::Unsorted {
                history,
                previous,
                ts,
                earlier: false,
                ..
            } => DataError::Unsorted {
                history,
                previous: format_timestamp(previous),
                date: format_timestamp(ts),
                src,
                span: at,
            },
            Issue::Unsorted {
                history,
                previous,
                ts,
                earlier: true,
                ..
            } => DataError::OutOfPlace {
                history,
                date: format_timestamp(previous),
                next: format_timestamp(ts),
                src,
                span: at,
            },
        }
    }
}
