//! Meeting probabilities from 30-day fed funds futures (CME ZQ), the way CME's FedWatch
//! computes them.
//!
//! A ZQ contract settles at 100 minus the average daily effective rate (EFFR) of its
//! month, so `100 − price` is the market's expected average for that month. In a month
//! with a meeting on day `d` of `N` days, the rate before the decision holds for `d` days
//! (the decision takes effect the day after it) and the new one for `N − d`:
//!
//! ```text
//! average = (d · start + (N − d) · end) / N
//! ```
//!
//! A month without a meeting has one rate all month, so its price gives the start of the
//! next meeting month or the end of the previous one. CME's rule, followed here: a meeting
//! month's **end** rate is the next month's average when that month has no meeting, and
//! otherwise the next meeting month's start; its **start** rate is the previous month's
//! average when that month has no meeting, and otherwise solved from its own average and
//! its end. Where the prices run out, the start is the previous meeting's end and the end
//! is solved from the month's own average.
//!
//! `(end − start) / 0.25` is the number of 25 bp moves priced at the meeting: for 0.369,
//! a 36.9 % chance of one hike and 63.1 % of none. Each meeting's moves apply to every
//! range the previous meetings can end in (the probability tree), starting from the range
//! in force; ranges cannot go below 0–0.25 %.
//!
//! Source: CME Group, "Fed Funds Futures Probability Tree Calculator" (FedWatch methodology,
//! cmegroup.com/education/demos-and-tutorials/fed-funds-futures-probability-tree-calculator).
//! docs/FEDWATCH.md works an example and compares with CME's published figures.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

use super::calendar::Calendar;
use super::distribution::Distribution;
use super::target_range::TargetRange;

/// A contract month: (year, month 1–12).
pub type Month = (i32, u32);

/// The prices of every contract on one day.
#[derive(Clone, Debug, PartialEq)]
pub struct Curve {
    pub as_of: NaiveDate,
    /// Price by contract month.
    pub prices: BTreeMap<Month, f64>,
}

/// The rates priced around one meeting, in percent.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Step {
    pub meeting: NaiveDate,
    /// The expected EFFR before the decision.
    pub start: f64,
    /// The expected EFFR after it.
    pub end: f64,
    /// Priced with the fallback where the prices run out (the start taken from the
    /// previous meeting's end, or the end solved from the month's own average) instead of
    /// CME's rule, which needs a later contract the curve lacks: an approximation, further
    /// from CME's figure than the rounding (docs/FEDWATCH.md, section 5).
    pub approximate: bool,
}

impl Step {
    /// 25 bp moves priced: positive for hikes.
    pub fn moves(&self) -> f64 {
        (self.end - self.start) / 0.25
    }
}

impl Curve {
    /// The expected average rate of a month, in percent.
    fn rate(&self, month: Month) -> Option<f64> {
        self.prices.get(&month).map(|p| 100.0 - p)
    }

    /// The priced steps of the meetings after the curve's day, in order, up to the first
    /// one the prices cannot reach.
    pub fn steps(&self, calendar: &Calendar) -> Vec<Step> {
        let rates = Rates { curve: self, calendar };
        let mut steps = Vec::new();
        let mut previous_end = None;
        for &meeting in &calendar.dates()[calendar.index_after(self.as_of)..] {
            let month = (meeting.year(), meeting.month());
            let (cme_start, cme_end) = (rates.start(month), rates.end(month));
            let start = cme_start.or(previous_end);
            let end = cme_end.or_else(|| rates.end_from_average(month, start?));
            let (Some(start), Some(end)) = (start, end) else { break };
            let approximate = cme_start.is_none() || cme_end.is_none();
            steps.push(Step {
                meeting,
                start,
                end,
                approximate,
            });
            previous_end = Some(end);
        }
        steps
    }
}

/// The recursive start and end rates of meeting months (see the module doc).
struct Rates<'c> {
    curve: &'c Curve,
    calendar: &'c Calendar,
}

impl Rates<'_> {
    fn meeting_in(&self, (y, m): Month) -> Option<NaiveDate> {
        self.calendar.in_month(y, m)
    }

    /// The end rate of a meeting month from the months after it.
    fn end(&self, month: Month) -> Option<f64> {
        let next = next_month(month);
        match self.meeting_in(next) {
            None => self.curve.rate(next),
            Some(_) => self.start(next),
        }
    }

    /// The start rate of a meeting month from the month before it, or from its own
    /// average and its end.
    fn start(&self, month: Month) -> Option<f64> {
        let previous = previous_month(month);
        if self.meeting_in(previous).is_none()
            && let Some(rate) = self.curve.rate(previous)
        {
            return Some(rate);
        }
        let average = self.curve.rate(month)?;
        let end = self.end(month)?;
        let (days, before) = self.split(month)?;
        Some((average * days - (days - before) * end) / before)
    }

    /// The end rate solved from the month's own average, given its start.
    fn end_from_average(&self, month: Month, start: f64) -> Option<f64> {
        let average = self.curve.rate(month)?;
        let (days, before) = self.split(month)?;
        let after = days - before;
        (after > 0.0).then(|| (average * days - before * start) / after)
    }

    /// (days in the month, days at the old rate: up to and including the decision day).
    fn split(&self, month: Month) -> Option<(f64, f64)> {
        let meeting = self.meeting_in(month)?;
        Some((f64::from(days_in_month(month)), f64::from(meeting.day())))
    }
}

