//! Shared test helpers: run the real binary (just's `tests/test.rs` style) and check
//! strategies through the library with the bundled sample data's names.

#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

use rotor::check::Catalog;
use rotor::pipeline::{self, Load, RunOptions};
use rotor::source::SourceMap;

/// The names in the bundled sample data, written out so diagnostics tests don't load it.
pub fn sample_catalog() -> Catalog {
    Catalog {
        symbols: ["IWM", "IWO", "IWN", "VTWG", "SPMD", "SPY"].map(String::from).to_vec(),
        series: [
            "fed_funds_rate",
            "fed_cut_prob",
            "us2y",
            "cpi_yoy",
            "unemployment",
            "usdkrw",
        ]
        .map(String::from)
        .to_vec(),
        fedwatch: false,
        bar_weekdays: 0,
        series_files: Vec::new(),
    }
}

/// Parses and checks `text` (named `name`) against the sample names; returns the plain
/// rendering of every diagnostic, or "ok".
pub fn diagnose(name: &str, bytes: &[u8]) -> String {
    diagnose_in(name, bytes, Path::new("."))
}

/// [`diagnose`], with `use` paths relative to `base`. Besides `base`, scripts may be read
/// anywhere in the repository (as `--allow-path` would allow), so fixtures can use the
/// example scripts in strategies/indicators/.
pub fn diagnose_in(name: &str, bytes: &[u8], base: &Path) -> String {
    let text = String::from_utf8_lossy(bytes).into_owned();
    let mut sources = SourceMap::new();
    // A path in `base`, so that `use` paths start there; the name is what diagnostics show.
    let file = sources.add(name, Some(base.join("strategy.rotor")), text);
    // As `rotor check` does: lines that parsed are checked even when others did not parse.
    let options = RunOptions {
        load: Load::Names(sample_catalog()),
        allow: vec![root().to_path_buf()],
        ..RunOptions::default()
    };
    let checked = pipeline::prepare(&file, &options, &mut sources).and_then(|p| pipeline::check(&p, &sources));
    match checked {
        Ok(_) => "ok\n".to_string(),
        Err(failure) => failure.render(false),
    }
}

/// A run of the `rotor` binary.
pub struct Run {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
}

