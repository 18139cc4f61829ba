//! How text from input reaches the screen: escaped ([`escape`]) and, in diagnostics, cut to
//! the part that matters ([`Excerpt`]).
//!
//! Everything rotor prints that a file could have put there goes through here, so a
//! stranger's strategy, script or data cannot move the cursor, retitle the terminal, hide
//! text, or make the diagnostic renderer fail on a very long line.

mod count;
mod cut;
mod escape;
mod excerpt;

use std::fmt;

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, Severity, SourceCode};

pub use count::{count, group_digits};
pub use cut::{MAX_QUOTED_CHARS, quoted};
pub use escape::{escape, escape_line, escaped, is_unsafe};
pub use excerpt::{CONTEXT_LINES, Excerpt, KEPT_AROUND, MAX_LABEL_LINES, MAX_LINE_CHARS};

/// Renders one diagnostic as miette's graphical report, 100 columns wide, in colour when
/// `color`. Its labels are shown against its own source code, or else against `fallback`;
/// long lines are cut around the labels and control characters escaped, in the source
/// lines and in every message. Never fails: should miette refuse, the message alone is
/// returned.
pub fn render(diagnostic: &dyn Diagnostic, fallback: Option<&dyn SourceCode>, color: bool) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(100)
        .with_context_lines(CONTEXT_LINES);
    let shown = Shown::new(diagnostic, fallback);
    let mut out = String::new();
    if handler.render_report(&mut out, &shown).is_err() {
        out = format!("{}\n", shown.message);
    }
    out
}

/// A diagnostic as it is shown: every text escaped, the source replaced by an [`Excerpt`].
struct Shown<'a> {
    inner: &'a dyn Diagnostic,
    message: String,
    help: Option<String>,
    excerpt: Option<Excerpt>,
    labels: Vec<LabeledSpan>,
    related: Vec<Shown<'a>>,
}

impl<'a> Shown<'a> {
    fn new(inner: &'a dyn Diagnostic, fallback: Option<&'a dyn SourceCode>) -> Shown<'a> {
        let source = inner.source_code().or(fallback);
        let labels: Vec<LabeledSpan> = inner.labels().map(Iterator::collect).unwrap_or_default();
        let (excerpt, labels) = match source {
            Some(source) if !labels.is_empty() => {
                let (excerpt, labels) = Excerpt::new(source, &labels);
                (Some(excerpt), labels)
            }
            _ => (None, Vec::new()),
        };
        let related = inner
            .related()
            .map(|r| r.map(|d| Shown::new(d, source)).collect())
            .unwrap_or_default();
        Shown {
            inner,
            message: escape(&inner.to_string()).into_owned(),
            help: inner.help().map(|h| escape(&h.to_string()).into_owned()),
            excerpt,
            labels,
            related,
        }
    }
}

impl fmt::Debug for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// The causes (an I/O error under "cannot read") are the inner diagnostic's: they come from
/// the operating system, not from a file's contents.
impl std::error::Error for Shown<'_> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.inner.source()
    }
}

impl Diagnostic for Shown<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.inner.code()
    }
    fn severity(&self) -> Option<Severity> {
        self.inner.severity()
    }
    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help.as_ref().map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn url<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.inner.url()
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.excerpt.as_ref().map(|e| e as &dyn SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() {
            None
        } else {
            Some(Box::new(self.labels.iter().cloned()))
        }
    }
    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn Diagnostic> + 'b>> {
        if self.related.is_empty() {
            None
        } else {
            Some(Box::new(self.related.iter().map(|r| r as &dyn Diagnostic)))
        }
    }
}

#[cfg(test)]
mod tests;
