//! One day's outlook from fed funds futures: every meeting's band probabilities, cut, hold,
//! hike and expected rate, as `rotor fedwatch` prints it (a table, or `--json`).

use chrono::NaiveDate;
use comfy_table::{CellAlignment, Table as TextTable, presets};
use serde::Serialize;

use super::barchart;
use super::calendar::Calendar;
use super::distribution::{Distribution, Outcome};
use super::error::FedWatchError;
use super::fomc_file;
use super::futures::{self, Curve};
use super::quotes;
use super::table::Table;
use super::target_range::{TargetHistory, TargetRange};
use super::{Kind, recognise};

/// What `rotor fedwatch` is asked.
#[derive(Clone, Debug, Default)]
pub struct Request<'a> {
    /// The futures file's name and text: a curve, a history or Barchart's contract list.
    pub futures: (&'a str, &'a str),
    /// The day: the latest prices on or before it (default: the file's last day).
    pub as_of: Option<NaiveDate>,
    /// The range in force (default: rotor's history, else the band of the implied rate).
    pub target: Option<TargetRange>,
    /// A calendar file's name and text, adding or replacing meetings and decisions.
    pub meetings: Option<(&'a str, &'a str)>,
}

/// Where the starting range came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TargetSource {
    /// `--target`.
    Given,
    /// rotor's target-range history (with any calendar file).
    History,
    /// The 25 bp band holding the rate the futures imply before the next meeting.
    Implied,
}

/// One meeting's probabilities.
#[derive(Clone, Debug, PartialEq)]
pub struct MeetingOutlook {
    pub date: NaiveDate,
    pub dist: Distribution,
    pub outcome: Outcome,
    /// Priced by the fallback where the prices run out ([`futures::Step::approximate`]).
    pub approximate: bool,
}

/// The answer.
#[derive(Clone, Debug, PartialEq)]
pub struct Outlook {
    /// The day of the prices used.
    pub as_of: NaiveDate,
    pub target: TargetRange,
    pub target_source: TargetSource,
    /// With `--target`: the range rotor would have started from instead (its history's, or
    /// the band the futures imply), when it differs from the one given.
    pub other_target: Option<(TargetRange, TargetSource)>,
    /// The meetings the prices reach, in order.
    pub meetings: Vec<MeetingOutlook>,
    /// The first meeting after them, which the prices do not reach.
    pub unpriced: Option<NaiveDate>,
    /// The last contract month of the curve.
    pub last_contract: Option<futures::Month>,
    /// What the output must say about the file: for Barchart's contract list, the day its
    /// prices are taken as of and why, and the footer skipped.
    pub file_notes: Vec<String>,
}

