//! Stale series values: a value read long after it was observed, such as a FedWatch file
//! that ended in August still deciding monthly buys the next July.
//!
//! A value's age on a day is the calendar days since it became visible (its observation's
//! date, plus any `lag`). Without a `stale after` line a value is stale once older than
//! [`FACTOR`] × its series' usual spacing (the median number of days between consecutive
//! observations) and at least [`MIN_DAYS`]: it is still used, and the report says how often
//! ([`StaleUse`]). With `stale after N days` (for every series, or `stale SERIES after …`
//! for one) such values are not available ([`expire`]), as a value before a series' first
//! observation is.

use chrono::{Months, NaiveDate};

use super::frame::{Frame, NOT_OBSERVED, date_of, days_of, delayed};
use super::run::schedule;
use crate::check::{Action, Program, SeriesLag, StaleAfter, Term};
use crate::data::{DataSet, SeriesHistory, day_of};

/// A value is stale once older than this many times its series' usual spacing…
pub const FACTOR: f64 = 3.0;
/// …and at least this many days old: a daily series is not stale over a long weekend.
pub const MIN_DAYS: i64 = 7;

/// How old a series' value may be.
#[derive(Clone, Debug, PartialEq)]
pub enum Limit {
    /// `stale after …`: older values are not available.
    Declared { days: i32, months: i32 },
    /// No line: [`FACTOR`] × the usual `spacing` (days), at least [`MIN_DAYS`]: older
    /// values are reported, and used.
    Usual { spacing: f64, days: i64 },
}

impl Limit {
    /// Whether a value visible since day `visible` is stale on day `day` (days since 1970).
    pub fn exceeded(&self, visible: i32, day: i32) -> bool {
        match *self {
            Limit::Usual { days, .. } => i64::from(day - visible) > days,
            Limit::Declared { days, months } => {
                let end = date_of(visible).checked_add_months(Months::new(months.max(0) as u32));
                end.is_none_or(|end| day > days_of(end) + days)
            }
        }
    }
}

/// The limit for series `name`: its own `stale` line, else the line for every series, else
/// the usual spacing of `history`; `None` when there is no line and `history` has fewer
/// than two observations to tell a spacing from.
pub fn limit(program: &Program, name: &str, history: &SeriesHistory) -> Option<Limit> {
    match declared(&program.stale, name) {
        Some(s) => Some(Limit::Declared {
            days: s.days,
            months: s.months,
        }),
        None => usual_spacing(history).map(|spacing| Limit::Usual {
            spacing,
            days: ((FACTOR * spacing).ceil() as i64).max(MIN_DAYS),
        }),
    }
}

fn declared<'p>(stale: &'p [StaleAfter], name: &str) -> Option<&'p StaleAfter> {
    let own = stale.iter().find(|s| s.series.as_deref() == Some(name));
    own.or_else(|| stale.iter().find(|s| s.series.is_none()))
}

/// The median number of calendar days between consecutive observations (distinct days:
/// a derived series' points that carry the same observation count once; points without a
/// value carry none).
pub fn usual_spacing(history: &SeriesHistory) -> Option<f64> {
    let mut days: Vec<i32> = (0..history.len())
        .filter(|&j| !history.values[j].is_nan())
        .map(|j| day_of(history.observed_at(j)))
        .collect();
    days.sort_unstable();
    days.dedup();
    let mut gaps: Vec<i32> = days.windows(2).map(|w| w[1] - w[0]).collect();
    if gaps.is_empty() {
        return None;
    }
    gaps.sort_unstable();
    let n = gaps.len();
    Some(if n % 2 == 1 {
        f64::from(gaps[n / 2])
    } else {
        f64::from(gaps[n / 2 - 1] + gaps[n / 2]) / 2.0
    })
}

/// The day a value observed on day `observed` became visible, after the series' `lag`.
fn visible(observed: i32, lag: Option<&SeriesLag>) -> i32 {
    match lag {
        Some(lag) => days_of(delayed(date_of(observed), lag)),
        None => observed,
    }
}

/// Makes the values older than a `stale after` line (`stale`) allows not available; `lags`
/// say when each series' observations became visible.
pub fn expire(frame: &mut Frame, stale: &[StaleAfter], lags: &[SeriesLag]) {
    if stale.is_empty() {
        return;
    }
    for (i, (name, values)) in frame.series.iter_mut().enumerate() {
        let Some(s) = declared(stale, name) else {
            continue;
        };
        let limit = Limit::Declared {
            days: s.days,
            months: s.months,
        };
        let lag = lags.iter().find(|l| &l.series == name);
        for (t, v) in values.iter_mut().enumerate() {
            let o = frame.observed[i][t];
            if o != NOT_OBSERVED && limit.exceeded(visible(o, lag), frame.days[t]) {
                *v = f64::NAN;
            }
        }
    }
}

