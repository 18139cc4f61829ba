//! Everything that can go wrong reading data files.

use std::sync::Arc;

use miette::{Diagnostic, NamedSource, SourceSpan};
use thiserror::Error;

/// A data file that cannot be read, or a cell in it that rotor cannot make sense of.
///
/// Every variant about a file's content carries the file as source code and a label at the
/// offending cell, so the report shows `file:line:column`. The file sits behind an `Arc`
/// to keep the error small (it travels in every `Result` of the loader).
#[derive(Debug, Error, Diagnostic)]
pub enum DataError {
    /// A CME FedWatch export, fed funds futures file or FOMC calendar file that is wrong.
    #[error(transparent)]
    #[diagnostic(transparent)]
    FedWatch(#[from] crate::fedwatch::FedWatchError),

    /// The file or directory cannot be read at all.
    #[error("cannot read `{path}`")]
    #[diagnostic(
        code(rotor::data::io),
        help("check the path; a directory is read for the *.csv and *.tsv files directly inside it")
    )]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },

    /// A `data` line names a path that does not exist.
    #[error("data path `{path}` does not exist")]
    #[diagnostic(code(rotor::data::not_found), help("{help}"))]
    NotFound {
        path: String,
        help: String,
        #[label("named here")]
        span: crate::source::Span,
    },

    /// A directory holds no data file (`*.csv`, `*.tsv`).
    #[error("no *.csv or *.tsv file in directory `{path}`")]
    #[diagnostic(
        code(rotor::data::no_files),
        help(
            "put the CSV files directly in `{path}`, or name one file instead of the directory \
             (a *.txt file is read only when named)"
        )
    )]
    NoFiles { path: String },

    /// The file is not UTF-8 text.
    #[error("the file is not UTF-8 text")]
    #[diagnostic(
        code(rotor::data::not_utf8),
        help("save the file as UTF-8 (in Excel: \"CSV UTF-8\")")
    )]
    NotUtf8 {
        #[source_code]
        src: Arc<NamedSource<String>>,
        #[label("this byte is not UTF-8")]
        span: SourceSpan,
    },

    /// The file has no header, or no row under it.
    #[error("the file has no data rows")]
    #[diagnostic(code(rotor::data::empty))]
    Empty {
        #[source_code]
        src: Arc<NamedSource<String>>,
        #[label("nothing under this")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    /// A column the layout needs is not in the header.
    #[error("the header has no {what} column")]
    #[diagnostic(code(rotor::data::missing_column))]
    MissingColumn {
        what: &'static str,
        #[source_code]
        src: Arc<NamedSource<String>>,
        #[label("header")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    /// Two header cells name the same column (or the same role, such as two dates).
    #[error("`{first}` and `{second}` are the same column")]
    #[diagnostic(
        code(rotor::data::duplicate_column),
        help("keep one of them, or rename the other in the header line")
    )]
    DuplicateColumn {
        first: String,
        second: String,
        #[source_code]
        src: Arc<NamedSource<String>>,
        #[label("first here")]
        first_span: SourceSpan,
        #[label("again here")]
        span: SourceSpan,
    },

    /// A header cell is empty, so its column has no name.
    #[error("column {number} has no name")]
    #[diagnostic(
        code(rotor::data::unnamed_column),
        help("write a name in the header, such as `close` or the series name `fed_cut_prob`")
    )]
    UnnamedColumn {
        number: usize,
        #[source_code]
        src: Arc<NamedSource<String>>,
        #[label("empty header cell")]
        span: SourceSpan,
    },

    /// A quoted field has no closing quote, or text after it.
    #[error("{}", if *unclosed { "this quoted field is never closed" } else { "text follows the closing quote" })]
    #[diagnostic(
        code(rotor::data::bad_quote),
        help("end a quoted field with `\"` right before the comma, and write a quote inside it as `\"\"`")
    )]
    BadQuote {
        unclosed: bool,
        #[source_code]
        src: Arc<NamedSource<String>>,
        #[label("this field")]
        span: SourceSpan,
    },

    /// A row has more or fewer fields than the header.
    #[error("this row has {found} fields but the header has {expected}")]
    #[diagnostic(
        code(rotor::data::ragged_row),
        help("give every row one field per header column, and quote fields that contain commas")
    )]
    RaggedRow {
        expected: usize,
        found: usize,
        #[source_code]
        src: Arc<NamedSource<String>>,
        #[label("{found} fields")]
        span: SourceSpan,
    },

    /// A cell that must hold a number does not.
    #[error("`{text}` in column {column} is not a number")]
    #[diagnostic(code(rotor::data::not_a_number))]
    NotANumber {
        text: String,
        column: String,
        #[source_code]
        src: Arc<NamedSource<String>>,
        #[label("not a number")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    /// A date cell is in no accepted format, or names a day that does not exist.
    #[error("`{text}` is not a date")]
    #[diagnostic(code(rotor::data::bad_date))]
    BadDate {
        text: String,
        #[source_code]
        src: Arc<NamedSource<String>>,
        #[label("not a date")]
        span: SourceSpan,
        /// [`crate::data::date::bad_date_help`].
        #[help]
        help: String,
    },

    /// A price is zero or negative.
    #[error("price `{text}` in column {column} is not above zero")]
    #[diagnostic(
        code(rotor::data::negative_price),
        help(
            "prices must be above zero; if `{column}` holds a rate or a spread rather than a \
             price, rename that header (to `IRX`, say) so the file loads as a series"
        )
    )]
    NegativePrice {
        text: String,
        column: String,
        #[source_code]
        src: Arc<NamedSource<String>>,
        #[label("not a price")]
        span: SourceSpan,
    },

    /// A price is a number, but not one any market trades at (`1e-320`, `1e26`).
    #[error("price `{text}` in column {column} is not a plausible price")]
    #[diagnostic(code(rotor::data::implausible_price))]
    ImplausiblePrice {
        text: String,
        column: String,
        #[source_code]
        src: Arc<NamedSource<String>>,
        #[label("not a plausible price")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    /// A date with the year last is no day in the order the file is read in.
    #[error("`{text}` is not a date when read {order}")]
    #[diagnostic(code(rotor::data::date_order))]
    DateAgainstOrder {
        text: String,
        order: &'static str,
        #[source_code]
        src: Arc<NamedSource<String>>,
        #[label("not a date {order}")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    /// Dates such as `01/02/2024` read equally well day-first and month-first.
    #[error("`{text}` could be day-first or month-first")]
    #[diagnostic(code(rotor::data::ambiguous_dates))]
    AmbiguousDates {
        text: String,
        /// The two readings, such as `1 February 2024 or 2 January 2024?`.
        readings: String,
        #[source_code]
        src: Arc<NamedSource<String>>,
        #[label("{readings}")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    /// Some dates are days only day-first, others only month-first.
    #[error("the file writes dates both day-first (`{day_first}`) and month-first (`{month_first}`)")]
    #[diagnostic(
        code(rotor::data::mixed_date_orders),
        help("write every date of the file in one order, or as YYYY-MM-DD")
    )]
    MixedDateOrders {
        day_first: String,
        month_first: String,
        #[source_code]
        src: Arc<NamedSource<String>>,
        #[label("only a date day-first")]
        day_first_span: SourceSpan,
        #[label("only a date month-first")]
        month_first_span: SourceSpan,
    },

    /// Number cells write the decimal mark both ways.
    #[error("the numbers use both `,` and `.` as the decimal mark")]
    #[diagnostic(
        code(rotor::data::mixed_decimal_marks),
        help("write every number of the file with one decimal mark (`100.5`, or `100,5` with `;` between fields)")
    )]
    MixedDecimalMarks {
        #[source_code]
        src: Arc<NamedSource<String>>,
        #[label("decimal comma")]
        comma: SourceSpan,
        #[label("decimal point")]
        point: SourceSpan,
    },

    /// A bar no market makes: its high below its low, or its volume below zero. Found once
    /// the file is read (data/sanity.rs), so it names the symbol and date of the row.
    #[error("{bar} in `{file}`: {what}")]
    #[diagnostic(code(rotor::data::impossible_bar), help("{help}"))]
    ImpossibleBar {
        file: String,
        /// The symbol and date: `IWM on 2024-01-03`.
        bar: String,
        what: String,
        help: &'static str,
        /// The file, when the row was found in it (see `data/sanity.rs`).
        #[source_code]
        src: Option<Arc<NamedSource<String>>>,
        #[label("this row")]
        span: Option<SourceSpan>,
    },

    /// Daily bars dated with a UTC offset at a time that is not midnight: written in
    /// another time zone than the exchange's, so the date may be the wrong day
    /// (`data/zoned_dates.rs`).
    #[error(
        "`{file}`: {symbol}'s daily bars are dated with a UTC offset at a time that is not midnight \
         (`{cell}`), so the date written may not be the trading day"
    )]
    #[diagnostic(
        code(rotor::data::zoned_daily_dates),
        help(
            "these dates were written in another time zone than the exchange's: read as written, each \
             bar falls on the date before its time, but a close in Frankfurt or Seoul written in UTC \
             falls on the day before its trading day. rotor has no time zones and does not guess the exchange. Write each row's date in the \
             exchange's own time zone (pandas: `df.index = df.index.tz_convert(\"Europe/Berlin\").date` \
             before `to_csv`, with the exchange's zone), or the dates alone"
        )
    )]
    ZonedDailyDates {
        file: String,
        symbol: String,
        /// The first date cell, as written.
        cell: String,
        #[source_code]
        src: Arc<NamedSource<String>>,
        #[label("the time and offset of the first bar")]
        span: SourceSpan,
    },

    /// A price file of monthly bars, each dated on the first day of its month, or of weekly
    /// bars, each dated on the Monday that starts its week, as Yahoo's monthly and weekly
    /// downloads write them: the close of such a bar is the period's last, known only at
    /// its end, and reading it on the period's first day would trade on a later price.
    #[error("`{file}` has {bars}")]
    #[diagnostic(code(rotor::data::period_start_dates), help("{help}"))]
    PeriodStartDates {
        file: String,
        /// `monthly bars of IWM dated on the first day of each month`.
        bars: String,
        /// Which period's start: the label's words.
        form: PeriodForm,
        help: String,
        #[source_code]
        src: Option<Arc<NamedSource<String>>>,
        #[label("{form}")]
        span: Option<SourceSpan>,
    },

    /// A long-layout row has an empty symbol cell.
    #[error("this row has no symbol")]
    #[diagnostic(
        code(rotor::data::empty_symbol),
        help("write the ticker, such as `IWO`, in the symbol column")
    )]
    EmptySymbol {
        #[source_code]
        src: Arc<NamedSource<String>>,
        #[label("empty symbol")]
        span: SourceSpan,
    },

    /// Dates go back and forth instead of only up or only down.
    #[error("rows of {history} are out of order: {date} comes after {previous}")]
    #[diagnostic(
        code(rotor::data::unsorted),
        help("sort the rows by date, oldest first (newest first throughout is accepted too)")
    )]
    Unsorted {
        history: String,
        previous: String,
        date: String,
        #[source_code]
        src: Arc<NamedSource<String>>,
        #[label("out of order")]
        span: SourceSpan,
    },

    /// A row whose date is out of place: the rows before and after it run the file's way
    /// without it (a typo such as `2024-01-05` between `01-02` and `01-03`).
    #[error("rows of {history} are out of order: {date} comes before {next}")]
    #[diagnostic(
        code(rotor::data::unsorted),
        help("correct this date, or sort the rows by date, oldest first (newest first throughout is accepted too)")
    )]
    OutOfPlace {
        history: String,
        date: String,
        next: String,
        #[source_code]
        src: Arc<NamedSource<String>>,
        #[label("out of place")]
        span: SourceSpan,
    },

    /// The same date appears twice for one history.
    #[error("{history} has two rows dated {date}")]
    #[diagnostic(
        code(rotor::data::duplicate_date),
        help("keep one row per date (per symbol in a file with a symbol column)")
    )]
    DuplicateDate {
        history: String,
        date: String,
        #[source_code]
        src: Arc<NamedSource<String>>,
        #[label("second row for this date")]
        span: SourceSpan,
    },

    /// `data "file" as NAME` names a file that holds several histories.
    #[error("`as {alias}` needs a file with one history, but this file holds {count}")]
    #[diagnostic(code(rotor::data::ambiguous_alias))]
    AmbiguousAlias {
        alias: String,
        count: usize,
        #[source_code]
        src: Arc<NamedSource<String>>,
        #[label("header")]
        span: SourceSpan,
        #[help]
        help: String,
    },

    /// Two files give the same symbol or series name.
    #[error("`{name}` is loaded twice, from `{first}` and from `{second}`")]
    #[diagnostic(
        code(rotor::data::duplicate_name),
        help("load one of them under another name (`data \"{second}\" as OTHER_NAME`), or remove one")
    )]
    DuplicateName {
        name: String,
        first: String,
        second: String,
    },

    /// A symbol's dividends are given by two files (a price file's dividend column and a
    /// dividend file, or two dividend files).
    #[error("the dividends of `{symbol}` are given twice, by `{first}` and by `{second}`")]
    #[diagnostic(
        code(rotor::data::dividends_twice),
        help(
            "keep one source of {symbol}'s dividends: remove the `dividends \"…\" for {symbol}` line, or load a price file without a dividend column"
        )
    )]
    DividendsTwice {
        symbol: String,
        first: String,
        second: String,
    },

    /// A dividend is a negative amount.
    #[error("dividend `{text}` in column {column} is negative")]
    #[diagnostic(
        code(rotor::data::negative_dividend),
        help("a cash dividend per share is 0 or more; correct the cell, or leave it empty for no dividend")
    )]
    NegativeDividend {
        text: String,
        column: String,
        #[source_code]
        src: Arc<NamedSource<String>>,
        #[label("not a dividend")]
        span: SourceSpan,
    },

    /// `dividends "FILE" for SYMBOL` names a file that is not one column of dividends.
    #[error("`{file}` is not a dividend file: it holds {found}")]
    #[diagnostic(code(rotor::data::not_dividends))]
    NotDividends {
        file: String,
        found: String,
        #[source_code]
        src: Arc<NamedSource<String>>,
        #[label("header")]
        span: SourceSpan,
        #[help]
        help: String,
    },
}

/// The period a bar dated at its start holds the last close of ([`DataError::PeriodStartDates`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PeriodForm {
    Month,
    Week,
}

impl std::fmt::Display for PeriodForm {
    /// The diagnostic's label at the row.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            PeriodForm::Month => "dated on the first of the month",
            PeriodForm::Week => "dated on the Monday that starts the week",
        })
    }
}
