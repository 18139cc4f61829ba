//! The bundled sample data: regenerating it reproduces the committed files byte for byte,
//! and its statistics, computed here from the CSV text alone, look like the markets it
//! imitates. Run with `-- --nocapture` to see the figures quoted in examples/data/README.md.

#[path = "../examples/make_sample_data.rs"]
mod make_sample_data;

use chrono::{Datelike, NaiveDate, Weekday};
use std::collections::BTreeMap;

const SYMBOLS: [&str; 6] = ["IWM", "IWN", "IWO", "SPMD", "SPY", "VTWG"];
const ETF_HEADER: &str = "date,symbol,open,high,low,close,adj_close,volume";
const MACRO_HEADER: &str = "date,fed_funds_rate,fed_cut_prob,us2y,cpi_yoy,unemployment,usdkrw";

fn committed(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/data")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// One ETF row.
struct Bar {
    date: String,
    open: f64,
    high: f64,
    low: f64,
    close: f64,
    adj_close: f64,
    volume: u64,
}

fn number(field: &str) -> f64 {
    field.parse().unwrap_or_else(|_| panic!("not a number: {field:?}"))
}

/// Bars by symbol, in file order.
fn etf() -> BTreeMap<String, Vec<Bar>> {
    let mut bars: BTreeMap<String, Vec<Bar>> = BTreeMap::new();
    for line in committed("etf_daily.csv").lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        assert_eq!(f.len(), 8, "{line}");
        bars.entry(f[1].to_string()).or_default().push(Bar {
            date: f[0].to_string(),
            open: number(f[2]),
            high: number(f[3]),
            low: number(f[4]),
            close: number(f[5]),
            adj_close: number(f[6]),
            volume: f[7].parse().unwrap_or_else(|_| panic!("volume is an integer: {line}")),
        });
    }
    bars
}

/// Macro columns by name, plus "date".
fn macro_columns() -> (Vec<String>, BTreeMap<&'static str, Vec<f64>>) {
    let names = [
        "fed_funds_rate",
        "fed_cut_prob",
        "us2y",
        "cpi_yoy",
        "unemployment",
        "usdkrw",
    ];
    let (mut dates, mut columns) = (Vec::new(), BTreeMap::new());
    let text = committed("macro_daily.csv");
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some(MACRO_HEADER));
    for line in lines {
        let f: Vec<&str> = line.split(',').collect();
        assert_eq!(f.len(), 7, "{line}");
        dates.push(f[0].to_string());
        for (name, field) in names.iter().zip(&f[1..]) {
            columns.entry(*name).or_insert_with(Vec::new).push(number(field));
        }
    }
    (dates, columns)
}

fn adj(bars: &[Bar]) -> Vec<f64> {
    bars.iter().map(|b| b.adj_close).collect()
}

/// Simple daily returns.
fn returns(prices: &[f64]) -> Vec<f64> {
    prices.windows(2).map(|w| w[1] / w[0] - 1.0).collect()
}

fn mean(xs: &[f64]) -> f64 {
    xs.iter().sum::<f64>() / xs.len() as f64
}

fn covariance(xs: &[f64], ys: &[f64]) -> f64 {
    let (mx, my) = (mean(xs), mean(ys));
    xs.iter().zip(ys).map(|(x, y)| (x - mx) * (y - my)).sum::<f64>() / (xs.len() - 1) as f64
}

fn correlation(xs: &[f64], ys: &[f64]) -> f64 {
    covariance(xs, ys) / (covariance(xs, xs) * covariance(ys, ys)).sqrt()
}

fn annual_vol(prices: &[f64]) -> f64 {
    let r = returns(prices);
    (covariance(&r, &r) * 252.0).sqrt()
}

fn beta(prices: &[f64], market: &[f64]) -> f64 {
    let (r, m) = (returns(prices), returns(market));
    covariance(&r, &m) / covariance(&m, &m)
}

/// Compound annual growth over the whole file (2005-01-03 to 2025-12-31 is ~21 years).
fn cagr(prices: &[f64]) -> f64 {
    (prices[prices.len() - 1] / prices[0]).powf(1.0 / 21.0) - 1.0
}

