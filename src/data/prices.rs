//! Reading the rows of a price file into one [`PriceHistory`] per symbol.
//!
//! Each row first takes a fast path ([`Reader::fast_row`]) that reads plain unquoted cells
//! straight from the bytes; a row it does not fully understand, or that is bad in any way,
//! goes through the general splitter and [`Reader::row`], which gives the same result or
//! the diagnostic for it.

use std::collections::BTreeSet;
use std::ops::Range;

use super::cell::{is_missing, parse_number, plausible_price};
use super::day_cache::DayCache;
use super::dialect::Dialect;
use super::error::DataError;
use super::input::Input;
use super::issue::Issue;
use super::layout::PriceLayout;
use super::load::Release;
use super::plain::{certain_number_end, certain_price_end, plain_number, plain_or_missing, word_decimal};
use super::price_builder::{Bar, Builder};
use super::price_notes::finish;
use super::price_rows::{Owned, Rows};
use super::record::{Field, Records, field_end, past_line_end, skip_record};
use super::store::{Column, PriceHistory, Times};
use super::symbols::Symbols;
use super::two_cores;
use super::unread::Unread;
use super::warning::DataWarning;

/// The histories of a price file, and what the report should say about reading it.
pub(crate) struct ReadPrices {
    pub histories: Vec<PriceHistory>,
    pub notes: Vec<String>,
    /// Symbols in the file that were not wanted, in the order met.
    pub unloaded: Vec<String>,
    pub warnings: Vec<DataWarning>,
}

/// Reads every row after the header. `symbol` names the history of a file without a
/// symbol column. With `only`, rows of other symbols are skipped after reading just
/// their symbol, and are not validated. The rows read are let go of by `release` as the
/// reading goes (see [`super::load_mapped`]).
pub(crate) fn read_prices(
    input: &mut Input,
    layout: &PriceLayout,
    records: &mut Records,
    symbol: &str,
    only: Option<&BTreeSet<String>>,
    unread: Unread,
    release: Release,
) -> Result<ReadPrices, DataError> {
    let width = input.header.len();
    let mut kinds = vec![Kind::Ignored; width];
    // Columns left out are validated by a cheaper path; one that is also another role's
    // (which a layout does not give) would be read in full below.
    for (column, slot) in [(layout.high, Slot::High), (layout.low, Slot::Low)] {
        if let Some(column) = column {
            kinds[column] = if unread.high_low {
                Kind::UnreadPrice
            } else {
                Kind::Price(slot)
            };
        }
    }
    for (column, slot) in [
        (layout.open, Slot::Open),
        (Some(layout.close), Slot::Close),
        (layout.adj_close, Slot::AdjClose),
    ] {
        if let Some(column) = column {
            kinds[column] = Kind::Price(slot);
        }
    }
    if let Some(column) = layout.volume {
        kinds[column] = if unread.volume {
            Kind::UnreadVolume
        } else {
            Kind::Volume
        };
    }
    if let Some(column) = layout.split {
        kinds[column] = Kind::Split;
    }
    if let Some(column) = layout.dividend {
        kinds[column] = Kind::Dividend;
    }
    if let Some(column) = layout.symbol {
        kinds[column] = Kind::Symbol;
    }
    kinds[layout.date] = Kind::Date;
    // Where each value of the bar is read from: the place of the column's kind (a file's
    // only close may be its adjusted close, one column in two roles), or the close where the
    // file has no such column (a note says so for the open, high and low).
    let source = |column: Option<usize>, own: Slot| match column.map(|i| kinds[i]) {
        None => Slot::Close,
        Some(Kind::Price(slot)) => slot,
        Some(_) => own,
    };
    let price_places: Vec<u8> = kinds
        .iter()
        .map(|kind| match kind {
            Kind::Price(slot) => *slot as u8,
            Kind::Volume => VOLUME_PLACE,
            _ => NOT_A_PRICE,
        })
        .collect();
    let sources = [
        source(layout.open, Slot::Open),
        source(layout.high, Slot::High),
        source(layout.low, Slot::Low),
        source(Some(layout.close), Slot::Close),
        source(layout.adj_close, Slot::AdjClose),
    ];
    // A reader of the rows from byte `from` to byte `total`.
    let new_reader = |from: usize, total: usize| {
        let mut reader = Reader {
            layout,
            kinds: kinds.clone(),
            price_places: price_places.clone(),
            from: sources,
            days: DayCache::default(),
            builders: Vec::new(),
            symbols: Symbols::default(),
            last: 0,
            only,
            last_unwanted: 0..0,
            unloaded: Vec::new(),
            total,
            no_volume: 0,
            dialect: input.dialect,
            unread,
        };
        if layout.symbol.is_none() {
            reader.add(symbol, input.name, from);
        }
        reader
    };
    if let Some(start) = records.next_start()
        && input.text.len() - start >= HALVES_FROM
        && let Some((reader, rows)) = read_in_halves(input, start, new_reader, release)
    {
        input.rows += rows;
        records.resume_at(input.text.len());
        return Ok(finish(
            reader.layout,
            reader.builders,
            reader.unloaded,
            reader.no_volume,
            input,
        ));
    }
    let mut reader = new_reader(0, input.text.len());
    let mut fields = Vec::with_capacity(width);
    let mut released = 0;
    while let Some(start) = records.next_start() {
        if start - released >= RELEASE_EVERY {
            release(released..start);
            released = start;
        }
        input.rows += 1;
        if let Some(next) = reader.fast_row(input.text, start, input.name) {
            records.resume_at(next);
            continue;
        }
        let record = records.next_record(&mut fields).expect("next_start found a record");
        let line = record.map_err(|e| input.quote_error(e))?;
        if let Err(issue) = reader.row(input, &fields, line) {
            input.reject(issue)?;
        }
    }
    Ok(finish(
        reader.layout,
        reader.builders,
        reader.unloaded,
        reader.no_volume,
        input,
    ))
}

