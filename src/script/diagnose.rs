//! rhai's errors, in rotor's words: each becomes a [`ScriptError`] with spans in the source
//! map and a help line that says what to write instead.

use rhai::{EvalAltResult, ParseError, ParseErrorType, Position};

use super::call::{CallContext, ScriptFunction};
use super::error::ScriptError;
use super::outline::{Lines, offset_of, token_at};
use super::sandbox::{Limits, TIMED_OUT};
use crate::source::{SourceFile, Span};

/// The global span of the token at rhai's `position` in `file`, or `None` if rhai gave no
/// position.
pub fn span_at(file: &SourceFile, position: Position) -> Option<Span> {
    let local = offset_of(&file.text, position)?;
    let (start, end) = token_at(&file.text, local);
    let base = file.base as usize;
    Some(Span::new(base + start, base + end))
}

/// [`span_at`] with the line index of `file`'s text, for many positions in one file.
pub fn span_in(file: &SourceFile, lines: &Lines, position: Position) -> Option<Span> {
    let local = lines.offset_of(position)?;
    let (start, end) = token_at(&file.text, local);
    let base = file.base as usize;
    Some(Span::new(base + start, base + end))
}

/// A compile error in `file`.
pub fn syntax(file: &SourceFile, error: &ParseError) -> ScriptError {
    let ParseError(kind, position) = error;
    let span = span_at(file, *position).unwrap_or_else(|| Span::new(file.base as usize, file.base as usize));
    let token = file
        .text
        .get((span.start - file.base) as usize..(span.end - file.base) as usize);
    let help = match kind.as_ref() {
        // rhai reports these as lexer errors or reserved words, depending on where they are.
        _ if token == Some("eval") => "`eval` is switched off in rotor scripts; write the code itself instead".into(),
        _ if matches!(token, Some("import" | "export")) => {
            "scripts cannot `import` other files; put the functions you need in this script".to_string()
        }
        ParseErrorType::Reserved(word) => {
            format!("`{word}` is reserved in rhai; choose another name")
        }
        ParseErrorType::VariableUndefined(name) => format!(
            "a function sees only its parameters and its own `let` variables; \
             declare `{name}` with `let`, or pass it as a parameter"
        ),
        ParseErrorType::ExprTooDeep => "split this expression into smaller ones with `let`".to_string(),
        ParseErrorType::UnexpectedEOF => "a `}`, `)` or `]` is probably missing".to_string(),
        ParseErrorType::FnDuplicatedDefinition(name, _) => {
            format!("rename one of the `{name}` functions, or give it a different number of parameters")
        }
        ParseErrorType::WrongFnDefinition => "define functions at the top level, not inside another function".into(),
        _ => "see the rhai book (rhai.rs/book) for the syntax, or docs/SCRIPTING.md for examples".to_string(),
    };
    ScriptError::Syntax {
        file: file.name.clone(),
        message: kind.to_string(),
        span,
        help,
    }
}

