//! The reference's own small model of a strategy, independent of rotor's syntax tree, and
//! its rendering to `.rotor` text. The generator builds a [`Model`]; rotor runs the text of
//! [`Model::render`]; the reference evaluates the model itself.

use std::fmt::{self, Display, Write};

use chrono::{NaiveDate, Weekday};

/// A symbol of the generated market, by role (see `market.rs`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Sym {
    /// Trades on the base calendar.
    Aaa,
    /// The base calendar, from a later first row.
    Bbb,
    /// Its own calendar: other holidays than the base one.
    Ccc,
    /// The base calendar, ending before the others.
    Ddd,
    /// Read by conditions only: a sparse calendar of its own, starting earlier.
    Www,
}

impl Sym {
    pub const ALL: [Sym; 5] = [Sym::Aaa, Sym::Bbb, Sym::Ccc, Sym::Ddd, Sym::Www];

    pub fn name(self) -> &'static str {
        match self {
            Sym::Aaa => "AAA",
            Sym::Bbb => "BBB",
            Sym::Ccc => "CCC",
            Sym::Ddd => "DDD",
            Sym::Www => "WWW",
        }
    }

    /// Whether, traded beside the base-calendar symbols, this symbol leaves days of the
    /// run's calendar without a row for someone after its first row: CCC's own holidays,
    /// DDD's early end (AAA and BBB share one calendar and BBB only starts late).
    pub fn makes_gaps(self) -> bool {
        matches!(self, Sym::Ccc | Sym::Ddd)
    }
}

/// A series of the generated market.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Ser {
    /// A 0..1 signal observed on irregular days (weekends included), from a late start.
    Sig,
    /// A rate observed once a month.
    Rate,
}

impl Ser {
    pub fn name(self) -> &'static str {
        match self {
            Ser::Sig => "sig",
            Ser::Rate => "rate",
        }
    }
}

/// The input of an indicator: a symbol's close or a series.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Src {
    Close(Sym),
    Series(Ser),
}

/// The built-in indicators the generator uses.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Ind {
    Sma,
    Ema,
    Return,
    Change,
    Highest,
    Lowest,
    /// The share of the n values before the bar that are <= its value.
    PercentRank,
    /// The middle of the last n values (the mean of the two middle ones for an even n).
    Median,
}

impl Ind {
    fn name(self) -> &'static str {
        match self {
            Ind::Sma => "sma",
            Ind::Ema => "ema",
            Ind::Return => "return",
            Ind::Change => "change",
            Ind::Highest => "highest",
            Ind::Lowest => "lowest",
            Ind::PercentRank => "percent_rank",
            Ind::Median => "median",
        }
    }
}

/// A number a condition reads.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// A literal, written as a decimal that parses back to exactly this f64.
    Const(f64),
    Src(Src),
    /// `x[n]`: the value n bars earlier.
    Lagged(Src, u32),
    Ind(Ind, Src, u32),
    /// `prev(SER)`: the observation before the one in force.
    Prev(Ser),
    /// `correlation(a, b, n)` (false) or `beta(a, b, n)` (true) of the bars' returns.
    Pair(bool, Src, Src, u32),
    /// `percentile(x, n, 80%)`
    Percentile80(Src, u32),
    /// `cash`, `portfolio.value`, `position(SYM)`, `weight(SYM)`
    Cash,
    Equity,
    Position(Sym),
    Weight(Sym),
    /// `entry_price(SYM)`, `held_days(SYM)`, `days_since_exit(SYM)`
    EntryPrice(Sym),
    HeldDays(Sym),
    DaysSinceExit(Sym),
    /// `highest(close(SYM) since entry)` (true) or `lowest(…)`
    SinceEntry(bool, Sym),
    /// `bars_since(COND)`, of a condition that reads data only.
    BarsSince(Box<Cond>),
}

impl Value {
    /// Whether the value reads bars before the current one (so data before `from` matters).
    pub fn reads_history(&self) -> bool {
        matches!(
            self,
            Value::Lagged(..)
                | Value::Ind(..)
                | Value::BarsSince(_)
                | Value::Prev(_)
                | Value::Pair(..)
                | Value::Percentile80(..)
        )
    }

