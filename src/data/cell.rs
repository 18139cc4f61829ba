//! Reading one cell as a number, or as a missing observation.
//!
//! Numbers are parsed by `lexical-core` (correctly rounded, and told the file's decimal
//! mark); rotor's own part is only the grouping of thousands, which it checks strictly so
//! that `1,5` is never read as fifteen.

use lexical_core::{ParseFloatOptions, format::STANDARD};

/// The lowest price rotor reads: below any traded price (sub-cent tokens trade around
/// 0.00001), above what a broken cell or a denormal such as `1e-320` gives.
pub(crate) const MIN_PRICE: f64 = 1e-6;

/// The highest price rotor reads: above a share quoted in won or in a hyper-inflated
/// currency (a Berkshire A share is about 10^9 won), below what a unit mix-up or a broken
/// cell such as `1e26` gives.
pub(crate) const MAX_PRICE: f64 = 1e12;

/// Whether `value` is a price some market could trade at (NaN is not).
#[inline]
pub(crate) fn plausible_price(value: f64) -> bool {
    (MIN_PRICE..=MAX_PRICE).contains(&value)
}

/// How data vendors mark a missing observation: FRED writes `.`, spreadsheets leave the cell
/// empty or write `#N/A`, pandas writes `NaN`, JSON-minded tools write `null`.
pub(crate) fn is_missing(text: &str) -> bool {
    const MARKERS: [&str; 6] = [".", "nan", "null", "na", "n/a", "#n/a"];
    text.is_empty() || MARKERS.iter().any(|m| text.eq_ignore_ascii_case(m))
}

/// Parser options for a decimal mark: no `NaN` or `inf` spellings, which are not data.
const fn options(decimal: u8) -> ParseFloatOptions {
    ParseFloatOptions::builder()
        .decimal_point(decimal)
        .nan_string(None)
        .inf_string(None)
        .infinity_string(None)
        .build_strict()
}

const POINT: ParseFloatOptions = options(b'.');
const COMMA: ParseFloatOptions = options(b',');

/// The longest number at the start of `bytes` written with the decimal mark `decimal`
/// (`.` or `,`), and how many bytes it took; `None` when `bytes` does not start with one.
/// Exponents (`1e3`) are read, as `str::parse` reads them; `NaN` and `inf` are not.
#[inline]
pub(crate) fn number_prefix(bytes: &[u8], decimal: u8) -> Option<(f64, usize)> {
    let options = if decimal == b',' { &COMMA } else { &POINT };
    lexical_core::parse_partial_with_options::<f64, STANDARD>(bytes, options)
        .ok()
        .filter(|&(_, taken)| taken > 0)
}

/// A finite number, or `None`, written with the decimal mark `decimal` and, optionally,
/// the other mark between groups of three digits: with `.`, `1,234.5`; with `,`,
/// `1.234,5`. `inf`, `NaN` and numbers too large for an `f64` are not data.
pub(crate) fn parse_number(text: &str, decimal: u8) -> Option<f64> {
    let bytes = text.as_bytes();
    let thousands = if decimal == b',' { b'.' } else { b',' };
    let value = if bytes.contains(&thousands) {
        let plain = ungroup(bytes, decimal, thousands)?;
        number_prefix(&plain, decimal)
            .filter(|&(_, taken)| taken == plain.len())?
            .0
    } else {
        number_prefix(bytes, decimal)
            .filter(|&(_, taken)| taken == bytes.len())?
            .0
    };
    value.is_finite().then_some(value)
}

/// `text` without its thousands marks, when they group the integer digits by three
/// (`1,234,567`); `None` for any other use of the mark (`1,5`, `12,34`, `1,234.5,6`).
fn ungroup(text: &[u8], decimal: u8, thousands: u8) -> Option<Vec<u8>> {
    let sign = usize::from(matches!(text.first(), Some(b'-' | b'+')));
    let int_end = text.iter().position(|&b| b == decimal).unwrap_or(text.len());
    if text[int_end..].contains(&thousands) {
        return None;
    }
    let groups: Vec<&[u8]> = text[sign..int_end].split(|&b| b == thousands).collect();
    let digits = |g: &[u8]| g.iter().all(u8::is_ascii_digit);
    let first_ok = (1..=3).contains(&groups[0].len()) && digits(groups[0]);
    if !first_ok || !groups[1..].iter().all(|g| g.len() == 3 && digits(g)) {
        return None;
    }
    let mut plain = text[..sign].to_vec();
    groups.iter().for_each(|g| plain.extend_from_slice(g));
    plain.extend_from_slice(&text[int_end..]);
    Some(plain)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_markers() {
        for text in ["", ".", "NaN", "nan", "null", "NULL", "NA", "N/A", "#N/A"] {
            assert!(is_missing(text), "{text}");
        }
        for text in ["0", "..", "none", "-"] {
            assert!(!is_missing(text), "{text}");
        }
    }

    #[test]
    fn numbers() {
        let point = |t: &str| parse_number(t, b'.');
        assert_eq!(point("4.25"), Some(4.25));
        assert_eq!(point("-1e3"), Some(-1000.0));
        assert_eq!(point("1157.0"), Some(1157.0));
        for text in ["inf", "NaN", "infinity", "1e400", "$5", "-0.04%", "", "1.2.3", "4.25x"] {
            assert_eq!(point(text), None, "{text}");
        }
    }

    #[test]
    fn thousands_are_grouped_by_three() {
        let point = |t: &str| parse_number(t, b'.');
        assert_eq!(point("71,000"), Some(71_000.0));
        assert_eq!(point("1,234,567.5"), Some(1_234_567.5));
        assert_eq!(point("-1,234"), Some(-1234.0));
        for text in ["1,5", "1,000,00", "1234,567", ",123", "1,234.5,6", "12,3456"] {
            assert_eq!(point(text), None, "{text}");
        }
    }

    #[test]
    fn decimal_commas() {
        let comma = |t: &str| parse_number(t, b',');
        assert_eq!(comma("100,5"), Some(100.5));
        assert_eq!(comma("1.234,56"), Some(1234.56));
        assert_eq!(comma("-0,04"), Some(-0.04));
        assert_eq!(comma("12"), Some(12.0));
        for text in ["100.5", "1,2,3", "1.23,4"] {
            assert_eq!(comma(text), None, "{text}");
        }
    }

    proptest::proptest! {
        /// The parser agrees with the standard library bit for bit on plain decimals.
        #[test]
        fn equals_str_parse(text in "-?[0-9]{1,24}(\\.[0-9]{1,24})?(e-?[0-9]{1,2})?") {
            let expected = text.parse::<f64>().expect("the pattern is a valid float");
            proptest::prop_assert_eq!(parse_number(&text, b'.').map(f64::to_bits), Some(expected.to_bits()));
            let comma = text.replace('.', ",");
            proptest::prop_assert_eq!(parse_number(&comma, b',').map(f64::to_bits), Some(expected.to_bits()));
        }
    }
}
