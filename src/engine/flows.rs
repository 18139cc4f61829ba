//! A run's external cash flows, one a bar, kept sparse: most bars have none (a run with
//! only its starting capital has one flow in 500,000 bars), so only the bars whose flow is
//! not zero are stored, with their amounts, and every other bar reads 0.

use std::ops::Index;

/// What a bar without a stored flow reads.
static NO_FLOW: f64 = 0.0;

/// Each bar's external cash flow (money in positive, USD or the base currency as the
/// holder says), `len()` bars long.
///
/// Stored: the bars whose flow is anything but `+0.0` (bit for bit, so `-0.0` and NaN are
/// kept as they were), ascending, with their amounts — 16 bytes a flow instead of 8 a bar.
/// Every bar reads exactly what was pushed for it: `flows[t]` and [`Flows::get`] give
/// `+0.0` for the bars not stored, [`Flows::iter`] walks every bar in order.
#[derive(Clone, Debug, Default)]
pub struct Flows {
    bars: usize,
    at: Vec<(usize, f64)>,
}

impl Flows {
    /// No bars yet.
    pub fn new() -> Flows {
        Flows::default()
    }

    /// Appends the next bar's flow.
    #[inline]
    pub fn push(&mut self, flow: f64) {
        if flow.to_bits() != 0 {
            self.at.push((self.bars, flow));
        }
        self.bars += 1;
    }

    /// The number of bars (with a flow or not).
    pub fn len(&self) -> usize {
        self.bars
    }

    /// Whether there are no bars.
    pub fn is_empty(&self) -> bool {
        self.bars == 0
    }

    /// Bar `t`'s flow (`+0.0` without one), or `None` past the last bar. A binary search
    /// among the stored flows: walk with [`Flows::iter`] to read them all.
    pub fn get(&self, t: usize) -> Option<f64> {
        (t < self.bars).then(|| self.stored(t).map_or(0.0, |k| self.at[k].1))
    }

    /// The index in `at` of bar `t`'s stored flow.
    fn stored(&self, t: usize) -> Option<usize> {
        self.at.binary_search_by_key(&t, |&(bar, _)| bar).ok()
    }

    /// The bars with a flow other than `+0.0`, ascending, and their amounts.
    pub fn nonzero(&self) -> &[(usize, f64)] {
        &self.at
    }

    /// Every bar's flow in order, `+0.0` where there is none: `len()` values.
    pub fn iter(&self) -> Iter<'_> {
        Iter {
            bar: 0,
            bars: self.bars,
            rest: &self.at,
        }
    }

    /// Calls `f(t, flow)` for each of the first `bars` bars (no more than `len()`), in
    /// order: the walk for a pass over every bar, which reads nothing for the bars without
    /// a flow (cheaper than [`Flows::iter`] or indexing bar by bar).
    #[inline]
    pub fn each(&self, bars: usize, mut f: impl FnMut(usize, f64)) {
        // One call of `f` in the loop, so that it is inlined; the bar of the next stored
        // flow is compared, nothing is read, on the bars between.
        let bar_of = |k: usize| self.at.get(k).map_or(usize::MAX, |&(bar, _)| bar);
        let (mut k, mut next) = (0, bar_of(0));
        for t in 0..bars.min(self.bars) {
            let mut flow = 0.0;
            if t == next {
                flow = self.at[k].1;
                k += 1;
                next = bar_of(k);
            }
            f(t, flow);
        }
    }

    /// Every bar's flow as one value a bar.
    pub fn to_vec(&self) -> Vec<f64> {
        self.iter().collect()
    }
}

impl From<&[f64]> for Flows {
    fn from(flows: &[f64]) -> Flows {
        flows.iter().copied().collect()
    }
}

impl From<Vec<f64>> for Flows {
    fn from(flows: Vec<f64>) -> Flows {
        Flows::from(&flows[..])
    }
}

impl<const N: usize> From<[f64; N]> for Flows {
    fn from(flows: [f64; N]) -> Flows {
        Flows::from(&flows[..])
    }
}

