//! The report's figures on small hand-made files (tests/fixtures/report/), through the
//! real binary: bar frequency and annualisation (in runs and sweeps), partial years, zeros,
//! and ratios that mean nothing (issue 12 items 6, 9, 10, 14). Every expected value is
//! worked out by hand in the comments.

mod common;

use std::path::{Path, PathBuf};

/// Writes `body` after a `data` line for the fixture `data` into a fresh folder; returns
/// the strategy's path.
fn strategy(data: &str, body: &str) -> PathBuf {
    let dir = common::temp_dir("report");
    let fixture = common::root().join("tests/fixtures/report").join(data);
    let path = dir.join("s.rotor");
    std::fs::write(&path, format!("data \"{}\"\n{body}\n", fixture.display())).expect("temp file writable");
    path
}

/// `--allow-path` for the fixtures, which lie outside the strategies' temporary folders.
fn allow_fixtures() -> [String; 2] {
    let fixtures = common::root().join("tests/fixtures/report");
    ["--allow-path".into(), fixtures.display().to_string()]
}

/// `rotor run FILE ARGS…`; stdout, which must come with success.
fn run(path: &Path, args: &[&str]) -> String {
    let allow = allow_fixtures();
    let mut all = vec!["run", &allow[0], &allow[1], path.to_str().expect("a UTF-8 path")];
    all.extend_from_slice(args);
    let out = common::rotor(path.parent().expect("a folder"), &all);
    assert_eq!(out.code, 0, "{}", out.stderr);
    out.stdout
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&run(path, &["--json"])).expect("valid JSON")
}

/// Every number in a JSON value, with where it is.
fn numbers(v: &serde_json::Value, at: String, out: &mut Vec<(String, f64)>) {
    match v {
        serde_json::Value::Number(n) => out.push((at, n.as_f64().expect("a number"))),
        serde_json::Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                numbers(item, format!("{at}[{i}]"), out);
            }
        }
        serde_json::Value::Object(map) => {
            for (k, item) in map {
                numbers(item, format!("{at}.{k}"), out);
            }
        }
        _ => {}
    }
}

// ---------------------------------------------------------------- item 10: negative zero

#[test]
fn figures_within_rounding_of_zero_are_zero_in_text_json_and_csv() {
    // flat.csv: AAA at 10 on six days. 100 USD arrives each day and nothing is ever bought
    // (AAA never closes above 100): invested is 0 on every day, every return is 0 and the
    // money-weighted return solves to 0. rotor wrote the invested 0 as "-0" (a sum over no
    // holdings is -0.0 in Rust).
    let path = strategy(
        "flat.csv",
        "capital 0 USD\ncontribute 100 USD daily\nfill close\nbuy AAA daily if close(AAA) > 100",
    );
    let equity = path.with_file_name("equity.csv");
    let text = run(&path, &["--equity", equity.to_str().expect("UTF-8")]);
    assert!(!text.contains("-0.00"), "{text}");
    let csv = std::fs::read_to_string(&equity).expect("the equity file");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "date,equity,cash_flow,invested");
    assert_eq!(lines[1], "2024-01-02,100,100,0");
    assert_eq!(lines[6], "2024-01-09,600,100,0");
    let mut found = Vec::new();
    numbers(&json(&path), String::new(), &mut found);
    let signed_zeros: Vec<_> = found
        .iter()
        .filter(|(_, x)| (*x == 0.0 && x.is_sign_negative()) || (*x != 0.0 && x.abs() < 1e-9))
        .collect();
    assert!(signed_zeros.is_empty(), "{signed_zeros:?}");
}

// ---------------------------------------------------------------- item 14: meaningless ratios

/// The figures `null` in `metrics` and the reason given for each.
fn nulls(metrics: &serde_json::Value) -> Vec<(String, String)> {
    let why = metrics["why_null"].as_object().expect("why_null");
    let mut out: Vec<(String, String)> = Vec::new();
    for (field, value) in metrics.as_object().expect("metrics") {
        if value.is_null() {
            let reason = why.get(field).and_then(|r| r.as_str()).unwrap_or("NO REASON");
            out.push((field.clone(), reason.to_string()));
        }
    }
    out.sort();
    out
}

