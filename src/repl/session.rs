//! The REPL's state and everything an input can do, with no terminal code: a [`Session`]
//! takes a line and returns an [`Outcome`], so every command is testable as a function.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::blocks;
use super::command::{self, Command};
use super::error::{Problem, ReplError};
use super::help;
use super::paths;
use super::query::{self, When};
use crate::access::Access;
use crate::check::Program;
use crate::check::Term;
use crate::data::{DataWarning, DateOrder, LoadedData};
use crate::diagnostic::{Error, Failure, UsageError};
use crate::engine::{Period, staleness};
use crate::format::{format_expr, format_file, format_statement};
use crate::language::Vocabulary;
use crate::pipeline::{self, Load, Prepared, RunOptions, RunOutput};
use crate::report::StrategyWarning;
use crate::source::{SourceFile, SourceMap, Span};
use crate::suggest::help_for;
use crate::syntax::ast::{Expr, ExprKind, File, Line, Name, Statement, StatementKind, Text};
use crate::syntax::{STATEMENT_KEYWORDS, parse_file};

/// What the REPL says in answer to one input.
#[derive(Debug, Default)]
pub struct Outcome {
    /// The result, for standard output.
    pub output: String,
    /// Remarks about the session (such as "this data is synthetic"), for standard error.
    pub notes: Vec<String>,
    /// Warnings about data the input loaded (a near-miss column, a split-like move), for
    /// standard error: shown once, when the data is loaded.
    pub warnings: Vec<DataWarning>,
    /// Warnings about the strategy from a run (a condition that never holds), for standard
    /// error.
    pub strategy_warnings: Vec<StrategyWarning>,
    pub error: Option<Problem>,
    /// The input asked to leave.
    pub quit: bool,
}

/// The most source text (inputs, loaded files, scripts) one session keeps.
const MAX_SESSION_BYTES: usize = 1 << 30;

/// The name an expression typed at the prompt is checked under, as a `let`.
const PROBE: &str = "__repl_value__";
/// Text the expression parser puts before an expression (see [`Session::parse_expr`]).
const EXPR_PREFIX: &str = "let __repl_value__ = ";

/// Statements built up at the prompt, the data they run on, and the last run.
#[derive(Debug)]
pub struct Session {
    sources: SourceMap,
    /// The strategy so far: only lines that hold a statement (with their trailing comment).
    lines: Vec<Line>,
    /// The file last loaded with `:load` (or on the command line): `:save` may overwrite it,
    /// and its `data` lines are relative to it.
    file: Option<PathBuf>,
    /// Paths from the command line's `--data` (relative to the current folder): `data`
    /// lines of the session, written again after a `:load`.
    cli_data: Vec<PathBuf>,
    /// Paths from `:data` and the command line's `--data`: the session's `data` lines for
    /// them may read there, as `--data` allows a strategy to.
    extra_data: Vec<PathBuf>,
    /// `--allow-path` folders, and the size limits, for what the session's lines may read.
    allow: Vec<PathBuf>,
    limits: crate::access::Limits,
    /// Every data file and script the session has read: `:save` never writes over one.
    read: Vec<crate::access::ReadFile>,
    /// What scripts may spend in one `:run`.
    budget: crate::script::Budget,
    /// `--lenient`: malformed data rows are skipped (and counted) instead of stopping.
    lenient: bool,
    /// The loaded data and the `data` lines and paths it was loaded for.
    data: Option<(DataKey, Arc<LoadedData>)>,
    period: Period,
    last_run: Option<RunOutput>,
    inputs: usize,
    notes: Vec<String>,
    warnings: Vec<DataWarning>,
    strategy_warnings: Vec<StrategyWarning>,
    /// The last input, when it was statements, and the session's statements before it: an
    /// input starting with `,` or `and` goes on its list, as the next line of a file would.
    last_statement: Option<(String, Vec<Line>)>,
}

/// What the loaded data was loaded for: the `data` and `fomc` lines (path, alias, date
/// order, whether a calendar file, whether `as series`) and the loaded file (their paths
/// start at its folder).
type DataKey = (
    Vec<(String, Option<String>, Option<DateOrder>, bool, bool)>,
    Option<PathBuf>,
);

