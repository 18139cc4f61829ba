//! Resolving names and typing expressions.

use super::*;
use crate::display::count;
use crate::suggest::{did_you_mean, help_for, offer};
use crate::syntax::ast::{Expr, ExprKind, Name};

impl Checker<'_> {
    // ------------------------------------------------------------ names

    /// Resolves a name that must be a tradable symbol; returns the ticker.
    pub(super) fn symbol(&mut self, name: &Name) -> Option<String> {
        if let Some(p) = self.params.get(&name.text) {
            let ty = p.ty;
            return match &p.constant {
                Some(Const::Symbol(s)) => Some(s.clone()),
                _ if ty == Ty::Data => Some(name.text.clone()),
                _ => {
                    self.errors.push(CheckError::TypeMismatch {
                        message: format!("`{}` is a parameter holding {}, not a symbol", name.text, ty.words()),
                        span: name.span,
                        label: "not a symbol".into(),
                        help: label_help(),
                    });
                    None
                }
            };
        }
        let Some(data) = self.ctx.data else {
            return Some(name.text.clone());
        };
        if data.symbols.contains(&name.text) {
            return Some(name.text.clone());
        }
        if data.series.contains(&name.text) {
            let file = data.series_files.iter().find(|(_, series)| series.contains(&name.text));
            self.errors.push(CheckError::TypeMismatch {
                message: format!("`{}` is a data series, not a symbol you can trade", name.text),
                span: name.span,
                label: "a series".into(),
                help: match file {
                    Some((file, _)) => series_column_help(&name.text, file),
                    None => help_for(&name.text, "symbols in the data", &refs(&data.symbols), 12),
                },
            });
            return None;
        }
        let help = match data.read_as_series(&name.text) {
            Some((file, series)) => read_as_series_help(&name.text, file, series),
            None => help_for(&name.text, "symbols in the data", &refs(&data.symbols), 12),
        };
        self.errors.push(CheckError::UnknownName {
            what: "symbol",
            name: name.text.clone(),
            span: name.span,
            help,
        });
        None
    }

    /// Resolves a name that must be a data series.
    pub(super) fn series(&mut self, name: &Name) {
        let Some(data) = self.ctx.data else { return };
        if data.series.contains(&name.text) {
            return;
        }
        let what = if data.symbols.contains(&name.text) {
            "series (it is a symbol)"
        } else {
            "series"
        };
        self.errors.push(CheckError::UnknownName {
            what,
            name: name.text.clone(),
            span: name.span,
            help: help_for(&name.text, "series in the data", &refs(&data.series), 12),
        });
    }

    /// The type of a name in an expression, and what it reads.
    pub(super) fn name(&mut self, name: &Name, subject_ok: bool) -> Typed {
        if subject_ok && name.text == SUBJECT {
            return Typed::new(Ty::Symbol, Term::Subject);
        }
        if let Some(p) = self.params.get(&name.text) {
            return Typed::new(p.ty, p.term.clone());
        }
        if is_reserved_value(&name.text) {
            let term = match name.text.as_str() {
                "cash" | "portfolio.cash" => Term::Cash,
                "portfolio.value" => Term::Equity,
                "portfolio.drawdown" => Term::Drawdown,
                other => unreachable!("every name of PORTFOLIO_NAMES has a term: {other}"),
            };
            return Typed::new(Ty::Number, term);
        }
        let Some(data) = self.ctx.data else {
            return Typed::new(Ty::Data, Term::Data(name.text.clone()));
        };
        if data.symbols.contains(&name.text) {
            return Typed::new(Ty::Symbol, Term::Symbol(name.text.clone()));
        }
        if data.series.contains(&name.text) {
            return Typed::new(Ty::Series, Term::Series(name.text.clone()));
        }
        if crate::fedwatch::series::selector_base(&name.text).is_some() {
            return self.selected(name, data);
        }
        let mut all: Vec<&str> = data.series.iter().chain(&data.symbols).map(String::as_str).collect();
        all.extend(self.params.keys().map(String::as_str));
        all.extend(PORTFOLIO_NAMES.iter().map(|(n, _)| *n));
        let best = did_you_mean(&name.text, all.iter().copied());
        let near_series = best.is_some_and(|b| data.series.iter().any(|s| s == b));
        if !near_series && crate::data::is_bundled_series(&name.text) {
            // A series of the README's examples on a run over the user's own files, which
            // have no series like it (a symbol a few letters off, `SPY` for `us2y`, is not
            // what was meant).
            self.errors.push(CheckError::UnknownName {
                what: "series",
                name: name.text.clone(),
                span: name.span,
                help: if crate::fedwatch::series::Measure::from_name(&name.text).is_some() {
                    format!(
                        "`{}` is a series of the bundled sample data, which this run does not read: \
                         add CME FedWatch exports, e.g. `data \"downloads/fedwatch/\"` (docs/FEDWATCH.md)",
                        name.text
                    )
                } else {
                    format!(
                        "`{0}` is a series of the bundled sample data, which this run does not read: \
                         add a file that has it, e.g. `data \"{0}.csv\" as series {0}` (docs/DATA.md)",
                        name.text
                    )
                },
            });
            return Typed::error();
        }
        let what = match best {
            Some(b) if data.symbols.iter().any(|s| s == b) => "symbol",
            Some(b) if data.series.iter().any(|s| s == b) => "series",
            Some(_) => "name",
            None => "series or symbol",
        };
        let help = match best {
            Some(b) => crate::suggest::did_you_mean_name(b),
            None => {
                let series = help_for(&name.text, "series", &refs(&data.series), 10);
                let symbols = help_for(&name.text, "symbols", &refs(&data.symbols), 10);
                format!("{series}; {symbols}")
            }
        };
        self.errors.push(CheckError::UnknownName {
            what,
            name: name.text.clone(),
            span: name.span,
            help,
        });
        Typed::error()
    }

    /// A name with a meeting selector, `fed_cut_prob(meeting 2)`: a FedWatch series when
    /// FedWatch data is loaded.
    fn selected(&mut self, name: &Name, data: &Catalog) -> Typed {
        use crate::fedwatch::{FedSeries, Measure};
        let base = crate::fedwatch::series::selector_base(&name.text).unwrap_or_default();
        let measures: Vec<&str> = Measure::ALL.iter().map(|m| m.name()).collect();
        let (message, help) = match (FedSeries::parse(&name.text), Measure::from_name(base)) {
            (Some(_), _) if data.fedwatch => return Typed::new(Ty::Series, Term::Series(name.text.clone())),
            (Some(_), _) => (
                format!("`{}` needs FedWatch data", name.text),
                match data.series.iter().any(|s| s == base) {
                    true => format!(
                        "`{base}` here is a plain column of the data, for one meeting only; load CME FedWatch exports or fed funds futures with `data` (docs/FEDWATCH.md)"
                    ),
                    false => "load CME FedWatch exports or fed funds futures with `data` (docs/FEDWATCH.md)".into(),
                },
            ),
            (None, Some(_)) => (
                format!("`{}` picks no meeting", name.text),
                "meetings count from 1: `meeting 1` is the next one; or write `by` and a date".into(),
            ),
            (None, None) => (
                format!("`{base}` takes no meeting"),
                help_for(base, "the series that take one", &measures, 5),
            ),
        };
        self.errors.push(CheckError::TypeMismatch {
            message,
            span: name.span,
            label: "a name with a meeting selector".into(),
            help,
        });
        Typed::error()
    }

    // ------------------------------------------------------------ expressions

    /// Checks an expression; returns its type and its resolved form. `subject_ok`: inside
    /// `rotate … by`.
    pub(super) fn expr(&mut self, e: &Expr, subject_ok: bool) -> Typed {
        let number = |v: f64, ty: Ty| Typed::new(ty, Term::Number(v));
        match &e.kind {
            ExprKind::Number(n) => number(n.value, Ty::Number),
            ExprKind::Percent(n) => number(n.value, Ty::Percent),
            ExprKind::Money { amount, currency } => {
                self.currency_code(currency.as_deref(), e.span);
                number(amount.value, Ty::Money)
            }
            // Only a window or a `let` can hold a duration; read as a value it counts trading days.
            ExprKind::Duration { amount, unit } => number(amount.value * unit.trading_days(), Ty::Duration),
            ExprKind::Bool(b) => number(if *b { 1.0 } else { 0.0 }, Ty::Bool),
            ExprKind::Name(n) => self.name(n, subject_ok),
            ExprKind::Group(inner) => self.expr(inner, subject_ok),
            ExprKind::Lag { expr, bars } => {
                if *bars as usize > MAX_WINDOW_BARS {
                    self.window_too_long(e.span);
                }
                let a = self.expr(expr, subject_ok);
                self.expect_not_duration(a.ty, expr);
                let ty = if a.ty == Ty::Bool { Ty::Bool } else { Ty::Number };
                Typed::new(ty, Term::Lag(Box::new(a.term), *bars))
            }
            ExprKind::Unary { op: UnaryOp::Neg, expr } => {
                let a = self.expr(expr, subject_ok);
                self.expect_numeric(a.ty, expr);
                // Folded as the constant folder does: a negated number is a number.
                let term = match (self.constant(e), a.term) {
                    (Some(Const::Number(v) | Const::Percent(v) | Const::Money(v, _)), _) => Term::Number(v),
                    (_, term) => Term::Neg(Box::new(term)),
                };
                Typed::new(Ty::Number, term)
            }
            ExprKind::Unary { op: UnaryOp::Not, expr } => {
                let a = self.expr(expr, subject_ok);
                self.expect_condition(a.ty, expr);
                Typed::new(Ty::Bool, Term::Not(Box::new(a.term)))
            }
            ExprKind::Binary { op, lhs, rhs } => {
                let (l, r) = (self.expr(lhs, subject_ok), self.expr(rhs, subject_ok));
                let ty = match op {
                    BinaryOp::And | BinaryOp::Or => {
                        self.expect_condition(l.ty, lhs);
                        self.expect_condition(r.ty, rhs);
                        Ty::Bool
                    }
                    _ => {
                        self.expect_numeric(l.ty, lhs);
                        self.expect_numeric(r.ty, rhs);
                        if op.is_comparison() { Ty::Bool } else { Ty::Number }
                    }
                };
                self.note_comparison(*op, (&l.term, lhs), (&r.term, rhs), e.span);
                Typed::new(ty, Term::Binary(*op, Box::new(l.term), Box::new(r.term)))
            }
            ExprKind::Call { func, args } => self.call(func, args, e.span, subject_ok),
            ExprKind::SinceEntry(_) => {
                self.errors.push(CheckError::SinceEntry {
                    span: e.span,
                    label: "not the first argument of `highest` or `lowest`".into(),
                });
                Typed::error()
            }
        }
    }

    /// Notes `a OP b` in [`Program::comparisons`] when one side is a series and the other
    /// a constant number or percentage.
    fn note_comparison(&mut self, op: BinaryOp, a: (&Term, &Expr), b: (&Term, &Expr), span: Span) {
        let crossing = matches!(op, BinaryOp::CrossesAbove | BinaryOp::CrossesBelow);
        if !(op.is_comparison() || crossing) || self.comparisons.iter().any(|c| c.span == span) {
            return;
        }
        let series = |t: &Term| match t {
            Term::Series(name) | Term::Data(name) => Some(name.clone()),
            _ => None,
        };
        let constant = |e: &Expr| match self.constant(e) {
            Some(Const::Number(v)) => Some((v, false)),
            Some(Const::Percent(v)) => Some((v, true)),
            _ => None,
        };
        let (name, (value, percent), op) = match (series(a.0), series(b.0)) {
            (Some(name), None) => match constant(b.1) {
                Some(c) => (name, c, op),
                None => return,
            },
            (None, Some(name)) => match constant(a.1) {
                Some(c) => (name, c, mirrored(op)),
                None => return,
            },
            _ => return,
        };
        self.comparisons.push(Comparison {
            series: name,
            op,
            constant: value,
            percent,
            span,
        });
    }

    pub(super) fn call(&mut self, func: &Name, args: &[Expr], span: Span, subject_ok: bool) -> Typed {
        // Script functions are known by name and number of parameters: `f(s)` and `f(s, n)`
        // may both exist. The exact count wins; one parameter more takes the rule's symbol.
        let overloads = || self.ctx.scripts.iter().filter(|f| f.name == func.text);
        if let Some(first) = overloads().next() {
            let given = args.len();
            let exact = overloads().find(|f| f.arity == given);
            let with_subject = overloads().find(|f| subject_ok && f.arity == given + 1);
            let (arity, implicit) = match (exact, with_subject) {
                (Some(f), _) => (f.arity, false),
                (None, Some(f)) => (f.arity, true),
                (None, None) => {
                    let mut arities: Vec<usize> = overloads().map(|f| f.arity).collect();
                    arities.sort_unstable();
                    arities.dedup();
                    let expected = match arities.as_slice() {
                        [one] => count(*one, "argument"),
                        many => format!(
                            "{} arguments",
                            many.iter().map(ToString::to_string).collect::<Vec<_>>().join(" or ")
                        ),
                    };
                    self.errors.push(CheckError::Arity {
                        name: func.text.clone(),
                        expected,
                        found: given,
                        signature: format!("{}({})", func.text, vec!["…"; first.arity].join(", ")),
                        span: func.span,
                        related: overloads()
                            .map(|f| {
                                miette::LabeledSpan::new_with_span(
                                    Some(format!("defined here with {}", count(f.arity, "parameter"))),
                                    f.span,
                                )
                            })
                            .collect(),
                    });
                    (first.arity, false)
                }
            };
            let mut terms = Vec::with_capacity(arity);
            if implicit {
                terms.push(Term::Subject);
            }
            for a in args {
                let typed = self.expr(a, subject_ok);
                self.expect_not_duration(typed.ty, a);
                terms.push(typed.term);
            }
            let index = self
                .ctx
                .scripts
                .iter()
                .position(|f| f.name == func.text && f.arity == terms.len())
                .unwrap_or(usize::MAX);
            let term = Term::Script {
                index,
                args: terms,
                span,
            };
            return Typed::new(Ty::Dynamic, term);
        }
        if matches!(func.text.as_str(), "highest" | "lowest")
            && matches!(args.first().map(|a| &a.kind), Some(ExprKind::SinceEntry(_)))
        {
            return self.since_entry(func, args, span);
        }
        let Some(f) = functions::lookup(&func.text) else {
            self.unknown_function(func);
            for a in args {
                self.expr(a, subject_ok);
            }
            return Typed::error();
        };
        let implicit = subject_ok && f.takes_subject() && args.len() + 1 == f.required().max(1);
        let given = args.len() + usize::from(implicit);
        if given < f.required() || given > f.params.len() {
            let expected = if f.required() == f.params.len() {
                count(f.required(), "argument")
            } else {
                format!("{} to {} arguments", f.required(), f.params.len())
            };
            self.errors.push(CheckError::Arity {
                name: f.name.to_string(),
                expected,
                found: args.len(),
                signature: f.signature(),
                span: func.span,
                related: Vec::new(),
            });
            return Typed::new(Ty::Number, Term::Number(f64::NAN));
        }
        let mut resolved = Vec::with_capacity(given);
        if implicit {
            resolved.push(Arg::Value(Term::Subject));
        }
        let params = &f.params[usize::from(implicit)..];
        for (arg, param) in args.iter().zip(params) {
            resolved.push(self.argument(f, param, arg, subject_ok));
        }
        self.note_position_call(f.builtin, &resolved, args);
        Typed::new(Ty::Number, Term::Call(f.builtin, resolved))
    }

    /// Checks one argument of a built-in function against its parameter.
    fn argument(&mut self, f: &Function, param: &functions::Param, arg: &Expr, subject_ok: bool) -> Arg {
        let Typed { ty, term } = self.expr(arg, subject_ok);
        match param.kind {
            // `bars_since(COND)` counts bars since a condition held.
            ParamKind::Value if f.builtin == Builtin::BarsSince => self.expect_condition(ty, arg),
            ParamKind::Source | ParamKind::Value => self.expect_numeric(ty, arg),
            ParamKind::Symbol => {
                if !matches!(ty, Ty::Symbol | Ty::Data | Ty::Error) {
                    self.errors.push(CheckError::TypeMismatch {
                        message: format!("`{}` needs a symbol", f.name),
                        span: arg.span,
                        label: format!("this is {}", ty.words()),
                        help: format!("write `{}`", f.signature().replace("symbol", "IWO")),
                    });
                }
            }
            ParamKind::Series => {
                if !matches!(ty, Ty::Series | Ty::Data | Ty::Error) {
                    self.errors.push(CheckError::TypeMismatch {
                        message: format!("`{}` needs a data series", f.name),
                        span: arg.span,
                        label: if ty == Ty::Symbol {
                            "this is a symbol".into()
                        } else {
                            format!("this is {}", ty.words())
                        },
                        help: "observations belong to a series such as `UNRATE`; for a symbol or an expression, `x[1]` is the value one bar earlier".into(),
                    });
                }
            }
            ParamKind::Window => return Arg::Window(self.window(arg, ty)),
            ParamKind::Constant if f.builtin == Builtin::Percentile => match self.constant(arg) {
                Some(Const::Number(p) | Const::Percent(p)) if (0.0..=1.0).contains(&p) => {
                    return Arg::Value(Term::Number(p));
                }
                _ if ty == Ty::Error => {}
                _ => self.errors.push(CheckError::TypeMismatch {
                    message: "a percentile is a fixed share between 0 and 1".into(),
                    span: arg.span,
                    label: "not between 0% and 100%".into(),
                    help: "write it as a percentage, such as `80%` (or `0.8`)".into(),
                }),
            },
            ParamKind::Constant => match self.constant(arg) {
                Some(Const::Number(k) | Const::Percent(k)) => return Arg::Value(Term::Number(k)),
                _ if ty == Ty::Error => {}
                _ => self.errors.push(CheckError::TypeMismatch {
                    message: format!("`{}` must be a fixed number", param.name),
                    span: arg.span,
                    label: "not a constant".into(),
                    help: format!("write a number such as `2`: `{}`", f.signature()),
                }),
            },
        }
        Arg::Value(term)
    }

    fn unknown_function(&mut self, func: &Name) {
        let mut names: Vec<&str> = FUNCTIONS.iter().map(|f| f.name).collect();
        names.extend(self.ctx.scripts.iter().map(|s| s.name.as_str()));
        let best = did_you_mean(&func.text, names.iter().copied());
        let help = match best {
            Some(b) => offer(b),
            None if !self.ctx.scripts.is_empty() => format!(
                "the `use`d scripts define: {}",
                self.ctx
                    .scripts
                    .iter()
                    .map(|s| format!("`{}`", s.name))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            None => "see the list of functions in docs/LANGUAGE.md, or define it in a `use`d .rhai file".into(),
        };
        let related = self
            .ctx
            .scripts
            .iter()
            .filter(|s| best.is_none_or(|b| b == s.name))
            .map(|s| miette::LabeledSpan::new_with_span(Some(format!("`{}` is defined here", s.name)), s.span))
            .collect();
        self.errors.push(CheckError::UnknownFunction {
            name: func.text.clone(),
            span: func.span,
            help,
            related,
        });
    }

    /// A window: a duration or a whole number of bars, known before the run.
    pub(super) fn window(&mut self, arg: &Expr, ty: Ty) -> Window {
        let value = self.constant(arg);
        let too_long = match &value {
            Some(Const::Duration(n, unit)) => n * unit.trading_days() > MAX_WINDOW_TRADING_DAYS,
            Some(Const::Number(n)) => *n > MAX_WINDOW_BARS as f64,
            _ => false,
        };
        if too_long && ty != Ty::Error {
            self.window_too_long(arg.span);
            return Window::Bars(1.0);
        }
        let window = match value {
            Some(Const::Duration(n, unit)) if n >= 1.0 && n.fract() == 0.0 => Some(Window::Duration(n, unit)),
            Some(Const::Number(n)) if n >= 1.0 && n.fract() == 0.0 => Some(Window::Bars(n)),
            _ => None,
        };
        if window.is_none() && ty != Ty::Error {
            // A whole number below 1 (`sma(IWO, 0)`) is the right kind, the wrong size.
            let below_one = match &value {
                Some(Const::Number(n) | Const::Duration(n, _)) => *n < 1.0 && n.fract() == 0.0,
                _ => false,
            };
            let (message, label) = if below_one {
                (
                    "a window must be at least 1".to_string(),
                    "this is less than 1".to_string(),
                )
            } else {
                (
                    "a window must be a whole number of bars or a duration".to_string(),
                    format!("this is {}", ty.words()),
                )
            };
            self.errors.push(CheckError::TypeMismatch {
                message,
                span: arg.span,
                label,
                help: "write a bar count such as `200` or a duration such as `200 days` or `3 months`".into(),
            });
        }
        window.unwrap_or(Window::Bars(1.0))
    }

    fn window_too_long(&mut self, span: Span) {
        self.errors.push(CheckError::WindowTooLong {
            span,
            limit: crate::report::number::thousands(MAX_WINDOW_BARS as f64),
        });
    }

    pub(super) fn expect_numeric(&mut self, ty: Ty, e: &Expr) {
        if !ty.numeric() {
            let help = if ty == Ty::Duration {
                "durations are only for windows, as in `sma(IWO, 50 days)`".to_string()
            } else {
                "arithmetic and comparisons work on numbers, such as prices, series and indicators".to_string()
            };
            self.errors.push(CheckError::TypeMismatch {
                message: format!("expected a number, found {}", ty.words()),
                span: e.span,
                label: "not a number".into(),
                help,
            });
        }
    }

    pub(super) fn expect_not_duration(&mut self, ty: Ty, e: &Expr) {
        if ty == Ty::Duration {
            self.expect_numeric(ty, e);
        }
    }

    pub(super) fn expect_condition(&mut self, ty: Ty, e: &Expr) {
        if !ty.boolean() {
            self.errors.push(CheckError::TypeMismatch {
                message: format!("expected a condition, found {}", ty.words()),
                span: e.span,
                label: "not true or false".into(),
                help: "compare it with something, for example `fed_cut_prob > 0.8`".into(),
            });
        }
    }

    pub(super) fn currency_code(&mut self, code: Option<&str>, span: Span) {
        let Some(code) = code else { return };
        if code == "USD" || self.currency.as_deref() == Some(code) {
            return;
        }
        let help = match &self.currency {
            Some(base) => format!("amounts are in USD or in {base}, the declared currency"),
            None => format!("amounts are in USD; to invest in {code}, add `currency {code} using <rate series>`"),
        };
        self.errors.push(CheckError::InvalidValue {
            message: format!("unknown currency `{code}`"),
            span,
            label: "not a currency of this strategy".into(),
            help,
        });
    }
}

