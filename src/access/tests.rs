use std::path::{Path, PathBuf};

use super::*;

/// A fresh folder under the system's temporary folder (with `strategy/sub/` in it), removed
/// when the test ends.
fn scratch(label: &str) -> PathBuf {
    crate::scratch::folder(&format!("access-{label}"), "strategy/sub")
}

fn write(path: &Path, bytes: &[u8]) {
    std::fs::write(path, bytes).expect("a scratch file");
}

fn refusal(result: Result<FileBytes, Denied>) -> AccessError {
    match result {
        Err(Denied::Refused(e)) => e,
        other => panic!("not refused: {other:?}"),
    }
}

#[test]
fn files_in_the_folder_and_below_are_read_and_recorded() {
    let dir = scratch("inside");
    write(&dir.join("strategy/a.csv"), b"date,close\n");
    write(&dir.join("strategy/sub/b.CSV"), b"date,close\n");
    let access = Access::new(&dir.join("strategy"));
    assert_eq!(
        access
            .read(&access.join(Path::new("a.csv")), Kind::Data)
            .ok()
            .map(FileBytes::into_vec),
        Some(b"date,close\n".to_vec())
    );
    assert!(access.read(&access.join(Path::new("sub/b.CSV")), Kind::Data).is_ok());
    let read: Vec<PathBuf> = access.files_read().into_iter().map(|r| r.path).collect();
    assert_eq!(read.len(), 2, "{read:?}");
    assert!(read[0].ends_with("strategy/a.csv"), "{read:?}");
}

#[test]
fn paths_out_of_the_folder_are_refused_however_written() {
    let dir = scratch("outside");
    write(&dir.join("secret.csv"), b"date,close\n");
    let access = Access::new(&dir.join("strategy"));
    for path in ["../secret.csv", "sub/../../secret.csv"] {
        let e = refusal(access.read(&access.join(Path::new(path)), Kind::Data));
        assert!(matches!(e, AccessError::Outside { .. }), "{path}: {e:?}");
    }
    let absolute = dir.join("secret.csv");
    assert!(matches!(
        refusal(access.read(&absolute, Kind::Data)),
        AccessError::Outside { .. }
    ));
    assert!(access.files_read().is_empty());
}

#[cfg(unix)]
#[test]
fn a_symlink_out_of_the_folder_counts_as_outside_and_one_inside_as_inside() {
    let dir = scratch("symlink");
    write(&dir.join("secret.csv"), b"date,close\n");
    write(&dir.join("strategy/real.csv"), b"date,close\n");
    std::os::unix::fs::symlink(dir.join("secret.csv"), dir.join("strategy/escape.csv")).expect("a symlink");
    std::os::unix::fs::symlink(dir.join("strategy/real.csv"), dir.join("strategy/sub/link.csv")).expect("a symlink");
    let access = Access::new(&dir.join("strategy"));
    let e = refusal(access.read(&access.join(Path::new("escape.csv")), Kind::Data));
    assert!(matches!(e, AccessError::Outside { .. }), "{e:?}");
    assert!(access.read(&access.join(Path::new("sub/link.csv")), Kind::Data).is_ok());
}

#[test]
fn allowed_paths_widen_the_policy_a_file_by_itself_a_folder_with_what_is_below() {
    let dir = scratch("allowed");
    std::fs::create_dir_all(dir.join("shared")).expect("a folder");
    write(&dir.join("one.csv"), b"x\n");
    write(&dir.join("two.csv"), b"x\n");
    write(&dir.join("shared/three.csv"), b"x\n");
    let access = Access::new(&dir.join("strategy")).allowing([dir.join("one.csv"), dir.join("shared")]);
    assert!(access.read(&dir.join("one.csv"), Kind::Data).is_ok());
    assert!(access.read(&dir.join("shared/three.csv"), Kind::Data).is_ok());
    assert!(matches!(
        refusal(access.read(&dir.join("two.csv"), Kind::Data)),
        AccessError::Outside { .. }
    ));
}