impl Session {
    /// A new session, empty but for a `data` line for each of `data`: files or folders to
    /// load instead of the bundled sample data (which is loaded when first needed).
    pub fn new(data: Vec<PathBuf>) -> Self {
        let mut sources = SourceMap::new();
        // Expressions are parsed with a prefix placed just before their source (see
        // `parse_expr`); this keeps the first input's offset above the prefix's length.
        sources.add("<repl>", None, " ".repeat(EXPR_PREFIX.len()));
        let mut session = Session {
            sources,
            lines: Vec::new(),
            file: None,
            cli_data: Vec::new(),
            extra_data: data.clone(),
            allow: Vec::new(),
            limits: crate::access::Limits::default(),
            read: Vec::new(),
            budget: crate::script::Budget::default(),
            lenient: false,
            data: None,
            period: Period::default(),
            last_run: None,
            inputs: 0,
            notes: Vec::new(),
            warnings: Vec::new(),
            strategy_warnings: Vec::new(),
            last_statement: None,
        };
        session.lines = session.data_lines(&data, &[]);
        session.cli_data = data;
        session
    }

    /// A `data` line for each of `paths` (relative to the current folder), written relative
    /// to the session's folder; paths a line of `existing` already names are left out.
    fn data_lines(&mut self, paths: &[PathBuf], existing: &[Line]) -> Vec<Line> {
        let dir = self.dir();
        let named = pipeline::data_lines(&File {
            lines: existing.to_vec(),
        });
        let here = Path::new("");
        let new: Vec<&PathBuf> = paths
            .iter()
            .filter(|p| !named.iter().any(|d| paths::same(p, here, Path::new(&d.path), &dir)))
            .collect();
        new.into_iter()
            .map(|p| self.data_line(&paths::rebase(p, here, &dir)))
            .collect()
    }

    /// The statement `data "PATH"`, kept in the source map as a snippet of its own so that
    /// a diagnostic about it (a path not found) can show it.
    fn data_line(&mut self, path: &Path) -> Line {
        let statement = Statement {
            kind: StatementKind::Data {
                path: Text {
                    value: path.display().to_string(),
                    span: Span::default(),
                },
                alias: None,
                dates: None,
                series: false,
            },
            span: Span::default(),
        };
        let text = format!("{}\n", format_statement(&statement));
        let file = self.sources.add("--data", None, text);
        let (ast, _) = parse_file(&file);
        let line = ast.lines.into_iter().find(|l| l.statement.is_some());
        line.expect("a `data` line as the formatter writes it parses")
    }

    /// A session under the command line's options: data paths, `--allow-path`, size limits
    /// and the script budget of each `:run`.
    pub fn with_options(options: &pipeline::RunOptions) -> Self {
        let mut session = Session::new(options.data.clone());
        session.allow = options.allow.clone();
        session.limits = options.limits;
        session.budget = options.budget;
        session.lenient = options.lenient;
        session
    }

    /// Names for completion: the data's symbols and series (once loaded) and parameters.
    pub fn vocabulary(&self) -> Vocabulary {
        let mut parameters: Vec<(String, String)> = self
            .params()
            .into_iter()
            .map(|(name, value)| (name, format_expr(&value)))
            .collect();
        parameters.sort();
        let mut out = Vocabulary {
            parameters,
            ..Vocabulary::default()
        };
        if let Some((_, d)) = &self.data {
            out.symbols = d.data.prices.iter().map(|p| p.symbol.clone()).collect();
            out.series = d.data.series.iter().map(|s| s.name.clone()).collect();
            out.fedwatch = d.data.fedwatch.is_some();
        }
        out
    }

    /// The session as a `.rotor` file, canonically formatted.
    pub fn text(&self) -> String {
        format_file(&File {
            lines: self.lines.clone(),
        })
    }

    /// The session as a `.rotor` file in folder `to`: its `data`, `fomc` and `use` paths written
    /// from there, so the file reads the same files wherever it is saved.
    fn text_in(&self, to: &Path) -> String {
        let from = self.dir();
        let mut lines = self.lines.clone();
        for line in &mut lines {
            let path = match line.statement.as_mut().map(|s| &mut s.kind) {
                Some(StatementKind::Data { path, .. } | StatementKind::Fomc(path) | StatementKind::Use(path)) => path,
                _ => continue,
            };
            path.value = paths::rebase(Path::new(&path.value), &from, to).display().to_string();
        }
        format_file(&File { lines })
    }

