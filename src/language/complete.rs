//! Completion: the words that may be typed at the cursor, from the grammar (which keywords
//! fit there, whether a name or a value does), the built-in functions and the names a
//! strategy knows (its data, its parameters, its scripts' functions).

use super::statement;
use super::words::{builtin_series, keywords};
use crate::check::{FUNCTIONS, PORTFOLIO_NAMES};
use crate::fedwatch::Measure;
use crate::syntax::next::{self, Next};

/// The names a strategy or a session knows besides the language's own.
#[derive(Clone, Debug, Default)]
pub struct Vocabulary {
    /// Symbols in the data (`IWO`).
    pub symbols: Vec<String>,
    /// Series in the data (`fed_cut_prob`).
    pub series: Vec<String>,
    /// `let` parameters: the name and its value as written.
    pub parameters: Vec<(String, String)>,
    /// Functions of the `use`d scripts: the name and how many arguments it takes.
    pub scripts: Vec<(String, usize)>,
    /// Whether the series include FedWatch's, derived from FedWatch files (not a column
    /// of the same name), so `fed_cut_prob(meeting 2)` and the like exist.
    pub fedwatch: bool,
}

/// What a completion stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Keyword,
    /// A built-in function.
    Function,
    /// A function of a `use`d script.
    Script,
    Symbol,
    Series,
    Parameter,
    /// `cash`, `portfolio.value`, …
    Portfolio,
}

/// One completion.
#[derive(Clone, Debug, PartialEq)]
pub struct Candidate {
    /// What the list shows: `sma`.
    pub label: String,
    /// What is typed in place of the word: `sma(`.
    pub insert: String,
    pub kind: Kind,
    /// A signature, or a parameter's value: `sma(source, window)`, `= 0.8`.
    pub detail: Option<String>,
    /// One line on what it is.
    pub doc: Option<&'static str>,
}

/// The byte offset where the word ending at the cursor starts (names may hold `.`, `^` and,
/// in the REPL, `:` and `!`; `day-first` and `month-first` are one word).
pub fn word_start(before: &str) -> usize {
    let is_word = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | ':' | '!' | '^');
    let start = before.rfind(|c: char| !is_word(c)).map_or(0, |i| i + 1);
    for prefix in ["day-", "month-"] {
        if let Some(head) = before[..start].strip_suffix(prefix)
            && !head.ends_with(is_word)
        {
            return head.len();
        }
    }
    start
}

/// Completions for the word that ends `before`, the text of the statement up to the
/// cursor (from the start of its first line). Returns where the word starts and what
/// fits there, as far as the grammar can tell; after a mistake earlier in the statement,
/// every word that starts the same way.
pub fn complete(before: &str, vocabulary: &Vocabulary) -> (usize, Vec<Candidate>) {
    let start = word_start(before);
    let word = &before[start..];
    // A word typed at the statement's start is a statement's keyword: its completion
    // says what the statement does.
    let first = before[..start].trim().is_empty();
    let all = match next::after(&before[..start]) {
        Some(next) => fitting(&next, vocabulary, first),
        None => everything(vocabulary, first),
    };
    (start, starting_with(in_brackets(all, &before[..start]), word))
}

/// Right after an opening bracket: a FedWatch series takes a meeting (`meeting 2`,
/// `by 2025-12-31`) and nothing else; anything else takes no meeting, though the grammar
/// lets any name try one (the checker rejects it).
fn in_brackets(mut all: Vec<Candidate>, before: &str) -> Vec<Candidate> {
    let head = before.trim_end();
    let Some(name) = head.strip_suffix('(') else {
        return all;
    };
    let name = &name[word_start(name.trim_end())..];
    let name = name.trim_end();
    let meeting = |c: &Candidate| c.kind == Kind::Keyword && matches!(c.label.as_str(), "meeting" | "by");
    if builtin_series().any(|s| s == name) {
        all.retain(meeting);
    } else {
        all.retain(|c| !meeting(c));
    }
    all
}

/// Every word that starts with `word`, wherever it is typed.
pub fn matching(word: &str, vocabulary: &Vocabulary) -> Vec<Candidate> {
    starting_with(everything(vocabulary, false), word)
}

fn starting_with(mut all: Vec<Candidate>, word: &str) -> Vec<Candidate> {
    all.retain(|c| c.label.starts_with(word) && c.label != word);
    all.sort_by(|a, b| a.label.cmp(&b.label).then(a.insert.cmp(&b.insert)));
    all.dedup_by(|a, b| a.insert == b.insert);
    all
}

/// What the grammar allows at the cursor.
fn fitting(next: &Next, vocabulary: &Vocabulary, first: bool) -> Vec<Candidate> {
    let mut out: Vec<Candidate> = next.keywords.iter().map(|k| keyword(k, first)).collect();
    if next.value {
        values(&mut out, vocabulary);
    } else if next.name {
        names(&mut out, vocabulary);
    }
    out
}

