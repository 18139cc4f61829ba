//! Every strategy in strategies/ and examples/ and every `rotor` code block in docs/ parses
//! and checks.

mod common;

use std::path::Path;

fn rotor_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("directory exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "rotor"))
        .collect();
    files.sort();
    files
}

#[test]
fn every_strategy_parses_and_checks() {
    let files = rotor_files(&common::root().join("strategies"));
    assert!(files.len() >= 8, "the strategy library has at least eight files");
    // examples/ holds strategies that read the example data beside them (a strategy reads
    // only its own folder and below).
    let examples = rotor_files(&common::root().join("examples"));
    assert!(!examples.is_empty(), "examples/fedwatch_exports.rotor");
    // strategies/cookbook/: one strategy for each power of the language (docs/COOKBOOK.md).
    let cookbook = rotor_files(&common::root().join("strategies/cookbook"));
    assert!(cookbook.len() >= 6, "the cookbook's strategies");
    for path in files.into_iter().chain(examples).chain(cookbook) {
        let bytes = std::fs::read(&path).expect("readable");
        let name = path.file_name().expect("name").to_string_lossy().into_owned();
        if String::from_utf8_lossy(&bytes).lines().any(|l| l.starts_with("data ")) {
            // A strategy with its own data (in the repository) is checked and run with it.
            for command in ["check", "run"] {
                let out = common::rotor(common::root(), &[command, path.to_str().expect("utf-8")]);
                assert_eq!(out.code, 0, "rotor {command} {name}: {}", out.stderr);
            }
            continue;
        }
        assert_eq!(
            common::diagnose_in(&name, &bytes, path.parent().expect("a folder")),
            "ok\n",
            "{name}"
        );
    }
}

#[test]
fn every_rotor_block_in_the_docs_parses_and_checks() {
    let mut blocks = 0;
    for entry in std::fs::read_dir(common::root().join("docs")).expect("docs/ exists") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|e| e != "md") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("readable");
        let mut in_block = false;
        let mut block = String::new();
        for line in text.lines() {
            if line.trim_start() == "```rotor" {
                in_block = true;
                block.clear();
            } else if in_block && line.trim_start() == "```" {
                in_block = false;
                blocks += 1;
                let name = format!("{} block {blocks}", path.display());
                // Paths in the docs' examples are written as if the file were in strategies/.
                let base = common::root().join("strategies");
                assert_eq!(
                    common::diagnose_in(&name, block.as_bytes(), &base),
                    "ok\n",
                    "{name}:\n{block}"
                );
            } else if in_block {
                block.push_str(line);
                block.push('\n');
            }
        }
    }
    assert!(blocks >= 3, "the docs have rotor examples");
}

#[test]
fn the_issue_example_parses_and_checks() {
    let dir = common::root().join("tests/fixtures/language");
    let bytes = std::fs::read(dir.join("issue_example.rotor")).expect("readable");
    assert_eq!(common::diagnose_in("issue_example.rotor", &bytes, &dir), "ok\n");
}

