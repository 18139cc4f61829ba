//! Hover: what the word under the cursor is. A function: its signature, what it computes
//! and what its arguments are; a symbol or series: its first and last date and last
//! value in the data; a FedWatch series (with its meeting): what it measures, and its
//! history when FedWatch data is loaded; a parameter: its value; a schedule: when it
//! fires; a statement's first word: what the statement does; `dates day-first` and
//! `meeting`: what they say.

use lsp_types::{Hover, HoverContents, MarkupContent, MarkupKind};

use super::analysis::{Analysis, Meaning, script_signature};
use super::word;
use crate::check::{Function, ParamKind, Term, functions};
use crate::data::format_timestamp;
use crate::fedwatch::{FedSeries, Meeting};
use crate::language::continuation::logical_line_start;
use crate::language::{Class, schedule, statement, words};
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
    let (mut start, mut end) = (word.start, word.end);
    let markdown = match word.class {
        Class::Function => function(functions::lookup(word.text)?),
        Class::Call => script(analysis, word.text)?,
        Class::Name => {
            // `fed_cut_prob(meeting 2)` is one name: the hover is about that series.
            let name = match selected(analysis, word.start) {
                Some((name, s, e)) => {
                    (start, end) = (s, e);
                    name
                }
                None => word.text,
            };
            self::name(analysis, name)?
        }
        Class::Keyword => keyword(text, word.start, word.text)?.to_string(),
        _ => return None,
    };
    // Names come from the user's text and data files: no control character reaches the editor.
    Some((super::diagnostics::visible(&markdown), start, end))
}

/// The name with a meeting selector that starts at byte `start` of the document, and its
/// byte range.
fn selected(analysis: &Analysis, start: usize) -> Option<(&str, usize, usize)> {
    analysis.ast.name_nodes().find_map(|n| {
        let (s, e) = analysis.local(n.span)?;
        let has_selector = crate::fedwatch::series::selector_base(&n.text).is_some();
        (s == start && has_selector).then_some((n.text.as_str(), s, e))
    })
}

/// A keyword's account: what the statement it starts does, or what it says in its place.
fn keyword(text: &str, start: usize, word: &str) -> Option<&'static str> {
    let first = text[logical_line_start(text, start)..start].trim().is_empty();
    if first { statement::doc(word) } else { words::doc(word) }
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
            ParamKind::Series => "a data series (a column of a data file), by name",
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
        Meaning::FedWatch(series) => fedwatch(analysis, name, series),
    })
}

/// A FedWatch series: what it measures and of which meeting, then its history when the
/// data has FedWatch files, or what the data's column of that name is, or what to load.
fn fedwatch(analysis: &Analysis, name: &str, series: FedSeries) -> String {
    let meeting = match series.meeting {
        Meeting::Ahead(1) => "the next FOMC meeting".to_string(),
        Meeting::Ahead(n) => format!("the FOMC meeting {n} ahead (`meeting 1` is the next)"),
        Meeting::By(date) => format!("the last scheduled FOMC meeting on or before {date}"),
    };
    let measure = series.measure;
    let meaning = format!("FedWatch: {}, for {meeting}.", measure.doc());
    let Some(catalog) = &analysis.catalog else {
        // The data is still loading.
        return format!("`{name}`\n\n{meaning}");
    };
    let base = measure.name();
    if catalog.fedwatch {
        format!("{}\n\n{meaning}", history(analysis, name, "series"))
    } else if catalog.series.iter().any(|s| s == name) {
        format!(
            "{}\n\nA column of the data, read as it is. From CME FedWatch exports or fed funds \
             futures rotor derives `{base}` itself, with `{base}(meeting N)` and `{base}(by DATE)` \
             (docs/FEDWATCH.md).",
            history(analysis, name, "series")
        )
    } else {
        format!(
            "`{name}`\n\n{meaning}\n\nNo FedWatch data is loaded: add CME FedWatch exports or fed \
             funds futures with `data` (docs/FEDWATCH.md)."
        )
    }
}

/// "symbol `IWO` in `prices.csv`: 2003-01-02 to 2024-12-31, 5,536 rows; last close 281.3"
/// (with its date when the last rows have no value).
fn history(analysis: &Analysis, name: &str, what: &str) -> String {
    let data = analysis.data.as_ref().map(|d| &d.data);
    let (file, ts, last, value) = if let Some(p) = data.and_then(|d| d.price(name)) {
        let (closes, value) = match &p.adj_close {
            Some(adjusted) => (adjusted, "last adjusted close"),
            None => (&p.close, "last close"),
        };
        (p.file.as_str(), &p.ts[..], last_observed(&p.ts, closes), value)
    } else if let Some(s) = data.and_then(|d| d.series(name)) {
        (
            s.file.as_str(),
            &s.ts[..],
            last_observed(&s.ts, &s.values),
            "last value",
        )
    } else {
        return format!("{what} `{name}` in the data");
    };
    let (Some(first), Some(latest)) = (ts.first(), ts.last()) else {
        return format!("{what} `{name}` in `{file}`: no rows");
    };
    let last = match last {
        Some((v, at)) if at == *latest => format!("{v}"),
        Some((v, at)) => format!("{v} on {}", format_timestamp(at)),
        None => "not available".to_string(),
    };
    format!(
        "{what} `{name}` in `{file}`\n\n{} to {}, {} rows; {value} {last}",
        format_timestamp(*first),
        format_timestamp(*latest),
        ts.len()
    )
}

/// The last value that is a number, and its time: a series may end in days without one
/// (a FedWatch series after its meeting's last probabilities).
fn last_observed(ts: &[i64], values: &[f64]) -> Option<(f64, i64)> {
    ts.iter()
        .zip(values)
        .rev()
        .find(|(_, v)| v.is_finite())
        .map(|(t, v)| (*v, *t))
}

#[cfg(test)]
mod tests {
    use super::keyword;

    #[test]
    fn a_keyword_explains_its_statement_only_where_a_statement_starts() {
        let text = "from 2020-01-01\nrebalance monthly to IWO 60%,\n  cash 40%\nto 2024-12-31\n";
        let period = keyword(text, 0, "from").expect("`from` starts the period");
        assert!(period.starts_with("`from 2010-01-01 to 2024-12-31`"), "{period}");
        // `to` in a rule is part of the rule; on a line of its own it starts the period.
        let in_rule = text.find("to IWO").expect("in the text");
        assert_eq!(keyword(text, in_rule, "to"), None);
        let alone = text.rfind("to 2024").expect("in the text");
        assert_eq!(keyword(text, alone, "to"), Some(period));
        // `cash` on a line the rule continues on is not at a statement's start.
        let cash = text.find("cash").expect("in the text");
        assert_eq!(keyword(text, cash, "cash"), None);
    }
}
