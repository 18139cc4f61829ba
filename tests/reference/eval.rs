//! Values and conditions on one bar, recomputed from the raw histories every time: no
//! columns, no streaming state, no caching.
//!
//! An indicator over `x` on bar `i` looks at the values of `x` on the calendar's bars
//! `0..=i` — every bar dated on or before the day, including bars before `from` (warm-up,
//! issue 12 item 1) — leaving out bars where `x` is not available; it is not available
//! itself when `x` is not available on bar `i`.

use chrono::NaiveDate;

use super::market::Market;
use super::model::{Cmp, Cond, Ind, Ser, Src, Sym, Value};
use super::positions::Positions;

/// The portfolio as rules see it: at the day's close, before same-day `fill close` orders.
#[derive(Clone, Copy)]
pub struct Portfolio<'a> {
    pub cash: f64,
    pub equity: f64,
    pub shares: &'a dyn Fn(Sym) -> f64,
    /// Entry prices and dates, from the fills before the decision.
    pub positions: &'a Positions,
}

/// Where a value is read: the market, the calendar indicators walk, the bar.
#[derive(Clone, Copy)]
pub struct Bar<'a> {
    pub market: &'a Market,
    /// Every trading day on or before the last day of the run (before `from` too).
    pub calendar: &'a [NaiveDate],
    pub i: usize,
    /// `lag rate N days`
    pub rate_lag: u32,
    /// `stale after N days`
    pub stale: Option<u32>,
    pub portfolio: Option<Portfolio<'a>>,
}

