//! Where a statement goes on over several lines: inside brackets, after a comma or `and`,
//! after a trailing `\` (the grammar's `nl` and `continuation`). The REPL asks the same
//! scan the parser makes of a file ([`crate::syntax::goes_on`]), so input typed or pasted
//! at the prompt is cut into statements where a file's is.

use crate::syntax::{GoesOn, goes_on};

/// Whether input continues on the next line: a bracket is open, or the statement ends with
/// `\`, `,` or `and` (where the grammar lets a statement continue). Brackets, commas and
/// `and` inside strings, quoted names and comments do not count.
pub fn is_incomplete(text: &str) -> bool {
    goes_on(text).is_some()
}

/// Whether the REPL reads another line before it handles `text`: a statement goes on
/// ([`is_incomplete`]) or a `sleeve` block is open ([`block_is_open`]) — unless the last of
/// several lines is a REPL command, or blank. A blank line inside an open bracket or after a
/// trailing `,` or `and` goes on, as it does in a file (so a file pasted at the prompt reads as
/// `:load` reads it), but a second blank line in a row ends the input: a statement left
/// unfinished is then reported (and a command run after it) instead of taking every later
/// line with it. After a trailing `\` a blank line ends the input, as it ends the statement
/// in a file.
pub fn input_continues(text: &str) -> bool {
    if let Some((before, last)) = text.rsplit_once('\n') {
        let last = last.trim();
        if last.starts_with(':') {
            return false;
        }
        if last.is_empty() {
            let second_blank = before.rsplit('\n').next().is_none_or(|l| l.trim().is_empty());
            return !second_blank && goes_on_over_blank_lines(before);
        }
    }
    is_incomplete(text) || block_is_open(text)
}

/// Whether the grammar reads on over blank lines after `text`: a bracket is open, or it
/// ends with `,` or `and` (the grammar's `nl ~ ("," | and_op) ~ nl`).
fn goes_on_over_blank_lines(text: &str) -> bool {
    matches!(goes_on(text), Some(GoesOn::Bracket | GoesOn::List))
}

/// Whether `text`, input of several lines being typed, has a bracket open or a trailing
/// comma, and an empty last line: the REPL then hints how blank lines end the input.
pub fn unfinished_on_empty_line(text: &str) -> bool {
    text.rsplit_once('\n')
        .is_some_and(|(before, last)| last.trim().is_empty() && goes_on_over_blank_lines(before))
}

/// Whether input typed at a prompt is a `sleeve …:` block still open: a line of it is a
/// `sleeve` header, and no blank line has closed it yet. The REPL reads on until the blank
/// line, so the header and the rules indented below it are checked together (in a file
/// the indentation alone says where a block ends). A REPL command (a line starting with
/// `:`) closes it too: the REPL runs the block, then the command
/// ([`split_trailing_command`]).
pub fn block_is_open(text: &str) -> bool {
    if text.rsplit('\n').next().unwrap_or("").trim_start().starts_with(':') {
        return false;
    }
    let header = text.lines().any(|line| {
        let code = line.split('#').next().unwrap_or("").trim();
        code.starts_with("sleeve") && code.ends_with(':')
    });
    header && !text.rsplit('\n').next().unwrap_or("").trim().is_empty()
}

/// Input of several lines whose last line is a REPL command (`:run` typed after a `sleeve`
/// block): the lines before it and the command, to be handled one after the other; any
/// other input whole.
pub fn split_trailing_command(text: &str) -> (&str, Option<&str>) {
    match text.rsplit_once('\n') {
        Some((before, last)) if last.trim_start().starts_with(':') => (before, Some(last)),
        _ => (text, None),
    }
}

