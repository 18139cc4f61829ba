//! Generates rotor's bundled sample data: SYNTHETIC prices for six ETFs and a few macro
//! series, loosely shaped on 2005–2025. It is not market data.
//!
//! `cargo run --example make_sample_data` rewrites `examples/data/etf_daily.csv` and
//! `examples/data/macro_daily.csv`, and `examples/data/sample.columns`, the columns rotor's
//! loader makes of them, which the binary embeds (`rotor::data::sample_columns`). The
//! output is byte-identical on every machine: the random numbers come from a fixed-seed
//! SplitMix64 written here (no crate version can change the stream), and the only
//! floating-point operations are the ones IEEE 754 rounds exactly (`+ - * /`, `sqrt`);
//! `ln` and `exp` are series below because the platform's libm may differ in the last bit.
//!
//! How the prices are built: a market total-return path is a random walk pinned to the
//! `MARKET_REGIMES` anchors (a Brownian bridge), so the crashes and recoveries land where
//! history put them while the days in between stay random. Small caps, mid caps, growth
//! and value load on it and on pinned size and style factors; each fund then pays a
//! quarterly dividend out of its price.

use chrono::{Datelike, NaiveDate, Weekday};
use std::f64::consts::{LN_2, SQRT_2};

/// Seed of every random stream; change it and every number changes.
const SEED: u64 = 0x0072_6f74_6f72; // "rotor"
const FIRST_DAY: (i32, u32, u32) = (2005, 1, 3);
const LAST_DAY: (i32, u32, u32) = (2025, 12, 31);
const TRADING_DAYS_PER_YEAR: f64 = 252.0;

/// Market (SPY) total-return level on each date, and the annualised volatility of the
/// segment that starts there. Levels are SPY's history with dividends reinvested, scaled
/// so the 21-year total return is about 9%/yr.
const MARKET_REGIMES: &[(&str, f64, f64)] = &[
    ("2005-01-03", 120.0, 0.10), // calm bull market
    ("2007-02-26", 148.0, 0.15),
    ("2007-10-09", 159.0, 0.20), // top before the financial crisis
    ("2008-03-10", 134.0, 0.24),
    ("2008-05-19", 147.0, 0.22),
    ("2008-07-15", 126.0, 0.22),
    ("2008-09-12", 128.0, 0.65), // Lehman: the crash
    ("2008-11-20", 82.0, 0.48),
    ("2008-12-16", 93.0, 0.40),
    ("2009-01-06", 96.0, 0.40),
    ("2009-03-09", 80.0, 0.22),  // trough, then recovery
    ("2010-04-23", 126.0, 0.25), // flash crash, euro crisis
    ("2010-07-02", 106.0, 0.14),
    ("2011-04-29", 142.0, 0.30), // US downgrade
    ("2011-10-03", 114.0, 0.12), // long calm bull market
    ("2015-05-21", 227.0, 0.17),
    ("2016-02-11", 195.0, 0.09),
    ("2018-01-26", 312.0, 0.17), // volatility shock, Q4 2018 sell-off
    ("2018-12-24", 257.0, 0.13),
    ("2020-02-19", 372.0, 0.45), // covid crash
    ("2020-03-09", 300.0, 0.80),
    ("2020-03-23", 252.0, 0.30), // sharp recovery
    ("2020-08-31", 386.0, 0.14),
    ("2022-01-03", 528.0, 0.22), // 2022 bear market
    ("2022-03-08", 465.0, 0.25),
    ("2022-03-29", 515.0, 0.25),
    ("2022-06-16", 410.0, 0.22),
    ("2022-08-16", 480.0, 0.25),
    ("2022-10-12", 399.0, 0.18),
    ("2022-12-30", 428.0, 0.15),
    ("2023-07-31", 514.0, 0.13),
    ("2023-12-29", 535.0, 0.12),
    ("2025-02-19", 692.0, 0.30), // tariff shock
    ("2025-04-08", 563.0, 0.17),
    ("2025-12-31", 776.0, 0.0),
];

/// Small minus large: log return of small caps beyond 1.2 × market (the level is cumulative).
const SIZE_REGIMES: &[(&str, f64, f64)] = &[
    ("2005-01-03", 0.0, 0.09),
    ("2007-10-09", -0.10, 0.09),
    ("2009-03-09", -0.02, 0.09),
    ("2011-04-29", 0.05, 0.09),
    ("2014-03-04", -0.05, 0.09),
    ("2018-08-31", -0.15, 0.09),
    ("2020-03-23", -0.40, 0.09),
    ("2021-03-15", -0.18, 0.09),
    ("2022-10-12", -0.35, 0.09),
    ("2025-12-31", -0.60, 0.0),
];

