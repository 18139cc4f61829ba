//! What the strategies an editor opens may read: the policy `rotor check` applies
//! ([`crate::access`]), so opening a stranger's strategy reads nothing outside its folder
//! but what `rotor lsp --allow-path` allows, and no data file over `--max-data-size`.

use std::path::{Path, PathBuf};

use crate::access::{Access, Limits};
use crate::pipeline::{Load, RunOptions};

/// The server's file-access settings, the same for every document.
#[derive(Clone, Debug, Default)]
pub struct Policy {
    /// `--allow-path DIR`: folders (or files) every strategy may also read.
    pub allow: Vec<PathBuf>,
    /// `--max-data-size`.
    pub limits: Limits,
}

impl Policy {
    /// The pipeline's options for a document, loading its data as `load` says.
    pub fn options(&self, load: Load) -> RunOptions {
        RunOptions {
            load,
            allow: self.allow.clone(),
            limits: self.limits,
            ..RunOptions::default()
        }
    }

    /// What a strategy in `dir` may read: what the pipeline allows it under these options.
    pub fn access(&self, dir: &Path) -> Access {
        self.options(Load::Nothing).access(dir)
    }
}
