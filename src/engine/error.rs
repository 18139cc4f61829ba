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
    #[diagnostic(
        code(rotor::run::no_trading_days),
        help("the traded symbols have no prices in this period; check the dates and the data files")
    )]
    NoTradingDays {
        from: Option<String>,
        to: Option<String>,
        #[label("this rule's symbols have no prices then")]
        span: Span,
    },

    /// An explicit `from` (or `--from`) before the exchange rate of `currency` is known.
    #[error("the period starts {from}, but {series} ({code} per USD) is known only from {known}")]
    #[diagnostic(
        code(rotor::run::period_not_covered),
        help("start the period when the rate is known (`from {known}`), or add {series} data from before {from}")
    )]
    PeriodNotCovered {
        from: String,
        series: String,
        code: String,
        known: String,
        #[label("needs {series} on every day of the run")]
        span: Span,
    },
}
