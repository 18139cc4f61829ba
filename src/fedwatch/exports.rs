//! CME FedWatch's "Historical → Downloads" exports, read as they come:
//!
//! - **per meeting**, `FedMeeting_20250917.csv`: `Date` (`2025/8/21`), then one column per
//!   25 bp band named in basis points (`(400-425)`), probabilities as fractions, cells of
//!   bands out of reach left empty. The meeting is the one in the file's name.
//! - **all meetings**, `FedMeetingHistory_20250821.csv`: two header lines, the first with a
//!   label such as `History for 17 Sep 2025 Fed meeting` over the first column of each
//!   meeting's group, the second with the bands. Labels past the last column (meetings
//!   without columns yet) are left out.
//! - either with percentages (`31.0%`) instead of fractions.

use std::sync::Arc;

use chrono::NaiveDate;
use miette::SourceSpan;

use super::distribution::Distribution;
use super::error::{FedWatchError, Source};
#[cfg(test)]
use super::table::parse_date;
use super::table::{Row, Table};
use super::target_range::TargetRange;

/// The largest gap between a row's sum and 1 that is taken for rounding: percentages to
/// one decimal over ten bands can miss by 0.5 pp.
pub(crate) const SUM_TOLERANCE: f64 = 0.01;

/// One meeting's probabilities by day, from one file.
#[derive(Debug)]
pub(crate) struct MeetingExport {
    pub meeting: NaiveDate,
    /// Rows in date order; each date once.
    pub rows: Vec<ExportRow>,
    pub src: Source,
    /// Where the meeting is named: the header (per-meeting file) or the group's label.
    pub label: SourceSpan,
}

#[derive(Debug)]
pub(crate) struct ExportRow {
    pub date: NaiveDate,
    /// Shared with the observations made from it.
    pub dist: Arc<Distribution>,
    pub span: SourceSpan,
}

/// Rows skipped by lenient loading: which (by where they start), and the first one's
/// problem. A row of the history export skipped for several meetings counts once.
#[derive(Debug, Default)]
pub(crate) struct Skipped {
    pub rows: std::collections::BTreeSet<usize>,
    pub first: Option<String>,
}

impl Skipped {
    /// Fails on `error`, or with `lenient` counts `row` as skipped.
    pub fn reject(&mut self, lenient: bool, row: &Row, error: FedWatchError) -> Result<(), FedWatchError> {
        if !lenient {
            return Err(error);
        }
        self.rows.insert(row.span.start);
        self.first.get_or_insert_with(|| error.to_string());
        Ok(())
    }
}

/// One meeting's columns of an export.
struct Group<'t> {
    table: &'t Table,
    /// The header line that names the bands.
    header: &'t Row,
    meeting: NaiveDate,
    columns: std::ops::Range<usize>,
    /// Where the meeting is named, for "not in the calendar".
    label: SourceSpan,
}

impl Group<'_> {
    /// Reads the meeting's rows from `body` (rows of the header's `width`).
    fn read(
        self,
        body: &[Row],
        width: usize,
        lenient: bool,
        skipped: &mut Skipped,
    ) -> Result<MeetingExport, FedWatchError> {
        let (table, meeting) = (self.table, self.meeting);
        let bands = bands(table, self.header, self.columns.clone())?;
        let columns: Vec<usize> = self.columns.collect();
        let mut rows = Vec::new();
        for row in body {
            let read = if row.cells.len() == width {
                read_row(table, row, meeting, &columns, &bands)
            } else {
                Err(FedWatchError::Ragged {
                    found: row.cells.len(),
                    expected: width,
                    src: table.src.clone(),
                    span: row.row_span(),
                })
            };
            match read {
                Ok(Some(r)) => rows.push(r),
                Ok(None) => {}
                Err(e) => skipped.reject(lenient, row, e)?,
            }
        }
        Ok(MeetingExport {
            meeting,
            rows: in_order(table, rows)?,
            src: table.src.clone(),
            label: self.label,
        })
    }
}

