//! What each statement does, in one line: the hover over a statement's first word and the
//! documentation of its completion. Every word that starts a statement in the grammar
//! (`statement` in grammar/rotor.pest) has a line here; a test walks the grammar.
//! The lines say what docs/LANGUAGE.md says ("Settings", "Parameters", "Rules").

/// The usage and meaning of the statement that starts with `keyword` (`slippage`,
/// `rebalance`), or `None` for a word that starts no statement.
pub fn doc(keyword: &str) -> Option<&'static str> {
    Some(match keyword {
        "strategy" => "`strategy \"NAME\"`: the strategy's name, shown in its reports.",
        "description" => "`description \"TEXT\"`: one line on what the strategy does, shown in its reports.",
        "data" => {
            "`data \"FILE\"`: a CSV file or folder of prices and series, relative to the strategy's folder; \
             `as SYMBOL` names a per-symbol file whose name is not its ticker, `as series NAME` reads a \
             rate or index level as a series (no price checks, not tradable), `dates day-first` or \
             `dates month-first` says how to read its dates."
        }
        "fomc" => {
            "`fomc \"FILE\"`: an FOMC calendar file (`date,meeting,target_low,target_high`) that adds to or \
             corrects rotor's meetings and target ranges (docs/FEDWATCH.md)."
        }
        "use" => {
            "`use \"FILE.rhai\"`: custom indicators written in rhai; their functions can be called in \
             expressions (docs/SCRIPTING.md)."
        }
        "capital" => {
            "`capital 10000 USD`: the cash on the first day (with neither `capital` nor `contribute`, \
             10,000 USD, stated under \"Assumed\")."
        }
        "contribute" => {
            "`contribute 500 USD monthly`: cash added on a schedule; with a plain `buy`, dollar-cost averaging."
        }
        "fees" => {
            "`fees 0.05%, 1 USD per trade`: the cost of each fill: a percentage of its value and/or a fixed amount."
        }
        "slippage" => "`slippage 0.02%`: each fill's price moved against you: buys pay more, sells get less.",
        "expense" => {
            "`expense IWO 0.24%, VTWG 0.10%`: yearly fund expense ratios, accrued daily on the positions held."
        }
        "fill" => {
            "`fill next open` (the default): orders decided on a day fill at the next trading day's open; \
             `fill close`: at that day's close."
        }
        "benchmark" => "`benchmark SPY`: a buy-and-hold comparison with the same cash flows.",
        "currency" => {
            "`currency KRW using usdkrw`: report in KRW too, converted with the series `usdkrw` (KRW per USD)."
        }
        "priced" => {
            "`priced in KRW 069500.KS, 360750.KS`: these listings' prices are in won; each day they are \
             converted to USD at that day's `currency` rate (docs/DATA.md)."
        }
        "whole" | "fractional" => {
            "`whole shares`: buys are rounded down to whole shares; `fractional shares` (the default): \
             fractions are bought."
        }
        "lag" => {
            "`lag cpi_yoy 45 days`: a series becomes visible only that long after its date (for data \
             published late)."
        }
        "stale" => {
            "`stale after 30 days`: a series' value older than that (since it became visible) is not \
             available; `stale SERIES after …` for one series. Without it, stale values are used and \
             reported under \"Assumed\"."
        }
        "calendar" => {
            "`calendar nyse|krx|weekdays`: the exchange holidays that tell a period's last trading day \
             (`monthly on last trading day`); without it, the traded symbols' exchange."
        }
        "risk" => {
            "`risk free fed_funds_rate`: the risk-free rate for Sharpe and Sortino (an annual percentage, \
             as FRED publishes it)."
        }
        "bars" => {
            "`bars per year N`: annualise volatility, Sharpe and Sortino with N bars a year instead of the \
             number inferred from the dates (daily 252, weekly 52, monthly 12)."
        }
        "delisted" => {
            "`delisted hold` (the default): a holding whose symbol has no row on any of the last 5 trading \
             days is valued at its last close to the end; `delisted sell`: it is sold at that close. \
             Either way the report says so."
        }
        "from" | "to" => "`from 2010-01-01 to 2024-12-31`: the period to backtest; either bound may be left out.",
        "let" => {
            "`let NAME = VALUE`: a parameter: a number, amount, duration, symbol or any expression; \
             `rotor run --set NAME=VALUE` replaces its value."
        }
        "buy" => {
            "`buy [AMOUNT of] SYMBOL [SCHEDULE] [GUARD…]`: buy with all the cash (or AMOUNT) when the \
             schedule fires and the guards pass; with no schedule, on every trading day."
        }
        "sell" => {
            "`sell [AMOUNT of] SYMBOL [SCHEDULE] [GUARD…]`: sell the whole position (or AMOUNT) when the \
             schedule fires and the guards pass; with no schedule, on every trading day."
        }
        "rebalance" => {
            "`rebalance [SCHEDULE] to SYMBOL WEIGHT, … [tolerance PERCENT] [GUARD…]`: make the portfolio \
             those weights of its value (`cash 10%` keeps cash); holdings not listed are sold. \
             `to SYMBOL, … weighted by EXPR` or `weighted equally` computes the weights when it fires."
        }
        "cash" => {
            "`cash interest 4.5%` or `cash interest SERIES`: yearly interest on idle cash, accrued daily and \
             credited at each month's end (docs/TAXES.md)."
        }
        "cost" => "`cost basis fifo` (the default) or `cost basis average`: how sales close the lots of buys.",
        "tax" => {
            "`tax korea`, `tax korea-listed` or `tax capital gains 22% above 2500000 KRW yearly`: capital-gains \
             tax, netted per calendar year and paid the next May (`korea-listed`: 15.4% withheld at each \
             sale); tax still due is subtracted after tax (docs/TAXES.md). `tax dividends 15%`: withheld \
             from each dividend paid as cash."
        }
        "dividends" => {
            "`dividends cash` or `dividends \"FILE\" for SYMBOL`: pay dividends to cash on their ex-dates \
             (a `Dividends` column, or a `Date,Dividends` file), with prices the raw close (docs/TAXES.md)."
        }
        "reinvest" => {
            "`reinvest dividends`: pay dividends on their ex-dates and buy more of the same symbol with \
             them, filled by the `fill` rule."
        }
        "fx" => "`fx spread 0.25%`: the half-spread paid on every conversion between the base currency and USD.",
        "account" => {
            "`account isa` (or `account isa low-income`): a Korean ISA: gains and losses netted over the \
             account's life, 2,000,000 KRW (4,000,000) tax-free, 9.9% on the rest at the end (docs/TAXES.md)."
        }
        "withdraw" => {
            "`withdraw AMOUNT SCHEDULE [from DATE]` or `withdraw 4% yearly`: take money out at the close, \
             cash first, then selling holdings in proportion (docs/TAXES.md)."
        }
        "rotate" => {
            "`rotate [SCHEDULE] to top|bottom N of SYMBOL, … by EXPR [GUARD…]`: rank the candidates by \
             EXPR and hold the best N, each with 1/N of the portfolio value."
        }
        "hold" => {
            "`hold [SCHEDULE] SIDE if COND else SIDE [tolerance PERCENT] [GUARD…]`: a rebalance to the \
             first side while the condition holds, to the second when it does not; a side is a symbol \
             (100%), weights such as `IWM 60%, IWO 40%`, or `cash`. `delisted hold` keeps a delisted holding."
        }
        "stop" => {
            "`stop loss 10% [on SYMBOL, …]` (or `with stop loss 10%` after a rule, for its symbols): sell a whole position when a close is 10% or more below its \
             entry price (the average fill price); filled by the fill rule."
        }
        "take" => {
            "`take profit 25% [on SYMBOL, …]` (or `with take profit 25%` after a rule): sell a whole position when a close is 25% or more above \
             its entry price; filled by the fill rule."
        }
        "trailing" => {
            "`trailing stop 15% [on SYMBOL, …]` (or `with trailing stop 15%` after a rule): sell a whole position when a close is 15% or more below \
             the highest close since it was opened; filled by the fill rule."
        }
        "sleeve" => {
            "`sleeve NAME 70% [rebalanced SCHEDULE]:`: a budget of that share of the account (or of the \
             enclosing sleeve) that the rules indented below it manage on their own: its own cash, holdings \
             and share of each contribution; `rotate` and `rebalance` size within it."
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::language::{Vocabulary, complete};
    use crate::syntax::STATEMENT_KEYWORDS;

    const GRAMMAR: &str = include_str!("../../grammar/rotor.pest");

    /// The body of a rule of the grammar: the text between its `{` and the matching `}`.
    fn body(rule: &str) -> &'static str {
        let at = GRAMMAR
            .lines()
            .find(|l| l.split('=').next().is_some_and(|n| n.trim() == rule))
            .unwrap_or_else(|| panic!("the grammar has a rule `{rule}`"));
        let start = GRAMMAR.find(at).expect("the line is in the grammar");
        let open = start + GRAMMAR[start..].find('{').expect("a rule has a body");
        let close = open + GRAMMAR[open..].find('}').expect("a body ends");
        &GRAMMAR[open + 1..close]
    }

    /// The alternatives of an expression at its top level, split at `|` outside brackets.
    fn alternatives(expr: &str) -> Vec<&str> {
        let (mut depth, mut from, mut out) = (0, 0, Vec::new());
        for (i, c) in expr.char_indices() {
            match c {
                '(' => depth += 1,
                ')' => depth -= 1,
                '|' if depth == 0 => {
                    out.push(expr[from..i].trim());
                    from = i + 1;
                }
                _ => {}
            }
        }
        out.push(expr[from..].trim());
        out
    }

    /// The `kw_…` rules an expression can start with: its first term in each alternative,
    /// looking into a bracketed first term.
    fn first_keywords(expr: &str) -> Vec<&str> {
        let mut out = Vec::new();
        for alternative in alternatives(expr) {
            if let Some(inner) = alternative.strip_prefix('(') {
                let close = inner.find(')').expect("brackets close");
                out.extend(first_keywords(&inner[..close]));
            } else {
                let first = alternative.split([' ', '~']).next().unwrap_or("");
                assert!(
                    first.starts_with("kw_"),
                    "a statement starts with a keyword: {alternative}"
                );
                out.push(first);
            }
        }
        out
    }

    /// The word a `kw_` rule matches.
    fn word(rule: &str) -> &'static str {
        body(rule).split('"').nth(1).expect("a keyword rule spells its word")
    }

    /// Every statement of the grammar and the words it can start with.
    fn statements() -> Vec<(&'static str, Vec<&'static str>)> {
        alternatives(body("statement"))
            .into_iter()
            .map(|s| (s, first_keywords(body(s)).into_iter().map(word).collect()))
            .collect()
    }

    #[test]
    fn every_statement_of_the_grammar_is_completed_and_explained() {
        let statements = statements();
        assert!(
            statements.len() > 20,
            "the grammar's statements are found: {statements:?}"
        );
        let offered = complete("", &Vocabulary::default()).1;
        for (statement, words) in &statements {
            assert!(!words.is_empty(), "{statement}");
            for word in words {
                assert!(
                    STATEMENT_KEYWORDS.contains(word),
                    "`{word}` ({statement}) is missing from syntax::STATEMENT_KEYWORDS"
                );
                let item = offered
                    .iter()
                    .find(|c| c.label == *word)
                    .unwrap_or_else(|| panic!("`{word}` ({statement}) is not completed at a line's start"));
                let doc =
                    doc(word).unwrap_or_else(|| panic!("`{word}` ({statement}) has no line in language::statement"));
                assert_eq!(item.doc, Some(doc), "{word}");
            }
        }
        // And nothing is offered at a line's start that starts no statement.
        let starts: Vec<&str> = statements.iter().flat_map(|(_, w)| w.iter().copied()).collect();
        for word in STATEMENT_KEYWORDS {
            assert!(starts.contains(word), "`{word}` starts no statement of the grammar");
        }
    }
}
