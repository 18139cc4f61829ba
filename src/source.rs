//! Sources and spans.
//!
//! Every file rotor reads (strategies, REPL inputs, rhai scripts) is added to one
//! [`SourceMap`] and gets its own range of *global* byte offsets, so a [`Span`] is two
//! numbers and still says which file it is in. This is how nushell keeps spans from many
//! files and from every REPL line valid at once. The map implements
//! [`miette::SourceCode`], so any diagnostic can be rendered against it.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

/// A byte range in the global offset space of a [`SourceMap`].
#[derive(Clone, Copy, Debug, Default, Eq)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        let clamp = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Span {
            start: clamp(start),
            end: clamp(end.max(start)),
        }
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }

    pub fn is_empty(self) -> bool {
        self.end == self.start
    }
}

/// Two spans are equal when they cover the same bytes, except inside [`ignoring_positions`],
/// where every span equals every other: that is how two syntax trees are compared by what
/// they mean (`parse(fmt(x))` against `parse(x)`). Spans used to compare equal always, and
/// a check that compared two of them (one comparison noted per expression) silently
/// compared nothing.
impl PartialEq for Span {
    fn eq(&self, other: &Span) -> bool {
        POSITIONS_IGNORED.get() || (self.start == other.start && self.end == other.end)
    }
}

thread_local! {
    /// Set while [`ignoring_positions`] runs on this thread.
    static POSITIONS_IGNORED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Runs `f` with every [`Span`] comparing equal to every other, so that `==` on syntax
/// trees (and anything else holding spans) compares what they say, not where it was
/// written: `ignoring_positions(|| parse(&fmt(x)) == parse(x))`. Only this thread, only
/// while `f` runs (also when it panics).
pub fn ignoring_positions<T>(f: impl FnOnce() -> T) -> T {
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            POSITIONS_IGNORED.set(self.0);
        }
    }
    let _restore = Restore(POSITIONS_IGNORED.replace(true));
    f()
}

impl From<Span> for SourceSpan {
    fn from(span: Span) -> SourceSpan {
        SourceSpan::new((span.start as usize).into(), span.len())
    }
}

/// One file (or REPL input) in the map.
#[derive(Debug)]
pub struct SourceFile {
    /// Shown in diagnostics: the path as the user gave it, or `<repl:3>`.
    pub name: String,
    /// Where the file lives, for resolving relative `data` and `use` paths.
    pub path: Option<PathBuf>,
    pub text: String,
    /// Global offset of the first byte.
    pub base: u32,
}

impl SourceFile {
    /// The global span of the whole file.
    pub fn span(&self) -> Span {
        Span::new(self.base as usize, self.base as usize + self.text.len())
    }

    /// 1-based line and column of a global offset inside this file.
    pub fn line_col(&self, offset: u32) -> (usize, usize) {
        let local = (offset.saturating_sub(self.base) as usize).min(self.text.len());
        let before = &self.text.as_bytes()[..local];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        let column = String::from_utf8_lossy(&before[line_start..]).chars().count() + 1;
        (line, column)
    }

    /// The directory relative paths in this file are resolved against.
    pub fn dir(&self) -> PathBuf {
        self.path
            .as_deref()
            .and_then(Path::parent)
            .map(Path::to_path_buf)
            .unwrap_or_default()
    }
}

/// An append-only collection of sources. Cloning is cheap; a clone is a snapshot that keeps
/// every span created so far renderable, however many files are added later.
#[derive(Clone, Debug, Default)]
pub struct SourceMap {
    files: Arc<Vec<Arc<SourceFile>>>,
}

impl SourceMap {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a source and returns it; its spans start after every existing one.
    pub fn add(&mut self, name: impl Into<String>, path: Option<PathBuf>, text: String) -> Arc<SourceFile> {
        let base = self.len();
        let file = Arc::new(SourceFile {
            name: name.into(),
            path,
            text,
            base: u32::try_from(base).expect("less than 4 GiB of strategy source in one session"),
        });
        Arc::make_mut(&mut self.files).push(file.clone());
        file
    }

