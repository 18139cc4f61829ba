//! The backtest's view of the data: one row per trading day, every column aligned to it.
//!
//! Trading days are the dates on which at least one traded symbol (or the benchmark) has a
//! price, from the data's first such date to the end of the run's period. The period's
//! start does not cut the frame: indicators, series and scripts see every bar dated on or
//! before the day (warm-up, issue 12 item 1), and the account exists from the period's
//! first bar ([`Frame::start_of`]). A symbol is tradable from its first price; before that
//! its columns are "not available" (NaN). On a trading day where a symbol has no row its
//! open is NaN (no fill possible) and its close carries the last known close, for
//! valuation. A series' value on a day is its last observation dated on or before that day
//! (as-of join), after the optional publication lag.
//!
//! Everything here is built before the loop; the loop reads row `t` only. A symbol whose
//! rows are exactly the calendar's, with no adjustment to apply, is read in place from the
//! loaded data rather than copied: for one long history that halves the memory a run needs.

use std::borrow::Cow;
use std::sync::Arc;

use chrono::{Datelike, Months, NaiveDate};

use crate::check::SeriesLag;
use crate::data::{DataSet, Dividends, PriceHistory, Resolution, SeriesHistory};

/// Aligned columns of one symbol, borrowed from the data where they need no change.
#[derive(Clone, Debug)]
pub struct SymbolColumns<'d> {
    pub name: String,
    /// NaN where the symbol has no row that day.
    pub open: Cow<'d, [f64]>,
    pub high: Cow<'d, [f64]>,
    pub low: Cow<'d, [f64]>,
    /// Carried forward over missing days; NaN before the first price.
    pub close: Cow<'d, [f64]>,
    pub volume: Cow<'d, [f64]>,
    /// First row with a price, if any.
    pub first: Option<usize>,
    /// Whether prices were adjusted with the file's adjusted close.
    pub adjusted: bool,
    /// With dividends paid as cash (`dividends cash`), for a symbol whose data has them:
    /// the dividend per share due on each bar (its ex-date's first bar; 0 on others), and
    /// where they were read (a file, and its column). The prices are then the raw close.
    pub dividend: Option<(Vec<f64>, String)>,
    /// Whether the file has no open column (the open is the close).
    pub close_only: bool,
}

/// The aligned data of one run.
#[derive(Clone, Debug)]
pub struct Frame<'d> {
    /// Bar timestamps, seconds since 1970 (exchange local time); shared with the runs'
    /// records ([`super::Run::ts`]) rather than copied.
    pub ts: Arc<Vec<i64>>,
    /// Bar dates, days since 1970; shared as `ts` is.
    pub days: Arc<Vec<i32>>,
    /// How finely the bars' timestamps are given: what trades and curves are written with.
    pub resolution: Resolution,
    pub symbols: Vec<SymbolColumns<'d>>,
    /// As-of joined series values, in the order asked for.
    pub series: Vec<(String, Vec<f64>)>,
    /// For each series (in `series`' order), the day (since 1970) of the observation behind
    /// each bar's value — with a `lag`, the observation's own date, before the delay —
    /// and [`NOT_OBSERVED`] where there is no value. How old a value is, for staleness.
    pub observed: Vec<Vec<i32>>,
    /// For each series (in `series`' order), the value of the observation before the one
    /// behind each bar's value — `prev(UNRATE)` — and NaN where there is none (before the
    /// second observation, or where the bar's value is not available).
    pub previous: Vec<Vec<f64>>,
    /// For each listing priced in the base currency (`priced in KRW`), by its index in
    /// `symbols`: the bars where it has a row but the exchange rate is not available, whose
    /// prices are left out (engine/priced.rs). Empty without such listings.
    pub no_rate: Vec<(usize, Vec<usize>)>,
    /// Dividends of those listings whose ex-date is such a bar: (symbol, bar, amount a share
    /// in the base currency). Not converted there, they are paid on the first later bar with
    /// a rate (engine/run.rs). Empty without such dividends.
    pub rateless_dividends: Vec<(usize, usize, f64)>,
}

