//! Barchart's list of 30-day fed funds futures contracts, as its site exports it: one row
//! per contract month (`"Exp Date",Symbol,"Contract Name",Last,…,Time`), and a text footer
//! (`"Downloaded from Barchart.com as of 11-02-2025 10:55pm CST"`).
//!
//! `Last` is each contract's latest price at the download: the final settlement of an
//! expired contract, the latest trade of a live one. `Time` says when that was: a time of
//! day (`"22:45 CT"`) for a trade in the session open at the download, a date for an
//! earlier day. So the file is one curve, as of the day of its latest price: the footer's
//! date when a row has a time of day (the footer is the only place that day is written),
//! otherwise the latest date under `Time`. It is not a history: an earlier day's prices are
//! not in it.

use chrono::{Datelike, NaiveDate};

use super::error::FedWatchError;
use super::futures::Month;
use super::quotes::{Quote, QuoteFile, finish, parse_contract, parse_price};
use super::table::{Row, Table, normalise, parse_date};

/// The contract list read: its prices as one curve, the day they are taken as of, and what
/// the output must say about both.
#[derive(Clone, Debug)]
pub(crate) struct ContractList {
    pub quotes: QuoteFile,
    pub as_of: NaiveDate,
    /// Which day the prices are taken as of and why; the footer skipped.
    pub notes: Vec<String>,
}

/// Whether a header is Barchart's contract list: an expiry date, a symbol, the last price
/// and the time of it.
pub(crate) fn is_contract_list(names: &[String]) -> bool {
    ["expdate", "symbol", "last", "time"]
        .iter()
        .all(|n| names.iter().any(|x| x == n))
}

/// When a contract's `Last` was traded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Traded {
    /// A date: on that day (an expired contract's final settlement, or a live one that has
    /// not traded since).
    On(NaiveDate),
    /// A time of day: in the session open at the download.
    InSession,
}

/// `"22:45 CT"`, `9:05 ET`, `22:45`: hours and minutes, then perhaps a time zone.
fn is_time_of_day(cell: &str) -> bool {
    let clock = cell.split_whitespace().next().unwrap_or("");
    let Some((h, m)) = clock.split_once(':') else {
        return false;
    };
    let number = |s: &str, max: u32| {
        (1..=2).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()) && s.parse::<u32>().is_ok_and(|n| n <= max)
    };
    number(h, 23) && m.len() == 2 && number(m, 59)
}

/// The footer's download day: `Downloaded from Barchart.com as of 11-02-2025 10:55pm CST`
/// → 2025-11-02 (Barchart writes it month first), with the text after `as of`.
fn footer_day(line: &str) -> Option<(NaiveDate, &str)> {
    let at = line.find("as of ")? + "as of ".len();
    let when = line[at..].trim();
    let day = when.split_whitespace().next()?;
    let mut parts = day.split(['-', '/']);
    let (m, d, y) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 {
        return None;
    }
    Some((
        NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)?,
        when,
    ))
}

/// Whether a contract of `month` can expire on `day`: in its month, or (as Barchart dates
/// some contracts by their final settlement: `ZQU21` on 2021-10-01, `ZQZ24` on 2025-01-02)
/// in the first week of the next month.
fn expires_with(month: Month, day: NaiveDate) -> bool {
    let next = if month.1 == 12 {
        (month.0 + 1, 1)
    } else {
        (month.0, month.1 + 1)
    };
    let at = (day.year(), day.month());
    at == month || (at == next && day.day() <= 7)
}

/// Whether a record is Barchart's footer: one cell, naming Barchart.
fn is_footer(row: &Row) -> bool {
    row.cells.iter().filter(|c| !c.trim().is_empty()).count() == 1
        && row.cell(0).to_ascii_lowercase().contains("barchart.com")
}