impl Bar<'_> {
    pub fn date(&self) -> NaiveDate {
        self.calendar[self.i]
    }

    fn src_on(&self, src: Src, j: usize) -> f64 {
        let d = self.calendar[j];
        match src {
            Src::Close(sym) => self.market.close_asof(sym, d),
            Src::Series(ser) => {
                let lag = if ser == Ser::Rate { self.rate_lag } else { 0 };
                self.market.series_asof(ser, d, lag, self.stale)
            }
        }
    }

    /// The available values of `src` up to and including bar `j`, oldest first.
    fn history(&self, src: Src, j: usize) -> Vec<f64> {
        (0..=j).map(|k| self.src_on(src, k)).filter(|x| !x.is_nan()).collect()
    }

    /// An indicator on bar `j`.
    pub fn indicator(&self, ind: Ind, src: Src, n: usize, j: usize) -> f64 {
        if self.src_on(src, j).is_nan() {
            return f64::NAN;
        }
        let seen = self.history(src, j);
        let len = seen.len();
        let x = seen[len - 1];
        let last_n = || &seen[len - n..];
        match ind {
            Ind::Sma if len >= n => last_n().iter().sum::<f64>() / n as f64,
            Ind::Ema if len >= n => {
                // Seeded with the first n values' mean, then alpha = 2/(n+1).
                let alpha = 2.0 / (n as f64 + 1.0);
                let mut v = seen[..n].iter().sum::<f64>() / n as f64;
                for y in &seen[n..] {
                    v += alpha * (y - v);
                }
                v
            }
            Ind::Return if len > n => {
                let past = seen[len - 1 - n];
                if past == 0.0 { f64::NAN } else { x / past - 1.0 }
            }
            Ind::Change if len > n => x - seen[len - 1 - n],
            Ind::Highest if len >= n => last_n().iter().copied().fold(f64::MIN, f64::max),
            Ind::Lowest if len >= n => last_n().iter().copied().fold(f64::MAX, f64::min),
            Ind::PercentRank if len > n => {
                let earlier = &seen[len - 1 - n..len - 1];
                earlier.iter().filter(|&&v| v <= x).count() as f64 / n as f64
            }
            Ind::Median if len >= n => {
                let mut sorted = last_n().to_vec();
                sorted.sort_by(f64::total_cmp);
                if n % 2 == 1 {
                    sorted[n / 2]
                } else {
                    (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
                }
            }
            _ => f64::NAN,
        }
    }

    /// `correlation` (or `beta`, with `beta`) of the returns of `a` and `b` over their last
    /// `n` returns on bar `j`, from the bars where both are available.
    fn pair(&self, beta: bool, a: Src, b: Src, n: usize, j: usize) -> f64 {
        if self.src_on(a, j).is_nan() || self.src_on(b, j).is_nan() {
            return f64::NAN;
        }
        let both: Vec<(f64, f64)> = (0..=j)
            .map(|k| (self.src_on(a, k), self.src_on(b, k)))
            .filter(|(x, y)| !x.is_nan() && !y.is_nan())
            .collect();
        // Returns between consecutive bars where both are available; a return out of a zero
        // value is undefined: left out, and the bar it ends on has no value.
        let all: Vec<(f64, f64)> = both
            .windows(2)
            .map(|w| (w[1].0 / w[0].0 - 1.0, w[1].1 / w[0].1 - 1.0))
            .collect();
        let finite = |r: &(f64, f64)| r.0.is_finite() && r.1.is_finite();
        if all.last().is_some_and(|r| !finite(r)) {
            return f64::NAN;
        }
        let returns: Vec<(f64, f64)> = all.into_iter().filter(finite).collect();
        if returns.len() < n {
            return f64::NAN;
        }
        let last = &returns[returns.len() - n..];
        let ra: Vec<f64> = last.iter().map(|r| r.0).collect();
        let rb: Vec<f64> = last.iter().map(|r| r.1).collect();
        let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
        let (ma, mb) = (mean(&ra), mean(&rb));
        let cov: f64 = ra.iter().zip(&rb).map(|(x, y)| (x - ma) * (y - mb)).sum();
        let va: f64 = ra.iter().map(|x| (x - ma) * (x - ma)).sum();
        let vb: f64 = rb.iter().map(|y| (y - mb) * (y - mb)).sum();
        match beta {
            true if vb > 0.0 => cov / vb,
            false if va > 0.0 && vb > 0.0 => (cov / (va * vb).sqrt()).clamp(-1.0, 1.0),
            _ => f64::NAN,
        }
    }

    /// The market value of a holding at the day's close; no shares are worth 0, even
    /// before the symbol's first price.
    fn position(&self, s: Sym) -> f64 {
        let shares = (self.portfolio.as_ref().expect("a decision bar").shares)(s);
        if shares == 0.0 {
            0.0
        } else {
            shares * self.market.close_asof(s, self.date())
        }
    }

    /// A value on bar `j` (portfolio values only on the current bar).
    pub fn value_on(&self, v: &Value, j: usize) -> f64 {
        let pf = || {
            self.portfolio
                .as_ref()
                .expect("portfolio values are read on the decision bar")
        };
        match v {
            Value::Const(x) => *x,
            Value::Src(s) => self.src_on(*s, j),
            Value::Lagged(s, n) => {
                if self.src_on(*s, j).is_nan() {
                    return f64::NAN;
                }
                let seen = self.history(*s, j);
                let n = *n as usize;
                if seen.len() > n {
                    seen[seen.len() - 1 - n]
                } else {
                    f64::NAN
                }
            }
            Value::Ind(ind, s, n) => self.indicator(*ind, *s, *n as usize, j),
            Value::Pair(beta, a, b, n) => self.pair(*beta, *a, *b, *n as usize, j),
            Value::Percentile80(s, n) => {
                let n = *n as usize;
                if self.src_on(*s, j).is_nan() {
                    return f64::NAN;
                }
                let seen = self.history(*s, j);
                if seen.len() < n {
                    return f64::NAN;
                }
                // Hyndman and Fan's definition 7: h = (n - 1) p between the closest ranks.
                let mut sorted = seen[seen.len() - n..].to_vec();
                sorted.sort_by(f64::total_cmp);
                let h = (n - 1) as f64 * 0.8;
                let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
                sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
            }
            Value::Prev(ser) => {
                let lag = if *ser == Ser::Rate { self.rate_lag } else { 0 };
                self.market.series_prev(*ser, self.calendar[j], lag, self.stale)
            }
            Value::Cash => pf().cash,
            Value::Equity => pf().equity,
            Value::Position(s) => self.position(*s),
            Value::Weight(s) => {
                let equity = pf().equity;
                if equity > 0.0 {
                    self.position(*s) / equity
                } else {
                    f64::NAN
                }
            }
            Value::EntryPrice(s) => pf().positions.open.get(s).map_or(f64::NAN, |o| o.entry_price),
            Value::HeldDays(s) => {
                let open = pf().positions.open.get(s);
                open.map_or(f64::NAN, |o| (self.date() - o.date).num_days() as f64)
            }
            Value::DaysSinceExit(s) => {
                let p = pf().positions;
                match (p.open.get(s), p.last_exit.get(s)) {
                    (None, Some(d)) => (self.date() - *d).num_days() as f64,
                    _ => f64::NAN,
                }
            }
            Value::SinceEntry(high, s) => {
                let Some(open) = pf().positions.open.get(s) else {
                    return f64::NAN;
                };
                let closes = (open.bar..=j).map(|k| self.market.close_asof(*s, self.calendar[k]));
                if *high {
                    closes.fold(f64::MIN, f64::max)
                } else {
                    closes.fold(f64::MAX, f64::min)
                }
            }
            Value::BarsSince(c) => {
                // The latest bar up to `j` on which the condition held, by walking back.
                let mut ignored = false;
                (0..=j)
                    .rev()
                    .find(|&k| {
                        let past = Bar {
                            i: k,
                            portfolio: None,
                            ..*self
                        };
                        condition(&past, c, &mut ignored) == Some(true)
                    })
                    .map_or(f64::NAN, |k| (j - k) as f64)
            }
        }
    }
}

