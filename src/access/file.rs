//! Reading one file without trusting it: regular files only, never more than a limit.

use std::fs::{File, Metadata};
use std::io::Read;
use std::path::Path;

use super::error::AccessError;

/// Why a read did not happen: the policy refused it, or the system could not do it.
#[derive(Debug)]
pub enum Denied {
    Refused(AccessError),
    Io(std::io::Error),
}

impl From<AccessError> for Denied {
    fn from(e: AccessError) -> Self {
        Denied::Refused(e)
    }
}

impl From<std::io::Error> for Denied {
    fn from(e: std::io::Error) -> Self {
        Denied::Io(e)
    }
}

/// Identifies a file however it is named (hard links, `..`, symlinks): device and inode on
/// Unix, the canonical path elsewhere.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FileId(Identity);

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Identity {
    #[cfg(unix)]
    Inode(u64, u64),
    #[cfg(not(unix))]
    Path(std::path::PathBuf),
}

impl FileId {
    /// The identity of the file at `path` (following symlinks), if it exists.
    pub fn of(path: &Path) -> Option<FileId> {
        let meta = std::fs::metadata(path).ok()?;
        Some(FileId::from_meta(path, &meta))
    }

    #[cfg_attr(unix, allow(unused_variables))]
    fn from_meta(path: &Path, meta: &Metadata) -> FileId {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            FileId(Identity::Inode(meta.dev(), meta.ino()))
        }
        #[cfg(not(unix))]
        {
            FileId(Identity::Path(
                path.canonicalize().unwrap_or_else(|_| path.to_path_buf()),
            ))
        }
    }
}

/// What kind of thing `meta` describes, in words, when it is not a regular file.
fn not_regular(meta: &Metadata) -> Option<&'static str> {
    let kind = meta.file_type();
    if kind.is_file() {
        return None;
    }
    if kind.is_dir() {
        return Some("a folder");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return Some("a named pipe (FIFO)");
        }
        if kind.is_socket() {
            return Some("a socket");
        }
        if kind.is_char_device() {
            return Some("a character device");
        }
        if kind.is_block_device() {
            return Some("a block device");
        }
    }
    Some("not a regular file")
}

/// Kernel file systems whose files claim to be regular but are generated on reading
/// (`/proc/self/environ` holds the environment).
const KERNEL_FOLDERS: &[&str] = &["/proc", "/sys", "/dev"];

/// What `path` (resolved) is, in words, if it is something rotor never reads: neither a
/// regular file nor a folder, or in the kernel's folders (`/proc`, `/sys`, `/dev`).
pub fn special(path: &Path) -> Option<&'static str> {
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_dir() => None,
        Ok(meta) => not_regular(&meta).or_else(|| {
            KERNEL_FOLDERS
                .iter()
                .any(|k| path.starts_with(k))
                .then_some("a kernel or device file")
        }),
        Err(_) => None,
    }
}

/// Reads the regular file at `path` (already resolved, see [`super::Access::resolve`]),
/// refusing anything else, and anything over `limit` bytes before reading it. Messages name
/// the file `shown` (as the user wrote it) and a `kind` ("data file"); `raisable` says
/// whether `--max-data-size` raises the limit.
pub fn read_regular(
    path: &Path,
    shown: &str,
    limit: u64,
    kind: &'static str,
    raisable: bool,
) -> Result<(Vec<u8>, FileId), Denied> {
    let (file, meta, too_large) = open_regular(path, shown, limit, kind, raisable)?;
    let bytes = read_within(file, &meta, limit, &too_large)?;
    Ok((bytes, FileId::from_meta(path, &meta)))
}

/// Files from this size on are mapped by [`map_regular`]; below it a copy costs less than
/// setting up a mapping.
pub const MAP_FROM: u64 = 1 << 20;

/// The bytes of a file: mapped into memory, or read into a buffer.
pub enum FileBytes {
    /// A large regular file, mapped read-only ([`map_regular`]).
    Mapped(memmap2::Mmap),
    Read(Vec<u8>),
}

