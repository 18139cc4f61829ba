//! Loaded data: columns of prices per symbol and of values per series.

use std::borrow::Cow;
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::sync::Arc;

use super::error::DataError;
use super::warning::DataWarning;
use crate::fedwatch::{self, FedWatchFiles, FedWatchSet};

/// One column of a loaded history: owned when read from a file, borrowed in place from the
/// binary for the bundled sample data (see [`columns_form`](super::columns_form)), so a run
/// on the sample copies no history.
pub type Column<T> = Cow<'static, [T]>;

/// A history's timestamps (seconds since 1970, see [`crate::data::date`]): borrowed in
/// place from the binary for the bundled sample, as a [`Column`] is, and otherwise held
/// in an `Arc`, so that a run's frame and record share the loaded column instead of
/// copying it ([`Times::shared`]). Reads as a `[i64]`.
#[derive(Debug, Clone)]
pub enum Times {
    /// The bundled sample's, in place.
    Static(&'static [i64]),
    /// Read from a file (or built), shared.
    Shared(Arc<Vec<i64>>),
}

impl Times {
    /// The `Arc` holding the timestamps, when they are not borrowed from the binary.
    pub fn shared(&self) -> Option<&Arc<Vec<i64>>> {
        match self {
            Times::Static(_) => None,
            Times::Shared(all) => Some(all),
        }
    }

    /// The timestamps to change in place: copied first when borrowed or shared.
    pub fn to_mut(&mut self) -> &mut Vec<i64> {
        if let Times::Static(column) = self {
            *self = Times::Shared(Arc::new(column.to_vec()));
        }
        match self {
            Times::Shared(all) => Arc::make_mut(all),
            Times::Static(_) => unreachable!("made shared just above"),
        }
    }
}

impl Default for Times {
    fn default() -> Self {
        Times::Static(&[])
    }
}

impl std::ops::Deref for Times {
    type Target = [i64];

    fn deref(&self) -> &[i64] {
        match self {
            Times::Static(column) => column,
            Times::Shared(all) => all,
        }
    }
}

impl PartialEq for Times {
    fn eq(&self, other: &Self) -> bool {
        self[..] == other[..]
    }
}

impl From<Vec<i64>> for Times {
    fn from(ts: Vec<i64>) -> Self {
        Times::Shared(Arc::new(ts))
    }
}

impl From<Column<i64>> for Times {
    fn from(ts: Column<i64>) -> Self {
        match ts {
            Cow::Borrowed(column) => Times::Static(column),
            Cow::Owned(ts) => ts.into(),
        }
    }
}

/// The prices of one symbol, one entry per bar in each column, sorted by strictly
/// increasing `ts`.
#[derive(Debug, Clone, PartialEq)]
pub struct PriceHistory {
    /// The ticker: the symbol column, `data "…" as NAME`, or the file stem.
    pub symbol: String,
    /// The file it came from, as the user named it.
    pub file: String,
    /// Timestamps (see [`crate::data::date`]), shared with the runs that use them as they are.
    pub ts: Times,
    /// Opening price; the close where the file has none (a note says so).
    pub open: Column<f64>,
    /// The high and the low; both empty when loaded with
    /// [`Unread::high_low`](super::Unread::high_low) (a run that never reads them).
    pub high: Column<f64>,
    pub low: Column<f64>,
    pub close: Column<f64>,
    /// Split- and dividend-adjusted close, when the file has one.
    pub adj_close: Option<Column<f64>>,
    /// Traded volume, when the file has it; `NaN` on rows that leave it out. Empty when
    /// loaded with [`Unread::volume`](super::Unread::volume).
    pub volume: Option<Column<f64>>,
    /// Cash dividends per share on their ex-dates (0 on other rows), when the file has a
    /// dividend column (Yahoo's `Dividends`, Alpha Vantage's `dividend_amount`), in the same
    /// units as `close` (made continuous at splits with it).
    pub dividends: Option<Column<f64>>,
    /// True when the file has no open column: `open` is the close.
    pub open_is_close: bool,
    /// True when the only close is an adjusted close (`Date,Adj Close`): `close` already
    /// holds the dividends, so they cannot also be paid as cash.
    pub close_is_adjusted: bool,
}

impl PriceHistory {
    /// Number of bars.
    pub fn len(&self) -> usize {
        self.ts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ts.is_empty()
    }

