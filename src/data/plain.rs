//! The fast path for number cells: an unquoted number read straight from the file's bytes.
//!
//! Nearly every cell in a price file is a short plain decimal such as `101.25`, and a
//! general float parser spends most of its time on the general case. A plain decimal with
//! at most 19 significant digits is read here as an integer mantissa `m` and a count `k` of
//! fraction digits; when `m < 2^53` and `k ≤ 22`, both `m` and `10^k` are exact `f64`s, so
//! the one division `m / 10^k` is correctly rounded (Clinger's fast path) and the result is
//! bit for bit what any correct parser gives. Every other number (exponents, long
//! mantissas) goes to `lexical-core` ([`number_prefix`]) in place. Measured: `lexical-core`
//! alone for every cell made a daily run 18% more instructions (docs/PERFORMANCE.md).

use super::cell::number_prefix;

/// Powers of ten that are exact in an `f64`: `10^22` is the last one.
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
    1e21, 1e22,
];

/// Integers below this are exact in an `f64`.
const EXACT_LIMIT: u64 = 1 << 53;

/// Reads a number starting at `bytes[at]`, written with the decimal mark `decimal`, up to
/// the first byte that cannot continue it, and returns its value and where it ends.
///
/// `None` means "not handled here" (no number, or one too large for an `f64`), never "not
/// a number": the caller then parses the cell the general way.
#[inline]
pub(crate) fn plain_number(bytes: &[u8], at: usize, decimal: u8) -> Option<(f64, usize)> {
    // The mark as a constant in the digit loop: a compare with a variable costs more there.
    if let Some(read) = word_decimal(bytes, at, decimal) {
        return Some(read);
    }
    let short = if decimal == b',' {
        short_decimal::<b','>(bytes, at)
    } else {
        short_decimal::<b'.'>(bytes, at)
    };
    if let Some(read) = short {
        return Some(read);
    }
    let (value, taken) = number_prefix(bytes.get(at..)?, decimal)?;
    value.is_finite().then_some((value, at + taken))
}

/// Clinger's fast path over `[-]digits[<decimal>digits]`, or `None` for any other form
/// (which [`plain_number`] hands to the full parser). It stops at the first byte that
/// cannot continue such a number: before the `e` of `1.5e3`, where the caller, finding no
/// delimiter, falls back to the general path for the whole cell.
#[inline]
fn short_decimal<const DECIMAL: u8>(bytes: &[u8], at: usize) -> Option<(f64, usize)> {
    let rest = bytes.get(at..)?;
    let negative = rest.first() == Some(&b'-');
    let int_start = usize::from(negative);
    // The integer digits, then at most one mark and the fraction's digits: two tight loops
    // rather than one that also watches for the mark on every digit. The mantissa wraps
    // past 19 digits, which the count below catches.
    let mut mantissa: u64 = 0;
    let mut i = digits(rest, int_start, &mut mantissa);
    let int_digits = i - int_start;
    let mut fraction = 0;
    if rest.get(i) == Some(&DECIMAL) {
        let start = i + 1;
        i = digits(rest, start, &mut mantissa);
        fraction = i - start;
        // Digits on both sides of the mark.
        if int_digits == 0 || fraction == 0 {
            return None;
        }
    } else if int_digits == 0 {
        return None;
    }
    // Up to 19 digits cannot overflow; more may have wrapped, unless they are leading zeros.
    if int_digits + fraction > 19 {
        mantissa = significant(&rest[int_start..i])?;
    }
    if mantissa >= EXACT_LIMIT || fraction >= POW10.len() {
        return None;
    }
    let value = mantissa as f64 / POW10[fraction];
    Some((if negative { -value } else { value }, at + i))
}

