//! The built-in functions: one table that the checker, the engine, the REPL's completion
//! and docs/LANGUAGE.md all read.

/// A built-in function.
#[derive(Debug)]
pub struct Function {
    pub name: &'static str,
    pub builtin: Builtin,
    pub params: &'static [Param],
    /// One line for `:help` and completion hints.
    pub doc: &'static str,
}

#[derive(Debug)]
pub struct Param {
    pub name: &'static str,
    pub kind: ParamKind,
    /// Value used when the argument is left out (windows in bars).
    pub default: Option<f64>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamKind {
    /// Any number that changes over time: a symbol (its close), a series, an expression.
    Source,
    /// A symbol, for functions that need its open, high, low, volume or holding.
    Symbol,
    /// A look-back window: a duration (`200 days`, `3 months`) or a bar count (`200`).
    Window,
    /// A constant number, such as Bollinger's `k`.
    Constant,
    /// Any number.
    Value,
    /// A data series (a column of a data file), read by its observations: `prev(UNRATE)`.
    Series,
}

/// What the engine computes for each function.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Builtin {
    Open,
    High,
    Low,
    Close,
    Volume,
    Sma,
    Ema,
    Wma,
    Rsi,
    Macd,
    MacdSignal,
    MacdHist,
    BollingerUpper,
    BollingerLower,
    PercentB,
    Atr,
    Stdev,
    Volatility,
    Return,
    Change,
    Highest,
    Lowest,
    Drawdown,
    Zscore,
    PercentRank,
    Percentile,
    Median,
    Correlation,
    Beta,
    Prev,
    Min,
    Max,
    Abs,
    Sqrt,
    Log,
    Position,
    Weight,
    /// `entry_price(SYM)`: the average fill price of the open position.
    EntryPrice,
    /// `held_days(SYM)`: calendar days since the position was opened from flat.
    HeldDays,
    /// `days_since_exit(SYM)`: calendar days since the position was last closed.
    DaysSinceExit,
    /// `bars_since(COND)`: bars since the condition was last true.
    BarsSince,
    /// `highest(x since entry)`, `lowest(x since entry)`: not in [`FUNCTIONS`]; the checker
    /// makes them of `highest` and `lowest` with `since entry`. Arguments: the value and
    /// the symbol whose position it follows.
    HighestSinceEntry,
    LowestSinceEntry,
}

const fn p(name: &'static str, kind: ParamKind) -> Param {
    Param {
        name,
        kind,
        default: None,
    }
}

const fn d(name: &'static str, kind: ParamKind, default: f64) -> Param {
    Param {
        name,
        kind,
        default: Some(default),
    }
}

use ParamKind::*;

const SYM: &[Param] = &[p("symbol", Symbol)];
const SRC_WIN: &[Param] = &[p("source", Source), p("window", Window)];
const MACD: &[Param] = &[
    p("source", Source),
    d("fast", Window, 12.0),
    d("slow", Window, 26.0),
    d("signal", Window, 9.0),
];
const BOLL: &[Param] = &[p("source", Source), d("window", Window, 20.0), d("k", Constant, 2.0)];
const PAIR: &[Param] = &[p("a", Source), p("b", Source), p("window", Window)];
const ONE: &[Param] = &[p("x", Value)];
const TWO: &[Param] = &[p("a", Value), p("b", Value)];

