//! The data behind the time charts, as the page's JavaScript reads it: x in seconds since
//! 1970 (uPlot's time axis), one value a point, `null` where there is none.

use serde::{Serialize, Serializer};

use crate::engine::Trade;
use crate::report::underwater::Episode;

/// More bars than this are thinned for the charts (the tables keep every figure).
const MAX_POINTS: usize = 20_000;

/// Values drawn, rounded to 6 significant digits (a chart shows no more, and the page stays
/// small); NaN and infinities are `null`.
#[derive(Clone, Debug, Default)]
pub struct Series(pub Vec<f64>);

impl Serialize for Series {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(|&v| v.is_finite().then(|| round6(v))))
    }
}

fn round6(v: f64) -> f64 {
    if v == 0.0 {
        return 0.0;
    }
    format!("{v:.5e}").parse().unwrap_or(v)
}

/// Which bars the charts draw: every bar, or (beyond [`MAX_POINTS`]) each day's last bar,
/// and then every k-th of those.
#[derive(Clone, Debug)]
pub struct Points {
    pub keep: Vec<usize>,
    /// Says how the bars were thinned, for a note under the charts.
    pub note: Option<String>,
}

impl Points {
    pub fn of(days: &[i32]) -> Points {
        let n = days.len();
        if n <= MAX_POINTS {
            return Points {
                keep: (0..n).collect(),
                note: None,
            };
        }
        let mut keep: Vec<usize> = (0..n).filter(|&t| t + 1 == n || days[t + 1] != days[t]).collect();
        let mut note = format!("the charts show each day's last bar ({} of {n} bars)", keep.len());
        if keep.len() > MAX_POINTS {
            let k = keep.len().div_ceil(MAX_POINTS);
            let last = *keep.last().expect("more points than the limit");
            keep = keep.iter().copied().step_by(k).collect();
            if keep.last() != Some(&last) {
                keep.push(last);
            }
            note = format!(
                "the charts show every {k}th day's last bar ({} of {n} bars)",
                keep.len()
            );
        }
        Points { keep, note: Some(note) }
    }

    /// `values` at the kept bars.
    pub fn take(&self, values: &[f64]) -> Series {
        Series(
            self.keep
                .iter()
                .map(|&t| values.get(t).copied().unwrap_or(f64::NAN))
                .collect(),
        )
    }

    /// The kept bars' dates, in seconds since 1970.
    pub fn x(&self, days: &[i32]) -> Vec<i64> {
        self.keep.iter().map(|&t| i64::from(days[t]) * 86_400).collect()
    }

    /// The point drawing bar `t`: the first kept bar at or after it.
    pub fn point_of(&self, t: usize) -> usize {
        self.keep
            .partition_point(|&k| k < t)
            .min(self.keep.len().saturating_sub(1))
    }
}

/// A drawdown marked on the underwater chart: its number (1 = the deepest), its start,
/// trough and end (x values; `to` is the last point when not recovered) and depth.
#[derive(Clone, Debug, Serialize)]
pub struct Marked {
    pub n: usize,
    pub from: i64,
    pub trough: i64,
    pub to: i64,
    pub recovered: bool,
    pub depth: f64,
}

pub fn marked(episodes: &[Episode], days: &[i32]) -> Vec<Marked> {
    let x = |t: usize| i64::from(days[t]) * 86_400;
    episodes
        .iter()
        .enumerate()
        .map(|(i, e)| Marked {
            n: i + 1,
            from: x(e.bars.0),
            trough: x(e.bars.1),
            to: x(e.bars.2.unwrap_or(days.len() - 1)),
            recovered: e.bars.2.is_some(),
            depth: e.depth,
        })
        .collect()
}

/// A traded symbol's close with its fills: at the point of a day with buys (or sells), the
/// average fill price of that day's buys (sells), else `null`.
#[derive(Clone, Debug, Serialize)]
pub struct Price {
    pub symbol: String,
    pub close: Series,
    pub buys: Series,
    pub sells: Series,
}

pub fn price(symbol: &str, close: &[f64], trades: &[Trade], days: &[i32], points: &Points) -> Price {
    let n = points.keep.len();
    // Per point: shares and value bought, and sold.
    let mut bought = vec![(0.0, 0.0); n];
    let mut sold = vec![(0.0, 0.0); n];
    for t in trades.iter().filter(|t| t.symbol == symbol) {
        let Some(bar) = bar_of(&t.date, days) else { continue };
        let p = points.point_of(bar);
        let acc = if t.side == "buy" { &mut bought[p] } else { &mut sold[p] };
        acc.0 += t.shares;
        acc.1 += t.value;
    }
    let average = |v: &[(f64, f64)]| {
        Series(
            v.iter()
                .map(|&(q, value)| if q > 0.0 { value / q } else { f64::NAN })
                .collect(),
        )
    };
    Price {
        symbol: symbol.to_string(),
        close: points.take(close),
        buys: average(&bought),
        sells: average(&sold),
    }
}

/// The first bar on a `YYYY-MM-DD` date (or after it).
pub fn bar_of(date: &str, days: &[i32]) -> Option<usize> {
    let day = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .ok()
        .map(crate::engine::days_of)?;
    let i = days.partition_point(|&d| d < day);
    (i < days.len()).then_some(i)
}
