//! One slot's computation ([`Node`]) and how it is evaluated on a bar: the same code
//! serves the live step and the column fill.

use std::sync::Arc;

use super::columns::Source;
use super::frame::Frame;
use super::position::SinceEntry;
use crate::check::{BinaryOp, Builtin};
use crate::indicators::*;
use crate::script::{Arg, CallContext, ScriptError, Scripts, SeriesView};
use crate::source::Span;

/// One slot's computation. Variants mirror the expression forms they come from.
#[derive(Clone, Debug)]
pub enum Node {
    /// A literal or a constant parameter.
    Const(f64),
    /// `open(SYM)`, `high`, `low`, `close` (or a bare symbol), `volume`.
    Open(usize),
    High(usize),
    Low(usize),
    Close(usize),
    Volume(usize),
    /// A series, as of the bar.
    Series(usize),
    /// `cash`, `portfolio.value`, `portfolio.drawdown`
    Cash,
    Equity,
    Drawdown,
    /// `position(SYM)`, `weight(SYM)`
    Position(usize),
    Weight(usize),
    /// `entry_price(SYM)`, `held_days(SYM)`, `days_since_exit(SYM)`: position state.
    EntryPrice(usize),
    HeldDays(usize),
    DaysSinceExit(usize),
    /// `highest(x since entry)` or `lowest(…)`: the input slot, and the symbol whose
    /// position it follows.
    SinceEntry(Box<SinceEntry>, usize, usize),
    /// A streaming indicator of one input slot.
    Indicator(Box<Indicator>, usize),
    /// `atr(SYM, n)`
    Atr(Box<Atr>, usize),
    /// `correlation(a, b, n)`, `beta(a, b, n)`: an indicator of two input slots.
    Pair(Box<Comovement>, usize, usize),
    /// `prev(SERIES)`: the series' previous observation ([`Frame::previous`]).
    Prev(usize),
    /// `x[n]`
    Lag(Box<Lag>, usize),
    /// `a crosses above b` (or below), with the previous bar's values.
    Cross {
        above: bool,
        a: usize,
        b: usize,
        prev_a: f64,
        prev_b: f64,
    },
    Neg(usize),
    Not(usize),
    Binary(BinaryOp, usize, usize),
    Min(usize, usize),
    Max(usize, usize),
    Abs(usize),
    Sqrt(usize),
    Log(usize),
    /// A function from a `use`d rhai script.
    Script {
        index: usize,
        args: Vec<ScriptArg>,
        span: Span,
    },
}

impl Node {
    /// Whether the node reads the portfolio (cash, equity, positions and their state),
    /// which only the running account knows: such a slot is live, evaluated bar by bar
    /// by the engine, never ahead of the run.
    pub(super) fn reads_portfolio(&self) -> bool {
        matches!(
            self,
            Node::Cash
                | Node::Equity
                | Node::Drawdown
                | Node::Position(_)
                | Node::Weight(_)
                | Node::EntryPrice(_)
                | Node::HeldDays(_)
                | Node::DaysSinceExit(_)
                | Node::SinceEntry(..)
        )
    }
}

/// What a slot computes, naming its inputs by slot: two terms with equal keys are one
/// computation, so they share a slot (and, in a sweep, a column of the cache).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Key {
    /// A constant, by its bits.
    Const(u64),
    Open(usize),
    High(usize),
    Low(usize),
    /// A symbol's close, bare (`IWO`) or called (`close(IWO)`).
    Close(usize),
    Volume(usize),
    Series(usize),
    Cash,
    Equity,
    Drawdown,
    Position(usize),
    Weight(usize),
    EntryPrice(usize),
    HeldDays(usize),
    DaysSinceExit(usize),
    /// `highest` (true) or `lowest` of an input since the entry in a symbol.
    SinceEntry(bool, usize, usize),
    /// `atr(symbol, window)`
    Atr(usize, usize),
    /// `correlation` or `beta` of two slots over a window in bars.
    Pair(Builtin, usize, usize, usize),
    /// `prev(series)`
    Prev(usize),
    /// `x[bars]`
    Lag(usize, u32),
    Neg(usize),
    Not(usize),
    /// Arithmetic, comparisons, logic and crossings.
    Binary(BinaryOp, usize, usize),
    Min(usize, usize),
    Max(usize, usize),
    Abs(usize),
    Sqrt(usize),
    Log(usize),
    /// An indicator of one input: its windows in bars (unused ones 0; a `drawdown` without
    /// a window has 0) and Bollinger's `k` or a percentile's `p` (bits; 0 for the others).
    Indicator {
        builtin: Builtin,
        input: usize,
        windows: [usize; 3],
        k: u64,
    },
    /// A script function (by index) and its arguments.
    Script(usize, Vec<KeyArg>),
}