/// Growth minus value within small caps (cumulative log return).
const STYLE_REGIMES: &[(&str, f64, f64)] = &[
    ("2005-01-03", 0.0, 0.09),
    ("2007-10-09", 0.08, 0.09),
    ("2009-03-09", 0.05, 0.09),
    ("2016-02-11", 0.05, 0.09),
    ("2018-08-31", 0.25, 0.09),
    ("2020-03-23", 0.35, 0.09),
    ("2021-02-09", 0.55, 0.09), // growth peak
    ("2022-10-12", 0.25, 0.09), // value wins the 2022 bear market
    ("2025-12-31", 0.40, 0.0),
];

/// KRW per USD and the annualised volatility of the won's own shocks; on top of these the
/// won weakens when the market falls (`KRW_RISK_OFF`).
const KRW_REGIMES: &[(&str, f64, f64)] = &[
    ("2005-01-03", 1035.0, 0.07),
    ("2007-10-31", 930.0, 0.09),
    ("2008-11-24", 1440.0, 0.14),
    ("2009-03-02", 1455.0, 0.10),
    ("2009-06-30", 1275.0, 0.08),
    ("2009-12-31", 1165.0, 0.08),
    ("2010-05-25", 1240.0, 0.08),
    ("2011-07-27", 1050.0, 0.08),
    ("2014-07-03", 1010.0, 0.07),
    ("2016-02-25", 1235.0, 0.07),
    ("2018-04-02", 1055.0, 0.06),
    ("2019-12-31", 1160.0, 0.08),
    ("2020-03-19", 1285.0, 0.08),
    ("2021-05-31", 1110.0, 0.07),
    ("2022-10-24", 1440.0, 0.08),
    ("2023-02-02", 1225.0, 0.07),
    ("2024-12-30", 1450.0, 0.08),
    ("2025-04-09", 1480.0, 0.08),
    ("2025-06-30", 1355.0, 0.07),
    ("2025-09-30", 1400.0, 0.07),
    ("2025-12-31", 1445.0, 0.0),
];
/// Daily log change of USD/KRW per unit of market log return (negative: risk-off).
const KRW_RISK_OFF: f64 = -0.2;

/// An index as loadings on the market, size and style factors, plus its own noise.
struct Index {
    beta: f64,
    size: f64,
    style: f64,
    idio_vol: f64,
}
const LARGE: usize = 0;
const SMALL: usize = 1;
const SMALL_GROWTH: usize = 2;
const SMALL_VALUE: usize = 3;
const MID: usize = 4;
#[rustfmt::skip]
const INDEXES: [Index; 5] = [
    Index { beta: 1.0, size: 0.0, style: 0.0, idio_vol: 0.0 },    // LARGE
    Index { beta: 1.2, size: 1.0, style: 0.0, idio_vol: 0.0 },    // SMALL
    Index { beta: 1.2, size: 1.0, style: 0.5, idio_vol: 0.025 },  // SMALL_GROWTH
    Index { beta: 1.2, size: 1.0, style: -0.5, idio_vol: 0.025 }, // SMALL_VALUE
    Index { beta: 1.0, size: 0.6, style: 0.0, idio_vol: 0.045 },  // MID
];

/// A fund tracking one index; rows are written in this (alphabetical) order.
struct Fund {
    symbol: &'static str,
    index: usize,
    start_price: f64,
    expense_ratio: f64,
    /// Daily standard deviation of the fund's return around its index.
    tracking_noise: f64,
    dividend_yield: f64,
    /// Ex-dividend date: this trading day (0-based) of March, June, September, December.
    ex_day: usize,
    base_volume: f64,
}
#[rustfmt::skip]
const FUNDS: [Fund; 6] = [
    Fund { symbol: "IWM", index: SMALL, start_price: 64.0, expense_ratio: 0.0019,
            tracking_noise: 0.0001, dividend_yield: 0.013, ex_day: 6, base_volume: 30e6 },
    Fund { symbol: "IWN", index: SMALL_VALUE, start_price: 66.0, expense_ratio: 0.0024,
            tracking_noise: 0.0001, dividend_yield: 0.020, ex_day: 6, base_volume: 1.5e6 },
    Fund { symbol: "IWO", index: SMALL_GROWTH, start_price: 62.0, expense_ratio: 0.0024,
            tracking_noise: 0.0001, dividend_yield: 0.010, ex_day: 6, base_volume: 1.2e6 },
    Fund { symbol: "SPMD", index: MID, start_price: 22.0, expense_ratio: 0.0005,
            tracking_noise: 0.0001, dividend_yield: 0.015, ex_day: 14, base_volume: 0.8e6 },
    Fund { symbol: "SPY", index: LARGE, start_price: 120.0, expense_ratio: 0.000945,
            tracking_noise: 0.00005, dividend_yield: 0.018, ex_day: 14, base_volume: 120e6 },
    Fund { symbol: "VTWG", index: SMALL_GROWTH, start_price: 41.0, expense_ratio: 0.0010,
            tracking_noise: 0.0002, dividend_yield: 0.010, ex_day: 18, base_volume: 60e3 },
];

