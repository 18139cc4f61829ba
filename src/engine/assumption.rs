//! What a backtest assumed, or found about the data, that its report must say. The facts
//! are gathered here; their words are the report's (`report::assumption`).

use chrono::NaiveDate;

use super::frame::{Frame, date_of};
use super::frequency::Frequency;
use crate::check::{Program, Window};

/// One default applied or fact found.
#[derive(Clone, Debug, PartialEq)]
pub enum Assumption {
    /// No `capital` or `contribute` line: the run started with this much cash, in USD.
    DefaultCapital(f64),
    /// No `fill` line: orders fill at the next trading day's open.
    DefaultFill,
    /// No `fees` line.
    NoFees,
    /// No `slippage` line.
    NoSlippage,
    /// These symbols' prices were adjusted for dividends and splits with their adj_close.
    AdjustedPrices(Vec<String>),
    /// A traded symbol has prices only from `date`: orders before it are skipped.
    ListedFrom { symbol: String, date: NaiveDate },
    /// No `bars per year` line: the bar frequency inferred from the dates, which the
    /// report's volatility, Sharpe and Sortino are annualised with.
    BarFrequency(Frequency),
    /// `expense` on these symbols, whose data are market prices (not index levels, whose
    /// tickers start with `^`): a fund's price already nets out its expenses, so the run
    /// takes them a second time. (The report leaves this out for the synthetic sample.)
    ExpenseOnMarketPrices(Vec<String>),
    /// A series' values were read when stale (older than its limit), or were not available
    /// for being stale (`stale after`).
    StaleSeries(super::staleness::StaleUse),
    /// The run's period differs from the one asked for.
    Period(super::period::PeriodFact),
    /// `on last trading day` without a `calendar` line: periods end on their last trading
    /// day by this exchange's holidays, chosen from the traded symbols.
    Calendar(crate::calendar::Exchange),
    /// A window or look-back needs `bars` bars but the data has `data_bars`: whatever
    /// reads it is never available (and nothing longer than the data is allocated).
    LongerThanData {
        reach: Reach,
        bars: usize,
        data_bars: usize,
    },
}

/// How far back an expression reaches, as the strategy wrote it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Reach {
    /// A function's window: `200`, `60 years`.
    Window(Window),
    /// A look-back: `x[5000]`.
    Lag(u32),
}

/// The assumptions of a run of `program` on `frame`; `default_capital` is the starting
/// cash it was given for want of a `capital` or `contribute` line, if it was, and
/// `frequency` the run's bar frequency.
pub fn assumptions(
    program: &Program,
    frame: &Frame,
    default_capital: Option<f64>,
    frequency: &Frequency,
) -> Vec<Assumption> {
    let mut out: Vec<Assumption> = default_capital.map(Assumption::DefaultCapital).into_iter().collect();
    if !program.fill_given {
        out.push(Assumption::DefaultFill);
    }
    if program.fee_rate == 0.0 && program.fee_per_trade == 0.0 {
        out.push(Assumption::NoFees);
    }
    if program.slippage == 0.0 {
        out.push(Assumption::NoSlippage);
    }
    let adjusted: Vec<String> = frame
        .symbols
        .iter()
        .filter(|s| s.adjusted)
        .map(|s| s.name.clone())
        .collect();
    if !adjusted.is_empty() {
        out.push(Assumption::AdjustedPrices(adjusted));
    }
    for s in &frame.symbols {
        if let Some(f) = s.first
            && f > 0
            && program.traded.contains(&s.name)
        {
            out.push(Assumption::ListedFrom {
                symbol: s.name.clone(),
                date: date_of(frame.days[f]),
            });
        }
    }
    if !frequency.declared {
        out.push(Assumption::BarFrequency(frequency.clone()));
    }
    let on_prices: Vec<String> = program
        .expenses
        .iter()
        .filter(|(symbol, ratio, _)| *ratio > 0.0 && !is_index(symbol))
        .map(|(symbol, _, _)| symbol.clone())
        .collect();
    if !on_prices.is_empty() {
        out.push(Assumption::ExpenseOnMarketPrices(on_prices));
    }
    if program.calendar.is_none() && crate::check::calendar::uses_last_trading_day(program) {
        out.push(Assumption::Calendar(crate::check::calendar::chosen(program)));
    }
    out
}

/// Whether a ticker names index levels: Yahoo and Stooq write indices with a leading `^`
/// (`^RUT`, `^GSPC`, `^spx`).
fn is_index(symbol: &str) -> bool {
    symbol.starts_with('^')
}
