//! FedWatch built in (docs/FEDWATCH.md): CME's exports and fed funds futures read as they
//! come, the derived series on hand-worked dates, `rotor fedwatch`, and the diagnostics for
//! bad files. Every expected number is worked out by hand in the comments next to it.

mod common;

use common::{root, rotor};

fn fixtures() -> std::path::PathBuf {
    root().join("tests/fixtures/fedwatch")
}

/// `rotor COMMAND ARGS…` in the repository, allowed to read the fixtures (`--allow-path`):
/// they lie outside the temporary folders the strategies are written to.
fn allowed(args: &[&str]) -> common::Run {
    let fixtures = fixtures().display().to_string();
    let mut all = args.to_vec();
    all.splice(1..1, ["--allow-path", fixtures.as_str()]);
    rotor(root(), &all)
}

fn write_strategy(name: &str, body: &str) -> std::path::PathBuf {
    let dir = common::temp_dir(&format!("fedwatch-{name}"));
    let path = dir.join(format!("{name}.rotor"));
    std::fs::write(&path, body.replace("FIX", &fixtures().display().to_string())).expect("writable");
    path
}

/// The dates of a run's fills.
fn trade_dates(report: &serde_json::Value) -> Vec<String> {
    let trades = report["trades"].as_array().expect("trades");
    trades
        .iter()
        .map(|t| t["date"].as_str().expect("a date").to_owned())
        .collect()
}

/// `rotor check` on a strategy of `body` (`FIX` is the fixtures folder).
fn check(name: &str, body: &str) -> common::Run {
    let path = write_strategy(name, body);
    allowed(&["check", path.to_str().expect("utf-8")])
}

fn run_json(path: &std::path::Path) -> serde_json::Value {
    let out = allowed(&["run", path.to_str().expect("utf-8"), "--json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    serde_json::from_str(&out.stdout).expect("json")
}

/// The one-liner on two per-meeting exports loaded as a folder.
///
/// Monthly checks (first trading day of each month; the data starts 2025-07-28):
/// - 2025-07-28: the next meeting is 2025-07-30, which has no file: not available.
/// - 2025-08-01: next 2025-09-17, row 2025/8/1: below 4.25–4.50 is `(400-425)` 0.40.
/// - 2025-09-02: next 2025-09-17, latest row ≤ t is 2025/8/6: 0.90 > 0.8, buy.
/// - 2025-10-01: next 2025-10-29; after the 2025-09-17 cut the range is 4.00–4.25, so
///   `(375-400)` 0.85 + `(350-375)` 0.00 = 0.85 > 0.8, buy.
#[test]
fn the_one_liner_runs_on_cme_exports_as_they_come() {
    let path = write_strategy(
        "one_liner",
        "data \"FIX/prices/IWO.csv\"\ndata \"FIX/exports/\"\ncapital 1000 USD\nfill close\nbuy 100 USD of IWO monthly while fed_cut_prob > 0.8\n",
    );
    let dates = trade_dates(&run_json(&path));
    assert_eq!(dates, ["2025-09-02", "2025-10-01"]);
}

/// `rotor repl --data …` with `input` piped in, run from the fixtures folder.
fn repl(data: &[&str], input: &str) -> common::Run {
    use std::io::Write;
    let mut args = vec!["repl".to_owned()];
    for d in data {
        args.extend(["--data".to_owned(), (*d).to_owned()]);
    }
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_rotor"))
        .args(&args)
        .current_dir(fixtures())
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("rotor starts");
    child
        .stdin
        .take()
        .expect("piped")
        .write_all(input.as_bytes())
        .expect("the REPL reads");
    let out = child.wait_with_output().expect("the REPL ends");
    common::Run {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        code: out.status.code().unwrap_or(-1),
    }
}

/// The values the REPL prints for `queries`, one line each: a number, or `None` for `n/a`.
fn values(data: &[&str], queries: &[&str]) -> Vec<Option<f64>> {
    let out = repl(data, &(queries.join("\n") + "\n"));
    assert_eq!(out.code, 0, "{}", out.stderr);
    let lines: Vec<&str> = out.stdout.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), queries.len(), "{}", out.stdout);
    lines
        .iter()
        .map(|l| l.split_whitespace().next().and_then(|v| v.parse().ok()))
        .collect()
}

fn close(actual: Option<f64>, expected: f64) -> bool {
    actual.is_some_and(|a| (a - expected).abs() < 1e-4)
}