    /// Handles one input: a `:command`, a statement, or an expression.
    pub fn handle(&mut self, input: &str) -> Outcome {
        let text = input.trim_end_matches(['\n', '\r']);
        if text.trim().is_empty() {
            return Outcome::default();
        }
        // Every input, loaded file and script stays in the session's sources (their spans
        // must stay valid); one input adds a few MiB at most, so this keeps the total far
        // from the 4 GiB that spans can address.
        if self.sources.len() > MAX_SESSION_BYTES {
            let full = crate::diagnostic::UsageError::InvalidArgument {
                message: format!(
                    "this session holds {} of text, the most one session may",
                    crate::access::human_size(self.sources.len() as u64)
                ),
                help: "save it with `:save FILE` and go on in a new `rotor repl FILE`".into(),
            };
            return Outcome {
                error: Some(Failure::one(full, &self.sources).into()),
                ..Outcome::default()
            };
        }
        // `,` or `and` at the start goes on the list of the statement typed just before
        // (`fees 0.1%`, then `, 1 USD per trade`): it is taken back and read again whole.
        let last = self.last_statement.take();
        if let Some((previous, before)) = last.filter(|_| crate::syntax::continues_list(text)) {
            self.lines = before;
            return self.handle(&format!("{previous}\n{text}"));
        }
        self.inputs += 1;
        let file = self
            .sources
            .add(format!("<repl:{}>", self.inputs), None, text.to_string());
        let body = text.trim_start();
        let lead = text.len() - body.len();
        let mut quit = false;
        let result = if body.starts_with(':') {
            let base = file.base as usize + lead;
            match command::parse(body, base) {
                Ok(Command::Quit) => {
                    quit = true;
                    Ok(String::new())
                }
                Ok(c) => self.command(c, &file, lead),
                Err(e) => Err(self.problem(e)),
            }
        } else if self.is_statement(body, &file) {
            let before = self.lines.clone();
            let result = self.statement(&file);
            self.last_statement = Some((text.to_string(), before));
            result
        } else {
            self.query(&file)
        };
        let (output, error) = match result {
            Ok(output) => (output, None),
            Err(e) => (String::new(), Some(e)),
        };
        Outcome {
            output,
            notes: std::mem::take(&mut self.notes),
            warnings: std::mem::take(&mut self.warnings),
            strategy_warnings: std::mem::take(&mut self.strategy_warnings),
            error,
            quit,
        }
    }

    /// Loads a strategy file into the session (what `rotor repl FILE` does first).
    pub fn load(&mut self, path: &Path) -> Outcome {
        self.handle(&format!(":load {}", path.display()))
    }

    fn problem(&self, e: ReplError) -> Problem {
        Problem::Command(Box::new(e), self.sources.clone())
    }

    // ------------------------------------------------------------ statements

    /// Adds the statements of an input, if the whole strategy still checks with them.
    /// A `let` of a name that exists replaces it: redefining is how one experiments.
    fn statement(&mut self, file: &Arc<SourceFile>) -> Result<String, Problem> {
        let ast = pipeline::parse(file, &self.sources)?;
        let mut candidate = self.lines.clone();
        let mut said = String::new();
        for line in ast.lines.into_iter().filter(|l| l.statement.is_some()) {
            let stmt = line.statement.as_ref().expect("filtered to lines with a statement");
            let text = format_statement(stmt);
            let same_let = let_name(stmt).and_then(|name| {
                candidate
                    .iter()
                    .position(|l| l.statement.as_ref().and_then(let_name) == Some(name))
            });
            match same_let {
                Some(i) => {
                    candidate[i] = line;
                    said.push_str(&format!("replaced {}: {text}\n", i + 1));
                }
                None => {
                    candidate.push(line);
                    said.push_str(&format!("added {}: {text}\n", candidate.len()));
                }
            }
        }
        self.ensure_data(&candidate)?;
        if let Err(failure) = self.check(&candidate) {
            return Err(self.replace_help(failure).into());
        }
        self.lines = candidate;
        Ok(said)
    }

