//! Syntax tree → checked [`Strategy`]: names, arities and types, before any backtest runs.
//!
//! Without data the checker resolves parameters, functions and portfolio names, and takes
//! any other name as "a symbol or series"; given a [`Catalog`] of the data's names it also
//! decides which is which and reports unknown ones with a suggestion. Every error of the
//! file is collected, not just the first.

mod error;
pub mod functions;
mod strategy;

use std::collections::HashMap;

pub use error::CheckError;
pub use functions::{Builtin, FUNCTIONS, Function, PORTFOLIO_NAMES, ParamKind};
pub use strategy::*;

use crate::source::Span;
use crate::suggest::{did_you_mean, help_for};
use crate::syntax::ast::*;

/// The names in the loaded data.
#[derive(Clone, Debug, Default)]
pub struct Catalog {
    pub symbols: Vec<String>,
    pub series: Vec<String>,
}

pub use crate::script::ScriptFunction;

/// What the checker knows beyond the file itself.
#[derive(Clone, Copy, Debug, Default)]
pub struct Context<'a> {
    pub data: Option<&'a Catalog>,
    pub scripts: &'a [ScriptFunction],
}

/// The type of an expression.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ty {
    Number,
    Percent,
    Money,
    Bool,
    Duration,
    Symbol,
    Series,
    /// A symbol or a series: the data will tell.
    Data,
    /// A rhai function's result: a number, true/false, or not available.
    Dynamic,
    /// Already reported; don't report again.
    Error,
}

impl Ty {
    fn numeric(self) -> bool {
        !matches!(self, Ty::Bool | Ty::Duration)
    }

    fn boolean(self) -> bool {
        matches!(self, Ty::Bool | Ty::Dynamic | Ty::Error)
    }

    fn words(self) -> &'static str {
        match self {
            Ty::Number | Ty::Percent | Ty::Money | Ty::Symbol | Ty::Series | Ty::Data => "a number",
            Ty::Bool => "a condition (true or false)",
            Ty::Duration => "a duration",
            Ty::Dynamic | Ty::Error => "a value",
        }
    }
}

/// A constant: a literal, or a parameter bound to one.
#[derive(Clone, Debug, PartialEq)]
pub enum Const {
    Number(f64),
    Percent(f64),
    Money(f64, Option<String>),
    Duration(f64, TimeUnit),
    Symbol(String),
}

/// Checks a parsed file.
pub fn check(file: &File, ctx: Context) -> Result<Strategy, Vec<CheckError>> {
    let mut checker = Checker {
        ctx,
        errors: Vec::new(),
        params: HashMap::new(),
        currency: None,
    };
    let strategy = checker.check_file(file);
    if checker.errors.is_empty() {
        Ok(strategy)
    } else {
        Err(checker.errors)
    }
}

struct Checker<'a> {
    ctx: Context<'a>,
    errors: Vec<CheckError>,
    /// Parameters seen so far: type, constant value if any, where defined.
    params: HashMap<String, (Ty, Option<Const>, Span)>,
    currency: Option<String>,
}

