//! The HTML report (`rotor run --report FILE.html`), parsed with html5ever (scraper): every
//! chart and table is on the page, every figure on it is `--json`'s figure, nothing is
//! fetched from anywhere, a strategy's own text cannot add markup, and the round trips,
//! monthly returns and drawdowns of a small hand-made run (tests/fixtures/report/trips.csv)
//! are what a hand calculation gives. A real browser draws the page in tests/browser.rs.

mod common;

use std::path::{Path, PathBuf};

use scraper::{ElementRef, Html, Selector};
use serde_json::Value;

/// Four fills of AAA (tests/fixtures/report/trips.csv: opens and closes 10 in January, 11 on
/// 31 January and 1 February, 12 in February, 9 in March; orders fill at the next day's
/// open):
/// - 3 Jan: buy 500 USD at 10 = 50 shares (lot 1);
/// - 1 Feb: buy the 500 USD of cash left at 11 = 45.4545 shares (lot 2; 30 January is no
///   trading day, so the order is placed on the 31st and fills the next day);
/// - 2 Feb: sell 50 shares at 12: first in, first out, that closes lot 1 whole;
/// - 4 Mar: sell all at 9: lot 2.
const TRIPS: &str = "\
capital 1000 USD
buy 500 USD of AAA once on 2024-01-02 while close(AAA) > 5
buy AAA once on 2024-01-30
sell 50 shares of AAA once on 2024-02-01
sell all AAA once on 2024-03-01
";

/// A folder with trips.csv and `s.rotor` (`data "trips.csv"` then `body`).
fn folder(body: &str) -> PathBuf {
    let dir = common::temp_dir("report-html");
    let fixture = common::root().join("tests/fixtures/report/trips.csv");
    std::fs::copy(fixture, dir.join("trips.csv")).expect("fixture copied");
    std::fs::write(dir.join("s.rotor"), format!("data \"trips.csv\"\n{body}")).expect("temp file writable");
    dir
}

/// `rotor run FILE --report r.html` and `rotor run FILE --json` in `dir`: the page and the JSON.
fn report(dir: &Path, file: &str, extra: &[&str]) -> (Html, Value) {
    let mut args = vec!["run", file, "--report", "r.html"];
    args.extend_from_slice(extra);
    let out = common::rotor(dir, &args);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let mut args = vec!["run", file, "--json"];
    args.extend_from_slice(extra);
    let json = common::rotor(dir, &args);
    assert_eq!(json.code, 0, "{}", json.stderr);
    let page = std::fs::read_to_string(dir.join("r.html")).expect("the report was written");
    (
        Html::parse_document(&page),
        serde_json::from_str(&json.stdout).expect("valid JSON"),
    )
}

fn select<'a>(html: &'a Html, css: &str) -> Vec<ElementRef<'a>> {
    html.select(&Selector::parse(css).expect("a valid selector")).collect()
}

fn one<'a>(html: &'a Html, css: &str) -> ElementRef<'a> {
    let found = select(html, css);
    assert_eq!(found.len(), 1, "{css}: {} elements", found.len());
    found[0]
}

fn text(e: ElementRef) -> String {
    e.text().collect::<String>().trim().to_string()
}

/// The number an element carries (`data-value`), read back as an f64.
fn value(e: ElementRef) -> f64 {
    let v = e.value().attr("data-value").expect("a data-value");
    v.parse().unwrap_or_else(|_| panic!("{v} is a number"))
}

/// The chart data embedded in the page.
fn charts(html: &Html) -> Value {
    serde_json::from_str(&text(one(html, "script#charts"))).expect("the chart data is JSON")
}

/// `metrics.max_drawdown.depth`, `trades.0.shares`: a place in the JSON.
fn at<'a>(json: &'a Value, path: &str) -> &'a Value {
    path.split('.').fold(json, |v, key| match key.parse::<usize>() {
        Ok(i) => &v[i],
        Err(_) => &v[key],
    })
}

fn close(a: f64, b: f64, what: &str) {
    assert!((a - b).abs() <= 1e-9 * b.abs().max(1.0), "{what}: {a} is not {b}");
}

