//! Which files a strategy may read, and how much of them.
//!
//! A strategy and its scripts may come from a stranger, so the paths in its `data` and
//! `use` lines are not trusted: a strategy reads only files inside its own folder (and the
//! folders below it), and the paths the user gave on the command line (`--data`, and
//! `--allow-path DIR` for more). Paths are resolved with symlinks followed, so a link
//! inside the folder that points outside it counts as outside. Only regular files are read
//! (no devices, pipes or kernel files), each up to a size limit checked before anything is
//! allocated, and only files named as what they should be (`.csv`, `.rhai`) and holding
//! text: a file rotor does not recognise is described in the diagnostic, never shown.
//!
//! Every file read is recorded ([`Access::files_read`]), so that no output is written over
//! one of them (see [`crate::output`]). docs/SECURITY.md is the user's account of all this.

mod data;
mod error;
mod file;
mod scripts;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

pub use data::load_data;
pub use error::AccessError;
pub use file::{Denied, FileBytes, FileId, human_size, map_regular, read_regular};
pub use scripts::{read_scripts, read_strategy, strategy_too_large};

/// Size limits on what rotor reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Bytes in one strategy file (fixed).
    pub strategy_bytes: u64,
    /// Bytes in one rhai script (fixed).
    pub script_bytes: u64,
    /// Bytes in one data file (`--max-data-size`).
    pub data_bytes: u64,
}

/// 1 MiB: the longest strategy in `strategies/` is under 2 KiB.
pub const MAX_STRATEGY_BYTES: u64 = 1 << 20;
/// 1 MiB: the longest example script is under 3 KiB.
pub const MAX_SCRIPT_BYTES: u64 = 1 << 20;
/// 4 MiB: all the scripts one strategy uses together (a strategy of `use` lines naming one
/// script a thousand times must not read it a thousand times over).
pub const MAX_SCRIPTS_BYTES: u64 = 4 << 20;
/// 1 GiB: decades of minute bars for a few symbols; rotor keeps a file's text in memory
/// while it reads it.
pub const DEFAULT_MAX_DATA_BYTES: u64 = 1 << 30;

impl Default for Limits {
    fn default() -> Self {
        Limits {
            strategy_bytes: MAX_STRATEGY_BYTES,
            script_bytes: MAX_SCRIPT_BYTES,
            data_bytes: DEFAULT_MAX_DATA_BYTES,
        }
    }
}

/// What a file is read as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A CSV data file: named `*.csv`, `*.tsv` or `*.txt`.
    Data,
    /// A rhai script: named `*.rhai`.
    Script,
}

impl Kind {
    fn noun(self) -> &'static str {
        match self {
            Kind::Data => "data file",
            Kind::Script => "script",
        }
    }

    /// "a data file", "a script".
    fn article(self) -> &'static str {
        match self {
            Kind::Data => "a data file",
            Kind::Script => "a script",
        }
    }

    fn extensions(self) -> &'static [&'static str] {
        match self {
            Kind::Data => &["csv", "tsv", "txt"],
            Kind::Script => &["rhai"],
        }
    }
}

/// A file that was read, for the check that outputs never overwrite inputs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadFile {
    pub path: PathBuf,
    pub id: FileId,
    /// What it was read as: "the strategy", "a data file", "a script".
    pub what: &'static str,
}

/// The files one strategy may read: its folder, plus what the user allowed.
#[derive(Clone, Debug)]
pub struct Access {
    /// The strategy's folder, which relative paths start from (as given, not resolved).
    base: PathBuf,
    /// Resolved folders and files that may be read (a folder: everything below it).
    roots: Vec<PathBuf>,
    limits: Limits,
    read: Arc<Mutex<Vec<ReadFile>>>,
}

impl Access {
    /// The policy for a strategy whose folder is `base` (empty: the current folder).
    pub fn new(base: &Path) -> Access {
        let mut access = Access {
            base: base.to_path_buf(),
            roots: Vec::new(),
            limits: Limits::default(),
            read: Arc::default(),
        };
        access.add_root(base);
        access
    }

