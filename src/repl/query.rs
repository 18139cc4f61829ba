//! Expressions typed at the prompt: `fed_cut_prob @ 2024-09-16`, `sma(IWO, 50) @ last`,
//! `close(MIN) @ 2024-03-05 11:07`, `close(IWO) from 2024-01-01 to 2024-03-01`, or a bare
//! expression (its latest value). On data of several bars a day the answers speak of bars
//! and show their times.
//!
//! The `@` and `from … to …` suffixes are the REPL's, not the language's, so they are split
//! off here before the expression itself is parsed by the grammar.

use std::ops::Range;

use chrono::{NaiveDate, NaiveTime, Timelike};

use super::command::date;
use super::error::ReplError;
use crate::data::Resolution;
use crate::engine::date_of;
use crate::report::sparkline::sparkline;
use crate::source::Span;
use crate::syntax::ast::{BinaryOp, Expr, ExprKind, UnaryOp};

/// Most rows a range table shows; longer ranges are sampled evenly (first and last kept).
pub const MAX_ROWS: usize = 20;
/// Width of the sparkline under a range table.
const SPARK_WIDTH: usize = 60;

/// Which values of the expression to show.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum When {
    /// The latest value (a bare expression, or `@ last`).
    Last,
    /// The value as of a date, or a date and a time (`@ 2024-03-05 11:07`): the last bar on
    /// or before it (a date alone: on or before the end of that day).
    At(NaiveDate, Option<NaiveTime>),
    /// Every value in a period (`from D to D`, either end may be left out).
    Between(Option<NaiveDate>, Option<NaiveDate>),
}

/// An expression typed at the prompt: where the expression is in the input, and when.
#[derive(Clone, Debug, PartialEq)]
pub struct Query {
    pub expr: Range<usize>,
    pub when: When,
}

/// Splits the REPL's suffix off an input; `base` is the input's global offset, for spans.
pub fn split(text: &str, base: usize) -> Result<Query, ReplError> {
    let end = text.trim_end().len();
    if let Some(at) = find_at(text) {
        let rest = text[at + 1..].trim();
        let rest_at = at + 1 + (text[at + 1..].len() - text[at + 1..].trim_start().len());
        let when = match rest {
            "last" => When::Last,
            _ => {
                let (day, time) = moment(rest).ok_or_else(|| ReplError::Usage {
                    message: format!("`{rest}` is not a date"),
                    span: Span::new(base + rest_at, base + rest_at + rest.len()),
                    label: "expected a date, a date and time, or `last`".into(),
                    help: "write `@ 2024-09-16`, `@ 2024-09-16 11:07` (minute bars) or `@ last`".into(),
                })?;
                When::At(day, time)
            }
        };
        return Ok(Query { expr: 0..at, when });
    }
    // `… from D [to D]` or `… to D`: dates and these words hold no brackets, so the tail
    // words of the whole input are enough.
    let words: Vec<(usize, &str)> = text
        .split_whitespace()
        .map(|w| (w.as_ptr() as usize - text.as_ptr() as usize, w))
        .collect();
    let n = words.len();
    let tail = |i: usize| words.get(n.wrapping_sub(i)).map(|w| w.1);
    let dated = |i: usize| tail(i).and_then(date);
    let (cut, when) = if n >= 5 && tail(4) == Some("from") && tail(2) == Some("to") {
        match (dated(3), dated(1)) {
            (Some(f), Some(t)) => (n - 4, When::Between(Some(f), Some(t))),
            _ => return Ok(whole(end)),
        }
    } else if n >= 3 && matches!(tail(2), Some("from" | "to")) {
        match (tail(2), dated(1)) {
            (Some("from"), Some(f)) => (n - 2, When::Between(Some(f), None)),
            (Some("to"), Some(t)) => (n - 2, When::Between(None, Some(t))),
            _ => return Ok(whole(end)),
        }
    } else {
        return Ok(whole(end));
    };
    Ok(Query {
        expr: 0..words[cut].0,
        when,
    })
}

