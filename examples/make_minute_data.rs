//! Writes synthetic one-minute bars of one symbol for the speed benchmarks:
//!
//!     cargo run --release --example make_minute_data -- /tmp/bars/MIN.csv [BARS]
//!
//! BARS defaults to 500,000 (about five years of 390-bar days). The file holds one symbol
//! named by the file, so call it `MIN.csv` to run `benches/minute_trend.rotor` on it:
//! `rotor run benches/minute_trend.rotor --data /tmp/bars/MIN.csv`. The bytes are the same
//! on every run; the generator lives in `benches/support/minute_data.rs`.

#[path = "../benches/support/minute_data.rs"]
mod minute_data;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: make_minute_data OUT.csv [BARS]";
    let (out, bars) = match args.as_slice() {
        [out] => (out, minute_data::DEFAULT_BARS),
        [out, bars] => match bars.replace('_', "").parse::<usize>() {
            Ok(n) if n > 0 => (out, n),
            _ => {
                eprintln!("BARS must be a whole number above 0, such as 500000\n{usage}");
                return ExitCode::FAILURE;
            }
        },
        _ => {
            eprintln!("{usage}");
            return ExitCode::FAILURE;
        }
    };
    if let Err(e) = std::fs::write(out, minute_data::minute_csv(bars)) {
        eprintln!("cannot write {out}: {e}");
        return ExitCode::FAILURE;
    }
    println!("wrote {bars} one-minute bars of {} to {out}", minute_data::SYMBOL);
    ExitCode::SUCCESS
}
