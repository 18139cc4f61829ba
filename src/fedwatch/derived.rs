//! The series a strategy reads (`fed_cut_prob` and the rest), derived from the observations.
//!
//! For a day t and a meeting selector: the meeting is the `n`th scheduled one whose
//! decision date is after t (or, for `by DATE`, the last one on or before DATE while it is
//! after t); its probabilities are the latest observation of that meeting dated on or
//! before t; the measures compare them with the target range in force at t. No
//! observation of *that* meeting by t, or no known range, is "not available" — never
//! another meeting's figure.
//!
//! A series holds a point on every day any of its inputs can change (an observation, a
//! meeting, a change of range), so the engine's as-of join (last point on or before the
//! day) gives exactly that definition on every trading day, and nothing dated after t.

use chrono::NaiveDate;

use super::calendar::Calendar;
use super::observations::Observations;
use super::series::Measure;
use super::target_range::TargetHistory;
use crate::data::SeriesHistory;

/// The five measures of one meeting selector, and the day of the observation behind each
/// point (for staleness: how old the probabilities are).
#[derive(Clone, Debug, PartialEq)]
pub struct Derivation {
    /// One series per [`Measure`], in [`Measure::ALL`] order, on the same days.
    pub series: [SeriesHistory; 5],
    /// The observation used for each point; `None` where the value is not available.
    pub observed: Vec<Option<NaiveDate>>,
}

/// What derivation reads.
pub(crate) struct Inputs<'a> {
    pub calendar: &'a Calendar,
    pub targets: &'a TargetHistory,
    pub observations: &'a Observations,
}

impl Inputs<'_> {
    /// The series for the `n`th meeting ahead (1 = the next), named as
    /// [`super::series::FedSeries::name`] spells them, `file` being where they came from.
    pub fn ahead(&self, n: u32, file: &str) -> Derivation {
        let days = self.timeline(self.observations.days(), None);
        self.derive(&days, |t| self.calendar.ahead(t, n), file, |m| selector(m, n))
    }

    /// The series of one meeting, for `by DATE` selectors: available before the meeting.
    pub fn of_meeting(&self, meeting: NaiveDate, file: &str) -> Derivation {
        let own = self.observations.by_meeting.get(&meeting);
        let days: Vec<NaiveDate> = own.into_iter().flatten().map(|o| o.date).collect();
        let days = self.timeline(days, Some(meeting));
        self.derive(
            &days,
            |t| (t < meeting).then_some(meeting),
            file,
            |m| super::series::selector_name(m.name(), &format!("by {meeting}")),
        )
    }

    /// Observation days, plus the meeting days and range changes between the first of them
    /// and the last meeting that has observations (or `last`).
    fn timeline(&self, observed: Vec<NaiveDate>, last: Option<NaiveDate>) -> Vec<NaiveDate> {
        let Some(&first) = observed.first() else {
            return Vec::new();
        };
        let end = last.or_else(|| self.observations.by_meeting.keys().next_back().copied());
        let within = |d: &NaiveDate| first <= *d && end.is_none_or(|e| *d <= e);
        let mut days = observed;
        days.extend(self.calendar.dates().iter().copied().filter(within));
        days.extend(self.targets.change_days().filter(within));
        days.sort_unstable();
        days.dedup();
        days
    }

    fn derive(
        &self,
        days: &[NaiveDate],
        meeting_at: impl Fn(NaiveDate) -> Option<NaiveDate>,
        file: &str,
        name: impl Fn(Measure) -> String,
    ) -> Derivation {
        let ts: Vec<i64> = days.iter().map(|&d| super::timestamp(d)).collect();
        let mut values: [Vec<f64>; 5] = Default::default();
        let mut observed = Vec::with_capacity(days.len());
        for &t in days {
            let seen = meeting_at(t)
                .and_then(|m| self.observations.latest(m, t))
                .zip(self.targets.in_force(t));
            observed.push(seen.map(|(o, _)| o.date));
            let outcome = seen.map(|(o, range)| o.dist.outcome(range));
            for measure in Measure::ALL {
                let v = outcome.map_or(f64::NAN, |o| match measure {
                    Measure::Cut => o.cut,
                    Measure::Hike => o.hike,
                    Measure::Hold => o.hold,
                    Measure::ExpectedRate => o.expected_rate,
                    Measure::CutsPriced => o.cuts_priced,
                });
                values[measure.index()].push(v);
            }
        }
        // Each point carries its observation's date (its own where there is none: the
        // value is not available there anyway), so staleness reads the export's age.
        let seen: Vec<i64> = (observed.iter().zip(&ts))
            .map(|(o, &t)| o.map_or(t, super::timestamp))
            .collect();
        let series = Measure::ALL.map(|m| SeriesHistory {
            name: name(m),
            file: file.to_owned(),
            ts: ts.clone(),
            values: std::mem::take(&mut values[m.index()]),
            observed: Some(seen.clone()),
        });
        Derivation { series, observed }
    }

    /// The most meetings ahead any day has an observation for: how many `meeting N`
    /// selectors can have data.
    pub fn reach(&self) -> u32 {
        let mut most = 0;
        for (&meeting, list) in &self.observations.by_meeting {
            for o in list {
                let ahead = self
                    .calendar
                    .index_of(meeting)
                    .and_then(|m| (m + 1).checked_sub(self.calendar.index_after(o.date)));
                most = most.max(ahead.unwrap_or(0));
            }
        }
        u32::try_from(most).unwrap_or(u32::MAX)
    }
}

fn selector(measure: Measure, n: u32) -> String {
    super::series::FedSeries {
        measure,
        meeting: super::series::Meeting::Ahead(n),
    }
    .name()
}
