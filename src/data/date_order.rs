//! Deciding, per file, whether `01/02/2024` is 1 February or 2 January.
//!
//! A file is read one way throughout, decided from all of its year-last dates: a reading
//! under which some date is no day at all (`13/02/2024` month-first) is impossible; of two
//! possible readings, the one that puts a price file's rows on weekends, makes the rows
//! jump back and forth, or makes the steps between them jump from days to months, is
//! wrong. When both readings are equally plausible (`01/02/2024`, `01/03/2024` could be
//! the first of each month or three days in January) rotor asks: `dates day-first` or
//! `dates month-first` on the `data` line.

use std::collections::HashMap;
use std::ops::Range;

use chrono::{Datelike, NaiveDate, Weekday};

use super::date::{DateOrder, SECONDS_PER_DAY, YearLast};
use super::record::{Field, Records};

/// How a file's year-last dates are read, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Decision {
    pub order: DateOrder,
    pub why: Why,
    /// A date of the file that reads differently the other way, for the note.
    pub example: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Why {
    /// The other order makes some date no day, such as this one.
    Impossible(String),
    /// The other order is implausible: it puts rows on weekends, out of order, or makes
    /// the steps between them jump.
    Implausible,
}

/// Why a file's dates cannot be read one way.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Undecided {
    /// Both orders read every date, equally plausibly; `span` is the first date that
    /// differs between them.
    Ambiguous { span: Range<usize> },
    /// Some dates are days only day-first, others only month-first.
    Mixed {
        day_first: Range<usize>,
        month_first: Range<usize>,
    },
}

/// Where the dates are in a file, and what kind of file it is.
pub(crate) struct DateColumns {
    pub data_start: usize,
    pub delimiter: u8,
    pub date: usize,
    /// The symbol column of a long price file: each symbol's dates run on their own.
    pub symbol: Option<usize>,
    /// Price files hold trading days, which are never on weekends.
    pub prices: bool,
}

/// Decides the order of the year-last dates in `text`.
pub(crate) fn decide(text: &str, columns: &DateColumns) -> Result<Decision, Undecided> {
    let mut records = Records::new(text, columns.data_start, columns.delimiter);
    let mut fields: Vec<Field> = Vec::new();
    // Each history's year-last dates in file order, with their spans.
    let mut histories: HashMap<String, Vec<(YearLast, Range<usize>)>> = HashMap::new();
    let mut first_differing: Option<Range<usize>> = None;
    let mut only_day_first: Option<Range<usize>> = None;
    let mut only_month_first: Option<Range<usize>> = None;
    while let Some(Ok(_)) = records.next_record(&mut fields) {
        let Some(field) = fields.get(columns.date) else {
            continue;
        };
        let Some(date) = YearLast::parse(&field.value(text)) else {
            continue;
        };
        let span = field.span.clone();
        match (
            date.timestamp(DateOrder::DayFirst),
            date.timestamp(DateOrder::MonthFirst),
        ) {
            (Some(a), Some(b)) if a != b => first_differing = first_differing.or(Some(span.clone())),
            (Some(_), None) => only_day_first = only_day_first.or(Some(span.clone())),
            (None, Some(_)) => only_month_first = only_month_first.or(Some(span.clone())),
            _ => {}
        }
        let symbol = columns
            .symbol
            .and_then(|c| fields.get(c))
            .map(|f| f.value(text).into_owned());
        histories
            .entry(symbol.unwrap_or_default())
            .or_default()
            .push((date, span));
    }
    let example = |span: &Option<Range<usize>>| {
        span.as_ref()
            .map(|s| text[s.clone()].trim().trim_matches('"').to_owned())
    };
    match (&only_day_first, &only_month_first) {
        (Some(day_first), Some(month_first)) => {
            return Err(Undecided::Mixed {
                day_first: day_first.clone(),
                month_first: month_first.clone(),
            });
        }
        (Some(_), None) => {
            return Ok(Decision {
                order: DateOrder::DayFirst,
                why: Why::Impossible(example(&only_day_first).unwrap_or_default()),
                example: example(&first_differing),
            });
        }
        (None, Some(_)) => {
            return Ok(Decision {
                order: DateOrder::MonthFirst,
                why: Why::Impossible(example(&only_month_first).unwrap_or_default()),
                example: example(&first_differing),
            });
        }
        (None, None) => {}
    }
    let Some(span) = first_differing else {
        // Every date reads the same both ways (`05/05/2024`): nothing to decide.
        return Ok(Decision {
            order: DateOrder::DayFirst,
            why: Why::Implausible,
            example: None,
        });
    };
    let faults = |order| {
        histories
            .values()
            .map(|dates| faults(dates, order, columns.prices))
            .sum::<usize>()
    };
    let (day_first, month_first) = (faults(DateOrder::DayFirst), faults(DateOrder::MonthFirst));
    // One reading wins only by a clear margin: a file whose both readings have faults
    // (a stray weekend row, a long halt) is asked about rather than guessed.
    let clearly = |better: usize, worse: usize| worse > 2 * better;
    let order = if clearly(day_first, month_first) {
        DateOrder::DayFirst
    } else if clearly(month_first, day_first) {
        DateOrder::MonthFirst
    } else {
        return Err(Undecided::Ambiguous { span });
    };
    Ok(Decision {
        order,
        why: Why::Implausible,
        example: Some(text[span].trim().trim_matches('"').to_owned()),
    })
}