    /// A setting given twice whose first line is already in the session: the help says how
    /// to replace it at the prompt (`:drop N`, then the new line) rather than which line
    /// of a file to keep.
    fn replace_help(&self, mut failure: Failure) -> Failure {
        for error in &mut failure.errors {
            if let Error::Check(crate::check::CheckError::DuplicateSetting { first, help, .. }) = error {
                let held = self.lines.iter().position(|l| {
                    l.statement
                        .as_ref()
                        .is_some_and(|s| s.span.start <= first.start && first.end <= s.span.end)
                });
                if let Some(i) = held {
                    *help = format!(
                        "the session has it as statement {n}: to replace it, `:drop {n}`, then type the new line",
                        n = i + 1
                    );
                }
            }
        }
        failure
    }

    /// Checks statements against the data. A session without rules yet is fine here.
    fn check(&mut self, lines: &[Line]) -> Result<Program, Failure> {
        let prepared = self.prepare(lines)?;
        pipeline::check(&prepared, &self.sources)
    }

    /// The statements prepared to be checked and run: the scripts they `use` compiled
    /// (relative to the loaded file's folder, under the session's file-access policy), with
    /// the data loaded so far. What was read is remembered, failed or not.
    fn prepare(&mut self, lines: &[Line]) -> Result<Prepared, Failure> {
        let load = match &self.data {
            Some((_, data)) => Load::Loaded(data.clone()),
            None => Load::Nothing,
        };
        let options = self.options(load);
        let file = File { lines: lines.to_vec() };
        let name = self.name();
        let access = options.access(&self.dir());
        let prepared = pipeline::prepare_under(file, &access, &name, &options, &mut self.sources);
        self.remember(&access);
        prepared
    }

    /// The options the session's lines are prepared with: the command line's `--data` (and
    /// `:data`) paths, `--allow-path`, size limits and the script budget of each `:run`.
    fn options(&self, load: Load) -> RunOptions {
        RunOptions {
            load,
            rules_optional: true,
            data: self.extra_data.clone(),
            allow: self.allow.clone(),
            limits: self.limits,
            budget: self.budget,
            lenient: self.lenient,
            ..RunOptions::default()
        }
    }

    /// Notes the files `access` read, so that `:save` never writes over one.
    fn remember(&mut self, access: &Access) {
        for file in access.files_read() {
            if !self.read.iter().any(|r| r.id == file.id) {
                self.read.push(file);
            }
        }
    }

    /// The folder of the loaded file, which its `data` and `use` paths start from.
    fn dir(&self) -> PathBuf {
        self.file
            .as_deref()
            .and_then(Path::parent)
            .map(Path::to_path_buf)
            .unwrap_or_default()
    }

    /// The session's name in reports: the loaded file's, or `<repl>`.
    fn name(&self) -> String {
        self.file
            .as_ref()
            .map_or_else(|| "<repl>".to_string(), |p| p.display().to_string())
    }

    /// Loads the data the statements name (or the `:data` paths, or the bundled sample),
    /// unless what is loaded is already that.
    fn ensure_data(&mut self, lines: &[Line]) -> Result<(), Failure> {
        let data_lines = pipeline::data_lines(&File { lines: lines.to_vec() });
        let key: DataKey = (
            (data_lines.iter())
                .map(|d| (d.path.clone(), d.alias.clone(), d.dates, d.calendar, d.series))
                .collect(),
            self.file.clone(),
        );
        if self.data.as_ref().is_some_and(|(k, _)| *k == key) {
            return Ok(());
        }
        // The paths of `--data` and `:data` are the session's `data` lines: none extra.
        let access = self.options(Load::Nothing).access(&self.dir());
        let loaded = pipeline::load_data(&data_lines, &access, &[], false, None, &self.sources);
        self.remember(&access);
        let loaded = loaded?;
        if loaded.bundled {
            self.notes.push(
                "using the bundled sample data: SYNTHETIC prices for trying rotor, not market data \
                 (`:data PATH` loads your own)"
                    .into(),
            );
        }
        self.warnings.extend(loaded.data.warnings.iter().cloned());
        self.data = Some((key, Arc::new(loaded)));
        Ok(())
    }

    fn loaded(&self) -> &LoadedData {
        &self.data.as_ref().expect("ensure_data ran before").1
    }

    /// The session's parameters, for evaluating expressions that use them.
    fn params(&self) -> HashMap<String, Expr> {
        self.lines
            .iter()
            .filter_map(|l| match &l.statement.as_ref()?.kind {
                StatementKind::Let { name, value } => Some((name.text.clone(), value.clone())),
                _ => None,
            })
            .collect()
    }

