//! Reading one cell as a number, or as a missing observation.

/// How data vendors mark a missing observation: FRED writes `.`, spreadsheets leave the cell
/// empty or write `#N/A`, pandas writes `NaN`, JSON-minded tools write `null`.
pub(crate) fn is_missing(text: &str) -> bool {
    const MARKERS: [&str; 6] = [".", "nan", "null", "na", "n/a", "#n/a"];
    text.is_empty() || MARKERS.iter().any(|m| text.eq_ignore_ascii_case(m))
}

/// A finite number, or `None`: `inf` and `NaN` parse as `f64` but are not data.
pub(crate) fn parse_number(text: &str) -> Option<f64> {
    text.parse::<f64>().ok().filter(|v| v.is_finite())
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
        assert_eq!(parse_number("4.25"), Some(4.25));
        assert_eq!(parse_number("-1e3"), Some(-1000.0));
        assert_eq!(parse_number("1157.0"), Some(1157.0));
        for text in ["inf", "NaN", "1,000", "$5", "-0.04%", ""] {
            assert_eq!(parse_number(text), None, "{text}");
        }
    }
}
