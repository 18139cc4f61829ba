//! Synthetic one-minute bars (and daily bars of many tickers) for benchmarks: a
//! deterministic random walk, the same bytes on every run and machine. Shared by `benches/backtest.rs`, `examples/make_minute_data.rs`
//! and `tests/minute_data.rs` through `#[path]`, so the generator exists once.
//!
//! Prices are whole cents and every step is integer arithmetic, so no floating-point
//! rounding or libm difference can change a byte; the random numbers come from a
//! fixed-seed SplitMix64 written here, so no crate version can change the stream.

// Each includer uses a different part of this file.
#![allow(dead_code)]

use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate, Weekday};

/// Bars in a trading day: 09:30 to 15:59, one a minute.
pub const BARS_PER_DAY: usize = 390;

/// Bars written when no count is given.
pub const DEFAULT_BARS: usize = 500_000;

/// The symbol of the one-symbol file; it is named by its file, so write it to `MIN.csv`.
pub const SYMBOL: &str = "MIN";

/// Seed of the first symbol's stream; symbol `k` of a long file uses `SEED + k`.
const SEED: u64 = 0x6d69_6e75_7465; // "minute"

/// The first bar's date (a Tuesday) and price in cents.
const FIRST_DAY: (i32, u32, u32) = (2024, 1, 2);
const START_CENTS: i64 = 10_000; // 100.00

/// The largest move of one minute, in basis points of the price (uniform in ±this): about
/// 6 bp a minute, 1.2% a day.
const MAX_STEP_BP: i64 = 10;

/// SplitMix64 (Steele, Lea and Flood 2014): tiny, fast, and fixed forever.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A whole number in `low..=high`; the modulo bias (below 2^-50) does not matter here.
    fn between(&mut self, low: i64, high: i64) -> i64 {
        low + (self.next() % (high - low + 1) as u64) as i64
    }
}

/// One bar's prices in cents, and its volume.
#[derive(Clone, Copy)]
struct Bar {
    open: i64,
    high: i64,
    low: i64,
    close: i64,
    volume: u64,
}

/// The largest move of one day in [`daily_long_csv`], in basis points (uniform in ±this):
/// about 0.9% a day, 14% a year, like a broad equity index.
const MAX_DAILY_STEP_BP: i64 = 150;

/// One symbol's random walk, bar after bar.
struct Walk {
    rng: Rng,
    close: i64,
    /// The largest open-to-close move, in basis points.
    max_step_bp: i64,
}

impl Walk {
    fn new(stream: u64) -> Walk {
        Walk::with_step(stream, MAX_STEP_BP)
    }

    fn with_step(stream: u64, max_step_bp: i64) -> Walk {
        Walk {
            rng: Rng(SEED.wrapping_add(stream)),
            close: START_CENTS,
            max_step_bp,
        }
    }

    fn next_bar(&mut self) -> Bar {
        let rng = &mut self.rng;
        // Proportional steps keep the price positive; integer rounding keeps it exact.
        let step = |cents: i64, bp: i64| (cents * (10_000 + bp) + 5_000).div_euclid(10_000).max(1);
        let open = step(self.close, rng.between(-2, 2));
        let close = step(open, rng.between(-self.max_step_bp, self.max_step_bp));
        let high = open.max(close) + rng.between(0, 4);
        let low = (open.min(close) - rng.between(0, 4)).max(1);
        let volume = rng.between(1, 500) as u64 * 100;
        self.close = close;
        Bar {
            open,
            high,
            low,
            close,
            volume,
        }
    }
}

/// The timestamp text of every bar: 390 a weekday from 09:30, weekdays in order from
/// `FIRST_DAY` (no holidays: the walk has no calendar to respect).
fn timestamps(bars: usize) -> impl Iterator<Item = String> {
    let first = NaiveDate::from_ymd_opt(FIRST_DAY.0, FIRST_DAY.1, FIRST_DAY.2).expect("a valid date");
    first
        .iter_days()
        .filter(|day| !matches!(day.weekday(), Weekday::Sat | Weekday::Sun))
        .flat_map(|day| {
            (0..BARS_PER_DAY).map(move |m| {
                let minute = 9 * 60 + 30 + m;
                format!("{day} {:02}:{:02}:00", minute / 60, minute % 60)
            })
        })
        .take(bars)
}

