use std::path::{Path, PathBuf};

use super::*;
use crate::access::{Access, Kind};

/// A fresh folder under the system's temporary folder (with `sub/` in it), removed
/// when the test ends.
fn scratch(label: &str) -> PathBuf {
    crate::scratch::folder(&format!("output-{label}"), "sub")
}

/// Reads `names` in `dir` as data, as a run would, and returns what was read.
fn inputs(dir: &Path, names: &[&str]) -> Vec<crate::access::ReadFile> {
    let access = Access::new(dir);
    for name in names {
        std::fs::write(dir.join(name), "date,close\n").expect("writable");
        access.read(&dir.join(name), Kind::Data).expect("readable");
    }
    access.files_read()
}

#[test]
fn an_output_over_an_input_is_refused_however_it_is_named() {
    let dir = scratch("guard");
    let read = inputs(&dir, &["IWO.csv"]);
    let as_read = dir.join("IWO.csv");
    let roundabout = dir.join("sub/../IWO.csv");
    let mut names = vec![as_read, roundabout];
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(dir.join("IWO.csv"), dir.join("link.csv")).expect("a symlink");
        std::fs::hard_link(dir.join("IWO.csv"), dir.join("hard.csv")).expect("a hard link");
        names.push(dir.join("link.csv"));
        names.push(dir.join("hard.csv"));
    }
    for name in names {
        match guard(&[("--equity", &name)], &read) {
            Err(OutputError::OverwritesInput { what, option, .. }) => {
                assert_eq!((what, option.as_str()), ("a data file", "--equity"), "{name:?}");
            }
            other => panic!("{name:?}: {other:?}"),
        }
    }
    assert_eq!(guard(&[("--equity", &dir.join("equity.csv"))], &read), Ok(()));
}

#[test]
fn two_outputs_to_one_file_are_refused() {
    let dir = scratch("twice");
    let a = dir.join("out.csv");
    let b = dir.join("sub/../out.csv");
    match guard(&[("--trades", &a), ("--equity", &b)], &[]) {
        Err(OutputError::SameFile { first, second, .. }) => {
            assert_eq!((first.as_str(), second.as_str()), ("--trades", "--equity"))
        }
        other => panic!("{other:?}"),
    }
}

#[cfg(unix)]
#[test]
fn replacing_keeps_permissions_and_symlinks_and_leaves_other_files_alone() {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch("replace");
    let real = dir.join("sub/s.rotor");
    std::fs::write(&real, "old\n").expect("writable");
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    std::os::unix::fs::symlink("sub/s.rotor", dir.join("s.rotor")).expect("a symlink");
    // Files a careless writer might have used as its temporary file.
    for name in ["s.rotor.tmp", "sub/s.rotor.tmp"] {
        std::fs::write(dir.join(name), "mine\n").expect("writable");
    }
    replace(&dir.join("s.rotor"), b"new\n").expect("replaced");
    assert_eq!(std::fs::read_to_string(&real).expect("readable"), "new\n");
    let link = std::fs::symlink_metadata(dir.join("s.rotor")).expect("exists");
    assert!(link.file_type().is_symlink(), "the link is still a link");
    let mode = std::fs::metadata(&real).expect("exists").permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    for name in ["s.rotor.tmp", "sub/s.rotor.tmp"] {
        assert_eq!(std::fs::read_to_string(dir.join(name)).expect("still there"), "mine\n");
    }
    let left: Vec<_> = std::fs::read_dir(dir.join("sub"))
        .expect("listable")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(left.len(), 2, "no temporary file is left behind: {left:?}");
}

#[test]
fn a_new_file_is_created() {
    let dir = scratch("new");
    replace(&dir.join("trades.csv"), b"date\n").expect("written");
    assert_eq!(
        std::fs::read_to_string(dir.join("trades.csv")).expect("readable"),
        "date\n"
    );
}

#[test]
fn a_write_error_names_no_temporary_file() {
    let dir = scratch("missing-folder");
    let error = replace(&dir.join("nodir/trades.csv"), b"date\n").expect_err("no such folder");
    assert_eq!(error.kind(), std::io::ErrorKind::NotFound);
    let shown = error.to_string();
    assert!(shown.contains("nodir") && shown.contains("does not exist"), "{shown}");
    assert!(!shown.contains(".tmp"), "{shown}");
    // A folder where no file can be made: the system's reason, not tempfile's path.
    #[cfg(target_os = "linux")]
    {
        let error = replace(std::path::Path::new("/proc/self/trades.csv"), b"x").expect_err("not writable");
        assert!(!error.to_string().contains(".tmp"), "{error}");
        assert!(error.to_string().contains("os error"), "the system's reason: {error}");
    }
}

#[cfg(unix)]
#[test]
fn a_device_or_a_pipe_is_never_replaced() {
    use std::os::unix::fs::FileTypeExt;
    // A device takes the same path as the pipe (anything but a regular file); no device is
    // written to here, so a regression cannot replace one on the machine running the tests.
    // A named pipe made for the test.
    let dir = scratch("fifo");
    let fifo = dir.join("trades.csv");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if made.is_ok_and(|s| s.success()) {
        let error = replace(&fifo, b"x").expect_err("a pipe");
        assert!(error.to_string().contains("a named pipe"), "{error}");
        let kind = std::fs::metadata(&fifo).expect("exists").file_type();
        assert!(kind.is_fifo(), "the pipe is still a pipe");
    }
    // A folder.
    let error = replace(&dir, b"x").expect_err("a folder");
    assert!(error.to_string().contains("a folder"), "{error}");
}

#[cfg(unix)]
#[test]
fn a_link_to_a_file_not_there_yet_is_that_file() {
    let dir = scratch("dangling");
    std::os::unix::fs::symlink("same.csv", dir.join("alias.csv")).expect("a symlink");
    std::os::unix::fs::symlink("../same.csv", dir.join("sub/alias.csv")).expect("a symlink");
    for alias in ["alias.csv", "sub/alias.csv"] {
        let outputs = [("--trades", dir.join("same.csv")), ("--equity", dir.join(alias))];
        let outputs: Vec<(&str, &Path)> = outputs.iter().map(|(o, p)| (*o, p.as_path())).collect();
        match guard(&outputs, &[]) {
            Err(OutputError::SameFile { first, second, .. }) => {
                assert_eq!((first.as_str(), second.as_str()), ("--trades", "--equity"), "{alias}")
            }
            other => panic!("{alias}: {other:?}"),
        }
    }
}
