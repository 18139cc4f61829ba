//! The money settings: `cash interest`, `cost basis`, `tax`, `account isa`, `fx spread`,
//! dividends paid as cash and `withdraw` (src/money/, docs/TAXES.md).

use super::*;

use crate::money::{Payout, Rate, TaxRule};
use crate::syntax::ast::{Date, Dividends, Schedule, Tax};

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

    /// Sets the strategy's one tax rule, made by `rule`: `tax …` and `account isa` both set
    /// it, and only one of them may be given.
    pub(super) fn tax_rule(&mut self, span: Span, s: &mut Program, rule: impl FnOnce(&mut Self) -> Option<TaxRule>) {
        // Spans compare equal whatever their place (for AST equality): compare offsets.
        let other = (self.seen.get("tax").into_iter())
            .chain(self.seen.get("account"))
            .any(|first| first.start != span.start);
        if other {
            self.errors.push(CheckError::InvalidValue {
                message: "a strategy has one tax rule: `tax` and `account isa` cannot both be given".into(),
                span,
                label: "a second tax rule".into(),
                help: "keep `account isa` for an ISA (it has its own tax rule), or `tax …` for an ordinary account"
                    .into(),
            });
            return;
        }
        s.money.tax = rule(self);
    }

    /// Checks that a KRW rule has KRW rates.
    fn needs_krw(&mut self, span: Span, what: &str) -> bool {
        if self.currency.as_deref() == Some("KRW") {
            return true;
        }
        self.invalid(
            span,
            format!("`{what}` computes gains in KRW, but the strategy has no KRW rates"),
            "add `currency KRW using <series of KRW per USD>`, such as `currency KRW using usdkrw`",
        );
        false
    }

    /// `account isa` or `account isa low-income`.
    pub(super) fn isa(&mut self, low_income: bool, span: Span) -> Option<TaxRule> {
        self.needs_krw(span, "account isa").then(|| TaxRule::isa(low_income))
    }

    /// `tax korea`, `tax korea-listed` or `tax capital gains 22% [above 2500000 KRW] yearly`.
    pub(super) fn tax(&mut self, tax: &Tax) -> Option<TaxRule> {
        match tax {
            // Checked in `statement` (a setting of its own, beside a capital-gains rule).
            Tax::Dividends { .. } => None,
            Tax::Korea(span) => self.needs_krw(*span, "tax korea").then(TaxRule::korea),
            Tax::KoreaListed(span) => self.needs_krw(*span, "tax korea-listed").then(TaxRule::korea_listed),
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
                    netting: crate::money::Netting::Yearly,
                    dividend_rate: None,
                    // A rate of the user's, in any currency: no Korean rounding.
                    in_won: false,
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
                self.not_both("reinvest dividends", "dividends cash", span);
                false
            }
            Dividends::Reinvest => {
                self.once("reinvest dividends", span);
                self.not_both("dividends cash", "reinvest dividends", span);
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

    /// `dividends cash` and `reinvest dividends` say opposite things of the same payments:
    /// `line` (here, at `span`) after `other` is an error at both.
    fn not_both(&mut self, other: &'static str, line: &'static str, span: Span) {
        if let Some(&first) = self.seen.get(other) {
            self.errors.push(CheckError::Contradiction {
                what: format!("`{other}` and `{line}`"),
                span,
                first,
                help: "keep one: `dividends cash` leaves each payment in cash, `reinvest dividends` buys more of the \
                       symbol with it"
                    .into(),
            });
        }
    }

    /// The rate withheld from dividends: `tax dividends`, else 15% under `tax korea`. A
    /// `tax dividends` line without dividends paid as cash is an error: nothing would be
    /// withheld.
    pub(super) fn dividend_withholding(&mut self, s: &mut Program) {
        let korea = s.money.tax.as_ref().is_some_and(|t| t.name == "korea");
        // `tax korea-listed`: a Korean-listed fund's distributions are taxed 15.4% at payment.
        // Under `account isa` they join the account's net income (money/ledger.rs).
        let listed = s.money.tax.as_ref().and_then(|t| t.dividend_rate);
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
            None => listed.unwrap_or(0.0),
        };
    }

    /// `withdraw AMOUNT SCHEDULE [from DATE]`: a positive amount of money (in USD or the
    /// base currency) or a percentage of the portfolio's value above 0% and at most 100%.
    pub(super) fn withdraw(
        &mut self,
        amount: &Expr,
        schedule: &Schedule,
        from: Option<&Date>,
        span: Span,
    ) -> Option<Withdrawal> {
        self.schedule(schedule);
        let amount = match self.constant(amount) {
            Some(Const::Percent(_)) => {
                let p = self.percent(amount, "a withdrawal", 0.0, 1.0)?;
                if p == 0.0 {
                    self.invalid(
                        amount.span,
                        "a withdrawal of 0% takes nothing".into(),
                        "write a share of the portfolio above 0%, such as `withdraw 4% yearly`",
                    );
                    return None;
                }
                WithdrawalAmount::Share(p)
            }
            _ => WithdrawalAmount::Money(self.money(amount, "a withdrawal", false)?),
        };
        Some(Withdrawal {
            amount,
            schedule: schedule.kind.clone(),
            from: from.map(|d| d.date),
            span,
        })
    }
}