/// Computes the outlook of `request`.
pub fn compute(request: &Request) -> Result<Outlook, FedWatchError> {
    let (name, text) = request.futures;
    let kind = recognise(name, text);
    if !matches!(
        kind,
        Some(Kind::FuturesCurve | Kind::FuturesHistory | Kind::FuturesContracts)
    ) {
        return Err(FedWatchError::NotFutures { file: name.to_owned() });
    }
    let table = Table::read(name, text)?;
    if table.rows.len() < 2 {
        return Err(FedWatchError::Empty {
            file: name.to_owned(),
            src: table.src.clone(),
            span: (0, text.len().min(200)).into(),
        });
    }
    let mut file_notes = Vec::new();
    let quotes = if kind == Some(Kind::FuturesContracts) {
        let list = barchart::read_contract_list(&table)?;
        // One day's latest prices say nothing of an earlier day's.
        if let Some(day) = request.as_of
            && day < list.as_of
        {
            return Err(FedWatchError::NotHistory {
                file: name.to_owned(),
                day: list.as_of.to_string(),
                as_of: day.to_string(),
            });
        }
        file_notes = list.notes;
        list.quotes
    } else {
        quotes::read_quotes(&table, kind == Some(Kind::FuturesCurve))?
    };
    let (mut calendar, mut targets) = (Calendar::bundled(), TargetHistory::bundled());
    if let Some((name, text)) = request.meetings {
        let table = Table::read(name, text)?;
        if table.rows.is_empty() || !fomc_file::is_calendar_header(&table.rows[0].cells) {
            return Err(fomc_file::not_calendar(name, text));
        }
        fomc_file::apply(&fomc_file::read(&table)?.rows, &mut calendar, &mut targets);
    }
    let curves = quotes::curves([&quotes])?;
    let curve = pick(&curves, request.as_of)?;
    // Prices older than the day asked by more than a long weekend: said, with what it means.
    if let Some(asked) = request.as_of {
        let behind = (asked - curve.as_of).num_days();
        if behind > 7 {
            file_notes.push(format!(
                "--as-of {asked}: the file's latest prices on or before it are from {}, {behind} days earlier; the \
                 meetings shown are those after {}, as the market priced them then",
                curve.as_of, curve.as_of
            ));
        }
    }
    let steps = curve.steps(&calendar);
    let own = match (targets.in_force(curve.as_of), steps.first()) {
        (Some(t), _) if curve.as_of < later_than_known(&calendar, &targets) => (t, TargetSource::History),
        (_, Some(first)) => (TargetRange::holding(first.start), TargetSource::Implied),
        (known, None) => (known.unwrap_or(TargetRange::holding(0.0)), TargetSource::History),
    };
    let (target, target_source) = match request.target {
        Some(t) => (t, TargetSource::Given),
        None => own,
    };
    let other_target = (request.target.is_some() && own.0 != target).then_some(own);
    let meetings: Vec<MeetingOutlook> = steps
        .iter()
        .zip(futures::tree(target, &steps))
        .map(|(step, dist)| MeetingOutlook {
            date: step.meeting,
            outcome: dist.outcome(target),
            dist,
            approximate: step.approximate,
        })
        .collect();
    let after = meetings.last().map_or(curve.as_of, |m| m.date);
    Ok(Outlook {
        as_of: curve.as_of,
        target,
        target_source,
        other_target,
        meetings,
        unpriced: calendar.ahead(after, 1),
        last_contract: curve.prices.keys().next_back().copied(),
        file_notes,
    })
}

/// The first meeting whose outcome rotor's history does not have: from it on, the range
/// in force is not known.
fn later_than_known(calendar: &Calendar, targets: &TargetHistory) -> NaiveDate {
    calendar.ahead(targets.confirmed_through(), 1).unwrap_or(NaiveDate::MAX)
}

/// The latest curve on or before `as_of` (the last one without it).
fn pick(curves: &[Curve], as_of: Option<NaiveDate>) -> Result<&Curve, FedWatchError> {
    let usable = match as_of {
        Some(day) => &curves[..curves.partition_point(|c| c.as_of <= day)],
        None => curves,
    };
    usable.last().ok_or_else(|| FedWatchError::NoPrices {
        as_of: as_of.map_or_else(String::new, |d| d.to_string()),
        first: curves.first().map_or_else(String::new, |c| c.as_of.to_string()),
    })
}

// ------------------------------------------------------------ output

#[derive(Serialize)]
struct Json {
    as_of: String,
    target: Bounds,
    meetings: Vec<JsonMeeting>,
}

#[derive(Serialize)]
struct Bounds {
    low: f64,
    high: f64,
}

#[derive(Serialize)]
struct JsonMeeting {
    date: String,
    probabilities: Vec<JsonBand>,
    cut: f64,
    hold: f64,
    hike: f64,
    expected_rate: f64,
    /// Priced by the fallback where the prices run out (see the notes).
    approximate: bool,
}

#[derive(Serialize)]
struct JsonBand {
    low: f64,
    high: f64,
    probability: f64,
}

/// Probabilities to 0.1 percentage point, as CME publishes them.
fn probability(p: f64) -> f64 {
    (p * 1000.0).round() / 1000.0
}

/// Rates to the basis point.
fn rate(r: f64) -> f64 {
    (r * 100.0).round() / 100.0
}

fn bounds(r: TargetRange) -> Bounds {
    Bounds {
        low: f64::from(r.low_bp) / 100.0,
        high: f64::from(r.high_bp) / 100.0,
    }
}