/// [`Frame::observed`] on bars without a value (before a series' first visible
/// observation, or at a derived series' point that has none).
pub const NOT_OBSERVED: i32 = i32::MIN;

impl<'d> Frame<'d> {
    /// Builds the frame for `traded` symbols (which set the calendar), `watched` symbols
    /// (read by expressions only) and `series`, from the data's first row up to `to` (days
    /// since 1970).
    pub fn build(
        data: &'d DataSet,
        traded: &[String],
        watched: &[String],
        series: &[String],
        lags: &[SeriesLag],
        to: Option<i32>,
    ) -> Frame<'d> {
        Frame::build_paying(data, traded, watched, series, lags, to, false)
    }

    /// [`Frame::build`]; with `cash_dividends`, each symbol whose data has dividends gets
    /// them per bar ([`SymbolColumns::dividend`]) and its raw close rather than its adjusted
    /// close, so that its dividends are counted once.
    pub fn build_paying(
        data: &'d DataSet,
        traded: &[String],
        watched: &[String],
        series: &[String],
        lags: &[SeriesLag],
        to: Option<i32>,
        cash_dividends: bool,
    ) -> Frame<'d> {
        // Each history is in order already (the loader checks it): merge, do not sort.
        let mut ts: Arc<Vec<i64>> = Arc::default();
        for p in traded.iter().filter_map(|s| data.price(s)) {
            let hi = p.ts.partition_point(|&t| to.is_none_or(|to| day_of(t) <= to));
            // Histories on the same bars (the benchmark beside the traded fund) add nothing.
            if ts[..] != p.ts[..hi] {
                ts = match p.ts.shared() {
                    // One loaded history, all of it: its own timestamps, shared, not copied.
                    Some(all) if ts.is_empty() && hi == all.len() => Arc::clone(all),
                    _ => Arc::new(merge(&ts, &p.ts[..hi])),
                };
            }
        }
        let mut day = crate::civil::Days::default();
        let days = ts.iter().map(|&t| day.of(t)).collect();
        let mut symbols: Vec<SymbolColumns> = Vec::new();
        for name in traded.iter().chain(watched) {
            if symbols.iter().any(|s| &s.name == name) {
                continue;
            }
            if let Some(p) = data.price(name) {
                let dividends = data.dividends(name).filter(|_| cash_dividends);
                let mut columns = align_prices(p, &ts, dividends.is_none());
                columns.dividend = dividends.map(|d| align_dividends(d, &ts));
                symbols.push(columns);
            }
        }
        let (mut names, mut observed, mut previous) = (Vec::new(), Vec::new(), Vec::new());
        for name in series {
            let Some(s) = data.series(name) else { continue };
            let lag = lags.iter().find(|l| &l.series == name);
            let joined = as_of(s, &ts, lag);
            names.push((name.clone(), joined.values));
            observed.push(joined.observed);
            previous.push(joined.previous);
        }
        Frame {
            resolution: Resolution::of(&ts),
            ts,
            days: Arc::new(days),
            symbols,
            series: names,
            observed,
            previous,
            no_rate: Vec::new(),
            rateless_dividends: Vec::new(),
        }
    }

    pub fn len(&self) -> usize {
        self.ts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ts.is_empty()
    }

    pub fn symbol_index(&self, name: &str) -> Option<usize> {
        self.symbols.iter().position(|s| s.name == name)
    }

    pub fn series_index(&self, name: &str) -> Option<usize> {
        self.series.iter().position(|(n, _)| n == name)
    }

    /// The first bar dated on or after `from` (days since 1970): where the period starts and
    /// the account exists. The frame's length when no bar is.
    pub fn start_of(&self, from: Option<i32>) -> usize {
        from.map_or(0, |f| self.days.partition_point(|&d| d < f))
    }
}

