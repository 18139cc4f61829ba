//! What a backtest assumed, or found about the data, that its report must say. The facts
//! are gathered here; their words are the report's (`report::assumption`).

use chrono::NaiveDate;

use super::delisted::Delisting;
use super::frame::{Frame, date_of};
use super::frequency::Frequency;
use super::run::Run;
use crate::check::{Action, FillModel, Program, Window};

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
    /// The run's symbols have bars of different frequencies (a monthly file beside a daily
    /// one).
    MixedFrequencies(super::mixed::MixedFrequencies),
    /// A holding's symbol stopped trading: sold at its last close (`delisted sell`) or
    /// carried at it to the end.
    Delisted(Delisting),
    /// A holding valued at its last close over bars without a row of its symbol.
    HeldWithoutRows(super::unpriced::HeldWithoutRows),
    /// `fill next open` on traded symbols whose files have no open column (or one not on
    /// the scale of an adjusted close, `data::two_scales`): their orders fill at the next
    /// bar's close.
    CloseOnly(Vec<String>),
    /// A `rotate` beside other rules: its 1/N is of the whole portfolio's value, holdings
    /// other rules manage included.
    RotateWholePortfolio,
    /// `expense` on these symbols, whose data are market prices (not index levels, whose
    /// tickers start with `^`): a fund's price already nets out its expenses, so the run
    /// takes them a second time. (The report leaves this out for the synthetic sample.)
    ExpenseOnMarketPrices(Vec<String>),
    /// A series' values were read when stale (older than its limit), or were not available
    /// for being stale (`stale after`).
    StaleSeries(super::staleness::StaleUse),
    /// A series the rules read, observed monthly or more rarely, with no `lag` line: each
    /// value was used from its own date, as if published that day.
    Unlagged(super::staleness::Unlagged),
    /// The run's period differs from the one asked for.
    Period(super::period::PeriodFact),
    /// `on last trading day` without a `calendar` line: periods end on their last trading
    /// day by this exchange's holidays, chosen from the traded symbols.
    Calendar(crate::calendar::Exchange),
    /// Dividends are paid as cash (`dividends cash`, a dividend file, `reinvest
    /// dividends`): the symbols with dividend data (traded, or read by expressions), each
    /// with where its dividends were read (their prices are the raw close), and the traded
    /// symbols without any (their prices as the data has them); `withholding` is the
    /// fraction withheld at payment.
    Dividends {
        reinvest: bool,
        withholding: f64,
        paid: Vec<(String, String)>,
        without: Vec<String>,
    },
    /// A window or look-back needs `bars` bars but the data has `data_bars`: whatever
    /// reads it is never available (and nothing longer than the data is allocated).
    LongerThanData {
        reach: Reach,
        bars: usize,
        data_bars: usize,
    },
    /// The only rule is a recurring `buy SYMBOL` without an amount (all the cash), and no
    /// cash ever comes in after the start (no contributions, sales, dividends or interest):
    /// its first fill spent everything, and `empty` later orders found no cash.
    AllCashOnce { symbol: String, empty: usize },
    /// Traded Korean listings ([`crate::calendar::Exchange::of_symbol`]): priced in won,
    /// their prices were taken as US dollars, as every price is (docs/DATA.md). The same
    /// fact `rotor::run::price_currency` warns about, kept with the figures it affects.
    PricesAsUsd(Vec<String>),
    /// `priced in KRW …`: these listings' prices were converted from `code` to USD at each
    /// bar's value of `rate` (engine/priced.rs); `no_rate` are those with rows on bars of
    /// the period where the rate was not available (left out): how many, and the first.
    /// `listed_tax`: `tax korea-listed` taxes them as funds of overseas shares.
    PricesConverted {
        code: String,
        rate: String,
        symbols: Vec<String>,
        no_rate: Vec<(String, usize, NaiveDate)>,
        listed_tax: bool,
    },
    /// Scheduled contributions whose dates fell where the data has no bar (a month missing
    /// from the file): `count` of them, the first due on `first_due`, were credited on the
    /// next bar (`credited`, the first such bar) with the one due there.
    ContributionsLate {
        count: usize,
        first_due: NaiveDate,
        credited: NaiveDate,
    },
    /// Scheduled contributions (or the capital) in the base currency due on bars where the
    /// exchange rate `rate` had no usable value: `count` of them, the first due on
    /// `first_due` and credited on `credited`, each on the first later bar with a rate, at
    /// that bar's rate; the latest came in `most_days_late` calendar days after its day.
    ContributionsAwaitedRate {
        count: usize,
        rate: String,
        first_due: NaiveDate,
        credited: NaiveDate,
        most_days_late: i32,
    },
    /// Contributions in the base currency that were never credited: `rate` had no usable
    /// value from the day the first was due (`first_due`) to the end of the data.
    ContributionsNeverCredited {
        count: usize,
        rate: String,
        first_due: NaiveDate,
    },
    /// Dividends of listings priced in the base currency whose ex-date had no usable `rate`:
    /// `count` of them, the first with ex-date `first_ex`, paid on `paid`, each on the first
    /// later bar with a rate, at that bar's rate; the latest `most_days_late` days after.
    DividendsAwaitedRate {
        count: usize,
        rate: String,
        first_ex: NaiveDate,
        paid: NaiveDate,
        most_days_late: i32,
    },
    /// Such dividends never paid: `rate` had no usable value from the ex-date of the first
    /// (`first_ex`) to the end of the data.
    DividendsNeverPaid {
        count: usize,
        rate: String,
        first_ex: NaiveDate,
    },
    /// The benchmark's buy-and-hold run bought nothing (its symbol has no price on any bar
    /// of the period, or no cash came in): it is left out of the report.
    BenchmarkBoughtNothing(String),
}

