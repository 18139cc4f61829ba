//! FedWatch built in: the market's probabilities of each FOMC outcome as series a strategy
//! reads (`fed_cut_prob`, `fed_hike_prob`, `fed_hold_prob`, `fed_expected_rate`,
//! `fed_cuts_priced`), from CME's FedWatch exports as they are downloaded or computed from
//! 30-day fed funds futures the way CME does. docs/FEDWATCH.md is the user's guide.
//!
//! - [`calendar`] and [`target_range`]: the bundled FOMC meetings and target ranges since
//!   2008, which a calendar file ([`fomc_file`]) extends;
//! - [`exports`] reads CME's exports, [`quotes`] futures prices, [`barchart`] Barchart's
//!   list of ZQ contracts, [`futures`] holds CME's method;
//! - [`observations`] puts every file's probabilities together, [`derived`] turns them into
//!   series, [`FedWatchSet`] is what a data set holds, [`series`] names the series.
//!
//! The data loader hands every file to [`load`] first: a file that has the shape (or the
//! name) of a FedWatch file is read here and kept as it is read ([`FedWatchFiles`]); once
//! every file is loaded, [`DataSet::finish`] makes one [`FedWatchSet`] of all of them.

pub mod barchart;
pub mod calendar;
pub mod derived;
pub mod distribution;
mod error;
pub mod exports;
pub mod fomc_file;
pub mod futures;
pub mod observations;
pub mod outlook;
pub mod quotes;
pub mod series;
mod set;
mod table;
pub mod target_range;

use std::sync::Arc;

use chrono::NaiveDate;

pub use calendar::Calendar;
pub use distribution::{Distribution, Outcome};
pub use error::FedWatchError;
pub use series::{FedSeries, Measure, Meeting};
pub use set::{FedWatchFiles, FedWatchSet};
pub use target_range::{TargetHistory, TargetRange};

use crate::data::{DataError, DataSet, LoadOptions, SeriesHistory};
use exports::Skipped;
use table::{Table, normalise};

/// The kinds of FedWatch file, told from their header (or, failing that, their name).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `FedMeeting_YYYYMMDD.csv`: one meeting's band probabilities by day.
    MeetingExport,
    /// `FedMeetingHistory_YYYYMMDD.csv`: every meeting side by side, two header lines.
    HistoryExport,
    /// Fed funds futures prices of one day: `contract_symbol,…,close_price,as_of_date`.
    FuturesCurve,
    /// Fed funds futures prices by day: `date,contract,price`.
    FuturesHistory,
    /// Barchart's list of fed funds futures contracts: `"Exp Date",Symbol,…,Last,…,Time`,
    /// one row per contract month, the latest prices at the download ([`barchart`]).
    FuturesContracts,
    /// A calendar file: `date,meeting,target_low,target_high`.
    Calendar,
}

/// Which FedWatch file `text` (named `name`) is, from its first line; `None` for any other
/// data file. Only the first line is looked at, so other files cost nothing here.
pub fn recognise(name: &str, text: &str) -> Option<Kind> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let first = text.lines().next().unwrap_or("");
    let cells: Vec<String> = first
        .split(',')
        .map(|c| c.trim().trim_matches('"').to_owned())
        .collect();
    let names: Vec<String> = cells.iter().map(|c| normalise(c)).collect();
    let has = |n: &str| names.iter().any(|x| x == n);
    let stem = std::path::Path::new(name)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let bands = cells.iter().skip(1).filter(|c| c.starts_with('(')).count();
    if first.to_ascii_lowercase().contains("fed meeting") || stem.starts_with("fedmeetinghistory") {
        Some(Kind::HistoryExport)
    } else if (names[0] == "date" && cells.len() > 1 && 2 * bands > cells.len() - 1) || stem.starts_with("fedmeeting") {
        Some(Kind::MeetingExport)
    } else if has("contractsymbol") && has("closeprice") {
        Some(Kind::FuturesCurve)
    } else if barchart::is_contract_list(&names) {
        Some(Kind::FuturesContracts)
    } else if has("date") && has("contract") && names.len() == 3 {
        Some(Kind::FuturesHistory)
    } else if fomc_file::is_calendar_header(&cells) {
        Some(Kind::Calendar)
    } else {
        None
    }
}

