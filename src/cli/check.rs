//! `rotor check FILE...`

use std::path::PathBuf;
use std::process::ExitCode;

use super::{Format, report_failure};
use crate::diagnostic::Failure;
use crate::pipeline::{self, Load, RunOptions};
use crate::source::SourceMap;

pub fn run(files: &[PathBuf], format: Format, no_data: bool) -> Result<ExitCode, Failure> {
    let mut failed = false;
    let mut json = Vec::new();
    for path in files {
        let mut sources = SourceMap::new();
        let outcome = check_one(path, no_data, &mut sources);
        match (outcome, format) {
            (Ok(()), Format::Text) => println!("{}: ok", path.display()),
            (Ok(()), Format::Json) => {}
            (Err(f), Format::Text) => {
                failed = true;
                report_failure(&f);
            }
            (Err(f), Format::Json) => {
                failed = true;
                json.extend(f.to_json());
            }
        }
    }
    if format == Format::Json {
        let text = serde_json::to_string_pretty(&json).expect("diagnostics serialise");
        println!("{text}");
    }
    Ok(if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

fn check_one(path: &std::path::Path, no_data: bool, sources: &mut SourceMap) -> Result<(), Failure> {
    let file = pipeline::read(path, sources)?;
    let prepared = if no_data {
        // Without data a file that does not parse is not checked further.
        let ast = pipeline::parse(&file, sources)?;
        let options = RunOptions {
            load: Load::Nothing,
            ..Default::default()
        };
        pipeline::prepare_ast(ast, &file.dir(), &file.name, &options, sources)?
    } else {
        // Every history, not only those the strategy uses: `check` validates every cell.
        let options = RunOptions {
            load: Load::All,
            ..Default::default()
        };
        pipeline::prepare(&file, &options, sources)?
    };
    pipeline::check(&prepared, sources).map(|_| ())
}
