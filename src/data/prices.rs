//! Reading the rows of a price file into one [`PriceHistory`] per symbol.

use std::collections::HashMap;
use std::ops::Range;

use super::cell::{is_missing, parse_number};
use super::chronology::Chronology;
use super::date::parse_timestamp;
use super::error::DataError;
use super::input::Input;
use super::issue::Issue;
use super::layout::PriceLayout;
use super::record::{Field, Records};
use super::store::PriceHistory;

/// The histories of a price file, and what the report should say about reading it.
pub(crate) struct ReadPrices {
    pub histories: Vec<PriceHistory>,
    pub notes: Vec<String>,
}

/// Reads every row after the header. `symbol` names the history of a file without a
/// symbol column.
pub(crate) fn read_prices(
    input: &mut Input,
    layout: &PriceLayout,
    records: &mut Records,
    symbol: &str,
) -> Result<ReadPrices, DataError> {
    let mut reader = Reader {
        layout,
        width: input.header.len(),
        builders: Vec::new(),
        index: HashMap::new(),
        last: 0,
        no_volume: 0,
    };
    if layout.symbol.is_none() {
        reader.add(symbol, input.name);
    }
    let mut fields = Vec::with_capacity(input.header.len());
    while let Some(record) = records.next_record(&mut fields) {
        let line = record.map_err(|e| input.quote_error(e))?;
        input.rows += 1;
        if let Err(issue) = reader.row(input, &fields, line) {
            input.reject(issue)?;
        }
    }
    Ok(reader.finish(input))
}

/// One history while its rows come in.
struct Builder {
    history: PriceHistory,
    order: Chronology,
}

struct Reader<'l> {
    layout: &'l PriceLayout,
    width: usize,
    builders: Vec<Builder>,
    /// Builder index by symbol, for long files.
    index: HashMap<String, usize>,
    /// The builder of the previous row: long files usually list one symbol at a time.
    last: usize,
    /// Rows whose volume cell is empty or a missing marker.
    no_volume: usize,
}