/// Largest peak-to-trough fall of the prices dated within [from, to].
fn max_drawdown(dates: &[&str], prices: &[f64], from: &str, to: &str) -> f64 {
    let (mut peak, mut worst) = (0.0f64, 0.0f64);
    for (date, price) in dates.iter().zip(prices) {
        if *date >= from && *date <= to {
            peak = peak.max(*price);
            worst = worst.max(1.0 - price / peak);
        }
    }
    worst
}

/// Values of a column dated within [from, to].
fn window<'a>(dates: &'a [String], values: &'a [f64], from: &'a str, to: &'a str) -> impl Iterator<Item = f64> + 'a {
    dates
        .iter()
        .zip(values)
        .filter(move |(d, _)| d.as_str() >= from && d.as_str() <= to)
        .map(|(_, v)| *v)
}

fn max_in(dates: &[String], values: &[f64], from: &str, to: &str) -> f64 {
    window(dates, values, from, to).fold(f64::MIN, f64::max)
}

fn min_in(dates: &[String], values: &[f64], from: &str, to: &str) -> f64 {
    window(dates, values, from, to).fold(f64::MAX, f64::min)
}

fn mean_in(dates: &[String], values: &[f64], from: &str, to: &str) -> f64 {
    let xs: Vec<f64> = window(dates, values, from, to).collect();
    mean(&xs)
}

/// Prints a figure for the README and checks it lies in [low, high].
fn check(name: &str, value: f64, low: f64, high: f64) {
    eprintln!("stat: {name} = {value:.4}");
    assert!(
        (low..=high).contains(&value),
        "{name} = {value}, expected {low}..={high}"
    );
}

#[test]
fn regenerating_reproduces_the_committed_files() {
    let (etf, macro_data) = make_sample_data::generate();
    // Compared as booleans: a 2 MB diff in a failure message helps nobody.
    assert!(
        etf == committed("etf_daily.csv"),
        "etf_daily.csv is stale: run `cargo run --example make_sample_data`"
    );
    assert!(
        macro_data == committed("macro_daily.csv"),
        "macro_daily.csv is stale: run `cargo run --example make_sample_data`"
    );
}

#[test]
fn etf_file_is_long_layout_sorted_by_date_then_symbol() {
    let text = committed("etf_daily.csv");
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some(ETF_HEADER));
    let keys: Vec<(&str, &str)> = lines
        .map(|l| (&l[..10], l[11..].split(',').next().unwrap_or("")))
        .collect();
    assert!(
        keys.windows(2).all(|w| w[0] < w[1]),
        "rows strictly sorted by (date, symbol)"
    );
    for chunk in keys.chunks(SYMBOLS.len()) {
        let symbols: Vec<&str> = chunk.iter().map(|k| k.1).collect();
        assert_eq!(symbols, SYMBOLS, "every symbol on {}", chunk[0].0);
    }
    assert_eq!(keys[0].0, "2005-01-03");
    assert_eq!(keys[keys.len() - 1].0, "2025-12-31");
    assert!(text.len() < 3_000_000, "small enough to embed: {} bytes", text.len());
}

#[test]
fn calendar_is_nyse_trading_days() {
    let (dates, _) = macro_columns();
    let etf_dates: Vec<String> = etf()["SPY"].iter().map(|b| b.date.clone()).collect();
    assert_eq!(dates, etf_dates, "both files cover the same days");
    let has = |d: &str| dates.iter().any(|x| x == d);
    // Closed: Thanksgiving, Juneteenth observed on Monday, Christmas observed on Friday,
    // Good Friday, July 4 observed on Friday, New Year observed on Monday, Memorial day.
    for closed in [
        "2008-11-27",
        "2022-06-20",
        "2021-12-24",
        "2016-03-25",
        "2015-07-03",
        "2017-01-02",
        "2012-05-28",
    ] {
        assert!(!has(closed), "{closed} is a holiday");
    }
    // Open: New Year on a Saturday is not observed on Friday; Juneteenth only from 2022.
    for open in ["2010-12-31", "2021-12-31", "2021-06-18", "2020-06-19"] {
        assert!(has(open), "{open} is a trading day");
    }
    // Counted by hand: weekdays in the year minus the holidays falling on weekdays.
    // 2022: 260 − 9 (New Year on Saturday not observed) = 251;
    // 2023: 260 − 10 = 250; 2024 (leap year starting Monday): 262 − 10 = 252.
    let in_year = |y: &str| dates.iter().filter(|d| d.starts_with(y)).count();
    assert_eq!([in_year("2022"), in_year("2023"), in_year("2024")], [251, 250, 252]);
}

