//! The line editor's helper: completion, hints, highlighting and multi-line input.

use std::borrow::Cow;

use rustyline::completion::Completer;
use rustyline::highlight::{CmdKind, Highlighter};
use rustyline::hint::{Hint, Hinter};
use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use rustyline::{Context, Helper};

use super::command::COMMANDS;
use crate::check::{FUNCTIONS, PORTFOLIO_NAMES, functions};
use crate::fedwatch::Measure;
use crate::syntax::{RESERVED, STATEMENT_KEYWORDS};

/// Words of the grammar that are neither statement keywords nor reserved names.
const OTHER_KEYWORDS: &[&str] = &[
    "as", "using", "next", "trade", "trading", "day", "first", "last", "free", "cash", "equity", "position", "hold",
    "bar", "meeting",
];

/// What the editor knows about the session: names to complete, and whether to colour.
#[derive(Debug, Default)]
pub struct ReplHelper {
    /// Symbols, series and parameters of the session, refreshed after every input.
    pub names: Vec<String>,
    pub color: bool,
}

/// A hint shown after the cursor that Right-arrow does not insert (it is an explanation,
/// not text to type).
pub struct Explanation(String);

impl Hint for Explanation {
    fn display(&self) -> &str {
        &self.0
    }
    fn completion(&self) -> Option<&str> {
        None
    }
}

impl ReplHelper {
    /// Everything that could complete `word` at the start of `line` or inside it.
    pub fn candidates(&self, word: &str, at_start: bool) -> Vec<String> {
        let mut out: Vec<String> = if word.starts_with(':') && at_start {
            COMMANDS.iter().map(|c| format!(":{}", c.0)).collect()
        } else {
            let keywords = STATEMENT_KEYWORDS.iter().chain(RESERVED).chain(OTHER_KEYWORDS);
            keywords
                .map(|k| k.to_string())
                .chain(FUNCTIONS.iter().map(|f| format!("{}(", f.name)))
                .chain(PORTFOLIO_NAMES.iter().map(|p| p.0.to_string()))
                .chain(self.names.iter().cloned())
                .collect()
        };
        out.retain(|c| c.starts_with(word) && c != word);
        out.sort();
        out.dedup();
        out
    }
}

impl Completer for ReplHelper {
    type Candidate = String;

    fn complete(&self, line: &str, pos: usize, _: &Context<'_>) -> rustyline::Result<(usize, Vec<String>)> {
        let before = &line[..pos];
        let start = before
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | ':' | '!' | '^')))
            .map_or(0, |i| i + 1);
        let word = &before[start..];
        if word.is_empty() {
            return Ok((pos, Vec::new()));
        }
        let at_start = before[..start].trim().is_empty();
        Ok((start, self.candidates(word, at_start)))
    }
}

impl Hinter for ReplHelper {
    type Hint = Explanation;

    /// Inside a call, the function's signature and what it computes.
    fn hint(&self, line: &str, pos: usize, _: &Context<'_>) -> Option<Explanation> {
        if pos < line.len() {
            return None;
        }
        let name = open_call(line)?;
        if let Some(m) = Measure::from_name(name) {
            return Some(Explanation(format!(
                "   {name}(meeting N) or {name}(by DATE) — {}",
                m.doc()
            )));
        }
        let f = functions::lookup(name)?;
        Some(Explanation(format!("   {} — {}", f.signature(), f.doc)))
    }
}

impl Highlighter for ReplHelper {
    fn highlight<'l>(&self, line: &'l str, _: usize) -> Cow<'l, str> {
        if self.color {
            Cow::Owned(colorize(line))
        } else {
            Cow::Borrowed(line)
        }
    }

    fn highlight_hint<'h>(&self, hint: &'h str) -> Cow<'h, str> {
        if self.color {
            Cow::Owned(format!("\x1b[2m{hint}\x1b[0m"))
        } else {
            Cow::Borrowed(hint)
        }
    }

    fn highlight_char(&self, _: &str, _: usize, _: CmdKind) -> bool {
        // Every keystroke can change a word's class (`bu` → `buy`).
        self.color
    }
}

