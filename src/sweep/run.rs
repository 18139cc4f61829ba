//! The parallel runner: the file, its scripts and its data are read once, then every variant
//! is checked and backtested on a rayon pool against the same read-only data.

use std::collections::HashMap;
use std::path::Path;

use chrono::NaiveDate;
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;

use super::variant_warning::{Gathered, VariantWarning};
use super::{Grid, Outcome, SweepError};
use crate::access::Access;
use crate::data::{DataWarning, LoadedData};
use crate::diagnostic::{Error, Failure, UsageError};
use crate::engine::{Period, Shared, Variant};
use crate::pipeline::{self, Load, Prepared, RunOptions};
use crate::report::StrategyWarning;
use crate::source::SourceMap;
use crate::suggest::help_for;
use crate::syntax::ast;

/// Grids above this size get a progress bar on a terminal; smaller ones finish too fast
/// for one to help.
const PROGRESS_FROM: usize = 20;

/// A strategy file ready to be run with many parameter values.
pub struct Sweeper {
    prepared: Prepared,
    sources: SourceMap,
    /// The warnings of the variants run so far that the file as written does not get.
    warnings: std::sync::Mutex<Gathered>,
    /// [`Sweeper::ranking_basis`], once the file is checked.
    basis: std::sync::OnceLock<Option<String>>,
}

/// The grid's values, parsed.
struct Values {
    parsed: HashMap<(String, String), ast::Expr>,
    sources: SourceMap,
}

impl Sweeper {
    /// Reads and parses the file, and loads its scripts and data (plus the `options.data`
    /// paths, leniently with `options.lenient`, under the options' file-access policy).
    /// Only the histories the file names, or `extra_names` (the values the `--vary` axes
    /// give parameters, which may be symbols), are loaded.
    pub fn load(path: &Path, options: &pipeline::RunOptions, extra_names: &[String]) -> Result<Sweeper, Failure> {
        let mut sources = SourceMap::new();
        let file = pipeline::read(path, &mut sources)?;
        // A file that does not parse is not swept: its syntax errors alone are reported.
        let ast = pipeline::parse(&file, &sources)?;
        let options = RunOptions {
            load: Load::UsedAnd(extra_names.to_vec()),
            ..options.clone()
        };
        let prepared = pipeline::prepare_ast(ast, &file.dir(), &file.name, &options, &mut sources)?;
        prepared.access.record_path(path, "the strategy");
        Ok(Sweeper {
            prepared,
            sources,
            warnings: std::sync::Mutex::default(),
            basis: std::sync::OnceLock::new(),
        })
    }

    /// What the sweep read and may read.
    pub fn access(&self) -> &Access {
        &self.prepared.access
    }

    /// The file's name as given.
    pub fn file_name(&self) -> &str {
        &self.prepared.file_name
    }

    /// What a person should look at in the data (a near-miss column, a split-like move);
    /// the variants run all the same.
    pub fn warnings(&self) -> &[DataWarning] {
        &self.data().data.warnings
    }

    /// Fails when an axis names no `let` of the file, before anything runs.
    pub fn check_grid(&self, grid: &Grid) -> Result<(), Failure> {
        let names: Vec<&str> = self
            .prepared
            .ast
            .statements()
            .filter_map(|s| match &s.kind {
                ast::StatementKind::Let { name, .. } => Some(name.text.as_str()),
                _ => None,
            })
            .collect();
        for axis in &grid.axes {
            if !names.contains(&axis.name.as_str()) {
                return Err(Failure::one(
                    SweepError::UnknownParameter {
                        name: axis.name.clone(),
                        help: help_for(&axis.name, "its parameters (`let` lines)", &names, 20),
                    },
                    &self.sources,
                ));
            }
        }
        Ok(())
    }

    /// The first and last trading days of a run of the file as written (its `let` values)
    /// in `period` (the command line's over the file's `from`/`to`) — the span walk-forward
    /// windows split — and, in words, how they differ from the period asked for. An error
    /// when the file does not check or the period cannot be run.
    pub fn run_span(&self, period: Period) -> Result<(NaiveDate, NaiveDate, Vec<String>), Failure> {
        let program = pipeline::check(&self.prepared, &self.sources)?;
        let (from, to, facts) =
            crate::engine::run_span(&program, &self.data().data, period).map_err(|e| Failure::one(e, &self.sources))?;
        let words = facts
            .into_iter()
            .map(|f| crate::report::assumption_words(&crate::engine::Assumption::Period(f)));
        Ok((from, to, words.collect()))
    }

