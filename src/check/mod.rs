//! Syntax tree → checked [`Strategy`]: names, arities and types, before any backtest runs.
//!
//! Without data the checker resolves parameters, functions and portfolio names, and takes
//! any other name as "a symbol or series"; given a [`Catalog`] of the data's names it also
//! decides which is which and reports unknown ones with a suggestion. Every error of the
//! file is collected, not just the first.

mod error;
pub mod functions;
mod names;
mod rules;
mod settings;
mod strategy;

use std::collections::HashMap;

pub use error::CheckError;
pub use functions::{Builtin, FUNCTIONS, Function, PORTFOLIO_NAMES, ParamKind};
pub use strategy::*;

use crate::source::Span;

use crate::syntax::ast::*;

/// The names in the loaded data.
#[derive(Clone, Debug, Default)]
pub struct Catalog {
    pub symbols: Vec<String>,
    pub series: Vec<String>,
    /// Whether FedWatch data is loaded, so `fed_cut_prob(meeting 2)` and the like exist.
    pub fedwatch: bool,
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
