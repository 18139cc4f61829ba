//! The line editor's helper: completion, hints, highlighting and multi-line input. What
//! to offer, hint and colour comes from [`crate::language`], which the language server
//! uses too; this file only fits it to rustyline.

use std::borrow::Cow;

use rustyline::completion::Completer;
use rustyline::highlight::{CmdKind, Highlighter};
use rustyline::hint::{Hint, Hinter};
use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use rustyline::{Context, Helper};

use super::command::COMMANDS;
use crate::language::{self, Class, Signature, Vocabulary};

pub use crate::language::is_incomplete;

/// What the editor knows about the session: names to complete, and whether to colour.
#[derive(Debug, Default)]
pub struct ReplHelper {
    /// Symbols, series and parameters of the session, refreshed after every input.
    pub names: Vocabulary,
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
    /// Everything that could complete `word`, wherever it is typed (`at_start`: at the
    /// start of the line, where `:commands` go too).
    pub fn candidates(&self, word: &str, at_start: bool) -> Vec<String> {
        let mut out: Vec<String> = if word.starts_with(':') && at_start {
            let mut commands: Vec<String> = COMMANDS.iter().map(|c| format!(":{}", c.0)).collect();
            commands.retain(|c| c.starts_with(word) && c != word);
            commands
        } else {
            language::matching(word, &self.names)
                .into_iter()
                .map(|c| c.insert)
                .collect()
        };
        out.sort();
        out.dedup();
        out
    }
}

impl Completer for ReplHelper {
    type Candidate = String;

    fn complete(&self, line: &str, pos: usize, _: &Context<'_>) -> rustyline::Result<(usize, Vec<String>)> {
        let before = &line[..pos];
        let start = language::word_start(before);
        let word = &before[start..];
        if word.is_empty() {
            return Ok((pos, Vec::new()));
        }
        let at_start = before[..start].trim().is_empty();
        if at_start || before.trim_start().starts_with(':') {
            // A line may be an expression or a command as well as a statement.
            return Ok((start, self.candidates(word, at_start)));
        }
        let (start, found) = language::complete(before, &self.names);
        let mut inserts: Vec<String> = found.into_iter().map(|c| c.insert).collect();
        inserts.dedup();
        Ok((start, inserts))
    }
}

impl Hinter for ReplHelper {
    type Hint = Explanation;

    /// Inside a call, the function's signature and what it computes; inside a FedWatch
    /// series' brackets, the meetings it may be about; on an empty line inside an open
    /// bracket or after a trailing `,` or `and`, how to end the input.
    fn hint(&self, line: &str, pos: usize, _: &Context<'_>) -> Option<Explanation> {
        if pos < line.len() {
            return None;
        }
        if language::unfinished_on_empty_line(line) {
            return Some(Explanation(
                "   the statement goes on (a bracket is open, or `,` or `and` ends the line): finish it, or two empty lines in a row end the input".to_owned(),
            ));
        }
        let call = language::open_call(line)?;
        let signature = Signature::of(call.name)?;
        Some(Explanation(format!("   {}", signature.hint())))
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
        Ok(if crate::language::input_continues(ctx.input()) {
            ValidationResult::Incomplete
        } else {
            ValidationResult::Valid(None)
        })
    }
}

impl Helper for ReplHelper {}

/// ANSI colours for each word class of the grammar ([`language::tokens`]): keywords,
/// functions, numbers (with percents, money and dates), strings, comments and
/// `:commands`. Names stay plain.
pub fn colorize(line: &str) -> String {
    const RESET: &str = "\x1b[0m";
    let mut out = String::with_capacity(line.len() * 2);
    let mut at = 0;
    for token in language::tokens(line) {
        let color = match token.class {
            Class::Keyword => "\x1b[1;34m",
            Class::Function => "\x1b[36m",
            Class::Number | Class::Percent | Class::Money | Class::Date => "\x1b[33m",
            Class::String => "\x1b[32m",
            Class::Comment => "\x1b[90m",
            Class::Command => "\x1b[35m",
            Class::Name | Class::Call => continue,
        };
        out.push_str(&line[at..token.start]);
        out.push_str(color);
        out.push_str(&line[token.start..token.end]);
        out.push_str(RESET);
        at = token.end;
    }
    out.push_str(&line[at..]);
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
    fn completion_offers_commands_functions_and_names() {
        let helper = ReplHelper {
            names: Vocabulary {
                symbols: vec!["IWO".into()],
                series: vec!["fed_cut_prob".into()],
                ..Vocabulary::default()
            },
            color: false,
        };
        assert_eq!(helper.candidates(":ru", true), vec![":rules", ":run"]);
        assert_eq!(helper.candidates("sm", false), vec!["sma("]);
        assert_eq!(helper.candidates("fed_", false), vec!["fed_cut_prob"]);
        assert!(helper.candidates("mon", false).contains(&"monthly".to_string()));
        assert_eq!(
            language::open_call("buy IWO while sma(IWO, ").map(|c| c.name),
            Some("sma")
        );
        assert_eq!(language::open_call("sma(IWO, 5)"), None);
    }

    #[test]
    fn completion_in_a_statement_follows_the_grammar() {
        let helper = ReplHelper::default();
        let history = rustyline::history::DefaultHistory::new();
        let ctx = Context::new(&history);
        let line = "buy IWO mon";
        let (start, found) = helper.complete(line, line.len(), &ctx).expect("completion never fails");
        assert_eq!((start, found), (8, vec!["monthly".to_string()]));
    }

    #[test]
    fn fedwatch_names_complete_and_their_meeting_is_hinted() {
        let helper = ReplHelper {
            names: Vocabulary {
                series: vec!["fed_cut_prob".into(), "fed_cuts_priced".into(), "fed_hike_prob".into()],
                fedwatch: true,
                ..Vocabulary::default()
            },
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
