//! A sharded sweep on a real batch system: examples/slurm/submit.sh runs a sweep of the
//! fixture strategy as a Slurm job array of 4 shards (`--shard $SLURM_ARRAY_TASK_ID/4`),
//! the merge as a job depending on it, and the merged table and JSON must be the bytes of
//! the same sweep run on one machine. A shard that fails must fail the whole submission
//! (the merge is cancelled, never left pending) and leave no merged table.
//!
//! Needs a responding Slurm with an idle node (`.ci/run` installs Debian's `slurm-wlm` and
//! `munge` and starts a single-node cluster with examples/slurm/cluster.sh); skipped, with
//! a message, where there is none — unless ROTOR_SLURM_REQUIRED=1, which `.ci/run` sets
//! when it started a cluster, so that a broken setup fails instead of skipping. The jobs
//! run on whatever node Slurm picks, so the test's folder is under target/ (on a cluster,
//! usually a shared file system), not /tmp.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::{root, rotor};

/// The grid: 3 symbols × 5 thresholds = 15 variants, so 4 shards hold 4, 4, 4 and 3.
const GRID: [&str; 4] = ["--vary", "sym=AAA,BBB,CCC", "--vary", "threshold=0.1:0.9:0.2"];
const SHARDS: usize = 4;
/// Bound on each submission, queueing included: a single node runs it in a few seconds.
const TIMEOUT: Duration = Duration::from_secs(150);

/// Runs `command` to the end or for `timeout`, whichever comes first; `None` if it could not
/// start or was stopped (with its whole process group) at the timeout.
fn run_bounded(command: &mut Command, timeout: Duration) -> Option<Output> {
    use std::os::unix::process::CommandExt;
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .process_group(0)
        .spawn()
        .ok()?;
    let start = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(_)) => return child.wait_with_output().ok(),
            Ok(None) if start.elapsed() < timeout => std::thread::sleep(Duration::from_millis(50)),
            _ => {
                // The group: a shell script's `sbatch --wait` child must stop too.
                let _ = Command::new("kill").arg("--").arg(format!("-{}", child.id())).status();
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
        }
    }
}

/// Why Slurm cannot run the test here, or `None` when it can: the client commands exist
/// and the controller answers with at least one idle (or partly used) node.
fn slurm_missing() -> Option<String> {
    let version = run_bounded(Command::new("sbatch").arg("--version"), Duration::from_secs(10));
    if !version.is_some_and(|o| o.status.success()) {
        return Some("`sbatch` is not installed (`apt-get install slurm-wlm munge`)".into());
    }
    let Some(sinfo) = run_bounded(Command::new("sinfo").args(["-h", "-o", "%t"]), Duration::from_secs(20)) else {
        return Some("`sinfo` did not answer within 20 s".into());
    };
    let states = String::from_utf8_lossy(&sinfo.stdout).into_owned();
    if !sinfo.status.success() {
        let why = String::from_utf8_lossy(&sinfo.stderr);
        return Some(format!("no Slurm controller answers (`sinfo`: {})", why.trim()));
    }
    if !states.lines().any(|s| s.starts_with("idle") || s.starts_with("mix")) {
        return Some(format!("no idle Slurm node (`sinfo` states: {})", states.trim()));
    }
    None
}

/// True when the test may run; prints why not (or panics when CI asked for Slurm).
fn slurm_ready() -> bool {
    let Some(why) = slurm_missing() else { return true };
    if std::env::var("ROTOR_SLURM_REQUIRED").as_deref() == Ok("1") {
        panic!("ROTOR_SLURM_REQUIRED=1 but {why}");
    }
    eprintln!("skipped: {why}; see examples/slurm/README.md");
    false
}

/// A fresh folder under target/ holding the fixture strategy and its data.
fn sweep_folder(label: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("slurm-{label}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a folder under target/ can be created");
    let engine = root().join("tests/fixtures/engine");
    for name in ["prices.csv", "macro.csv"] {
        std::fs::copy(engine.join(name), dir.join(name)).expect("fixture copied");
    }
    std::fs::copy(root().join("tests/fixtures/slurm/sweep.rotor"), dir.join("sweep.rotor")).expect("fixture copied");
    dir
}

