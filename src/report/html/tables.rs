//! The tables of the HTML pages, as data for the templates: every cell's text as the text
//! summary writes it, and the number behind it (with its place in the JSON) for sorting
//! and for tests that compare the page with `--json`.

use serde::Serialize;

use crate::engine::Trade;
use crate::report::metrics::Metrics;
use crate::report::number::money;
use crate::report::round_trips::{Fifo, RoundTrip, Statistics};
use crate::report::rows::{Row, any_withdrawn, num_opt, pct, pct_opt, rank, rows};
use crate::report::zero::{clean, fixed};

/// A cell: what it shows, and the number it shows (`None` for a date or a missing figure).
#[derive(Clone, Debug, Serialize)]
pub struct Cell {
    pub text: String,
    /// The number, written so that it reads back as the very same f64 as in the JSON.
    pub value: Option<String>,
    /// Where the number is in the JSON, as `metrics.xirr` (empty when not in it).
    pub field: String,
}

impl Cell {
    pub fn new(text: String, value: Option<f64>, field: String) -> Cell {
        Cell {
            text,
            value: value.filter(|v| v.is_finite()).map(number),
            field,
        }
    }
}

/// A number as JSON writes it (shortest round trip, no `-0` and no `1e-13`).
pub fn number(v: f64) -> String {
    format!("{:?}", clean(v))
}

/// A row of figures: its label and one cell a column; `best` lists the columns with the
/// best figure (`rotor compare`).
#[derive(Clone, Debug, Serialize)]
pub struct FigureRow {
    pub label: String,
    pub cells: Vec<Cell>,
    pub best: Vec<usize>,
}

/// The figures table: a column per strategy (and benchmark).
#[derive(Clone, Debug, Serialize)]
pub struct Figures {
    pub columns: Vec<String>,
    pub rows: Vec<FigureRow>,
}

/// One column of [`figures`]: its heading, its metrics and where they are in the JSON
/// (`metrics`, `benchmark.metrics`, `strategies.1.metrics`).
pub struct Column<'a> {
    pub heading: String,
    pub metrics: &'a Metrics,
    pub path: String,
}

/// The figures of [`rows`] for each column; with `rank`, each row names its best columns.
pub fn figures(unit: &str, columns: &[Column], rank: bool) -> Figures {
    Figures {
        columns: columns.iter().map(|c| c.heading.clone()).collect(),
        rows: figure_rows(
            rows(unit, any_withdrawn(columns.iter().map(|c| c.metrics))),
            columns,
            rank,
        ),
    }
}

/// The cells of `rows` for each column; with `ranked`, each row names its best columns
/// ([`rank`]: none on a final value or profit when the columns put in different amounts, nor
/// on a total over the period when they cover different periods).
pub fn figure_rows(rows: Vec<Row>, columns: &[Column], ranked: bool) -> Vec<FigureRow> {
    rows.into_iter()
        .map(|row| {
            let cells: Vec<Cell> = columns
                .iter()
                .map(|c| {
                    Cell::new(
                        (row.text)(c.metrics),
                        (row.value)(c.metrics),
                        format!("{}.{}", c.path, row.field),
                    )
                })
                .collect();
            let metrics: Vec<_> = columns.iter().map(|c| Some(c.metrics)).collect();
            let best = if ranked { rank(&row, &metrics) } else { Vec::new() };
            FigureRow {
                label: row.label,
                cells,
                best,
            }
        })
        .collect()
}

/// A fill, for the trades table.
#[derive(Clone, Debug, Serialize)]
pub struct TradeRow {
    pub date: String,
    pub symbol: String,
    pub side: &'static str,
    pub shares: Cell,
    pub price: Cell,
    pub value: Cell,
    pub fee: Cell,
    pub rule: usize,
    /// The rule as written.
    pub rule_text: String,
    /// For a listing priced in the base currency (`priced in KRW`), its fill price in it
    /// ("13,000.00 KRW a share"); the price column is USD.
    pub listed: Option<String>,
}

/// The trades table; `listed` are the prices of listings priced in the base currency
/// (`priced in KRW`), by trade index ([`crate::engine::ListedPrice`]).
pub fn trades(trades: &[Trade], listed: &[crate::engine::ListedPrice], rules: &[String]) -> Vec<TradeRow> {
    trades
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let f = |name: &str| format!("trades.{i}.{name}");
            TradeRow {
                date: t.date.to_string(),
                symbol: t.symbol.to_string(),
                side: t.side,
                shares: Cell::new(fixed(t.shares, 4), Some(t.shares), f("shares")),
                price: Cell::new(fixed(t.price, 2), Some(t.price), f("price")),
                value: Cell::new(money(t.value), Some(t.value), f("value")),
                fee: Cell::new(money(t.fee), Some(t.fee), f("fee")),
                rule: t.rule,
                rule_text: t
                    .rule
                    .checked_sub(1)
                    .and_then(|r| rules.get(r))
                    .cloned()
                    // An exit's sale is of no rule: the hover names the exit.
                    .or_else(|| t.exit.map(|e| e.words().to_string()))
                    .unwrap_or_default(),
                listed: (listed.binary_search_by_key(&i, |l| l.trade).ok())
                    .map(|k| format!("{} {} a share", money(listed[k].price), listed[k].currency)),
            }
        })
        .collect()
}