/// Reads a per-meeting export; the meeting is the date in the file's name.
pub(crate) fn read_meeting(
    table: &Table,
    lenient: bool,
    skipped: &mut Skipped,
) -> Result<MeetingExport, FedWatchError> {
    let header = &table.rows[0];
    let Some(meeting) = date_in_name(table.stem()) else {
        return Err(FedWatchError::NoMeetingDate {
            file: table.name.clone(),
            src: table.src.clone(),
            span: header.row_span(),
        });
    };
    let group = Group {
        table,
        header,
        meeting,
        columns: 1..header.cells.len(),
        label: header.row_span(),
    };
    group.read(&table.rows[1..], header.cells.len(), lenient, skipped)
}

/// Reads the multi-meeting history export: one [`MeetingExport`] per labelled group.
pub(crate) fn read_history(
    table: &Table,
    lenient: bool,
    skipped: &mut Skipped,
) -> Result<Vec<MeetingExport>, FedWatchError> {
    let (labels, header) = (&table.rows[0], &table.rows[1]);
    let width = header.cells.len();
    let mut groups = Vec::new();
    for (i, label) in labels.cells.iter().enumerate().take(width).skip(1) {
        if label.trim().is_empty() {
            continue;
        }
        let meeting = meeting_of_label(label).ok_or_else(|| {
            table.bad_cell(
                labels.cell_span(i),
                format!("`{}` does not name a FedWatch meeting", label.trim()),
                "not a meeting label",
                "the first header line of CME's history export labels each group of columns `History for 17 Sep 2025 Fed meeting`",
            )
        })?;
        groups.push((meeting, i));
    }
    let mut exports = Vec::new();
    for (g, &(meeting, first)) in groups.iter().enumerate() {
        let group = Group {
            table,
            header,
            meeting,
            columns: first..groups.get(g + 1).map_or(width, |next| next.1),
            label: labels.cell_span(first),
        };
        exports.push(group.read(&table.rows[2..], width, lenient, skipped)?);
    }
    Ok(exports)
}

/// The meetings named past the last column of a history export (listed, no data yet).
pub(crate) fn meetings_without_columns(table: &Table) -> Vec<NaiveDate> {
    let width = table.rows[1].cells.len();
    let tail = table.rows[0].cells.iter().skip(width);
    tail.flat_map(|cell| {
        cell.split("History for")
            .filter_map(|l| meeting_of_label(&format!("History for{l}")))
    })
    .collect()
}

/// The bands named by the header cells in `columns`.
fn bands(table: &Table, header: &Row, columns: std::ops::Range<usize>) -> Result<Vec<TargetRange>, FedWatchError> {
    columns
        .map(|i| {
            parse_band(header.cell(i)).ok_or_else(|| FedWatchError::BadBand {
                header: header.cell(i).to_owned(),
                src: table.src.clone(),
                span: header.cell_span(i),
            })
        })
        .collect()
}

/// One row's probabilities for one meeting; `None` when all its cells are empty (the
/// meeting was not priced that day).
fn read_row(
    table: &Table,
    row: &Row,
    meeting: NaiveDate,
    columns: &[usize],
    bands: &[TargetRange],
) -> Result<Option<ExportRow>, FedWatchError> {
    let date = table.date(row, 0)?;
    let mut probabilities = Vec::new();
    for (&i, &band) in columns.iter().zip(bands) {
        let cell = row.cell(i);
        if cell.is_empty() {
            continue;
        }
        let p = parse_probability(cell).ok_or_else(|| FedWatchError::BadProbability {
            cell: cell.to_owned(),
            src: table.src.clone(),
            span: row.cell_span(i),
        })?;
        probabilities.push((band, p));
    }
    if probabilities.is_empty() {
        return Ok(None);
    }
    let sum: f64 = probabilities.iter().map(|p| p.1).sum();
    if (sum - 1.0).abs() > SUM_TOLERANCE {
        let first = columns.first().map_or(0, |&c| row.spans.get(c).map_or(0, |s| s.start));
        let last = columns.last().map_or(0, |&c| row.spans.get(c).map_or(0, |s| s.end));
        return Err(FedWatchError::BadSum {
            meeting: meeting.to_string(),
            sum,
            src: table.src.clone(),
            span: (first, last.saturating_sub(first)).into(),
            help: format!(
                "a row holds the probabilities of every outcome of one meeting, so they add up to 1 (100%) within rounding ({SUM_TOLERANCE}); check for a missing or mistyped cell"
            ),
        });
    }
    Ok(Some(ExportRow {
        date,
        dist: Arc::new(Distribution::new(probabilities)),
        span: row.row_span(),
    }))
}

