//! Issues 11.8 and 11.9: `rotor run s.rotor --equity IWO.csv` replaced the data file and
//! `--trades s.rotor` the strategy; `fmt --write` reset permissions, replaced a symlink by
//! a file and truncated the user's own `NAME.rotor.tmp`. No output is now written over a
//! file the run reads, and files are replaced atomically, through symlinks, keeping modes.

use super::*;

const CSV: &[u8] = b"date,close\n2024-01-02,10\n2024-01-03,11\n2024-02-01,12\n";

fn run_folder(label: &str) -> std::path::PathBuf {
    folder(
        label,
        &[
            (
                "s.rotor",
                b"data \"IWO.csv\"\nuse \"f.rhai\"\nbuy IWO monthly while f(IWO) > 0\n",
            ),
            ("IWO.csv", CSV),
            ("f.rhai", b"fn f(s) { 1.0 }\n"),
        ],
    )
}

#[track_caller]
fn assert_unchanged(dir: &Path, name: &str, bytes: &[u8]) {
    assert_eq!(
        std::fs::read(dir.join(name)).expect("still there"),
        bytes,
        "{name} was changed"
    );
}

#[test]
fn run_never_writes_over_its_data_strategy_or_scripts() {
    let dir = run_folder("outputs-run");
    let strategy = std::fs::read(dir.join("s.rotor")).expect("readable");
    for (option, target) in [
        ("--equity", "IWO.csv"),
        ("--trades", "s.rotor"),
        ("--trades", "f.rhai"),
        ("--equity", "./sub/../IWO.csv"),
    ] {
        std::fs::create_dir_all(dir.join("sub")).expect("a folder");
        let out = rotor(&dir, &["run", "s.rotor", option, target]);
        assert_diagnostic(&out, "rotor::output::overwrites_input");
        assert!(out.stdout.is_empty(), "nothing ran: {}", out.stdout);
    }
    assert_unchanged(&dir, "IWO.csv", CSV);
    assert_unchanged(&dir, "s.rotor", &strategy);
    assert_unchanged(&dir, "f.rhai", b"fn f(s) { 1.0 }\n");
    #[cfg(unix)]
    {
        std::fs::hard_link(dir.join("IWO.csv"), dir.join("other-name.csv")).expect("a hard link");
        let out = rotor(&dir, &["run", "s.rotor", "--equity", "other-name.csv"]);
        assert_diagnostic(&out, "rotor::output::overwrites_input");
        assert_unchanged(&dir, "IWO.csv", CSV);
    }
    let out = rotor(&dir, &["run", "s.rotor", "--trades", "out.csv", "--equity", "out.csv"]);
    assert_diagnostic(&out, "rotor::output::same_file");
    let out = rotor(
        &dir,
        &["run", "s.rotor", "--trades", "trades.csv", "--equity", "equity.csv"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        std::fs::read_to_string(dir.join("equity.csv"))
            .expect("written")
            .starts_with("date,equity")
    );
}

#[test]
fn a_dash_is_refused_rather_than_written_as_a_file_named_dash() {
    // `--trades -` reads as "to standard output" in many tools; rotor used to write a file
    // named `-` into the current folder without a word.
    let dir = run_folder("outputs-dash");
    let out = rotor(&dir, &["run", "s.rotor", "--trades", "-"]);
    assert_diagnostic(&out, "rotor::output::dash");
    assert!(out.stderr.contains("`--trades -` names no file"), "{}", out.stderr);
    assert!(out.stderr.contains("`--trades trades.csv`"), "{}", out.stderr);
    assert!(!dir.join("-").exists(), "no file named `-` was written");
    // `./-` is a file of that name, for whoever wants one.
    let out = rotor(&dir, &["run", "s.rotor", "--trades", "./-"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(dir.join("-").exists());
}

#[test]
fn sweep_never_writes_its_csv_over_an_input() {
    let dir = folder(
        "outputs-sweep",
        &[
            (
                "s.rotor",
                b"data \"IWO.csv\"\nlet t = 0\nbuy IWO monthly while close(IWO) > t\n",
            ),
            ("IWO.csv", CSV),
        ],
    );
    let out = rotor(&dir, &["sweep", "s.rotor", "--vary", "t=0,5", "--csv", "IWO.csv"]);
    assert_diagnostic(&out, "rotor::output::overwrites_input");
    assert_unchanged(&dir, "IWO.csv", CSV);
    let shard = rotor(&dir, &["sweep", "s.rotor", "--vary", "t=0,5", "--json"]);
    assert_eq!(shard.code, 0, "{}", shard.stderr);
    std::fs::write(dir.join("all.json"), &shard.stdout).expect("writable");
    let out = rotor(&dir, &["sweep", "s.rotor", "--merge", "all.json", "--csv", "all.json"]);
    assert_diagnostic(&out, "rotor::output::overwrites_input");
    assert_eq!(
        std::fs::read_to_string(dir.join("all.json")).expect("there"),
        shard.stdout
    );
}

#[test]
fn the_repl_never_saves_over_its_data() {
    let dir = run_folder("outputs-repl");
    let out = rotor_with_input(
        &dir,
        &["repl", "--data", "IWO.csv"],
        b"buy IWO monthly\n:save! IWO.csv\n",
    );
    assert_diagnostic(&out, "rotor::output::overwrites_input");
    assert_unchanged(&dir, "IWO.csv", CSV);
}

#[cfg(unix)]
#[test]
fn fmt_write_keeps_permissions_symlinks_and_the_users_tmp_file() {
    use std::os::unix::fs::PermissionsExt;
    let dir = folder(
        "outputs-fmt",
        &[
            ("real/s.rotor", b"buy   IWO    monthly\n"),
            ("real/s.rotor.tmp", b"my notes\n"),
            ("s.rotor.tmp", b"my other notes\n"),
        ],
    );
    std::fs::set_permissions(dir.join("real/s.rotor"), std::fs::Permissions::from_mode(0o600)).expect("chmod");
    std::os::unix::fs::symlink("real/s.rotor", dir.join("s.rotor")).expect("a symlink");
    let out = rotor(&dir, &["fmt", "--write", "s.rotor"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(
        std::fs::read_to_string(dir.join("real/s.rotor")).expect("there"),
        "buy IWO monthly\n"
    );
    assert!(
        std::fs::symlink_metadata(dir.join("s.rotor"))
            .expect("there")
            .file_type()
            .is_symlink()
    );
    let mode = std::fs::metadata(dir.join("real/s.rotor"))
        .expect("there")
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o600, "permissions kept");
    assert_unchanged(&dir, "real/s.rotor.tmp", b"my notes\n");
    assert_unchanged(&dir, "s.rotor.tmp", b"my other notes\n");
}

/// Runs `rotor ARGS…` in `dir` as a user without special powers: as `nobody` when the test
/// runs as root (root may write any file, so its refusal could not be seen), else as the
/// test's own user.
#[cfg(unix)]
fn rotor_unprivileged(dir: &Path, args: &[&str]) -> Run {
    use std::os::unix::process::CommandExt;
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_rotor"));
    command.args(args).current_dir(dir).env("NO_COLOR", "1");
    // SAFETY: `geteuid` only reads the process's user id.
    if unsafe { libc::geteuid() } == 0 {
        use std::os::unix::fs::PermissionsExt;
        // `nobody` must be able to enter the folder and make its temporary file there.
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o777)).expect("chmod");
        command.uid(65534).gid(65534);
    }
    let out = command.output().expect("the rotor binary runs");
    Run {
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        code: out.status.code().unwrap_or(-1),
    }
}

/// `fmt --write` and `--trades` replaced a read-only (0444) file: renaming over a file needs
/// leave to write in its folder only. They now fail as writing the file directly would,
/// and leave it as it was.
#[cfg(unix)]
#[test]
fn a_read_only_file_is_never_replaced() {
    use std::os::unix::fs::PermissionsExt;
    let dir = folder(
        "read-only",
        &[
            ("s.rotor", b"buy IWO monthly\n"),
            ("ro.rotor", b"buy   IWO   monthly\n"),
            ("keep.csv", b"mine\n"),
        ],
    );
    for name in ["s.rotor", "ro.rotor", "keep.csv"] {
        let mode = if name == "s.rotor" { 0o644 } else { 0o444 };
        std::fs::set_permissions(dir.join(name), std::fs::Permissions::from_mode(mode)).expect("chmod");
    }
    let fmt = rotor_unprivileged(&dir, &["fmt", "--write", "ro.rotor"]);
    let run = rotor_unprivileged(&dir, &["run", "s.rotor", "--trades", "keep.csv"]);
    for (out, name) in [(fmt, "ro.rotor"), (run, "keep.csv")] {
        assert_diagnostic(&out, "rotor::io::write");
        assert!(out.stderr.contains("Permission denied"), "{}", cut(&out.stderr));
        let meta = std::fs::metadata(dir.join(name)).expect("still there");
        assert_eq!(meta.permissions().mode() & 0o777, 0o444, "{name}");
    }
    assert_unchanged(&dir, "ro.rotor", b"buy   IWO   monthly\n");
    assert_unchanged(&dir, "keep.csv", b"mine\n");
}