/// The cells of each body row of the table `#table`.
fn rows_of_table<'a>(html: &'a Html, table: &str) -> Vec<Vec<ElementRef<'a>>> {
    select(html, &format!("#{table} tbody tr"))
        .into_iter()
        .map(|tr| tr.select(&Selector::parse("td").expect("valid")).collect())
        .collect()
}

#[test]
fn every_chart_and_table_is_on_the_page_and_nothing_is_fetched() {
    let dir = folder(TRIPS);
    let (html, _) = report(&dir, "s.rotor", &[]);
    for id in [
        "chart-equity",
        "chart-underwater",
        "chart-years",
        "chart-allocation",
        "chart-price-0",
        "chart-cond-0-0",
        "worst-drawdowns",
        "monthly-returns",
        "figures-usd",
        "round-trip-statistics",
        "round-trip-list",
        "trade-list",
        "cost-table",
        "activity-table",
        "holdings",
        "assumed",
        "strategy",
    ] {
        one(&html, &format!("#{id}"));
    }
    // Nine bars are less than a year: no rolling chart, and a sentence that says why.
    assert!(select(&html, "#chart-rolling-return").is_empty());
    assert!(text(one(&html, "#no-rolling")).contains("252 bars"));
    // Offline: no attribute names anything outside the page, no stylesheet or frame is linked.
    for e in select(&html, "[src], [href], [action], [srcset], [poster]") {
        for attr in ["src", "href", "action", "srcset", "poster"] {
            if let Some(v) = e.value().attr(attr) {
                assert!(
                    v.starts_with('#'),
                    "<{} {attr}=\"{v}\"> points outside the page",
                    e.value().name()
                );
            }
        }
    }
    assert!(select(&html, "link, iframe, img, object, embed").is_empty());
    // Three scripts, all inline: the chart data, uPlot and the report's own.
    let scripts = select(&html, "script");
    assert_eq!(scripts.len(), 3);
    assert!(scripts.iter().all(|s| s.value().attr("src").is_none()));
    for style in select(&html, "style") {
        assert!(!text(style).contains("url(http") && !text(style).contains("@import"));
    }
}

#[test]
fn every_figure_on_the_page_is_the_json_figure() {
    let dir = folder(TRIPS);
    let (html, json) = report(&dir, "s.rotor", &[]);
    let cells = select(&html, "[data-field]");
    // Figures (15 rows), cards, costs, activity, trades (4 × 4) and cash at least.
    assert!(cells.len() > 40, "{} cells name a JSON field", cells.len());
    for cell in cells {
        let field = cell.value().attr("data-field").expect("selected by it");
        let expected = at(&json, field);
        match cell.value().attr("data-value") {
            Some(_) => {
                let want = expected
                    .as_f64()
                    .unwrap_or_else(|| panic!("{field} is a number in the JSON: {expected}"));
                // The very same f64, not just the same rounded text.
                assert_eq!(value(cell), want, "{field}");
            }
            None => assert!(
                !expected.is_number(),
                "{field}: the page shows no number, the JSON {expected}"
            ),
        }
    }
    // The text is the text summary's.
    let summary = common::rotor(&dir, &["run", "s.rotor"]).stdout;
    for row in select(&html, "#figures-usd tbody tr") {
        let label = text(
            row.select(&Selector::parse("th").expect("valid"))
                .next()
                .expect("a label"),
        );
        let cell = text(
            row.select(&Selector::parse("td").expect("valid"))
                .next()
                .expect("a cell"),
        );
        let line = summary
            .lines()
            .find(|l| l.trim_start().starts_with(&label))
            .expect("the row in the summary");
        assert!(
            line.trim_end().ends_with(&cell),
            "{label}: page {cell:?}, summary {line:?}"
        );
    }
}

