use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, NamedSource, SourceSpan};
use thiserror::Error;

use super::*;

#[derive(Debug, Diagnostic, Error)]
#[error("{message}")]
#[diagnostic(code(rotor::test), help("{help}"))]
struct Pointed {
    message: String,
    help: String,
    #[source_code]
    src: NamedSource<String>,
    #[label("{label}")]
    at: SourceSpan,
    label: String,
}

fn pointed(text: &str, at: (usize, usize)) -> Pointed {
    Pointed {
        message: "something is wrong".into(),
        help: "fix it".into(),
        src: NamedSource::new("f.rotor", text.to_string()),
        at: at.into(),
        label: "here".into(),
    }
}

/// What miette itself prints, for comparison where nothing needs cutting or escaping.
fn plain_miette(diagnostic: &dyn Diagnostic) -> String {
    let handler = GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor())
        .with_width(100)
        .with_context_lines(CONTEXT_LINES);
    let mut out = String::new();
    handler.render_report(&mut out, diagnostic).expect("renders");
    out
}

#[test]
fn short_lines_render_exactly_as_miette_renders_them() {
    let text = "strategy \"x\"\nbuy IWO monthly while fed_cut_prb > 0.5\nsell IWO\n";
    for at in [(0, 8), (36, 11), (text.len() - 4, 3), (text.len(), 0), (13, 3)] {
        let d = pointed(text, at);
        assert_eq!(render(&d, None, false), plain_miette(&d), "label at {at:?}");
    }
}

#[test]
fn a_label_past_column_65535_renders_cut_around_it() {
    let text = format!("buy IWO monthly while{}xyz > 1\nsell IWO\n", " ".repeat(70_000));
    let at = text.find("xyz").expect("in the text");
    let out = render(&pointed(&text, (at, 3)), None, false);
    assert!(out.contains(&format!("[f.rotor:1:{}]", at + 1)), "{out}");
    assert!(out.contains("…"), "{out}");
    assert!(out.contains("xyz > 1"), "{out}");
    let longest = out.lines().map(|l| l.chars().count()).max().unwrap_or(0);
    assert!(longest < 2 * MAX_LINE_CHARS, "a line of {longest} characters:\n{out}");
}

#[test]
fn two_labels_far_apart_on_one_line_are_both_shown() {
    #[derive(Debug, Diagnostic, Error)]
    #[error("two")]
    struct Two {
        #[source_code]
        src: String,
        #[label("first")]
        a: SourceSpan,
        #[label("second")]
        b: SourceSpan,
    }
    let text = format!("aaa{}bbb\n", " ".repeat(100_000));
    let out = render(
        &Two {
            a: (0, 3).into(),
            b: (text.len() - 4, 3).into(),
            src: text,
        },
        None,
        false,
    );
    assert!(out.contains("first") && out.contains("second"), "{out}");
    assert!(out.contains("aaa") && out.contains("bbb"), "{out}");
    assert!(out.len() < 2_000, "{out}");
}

#[test]
fn a_long_context_line_is_cut_too() {
    let text = format!("{}\nbuy IWO\n", "#".repeat(80_000));
    let out = render(&pointed(&text, (80_005, 3)), None, false);
    assert!(out.contains("buy IWO") && out.contains("…"), "{out}");
    assert!(out.len() < 2_000, "{} bytes", out.len());
}

#[test]
fn control_characters_are_escaped_in_lines_messages_and_labels() {
    let text = "strategy \"\u{1b}]0;title\u{7}\u{1b}[2J\"\nbuy IWO\r\n";
    let mut d = pointed(text, (9, 17));
    d.message = "bad name \u{1b}[31m".into();
    d.help = "try \u{1b}[0m".into();
    d.label = "\u{9b}here".into();
    let out = render(&d, None, false);
    for raw in ['\u{1b}', '\u{7}', '\u{9b}', '\r'] {
        assert!(!out.contains(raw), "{raw:?} printed raw:\n{out}");
    }
    assert!(out.contains("\\u{1b}]0;title\\u{7}\\u{1b}[2J"), "{out}");
    assert!(out.contains("bad name \\u{1b}[31m"), "{out}");
    assert!(out.contains("\\u{9b}here"), "{out}");
}

#[test]
fn a_label_over_many_lines_is_shortened() {
    let text = "x\n".repeat(100_000);
    let out = render(&pointed(&text, (0, text.len())), None, false);
    let shown = out.lines().filter(|l| l.contains(" x")).count();
    assert!(shown <= MAX_LABEL_LINES + 2 * CONTEXT_LINES, "{shown} lines:\n{out}");
}

#[test]
fn bytes_that_are_not_utf8_show_as_replacement_characters() {
    #[derive(Debug, Diagnostic, Error)]
    #[error("bytes")]
    struct Bytes {
        #[source_code]
        src: Vec<u8>,
        #[label("here")]
        at: SourceSpan,
    }
    let out = render(
        &Bytes {
            src: b"date,close\n2024-01-02,\xff\xfe1\n".to_vec(),
            at: (22, 2).into(),
        },
        None,
        false,
    );
    assert!(out.contains('\u{fffd}'), "{out}");
}

#[test]
fn labels_outside_the_source_leave_the_message_intact() {
    let out = render(&pointed("buy IWO\n", (500, 3)), None, false);
    assert!(out.contains("something is wrong") && out.contains("fix it"), "{out}");
}

#[test]
fn labels_in_two_files_of_a_source_map_render_as_two_snippets() {
    #[derive(Debug, Diagnostic, Error)]
    #[error("two places")]
    struct TwoPlaces {
        #[label("in a")]
        a: crate::source::Span,
        #[label("in b")]
        b: crate::source::Span,
    }
    let mut map = crate::source::SourceMap::new();
    let a = map.add("a.rotor", None, "one\ntwo\n".into());
    let b = map.add("b.rhai", None, format!("three\n{}four\n", " ".repeat(70_000)));
    let error = TwoPlaces {
        a: crate::source::Span::new(a.base as usize + 4, a.base as usize + 7),
        b: crate::source::Span::new(b.base as usize + 70_006, b.base as usize + 70_010),
    };
    let out = render(&error, Some(&map), false);
    assert!(out.contains("a.rotor:2:1") && out.contains("in a"), "{out}");
    assert!(out.contains("b.rhai:2:70001") && out.contains("in b"), "{out}");
}
