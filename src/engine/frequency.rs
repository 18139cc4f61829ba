//! How often a run's bars come: how many make a trading day (for windows given as
//! durations) and a year (for annualising volatility, Sharpe and Sortino in the report;
//! issue 12 item 6: √252 on weekly bars overstates volatility 2.2 times).
//!
//! The frequency is inferred from the dates — several bars on one day are intraday bars,
//! otherwise the median number of calendar days between consecutive bars tells daily (≤ 4:
//! weekends and holidays), weekly (5–10), monthly (25–35), quarterly (80–100) or yearly
//! (350–380) bars — and an inferred frequency is an [`super::Assumption`] the report states.
//! Daily bars on every day of the week (bars on 6 days in 7 or more, with a bar on the
//! Saturday and the Sunday of most weeks: crypto, a file filled forward over weekends) are
//! 365 a year, not 252.
//! Anything else is irregular and annualised with its own count of bars per year.
//! `bars per year N` in the strategy ([`crate::check::Program::bars_per_year`]) overrides
//! the count.

use std::sync::Mutex;

use serde::Serialize;

/// What kind of bars a run has.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Intraday,
    Daily,
    Weekly,
    Monthly,
    Quarterly,
    Yearly,
    Irregular,
}

impl Kind {
    /// The kind as a word: `daily`, `weekly`…
    pub fn word(self) -> &'static str {
        match self {
            Kind::Intraday => "intraday",
            Kind::Daily => "daily",
            Kind::Weekly => "weekly",
            Kind::Monthly => "monthly",
            Kind::Quarterly => "quarterly",
            Kind::Yearly => "yearly",
            Kind::Irregular => "irregular",
        }
    }
}

/// A run's bar frequency.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Frequency {
    pub kind: Kind,
    /// Bars in a year: what volatility, Sharpe and Sortino are annualised with.
    pub bars_per_year: f64,
    /// True when `bars per year` set it; false when inferred from the dates.
    pub declared: bool,
    /// Median calendar days between the dates of consecutive bars (`None` with fewer than
    /// two dates, or intraday bars).
    #[serde(skip)]
    pub median_gap: Option<f64>,
    /// Bars per trading day (1 unless intraday).
    #[serde(skip)]
    pub bars_per_day: f64,
    /// Where the dates change from one spacing to another (weekly bars, then daily ones):
    /// no single count of bars is then a month ([`SpacingChange`]).
    #[serde(skip)]
    pub change: Option<SpacingChange>,
    /// Daily bars with a bar on the Saturday and the Sunday of most weeks: annualised with
    /// [`CALENDAR_DAYS`].
    #[serde(skip)]
    pub seven_day_weeks: bool,
}

/// Two stretches of one run's dates with different spacings, in date order: each with its
/// kind and its first and last day (days since 1970). Found over blocks of
/// [`BLOCK_GAPS`] consecutive gaps: a spacing counts when at least [`MIN_BLOCKS`] blocks
/// have it, so a missing week or a holiday never makes one.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SpacingChange {
    pub first: (Kind, i32, i32),
    pub second: (Kind, i32, i32),
}

impl SpacingChange {
    /// `weekly bars from 2005-01-07 to 2012-12-28, daily ones from 2012-12-28 to 2025-12-31`
    pub fn describe(&self) -> String {
        let (a, b) = (self.first, self.second);
        format!(
            "{} bars from {} to {}, {} ones from {} to {}",
            a.0.word(),
            crate::civil::iso(a.1),
            crate::civil::iso(a.2),
            b.0.word(),
            crate::civil::iso(b.1),
            crate::civil::iso(b.2)
        )
    }
}

/// Gaps in a block whose median gives a stretch its spacing ([`SpacingChange`]).
pub const BLOCK_GAPS: usize = 20;
/// Blocks of one spacing that make a stretch of it ([`SpacingChange`]): 60 gaps, three
/// months of daily bars or more than a year of weekly ones.
pub const MIN_BLOCKS: usize = 3;

/// Trading days in a year, for daily and intraday bars.
pub const TRADING_DAYS: f64 = 252.0;

/// Days in a year, for daily bars that come every day of the week.
pub const CALENDAR_DAYS: f64 = 365.0;

