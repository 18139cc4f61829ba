//! Rules: actions, amounts, target weights, rankings.

use super::*;

use crate::syntax::ast::{self, Amount, Expr, ExprKind, Holding, Name, ScheduleKind};

impl Checker<'_> {
    // ------------------------------------------------------------ rules

    pub(super) fn rule(&mut self, rule: &ast::Rule) -> Option<Rule> {
        let errors_before = self.errors.len();
        if let Some(s) = &rule.schedule {
            self.schedule(s);
        }
        let mut guards = Vec::with_capacity(rule.guards.len());
        for g in &rule.guards {
            let Typed { ty, term } = self.expr(&g.condition, false);
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
            guards.push(Guard {
                kind: g.kind,
                condition: term,
            });
        }
        let action = self.action(&rule.action, rule.span);
        let cooldown = rule.cooldown.as_ref().map(|c| self.cooldown(c));
        (self.errors.len() == errors_before).then(|| Rule {
            action,
            schedule: rule.schedule.as_ref().map(|s| s.kind.clone()),
            guards,
            cooldown,
            span: rule.span,
            sleeve: None,
        })
    }

    fn action(&mut self, action: &ast::Action, rule_span: Span) -> Action {
        // What stands in for a part that has an error (the rule is dropped then).
        let unknown = |name: &Name| name.text.clone();
        match action {
            ast::Action::Buy { amount, symbol } | ast::Action::Sell { amount, symbol } => {
                let buy = matches!(action, ast::Action::Buy { .. });
                let symbol = self.symbol(symbol).unwrap_or_else(|| unknown(symbol));
                let (size, computed) = match amount {
                    Some(a) => self.amount(a, buy),
                    None => (Size::All, None),
                };
                Action::Trade {
                    buy,
                    symbol,
                    size,
                    computed,
                }
            }
            ast::Action::RebalanceWeighted {
                symbols,
                weighting,
                tolerance,
            } => self.weighted(symbols, weighting, tolerance.as_ref()),
            ast::Action::Rebalance { targets, tolerance } => {
                self.no_repeats(
                    targets.iter().filter_map(|t| match &t.holding {
                        Holding::Symbol(name) => Some(name),
                        Holding::Cash(_) => None,
                    }),
                    "give each symbol one weight: the sum of the two",
                );
                let mut total = 0.0;
                let mut all_ok = true;
                let mut weights = Vec::with_capacity(targets.len());
                for t in targets {
                    let symbol = match &t.holding {
                        Holding::Symbol(name) => Some(self.symbol(name).unwrap_or_else(|| unknown(name))),
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
                if all_ok {
                    let span = targets
                        .first()
                        .map(|t| t.span)
                        .unwrap_or(rule_span)
                        .to(targets.last().map(|t| t.span).unwrap_or(rule_span));
                    self.weights_add_up(total, span);
                }
                let tolerance = self.tolerance(tolerance.as_ref());
                Action::Rebalance {
                    targets: weights,
                    tolerance,
                }
            }
            ast::Action::Rotate { rank, candidates, by } => {
                self.no_repeats(candidates.iter(), "list each candidate once");
                let candidates: Vec<String> = candidates
                    .iter()
                    .map(|c| self.symbol(c).unwrap_or_else(|| unknown(c)))
                    .collect();
                if rank.n == 0 || rank.n as usize > candidates.len() {
                    self.invalid(
                        rank.span,
                        format!("cannot pick {} of {} candidates", rank.n, candidates.len()),
                        &format!("pick between 1 and {}", candidates.len()),
                    );
                }
                let by = self.with_subject(by);
                let Typed { ty, term } = self.expr(&by, true);
                self.expect_numeric(ty, &by);
                if ty != Ty::Error && !super::computed::reads_subject(&term) {
                    self.no_effects.push(NoEffect {
                        message: "this ranking does not read the candidate: every candidate ties, and the first listed always wins"
                            .into(),
                        label: "the same for every candidate".into(),
                        help: "rank by an expression of each candidate, such as `by return(3 months)` (the candidate is the implicit subject)"
                            .into(),
                        span: by.span,
                    });
                }
                Action::Rotate {
                    top: rank.top,
                    n: rank.n as usize,
                    candidates,
                    by: term,
                }
            }
            ast::Action::Hold {
                then,
                condition,
                otherwise,
                tolerance,
            } => self.hold(then, condition, otherwise, tolerance.as_ref()),
        }
    }

    /// Reports target weights (fractions) that do not add up to 100%.
    pub(super) fn weights_add_up(&mut self, total: f64, span: Span) {
        if (total - 1.0).abs() <= 1e-9 {
            return;
        }
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

    /// Reports a symbol named twice in one rule's list (a target or a candidate), which
    /// would otherwise count only once, silently.
    pub(super) fn no_repeats<'n>(&mut self, names: impl Iterator<Item = &'n Name>, help: &'static str) {
        let mut seen: Vec<&Name> = Vec::new();
        for name in names {
            match seen.iter().find(|s| s.text == name.text) {
                Some(first) => self.errors.push(CheckError::DuplicateSymbol {
                    name: name.text.clone(),
                    span: name.span,
                    first: first.span,
                    help,
                }),
                None => seen.push(name),
            }
        }
    }

    /// How much a `buy` or `sell` asks for: a constant amount, or one computed when the rule
    /// fires (its term beside the size, whose number it replaces).
    pub(super) fn amount(&mut self, a: &Amount, buy: bool) -> (Size, Option<Term>) {
        if let Some(computed) = self.computed_amount(a) {
            return computed;
        }
        let size = match a {
            Amount::All(_) => Size::All,
            Amount::Money { value, currency, .. } => {
                self.currency_code(Some(currency), value.span);
                match self.constant(value) {
                    Some(Const::Number(n)) if n > 0.0 => Size::Money {
                        amount: n,
                        base: currency != "USD",
                    },
                    Some(Const::Money(..)) => {
                        self.money_twice(value);
                        Size::All
                    }
                    _ => {
                        self.invalid(
                            value.span,
                            "an amount of money must be a positive number".into(),
                            &format!("write a number in the parentheses, such as `(2 * base) {currency}`"),
                        );
                        Size::All
                    }
                }
            }
            Amount::Shares(e) => match self.constant(e) {
                Some(Const::Number(n)) if n > 0.0 => Size::Shares(n),
                _ => {
                    self.invalid(
                        e.span,
                        "a number of shares must be a positive number".into(),
                        "write `10 shares`",
                    );
                    Size::All
                }
            },
            Amount::Fraction { share: e, of, .. } => {
                let share = self.percent(e, "a share", 0.0, 1.0).unwrap_or(f64::NAN);
                if share == 0.0 {
                    self.nothing_to_trade(e.span);
                }
                Size::Fraction(share.max(0.0), *of)
            }
            Amount::Value(e) => {
                let ty = self.expr(e, false).ty;
                if ty == Ty::Error {
                    return (Size::All, None);
                }
                match self.constant(e) {
                    Some(Const::Money(amount, currency)) if amount > 0.0 => Size::Money {
                        amount,
                        base: currency.is_some_and(|c| c != "USD"),
                    },
                    Some(Const::Percent(0.0)) => {
                        self.nothing_to_trade(e.span);
                        Size::All
                    }
                    // A percentage without a base is of the position (sells only).
                    Some(Const::Percent(p)) if !buy && (0.0..=1.0).contains(&p) => {
                        Size::Fraction(p, FractionBase::Position)
                    }
                    Some(Const::Percent(_)) if buy => {
                        self.invalid(
                            e.span,
                            "a percentage to buy needs a base".into(),
                            "say what it is a percentage of: `10% of cash` or `10% of equity`",
                        );
                        Size::All
                    }
                    // `sell 150% of IWO`: a percentage, of the position, past 100%.
                    Some(Const::Percent(p)) => {
                        let shown = (p * 100.0 * 1e6).round() / 1e6;
                        self.invalid(
                            e.span,
                            format!("a share of {shown}% of the position is out of range"),
                            "a share of the position is between 0% and 100% (`sell all` sells the whole position)",
                        );
                        Size::All
                    }
                    // `buy 0 USD of IWO`: money, but no amount to trade.
                    Some(Const::Money(..)) => {
                        self.invalid(
                            e.span,
                            "an amount of money to trade must be above 0".into(),
                            "write an amount such as `500 USD`, or remove the rule",
                        );
                        Size::All
                    }
                    Some(Const::Number(n)) => {
                        self.invalid(
                            e.span,
                            format!("`{n}` has no unit"),
                            &format!("write money (`{n} USD`), shares (`{n} shares`) or a percentage (`{n}%`)"),
                        );
                        Size::All
                    }
                    _ => {
                        self.invalid(
                            e.span,
                            "an amount must be money, shares or a percentage".into(),
                            "write `500 USD`, `10 shares`, `10% of cash` or `all`; money computed when the rule fires is written in parentheses with its currency: `(2 * base) USD`",
                        );
                        Size::All
                    }
                }
            }
        };
        (size, None)
    }

    /// A share of 0% (`buy 0% of cash of IWM`): an order that can never trade.
    fn nothing_to_trade(&mut self, span: Span) {
        self.invalid(
            span,
            "a share of 0% trades nothing".into(),
            "write a share above 0%, such as `10% of cash`, or remove the rule",
        );
    }

    /// `tolerance P` of a rebalance, `weighted by` or `hold`: from 0% to below 100% (a
    /// weight cannot drift by more than 100 points, so a band of 100% never trades).
    pub(super) fn tolerance(&mut self, tolerance: Option<&Expr>) -> f64 {
        let Some(e) = tolerance else { return 0.0 };
        let tolerance = self.percent(e, "a tolerance", 0.0, 1.0).unwrap_or(0.0);
        if tolerance >= 1.0 {
            self.invalid(
                e.span,
                "a tolerance of 100% never trades: no weight can drift further than 100 points".into(),
                "write a band below 100%, such as `tolerance 5%`",
            );
        }
        tolerance
    }

    pub(super) fn weight(&mut self, e: &Expr) -> Option<f64> {
        let ty = self.expr(e, false).ty;
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
                // `return(3 months)`: one argument short; `volatility(63 days)`: a window
                // where the subject goes (a constant is no series to take a window of).
                Some(f) => {
                    let window_first = args
                        .first()
                        .is_some_and(|a| matches!(a.kind, ExprKind::Duration { .. } | ExprKind::Number(_)))
                        && f.params.get(1).is_some_and(|p| p.kind == ParamKind::Window);
                    f.takes_subject()
                        && (args.len() + 1 == f.required().max(1) || (window_first && args.len() < f.params.len()))
                }
                None => {
                    let arity = |n: usize| scripts.iter().any(|s| s.name == func.text && s.arity == n);
                    !arity(args.len()) && arity(args.len() + 1)
                }
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
        ExprKind::Lag { expr, .. }
        | ExprKind::Unary { expr, .. }
        | ExprKind::Group(expr)
        | ExprKind::SinceEntry(expr) => insert_subject(expr, scripts),
        ExprKind::Binary { lhs, rhs, .. } => {
            insert_subject(lhs, scripts);
            insert_subject(rhs, scripts);
        }
        _ => {}
    }
}
