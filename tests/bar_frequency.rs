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

/// `weeks` weekly closes from 2010-01-08 (Fridays, the day each week's close was made:
/// Monday-dated weeks are Yahoo's form and refused), then `weekdays` daily ones
/// (Monday to Friday): a file whose spacing changes, as when a weekly export is
/// followed by a daily one. The daily bars start the weekday after the last weekly one.
fn weekly_then_daily(weeks: usize, weekdays: usize) -> String {
    let c = closes(weeks + weekdays);
    let mut day = NaiveDate::from_ymd_opt(2010, 1, 8).expect("a date");
    let mut csv = String::from("date,close\n");
    for (i, close) in c.iter().enumerate() {
        csv.push_str(&format!("{day},{close}\n"));
        day += if i + 1 < weeks {
            Duration::days(7)
        } else {
            use chrono::Datelike;
            Duration::days(if day.weekday() == chrono::Weekday::Fri { 3 } else { 1 })
        };
    }
    csv
}

/// `rotor run` of `strategy` in a fresh folder holding `AAA.csv`: exit code and standard error.
fn run_with(csv: &str, strategy: &str, args: &[&str]) -> (i32, String) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(dir.path().join("AAA.csv"), csv).expect("data written");
    std::fs::write(dir.path().join("s.rotor"), strategy).expect("strategy written");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_rotor"))
        .args(["run", "s.rotor"])
        .args(args)
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .output()
        .expect("rotor runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_duration_on_data_whose_spacing_changes_is_refused_not_guessed() {
    // 200 weekly bars (2010–2013), then 800 weekdays. `3 months` was 63 bars from the
    // median spacing of the whole file (daily): 63 weeks, more than a year, on the weekly
    // stretch, so the same rule traded differently there once daily data was appended.
    let full = weekly_then_daily(200, 800);
    let rule = "data \"AAA.csv\"\nbuy AAA when close(AAA) crosses above sma(AAA, 3 months)\n";
    let (code, stderr) = run_with(&full, rule, &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("rotor::run::mixed_spacing"), "{stderr}");
    // The two stretches: the 200th weekly bar is 2013-11-01 (2010-01-08 + 199 weeks).
    assert!(stderr.contains("weekly bars from 2010-01-08"), "{stderr}");
    assert!(stderr.contains("daily ones from"), "{stderr}");
    assert!(stderr.contains("buy AAA when"), "the rule is pointed at: {stderr}");
    // `volatility`'s default window (a year of bars) is a duration as well.
    let vol = "data \"AAA.csv\"\nbuy AAA when volatility(AAA) < 50%\n";
    let (code, stderr) = run_with(&full, vol, &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("rotor::run::mixed_spacing"), "{stderr}");

    // The same file cut before the daily data: one spacing, durations run.
    let cut = weekly_then_daily(200, 0);
    assert_eq!(run_with(&cut, rule, &[]).0, 0);
    // A window in bars means the same on both stretches; a period inside one stretch has
    // one spacing.
    let in_bars = "data \"AAA.csv\"\nbuy AAA when close(AAA) crosses above sma(AAA, 63)\n";
    assert_eq!(run_with(&full, in_bars, &[]).0, 0);
    let (code, stderr) = run_with(&full, rule, &["--from", "2014-01-06"]);
    assert_eq!(code, 0, "{stderr}");
    let (code, stderr) = run_with(&full, rule, &["--to", "2013-11-01"]);
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn a_duration_evaluated_on_data_whose_spacing_changes_is_refused() {
    let data = load_str("AAA.csv", &weekly_then_daily(200, 800), &LoadOptions::default()).expect("valid");
    let mut sources = SourceMap::new();
    let file = sources.add(
        "t.rotor",
        None,
        "let x = sma(AAA, 3 months)\nlet y = sma(AAA, 63)\n".to_string(),
    );
    let options = RunOptions {
        load: Load::Names(pipeline::catalog(&data)),
        rules_optional: true,
        ..RunOptions::default()
    };
    let prepared = pipeline::prepare(&file, &options, &mut sources).expect("prepares");
    let program = pipeline::check(&prepared, &sources).unwrap_or_else(|f| panic!("{}", f.render(false)));
    let refused = rotor::engine::evaluate_series(&program, &program.lets[0].value, &data, None, None);
    assert!(
        matches!(refused, Err(rotor::engine::RunError::MixedSpacing { .. })),
        "{refused:?}"
    );
    // 63 bars: the mean of the last 63 closes on the last bar.
    let (_, values) =
        rotor::engine::evaluate_series(&program, &program.lets[1].value, &data, None, None).expect("a window in bars");
    let c = closes(1000);
    assert_close(&values[999..], &[mean(&c[937..])], "63 bars");
}

/// The 10-bar volatility of `c` on each bar, annualised with `per_year` bars.
fn volatility_10(c: &[f64], per_year: f64) -> Vec<f64> {
    let returns: Vec<f64> = c.windows(2).map(|w| w[1] / w[0] - 1.0).collect();
    (0..c.len())
        .map(|t| {
            if t < 10 {
                return f64::NAN;
            }
            let r = &returns[t - 10..t];
            let m = mean(r);
            (r.iter().map(|x| (x - m).powi(2)).sum::<f64>() / 9.0 * per_year).sqrt()
        })
        .collect()
}

#[test]
fn daily_bars_on_every_day_of_the_week_annualise_with_365_and_weekdays_with_252() {
    // Attack 8b finding 13: a bar on every calendar day (crypto) was annualised with 252.
    // 42 closes on consecutive days from Monday 2020-01-06: six whole weeks, each with its
    // Saturday and Sunday.
    let c = closes(42);
    let every_day = data(1, &c);
    assert_close(
        &values(&every_day, "volatility(AAA, 10)"),
        &volatility_10(&c, 365.0),
        "every day, volatility",
    );
    // Windows given as durations still count a day's bar as a trading day: 21 a month.
    assert_close(
        &values(&every_day, "sma(AAA, 1 month)"),
        &rolling_mean(&c, 21),
        "every day, 1 month",
    );
    // The same closes on weekdays only (Monday to Friday from 2020-01-06): √252.
    let first = NaiveDate::from_ymd_opt(2020, 1, 6).expect("a date");
    let mut csv = String::from("date,close\n");
    let weekdays = (0..).map(|i| first + Duration::days(i)).filter(|d| {
        use chrono::Datelike;
        d.weekday().number_from_monday() <= 5
    });
    for (d, close) in weekdays.zip(&c) {
        csv.push_str(&format!("{d},{close}\n"));
    }
    let weekday_data = load_str("AAA.csv", &csv, &LoadOptions::default()).expect("valid");
    assert_close(
        &values(&weekday_data, "volatility(AAA, 10)"),
        &volatility_10(&c, 252.0),
        "weekdays, volatility",
    );
}
