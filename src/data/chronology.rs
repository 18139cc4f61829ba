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

    /// Continues with `next`, the order of rows read further down (from `first` on): true
    /// when they run the same way across the seam, as one reader would have found.
    pub fn append(&mut self, next: &Chronology, first: i64) -> bool {
        let (Some(last), Some(next_last)) = (self.last, next.last) else {
            return false;
        };
        let step = first.cmp(&last);
        let agrees = |direction: Option<Ordering>| direction.is_none_or(|d| d == step);
        if step == Ordering::Equal || !agrees(self.direction) || !agrees(next.direction) {
            return false;
        }
        self.last = Some(next_last);
        self.direction = Some(step);
        true
    }

    /// Whether the rows ran newest first.
    pub fn descending(&self) -> bool {
        self.direction == Some(Ordering::Less)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order(dates: &[i64]) -> Chronology {
        let mut order = Chronology::default();
        for &d in dates {
            order.check(d).expect("in order");
            order.commit(d);
        }
        order
    }

    #[test]
    fn two_parts_join_only_when_they_run_the_same_way() {
        let join = |a: &[i64], b: &[i64]| {
            let mut first = order(a);
            first.append(&order(b), b[0]).then(|| first.descending())
        };
        assert_eq!(join(&[1, 2], &[3, 4]), Some(false));
        assert_eq!(join(&[1], &[2]), Some(false));
        assert_eq!(join(&[4, 3], &[2, 1]), Some(true));
        assert_eq!(join(&[1, 2], &[2, 3]), None, "a date on both sides of the seam");
        assert_eq!(join(&[1, 3], &[2, 4]), None, "out of order across the seam");
        assert_eq!(join(&[1, 2], &[4, 3]), None, "the second part turns back");
    }

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