impl FromIterator<f64> for Flows {
    fn from_iter<I: IntoIterator<Item = f64>>(flows: I) -> Flows {
        let mut out = Flows::new();
        for flow in flows {
            out.push(flow);
        }
        out
    }
}

/// Bar `t`'s flow; panics past the last bar, as a slice does.
impl Index<usize> for Flows {
    type Output = f64;

    fn index(&self, t: usize) -> &f64 {
        assert!(t < self.bars, "bar {t} of {} bars' flows", self.bars);
        self.stored(t).map_or(&NO_FLOW, |k| &self.at[k].1)
    }
}

/// Equal when every bar's flow compares equal (as two slices of `f64` do).
impl PartialEq for Flows {
    fn eq(&self, other: &Flows) -> bool {
        self.bars == other.bars && self.iter().eq(other.iter())
    }
}

impl<'a> IntoIterator for &'a Flows {
    type Item = f64;
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

/// Every bar's flow in order ([`Flows::iter`]).
#[derive(Clone, Debug)]
pub struct Iter<'a> {
    bar: usize,
    bars: usize,
    /// The stored flows not reached yet.
    rest: &'a [(usize, f64)],
}

impl Iterator for Iter<'_> {
    type Item = f64;

    #[inline]
    fn next(&mut self) -> Option<f64> {
        if self.bar >= self.bars {
            return None;
        }
        let t = self.bar;
        self.bar += 1;
        match self.rest.split_first() {
            Some((&(bar, flow), rest)) if bar == t => {
                self.rest = rest;
                Some(flow)
            }
            _ => Some(0.0),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.bars - self.bar;
        (n, Some(n))
    }
}

impl ExactSizeIterator for Iter<'_> {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bar_reads_what_was_pushed_to_the_bit() {
        let pushed = [1000.0, 0.0, -0.0, 0.0, f64::NAN, -40.5, 0.0, 1e-300];
        let flows = Flows::from(&pushed[..]);
        assert_eq!(flows.len(), pushed.len());
        // Only the +0.0 bars are left out: -0.0, NaN and tiny amounts are kept.
        assert_eq!(flows.nonzero().len(), 5);
        let bits = |v: &[f64]| v.iter().map(|f| f.to_bits()).collect::<Vec<_>>();
        assert_eq!(bits(&flows.to_vec()), bits(&pushed));
        for (t, want) in pushed.iter().enumerate() {
            assert_eq!(flows[t].to_bits(), want.to_bits(), "bar {t}");
            assert_eq!(flows.get(t).map(f64::to_bits), Some(want.to_bits()), "bar {t}");
        }
        assert_eq!(flows.get(pushed.len()), None);
        assert_eq!(flows.iter().len(), pushed.len());
        for bars in [0, 1, 4, pushed.len(), pushed.len() + 3] {
            let mut walked = Vec::new();
            flows.each(bars, |t, flow| walked.push((t, flow.to_bits())));
            let want: Vec<_> = (pushed.iter().enumerate().take(bars))
                .map(|(t, f)| (t, f.to_bits()))
                .collect();
            assert_eq!(walked, want, "{bars} bars");
        }
    }

    #[test]
    fn bars_without_flows_still_count() {
        let flows = Flows::from([0.0; 4]);
        assert_eq!((flows.len(), flows.nonzero().len()), (4, 0));
        assert_eq!(flows.to_vec(), vec![0.0; 4]);
        assert!(Flows::new().is_empty());
        assert_eq!(Flows::new().iter().next(), None);
    }

    #[test]
    #[should_panic(expected = "bar 2 of 2 bars")]
    fn past_the_last_bar_panics_as_a_slice_does() {
        let _ = Flows::from([5.0, 0.0])[2];
    }

    #[test]
    fn equal_as_slices_are() {
        assert_eq!(Flows::from([0.0, -0.0, 3.0]), Flows::from([-0.0, 0.0, 3.0]));
        assert_ne!(Flows::from([0.0, 3.0]), Flows::from([3.0, 0.0]));
        assert_ne!(Flows::from([0.0]), Flows::from([0.0, 0.0]));
    }
}
