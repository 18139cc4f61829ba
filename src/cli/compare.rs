//! `rotor compare A.rotor B.rotor …`: runs several strategies and shows them side by side
//! (docs/REPORT.md).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use crate::diagnostic::Failure;
use crate::pipeline;
use crate::report::compare::Comparison;
use crate::report::html;
use crate::report::plot::Figure;
use crate::source::SourceMap;

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// The strategy files (*.rotor), two or more.
    #[arg(required = true, num_args = 2..)]
    pub files: Vec<PathBuf>,
    // The period and the inputs apply to every strategy.
    #[command(flatten)]
    pub period: super::inputs::PeriodArgs,
    /// Print `{"strategies": [...]}`, each as `rotor run --json` prints it.
    #[arg(long)]
    pub json: bool,
    /// Write the comparison as one self-contained HTML page (docs/REPORT.md).
    #[arg(long, value_name = "FILE.html")]
    pub report: Option<PathBuf>,
    /// Draw the equity curves and drawdowns into a picture.
    #[arg(long, value_name = "FILE.svg|FILE.png", value_parser = super::write::plot_path)]
    pub plot: Option<PathBuf>,
    #[command(flatten)]
    pub inputs: super::inputs::InputArgs,
}

pub fn run(args: &CompareArgs) -> Result<ExitCode, Failure> {
    let options = pipeline::RunOptions {
        period: args.period.period(),
        ..args.inputs.options()
    };
    let outputs: Vec<(&str, &Path)> = [("--report", &args.report), ("--plot", &args.plot)]
        .into_iter()
        .filter_map(|(option, path)| Some((option, path.as_deref()?)))
        .collect();
    // Every file is prepared and its outputs checked before any run, so a refused output
    // or a broken file costs no run.
    let mut sources = SourceMap::new();
    let mut prepared = Vec::new();
    for path in &args.files {
        let file = pipeline::read(path, &mut sources)?;
        let p = pipeline::prepare(&file, &options, &mut sources)?;
        crate::output::guard(&outputs, &p.access.files_read()).map_err(|e| Failure::one(e, &sources))?;
        prepared.push(p);
    }
    let mut reports = Vec::new();
    for p in &prepared {
        let program = pipeline::check(p, &sources)?;
        let output = pipeline::run(p, program, options.period, &sources)?;
        super::report_warnings(&output.report.warnings);
        super::report_warnings(&output.warnings);
        reports.push(output.report);
    }
    let comparison = Comparison::of(reports);
    if let Some(path) = &args.report {
        super::write::bytes(path, html::compare(&comparison).as_bytes(), &sources)?;
    }
    if let Some(path) = &args.plot {
        let named: Vec<(String, &crate::report::Report)> =
            comparison.runs.iter().map(|r| (r.name.clone(), &r.report)).collect();
        super::write::plot(path, &Figure::of_runs(&named), &sources)?;
    }
    if args.json {
        let json = crate::report::zero::json(&comparison.json()).expect("the reports serialise");
        outln!("{json}");
    } else {
        out!("{}", comparison.render());
    }
    Ok(ExitCode::SUCCESS)
}
