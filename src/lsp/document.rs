//! An open document: its text as the editor has it, and its analysis, made when first
//! needed after each change.

use std::path::PathBuf;
use std::sync::Arc;

use lsp_types::{TextDocumentContentChangeEvent, Uri};

use super::analysis::Analysis;
use super::data::DataCache;
use super::position::{Encoding, LineIndex};
use super::uri;

pub struct Document {
    pub uri: Uri,
    pub path: Option<PathBuf>,
    pub text: String,
    pub version: i32,
    pub index: LineIndex,
    analysis: Option<Arc<Analysis>>,
}

impl Document {
    pub fn new(uri: Uri, text: String, version: i32) -> Self {
        Document {
            path: uri::to_path(&uri),
            index: index_of(&text),
            uri,
            text,
            version,
            analysis: None,
        }
    }

    /// Why the text is not analysed, when it is larger than a strategy file may be
    /// ([`crate::access::MAX_STRATEGY_BYTES`], as `rotor check` refuses such a file).
    pub fn too_large(&self) -> Option<crate::access::AccessError> {
        crate::access::strategy_too_large(&self.name(), self.text.len() as u64)
    }

    /// The document's name in messages: its path, else its URI.
    fn name(&self) -> String {
        match &self.path {
            Some(p) => p.display().to_string(),
            None => self.uri.as_str().to_string(),
        }
    }

    /// Applies the editor's changes in order: a change with a range replaces that range
    /// (clamped to the text), one without replaces the whole text.
    pub fn apply(&mut self, changes: Vec<TextDocumentContentChangeEvent>, version: i32, encoding: Encoding) {
        for change in changes {
            match change.range {
                Some(range) => {
                    let offset = |position| {
                        if too_large(&self.text) {
                            LineIndex::offset_unindexed(&self.text, position, encoding)
                        } else {
                            self.index.offset(&self.text, position, encoding)
                        }
                    };
                    let start = offset(range.start);
                    let end = offset(range.end).max(start);
                    self.text.replace_range(start..end, &change.text);
                }
                None => self.text = change.text,
            }
            self.index = index_of(&self.text);
        }
        self.version = version;
        self.analysis = None;
    }

    /// The analysis of the current text, made now if the text changed since the last one.
    /// `None` for a text over the limit ([`Document::too_large`] says why): it is not
    /// analysed.
    pub fn analysis(&mut self, cache: &DataCache) -> Option<Arc<Analysis>> {
        if let Some(a) = &self.analysis {
            return Some(a.clone());
        }
        if too_large(&self.text) {
            return None;
        }
        let name = self.name();
        let analysis = Arc::new(Analysis::new(&name, self.path.as_deref(), &self.text, cache));
        self.analysis = Some(analysis.clone());
        Some(analysis)
    }

    /// Forgets the analysis (the data it was checked against changed, or the document was
    /// saved and the scripts it uses may have).
    pub fn invalidate(&mut self) {
        self.analysis = None;
    }

    /// The key of the data the last analysis used, if there is one.
    pub fn data_key(&self) -> Option<&super::data::DataKey> {
        self.analysis.as_ref().map(|a| &a.key)
    }
}

/// Whether `text` is larger than a strategy file may be.
fn too_large(text: &str) -> bool {
    text.len() as u64 > crate::access::MAX_STRATEGY_BYTES
}

/// The index of `text`; none (that of an empty text) for one too large to analyse, which
/// is never read through it (it costs 8 bytes a line).
fn index_of(text: &str) -> LineIndex {
    LineIndex::new(if too_large(text) { "" } else { text })
}