    /// The symbol whose position the value reads, if it reads one.
    pub fn position_symbol(&mut self) -> Option<&mut Sym> {
        match self {
            Value::EntryPrice(s) | Value::HeldDays(s) | Value::DaysSinceExit(s) | Value::SinceEntry(_, s) => Some(s),
            _ => None,
        }
    }

    /// Whether rotor and the reference compute the value with the very same floating-point
    /// operations on the same (exactly representable) inputs, so equal means equal.
    pub fn exact(&self) -> bool {
        match self {
            Value::Const(_) | Value::Src(_) | Value::Lagged(..) | Value::Prev(_) => true,
            Value::Ind(ind, ..) => matches!(
                ind,
                Ind::Return | Ind::Change | Ind::Highest | Ind::Lowest | Ind::PercentRank
            ),
            Value::Pair(..) | Value::Percentile80(..) => false,
            Value::Cash | Value::Equity | Value::Position(_) | Value::Weight(_) => false,
            // An average of fill prices: the same formula, on shares that may differ by
            // rounding.
            Value::EntryPrice(_) => false,
            Value::HeldDays(_) | Value::DaysSinceExit(_) | Value::SinceEntry(..) | Value::BarsSince(_) => true,
        }
    }

    pub fn reads_portfolio(&self) -> bool {
        matches!(
            self,
            Value::Cash
                | Value::Equity
                | Value::Position(_)
                | Value::Weight(_)
                | Value::EntryPrice(_)
                | Value::HeldDays(_)
                | Value::DaysSinceExit(_)
                | Value::SinceEntry(..)
        )
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Cmp {
    Lt,
    Le,
    Gt,
    Ge,
}

/// A condition: true, false or not available.
#[derive(Clone, Debug, PartialEq)]
pub enum Cond {
    Cmp(Value, Cmp, Value),
    Cross { a: Value, above: bool, b: Value },
    And(Box<Cond>, Box<Cond>),
    Or(Box<Cond>, Box<Cond>),
    Not(Box<Cond>),
}

impl Cond {
    pub fn values(&self) -> Vec<&Value> {
        match self {
            Cond::Cmp(a, _, b) | Cond::Cross { a, b, .. } => vec![a, b],
            Cond::And(a, b) | Cond::Or(a, b) => {
                let mut v = a.values();
                v.extend(b.values());
                v
            }
            Cond::Not(c) => c.values(),
        }
    }

    pub fn reads_history(&self) -> bool {
        match self {
            Cond::Cross { .. } => true,
            Cond::Cmp(a, _, b) => a.reads_history() || b.reads_history(),
            Cond::And(a, b) | Cond::Or(a, b) => a.reads_history() || b.reads_history(),
            Cond::Not(c) => c.reads_history(),
        }
    }

    /// Every value of the condition, to change in place.
    pub fn values_mut(&mut self) -> Vec<&mut Value> {
        match self {
            Cond::Cmp(a, _, b) | Cond::Cross { a, b, .. } => vec![a, b],
            Cond::And(a, b) | Cond::Or(a, b) => {
                let mut v = a.values_mut();
                v.extend(b.values_mut());
                v
            }
            Cond::Not(c) => c.values_mut(),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum GuardKind {
    While,
    If,
    When,
    Unless,
}

/// `monthly on …`, `quarterly on …`
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Anchor {
    /// Bare `monthly`.
    Plain,
    FirstTradingDay,
    LastTradingDay,
    Day(u32),
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Unit {
    Days,
    Weeks,
    Months,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Schedule {
    Daily,
    Weekly(Option<Weekday>),
    Monthly(Anchor),
    Quarterly(Anchor),
    Every(u32, Unit),
    Once(NaiveDate),
}

/// How much an order asks for; fractions are written percents (`25` is `25%`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Amount {
    All,
    Money(f64),
    Shares(f64),
    OfCash(f64),
    OfEquity(f64),
    /// Sells only: `50% of SYM`.
    OfPosition(f64),
    /// Money computed when the rule fires: `(EXPR) USD`.
    Computed(Computed),
}

/// A computed amount of money, in USD.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Computed {
    /// `(cash / k) USD`
    CashShare(u32),
    /// `(10 * sma(close(SYM), n)) USD`: not available while the average warms up.
    Sma(Sym, u32),
    /// `(100 * change(close(SYM), n)) USD`: zero or negative on falls.
    Change(Sym, u32),
    /// `(10 * sig) shares`: not available before the signal's first observation.
    SigShares,
    /// `(sig) of cash`: the signal (0–1) as the share of the cash.
    SigOfCash,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    Buy(Amount, Sym),
    Sell(Amount, Sym),
    /// Targets in written percents; the rest is cash.
    Rebalance {
        targets: Vec<(Sym, u32)>,
        tolerance: Option<u32>,
    },
    Rotate {
        top: bool,
        n: u32,
        candidates: Vec<Sym>,
        by: Ranker,
    },
    /// `hold THEN if COND else OTHERWISE`: each side's targets in written percents (the
    /// rest is cash; no targets is `cash`).
    Hold {
        cond: Cond,
        then: Vec<(Sym, u32)>,
        otherwise: Vec<(Sym, u32)>,
        tolerance: Option<u32>,
    },
    /// `rebalance to A, B weighted by RANKER` (each symbol's value as a share of their sum)
    /// or, without a ranker, `weighted equally`.
    Weighted {
        symbols: Vec<Sym>,
        by: Option<Ranker>,
        tolerance: Option<u32>,
    },
}

/// `stop loss`, `take profit`, `trailing stop`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Exit {
    StopLoss,
    TakeProfit,
    TrailingStop,
}

impl Exit {
    /// How it is written: `stop loss`.
    pub fn words(self) -> &'static str {
        match self {
            Exit::StopLoss => "stop loss",
            Exit::TakeProfit => "take profit",
            Exit::TrailingStop => "trailing stop",
        }
    }
}

/// `at most once per …`
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Cooldown {
    Week,
    Month,
    Days(u32),
}

impl Action {
    /// The symbols it trades, in the order written (a symbol on both sides of a `hold`
    /// twice).
    pub fn symbols(&self) -> Vec<Sym> {
        match self {
            Action::Buy(_, s) | Action::Sell(_, s) => vec![*s],
            Action::Rebalance { targets, .. } => targets.iter().map(|(s, _)| *s).collect(),
            Action::Rotate { candidates, .. } => candidates.clone(),
            Action::Hold { then, otherwise, .. } => then.iter().chain(otherwise).map(|(s, _)| *s).collect(),
            Action::Weighted { symbols, .. } => symbols.clone(),
        }
    }

    /// Whether the action reads bars before the current one: a ranking, computed weights or
    /// a computed amount.
    pub fn reads_history(&self) -> bool {
        match self {
            Action::Rotate { .. } | Action::Weighted { by: Some(_), .. } => true,
            Action::Hold { cond, .. } => cond.reads_history(),
            Action::Buy(Amount::Computed(c), _) | Action::Sell(Amount::Computed(c), _) => {
                matches!(c, Computed::Sma(..) | Computed::Change(..))
            }
            _ => false,
        }
    }
}

impl Display for Ranker {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Ranker::Return(n) => write!(f, "return({n})"),
            Ranker::Change(n) => write!(f, "change({n})"),
            Ranker::Highest(n) => write!(f, "highest({n})"),
        }
    }
}

/// A `rotate … by` expression of the candidate (the implicit subject).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Ranker {
    Return(u32),
    Change(u32),
    Highest(u32),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    pub action: Action,
    pub schedule: Option<Schedule>,
    pub guards: Vec<(GuardKind, Cond)>,
    pub cooldown: Option<Cooldown>,
    /// `with stop loss 5%, …`: the kind and its level in written percents, each kind once.
    pub exits: Vec<(Exit, u32)>,
}

