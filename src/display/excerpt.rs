//! The lines a diagnostic shows, made safe to print: long lines cut around the labels,
//! control characters written out.
//!
//! miette prints the source lines around each label as they are. A line of 70,000
//! characters makes its renderer panic (a label's column is used as a format width, which
//! must fit in 16 bits), and an escape sequence in a line reaches the terminal. So before
//! rendering, the lines the labels touch (and their context lines) are copied into an
//! [`Excerpt`]: each line is shown whole if it is short, otherwise only around the labels'
//! ends with `…` for what is left out, and every control character is escaped. The labels
//! are moved onto the excerpt's offsets. Line numbers and the `file:line:column` heading
//! stay those of the original file.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Bound::{Excluded, Unbounded};

use miette::{LabeledSpan, MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

use super::escape::{escape_line, escaped, is_unsafe};

/// Lines shown before and after a label; the renderer must be set to the same.
pub const CONTEXT_LINES: usize = 1;
/// A line wider than this many characters (once escaped) is cut.
pub const MAX_LINE_CHARS: usize = 160;
/// Characters kept on each side of a label's start and end in a cut line.
pub const KEPT_AROUND: usize = 40;
/// A label over more lines than this is shortened to its first this many lines.
pub const MAX_LABEL_LINES: usize = 8;

/// What is left out of a cut line.
const ELLIPSIS: char = '…';

/// The lines of one diagnostic, ready to show; a [`SourceCode`] whose offsets are those of
/// the labels [`Excerpt::new`] returns.
#[derive(Debug)]
pub struct Excerpt {
    text: String,
    blocks: Vec<Block>,
    /// The original byte column (0-based) of each label's start, by its offset here.
    columns: HashMap<usize, usize>,
}

/// Consecutive lines of one file.
#[derive(Debug)]
struct Block {
    name: Option<String>,
    /// 0-based number of the first line in its file.
    first_line: usize,
    /// Offset of each line's start in the excerpt.
    starts: Vec<usize>,
    /// Offset just past the block (past its last line break, if it has one).
    end: usize,
}

/// One line as read from the source.
struct SourceLine {
    name: Option<String>,
    /// 0-based.
    number: usize,
    /// Offset of the line's start in the source.
    start: usize,
    /// The line without its line break.
    bytes: Vec<u8>,
    /// The line break: empty, `\n` or `\r\n`.
    newline: &'static str,
    /// Source offsets of label ends on this line.
    marks: BTreeSet<usize>,
}

impl Excerpt {
    /// Reads the lines `labels` point at (with [`CONTEXT_LINES`] around them) from `source`
    /// and returns the excerpt with the labels moved onto it, their texts escaped. A label
    /// that cannot be read is left out.
    pub fn new(source: &dyn SourceCode, labels: &[LabeledSpan]) -> (Excerpt, Vec<LabeledSpan>) {
        let mut lines: BTreeMap<usize, SourceLine> = BTreeMap::new();
        let mut spans = Vec::new();
        for label in labels {
            let Some(span) = read_lines(source, label.inner(), &mut lines) else {
                continue;
            };
            for mark in [span.offset(), span.offset() + span.len()] {
                if let Some((_, line)) = lines.range_mut(..=mark).next_back() {
                    line.marks.insert(mark);
                }
            }
            spans.push((label, span));
        }
        let mut excerpt = Excerpt {
            text: String::new(),
            blocks: Vec::new(),
            columns: HashMap::new(),
        };
        let mut moved: HashMap<usize, usize> = HashMap::new();
        let mut line_of: HashMap<usize, usize> = HashMap::new();
        let mut previous: Option<&SourceLine> = None;
        for line in lines.values() {
            let follows = previous.is_some_and(|p| {
                p.name == line.name
                    && p.number + 1 == line.number
                    && p.start + p.bytes.len() + p.newline.len() == line.start
            });
            if !follows {
                if !excerpt.blocks.is_empty() {
                    // A separator no block owns, so no span can run from one block into the next.
                    excerpt.text.push('\n');
                }
                excerpt.blocks.push(Block {
                    name: line.name.clone(),
                    first_line: line.number,
                    starts: Vec::new(),
                    end: 0,
                });
            }
            let at = excerpt.text.len();
            let block = excerpt.blocks.last_mut().expect("a block was pushed above");
            block.starts.push(at);
            let (shown, marks) = show(line);
            excerpt.text.push_str(&shown);
            for (mark, offset) in marks {
                moved.insert(mark, at + offset);
                line_of.insert(mark, line.start);
            }
            let text_end = excerpt.text.len();
            // A mark inside the line break keeps its distance from the line's end.
            let text_end_mark = line.start + line.bytes.len();
            for &mark in line.marks.range((Excluded(text_end_mark), Unbounded)) {
                let past = (mark - line.start - line.bytes.len()).min(line.newline.len());
                moved.insert(mark, text_end + past);
                line_of.insert(mark, line.start);
            }
            excerpt.text.push_str(line.newline);
            block.end = excerpt.text.len();
            previous = Some(line);
        }
        let mut shown = Vec::with_capacity(spans.len());
        for (label, span) in spans {
            let start = moved.get(&span.offset()).copied().unwrap_or(0);
            let end = moved
                .get(&(span.offset() + span.len()))
                .copied()
                .unwrap_or(start)
                .max(start);
            let column = line_of.get(&span.offset()).map_or(0, |s| span.offset() - s);
            excerpt.columns.insert(start, column);
            let text = label.label().map(|t| escape_line(t).into_owned());
            let inner = SourceSpan::new(start.into(), end - start);
            shown.push(if label.primary() {
                LabeledSpan::new_primary_with_span(text, inner)
            } else {
                LabeledSpan::new_with_span(text, inner)
            });
        }
        (excerpt, shown)
    }

    /// The excerpt's text: the shown lines, blocks separated by an empty line.
    pub fn text(&self) -> &str {
        &self.text
    }

    fn block_at(&self, offset: usize) -> Option<&Block> {
        let i = self.blocks.partition_point(|b| b.starts[0] <= offset);
        let block = self.blocks.get(i.checked_sub(1)?)?;
        (offset <= block.end).then_some(block)
    }
}

/// Reads the lines of `span` and its context into `lines`; returns the span, shortened if
/// it covers more than [`MAX_LABEL_LINES`] lines, or `None` if it cannot be read.
fn read_lines(
    source: &dyn SourceCode,
    span: &SourceSpan,
    lines: &mut BTreeMap<usize, SourceLine>,
) -> Option<SourceSpan> {
    let mut span = *span;
    let mut contents = source.read_span(&span, CONTEXT_LINES, CONTEXT_LINES).ok()?;
    let data_start = contents.span().offset();
    let local = span.offset().checked_sub(data_start)?;
    let covered = contents.data().get(local..)?;
    let covered = &covered[..span.len().min(covered.len())];
    if let Some((cut, _)) = covered
        .iter()
        .enumerate()
        .filter(|&(_, &b)| b == b'\n')
        .nth(MAX_LABEL_LINES - 1)
    {
        span = SourceSpan::new(span.offset().into(), cut);
        contents = source.read_span(&span, CONTEXT_LINES, CONTEXT_LINES).ok()?;
    }
    let data = contents.data();
    let base = contents.span().offset();
    let mut number = contents.line();
    let mut at = 0;
    loop {
        let end = data[at..].iter().position(|&b| b == b'\n').map(|i| at + i);
        let (text_end, newline, next) = match end {
            Some(i) if i > at && data[i - 1] == b'\r' => (i - 1, "\r\n", i + 1),
            Some(i) => (i, "\n", i + 1),
            None => (data.len(), "", data.len()),
        };
        // A last empty line is kept only when a label points there ("unexpected end").
        let wanted = at < data.len() || span.offset() + span.len() >= base + at;
        if wanted {
            lines.entry(base + at).or_insert_with(|| SourceLine {
                name: contents.name().map(str::to_string),
                number,
                start: base + at,
                bytes: data[at..text_end].to_vec(),
                newline,
                marks: BTreeSet::new(),
            });
        }
        if end.is_none() {
            break;
        }
        at = next;
        number += 1;
    }
    Some(span)
}

/// A line as shown, and where each of its marks landed (offsets within the shown text).
fn show(line: &SourceLine) -> (String, Vec<(usize, usize)>) {
    // Characters with their offsets in the line; bytes that are not UTF-8 show as U+FFFD.
    let mut chars: Vec<(usize, char)> = Vec::with_capacity(line.bytes.len());
    let mut offset = 0;
    for chunk in line.bytes.utf8_chunks() {
        for (i, c) in chunk.valid().char_indices() {
            chars.push((offset + i, c));
        }
        offset += chunk.valid().len();
        if !chunk.invalid().is_empty() {
            chars.push((offset, char::REPLACEMENT_CHARACTER));
            offset += chunk.invalid().len();
        }
    }
    let width = |c: char| if is_unsafe(c) { escaped(c).chars().count() } else { 1 };
    let wide = chars.iter().map(|&(_, c)| width(c)).sum::<usize>() > MAX_LINE_CHARS;
    // Marks as character indices: the first character at or after the mark.
    let marks: Vec<(usize, usize)> = line
        .marks
        .range(line.start..=line.start + line.bytes.len())
        .map(|&mark| (mark, chars.partition_point(|&(o, _)| o < mark - line.start)))
        .collect();
    let kept = |i: usize| {
        !wide
            || if marks.is_empty() {
                i < 2 * KEPT_AROUND
            } else {
                marks.iter().any(|&(_, m)| i + KEPT_AROUND >= m && i < m + KEPT_AROUND)
            }
    };
    let mut shown = String::with_capacity(line.bytes.len().min(4 * MAX_LINE_CHARS));
    let mut landed = Vec::with_capacity(marks.len());
    let mut left_out = false;
    for (i, &(_, c)) in chars.iter().enumerate() {
        if !kept(i) {
            if !left_out {
                shown.push(ELLIPSIS);
                left_out = true;
            }
            continue;
        }
        left_out = false;
        landed.extend(
            marks
                .iter()
                .filter(|&&(_, m)| m == i)
                .map(|&(mark, _)| (mark, shown.len())),
        );
        if is_unsafe(c) {
            shown.push_str(&escaped(c));
        } else {
            shown.push(c);
        }
    }
    landed.extend(
        marks
            .iter()
            .filter(|&&(_, m)| m >= chars.len())
            .map(|&(mark, _)| (mark, shown.len())),
    );
    (shown, landed)
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let block = self.block_at(span.offset()).ok_or(MietteError::OutOfBounds)?;
        let end = span.offset() + span.len();
        if end > block.end {
            return Err(MietteError::OutOfBounds);
        }
        let line_at = |offset: usize| block.starts.partition_point(|&s| s <= offset).saturating_sub(1);
        let first_line = line_at(span.offset());
        let last_line = line_at(if span.is_empty() { span.offset() } else { end - 1 });
        let from = first_line.saturating_sub(before);
        let to = (last_line + after).min(block.starts.len() - 1);
        let data_start = if before == 0 && after == 0 {
            span.offset()
        } else {
            block.starts[from]
        };
        let data_end = block.starts.get(to + 1).copied().unwrap_or(block.end).max(data_start);
        let column = if before == 0 && after == 0 {
            self.columns
                .get(&span.offset())
                .copied()
                .unwrap_or(span.offset() - block.starts[first_line])
        } else {
            0
        };
        let line = block.first_line + if before == 0 && after == 0 { first_line } else { from };
        let data = &self.text.as_bytes()[data_start..data_end];
        let range = SourceSpan::new(data_start.into(), data_end - data_start);
        let count = to - from + 1;
        Ok(Box::new(match &block.name {
            Some(name) => MietteSpanContents::new_named(name.clone(), data, range, line, column, count),
            None => MietteSpanContents::new(data, range, line, column, count),
        }))
    }
}