    /// What `rotor check` warns about the strategy as written (its `let` values, not each
    /// variant's) over `period`: forms that do nothing, a Korean listing priced as US
    /// dollars, comparisons the data settles ([`pipeline::warnings`]). Fails as
    /// [`Sweeper::run_span`] does.
    /// The variants' own warnings ([`Sweeper::variant_warnings`]) leave these out.
    pub fn strategy_warnings(&self, period: Period) -> Result<Vec<crate::report::warning::StrategyWarning>, Failure> {
        let program = pipeline::check(&self.prepared, &self.sources)?;
        let warnings = pipeline::warnings(&self.prepared, &program, period, &self.sources);
        self.gathered().said(&warnings);
        // Checked now, the file is not checked again for what the ranking is computed on.
        let _ = self.basis.set(basis_of(&program));
        Ok(warnings)
    }

    /// What `rotor check` warns about the variants run since the last call and not about
    /// the file as written ([`Sweeper::strategy_warnings`]): each distinct warning once,
    /// naming the variants that get it.
    pub fn variant_warnings(&self) -> Vec<VariantWarning> {
        self.gathered().take()
    }

    fn gathered(&self) -> std::sync::MutexGuard<'_, Gathered> {
        // Entries are added whole, so the list is consistent even if a worker panicked.
        self.warnings.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// What the ranking's figures are, when a reader could take them for others: a
    /// strategy with `currency` or a tax rule reports figures in its base currency and after
    /// tax, but a variant's run folds only the USD figures before tax (the cheap ones the
    /// ranking needs), so the sweep says so. `None` otherwise. Fails as
    /// [`Sweeper::run_span`] does.
    pub fn ranking_basis(&self) -> Result<Option<String>, Failure> {
        if let Some(basis) = self.basis.get() {
            return Ok(basis.clone());
        }
        let program = pipeline::check(&self.prepared, &self.sources)?;
        Ok(self.basis.get_or_init(|| basis_of(&program)).clone())
    }

    /// Parses every value of the grid's axes once (each variant only substitutes them), into
    /// a copy of the sources that error messages of every variant can point into.
    fn parse_values(&self, grid: &Grid, indices: &[usize]) -> Result<Values, Failure> {
        let mut sources = self.sources.clone();
        let mut parsed = HashMap::new();
        for axis in &grid.axes {
            for value in &axis.values {
                match pipeline::parse_set(&axis.name, value, &mut sources) {
                    Ok(expr) => {
                        parsed.insert((axis.name.clone(), value.clone()), expr);
                    }
                    Err(failure) => {
                        // Named after the first variant (of those to run) that uses it.
                        let first = indices
                            .iter()
                            .copied()
                            .find(|&i| grid.variant(i).iter().any(|(n, v)| n == &axis.name && v == value));
                        return Err(match first {
                            Some(i) => name_variant(i, &grid.variant(i), failure),
                            None => failure,
                        });
                    }
                }
            }
        }
        Ok(Values { parsed, sources })
    }