/// A whole strategy. Money is USD; `fee_rate`, `slippage` and `expense` are written
/// percents (`0.1` is `0.1%`).
#[derive(Clone, Debug, PartialEq)]
pub struct Model {
    pub capital: f64,
    pub contributions: Vec<(f64, Schedule)>,
    /// `withdraw N USD SCHEDULE`: taken out at the close (see `Run::withdraw` in
    /// simulate.rs).
    pub withdrawals: Vec<(f64, Schedule)>,
    pub fee_rate: f64,
    pub fee_fixed: f64,
    pub slippage: f64,
    pub fill_close: bool,
    pub whole: bool,
    pub benchmark: Option<Sym>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// `lag rate N days`
    pub lag_days: Option<u32>,
    /// `stale after N days`
    pub stale_days: Option<u32>,
    pub expense: Option<(Sym, f64)>,
    /// `delisted sell`: a holding whose symbol has no current price is sold at its last close.
    pub delisted_sell: bool,
    /// Exit lines: the kind, its level in written percents, and the symbol of an `on`.
    pub exits: Vec<(Exit, u32, Option<Sym>)>,
    pub rules: Vec<Rule>,
    /// `sleeve s P%:` holding the first `k` rules, as (P, k): they manage P% of the account
    /// on their own, the other rules the rest (see [`Model::sleeve_fits`]).
    pub sleeve: Option<(u32, usize)>,
    /// Symbols whose rows make trading days besides the traded ones: a sleeve's part run on
    /// its own trades on the whole strategy's calendar. Not rendered.
    pub calendar: Vec<Sym>,
}

