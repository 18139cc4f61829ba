//! Calls of functions that exist nowhere, found when a script loads.
//!
//! rhai looks a function up only when it is called, so a misspelt helper (`helpr(x)`)
//! failed on the first bar of a run. Every plain call in a compiled script is checked
//! against the functions the script defines (a script is called on its own, so another
//! file's functions do not count), those the engine provides (its packages and rotor's own
//! registrations) and rhai's keyword functions. Method calls (`a.len()`) are not checked:
//! which method applies depends on the value's type at run time.

use std::collections::HashSet;

use rhai::{AST, ASTNode, Engine, Expr, Position, Stmt};

/// rhai's functions that are keywords rather than registered functions.
const KEYWORD_FUNCTIONS: &[&str] = &[
    "print",
    "debug",
    "type_of",
    "eval",
    "Fn",
    "call",
    "curry",
    "is_shared",
    "is_def_var",
    "is_def_fn",
];

/// The names of every function `engine` provides, its standard packages included.
pub fn provided(engine: &Engine) -> HashSet<String> {
    let mut names: HashSet<String> = (engine.gen_fn_signatures(true).iter())
        .filter_map(|signature| signature.split('(').next())
        .map(|name| name.trim().to_owned())
        .collect();
    names.extend(KEYWORD_FUNCTIONS.iter().map(|k| k.to_string()));
    names
}

/// The plain calls in `ast` of functions neither it defines nor `provided` has, each as
/// (name, rhai's position of the call), in the order met.
pub fn calls(ast: &AST, provided: &HashSet<String>) -> Vec<(String, Position)> {
    let defined: HashSet<&str> = ast.iter_functions().map(|f| f.name).collect();
    let mut found = Vec::new();
    ast.walk(&mut |path: &[ASTNode]| {
        // A call that is a statement of its own is a statement node, any other an expression.
        let call = match path.last() {
            Some(ASTNode::Expr(Expr::FnCall(call, position)) | ASTNode::Stmt(Stmt::FnCall(call, position))) => {
                Some((call, position))
            }
            _ => None,
        };
        if let Some((call, position)) = call
            && !call.is_operator_call()
            && !defined.contains(call.name.as_str())
            && !provided.contains(call.name.as_str())
        {
            found.push((call.name.to_string(), *position));
        }
        true
    });
    found
}

/// The names of the functions `ast` defines, sorted and each once: the candidates [`help`]
/// offers first (rhai keeps them in no fixed order, which made the offer change between runs
/// when two were as close).
pub fn defined(ast: &AST) -> Vec<&str> {
    let mut names: Vec<&str> = ast.iter_functions().map(|f| f.name).collect();
    names.sort_unstable();
    names.dedup();
    names
}

/// The names `provided` holds, sorted: the candidates [`help`] offers after the script's own.
pub fn sorted(provided: &HashSet<String>) -> Vec<&str> {
    let mut names: Vec<&str> = provided.iter().map(String::as_str).collect();
    names.sort_unstable();
    names
}

/// The help for an undefined `name`: the script's function (`defined`, see [`defined`]) or
/// the provided one (see [`sorted`]) it is likely a misspelling of
/// ([`crate::suggest::did_you_mean`]; the script's own first), or what to do.
pub fn help(name: &str, defined: &[&str], provided: &[&str]) -> String {
    let candidates = defined.iter().chain(provided).copied();
    match crate::suggest::did_you_mean(name, candidates) {
        Some(close) => crate::suggest::offer(close),
        None => format!(
            "define `fn {name}(…)` in this script (a script sees only its own functions and rhai's; \
             see docs/SCRIPTING.md)"
        ),
    }
}
