//! `rotor check FILE...`

use std::path::PathBuf;
use std::process::ExitCode;

use super::{Format, report_failure};
use crate::data::DataWarning;
use crate::diagnostic::Failure;
use crate::pipeline;
use crate::source::SourceMap;

pub fn run(files: &[PathBuf], format: Format, no_data: bool) -> Result<ExitCode, Failure> {
    let mut failed = false;
    let mut json = Vec::new();
    for path in files {
        let mut sources = SourceMap::new();
        let outcome = check_one(path, no_data, &mut sources);
        match (outcome, format) {
            (Ok(warnings), Format::Text) => {
                super::report_warnings(&warnings);
                println!("{}: ok", path.display());
            }
            (Ok(_), Format::Json) => {}
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

/// Checks one file; its data's warnings, if the data was loaded.
fn check_one(path: &std::path::Path, no_data: bool, sources: &mut SourceMap) -> Result<Vec<DataWarning>, Failure> {
    let file = pipeline::read(path, sources)?;
    if no_data {
        let ast = pipeline::parse(&file, sources)?;
        let scripts = pipeline::load_scripts(&ast, &file.dir(), sources)?;
        return pipeline::check(&ast, None, scripts.as_deref(), sources).map(|_| Vec::new());
    }
    // Every history, not only those the strategy uses: `check` validates every cell.
    let options = pipeline::RunOptions {
        load_all: true,
        ..Default::default()
    };
    pipeline::prepare(&file, &options, sources).map(|prepared| prepared.data.data.warnings)
}