/// A failed call of `function` (defined in `file`) on the bar `ctx` describes.
pub fn runtime(
    file: &SourceFile,
    function: &ScriptFunction,
    ctx: &CallContext,
    limits: &Limits,
    error: &EvalAltResult,
) -> ScriptError {
    // A failure inside a helper arrives wrapped once per call level; the innermost error is
    // the one that knows what went wrong and where.
    let mut inner = error;
    let mut in_function = function.name.as_str();
    while let EvalAltResult::ErrorInFunctionCall(name, _, next, _) = inner {
        in_function = name;
        inner = next;
    }
    let at = span_at(file, inner.position()).unwrap_or(function.span);
    let (function_name, date, call) = (function.name.clone(), ctx.date.to_string(), ctx.call_span);
    let limit = |what: String, help: &'static str| ScriptError::Limit {
        function: function_name.clone(),
        date: date.clone(),
        what,
        at,
        call,
        help,
    };
    let too_long = "a call runs once per bar and must be quick: look for a loop that never ends, \
                    or look back over fewer bars";
    match inner {
        EvalAltResult::ErrorTooManyOperations(_) => limit(
            format!("ran too long (more than {} operations)", limits.operations),
            too_long,
        ),
        EvalAltResult::ErrorTerminated(token, _) if token.to_string() == TIMED_OUT => limit(
            format!("ran too long (more than {:.1} s)", limits.time.as_secs_f64()),
            too_long,
        ),
        EvalAltResult::ErrorStackOverflow(_) => limit(
            format!("called functions too deeply (more than {} levels)", limits.call_levels),
            "look for a function that calls itself without a condition that stops it; \
             a loop is cheaper than deep recursion",
        ),
        EvalAltResult::ErrorDataTooLarge(what, _) => {
            let (thing, size) = match what.as_str() {
                s if s.contains("string") => ("a string", format!("{} bytes", limits.string_size)),
                s if s.contains("array") => ("an array", format!("{} items", limits.array_size)),
                s if s.contains("map") => ("an object map", format!("{} entries", limits.map_size)),
                _ => ("a value", "the size limit".to_string()),
            };
            limit(
                format!("built {thing} larger than {size}"),
                "an indicator needs little memory: keep running totals instead of collecting \
                 every value, and do not grow strings or arrays in a loop",
            )
        }
        EvalAltResult::ErrorTooManyVariables(_) => limit(
            format!("used more than {} variables at once", limits.variables),
            "reuse variables instead of declaring new ones in a loop",
        ),
        _ => {
            let message = if in_function == function.name {
                message_of(inner)
            } else {
                format!("in `{in_function}`: {}", message_of(inner))
            };
            ScriptError::Runtime {
                function: function.name.clone(),
                date: ctx.date.to_string(),
                help: runtime_help(inner, &message),
                message,
                at,
                call: ctx.call_span,
            }
        }
    }
}

/// Whether `error` (or the error inside the helper calls it wraps) is rotor's own stop with
/// `token` (see [`super::sandbox::OVER_BUDGET`]).
pub fn stopped_by(error: &EvalAltResult, token: &str) -> bool {
    let mut inner = error;
    while let EvalAltResult::ErrorInFunctionCall(_, _, next, _) = inner {
        inner = next;
    }
    matches!(inner, EvalAltResult::ErrorTerminated(value, _) if value.to_string() == token)
}

/// What to write instead, for the errors a script author is likely to meet.
fn runtime_help(error: &EvalAltResult, message: &str) -> &'static str {
    match error {
        EvalAltResult::ErrorFunctionNotFound(signature, _) if signature.contains("()") => {
            "a value here is `()`, meaning \"not available\": test it first, as in \
             `if x == () { return (); }`"
        }
        EvalAltResult::ErrorFunctionNotFound(signature, _) if signature.starts_with("..") => {
            "rotor passes numbers as floats; write `n.to_int()` where a whole number is needed"
        }
        EvalAltResult::ErrorFunctionNotFound(..) => {
            "scripts can use rhai's built-in functions, the Series helpers and their own functions; \
             there is no access to files, the network or the environment"
        }
        EvalAltResult::ErrorArithmetic(..) => {
            "check the divisor before dividing, or compute in floats (`x.to_float()`)"
        }
        EvalAltResult::ErrorMismatchDataType(..) => "convert the value first, with `to_float()` or `to_int()`",
        EvalAltResult::ErrorRuntime(..) if message.contains("whole number") => {
            "indices and window lengths count bars: use a whole number such as `20`"
        }
        EvalAltResult::ErrorRuntime(..) if message.contains("window of at least") => {
            "ask for at least one bar (two for `stdev`)"
        }
        _ => "fix the script at this point; docs/SCRIPTING.md shows working examples",
    }
}

/// The error's message without rhai's "(line 3, position 9)" suffix: rotor's labels already
/// show where.
fn message_of(error: &EvalAltResult) -> String {
    let text = error.to_string();
    match text.rfind(" (line ") {
        Some(i) if text.ends_with(')') => text[..i].to_string(),
        _ => text,
    }
}
