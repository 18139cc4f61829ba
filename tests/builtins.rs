//! Each built-in reaches the right indicator, output and windows once compiled: values over
//! the engine fixture's closes of AAA (10, 11, 12, 12, 13, 14, 15, 15, 16, 16, 17) against
//! naive calculations written out here.

mod common;

use rotor::data::{DataSet, LoadOptions, load_path};
use rotor::pipeline::{self, Load, RunOptions};
use rotor::source::SourceMap;

const CLOSES: [f64; 11] = [10.0, 11.0, 12.0, 12.0, 13.0, 14.0, 15.0, 15.0, 16.0, 16.0, 17.0];

fn data() -> DataSet {
    let path = common::root().join("tests/fixtures/engine/prices.csv");
    load_path(&path, &LoadOptions::default()).expect("the fixture loads")
}

/// The values of `expr` on each of AAA's trading days, through the checker and the engine.
fn values(expr: &str) -> Vec<f64> {
    let data = data();
    let mut sources = SourceMap::new();
    let file = sources.add("t.rotor", None, format!("let x = {expr}\n"));
    let options = RunOptions {
        load: Load::Names(pipeline::catalog(&data)),
        rules_optional: true,
        ..RunOptions::default()
    };
    let prepared = pipeline::prepare(&file, &options, &mut sources).expect("prepares");
    let program = match pipeline::check(&prepared, &sources) {
        Ok(p) => p,
        Err(f) => panic!("{}", f.render(false)),
    };
    let (_, values) =
        rotor::engine::evaluate_series(&program, &program.lets[0].value, &data, None, None).expect("no script");
    values
}

/// `f` of the last `n` closes on each day, NaN before `n` closes have arrived.
fn rolling(n: usize, f: impl Fn(&[f64]) -> f64) -> Vec<f64> {
    (0..CLOSES.len())
        .map(|t| if t + 1 < n { f64::NAN } else { f(&CLOSES[t + 1 - n..=t]) })
        .collect()
}

fn mean(xs: &[f64]) -> f64 {
    xs.iter().sum::<f64>() / xs.len() as f64
}

/// Population standard deviation.
fn sd(xs: &[f64]) -> f64 {
    let m = mean(xs);
    (xs.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / xs.len() as f64).sqrt()
}

/// An exponential average with alpha 2/(n+1), seeded with the mean of its first n values.
fn ema(xs: &[f64], n: usize) -> Vec<f64> {
    let alpha = 2.0 / (n as f64 + 1.0);
    let first = xs.iter().position(|x| !x.is_nan()).unwrap_or(xs.len());
    let mut out = vec![f64::NAN; xs.len()];
    if first + n > xs.len() {
        return out;
    }
    let mut value = mean(&xs[first..first + n]);
    out[first + n - 1] = value;
    for t in first + n..xs.len() {
        value = alpha * xs[t] + (1.0 - alpha) * value;
        out[t] = value;
    }
    out
}

fn assert_close(got: &[f64], expected: &[f64], what: &str) {
    assert_eq!(got.len(), expected.len(), "{what}");
    for (t, (g, e)) in got.iter().zip(expected).enumerate() {
        let same = (g.is_nan() && e.is_nan()) || (g - e).abs() < 1e-9;
        assert!(same, "{what}, bar {t}: {g} vs {e}");
    }
}

#[test]
fn windows_in_bars_and_in_durations() {
    assert_close(&values("sma(AAA, 3)"), &rolling(3, mean), "sma 3");
    // A week is five trading days.
    assert_close(&values("sma(AAA, 1 week)"), &rolling(5, mean), "sma 1 week");
}

#[test]
fn bollinger_bands_and_percent_b() {
    let upper = rolling(4, |w| mean(w) + 1.5 * sd(w));
    let lower = rolling(4, |w| mean(w) - 1.5 * sd(w));
    assert_close(&values("bollinger_upper(AAA, 4, 1.5)"), &upper, "upper");
    assert_close(&values("bollinger_lower(AAA, 4, 1.5)"), &lower, "lower");
    let b: Vec<f64> = (0..CLOSES.len())
        .map(|t| (CLOSES[t] - lower[t]) / (upper[t] - lower[t]))
        .collect();
    assert_close(&values("percent_b(AAA, 4, 1.5)"), &b, "%b");
    // k left out is 2.
    let upper2 = rolling(4, |w| mean(w) + 2.0 * sd(w));
    assert_close(&values("bollinger_upper(AAA, 4)"), &upper2, "upper, k = 2");
}

#[test]
fn macd_line_signal_and_histogram() {
    let (fast, slow) = (ema(&CLOSES, 2), ema(&CLOSES, 4));
    let line: Vec<f64> = fast.iter().zip(&slow).map(|(f, s)| f - s).collect();
    let signal = ema(&line, 3);
    let hist: Vec<f64> = line.iter().zip(&signal).map(|(l, s)| l - s).collect();
    assert_close(&values("macd(AAA, 2, 4, 3)"), &line, "line");
    assert_close(&values("macd_signal(AAA, 2, 4, 3)"), &signal, "signal");
    assert_close(&values("macd_hist(AAA, 2, 4, 3)"), &hist, "histogram");
}

#[test]
fn drawdown_from_the_peak_so_far_or_in_a_window() {
    let mut peak = f64::NAN;
    let all_time: Vec<f64> = CLOSES
        .iter()
        .map(|&x| {
            peak = peak.max(x);
            1.0 - x / peak
        })
        .collect();
    assert_close(&values("drawdown(AAA)"), &all_time, "all time");
    let windowed = rolling(3, |w| 1.0 - w[w.len() - 1] / w.iter().fold(f64::MIN, |a, &b| a.max(b)));
    assert_close(&values("drawdown(AAA, 3)"), &windowed, "3 bars");
}

#[test]
fn a_window_held_by_a_let() {
    let data = data();
    let mut sources = SourceMap::new();
    let text = "let w = 3\nlet d = 1 week\nlet x = sma(AAA, w) - sma(AAA, d)\n";
    let file = sources.add("t.rotor", None, text.to_string());
    let options = RunOptions {
        load: Load::Names(pipeline::catalog(&data)),
        rules_optional: true,
        ..RunOptions::default()
    };
    let prepared = pipeline::prepare(&file, &options, &mut sources).expect("prepares");
    let program = pipeline::check(&prepared, &sources).expect("checks");
    let (_, got) =
        rotor::engine::evaluate_series(&program, &program.lets[2].value, &data, None, None).expect("no script");
    let (three, five) = (rolling(3, mean), rolling(5, mean));
    let expected: Vec<f64> = three.iter().zip(&five).map(|(a, b)| a - b).collect();
    assert_close(&got, &expected, "sma(w) - sma(d)");
}
