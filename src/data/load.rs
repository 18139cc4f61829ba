//! Reading files and directories into a [`DataSet`].

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::fs;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use super::date::DateOrder;
use super::date_order::DateColumns;
use super::dialect::{DecimalMark, delimiter_name, detect_decimal, detect_delimiter, excel_separator};
use super::encoding::decode;
use super::error::DataError;
use super::input::{Input, span};
use super::layout::Layout;
use super::prices::read_prices;
use super::record::{Records, skip_record};
use super::sanity;
use super::series::read_series;
use super::store::{DataSet, NameKind, Unloaded};
use super::unread::Unread;
use super::warning::DataWarning;
use super::zoned_dates;

/// How to load data files.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoadOptions {
    /// Skip bad rows (and count them, with a note) instead of failing on the first.
    pub lenient: bool,
    /// The name for the one history a file holds (`data "x.csv" as IWO`), instead of the
    /// file stem or the series header.
    pub symbol: Option<String>,
    /// Load only the histories with these names (`None`: all of them). The others are
    /// listed in [`DataSet::unloaded`], and their rows and cells are not read, so not
    /// validated either: `rotor run` loads what the strategy uses, `rotor check` everything.
    /// A name in no file is no error here; the checker reports it. Ignored with `symbol`,
    /// whose file holds one history the strategy names by the alias.
    pub only: Option<Arc<BTreeSet<String>>>,
    /// How dates such as `01/02/2024` are read (`data … dates day-first`); `None`: as
    /// decided from all of a file's dates, or an error asking for this when they cannot
    /// tell.
    pub dates: Option<DateOrder>,
    /// The file (or every file of a folder) must be an FOMC calendar file: `fomc "FILE"`.
    pub calendar: bool,
    /// The file holds the cash dividends of this symbol (`dividends "FILE" for SYMBOL`): a
    /// date column and one column of amounts per share, such as Yahoo's `Date,Dividends`.
    pub dividends_for: Option<String>,
    /// `data "IRX.csv" as series irx`: the file's values are not prices (a rate, an index
    /// level): a price file's close is read as one series, with no price checks.
    pub series: bool,
    /// Price columns no run will read (see [`Unread`]): validated, not kept.
    pub unread: Unread,
    /// The file is one of a folder's (`--data FOLDER`), not named by a `data` line: with
    /// [`only`](Self::only), a file of one symbol (named by the file) that is not wanted is
    /// not read either, like a series file of nothing wanted, and says nothing in the
    /// report (no notes about columns the run never uses).
    pub in_folder: bool,
}

impl LoadOptions {
    /// These options for each file of a folder ([`LoadOptions::in_folder`]).
    pub fn for_folder(&self) -> LoadOptions {
        LoadOptions {
            in_folder: true,
            ..self.clone()
        }
    }
}

/// What a folder's data files are named (`*.csv`, `*.tsv`), compared without regard to case.
/// A `*.txt` file, which may be data, is read only when named: a folder of downloads often
/// holds a `README.txt` or a licence beside the data.
pub const FOLDER_EXTENSIONS: [&str; 2] = ["csv", "tsv"];

/// Whether `path` is named as a folder's data file is ([`FOLDER_EXTENSIONS`]).
pub fn is_folder_data(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| FOLDER_EXTENSIONS.iter().any(|x| e.eq_ignore_ascii_case(x)))
}

/// Loads a data file, or every `*.csv` and `*.tsv` file directly inside a directory, in
/// name order.
/// Call [`DataSet::finish`] once every path is loaded and merged: it puts FedWatch files
/// together.
pub fn load_path(path: &Path, opts: &LoadOptions) -> Result<DataSet, DataError> {
    let io = |source| DataError::Io {
        path: path.display().to_string(),
        source,
    };
    if !fs::metadata(path).map_err(io)?.is_dir() {
        return load_file(path, opts);
    }
    let mut files = Vec::new();
    for entry in fs::read_dir(path).map_err(io)? {
        let file = entry.map_err(io)?.path();
        if is_folder_data(&file) && file.is_file() {
            files.push(file);
        }
    }
    if files.is_empty() {
        return Err(DataError::NoFiles {
            path: path.display().to_string(),
        });
    }
    files.sort();
    let mut set = DataSet::default();
    let opts = &opts.for_folder();
    for file in files {
        set.merge(load_file(&file, opts)?)?;
    }
    Ok(set)
}