/// How a run's bars map to time for its expressions. A duration in a window counts trading
/// days (`1 month` = 21, `1 year` = 252) turned into the bars the dates show — 21 daily
/// bars, 4 weekly (21 × 52 / 252 = 4.33), 1 monthly — so `bars per year` (which changes how
/// the report annualises) does not change what `1 month` means; `volatility()` annualises
/// as the report does.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BarScale {
    /// Bars in a trading day, from the dates: 1 for daily bars, 390 for one-minute bars,
    /// 52 / 252 for weekly bars.
    pub per_trading_day: f64,
    /// Bars in a year for annualising: declared with `bars per year`, or inferred.
    pub per_year: f64,
    /// Where the spacing of the dates changes: a duration is then no one count of bars,
    /// and a run with one is refused ([`super::RunError::MixedSpacing`]).
    pub change: Option<SpacingChange>,
}

impl BarScale {
    /// Daily bars: a trading day is a bar, a year 252.
    pub const DAILY: BarScale = BarScale {
        per_trading_day: 1.0,
        per_year: TRADING_DAYS,
        change: None,
    };
}

impl Frequency {
    /// How bars dated `days` (those this frequency was found from) map to time.
    pub fn scale(&self, days: &[i32]) -> BarScale {
        let per_trading_day = if self.declared {
            infer(days).per_trading_day()
        } else {
            self.per_trading_day()
        };
        BarScale {
            per_trading_day,
            per_year: self.bars_per_year,
            change: self.change,
        }
    }

    /// The frequency of bars dated `days` (days since 1970, ascending), or `declared`.
    pub fn of(days: &[i32], declared: Option<f64>) -> Frequency {
        infer(days).declaring(declared)
    }

    /// Bars in a trading day, from the dates. A daily bar every day of the week is still a
    /// day's bar: windows given as durations count bars as on weekday data (`1 month` is 21
    /// of them); only annualising uses [`CALENDAR_DAYS`].
    fn per_trading_day(&self) -> f64 {
        if self.seven_day_weeks {
            1.0
        } else {
            self.bars_per_year / TRADING_DAYS
        }
    }

    /// This inferred frequency, with `declared` bars a year when the strategy says so.
    fn declaring(mut self, declared: Option<f64>) -> Frequency {
        if let Some(n) = declared {
            self.bars_per_year = n;
            self.declared = true;
        }
        self
    }
}

/// The frequencies inferred from one frame's dates, by the run's first bar: the runs of a
/// sweep on a shared frame (and a run and its benchmark's) infer it once, not once each
/// (the median gap is a selection over every bar).
#[derive(Debug, Default)]
pub struct Inferred(Mutex<Vec<(usize, Frequency)>>);

impl Inferred {
    /// The frequency of `days[start..]` (a frame's dates), or `declared`, and how those
    /// bars map to time ([`Frequency::scale`]); inferred the first time `start` is asked.
    pub fn of(&self, days: &[i32], start: usize, declared: Option<f64>) -> (Frequency, BarScale) {
        let found = {
            // Entries are pushed whole: a list a panicking worker left is consistent.
            let list = self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            list.iter().find(|(s, _)| *s == start).map(|(_, f)| f.clone())
        };
        let inferred = found.unwrap_or_else(|| {
            let f = infer(&days[start..]);
            let mut list = self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            if !list.iter().any(|(s, _)| *s == start) {
                list.push((start, f.clone()));
            }
            f
        });
        let scale = BarScale {
            per_trading_day: inferred.per_trading_day(),
            per_year: declared.unwrap_or(inferred.bars_per_year),
            change: inferred.change,
        };
        (inferred.declaring(declared), scale)
    }
}