/// FOMC decision days: (month, which Wednesday of it; 5 = the last), 8 meetings a year.
#[rustfmt::skip]
const FOMC_SCHEDULE: [(u32, u8); 8] = [(1, 5), (3, 3), (5, 1), (6, 3), (7, 5), (9, 3), (10, 5), (12, 2)];
/// Effective fed funds rate before the first meeting, in basis points.
const FED_FUNDS_START_BP: i64 = 233;
/// Rate decisions (year, FOMC month, change in 25 bp steps); every other meeting holds.
/// Emergency moves between meetings are folded into the next scheduled meeting.
#[rustfmt::skip]
const RATE_MOVES: &[(i32, u32, i64)] = &[
    (2005, 1, 1), (2005, 3, 1), (2005, 5, 1), (2005, 6, 1),
    (2005, 7, 1), (2005, 9, 1), (2005, 10, 1), (2005, 12, 1),
    (2006, 1, 1), (2006, 3, 1), (2006, 5, 1), (2006, 6, 1),
    (2007, 9, -2), (2007, 10, -1), (2007, 12, -1),
    (2008, 1, -5), (2008, 3, -3), (2008, 5, -1), (2008, 10, -4), (2008, 12, -4),
    (2015, 12, 1), (2016, 12, 1), (2017, 3, 1), (2017, 6, 1), (2017, 12, 1),
    (2018, 3, 1), (2018, 6, 1), (2018, 9, 1), (2018, 12, 1),
    (2019, 7, -1), (2019, 9, -1), (2019, 10, -1), (2020, 3, -6),
    (2022, 3, 1), (2022, 5, 2), (2022, 6, 3), (2022, 7, 3), (2022, 9, 3), (2022, 10, 3), (2022, 12, 2),
    (2023, 1, 1), (2023, 3, 1), (2023, 5, 1), (2023, 7, 1),
    (2024, 9, -2), (2024, 10, -1), (2024, 12, -1),
    (2025, 9, -1), (2025, 10, -1), (2025, 12, -1),
];

/// CPI year-on-year (%) by reference month; released mid-next-month.
#[rustfmt::skip]
const CPI_PATH: &[(i32, u32, f64)] = &[
    (2004, 11, 3.5), (2005, 9, 4.7), (2006, 6, 4.3), (2006, 10, 1.3), (2007, 11, 4.3),
    (2008, 7, 5.6), (2009, 7, 0.3), (2010, 6, 1.1), (2011, 9, 3.9), (2012, 6, 1.7),
    (2013, 4, 1.1), (2014, 6, 2.1), (2015, 4, 0.2), (2016, 12, 2.1), (2018, 7, 2.9),
    (2019, 5, 1.8), (2020, 5, 0.3), (2021, 6, 5.4), (2022, 6, 9.0), (2023, 6, 3.0),
    (2024, 9, 2.4), (2025, 11, 2.8),
];
/// Unemployment rate (%) by reference month; released on the first Friday of the next.
#[rustfmt::skip]
const UNEMPLOYMENT_PATH: &[(i32, u32, f64)] = &[
    (2004, 11, 5.4), (2007, 3, 4.4), (2008, 6, 5.6), (2009, 10, 10.0), (2011, 1, 9.1),
    (2013, 1, 8.0), (2015, 1, 5.7), (2017, 1, 4.7), (2019, 9, 3.5), (2020, 2, 3.5),
    (2020, 3, 4.4), (2020, 4, 14.7), (2020, 6, 11.0), (2021, 1, 6.4), (2022, 1, 4.0),
    (2023, 4, 3.4), (2024, 7, 4.3), (2025, 11, 4.5),
];

