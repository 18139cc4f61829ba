//! The parallel runner: the file, its scripts and its data are read once, then every variant
//! is checked and backtested on a rayon pool against the same read-only data.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDate;
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;

use super::{Grid, Outcome, SweepError};
use crate::check::Catalog;
use crate::diagnostic::{Error, Failure, UsageError};
use crate::engine::{self, Period, Run, Shared};
use crate::pipeline::{self, LoadedData};
use crate::script::Scripts;
use crate::source::SourceMap;
use crate::suggest::help_for;
use crate::syntax::ast;

/// Grids above this size get a progress bar on a terminal; smaller ones finish too fast
/// for one to help.
const PROGRESS_FROM: usize = 20;

/// A strategy file ready to be run with many parameter values.
pub struct Sweeper {
    ast: ast::File,
    sources: SourceMap,
    scripts: Option<Arc<Scripts>>,
    data: LoadedData,
    /// The data's names, for checking each variant.
    catalog: Catalog,
    file_name: String,
}

/// The grid's values, parsed.
struct Values {
    parsed: HashMap<(String, String), ast::Expr>,
    sources: SourceMap,
}

impl Sweeper {
    /// Reads and parses the file, and loads its scripts and data (plus `extra` data paths).
    /// Only the histories the file names, or `extra_names` (the values the `--vary` axes
    /// give parameters, which may be symbols), are loaded.
    pub fn load(path: &Path, extra: &[PathBuf], lenient: bool, extra_names: &[String]) -> Result<Sweeper, Failure> {
        let mut sources = SourceMap::new();
        let file = pipeline::read(path, &mut sources)?;
        let ast = pipeline::parse(&file, &sources)?;
        let scripts = pipeline::load_scripts(&ast, &file.dir(), &mut sources)?;
        let mut names = pipeline::names_used(&ast);
        names.extend(extra_names.iter().cloned());
        let only = Some(Arc::new(names));
        let data = pipeline::load_data(&pipeline::data_lines(&ast), &file.dir(), extra, lenient, only, &sources)?;
        Ok(Sweeper {
            ast,
            sources,
            scripts,
            catalog: pipeline::catalog(&data.data),
            data,
            file_name: file.name.clone(),
        })
    }

    /// The file's name as given.
    pub fn file_name(&self) -> &str {
        &self.file_name
    }

    /// Fails when an axis names no `let` of the file, before anything runs.
    pub fn check_grid(&self, grid: &Grid) -> Result<(), Failure> {
        let names: Vec<&str> = self
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

    /// The first and last dates of the prices (of the other series when there are no
    /// prices): trades need prices, so windows outside them would test nothing.
    pub fn data_span(&self) -> Option<(NaiveDate, NaiveDate)> {
        let d = &self.data.data;
        let columns: Vec<&Vec<i64>> = if d.prices.is_empty() {
            d.series.iter().map(|s| &s.ts).collect()
        } else {
            d.prices.iter().map(|p| &p.ts).collect()
        };
        let first = columns.iter().filter_map(|ts| ts.first()).min()?;
        let last = columns.iter().filter_map(|ts| ts.last()).max()?;
        let day = |ts: i64| crate::engine::date_of(crate::engine::day_of(ts));
        Some((day(*first), day(*last)))
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

    /// Runs one variant: the file with `sets` applied, over `period`; with its `bars per year`.
    fn run_one<'s>(
        &'s self,
        values: &Values,
        shared: &Shared<'s>,
        sets: &[(String, String)],
        period: Period,
    ) -> Result<(Run, Option<f64>), Failure> {
        let sources = &values.sources;
        let mut ast = self.ast.clone();
        for (name, value) in sets {
            let expr = values
                .parsed
                .get(&(name.clone(), value.clone()))
                .expect("every value of the grid was parsed");
            pipeline::set_parameter(&mut ast, name, expr, sources)?;
        }
        let strategy = pipeline::check(&ast, Some(&self.catalog), self.scripts.as_deref(), sources)?;
        // The ranking needs the strategy's own figures only: the benchmark keeps its place in
        // the calendar, but is not run.
        let backtest = engine::backtest_shared(
            &strategy,
            &self.data.data,
            period,
            self.scripts.as_ref(),
            Some(shared),
            false,
        )
        .map_err(|e| Failure::one(e, sources))?;
        Ok((backtest.run, strategy.bars_per_year))
    }

    /// Runs the variants at `indices` of `grid` on `jobs` threads (all cores when `None`),
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
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(jobs.unwrap_or(0))
            .build()
            .map_err(|e| {
                Failure::one(
                    UsageError::InvalidArgument {
                        message: format!("cannot start {} worker threads: {e}", jobs.unwrap_or(0)),
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
        let results: Vec<Result<Outcome, Failure>> = pool.install(|| {
            indices
                .par_iter()
                .map(|&i| {
                    let sets = grid.variant(i);
                    let result = match self.run_one(&values, &shared, &sets, period) {
                        Ok((run, bars_per_year)) => Ok(Outcome::new(i, sets, &run, bars_per_year)),
                        Err(f) => Err(name_variant(i, &sets, f)),
                    };
                    bar.inc(1);
                    result
                })
                .collect()
        });
        bar.finish_and_clear();
        results.into_iter().collect()
    }
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
