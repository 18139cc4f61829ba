use super::Name;
use crate::source::Span;

/// An expression: a condition in a guard, a ranking in `rotate … by`, an amount, a weight.
#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

/// A number as written, so `rotor fmt` prints `10_000` back as `10_000`.
#[derive(Clone, Debug, PartialEq)]
pub struct Num {
    pub value: f64,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    /// `0.8`, `10_000`
    Number(Num),
    /// `25%` — the value is the fraction, 0.25.
    Percent(Num),
    /// `500 USD`, `$500` (currency `None`)
    Money { amount: Num, currency: Option<String> },
    /// `200 days`, `3 months`, `1 year`
    Duration { amount: Num, unit: TimeUnit },
    /// `true`, `false`
    Bool(bool),
    /// `fed_cut_prob`, `IWO`, `threshold`, `cash`, `portfolio.value`
    Name(Name),
    /// `sma(IWO, 50)`, `momentum(IWO, 90)`
    Call { func: Name, args: Vec<Expr> },
    /// `x[1]`: the value `bars` bars ago.
    Lag { expr: Box<Expr>, bars: u32 },
    /// `-x`, `not x`
    Unary { op: UnaryOp, expr: Box<Expr> },
    /// `a + b`, `a > b`, `a and b`, `a crosses above b`
    Binary {
        op: BinaryOp,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
    },
    /// `(x)`: kept so `rotor fmt` keeps the parentheses a user wrote.
    Group(Box<Expr>),
    /// `close(IWM) since entry`, only as the first argument of `highest` or `lowest`: the
    /// values since the position in the symbol it reads was opened.
    SinceEntry(Box<Expr>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnaryOp {
    Neg,
    Not,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BinaryOp {
    Or,
    And,
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
    CrossesAbove,
    CrossesBelow,
    Add,
    Sub,
    Mul,
    Div,
}

impl BinaryOp {
    /// How the operator is written.
    pub fn symbol(self) -> &'static str {
        match self {
            BinaryOp::Or => "or",
            BinaryOp::And => "and",
            BinaryOp::Lt => "<",
            BinaryOp::Le => "<=",
            BinaryOp::Gt => ">",
            BinaryOp::Ge => ">=",
            BinaryOp::Eq => "==",
            BinaryOp::Ne => "!=",
            BinaryOp::CrossesAbove => "crosses above",
            BinaryOp::CrossesBelow => "crosses below",
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Mul => "*",
            BinaryOp::Div => "/",
        }
    }

    /// Binding strength; higher binds tighter. Mirrors the grammar's rule nesting.
    pub fn precedence(self) -> u8 {
        match self {
            BinaryOp::Or => 1,
            BinaryOp::And => 2,
            BinaryOp::Lt
            | BinaryOp::Le
            | BinaryOp::Gt
            | BinaryOp::Ge
            | BinaryOp::Eq
            | BinaryOp::Ne
            | BinaryOp::CrossesAbove
            | BinaryOp::CrossesBelow => 4,
            BinaryOp::Add | BinaryOp::Sub => 5,
            BinaryOp::Mul | BinaryOp::Div => 6,
        }
    }

    pub fn is_comparison(self) -> bool {
        self.precedence() == 4
    }
}

/// Units of a duration. In indicators a duration counts trading days (bars); see
/// docs/LANGUAGE.md.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeUnit {
    Days,
    Weeks,
    Months,
    Years,
}

impl TimeUnit {
    pub fn parse(word: &str) -> Option<TimeUnit> {
        Some(match word {
            "day" | "days" => TimeUnit::Days,
            "week" | "weeks" => TimeUnit::Weeks,
            "month" | "months" => TimeUnit::Months,
            "year" | "years" => TimeUnit::Years,
            _ => return None,
        })
    }

    /// The word for `n` of this unit: `1 day`, `3 months`.
    pub fn word(self, n: f64) -> &'static str {
        let one = n == 1.0;
        match self {
            TimeUnit::Days if one => "day",
            TimeUnit::Days => "days",
            TimeUnit::Weeks if one => "week",
            TimeUnit::Weeks => "weeks",
            TimeUnit::Months if one => "month",
            TimeUnit::Months => "months",
            TimeUnit::Years if one => "year",
            TimeUnit::Years => "years",
        }
    }

    /// Trading days in one unit: the conventional 1, 5, 21 and 252.
    pub fn trading_days(self) -> f64 {
        match self {
            TimeUnit::Days => 1.0,
            TimeUnit::Weeks => 5.0,
            TimeUnit::Months => 21.0,
            TimeUnit::Years => 252.0,
        }
    }
}