impl Validator for ReplHelper {
    fn validate(&self, ctx: &mut ValidationContext) -> rustyline::Result<ValidationResult> {
        Ok(if is_incomplete(ctx.input()) {
            ValidationResult::Incomplete
        } else {
            ValidationResult::Valid(None)
        })
    }
}

impl Helper for ReplHelper {}

/// Whether input continues on the next line: a bracket is open, or the last line ends with
/// `\` or `,` (where the grammar lets a statement continue).
pub fn is_incomplete(text: &str) -> bool {
    let mut depth = 0i32;
    for line in text.lines() {
        let mut quote: Option<char> = None;
        for c in line.chars() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '`') => quote = Some(c),
                (None, '#') => break,
                (None, '(') => depth += 1,
                (None, ')') => depth -= 1,
                _ => {}
            }
        }
    }
    let last = text.lines().last().unwrap_or("");
    let code = last.split('#').next().unwrap_or("").trim_end();
    depth > 0 || code.ends_with('\\') || code.ends_with(',')
}

/// The function whose argument list is open at the end of `line`, if any.
fn open_call(line: &str) -> Option<&str> {
    let mut opens = Vec::new();
    for (i, c) in line.char_indices() {
        match c {
            '(' => opens.push(i),
            ')' => {
                opens.pop();
            }
            _ => {}
        }
    }
    let open = *opens.last()?;
    let before = &line[..open];
    let start = before
        .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .map_or(0, |i| i + 1);
    Some(&before[start..]).filter(|w| !w.is_empty())
}

