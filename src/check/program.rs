//! The checker's output and the engine's input: a strategy with every setting, name,
//! constant and window resolved.

use chrono::NaiveDate;

use super::term::Term;
use crate::source::Span;
use crate::syntax::ast;

/// Words of the language that the program shares with the syntax tree: operators, units,
/// schedules, guard and order kinds. They are leaves, not tree nodes; the engine reads them
/// from here.
pub use crate::syntax::ast::{
    Anchor, BinaryOp, CalendarPeriod, ClockUnit, CooldownPeriod, Delisted, ExitKind, FillModel, FractionBase,
    GuardKind, ScheduleKind, ShareMode, TimeUnit, UnaryOp,
};

/// A checked strategy (the checker's output, the engine's input): settings with their
/// defaults resolved, `let`s and rules in file order with every name classified and every
/// constant folded, and what the rules trade and read listed.
#[derive(Clone, Debug)]
pub struct Program {
    pub name: Option<String>,
    pub description: Option<String>,
    pub data: Vec<DataLine>,
    pub scripts: Vec<(String, Span)>,
    pub capital: Option<Money>,
    pub contributions: Vec<Contribution>,
    /// `withdraw …` lines, in file order.
    pub withdrawals: Vec<Withdrawal>,
    /// Fee per trade as a fraction of the traded value (`fees 0.05%` is 0.0005).
    pub fee_rate: f64,
    /// Fixed fee per trade, in USD.
    pub fee_per_trade: f64,
    /// Slippage as a fraction of the price.
    pub slippage: f64,
    /// Yearly expense ratios (fractions) of symbols.
    pub expenses: Vec<(String, f64, Span)>,
    pub fill: FillModel,
    pub fill_given: bool,
    pub benchmark: Option<(String, Span)>,
    pub currency: Option<Currency>,
    /// `priced in KRW 069500.KS`: listings whose prices are in the base currency, converted
    /// to USD at each bar's rate before the run reads them (engine/priced.rs).
    pub priced: Option<Priced>,
    pub shares: ShareMode,
    /// `delisted hold|sell`: what becomes of a holding whose prices stop (default: hold).
    pub delisted: Delisted,
    pub lags: Vec<SeriesLag>,
    /// `calendar nyse|krx|weekdays`, where the file says: whose holidays tell a period's
    /// last trading day (otherwise the traded symbols' exchange, [`crate::check::calendar::chosen`]).
    pub calendar: Option<(crate::calendar::Exchange, Span)>,
    /// `stale after …` lines: how old a series' value may be before it is not available.
    pub stale: Vec<StaleAfter>,
    pub risk_free: Option<(String, Span)>,
    /// `bars per year N`: overrides the bar frequency the report infers from the dates.
    pub bars_per_year: Option<f64>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Interest on cash, cost basis, tax and FX spread (src/money/, docs/TAXES.md).
    pub money: crate::money::Settings,
    /// The `let` lines, in file order: each value reads only `let`s before it.
    pub lets: Vec<Let>,
    pub rules: Vec<Rule>,
    /// Symbols the rules trade, in order of first mention.
    pub traded: Vec<String>,
    /// Names of data that expressions read (symbols, series, or either when checked without
    /// data), each once: in the `let` values first, then in the rules' conditions,
    /// rankings, computed weights and amounts.
    pub reads: Vec<String>,
    /// Every comparison of a series with a constant, in file order: a run warns when the
    /// series' values leave one no chance (`fed_cut_prob > 80` on a 0–1 series).
    pub comparisons: Vec<Comparison>,
    /// `stop loss`, `take profit` and `trailing stop` lines, in file order, then the exits
    /// of the rules' `with`, one a symbol (a rule's exit wins over the line for every
    /// symbol, as an `on` line does).
    pub exits: Vec<Exit>,
    /// `sleeve …:` blocks, in file order (an enclosing sleeve before those inside it).
    pub sleeves: Vec<Sleeve>,
    /// Forms that check but do nothing (`hold IWM if … else IWM`), in file order: `rotor
    /// check` and `rotor run` warn at each.
    pub no_effects: Vec<NoEffect>,
}

/// `sleeve momentum 70% [rebalanced yearly]:`: a budget of its own, managed by the rules
/// indented below it (src/check/sleeves.rs, src/engine/sleeves.rs).
#[derive(Clone, Debug, PartialEq)]
pub struct Sleeve {
    pub name: String,
    /// Its share of what encloses it (the enclosing sleeve, or the account), a fraction.
    pub share: f64,
    /// The enclosing sleeve (its index in [`Program::sleeves`]); `None` at the top.
    pub parent: Option<usize>,
    /// `rebalanced yearly`: when its value is brought back to its share.
    pub rebalanced: Option<ScheduleKind>,
    pub span: Span,
}