/// The five series on hand-worked days, from the per-meeting exports.
///
/// 2025-08-04, next meeting 2025-09-17, row 2025/8/4 against 4.25–4.50: cut `(400-425)`
/// 0.75, hold `(425-450)` 0.25, hike 0; expected 0.75·4.125 + 0.25·4.375 = 4.1875;
/// cuts priced (4.375 − 4.1875) / 0.25 = 0.75.
/// On the meeting day itself (2025-09-17) the next meeting is 2025-10-29 and the range is
/// the new 4.00–4.25; its latest row by then is 2025/9/16: `(350-375)` 0.2 + `(375-400)`
/// 0.5 = 0.7 — the 2025/9/17 row of the September file is not used.
#[test]
fn the_series_on_hand_worked_days() {
    let v = values(
        &["prices/IWO.csv", "exports/"],
        &[
            "fed_cut_prob @ 2025-08-04",
            "fed_hold_prob @ 2025-08-04",
            "fed_hike_prob @ 2025-08-04",
            "fed_expected_rate @ 2025-08-04",
            "fed_cuts_priced @ 2025-08-04",
            "fed_cut_prob @ 2025-08-05",
            "fed_cut_prob @ 2025-09-17",
            "fed_cut_prob @ 2025-07-29",
            "fed_cut_prob(meeting 2) @ 2025-08-04",
            "fed_cut_prob(by 2025-10-31) @ 2025-08-04",
            "fed_cut_prob(meeting 3) @ 2025-08-04",
        ],
    );
    assert!(close(v[0], 0.75) && close(v[1], 0.25) && close(v[2], 0.0), "{v:?}");
    assert!(close(v[3], 4.1875) && close(v[4], 0.75), "{v:?}");
    assert!(close(v[5], 0.75), "2025-08-05 has no row: the latest on or before it");
    assert!(close(v[6], 0.7), "{v:?}");
    assert_eq!(v[7], None, "the next meeting (2025-07-30) has no file: not available");
    // 2025-10-29 from 4.25–4.50 on 2025-08-04: its latest row is 2025/8/1, and every band
    // of it but `(425-450)` (0.1) is below: 0.1 + 0.3 + 0.5 = 0.9.
    assert!(close(v[8], 0.9) && close(v[9], 0.9), "{v:?}");
    assert_eq!(v[10], None, "2025-12-10 has no file");
}

/// The two-header history export and the percent variant read to the same figures.
#[test]
fn the_history_export_and_percentages() {
    let v = values(
        &["prices/IWO.csv", "history/FedMeetingHistory_20250805.csv"],
        &[
            "fed_cut_prob @ 2025-08-04",
            "fed_cut_prob(meeting 2) @ 2025-08-04",
            "fed_cut_prob(meeting 2) @ 2025-08-01",
        ],
    );
    // October on 2025-08-04: (375-400) 0.3 + (400-425) 0.5 are below 4.25–4.50.
    assert!(close(v[0], 0.75) && close(v[1], 0.8), "{v:?}");
    assert_eq!(
        v[2], None,
        "October is not priced on 2025-08-01: never September's figure"
    );
    let p = values(
        &["prices/IWO.csv", "percent/"],
        &["fed_cut_prob @ 2025-08-01", "fed_cut_prob @ 2025-08-04"],
    );
    assert!(close(p[0], 0.4) && close(p[1], 0.75), "{p:?}");
}

