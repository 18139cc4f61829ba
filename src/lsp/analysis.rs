//! One document run through the pipeline, as `rotor check` runs a file: parsed, its
//! scripts compiled, checked against its data's names. Every editor feature reads this;
//! none parses or checks on its own.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::data::{DataCache, DataKey, DataState};
use crate::access::Access;
use crate::check::{Catalog, Program};
use crate::data::LoadedData;
use crate::diagnostic::{Error, Failure};
use crate::engine::Period;
use crate::fedwatch::FedSeries;
use crate::pipeline::{self, Load};
use crate::report::StrategyWarning;
use crate::script::Scripts;
use crate::source::{SourceFile, SourceMap};
use crate::syntax::{self, ast};

/// What the server knows of a document's text at one version.
pub struct Analysis {
    /// The document (first) and the scripts it uses.
    pub sources: SourceMap,
    pub file: Arc<SourceFile>,
    /// Every line that parsed.
    pub ast: ast::File,
    pub key: DataKey,
    pub scripts: Option<Arc<Scripts>>,
    /// The data checked against, once loaded.
    pub data: Option<Arc<LoadedData>>,
    pub catalog: Option<Catalog>,
    /// The checked program, when the file has no error.
    pub program: Option<Program>,
    /// Every diagnostic, as `rotor check` would print them.
    pub errors: Vec<Error>,
    /// What `rotor check` warns about a strategy that checks: forms that do nothing, and,
    /// once the data is loaded, conditions it settles (`rotor::run::never_true`).
    pub strategy_warnings: Vec<StrategyWarning>,
    /// Problems of the data files, kept apart: they point into the CSV files.
    pub data_failure: Option<Arc<Failure>>,
    /// What the document may read (its folder, and `rotor lsp --allow-path`).
    pub access: Access,
}

impl Analysis {
    /// Analyses `text`, the document at `path` (`None` for an unsaved buffer: `data` and
    /// `use` paths are then relative to the server's folder), against the data the cache
    /// holds for it. Data not loaded yet leaves the names unchecked.
    pub fn new(name: &str, path: Option<&Path>, text: &str, cache: &DataCache) -> Analysis {
        let mut sources = SourceMap::new();
        let file = sources.add(name, path.map(Path::to_path_buf), text.to_string());
        let dir: PathBuf = file.dir();
        let (ast, _) = syntax::parse_file(&file);
        let key = DataKey::of(&ast, &dir);
        let mut data_failure = None;
        let load = if key.missing() {
            // The pipeline reports the missing path on its line before loading anything.
            Load::All
        } else {
            match cache.get(&key) {
                Some(DataState::Ready(data)) => Load::Loaded(data.clone()),
                Some(DataState::Failed(failure)) => {
                    data_failure = Some(failure.clone());
                    Load::Nothing
                }
                None => Load::Nothing,
            }
        };
        // Scripts (and, for a missing path, data) are read under the server's policy.
        let options = cache.policy().options(load);
        let mut analysis = Analysis {
            sources: SourceMap::new(),
            file: file.clone(),
            ast,
            key,
            scripts: None,
            data: None,
            catalog: None,
            program: None,
            errors: Vec::new(),
            strategy_warnings: Vec::new(),
            data_failure,
            access: options.access(&dir),
        };
        match pipeline::prepare(&file, &options, &mut sources) {
            Ok(prepared) => {
                // As `rotor check`: the checked program against the data, then its warnings.
                let checked = pipeline::check(&prepared, &sources)
                    .and_then(|program| pipeline::check_data(&prepared, &program, &sources).map(|()| program));
                match checked {
                    Ok(program) => {
                        analysis.strategy_warnings =
                            pipeline::warnings(&prepared, &program, Period::default(), &sources);
                        analysis.program = Some(program);
                    }
                    Err(failure) => analysis.errors = failure.errors,
                }
                analysis.scripts = prepared.scripts;
                analysis.data = prepared.data;
                analysis.catalog = prepared.catalog;
            }
            Err(failure) => analysis.errors = failure.errors,
        }
        analysis.sources = sources;
        analysis
    }

    /// The text of the document.
    pub fn text(&self) -> &str {
        &self.file.text
    }