/// The distribution after each step, starting from `root` (the range in force).
pub fn tree(root: TargetRange, steps: &[Step]) -> Vec<Distribution> {
    let mut current: BTreeMap<TargetRange, f64> = BTreeMap::from([(root, 1.0)]);
    let mut out = Vec::with_capacity(steps.len());
    for step in steps {
        let moves = step.moves();
        let mut whole = moves.floor();
        let mut part = moves - whole;
        // Noise around a whole number of moves is no move.
        if part > 1.0 - 1e-9 {
            whole += 1.0;
            part = 0.0;
        } else if part < 1e-9 {
            part = 0.0;
        }
        let mut next = BTreeMap::new();
        for (&range, &p) in &current {
            *next.entry(shift(range, whole as i32)).or_insert(0.0) += p * (1.0 - part);
            if part > 0.0 {
                *next.entry(shift(range, whole as i32 + 1)).or_insert(0.0) += p * part;
            }
        }
        next.retain(|_, p| *p > 0.0);
        out.push(Distribution::new(next.iter().map(|(&r, &p)| (r, p)).collect()));
        current = next;
    }
    out
}

/// `range` moved by `moves` × 25 bp, but not below zero.
fn shift(range: TargetRange, moves: i32) -> TargetRange {
    let width = range.high_bp - range.low_bp;
    let low = (range.low_bp + 25 * moves).max(0);
    TargetRange {
        low_bp: low,
        high_bp: low + width,
    }
}

pub(crate) fn next_month((y, m): Month) -> Month {
    if m == 12 { (y + 1, 1) } else { (y, m + 1) }
}

fn previous_month((y, m): Month) -> Month {
    if m == 1 { (y - 1, 12) } else { (y, m - 1) }
}