/// A form that checks but has no effect: a `hold` whose sides are the same, weights or a
/// ranking that do not read the symbol (`weighted by 1`). Warned about, not refused.
#[derive(Clone, Debug, PartialEq)]
pub struct NoEffect {
    /// One sentence: what does nothing.
    pub message: String,
    pub label: String,
    /// What to write instead.
    pub help: String,
    pub span: Span,
}

/// `stop loss 10% [on IWM]`: an exit judged on each close while a position is open.
#[derive(Clone, Debug, PartialEq)]
pub struct Exit {
    pub kind: ExitKind,
    /// The distance from the entry price (or the highest close since entry), a fraction.
    pub level: f64,
    /// The symbol of an `on` line, or of a rule's `with` (one exit a symbol the rule
    /// trades); `None` for every traded symbol without a line of its own.
    pub symbol: Option<String>,
    /// The index in [`Program::rules`] of the rule whose `with` set it; `None` for a line.
    pub rule: Option<usize>,
    pub span: Span,
}

impl Program {
    /// The exit of `kind` that applies to `symbol`: its own line, else the line for every
    /// symbol.
    pub fn exit_for(&self, kind: ExitKind, symbol: &str) -> Option<&Exit> {
        let of_kind = || self.exits.iter().filter(move |e| e.kind == kind);
        of_kind()
            .find(|e| e.symbol.as_deref() == Some(symbol))
            .or_else(|| of_kind().find(|e| e.symbol.is_none()))
    }

    /// Whether the `priced in` line names `symbol`: its prices are in the base currency and
    /// converted to USD before the run reads them.
    pub fn is_priced_in_base(&self, symbol: &str) -> bool {
        self.priced.as_ref().is_some_and(|p| p.has(symbol))
    }

    /// The traded Korean listings ([`crate::calendar::Exchange::of_symbol`]) that no
    /// `priced in` line names: their won prices are taken as US dollars.
    pub fn unconverted_korean_listings(&self) -> impl Iterator<Item = &String> {
        use crate::calendar::Exchange;
        (self.traded.iter()).filter(|s| Exchange::of_symbol(s) == Exchange::Krx && !self.is_priced_in_base(s))
    }
}

/// `fed_cut_prob > 0.8`, `0.8 < fed_cut_prob`, `rate crosses below threshold`: a series (or,
/// checked without data, a name that may be one) compared with a constant, written with the
/// series first.
#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    /// The series' name.
    pub series: String,
    /// The operator with the series on its left (`80 < x` is `x > 80`).
    pub op: BinaryOp,
    /// The constant's value (`80%` is 0.8).
    pub constant: f64,
    /// Whether the constant was written as a percentage (`80%`), for the words.
    pub percent: bool,
    /// The whole comparison.
    pub span: Span,
}

/// A path to load: a `data` line (a file or folder of CSV files, the symbol it names (`as
/// NAME`), and how its dates with the year last are read, when the line says), or a `fomc`
/// line (an FOMC calendar file).
#[derive(Clone, Debug)]
pub struct DataLine {
    pub path: String,
    pub alias: Option<String>,
    /// How dates such as `01/02/2024` in it are read, when the line says (`dates day-first`).
    pub dates: Option<crate::data::DateOrder>,
    /// The path's span in the strategy.
    pub span: Span,
    /// `fomc "…"`: the file (or every file of the folder) must be an FOMC calendar file.
    pub calendar: bool,
    /// `dividends "…" for SYMBOL`: the file holds that symbol's dividends.
    pub dividends_for: Option<String>,
    /// `as series NAME`: the file's values are a series, not prices (a rate, an index level).
    pub series: bool,
}

impl DataLine {
    /// The line `data "path" [as [series] alias] [dates …]`.
    pub fn new(path: &ast::Text, alias: Option<&ast::Name>, dates: Option<ast::DateOrder>, series: bool) -> DataLine {
        DataLine {
            path: path.value.clone(),
            alias: alias.map(|a| a.text.clone()),
            dates: dates.map(|order| match order {
                ast::DateOrder::DayFirst => crate::data::DateOrder::DayFirst,
                ast::DateOrder::MonthFirst => crate::data::DateOrder::MonthFirst,
            }),
            span: path.span,
            calendar: false,
            dividends_for: None,
            series,
        }
    }

    /// The line `fomc "path"`.
    pub fn fomc(path: &ast::Text) -> DataLine {
        DataLine {
            path: path.value.clone(),
            alias: None,
            dates: None,
            span: path.span,
            calendar: true,
            dividends_for: None,
            series: false,
        }
    }

