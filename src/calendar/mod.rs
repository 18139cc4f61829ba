//! Exchange holiday calendars: which weekdays an exchange is closed, known in advance from
//! its rules, so a schedule can tell a month's last trading day without looking ahead.
//!
//! The data's own dates stay the trading days of a run; a calendar only says where a
//! period ends (`monthly on last trading day`), and the run warns where the data
//! disagrees with it.

mod krx;
mod lunar;
mod nyse;

use chrono::{Datelike, NaiveDate, Weekday};

/// An exchange's calendar of trading days.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Exchange {
    /// The New York Stock Exchange (US-listed funds): rule-based holidays and the special
    /// closures since 1971 ([`nyse`]).
    Nyse,
    /// The Korea Exchange (Korean-listed funds): solar holidays by rule, the lunar ones from
    /// a bundled table of the Korea Astronomy and Space Science Institute's calendar,
    /// substitute holidays by the Public Holidays Act, elections and temporary holidays
    /// ([`krx`]); exact from 2001 to 2040.
    Krx,
    /// Monday to Friday, no holidays.
    Weekdays,
}

impl Exchange {
    /// The name in a strategy (`calendar nyse`) and in reports (`NYSE`).
    pub fn name(self) -> &'static str {
        match self {
            Exchange::Nyse => "NYSE",
            Exchange::Krx => "KRX",
            Exchange::Weekdays => "weekdays",
        }
    }

    /// The word in a strategy: `nyse`, `krx`, `weekdays`.
    pub fn keyword(self) -> &'static str {
        match self {
            Exchange::Nyse => "nyse",
            Exchange::Krx => "krx",
            Exchange::Weekdays => "weekdays",
        }
    }

    /// Whether the exchange trades on `date`.
    pub fn is_trading_day(self, date: NaiveDate) -> bool {
        if matches!(date.weekday(), Weekday::Sat | Weekday::Sun) {
            return false;
        }
        match self {
            Exchange::Nyse => !nyse::is_holiday(date),
            Exchange::Krx => !krx::is_holiday(date),
            Exchange::Weekdays => true,
        }
    }

    /// The last trading day of `date`'s month.
    pub fn last_trading_day(self, date: NaiveDate) -> NaiveDate {
        let mut d = last_of_month(date);
        // A month has trading days: walking back a few days always finds one.
        while !self.is_trading_day(d) {
            d = d.pred_opt().expect("within chrono's range");
        }
        d
    }

    /// The calendar a symbol's own exchange keeps: KRX for Korean listings (a bare
    /// six-digit code such as `360750`, or a `.KS`/`.KQ` ticker), NYSE otherwise. A
    /// six-digit code with another exchange's suffix (`600519.SS` in Shanghai, `.SZ`
    /// Shenzhen, `.T` Tokyo) is not Korean.
    pub fn of_symbol(symbol: &str) -> Exchange {
        let korean = match symbol.rsplit_once('.') {
            Some((_, suffix)) => suffix.eq_ignore_ascii_case("KS") || suffix.eq_ignore_ascii_case("KQ"),
            None => symbol.len() == 6 && symbol.bytes().all(|b| b.is_ascii_digit()),
        };
        if korean { Exchange::Krx } else { Exchange::Nyse }
    }
}

/// A month whose last trading day by a calendar the data disagrees with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Disagreement {
    /// The month's last trading day by the calendar.
    pub last: NaiveDate,
    /// What the data has instead.
    pub data: DataDay,
}

/// How a month's dates in the data differ from a calendar's last trading day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DataDay {
    /// A row later in the month, on a day the calendar has the exchange closed.
    Later(NaiveDate),
    /// No row on the calendar's last trading day, nor after it in the month.
    Missing,
}

