//! Which kind of file this is, told from its header.

use std::ops::Range;

use super::error::DataError;
use super::input::{Input, span};

/// How the columns of a file are read.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Layout {
    /// Prices: one symbol per file (Yahoo, Stooq, Alpha Vantage, EODHD exports), or many
    /// in a long file with a symbol column.
    Prices(PriceLayout),
    /// A date column and one series per other column (FRED downloads, own indicators).
    Series(SeriesLayout),
}

/// Column indexes of a price file.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct PriceLayout {
    pub date: usize,
    pub symbol: Option<usize>,
    pub open: Option<usize>,
    pub high: Option<usize>,
    pub low: Option<usize>,
    /// The close; the adjusted close when the file has no other.
    pub close: usize,
    pub adj_close: Option<usize>,
    pub volume: Option<usize>,
    /// Columns rotor does not use, such as dividends and split coefficients.
    pub ignored: Vec<usize>,
}

/// Column indexes of a series file.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct SeriesLayout {
    pub date: usize,
    pub series: Vec<usize>,
}

/// What a header name means to a price file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    Date,
    Symbol,
    Open,
    High,
    Low,
    Close,
    AdjClose,
    Volume,
}

/// Header names of the date column, normalised as by [`key`].
const DATE_NAMES: &str = "date, observation_date, timestamp, time or datetime";

/// A header name without case, spaces and underscores: `Adj Close` and `adj_close` agree.
fn key(name: &str) -> String {
    name.chars()
        .filter(|c| !matches!(c, ' ' | '_'))
        .flat_map(char::to_lowercase)
        .collect()
}

fn role(key: &str) -> Option<Role> {
    Some(match key {
        "date" | "observationdate" | "timestamp" | "time" | "datetime" => Role::Date,
        "symbol" | "ticker" => Role::Symbol,
        "open" => Role::Open,
        "high" => Role::High,
        "low" => Role::Low,
        "close" => Role::Close,
        "adjclose" | "adjustedclose" => Role::AdjClose,
        "volume" => Role::Volume,
        _ => return None,
    })
}

