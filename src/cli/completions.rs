//! `rotor completions SHELL` and `rotor man`: generated from the clap definitions that
//! parse the command line, so they never fall out of step with it.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use clap::CommandFactory;
use clap_complete::Shell;

use super::Cli;
use crate::diagnostic::{Failure, UsageError};
use crate::source::SourceMap;

/// Prints the completion script for `shell` (README: where to put it).
pub fn completions(shell: Shell) -> Result<ExitCode, Failure> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "rotor", &mut out);
    write_stdout(&out)
}

/// Prints the manual page `rotor.1` (roff), or with `dir` writes one page per command
/// there (`rotor.1`, `rotor-run.1`, …).
pub fn man(dir: Option<&Path>) -> Result<ExitCode, Failure> {
    let failed = |path: &Path, e: std::io::Error| {
        Failure::one(
            UsageError::Write {
                path: path.display().to_string(),
                reason: e.to_string(),
            },
            &SourceMap::new(),
        )
    };
    match dir {
        Some(dir) => {
            // create_dir_all's own word for a file in the way is "File exists".
            if dir.exists() && !dir.is_dir() {
                return Err(Failure::one(
                    UsageError::Write {
                        path: dir.display().to_string(),
                        reason: "it is a file, not a folder; `--dir` names the folder the pages go into".into(),
                    },
                    &SourceMap::new(),
                ));
            }
            // The folders above the last that are missing are made too, and named, so that a
            // typo among them does not go unseen.
            let mut above: Vec<&Path> = (dir.ancestors().skip(1))
                .take_while(|p| !p.as_os_str().is_empty() && !p.exists())
                .collect();
            above.reverse();
            std::fs::create_dir_all(dir).map_err(|e| failed(dir, e))?;
            if !above.is_empty() {
                let named: Vec<String> = above.iter().map(|p| format!("`{}`", p.display())).collect();
                let folders = if named.len() == 1 { "folder" } else { "folders" };
                // The last folder, named by `--dir`, is made too: said, so the list does not
                // read as all that was made.
                errln!(
                    "note: made the missing {folders} {} above `{}`",
                    named.join(", "),
                    dir.display()
                );
            }
            clap_mangen::generate_to(Cli::command(), dir).map_err(|e| failed(dir, e))?;
            Ok(ExitCode::SUCCESS)
        }
        None => {
            let mut out = Vec::new();
            clap_mangen::Man::new(Cli::command())
                .render(&mut out)
                .map_err(|e| failed(Path::new("<stdout>"), e))?;
            write_stdout(&out)
        }
    }
}

fn write_stdout(bytes: &[u8]) -> Result<ExitCode, Failure> {
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(bytes).and_then(|()| stdout.flush()).map_err(|e| {
        Failure::one(
            UsageError::Write {
                path: "<stdout>".into(),
                reason: e.to_string(),
            },
            &SourceMap::new(),
        )
    })?;
    Ok(ExitCode::SUCCESS)
}