/// Files from this size on are read as two halves on two threads.
const HALVES_FROM: usize = 1 << 20;

/// The rows read are let go of ([`Release`]) in parts of this many bytes: large enough that
/// the calls cost nothing against the parsing, small against the files it matters for.
const RELEASE_EVERY: usize = 4 << 20;

/// Reads the rows from `start` as two halves, one on another thread, when every row takes
/// the fast path and each symbol's dates run on across the seam; returns the joined reader
/// and the number of rows. `None` (a row for the general path, a seam inside a row or out
/// of order) leaves the file to the one-thread reader, which then finds the same rows,
/// notes and diagnostics as always — the halves only ever speed up a file that is good.
///
/// A file of one history (no symbol column) is written in place: its columns are allocated
/// once, with room for a row per line end, and each half writes its own part of them, so
/// nothing is copied where the halves join (unless the first half has blank lines, whose
/// room the second half's rows are moved down over).
fn read_in_halves<'l>(
    input: &Input,
    start: usize,
    new_reader: impl Fn(usize, usize) -> Reader<'l, 'static>,
    release: Release,
) -> Option<(Reader<'l, 'static>, usize)> {
    let (text, name) = (input.text, input.name);
    let bytes = text.as_bytes();
    let middle = start + (bytes.len() - start) / 2;
    let seam = middle + memchr::memchr(b'\n', &bytes[middle..])? + 1;
    if seam >= bytes.len() {
        return None;
    }
    // Both sized for the whole file, so the second half's rows join without moving the
    // first's.
    let (first, later) = (new_reader(start, bytes.len()), new_reader(seam, bytes.len()));
    if first.layout.symbol.is_some() {
        let ((mut reader, first_rows), (later, later_rows)) =
            both_halves(first, later, text, start, seam, name, release)?;
        reader.join(later)?;
        return Some((reader, first_rows + later_rows));
    }
    // Room for a row per line end: the first half ends with one; the file's last row may not.
    let (room, later_ends) = two_cores::line_ends(&bytes[start..seam], &bytes[seam..]);
    let later_room = later_ends + 1;
    let mut columns = Owned::zeroed(&first.builders[0].history, first.unread, room + later_room);
    let (ours, theirs) = columns.split_at_mut(room);
    let (mut first, mut later): (Reader<'l, '_>, Reader<'l, '_>) = (first, later);
    first.builders[0].rows = Rows::in_part(ours);
    later.builders[0].rows = Rows::in_part(theirs);
    let ((first, first_rows), (later, later_rows)) = both_halves(first, later, text, start, seam, name, release)?;
    let (written, later_written) = (first.builders[0].rows.len(), later.builders[0].rows.len());
    let (mut reader, later) = (first.written_elsewhere(), later.written_elsewhere());
    reader.join(later)?;
    if reader.builders.len() != 1 || reader.builders[0].rows.len() != written + later_written {
        return None;
    }
    columns.close_gap(written, room, later_written);
    reader.builders[0].rows = Rows::of(columns, written + later_written);
    Some((reader, first_rows + later_rows))
}

