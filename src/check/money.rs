//! The money settings: `cash interest`, `cost basis`, `tax` and `fx spread`
//! (src/money/, docs/TAXES.md).

use super::*;

use crate::money::{Rate, TaxRule};
use crate::syntax::ast::Tax;

impl Checker<'_> {
    /// `cash interest 4.5%` (a constant yearly rate, 0% to 100%) or `cash interest DFF` (a
    /// series of yearly rates in percent).
    pub(super) fn cash_interest(&mut self, rate: &Expr) -> Option<Rate> {
        let mut e = rate;
        while let ExprKind::Group(inner) = &e.kind {
            e = inner;
        }
        if let ExprKind::Name(name) = &e.kind
            && !self.params.contains_key(&name.text)
        {
            self.series(name);
            return Some(Rate::Series(name.text.clone()));
        }
        self.percent(rate, "cash interest", 0.0, 1.0).map(Rate::Fixed)
    }

    /// `tax korea` or `tax capital gains 22% [above 2500000 KRW] yearly`.
    pub(super) fn tax(&mut self, tax: &Tax) -> Option<TaxRule> {
        match tax {
            Tax::Korea(span) => {
                if self.currency.as_deref() != Some("KRW") {
                    self.invalid(
                        *span,
                        "`tax korea` computes gains in KRW, but the strategy has no KRW rates".into(),
                        "add `currency KRW using <series of KRW per USD>`, such as `currency KRW using usdkrw`",
                    );
                    return None;
                }
                Some(TaxRule::korea())
            }
            Tax::CapitalGains { rate, above, .. } => {
                let rate = self.percent(rate, "a capital gains tax", 0.0, 1.0);
                let deduction = match above {
                    Some(m) => Some(self.money(m, "a tax deduction", true)?),
                    None => None,
                };
                Some(TaxRule {
                    name: "capital gains".into(),
                    rate: rate?,
                    deduction: deduction.as_ref().map_or(0.0, |m| m.amount),
                    in_base: deduction.is_some_and(|m| !m.is_usd()),
                })
            }
        }
    }

    /// `fx spread 0.25%`: 0% to 10%, and only with a base currency to convert from.
    pub(super) fn fx_spread(&mut self, spread: &Expr) -> Option<f64> {
        let p = self.percent(spread, "an fx spread", 0.0, 0.1)?;
        if self.currency.is_none() {
            self.invalid(
                spread.span,
                "an fx spread needs a currency to convert from".into(),
                "add `currency KRW using <series of KRW per USD>`: the spread applies to each conversion to and from USD",
            );
            return None;
        }
        Some(p)
    }
}
