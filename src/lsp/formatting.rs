//! Formatting: `rotor fmt`'s text for the whole document. A document with syntax errors
//! is not formatted (as `rotor fmt` never rewrites a file that does not parse).

use lsp_types::TextEdit;

use super::analysis::Analysis;
use super::position::{Encoding, LineIndex};

/// The edits that make the document canonical (none if it already is); `None` when it
/// does not parse.
pub fn formatting(analysis: &Analysis, index: &LineIndex, encoding: Encoding) -> Option<Vec<TextEdit>> {
    let formatted = crate::format::format_source(&analysis.file).ok()?;
    let text = analysis.text();
    if formatted == text {
        return Some(Vec::new());
    }
    Some(vec![TextEdit {
        range: index.range(text, 0, text.len(), encoding),
        new_text: formatted,
    }])
}
