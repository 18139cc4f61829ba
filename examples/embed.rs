//! Embedding rotor in a program: run a strategy written in a string over the bundled sample
//! data and read the figures, without the command line.
//!
//!     cargo run --example embed

use std::sync::Arc;

use rotor::data::LoadedData;
use rotor::engine::Period;
use rotor::pipeline::{self, Load, RunOptions};
use rotor::source::SourceMap;

fn main() -> std::process::ExitCode {
    let text = "contribute 500 USD monthly\nbuy IWO monthly while fed_cut_prob > 0.8\nbenchmark SPY\n";
    let mut sources = SourceMap::new();
    let file = sources.add("embedded.rotor", None, text.to_string());
    let result = (|| {
        let data = LoadedData {
            data: rotor::data::bundled().map_err(|e| rotor::diagnostic::Failure::one(e, &sources))?,
            sources: rotor::data::BUNDLED_FILES.iter().map(|s| s.to_string()).collect(),
            bundled: true,
        };
        let options = RunOptions {
            load: Load::Loaded(Arc::new(data)),
            ..RunOptions::default()
        };
        let prepared = pipeline::prepare(&file, &options, &mut sources)?;
        let strategy = pipeline::check(&prepared, &sources)?;
        pipeline::run(&prepared, strategy, Period::default(), &sources)
    })();
    match result {
        Ok(out) => {
            let m = &out.report.metrics;
            println!(
                "final value {:.2} USD from {:.2} contributed",
                m.final_value, m.contributed
            );
            if let Some(x) = m.xirr {
                println!("money-weighted return {:.2}% a year (synthetic data)", x * 100.0);
            }
            std::process::ExitCode::SUCCESS
        }
        Err(failure) => {
            eprint!("{}", failure.render(false));
            std::process::ExitCode::FAILURE
        }
    }
}
