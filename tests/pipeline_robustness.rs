//! No edit of a real strategy may make the whole pipeline panic or hang. Every strategy in
//! strategies/ (the cookbook's too) is mutated — two tokens swapped, a token deleted, a line
//! duplicated, a number made 0, -1, 1e308, 0.000001 or 99999999999999999999, a date made
//! 2024-02-30, 1899-12-31 or 9999-12-31, a symbol one the data lacks, a duration `0 days`
//! or `999999 months`, unicode inserted — and goes through the library as `rotor run` takes
//! it, in process: parse, check, run, and the report written as text, CSV and JSON, over
//! the data it names (the repository's small sample and cookbook files).
//!
//! Each case runs on a thread of its own and must end within [`CASE_TIMEOUT`]. Every
//! diagnostic and warning must point inside its source and render with miette's graphical
//! handler, as in tests/parser_robustness.rs. `ROTOR_PROPTEST_CASES=N` runs N cases
//! ([`DEFAULT_CASES`] by default); a failing case prints its seed, what was changed and the
//! text, and `ROTOR_PIPELINE_SEED=S` runs that case alone.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{RecvTimeoutError, channel};
use std::time::Duration;

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode};
use rotor::data::LoadedData;
use rotor::pipeline::{self, Load, RunOptions};
use rotor::report::{csv, summary, zero};
use rotor::source::SourceMap;

/// Enough for `.ci/run` (a few seconds in a debug build).
const DEFAULT_CASES: usize = 30;

/// Far more than any case takes, even in a debug build on a busy machine: longer is a hang.
const CASE_TIMEOUT: Duration = Duration::from_secs(120);

/// The stack `rotor`'s main thread gets on Linux.
const STACK: usize = 8 * 1024 * 1024;

fn cases() -> usize {
    std::env::var("ROTOR_PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_CASES)
}

/// A fixed-seed linear congruential generator (Knuth's MMIX constants).
struct Lcg(u64);

impl Lcg {
    fn new(seed: u64) -> Lcg {
        let mut lcg = Lcg(seed ^ 0x9E37_79B9_7F4A_7C15);
        lcg.next();
        lcg
    }

    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        (!items.is_empty()).then(|| &items[self.below(items.len())])
    }
}

/// Every `*.rotor` file under strategies/, sorted.
fn strategies() -> Vec<PathBuf> {
    fn walk(dir: &Path, found: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("strategies/ is readable") {
            let path = entry.expect("a folder entry").path();
            if path.is_dir() {
                walk(&path, found);
            } else if path.extension().is_some_and(|e| e == "rotor") {
                found.push(path);
            }
        }
    }
    let mut found = Vec::new();
    walk(&Path::new(env!("CARGO_MANIFEST_DIR")).join("strategies"), &mut found);
    found.sort();
    found
}

// ------------------------------------------------------------ mutations

const NUMBERS: &[&str] = &["0", "-1", "1e308", "0.000001", "99999999999999999999"];
const DATES: &[&str] = &["2024-02-30", "1899-12-31", "9999-12-31"];
const DURATIONS: &[&str] = &["0 days", "999999 months"];
const UNICODE: &[&str] = &[
    "é",
    "€",
    "日本",
    "🚀",
    "\u{200b}",
    "\u{202e}",
    "\u{feff}",
    "\u{0}",
    "\u{1b}[31m",
    "İ",
    "ß",
    "\u{301}",
];
const UNITS: &[&str] = &[
    "day", "days", "week", "weeks", "month", "months", "year", "years", "bar", "bars",
];

/// Byte ranges of the words of `text`: runs of characters other than white space.
fn tokens(text: &str) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_whitespace(), start) {
            (false, None) => start = Some(i),
            (true, Some(s)) => {
                found.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        found.push((s, text.len()));
    }
    found
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Byte ranges of the dates (`dddd-dd-dd`) in `text`.
fn dates(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let shape = |i: usize| {
        (0..10).all(|k| match k {
            4 | 7 => b[i + k] == b'-',
            _ => b[i + k].is_ascii_digit(),
        })
    };
    (0..b.len().saturating_sub(9))
        .filter(|&i| shape(i) && (i == 0 || !is_word_byte(b[i - 1])))
        .map(|i| (i, i + 10))
        .collect()
}

/// Byte ranges of the numbers (digits, with a fraction) in `text` that are not part of a
/// date or a name.
fn numbers(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let in_date = dates(text);
    let mut found = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() && (i == 0 || !(is_word_byte(b[i - 1]) || b[i - 1] == b'.')) {
            let start = i;
            while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'.') {
                i += 1;
            }
            let after_word = i < b.len() && (b[i].is_ascii_alphabetic() || b[i] == b'_' || b[i] == b'-');
            if !after_word && !in_date.iter().any(|&(s, e)| start >= s && start < e) {
                found.push((start, i));
            }
        } else {
            i += 1;
        }
    }
    found
}