/// The union of two increasing lists of timestamps, increasing, without repeats.
fn merge(a: &[i64], b: &[i64]) -> Vec<i64> {
    if a.is_empty() {
        return b.to_vec();
    }
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        let (x, y) = (a[i], b[j]);
        out.push(x.min(y));
        i += usize::from(x <= y);
        j += usize::from(y <= x);
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}

/// The dividends due on each bar of `ts`: each on the first bar on or after its ex-date
/// (bars before it held the shares that earn it); ex-dates outside the bars are dropped.
fn align_dividends(d: Dividends, ts: &[i64]) -> (Vec<f64>, String) {
    let mut due = vec![0.0; ts.len()];
    for (&at, &amount) in d.ts.iter().zip(d.amounts) {
        let i = ts.partition_point(|&x| x < at);
        if amount > 0.0 && i < ts.len() && (i > 0 || ts[0] == at) {
            due[i] += amount;
        }
    }
    (due, d.describe())
}

/// A symbol's columns on the calendar `ts`; with `adjust`, scaled by its adjusted close
/// when it has one.
fn align_prices<'d>(p: &'d PriceHistory, ts: &[i64], adjust: bool) -> SymbolColumns<'d> {
    let n = ts.len();
    let adjust = adjust && p.adj_close.is_some();
    // Rows exactly on the calendar and no adjustment: the loaded columns are the aligned ones.
    let lo = p.ts.partition_point(|&x| x < ts.first().copied().unwrap_or(i64::MAX));
    if !adjust && n > 0 && p.ts.get(lo..lo + n) == Some(ts) {
        // A column the run does not read was not kept (`data::Unread`): it stays empty.
        let part = |col: &'d [f64]| Cow::Borrowed(col.get(lo..lo + n).unwrap_or_default());
        return SymbolColumns {
            name: p.symbol.clone(),
            open: part(&p.open),
            high: part(&p.high),
            low: part(&p.low),
            close: part(&p.close),
            volume: p.volume.as_deref().map_or_else(|| Cow::Owned(vec![f64::NAN; n]), part),
            first: Some(0),
            adjusted: false,
            dividend: None,
            close_only: p.open_is_close,
        };
    }
    align_owned(p, ts, adjust)
}

/// Aligned copies of a symbol's columns, for any calendar; with `adjust`, scaled by its
/// adjusted close.
fn align_owned<'d>(p: &PriceHistory, ts: &[i64], adjust: bool) -> SymbolColumns<'d> {
    let adjusted = |p: &PriceHistory, j: usize, x: f64| if adjust { adjusted(p, j, x) } else { x };
    let n = ts.len();
    // A column the run does not read was not kept (`data::Unread`): it stays empty.
    let kept = |column: &[f64]| if column.is_empty() && !p.ts.is_empty() { 0 } else { n };
    let (mut open, mut close) = (vec![f64::NAN; n], vec![f64::NAN; n]);
    let (mut high, mut low) = (vec![f64::NAN; kept(&p.high)], vec![f64::NAN; kept(&p.low)]);
    let mut volume = vec![f64::NAN; p.volume.as_deref().map_or(n, kept)];
    let mut first = None;
    let mut j = 0;
    let mut last_close = f64::NAN;
    let rows: &[i64] = &p.ts;
    for (i, &t) in ts.iter().enumerate() {
        while j < rows.len() && rows[j] < t {
            // A row between two trading days of the calendar (outside the period, or on a
            // day no traded symbol trades) still updates the last known close.
            last_close = adjusted(p, j, p.close[j]);
            j += 1;
        }
        if j < rows.len() && rows[j] == t {
            open[i] = adjusted(p, j, p.open[j]);
            if let (Some(high), Some(low)) = (high.get_mut(i), low.get_mut(i)) {
                *high = adjusted(p, j, p.high[j]);
                *low = adjusted(p, j, p.low[j]);
            }
            last_close = adjusted(p, j, p.close[j]);
            if let Some(v) = volume.get_mut(i) {
                *v = p.volume.as_ref().map_or(f64::NAN, |v| v[j]);
            }
            if first.is_none() {
                first = Some(i);
            }
            j += 1;
        }
        close[i] = last_close;
    }
    SymbolColumns {
        name: p.symbol.clone(),
        open: Cow::Owned(open),
        high: Cow::Owned(high),
        low: Cow::Owned(low),
        close: Cow::Owned(close),
        volume: Cow::Owned(volume),
        first,
        adjusted: adjust,
        dividend: None,
        close_only: p.open_is_close,
    }
}

