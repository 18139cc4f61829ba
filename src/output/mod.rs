//! Writing the files a user asks for: never over a file the run reads, and never half.
//!
//! `rotor run s.rotor --equity IWO.csv` used to replace the data it had just read, and
//! `--trades s.rotor` the strategy. [`guard`] refuses any output that is (however it is
//! named: `..`, symlinks, hard links) one of the run's inputs, or that two options would
//! both write. [`replace`] writes through a temporary file in the same folder and renames it
//! into place, so an interrupted write leaves the old file whole.

mod error;
mod replace;

use std::path::Path;

pub use error::OutputError;
pub use replace::replace;

use crate::access::{FileId, ReadFile};

/// Checks that no output in `outputs` (the option that names it, and its path) is one of
/// `inputs` or another output, or `-` (which rotor does not read as standard output).
/// Outputs that do not exist yet cannot be inputs.
pub fn guard(outputs: &[(&str, &Path)], inputs: &[ReadFile]) -> Result<(), OutputError> {
    let mut seen: Vec<(&str, &Path, Option<FileId>, Option<std::path::PathBuf>)> = Vec::new();
    for &(option, path) in outputs {
        if path.as_os_str() == "-" {
            let example = match option {
                "--report" => "report.html",
                "--plot" => "equity.svg",
                ":save" => "mine.rotor",
                "--trades" => "trades.csv",
                "--equity" => "equity.csv",
                "--csv" => "sweep.csv",
                _ => "out.csv",
            };
            return Err(OutputError::Dash {
                option: option.to_string(),
                example,
            });
        }
        let id = FileId::of(path);
        if let Some(id) = &id
            && let Some(input) = inputs.iter().find(|input| &input.id == id)
        {
            return Err(OutputError::OverwritesInput {
                path: path.display().to_string(),
                what: input.what,
                option: option.to_string(),
            });
        }
        let resolved = resolved_name(path);
        let same = seen.iter().find(|(_, _, other_id, other)| {
            (id.is_some() && *other_id == id) || (resolved.is_some() && *other == resolved)
        });
        if let Some(&(first, _, _, _)) = same {
            return Err(OutputError::SameFile {
                path: path.display().to_string(),
                first: first.to_string(),
                second: option.to_string(),
            });
        }
        seen.push((option, path, id, resolved));
    }
    Ok(())
}

/// Where `path` would be written: the file it finally names (through symlinks, also one to
/// a file not there yet), its folder resolved, and its name.
fn resolved_name(path: &Path) -> Option<std::path::PathBuf> {
    let path = &replace::final_target(path).ok()?;
    let name = path.file_name()?;
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    Some(folder.canonicalize().ok()?.join(name))
}

#[cfg(test)]
mod tests;
