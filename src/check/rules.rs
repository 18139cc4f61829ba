//! Rules: actions, amounts, target weights, rankings.

use super::*;

use crate::syntax::ast::*;

impl Checker<'_> {
    // ------------------------------------------------------------ rules

    pub(super) fn rule(&mut self, rule: &Rule) -> Option<Rule> {
        let mut out = rule.clone();
        let errors_before = self.errors.len();
        if let Some(s) = &rule.schedule {
            self.schedule(s);
        }
        for g in &rule.guards {
            let ty = self.expr(&g.condition, false);
            self.expect_condition(ty, &g.condition);
            if g.kind == GuardKind::When
                && let Some(s) = &rule.schedule
                && matches!(s.kind, ScheduleKind::Once(_))
            {
                self.errors.push(CheckError::WhenCannotFire {
                    span: g.span,
                    schedule: s.span,
                });
            }
        }
        match &mut out.action {
            Action::Buy { amount, symbol } | Action::Sell { amount, symbol } => {
                let buy = matches!(rule.action, Action::Buy { .. });
                if let Some(sym) = self.symbol(symbol) {
                    symbol.text = sym;
                }
                if let Some(a) = amount {
                    self.amount(a, buy);
                }
            }
            Action::Rebalance { targets, tolerance } => {
                let mut total = 0.0;
                let mut all_ok = true;
                for t in targets.iter_mut() {
                    if let Holding::Symbol(name) = &mut t.holding
                        && let Some(sym) = self.symbol(name)
                    {
                        name.text = sym;
                    }
                    match self.weight(&t.weight) {
                        Some(w) => total += w,
                        None => all_ok = false,
                    }
                }
                if all_ok && (total - 1.0).abs() > 1e-9 {
                    let span = targets
                        .first()
                        .map(|t| t.span)
                        .unwrap_or(rule.span)
                        .to(targets.last().map(|t| t.span).unwrap_or(rule.span));
                    let shown = format!("{}%", round_pct(total));
                    let help = if total < 1.0 {
                        format!("add `cash {}%`, or raise the weights", round_pct(1.0 - total))
                    } else {
                        "lower the weights so they add up to 100%".to_string()
                    };
                    self.errors.push(CheckError::WeightsSum {
                        total: shown,
                        span,
                        help,
                    });
                }
                if let Some(tol) = tolerance {
                    self.percent(tol, "a tolerance", 0.0, 1.0);
                }
            }
            Action::Rotate { rank, candidates, by } => {
                for c in candidates.iter_mut() {
                    if let Some(sym) = self.symbol(c) {
                        c.text = sym;
                    }
                }
                if rank.n == 0 || rank.n as usize > candidates.len() {
                    self.invalid(
                        rank.span,
                        format!("cannot pick {} of {} candidates", rank.n, candidates.len()),
                        &format!("pick between 1 and {}", candidates.len()),
                    );
                }
                *by = self.with_subject(by);
                let ty = self.expr(by, true);
                self.expect_numeric(ty, by);
            }
        }
        (self.errors.len() == errors_before).then_some(out)
    }

    pub(super) fn amount(&mut self, a: &Amount, buy: bool) {
        match a {
            Amount::All(_) => {}
            Amount::Shares(e) => match self.constant(e) {
                Some(Const::Number(n)) if n > 0.0 => {}
                _ => self.invalid(
                    e.span,
                    "a number of shares must be a positive number".into(),
                    "write `10 shares`",
                ),
            },
            Amount::Fraction { share, .. } => {
                self.percent(share, "a share", 0.0, 1.0);
            }
            Amount::Value(e) => {
                let ty = self.expr(e, false);
                if ty == Ty::Error {
                    return;
                }
                match self.constant(e) {
                    Some(Const::Money(v, _)) if v > 0.0 => {}
                    Some(Const::Percent(p)) if !buy && (0.0..=1.0).contains(&p) => {}
                    Some(Const::Percent(_)) if buy => self.invalid(
                        e.span,
                        "a percentage to buy needs a base".into(),
                        "say what it is a percentage of: `10% of cash` or `10% of equity`",
                    ),
                    Some(Const::Number(n)) => self.invalid(
                        e.span,
                        format!("`{n}` has no unit"),
                        &format!("write money (`{n} USD`), shares (`{n} shares`) or a percentage (`{n}%`)"),
                    ),
                    _ => self.invalid(
                        e.span,
                        "an amount must be fixed money, shares or a percentage".into(),
                        "write `500 USD`, `10 shares`, `10% of cash` or `all`",
                    ),
                }
            }
        }
    }

    pub(super) fn weight(&mut self, e: &Expr) -> Option<f64> {
        let ty = self.expr(e, false);
        if ty == Ty::Error {
            return None;
        }
        match self.constant(e) {
            Some(Const::Percent(p)) if (0.0..=1.0).contains(&p) => Some(p),
            Some(Const::Percent(p)) => {
                self.errors.push(CheckError::WeightRange {
                    weight: format!("{}%", round_pct(p)),
                    span: e.span,
                });
                None
            }
            Some(Const::Money(..)) => {
                self.errors.push(CheckError::MoneyAsWeight { span: e.span });
                None
            }
            _ => {
                self.invalid(
                    e.span,
                    "a target weight must be a percentage".into(),
                    "write it with `%`, such as `40%`",
                );
                None
            }
        }
    }

    /// `return(3 months)` in `rotate … by` → `return(@subject, 3 months)`.
    pub(super) fn with_subject(&self, e: &Expr) -> Expr {
        let mut e = e.clone();
        insert_subject(&mut e, self.ctx.scripts);
        e
    }
}

fn insert_subject(e: &mut Expr, scripts: &[ScriptFunction]) {
    match &mut e.kind {
        ExprKind::Call { func, args } => {
            for a in args.iter_mut() {
                insert_subject(a, scripts);
            }
            let missing_subject = match functions::lookup(&func.text) {
                Some(f) => f.takes_subject() && args.len() + 1 == f.required().max(1),
                None => scripts.iter().any(|s| s.name == func.text && args.len() + 1 == s.arity),
            };
            if missing_subject {
                let subject = Expr {
                    kind: ExprKind::Name(Name {
                        text: SUBJECT.to_string(),
                        span: func.span,
                    }),
                    span: func.span,
                };
                args.insert(0, subject);
            }
        }
        ExprKind::Lag { expr, .. } | ExprKind::Unary { expr, .. } | ExprKind::Group(expr) => {
            insert_subject(expr, scripts)
        }
        ExprKind::Binary { lhs, rhs, .. } => {
            insert_subject(lhs, scripts);
            insert_subject(rhs, scripts);
        }
        _ => {}
    }
}