#[test]
fn an_all_cash_run_has_no_sharpe_or_sortino_against_a_risk_free_rate() {
    // 1000 USD stays in cash (AAA never closes above 100): every return is 0. The excess
    // returns are -rf/252/100 with rf wobbling between 5.33 and 5.35, so rotor divided
    // about -2.1e-4 by a deviation of 3e-7: Sharpe -10128, Sortino -15.87. Neither means
    // anything: there is no risk. The drawdown is 0, so no Calmar either.
    let path = strategy(
        "flat.csv",
        "data \"macro.csv\"\ncapital 1000 USD\nrisk free rf\nbuy AAA daily if close(AAA) > 100",
    );
    std::fs::copy(
        common::root().join("tests/fixtures/report/macro.csv"),
        path.with_file_name("macro.csv"),
    )
    .expect("copy");
    let report = json(&path);
    let m = &report["metrics"];
    assert_eq!(m["twr"], 0.0);
    assert_eq!(m["volatility"], 0.0);
    let no_risk = "the returns do not vary (volatility 0): there is no risk for a ratio to reward";
    let no_drawdown = "the time-weighted value never fell: there is no drawdown to divide by";
    let no_year = "no full calendar year in the period";
    let expected: Vec<(String, String)> = [
        ("best_year", no_year),
        ("calmar", no_drawdown),
        ("sharpe", no_risk),
        ("sortino", no_risk),
        ("worst_year", no_year),
    ]
    .iter()
    .map(|(f, r)| (f.to_string(), r.to_string()))
    .collect();
    assert_eq!(nulls(m), expected);
    let text = run(&path, &[]);
    assert!(text.contains(&format!(" - Sharpe, Sortino: {no_risk}\n")), "{text}");
}

#[test]
fn a_constant_holding_in_the_base_currency_has_no_sortino_or_calmar() {
    // 1,000,000 KRW and 100,000 KRW a day at 1333.7 KRW per USD, all in AAA at a constant
    // 10: the KRW value only moves by rounding (1e-16), which rotor turned into a Sortino of
    // 35.5 and a Calmar of 104.
    let path = strategy(
        "flat.csv",
        "data \"macro.csv\"\ncapital 1000000 KRW\ncontribute 100000 KRW daily\ncurrency KRW using usdkrw\nfill close\nbuy AAA daily",
    );
    std::fs::copy(
        common::root().join("tests/fixtures/report/macro.csv"),
        path.with_file_name("macro.csv"),
    )
    .expect("copy");
    let report = json(&path);
    let base = &report["base_currency"]["metrics"];
    let fields: Vec<String> = nulls(base).into_iter().map(|(f, _)| f).collect();
    assert_eq!(fields, ["best_year", "calmar", "sharpe", "sortino", "worst_year"]);
}

#[test]
fn no_return_figure_without_money() {
    // `capital 0 USD` and no contribution: there is no money, so no return of it; rotor
    // reported TWR, CAGR and volatility 0.00% for 0/0.
    let path = strategy("flat.csv", "capital 0 USD\nbuy AAA daily");
    let report = json(&path);
    let no_money = "nothing was contributed: there is no invested capital to have a return";
    let mut expected: Vec<(String, String)> = ["twr", "cagr", "xirr", "volatility", "sharpe", "sortino", "calmar"]
        .iter()
        .map(|f| (f.to_string(), no_money.to_string()))
        .collect();
    for year in ["best_year", "worst_year"] {
        expected.push((year.to_string(), "no full calendar year in the period".to_string()));
    }
    expected.sort();
    assert_eq!(nulls(&report["metrics"]), expected);
    let text = run(&path, &[]);
    let twr = text
        .lines()
        .find(|l| l.trim_start().starts_with("Time-weighted return, total"))
        .expect("a TWR line");
    assert!(twr.trim_end().ends_with(" -"), "{twr}");
}

#[test]
fn no_best_or_worst_year_without_money() {
    // years.csv over its two whole years 2023 and 2024 (see below), with `capital 0 USD`:
    // nothing is ever invested, so there is no yearly return; rotor showed best and worst
    // year 0.00%, a plausible figure.
    let path = strategy(
        "years.csv",
        "capital 0 USD\nfill close\nfrom 2023-01-01 to 2024-12-31\nbuy AAA once on 2023-01-03",
    );
    let report = json(&path);
    let no_money = "nothing was contributed: there is no invested capital to have a return";
    let nulls = nulls(&report["metrics"]);
    for year in ["best_year", "worst_year"] {
        assert!(nulls.contains(&(year.to_string(), no_money.to_string())), "{nulls:?}");
    }
    let text = run(&path, &[]);
    for label in ["Best year", "Worst year"] {
        let line = text
            .lines()
            .find(|l| l.trim_start().starts_with(label))
            .unwrap_or_else(|| panic!("a {label} line in {text}"));
        assert!(line.trim_end().ends_with(" -"), "{line}");
    }
}

// ---------------------------------------------------------------- item 9: partial years

