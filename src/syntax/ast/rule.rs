use super::{Expr, Name, Schedule};
use crate::source::Span;

/// A trading rule: what to do, when to consider it, and under which conditions.
#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    pub action: Action,
    /// `None` means every trading day.
    pub schedule: Option<Schedule>,
    pub guards: Vec<Guard>,
    /// `at most once per month`: the rule trades at most once in the period.
    pub cooldown: Option<Cooldown>,
    /// `with stop loss 10%, trailing stop 15%`: exits on the positions of the symbols the
    /// rule trades, in the order written.
    pub exits: Vec<RuleExit>,
    pub span: Span,
}

/// One exit of a rule's `with`: `stop loss 10%`.
#[derive(Clone, Debug, PartialEq)]
pub struct RuleExit {
    pub kind: super::ExitKind,
    pub level: Expr,
    /// The exit's words and level.
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// `buy [AMOUNT of] SYMBOL`: no amount invests all available cash.
    Buy { amount: Option<Amount>, symbol: Name },
    /// `sell [AMOUNT of] SYMBOL`: no amount sells the whole position.
    Sell { amount: Option<Amount>, symbol: Name },
    /// `rebalance to IWO 40%, IWN 60% [tolerance 5%]`
    Rebalance {
        targets: Vec<Target>,
        tolerance: Option<Expr>,
    },
    /// `rebalance to IWM, IWO weighted by 1 / volatility(63 days)`, `… weighted equally`:
    /// weights computed when the rule fires, normalised to 100%.
    RebalanceWeighted {
        symbols: Vec<Name>,
        weighting: Weighting,
        tolerance: Option<Expr>,
    },
    /// `rotate to top 1 of IWO, IWN by return(3 months)`
    Rotate {
        rank: Rank,
        candidates: Vec<Name>,
        by: Expr,
    },
    /// `hold IWM if close(IWM) > sma(IWM, 200) else AGG [tolerance 5%]`: a rebalance to one
    /// side or the other, by the condition.
    Hold {
        then: HoldSide,
        condition: Expr,
        otherwise: HoldSide,
        tolerance: Option<Expr>,
    },
}

/// One side of a `hold … if … else …`.
#[derive(Clone, Debug, PartialEq)]
pub enum HoldSide {
    /// `IWM`: all of the portfolio in it.
    Symbol(Name),
    /// `IWM 60%, IWO 40%` (and `cash 10%`): weights, as in a rebalance.
    Weights(Vec<Target>),
    /// `cash`: everything sold.
    Cash(Span),
}

/// `at most once per month`, `at most once per 20 days`.
#[derive(Clone, Debug, PartialEq)]
pub struct Cooldown {
    pub period: CooldownPeriod,
    pub span: Span,
}

/// How long a rule waits after an order of it traded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CooldownPeriod {
    /// `per day`, `per week`, `per month`, `per quarter`, `per year`: once in each calendar
    /// period (weeks start on Monday).
    Calendar(CalendarPeriod),
    /// `per 20 days`, `per 2 weeks`: until that many calendar days have passed.
    Days { n: u32, unit: super::TimeUnit },
}

/// A calendar period of a cooldown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CalendarPeriod {
    Day,
    Week,
    Month,
    Quarter,
    Year,
}

impl CalendarPeriod {
    pub fn parse(word: &str) -> Option<CalendarPeriod> {
        Some(match word {
            "day" => CalendarPeriod::Day,
            "week" => CalendarPeriod::Week,
            "month" => CalendarPeriod::Month,
            "quarter" => CalendarPeriod::Quarter,
            "year" => CalendarPeriod::Year,
            _ => return None,
        })
    }

    pub fn word(self) -> &'static str {
        match self {
            CalendarPeriod::Day => "day",
            CalendarPeriod::Week => "week",
            CalendarPeriod::Month => "month",
            CalendarPeriod::Quarter => "quarter",
            CalendarPeriod::Year => "year",
        }
    }
}

/// How much to buy or sell.
#[derive(Clone, Debug, PartialEq)]
pub enum Amount {
    /// `all`: all cash for a buy, the whole position for a sell.
    All(Span),
    /// `10 shares`
    Shares(Expr),
    /// `500 USD`, `$500`, `50%` (of the position, for a sell), or a parameter.
    Value(Expr),
    /// `10% of cash`, `10% of equity`, `50% of position`
    Fraction { share: Expr, of: FractionBase, span: Span },
    /// `(2 * base) USD`: money computed when the rule fires; `value` is the parenthesised
    /// expression.
    Money { value: Expr, currency: String, span: Span },
}

impl Amount {
    /// The expression of the amount, if it has one (`all` has none).
    pub fn expr(&self) -> Option<&Expr> {
        match self {
            Amount::All(_) => None,
            Amount::Shares(e) | Amount::Value(e) => Some(e),
            Amount::Fraction { share, .. } => Some(share),
            Amount::Money { value, .. } => Some(value),
        }
    }
}

/// How a `rebalance … weighted` rule weighs its symbols.
#[derive(Clone, Debug, PartialEq)]
pub enum Weighting {
    /// `weighted equally`: 1/N each.
    Equally(Span),
    /// `weighted by EXPR`: the expression of each symbol (its implicit subject, as in
    /// `rotate … by`), as a share of their sum.
    By(Expr),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FractionBase {
    Cash,
    Equity,
    Position,
}

impl FractionBase {
    pub fn word(self) -> &'static str {
        match self {
            FractionBase::Cash => "cash",
            FractionBase::Equity => "equity",
            FractionBase::Position => "position",
        }
    }
}

/// `IWO 40%` or `cash 10%` in a `rebalance`.
#[derive(Clone, Debug, PartialEq)]
pub struct Target {
    pub holding: Holding,
    pub weight: Expr,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Holding {
    Cash(Span),
    Symbol(Name),
}

/// `top 2` or `bottom 1` in a `rotate`.
#[derive(Clone, Debug, PartialEq)]
pub struct Rank {
    pub top: bool,
    pub n: u32,
    pub span: Span,
}

/// `while …`, `if …`, `when …`, `unless …`
#[derive(Clone, Debug, PartialEq)]
pub struct Guard {
    pub kind: GuardKind,
    pub condition: Expr,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GuardKind {
    /// Checked on each scheduled date; the rule acts while the condition holds.
    While,
    /// The same as `while`, for rules that read better with it.
    If,
    /// Acts on the scheduled date where the condition becomes true (false or not yet
    /// available at the previous scheduled date).
    When,
    /// Acts only when the condition is false.
    Unless,
}

impl GuardKind {
    pub fn word(self) -> &'static str {
        match self {
            GuardKind::While => "while",
            GuardKind::If => "if",
            GuardKind::When => "when",
            GuardKind::Unless => "unless",
        }
    }
}
