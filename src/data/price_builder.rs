//! One price history while its rows come in: its columns, the order of its dates and its
//! splits.

use super::chronology::Chronology;
use super::estimate::capacity_for;
use super::price_rows::{Columns, Rows};
use super::splits::Split;
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

pub(crate) struct Builder<'c> {
    /// The symbol, its file and its flags; its columns stay empty until
    /// [`Builder::take_history`] moves `rows` in.
    pub history: PriceHistory,
    /// Its rows: in columns of its own, or in a part of the file's columns (`'c`).
    pub rows: Rows<'c>,
    pub order: Chronology,
    /// The byte its first row starts at, for estimating its length.
    pub first_at: usize,
    /// Splits met, oldest or newest first as the rows run.
    pub splits: Vec<Split>,
    /// Columns not kept.
    unread: Unread,
}

impl<'c> Builder<'c> {
    pub fn new(history: PriceHistory, first_at: usize, unread: Unread) -> Self {
        Builder {
            rows: Rows::like(&history),
            history,
            order: Chronology::default(),
            first_at,
            splits: Vec::new(),
            unread,
        }
    }

    /// Appends a bar whose row ends at byte `consumed` of `total`
    /// (its columns not kept left out); returns 1 when it has no volume, for the note.
    /// `None` when its rows are written in a part of the file's columns that is full.
    #[inline(always)]
    pub fn push(&mut self, bar: Bar, consumed: usize, total: usize) -> Option<usize> {
        let first_at = self.first_at;
        self.rows
            .push(&bar, self.unread, |len| capacity_for(len, first_at, consumed, total))?;
        if bar.split != 1.0 {
            self.splits.push(Split {
                ts: bar.ts,
                coefficient: bar.split,
            });
        }
        Some(usize::from(self.history.volume.is_some() && bar.volume.is_nan()))
    }

    /// Takes in the rows of `later`, the same symbol read from further down the file
    /// (its order already joined by the caller).
    /// `None` when the two hold their rows differently (see [`Rows::append`]).
    pub fn append(&mut self, later: Builder) -> Option<()> {
        self.splits.extend(later.splits);
        self.rows.append(later.rows)
    }

    /// This builder with its rows given back to the columns they were written in (see
    /// [`Rows::written_elsewhere`]).
    pub fn written_elsewhere(self) -> Builder<'static> {
        Builder {
            history: self.history,
            rows: self.rows.written_elsewhere(),
            order: self.order,
            first_at: self.first_at,
            splits: self.splits,
            unread: self.unread,
        }
    }

    /// The history read, its columns moved out of the builder (trimmed of unused capacity).
    pub fn take_history(&mut self) -> PriceHistory {
        let Columns {
            ts,
            open,
            high,
            low,
            close,
            adj_close,
            volume,
            dividends,
        } = std::mem::take(&mut self.rows)
            .into_columns()
            .expect("rows written in place are given back to their builder before it is finished");
        let history = &self.history;
        PriceHistory {
            symbol: history.symbol.clone(),
            file: history.file.clone(),
            ts: ts.into(),
            open: open.into(),
            high: high.into(),
            low: low.into(),
            close: close.into(),
            adj_close: adj_close.map(Into::into),
            volume: volume.map(Into::into),
            dividends: dividends.map(Into::into),
            open_is_close: history.open_is_close,
            close_is_adjusted: history.close_is_adjusted,
        }
    }
}
