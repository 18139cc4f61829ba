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
    /// 1970), copied the first time `start` is asked. Every caller must pass the same
    /// frame. Panics if `start > frame.len()`.
    pub fn of(&self, frame: &Frame, start: usize) -> (Arc<Vec<i32>>, Arc<Vec<i64>>) {
        // Entries are pushed whole: a list a panicking worker left is consistent.
        let mut list = self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some((_, days, ts)) = list.iter().find(|(s, _, _)| *s == start) {
            return (days.clone(), ts.clone());
        }
        let days = Arc::new(frame.days[start..].to_vec());
        let ts = Arc::new(frame.ts[start..].to_vec());
        list.push((start, days.clone(), ts.clone()));
        (days, ts)
    }
}