/// A series whose stale values a run read.
#[derive(Clone, Debug, PartialEq)]
pub struct StaleUse {
    pub series: String,
    /// The observation behind the last stale value read.
    pub last_observed: NaiveDate,
    /// How many rule checks read a stale value of it (or, for a series no rule reads —
    /// an exchange rate, a risk-free rate — how many bars).
    pub uses: usize,
    /// Whether `uses` counts rule checks (true) or bars.
    pub decisions: bool,
    /// The day of the last of them.
    pub until: NaiveDate,
    pub limit: Limit,
}

/// The series of `frame` that a run of `program` from bar `start` read stale values of
/// (the warm-up before `start` decides nothing and holds no rate to convert).
pub fn stale_uses(program: &Program, frame: &Frame, start: usize, data: &DataSet) -> Vec<StaleUse> {
    let checks = rule_checks(program, frame, start);
    let mut out = Vec::new();
    for (i, (name, _)) in frame.series.iter().enumerate() {
        let Some(limit) = data.series(name).and_then(|h| limit(program, name, h)) else {
            continue;
        };
        let lag = program.lags.iter().find(|l| &l.series == name);
        let own: Vec<&Vec<bool>> = checks.iter().filter(|(n, _)| n == name).map(|(_, c)| c).collect();
        let decisions = !own.is_empty();
        let (mut uses, mut last) = (0, None);
        for t in start..frame.len() {
            let o = frame.observed[i][t];
            if o == NOT_OBSERVED || !limit.exceeded(visible(o, lag), frame.days[t]) {
                continue;
            }
            let n = if decisions {
                own.iter().filter(|c| c[t]).count()
            } else {
                1
            };
            if n > 0 {
                uses += n;
                last = Some((o, frame.days[t]));
            }
        }
        if let Some((o, day)) = last {
            out.push(StaleUse {
                series: name.clone(),
                last_observed: date_of(o),
                uses,
                decisions,
                until: date_of(day),
                limit,
            });
        }
    }
    out
}

/// For each rule and each series it reads (in its guards, its ranking or its `hold`
/// condition, and the `let`s
/// those read): the series' name and the bars the rule is checked on in a run from bar
/// `start`.
fn rule_checks(program: &Program, frame: &Frame, start: usize) -> Vec<(String, Vec<bool>)> {
    let mut out = Vec::new();
    for rule in &program.rules {
        let names = names_read(program, rule);
        if names.is_empty() {
            continue;
        }
        let fires = match &rule.schedule {
            Some(s) => schedule(s, frame, start),
            None => vec![true; frame.len()],
        };
        out.extend(names.into_iter().map(|n| (n.to_string(), fires.clone())));
    }
    out
}

/// The names (series and data) `rule` reads in its guards, its ranking, its `hold`
/// condition or its computed amount, and in the `let`s those read; sorted, each once.
fn names_read<'p>(program: &'p Program, rule: &'p crate::check::Rule) -> Vec<&'p str> {
    let mut terms: Vec<&Term> = rule.guards.iter().map(|g| &g.condition).collect();
    match &rule.action {
        Action::Hold { condition, .. } => terms.push(condition),
        Action::Rotate { by, .. } | Action::Weighted { by, .. } => terms.push(by),
        Action::Trade {
            computed: Some(amount), ..
        } => terms.push(amount),
        _ => {}
    }
    let lets: Vec<usize> = terms.iter().flat_map(|t| program.lets_read(t, |_| false)).collect();
    terms.extend(lets.iter().map(|&i| &program.lets[i].value));
    let mut names: Vec<&str> = terms
        .iter()
        .flat_map(|t| t.walk())
        .filter_map(|t| match t {
            Term::Series(n) | Term::Data(n) => Some(n.as_str()),
            _ => None,
        })
        .collect();
    names.sort_unstable();
    names.dedup();
    names
}

/// A series observed about monthly or more rarely: its figures (unemployment, inflation)
/// are usually published weeks after the date they are for.
pub const COARSE_SPACING_DAYS: f64 = 28.0;

/// A series observed about weekly (a usual spacing of 5 to 10 days, as the report tells
/// weekly bars): its figures (weekly claims) are usually published days after their week.
pub const WEEKLY_SPACING_DAYS: std::ops::RangeInclusive<f64> = 5.0..=10.0;