// Random streams: one per component, so retuning one leaves the others unchanged.
const STREAM_MARKET: u64 = 1;
const STREAM_SIZE: u64 = 2;
const STREAM_STYLE: u64 = 3;
const STREAM_INDEX: u64 = 10; // + index number
const STREAM_FUND: u64 = 20; // + fund number
const STREAM_KRW: u64 = 40;
const STREAM_CUT_PROB: u64 = 41;
const STREAM_US2Y: u64 = 42;
const STREAM_CPI: u64 = 43;
const STREAM_UNEMPLOYMENT: u64 = 44;

/// SplitMix64 (Steele, Lea, Flood 2014), with normals by the polar Box–Muller method.
struct Rng {
    state: u64,
    spare: Option<f64>,
}

impl Rng {
    fn new(stream: u64) -> Rng {
        Rng {
            state: mix(SEED ^ mix(stream)),
            spare: None,
        }
    }

    fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.state)
    }

    /// Uniform in [0, 1) with 53 random bits.
    fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn normal(&mut self) -> f64 {
        if let Some(z) = self.spare.take() {
            return z;
        }
        loop {
            let u = 2.0 * self.uniform() - 1.0;
            let v = 2.0 * self.uniform() - 1.0;
            let s = u * u + v * v;
            if s > 0.0 && s < 1.0 {
                let scale = (-2.0 * ln(s) / s).sqrt();
                self.spare = Some(v * scale);
                return u * scale;
            }
        }
    }
}

/// SplitMix64's output function.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Natural log of a positive normal number: x = m·2^e with m in [√½, √2), then
/// ln m = 2·atanh((m − 1)/(m + 1)) by its series.
fn ln(x: f64) -> f64 {
    assert!(x.is_normal() && x > 0.0, "ln of {x}");
    let bits = x.to_bits();
    let mut exponent = ((bits >> 52) & 0x7ff) as i64 - 1023;
    let mut m = f64::from_bits((bits & 0x000F_FFFF_FFFF_FFFF) | 0x3FF0_0000_0000_0000);
    if m > SQRT_2 {
        m /= 2.0;
        exponent += 1;
    }
    let t = (m - 1.0) / (m + 1.0);
    let (mut term, mut sum) = (t, 0.0);
    for k in 0..20 {
        sum += term / (2 * k + 1) as f64;
        term *= t * t;
    }
    2.0 * sum + exponent as f64 * LN_2
}

/// e^x for |x| < 700: 2^k · e^r with |r| ≤ ln2/2, e^r by its Taylor series.
fn exp(x: f64) -> f64 {
    assert!(x.abs() < 700.0, "exp of {x}");
    let k = (x / LN_2).round();
    let r = x - k * LN_2;
    let (mut term, mut sum) = (1.0, 1.0);
    for n in 1..=20 {
        term *= r / n as f64;
        sum += term;
    }
    sum * f64::from_bits(((k as i64 + 1023) as u64) << 52)
}

fn date(text: &str) -> NaiveDate {
    text.parse().expect("dates in the tables are YYYY-MM-DD")
}

fn ymd((year, month, day): (i32, u32, u32)) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("valid calendar date")
}

/// The `n`-th (1-based) `weekday` of a month; `n = 5` means the last one.
fn nth_weekday(year: i32, month: u32, weekday: Weekday, n: u8) -> NaiveDate {
    if n == 5 {
        let next = if month == 12 { (year + 1, 1) } else { (year, month + 1) };
        let mut day = ymd((next.0, next.1, 1)).pred_opt().expect("not the first day ever");
        while day.weekday() != weekday {
            day = day.pred_opt().expect("not the first day ever");
        }
        return day;
    }
    NaiveDate::from_weekday_of_month_opt(year, month, weekday, n).expect("every month has 4")
}

/// Easter Sunday (anonymous Gregorian algorithm).
fn easter(year: i32) -> NaiveDate {
    let (a, b, c) = (year % 19, year / 100, year % 100);
    let (d, e) = (b / 4, b % 4);
    let g = (8 * b + 13) / 25;
    let h = (19 * a + b - d - g + 15) % 30;
    let (i, k) = (c / 4, c % 4);
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 19 * l) / 433;
    let month = (h + l - 7 * m + 90) / 25;
    let day = (h + l - 7 * m + 33 * month + 19) % 32;
    ymd((year, month as u32, day as u32))
}

