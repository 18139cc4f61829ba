//! Code actions: a quick fix for each diagnostic whose help offers a name ("did you mean
//! `monthly`?"), replacing the diagnostic's range with it.

use std::collections::HashMap;

use lsp_types::{CodeAction, CodeActionKind, CodeActionOrCommand, Range, TextEdit, Uri, WorkspaceEdit};

use super::diagnostics::{Located, overlaps};

/// The quick fixes of the diagnostics that touch `range`.
pub fn quick_fixes(uri: &Uri, located: &[Located], range: &Range) -> Vec<CodeActionOrCommand> {
    located
        .iter()
        .filter(|l| overlaps(&l.diagnostic.range, range))
        .filter_map(|l| {
            let fix = l.fix.as_ref()?;
            let edit = TextEdit {
                range: l.diagnostic.range,
                new_text: fix.clone(),
            };
            Some(CodeActionOrCommand::CodeAction(CodeAction {
                title: format!("Change to `{fix}`"),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![l.diagnostic.clone()]),
                edit: Some(WorkspaceEdit {
                    changes: Some(HashMap::from([(uri.clone(), vec![edit])])),
                    ..WorkspaceEdit::default()
                }),
                is_preferred: Some(true),
                ..CodeAction::default()
            }))
        })
        .collect()
}
