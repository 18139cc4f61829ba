//! `rotor sweep FILE --vary NAME=VALUES …`

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::Args;

use crate::access::{FileId, ReadFile};
use crate::diagnostic::{Failure, UsageError};
use crate::engine::Period;
use crate::source::SourceMap;
use crate::sweep::{self, Grid, Metric, Shard, Span, SweepError, SweepReport, Sweeper};

#[derive(Debug, Args)]
pub struct SweepArgs {
    /// The strategy file (*.rotor).
    pub file: PathBuf,
    /// Vary a parameter: `window=20:250:10` (inclusive range) or `sym=IWM,IWO,SPY` (list).
    #[arg(long = "vary", value_name = "NAME=VALUES")]
    pub vary: Vec<String>,
    /// The figure variants are ranked by (best first).
    #[arg(long, value_enum, default_value_t = Metric::Sharpe)]
    pub metric: Metric,
    /// Worker threads (default: all cores).
    #[arg(long, value_name = "N")]
    pub jobs: Option<usize>,
    /// Print one JSON object instead of the table.
    #[arg(long)]
    pub json: bool,
    /// Write every variant to this CSV file.
    #[arg(long, value_name = "FILE.csv")]
    pub csv: Option<PathBuf>,
    /// Write the ranking and a heatmap of the metric over the first two varied parameters
    /// as one self-contained HTML page (docs/REPORT.md).
    #[arg(long, value_name = "FILE.html", conflicts_with_all = ["train", "walk_forward"])]
    pub report: Option<PathBuf>,
    /// Start of the period (YYYY-MM-DD); overrides the file's `from` (with `--walk-forward`,
    /// of the span split into windows).
    #[arg(long, value_parser = super::inputs::parse_date, conflicts_with = "train")]
    pub from: Option<NaiveDate>,
    /// End of the period (YYYY-MM-DD); overrides the file's `to`.
    #[arg(long, value_parser = super::inputs::parse_date, conflicts_with = "train")]
    pub to: Option<NaiveDate>,
    /// Pick the best variant on this period (FROM..TO) …
    #[arg(long, value_name = "FROM..TO", requires = "test")]
    pub train: Option<String>,
    /// … and report it on this one (FROM..TO).
    #[arg(long, value_name = "FROM..TO", requires = "train")]
    pub test: Option<String>,
    /// Split the period (the file's `from`/`to`, or `--from`/`--to`, within the data) into N
    /// windows; pick on each, test on the next.
    #[arg(long, value_name = "N", conflicts_with_all = ["train", "test"])]
    pub walk_forward: Option<usize>,
    /// Run only shard K of N (1-based): variants with index % N == K-1.
    #[arg(long, value_name = "K/N", conflicts_with_all = ["train", "test", "walk_forward"])]
    pub shard: Option<String>,
    /// Merge the JSON files of shards into the full table (runs nothing; FILE is not read).
    #[arg(long, value_name = "FILE.json", num_args = 1.., conflicts_with_all = ["vary", "shard", "train", "test", "walk_forward"])]
    pub merge: Vec<PathBuf>,
    #[command(flatten)]
    pub inputs: super::inputs::InputArgs,
}

pub fn run(args: &SweepArgs) -> Result<ExitCode, Failure> {
    if !args.merge.is_empty() {
        return merge(args);
    }
    let grid = Grid::parse(&args.vary).map_err(fail)?;
    if let Some(jobs) = args.jobs
        && jobs > sweep::cores()
    {
        // A variant keeps its thread busy: more threads than cores only take turns.
        let cores = sweep::cores();
        errln!(
            "note: --jobs {jobs} is more than the {} rotor may use here: {} run",
            crate::display::count(cores, "core"),
            crate::display::count(cores, "worker thread")
        );
    }
    let shard = args.shard.as_deref().map(Shard::parse).transpose().map_err(fail)?;
    let train = args.train.as_deref().map(Span::parse).transpose().map_err(fail)?;
    let test = args.test.as_deref().map(Span::parse).transpose().map_err(fail)?;
    // An axis may vary a symbol (`--vary asset=IWO,IWN`): those must be loaded too.
    // A symbol that is not a plain name is written in backticks (`--vary sym=AAA,`360750``):
    // its data is under the name inside them.
    let axis_values: Vec<String> = (grid.axes.iter())
        .flat_map(|a| a.values.iter().map(|v| v.trim_matches('`').to_owned()))
        .collect();
    let options = args.inputs.options();
    let sweeper = Sweeper::load(&args.file, &options, &axis_values)?;
    guard_csv(args, &sweeper.access().files_read())?;
    super::report_warnings(sweeper.warnings());
    sweeper.check_grid(&grid)?;
    // What `rotor check` would say of the file as written, as a run says it.
    super::report_warnings(&sweeper.strategy_warnings(Period {
        from: args.from,
        to: args.to,
    })?);
    let sweep = Sweep {
        args,
        options,
        parameters: grid.axes.iter().map(|a| a.name.clone()).collect(),
        file: sweeper.file_name().to_string(),
        progress: std::io::stderr().is_terminal(),
        sweeper,
        grid,
    };
    if let (Some(train), Some(test)) = (train, test) {
        return sweep.train_test(train, test);
    }
    if let Some(n) = args.walk_forward {
        return sweep.walk_forward(n);
    }
    sweep.ranking(shard)
}