/// Reads `text` as a FedWatch file if it is one ([`recognise`]): a data set holding the
/// file, whose series [`DataSet::finish`] derives together with the other FedWatch files'.
/// `None` for other files; with [`LoadOptions::calendar`] (`fomc "FILE"`), anything but a
/// calendar file is an error.
pub fn load(name: &str, text: &str, opts: &LoadOptions) -> Result<Option<DataSet>, DataError> {
    let kind = recognise(name, text);
    if opts.calendar && kind != Some(Kind::Calendar) {
        return Err(fomc_file::not_calendar(name, text).into());
    }
    let Some(kind) = kind else {
        return Ok(None);
    };
    if let Some(alias) = &opts.symbol {
        return Err(FedWatchError::Alias { alias: alias.clone() }.into());
    }
    let table = Table::read(name, text)?;
    let header_lines = if kind == Kind::HistoryExport { 2 } else { 1 };
    if table.rows.len() <= header_lines {
        return Err(FedWatchError::Empty {
            file: name.to_owned(),
            src: table.src.clone(),
            span: (0, text.len().min(200)).into(),
        }
        .into());
    }
    let mut files = FedWatchFiles {
        names: vec![name.to_owned()],
        ..FedWatchFiles::default()
    };
    let mut skipped = Skipped::default();
    let mut notes = Vec::new();
    match kind {
        Kind::MeetingExport => {
            let export = exports::read_meeting(&table, opts.lenient, &mut skipped)?;
            files.exports.push(Arc::new(export));
        }
        Kind::HistoryExport => {
            for export in exports::read_history(&table, opts.lenient, &mut skipped)? {
                files.exports.push(Arc::new(export));
            }
            let later = exports::meetings_without_columns(&table);
            if !later.is_empty() {
                let dates: Vec<String> = later.iter().map(|d| d.to_string()).collect();
                notes.push(format!(
                    "{name}: meetings {} are named without columns, so have no data",
                    dates.join(", ")
                ));
            }
        }
        Kind::FuturesCurve | Kind::FuturesHistory => {
            files
                .futures
                .push(Arc::new(quotes::read_quotes(&table, kind == Kind::FuturesCurve)?));
        }
        Kind::FuturesContracts => {
            let list = barchart::read_contract_list(&table)?;
            notes.extend(list.notes);
            files.futures.push(Arc::new(list.quotes));
        }
        Kind::Calendar => files.calendars.push(Arc::new(fomc_file::read(&table)?)),
    }
    let skip_notes: Vec<String> = (skipped.first.iter())
        .map(|first| {
            format!(
                "{name}: skipped {} (lenient); the first: {first}",
                crate::display::count(skipped.rows.len(), "bad row")
            )
        })
        .collect();
    notes.extend(skip_notes.iter().cloned());
    Ok(Some(DataSet {
        skipped_rows: skipped.rows.len(),
        skip_notes,
        notes,
        fedwatch_files: files,
        ..DataSet::default()
    }))
}

/// Puts a set's next-meeting series and notes into a data set's lists.
pub(crate) fn attach(
    set: Arc<FedWatchSet>,
    series: &mut Vec<SeriesHistory>,
    notes: &mut Vec<String>,
    slot: &mut Option<Arc<FedWatchSet>>,
) {
    series.extend(set.next_series().iter().cloned());
    notes.extend(set.notes().iter().cloned());
    *slot = Some(set);
}

/// Takes a set's next-meeting series and notes out of a data set's lists again (before a
/// set made of more files replaces it).
pub(crate) fn detach(set: &FedWatchSet, series: &mut Vec<SeriesHistory>, notes: &mut Vec<String>) {
    let names: Vec<&str> = set.next_series().iter().map(|s| s.name.as_str()).collect();
    let file = &set.next_series()[0].file;
    series.retain(|s| !(names.contains(&s.name.as_str()) && &s.file == file));
    notes.retain(|n| !set.notes().contains(n));
}

/// Seconds since 1970 of a day's start, as data sets keep dates.
pub(crate) fn timestamp(day: NaiveDate) -> i64 {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).expect("the epoch");
    day.signed_duration_since(epoch).num_days() * 86_400
}

/// The day of a data set timestamp.
pub(crate) fn date_of(ts: i64) -> NaiveDate {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).expect("the epoch");
    epoch + chrono::Duration::days(ts.div_euclid(86_400))
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod recognition_tests {
    use super::*;

    #[test]
    fn files_are_told_by_their_first_line() {
        let k = |name: &str, first: &str| recognise(name, first);
        assert_eq!(k("x.csv", "Date,(0-25),(25-50)"), Some(Kind::MeetingExport));
        assert_eq!(
            k("x.csv", "Date,(0-25),(25-5O),(50-75)"),
            Some(Kind::MeetingExport),
            "a typo is still one"
        );
        assert_eq!(
            k("FedMeeting_20250917.csv", "Day,0-25"),
            Some(Kind::MeetingExport),
            "by its name"
        );
        assert_eq!(
            k("x.csv", ",History for 17 Sep 2025 Fed meeting,,"),
            Some(Kind::HistoryExport)
        );
        assert_eq!(
            k(
                "c.csv",
                "contract_symbol,contract_month,contract_year,close_price,as_of_date"
            ),
            Some(Kind::FuturesCurve)
        );
        assert_eq!(k("h.csv", "date,contract,price"), Some(Kind::FuturesHistory));
        assert_eq!(
            k(
                "ZQ.csv",
                "\"Exp Date\",Symbol,\"Contract Name\",Last,\"52W High\",\"52W High Date\",\"52W Low\",\"52W Low Date\",\"52W %Chg\",Time"
            ),
            Some(Kind::FuturesContracts)
        );
        assert_eq!(k("f.csv", "date,meeting,target_low,target_high"), Some(Kind::Calendar));
        for other in [
            "Date,Open,High,Low,Close",
            "DATE,DFF",
            "date,symbol,close",
            "date,fed_cut_prob",
        ] {
            assert_eq!(k("x.csv", other), None, "{other}");
        }
    }

    #[test]
    fn timestamps_are_whole_days() {
        let d = NaiveDate::from_ymd_opt(2025, 9, 17).expect("a date");
        assert_eq!(timestamp(d), 20_348 * 86_400);
        assert_eq!(date_of(timestamp(d)), d);
    }
}