    /// The document's byte range of a global span, if the span is in the document.
    pub fn local(&self, span: crate::source::Span) -> Option<(usize, usize)> {
        let end = self.file.base as usize + self.file.text.len();
        let (s, e) = (span.start as usize, span.end as usize);
        (s >= self.file.base as usize && s <= end)
            .then(|| (s - self.file.base as usize, e.min(end) - self.file.base as usize))
    }
}

/// What a name in the document stands for.
pub enum Meaning<'a> {
    /// A `let` line: its name and value.
    Let(&'a ast::Name, &'a ast::Expr),
    Symbol,
    Series,
    /// A portfolio value such as `cash`, and what it is.
    Portfolio(&'static str),
    /// A FedWatch series (`fed_cut_prob`, `fed_cut_prob(meeting 2)`), whether or not the
    /// data has it.
    FedWatch(FedSeries),
}

impl Analysis {
    /// What `name` stands for in this document, if anything is known of it.
    pub fn meaning(&self, name: &str) -> Option<Meaning<'_>> {
        let let_line = self.ast.statements().find_map(|s| match &s.kind {
            ast::StatementKind::Let { name: n, value } if n.text == name => Some(Meaning::Let(n, value)),
            _ => None,
        });
        if let_line.is_some() {
            return let_line;
        }
        if let Some((_, doc)) = crate::check::PORTFOLIO_NAMES.iter().find(|(n, _)| *n == name) {
            return Some(Meaning::Portfolio(doc));
        }
        if let Some(series) = FedSeries::parse(name) {
            return Some(Meaning::FedWatch(series));
        }
        let catalog = self.catalog.as_ref()?;
        if catalog.symbols.iter().any(|s| s == name) {
            Some(Meaning::Symbol)
        } else if catalog.series.iter().any(|s| s == name) {
            Some(Meaning::Series)
        } else {
            None
        }
    }

    /// The function of a `use`d script called `name`, and the file that defines it.
    pub fn script_function(&self, name: &str) -> Option<(&crate::script::ScriptFunction, &Arc<SourceFile>)> {
        let f = self.scripts.as_ref()?.functions().iter().find(|f| f.name == name)?;
        let file = self.sources.file_at(f.span.start)?;
        Some((f, file))
    }

    /// The names completion offers: the data's, the `let`s', the scripts' functions.
    pub fn vocabulary(&self) -> crate::language::Vocabulary {
        let parameters = self
            .ast
            .statements()
            .filter_map(|s| match &s.kind {
                ast::StatementKind::Let { name, value } => Some((name.text.clone(), crate::format::format_expr(value))),
                _ => None,
            })
            .collect();
        let scripts = self
            .scripts
            .iter()
            .flat_map(|s| s.functions())
            .map(|f| (f.name.clone(), f.arity))
            .collect();
        let (symbols, series, fedwatch) = match &self.catalog {
            Some(c) => (c.symbols.clone(), c.series.clone(), c.fedwatch),
            None => Default::default(),
        };
        crate::language::Vocabulary {
            symbols,
            series,
            parameters,
            scripts,
            fedwatch,
        }
    }
}

/// A script function's parameter names, read from its `fn name(a, b)` line, and the
/// comment lines (`//`, `///`) just above it.
pub fn script_signature(f: &crate::script::ScriptFunction, file: &SourceFile) -> (Vec<String>, Vec<String>) {
    let start = (f.span.start.saturating_sub(file.base)) as usize;
    let end = (f.span.end.saturating_sub(file.base)) as usize;
    let text = &file.text;
    let params = text
        .get(end..)
        .and_then(|rest| {
            let open = rest.find('(')?;
            let close = rest[open..].find(')')? + open;
            Some(
                rest[open + 1..close]
                    .split(',')
                    .map(|p| p.trim().to_string())
                    .filter(|p| !p.is_empty())
                    .collect(),
            )
        })
        .unwrap_or_default();
    let line_start = text.get(..start).and_then(|t| t.rfind('\n')).map_or(0, |i| i + 1);
    let mut doc: Vec<String> = text[..line_start]
        .lines()
        .rev()
        .map(str::trim)
        .take_while(|l| l.starts_with("//"))
        .map(|l| l.trim_start_matches('/').trim().to_string())
        .collect();
    doc.reverse();
    (params, doc)
}