#[test]
fn bars_are_consistent() {
    for (symbol, bars) in etf() {
        let mut gaps = Vec::new();
        for (i, b) in bars.iter().enumerate() {
            assert!(
                b.low > 0.0 && b.high >= b.open.max(b.close) && b.low <= b.open.min(b.close),
                "{symbol} {}",
                b.date
            );
            assert!(b.volume > 0, "{symbol} {} volume", b.date);
            if i > 0 {
                gaps.push((b.open / bars[i - 1].close - 1.0).abs());
            }
        }
        gaps.sort_by(f64::total_cmp);
        assert!(
            gaps[gaps.len() / 2] < 0.005,
            "{symbol}: open is the previous close with a small gap"
        );
        assert!(gaps[gaps.len() - 1] < 0.15, "{symbol}: no absurd overnight gap");
    }
}

#[test]
fn quarterly_dividends_separate_adj_close_from_close() {
    for (symbol, bars) in etf() {
        let last = &bars[bars.len() - 1];
        assert_eq!(last.adj_close, last.close, "{symbol}: adjusted back from the last day");
        let ratio: Vec<f64> = bars.iter().map(|b| b.adj_close / b.close).collect();
        let mut ex_dates = 0;
        for (i, w) in ratio.windows(2).enumerate() {
            let step = w[1] / w[0] - 1.0;
            // Rounding adj_close to 4 decimals moves the ratio by well under 1e-5.
            assert!(
                step > -2e-5,
                "{symbol} {}: the adjustment only ever shrinks going back",
                bars[i + 1].date
            );
            if step > 1e-3 {
                ex_dates += 1;
                assert!(
                    bars[i + 1].date[5..7].parse::<u32>().is_ok_and(|m| m % 3 == 0),
                    "{symbol}: quarterly"
                );
            }
        }
        // March 2005 to December 2025: 84 quarters.
        assert_eq!(ex_dates, 84, "{symbol}: one ex-date per quarter");
        let yield_per_year = (ratio[ratio.len() - 1] / ratio[0]).powf(1.0 / 21.0) - 1.0;
        check(&format!("{symbol} dividend yield"), yield_per_year, 0.008, 0.022);
    }
}

#[test]
fn spy_has_regimes_like_2005_to_2025() {
    let bars = &etf()["SPY"];
    let dates: Vec<&str> = bars.iter().map(|b| b.date.as_str()).collect();
    let (price, total) = (bars.iter().map(|b| b.close).collect::<Vec<_>>(), adj(bars));
    check("SPY annualised vol", annual_vol(&total), 0.15, 0.20);
    check("SPY total-return CAGR", cagr(&total), 0.07, 0.10);
    check("SPY price CAGR", cagr(&price), 0.05, 0.09);
    check(
        "SPY drawdown 2007-09",
        max_drawdown(&dates, &total, "2007-01-01", "2009-12-31"),
        0.45,
        0.55,
    );
    check(
        "SPY drawdown 2020",
        max_drawdown(&dates, &total, "2020-01-01", "2020-06-30"),
        0.25,
        0.40,
    );
    check(
        "SPY drawdown 2022",
        max_drawdown(&dates, &total, "2022-01-01", "2022-12-31"),
        0.20,
        0.35,
    );
    let at = |d: &str| total[dates.iter().position(|x| *x >= d).unwrap_or(dates.len() - 1)];
    check(
        "SPY rebound 2020-03-23 to 2020-08-31",
        at("2020-08-31") / at("2020-03-23") - 1.0,
        0.35,
        0.80,
    );
}

