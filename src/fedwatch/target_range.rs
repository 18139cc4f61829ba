//! The federal funds target in force on every day since 2008: the bundled history, which a
//! calendar file can extend (see [`super::fomc_file`]).
//!
//! Each change is keyed by the day it was **announced**. A strategy decides at a day's
//! close, after the 2 p.m. statement, so on a decision day the new range is the one in
//! force. FRED dates most changes by their effective date, the day after (2008-12-16,
//! 2015-12-16 and 2016-12-14 by the decision day itself).
//!
//! Sources: FRED series DFEDTARL and DFEDTARU (lower and upper limit of the target range,
//! from 2008-12-16) and DFEDTAR (the single target before it), Federal Reserve Bank of
//! St. Louis; the FOMC statements for each decision. The holds of 2026 up to the
//! 2026-07-29 meeting are confirmed by FRED's daily effective rate (DFF), which stayed at
//! 3.62–3.64 % inside 3.50–3.75 % through 2026-08-06.

use chrono::NaiveDate;

/// A target range in basis points: `low == high` for the single target before
/// 2008-12-16.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TargetRange {
    pub low_bp: i32,
    pub high_bp: i32,
}

impl TargetRange {
    /// Its midpoint in percent.
    pub fn mid(self) -> f64 {
        f64::from(self.low_bp + self.high_bp) / 200.0
    }

    /// `3.50–3.75`, or `4.25` for a single target.
    pub fn label(self) -> String {
        let pct = |bp: i32| format!("{:.2}", f64::from(bp) / 100.0);
        if self.low_bp == self.high_bp {
            pct(self.low_bp)
        } else {
            format!("{}–{}", pct(self.low_bp), pct(self.high_bp))
        }
    }

    /// Reads `3.50-3.75` (percent, as `--target` takes it), or a single target `4.25`.
    pub fn parse_percent(text: &str) -> Option<TargetRange> {
        let bp = |s: &str| -> Option<i32> {
            let v: f64 = s.trim().parse().ok()?;
            let bp = (v * 100.0).round();
            ((v * 100.0 - bp).abs() < 1e-6 && (0.0..=2_000.0).contains(&bp)).then_some(bp as i32)
        };
        let (low, high) = match text.split_once(['-', '–']) {
            Some((l, h)) => (bp(l)?, bp(h)?),
            None => (bp(text)?, bp(text)?),
        };
        (low <= high).then_some(TargetRange {
            low_bp: low,
            high_bp: high,
        })
    }

    /// The 25 bp band holding `rate` (percent): how `rotor fedwatch` picks a starting range
    /// when none is known.
    pub fn holding(rate: f64) -> TargetRange {
        let low = ((rate * 4.0).floor() as i32).max(0) * 25;
        TargetRange {
            low_bp: low,
            high_bp: low + 25,
        }
    }
}

/// (announced (y, m, d), low bp, high bp): every change since the start of 2008, the first
/// row being the target in force then (set 2007-12-11).
const CHANGES: &[((i32, u32, u32), i32, i32)] = &[
    ((2007, 12, 11), 425, 425),
    ((2008, 1, 22), 350, 350), // unscheduled
    ((2008, 1, 30), 300, 300),
    ((2008, 3, 18), 225, 225),
    ((2008, 4, 30), 200, 200),
    ((2008, 10, 8), 150, 150), // unscheduled, coordinated with other central banks
    ((2008, 10, 29), 100, 100),
    ((2008, 12, 16), 0, 25),
    ((2015, 12, 16), 25, 50),
    ((2016, 12, 14), 50, 75),
    ((2017, 3, 15), 75, 100),
    ((2017, 6, 14), 100, 125),
    ((2017, 12, 13), 125, 150),
    ((2018, 3, 21), 150, 175),
    ((2018, 6, 13), 175, 200),
    ((2018, 9, 26), 200, 225),
    ((2018, 12, 19), 225, 250),
    ((2019, 7, 31), 200, 225),
    ((2019, 9, 18), 175, 200),
    ((2019, 10, 30), 150, 175),
    ((2020, 3, 3), 100, 125), // unscheduled
    ((2020, 3, 15), 0, 25),   // unscheduled (a Sunday; effective 2020-03-16)
    ((2022, 3, 16), 25, 50),
    ((2022, 5, 4), 75, 100),
    ((2022, 6, 15), 150, 175),
    ((2022, 7, 27), 225, 250),
    ((2022, 9, 21), 300, 325),
    ((2022, 11, 2), 375, 400),
    ((2022, 12, 14), 425, 450),
    ((2023, 2, 1), 450, 475),
    ((2023, 3, 22), 475, 500),
    ((2023, 5, 3), 500, 525),
    ((2023, 7, 26), 525, 550),
    ((2024, 9, 18), 475, 500),
    ((2024, 11, 7), 450, 475),
    ((2024, 12, 18), 425, 450),
    ((2025, 9, 17), 400, 425),
    ((2025, 10, 29), 375, 400),
    ((2025, 12, 10), 350, 375),
];