/// The frequency the dates show.
fn infer(days: &[i32]) -> Frequency {
    // Days with a bar, counted without copying the days (every variant of a sweep asks).
    let dates = usize::from(!days.is_empty()) + days.windows(2).filter(|w| w[0] != w[1]).count();
    let frequency = |kind, bars_per_year, median_gap, bars_per_day| Frequency {
        kind,
        bars_per_year,
        declared: false,
        median_gap,
        bars_per_day,
        change: None,
        seven_day_weeks: false,
    };
    if days.len() > dates {
        let bars_per_day = (days.len() as f64 / dates as f64).round().max(1.0);
        return frequency(Kind::Intraday, TRADING_DAYS * bars_per_day, None, bars_per_day);
    }
    // One bar a day: the days are the dates.
    let mut gaps: Vec<i32> = days.windows(2).map(|w| w[1] - w[0]).collect();
    if gaps.is_empty() {
        return frequency(Kind::Daily, TRADING_DAYS, None, 1.0);
    }
    // The median by selection, in linear time: for an even count, the upper middle and
    // the largest gap below it.
    let (count, mid) = (gaps.len(), gaps.len() / 2);
    let (below, &mut upper, _) = gaps.select_nth_unstable(mid);
    let median = match below.iter().max() {
        Some(&lower) if count % 2 == 0 => f64::from(lower + upper) / 2.0,
        _ => f64::from(upper),
    };
    let (kind, bars_per_year) = match class(median) {
        _ if median <= 4.0 && seven_day_weeks(days) => {
            return Frequency {
                seven_day_weeks: true,
                change: spacing_change(days),
                ..frequency(Kind::Daily, CALENDAR_DAYS, Some(median), 1.0)
            };
        }
        Some(known) => known,
        None => {
            let span = f64::from(days[days.len() - 1] - days[0]);
            (Kind::Irregular, gaps.len() as f64 * 365.25 / span)
        }
    };
    Frequency {
        change: spacing_change(days),
        ..frequency(kind, bars_per_year, Some(median), 1.0)
    }
}

/// The kind of bars a median gap of `median` calendar days shows, and their bars in a year;
/// `None` for a gap between the kinds (irregular).
fn class(median: f64) -> Option<(Kind, f64)> {
    match median {
        m if m <= 4.0 => Some((Kind::Daily, TRADING_DAYS)),
        m if (5.0..=10.0).contains(&m) => Some((Kind::Weekly, 52.0)),
        m if (25.0..=35.0).contains(&m) => Some((Kind::Monthly, 12.0)),
        m if (80.0..=100.0).contains(&m) => Some((Kind::Quarterly, 4.0)),
        m if (350.0..=380.0).contains(&m) => Some((Kind::Yearly, 1.0)),
        _ => None,
    }
}

/// Where one bar a day's `days` (ascending, distinct) change spacing: the two spacings
/// with the most blocks of [`BLOCK_GAPS`] gaps, when each has at least [`MIN_BLOCKS`]
/// blocks; `None` when one spacing holds all but a few blocks.
fn spacing_change(days: &[i32]) -> Option<SpacingChange> {
    if days.len() < 2 * MIN_BLOCKS * BLOCK_GAPS + 1 {
        return None;
    }
    // A block is daily only with at least half its gaps of at most 4 days, and of another
    // kind only with at least half of them longer: without that many long gaps for
    // [`MIN_BLOCKS`] blocks, the dates are daily throughout (or too few to tell), and the
    // blocks need no sorting (every run of daily bars asks).
    let long = days.windows(2).filter(|w| w[1] - w[0] > 4).count();
    if long < MIN_BLOCKS * BLOCK_GAPS / 2 {
        return None;
    }
    // Each kind's blocks: how many, the first block's first day, the last block's last day.
    let mut kinds: Vec<(Kind, usize, i32, i32)> = Vec::new();
    let mut block = [0i32; BLOCK_GAPS];
    for chunk in days.windows(BLOCK_GAPS + 1).step_by(BLOCK_GAPS) {
        for (gap, w) in block.iter_mut().zip(chunk.windows(2)) {
            *gap = w[1] - w[0];
        }
        block.sort_unstable();
        let median = f64::from(block[BLOCK_GAPS / 2 - 1] + block[BLOCK_GAPS / 2]) / 2.0;
        let Some((kind, _)) = class(median) else { continue };
        let (first, last) = (chunk[0], chunk[BLOCK_GAPS]);
        match kinds.iter_mut().find(|k| k.0 == kind) {
            Some(k) => {
                k.1 += 1;
                k.3 = last;
            }
            None => kinds.push((kind, 1, first, last)),
        }
    }
    kinds.retain(|k| k.1 >= MIN_BLOCKS);
    if kinds.len() < 2 {
        return None;
    }
    // The two largest, in date order.
    kinds.sort_by_key(|k| std::cmp::Reverse(k.1));
    let (mut a, mut b) = (kinds[0], kinds[1]);
    if b.2 < a.2 {
        std::mem::swap(&mut a, &mut b);
    }
    Some(SpacingChange {
        first: (a.0, a.2, a.3),
        second: (b.0, b.2, b.3),
    })
}