#[test]
fn round_trips_are_matched_first_in_first_out() {
    let dir = folder(TRIPS);
    let (html, _) = report(&dir, "s.rotor", &[]);
    let rows = rows_of_table(&html, "round-trip-list");
    assert_eq!(rows.len(), 2);
    // Lot 1: 50 shares bought at 10 on 3 Jan, sold at 12 on 2 Feb: profit 50 × 2 = 100,
    // return 100 / 500 = 20%, 30 days.
    let r = &rows[0];
    assert_eq!(text(r[1]), "2024-01-03");
    assert_eq!(text(r[2]), "2024-02-02");
    close(value(r[3]), 30.0, "days");
    close(value(r[4]), 50.0, "shares");
    close(value(r[7]), 100.0, "profit");
    close(value(r[8]), 0.2, "return");
    // Lot 2: 500 / 11 shares bought on 1 Feb, sold at 9 on 4 Mar: profit 500/11 × (9 − 11)
    // = −90.909…, return −2/11 = −18.18%, 32 days. (Last in, first out would have sold
    // 50 shares of this lot on 2 Feb.)
    let r = &rows[1];
    assert_eq!(text(r[1]), "2024-02-01");
    assert_eq!(text(r[2]), "2024-03-04");
    close(value(r[3]), 32.0, "days");
    close(value(r[4]), 500.0 / 11.0, "shares");
    close(value(r[7]), -1000.0 / 11.0, "profit");
    close(value(r[8]), -2.0 / 11.0, "return");
    assert_eq!(text(r[8]), "-18.18%");
    // Statistics: one win of 100, one loss of 90.909…
    let stats: Vec<(String, ElementRef)> = select(&html, "#round-trip-statistics tr")
        .into_iter()
        .map(|tr| {
            let th = tr
                .select(&Selector::parse("th").expect("valid"))
                .next()
                .expect("a label");
            let td = tr
                .select(&Selector::parse("td").expect("valid"))
                .next()
                .expect("a cell");
            (text(th), td)
        })
        .collect();
    let stat = |label: &str| {
        stats
            .iter()
            .find(|(l, _)| l == label)
            .unwrap_or_else(|| panic!("{label}"))
            .1
    };
    close(value(stat("Closed round trips")), 2.0, "closed");
    close(value(stat("Win rate")), 0.5, "win rate");
    close(value(stat("Net profit (USD)")), 100.0 - 1000.0 / 11.0, "net");
    close(value(stat("Profit factor")), 100.0 / (1000.0 / 11.0), "profit factor");
    close(value(stat("Average holding period")), 31.0, "days held");
    // Nothing is left open.
    assert!(select(&html, "#open-lots").is_empty());
}

#[test]
fn monthly_returns_drawdowns_and_the_equity_curve_are_the_hand_computed_ones() {
    let dir = folder(TRIPS);
    let (html, _) = report(&dir, "s.rotor", &[]);
    // Equity at the closes: 1000, 1000 (500 cash + 50 × 10), 1050 (31 Jan: 500 + 50 × 11),
    // 1050, 1145.45 (2 Feb: 600 cash + 500/11 × 12), 1145.45, 1145.45, 1009.09 (4 Mar:
    // 600 + 500/11 × 9), 1009.09.
    let high = 600.0 + 500.0 / 11.0 * 12.0;
    let low = 600.0 + 500.0 / 11.0 * 9.0;
    let want = [1000.0, 1000.0, 1050.0, 1050.0, high, high, high, low, low];
    let c = charts(&html);
    let equity: Vec<f64> = c["equity"]
        .as_array()
        .expect("a series")
        .iter()
        .map(|v| v.as_f64().expect("a number"))
        .collect();
    assert_eq!(equity.len(), want.len());
    for (got, want) in equity.iter().zip(want) {
        // The charts keep 6 significant digits.
        assert!((got - want).abs() < 0.01, "{got} vs {want}");
    }
    // Months: January 1050/1000 − 1 = 5%, February high/1050 − 1 = 9.09%, March
    // low/high − 1 = −11.90%; the year 1009.09/1000 − 1 = 0.91% (a part year).
    let row = &rows_of_table(&html, "monthly-returns")[0];
    close(value(row[0]), 0.05, "January");
    close(value(row[1]), high / 1050.0 - 1.0, "February");
    close(value(row[2]), low / high - 1.0, "March");
    assert_eq!(text(row[2]), "-11.90%");
    assert!(row[3..12].iter().all(|td| text(*td).is_empty()));
    close(value(row[12]), low / 1000.0 - 1.0, "the year");
    assert!(row[12].value().classes().any(|c| c == "partial"));
    // One drawdown: from the 1 Mar close (the last at the peak) to the 4 Mar trough,
    // 1 − low/high = 11.90%, not recovered.
    let worst = rows_of_table(&html, "worst-drawdowns");
    assert_eq!(worst.len(), 1);
    close(value(worst[0][1]), 1.0 - low / high, "depth");
    assert_eq!(text(worst[0][2]), "2024-03-01");
    assert_eq!(text(worst[0][3]), "2024-03-04");
    assert_eq!(text(worst[0][4]), "not yet");
    // Allocation: AAA is half the portfolio after the first buy (500 of 1000), all of it
    // after the second, 0 after the last sale; cash the rest.
    let weights = &c["allocation"]["weights"];
    assert_eq!(c["allocation"]["names"], serde_json::json!(["AAA", "cash"]));
    assert_eq!(weights[0][1], 0.5);
    assert_eq!(weights[0][3], 1.0);
    assert_eq!(weights[0][8], 0.0);
    assert_eq!(weights[1][8], 1.0);
    // Buys and sells are marked at their fill prices.
    assert_eq!(c["prices"][0]["buys"][1], 10.0);
    assert_eq!(c["prices"][0]["buys"][3], 11.0);
    assert_eq!(c["prices"][0]["sells"][4], 12.0);
    assert_eq!(c["prices"][0]["sells"][7], 9.0);
    // The condition close(AAA) > 5 holds on every bar, and its panel draws the 5 line.
    assert_eq!(c["conditions"][0]["held"], serde_json::json!(vec![1.0; 9]));
    assert_eq!(
        c["conditions"][0]["panels"][0]["threshold"],
        serde_json::json!([">", 5.0])
    );
}

