//! rotor's diagnostics as LSP diagnostics: miette's message, code, severity, help line and
//! labels (as related information), at the document's range of the first label. A
//! diagnostic whose labels are all in another file (a script, a CSV file) is shown on the
//! line that brings that file in (`use`, `data`, `fomc`) and points there. The data's
//! warnings (a column name one slip from one rotor reads, a split-like move) are LSP
//! warnings on their `data` line, as `rotor check` prints them beside its errors; so are
//! its warnings about the strategy (a form that does nothing, a condition the data never
//! lets hold), at the lines they name.

use std::path::{Path, PathBuf};

use lsp_types::{Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString, Range};

use super::analysis::Analysis;
use super::position::{Encoding, LineIndex};
use super::uri;
use crate::source::SourceMap;
use crate::syntax::ast::StatementKind;

/// A diagnostic and, when its help offers a name ("did you mean `x`?"), the text that
/// replaces its range.
#[derive(Clone, Debug)]
pub struct Located {
    pub diagnostic: Diagnostic,
    pub fix: Option<String>,
}

/// Longest message sent; a diagnostic that quotes a 10 MB line must not send it back.
const MAX_MESSAGE: usize = 2000;

/// Every diagnostic of the document.
pub fn diagnostics(analysis: &Analysis, index: &LineIndex, encoding: Encoding) -> Vec<Located> {
    let mut out: Vec<Located> = analysis
        .errors
        .iter()
        .map(|e| locate(e, &analysis.sources, false, analysis, index, encoding))
        .collect();
    if let Some(failure) = &analysis.data_failure {
        out.extend(
            failure
                .errors
                .iter()
                .map(|e| locate(e, &failure.sources, false, analysis, index, encoding)),
        );
    }
    if let Some(data) = &analysis.data {
        out.extend(
            data.data
                .warnings
                .iter()
                .map(|w| locate(w, &analysis.sources, false, analysis, index, encoding)),
        );
    }
    out.extend(
        analysis
            .strategy_warnings
            .iter()
            // Their source code is the document's own source map, not a data file.
            .map(|w| locate(w, &analysis.sources, true, analysis, index, encoding)),
    );
    out
}

/// `e`, about the whole document (it has no label in it), at its start.
pub fn whole(e: &dyn miette::Diagnostic) -> Diagnostic {
    Diagnostic {
        range: Range::default(),
        severity: Some(severity(e.severity())),
        code: e.code().map(|c| NumberOrString::String(c.to_string())),
        source: Some("rotor".into()),
        message: message(e),
        ..Diagnostic::default()
    }
}

/// `e`'s message and its help line, as a diagnostic shows them.
fn message(e: &dyn miette::Diagnostic) -> String {
    let mut message = visible(&e.to_string());
    if let Some(help) = e.help() {
        message.push_str("\nhelp: ");
        message.push_str(&visible(&help.to_string()));
    }
    message
}

/// Where a label points.
enum Place {
    /// A byte range of the document.
    Here(usize, usize),
    /// Somewhere in another file.
    There(PathBuf, Range),
}

/// `e` at its place in the document. `in_sources`: its labels are offsets in `sources`
/// even though it carries source code of its own (a strategy warning carries the map).
fn locate(
    e: &dyn miette::Diagnostic,
    sources: &SourceMap,
    in_sources: bool,
    analysis: &Analysis,
    index: &LineIndex,
    encoding: Encoding,
) -> Located {
    let text = analysis.text();
    let labels: Vec<(Place, Option<String>)> = e
        .labels()
        .into_iter()
        .flatten()
        .filter_map(|l| {
            Some((
                place(e, sources, in_sources, analysis, l.offset(), l.len())?,
                l.label().map(visible),
            ))
        })
        .collect();
    let primary = labels.iter().find_map(|(p, _)| match p {
        Place::Here(s, end) => Some((*s, *end)),
        Place::There(..) => None,
    });
    let range = match primary {
        Some((s, end)) => index.range(text, s, end, encoding),
        None => {
            let (s, end) = anchor(analysis, &labels);
            index.range(text, s, end, encoding)
        }
    };
    let doc_uri = analysis.file.path.as_deref().and_then(uri::from_path);
    let related: Vec<DiagnosticRelatedInformation> = labels
        .iter()
        .filter_map(|(p, label)| {
            let location = match p {
                Place::Here(s, end) => Location::new(doc_uri.clone()?, index.range(text, *s, *end, encoding)),
                Place::There(path, range) => Location::new(uri::from_path(path)?, *range),
            };
            Some(DiagnosticRelatedInformation {
                location,
                message: label.clone().unwrap_or_else(|| "here".into()),
            })
        })
        .collect();
    let code = e.code().map(|c| c.to_string());
    let help = e.help().map(|h| visible(&h.to_string()));
    let fix = primary
        .and(help.as_deref())
        .and_then(crate::suggest::offered)
        .map(|name| {
            if code.as_deref().is_some_and(|c| c.starts_with("rotor::syntax")) {
                name.to_string()
            } else {
                crate::format::format_name(name)
            }
        });
    let message = message(e);
    Located {
        diagnostic: Diagnostic {
            range,
            severity: Some(severity(e.severity())),
            code: code.map(NumberOrString::String),
            source: Some("rotor".into()),
            message,
            related_information: (!related.is_empty()).then_some(related),
            ..Diagnostic::default()
        },
        fix,
    }
}

