//! The driver: every command goes through the same three steps, [`prepare`] (parse, apply
//! `--set`s, compile scripts, load data) → [`check()`] (a resolved program) → [`run`] (the
//! backtest and its report). The CLI, sweeps, the REPL, the tests and programs that embed
//! rotor all call these; the functions before them are their parts.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::access::{self, Access};
use crate::check::{self, Catalog, Context, Program};
use crate::data::{self, DataError, DataSet, LoadOptions, LoadedData};
use crate::diagnostic::{Error, Failure, UsageError};
use crate::report::StrategyWarning;
use crate::script::Scripts;
use crate::source::{SourceFile, SourceMap};
use crate::suggest::help_for;
use crate::syntax::{self, SyntaxError, ast};

/// Reads a strategy file into the source map: a regular file of at most
/// [`access::MAX_STRATEGY_BYTES`]. Bytes that are not UTF-8 are kept (as U+FFFD) so the
/// parser can point at them.
pub fn read(path: &Path, sources: &mut SourceMap) -> Result<Arc<SourceFile>, Failure> {
    let bytes = access::read_strategy(path).map_err(|e| Failure::new(vec![e], sources))?;
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
/// A parameter set twice is an error rather than the last value silently winning.
pub fn apply_sets(file: &mut ast::File, sets: &[(String, String)], sources: &mut SourceMap) -> Result<(), Failure> {
    for (i, (name, value)) in sets.iter().enumerate() {
        if let Some((_, first)) = sets[..i].iter().find(|(n, _)| n == name) {
            return Err(Failure::one(
                UsageError::InvalidArgument {
                    message: format!("`--set {name}` is given twice: `{first}`, then `{value}`"),
                    help: format!(
                        "give `{name}` one `--set`; to try several values, use `rotor sweep --vary {name}={first},{value}`"
                    ),
                },
                sources,
            ));
        }
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
    // A value that goes on to more lines would bring statements of its own, which a
    // parameter's value cannot hold: they are refused, not dropped.
    if parsed.statements().count() > 1 {
        return Err(Failure::one(
            UsageError::InvalidArgument {
                message: format!(
                    "`--set {name}` holds more than one line: `{}`",
                    crate::display::escape_line(value)
                ),
                help: format!(
                    "give one value per `--set`, such as `--set {name}=0.7`; other settings belong in the strategy file"
                ),
            },
            sources,
        ));
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

/// Reads (through `access`: paths relative to the strategy's folder, and only what it may
/// read) and compiles the file's `use`d rhai scripts; `None` when it uses none.
fn load_scripts(ast: &ast::File, access: &Access, sources: &mut SourceMap) -> Result<Option<Scripts>, Failure> {
    let uses: Vec<(&str, crate::source::Span)> = ast
        .statements()
        .filter_map(|s| match &s.kind {
            ast::StatementKind::Use(path) => Some((path.value.as_str(), path.span)),
            _ => None,
        })
        .collect();
    if uses.is_empty() {
        return Ok(None);
    }
    let (files, mut errors) = access::read_scripts(&uses, access, sources);
    match Scripts::compile(files, crate::script::Limits::default()) {
        Ok(s) if errors.is_empty() => Ok(Some(s)),
        Ok(_) => Err(Failure::new(errors, sources)),
        Err(more) => {
            errors.extend(more.into_iter().map(Error::from));
            Err(Failure::new(errors, sources))
        }
    }
}

/// Loads the strategy's `data` and `fomc` lines (relative to its folder), plus `extra`
/// paths from the command line, every file through `access`; with neither `data` lines nor
/// `extra`, the bundled sample data (and any `fomc` files).
///
/// With `only` (see [`ast::File::names`]), just those histories are loaded, and of their
/// prices only the columns the names can read ([`data::Unread`]); the others' names are
/// still known to the checker ([`catalog`]). `None` loads and validates everything.
/// The same file or folder named twice (two `data` lines, a `data` line and `--data`, or
/// `--data` twice): an error saying so, where loading it twice would report each of its
/// names "loaded twice, from X and from X" with the help to rename one. `paths` are the
/// `data` lines' (the first `lines` of them), then `--data`'s.
fn same_path_twice(
    paths: &[(PathBuf, LoadOptions, Option<crate::source::Span>)],
    lines: usize,
    sources: &SourceMap,
) -> Result<(), Failure> {
    // Read alike: the same names from it (an `as`, `as series`, a calendar or dividend
    // line reads it another way, and may on purpose).
    let key = |(p, o, _): &(PathBuf, LoadOptions, Option<crate::source::Span>)| {
        let alike = o.symbol.is_none() && !o.series && !o.calendar && o.dividends_for.is_none();
        alike.then(|| p.canonicalize().unwrap_or_else(|_| p.to_path_buf()))
    };
    let keys: Vec<Option<PathBuf>> = paths.iter().map(key).collect();
    for (j, k) in keys.iter().enumerate() {
        let Some(k) = k else { continue };
        if let Some(i) = keys[..j].iter().position(|other| other.as_ref() == Some(k)) {
            // Two `data` lines: shown on both.
            if let (Some(first), Some(span)) = (paths[i].2, paths[j].2) {
                let path = paths[j].0.display().to_string();
                return Err(Failure::one(
                    check::CheckError::DuplicateData { path, span, first },
                    sources,
                ));
            }
            let path = paths[j].0.display();
            let message = if i >= lines {
                format!("`{path}` is given to `--data` twice")
            } else {
                format!("`{path}` is named twice, by a `data` line and by `--data`")
            };
            return Err(Failure::one(
                UsageError::InvalidArgument {
                    message,
                    help: "name each file or folder once; `--data` adds to the strategy's own `data` lines".into(),
                },
                sources,
            ));
        }
    }
    Ok(())
}

pub fn load_data(
    lines: &[check::DataLine],
    access: &Access,
    extra: &[PathBuf],
    lenient: bool,
    only: Option<Arc<BTreeSet<String>>>,
    sources: &SourceMap,
) -> Result<LoadedData, Failure> {
    for line in lines {
        let path = access.join(Path::new(&line.path));
        if !path.exists() {
            // A path outside the folder is refused as such whether or not it exists
            // (`Access::resolve`): which error came must not tell what is there.
            if let Err(access::Denied::Refused(refused)) = access.resolve(&path) {
                return Err(Failure::one(refused.at(line.span), sources));
            }
            let base = access.base();
            let shown = if base.as_os_str().is_empty() {
                "the current folder".to_string()
            } else {
                format!("`{}`", base.display())
            };
            return Err(Failure::one(
                DataError::NotFound {
                    path: line.path.clone(),
                    help: format!("a relative path starts at the strategy file's folder, here {shown}"),
                    span: line.span,
                },
                sources,
            ));
        }
    }
    // Each path with how to load it, and where the strategy names it (refusals point
    // there); the command line's paths are plain data.
    // A strategy that names only some histories reads only some of their columns too; but
    // a lenient load keeps every column, so that the bars it drops as impossible (a high
    // below the low, a negative volume) are the same whatever the strategy reads.
    let unread = match only.as_deref() {
        Some(names) if !lenient => data::Unread::of_names(names.iter().map(String::as_str)),
        _ => data::Unread::default(),
    };
    let plain = LoadOptions {
        lenient,
        only: only.clone(),
        unread,
        ..LoadOptions::default()
    };
    let mut paths: Vec<(PathBuf, LoadOptions, Option<crate::source::Span>)> = (lines.iter())
        .map(|d| {
            let opts = LoadOptions {
                symbol: d.alias.clone(),
                dates: d.dates,
                calendar: d.calendar,
                dividends_for: d.dividends_for.clone(),
                series: d.series,
                ..plain.clone()
            };
            (access.join(Path::new(&d.path)), opts, Some(d.span))
        })
        .collect();
    paths.extend(extra.iter().map(|p| (p.clone(), plain.clone(), None)));
    same_path_twice(&paths, lines.len(), sources)?;
    // A calendar or dividend file is no market data: with nothing else, the sample is still
    // the data.
    let bundled = (paths.iter()).all(|(_, opts, _)| opts.calendar || opts.dividends_for.is_some());
    let (mut all, mut names) = if bundled {
        let data = data::bundled_with(&plain).map_err(|e| Failure::one(e, sources))?;
        (data, data::BUNDLED_FILES.iter().map(|s| s.to_string()).collect())
    } else {
        (DataSet::default(), Vec::new())
    };
    for (path, opts, span) in paths {
        let set = access::load_data(access, &path, &opts, span).map_err(|e| Failure::one(e, sources))?;
        all.merge(set).map_err(|e| Failure::one(e, sources))?;
        names.push(path.display().to_string());
    }
    all.finish().map_err(|e| Failure::one(e, sources))?;
    // What FedWatch's series assume concerns only a strategy that reads one of them: the
    // next meeting's (`fed_cut_prob`) or, by a selector, another's (`fed_cut_prob(meeting
    // 2)`, `fed_cuts_priced(by 2025-12-31)`), all named `fed_…`.
    if let (Some(set), Some(names)) = (&all.fedwatch, &only)
        && !names.iter().any(|n| n.starts_with("fed_"))
    {
        all.notes.retain(|n| !set.notes().contains(n));
    }
    Ok(LoadedData {
        data: all,
        sources: names,
        bundled,
    })
}

/// The `data` and `fomc` lines of a file, in file order, before it is checked (the checker
/// needs the data's names).
pub fn data_lines(ast: &ast::File) -> Vec<check::DataLine> {
    ast.statements()
        .filter_map(|s| match &s.kind {
            ast::StatementKind::Data {
                path,
                alias,
                dates,
                series,
            } => Some(check::DataLine::new(path, alias.as_ref(), *dates, *series)),
            ast::StatementKind::Fomc(path) => Some(check::DataLine::fomc(path)),
            ast::StatementKind::Dividends(ast::Dividends::File { path, symbol }) => {
                Some(check::DataLine::dividends(path, symbol))
            }
            _ => None,
        })
        .collect()
}

/// The names in the data, for the checker: those loaded and those left out by a projection.
pub fn catalog(data: &DataSet) -> Catalog {
    Catalog {
        symbols: data.symbol_names().map(str::to_owned).collect(),
        series: data.series_names().map(str::to_owned).collect(),
        fedwatch: data.fedwatch.is_some(),
        bar_weekdays: bar_weekdays(data),
        series_files: series_files(data),
    }
}

/// The files that gave series named by their columns rather than prices
/// ([`Catalog::series_files`]): a series whose name is not its file's name (a FRED file,
/// `DFF.csv`, gives the series `DFF`; `data "x.csv" as series NAME` names it on purpose).
/// Series a run does not read are not loaded (`DataSet::unloaded`) but count the same.
fn series_files(data: &DataSet) -> Vec<(String, Vec<String>)> {
    let loaded = data.series.iter().map(|s| (&s.name, &s.file));
    let unloaded = (data.unloaded.iter())
        .filter(|u| u.kind == crate::data::NameKind::Series)
        .map(|u| (&u.name, &u.file));
    let mut files: Vec<(String, Vec<String>)> = Vec::new();
    for (name, path) in loaded.chain(unloaded) {
        let stem = Path::new(path).file_stem().and_then(|f| f.to_str()).unwrap_or_default();
        if stem.eq_ignore_ascii_case(name) {
            continue;
        }
        match files.iter_mut().find(|(file, _)| file == path) {
            Some((_, names)) => names.push(name.clone()),
            None => files.push((path.clone(), vec![name.clone()])),
        }
    }
    files
}

/// Which days of the week the price histories have bars on (see [`Catalog::bar_weekdays`]).
/// Looks at one bar a day: after a bar, the rest of its day is skipped by a binary search
/// (histories are in time order), so 500,000 one-minute bars cost ~1,300 looks, not 500,000;
/// histories on the same bars as one looked at already are not looked at again.
///
/// 0 (not known) when the histories together span fewer than [`WEEKDAYS_KNOWN_AFTER`] days:
/// a weekday missing from a few weeks of data is holidays, not a market closed on that day,
/// and the answer must not turn on where the data happens to end (the same strategy on the
/// data cut at a day of its run must not be refused when the whole data runs).
fn bar_weekdays(data: &DataSet) -> u8 {
    const ALL: u8 = 0b111_1111;
    let first = data.prices.iter().filter_map(|h| h.ts.first()).min();
    let last = data.prices.iter().filter_map(|h| h.ts.last()).max();
    match (first, last) {
        (Some(&first), Some(&last))
            if crate::data::date::day_of(last) - crate::data::date::day_of(first) >= WEEKDAYS_KNOWN_AFTER => {}
        _ => return 0,
    }
    let mut days = 0u8;
    for ts in crate::data::PriceHistory::distinct_times(&data.prices) {
        let mut i = 0;
        while i < ts.len() && days != ALL {
            let day = crate::data::date::day_of(ts[i]);
            // Day 0 (1970-01-01) was a Thursday: bit 3 with Monday as bit 0.
            days |= 1 << (day + 3).rem_euclid(7);
            let next_day = (i64::from(day) + 1) * crate::data::date::SECONDS_PER_DAY;
            i += 1;
            // Daily bars: the next bar is on a later day already, no search needed.
            if ts.get(i).is_some_and(|&t| t < next_day) {
                i = first_at_or_after(ts, i, next_day);
            }
        }
    }
    days
}

/// The first index from `i` on whose time is `limit` or later, in the ascending `ts`
/// (`ts.len()` if none): a galloping search, which probes 1, 2, 4 … places ahead before it
/// bisects, so finding the next day among a day's few hundred minute bars touches a few
/// cache lines near `i` rather than bisecting the whole rest of the column from its far end.
fn first_at_or_after(ts: &[i64], mut i: usize, limit: i64) -> usize {
    let mut step = 1;
    while i + step < ts.len() && ts[i + step] < limit {
        i += step;
        step *= 2;
    }
    let end = (i + step).min(ts.len());
    i + ts[i..end].partition_point(|&t| t < limit)
}

/// Days the price data must span before a weekday without bars is taken for a day the
/// market does not open: eight weeks, each weekday eight times, so that holidays alone
/// (a few a year) cannot take every one of them.
const WEEKDAYS_KNOWN_AFTER: i32 = 56;

/// Which data a strategy is prepared with.
#[derive(Clone, Debug, Default)]
pub enum Load {
    /// The histories the file names, from its `data` lines and the `--data` paths (the
    /// bundled sample data with neither); the others' names are still known to the checker.
    #[default]
    Used,
    /// [`Load::Used`], plus histories with these names (a sweep's axis values may be symbols).
    UsedAnd(Vec<String>),
    /// Every history in the data, so that every cell is validated (`rotor check`).
    All,
    /// Data loaded before (the REPL keeps it between inputs).
    Loaded(Arc<LoadedData>),
    /// No data, only these names to check against (what tests of diagnostics use).
    Names(Catalog),
    /// No data: check only what the file itself says (`rotor check --no-data`).
    Nothing,
}

/// What the steps need besides the file.
#[derive(Clone, Debug, Default)]
pub struct RunOptions {
    pub period: crate::engine::Period,
    /// `--set NAME=VALUE`: replaces the value of `let NAME`.
    pub sets: Vec<(String, String)>,
    /// `--data PATH`: data besides the file's `data` lines.
    pub data: Vec<PathBuf>,
    /// Skip malformed data rows (and count them) instead of stopping.
    pub lenient: bool,
    pub load: Load,
    /// A file without rules is no error (the REPL checks a session before it has any).
    pub rules_optional: bool,
    /// Record what the HTML report draws (holdings, closes and the conditions' values, bar
    /// by bar) in the report's [`detail`](crate::report::Report::detail); plain runs do not.
    pub detail: bool,
    /// More files and folders the strategy may read (`--allow-path`); see [`access`].
    pub allow: Vec<PathBuf>,
    /// Size limits on what is read (`--max-data-size`).
    pub limits: access::Limits,
    /// What the scripts may spend in one run (`--script-time`, `--script-operations`).
    pub budget: crate::script::Budget,
}

impl RunOptions {
    /// What a strategy whose `data` and `use` paths start at `dir` may read under these
    /// options: that folder, the `--data` paths and the `--allow-path` ones.
    pub fn access(&self, dir: &Path) -> Access {
        Access::new(dir)
            .allowing(&self.data)
            .allowing(&self.allow)
            .with_limits(self.limits)
    }
}

/// A finished run: the report and the raw record behind it.
#[derive(Debug)]
pub struct RunOutput {
    pub strategy: Program,
    pub backtest: crate::engine::Backtest,
    pub report: crate::report::Report,
    /// What the run found about the strategy that a person should look at (a condition
    /// that never holds), for standard error.
    pub warnings: Vec<StrategyWarning>,
}

/// Reads, checks and runs a strategy file: `rotor run` as a function.
pub fn run_file(path: &Path, options: &RunOptions, sources: &mut SourceMap) -> Result<RunOutput, Failure> {
    let file = read(path, sources)?;
    let prepared = prepare(&file, options, sources)?;
    let strategy = check(&prepared, sources)?;
    run_with(&prepared, strategy, options, sources)
}

/// Step 3 as `options` ask: [`run`], or [`run_detailed`] with the `--set`s recorded when
/// `options.detail` is set.
pub fn run_with(
    prepared: &Prepared,
    strategy: Program,
    options: &RunOptions,
    sources: &SourceMap,
) -> Result<RunOutput, Failure> {
    if !options.detail {
        return run(prepared, strategy, options.period, sources);
    }
    let mut output = run_detailed(prepared, strategy, options.period, sources)?;
    if let Some(detail) = output.report.detail.as_mut() {
        Arc::make_mut(detail).sets = options.sets.clone();
    }
    Ok(output)
}

/// Step 1 of every command: a strategy parsed, its `--set`s applied, its scripts compiled
/// and its data loaded. Syntax errors are kept for [`check()`], so that the lines that did
/// parse are checked too and every problem is reported at once.
pub struct Prepared {
    pub ast: ast::File,
    pub scripts: Option<Arc<Scripts>>,
    /// `None` with [`Load::Names`] and [`Load::Nothing`].
    pub data: Option<Arc<LoadedData>>,
    /// The names the file is checked against: the data's, or [`Load::Names`]'.
    pub catalog: Option<Catalog>,
    /// The file's name as shown in reports.
    pub file_name: String,
    /// What was read, and what may be: outputs are checked against it
    /// ([`crate::output::guard`]).
    pub access: Access,
    rules_optional: bool,
    syntax_errors: Vec<SyntaxError>,
}

/// Step 1 for a source file: parses it, then [`prepare_ast`]. The file itself is recorded
/// as read.
pub fn prepare(file: &SourceFile, options: &RunOptions, sources: &mut SourceMap) -> Result<Prepared, Failure> {
    let (ast, syntax_errors) = syntax::parse_file(file);
    let access = options.access(&file.dir());
    if let Some(path) = &file.path {
        access.record_path(path, "the strategy");
    }
    prepare_parsed(ast, syntax_errors, access, &file.name, options, sources)
}

/// Step 1 for a file already parsed (the REPL's statements): `use` and `data` paths are
/// relative to `dir`.
pub fn prepare_ast(
    ast: ast::File,
    dir: &Path,
    name: &str,
    options: &RunOptions,
    sources: &mut SourceMap,
) -> Result<Prepared, Failure> {
    prepare_parsed(ast, Vec::new(), options.access(dir), name, options, sources)
}

/// [`prepare_ast`] under a file-access policy of the caller's, which then knows what was
/// read even when preparing failed (the REPL's `:save` never writes over a file it read).
pub fn prepare_under(
    ast: ast::File,
    access: &Access,
    name: &str,
    options: &RunOptions,
    sources: &mut SourceMap,
) -> Result<Prepared, Failure> {
    prepare_parsed(ast, Vec::new(), access.clone(), name, options, sources)
}

fn prepare_parsed(
    mut ast: ast::File,
    syntax_errors: Vec<SyntaxError>,
    access: Access,
    name: &str,
    options: &RunOptions,
    sources: &mut SourceMap,
) -> Result<Prepared, Failure> {
    // A failure after syntax errors keeps them in front.
    let after_syntax = |f: Failure| {
        let mut errors: Vec<Error> = syntax_errors.iter().cloned().map(Error::from).collect();
        errors.extend(f.errors);
        Failure {
            errors,
            sources: f.sources,
        }
    };
    if syntax_errors.is_empty() {
        apply_sets(&mut ast, &options.sets, sources)?;
    }
    let scripts = load_scripts(&ast, &access, sources).map_err(after_syntax)?;
    let scripts = scripts.map(|s| Arc::new(s.with_budget(options.budget)));
    let data = match &options.load {
        Load::Names(_) | Load::Nothing => None,
        Load::Loaded(data) => Some(data.clone()),
        load => {
            let only = (!matches!(load, Load::All)).then(|| {
                let mut names: BTreeSet<String> = ast.names().into_iter().map(String::from).collect();
                if let Load::UsedAnd(extra) = load {
                    names.extend(extra.iter().cloned());
                }
                Arc::new(names)
            });
            let loaded = load_data(
                &data_lines(&ast),
                &access,
                &options.data,
                options.lenient,
                only,
                sources,
            );
            Some(Arc::new(loaded.map_err(after_syntax)?))
        }
    };
    let catalog = match &options.load {
        Load::Names(names) => Some(names.clone()),
        _ => data.as_ref().map(|d| catalog(&d.data)),
    };
    Ok(Prepared {
        ast,
        scripts,
        data,
        catalog,
        file_name: name.to_string(),
        access,
        rules_optional: options.rules_optional,
        syntax_errors,
    })
}

/// Step 2: checks the prepared file against its data's names and its scripts' functions.
/// Syntax errors come first; with them, "no rules" is not reported (the rules may only
/// have failed to parse).
pub fn check(prepared: &Prepared, sources: &SourceMap) -> Result<Program, Failure> {
    check_ast(prepared, &prepared.ast, sources)
}

/// Step 2 for a variant of the prepared file: with `sets` (parsed values) in place of its
/// `let` values, as a sweep runs it.
pub fn check_variant(
    prepared: &Prepared,
    sets: &[(&str, &ast::Expr)],
    sources: &SourceMap,
) -> Result<Program, Failure> {
    let mut ast = prepared.ast.clone();
    for (name, value) in sets {
        set_parameter(&mut ast, name, value, sources)?;
    }
    check_ast(prepared, &ast, sources)
}

fn check_ast(prepared: &Prepared, ast: &ast::File, sources: &SourceMap) -> Result<Program, Failure> {
    let ctx = Context {
        data: prepared.catalog.as_ref(),
        scripts: prepared.scripts.as_deref().map_or(&[], |s| s.functions()),
        rules_optional: prepared.rules_optional,
    };
    let broken = !prepared.syntax_errors.is_empty();
    let mut errors: Vec<Error> = prepared.syntax_errors.iter().cloned().map(Error::from).collect();
    match check::check(ast, ctx) {
        Ok(strategy) if !broken => return Ok(strategy),
        Ok(_) => {}
        Err(check_errors) => errors.extend(
            check_errors
                .into_iter()
                .filter(|e| !(broken && matches!(e, check::CheckError::NoRules { .. })))
                .filter(|e| !on_a_syntax_error(e, &prepared.syntax_errors))
                .map(Error::from),
        ),
    }
    Err(Failure::new(errors, sources))
}

/// Whether a check error points into text a syntax error already reported: a number too
/// large is parsed as 0 so the rest of the file can be checked, and `contribute` must not
/// then also say the amount is not positive.
fn on_a_syntax_error(error: &check::CheckError, syntax: &[SyntaxError]) -> bool {
    use miette::Diagnostic;
    let Some(mut labels) = error.labels() else { return false };
    labels.any(|label| {
        let (start, end) = (label.offset(), label.offset() + label.len());
        syntax.iter().any(|s| {
            let span = s.span();
            (start as u32) < span.end.max(span.start + 1) && span.start < (end as u32).max(start as u32 + 1)
        })
    })
}

/// Step 3: runs a checked strategy over the prepared data and builds its report.
pub fn run(
    prepared: &Prepared,
    strategy: Program,
    period: crate::engine::Period,
    sources: &SourceMap,
) -> Result<RunOutput, Failure> {
    let data = prepared_data(prepared);
    let backtest = crate::engine::backtest(&strategy, &data.data, period, prepared.scripts.as_ref())
        .map_err(|e| Failure::one(e, sources))?;
    let mut report = crate::report::Report::build(&strategy, &backtest, data, &prepared.file_name);
    let warnings = run_warnings(&strategy, &backtest, sources);
    report.diagnostics = warnings_in_report(&report, &warnings, sources);
    Ok(RunOutput {
        strategy,
        backtest,
        report,
        warnings,
    })
}

/// What a finished run found that a person should look at ([`RunOutput::warnings`]).
fn run_warnings(strategy: &Program, backtest: &crate::engine::Backtest, sources: &SourceMap) -> Vec<StrategyWarning> {
    let mut warnings = crate::report::warning::no_effects(strategy, sources);
    warnings.extend(crate::report::warning::korean_prices(strategy, sources));
    warnings.extend(crate::report::warning::settled(strategy, &backtest.settled, sources));
    warnings.extend(crate::report::warning::calendar(strategy, &backtest.run.days, sources));
    warnings.extend(crate::report::warning::money(strategy, &backtest.run, sources));
    warnings.extend(crate::report::warning::uncovered(&backtest.uncovered));
    warnings.extend(crate::report::warning::once_outside(
        strategy,
        &backtest.run.days,
        sources,
    ));
    warnings
}

/// The warnings standard error shows for a run (the data's, then the strategy's), as the
/// report carries them into `--json`, the HTML page and the text summary.
fn warnings_in_report(
    report: &crate::report::Report,
    warnings: &[StrategyWarning],
    sources: &SourceMap,
) -> Vec<crate::diagnostic::JsonDiagnostic> {
    let mut all = crate::diagnostic::warnings_to_json(&report.warnings, sources);
    all.extend(crate::diagnostic::warnings_to_json(warnings, sources));
    all
}

/// Step 3, recording what the HTML report draws: [`run`], with the report's
/// [`detail`](crate::report::Report::detail).
pub fn run_detailed(
    prepared: &Prepared,
    strategy: Program,
    period: crate::engine::Period,
    sources: &SourceMap,
) -> Result<RunOutput, Failure> {
    let data = prepared_data(prepared);
    let scripts = prepared.scripts.as_ref();
    let names: Vec<String> = scripts.map_or(Vec::new(), |s| s.functions().iter().map(|f| f.name.clone()).collect());
    let conditions = crate::report::conditions::plan(&strategy, &names);
    let backtest = crate::engine::backtest_traced(&strategy, &data.data, period, scripts, &conditions.trace)
        .map_err(|e| Failure::one(e, sources))?;
    let mut report = crate::report::Report::build(&strategy, &backtest, data, &prepared.file_name);
    let warnings = run_warnings(&strategy, &backtest, sources);
    report.diagnostics = warnings_in_report(&report, &warnings, sources);
    let record = backtest.run.detail.clone().unwrap_or_default();
    report.detail = Some(Arc::new(crate::report::RunDetail::new(
        &strategy,
        &prepared.file_name,
        sources,
        conditions.list,
        record,
        crate::report::years::data_days(&strategy, &data.data),
    )));
    Ok(RunOutput {
        strategy,
        backtest,
        report,
        warnings,
    })
}

/// What [`run`] would refuse about a checked program on the prepared data, found without
/// running it (`rotor check`): dividends paid as cash for a symbol whose only close holds
/// them already. Nothing without data.
pub fn check_data(prepared: &Prepared, program: &Program, sources: &SourceMap) -> Result<(), Failure> {
    let Some(data) = prepared.data.as_deref() else {
        return Ok(());
    };
    crate::engine::dividends_once(program, &data.data).map_err(|e| Failure::one(e, sources))
}

/// What [`run`] would warn about the strategy, without running it (`rotor check`): forms
/// that do nothing, a Korean listing priced as US dollars, and each comparison the prepared data settles over the period (that
/// one only with data).
pub fn warnings(
    prepared: &Prepared,
    program: &Program,
    period: crate::engine::Period,
    sources: &SourceMap,
) -> Vec<StrategyWarning> {
    let Some(data) = prepared.data.as_deref() else {
        return settled_warnings(program, &[], sources);
    };
    // Only a comparison of a series with a constant can be settled, and finding out needs
    // the series' values on the run's bars (the frame). Without one there is nothing to
    // find: the frame, whose cost grows with the data (35 M instructions at 700,000 bars),
    // is not built.
    if program.comparisons.is_empty() {
        return settled_warnings(program, &[], sources);
    }
    let settled = crate::engine::settled_comparisons(program, &data.data, period);
    settled_warnings(program, &settled, sources)
}

/// The warnings of [`warnings`] for a program whose comparisons a run has settled already
/// (a sweep's variant, [`crate::engine::Variant::settled`]): no frame is built again.
pub fn settled_warnings(
    program: &Program,
    settled: &[crate::engine::Settled],
    sources: &SourceMap,
) -> Vec<StrategyWarning> {
    let mut warnings = crate::report::warning::no_effects(program, sources);
    warnings.extend(crate::report::warning::korean_prices(program, sources));
    warnings.extend(crate::report::warning::settled(program, settled, sources));
    warnings
}

/// Step 3 for one expression: `term` of a checked program evaluated on every trading day
/// of the prepared data up to `to`, with the program's settings and scripts, as a run reads
/// it (the REPL's `EXPR @ DATE`). Returns each bar's timestamp, day and value (NaN = not
/// available).
pub fn evaluate(
    prepared: &Prepared,
    program: &Program,
    term: &check::Term,
    to: Option<chrono::NaiveDate>,
    sources: &SourceMap,
) -> Result<crate::engine::EvaluatedBars, Failure> {
    let data = &prepared_data(prepared).data;
    crate::engine::evaluate_bars(program, term, data, prepared.scripts.as_ref(), to)
        .map_err(|e| Failure::one(e, sources))
}

/// Step 3 for one variant of a sweep: the strategy's own run only (the benchmark keeps its
/// place in the calendar but is not run), sharing frames and data columns with the other
/// variants through `shared`. Its fills are counted, not written down: the run's `trades`
/// are empty ([`crate::engine::backtest_variant`]).
pub fn run_variant<'d>(
    prepared: &'d Prepared,
    strategy: &Program,
    period: crate::engine::Period,
    shared: &crate::engine::Shared<'d>,
    sources: &SourceMap,
) -> Result<crate::engine::Variant, Failure> {
    let data = &prepared_data(prepared).data;
    crate::engine::backtest_variant(strategy, data, period, prepared.scripts.as_ref(), shared)
        .map_err(|e| Failure::one(e, sources))
}

fn prepared_data(prepared: &Prepared) -> &LoadedData {
    prepared
        .data
        .as_deref()
        .expect("a run is prepared with data (`Load::Names` and `Load::Nothing` are for checking)")
}

#[cfg(test)]
mod tests {
    use super::first_at_or_after;

    #[test]
    fn the_galloping_search_finds_what_a_plain_one_finds() {
        // Every start and limit over columns of repeated and spread-out times, against
        // `partition_point` on the rest of the column.
        let columns: [Vec<i64>; 4] = [
            vec![],
            vec![5],
            (0..50).map(|k| k / 7 * 10).collect(),
            (0..300).map(|k| k * k).collect(),
        ];
        for ts in &columns {
            for i in 0..ts.len() {
                let limits = ts.iter().flat_map(|&t| [t - 1, t, t + 1]).chain([-1, i64::MAX]);
                for limit in limits {
                    let plain = i + ts[i..].partition_point(|&t| t < limit);
                    assert_eq!(first_at_or_after(ts, i, limit), plain, "{ts:?} from {i} to {limit}");
                }
            }
        }
    }
}