/// [`short_decimal`] for a number that ends within the eight bytes from `at` (nearly every
/// price and volume cell): its digits are found and converted eight at a time, not one by
/// one. `None` for anything else (a sign, no digit on a side of the mark, eight digits in a
/// row, fewer than eight bytes left), which [`plain_number`] then reads the usual way;
/// where it answers, the answer is [`short_decimal`]'s, bit for bit (a property test
/// checks).
#[inline(always)]
pub(crate) fn word_decimal(bytes: &[u8], at: usize, decimal: u8) -> Option<(f64, usize)> {
    // Two length tests rather than `at + 8` with its overflow test.
    let rest = bytes.get(at..)?;
    let chunk: [u8; 8] = rest.get(..8)?.try_into().ok()?;
    let word = u64::from_le_bytes(chunk);
    // Each byte XOR b'0': a digit becomes its value 0..=9, any other byte something above
    // 9; the test below marks those bytes' top bits without a carry from one byte to the next.
    let x = word ^ 0x3030_3030_3030_3030;
    let not_digit = (((x & 0x7F7F_7F7F_7F7F_7F7F).wrapping_add(0x7676_7676_7676_7676)) | x) & 0x8080_8080_8080_8080;
    // The integer digits run up to the first byte that is not a digit: its flag is bit
    // `8 * int + 7` (bit 64, none, when all eight bytes are digits).
    let flag = not_digit.trailing_zeros();
    let int = flag / 8;
    if int == 0 || int == 8 {
        return None;
    }
    // The first `int` bytes, from the lowest: the bit where the byte after them starts.
    let int_bits = flag - 7;
    if (word >> int_bits) as u8 != decimal {
        let value = eight_digits(x << (64 - int_bits));
        // Below 10^8: exact, and a signed conversion is one instruction.
        return Some((value as i64 as f64, at + int as usize));
    }
    // The fraction runs from after the mark up to the next byte that is not a digit, whose
    // flag is the lowest left once the mark's is cleared; it must be within the eight bytes
    // and at least one digit after the mark.
    let rest = not_digit & not_digit.wrapping_sub(1);
    let end_flag = rest.trailing_zeros();
    if end_flag == 64 || end_flag < flag + 16 {
        return None;
    }
    let end = end_flag / 8;
    let fraction = end - int - 1;
    // The digits without the mark: those before it, and those after it moved down a byte,
    // then shifted up so the last digit is the top byte.
    let below = (1u64 << int_bits) - 1;
    let joined = (x & below) | ((x >> 8) & !below);
    let mantissa = eight_digits(joined << (72 - 8 * end));
    // At most 6 digits: exact, so m / 10^k is correctly rounded.
    Some((
        mantissa as i64 as f64 / POW10[(fraction & 7) as usize],
        at + end as usize,
    ))
}

/// Eight digit values (each byte `b - b'0'`, the first digit in the lowest byte: the most
/// significant) as one number, in three multiply-and-shift steps instead of eight (the
/// usual SWAR conversion, as in simdjson's `parse_eight_digits_unrolled`). Leading bytes
/// of 0 are leading zeros.
#[inline(always)]
fn eight_digits(v: u64) -> u64 {
    let v = v.wrapping_mul(10 * 256 + 1) >> 8;
    let v = (v & 0x00FF_00FF_00FF_00FF).wrapping_mul(100 * 65_536 + 1) >> 16;
    (v & 0x0000_FFFF_0000_FFFF).wrapping_mul(10_000 * (1 << 32) + 1) >> 32
}

/// Reads the ASCII digits of `bytes` from `at` into `mantissa` (wrapping), and returns
/// where they end.
#[inline(always)]
fn digits(bytes: &[u8], at: usize, mantissa: &mut u64) -> usize {
    let mut i = at;
    while let Some(&b) = bytes.get(i) {
        let digit = b.wrapping_sub(b'0');
        if digit > 9 {
            break;
        }
        *mantissa = mantissa.wrapping_mul(10).wrapping_add(u64::from(digit));
        i += 1;
    }
    i
}

