//! The FedWatch part of a data set: the files read, the one set of observations made from
//! them, and the series derived from it.

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use chrono::NaiveDate;

use super::calendar::Calendar;
use super::derived::{Derivation, Inputs};
use super::error::FedWatchError;
use super::exports::MeetingExport;
use super::fomc_file::{self, FomcFile};
use super::observations::{Observations, Origin};
use super::quotes::QuoteFile;
use super::series::{FedSeries, Meeting};
use super::target_range::TargetHistory;
use crate::data::SeriesHistory;
use crate::display::count;

/// FedWatch files as read, before they are put together: what a data set holds between
/// loading its files and [`crate::data::DataSet::finish`], which makes one
/// [`FedWatchSet`] of all of them (so the series are derived once, however many files).
#[derive(Clone, Debug, Default)]
pub struct FedWatchFiles {
    /// Every file, as the user named it, in the order read.
    pub(crate) names: Vec<String>,
    pub(crate) exports: Vec<Arc<MeetingExport>>,
    pub(crate) futures: Vec<Arc<QuoteFile>>,
    pub(crate) calendars: Vec<Arc<FomcFile>>,
}

impl PartialEq for FedWatchFiles {
    /// Files are told apart by name: their contents are what those files held when read.
    fn eq(&self, other: &Self) -> bool {
        self.names == other.names
    }
}

impl FedWatchFiles {
    /// Whether no FedWatch file is here.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// The files, as the user named them, in the order read.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// Whether only calendar files are here: no probabilities to derive series from.
    pub fn only_calendars(&self) -> bool {
        self.exports.is_empty() && self.futures.is_empty()
    }

    /// Adds `other`'s files after these (calendar files apply in this order).
    pub fn append(&mut self, other: FedWatchFiles) {
        self.names.extend(other.names);
        self.exports.extend(other.exports);
        self.futures.extend(other.futures);
        self.calendars.extend(other.calendars);
    }
}

/// Everything FedWatch a [`crate::data::DataSet`] holds. The next meeting's five series are
/// also in the data set's `series`, like any other; those of later meetings are found by
/// name ([`FedWatchSet::lookup`]) and derived when first asked for.
#[derive(Clone, Debug)]
pub struct FedWatchSet {
    files: FedWatchFiles,
    calendar: Calendar,
    targets: TargetHistory,
    observations: Observations,
    /// The series of the next meeting.
    next: Derivation,
    /// `meeting 2` onwards, as far as any day has data.
    ahead: Vec<OnceLock<Derivation>>,
    /// Each meeting with observations, for `by DATE`.
    by_meeting: BTreeMap<NaiveDate, OnceLock<Derivation>>,
    /// What a selector with no data reads: never available.
    empty: SeriesHistory,
    /// What the report should say, one sentence each.
    notes: Vec<String>,
}

impl PartialEq for FedWatchSet {
    fn eq(&self, other: &Self) -> bool {
        self.files.names == other.files.names && self.observations == other.observations && self.next == other.next
    }
}

impl FedWatchSet {
    /// Puts every FedWatch file of a data set together and derives the next meeting's
    /// series (later meetings' when first asked for). Fails on an export of a meeting the
    /// calendar (with every calendar file) does not have, and on exports that differ.
    pub fn new(files: FedWatchFiles) -> Result<FedWatchSet, FedWatchError> {
        let (mut calendar, mut targets) = (Calendar::bundled(), TargetHistory::bundled());
        for file in &files.calendars {
            fomc_file::apply(&file.rows, &mut calendar, &mut targets);
        }
        check_placed(&files, &calendar)?;
        let exports: Vec<&MeetingExport> = files.exports.iter().map(|e| e.as_ref()).collect();
        let futures: Vec<&QuoteFile> = files.futures.iter().map(|f| f.as_ref()).collect();
        let observations = Observations::build(&exports, &futures, &calendar, &targets)?;
        let label = label(&files.names);
        let inputs = Inputs {
            calendar: &calendar,
            targets: &targets,
            observations: &observations,
        };
        let next = inputs.ahead(1, &label);
        let reach = inputs.reach();
        let notes = notes(&inputs, &next);
        let by_meeting = observations.by_meeting.keys().map(|&m| (m, OnceLock::new())).collect();
        Ok(FedWatchSet {
            ahead: (2..=reach).map(|_| OnceLock::new()).collect(),
            by_meeting,
            empty: SeriesHistory {
                name: String::new(),
                file: label,
                ts: Vec::new(),
                values: Vec::new(),
                observed: None,
            },
            files,
            calendar,
            targets,
            observations,
            next,
            notes,
        })
    }

    /// The files the set was made of.
    pub fn files(&self) -> &FedWatchFiles {
        &self.files
    }

    /// The next meeting's series, which the data set lists with its other series.
    pub fn next_series(&self) -> &[SeriesHistory; 5] {
        &self.next.series
    }

    /// What the report should say about how the series were made.
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    pub fn calendar(&self) -> &Calendar {
        &self.calendar
    }