/// Cents as `D.CC`.
fn money(out: &mut String, cents: i64) {
    write!(out, "{}.{:02}", cents / 100, cents % 100).expect("writing to a String cannot fail");
}

fn push_bar(out: &mut String, bar: Bar) {
    for cents in [bar.open, bar.high, bar.low, bar.close] {
        money(out, cents);
        out.push(',');
    }
    writeln!(out, "{}", bar.volume).expect("writing to a String cannot fail");
}

/// `bars` one-minute bars of one symbol (named by its file), header
/// `date,open,high,low,close,volume`.
pub fn minute_csv(bars: usize) -> String {
    let mut out = String::with_capacity(48 * (bars + 1));
    out.push_str("date,open,high,low,close,volume\n");
    let mut walk = Walk::new(0);
    for ts in timestamps(bars) {
        out.push_str(&ts);
        out.push(',');
        push_bar(&mut out, walk.next_bar());
    }
    out
}

/// The symbols of [`long_csv`]: `MA`, `MB`, … (letters only, so they are plain names).
pub fn long_symbols(count: usize) -> Vec<String> {
    assert!(count <= 26, "at most 26 symbols");
    (0..count).map(|k| format!("M{}", (b'A' + k as u8) as char)).collect()
}

/// `bars` one-minute bars of each of `symbols` symbols in rotor's long layout
/// (`date,symbol,open,high,low,close,volume`), sorted by time then symbol; each symbol walks
/// on its own stream.
pub fn long_csv(symbols: usize, bars: usize) -> String {
    let names = long_symbols(symbols);
    let mut walks: Vec<Walk> = (0..symbols).map(|k| Walk::new(k as u64)).collect();
    let mut out = String::with_capacity(52 * (bars * symbols + 1));
    out.push_str("date,symbol,open,high,low,close,volume\n");
    for ts in timestamps(bars) {
        for (name, walk) in names.iter().zip(&mut walks) {
            write!(out, "{ts},{name},").expect("writing to a String cannot fail");
            push_bar(&mut out, walk.next_bar());
        }
    }
    out
}

/// The first day of [`daily_long_csv`] (a Friday).
const FIRST_DAILY_DAY: (i32, u32, u32) = (2004, 1, 2);

/// Trading days in twenty years of [`daily_long_csv`] (252 a year).
pub const TWENTY_YEARS: usize = 20 * 252;

/// The tickers of [`daily_long_csv`]: `TAA`, `TAB`, … `TAZ`, `TBA`, … (letters only, so they
/// are plain names; up to 676).
pub fn tickers(count: usize) -> Vec<String> {
    assert!(count <= 26 * 26, "at most 676 tickers");
    (0..count)
        .map(|k| {
            let letter = |i: usize| char::from(b'A' + i as u8);
            format!("T{}{}", letter(k / 26), letter(k % 26))
        })
        .collect()
}

/// `days` daily bars (weekdays from 2004-01-02, no holidays) of each of `symbols` tickers
/// ([`tickers`]) in rotor's long layout (`date,symbol,open,high,low,close,volume`), sorted by
/// date then ticker; each ticker walks on its own stream with daily-sized steps.
pub fn daily_long_csv(symbols: usize, days: usize) -> String {
    let names = tickers(symbols);
    let mut walks: Vec<Walk> = (0..symbols)
        .map(|k| Walk::with_step(1_000 + k as u64, MAX_DAILY_STEP_BP))
        .collect();
    let first = NaiveDate::from_ymd_opt(FIRST_DAILY_DAY.0, FIRST_DAILY_DAY.1, FIRST_DAILY_DAY.2).expect("a valid date");
    let dates = first
        .iter_days()
        .filter(|day| !matches!(day.weekday(), Weekday::Sat | Weekday::Sun))
        .take(days);
    let mut out = String::with_capacity(44 * (days * symbols + 1));
    out.push_str("date,symbol,open,high,low,close,volume\n");
    for day in dates {
        for (name, walk) in names.iter().zip(&mut walks) {
            write!(out, "{day},{name},").expect("writing to a String cannot fail");
            push_bar(&mut out, walk.next_bar());
        }
    }
    out
}
