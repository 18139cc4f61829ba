//! Rounding and accumulation error never change a reported figure at the cent level, over 20
//! years of daily bars.

mod common;

use rotor::pipeline::{RunOptions, run_file};
use rotor::source::SourceMap;

/// Neumaier's compensated sum: the independent reference for the engine's running totals.
fn compensated_sum(values: impl Iterator<Item = f64>) -> f64 {
    let (mut sum, mut c) = (0.0f64, 0.0f64);
    for v in values {
        let t = sum + v;
        c += if sum.abs() >= v.abs() {
            (sum - t) + v
        } else {
            (v - t) + sum
        };
        sum = t;
    }
    sum + c
}

#[test]
fn twenty_years_of_daily_buys_agree_to_the_cent() {
    // 5,040 weekdays from 2005-01-03; prices wander between 20 and 200 with cents.
    let mut prices = Vec::new();
    let mut dates = Vec::new();
    let mut day = chrono::NaiveDate::from_ymd_opt(2005, 1, 3).expect("date");
    let mut seed: u64 = 42;
    let mut p = 100.0f64;
    while dates.len() < 5040 {
        if chrono::Datelike::weekday(&day).number_from_monday() <= 5 {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let step = ((seed >> 33) as f64 / (1u64 << 31) as f64 - 0.5) * 0.04;
            p = (p * (1.0 + step)).clamp(20.0, 200.0);
            let cents = (p * 100.0).round() / 100.0;
            prices.push(cents);
            dates.push(day);
        }
        day = day.succ_opt().expect("date");
    }
    let dir = common::temp_dir("accuracy");
    let mut csv = String::from("date,symbol,open,high,low,close\n");
    for (d, p) in dates.iter().zip(&prices) {
        csv.push_str(&format!("{d},AAA,{p},{p},{p},{p}\n"));
    }
    std::fs::write(dir.join("aaa.csv"), csv).expect("write data");
    std::fs::write(
        dir.join("s.rotor"),
        "data \"aaa.csv\"\ncontribute 10 USD daily\nfees 0.1%\nfill close\nbuy AAA daily\n",
    )
    .expect("write strategy");

    let mut sources = SourceMap::new();
    let out = run_file(&dir.join("s.rotor"), &RunOptions::default(), &mut sources)
        .unwrap_or_else(|f| panic!("{}", f.render(false)));

    // Independently: each day 10 USD buys 10 / (p × 1.001) shares.
    let shares = compensated_sum(prices.iter().map(|p| 10.0 / (p * 1.001)));
    let last = *prices.last().expect("prices");
    let expected_final = shares * last;
    let expected_fees = compensated_sum(prices.iter().map(|p| 10.0 / (p * 1.001) * p * 0.001));

    let cents = |x: f64| (x * 100.0).round() as i64;
    let m = &out.report.metrics;
    assert_eq!(cents(m.contributed), 5040 * 10 * 100, "contributed");
    assert_eq!(
        cents(m.final_value),
        cents(expected_final),
        "{} vs {expected_final}",
        m.final_value
    );
    assert!(
        (m.final_value - expected_final).abs() < 0.001,
        "{} vs {expected_final}",
        m.final_value
    );
    assert_eq!(cents(out.report.costs.fees_paid), cents(expected_fees));
    assert!(
        out.report.cash.abs() < 0.005,
        "no cash left behind: {}",
        out.report.cash
    );
}
