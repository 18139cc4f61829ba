//! Fed funds futures files: a day's curve or a history of prices, as contract months and
//! prices; and the curve of each day they hold.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use miette::SourceSpan;

use super::error::{FedWatchError, Source};
use super::futures::{Curve, Month};
use super::table::{Row, Table, normalise};

/// Prices outside this range are not 30-day fed funds prices (rates of 0–20 %).
pub const PRICE_RANGE: (f64, f64) = (80.0, 100.0);

/// One price of one contract on one day.
#[derive(Clone, Debug)]
pub(crate) struct Quote {
    pub date: NaiveDate,
    pub month: Month,
    pub price: f64,
    pub span: SourceSpan,
}

/// The quotes of one futures file.
#[derive(Clone, Debug)]
pub(crate) struct QuoteFile {
    pub src: Source,
    pub quotes: Vec<Quote>,
}

const MONTH_CODES: &str = "FGHJKMNQUVXZ";

/// A contract symbol's month: `ZQN26` (or `ZQN6`, `ZQN2026`; also CBOT's old `FF` root) on
/// `date` → July 2026. A one- or two-digit year is the one nearest to `date`'s year.
pub fn parse_contract(symbol: &str, date: NaiveDate) -> Result<Month, String> {
    let s = symbol.trim().to_ascii_uppercase();
    let rest = s
        .strip_prefix("ZQ")
        .or_else(|| s.strip_prefix("FF"))
        .ok_or_else(|| "not a 30-day fed funds contract (ZQ)".to_owned())?;
    let mut chars = rest.chars();
    let code = chars.next().ok_or_else(|| "no month code".to_owned())?;
    let month = MONTH_CODES
        .find(code)
        .ok_or_else(|| format!("`{code}` is not a month code"))? as u32
        + 1;
    let digits = chars.as_str();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) || ![1, 2, 4].contains(&digits.len()) {
        return Err("no year after the month code".to_owned());
    }
    let n: i32 = digits.parse().map_err(|_| "no year".to_owned())?;
    let year = match digits.len() {
        4 => n,
        len => {
            let modulus = 10_i32.pow(len as u32);
            let base = date.year() - date.year().rem_euclid(modulus) + n;
            // The candidate nearest the quote's year; ties go to the later one.
            [base - modulus, base, base + modulus]
                .into_iter()
                .min_by_key(|y| ((y - date.year()).abs(), -y))
                .expect("three candidates")
        }
    };
    Ok((year, month))
}

/// Reads a curve (`contract_symbol,contract_month,contract_year,close_price,as_of_date`) or
/// a history (`date,contract,price`, any number of days).
pub(crate) fn read_quotes(table: &Table, curve: bool) -> Result<QuoteFile, FedWatchError> {
    let header = &table.rows[0];
    let find = |names: &[&str], what: &str| -> Result<usize, FedWatchError> {
        (0..header.cells.len())
            .find(|&i| names.contains(&normalise(header.cell(i)).as_str()))
            .ok_or_else(|| {
                let help = if curve {
                    "a futures curve has the columns contract_symbol,contract_month,contract_year,close_price,as_of_date"
                } else {
                    "a futures history has the columns date,contract,price"
                };
                table.bad_cell(header.row_span(), format!("the header has no {what} column"), "header", help)
            })
    };
    let columns = if curve {
        Columns {
            date: find(&["asofdate", "date"], "as_of_date")?,
            symbol: find(&["contractsymbol", "contract", "symbol"], "contract_symbol")?,
            price: find(&["closeprice", "price", "settle", "close"], "close_price")?,
            month: Some((
                find(&["contractmonth"], "contract_month")?,
                find(&["contractyear"], "contract_year")?,
            )),
        }
    } else {
        Columns {
            date: find(&["date"], "date")?,
            symbol: find(&["contract", "symbol", "contractsymbol"], "contract")?,
            price: find(&["price", "settle", "close", "closeprice"], "price")?,
            month: None,
        }
    };
    let mut quotes = Vec::with_capacity(table.rows.len());
    for row in &table.rows[1..] {
        quotes.push(columns.quote(table, row)?);
    }
    finish(table, quotes)
}

/// The quotes of `table` in date and month order, one per contract and day: the same
/// price given twice is kept once, two prices are an error.
pub(crate) fn finish(table: &Table, mut quotes: Vec<Quote>) -> Result<QuoteFile, FedWatchError> {
    quotes.sort_by_key(|q| (q.date, q.month));
    for pair in quotes.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        if (a.date, a.month) == (b.date, b.month) && a.price != b.price {
            return Err(FedWatchError::Conflict {
                what: format!("the {}-{:02} contract", b.month.0, b.month.1),
                date: b.date.to_string(),
                first: table.name.clone(),
                src: table.src.clone(),
                span: b.span,
            });
        }
    }
    quotes.dedup_by(|b, a| (a.date, a.month) == (b.date, b.month));
    Ok(QuoteFile {
        src: table.src.clone(),
        quotes,
    })
}

