//! All `use`d scripts of a strategy, compiled once and callable once per bar.

use std::cell::RefCell;
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::path::PathBuf;
use std::sync::Arc;

use rhai::{AST, CallFnOptions, Dynamic, Engine, FnAccess, Scope};

use super::budget::{Budget, Meter};
use super::call::{Arg, Args, CallContext, ScriptFunction};
use super::diagnose;
use super::error::ScriptError;
use super::forbidden;
use super::outline::{self, Lines, Outline};
use super::sandbox::{self, Limits};
use super::undefined;
use crate::source::{SourceFile, SourceMap, Span};
use crate::syntax::MAX_ERRORS;

/// All `use`d scripts of a strategy, compiled once, with one sandboxed engine, and the
/// budget of script work of one run ([`Scripts::for_run`] starts a run's count).
///
/// `Send + Sync`: sweep workers share one `Scripts` and call it from many threads; a call
/// keeps no state between bars, so results do not depend on which thread ran what.
pub struct Scripts {
    compiled: Arc<Compiled>,
    budget: Budget,
    meter: Arc<Meter>,
}

/// What compiling gives, shared by every run.
struct Compiled {
    engine: Engine,
    limits: Limits,
    scripts: Vec<Script>,
    functions: Vec<ScriptFunction>,
}

/// One compiled `.rhai` file.
struct Script {
    file: Arc<SourceFile>,
    ast: AST,
}

thread_local! {
    /// The scope calls run in, kept per thread so its storage is reused from bar to bar.
    /// Every call rewinds it to empty, so nothing leaks from one call into the next.
    static SCOPE: RefCell<Scope<'static>> = RefCell::new(Scope::new());
}

impl Scripts {
    /// Reads and compiles each file: `files` holds the path to read and the span of the `use`
    /// line's string in the strategy, which "cannot read" errors point at. Each script's text
    /// is added to `sources`, so later errors can point into it. Reports the problems of every
    /// file, not just the first.
    pub fn load(sources: &mut SourceMap, files: &[(PathBuf, Span)]) -> Result<Scripts, Vec<ScriptError>> {
        Self::load_with_limits(sources, files, Limits::default())
    }

    /// [`Scripts::load`] with other limits than the default ones.
    pub fn load_with_limits(
        sources: &mut SourceMap,
        files: &[(PathBuf, Span)],
        limits: Limits,
    ) -> Result<Scripts, Vec<ScriptError>> {
        let mut read = Vec::with_capacity(files.len());
        let mut errors = Vec::new();
        for (path, span) in files {
            match std::fs::read_to_string(path) {
                Ok(text) => read.push(sources.add(path.display().to_string(), Some(path.clone()), text)),
                Err(error) => errors.push(ScriptError::Read {
                    path: path.display().to_string(),
                    reason: error.to_string(),
                    span: *span,
                }),
            }
        }
        match Self::compile(read, limits) {
            Ok(scripts) if errors.is_empty() => Ok(scripts),
            Ok(_) => Err(errors),
            Err(more) => {
                errors.extend(more);
                Err(errors)
            }
        }
    }

    /// Compiles one script given as text, named `name` in diagnostics (tests, the REPL).
    pub fn from_source(sources: &mut SourceMap, name: &str, text: &str) -> Result<Scripts, Vec<ScriptError>> {
        let file = sources.add(name, None, text.to_string());
        Self::compile(vec![file], Limits::default())
    }

