//! Any bytes as a diagnostic: a source (UTF-8 or not), up to four labels anywhere in it or
//! past its end, and a message and help holding whatever bytes come first. Rendering must not
//! panic or hang, must show no raw control character, and must stay short however long the
//! source's lines are.
//!
//! Layout of an input: byte 0 = number of labels (mod 5) and flags (bit 3: colour, bit 4:
//! the source is a second file of a source map rather than the diagnostic's own bytes), then
//! 6 bytes per label (offset: 3 bytes little-endian, length: 2 bytes, 1 byte: has text),
//! then the source. The message and help are the first 40 bytes of the source, lossily.

#![no_main]

use std::fmt;

use libfuzzer_sys::fuzz_target;
use miette::{Diagnostic, LabeledSpan, SourceCode};
use rotor::source::SourceMap;

#[derive(Debug)]
struct Fuzzed {
    message: String,
    help: String,
    labels: Vec<LabeledSpan>,
    own: Option<Vec<u8>>,
}

impl fmt::Display for Fuzzed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Fuzzed {}

impl Diagnostic for Fuzzed {
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(&self.help))
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.own.as_ref().map(|s| s as &dyn SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&head, rest)) = data.split_first() else { return };
    let count = usize::from(head % 5);
    let color = head & 8 != 0;
    let in_map = head & 16 != 0;
    if rest.len() < 6 * count {
        return;
    }
    let (label_bytes, source) = rest.split_at(6 * count);
    let mut map = SourceMap::new();
    map.add("before.rotor", None, "buy IWO\n".to_string());
    let base = if in_map {
        map.add("fuzzed.rotor", None, String::from_utf8_lossy(source).into_owned()).base as usize
    } else {
        0
    };
    let labels = label_bytes
        .chunks(6)
        .map(|b| {
            let offset = usize::from(b[0]) | usize::from(b[1]) << 8 | usize::from(b[2]) << 16;
            let len = usize::from(b[3]) | usize::from(b[4]) << 8;
            let text = (b[5] & 1 == 1).then(|| String::from_utf8_lossy(&source[..source.len().min(12)]).into_owned());
            LabeledSpan::new(text, base + offset, len)
        })
        .collect();
    let head_text = String::from_utf8_lossy(&source[..source.len().min(40)]).into_owned();
    let diagnostic = Fuzzed {
        message: head_text.clone(),
        help: head_text,
        labels,
        own: (!in_map).then(|| source.to_vec()),
    };
    let out = rotor::display::render(&diagnostic, Some(&map), color);
    if !color {
        assert!(
            !out.chars().any(|c| rotor::display::is_unsafe(c)),
            "a raw control character in:\n{out}"
        );
    }
    let longest = out.lines().map(|l| l.chars().count()).max().unwrap_or(0);
    assert!(longest < 1_000, "a line of {longest} characters");
});
