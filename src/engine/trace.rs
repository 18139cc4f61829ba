//! What a run records beyond its curves when a report will draw it (`--report`): every
//! symbol's close and the value held in it at each bar, and the values of chosen terms (the
//! rules' conditions and what they compare). A plain run asks for none of it and pays
//! nothing: the loop checks one `Option` per bar.

use super::compile::Scope;
use super::frame::Frame;
use super::plan::Plan;
use crate::check::Term;

/// What to record at every bar besides the holdings: the values of these terms, as the
/// rules read them (on the bar's close, at the decision point).
#[derive(Clone, Debug, Default)]
pub struct Trace {
    pub terms: Vec<Term>,
}

/// The record of a traced run: one entry a bar in each inner vector.
#[derive(Clone, Debug, Default)]
pub struct Detail {
    /// The run's symbols (traded, benchmark and read), in the frame's order.
    pub symbols: Vec<String>,
    /// Each symbol's close at each bar (NaN where it has no price yet).
    pub close: Vec<Vec<f64>>,
    /// The value held in each symbol at each bar's close, after the bar's orders, USD; 0
    /// while not held or without a price (as the equity counts it).
    pub held: Vec<Vec<f64>>,
    /// Each traced term's value at each bar, in [`Trace::terms`] order; NaN where not
    /// available. A condition is 1 where it holds and 0 where it does not.
    pub terms: Vec<Vec<f64>>,
}

/// Records a [`Detail`] bar by bar inside the loop.
pub(super) struct Recorder {
    slots: Vec<usize>,
    detail: Detail,
}

impl Recorder {
    /// Compiles the traced terms into the plan (each is a slot the rules compiled already
    /// when it is one of their conditions or a part of one; the plan shares equal terms).
    pub(super) fn new(trace: &Trace, plan: &mut Plan, scope: &Scope) -> Recorder {
        let n = scope.frame.len();
        let slots: Vec<usize> = trace.terms.iter().map(|t| plan.compile(t, scope)).collect();
        let symbols = &scope.frame.symbols;
        Recorder {
            detail: Detail {
                symbols: symbols.iter().map(|s| s.name.clone()).collect(),
                close: Vec::new(),
                held: vec![Vec::with_capacity(n); symbols.len()],
                terms: vec![Vec::with_capacity(n); slots.len()],
            },
            slots,
        }
    }

    /// Bar `t` after its orders: `shares` held per symbol, `value` reads a slot at `t`.
    pub(super) fn bar(&mut self, t: usize, frame: &Frame, shares: &[f64], value: &impl Fn(usize) -> f64) {
        for (s, held) in self.detail.held.iter_mut().enumerate() {
            let price = frame.symbols[s].close[t];
            let q = shares[s];
            held.push(if q == 0.0 || price.is_nan() { 0.0 } else { q * price });
        }
        for (values, &slot) in self.detail.terms.iter_mut().zip(&self.slots) {
            values.push(value(slot));
        }
    }

    /// The record, with the closes of the bars recorded: the frame's last ones (the run
    /// records every bar of its period, which ends the frame; warm-up bars before it are
    /// not recorded).
    pub(super) fn finish(mut self, frame: &Frame) -> Detail {
        let n = self.detail.held.first().map_or(0, Vec::len);
        let first = frame.len().saturating_sub(n);
        self.detail.close = frame.symbols.iter().map(|s| s.close[first..].to_vec()).collect();
        self.detail
    }
}
