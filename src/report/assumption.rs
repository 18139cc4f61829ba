//! The words for what a backtest assumed ([`Assumption`]), as the report lists them under
//! "Assumed".

use super::number::thousands;
use crate::engine::Assumption;

/// One assumption in words.
pub fn words(assumption: &Assumption) -> String {
    match assumption {
        Assumption::DefaultCapital(usd) => format!(
            "no `capital` or `contribute` line: assumed a starting capital of {} USD",
            thousands(*usd)
        ),
        Assumption::DefaultFill => {
            "orders fill at the next trading day's open (default; `fill close` to change)".into()
        }
        Assumption::NoFees => "no trading fees (add e.g. `fees 0.05%`)".into(),
        Assumption::NoSlippage => "no slippage (add e.g. `slippage 0.02%`)".into(),
        Assumption::AdjustedPrices(symbols) => format!(
            "prices adjusted for dividends and splits with adj_close (total return): {}",
            symbols.join(", ")
        ),
        Assumption::ListedFrom { symbol, date } => {
            format!("{symbol} has prices only from {date}; orders before that are skipped")
        }
    }
}

/// The note on the bundled sample data, first of all when it was used.
pub const SYNTHETIC_DATA: &str =
    "data: the bundled SYNTHETIC sample data (generated, not market prices; see examples/data/README.md)";