    // ------------------------------------------------------------ expressions

    fn query(&mut self, file: &Arc<SourceFile>) -> Result<String, Problem> {
        let q = query::split(&file.text, file.base as usize).map_err(|e| self.problem(e))?;
        let expr = self.parse_expr(file, q.expr.clone())?;
        let lines = self.lines.clone();
        self.ensure_data(&lines)?;
        let mut probe = lines;
        probe.push(Line {
            statement: Some(Statement {
                kind: StatementKind::Let {
                    name: Name {
                        text: PROBE.into(),
                        span: expr.span,
                    },
                    value: expr.clone(),
                },
                span: expr.span,
            }),
            comment: None,
            span: expr.span,
        });
        // The session's strategy with the expression as its last `let`: prepared, checked
        // and evaluated as a run would read it (its scripts, lags and settings).
        let prepared = self.prepare(&probe)?;
        let program = pipeline::check(&prepared, &self.sources)?;
        let probe = program.lets.last().expect("the probe is the last `let`");
        let to = match q.when {
            When::At(d, _) => Some(d),
            When::Between(_, to) => to,
            When::Last => None,
        };
        let bars = pipeline::evaluate(&prepared, &program, &probe.value, to, &self.sources)?;
        // A bare series shows the date of the observation behind its value.
        let data = &self.loaded().data;
        let bare = match &probe.value {
            Term::Series(name) | Term::Data(name) => Some(name.as_str()),
            _ => None,
        };
        let seen = |day| {
            let o = staleness::observation(&program, data, bare?, day)?;
            Some(query::Seen {
                observed: o.observed,
                stale: o.stale.as_ref().map(crate::report::stale_limit),
            })
        };
        // A name shows as what its `let` was written as: `let e = 1 > 2` is a condition
        // (true/false), `let w = 3 months` a duration (the trading days it stands for).
        let params = self.params();
        let written = written_as(&expr, &params);
        // Constants keep their unit: `500 USD`, `5%`, a duration's trading days.
        let constant = bars.values.last().copied();
        match (&written.kind, constant) {
            (ExprKind::Duration { amount, unit }, Some(days)) => {
                return Ok(format!(
                    "{} trading days (`{} {}`)\n",
                    query::show(days, false),
                    amount.text,
                    unit.word(amount.value)
                ));
            }
            (ExprKind::Money { currency, .. }, Some(v)) => {
                return Ok(format!(
                    "{} {}\n",
                    query::show(v, false),
                    currency.as_deref().unwrap_or("USD")
                ));
            }
            (ExprKind::Percent(_), Some(v)) => return Ok(format!("{}%\n", query::show(v * 100.0, false))),
            _ => {}
        }
        Ok(query::answer(
            &bars.ts,
            &bars.days,
            &bars.values,
            q.when,
            query::is_condition(written),
            &seen,
        ))
    }

    /// Parses `range` of an input as one expression with the grammar's own rules.
    ///
    /// The grammar parses lines, not bare expressions, so the expression is parsed as the
    /// value of a `let` whose text is placed just before it in the global offset space:
    /// every span of the result, and of any error, then points into the input as typed.
    fn parse_expr(&self, file: &SourceFile, range: std::ops::Range<usize>) -> Result<Expr, Problem> {
        let start = file.base as usize + range.start;
        let probe = SourceFile {
            name: file.name.clone(),
            path: None,
            text: format!("{EXPR_PREFIX}{}", &file.text[range.clone()]),
            base: u32::try_from(start - EXPR_PREFIX.len()).expect("offsets fit in u32"),
        };
        let (ast, errors) = parse_file(&probe);
        if !errors.is_empty() {
            return Err(Failure::new(errors.into_iter().map(Error::from).collect(), &self.sources).into());
        }
        let mut values = ast.statements().filter_map(|s| match &s.kind {
            StatementKind::Let { value, .. } => Some(value.clone()),
            _ => None,
        });
        match (values.next(), values.next()) {
            (Some(v), None) => Ok(v),
            _ => Err(self.problem(ReplError::Usage {
                message: "write one expression per input".into(),
                span: Span::new(start, file.base as usize + range.end),
                label: "more than one line".into(),
                help: "put each expression on its own line".into(),
            })),
        }
    }

    // ------------------------------------------------------------ commands