#[test]
fn files_are_recognised_by_name_and_must_be_text() {
    let dir = scratch("recognise");
    let base = dir.join("strategy");
    write(&base.join("id_rsa"), b"-----BEGIN OPENSSH PRIVATE KEY-----\n");
    write(&base.join("prices.bin.csv"), b"date,close\n\0\0\0");
    // UTF-16 with a byte order mark is text (Excel's "Unicode text"): its NUL bytes are
    // halves of characters. Cut in the middle of a character, or holding a NUL character,
    // it is not; and scripts are UTF-8 only.
    write(&base.join("excel.csv"), &[0xff, 0xfe, b'd', 0, b'a', 0]);
    write(&base.join("cut.csv"), &[0xff, 0xfe, b'd', 0, b'a']);
    write(&base.join("nul16.csv"), &[0xfe, 0xff, 0, b'd', 0, 0, 0, b'a']);
    write(&base.join("wide.rhai"), &[0xff, 0xfe, b'f', 0, b'n', 0]);
    write(&base.join("script.csv"), b"fn f() { 1 }");
    let access = Access::new(&base);
    let at = |p: &str| access.join(Path::new(p));
    assert!(access.read(&at("excel.csv"), Kind::Data).is_ok());
    for (path, kind, why) in [
        ("id_rsa", Kind::Data, "does not end in *.csv"),
        ("prices.bin.csv", Kind::Data, "NUL byte at offset 11"),
        ("cut.csv", Kind::Data, "starts like UTF-16LE text but is not"),
        (
            "nul16.csv",
            Kind::Data,
            "NUL character in its UTF-16BE text, at character 1",
        ),
        (
            "wide.rhai",
            Kind::Script,
            "UTF-16LE text, and scripts are read as UTF-8",
        ),
        ("script.csv", Kind::Script, "does not end in *.rhai"),
    ] {
        match refusal(access.read(&at(path), kind)) {
            AccessError::NotRecognised { why: said, .. } => assert!(said.contains(why), "{path}: {said}"),
            other => panic!("{path}: {other:?}"),
        }
    }
}

#[test]
fn a_file_over_the_limit_is_refused_before_it_is_read() {
    let dir = scratch("large");
    write(&dir.join("strategy/big.csv"), &vec![b'1'; 5000]);
    let limits = Limits {
        data_bytes: 4096,
        ..Limits::default()
    };
    let access = Access::new(&dir.join("strategy")).with_limits(limits);
    match refusal(access.read(&access.join(Path::new("big.csv")), Kind::Data)) {
        AccessError::TooLarge { size, limit, help, .. } => {
            assert_eq!((size, limit), (5000, 4096));
            assert!(help.contains("--max-data-size"), "{help}");
        }
        other => panic!("{other:?}"),
    }
}

#[cfg(unix)]
#[test]
fn a_fifo_is_refused_without_waiting_for_a_writer() {
    let dir = scratch("fifo");
    let fifo = dir.join("strategy/pipe.csv");
    let name = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).expect("no NUL in the path");
    // SAFETY: `name` is a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o600) }, 0, "mkfifo");
    let access = Access::new(&dir.join("strategy"));
    match refusal(access.read(&fifo, Kind::Data)) {
        AccessError::NotAFile { what, .. } => assert_eq!(what, "a named pipe (FIFO)"),
        other => panic!("{other:?}"),
    }
}

#[cfg(unix)]
#[test]
fn devices_are_refused_for_what_they_are_even_when_allowed() {
    let access = Access::new(Path::new(".")).allowing(["/dev/zero"]);
    match refusal(access.read(Path::new("/dev/zero"), Kind::Data)) {
        AccessError::NotAFile { what, .. } => assert_eq!(what, "a character device"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_large_data_file_is_mapped_and_reads_the_same() {
    let dir = scratch("mapped");
    // Over the size from which data files are mapped: a price file of ~40,000 rows.
    let mut text = String::from("date,open,high,low,close,volume\n");
    let mut day = chrono::NaiveDate::from_ymd_opt(1900, 1, 1).expect("a date");
    let mut i = 0u64;
    while (text.len() as u64) < file::MAP_FROM + 1000 {
        let close = 100 + i % 7;
        text.push_str(&format!(
            "{day},{close}.5,{}.25,{close}.0,{close}.75,{}\n",
            close + 1,
            1000 + i
        ));
        day = day.succ_opt().expect("a later date");
        i += 1;
    }
    let path = dir.join("strategy/big.csv");
    write(&path, text.as_bytes());
    let access = Access::new(&dir.join("strategy"));
    let bytes = access.read(&path, Kind::Data).expect("readable");
    assert!(matches!(bytes, FileBytes::Mapped(_)), "{bytes:?}");
    assert_eq!(&bytes[..], text.as_bytes());
    // Loaded through the policy (mapped) and from the text: the same data.
    let opts = crate::data::LoadOptions::default();
    let mapped = load_data(&access, &path, &opts, None).expect("loads");
    let direct = crate::data::load_str(&path.display().to_string(), &text, &opts).expect("loads");
    assert_eq!(mapped.prices.len(), 1);
    assert_eq!(mapped.prices[0].len(), i as usize);
    assert_eq!(mapped.prices, direct.prices);
    assert_eq!(mapped.notes, direct.notes);
    // Pages let go of are mapped again, unchanged, when read again.
    bytes.release(0..bytes.len());
    assert_eq!(&bytes[..], text.as_bytes());
    bytes.release(4096..bytes.len() + 10);
    assert_eq!(&bytes[..], text.as_bytes());
    // The limit holds for a mapped file as for a read one.
    let small = Access::new(&dir.join("strategy")).with_limits(Limits {
        data_bytes: file::MAP_FROM,
        ..Limits::default()
    });
    assert!(matches!(
        refusal(small.read(&path, Kind::Data)),
        AccessError::TooLarge { .. }
    ));
}