    /// Bytes of source held, separators included: where the next file would start.
    pub fn len(&self) -> usize {
        self.files.last().map_or(0, |f| f.base as usize + f.text.len() + 1)
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// The file a global offset falls in.
    pub fn file_at(&self, offset: u32) -> Option<&Arc<SourceFile>> {
        let i = self.files.partition_point(|f| f.base <= offset);
        self.files.get(i.checked_sub(1)?)
    }

    pub fn files(&self) -> impl Iterator<Item = &Arc<SourceFile>> {
        self.files.iter()
    }

    /// The source text a span covers (empty if the span is not in the map).
    pub fn slice(&self, span: Span) -> &str {
        self.file_at(span.start)
            .and_then(|f| {
                let start = (span.start - f.base) as usize;
                let end = (span.end - f.base) as usize;
                f.text.get(start..end.min(f.text.len()))
            })
            .unwrap_or("")
    }
}

impl SourceCode for SourceMap {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let offset = u32::try_from(span.offset()).map_err(|_| MietteError::OutOfBounds)?;
        let file = self.file_at(offset).ok_or(MietteError::OutOfBounds)?;
        let base = file.base as usize;
        // A span reaching into the next file is not a span of this one. miette asks for such
        // spans when it tries to merge the snippets of two labels in different files; saying
        // no makes it render each file's snippet on its own. (One byte past the end is the
        // separator, where "unexpected end of input" points, and is still this file's.)
        if span.offset() + span.len() > base + file.text.len() + 1 {
            return Err(MietteError::OutOfBounds);
        }
        let local = SourceSpan::new(
            (span.offset() - base).into(),
            span.len().min(file.text.len().saturating_sub(span.offset() - base)),
        );
        let contents = file.text.as_str().read_span(&local, before, after)?;
        // Back to global offsets, so labels (which are global) line up with the snippet.
        let global = SourceSpan::new((contents.span().offset() + base).into(), contents.span().len());
        Ok(Box::new(MietteSpanContents::new_named(
            file.name.clone(),
            contents.data(),
            global,
            contents.line(),
            contents.column(),
            contents.line_count(),
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_from_several_files_find_their_file() {
        let mut map = SourceMap::new();
        let a = map.add("a.rotor", None, "buy IWO\n".into());
        let b = map.add("b.rotor", None, "sell IWN\n".into());
        assert_eq!(a.base, 0);
        assert_eq!(b.base, 9); // 8 bytes of a, plus one separating byte
        let span = Span::new(b.base as usize + 5, b.base as usize + 8);
        assert_eq!(map.slice(span), "IWN");
        assert_eq!(map.file_at(span.start).map(|f| f.name.as_str()), Some("b.rotor"));
        assert_eq!(b.line_col(span.start), (1, 6));
    }

    #[test]
    fn labels_in_two_files_render_as_two_snippets() {
        #[derive(Debug, miette::Diagnostic, thiserror::Error)]
        #[error("two places")]
        struct TwoPlaces {
            #[label("in a")]
            a: Span,
            #[label("in b")]
            b: Span,
        }
        let mut map = SourceMap::new();
        let a = map.add("a.rotor", None, "one\ntwo\n".into());
        let b = map.add("b.rhai", None, "three\nfour\n".into());
        let error = TwoPlaces {
            a: Span::new(a.base as usize + 4, a.base as usize + 7),
            b: Span::new(b.base as usize + 6, b.base as usize + 10),
        };
        let report = miette::Report::new(error).with_source_code(map);
        let mut out = String::new();
        miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
            .render_report(&mut out, report.as_ref())
            .expect("rendering into a String cannot fail");
        assert!(out.contains("a.rotor:2:1") && out.contains("in a"), "{out}");
        assert!(out.contains("b.rhai:2:1") && out.contains("in b"), "{out}");
    }

    #[test]
    fn a_snapshot_keeps_old_spans_valid() {
        let mut map = SourceMap::new();
        map.add("one", None, "x".into());
        let snapshot = map.clone();
        map.add("two", None, "y".into());
        assert_eq!(snapshot.files().count(), 1);
        assert_eq!(map.files().count(), 2);
    }
}