    /// The timestamp columns of `histories`, each distinct one once, in the order met.
    /// Histories on the same bars (a benchmark beside the traded fund, the funds of one
    /// exchange) have the same days, so what looks at days reads only one of them.
    /// Columns are told apart by their length and first and last times, and compared in
    /// full only with those that agree on these: comparing each with every distinct one
    /// before it took time in the square of the histories (100,000 one-row symbols on as
    /// many minutes: minutes of `rotor check`), and hashing whole columns cost more than the
    /// comparison for the usual few histories.
    pub fn distinct_times<'d>(histories: impl IntoIterator<Item = &'d PriceHistory>) -> Vec<&'d [i64]> {
        let mut times: Vec<&[i64]> = Vec::new();
        let mut alike: HashMap<(usize, Option<i64>, Option<i64>), Vec<usize>> = HashMap::new();
        for history in histories {
            let ts: &[i64] = &history.ts;
            let same_ends = alike
                .entry((ts.len(), ts.first().copied(), ts.last().copied()))
                .or_default();
            if !same_ends.iter().any(|&i| times[i] == ts) {
                same_ends.push(times.len());
                times.push(ts);
            }
        }
        times
    }

    /// Removes the rows `bad` marks (one flag per row) from every column; a column not kept
    /// ([`Unread`]) is empty and stays so.
    pub(crate) fn drop_rows(&mut self, bad: &[bool]) {
        fn keep<T: Clone>(column: &mut Column<T>, bad: &[bool]) {
            if column.len() == bad.len() {
                let mut flags = bad.iter();
                column.to_mut().retain(|_| !flags.next().copied().unwrap_or(false));
            }
        }
        if self.ts.len() == bad.len() {
            let mut flags = bad.iter();
            self.ts.to_mut().retain(|_| !flags.next().copied().unwrap_or(false));
        }
        for column in [&mut self.open, &mut self.high, &mut self.low, &mut self.close] {
            keep(column, bad);
        }
        for column in [&mut self.adj_close, &mut self.volume, &mut self.dividends]
            .into_iter()
            .flatten()
        {
            keep(column, bad);
        }
    }

    /// Turns a newest-first history around.
    pub(crate) fn reverse(&mut self) {
        self.ts.to_mut().reverse();
        for column in [&mut self.open, &mut self.high, &mut self.low, &mut self.close] {
            column.to_mut().reverse();
        }
        for column in [&mut self.adj_close, &mut self.volume, &mut self.dividends]
            .into_iter()
            .flatten()
        {
            column.to_mut().reverse();
        }
    }
}

/// The observations of one series (a macro rate, a probability, an own indicator), sorted
/// by strictly increasing `ts`. Days without an observation are simply absent.
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesHistory {
    /// The column header: `DFF`, `fed_cut_prob`, or `data "…" as NAME`.
    pub name: String,
    /// The file it came from, as the user named it.
    pub file: String,
    pub ts: Vec<i64>,
    pub values: Vec<f64>,
    /// When the observation behind each point was made (seconds since 1970), for a series
    /// derived from others whose points are not all observations: a FedWatch probability has
    /// a point on each meeting day too, carrying the latest export's date. `None`: every
    /// point is an observation of its own. Staleness is measured from it.
    pub observed: Option<Vec<i64>>,
}

impl SeriesHistory {
    /// Number of observations.
    pub fn len(&self) -> usize {
        self.ts.len()
    }

    /// When the observation behind point `j` was made.
    pub fn observed_at(&self, j: usize) -> i64 {
        self.observed.as_ref().map_or(self.ts[j], |o| o[j])
    }

    pub fn is_empty(&self) -> bool {
        self.ts.is_empty()
    }
}

/// Whether a name in the data is a symbol (prices) or a series.
/// Cash dividends of one symbol from a file of their own (`dividends "IWO_div.csv" for
/// IWO`, a `Date,Dividends` file): ex-dates and amounts per share, sorted by `ts`.
#[derive(Debug, Clone, PartialEq)]
pub struct DividendHistory {
    pub symbol: String,
    /// The file it came from, as the user named it.
    pub file: String,
    pub ts: Vec<i64>,
    pub amounts: Vec<f64>,
}

/// A symbol's cash dividends, wherever they came from: ex-date timestamps and amounts per
/// share (rows without a dividend may carry 0), and where they were read.
#[derive(Debug, Clone, Copy)]
pub struct Dividends<'d> {
    pub ts: &'d [i64],
    pub amounts: &'d [f64],
    /// The file, and the column when they came from a price file.
    pub file: &'d str,
    pub column: bool,
}