    /// Also allows `paths` (files or folders the user named on the command line). A path
    /// that does not exist allows nothing; reading it fails later with its own error.
    pub fn allowing<P: AsRef<Path>>(mut self, paths: impl IntoIterator<Item = P>) -> Access {
        for path in paths {
            self.add_root(path.as_ref());
        }
        self
    }

    /// The same policy with other size limits.
    pub fn with_limits(mut self, limits: Limits) -> Access {
        self.limits = limits;
        self
    }

    fn add_root(&mut self, path: &Path) {
        let path = if path.as_os_str().is_empty() {
            Path::new(".")
        } else {
            path
        };
        if let Ok(resolved) = path.canonicalize()
            && !self.roots.contains(&resolved)
        {
            self.roots.push(resolved);
        }
    }

    /// The folder relative paths start from.
    pub fn base(&self) -> &Path {
        &self.base
    }

    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// A path as written in the strategy, made relative to the current folder: relative
    /// paths in `data` and `use` lines start at the strategy's folder.
    pub fn join(&self, path: &Path) -> PathBuf {
        self.base.join(path)
    }

    /// Resolves `path` (relative to the current folder; see [`Access::join`]), following
    /// symlinks, and checks that it lies inside a folder that may be read.
    pub fn resolve(&self, path: &Path) -> Result<PathBuf, Denied> {
        let resolved = match path.canonicalize() {
            Ok(resolved) => resolved,
            // Outside is said before whether the file exists, so that a strategy cannot
            // tell what is there outside its folder (`/etc/nonexistent.csv` said "does not
            // exist", `/etc/shadow` "outside").
            Err(error) => match resolved_as_far_as_it_exists(path) {
                Some(would_be) if !self.roots.iter().any(|root| would_be.starts_with(root)) => {
                    return Err(self.outside(path, &would_be).into());
                }
                _ => return Err(error.into()),
            },
        };
        if self.roots.iter().any(|root| resolved.starts_with(root)) {
            return Ok(resolved);
        }
        // A device or kernel file is refused for what it is, with no offer to allow it.
        if let Some(what) = file::special(&resolved) {
            return Err(AccessError::not_a_file(path.display().to_string(), what).into());
        }
        Err(self.outside(path, &resolved).into())
    }

    /// `path` (resolved: `resolved`) is outside every folder that may be read. The help
    /// offers `--allow-path` with the folder `resolved` is in, never `/`: for a folder or
    /// file right under `/`, it offers the path itself.
    fn outside(&self, path: &Path, resolved: &Path) -> AccessError {
        let folder = match self.roots.first() {
            Some(root) => format!("`{}`", root.display()),
            None => "its folder".to_string(),
        };
        let allow = match resolved.parent() {
            Some(parent) if parent.parent().is_some() => parent,
            _ => resolved,
        };
        AccessError::Outside {
            path: path.display().to_string(),
            span: None,
            help: format!(
                "a strategy reads only files in its own folder ({folder}) and below, and the paths \
                 given with `--data`; if you trust it to read this file, add `--allow-path {}`",
                allow.display()
            ),
        }
    }