/// A closed round trip, for its table.
#[derive(Clone, Debug, Serialize)]
pub struct TripRow {
    pub symbol: String,
    pub opened: String,
    pub closed: String,
    pub days: Cell,
    pub shares: Cell,
    pub entry: Cell,
    pub exit: Cell,
    pub profit: Cell,
    pub ret: Cell,
}

pub fn trips(trips: &[RoundTrip]) -> Vec<TripRow> {
    trips
        .iter()
        .map(|t| TripRow {
            symbol: t.symbol.clone(),
            opened: t.opened.clone(),
            closed: t.closed.clone(),
            days: Cell::new(t.days_held.to_string(), Some(f64::from(t.days_held)), String::new()),
            shares: Cell::new(fixed(t.shares, 4), Some(t.shares), String::new()),
            entry: Cell::new(fixed(t.entry_price, 2), Some(t.entry_price), String::new()),
            exit: Cell::new(fixed(t.exit_price, 2), Some(t.exit_price), String::new()),
            profit: Cell::new(money(t.profit), Some(t.profit), String::new()),
            ret: Cell::new(pct(t.ret), Some(t.ret), String::new()),
        })
        .collect()
}

/// A lot still held at the end, valued at the last close.
#[derive(Clone, Debug, Serialize)]
pub struct LotRow {
    pub symbol: String,
    pub opened: String,
    pub shares: Cell,
    pub cost: Cell,
    pub value: Cell,
    pub profit: Cell,
    pub ret: Cell,
}

/// The open lots, valued with `last_close(symbol)`.
pub fn lots(book: &Fifo, last_close: impl Fn(&str) -> f64) -> Vec<LotRow> {
    book.open()
        .map(|(symbol, lot)| {
            let value = lot.shares * last_close(symbol);
            let profit = value - lot.cost;
            let ret = (lot.cost > 0.0).then(|| profit / lot.cost);
            LotRow {
                symbol: symbol.to_string(),
                opened: lot.opened.clone(),
                shares: Cell::new(fixed(lot.shares, 4), Some(lot.shares), String::new()),
                cost: Cell::new(money(lot.cost), Some(lot.cost), String::new()),
                value: Cell::new(money(value), Some(value), String::new()),
                profit: Cell::new(money(profit), Some(profit), String::new()),
                ret: Cell::new(pct_opt(ret), ret, String::new()),
            }
        })
        .collect()
}

/// The round trips' statistics as (label, cell) rows, as a strategy tester lists them.
pub fn statistics(s: &Statistics) -> Vec<(String, Cell)> {
    let money_opt = |v: Option<f64>| v.map_or("-".to_string(), money);
    let row =
        |label: &str, text: String, value: Option<f64>| (label.to_string(), Cell::new(text, value, String::new()));
    vec![
        row("Closed round trips", s.closed.to_string(), Some(s.closed as f64)),
        row("Winning / losing", format!("{} / {}", s.winners, s.losers), None),
        row("Win rate", pct_opt(s.win_rate), s.win_rate),
        row("Gross profit (USD)", money(s.gross_profit), Some(s.gross_profit)),
        row("Gross loss (USD)", money(s.gross_loss), Some(s.gross_loss)),
        row("Net profit (USD)", money(s.net_profit), Some(s.net_profit)),
        row("Profit factor", num_opt(s.profit_factor), s.profit_factor),
        row("Average round trip (USD)", money_opt(s.average_trade), s.average_trade),
        row("Average win (USD)", money_opt(s.average_win), s.average_win),
        row("Average loss (USD)", money_opt(s.average_loss), s.average_loss),
        row(
            "Average win / average loss",
            num_opt(s.win_loss_ratio),
            s.win_loss_ratio,
        ),
        row("Largest win (USD)", money_opt(s.largest_win), s.largest_win),
        row("Largest loss (USD)", money_opt(s.largest_loss), s.largest_loss),
        row(
            "Average holding period",
            s.average_days_held
                .map_or("-".into(), |d| format!("{} days", fixed(d, 1))),
            s.average_days_held,
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_back_as_the_same_f64() {
        for v in [0.1, 1e-7, 123456.789, -0.000_000_000_01, 2.0 / 3.0] {
            let back: f64 = number(v).parse().unwrap();
            assert_eq!(back, clean(v));
        }
    }
}