/// A fixed-date holiday moved off the weekend: Saturday → Friday, Sunday → Monday.
fn observed(day: NaiveDate) -> NaiveDate {
    match day.weekday() {
        Weekday::Sat => day.pred_opt().expect("in range"),
        Weekday::Sun => day.succ_opt().expect("in range"),
        _ => day,
    }
}

/// The main NYSE holidays (not one-off closures such as hurricanes or state funerals).
fn is_holiday(day: NaiveDate) -> bool {
    let year = day.year();
    let new_year = ymd((year, 1, 1));
    // NYSE does not close on Friday 31 December when New Year's Day is a Saturday.
    let new_year_closed = new_year.weekday() != Weekday::Sat && day == observed(new_year);
    let juneteenth = year >= 2022 && day == observed(ymd((year, 6, 19)));
    new_year_closed
        || juneteenth
        || day == nth_weekday(year, 1, Weekday::Mon, 3) // Martin Luther King Jr. day
        || day == nth_weekday(year, 2, Weekday::Mon, 3) // Presidents day
        || day + chrono::Days::new(2) == easter(year) // Good Friday
        || day == nth_weekday(year, 5, Weekday::Mon, 5) // Memorial day
        || day == observed(ymd((year, 7, 4)))
        || day == nth_weekday(year, 9, Weekday::Mon, 1) // Labor day
        || day == nth_weekday(year, 11, Weekday::Thu, 4) // Thanksgiving
        || day == observed(ymd((year, 12, 25)))
}

/// Every NYSE trading day from `FIRST_DAY` to `LAST_DAY`.
fn trading_days() -> Vec<NaiveDate> {
    ymd(FIRST_DAY)
        .iter_days()
        .take_while(|day| *day <= ymd(LAST_DAY))
        .filter(|day| !matches!(day.weekday(), Weekday::Sat | Weekday::Sun))
        .filter(|day| !is_holiday(*day))
        .collect()
}

/// Index of the first trading day on or after `day`.
fn day_index(days: &[NaiveDate], day: NaiveDate) -> usize {
    days.partition_point(|d| *d < day)
}

/// Daily volatility of the step into each day, from the regime that step belongs to.
fn daily_vols(days: &[NaiveDate], regimes: &[(&str, f64, f64)]) -> Vec<f64> {
    let mut vols = vec![0.0; days.len()];
    for pair in regimes.windows(2) {
        let (start, end) = (day_index(days, date(pair[0].0)), day_index(days, date(pair[1].0)));
        vols[start + 1..=end].fill(pair[0].2 / TRADING_DAYS_PER_YEAR.sqrt());
    }
    vols
}

/// Levels that pass exactly through each regime anchor (`level` maps an anchor's value)
/// and move between anchors as a random walk driven by `shocks` (a Brownian bridge:
/// the walk's own drift over the segment is replaced by the one the anchors require).
fn bridge(days: &[NaiveDate], regimes: &[(&str, f64, f64)], level: fn(f64) -> f64, shocks: &[f64]) -> Vec<f64> {
    let mut levels = vec![0.0; days.len()];
    for pair in regimes.windows(2) {
        let (start, end) = (day_index(days, date(pair[0].0)), day_index(days, date(pair[1].0)));
        assert!(
            start < end && end < days.len(),
            "regime anchors must be increasing trading days"
        );
        let walk: f64 = shocks[start + 1..=end].iter().sum();
        let drift = (level(pair[1].1) - level(pair[0].1) - walk) / (end - start) as f64;
        levels[start] = level(pair[0].1);
        for i in start + 1..=end {
            levels[i] = levels[i - 1] + shocks[i] + drift;
        }
    }
    levels
}

/// Normal shocks scaled by each day's volatility.
fn shocks(vols: &[f64], rng: &mut Rng) -> Vec<f64> {
    vols.iter().map(|vol| vol * rng.normal()).collect()
}

/// Daily differences of a level series (0 on the first day).
fn differences(levels: &[f64]) -> Vec<f64> {
    let mut out = vec![0.0; levels.len()];
    for i in 1..levels.len() {
        out[i] = levels[i] - levels[i - 1];
    }
    out
}

