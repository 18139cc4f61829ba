//! "Did you mean …?" for every name rotor looks up.
//!
//! The rule (nushell's): a candidate is offered when its edit distance (Levenshtein, via
//! `strsim`) to what was typed is at most a third of the typed length, rounded up, and at
//! least 1; case differences count as a single edit so `Buy` finds `buy`. The closest
//! candidate wins; ties go to the earlier candidate.

/// The closest candidate to `typed`, if any is close enough.
pub fn did_you_mean<'a>(typed: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let typed_len = typed.chars().count();
    let limit = typed_len.div_ceil(3).max(1);
    let lower = typed.to_lowercase();
    candidates
        .into_iter()
        .filter(|c| *c != typed)
        // The distance is at least the difference in length: skipping those candidates
        // keeps a 10 MB name from costing seconds per candidate.
        .filter(|c| c.chars().count().abs_diff(typed_len) <= limit)
        .map(|c| {
            let exact_case = strsim::levenshtein(typed, c);
            let any_case = strsim::levenshtein(&lower, &c.to_lowercase()) + usize::from(lower != typed);
            (exact_case.min(any_case), c)
        })
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// The help line that offers `best`: "did you mean `best`?". Editors read the name back
/// with [`offered`] to offer a quick fix, so every "did you mean" is written by this.
pub fn offer(best: &str) -> String {
    format!("did you mean `{best}`?")
}

/// The name a help line written by [`offer`] or [`did_you_mean_name`] offers.
pub fn offered(help: &str) -> Option<&str> {
    let rest = help.strip_prefix("did you mean `")?;
    // What follows the question, if anything, says how to write the name (see
    // [`did_you_mean_name`]); the editor writes it so itself.
    rest.split_once("`?")
        .map(|(name, _)| name)
        .filter(|name| !name.contains('`'))
}

/// "did you mean `x`?" for a name, saying how to write it when it needs backticks (a
/// column named `Fed Cut Prob` is written `` `Fed Cut Prob` `` in a strategy).
pub fn did_you_mean_name(best: &str) -> String {
    let written = crate::format::format_name(best);
    if written == best {
        offer(best)
    } else {
        format!("did you mean `{best}`? Write it in backticks: `` {written} ``")
    }
}

/// A help line: "did you mean `x`?" or, when nothing is close, the list of what exists
/// (the first `max` of it).
pub fn help_for(typed: &str, what: &str, candidates: &[&str], max: usize) -> String {
    match did_you_mean(typed, candidates.iter().copied()) {
        Some(best) => offer(best),
        // `what` may come with its article ("the parameters are: …"), which "no" replaces.
        None if candidates.is_empty() => format!(
            "there are no {} to choose from",
            what.strip_prefix("the ").unwrap_or(what)
        ),
        None => {
            let shown: Vec<String> = candidates.iter().take(max).map(|c| format!("`{c}`")).collect();
            let more = candidates.len().saturating_sub(max);
            let tail = if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            };
            format!("{what} are: {}{tail}", shown.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{did_you_mean, did_you_mean_name, help_for, offer, offered};

    #[test]
    fn nothing_to_choose_from_reads_as_english() {
        // The REPL's `:set` in a session without parameters passes "the parameters".
        assert_eq!(
            help_for("x", "the parameters", &[], 20),
            "there are no parameters to choose from"
        );
        assert_eq!(help_for("x", "series", &[], 20), "there are no series to choose from");
        assert_eq!(
            help_for("x", "the parameters", &["window"], 20),
            "the parameters are: `window`"
        );
    }

    #[test]
    fn an_offer_reads_back_as_the_name() {
        assert_eq!(offered(&offer("monthly")), Some("monthly"));
        assert_eq!(offered(&offer("portfolio.value")), Some("portfolio.value"));
        assert_eq!(offered("symbols in the data are: `IWO`"), None);
        assert_eq!(offered("did you mean `a` or `b`?"), None);
        // A name that needs backticks: the help says how to write it; the name is offered.
        let help = did_you_mean_name("Fed Cut Prob");
        assert_eq!(
            help,
            "did you mean `Fed Cut Prob`? Write it in backticks: `` `Fed Cut Prob` ``"
        );
        assert_eq!(offered(&help), Some("Fed Cut Prob"));
    }

    /// Each case: typed, candidates, expected, and why.
    #[test]
    fn suggestion_table() {
        let series = [
            "fed_cut_prob",
            "fed_funds_rate",
            "us2y",
            "cpi_yoy",
            "unemployment",
            "usdkrw",
        ];
        let cases: &[(&str, &[&str], Option<&str>, &str)] = &[
            ("fed_cut_prb", &series, Some("fed_cut_prob"), "one deletion in 11 chars"),
            (
                "monthy",
                &["daily", "weekly", "monthly"],
                Some("monthly"),
                "one missing letter",
            ),
            ("Buy", &["buy", "sell"], Some("buy"), "case alone counts as one edit"),
            ("bye", &["buy", "sell"], None, "two edits from `buy` exceed ceil(3/3)=1"),
            ("sel", &["buy", "sell"], Some("sell"), "one missing letter"),
            ("xyz", &series, None, "nothing within distance 1"),
            ("usd_krw", &series, Some("usdkrw"), "one extra underscore"),
            ("unemploy", &series, None, "four missing letters exceed ceil(8/3)=3"),
            ("IWX", &["IWN", "IWO"], Some("IWN"), "tie goes to the first candidate"),
            (
                "sma",
                &["sma", "ema"],
                Some("ema"),
                "the exact name is skipped, the next closest offered",
            ),
        ];
        for (typed, candidates, expected, why) in cases {
            assert_eq!(
                did_you_mean(typed, candidates.iter().copied()),
                *expected,
                "{typed}: {why}"
            );
        }
    }
}
