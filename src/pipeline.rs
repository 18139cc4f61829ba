//! The steps of `rotor check` and `rotor run`, one function each, for the CLI, the REPL and
//! programs that embed rotor: read → parse → check → load data → check names → backtest.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::check::{self, Catalog, Context, Strategy};
use crate::data::{self, DataSet, LoadOptions};
use crate::diagnostic::{Error, Failure, UsageError};
use crate::script::Scripts;
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
        let new_value = parse_set(name, value, sources)?;
        set_parameter(file, name, &new_value, sources)?;
    }
    Ok(())
}

/// Parses the value of `--set NAME=VALUE` (kept in `sources` as its own snippet, so errors
/// in it can be shown).
pub fn parse_set(name: &str, value: &str, sources: &mut SourceMap) -> Result<ast::Expr, Failure> {
    let snippet = sources.add(format!("--set {name}"), None, format!("let {name} = {value}\n"));
    let (parsed, errors) = syntax::parse_file(&snippet);
    if !errors.is_empty() {
        return Err(Failure::new(errors.into_iter().map(Error::from).collect(), sources));
    }
    let new_value = parsed.statements().find_map(|s| match &s.kind {
        ast::StatementKind::Let { value, .. } => Some(value.clone()),
        _ => None,
    });
    new_value.ok_or_else(|| {
        Failure::one(
            UsageError::InvalidArgument {
                message: format!("`--set {name}={value}` is not a parameter value"),
                help: "write `--set NAME=VALUE`, such as `--set threshold=0.7`".into(),
            },
            sources,
        )
    })
}

/// Replaces the value of the `let` parameter `name` with `value`.
pub fn set_parameter(file: &mut ast::File, name: &str, value: &ast::Expr, sources: &SourceMap) -> Result<(), Failure> {
    let mut found = false;
    let mut names = Vec::new();
    for line in &mut file.lines {
        if let Some(ast::Statement {
            kind: ast::StatementKind::Let { name: n, value: v },
            ..
        }) = &mut line.statement
        {
            names.push(n.text.clone());
            if n.text == name {
                *v = value.clone();
                found = true;
            }
        }
    }
    if found {
        return Ok(());
    }
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    Err(Failure::one(
        UsageError::InvalidArgument {
            message: format!("the strategy has no parameter `{name}`"),
            help: help_for(name, "its parameters (`let` lines)", &refs, 20),
        },
        sources,
    ))
}

/// Reads and compiles the file's `use`d rhai scripts (paths relative to `base`); `None`
/// when it uses none.
pub fn load_scripts(ast: &ast::File, base: &Path, sources: &mut SourceMap) -> Result<Option<Arc<Scripts>>, Failure> {
    let files: Vec<(PathBuf, crate::source::Span)> = ast
        .statements()
        .filter_map(|s| match &s.kind {
            ast::StatementKind::Use(path) => Some((base.join(&path.value), path.span)),
            _ => None,
        })
        .collect();
    if files.is_empty() {
        return Ok(None);
    }
    match Scripts::load(sources, &files) {
        Ok(s) => Ok(Some(Arc::new(s))),
        Err(errors) => Err(Failure::new(errors.into_iter().map(Error::from).collect(), sources)),
    }
}