/// Reads `start..seam` with `first` and `seam..` with `later` on another thread, by the fast
/// path; returns each reader and its number of rows, or `None` if either half could not be
/// read so (see [`fast_rows`]).
#[allow(clippy::type_complexity)]
fn both_halves<'l, 'c>(
    mut first: Reader<'l, 'c>,
    mut later: Reader<'l, 'c>,
    text: &str,
    start: usize,
    seam: usize,
    name: &str,
    release: Release,
) -> Option<((Reader<'l, 'c>, usize), (Reader<'l, 'c>, usize))> {
    let (first, later) = std::thread::scope(|scope| {
        let other = scope.spawn(|| {
            let rows = fast_rows(&mut later, text, seam..text.len(), name, release)?;
            Some((later, rows))
        });
        let first = fast_rows(&mut first, text, start..seam, name, release).map(|rows| (first, rows));
        // A panic in the other half is a bug; the one-thread reader then reads the file.
        (first, other.join().ok().flatten())
    });
    Some((first?, later?))
}

/// Reads every row in `range` by the fast path, letting go of the rows read by `release`;
/// `None` at the first row it cannot take, or when the last row runs past the range.
fn fast_rows(reader: &mut Reader, text: &str, range: Range<usize>, file: &str, release: Release) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut at = range.start;
    let mut released = range.start;
    let mut rows = 0;
    loop {
        while at < range.end && matches!(bytes[at], b'\n' | b'\r') {
            at += 1;
        }
        if at >= range.end {
            release(released..range.end);
            return (at == range.end).then_some(rows);
        }
        at = reader.fast_row(text, at, file)?;
        rows += 1;
        if at - released >= RELEASE_EVERY {
            release(released..at);
            released = at;
        }
    }
}

/// What a column holds, for the fast path, and where its value goes.
#[derive(Clone, Copy, Debug)]
enum Kind {
    Date,
    Symbol,
    /// A price: a number above zero.
    Price(Slot),
    /// A price not kept ([`Unread`]): validated as [`Kind::Price`] is, not stored.
    UnreadPrice,
    /// A number, or a missing marker.
    Volume,
    /// A volume not kept: validated as [`Kind::Volume`] is, and counted when missing.
    UnreadVolume,
    /// A split coefficient: a number above zero, or a missing marker (no split).
    Split,
    /// A dividend per share: a number, 0 or more, or a missing marker (none).
    Dividend,
    Ignored,
}

/// Where the fast path keeps a row's numbers until the row is complete: one place per
/// column role, so the bar is assembled from fixed places whatever order the file's columns
/// come in.
#[derive(Clone, Copy, Debug)]
enum Slot {
    Close,
    Open,
    High,
    Low,
    AdjClose,
    Volume,
    Split,
    Dividend,
}

/// The number of [`Slot`]s.
const SLOTS: usize = 8;

/// In [`Reader::price_places`], a column that is not a price kept.
const NOT_A_PRICE: u8 = u8::MAX;

/// In [`Reader::price_places`], a volume kept ([`Kind::Volume`]).
const VOLUME_PLACE: u8 = SLOTS as u8;