fn load_file(path: &Path, opts: &LoadOptions) -> Result<DataSet, DataError> {
    let name = path.display().to_string();
    let bytes = fs::read(path).map_err(|source| DataError::Io {
        path: name.clone(),
        source,
    })?;
    load_bytes(&name, bytes, opts)
}

/// Loads the bytes of a file called `name`, read by the caller (rotor's file-access policy,
/// `crate::access`, reads them): decoded as [`load_path`] decodes a file, with a note when
/// the text was not UTF-8.
pub fn load_bytes(name: &str, bytes: Vec<u8>, opts: &LoadOptions) -> Result<DataSet, DataError> {
    load_slice(name, &bytes, opts)
}

/// [`load_bytes`] on borrowed bytes (a file mapped into memory): UTF-8 text is read where
/// it lies, without a copy; other encodings are decoded into a new text.
pub fn load_slice(name: &str, bytes: &[u8], opts: &LoadOptions) -> Result<DataSet, DataError> {
    let (text, encoding) = decode(name, bytes)?;
    let mut set = load_str(name, &text, opts)?;
    if let Some(encoding) = encoding {
        set.notes.insert(0, format!("{name}: read as {encoding} text"));
    }
    Ok(set)
}

/// [`load_slice`] on the bytes of a mapped file whose pages `release` lets go of (byte
/// offsets into `bytes`): the loader calls it with each part of the rows it has parsed, as
/// it goes, so the file's pages leave memory while the columns read from them fill it.
/// Bytes released may still be read again (a diagnostic quoting a row, a second reading of
/// the rows after one the fast path does not take), so `release` must leave them readable:
/// a mapped file's pages are simply mapped again. Results and errors are [`load_slice`]'s.
pub fn load_mapped(name: &str, bytes: &[u8], opts: &LoadOptions, release: Release) -> Result<DataSet, DataError> {
    let (text, encoding) = decode(name, bytes)?;
    let mut set = match &text {
        // The text is the bytes: its offsets are the mapping's.
        Cow::Borrowed(text) if opts.dividends_for.is_none() => read_text(name, text, opts, false, release)?,
        _ => load_str(name, &text, opts)?,
    };
    if let Some(encoding) = encoding {
        set.notes.insert(0, format!("{name}: read as {encoding} text"));
    }
    Ok(set)
}

/// Lets go of a range of the bytes being loaded, which the loader is done with for now (see
/// [`load_mapped`]).
pub type Release<'r> = &'r (dyn Fn(Range<usize>) + Sync);

/// The [`Release`] of bytes that stay: text in a buffer.
fn keep(_: Range<usize>) {}

/// Loads CSV `text` as if read from a file called `name` (bundled data, tests).
/// A FedWatch file is only read here; [`DataSet::finish`] derives its series.
pub fn load_str(name: &str, text: &str, opts: &LoadOptions) -> Result<DataSet, DataError> {
    match &opts.dividends_for {
        Some(symbol) => load_dividends(name, text, symbol, opts),
        None => read_text(name, text, opts, false, &keep),
    }
}

