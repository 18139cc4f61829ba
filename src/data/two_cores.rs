//! The scans of a large file's bytes before its rows are read (NUL bytes, UTF-8, quotes,
//! line ends), each split over two threads: until the rows are read in two halves, the
//! second core would otherwise wait. Each scan's answer is the one a single pass gives.

/// Bytes from which a scan is split over two threads: below it, starting a thread (tens of
/// microseconds) costs more than half the scan saves (a scan runs at several GB/s).
pub(crate) const SPLIT_FROM: usize = 4 << 20;

/// `scan(first)` on another thread and `scan(second)` on this one. A panic in `scan` is
/// passed on as it is.
pub(crate) fn on_two<T: Send>(first: &[u8], second: &[u8], scan: impl Fn(&[u8]) -> T + Sync) -> (T, T) {
    std::thread::scope(|scope| {
        let other = scope.spawn(|| scan(first));
        let ours = scan(second);
        let theirs = other.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (theirs, ours)
    })
}

/// `bytes` as UTF-8 text, or the error [`std::str::from_utf8`] gives. The check is
/// simdutf8's (vector instructions, chosen at run time), on two threads from
/// [`SPLIT_FROM`] bytes; on an error the standard library's check finds where it is.
pub(crate) fn utf8(bytes: &[u8]) -> Result<&str, std::str::Utf8Error> {
    let valid = |part: &[u8]| simdutf8::basic::from_utf8(part).is_ok();
    // Cut where a character starts (not a continuation byte, `10xx_xxxx`), so that text
    // that is valid is valid in both parts; none in four bytes means the text is not.
    let cut = (bytes.len() >= SPLIT_FROM)
        .then(|| {
            let middle = bytes.len() / 2;
            let starts = bytes[middle..].iter().take(4).position(|&b| b & 0xC0 != 0x80)?;
            Some(middle + starts)
        })
        .flatten();
    let checked = match cut {
        Some(cut) => on_two(&bytes[..cut], &bytes[cut..], valid) == (true, true),
        None => valid(bytes),
    };
    if checked {
        // SAFETY: simdutf8 found every part valid UTF-8, and two valid UTF-8 texts one
        // after the other are valid UTF-8 (every character of each lies whole inside it).
        return Ok(unsafe { std::str::from_utf8_unchecked(bytes) });
    }
    std::str::from_utf8(bytes)
}

/// Where `byte` first occurs in `bytes` (memchr's vector search, on two threads from
/// [`SPLIT_FROM`] bytes).
pub(crate) fn find(bytes: &[u8], byte: u8) -> Option<usize> {
    let search = |part: &[u8]| memchr::memchr(byte, part);
    if bytes.len() < SPLIT_FROM {
        return search(bytes);
    }
    let cut = bytes.len() / 2;
    let (first, second) = on_two(&bytes[..cut], &bytes[cut..], search);
    first.or(second.map(|at| cut + at))
}

/// Whether `byte` occurs in `bytes` ([`find`]).
pub(crate) fn contains(bytes: &[u8], byte: u8) -> bool {
    find(bytes, byte).is_some()
}

/// The number of line feeds in `first` and in `second` (memchr's vector count, the two on
/// two threads when they hold [`SPLIT_FROM`] bytes together).
pub(crate) fn line_ends(first: &[u8], second: &[u8]) -> (usize, usize) {
    let count = |part: &[u8]| memchr::memchr_iter(b'\n', part).count();
    if first.len() + second.len() < SPLIT_FROM {
        return (count(first), count(second));
    }
    on_two(first, second, count)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A text of at least [`SPLIT_FROM`] bytes: `unit` repeated, with `tail` at the end
    /// and `at_middle` written over the bytes from the middle on.
    fn large(unit: &str, at_middle: &[u8], tail: &[u8]) -> Vec<u8> {
        let mut bytes = unit.as_bytes().repeat(SPLIT_FROM / unit.len() + 1);
        let middle = bytes.len() / 2;
        bytes[middle..middle + at_middle.len()].copy_from_slice(at_middle);
        bytes.extend_from_slice(tail);
        bytes
    }

    #[test]
    fn large_text_is_checked_as_one_pass_checks_it() {
        // Characters of one to four bytes cut at every offset around the middle, and bad
        // bytes there and at the very end.
        let units = ["a,1.5\n", "일자,종가\n", "€𝄞x", "ab𝄞"];
        for unit in units {
            for shift in 0..8 {
                let mut bytes = "x".repeat(shift).into_bytes();
                bytes.extend(large(unit, b"", b""));
                let text = std::str::from_utf8(&bytes).expect("the fixture is UTF-8");
                assert_eq!(utf8(&bytes), Ok(text), "{unit} {shift}");
            }
        }
        for (at_middle, tail) in [
            (&b"\xff"[..], &b""[..]),
            (b"\x80\x80\x80\x80\x80", b""),
            (b"\xe2\x82", b""),
            (b"", b"\xf0\x9d\x84"),
            (b"", b"\xc3"),
            (b"\xed\xa0\x80", b""),
        ] {
            let bytes = large("a,1.5\n", at_middle, tail);
            let (ours, std) = (utf8(&bytes), std::str::from_utf8(&bytes));
            assert_eq!(ours.map_err(|e| e.valid_up_to()), std.map_err(|e| e.valid_up_to()));
            assert!(ours.is_err());
        }
    }

    #[test]
    fn large_scans_find_what_one_pass_finds() {
        for (at_middle, tail) in [(&b""[..], &b""[..]), (b"\"", b""), (b"", b"\""), (b"\n\"\n", b"")] {
            let bytes = large("2024-01-02,1.5\n", at_middle, tail);
            assert_eq!(contains(&bytes, b'"'), memchr::memchr(b'"', &bytes).is_some());
            assert_eq!(find(&bytes, b'"'), memchr::memchr(b'"', &bytes));
            let cut = bytes.len() / 2 + 1;
            let (first, second) = bytes.split_at(cut);
            let count = |b: &[u8]| b.iter().filter(|&&b| b == b'\n').count();
            assert_eq!(line_ends(first, second), (count(first), count(second)));
        }
    }

    proptest! {
        #[test]
        fn small_text_is_checked_as_std_checks_it(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            prop_assert_eq!(
                utf8(&bytes).map_err(|e| (e.valid_up_to(), e.error_len())),
                std::str::from_utf8(&bytes).map_err(|e| (e.valid_up_to(), e.error_len()))
            );
            prop_assert_eq!(contains(&bytes, b'"'), bytes.contains(&b'"'));
            prop_assert_eq!(find(&bytes, 0), bytes.iter().position(|&b| b == 0));
        }
    }
}
