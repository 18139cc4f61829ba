//! Mutated data files never make the loader panic: every fixture in tests/fixtures/data,
//! mutated a few hundred times (bytes flipped, inserted, deleted, duplicated, lines swapped,
//! separators, quotes, NULs and 70,000-byte runs put in), is loaded under every option a run
//! can give, and each error is rendered. Bounded to a few seconds; `ROTOR_MUTATIONS=N` runs
//! N mutations per fixture instead (the fuzz target in fuzz/ is the long version).

use std::collections::BTreeSet;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::Arc;

use rotor::data::{LoadOptions, load_bytes};
use rotor::diagnostic::Failure;
use rotor::source::SourceMap;

/// A small deterministic generator (a 64-bit LCG, Knuth's constants), so a failure can be
/// reproduced from its seed.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const INSERTS: &[&[u8]] = &[
    b",",
    b";",
    b"\t",
    b"\"",
    b"\"\"",
    b"\n",
    b"\r\n",
    b"\0",
    b"\xff",
    b"\xef\xbb\xbf",
    b"-",
    b"e999",
    b"NaN",
    b"1e-320",
    b"2024-02-30",
    b"null",
    b"\xe2\x80\xae",
];

fn mutate(input: &[u8], rng: &mut Lcg) -> Vec<u8> {
    let mut bytes = input.to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(bytes.len() + 1);
        match rng.below(8) {
            0 if !bytes.is_empty() => {
                let i = at.min(bytes.len() - 1);
                bytes[i] ^= 1 << rng.below(8);
            }
            1 => {
                let piece = INSERTS[rng.below(INSERTS.len())];
                bytes.splice(at..at, piece.iter().copied());
            }
            2 => {
                let end = (at + rng.below(64)).min(bytes.len());
                bytes.drain(at..end);
            }
            3 => {
                let end = (at + rng.below(200)).min(bytes.len());
                let copy = bytes[at..end].to_vec();
                bytes.splice(at..at, copy);
            }
            4 => {
                let mut lines: Vec<Vec<u8>> = bytes.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
                let (i, j) = (rng.below(lines.len()), rng.below(lines.len()));
                lines.swap(i, j);
                bytes = lines.join(&b'\n');
            }
            5 => {
                let run = [b' ', b'9', b',', b'a'][rng.below(4)];
                bytes.splice(at..at, std::iter::repeat_n(run, 70_000));
            }
            6 => bytes.truncate(at),
            _ => {
                let byte = rng.next() as u8;
                bytes.insert(at, byte);
            }
        }
    }
    bytes
}

fn fixtures() -> Vec<(String, Vec<u8>)> {
    fn walk(dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .expect("the fixtures folder")
            .map(|e| e.expect("an entry").path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv")) {
                let name = path.file_name().expect("a name").to_string_lossy().into_owned();
                out.push((name, std::fs::read(&path).expect("readable")));
            }
        }
    }
    let mut out = Vec::new();
    walk(&super::common::root().join("tests/fixtures/data"), &mut out);
    out
}

#[test]
fn mutated_data_files_never_panic_the_loader() {
    let per_fixture: usize = std::env::var("ROTOR_MUTATIONS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(40);
    let only: Arc<BTreeSet<String>> = Arc::new(["IWO", "AAA", "fed_cut_prob"].map(String::from).into());
    let options = [
        LoadOptions::default(),
        LoadOptions {
            lenient: true,
            only: Some(only),
            ..LoadOptions::default()
        },
        LoadOptions {
            lenient: true,
            symbol: Some("ALIAS".into()),
            ..LoadOptions::default()
        },
    ];
    let fixtures = fixtures();
    assert!(fixtures.len() >= 10, "the data fixtures are there");
    let mut loaded = 0;
    for (index, (name, bytes)) in fixtures.iter().enumerate() {
        for round in 0..per_fixture {
            let seed = (index * 1_000_003 + round) as u64;
            let mutated = mutate(bytes, &mut Lcg(seed));
            for opts in &options {
                let outcome = catch_unwind(AssertUnwindSafe(|| match load_bytes(name, mutated.clone(), opts) {
                    Ok(_) => true,
                    Err(error) => {
                        let shown = Failure::one(error, &SourceMap::new()).render(false);
                        assert!(shown.contains("rotor::data::"), "{shown}");
                        false
                    }
                }));
                match outcome {
                    Ok(ok) => loaded += usize::from(ok),
                    Err(_) => panic!("loading {name} mutated with seed {seed} panicked (options {opts:?})"),
                }
            }
        }
    }
    // Some mutations leave the file loadable; if none did, the mutations would test nothing.
    assert!(loaded > 0);
}
