//! Any bytes, read as a strategy file: parsing must not panic, overflow the stack or hang,
//! and every diagnostic must render against the source map, as the command line renders it.

#![no_main]

use libfuzzer_sys::fuzz_target;
use rotor::source::SourceMap;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    let mut map = SourceMap::new();
    // A file before the fuzzed one, so spans are global offsets rather than local ones.
    map.add("before.rotor", None, "buy IWO\n".to_string());
    let file = map.add("fuzzed.rotor", None, text);
    let (_ast, errors) = rotor::syntax::parse_file(&file);
    assert!(
        errors.len() <= rotor::syntax::MAX_ERRORS,
        "too many errors: {}",
        errors.len()
    );
    let end = file.base as usize + file.text.len();
    for error in &errors {
        let span = error.span();
        assert!(
            span.start >= file.base && span.end as usize <= end,
            "{error:?} lies outside its file"
        );
        let local = (span.start - file.base) as usize..(span.end - file.base) as usize;
        assert!(file.text.get(local).is_some(), "{error:?} splits a character");
    }
    for error in &errors {
        let out = rotor::display::render(error, Some(&map), false);
        assert!(!out.is_empty());
    }
});
