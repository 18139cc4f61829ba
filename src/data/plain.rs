//! The fast path for number cells: an unquoted number read straight from the file's bytes.
//!
//! Nearly every cell in a price file is a short plain decimal such as `101.25`. The fast
//! path hands the bytes to the number parser ([`number_prefix`], `lexical-core`) in place,
//! without first finding the cell's end or trimming it; the caller then checks that the
//! number ends where the cell does. Anything else (quotes, blanks, thousands marks, words)
//! is left to the caller's general path, which gives the same value or the diagnostic.

use super::cell::number_prefix;

/// Reads a number starting at `bytes[at]`, written with the decimal mark `decimal`, up to
/// the first byte that cannot continue it, and returns its value and where it ends.
///
/// `None` means "not handled here" (no number, or one too large for an `f64`), never "not
/// a number": the caller then parses the cell the general way.
#[inline]
pub(crate) fn plain_number(bytes: &[u8], at: usize, decimal: u8) -> Option<(f64, usize)> {
    let (value, taken) = number_prefix(bytes.get(at..)?, decimal)?;
    value.is_finite().then_some((value, at + taken))
}

/// A plain number at `bytes[at]` as [`plain_number`] reads it, or `NaN` for a cell that is
/// empty or `.` (two of the [missing markers](super::cell::is_missing)), in a file whose
/// fields are separated by `delimiter`.
#[inline]
pub(crate) fn plain_or_missing(bytes: &[u8], at: usize, delimiter: u8, decimal: u8) -> Option<(f64, usize)> {
    let ends = |i: usize| match bytes.get(i) {
        None | Some(b'\n' | b'\r') => true,
        Some(&b) => b == delimiter,
    };
    if ends(at) {
        return Some((f64::NAN, at));
    }
    if bytes[at] == b'.' && ends(at + 1) {
        return Some((f64::NAN, at + 1));
    }
    plain_number(bytes, at, decimal)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The value when the whole text is a plain number the fast path takes.
    fn whole(text: &str) -> Option<f64> {
        plain_number(text.as_bytes(), 0, b'.').and_then(|(v, end)| (end == text.len()).then_some(v))
    }

    #[test]
    fn plain_numbers() {
        assert_eq!(whole("101.25"), Some(101.25));
        assert_eq!(whole("12345"), Some(12345.0));
        assert_eq!(whole("-0.04"), Some(-0.04));
        assert_eq!(whole("007.50"), Some(7.5));
        assert_eq!(whole("1e3"), Some(1000.0));
        let negative_zero = whole("-0.0").expect("plain");
        assert!(negative_zero == 0.0 && negative_zero.is_sign_negative());
    }

    #[test]
    fn stops_at_the_first_byte_that_cannot_continue() {
        assert_eq!(plain_number(b"1.5,2", 0, b'.'), Some((1.5, 3)));
        assert_eq!(plain_number(b"x,42\n", 2, b'.'), Some((42.0, 4)));
        assert_eq!(plain_number(b"1.5;2", 0, b'.'), Some((1.5, 3)));
        assert_eq!(plain_number(b"100,5;2", 0, b','), Some((100.5, 5)));
        assert_eq!(
            plain_number(b"1,234", 0, b'.'),
            Some((1.0, 1)),
            "the caller sees `,` where the cell goes on, and falls back"
        );
    }

    #[test]
    fn missing_cells() {
        assert!(plain_or_missing(b"a,,b", 2, b',', b'.').is_some_and(|(v, end)| v.is_nan() && end == 2));
        assert!(plain_or_missing(b".\r\n", 0, b',', b'.').is_some_and(|(v, end)| v.is_nan() && end == 1));
        assert!(plain_or_missing(b"a;;b", 2, b';', b',').is_some_and(|(v, end)| v.is_nan() && end == 2));
        assert_eq!(plain_or_missing(b"4.5", 0, b',', b'.'), Some((4.5, 3)));
        assert_eq!(plain_or_missing(b"..", 0, b',', b'.'), None);
    }

    #[test]
    fn other_forms_are_left_to_the_slow_path() {
        for text in ["", "-", "abc", "inf", "NaN", "infinity", "1e400", " 5"] {
            assert_eq!(
                plain_number(text.as_bytes(), 0, b'.').filter(|&(_, e)| e == text.len()),
                None,
                "{text}"
            );
        }
    }

    proptest! {
        #[test]
        fn equals_str_parse_bit_for_bit(text in "-?[0-9]{1,24}(\\.[0-9]{1,24})?") {
            let expected = text.parse::<f64>().expect("the pattern is a valid float");
            prop_assert_eq!(whole(&text).map(f64::to_bits), Some(expected.to_bits()), "{}", text);
        }

        #[test]
        fn decimal_commas_read_the_same(text in "-?[0-9]{1,12}(\\.[0-9]{1,12})?") {
            let expected = text.parse::<f64>().expect("the pattern is a valid float");
            let comma = text.replace('.', ",");
            let read = plain_number(comma.as_bytes(), 0, b',').filter(|&(_, e)| e == comma.len());
            prop_assert_eq!(read.map(|(v, _)| v.to_bits()), Some(expected.to_bits()), "{}", comma);
        }
    }
}
