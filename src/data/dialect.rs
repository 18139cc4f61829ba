//! How a file writes fields and numbers: its delimiter and its decimal mark.
//!
//! Spreadsheets in countries that write `100,5` save "CSV" with semicolons between the
//! fields, and "Unicode text" with tabs; Korean exports use commas and quote numbers with
//! thousands marks (`"71,000"`). Both are told from the file itself, and a file that is
//! not plain comma-and-point says so under "Assumed".

use std::ops::Range;

use super::record::{Field, Records};
use super::two_cores;

/// The delimiters rotor recognises, in the order a tie is settled.
const DELIMITERS: [u8; 3] = [b',', b';', b'\t'];

/// A file's delimiter and decimal mark.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Dialect {
    /// `,`, `;` or tab.
    pub delimiter: u8,
    /// `.` or `,`; the other mark may group thousands.
    pub decimal: u8,
}

impl Default for Dialect {
    fn default() -> Self {
        Dialect {
            delimiter: b',',
            decimal: b'.',
        }
    }
}

/// The delimiter as a person would name it.
pub(crate) fn delimiter_name(delimiter: u8) -> &'static str {
    match delimiter {
        b';' => "semicolons (`;`)",
        b'\t' => "tabs",
        _ => "commas (`,`)",
    }
}

/// Tells the delimiter from the header line at `text[start..]` and the line after it:
/// the candidate found most often in the header outside quotes, among those that split
/// the next line into as many fields. A header with none of them is one column.
pub(crate) fn detect_delimiter(text: &str, start: usize) -> u8 {
    let bytes = &text.as_bytes()[start..];
    let mut lines = bytes
        .split(|&b| b == b'\n' || b == b'\r')
        .filter(|line| !line.is_empty());
    let header = lines.next().unwrap_or_default();
    let row = lines.next();
    let count = |line: &[u8], delimiter: u8| {
        let mut quoted = false;
        let mut n = 0;
        for &b in line {
            if b == b'"' {
                quoted = !quoted;
            } else if b == delimiter && !quoted {
                n += 1;
            }
        }
        n
    };
    let score = |d: u8| {
        let in_header = count(header, d);
        let agrees = row.is_none_or(|row| count(row, d) == in_header);
        (in_header > 0 && agrees, in_header)
    };
    // `max_by_key` keeps the last of equals; reversed, ties go to the earlier candidate.
    DELIMITERS
        .into_iter()
        .rev()
        .max_by_key(|&d| score(d))
        .filter(|&d| score(d).1 > 0)
        .unwrap_or(b',')
}

/// Excel's first line `sep=;` (or `sep=,`, or `sep=` and a tab), which names the delimiter
/// of the lines after it: that delimiter and where the header starts, when `text[start..]`
/// begins with such a line. A `sep=` line naming another character is not one (the file
/// then has no date column, an error at its header).
/// Some tools write the line quoted, as a one-cell CSV row: `"sep=;"`.
pub(crate) fn excel_separator(text: &str, start: usize) -> Option<(u8, usize)> {
    let line = text.as_bytes().get(start..)?;
    let quoted = usize::from(line.first() == Some(&b'"'));
    let line = &line[quoted..];
    let prefix = line.get(..4)?;
    if !prefix.eq_ignore_ascii_case(b"sep=") {
        return None;
    }
    let delimiter = *line.get(4).filter(|d| DELIMITERS.contains(d))?;
    // The closing quote of a quoted line.
    if quoted == 1 && line.get(5) != Some(&b'"') {
        return None;
    }
    let ending = match line.get(5 + quoted..) {
        Some([b'\r', b'\n', ..]) => 2,
        Some([b'\n' | b'\r', ..]) => 1,
        _ => return None,
    };
    Some((delimiter, start + 2 * quoted + 5 + ending))
}

/// What the number cells of a file say about its decimal mark.
#[derive(Debug, PartialEq)]
pub(crate) enum DecimalMark {
    /// Decided by at least one cell that can be read only one way (`100,5`, `1.234,56`).
    Certain(u8),
    /// No cell decides it; the mark written is taken as the decimal mark (a file that
    /// writes `1,250` with semicolons between fields), and the report says so.
    Assumed { decimal: u8, example: String },
    /// Some cells are only readable with `,`, others only with `.`: the cells at these
    /// byte ranges.
    Mixed { comma: Range<usize>, point: Range<usize> },
}