/// A futures history loaded with `data` gives the same series, by CME's method.
///
/// On 2025-08-01 (range 4.25–4.50; meetings 2025-09-17, 30 days with 17 at the old rate,
/// and 2025-10-29, 31 days with 29): August has no meeting, so September starts at
/// 100 − 95.67 = 4.33; it ends where October starts, solved from October's average 4.10
/// and November's 3.90: (4.10·31 − 2·3.90) / 29 = 4.1137931. September prices
/// (4.33 − 4.1137931) / 0.25 = 0.8648276 of a cut, October (4.1137931 − 3.90) / 0.25 =
/// 0.8551724. By October the range stays 4.25–4.50 only with no cut at either.
#[test]
fn a_futures_history_gives_the_same_series() {
    let oct_start = (4.10 * 31.0 - 2.0 * 3.90) / 29.0;
    let (sep, oct) = ((4.33 - oct_start) / 0.25, (oct_start - 3.90) / 0.25);
    let v = values(
        &["prices/IWO.csv", "futures/history.csv"],
        &[
            "fed_cut_prob @ 2025-08-01",
            "fed_cut_prob(meeting 2) @ 2025-08-01",
            "fed_expected_rate @ 2025-08-01",
        ],
    );
    assert!(close(v[0], sep), "{v:?}");
    assert!(close(v[1], 1.0 - (1.0 - sep) * (1.0 - oct)), "{v:?}");
    assert!(close(v[2], 4.375 - 0.25 * sep), "{v:?}");
    // The same figure from `rotor fedwatch`.
    let out = rotor(
        &fixtures(),
        &[
            "fedwatch",
            "--futures",
            "futures/history.csv",
            "--as-of",
            "2025-08-15",
            "--json",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    assert_eq!(json["as_of"], "2025-08-01", "the latest prices on or before --as-of");
    assert_eq!(
        json["meetings"][0]["cut"].as_f64(),
        Some((sep * 1000.0).round() / 1000.0)
    );
}

/// The one-liner on the futures history. 2025-08-01: 0.8648 > 0.8, buy. 2025-09-02 (range
/// still 4.25–4.50): September starts at (4.25·30 − 13·end) / 17 with end = October's start
/// (4.10·31 − 2·3.95) / 29 = 4.1103448, so 4.3567951, and prices 0.9858 of a cut: buy.
/// 2025-10-01: the October meeting's latest figures are 2025-09-02's; from the range now
/// in force, 4.00–4.25, a cut means two in the tree: 0.9858 · 0.6414 = 0.632: no buy.
#[test]
fn the_one_liner_runs_on_a_futures_history() {
    let end: f64 = (4.10 * 31.0 - 2.0 * 3.95) / 29.0;
    let start = (4.25 * 30.0 - 13.0 * end) / 17.0;
    assert!(((start - end) / 0.25 - 0.9858).abs() < 1e-4);
    let path = write_strategy(
        "futures_one_liner",
        "data \"FIX/prices/IWO.csv\"\ndata \"FIX/futures/history.csv\"\ncapital 1000 USD\nfill close\nbuy 100 USD of IWO monthly while fed_cut_prob > 0.8\n",
    );
    let dates = trade_dates(&run_json(&path));
    assert_eq!(dates, ["2025-08-01", "2025-09-02"]);
}

/// `rotor fedwatch` on a curve: the exact JSON, worked by hand (the calendar's 2026
/// meetings 07-29, 09-16, 10-28; August and November without one).
///
/// July: 31 days, 29 at the old rate. It ends at August's 3.75; its average 3.6371 gives the
/// start (3.6371·31 − 2·3.75) / 29 = 3.6293138: 0.4827 of a hike. September starts at 3.75
/// and ends where October starts: (3.90·31 − 3·4.00) / 28 = 3.8892857: 0.5571 of a hike.
/// October: (4.00 − 3.8892857) / 0.25 = 0.4429.
#[test]
fn fedwatch_json_from_a_curve() {
    let out = rotor(&fixtures(), &["fedwatch", "--futures", "futures/curve.csv", "--json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains("target range 3.50–3.75 % in force on 2026-07-14"),
        "{}",
        out.stderr
    );
    let json: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    let r = |x: f64| (x * 1000.0).round() / 1000.0;
    let p1 = (3.75 - (3.6371 * 31.0 - 2.0 * 3.75) / 29.0) / 0.25;
    let oct_start = (3.90 * 31.0 - 3.0 * 4.00) / 28.0;
    let p2 = (oct_start - 3.75) / 0.25;
    let expected = serde_json::json!({
        "as_of": "2026-07-14",
        "target": {"low": 3.5, "high": 3.75},
        "meetings": [
            {
                "date": "2026-07-29",
                "probabilities": [
                    {"low": 3.5, "high": 3.75, "probability": r(1.0 - p1)},
                    {"low": 3.75, "high": 4.0, "probability": r(p1)}
                ],
                "cut": 0.0, "hold": r(1.0 - p1), "hike": r(p1),
                "expected_rate": ((3.625 + 0.25 * p1) * 100.0).round() / 100.0,
                "approximate": false
            }
        ]
    });
    assert_eq!(json["as_of"], expected["as_of"]);
    assert_eq!(json["target"], expected["target"]);
    assert_eq!(json["meetings"][0], expected["meetings"][0]);
    let sep = &json["meetings"][1];
    assert_eq!(sep["date"], "2026-09-16");
    assert_eq!(
        sep["probabilities"][0]["probability"].as_f64(),
        Some(r((1.0 - p1) * (1.0 - p2)))
    );
    assert_eq!(sep["probabilities"][2]["probability"].as_f64(), Some(r(p1 * p2)));
    assert_eq!(
        json["meetings"].as_array().map(Vec::len),
        Some(3),
        "December needs January's contract"
    );
    // The table shows the same.
    let table = rotor(&fixtures(), &["fedwatch", "--futures", "futures/curve.csv"]);
    assert!(table.stdout.contains("2026-07-29"), "{}", table.stdout);
    assert!(
        table.stdout.contains(&format!("{:.1}%", 100.0 * p1)),
        "{}",
        table.stdout
    );
}

/// Where the prices run out, a meeting is priced by the fallback: the output marks it and
/// says why. The curve stops at September 2026: September's meeting (16th, 30 days) starts
/// at August's 3.75, and its end, which CME takes from October's contract, is solved from
/// September's own average 3.80: (3.80·30 − 16·3.75) / 14 = 3.857143, 0.4286 of a hike.
#[test]
fn fedwatch_marks_a_meeting_priced_by_the_fallback() {
    let dir = common::temp_dir("fedwatch-fallback");
    let curve = "contract_symbol,contract_month,contract_year,close_price,as_of_date\n\
                 ZQN26,7,2026,96.3629,2026-07-14\nZQQ26,8,2026,96.2500,2026-07-14\nZQU26,9,2026,96.2000,2026-07-14\n";
    std::fs::write(dir.join("curve.csv"), curve).expect("writable");
    let out = rotor(&dir, &["fedwatch", "--futures", "curve.csv", "--json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    assert_eq!(json["meetings"][0]["approximate"], false);
    assert_eq!(json["meetings"][1]["date"], "2026-09-16");
    assert_eq!(json["meetings"][1]["approximate"], true);
    // Against the range in force (3.50–3.75), September's "hike" is every path with at
    // least one hike: 1 − (1 − July's 0.4827)(1 − September's 0.4286).
    let july: f64 = (3.75 - (3.6371 * 31.0 - 2.0 * 3.75) / 29.0) / 0.25;
    let september: f64 = ((3.80 * 30.0 - 16.0 * 3.75) / 14.0 - 3.75) / 0.25;
    assert!((september - 0.428571).abs() < 1e-6);
    let hike = 1.0 - (1.0 - july) * (1.0 - september);
    assert_eq!(
        json["meetings"][1]["hike"].as_f64(),
        Some((hike * 1000.0).round() / 1000.0)
    );
    assert!(
        out.stderr.contains("2026-09-16 marked * is approximate")
            && out.stderr.contains("the file's last contract is 2026-09"),
        "{}",
        out.stderr
    );
    let table = rotor(&dir, &["fedwatch", "--futures", "curve.csv"]);
    assert!(table.stdout.contains("2026-09-16 *"), "{}", table.stdout);
    assert!(!table.stdout.contains("2026-07-29 *"), "{}", table.stdout);
}

/// `--target` takes a 25 bp range on the quarter-point grid; another width would give
/// overlapping bands, and a range other than the one in force is said to differ.
#[test]
fn fedwatch_target_is_a_quarter_point_range() {
    for bad in ["3.50-4.00", "3.60-3.85", "3.50-3.50", "3.50"] {
        let out = rotor(
            &fixtures(),
            &["fedwatch", "--futures", "futures/curve.csv", "--target", bad],
        );
        assert_ne!(out.code, 0, "{bad}: {}", out.stdout);
        assert!(out.stderr.contains("25 bp range"), "{bad}: {}", out.stderr);
    }
    let out = rotor(
        &fixtures(),
        &["fedwatch", "--futures", "futures/curve.csv", "--target", "0-0.25"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("rotor's history has 3.50–3.75 % in force on 2026-07-14, not the range given"),
        "{}",
        out.stderr
    );
    let same = rotor(
        &fixtures(),
        &["fedwatch", "--futures", "futures/curve.csv", "--target", "3.50-3.75"],
    );
    assert!(!same.stderr.contains("not the range given"), "{}", same.stderr);
}

#[test]
fn fedwatch_options() {
    // --target: the tree starts from 3.75–4.00, so July ends there or a step above.
    let out = rotor(
        &fixtures(),
        &[
            "fedwatch",
            "--futures",
            "futures/curve.csv",
            "--target",
            "3.75-4.00",
            "--json",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stderr.contains("(--target)"), "{}", out.stderr);
    let json: serde_json::Value = serde_json::from_str(&out.stdout).expect("json");
    assert_eq!(json["target"]["low"], 3.75);
    assert_eq!(json["meetings"][0]["probabilities"][0]["low"], 3.75);
    assert_eq!(json["meetings"][0]["probabilities"][1]["low"], 4.0);
    // --meetings: a meeting added in August 2026 changes the chain.
    let dir = common::temp_dir("fedwatch-meetings");
    let file = dir.join("extra.csv");
    std::fs::write(&file, "date,meeting,target_low,target_high\n2026-08-19,scheduled,,\n").expect("writable");
    let out = rotor(
        &fixtures(),
        &[
            "fedwatch",
            "--futures",
            "futures/curve.csv",
            "--meetings",
            file.to_str().expect("utf-8"),
            "--json",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("2026-08-19"), "{}", out.stdout);
    // --as-of before any price.
    let out = rotor(
        &fixtures(),
        &["fedwatch", "--futures", "futures/history.csv", "--as-of", "2025-07-01"],
    );
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("rotor::fedwatch::no_prices"), "{}", out.stderr);
    assert!(out.stderr.contains("2025-08-01"), "{}", out.stderr);
    // Not a futures file.
    let out = rotor(&fixtures(), &["fedwatch", "--futures", "prices/IWO.csv"]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("rotor::fedwatch::not_futures"), "{}", out.stderr);
}

/// Barchart's contract list (`barchart/contracts.csv`, hand-written in Barchart's shape):
/// the prices of `futures/curve.csv` on 2026-07-14, a Tuesday, plus the expired May and
/// June contracts, three rows traded in the session open at the download (a time of day),
/// the others dated earlier, and the footer "Downloaded from Barchart.com as of 07-14-2026
/// 04:10pm CDT" (month first). So the prices are taken as of 2026-07-14, and the outlook is
/// the one of the same prices written as a curve (`barchart/contracts_as_curve.csv`):
/// July 0.4827 of a hike (worked in `fedwatch_json_from_a_curve`), 51.7 % hold.
#[test]
fn fedwatch_reads_barchart_contract_lists() {
    for json in [false, true] {
        let args = |file: &str| {
            let mut a = vec!["fedwatch", "--futures", file];
            if json {
                a.push("--json");
            }
            rotor(&fixtures().join("barchart"), &a)
        };
        let list = args("contracts.csv");
        let curve = args("contracts_as_curve.csv");
        assert_eq!(list.code, 0, "{}", list.stderr);
        assert_eq!(curve.code, 0, "{}", curve.stderr);
        assert_eq!(
            list.stdout.replace("contracts.csv", "FILE"),
            curve.stdout.replace("contracts_as_curve.csv", "FILE"),
            "the same prices give the same outlook"
        );
        if json {
            let v: serde_json::Value = serde_json::from_str(&list.stdout).expect("json");
            assert_eq!(v["as_of"], "2026-07-14");
            assert_eq!(v["meetings"][0]["hold"], 0.517);
        } else {
            assert!(
                list.stdout.contains("FedWatch from fed funds futures, 2026-07-14"),
                "{}",
                list.stdout
            );
            assert!(list.stdout.contains("51.7%"), "{}", list.stdout);
        }
        // Under the notes: which day and why, and the footer skipped.
        assert!(
            list.stderr.contains(
                "note: contracts.csv: prices taken as of 2026-07-14 (Tuesday), the download day in Barchart's footer \
                 (\"as of 07-14-2026 04:10pm CDT\", month first): 3 of its 7 prices are trades in the session open at the download"
            ),
            "{}",
            list.stderr
        );
        assert!(
            list.stderr.contains(
                "note: contracts.csv: skipped the last line, Barchart's footer: Downloaded from Barchart.com as of 07-14-2026 04:10pm CDT"
            ),
            "{}",
            list.stderr
        );
    }
    // The list is one day's latest prices: an earlier day is refused, not answered with them.
    let earlier = rotor(
        &fixtures().join("barchart"),
        &["fedwatch", "--futures", "contracts.csv", "--as-of", "2026-07-13"],
    );
    assert_eq!(earlier.code, 1, "{}", earlier.stdout);
    assert!(
        earlier.stderr.contains("rotor::fedwatch::not_history"),
        "{}",
        earlier.stderr
    );
    assert!(
        earlier
            .stderr
            .contains("holds the latest prices as of 2026-07-14, not a history")
            && earlier.stderr.contains("give 2026-07-14 or later"),
        "{}",
        earlier.stderr
    );
    // The day itself, or later (the latest prices on or before it), as for a curve.
    let later = rotor(
        &fixtures().join("barchart"),
        &["fedwatch", "--futures", "contracts.csv", "--as-of", "2026-07-20"],
    );
    assert_eq!(later.code, 0, "{}", later.stderr);
    assert!(later.stdout.contains("2026-07-14"), "{}", later.stdout);

    let text = std::fs::read_to_string(fixtures().join("barchart/contracts.csv")).expect("the fixture");
    let dir = common::temp_dir("fedwatch-barchart");
    let write = |name: &str, body: &str| {
        let path = dir.join(name);
        std::fs::write(&path, body).expect("writable");
        path.display().to_string()
    };
    // Without the footer, a time of day names no day: an error at the cell.
    let body: String = text
        .lines()
        .filter(|l| !l.contains("Downloaded"))
        .map(|l| format!("{l}\n"))
        .collect();
    let no_footer = rotor(&dir, &["fedwatch", "--futures", &write("no_footer.csv", &body)]);
    assert_eq!(no_footer.code, 1, "{}", no_footer.stdout);
    assert!(
        no_footer
            .stderr
            .contains("`14:59 CT` is a time of day, and the file has no Barchart footer saying which day"),
        "{}",
        no_footer.stderr
    );
    // No trade in the session: the latest date under Time, the footer's day said unused.
    let body = text
        .replace("\"14:59 CT\"", "2026-07-13")
        .replace("\"15:02 CT\"", "2026-07-13")
        .replace("\"13:45 CT\"", "2026-07-10");
    let dated = rotor(&dir, &["fedwatch", "--futures", &write("dated.csv", &body)]);
    assert_eq!(dated.code, 0, "{}", dated.stderr);
    assert!(
        dated.stdout.contains("FedWatch from fed funds futures, 2026-07-13"),
        "{}",
        dated.stdout
    );
    assert!(
        dated.stderr.contains(
            "prices taken as of 2026-07-13 (Monday), the latest date under Time (the footer's download day, 2026-07-14, saw no trade)"
        ),
        "{}",
        dated.stderr
    );
    // A footer whose date is not month first (13 is no month) is an error, not a guess.
    let body = text.replace("07-14-2026", "14-07-2026");
    let bad = rotor(&dir, &["fedwatch", "--futures", &write("bad_footer.csv", &body)]);
    assert_eq!(bad.code, 1, "{}", bad.stdout);
    assert!(
        bad.stderr.contains("cannot read the download day in Barchart's footer"),
        "{}",
        bad.stderr
    );
}

/// A meeting the bundled calendar lacks loads once a calendar file adds it, whichever file
/// is read first (the folder reads `FedMeeting_…` before `meetings.csv`).
#[test]
fn a_calendar_file_adds_meetings() {
    let out = check(
        "calendar",
        "data \"FIX/prices/IWO.csv\"\ndata \"FIX/calendar/\"\nbuy IWO monthly while fed_cut_prob > 0.8\n",
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let out = check(
        "no_calendar",
        "data \"FIX/prices/IWO.csv\"\ndata \"FIX/calendar/FedMeeting_20280315.csv\"\nbuy IWO monthly while fed_cut_prob > 0.8\n",
    );
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("rotor::fedwatch::unknown_meeting"),
        "{}",
        out.stderr
    );
}

/// `rotor check` on a strategy whose data is `bad`: its diagnostic.
fn check_with(bad: &str) -> common::Run {
    let path = write_strategy(
        "bad",
        &format!("data \"FIX/prices/IWO.csv\"\ndata \"FIX/bad/{bad}\"\nbuy IWO monthly while fed_cut_prob > 0.8\n"),
    );
    let out = allowed(&["check", path.to_str().expect("utf-8")]);
    assert_eq!(out.code, 1, "{}", out.stdout);
    out
}

/// Each bad input: its code, where it points (file:line:column) and its hint.
#[test]
fn bad_input_is_a_located_diagnostic_with_a_hint() {
    let cases: [(common::Run, &str, &str, &str); 6] = [
        (
            check_with("band/"),
            "bad_band",
            "FedMeeting_20250917.csv:1:16",
            "(400-425)",
        ),
        (
            check_with("sum/"),
            "bad_sum",
            "FedMeeting_20250917.csv:3:10",
            "add up to 1",
        ),
        (
            check_with("meeting/"),
            "unknown_meeting",
            "FedMeeting_20250918.csv:1:1",
            "2025-09-17",
        ),
        (
            check_with("nodate/"),
            "no_meeting_date",
            "export.csv:1:1",
            "FedMeeting_20250917.csv",
        ),
        (
            rotor(&fixtures(), &["fedwatch", "--futures", "bad/contract.csv"]),
            "bad_contract",
            "contract.csv:3:12",
            "`ZQN26` is July 2026",
        ),
        (
            rotor(&fixtures(), &["fedwatch", "--futures", "bad/price.csv"]),
            "bad_price",
            "price.csv:3:14",
            "between 80 and 100",
        ),
    ];
    for (out, code, at, hint) in cases {
        assert_eq!(out.code, 1, "{code}");
        assert!(
            out.stderr.contains(&format!("rotor::fedwatch::{code}")),
            "{code}: {}",
            out.stderr
        );
        assert!(out.stderr.contains(at), "{code} at {at}: {}", out.stderr);
        assert!(
            out.stderr.replace('\n', " ").contains(hint),
            "{code} hint: {}",
            out.stderr
        );
        assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
    }
}

#[test]
fn a_fedwatch_file_cannot_be_renamed() {
    let path = write_strategy(
        "alias",
        "data \"FIX/prices/IWO.csv\"\ndata \"FIX/exports/FedMeeting_20250917.csv\" as CUT\nbuy IWO monthly while fed_cut_prob > 0.8\n",
    );
    let out = allowed(&["check", path.to_str().expect("utf-8")]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("rotor::fedwatch::alias"), "{}", out.stderr);
}

/// A later meeting's series needs FedWatch data: with a plain `fed_cut_prob` column (the
/// bundled sample) it is an error, not a series that is never available.
#[test]
fn a_meeting_selector_without_fedwatch_data_is_an_error() {
    let path = write_strategy("selector", "buy IWO monthly while fed_cut_prob(meeting 2) > 0.8\n");
    let out = allowed(&["check", path.to_str().expect("utf-8")]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("`fed_cut_prob(meeting 2)` needs FedWatch data"),
        "{}",
        out.stderr
    );
    let path = write_strategy("selector_sma", "buy IWO monthly while sma(meeting 2) > 0.8\n");
    let out = allowed(&["check", path.to_str().expect("utf-8")]);
    assert!(out.stderr.contains("`sma` takes no meeting"), "{}", out.stderr);
}

/// `fomc "FILE"` adds to and corrects the bundled calendar and target ranges (fixtures in
/// `fomc/`): a meeting on 2026-11-18, and the 2026-09-16 decision as 3.25–3.50 (rotor's
/// history holds 3.50–3.75 until it knows better).
///
/// On 2026-11-02 the next meeting is the added 2026-11-18 one; its row of that day against
/// 3.25–3.50: cut `(300-325)` 0.25, hold `(325-350)` 0.75, expected rate
/// 0.25·3.125 + 0.75·3.375 = 3.3125, cuts priced (3.375 − 3.3125) / 0.25 = 0.25. On
/// 2026-11-04 (no row) the latest row is 2026/11/3's: cut 0.4.
#[test]
fn a_fomc_line_adds_meetings_and_decisions() {
    let statements = [
        "fomc \"fomc/meetings.csv\"",
        "data \"fomc/IWO.csv\"",
        "data \"fomc/FedMeeting_20261118.csv\"",
    ];
    let queries = [
        "fed_cut_prob @ 2026-11-02",
        "fed_hold_prob @ 2026-11-02",
        "fed_expected_rate @ 2026-11-02",
        "fed_cuts_priced @ 2026-11-02",
        "fed_cut_prob @ 2026-11-04",
    ];
    let input = format!("{}\n{}\n", statements.join("\n"), queries.join("\n"));
    let out = repl(&[], &input);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let lines: Vec<&str> = out.stdout.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), statements.len() + queries.len(), "{}", out.stdout);
    assert_eq!(lines[0], "added 1: fomc \"fomc/meetings.csv\"");
    let v: Vec<Option<f64>> = lines[statements.len()..]
        .iter()
        .map(|l| l.split_whitespace().next().and_then(|v| v.parse().ok()))
        .collect();
    assert!(close(v[0], 0.25) && close(v[1], 0.75), "{v:?}");
    assert!(close(v[2], 3.3125) && close(v[3], 0.25), "{v:?}");
    assert!(close(v[4], 0.4), "{v:?}");

    // In a strategy, wherever the line is: buys on 2026-11-03 and 11-04 (cut 0.4 > 0.3),
    // not on 11-02 (0.25).
    let body = "data \"FIX/fomc/IWO.csv\"\ndata \"FIX/fomc/FedMeeting_20261118.csv\"\nfomc \"FIX/fomc/meetings.csv\"\n\
                capital 1000 USD\nfill close\nbuy 100 USD of IWO daily while fed_cut_prob > 0.3\n";
    let path = write_strategy("fomc", body);
    assert_eq!(trade_dates(&run_json(&path)), ["2026-11-03", "2026-11-04"]);
    let out = allowed(&["run", path.to_str().expect("utf-8")]);
    assert!(
        out.stdout
            .contains("from 2026-10-28 on the fed_* series take the range as still 3.25–3.50 %"),
        "the history now ends with the file's decision: {}",
        out.stdout
    );

    // Without the line the export's meeting is unknown, and the hint names `fomc`.
    let out = check(
        "no_fomc",
        "data \"FIX/fomc/IWO.csv\"\ndata \"FIX/fomc/FedMeeting_20261118.csv\"\nbuy IWO daily while fed_cut_prob > 0.3\n",
    );
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("unknown_meeting"), "{}", out.stderr);
    assert!(
        flat(&out.stderr).contains("`2026-11-18,scheduled`) and load it with `fomc \"FILE\"`"),
        "{}",
        out.stderr
    );
}

/// A `fomc` line, or `rotor fedwatch --meetings`, naming a file that is not a calendar file:
/// an error at its header, even for a FedWatch export (which `data` would load).
#[test]
fn a_fomc_file_must_be_a_calendar_file() {
    let from_line = check(
        "fomc_export",
        "data \"FIX/fomc/IWO.csv\"\nfomc \"FIX/fomc/FedMeeting_20261118.csv\"\nbuy IWO daily while fed_cut_prob > 0.3\n",
    );
    let from_flag = rotor(
        &fixtures(),
        &[
            "fedwatch",
            "--futures",
            "futures/curve.csv",
            "--meetings",
            "fomc/IWO.csv",
        ],
    );
    for (out, at) in [(from_line, "FedMeeting_20261118.csv:1:1"), (from_flag, "IWO.csv:1:1")] {
        assert_eq!(out.code, 1, "{}", out.stdout);
        assert!(out.stderr.contains("rotor::fedwatch::not_calendar"), "{}", out.stderr);
        assert!(out.stderr.contains("is not an FOMC"), "{}", out.stderr);
        assert!(out.stderr.contains(at), "{at}: {}", out.stderr);
        assert!(
            flat(&out.stderr).contains("a calendar file's header is `date,meeting,target_low,target_high`"),
            "{}",
            out.stderr
        );
    }
}

/// `text` with every run of whitespace as one space (miette wraps long hints).
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A calendar file is no market data: with no `data` line the bundled sample is used, and
/// with no FedWatch export or futures the calendar changes nothing, which the report says
/// (the sample's own `fed_cut_prob` is a plain column, not FedWatch's).
#[test]
fn a_fomc_line_without_fedwatch_data_changes_nothing_and_says_so() {
    let path = write_strategy(
        "fomc_alone",
        "fomc \"FIX/fomc/meetings.csv\"\nbuy IWO monthly while fed_cut_prob > 0.8\n",
    );
    let out = allowed(&["run", path.to_str().expect("utf-8")]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("bundled SYNTHETIC sample data"), "{}", out.stdout);
    assert!(
        flat(&out.stdout)
            .contains("no CME FedWatch export or fed funds futures file is loaded, so the FOMC calendar file "),
        "{}",
        out.stdout
    );
    assert!(
        flat(&out.stdout).contains("fomc/meetings.csv changes nothing"),
        "{}",
        out.stdout
    );
}

/// FedWatch's notes under Assumed say how the `fed_*` series are made: a run that reads
/// none of them (the exports loaded all the same, as a folder's files are) shows none of
/// them, and a run that reads `fed_cut_prob` does.
#[test]
fn the_fedwatch_notes_appear_only_when_a_fed_series_is_used() {
    let unused = write_strategy(
        "notes_unused",
        "data \"FIX/prices/IWO.csv\"\ndata \"FIX/exports/\"\ncapital 1000 USD\nfill close\nbuy 100 USD of IWO monthly\n",
    );
    let used = write_strategy(
        "notes_used",
        "data \"FIX/prices/IWO.csv\"\ndata \"FIX/exports/\"\ncapital 1000 USD\nfill close\nbuy 100 USD of IWO monthly while fed_cut_prob > 0.8\n",
    );
    let notes = |path: &std::path::Path| -> Vec<String> {
        let report = run_json(path);
        let notes = report["data"]["notes"].as_array().expect("data notes");
        notes.iter().map(|n| n.as_str().expect("a note").to_owned()).collect()
    };
    let fedwatch = |notes: &[String]| notes.iter().filter(|n| n.starts_with("FedWatch:")).count();
    assert_eq!(fedwatch(&notes(&unused)), 0, "{:?}", notes(&unused));
    assert!(fedwatch(&notes(&used)) > 0, "{:?}", notes(&used));
    // A series of another meeting, by a selector, is a FedWatch series too.
    let selected = write_strategy(
        "notes_selected",
        "data \"FIX/prices/IWO.csv\"\ndata \"FIX/exports/\"\ncapital 1000 USD\nfill close\nbuy 100 USD of IWO monthly while fed_cut_prob(meeting 2) > 0.8\n",
    );
    assert!(fedwatch(&notes(&selected)) > 0, "{:?}", notes(&selected));
}

/// `--as-of` well after the file's last prices: the answer is the old prices, said.
#[test]
fn fedwatch_says_when_the_prices_are_older_than_the_day_asked() {
    let out = rotor(
        &fixtures(),
        &["fedwatch", "--futures", "futures/curve.csv", "--as-of", "2026-08-31"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains(
            "--as-of 2026-08-31: the file's latest prices on or before it are from 2026-07-14, 48 days earlier"
        ),
        "{}",
        out.stderr
    );
    // A day or two later (a weekend) says nothing.
    let near = rotor(
        &fixtures(),
        &["fedwatch", "--futures", "futures/curve.csv", "--as-of", "2026-07-16"],
    );
    assert!(!near.stderr.contains("days earlier"), "{}", near.stderr);
}