    /// Reads the file at `path` as a `kind`: resolved and checked against the policy,
    /// recognised by its name, regular, within its size limit, and text. A large data file
    /// is mapped rather than copied ([`map_regular`]).
    pub fn read(&self, path: &Path, kind: Kind) -> Result<FileBytes, Denied> {
        let resolved = self.resolve(path)?;
        let shown = path.display().to_string();
        let expected = match kind {
            Kind::Data => "a CSV file",
            Kind::Script => "a rhai script",
        };
        let refuse = |why: String, help: String| {
            Denied::Refused(AccessError::NotRecognised {
                path: shown.clone(),
                expected,
                why,
                span: None,
                help,
            })
        };
        if let Some(what) = file::special(&resolved) {
            return Err(AccessError::not_a_file(shown, what).into());
        }
        if resolved.is_dir() {
            return Err(AccessError::not_a_file(shown, "a folder").into());
        }
        let named_right = resolved
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| kind.extensions().iter().any(|x| e.eq_ignore_ascii_case(x)));
        if !named_right {
            let names: Vec<String> = kind.extensions().iter().map(|e| format!("*.{e}")).collect();
            return Err(refuse(
                format!("its name does not end in {}", names.join(" or ")),
                format!(
                    "rotor reads a {} only from files named {}",
                    kind.noun(),
                    names.join(", ")
                ),
            ));
        }
        let (limit, raisable) = match kind {
            Kind::Data => (self.limits.data_bytes, true),
            Kind::Script => (self.limits.script_bytes, false),
        };
        let (bytes, id) = match kind {
            Kind::Data => map_regular(&resolved, &shown, limit, kind.noun(), raisable)?,
            Kind::Script => {
                let (bytes, id) = read_regular(&resolved, &shown, limit, kind.noun(), raisable)?;
                (FileBytes::Read(bytes), id)
            }
        };
        if let Some(why) = binary(&bytes, kind) {
            return Err(refuse(
                why,
                format!("a {} is plain text; save it as UTF-8 text", kind.noun()),
            ));
        }
        self.record(resolved, id, kind.article());
        Ok(bytes)
    }

    /// The data files (`*.csv`, `*.tsv`: [`crate::data::FOLDER_EXTENSIONS`]) directly inside
    /// the folder `dir` (already resolved), in name order.
    pub fn data_files(&self, dir: &Path) -> std::io::Result<Vec<PathBuf>> {
        let mut files = Vec::new();
        for entry in std::fs::read_dir(dir)? {
            let file = entry?.path();
            if crate::data::is_folder_data(&file) {
                files.push(file);
            }
        }
        files.sort();
        Ok(files)
    }

    /// Notes a file read outside [`Access::read`]: the strategy itself (`what` says so).
    pub fn record_path(&self, path: &Path, what: &'static str) {
        if let (Ok(resolved), Some(id)) = (path.canonicalize(), FileId::of(path)) {
            self.record(resolved, id, what);
        }
    }

    fn record(&self, path: PathBuf, id: FileId, what: &'static str) {
        let mut read = self.read.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if !read.iter().any(|r| r.id == id) {
            read.push(ReadFile { path, id, what });
        }
    }

    /// Every file read through this policy (and its clones) so far.
    pub fn files_read(&self) -> Vec<ReadFile> {
        self.read
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clone()
    }
}

/// Where `path` would be: its deepest folder that exists, resolved (symlinks followed), and
/// the rest of it as written (`..` taken as written too); `None` when no part of it exists.
fn resolved_as_far_as_it_exists(path: &Path) -> Option<PathBuf> {
    let mut existing = path;
    let mut rest = Vec::new();
    loop {
        let here = if existing.as_os_str().is_empty() {
            Path::new(".")
        } else {
            existing
        };
        if let Ok(mut resolved) = here.canonicalize() {
            for part in rest.iter().rev() {
                match part {
                    std::path::Component::ParentDir => {
                        resolved.pop();
                    }
                    std::path::Component::Normal(name) => resolved.push(name),
                    _ => {}
                }
            }
            return Some(resolved);
        }
        rest.push(existing.components().next_back()?);
        existing = existing.parent()?;
    }
}

/// Why `bytes` are not text a `kind` may hold, if they are not. Text holds no NUL bytes,
/// except UTF-16 (Excel's "Unicode text", with its byte order mark), which the data loader
/// decodes (`crate::data`) and so a data file may be when it decodes without error; scripts
/// are UTF-8 only.
fn binary(bytes: &[u8], kind: Kind) -> Option<String> {
    if let Some((encoding, _)) = encoding_rs::Encoding::for_bom(bytes)
        && (encoding == encoding_rs::UTF_16LE || encoding == encoding_rs::UTF_16BE)
    {
        if kind == Kind::Script {
            return Some(format!("it is {} text, and scripts are read as UTF-8", encoding.name()));
        }
        let (text, had_errors) = encoding.decode_with_bom_removal(bytes);
        if had_errors {
            return Some(format!("it starts like {} text but is not", encoding.name()));
        }
        let at = text.find('\0')?;
        return Some(format!(
            "it holds binary data (a NUL character in its {} text, at character {})",
            encoding.name(),
            text[..at].chars().count()
        ));
    }
    // A large file is searched on two threads (it is scanned before anything else reads it).
    let at = crate::data::two_cores::find(bytes, 0)?;
    Some(format!("it holds binary data (a NUL byte at offset {at})"))
}

#[cfg(test)]
mod tests;
