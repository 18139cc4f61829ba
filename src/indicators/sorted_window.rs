//! The last `n` values kept both in arrival order and sorted: what rank-based indicators
//! (percent rank, percentiles, the median) read.

use super::window::Window;

/// The last `capacity` values, in a ring (arrival order) and in a sorted vector. A push
/// inserts and removes by binary search: O(log n) to find, O(n) to shift (a `memmove` of at
/// most `n` numbers), so a year's window costs about as much as a few hundred additions.
#[derive(Debug, Clone)]
pub(crate) struct SortedWindow {
    ring: Window,
    sorted: Vec<f64>,
}

impl SortedWindow {
    /// An empty window of at most `capacity >= 1` values.
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            ring: Window::new(capacity),
            sorted: Vec::with_capacity(capacity),
        }
    }

    pub(crate) fn is_full(&self) -> bool {
        self.ring.is_full()
    }

    /// Appends a finite `x`, dropping the oldest value when full.
    pub(crate) fn push(&mut self, x: f64) {
        if let Some(old) = self.ring.push(x) {
            let at = self.sorted.partition_point(|&v| v < old);
            self.sorted.remove(at);
        }
        let at = self.sorted.partition_point(|&v| v <= x);
        self.sorted.insert(at, x);
    }

    /// How many values held are less than or equal to `x`.
    pub(crate) fn count_at_most(&self, x: f64) -> usize {
        self.sorted.partition_point(|&v| v <= x)
    }

    /// The values held, smallest first.
    pub(crate) fn sorted(&self) -> &[f64] {
        &self.sorted
    }
}

#[cfg(test)]
mod tests {
    use super::SortedWindow;

    #[test]
    fn keeps_the_last_values_sorted() {
        let mut w = SortedWindow::new(3);
        for x in [5.0, 1.0, 3.0, 2.0, 5.0] {
            w.push(x);
        }
        // The last three: 3, 2, 5.
        assert_eq!(w.sorted(), [2.0, 3.0, 5.0]);
        assert_eq!(w.count_at_most(3.0), 2);
        assert_eq!(w.count_at_most(1.0), 0);
        assert!(w.is_full());
    }

    #[test]
    fn equal_values_leave_one_at_a_time() {
        let mut w = SortedWindow::new(2);
        for x in [4.0, 4.0, 1.0] {
            w.push(x);
        }
        assert_eq!(w.sorted(), [1.0, 4.0]);
    }
}
