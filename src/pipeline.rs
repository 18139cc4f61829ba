//! The steps of `rotor check` and `rotor run`, one function each, for the CLI, the REPL and
//! programs that embed rotor: read → parse → check → load data → check names → backtest.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::check::{self, Catalog, Context, Strategy};
use crate::data::{self, DataSet, LoadOptions};
use crate::diagnostic::{Error, Failure, UsageError};
use crate::source::{SourceFile, SourceMap};
use crate::suggest::help_for;
use crate::syntax::{self, ast};

/// Reads a strategy file into the source map. Bytes that are not UTF-8 are kept (as
/// U+FFFD) so the parser can point at them.
pub fn read(path: &Path, sources: &mut SourceMap) -> Result<Arc<SourceFile>, Failure> {
    let bytes = std::fs::read(path).map_err(|e| {
        Failure::one(
            UsageError::Read {
                path: path.display().to_string(),
                reason: e.to_string(),
            },
            sources,
        )
    })?;
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    };
    Ok(sources.add(path.display().to_string(), Some(path.to_path_buf()), text))
}

/// Parses a source; any syntax error fails the whole file.
pub fn parse(file: &SourceFile, sources: &SourceMap) -> Result<ast::File, Failure> {
    let (ast, errors) = syntax::parse_file(file);
    if errors.is_empty() {
        Ok(ast)
    } else {
        Err(Failure::new(errors.into_iter().map(Error::from).collect(), sources))
    }
}

/// Replaces the values of `let` parameters, as `--set NAME=VALUE` does.
pub fn apply_sets(file: &mut ast::File, sets: &[(String, String)], sources: &mut SourceMap) -> Result<(), Failure> {
    for (name, value) in sets {
        let snippet = sources.add(format!("--set {name}"), None, format!("let {name} = {value}\n"));
        let (parsed, errors) = syntax::parse_file(&snippet);
        if !errors.is_empty() {
            return Err(Failure::new(errors.into_iter().map(Error::from).collect(), sources));
        }
        let new_value = parsed.statements().find_map(|s| match &s.kind {
            ast::StatementKind::Let { value, .. } => Some(value.clone()),
            _ => None,
        });
        let Some(new_value) = new_value else {
            return Err(Failure::one(
                UsageError::InvalidArgument {
                    message: format!("`--set {name}={value}` is not a parameter value"),
                    help: "write `--set NAME=VALUE`, such as `--set threshold=0.7`".into(),
                },
                sources,
            ));
        };
        let mut found = false;
        let mut names = Vec::new();
        for line in &mut file.lines {
            if let Some(ast::Statement {
                kind: ast::StatementKind::Let { name: n, value: v },
                ..
            }) = &mut line.statement
            {
                names.push(n.text.clone());
                if n.text == *name {
                    *v = new_value.clone();
                    found = true;
                }
            }
        }
        if !found {
            let refs: Vec<&str> = names.iter().map(String::as_str).collect();
            return Err(Failure::one(
                UsageError::InvalidArgument {
                    message: format!("the strategy has no parameter `{name}`"),
                    help: help_for(name, "its parameters (`let` lines)", &refs, 20),
                },
                sources,
            ));
        }
    }
    Ok(())
}

/// Checks a parsed file, against the data's names when given.
pub fn check(ast: &ast::File, catalog: Option<&Catalog>, sources: &SourceMap) -> Result<Strategy, Failure> {
    let ctx = Context {
        data: catalog,
        scripts: &[],
    };
    check::check(ast, ctx).map_err(|errors| Failure::new(errors.into_iter().map(Error::from).collect(), sources))
}

/// Data loaded for a run, and where it came from.
#[derive(Debug)]
pub struct LoadedData {
    pub data: DataSet,
    /// Files or folders, as the strategy or the command line named them.
    pub sources: Vec<String>,
    /// True when the bundled synthetic sample data was used.
    pub bundled: bool,
}

/// Loads the strategy's `data` lines (relative to `base`), plus `extra` paths from the
/// command line; with neither, the bundled sample data.
pub fn load_data(
    lines: &[check::DataLine],
    base: &Path,
    extra: &[PathBuf],
    lenient: bool,
    sources: &SourceMap,
) -> Result<LoadedData, Failure> {
    let mut paths: Vec<(PathBuf, Option<String>)> =
        lines.iter().map(|d| (base.join(&d.path), d.alias.clone())).collect();
    paths.extend(extra.iter().map(|p| (p.clone(), None)));
    if paths.is_empty() {
        let data = data::bundled().map_err(|e| Failure::one(e, sources))?;
        return Ok(LoadedData {
            data,
            sources: data::BUNDLED_FILES.iter().map(|s| s.to_string()).collect(),
            bundled: true,
        });
    }
    let mut all = DataSet::default();
    let mut names = Vec::new();
    for (path, alias) in paths {
        let opts = LoadOptions { lenient, symbol: alias };
        let set = data::load_path(&path, &opts).map_err(|e| Failure::one(e, sources))?;
        all.merge(set).map_err(|e| Failure::one(e, sources))?;
        names.push(path.display().to_string());
    }
    Ok(LoadedData {
        data: all,
        sources: names,
        bundled: false,
    })
}

/// The `data` lines of a file, before it is checked (the checker needs the data's names).
pub fn data_lines(ast: &ast::File) -> Vec<check::DataLine> {
    ast.statements()
        .filter_map(|s| match &s.kind {
            ast::StatementKind::Data { path, alias } => Some(check::DataLine {
                path: path.value.clone(),
                alias: alias.as_ref().map(|a| a.text.clone()),
                span: path.span,
            }),
            _ => None,
        })
        .collect()
}

/// The names in the data, for the checker.
pub fn catalog(data: &DataSet) -> Catalog {
    Catalog {
        symbols: data.prices.iter().map(|p| p.symbol.clone()).collect(),
        series: data.series.iter().map(|s| s.name.clone()).collect(),
    }
}

/// What `rotor run` needs besides the file.
#[derive(Clone, Debug, Default)]
pub struct RunOptions {
    pub period: crate::engine::Period,
    pub sets: Vec<(String, String)>,
    pub data: Vec<PathBuf>,
    pub lenient: bool,
}

/// A finished run: the report and the raw record behind it.
#[derive(Debug)]
pub struct RunOutput {
    pub strategy: Strategy,
    pub backtest: crate::engine::Backtest,
    pub report: crate::report::Report,
}

/// Reads, checks and runs a strategy file: `rotor run` as a function.
pub fn run_file(path: &Path, options: &RunOptions, sources: &mut SourceMap) -> Result<RunOutput, Failure> {
    let file = read(path, sources)?;
    let mut ast = parse(&file, sources)?;
    apply_sets(&mut ast, &options.sets, sources)?;
    let data = load_data(&data_lines(&ast), &file.dir(), &options.data, options.lenient, sources)?;
    let catalog = catalog(&data.data);
    let strategy = check(&ast, Some(&catalog), sources)?;
    run_checked(strategy, &data, options.period, &file.name, sources)
}

/// Runs a checked strategy over loaded data.
pub fn run_checked(
    strategy: Strategy,
    data: &LoadedData,
    period: crate::engine::Period,
    file_name: &str,
    sources: &SourceMap,
) -> Result<RunOutput, Failure> {
    let backtest = crate::engine::backtest(&strategy, &data.data, period).map_err(|e| Failure::one(e, sources))?;
    let report = crate::report::Report::build(&strategy, &backtest, data, file_name);
    Ok(RunOutput {
        strategy,
        backtest,
        report,
    })
}