/// Every built-in function, in the order docs list them.
pub const FUNCTIONS: &[Function] = &[
    Function {
        name: "open",
        builtin: Builtin::Open,
        params: SYM,
        doc: "the day's opening price",
    },
    Function {
        name: "high",
        builtin: Builtin::High,
        params: SYM,
        doc: "the day's high",
    },
    Function {
        name: "low",
        builtin: Builtin::Low,
        params: SYM,
        doc: "the day's low",
    },
    Function {
        name: "close",
        builtin: Builtin::Close,
        params: SYM,
        doc: "the closing price (adjusted when the data has adj_close); a bare symbol means the same",
    },
    Function {
        name: "volume",
        builtin: Builtin::Volume,
        params: SYM,
        doc: "the day's volume",
    },
    Function {
        name: "sma",
        builtin: Builtin::Sma,
        params: SRC_WIN,
        doc: "simple moving average",
    },
    Function {
        name: "ema",
        builtin: Builtin::Ema,
        params: SRC_WIN,
        doc: "exponential moving average, alpha = 2/(n+1), seeded with the SMA",
    },
    Function {
        name: "wma",
        builtin: Builtin::Wma,
        params: SRC_WIN,
        doc: "linearly weighted moving average",
    },
    Function {
        name: "rsi",
        builtin: Builtin::Rsi,
        params: &[p("source", Source), d("window", Window, 14.0)],
        doc: "Wilder's relative strength index, 0-100",
    },
    Function {
        name: "macd",
        builtin: Builtin::Macd,
        params: MACD,
        doc: "MACD line: EMA(fast) - EMA(slow)",
    },
    Function {
        name: "macd_signal",
        builtin: Builtin::MacdSignal,
        params: MACD,
        doc: "MACD signal line: EMA(signal) of the MACD line",
    },
    Function {
        name: "macd_hist",
        builtin: Builtin::MacdHist,
        params: MACD,
        doc: "MACD histogram: line - signal",
    },
    Function {
        name: "bollinger_upper",
        builtin: Builtin::BollingerUpper,
        params: BOLL,
        doc: "SMA + k population standard deviations",
    },
    Function {
        name: "bollinger_lower",
        builtin: Builtin::BollingerLower,
        params: BOLL,
        doc: "SMA - k population standard deviations",
    },
    Function {
        name: "percent_b",
        builtin: Builtin::PercentB,
        params: BOLL,
        doc: "Bollinger %b: where the price is between the bands (0 = lower, 1 = upper)",
    },
    Function {
        name: "atr",
        builtin: Builtin::Atr,
        params: &[p("symbol", Symbol), d("window", Window, 14.0)],
        doc: "average true range (Wilder)",
    },
    Function {
        name: "stdev",
        builtin: Builtin::Stdev,
        params: SRC_WIN,
        doc: "sample standard deviation",
    },
    Function {
        name: "volatility",
        builtin: Builtin::Volatility,
        params: &[p("source", Source), d("window", Window, 252.0)],
        doc: "annualised volatility of the bars' returns (default window: a year of bars)",
    },
    Function {
        name: "return",
        builtin: Builtin::Return,
        params: SRC_WIN,
        doc: "return over the window: x / x[n] - 1",
    },
    Function {
        name: "change",
        builtin: Builtin::Change,
        params: SRC_WIN,
        doc: "change over the window: x - x[n]",
    },
    Function {
        name: "highest",
        builtin: Builtin::Highest,
        params: SRC_WIN,
        doc: "highest value in the window",
    },
    Function {
        name: "lowest",
        builtin: Builtin::Lowest,
        params: SRC_WIN,
        doc: "lowest value in the window",
    },
    Function {
        name: "drawdown",
        builtin: Builtin::Drawdown,
        params: &[p("source", Source), d("window", Window, 0.0)],
        doc: "fraction below the highest value so far (or in the window); 0.25 = 25% down",
    },
    Function {
        name: "zscore",
        builtin: Builtin::Zscore,
        params: SRC_WIN,
        doc: "(x - mean) / standard deviation over the window",
    },
    Function {
        name: "percent_rank",
        builtin: Builtin::PercentRank,
        params: SRC_WIN,
        doc: "share of the window's values before today that are <= today's, 0-1 (ties count)",
    },
    Function {
        name: "percentile",
        builtin: Builtin::Percentile,
        params: &[p("source", Source), p("window", Window), p("p", Constant)],
        doc: "the p-th percentile (0-1, such as 80%) of the window, today included, interpolated",
    },
    Function {
        name: "median",
        builtin: Builtin::Median,
        params: SRC_WIN,
        doc: "the median of the window, today included",
    },
    Function {
        name: "correlation",
        builtin: Builtin::Correlation,
        params: PAIR,
        doc: "correlation of the two inputs' bar returns over the window, -1 to 1",
    },
    Function {
        name: "beta",
        builtin: Builtin::Beta,
        params: PAIR,
        doc: "beta of a against b: cov(returns of a, of b) / var(returns of b) over the window",
    },
    Function {
        name: "prev",
        builtin: Builtin::Prev,
        params: &[p("series", Series)],
        doc: "the series' previous observation (not yesterday's carried value)",
    },
    Function {
        name: "min",
        builtin: Builtin::Min,
        params: TWO,
        doc: "the smaller of two values",
    },
    Function {
        name: "max",
        builtin: Builtin::Max,
        params: TWO,
        doc: "the larger of two values",
    },
    Function {
        name: "abs",
        builtin: Builtin::Abs,
        params: ONE,
        doc: "absolute value",
    },
    Function {
        name: "sqrt",
        builtin: Builtin::Sqrt,
        params: ONE,
        doc: "square root (not available for negative numbers)",
    },
    Function {
        name: "log",
        builtin: Builtin::Log,
        params: ONE,
        doc: "natural logarithm (not available for numbers <= 0)",
    },
    Function {
        name: "position",
        builtin: Builtin::Position,
        params: SYM,
        doc: "market value of the holding in the symbol",
    },
    Function {
        name: "weight",
        builtin: Builtin::Weight,
        params: SYM,
        doc: "the holding's share of the portfolio value, 0-1",
    },
    Function {
        name: "entry_price",
        builtin: Builtin::EntryPrice,
        params: SYM,
        doc: "average fill price of the open position (not available when flat)",
    },
    Function {
        name: "held_days",
        builtin: Builtin::HeldDays,
        params: SYM,
        doc: "calendar days since the position was opened from flat (not available when flat)",
    },
    Function {
        name: "days_since_exit",
        builtin: Builtin::DaysSinceExit,
        params: SYM,
        doc: "calendar days since the position was last sold out (not available before that)",
    },
    Function {
        name: "bars_since",
        builtin: Builtin::BarsSince,
        params: &[p("condition", Value)],
        doc: "bars since the condition was last true: 0 on a bar where it is true",
    },
];

