//! A checked program's terms → the plan's slots.
//!
//! Names are turned into column indices here, once; windows become bar counts; equal
//! sub-expressions (`sma(IWM, 200)` used by two rules) share one slot, and a `let` is one
//! slot however often it is read. The `let`s a term reads are compiled before it, in file
//! order, so compiling never recurses through a chain of `let`s.

use std::sync::Arc;

use super::assumption::{Assumption, Reach};
use super::frame::Frame;
use super::frequency::BarScale;
use super::node::{Indicator, Key, KeyArg, Node, ScriptArg};
use super::plan::Plan;
use super::position::SinceEntry;
use crate::check::{Arg, BinaryOp, Builtin, Program, Term, TimeUnit, Window, functions};
use crate::indicators::*;
use crate::source::Span;

/// Where names point while compiling.
#[derive(Clone, Copy)]
pub struct Scope<'a> {
    pub frame: &'a Frame<'a>,
    /// The program whose `let`s the terms read.
    pub program: &'a Program,
    /// The candidate standing for [`Term::Subject`] in `rotate … by`.
    pub subject: Option<&'a str>,
    /// How bars map to time: durations into bar counts, annualisation.
    pub bars: BarScale,
}

impl Plan {
    /// Compiles a term; returns its slot.
    pub fn compile(&mut self, term: &Term, scope: &Scope) -> usize {
        let lets = scope
            .program
            .lets_read(term, |i| self.let_slots.get(i).is_some_and(Option::is_some));
        if self.let_slots.len() < scope.program.lets.len() {
            self.let_slots.resize(scope.program.lets.len(), None);
        }
        // In file order: what each reads is compiled already.
        for i in lets {
            let slot = self.term(&scope.program.lets[i].value, scope);
            self.let_slots[i] = Some(slot);
        }
        let slot = self.term(term, scope);
        self.read_by_loop[slot] = true;
        slot
    }

    /// Compiles a term whose `let`s are compiled.
    fn term(&mut self, term: &Term, scope: &Scope) -> usize {
        match term {
            Term::Number(v) => self.constant(*v),
            Term::Symbol(name) | Term::Series(name) | Term::Data(name) => self.data(name, scope),
            Term::Subject => match scope.subject {
                Some(subject) => self.data(subject, scope),
                None => self.constant(f64::NAN),
            },
            Term::Cash => self.node(Key::Cash, Node::Cash),
            Term::Equity => self.node(Key::Equity, Node::Equity),
            Term::Drawdown => self.node(Key::Drawdown, Node::Drawdown),
            Term::Let(i) => self.let_slots[*i].expect("a term's lets are compiled before it"),
            Term::Lag(inner, bars) => {
                let a = self.term(inner, scope);
                // As for windows: a look-back past the frame's start is never available.
                let n = self.within_frame(Reach::Lag(*bars), *bars as usize, scope);
                self.node(Key::Lag(a, n as u32), Node::Lag(Box::new(Lag::new(n)), a))
            }
            Term::Neg(inner) => {
                let a = self.term(inner, scope);
                self.node(Key::Neg(a), Node::Neg(a))
            }
            Term::Not(inner) => {
                let a = self.term(inner, scope);
                self.node(Key::Not(a), Node::Not(a))
            }
            Term::Binary(op, lhs, rhs) => {
                let a = self.term(lhs, scope);
                let b = self.term(rhs, scope);
                let key = Key::Binary(*op, a, b);
                match op {
                    BinaryOp::CrossesAbove | BinaryOp::CrossesBelow => self.node(
                        key,
                        Node::Cross {
                            above: *op == BinaryOp::CrossesAbove,
                            a,
                            b,
                            prev_a: f64::NAN,
                            prev_b: f64::NAN,
                        },
                    ),
                    _ => self.node(key, Node::Binary(*op, a, b)),
                }
            }
            Term::Call(builtin, args) => self.call(*builtin, args, scope),
            Term::Script { index, args, span } => self.script_call(*index, args, *span, scope),
        }
    }

    fn constant(&mut self, v: f64) -> usize {
        self.node(Key::Const(v.to_bits()), Node::Const(v))
    }

