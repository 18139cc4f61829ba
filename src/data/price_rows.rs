//! The columns of one price history while its rows come in: columns of its own, which grow
//! as rows come, or its part of columns allocated once for a whole file, which two readers
//! write in place ([`Owned::split_at_mut`]).

use super::estimate::trim;
use super::price_builder::Bar;
use super::store::PriceHistory;
use super::unread::Unread;

/// A history's columns by role: `I` holds the timestamps, `F` each column of prices. The
/// high and low are empty when not kept, like the volume ([`Unread`]); the optional columns
/// are `None` where the file lacks them.
#[derive(Debug, Default)]
pub(crate) struct Columns<I, F> {
    pub ts: I,
    pub open: F,
    pub high: F,
    pub low: F,
    pub close: F,
    pub adj_close: Option<F>,
    pub volume: Option<F>,
    pub dividends: Option<F>,
}

/// Columns of their own. Each kept column is as long as the rows it has room for: the rows
/// written, then zeros (see [`Rows`]).
pub(crate) type Owned = Columns<Vec<i64>, Vec<f64>>;

/// A part of columns allocated for a whole file: the rows one of two readers writes.
pub(crate) type Part<'c> = Columns<&'c mut [i64], &'c mut [f64]>;

impl Owned {
    /// Columns of `history`'s shape (its optional columns; the `unread` ones left empty),
    /// with room for `rows` rows, zero-filled. Zeroed memory is what a fresh allocation
    /// already holds, so a large one costs no writing until its rows are written.
    pub fn zeroed(history: &PriceHistory, unread: Unread, rows: usize) -> Owned {
        let mut columns = Owned::like(history);
        columns.grow(rows, unread);
        columns
    }

    /// Every price column there is (not the timestamps): the four prices, then the optional
    /// columns the file has.
    fn prices_mut(&mut self) -> impl Iterator<Item = &mut Vec<f64>> {
        [&mut self.open, &mut self.high, &mut self.low, &mut self.close]
            .into_iter()
            .chain(
                [&mut self.adj_close, &mut self.volume, &mut self.dividends]
                    .into_iter()
                    .flatten(),
            )
    }

    /// Empty columns of `history`'s shape.
    fn like(history: &PriceHistory) -> Owned {
        Columns {
            adj_close: history.adj_close.as_ref().map(|_| Vec::new()),
            volume: history.volume.as_ref().map(|_| Vec::new()),
            dividends: history.dividends.as_ref().map(|_| Vec::new()),
            ..Owned::default()
        }
    }

    /// Grows every kept column to `rows` rows, the new ones zero.
    fn grow(&mut self, rows: usize, unread: Unread) {
        zero_fill(&mut self.ts, rows);
        for column in [&mut self.open, &mut self.close] {
            zero_fill(column, rows);
        }
        if !unread.high_low {
            zero_fill(&mut self.high, rows);
            zero_fill(&mut self.low, rows);
        }
        let volume = self.volume.as_mut().filter(|_| !unread.volume);
        for column in [&mut self.adj_close, &mut self.dividends]
            .into_iter()
            .flatten()
            .chain(volume)
        {
            zero_fill(column, rows);
        }
    }

    /// The rows before `mid` and the rows from `mid` on, as two parts written apart (by two
    /// threads). Columns not kept stay empty in both.
    pub fn split_at_mut(&mut self, mid: usize) -> (Part<'_>, Part<'_>) {
        fn split<T>(column: &mut [T], mid: usize) -> (&mut [T], &mut [T]) {
            if column.is_empty() {
                (&mut [], &mut [])
            } else {
                column.split_at_mut(mid)
            }
        }
        fn optional<T>(column: &mut Option<Vec<T>>, mid: usize) -> (Option<&mut [T]>, Option<&mut [T]>) {
            match column {
                Some(column) => {
                    let (a, b) = split(column, mid);
                    (Some(a), Some(b))
                }
                None => (None, None),
            }
        }
        let (ts, ts_b) = split(&mut self.ts, mid);
        let (open, open_b) = split(&mut self.open, mid);
        let (high, high_b) = split(&mut self.high, mid);
        let (low, low_b) = split(&mut self.low, mid);
        let (close, close_b) = split(&mut self.close, mid);
        let (adj_close, adj_close_b) = optional(&mut self.adj_close, mid);
        let (volume, volume_b) = optional(&mut self.volume, mid);
        let (dividends, dividends_b) = optional(&mut self.dividends, mid);
        (
            Columns {
                ts,
                open,
                high,
                low,
                close,
                adj_close,
                volume,
                dividends,
            },
            Columns {
                ts: ts_b,
                open: open_b,
                high: high_b,
                low: low_b,
                close: close_b,
                adj_close: adj_close_b,
                volume: volume_b,
                dividends: dividends_b,
            },
        )
    }

