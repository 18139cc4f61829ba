//! One price history while its rows come in: its columns, the order of its dates, its
//! splits, and the one-day moves that look like splits.

use super::chronology::Chronology;
use super::estimate::{capacity_for, reserve_to, trim};
use super::splits::{Split, SplitLike, split_like};
use super::store::PriceHistory;
use super::unread::Unread;

/// A history's columns while its rows come in: growable vectors, which become the
/// [`PriceHistory`]'s columns once the file is read ([`Builder::take_history`]).
#[derive(Debug, Default)]
pub(crate) struct Rows {
    pub ts: Vec<i64>,
    pub open: Vec<f64>,
    pub high: Vec<f64>,
    pub low: Vec<f64>,
    pub close: Vec<f64>,
    pub adj_close: Option<Vec<f64>>,
    pub volume: Option<Vec<f64>>,
    pub dividends: Option<Vec<f64>>,
}

impl Rows {
    /// Empty columns, with the optional ones `history` has.
    fn like(history: &PriceHistory) -> Rows {
        Rows {
            adj_close: history.adj_close.as_ref().map(|_| Vec::new()),
            volume: history.volume.as_ref().map(|_| Vec::new()),
            dividends: history.dividends.as_ref().map(|_| Vec::new()),
            ..Rows::default()
        }
    }

    /// Grows every column but the `unread` ones to hold `capacity` bars (see
    /// [`estimate`](super::estimate)).
    fn reserve_to(&mut self, capacity: usize, unread: Unread) {
        reserve_to(&mut self.ts, capacity);
        for column in [&mut self.open, &mut self.close] {
            reserve_to(column, capacity);
        }
        if !unread.high_low {
            reserve_to(&mut self.high, capacity);
            reserve_to(&mut self.low, capacity);
        }
        let volume = self.volume.as_mut().filter(|_| !unread.volume);
        for column in [&mut self.adj_close, &mut self.dividends]
            .into_iter()
            .flatten()
            .chain(volume)
        {
            reserve_to(column, capacity);
        }
    }

    /// Appends the rows of `later`, read from further down the same file. Each of its
    /// columns is freed as soon as it is copied, so the two together never need much more
    /// memory than the result.
    fn append(&mut self, later: Rows) {
        let Rows {
            ts,
            open,
            high,
            low,
            close,
            adj_close,
            volume,
            dividends,
        } = later;
        self.ts.extend_from_slice(&ts);
        drop(ts);
        for (column, more) in [
            (&mut self.open, open),
            (&mut self.high, high),
            (&mut self.low, low),
            (&mut self.close, close),
        ] {
            column.extend_from_slice(&more);
        }
        for (column, more) in [
            (&mut self.adj_close, adj_close),
            (&mut self.volume, volume),
            (&mut self.dividends, dividends),
        ] {
            if let (Some(column), Some(more)) = (column.as_mut(), more) {
                column.extend_from_slice(&more);
            }
        }
    }

    /// Gives back capacity an estimate left unused.
    fn trim(&mut self) {
        trim(&mut self.ts);
        for column in [&mut self.open, &mut self.high, &mut self.low, &mut self.close] {
            trim(column);
        }
        for column in [&mut self.adj_close, &mut self.volume, &mut self.dividends]
            .into_iter()
            .flatten()
        {
            trim(column);
        }
    }
}

/// A row's values, checked. A value of a column the file lacks is not read: the history's
/// column is `None` (adjusted close, volume, dividends), or the value means "none" (a split
/// coefficient of 1).
pub(crate) struct Bar {
    pub ts: i64,
    pub open: f64,
    pub high: f64,
    pub low: f64,
    pub close: f64,
    pub adj_close: f64,
    /// `NaN` where the row has no volume.
    pub volume: f64,
    /// The split coefficient; 1 on days without a split, and in a file without splits.
    pub split: f64,
    /// The cash dividend per share; 0 on other days.
    pub dividend: f64,
}

/// A day's close and where its row starts in the file.
#[derive(Clone, Copy, Debug)]
struct Day {
    ts: i64,
    close: f64,
    row: usize,
}

pub(crate) struct Builder {
    /// The symbol, its file and its flags; its columns stay empty until
    /// [`Builder::take_history`] moves `rows` in.
    pub history: PriceHistory,
    pub rows: Rows,
    pub order: Chronology,
    /// The byte its first row starts at, for estimating its length.
    pub first_at: usize,
    /// Splits met, oldest or newest first as the rows run.
    pub splits: Vec<Split>,
    /// Whether to look for split-like moves: raw prices without split information.
    watch: bool,
    /// Pairs of consecutive rows (in file order) whose closes moved as a split would.
    moves: Vec<(Day, Day)>,
    /// Where the last row pushed starts.
    last_row: usize,
    /// Columns not kept.
    unread: Unread,
}