/// How many things are wrong with one history's dates read in `order`: rows on weekends
/// (price files only: a daily series such as FRED's DFF has weekend rows), turns between
/// running forward and backward, and steps that do not fit the history's usual spacing.
fn faults(dates: &[(YearLast, Range<usize>)], order: DateOrder, prices: bool) -> usize {
    let days: Vec<i64> = dates
        .iter()
        .filter_map(|(d, _)| d.timestamp(order))
        .map(|ts| ts / SECONDS_PER_DAY)
        .collect();
    let weekends = if prices {
        days.iter().filter(|&&d| is_weekend(d)).count()
    } else {
        0
    };
    let steps: Vec<i64> = days.windows(2).map(|w| w[1] - w[0]).filter(|&s| s != 0).collect();
    let turns = steps.windows(2).filter(|w| (w[0] > 0) != (w[1] > 0)).count();
    let classes: Vec<Option<Spacing>> = steps.iter().map(|s| Spacing::of(s.unsigned_abs())).collect();
    let usual = [Spacing::Days, Spacing::Month, Spacing::Quarter, Spacing::Year]
        .into_iter()
        .max_by_key(|&c| classes.iter().filter(|&&k| k == Some(c)).count());
    let irregular = classes.iter().filter(|&&k| k.is_none() || k != usual).count();
    weekends + turns + irregular
}

/// The spacing of two consecutive rows, in the classes data comes in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Spacing {
    /// Daily or weekly rows, with holidays (up to ten days).
    Days,
    Month,
    Quarter,
    Year,
}

impl Spacing {
    fn of(days: u64) -> Option<Spacing> {
        match days {
            1..=10 => Some(Spacing::Days),
            25..=35 => Some(Spacing::Month),
            85..=95 => Some(Spacing::Quarter),
            360..=370 => Some(Spacing::Year),
            _ => None,
        }
    }
}

fn is_weekend(day: i64) -> bool {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).expect("a valid date");
    epoch
        .checked_add_signed(chrono::Duration::days(day))
        .is_some_and(|d| matches!(d.weekday(), Weekday::Sat | Weekday::Sun))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decide_dates(dates: &[&str], prices: bool) -> Result<Decision, Undecided> {
        let text = format!(
            "Date,Close\n{}",
            dates.iter().map(|d| format!("{d},1\n")).collect::<String>()
        );
        let columns = DateColumns {
            data_start: "Date,Close\n".len(),
            delimiter: b',',
            date: 0,
            symbol: None,
            prices,
        };
        decide(&text, &columns)
    }

    fn order(dates: &[&str], prices: bool) -> Option<DateOrder> {
        decide_dates(dates, prices).ok().map(|d| d.order)
    }

    #[test]
    fn an_impossible_date_decides() {
        let decision = decide_dates(&["01/02/2024", "13/02/2024"], true).expect("decided");
        assert_eq!(decision.order, DateOrder::DayFirst);
        assert_eq!(decision.why, Why::Impossible("13/02/2024".into()));
        assert_eq!(decision.example.as_deref(), Some("01/02/2024"));
        assert_eq!(order(&["02/13/2024", "02/14/2024"], true), Some(DateOrder::MonthFirst));
    }

    #[test]
    fn both_orders_impossible_is_mixed() {
        let result = decide_dates(&["13/02/2024", "02/14/2024"], true);
        assert!(matches!(result, Err(Undecided::Mixed { .. })), "{result:?}");
    }

    #[test]
    fn daily_rows_do_not_jump_by_months() {
        // 1, 2 and 5 February 2024 (Thursday, Friday, Monday); month-first they would be
        // 2 January, 2 February and 2 May: steps of a month, then of three.
        assert_eq!(
            order(&["01/02/2024", "02/02/2024", "05/02/2024"], true),
            Some(DateOrder::DayFirst)
        );
        // The same days written month-first.
        assert_eq!(
            order(&["02/01/2024", "02/02/2024", "02/05/2024"], true),
            Some(DateOrder::MonthFirst)
        );
    }

    #[test]
    fn trading_days_are_not_weekends() {
        // Day-first: Monday 5 to Friday 9 February 2024; month-first: the 2nd of May to
        // September, a month apart, but 2 June 2024 is a Sunday.
        assert_eq!(
            order(
                &["05/02/2024", "06/02/2024", "07/02/2024", "08/02/2024", "09/02/2024"],
                true
            ),
            Some(DateOrder::DayFirst)
        );
    }

    #[test]
    fn newest_first_rows() {
        // Day-first: 12, 9 and 8 February; month-first: 2 December, 2 September, 2 August,
        // steps of three months and then one.
        assert_eq!(
            order(&["12/02/2024", "09/02/2024", "08/02/2024"], true),
            Some(DateOrder::DayFirst)
        );
    }

    #[test]
    fn the_first_of_each_month_or_three_days_in_january_is_ambiguous() {
        let result = decide_dates(&["01/02/2024", "01/03/2024", "01/04/2024"], false);
        let Err(Undecided::Ambiguous { span }) = result else {
            panic!("expected ambiguous, got {result:?}")
        };
        assert_eq!(span, 11..21, "the first date");
    }

    #[test]
    fn dates_the_same_either_way_need_no_decision() {
        let decision = decide_dates(&["05/05/2024", "06/06/2024"], true).expect("nothing to decide");
        assert_eq!(decision.example, None);
    }
}