/// A series that rules read with no `lag` line, each value used from its own date, which
/// for a published statistic is before anyone knew it: one whose publication delay is
/// known ([`super::release`]), or one observed weekly or [`COARSE_SPACING_DAYS`] or more
/// apart. The run cannot know the delay of the others; the report says so.
#[derive(Clone, Debug, PartialEq)]
pub struct Unlagged {
    pub series: String,
    /// The usual spacing of its observations, in days.
    pub spacing: f64,
    /// Its publisher's calendar, when known by its code.
    pub release: Option<&'static super::release::Release>,
}

/// The series of `data` that `program`'s rules read (in guards, rankings, `hold`
/// conditions and computed amounts, through `let`s too) with no `lag` line, whose delay is
/// known or whose usual spacing is weekly or [`COARSE_SPACING_DAYS`] or more; sorted by
/// name.
pub fn unlagged(program: &Program, data: &DataSet) -> Vec<Unlagged> {
    let mut names: Vec<&str> = program.rules.iter().flat_map(|r| names_read(program, r)).collect();
    names.sort_unstable();
    names.dedup();
    names
        .into_iter()
        .filter(|name| !program.lags.iter().any(|l| l.series == *name))
        .filter_map(|name| {
            let history = data.series(name)?;
            let spacing = usual_spacing(history)?;
            let release = super::release::known(name, &history.file);
            let told = release.is_some() || spacing >= COARSE_SPACING_DAYS || WEEKLY_SPACING_DAYS.contains(&spacing);
            told.then(|| Unlagged {
                series: name.to_string(),
                spacing,
                release,
            })
        })
        .collect()
}

/// What the REPL shows beside a series' value: when the observation behind it was made,
/// and whether it is stale on the day shown.
#[derive(Clone, Debug, PartialEq)]
pub struct Observation {
    pub observed: NaiveDate,
    /// The limit it is past, if it is stale.
    pub stale: Option<Limit>,
}

/// The observation behind series `name`'s value on `day` as `program` reads it (with its
/// `lag`), or `None` before its first visible observation.
pub fn observation(program: &Program, data: &DataSet, name: &str, day: NaiveDate) -> Option<Observation> {
    let history = data.series(name)?;
    let lag = program.lags.iter().find(|l| l.series == name);
    let ts = i64::from(days_of(day)) * 86_400 + 86_399;
    let observed = super::frame::as_of(history, &[ts], lag).observed;
    let o = *observed.first().filter(|&&o| o != NOT_OBSERVED)?;
    let stale = limit(program, name, history).filter(|l| l.exceeded(visible(o, lag), days_of(day)));
    Some(Observation {
        observed: date_of(o),
        stale,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn history(days: &[i32]) -> SeriesHistory {
        SeriesHistory {
            name: "x".into(),
            file: "x.csv".into(),
            ts: days.iter().map(|&d| i64::from(d) * 86_400).collect(),
            values: vec![1.0; days.len()],
            observed: None,
        }
    }

    #[test]
    fn the_usual_spacing_is_the_median_gap() {
        // Weekdays: gaps 1, 1, 1, 1, 3 → 1. Monthly: 31, 29, 31 → 31.
        assert_eq!(usual_spacing(&history(&[0, 1, 2, 3, 4, 7])), Some(1.0));
        assert_eq!(usual_spacing(&history(&[0, 31, 60, 91])), Some(31.0));
        assert_eq!(usual_spacing(&history(&[0, 10, 30, 40])), Some(10.0));
        assert_eq!(usual_spacing(&history(&[5])), None);
        // A derived series: five points, two observations 7 days apart.
        let mut h = history(&[0, 1, 2, 3, 4]);
        h.observed = Some(vec![0, 0, 0, 7 * 86_400, 7 * 86_400]);
        assert_eq!(usual_spacing(&h), Some(7.0));
    }

    #[test]
    fn limits_in_days_and_calendar_months() {
        let daily = Limit::Usual { spacing: 1.0, days: 7 };
        assert!(!daily.exceeded(100, 107) && daily.exceeded(100, 108));
        // 2024-01-31 + 1 month is 2024-02-29 (chrono clamps): stale from 03-01.
        let jan31 = days_of(NaiveDate::from_ymd_opt(2024, 1, 31).expect("a date"));
        let feb29 = days_of(NaiveDate::from_ymd_opt(2024, 2, 29).expect("a date"));
        let month = Limit::Declared { days: 0, months: 1 };
        assert!(!month.exceeded(jan31, feb29) && month.exceeded(jan31, feb29 + 1));
        let thirty = Limit::Declared { days: 30, months: 0 };
        assert!(!thirty.exceeded(0, 30) && thirty.exceeded(0, 31));
    }
}
