//! Any bytes, read as a data file the way `rotor run --data FILE` reads it: loading must not
//! panic, overflow the stack or hang, under every option a run can give, and every error must
//! render as the command line renders it.

#![no_main]

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use libfuzzer_sys::fuzz_target;
use rotor::data::{LoadOptions, load_path};
use rotor::diagnostic::Failure;
use rotor::source::SourceMap;

/// One file per fuzzing process, rewritten for every input: the loader is exercised through
/// the path the command line uses (reading bytes, the UTF-8 check, the layout, the rows).
fn file() -> &'static PathBuf {
    static FILE: OnceLock<PathBuf> = OnceLock::new();
    FILE.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("rotor-fuzz-csv-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a temporary folder");
        // The stem is a symbol, so one-symbol layouts get a name as they would from `IWO.csv`.
        dir.join("IWO.csv")
    })
}

fuzz_target!(|data: &[u8]| {
    let path = file();
    std::fs::write(path, data).expect("the temporary file can be written");
    let only: Arc<BTreeSet<String>> = Arc::new(["IWO", "close", "fed_cut_prob"].map(String::from).into());
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
    let sources = SourceMap::new();
    for opts in &options {
        if let Err(error) = load_path(path, opts) {
            let rendered = Failure::one(error, &sources).render(false);
            assert!(!rendered.is_empty());
        }
    }
});