/// Daily log returns of each index in `INDEXES`.
fn index_returns(days: &[NaiveDate], market: &[f64]) -> Vec<Vec<f64>> {
    let factor = |regimes, stream| {
        let vols = daily_vols(days, regimes);
        differences(&bridge(days, regimes, |x| x, &shocks(&vols, &mut Rng::new(stream))))
    };
    let (size, style) = (factor(SIZE_REGIMES, STREAM_SIZE), factor(STYLE_REGIMES, STREAM_STYLE));
    let daily = |annual: f64| annual / TRADING_DAYS_PER_YEAR.sqrt();
    INDEXES
        .iter()
        .enumerate()
        .map(|(n, index)| {
            let mut rng = Rng::new(STREAM_INDEX + n as u64);
            (0..days.len())
                .map(|i| {
                    let own = if i == 0 {
                        0.0
                    } else {
                        daily(index.idio_vol) * rng.normal()
                    };
                    index.beta * market[i] + index.size * size[i] + index.style * style[i] + own
                })
                .collect()
        })
        .collect()
}

/// One fund's rows as text fields after the date and symbol.
fn fund_rows(days: &[NaiveDate], fund: &Fund, index: &[f64], market_vols: &[f64], rng: &mut Rng) -> Vec<String> {
    let cents = |price: f64| (price * 100.0).round() as i64;
    let n = days.len();
    let (mut open, mut high, mut low, mut close) = (vec![0; n], vec![0; n], vec![0; n], vec![0; n]);
    let (mut dividend, mut volume) = (vec![0.0; n], vec![0u64; n]);
    let mut price = fund.start_price;
    let mut day_in_month = 0;
    for i in 0..n {
        day_in_month = if i > 0 && days[i].month() == days[i - 1].month() {
            day_in_month + 1
        } else {
            0
        };
        let total_return = if i == 0 {
            0.0
        } else {
            index[i] - fund.expense_ratio / TRADING_DAYS_PER_YEAR + fund.tracking_noise * rng.normal()
        };
        if i > 0 && days[i].month().is_multiple_of(3) && day_in_month == fund.ex_day {
            dividend[i] = (price * fund.dividend_yield / 4.0 * 1e4).round() / 1e4;
        }
        // Part of the day's move happens overnight, the rest between open and close.
        let gap = 0.3 * total_return + 0.15 * market_vols[i] * rng.normal();
        let (open_price, close_price) = (price * exp(gap) - dividend[i], price * exp(total_return) - dividend[i]);
        let reach = 0.4 * market_vols[i].max(0.005);
        open[i] = cents(open_price);
        close[i] = cents(close_price);
        high[i] = cents(open_price.max(close_price) * exp(reach * rng.normal().abs()))
            .max(open[i])
            .max(close[i]);
        low[i] = cents(open_price.min(close_price) * exp(-reach * rng.normal().abs()))
            .min(open[i])
            .min(close[i])
            .max(1);
        let shares = fund.base_volume * exp(0.3 * rng.normal()) * (1.0 + 40.0 * total_return.abs());
        volume[i] = (shares / 100.0).round() as u64 * 100;
        price = close_price;
    }
    // Adjusted close as data vendors compute it: each dividend scales all earlier closes
    // by (1 − dividend / previous close), so the last adj_close equals the last close.
    let mut adj = vec![0i64; n];
    let mut factor = 1.0;
    for i in (0..n).rev() {
        adj[i] = (close[i] as f64 / 100.0 * factor * 1e4).round() as i64;
        if dividend[i] > 0.0 {
            factor *= 1.0 - dividend[i] / (close[i - 1] as f64 / 100.0);
        }
    }
    let money = |c: i64| format!("{}.{:02}", c / 100, c % 100);
    (0..n)
        .map(|i| {
            let adj_close = format!("{}.{:04}", adj[i] / 10_000, adj[i] % 10_000);
            format!(
                "{},{},{},{},{},{}",
                money(open[i]),
                money(high[i]),
                money(low[i]),
                money(close[i]),
                adj_close,
                volume[i]
            )
        })
        .collect()
}

/// The market's daily log total returns and the daily volatility of its regime.
fn market(days: &[NaiveDate]) -> (Vec<f64>, Vec<f64>) {
    let vols = daily_vols(days, MARKET_REGIMES);
    let shocks = shocks(&vols, &mut Rng::new(STREAM_MARKET));
    (differences(&bridge(days, MARKET_REGIMES, ln, &shocks)), vols)
}