/// Which decimal mark a cell's text shows: `Some(mark)` when it can be read only one way,
/// and whether it could be read both ways (one mark followed by exactly three digits).
fn evidence(cell: &str) -> (Option<u8>, bool) {
    let body = cell.trim_start_matches(['-', '+']);
    let digits = body.bytes().any(|b| b.is_ascii_digit());
    // FRED's `.` and other missing markers have no digits, and show no decimal mark.
    if !digits || !body.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b',') {
        return (None, false);
    }
    let commas = body.matches(',').count();
    let points = body.matches('.').count();
    let last = |mark: char| body.rfind(mark).map(|i| body.len() - i - 1);
    match (commas, points) {
        (0, 0) => (None, false),
        // Both marks: the last one is the decimal mark.
        (_, _) if commas > 0 && points > 0 => {
            let decimal = if last(',') < last('.') { b',' } else { b'.' };
            (Some(decimal), false)
        }
        // One mark, several times: it groups thousands, so the other is the decimal mark.
        (n, 0) if n > 1 => (Some(b'.'), false),
        (0, n) if n > 1 => (Some(b','), false),
        (1, 0) if last(',') == Some(3) => (None, true),
        (0, 1) if last('.') == Some(3) => (None, true),
        (1, 0) => (Some(b','), false),
        _ => (Some(b'.'), false),
    }
}

