//! Data slots are computed a block of bars at a time and, in a sweep, shared between
//! variants. These tests run longer histories than a block holds and check the values
//! against independent calculations, and shared runs against unshared ones.

use std::path::Path;

use rotor::data::{DataSet, LoadOptions, load_str};
use rotor::engine::{self, Period, Shared, columns::BLOCK};
use rotor::pipeline;
use rotor::source::SourceMap;
use rotor::syntax::ast;

/// `n` daily closes of `AAA` from 1990 on (weekends included: the calendar does not
/// matter here), a deterministic zig-zag with a drift, as a close-only file.
fn prices(n: usize) -> (Vec<f64>, DataSet) {
    let closes: Vec<f64> = (0..n)
        .map(|i| 100.0 + (i % 37) as f64 * 0.5 - (i % 11) as f64 * 0.7 + i as f64 * 0.01)
        .collect();
    let mut csv = String::from("date,close\n");
    let first = chrono::NaiveDate::from_ymd_opt(1990, 1, 1).expect("a date");
    for (i, c) in closes.iter().enumerate() {
        csv.push_str(&format!("{},{c:.2}\n", first + chrono::Duration::days(i as i64)));
    }
    let data = load_str("AAA.csv", &csv, &LoadOptions::default()).expect("the fixture loads");
    // The values as the file holds them (two decimals).
    let closes = closes
        .iter()
        .map(|c| format!("{c:.2}").parse().expect("a number"))
        .collect();
    (closes, data)
}

fn parse(text: &str, sources: &mut SourceMap) -> ast::File {
    let file = sources.add("t.rotor", None, text.to_string());
    pipeline::parse(&file, sources).expect("parses")
}

#[test]
fn an_indicator_over_several_blocks_equals_a_naive_calculation() {
    let n = 2 * BLOCK + 1_000;
    let (closes, data) = prices(n);
    let mut sources = SourceMap::new();
    let file = parse("let e = sma(AAA, 300) - AAA[1]\nbuy AAA daily\n", &mut sources);
    let options = pipeline::RunOptions {
        load: pipeline::Load::Names(pipeline::catalog(&data)),
        ..Default::default()
    };
    let prepared = pipeline::prepare_ast(file, Path::new(""), "t.rotor", &options, &mut sources).expect("prepares");
    let program = pipeline::check(&prepared, &sources).expect("checks");
    let (days, values) =
        engine::evaluate_series(&program, &program.lets[0].value, &data, None, None).expect("no script");
    assert_eq!(days.len(), n);
    for t in 0..n {
        let expected = if t + 1 < 300 {
            f64::NAN
        } else {
            closes[t + 1 - 300..=t].iter().sum::<f64>() / 300.0 - closes[t - 1]
        };
        if expected.is_nan() {
            assert!(values[t].is_nan(), "bar {t}: {}", values[t]);
        } else {
            assert!(
                (values[t] - expected).abs() < 1e-9,
                "bar {t}: {} vs {expected}",
                values[t]
            );
        }
    }
}

/// Runs `text` with `threshold` set to each value, once sharing one cache and once alone.
#[test]
fn variants_sharing_columns_equal_variants_run_alone() {
    let (_, data) = prices(2 * BLOCK + 500);
    let text = "let threshold = 0\ncapital 1000 USD\nbuy AAA daily while close(AAA) / sma(AAA, 200) - 1 > threshold\nsell all AAA when close(AAA) / sma(AAA, 200) - 1 < 0 - threshold\n";
    let catalog = pipeline::catalog(&data);
    // Whole columns kept, and a cache with room for one block (so later blocks are computed
    // from the state a kept block left).
    for shared in [Shared::default(), Shared::with_column_budget(BLOCK * 8)] {
        for threshold in ["0", "0.01", "0.02", "0.01"] {
            let mut sources = SourceMap::new();
            let mut file = parse(text, &mut sources);
            pipeline::apply_sets(&mut file, &[("threshold".into(), threshold.into())], &mut sources)
                .expect("a parameter");
            let options = pipeline::RunOptions {
                load: pipeline::Load::Names(catalog.clone()),
                ..Default::default()
            };
            let prepared =
                pipeline::prepare_ast(file, Path::new(""), "t.rotor", &options, &mut sources).expect("prepares");
            let strategy = pipeline::check(&prepared, &sources).expect("checks");
            let alone = engine::backtest(&strategy, &data, Period::default(), None).expect("runs");
            let together =
                engine::backtest_shared(&strategy, &data, Period::default(), None, Some(&shared), true).expect("runs");
            assert_eq!(alone.run.equity, together.run.equity, "threshold {threshold}");
            assert_eq!(
                alone.run.trades.len(),
                together.run.trades.len(),
                "threshold {threshold}"
            );
            assert!(alone.run.counters.trades > 2, "the rules trade (threshold {threshold})");
        }
    }
}