/// Whether `days` (one bar a day, ascending) come on at least 6 days in 7 of their span
/// and more than half of the weeks (Monday to Sunday) with a bar have a bar on their
/// Saturday and on their Sunday: a market that trades every day. A week of Sunday to
/// Thursday (a Middle-Eastern exchange's) has no Saturday and stays a week of trading
/// days; weekday data (5 days in 7) is told at once, without a pass over its days.
fn seven_day_weeks(days: &[i32]) -> bool {
    let (Some(first), Some(last)) = (days.first(), days.last()) else {
        return false;
    };
    let span = i64::from(last - first) + 1;
    if (days.len() as i64) * 7 < span * 6 {
        return false;
    }
    // Day 0 (1970-01-01) was a Thursday: (day + 3) mod 7 is 0 on Mondays, 5 on Saturdays.
    let (mut weeks, mut full) = (0usize, 0usize);
    let (mut week, mut weekend) = (None, 0u8);
    for &d in days {
        let w = (d + 3).div_euclid(7);
        if week != Some(w) {
            weeks += 1;
            full += usize::from(weekend == 0b11);
            (week, weekend) = (Some(w), 0);
        }
        match (d + 3).rem_euclid(7) {
            5 => weekend |= 0b01,
            6 => weekend |= 0b10,
            _ => {}
        }
    }
    full += usize::from(weekend == 0b11);
    2 * full > weeks
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Day numbers from a start and the gaps between them.
    fn dates(gaps: &[i32]) -> Vec<i32> {
        let mut d = vec![19_000];
        for g in gaps {
            d.push(d[d.len() - 1] + g);
        }
        d
    }

    #[test]
    fn daily_weekly_monthly_quarterly_and_yearly_bars_are_told_apart() {
        // Weekdays with a weekend and a holiday: gaps 1, 1, 1, 1, 3, 1, 4 → median 1. From
        // a Monday (day 19,002): `dates` starts on a Saturday, and a bar on a Saturday and
        // a Sunday in most weeks is another thing (below).
        let weekdays: Vec<i32> = dates(&[1, 1, 1, 1, 3, 1, 4]).iter().map(|d| d + 2).collect();
        let daily = Frequency::of(&weekdays, None);
        assert_eq!((daily.kind, daily.bars_per_year), (Kind::Daily, 252.0));
        // A weekly export with one week missing: 7, 7, 14, 7 → median 7.
        let weekly = Frequency::of(&dates(&[7, 7, 14, 7]), None);
        assert_eq!((weekly.kind, weekly.bars_per_year), (Kind::Weekly, 52.0));
        let monthly = Frequency::of(&dates(&[31, 29, 31, 30, 31]), None);
        assert_eq!((monthly.kind, monthly.bars_per_year), (Kind::Monthly, 12.0));
        let quarterly = Frequency::of(&dates(&[90, 91, 92]), None);
        assert_eq!((quarterly.kind, quarterly.bars_per_year), (Kind::Quarterly, 4.0));
        let yearly = Frequency::of(&dates(&[365, 366]), None);
        assert_eq!((yearly.kind, yearly.bars_per_year), (Kind::Yearly, 1.0));
    }

    #[test]
    fn weekly_bars_then_daily_ones_are_a_change_of_spacing() {
        // 100 weekly gaps, then 300 weekdays (gaps 1, 1, 1, 1, 3).
        let mut gaps = vec![7; 100];
        gaps.extend([1, 1, 1, 1, 3].repeat(60));
        let days = dates(&gaps);
        let change = Frequency::of(&days, None).change.expect("a change of spacing");
        // The fifth block (gaps 80 to 99) is the last weekly one; the sixth starts on the
        // last weekly bar and is all weekdays.
        assert_eq!(change.first, (Kind::Weekly, days[0], days[100]));
        assert_eq!(change.second, (Kind::Daily, days[100], days[400]));
        // A missing week or a holiday now and then is no change.
        let mut gaps = [1, 1, 1, 1, 3].repeat(80);
        gaps[37] = 10;
        gaps[250] = 8;
        assert_eq!(Frequency::of(&dates(&gaps), None).change, None);
        // Nor is a stretch shorter than three blocks: 40 weekly gaps, then daily ones.
        let mut gaps = vec![7; 40];
        gaps.extend([1, 1, 1, 1, 3].repeat(60));
        assert_eq!(Frequency::of(&dates(&gaps), None).change, None);
    }

    #[test]
    fn daily_bars_on_every_day_of_the_week_are_365_a_year() {
        // 2024-01-01 (day 19,723) was a Monday. Four weeks of a bar every day: 28 bars,
        // gaps of 1, every week with its Saturday and Sunday.
        let every: Vec<i32> = (19_723..19_723 + 28).collect();
        let f = Frequency::of(&every, None);
        assert_eq!((f.kind, f.bars_per_year, f.seven_day_weeks), (Kind::Daily, 365.0, true));
        // The same four weeks on weekdays only: 252.
        let weekdays: Vec<i32> = every.iter().copied().filter(|d| (d - 19_723) % 7 < 5).collect();
        let f = Frequency::of(&weekdays, None);
        assert_eq!(
            (f.kind, f.bars_per_year, f.seven_day_weeks),
            (Kind::Daily, 252.0, false)
        );
        // Sunday to Thursday (no Saturday): trading days, 252.
        let sun_thu: Vec<i32> = every
            .iter()
            .copied()
            .filter(|d| (d - 19_723) % 7 != 4 && (d - 19_723) % 7 != 5)
            .collect();
        assert_eq!(Frequency::of(&sun_thu, None).bars_per_year, 252.0);
        // Weekend bars in one week of four (a stray export row): not most weeks, 252.
        let one: Vec<i32> = weekdays
            .iter()
            .copied()
            .chain([19_723 + 5, 19_723 + 6])
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        assert_eq!(Frequency::of(&one, None).bars_per_year, 252.0);
        // `bars per year` still overrides.
        assert_eq!(Frequency::of(&every, Some(252.0)).bars_per_year, 252.0);
    }

    #[test]
    fn several_bars_a_day_are_intraday() {
        // Three days of 390 one-minute bars: 252 × 390 = 98,280 bars a year.
        let days: Vec<i32> = (0..3).flat_map(|d| std::iter::repeat_n(19_000 + d, 390)).collect();
        let f = Frequency::of(&days, None);
        assert_eq!(
            (f.kind, f.bars_per_year, f.bars_per_day),
            (Kind::Intraday, 98_280.0, 390.0)
        );
    }

    #[test]
    fn irregular_bars_are_annualised_with_their_own_count() {
        // Every 15 days: 4 gaps over 60 days → 4 × 365.25 / 60 = 24.35 bars a year.
        let f = Frequency::of(&dates(&[15, 15, 15, 15]), None);
        assert_eq!(f.kind, Kind::Irregular);
        assert!((f.bars_per_year - 24.35).abs() < 1e-12, "{}", f.bars_per_year);
    }

    #[test]
    fn a_declared_count_overrides_the_inferred_one() {
        let f = Frequency::of(&dates(&[7, 7, 7]), Some(50.0));
        assert_eq!((f.kind, f.bars_per_year, f.declared), (Kind::Weekly, 50.0, true));
        let inferred = Frequency::of(&dates(&[7, 7, 7]), None);
        assert_eq!(
            (inferred.bars_per_year, inferred.declared, inferred.median_gap),
            (52.0, false, Some(7.0))
        );
    }

    #[test]
    fn the_median_gap_is_the_middle_one_or_the_mean_of_the_middle_two() {
        // In any order: 100, 3, 1, 5 sorted is 1, 3, 5, 100 → (3 + 5) / 2 = 4.
        assert_eq!(Frequency::of(&dates(&[100, 3, 1, 5]), None).median_gap, Some(4.0));
        // 9, 1, 6, 2, 30 sorted is 1, 2, 6, 9, 30 → 6.
        assert_eq!(Frequency::of(&dates(&[9, 1, 6, 2, 30]), None).median_gap, Some(6.0));
        assert_eq!(Frequency::of(&dates(&[7, 8]), None).median_gap, Some(7.5));
    }

    #[test]
    fn no_dates_and_one_date_are_daily() {
        for days in [vec![], vec![19_000]] {
            let f = Frequency::of(&days, None);
            assert_eq!(
                (f.kind, f.bars_per_year, f.bars_per_day, f.median_gap),
                (Kind::Daily, 252.0, 1.0, None)
            );
        }
    }
}
