//! The running maximum or minimum of a sliding window, amortised O(1) per value.

use std::collections::VecDeque;

/// Which extreme a [`MonotonicWindow`] tracks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Extreme {
    Highest,
    Lowest,
}

/// The extreme of the last `n` values, kept as a deque of the values that can still become
/// the extreme: each new value removes the older ones it beats, which can never win again.
/// Every value is pushed and popped at most once, hence amortised O(1).
#[derive(Debug, Clone)]
pub(crate) struct MonotonicWindow {
    n: usize,
    extreme: Extreme,
    pushed: u64,
    /// `(push index, value)`, oldest first, values strictly decreasing (highest) or
    /// increasing (lowest); the front is the extreme of the window.
    candidates: VecDeque<(u64, f64)>,
}

impl MonotonicWindow {
    /// An empty window of `n >= 1` values.
    pub(crate) fn new(n: usize, extreme: Extreme) -> Self {
        assert!(n >= 1, "a window holds at least one value");
        Self {
            n,
            extreme,
            pushed: 0,
            // After expiring old entries at most n - 1 remain, plus the new one: never more
            // than n, so this never reallocates.
            candidates: VecDeque::with_capacity(n),
        }
    }

    /// Adds a finite value; returns the extreme of the last `n` values, NaN until `n` arrived.
    pub(crate) fn push(&mut self, x: f64) -> f64 {
        let index = self.pushed;
        self.pushed += 1;
        while let Some(&(oldest, _)) = self.candidates.front() {
            if oldest + self.n as u64 > index {
                break;
            }
            self.candidates.pop_front();
        }
        while let Some(&(_, newest)) = self.candidates.back() {
            let beaten = match self.extreme {
                Extreme::Highest => newest <= x,
                Extreme::Lowest => newest >= x,
            };
            if !beaten {
                break;
            }
            self.candidates.pop_back();
        }
        self.candidates.push_back((index, x));
        if self.pushed < self.n as u64 {
            return f64::NAN;
        }
        self.candidates.front().expect("the value just pushed is a candidate").1
    }
}
