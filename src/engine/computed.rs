//! What a rule computes when it fires: an amount (`(2 * base) USD`) and the weights of a
//! `rebalance … weighted by` (issue 18). Values that do not resolve place no order, or get
//! no weight, and are counted ([`super::Counters`]): never a plausible number in their place.

use super::action::Engine;
use crate::check::Size;

impl Engine<'_> {
    /// A computed amount's size, its value `v` at the decision in place of its number: no
    /// order, counted, when the value is not available (or infinite), zero or negative.
    pub(super) fn computed_size(&mut self, size: Size, v: f64) -> Option<Size> {
        if !v.is_finite() {
            self.counters.amount_not_available += 1;
            None
        } else if v <= 0.0 {
            self.counters.amount_not_positive += 1;
            None
        } else {
            Some(size.with(v))
        }
    }

    /// A `weighted by` rebalance's target weights at bar `t`: each symbol's value of the
    /// expression over their sum. A weight that does not resolve — not available, negative
    /// or infinite, or a symbol without a price yet or without a current one
    /// ([`Self::current`]) — is left out (its holding is sold, as any not listed) and the
    /// others renormalised, counted; when none resolves, or all are 0, nothing is placed,
    /// counted.
    pub(super) fn weights(
        &mut self,
        targets: &[(usize, usize)],
        value: &dyn Fn(usize) -> f64,
        t: usize,
    ) -> Option<Vec<(usize, f64)>> {
        let mut raw = Vec::with_capacity(targets.len());
        for &(s, slot) in targets {
            let v = value(slot);
            if self.listed(s, t) && self.current(s, t) && v.is_finite() && v >= 0.0 {
                raw.push((s, v));
            }
        }
        let total: f64 = raw.iter().map(|(_, v)| v).sum();
        if !(total > 0.0 && total.is_finite()) {
            self.counters.weights_unresolved += 1;
            return None;
        }
        if raw.len() < targets.len() {
            self.counters.weights_partly_resolved += 1;
        }
        Some(raw.into_iter().map(|(s, v)| (s, v / total)).collect())
    }
}
