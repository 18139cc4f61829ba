//! `rotor fmt`: the canonical text of a strategy file.
//!
//! The printer works from the syntax tree, not the text, so every file that means the same
//! prints the same: one statement per line (a statement continued over several lines is
//! joined), single spaces between words, comments kept, runs of blank lines collapsed to
//! one, LF line endings, no BOM, one `\n` at the end. It never spells out defaults:
//! `monthly` stays `monthly`.
//!
//! What the tree does not record is settled one way: `sell all of X` prints as
//! `sell all X`, `fees a and b` as `fees a, b`, quoted names that need no quotes lose
//! them, counts lose their `_` (`every 1_0 days` is `every 10 days`), and time units agree
//! with their number (`1 month`, `3 months`). Numbers, percents and money keep the text
//! the user wrote.
//!
//! Parsing the printed text gives back the same tree (spans aside). A tree built by code
//! rather than parsed gets parentheses wherever its shape needs them, so it reads back as
//! the same tree plus `Group` nodes around those parts.

mod expr;
mod statement;
mod token;

use crate::source::SourceFile;
use crate::syntax::ast::{Expr, File, Line, Statement};
use crate::syntax::{SyntaxError, parse_file};

/// The canonical text of a parsed file. An empty file (or one of blank lines only) prints
/// as the empty string; any other output ends with exactly one `\n`.
pub fn format_file(file: &File) -> String {
    let mut out = String::new();
    let mut blank_pending = false;
    for (line, depth) in file.lines.iter().zip(file.depths()) {
        let text = format_line(line);
        if text.is_empty() {
            // Held back until the next non-blank line, so blank lines at the end vanish,
            // and never started at the top, so those at the start do too.
            blank_pending = !out.is_empty();
            continue;
        }
        if blank_pending {
            out.push('\n');
            blank_pending = false;
        }
        // Statements inside a `sleeve` block are indented two spaces a level.
        for _ in 0..depth {
            out.push_str("  ");
        }
        out.push_str(&text);
        out.push('\n');
    }
    out
}

/// Parses `file` and returns its canonical text, or every syntax error if it has any: a
/// file that does not parse is never rewritten, so none of its text can be lost.
pub fn format_source(file: &SourceFile) -> Result<String, Vec<SyntaxError>> {
    let (ast, errors) = parse_file(file);
    if errors.is_empty() {
        Ok(format_file(&ast))
    } else {
        Err(errors)
    }
}

/// The canonical text of one statement, without comment or line ending: for reports and
/// the REPL to quote a rule as a user would write it.
pub fn format_statement(statement: &Statement) -> String {
    let mut out = String::new();
    statement::write(&mut out, statement);
    out
}

/// The canonical text of one expression: `sma(IWO, 50) > 0.8`.
pub fn format_expr(expr: &Expr) -> String {
    let mut out = String::new();
    expr::write(&mut out, expr, expr::ANY);
    out
}

/// A name as it must be written to read back as the same name: `IWO`, or `` `BRK-B` ``
/// in backticks (for an editor's quick fix that puts a name in).
pub fn format_name(text: &str) -> String {
    let name = crate::syntax::ast::Name {
        text: text.to_string(),
        span: Default::default(),
    };
    token::name(&name).into_owned()
}

/// One logical line without its line ending; empty for a blank line.
fn format_line(line: &Line) -> String {
    let mut out = line.statement.as_ref().map(format_statement).unwrap_or_default();
    if let Some(comment) = &line.comment {
        if !out.is_empty() {
            out.push_str("  ");
        }
        out.push_str(comment.value.trim_end());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(text: &str) -> String {
        let file = SourceFile {
            name: "test.rotor".to_string(),
            path: None,
            text: text.to_string(),
            base: 0,
        };
        match format_source(&file) {
            Ok(out) => out,
            Err(errors) => panic!("{text:?} should parse: {errors:?}"),
        }
    }

    #[test]
    fn blank_lines_collapse_and_vanish_at_both_ends() {
        assert_eq!(fmt("\n\n  \nbuy IWO\n\n\n\nsell IWO\n\n\n"), "buy IWO\n\nsell IWO\n");
    }

    #[test]
    fn an_empty_file_stays_empty() {
        assert_eq!(fmt(""), "");
        assert_eq!(fmt("\n \n\t\n"), "");
    }

    #[test]
    fn comments_are_kept_and_trimmed() {
        assert_eq!(
            fmt("   # head   \nbuy   IWO # why  \n#tail"),
            "# head\nbuy IWO  # why\n#tail\n"
        );
    }

    #[test]
    fn words_are_separated_by_single_spaces() {
        assert_eq!(
            fmt("buy\t500   USD of  IWO  monthly   while  fed_cut_prob>0.8"),
            "buy 500 USD of IWO monthly while fed_cut_prob > 0.8\n"
        );
    }

    #[test]
    fn a_period_without_dates_prints_nothing() {
        let file = File {
            lines: vec![Line {
                statement: Some(Statement {
                    kind: crate::syntax::ast::StatementKind::Period { from: None, to: None },
                    span: Default::default(),
                }),
                comment: None,
                span: Default::default(),
            }],
        };
        assert_eq!(format_file(&file), "");
    }
}