/// Names that are values of the portfolio rather than data.
pub const PORTFOLIO_NAMES: &[(&str, &str)] = &[
    ("cash", "cash in the account"),
    ("portfolio.value", "cash plus the market value of all holdings"),
    ("portfolio.cash", "the same as `cash`"),
    (
        "portfolio.drawdown",
        "how far the portfolio's time-weighted value is below its peak (0.2 = 20%)",
    ),
];

impl Param {
    /// The parameter as a signature writes it: `window`, `window = 14`, or `[window]` when
    /// leaving it out means "all of it".
    pub fn written(&self) -> String {
        match self.default {
            Some(0.0) => format!("[{}]", self.name),
            Some(d) => format!("{} = {d}", self.name),
            None => self.name.to_string(),
        }
    }
}

pub fn lookup(name: &str) -> Option<&'static Function> {
    FUNCTIONS.iter().find(|f| f.name == name)
}

impl Function {
    /// Arguments that must be given.
    pub fn required(&self) -> usize {
        self.params.iter().filter(|p| p.default.is_none()).count()
    }

    /// `sma(source, window)`
    pub fn signature(&self) -> String {
        let params: Vec<String> = self.params.iter().map(Param::written).collect();
        format!("{}({})", self.name, params.join(", "))
    }

    /// Whether the first argument is the subject that `rotate … by` may leave out.
    pub fn takes_subject(&self) -> bool {
        matches!(self.params.first().map(|p| p.kind), Some(Source | Symbol))
    }
}