#[test]
fn a_strategys_name_and_text_cannot_add_markup() {
    let body = format!(
        "strategy \"<script>alert(1)</script> & <b>bold</b>\"\ndescription \"</title><img src=x onerror=alert(2)> \u{202e}evil\"\n# </pre><script>alert(3)</script>\n{TRIPS}"
    );
    let dir = folder(&body);
    let (html, _) = report(&dir, "s.rotor", &[]);
    assert_eq!(select(&html, "script").len(), 3, "only the page's own scripts");
    assert!(select(&html, "img, b").is_empty());
    assert_eq!(text(one(&html, "h1")), "<script>alert(1)</script> & <b>bold</b>");
    // The bidirectional override is shown, not obeyed.
    let description = text(one(&html, "p.description"));
    assert!(description.contains("\\u{202e}evil") && !description.contains('\u{202e}'));
    // The strategy's text is shown whole, comment included, as text.
    assert!(text(one(&html, "pre.source")).contains("# </pre><script>alert(3)</script>"));
}

#[test]
fn the_report_never_overwrites_what_the_run_reads() {
    let dir = folder(TRIPS);
    let before = std::fs::read(dir.join("trips.csv")).expect("fixture");
    for target in ["trips.csv", "s.rotor"] {
        let out = common::rotor(&dir, &["run", "s.rotor", "--report", target]);
        assert_ne!(out.code, 0);
        assert!(
            out.stderr.contains("--report") && out.stderr.contains("overwrite"),
            "{}",
            out.stderr
        );
    }
    assert_eq!(std::fs::read(dir.join("trips.csv")).expect("fixture"), before);
    let out = common::rotor(
        &dir,
        &["run", "s.rotor", "--report", "same.html", "--trades", "same.html"],
    );
    assert_ne!(out.code, 0, "two outputs to one file");
}