/// The byte offset where the statement holding byte `at` of `text` starts: the start of
/// its physical line, moved up over lines that the statement continues from. Looks back at
/// most `MAX_LINES` lines, so a file of a million commas costs nothing.
pub fn logical_line_start(text: &str, at: usize) -> usize {
    const MAX_LINES: usize = 50;
    let at = floor_char_boundary(text, at.min(text.len()));
    let mut start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    for _ in 0..MAX_LINES {
        if start == 0 {
            break;
        }
        let prev_start = text[..start - 1].rfind('\n').map_or(0, |i| i + 1);
        if !is_incomplete(&text[prev_start..start - 1]) {
            break;
        }
        start = prev_start;
    }
    start
}

/// The largest char boundary at or before `i` (`str::floor_char_boundary` is unstable).
pub fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_continues_until_two_blank_lines_or_a_command() {
        assert!(input_continues("sma(IWO, 50"));
        assert!(input_continues("sma(IWO,\n 50"));
        assert!(
            input_continues("sma(IWO, 50\n"),
            "one blank line inside a bracket goes on"
        );
        assert!(input_continues("sma(IWO,\n\n 50\n  "));
        assert!(!input_continues("sma(IWO, 50\n\n"), "two blank lines end it");
        assert!(!input_continues("sma(IWO, 50\n \n  "));
        assert!(!input_continues("1 +\n"), "outside a bracket, one blank line ends it");
        assert!(input_continues("rebalance to IWO 50%,\n"), "after a comma it goes on");
        assert!(input_continues("rebalance to IWO 50%, # c\n"));
        assert!(!input_continues("rebalance to IWO 50%,\n\n"), "two blank lines end it");
        assert!(
            !input_continues("buy IWO monthly \\\n"),
            "after `\\` a blank line ends it"
        );
        assert!(unfinished_on_empty_line("rebalance to IWO 50%,\n"));
        assert!(input_continues("fees 0.1% and"), "after `and` it goes on");
        assert!(input_continues("fees 0.1% and\n"), "over a blank line too");
        assert!(!input_continues("fees 0.1% and\n\n"));
        assert!(!input_continues("\n"));
        assert!(unfinished_on_empty_line("sma(IWO,\n"));
        assert!(unfinished_on_empty_line("sma(IWO,\n\n"));
        assert!(!unfinished_on_empty_line("sma(IWO,\n 50"));
        assert!(!unfinished_on_empty_line("sma(IWO, 50)\n"));
        assert!(!input_continues("sma(IWO, 50\n:run"), "a command ends it");
        assert!(!input_continues("sma(IWO, 50)"));
        assert!(input_continues("sleeve a 50%:\n  buy IWM monthly"));
        assert!(!input_continues("sleeve a 50%:\n  buy IWM monthly\n"));
    }

    #[test]
    fn a_sleeve_block_is_open_until_a_blank_line() {
        assert!(block_is_open("sleeve a 50%:"));
        assert!(block_is_open("sleeve a 50%:  # comment\n  buy IWM monthly"));
        assert!(!block_is_open("sleeve a 50%:\n  buy IWM monthly\n"));
        assert!(!block_is_open("sleeve a 50%:\n  buy IWM monthly\n  "));
        assert!(!block_is_open("buy IWM monthly"));
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
        assert!(is_incomplete("buy IWM monthly with stop loss 10% and"));
        // A `,` inside a quoted name is no list's.
        assert!(!is_incomplete("buy `a,`"));
    }

    #[test]
    fn a_statement_starts_where_the_line_before_does_not_continue() {
        let text = "buy IWO\nrebalance to IWO 50%,\n  IWN 50%\nsell é";
        assert_eq!(logical_line_start(text, text.find("IWN").unwrap()), 8);
        assert_eq!(logical_line_start(text, 3), 0);
        assert_eq!(logical_line_start(text, text.len()), text.rfind('\n').unwrap() + 1);
        // Inside a character and past the end: no panic.
        assert_eq!(logical_line_start(text, text.len() - 1), text.rfind('\n').unwrap() + 1);
        assert_eq!(logical_line_start(text, usize::MAX), text.rfind('\n').unwrap() + 1);
    }
}