/// [`load_str`]'s reading of a file; `dividends` when it is read as a dividend file (a file
/// of one dividend column is otherwise left out with a note); `release` lets go of the rows
/// read (see [`load_mapped`]).
fn read_text(
    name: &str,
    text: &str,
    opts: &LoadOptions,
    dividends: bool,
    release: Release,
) -> Result<DataSet, DataError> {
    if let Some(fedwatch) = crate::fedwatch::load(name, text, opts)? {
        return Ok(fedwatch);
    }
    let mut input = Input::new(name, text, opts.lenient);
    // Excel writes a byte order mark; spans stay offsets into the text as given.
    let start = if text.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        0
    };
    // Excel may name the delimiter on a first line of its own (`sep=;`); the header follows.
    let (start, delimiter, sep_line) = match excel_separator(text, start) {
        Some((delimiter, header)) => (header, delimiter, Some(text[start..header].trim_end())),
        None => (start, detect_delimiter(text, start), None),
    };
    input.dialect.delimiter = delimiter;
    let mut records = Records::new(text, start, delimiter);
    let mut fields = Vec::new();
    let Some(header) = records.next_record(&mut fields) else {
        return Err(empty(&input, &(start..text.len()), "the file is empty".to_owned()));
    };
    let line = header.map_err(|e| input.quote_error(e))?;
    input.header = fields.iter().map(|f| f.value(text).into_owned()).collect();
    let cells: Vec<Range<usize>> = fields.iter().map(|f| f.span.clone()).collect();
    let mut layout = Layout::detect(&input, &cells, &line)?;
    if opts.series {
        layout = layout.into_one_series(&input, &line)?;
    }
    if let Layout::Series(s) = &layout
        && !dividends
        && !opts.series
        && let [column] = s.series[..]
        && !s.named_by_file
        && super::layout::is_dividend_column(&input.header[column])
    {
        // A file of one symbol's dividends (`Date,Dividends`) in a `data` folder: not a
        // series (two of them would both be called `Dividends`); its own line pays them.
        let mut set = DataSet::default();
        set.notes.push(format!(
            "{name}: a file of dividends (`{}`), not read as data; `dividends \"…\" for SYMBOL` pays them",
            input.header[column]
        ));
        return Ok(set);
    }
    let data_start = records.next_start().unwrap_or(text.len());
    let mut notes = dialect_notes(&mut input, &layout, data_start)?;
    if let Some(sep) = sep_line {
        notes.insert(
            0,
            format!(
                "{name}: the first line `{}` (Excel's) names the field separator; the header is the line after it",
                crate::display::escape_line(sep)
            ),
        );
    }
    input.dates.given = opts.dates;
    input.dates.columns = Some(DateColumns {
        data_start,
        delimiter,
        date: layout.date_column(),
        symbol: match &layout {
            Layout::Prices(p) => p.symbol,
            Layout::Series(_) => None,
        },
        prices: matches!(layout, Layout::Prices(_)),
    });
    let mut set = DataSet::default();
    let only = if opts.symbol.is_some() {
        None
    } else {
        opts.only.as_deref()
    };
    let wanted = |name: &str| only.is_none_or(|names| names.contains(name));
    let file = input.name;
    let unloaded = |name: &str, kind| Unloaded {
        name: name.to_owned(),
        kind,
        file: file.to_owned(),
    };
    match layout {
        Layout::Prices(layout) => {
            set.warnings = near_miss_warnings(&input, &layout.near_misses, &cells);
            let symbol = match (&opts.symbol, layout.symbol) {
                (Some(alias), None) => alias.as_str(),
                _ => input.stem(),
            };
            if opts.in_folder && layout.symbol.is_none() && opts.symbol.is_none() && !wanted(symbol) {
                // One file of a folder, holding a symbol the run does not use: its rows are
                // only counted, and nothing about its columns goes in the report.
                skip_rows(&mut input, &mut records);
                return Ok(DataSet {
                    unloaded: vec![unloaded(symbol, NameKind::Symbol)],
                    ..DataSet::default()
                });
            }
            // A file of one symbol named by a `data` line is read whether wanted or not: the
            // line is a promise that it is good.
            let only = layout.symbol.and(only);
            // A file whose only close is adjusted keeps its high and low, which tell whether
            // they are on its scale (`two_scales.rs`).
            let unread = if layout.adj_close == Some(layout.close) {
                Unread {
                    high_low: false,
                    ..opts.unread
                }
            } else {
                opts.unread
            };
            let mut prices = read_prices(&mut input, &layout, &mut records, symbol, only, unread, release)?;
            zoned_dates::check(&prices.histories, &input)?;
            let high_low = layout.high.is_some() && layout.low.is_some();
            let (warnings, sanity_notes) = sanity::check(&mut prices.histories, high_low, &mut input)?;
            set.prices = prices.histories;
            set.warnings.extend(prices.warnings);
            set.warnings.extend(warnings);
            notes.extend(prices.notes);
            notes.extend(sanity_notes);
            set.unloaded = prices.unloaded.iter().map(|s| unloaded(s, NameKind::Symbol)).collect();
        }
        Layout::Series(mut layout) => {
            // The dates and the shape of every row are still checked, when any column is read.
            // A file's one value column is named by the file, like a price file's symbol.
            let stem = input.stem();
            let name = |i: usize| {
                if layout.named_by_file {
                    stem
                } else {
                    input.header[i].as_str()
                }
            };
            let (kept, left): (Vec<usize>, Vec<usize>) = layout.series.iter().partition(|&&i| wanted(name(i)));
            set.unloaded = left.iter().map(|&i| unloaded(name(i), NameKind::Series)).collect();
            layout.series = kept;
            if layout.series.is_empty() {
                // Nothing wanted from this file but its names.
                skip_rows(&mut input, &mut records);
            }
            let series = read_series(&mut input, &layout, &mut records)?;
            set.series = series.histories;
            notes.extend(series.notes);
        }
    }
    notes.extend(input.date_note());
    set.notes = notes;
    if input.rows == input.skipped {
        let why = match input.rows {
            0 => "the header has no rows under it".to_owned(),
            n => format!("all {n} rows were skipped as bad"),
        };
        return Err(empty(&input, &line, why));
    }
    if let Some(alias) = &opts.symbol {
        let count = set.prices.len() + set.series.len();
        if count != 1 {
            return Err(DataError::AmbiguousAlias {
                alias: alias.clone(),
                count,
                src: input.source(),
                span: span(&line),
                help: format!(
                    "remove `as {alias}` and use the names in the file: {}",
                    set.names().collect::<Vec<_>>().join(", ")
                ),
            });
        }
        for p in &mut set.prices {
            p.symbol.clone_from(alias);
        }
        for s in &mut set.series {
            s.name.clone_from(alias);
        }
    }
    set.skipped_rows = input.skipped;
    set.skip_notes.extend(input.skip_note());
    set.notes.extend(set.skip_notes.iter().cloned());
    Ok(set)
}

