//! `rotor fedwatch --futures FILE`: the probabilities of each FOMC meeting's outcomes from
//! 30-day fed funds futures, the way CME's FedWatch computes them (docs/FEDWATCH.md).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::Args;

use super::inputs::parse_date;
use crate::access::{Access, Denied, Kind};
use crate::data::DataError;
use crate::diagnostic::{Failure, UsageError};
use crate::fedwatch::TargetRange;
use crate::fedwatch::outlook::{self, Request};
use crate::source::SourceMap;

#[derive(Debug, Args)]
pub struct FedWatchArgs {
    /// Fed funds futures prices: a curve (`contract_symbol,contract_month,contract_year,
    /// close_price,as_of_date`), a history (`date,contract,price`) or Barchart's contract
    /// list (`"Exp Date",Symbol,…,Last,…,Time`, one day's latest prices).
    #[arg(long, value_name = "FILE")]
    pub futures: PathBuf,
    /// Use the latest prices on or before this day (YYYY-MM-DD); default: the file's last
    /// day. Barchart's contract list holds one day only: an earlier day is an error.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub as_of: Option<NaiveDate>,
    /// The target range in force, in percent (`3.50-3.75`); default: rotor's history.
    #[arg(long, value_name = "LOW-HIGH", value_parser = parse_target)]
    pub target: Option<TargetRange>,
    /// A calendar file adding or replacing FOMC meetings and decisions (docs/FEDWATCH.md).
    #[arg(long, value_name = "FILE")]
    pub meetings: Option<PathBuf>,
    /// Print one JSON object instead of the table.
    #[arg(long)]
    pub json: bool,
}

/// `--target`: a 25 bp range on the quarter-point grid, as the FOMC has set since 2008 and
/// as FedWatch's bands are; a single target or another width would give bands that overlap.
fn parse_target(s: &str) -> Result<TargetRange, String> {
    let range = TargetRange::parse_percent(s)
        .ok_or_else(|| format!("`{s}` is not a target range; write it in percent, such as 3.50-3.75"))?;
    if range.high_bp - range.low_bp != 25 || range.low_bp % 25 != 0 {
        return Err(format!(
            "`{s}` is not a 25 bp range on the quarter-point grid (the FOMC's ranges since 2008, and FedWatch's \
             bands); write one such as 3.50-3.75"
        ));
    }
    Ok(range)
}

pub fn run(args: &FedWatchArgs) -> Result<ExitCode, Failure> {
    let sources = SourceMap::new();
    // The files named here are read as data files are: regular files (no `/dev/zero` or
    // pipe to hang on), within the data size limit, and text.
    let access = Access::new(Path::new(""))
        .allowing([&args.futures])
        .allowing(&args.meetings);
    let read = |path: &Path| {
        let cannot = |reason: String| {
            Failure::one(
                UsageError::Read {
                    path: path.display().to_string(),
                    reason,
                },
                &sources,
            )
        };
        match access.read(path, Kind::Data) {
            Ok(bytes) => String::from_utf8(bytes.into_vec()).map_err(|_| cannot("it is not UTF-8 text".into())),
            Err(Denied::Io(e)) => Err(cannot(e.to_string())),
            Err(Denied::Refused(e)) => Err(Failure::one(e, &sources)),
        }
    };
    let futures_name = args.futures.display().to_string();
    let futures_text = read(&args.futures)?;
    let meetings = match &args.meetings {
        Some(path) => Some((path.display().to_string(), read(path)?)),
        None => None,
    };
    let request = Request {
        futures: (&futures_name, &futures_text),
        as_of: args.as_of,
        target: args.target,
        meetings: meetings.as_ref().map(|(n, t)| (n.as_str(), t.as_str())),
    };
    let outlook = outlook::compute(&request).map_err(|e| Failure::one(DataError::from(e), &sources))?;
    for note in outlook.notes() {
        errln!("note: {note}");
    }
    if args.json {
        outln!("{}", outlook.to_json());
    } else {
        outln!(
            "FedWatch from fed funds futures, {} ({})\n",
            outlook.as_of,
            futures_name
        );
        out!("{}", outlook.to_table());
    }
    Ok(ExitCode::SUCCESS)
}
