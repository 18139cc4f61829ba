//! One price history while its rows come in: its columns, the order of its dates, its
//! splits, and the one-day moves that look like splits.

use super::chronology::Chronology;
use super::estimate::capacity_for;
use super::splits::{Split, SplitLike, split_like};
use super::store::PriceHistory;

/// A row's values, checked.
pub(crate) struct Bar {
    pub ts: i64,
    pub open: f64,
    pub high: f64,
    pub low: f64,
    pub close: f64,
    pub adj_close: Option<f64>,
    pub volume: Option<f64>,
    /// The split coefficient, when the file has them; 1 on days without a split.
    pub split: Option<f64>,
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
    last: Option<Day>,
}

impl Builder {
    pub fn new(history: PriceHistory, first_at: usize, watch: bool) -> Self {
        Builder {
            history,
            order: Chronology::default(),
            first_at,
            splits: Vec::new(),
            watch,
            moves: Vec::new(),
            last: None,
        }
    }

    /// Appends a bar whose row starts at byte `row` and ends at `consumed` of `total`;
    /// returns 1 when it has no volume, for the note.
    pub fn push(&mut self, bar: Bar, row: usize, consumed: usize, total: usize) -> usize {
        let day = Day {
            ts: bar.ts,
            close: bar.close,
            row,
        };
        if self.watch {
            if let Some(last) = self.last
                && split_like(last.close, day.close).is_some()
            {
                self.moves.push((last, day));
            }
            self.last = Some(day);
        }
        if let Some(coefficient) = bar.split.filter(|&c| c != 1.0) {
            self.splits.push(Split {
                ts: bar.ts,
                coefficient,
            });
        }
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

    /// Takes in the rows of `later`, the same symbol read from further down the file
    /// (its order already joined by the caller).
    pub fn append(&mut self, later: Builder) {
        if self.watch
            && let (Some(last), Some(&ts), Some(&close)) =
                (self.last, later.history.ts.first(), later.history.close.first())
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
        self.last = later.last.or(self.last);
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