    /// A symbol (its close) or a series, by name.
    fn data(&mut self, name: &str, scope: &Scope) -> usize {
        if let Some(i) = scope.frame.symbol_index(name) {
            return self.node(Key::Close(i), Node::Close(i));
        }
        match scope.frame.series_index(name) {
            Some(i) => self.node(Key::Series(i), Node::Series(i)),
            // Checked against the data before compiling; a name missing from the frame is
            // a symbol with no rows in the period: never available.
            None => self.constant(f64::NAN),
        }
    }

    /// The frame's index of a symbol argument, if it has rows in the period.
    fn symbol_arg(arg: Option<&Arg>, scope: &Scope) -> Option<usize> {
        match arg? {
            Arg::Value(Term::Symbol(name) | Term::Data(name)) => scope.frame.symbol_index(name),
            Arg::Value(Term::Subject) => scope.subject.and_then(|s| scope.frame.symbol_index(s)),
            _ => None,
        }
    }

    fn value_arg(&mut self, arg: &Arg, scope: &Scope) -> usize {
        match arg {
            Arg::Value(term) => self.term(term, scope),
            Arg::Window(_) => unreachable!("the checker gives windows only to window parameters"),
        }
    }

    fn call(&mut self, builtin: Builtin, args: &[Arg], scope: &Scope) -> usize {
        for arg in args {
            if let Arg::Window(w) = arg {
                self.durations |= matches!(w, Window::Duration(..));
                self.within_frame(Reach::Window(*w), w.bars(scope.bars.per_trading_day), scope);
            }
        }
        // `volatility(x)`: a year of bars ([`Args::window`]).
        self.durations |= builtin == Builtin::Volatility && !matches!(args.get(1), Some(Arg::Window(_)));
        use Builtin as B;
        if let B::HighestSinceEntry | B::LowestSinceEntry = builtin {
            return self.since_entry(builtin == B::HighestSinceEntry, args, scope);
        }
        let args = Args::new(builtin, args, scope.bars, scope.frame.len());
        match builtin {
            B::Open
            | B::High
            | B::Low
            | B::Close
            | B::Volume
            | B::Position
            | B::Weight
            | B::Atr
            | B::EntryPrice
            | B::HeldDays
            | B::DaysSinceExit => {
                let Some(s) = Self::symbol_arg(args.given.first(), scope) else {
                    return self.constant(f64::NAN);
                };
                let (key, node) = match builtin {
                    B::Open => (Key::Open(s), Node::Open(s)),
                    B::High => (Key::High(s), Node::High(s)),
                    B::Low => (Key::Low(s), Node::Low(s)),
                    B::Close => (Key::Close(s), Node::Close(s)),
                    B::Volume => (Key::Volume(s), Node::Volume(s)),
                    B::Position => (Key::Position(s), Node::Position(s)),
                    B::Weight => (Key::Weight(s), Node::Weight(s)),
                    B::EntryPrice => (Key::EntryPrice(s), Node::EntryPrice(s)),
                    B::HeldDays => (Key::HeldDays(s), Node::HeldDays(s)),
                    B::DaysSinceExit => (Key::DaysSinceExit(s), Node::DaysSinceExit(s)),
                    _ => {
                        let n = args.window(1);
                        (Key::Atr(s, n), Node::Atr(Box::new(Atr::new(n)), s))
                    }
                };
                self.node(key, node)
            }
            B::Min | B::Max => {
                let a = self.value_arg(&args.given[0], scope);
                let b = self.value_arg(&args.given[1], scope);
                let (key, node) = if builtin == B::Min {
                    (Key::Min(a, b), Node::Min(a, b))
                } else {
                    (Key::Max(a, b), Node::Max(a, b))
                };
                self.node(key, node)
            }
            B::Correlation | B::Beta => {
                let a = self.value_arg(&args.given[0], scope);
                let b = self.value_arg(&args.given[1], scope);
                // Returns need two values: a window of n returns, at least 2.
                let n = args.window(2).max(2);
                let measure = if builtin == B::Correlation {
                    Measure::Correlation
                } else {
                    Measure::Beta
                };
                self.node(
                    Key::Pair(builtin, a, b, n),
                    Node::Pair(Box::new(Comovement::new(n, measure)), a, b),
                )
            }
            B::Prev => match args.given.first() {
                Some(Arg::Value(Term::Series(name) | Term::Data(name))) => match scope.frame.series_index(name) {
                    Some(i) => self.node(Key::Prev(i), Node::Prev(i)),
                    None => self.constant(f64::NAN),
                },
                _ => self.constant(f64::NAN),
            },
            B::Abs | B::Sqrt | B::Log => {
                let a = self.value_arg(&args.given[0], scope);
                let (key, node) = match builtin {
                    B::Abs => (Key::Abs(a), Node::Abs(a)),
                    B::Sqrt => (Key::Sqrt(a), Node::Sqrt(a)),
                    _ => (Key::Log(a), Node::Log(a)),
                };
                self.node(key, node)
            }
            _ => {
                let input = self.value_arg(&args.given[0], scope);
                let (windows, k, indicator) = args.indicator();
                let key = Key::Indicator {
                    builtin,
                    input,
                    windows,
                    k: k.to_bits(),
                };
                self.node(key, Node::Indicator(Box::new(indicator), input))
            }
        }
    }