pub(crate) fn days_in_month(month: Month) -> u32 {
    let (y, m) = next_month(month);
    let first_next = NaiveDate::from_ymd_opt(y, m, 1).expect("the first of a month exists");
    first_next.pred_opt().expect("a day before the first").day()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a date")
    }

    fn range(low_bp: i32) -> TargetRange {
        TargetRange {
            low_bp,
            high_bp: low_bp + 25,
        }
    }

    #[test]
    fn month_lengths() {
        assert_eq!(days_in_month((2026, 2)), 28);
        assert_eq!(days_in_month((2028, 2)), 29);
        assert_eq!(days_in_month((2026, 12)), 31);
    }

    /// A hike priced at one meeting, worked by hand. Calendar: 2026-07-29 (July, 31 days,
    /// 29 days at the old rate, 2 at the new), none in August. August's 96.25 says the rate
    /// after July's meeting is 3.75. July's price 96.3629 says July averages 3.6371, so the
    /// start is (3.6371·31 − 2·3.75) / 29 = (112.7501 − 7.5) / 29 = 3.6293138, and
    /// (3.75 − 3.6293138) / 0.25 = 0.4827 hikes: 48.27 % of 3.75–4.00, 51.73 % of 3.50–3.75.
    #[test]
    fn one_meeting_with_a_quiet_month_after_it() {
        let curve = Curve {
            as_of: date(2026, 7, 14),
            prices: BTreeMap::from([((2026, 7), 96.3629), ((2026, 8), 96.25)]),
        };
        let steps = curve.steps(&Calendar::bundled());
        assert_eq!(steps.len(), 1, "September has no price: the chain stops there");
        let start = (3.6371 * 31.0 - 2.0 * 3.75) / 29.0;
        assert!((steps[0].start - start).abs() < 1e-9);
        assert!((steps[0].end - 3.75).abs() < 1e-9);
        let d = &tree(range(350), &steps)[0];
        let hike = (3.75 - start) / 0.25;
        assert_eq!(d.bands().len(), 2);
        assert!((d.bands()[0].1 - (1.0 - hike)).abs() < 1e-9 && (d.bands()[1].1 - hike).abs() < 1e-9);
        assert!((hike - 0.482744).abs() < 1e-6);
    }

    /// Where the prices run out, the last meeting is priced by the fallback and says so.
    /// July (29th) ends at August's 3.75 (CME's rule). September (16th, 30 days) starts at
    /// August's 3.75, but its end is October's start, which needs October's price: without
    /// it the end is solved from September's own average 100 − 96.20 = 3.80:
    /// (3.80·30 − 16·3.75) / 14 = (114 − 60) / 14 = 3.857143 — an approximation.
    #[test]
    fn a_meeting_priced_by_the_fallback_is_marked_approximate() {
        let curve = Curve {
            as_of: date(2026, 7, 14),
            prices: BTreeMap::from([((2026, 7), 96.3629), ((2026, 8), 96.25), ((2026, 9), 96.20)]),
        };
        let steps = curve.steps(&Calendar::bundled());
        assert_eq!(steps.len(), 2);
        assert!(!steps[0].approximate, "July is priced by CME's rule");
        assert!(steps[1].approximate, "September's end needs October's price");
        assert!((steps[1].start - 3.75).abs() < 1e-9);
        assert!((steps[1].end - (3.80 * 30.0 - 16.0 * 3.75) / 14.0).abs() < 1e-9);
    }

    /// Two meetings chained through a quiet month (bundled 2026 calendar: 2026-07-29,
    /// 2026-09-16; August has none; October has one, on the 28th, and November none).
    /// August 96.25 → July's end and September's start are 3.75. September's end is
    /// October's start, solved from October (31 days, 28 before) and November:
    /// Oct 96.10 → 3.90, Nov 96.00 → 4.00: (3.90·31 − 3·4.00) / 28 = (120.9 − 12) / 28 = 3.8892857.
    /// September: (3.8892857 − 3.75) / 0.25 = 0.5571 hikes; October: (4.00 − 3.8892857) / 0.25
    /// = 0.4429. July with price 96.3629 as above: 0.4827.
    #[test]
    fn the_tree_across_three_meetings() {
        let curve = Curve {
            as_of: date(2026, 7, 14),
            prices: BTreeMap::from([
                ((2026, 7), 96.3629),
                ((2026, 8), 96.25),
                ((2026, 9), 96.20),
                ((2026, 10), 96.10),
                ((2026, 11), 96.00),
            ]),
        };
        let steps = curve.steps(&Calendar::bundled());
        assert_eq!(
            steps.iter().map(|s| s.meeting).collect::<Vec<_>>(),
            [date(2026, 7, 29), date(2026, 9, 16), date(2026, 10, 28)]
        );
        let oct_start = (3.90 * 31.0 - 3.0 * 4.00) / 28.0;
        let (p1, p2, p3) = (
            (3.75 - (3.6371 * 31.0 - 2.0 * 3.75) / 29.0) / 0.25,
            (oct_start - 3.75) / 0.25,
            (4.00 - oct_start) / 0.25,
        );
        assert!((steps[1].start - 3.75).abs() < 1e-9 && (steps[1].end - oct_start).abs() < 1e-9);
        let after = tree(range(350), &steps);
        // After September: none (1−p1)(1−p2), one p1(1−p2) + (1−p1)p2, two p1·p2.
        let sep = after[1].bands();
        assert!((sep[0].1 - (1.0 - p1) * (1.0 - p2)).abs() < 1e-9);
        assert!((sep[1].1 - (p1 * (1.0 - p2) + (1.0 - p1) * p2)).abs() < 1e-9);
        assert!((sep[2].1 - p1 * p2).abs() < 1e-9);
        // After October: three hikes p1·p2·p3.
        let oct = after[2].bands();
        assert_eq!(oct.last().map(|b| b.0.low_bp), Some(425));
        assert!((oct[3].1 - p1 * p2 * p3).abs() < 1e-9);
    }

    #[test]
    fn moves_of_more_than_one_step_and_the_zero_bound() {
        let step = |start: f64, end: f64| Step {
            meeting: date(2020, 3, 18),
            start,
            end,
            approximate: false,
        };
        // −1.6 moves from 0.75–1.00 (as in March 2020): 60 % two cuts, 40 % one... then
        // from 0–0.25 a further cut stays at 0–0.25.
        let d = &tree(range(75), &[step(0.90, 0.50)])[0];
        let bands: Vec<(i32, f64)> = d.bands().iter().map(|b| (b.0.low_bp, b.1)).collect();
        assert_eq!(bands.len(), 2);
        assert_eq!(bands[0].0, 25);
        assert!((bands[0].1 - 0.6).abs() < 1e-9 && (bands[1].1 - 0.4).abs() < 1e-9);
        let floor = &tree(range(0), &[step(0.10, -0.15)])[0];
        assert_eq!(floor.bands(), &[(range(0), 1.0)]);
    }
}