impl std::ops::Deref for FileBytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            FileBytes::Mapped(map) => map,
            FileBytes::Read(bytes) => bytes,
        }
    }
}

impl std::fmt::Debug for FileBytes {
    /// How the bytes are held and how many, never what they are (a refused file's contents
    /// are never shown).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let how = match self {
            FileBytes::Mapped(_) => "Mapped",
            FileBytes::Read(_) => "Read",
        };
        write!(f, "{how}({} bytes)", self.len())
    }
}

impl FileBytes {
    /// Lets go of the pages of `range` (byte offsets) of a mapped file, which the reader is
    /// done with for now: they leave the process's resident memory, and are mapped again
    /// from the page cache, unchanged, if read again (a diagnostic quoting a row, a second
    /// reading of the file). Nothing for bytes in a buffer, and nothing when the kernel
    /// refuses the advice: the pages then simply stay. The pages at both ends are let go
    /// whole, which only costs a second fault if they are read again.
    pub fn release(&self, range: std::ops::Range<usize>) {
        let FileBytes::Mapped(map) = self else { return };
        let end = range.end.min(map.len());
        if range.start >= end {
            return;
        }
        // SAFETY: `MADV_DONTNEED` on a shared, read-only mapping of a file drops the page
        // table entries only: a later read maps the file's pages again, with the same bytes
        // (rotor never writes to a file it reads, `crate::output::guard`), so no borrow of
        // the mapping sees anything change. (On a private or anonymous mapping the advice
        // would discard contents, which is why memmap2 marks it unchecked; `map_regular`
        // maps shared.) The one way the bytes could differ is another program rewriting the
        // file meanwhile, the risk the mapping already takes (see `map_regular`).
        let _ =
            unsafe { map.unchecked_advise_range(memmap2::UncheckedAdvice::DontNeed, range.start, end - range.start) };
    }

    /// The bytes as an owned buffer (a copy only for a mapped file).
    pub fn into_vec(self) -> Vec<u8> {
        match self {
            FileBytes::Mapped(map) => map.to_vec(),
            FileBytes::Read(bytes) => bytes,
        }
    }
}

/// [`read_regular`] for data files: the same checks and refusals, but a file of
/// [`MAP_FROM`] bytes or more is mapped into memory rather than copied into a buffer, so
/// the loader parses the text where the page cache already holds it (no copy, and the
/// kernel fills the mapping in one go instead of faulting in a fresh buffer page by page;
/// the loader lets go of the pages it has parsed as it goes, [`FileBytes::release`], so the
/// file's pages and the columns read from them are not both resident in full).
/// Where mapping fails (a file system that cannot map), the file is read as before.
pub fn map_regular(
    path: &Path,
    shown: &str,
    limit: u64,
    kind: &'static str,
    raisable: bool,
) -> Result<(FileBytes, FileId), Denied> {
    let (file, meta, too_large) = open_regular(path, shown, limit, kind, raisable)?;
    let id = FileId::from_meta(path, &meta);
    if meta.len() >= MAP_FROM {
        let options = memmap2::MmapOptions::new();
        // SAFETY: the mapping is read-only (shared with the page cache), and rotor never writes to a file it
        // reads (`crate::output::guard`). What `unsafe` admits here is another program
        // truncating the file while rotor reads it: the pages past the new end then raise
        // SIGBUS. Copying the file has the same race in a milder form (a torn read); a data
        // file is the user's own, not the strategy's, so the mapping is worth it.
        if let Ok(map) = unsafe { options.map(&file) } {
            // The length is fixed by the mapping: the limit is checked on what was mapped.
            if map.len() as u64 > limit {
                return Err(too_large(map.len() as u64));
            }
            populate(&map);
            return Ok((FileBytes::Mapped(map), id));
        }
    }
    let bytes = read_within(file, &meta, limit, &too_large)?;
    Ok((FileBytes::Read(bytes), id))
}

