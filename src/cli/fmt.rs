//! `rotor fmt FILE...`

use std::path::PathBuf;
use std::process::ExitCode;

use crate::diagnostic::{Error, Failure, UsageError};
use crate::pipeline;
use crate::source::SourceMap;

pub fn run(files: &[PathBuf], write: bool, check: bool) -> Result<ExitCode, Failure> {
    let mut unformatted = false;
    let mut failed = false;
    for path in files {
        let mut sources = SourceMap::new();
        let file = match pipeline::read(path, &mut sources) {
            Ok(f) => f,
            Err(f) => {
                super::report_failure(&f);
                failed = true;
                continue;
            }
        };
        let formatted = match crate::format::format_source(&file) {
            Ok(text) => text,
            Err(errors) => {
                // A file that does not parse is never rewritten.
                super::report_failure(&Failure::new(errors.into_iter().map(Error::from).collect(), &sources));
                failed = true;
                continue;
            }
        };
        if check {
            if formatted != file.text {
                println!("{}: not formatted", path.display());
                unformatted = true;
            }
        } else if write {
            if formatted != file.text {
                replace(path, &formatted, &sources)?;
            }
        } else {
            print!("{formatted}");
        }
    }
    Ok(if failed || unformatted {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// Writes through a uniquely named temporary file renamed over the original (through a
/// symlink, keeping the file's permissions; see [`crate::output::replace`]), so an
/// interrupted write never leaves a half-written strategy behind.
fn replace(path: &std::path::Path, text: &str, sources: &SourceMap) -> Result<(), Failure> {
    crate::output::replace(path, text.as_bytes()).map_err(|e| {
        Failure::one(
            UsageError::Write {
                path: path.display().to_string(),
                reason: e.to_string(),
            },
            sources,
        )
    })
}