#[test]
fn small_caps_mid_caps_and_styles_relate_like_their_indexes() {
    let etf = etf();
    let total = |s: &str| adj(&etf[s]);
    let (spy, iwm, spmd) = (total("SPY"), total("IWM"), total("SPMD"));
    check("IWM beta to SPY", beta(&iwm, &spy), 1.1, 1.3);
    check("IWM annualised vol", annual_vol(&iwm), 0.22, 0.26);
    check(
        "SPMD annualised vol",
        annual_vol(&spmd),
        annual_vol(&spy),
        annual_vol(&iwm),
    );
    check("SPMD beta to SPY", beta(&spmd, &spy), 0.9, 1.2);
    let (iwo, iwn) = (total("IWO"), total("IWN"));
    check(
        "IWO/IWN correlation",
        correlation(&returns(&iwo), &returns(&iwn)),
        0.85,
        0.95,
    );
    check("IWO annualised vol", annual_vol(&iwo), 0.2, 0.3);
    check("IWN annualised vol", annual_vol(&iwn), 0.2, 0.3);
    check("IWO total-return CAGR", cagr(&iwo), 0.04, 0.12);
    check("IWN total-return CAGR", cagr(&iwn), 0.03, 0.12);
    check("IWM total-return CAGR", cagr(&iwm), 0.04, 0.12);
    check("SPMD total-return CAGR", cagr(&spmd), 0.05, 0.12);
    let growth_over_value = (iwo[iwo.len() - 1] / iwo[0]) / (iwn[iwn.len() - 1] / iwn[0]);
    assert!(
        !(0.8..=1.25).contains(&growth_over_value),
        "growth and value end far apart: {growth_over_value}"
    );
}

#[test]
fn vtwg_tracks_iwo_at_a_different_price() {
    let etf = etf();
    let (iwo, vtwg) = (adj(&etf["IWO"]), adj(&etf["VTWG"]));
    let difference: Vec<f64> = returns(&iwo).iter().zip(returns(&vtwg)).map(|(a, b)| a - b).collect();
    check(
        "VTWG-IWO daily tracking difference (std)",
        covariance(&difference, &difference).sqrt(),
        0.00005,
        0.0005,
    );
    check(
        "VTWG/IWO correlation",
        correlation(&returns(&iwo), &returns(&vtwg)),
        0.999,
        1.0,
    );
    let (p, q) = (&etf["IWO"], &etf["VTWG"]);
    assert!(
        p.iter().zip(q).all(|(a, b)| a.close > 1.2 * b.close),
        "a different fund, a different price"
    );
}

#[test]
fn fed_funds_moves_in_quarter_points_at_meetings_through_the_cycles() {
    let (dates, columns) = macro_columns();
    let ff = &columns["fed_funds_rate"];
    let mut meetings_per_year: BTreeMap<&str, usize> = BTreeMap::new();
    for i in 1..ff.len() {
        let change = ff[i] - ff[i - 1];
        if change != 0.0 {
            let steps = change / 0.25;
            assert!(
                (steps - steps.round()).abs() < 1e-6,
                "{}: {change} is a multiple of 25 bp",
                dates[i]
            );
            *meetings_per_year.entry(&dates[i][..4]).or_default() += 1;
        }
    }
    assert!(meetings_per_year.values().all(|n| *n <= 8), "{meetings_per_year:?}");
    check(
        "fed funds peak 2006-07",
        max_in(&dates, ff, "2006-01-01", "2007-12-31"),
        5.0,
        5.5,
    );
    check(
        "fed funds max 2009 to Nov 2015",
        max_in(&dates, ff, "2009-01-01", "2015-11-30"),
        0.0,
        0.25,
    );
    check(
        "fed funds peak 2018-19",
        max_in(&dates, ff, "2018-01-01", "2019-12-31"),
        2.2,
        2.6,
    );
    check(
        "fed funds max Apr 2020 to 2021",
        max_in(&dates, ff, "2020-04-01", "2021-12-31"),
        0.0,
        0.25,
    );
    check(
        "fed funds peak 2023",
        max_in(&dates, ff, "2023-01-01", "2023-12-31"),
        5.2,
        5.5,
    );
    assert!(
        mean_in(&dates, ff, "2024-12-20", "2024-12-31") < mean_in(&dates, ff, "2024-08-01", "2024-08-31"),
        "cuts from September 2024"
    );
}

