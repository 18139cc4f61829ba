//! The money settings: `cash interest`, `cost basis`, `tax`, `fx spread` and dividends
//! paid as cash (src/money/, docs/TAXES.md).

use super::*;

use crate::money::{Payout, Rate, TaxRule};
use crate::syntax::ast::{Dividends, Tax};

/// The dividend withholding of `tax korea`: the US–Korea tax treaty's 15% (docs/TAXES.md).
pub const KOREA_DIVIDEND_WITHHOLDING: f64 = 0.15;

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
            // Checked in `statement` (a setting of its own, beside a capital-gains rule).
            Tax::Dividends { .. } => None,
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

    /// `dividends cash`, `reinvest dividends` or `dividends "FILE" for SYMBOL`: dividends
    /// are paid as cash (a file's line also loads it, as a `data` line does).
    pub(super) fn dividends(&mut self, how: &Dividends, span: Span, s: &mut Program) {
        let reinvest = match how {
            Dividends::Cash => {
                self.once("dividends cash", span);
                false
            }
            Dividends::Reinvest => {
                self.once("reinvest dividends", span);
                true
            }
            Dividends::File { path, symbol } => {
                self.symbol(symbol);
                s.data.push(DataLine::dividends(path, symbol));
                false
            }
        };
        let payout = s.money.dividends.get_or_insert(Payout { reinvest, span });
        payout.reinvest |= reinvest;
    }

    /// The rate withheld from dividends: `tax dividends`, else 15% under `tax korea`. A
    /// `tax dividends` line without dividends paid as cash is an error: nothing would be
    /// withheld.
    pub(super) fn dividend_withholding(&mut self, s: &mut Program) {
        let korea = s.money.tax.as_ref().is_some_and(|t| t.name == "korea");
        s.money.dividend_tax = match self.dividend_tax {
            Some((rate, span)) => {
                if s.money.dividends.is_none() {
                    self.invalid(
                        span,
                        "`tax dividends` withholds from dividends paid as cash, but the strategy pays none".into(),
                        "add `dividends cash` (or `reinvest dividends`) with data that has dividends; \
                         without it, dividends stay inside adjusted prices and are not taxed",
                    );
                }
                rate
            }
            None if korea => KOREA_DIVIDEND_WITHHOLDING,
            None => 0.0,
        };
    }
}
