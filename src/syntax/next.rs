//! What the grammar lets come next after a statement's beginning: the words completion
//! offers at the cursor. The answer comes from the parser itself, so it is never out of
//! step with the grammar: the text is parsed with a character no rule can match appended,
//! and pest's list of what it tried at that character is what may come there.

use pest::Parser as _;
use pest::error::{ErrorVariant, InputLocation};

use super::expected::{STATEMENT_KEYWORDS, describe};
use super::parser::{RotorParser, Rule};

/// What may follow a statement's beginning.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Next {
    /// Keywords that fit, such as `monthly` after `buy IWO`.
    pub keywords: Vec<&'static str>,
    /// A name fits: a symbol, series or parameter.
    pub name: bool,
    /// A value fits: a name, a number, a call.
    pub value: bool,
}

/// Appended to the text; no rule of the grammar matches it outside strings and comments.
const SENTINEL: char = '\u{1}';

/// What may come after `before`, the start of a statement (one or more lines). Nothing
/// when the end is inside a comment or a string, where any text goes; `None` when the
/// grammar cannot tell because the text is wrong before its end.
pub fn after(before: &str) -> Option<Next> {
    if inside_quotes(before) {
        return Some(Next::default());
    }
    let text = format!("{before}{SENTINEL}");
    let Err(error) = RotorParser::parse(Rule::line, &text) else {
        // A comment took the character in.
        return Some(Next::default());
    };
    let at = match error.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    if at > before.len() {
        // A string or a quoted name took it in.
        return Some(Next::default());
    }
    if at < before.len() {
        return None;
    }
    let ErrorVariant::ParsingError { positives, .. } = error.variant else {
        return None;
    };
    let mut next = Next::default();
    for rule in positives {
        let words: &[&str] = match rule {
            Rule::name | Rule::plain_name | Rule::quoted_name | Rule::digit_name => {
                next.name = true;
                &[]
            }
            Rule::expr | Rule::or_expr | Rule::and_expr | Rule::not_expr => {
                next.value = true;
                &["not", "true", "false"]
            }
            Rule::comparison
            | Rule::sum
            | Rule::product
            | Rule::unary
            | Rule::postfix
            | Rule::primary
            | Rule::call
            | Rule::literal
            | Rule::value_amount
            | Rule::amount => {
                next.value = true;
                &["true", "false"]
            }
            // At the start of a line pest names only the line rule.
            Rule::line => STATEMENT_KEYWORDS,
            // Operators are not words; the grammar's words for a place list `and` and `or`
            // under every operator, completion only where they fit.
            Rule::add_op | Rule::mul_op | Rule::cmp_op | Rule::neg_op | Rule::lag => &[],
            Rule::or_op => &["or"],
            Rule::and_op => &["and"],
            Rule::cross_op | Rule::kw_crosses => &["crosses"],
            // The grammar's words for `fill` list all three; each fits only in its place.
            Rule::kw_next => &["next"],
            Rule::kw_close => &["close"],
            Rule::kw_open => &["open"],
            rule => describe(rule).1,
        };
        for word in words {
            if !next.keywords.contains(word) {
                next.keywords.push(word);
            }
        }
    }
    next.name |= next.value;
    Some(next)
}

/// Whether the last line of `text` ends inside a string or a quoted name.
fn inside_quotes(text: &str) -> bool {
    let last = text.rsplit('\n').next().unwrap_or("");
    let mut quote = None;
    for c in last.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '`') => quote = Some(c),
            (None, '#') => return false,
            _ => {}
        }
    }
    quote.is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keywords(before: &str) -> Vec<&'static str> {
        let mut k = after(before).map(|n| n.keywords).unwrap_or_default();
        k.sort();
        k
    }

    #[test]
    fn each_place_offers_what_the_grammar_allows() {
        assert!(keywords("").contains(&"buy"), "a statement starts a line");
        let after_symbol = keywords("buy IWO ");
        assert!(
            after_symbol.contains(&"monthly") && after_symbol.contains(&"while"),
            "{after_symbol:?}"
        );
        assert!(!after_symbol.contains(&"buy"));
        let after_schedule = keywords("buy IWO monthly ");
        assert!(
            after_schedule.contains(&"unless") && after_schedule.contains(&"on"),
            "{after_schedule:?}"
        );
        assert!(!after_schedule.contains(&"monthly"));
        assert_eq!(keywords("fill "), ["close", "next"]);
        let value = after("buy IWO monthly while ").expect("a condition comes next");
        assert!(
            value.value && value.name && value.keywords.contains(&"not"),
            "{value:?}"
        );
        let name = after("benchmark ").expect("a name comes next");
        assert!(name.name && !name.value, "{name:?}");
    }

    #[test]
    fn nothing_inside_a_comment_or_string_and_no_answer_after_a_mistake() {
        assert_eq!(after("buy IWO # note "), Some(Next::default()));
        assert_eq!(after("strategy \"Rate "), Some(Next::default()));
        assert_eq!(after("buy IWO monthyl "), None);
    }
}
