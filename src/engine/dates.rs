//! The period's dates as a run hands them to its report, copied out of a frame once per
//! first bar: the runs of a sweep on a shared frame (and a run and its benchmark) share
//! one copy instead of making one each.

use std::sync::{Arc, Mutex};

use super::frame::Frame;

/// A frame's `days[start..]` and `ts[start..]`, by `start`.
#[derive(Debug, Default)]
pub struct Dates(Mutex<Vec<Copied>>);

/// `(start, days, timestamps)`
type Copied = (usize, Arc<Vec<i32>>, Arc<Vec<i64>>);

impl Dates {
    /// `frame.days[start..]` (days since 1970-01-01) and `frame.ts[start..]` (seconds since
    /// 1970), copied the first time `start` is asked (the frame's own columns, not a copy,
    /// when `start` is 0). Every caller must pass the same
    /// frame. Panics if `start > frame.len()`.
    pub fn of(&self, frame: &Frame, start: usize) -> (Arc<Vec<i32>>, Arc<Vec<i64>>) {
        // Entries are pushed whole: a list a panicking worker left is consistent.
        let mut list = self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some((_, days, ts)) = list.iter().find(|(s, _, _)| *s == start) {
            return (days.clone(), ts.clone());
        }
        let days = from_start(&frame.days, start);
        let ts = from_start(&frame.ts, start);
        list.push((start, days.clone(), ts.clone()));
        (days, ts)
    }
}

/// The bars of `column` from the period's first, `start`: the frame's own column when the
/// period is all of it (no warm-up), so a long run keeps its dates once.
fn from_start<T: Clone>(column: &Arc<Vec<T>>, start: usize) -> Arc<Vec<T>> {
    if start == 0 {
        Arc::clone(column)
    } else {
        Arc::new(column[start..].to_vec())
    }
}