    /// Compiles scripts already read and added to the source map (the file-access policy,
    /// `crate::access`, reads them for a strategy).
    pub fn compile(files: Vec<Arc<SourceFile>>, limits: Limits) -> Result<Scripts, Vec<ScriptError>> {
        let engine = sandbox::engine(&limits);
        let mut scripts = Vec::with_capacity(files.len());
        let mut functions: Vec<ScriptFunction> = Vec::new();
        let mut errors = Vec::new();
        let provided = undefined::provided(&engine);
        let provided_names = undefined::sorted(&provided);
        // Each function strategies may call, by name and arity, and where it is defined.
        let mut known: HashMap<(String, usize), Span> = HashMap::new();
        for (index, file) in files.into_iter().enumerate() {
            if let Some(at) = outline::fn_keywords(&file.text).nth(super::MAX_FUNCTIONS) {
                let start = file.base as usize + at;
                errors.push(ScriptError::TooManyFunctions {
                    file: file.name.clone(),
                    limit: super::MAX_FUNCTIONS,
                    span: Span::new(start, start + 2),
                });
                continue;
            }
            let ast = match engine.compile(&file.text) {
                Ok(ast) => ast,
                Err(error) => {
                    errors.push(diagnose::syntax(&file, &error));
                    continue;
                }
            };
            let outline = Outline::of(&file.text);
            let at = |(start, end): (usize, usize)| Span::new(file.base as usize + start, file.base as usize + end);
            let mut found = Vec::new();
            if let Some(&statement) = outline.top_level.first() {
                found.push(Found::Error(ScriptError::TopLevel {
                    file: file.name.clone(),
                    span: at(statement),
                }));
            }
            for (name, what, range) in forbidden::calls(&file.text) {
                found.push(Found::Error(ScriptError::NotAvailable {
                    name: name.to_string(),
                    what,
                    span: at(range),
                }));
            }
            // A function scripts may not call is reported above, as such.
            let lines = Lines::of(&file.text);
            let undefined = undefined::calls(&ast, &provided).into_iter();
            for (name, position) in
                undefined.filter(|(name, _)| forbidden::NOT_AVAILABLE.iter().all(|(n, _)| n != name))
            {
                found.push(Found::Undefined {
                    span: diagnose::span_in(&file, &lines, position).unwrap_or_else(|| at((0, 0))),
                    name,
                });
            }
            for function in callable(&ast, &outline, index, at) {
                match known.entry((function.name.clone(), function.arity)) {
                    Entry::Occupied(first) => found.push(Found::Error(ScriptError::Duplicate {
                        name: function.name.clone(),
                        arity: function.arity,
                        first: *first.get(),
                        second: function.span,
                    })),
                    Entry::Vacant(slot) => {
                        slot.insert(function.span);
                        functions.push(function);
                    }
                }
            }
            let defined = undefined::defined(&ast);
            errors.extend(shown(found, &file.name, |name| {
                undefined::help(name, &defined, &provided_names)
            }));
            scripts.push(Script { file, ast });
        }
        if errors.is_empty() {
            Ok(Scripts {
                compiled: Arc::new(Compiled {
                    engine,
                    limits,
                    scripts,
                    functions,
                }),
                budget: Budget::default(),
                meter: Arc::default(),
            })
        } else {
            Err(errors)
        }
    }

    /// The same scripts with another budget for a run's script work.
    pub fn with_budget(&self, budget: Budget) -> Scripts {
        Scripts {
            compiled: self.compiled.clone(),
            budget,
            meter: Arc::default(),
        }
    }

    /// The same scripts and budget with nothing spent yet: what one run (one backtest, one
    /// variant of a sweep) calls.
    pub fn for_run(&self) -> Scripts {
        self.with_budget(self.budget)
    }

    /// The budget of one run.
    pub fn budget(&self) -> &Budget {
        &self.budget
    }

    /// Every function strategies may call, in the order the scripts define them. Functions
    /// declared `private`, or whose name starts with `_`, are helpers: scripts call them,
    /// strategies do not see them.
    pub fn functions(&self) -> &[ScriptFunction] {
        &self.compiled.functions
    }

    /// The limits every call runs under.
    pub fn limits(&self) -> &Limits {
        &self.compiled.limits
    }

    /// Calls function `index` (of [`Scripts::functions`]) for one bar. Numbers come back as
    /// they are, `true`/`false` as 1.0/0.0, and `()` as `NaN` ("not available yet"); any
    /// other value, NaN or an infinity is an error, and so is a call once the run's budget is
    /// spent (the call that spends it included).
    ///
    /// # Panics
    /// If `index` is not an index of [`Scripts::functions`].
    pub fn call(&self, index: usize, args: &[Arg], ctx: &CallContext) -> Result<f64, ScriptError> {
        let compiled = &*self.compiled;
        let function = compiled
            .functions
            .get(index)
            .expect("the index comes from Scripts::functions");
        let script = &compiled.scripts[function.file];
        let over_budget = || self.over_budget(&script.file, function, ctx);
        self.meter.start();
        let left = self.meter.left(&self.budget).ok_or_else(over_budget)?;
        let started = sandbox::start_call(Some(left));
        // The AST's statements are never run (a script has only definitions), and the scope
        // is rewound so the next call starts clean.
        let options = CallFnOptions::new().eval_ast(false).rewind_scope(true);
        let result = SCOPE.with_borrow_mut(|scope| {
            compiled
                .engine
                .call_fn_with_options::<Dynamic>(options, scope, &script.ast, &function.name, Args(args))
        });
        let spent = self.meter.add(sandbox::operations(), started.elapsed(), &self.budget);
        let value = match result {
            Ok(value) => value,
            Err(error) if diagnose::stopped_by(&error, sandbox::OVER_BUDGET) => return Err(over_budget()),
            Err(error) => {
                return Err(diagnose::runtime(&script.file, function, ctx, &compiled.limits, &error));
            }
        };
        let x = match number(&value) {
            Ok(x) => x,
            Err(Returned::NotANumber) => {
                return Err(ScriptError::ReturnType {
                    function: function.name.clone(),
                    date: ctx.date.to_string(),
                    found: format!("a value of type `{}`", compiled.engine.map_type_name(value.type_name())),
                    at: function.span,
                    call: ctx.call_span,
                });
            }
            Err(Returned::NotFinite(x)) => {
                return Err(ScriptError::NotFinite {
                    function: function.name.clone(),
                    date: ctx.date.to_string(),
                    value: if x.is_nan() { "NaN".into() } else { format!("{x}") },
                    at: function.span,
                    call: ctx.call_span,
                });
            }
        };
        if spent {
            return Err(over_budget());
        }
        Ok(x)
    }