    /// `highest(x since entry)` (or `lowest`): the checker gives the value and the symbol
    /// whose position it follows.
    fn since_entry(&mut self, high: bool, args: &[Arg], scope: &Scope) -> usize {
        let (Some(Arg::Value(value)), Some(s)) = (args.first(), Self::symbol_arg(args.get(1), scope)) else {
            // A symbol without rows in the period is never held.
            return self.constant(f64::NAN);
        };
        let input = self.term(value, scope);
        self.node(
            Key::SinceEntry(high, input, s),
            Node::SinceEntry(Box::new(SinceEntry::new(high)), input, s),
        )
    }

    /// `bars` of a window or look-back, at most one more than the frame has. Every
    /// indicator is "not available" until its window is full, so a longer window behaves
    /// exactly like that one: never available. Allocating it would cost memory (a window
    /// of 9,999,999 years is 20 GB) for nothing; the report says so instead.
    fn within_frame(&mut self, reach: Reach, bars: usize, scope: &Scope) -> usize {
        let limit = scope.frame.len() + 1;
        if bars >= limit {
            let fact = Assumption::LongerThanData {
                reach,
                bars,
                data_bars: scope.frame.len(),
            };
            if !self.found.contains(&fact) {
                self.found.push(fact);
            }
        }
        bars.min(limit)
    }

    /// A call of a script function: symbols and series are passed as views of their column,
    /// anything else as its value.
    fn script_call(&mut self, index: usize, args: &[Term], span: Span, scope: &Scope) -> usize {
        let mut compiled = Vec::with_capacity(args.len());
        let mut key = Vec::with_capacity(args.len());
        for a in args {
            let arg = match self.column_arg(a, scope) {
                Some((name, column)) => {
                    key.push(KeyArg::Column(name));
                    ScriptArg::Series(column)
                }
                None => {
                    let slot = self.term(a, scope);
                    key.push(KeyArg::Slot(slot));
                    ScriptArg::Value(slot)
                }
            };
            compiled.push(arg);
        }
        self.node(
            Key::Script(index, key),
            Node::Script {
                index,
                args: compiled,
                span,
            },
        )
    }

    /// The column a name stands for when passed to a script: a symbol's closes or a series.
    fn column_arg(&mut self, term: &Term, scope: &Scope) -> Option<(String, Arc<[f64]>)> {
        let name = match term {
            Term::Subject => scope.subject?.to_string(),
            Term::Symbol(n) | Term::Series(n) | Term::Data(n) => n.clone(),
            _ => return None,
        };
        if let Some(c) = self.script_columns.get(&name) {
            return Some((name, c.clone()));
        }
        let column: Arc<[f64]> = if let Some(i) = scope.frame.symbol_index(&name) {
            scope.frame.symbols[i].close[..].into()
        } else {
            let i = scope.frame.series_index(&name)?;
            scope.frame.series[i].1.as_slice().into()
        };
        self.script_columns.insert(name.clone(), column.clone());
        Some((name, column))
    }
}

/// A built-in's arguments as given, with its parameters' defaults for those left out.
struct Args<'a> {
    builtin: Builtin,
    params: &'static [functions::Param],
    given: &'a [Arg],
    bars: BarScale,
    /// The frame's bars: no window is longer than one more (see [`Plan::within_frame`]).
    frame_bars: usize,
}

