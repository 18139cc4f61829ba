//! Constant amounts, percentages and schedules in settings.

use super::*;

use crate::syntax::ast::{Date, Expr, ExprKind, Fee, Name, Schedule, ShareMode};

impl Checker<'_> {
    // ------------------------------------------------------------ settings

    /// `contribute 500 USD monthly`
    pub(super) fn contribute(&mut self, amount: &Expr, schedule: &Schedule, span: Span, s: &mut Program) {
        self.schedule(schedule);
        if let Some(amount) = self.money(amount, "contribute", false) {
            s.contributions.push(Contribution {
                amount,
                schedule: schedule.kind.clone(),
                span,
            });
        }
    }

    /// `fees 0.05%, 1 USD per trade`: the parts add up.
    pub(super) fn fees(&mut self, fees: &[Fee], s: &mut Program) {
        for fee in fees {
            if fee.per_trade {
                if let Some(m) = self.money(&fee.amount, "a fee per trade", true) {
                    s.fee_per_trade += m.amount;
                }
            } else if let Some(p) = self.percent(&fee.amount, "fees", 0.0, 0.2) {
                s.fee_rate += p;
            }
        }
    }

    /// `expense IWO 0.24%, VTWG 0.10%`: one ratio per symbol, over all `expense` lines.
    pub(super) fn expenses(&mut self, items: &[(Name, Expr)], s: &mut Program) {
        for (name, ratio) in items {
            if let Some(first) = self.named_seen.insert(format!("expense {}", name.text), name.span) {
                self.errors.push(CheckError::DuplicateSetting {
                    what: format!("an expense ratio for `{}`", name.text),
                    span: name.span,
                    first,
                    help: format!("give `{}` one expense ratio", name.text),
                });
                continue;
            }
            let sym = self.symbol(name);
            if let (Some(sym), Some(r)) = (sym, self.percent(ratio, "an expense ratio", 0.0, 0.2)) {
                s.expenses.push((sym, r, name.span));
            }
        }
    }

    /// `currency KRW using usdkrw`
    pub(super) fn base_currency(&mut self, code: &Name, rate: &Name, span: Span) -> Currency {
        if code.text == "USD" {
            self.errors.push(CheckError::InvalidValue {
                message: "USD is already the base currency".into(),
                span: code.span,
                label: "no conversion needed".into(),
                help: "remove this line, or name the currency you invest in, such as `currency KRW using usdkrw`"
                    .into(),
            });
        }
        self.series(rate);
        Currency {
            code: code.text.clone(),
            rate_series: rate.text.clone(),
            span,
        }
    }

    /// `lag cpi_yoy 1 month`: the delay in calendar days and months; one per series (a
    /// second could only be a mistake about which delay applies).
    pub(super) fn lag(&mut self, series: &Name, by: &Expr, span: Span) -> Option<SeriesLag> {
        self.series(series);
        if let Some(first) = self.named_seen.insert(format!("lag {}", series.text), span) {
            self.errors.push(CheckError::DuplicateSetting {
                what: format!("a `lag` for `{}`", series.text),
                span,
                first,
                help: format!("keep one `lag {}` line: a series is read with one delay", series.text),
            });
            return None;
        }
        let ExprKind::Duration { amount, unit } = &by.kind else {
            return None;
        };
        let n = amount.value.round() as i32;
        let (days, months) = match unit {
            TimeUnit::Days => (n, 0),
            TimeUnit::Weeks => (7 * n, 0),
            TimeUnit::Months => (0, n),
            TimeUnit::Years => (0, 12 * n),
        };
        Some(SeriesLag {
            series: series.text.clone(),
            days,
            months,
            span,
        })
    }

    /// `stale [SERIES] after 30 days`: once per series, and once for every series.
    pub(super) fn stale(&mut self, series: Option<&Name>, after: &Expr, span: Span) -> Option<StaleAfter> {
        if let Some(name) = series {
            self.series(name);
        }
        let key = series.map_or_else(|| "stale after".to_string(), |n| format!("stale {} after", n.text));
        if let Some(first) = self.named_seen.insert(key, span) {
            self.errors.push(CheckError::setting_twice("stale after", span, first));
        }
        let ExprKind::Duration { amount, unit } = &after.kind else {
            return None;
        };
        let n = amount.value.round() as i32;
        if n < 1 {
            self.invalid(
                after.span,
                "a value cannot be stale before it is a day old".into(),
                "write a duration of at least a day, such as `stale after 30 days`",
            );
            return None;
        }
        let (days, months) = match unit {
            TimeUnit::Days => (n, 0),
            TimeUnit::Weeks => (7 * n, 0),
            TimeUnit::Months => (0, n),
            TimeUnit::Years => (0, 12 * n),
        };
        Some(StaleAfter {
            series: series.map(|n| n.text.clone()),
            days,
            months,
            span,
        })
    }

    /// `whole shares` or `fractional shares`, once.
    pub(super) fn shares(&mut self, mode: ShareMode, span: Span, s: &mut Program) {
        let words = |mode: ShareMode| match mode {
            ShareMode::Whole => "whole shares",
            ShareMode::Fractional => "fractional shares",
        };
        match self.seen.insert("shares", span) {
            Some(first) if mode == s.shares => self.errors.push(CheckError::setting_twice(words(mode), span, first)),
            Some(first) => self.errors.push(CheckError::DuplicateSetting {
                what: "the share mode".into(),
                span,
                first,
                help: format!("keep one of `{}` and `{}`", words(s.shares), words(mode)),
            }),
            None => s.shares = mode,
        }
    }

    /// `from 2010-01-01 to 2020-12-31`, either end alone.
    pub(super) fn period(&mut self, from: Option<&Date>, to: Option<&Date>, s: &mut Program) {
        if let Some(f) = from {
            self.once("from", f.span);
            s.from = Some(f.date);
        }
        if let Some(t) = to {
            self.once("to", t.span);
            s.to = Some(t.date);
        }
        // `from 2020-01-02 to 2020-01-02` is one day: a period runs from the first bar of
        // its `from` day to the last bar of its `to` day.
        if let (Some(f), Some(t)) = (from, to)
            && f.date > t.date
        {
            self.errors.push(CheckError::InvalidValue {
                message: "the period ends before it starts".into(),
                span: f.span.to(t.span),
                label: "empty period".into(),
                help: "write the earlier date first: `from 2010-01-01 to 2020-12-31`".into(),
            });
        }
    }

    /// A constant amount of money.
    pub(super) fn money(&mut self, e: &Expr, what: &str, zero_ok: bool) -> Option<Money> {
        let ty = self.expr(e, false).ty;
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
        let ty = self.expr(e, false).ty;
        if ty == Ty::Error {
            return None;
        }
        match self.constant(e) {
            Some(Const::Percent(p)) if (lo..=hi).contains(&p) => Some(p),
            Some(Const::Percent(p)) => {
                self.invalid(
                    e.span,
                    format!("{what} of {}% is out of range", round_pct(p)),
                    &format!("{what} is between {}% and {}%", round_pct(lo), round_pct(hi)),
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
        if self.expr(e, false).ty == Ty::Error {
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
            ScheduleKind::Every { n: 0, .. } | ScheduleKind::EveryClock { n: 0, .. } => {
                bad(self, "`every 0` never repeats", "write a count of at least 1")
            }
            ScheduleKind::Weekly(Some(day)) => {
                let days = self.ctx.data.map_or(0, |data| data.bar_weekdays);
                if days != 0 && days & (1 << day.num_days_from_monday()) == 0 {
                    let name = crate::syntax::ast::weekday_word(*day);
                    bad(
                        self,
                        &format!("the data has no bars on a {name}: the rule would act on the next bar, days later"),
                        "pick a day the market is open, such as `weekly on friday` (or `weekly` for the first bar of each week)",
                    )
                }
            }
            _ => {}
        }
    }
}
