//! Syntax tree → a resolved [`Program`]: names, arities and types checked before any
//! backtest runs, and the result handed to the engine in its own terms: every name
//! classified ([`Term`]), every constant folded once, every window typed as bars or a
//! calendar duration, each `let` one value read by reference.
//!
//! Without data the checker resolves parameters, functions and portfolio names, and takes
//! any other name as "a symbol or series"; given a [`Catalog`] of the data's names it also
//! decides which is which and reports unknown ones with a suggestion. Every error of the
//! file is collected, not just the first.

pub mod calendar;
mod computed;
mod error;
pub mod functions;
mod hold;
mod money;
mod names;
mod priced;
mod program;
mod rules;
mod scripts;
mod settings;
mod sleeves;
mod state;
mod term;

use std::collections::HashMap;

pub use error::CheckError;
pub use functions::{Builtin, FUNCTIONS, Function, PORTFOLIO_NAMES, ParamKind};
pub use program::*;
pub use term::{Arg, Term, Window};

use crate::source::Span;

use crate::syntax::ast::{self, Expr, ExprKind, File, Name, Statement, StatementKind};

/// The longest window or look-back a strategy may ask for, in bars: a bare count above it,
/// or a duration above 100 years of trading days (25,200, which at 390 one-minute bars a day
/// is 9,828,000 bars), is longer than any data and refused before anything is allocated.
pub const MAX_WINDOW_BARS: usize = 10_000_000;
/// The longest duration window, in trading days (100 years).
pub const MAX_WINDOW_TRADING_DAYS: f64 = 25_200.0;

/// The names in the loaded data.
#[derive(Clone, Debug, Default)]
pub struct Catalog {
    pub symbols: Vec<String>,
    pub series: Vec<String>,
    /// Whether FedWatch data is loaded, so `fed_cut_prob(meeting 2)` and the like exist.
    pub fedwatch: bool,
    /// Which days of the week have a price bar in the data: bit 0 is Monday, bit 6 Sunday;
    /// 0 when not known (no prices loaded, or less than eight weeks of them). `weekly on
    /// saturday` on weekday-only data is refused with it.
    pub bar_weekdays: u8,
    /// Files read as series because they have no close column, each with the series they
    /// gave (`IWM.csv` with `Date,Price` gives the series `Price`): an unknown symbol named
    /// like such a file is explained by it.
    pub series_files: Vec<(String, Vec<String>)>,
}

impl Catalog {
    /// The file named like `symbol` (`IWM.csv`, `downloads/iwm.csv` for `IWM`) that was read
    /// as series instead of prices, and those series.
    pub fn read_as_series(&self, symbol: &str) -> Option<(&str, &[String])> {
        self.series_files
            .iter()
            .find(|(file, _)| {
                std::path::Path::new(file)
                    .file_stem()
                    .and_then(|s| s.to_str())
                    .is_some_and(|stem| stem.eq_ignore_ascii_case(symbol))
            })
            .map(|(file, series)| (file.as_str(), series.as_slice()))
    }
}

pub use crate::script::ScriptFunction;

/// What the checker knows beyond the file itself.
#[derive(Clone, Copy, Debug, Default)]
pub struct Context<'a> {
    pub data: Option<&'a Catalog>,
    pub scripts: &'a [ScriptFunction],
    /// A file without rules is no error (the REPL checks a session before it has any).
    pub rules_optional: bool,
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
pub fn check(file: &File, ctx: Context) -> Result<Program, Vec<CheckError>> {
    let mut checker = Checker {
        ctx,
        errors: Vec::new(),
        params: HashMap::new(),
        currency: None,
        seen: HashMap::new(),
        comparisons: Vec::new(),
        named_seen: HashMap::new(),
        dividend_tax: None,
        position_reads: Vec::new(),
        rule_exits: Vec::new(),
        no_effects: Vec::new(),
    };
    let program = checker.check_file(file);
    if checker.errors.is_empty() {
        Ok(program)
    } else {
        Err(checker.errors)
    }
}

/// The name standing for each candidate in a `rotate … by` expression while it is checked.
const SUBJECT: &str = "@subject";