/// Rows sorted by date; a date given twice is an error.
fn in_order(table: &Table, mut rows: Vec<ExportRow>) -> Result<Vec<ExportRow>, FedWatchError> {
    rows.sort_by_key(|r| r.date);
    if let Some(w) = rows.windows(2).find(|w| w[0].date == w[1].date) {
        let message = format!("{} appears twice", w[1].date);
        return Err(table.bad_cell(w[1].span, message, "a second row for this day", "keep one row per day"));
    }
    Ok(rows)
}

/// `(400-425)` → 4.00–4.25 (basis points, as CME writes them; some exports write 1000 bp
/// and up with a thousands separator, `(975-1.000)`).
pub(crate) fn parse_band(label: &str) -> Option<TargetRange> {
    let inner = label.trim().strip_prefix('(')?.strip_suffix(')')?;
    let (low, high) = inner.split_once('-')?;
    let (low_bp, high_bp) = (basis_points(low.trim())?, basis_points(high.trim())?);
    (low_bp < high_bp && high_bp <= 10_000).then_some(TargetRange { low_bp, high_bp })
}

/// `425`, or `1.000` / `1,025` with a thousands separator.
fn basis_points(text: &str) -> Option<i32> {
    let mut groups = text.split(['.', ',']);
    let head = groups.next()?;
    let mut digits = head.to_owned();
    for group in groups {
        if group.len() != 3 || head.len() > 3 {
            return None;
        }
        digits.push_str(group);
    }
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// A fraction (`0.826897`) or a percentage (`31.0%`), within 0–1 (a hair of rounding
/// either side allowed).
fn parse_probability(cell: &str) -> Option<f64> {
    let (number, scale) = match cell.strip_suffix('%') {
        Some(n) => (n.trim(), 100.0),
        None => (cell, 1.0),
    };
    let p = number.parse::<f64>().ok()? / scale;
    (p.is_finite() && (-1e-6..=1.0 + 1e-6).contains(&p)).then_some(p.clamp(0.0, 1.0))
}

/// The first `YYYYMMDD` in a file name: `FedMeeting_20250917 (1)` → 2025-09-17.
fn date_in_name(stem: &str) -> Option<NaiveDate> {
    let bytes = stem.as_bytes();
    (0..bytes.len().saturating_sub(7)).find_map(|i| {
        let digits = &stem[i..i + 8];
        let whole = digits.bytes().all(|b| b.is_ascii_digit())
            && !bytes.get(i + 8).is_some_and(u8::is_ascii_digit)
            && (i == 0 || !bytes[i - 1].is_ascii_digit());
        whole
            .then(|| NaiveDate::parse_from_str(digits, "%Y%m%d").ok())
            .flatten()
    })
}

/// `History for 17 Sep 2025 Fed meeting` → 2025-09-17.
fn meeting_of_label(label: &str) -> Option<NaiveDate> {
    let label = label.trim();
    let date = strip_prefix_ignoring_case(label, "history for ")?;
    let date = strip_suffix_ignoring_case(date, " fed meeting")?;
    NaiveDate::parse_from_str(date.trim(), "%d %b %Y").ok()
}

fn strip_prefix_ignoring_case<'t>(text: &'t str, prefix: &str) -> Option<&'t str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix).then(|| &text[prefix.len()..])
}