#[test]
fn the_sample_strategy_with_a_benchmark_and_synthetic_data() {
    let dir = common::root();
    let (html, json) = report(
        &common::temp_dir("report-html-sample"),
        &dir.join("strategies/rate_cut_dca.rotor").display().to_string(),
        &["--allow-path", &dir.display().to_string()],
    );
    assert!(text(one(&html, "p.synthetic")).contains("SYNTHETIC"));
    // The benchmark's column holds the benchmark's figures.
    let cells = select(&html, "#figures-usd [data-field^=\"benchmark.metrics.\"]");
    assert_eq!(cells.len(), 15, "a cell for every row");
    let numbers: Vec<_> = cells
        .into_iter()
        .filter(|c| c.value().attr("data-value").is_some())
        .collect();
    assert_eq!(
        numbers.len(),
        14,
        "every figure but `Recovered` (a date) carries a number"
    );
    for cell in numbers {
        let field = cell.value().attr("data-field").expect("selected by it");
        assert_eq!(Some(value(cell)), at(&json, field).as_f64(), "{field}");
    }
    // Monthly returns cover every month of the run: 2005 to 2025, twelve each.
    let months = select(&html, "#monthly-returns tbody td[data-value]");
    assert_eq!(months.len(), 21 * 13);
    for id in [
        "chart-rolling-return",
        "chart-rolling-volatility",
        "chart-rolling-sharpe",
        "chart-cond-0-0",
    ] {
        one(&html, &format!("#{id}"));
    }
    let c = charts(&html);
    assert_eq!(c["benchmark"][0], "SPY");
    assert_eq!(
        c["conditions"][0]["panels"][0]["threshold"],
        serde_json::json!([">", 0.8])
    );
}

