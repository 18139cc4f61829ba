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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facts_read_as_the_report_states_them() {
        let date = chrono::NaiveDate::from_ymd_opt(2024, 2, 1).expect("a date");
        let cases = [
            (
                Assumption::DefaultCapital(10_000.0),
                "no `capital` or `contribute` line: assumed a starting capital of 10,000 USD",
            ),
            (
                Assumption::AdjustedPrices(vec!["IWM".into(), "SPY".into()]),
                "prices adjusted for dividends and splits with adj_close (total return): IWM, SPY",
            ),
            (
                Assumption::ListedFrom {
                    symbol: "CCC".into(),
                    date,
                },
                "CCC has prices only from 2024-02-01; orders before that are skipped",
            ),
        ];
        for (fact, text) in cases {
            assert_eq!(words(&fact), text);
        }
    }
}