#[test]
fn a_run_over_each_years_first_and_last_trading_day_has_whole_years() {
    // years.csv: AAA 100 on 2022-12-30 and 2023-01-03 (2 January was a holiday), 110, 120
    // on 2023-06-30 and -12-29, 120, 108, 132 on 2024-01-02, -06-28, -12-31, 130 on
    // 2025-01-02. From 2023-01-01 to 2024-12-31, 10 shares bought at the first close of
    // 100: 2023 returns 1200 / 1000 - 1 = 20%, 2024 1320 / 1200 - 1 = 10%. The run covers
    // both years' first and last trading days: neither is partial (rotor marked both
    // partial and printed "Best year -").
    let path = strategy(
        "years.csv",
        "capital 1000 USD\nfill close\nfrom 2023-01-01 to 2024-12-31\nbuy AAA once on 2023-01-03",
    );
    let report = json(&path);
    let years = report["metrics"]["calendar_years"].as_array().expect("years");
    let got: Vec<(i64, f64, bool)> = years
        .iter()
        .map(|y| {
            let r = y["return"].as_f64().expect("a return");
            (
                y["year"].as_i64().expect("a year"),
                (r * 1e9).round() / 1e9,
                y["partial"].as_bool().expect("a flag"),
            )
        })
        .collect();
    assert_eq!(got, [(2023, 0.2, false), (2024, 0.1, false)]);
    assert_eq!(report["metrics"]["best_year"]["year"], 2023);
    assert_eq!(report["metrics"]["worst_year"]["year"], 2024);
    let text = run(&path, &[]);
    assert!(text.contains("20.00% (2023)"), "{text}");
    // From 2023-06-30 on, 2023 is partial and 2024 the only whole year.
    let later = strategy(
        "years.csv",
        "capital 1000 USD\nfill close\nfrom 2023-06-30 to 2024-12-31\nbuy AAA once on 2023-06-30",
    );
    let years = json(&later)["metrics"]["calendar_years"].clone();
    let flags: Vec<bool> = years
        .as_array()
        .expect("years")
        .iter()
        .map(|y| y["partial"] == true)
        .collect();
    assert_eq!(flags, [true, false]);
}

// ---------------------------------------------------------------- item 6: bar frequency

#[test]
fn weekly_bars_are_annualised_with_52_a_year_and_say_so() {
    // WKLY.csv (a Yahoo export of weekly bars): closes 100, 110, 99, 108.9, 98.01,
    // 107.811 on six Fridays. All in at the first close: weekly returns +10%, -10%, +10%,
    // -10%, +10%. Mean 0.02, squared deviations 3 × 0.0064 + 2 × 0.0144 = 0.048, sample
    // variance 0.048 / 4 = 0.012. Volatility √(0.012 × 52) = 0.78994 (rotor used √252:
    // 1.7390), Sharpe 0.02 / √0.012 × √52 = 1.31656.
    let path = strategy("WKLY.csv", "capital 1000 USD\nfill close\nbuy WKLY once on 2024-01-05");
    let report = json(&path);
    let m = &report["metrics"];
    let volatility = m["volatility"].as_f64().expect("a volatility");
    assert!((volatility - (0.012f64 * 52.0).sqrt()).abs() < 1e-9, "{volatility}");
    let sharpe = m["sharpe"].as_f64().expect("a Sharpe ratio");
    assert!(
        (sharpe - 0.02 / 0.012f64.sqrt() * 52f64.sqrt()).abs() < 1e-9,
        "{sharpe}"
    );
    assert_eq!(report["bar_frequency"]["kind"], "weekly");
    assert_eq!(report["bar_frequency"]["bars_per_year"], 52.0);
    let text = run(&path, &[]);
    assert!(text.contains("(0.1 years, 6 weekly bars)"), "{text}");
    assert!(
        text.contains(
            "bars: weekly (a median of 7 days apart): volatility, Sharpe and Sortino are annualised with 52 bars a year"
        ),
        "{text}"
    );
}

#[test]
fn bars_per_year_overrides_the_inferred_frequency() {
    // The same run with `bars per year 50`: volatility √(0.012 × 50) = 0.7746, and no
    // "bars:" assumption (nothing is assumed).
    let path = strategy(
        "WKLY.csv",
        "capital 1000 USD\nfill close\nbars per year 50\nbuy WKLY once on 2024-01-05",
    );
    let report = json(&path);
    let volatility = report["metrics"]["volatility"].as_f64().expect("a volatility");
    assert!((volatility - (0.012f64 * 50.0).sqrt()).abs() < 1e-9, "{volatility}");
    assert_eq!(report["bar_frequency"]["declared"], true);
    let assumed = report["assumptions"].as_array().expect("assumptions");
    assert!(
        assumed.iter().all(|a| !a.as_str().unwrap_or("").starts_with("bars:")),
        "{assumed:?}"
    );
}