#[test]
fn plot_draws_an_svg_or_a_png_and_refuses_other_names() {
    let dir = folder(&format!("strategy \"Trips <&>\"\n{TRIPS}"));
    let out = common::rotor(&dir, &["run", "s.rotor", "--plot", "p.svg"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let svg = std::fs::read_to_string(dir.join("p.svg")).expect("written");
    assert!(svg.starts_with("<svg") && svg.contains("Trips &lt;&amp;&gt;") && svg.contains("<polyline"));
    let out = common::rotor(&dir, &["run", "s.rotor", "--plot", "p.png"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let png = std::fs::read(dir.join("p.png")).expect("written");
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    let out = common::rotor(&dir, &["run", "s.rotor", "--plot", "p.jpg"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("neither .svg nor .png"), "{}", out.stderr);
    assert!(!dir.join("p.jpg").exists());
    // Like every output, never over an input.
    let out = common::rotor(&dir, &["run", "s.rotor", "--plot", "s.png", "--trades", "s.png"]);
    assert_ne!(out.code, 0);
}

#[test]
fn a_sweep_page_maps_the_metric_over_two_parameters() {
    // AAA closes at 10 on 2 Jan and 11 on 1 Feb; orders fill at the next open (10 on
    // 3 Jan, 12 on 2 Feb; 9 at the end). level=5 buys 100 shares, level=10 buys nothing
    // (10 is not above 10): 1000 USD. cut=0 sells them at 12: 1200 USD; cut=20 holds them
    // to the end at 9: 900 USD.
    let dir = folder(
        "capital 1000 USD\nlet level = 5\nlet cut = 0\n\
         buy AAA once on 2024-01-02 while close(AAA) > level\n\
         sell all AAA once on 2024-02-01 while close(AAA) > cut\n",
    );
    let out = common::rotor(
        &dir,
        &[
            "sweep",
            "s.rotor",
            "--vary",
            "level=5,10",
            "--vary",
            "cut=0,20",
            "--metric",
            "final",
            "--report",
            "sw.html",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let html = Html::parse_document(&std::fs::read_to_string(dir.join("sw.html")).expect("written"));
    let heads: Vec<String> = select(&html, "#heatmap thead th").into_iter().map(text).collect();
    assert_eq!(heads[1..], ["5", "10"]);
    let rows = rows_of_table(&html, "heatmap");
    let values: Vec<Vec<f64>> = rows.iter().map(|r| r.iter().map(|c| value(*c)).collect()).collect();
    assert_eq!(values, vec![vec![1200.0, 1000.0], vec![900.0, 1000.0]]);
    let best = one(&html, "#heatmap td.best-cell");
    assert_eq!(text(best), "1,200.00");
    // The ranking: best first, every variant.
    let ranked = rows_of_table(&html, "variants");
    assert_eq!(ranked.len(), 4);
    assert_eq!(value(ranked[3][3]), 900.0);
    assert_eq!(select(&html, "script").len(), 3);
    // --report is not written over an input.
    let out = common::rotor(
        &dir,
        &["sweep", "s.rotor", "--vary", "level=5,10", "--report", "trips.csv"],
    );
    assert_ne!(out.code, 0);
}

#[test]
fn the_after_tax_figures_are_on_the_page_as_in_the_json() {
    let dir = common::root();
    let (html, json) = report(
        &common::temp_dir("report-html-tax"),
        &dir.join("strategies/krw_investor.rotor").display().to_string(),
        &["--allow-path", &dir.display().to_string()],
    );
    for field in [
        "costs.interest_earned",
        "costs.fx_costs",
        "costs.taxes_paid",
        "costs.taxes_due",
        "metrics.after_tax.final_value",
        "metrics.after_tax.xirr",
        "base_currency.metrics.after_tax.final_value",
        "base_currency.metrics.after_tax.xirr",
    ] {
        let cell = one(&html, &format!("#cost-table [data-field=\"{field}\"]"));
        let want = at(&json, field)
            .as_f64()
            .unwrap_or_else(|| panic!("{field} in the JSON"));
        assert_eq!(value(cell), want, "{field}");
    }
    // Tax was paid and some is still due: the rows say something.
    assert!(at(&json, "costs.taxes_paid").as_f64() > Some(0.0));
    assert!(at(&json, "costs.taxes_due").as_f64() > Some(0.0));
}

#[test]
fn dividends_received_and_withheld_are_on_the_page_as_in_the_json() {
    let dir = common::strategy_with_fixtures(
        "dividends",
        "data \"dividends/AAA.csv\"\ndividends cash\ntax dividends 15%\nfill close\ncapital 10000 USD\n\
         buy AAA once on 2024-03-01\n",
    );
    let (html, json) = report(&dir, "s.rotor", &[]);
    // 100 shares held at the ex-date's 1.00 USD: 100 USD, 15 withheld.
    for (field, want) in [("costs.dividends_received", 100.0), ("costs.withholding_tax", 15.0)] {
        let cell = one(&html, &format!("#cost-table [data-field=\"{field}\"]"));
        assert_eq!(at(&json, field).as_f64(), Some(want), "{field}");
        close(value(cell), want, field);
    }
}

#[test]
fn the_costs_table_has_the_text_blocks_benchmark_money_and_tax_years() {
    // docs/TAXES.md: the text block's lines and the HTML costs table are comparable. The
    // text gives the benchmark's interest, FX costs and taxes, and a line per tax year;
    // the page now has each of them, with the JSON's number behind it.
    let root = common::root();
    let file = root.join("strategies/krw_investor.rotor").display().to_string();
    let allow = root.display().to_string();
    let dir = common::temp_dir("report-html-costs");
    let (html, json) = report(&dir, &file, &["--allow-path", &allow]);
    for field in [
        "benchmark.costs.interest_earned",
        "benchmark.costs.fx_costs",
        "benchmark.costs.taxes_paid",
        "benchmark.costs.taxes_due",
    ] {
        let cell = one(&html, &format!("#cost-table [data-field=\"{field}\"]"));
        let want = at(&json, field)
            .as_f64()
            .unwrap_or_else(|| panic!("{field} in the JSON"));
        assert_eq!(value(cell), want, "{field}");
    }
    let summary = common::rotor(&dir, &["run", &file, "--allow-path", &allow]);
    assert_eq!(summary.code, 0, "{}", summary.stderr);
    let years = at(&json, "tax.years").as_array().expect("tax years");
    assert!(!years.is_empty(), "krw_investor sells");
    for (i, y) in years.iter().enumerate() {
        let field = format!("tax.years.{i}.tax");
        let cell = one(&html, &format!("#cost-table [data-field=\"{field}\"]"));
        assert_eq!(Some(value(cell)), y["tax"].as_f64(), "{field}");
        // The row says what the text's line for the year says.
        let line = format!("  {}: {}", y["year"], text(cell));
        assert!(summary.stdout.lines().any(|l| l == line), "{line}\n{}", summary.stdout);
    }
}
