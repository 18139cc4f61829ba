//! The HTML report: one self-contained page (every script and style inline, no fonts or
//! anything else fetched) for a run (`rotor run --report`), a comparison (`rotor compare
//! --report`) and a sweep (`rotor sweep --report`).
//!
//! Each page is a template in `templates/` filled from a model built here from the
//! report's data; minijinja escapes every value for HTML, so a strategy's name or text
//! cannot add markup. Tables are written into the page (they print, and tests read them);
//! time charts are drawn in the browser by uPlot (`vendor/`, MIT) from the data in the
//! page's `<script type="application/json" id="charts">`, with hover values, zoom (drag
//! across a chart; double-click to reset) and a log-scale switch. The palette is
//! Okabe–Ito's, readable with every common colour-vision deficiency.

mod chart_data;
mod compare_page;
mod run_page;
mod sweep_page;
mod tables;

use minijinja::{AutoEscape, Environment, Value};
use serde::Serialize;

pub use compare_page::compare;
pub use run_page::run;
pub use sweep_page::sweep;

/// The chart library's version, as `vendor/README.md` states it.
pub const UPLOT_VERSION: &str = "1.6.32";

const UPLOT_JS: &str = include_str!("vendor/uPlot.iife.min.js");
const UPLOT_CSS: &str = include_str!("vendor/uPlot.min.css");
const REPORT_JS: &str = include_str!("report.js");
const REPORT_CSS: &str = include_str!("report.css");

/// The templates, each under its file name.
const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("templates/base.html")),
    ("macros.html", include_str!("templates/macros.html")),
    ("run.html", include_str!("templates/run.html")),
    ("compare.html", include_str!("templates/compare.html")),
    ("sweep.html", include_str!("templates/sweep.html")),
];

/// Renders `template` with `page` (the page's model) and `charts` (the chart data).
fn render(template: &str, page: &impl Serialize, charts: &impl Serialize) -> String {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".html") {
            AutoEscape::Html
        } else {
            AutoEscape::None
        }
    });
    for (name, source) in TEMPLATES {
        env.add_template(name, source)
            .expect("the report's templates are valid (tests render every one)");
    }
    env.add_filter("visible", |s: String| visible(&s, false));
    env.add_filter("visible_text", |s: String| visible(&s, true));
    let context = minijinja::context! {
        page => Value::from_serialize(page),
        charts_json => Value::from_safe_string(script_json(charts)),
        uplot_js => Value::from_safe_string(UPLOT_JS.to_string()),
        uplot_css => Value::from_safe_string(UPLOT_CSS.to_string()),
        report_js => Value::from_safe_string(REPORT_JS.to_string()),
        report_css => Value::from_safe_string(REPORT_CSS.to_string()),
        uplot_version => UPLOT_VERSION,
        rotor_version => env!("CARGO_PKG_VERSION"),
    };
    env.get_template(template)
        .and_then(|t| t.render(context))
        .expect("the report's templates render (tests render every one)")
}

/// JSON for a `<script type="application/json">` element: `<`, `>` and `&` written as
/// `\u003c` …, so no string in it can close the element or open a comment.
fn script_json(value: &impl Serialize) -> String {
    let json = serde_json::to_string(value).expect("chart data serialises");
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// A user's string with control characters made visible (`\u{1b}`), so nothing in a name or
/// a strategy's text is hidden or moves the text around; `text` keeps line ends and tabs
/// (a file's text).
fn visible(s: &str, text: bool) -> String {
    s.chars()
        .map(|c| match c {
            '\n' | '\t' if text => c.to_string(),
            '\r' if text => String::new(),
            c if c.is_control() || is_bidi_control(c) => format!("\\u{{{:x}}}", c as u32),
            c => c.to_string(),
        })
        .collect()
}

/// Characters that reorder text on screen (Unicode bidirectional controls): a way to show
/// a reader something other than what runs.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{061c}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_and_reordering_characters_are_shown_not_obeyed() {
        assert_eq!(visible("a\u{1b}[31mb", false), "a\\u{1b}[31mb");
        assert_eq!(visible("x\u{202e}y", false), "x\\u{202e}y");
        assert_eq!(visible("line\nnext\ttab", false), "line\\u{a}next\\u{9}tab");
        assert_eq!(visible("line\r\nnext\ttab", true), "line\nnext\ttab");
    }

    #[test]
    fn script_json_cannot_close_its_element() {
        let s = script_json(&vec!["</script><!--&"]);
        assert!(!s.contains('<') && !s.contains('>') && !s.contains('&'));
        let back: Vec<String> = serde_json::from_str(&s).unwrap();
        assert_eq!(back, vec!["</script><!--&"]);
    }
}