/// The ETF file: long layout, sorted by date then symbol.
fn etf_csv(days: &[NaiveDate], market: &[f64], market_vols: &[f64]) -> String {
    let indexes = index_returns(days, market);
    let rows: Vec<Vec<String>> = FUNDS
        .iter()
        .enumerate()
        .map(|(n, fund)| {
            fund_rows(
                days,
                fund,
                &indexes[fund.index],
                market_vols,
                &mut Rng::new(STREAM_FUND + n as u64),
            )
        })
        .collect();
    let mut csv = String::from("date,symbol,open,high,low,close,adj_close,volume\n");
    for (i, day) in days.iter().enumerate() {
        for (fund, fund_rows) in FUNDS.iter().zip(&rows) {
            csv.push_str(&format!("{day},{},{}\n", fund.symbol, fund_rows[i]));
        }
    }
    csv
}

/// Trading-day index and rate change (in 25 bp steps) of every FOMC meeting, in order.
fn fomc_meetings(days: &[NaiveDate]) -> Vec<(usize, i64)> {
    assert!(
        RATE_MOVES
            .iter()
            .all(|(_, month, _)| FOMC_SCHEDULE.iter().any(|(m, _)| m == month)),
        "rate moves happen at meetings"
    );
    (days[0].year()..=days[days.len() - 1].year())
        .flat_map(|year| FOMC_SCHEDULE.map(|(month, week)| (year, month, week)))
        .map(|(year, month, week)| {
            let step = RATE_MOVES
                .iter()
                .find(|(y, m, _)| (*y, *m) == (year, month))
                .map_or(0, |m| m.2);
            // A meeting on a holiday (Juneteenth 2024) decides on the next trading day.
            let wednesday = nth_weekday(year, month, Weekday::Wed, week);
            (day_index(days, wednesday), step)
        })
        .filter(|(day, _)| *day < days.len())
        .collect()
}

/// Probability the next meeting cuts, before noise: near-certain in the weeks before a
/// cut, low when a hike comes next, modest otherwise.
fn cut_prob_target(meetings: &[(usize, i64)], day: usize, rate_bp: i64) -> f64 {
    let next = meetings.iter().position(|(d, _)| *d > day);
    let step = |k: usize| meetings.get(k).map_or(0, |m| m.1);
    match next {
        Some(k) if step(k) < 0 => (0.97 - 0.006 * (meetings[k].0 - day) as f64).max(0.45),
        Some(k) if step(k) > 0 => 0.02,
        Some(k) if step(k + 1) < 0 => 0.30,
        Some(k) if step(k + 1) > 0 => 0.03,
        _ if rate_bp < 50 => 0.03,
        _ => 0.12,
    }
}

/// A month-by-month series interpolated between anchors, plus noise, keyed by month number
/// (year × 12 + month − 1).
fn monthly_values(path: &[(i32, u32, f64)], noise: f64, rng: &mut Rng) -> Vec<(i64, f64)> {
    let month = |(y, m): (i32, u32)| y as i64 * 12 + m as i64 - 1;
    let (first, last) = (
        month((path[0].0, path[0].1)),
        month((path[path.len() - 1].0, path[path.len() - 1].1)),
    );
    (first..=last)
        .map(|m| {
            let k = path
                .iter()
                .rposition(|p| month((p.0, p.1)) <= m)
                .expect("starts at the first anchor");
            let (a, b) = (path[k], path[(k + 1).min(path.len() - 1)]);
            let (ma, mb) = (month((a.0, a.1)), month((b.0, b.1)));
            let weight = if mb > ma {
                (m - ma) as f64 / (mb - ma) as f64
            } else {
                0.0
            };
            let value = a.2 + weight * (b.2 - a.2) + noise * rng.normal();
            // Published with one decimal; adding 0.0 turns a rounded −0.0 into 0.0.
            (m, (value * 10.0).round() / 10.0 + 0.0)
        })
        .collect()
}

/// Daily values of a monthly release: each reference month's value from its release day
/// (`release(year, month)` of the following month) until the next release.
fn released(days: &[NaiveDate], values: &[(i64, f64)], release: fn(&[NaiveDate], i32, u32) -> usize) -> Vec<f64> {
    let mut out = vec![values[0].1; days.len()];
    for &(month, value) in values {
        let next = month + 1;
        let start = release(days, (next / 12) as i32, (next % 12) as u32 + 1);
        if start < days.len() {
            out[start..].fill(value);
        }
    }
    out
}

/// CPI comes out on the first trading day on or after the 12th.
fn cpi_release(days: &[NaiveDate], year: i32, month: u32) -> usize {
    day_index(days, ymd((year, month, 12)))
}