/// Every strategy file of strategies/ and strategies/cookbook/, as a path from the
/// repository's root with `/` separators, sorted.
fn strategy_paths(root: &std::path::Path) -> Vec<String> {
    let mut files: Vec<String> = rotor_files(&root.join("strategies"))
        .into_iter()
        .chain(rotor_files(&root.join("strategies/cookbook")))
        .map(|p| {
            p.strip_prefix(root)
                .expect("under the repository")
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    files.sort();
    files
}

/// docs/COOKBOOK.md lists every strategy of strategies/ and strategies/cookbook/, and every
/// strategy file it names exists.
#[test]
fn the_cookbook_lists_every_strategy_and_only_those() {
    let root = common::root();
    let text = std::fs::read_to_string(root.join("docs/COOKBOOK.md")).expect("docs/COOKBOOK.md");
    let files = strategy_paths(root);
    for file in &files {
        assert!(
            text.contains(&format!("`{file}`")),
            "docs/COOKBOOK.md does not list {file}"
        );
    }
    let named: Vec<&str> = text
        .split('`')
        .filter(|s| s.starts_with("strategies/") && s.ends_with(".rotor") && !s.contains(' '))
        .collect();
    assert!(named.len() >= files.len(), "{named:?}");
    for name in named {
        assert!(
            root.join(name).is_file(),
            "docs/COOKBOOK.md names {name}, which does not exist"
        );
    }
}

/// The line after which docs/COOKBOOK.md holds the figures table, and the line after it.
const FIGURES_BEGIN: &str = "<!-- figures: written by tests/strategies.rs; ROTOR_BLESS=1 rewrites them -->";
const FIGURES_END: &str = "<!-- end of figures -->";

/// docs/COOKBOOK.md's results table is rotor's own output: each strategy of strategies/
/// and strategies/cookbook/ run as it is (`rotor run FILE --json`, its own or the bundled
/// synthetic data), one row a file. With `ROTOR_BLESS=1` the test rewrites the table
/// instead of comparing it (CONTRIBUTING.md).
#[test]
fn the_cookbook_figures_are_rotors_own_output() {
    let root = common::root();
    let files = strategy_paths(root);
    let mut table = String::from(
        "| file | period | contributed | final value | XIRR | max drawdown | trades |\n\
         |---|---|--:|--:|--:|--:|--:|\n",
    );
    for file in &files {
        let out = common::rotor(root, &["run", file, "--json"]);
        assert_eq!(out.code, 0, "rotor run {file}: {}", out.stderr);
        let v: serde_json::Value = serde_json::from_str(&out.stdout).expect("rotor run --json prints JSON");
        table.push_str(&figures_row(file, &v));
    }
    let path = root.join("docs/COOKBOOK.md");
    let page = std::fs::read_to_string(&path).expect("docs/COOKBOOK.md");
    let begin = page
        .find(FIGURES_BEGIN)
        .expect("docs/COOKBOOK.md has the figures' begin marker")
        + FIGURES_BEGIN.len();
    let end = page
        .find(FIGURES_END)
        .expect("docs/COOKBOOK.md has the figures' end marker");
    let written = format!("{}\n\n{table}\n{}", &page[..begin], &page[end..]);
    if std::env::var("ROTOR_BLESS").is_ok_and(|v| v == "1") {
        std::fs::write(&path, written).expect("docs/COOKBOOK.md writable");
        return;
    }
    assert!(
        page == written,
        "docs/COOKBOOK.md's figures are not rotor's output now; rewrite them with \
         `ROTOR_BLESS=1 cargo test --test strategies the_cookbook_figures` and read the diff.\n\
         rotor's table:\n{table}"
    );
}

/// One row of the figures table from a run's JSON (money in USD).
fn figures_row(file: &str, v: &serde_json::Value) -> String {
    let m = &v["metrics"];
    let text = |x: &serde_json::Value| x.as_str().unwrap_or("?").to_string();
    let money = |x: &serde_json::Value| match x.as_f64() {
        Some(n) => thousands(n),
        None => "—".to_string(),
    };
    let percent = |x: &serde_json::Value| match x.as_f64() {
        Some(n) => format!("{:.1}%", n * 100.0),
        None => "—".to_string(),
    };
    let trades = v["trades"].as_array().map_or(0, Vec::len);
    format!(
        "| `{file}` | {} to {} | {} | {} | {} | {} | {trades} |\n",
        text(&m["start"]),
        text(&m["end"]),
        money(&m["contributed"]),
        money(&m["final_value"]),
        percent(&m["xirr"]),
        percent(&m["max_drawdown"]["depth"]),
    )
}

/// `12345.678` → `12,346`: whole US dollars with thousands separators.
fn thousands(n: f64) -> String {
    let whole = format!("{:.0}", n.abs());
    let mut out = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if n < -0.5 { format!("-{out}") } else { out }
}
