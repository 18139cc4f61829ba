//! `rotor check FILE...`

use std::path::PathBuf;
use std::process::ExitCode;

use super::sandbox::SandboxArgs;
use super::{Format, report_failure};
use crate::diagnostic::Failure;
use crate::pipeline;
use crate::source::SourceMap;

pub fn run(files: &[PathBuf], format: Format, no_data: bool, sandbox: &SandboxArgs) -> Result<ExitCode, Failure> {
    let mut failed = false;
    let mut json = Vec::new();
    for path in files {
        let mut sources = SourceMap::new();
        let outcome = check_one(path, no_data, sandbox, &mut sources);
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

fn check_one(
    path: &std::path::Path,
    no_data: bool,
    sandbox: &SandboxArgs,
    sources: &mut SourceMap,
) -> Result<(), Failure> {
    let file = pipeline::read(path, sources)?;
    // Every history, not only those the strategy uses: `check` validates every cell.
    let options = pipeline::RunOptions {
        load_all: true,
        allow: sandbox.allow_path.clone(),
        limits: sandbox.limits(),
        ..Default::default()
    };
    if no_data {
        let ast = pipeline::parse(&file, sources)?;
        let scripts = pipeline::load_scripts(&ast, &options.access(&file), sources)?;
        return pipeline::check(&ast, None, scripts.as_deref(), sources).map(|_| ());
    }
    pipeline::prepare(&file, &options, sources).map(|_| ())
}
