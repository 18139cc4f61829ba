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
    /// Split coefficients on the first day after each split (Alpha Vantage).
    pub split: Option<usize>,
    /// Cash dividends on their ex-dates (Yahoo's `Dividends`, Alpha Vantage's
    /// `dividend_amount`).
    pub dividend: Option<usize>,
    /// Columns rotor does not use, such as a day's change or turnover.
    pub ignored: Vec<usize>,
    /// Ignored columns whose names are one slip from a column rotor reads.
    pub near_misses: Vec<NearMiss>,
    /// The `Stock Splits` column (yfinance's own name) of yfinance's `Ticker.history()`
    /// layout without an `Adj Close`: the `Close` is adjusted for dividends and splits, as
    /// yfinance's default `auto_adjust=True` writes it, so it is the adjusted close too
    /// (`adj_close` is `Some(close)`).
    pub yfinance_splits: Option<usize>,
}

/// Column indexes of a series file.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct SeriesLayout {
    pub date: usize,
    pub series: Vec<usize>,
    /// One value column (`DATA_VALUE` of a Bank of Korea ECOS download): its series is
    /// named by the file, like a price file's symbol, and other columns are ignored.
    pub named_by_file: bool,
    pub ignored: Vec<usize>,
}

/// A header name that is not one rotor reads but is close to one (`Adj Clse`, `hi`).
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct NearMiss {
    pub column: usize,
    /// The name rotor would read, as usually written.
    pub meant: &'static str,
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
    Split,
    Dividend,
    /// The one value of a long series download (ECOS `DATA_VALUE`).
    Value,
}

/// Whether a header is the first of yfinance's three header lines (`Price,Adj Close,Close,…`,
/// then `Ticker,IWO,…` and `Date,,…`): its first name is `Price` and the others are prices.
fn yfinance_levels(keys: &[String], roles: &[Option<Role>]) -> bool {
    keys.first().is_some_and(|k| k == "price")
        && roles
            .iter()
            .skip(1)
            .any(|r| matches!(r, Some(Role::Close | Role::AdjClose)))
}

/// yfinance's `Stock Splits` column, normalised as by [`key`]: no other vendor's name.
const YFINANCE_SPLITS: &str = "stocksplits";

/// Header names of the date column, normalised as by [`key`].
const DATE_NAMES: &str = "date, observation_date, timestamp, time, datetime, 일자 or 날짜";

/// A header name without case, spaces and underscores: `Adj Close` and `adj_close` agree.
/// What follows `sep=` in a header that is a single cell `sep=X` (Excel's line naming the
/// field separator), if it is one.
fn excel_separator_line(names: &[String]) -> Option<&str> {
    match names {
        [only] if only.len() > 4 && only.is_char_boundary(4) && only[..4].eq_ignore_ascii_case("sep=") => {
            Some(&only[4..])
        }
        _ => None,
    }
}