impl Dividends<'_> {
    /// Where they were read, for the report: `IWO_div.csv`, or the file's column.
    pub fn describe(&self) -> String {
        if self.column {
            format!("the dividend column of {}", self.file)
        } else {
            self.file.to_owned()
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameKind {
    Symbol,
    Series,
}

/// A history a file holds but that was not loaded, because the strategy does not use it
/// (see [`LoadOptions::only`](super::LoadOptions::only)). Its name still serves "did you
/// mean" and the check that no name comes from two files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unloaded {
    pub name: String,
    pub kind: NameKind,
    /// The file it is in, as the user named it.
    pub file: String,
}

/// Everything loaded for a run: price histories and series, each name once.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DataSet {
    pub prices: Vec<PriceHistory>,
    pub series: Vec<SeriesHistory>,
    /// Rows skipped under lenient loading, over all files.
    pub skipped_rows: usize,
    /// What lenient loading skipped, one sentence per file that skipped rows (each is among
    /// `notes` too): what `rotor check --lenient` prints.
    pub skip_notes: Vec<String>,
    /// What the report should state about how the data was read (reversed files, columns
    /// filled in or ignored, skipped rows), one sentence each, starting with the file.
    pub notes: Vec<String>,
    /// Histories left out by a projection ([`LoadOptions::only`](super::LoadOptions::only)),
    /// in the order they were met.
    pub unloaded: Vec<Unloaded>,
    /// What a person should look at in the files, at the cell or row concerned (each also
    /// has a note); the run goes on.
    pub warnings: Vec<DataWarning>,
    /// FedWatch files loaded and not yet put together: [`DataSet::finish`] makes them one
    /// [`FedWatchSet`] (see [`crate::fedwatch`]).
    pub fedwatch_files: FedWatchFiles,
    /// Every FedWatch file put together, once [`DataSet::finish`] has run: its next-meeting
    /// series are in `series`, the later meetings' are found by [`DataSet::series`].
    pub fedwatch: Option<Arc<FedWatchSet>>,
    /// Dividend files (`dividends "FILE" for SYMBOL`).
    pub dividends: Vec<DividendHistory>,
}

impl DataSet {
    /// Adds the histories of `other`. A symbol or series name may come from one file only:
    /// symbols and series share one namespace in strategies.
    ///
    /// FedWatch files are only gathered here (a set already made from some of them becomes
    /// files again): [`DataSet::finish`] puts them together once, however many there are.
    pub fn merge(&mut self, mut other: DataSet) -> Result<(), DataError> {
        let has_fedwatch = |d: &DataSet| d.fedwatch.is_some() || !d.fedwatch_files.is_empty();
        if has_fedwatch(self) && has_fedwatch(&other) {
            self.reopen_fedwatch();
            other.reopen_fedwatch();
        }
        // Each name's first file, by name (a file of 40,000 symbols compared each with every
        // one before it took seconds): this set's, then `other`'s own earlier entries, in
        // case it was put together by hand.
        let mut first_file: HashMap<&str, &str> = HashMap::new();
        for (name, file) in self.files() {
            first_file.entry(name).or_insert(file);
        }
        for (name, file) in other.files() {
            match first_file.entry(name) {
                Entry::Occupied(first) => {
                    return Err(DataError::DuplicateName {
                        name: name.to_owned(),
                        first: (*first.get()).to_owned(),
                        second: file.to_owned(),
                    });
                }
                Entry::Vacant(slot) => {
                    slot.insert(file);
                }
            }
        }
        let mut dividend_file: HashMap<&str, &str> = HashMap::new();
        for d in &self.dividends {
            dividend_file.entry(d.symbol.as_str()).or_insert(d.file.as_str());
        }
        for d in &other.dividends {
            if let Some(first) = dividend_file.get(d.symbol.as_str()) {
                return Err(DataError::DividendsTwice {
                    symbol: d.symbol.clone(),
                    first: (*first).to_owned(),
                    second: d.file.clone(),
                });
            }
        }
        self.prices.extend(other.prices);
        self.series.extend(other.series);
        self.dividends.extend(other.dividends);
        self.skipped_rows += other.skipped_rows;
        self.skip_notes.extend(other.skip_notes);
        self.notes.extend(other.notes);
        self.unloaded.extend(other.unloaded);
        self.fedwatch_files.append(other.fedwatch_files);
        if other.fedwatch.is_some() {
            self.fedwatch = other.fedwatch;
        }
        self.warnings.extend(other.warnings);
        Ok(())
    }