/// Checks a parsed file, against the data's names and the scripts' functions when given.
pub fn check(
    ast: &ast::File,
    catalog: Option<&Catalog>,
    scripts: Option<&Scripts>,
    sources: &SourceMap,
) -> Result<Strategy, Failure> {
    let ctx = Context {
        data: catalog,
        scripts: scripts.map_or(&[], |s| s.functions()),
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
///
/// With `only` (see [`names_used`]), just those histories are loaded; the others' names
/// are still known to the checker ([`catalog`]). `None` loads and validates everything.
pub fn load_data(
    lines: &[check::DataLine],
    base: &Path,
    extra: &[PathBuf],
    lenient: bool,
    only: Option<Arc<BTreeSet<String>>>,
    sources: &SourceMap,
) -> Result<LoadedData, Failure> {
    for line in lines {
        if !base.join(&line.path).exists() {
            let shown = if base.as_os_str().is_empty() {
                "the current folder".to_string()
            } else {
                format!("`{}`", base.display())
            };
            return Err(Failure::one(
                UsageError::DataNotFound {
                    path: line.path.clone(),
                    help: format!("a relative path starts at the strategy file's folder, here {shown}"),
                    span: line.span,
                },
                sources,
            ));
        }
    }
    let mut paths: Vec<(PathBuf, Option<String>)> =
        lines.iter().map(|d| (base.join(&d.path), d.alias.clone())).collect();
    paths.extend(extra.iter().map(|p| (p.clone(), None)));
    if paths.is_empty() {
        let opts = LoadOptions {
            lenient,
            symbol: None,
            only,
        };
        let data = data::bundled_with(&opts).map_err(|e| Failure::one(e, sources))?;
        return Ok(LoadedData {
            data,
            sources: data::BUNDLED_FILES.iter().map(|s| s.to_string()).collect(),
            bundled: true,
        });
    }
    let mut all = DataSet::default();
    let mut names = Vec::new();
    for (path, alias) in paths {
        let opts = LoadOptions {
            lenient,
            symbol: alias,
            only: only.clone(),
        };
        let set = data::load_path(&path, &opts).map_err(|e| Failure::one(e, sources))?;
        all.merge(set).map_err(|e| Failure::one(e, sources))?;
        names.push(path.display().to_string());
    }
    all.finish().map_err(|e| Failure::one(e, sources))?;
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

/// Every name the file mentions that could name data: symbols, series, parameters,
/// functions, `data … as` aliases. Loading just these ([`LoadOptions::only`]) loads
/// everything the strategy can read; extra names do no harm.
pub fn names_used(ast: &ast::File) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    for statement in ast.statements() {
        statement_names(&statement.kind, &mut names);
    }
    names
}

fn statement_names(kind: &ast::StatementKind, names: &mut BTreeSet<String>) {
    use ast::StatementKind as S;
    let name = |n: &ast::Name, names: &mut BTreeSet<String>| {
        names.insert(n.text.clone());
    };
    match kind {
        S::Data { alias, .. } => alias.iter().for_each(|n| name(n, names)),
        S::Benchmark(n) | S::RiskFree(n) => name(n, names),
        S::Currency { code, rate } => {
            name(code, names);
            name(rate, names);
        }
        S::Expense(items) => {
            for (n, value) in items {
                name(n, names);
                expr_names(value, names);
            }
        }
        S::Lag { series, by } => {
            name(series, names);
            expr_names(by, names);
        }
        S::Let { name: n, value } => {
            name(n, names);
            expr_names(value, names);
        }
        S::Capital(e) | S::Slippage(e) | S::Contribute { amount: e, .. } => expr_names(e, names),
        S::Fees(fees) => fees.iter().for_each(|f| expr_names(&f.amount, names)),
        S::Rule(rule) => rule_names(rule, names),
        S::Strategy(_) | S::Description(_) | S::Use(_) | S::Fill(_) | S::Shares(_) | S::Period { .. } => {}
    }
}

fn rule_names(rule: &ast::Rule, names: &mut BTreeSet<String>) {
    let amount_names = |amount: &ast::Amount, names: &mut BTreeSet<String>| match amount {
        ast::Amount::All(_) => {}
        ast::Amount::Shares(e) | ast::Amount::Value(e) => expr_names(e, names),
        ast::Amount::Fraction { share, .. } => expr_names(share, names),
    };
    match &rule.action {
        ast::Action::Buy { amount, symbol } | ast::Action::Sell { amount, symbol } => {
            names.insert(symbol.text.clone());
            if let Some(amount) = amount {
                amount_names(amount, names);
            }
        }
        ast::Action::Rebalance { targets, tolerance } => {
            for target in targets {
                if let ast::Holding::Symbol(n) = &target.holding {
                    names.insert(n.text.clone());
                }
                expr_names(&target.weight, names);
            }
            if let Some(tolerance) = tolerance {
                expr_names(tolerance, names);
            }
        }
        ast::Action::Rotate { candidates, by, .. } => {
            names.extend(candidates.iter().map(|n| n.text.clone()));
            expr_names(by, names);
        }
    }
    for guard in &rule.guards {
        expr_names(&guard.condition, names);
    }
}

fn expr_names(expr: &ast::Expr, names: &mut BTreeSet<String>) {
    use ast::ExprKind as E;
    match &expr.kind {
        E::Name(n) => {
            names.insert(n.text.clone());
        }
        E::Call { func, args } => {
            names.insert(func.text.clone());
            args.iter().for_each(|a| expr_names(a, names));
        }
        E::Money { currency, .. } => names.extend(currency.clone()),
        E::Lag { expr, .. } | E::Unary { expr, .. } | E::Group(expr) => expr_names(expr, names),
        E::Binary { lhs, rhs, .. } => {
            expr_names(lhs, names);
            expr_names(rhs, names);
        }
        E::Number(_) | E::Percent(_) | E::Duration { .. } | E::Bool(_) => {}
    }
}

/// The names in the data, for the checker: those loaded and those left out by a projection.
pub fn catalog(data: &DataSet) -> Catalog {
    Catalog {
        symbols: data.symbol_names().map(str::to_owned).collect(),
        series: data.series_names().map(str::to_owned).collect(),
        fedwatch: data.fedwatch.is_some(),
    }
}

/// What `rotor run` needs besides the file.
#[derive(Clone, Debug, Default)]
pub struct RunOptions {
    pub period: crate::engine::Period,
    pub sets: Vec<(String, String)>,
    pub data: Vec<PathBuf>,
    pub lenient: bool,
    /// Load every history in the data rather than only those the strategy names, so that
    /// every cell is validated (`rotor check`).
    pub load_all: bool,
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
    let prepared = prepare(&file, options, sources)?;
    run_checked(
        prepared.strategy,
        &prepared.data,
        prepared.scripts.as_ref(),
        options.period,
        &file.name,
        sources,
    )
}

/// A strategy file parsed, with its scripts and data loaded and checked against them.
pub struct Prepared {
    pub ast: ast::File,
    pub strategy: Strategy,
    pub data: LoadedData,
    pub scripts: Option<Arc<Scripts>>,
}

/// Parses, loads and checks a file, reporting every problem found at once: the lines that
/// parsed are still checked when others have syntax errors.
pub fn prepare(file: &SourceFile, options: &RunOptions, sources: &mut SourceMap) -> Result<Prepared, Failure> {
    let (mut ast, syntax_errors) = syntax::parse_file(file);
    let mut errors: Vec<Error> = syntax_errors.into_iter().map(Error::from).collect();
    let broken = !errors.is_empty();
    if !broken {
        apply_sets(&mut ast, &options.sets, sources)?;
    }
    // A failure after syntax errors keeps them in front.
    let fail = |f: Failure, mut errors: Vec<Error>| {
        errors.extend(f.errors);
        Failure {
            errors,
            sources: f.sources,
        }
    };
    let scripts = match load_scripts(&ast, &file.dir(), sources) {
        Ok(s) => s,
        Err(f) => return Err(fail(f, errors)),
    };
    let only = (!options.load_all).then(|| Arc::new(names_used(&ast)));
    let data = match load_data(
        &data_lines(&ast),
        &file.dir(),
        &options.data,
        options.lenient,
        only,
        sources,
    ) {
        Ok(d) => d,
        Err(f) => return Err(fail(f, errors)),
    };
    let names = catalog(&data.data);
    match check(&ast, Some(&names), scripts.as_deref(), sources) {
        Ok(strategy) if !broken => Ok(Prepared {
            ast,
            strategy,
            data,
            scripts,
        }),
        Ok(_) => Err(Failure::new(errors, sources)),
        Err(f) => {
            // With syntax errors, "no rules" may only mean the rules did not parse.
            let more = f
                .errors
                .into_iter()
                .filter(|e| !(broken && matches!(e, Error::Check(check::CheckError::NoRules { .. }))));
            errors.extend(more);
            Err(Failure::new(errors, sources))
        }
    }
}

/// Runs a checked strategy over loaded data.
pub fn run_checked(
    strategy: Strategy,
    data: &LoadedData,
    scripts: Option<&Arc<Scripts>>,
    period: crate::engine::Period,
    file_name: &str,
    sources: &SourceMap,
) -> Result<RunOutput, Failure> {
    let backtest =
        crate::engine::backtest(&strategy, &data.data, period, scripts).map_err(|e| Failure::one(e, sources))?;
    let report = crate::report::Report::build(&strategy, &backtest, data, file_name);
    Ok(RunOutput {
        strategy,
        backtest,
        report,
    })
}