impl Builder {
    pub fn new(history: PriceHistory, first_at: usize, watch: bool, unread: Unread) -> Self {
        Builder {
            rows: Rows::like(&history),
            history,
            order: Chronology::default(),
            first_at,
            splits: Vec::new(),
            watch,
            moves: Vec::new(),
            last_row: first_at,
            unread,
        }
    }

    /// Appends a bar whose row starts at byte `row` and ends at `consumed` of `total`
    /// (its columns not kept left out); returns 1 when it has no volume, for the note.
    pub fn push(&mut self, bar: Bar, row: usize, consumed: usize, total: usize) -> usize {
        let history = &mut self.rows;
        if self.watch {
            if let Some(last) = last_day(history, self.last_row)
                && split_like(last.close, bar.close).is_some()
            {
                let day = Day {
                    ts: bar.ts,
                    close: bar.close,
                    row,
                };
                self.moves.push((last, day));
            }
            self.last_row = row;
        }
        if bar.split != 1.0 {
            self.splits.push(Split {
                ts: bar.ts,
                coefficient: bar.split,
            });
        }
        if history.ts.len() == history.ts.capacity() {
            let capacity = capacity_for(history.ts.len(), self.first_at, consumed, total);
            history.reserve_to(capacity, self.unread);
        }
        history.ts.push(bar.ts);
        history.open.push(bar.open);
        if !self.unread.high_low {
            history.high.push(bar.high);
            history.low.push(bar.low);
        }
        history.close.push(bar.close);
        if let Some(column) = history.adj_close.as_mut() {
            column.push(bar.adj_close);
        }
        if let Some(column) = history.dividends.as_mut() {
            column.push(bar.dividend);
        }
        match history.volume.as_mut() {
            Some(column) => {
                if !self.unread.volume {
                    column.push(bar.volume);
                }
                usize::from(bar.volume.is_nan())
            }
            None => 0,
        }
    }

    /// Takes in the rows of `later`, the same symbol read from further down the file
    /// (its order already joined by the caller).
    pub fn append(&mut self, later: Builder) {
        if self.watch
            && let (Some(last), Some(&ts), Some(&close)) = (
                last_day(&self.rows, self.last_row),
                later.rows.ts.first(),
                later.rows.close.first(),
            )
            && split_like(last.close, close).is_some()
        {
            let first = Day {
                ts,
                close,
                row: later.first_at,
            };
            self.moves.push((last, first));
        }
        self.moves.extend(later.moves);
        self.splits.extend(later.splits);
        if !later.rows.ts.is_empty() {
            self.last_row = later.last_row;
        }
        self.rows.append(later.rows);
    }

    /// The history read, its columns moved out of the builder (trimmed of unused capacity).
    pub fn take_history(&mut self) -> PriceHistory {
        let mut rows = std::mem::take(&mut self.rows);
        rows.trim();
        let history = &self.history;
        PriceHistory {
            symbol: history.symbol.clone(),
            file: history.file.clone(),
            ts: rows.ts.into(),
            open: rows.open.into(),
            high: rows.high.into(),
            low: rows.low.into(),
            close: rows.close.into(),
            adj_close: rows.adj_close.map(Into::into),
            volume: rows.volume.map(Into::into),
            dividends: rows.dividends.map(Into::into),
            open_is_close: history.open_is_close,
            close_is_adjusted: history.close_is_adjusted,
        }
    }

    /// The split-like moves, each dated by its later day.
    pub fn split_like_moves(&self) -> Vec<SplitLike> {
        let mut moves: Vec<SplitLike> = self
            .moves
            .iter()
            .map(|&(a, b)| {
                let (earlier, later) = if a.ts < b.ts { (a, b) } else { (b, a) };
                SplitLike {
                    ts: later.ts,
                    close: later.close,
                    previous_close: earlier.close,
                    kind: split_like(earlier.close, later.close).unwrap_or_default(),
                    row: later.row,
                }
            })
            .collect();
        moves.sort_by_key(|m| m.ts);
        moves
    }
}

/// The last day of `history`, whose row starts at `row`.
#[inline]
fn last_day(history: &Rows, row: usize) -> Option<Day> {
    Some(Day {
        ts: *history.ts.last()?,
        close: *history.close.last()?,
        row,
    })
}