/// A written percent as the fraction rotor's parser makes of it.
pub fn frac(written: f64) -> f64 {
    written / 100.0
}

impl Model {
    /// Symbols the rules trade, in order of first mention.
    pub fn traded(&self) -> Vec<Sym> {
        let mut out = Vec::new();
        let mut add = |s: Sym| {
            if !out.contains(&s) {
                out.push(s)
            }
        };
        for rule in &self.rules {
            rule.action.symbols().into_iter().for_each(&mut add);
        }
        out
    }

    /// Leaves out the rules' exits rotor refuses: one on a sell, and one on a symbol that
    /// another rule buys without the same exit, or that an `on` line of its kind names
    /// (positions are per symbol). Dropping one may make another refused: until none is.
    pub fn rule_exits_consistent(&mut self) {
        loop {
            let mut refused = None;
            'find: for (i, rule) in self.rules.iter().enumerate() {
                for &(kind, level) in &rule.exits {
                    let ok = !matches!(rule.action, Action::Sell(..))
                        && rule.action.symbols().iter().all(|sym| {
                            !self.exits.iter().any(|(k, _, on)| *k == kind && *on == Some(*sym))
                                && self.rules.iter().all(|other| {
                                    matches!(other.action, Action::Sell(..))
                                        || !other.action.symbols().contains(sym)
                                        || other.exits.contains(&(kind, level))
                                })
                        });
                    if !ok {
                        refused = Some((i, kind));
                        break 'find;
                    }
                }
            }
            match refused {
                Some((i, kind)) => self.rules[i].exits.retain(|(k, _)| *k != kind),
                None => break,
            }
        }
    }

    /// Points every position read (a value, an exit `on` a symbol) at a traded symbol, as
    /// rotor requires; one with no traded symbol at all is left out.
    pub fn positions_on_traded(&mut self) {
        let traded = self.traded();
        let fix = |s: &mut Sym| {
            if !traded.contains(s) {
                *s = traded[0];
            }
        };
        self.exits.retain(|(_, _, s)| s.is_none_or(|s| traded.contains(&s)));
        self.rule_exits_consistent();
        for rule in &mut self.rules {
            let mut conds: Vec<&mut Cond> = rule.guards.iter_mut().map(|(_, c)| c).collect();
            if let Action::Hold { cond, .. } = &mut rule.action {
                conds.push(cond);
            }
            for c in conds {
                for v in c.values_mut() {
                    if let Some(s) = v.position_symbol() {
                        fix(s);
                    }
                }
            }
        }
    }

    /// The strategy's own symbols: the traded ones (and, for a sleeve's part, the whole
    /// strategy's), not the benchmark unless traded. The run starts on the first day from
    /// `from` on which one of them has a row.
    pub fn own_symbols(&self) -> Vec<Sym> {
        let mut out = self.traded();
        for s in &self.calendar {
            if !out.contains(s) {
                out.push(*s);
            }
        }
        out
    }

    /// Symbols that set the calendar: the traded ones and the benchmark.
    pub fn calendar_symbols(&self) -> Vec<Sym> {
        let mut out = self.own_symbols();
        if let Some(b) = self.benchmark
            && !out.contains(&b)
        {
            out.push(b);
        }
        out
    }

    pub fn reads_history(&self) -> bool {
        self.rules
            .iter()
            .any(|r| r.guards.iter().any(|(_, c)| c.reads_history()) || r.action.reads_history())
    }

    /// The strategy as rotor reads it; `data` lines point at `prices` and `series`.
    pub fn render(&self, prices: &str, series: &str) -> String {
        let mut s = String::new();
        let mut line = |text: String| {
            s.push_str(&text);
            s.push('\n');
        };
        line(format!("data \"{prices}\""));
        line(format!("data \"{series}\""));
        line(format!("capital {} USD", num(self.capital)));
        for (amount, schedule) in &self.contributions {
            line(format!("contribute {} USD {schedule}", num(*amount)));
        }
        for (amount, schedule) in &self.withdrawals {
            line(format!("withdraw {} USD {schedule}", num(*amount)));
        }
        let mut fees = Vec::new();
        if self.fee_rate > 0.0 {
            fees.push(format!("{}%", num(self.fee_rate)));
        }
        if self.fee_fixed > 0.0 {
            fees.push(format!("{} USD per trade", num(self.fee_fixed)));
        }
        if !fees.is_empty() {
            line(format!("fees {}", fees.join(", ")));
        }
        if self.slippage > 0.0 {
            line(format!("slippage {}%", num(self.slippage)));
        }
        line(
            if self.fill_close {
                "fill close"
            } else {
                "fill next open"
            }
            .into(),
        );
        if self.whole {
            line("whole shares".into());
        }
        if let Some(b) = self.benchmark {
            line(format!("benchmark {}", b.name()));
        }
        if let Some(days) = self.stale_days {
            line(format!("stale after {days} days"));
        }
        if let Some(days) = self.lag_days {
            line(format!("lag rate {days} days"));
        }
        if let Some((sym, ratio)) = self.expense {
            line(format!("expense {} {}%", sym.name(), num(ratio)));
        }
        if self.delisted_sell {
            line("delisted sell".into());
        }
        for (exit, level, sym) in &self.exits {
            let words = exit.words();
            let on = sym.map(|s| format!(" on {}", s.name())).unwrap_or_default();
            line(format!("{words} {level}%{on}"));
        }
        match (self.from, self.to) {
            (Some(f), Some(t)) => line(format!("from {f} to {t}")),
            (Some(f), None) => line(format!("from {f}")),
            (None, Some(t)) => line(format!("to {t}")),
            (None, None) => {}
        }
        let in_sleeve = match self.sleeve {
            Some((share, k)) => {
                line(format!("sleeve s {share}%:"));
                k
            }
            None => 0,
        };
        for (i, rule) in self.rules.iter().enumerate() {
            let indent = if i < in_sleeve { "  " } else { "" };
            line(format!("{indent}{rule}"));
        }
        s
    }

    /// Whether the reference can take a sleeve as an account of its own (see
    /// `simulate::simulate`): nothing that rotor does to the account as a whole (exits,
    /// `delisted sell`, fund expenses, the benchmark) and no rule reading the account
    /// (`cash`, `portfolio.value`, positions), which inside a sleeve still read the account.
    pub fn sleeve_fits(&self) -> bool {
        let reads = |c: &Cond| c.values().iter().any(|v| v.reads_portfolio());
        let account = self.rules.iter().any(|r| {
            r.guards.iter().any(|(_, c)| reads(c))
                || matches!(&r.action, Action::Hold { cond, .. } if reads(cond))
                || matches!(
                    r.action,
                    Action::Buy(Amount::Computed(Computed::CashShare(_)), _)
                        | Action::Sell(Amount::Computed(Computed::CashShare(_)), _)
                )
        });
        !account && self.exits.is_empty() && !self.delisted_sell && self.expense.is_none() && self.benchmark.is_none()
    }

    /// The sleeve's model and the rest's: each with its share of the capital and of every
    /// contribution and its own rules, trading on the whole model's calendar.
    pub fn split(&self) -> Option<[(Model, usize); 2]> {
        let (share, k) = self.sleeve?;
        let part = |f: f64, rules: Vec<Rule>| Model {
            capital: self.capital * f,
            contributions: self.contributions.iter().map(|(a, s)| (a * f, *s)).collect(),
            rules,
            sleeve: None,
            ..self.clone()
        };
        let f = frac(share as f64);
        Some([
            (part(f, self.rules[..k].to_vec()), 0),
            (part(1.0 - f, self.rules[k..].to_vec()), k),
        ])
    }
}