/// The values of one row on the fast path, by [`Slot`]. The split and dividend places keep
/// "none" (1 and 0) in a file without those columns; the other places of columns a file
/// lacks are never read.
#[derive(Clone, Copy, Debug)]
struct Values([f64; SLOTS]);

impl Default for Values {
    fn default() -> Self {
        let mut values = [f64::NAN; SLOTS];
        values[Slot::Split as usize] = 1.0;
        values[Slot::Dividend as usize] = 0.0;
        Values(values)
    }
}

impl std::ops::Index<Slot> for Values {
    type Output = f64;
    #[inline(always)]
    fn index(&self, slot: Slot) -> &f64 {
        // The mask tells the compiler what the enum already guarantees: no bounds test.
        &self.0[slot as usize % SLOTS]
    }
}

impl std::ops::IndexMut<Slot> for Values {
    #[inline(always)]
    fn index_mut(&mut self, slot: Slot) -> &mut f64 {
        &mut self.0[slot as usize % SLOTS]
    }
}

struct Reader<'l, 'c> {
    layout: &'l PriceLayout,
    /// What each column holds, in the file's order (decided once, from the header).
    kinds: Vec<Kind>,
    /// By column, as `kinds`: the [`Slot`] of a price kept (`Kind::Price`),
    /// [`VOLUME_PLACE`] for a volume kept, or [`NOT_A_PRICE`].
    price_places: Vec<u8>,
    /// Where the bar's open, high, low, close and adjusted close come from: their own
    /// places, or another's (see `read_prices`).
    from: [Slot; 5],
    days: DayCache,
    /// Its rows are written in columns of their own, or in parts of the file's (`'c`).
    builders: Vec<Builder<'c>>,
    /// By symbol: its builder, or `None` for a symbol not wanted.
    symbols: Symbols,
    /// The builder of the previous row: long files usually list one symbol at a time.
    last: usize,
    only: Option<&'l BTreeSet<String>>,
    /// Where the last unwanted symbol cell is, so a run of its rows costs no lookup.
    last_unwanted: Range<usize>,
    unloaded: Vec<String>,
    /// The length of the text, for estimating column lengths.
    total: usize,
    /// Rows whose volume cell is empty or a missing marker.
    no_volume: usize,
    dialect: Dialect,
    /// Columns validated but not kept.
    unread: Unread,
}

impl<'l, 'c> Reader<'l, 'c> {
    fn add(&mut self, symbol: &str, file: &str, first_at: usize) -> usize {
        let layout = self.layout;
        let history = PriceHistory {
            symbol: symbol.to_owned(),
            file: file.to_owned(),
            ts: Times::default(),
            open: Column::default(),
            high: Column::default(),
            low: Column::default(),
            close: Column::default(),
            adj_close: layout.adj_close.map(|_| Column::default()),
            volume: layout.volume.map(|_| Column::default()),
            dividends: layout.dividend.map(|_| Column::default()),
            open_is_close: layout.open.is_none(),
            close_is_adjusted: layout.adj_close == Some(layout.close),
        };
        self.builders.push(Builder::new(history, first_at, self.unread));
        self.symbols.insert(symbol, Some(self.builders.len() - 1));
        self.builders.len() - 1
    }