/// A price scaled by the day's adjustment factor (adjusted close / close), so trading and
/// valuation both happen in total-return terms.
fn adjusted(p: &PriceHistory, j: usize, x: f64) -> f64 {
    match &p.adj_close {
        Some(adj) if p.close[j] != 0.0 => x * adj[j] / p.close[j],
        _ => x,
    }
}

/// A series as-of joined to the bars: each bar's value (its last point visible by then), the
/// day of the observation behind it ([`Frame::observed`]), and the observation before that
/// one ([`Frame::previous`]).
pub(crate) struct Joined {
    pub values: Vec<f64>,
    pub observed: Vec<i32>,
    pub previous: Vec<f64>,
}

/// Joins a series to the bars of `ts`, after its `lag`. A point is an observation of its own
/// unless it carries the time of the one before ([`SeriesHistory::observed_at`]: a FedWatch
/// meeting-day point repeats its export's), so `previous` is the value of the last
/// observation made before the visible one, however many bars ago — never one not yet
/// visible, since observations become visible in date order.
pub(crate) fn as_of(s: &SeriesHistory, ts: &[i64], lag: Option<&SeriesLag>) -> Joined {
    let visible_from = |obs_ts: i64| -> i64 {
        let Some(lag) = lag else { return obs_ts };
        days_of(delayed(date_of(day_of(obs_ts)), lag)) as i64 * 86_400 + obs_ts.rem_euclid(86_400)
    };
    let mut out = Joined {
        values: Vec::with_capacity(ts.len()),
        observed: Vec::with_capacity(ts.len()),
        previous: Vec::with_capacity(ts.len()),
    };
    let mut j = 0;
    let mut last = (f64::NAN, NOT_OBSERVED);
    // The last observation's value and time, and the value of the one before it.
    let (mut current, mut made, mut before) = (f64::NAN, i64::MIN, f64::NAN);
    for &t in ts {
        while j < s.ts.len() && visible_from(s.ts[j]) <= t {
            // A point without a value (a derived series' gap) has no observation behind it.
            let v = s.values[j];
            let at = s.observed_at(j);
            last = (v, if v.is_nan() { NOT_OBSERVED } else { day_of(at) });
            if !v.is_nan() {
                if at != made && !current.is_nan() {
                    before = current;
                }
                (current, made) = (v, at);
            }
            j += 1;
        }
        out.values.push(last.0);
        out.observed.push(last.1);
        out.previous.push(if last.0.is_nan() { f64::NAN } else { before });
    }
    out
}

/// The day an observation dated `date` becomes visible after `lag`.
pub(crate) fn delayed(date: NaiveDate, lag: &SeriesLag) -> NaiveDate {
    date.checked_add_months(Months::new(lag.months.max(0) as u32))
        .unwrap_or(date)
        + chrono::Duration::days(lag.days as i64)
}

/// Days since 1970-01-01 of a timestamp (the data module's definition).
pub use crate::data::day_of;

/// The calendar date of a day number.
pub fn date_of(day: i32) -> NaiveDate {
    NaiveDate::from_num_days_from_ce_opt(day + 719_163).expect("a day number within chrono's range")
}

/// The day number of a calendar date.
pub fn days_of(date: NaiveDate) -> i32 {
    date.num_days_from_ce() - 719_163
}

#[cfg(test)]
mod tests {
    use super::*;