fn fail(e: SweepError) -> Failure {
    Failure::one(e, &SourceMap::new())
}

/// `--merge FILE.json…`: the shards' tables as one, when they are shards of one sweep
/// (their fingerprints agree); never written over a shard.
fn merge(args: &SweepArgs) -> Result<ExitCode, Failure> {
    let inputs: Vec<ReadFile> = args
        .merge
        .iter()
        .filter_map(|p| {
            Some(ReadFile {
                path: p.clone(),
                id: FileId::of(p)?,
                what: "a shard file",
            })
        })
        .collect();
    guard_csv(args, &inputs)?;
    let shards = args
        .merge
        .iter()
        .map(|p| SweepReport::read(p))
        .collect::<Result<Vec<_>, _>>()
        .map_err(fail)?;
    let prints: Vec<(&Path, Option<&sweep::Fingerprint>)> = args
        .merge
        .iter()
        .zip(&shards)
        .map(|(path, shard)| (path.as_path(), shard.fingerprint.as_ref()))
        .collect();
    sweep::check_same(&prints).map_err(fail)?;
    let merged = SweepReport::merge(shards, args.metric).map_err(fail)?;
    print_report(args, &merged)
}

/// A sweep ready to run: the file loaded, the grid checked against it.
struct Sweep<'a> {
    args: &'a SweepArgs,
    /// What the sweep was loaded with: its fingerprint names the options that change results.
    options: crate::pipeline::RunOptions,
    sweeper: Sweeper,
    grid: Grid,
    parameters: Vec<String>,
    file: String,
    progress: bool,
}