/// The last meeting whose outcome the bundled history includes (a hold).
const CONFIRMED_THROUGH: (i32, u32, u32) = (2026, 7, 29);

fn ymd((y, m, d): (i32, u32, u32)) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid bundled date")
}

/// The target in force on each day: changes by announcement date.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TargetHistory {
    changes: Vec<(NaiveDate, TargetRange)>,
    /// Decisions are known up to this day; later days carry the last range, said in a note.
    confirmed_through: NaiveDate,
}

impl TargetHistory {
    pub fn bundled() -> TargetHistory {
        let changes = CHANGES
            .iter()
            .map(|&(date, low_bp, high_bp)| (ymd(date), TargetRange { low_bp, high_bp }))
            .collect();
        TargetHistory {
            changes,
            confirmed_through: ymd(CONFIRMED_THROUGH),
        }
    }

    /// The range decided on `date` (a change, or a hold that confirms the range so far).
    pub fn set(&mut self, date: NaiveDate, range: TargetRange) {
        match self.changes.binary_search_by_key(&date, |c| c.0) {
            Ok(at) => self.changes[at].1 = range,
            Err(at) => self.changes.insert(at, (date, range)),
        }
        self.confirmed_through = self.confirmed_through.max(date);
    }

    /// The target in force at the close of `day`; `None` before 2008 (and any earlier
    /// change a calendar file adds).
    pub fn in_force(&self, day: NaiveDate) -> Option<TargetRange> {
        let end = self.changes.partition_point(|c| c.0 <= day);
        end.checked_sub(1).map(|i| self.changes[i].1)
    }

    /// The last decision day the history knows the outcome of.
    pub fn confirmed_through(&self) -> NaiveDate {
        self.confirmed_through
    }

    /// The days a change takes effect (for the derived series' timeline).
    pub fn change_days(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        self.changes.iter().map(|c| c.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a date")
    }

    #[test]
    fn changes_are_in_order_and_ranges_are_25_bp_wide_from_december_2008() {
        let h = TargetHistory::bundled();
        assert!(h.changes.windows(2).all(|w| w[0].0 < w[1].0));
        for (date, r) in &h.changes {
            let width = r.high_bp - r.low_bp;
            let expected = if *date < ymd((2008, 12, 16)) { 0 } else { 25 };
            assert_eq!(width, expected, "{date}");
        }
    }

    #[test]
    fn the_range_on_a_decision_day_is_the_decided_one() {
        let h = TargetHistory::bundled();
        let r = |l, h| Some(TargetRange { low_bp: l, high_bp: h });
        assert_eq!(h.in_force(date(2025, 9, 16)), r(425, 450));
        assert_eq!(h.in_force(date(2025, 9, 17)), r(400, 425));
        assert_eq!(h.in_force(date(2026, 7, 14)), r(350, 375));
        assert_eq!(h.in_force(date(2020, 3, 16)), r(0, 25));
        assert_eq!(h.in_force(date(2008, 1, 2)), r(425, 425));
        assert_eq!(h.in_force(date(2007, 1, 2)), None);
    }

    #[test]
    fn a_later_decision_extends_what_is_confirmed() {
        let mut h = TargetHistory::bundled();
        let cut = TargetRange {
            low_bp: 325,
            high_bp: 350,
        };
        h.set(date(2026, 9, 16), cut);
        assert_eq!(h.in_force(date(2026, 9, 16)), Some(cut));
        assert_eq!(h.confirmed_through(), date(2026, 9, 16));
    }

    #[test]
    fn ranges_read_and_print_in_percent() {
        let r = TargetRange::parse_percent("3.50-3.75").expect("a range");
        assert_eq!((r.low_bp, r.high_bp, r.mid()), (350, 375, 3.625));
        assert_eq!(r.label(), "3.50–3.75");
        assert_eq!(TargetRange::parse_percent("3.75-3.50"), None);
        assert_eq!(TargetRange::parse_percent("3.5x"), None);
        assert_eq!(TargetRange::holding(3.63), r);
        assert_eq!(TargetRange::holding(-0.02).low_bp, 0);
    }
}