/// Byte ranges of the symbols (names of two to five capitals, digits or `^`) in `text`.
fn symbols(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if is_word_byte(b[i]) || b[i] == b'^' {
            let start = i;
            while i < b.len() && (is_word_byte(b[i]) || b[i] == b'^') {
                i += 1;
            }
            let word = &b[start..i];
            let capitals = word
                .iter()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == b'^');
            if capitals && (2..=5).contains(&word.len()) && word[0] != b'^' && !word[0].is_ascii_digit() {
                found.push((start, i));
            }
        } else {
            i += 1;
        }
    }
    found
}

/// Byte ranges of the durations (`3 months`, `200 days`) in `text`.
fn durations(text: &str) -> Vec<(usize, usize)> {
    let words = tokens(text);
    words
        .windows(2)
        .filter(|w| {
            let (n, unit) = (&text[w[0].0..w[0].1], &text[w[1].0..w[1].1]);
            let unit = unit.trim_end_matches([',', ')']);
            n.bytes().all(|c| c.is_ascii_digit()) && UNITS.contains(&unit)
        })
        .map(|w| {
            let unit = &text[w[1].0..w[1].1];
            let trimmed = unit.trim_end_matches([',', ')']).len();
            (w[0].0, w[1].0 + trimmed)
        })
        .collect()
}

fn replace(text: &str, (start, end): (usize, usize), with: &str) -> String {
    format!("{}{with}{}", &text[..start], &text[end..])
}

/// One random edit of `text`, and what it was; `None` when `text` has nothing it applies to.
fn mutate_once(text: &str, rng: &mut Lcg) -> Option<(String, String)> {
    let quoted = |span: (usize, usize)| format!("{:?}", &text[span.0..span.1]);
    match rng.below(10) {
        0 => {
            let words = tokens(text);
            let (a, b) = (*rng.pick(&words)?, *rng.pick(&words)?);
            let (a, b) = if a.0 <= b.0 { (a, b) } else { (b, a) };
            if a == b {
                return None;
            }
            let swapped = format!(
                "{}{}{}{}{}",
                &text[..a.0],
                &text[b.0..b.1],
                &text[a.1..b.0],
                &text[a.0..a.1],
                &text[b.1..]
            );
            Some((swapped, format!("swapped {} and {}", quoted(a), quoted(b))))
        }
        1 => {
            let word = *rng.pick(&tokens(text))?;
            Some((replace(text, word, ""), format!("deleted {}", quoted(word))))
        }
        2 => {
            let lines: Vec<&str> = text.split_inclusive('\n').collect();
            let n = rng.below(lines.len());
            let mut out = String::new();
            for (i, line) in lines.iter().enumerate() {
                out.push_str(line);
                if i == n {
                    if !line.ends_with('\n') {
                        out.push('\n');
                    }
                    out.push_str(line);
                }
            }
            Some((out, format!("duplicated line {}", n + 1)))
        }
        3 | 4 => {
            let number = *rng.pick(&numbers(text))?;
            let with = rng.pick(NUMBERS)?;
            Some((
                replace(text, number, with),
                format!("number {} made {with}", quoted(number)),
            ))
        }
        5 => {
            let date = *rng.pick(&dates(text))?;
            let with = rng.pick(DATES)?;
            Some((replace(text, date, with), format!("date {} made {with}", quoted(date))))
        }
        6 => {
            let symbol = *rng.pick(&symbols(text))?;
            Some((
                replace(text, symbol, "QZQZ"),
                format!("symbol {} made QZQZ", quoted(symbol)),
            ))
        }
        7 => {
            let duration = *rng.pick(&durations(text))?;
            let with = rng.pick(DURATIONS)?;
            Some((
                replace(text, duration, with),
                format!("duration {} made {with}", quoted(duration)),
            ))
        }
        _ => {
            let boundaries: Vec<usize> = text.char_indices().map(|(i, _)| i).chain([text.len()]).collect();
            let at = *rng.pick(&boundaries)?;
            let with = rng.pick(UNICODE)?;
            Some((replace(text, (at, at), with), format!("inserted {with:?} at byte {at}")))
        }
    }
}

/// One to three edits of `text`, and what they were.
fn mutate(text: &str, rng: &mut Lcg) -> (String, Vec<String>) {
    let mut text = text.to_string();
    let mut done = Vec::new();
    let wanted = 1 + rng.below(3);
    let mut tries = 0;
    while done.len() < wanted && tries < 50 {
        tries += 1;
        if let Some((changed, what)) = mutate_once(&text, rng) {
            text = changed;
            done.push(what);
        }
    }
    (text, done)
}

