//! Issue 11.7: `data "/proc/self/environ"`, `data "../../../../etc/passwd"` and
//! `use "/etc/hostname"` were read and their first lines printed in the diagnostic;
//! `data "/dev/zero"` ate memory and a FIFO hung for ever. A strategy now reads only its
//! own folder and what the command line names, regular files only, up to a size limit, and
//! a file it does not recognise is described, never shown.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::*;

const SECRET: &str = "rotor-test-secret-4f7a";

/// `rotor ARGS…` in `dir` with a secret in the environment, killed after 30 s.
fn rotor_guarded(dir: &Path, args: &[&str]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rotor"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("ROTOR_TEST_SECRET", SECRET)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the rotor binary starts");
    let start = Instant::now();
    while child.try_wait().expect("waitable").is_none() {
        if start.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            panic!("rotor {args:?} hung");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().expect("rotor finished");
    Run {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        code: out.status.code().unwrap_or(-1),
    }
}

fn strategy(label: &str, first_line: &str) -> std::path::PathBuf {
    let text = format!("{first_line}\nbuy IWO monthly\n");
    folder(label, &[("s.rotor", text.as_bytes())])
}

#[test]
fn the_process_environment_is_not_read() {
    let dir = strategy("environ", "data \"/proc/self/environ\"");
    let out = rotor_guarded(&dir, &["run", "s.rotor"]);
    assert_diagnostic(&out, "rotor::access::not_a_file");
    assert!(!out.stderr.contains(SECRET), "{}", cut(&out.stderr));
}

#[test]
fn a_path_out_of_the_folder_is_refused_and_not_shown() {
    for line in [
        "data \"../../../../../../../../etc/passwd\"",
        "use \"/etc/hostname\"",
        "use \"/etc/passwd\"",
    ] {
        let dir = strategy("outside", line);
        let out = rotor_guarded(&dir, &["check", "s.rotor"]);
        assert_diagnostic(&out, "rotor::access::outside");
        assert!(!out.stderr.contains("root:"), "{line}: {}", cut(&out.stderr));
        assert!(
            out.stderr.contains("--allow-path"),
            "the help says how to allow it: {}",
            cut(&out.stderr)
        );
    }
}

#[test]
fn devices_are_refused_at_once() {
    for device in ["/dev/zero", "/dev/urandom"] {
        let dir = strategy("device", &format!("data \"{device}\""));
        let start = Instant::now();
        let out = rotor_guarded(&dir, &["run", "s.rotor"]);
        assert_diagnostic(&out, "rotor::access::not_a_file");
        assert!(out.stderr.contains("character device"), "{}", cut(&out.stderr));
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "{device} took {:?}",
            start.elapsed()
        );
    }
    // Named on the command line, it is refused too.
    let dir = strategy("device-arg", "# no data line");
    let out = rotor_guarded(&dir, &["run", "s.rotor", "--data", "/dev/zero"]);
    assert_diagnostic(&out, "rotor::access::not_a_file");
    // And by `rotor fedwatch`, which reads its files as data files are read.
    for args in [
        ["fedwatch", "--futures", "/dev/zero", "", ""],
        ["fedwatch", "--futures", "curve.csv", "--meetings", "/dev/zero"],
    ] {
        let dir = folder(
            "device-fedwatch",
            &[(
                "curve.csv",
                b"date,contract,price
",
            )],
        );
        let args: Vec<&str> = args.into_iter().filter(|a| !a.is_empty()).collect();
        let out = rotor_guarded(&dir, &args);
        assert_diagnostic(&out, "rotor::access::not_a_file");
    }
}

#[cfg(unix)]
#[test]
fn a_fifo_is_refused_without_hanging() {
    let dir = strategy("fifo", "data \"pipe.csv\"");
    let fifo = dir.join("pipe.csv");
    let name = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).expect("no NUL");
    // SAFETY: `name` is a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o600) }, 0, "mkfifo");
    let out = rotor_guarded(&dir, &["run", "s.rotor"]);
    assert_diagnostic(&out, "rotor::access::not_a_file");
    assert!(out.stderr.contains("named pipe"), "{}", cut(&out.stderr));
}