/// A condition's value; `fragile` is set when a comparison decided by less than rounding
/// involves a value rotor computes by other floating-point steps than the reference.
pub fn condition(bar: &Bar, c: &Cond, fragile: &mut bool) -> Option<bool> {
    match c {
        Cond::Cmp(a, op, b) => {
            let (x, y) = (bar.value_on(a, bar.i), bar.value_on(b, bar.i));
            compare(x, *op, y, !(a.exact() && b.exact()), fragile)
        }
        Cond::Cross { a, above, b } => {
            if bar.i == 0 {
                return None;
            }
            let inexact = !(a.exact() && b.exact());
            let (x, y) = (bar.value_on(a, bar.i), bar.value_on(b, bar.i));
            let (px, py) = (bar.value_on(a, bar.i - 1), bar.value_on(b, bar.i - 1));
            if *above {
                let now = compare(x, Cmp::Gt, y, inexact, fragile)?;
                let before = compare(px, Cmp::Le, py, inexact, fragile)?;
                Some(now && before)
            } else {
                let now = compare(x, Cmp::Lt, y, inexact, fragile)?;
                let before = compare(px, Cmp::Ge, py, inexact, fragile)?;
                Some(now && before)
            }
        }
        // Three-valued logic: false and NA is false, true or NA is true.
        Cond::And(a, b) => match (condition(bar, a, fragile), condition(bar, b, fragile)) {
            (Some(false), _) | (_, Some(false)) => Some(false),
            (Some(true), Some(true)) => Some(true),
            _ => None,
        },
        Cond::Or(a, b) => match (condition(bar, a, fragile), condition(bar, b, fragile)) {
            (Some(true), _) | (_, Some(true)) => Some(true),
            (Some(false), Some(false)) => Some(false),
            _ => None,
        },
        Cond::Not(c) => condition(bar, c, fragile).map(|v| !v),
    }
}

fn compare(x: f64, op: Cmp, y: f64, inexact: bool, fragile: &mut bool) -> Option<bool> {
    if x.is_nan() || y.is_nan() {
        return None;
    }
    if inexact && (x - y).abs() <= 1e-9 * x.abs().max(y.abs()).max(1.0) {
        *fragile = true;
    }
    Some(match op {
        Cmp::Lt => x < y,
        Cmp::Le => x <= y,
        Cmp::Gt => x > y,
        Cmp::Ge => x >= y,
    })
}