    /// The line `dividends "path" for SYMBOL`.
    pub fn dividends(path: &ast::Text, symbol: &ast::Name) -> DataLine {
        DataLine {
            path: path.value.clone(),
            alias: None,
            dates: None,
            span: path.span,
            calendar: false,
            dividends_for: Some(symbol.text.clone()),
            series: false,
        }
    }
}

impl Default for Program {
    /// A strategy before its settings: no rules, orders filled at the next open, fractional
    /// shares, no costs.
    fn default() -> Program {
        Program {
            name: None,
            description: None,
            data: Vec::new(),
            scripts: Vec::new(),
            capital: None,
            contributions: Vec::new(),
            withdrawals: Vec::new(),
            fee_rate: 0.0,
            fee_per_trade: 0.0,
            slippage: 0.0,
            expenses: Vec::new(),
            fill: FillModel::NextOpen,
            fill_given: false,
            benchmark: None,
            currency: None,
            priced: None,
            shares: ShareMode::Fractional,
            delisted: Delisted::Hold,
            lags: Vec::new(),
            stale: Vec::new(),
            calendar: None,
            risk_free: None,
            bars_per_year: None,
            from: None,
            to: None,
            money: crate::money::Settings::default(),
            lets: Vec::new(),
            rules: Vec::new(),
            traded: Vec::new(),
            reads: Vec::new(),
            comparisons: Vec::new(),
            exits: Vec::new(),
            sleeves: Vec::new(),
            no_effects: Vec::new(),
        }
    }
}

/// An amount of money; `currency` is `None` for US dollars.
#[derive(Clone, Debug, PartialEq)]
pub struct Money {
    pub amount: f64,
    pub currency: Option<String>,
    pub span: Span,
}

impl Money {
    pub fn is_usd(&self) -> bool {
        self.currency.as_deref().is_none_or(|c| c == "USD")
    }
}

/// `contribute 500 USD monthly`
#[derive(Clone, Debug)]
pub struct Contribution {
    pub amount: Money,
    pub schedule: ScheduleKind,
    pub span: Span,
}

/// `withdraw 1000000 KRW monthly from 2040-01-01`, `withdraw 4% yearly`: money taken out
/// at the close of each day the schedule fires (docs/TAXES.md "Withdrawals").
#[derive(Clone, Debug)]
pub struct Withdrawal {
    pub amount: WithdrawalAmount,
    pub schedule: ScheduleKind,
    /// No withdrawal before this day (`from 2040-01-01`).
    pub from: Option<NaiveDate>,
    pub span: Span,
}

/// How much a withdrawal takes.
#[derive(Clone, Debug)]
pub enum WithdrawalAmount {
    /// A fixed amount, converted at the day's rate if in the base currency.
    Money(Money),
    /// A fraction (0.04 for `4%`) of the portfolio's value at the day's close.
    Share(f64),
}

/// `currency KRW using usdkrw`
#[derive(Clone, Debug)]
pub struct Currency {
    pub code: String,
    pub rate_series: String,
    pub span: Span,
}

/// `priced in KRW 069500.KS, 360750.KS`: traded listings (or the benchmark) priced in the
/// base currency `code`, each with where the line names it.
#[derive(Clone, Debug)]
pub struct Priced {
    pub code: String,
    pub symbols: Vec<(String, Span)>,
    pub span: Span,
}

impl Priced {
    /// Whether `symbol` is one of the listings priced in the base currency.
    pub fn has(&self, symbol: &str) -> bool {
        self.symbols.iter().any(|(s, _)| s == symbol)
    }
}

/// `lag cpi_yoy 1 month`: calendar delay before a series' observations become visible.
#[derive(Clone, Debug)]
pub struct SeriesLag {
    pub series: String,
    pub days: i32,
    pub months: i32,
    pub span: Span,
}

/// `stale after 30 days` (every series) or `stale fed_cut_prob after 30 days` (one): a
/// series' value read more than this long after it became visible (its date, plus any
/// `lag`) is not available.
#[derive(Clone, Debug, PartialEq)]
pub struct StaleAfter {
    /// `None` for every series without a line of its own.
    pub series: Option<String>,
    pub days: i32,
    pub months: i32,
    pub span: Span,
}

/// `let NAME = EXPR`
#[derive(Clone, Debug)]
pub struct Let {
    pub name: String,
    pub value: Term,
    pub span: Span,
}

