//! `rotor check FILE...`

use std::path::PathBuf;
use std::process::ExitCode;

use super::inputs::InputArgs;
use super::{Format, report_failure};
use crate::data::DataWarning;
use crate::diagnostic::{self, Failure};
use crate::engine::Period;
use crate::pipeline::{self, Load, RunOptions};
use crate::report::StrategyWarning;
use crate::source::SourceMap;

pub fn run(files: &[PathBuf], format: Format, no_data: bool, inputs: &InputArgs) -> Result<ExitCode, Failure> {
    let mut failed = false;
    let mut json = Vec::new();
    for path in files {
        let mut sources = SourceMap::new();
        let Checked {
            warnings,
            strategy_warnings,
            skipped,
            outcome,
        } = check_one(path, no_data, inputs, &mut sources);
        // Warnings about the data come first, with the errors or not: they may explain one.
        match format {
            Format::Text => {
                super::report_warnings(&warnings);
                super::report_warnings(&strategy_warnings);
            }
            Format::Json => {
                json.extend(diagnostic::warnings_to_json(&warnings, &sources));
                json.extend(diagnostic::warnings_to_json(&strategy_warnings, &sources));
            }
        }
        match (outcome, format) {
            (Ok(()), Format::Text) => {
                outln!("{}: ok", path.display());
                // What `--lenient` skipped: `ok` holds for the rows left.
                for note in &skipped {
                    outln!("  {note}");
                }
            }
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
        outln!("{text}");
    }
    Ok(if failed { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

/// What checking one file found.
struct Checked {
    /// The data's warnings, whenever the data was loaded (a warning fails nothing).
    warnings: Vec<DataWarning>,
    /// What the data shows about a strategy that checks (a condition that never holds).
    strategy_warnings: Vec<StrategyWarning>,
    /// What lenient loading skipped, one sentence per file ([`crate::data::DataSet::skip_notes`]).
    skipped: Vec<String>,
    outcome: Result<(), Failure>,
}

fn check_one(path: &std::path::Path, no_data: bool, inputs: &InputArgs, sources: &mut SourceMap) -> Checked {
    let failed = |f: Failure| Checked {
        warnings: Vec::new(),
        strategy_warnings: Vec::new(),
        skipped: Vec::new(),
        outcome: Err(f),
    };
    let file = match pipeline::read(path, sources) {
        Ok(file) => file,
        Err(f) => return failed(f),
    };
    let prepared = if no_data {
        // Without data a file that does not parse is not checked further.
        let options = RunOptions {
            load: Load::Nothing,
            ..inputs.options()
        };
        pipeline::parse(&file, sources)
            .and_then(|ast| pipeline::prepare_ast(ast, &file.dir(), &file.name, &options, sources))
    } else {
        // Every history, not only those the strategy uses: `check` validates every cell.
        let options = RunOptions {
            load: Load::All,
            ..inputs.options()
        };
        pipeline::prepare(&file, &options, sources)
    };
    let prepared = match prepared {
        Ok(prepared) => prepared,
        Err(f) => return failed(f),
    };
    let checked = pipeline::check(&prepared, sources)
        .and_then(|program| pipeline::check_data(&prepared, &program, sources).map(|()| program));
    let strategy_warnings = match &checked {
        Ok(program) => pipeline::warnings(&prepared, program, Period::default(), sources),
        Err(_) => Vec::new(),
    };
    Checked {
        warnings: prepared
            .data
            .as_ref()
            .map(|d| d.data.warnings.clone())
            .unwrap_or_default(),
        strategy_warnings,
        skipped: (prepared.data.as_ref())
            .map(|d| d.data.skip_notes.clone())
            .unwrap_or_default(),
        outcome: checked.map(|_| ()),
    }
}
