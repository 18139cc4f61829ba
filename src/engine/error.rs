use miette::Diagnostic;
use thiserror::Error;

use crate::script::ScriptError;
use crate::source::Span;

/// A strategy that checks but cannot run on the data at hand.
#[derive(Debug, Diagnostic, Error)]
pub enum RunError {
    #[error(transparent)]
    #[diagnostic(transparent)]
    Script(#[from] Box<ScriptError>),

    #[error("no trading days in the period{}{}", from.as_ref().map(|f| format!(" from {f}")).unwrap_or_default(), to.as_ref().map(|t| format!(" to {t}")).unwrap_or_default())]
    #[diagnostic(code(rotor::run::no_trading_days))]
    NoTradingDays {
        from: Option<String>,
        to: Option<String>,
        #[label("this rule's symbols have no prices then")]
        span: Span,
        /// What the data has: the traded symbols' first and last day.
        #[help]
        help: String,
    },

    /// An explicit `from` (or `--from`) before the exchange rate of `currency` is known.
    #[error("the period starts {from}, but {series} ({code} per USD) is known only from {known}")]
    #[diagnostic(
        code(rotor::run::period_not_covered),
        help(
            "start the period when the rate is known (`from {known}`), or add {series} data from before {from}; \
             when the file has values before {from}, a `stale` line has expired them there (a value older than \
             its limit is not known)"
        )
    )]
    PeriodNotCovered {
        from: String,
        series: String,
        code: String,
        known: String,
        #[label("needs {series} on every day of the run")]
        span: Span,
    },

    /// Dividends paid as cash for a symbol whose only close already holds them.
    #[error(
        "{symbol}'s dividends would be counted twice: the only close in {file} is an adjusted close, which holds them already"
    )]
    #[diagnostic(
        code(rotor::run::dividends_counted_twice),
        help(
            "an adjusted close already holds the dividends; with `dividends cash`, load {symbol}'s raw prices (a `Close` column beside `Adj Close`, as in Yahoo's download), or remove the dividends line to keep the adjusted close (dividends inside the prices)"
        )
    )]
    DividendsCountedTwice {
        symbol: String,
        file: String,
        #[label("pays {symbol}'s dividends as cash")]
        span: Span,
    },

    /// A window given as a duration on data whose spacing changes: `3 months` would be one
    /// count of bars, taken from the whole run's median spacing, on bars of both spacings.
    #[error("the data's spacing changes ({change}), so a window given as a duration is no one number of bars")]
    #[diagnostic(
        code(rotor::run::mixed_spacing),
        help(
            "give the window in bars (`sma(IWO, 63)` is 63 bars of either spacing; `volatility(x)` takes a year of \
             bars unless given one), or run on one spacing: data of one frequency, or a period inside one \
             stretch (`--from {later}`)"
        )
    )]
    MixedSpacing {
        change: String,
        /// The first day of the later stretch, `YYYY-MM-DD`.
        later: String,
        #[label("a window given as a duration (or volatility's default of a year) here")]
        span: Span,
    },

    /// The period's end is before its start: `--to` before `--from`, or one of them before
    /// the strategy's other end (the flags replace the file's `from` and `to`).
    #[error("the period ends ({to}) before it starts ({from})")]
    #[diagnostic(
        code(rotor::run::period_reversed),
        help(
            "the start is {from_source} and the end {to_source} (`--from` and `--to` replace the strategy's `from` and \
             `to`): give an end on or after the start; a period of one day is `--from {from} --to {from}`"
        )
    )]
    PeriodReversed {
        from: String,
        to: String,
        /// Where the start comes from: `--from` or the strategy's `from`.
        from_source: &'static str,
        to_source: &'static str,
    },
}