    /// Reads a row of plain unquoted cells that is good in every way, appends it and returns
    /// where the next record starts; or skips the row of a symbol not wanted. `None` leaves
    /// the row, untouched, to [`Reader::row`].
    fn fast_row(&mut self, text: &str, start: usize, file: &str) -> Option<usize> {
        let bytes = text.as_bytes();
        let delimiter = self.dialect.delimiter;
        if self.only.is_some()
            && let Some(column) = self.layout.symbol
        {
            let mut at = start;
            for _ in 0..column {
                at = field_end(bytes, at, delimiter)?;
                if bytes.get(at) != Some(&delimiter) {
                    return None;
                }
                at += 1;
            }
            let end = field_end(bytes, at, delimiter)?;
            let cell = &bytes[at..end];
            let again = !self.last_unwanted.is_empty() && bytes[self.last_unwanted.clone()] == *cell;
            if again || self.is_unwanted(plain_text(text, at..end)?) {
                self.last_unwanted = at..end;
                return skip_record(bytes, start);
            }
        }
        let (first, rest) = self.kinds.split_first()?;
        let mut row = Row {
            ts: 0,
            date: 0..0,
            symbol: 0..0,
            values: Values::default(),
        };
        let days = &mut self.days;
        let dialect = self.dialect;
        // The date first (nearly every file) read directly, not through `cell`'s jump table:
        // the test is on the layout, which the compiler cannot fold into that table.
        let mut at = if self.layout.date == 0 {
            date_cell(bytes, start, days, &mut row)?
        } else {
            cell(*first, bytes, start, dialect, days, &mut row)?
        };
        // `price_places` is as long as `kinds`, so it has the same rest.
        for (&kind, &place) in rest.iter().zip(&self.price_places[1..]) {
            if bytes.get(at) != Some(&delimiter) {
                return None;
            }
            // A price (nearly every cell) by one test, a volume by a second, not through
            // `cell`'s jump table.
            at = if place < SLOTS as u8 {
                price_cell(
                    bytes,
                    at + 1,
                    dialect.decimal,
                    &mut row.values.0[usize::from(place) % SLOTS],
                )?
            } else if place == VOLUME_PLACE {
                volume_cell(bytes, at + 1, dialect, &mut row.values[Slot::Volume])?
            } else {
                cell(kind, bytes, at + 1, dialect, days, &mut row)?
            };
        }
        let next = past_line_end(bytes, at)?;
        let Row {
            ts,
            date,
            symbol,
            values,
        } = row;
        let [open, high, low, close, adj_close] = self.from;
        let bar = Bar {
            ts,
            open: values[open],
            high: values[high],
            low: values[low],
            close: values[close],
            adj_close: values[adj_close],
            volume: values[Slot::Volume],
            split: values[Slot::Split],
            dividend: values[Slot::Dividend],
        };
        let b = match self.layout.symbol {
            None => 0,
            Some(_) => self.lookup(plain_text(text, symbol)?, file, start)?,
        };
        let builder = &mut self.builders[b];
        if !builder.order.advance(ts, date) {
            return None;
        }
        self.no_volume += builder.push(bar, next, self.total)?;
        Some(next)
    }

    /// Checks one row completely, then appends it; a bad row changes nothing.
    fn row(&mut self, input: &Input, fields: &[Field], line: Range<usize>) -> Result<(), Issue> {
        let text = input.text;
        let layout = self.layout;
        if self.only.is_some()
            && let Some(cell) = layout.symbol.and_then(|column| fields.get(column))
        {
            let symbol = cell.value(text);
            if !symbol.is_empty() && self.is_unwanted(&symbol) {
                return Ok(());
            }
        }
        if fields.len() != self.kinds.len() {
            return Err(Issue::Ragged {
                expected: self.kinds.len(),
                found: fields.len(),
                span: line,
            });
        }
        let date = &fields[layout.date];
        let ts = input.timestamp(&date.value(text), &date.span)?;
        let decimal = self.dialect.decimal;
        let part = |column: Option<usize>| column.map(|i| price(text, fields, i, decimal));
        let [close, open, high, low, adj_close, volume, split, dividend] = leftmost([
            Some(price(text, fields, layout.close, decimal)),
            part(layout.open),
            part(layout.high),
            part(layout.low),
            part(layout.adj_close),
            layout.volume.map(|i| volume(text, fields, i, decimal)),
            layout.split.map(|i| split_coefficient(text, fields, i, decimal)),
            layout.dividend.map(|i| dividend_amount(text, fields, i, decimal)),
        ])?;
        let close = close.expect("the close column is always read");
        // The places of columns the file lacks are never read (see [`Bar`]).
        let bar = Bar {
            ts,
            open: open.unwrap_or(close),
            high: high.unwrap_or(close),
            low: low.unwrap_or(close),
            close,
            adj_close: adj_close.unwrap_or(f64::NAN),
            volume: volume.unwrap_or(f64::NAN),
            split: split.unwrap_or(1.0),
            dividend: dividend.unwrap_or(0.0),
        };
        let b = match layout.symbol {
            None => 0,
            Some(column) => self.builder_for(input, &fields[column], line.start)?,
        };
        let builder = &mut self.builders[b];
        builder
            .order
            .check(ts)
            .map_err(|disorder| Issue::disorder(disorder, builder.history.symbol.clone(), ts, date.span.clone()))?;
        builder.order.commit(ts, date.span.clone());
        self.no_volume += builder
            .push(bar, line.end, self.total)
            .expect("the one-thread reader's columns are its own, which grow");
        Ok(())
    }