/// Reads the contract list of `table` (header first). The footer, if any, must be the last
/// record; a row with a time of day needs it, since only the footer says which day that is.
pub(crate) fn read_contract_list(table: &Table) -> Result<ContractList, FedWatchError> {
    let header = &table.rows[0];
    let names: Vec<String> = header.cells.iter().map(|c| normalise(c)).collect();
    let column = |name: &str, shown: &str| -> Result<usize, FedWatchError> {
        names.iter().position(|n| n == name).ok_or_else(|| {
            table.bad_cell(
                header.row_span(),
                format!("the header has no {shown} column"),
                "header",
                "Barchart's contract list has the columns \"Exp Date\",Symbol,Last and Time; download it again without removing columns",
            )
        })
    };
    let (expiry, symbol, last, time) = (
        column("expdate", "\"Exp Date\"")?,
        column("symbol", "Symbol")?,
        column("last", "Last")?,
        column("time", "Time")?,
    );
    let mut body = &table.rows[1..];
    let mut footer = None;
    if let Some((row, rest)) = body.split_last()
        && is_footer(row)
    {
        let text = row.cell(0);
        let (day, when) = footer_day(text).ok_or_else(|| {
            table.bad_cell(
                row.row_span(),
                format!("cannot read the download day in Barchart's footer `{text}`"),
                "no date after `as of`",
                "Barchart's footer reads `Downloaded from Barchart.com as of MM-DD-YYYY …`, month first; keep it as downloaded",
            )
        })?;
        footer = Some((day, when.to_owned(), text.to_owned()));
        body = rest;
    }
    let mut quotes = Vec::with_capacity(body.len());
    let mut traded = Vec::with_capacity(body.len());
    for row in body {
        let expires = table.date(row, expiry)?;
        let month = parse_contract(row.cell(symbol), expires).map_err(|reason| FedWatchError::BadContract {
            contract: row.cell(symbol).to_owned(),
            src: table.src.clone(),
            span: row.cell_span(symbol),
            reason,
            help: "Barchart writes ZQ, the month code and the year's last two digits: `ZQN26` is July 2026".into(),
        })?;
        if !expires_with(month, expires) {
            return Err(FedWatchError::BadContract {
                contract: row.cell(symbol).to_owned(),
                src: table.src.clone(),
                span: row.cell_span(symbol),
                reason: format!("the symbol says {}-{:02}, the expiry {expires}", month.0, month.1),
                help: "a fed funds contract expires at the end of its month (or, in Barchart's lists, on the first business day after it); correct the symbol or the \"Exp Date\"".into(),
            });
        }
        let price = parse_price(table, row, last)?;
        let when = match parse_date(row.cell(time)) {
            Some(day) => Traded::On(day),
            None if is_time_of_day(row.cell(time)) => Traded::InSession,
            None => {
                return Err(table.bad_cell(
                    row.cell_span(time),
                    format!("`{}` is neither a date nor a time of day", row.cell(time)),
                    "not a date or a time",
                    "Barchart's Time column gives the day of a contract's last price (2025-10-31), or the time of day (`22:45 CT`) of a trade in the session open at the download",
                ));
            }
        };
        traded.push((when, row));
        quotes.push((month, price, row.row_span()));
    }
    let latest_day = traded
        .iter()
        .filter_map(|(t, _)| match t {
            Traded::On(day) => Some(*day),
            Traded::InSession => None,
        })
        .max();
    let in_session = traded.iter().filter(|(t, _)| *t == Traded::InSession).count();
    let mut notes = Vec::new();
    let name = &table.name;
    let as_of = match (&footer, in_session) {
        (Some((day, when, _)), 1..) => {
            if let Some((later, row)) = traded.iter().find_map(|(t, row)| match t {
                Traded::On(d) if d > day => Some((*d, row)),
                _ => None,
            }) {
                return Err(table.bad_cell(
                    row.cell_span(time),
                    format!("a price dated {later}, after the download day {day} in the footer"),
                    "after the download",
                    "the footer and the Time column disagree; download the list again",
                ));
            }
            notes.push(format!(
                "{name}: prices taken as of {day} ({weekday}), the download day in Barchart's footer (\"as of {when}\", \
                 month first): {in_session} of its {total} prices are trades in the session open at the download (a time of day \
                 under Time), the others each contract's latest price before it (a date under Time; for an expired contract, \
                 its final settlement)",
                total = traded.len(),
                weekday = day.format("%A"),
            ));
            *day
        }
        (None, 1..) => {
            let row = traded
                .iter()
                .find(|(t, _)| *t == Traded::InSession)
                .map(|(_, row)| *row)
                .expect("a row in session");
            return Err(table.bad_cell(
                row.cell_span(time),
                format!(
                    "`{}` is a time of day, and the file has no Barchart footer saying which day",
                    row.cell(time)
                ),
                "a time of day",
                "keep the last line Barchart writes, `Downloaded from Barchart.com as of MM-DD-YYYY …`: it is the only place the download day is written",
            ));
        }
        (_, 0) => {
            let day = latest_day.ok_or_else(|| FedWatchError::Empty {
                file: name.clone(),
                src: table.src.clone(),
                span: header.row_span(),
            })?;
            let download = footer.as_ref().map_or_else(String::new, |(d, _, _)| {
                format!(" (the footer's download day, {d}, saw no trade)")
            });
            notes.push(format!(
                "{name}: prices taken as of {day} ({weekday}), the latest date under Time{download}: every price is its contract's latest on or before that day",
                weekday = day.format("%A"),
            ));
            day
        }
    };
    if let Some((_, _, text)) = &footer {
        notes.push(format!("{name}: skipped the last line, Barchart's footer: {text}"));
    }
    let quotes = quotes
        .into_iter()
        .map(|(month, price, span)| Quote {
            date: as_of,
            month,
            price,
            span,
        })
        .collect();
    Ok(ContractList {
        quotes: finish(table, quotes)?,
        as_of,
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_of_day_and_footers() {
        assert!(is_time_of_day("22:45 CT"));
        assert!(is_time_of_day("9:05 ET"));
        assert!(is_time_of_day("17:00"));
        assert!(!is_time_of_day("2025-10-31"));
        assert!(!is_time_of_day("24:00 CT"));
        assert!(!is_time_of_day("12:5 CT"));
        assert!(!is_time_of_day("noon"));
        let (day, when) =
            footer_day("Downloaded from Barchart.com as of 11-02-2025 10:55pm CST").expect("the footer's date");
        assert_eq!(
            day,
            NaiveDate::from_ymd_opt(2025, 11, 2).expect("a date"),
            "month first"
        );
        assert_eq!(when, "11-02-2025 10:55pm CST");
        assert_eq!(footer_day("Downloaded from Barchart.com as of 13-02-2025"), None);
        assert_eq!(footer_day("Downloaded from Barchart.com"), None);
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).expect("a date");
        assert!(expires_with((2026, 7), d(2026, 7, 31)));
        assert!(expires_with((2021, 9), d(2021, 10, 1)), "Barchart's ZQU21");
        assert!(expires_with((2024, 12), d(2025, 1, 2)), "Barchart's ZQZ24");
        assert!(!expires_with((2021, 9), d(2021, 10, 29)));
        assert!(!expires_with((2021, 9), d(2021, 8, 31)));
    }
}