/// The operator that says the same with its sides swapped: `80 < x` is `x > 80`; `80
/// crosses above x` is `x crosses below 80`.
fn mirrored(op: BinaryOp) -> BinaryOp {
    match op {
        BinaryOp::Lt => BinaryOp::Gt,
        BinaryOp::Le => BinaryOp::Ge,
        BinaryOp::Gt => BinaryOp::Lt,
        BinaryOp::Ge => BinaryOp::Le,
        BinaryOp::CrossesAbove => BinaryOp::CrossesBelow,
        BinaryOp::CrossesBelow => BinaryOp::CrossesAbove,
        other => other,
    }
}

/// Why `series`, a column of `file` (an index download such as `Date,^RUT`), is no symbol:
/// a file without a close column is a table of series.
fn series_column_help(series: &str, file: &str) -> String {
    let stem = std::path::Path::new(file)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or(file);
    format!(
        "`{file}` has no close column, so its column `{series}` was read as a series: to trade it, \
         rename the column to `Close` and trade `{stem}` (a file's symbol is named by the file), or \
         load it with `data \"{file}\" as NAME` after the rename (docs/DATA.md)"
    )
}

/// Why `symbol` is unknown when `file`, named like it, was read as `series` because it has
/// no close column (`IWM.csv` with `Date,Price`).
fn read_as_series_help(symbol: &str, file: &str, series: &[String]) -> String {
    let names: Vec<String> = series.iter().map(|s| format!("`{s}`")).collect();
    let (what, column) = match series {
        [one] => (format!("a series {}", names[0]), format!("its column `{one}`")),
        _ => (
            format!("the series {}", names.join(", ")),
            "its price column".to_string(),
        ),
    };
    format!(
        "`{file}` has no close column, so it was read as {what} (named by its column), not as the \
         prices of `{symbol}`: rename {column} to `Close` to trade it, or read it as a series on \
         purpose with `data \"{file}\" as series NAME` (docs/DATA.md)"
    )
}
