//! Issue 11.13: `sweep --merge` accepted shards made with a different `--vary` grid, period
//! or strategy and printed a wrong table with exit 0. Every shard now carries a fingerprint
//! and a mismatch is a diagnostic naming the field.

use super::*;

const CSV: &[u8] = b"date,close\n2024-01-02,10\n2024-01-03,11\n2024-02-01,12\n2024-03-01,13\n";

fn sweep_folder(label: &str) -> std::path::PathBuf {
    folder(
        label,
        &[
            (
                "s.rotor",
                b"data \"IWO.csv\"\nlet t = 0\nbuy IWO monthly while close(IWO) > t\n",
            ),
            (
                "other.rotor",
                b"data \"IWO.csv\"\nlet t = 0\nbuy IWO monthly while close(IWO) < t\n",
            ),
            ("IWO.csv", CSV),
        ],
    )
}

/// Runs one shard into `name` and returns its JSON.
fn shard(dir: &Path, name: &str, args: &[&str]) -> String {
    let out = rotor(dir, &[&["sweep", "--json"], args].concat());
    assert_eq!(out.code, 0, "{}", out.stderr);
    std::fs::write(dir.join(name), &out.stdout).expect("writable");
    out.stdout
}

#[test]
fn shards_of_one_sweep_merge() {
    let dir = sweep_folder("shards-ok");
    shard(&dir, "a.json", &["s.rotor", "--vary", "t=0,5", "--shard", "1/2"]);
    shard(&dir, "b.json", &["s.rotor", "--vary", "t=0,5", "--shard", "2/2"]);
    let out = rotor(&dir, &["sweep", "s.rotor", "--merge", "a.json", "b.json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("2 variants"), "{}", out.stdout);
}

#[test]
fn shards_that_differ_are_refused_naming_the_field() {
    let cases: [(&str, &[&str], &[&str]); 3] = [
        (
            "grid",
            &["s.rotor", "--vary", "t=0,5", "--shard", "1/2", "--lenient"],
            &["s.rotor", "--vary", "t=1,6", "--shard", "2/2", "--lenient"],
        ),
        (
            "strategy and scripts",
            &["s.rotor", "--vary", "t=0,5", "--shard", "1/2", "--lenient"],
            &["other.rotor", "--vary", "t=0,5", "--shard", "2/2", "--lenient"],
        ),
        (
            "options",
            &["s.rotor", "--vary", "t=0,5", "--shard", "1/2", "--lenient"],
            &["s.rotor", "--vary", "t=0,5", "--shard", "2/2", "--script-time", "3"],
        ),
    ];
    for (field, a, b) in cases {
        let dir = sweep_folder("shards-differ");
        shard(&dir, "a.json", a);
        shard(&dir, "b.json", b);
        let out = rotor(&dir, &["sweep", "s.rotor", "--merge", "a.json", "b.json"]);
        assert_diagnostic(&out, "rotor::sweep::shard_mismatch");
        assert!(
            out.stderr.contains(&format!("their {field} differ")),
            "{field}: {}",
            cut(&out.stderr)
        );
        assert!(out.stdout.is_empty(), "no table: {}", out.stdout);
    }
    // A different period.
    let dir = sweep_folder("shards-period");
    shard(
        &dir,
        "a.json",
        &["s.rotor", "--vary", "t=0,5", "--shard", "1/2", "--from", "2024-01-01"],
    );
    shard(
        &dir,
        "b.json",
        &["s.rotor", "--vary", "t=0,5", "--shard", "2/2", "--from", "2024-02-01"],
    );
    let out = rotor(&dir, &["sweep", "s.rotor", "--merge", "a.json", "b.json"]);
    assert_diagnostic(&out, "rotor::sweep::shard_mismatch");
    assert!(out.stderr.contains("their period differ"), "{}", cut(&out.stderr));
    // Different data under the same name.
    let dir = sweep_folder("shards-data");
    shard(&dir, "a.json", &["s.rotor", "--vary", "t=0,5", "--shard", "1/2"]);
    std::fs::write(dir.join("IWO.csv"), b"date,close\n2024-01-02,10\n2024-01-03,99\n").expect("writable");
    shard(&dir, "b.json", &["s.rotor", "--vary", "t=0,5", "--shard", "2/2"]);
    let out = rotor(&dir, &["sweep", "s.rotor", "--merge", "a.json", "b.json"]);
    assert_diagnostic(&out, "rotor::sweep::shard_mismatch");
    assert!(out.stderr.contains("their data differ"), "{}", cut(&out.stderr));
}

#[test]
fn a_shard_without_a_fingerprint_is_refused() {
    let dir = sweep_folder("shards-old");
    let json = shard(&dir, "a.json", &["s.rotor", "--vary", "t=0,5", "--shard", "1/2"]);
    let mut old: serde_json::Value = serde_json::from_str(&json).expect("json");
    old.as_object_mut().expect("an object").remove("fingerprint");
    std::fs::write(dir.join("old.json"), old.to_string()).expect("writable");
    shard(&dir, "b.json", &["s.rotor", "--vary", "t=0,5", "--shard", "2/2"]);
    let out = rotor(&dir, &["sweep", "s.rotor", "--merge", "old.json", "b.json"]);
    assert_diagnostic(&out, "rotor::sweep::no_fingerprint");
}