    fn over_budget(&self, file: &SourceFile, function: &ScriptFunction, ctx: &CallContext) -> ScriptError {
        ScriptError::Budget {
            script: file.name.clone(),
            function: function.name.clone(),
            date: ctx.date.to_string(),
            what: self
                .meter
                .spent(&self.budget)
                .unwrap_or_else(|| "all of it".to_string()),
            at: function.span,
            call: ctx.call_span,
        }
    }
}

/// The functions of one script that strategies may call, in source order, with the spans of
/// their names.
fn callable(ast: &AST, outline: &Outline, file: usize, at: impl Fn((usize, usize)) -> Span) -> Vec<ScriptFunction> {
    let mut public: HashMap<(&str, usize), bool> = HashMap::new();
    for f in ast.iter_functions() {
        let visible = f.access == FnAccess::Public && !f.name.starts_with('_');
        public.insert((f.name, f.params.len()), visible);
    }
    let mut found = Vec::new();
    for definition in &outline.functions {
        if public.remove(&(definition.name.as_str(), definition.arity)) == Some(true) {
            found.push(ScriptFunction {
                name: definition.name.clone(),
                arity: definition.arity,
                span: at(definition.name_at),
                file,
            });
        }
    }
    // The outline reads the text itself; should it ever miss a definition rhai found, the
    // function is still callable, with its span at the top of the script.
    let mut missed: Vec<_> = public.into_iter().filter(|&(_, visible)| visible).collect();
    missed.sort();
    for ((name, arity), _) in missed {
        found.push(ScriptFunction {
            name: name.to_string(),
            arity,
            span: at((0, 0)),
            file,
        });
    }
    found
}

/// A problem found in a script as it loads; an undefined call's help (a search of every
/// name for a close one) is written only for the calls shown.
enum Found {
    Error(ScriptError),
    Undefined { name: String, span: Span },
}

impl Found {
    /// Where it is in the script (the second definition of a duplicate).
    fn start(&self) -> u32 {
        match self {
            Found::Undefined { span, .. }
            | Found::Error(ScriptError::TopLevel { span, .. } | ScriptError::NotAvailable { span, .. })
            | Found::Error(ScriptError::Duplicate { second: span, .. }) => span.start,
            Found::Error(_) => 0,
        }
    }
}

/// The problems of script `file` in the order of its text, the first [`MAX_ERRORS`] of
/// them (like a strategy file's), then how many there were when there were more. `help`
/// writes an undefined call's help.
fn shown(mut found: Vec<Found>, file: &str, help: impl Fn(&str) -> String) -> Vec<ScriptError> {
    found.sort_by_key(Found::start);
    let total = found.len();
    let mut errors: Vec<ScriptError> = (found.into_iter().take(MAX_ERRORS))
        .map(|found| match found {
            Found::Error(error) => error,
            Found::Undefined { name, span } => ScriptError::UndefinedFunction {
                help: help(&name),
                span,
                name,
            },
        })
        .collect();
    if total > MAX_ERRORS {
        errors.push(ScriptError::MoreErrors {
            file: file.to_string(),
            shown: MAX_ERRORS,
            total,
        });
    }
    errors
}

/// Why a script's return value is not a rotor number.
enum Returned {
    NotANumber,
    NotFinite(f64),
}

/// A script's return value as a rotor number: `()` is "not available" (NaN inside rotor);
/// a float NaN or infinity is a mistake, never a signal, so it is refused.
fn number(value: &Dynamic) -> Result<f64, Returned> {
    let value = value.clone().flatten();
    if value.is_unit() {
        Ok(f64::NAN)
    } else if let Ok(x) = value.as_float() {
        if x.is_finite() {
            Ok(x)
        } else {
            Err(Returned::NotFinite(x))
        }
    } else if let Ok(n) = value.as_int() {
        Ok(n as f64)
    } else {
        value
            .as_bool()
            .map(|b| if b { 1.0 } else { 0.0 })
            .map_err(|_| Returned::NotANumber)
    }
}
