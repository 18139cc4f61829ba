//! Writes synthetic daily bars of many tickers for the speed benchmarks' wide sweep:
//!
//!     cargo run --release --example make_daily_data -- /tmp/bars/tickers.csv [TICKERS] [DAYS]
//!
//! TICKERS defaults to 50 and DAYS to 5,040 (twenty years of 252 trading days), in rotor's
//! long layout, tickers `TAA`, `TAB`, …; the 1,200-variant sweep of docs/PERFORMANCE.md runs
//! `benches/sweep_wide.rotor` on it. The bytes are the same on every run; the generator
//! lives in `benches/support/minute_data.rs`.

#[path = "../benches/support/minute_data.rs"]
mod minute_data;

use std::process::ExitCode;

/// A whole number above 0 (underscores allowed), or `None`.
fn count(text: &str) -> Option<usize> {
    text.replace('_', "").parse::<usize>().ok().filter(|&n| n > 0)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: make_daily_data OUT.csv [TICKERS] [DAYS]";
    let (out, tickers, days) = match args.as_slice() {
        [out] => (out, Some(50), Some(minute_data::TWENTY_YEARS)),
        [out, t] => (out, count(t), Some(minute_data::TWENTY_YEARS)),
        [out, t, d] => (out, count(t), count(d)),
        _ => {
            eprintln!("{usage}");
            return ExitCode::FAILURE;
        }
    };
    let (Some(tickers), Some(days)) = (tickers.filter(|&t| t <= 676), days) else {
        eprintln!("TICKERS must be a whole number from 1 to 676 and DAYS one above 0\n{usage}");
        return ExitCode::FAILURE;
    };
    if let Err(e) = std::fs::write(out, minute_data::daily_long_csv(tickers, days)) {
        eprintln!("cannot write {out}: {e}");
        return ExitCode::FAILURE;
    }
    let names = minute_data::tickers(tickers);
    println!(
        "wrote {days} daily bars of {tickers} tickers ({} … {}) to {out}",
        names[0],
        names[tickers - 1]
    );
    ExitCode::SUCCESS
}