    /// Puts the FedWatch files together (their series derived here, once) and checks what
    /// only all of them can tell: an export's meeting against a calendar file loaded after
    /// it, two exports that differ, a FedWatch series name that another file also gives.
    /// Call once every file is merged; until then the `fed_*` series are not in the set.
    ///
    /// Calendar files alone (`fomc "FILE"` with no export or futures file) make no set:
    /// they change nothing, and a note says so.
    pub fn finish(&mut self) -> Result<(), DataError> {
        for d in &self.dividends {
            if let Some(p) = self.price(&d.symbol).filter(|p| p.dividends.is_some()) {
                return Err(DataError::DividendsTwice {
                    symbol: d.symbol.clone(),
                    first: p.file.clone(),
                    second: d.file.clone(),
                });
            }
        }
        if self.fedwatch_files.is_empty() {
            return Ok(());
        }
        self.reopen_fedwatch();
        if self.fedwatch_files.only_calendars() {
            let files = std::mem::take(&mut self.fedwatch_files);
            let names = files.names();
            let (files, change) = if names.len() == 1 {
                ("file", "changes")
            } else {
                ("files", "change")
            };
            self.notes.push(format!(
                "FedWatch: no CME FedWatch export or fed funds futures file is loaded, so the FOMC calendar {files} {} {change} nothing",
                names.join(", ")
            ));
            return Ok(());
        }
        let set = FedWatchSet::new(std::mem::take(&mut self.fedwatch_files))?;
        for s in set.next_series() {
            if let Some((_, other)) = self.files().find(|&(n, _)| n == s.name) {
                // The other file is the one that can be renamed (`as`); FedWatch's cannot.
                return Err(DataError::DuplicateName {
                    name: s.name.clone(),
                    first: s.file.clone(),
                    second: other.to_owned(),
                });
            }
        }
        fedwatch::attach(Arc::new(set), &mut self.series, &mut self.notes, &mut self.fedwatch);
        Ok(())
    }

    /// Turns a FedWatch set made earlier back into its files, ahead of any gathered since,
    /// so that [`DataSet::finish`] makes one set of all of them.
    fn reopen_fedwatch(&mut self) {
        let Some(set) = self.fedwatch.take() else { return };
        fedwatch::detach(&set, &mut self.series, &mut self.notes);
        let mut files = set.files().clone();
        files.append(std::mem::take(&mut self.fedwatch_files));
        self.fedwatch_files = files;
    }

    /// The price history of `symbol`.
    pub fn price(&self, symbol: &str) -> Option<&PriceHistory> {
        self.prices.iter().find(|p| p.symbol == symbol)
    }

