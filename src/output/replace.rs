//! Replacing a file's contents in one step, keeping what makes it the user's file.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `bytes` to `path` atomically: into a new temporary file with a unique name in the
/// folder of the file `path` finally names (through any symlinks, which stay as they are),
/// with that file's permissions (and owner, where allowed), synced, then renamed over it. A
/// new file gets the permissions `std::fs::write` would give it. Nothing else in the folder
/// is touched, whatever its name. A target that exists and is not a regular file (a device,
/// a named pipe, a socket, a folder) is refused with `InvalidInput`, never replaced; one the
/// user may not write is refused with the system's error (`PermissionDenied`), as writing
/// it in place would be.
pub fn replace(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let target = final_target(path)?;
    let folder = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = target
        .file_name()
        .map_or_else(|| "output".to_string(), |n| n.to_string_lossy().into_owned());
    let existing = std::fs::metadata(&target).ok();
    if let Some(meta) = &existing
        && !meta.is_file()
    {
        // Renaming over a device, a pipe or a socket would replace it with a plain file
        // (as root, `--equity /dev/null` would replace /dev/null).
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!(
                "it is {}, not a regular file; rotor writes its outputs only to files",
                kind_of(meta)
            ),
        ));
    }
    if existing.is_some() {
        // Renaming over a file needs leave to write in its folder, not in the file: a file
        // its owner made read-only would be replaced. Opening it to write (not truncated:
        // nothing in it changes) asks what writing it directly would, and fails the same.
        std::fs::OpenOptions::new().write(true).open(&target)?;
    }
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // As `File::create` asks; the process's umask applies, as it would there.
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    if !folder.is_dir() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            format!("the folder `{}` does not exist", folder.display()),
        ));
    }
    let mut temp = builder.tempfile_in(folder).map_err(without_temp_path)?;
    if let Some(meta) = &existing {
        temp.as_file().set_permissions(meta.permissions())?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            // Only the owner or root may do this; otherwise the file becomes the writer's.
            let _ = std::os::unix::fs::fchown(temp.as_file(), Some(meta.uid()), Some(meta.gid()));
        }
    }
    temp.write_all(bytes)?;
    temp.as_file().sync_all()?;
    temp.persist(&target).map_err(|e| e.error)?;
    Ok(())
}

/// `error` as the system gave it, without the temporary file's name that `tempfile` adds
/// (" at path …": a user never asked for that file; the message names the one they asked
/// for). The kind is kept.
fn without_temp_path(error: std::io::Error) -> std::io::Error {
    let shown = error.to_string();
    match shown.split_once(" at path \"") {
        Some((reason, _)) => std::io::Error::new(error.kind(), reason.to_owned()),
        None => error,
    }
}

/// What a non-regular file is, in words.
fn kind_of(meta: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_fifo() {
            return "a named pipe";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if meta.is_dir() { "a folder" } else { "not a plain file" }
}

/// The file `path` finally names, following symlinks, also a link to a file that does not
/// exist yet.
pub(crate) fn final_target(path: &Path) -> std::io::Result<PathBuf> {
    let mut current = path.to_path_buf();
    // Linux's own limit on links followed in one lookup.
    for _ in 0..40 {
        match std::fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                let link = std::fs::read_link(&current)?;
                current = match current.parent() {
                    Some(parent) => parent.join(link),
                    None => link,
                };
            }
            _ => return Ok(current),
        }
    }
    Err(std::io::Error::other("too many levels of symbolic links"))
}