    fn command(&mut self, command: Command, file: &Arc<SourceFile>, lead: usize) -> Result<String, Problem> {
        let whole = Span::new(
            file.base as usize + lead,
            file.base as usize + file.text.trim_end().len(),
        );
        match command {
            Command::Rules => Ok(self.rules()),
            Command::Drop(n) => {
                if n == 0 || n > self.lines.len() {
                    return Err(self.problem(ReplError::Usage {
                        message: format!("there is no statement {n}"),
                        span: whole,
                        label: "out of range".into(),
                        help: match self.lines.len() {
                            0 => "the session is empty".into(),
                            len => format!("statements are numbered 1 to {len}; `:rules` lists them"),
                        },
                    }));
                }
                let before = blocks::owners(&self.lines);
                let line = self.lines.remove(n - 1);
                let after = blocks::owners(&self.lines);
                if let Some(sleeve) = blocks::emptied(&self.lines, &after) {
                    // A sleeve with no rules is an error the whole session would then carry.
                    self.lines.insert(n - 1, line);
                    return Err(self.problem(ReplError::Usage {
                        message: format!("statement {n} is the last rule of the sleeve `{sleeve}`"),
                        span: whole,
                        label: "would leave the sleeve empty".into(),
                        help: format!(
                            "drop the `sleeve {sleeve}` line first (its rules stay, outside it), or add \
                             another rule to the sleeve"
                        ),
                    }));
                }
                let text = line.statement.as_ref().map(format_statement).unwrap_or_default();
                let moved = blocks::moved(&before[n..], &after[n - 1..], n).unwrap_or_default();
                Ok(format!("dropped {n}: {text}\n{moved}"))
            }
            Command::Run { from, to } => self.run(Period { from, to }, whole),
            Command::Set { name, value } => {
                let value = (value.start + lead)..(value.end + lead);
                self.set(&name, value, file, whole)
            }
            Command::Trades => self.trades(whole),
            Command::Save { path, force } => self.save(Path::new(&path), force, whole),
            Command::Load(path) => self.load_file(Path::new(&path)),
            Command::Data(path) => self.data_command(path.map(PathBuf::from)),
            Command::Help(topic) => help::text(topic.as_deref()).ok_or_else(|| {
                let topic = topic.unwrap_or_default();
                self.problem(ReplError::Usage {
                    message: format!("there is no help on `{topic}`"),
                    span: whole,
                    label: "unknown topic".into(),
                    help: help_for(&topic, "the topics", help::TOPICS, 10),
                })
            }),
            Command::Quit => Ok(String::new()),
        }
    }

    fn rules(&self) -> String {
        if self.lines.is_empty() {
            return "the session is empty; type a rule such as `buy IWO monthly`\n".into();
        }
        let mut out = String::new();
        let indents = blocks::indents(&self.lines);
        for (i, (line, indent)) in self.lines.iter().zip(indents).enumerate() {
            let text = line.statement.as_ref().map(format_statement).unwrap_or_default();
            out.push_str(&format!("{:>3}  {indent}{text}\n", i + 1));
        }
        out
    }

    /// Runs the session's strategy over `period`, which later runs (`:set`) keep once this
    /// one has run: a refused run leaves the period as it was.
    fn run(&mut self, period: Period, at: Span) -> Result<String, Problem> {
        let has_rule = self
            .lines
            .iter()
            .any(|l| matches!(l.statement.as_ref().map(|s| &s.kind), Some(StatementKind::Rule(_))));
        if !has_rule {
            return Err(self.problem(ReplError::Usage {
                message: "the session has no rules to run".into(),
                span: at,
                label: "nothing to run".into(),
                help: "type a rule first, such as `buy IWO monthly`".into(),
            }));
        }
        let lines = self.lines.clone();
        self.ensure_data(&lines)?;
        let prepared = self.prepare(&lines)?;
        let strategy = pipeline::check(&prepared, &self.sources)?;
        let output = pipeline::run(&prepared, strategy, period, &self.sources)?;
        self.period = period;
        let text = crate::report::summary::render(&output.report);
        self.strategy_warnings = output.warnings.clone();
        self.last_run = Some(output);
        Ok(text)
    }