impl Outlook {
    /// The JSON object `rotor fedwatch --json` prints: rates in percent, probabilities 0–1
    /// rounded to 0.1 pp, the expected rate to 0.01.
    pub fn to_json(&self) -> String {
        let json = Json {
            as_of: self.as_of.to_string(),
            target: bounds(self.target),
            meetings: self
                .meetings
                .iter()
                .map(|m| JsonMeeting {
                    date: m.date.to_string(),
                    probabilities: m
                        .dist
                        .bands()
                        .iter()
                        .map(|&(r, p)| {
                            let Bounds { low, high } = bounds(r);
                            JsonBand {
                                low,
                                high,
                                probability: probability(p),
                            }
                        })
                        .collect(),
                    cut: probability(m.outcome.cut),
                    hold: probability(m.outcome.hold),
                    hike: probability(m.outcome.hike),
                    expected_rate: rate(m.outcome.expected_rate),
                    approximate: m.approximate,
                })
                .collect(),
        };
        serde_json::to_string(&json).expect("an outlook serialises")
    }

    /// The table `rotor fedwatch` prints: a row per meeting, a column per target range.
    pub fn to_table(&self) -> String {
        let mut ranges: Vec<TargetRange> = self
            .meetings
            .iter()
            .flat_map(|m| m.dist.bands().iter().map(|b| b.0))
            .collect();
        ranges.sort();
        ranges.dedup();
        let mut t = TextTable::new();
        t.load_preset(presets::NOTHING);
        let mut header = vec!["meeting".to_owned()];
        header.extend(ranges.iter().map(|r| r.label()));
        header.extend(["cut", "hold", "hike", "expected %"].map(String::from));
        t.set_header(header);
        let pct = |p: f64| format!("{:.1}%", p * 100.0);
        for m in &self.meetings {
            let mut row = vec![if m.approximate {
                format!("{} *", m.date)
            } else {
                m.date.to_string()
            }];
            for r in &ranges {
                let p = m.dist.bands().iter().find(|b| b.0 == *r).map(|b| b.1);
                row.push(p.map_or_else(String::new, pct));
            }
            row.extend([pct(m.outcome.cut), pct(m.outcome.hold), pct(m.outcome.hike)]);
            row.push(format!("{:.2}", m.outcome.expected_rate));
            t.add_row(row);
        }
        for i in 1..t.column_count() {
            if let Some(c) = t.column_mut(i) {
                c.set_cell_alignment(CellAlignment::Right);
            }
        }
        format!("{t}\n")
    }

    /// What the output should say besides the figures, one sentence each.
    pub fn notes(&self) -> Vec<String> {
        let mut notes = self.file_notes.clone();
        notes.push(match self.target_source {
            TargetSource::Given => format!("target range {} % (--target)", self.target.label()),
            TargetSource::History => format!(
                "target range {} % in force on {} (rotor's history: FRED DFEDTARL/DFEDTARU and FOMC statements)",
                self.target.label(),
                self.as_of
            ),
            TargetSource::Implied => format!(
                "target range {} % assumed: the 25 bp band holding the rate the futures imply before the next meeting \
                 (rotor's history does not know the range on {}; give it with --target)",
                self.target.label(),
                self.as_of
            ),
        });
        if let Some((other, source)) = self.other_target {
            notes.push(match source {
                TargetSource::Implied => format!(
                    "the futures imply a rate in {} % before the next meeting, not in the range given",
                    other.label()
                ),
                _ => format!(
                    "rotor's history has {} % in force on {}, not the range given",
                    other.label(),
                    self.as_of
                ),
            });
        }
        let approximate: Vec<String> = (self.meetings.iter())
            .filter(|m| m.approximate)
            .map(|m| m.date.to_string())
            .collect();
        if let (false, Some((y, m))) = (approximate.is_empty(), self.last_contract) {
            notes.push(format!(
                "{} marked * {} approximate: CME's method prices a meeting's end from a later month's contract, and \
                 the file's last contract is {y}-{m:02}, so the rates there are solved from the meeting month's own \
                 average; they can differ from CME's by a few percentage points (docs/FEDWATCH.md, section 5)",
                approximate.join(" and "),
                if approximate.len() == 1 { "is" } else { "are" }
            ));
        }
        if let (Some(first), Some((y, m))) = (self.unpriced, self.last_contract) {
            notes.push(format!(
                "meetings from {first} on are not shown: the file's last contract is {y}-{m:02}, and pricing a meeting \
                 needs at least its own month's contract"
            ));
        }
        notes
    }
}
