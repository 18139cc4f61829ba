//! Bars since a condition was last true (Pine's `ta.barssince`).

/// How many bars ago a condition was last true: 0 on a bar where it is true, 1 on the bar
/// after, and so on; NaN until it has been true once. A bar where the condition is not
/// available counts as a bar on which it was not true (it is not known to have been).
#[derive(Debug, Clone, Default)]
pub struct BarsSince {
    /// Bars since the last true bar, once there was one.
    count: Option<u64>,
}

impl BarsSince {
    pub fn new() -> Self {
        Self::default()
    }

    /// Feeds this bar's condition (non-zero is true, NaN not available) and returns the
    /// bars since it was last true.
    pub fn update(&mut self, x: f64) -> f64 {
        let holds = !x.is_nan() && x != 0.0;
        self.count = if holds { Some(0) } else { self.count.map(|c| c + 1) };
        self.count.map_or(f64::NAN, |c| c as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::BarsSince;

    #[test]
    fn hand_worked() {
        // false, true, false, NaN, true, false: never true yet, then 0, 1, 2, 0, 1.
        let mut b = BarsSince::new();
        let out = [0.0, 1.0, 0.0, f64::NAN, 1.0, 0.0].map(|x| b.update(x));
        assert!(out[0].is_nan());
        assert_eq!(&out[1..], &[0.0, 1.0, 2.0, 0.0, 1.0]);
    }

    #[test]
    fn a_condition_never_true_is_never_available() {
        let mut b = BarsSince::new();
        assert!((0..5).map(|_| b.update(0.0)).all(f64::is_nan));
    }
}