    /// The series called `name`, including a FedWatch series of a later meeting
    /// (`fed_cut_prob(meeting 2)`), which no list names.
    /// The cash dividends of `symbol`: from its dividend file, or from its price file's
    /// dividend column.
    pub fn dividends(&self, symbol: &str) -> Option<Dividends<'_>> {
        if let Some(d) = self.dividends.iter().find(|d| d.symbol == symbol) {
            return Some(Dividends {
                ts: &d.ts,
                amounts: &d.amounts,
                file: &d.file,
                column: false,
            });
        }
        let p = self.price(symbol)?;
        Some(Dividends {
            ts: &p.ts,
            amounts: p.dividends.as_deref()?,
            file: &p.file,
            column: true,
        })
    }

    pub fn series(&self, name: &str) -> Option<&SeriesHistory> {
        let listed = self.series.iter().find(|s| s.name == name);
        listed.or_else(|| self.fedwatch.as_deref()?.lookup(name))
    }

    /// Every symbol, then every series name, then the names not loaded: the candidates for
    /// "did you mean".
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.files().map(|(name, _)| name)
    }

    /// The symbols, loaded or not.
    pub fn symbol_names(&self) -> impl Iterator<Item = &str> {
        let unloaded = self.unloaded_names(NameKind::Symbol);
        self.prices.iter().map(|p| p.symbol.as_str()).chain(unloaded)
    }

    /// The series names, loaded or not.
    pub fn series_names(&self) -> impl Iterator<Item = &str> {
        let unloaded = self.unloaded_names(NameKind::Series);
        self.series.iter().map(|s| s.name.as_str()).chain(unloaded)
    }

    fn unloaded_names(&self, kind: NameKind) -> impl Iterator<Item = &str> {
        self.unloaded
            .iter()
            .filter(move |u| u.kind == kind)
            .map(|u| u.name.as_str())
    }

    /// Each name, loaded or not, with the file it came from.
    fn files(&self) -> impl Iterator<Item = (&str, &str)> {
        let prices = self.prices.iter().map(|p| (p.symbol.as_str(), p.file.as_str()));
        let series = self.series.iter().map(|s| (s.name.as_str(), s.file.as_str()));
        let unloaded = self.unloaded.iter().map(|u| (u.name.as_str(), u.file.as_str()));
        prices.chain(series).chain(unloaded)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn price(symbol: &str, file: &str) -> PriceHistory {
        PriceHistory {
            symbol: symbol.to_owned(),
            file: file.to_owned(),
            ts: vec![0, 86_400].into(),
            open: vec![1.0, 2.0].into(),
            high: vec![1.5, 2.5].into(),
            low: vec![0.5, 1.5].into(),
            close: vec![1.2, 2.2].into(),
            adj_close: Some(vec![1.1, 2.1].into()),
            volume: None,
            dividends: None,
            open_is_close: false,
            close_is_adjusted: false,
        }
    }

    fn series(name: &str, file: &str) -> SeriesHistory {
        SeriesHistory {
            name: name.to_owned(),
            file: file.to_owned(),
            ts: vec![0],
            values: vec![4.0],
            observed: None,
        }
    }

    #[test]
    fn merge_adds_everything() {
        let mut set = DataSet {
            prices: vec![price("IWO", "IWO.csv")],
            skipped_rows: 2,
            ..Default::default()
        };
        let other = DataSet {
            prices: vec![price("IWM", "IWM.csv")],
            series: vec![series("DFF", "DFF.csv")],
            skipped_rows: 3,
            skip_notes: vec!["DFF.csv: skipped 3 bad rows".to_owned()],
            notes: vec!["DFF.csv: something".to_owned()],
            unloaded: vec![],
            warnings: vec![],
            fedwatch_files: Default::default(),
            fedwatch: None,
            dividends: vec![],
        };
        set.merge(other).expect("no name twice");
        assert_eq!(set.names().collect::<Vec<_>>(), ["IWO", "IWM", "DFF"]);
        assert_eq!(set.skipped_rows, 5);
        assert_eq!(set.skip_notes, ["DFF.csv: skipped 3 bad rows"]);
        assert_eq!(set.notes.len(), 1);
        assert_eq!(set.price("IWM").map(|p| p.file.as_str()), Some("IWM.csv"));
        assert_eq!(set.series("DFF").map(|s| s.values.clone()), Some(vec![4.0]));
        assert!(set.price("DFF").is_none(), "a series is not a price");
    }

    #[test]
    fn a_name_from_two_files_is_an_error_naming_both() {
        let mut set = DataSet {
            prices: vec![price("IWO", "a/IWO.csv")],
            ..Default::default()
        };
        let other = DataSet {
            series: vec![series("IWO", "b.csv")],
            ..Default::default()
        };
        match set.merge(other) {
            Err(DataError::DuplicateName { name, first, second }) => {
                assert_eq!(
                    (name.as_str(), first.as_str(), second.as_str()),
                    ("IWO", "a/IWO.csv", "b.csv")
                );
            }
            other => panic!("expected duplicate_name, got {other:?}"),
        }
        assert_eq!(set.prices.len(), 1, "a failed merge adds nothing");
    }

    #[test]
    fn a_name_not_loaded_still_counts() {
        let unloaded = |name: &str, kind, file: &str| Unloaded {
            name: name.to_owned(),
            kind,
            file: file.to_owned(),
        };
        let mut set = DataSet {
            prices: vec![price("IWO", "long.csv")],
            unloaded: vec![unloaded("SPY", NameKind::Symbol, "long.csv")],
            ..Default::default()
        };
        let other = DataSet {
            unloaded: vec![unloaded("DFF", NameKind::Series, "fred.csv")],
            ..Default::default()
        };
        set.merge(other).expect("no name twice");
        assert_eq!(set.symbol_names().collect::<Vec<_>>(), ["IWO", "SPY"]);
        assert_eq!(set.series_names().collect::<Vec<_>>(), ["DFF"]);
        let again = DataSet {
            series: vec![series("SPY", "spy.csv")],
            ..Default::default()
        };
        match set.merge(again) {
            Err(DataError::DuplicateName { name, first, .. }) => {
                assert_eq!((name, first), ("SPY".into(), "long.csv".into()))
            }
            other => panic!("expected duplicate_name, got {other:?}"),
        }
    }

    #[test]
    fn reverse_turns_every_column() {
        let mut p = price("X", "x.csv");
        p.reverse();
        assert_eq!(
            (&p.ts[..], &p.open[..], &p.close[..]),
            (&[86_400, 0][..], &[2.0, 1.0][..], &[2.2, 1.2][..])
        );
        assert_eq!(p.adj_close.as_deref(), Some(&[2.1, 1.1][..]));
    }
}
