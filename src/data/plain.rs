//! The fast path for number cells: plain decimals such as `101.25` or `-0.04`.
//!
//! Nearly every cell in a price file is a short plain decimal, and `str::parse::<f64>` spends
//! most of its time on the general case (exponents, long mantissas, special values). A plain
//! decimal with at most 19 significant digits is read here as an integer mantissa `m` and a
//! count `k` of fraction digits; when `m < 2^53` and `k ≤ 22`, both `m` and `10^k` are exact
//! `f64`s, so the one division `m / 10^k` is correctly rounded (Clinger's fast path) and the
//! result is bit for bit what `str::parse` gives. Anything else is left to the caller's
//! slow path.

/// Powers of ten that are exact in an `f64`: `10^22` is the last one.
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
    1e21, 1e22,
];

/// Integers below this are exact in an `f64`.
const EXACT_LIMIT: u64 = 1 << 53;

/// Reads a plain decimal `[-]digits[.digits]` starting at `bytes[at]`, up to the first byte
/// that cannot continue it, and returns its value and where it ends.
///
/// `None` means "not handled here" — no digits, an exponent-free form too long to convert
/// exactly — never "not a number": the caller then parses the cell the general way.
pub(crate) fn plain_number(bytes: &[u8], at: usize) -> Option<(f64, usize)> {
    let rest = bytes.get(at..)?;
    let negative = rest.first() == Some(&b'-');
    let int_start = usize::from(negative);
    // One pass over the digits and at most one point; the mantissa wraps past 19 digits,
    // which the count below catches.
    let mut mantissa: u64 = 0;
    let mut point = None;
    let mut i = int_start;
    while let Some(&b) = rest.get(i) {
        let digit = b.wrapping_sub(b'0');
        if digit <= 9 {
            mantissa = mantissa.wrapping_mul(10).wrapping_add(u64::from(digit));
        } else if b == b'.' && point.is_none() {
            point = Some(i);
        } else {
            break;
        }
        i += 1;
    }
    let fraction = match point {
        // Digits on both sides of the point.
        Some(p) if p > int_start && i > p + 1 => i - p - 1,
        Some(_) => return None,
        None if i > int_start => 0,
        None => return None,
    };
    // Up to 19 digits cannot overflow; more may have wrapped, unless they are leading zeros.
    if i - int_start - usize::from(point.is_some()) > 19 {
        mantissa = significant(&rest[int_start..i])?;
    }
    if mantissa >= EXACT_LIMIT || fraction >= POW10.len() {
        return None;
    }
    let value = mantissa as f64 / POW10[fraction];
    Some((if negative { -value } else { value }, at + i))
}

/// The mantissa of the digits in `number` (a `.` aside) without leading zeros, when at most
/// 19 digits remain.
fn significant(number: &[u8]) -> Option<u64> {
    let digits = number.iter().filter(|b| b.is_ascii_digit());
    let kept: Vec<u8> = digits.copied().skip_while(|&b| b == b'0').collect();
    if kept.len() > 19 {
        return None;
    }
    Some(kept.iter().fold(0, |m, &b| m * 10 + u64::from(b - b'0')))
}

/// A plain number at `bytes[at]` as [`plain_number`] reads it, or `NaN` for a cell that is
/// empty or `.` (two of the [missing markers](super::cell::is_missing)).
pub(crate) fn plain_or_missing(bytes: &[u8], at: usize) -> Option<(f64, usize)> {
    let ends = |i: usize| matches!(bytes.get(i), None | Some(b',' | b'\n' | b'\r'));
    if ends(at) {
        return Some((f64::NAN, at));
    }
    if bytes[at] == b'.' && ends(at + 1) {
        return Some((f64::NAN, at + 1));
    }
    plain_number(bytes, at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The value when the whole text is a plain number the fast path takes.
    fn whole(text: &str) -> Option<f64> {
        plain_number(text.as_bytes(), 0).and_then(|(v, end)| (end == text.len()).then_some(v))
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
        assert_eq!(plain_number(b"1.5,2", 0), Some((1.5, 3)));
        assert_eq!(plain_number(b"x,42\n", 2), Some((42.0, 4)));
        assert_eq!(
            plain_number(b"1e3", 0),
            Some((1.0, 1)),
            "the caller sees `e` and falls back"
        );
    }

    #[test]
    fn missing_cells() {
        assert!(plain_or_missing(b"a,,b", 2).is_some_and(|(v, end)| v.is_nan() && end == 2));
        assert!(plain_or_missing(b".\r\n", 0).is_some_and(|(v, end)| v.is_nan() && end == 1));
        assert_eq!(plain_or_missing(b"4.5", 0), Some((4.5, 3)));
        assert_eq!(plain_or_missing(b"..", 0), None);
    }

    #[test]
    fn other_forms_are_left_to_the_slow_path() {
        for text in ["", "-", ".5", "5.", "+5", " 5", "abc", "1.-2"] {
            assert_eq!(
                plain_number(text.as_bytes(), 0).filter(|&(_, e)| e == text.len()),
                None,
                "{text}"
            );
        }
        // 20 significant digits, and a mantissa of 2^53 exactly.
        assert_eq!(whole("12345678901234567890"), None);
        assert_eq!(whole("9007199254740992"), None);
        assert_eq!(whole("9007199254740991"), Some(9_007_199_254_740_991.0));
        // 23 fraction digits: 10^23 is not exact.
        assert_eq!(whole("0.00000000000000000000001"), None);
        // 22 fraction digits, 21 of them leading zeros: one significant digit.
        assert_eq!(whole("0.0000000000000000000001"), Some(1e-22));
    }

    proptest! {
        #[test]
        fn equals_str_parse_bit_for_bit(text in "-?[0-9]{1,24}(\\.[0-9]{1,24})?") {
            let expected = text.parse::<f64>().expect("the pattern is a valid float");
            if let Some(value) = whole(&text) {
                prop_assert_eq!(value.to_bits(), expected.to_bits(), "{}", text);
            }
        }

        #[test]
        fn short_numbers_take_the_fast_path(text in "-?0{0,3}[0-9]{1,8}(\\.[0-9]{1,7})?") {
            let expected = text.parse::<f64>().expect("the pattern is a valid float");
            let value = whole(&text);
            prop_assert_eq!(value.map(f64::to_bits), Some(expected.to_bits()), "{}", text);
        }

        #[test]
        fn long_mantissas_fall_back(int in "[1-9][0-9]{16,20}", frac in "[0-9]{0,3}") {
            let text = if frac.is_empty() { int } else { format!("{int}.{frac}") };
            // 17 or more significant digits with a leading non-zero digit: at least 10^16,
            // past 2^53, so the division would not be exact.
            prop_assert_eq!(whole(&text), None, "{}", text);
        }
    }
}