struct Checker<'a> {
    ctx: Context<'a>,
    errors: Vec<CheckError>,
    /// Parameters seen so far, by name.
    params: HashMap<String, Param>,
    currency: Option<String>,
    /// Settings given once per file, and where.
    seen: HashMap<&'static str, Span>,
    /// Comparisons of a series with a constant, as met (see [`Program::comparisons`]).
    comparisons: Vec<Comparison>,
    /// Settings given once per name, and where: `stale … after` by series (or for every
    /// series), `lag` by series, `expense` by symbol.
    named_seen: HashMap<String, Span>,
    /// `tax dividends 15%`: the rate, and where.
    dividend_tax: Option<(f64, Span)>,
    /// Positions read (by `entry_price`, `since entry`, an exit `on` a symbol): the symbol,
    /// where, and what reads it; each must be traded ([`Checker::positions_traded`]).
    position_reads: Vec<(String, Span, String)>,
    /// Each rule's `with` exits, by its index in [`Program::rules`], until they are settled
    /// against the other rules and the exit lines ([`Checker::settle_rule_exits`]).
    rule_exits: Vec<(usize, Vec<state::RuleExit>)>,
    /// Forms that do nothing, as met ([`Program::no_effects`]).
    no_effects: Vec<NoEffect>,
}

/// A `let` as the checker knows it once its line is checked.
struct Param {
    ty: Ty,
    /// Its constant value, if it has one.
    constant: Option<Const>,
    span: Span,
    /// How the program reads it: its index in [`Program::lets`] ([`Term::Let`]), or its
    /// value itself when that is a leaf ([`Term::is_leaf`]).
    term: Term,
}

/// An expression's type and its resolved form.
struct Typed {
    ty: Ty,
    term: Term,
}

impl Typed {
    fn new(ty: Ty, term: Term) -> Typed {
        Typed { ty, term }
    }

    /// What an expression that has an error is: nothing more to report, nothing to run.
    fn error() -> Typed {
        Typed::new(Ty::Error, Term::Number(f64::NAN))
    }
}

