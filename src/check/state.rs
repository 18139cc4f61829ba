//! Position state and the rules that read it: `entry_price`, `held_days`,
//! `days_since_exit`, `highest(x since entry)`; the exits (`stop loss`, `take profit`,
//! `trailing stop`); and cooldowns (`at most once per month`). A position is only there to
//! read when some rule trades its symbol, which is checked once every rule is known.

use super::*;

use crate::suggest::did_you_mean;
use crate::syntax::ast::{self, Cooldown, CooldownPeriod, ExitKind};

impl Checker<'_> {
    /// `highest(close(IWM) since entry)`: the value must read exactly one symbol, whose
    /// position it follows.
    pub(super) fn since_entry(&mut self, func: &Name, args: &[Expr], span: Span) -> Typed {
        let high = func.text == "highest";
        if args.len() != 1 {
            self.errors.push(CheckError::SinceEntry {
                span: args.get(1).map_or(span, |a| a.span),
                label: "`since entry` takes no window".into(),
            });
            return Typed::error();
        }
        let ExprKind::SinceEntry(inner) = &args[0].kind else {
            unreachable!("called for `since entry` arguments only")
        };
        let Typed { ty, term } = self.expr(inner, false);
        self.expect_numeric(ty, inner);
        let mut symbols: Vec<&str> = term
            .walk()
            .filter_map(|t| match t {
                Term::Symbol(n) | Term::Data(n) => Some(n.as_str()),
                _ => None,
            })
            .collect();
        symbols.dedup();
        let symbol = match symbols.as_slice() {
            [one] => one.to_string(),
            _ => {
                if ty != Ty::Error {
                    self.errors.push(CheckError::SinceEntry {
                        span: inner.span,
                        label: "must read the price of one symbol, whose position it follows".into(),
                    });
                }
                return Typed::error();
            }
        };
        self.position_read(&symbol, inner.span, format!("`{}(… since entry)`", func.text));
        let builtin = if high {
            Builtin::HighestSinceEntry
        } else {
            Builtin::LowestSinceEntry
        };
        let args = vec![Arg::Value(term), Arg::Value(Term::Symbol(symbol))];
        Typed::new(Ty::Number, Term::Call(builtin, args))
    }

    /// Notes a read of `symbol`'s position, checked against the traded symbols at the end.
    pub(super) fn position_read(&mut self, symbol: &str, span: Span, what: String) {
        self.position_reads.push((symbol.to_string(), span, what));
    }

    /// A position function's symbol argument, noted for the check against traded symbols.
    pub(super) fn note_position_call(&mut self, builtin: Builtin, args: &[Arg], exprs: &[Expr]) {
        let name = match builtin {
            Builtin::EntryPrice => "entry_price",
            Builtin::HeldDays => "held_days",
            Builtin::DaysSinceExit => "days_since_exit",
            _ => return,
        };
        if let (Some(Arg::Value(Term::Symbol(s) | Term::Data(s))), Some(e)) = (args.first(), exprs.first()) {
            let s = s.clone();
            self.position_read(&s, e.span, format!("`{name}`"));
        }
    }

    /// `stop loss 10% [on IWM, …]`, `take profit 25%`, `trailing stop 15%`.
    pub(super) fn exit(&mut self, kind: ExitKind, level: &Expr, symbols: &[Name], span: Span, s: &mut Program) {
        let what = kind.words();
        let Some(level_value) = self.exit_level(kind, level) else {
            return;
        };
        let targets: Vec<Option<&Name>> = if symbols.is_empty() {
            vec![None]
        } else {
            symbols.iter().map(Some).collect()
        };
        for name in targets {
            let symbol = name.and_then(|n| self.symbol(n));
            if name.is_some() && symbol.is_none() {
                continue;
            }
            let at = name.map_or(span, |n| n.span);
            if let Some(first) = s.exits.iter().find(|e| e.kind == kind && e.symbol == symbol) {
                self.errors.push(CheckError::setting_twice(what, at, first.span));
                continue;
            }
            if let (Some(sym), Some(n)) = (&symbol, name) {
                self.position_read(sym, n.span, format!("`{what}`"));
            }
            s.exits.push(Exit {
                kind,
                level: level_value,
                symbol,
                rule: None,
                span: at,
            });
        }
    }

    /// An exit's level: a percentage above 0% (below 100% for a stop: a stop that far
    /// never fires).
    fn exit_level(&mut self, kind: ExitKind, level: &Expr) -> Option<f64> {
        let what = kind.words();
        let (lo, hi) = match kind {
            // A stop of 100% or more never fires: the close cannot fall that far.
            ExitKind::StopLoss | ExitKind::TrailingStop => (0.0, 1.0),
            ExitKind::TakeProfit => (0.0, 100.0),
        };
        let level_value = self.percent(level, what, lo, hi)?;
        if level_value <= 0.0 || (hi == 1.0 && level_value >= 1.0) {
            let range = if hi == 1.0 {
                "more than 0% and less than 100%"
            } else {
                "more than 0%"
            };
            self.invalid(
                level.span,
                format!("a {what} of {}% never does anything", round_pct(level_value)),
                &format!("a {what} is {range}, such as `{what} 10%`"),
            );
            return None;
        }
        Some(level_value)
    }

    /// A rule line: the rule, and the exits of its `with`, kept until every rule and
    /// setting is known ([`Checker::settle_rule_exits`]).
    pub(super) fn rule_line(&mut self, rule: &ast::Rule, s: &mut Program) {
        let exits = self.rule_exits(rule);
        if let Some(checked) = self.rule(rule) {
            if !exits.is_empty() {
                self.rule_exits.push((s.rules.len(), exits));
            }
            s.rules.push(checked);
        }
    }

    /// The levels of a rule's `with stop loss 10%, …`, each kind once; a sell has none.
    fn rule_exits(&mut self, rule: &ast::Rule) -> Vec<RuleExit> {
        if let (ast::Action::Sell { symbol, .. }, Some(first)) = (&rule.action, rule.exits.first()) {
            let what = first.kind.words();
            self.invalid(
                first.span,
                "a sell opens no position for an exit to close".into(),
                &format!(
                    "put the exit on the rule that buys `{0}`, or write it as a setting: `{what} 10% on {0}`",
                    symbol.text
                ),
            );
            return Vec::new();
        }
        let mut out: Vec<RuleExit> = Vec::new();
        for e in &rule.exits {
            let Some(level) = self.exit_level(e.kind, &e.level) else {
                continue;
            };
            if let Some(first) = out.iter().find(|o| o.kind == e.kind) {
                self.errors
                    .push(CheckError::setting_twice(e.kind.words(), e.span, first.span));
                continue;
            }
            out.push(RuleExit {
                kind: e.kind,
                level,
                span: e.span,
            });
        }
        out
    }

    /// Turns each rule's exits into exits of the symbols it trades, as an `on` line would
    /// name them, once every rule is known. Positions are per symbol, not per rule, so a
    /// symbol's exit must be the same whichever rule bought it: another rule that buys the
    /// symbol without that exit (or with another level), or an `on` line of that kind
    /// naming it, is an error ([`CheckError::ExitConflict`]). Over the line for every
    /// symbol, a rule's exit wins for its symbols, as an `on` line does.
    pub(super) fn settle_rule_exits(&mut self, s: &mut Program) {
        let pending = std::mem::take(&mut self.rule_exits);
        let exits_of = |rule: usize| pending.iter().find(|(r, _)| *r == rule).map(|(_, e)| e.as_slice());
        for (i, exits) in &pending {
            let symbols: Vec<String> = s.rules[*i].action.symbols().into_iter().map(str::to_string).collect();
            if symbols.is_empty()
                && let Some(first) = exits.first()
            {
                self.no_effects.push(NoEffect {
                    message: "this rule holds no symbol, so its exits never close anything".into(),
                    label: "no position to exit".into(),
                    help: "put the exits on a rule that buys, or remove them".into(),
                    span: first.span,
                });
            }
            for exit in exits {
                for symbol in &symbols {
                    if let Some(line) = s.exits.iter().find(|e| {
                        e.rule.is_none() && e.kind == exit.kind && e.symbol.as_deref() == Some(symbol.as_str())
                    }) {
                        let conflict = exit_conflict_line(exit, symbol, line.span);
                        self.errors.push(conflict);
                        continue;
                    }
                    if s.exits
                        .iter()
                        .any(|e| e.kind == exit.kind && e.symbol.as_deref() == Some(symbol.as_str()))
                    {
                        // Another rule's exit, the same (or reported below).
                        continue;
                    }
                    s.exits.push(Exit {
                        kind: exit.kind,
                        level: exit.level,
                        symbol: Some(symbol.clone()),
                        rule: Some(*i),
                        span: exit.span,
                    });
                }
                // Every other rule that opens a position in one of these symbols.
                for (j, other) in s.rules.iter().enumerate() {
                    if j == *i || matches!(other.action, Action::Trade { buy: false, .. }) {
                        continue;
                    }
                    let Some(shared) = other
                        .action
                        .symbols()
                        .into_iter()
                        .find(|o| symbols.iter().any(|s| s == o))
                    else {
                        continue;
                    };
                    let theirs = exits_of(j).and_then(|e| e.iter().find(|o| o.kind == exit.kind));
                    match theirs {
                        Some(t) if t.level == exit.level => {}
                        // Reported once, from the rule written first.
                        Some(_) if j < *i => {}
                        Some(t) => self
                            .errors
                            .push(exit_conflict_rules(exit, shared, Some(t.span), other.span)),
                        None => self.errors.push(exit_conflict_rules(exit, shared, None, other.span)),
                    }
                }
            }
        }
    }

    /// `at most once per month`: a calendar period, or a number of calendar days.
    pub(super) fn cooldown(&mut self, c: &Cooldown) -> CooldownPeriod {
        match c.period {
            CooldownPeriod::Days { n: 0, .. } => self.invalid(
                c.span,
                "a cooldown of no days holds nothing back".into(),
                "write a period such as `at most once per 20 days` or `at most once per month`",
            ),
            CooldownPeriod::Days {
                unit: TimeUnit::Months | TimeUnit::Years,
                ..
            } => self.invalid(
                c.span,
                "a cooldown counts days or weeks, or one calendar period".into(),
                "write `at most once per month` (each calendar month), `per quarter`, `per year`, or a number of days such as `per 60 days`",
            ),
            _ => {}
        }
        c.period
    }

    /// Every position read (by a function, `since entry` or an exit on a symbol) must be of
    /// a symbol some rule trades: any other is never held, so the value would never be
    /// available and the exit never fire.
    pub(super) fn positions_traded(&mut self, traded: &[String]) {
        for (symbol, span, what) in std::mem::take(&mut self.position_reads) {
            if traded.contains(&symbol) {
                continue;
            }
            let help = match did_you_mean(&symbol, traded.iter().map(String::as_str)) {
                Some(best) => format!("did you mean `{best}`? Only the symbols the rules trade have positions"),
                None if traded.is_empty() => "add a rule that buys it".to_string(),
                None => format!(
                    "the rules trade {}; add a rule that buys `{symbol}`",
                    traded.iter().map(|t| format!("`{t}`")).collect::<Vec<_>>().join(", ")
                ),
            };
            self.errors.push(CheckError::NotTraded {
                name: symbol,
                what,
                span,
                help,
            });
        }
    }
}