fn everything(vocabulary: &Vocabulary, first: bool) -> Vec<Candidate> {
    let mut out: Vec<Candidate> = keywords().map(|k| keyword(k, first)).collect();
    values(&mut out, vocabulary);
    out
}

/// A keyword's completion; `first`: typed where a statement starts.
fn keyword(word: &str, first: bool) -> Candidate {
    let doc = if first {
        statement::doc(word)
    } else {
        super::words::doc(word)
    };
    Candidate {
        label: word.to_string(),
        insert: word.to_string(),
        kind: Kind::Keyword,
        detail: None,
        doc,
    }
}

/// Functions, portfolio values and the vocabulary's names.
fn values(out: &mut Vec<Candidate>, vocabulary: &Vocabulary) {
    out.extend(FUNCTIONS.iter().map(|f| Candidate {
        label: f.name.to_string(),
        insert: format!("{}(", f.name),
        kind: Kind::Function,
        detail: Some(f.signature()),
        doc: Some(f.doc),
    }));
    out.extend(vocabulary.scripts.iter().map(|(name, arity)| Candidate {
        label: name.clone(),
        insert: format!("{name}("),
        kind: Kind::Script,
        detail: Some(format!(
            "{name}: a script function of {}",
            crate::display::count(*arity, "argument")
        )),
        doc: None,
    }));
    out.extend(PORTFOLIO_NAMES.iter().map(|(name, doc)| Candidate {
        label: name.to_string(),
        insert: name.to_string(),
        kind: Kind::Portfolio,
        detail: None,
        doc: Some(doc),
    }));
    names(out, vocabulary);
}