struct Columns {
    date: usize,
    symbol: usize,
    price: usize,
    /// The curve's month and year columns.
    month: Option<(usize, usize)>,
}

impl Columns {
    fn quote(&self, table: &Table, row: &Row) -> Result<Quote, FedWatchError> {
        let bad =
            |i: usize, message: String, label: &str, help: &str| table.bad_cell(row.cell_span(i), message, label, help);
        let date = table.date(row, self.date)?;
        let symbol = row.cell(self.symbol);
        let unplaced = |reason: String, help: &str| FedWatchError::BadContract {
            contract: symbol.to_owned(),
            src: table.src.clone(),
            span: row.cell_span(self.symbol),
            reason,
            help: help.into(),
        };
        const SYMBOL_HELP: &str = "write ZQ, the month code (F G H J K M N Q U V X Z for January to December) and the year: `ZQN26` is July 2026";
        let from_symbol = parse_contract(symbol, date);
        let month = match self.month {
            None => from_symbol.map_err(|reason| unplaced(reason, SYMBOL_HELP))?,
            Some((m, y)) => {
                let month: u32 = row
                    .cell(m)
                    .parse()
                    .ok()
                    .filter(|m| (1..=12).contains(m))
                    .ok_or_else(|| {
                        bad(
                            m,
                            format!("`{}` is not a month", row.cell(m)),
                            "not 1–12",
                            "write the contract's month as a number from 1 to 12",
                        )
                    })?;
                let year: i32 = row
                    .cell(y)
                    .parse()
                    .ok()
                    .filter(|y| (1988..=2100).contains(y))
                    .ok_or_else(|| {
                        bad(
                            y,
                            format!("`{}` is not a year", row.cell(y)),
                            "not a year",
                            "write the contract's year in full, such as 2026",
                        )
                    })?;
                if let Ok(said) = from_symbol
                    && said != (year, month)
                {
                    return Err(unplaced(
                        format!("the symbol says {}-{:02}, the row {year}-{month:02}", said.0, said.1),
                        "correct the symbol or the month and year columns so they name the same contract",
                    ));
                }
                (year, month)
            }
        };
        let price = parse_price(table, row, self.price)?;
        Ok(Quote {
            date,
            month,
            price,
            span: row.row_span(),
        })
    }
}

/// The price in cell `i` of `row`: a number within [`PRICE_RANGE`].
pub(crate) fn parse_price(table: &Table, row: &Row, i: usize) -> Result<f64, FedWatchError> {
    let cell = row.cell(i);
    cell.parse()
        .ok()
        .filter(|p: &f64| (PRICE_RANGE.0..=PRICE_RANGE.1).contains(p))
        .ok_or_else(|| FedWatchError::BadPrice {
            cell: cell.to_owned(),
            src: table.src.clone(),
            span: row.cell_span(i),
        })
}

/// The curves of every day in the files, in date order. Two files that price a contract
/// differently on a day are an error.
pub(crate) fn curves<'q>(files: impl IntoIterator<Item = &'q QuoteFile>) -> Result<Vec<Curve>, FedWatchError> {
    let mut by_day: BTreeMap<NaiveDate, BTreeMap<Month, (f64, &'q QuoteFile)>> = BTreeMap::new();
    for file in files {
        for q in &file.quotes {
            let day = by_day.entry(q.date).or_default();
            if let Some((price, first)) = day.get(&q.month)
                && *price != q.price
            {
                return Err(FedWatchError::Conflict {
                    what: format!("the {}-{:02} contract", q.month.0, q.month.1),
                    date: q.date.to_string(),
                    first: first.src.name().to_owned(),
                    src: file.src.clone(),
                    span: q.span,
                });
            }
            day.insert(q.month, (q.price, file));
        }
    }
    let curve = |(as_of, prices): (NaiveDate, BTreeMap<Month, (f64, &QuoteFile)>)| Curve {
        as_of,
        prices: prices.into_iter().map(|(m, (p, _))| (m, p)).collect(),
    };
    Ok(by_day.into_iter().map(curve).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a date")
    }

    #[test]
    fn contract_symbols_name_their_month() {
        let d = date(2026, 7, 14);
        assert_eq!(parse_contract("ZQN26", d), Ok((2026, 7)));
        assert_eq!(parse_contract("zqf27", d), Ok((2027, 1)));
        assert_eq!(parse_contract("ZQZ2030", d), Ok((2030, 12)));
        // One digit: the nearest year ending in it.
        assert_eq!(parse_contract("ZQH9", d), Ok((2029, 3)));
        assert_eq!(parse_contract("ZQH3", d), Ok((2023, 3)));
        assert_eq!(parse_contract("FFU5", date(2015, 9, 1)), Ok((2015, 9)));
        assert!(parse_contract("ZQA26", d).is_err(), "A is no month code");
        assert!(parse_contract("ESU26", d).is_err());
        assert!(parse_contract("ZQN", d).is_err());
        assert!(parse_contract("ZQN265", d).is_err());
    }
}
