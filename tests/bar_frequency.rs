//! Windows given as durations and `volatility()` follow the bars the dates show: on weekly
//! bars `1 month` is 4 bars (21 trading days × 52 / 252 = 4.33) and `1 year` 52; on monthly
//! bars `1 year` is 12; `volatility` annualises weekly returns with √52 over a year of them.
//! Daily data keeps 21 and 252. Expected values are worked out here from the closes.

use chrono::{Duration, NaiveDate};
use rotor::data::{DataSet, LoadOptions, load_str};
use rotor::pipeline::{self, Load, RunOptions};
use rotor::source::SourceMap;

/// Closes that wander by a pattern of returns, one per bar, `step` days apart.
fn closes(n: usize) -> Vec<f64> {
    let pattern = [0.02, -0.01, 0.015, -0.03, 0.01, 0.005, -0.02, 0.025];
    let mut p = 100.0;
    (0..n)
        .map(|i| {
            p *= 1.0 + pattern[i % pattern.len()];
            p
        })
        .collect()
}

/// Bars `step` days apart from Friday 2020-01-10: weekly bars are dated on the Friday whose
/// close they hold (bars dated on the Monday that starts the week are Yahoo's weekly form,
/// which a run refuses).
fn data(step: i64, closes: &[f64]) -> DataSet {
    let first = NaiveDate::from_ymd_opt(2020, 1, 10).expect("a date");
    let mut csv = String::from("date,close\n");
    for (i, c) in closes.iter().enumerate() {
        csv.push_str(&format!("{},{c}\n", first + Duration::days(step * i as i64)));
    }
    load_str("AAA.csv", &csv, &LoadOptions::default()).expect("valid")
}

/// The values of `expr` on each bar of `data`, through the checker and the engine.
fn values(data: &DataSet, expr: &str) -> Vec<f64> {
    let mut sources = SourceMap::new();
    let file = sources.add("t.rotor", None, format!("let x = {expr}\n"));
    let options = RunOptions {
        load: Load::Names(pipeline::catalog(data)),
        rules_optional: true,
        ..RunOptions::default()
    };
    let prepared = pipeline::prepare(&file, &options, &mut sources).expect("prepares");
    let program = pipeline::check(&prepared, &sources).unwrap_or_else(|f| panic!("{}", f.render(false)));
    let (_, values) =
        rotor::engine::evaluate_series(&program, &program.lets[0].value, data, None, None).expect("no script");
    values
}

fn mean(xs: &[f64]) -> f64 {
    xs.iter().sum::<f64>() / xs.len() as f64
}

/// The `n`-bar average on each bar, NaN before `n` bars.
fn rolling_mean(xs: &[f64], n: usize) -> Vec<f64> {
    (0..xs.len())
        .map(|t| if t + 1 < n { f64::NAN } else { mean(&xs[t + 1 - n..=t]) })
        .collect()
}

fn assert_close(got: &[f64], expected: &[f64], what: &str) {
    assert_eq!(got.len(), expected.len(), "{what}");
    for (t, (g, e)) in got.iter().zip(expected).enumerate() {
        let same = (g.is_nan() && e.is_nan()) || (g - e).abs() <= 1e-9 * e.abs().max(1.0);
        assert!(same, "{what}, bar {t}: {g} vs {e}");
    }
}

#[test]
fn durations_count_the_bars_the_dates_show() {
    let c = closes(70);
    let weekly = data(7, &c);
    assert_close(
        &values(&weekly, "sma(AAA, 1 month)"),
        &rolling_mean(&c, 4),
        "weekly, 1 month",
    );
    assert_close(
        &values(&weekly, "sma(AAA, 3 months)"),
        &rolling_mean(&c, 13),
        "weekly, 3 months",
    );
    assert_close(
        &values(&weekly, "sma(AAA, 1 year)"),
        &rolling_mean(&c, 52),
        "weekly, 1 year",
    );
    // A week of weekly bars is one bar (5 × 52 / 252 = 1.03).
    assert_close(&values(&weekly, "sma(AAA, 1 week)"), &c, "weekly, 1 week");
    // A bar count is a bar count on any data.
    assert_close(
        &values(&weekly, "sma(AAA, 21)"),
        &rolling_mean(&c, 21),
        "weekly, 21 bars",
    );
    let monthly = data(30, &c[..30]);
    assert_close(
        &values(&monthly, "sma(AAA, 1 year)"),
        &rolling_mean(&c[..30], 12),
        "monthly, 1 year",
    );
    // Daily bars (weekdays only would do too; one a day is daily as well): 21 a month.
    let daily = data(1, &c[..30]);
    assert_close(
        &values(&daily, "sma(AAA, 1 month)"),
        &rolling_mean(&c[..30], 21),
        "daily, 1 month",
    );
}

#[test]
fn volatility_annualises_with_the_bars_of_a_year() {
    // 60 weekly closes: the default window is a year, 52 weekly returns, × √52.
    let c = closes(60);
    let weekly = data(7, &c);
    let returns: Vec<f64> = c.windows(2).map(|w| w[1] / w[0] - 1.0).collect();
    let expected: Vec<f64> = (0..c.len())
        .map(|t| {
            if t < 52 {
                return f64::NAN;
            }
            let r = &returns[t - 52..t];
            let m = mean(r);
            let var = r.iter().map(|x| (x - m).powi(2)).sum::<f64>() / 51.0;
            (var * 52.0).sqrt()
        })
        .collect();
    assert_close(&values(&weekly, "volatility(AAA)"), &expected, "weekly volatility");
    // An explicit window of 10 bars, still √52.
    let ten: Vec<f64> = (0..c.len())
        .map(|t| {
            if t < 10 {
                return f64::NAN;
            }
            let r = &returns[t - 10..t];
            let m = mean(r);
            (r.iter().map(|x| (x - m).powi(2)).sum::<f64>() / 9.0 * 52.0).sqrt()
        })
        .collect();
    assert_close(
        &values(&weekly, "volatility(AAA, 10)"),
        &ten,
        "weekly volatility, 10 bars",
    );
}
