//! Amounts and weights computed when a rule fires (issue 18): `(2 * base) USD`, `(n)
//! shares`, `(k * 10%) of cash`, `rebalance … weighted by EXPR` and `weighted equally`.

use super::*;

use crate::syntax::ast::{self, Amount, Expr, Name};

impl Checker<'_> {
    /// An amount whose number is not known before the run — `(cash / 10) USD`, `(n)
    /// shares`, `(k * 10%) of cash` with `n` and `k` not constants — as its size (a
    /// placeholder number) and the term computed when the rule fires. `None` for any other
    /// amount, checked as a constant.
    pub(super) fn computed_amount(&mut self, a: &Amount) -> Option<(Size, Option<Term>)> {
        let (value, size) = match a {
            Amount::Money { value, currency, .. } => (
                value,
                Size::Money {
                    amount: f64::NAN,
                    base: currency != "USD",
                },
            ),
            Amount::Shares(e) => (e, Size::Shares(f64::NAN)),
            Amount::Fraction { share, of, .. } => (share, Size::Fraction(f64::NAN, *of)),
            Amount::All(_) | Amount::Value(_) => return None,
        };
        if self.constant(value).is_some() {
            return None;
        }
        if let Amount::Money { currency, .. } = a {
            self.currency_code(Some(currency), value.span);
        }
        let Typed { ty, term } = self.expr(value, false);
        match ty {
            Ty::Error => {}
            Ty::Money => self.money_twice(value),
            Ty::Bool | Ty::Duration => self.expect_numeric(ty, value),
            _ => {}
        }
        Some((size, Some(term)))
    }

    /// `(2 * base) USD` where `base` is money already.
    pub(super) fn money_twice(&mut self, value: &Expr) {
        self.invalid(
            value.span,
            "this amount is money already".into(),
            "leave out the currency after the parentheses (`buy 2 * base of IWM`), or make the parameter a plain number",
        );
    }

    /// `rebalance to A, B weighted equally` (1/N each, as fixed weights) or `… weighted by
    /// EXPR` (each symbol's value of the expression, computed when the rule fires).
    pub(super) fn weighted(
        &mut self,
        symbols: &[Name],
        weighting: &ast::Weighting,
        tolerance: Option<&Expr>,
    ) -> Action {
        self.no_repeats(symbols.iter(), "list each symbol once");
        let names: Vec<String> = symbols
            .iter()
            .map(|s| self.symbol(s).unwrap_or_else(|| s.text.clone()))
            .collect();
        let tolerance = self.tolerance(tolerance);
        match weighting {
            ast::Weighting::Equally(_) => {
                let w = 1.0 / names.len() as f64;
                Action::Rebalance {
                    targets: names.into_iter().map(|s| (s, w)).collect(),
                    tolerance,
                }
            }
            ast::Weighting::By(by) => {
                let by = self.with_subject(by);
                let Typed { ty, term } = self.expr(&by, true);
                self.expect_numeric(ty, &by);
                if ty != Ty::Error && !reads_subject(&term) {
                    self.no_effects.push(NoEffect {
                        message: "these weights do not read the symbol: every symbol gets the same value, so the same weight".into(),
                        label: "the same for every symbol".into(),
                        help: "write `weighted equally`, or an expression of each symbol such as `weighted by 1 / volatility(63 days)`"
                            .into(),
                        span: by.span,
                    });
                }
                Action::Weighted {
                    symbols: names,
                    by: term,
                    tolerance,
                }
            }
        }
    }
}

/// Whether a `weighted by` or `rotate … by` term reads the symbol it weighs or ranks; one
/// that does not has the same value for every symbol.
pub(super) fn reads_subject(term: &Term) -> bool {
    term.walk().any(|t| matches!(t, Term::Subject))
}