#[cfg(unix)]
#[test]
fn a_symlink_out_of_the_folder_counts_as_outside() {
    let outside = folder(
        "symlink-target",
        &[("secret.csv", format!("date,close\n{SECRET}\n").as_bytes())],
    );
    let dir = strategy("symlink", "data \"prices.csv\"");
    std::os::unix::fs::symlink(outside.join("secret.csv"), dir.join("prices.csv")).expect("a symlink");
    let out = rotor_guarded(&dir, &["run", "s.rotor"]);
    assert_diagnostic(&out, "rotor::access::outside");
    assert!(!out.stderr.contains(SECRET), "{}", cut(&out.stderr));
}

#[test]
fn a_file_that_is_not_csv_is_described_not_shown() {
    let dir = strategy("not-csv", "data \"id_rsa\"");
    std::fs::write(dir.join("id_rsa"), format!("-----BEGIN KEY-----\n{SECRET}\n")).expect("writable");
    let out = rotor_guarded(&dir, &["run", "s.rotor"]);
    assert_diagnostic(&out, "rotor::access::not_recognised");
    assert!(out.stderr.contains("does not end in *.csv"), "{}", cut(&out.stderr));
    assert!(
        !out.stderr.contains(SECRET) && !out.stderr.contains("BEGIN"),
        "{}",
        cut(&out.stderr)
    );

    let dir = strategy("binary", "data \"prices.csv\"");
    std::fs::write(dir.join("prices.csv"), format!("date,close\n\0\0{SECRET}")).expect("writable");
    let out = rotor_guarded(&dir, &["run", "s.rotor"]);
    assert_diagnostic(&out, "rotor::access::not_recognised");
    assert!(out.stderr.contains("binary data"), "{}", cut(&out.stderr));
    assert!(!out.stderr.contains(SECRET), "{}", cut(&out.stderr));
}

#[test]
fn utf16_text_from_excel_is_read_and_binary_in_its_clothes_is_not() {
    // Excel's "Unicode text": UTF-16LE with a byte order mark, every ASCII character
    // followed by a NUL byte. Text in an encoding rotor reads, so not refused as binary.
    let utf16 = |text: &str| -> Vec<u8> {
        let mut bytes = vec![0xff, 0xfe];
        bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        bytes
    };
    let csv = utf16("Date\tClose\n2024-01-02\t10\n2024-01-03\t11\n");
    let dir = folder(
        "utf16",
        &[("IWO.csv", &csv), ("s.rotor", b"data \"IWO.csv\"\nbuy IWO monthly\n")],
    );
    let out = rotor_guarded(&dir, &["run", "s.rotor"]);
    assert_eq!(out.code, 0, "{}", cut(&out.stderr));
    assert!(out.stdout.contains("read as UTF-16LE text"), "{}", out.stdout);

    // A byte order mark before what is not UTF-16 (an odd byte out), or before a NUL
    // character, is binary data all the same: refused, described, not shown.
    let mut cut_short = utf16(&format!("Date,Close\n{SECRET}"));
    cut_short.push(b'x');
    let nul = utf16(&format!("Date,Close\n\0{SECRET}\n"));
    for (label, bytes, why) in [
        ("utf16-odd", cut_short, "starts like UTF-16LE text but is not"),
        ("utf16-nul", nul, "a NUL character in its UTF-16LE text"),
    ] {
        let dir = folder(
            label,
            &[("IWO.csv", &bytes), ("s.rotor", b"data \"IWO.csv\"\nbuy IWO monthly\n")],
        );
        let out = rotor_guarded(&dir, &["run", "s.rotor"]);
        assert_diagnostic(&out, "rotor::access::not_recognised");
        assert!(out.stderr.contains(why), "{}", cut(&out.stderr));
        assert!(!out.stderr.contains(SECRET), "{}", cut(&out.stderr));
    }
}

#[test]
fn the_command_line_can_allow_more() {
    let shared = folder(
        "allowed-data",
        &[("IWO.csv", b"date,close\n2024-01-02,10\n2024-01-03,11\n")],
    );
    let line = format!("data \"{}\"", shared.join("IWO.csv").display());
    let dir = strategy("allowed", &line);
    let refused = rotor_guarded(&dir, &["run", "s.rotor"]);
    assert_diagnostic(&refused, "rotor::access::outside");
    let shared_arg = shared.display().to_string();
    let allowed = rotor_guarded(&dir, &["run", "s.rotor", "--allow-path", &shared_arg]);
    assert_eq!(allowed.code, 0, "{}", allowed.stderr);
    // `--data` is permission for that path.
    let dir = strategy("data-arg", "# data from the command line");
    let file = shared.join("IWO.csv").display().to_string();
    let given = rotor_guarded(&dir, &["run", "s.rotor", "--data", &file]);
    assert_eq!(given.code, 0, "{}", given.stderr);
}