/// Runs `rotor ARGS…` in `dir`, with colour off.
pub fn rotor(dir: &Path, args: &[&str]) -> Run {
    let Output { stdout, stderr, status } = Command::new(env!("CARGO_BIN_EXE_rotor"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("the rotor binary runs");
    Run {
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
        code: status.code().unwrap_or(-1),
    }
}

thread_local! {
    /// The folders [`temp_dir`] made on this thread. libtest runs each test on a thread of
    /// its own, so they are removed (each a `tempfile::TempDir`) when the test ends.
    static FOLDERS: std::cell::RefCell<Vec<tempfile::TempDir>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// A fresh folder of its own under the system's temporary folder, unique per call, removed
/// when the test (its thread) ends.
pub fn temp_dir(label: &str) -> std::path::PathBuf {
    let dir = tempfile::Builder::new()
        .prefix(&format!("rotor-{label}-"))
        .tempdir()
        .expect("temporary folder can be created");
    let path = dir.path().to_path_buf();
    FOLDERS.with(|folders| folders.borrow_mut().push(dir));
    path
}

/// The repository root.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Copies the fixture folder `tests/fixtures/NAME` into `dir` (as `dir/NAME`), so that a
/// strategy written in `dir` reads it from its own folder, as the file-access policy wants.
pub fn copy_fixtures(name: &str, dir: &Path) {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).expect("a folder can be created");
        for entry in std::fs::read_dir(from).expect("a fixture folder") {
            let entry = entry.expect("a folder entry");
            let target = to.join(entry.file_name());
            if entry.file_type().expect("a file type").is_dir() {
                copy(&entry.path(), &target);
            } else {
                std::fs::copy(entry.path(), &target).expect("a fixture copies");
            }
        }
    }
    copy(&root().join("tests/fixtures").join(name), &dir.join(name));
}

/// A fresh folder holding a copy of `tests/fixtures/FIXTURE` (as `FIXTURE/`) and the
/// strategy `body` as `s.rotor`, whose `data` paths start there (`data "FIXTURE/A.csv"`).
pub fn strategy_with_fixtures(fixture: &str, body: &str) -> std::path::PathBuf {
    let dir = temp_dir(fixture);
    copy_fixtures(fixture, &dir);
    std::fs::write(dir.join("s.rotor"), body).expect("temp file writable");
    dir
}

/// Runs [`strategy_with_fixtures`] through the library: the run's output, or the plain
/// rendering of its diagnostics.
pub fn run_with_fixtures(fixture: &str, body: &str) -> Result<pipeline::RunOutput, String> {
    let dir = strategy_with_fixtures(fixture, body);
    let mut sources = SourceMap::new();
    pipeline::run_file(&dir.join("s.rotor"), &RunOptions::default(), &mut sources).map_err(|f| f.render(false))
}

/// Runs a strategy `body` through the library over `tests/fixtures/FIXTURE/prices.csv` and
/// `macro.csv` (read where they are, as `--allow-path` allows); panics with the rendered
/// diagnostics if the strategy fails.
pub fn fixture_run(fixture: &str, body: &str) -> pipeline::RunOutput {
    let dir = temp_dir(fixture);
    let fixtures = root().join("tests/fixtures").join(fixture);
    let text = format!(
        "data \"{}\"\ndata \"{}\"\n{body}\n",
        fixtures.join("prices.csv").display(),
        fixtures.join("macro.csv").display()
    );
    let path = dir.join("s.rotor");
    std::fs::write(&path, text).expect("temp file writable");
    let mut sources = SourceMap::new();
    let options = RunOptions {
        allow: vec![fixtures],
        ..RunOptions::default()
    };
    match pipeline::run_file(&path, &options, &mut sources) {
        Ok(out) => out,
        Err(f) => panic!("{}", f.render(false)),
    }
}

/// Runs a strategy `body` over the money fixtures (tests/fixtures/money/: AAA and BBB
/// prices, `krw` KRW per USD and `dff` yearly percent; tests/money.rs describes them),
/// with `fill close` unless the body sets a fill rule.
pub fn money_run(body: &str) -> pipeline::RunOutput {
    let fill = if body.contains("fill ") { "" } else { "fill close\n" };
    fixture_run("money", &format!("{fill}{body}"))
}

/// Standard error with miette's wrapped lines (`  │ …`) joined again.
pub fn flat(stderr: &str) -> String {
    let mut out = String::new();
    for line in stderr.lines() {
        match line.trim_start().strip_prefix("│ ") {
            Some(rest) if !out.ends_with('-') => out.push_str(&format!(" {rest}")),
            Some(rest) => out.push_str(rest),
            None => out.push_str(&format!("\n{line}")),
        }
    }
    out
}

/// A run of `rotor ARGS…` in `dir` that was given at most `timeout`, with the most memory
/// it held at once (its peak resident set, in KiB).
pub struct Bounded {
    pub run: Run,
    pub peak_kib: i64,
}

/// Runs `rotor ARGS…` in `dir` for at most `timeout`: `None` when it had to be stopped (a
/// hang, or work that grows faster than its input). The peak memory is the child's own
/// (`wait4`), not that of other tests' children.
#[cfg(target_os = "linux")]
// The child is reaped by `wait4` below (std's `wait` cannot report its peak memory).
#[allow(clippy::zombie_processes)]
pub fn rotor_bounded(dir: &Path, args: &[&str], timeout: std::time::Duration) -> Option<Bounded> {
    use std::io::Read;
    let mut child = Command::new(env!("CARGO_BIN_EXE_rotor"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the rotor binary starts");
    // Read from threads, so a full pipe never stops the child.
    let drain = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = pipe.read_to_end(&mut bytes);
            String::from_utf8_lossy(&bytes).into_owned()
        })
    };
    let stdout = drain(Box::new(child.stdout.take().expect("stdout is piped")));
    let stderr = drain(Box::new(child.stderr.take().expect("stderr is piped")));
    let pid = child.id() as libc::pid_t;
    let start = std::time::Instant::now();
    loop {
        let mut status = 0;
        // SAFETY: `rusage` is plain data that `wait4` fills in; `pid` is our own child,
        // reaped here once (std's `Child` is not waited on afterwards).
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        let done = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
        if done == pid {
            let code = if libc::WIFEXITED(status) {
                libc::WEXITSTATUS(status)
            } else {
                -1
            };
            return Some(Bounded {
                run: Run {
                    stdout: stdout.join().expect("the reader ends"),
                    stderr: stderr.join().expect("the reader ends"),
                    code,
                },
                peak_kib: usage.ru_maxrss,
            });
        }
        if start.elapsed() > timeout {
            let _ = child.kill();
            // SAFETY: as above; reaps the killed child.
            unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
            return None;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}
