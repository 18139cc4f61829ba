//! Constant amounts, percentages and schedules in settings.

use super::*;

use crate::syntax::ast::*;

impl Checker<'_> {
    // ------------------------------------------------------------ settings

    /// A constant amount of money.
    pub(super) fn money(&mut self, e: &Expr, what: &str, zero_ok: bool) -> Option<Money> {
        let ty = self.expr(e, false);
        if ty == Ty::Error {
            return None;
        }
        match self.constant(e) {
            Some(Const::Money(amount, currency)) if amount > 0.0 || (zero_ok && amount == 0.0) => Some(Money {
                amount,
                currency,
                span: e.span,
            }),
            Some(Const::Money(..)) => {
                self.invalid(
                    e.span,
                    format!("{what} must be a positive amount"),
                    "write an amount such as `500 USD`",
                );
                None
            }
            Some(Const::Number(n)) => {
                self.invalid(
                    e.span,
                    format!("`{n}` has no currency"),
                    &format!("write `{n} USD` or `${n}`"),
                );
                None
            }
            _ => {
                self.invalid(
                    e.span,
                    format!("{what} needs a fixed amount of money"),
                    "write an amount such as `500 USD` or `$500`",
                );
                None
            }
        }
    }

    /// A constant percentage between `lo` and `hi` (as fractions).
    pub(super) fn percent(&mut self, e: &Expr, what: &str, lo: f64, hi: f64) -> Option<f64> {
        let ty = self.expr(e, false);
        if ty == Ty::Error {
            return None;
        }
        match self.constant(e) {
            Some(Const::Percent(p)) if (lo..=hi).contains(&p) => Some(p),
            Some(Const::Percent(p)) => {
                self.invalid(
                    e.span,
                    format!("{what} of {}% is out of range", p * 100.0),
                    &format!("{what} is between {}% and {}%", lo * 100.0, hi * 100.0),
                );
                None
            }
            Some(Const::Money(..)) => {
                self.invalid(
                    e.span,
                    format!("{what} is a percentage, not money"),
                    "write it with `%`, such as `0.05%`",
                );
                None
            }
            _ => {
                self.invalid(
                    e.span,
                    format!("{what} must be a percentage"),
                    "write it with `%`, such as `0.05%`",
                );
                None
            }
        }
    }

    /// `bars per year N`: a plain number of bars from 1 (yearly bars) to 525,600 (one a
    /// minute, around the clock).
    pub(super) fn bars_per_year(&mut self, e: &Expr) -> Option<f64> {
        if self.expr(e, false) == Ty::Error {
            return None;
        }
        match self.constant(e) {
            Some(Const::Number(n)) if (1.0..=525_600.0).contains(&n) => Some(n),
            _ => {
                self.invalid(
                    e.span,
                    "bars per year must be a number from 1 to 525,600".into(),
                    "write the number of bars in a year of your data, such as `bars per year 52` for weekly bars",
                );
                None
            }
        }
    }

    pub(super) fn invalid(&mut self, span: Span, message: String, help: &str) {
        self.errors.push(CheckError::InvalidValue {
            message,
            span,
            label: "here".into(),
            help: help.to_string(),
        });
    }

    pub(super) fn schedule(&mut self, s: &Schedule) {
        let bad = |this: &mut Self, msg: &str, help: &str| this.invalid(s.span, msg.to_string(), help);
        match &s.kind {
            ScheduleKind::Monthly(Some(Anchor::Day(d)))
            | ScheduleKind::Quarterly(Some(Anchor::Day(d)))
            | ScheduleKind::Yearly(Some(Anchor::Day(d)))
                if !(1..=31).contains(d) =>
            {
                bad(
                    self,
                    &format!("there is no day {d} in a month"),
                    "write a day from 1 to 31",
                )
            }
            ScheduleKind::Every { n: 0, .. } => bad(self, "`every 0` never repeats", "write a count of at least 1"),
            _ => {}
        }
    }
}
