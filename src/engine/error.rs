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
}
