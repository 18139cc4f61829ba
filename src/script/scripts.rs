//! All `use`d scripts of a strategy, compiled once and callable once per bar.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use rhai::{AST, CallFnOptions, Dynamic, Engine, FnAccess, Scope};

use super::call::{Arg, Args, CallContext, ScriptFunction};
use super::diagnose;
use super::error::ScriptError;
use super::outline::Outline;
use super::sandbox::{self, Limits};
use crate::source::{SourceFile, SourceMap, Span};

/// All `use`d scripts of a strategy, compiled once, with one sandboxed engine.
///
/// `Send + Sync`: sweep workers share one `Scripts` and call it from many threads; a call
/// keeps no state between bars, so results do not depend on which thread ran what.
pub struct Scripts {
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
        for (index, file) in files.into_iter().enumerate() {
            let ast = match engine.compile(&file.text) {
                Ok(ast) => ast,
                Err(error) => {
                    errors.push(diagnose::syntax(&file, &error));
                    continue;
                }
            };
            let outline = Outline::of(&file.text);
            let at = |(start, end): (usize, usize)| Span::new(file.base as usize + start, file.base as usize + end);
            if let Some(&statement) = outline.top_level.first() {
                errors.push(ScriptError::TopLevel {
                    file: file.name.clone(),
                    span: at(statement),
                });
            }
            for function in callable(&ast, &outline, index, at) {
                match functions
                    .iter()
                    .find(|f| f.name == function.name && f.arity == function.arity)
                {
                    Some(first) => errors.push(ScriptError::Duplicate {
                        name: function.name.clone(),
                        arity: function.arity,
                        first: first.span,
                        second: function.span,
                    }),
                    None => functions.push(function),
                }
            }
            scripts.push(Script { file, ast });
        }
        if errors.is_empty() {
            Ok(Scripts {
                engine,
                limits,
                scripts,
                functions,
            })
        } else {
            Err(errors)
        }
    }

    /// Every function strategies may call, in the order the scripts define them. Functions
    /// declared `private`, or whose name starts with `_`, are helpers: scripts call them,
    /// strategies do not see them.
    pub fn functions(&self) -> &[ScriptFunction] {
        &self.functions
    }

    /// The limits every call runs under.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Calls function `index` (of [`Scripts::functions`]) for one bar. Numbers come back as
    /// they are, `true`/`false` as 1.0/0.0, and `()` as `NaN` ("not available yet"); any
    /// other value is an error.
    ///
    /// # Panics
    /// If `index` is not an index of [`Scripts::functions`].
    pub fn call(&self, index: usize, args: &[Arg], ctx: &CallContext) -> Result<f64, ScriptError> {
        let function = self
            .functions
            .get(index)
            .expect("the index comes from Scripts::functions");
        let script = &self.scripts[function.file];
        sandbox::start_call();
        // The AST's statements are never run (a script has only definitions), and the scope
        // is rewound so the next call starts clean.
        let options = CallFnOptions::new().eval_ast(false).rewind_scope(true);
        let result = SCOPE.with_borrow_mut(|scope| {
            self.engine
                .call_fn_with_options::<Dynamic>(options, scope, &script.ast, &function.name, Args(args))
        });
        match result {
            Ok(value) => number(&value).ok_or_else(|| ScriptError::ReturnType {
                function: function.name.clone(),
                date: ctx.date.to_string(),
                found: format!("a value of type `{}`", self.engine.map_type_name(value.type_name())),
                at: function.span,
                call: ctx.call_span,
            }),
            Err(error) => Err(diagnose::runtime(&script.file, function, ctx, &self.limits, &error)),
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

/// A script's return value as a rotor number.
fn number(value: &Dynamic) -> Option<f64> {
    let value = value.clone().flatten();
    if value.is_unit() {
        Some(f64::NAN)
    } else if let Ok(x) = value.as_float() {
        Some(x)
    } else if let Ok(n) = value.as_int() {
        Some(n as f64)
    } else {
        value.as_bool().ok().map(|b| if b { 1.0 } else { 0.0 })
    }
}
