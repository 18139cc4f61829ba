//! `rotor repl [FILE]`

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::diagnostic::Failure;

#[derive(Debug, Args)]
pub struct ReplArgs {
    /// A strategy file to start from (*.rotor).
    pub file: Option<PathBuf>,
    /// Load data from this file or folder instead of the bundled sample (may be repeated).
    #[arg(long = "data", value_name = "PATH")]
    pub data: Vec<PathBuf>,
    #[command(flatten)]
    pub sandbox: super::sandbox::SandboxArgs,
}

/// Runs the REPL. Its own errors are shown as they happen, so it never returns a failure;
/// the exit status says whether any input failed (when input is not a terminal).
pub fn run(args: &ReplArgs) -> Result<ExitCode, Failure> {
    let options = crate::pipeline::RunOptions {
        data: args.data.clone(),
        ..args.sandbox.options()
    };
    Ok(crate::repl::run(args.file.as_deref(), &options))
}
