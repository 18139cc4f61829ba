//! Every meeting's probabilities by day, from CME's exports and from fed funds futures,
//! put together: the one FedWatch data set the series are derived from.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::NaiveDate;

use super::calendar::Calendar;
use super::distribution::Distribution;
use super::error::FedWatchError;
use super::exports::MeetingExport;
use super::futures::tree;
use super::quotes::{QuoteFile, curves};
use super::target_range::{TargetHistory, TargetRange};

/// Where a day's probabilities of a meeting come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// A row of a CME FedWatch export.
    Export,
    /// Computed from that day's fed funds futures prices.
    Futures,
}

/// The probabilities of one meeting's outcomes as seen on one day.
#[derive(Clone, Debug, PartialEq)]
pub struct Observation {
    pub date: NaiveDate,
    pub dist: Arc<Distribution>,
    pub origin: Origin,
}

/// Observations by meeting, each list in date order with one per day.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Observations {
    pub by_meeting: BTreeMap<NaiveDate, Vec<Observation>>,
    /// Days on which the futures tree started from the band holding the implied rate,
    /// because no target range was known.
    pub implied_roots: usize,
    /// Whether a meeting was priced on some day by both an export and the futures.
    pub overlap: bool,
}

/// How far two files may differ on one probability and still be the same figure (CME
/// writes six decimals).
const SAME: f64 = 1e-6;

impl Observations {
    /// Puts exports and futures together. Exports of meetings not in `calendar` are left
    /// out (the caller reports them); two exports that differ on a day are an error.
    pub(crate) fn build(
        exports: &[&MeetingExport],
        futures: &[&QuoteFile],
        calendar: &Calendar,
        targets: &TargetHistory,
    ) -> Result<Observations, FedWatchError> {
        let mut out = Observations::default();
        // Per meeting and day: the export it came from first, and where it is in the list.
        let mut seen: BTreeMap<(NaiveDate, NaiveDate), (usize, usize)> = BTreeMap::new();
        for (e, export) in exports.iter().enumerate() {
            if !calendar.contains(export.meeting) {
                continue;
            }
            let list = out.by_meeting.entry(export.meeting).or_default();
            for row in &export.rows {
                match seen.get(&(export.meeting, row.date)) {
                    Some(&(first, at)) => {
                        if !same(&list[at].dist, &row.dist) {
                            return Err(FedWatchError::Conflict {
                                what: format!("meeting {}", export.meeting),
                                date: row.date.to_string(),
                                first: exports[first].src.name().to_owned(),
                                src: export.src.clone(),
                                span: row.span,
                            });
                        }
                    }
                    None => {
                        seen.insert((export.meeting, row.date), (e, list.len()));
                        list.push(Observation {
                            date: row.date,
                            dist: Arc::clone(&row.dist),
                            origin: Origin::Export,
                        });
                    }
                }
            }
        }
        for curve in curves(futures.iter().copied())? {
            let steps = curve.steps(calendar);
            let Some(first) = steps.first() else { continue };
            let root = targets.in_force(curve.as_of).unwrap_or_else(|| {
                out.implied_roots += 1;
                TargetRange::holding(first.start)
            });
            for (step, dist) in steps.iter().zip(tree(root, &steps)) {
                if seen.contains_key(&(step.meeting, curve.as_of)) {
                    out.overlap = true;
                    continue;
                }
                out.by_meeting.entry(step.meeting).or_default().push(Observation {
                    date: curve.as_of,
                    dist: Arc::new(dist),
                    origin: Origin::Futures,
                });
            }
        }
        for list in out.by_meeting.values_mut() {
            list.sort_by_key(|o| o.date);
        }
        out.by_meeting.retain(|_, list| !list.is_empty());
        Ok(out)
    }

    /// The latest observation of `meeting` dated on or before `day`.
    pub fn latest(&self, meeting: NaiveDate, day: NaiveDate) -> Option<&Observation> {
        let list = self.by_meeting.get(&meeting)?;
        let end = list.partition_point(|o| o.date <= day);
        end.checked_sub(1).map(|i| &list[i])
    }

    /// Every day with an observation of any meeting, in order.
    pub fn days(&self) -> Vec<NaiveDate> {
        let mut days: Vec<NaiveDate> = self.by_meeting.values().flatten().map(|o| o.date).collect();
        days.sort_unstable();
        days.dedup();
        days
    }

    /// How many meetings have observations from each origin.
    pub fn count(&self, origin: Origin) -> usize {
        self.by_meeting
            .values()
            .filter(|list| list.iter().any(|o| o.origin == origin))
            .count()
    }
}

fn same(a: &Distribution, b: &Distribution) -> bool {
    let (a, b) = (a.bands(), b.bands());
    let p = |bands: &[(TargetRange, f64)], r: TargetRange| bands.iter().find(|x| x.0 == r).map_or(0.0, |x| x.1);
    a.iter().chain(b).all(|&(r, _)| (p(a, r) - p(b, r)).abs() <= SAME)
}
