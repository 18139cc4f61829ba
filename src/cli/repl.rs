//! `rotor repl [FILE]`

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::diagnostic::Failure;

#[derive(Debug, Args)]
pub struct ReplArgs {
    /// A strategy file to start from (*.rotor).
    pub file: Option<PathBuf>,
    #[command(flatten)]
    pub inputs: super::inputs::InputArgs,
}

/// Runs the REPL. Its own errors are shown as they happen, so it never returns a failure;
/// the exit status says whether any input failed (when input is not a terminal).
pub fn run(args: &ReplArgs) -> Result<ExitCode, Failure> {
    Ok(crate::repl::run(args.file.as_deref(), &args.inputs.options()))
}
