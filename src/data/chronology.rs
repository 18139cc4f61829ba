//! The date order of one history's rows.

use std::cmp::Ordering;
use std::ops::Range;

/// Tracks the last date of a history and the direction its rows run in.
///
/// Rows must run strictly one way: oldest first, or newest first throughout (Alpha Vantage
/// writes newest first; the reader reverses such histories at the end).
#[derive(Debug, Default)]
pub(crate) struct Chronology {
    last: Option<i64>,
    /// Where the last row's date is in the file, and the date of the row before it: enough
    /// to tell which of two rows out of order is the one out of place.
    last_at: Range<usize>,
    before: Option<i64>,
    direction: Option<Ordering>,
    /// Whether the direction was known before the last row (two steps agree on it).
    settled: bool,
}

/// Why a row's date cannot follow the previous one.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Disorder {
    Duplicate,
    /// The row's date goes the wrong way after `previous`. `out_of_place` is the previous
    /// row's date cell when that row is the odd one: the rows before it and this one run
    /// the file's way (`01-02, 01-05, 01-03`: the 01-05 is a typo, not the 01-03).
    Unsorted {
        previous: i64,
        out_of_place: Option<Range<usize>>,
    },
}

impl Chronology {
    /// Checks that `ts` may come next, without recording it: the rest of the row may still
    /// turn out bad and be skipped.
    pub fn check(&self, ts: i64) -> Result<(), Disorder> {
        let Some(last) = self.last else { return Ok(()) };
        match (ts.cmp(&last), self.direction) {
            (Ordering::Equal, _) => Err(Disorder::Duplicate),
            (step, Some(direction)) if step != direction => {
                let skipping_last = self.before.map(|before| ts.cmp(&before));
                // Before two steps agree on the direction, most files run oldest first.
                let expected = if self.settled { direction } else { Ordering::Greater };
                let blame_last = skipping_last == Some(expected);
                Err(Disorder::Unsorted {
                    previous: last,
                    out_of_place: blame_last.then(|| self.last_at.clone()),
                })
            }
            _ => Ok(()),
        }
    }

    /// Records `ts`, which [`Chronology::check`] accepted; `at` is its cell in the file.
    pub fn commit(&mut self, ts: i64, at: Range<usize>) {
        self.settled = self.direction.is_some();
        if let Some(last) = self.last {
            self.direction = Some(ts.cmp(&last));
        }
        self.before = self.last;
        self.last = Some(ts);
        self.last_at = at;
    }

    /// [`Chronology::check`] and, when `ts` may come next, [`Chronology::commit`], in one:
    /// whether it was recorded. The usual row of a file oldest first, after a later date
    /// once two steps have settled the direction, takes a short path: only the dates move.
    #[inline(always)]
    pub fn advance(&mut self, ts: i64, at: Range<usize>) -> bool {
        if self.settled
            && self.direction == Some(Ordering::Greater)
            && let Some(last) = self.last
            && ts > last
        {
            // What `commit` does when the direction is known and stays the same.
            self.before = Some(last);
            self.last = Some(ts);
            self.last_at = at;
            return true;
        }
        if self.check(ts).is_err() {
            return false;
        }
        self.commit(ts, at);
        true
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
        // Two rows of the second part tell the row before its last; one row, this part's last.
        self.before = next.before.or(self.last);
        self.last = Some(next_last);
        self.last_at = next.last_at.clone();
        self.settled = true;
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
            order.commit(d, 0..0);
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
            // Each date's "cell" is its value, to see which row is blamed.
            order.commit(d, d as usize..d as usize + 1);
        }
        Ok(order.descending())
    }

    /// `advance` records exactly what `check` then `commit` record, and refuses what
    /// `check` refuses, whatever the dates (runs both ways, repeats, turns).
    #[test]
    fn advance_is_check_then_commit() {
        let steps: [&[i64]; 6] = [
            &[1, 2, 3, 4, 5],
            &[9, 7, 5, 3],
            &[1, 2, 2, 3],
            &[1, 3, 2, 4],
            &[5, 1, 2, 3],
            &[1, 2, 3, 1, 4, 5, 4, 6],
        ];
        for dates in steps {
            let (mut one, mut two) = (Chronology::default(), Chronology::default());
            for &d in dates {
                let at = d as usize..d as usize + 1;
                let accepted = two.check(d).is_ok();
                if accepted {
                    two.commit(d, at.clone());
                }
                assert_eq!(one.advance(d, at), accepted, "{dates:?} at {d}");
                let state = |c: &Chronology| (c.last, c.last_at.clone(), c.before, c.direction, c.settled);
                assert_eq!(state(&one), state(&two), "{dates:?} at {d}");
            }
        }
    }

    #[test]
    fn one_direction_throughout() {
        assert_eq!(run(&[1, 2, 5]), Ok(false));
        assert_eq!(run(&[5, 2, 1]), Ok(true));
        assert_eq!(run(&[7]), Ok(false));
    }

    #[test]
    fn disorder() {
        let unsorted = |previous, out_of_place: Option<i64>| {
            Err(Disorder::Unsorted {
                previous,
                out_of_place: out_of_place.map(|d| d as usize..d as usize + 1),
            })
        };
        // 1, 3, 2: without the 3, 1 and 2 run the file's way; the 3 is out of place.
        assert_eq!(run(&[1, 3, 2]), unsorted(3, Some(3)));
        // 1, 3, 4, 2: the 2 is out of place (4, 3 run the wrong way).
        assert_eq!(run(&[1, 3, 4, 2]), unsorted(4, None));
        // Newest first: 9, 8, 2, 5, 1 — the 2 is out of place.
        assert_eq!(run(&[9, 8, 2, 5, 1]), unsorted(2, Some(2)));
        // Two rows set the direction only: 3, 1, 2 reads as 3, 2 with the 1 out of place
        // or as 1, 2 with the 3 out of place; oldest first is the likelier reading, and the
        // 3 is not one of the two rows in question, so the row that shows it is blamed.
        assert_eq!(run(&[3, 1, 2]), unsorted(1, None));
        assert_eq!(run(&[1, 2, 2]), Err(Disorder::Duplicate));
    }
}