/// A number as a decimal literal that parses back to the same f64 (Rust's shortest
/// round-trip form never uses an exponent for the magnitudes generated here).
pub fn num(x: f64) -> String {
    let s = format!("{x}");
    assert!(!s.contains('e') && !s.starts_with('-'), "literal {s} is not plain");
    s
}

impl Display for Src {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Src::Close(s) => write!(f, "close({})", s.name()),
            Src::Series(s) => f.write_str(s.name()),
        }
    }
}

impl Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Value::Const(x) if *x < 0.0 => write!(f, "-{}", num(-x)),
            Value::Const(x) => f.write_str(&num(*x)),
            Value::Src(s) => write!(f, "{s}"),
            Value::Lagged(s, n) => write!(f, "{s}[{n}]"),
            Value::Ind(ind, s, n) => write!(f, "{}({s}, {n})", ind.name()),
            Value::Prev(s) => write!(f, "prev({})", s.name()),
            Value::Pair(beta, a, b, n) => write!(f, "{}({a}, {b}, {n})", if *beta { "beta" } else { "correlation" }),
            Value::Percentile80(s, n) => write!(f, "percentile({s}, {n}, 80%)"),
            Value::Cash => f.write_str("cash"),
            Value::Equity => f.write_str("portfolio.value"),
            Value::Position(s) => write!(f, "position({})", s.name()),
            Value::Weight(s) => write!(f, "weight({})", s.name()),
            Value::EntryPrice(s) => write!(f, "entry_price({})", s.name()),
            Value::HeldDays(s) => write!(f, "held_days({})", s.name()),
            Value::DaysSinceExit(s) => write!(f, "days_since_exit({})", s.name()),
            Value::SinceEntry(high, s) => {
                let name = if *high { "highest" } else { "lowest" };
                write!(f, "{name}(close({}) since entry)", s.name())
            }
            Value::BarsSince(c) => write!(f, "bars_since({c})"),
        }
    }
}

