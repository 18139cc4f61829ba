//! The text of a data file: UTF-8, or the encodings Korean and Excel exports come in.
//!
//! KRX (data.krx.co.kr), Korean brokers and Excel on Korean Windows save CSV as CP949, the
//! superset of EUC-KR that `encoding_rs` decodes under that name; Excel's "Unicode text"
//! is UTF-16 with a byte order mark. Any other encoding is an error at the first byte
//! that is not UTF-8: rotor does not guess among single-byte encodings.

use std::borrow::Cow;
use std::sync::Arc;

use encoding_rs::{EUC_KR, Encoding};
use miette::NamedSource;

use super::error::DataError;

/// The file's text, and the name of its encoding when it is not UTF-8 (for the note).
/// UTF-8 text is borrowed from `bytes` as it is.
pub(crate) fn decode<'b>(name: &str, bytes: &'b [u8]) -> Result<(Cow<'b, str>, Option<&'static str>), DataError> {
    if let Some((encoding, _)) = Encoding::for_bom(bytes)
        && encoding != encoding_rs::UTF_8
    {
        let (text, had_errors) = encoding.decode_with_bom_removal(bytes);
        if !had_errors {
            return Ok((Cow::Owned(text.into_owned()), Some(encoding.name())));
        }
    }
    let error = match super::two_cores::utf8(bytes) {
        Ok(text) => return Ok((Cow::Borrowed(text), None)),
        Err(error) => error,
    };
    // Korean text in CP949 is pairs of bytes from 0x81 up; a file that decodes without
    // error and holds Hangul is taken as Korean. A Latin-1 file rarely decodes cleanly,
    // and never to Hangul syllables in a header.
    if let Some(text) = EUC_KR.decode_without_bom_handling_and_without_replacement(bytes)
        && text.chars().any(is_hangul)
    {
        return Ok((Cow::Owned(text.into_owned()), Some("CP949 (EUC-KR)")));
    }
    let at = error.valid_up_to();
    let text = String::from_utf8_lossy(bytes).into_owned();
    // The lossy copy puts a 3-byte U+FFFD where the first bad byte was.
    let span = (at, '\u{fffd}'.len_utf8()).into();
    Err(DataError::NotUtf8 {
        src: Arc::new(NamedSource::new(name, text)),
        span,
    })
}

pub(crate) fn is_hangul(c: char) -> bool {
    ('\u{ac00}'..='\u{d7a3}').contains(&c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_is_read_as_it_is() {
        let (text, encoding) = decode("x.csv", "일자,종가\n".as_bytes()).expect("UTF-8");
        assert_eq!((&*text, encoding), ("일자,종가\n", None));
    }

    #[test]
    fn cp949_korean_is_decoded() {
        // 일자 = C0 CF C0 DA, 종가 = C1 BE B0 A1 in EUC-KR (KS X 1001).
        let bytes = b"\xc0\xcf\xc0\xda,\xc1\xbe\xb0\xa1\n2024/01/02,\"71,000\"\n";
        let (text, encoding) = decode("x.csv", bytes).expect("CP949");
        assert_eq!(text, "일자,종가\n2024/01/02,\"71,000\"\n");
        assert_eq!(encoding, Some("CP949 (EUC-KR)"));
    }

    #[test]
    fn utf16_with_a_byte_order_mark() {
        let mut bytes = vec![0xff, 0xfe];
        for unit in "Date\tClose\n".encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        let (text, encoding) = decode("x.txt", &bytes).expect("UTF-16");
        assert_eq!((&*text, encoding), ("Date\tClose\n", Some("UTF-16LE")));
    }

    #[test]
    fn latin1_is_not_guessed() {
        let error = decode("x.csv", b"date,name\n2024-01-02,caf\xe9\n").expect_err("Latin-1");
        assert!(matches!(error, DataError::NotUtf8 { .. }));
    }
}