/// Maps every page of `map` in at once, as `MAP_POPULATE` would, but each half on its own
/// thread (`MADV_POPULATE_READ`, Linux 5.14 on): the kernel's walk over a large file's pages
/// comes before any row is read, so one core would otherwise do it while the other waits.
/// Where the advice is refused (older kernels, other systems) the pages are mapped as they
/// are first read instead: the same bytes, a fault per few pages.
fn populate(map: &memmap2::Mmap) {
    #[cfg(target_os = "linux")]
    {
        let populate = |from: usize, to: usize| {
            let _ = map.advise_range(memmap2::Advice::PopulateRead, from, to - from);
        };
        let half = map.len() / 2;
        std::thread::scope(|scope| {
            scope.spawn(|| populate(half, map.len()));
            populate(0, half);
        });
    }
    #[cfg(not(target_os = "linux"))]
    let _ = map;
}

/// The refusal of a file over the limit, by its size.
type TooLarge = Box<dyn Fn(u64) -> Denied>;

/// Opens the regular file at `path` for reading, refusing anything else and anything over
/// `limit` bytes (see [`read_regular`]); returns it, its metadata, and how to refuse it as
/// too large once read.
fn open_regular(
    path: &Path,
    shown: &str,
    limit: u64,
    kind: &'static str,
    raisable: bool,
) -> Result<(File, Metadata, TooLarge), Denied> {
    let shown = shown.to_string();
    // `stat` first: opening some devices already does something.
    if let Some(what) = not_regular(&std::fs::metadata(path)?) {
        return Err(AccessError::not_a_file(shown, what).into());
    }
    if KERNEL_FOLDERS.iter().any(|k| path.starts_with(k)) {
        return Err(AccessError::not_a_file(shown, "a kernel or device file").into());
    }
    let file = open(path)?;
    // And again on what was opened, in case the path changed in between.
    let meta = file.metadata()?;
    if let Some(what) = not_regular(&meta) {
        return Err(AccessError::not_a_file(shown, what).into());
    }
    let too_large =
        move |size: u64| Denied::Refused(AccessError::too_large(shown.clone(), kind, size, limit, raisable));
    if meta.len() > limit {
        return Err(too_large(meta.len()));
    }
    Ok((file, meta, Box::new(too_large)))
}

/// Reads `file` (of `meta`) whole, up to `limit` bytes.
fn read_within(mut file: File, meta: &Metadata, limit: u64, too_large: &TooLarge) -> Result<Vec<u8>, Denied> {
    let capacity = usize::try_from(meta.len()).unwrap_or(0);
    let mut bytes = Vec::with_capacity(capacity);
    // One byte more than the limit, to notice a file that grew after `stat`.
    file.by_ref().take(limit.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}

/// Opens for reading without blocking (a FIFO with no writer would wait for ever) and
/// without making a terminal the controlling one.
fn open(path: &Path) -> std::io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    options.open(path)
}

/// `512 bytes`, `1.5 MiB`, `2.0 GiB`.
pub fn human_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["KiB", "MiB", "GiB", "TiB"];
    if bytes < 1024 {
        return format!("{bytes} bytes");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_in_binary_units() {
        assert_eq!(human_size(512), "512 bytes");
        assert_eq!(human_size(1536), "1.5 KiB");
        assert_eq!(human_size(1 << 20), "1.0 MiB");
        assert_eq!(human_size(3 << 30), "3.0 GiB");
    }

    #[cfg(unix)]
    #[test]
    fn devices_and_kernel_files_are_refused_before_reading() {
        for path in ["/dev/zero", "/proc/self/environ", "/dev/null"] {
            match read_regular(Path::new(path), path, 1 << 20, "data file", false) {
                Err(Denied::Refused(AccessError::NotAFile { .. })) => {}
                other => panic!("{path}: {other:?}"),
            }
        }
    }
}
