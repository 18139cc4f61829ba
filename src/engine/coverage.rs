//! Series and symbols a run reads whose data does not cover it: a series with no value on
//! any of the run's bars, or whose data ends before the run starts (every bar then reads
//! its last value, carried); a symbol with no row on any of the run's bars. A condition
//! reading such data is not available (false) all run long, or reads one old value, and
//! the report's counts alone would not say why: the run warns.

use chrono::NaiveDate;

use super::frame::{Frame, date_of};
use crate::data::{DataSet, day_of};

/// Data a run reads that does not cover the run.
#[derive(Clone, Debug, PartialEq)]
pub struct Uncovered {
    pub name: String,
    pub kind: UncoveredKind,
    /// The first and last dates of its data; `None` when it has none.
    pub data: Option<(NaiveDate, NaiveDate)>,
    /// The run's first and last bars.
    pub run: (NaiveDate, NaiveDate),
}

/// What a piece of uncovered data is, and so what the run made of it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UncoveredKind {
    /// A series with no value on any bar of the run: never available.
    SeriesNever,
    /// A series whose data ends before the run's first bar: its last value on every bar.
    SeriesCarried,
    /// A symbol with no row on any bar of the run: no price, no trade.
    Symbol,
}

/// The series and symbols of `frame` (those the run reads) whose data does not cover the
/// run's bars, from bar `start` to the last; empty for a run of no bars.
pub fn uncovered(frame: &Frame, start: usize, data: &DataSet) -> Vec<Uncovered> {
    let (Some(&first), Some(&last)) = (frame.days.get(start), frame.days.last()) else {
        return Vec::new();
    };
    let run = (date_of(first), date_of(last));
    let dates = |ts: &[i64]| Some((date_of(day_of(*ts.first()?)), date_of(day_of(*ts.last()?))));
    let mut out = Vec::new();
    for (name, values) in &frame.series {
        let span = data.series(name).and_then(|s| dates(&s.ts));
        let never = values[start..].iter().all(|v| v.is_nan());
        let kind = match span {
            _ if never => UncoveredKind::SeriesNever,
            // Carried on every bar only when its last value is visible from the first bar:
            // with a `lag`, a value dated before the run may first be seen inside it.
            Some((_, end)) if end < run.0 && !values[start].is_nan() => UncoveredKind::SeriesCarried,
            _ => continue,
        };
        out.push(Uncovered {
            name: name.clone(),
            kind,
            data: span,
            run,
        });
    }
    for symbol in &frame.symbols {
        if symbol.open[start..].iter().all(|v| v.is_nan()) {
            out.push(Uncovered {
                name: symbol.name.clone(),
                kind: UncoveredKind::Symbol,
                data: data.price(&symbol.name).and_then(|p| dates(&p.ts)),
                run,
            });
        }
    }
    out
}