    fn set(
        &mut self,
        name: &str,
        value: std::ops::Range<usize>,
        file: &Arc<SourceFile>,
        at: Span,
    ) -> Result<String, Problem> {
        let params: Vec<String> = self.params().into_keys().collect();
        let Some(i) = self
            .lines
            .iter()
            .position(|l| l.statement.as_ref().and_then(let_name) == Some(name))
        else {
            let refs: Vec<&str> = params.iter().map(String::as_str).collect();
            return Err(self.problem(ReplError::Usage {
                message: format!("the session has no parameter `{name}`"),
                span: at,
                label: "unknown parameter".into(),
                help: help_for(name, "the parameters", &refs, 20),
            }));
        };
        let new_value = self.parse_expr(file, value)?;
        let mut candidate = self.lines.clone();
        if let Some(Statement {
            kind: StatementKind::Let { value, .. },
            ..
        }) = &mut candidate[i].statement
        {
            *value = new_value;
        }
        self.ensure_data(&candidate)?;
        self.check(&candidate)?;
        self.lines = candidate;
        let text = self.lines[i]
            .statement
            .as_ref()
            .map(format_statement)
            .unwrap_or_default();
        let mut out = format!("replaced {}: {text}\n", i + 1);
        let has_rule = self
            .lines
            .iter()
            .any(|l| matches!(l.statement.as_ref().map(|s| &s.kind), Some(StatementKind::Rule(_))));
        if has_rule {
            out.push('\n');
            out.push_str(&self.run(self.period, at)?);
        }
        Ok(out)
    }

    fn trades(&self, at: Span) -> Result<String, Problem> {
        let Some(run) = &self.last_run else {
            return Err(self.problem(ReplError::NoRun { span: at }));
        };
        let trades = &run.report.trades;
        if trades.is_empty() {
            return Ok("the last run made no trades\n".into());
        }
        let mut out = format!(
            "{:<10}  {:<8}  {:<4}  {:>12}  {:>10}  {:>12}  {:>8}  {:>4}\n",
            "date", "symbol", "side", "shares", "price", "value", "fee", "rule"
        );
        for t in trades.iter() {
            // An exit's sale says which exit fired.
            let exit = t.exit.map(|e| format!("  {}", e.words())).unwrap_or_default();
            out.push_str(&format!(
                "{:<10}  {:<8}  {:<4}  {:>12.4}  {:>10.2}  {:>12.2}  {:>8.2}  {:>4}{exit}\n",
                t.date, t.symbol, t.side, t.shares, t.price, t.value, t.fee, t.rule
            ));
        }
        Ok(out)
    }

    fn save(&mut self, path: &Path, force: bool, at: Span) -> Result<String, Problem> {
        // Not even `:save!` writes over the data or a script.
        crate::output::guard(&[(":save", path)], &self.read).map_err(|e| Failure::one(e, &self.sources))?;
        let same_as_loaded = self.file.as_deref().is_some_and(|f| same_file(f, path));
        // A folder is no file `:save!` could replace: writing says what it is instead.
        if path.exists() && !path.is_dir() && !force && !same_as_loaded {
            return Err(self.problem(ReplError::FileExists {
                path: path.display().to_string(),
                span: at,
            }));
        }
        let folder = path.parent().unwrap_or(Path::new(""));
        crate::output::replace(path, self.text_in(folder).as_bytes()).map_err(|e| {
            Failure::one(
                UsageError::Write {
                    path: path.display().to_string(),
                    reason: e.to_string(),
                },
                &self.sources,
            )
        })?;
        let statements = crate::display::count(self.lines.len(), "statement");
        Ok(format!("saved {statements} to {}\n", path.display()))
    }

    /// Replaces the session with a file, if it parses and checks; otherwise keeps it.
    fn load_file(&mut self, path: &Path) -> Result<String, Problem> {
        let file = pipeline::read(path, &mut self.sources)?;
        let ast = pipeline::parse(&file, &self.sources)?;
        let mut lines: Vec<Line> = ast.lines.into_iter().filter(|l| l.statement.is_some()).collect();
        let previous = self.file.replace(path.to_path_buf());
        let cli_data = self.cli_data.clone();
        let added = self.data_lines(&cli_data, &lines);
        lines.extend(added);
        let checked = self.ensure_data(&lines).and_then(|()| self.check(&lines));
        if let Err(e) = checked {
            self.file = previous;
            return Err(e.into());
        }
        self.lines = lines;
        self.last_run = None;
        let statements = crate::display::count(self.lines.len(), "statement");
        Ok(format!("loaded {}: {statements}\n", path.display()))
    }