/// An argument of a script call in a [`Key`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum KeyArg {
    /// A symbol's closes or a series, by name.
    Column(String),
    Slot(usize),
}

/// An argument of a script call.
#[derive(Clone, Debug)]
pub enum ScriptArg {
    /// A symbol's closes or a series, seen by the script only up to the current bar.
    Series(Arc<[f64]>),
    /// A value computed by a slot.
    Value(usize),
}

/// Streaming indicator states that take one input.
#[derive(Clone, Debug)]
pub enum Indicator {
    Sma(Sma),
    Ema(Ema),
    Wma(Wma),
    Rsi(Rsi),
    /// 0 = line, 1 = signal, 2 = histogram
    Macd(Macd, u8),
    /// 0 = upper, 1 = lower, 2 = %b
    Bollinger(Bollinger, u8),
    Stdev(Stdev),
    Volatility(Volatility),
    Return(Return),
    Change(Change),
    Highest(Highest),
    Lowest(Lowest),
    Drawdown(Drawdown),
    Zscore(Zscore),
    BarsSince(BarsSince),
    PercentRank(PercentRank),
    /// `percentile(x, n, p)`, `median(x, n)`
    Percentile(Percentile),
}

impl Indicator {
    /// [`Self::update`] on each value of a block's input, in order: which indicator it is
    /// is decided once for the block, so the common ones (SMA, EMA) run as a loop of their
    /// own update, inlined, over the input slice.
    pub(super) fn column(&mut self, input: Source, len: usize) -> Arc<[f64]> {
        fn each(input: Source, len: usize, mut update: impl FnMut(f64) -> f64) -> Arc<[f64]> {
            match input {
                Source::Slice(xs) => xs[..len].iter().map(|&x| update(x)).collect(),
                Source::Scalar(x) => (0..len).map(|_| update(x)).collect(),
            }
        }
        match self {
            Indicator::Sma(i) => each(input, len, |x| i.update(x)),
            Indicator::Ema(i) => each(input, len, |x| i.update(x)),
            other => each(input, len, |x| other.update(x)),
        }
    }

    pub(super) fn update(&mut self, x: f64) -> f64 {
        match self {
            Indicator::Sma(i) => i.update(x),
            Indicator::Ema(i) => i.update(x),
            Indicator::Wma(i) => i.update(x),
            Indicator::Rsi(i) => i.update(x),
            Indicator::Macd(i, which) => {
                let v = i.update(x);
                [v.line, v.signal, v.histogram][*which as usize]
            }
            Indicator::Bollinger(i, which) => {
                let v = i.update(x);
                [v.upper, v.lower, v.percent_b][*which as usize]
            }
            Indicator::Stdev(i) => i.update(x),
            Indicator::Volatility(i) => i.update(x),
            Indicator::Return(i) => i.update(x),
            Indicator::Change(i) => i.update(x),
            Indicator::Highest(i) => i.update(x),
            Indicator::Lowest(i) => i.update(x),
            Indicator::Drawdown(i) => i.update(x),
            Indicator::Zscore(i) => i.update(x),
            Indicator::BarsSince(i) => i.update(x),
            Indicator::PercentRank(i) => i.update(x),
            Indicator::Percentile(i) => i.update(x),
        }
    }
}

