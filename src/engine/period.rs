//! What became of the period asked for (the command line's `--from`/`--to` over the file's
//! `from`/`to`): the run starts on the first trading day on or after `from` on which a
//! traded symbol has a price (a benchmark's prices never start it) and ends on the last on
//! or before `to`. Anything that moves it further — prices that start after `from`
//! or end before `to`, an exchange rate known only later than the prices start — is a fact
//! the report states; a `from` given explicitly that the exchange rate cannot honour is an
//! error, since a run that silently starts later is not the run asked for.

use chrono::NaiveDate;

use super::error::RunError;
use super::frame::{Frame, date_of, day_of, days_of};
use super::{FrameSpec, Program};
use crate::data::DataSet;

/// A way the run's period differs from the one asked for.
#[derive(Clone, Debug, PartialEq)]
pub enum PeriodFact {
    /// The traded symbols' prices start on `start`, after `asked` (`from`).
    PricesStartLate { start: NaiveDate, asked: NaiveDate },
    /// The traded symbols' prices end on `end`, before `asked` (`to`).
    PricesEndEarly { end: NaiveDate, asked: NaiveDate },
    /// No `from` was given, and the run starts on `start`, the first trading day with an
    /// exchange rate (`series`, `code` per USD), after the prices start on `prices`.
    RateStartsLate {
        start: NaiveDate,
        series: String,
        code: String,
        prices: NaiveDate,
    },
}

/// The facts about the period of a run of `program` on `frame` (built from `spec`) from bar
/// `start` (the bars before it are warm-up); an error when an explicit `from` falls before
/// the exchange rate is known.
pub(super) fn facts(
    program: &Program,
    spec: &FrameSpec,
    frame: &Frame,
    start: usize,
    data: &DataSet,
) -> Result<Vec<PeriodFact>, RunError> {
    let mut out = Vec::new();
    // The strategy's own symbols: the benchmark's rows do not start the run (`start`).
    let names = match spec.traded {
        0 => &spec.calendar[..],
        n => &spec.calendar[..n],
    };
    let calendar: Vec<&[i64]> = names.iter().filter_map(|s| data.price(s)).map(|p| &p.ts[..]).collect();
    let first = calendar.iter().filter_map(|ts| ts.first()).min().map(|&t| day_of(t));
    let last = calendar.iter().filter_map(|ts| ts.last()).max().map(|&t| day_of(t));
    if let (Some(asked), Some(first)) = (spec.from, first)
        && first > days_of(asked)
    {
        out.push(PeriodFact::PricesStartLate {
            start: date_of(first),
            asked,
        });
    }
    if let (Some(asked), Some(last)) = (spec.to, last)
        && last < days_of(asked)
    {
        out.push(PeriodFact::PricesEndEarly {
            end: date_of(last),
            asked,
        });
    }
    // The prices' first trading day in the period, against the run's (which starts once
    // the exchange rate is known).
    let from = spec.from.map_or(i32::MIN, days_of);
    let prices_start = calendar
        .iter()
        .filter_map(|ts| ts.get(ts.partition_point(|&t| day_of(t) < from)))
        .min()
        .map(|&t| day_of(t));
    if let (Some(currency), Some(prices), Some(&begins)) = (&program.currency, prices_start, frame.days.get(start))
        && begins > prices
    {
        if let Some(asked) = spec.from {
            return Err(RunError::PeriodNotCovered {
                from: asked.to_string(),
                series: currency.rate_series.clone(),
                code: currency.code.clone(),
                known: date_of(begins).to_string(),
                span: currency.span,
            });
        }
        out.push(PeriodFact::RateStartsLate {
            start: date_of(begins),
            series: currency.rate_series.clone(),
            code: currency.code.clone(),
            prices: date_of(prices),
        });
    }
    Ok(out)
}