impl Layout {
    /// Tells the layout from the header, whose names are in `input.header` and whose
    /// cells are at `cells`; `line` is the header line, for labels.
    pub fn detect(input: &Input, cells: &[Range<usize>], line: &Range<usize>) -> Result<Layout, DataError> {
        let names = &input.header;
        if let Some(i) = names.iter().position(String::is_empty) {
            return Err(DataError::UnnamedColumn {
                number: i + 1,
                src: input.source(),
                span: span(&cells[i]),
            });
        }
        let keys: Vec<String> = names.iter().map(|n| key(n)).collect();
        let roles: Vec<Option<Role>> = keys.iter().map(|k| role(k)).collect();
        for second in 1..names.len() {
            let same =
                |first: usize| keys[first] == keys[second] || (roles[first].is_some() && roles[first] == roles[second]);
            if let Some(first) = (0..second).find(|&first| same(first)) {
                return Err(DataError::DuplicateColumn {
                    first: names[first].clone(),
                    second: names[second].clone(),
                    src: input.source(),
                    first_span: span(&cells[first]),
                    span: span(&cells[second]),
                });
            }
        }
        let find = |wanted: Role| roles.iter().position(|&r| r == Some(wanted));
        let found = || {
            format!(
                "found {}",
                names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
            )
        };
        let Some(date) = find(Role::Date) else {
            return Err(DataError::MissingColumn {
                what: "date",
                src: input.source(),
                span: span(line),
                help: format!("{}; name the date column {DATE_NAMES}", found()),
            });
        };
        let symbol = find(Role::Symbol);
        let adj_close = find(Role::AdjClose);
        let Some(close) = find(Role::Close).or(adj_close) else {
            if symbol.is_some() {
                return Err(DataError::MissingColumn {
                    what: "close",
                    src: input.source(),
                    span: span(line),
                    help: format!(
                        "{}; a file with a symbol column holds prices and needs a `close` \
                         (or `adj_close`) column",
                        found()
                    ),
                });
            }
            let series = (0..names.len()).filter(|&i| i != date).collect::<Vec<_>>();
            if series.is_empty() {
                return Err(DataError::MissingColumn {
                    what: "value",
                    src: input.source(),
                    span: span(line),
                    help: format!(
                        "{}; add a `close` column for prices, or one column per series, \
                         such as `date,fed_cut_prob`",
                        found()
                    ),
                });
            }
            return Ok(Layout::Series(SeriesLayout { date, series }));
        };
        Ok(Layout::Prices(PriceLayout {
            date,
            symbol,
            open: find(Role::Open),
            high: find(Role::High),
            low: find(Role::Low),
            close,
            adj_close,
            volume: find(Role::Volume),
            ignored: (0..names.len()).filter(|&i| roles[i].is_none()).collect(),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detect(header: &str) -> Result<Layout, DataError> {
        let mut input = Input::new("test.csv", header, false);
        input.header = header.split(',').map(|n| n.trim().to_owned()).collect();
        let mut cells = Vec::new();
        let mut at = 0;
        for name in header.split(',') {
            cells.push(at..at + name.len());
            at += name.len() + 1;
        }
        Layout::detect(&input, &cells, &(0..header.len()))
    }

    fn prices(header: &str) -> PriceLayout {
        match detect(header) {
            Ok(Layout::Prices(layout)) => layout,
            other => panic!("{header}: expected prices, got {other:?}"),
        }
    }

    #[test]
    fn vendor_exports_are_price_files() {
        let yahoo = prices("Date,Open,High,Low,Close,Adj Close,Volume");
        assert_eq!(
            yahoo,
            PriceLayout {
                date: 0,
                symbol: None,
                open: Some(1),
                high: Some(2),
                low: Some(3),
                close: 4,
                adj_close: Some(5),
                volume: Some(6),
                ignored: vec![],
            }
        );
        let alpha = prices("timestamp,open,high,low,close,adjusted_close,volume,dividend_amount,split_coefficient");
        assert_eq!((alpha.close, alpha.adj_close, alpha.ignored), (4, Some(5), vec![7, 8]));
        let eodhd = prices("Date,Open,High,Low,Close,Adjusted_close,Volume");
        assert_eq!(eodhd.adj_close, Some(5));
        let stooq = prices("Date,Open,High,Low,Close,Volume");
        assert_eq!((stooq.close, stooq.adj_close, stooq.volume), (4, None, Some(5)));
        let reordered = prices("Date,Close,High,Low,Open,Volume");
        assert_eq!((reordered.open, reordered.close), (Some(4), 1));
    }

    #[test]
    fn close_only_files() {
        let close = prices("Date,Close");
        assert_eq!((close.close, close.adj_close, close.open), (1, None, None));
        let adjusted = prices("Date,Adj Close");
        assert_eq!((adjusted.close, adjusted.adj_close), (1, Some(1)));
    }

    #[test]
    fn long_layout_with_symbol_or_ticker() {
        let long = prices("date,symbol,open,high,low,close,adj_close,volume");
        assert_eq!((long.symbol, long.close), (Some(1), 5));
        let ticker = prices("Date,Ticker,Close,AdjClose");
        assert_eq!((ticker.symbol, ticker.close, ticker.adj_close), (Some(1), 2, Some(3)));
    }

    #[test]
    fn anything_else_is_series() {
        assert_eq!(
            detect("observation_date,DFF").ok(),
            Some(Layout::Series(SeriesLayout {
                date: 0,
                series: vec![1]
            }))
        );
        assert_eq!(
            detect("fed_cut_prob,DATE,hike_prob").ok(),
            Some(Layout::Series(SeriesLayout {
                date: 1,
                series: vec![0, 2]
            }))
        );
        assert_eq!(
            detect("Date,^RUT").ok(),
            Some(Layout::Series(SeriesLayout {
                date: 0,
                series: vec![1]
            }))
        );
    }

    #[test]
    fn header_problems() {
        let code = |header: &str| match detect(header) {
            Err(e) => miette::Diagnostic::code(&e).map(|c| c.to_string()),
            Ok(layout) => panic!("{header}: expected an error, got {layout:?}"),
        };
        let missing = Some("rotor::data::missing_column".to_owned());
        assert_eq!(code("day,close"), missing, "no date column");
        assert_eq!(code("date,symbol,open"), missing, "symbol but no close");
        assert_eq!(code("date"), missing, "nothing but dates");
        let duplicate = Some("rotor::data::duplicate_column".to_owned());
        assert_eq!(code("date,close,Close"), duplicate);
        assert_eq!(code("date,adj close,adj_close"), duplicate, "same name once normalised");
        assert_eq!(code("date,timestamp,close"), duplicate, "two date columns");
        assert_eq!(code("date,,close"), Some("rotor::data::unnamed_column".to_owned()));
    }
}
