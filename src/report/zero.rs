//! Figures within rounding of zero are zero, everywhere a report writes a number: no
//! `-0.00%` in the summary, no `-5.85e-15` XIRR in JSON, no `-0` in a CSV.
//!
//! A sum over no holdings is `-0.0` in Rust, a solver's "zero" is a few 1e-15 either side,
//! and a displayed `-0.00` is a rounded −0.001. None of them is a figure: money below a
//! billionth of a dollar and rates below 1e-7 % mean nothing, so they are written as 0.

use std::io;

use serde::Serialize;
use serde_json::ser::{Formatter, PrettyFormatter};

/// Closer to zero than this, a figure is zero.
pub const NEGLIGIBLE: f64 = 1e-9;

/// `x`, or 0 (never −0) when it is within [`NEGLIGIBLE`] of zero.
pub fn clean(x: f64) -> f64 {
    if x.abs() < NEGLIGIBLE { 0.0 } else { x }
}

/// `x` with `decimals` decimals, never `-0.00`: a value that rounds to zero is written
/// without a sign. Not-finite values are `-`.
pub fn fixed(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return "-".into();
    }
    let text = format!("{:.*}", decimals, clean(x));
    match text.strip_prefix('-') {
        Some(unsigned) if unsigned.bytes().all(|b| b == b'0' || b == b'.') => unsigned.to_string(),
        _ => text,
    }
}

/// Pretty JSON of `value` with every float [`clean`]ed; fields keep their order.
pub fn json<T: Serialize>(value: &T) -> serde_json::Result<String> {
    let mut out = Vec::new();
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, CleanFormatter::default());
    value.serialize(&mut serializer)?;
    Ok(String::from_utf8(out).expect("serde_json writes UTF-8"))
}

/// serde_json's pretty layout, with floats cleaned before they are written.
#[derive(Default)]
struct CleanFormatter {
    pretty: PrettyFormatter<'static>,
}

impl Formatter for CleanFormatter {
    fn write_f64<W: ?Sized + io::Write>(&mut self, writer: &mut W, value: f64) -> io::Result<()> {
        self.pretty.write_f64(writer, clean(value))
    }

    fn write_f32<W: ?Sized + io::Write>(&mut self, writer: &mut W, value: f32) -> io::Result<()> {
        self.write_f64(writer, f64::from(value))
    }

    // The layout: PrettyFormatter's.
    fn begin_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.pretty.begin_array(writer)
    }

    fn end_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.pretty.end_array(writer)
    }

    fn begin_array_value<W: ?Sized + io::Write>(&mut self, writer: &mut W, first: bool) -> io::Result<()> {
        self.pretty.begin_array_value(writer, first)
    }

    fn end_array_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.pretty.end_array_value(writer)
    }

    fn begin_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.pretty.begin_object(writer)
    }

    fn end_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.pretty.end_object(writer)
    }

    fn begin_object_key<W: ?Sized + io::Write>(&mut self, writer: &mut W, first: bool) -> io::Result<()> {
        self.pretty.begin_object_key(writer, first)
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.pretty.begin_object_value(writer)
    }

    fn end_object_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.pretty.end_object_value(writer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_never_shows_a_signed_zero() {
        assert_eq!(fixed(-0.001, 2), "0.00");
        assert_eq!(fixed(-0.0, 2), "0.00");
        assert_eq!(fixed(-1e-15, 4), "0.0000");
        assert_eq!(fixed(-0.005, 2), "-0.01");
        assert_eq!(fixed(-12.345, 1), "-12.3");
        assert_eq!(fixed(f64::NAN, 2), "-");
    }

    #[test]
    fn json_writes_negligible_floats_as_zero_and_keeps_the_layout() {
        #[derive(Serialize)]
        struct Figures {
            xirr: f64,
            invested: f64,
            twr: f64,
            list: Vec<f64>,
        }
        let figures = Figures {
            xirr: -5.85e-15,
            invested: -0.0,
            twr: -0.0636,
            list: vec![1e-10, 2.5],
        };
        let expected = serde_json::to_string_pretty(&serde_json::json!({
            "xirr": 0.0, "invested": 0.0, "twr": -0.0636, "list": [0.0, 2.5]
        }))
        .expect("serialises");
        // serde_json::json! sorts keys; compare values, then the layout of one line.
        let ours = json(&figures).expect("serialises");
        let back: serde_json::Value = serde_json::from_str(&ours).expect("valid JSON");
        assert_eq!(
            back,
            serde_json::from_str::<serde_json::Value>(&expected).expect("valid JSON")
        );
        assert!(ours.starts_with("{\n  \"xirr\": 0.0,\n  \"invested\": 0.0,"), "{ours}");
        assert!(!ours.contains("-0.0,") && !ours.contains("e-1"), "{ours}");
    }
}
