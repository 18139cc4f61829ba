//! The flags the commands that read a strategy share: the period (`run`, `compare`) and
//! what a strategy reads besides its own file (`run`, `compare`, `sweep`, `check`, `repl`).
//! One declaration, so the commands cannot drift apart in names, help or defaults.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::Args;

use crate::engine::Period;
use crate::pipeline::RunOptions;

/// `--from` and `--to` of `run` and `compare`.
#[derive(Clone, Copy, Debug, Default, Args)]
pub struct PeriodArgs {
    /// Start of the period (YYYY-MM-DD); overrides the strategy's `from`.
    #[arg(long, value_parser = parse_date)]
    pub from: Option<NaiveDate>,
    /// End of the period (YYYY-MM-DD); overrides the strategy's `to`.
    #[arg(long, value_parser = parse_date)]
    pub to: Option<NaiveDate>,
}

impl PeriodArgs {
    pub fn period(&self) -> Period {
        Period {
            from: self.from,
            to: self.to,
        }
    }
}

/// `--data`, `--lenient` and the sandbox flags.
#[derive(Clone, Debug, Default, Args)]
pub struct InputArgs {
    /// Load data from this file or folder too, besides the strategy's `data` lines; the
    /// bundled sample data is then not loaded (may be repeated).
    #[arg(long = "data", value_name = "PATH")]
    pub data: Vec<PathBuf>,
    /// Skip malformed data rows (and report how many) instead of stopping.
    #[arg(long)]
    pub lenient: bool,
    #[command(flatten)]
    pub sandbox: super::sandbox::SandboxArgs,
}

impl InputArgs {
    /// Run options with these inputs and everything else at its default.
    pub fn options(&self) -> RunOptions {
        RunOptions {
            data: self.data.clone(),
            lenient: self.lenient,
            ..self.sandbox.options()
        }
    }
}

/// A date as the flags take it: `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| format!("`{s}` is not a date; write YYYY-MM-DD"))
}