/// A date (`2024-03-05`), or a date and a time of day (`2024-03-05 11:07`,
/// `2024-03-05 11:07:30`, or with `T` between them).
fn moment(text: &str) -> Option<(NaiveDate, Option<NaiveTime>)> {
    if let Some(day) = date(text) {
        return Some((day, None));
    }
    let (day, time) = text.split_once([' ', 'T'])?;
    let time = time.trim();
    let time = NaiveTime::parse_from_str(time, "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(time, "%H:%M:%S"))
        .ok()?;
    Some((date(day)?, Some(time)))
}

/// A moment asked for, as the answer repeats it: `2024-03-05`, `2024-03-05 11:07`.
fn asked(day: NaiveDate, time: Option<NaiveTime>) -> String {
    match time {
        None => day.to_string(),
        Some(t) => format!("{day} {}", time_of(t)),
    }
}

/// A time as typed after `@`: `10:07`, or `10:07:30` when it has seconds.
fn time_of(t: NaiveTime) -> String {
    if t.second() == 0 {
        t.format("%H:%M").to_string()
    } else {
        t.format("%H:%M:%S").to_string()
    }
}

fn whole(end: usize) -> Query {
    Query {
        expr: 0..end,
        when: When::Last,
    }
}

/// The first `@` outside a backticked name.
fn find_at(text: &str) -> Option<usize> {
    let mut quoted = false;
    for (i, c) in text.char_indices() {
        match c {
            '`' => quoted = !quoted,
            '#' if !quoted => return None,
            '@' if !quoted => return Some(i),
            _ => {}
        }
    }
    None
}

/// Whether an expression is a condition (shown as true/false rather than 1/0).
pub fn is_condition(expr: &Expr) -> bool {
    match &expr.kind {
        ExprKind::Bool(_) => true,
        ExprKind::Group(e) => is_condition(e),
        ExprKind::Unary { op: UnaryOp::Not, .. } => true,
        ExprKind::Binary { op, .. } => op.is_comparison() || matches!(op, BinaryOp::And | BinaryOp::Or),
        _ => false,
    }
}

/// A value as the REPL prints it: `n/a` when not (yet) available.
pub fn show(v: f64, condition: bool) -> String {
    if v.is_nan() {
        "n/a".into()
    } else if condition {
        if v != 0.0 { "true" } else { "false" }.into()
    } else if v.is_infinite() {
        if v > 0.0 { "inf" } else { "-inf" }.into()
    } else {
        // Four decimals, without trailing zeros: prices, rates and probabilities all read well.
        let s = format!("{v:.4}");
        let s = s.trim_end_matches('0').trim_end_matches('.');
        if s == "-0" { "0".into() } else { s.into() }
    }
}

/// A bare series' observation behind the value shown: when it was made, and the words
/// for the limit it is past if it is stale (`stale`, `stale after 30 days`).
#[derive(Clone, Debug, PartialEq)]
pub struct Seen {
    pub observed: NaiveDate,
    pub stale: Option<String>,
}

/// Why a query has no bar to answer on when only series are loaded.
const NO_PRICES: &str = "no prices loaded: values are read on the prices' trading days; add a price file with `data`";

/// The answer to a query, from the expression's values on each bar: `ts` the bars' times
/// (seconds since 1970), `days` their dates (days since 1970). On daily data the bars are
/// trading days; on data of several bars a day they are called bars and shown with their
/// times. `seen` tells, for a bare series, the observation behind its value on a day: it
/// is shown instead of the day (`0.8 (observed 2024-02-15, 90 days before 2024-05-15:
/// stale)`).
pub fn answer(
    ts: &[i64],
    days: &[i32],
    values: &[f64],
    when: When,
    condition: bool,
    seen: &dyn Fn(NaiveDate) -> Option<Seen>,
) -> String {
    let resolution = Resolution::of(ts);
    let bars = if resolution == Resolution::Day {
        "trading days"
    } else {
        "bars"
    };
    match when {
        When::Last | When::At(..) => {
            let limit = match when {
                When::At(d, time) => {
                    let start = i64::from(crate::engine::days_of(d)) * crate::data::date::SECONDS_PER_DAY;
                    time.map_or(start + crate::data::date::SECONDS_PER_DAY - 1, |t| {
                        start + i64::from(t.num_seconds_from_midnight())
                    })
                }
                _ => i64::MAX,
            };
            match ts.iter().rposition(|&t| t <= limit) {
                Some(i) => {
                    let day = date_of(days[i]);
                    let shown = resolution.format(ts[i]);
                    let asked = match (seen(day), when) {
                        (Some(s), _) => observed(&s, day),
                        (None, When::At(d, time)) => {
                            // On daily data a time asks for its day's bar.
                            let moved = match (time, resolution) {
                                (Some(_), Resolution::Minute | Resolution::Second) => ts[i] != limit,
                                _ => d != day,
                            };
                            let bar = if resolution == Resolution::Day {
                                "trading day"
                            } else {
                                "bar"
                            };
                            if moved {
                                format!(" (as of {shown}, the last {bar} before {})", asked(d, time))
                            } else {
                                format!(" (as of {shown})")
                            }
                        }
                        _ => format!(" (as of {shown})"),
                    };
                    // Daily data holds no value at a time of day: the value of the day
                    // asked is the one at its close, not known yet at the time asked.
                    let asked = match (when, resolution) {
                        (When::At(d, Some(t)), Resolution::Day) if d == day => format!(
                            "{}; daily data: the value at the day's close, not known at {})",
                            asked.trim_end_matches(')'),
                            time_of(t)
                        ),
                        _ => asked,
                    };
                    format!("{}{asked}\n", show(values[i], condition))
                }
                None if ts.is_empty() => format!("n/a ({NO_PRICES})\n"),
                None => "n/a (no data yet on that date)\n".into(),
            }
        }
        When::Between(from, to) => {
            let lo = from.map_or(i32::MIN, crate::engine::days_of);
            let hi = to.map_or(i32::MAX, crate::engine::days_of);
            let rows: Vec<usize> = (0..days.len()).filter(|&i| days[i] >= lo && days[i] <= hi).collect();
            if ts.is_empty() {
                return format!("{NO_PRICES}\n");
            }
            if rows.is_empty() {
                return format!("no {bars} in that period\n");
            }
            let mut out = String::new();
            let picked = sample(rows.len(), MAX_ROWS);
            if picked.len() < rows.len() {
                out.push_str(&format!("{} of {} {bars}, evenly spaced\n", picked.len(), rows.len()));
            }
            for k in picked {
                let i = rows[k];
                out.push_str(&format!(
                    "{}  {:>12}\n",
                    resolution.format(ts[i]),
                    show(values[i], condition)
                ));
            }
            let series: Vec<f64> = rows.iter().map(|&i| values[i]).collect();
            let line = sparkline(&series, SPARK_WIDTH);
            if !line.is_empty() {
                out.push_str(&line);
                out.push('\n');
            }
            out
        }
    }
}

/// ` (observed 2024-02-15)`, ` (observed 2024-02-15, 15 days before 2024-03-01)`, with
/// `: stale …` when it is.
fn observed(s: &Seen, shown: NaiveDate) -> String {
    let age = (shown - s.observed).num_days();
    let mut out = format!(" (observed {}", s.observed);
    if age != 0 {
        out.push_str(&format!(
            ", {age} {} before {shown}",
            if age == 1 { "day" } else { "days" }
        ));
    }
    if let Some(stale) = &s.stale {
        out.push_str(&format!(": {stale}"));
    }
    out.push(')');
    out
}

/// At most `max` indices of `0..n`, evenly spaced, always including the first and last.
pub fn sample(n: usize, max: usize) -> Vec<usize> {
    if n <= max {
        return (0..n).collect();
    }
    if max < 2 {
        return vec![n - 1];
    }
    (0..max).map(|k| k * (n - 1) / (max - 1)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        date(s).expect("test dates are valid")
    }

    #[test]
    fn suffixes_are_split_off() {
        let q = split("fed_cut_prob @ 2024-09-16", 0).expect("parses");
        assert_eq!(
            q,
            Query {
                expr: 0..13,
                when: When::At(d("2024-09-16"), None)
            }
        );
        let q = split("close(MIN) @ 2024-03-05 11:07", 0).expect("parses");
        assert_eq!(q.when, When::At(d("2024-03-05"), NaiveTime::from_hms_opt(11, 7, 0)));
        let q = split("close(MIN) @ 2024-03-05T11:07:30", 0).expect("parses");
        assert_eq!(q.when, When::At(d("2024-03-05"), NaiveTime::from_hms_opt(11, 7, 30)));
        assert!(matches!(
            split("IWO @ 2024-03-05 25:00", 0),
            Err(ReplError::Usage { .. })
        ));
        let q = split("sma(IWO, 50 days) @ last", 0).expect("parses");
        assert_eq!(q.when, When::Last);
        let q = split("close(IWO) from 2024-01-01 to 2024-03-01", 0).expect("parses");
        assert_eq!(q.expr, 0..11);
        assert_eq!(q.when, When::Between(Some(d("2024-01-01")), Some(d("2024-03-01"))));
        let q = split("IWO to 2024-03-01", 0).expect("parses");
        assert_eq!(
            q,
            Query {
                expr: 0..4,
                when: When::Between(None, Some(d("2024-03-01")))
            }
        );
        // Without a date after `from`, the whole input is the expression (and the parser
        // will say what is wrong with it).
        let q = split("IWO from x", 0).expect("parses");
        assert_eq!(
            q,
            Query {
                expr: 0..10,
                when: When::Last
            }
        );
        assert!(matches!(split("IWO @ yesterday", 0), Err(ReplError::Usage { .. })));
    }

    #[test]
    fn values_as_of_a_date() {
        // Days 100, 101, 104 (a weekend gap); asking for 103 gives day 101's value.
        let days = [100, 101, 104];
        let ts = days.map(|d| i64::from(d) * 86_400);
        let values = [f64::NAN, 2.5, 3.0];
        let asked = date_of(103);
        let out = answer(&ts, &days, &values, When::At(asked, None), false, &|_| None);
        assert_eq!(
            out,
            format!("2.5 (as of {}, the last trading day before {asked})\n", date_of(101))
        );
        // A time on daily data asks for that day's bar, and says its value is the close's.
        let noon = NaiveTime::from_hms_opt(12, 0, 0);
        let out = answer(&ts, &days, &values, When::At(date_of(101), noon), false, &|_| None);
        assert_eq!(
            out,
            format!(
                "2.5 (as of {}; daily data: the value at the day's close, not known at 12:00)\n",
                date_of(101)
            )
        );
        // On a day without a bar, the close of the day before, known by then.
        let out = answer(&ts, &days, &values, When::At(asked, noon), false, &|_| None);
        assert_eq!(
            out,
            format!(
                "2.5 (as of {}, the last trading day before {asked} 12:00)\n",
                date_of(101)
            )
        );
        assert_eq!(
            answer(&ts, &days, &values, When::At(date_of(100), None), false, &|_| None)
                .split(' ')
                .next(),
            Some("n/a")
        );
        assert!(answer(&ts, &days, &values, When::At(date_of(99), None), false, &|_| None).starts_with("n/a"));
        assert!(answer(&ts, &days, &values, When::Last, true, &|_| None).starts_with("true"));
    }

    #[test]
    fn long_ranges_are_sampled_evenly() {
        assert_eq!(sample(5, 20), vec![0, 1, 2, 3, 4]);
        // 0..=100 in 20 steps: k·100/19, rounded down.
        let s = sample(101, 20);
        assert_eq!(s.len(), 20);
        assert_eq!((s[0], s[1], s[19]), (0, 5, 100));
        let days: Vec<i32> = (0..50).collect();
        let ts: Vec<i64> = (0..50).map(|d| d * 86_400).collect();
        let values: Vec<f64> = (0..50).map(f64::from).collect();
        let out = answer(&ts, &days, &values, When::Between(None, None), false, &|_| None);
        // A header, 20 rows and the sparkline.
        assert_eq!(out.lines().count(), 22, "{out}");
    }

    #[test]
    fn numbers_print_short() {
        assert_eq!(show(0.85, false), "0.85");
        assert_eq!(show(123.456789, false), "123.4568");
        assert_eq!(show(2.0, false), "2");
        assert_eq!(show(f64::NAN, true), "n/a");
        assert_eq!(show(0.0, true), "false");
    }
}
