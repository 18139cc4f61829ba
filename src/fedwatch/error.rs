//! Everything that can be wrong with a FedWatch export, a fed funds futures file or a
//! calendar file. Each problem in a file points at its cell; the loader wraps these in
//! [`crate::data::DataError::FedWatch`].

use std::sync::Arc;

use miette::{Diagnostic, NamedSource, SourceSpan};
use thiserror::Error;

/// A file's text as diagnostics show it.
pub type Source = Arc<NamedSource<String>>;

#[derive(Debug, Error, Diagnostic)]
pub enum FedWatchError {
    /// A column header of a CME export that is not a 25 bp band such as `(400-425)`.
    #[error("`{header}` is not a target band")]
    #[diagnostic(
        code(rotor::fedwatch::bad_band),
        help(
            "CME's exports name each column by its band in basis points, low-high in parentheses, such as `(400-425)`; fix or remove this column"
        )
    )]
    BadBand {
        header: String,
        #[source_code]
        src: Source,
        #[label("not `(LOW-HIGH)` in basis points")]
        span: SourceSpan,
    },

    /// A row's probabilities that do not add up to 1.
    #[error("the probabilities of meeting {meeting} add up to {sum:.4}, not 1")]
    #[diagnostic(code(rotor::fedwatch::bad_sum))]
    BadSum {
        meeting: String,
        sum: f64,
        #[source_code]
        src: Source,
        #[label("this row")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    /// A cell that is not a probability (a fraction 0–1, or a percentage such as `31.0%`).
    #[error("`{cell}` is not a probability")]
    #[diagnostic(
        code(rotor::fedwatch::bad_probability),
        help("write a fraction from 0 to 1 (`0.31`), a percentage (`31.0%`), or leave the cell empty")
    )]
    BadProbability {
        cell: String,
        #[source_code]
        src: Source,
        #[label("not a probability")]
        span: SourceSpan,
    },

    /// A meeting that is not in the FOMC calendar.
    #[error("there is no scheduled FOMC meeting on {date}")]
    #[diagnostic(code(rotor::fedwatch::unknown_meeting))]
    UnknownMeeting {
        date: String,
        #[source_code]
        src: Source,
        #[label("not a meeting date")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    /// A per-meeting export whose name does not say its meeting.
    #[error("cannot tell which FOMC meeting `{file}` is for")]
    #[diagnostic(
        code(rotor::fedwatch::no_meeting_date),
        help("keep CME's file name, which ends with the meeting date: `FedMeeting_20250917.csv`")
    )]
    NoMeetingDate {
        file: String,
        #[source_code]
        src: Source,
        #[label("a per-meeting export")]
        span: SourceSpan,
    },

    /// A date cell rotor cannot read.
    #[error("`{cell}` is not a date")]
    #[diagnostic(
        code(rotor::fedwatch::bad_date),
        help("write dates as CME does (`2025/8/21`) or as `2025-08-21`")
    )]
    BadDate {
        cell: String,
        #[source_code]
        src: Source,
        #[label("not a date")]
        span: SourceSpan,
    },

    /// A fed funds futures contract whose delivery month cannot be told.
    #[error("cannot place futures contract `{contract}` in a month")]
    #[diagnostic(code(rotor::fedwatch::bad_contract))]
    BadContract {
        contract: String,
        #[source_code]
        src: Source,
        #[label("{reason}")]
        span: SourceSpan,
        reason: String,
        #[help]
        help: String,
    },

    /// A futures price that cannot be a 30-day fed funds price.
    #[error("`{cell}` is not a fed funds futures price")]
    #[diagnostic(
        code(rotor::fedwatch::bad_price),
        help(
            "a 30-day fed funds futures price is 100 minus the month's average rate, between 80 and 100 (96.3688 means 3.6312 %)"
        )
    )]
    BadPrice {
        cell: String,
        #[source_code]
        src: Source,
        #[label("not between 80 and 100")]
        span: SourceSpan,
    },

    /// A row with more or fewer cells than the header.
    #[error("this row has {found} cells, the header {expected}")]
    #[diagnostic(
        code(rotor::fedwatch::ragged),
        help("every row needs one cell per column; an empty cell is written as nothing between two commas")
    )]
    Ragged {
        found: usize,
        expected: usize,
        #[source_code]
        src: Source,
        #[label("this row")]
        span: SourceSpan,
    },

    /// A cell of a futures or calendar file that rotor cannot use.
    #[error("{message}")]
    #[diagnostic(code(rotor::fedwatch::bad_cell))]
    BadCell {
        message: String,
        #[source_code]
        src: Source,
        #[label("{label}")]
        span: SourceSpan,
        label: String,
        #[help]
        help: String,
    },

    /// Two files that give a meeting different probabilities on the same day, or a
    /// contract two prices.
    #[error("{what} on {date} is given twice, differently: in `{first}` and here")]
    #[diagnostic(
        code(rotor::fedwatch::conflict),
        help("load the files of one download only, or remove one of the two")
    )]
    Conflict {
        what: String,
        date: String,
        first: String,
        #[source_code]
        src: Source,
        #[label("differs from `{first}`")]
        span: SourceSpan,
    },

    /// A row the csv reader cannot split (an unclosed quote).
    #[error("this line cannot be read as CSV: {reason}")]
    #[diagnostic(code(rotor::fedwatch::csv), help("check the quotes on this line"))]
    Csv {
        reason: String,
        #[source_code]
        src: Source,
        #[label("here")]
        span: SourceSpan,
    },

    /// A file with a header and nothing under it.
    #[error("`{file}` has no rows")]
    #[diagnostic(
        code(rotor::fedwatch::empty),
        help("download the file again; a FedWatch export has one row per day under its header")
    )]
    Empty {
        file: String,
        #[source_code]
        src: Source,
        #[label("nothing under this")]
        span: SourceSpan,
    },

    /// `rotor fedwatch --futures FILE` with a file that is not fed funds futures prices.
    #[error("`{file}` is not a file of fed funds futures prices")]
    #[diagnostic(
        code(rotor::fedwatch::not_futures),
        help(
            "give a curve (`contract_symbol,contract_month,contract_year,close_price,as_of_date`), a history (`date,contract,price`) or Barchart's contract list (`\"Exp Date\",Symbol,…,Last,…,Time`)"
        )
    )]
    NotFutures { file: String },

    /// `--as-of` before the day of a file that holds one day's latest prices (Barchart's
    /// contract list), which has no earlier prices.
    #[error("`{file}` holds the latest prices as of {day}, not a history: it has no prices as of {as_of}")]
    #[diagnostic(
        code(rotor::fedwatch::not_history),
        help(
            "leave out --as-of, or give {day} or later; for earlier days, give a futures history (`date,contract,price`) with prices of those days"
        )
    )]
    NotHistory { file: String, day: String, as_of: String },

    /// `fomc "FILE"` or `rotor fedwatch --meetings FILE` with a file that is not an FOMC
    /// calendar file.
    #[error("`{file}` is not an FOMC calendar file")]
    #[diagnostic(
        code(rotor::fedwatch::not_calendar),
        help(
            "a calendar file's header is `date,meeting,target_low,target_high` (docs/FEDWATCH.md); other data is loaded with `data`"
        )
    )]
    NotCalendar {
        file: String,
        #[source_code]
        src: Source,
        #[label("not a calendar file's header")]
        span: SourceSpan,
    },

    /// `--as-of` before every price in the file.
    #[error("the futures file has no prices on or before {as_of}")]
    #[diagnostic(
        code(rotor::fedwatch::no_prices),
        help("its first day is {first}; give a later --as-of")
    )]
    NoPrices { as_of: String, first: String },

    /// `data "…" as NAME` on a FedWatch file, which gives several series of fixed names.
    #[error("a FedWatch file cannot be renamed with `as {alias}`")]
    #[diagnostic(
        code(rotor::fedwatch::alias),
        help(
            "remove `as {alias}`: FedWatch files give the series fed_cut_prob, fed_hike_prob, fed_hold_prob, fed_expected_rate and fed_cuts_priced"
        )
    )]
    Alias { alias: String },
}