    /// Keeps the first `first` rows and the `later` rows written from row `from` on, moved
    /// down to follow them (a copy only when the first part left rows unwritten), and
    /// nothing after.
    pub fn close_gap(&mut self, first: usize, from: usize, later: usize) {
        fn close<T: Copy>(column: &mut Vec<T>, first: usize, from: usize, later: usize) {
            if column.is_empty() {
                return;
            }
            if from > first {
                column.copy_within(from..from + later, first);
            }
            column.truncate(first + later);
        }
        close(&mut self.ts, first, from, later);
        for column in self.prices_mut() {
            close(column, first, from, later);
        }
    }

    /// Appends the first `rows` rows of `later`, after the first `len` rows of these.
    fn append(&mut self, len: usize, later: Owned, rows: usize) {
        fn extend<T: Copy>(column: &mut Vec<T>, len: usize, more: &[T], rows: usize) {
            if !more.is_empty() {
                column.truncate(len);
                column.extend_from_slice(&more[..rows]);
            }
        }
        extend(&mut self.ts, len, &later.ts, rows);
        extend(&mut self.open, len, &later.open, rows);
        extend(&mut self.high, len, &later.high, rows);
        extend(&mut self.low, len, &later.low, rows);
        extend(&mut self.close, len, &later.close, rows);
        for (column, more) in [
            (&mut self.adj_close, later.adj_close),
            (&mut self.volume, later.volume),
            (&mut self.dividends, later.dividends),
        ] {
            if let (Some(column), Some(more)) = (column.as_mut(), more) {
                extend(column, len, &more, rows);
            }
        }
    }

    /// The first `rows` rows, trimmed of room an estimate left unused.
    fn into_rows(mut self, rows: usize) -> Owned {
        self.ts.truncate(rows);
        trim(&mut self.ts);
        for column in self.prices_mut() {
            column.truncate(rows);
            trim(column);
        }
        self
    }
}

/// Grows `column` to `len` zeros past what it holds. A column that needs more room is
/// allocated anew, zeroed, and its rows copied in: zeroed memory comes from fresh pages
/// that are not written until a row is (a column grows a few times, see
/// [`super::estimate::capacity_for`], the last time to most of its length).
fn zero_fill<T: Copy + Default>(column: &mut Vec<T>, len: usize) {
    if len <= column.capacity() {
        column.resize(len, T::default());
        return;
    }
    // `vec!` of zeros asks the allocator for zeroed memory: fresh pages are not written.
    let mut grown = vec![T::default(); len];
    huge_pages(&mut grown);
    grown[..column.len()].copy_from_slice(column);
    *column = grown;
}

/// Asks the kernel for transparent huge pages (2 MiB) inside a large column that was just
/// allocated, before its rows are written: each then costs one page fault instead of 512
/// (Linux's `madvise` mode, the common default, gives them only where asked). Only whole
/// huge pages inside the column's buffer are advised; a refusal leaves small pages.
#[cfg(target_os = "linux")]
fn huge_pages<T>(column: &mut Vec<T>) {
    const HUGE: usize = 2 << 20;
    let bytes = column.capacity() * size_of::<T>();
    if bytes < 2 * HUGE {
        return;
    }
    let start = column.as_mut_ptr() as usize;
    let (from, to) = (start.next_multiple_of(HUGE), (start + bytes) / HUGE * HUGE);
    if from < to {
        // SAFETY: `from..to` lies inside the column's own allocation, which `column` borrows
        // mutably, and is page-aligned as `madvise` requires. `MADV_HUGEPAGE` changes only
        // how the kernel backs the range (a flag on the mapping), never what it holds: the
        // zeros read the same from small or huge pages, and nothing else is told or moved.
        // The result is ignored: a kernel without huge pages keeps small ones.
        unsafe {
            libc::madvise(from as *mut libc::c_void, to - from, libc::MADV_HUGEPAGE);
        }
    }
}

/// Elsewhere columns keep small pages.
#[cfg(not(target_os = "linux"))]
fn huge_pages<T>(_: &mut Vec<T>) {}

impl<I: AsRef<[i64]> + AsMut<[i64]>, F: AsRef<[f64]> + AsMut<[f64]>> Columns<I, F> {
    /// The number of rows there is room for.
    #[inline(always)]
    fn room(&self) -> usize {
        self.ts.as_ref().len()
    }