    /// Runs one variant: the file with `sets` applied, over `period`; with what `rotor
    /// check` warns about it.
    fn run_one<'s>(
        &'s self,
        values: &Values,
        shared: &Shared<'s>,
        sets: &[(String, String)],
        period: Period,
    ) -> Result<(Variant, Vec<StrategyWarning>), Failure> {
        let sources = &values.sources;
        let sets: Vec<(&str, &ast::Expr)> = sets
            .iter()
            .map(|(name, value)| {
                let expr = values
                    .parsed
                    .get(&(name.clone(), value.clone()))
                    .expect("every value of the grid was parsed");
                (name.as_str(), expr)
            })
            .collect();
        let strategy = pipeline::check_variant(&self.prepared, &sets, sources)?;
        let run = pipeline::run_variant(&self.prepared, &strategy, period, shared, sources)?;
        let mut warnings = pipeline::settled_warnings(&strategy, &run.settled, sources);
        warnings.extend(crate::report::warning::contributions_without_rate(
            &strategy,
            &run.counters,
            sources,
        ));
        Ok((run, warnings))
    }

    fn data(&self) -> &LoadedData {
        self.prepared
            .data
            .as_deref()
            .expect("a sweep is prepared with its data loaded")
    }

    /// Runs the variants at `indices` of `grid` on `jobs` threads (all cores when `None`;
    /// never more than the cores or the variants, see [`worker_threads`]),
    /// returned in the order of `indices`. The first failing variant, in that order, fails
    /// the sweep, so the error too does not depend on scheduling.
    pub fn run_many(
        &self,
        grid: &Grid,
        indices: &[usize],
        period: Period,
        jobs: Option<usize>,
        progress: bool,
    ) -> Result<Vec<Outcome>, Failure> {
        let threads = worker_threads(jobs, indices.len());
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .map_err(|e| {
                Failure::one(
                    UsageError::InvalidArgument {
                        message: format!("cannot start {threads} worker threads: {e}"),
                        help: "use fewer, such as `--jobs 2`".into(),
                    },
                    &self.sources,
                )
            })?;
        let bar = if progress && indices.len() > PROGRESS_FROM {
            let bar = ProgressBar::new(indices.len() as u64);
            if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} variants, {eta} left") {
                bar.set_style(style);
            }
            bar
        } else {
            ProgressBar::hidden()
        };
        let values = self.parse_values(grid, indices)?;
        // Frames and data columns the variants share.
        let shared = Shared::default();
        let results: Vec<Result<(Outcome, Vec<StrategyWarning>), Failure>> = pool.install(|| {
            indices
                .par_iter()
                .map(|&i| {
                    let sets = grid.variant(i);
                    let result = match self.run_one(&values, &shared, &sets, period) {
                        Ok((run, warnings)) => Ok((Outcome::new(i, sets, &run), warnings)),
                        Err(f) => Err(name_variant(i, &sets, f)),
                    };
                    bar.inc(1);
                    result
                })
                .collect()
        });
        bar.finish_and_clear();
        let results: Vec<(Outcome, Vec<StrategyWarning>)> = results.into_iter().collect::<Result<_, _>>()?;
        let mut gathered = self.gathered();
        Ok(results
            .into_iter()
            .map(|(outcome, warnings)| {
                if !warnings.is_empty() {
                    gathered.add(outcome.index, outcome.label(), warnings);
                }
                outcome
            })
            .collect())
    }
}

/// [`Sweeper::ranking_basis`] of a checked program.
fn basis_of(program: &crate::check::Program) -> Option<String> {
    let base = program.currency.as_ref().map(|c| c.code.as_str());
    let taxed = program.money.tax.is_some();
    let what = match (base, taxed) {
        (None, false) => return None,
        (Some(code), true) => format!(
            "in USD before the tax due at the end (tax paid or withheld during the run is taken), not in {code} \
             or after tax"
        ),
        (Some(code), false) => format!("in USD, not in {code}"),
        (None, true) => "before the tax due at the end (tax paid or withheld during the run is taken)".to_string(),
    };
    Some(format!(
        "the variants are ranked on their figures {what} (a variant's run computes only these); \
         `rotor run` the chosen variant for its figures in the strategy's currency and after tax"
    ))
}

/// Wraps a variant's failure so the user learns which values caused it.
fn name_variant(index: usize, sets: &[(String, String)], inner: Failure) -> Failure {
    let params: Vec<String> = sets.iter().map(|(n, v)| format!("{n}={v}")).collect();
    let mut errors: Vec<Error> = vec![
        SweepError::VariantFailed {
            index,
            params: params.join(" "),
        }
        .into(),
    ];
    errors.extend(inner.errors);
    Failure {
        errors,
        sources: inner.sources,
    }
}

/// The cores this process may run on (1 when the system does not say).
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// How many worker threads run `variants` variants when `--jobs` asked for `jobs` (`None`
/// or 0: one per core): never more than the cores, since a variant keeps its thread busy
/// and more threads only take turns, nor than the variants, since a thread without one
/// only costs its start (`--jobs 100000` started 100,000 threads for 3 variants). At least 1.
pub fn worker_threads(jobs: Option<usize>, variants: usize) -> usize {
    let cores = cores();
    jobs.filter(|&n| n > 0).unwrap_or(cores).min(cores).min(variants).max(1)
}