/// One exit of a rule's `with`, its level checked.
pub(super) struct RuleExit {
    kind: ExitKind,
    level: f64,
    span: Span,
}

/// A rule's exit on `symbol`, which an `on` line of the same kind (at `line`) names too.
fn exit_conflict_line(exit: &RuleExit, symbol: &str, line: Span) -> CheckError {
    let what = exit.kind.words();
    CheckError::ExitConflict {
        message: format!(
            "`{symbol}` has two {}: this rule's and a setting line's",
            exits_plural(exit.kind)
        ),
        span: exit.span,
        other: line,
        label: format!("this rule's {what}"),
        other_label: format!("the {what} on `{symbol}`"),
        help: format!(
            "a position in `{symbol}` has one {what}: keep the rule's `with {what}`, or remove it and keep the `on {symbol}` line"
        ),
    }
}

/// A rule's exit on `symbol`, which another rule (at `rule`) also buys, with another level
/// of that exit (at `theirs`) or without one.
fn exit_conflict_rules(exit: &RuleExit, symbol: &str, theirs: Option<Span>, rule: Span) -> CheckError {
    let what = exit.kind.words();
    let level = round_pct(exit.level);
    let (message, other, other_label) = match theirs {
        Some(t) => (
            format!(
                "two rules that buy `{symbol}` give it different {}",
                exits_plural(exit.kind)
            ),
            t,
            format!("another {what} for `{symbol}`"),
        ),
        None => (
            format!("another rule buys `{symbol}` without this rule's {what}"),
            rule,
            format!("also buys `{symbol}`, without a {what}"),
        ),
    };
    CheckError::ExitConflict {
        message,
        span: exit.span,
        other,
        label: format!("{what} {level}% on `{symbol}`"),
        other_label,
        help: format!(
            "positions are per symbol, not per rule: the exit would also sell what the other rule bought. Give both rules \
             the same `with {what} {level}%`, or write it once as a setting line: `{what} {level}% on {symbol}`"
        ),
    }
}

/// `stop losses`, `take profits`, `trailing stops`.
fn exits_plural(kind: ExitKind) -> &'static str {
    match kind {
        ExitKind::StopLoss => "stop losses",
        ExitKind::TakeProfit => "take profits",
        ExitKind::TrailingStop => "trailing stops",
    }
}
