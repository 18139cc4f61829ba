//! Help for a line whose words are all valid but in a shape the grammar does not take, such
//! as the amount written after the symbol. pest can only say what it expected at the point
//! where it stopped; these are the mistakes a newcomer makes most, recognised from the
//! words before that point, each with the line rewritten the way rotor reads it.
//!
//! A hint is never a "did you mean `x`?" (that form is read back by editors as a name to
//! put at the error's span, see [`crate::suggest::offered`]); it names the whole fix.

use crate::suggest::did_you_mean;

/// Help for the statement `line` when parsing stopped at byte `at` of it (`at` may be the
/// line's length: the end of the line). `None` when the line has none of the known shapes.
pub fn hint(line: &str, at: usize) -> Option<String> {
    let before: Vec<&str> = line.get(..at)?.split_whitespace().collect();
    let rest = line.get(at..)?.split('#').next().unwrap_or("").trim();
    let (&verb, after_verb) = before.split_first()?;
    match (verb, after_verb) {
        // `priced in 069500.KS`, `priced 069500.KS`: the currency left out.
        ("priced", [] | ["in"]) => {
            let rest = rest
                .strip_prefix("in")
                .filter(|r| r.is_empty() || r.starts_with(' '))
                .unwrap_or(rest)
                .trim();
            // `priced in krw …`: a code in small letters.
            let word = first_word(rest);
            let (code, listings) = match word.len() == 3 && word.chars().all(|c| c.is_ascii_alphabetic()) {
                true => (word.to_ascii_uppercase(), rest[3..].trim()),
                false => ("KRW".to_string(), rest),
            };
            let listings = if listings.is_empty() { "069500.KS" } else { listings };
            Some(format!(
                "name the currency the prices are in, in three capitals, then the listings: `priced in {code} {listings}`"
            ))
        }
        // `buy IWO 500 USD monthly`: the amount after the symbol.
        ("buy" | "sell", [symbol]) if starts_amount(rest) => {
            let (amount, tail) = split_amount(rest);
            Some(format!(
                "the amount goes before the symbol, with `of`: `{verb} {amount} of {symbol}{tail}`"
            ))
        }
        // `sell al IWO`: a near miss of `all` read as the symbol.
        ("sell", [word]) if !rest.is_empty() && did_you_mean(word, ["all"]).is_some() => {
            Some(format!("to sell the whole position write `all`: `sell all {rest}`"))
        }
        // `hold IWM 60%, SPMD 40%`: fixed weights are a rebalance.
        ("hold", [..]) if rest.is_empty() && line.contains('%') => {
            let (schedule, targets) = match after_verb.first() {
                Some(s) if is_schedule(s) => (*s, &after_verb[1..]),
                _ => ("monthly", after_verb),
            };
            Some(format!(
                "`hold` chooses between two sides (`hold IWM if … else AGG`); for fixed weights \
                 write `rebalance {schedule} to {}` (any schedule)",
                with_cash_rest(&targets.join(" "))
            ))
        }
        // `capital 1000 usd`, `contribute 500 USDD monthly`: a currency not in three capitals.
        (_, [.., number]) if is_number(number) && looks_like_currency(first_word(rest)) => {
            let word = first_word(rest);
            let code = if word.len() == 3 {
                word.to_ascii_uppercase()
            } else {
                "USD".into()
            };
            Some(format!(
                "a currency is three capital letters after the amount: `{number} {code}` (or \
                 `${number}` for dollars)"
            ))
        }
        // `capital 10,000 USD`: a thousands separator, which rotor reads as a list's comma.
        (_, [.., number]) if is_number(number) && is_thousands_tail(rest) => {
            let digits: String = rest.chars().skip(1).take_while(char::is_ascii_digit).collect();
            Some(format!(
                "numbers are written without a thousands separator: `{number}{digits}` (or \
                 `{number}_{digits}`)"
            ))
        }
        // `buy IWM once`: a one-off rule without its day.
        (_, [.., "once"]) if !rest.starts_with("on") && !rest.starts_with("per") => Some(format!(
            "`once` trades on one day, named after `on`: `{} on 2024-01-02` (the day you mean)",
            line.get(..at).unwrap_or(line).trim_end()
        )),
        _ => None,
    }
}

/// The first word of `text`, up to a space, a comma or a bracket.
fn first_word(text: &str) -> &str {
    let end = text
        .find(|c: char| c.is_whitespace() || matches!(c, ',' | '(' | ')'))
        .unwrap_or(text.len());
    &text[..end]
}

/// Whether `word` is a plain number such as `1000`, `2.5` or `1_000`.
fn is_number(word: &str) -> bool {
    word.starts_with(|c: char| c.is_ascii_digit()) && word.chars().all(|c| c.is_ascii_digit() || c == '.' || c == '_')
}

/// Whether `word` could be meant as a currency code but is not one the grammar takes (three
/// capitals): `usd`, `Usd`, `USDD`, `KR`. Words rotor knows after an amount are not.
fn looks_like_currency(word: &str) -> bool {
    let known = [
        "shares", "of", "days", "weeks", "months", "years", "day", "week", "month", "year",
    ];
    (2..=4).contains(&word.len())
        && word.chars().all(|c| c.is_ascii_alphabetic())
        && !(word.len() == 3 && word.chars().all(|c| c.is_ascii_uppercase()))
        && !known.contains(&word)
        && !is_schedule(word)
}

/// Whether `text` starts with `,` and three digits, not followed by another digit: `,000`.
fn is_thousands_tail(text: &str) -> bool {
    let mut chars = text.chars();
    chars.next() == Some(',')
        && chars.by_ref().take(3).filter(char::is_ascii_digit).count() == 3
        && !chars.next().is_some_and(|c| c.is_ascii_digit())
}