impl Display for Cond {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Cond::Cmp(a, op, b) => {
                let op = match op {
                    Cmp::Lt => "<",
                    Cmp::Le => "<=",
                    Cmp::Gt => ">",
                    Cmp::Ge => ">=",
                };
                write!(f, "{a} {op} {b}")
            }
            Cond::Cross { a, above, b } => {
                write!(f, "{a} crosses {} {b}", if *above { "above" } else { "below" })
            }
            Cond::And(a, b) => write!(f, "({a}) and ({b})"),
            Cond::Or(a, b) => write!(f, "({a}) or ({b})"),
            Cond::Not(c) => write!(f, "not ({c})"),
        }
    }
}

fn weekday_name(d: Weekday) -> &'static str {
    match d {
        Weekday::Mon => "monday",
        Weekday::Tue => "tuesday",
        Weekday::Wed => "wednesday",
        Weekday::Thu => "thursday",
        Weekday::Fri => "friday",
        Weekday::Sat => "saturday",
        Weekday::Sun => "sunday",
    }
}

impl Display for Anchor {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Anchor::Plain => Ok(()),
            Anchor::FirstTradingDay => f.write_str(" on first trading day"),
            Anchor::LastTradingDay => f.write_str(" on last trading day"),
            Anchor::Day(n) => write!(f, " on day {n}"),
        }
    }
}

impl Display for Schedule {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Schedule::Daily => f.write_str("daily"),
            Schedule::Weekly(None) => f.write_str("weekly"),
            Schedule::Weekly(Some(d)) => write!(f, "weekly on {}", weekday_name(*d)),
            Schedule::Monthly(a) => write!(f, "monthly{a}"),
            Schedule::Quarterly(a) => write!(f, "quarterly{a}"),
            Schedule::Every(n, unit) => {
                let unit = match unit {
                    Unit::Days => "days",
                    Unit::Weeks => "weeks",
                    Unit::Months => "months",
                };
                write!(f, "every {n} {unit}")
            }
            Schedule::Once(d) => write!(f, "once on {d}"),
        }
    }
}

