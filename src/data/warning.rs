//! What rotor read but a person should look at: shown as warnings, and the run goes on.

use std::sync::Arc;

use miette::{Diagnostic, NamedSource, SourceSpan};
use thiserror::Error;

/// A warning about a data file, with a label at the cell or row concerned. Each also
/// leaves a note for the report (the run's "Assumed"), so it is never only on screen.
#[derive(Clone, Debug, Error, Diagnostic)]
pub enum DataWarning {
    /// A header name one slip from a column rotor reads (`Adj Clse`, `hi`).
    #[error("column `{name}` is not read; did you mean `{meant}`?")]
    #[diagnostic(code(rotor::data::unknown_column), severity(Warning))]
    NearMissColumn {
        name: String,
        meant: &'static str,
        #[source_code]
        src: Arc<NamedSource<String>>,
        #[label("did you mean `{meant}`?")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    /// A one-day move in raw prices that looks like a split no column mentions.
    #[error("{symbol} {description}")]
    #[diagnostic(code(rotor::data::split_like_move), severity(Warning))]
    SplitLikeMove {
        symbol: String,
        description: String,
        #[source_code]
        src: Arc<NamedSource<String>>,
        #[label("this day")]
        span: Option<SourceSpan>,
        #[help]
        help: String,
    },

    /// Closes outside their bar's low–high range: the count, and the first one's figures.
    /// Not an error: an adjusted close beside a raw high and low can lie outside.
    #[error(
        "{file}: {symbol} closes outside its low–high range on {rows}, the first on {date} \
         (close {close}, low {low}, high {high})"
    )]
    #[diagnostic(
        code(rotor::data::close_outside_range),
        severity(Warning),
        help(
            "if the close is adjusted for dividends or splits and the high and low are not, \
             nothing needs doing; otherwise check those rows (a column shifted, a wrong digit)"
        )
    )]
    CloseOutsideRange {
        file: String,
        symbol: String,
        /// "1 row", "3 rows".
        rows: String,
        date: String,
        close: f64,
        low: f64,
        high: f64,
    },

    /// Raw open, high and low beside a file's only close, an adjusted one, which lies
    /// outside their range: they are not read (`two_scales.rs`).
    #[error(
        "{file}: {symbol}'s open, high and low are not on the scale of the adjusted close \
         `{close_name}`: it lies outside their range on {rows}, the first on {date} \
         (adjusted close {close}, low {low}, high {high}); rotor uses the adjusted close in \
         their place"
    )]
    #[diagnostic(
        code(rotor::data::raw_range_beside_adjusted_close),
        severity(Warning),
        help(
            "the open, high and low are raw prices and the close is adjusted for dividends and \
             splits: fills, stops, `high`, `low` and `fill next open` use the adjusted close \
             instead (an open on the adjusted scale would be needed to fill at the open). To \
             use the raw prices, download the file with its raw `Close` beside `Adj Close` \
             (Yahoo's layout); to say nothing, delete the Open, High and Low columns"
        )
    )]
    RawRangeBesideAdjustedClose {
        file: String,
        symbol: String,
        close_name: String,
        /// "1 row", "3 rows".
        rows: String,
        date: String,
        close: f64,
        low: f64,
        high: f64,
    },
}

impl PartialEq for DataWarning {
    /// Warnings are equal when they say the same about the same place.
    fn eq(&self, other: &Self) -> bool {
        let place = |w: &DataWarning| match w {
            DataWarning::NearMissColumn { span, .. } => Some(*span),
            DataWarning::SplitLikeMove { span, .. } => *span,
            DataWarning::CloseOutsideRange { .. } | DataWarning::RawRangeBesideAdjustedClose { .. } => None,
        };
        self.to_string() == other.to_string() && place(self) == place(other)
    }
}
