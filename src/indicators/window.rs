//! The ring buffer every windowed indicator keeps its recent values in.

/// The last `capacity` values pushed, the oldest overwritten first.
///
/// Storage is allocated once in [`Window::new`], so pushing never allocates.
#[derive(Debug, Clone)]
pub(crate) struct Window {
    values: Box<[f64]>,
    /// Where the next value goes; once the window is full this is also the oldest value.
    next: usize,
    len: usize,
}

impl Window {
    /// An empty window holding at most `capacity >= 1` values.
    pub(crate) fn new(capacity: usize) -> Self {
        assert!(capacity >= 1, "a window holds at least one value");
        Self {
            values: vec![f64::NAN; capacity].into_boxed_slice(),
            next: 0,
            len: 0,
        }
    }

    #[inline]
    pub(crate) fn capacity(&self) -> usize {
        self.values.len()
    }

    #[inline]
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    #[inline]
    pub(crate) fn is_full(&self) -> bool {
        self.len == self.capacity()
    }

    /// Appends `x` and returns the value it pushed out, if the window was already full.
    #[inline]
    pub(crate) fn push(&mut self, x: f64) -> Option<f64> {
        let evicted = self.is_full().then(|| self.values[self.next]);
        self.values[self.next] = x;
        // A branch instead of `%`: this runs once per bar for every indicator.
        self.next += 1;
        if self.next == self.capacity() {
            self.next = 0;
        }
        if evicted.is_none() {
            self.len += 1;
        }
        evicted
    }

    /// The value pushed `k` pushes ago: `ago(0)` is the newest.
    #[inline]
    pub(crate) fn ago(&self, k: usize) -> f64 {
        assert!(k < self.len, "asked for a value older than the window holds");
        let capacity = self.capacity();
        // Below twice the capacity (`next < capacity`, `k < len`): one subtraction, no division.
        let i = self.next + capacity - 1 - k;
        self.values[if i >= capacity { i - capacity } else { i }]
    }

    /// The values from oldest to newest.
    pub(crate) fn iter(&self) -> impl Iterator<Item = f64> + '_ {
        // Oldest first: the values from the oldest to the end of the ring, then those that
        // wrapped round to its start (no division per value: re-summing a window, every
        // `capacity` pushes, is much of an SMA's work).
        let capacity = self.capacity();
        let oldest = (self.next + capacity - self.len) % capacity;
        let first = (capacity - oldest).min(self.len);
        let wrapped = self.len - first;
        self.values[oldest..oldest + first]
            .iter()
            .chain(&self.values[..wrapped])
            .copied()
    }
}

#[cfg(test)]
mod tests {
    use super::Window;

    #[test]
    fn keeps_the_last_values_in_order_and_reports_evictions() {
        let mut window = Window::new(3);
        assert_eq!(window.push(1.0), None);
        assert_eq!(window.push(2.0), None);
        assert!(!window.is_full());
        assert_eq!(window.push(3.0), None);
        assert!(window.is_full());
        assert_eq!(window.push(4.0), Some(1.0));
        assert_eq!(window.push(5.0), Some(2.0));
        assert_eq!(window.iter().collect::<Vec<_>>(), [3.0, 4.0, 5.0]);
        assert_eq!((window.ago(0), window.ago(1), window.ago(2)), (5.0, 4.0, 3.0));
        assert_eq!(window.len(), 3);
    }

    #[test]
    fn partial_window_iterates_what_it_holds() {
        let mut window = Window::new(4);
        window.push(7.0);
        window.push(8.0);
        assert_eq!(window.iter().collect::<Vec<_>>(), [7.0, 8.0]);
        assert_eq!(window.ago(1), 7.0);
    }

    #[test]
    fn capacity_one_holds_only_the_newest() {
        let mut window = Window::new(1);
        assert_eq!(window.push(1.0), None);
        assert_eq!(window.push(2.0), Some(1.0));
        assert_eq!(window.ago(0), 2.0);
    }
}
