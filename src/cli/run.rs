//! `rotor run FILE`

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::Args;

use crate::diagnostic::{Failure, UsageError};
use crate::engine::Period;
use crate::pipeline;
use crate::report::{csv, summary};
use crate::source::SourceMap;

#[derive(Debug, Args)]
pub struct RunArgs {
    /// The strategy file (*.rotor).
    pub file: PathBuf,
    /// Start of the period (YYYY-MM-DD); overrides the file's `from`.
    #[arg(long, value_parser = parse_date)]
    pub from: Option<NaiveDate>,
    /// End of the period (YYYY-MM-DD); overrides the file's `to`.
    #[arg(long, value_parser = parse_date)]
    pub to: Option<NaiveDate>,
    /// Set a parameter: `--set threshold=0.7` replaces `let threshold = …`.
    #[arg(long = "set", value_name = "NAME=VALUE", value_parser = parse_set)]
    pub sets: Vec<(String, String)>,
    /// Load data from this file or folder too (may be repeated).
    #[arg(long = "data", value_name = "PATH")]
    pub data: Vec<PathBuf>,
    /// Print one JSON object (schema: docs/OUTPUT.md) instead of the summary.
    #[arg(long)]
    pub json: bool,
    /// Write every fill to this CSV file.
    #[arg(long, value_name = "FILE.csv")]
    pub trades: Option<PathBuf>,
    /// Write the daily equity curve to this CSV file.
    #[arg(long, value_name = "FILE.csv")]
    pub equity: Option<PathBuf>,
    /// Skip malformed data rows (and report how many) instead of stopping.
    #[arg(long)]
    pub lenient: bool,
    #[command(flatten)]
    pub sandbox: super::sandbox::SandboxArgs,
}

pub(super) fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| format!("`{s}` is not a date; write YYYY-MM-DD"))
}

fn parse_set(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() && !v.trim().is_empty() => {
            Ok((k.trim().to_string(), v.trim().to_string()))
        }
        _ => Err(format!("`{s}` is not NAME=VALUE; write e.g. `--set threshold=0.7`")),
    }
}

pub fn run(args: &RunArgs) -> Result<ExitCode, Failure> {
    let mut sources = SourceMap::new();
    let options = pipeline::RunOptions {
        period: Period {
            from: args.from,
            to: args.to,
        },
        sets: args.sets.clone(),
        data: args.data.clone(),
        lenient: args.lenient,
        allow: args.sandbox.allow_path.clone(),
        limits: args.sandbox.limits(),
        budget: args.sandbox.budget(),
        ..pipeline::RunOptions::default()
    };
    let file = pipeline::read(&args.file, &mut sources)?;
    let prepared = pipeline::prepare(&file, &options, &mut sources)?;
    // Before the run, so a refused output costs nothing.
    let outputs: Vec<(&str, &Path)> = [("--trades", &args.trades), ("--equity", &args.equity)]
        .into_iter()
        .filter_map(|(option, path)| Some((option, path.as_deref()?)))
        .collect();
    crate::output::guard(&outputs, &prepared.access.files_read()).map_err(|e| Failure::one(e, &sources))?;
    let program = pipeline::check(&prepared, &sources)?;
    let output = pipeline::run(&prepared, program, options.period, &sources)?;
    super::report_warnings(&output.report.warnings);
    super::report_warnings(&output.warnings);
    if let Some(path) = &args.trades {
        write(path, &csv::trades(&output.report), &sources)?;
    }
    if let Some(path) = &args.equity {
        write(path, &csv::equity(&output.report), &sources)?;
    }
    if args.json {
        println!(
            "{}",
            crate::report::zero::json(&output.report).expect("the report serialises")
        );
    } else {
        print!("{}", summary::render(&output.report));
    }
    Ok(ExitCode::SUCCESS)
}

fn write(path: &Path, text: &str, sources: &SourceMap) -> Result<(), Failure> {
    crate::output::replace(path, text.as_bytes()).map_err(|e| {
        Failure::one(
            UsageError::Write {
                path: path.display().to_string(),
                reason: e.to_string(),
            },
            sources,
        )
    })
}