impl Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Amount::All => f.write_str("all of"),
            Amount::Money(m) => write!(f, "{} USD of", num(*m)),
            Amount::Shares(q) => write!(f, "{} shares of", num(*q)),
            Amount::OfCash(p) => write!(f, "{}% of cash of", num(*p)),
            Amount::OfEquity(p) => write!(f, "{}% of equity of", num(*p)),
            Amount::OfPosition(p) => write!(f, "{}% of", num(*p)),
            Amount::Computed(Computed::CashShare(k)) => write!(f, "(cash / {k}) USD of"),
            Amount::Computed(Computed::Sma(s, n)) => write!(f, "(10 * sma(close({}), {n})) USD of", s.name()),
            Amount::Computed(Computed::Change(s, n)) => write!(f, "(100 * change(close({}), {n})) USD of", s.name()),
            Amount::Computed(Computed::SigShares) => f.write_str("(10 * sig) shares of"),
            Amount::Computed(Computed::SigOfCash) => f.write_str("(sig) of cash of"),
        }
    }
}

/// One side of a `hold`: `cash`, a symbol alone (100%), or weights with the rest in cash.
fn side(targets: &[(Sym, u32)]) -> String {
    match targets {
        [] => "cash".into(),
        [(s, 100)] => s.name().into(),
        _ => {
            let mut parts: Vec<String> = targets.iter().map(|(s, w)| format!("{} {w}%", s.name())).collect();
            let rest = 100 - targets.iter().map(|(_, w)| w).sum::<u32>();
            if rest > 0 {
                parts.push(format!("cash {rest}%"));
            }
            parts.join(", ")
        }
    }
}

impl Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let mut s = String::new();
        let schedule = self.schedule.map(|s| format!(" {s}")).unwrap_or_default();
        match &self.action {
            Action::Buy(amount, sym) => write!(s, "buy {amount} {}{schedule}", sym.name())?,
            Action::Sell(amount, sym) => write!(s, "sell {amount} {}{schedule}", sym.name())?,
            Action::Rebalance { targets, tolerance } => {
                let mut parts: Vec<String> = targets.iter().map(|(sym, w)| format!("{} {w}%", sym.name())).collect();
                let rest = 100 - targets.iter().map(|(_, w)| w).sum::<u32>();
                if rest > 0 {
                    parts.push(format!("cash {rest}%"));
                }
                write!(s, "rebalance{schedule} to {}", parts.join(", "))?;
                if let Some(t) = tolerance {
                    write!(s, " tolerance {t}%")?;
                }
            }
            Action::Weighted { symbols, by, tolerance } => {
                let names: Vec<&str> = symbols.iter().map(|c| c.name()).collect();
                let weighting = match by {
                    Some(by) => format!("by {by}"),
                    None => "equally".to_string(),
                };
                write!(s, "rebalance{schedule} to {} weighted {weighting}", names.join(", "))?;
                if let Some(t) = tolerance {
                    write!(s, " tolerance {t}%")?;
                }
            }
            Action::Rotate { top, n, candidates, by } => {
                let names: Vec<&str> = candidates.iter().map(|c| c.name()).collect();
                let rank = if *top { "top" } else { "bottom" };
                write!(s, "rotate{schedule} to {rank} {n} of {} by {by}", names.join(", "))?;
            }
            Action::Hold {
                cond,
                then,
                otherwise,
                tolerance,
            } => {
                write!(s, "hold{schedule} {} if {cond} else {}", side(then), side(otherwise))?;
                if let Some(t) = tolerance {
                    write!(s, " tolerance {t}%")?;
                }
            }
        }
        for (kind, cond) in &self.guards {
            let kw = match kind {
                GuardKind::While => "while",
                GuardKind::If => "if",
                GuardKind::When => "when",
                GuardKind::Unless => "unless",
            };
            write!(s, " {kw} {cond}")?;
        }
        match self.cooldown {
            None => {}
            Some(Cooldown::Week) => s.push_str(" at most once per week"),
            Some(Cooldown::Month) => s.push_str(" at most once per month"),
            Some(Cooldown::Days(n)) => write!(s, " at most once per {n} days")?,
        }
        let exits: Vec<String> = self
            .exits
            .iter()
            .map(|(e, level)| format!("{} {level}%", e.words()))
            .collect();
        if !exits.is_empty() {
            write!(s, " with {}", exits.join(", "))?;
        }
        f.write_str(&s)
    }
}
