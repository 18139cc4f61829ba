//! Random price and series histories with gaps and differing calendars, written as CSV
//! files for rotor and kept as plain maps for the reference.
//!
//! Every price is a multiple of 1/64 (so sums of a few hundred of them are exact in f64,
//! and rotor's and the reference's averages compare equal when they are equal), written
//! as the exact decimal.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::Path;

use chrono::{Datelike, Duration, NaiveDate, Weekday};

use super::model::{Ser, Sym};

/// One row of a price file.
#[derive(Clone, Copy, Debug)]
pub struct Bar {
    pub open: f64,
    pub high: f64,
    pub low: f64,
    pub close: f64,
    pub volume: f64,
}

/// The generated data.
#[derive(Clone, Debug)]
pub struct Market {
    /// The weekdays the data spans (before holidays), in order.
    pub weekdays: Vec<NaiveDate>,
    pub prices: BTreeMap<Sym, BTreeMap<NaiveDate, Bar>>,
    /// Observations in date order.
    pub series: BTreeMap<Ser, Vec<(NaiveDate, f64)>>,
}

/// What the proptest strategy draws for a market: a seed and a length.
#[derive(Clone, Copy, Debug)]
pub struct MarketSpec {
    pub seed: u64,
    /// Weekdays spanned by the base calendar.
    pub days: usize,
    /// Days since 2018-01-01 of the first weekday.
    pub start: u32,
}

/// SplitMix64: a small deterministic generator, so a seed reproduces a market exactly.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in lo..=hi.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % (hi - lo + 1) as u64) as i64
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

const TICK: f64 = 64.0;

impl Market {
    pub fn generate(spec: MarketSpec) -> Market {
        let mut rng = Rng::new(spec.seed);
        let first = NaiveDate::from_ymd_opt(2018, 1, 1).expect("a date") + Duration::days(spec.start as i64);
        // WWW starts ten weekdays before the others.
        let weekdays: Vec<NaiveDate> = first
            .iter_days()
            .filter(|d| !matches!(d.weekday(), Weekday::Sat | Weekday::Sun))
            .take(spec.days + 10)
            .collect();
        let base = &weekdays[10..];
        let n = base.len();
        // The base calendar: its first day always trades.
        let base_days: Vec<NaiveDate> = base
            .iter()
            .enumerate()
            .filter(|(i, _)| *i == 0 || !rng.chance(4))
            .map(|(_, d)| *d)
            .collect();
        let late = rng.range(n as i64 / 10, n as i64 * 2 / 5) as usize;
        let bbb: Vec<NaiveDate> = base_days.iter().copied().filter(|d| *d >= base[late]).collect();
        let ccc: Vec<NaiveDate> = base.iter().copied().filter(|_| !rng.chance(7)).collect();
        let end = rng.range(n as i64 * 3 / 5, n as i64 * 17 / 20) as usize;
        let ddd: Vec<NaiveDate> = base_days.iter().copied().filter(|d| *d <= base[end]).collect();
        let www: Vec<NaiveDate> = weekdays.iter().copied().filter(|_| rng.chance(70)).collect();
        let mut prices = BTreeMap::new();
        for (sym, days) in [
            (Sym::Aaa, base_days),
            (Sym::Bbb, bbb),
            (Sym::Ccc, ccc),
            (Sym::Ddd, ddd),
            (Sym::Www, www),
        ] {
            prices.insert(sym, price_history(&mut rng, &days));
        }
        let mut series = BTreeMap::new();
        series.insert(Ser::Sig, signal(&mut rng, &weekdays));
        series.insert(Ser::Rate, rate(&mut rng, &weekdays));
        Market {
            weekdays,
            prices,
            series,
        }
    }

    /// A hand-made market: `(date, symbol, open, close)` rows (high and low the larger and
    /// smaller of the two), and the series `sig` 0.5 and `rate` 4 from the first date.
    pub fn from_rows(rows: &[(&str, Sym, f64, f64)]) -> Market {
        let date = |s: &str| s.parse::<NaiveDate>().expect("a test date");
        let mut prices: BTreeMap<Sym, BTreeMap<NaiveDate, Bar>> =
            Sym::ALL.iter().map(|s| (*s, BTreeMap::new())).collect();
        for (d, sym, open, close) in rows {
            let bar = Bar {
                open: *open,
                high: open.max(*close),
                low: open.min(*close),
                close: *close,
                volume: 1000.0,
            };
            prices.get_mut(sym).expect("every symbol").insert(date(d), bar);
        }
        prices.retain(|_, h| !h.is_empty());
        let dates: Vec<NaiveDate> = rows.iter().map(|r| date(r.0)).collect();
        let first = *dates.iter().min().expect("rows");
        let last = *dates.iter().max().expect("rows");
        let weekdays = first
            .iter_days()
            .take_while(|d| *d <= last)
            .filter(|d| !matches!(d.weekday(), Weekday::Sat | Weekday::Sun))
            .collect();
        let series = [(Ser::Sig, vec![(first, 0.5)]), (Ser::Rate, vec![(first, 4.0)])]
            .into_iter()
            .collect();
        Market {
            weekdays,
            prices,
            series,
        }
    }

    pub fn row(&self, sym: Sym, d: NaiveDate) -> Option<&Bar> {
        self.prices.get(&sym)?.get(&d)
    }

    /// The last close dated on or before `d` (NaN before the first row).
    pub fn close_asof(&self, sym: Sym, d: NaiveDate) -> f64 {
        self.prices
            .get(&sym)
            .and_then(|h| h.range(..=d).next_back())
            .map_or(f64::NAN, |(_, b)| b.close)
    }