#[test]
fn the_mutations_find_what_they_change() {
    let text = "from 2015-01-02 to 2024-12-31\nbuy 500 USD of IWO monthly while x > 0.8 and change(us2y, 3 months) < 0\nlet a = sma(SPY, 200 days)\n";
    let at = |spans: Vec<(usize, usize)>| spans.iter().map(|&(s, e)| &text[s..e]).collect::<Vec<_>>().join(" ");
    assert_eq!(at(dates(text)), "2015-01-02 2024-12-31");
    // `us2y`'s 2 is a name's, the dates' digits are the dates'.
    assert_eq!(at(numbers(text)), "500 0.8 3 0 200");
    assert_eq!(at(symbols(text)), "USD IWO SPY");
    assert_eq!(at(durations(text)), "3 months 200 days");
}

// ------------------------------------------------------------ one case

/// A diagnostic with the source map as its source when it has none of its own, so that
/// miette's handler renders it as the CLI does.
struct InMap<'a> {
    inner: &'a dyn Diagnostic,
    map: &'a SourceMap,
}

impl fmt::Debug for InMap<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.inner, f)
    }
}

impl fmt::Display for InMap<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.inner, f)
    }
}

impl std::error::Error for InMap<'_> {}

impl Diagnostic for InMap<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.inner.code()
    }
    fn severity(&self) -> Option<miette::Severity> {
        self.inner.severity()
    }
    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.inner.help()
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(self.inner.source_code().unwrap_or(self.map))
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.inner.labels()
    }
    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn Diagnostic> + 'b>> {
        self.inner.related()
    }
}

/// Checks that every label of `diagnostic` (and of those related to it) lies inside its
/// source, then renders it; the problems found, as text.
fn inspect(diagnostic: &dyn Diagnostic, map: &SourceMap, problems: &mut Vec<String>) {
    let own = diagnostic.source_code();
    for label in diagnostic.labels().into_iter().flatten() {
        let span = label.inner();
        let (start, end) = (span.offset(), span.offset() + span.len());
        match own {
            Some(source) => {
                if source.read_span(span, 0, 0).is_err() {
                    problems.push(format!("`{diagnostic}`: label {start}..{end} outside its own source"));
                }
            }
            None => match map.file_at(start as u32) {
                Some(file) if end <= file.base as usize + file.text.len() => {
                    let local = start - file.base as usize..end - file.base as usize;
                    if file.text.get(local).is_none() {
                        problems.push(format!(
                            "`{diagnostic}`: label {start}..{end} not on character boundaries"
                        ));
                    }
                }
                _ => problems.push(format!("`{diagnostic}`: label {start}..{end} outside every source")),
            },
        }
    }
    for related in diagnostic.related().into_iter().flatten() {
        inspect(related, map, problems);
    }
    let handler = GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor());
    let mut out = String::new();
    if handler
        .render_report(&mut out, &InMap { inner: diagnostic, map })
        .is_err()
    {
        problems.push(format!("`{diagnostic}` does not render"));
    }
}

/// Runs `text` as the strategy at `path` (so its `data` and `use` paths start in its
/// folder) with `data` already loaded (or its own `data` lines read when `None`): the
/// problems found with its diagnostics, and whether it ran to a report.
fn run_case(path: &Path, text: String, data: Option<Arc<LoadedData>>) -> (Vec<String>, bool) {
    let mut sources = SourceMap::new();
    let name = path
        .file_name()
        .map_or("s.rotor".into(), |n| n.to_string_lossy().into_owned());
    let file = sources.add(&name, Some(path.to_path_buf()), text);
    let options = RunOptions {
        load: data.map_or(Load::Used, Load::Loaded),
        ..RunOptions::default()
    };
    let mut problems = Vec::new();
    let outcome = pipeline::prepare(&file, &options, &mut sources).and_then(|prepared| {
        for warning in &prepared
            .data
            .as_ref()
            .map(|d| d.data.warnings.clone())
            .unwrap_or_default()
        {
            inspect(warning, &sources, &mut problems);
        }
        let program = pipeline::check(&prepared, &sources)?;
        pipeline::run_with(&prepared, program, &options, &sources)
    });
    let ran = outcome.is_ok();
    match outcome {
        Ok(output) => {
            for warning in &output.warnings {
                inspect(warning, &sources, &mut problems);
            }
            let _ = summary::render(&output.report);
            let _ = csv::trades(&output.report);
            let _ = csv::equity(&output.report);
            if let Err(e) = zero::json(&output.report) {
                problems.push(format!("the report does not serialise: {e}"));
            }
        }
        Err(failure) => {
            for error in &failure.errors {
                inspect(error, &failure.sources, &mut problems);
            }
        }
    }
    (problems, ran)
}

