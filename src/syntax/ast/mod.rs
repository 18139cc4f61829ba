//! The typed syntax tree of a strategy file. Every node carries the [`Span`] it came from.
//!
//! The tree keeps everything `rotor fmt` needs to print the file back (comments, blank
//! lines, numbers as written), and nothing about what names mean: that is the checker's job.

mod expr;
mod names;
mod rule;
mod schedule;
mod statement;

pub use expr::{BinaryOp, Expr, ExprKind, Num, TimeUnit, UnaryOp};
pub use rule::{
    Action, Amount, CalendarPeriod, Cooldown, CooldownPeriod, FractionBase, Guard, GuardKind, HoldSide, Holding, Rank,
    Rule, RuleExit, Target, Weighting,
};
pub use schedule::{Anchor, ClockUnit, Schedule, ScheduleKind, weekday_word};
pub use statement::{
    CostBasis, DateOrder, Delisted, Dividends, ExitKind, Fee, FillModel, ShareMode, Statement, StatementKind, Tax,
};

use crate::source::Span;

/// A parsed file: its logical lines in order, including blank and comment-only lines.
#[derive(Clone, Debug, PartialEq)]
pub struct File {
    pub lines: Vec<Line>,
}

impl File {
    /// The statements of the file, in order.
    pub fn statements(&self) -> impl Iterator<Item = &Statement> {
        self.lines.iter().filter_map(|l| l.statement.as_ref())
    }
}

/// One logical line: a statement (which may continue over several physical lines), a
/// trailing comment, both, or neither (a blank line).
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    pub statement: Option<Statement>,
    /// The comment text including its `#`.
    pub comment: Option<Text>,
    pub span: Span,
}

/// An identifier as written: a ticker, series, parameter or function name.
#[derive(Clone, Debug, PartialEq)]
pub struct Name {
    /// Without backticks.
    pub text: String,
    pub span: Span,
}

/// A string literal (`"Rate-cut DCA"`), unescaped.
#[derive(Clone, Debug, PartialEq)]
pub struct Text {
    pub value: String,
    pub span: Span,
}

/// A calendar date `YYYY-MM-DD`, validated.
#[derive(Clone, Debug, PartialEq)]
pub struct Date {
    pub date: chrono::NaiveDate,
    pub span: Span,
}
