//! The date order of one history's rows.

use std::cmp::Ordering;

/// Tracks the last date of a history and the direction its rows run in.
///
/// Rows must run strictly one way: oldest first, or newest first throughout (Alpha Vantage
/// writes newest first; the reader reverses such histories at the end).
#[derive(Debug, Default)]
pub(crate) struct Chronology {
    last: Option<i64>,
    direction: Option<Ordering>,
}

/// Why a row's date cannot follow the previous one.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Disorder {
    Duplicate,
    Unsorted { previous: i64 },
}

impl Chronology {
    /// Checks that `ts` may come next, without recording it: the rest of the row may still
    /// turn out bad and be skipped.
    pub fn check(&self, ts: i64) -> Result<(), Disorder> {
        let Some(last) = self.last else { return Ok(()) };
        match (ts.cmp(&last), self.direction) {
            (Ordering::Equal, _) => Err(Disorder::Duplicate),
            (step, Some(direction)) if step != direction => Err(Disorder::Unsorted { previous: last }),
            _ => Ok(()),
        }
    }

    /// Records `ts`, which [`Chronology::check`] accepted.
    pub fn commit(&mut self, ts: i64) {
        if let Some(last) = self.last {
            self.direction = Some(ts.cmp(&last));
        }
        self.last = Some(ts);
    }

    /// Whether the rows ran newest first.
    pub fn descending(&self) -> bool {
        self.direction == Some(Ordering::Less)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(dates: &[i64]) -> Result<bool, Disorder> {
        let mut order = Chronology::default();
        for &d in dates {
            order.check(d)?;
            order.commit(d);
        }
        Ok(order.descending())
    }

    #[test]
    fn one_direction_throughout() {
        assert_eq!(run(&[1, 2, 5]), Ok(false));
        assert_eq!(run(&[5, 2, 1]), Ok(true));
        assert_eq!(run(&[7]), Ok(false));
    }

    #[test]
    fn disorder() {
        assert_eq!(run(&[1, 3, 2]), Err(Disorder::Unsorted { previous: 3 }));
        assert_eq!(run(&[3, 1, 2]), Err(Disorder::Unsorted { previous: 1 }));
        assert_eq!(run(&[1, 2, 2]), Err(Disorder::Duplicate));
    }
}