    /// Whether the symbol has a row dated on or before `d`.
    pub fn listed(&self, sym: Sym, d: NaiveDate) -> bool {
        self.prices.get(&sym).is_some_and(|h| h.range(..=d).next().is_some())
    }

    /// The last observation visible on `d`: dated on or before `d - lag days`; not
    /// available when it became visible more than `stale` days before `d`.
    pub fn series_asof(&self, ser: Ser, d: NaiveDate, lag_days: u32, stale: Option<u32>) -> f64 {
        let lag = Duration::days(lag_days as i64);
        let last = self.series[&ser].iter().take_while(|(date, _)| *date + lag <= d).last();
        match last {
            Some((date, _)) if stale.is_some_and(|n| (d - (*date + lag)).num_days() > n as i64) => f64::NAN,
            Some((_, v)) => *v,
            None => f64::NAN,
        }
    }

    /// `prev(SER)` on day `d`: the observation before the one visible then (after `lag`),
    /// not available when the visible one is not (none yet, or stale).
    pub fn series_prev(&self, ser: Ser, d: NaiveDate, lag_days: u32, stale: Option<u32>) -> f64 {
        if self.series_asof(ser, d, lag_days, stale).is_nan() {
            return f64::NAN;
        }
        let lag = Duration::days(lag_days as i64);
        let visible: Vec<f64> = self.series[&ser]
            .iter()
            .take_while(|(date, _)| *date + lag <= d)
            .map(|(_, v)| *v)
            .collect();
        match visible.len() {
            0 | 1 => f64::NAN,
            n => visible[n - 2],
        }
    }

    /// The same market with every row and observation after `last` removed.
    pub fn cut(&self, last: NaiveDate) -> Market {
        let mut out = self.clone();
        for history in out.prices.values_mut() {
            history.retain(|d, _| *d <= last);
        }
        for obs in out.series.values_mut() {
            obs.retain(|(d, _)| *d <= last);
        }
        out
    }

    /// Writes `prices.csv` (rotor's long layout) and `series.csv` (a wide table with empty
    /// cells for missing observations) into `dir`.
    pub fn write(&self, dir: &Path) -> std::io::Result<()> {
        let mut rows: Vec<(NaiveDate, Sym, Bar)> = Vec::new();
        for (sym, history) in &self.prices {
            rows.extend(history.iter().map(|(d, b)| (*d, *sym, *b)));
        }
        rows.sort_by_key(|(d, s, _)| (*d, *s));
        let mut prices = String::from("date,symbol,open,high,low,close,volume\n");
        for (d, s, b) in rows {
            writeln!(
                prices,
                "{d},{},{},{},{},{},{}",
                s.name(),
                b.open,
                b.high,
                b.low,
                b.close,
                b.volume
            )
            .expect("writing to a string");
        }
        std::fs::write(dir.join("prices.csv"), prices)?;
        let mut dates: Vec<NaiveDate> = self.series.values().flatten().map(|(d, _)| *d).collect();
        dates.sort();
        dates.dedup();
        let mut series = String::from("date,sig,rate\n");
        for d in dates {
            let cell = |ser: Ser| {
                self.series[&ser]
                    .iter()
                    .find(|(x, _)| *x == d)
                    .map_or(String::new(), |(_, v)| v.to_string())
            };
            writeln!(series, "{d},{},{}", cell(Ser::Sig), cell(Ser::Rate)).expect("writing to a string");
        }
        std::fs::write(dir.join("series.csv"), series)
    }
}

/// A random walk in ticks of 1/64, with opens near the previous close.
fn price_history(rng: &mut Rng, days: &[NaiveDate]) -> BTreeMap<NaiveDate, Bar> {
    let mut close = rng.range(50, 200) * TICK as i64;
    let mut out = BTreeMap::new();
    for d in days {
        let open = (close + rng.range(-40, 40)).max(TICK as i64);
        close = (close + rng.range(-160, 160)).max(5 * TICK as i64);
        let high = open.max(close) + rng.range(0, 40);
        let low = (open.min(close) - rng.range(0, 40)).max(1);
        let bar = Bar {
            open: open as f64 / TICK,
            high: high as f64 / TICK,
            low: low as f64 / TICK,
            close: close as f64 / TICK,
            volume: rng.range(1_000, 90_000) as f64,
        };
        out.insert(*d, bar);
    }
    out
}

/// A 0..1 signal seen on some calendar days (weekends too), starting late.
fn signal(rng: &mut Rng, weekdays: &[NaiveDate]) -> Vec<(NaiveDate, f64)> {
    let first = weekdays[rng.range(0, weekdays.len() as i64 / 5) as usize];
    let last = *weekdays.last().expect("weekdays");
    let mut k = rng.range(0, 64);
    let mut out = Vec::new();
    for d in first.iter_days().take_while(|d| *d <= last) {
        if rng.chance(40) {
            k = (k + rng.range(-12, 12)).clamp(0, 64);
            out.push((d, k as f64 / TICK));
        }
    }
    out
}

/// A rate in quarter points, observed on the first of each month from before the data.
fn rate(rng: &mut Rng, weekdays: &[NaiveDate]) -> Vec<(NaiveDate, f64)> {
    let start = weekdays[0].with_day(1).expect("day 1") - chrono::Months::new(2);
    let last = *weekdays.last().expect("weekdays");
    let mut quarters = rng.range(8, 24);
    let mut out = Vec::new();
    let mut d = start;
    while d <= last {
        quarters = (quarters + rng.range(-1, 1)).max(0);
        out.push((d, quarters as f64 / 4.0));
        d = d + chrono::Months::new(1);
    }
    out
}
