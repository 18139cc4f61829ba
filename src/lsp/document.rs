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
            index: LineIndex::new(&text),
            uri,
            text,
            version,
            analysis: None,
        }
    }

    /// Applies the editor's changes in order: a change with a range replaces that range
    /// (clamped to the text), one without replaces the whole text.
    pub fn apply(&mut self, changes: Vec<TextDocumentContentChangeEvent>, version: i32, encoding: Encoding) {
        for change in changes {
            match change.range {
                Some(range) => {
                    let start = self.index.offset(&self.text, range.start, encoding);
                    let end = self.index.offset(&self.text, range.end, encoding).max(start);
                    self.text.replace_range(start..end, &change.text);
                }
                None => self.text = change.text,
            }
            self.index = LineIndex::new(&self.text);
        }
        self.version = version;
        self.analysis = None;
    }

    /// The analysis of the current text, made now if the text changed since the last one.
    pub fn analysis(&mut self, cache: &DataCache) -> Arc<Analysis> {
        if let Some(a) = &self.analysis {
            return a.clone();
        }
        let name = match &self.path {
            Some(p) => p.display().to_string(),
            None => self.uri.as_str().to_string(),
        };
        let analysis = Arc::new(Analysis::new(&name, self.path.as_deref(), &self.text, cache));
        self.analysis = Some(analysis.clone());
        analysis
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