impl Reader<'_> {
    fn add(&mut self, symbol: &str, file: &str) -> usize {
        let layout = self.layout;
        let history = PriceHistory {
            symbol: symbol.to_owned(),
            file: file.to_owned(),
            ts: Vec::new(),
            open: Vec::new(),
            high: Vec::new(),
            low: Vec::new(),
            close: Vec::new(),
            adj_close: layout.adj_close.map(|_| Vec::new()),
            volume: layout.volume.map(|_| Vec::new()),
        };
        self.builders.push(Builder {
            history,
            order: Chronology::default(),
        });
        self.index.insert(symbol.to_owned(), self.builders.len() - 1);
        self.builders.len() - 1
    }

    /// Checks one row completely, then appends it; a bad row changes nothing.
    fn row(&mut self, input: &Input, fields: &[Field], line: Range<usize>) -> Result<(), Issue> {
        let text = input.text;
        if fields.len() != self.width {
            return Err(Issue::Ragged {
                expected: self.width,
                found: fields.len(),
                span: line,
            });
        }
        let layout = self.layout;
        let date = &fields[layout.date];
        let ts = parse_timestamp(&date.value(text)).ok_or_else(|| Issue::BadDate {
            span: date.span.clone(),
        })?;
        let part = |column: Option<usize>| column.map(|i| price(text, fields, i));
        let [close, open, high, low, adj_close, volume] = leftmost([
            Some(price(text, fields, layout.close)),
            part(layout.open),
            part(layout.high),
            part(layout.low),
            part(layout.adj_close),
            layout.volume.map(|i| volume(text, fields, i)),
        ])?;
        let close = close.expect("the close column is always read");
        let (open, high, low) = (open.unwrap_or(close), high.unwrap_or(close), low.unwrap_or(close));
        let b = match layout.symbol {
            None => 0,
            Some(column) => self.builder_for(input, &fields[column])?,
        };
        let builder = &mut self.builders[b];
        builder
            .order
            .check(ts)
            .map_err(|disorder| Issue::disorder(disorder, builder.history.symbol.clone(), ts, date.span.clone()))?;
        builder.order.commit(ts);
        let history = &mut builder.history;
        history.ts.push(ts);
        history.open.push(open);
        history.high.push(high);
        history.low.push(low);
        history.close.push(close);
        if let (Some(column), Some(value)) = (history.adj_close.as_mut(), adj_close) {
            column.push(value);
        }
        if let (Some(column), Some(value)) = (history.volume.as_mut(), volume) {
            self.no_volume += usize::from(value.is_nan());
            column.push(value);
        }
        Ok(())
    }

    /// The builder for the symbol in `cell`, created on the symbol's first row.
    fn builder_for(&mut self, input: &Input, cell: &Field) -> Result<usize, Issue> {
        let symbol = cell.value(input.text);
        if symbol.is_empty() {
            return Err(Issue::EmptySymbol {
                span: cell.span.clone(),
            });
        }
        if self
            .builders
            .get(self.last)
            .is_some_and(|b| b.history.symbol == *symbol)
        {
            return Ok(self.last);
        }
        self.last = match self.index.get(&*symbol) {
            Some(&b) => b,
            None => self.add(&symbol, input.name),
        };
        Ok(self.last)
    }

    fn finish(self, input: &Input) -> ReadPrices {
        let layout = self.layout;
        let name = input.name;
        let column = |i: usize| format!("`{}`", input.header[i]);
        let mut notes = Vec::new();
        let mut reversed = Vec::new();
        let mut histories = Vec::new();
        for Builder { mut history, order } in self.builders {
            if history.ts.is_empty() {
                // Every row of this symbol was skipped; the skip note says so.
                continue;
            }
            if order.descending() {
                history.reverse();
                reversed.push(history.symbol.clone());
            }
            histories.push(history);
        }
        if !reversed.is_empty() {
            notes.push(format!(
                "{name}: rows of {} run newest first; rotor reads them oldest first",
                reversed.join(", ")
            ));
        }
        let absent: Vec<&str> = [(layout.open, "open"), (layout.high, "high"), (layout.low, "low")]
            .into_iter()
            .filter_map(|(column, what)| column.is_none().then_some(what))
            .collect();
        if !absent.is_empty() {
            notes.push(format!(
                "{name}: no {} column; rotor uses the close in its place",
                absent.join(", ")
            ));
        }
        if layout.adj_close == Some(layout.close) {
            notes.push(format!(
                "{name}: the only close is the adjusted close {}; rotor uses it as the close",
                column(layout.close)
            ));
        }
        if !layout.ignored.is_empty() {
            let ignored: Vec<String> = layout.ignored.iter().map(|&i| column(i)).collect();
            notes.push(format!("{name}: ignored column(s) {}", ignored.join(", ")));
        }
        if self.no_volume > 0 {
            notes.push(format!("{name}: {} row(s) have no volume", self.no_volume));
        }
        ReadPrices { histories, notes }
    }
}

/// The values of a row's numeric cells, or the leftmost bad one: the cell someone scanning
/// the row would find first, whatever order the columns come in.
fn leftmost<const N: usize>(cells: [Option<Result<f64, Issue>>; N]) -> Result<[Option<f64>; N], Issue> {
    let mut values = [None; N];
    let mut first: Option<Issue> = None;
    for (value, cell) in values.iter_mut().zip(cells) {
        match cell {
            Some(Ok(v)) => *value = Some(v),
            Some(Err(issue)) if first.as_ref().is_none_or(|f| issue.span().start < f.span().start) => {
                first = Some(issue);
            }
            Some(Err(_)) | None => {}
        }
    }
    first.map_or(Ok(values), Err)
}

/// The price in column `i`: a number above zero.
fn price(text: &str, fields: &[Field], i: usize) -> Result<f64, Issue> {
    let field = &fields[i];
    let value = parse_number(&field.value(text)).ok_or_else(|| Issue::NotANumber {
        column: i,
        series: false,
        span: field.span.clone(),
    })?;
    if value <= 0.0 {
        return Err(Issue::NotPositive {
            column: i,
            span: field.span.clone(),
        });
    }
    Ok(value)
}

/// The volume in column `i`, `NaN` when the cell marks it missing: volume is optional
/// information, unlike prices.
fn volume(text: &str, fields: &[Field], i: usize) -> Result<f64, Issue> {
    let field = &fields[i];
    let cell = field.value(text);
    if is_missing(&cell) {
        return Ok(f64::NAN);
    }
    parse_number(&cell).ok_or_else(|| Issue::NotANumber {
        column: i,
        series: false,
        span: field.span.clone(),
    })
}