/// How far back an expression reaches, as the strategy wrote it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Reach {
    /// A function's window: `200`, `60 years`.
    Window(Window),
    /// A look-back: `x[5000]`.
    Lag(u32),
}

/// The assumptions of `run`, of `program` on `frame` from bar `start`; `default_capital`
/// is the starting cash it was given for want of a `capital` or `contribute` line, if it
/// was.
pub fn assumptions(
    program: &Program,
    frame: &Frame,
    start: usize,
    default_capital: Option<f64>,
    run: &Run,
) -> Vec<Assumption> {
    let frequency = &run.frequency;
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
            && f > start
            && program.traded.contains(&s.name)
        {
            out.push(Assumption::ListedFrom {
                symbol: s.name.clone(),
                date: date_of(frame.days[f]),
            });
        }
    }
    let is_traded =
        |name: &String| program.traded.contains(name) || program.benchmark.as_ref().is_some_and(|(b, _)| b == name);
    let close_only: Vec<String> = frame
        .symbols
        .iter()
        .filter(|s| s.close_only && is_traded(&s.name))
        .map(|s| s.name.clone())
        .collect();
    if program.fill == FillModel::NextOpen && !close_only.is_empty() {
        out.push(Assumption::CloseOnly(close_only));
    }
    // Only a rotation that shares its budget (the account, or its sleeve) with other rules.
    let shared = |r: &crate::check::Rule| program.rules.iter().filter(|o| o.sleeve == r.sleeve).count() > 1;
    let rotates = (program.rules.iter()).any(|r| matches!(r.action, Action::Rotate { .. }) && shared(r));
    if rotates {
        out.push(Assumption::RotateWholePortfolio);
    }
    let korean: Vec<String> = program.unconverted_korean_listings().cloned().collect();
    if !korean.is_empty() {
        out.push(Assumption::PricesAsUsd(korean));
    }
    if let (Some(p), Some(c)) = (&program.priced, &program.currency) {
        let no_rate = (frame.no_rate.iter())
            .filter_map(|(s, bars)| {
                let from = bars.partition_point(|&t| t < start);
                let first = *bars.get(from)?;
                Some((
                    frame.symbols[*s].name.clone(),
                    bars.len() - from,
                    date_of(frame.days[first]),
                ))
            })
            .collect();
        out.push(Assumption::PricesConverted {
            code: p.code.clone(),
            rate: c.rate_series.clone(),
            symbols: p.symbols.iter().map(|(s, _)| s.clone()).collect(),
            no_rate,
            listed_tax: program.money.tax.as_ref().is_some_and(|t| t.name == "korea-listed"),
        });
    }
    if !frequency.declared {
        out.push(Assumption::BarFrequency(frequency.clone()));
    }
    out.extend(run.delisted.iter().cloned().map(Assumption::Delisted));
    let on_prices: Vec<String> = program
        .expenses
        .iter()
        .filter(|(symbol, ratio, _)| *ratio > 0.0 && !is_index(symbol))
        .map(|(symbol, _, _)| symbol.clone())
        .collect();
    if !on_prices.is_empty() {
        out.push(Assumption::ExpenseOnMarketPrices(on_prices));
    }
    if let Some(payout) = &program.money.dividends {
        // Every symbol with dividend data reads its raw close, traded or only read by
        // expressions; the traded ones without any keep their prices.
        let paid = (frame.symbols.iter())
            .filter_map(|s| Some((s.name.clone(), s.dividend.as_ref()?.1.clone())))
            .collect();
        let without = (frame.symbols.iter())
            .filter(|s| is_traded(&s.name) && s.dividend.is_none())
            .map(|s| s.name.clone())
            .collect();
        out.push(Assumption::Dividends {
            reinvest: payout.reinvest,
            withholding: program.money.dividend_tax,
            paid,
            without,
        });
    }
    if program.calendar.is_none() && crate::check::calendar::uses_last_trading_day(program) {
        out.push(Assumption::Calendar(crate::check::calendar::chosen(program)));
    }
    if let Some(late) = contributions_late(program, frame, start) {
        out.push(late);
    }
    // The rule filled (its first order spent the cash) and later orders found none.
    if let Some(symbol) = all_cash_once(program)
        && run.counters.trades > 0
        && run.counters.empty_orders > 0
    {
        let empty = run.counters.empty_orders;
        out.push(Assumption::AllCashOnce { symbol, empty });
    }
    out
}