/// Counts the rows left in `records` without reading them, up to a quoted field (the full
/// reader takes over from there).
fn skip_rows(input: &mut Input, records: &mut Records) {
    let bytes = input.text.as_bytes();
    while let Some(start) = records.next_start() {
        let Some(next) = skip_record(bytes, start) else { break };
        input.rows += 1;
        records.resume_at(next);
    }
}

/// Loads a dividend file of `symbol` (see [`LoadOptions::dividends_for`]): read as a file
/// of one series, whose dates are the ex-dates and whose values the amounts per share.
fn load_dividends(name: &str, text: &str, symbol: &str, opts: &LoadOptions) -> Result<DataSet, DataError> {
    let plain = LoadOptions {
        dividends_for: None,
        only: None,
        symbol: None,
        ..opts.clone()
    };
    let mut set = read_text(name, text, &plain, true, &keep)?;
    let not_dividends = |found: String, help: String| {
        let input = Input::new(name, text, false);
        let end = text.find(['\n', '\r']).unwrap_or(text.len());
        DataError::NotDividends {
            file: name.to_owned(),
            found,
            src: input.source(),
            span: span(&(0..end)),
            help,
        }
    };
    if !set.prices.is_empty() {
        return Err(not_dividends(
            "prices".into(),
            "load a price file with `data`: its `Dividends` column is read from there; a dividend \
             file is a date column and one column of amounts, such as `Date,Dividends`"
                .into(),
        ));
    }
    if set.series.len() != 1 {
        let names: Vec<String> = set.series.iter().map(|s| format!("`{}`", s.name)).collect();
        return Err(not_dividends(
            format!("{} columns of values ({})", set.series.len(), names.join(", ")),
            "a dividend file is a date column and one column of amounts per share, such as \
             `Date,Dividends`"
                .into(),
        ));
    }
    let series = set.series.remove(0);
    if let Some(j) = series.values.iter().position(|v| *v < 0.0) {
        return Err(not_dividends(
            format!(
                "a negative amount ({} on {})",
                series.values[j],
                super::format_timestamp(series.ts[j])
            ),
            "a cash dividend per share is 0 or more; correct the row".into(),
        ));
    }
    set.dividends.push(super::store::DividendHistory {
        symbol: symbol.to_owned(),
        file: series.file,
        ts: series.ts,
        amounts: series.values,
    });
    Ok(set)
}

