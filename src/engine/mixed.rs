//! Symbols whose files have bars of different frequencies (a monthly file beside a daily
//! one): the run has a bar wherever one of its files has a row, so it has one frequency,
//! and the report's "bars" line names only that one. Each symbol's own frequency is told
//! from its own rows (the median gap, as [`super::frequency`] tells the run's), once per
//! symbol after the run, and the report names them when they differ. Only a run with a
//! symbol that lacks a row on some bar between its first and its last can mix them: each
//! symbol's bars are otherwise the run's over its span.

use super::frame::Frame;
use super::frequency::{Frequency, Kind};

/// A symbol needs this many rows in the run for its frequency to be told.
const MIN_ROWS: usize = 3;

/// The symbols of a run whose bar frequencies differ, as the report states them.
#[derive(Clone, Debug, PartialEq)]
pub struct MixedFrequencies {
    /// Each symbol with rows in the run, in the frame's order: its kind of bars and the
    /// median days between its rows.
    pub symbols: Vec<(String, Kind, Option<f64>)>,
    /// The run's own frequency.
    pub run: Kind,
    /// Bars a year the report annualises with.
    pub bars_per_year: f64,
}

/// The symbols of `frame` from bar `start`, when two or more of them, each with
/// [`MIN_ROWS`] rows or more, have bars of different kinds; `run` is the run's frequency.
pub fn mixed(frame: &Frame, start: usize, run: &Frequency) -> Option<MixedFrequencies> {
    // With one symbol, or symbols that each have a row on every bar from their first to
    // their last, every symbol's bars are the run's.
    if frame.symbols.len() < 2
        || !frame
            .symbols
            .iter()
            .any(|c| super::unpriced::rowless(c, start).is_some())
    {
        return None;
    }
    let days = &frame.days[start..];
    let symbols: Vec<(String, Kind, Option<f64>)> = (frame.symbols.iter())
        .filter_map(|c| {
            let rows: Vec<i32> = (c.open[start..].iter().zip(days))
                .filter(|(o, _)| !o.is_nan())
                .map(|(_, &d)| d)
                .collect();
            (rows.len() >= MIN_ROWS).then(|| {
                let f = Frequency::of(&rows, None);
                (c.name.clone(), f.kind, f.median_gap)
            })
        })
        .collect();
    let differ = symbols.windows(2).any(|w| w[0].1 != w[1].1);
    (symbols.len() >= 2 && differ).then_some(MixedFrequencies {
        symbols,
        run: run.kind,
        bars_per_year: run.bars_per_year,
    })
}