/// The jobs report comes out on the first Friday that is a trading day.
fn jobs_release(days: &[NaiveDate], year: i32, month: u32) -> usize {
    let mut friday = nth_weekday(year, month, Weekday::Fri, 1);
    while is_holiday(friday) {
        friday = friday + chrono::Days::new(7);
    }
    day_index(days, friday)
}

/// The macro file: wide layout, one row per trading day.
fn macro_csv(days: &[NaiveDate], market: &[f64]) -> String {
    let n = days.len();
    let meetings = fomc_meetings(days);
    let mut fed_bp = vec![FED_FUNDS_START_BP; n];
    for &(day, step) in &meetings {
        fed_bp[day..].iter_mut().for_each(|bp| *bp += 25 * step);
    }
    let fed: Vec<f64> = fed_bp.iter().map(|bp| *bp as f64 / 100.0).collect();

    // The 2-year yield prices the policy rate expected over the next year and a half.
    const HORIZON: usize = 378;
    let mut prefix = vec![0.0; n + 1];
    for i in 0..n {
        prefix[i + 1] = prefix[i] + fed[i];
    }
    let expected = |i: usize| {
        let end = (i + HORIZON).min(n - 1);
        let known = prefix[end + 1] - prefix[i + 1];
        (known + fed[n - 1] * (i + HORIZON - end) as f64) / HORIZON as f64
    };

    let krw_vols = daily_vols(days, KRW_REGIMES);
    let mut krw_rng = Rng::new(STREAM_KRW);
    let krw_shocks: Vec<f64> = (0..n)
        .map(|i| KRW_RISK_OFF * market[i] + krw_vols[i] * krw_rng.normal())
        .collect();
    let krw = bridge(days, KRW_REGIMES, ln, &krw_shocks);

    let cpi = released(
        days,
        &monthly_values(CPI_PATH, 0.15, &mut Rng::new(STREAM_CPI)),
        cpi_release,
    );
    let jobs = released(
        days,
        &monthly_values(UNEMPLOYMENT_PATH, 0.08, &mut Rng::new(STREAM_UNEMPLOYMENT)),
        jobs_release,
    );

    let (mut prob_rng, mut us2y_rng) = (Rng::new(STREAM_CUT_PROB), Rng::new(STREAM_US2Y));
    let (mut prob_noise, mut us2y_noise) = (0.0, 0.0);
    let mut csv = String::from("date,fed_funds_rate,fed_cut_prob,us2y,cpi_yoy,unemployment,usdkrw\n");
    for (i, day) in days.iter().enumerate() {
        // Noise in log-odds keeps the probability inside (0, 1).
        prob_noise = 0.9 * prob_noise + 0.25 * prob_rng.normal();
        let target = cut_prob_target(&meetings, i, fed_bp[i]);
        let cut_prob = 1.0 / (1.0 + exp(-(ln(target / (1.0 - target)) + prob_noise)));
        // Yields at the zero bound move less than yields at 5%.
        us2y_noise = 0.97 * us2y_noise + 0.025 * us2y_rng.normal();
        let us2y = (0.3 * fed[i] + 0.7 * expected(i) + 0.2 + us2y_noise * (0.2 + 0.4 * fed[i].min(2.0))).max(0.05);
        csv.push_str(&format!(
            "{day},{:.2},{:.3},{:.2},{:.1},{:.1},{:.2}\n",
            fed[i],
            cut_prob,
            us2y,
            cpi[i],
            jobs[i],
            exp(krw[i])
        ));
    }
    csv
}

/// The sample data as (ETF csv, macro csv) text, identical on every run and machine.
pub fn generate() -> (String, String) {
    let days = trading_days();
    let (market, market_vols) = market(&days);
    (etf_csv(&days, &market, &market_vols), macro_csv(&days, &market))
}

// Unused when a test includes this file as a module to compare its output.
#[allow(dead_code, reason = "the example's entry point; tests call `generate` instead")]
fn main() -> std::io::Result<()> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/data");
    std::fs::create_dir_all(&dir)?;
    let (etf, macro_data) = generate();
    std::fs::write(dir.join("etf_daily.csv"), &etf)?;
    std::fs::write(dir.join("macro_daily.csv"), &macro_data)?;
    let columns = rotor::data::sample_columns([&etf, &macro_data]).map_err(std::io::Error::other)?;
    std::fs::write(dir.join("sample.columns"), columns)?;
    println!("wrote {}", dir.display());
    Ok(())
}