/// Decides the decimal mark, and says how fields and numbers were read when not the
/// usual comma and point.
fn dialect_notes(input: &mut Input, layout: &Layout, data_start: usize) -> Result<Vec<String>, DataError> {
    let delimiter = input.dialect.delimiter;
    let name = input.name;
    let mut notes = Vec::new();
    let (decimal, assumed) = match detect_decimal(input.text, data_start, delimiter, &layout.number_columns()) {
        DecimalMark::Certain(decimal) => (decimal, None),
        // A Korean export (KRX, a broker's, the ECOS website's) writes the won with
        // thousands marks, `"11,905"`: the source settles what no cell does.
        DecimalMark::Assumed { decimal, .. } if delimiter == b',' && korean_header(input) => (decimal, None),
        DecimalMark::Assumed { decimal, example } => (decimal, Some(example)),
        DecimalMark::Mixed { comma, point } => {
            return Err(DataError::MixedDecimalMarks {
                src: input.source(),
                comma: span(&comma),
                point: span(&point),
            });
        }
    };
    input.dialect.decimal = decimal;
    if delimiter != b',' || decimal != b'.' {
        let mark = if decimal == b',' {
            "a decimal comma (`100,5` is 100.5)"
        } else {
            "a decimal point"
        };
        notes.push(format!(
            "{name}: fields separated by {}, numbers with {mark}",
            delimiter_name(delimiter)
        ));
    }
    if let Some(example) = assumed {
        let value = super::cell::parse_number(&example, decimal).unwrap_or(f64::NAN);
        let why = if delimiter == b',' {
            " (with commas between fields, a comma in a quoted number groups thousands; if it \
             is a decimal comma, save the file with `;` between fields)"
        } else {
            ""
        };
        notes.push(format!(
            "{name}: no number in the file shows its decimal mark for certain; rotor takes `{}` \
             as the decimal mark, so `{example}` is {value}{why}",
            char::from(decimal)
        ));
    }
    Ok(notes)
}

/// Whether the file's header is in Korean (`일자,종가,…`).
fn korean_header(input: &Input) -> bool {
    input.header.iter().any(|h| h.chars().any(super::encoding::is_hangul))
}

/// A warning at each header cell that is a slip from a column rotor reads.
fn near_miss_warnings(input: &Input, misses: &[super::layout::NearMiss], cells: &[Range<usize>]) -> Vec<DataWarning> {
    misses
        .iter()
        .map(|miss| {
            let written = input.header[miss.column].clone();
            DataWarning::NearMissColumn {
                help: format!(
                    "rename the column `{}` to read it; rotor ignores columns it does not know",
                    miss.meant
                ),
                name: written,
                meant: miss.meant,
                src: input.source(),
                span: span(&cells[miss.column]),
            }
        })
        .collect()
}

fn empty(input: &Input, at: &Range<usize>, why: String) -> DataError {
    DataError::Empty {
        src: input.source(),
        span: span(at),
        help: format!(
            "{why}; a data file needs a header line and rows under it, such as `date,close` \
             then `2024-01-02,101.5`"
        ),
    }
}
