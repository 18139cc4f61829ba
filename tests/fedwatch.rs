//! FedWatch built in (docs/FEDWATCH.md): CME's exports and fed funds futures read as they
//! come, the derived series on hand-worked dates, `rotor fedwatch`, and the diagnostics for
//! bad files. Every expected number is worked out by hand in the comments next to it.

mod common;

use common::{root, rotor};

fn fixtures() -> std::path::PathBuf {
    root().join("tests/fixtures/fedwatch")
}

fn write_strategy(name: &str, body: &str) -> std::path::PathBuf {
    let dir = common::temp_dir(&format!("fedwatch-{name}"));
    let path = dir.join(format!("{name}.rotor"));
    std::fs::write(&path, body.replace("FIX", &fixtures().display().to_string())).expect("writable");
    path
}

fn run_json(path: &std::path::Path) -> serde_json::Value {
    let out = rotor(root(), &["run", path.to_str().expect("utf-8"), "--json"]);
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
    let v = run_json(&path);
    let dates: Vec<&str> = v["trades"]
        .as_array()
        .expect("trades")
        .iter()
        .map(|t| t["date"].as_str().expect("a date"))
        .collect();
    assert_eq!(dates, ["2025-09-02", "2025-10-01"]);
}