    /// Writes `bar` as row `at` (below [`Columns::room`]), its columns not kept left out.
    #[inline(always)]
    fn write(&mut self, at: usize, bar: &Bar, unread: Unread) {
        self.ts.as_mut()[at] = bar.ts;
        self.open.as_mut()[at] = bar.open;
        if !unread.high_low {
            self.high.as_mut()[at] = bar.high;
            self.low.as_mut()[at] = bar.low;
        }
        self.close.as_mut()[at] = bar.close;
        if let Some(column) = self.adj_close.as_mut() {
            column.as_mut()[at] = bar.adj_close;
        }
        if let Some(column) = self.dividends.as_mut() {
            column.as_mut()[at] = bar.dividend;
        }
        if !unread.volume
            && let Some(column) = self.volume.as_mut()
        {
            column.as_mut()[at] = bar.volume;
        }
    }

    /// The timestamp and close of the first row (there is one).
    fn first(&self) -> (i64, f64) {
        (self.ts.as_ref()[0], self.close.as_ref()[0])
    }
}

/// The rows of one history read so far: `len` rows, written in columns of its own or in its
/// part of the file's columns.
#[derive(Debug)]
pub(crate) struct Rows<'c> {
    len: usize,
    store: Store<'c>,
}

#[derive(Debug)]
enum Store<'c> {
    Own(Owned),
    Part(Part<'c>),
    /// Rows written in a part that was given back to the columns it came from
    /// ([`Rows::written_elsewhere`]); the first row's timestamp and close are kept for
    /// joining.
    Elsewhere {
        first: (i64, f64),
    },
}

impl Default for Rows<'_> {
    fn default() -> Self {
        Rows {
            len: 0,
            store: Store::Own(Owned::default()),
        }
    }
}

impl<'c> Rows<'c> {
    /// No rows yet, in columns of `history`'s shape that grow as rows come.
    pub fn like(history: &PriceHistory) -> Rows<'c> {
        Rows {
            len: 0,
            store: Store::Own(Owned::like(history)),
        }
    }

    /// No rows yet, to be written in `part` (at most its length).
    pub fn in_part(part: Part<'c>) -> Rows<'c> {
        Rows {
            len: 0,
            store: Store::Part(part),
        }
    }

    /// The first `len` rows of `columns`.
    pub fn of(columns: Owned, len: usize) -> Rows<'c> {
        Rows {
            len,
            store: Store::Own(columns),
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The timestamp and close of the first row.
    pub fn first(&self) -> Option<(i64, f64)> {
        if self.len == 0 {
            return None;
        }
        Some(match &self.store {
            Store::Own(columns) => columns.first(),
            Store::Part(columns) => columns.first(),
            Store::Elsewhere { first } => *first,
        })
    }

    /// Appends `bar`; columns of their own grow first to `capacity()` rows when full. `None`
    /// when a part is full (the rows it was sized by were fewer than the rows read).
    #[inline(always)]
    pub fn push(&mut self, bar: &Bar, unread: Unread, capacity: impl FnOnce(usize) -> usize) -> Option<()> {
        let at = self.len;
        match &mut self.store {
            Store::Own(columns) => {
                if at == columns.room() {
                    columns.grow(capacity(at), unread);
                }
                columns.write(at, bar, unread);
            }
            Store::Part(columns) => {
                if at == columns.room() {
                    return None;
                }
                columns.write(at, bar, unread);
            }
            Store::Elsewhere { .. } => return None,
        }
        self.len += 1;
        Some(())
    }

    /// These rows, their part given back: the caller that split the columns puts them
    /// together ([`Owned::close_gap`]) and hands them back with [`Rows::of`].
    pub fn written_elsewhere(self) -> Rows<'static> {
        let store = match self.first() {
            Some(first) => Store::Elsewhere { first },
            None => Store::Own(Owned::default()),
        };
        Rows { len: self.len, store }
    }

    /// Appends the rows of `later`, read from further down the same file. Rows in columns
    /// of their own are copied; rows written elsewhere are only counted (their columns are
    /// joined by the caller, see [`Rows::written_elsewhere`]). `None` when the two are not
    /// of one kind.
    pub fn append(&mut self, later: Rows) -> Option<()> {
        if later.is_empty() {
            return Some(());
        }
        match (&mut self.store, later.store) {
            (Store::Own(columns), Store::Own(more)) => columns.append(self.len, more, later.len),
            (Store::Own(_), Store::Elsewhere { first }) if self.len == 0 => self.store = Store::Elsewhere { first },
            (Store::Elsewhere { .. }, Store::Elsewhere { .. }) => {}
            _ => return None,
        }
        self.len += later.len;
        Some(())
    }

    /// The rows as columns of their own, trimmed of unused room; `None` for rows written in
    /// columns held elsewhere.
    pub fn into_columns(self) -> Option<Owned> {
        match self.store {
            Store::Own(columns) => Some(columns.into_rows(self.len)),
            Store::Part(_) | Store::Elsewhere { .. } => None,
        }
    }
}
