//! Reading the rows of a price file into one [`PriceHistory`] per symbol.
//!
//! Each row first takes a fast path ([`Reader::fast_row`]) that reads plain unquoted cells
//! straight from the bytes; a row it does not fully understand, or that is bad in any way,
//! goes through the general splitter and [`Reader::row`], which gives the same result or
//! the diagnostic for it.

use std::collections::BTreeSet;
use std::ops::Range;

use super::cell::{is_missing, parse_number};
use super::chronology::Chronology;
use super::date::parse_timestamp;
use super::day_cache::DayCache;
use super::error::DataError;
use super::estimate::capacity_for;
use super::input::Input;
use super::issue::Issue;
use super::layout::PriceLayout;
use super::plain::{plain_number, plain_or_missing};
use super::record::{Field, Records, field_end, past_line_end, skip_record};
use super::store::PriceHistory;
use super::symbols::Symbols;

/// The histories of a price file, and what the report should say about reading it.
pub(crate) struct ReadPrices {
    pub histories: Vec<PriceHistory>,
    pub notes: Vec<String>,
    /// Symbols in the file that were not wanted, in the order met.
    pub unloaded: Vec<String>,
}

/// Reads every row after the header. `symbol` names the history of a file without a
/// symbol column. With `only`, rows of other symbols are skipped after reading just
/// their symbol, and are not validated.
pub(crate) fn read_prices(
    input: &mut Input,
    layout: &PriceLayout,
    records: &mut Records,
    symbol: &str,
    only: Option<&BTreeSet<String>>,
) -> Result<ReadPrices, DataError> {
    let width = input.header.len();
    let mut kinds = vec![Kind::Ignored; width];
    for column in [
        layout.open,
        layout.high,
        layout.low,
        Some(layout.close),
        layout.adj_close,
    ]
    .into_iter()
    .flatten()
    {
        kinds[column] = Kind::Price;
    }
    if let Some(column) = layout.volume {
        kinds[column] = Kind::Volume;
    }
    if let Some(column) = layout.symbol {
        kinds[column] = Kind::Symbol;
    }
    kinds[layout.date] = Kind::Date;
    // A reader of the rows from byte `from` to byte `total`.
    let new_reader = |from: usize, total: usize| {
        let mut reader = Reader {
            layout,
            width,
            kinds: kinds.clone(),
            cells: vec![f64::NAN; width],
            days: DayCache::default(),
            builders: Vec::new(),
            symbols: Symbols::default(),
            last: 0,
            only,
            last_unwanted: 0..0,
            unloaded: Vec::new(),
            total,
            no_volume: 0,
        };
        if layout.symbol.is_none() {
            reader.add(symbol, input.name, from);
        }
        reader
    };
    if let Some(start) = records.next_start()
        && input.text.len() - start >= HALVES_FROM
        && let Some((reader, rows)) = read_in_halves(input, start, new_reader)
    {
        input.rows += rows;
        records.resume_at(input.text.len());
        return Ok(reader.finish(input));
    }
    let mut reader = new_reader(0, input.text.len());
    let mut fields = Vec::with_capacity(width);
    while let Some(start) = records.next_start() {
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
    Ok(reader.finish(input))
}

/// Files from this size on are read as two halves on two threads.
const HALVES_FROM: usize = 1 << 20;

/// Reads the rows from `start` as two halves, one on another thread, when every row takes
/// the fast path and each symbol's dates run on across the seam; returns the joined reader
/// and the number of rows. `None` (a row for the general path, a seam inside a row or out
/// of order) leaves the file to the one-thread reader, which then finds the same rows,
/// notes and diagnostics as always — the halves only ever speed up a file that is good.
fn read_in_halves<'l>(
    input: &Input,
    start: usize,
    new_reader: impl Fn(usize, usize) -> Reader<'l> + Sync,
) -> Option<(Reader<'l>, usize)> {
    let (text, name) = (input.text, input.name);
    let bytes = text.as_bytes();
    let middle = start + (bytes.len() - start) / 2;
    let seam = middle + memchr::memchr(b'\n', &bytes[middle..])? + 1;
    if seam >= bytes.len() {
        return None;
    }
    let (first, second) = std::thread::scope(|scope| {
        let later = scope.spawn(|| {
            let mut reader = new_reader(seam, bytes.len());
            let rows = fast_rows(&mut reader, text, seam..bytes.len(), name)?;
            Some((reader, rows))
        });
        // Sized for the whole file, so the second half's rows join without moving the first's.
        let mut reader = new_reader(start, bytes.len());
        let first = fast_rows(&mut reader, text, start..seam, name).map(|rows| (reader, rows));
        // A panic in the other half is a bug; the one-thread reader then reads the file.
        (first, later.join().ok().flatten())
    });
    let ((mut reader, first_rows), (later, later_rows)) = (first?, second?);
    reader.join(later)?;
    Some((reader, first_rows + later_rows))
}

