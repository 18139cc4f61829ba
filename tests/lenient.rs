//! `--lenient` and bars that cannot be (a high below the low, a negative volume): the same
//! rows are dropped whatever columns a strategy reads, the note names the first bad row of
//! the file, the error names the row's line, and `rotor check --lenient` says what it
//! dropped.

mod common;

use common::{rotor, temp_dir};

/// Line 3 is a bar that cannot be (high 9 below low 11); line 4 has a close that is no
/// number. Line 5's close (12) is above its high (11): a warning only.
const BAD: &str = "date,open,high,low,close,volume\n\
                   2024-01-02,10,11,9,10,100\n\
                   2024-01-03,10,9,11,10,100\n\
                   2024-01-04,10,11,9,x,100\n\
                   2024-01-05,10,11,9,12,100\n\
                   2024-01-08,10,13,9,12,100\n";

/// A folder with `data` as `X.csv` and one strategy per rule, `s0.rotor`, `s1.rotor`, …
fn folder(data: &str, rules: &[&str]) -> std::path::PathBuf {
    let dir = temp_dir("lenient");
    std::fs::write(dir.join("X.csv"), data).expect("write data");
    for (i, rule) in rules.iter().enumerate() {
        let text = format!("data \"X.csv\"\ncapital 1000 USD\n{rule}\n");
        std::fs::write(dir.join(format!("s{i}.rotor")), text).expect("write strategy");
    }
    dir
}

/// The line of `text` that mentions skipped rows.
fn skip_line(text: &str) -> &str {
    text.lines().find(|l| l.contains("skipped")).unwrap_or("")
}

/// A guard on the high that always holds does not change which rows the run drops: a run
/// reading only the close drops the impossible bar too, as `rotor check --lenient` does.
#[test]
fn the_rows_dropped_do_not_depend_on_the_columns_read() {
    let dir = folder(
        BAD,
        &[
            "buy X daily while close(X) > 10",
            "buy X daily while close(X) > 10 and high(X) > 0",
        ],
    );
    let close_only = rotor(&dir, &["run", "--lenient", "s0.rotor"]);
    let with_high = rotor(&dir, &["run", "--lenient", "s1.rotor"]);
    assert_eq!(close_only.code, 0, "{}", close_only.stderr);
    assert_eq!(with_high.code, 0, "{}", with_high.stderr);
    assert!(
        skip_line(&close_only.stdout).contains("skipped 2 bad rows"),
        "{}",
        close_only.stdout
    );
    assert_eq!(skip_line(&close_only.stdout), skip_line(&with_high.stdout));
}

/// The note's "first" skipped row is the first in the file, here the impossible bar on line
/// 3, though the bad cell on line 4 is found while the rows are read, before the bars are
/// checked.
#[test]
fn the_first_skipped_row_is_the_first_in_the_file() {
    let dir = folder(BAD, &["buy X daily while close(X) > 10 and high(X) > 0"]);
    let run = rotor(&dir, &["run", "--lenient", "s0.rotor"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let line = skip_line(&run.stdout);
    assert!(
        line.contains("the first, line 3: X on 2024-01-03: the high 9 is below the low 11"),
        "{line}"
    );
}

/// Without `--lenient`, the impossible bar's diagnostic points at its line in the file.
#[test]
fn an_impossible_bar_is_shown_at_its_line() {
    let good_close = BAD.replace(",x,", ",10,");
    let dir = folder(&good_close, &["buy X daily while close(X) > 10"]);
    let check = rotor(&dir, &["check", "s0.rotor"]);
    assert_eq!(check.code, 1, "{}", check.stdout);
    assert!(check.stderr.contains("rotor::data::impossible_bar"), "{}", check.stderr);
    assert!(check.stderr.contains("[X.csv:3:1]"), "{}", check.stderr);
    assert!(check.stderr.contains("2024-01-03,10,9,11,10,100"), "{}", check.stderr);
    // A negative volume too, in a file of several symbols.
    let volume = "date,symbol,open,high,low,close,volume\n\
                  2024-01-02,X,10,11,9,10,100\n\
                  2024-01-02,Y,10,11,9,10,100\n\
                  2024-01-03,X,10,11,9,10,100\n\
                  2024-01-03,Y,10,11,9,10,-5\n";
    let dir = folder(volume, &["buy X daily while close(X) > 10"]);
    let check = rotor(&dir, &["check", "s0.rotor"]);
    assert_eq!(check.code, 1, "{}", check.stdout);
    assert!(check.stderr.contains("the volume -5 is below zero"), "{}", check.stderr);
    assert!(check.stderr.contains("[X.csv:5:1]"), "{}", check.stderr);
}

/// `rotor check --lenient` says which rows it would skip, not only `ok`.
#[test]
fn check_lenient_says_what_it_skipped() {
    let dir = folder(BAD, &["buy X daily while close(X) > 10"]);
    let check = rotor(&dir, &["check", "--lenient", "s0.rotor"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(check.stdout.contains("s0.rotor: ok"), "{}", check.stdout);
    let line = skip_line(&check.stdout);
    assert!(line.contains("X.csv: skipped 2 bad rows (lenient)"), "{}", check.stdout);
    assert!(line.contains("the first, line 3"), "{line}");
    // A good file says `ok` alone.
    let dir = folder(
        &BAD.replace(",x,", ",10,").replace(",9,11,", ",11,9,"),
        &["buy X daily while close(X) > 10"],
    );
    let check = rotor(&dir, &["check", "--lenient", "s0.rotor"]);
    assert_eq!(check.stdout, "s0.rotor: ok\n");
}
