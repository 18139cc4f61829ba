//! docs/DATA.md's claims, through the command line: downloads in their own formats run.

mod common;

use common::{root, rotor};

fn write_strategy(name: &str, body: &str) -> std::path::PathBuf {
    let dir = common::temp_dir(&format!("import-{name}"));
    let path = dir.join(format!("{name}.rotor"));
    std::fs::write(
        &path,
        body.replace("FIX", &root().join("tests/fixtures/data").display().to_string()),
    )
    .expect("writable");
    path
}

fn run_json(path: &std::path::Path) -> serde_json::Value {
    let out = rotor(
        root(),
        &["run", "--allow-path", ".", path.to_str().expect("utf-8"), "--json"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    serde_json::from_str(&out.stdout).expect("json")
}

#[test]
fn a_yahoo_export_and_a_fred_download() {
    let path = write_strategy(
        "yahoo_fred",
        "data \"FIX/yahoo/IWO.csv\"\ndata \"FIX/fred/DFF.csv\"\ncapital 1000 USD\nfill close\nbuy IWO once on 2016-04-28\n",
    );
    let v = run_json(&path);
    assert_eq!(v["holdings"][0]["symbol"], "IWO");
    assert!(
        v["assumptions"]
            .as_array()
            .expect("list")
            .iter()
            .any(|a| a.as_str().is_some_and(|s| s.contains("adj_close")))
    );
}

#[test]
fn a_stooq_file_renamed_with_as() {
    let path = write_strategy(
        "stooq",
        "data \"FIX/stooq/SPY.csv\" as SPYX\ncapital 1000 USD\nbuy SPYX daily\n",
    );
    let v = run_json(&path);
    assert_eq!(v["holdings"][0]["symbol"], "SPYX");
}

#[test]
fn an_alpha_vantage_file_newest_first() {
    let path = write_strategy(
        "av",
        "data \"FIX/alphavantage/IWM.csv\"\ncapital 1000 USD\nbuy IWM daily\n",
    );
    let v = run_json(&path);
    assert!(v["metrics"]["start"].as_str() < v["metrics"]["end"].as_str());
}

#[test]
fn a_broken_csv_points_at_the_cell() {
    let path = write_strategy("bad", "data \"FIX/bad/not_a_number.csv\"\nbuy IWO daily\n");
    let out = rotor(root(), &["run", "--allow-path", ".", path.to_str().expect("utf-8")]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("rotor::data::not_a_number"), "{}", out.stderr);
    assert!(out.stderr.contains("not_a_number.csv:"), "{}", out.stderr);
}