    /// The builder for the symbol in `cell`, created on the symbol's first row.
    fn builder_for(&mut self, input: &Input, cell: &Field, row_start: usize) -> Result<usize, Issue> {
        let symbol = cell.value(input.text);
        if symbol.is_empty() {
            return Err(Issue::EmptySymbol {
                span: cell.span.clone(),
            });
        }
        Ok(self
            .lookup(&symbol, input.name, row_start)
            .expect("rows of unwanted symbols are skipped before"))
    }

    /// The builder for `symbol`, created on its first row (which starts at `row_start`);
    /// `None` for a symbol not wanted.
    fn lookup(&mut self, symbol: &str, file: &str, row_start: usize) -> Option<usize> {
        if self.builders.get(self.last).is_some_and(|b| b.history.symbol == symbol) {
            return Some(self.last);
        }
        let found = match self.symbols.get(symbol) {
            Some(entry) => entry,
            None if self.only.is_none_or(|only| only.contains(symbol)) => Some(self.add(symbol, file, row_start)),
            None => {
                self.not_wanted(symbol);
                None
            }
        };
        if let Some(b) = found {
            self.last = b;
        }
        found
    }

    /// Whether `symbol` is one the projection leaves out; the first time, it is listed.
    /// A wanted symbol gets its builder only once a row of it is good, as without projection.
    #[inline]
    fn is_unwanted(&mut self, symbol: &str) -> bool {
        let Some(only) = self.only else { return false };
        match self.symbols.get(symbol) {
            Some(entry) => entry.is_none(),
            None if only.contains(symbol) => false,
            None => {
                self.not_wanted(symbol);
                true
            }
        }
    }

    fn not_wanted(&mut self, symbol: &str) {
        self.symbols.insert(symbol, None);
        self.unloaded.push(symbol.to_owned());
    }

    /// This reader with its rows given back to the columns they were written in (see
    /// [`Builder::written_elsewhere`]).
    fn written_elsewhere(self) -> Reader<'l, 'static> {
        Reader {
            layout: self.layout,
            kinds: self.kinds,
            price_places: self.price_places,
            from: self.from,
            days: self.days,
            builders: self.builders.into_iter().map(Builder::written_elsewhere).collect(),
            symbols: self.symbols,
            last: self.last,
            only: self.only,
            last_unwanted: self.last_unwanted,
            unloaded: self.unloaded,
            total: self.total,
            no_volume: self.no_volume,
            dialect: self.dialect,
            unread: self.unread,
        }
    }

    /// Takes in what `later` read from the rest of the same file: rows of a symbol met by
    /// both continue its history (`None` if their dates do not run on across the seam), new
    /// symbols follow in the order met.
    ///
    /// Never inlined: it runs once a file, and kept apart it leaves the row loop's code as
    /// it was (inlined, its symbol index moved the loop's own instructions by 0.7%).
    #[inline(never)]
    fn join(&mut self, later: Reader<'_, 'c>) -> Option<()> {
        // Each symbol's builder by name: a search of the list for each symbol took time in
        // the square of the symbols (40,000 one-row symbols, 16 s).
        let mut by_symbol =
            super::symbol_index::SymbolIndex::of(self.builders.iter().map(|b| b.history.symbol.as_str()));
        for mut builder in later.builders {
            let same = by_symbol.get(&builder.history.symbol);
            match same {
                Some(_) if builder.rows.is_empty() => {}
                Some(i) => {
                    let earlier = &mut self.builders[i];
                    let (first, _) = builder.rows.first()?;
                    if !earlier.rows.is_empty() && !earlier.order.append(&builder.order, first) {
                        return None;
                    }
                    if earlier.rows.is_empty() {
                        earlier.order = std::mem::take(&mut builder.order);
                    }
                    earlier.append(builder)?;
                }
                None => {
                    by_symbol.add(&builder.history.symbol, self.builders.len());
                    self.builders.push(builder);
                }
            }
        }
        super::symbol_index::add_new(&mut self.unloaded, later.unloaded);
        self.no_volume += later.no_volume;
        Some(())
    }
}