#[test]
fn a_data_file_over_the_size_limit_is_refused_before_it_is_read() {
    let rows: String = (1..=28).map(|d| format!("2024-02-{d:02},{d}\n")).collect();
    let csv = format!("date,close\n{rows}");
    let dir = folder(
        "data-size",
        &[
            ("s.rotor", b"data \"IWO.csv\"\nbuy IWO monthly\n"),
            ("IWO.csv", csv.as_bytes()),
        ],
    );
    let out = rotor_guarded(&dir, &["run", "s.rotor", "--max-data-size", "100B"]);
    assert_diagnostic(&out, "rotor::access::too_large");
    assert!(out.stderr.contains("--max-data-size"), "{}", cut(&out.stderr));
    let out = rotor_guarded(&dir, &["run", "s.rotor", "--max-data-size", "1KiB"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
}

/// `data "/etc/nonexistent.csv"` said "does not exist" where `/etc/shadow` said "outside":
/// a strategy could tell what exists outside its folder. Outside is now said first.
#[test]
fn outside_is_said_before_whether_the_file_exists() {
    let outer = folder("probe", &[("there.csv", b"date,close\n2024-01-02,1\n")]);
    let outer = outer.display();
    for (line, code) in [
        (format!("data \"{outer}/there.csv\""), "rotor::access::outside"),
        (format!("data \"{outer}/not-there.csv\""), "rotor::access::outside"),
        (
            format!("data \"{outer}/no-folder/not-there.csv\""),
            "rotor::access::outside",
        ),
        (format!("use \"{outer}/not-there.rhai\""), "rotor::access::outside"),
        // A pipe's descriptor has no path to resolve: refused where the strategy names it.
        ("data \"/proc/self/fd/0\"".to_string(), "s.rotor:1:"),
    ] {
        let dir = strategy("probe-strategy", &line);
        let out = rotor_with_input(&dir, &["check", "s.rotor"], b"");
        assert_eq!(out.code, 1, "{line}: {}", cut(&out.stderr));
        assert!(out.stderr.contains(code), "{line}: {}", cut(&out.stderr));
        assert!(!out.stderr.contains("does not exist"), "{line}: {}", cut(&out.stderr));
    }
}

/// `data "/tmp"` offered `--allow-path /`, which would let the strategy read everything.
#[test]
fn allow_path_is_never_offered_for_the_root_folder() {
    for line in ["data \"/tmp\"", "data \"/rotor-not-there.csv\""] {
        let dir = strategy("root-offer", line);
        let out = rotor(&dir, &["check", "s.rotor"]);
        assert_diagnostic(&out, "rotor::access::outside");
        // The help as one line without spaces: it is wrapped anywhere, even inside a path.
        let help: String = out.stderr.split_whitespace().collect();
        assert!(!help.contains("--allow-path/`"), "{line}: {}", out.stderr);
        let path = line.trim_start_matches("data \"").trim_end_matches('"');
        assert!(help.contains(&format!("--allow-path{path}`")), "{line}: {}", out.stderr);
    }
}

/// A folder named where a file belongs was "not a CSV file" (`fedwatch --futures .`) or
/// told to avoid devices and pipes (`check other/`); it is now called a folder.
#[test]
fn a_folder_named_as_a_file_is_called_a_folder() {
    let dir = folder("folder-as-file", &[("other/s.rotor", b"buy IWO monthly\n")]);
    for args in [&["check", "other/"][..], &["fedwatch", "--futures", "."][..]] {
        let out = rotor(&dir, args);
        assert_diagnostic(&out, "rotor::access::not_a_file");
        assert!(out.stderr.contains("is a folder"), "{args:?}: {}", cut(&out.stderr));
        assert!(
            flat(&out.stderr).contains("name a file inside the folder"),
            "{args:?}: {}",
            cut(&out.stderr)
        );
    }
}
