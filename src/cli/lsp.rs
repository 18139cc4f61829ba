//! `rotor lsp`: the language server, on standard input and output.

use std::process::ExitCode;

use crate::diagnostic::{Failure, UsageError};
use crate::source::SourceMap;

pub fn run() -> Result<ExitCode, Failure> {
    crate::lsp::serve_stdio().map_err(|reason| {
        Failure::one(
            UsageError::InvalidArgument {
                message: format!("the language server stopped: {reason}"),
                help: "start it from an editor's LSP client, which speaks to it on standard input and output; see docs/EDITORS.md".into(),
            },
            &SourceMap::new(),
        )
    })?;
    Ok(ExitCode::SUCCESS)
}
