//! Summation that does not drift over millions of rolling updates.

/// A running sum with Neumaier's compensation: the rounding error of each addition is
/// collected separately and added back on [`CompensatedSum::value`].
///
/// Rolling indicators add the newest value and subtract the evicted one every bar; a plain
/// `f64` sum would accumulate one rounding error per bar for as long as the backtest runs.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct CompensatedSum {
    sum: f64,
    compensation: f64,
}

impl CompensatedSum {
    /// The compensated sum of `values`.
    pub(crate) fn of(values: impl Iterator<Item = f64>) -> Self {
        let mut sum = Self::default();
        values.for_each(|x| sum.add(x));
        sum
    }

    #[inline]
    pub(crate) fn add(&mut self, x: f64) {
        let total = self.sum + x;
        // The low-order bits lost are those of the smaller operand.
        if self.sum.abs() >= x.abs() {
            self.compensation += (self.sum - total) + x;
        } else {
            self.compensation += (x - total) + self.sum;
        }
        self.sum = total;
    }

    #[inline]
    pub(crate) fn value(&self) -> f64 {
        self.sum + self.compensation
    }
}

#[cfg(test)]
mod tests {
    use super::CompensatedSum;

    #[test]
    fn recovers_what_plain_summation_loses() {
        // 1e16 + 1 rounds back to 1e16 in f64 (the spacing there is 2), so a plain sum of
        // [1e16, 1, 1, -1e16] is 0; the exact sum is 2.
        let values = [1e16, 1.0, 1.0, -1e16];
        assert_eq!(values.iter().sum::<f64>(), 0.0);
        assert_eq!(CompensatedSum::of(values.into_iter()).value(), 2.0);
    }
}