    fn history(ts: Vec<i64>) -> PriceHistory {
        let n = ts.len();
        let prices: Vec<f64> = (0..n).map(|i| 10.0 + i as f64).collect();
        PriceHistory {
            symbol: "AAA".into(),
            file: "AAA.csv".into(),
            ts: ts.into(),
            open: prices.iter().map(|p| p - 0.5).collect(),
            high: prices.iter().map(|p| p + 1.0).collect(),
            low: prices.iter().map(|p| p - 1.0).collect(),
            close: prices.into(),
            adj_close: None,
            volume: Some(vec![100.0; n].into()),
            dividends: None,
            open_is_close: false,
            close_is_adjusted: false,
        }
    }

    #[test]
    fn rows_on_the_calendar_are_read_in_place_and_equal_a_copy() {
        // Rows on days 0..6; the calendar (a period) covers days 2..5.
        let p = history((0..6).map(|d| d * 86_400).collect());
        let calendar: Vec<i64> = (2..5).map(|d| d * 86_400).collect();
        let borrowed = align_prices(&p, &calendar, true);
        assert!(matches!(borrowed.close, Cow::Borrowed(_)));
        let copied = align_owned(&p, &calendar, true);
        assert!(matches!(copied.close, Cow::Owned(_)));
        assert_eq!(borrowed.close[..], [12.0, 13.0, 14.0]);
        for (a, b) in [
            (&borrowed.open, &copied.open),
            (&borrowed.high, &copied.high),
            (&borrowed.low, &copied.low),
            (&borrowed.close, &copied.close),
            (&borrowed.volume, &copied.volume),
        ] {
            assert_eq!(a[..], b[..]);
        }
        assert_eq!((borrowed.first, copied.first), (Some(0), Some(0)));
    }

    #[test]
    fn one_whole_history_lends_the_frame_its_timestamps() {
        let data = DataSet {
            prices: vec![history((0..6).map(|d| d * 86_400).collect())],
            ..Default::default()
        };
        let traded = ["AAA".to_owned()];
        let loaded = data.prices[0].ts.shared().expect("built from a Vec, so shared");
        let whole = Frame::build(&data, &traded, &[], &[], &[], None);
        assert!(Arc::ptr_eq(&whole.ts, loaded));
        // A period that ends before the history does takes the bars up to its end: a copy.
        let cut = Frame::build(&data, &traded, &[], &[], &[], Some(3));
        assert!(!Arc::ptr_eq(&cut.ts, loaded));
        assert_eq!(cut.ts[..], [0, 86_400, 172_800, 259_200]);
        assert_eq!(cut.days[..], [0, 1, 2, 3]);
    }

    #[test]
    fn timestamps_changed_in_place_leave_a_sharer_as_it_was() {
        let mut ts = crate::data::Times::from(vec![1, 2, 3]);
        let sharer = Arc::clone(ts.shared().expect("built from a Vec"));
        ts.to_mut().retain(|&t| t != 2);
        assert_eq!((&ts[..], &sharer[..]), (&[1, 3][..], &[1, 2, 3][..]));
        let mut sample = crate::data::Times::Static(&[5, 6]);
        assert!(sample.shared().is_none());
        sample.to_mut().reverse();
        assert_eq!(sample[..], [6, 5]);
    }

    #[test]
    fn calendars_merge_into_one_increasing_list() {
        assert_eq!(merge(&[1, 3, 5], &[2, 3, 6, 7]), [1, 2, 3, 5, 6, 7]);
        assert_eq!(merge(&[], &[4, 9]), [4, 9]);
        assert_eq!(merge(&[4, 9], &[]), [4, 9]);
    }

    #[test]
    fn a_calendar_day_without_a_row_needs_a_copy() {
        // Day 3 is missing: its open is NaN and its close carries day 2's.
        let p = history([0, 1, 2, 4].iter().map(|d| d * 86_400).collect());
        let calendar: Vec<i64> = (0..5).map(|d| d * 86_400).collect();
        let cols = align_prices(&p, &calendar, true);
        assert!(matches!(cols.close, Cow::Owned(_)));
        assert_eq!(cols.close[..], [10.0, 11.0, 12.0, 12.0, 13.0]);
        assert!(cols.open[3].is_nan());
    }
}