/// ANSI colours for each word class of the grammar: keywords, functions, numbers (with
/// percents, money and dates), strings, comments and `:commands`. Names stay plain.
pub fn colorize(line: &str) -> String {
    const KEYWORD: &str = "\x1b[1;34m";
    const FUNCTION: &str = "\x1b[36m";
    const NUMBER: &str = "\x1b[33m";
    const STRING: &str = "\x1b[32m";
    const COMMENT: &str = "\x1b[90m";
    const COMMAND: &str = "\x1b[35m";
    const RESET: &str = "\x1b[0m";
    let mut out = String::with_capacity(line.len() * 2);
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let end_of = |k: usize| chars.get(k).map_or(line.len(), |c| c.0);
    let mut k = 0;
    let paint = |out: &mut String, color: &str, text: &str| {
        out.push_str(color);
        out.push_str(text);
        out.push_str(RESET);
    };
    while k < chars.len() {
        let (i, c) = chars[k];
        let mut j = k + 1;
        let take = |j: &mut usize, f: &dyn Fn(char) -> bool| {
            while *j < chars.len() && f(chars[*j].1) {
                *j += 1;
            }
        };
        if c == '#' {
            paint(&mut out, COMMENT, &line[i..]);
            break;
        } else if c == '"' || c == '`' {
            take(&mut j, &|x| x != c);
            j = (j + 1).min(chars.len());
            let text = &line[i..end_of(j)];
            if c == '"' {
                paint(&mut out, STRING, text);
            } else {
                out.push_str(text);
            }
        } else if c == ':' && line[..i].trim().is_empty() {
            take(&mut j, &|x| !x.is_whitespace());
            paint(&mut out, COMMAND, &line[i..end_of(j)]);
        } else if c.is_ascii_digit() || (c == '$' && chars.get(k + 1).is_some_and(|n| n.1.is_ascii_digit())) {
            take(&mut j, &|x| x.is_ascii_digit() || matches!(x, '_' | '.' | '-' | '%'));
            paint(&mut out, NUMBER, &line[i..end_of(j)]);
        } else if c.is_ascii_alphabetic() || c == '_' || c == '^' {
            take(&mut j, &|x| x.is_ascii_alphanumeric() || matches!(x, '_' | '.'));
            let word = &line[i..end_of(j)];
            let is_call = line[end_of(j)..].trim_start().starts_with('(');
            if is_call && functions::lookup(word).is_some() {
                paint(&mut out, FUNCTION, word);
            } else if STATEMENT_KEYWORDS.contains(&word) || RESERVED.contains(&word) || OTHER_KEYWORDS.contains(&word) {
                paint(&mut out, KEYWORD, word);
            } else {
                out.push_str(word);
            }
        } else {
            out.push(c);
        }
        k = j;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Removes the colour codes, to check that colouring never changes the text.
    fn plain(s: &str) -> String {
        let mut out = String::new();
        let mut escape = false;
        for c in s.chars() {
            match (escape, c) {
                (false, '\x1b') => escape = true,
                (true, 'm') => escape = false,
                (true, _) => {}
                (false, c) => out.push(c),
            }
        }
        out
    }

    #[test]
    fn colouring_keeps_the_text_and_marks_each_class() {
        let line = r#"buy IWO monthly while sma(IWO, 50 days) > 0.8 and x < 25% # why "not""#;
        let painted = colorize(line);
        assert_eq!(plain(&painted), line);
        assert!(painted.starts_with("\x1b[1;34mbuy\x1b[0m IWO "));
        assert!(painted.contains("\x1b[36msma\x1b[0m("));
        assert!(painted.contains("\x1b[33m25%\x1b[0m"));
        assert!(painted.ends_with("\x1b[90m# why \"not\"\x1b[0m"));
        for line in [
            ":run --from 2020-01-01",
            "strategy \"unterminated",
            "`BRK-B` @ last",
            "é ü 1.5",
        ] {
            assert_eq!(plain(&colorize(line)), line);
        }
    }

    #[test]
    fn input_continues_while_a_bracket_is_open() {
        assert!(is_incomplete("sma(IWO,"));
        assert!(is_incomplete("buy IWO monthly \\"));
        assert!(is_incomplete("rebalance monthly to IWO 50%,"));
        assert!(!is_incomplete("sma(IWO, 50)"));
        // Brackets in comments and strings do not count.
        assert!(!is_incomplete("IWO # (see"));
        assert!(!is_incomplete("strategy \"a (b\""));
        assert!(!is_incomplete("sma(IWO,\n 50)"));
    }

    #[test]
    fn completion_offers_commands_functions_and_names() {
        let helper = ReplHelper {
            names: vec!["IWO".into(), "fed_cut_prob".into()],
            color: false,
        };
        assert_eq!(helper.candidates(":ru", true), vec![":rules", ":run"]);
        assert_eq!(helper.candidates("sm", false), vec!["sma("]);
        assert_eq!(helper.candidates("fed_", false), vec!["fed_cut_prob"]);
        assert!(helper.candidates("mon", false).contains(&"monthly".to_string()));
        assert_eq!(open_call("buy IWO while sma(IWO, "), Some("sma"));
        assert_eq!(open_call("sma(IWO, 5)"), None);
    }

    #[test]
    fn fedwatch_names_complete_and_their_meeting_is_hinted() {
        let helper = ReplHelper {
            names: vec!["fed_cut_prob".into(), "fed_cuts_priced".into(), "fed_hike_prob".into()],
            color: false,
        };
        assert_eq!(
            helper.candidates("fed_cut", false),
            vec!["fed_cut_prob", "fed_cuts_priced"]
        );
        assert_eq!(helper.candidates("meet", false), vec!["meeting"]);
        let history = rustyline::history::DefaultHistory::new();
        let ctx = Context::new(&history);
        let line = "fed_hike_prob(";
        let hint = helper
            .hint(line, line.len(), &ctx)
            .expect("a hint inside the parenthesis");
        assert!(
            hint.display()
                .contains("fed_hike_prob(meeting N) or fed_hike_prob(by DATE)"),
            "{}",
            hint.display()
        );
    }
}