/// The months ending a period of `months_per_period` months (1, 3 or 12; December ends
/// every one) whose last trading day by `exchange` the data's `dates` (sorted, repeats
/// allowed) disagree with; only months whose last trading day lies within the dates and
/// that have rows (a month without any is a gap in the data, not a calendar's matter).
pub fn disagreements(exchange: Exchange, dates: &[NaiveDate], months_per_period: u32) -> Vec<Disagreement> {
    let (Some(&first), Some(&end)) = (dates.first(), dates.last()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut month = first.with_day(1).expect("day 1 exists");
    while month <= end {
        let last = exchange.last_trading_day(month);
        let ends_period = month.month0() % months_per_period == months_per_period - 1;
        let month_end = last_of_month(last);
        let has_rows = dates[dates.partition_point(|d| *d < month)..]
            .first()
            .is_some_and(|d| *d <= month_end);
        if ends_period && has_rows && first <= last && last <= end {
            // The first row on or after the calendar's last day.
            let i = dates.partition_point(|d| *d < last);
            let next = dates.get(i).copied();
            let later = dates[i..]
                .iter()
                .take_while(|d| **d <= month_end)
                .find(|d| **d > last)
                .copied();
            let data = match (later, next) {
                (Some(d), _) => Some(DataDay::Later(d)),
                (None, Some(d)) if d != last => Some(DataDay::Missing),
                _ => None,
            };
            out.extend(data.map(|data| Disagreement { last, data }));
        }
        month = last_of_month(month).succ_opt().expect("within chrono's range");
    }
    out
}

/// The last day of `date`'s month.
fn last_of_month(date: NaiveDate) -> NaiveDate {
    let first_next = if date.month() == 12 {
        NaiveDate::from_ymd_opt(date.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(date.year(), date.month() + 1, 1)
    };
    first_next.and_then(|d| d.pred_opt()).expect("within chrono's range")
}

/// The `n`th (1-based) `weekday` of a month.
fn nth_weekday(year: i32, month: u32, weekday: Weekday, n: u8) -> NaiveDate {
    NaiveDate::from_weekday_of_month_opt(year, month, weekday, n).expect("every month has five weeks of days")
}

/// The last `weekday` of a month.
fn last_weekday(year: i32, month: u32, weekday: Weekday) -> NaiveDate {
    let mut d = last_of_month(NaiveDate::from_ymd_opt(year, month, 1).expect("a month"));
    while d.weekday() != weekday {
        d = d.pred_opt().expect("within chrono's range");
    }
    d
}

fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("a valid holiday date")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().expect("a test date")
    }

    #[test]
    fn a_month_ends_on_its_last_trading_day() {
        // Good Friday 2024 is March 29: NYSE's March ends on Thursday the 28th.
        assert_eq!(Exchange::Nyse.last_trading_day(d("2024-03-10")), d("2024-03-28"));
        assert_eq!(Exchange::Weekdays.last_trading_day(d("2024-03-10")), d("2024-03-29"));
        // Hurricane Sandy closed NYSE on 2012-10-29 and -30: October ended on Wednesday 31.
        assert_eq!(Exchange::Nyse.last_trading_day(d("2012-10-01")), d("2012-10-31"));
        // KRX closes on its year-end day: 2024's last trading day is Monday the 30th.
        assert_eq!(Exchange::Krx.last_trading_day(d("2024-12-02")), d("2024-12-30"));
        assert_eq!(Exchange::Nyse.last_trading_day(d("2024-12-02")), d("2024-12-31"));
    }

    #[test]
    fn the_data_disagrees_where_its_month_ends_elsewhere() {
        let dates: Vec<NaiveDate> = [
            "2024-02-28",
            "2024-02-29",
            "2024-03-28",
            "2024-03-29",
            "2024-04-01",
            "2024-04-29",
            "2024-05-01",
        ]
        .iter()
        .map(|s| d(s))
        .collect();
        // March: a row on Good Friday. April: no row on the 30th, the next is in May.
        // February agrees; May's last day is after the data.
        assert_eq!(
            disagreements(Exchange::Nyse, &dates, 1),
            [
                Disagreement {
                    last: d("2024-03-28"),
                    data: DataDay::Later(d("2024-03-29"))
                },
                Disagreement {
                    last: d("2024-04-30"),
                    data: DataDay::Missing
                },
            ]
        );
        // A row in the same month of a later year is no row of this month.
        let years = [d("2023-03-30"), d("2023-03-31"), d("2024-03-28"), d("2024-03-29")];
        assert_eq!(
            disagreements(Exchange::Nyse, &years[..3], 1),
            [],
            "2023's March ends on Friday the 31st, 2024's on Thursday the 28th"
        );
        assert_eq!(disagreements(Exchange::Nyse, &years, 1).len(), 1);
        // Quarterly: March only. Weekdays: March agrees, April does not.
        assert_eq!(disagreements(Exchange::Nyse, &dates, 3).len(), 1);
        assert_eq!(
            disagreements(Exchange::Weekdays, &dates, 1),
            [Disagreement {
                last: d("2024-04-30"),
                data: DataDay::Missing
            }]
        );
    }

    #[test]
    fn korean_listings_keep_the_krx_calendar() {
        for s in ["360750", "005930.KS", "035720.kq", "280930"] {
            assert_eq!(Exchange::of_symbol(s), Exchange::Krx, "{s}");
        }
        // Six digits with another exchange's suffix: Shanghai, Shenzhen, Tokyo.
        for s in [
            "IWO",
            "^RUT",
            "BRK.B",
            "12345",
            "1234567",
            "600519.SS",
            "000858.SZ",
            "7203.T",
            "123456.HK",
        ] {
            assert_eq!(Exchange::of_symbol(s), Exchange::Nyse, "{s}");
        }
    }
}