fn key(name: &str) -> String {
    name.chars()
        .filter(|c| !matches!(c, ' ' | '_'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Each role's names, normalised as by [`key`], English and Korean (KRX, brokers, Naver,
/// Bank of Korea ECOS); the first is the one suggested for a near miss.
const NAMES: &[(Role, &str, &[&str])] = &[
    (
        Role::Date,
        "Date",
        &[
            "date",
            "observationdate",
            "timestamp",
            "time",
            "datetime",
            "일자",
            "날짜",
            "시점",
        ],
    ),
    (Role::Symbol, "Symbol", &["symbol", "ticker"]),
    (Role::Open, "Open", &["open", "시가"]),
    (Role::High, "High", &["high", "고가"]),
    (Role::Low, "Low", &["low", "저가"]),
    // Nasdaq.com's download names its close `Close/Last`.
    (Role::Close, "Close", &["close", "close/last", "종가"]),
    (Role::AdjClose, "Adj Close", &["adjclose", "adjustedclose", "수정종가"]),
    (Role::Volume, "Volume", &["volume", "거래량"]),
    (Role::Split, "split_coefficient", &["splitcoefficient"]),
    (
        Role::Dividend,
        "Dividends",
        &["dividendamount", "dividends", "dividend"],
    ),
    (Role::Value, "DATA_VALUE", &["datavalue", "값", "데이터값"]),
];

/// Columns of common exports that rotor knows and leaves alone: the day's change and its
/// percentage, turnover, market value, shares listed, NAV (KRX and broker exports), and
/// the descriptive columns of an ECOS download.
const KNOWN_UNUSED: &[&str] = &[
    "대비",
    "전일비",
    "전일대비",
    "등락률",
    "거래대금",
    "시가총액",
    "상장주식수",
    "상장좌수",
    "순자산가치(nav)",
    "순자산총액",
    "change",
    "change%",
    "statcode",
    "statname",
    "itemcode1",
    "itemname1",
    "unitname",
    "통계표",
    "계정항목",
    "단위",
];

/// Whether a header name is a dividend column (`Dividends`, `dividend_amount`).
pub(crate) fn is_dividend_column(name: &str) -> bool {
    role(&key(name)) == Some(Role::Dividend)
}

fn role(key: &str) -> Option<Role> {
    NAMES
        .iter()
        .find(|(_, _, keys)| keys.contains(&key))
        .map(|&(role, _, _)| role)
}

/// The column a header name nearly is: one edit away (`adjclse`, `hgih`), or an
/// abbreviation of two letters or more (`hi`, `vol`, `adj`). Price roles only: a date
/// column is required anyway, and its absence is reported with the names found.
fn near_miss(key: &str) -> Option<(Role, &'static str)> {
    if KNOWN_UNUSED.contains(&key) || !key.is_ascii() || key.len() < 2 {
        return None;
    }
    let price_roles = [
        Role::Open,
        Role::High,
        Role::Low,
        Role::Close,
        Role::AdjClose,
        Role::Volume,
    ];
    NAMES
        .iter()
        .filter(|(role, _, _)| price_roles.contains(role))
        .find(|(_, _, keys)| {
            keys.iter().any(|name| {
                // One edit (a swap of neighbours counts as one), within a third of the name
                // (STYLE.md's threshold); names whose lengths differ by more are not compared.
                let close_length = key.len().abs_diff(name.len()) <= 1;
                let slip = close_length && key.len() >= 3 && strsim::osa_distance(key, name) == 1;
                let abbreviation = name.len() > key.len() && name.starts_with(key);
                slip || abbreviation
            })
        })
        .map(|&(role, meant, _)| (role, meant))
}

impl Layout {
    /// The layout of a `data "…" as series NAME` file: a file of values that are not prices
    /// (a rate such as Yahoo's `^IRX`, an index level) is one series, its close column (or
    /// its one value column), with none of the checks prices get: 0 and negative values are
    /// read as they are. A file of several series is refused later, by the alias
    /// ([`DataError::AmbiguousAlias`]); so is a long file with a symbol column, here.
    pub fn into_one_series(self, input: &Input, line: &Range<usize>) -> Result<Layout, DataError> {
        match self {
            Layout::Prices(p) if p.symbol.is_some() => Err(DataError::AmbiguousAlias {
                alias: "series".into(),
                count: 2,
                src: input.source(),
                span: span(line),
                help:
                    "a file with a symbol column holds several histories: give each its own file, or drop `as series`"
                        .into(),
            }),
            Layout::Prices(p) => {
                let ignored = (0..input.header.len())
                    .filter(|&i| i != p.date && i != p.close)
                    .collect();
                Ok(Layout::Series(SeriesLayout {
                    date: p.date,
                    series: vec![p.close],
                    named_by_file: true,
                    ignored,
                }))
            }
            series => Ok(series),
        }
    }

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
                    first: crate::display::quoted(&names[first]).into_owned(),
                    second: crate::display::quoted(&names[second]).into_owned(),
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
                help: match excel_separator_line(names) {
                    None if yfinance_levels(&keys, &roles) => format!(
                        "{}: this is the three-line header of yfinance's `download()` (a `Price` line, a \
                         `Ticker` line and a `Date` line above the rows); save it with one header line \
                         (`yf.download(..., multi_level_index=False)`), or delete the `Ticker` and `Date` \
                         lines and rename `Price` to `Date`",
                        found()
                    ),
                    // Excel's line naming a separator rotor does not read (those it reads
                    // are taken before the header, see dialect.rs).
                    Some(separator) => format!(
                        "the first line `sep={separator}` names `{separator}` as the field separator, which \
                         rotor does not read: save the file with commas, semicolons or tabs between the fields"
                    ),
                    None => format!("{}; name the date column {DATE_NAMES}", found()),
                },
            });
        };
        let misses: Vec<(usize, Role, &'static str)> = (0..names.len())
            .filter(|&i| roles[i].is_none())
            .filter_map(|i| near_miss(&keys[i]).map(|(role, meant)| (i, role, meant)))
            .collect();
        let symbol = find(Role::Symbol);
        let adj_close = find(Role::AdjClose);
        // yfinance writes `Adj Close` only with `auto_adjust=False`; without it, the close
        // of a file with its `Stock Splits` column is already adjusted.
        let yfinance_splits = (adj_close.is_none() && find(Role::Close).is_some())
            .then(|| keys.iter().position(|k| k == YFINANCE_SPLITS))
            .flatten();
        let Some(close) = find(Role::Close).or(adj_close) else {
            let ohlc = [Role::Open, Role::High, Role::Low]
                .into_iter()
                .any(|r| find(r).is_some());
            let close_missed = misses
                .iter()
                .find(|(_, role, _)| matches!(role, Role::Close | Role::AdjClose));
            if symbol.is_some() || ohlc || close_missed.is_some() {
                let why = if symbol.is_some() {
                    "a file with a symbol column holds prices and needs a `close` (or `adj_close`) column".to_owned()
                } else {
                    "these columns are prices, which need a `Close` (or `Adj Close`) column; if they \
                     are series rather than prices, rename them (such as `open_rate`)"
                        .to_owned()
                };
                let price = keys.iter().position(|k| k == "price");
                let hint = match (close_missed, price) {
                    (Some(&(i, _, meant)), _) => format!("; did you mean `{meant}` for `{}`?", names[i]),
                    // Investing.com's download calls its close `Price`.
                    (None, Some(i)) => format!(
                        "; if `{}` is the close (as in Investing.com's download), rename it `Close`",
                        names[i]
                    ),
                    (None, None) => String::new(),
                };
                return Err(DataError::MissingColumn {
                    what: "close",
                    src: input.source(),
                    span: span(line),
                    help: format!("{}; {why}{hint}", found()),
                });
            }
            let layout = series_layout(date, &roles, find(Role::Value));
            if layout.series.is_empty() {
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
            return Ok(Layout::Series(layout));
        };
        Ok(Layout::Prices(PriceLayout {
            date,
            symbol,
            open: find(Role::Open),
            high: find(Role::High),
            low: find(Role::Low),
            close,
            adj_close: if yfinance_splits.is_some() {
                Some(close)
            } else {
                adj_close
            },
            volume: find(Role::Volume),
            split: find(Role::Split),
            dividend: find(Role::Dividend),
            ignored: (0..names.len())
                .filter(|&i| matches!(roles[i], None | Some(Role::Value)))
                .collect(),
            near_misses: misses
                .into_iter()
                .map(|(column, _, meant)| NearMiss { column, meant })
                .collect(),
            yfinance_splits,
        }))
    }

    /// The columns whose cells are numbers, for telling the decimal mark.
    pub fn number_columns(&self) -> Vec<usize> {
        match self {
            Layout::Prices(p) => [
                p.open,
                p.high,
                p.low,
                Some(p.close),
                p.adj_close,
                p.volume,
                p.split,
                p.dividend,
            ]
            .into_iter()
            .flatten()
            .collect(),
            Layout::Series(s) => s.series.clone(),
        }
    }

    pub fn date_column(&self) -> usize {
        match self {
            Layout::Prices(p) => p.date,
            Layout::Series(s) => s.date,
        }
    }
}

/// A series file: one series per column but the date, or the one value column of a long
/// download, named by the file.
fn series_layout(date: usize, roles: &[Option<Role>], value: Option<usize>) -> SeriesLayout {
    let others = (0..roles.len()).filter(|&i| i != date);
    match value {
        Some(value) => SeriesLayout {
            date,
            series: vec![value],
            named_by_file: true,
            ignored: others.filter(|&i| i != value).collect(),
        },
        None => SeriesLayout {
            date,
            series: others.collect(),
            named_by_file: false,
            ignored: Vec::new(),
        },
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
                split: None,
                dividend: None,
                ignored: vec![],
                near_misses: vec![],
                yfinance_splits: None,
            }
        );
        let alpha = prices("timestamp,open,high,low,close,adjusted_close,volume,dividend_amount,split_coefficient");
        assert_eq!((alpha.close, alpha.adj_close, alpha.ignored), (4, Some(5), vec![]));
        assert_eq!((alpha.dividend, alpha.split), (Some(7), Some(8)));
        let eodhd = prices("Date,Open,High,Low,Close,Adjusted_close,Volume");
        assert_eq!(eodhd.adj_close, Some(5));
        let stooq = prices("Date,Open,High,Low,Close,Volume");
        assert_eq!((stooq.close, stooq.adj_close, stooq.volume), (4, None, Some(5)));
        let reordered = prices("Date,Close,High,Low,Open,Volume");
        assert_eq!((reordered.open, reordered.close), (Some(4), 1));
        // yfinance's `history()`: the close is adjusted unless an `Adj Close` stands beside it.
        let history = prices("Date,Open,High,Low,Close,Volume,Dividends,Stock Splits");
        assert_eq!(
            (history.close, history.adj_close, history.yfinance_splits),
            (4, Some(4), Some(7))
        );
        assert_eq!((history.dividend, history.ignored), (Some(6), vec![7]));
        let raw = prices("Date,Open,High,Low,Close,Adj Close,Volume,Dividends,Stock Splits");
        assert_eq!((raw.close, raw.adj_close, raw.yfinance_splits), (4, Some(5), None));
    }

    #[test]
    fn vendor_headers_without_a_usable_column_say_what_to_do() {
        let nasdaq = prices("Date,Close/Last,Volume,Open,High,Low");
        assert_eq!(nasdaq.close, 1);
        let help = |header: &str| match detect(header) {
            Err(DataError::MissingColumn { help, .. }) => help,
            other => panic!("{header}: expected a missing column, got {other:?}"),
        };
        let yf = help("Price,Adj Close,Close,High,Low,Open,Volume");
        assert!(yf.contains("three-line header of yfinance's `download()`"), "{yf}");
        assert!(yf.contains("rename `Price` to `Date`"), "{yf}");
        let investing = help("Date,Price,Open,High,Low,Vol.,Change %");
        assert!(
            investing.contains("if `Price` is the close (as in Investing.com's download), rename it `Close`"),
            "{investing}"
        );
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
            Some(Layout::Series(series_layout(0, &[Some(Role::Date), None], None)))
        );
        let wide = |date, series| {
            Some(Layout::Series(SeriesLayout {
                date,
                series,
                named_by_file: false,
                ignored: vec![],
            }))
        };
        assert_eq!(detect("observation_date,DFF").ok(), wide(0, vec![1]));
        assert_eq!(detect("fed_cut_prob,DATE,hike_prob").ok(), wide(1, vec![0, 2]));
        assert_eq!(detect("Date,^RUT").ok(), wide(0, vec![1]));
        assert_eq!(
            detect("Date,vol").ok(),
            wide(0, vec![1]),
            "a near miss in a series file is a series"
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
        assert_eq!(code("Date,Open,High,Low"), missing, "prices without a close");
        assert_eq!(code("Date,Clsoe"), missing, "a close misspelled");
    }

    #[test]
    fn korean_exports() {
        // KRX 개별종목 시세 추이: date, close, change, change %, open, high, low, volume,
        // turnover, market value, shares listed.
        let krx = prices("일자,종가,대비,등락률,시가,고가,저가,거래량,거래대금,시가총액,상장주식수");
        assert_eq!(
            (krx.date, krx.close, krx.open, krx.high, krx.low, krx.volume),
            (0, 1, Some(4), Some(5), Some(6), Some(7))
        );
        assert_eq!(krx.ignored, vec![2, 3, 8, 9, 10]);
        assert!(krx.near_misses.is_empty());
        // Naver and brokers: 날짜 for the date, 전일비 for the change.
        let naver = prices("날짜,종가,전일비,시가,고가,저가,거래량");
        assert_eq!((naver.date, naver.close, naver.ignored), (0, 1, vec![2]));
        // ECOS: a long download with one value column, named by the file.
        let Ok(Layout::Series(ecos)) = detect("STAT_CODE,STAT_NAME,ITEM_NAME1,UNIT_NAME,TIME,DATA_VALUE") else {
            panic!("a series file")
        };
        assert_eq!((ecos.date, ecos.series, ecos.named_by_file), (4, vec![5], true));
        assert_eq!(ecos.ignored, vec![0, 1, 2, 3]);
        let Ok(Layout::Series(item)) = detect("시점,원/미국달러(매매기준율)") else {
            panic!("a series file")
        };
        assert_eq!((item.date, item.series, item.named_by_file), (0, vec![1], false));
    }

    /// Each header name that is a slip from a name rotor reads, and why it is one.
    #[test]
    fn near_misses_are_found() {
        let cases = [
            ("Adj Clse", Some("Adj Close"), "one letter left out"),
            ("hi", Some("High"), "an abbreviation"),
            ("lo", Some("Low"), "an abbreviation"),
            ("vol", Some("Volume"), "an abbreviation"),
            ("Hgih", Some("High"), "two letters swapped"),
            ("Opne", Some("Open"), "two letters swapped"),
            ("Closing", None, "two edits"),
            ("Change", None, "a known column rotor does not use"),
            ("h", None, "one letter says too little"),
            ("dividend", None, "not a price column"),
            ("등락률", None, "a known Korean column"),
        ];
        for (name, meant, why) in cases {
            assert_eq!(near_miss(&key(name)).map(|(_, m)| m), meant, "{name}: {why}");
        }
        let layout = prices("Date,Open,hi,Low,Close,Adj Clse,Volume");
        assert_eq!(
            layout.near_misses,
            vec![
                NearMiss {
                    column: 2,
                    meant: "High"
                },
                NearMiss {
                    column: 5,
                    meant: "Adj Close"
                }
            ]
        );
        assert_eq!(
            (layout.high, layout.adj_close, layout.ignored),
            (None, None, vec![2, 5])
        );
    }
}
