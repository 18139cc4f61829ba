//! Position state and the rules that read it: `entry_price`, `held_days`,
//! `days_since_exit`, `highest(x since entry)`; the exits (`stop loss`, `take profit`,
//! `trailing stop`); and cooldowns (`at most once per month`). A position is only there to
//! read when some rule trades its symbol, which is checked once every rule is known.

use super::*;

use crate::suggest::did_you_mean;
use crate::syntax::ast::{Cooldown, CooldownPeriod, ExitKind};

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
        let (lo, hi) = match kind {
            // A stop of 100% or more never fires: the close cannot fall that far.
            ExitKind::StopLoss | ExitKind::TrailingStop => (0.0, 1.0),
            ExitKind::TakeProfit => (0.0, 100.0),
        };
        let Some(level_value) = self.percent(level, what, lo, hi) else {
            return;
        };
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
            return;
        }
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
                self.errors.push(CheckError::DuplicateSetting {
                    setting: what,
                    span: at,
                    first: first.span,
                });
                continue;
            }
            if let (Some(sym), Some(n)) = (&symbol, name) {
                self.position_read(sym, n.span, format!("`{what}`"));
            }
            s.exits.push(Exit {
                kind,
                level: level_value,
                symbol,
                span: at,
            });
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
