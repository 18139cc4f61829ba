//! Completion: [`crate::language::complete`] (what the REPL completes) at the cursor, with
//! the document's names.

use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionTextEdit, Documentation, InsertTextFormat, Position, TextEdit,
};

use super::analysis::Analysis;
use super::position::{Encoding, LineIndex};
use crate::language::{self, Kind};

/// A statement longer than this before the cursor is not completed (a 10 MB line would
/// be parsed on every keystroke).
const MAX_STATEMENT: usize = 64 * 1024;

pub fn completion(
    analysis: &Analysis,
    index: &LineIndex,
    position: Position,
    encoding: Encoding,
) -> Vec<CompletionItem> {
    let text = analysis.text();
    let offset = index.offset(text, position, encoding);
    let start = language::logical_line_start(text, offset);
    let before = &text[start..offset];
    if before.len() > MAX_STATEMENT {
        return Vec::new();
    }
    let (word_start, candidates) = language::complete(before, &analysis.vocabulary());
    let range = index.range(text, start + word_start, offset, encoding);
    candidates
        .into_iter()
        // A name with control or bidirectional-override characters (a CSV header can hold
        // any) is not offered: it cannot be shown safely, and typed plainly it would not be
        // the same name.
        .filter(|c| !c.label.chars().any(crate::display::is_unsafe))
        .map(|c| CompletionItem {
            kind: Some(match c.kind {
                Kind::Keyword => CompletionItemKind::KEYWORD,
                Kind::Function | Kind::Script => CompletionItemKind::FUNCTION,
                Kind::Symbol => CompletionItemKind::CONSTANT,
                Kind::Series => CompletionItemKind::VARIABLE,
                Kind::Parameter => CompletionItemKind::VALUE,
                Kind::Portfolio => CompletionItemKind::PROPERTY,
            }),
            detail: c.detail,
            documentation: c.doc.map(|d| Documentation::String(d.to_string())),
            insert_text_format: Some(InsertTextFormat::PLAIN_TEXT),
            text_edit: Some(CompletionTextEdit::Edit(TextEdit {
                range,
                new_text: c.insert,
            })),
            label: c.label,
            ..CompletionItem::default()
        })
        .collect()
}
