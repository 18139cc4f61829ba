//! Resolved expressions: what the checker hands the engine in place of the syntax tree.
//!
//! Every name is classified (a symbol, a series, a `let`, a portfolio value, the ranked
//! candidate), every constant is folded, every window is a bar count or a calendar
//! duration and every script function is found. A `let` read anywhere is [`Term::Let`], a
//! reference to one value, so it is computed once however often it is read.

use super::functions::Builtin;
use crate::source::Span;
use crate::syntax::ast::{BinaryOp, TimeUnit};

/// A resolved expression. Conditions are numbers too: 1 for true, 0 for false.
#[derive(Clone, Debug, PartialEq)]
pub enum Term {
    /// A value known before the run: `0.8`; `25%` as 0.25; `500 USD` as 500; `true` as 1;
    /// a duration outside a window (a `let` may hold one) as trading days, `3 months` as 63;
    /// a `let` bound to one of these.
    Number(f64),
    /// A symbol, read as its close: `IWO`.
    Symbol(String),
    /// A series: `fed_cut_prob`.
    Series(String),
    /// A symbol or a series, when checked without data: the data will tell.
    Data(String),
    /// The candidate being ranked in `rotate … by`.
    Subject,
    /// `cash`, `portfolio.cash`
    Cash,
    /// `portfolio.value`
    Equity,
    /// `portfolio.drawdown`
    Drawdown,
    /// The value of [`Program::lets`](super::Program::lets)`[i]`.
    Let(usize),
    /// `x[n]`: the value `n` bars ago.
    Lag(Box<Term>, u32),
    /// `-x`
    Neg(Box<Term>),
    /// `not x`
    Not(Box<Term>),
    /// `a + b`, `a > b`, `a and b`, `a crosses above b`
    Binary(BinaryOp, Box<Term>, Box<Term>),
    /// A built-in function, with its arguments as written (an implicit `rotate … by`
    /// subject included); left-out arguments take the defaults of
    /// [`FUNCTIONS`](super::FUNCTIONS).
    Call(Builtin, Vec<Arg>),
    /// A function of a `use`d script: its index among the scripts' functions.
    Script { index: usize, args: Vec<Term>, span: Span },
}

/// An argument of a built-in function.
#[derive(Clone, Debug, PartialEq)]
pub enum Arg {
    /// A source, a value, a symbol ([`Term::Symbol`], [`Term::Data`] or [`Term::Subject`]),
    /// or a constant ([`Term::Number`]).
    Value(Term),
    /// A look-back window.
    Window(Window),
}

/// A look-back window, known before the run.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Window {
    /// `200`: a number of bars.
    Bars(f64),
    /// `200 days`, `3 months`: trading days (1, 5, 21 or 252 a unit), turned into bars by
    /// the data's bars per trading day (1 for daily bars, 52 / 252 for weekly ones).
    Duration(f64, TimeUnit),
}

impl Window {
    /// The window in bars (at least 1), for data with `bars_per_day` bars a trading day.
    pub fn bars(self, bars_per_day: f64) -> usize {
        let bars = match self {
            Window::Bars(n) => n,
            Window::Duration(n, unit) => n * unit.trading_days() * bars_per_day,
        };
        (bars.round() as usize).max(1)
    }
}

impl Term {
    /// Whether the term is a single value that reading it twice costs nothing to copy: a
    /// `let` bound to one is read as the value itself.
    pub fn is_leaf(&self) -> bool {
        matches!(
            self,
            Term::Number(_)
                | Term::Symbol(_)
                | Term::Series(_)
                | Term::Data(_)
                | Term::Subject
                | Term::Cash
                | Term::Equity
                | Term::Drawdown
        )
    }

    /// Every sub-term, this one first (pre-order), without recursion.
    pub fn walk(&self) -> impl Iterator<Item = &Term> {
        let mut stack = vec![self];
        std::iter::from_fn(move || {
            let t = stack.pop()?;
            match t {
                Term::Lag(a, _) | Term::Neg(a) | Term::Not(a) => stack.push(a),
                Term::Binary(_, a, b) => {
                    stack.push(b);
                    stack.push(a);
                }
                Term::Call(_, args) => stack.extend(args.iter().rev().filter_map(|a| match a {
                    Arg::Value(t) => Some(t),
                    Arg::Window(_) => None,
                })),
                Term::Script { args, .. } => stack.extend(args.iter().rev()),
                // Leaves and `let` references hold no sub-term.
                _ => {}
            }
            Some(t)
        })
    }

    /// The `let`s the term reads directly, in the order written.
    pub fn lets(&self) -> impl Iterator<Item = usize> + '_ {
        self.walk().filter_map(|t| match t {
            Term::Let(i) => Some(*i),
            _ => None,
        })
    }
}