/// What the fast path has read of a row so far.
struct Row {
    ts: i64,
    /// The date cell and the symbol cell.
    date: Range<usize>,
    symbol: Range<usize>,
    values: Values,
}

/// Reads a price cell at `bytes[at]` into `place` and returns where it ends; `None` (not a
/// plain number, or not a [plausible](plausible_price) price) leaves the row to the
/// general path.
#[inline(always)]
fn price_cell(bytes: &[u8], at: usize, decimal: u8, place: &mut f64) -> Option<usize> {
    // The common short number inline; any other through the call.
    let (value, end) = match word_decimal(bytes, at, decimal) {
        Some(read) => read,
        None => plain_number(bytes, at, decimal)?,
    };
    if !plausible_price(value) {
        return None;
    }
    *place = value;
    Some(end)
}

/// Reads a date cell at `bytes[at]` into `row` and returns where it ends; `None` (not a
/// form [`DayCache::timestamp`] reads) leaves the row to the general path.
#[inline(always)]
fn date_cell(bytes: &[u8], at: usize, days: &mut DayCache, row: &mut Row) -> Option<usize> {
    let (value, end) = days.timestamp(bytes, at)?;
    row.ts = value;
    row.date = at..end;
    Some(end)
}

/// Reads a volume cell at `bytes[at]` into `place` (`NaN` for a missing marker) and returns
/// where it ends; `None` leaves the row to the general path.
#[inline(always)]
fn volume_cell(bytes: &[u8], at: usize, dialect: Dialect, place: &mut f64) -> Option<usize> {
    let Dialect { delimiter, decimal } = dialect;
    let (value, end) = match word_decimal(bytes, at, decimal) {
        Some(read) => read,
        None => plain_or_missing(bytes, at, delimiter, decimal)?,
    };
    *place = value;
    Some(end)
}

/// Reads the cell of `kind` at `bytes[at]` into `row` and returns where it ends; `None`
/// leaves the row to the general path.
#[inline(always)]
fn cell(kind: Kind, bytes: &[u8], at: usize, dialect: Dialect, days: &mut DayCache, row: &mut Row) -> Option<usize> {
    let Dialect { delimiter, decimal } = dialect;
    Some(match kind {
        Kind::Date => date_cell(bytes, at, days, row)?,
        Kind::Price(slot) => price_cell(bytes, at, decimal, &mut row.values[slot])?,
        Kind::UnreadPrice => match certain_price_end(bytes, at, decimal) {
            Some(end) => end,
            None => {
                let (value, end) = plain_number(bytes, at, decimal)?;
                if !plausible_price(value) {
                    return None;
                }
                end
            }
        },
        Kind::Volume => volume_cell(bytes, at, dialect, &mut row.values[Slot::Volume])?,
        Kind::UnreadVolume => {
            let (missing, end) = match certain_number_end(bytes, at, decimal) {
                Some(end) => (false, end),
                None => {
                    let (value, end) = plain_or_missing(bytes, at, delimiter, decimal)?;
                    (value.is_nan(), end)
                }
            };
            // Only whether it is missing counts (the note of rows without volume).
            row.values[Slot::Volume] = if missing { f64::NAN } else { 0.0 };
            end
        }
        Kind::Split => {
            let (value, end) = plain_or_missing(bytes, at, delimiter, decimal)?;
            if value <= 0.0 {
                return None;
            }
            row.values[Slot::Split] = if value.is_nan() { 1.0 } else { value };
            end
        }
        Kind::Dividend => {
            let (value, end) = plain_or_missing(bytes, at, delimiter, decimal)?;
            if value < 0.0 {
                return None;
            }
            row.values[Slot::Dividend] = if value.is_nan() { 0.0 } else { value };
            end
        }
        Kind::Symbol => {
            let end = field_end(bytes, at, delimiter)?;
            row.symbol = at..end;
            end
        }
        Kind::Ignored => field_end(bytes, at, delimiter)?,
    })
}