    pub fn targets(&self) -> &TargetHistory {
        &self.targets
    }

    pub fn observations(&self) -> &Observations {
        &self.observations
    }

    /// The series called `name` (`fed_cut_prob(meeting 2)`, `fed_cut_prob(by 2025-12-31)`,
    /// or a next-meeting name); a selector no data reaches gives a series with no points
    /// (never available). `None` for names that are not FedWatch's.
    pub fn lookup(&self, name: &str) -> Option<&SeriesHistory> {
        let series = FedSeries::parse(name)?;
        let i = series.measure.index();
        Some(match self.derivation(series.meeting) {
            Some(d) => &d.series[i],
            None => &self.empty,
        })
    }

    /// The day of the observation behind `name`'s value on `day` (how old its
    /// probabilities are), or `None` where it is not available.
    pub fn observed(&self, name: &str, day: NaiveDate) -> Option<NaiveDate> {
        let d = self.derivation(FedSeries::parse(name)?.meeting)?;
        let ts = &d.series[0].ts;
        let at = ts.partition_point(|&t| t <= super::timestamp(day));
        d.observed[at.checked_sub(1)?]
    }

    fn derivation(&self, meeting: Meeting) -> Option<&Derivation> {
        let inputs = || Inputs {
            calendar: &self.calendar,
            targets: &self.targets,
            observations: &self.observations,
        };
        let file = &self.empty.file;
        match meeting {
            Meeting::Ahead(1) => Some(&self.next),
            Meeting::Ahead(n) => {
                let cell = self.ahead.get(usize::try_from(n).ok()?.checked_sub(2)?)?;
                Some(cell.get_or_init(|| inputs().ahead(n, file)))
            }
            Meeting::By(date) => {
                let m = self.calendar.last_by(date)?;
                let cell = self.by_meeting.get(&m)?;
                Some(cell.get_or_init(|| inputs().of_meeting(m, file)))
            }
        }
    }
}

/// Fails on the first export of a meeting the calendar does not have (calendar files
/// applied, whichever order the files came in).
fn check_placed(files: &FedWatchFiles, calendar: &Calendar) -> Result<(), FedWatchError> {
    let Some(e) = files.exports.iter().find(|e| !calendar.contains(e.meeting)) else {
        return Ok(());
    };
    let near: Vec<String> = calendar.neighbours(e.meeting).iter().map(|d| d.to_string()).collect();
    Err(FedWatchError::UnknownMeeting {
        date: e.meeting.to_string(),
        src: e.src.clone(),
        span: e.label,
        help: format!(
            "the nearest scheduled meetings are {}; if the Fed added this one, list it in a calendar file (`date,meeting` then `{},scheduled`) and load it with `fomc \"FILE\"`",
            near.join(" and "),
            e.meeting
        ),
    })
}

/// How the series name their source: the files, shortened.
fn label(names: &[String]) -> String {
    match names {
        [] => "FedWatch data".to_owned(),
        [one] => one.clone(),
        [first, rest @ ..] => format!("{first} and {}", count(rest.len(), "other FedWatch file")),
    }
}

fn notes(inputs: &Inputs, next: &Derivation) -> Vec<String> {
    let o = inputs.observations;
    let mut notes = Vec::new();
    if o.by_meeting.is_empty() {
        return notes;
    }
    notes.push(format!(
        "FedWatch: fed_cut_prob and the other fed_* series are for the next FOMC meeting after each day, \
         from that meeting's latest probabilities dated on or before the day ({} from CME exports, \
         {} from fed funds futures)",
        count(o.count(Origin::Export), "meeting"),
        o.count(Origin::Futures)
    ));
    if o.overlap {
        notes.push(
            "FedWatch: where a CME export and the futures both price a meeting on a day, the export is used".into(),
        );
    }
    if o.implied_roots > 0 {
        notes.push(format!(
            "FedWatch: on {} with no known target range the futures tree starts from the 25 bp band holding \
             the rate implied before the next meeting",
            count(o.implied_roots, "day")
        ));
    }
    let confirmed = inputs.targets.confirmed_through();
    // The last day with a value: a day after it reads no range at all.
    let cut = &next.series[0];
    let last = (0..cut.len())
        .rev()
        .find(|&i| !cut.values[i].is_nan())
        .map(|i| super::date_of(cut.ts[i]));
    if let (Some(after), Some(last), Some(range)) = (
        inputs.calendar.ahead(confirmed, 1),
        last,
        inputs.targets.in_force(confirmed),
    ) && last >= after
    {
        notes.push(format!(
            "FedWatch: rotor's target-range history ends with the {confirmed} decision; from {after} on the fed_* \
             series take the range as still {} % (add later decisions with a calendar file, `fomc \"FILE\"`; docs/FEDWATCH.md)",
            range.label()
        ));
    }
    if let Some(first) = o.days().first()
        && inputs.targets.in_force(*first).is_none()
    {
        notes.push(format!(
            "FedWatch: no target range is known for days before 2008, so the fed_* series are not available \
             there (from {first})"
        ));
    }
    notes
}
