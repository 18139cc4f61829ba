//! Writing a command's output files (`--trades`, `--report`, `--plot`, …): through
//! [`crate::output::replace`] (atomic, through symlinks, mode kept), after the command has
//! checked them with [`crate::output::guard`].

use std::path::{Path, PathBuf};

use crate::diagnostic::{Failure, UsageError};
use crate::report::plot::{self, Figure, Format};
use crate::source::SourceMap;

/// Writes `bytes` to `path`; a failure is `rotor::io::write` naming the file.
pub fn bytes(path: &Path, bytes: &[u8], sources: &SourceMap) -> Result<(), Failure> {
    crate::output::replace(path, bytes).map_err(|e| write_error(path, e.to_string(), sources))
}

/// Draws `figure` into `path` (`.svg` or `.png`, as [`plot_path`] let through).
pub fn plot(path: &Path, figure: &Figure, sources: &SourceMap) -> Result<(), Failure> {
    let format = Format::of(path).unwrap_or(Format::Svg);
    let drawn = plot::render(figure, format).map_err(|e| write_error(path, e, sources))?;
    bytes(path, &drawn, sources)
}

fn write_error(path: &Path, reason: String, sources: &SourceMap) -> Failure {
    Failure::one(
        UsageError::Write {
            path: path.display().to_string(),
            reason,
        },
        sources,
    )
}

/// `--plot`'s value: a path ending in `.svg` or `.png`.
pub fn plot_path(s: &str) -> Result<PathBuf, String> {
    let path = PathBuf::from(s);
    match Format::of(&path) {
        Some(_) => Ok(path),
        None => Err(format!(
            "`{s}` is neither .svg nor .png; name the picture e.g. `equity.svg` or `equity.png`"
        )),
    }
}
