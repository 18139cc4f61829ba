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

/// A parsed file: its logical lines in order, including comment-only lines and blank ones
/// (a run of blank lines is one blank line, spanning the first: `rotor fmt` keeps one).
#[derive(Clone, Debug, PartialEq)]
pub struct File {
    pub lines: Vec<Line>,
}

impl File {
    /// The statements of the file, in order.
    pub fn statements(&self) -> impl Iterator<Item = &Statement> {
        self.lines.iter().filter_map(|l| l.statement.as_ref())
    }

    /// How deep each line stands in `sleeve` blocks, one entry a line: a statement
    /// indented further than a `sleeve …:` line above it (spaces and tabs count one column
    /// each) is inside that sleeve, until a statement indented no further than the `sleeve`
    /// line. A comment-only line is as deep as the open sleeves it is indented beyond, and
    /// closes none; a blank line is 0. The checker (src/check/sleeves.rs) and `rotor fmt`
    /// (two spaces a level) read the blocks from here.
    pub fn depths(&self) -> Vec<usize> {
        // The indentation of each open `sleeve` line, outermost first.
        let mut open: Vec<u32> = Vec::new();
        self.lines
            .iter()
            .map(|line| {
                let start = match (&line.statement, &line.comment) {
                    (Some(st), _) => st.span.start,
                    (None, Some(c)) => c.span.start,
                    (None, None) => return 0,
                };
                let indent = start.saturating_sub(line.span.start);
                let Some(st) = &line.statement else {
                    // The open indentations rise from the outermost in.
                    return open.partition_point(|i| *i < indent);
                };
                while open.last().is_some_and(|i| *i >= indent) {
                    open.pop();
                }
                let depth = open.len();
                if matches!(st.kind, StatementKind::Sleeve { .. }) {
                    open.push(indent);
                }
                depth
            })
            .collect()
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
