//! Stretches of trading days a price file has no rows for: a daily file with months cut
//! out of it would otherwise be read without a word, a run carrying the last price across
//! the hole and orders for the symbol waiting for the next row.
//!
//! A day counts as missing when the symbol's own exchange ([`Exchange::of_symbol`]: KRX for
//! Korean listings, NYSE otherwise) traded that day by its calendar. A stretch is noted
//! from [`MIN_MISSING`] missing trading days on: a vendor that drops a day or two is common
//! and harmless, a whole week or more is not. Files whose bars are weekly or rarer (more
//! than half of the steps between their days are over a week) and intraday files are not
//! looked at.

use chrono::{Duration, NaiveDate};

use super::date::{SECONDS_PER_DAY, day_of};
use crate::calendar::Exchange;

/// A stretch is noted from this many missing trading days: a full trading week.
pub const MIN_MISSING: usize = 5;

/// A stretch without rows: its first and last missing trading days, and how many there are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Gap {
    pub first: NaiveDate,
    pub last: NaiveDate,
    pub days: usize,
}

/// The stretches of `symbol`'s timestamps `ts` (in time order) with [`MIN_MISSING`] or
/// more trading days of its exchange and no row.
pub fn gaps(symbol: &str, ts: &[i64]) -> Vec<Gap> {
    if ts.len() < 2 || ts[1] - ts[0] < SECONDS_PER_DAY {
        // Intraday bars (or too few to tell).
        return Vec::new();
    }
    // Five missing weekdays need at least eight days between two rows: only such steps
    // are looked at with the calendar, once the file is known to be daily.
    let wide: Vec<usize> = (1..ts.len())
        .filter(|&i| ts[i] - ts[i - 1] > 7 * SECONDS_PER_DAY)
        .collect();
    if wide.is_empty() || 2 * wide.len() > ts.len() - 1 {
        return Vec::new();
    }
    let exchange = Exchange::of_symbol(symbol);
    // NaiveDate's default is 1970-01-01, day 0.
    let date = |ts: i64| NaiveDate::default() + Duration::days(i64::from(day_of(ts)));
    wide.into_iter()
        .filter_map(|i| {
            let (from, to) = (date(ts[i - 1]), date(ts[i]));
            let missing: Vec<NaiveDate> = (from.iter_days().skip(1))
                .take_while(|d| *d < to)
                .filter(|d| exchange.is_trading_day(*d))
                .collect();
            (missing.len() >= MIN_MISSING).then(|| Gap {
                first: missing[0],
                last: missing[missing.len() - 1],
                days: missing.len(),
            })
        })
        .collect()
}

/// The note for `symbol`'s gaps in file `name`, or `None` without any.
pub fn note(name: &str, symbol: &str, gaps: &[Gap]) -> Option<String> {
    const SHOWN: usize = 3;
    let total: usize = gaps.iter().map(|g| g.days).sum();
    let exchange = Exchange::of_symbol(symbol).name();
    let stretches: Vec<String> = (gaps.iter().take(SHOWN))
        .map(|g| format!("{} to {} ({} days)", g.first, g.last, g.days))
        .collect();
    let more = match gaps.len().saturating_sub(SHOWN) {
        0 => String::new(),
        n => format!(" and {n} more"),
    };
    let (&first, _) = gaps.split_first()?;
    let where_ = if gaps.len() == 1 {
        format!("from {} to {}", first.first, first.last)
    } else {
        format!("in {} stretches: {}{more}", gaps.len(), stretches.join(", "))
    };
    Some(format!(
        "{name}: {symbol} has no rows on {} {exchange} trading days, {where_}; a run values \
         {symbol} at its last price before each stretch, and its orders wait for the next row",
        crate::display::group_digits(&total.to_string())
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(dates: &[&str]) -> Vec<i64> {
        (dates.iter())
            .map(|d| {
                let date: NaiveDate = d.parse().expect("a date");
                (date - NaiveDate::default()).num_days() * SECONDS_PER_DAY
            })
            .collect()
    }

    #[test]
    fn gaps_count_the_exchange_s_trading_days() {
        // 2019-01-04 … 01-31 on NYSE: 20 weekdays less Martin Luther King Day.
        let found = gaps("AAA", &ts(&["2019-01-02", "2019-01-03", "2019-02-01", "2019-02-04"]));
        let day = |s: &str| s.parse::<NaiveDate>().expect("a date");
        assert_eq!(
            found,
            vec![Gap {
                first: day("2019-01-04"),
                last: day("2019-01-31"),
                days: 19
            }]
        );
        // Monthly bars are no gaps; nor are four missing days.
        assert!(gaps("AAA", &ts(&["2019-01-02", "2019-02-01", "2019-03-01"])).is_empty());
        assert!(gaps("AAA", &ts(&["2019-01-04", "2019-01-11", "2019-01-14"])).is_empty());
        // KRX's Lunar New Year (2019-02-04 … 02-06) is a holiday, not a gap; the rest of
        // the week and the next are.
        let krx = gaps("069500", &ts(&["2019-02-01", "2019-02-18", "2019-02-19"]));
        assert_eq!(krx.iter().map(|g| g.days).collect::<Vec<_>>(), vec![7]);
    }
}