#[test]
fn cut_probability_is_high_before_cuts_and_low_before_hikes() {
    let (dates, columns) = macro_columns();
    let (ff, prob) = (&columns["fed_funds_rate"], &columns["fed_cut_prob"]);
    assert!(prob.iter().all(|p| (0.0..=1.0).contains(p)), "a probability");
    let (mut before_cuts, mut before_hikes) = (Vec::new(), Vec::new());
    for i in 10..ff.len() {
        let two_weeks_before = mean(&prob[i - 10..i]);
        if ff[i] < ff[i - 1] {
            assert!(
                two_weeks_before > 0.8,
                "{}: cut priced in, {two_weeks_before}",
                dates[i]
            );
            before_cuts.push(two_weeks_before);
        } else if ff[i] > ff[i - 1] {
            assert!(
                two_weeks_before < 0.2,
                "{}: no cut priced before a hike, {two_weeks_before}",
                dates[i]
            );
            before_hikes.push(two_weeks_before);
        }
    }
    check("fed_cut_prob two weeks before cuts", mean(&before_cuts), 0.8, 1.0);
    check("fed_cut_prob two weeks before hikes", mean(&before_hikes), 0.0, 0.2);
    check(
        "fed_cut_prob mean 2022-23",
        mean_in(&dates, prob, "2022-03-01", "2023-07-31"),
        0.0,
        0.15,
    );
}

#[test]
fn two_year_yield_leads_fed_funds() {
    let (_, columns) = macro_columns();
    let (ff, us2y) = (&columns["fed_funds_rate"], &columns["us2y"]);
    let lag = 126; // six months
    let n = ff.len();
    let leads = correlation(&us2y[..n - lag], &ff[lag..]);
    let lags = correlation(&us2y[lag..], &ff[..n - lag]);
    check("us2y correlation with fed funds", correlation(us2y, ff), 0.85, 1.0);
    check("us2y correlation with fed funds 6 months later", leads, lags, 1.0);
    assert!(us2y.iter().all(|y| *y > 0.0 && *y < 7.0));
}

/// A monthly series changes at most once per calendar month, and only on a release day.
fn assert_steps_monthly(name: &str, dates: &[String], values: &[f64], release_day: impl Fn(&str) -> bool) {
    let mut changed_months = Vec::new();
    for i in 1..values.len() {
        if values[i] != values[i - 1] {
            assert!(
                release_day(&dates[i]),
                "{name} changes on a release day, not {}",
                dates[i]
            );
            changed_months.push(&dates[i][..7]);
        }
    }
    let changes = changed_months.len();
    changed_months.dedup();
    assert_eq!(changes, changed_months.len(), "{name} changes at most once a month");
    assert!(changes > 100, "{name} does change: {changes} times");
}

#[test]
fn cpi_and_unemployment_step_monthly_on_release_days() {
    let (dates, columns) = macro_columns();
    let day_of_month = |d: &str| d[8..].parse::<u32>().expect("dates are YYYY-MM-DD");
    let is_friday = |d: &str| d.parse::<NaiveDate>().expect("dates are YYYY-MM-DD").weekday() == Weekday::Fri;
    // CPI comes out mid-month; the jobs report on the first (or, after a holiday, second) Friday.
    let cpi_release = |d: &str| (12..=18).contains(&day_of_month(d));
    let jobs_release = |d: &str| is_friday(d) && day_of_month(d) <= 14;
    assert_steps_monthly("cpi_yoy", &dates, &columns["cpi_yoy"], cpi_release);
    assert_steps_monthly("unemployment", &dates, &columns["unemployment"], jobs_release);
    let (cpi, jobs) = (&columns["cpi_yoy"], &columns["unemployment"]);
    check(
        "cpi_yoy peak 2021-22",
        max_in(&dates, cpi, "2021-01-01", "2022-12-31"),
        8.0,
        9.5,
    );
    check(
        "cpi_yoy max before 2021",
        max_in(&dates, cpi, "2005-01-01", "2020-12-31"),
        4.0,
        6.5,
    );
    check("cpi_yoy min", min_in(&dates, cpi, "2005", "2026"), -1.0, 1.0);
    check(
        "unemployment peak 2009-10",
        max_in(&dates, jobs, "2009-01-01", "2010-12-31"),
        9.0,
        10.5,
    );
    check(
        "unemployment peak 2020",
        max_in(&dates, jobs, "2020-01-01", "2020-12-31"),
        13.0,
        15.0,
    );
    check(
        "unemployment mean 2007",
        mean_in(&dates, jobs, "2007-01-01", "2007-12-31"),
        4.0,
        5.0,
    );
    check("unemployment min", min_in(&dates, jobs, "2005", "2026"), 3.2, 4.0);
}