/// `examples/slurm/submit.sh --wait N sweep.rotor GRID…` in `dir`, with `program` as rotor;
/// the jobs carry the name `job_name`, so a submission that overruns is cancelled.
fn submit(dir: &Path, program: &Path, job_name: &str) -> Output {
    let mut command = Command::new(root().join("examples/slurm/submit.sh"));
    command
        .arg("--wait")
        .arg(SHARDS.to_string())
        .arg("sweep.rotor")
        .args(GRID)
        .current_dir(dir)
        .env("ROTOR", program)
        .env("ROTOR_RESULTS", "results")
        .env("NO_COLOR", "1")
        // Overrides the scripts' #SBATCH --job-name.
        .env("SBATCH_JOB_NAME", job_name);
    let output = run_bounded(&mut command, TIMEOUT);
    output.unwrap_or_else(|| {
        let _ = run_bounded(
            Command::new("scancel").arg(format!("--name={job_name}")),
            Duration::from_secs(20),
        );
        panic!("the Slurm submission did not finish within {TIMEOUT:?}; its jobs were cancelled")
    })
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The shard files' `shard` fields and grid indices.
fn shard_indices(results: &Path) -> Vec<(String, Vec<u64>)> {
    (1..=SHARDS)
        .map(|k| {
            let path = results.join(format!("shard-{k}.json"));
            let json = std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("{} was written", path.display()));
            let v: serde_json::Value = serde_json::from_str(&json).expect("a shard is JSON");
            let indices = v["variants"]
                .as_array()
                .expect("variants")
                .iter()
                .map(|o| o["index"].as_u64().expect("an index"))
                .collect();
            (v["shard"].as_str().expect("a shard field").to_string(), indices)
        })
        .collect()
}

#[test]
fn a_job_array_of_shards_merges_into_the_single_machine_sweep() {
    if !slurm_ready() {
        return;
    }
    let dir = sweep_folder("array");
    let args = [&["sweep", "sweep.rotor", "--jobs", "1"], &GRID[..]].concat();
    let table = rotor(&dir, &args);
    assert_eq!(table.code, 0, "{}", table.stderr);
    let json = rotor(&dir, &[&args[..], &["--json"]].concat());
    assert_eq!(json.code, 0, "{}", json.stderr);

    let out = submit(
        &dir,
        Path::new(env!("CARGO_BIN_EXE_rotor")),
        &format!("rotor-test-{}", std::process::id()),
    );
    assert!(
        out.status.success(),
        "submit.sh failed:\n{}\n{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    let results = dir.join("results");

    // Each array task K ran shard K/4: the variants whose index i has i % 4 == K - 1.
    let shards = shard_indices(&results);
    for (k, (shard, indices)) in shards.iter().enumerate() {
        assert_eq!(shard, &format!("{}/{SHARDS}", k + 1));
        let mut sorted = indices.clone();
        sorted.sort_unstable();
        let expected: Vec<u64> = (0..15).filter(|i| *i as usize % SHARDS == k).collect();
        assert_eq!(sorted, expected, "shard {shard}");
    }
    // The merged table and JSON are the single machine's bytes.
    let merged_table = std::fs::read_to_string(results.join("sweep.txt")).expect("the merge wrote the table");
    let merged_json = std::fs::read_to_string(results.join("sweep.json")).expect("the merge wrote the JSON");
    assert_eq!(merged_table, table.stdout, "merged table vs one machine");
    assert_eq!(merged_json, json.stdout, "merged JSON vs one machine");
    assert_eq!(text(&out.stdout), table.stdout, "submit.sh --wait prints the table");
    let v: serde_json::Value = serde_json::from_str(&merged_json).expect("JSON");
    assert_eq!(v["variants"].as_array().map(Vec::len), Some(15));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_failed_shard_fails_the_submission_and_cancels_the_merge() {
    if !slurm_ready() {
        return;
    }
    let dir = sweep_folder("failed");
    // rotor, except that array task 3 fails as a crashed node would.
    let wrapper = dir.join("flaky-rotor");
    let script = format!(
        "#!/bin/sh\nif [ \"$SLURM_ARRAY_TASK_ID\" = 3 ]; then echo 'shard 3 lost' >&2; exit 1; fi\nexec '{}' \"$@\"\n",
        env!("CARGO_BIN_EXE_rotor")
    );
    std::fs::write(&wrapper, script).expect("the wrapper can be written");
    let status = Command::new("chmod")
        .arg("+x")
        .arg(&wrapper)
        .status()
        .expect("chmod runs");
    assert!(status.success());

    let job_name = format!("rotor-test-failed-{}", std::process::id());
    let out = submit(&dir, &wrapper, &job_name);
    let stderr = text(&out.stderr);
    assert!(
        !out.status.success(),
        "a failed shard must fail the submission:\n{stderr}"
    );
    assert!(stderr.contains("the sweep failed"), "{stderr}");
    let results = dir.join("results");
    assert!(
        !results.join("shard-3.json").exists(),
        "no shard file from the failed task"
    );
    assert!(!results.join("sweep.json").exists(), "no merged JSON");
    assert!(!results.join("sweep.txt").exists(), "no merged table");
    let log = std::fs::read_to_string(results.join("shard-3.log")).unwrap_or_default();
    assert!(log.contains("shard 3 lost"), "the failed task's log: {log}");
    let _ = std::fs::remove_dir_all(&dir);
}