impl Checker<'_> {
    fn check_file(&mut self, file: &File) -> Program {
        let uses: Vec<Span> = file
            .statements()
            .filter_map(|st| match &st.kind {
                StatementKind::Use(path) => Some(path.span),
                _ => None,
            })
            .collect();
        self.shadowed_builtins(&uses);
        let mut s = Program::default();
        // The base currency must be known before any money is checked.
        for st in file.statements() {
            if let StatementKind::Currency { code, .. } = &st.kind {
                self.currency = Some(code.text.clone());
            }
        }
        // Which sleeve each statement stands in (src/check/sleeves.rs).
        let within = self.sleeves(file, &mut s);
        for (st, sleeve) in file.statements().zip(within) {
            let rules = s.rules.len();
            self.statement(st, &mut s);
            for rule in &mut s.rules[rules..] {
                rule.sleeve = sleeve;
            }
        }
        self.sleeve_rules(&s);
        self.dividend_withholding(&mut s);
        if s.rules.is_empty() && self.errors.is_empty() && !self.ctx.rules_optional {
            let span = file.lines.first().map_or(Span::default(), |l| l.span);
            self.errors.push(CheckError::NoRules { span });
        }
        s.traded = first_mentions(s.rules.iter().flat_map(|r| r.action.symbols()));
        self.settle_rule_exits(&mut s);
        // A REPL session may set an exit before the rule that buys its symbol: with no rule
        // yet, there is nothing to hold the exit against.
        if self.errors.is_empty() && !(self.ctx.rules_optional && s.rules.is_empty()) {
            self.positions_traded(&s.traded.clone());
            self.priced_fits(&s);
        }
        calendar::resolve(&mut s);
        s.reads = self.reads(file);
        s.comparisons = std::mem::take(&mut self.comparisons);
        s.no_effects = std::mem::take(&mut self.no_effects);
        s
    }

    /// Checks one statement into the program.
    fn statement(&mut self, st: &Statement, s: &mut Program) {
        let span = st.span;
        match &st.kind {
            StatementKind::Strategy(t) => {
                self.once("strategy", span);
                s.name = Some(t.value.clone());
            }
            StatementKind::Description(t) => {
                self.once("description", span);
                s.description = Some(t.value.clone());
            }
            StatementKind::Data {
                path,
                alias,
                dates,
                series,
            } => s.data.push(DataLine::new(path, alias.as_ref(), *dates, *series)),
            StatementKind::Fomc(path) => s.data.push(DataLine::fomc(path)),
            StatementKind::Use(t) => s.scripts.push((t.value.clone(), t.span)),
            StatementKind::Capital(e) => {
                self.once("capital", span);
                s.capital = self.money(e, "capital", true);
            }
            StatementKind::Contribute { amount, schedule } => self.contribute(amount, schedule, span, s),
            StatementKind::Fees(fees) => {
                self.once("fees", span);
                self.fees(fees, s);
            }
            StatementKind::BarsPerYear(e) => {
                self.once("bars per year", span);
                s.bars_per_year = self.bars_per_year(e);
            }
            StatementKind::Slippage(e) => {
                self.once("slippage", span);
                s.slippage = self.percent(e, "slippage", 0.0, 0.2).unwrap_or(0.0);
            }
            StatementKind::Expense(items) => self.expenses(items, s),
            StatementKind::Fill(model) => {
                self.once("fill", span);
                s.fill = *model;
                s.fill_given = true;
            }
            StatementKind::Benchmark(name) => {
                self.once("benchmark", span);
                s.benchmark = self.symbol(name).map(|sym| (sym, name.span));
            }
            StatementKind::Currency { code, rate } => {
                self.once("currency", span);
                s.currency = Some(self.base_currency(code, rate, span));
            }
            StatementKind::Priced { code, symbols } => {
                self.once("priced in", span);
                s.priced = self.priced(code, symbols, span);
            }
            StatementKind::Shares(mode) => {
                self.shares(*mode, span, s);
            }
            StatementKind::Delisted(rule) => {
                self.once("delisted", span);
                s.delisted = *rule;
            }
            StatementKind::Lag { series, by } => s.lags.extend(self.lag(series, by, span)),
            StatementKind::Stale { series, after } => s.stale.extend(self.stale(series.as_ref(), after, span)),
            StatementKind::Calendar(exchange) => {
                self.once("calendar", span);
                s.calendar = Some((*exchange, span));
            }
            StatementKind::RiskFree(name) => {
                self.once("risk free", span);
                self.series(name);
                s.risk_free = Some((name.text.clone(), name.span));
            }
            StatementKind::Period { from, to } => self.period(from.as_ref(), to.as_ref(), s),
            StatementKind::Let { name, value } => self.define(name, value, s),
            StatementKind::CashInterest(rate) => {
                self.once("cash interest", span);
                s.money.interest = self.cash_interest(rate);
            }
            StatementKind::CostBasis(basis) => {
                self.once("cost basis", span);
                s.money.basis = match basis {
                    ast::CostBasis::Fifo => crate::money::Basis::Fifo,
                    ast::CostBasis::Average => crate::money::Basis::Average,
                };
            }
            StatementKind::Tax(ast::Tax::Dividends { rate, .. }) => {
                self.once("tax dividends", span);
                self.dividend_tax = self.percent(rate, "a dividend tax", 0.0, 1.0).map(|r| (r, span));
            }
            StatementKind::Tax(tax) => {
                self.once("tax", span);
                self.tax_rule(span, s, |c| c.tax(tax));
            }
            StatementKind::Account { low_income } => {
                self.once("account", span);
                self.tax_rule(span, s, |c| c.isa(*low_income, span));
            }
            StatementKind::Withdraw { amount, schedule, from } => {
                s.withdrawals
                    .extend(self.withdraw(amount, schedule, from.as_ref(), span));
            }
            StatementKind::Dividends(how) => self.dividends(how, span, s),
            StatementKind::FxSpread(spread) => {
                self.once("fx spread", span);
                s.money.fx_spread = self.fx_spread(spread).unwrap_or(0.0);
            }
            StatementKind::Exit { kind, level, symbols } => self.exit(*kind, level, symbols, span, s),
            StatementKind::Rule(rule) => self.rule_line(rule, s),
            // Read before the statements (src/check/sleeves.rs).
            StatementKind::Sleeve { .. } => {}
        }
    }

    /// Notes a setting given once per file; a second is an error.
    fn once(&mut self, setting: &'static str, span: Span) {
        if let Some(first) = self.seen.insert(setting, span) {
            self.errors.push(CheckError::setting_twice(setting, span, first));
        }
    }

    /// Names of data read by expressions: in `let` values, then in the rules' conditions,
    /// rankings, computed weights and amounts (see [`Program::reads`]).
    fn reads(&self, file: &File) -> Vec<String> {
        let mut lets = Vec::new();
        let mut rules = Vec::new();
        for st in file.statements() {
            match &st.kind {
                StatementKind::Let { value, .. } => lets.push(value),
                StatementKind::Rule(rule) => {
                    rules.extend(rule.guards.iter().map(|g| &g.condition));
                    match &rule.action {
                        ast::Action::Hold { condition, .. } => rules.push(condition),
                        ast::Action::Rotate { by, .. }
                        | ast::Action::RebalanceWeighted {
                            weighting: ast::Weighting::By(by),
                            ..
                        } => rules.push(by),
                        ast::Action::Buy { amount: Some(a), .. } | ast::Action::Sell { amount: Some(a), .. } => {
                            rules.extend(a.expr())
                        }
                        _ => {}
                    }
                }
                _ => {}
            }
        }
        let names = lets.into_iter().chain(rules).flat_map(Expr::names);
        let data = names.filter(|n| !self.params.contains_key(&n.text) && !is_reserved_value(&n.text));
        first_mentions(data.map(|n| n.text.as_str()))
    }

    // ------------------------------------------------------------ parameters

    fn define(&mut self, name: &Name, value: &Expr, s: &mut Program) {
        if let Some(first) = self.params.get(&name.text) {
            self.errors.push(CheckError::DuplicateLet {
                name: name.text.clone(),
                span: name.span,
                first: first.span,
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
        let Typed { ty, term } = self.expr(value, false);
        let constant = self.constant(value);
        let read_as = if term.is_leaf() {
            term.clone()
        } else {
            Term::Let(s.lets.len())
        };
        let param = Param {
            ty,
            constant,
            span: name.span,
            term: read_as,
        };
        self.params.insert(name.text.clone(), param);
        s.lets.push(Let {
            name: name.text.clone(),
            value: term,
            span: name.span,
        });
    }

    /// The constant value of an expression, if it has one (literals, parameters bound to
    /// literals, and arithmetic on those). The one constant folder: amounts, weights,
    /// windows and [`Term::Number`] all come from it.
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
            ExprKind::Binary { op, lhs, rhs } => fold(*op, self.constant(lhs)?, self.constant(rhs)?)?,
            ExprKind::Name(n) => match self.params.get(&n.text) {
                Some(p) => p.constant.clone()?,
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

/// Arithmetic on two constants, where its result has a unit: `2 * 500 USD` is 1000 USD,
/// `2 * 10%` is 20%, `500 USD / 2` is 250 USD, money plus money of one currency is money.
/// `None` for anything else (money times money, a percentage plus a number, a division by
/// zero): such an expression is not a constant, and where one is needed the checker says so.
fn fold(op: BinaryOp, a: Const, b: Const) -> Option<Const> {
    use Const::{Money, Number, Percent};
    let value = |v: f64| v.is_finite().then_some(v);
    Some(match (op, a, b) {
        (BinaryOp::Mul, Number(x), Number(y)) => Number(value(x * y)?),
        (BinaryOp::Mul, Number(x), Percent(y)) | (BinaryOp::Mul, Percent(y), Number(x)) => Percent(value(x * y)?),
        (BinaryOp::Mul, Number(x) | Percent(x), Money(y, c)) | (BinaryOp::Mul, Money(y, c), Number(x) | Percent(x)) => {
            Money(value(x * y)?, c)
        }
        (BinaryOp::Div, Number(x), Number(y)) if y != 0.0 => Number(value(x / y)?),
        (BinaryOp::Div, Percent(x), Number(y)) if y != 0.0 => Percent(value(x / y)?),
        (BinaryOp::Div, Money(x, c), Number(y)) if y != 0.0 => Money(value(x / y)?, c),
        (BinaryOp::Add | BinaryOp::Sub, a, b) => {
            let sign = if op == BinaryOp::Add { 1.0 } else { -1.0 };
            match (a, b) {
                (Number(x), Number(y)) => Number(value(x + sign * y)?),
                (Percent(x), Percent(y)) => Percent(value(x + sign * y)?),
                (Money(x, c), Money(y, d)) if c == d => Money(value(x + sign * y)?, c),
                _ => return None,
            }
        }
        _ => return None,
    })
}

/// Each name once, in the order first seen.
fn first_mentions<'a>(names: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    names.filter(|n| seen.insert(*n)).map(str::to_string).collect()
}

fn is_reserved_value(name: &str) -> bool {
    PORTFOLIO_NAMES.iter().any(|(n, _)| *n == name)
}

fn refs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

fn round_pct(fraction: f64) -> f64 {
    (fraction * 100.0 * 1e6).round() / 1e6
}

fn label_help() -> String {
    "a parameter used as a symbol must hold one, such as `let sym = IWM`".to_string()
}
