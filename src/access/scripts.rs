//! A strategy's files through the policy: the strategy itself, and the scripts it `use`s.

use std::path::Path;
use std::sync::Arc;

use super::{Access, AccessError, Denied, Kind, MAX_SCRIPTS_BYTES, MAX_STRATEGY_BYTES, read_regular};
use crate::diagnostic::{Error, UsageError};
use crate::script::ScriptError;
use crate::source::{SourceFile, SourceMap, Span};

/// The bytes of the strategy file at `path` (named by the user, so read wherever it is): a
/// regular file of at most [`MAX_STRATEGY_BYTES`].
pub fn read_strategy(path: &Path) -> Result<Vec<u8>, Error> {
    let shown = path.display().to_string();
    let io = |e: std::io::Error| -> Error {
        UsageError::Read {
            path: shown.clone(),
            reason: e.to_string(),
        }
        .into()
    };
    let resolved = path.canonicalize().map_err(io)?;
    match read_regular(&resolved, &shown, MAX_STRATEGY_BYTES, STRATEGY_KIND, false) {
        Ok((bytes, _)) => Ok(bytes),
        Err(Denied::Io(e)) => Err(io(e)),
        Err(Denied::Refused(e)) => Err(e.into()),
    }
}

/// Why a strategy of `size` bytes named `shown` is not read, when it is larger than
/// [`MAX_STRATEGY_BYTES`]: what [`read_strategy`] says of such a file, for text that comes
/// from elsewhere (an editor's buffer).
pub fn strategy_too_large(shown: &str, size: u64) -> Option<AccessError> {
    (size > MAX_STRATEGY_BYTES)
        .then(|| AccessError::too_large(shown.to_string(), STRATEGY_KIND, size, MAX_STRATEGY_BYTES, false))
}

/// What a strategy file is called in messages.
const STRATEGY_KIND: &str = "strategy file";

/// Reads the scripts named by a strategy's `use` lines (their paths and spans) through
/// `access` and adds each to `sources`; at most [`MAX_SCRIPTS_BYTES`] together. Returns the
/// files read and an error for each that could not be.
pub fn read_scripts(
    uses: &[(&str, Span)],
    access: &Access,
    sources: &mut SourceMap,
) -> (Vec<Arc<SourceFile>>, Vec<Error>) {
    let mut files = Vec::with_capacity(uses.len());
    let mut errors: Vec<Error> = Vec::new();
    let mut total = 0u64;
    for &(written, span) in uses {
        let path = access.join(Path::new(written));
        let cannot = |reason: String| -> Error {
            ScriptError::Read {
                path: path.display().to_string(),
                reason,
                span,
            }
            .into()
        };
        let bytes = match access.read(&path, Kind::Script) {
            Ok(bytes) => bytes.into_vec(),
            Err(Denied::Io(e)) => {
                errors.push(cannot(e.to_string()));
                continue;
            }
            Err(Denied::Refused(e)) => {
                errors.push(e.at(span).into());
                continue;
            }
        };
        total += bytes.len() as u64;
        if total > MAX_SCRIPTS_BYTES {
            let size = AccessError::ScriptsTooLarge {
                size: total,
                limit: MAX_SCRIPTS_BYTES,
                span: Some(span),
            };
            errors.push(size.into());
            break;
        }
        match String::from_utf8(bytes) {
            Ok(text) => files.push(sources.add(path.display().to_string(), Some(path.clone()), text)),
            Err(_) => errors.push(cannot("it is not UTF-8 text".into())),
        }
    }
    (files, errors)
}
