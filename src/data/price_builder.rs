//! One price history while its rows come in: its columns, the order of its dates, its
//! splits, and the one-day moves that look like splits.

use super::chronology::Chronology;
use super::estimate::capacity_for;
use super::splits::{Split, SplitLike, split_like};
use super::store::PriceHistory;
use super::unread::Unread;

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
    pub history: PriceHistory,
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
        let history = &mut self.history;
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
                last_day(&self.history, self.last_row),
                later.history.ts.first(),
                later.history.close.first(),
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
        if !later.history.ts.is_empty() {
            self.last_row = later.last_row;
        }
        self.history.append(later.history);
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
fn last_day(history: &PriceHistory, row: usize) -> Option<Day> {
    Some(Day {
        ts: *history.ts.last()?,
        close: *history.close.last()?,
        row,
    })
}
