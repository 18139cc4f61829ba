//! The names of the FedWatch series a strategy reads, and the meeting each one is about.
//!
//! `fed_cut_prob` is about the next FOMC meeting. `fed_cut_prob(meeting 2)` is about the one
//! after it, and `fed_cut_prob(by 2025-12-31)` about the last scheduled meeting on or before
//! that date. The parser turns the last two forms into names spelled exactly so (one space,
//! an ISO date), and a series of that name is what the data set looks up: a selector is part
//! of the series' name, the way FRED's `DGS2` and `DGS10` are two series.

use chrono::NaiveDate;

/// What a FedWatch series measures about a meeting's outcome.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Measure {
    /// The probability that the target range after the meeting is below the range in
    /// force on the day (0–1).
    Cut,
    /// The probability that it is above (0–1).
    Hike,
    /// The probability that it is the same range (0–1).
    Hold,
    /// The probability-weighted midpoint of the target range after the meeting, in percent.
    ExpectedRate,
    /// (midpoint in force − expected rate) / 0.25: 25 bp cuts priced by the meeting;
    /// negative when hikes are priced.
    CutsPriced,
}

impl Measure {
    /// Every measure, in the order the series are listed.
    pub const ALL: [Measure; 5] = [
        Measure::Cut,
        Measure::Hike,
        Measure::Hold,
        Measure::ExpectedRate,
        Measure::CutsPriced,
    ];

    /// The series name for the next meeting.
    pub fn name(self) -> &'static str {
        match self {
            Measure::Cut => "fed_cut_prob",
            Measure::Hike => "fed_hike_prob",
            Measure::Hold => "fed_hold_prob",
            Measure::ExpectedRate => "fed_expected_rate",
            Measure::CutsPriced => "fed_cuts_priced",
        }
    }

    /// One line for `:help`, completion hints and docs.
    pub fn doc(self) -> &'static str {
        match self {
            Measure::Cut => "probability the FOMC target range after the meeting is below today's (0-1)",
            Measure::Hike => "probability the target range after the meeting is above today's (0-1)",
            Measure::Hold => "probability the target range after the meeting is today's (0-1)",
            Measure::ExpectedRate => "probability-weighted midpoint of the target range after the meeting, %",
            Measure::CutsPriced => "25 bp cuts priced by the meeting: (today's midpoint - expected rate) / 0.25",
        }
    }

    pub fn from_name(name: &str) -> Option<Measure> {
        Measure::ALL.into_iter().find(|m| m.name() == name)
    }

    pub(crate) fn index(self) -> usize {
        self as usize
    }
}

/// Which meeting a series is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Meeting {
    /// The `n`th scheduled meeting whose decision date is after the day (1 = the next).
    Ahead(u32),
    /// The last scheduled meeting whose decision date is on or before this date.
    By(NaiveDate),
}

/// A FedWatch series: a measure of a meeting.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FedSeries {
    pub measure: Measure,
    pub meeting: Meeting,
}

impl FedSeries {
    /// Reads a series name: `fed_cut_prob`, `fed_cut_prob(meeting 2)`,
    /// `fed_cut_prob(by 2025-12-31)`. `None` for any other name, including a selector on a
    /// name that is not a FedWatch series (see [`selector_base`]).
    pub fn parse(name: &str) -> Option<FedSeries> {
        let (base, meeting) = match split_selector(name) {
            None => (name, Meeting::Ahead(1)),
            Some((base, selector)) => (base, parse_selector(selector)?),
        };
        Some(FedSeries {
            measure: Measure::from_name(base)?,
            meeting,
        })
    }

    /// The canonical name: the measure's name alone for the next meeting, otherwise with
    /// its selector.
    pub fn name(&self) -> String {
        match self.meeting {
            Meeting::Ahead(1) => self.measure.name().to_owned(),
            Meeting::Ahead(n) => selector_name(self.measure.name(), &format!("meeting {n}")),
            Meeting::By(date) => selector_name(self.measure.name(), &format!("by {date}")),
        }
    }
}

/// `base(selector)`, as the parser spells a name with a meeting selector.
pub fn selector_name(base: &str, selector: &str) -> String {
    format!("{base}({selector})")
}

/// The name before a meeting selector, for any name spelled `NAME(meeting …)` or
/// `NAME(by …)`: how the checker tells "a selector on a name that takes none".
pub fn selector_base(name: &str) -> Option<&str> {
    split_selector(name).map(|(base, _)| base)
}

fn split_selector(name: &str) -> Option<(&str, &str)> {
    let (base, rest) = name.split_once('(')?;
    let selector = rest.strip_suffix(')')?;
    (selector.starts_with("meeting ") || selector.starts_with("by ")).then_some((base, selector))
}

fn parse_selector(selector: &str) -> Option<Meeting> {
    if let Some(n) = selector.strip_prefix("meeting ") {
        return n.parse().ok().filter(|&n| n >= 1).map(Meeting::Ahead);
    }
    let date = selector.strip_prefix("by ")?;
    NaiveDate::parse_from_str(date, "%Y-%m-%d").ok().map(Meeting::By)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_others_are_not_fedwatch_series() {
        let date = NaiveDate::from_ymd_opt(2025, 12, 31).expect("a date");
        for (name, measure, meeting) in [
            ("fed_cut_prob", Measure::Cut, Meeting::Ahead(1)),
            ("fed_hike_prob(meeting 2)", Measure::Hike, Meeting::Ahead(2)),
            ("fed_cuts_priced(by 2025-12-31)", Measure::CutsPriced, Meeting::By(date)),
        ] {
            let series = FedSeries::parse(name).expect("a FedWatch series");
            assert_eq!((series.measure, series.meeting), (measure, meeting));
            assert_eq!(series.name(), name);
        }
        assert_eq!(
            FedSeries::parse("fed_cut_prob(meeting 1)").map(|s| s.name()),
            Some("fed_cut_prob".into())
        );
        // Meetings count from 1; a date must be a real date; other names are not FedWatch's.
        for name in [
            "fed_cut_prob(meeting 0)",
            "fed_cut_prob(by 2025-02-30)",
            "DFF",
            "sma(meeting 2)",
        ] {
            assert_eq!(FedSeries::parse(name), None, "{name}");
        }
        assert_eq!(selector_base("sma(meeting 2)"), Some("sma"));
        assert_eq!(selector_base("`odd(name)`"), None);
    }
}
