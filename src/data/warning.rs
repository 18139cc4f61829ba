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

}

impl PartialEq for DataWarning {
    /// Warnings are equal when they say the same about the same place.
    fn eq(&self, other: &Self) -> bool {
        let place = |w: &DataWarning| match w {
            DataWarning::NearMissColumn { span, .. } => Some(*span),
            DataWarning::SplitLikeMove { span, .. } => *span,
            DataWarning::CloseOutsideRange { .. } => None,
        };
        self.to_string() == other.to_string() && place(self) == place(other)
    }
}