/// miette's severity in the protocol's terms; a diagnostic that states none is an error.
fn severity(severity: Option<miette::Severity>) -> DiagnosticSeverity {
    match severity {
        Some(miette::Severity::Warning) => DiagnosticSeverity::WARNING,
        Some(miette::Severity::Advice) => DiagnosticSeverity::INFORMATION,
        Some(miette::Severity::Error) | None => DiagnosticSeverity::ERROR,
    }
}

/// Where a label at global `offset` points: into the document, or into another file.
fn place(
    e: &dyn miette::Diagnostic,
    sources: &SourceMap,
    in_sources: bool,
    analysis: &Analysis,
    offset: usize,
    len: usize,
) -> Option<Place> {
    if let Some(code) = e.source_code().filter(|_| !in_sources) {
        // A data error: the label is in its CSV file.
        let start = code.read_span(&(offset, 0).into(), 0, 0).ok()?;
        let path = PathBuf::from(start.name()?);
        let line = u32::try_from(start.line()).unwrap_or(u32::MAX);
        let column = u32::try_from(start.column()).unwrap_or(u32::MAX);
        let width = u32::try_from(len).unwrap_or(0);
        let range = Range::new(
            lsp_types::Position::new(line, column),
            lsp_types::Position::new(line, column.saturating_add(width)),
        );
        return Some(Place::There(path, range));
    }
    let global = u32::try_from(offset).ok()?;
    let file = sources.file_at(global)?;
    if file.base == analysis.file.base && file.name == analysis.file.name {
        let span = crate::source::Span::new(offset, offset + len);
        let (s, end) = analysis.local(span)?;
        return Some(Place::Here(s, end));
    }
    let path = file.path.clone()?;
    let index = LineIndex::new(&file.text);
    let local = offset - file.base as usize;
    // Positions in other files are given in UTF-16, the protocol's default: editors open
    // those files themselves, and scripts are nearly always ASCII.
    let range = index.range(&file.text, local, local + len, Encoding::Utf16);
    Some(Place::There(path, range))
}

/// The document's range for a diagnostic with no label in it: the `use`, `data` or `fomc` line
/// that brings in the file it points into, else the first line.
fn anchor(analysis: &Analysis, labels: &[(Place, Option<String>)]) -> (usize, usize) {
    let elsewhere: Vec<&Path> = labels
        .iter()
        .filter_map(|(p, _)| match p {
            Place::There(path, _) => Some(path.as_path()),
            Place::Here(..) => None,
        })
        .collect();
    let dir = analysis.file.dir();
    let mut first_data = None;
    for statement in analysis.ast.statements() {
        let (path, is_data) = match &statement.kind {
            StatementKind::Use(path) => (path, false),
            StatementKind::Data { path, .. } | StatementKind::Fomc(path) => (path, true),
            _ => continue,
        };
        let named = dir.join(&path.value);
        let span = analysis.local(path.span);
        if elsewhere.iter().any(|p| p.starts_with(&named)) {
            return span.unwrap_or((0, 0));
        }
        if is_data && first_data.is_none() {
            first_data = span;
        }
    }
    // A data error without a place (a folder without CSV files, two files with one name).
    first_data.unwrap_or((0, 0))
}

/// Text safe to show in an editor: control and bidirectional-override characters written
/// out as the terminal output writes them ([`crate::display::escape`]), and at most
/// [`MAX_MESSAGE`] bytes (cut at a character boundary, marked with `…`).
pub fn visible(text: &str) -> String {
    let escaped = crate::display::escape(text);
    if escaped.len() <= MAX_MESSAGE {
        return escaped.into_owned();
    }
    let mut cut = MAX_MESSAGE;
    while !escaped.is_char_boundary(cut) {
        cut -= 1;
    }
    let mut out = escaped[..cut].to_string();
    out.push('…');
    out
}

/// Whether two ranges share a position (a cursor at either end counts).
pub fn overlaps(a: &Range, b: &Range) -> bool {
    let before = |x: &lsp_types::Position, y: &lsp_types::Position| (x.line, x.character) < (y.line, y.character);
    !before(&a.end, &b.start) && !before(&b.end, &a.start)
}

/// The document's diagnostics with no fix, for `publishDiagnostics`.
pub fn plain(located: &[Located]) -> Vec<Diagnostic> {
    located.iter().map(|l| l.diagnostic.clone()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_written_out_and_long_text_is_cut() {
        assert_eq!(visible("a\u{1b}[31mb\nc"), "a\\u{1b}[31mb\nc");
        assert_eq!(visible("x\u{202e}y"), "x\\u{202e}y");
        let long = "x".repeat(10 * MAX_MESSAGE);
        assert!(visible(&long).len() <= MAX_MESSAGE + '…'.len_utf8());
    }
}