fn strip_suffix_ignoring_case<'t>(text: &'t str, suffix: &str) -> Option<&'t str> {
    let at = text.len().checked_sub(suffix.len())?;
    let tail = text.get(at..)?;
    tail.eq_ignore_ascii_case(suffix).then(|| &text[..at])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a date")
    }

    #[test]
    fn cells_labels_and_names() {
        assert_eq!(parse_band("(400-425)").map(|b| (b.low_bp, b.high_bp)), Some((400, 425)));
        assert_eq!(
            parse_band("(975-1.000)").map(|b| (b.low_bp, b.high_bp)),
            Some((975, 1000))
        );
        assert_eq!(
            parse_band("(1.000-1.025)").map(|b| (b.low_bp, b.high_bp)),
            Some((1000, 1025))
        );
        assert_eq!(parse_band("(1.00-1.25)"), None, "percent is not what CME writes");
        assert_eq!(parse_band("(425-400)"), None);
        assert_eq!(parse_band("(-25-0)"), None);
        assert_eq!(parse_band("400-425"), None);
        assert_eq!(parse_probability("31.0%"), Some(0.31));
        assert_eq!(parse_probability("0.826897"), Some(0.826897));
        assert_eq!(parse_probability("1.5"), None);
        assert_eq!(parse_date("2025/8/21"), Some(date(2025, 8, 21)));
        assert_eq!(parse_date("2025-08-21"), Some(date(2025, 8, 21)));
        assert_eq!(parse_date("8/21/2025"), None);
        assert_eq!(date_in_name("FedMeeting_20250917 (1)"), Some(date(2025, 9, 17)));
        assert_eq!(date_in_name("FedMeeting_2025091"), None);
        assert_eq!(
            meeting_of_label("History for 17 Sep 2025 Fed meeting"),
            Some(date(2025, 9, 17))
        );
        assert_eq!(
            meeting_of_label("History for 9 Dec 2026 Fed meeting"),
            Some(date(2026, 12, 9))
        );
        assert_eq!(meeting_of_label("History for 17 Sept 2025"), None);
    }

    #[test]
    fn a_history_export_splits_into_meetings_by_its_first_header_line() {
        let text = ",History for 17 Sep 2025 Fed meeting,,History for 29 Oct 2025 Fed meeting,,History for 10 Dec 2025 Fed meeting\n\
                    Date,(400-425),(425-450),(375-400),(400-425)\n\
                    2025/8/1,0.25,0.75,,\n\
                    2025/8/4,0.5,0.5,0.1,0.9\n";
        let table = Table::read("FedMeetingHistory_20250805.csv", text).expect("reads");
        let exports = read_history(&table, false, &mut Skipped::default()).expect("a history export");
        assert_eq!(exports.len(), 2);
        assert_eq!((exports[0].meeting, exports[0].rows.len()), (date(2025, 9, 17), 2));
        // October is not priced on 2025-08-01 (empty cells): its first row is 2025-08-04.
        assert_eq!((exports[1].meeting, exports[1].rows.len()), (date(2025, 10, 29), 1));
        let oct = exports[1].rows[0].dist.bands();
        assert_eq!((oct[0].0.low_bp, oct[0].1), (375, 0.1));
        assert_eq!(meetings_without_columns(&table), [date(2025, 12, 10)]);
    }

    #[test]
    fn lenient_reading_skips_a_bad_row_once_for_every_meeting() {
        let text = ",History for 17 Sep 2025 Fed meeting,,History for 29 Oct 2025 Fed meeting,\n\
                    Date,(400-425),(425-450),(375-400),(400-425)\n\
                    2025/8/1,0.25,0.75,0.5,0.5\n\
                    2025/8/32,0.5,0.5,0.1,0.9\n\
                    2025/8/5,0.5,0.5,0.1,0.9\n";
        let table = Table::read("FedMeetingHistory_20250805.csv", text).expect("reads");
        assert!(matches!(
            read_history(&table, false, &mut Skipped::default()),
            Err(FedWatchError::BadDate { .. })
        ));
        let mut skipped = Skipped::default();
        let exports = read_history(&table, true, &mut skipped).expect("lenient");
        assert_eq!(skipped.rows.len(), 1, "one bad row, though both meetings skip it");
        assert!(exports.iter().all(|e| e.rows.len() == 2));
        assert!(skipped.first.is_some_and(|m| m.contains("2025/8/32")));
    }
}
