//! The HTML reports in a real browser: headless Chromium (Debian's `chromium`) loads each
//! page from a file, offline, and the test fails on any console message (a script error,
//! or report.js saying a chart had nothing to draw) or on a chart that did not draw.
//!
//! Without Chromium the tests say they were skipped and pass, unless
//! `ROTOR_REQUIRE_BROWSER=1` (set by .ci/run, which installs Chromium when missing).
//! `ROTOR_CHROMIUM=/path/to/chrome` picks the browser. Screenshots go to the test's
//! temporary folder; with `ROTOR_SCREENSHOTS=DIR` (docs/images when refreshing
//! docs/REPORT.md) they go there.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use scraper::{Html, Selector};

/// The browser, or `None` (after saying so) when there is none and none is required.
fn chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("ROTOR_CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    let found = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]
        .iter()
        .find_map(|name| {
            std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
                .map(|dir| dir.join(name))
                .find(|p| p.is_file())
        });
    if found.is_none() {
        assert!(
            std::env::var_os("ROTOR_REQUIRE_BROWSER").is_none(),
            "ROTOR_REQUIRE_BROWSER is set but no chromium was found (apt-get install chromium)"
        );
        eprintln!("SKIPPED: no chromium on PATH; the reports were not checked in a browser");
    }
    found
}

/// Runs the browser on `page` with `args`, at most two minutes; its stdout and stderr.
fn browse(browser: &Path, page: &Path, args: &[&str]) -> (String, String) {
    let profile = common::temp_dir("chromium-profile");
    let url = format!("file://{}", page.display());
    // Files, not pipes: the DOM of a page is about a megabyte, more than a pipe holds while
    // nobody reads it, and the browser would wait for ever.
    let (out_path, err_path) = (profile.join("stdout"), profile.join("stderr"));
    let file = |p: &Path| std::fs::File::create(p).expect("a file for the browser's output");
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(["--enable-logging=stderr", "--v=0", "--window-size=1280,2000"])
        .args(args)
        .arg(&url)
        .stdin(Stdio::null())
        .stdout(file(&out_path))
        .stderr(file(&err_path))
        .spawn()
        .expect("the browser starts");
    let deadline = Instant::now() + Duration::from_secs(120);
    while child.try_wait().expect("waitable").is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the browser did not finish with {url} in two minutes");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let read = |p: &Path| String::from_utf8_lossy(&std::fs::read(p).unwrap_or_default()).into_owned();
    let output = (read(&out_path), read(&err_path));
    // A browser profile is a few megabytes; nothing in it is needed after the run.
    let _ = std::fs::remove_dir_all(&profile);
    output
}

/// Loads `page`, fails on a console message or an empty chart, and takes a screenshot
/// named `name`. Returns how many charts drew.
fn check_page(browser: &Path, page: &Path, name: &str) -> usize {
    let (dom, log) = browse(browser, page, &["--dump-dom"]);
    let console: Vec<&str> = log.lines().filter(|l| l.contains(":CONSOLE")).collect();
    assert!(console.is_empty(), "{name}: the console says\n{}", console.join("\n"));
    let html = Html::parse_document(&dom);
    let sel = |s: &str| Selector::parse(s).expect("valid");
    let body = html.select(&sel("body")).next().expect("a body");
    let drawn: usize = (body.value().attr("data-charts-drawn"))
        .unwrap_or_else(|| panic!("{name}: report.js did not finish\n{log}"))
        .parse()
        .expect("a count");
    let charts: Vec<_> = html.select(&sel("div.chart")).collect();
    assert_eq!(drawn, charts.len(), "{name}: every chart element has a chart");
    for chart in charts {
        let id = chart.value().attr("id").unwrap_or("?");
        let points: usize = chart
            .value()
            .attr("data-points")
            .unwrap_or("0")
            .parse()
            .expect("a count");
        assert!(points > 0, "{name}: chart {id} drew nothing");
        assert!(
            chart.select(&sel("canvas")).next().is_some(),
            "{name}: chart {id} has no canvas"
        );
    }
    let dir = std::env::var_os("ROTOR_SCREENSHOTS")
        .map_or_else(|| page.parent().expect("a folder").to_path_buf(), PathBuf::from);
    let shot = dir.join(format!("{name}.png"));
    let arg = format!("--screenshot={}", shot.display());
    browse(browser, page, &[&arg]);
    let png = std::fs::read(&shot).unwrap_or_else(|_| panic!("{name}: no screenshot at {}", shot.display()));
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    drawn
}