/// One bar of a slot that is neither a portfolio value nor a script call: the same code
/// serves the live step and the column fill.
pub(super) fn eval(node: &mut Node, t: usize, frame: &Frame, v: impl Fn(usize) -> f64) -> f64 {
    match node {
        Node::Const(c) => *c,
        Node::Open(s) => frame.symbols[*s].open[t],
        Node::High(s) => frame.symbols[*s].high[t],
        Node::Low(s) => frame.symbols[*s].low[t],
        Node::Close(s) => frame.symbols[*s].close[t],
        Node::Volume(s) => frame.symbols[*s].volume[t],
        Node::Series(s) => frame.series[*s].1[t],
        Node::Indicator(ind, input) => ind.update(v(*input)),
        Node::Atr(atr, s) => {
            let c = &frame.symbols[*s];
            if c.open[t].is_nan() {
                // No row for the symbol today: the range is unknown, skip the bar.
                atr.update(f64::NAN, f64::NAN, f64::NAN)
            } else {
                atr.update(c.high[t], c.low[t], c.close[t])
            }
        }
        Node::Pair(ind, a, b) => ind.update(v(*a), v(*b)),
        Node::Prev(s) => {
            // A value made not available (stale) has no previous observation either.
            if frame.series[*s].1[t].is_nan() {
                f64::NAN
            } else {
                frame.previous[*s][t]
            }
        }
        Node::Lag(lag, input) => lag.update(v(*input)),
        Node::Cross {
            above,
            a,
            b,
            prev_a,
            prev_b,
        } => {
            let (x, y) = (v(*a), v(*b));
            let out = crossing(*above, x, y, *prev_a, *prev_b);
            *prev_a = x;
            *prev_b = y;
            out
        }
        Node::Neg(a) => -v(*a),
        Node::Not(a) => {
            let x = v(*a);
            if x.is_nan() { f64::NAN } else { bool_value(x == 0.0) }
        }
        Node::Binary(op, a, b) => binary(*op, v(*a), v(*b)),
        Node::Min(a, b) => nan_or(v(*a), v(*b), f64::min),
        Node::Max(a, b) => nan_or(v(*a), v(*b), f64::max),
        Node::Abs(a) => v(*a).abs(),
        Node::Sqrt(a) => {
            let x = v(*a);
            if x < 0.0 { f64::NAN } else { x.sqrt() }
        }
        Node::Log(a) => {
            let x = v(*a);
            if x <= 0.0 { f64::NAN } else { x.ln() }
        }
        Node::Cash
        | Node::Equity
        | Node::Drawdown
        | Node::Position(_)
        | Node::Weight(_)
        | Node::EntryPrice(_)
        | Node::HeldDays(_)
        | Node::DaysSinceExit(_)
        | Node::SinceEntry(..)
        | Node::Script { .. } => {
            unreachable!("portfolio values and script calls are evaluated by their callers")
        }
    }
}

/// One call of a script function on bar `t`: symbols and series as views ending at `t`,
/// other arguments as their values.
pub(super) fn call_script(
    scripts: &Scripts,
    index: usize,
    args: &[ScriptArg],
    span: Span,
    t: usize,
    frame: &Frame,
    v: impl Fn(usize) -> f64,
) -> Result<f64, ScriptError> {
    let view = |a: &ScriptArg| match a {
        ScriptArg::Series(col) => Some(SeriesView::new(col.clone(), t)),
        ScriptArg::Value(_) => None,
    };
    let number = |a: &ScriptArg| match a {
        ScriptArg::Value(slot) => Arg::Number(v(*slot)),
        ScriptArg::Series(_) => Arg::Number(f64::NAN),
    };
    let context = CallContext {
        call_span: span,
        date: "",
    };
    // Up to eight arguments live on the stack, so a call allocates nothing of the engine's.
    const ON_STACK: usize = 8;
    let result = if args.len() <= ON_STACK {
        let views: [Option<SeriesView>; ON_STACK] = std::array::from_fn(|i| args.get(i).and_then(view));
        let call_args: [Arg; ON_STACK] = std::array::from_fn(|i| match (&views[i], args.get(i)) {
            (Some(w), _) => Arg::Series(w),
            (None, Some(a)) => number(a),
            (None, None) => Arg::Number(f64::NAN),
        });
        scripts.call(index, &call_args[..args.len()], &context)
    } else {
        let views: Vec<Option<SeriesView>> = args.iter().map(view).collect();
        let call_args: Vec<Arg> = args
            .iter()
            .zip(&views)
            .map(|(a, w)| w.as_ref().map_or_else(|| number(a), Arg::Series))
            .collect();
        scripts.call(index, &call_args, &context)
    };
    // The date is only written into an error, so a successful call formats nothing.
    result.map_err(|e| e.on_date(crate::data::format_timestamp(frame.ts[t])))
}