#[test]
fn won_weakens_when_markets_fall() {
    let (dates, columns) = macro_columns();
    let krw = &columns["usdkrw"];
    let spy = adj(&etf()["SPY"]);
    let log_changes: Vec<f64> = krw.windows(2).map(|w| (w[1] / w[0]).ln()).collect();
    check(
        "usdkrw daily change correlation with SPY",
        correlation(&log_changes, &returns(&spy)),
        -0.6,
        -0.2,
    );
    check("usdkrw min", min_in(&dates, krw, "2005", "2026"), 850.0, 1050.0);
    check("usdkrw max", max_in(&dates, krw, "2005", "2026"), 1400.0, 1550.0);
    let risk_off = [
        ("2007-01-01", "2007-12-31", "2008-10-01", "2009-03-31"),
        ("2019-10-01", "2020-01-31", "2020-03-01", "2020-03-31"),
        ("2021-01-01", "2021-06-30", "2022-09-01", "2022-10-31"),
    ];
    for (calm_from, calm_to, stress_from, stress_to) in risk_off {
        let (calm, stress) = (
            mean_in(&dates, krw, calm_from, calm_to),
            mean_in(&dates, krw, stress_from, stress_to),
        );
        assert!(
            stress > calm * 1.05,
            "won weaker in {stress_from}..{stress_to}: {stress} vs {calm}"
        );
    }
}

#[test]
fn the_embedded_columns_are_what_the_loader_makes_of_the_csv_files() {
    let columns = rotor::data::sample_columns([&committed("etf_daily.csv"), &committed("macro_daily.csv")])
        .expect("the sample loads without notes, warnings or skipped rows");
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/data/sample.columns");
    let embedded = std::fs::read(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    // Compared as booleans, like the CSV files: a 2 MB diff helps nobody.
    assert!(
        columns == embedded,
        "examples/data/sample.columns is stale: run `cargo run --example make_sample_data`"
    );
}

/// The bundled data as loading the CSV files with `opts` gives it.
fn from_csv(opts: &rotor::data::LoadOptions) -> rotor::data::DataSet {
    let mut set = rotor::data::DataSet::default();
    for (name, file) in rotor::data::BUNDLED_FILES
        .iter()
        .zip(["etf_daily.csv", "macro_daily.csv"])
    {
        let loaded = rotor::data::load_str(name, &committed(file), opts).expect("the sample loads");
        set.merge(loaded).expect("no name in both files");
    }
    set
}

#[test]
fn the_embedded_columns_load_as_the_csv_files_do_under_every_projection_tried() {
    use std::collections::BTreeSet;
    use std::sync::Arc;
    let (_, series) = macro_columns();
    let mut names: Vec<String> = SYMBOLS.iter().map(|s| s.to_string()).collect();
    names.extend(series.keys().map(|s| s.to_string()));
    names.push("NOT_IN_THE_DATA".to_string());
    let set = |names: &[&str]| Some(Arc::new(names.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>()));
    let mut projections = vec![
        (None, false),
        (None, true), // lenient loading changes nothing on good rows
        (set(&[]), false),
        (set(&["IWM", "SPY"]), true),
        (set(&["SPY", "fed_cut_prob", "NOT_IN_THE_DATA"]), false),
        (Some(Arc::new(names.iter().cloned().collect())), false),
    ];
    projections.extend(names.iter().map(|name| (set(&[name.as_str()]), false)));
    // The price columns a run does not read, left out as the loader leaves them out.
    let unread = [(false, false), (true, true), (true, false), (false, true)]
        .map(|(high_low, volume)| rotor::data::Unread { high_low, volume });
    let projections = projections
        .into_iter()
        .enumerate()
        .map(|(i, (only, lenient))| (only, lenient, unread[i % 4]));
    for (only, lenient, unread) in projections {
        let opts = rotor::data::LoadOptions {
            only,
            lenient,
            unread,
            ..rotor::data::LoadOptions::default()
        };
        let embedded = rotor::data::bundled_with(&opts).expect("the embedded columns load");
        // Compared whole: histories, their order, names not loaded, notes, warnings.
        assert!(embedded == from_csv(&opts), "the two forms differ with {opts:?}");
    }
}