/// The text of a symbol cell that needs no trimming, or `None` for the general path.
fn plain_text(text: &str, cell: Range<usize>) -> Option<&str> {
    let bytes = &text.as_bytes()[cell.clone()];
    let plain = |b: &u8| b.is_ascii_graphic();
    // ASCII at both ends: the range starts and ends on character boundaries.
    (bytes.first().is_some_and(plain) && bytes.last().is_some_and(plain)).then(|| &text[cell])
}

/// The values of a row's numeric cells, or the leftmost bad one: the cell someone scanning
/// the row would find first, whatever order the columns come in.
fn leftmost<const N: usize>(cells: [Option<Result<f64, Issue>>; N]) -> Result<[Option<f64>; N], Issue> {
    let mut values = [None; N];
    let mut first: Option<Issue> = None;
    for (value, cell) in values.iter_mut().zip(cells) {
        match cell {
            Some(Ok(v)) => *value = Some(v),
            Some(Err(issue)) if first.as_ref().is_none_or(|f| issue.span().start < f.span().start) => {
                first = Some(issue);
            }
            Some(Err(_)) | None => {}
        }
    }
    first.map_or(Ok(values), Err)
}

/// The price in column `i`: a number above zero, within [plausible](plausible_price)
/// bounds.
fn price(text: &str, fields: &[Field], i: usize, decimal: u8) -> Result<f64, Issue> {
    let field = &fields[i];
    let value = parse_number(&field.value(text), decimal).ok_or_else(|| Issue::NotANumber {
        column: i,
        series: false,
        span: field.span.clone(),
    })?;
    if value <= 0.0 {
        return Err(Issue::NotPositive {
            column: i,
            span: field.span.clone(),
        });
    }
    if !plausible_price(value) {
        return Err(Issue::Implausible {
            column: i,
            span: field.span.clone(),
        });
    }
    Ok(value)
}

/// The split coefficient in column `i`: a number above zero, or 1 (no split) where the
/// cell is empty or marks a missing value.
fn split_coefficient(text: &str, fields: &[Field], i: usize, decimal: u8) -> Result<f64, Issue> {
    let value = volume(text, fields, i, decimal)?;
    if value.is_nan() {
        return Ok(1.0);
    }
    if value <= 0.0 {
        return Err(Issue::NotPositive {
            column: i,
            span: fields[i].span.clone(),
        });
    }
    Ok(value)
}

/// The dividend per share in column `i`: 0 or more, and 0 (none) where the cell is empty or
/// marks a missing value.
fn dividend_amount(text: &str, fields: &[Field], i: usize, decimal: u8) -> Result<f64, Issue> {
    let value = volume(text, fields, i, decimal)?;
    if value.is_nan() {
        return Ok(0.0);
    }
    if value < 0.0 {
        return Err(Issue::NegativeDividend {
            column: i,
            span: fields[i].span.clone(),
        });
    }
    Ok(value)
}

/// The volume in column `i`, `NaN` when the cell marks it missing: volume is optional
/// information, unlike prices.
fn volume(text: &str, fields: &[Field], i: usize, decimal: u8) -> Result<f64, Issue> {
    let field = &fields[i];
    let cell = field.value(text);
    if is_missing(&cell) {
        return Ok(f64::NAN);
    }
    parse_number(&cell, decimal).ok_or_else(|| Issue::NotANumber {
        column: i,
        series: false,
        span: field.span.clone(),
    })
}