/// The slots a node reads.
pub(super) fn inputs(node: &Node) -> Vec<usize> {
    match node {
        Node::Indicator(_, a) | Node::Lag(_, a) | Node::Neg(a) | Node::Not(a) | Node::SinceEntry(_, a, _) => vec![*a],
        Node::Abs(a) | Node::Sqrt(a) | Node::Log(a) => vec![*a],
        Node::Cross { a, b, .. } | Node::Binary(_, a, b) | Node::Min(a, b) | Node::Max(a, b) => vec![*a, *b],
        Node::Pair(_, a, b) => vec![*a, *b],
        Node::Script { args, .. } => args
            .iter()
            .filter_map(|a| match a {
                ScriptArg::Value(slot) => Some(*slot),
                ScriptArg::Series(_) => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// `a crosses above b` (or below) on a bar where they are `x` and `y`, after `prev_x` and
/// `prev_y` on the bar before.
#[inline(always)]
pub(super) fn crossing(above: bool, x: f64, y: f64, prev_x: f64, prev_y: f64) -> f64 {
    if x.is_nan() || y.is_nan() || prev_x.is_nan() || prev_y.is_nan() {
        f64::NAN
    } else if above {
        bool_value(x > y && prev_x <= prev_y)
    } else {
        bool_value(x < y && prev_x >= prev_y)
    }
}

pub(super) fn position_value(s: usize, t: usize, frame: &Frame, shares: &[f64]) -> f64 {
    let close = frame.symbols[s].close[t];
    if shares[s] == 0.0 { 0.0 } else { shares[s] * close }
}

fn nan_or(a: f64, b: f64, f: fn(f64, f64) -> f64) -> f64 {
    if a.is_nan() || b.is_nan() { f64::NAN } else { f(a, b) }
}

pub fn bool_value(b: bool) -> f64 {
    if b { 1.0 } else { 0.0 }
}

/// Arithmetic and logic on bar values. NaN is "not available": it propagates through
/// arithmetic and comparisons; `and`/`or` follow three-valued logic (`false and NA` is
/// false, `true or NA` is true).
// Inlined into the block loop over a column (engine/plan.rs), where `op` is the same for
// every bar.
#[inline(always)]
pub(super) fn binary(op: BinaryOp, a: f64, b: f64) -> f64 {
    let na = a.is_nan() || b.is_nan();
    match op {
        BinaryOp::And => {
            if a == 0.0 || b == 0.0 {
                0.0
            } else if na {
                f64::NAN
            } else {
                1.0
            }
        }
        BinaryOp::Or => {
            if (!a.is_nan() && a != 0.0) || (!b.is_nan() && b != 0.0) {
                1.0
            } else if na {
                f64::NAN
            } else {
                0.0
            }
        }
        _ if na => f64::NAN,
        BinaryOp::Lt => bool_value(a < b),
        BinaryOp::Le => bool_value(a <= b),
        BinaryOp::Gt => bool_value(a > b),
        BinaryOp::Ge => bool_value(a >= b),
        BinaryOp::Eq => bool_value(a == b),
        BinaryOp::Ne => bool_value(a != b),
        BinaryOp::Add => a + b,
        BinaryOp::Sub => a - b,
        BinaryOp::Mul => a * b,
        BinaryOp::Div => {
            if b == 0.0 {
                f64::NAN
            } else {
                a / b
            }
        }
        BinaryOp::CrossesAbove | BinaryOp::CrossesBelow => unreachable!("crossings are `Node::Cross`"),
    }
}

/// `f` of two inputs over a block of `len` bars, their forms (columns or constants) matched
/// once for the block.
#[inline(always)]
fn zip_column(a: Source, b: Source, len: usize, f: impl Fn(f64, f64) -> f64) -> Arc<[f64]> {
    match (a, b) {
        (Source::Slice(x), Source::Slice(y)) => x[..len].iter().zip(&y[..len]).map(|(&x, &y)| f(x, y)).collect(),
        (Source::Slice(x), Source::Scalar(y)) => x[..len].iter().map(|&x| f(x, y)).collect(),
        (Source::Scalar(x), Source::Slice(y)) => y[..len].iter().map(|&y| f(x, y)).collect(),
        (Source::Scalar(x), Source::Scalar(y)) => (0..len).map(|_| f(x, y)).collect(),
    }
}

/// [`binary`] over a block of `len` bars: the operator is matched once for the block, so
/// each bar's arithmetic or comparison is inlined into the loop.
pub(super) fn binary_column(op: BinaryOp, a: Source, b: Source, len: usize) -> Arc<[f64]> {
    macro_rules! by_op {
        ($($o:ident),*) => {
            match op {
                $(BinaryOp::$o => zip_column(a, b, len, |x, y| binary(BinaryOp::$o, x, y)),)*
                other => zip_column(a, b, len, |x, y| binary(other, x, y)),
            }
        };
    }
    by_op!(And, Or, Lt, Le, Gt, Ge, Eq, Ne, Add, Sub, Mul, Div)
}

/// [`crossing`] over a block of `len` bars, from the values `prev` of the bar before the
/// block; leaves `prev` at the block's last bar.
pub(super) fn cross_column(above: bool, a: Source, b: Source, len: usize, prev: (&mut f64, &mut f64)) -> Arc<[f64]> {
    let (prev_a, prev_b) = prev;
    let mut step = |x: f64, y: f64| {
        let out = crossing(above, x, y, *prev_a, *prev_b);
        (*prev_a, *prev_b) = (x, y);
        out
    };
    match (a, b) {
        (Source::Slice(x), Source::Slice(y)) => x[..len].iter().zip(&y[..len]).map(|(&x, &y)| step(x, y)).collect(),
        _ => (0..len).map(|k| step(a.at(k), b.at(k))).collect(),
    }
}