/// `rotor ARGS…` in a fresh folder, with the repository readable; the folder.
fn rotor(args: &[&str]) -> PathBuf {
    let dir = common::temp_dir("browser");
    let root = common::root().display().to_string();
    let mut all: Vec<&str> = args.to_vec();
    all.extend(["--allow-path", &root]);
    let out = common::rotor(&dir, &all);
    assert_eq!(out.code, 0, "{}", out.stderr);
    dir
}

fn strategy(name: &str) -> String {
    common::root().join("strategies").join(name).display().to_string()
}

#[test]
fn the_seed_strategies_reports_draw_every_chart() {
    let Some(browser) = chromium() else { return };
    // The seed comparisons, each a strategy with its benchmark.
    for (file, name) in [
        ("rate_cut_dca.rotor", "report-rate-cut-dca"),
        ("fee_drag.rotor", "report-fee-drag"),
        ("growth_value_balance.rotor", "report-growth-value"),
        ("midcap_ballast.rotor", "report-midcap-ballast"),
        ("lump_sum_vs_dca.rotor", "report-lump-sum-vs-dca"),
    ] {
        let dir = rotor(&["run", &strategy(file), "--report", "r.html"]);
        let drawn = check_page(&browser, &dir.join("r.html"), name);
        // Equity, underwater, years, three rolling, allocation, at least one price.
        assert!(drawn >= 8, "{name}: {drawn} charts");
    }
}

#[test]
fn a_short_run_and_a_comparison_and_a_sweep_load_without_errors() {
    let Some(browser) = chromium() else { return };
    let dir = common::temp_dir("browser-short");
    std::fs::copy(
        common::root().join("tests/fixtures/report/trips.csv"),
        dir.join("trips.csv"),
    )
    .expect("copied");
    std::fs::write(
        dir.join("s.rotor"),
        "data \"trips.csv\"\ncapital 1000 USD\nbuy AAA once on 2024-01-02 while close(AAA) > 5\nsell all AAA once on 2024-03-01\n",
    )
    .expect("writable");
    let out = common::rotor(&dir, &["run", "s.rotor", "--report", "r.html"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    // Less than a year: no rolling charts, and nothing empty drawn.
    assert_eq!(check_page(&browser, &dir.join("r.html"), "report-short"), 6);

    let dir = rotor(&[
        "compare",
        &strategy("rate_cut_dca.rotor"),
        &strategy("rate_cut_always.rotor"),
        &strategy("fee_drag.rotor"),
        &strategy("lump_sum_vs_dca.rotor"),
        "--report",
        "c.html",
    ]);
    assert_eq!(check_page(&browser, &dir.join("c.html"), "compare"), 2);

    let short = common::temp_dir("browser-sweep");
    std::fs::copy(
        common::root().join("tests/fixtures/report/trips.csv"),
        short.join("trips.csv"),
    )
    .expect("copied");
    std::fs::write(
        short.join("s.rotor"),
        "data \"trips.csv\"\ncapital 1000 USD\nlet level = 5\nbuy AAA once on 2024-01-02 while close(AAA) > level\n",
    )
    .expect("writable");
    let out = common::rotor(
        &short,
        &["sweep", "s.rotor", "--vary", "level=5,10,15", "--report", "sw.html"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(check_page(&browser, &short.join("sw.html"), "sweep"), 0);
}
