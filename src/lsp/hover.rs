//! Hover: what the word under the cursor is. A function: its signature, what it computes
//! and what its arguments are; a symbol or series: its first and last date and last
//! value in the data; a parameter: its value; a schedule: when it fires.

use lsp_types::{Hover, HoverContents, MarkupContent, MarkupKind};

use super::analysis::{Analysis, Meaning, script_signature};
use super::word;
use crate::check::{Function, ParamKind, Term, functions};
use crate::data::format_timestamp;
use crate::language::{Class, schedule};
use crate::syntax::ast::{Schedule, StatementKind};

/// The hover text for byte `offset` of the document, and the byte range it is about.
pub fn hover(analysis: &Analysis, offset: usize) -> Option<(String, usize, usize)> {
    let text = analysis.text();
    if let Some(s) = schedule_at(analysis, offset) {
        let (start, end) = analysis.local(s.span)?;
        let words = analysis.sources.slice(s.span).trim();
        return Some((format!("`{words}`: {}", schedule::meaning(&s.kind)), start, end));
    }
    let word = word::at(text, offset)?;
    let markdown = match word.class {
        Class::Function => function(functions::lookup(word.text)?),
        Class::Call => script(analysis, word.text)?,
        Class::Name => name(analysis, word.text)?,
        _ => return None,
    };
    // Names come from the user's text and data files: no control character reaches the editor.
    Some((super::diagnostics::visible(&markdown), word.start, word.end))
}

/// The LSP form of [`hover`].
pub fn to_lsp(markdown: String, range: lsp_types::Range) -> Hover {
    Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: markdown,
        }),
        range: Some(range),
    }
}

/// The schedule of a rule or `contribute` line whose words hold the offset.
fn schedule_at(analysis: &Analysis, offset: usize) -> Option<&Schedule> {
    analysis.ast.statements().find_map(|s| {
        let schedule = match &s.kind {
            StatementKind::Rule(rule) => rule.schedule.as_ref(),
            StatementKind::Contribute { schedule, .. } => Some(schedule),
            _ => None,
        }?;
        let (start, end) = analysis.local(schedule.span)?;
        (start <= offset && offset <= end).then_some(schedule)
    })
}

fn function(f: &Function) -> String {
    let mut out = format!("```rotor\n{}\n```\n{}\n", f.signature(), f.doc);
    for p in f.params {
        let what = match p.kind {
            ParamKind::Source => "a value over time: a symbol (its close), a series or an expression",
            ParamKind::Symbol => "a symbol",
            ParamKind::Window => {
                "a look-back window: a number of bars (`50`) or a duration in trading days \
                 (`50 days`; a week is 5, a month 21, a year 252)"
            }
            ParamKind::Constant => "a fixed number",
            ParamKind::Value => "a number",
        };
        let default = match p.default {
            Some(0.0) => " (optional)".to_string(),
            Some(d) => format!(" (default {d})"),
            None => String::new(),
        };
        out.push_str(&format!("\n- `{}`: {what}{default}", p.name));
    }
    out
}

fn script(analysis: &Analysis, name: &str) -> Option<String> {
    let (f, file) = analysis.script_function(name)?;
    let (params, doc) = script_signature(f, file);
    let (line, _) = file.line_col(f.span.start);
    let mut out = format!(
        "```rotor\n{name}({})\n```\nA function of the script `{}` (line {line}).",
        params.join(", "),
        file.name
    );
    if !doc.is_empty() {
        out.push_str("\n\n");
        out.push_str(&doc.join("\n"));
    }
    Some(out)
}

fn name(analysis: &Analysis, name: &str) -> Option<String> {
    Some(match analysis.meaning(name)? {
        Meaning::Let(n, value) => {
            let written = crate::format::format_expr(value);
            let folded = analysis
                .program
                .as_ref()
                .and_then(|p| p.lets.iter().find(|l| l.name == n.text))
                .and_then(|l| match &l.value {
                    Term::Number(v) => Some(*v),
                    _ => None,
                });
            match folded {
                Some(v) if written != v.to_string() => {
                    format!("```rotor\nlet {name} = {written}\n```\nA parameter; its value is {v}.")
                }
                _ => format!(
                    "```rotor\nlet {name} = {written}\n```\nA parameter (`rotor run --set {name}=…` changes it)."
                ),
            }
        }
        Meaning::Portfolio(doc) => format!("`{name}`: {doc}."),
        Meaning::Symbol => history(analysis, name, "symbol"),
        Meaning::Series => history(analysis, name, "series"),
    })
}

/// "symbol `IWO` in `prices.csv`: 2003-01-02 to 2024-12-31, 5,536 bars; last close 281.3".
fn history(analysis: &Analysis, name: &str, what: &str) -> String {
    let data = analysis.data.as_ref().map(|d| &d.data);
    let (file, ts, last, value) = if let Some(p) = data.and_then(|d| d.price(name)) {
        let adjusted = p.adj_close.as_ref().and_then(|c| c.last());
        let value = if adjusted.is_some() {
            "last adjusted close"
        } else {
            "last close"
        };
        (p.file.as_str(), &p.ts, adjusted.or(p.close.last()).copied(), value)
    } else if let Some(s) = data.and_then(|d| d.series(name)) {
        (s.file.as_str(), &s.ts, s.values.last().copied(), "last value")
    } else {
        return format!("{what} `{name}` in the data");
    };
    let (Some(first), Some(latest)) = (ts.first(), ts.last()) else {
        return format!("{what} `{name}` in `{file}`: no rows");
    };
    let last = last.map_or("not available".to_string(), |v| format!("{v}"));
    format!(
        "{what} `{name}` in `{file}`\n\n{} to {}, {} rows; {value} {last}",
        format_timestamp(*first),
        format_timestamp(*latest),
        ts.len()
    )
}
