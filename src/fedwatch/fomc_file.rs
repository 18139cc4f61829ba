//! A calendar file: the user's own FOMC meetings and decisions, added to (or replacing)
//! the bundled ones.
//!
//! ```text
//! date,meeting,target_low,target_high
//! 2026-09-16,scheduled,3.25,3.50
//! 2026-10-28,scheduled,,
//! 2020-03-15,unscheduled,0.00,0.25
//! 2020-03-18,cancelled,,
//! ```
//!
//! `scheduled` adds a meeting to the calendar, `cancelled` removes one, `unscheduled` is a
//! decision between meetings (not in the calendar: nobody knew of it in advance). A target
//! range (percent) is the one decided that day; leave both cells empty for a meeting still
//! to come. A row for a date the bundled data has replaces it.

use chrono::NaiveDate;

use super::calendar::Calendar;
use super::error::FedWatchError;
use super::table::{Table, normalise};
use super::target_range::{TargetHistory, TargetRange};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Scheduled,
    Unscheduled,
    Cancelled,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FomcRow {
    pub date: NaiveDate,
    pub kind: Kind,
    pub range: Option<TargetRange>,
}

/// The rows of one calendar file.
#[derive(Clone, Debug)]
pub(crate) struct FomcFile {
    pub rows: Vec<FomcRow>,
}

/// Whether a header is a calendar file's: a date column and a `meeting` column.
pub(crate) fn is_calendar_header(cells: &[String]) -> bool {
    let names: Vec<String> = cells.iter().map(|c| normalise(c)).collect();
    names.iter().any(|n| n == "date") && names.iter().any(|n| n == "meeting")
}

/// The error for a file `name` (holding `text`) that should be a calendar file and is not,
/// at its first line.
pub(crate) fn not_calendar(name: &str, text: &str) -> FedWatchError {
    let start = text.len() - text.trim_start_matches('\u{feff}').len();
    let first = text[start..].lines().next().unwrap_or("");
    FedWatchError::NotCalendar {
        file: name.to_owned(),
        src: std::sync::Arc::new(miette::NamedSource::new(name, text.to_owned())),
        span: (start, first.len()).into(),
    }
}

/// Reads a calendar file.
pub(crate) fn read(table: &Table) -> Result<FomcFile, FedWatchError> {
    let header = &table.rows[0];
    let column =
        |names: &[&str]| (0..header.cells.len()).find(|&i| names.contains(&normalise(header.cell(i)).as_str()));
    let (Some(date), Some(meeting)) = (column(&["date"]), column(&["meeting"])) else {
        return Err(table.bad_cell(
            header.row_span(),
            "a calendar file needs `date` and `meeting` columns",
            "header",
            "write the header `date,meeting,target_low,target_high`",
        ));
    };
    let low = column(&["targetlow", "low"]);
    let high = column(&["targethigh", "high"]);
    let mut rows = Vec::new();
    for row in &table.rows[1..] {
        let bad =
            |i: usize, message: String, label: &str, help: &str| table.bad_cell(row.cell_span(i), message, label, help);
        let day = table.date(row, date)?;
        let kind = match row.cell(meeting).to_ascii_lowercase().as_str() {
            "scheduled" => Kind::Scheduled,
            "unscheduled" => Kind::Unscheduled,
            "cancelled" | "canceled" => Kind::Cancelled,
            other => {
                return Err(bad(
                    meeting,
                    format!("`{other}` is not a kind of meeting"),
                    "not scheduled, unscheduled or cancelled",
                    "write `scheduled` (in the calendar), `unscheduled` (a decision between meetings) or `cancelled` (removes a meeting)",
                ));
            }
        };
        let cells = (low.map_or("", |i| row.cell(i)), high.map_or("", |i| row.cell(i)));
        let range = match cells {
            ("", "") => None,
            (l, h) => {
                let at = low.filter(|_| !l.is_empty()).or(high).unwrap_or(date);
                let range = TargetRange::parse_percent(&format!("{l}-{h}")).filter(|r| r.high_bp - r.low_bp <= 100);
                Some(range.ok_or_else(|| {
                    bad(
                        at,
                        format!("`{l}`–`{h}` is not a target range"),
                        "not a range",
                        "write the range's bounds in percent, the lower first, such as `3.50` and `3.75`; both or neither",
                    )
                })?)
            }
        };
        if kind == Kind::Cancelled && range.is_some() {
            return Err(bad(
                meeting,
                "a cancelled meeting decides nothing".into(),
                "cancelled, yet with a range",
                "leave the range empty, or mark the decision `unscheduled`",
            ));
        }
        rows.push(FomcRow { date: day, kind, range });
    }
    Ok(FomcFile { rows })
}

/// Applies rows to the calendar and the target history, in file order.
pub(crate) fn apply(rows: &[FomcRow], calendar: &mut Calendar, targets: &mut TargetHistory) {
    for row in rows {
        match row.kind {
            Kind::Scheduled => calendar.add(row.date),
            Kind::Cancelled => calendar.remove(row.date),
            Kind::Unscheduled => {}
        }
        if let Some(range) = row.range {
            targets.set(row.date, range);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_add_meetings_remove_them_and_set_ranges() {
        let text = "date,meeting,target_low,target_high\n2026-09-16,scheduled,3.25,3.50\n2028-03-15,scheduled,,\n2020-03-18,cancelled,,\n";
        let table = Table::read("fomc.csv", text).expect("reads");
        let file = read(&table).expect("a calendar file");
        let (mut calendar, mut targets) = (Calendar::bundled(), TargetHistory::bundled());
        apply(&file.rows, &mut calendar, &mut targets);
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).expect("a date");
        assert!(calendar.contains(d(2028, 3, 15)));
        assert!(!calendar.contains(d(2020, 3, 18)));
        assert_eq!(targets.in_force(d(2026, 9, 17)).map(|r| r.low_bp), Some(325));
        assert_eq!(targets.confirmed_through(), d(2026, 9, 16));
    }

    #[test]
    fn a_cancelled_meeting_with_a_range_is_an_error() {
        let table = Table::read("f.csv", "date,meeting,low,high\n2020-03-18,cancelled,1.00,1.25\n").expect("reads");
        assert!(matches!(read(&table), Err(FedWatchError::BadCell { .. })));
        let table = Table::read("f.csv", "date,meeting,low,high\n2020-03-18,scheduled,1.25,\n").expect("reads");
        assert!(matches!(read(&table), Err(FedWatchError::BadCell { .. })));
    }
}