/// Decides the decimal mark of a file whose fields are separated by `delimiter` from the
/// cells of `columns` in every record. With commas between fields only a quoted number can
/// hold a comma: the point is the decimal mark unless a quoted cell can be read only with
/// a decimal comma (`"100,5"`, `"1.234,56"`), and a quoted `"122,686"` that nothing settles
/// is [`DecimalMark::Assumed`] to group thousands.
pub(crate) fn detect_decimal(text: &str, data_start: usize, delimiter: u8, columns: &[usize]) -> DecimalMark {
    // Without a quote past the header there is no comma in a number: one vector search
    // (on two threads for a large file), not a second parse of the file.
    if delimiter == b',' && !two_cores::contains(text.as_bytes().get(data_start..).unwrap_or_default(), b'"') {
        return DecimalMark::Certain(b'.');
    }
    let mut records = Records::new(text, data_start, delimiter);
    let mut fields: Vec<Field> = Vec::new();
    let (mut comma, mut point) = (None, None);
    let mut ambiguous: Option<(String, u8)> = None;
    while let Some(record) = records.next_record(&mut fields) {
        if record.is_err() {
            // A broken quote is reported when the rows are read.
            break;
        }
        for field in columns.iter().filter_map(|&c| fields.get(c)) {
            let cell = field.value(text);
            match evidence(&cell) {
                (Some(b','), _) => comma = comma.or(Some(field.span.clone())),
                (Some(_), _) => point = point.or(Some(field.span.clone())),
                // In a comma file a point is the decimal mark as written (`100.250`): the
                // comma is the mark that may group thousands.
                (None, true) if delimiter == b',' && !cell.contains(',') => {}
                (None, true) if ambiguous.is_none() => {
                    let mark = if cell.contains(',') && delimiter != b',' {
                        b','
                    } else {
                        b'.'
                    };
                    ambiguous = Some((cell.into_owned(), mark));
                }
                (None, _) => {}
            }
        }
    }
    match (comma, point, ambiguous) {
        (Some(comma), Some(point), _) => DecimalMark::Mixed { comma, point },
        (Some(_), None, _) => DecimalMark::Certain(b','),
        (None, Some(_), _) => DecimalMark::Certain(b'.'),
        (None, None, Some((example, decimal))) => DecimalMark::Assumed { decimal, example },
        (None, None, None) => DecimalMark::Certain(b'.'),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiters() {
        assert_eq!(detect_delimiter("Date,Close\n2024-01-02,1\n", 0), b',');
        assert_eq!(detect_delimiter("Date;Open;Close\n2024-01-02;100,5;101\n", 0), b';');
        assert_eq!(detect_delimiter("Date\tClose\r\n2024-01-02\t1,5\r\n", 0), b'\t');
        assert_eq!(
            detect_delimiter("\"Date\";\"Price, USD\"\n2024-01-02;1\n", 0),
            b';',
            "a comma inside quotes does not count"
        );
        assert_eq!(
            detect_delimiter("일자,종가,대비\n\"2024/01/02\",\"71,000\",\"-500\"\n", 0),
            b','
        );
        assert_eq!(detect_delimiter("Date\n2024-01-02\n", 0), b',', "one column");
        assert_eq!(detect_delimiter("Date,Close", 0), b',', "no rows yet");
    }

    #[test]
    fn what_a_cell_shows() {
        assert_eq!(evidence("100,5"), (Some(b','), false));
        assert_eq!(evidence("100.25"), (Some(b'.'), false));
        assert_eq!(evidence("1.234,56"), (Some(b','), false));
        assert_eq!(evidence("1,234.56"), (Some(b'.'), false));
        assert_eq!(evidence("1.234.567"), (Some(b','), false));
        assert_eq!(evidence("1,234,567"), (Some(b'.'), false));
        assert_eq!(evidence("1,250"), (None, true));
        assert_eq!(evidence("-1.250"), (None, true));
        assert_eq!(evidence("12"), (None, false));
        assert_eq!(evidence("2024-01-02"), (None, false));
        assert_eq!(evidence("n/a"), (None, false));
        assert_eq!(evidence("."), (None, false), "FRED's missing marker");
        assert_eq!(evidence(""), (None, false));
    }

    #[test]
    fn decimal_marks() {
        let decide = |text: &str| detect_decimal(text, text.find('\n').expect("a header") + 1, b';', &[1, 2]);
        assert_eq!(decide("d;a;b\n1;100,5;7\n2;101;8\n"), DecimalMark::Certain(b','));
        assert_eq!(decide("d;a;b\n1;100.5;7\n"), DecimalMark::Certain(b'.'));
        assert_eq!(
            decide("d;a;b\n1;1,250;7\n"),
            DecimalMark::Assumed {
                decimal: b',',
                example: "1,250".into()
            }
        );
        assert_eq!(decide("d;a;b\n1;100;7\n"), DecimalMark::Certain(b'.'));
        assert_eq!(
            decide("d;a;b\n1;100,5;.\n2;;7\n"),
            DecimalMark::Certain(b','),
            "missing cells"
        );
        let text = "d;a;b\n1;100,5;7\n2;101.25;8\n";
        let DecimalMark::Mixed { comma, point } = decide(text) else {
            panic!("both marks")
        };
        assert_eq!((&text[comma], &text[point]), ("100,5", "101.25"));
        let comma_file = |text: &str| detect_decimal(text, 4, b',', &[1]);
        assert_eq!(
            comma_file("d,a\n1,100.250\n"),
            DecimalMark::Certain(b'.'),
            "no quotes: the point"
        );
        assert_eq!(
            comma_file("d,a\n1,\"100.250\"\n"),
            DecimalMark::Certain(b'.'),
            "a point as written"
        );
        assert_eq!(
            comma_file("d,a\n1,\"1,5\"\n"),
            DecimalMark::Certain(b','),
            "only a decimal comma reads it"
        );
        assert_eq!(
            comma_file("d,a\n1,\"71,000\"\n"),
            DecimalMark::Assumed {
                decimal: b'.',
                example: "71,000".into()
            },
            "grouped thousands or three decimals"
        );
        assert_eq!(
            comma_file("d,a\n1,\"71,000\"\n2,99.5\n"),
            DecimalMark::Certain(b'.'),
            "a point elsewhere settles it"
        );
        assert_eq!(
            comma_file("d,a\n1,\"1,234,567\"\n2,\"71,000\"\n"),
            DecimalMark::Certain(b'.'),
            "two commas group thousands"
        );
    }
}
