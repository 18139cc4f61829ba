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
    let_values(&data(), format!("let x = {expr}\n"))
}

/// The values of the last `let` of `text` on each bar of `data`, through the checker and
/// the engine.
fn let_values(data: &DataSet, text: String) -> Vec<f64> {
    let mut sources = SourceMap::new();
    let file = sources.add("t.rotor", None, text);
    let options = RunOptions {
        load: Load::Names(pipeline::catalog(data)),
        rules_optional: true,
        ..RunOptions::default()
    };
    let prepared = pipeline::prepare(&file, &options, &mut sources).expect("prepares");
    let program = match pipeline::check(&prepared, &sources) {
        Ok(p) => p,
        Err(f) => panic!("{}", f.render(false)),
    };
    let value = &program.lets.last().expect("the let").value;
    let (_, values) = rotor::engine::evaluate_series(&program, value, data, None, None).expect("no script");
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

/// BBB's closes on the same days as AAA's.
const BBB: [f64; 11] = [20.0, 19.0, 18.0, 18.0, 19.0, 20.0, 21.0, 20.0, 22.0, 22.0, 24.0];

#[test]
fn percent_rank_counts_the_earlier_values_at_most_todays() {
    // Today's close against the 3 closes before it, ties counted.
    let expected: Vec<f64> = (0..CLOSES.len())
        .map(|t| {
            if t < 3 {
                return f64::NAN;
            }
            CLOSES[t - 3..t].iter().filter(|&&v| v <= CLOSES[t]).count() as f64 / 3.0
        })
        .collect();
    // Bar 3 (12 after 10, 11, 12): all three are <= 12 → 1; bar 7 (15 after 13, 14, 15) → 1.
    assert_eq!(expected[3], 1.0);
    assert_close(&values("percent_rank(AAA, 3)"), &expected, "percent_rank 3");
    // BBB falls: bar 3 (18 after 20, 19, 18) counts only the 18 → 1/3.
    let got = values("percent_rank(BBB, 3)");
    assert_close(&got[3..4], &[1.0 / 3.0], "percent_rank of a fall");
}

#[test]
fn percentile_and_median_interpolate_between_ranks() {
    /// Hyndman and Fan's definition 7, from a sorted copy.
    fn pct(w: &[f64], p: f64) -> f64 {
        let mut s = w.to_vec();
        s.sort_by(f64::total_cmp);
        let h = (s.len() - 1) as f64 * p;
        let lo = h.floor() as usize;
        let hi = h.ceil() as usize;
        s[lo] + (h - lo as f64) * (s[hi] - s[lo])
    }
    assert_close(&values("median(AAA, 4)"), &rolling(4, |w| pct(w, 0.5)), "median 4");
    assert_close(
        &values("percentile(AAA, 5, 80%)"),
        &rolling(5, |w| pct(w, 0.8)),
        "80th of 5",
    );
    assert_close(
        &values("percentile(AAA, 5, 0.25)"),
        &rolling(5, |w| pct(w, 0.25)),
        "25th of 5",
    );
    // Bars 0..4 of AAA are 10, 11, 12, 12: the median is (11 + 12) / 2 by hand.
    assert_eq!(values("median(AAA, 4)")[3], 11.5);
}

#[test]
fn correlation_and_beta_of_the_bars_returns() {
    let returns = |xs: &[f64]| -> Vec<f64> { xs.windows(2).map(|w| w[1] / w[0] - 1.0).collect() };
    let (ra, rb) = (returns(&CLOSES), returns(&BBB));
    let n = 4;
    let stats = |t: usize| -> (f64, f64) {
        // The n returns ending at bar t (return k is from bar k to bar k + 1).
        let (a, b) = (&ra[t - n..t], &rb[t - n..t]);
        let m = |x: &[f64]| x.iter().sum::<f64>() / x.len() as f64;
        let (ma, mb) = (m(a), m(b));
        let cov: f64 = a.iter().zip(b).map(|(x, y)| (x - ma) * (y - mb)).sum();
        let va: f64 = a.iter().map(|x| (x - ma).powi(2)).sum();
        let vb: f64 = b.iter().map(|y| (y - mb).powi(2)).sum();
        (cov / (va * vb).sqrt(), cov / vb)
    };
    let expected: Vec<(f64, f64)> = (0..CLOSES.len())
        .map(|t| if t < n { (f64::NAN, f64::NAN) } else { stats(t) })
        .collect();
    let corr: Vec<f64> = expected.iter().map(|e| e.0).collect();
    let beta: Vec<f64> = expected.iter().map(|e| e.1).collect();
    assert_close(&values("correlation(AAA, BBB, 4)"), &corr, "correlation 4");
    assert_close(&values("beta(AAA, BBB, 4)"), &beta, "beta 4");
    // A symbol with itself: correlation 1 and beta 1 once the window is full.
    let own = values("beta(AAA, AAA, 4)");
    assert!(own[..4].iter().all(|v| v.is_nan()));
    assert_close(&own[4..], &[1.0; 7], "beta with itself");
}

/// The values of `expr` with the engine fixture's prices and its monthly series
/// (macro.csv: `krw` observed 1000, 1250, 1250, 1600 on the first of January to April).
fn values_with_series(expr: &str, extra: &str) -> Vec<f64> {
    let path = common::root().join("tests/fixtures/engine");
    let data = load_path(&path, &LoadOptions::default()).expect("the fixtures load");
    let_values(&data, format!("{extra}let x = {expr}\n"))
}

#[test]
fn prev_is_the_previous_observation_not_yesterdays_value() {
    let nan = f64::NAN;
    // Days: 3 in January, 3 in February, 3 in March, 2 in April.
    // prev(krw): none in January; January's 1000 through February; February's 1250 in
    // March (an observation equal to the one before is still an observation); March's
    // 1250 in April.
    let expected = [
        nan, nan, nan, 1000.0, 1000.0, 1000.0, 1250.0, 1250.0, 1250.0, 1250.0, 1250.0,
    ];
    assert_close(&values_with_series("prev(krw)", ""), &expected, "prev(krw)");
    // The monthly change on every day of the month, where `change(krw, 1)` is 0 on most.
    let monthly = [nan, nan, nan, 250.0, 250.0, 250.0, 0.0, 0.0, 0.0, 350.0, 350.0];
    assert_close(&values_with_series("krw - prev(krw)", ""), &monthly, "krw - prev(krw)");
    let daily = [nan, 0.0, 0.0, 250.0, 0.0, 0.0, 0.0, 0.0, 0.0, 350.0, 0.0];
    assert_close(&values_with_series("change(krw, 1)", ""), &daily, "change(krw, 1)");
}

#[test]
fn prev_respects_lag_and_staleness() {
    let nan = f64::NAN;
    // `lag krw 1 month`: January's 1000 is visible from 1 February, February's 1250 from
    // 1 March, and so on: prev is the observation visible before the current one.
    let lagged = [nan, nan, nan, nan, nan, nan, 1000.0, 1000.0, 1000.0, 1250.0, 1250.0];
    assert_close(
        &values_with_series("prev(krw)", "lag krw 1 month\n"),
        &lagged,
        "prev(krw) with a lag",
    );
    // `stale after 2 days`: on 2024-01-04 (3 days after 1 January) krw is not available,
    // and neither is its prev; on 2024-02-01 and -02 both are.
    let got = values_with_series("prev(krw)", "stale after 2 days\n");
    assert!(!got[4].is_nan() && got[3] == 1000.0, "{got:?}");
    assert!(got[5].is_nan(), "2024-02-05 is 4 days after the observation: {got:?}");
}