impl Checker<'_> {
    fn check_file(&mut self, file: &File) -> Strategy {
        let mut s = Strategy {
            name: None,
            description: None,
            data: Vec::new(),
            scripts: Vec::new(),
            capital: None,
            contributions: Vec::new(),
            fee_rate: 0.0,
            fee_per_trade: 0.0,
            slippage: 0.0,
            expenses: Vec::new(),
            fill: FillModel::NextOpen,
            fill_given: false,
            benchmark: None,
            currency: None,
            shares: ShareMode::Fractional,
            lags: Vec::new(),
            risk_free: None,
            from: None,
            to: None,
            params: Vec::new(),
            rules: Vec::new(),
        };
        // The base currency must be known before any money is checked.
        for st in file.statements() {
            if let StatementKind::Currency { code, .. } = &st.kind {
                self.currency = Some(code.text.clone());
            }
        }
        let mut seen: HashMap<&'static str, Span> = HashMap::new();
        let mut once = |this: &mut Self, setting: &'static str, span: Span| {
            if let Some(first) = seen.insert(setting, span) {
                this.errors.push(CheckError::DuplicateSetting { setting, span, first });
            }
        };
        for st in file.statements() {
            let span = st.span;
            match &st.kind {
                StatementKind::Strategy(t) => {
                    once(self, "strategy", span);
                    s.name = Some(t.value.clone());
                }
                StatementKind::Description(t) => {
                    once(self, "description", span);
                    s.description = Some(t.value.clone());
                }
                StatementKind::Data { path, alias } => s.data.push(DataLine {
                    path: path.value.clone(),
                    alias: alias.as_ref().map(|a| a.text.clone()),
                    span: path.span,
                }),
                StatementKind::Use(t) => s.scripts.push((t.value.clone(), t.span)),
                StatementKind::Capital(e) => {
                    once(self, "capital", span);
                    s.capital = self.money(e, "capital", true);
                }
                StatementKind::Contribute { amount, schedule } => {
                    self.schedule(schedule);
                    if let Some(amount) = self.money(amount, "contribute", false) {
                        s.contributions.push(Contribution {
                            amount,
                            schedule: schedule.clone(),
                            span,
                        });
                    }
                }
                StatementKind::Fees(fees) => {
                    once(self, "fees", span);
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
                StatementKind::Slippage(e) => {
                    once(self, "slippage", span);
                    s.slippage = self.percent(e, "slippage", 0.0, 0.2).unwrap_or(0.0);
                }
                StatementKind::Expense(items) => {
                    for (name, ratio) in items {
                        let sym = self.symbol(name);
                        if let (Some(sym), Some(r)) = (sym, self.percent(ratio, "an expense ratio", 0.0, 0.2)) {
                            s.expenses.push((sym, r, name.span));
                        }
                    }
                }
                StatementKind::Fill(model) => {
                    once(self, "fill", span);
                    s.fill = *model;
                    s.fill_given = true;
                }
                StatementKind::Benchmark(name) => {
                    once(self, "benchmark", span);
                    s.benchmark = self.symbol(name).map(|sym| (sym, name.span));
                }
                StatementKind::Currency { code, rate } => {
                    once(self, "currency", span);
                    if code.text == "USD" {
                        self.errors.push(CheckError::InvalidValue {
                            message: "USD is already the base currency".into(),
                            span: code.span,
                            label: "no conversion needed".into(),
                            help: "remove this line, or name the currency you invest in, such as `currency KRW using usdkrw`".into(),
                        });
                    }
                    self.series(rate);
                    s.currency = Some(Currency {
                        code: code.text.clone(),
                        rate_series: rate.text.clone(),
                        span,
                    });
                }
                StatementKind::Shares(mode) => {
                    once(self, "shares", span);
                    s.shares = *mode;
                }
                StatementKind::Lag { series, by } => {
                    self.series(series);
                    if let ExprKind::Duration { amount, unit } = &by.kind {
                        let n = amount.value.round() as i32;
                        let (days, months) = match unit {
                            TimeUnit::Days => (n, 0),
                            TimeUnit::Weeks => (7 * n, 0),
                            TimeUnit::Months => (0, n),
                            TimeUnit::Years => (0, 12 * n),
                        };
                        s.lags.push(SeriesLag {
                            series: series.text.clone(),
                            days,
                            months,
                            span,
                        });
                    }
                }
                StatementKind::RiskFree(name) => {
                    once(self, "risk free", span);
                    self.series(name);
                    s.risk_free = Some((name.text.clone(), name.span));
                }
                StatementKind::Period { from, to } => {
                    if let Some(f) = from {
                        once(self, "from", f.span);
                        s.from = Some(f.date);
                    }
                    if let Some(t) = to {
                        once(self, "to", t.span);
                        s.to = Some(t.date);
                    }
                    if let (Some(f), Some(t)) = (from, to)
                        && f.date >= t.date
                    {
                        self.errors.push(CheckError::InvalidValue {
                            message: "the period ends before it starts".into(),
                            span: f.span.to(t.span),
                            label: "empty period".into(),
                            help: "write the earlier date first: `from 2010-01-01 to 2020-12-31`".into(),
                        });
                    }
                }
                StatementKind::Let { name, value } => self.define(name, value, &mut s),
                StatementKind::Rule(rule) => {
                    if let Some(rule) = self.rule(rule) {
                        s.rules.push(rule);
                    }
                }
            }
        }
        if s.rules.is_empty() && self.errors.is_empty() {
            let span = file.lines.first().map_or(Span::default(), |l| l.span);
            self.errors.push(CheckError::NoRules { span });
        }
        s
    }

    // ------------------------------------------------------------ parameters

    fn define(&mut self, name: &Name, value: &Expr, s: &mut Strategy) {
        if let Some((_, _, first)) = self.params.get(&name.text) {
            self.errors.push(CheckError::DuplicateLet {
                name: name.text.clone(),
                span: name.span,
                first: *first,
            });
            return;
        }
        if is_reserved_value(&name.text) || functions::lookup(&name.text).is_some() {
            self.errors.push(CheckError::InvalidValue {
                message: format!("`{}` is a built-in name", name.text),
                span: name.span,
                label: "cannot be redefined".into(),
                help: "choose another name for the parameter".into(),
            });
            return;
        }
        if let Some(catalog) = self.ctx.data
            && (catalog.symbols.contains(&name.text) || catalog.series.contains(&name.text))
        {
            self.errors.push(CheckError::InvalidValue {
                message: format!("`{}` is already a name in the data", name.text),
                span: name.span,
                label: "would hide the data".into(),
                help: "choose another name for the parameter".into(),
            });
            return;
        }
        let ty = self.expr(value, false);
        let constant = self.constant(value);
        self.params.insert(name.text.clone(), (ty, constant, name.span));
        s.params.push(Param {
            name: name.text.clone(),
            value: value.clone(),
            span: name.span,
        });
    }

    /// The constant value of an expression, if it has one (literals, parameters bound to
    /// literals, and arithmetic on those).
    fn constant(&self, e: &Expr) -> Option<Const> {
        Some(match &e.kind {
            ExprKind::Number(n) => Const::Number(n.value),
            ExprKind::Percent(n) => Const::Percent(n.value),
            ExprKind::Money { amount, currency } => Const::Money(amount.value, currency.clone()),
            ExprKind::Duration { amount, unit } => Const::Duration(amount.value, *unit),
            ExprKind::Group(inner) => self.constant(inner)?,
            ExprKind::Unary { op: UnaryOp::Neg, expr } => match self.constant(expr)? {
                Const::Number(v) => Const::Number(-v),
                Const::Percent(v) => Const::Percent(-v),
                Const::Money(v, c) => Const::Money(-v, c),
                _ => return None,
            },
            ExprKind::Name(n) => match self.params.get(&n.text) {
                Some((_, c, _)) => c.clone()?,
                None => {
                    let data = self.ctx.data?;
                    if data.symbols.contains(&n.text) {
                        Const::Symbol(n.text.clone())
                    } else {
                        return None;
                    }
                }
            },
            _ => return None,
        })
    }

    // ------------------------------------------------------------ names

    /// Resolves a name that must be a tradable symbol; returns the ticker.
    fn symbol(&mut self, name: &Name) -> Option<String> {
        if let Some((ty, c, _)) = self.params.get(&name.text) {
            return match c {
                Some(Const::Symbol(s)) => Some(s.clone()),
                _ if *ty == Ty::Data => Some(name.text.clone()),
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
            self.errors.push(CheckError::TypeMismatch {
                message: format!("`{}` is a data series, not a symbol you can trade", name.text),
                span: name.span,
                label: "a series".into(),
                help: help_for(&name.text, "symbols in the data", &refs(&data.symbols), 12),
            });
            return None;
        }
        self.errors.push(CheckError::UnknownName {
            what: "symbol",
            name: name.text.clone(),
            span: name.span,
            help: help_for(&name.text, "symbols in the data", &refs(&data.symbols), 12),
        });
        None
    }

    /// Resolves a name that must be a data series.
    fn series(&mut self, name: &Name) {
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

    /// The type of a name in an expression.
    fn name(&mut self, name: &Name, subject_ok: bool) -> Ty {
        if subject_ok && name.text == SUBJECT {
            return Ty::Symbol;
        }
        if let Some((ty, _, _)) = self.params.get(&name.text) {
            return *ty;
        }
        if is_reserved_value(&name.text) {
            return Ty::Number;
        }
        let Some(data) = self.ctx.data else {
            return Ty::Data;
        };
        if data.symbols.contains(&name.text) {
            return Ty::Symbol;
        }
        if data.series.contains(&name.text) {
            return Ty::Series;
        }
        let mut all: Vec<&str> = data.series.iter().chain(&data.symbols).map(String::as_str).collect();
        all.extend(self.params.keys().map(String::as_str));
        all.extend(PORTFOLIO_NAMES.iter().map(|(n, _)| *n));
        let best = did_you_mean(&name.text, all.iter().copied());
        let what = match best {
            Some(b) if data.symbols.iter().any(|s| s == b) => "symbol",
            Some(b) if data.series.iter().any(|s| s == b) => "series",
            Some(_) => "name",
            None => "series or symbol",
        };
        let help = match best {
            Some(b) => format!("did you mean `{b}`?"),
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
        Ty::Error
    }

    // ------------------------------------------------------------ expressions

    /// Checks an expression and returns its type. `subject_ok`: inside `rotate … by`.
    fn expr(&mut self, e: &Expr, subject_ok: bool) -> Ty {
        match &e.kind {
            ExprKind::Number(_) => Ty::Number,
            ExprKind::Percent(_) => Ty::Percent,
            ExprKind::Money { currency, .. } => {
                self.currency_code(currency.as_deref(), e.span);
                Ty::Money
            }
            ExprKind::Duration { .. } => Ty::Duration,
            ExprKind::Bool(_) => Ty::Bool,
            ExprKind::Name(n) => self.name(n, subject_ok),
            ExprKind::Group(inner) => self.expr(inner, subject_ok),
            ExprKind::Lag { expr, .. } => {
                let ty = self.expr(expr, subject_ok);
                self.expect_not_duration(ty, expr);
                if ty == Ty::Bool { Ty::Bool } else { Ty::Number }
            }
            ExprKind::Unary { op: UnaryOp::Neg, expr } => {
                let ty = self.expr(expr, subject_ok);
                self.expect_numeric(ty, expr);
                Ty::Number
            }
            ExprKind::Unary { op: UnaryOp::Not, expr } => {
                let ty = self.expr(expr, subject_ok);
                self.expect_condition(ty, expr);
                Ty::Bool
            }
            ExprKind::Binary { op, lhs, rhs } => {
                let (lt, rt) = (self.expr(lhs, subject_ok), self.expr(rhs, subject_ok));
                match op {
                    BinaryOp::And | BinaryOp::Or => {
                        self.expect_condition(lt, lhs);
                        self.expect_condition(rt, rhs);
                        Ty::Bool
                    }
                    _ => {
                        self.expect_numeric(lt, lhs);
                        self.expect_numeric(rt, rhs);
                        if op.is_comparison() { Ty::Bool } else { Ty::Number }
                    }
                }
            }
            ExprKind::Call { func, args } => self.call(func, args, subject_ok),
        }
    }

    fn call(&mut self, func: &Name, args: &[Expr], subject_ok: bool) -> Ty {
        if let Some(script) = self.ctx.scripts.iter().find(|f| f.name == func.text) {
            let (arity, given) = (script.arity, args.len());
            let implicit = subject_ok && given + 1 == arity;
            if given != arity && !implicit {
                self.errors.push(CheckError::Arity {
                    name: func.text.clone(),
                    expected: plural(arity, "argument"),
                    found: given,
                    signature: format!("{}({})", func.text, vec!["…"; arity].join(", ")),
                    span: func.span,
                    related: vec![miette::LabeledSpan::new_with_span(
                        Some(format!("defined here with {}", plural(arity, "parameter"))),
                        script.span,
                    )],
                });
            }
            for a in args {
                let ty = self.expr(a, subject_ok);
                self.expect_not_duration(ty, a);
            }
            return Ty::Dynamic;
        }
        let Some(f) = functions::lookup(&func.text) else {
            let mut names: Vec<&str> = FUNCTIONS.iter().map(|f| f.name).collect();
            names.extend(self.ctx.scripts.iter().map(|s| s.name.as_str()));
            let best = did_you_mean(&func.text, names.iter().copied());
            let help = match best {
                Some(b) => format!("did you mean `{b}`?"),
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
            for a in args {
                self.expr(a, subject_ok);
            }
            return Ty::Error;
        };
        let implicit = subject_ok && f.takes_subject() && args.len() + 1 == f.required().max(1);
        let given = args.len() + usize::from(implicit);
        if given < f.required() || given > f.params.len() {
            let expected = if f.required() == f.params.len() {
                plural(f.required(), "argument")
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
            return Ty::Number;
        }
        let params = &f.params[usize::from(implicit)..];
        for (arg, param) in args.iter().zip(params) {
            let ty = self.expr(arg, subject_ok);
            match param.kind {
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
                ParamKind::Window => self.window(arg, ty),
                ParamKind::Constant => {
                    if !matches!(self.constant(arg), Some(Const::Number(_) | Const::Percent(_))) && ty != Ty::Error {
                        self.errors.push(CheckError::TypeMismatch {
                            message: format!("`{}` must be a fixed number", param.name),
                            span: arg.span,
                            label: "not a constant".into(),
                            help: format!("write a number such as `2`: `{}`", f.signature()),
                        });
                    }
                }
            }
        }
        Ty::Number
    }

    /// A window: a duration or a whole number of bars, known before the run.
    fn window(&mut self, arg: &Expr, ty: Ty) {
        if ty == Ty::Error {
            return;
        }
        let ok = match self.constant(arg) {
            Some(Const::Duration(n, _)) => n >= 1.0 && n.fract() == 0.0,
            Some(Const::Number(n)) => n >= 1.0 && n.fract() == 0.0 && n <= 1e7,
            _ => false,
        };
        if !ok {
            self.errors.push(CheckError::TypeMismatch {
                message: "a window must be a whole number of bars or a duration".into(),
                span: arg.span,
                label: format!("this is {}", ty.words()),
                help: "write a bar count such as `200` or a duration such as `200 days` or `3 months`".into(),
            });
        }
    }

    fn expect_numeric(&mut self, ty: Ty, e: &Expr) {
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

    fn expect_not_duration(&mut self, ty: Ty, e: &Expr) {
        if ty == Ty::Duration {
            self.expect_numeric(ty, e);
        }
    }

    fn expect_condition(&mut self, ty: Ty, e: &Expr) {
        if !ty.boolean() {
            self.errors.push(CheckError::TypeMismatch {
                message: format!("expected a condition, found {}", ty.words()),
                span: e.span,
                label: "not true or false".into(),
                help: "compare it with something, for example `fed_cut_prob > 0.8`".into(),
            });
        }
    }

    fn currency_code(&mut self, code: Option<&str>, span: Span) {
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

    // ------------------------------------------------------------ settings

    /// A constant amount of money.
    fn money(&mut self, e: &Expr, what: &str, zero_ok: bool) -> Option<Money> {
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
    fn percent(&mut self, e: &Expr, what: &str, lo: f64, hi: f64) -> Option<f64> {
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

    fn invalid(&mut self, span: Span, message: String, help: &str) {
        self.errors.push(CheckError::InvalidValue {
            message,
            span,
            label: "here".into(),
            help: help.to_string(),
        });
    }

    fn schedule(&mut self, s: &Schedule) {
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

    // ------------------------------------------------------------ rules

    fn rule(&mut self, rule: &Rule) -> Option<Rule> {
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

    fn amount(&mut self, a: &Amount, buy: bool) {
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

    fn weight(&mut self, e: &Expr) -> Option<f64> {
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
    fn with_subject(&self, e: &Expr) -> Expr {
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

fn is_reserved_value(name: &str) -> bool {
    PORTFOLIO_NAMES.iter().any(|(n, _)| *n == name)
}

fn refs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn round_pct(fraction: f64) -> f64 {
    (fraction * 100.0 * 1e6).round() / 1e6
}

fn label_help() -> String {
    "a parameter used as a symbol must hold one, such as `let sym = IWM`".to_string()
}