/// A trading rule: what to do, when to consider it, and under which conditions.
#[derive(Clone, Debug)]
pub struct Rule {
    pub action: Action,
    /// `None` means every trading day.
    pub schedule: Option<ScheduleKind>,
    pub guards: Vec<Guard>,
    /// `at most once per month`: after an order of the rule traded, the rule does not fire
    /// again within the period (docs/LANGUAGE.md, "Cooldowns").
    pub cooldown: Option<CooldownPeriod>,
    pub span: Span,
    /// The sleeve it manages (its index in [`Program::sleeves`]); `None` outside any.
    pub sleeve: Option<usize>,
}

/// `while …`, `if …`, `when …`, `unless …`
#[derive(Clone, Debug)]
pub struct Guard {
    pub kind: GuardKind,
    pub condition: Term,
}

/// What a rule does when it fires.
#[derive(Clone, Debug)]
pub enum Action {
    /// `buy [AMOUNT of] SYMBOL`, `sell [AMOUNT of] SYMBOL`. `computed`: an amount computed
    /// when the rule fires (`(2 * base) USD`, `(n) shares`, `(k * 10%) of cash`), whose
    /// value then replaces the number in `size` ([`Size::with`]).
    Trade {
        buy: bool,
        symbol: String,
        size: Size,
        computed: Option<Term>,
    },
    /// `rebalance to IWO 40%, IWN 60% [tolerance 5%]`: the symbols' target weights
    /// (fractions; the rest stays in cash) and the drift (a fraction) tolerated.
    Rebalance {
        targets: Vec<(String, f64)>,
        tolerance: f64,
    },
    /// `rebalance to IWM, IWO weighted by 1 / volatility(63 days)`: `by` reads each symbol
    /// as [`Term::Subject`]; the weights are its values' shares of their sum, computed when
    /// the rule fires. (`weighted equally` is a [`Action::Rebalance`] of 1/N each.)
    Weighted {
        symbols: Vec<String>,
        by: Term,
        tolerance: f64,
    },
    /// `rotate to top 1 of IWO, IWN by return(3 months)`: `by` reads each candidate as
    /// [`Term::Subject`].
    Rotate {
        top: bool,
        n: usize,
        candidates: Vec<String>,
        by: Term,
    },
    /// `hold IWM if COND else AGG [tolerance 5%]`: a rebalance to `then` while the condition
    /// holds, to `otherwise` when it does not (nothing when it is not available). Each side's
    /// weights are fractions; an empty side is all cash.
    Hold {
        condition: Term,
        then: Vec<(String, f64)>,
        otherwise: Vec<(String, f64)>,
        tolerance: f64,
    },
}

/// How much an order asks for.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Size {
    /// No amount, or `all`: all cash (buy) or the whole position (sell).
    All,
    /// `500 USD`, or `500000 KRW` in the base currency (`base`).
    Money { amount: f64, base: bool },
    /// `10 shares`
    Shares(f64),
    /// `10% of cash`, `10% of equity`, `50% of position`; a bare `50%` in a sell is of the
    /// position.
    Fraction(f64, FractionBase),
}

impl Action {
    /// The symbols the action trades, in the order written.
    pub fn symbols(&self) -> Vec<&str> {
        match self {
            Action::Trade { symbol, .. } => vec![symbol],
            Action::Rebalance { targets, .. } => targets.iter().map(|(s, _)| s.as_str()).collect(),
            Action::Weighted { symbols, .. } => symbols.iter().map(String::as_str).collect(),
            Action::Rotate { candidates, .. } => candidates.iter().map(String::as_str).collect(),
            Action::Hold { then, otherwise, .. } => then.iter().chain(otherwise).map(|(s, _)| s.as_str()).collect(),
        }
    }
}

impl Size {
    /// The size with `value` in place of its number: what a computed amount asks for when
    /// its rule fires (`All` has no number and stays).
    pub fn with(self, value: f64) -> Size {
        match self {
            Size::All => Size::All,
            Size::Money { base, .. } => Size::Money { amount: value, base },
            Size::Shares(_) => Size::Shares(value),
            Size::Fraction(_, of) => Size::Fraction(value, of),
        }
    }
}

impl Program {
    /// Every `let` that `term` reads, directly or through other `let`s, in file order,
    /// leaving out those `known` says are done (and what they read). Walks with a list of
    /// its own: no chain of `let`s, however long, recurses.
    pub fn lets_read(&self, term: &Term, known: impl Fn(usize) -> bool) -> Vec<usize> {
        let mut seen = vec![false; self.lets.len()];
        let mut todo: Vec<usize> = term.lets().collect();
        let mut out = Vec::new();
        while let Some(i) = todo.pop() {
            if seen[i] || known(i) {
                continue;
            }
            seen[i] = true;
            out.push(i);
            todo.extend(self.lets[i].value.lets());
        }
        out.sort_unstable();
        out
    }
}