    /// `:data PATH` adds the line `data "PATH"` (from the session's folder); `:data` alone
    /// lists what the data holds.
    fn data_command(&mut self, path: Option<PathBuf>) -> Result<String, Problem> {
        let mut out = String::new();
        if let Some(path) = path {
            let mut candidate = self.lines.clone();
            let lines = self.data_lines(std::slice::from_ref(&path), &candidate);
            for line in lines {
                let text = line.statement.as_ref().map(format_statement).unwrap_or_default();
                candidate.push(line);
                out.push_str(&format!("added {}: {text}\n", candidate.len()));
            }
            // The path named at the prompt may be read, as `--data` is.
            self.extra_data.push(path);
            if let Err(e) = self.ensure_data(&candidate).and_then(|()| self.check(&candidate)) {
                self.extra_data.pop();
                return Err(e.into());
            }
            self.lines = candidate;
        } else {
            let lines = self.lines.clone();
            self.ensure_data(&lines)?;
        }
        let d = self.loaded();
        let symbols: Vec<&str> = d.data.prices.iter().map(|p| p.symbol.as_str()).collect();
        let series: Vec<&str> = d.data.series.iter().map(|s| s.name.as_str()).collect();
        out.push_str(&format!(
            "data: {}{}\n",
            d.sources.join(", "),
            if d.bundled { " (synthetic)" } else { "" }
        ));
        out.push_str(&format!("symbols: {}\n", symbols.join(", ")));
        if !series.is_empty() {
            out.push_str(&format!("series: {}\n", series.join(", ")));
        }
        Ok(out)
    }
}

/// What the first word of an input says it is.
#[derive(Debug, PartialEq)]
enum Kind {
    Statement,
    Expression,
    /// A statement keyword and then a bracket: a statement with a computed amount
    /// (`buy (base) USD of IWM monthly`), or a call of a function by that name.
    Either,
}

impl Session {
    /// Whether an input is a statement or a comment, rather than an expression. A keyword
    /// followed by a bracket is a statement when it reads as one, as it would in a file;
    /// otherwise an expression when it reads as one; otherwise a statement again, so that
    /// its error is the statement's (`buy (500) USD of IWM montly`).
    fn is_statement(&self, body: &str, file: &SourceFile) -> bool {
        match kind(body) {
            Kind::Statement => true,
            Kind::Expression => false,
            Kind::Either => {
                parse_file(file).1.is_empty()
                    || !query::split(&file.text, file.base as usize)
                        .is_ok_and(|q| self.parse_expr(file, q.expr).is_ok())
            }
        }
    }
}

/// Whether an input is a statement (it starts with a statement keyword) or a comment, an
/// expression, or either (a keyword and then a bracket).
fn kind(body: &str) -> Kind {
    if body.starts_with('#') {
        return Kind::Statement;
    }
    let word_end = body
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(body.len());
    let word = &body[..word_end];
    let rest = body[word_end..].trim_start();
    // `cash` starts a statement only as `cash interest …`; alone it is the portfolio value.
    if word == "cash" {
        let interest = rest
            .strip_prefix("interest")
            .is_some_and(|r| !r.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_'));
        return if interest { Kind::Statement } else { Kind::Expression };
    }
    match (STATEMENT_KEYWORDS.contains(&word), rest.starts_with('(')) {
        (false, _) => Kind::Expression,
        (true, false) => Kind::Statement,
        (true, true) => Kind::Either,
    }
}

fn let_name(statement: &Statement) -> Option<&str> {
    match &statement.kind {
        StatementKind::Let { name, .. } => Some(&name.text),
        _ => None,
    }
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// The expression `expr` stands for through the session's `let`s (`params`): a bare name
/// (or one in brackets) bound by a `let` is replaced by its value, as many times as names
/// lead to names (a `let` cannot refer to itself, and the chain is cut at 64).
fn written_as<'e>(expr: &'e Expr, params: &'e HashMap<String, Expr>) -> &'e Expr {
    let mut at = expr;
    for _ in 0..64 {
        at = match &at.kind {
            ExprKind::Group(inner) => inner,
            ExprKind::Name(name) => match params.get(&name.text) {
                Some(value) => value,
                None => return at,
            },
            _ => return at,
        };
    }
    at
}