/// Reads every row in `range` by the fast path; `None` at the first row it cannot take, or
/// when the last row runs past the range.
fn fast_rows(reader: &mut Reader, text: &str, range: Range<usize>, file: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut at = range.start;
    let mut rows = 0;
    loop {
        while at < range.end && matches!(bytes[at], b'\n' | b'\r') {
            at += 1;
        }
        if at >= range.end {
            return (at == range.end).then_some(rows);
        }
        at = reader.fast_row(text, at, file)?;
        rows += 1;
    }
}

/// What a column holds, for the fast path.
#[derive(Clone, Copy, Debug)]
enum Kind {
    Date,
    Symbol,
    /// A price: a number above zero.
    Price,
    /// A number, or a missing marker.
    Volume,
    Ignored,
}

/// One history while its rows come in.
struct Builder {
    history: PriceHistory,
    order: Chronology,
    /// The byte its first row starts at, for estimating its length.
    first_at: usize,
}

struct Reader<'l> {
    layout: &'l PriceLayout,
    width: usize,
    kinds: Vec<Kind>,
    /// The fast path's numbers of the current row, by column.
    cells: Vec<f64>,
    days: DayCache,
    builders: Vec<Builder>,
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
}

impl Reader<'_> {
    fn add(&mut self, symbol: &str, file: &str, first_at: usize) -> usize {
        let layout = self.layout;
        let history = PriceHistory {
            symbol: symbol.to_owned(),
            file: file.to_owned(),
            ts: Vec::new(),
            open: Vec::new(),
            high: Vec::new(),
            low: Vec::new(),
            close: Vec::new(),
            adj_close: layout.adj_close.map(|_| Vec::new()),
            volume: layout.volume.map(|_| Vec::new()),
            open_is_close: layout.open.is_none(),
        };
        self.builders.push(Builder {
            history,
            order: Chronology::default(),
            first_at,
        });
        self.symbols.insert(symbol, Some(self.builders.len() - 1));
        self.builders.len() - 1
    }

    /// Reads a row of plain unquoted cells that is good in every way, appends it and returns
    /// where the next record starts; or skips the row of a symbol not wanted. `None` leaves
    /// the row, untouched, to [`Reader::row`].
    fn fast_row(&mut self, text: &str, start: usize, file: &str) -> Option<usize> {
        let bytes = text.as_bytes();
        if self.only.is_some()
            && let Some(column) = self.layout.symbol
        {
            let mut at = start;
            for _ in 0..column {
                at = field_end(bytes, at)?;
                if bytes.get(at) != Some(&b',') {
                    return None;
                }
                at += 1;
            }
            let end = field_end(bytes, at)?;
            let cell = &bytes[at..end];
            let again = !self.last_unwanted.is_empty() && bytes[self.last_unwanted.clone()] == *cell;
            if again || self.is_unwanted(plain_text(text, at..end)?) {
                self.last_unwanted = at..end;
                return skip_record(bytes, start);
            }
        }
        let mut at = start;
        let mut ts = 0;
        let mut symbol = 0..0;
        for i in 0..self.width {
            if i > 0 {
                if bytes.get(at) != Some(&b',') {
                    return None;
                }
                at += 1;
            }
            at = match self.kinds[i] {
                Kind::Date => {
                    let (value, end) = self.days.timestamp(bytes, at)?;
                    ts = value;
                    end
                }
                Kind::Price => {
                    let (value, end) = plain_number(bytes, at)?;
                    if value <= 0.0 {
                        return None;
                    }
                    self.cells[i] = value;
                    end
                }
                Kind::Volume => {
                    let (value, end) = plain_or_missing(bytes, at)?;
                    self.cells[i] = value;
                    end
                }
                Kind::Symbol => {
                    let end = field_end(bytes, at)?;
                    symbol = at..end;
                    end
                }
                Kind::Ignored => field_end(bytes, at)?,
            };
        }
        let next = past_line_end(bytes, at)?;
        let layout = self.layout;
        let cells = &self.cells;
        let close = cells[layout.close];
        let or_close = |column: Option<usize>| column.map_or(close, |i| cells[i]);
        let bar = Bar {
            ts,
            open: or_close(layout.open),
            high: or_close(layout.high),
            low: or_close(layout.low),
            close,
            adj_close: layout.adj_close.map(|i| cells[i]),
            volume: layout.volume.map(|i| cells[i]),
        };
        let b = match layout.symbol {
            None => 0,
            Some(_) => self.lookup(plain_text(text, symbol)?, file, start)?,
        };
        let builder = &mut self.builders[b];
        builder.order.check(ts).ok()?;
        builder.order.commit(ts);
        self.no_volume += builder.push(bar, next, self.total);
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
        if fields.len() != self.width {
            return Err(Issue::Ragged {
                expected: self.width,
                found: fields.len(),
                span: line,
            });
        }
        let date = &fields[layout.date];
        let ts = parse_timestamp(&date.value(text)).ok_or_else(|| Issue::BadDate {
            span: date.span.clone(),
        })?;
        let part = |column: Option<usize>| column.map(|i| price(text, fields, i));
        let [close, open, high, low, adj_close, volume] = leftmost([
            Some(price(text, fields, layout.close)),
            part(layout.open),
            part(layout.high),
            part(layout.low),
            part(layout.adj_close),
            layout.volume.map(|i| volume(text, fields, i)),
        ])?;
        let close = close.expect("the close column is always read");
        let bar = Bar {
            ts,
            open: open.unwrap_or(close),
            high: high.unwrap_or(close),
            low: low.unwrap_or(close),
            close,
            adj_close,
            volume,
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
        builder.order.commit(ts);
        self.no_volume += builder.push(bar, line.end, self.total);
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

    /// Takes in what `later` read from the rest of the same file: rows of a symbol met by
    /// both continue its history (`None` if their dates do not run on across the seam), new
    /// symbols follow in the order met.
    fn join(&mut self, later: Reader) -> Option<()> {
        for builder in later.builders {
            let same = self
                .builders
                .iter()
                .position(|b| b.history.symbol == builder.history.symbol);
            match same {
                Some(_) if builder.history.ts.is_empty() => {}
                Some(i) => {
                    let earlier = &mut self.builders[i];
                    let first = *builder.history.ts.first()?;
                    if !earlier.history.ts.is_empty() && !earlier.order.append(&builder.order, first) {
                        return None;
                    }
                    if earlier.history.ts.is_empty() {
                        earlier.order = builder.order;
                    }
                    earlier.history.append(builder.history);
                }
                None => self.builders.push(builder),
            }
        }
        for symbol in later.unloaded {
            if !self.unloaded.contains(&symbol) {
                self.unloaded.push(symbol);
            }
        }
        self.no_volume += later.no_volume;
        Some(())
    }

    fn finish(self, input: &Input) -> ReadPrices {
        let layout = self.layout;
        let name = input.name;
        let column = |i: usize| format!("`{}`", input.header[i]);
        let mut notes = Vec::new();
        let mut reversed = Vec::new();
        let mut histories = Vec::new();
        for Builder { mut history, order, .. } in self.builders {
            if history.ts.is_empty() {
                // Every row of this symbol was skipped; the skip note says so.
                continue;
            }
            if order.descending() {
                history.reverse();
                reversed.push(history.symbol.clone());
            }
            history.trim();
            histories.push(history);
        }
        if !reversed.is_empty() {
            notes.push(format!(
                "{name}: rows of {} run newest first; rotor reads them oldest first",
                reversed.join(", ")
            ));
        }
        let absent: Vec<&str> = [(layout.open, "open"), (layout.high, "high"), (layout.low, "low")]
            .into_iter()
            .filter_map(|(column, what)| column.is_none().then_some(what))
            .collect();
        if !absent.is_empty() {
            notes.push(format!(
                "{name}: no {} column; rotor uses the close in its place",
                absent.join(", ")
            ));
        }
        if layout.adj_close == Some(layout.close) {
            notes.push(format!(
                "{name}: the only close is the adjusted close {}; rotor uses it as the close",
                column(layout.close)
            ));
        }
        if !layout.ignored.is_empty() {
            let ignored: Vec<String> = layout.ignored.iter().map(|&i| column(i)).collect();
            notes.push(format!("{name}: ignored column(s) {}", ignored.join(", ")));
        }
        if self.no_volume > 0 {
            notes.push(format!("{name}: {} row(s) have no volume", self.no_volume));
        }
        ReadPrices {
            histories,
            notes,
            unloaded: self.unloaded,
        }
    }
}

/// A row's values, checked.
struct Bar {
    ts: i64,
    open: f64,
    high: f64,
    low: f64,
    close: f64,
    adj_close: Option<f64>,
    volume: Option<f64>,
}

impl Builder {
    /// Appends a bar whose row ends at byte `consumed` of `total`; returns 1 when it has
    /// no volume, for the note.
    fn push(&mut self, bar: Bar, consumed: usize, total: usize) -> usize {
        let history = &mut self.history;
        if history.ts.len() == history.ts.capacity() {
            let capacity = capacity_for(history.ts.len(), self.first_at, consumed, total);
            history.reserve_to(capacity);
        }
        history.ts.push(bar.ts);
        history.open.push(bar.open);
        history.high.push(bar.high);
        history.low.push(bar.low);
        history.close.push(bar.close);
        if let (Some(column), Some(value)) = (history.adj_close.as_mut(), bar.adj_close) {
            column.push(value);
        }
        match (history.volume.as_mut(), bar.volume) {
            (Some(column), Some(value)) => {
                column.push(value);
                usize::from(value.is_nan())
            }
            _ => 0,
        }
    }
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

/// The price in column `i`: a number above zero.
fn price(text: &str, fields: &[Field], i: usize) -> Result<f64, Issue> {
    let field = &fields[i];
    let value = parse_number(&field.value(text)).ok_or_else(|| Issue::NotANumber {
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
    Ok(value)
}

/// The volume in column `i`, `NaN` when the cell marks it missing: volume is optional
/// information, unlike prices.
fn volume(text: &str, fields: &[Field], i: usize) -> Result<f64, Issue> {
    let field = &fields[i];
    let cell = field.value(text);
    if is_missing(&cell) {
        return Ok(f64::NAN);
    }
    parse_number(&cell).ok_or_else(|| Issue::NotANumber {
        column: i,
        series: false,
        span: field.span.clone(),
    })
}
