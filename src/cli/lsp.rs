//! `rotor lsp`: the language server, on standard input and output.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::access;
use crate::diagnostic::{Error, Failure, Other};
use crate::lsp::Policy;
use crate::source::SourceMap;

/// What the strategies an editor opens may read besides their own folder
/// (docs/SECURITY.md); the editor's server command passes these.
#[derive(Clone, Debug, Default, Args)]
pub struct LspArgs {
    /// Let every strategy opened also read files under DIR (may be repeated). A strategy
    /// reads only its own folder otherwise.
    #[arg(long = "allow-path", value_name = "DIR")]
    pub allow_path: Vec<PathBuf>,
    /// Largest data file read, such as `4GiB` or `500MB` [default: 1GiB].
    #[arg(long, value_name = "SIZE", value_parser = super::sandbox::parse_size)]
    pub max_data_size: Option<u64>,
}

pub fn run(args: &LspArgs) -> Result<ExitCode, Failure> {
    let policy = Policy {
        allow: args.allow_path.clone(),
        limits: access::Limits {
            data_bytes: args.max_data_size.unwrap_or(access::DEFAULT_MAX_DATA_BYTES),
            ..access::Limits::default()
        },
    };
    crate::lsp::serve_stdio(policy)
        .map_err(|stop| Failure::one(Error::Other(Other(Box::new(stop))), &SourceMap::new()))?;
    Ok(ExitCode::SUCCESS)
}