impl<'a> Args<'a> {
    fn new(builtin: Builtin, given: &'a [Arg], bars: BarScale, frame_bars: usize) -> Args<'a> {
        let f = functions::FUNCTIONS
            .iter()
            .find(|f| f.builtin == builtin)
            .expect("every built-in is in the function table");
        Args {
            builtin,
            params: f.params,
            given,
            bars,
            frame_bars,
        }
    }

    fn default(&self, i: usize) -> f64 {
        self.params.get(i).and_then(|p| p.default).unwrap_or(1.0)
    }

    /// Argument `i` as a window in bars, or the parameter's default; at most one more than
    /// the frame's bars. `volatility`'s window defaults to a year of bars (252 daily, 52
    /// weekly), not to 252 bars.
    fn window(&self, i: usize) -> usize {
        let bars = match self.given.get(i) {
            Some(Arg::Window(w)) => w.bars(self.bars.per_trading_day),
            _ if self.builtin == Builtin::Volatility && i == 1 => {
                Window::Duration(1.0, TimeUnit::Years).bars(self.bars.per_trading_day)
            }
            _ => (self.default(i).round() as usize).max(1),
        };
        bars.min(self.frame_bars + 1)
    }

    /// The streaming indicator of a built-in of one input, with its windows in bars (0 for
    /// those it has not) and Bollinger's `k` or a percentile's `p` (0 for the others), for
    /// its key.
    fn indicator(&self) -> ([usize; 3], f64, Indicator) {
        use Builtin as B;
        let n = self.window(1);
        let one = |indicator| ([n, 0, 0], 0.0, indicator);
        match self.builtin {
            B::Sma => one(Indicator::Sma(Sma::new(n))),
            B::Ema => one(Indicator::Ema(Ema::new(n))),
            B::Wma => one(Indicator::Wma(Wma::new(n))),
            B::Rsi => one(Indicator::Rsi(Rsi::new(n))),
            B::Macd | B::MacdSignal | B::MacdHist => {
                let (slow, signal) = (self.window(2), self.window(3));
                let which = match self.builtin {
                    B::Macd => 0,
                    B::MacdSignal => 1,
                    _ => 2,
                };
                (
                    [n, slow, signal],
                    0.0,
                    Indicator::Macd(Macd::new(n, slow, signal), which),
                )
            }
            B::BollingerUpper | B::BollingerLower | B::PercentB => {
                let k = match self.given.get(2) {
                    Some(Arg::Value(Term::Number(k))) => *k,
                    _ => self.default(2),
                };
                let which = match self.builtin {
                    B::BollingerUpper => 0,
                    B::BollingerLower => 1,
                    _ => 2,
                };
                ([n, 0, 0], k, Indicator::Bollinger(Bollinger::new(n, k), which))
            }
            B::Stdev => one(Indicator::Stdev(Stdev::new(n.max(2)))),
            B::Volatility => one(Indicator::Volatility(Volatility::new(n.max(2), self.bars.per_year))),
            B::Return => one(Indicator::Return(Return::new(n))),
            B::Change => one(Indicator::Change(Change::new(n))),
            B::Highest => one(Indicator::Highest(Highest::new(n))),
            B::Lowest => one(Indicator::Lowest(Lowest::new(n))),
            B::Drawdown => {
                // Without a window, the drawdown from the highest value so far.
                let window = self.given.get(1).map(|_| n);
                (
                    [window.unwrap_or(0), 0, 0],
                    0.0,
                    Indicator::Drawdown(Drawdown::new(window)),
                )
            }
            B::Zscore => one(Indicator::Zscore(Zscore::new(n.max(2)))),
            B::BarsSince => ([0, 0, 0], 0.0, Indicator::BarsSince(BarsSince::new())),
            B::PercentRank => one(Indicator::PercentRank(PercentRank::new(n))),
            B::Median => ([n, 0, 0], 0.5, Indicator::Percentile(Percentile::new(n, 0.5))),
            B::Percentile => {
                let p = match self.given.get(2) {
                    Some(Arg::Value(Term::Number(p))) if (0.0..=1.0).contains(p) => *p,
                    _ => unreachable!("the checker gives `percentile` a fixed share from 0 to 1"),
                };
                ([n, 0, 0], p, Indicator::Percentile(Percentile::new(n, p)))
            }
            other => unreachable!("not an indicator of one input: {other:?}"),
        }
    }
}