/// What a case did wrong: panicked, hung, or gave a diagnostic outside its source.
enum Fault {
    Panicked(String),
    Hung,
    Problems(Vec<String>),
}

/// Runs one case on a thread of its own, bounded by [`CASE_TIMEOUT`]: whether it ran to a
/// report, or its fault.
fn bounded(path: &Path, text: &str, data: Option<Arc<LoadedData>>) -> Result<bool, Fault> {
    let (sender, receiver) = channel();
    let (path_owned, text_owned) = (path.to_path_buf(), text.to_string());
    let thread = std::thread::Builder::new()
        .stack_size(STACK)
        .spawn(move || {
            let _ = sender.send(run_case(&path_owned, text_owned, data));
        })
        .expect("spawning a case's thread");
    match receiver.recv_timeout(CASE_TIMEOUT) {
        Ok((problems, ran)) if problems.is_empty() => Ok(ran),
        Ok((problems, _)) => Err(Fault::Problems(problems)),
        // The thread is left running: a test process ends with its main thread.
        Err(RecvTimeoutError::Timeout) => Err(Fault::Hung),
        Err(RecvTimeoutError::Disconnected) => {
            let panic = thread.join().err().map_or("no message".into(), |p| {
                p.downcast_ref::<String>()
                    .cloned()
                    .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_else(|| "a panic without a message".into())
            });
            Err(Fault::Panicked(panic))
        }
    }
}

#[test]
fn mutated_strategies_never_panic_hang_or_point_outside_their_source() {
    let strategies = strategies();
    assert!(strategies.len() >= 20, "{} strategies found", strategies.len());
    // Each strategy's data, loaded once from its unchanged text; a case whose edit touched a
    // `data` line reads its own.
    let data: Vec<Option<Arc<LoadedData>>> = strategies
        .iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).expect("a strategy is readable");
            let mut sources = SourceMap::new();
            let file = sources.add("s.rotor", Some(path.clone()), text);
            let prepared = pipeline::prepare(&file, &RunOptions::default(), &mut sources)
                .unwrap_or_else(|f| panic!("{} prepares: {}", path.display(), f.render(false)));
            prepared.data
        })
        .collect();
    let seeds: Vec<u64> = match std::env::var("ROTOR_PIPELINE_SEED").ok().and_then(|s| s.parse().ok()) {
        Some(seed) => vec![seed],
        None => (0..cases() as u64).collect(),
    };
    let mut faults = Vec::new();
    let (mut ran, mut refused) = (0, 0);
    let many = seeds.len() >= DEFAULT_CASES;
    for seed in seeds {
        if seed > 0 && seed % 1000 == 0 {
            eprintln!("{seed} cases: {ran} ran, {refused} refused, {} faults", faults.len());
        }
        let mut rng = Lcg::new(seed);
        let which = rng.below(strategies.len());
        let path = &strategies[which];
        let original = std::fs::read_to_string(path).expect("a strategy is readable");
        let (text, edits) = mutate(&original, &mut rng);
        let reads_data = original
            .lines()
            .zip(text.lines())
            .any(|(a, b)| a != b && (a.trim_start().starts_with("data") || b.trim_start().starts_with("data")));
        let loaded = if reads_data { None } else { data[which].clone() };
        let fault = match bounded(path, &text, loaded) {
            Ok(true) => {
                ran += 1;
                continue;
            }
            Ok(false) => {
                refused += 1;
                continue;
            }
            Err(fault) => fault,
        };
        {
            let what = match fault {
                Fault::Panicked(message) => format!("panicked: {message}"),
                Fault::Hung => format!("did not end within {CASE_TIMEOUT:?}"),
                Fault::Problems(problems) => problems.join("; "),
            };
            let rel = path.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap_or(path);
            let fault = format!(
                "seed {seed}, {}, {}: {what}\n--- text ---\n{text}\n---",
                rel.display(),
                edits.join(", ")
            );
            // Shown at once too: a long run may be stopped before it ends.
            eprintln!("{fault}");
            faults.push(fault);
            if faults.len() >= 20 {
                break;
            }
        }
    }
    assert!(faults.is_empty(), "{} faults:\n{}", faults.len(), faults.join("\n"));
    eprintln!("{ran} mutated strategies ran to a report, {refused} were refused with diagnostics");
    // Edits that broke every strategy, or none, would test only half the pipeline.
    if many {
        assert!(ran > 0 && refused > 0, "{ran} ran, {refused} refused");
    }
}
