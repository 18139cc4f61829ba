//! `rotor run FILE`

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use crate::diagnostic::Failure;
use crate::pipeline;
use crate::report::plot::Figure;
use crate::report::{csv, html, summary};
use crate::source::SourceMap;

#[derive(Debug, Args)]
pub struct RunArgs {
    /// The strategy file (*.rotor).
    pub file: PathBuf,
    #[command(flatten)]
    pub period: super::inputs::PeriodArgs,
    /// Set a parameter: `--set threshold=0.7` replaces `let threshold = …`.
    #[arg(long = "set", value_name = "NAME=VALUE", value_parser = parse_set)]
    pub sets: Vec<(String, String)>,
    /// Print one JSON object (schema: docs/OUTPUT.md) instead of the summary.
    #[arg(long)]
    pub json: bool,
    /// Write every fill to this CSV file.
    #[arg(long, value_name = "FILE.csv")]
    pub trades: Option<PathBuf>,
    /// Write the daily equity curve to this CSV file.
    #[arg(long, value_name = "FILE.csv")]
    pub equity: Option<PathBuf>,
    /// Write the report as one self-contained HTML page (charts, trades, round trips;
    /// docs/REPORT.md).
    #[arg(long, value_name = "FILE.html")]
    pub report: Option<PathBuf>,
    /// Draw the equity curve (with the benchmark and the money put in) and the drawdowns
    /// into a picture, for a chat or an issue.
    #[arg(long, value_name = "FILE.svg|FILE.png", value_parser = super::write::plot_path)]
    pub plot: Option<PathBuf>,
    #[command(flatten)]
    pub inputs: super::inputs::InputArgs,
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
        period: args.period.period(),
        sets: args.sets.clone(),
        detail: args.report.is_some(),
        ..args.inputs.options()
    };
    let file = pipeline::read(&args.file, &mut sources)?;
    let prepared = pipeline::prepare(&file, &options, &mut sources)?;
    // Before the run, so a refused output costs nothing.
    let outputs: Vec<(&str, &Path)> = [
        ("--trades", &args.trades),
        ("--equity", &args.equity),
        ("--report", &args.report),
        ("--plot", &args.plot),
    ]
    .into_iter()
    .filter_map(|(option, path)| Some((option, path.as_deref()?)))
    .collect();
    crate::output::guard(&outputs, &prepared.access.files_read()).map_err(|e| Failure::one(e, &sources))?;
    let program = pipeline::check(&prepared, &sources)?;
    let output = pipeline::run_with(&prepared, program, &options, &sources)?;
    super::report_warnings(&output.report.warnings);
    super::report_warnings(&output.warnings);
    if let Some(path) = &args.trades {
        write(path, &csv::trades(&output.report), &sources)?;
    }
    if let Some(path) = &args.equity {
        write(path, &csv::equity(&output.report), &sources)?;
    }
    if let Some(path) = &args.report {
        write(path, &html::run(&output.report), &sources)?;
    }
    if let Some(path) = &args.plot {
        super::write::plot(path, &Figure::of_run(&output.report), &sources)?;
    }
    if args.json {
        outln!(
            "{}",
            crate::report::zero::json(&output.report).expect("the report serialises")
        );
    } else {
        out!("{}", summary::render(&output.report));
    }
    Ok(ExitCode::SUCCESS)
}

fn write(path: &Path, text: &str, sources: &SourceMap) -> Result<(), Failure> {
    super::write::bytes(path, text.as_bytes(), sources)
}
