//! Holdings valued at an old close: bars of the run on which a held symbol has no row of
//! its own (a gap in its file, or a weekly or monthly file beside a daily one, whose bars
//! the run has because another file has them). The run values such a holding at the
//! symbol's last close before the bar, which is never a later price; the report says on
//! how many bars it did. Bars after a symbol's last row are the delisting note's
//! ([`super::delisted`]). Worked out once, after the run, from the fills.

use super::frame::Frame;
use super::portfolio::{Filled, SHARE_EPSILON};

/// A stretch is counted from this many days without a row (the trading week that
/// `data/gaps.rs` notes a gap in a daily file from): a vendor's missing day is not said.
pub const MIN_DAYS: usize = 5;

/// A symbol held over bars without a row of its own, as the report states it.
#[derive(Clone, Debug, PartialEq)]
pub struct HeldWithoutRows {
    pub symbol: String,
    /// Bars in stretches of [`MIN_DAYS`] days or more on which it was held and had no row.
    pub bars: usize,
    /// How many such stretches.
    pub stretches: usize,
    /// The longest stretch: the date of the close it was valued at, its bars, and the date
    /// of its last bar (days since 1970).
    pub close_day: i32,
    pub longest: usize,
    pub until: i32,
}

/// The symbols of `frame` held over stretches without a row, in a run from bar `start`
/// whose fills were `fills` (in order); by symbol, in the frame's order.
pub(super) fn held_without_rows(fills: &[Filled], frame: &Frame, start: usize) -> Vec<HeldWithoutRows> {
    let mut out = Vec::new();
    // With one symbol, the run's bars are its rows.
    if frame.symbols.len() < 2 {
        return out;
    }
    for (s, column) in frame.symbols.iter().enumerate() {
        let own: Vec<&Filled> = fills.iter().filter(|f| f.symbol == s).collect();
        if own.is_empty() {
            continue;
        }
        let Some(last_row) = rowless(column, start) else {
            continue;
        };
        let mut found = HeldWithoutRows {
            symbol: column.name.clone(),
            bars: 0,
            stretches: 0,
            close_day: 0,
            longest: 0,
            until: 0,
        };
        let (mut held, mut next) = (0.0, 0);
        // The stretch being walked: its first bar and the bar of the close it is valued at.
        let mut stretch: Option<(usize, usize)> = None;
        let mut row = None;
        for t in start..=last_row {
            let priced = !column.open[t].is_nan();
            if let Some((first, at)) = stretch.filter(|_| priced) {
                found.count(frame, first, at, t - 1);
                stretch = None;
            }
            if priced {
                row = Some(t);
            } else if stretch.is_none() && held > 0.0 {
                // Fills happen only on bars with a row: held now is held over the stretch.
                stretch = row.map(|at| (t, at));
            }
            while let Some(f) = own.get(next).filter(|f| f.bar == t) {
                held += if f.buy { f.shares } else { -f.shares };
                if held.abs() < SHARE_EPSILON {
                    held = 0.0;
                }
                next += 1;
            }
        }
        if found.stretches > 0 {
            out.push(found);
        }
    }
    out
}

/// The bar of `column`'s last row, if it has a bar without a row between its first row
/// and its last from bar `start` on. The span is scanned by a count without a branch per
/// bar, which the compiler makes vector instructions of.
pub(super) fn rowless(column: &super::frame::SymbolColumns, start: usize) -> Option<usize> {
    let open = &column.open[..];
    let first = start + open.get(start..)?.iter().position(|o| !o.is_nan())?;
    let last = open.iter().rposition(|o| !o.is_nan())?;
    (open[first..last].iter().filter(|o| o.is_nan()).count() > 0).then_some(last)
}

impl HeldWithoutRows {
    /// Counts the stretch from bar `first` to `last`, valued at bar `at`'s close, if it
    /// spans [`MIN_DAYS`] days or more.
    fn count(&mut self, frame: &Frame, first: usize, at: usize, last: usize) {
        let days = &frame.days[first..=last];
        let distinct = 1 + days.windows(2).filter(|w| w[0] != w[1]).count();
        if distinct < MIN_DAYS {
            return;
        }
        let bars = last + 1 - first;
        self.bars += bars;
        self.stretches += 1;
        if bars > self.longest {
            (self.close_day, self.longest, self.until) = (frame.days[at], bars, frame.days[last]);
        }
    }
}
