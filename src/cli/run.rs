//! `rotor run FILE`

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::Args;

use crate::diagnostic::{Failure, UsageError};
use crate::engine::Period;
use crate::pipeline::{self, RunOutput};
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
        load_all: false,
    };
    let output = pipeline::run_file(&args.file, &options, &mut sources)?;
    if let Some(path) = &args.trades {
        write(path, &trades_csv(&output), &sources)?;
    }
    if let Some(path) = &args.equity {
        write(path, &equity_csv(&output), &sources)?;
    }
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&output.report).expect("the report serialises")
        );
    } else {
        print!(
            "{}",
            crate::report::summary::render(&output.report, &output.backtest.run.equity)
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn write(path: &Path, text: &str, sources: &SourceMap) -> Result<(), Failure> {
    std::fs::write(path, text).map_err(|e| {
        Failure::one(
            UsageError::Write {
                path: path.display().to_string(),
                reason: e.to_string(),
            },
            sources,
        )
    })
}

/// `date,symbol,side,shares,price,value,fee,rule`
pub fn trades_csv(output: &RunOutput) -> String {
    let mut s = String::from("date,symbol,side,shares,price,value,fee,rule\n");
    for t in &output.report.trades {
        s.push_str(&format!(
            "{},{},{},{},{},{},{},{}\n",
            t.date, t.symbol, t.side, t.shares, t.price, t.value, t.fee, t.rule
        ));
    }
    s
}

/// `date,equity,cash_flow,invested`
pub fn equity_csv(output: &RunOutput) -> String {
    let run = &output.backtest.run;
    let mut s = String::from("date,equity,cash_flow,invested\n");
    for i in 0..run.days.len() {
        s.push_str(&format!(
            "{},{},{},{}\n",
            crate::engine::date_of(run.days[i]),
            run.equity[i],
            run.flows[i],
            run.invested[i]
        ));
    }
    s
}
