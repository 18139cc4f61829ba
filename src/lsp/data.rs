//! The strategies' data, for the language server: loaded on a thread of its own (so
//! typing never waits for a CSV file), once per set of `data` lines, and again when the
//! files change on disk. Loading is what `rotor check` does: every history, every cell
//! validated, every file read under the file-access policy ([`Policy`]).

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use crossbeam_channel::{Receiver, Sender, unbounded};

use super::Policy;
use crate::access::Access;
use crate::check::DataLine;
use crate::data::{DateOrder, LoadedData};
use crate::diagnostic::{Failure, UsageError};
use crate::pipeline;
use crate::source::{SourceMap, Span};
use crate::syntax::ast;

/// Which data a strategy reads: its folder and its `data` and `fomc` lines (none: the
/// bundled sample data, wherever the file is).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DataKey {
    dir: PathBuf,
    lines: Vec<Line>,
}

/// A `data` or `fomc` line as far as loading goes: what [`DataLine`] holds but its span.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Line {
    path: String,
    alias: Option<String>,
    /// `dates day-first`: a change reads the files again.
    dates: Option<DateOrder>,
    /// A `fomc` line.
    calendar: bool,
    dividends_for: Option<String>,
    /// `as series NAME`: a change reads the file again.
    series: bool,
}

impl DataKey {
    pub fn of(file: &ast::File, dir: &Path) -> Self {
        let lines: Vec<Line> = pipeline::data_lines(file)
            .into_iter()
            .map(|l| Line {
                path: l.path,
                alias: l.alias,
                dates: l.dates,
                calendar: l.calendar,
                dividends_for: l.dividends_for.clone(),
                series: l.series,
            })
            .collect();
        let dir = if lines.is_empty() {
            PathBuf::new()
        } else {
            dir.to_path_buf()
        };
        DataKey { dir, lines }
    }

    /// Whether a `data` line names a path that does not exist (reported at once, on its line).
    pub fn missing(&self) -> bool {
        self.lines.iter().any(|l| !self.dir.join(&l.path).exists())
    }

    /// The size and modification time of every file the lines name that `access` lets
    /// the strategy read (the CSV files directly in a folder), to tell when the data must
    /// be loaded again. A path it may not read is left alone: loading refuses it on its line.
    fn fingerprint(&self, access: &Access) -> Fingerprint {
        let mut out = Vec::new();
        for line in &self.lines {
            let Ok(path) = access.resolve(&access.join(Path::new(&line.path))) else {
                continue;
            };
            out.push(stamp(&path));
            if path.is_dir() {
                out.extend(access.data_files(&path).unwrap_or_default().iter().map(|f| stamp(f)));
            }
        }
        out
    }
}

type Fingerprint = Vec<(PathBuf, Option<SystemTime>, u64)>;

fn stamp(path: &Path) -> (PathBuf, Option<SystemTime>, u64) {
    let meta = std::fs::metadata(path).ok();
    let modified = meta.as_ref().and_then(|m| m.modified().ok());
    (path.to_path_buf(), modified, meta.map_or(0, |m| m.len()))
}

/// What is known of a key's data.
#[derive(Clone, Debug)]
pub enum DataState {
    Ready(Arc<LoadedData>),
    /// The loader's diagnostics (they point into the CSV files).
    Failed(Arc<Failure>),
}

/// A finished load.
pub struct Done {
    key: DataKey,
    fingerprint: Fingerprint,
    result: DataState,
}

impl Done {
    pub fn key(&self) -> &DataKey {
        &self.key
    }
}

struct Entry {
    /// The last load's result; kept while a newer one runs.
    state: Option<DataState>,
    fingerprint: Fingerprint,
    loading: bool,
}

/// Loaded data by key, and the thread that loads it.
pub struct DataCache {
    /// What the strategies may read.
    policy: Arc<Policy>,
    entries: HashMap<DataKey, Entry>,
    jobs: Sender<(DataKey, Fingerprint)>,
    /// Finished loads, for the server's loop to take in with [`DataCache::finish`].
    pub done: Receiver<Done>,
}

impl DataCache {
    /// Starts the loader thread, which reads files as `policy` allows; it ends when the
    /// cache is dropped.
    pub fn new(policy: Policy) -> Self {
        let policy = Arc::new(policy);
        let (jobs, inbox) = unbounded::<(DataKey, Fingerprint)>();
        let (outbox, done) = unbounded();
        let loader_policy = policy.clone();
        std::thread::Builder::new()
            .name("rotor-lsp-data".into())
            .spawn(move || {
                for (key, fingerprint) in inbox {
                    let result = load(&key, &loader_policy);
                    if outbox
                        .send(Done {
                            key,
                            fingerprint,
                            result,
                        })
                        .is_err()
                    {
                        break;
                    }
                }
            })
            .expect("the operating system starts a thread for the data loader");
        DataCache {
            policy,
            entries: HashMap::new(),
            jobs,
            done,
        }
    }

    /// What the strategies may read.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// The last loaded state of `key`'s data, if any.
    pub fn get(&self, key: &DataKey) -> Option<&DataState> {
        self.entries.get(key)?.state.as_ref()
    }

    /// Starts loading `key`'s data unless it is loaded and its files have not changed
    /// since, or a load is running. Returns whether a load started.
    pub fn refresh(&mut self, key: &DataKey) -> bool {
        if key.missing() {
            return false;
        }
        let fingerprint = key.fingerprint(&self.policy.access(&key.dir));
        let entry = self.entries.entry(key.clone()).or_insert(Entry {
            state: None,
            fingerprint: Vec::new(),
            loading: false,
        });
        if entry.loading || (entry.state.is_some() && entry.fingerprint == fingerprint) {
            return false;
        }
        entry.loading = true;
        self.jobs.send((key.clone(), fingerprint)).is_ok()
    }

    /// Takes in a finished load.
    pub fn finish(&mut self, done: Done) {
        let entry = self.entries.entry(done.key).or_insert(Entry {
            state: None,
            fingerprint: Vec::new(),
            loading: false,
        });
        entry.loading = false;
        entry.state = Some(done.result);
        entry.fingerprint = done.fingerprint;
    }

    /// Forgets the data of keys no open document uses.
    pub fn keep_only(&mut self, used: &HashSet<DataKey>) {
        self.entries.retain(|k, e| e.loading || used.contains(k));
    }
}

/// Loads every history of the key's data, as `rotor check` does, under `policy`.
fn load(key: &DataKey, policy: &Policy) -> DataState {
    let lines: Vec<DataLine> = key
        .lines
        .iter()
        .map(|l| DataLine {
            path: l.path.clone(),
            alias: l.alias.clone(),
            dates: l.dates,
            span: Span::default(),
            calendar: l.calendar,
            dividends_for: l.dividends_for.clone(),
            series: l.series,
        })
        .collect();
    let sources = SourceMap::new();
    let access = policy.access(&key.dir);
    let attempt = std::panic::catch_unwind(|| pipeline::load_data(&lines, &access, &[], false, None, &sources));
    match attempt {
        Ok(Ok(data)) => DataState::Ready(Arc::new(data)),
        Ok(Err(failure)) => DataState::Failed(Arc::new(failure)),
        Err(_) => DataState::Failed(Arc::new(Failure::one(
            UsageError::InvalidArgument {
                message: "loading the data failed unexpectedly".into(),
                help: "run `rotor check` on the file to see the problem".into(),
            },
            &sources,
        ))),
    }
}
