//! Data paths read through the policy: a data file, or the `*.csv` and `*.tsv` files of a
//! folder.

use std::path::Path;

use super::{Access, Denied, Kind};
use crate::data::{DataError, DataSet, LoadOptions, load_mapped};
use crate::diagnostic::Error;
use crate::source::Span;

/// Loads the data at `path` (relative to the current folder: a strategy's `data` line goes
/// through [`Access::join`] first) as [`crate::data::load_path`] does, every file read
/// through `access`. `span` is where the strategy names the path, if it does; refusals
/// point there.
pub fn load_data(access: &Access, path: &Path, opts: &LoadOptions, span: Option<Span>) -> Result<DataSet, Error> {
    let shown = path.display().to_string();
    let denied = |denied: Denied, shown: &str| -> Error {
        match denied {
            Denied::Refused(e) => match span {
                Some(span) => e.at(span).into(),
                None => e.into(),
            },
            Denied::Io(source) => DataError::Io {
                path: shown.to_string(),
                source,
            }
            .into(),
        }
    };
    let resolved = access.resolve(path).map_err(|e| denied(e, &shown))?;
    if !resolved.is_dir() {
        let bytes = access.read(path, Kind::Data).map_err(|e| denied(e, &shown))?;
        return Ok(load_mapped(&shown, &bytes, opts, &|range| bytes.release(range))?);
    }
    let files = access
        .data_files(&resolved)
        .map_err(|e| denied(Denied::Io(e), &shown))?;
    if files.is_empty() {
        return Err(DataError::NoFiles { path: shown }.into());
    }
    let mut set = DataSet::default();
    let opts = &opts.for_folder();
    for file in files {
        let Some(name) = file.file_name() else { continue };
        let path = path.join(name);
        let shown = path.display().to_string();
        let bytes = access.read(&path, Kind::Data).map_err(|e| denied(e, &shown))?;
        set.merge(load_mapped(&shown, &bytes, opts, &|range| bytes.release(range))?)?;
    }
    Ok(set)
}