impl Sweep<'_> {
    /// `--train FROM..TO --test FROM..TO`: the best variant on one period, reported on the other.
    fn train_test(&self, train: Span, test: Span) -> Result<ExitCode, Failure> {
        let args = self.args;
        if let Some(note) = self.sweeper.ranking_basis()? {
            errln!("note: {note}");
        }
        let fold = sweep::fold(
            &self.sweeper,
            &self.grid,
            args.metric,
            train,
            test,
            args.jobs,
            self.progress,
        )?;
        super::report_warnings(&self.sweeper.variant_warnings());
        if let Some(path) = &args.csv {
            let ranking = SweepReport {
                schema_version: sweep::SCHEMA_VERSION,
                file: self.file.clone(),
                metric: args.metric,
                grid_size: self.grid.len(),
                parameters: self.parameters.clone(),
                shard: None,
                variants: fold.ranking.clone(),
                fingerprint: None,
                notes: self.sweeper.ranking_basis()?.into_iter().collect(),
            };
            write(path, &ranking.csv())?;
        }
        if args.json {
            let v = serde_json::json!({
                "schema_version": sweep::SCHEMA_VERSION,
                "file": self.file,
                "metric": args.metric,
                "grid_size": self.grid.len(),
                "parameters": self.parameters,
                "train": fold.train,
                "test": fold.test,
                "in_sample": fold.in_sample,
                "out_of_sample": fold.out_of_sample,
                "ranking": fold.ranking,
            });
            outln!("{}", crate::report::zero::json(&v).expect("the fold serialises"));
        } else {
            out!(
                "{}",
                sweep::render_fold(&self.file, args.metric, &self.parameters, &fold)
            );
        }
        Ok(ExitCode::SUCCESS)
    }

    /// `--walk-forward N`: pick on each window, test on the next.
    fn walk_forward(&self, n: usize) -> Result<ExitCode, Failure> {
        let args = self.args;
        if let Some(note) = self.sweeper.ranking_basis()? {
            errln!("note: {note}");
        }
        // The run's own span: the file's `from`/`to` under the flags, within the data.
        let period = Period {
            from: args.from,
            to: args.to,
        };
        let (from, to, notes) = self.sweeper.run_span(period)?;
        for note in notes {
            errln!("note: {note}");
        }
        let span = Span { from, to };
        let folds = sweep::walk_forward(
            &self.sweeper,
            &self.grid,
            args.metric,
            span,
            n,
            args.jobs,
            self.progress,
        )?;
        super::report_warnings(&self.sweeper.variant_warnings());
        let mean = sweep::mean_out_of_sample(&folds, args.metric);
        if let Some(path) = &args.csv {
            write(path, &sweep::walk_forward_csv(args.metric, &folds))?;
        }
        if args.json {
            // Each step says whether its training window picked the variant it tests (a
            // stand-in otherwise); the mean names the steps it is the mean of, and the notes
            // are the text's, so a null or a stand-in figure is never left unexplained.
            let windows: Vec<serde_json::Value> = (folds.iter())
                .map(|f| {
                    let mut w = serde_json::to_value(f).expect("a fold serialises");
                    w["picked"] = serde_json::Value::Bool(f.picked(args.metric));
                    w
                })
                .collect();
            let in_mean: Vec<usize> = (folds.iter().enumerate())
                .filter(|(_, f)| f.picked(args.metric) && !args.metric.of(&f.out_of_sample).is_nan())
                .map(|(i, _)| i + 1)
                .collect();
            let v = serde_json::json!({
                "schema_version": sweep::SCHEMA_VERSION,
                "file": self.file,
                "metric": args.metric,
                "grid_size": self.grid.len(),
                "parameters": self.parameters,
                "windows": windows,
                "mean_out_of_sample": if mean.is_nan() { None } else { Some(mean) },
                "mean_of_steps": in_mean,
                "notes": sweep::walk_forward_notes(args.metric, &folds),
            });
            outln!("{}", crate::report::zero::json(&v).expect("the folds serialise"));
        } else {
            out!("{}", sweep::render_walk_forward(&self.file, args.metric, &folds, mean));
        }
        Ok(ExitCode::SUCCESS)
    }

    /// Every variant (of the shard, with `--shard`), ranked.
    fn ranking(self, shard: Option<Shard>) -> Result<ExitCode, Failure> {
        let args = self.args;
        let indices: Vec<usize> = match shard {
            Some(s) => s.indices(self.grid.len()),
            None => (0..self.grid.len()).collect(),
        };
        if let (Some(s), true) = (shard, indices.is_empty()) {
            return Err(fail(SweepError::EmptyShard {
                shard: s.to_string(),
                size: self.grid.len(),
            }));
        }
        let period = Period {
            from: args.from,
            to: args.to,
        };
        // How the period differs from the one asked for, as a run's "Assumed" says it.
        for note in self.sweeper.run_span(period)?.2 {
            errln!("note: {note}");
        }
        let mut variants = self
            .sweeper
            .run_many(&self.grid, &indices, period, args.jobs, self.progress)?;
        super::report_warnings(&self.sweeper.variant_warnings());
        args.metric.sort(&mut variants);
        // The JSON is what `--merge` reads: it says what the sweep ran with.
        let fingerprint = if args.json {
            let files = self.sweeper.access().files_read();
            let print = sweep::Fingerprint::new(&files, &self.grid, period, &self.options).map_err(|e| {
                Failure::one(
                    UsageError::Read {
                        path: "the sweep's inputs, to fingerprint them".into(),
                        reason: e.to_string(),
                    },
                    &SourceMap::new(),
                )
            })?;
            Some(print)
        } else {
            None
        };
        let report = SweepReport {
            schema_version: sweep::SCHEMA_VERSION,
            file: self.file,
            metric: args.metric,
            grid_size: self.grid.len(),
            parameters: self.parameters,
            shard: shard.map(|s| s.to_string()),
            variants,
            fingerprint,
            notes: self.sweeper.ranking_basis()?.into_iter().collect(),
        };
        print_report(args, &report)
    }
}

fn print_report(args: &SweepArgs, report: &SweepReport) -> Result<ExitCode, Failure> {
    if let Some(path) = &args.csv {
        write(path, &report.csv())?;
    }
    if let Some(path) = &args.report {
        write(path, &crate::report::html::sweep(report))?;
    }
    if args.json {
        outln!("{}", crate::report::zero::json(report).expect("the sweep serialises"));
    } else {
        out!("{}", report.render());
    }
    Ok(ExitCode::SUCCESS)
}

/// Refuses a `--csv` or `--report` file that is one of the sweep's inputs (or both one file).
fn guard_csv(args: &SweepArgs, inputs: &[ReadFile]) -> Result<(), Failure> {
    let outputs: Vec<(&str, &Path)> = [("--csv", &args.csv), ("--report", &args.report)]
        .into_iter()
        .filter_map(|(option, path)| Some((option, path.as_deref()?)))
        .collect();
    crate::output::guard(&outputs, inputs).map_err(|e| Failure::one(e, &SourceMap::new()))
}

fn write(path: &Path, text: &str) -> Result<(), Failure> {
    crate::output::replace(path, text.as_bytes()).map_err(|e| {
        Failure::one(
            UsageError::Write {
                path: path.display().to_string(),
                reason: e.to_string(),
            },
            &SourceMap::new(),
        )
    })
}
