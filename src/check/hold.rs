//! `hold IWM if close(IWM) > sma(IWM, 200) else AGG`: one condition choosing between two
//! allocations, each checked as a rebalance's targets.

use super::*;

use crate::syntax::ast::{HoldSide, Holding};

impl Checker<'_> {
    /// The action of a `hold` line: both sides' weights (fractions, adding up to 100% with
    /// any `cash N%`), the condition, and the tolerance.
    pub(super) fn hold(
        &mut self,
        then: &HoldSide,
        condition: &Expr,
        otherwise: &HoldSide,
        tolerance: Option<&Expr>,
    ) -> Action {
        let Typed { ty, term } = self.expr(condition, false);
        self.expect_condition(ty, condition);
        let sides = side_span(then).to(side_span(otherwise));
        let then = self.hold_side(then);
        let otherwise = self.hold_side(otherwise);
        if same_weights(&then, &otherwise) {
            self.no_effects.push(NoEffect {
                message: "both sides of this `hold` are the same: the condition changes nothing".into(),
                label: "the same holdings either way".into(),
                help: "write the other side the condition should switch to (such as `else AGG` or `else cash`), or `rebalance` to hold these weights always"
                    .into(),
                span: sides,
            });
        }
        let tolerance = self.tolerance(tolerance);
        Action::Hold {
            condition: term,
            then,
            otherwise,
            tolerance,
        }
    }

    /// One side: a symbol is all of the portfolio, `cash` none of it, weights as in a
    /// rebalance (named once each, adding up to 100%).
    fn hold_side(&mut self, side: &HoldSide) -> Vec<(String, f64)> {
        match side {
            HoldSide::Cash(_) => Vec::new(),
            HoldSide::Symbol(name) => {
                let symbol = self.symbol(name).unwrap_or_else(|| name.text.clone());
                vec![(symbol, 1.0)]
            }
            HoldSide::Weights(targets) => {
                let names = targets.iter().filter_map(|t| match &t.holding {
                    Holding::Symbol(name) => Some(name),
                    Holding::Cash(_) => None,
                });
                self.no_repeats(names, "give each symbol one weight: the sum of the two");
                let mut weights = Vec::with_capacity(targets.len());
                let mut total = 0.0;
                let mut all_ok = true;
                for t in targets {
                    let symbol = match &t.holding {
                        Holding::Symbol(name) => Some(self.symbol(name).unwrap_or_else(|| name.text.clone())),
                        Holding::Cash(_) => None,
                    };
                    match self.weight(&t.weight) {
                        Some(w) => {
                            total += w;
                            weights.extend(symbol.map(|s| (s, w)));
                        }
                        None => all_ok = false,
                    }
                }
                if all_ok && let (Some(first), Some(last)) = (targets.first(), targets.last()) {
                    self.weights_add_up(total, first.span.to(last.span));
                }
                weights
            }
        }
    }
}

/// Where a side is written.
fn side_span(side: &HoldSide) -> Span {
    match side {
        HoldSide::Cash(span) => *span,
        HoldSide::Symbol(name) => name.span,
        HoldSide::Weights(targets) => match (targets.first(), targets.last()) {
            (Some(first), Some(last)) => first.span.to(last.span),
            _ => Span::default(),
        },
    }
}

/// Whether two sides hold the same weights, in any order (`cash` is what they leave over).
fn same_weights(a: &[(String, f64)], b: &[(String, f64)]) -> bool {
    let sorted = |side: &[(String, f64)]| {
        let mut v: Vec<(String, f64)> = side.iter().filter(|(_, w)| *w > 0.0).cloned().collect();
        v.sort_by(|x, y| x.0.cmp(&y.0));
        v
    };
    let (a, b) = (sorted(a), sorted(b));
    a.len() == b.len() && a.iter().zip(&b).all(|(x, y)| x.0 == y.0 && (x.1 - y.1).abs() < 1e-12)
}