#[test]
fn a_sweep_annualises_each_variant_by_its_bar_frequency() {
    // The weekly run above, as sweep variants: inferred weekly bars give Sharpe
    // 0.02 / √0.012 × √52 = 1.31656 for both thresholds (both buy); `bars per year ppy`
    // gives 0.02 / √0.012 × √ppy for each ppy.
    let sharpe = |ppy: f64| 0.02 / 0.012f64.sqrt() * ppy.sqrt();
    let sweep = |body: &str, vary: &str| -> Vec<(String, f64)> {
        let path = strategy("WKLY.csv", body);
        let dir = path.parent().expect("a folder");
        let allow = allow_fixtures();
        let out = common::rotor(
            dir,
            &["sweep", &allow[0], &allow[1], "s.rotor", "--vary", vary, "--json"],
        );
        assert_eq!(out.code, 0, "{}", out.stderr);
        let v: serde_json::Value = serde_json::from_str(&out.stdout).expect("valid JSON");
        v["variants"]
            .as_array()
            .expect("variants")
            .iter()
            .map(|o| {
                let value = o["parameters"][0][1].as_str().expect("a value").to_string();
                (value, o["sharpe"].as_f64().expect("a Sharpe ratio"))
            })
            .collect()
    };
    let inferred = sweep(
        "let t = 0\ncapital 1000 USD\nfill close\nbuy WKLY once on 2024-01-05 if close(WKLY) > t",
        "t=0,1",
    );
    assert_eq!(inferred.len(), 2);
    for (t, s) in &inferred {
        assert!((s - sharpe(52.0)).abs() < 1e-9, "t = {t}: {s}");
    }
    let declared = sweep(
        "let ppy = 52\ncapital 1000 USD\nfill close\nbars per year ppy\nbuy WKLY once on 2024-01-05",
        "ppy=50,250",
    );
    assert_eq!(declared.len(), 2);
    for (ppy, s) in &declared {
        let ppy: f64 = ppy.parse().expect("a number");
        assert!((s - sharpe(ppy)).abs() < 1e-9, "ppy = {ppy}: {s}");
    }
}

// ---------------------------------------------------------------- item 11: expenses twice

#[test]
fn an_expense_on_market_prices_is_stated_as_counted_twice() {
    // flat.csv holds AAA's market prices: a fund's price already nets out its expenses, so
    // `expense AAA 0.5%` takes them a second time. The report says so.
    let path = strategy(
        "flat.csv",
        "capital 1000 USD\nfill close\nexpense AAA 0.5%\nbuy AAA once on 2024-01-02",
    );
    let report = json(&path);
    let assumptions: Vec<&str> = report["assumptions"]
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|a| a.as_str())
        .collect();
    let note = "expense AAA: market prices of a fund already net out its expenses, so they are \
                taken twice; use `expense` with index levels (a `^` ticker) or the synthetic sample";
    assert!(assumptions.contains(&note), "{assumptions:#?}");
    // Expenses drag 1000 × 0.5% × days / 365 over 2024-01-02 … 01-09 (7 days): the drag is
    // there, and so is the note; the text summary shows the same line.
    let drag = report["costs"]["expense_drag"].as_f64().expect("a number");
    assert!((drag - 1000.0 * 0.005 * 7.0 / 365.0).abs() < 1e-3, "{drag}");
    assert!(run(&path, &[]).contains(note), "the summary lists it under Assumed");
}

#[test]
fn an_expense_on_index_levels_or_the_synthetic_sample_is_not_flagged() {
    // An index (`^` ticker, as Yahoo and Stooq write them) has no expenses of its own: a
    // fund modelled on it pays them through `expense`, once.
    let dir = common::temp_dir("report-index");
    std::fs::write(dir.join("^RUT.csv"), "date,close\n2024-01-02,2000\n2024-01-03,2010\n").expect("writable");
    let path = dir.join("s.rotor");
    std::fs::write(
        &path,
        "data \"^RUT.csv\"\nexpense ^RUT 0.19%\nbuy ^RUT once on 2024-01-02\n",
    )
    .expect("writable");
    assert!(!run(&path, &[]).contains("taken twice"));
    // The bundled sample is synthetic: no fund behind it nets anything out.
    let path = dir.join("sample.rotor");
    std::fs::write(&path, "expense IWO 0.24%\nbuy IWO monthly\n").expect("writable");
    assert!(!run(&path, &[]).contains("taken twice"));
}