/// The mantissa of the digits in `number` (the decimal mark aside) without leading zeros,
/// when at most 19 digits remain.
fn significant(number: &[u8]) -> Option<u64> {
    let digits = number.iter().filter(|b| b.is_ascii_digit());
    let kept: Vec<u8> = digits.copied().skip_while(|&b| b == b'0').collect();
    if kept.len() > 19 {
        return None;
    }
    Some(kept.iter().fold(0, |m, &b| m * 10 + u64::from(b - b'0')))
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

/// Where a price cell at `bytes[at]` ends, when it is certain that [`plain_number`] reads
/// it to the same end with a [plausible](super::cell::plausible_price) value: a digit 1–9,
/// up to 11 more digits (so the value is in [1, 10^12)), and optionally the mark and more
/// digits, at most [`CERTAIN_DIGITS`] in all. For a column whose values are not kept this
/// validates the cell at the cost of a scan; `None` means "not certain", and the caller
/// then parses the cell as it always does, so the outcome never differs.
#[inline]
pub(crate) fn certain_price_end(bytes: &[u8], at: usize, decimal: u8) -> Option<usize> {
    if !matches!(bytes.get(at), Some(b'1'..=b'9')) {
        return None;
    }
    let end = certain_number_end(bytes, at, decimal)?;
    let int_digits = bytes[at..end].iter().take_while(|b| b.is_ascii_digit()).count();
    (int_digits <= 12).then_some(end)
}

/// Where a number cell at `bytes[at]` ends, when it is certain that [`plain_number`] reads
/// it to the same end (with a finite value): digits, and optionally the mark and more
/// digits, at most [`CERTAIN_DIGITS`] in all. `None` means "not certain" (a sign, an
/// exponent, a missing marker, a long number): the caller parses the cell.
#[inline]
pub(crate) fn certain_number_end(bytes: &[u8], at: usize, decimal: u8) -> Option<usize> {
    let int_end = digits_end(bytes, at);
    if int_end == at {
        return None;
    }
    let mut end = int_end;
    let marked = bytes.get(end) == Some(&decimal);
    if marked {
        end = digits_end(bytes, end + 1);
        if end == int_end + 1 {
            return None;
        }
    }
    // Digits on both sides of at most one mark, as the fast path's two loops take them,
    // few enough for its exact range.
    (end - at - usize::from(marked) <= CERTAIN_DIGITS).then_some(end)
}

/// At most this many digits in a cell [`certain_number_end`] vouches for: inside the fast
/// path's exact range (every mantissa of 15 digits is below 2^53, and 10^15 too).
const CERTAIN_DIGITS: usize = 15;

/// Where the ASCII digits of `bytes` from `at` end.
#[inline(always)]
fn digits_end(bytes: &[u8], at: usize) -> usize {
    let mut i = at;
    while bytes.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    i
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
    fn rounding_boundaries_match_str_parse() {
        // 2^53 + 1 and its neighbours, halfway cases, the last exact power of ten and the
        // first inexact one, 17–20 significant digits, a trailing mark and exponents.
        for text in [
            "9007199254740993",
            "9007199254740992",
            "9007199254740991",
            "9007199254740993.0",
            "900719925474099.3",
            "9007199254740992.5",
            "9007199254740994.5",
            "18014398509481985",
            "0.30000000000000004",
            "0.1",
            "2.2250738585072014e-308",
            "1e22",
            "1e23",
            "0.0000000000000000000001",
            "0.00000000000000000000001",
            "123456789012345678",
            "1234567890123456789",
            "12345678901234567890",
            "00000000000000000000000000001.5",
            "5.",
            "-5.",
            "+7.25",
            "1.5e3",
            "-0.000",
            "99999999.99",
            "9999999.5",
            "1234567.8",
        ] {
            // The fast path where it reads the whole cell, the general one (which the
            // loader falls back to) in every case.
            let expected = text.parse::<f64>().expect("a valid float").to_bits();
            if let Some(read) = whole(text) {
                assert_eq!(read.to_bits(), expected, "{text}, fast path");
            }
            let general = super::super::cell::parse_number(text, b'.');
            assert_eq!(general.map(f64::to_bits), Some(expected), "{text}, general path");
        }
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

    #[test]
    fn long_and_exponent_forms_go_to_the_full_parser() {
        assert_eq!(short_decimal::<b'.'>(b"12345678901234567890", 0), None);
        assert_eq!(whole("12345678901234567890"), Some(12_345_678_901_234_567_890.0));
        assert_eq!(short_decimal::<b'.'>(b"9007199254740992", 0), None, "2^53");
        assert_eq!(whole("9007199254740991"), Some(9_007_199_254_740_991.0));
        assert_eq!(
            short_decimal::<b'.'>(b"0.00000000000000000000001", 0),
            None,
            "10^23 is not exact"
        );
        assert_eq!(whole("0.0000000000000000000001"), Some(1e-22));
        assert_eq!(
            short_decimal::<b'.'>(b"1.5e3", 0),
            Some((1.5, 3)),
            "the caller sees `e`"
        );
    }

    /// The fast path as first written, one loop over digits and at most one mark: a
    /// deliberately plain reference for what [`short_decimal`] accepts and where it stops.
    fn reference(bytes: &[u8], decimal: u8) -> Option<(f64, usize)> {
        let negative = bytes.first() == Some(&b'-');
        let int_start = usize::from(negative);
        let mut point = None;
        let mut i = int_start;
        while let Some(&b) = bytes.get(i) {
            if b.is_ascii_digit() {
            } else if b == decimal && point.is_none() {
                point = Some(i);
            } else {
                break;
            }
            i += 1;
        }
        match point {
            Some(p) if p > int_start && i > p + 1 => {}
            None if i > int_start => {}
            _ => return None,
        }
        let text: String = bytes[int_start..i]
            .iter()
            .map(|&b| if b == decimal { '.' } else { char::from(b) })
            .collect();
        let value: f64 = text.parse().ok()?;
        let digits = text
            .bytes()
            .filter(u8::is_ascii_digit)
            .skip_while(|&b| b == b'0')
            .count();
        let fraction = point.map_or(0, |p| i - p - 1);
        // What the fast path takes: an exact mantissa and an exact power of ten.
        if digits > 15 || fraction > 22 {
            return None;
        }
        Some((if negative { -value } else { value }, i))
    }

    proptest! {
        #[test]
        fn agrees_with_the_plain_reference(text in "[-]?[0-9.,]{0,12}[-e.,0-9]{0,3}", comma in proptest::bool::ANY) {
            let decimal = if comma { b',' } else { b'.' };
            let read = if comma {
                short_decimal::<b','>(text.as_bytes(), 0)
            } else {
                short_decimal::<b'.'>(text.as_bytes(), 0)
            };
            let expected = reference(text.as_bytes(), decimal);
            prop_assert_eq!(read.map(|(v, end)| (v.to_bits(), end)), expected.map(|(v, end)| (v.to_bits(), end)), "{}", text);
        }

        #[test]
        fn eight_bytes_at_a_time_read_as_the_clinger_path(
            text in "[-]?[0-9]{0,8}([.,][0-9]{0,7})?[.,;e\n0-9a]{0,4}",
            comma in proptest::bool::ANY,
        ) {
            let decimal = if comma { b',' } else { b'.' };
            let bytes = text.as_bytes();
            let expected = if comma { short_decimal::<b','>(bytes, 0) } else { short_decimal::<b'.'>(bytes, 0) };
            if let Some((value, end)) = word_decimal(bytes, 0, decimal) {
                prop_assert_eq!(Some((value.to_bits(), end)), expected.map(|(v, e)| (v.to_bits(), e)), "{}", text);
            }
        }

        #[test]
        fn short_numbers_take_the_clinger_path(text in "-?0{0,3}[0-9]{1,8}(\\.[0-9]{1,7})?") {
            let expected = text.parse::<f64>().expect("the pattern is a valid float");
            let read = short_decimal::<b'.'>(text.as_bytes(), 0).filter(|&(_, e)| e == text.len());
            prop_assert_eq!(read.map(|(v, _)| v.to_bits()), Some(expected.to_bits()), "{}", text);
        }

        #[test]
        fn equals_str_parse_bit_for_bit(text in "-?[0-9]{1,24}(\\.[0-9]{1,24})?") {
            let expected = text.parse::<f64>().expect("the pattern is a valid float");
            prop_assert_eq!(whole(&text).map(f64::to_bits), Some(expected.to_bits()), "{}", text);
        }

        #[test]
        fn what_the_certain_scans_vouch_for_the_fast_path_reads_alike(
            text in "[-+]?[0-9]{0,17}([.,][0-9]{0,5})?[.,e;0-9a]{0,3}",
            comma in proptest::bool::ANY,
        ) {
            // The scans of columns whose values are not kept must never let through a cell
            // the full read would treat differently: same end, a value, a plausible price.
            let decimal = if comma { b',' } else { b'.' };
            let bytes = text.as_bytes();
            let read = plain_number(bytes, 0, decimal);
            if let Some(end) = certain_number_end(bytes, 0, decimal) {
                prop_assert_eq!(read.map(|(_, e)| e), Some(end), "{}", text);
            }
            if let Some(end) = certain_price_end(bytes, 0, decimal) {
                prop_assert_eq!(read.map(|(_, e)| e), Some(end), "{}", text);
                let value = read.map_or(f64::NAN, |(v, _)| v);
                prop_assert!(super::super::cell::plausible_price(value), "{} is {}", text, value);
            }
        }

        #[test]
        fn every_number_read_is_str_parse_to_the_bit(
            text in "[-+]?0{0,3}[0-9]{0,20}([.,][0-9]{0,20})?([eE][-+]?[0-9]{1,3})?[,;\n ]?[0-9]{0,8}",
            comma in proptest::bool::ANY,
            before in 0usize..3,
        ) {
            // Whatever the loader's readers take from a cell, in any position of the
            // buffer, is what `str::parse::<f64>` makes of the same characters.
            let decimal = if comma { b',' } else { b'.' };
            let buffer = format!("{}{text}", ";".repeat(before));
            let bytes = buffer.as_bytes();
            for (reader, read) in [
                ("plain_number", plain_number(bytes, before, decimal)),
                ("word_decimal", word_decimal(bytes, before, decimal)),
            ] {
                if let Some((value, end)) = read {
                    let taken: String = bytes[before..end]
                        .iter()
                        .map(|&b| if b == decimal { '.' } else { char::from(b) })
                        .collect();
                    let expected = taken.parse::<f64>();
                    prop_assert_eq!(
                        Ok(value.to_bits()),
                        expected.as_ref().map(|v| v.to_bits()),
                        "{} read {:?} of {:?}",
                        reader,
                        taken,
                        buffer
                    );
                }
            }
        }

        #[test]
        fn eight_byte_windows_read_as_str_parse(
            text in "[0-9]{1,7}([.,][0-9]{0,6})?[,;\n.x-]{1,3}[0-9]{0,4}",
            comma in proptest::bool::ANY,
        ) {
            // The windows `word_decimal` answers for, each checked against `str::parse`.
            let decimal = if comma { b',' } else { b'.' };
            let bytes = text.as_bytes();
            if let Some((value, end)) = word_decimal(bytes, 0, decimal) {
                let taken = text[..end].replace(char::from(decimal), ".");
                prop_assert_eq!(Some(value.to_bits()), taken.parse::<f64>().ok().map(f64::to_bits), "{}", text);
            }
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
