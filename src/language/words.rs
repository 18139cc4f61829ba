//! The grammar's words, in the groups editors show differently.

use crate::syntax::{RESERVED, STATEMENT_KEYWORDS};

/// Words of the grammar that are neither statement keywords nor reserved names: they have
/// a meaning only in their place (`fill next open`, `on last trading day`,
/// `bars per year 52`, `data "x.csv" dates day-first`, `fed_cut_prob(meeting 2)`,
/// `every bar`, `delisted hold`, `stale after 30 days`, `calendar nyse`).
pub const OTHER_KEYWORDS: &[&str] = &[
    "as",
    "using",
    "in",
    "next",
    "trade",
    "trading",
    "day",
    "first",
    "last",
    "free",
    "equity",
    "position",
    "meeting",
    "year",
    "dates",
    "day-first",
    "month-first",
    "interest",
    "basis",
    "fifo",
    "average",
    "korea",
    "korea-listed",
    "isa",
    "low-income",
    "gains",
    "spread",
    "for",
    "bar",
    "weighted",
    "equally",
    "series",
    "after",
    "nyse",
    "krx",
    "weekdays",
    "at",
    "most",
    "since",
    "entry",
    "else",
    "loss",
    "profit",
    "rebalanced",
    "with",
];

/// Every keyword: statement keywords, reserved words and the other words of the grammar.
pub fn keywords() -> impl Iterator<Item = &'static str> {
    STATEMENT_KEYWORDS.iter().chain(RESERVED).chain(OTHER_KEYWORDS).copied()
}

/// Whether `word` is one of [`keywords`].
pub fn is_keyword(word: &str) -> bool {
    keywords().any(|k| k == word)
}

/// What a word that has a meaning only in its place says there (`dates day-first`,
/// `fed_cut_prob(meeting 2)`); the words of a statement's start are explained by
/// [`super::statement::doc`], the others by the statement around them.
pub fn doc(word: &str) -> Option<&'static str> {
    Some(match word {
        "day-first" => {
            "`dates day-first`: dates such as `01/02/2024` in this line's files are read day first (1 February 2024)."
        }
        "month-first" => {
            "`dates month-first`: dates such as `01/02/2024` in this line's files are read month first (January 2, 2024)."
        }
        "dates" => {
            "`dates day-first` or `dates month-first`: how to read dates such as `01/02/2024` in this line's \
             files. Without it rotor decides from all of a file's dates and asks when they read equally well \
             both ways."
        }
        "meeting" => {
            "`meeting N`: the Nth FOMC meeting ahead (`meeting 1` is the next), as in `fed_cut_prob(meeting 2)`."
        }
        "at" | "most" => {
            "`at most once per month` (or `per week`, `per 20 days`) after a rule: it places an order at \
             most once in the period, counted from the decision of its last order that traded."
        }
        "since" | "entry" => {
            "`highest(close(IWM) since entry)`: over the bars since the position in IWM was opened from flat."
        }
        "else" => "`hold IWM if COND else AGG`: the side held when the condition is false.",
        "with" => {
            "`with stop loss 10%, trailing stop 15%` after a rule: exits on the positions of the symbols the \
             rule trades, judged on each close as the `stop loss` setting is."
        }
        "weighted" => {
            "`weighted by EXPR` or `weighted equally`: a rebalance's weights computed when it fires, each symbol's \
             value of the expression over their sum (`rebalance monthly to IWM, IWO weighted by 1 / volatility(63 days)`)."
        }
        "equally" => "`weighted equally`: each listed symbol 1/N of the portfolio value.",
        "rebalanced" => {
            "`sleeve NAME 70% rebalanced yearly:`: the sleeve is brought back to its share of the account on \
             that schedule; without it sleeves drift with their returns."
        }
        "series" => {
            "`data \"FILE\" as series NAME`: the file's values are a series, not prices (a rate, an index level): \
             no price checks, usable in expressions, not tradable."
        }
        _ => return None,
    })
}

/// The series rotor derives itself, whatever the data's columns: FedWatch's
/// (`fed_cut_prob`, …; docs/FEDWATCH.md), which a meeting in brackets may follow.
pub fn builtin_series() -> impl Iterator<Item = &'static str> {
    crate::fedwatch::Measure::ALL.into_iter().map(|m| m.name())
}

#[cfg(test)]
mod tests {
    use super::*;

    const GRAMMAR: &str = include_str!("../../grammar/rotor.pest");

    /// Every word the grammar spells out in the rules `wanted` picks (a rule's body may
    /// span lines: `keyword`).
    fn words_of(wanted: impl Fn(&str) -> bool) -> Vec<String> {
        let mut words = Vec::new();
        let mut rest = GRAMMAR;
        while let Some(eq) = rest.find('=') {
            let rule = rest[..eq].rsplit('\n').next().unwrap_or("").trim();
            let open = eq + rest[eq..].find('{').unwrap_or(0);
            let close = open + rest[open..].find('}').unwrap_or(rest.len() - open - 1);
            if !rule.starts_with("//") && wanted(rule) {
                words.extend(rest[open..close].split('"').skip(1).step_by(2).map(str::to_string));
            }
            rest = &rest[close + 1..];
        }
        words
    }

    /// The words of the keyword rules (`kw_bars = @{ "bars" … }`), the reserved words, the
    /// guards, the operators spelt as words, `true`/`false`, the bases of a fraction and
    /// the date orders: so a word added to the grammar is highlighted and completed too.
    fn grammar_words() -> Vec<String> {
        const RULES: &[&str] = &[
            "date_order",
            "keyword",
            "guard_kw",
            "fraction_base",
            "boolean",
            "or_op",
            "and_op",
            "not_op",
        ];
        words_of(|rule| rule.starts_with("kw_") || RULES.contains(&rule))
    }

    #[test]
    fn every_keyword_of_the_grammar_is_a_keyword_here() {
        let words = grammar_words();
        assert!(words.len() > 50, "the grammar's keyword rules are found: {words:?}");
        for found in ["tolerance", "unless", "equity", "false", "crosses", "day-first"] {
            assert!(words.iter().any(|w| w == found), "{found} is found in the grammar");
        }
        // `fill next open`, `fill close`, `10% of position`: also built-in functions,
        // highlighted as those before a bracket.
        let functions = ["open", "close", "position"];
        for word in words.iter().filter(|w| !functions.contains(&w.as_str())) {
            assert!(crate::check::functions::lookup(word).is_none(), "{word}");
            assert!(
                is_keyword(word),
                "`{word}` (grammar/rotor.pest) is missing from language::words"
            );
        }
    }

    #[test]
    fn weekdays_and_time_units_of_the_grammar_are_completed_in_their_place() {
        use crate::language::{Vocabulary, complete};
        let offered = |before: &str| -> Vec<String> {
            complete(before, &Vocabulary::default())
                .1
                .into_iter()
                .map(|c| c.label)
                .collect()
        };
        for (rule, before) in [
            ("weekday", "buy IWO weekly on "),
            ("every_unit", "buy IWO every 2 "),
            ("time_unit", "lag cpi_yoy 1 "),
        ] {
            let words = words_of(|r| r == rule);
            assert!(words.len() >= 7, "{rule}: {words:?}");
            let offered = offered(before);
            for word in &words {
                assert!(
                    offered.contains(word),
                    "`{word}` ({rule}) is not offered after {before:?}: {offered:?}"
                );
            }
        }
    }
}