/// Symbols, series and parameters.
fn names(out: &mut Vec<Candidate>, vocabulary: &Vocabulary) {
    let simple = |name: &String, kind: Kind, detail: &str| Candidate {
        label: name.clone(),
        insert: name.clone(),
        kind,
        detail: Some(detail.to_string()),
        doc: None,
    };
    out.extend(vocabulary.symbols.iter().map(|s| simple(s, Kind::Symbol, "symbol")));
    let fedwatch = |s: &str| Measure::from_name(s).filter(|_| vocabulary.fedwatch);
    out.extend(vocabulary.series.iter().map(|s| match fedwatch(s) {
        Some(m) => Candidate {
            detail: Some(format!(
                "FedWatch series; {s}(meeting N) or {s}(by DATE) for a later meeting"
            )),
            doc: Some(m.doc()),
            ..simple(s, Kind::Series, "")
        },
        None => simple(s, Kind::Series, "series"),
    }));
    out.extend(vocabulary.parameters.iter().map(|(name, value)| Candidate {
        label: name.clone(),
        insert: name.clone(),
        kind: Kind::Parameter,
        detail: Some(format!("let {name} = {value}")),
        doc: None,
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocabulary() -> Vocabulary {
        Vocabulary {
            symbols: vec!["IWO".into(), "IWN".into()],
            series: vec!["fed_cut_prob".into()],
            parameters: vec![("threshold".into(), "0.8".into())],
            scripts: vec![("momentum".into(), 2)],
            fedwatch: true,
        }
    }

    fn labels(before: &str) -> Vec<String> {
        complete(before, &vocabulary()).1.into_iter().map(|c| c.label).collect()
    }

    #[test]
    fn completion_follows_the_grammar() {
        assert_eq!(labels("bu"), ["buy"], "a statement keyword at the start");
        assert_eq!(labels("buy IWO mon"), ["monthly"], "a schedule after the symbol");
        assert_eq!(labels("buy IWO monthly un"), ["unless"], "a guard after the schedule");
        assert_eq!(labels("buy I"), ["IWN", "IWO"], "the symbol after `buy`");
        assert_eq!(labels("buy IWO monthly while fed"), ["fed_cut_prob"]);
        assert_eq!(labels("buy IWO monthly while th"), ["threshold"]);
        assert_eq!(labels("buy IWO monthly while mom"), ["momentum"]);
        assert_eq!(
            labels("buy IWO # mon"),
            Vec::<String>::new(),
            "nothing inside a comment"
        );
        // After a mistake, anything that starts the same way.
        assert!(labels("buy IWO monthyl while sm").contains(&"sma".to_string()));
    }

    #[test]
    fn the_new_statements_and_fedwatch_selectors_complete() {
        assert_eq!(labels("ba"), ["bars"]);
        assert_eq!(labels("bars p"), ["per"]);
        assert_eq!(labels("bars per y"), ["year"]);
        assert_eq!(labels("fo"), ["fomc"]);
        assert_eq!(labels("data \"x.csv\" da"), ["dates"]);
        assert_eq!(labels("data \"x.csv\" as X d"), ["dates"]);
        assert_eq!(labels("data \"x.csv\" dates "), ["day-first", "month-first"]);
        assert_eq!(labels("data \"x.csv\" dates m"), ["month-first"]);
        assert_eq!(labels("cal"), ["calendar"]);
        assert_eq!(labels("calendar "), ["krx", "nyse", "weekdays"]);
        // `stale after …` or `stale SERIES after …`.
        assert!(labels("stale ").contains(&"after".to_string()));
        let (start, found) = complete("data \"x.csv\" dates day-f", &vocabulary());
        assert_eq!(start, "data \"x.csv\" dates ".len());
        assert_eq!(
            found.iter().map(|c| c.label.as_str()).collect::<Vec<_>>(),
            ["day-first"]
        );
        // A FedWatch series takes a meeting in brackets; a function does not.
        assert_eq!(labels("buy IWO monthly while fed_cut_prob("), ["by", "meeting"]);
        assert_eq!(labels("buy IWO monthly while fed_cut_prob( me"), ["meeting"]);
        let in_sma = labels("buy IWO monthly while sma(");
        assert!(in_sma.contains(&"IWO".to_string()), "{in_sma:?}");
        assert!(!in_sma.contains(&"meeting".to_string()) && !in_sma.contains(&"by".to_string()));
        let fed = complete("buy IWO monthly while fed", &vocabulary()).1;
        assert_eq!(fed[0].label, "fed_cut_prob");
        assert!(fed[0].doc.is_some_and(|d| d.starts_with("probability")), "{:?}", fed[0]);
        // A column of that name, without FedWatch files, is a plain series.
        let plain = Vocabulary {
            fedwatch: false,
            ..vocabulary()
        };
        let fed = complete("buy IWO monthly while fed", &plain).1;
        assert_eq!((fed[0].detail.as_deref(), fed[0].doc), (Some("series"), None));
    }

    #[test]
    fn hold_exits_and_cooldowns_complete_in_their_place() {
        assert_eq!(labels("ho"), ["hold"]);
        assert_eq!(labels("tra"), ["trailing"]);
        assert_eq!(labels("stop "), ["loss"]);
        assert_eq!(labels("take p"), ["profit"]);
        assert_eq!(labels("trailing s"), ["stop"]);
        assert_eq!(labels("hold IWO if fed_cut_prob > 0.8 el"), ["else"]);
        assert_eq!(labels("buy IWO monthly at m"), ["most"]);
        assert_eq!(labels("buy IWO monthly at most o"), ["once"]);
        assert_eq!(labels("buy IWO monthly at most once per mon"), ["month"]);
        assert_eq!(labels("sell IWO if close(IWO) < highest(close(IWO) si"), ["since"]);
        assert_eq!(labels("sell IWO if entry_p"), ["entry_price"]);
    }

    #[test]
    fn exits_on_a_rule_complete_after_with() {
        assert_eq!(labels("buy IWO monthly wi"), ["with"]);
        assert_eq!(
            labels("buy IWO monthly if fed_cut_prob > 0.8 at most once per month wi"),
            ["with"]
        );
        assert_eq!(
            labels("rotate monthly to top 1 of IWO, IWN by return(3 months) with "),
            ["stop", "take", "trailing"]
        );
        assert_eq!(labels("buy IWO monthly with trailing s"), ["stop"]);
        assert_eq!(labels("buy IWO monthly with stop loss 10%, ta"), ["take"]);
        assert_eq!(labels("hold IWO if fed_cut_prob > 0.8 else IWN wi"), ["with"]);
    }

    #[test]
    fn weighted_rebalances_series_files_and_the_new_functions_complete() {
        assert_eq!(labels("rebalance monthly to IWO, IWN we"), ["weighted"]);
        assert_eq!(labels("rebalance monthly to IWO, IWN weighted "), ["by", "equally"]);
        assert_eq!(labels("data \"x.csv\" as se"), ["series"]);
        assert_eq!(labels("buy IWO monthly while percent_r"), ["percent_rank"]);
        assert_eq!(labels("buy IWO monthly while pre"), ["prev"]);
        let corr = complete("buy IWO monthly while corr", &vocabulary()).1;
        assert_eq!(corr[0].detail.as_deref(), Some("correlation(a, b, window)"));
    }

    #[test]
    fn sleeves_complete() {
        assert_eq!(labels("sle"), ["sleeve"]);
        assert_eq!(labels("sleeve momentum 70% reb"), ["rebalanced"]);
        assert_eq!(labels("sleeve momentum 70% rebalanced yea"), ["yearly"]);
        // A rule inside a sleeve completes as anywhere else.
        assert_eq!(labels("  rot"), ["rotate"]);
    }

    #[test]
    fn a_function_completes_with_its_bracket_and_signature() {
        let (start, found) = complete("buy IWO monthly while sm", &vocabulary());
        assert_eq!(start, "buy IWO monthly while ".len());
        let sma = found.iter().find(|c| c.label == "sma").expect("sma is offered");
        assert_eq!(sma.insert, "sma(");
        assert_eq!(sma.detail.as_deref(), Some("sma(source, window)"));
        let t = complete("let x = th", &vocabulary()).1;
        assert_eq!(t[0].detail.as_deref(), Some("let threshold = 0.8"));
    }
}