/// Whether `text` starts like an amount: `500`, `$500`, `10%`.
fn starts_amount(text: &str) -> bool {
    text.starts_with(|c: char| c.is_ascii_digit() || c == '$')
}

/// `500 USD monthly` → (`500 USD`, ` monthly`): the number and a currency code or `shares`
/// after it, then the rest with its leading space. The amount comes back as rotor needs it:
/// a percentage of cash (`50%` → `50% of cash`), a bare number in a currency (`500` →
/// `500 USD`), so the line offered parses and checks.
fn split_amount(text: &str) -> (String, String) {
    let words: Vec<&str> = text.split_whitespace().collect();
    let unit = words
        .get(1)
        .is_some_and(|w| *w == "shares" || (w.len() == 3 && w.chars().all(|c| c.is_ascii_uppercase())));
    let taken = if unit { 2 } else { 1 };
    let mut amount = words[..taken.min(words.len())].join(" ");
    if !unit && amount.ends_with('%') {
        amount.push_str(" of cash");
    } else if !unit && !amount.starts_with('$') {
        amount.push_str(" USD");
    }
    let tail: String = words.iter().skip(taken).map(|w| format!(" {w}")).collect();
    (amount, tail)
}

/// `IWM 60%, SPMD 30%` → `IWM 60%, SPMD 30%, cash 10%`: the rest of 100% to cash, so the
/// weights of the `rebalance` offered add up.
fn with_cash_rest(targets: &str) -> String {
    let total: f64 = (targets.split(',').filter_map(|t| t.split_whitespace().last()))
        .filter_map(|w| w.strip_suffix('%')?.parse::<f64>().ok())
        .sum();
    let rest = 100.0 - total;
    if rest > 1e-9 && !targets.contains("cash") {
        format!("{targets}, cash {}%", (rest * 1e6).round() / 1e6)
    } else {
        targets.to_owned()
    }
}

fn is_schedule(word: &str) -> bool {
    matches!(word, "daily" | "hourly" | "weekly" | "monthly" | "quarterly" | "yearly")
}

#[cfg(test)]
mod tests {
    use super::hint;

    #[test]
    fn amount_after_the_symbol() {
        let line = "buy IWO 500 USD monthly";
        assert_eq!(
            hint(line, 8).as_deref(),
            Some("the amount goes before the symbol, with `of`: `buy 500 USD of IWO monthly`")
        );
        assert_eq!(
            hint("sell SPY 10 shares", 9).as_deref(),
            Some("the amount goes before the symbol, with `of`: `sell 10 shares of SPY`")
        );
        // The line offered must parse and check: a percentage needs its base, a number its
        // currency (found by review: `buy 50% of IWO` and `buy 500 of IWO` are refused).
        assert_eq!(
            hint("buy IWO 50% monthly", 8).as_deref(),
            Some("the amount goes before the symbol, with `of`: `buy 50% of cash of IWO monthly`")
        );
        assert_eq!(
            hint("buy IWO 500 monthly", 8).as_deref(),
            Some("the amount goes before the symbol, with `of`: `buy 500 USD of IWO monthly`")
        );
        assert_eq!(
            hint("buy IWO $500 monthly", 8).as_deref(),
            Some("the amount goes before the symbol, with `of`: `buy $500 of IWO monthly`")
        );
    }

    #[test]
    fn a_near_miss_of_all() {
        assert_eq!(
            hint("sell al IWO when rsi(IWO, 14) > 70", 8).as_deref(),
            Some("to sell the whole position write `all`: `sell all IWO when rsi(IWO, 14) > 70`")
        );
        // A word nowhere near `all` gets no such hint.
        assert_eq!(hint("sell IWO SPY", 9), None);
    }

    #[test]
    fn fixed_weights_under_hold() {
        let line = "hold IWM 60%, SPMD 40%";
        assert_eq!(
            hint(line, line.len()).as_deref(),
            Some(
                "`hold` chooses between two sides (`hold IWM if … else AGG`); for fixed weights \
                 write `rebalance monthly to IWM 60%, SPMD 40%` (any schedule)"
            )
        );
        let line = "hold yearly IWM 60%, SPMD 40%";
        assert!(
            hint(line, line.len())
                .unwrap()
                .contains("`rebalance yearly to IWM 60%, SPMD 40%`")
        );
    }

    #[test]
    fn a_currency_not_in_three_capitals() {
        assert_eq!(
            hint("capital 1000 usd", 13).as_deref(),
            Some("a currency is three capital letters after the amount: `1000 USD` (or `$1000` for dollars)")
        );
        assert!(hint("contribute 500 USDD monthly", 15).unwrap().contains("`500 USD`"));
        // A unit rotor knows is no currency mistake.
        assert_eq!(hint("buy 10 shares of IWO", 7), None);
        assert_eq!(hint("capital 1000 USD", 13), None);
    }

    #[test]
    fn a_thousands_separator() {
        assert_eq!(
            hint("capital 10,000 USD", 10).as_deref(),
            Some("numbers are written without a thousands separator: `10000` (or `10_000`)")
        );
        // `max(1,200)` is a list, not a number: the word before the comma is not the last
        // word before a stop here, and `,2` has too few digits.
        assert_eq!(hint("capital 10,20 USD", 10), None);
        assert_eq!(hint("capital 10,0000 USD", 10), None);
    }

    #[test]
    fn other_lines_get_none() {
        assert_eq!(hint("buy IWO monthly", 8), None);
        assert_eq!(hint("", 0), None);
        // `at` past the end or inside a character is not a panic.
        assert_eq!(hint("buy é", 5), None);
        assert_eq!(hint("buy", 99), None);
    }
}