/// The contributions credited late, on the bar after a stretch without bars
/// ([`super::run::passed_over_from`]), if any were.
fn contributions_late(program: &Program, frame: &Frame, start: usize) -> Option<Assumption> {
    let late: Vec<_> = (program.contributions.iter())
        .flat_map(|c| super::run::passed_over_from(&c.schedule, frame, start))
        .collect();
    let first = late.iter().min_by_key(|p| p.first_due)?;
    Some(Assumption::ContributionsLate {
        count: late.iter().map(|p| p.extra as usize).sum(),
        first_due: date_of(first.first_due),
        credited: date_of(frame.days[first.bar]),
    })
}

/// The symbol of a strategy whose only rule is a recurring `buy SYMBOL` without an amount,
/// when nothing else in the program brings or frees cash after the start: no
/// contributions, exits or sleeves, no dividends paid as cash, no interest. Such a rule
/// invests everything at its first fill and has nothing to buy with afterwards — the plain
/// reading of `buy IWO monthly` as "invest monthly" is wrong there. With other rules
/// beside it, whose orders the run's counts mix with its own, nothing is said.
fn all_cash_once(program: &Program) -> Option<String> {
    use crate::check::Size;
    use crate::syntax::ast::ScheduleKind;
    if !program.contributions.is_empty()
        || !program.exits.is_empty()
        || program.money.dividends.is_some()
        || program.money.interest.is_some()
        || !program.sleeves.is_empty()
    {
        return None;
    }
    match &program.rules[..] {
        [rule] => match &rule.action {
            Action::Trade {
                buy: true,
                symbol,
                size: Size::All,
                computed: None,
            } if !matches!(rule.schedule, Some(ScheduleKind::Once(_))) => Some(symbol.clone()),
            _ => None,
        },
        _ => None,
    }
}

/// Whether a ticker names index levels: Yahoo and Stooq write indices with a leading `^`
/// (`^RUT`, `^GSPC`, `^spx`).
fn is_index(symbol: &str) -> bool {
    symbol.starts_with('^')
}
