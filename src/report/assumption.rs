//! The words for what a backtest assumed ([`Assumption`]), as the report lists them under
//! "Assumed".

use super::number::{money, thousands};
use super::zero::fixed;
use crate::check::Window;
use crate::engine::frequency::{CALENDAR_DAYS, Frequency, Kind, TRADING_DAYS};
use crate::engine::period::PeriodFact;
use crate::engine::staleness::{COARSE_SPACING_DAYS, FACTOR, Limit, MIN_DAYS, StaleUse, Unlagged};
use crate::engine::{Assumption, Delisting, Reach, date_of};

/// `dividends cash` in words: what was paid, from where, at which prices.
fn dividends(reinvest: bool, withholding: f64, paid: &[(String, String)], without: &[String]) -> String {
    let mut out = String::from("dividends are paid as cash on their ex-dates, on the shares held at the close before");
    if withholding > 0.0 {
        let pct = fixed(withholding * 100.0, 2);
        let pct = pct.trim_end_matches('0').trim_end_matches('.');
        out.push_str(&format!(", less {pct}% withheld"));
    }
    if reinvest {
        out.push_str(", and buy more of the same symbol by the fill rule (`reinvest dividends`)");
    }
    if paid.is_empty() {
        out.push_str("; but no symbol has dividend data, so none is paid");
    } else {
        let from: Vec<String> = paid.iter().map(|(s, f)| format!("{s} ({f})")).collect();
        out.push_str(&format!(
            "; prices are the raw close, not an adjusted close, so that no dividend is counted twice: {}",
            from.join(", ")
        ));
    }
    if !without.is_empty() {
        out.push_str(&format!(
            "; no dividend data for {}: their prices are used as the data has them (an adjusted close holds the dividends, a raw one none)",
            without.join(", ")
        ));
    }
    out
}

/// One assumption in words.
pub fn words(assumption: &Assumption) -> String {
    match assumption {
        Assumption::DefaultCapital(usd) => format!(
            "no `capital` or `contribute` line: assumed a starting capital of {} USD",
            thousands(*usd)
        ),
        Assumption::DefaultFill => {
            "orders fill at the next trading day's open (default; `fill close` to change)".into()
        }
        Assumption::NoFees => "no trading fees (add e.g. `fees 0.05%`)".into(),
        Assumption::NoSlippage => "no slippage (add e.g. `slippage 0.02%`)".into(),
        Assumption::AdjustedPrices(symbols) => format!(
            "prices adjusted for dividends and splits with adj_close (total return): {}",
            symbols.join(", ")
        ),
        Assumption::ListedFrom { symbol, date } => {
            format!("{symbol} has prices only from {date}; orders before that are skipped")
        }
        Assumption::BarFrequency(frequency) => bar_frequency(frequency),
        Assumption::MixedFrequencies(m) => mixed_frequencies(m),
        Assumption::Delisted(d) => delisted(d),
        Assumption::HeldWithoutRows(h) => held_without_rows(h),
        Assumption::CloseOnly(symbols) => format!(
            "no open prices for {} (no open column, or none on the close's scale): `fill next open` fills their orders at the next bar's close",
            symbols.join(", ")
        ),
        Assumption::ContributionsLate {
            count,
            first_due,
            credited,
        } => format!(
            "{} due when the data has no bar (the first on {first_due}) {} credited on the next bar ({credited})",
            crate::display::count(*count, "contribution"),
            if *count == 1 { "was" } else { "were" }
        ),
        Assumption::ContributionsAwaitedRate {
            count: 1,
            rate,
            first_due,
            credited,
            most_days_late,
        } => format!(
            "1 contribution had no usable {rate} on the day it was due ({first_due}): credited on the first \
             later bar with one, at that bar's rate ({credited}, {} late)",
            crate::display::count(*most_days_late as usize, "day")
        ),
        Assumption::ContributionsAwaitedRate {
            count,
            rate,
            first_due,
            credited,
            most_days_late,
        } => format!(
            "{count} contributions had no usable {rate} on the day they were due (the first {first_due}): each \
             credited on the first later bar with one, at that bar's rate (the first on {credited}; up to {} late)",
            crate::display::count(*most_days_late as usize, "day")
        ),
        Assumption::ContributionsNeverCredited { count, rate, first_due } => format!(
            "{} never credited: {rate} had no usable value from the day {} due ({first_due}) to the end",
            if *count == 1 {
                "1 contribution was".to_string()
            } else {
                format!("{count} contributions were")
            },
            if *count == 1 { "it was" } else { "the first was" }
        ),
        Assumption::DividendsAwaitedRate {
            count,
            rate,
            first_ex,
            paid,
            most_days_late,
        } => format!(
            "{} of a listing priced in won had no usable {rate} on {} ex-date ({}{first_ex}): paid on the first \
             later bar with one, at that bar's rate ({}{paid}{}{} late)",
            crate::display::count(*count, "dividend"),
            if *count == 1 { "its" } else { "their" },
            if *count == 1 { "" } else { "the first " },
            if *count == 1 { "" } else { "the first on " },
            if *count == 1 { ", " } else { "; up to " },
            crate::display::count(*most_days_late as usize, "day")
        ),
        Assumption::DividendsNeverPaid { count, rate, first_ex } => format!(
            "{} of a listing priced in won never paid: {rate} had no usable value from {} ex-date ({first_ex}) \
             to the end",
            crate::display::count(*count, "dividend"),
            if *count == 1 { "its" } else { "the first one's" }
        ),
        Assumption::AllCashOnce { symbol, empty } => format!(
            "`buy {symbol}` names no amount, so each order spends all the cash there is; nothing brings cash in \
             after the start (no `contribute` line, no sales), so its first order invested everything and {} found no cash \
             (to invest every period, add e.g. `contribute 500 USD monthly`)",
            crate::display::count(*empty, "later order")
        ),
        Assumption::PricesAsUsd(symbols) => format!(
            "{} {}: priced in won, but every price is taken as US dollars (a won price of 11,905 is valued as 11,905 USD); `priced in KRW {}` with a `currency KRW using …` line converts them at each day's rate (docs/DATA.md, \"Listings priced in won\")",
            if symbols.len() == 1 { "Korean listing" } else { "Korean listings" },
            symbols.join(", "),
            symbols.join(", ")
        ),
        Assumption::PricesConverted {
            code,
            rate,
            symbols,
            no_rate,
            listed_tax,
        } => prices_converted(code, rate, symbols, no_rate, *listed_tax),
        Assumption::BenchmarkBoughtNothing(symbol) => format!(
            "benchmark {symbol} is not shown: bought with the same cash, it bought nothing in the run (no price of \
             {symbol} on any bar of the period, or no cash to buy with)"
        ),
        Assumption::RotateWholePortfolio => {
            "`rotate` gives each chosen candidate 1/N of the whole portfolio's value, \
             holdings other rules manage included (in a sleeve: of the sleeve's value): it sells nothing it does not rank, and its buys are shrunk to \
             the cash there is"
                .into()
        }
        Assumption::ExpenseOnMarketPrices(symbols) => format!(
            "expense {}: market prices of a fund already net out its expenses, so they are taken twice; \
             use `expense` with index levels (a `^` ticker) or the synthetic sample",
            symbols.join(", ")
        ),
        Assumption::StaleSeries(stale) => stale_series(stale),
        Assumption::Unlagged(u) => unlagged(u),
        Assumption::Period(fact) => period(fact),
        Assumption::Calendar(exchange) => format!(
            "`on last trading day` keeps the {} holiday calendar, the traded symbols' exchange{}; \
             `calendar nyse`, `calendar krx` or `calendar weekdays` chooses one",
            exchange.name(),
            match exchange {
                crate::calendar::Exchange::Krx => " (holidays known for 2001–2040)",
                _ => "",
            }
        ),
        Assumption::Dividends {
            reinvest,
            withholding,
            paid,
            without,
        } => dividends(*reinvest, *withholding, paid, without),
        Assumption::LongerThanData { reach, bars, data_bars } => format!(
            "`{}` needs {} bars but the data has {}: what uses it is never available",
            written(reach),
            thousands(*bars as f64),
            thousands(*data_bars as f64)
        ),
    }
}

/// `DDD: no prices after 2024-03-15; its 10 shares …`
fn delisted(d: &Delisting) -> String {
    let head = format!(
        "{}: no prices after {}; its {} shares",
        d.symbol,
        date_of(d.last_day),
        fixed(d.shares, 4).trim_end_matches('0').trim_end_matches('.')
    );
    let close = money(d.last_close);
    let days = match d.carried_days {
        1 => "1 trading day".to_string(),
        n => format!("{n} trading days"),
    };
    match d.sold_on {
        Some(day) => format!(
            "{head} were sold at that day's close ({close} USD) on {}, {days} later (`delisted sell`)",
            date_of(day)
        ),
        None => format!(
            "{head} are valued at that day's close ({close} USD) for the last {days} of the run (`delisted sell` sells such a holding)"
        ),
    }
}

/// `AAA: held on 6 bars without a row of its own, valued at its last close before them: …`
fn held_without_rows(h: &crate::engine::unpriced::HeldWithoutRows) -> String {
    let bars = |n: usize| crate::display::count(n, "bar");
    let stretches = match h.stretches {
        1 => String::new(),
        n => format!(" (in {n} stretches)"),
    };
    format!(
        "{}: held on {}{stretches} without a row of its own, valued at its last close before them: {}the close of {} used on {} until {}",
        h.symbol,
        bars(h.bars),
        if h.stretches > 1 { "the longest, " } else { "" },
        date_of(h.close_day),
        bars(h.longest),
        date_of(h.until)
    )
}

/// A window or look-back as the strategy writes it: `200`, `60 years`, `[5000]`.
fn written(reach: &Reach) -> String {
    match reach {
        Reach::Window(Window::Bars(n)) => format!("{n}"),
        Reach::Window(Window::Duration(n, unit)) => format!("{n} {}", unit.word(*n)),
        Reach::Lag(bars) => format!("[{bars}]"),
    }
}

/// `sig last observed 2024-02-15, used for 4 decisions until 2024-06-03: older than 7 days
/// (…)`, or with `stale after`: `… not available for 3 decisions until …`.
fn stale_series(s: &StaleUse) -> String {
    let uses = match (s.decisions, s.uses) {
        (true, 1) => "1 decision".to_string(),
        (true, n) => format!("{n} decisions"),
        (false, 1) => "1 bar".to_string(),
        (false, n) => format!("{n} bars"),
    };
    let head = format!("{} last observed {}", s.series, s.last_observed);
    match &s.limit {
        Limit::Declared { days, months } => {
            format!(
                "{head}: not available for {uses} until {} (`stale after {}`)",
                s.until,
                span(*days, *months)
            )
        }
        Limit::Usual { spacing, days } => format!(
            "{head}, {} {uses} until {}: older than {} ({FACTOR} × its usual spacing of {}, and at least {MIN_DAYS} \
             days); `stale after N days` makes such values not available",
            if s.decisions { "used for" } else { "used on" },
            s.until,
            self::days(*days as f64),
            self::days(*spacing)
        ),
    }
}

/// `period: starts 2024-01-02, where the prices start, not 2023-06-01 as asked`
fn period(fact: &PeriodFact) -> String {
    match fact {
        PeriodFact::PricesStartLate { start, asked } => {
            format!("period: starts {start}, where the prices start, not {asked} as asked")
        }
        PeriodFact::PricesEndEarly { end, asked } => {
            format!("period: ends {end}, where the prices end, not {asked} as asked")
        }
        PeriodFact::RateStartsLate {
            start,
            series,
            code,
            prices,
        } => format!("period: starts {start}, when {series} ({code} per USD) starts; the prices start {prices}"),
    }
}

/// How the REPL says a value is past its limit: `stale` (the usual spacing), or
/// `stale after 30 days` (a `stale after` line: the value is not available).
pub fn stale_limit(limit: &Limit) -> String {
    match limit {
        Limit::Usual { .. } => "stale".into(),
        Limit::Declared { days, months } => format!("stale after {}", span(*days, *months)),
    }
}

/// A series read from its own date without a `lag`: the delay of its release when known,
/// else the delay the usual releases of its spacing have.
fn unlagged(u: &Unlagged) -> String {
    let every = if u.spacing.round() == 1.0 {
        "one value a day".to_string()
    } else {
        format!("one value about every {} days", u.spacing.round())
    };
    let head = format!("{} has {every}, each used from its own date", u.series);
    match u.release {
        Some(r) => format!(
            "{head}; {}: add `lag {} {}`, else the run reads each value before it was known",
            r.when, u.series, r.lag
        ),
        None if u.spacing < COARSE_SPACING_DAYS => format!(
            "{head}; a weekly figure is usually dated by the week it is for and published days later (FRED \
             dates initial claims, ICSA, on the Saturday that ends the week, published the next Thursday; \
             continued claims, CCSA, a week later still): if so, add `lag {} 2 weeks` (or the delay it has), \
             else the run reads it before it was known",
            u.series
        ),
        None => format!(
            "{head}; a monthly or quarterly figure is usually published weeks after the date it is for (FRED \
             dates a month's figure on its first day; the US jobs report comes out in the first days of the \
             next month, CPI around its middle, GDP a month after its quarter): if so, add `lag {} {}` (or the \
             delay it has), else the run reads it before it was known",
            u.series,
            publication_delay(u.spacing)
        ),
    }
}

/// A `lag` that no US monthly or quarterly release beats, for a series whose observations
/// are `spacing` days apart: FRED dates a month's figure on its first day and the figure is
/// published in the next month — the jobs report (UNRATE, PAYEMS) on about its first Friday,
/// CPI (CPIAUCSL) around the 10th–15th — so `1 month` (visible on the 1st) is still up to two
/// weeks early and `45 days` (the 15th of the next month, the 18th after February) is not; a
/// quarter's GDP comes about 30 days after the quarter ends, four months after its date; a
/// year's figure (dated 1 January) comes after the year ends, 13 months after its date.
/// Sources: the BLS and BEA release calendars (bls.gov/schedule, bea.gov/news/schedule).
fn publication_delay(spacing: f64) -> &'static str {
    if spacing > 200.0 {
        "13 months"
    } else if spacing > 60.0 {
        "4 months"
    } else {
        "45 days"
    }
}

/// `30 days`, `1 month`, `1 month 5 days`
fn span(days: i32, months: i32) -> String {
    let months = match months {
        0 => None,
        1 => Some("1 month".to_string()),
        n => Some(format!("{n} months")),
    };
    let days = (days != 0 || months.is_none()).then(|| self::days(f64::from(days)));
    months.into_iter().chain(days).collect::<Vec<_>>().join(" ")
}

/// `bars: weekly (a median of 7 days apart): … annualised with 52 bars a year …`
fn bar_frequency(f: &Frequency) -> String {
    let n = if f.bars_per_year.fract() == 0.0 {
        thousands(f.bars_per_year)
    } else {
        format!("{:.2}", f.bars_per_year)
    };
    let how = match (f.kind, f.median_gap) {
        (Kind::Intraday, _) => format!("intraday, {} bars a trading day × {TRADING_DAYS} days", f.bars_per_day),
        (Kind::Daily, None) => "daily (a single date: nothing to tell from)".to_string(),
        (Kind::Daily, Some(gap)) if f.seven_day_weeks => format!(
            "daily (a median of {} apart) on every day of the week (a bar on the Saturday and the Sunday of most weeks, so {CALENDAR_DAYS} a year, not {TRADING_DAYS})",
            days(gap)
        ),
        (kind, Some(gap)) => format!("{} (a median of {} apart)", kind_word(kind), days(gap)),
        (kind, None) => kind_word(kind).to_string(),
    };
    format!(
        "bars: {how}: volatility, Sharpe and Sortino are annualised with {n} bars a year (`bars per year N` to change)"
    )
}

/// `bars of different frequencies: AAA monthly (a median of 29 days between its rows), BBB
/// daily (1 day); …`
fn mixed_frequencies(m: &crate::engine::mixed::MixedFrequencies) -> String {
    let each: Vec<String> = (m.symbols.iter().enumerate())
        .map(|(i, (symbol, kind, gap))| {
            let gap = match (gap, i) {
                (None, _) => String::new(),
                (Some(g), 0) => format!(" (a median of {} between its rows)", days(*g)),
                (Some(g), _) => format!(" ({})", days(*g)),
            };
            format!("{symbol} {}{gap}", kind_word(*kind))
        })
        .collect();
    let n = if m.bars_per_year.fract() == 0.0 {
        thousands(m.bars_per_year)
    } else {
        format!("{:.2}", m.bars_per_year)
    };
    format!(
        "bars of different frequencies: {}; the run has a bar wherever one of its files has a row ({} bars), \
         and a schedule fires on those; a symbol is priced only on its own rows: between them its holding is \
         valued at its last close and its orders wait for its next row; volatility, Sharpe and Sortino are \
         annualised with the run's {n} bars a year, on which its equity is valued",
        each.join(", "),
        kind_word(m.run)
    )
}

/// `1 day`, `7 days`, `7.5 days`
fn days(n: f64) -> String {
    if n == 1.0 { "1 day".into() } else { format!("{n} days") }
}

fn kind_word(kind: Kind) -> &'static str {
    kind.word()
}

/// The note on a run shorter than a year (`None` otherwise, or when neither CAGR nor XIRR
/// is a number): both are annual rates, so a few weeks' return is raised to the power
/// 365.25 / days (CAGR) or 365 / days (XIRR), and a 3-week gain of 10% reads as a CAGR
/// over 300%. `days` are the calendar days from the first bar to the last, as CAGR counts
/// them ([`super::metrics::Metrics::years`]).
pub fn short_run(m: &super::metrics::Metrics) -> Option<String> {
    let days = (m.years * super::metrics::DAYS_PER_YEAR).round() as usize;
    let (start, end) = (m.start.as_deref()?, m.end.as_deref()?);
    let rated = m.cagr.is_some() || m.xirr.is_some();
    (rated && m.years > 0.0 && m.years < 1.0).then(|| {
        format!(
            "the run covers {} (from {start} to {end}), less than a year; CAGR and XIRR are annualised from it",
            crate::display::count(days, "day")
        )
    })
}

/// The note on the bundled sample data, first of all when it was used.
pub const SYNTHETIC_DATA: &str =
    "data: the bundled SYNTHETIC sample data (generated, not market prices; see examples/data/README.md)";

/// `priced in KRW …`: how the listings' prices were converted, every bar where one could
/// not be, and what `tax korea-listed` takes them for.
fn prices_converted(
    code: &str,
    rate: &str,
    symbols: &[String],
    no_rate: &[(String, usize, chrono::NaiveDate)],
    listed_tax: bool,
) -> String {
    let mut s = format!(
        "{} priced in {code}: each bar's prices converted to USD at that bar's {rate} ({code} per USD, its last \
         value on or before the bar); rules, fills and every price in this report read them in USD; the \
         account's cash is held in USD, so {code} waiting to buy one (a contribution before its fill) or left \
         after a sale moves with the rate until spent, as {code} cash would not",
        symbols.join(", ")
    );
    for (symbol, bars, first) in no_rate {
        s.push_str(&format!(
            "; {symbol} had prices but no usable {rate} on {} (the first {first}): those prices were left out \
             (no fill there, valued at its last converted close)",
            crate::display::count(*bars, "bar")
        ));
    }
    if listed_tax {
        s.push_str(&format!(
            "; `tax korea-listed` taxes each as a Korean-listed fund of overseas shares (15.4% of the {code} gain at \
             each sale); a fund of Korean shares has its trading gains untaxed: leave `tax` out for it"
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facts_read_as_the_report_states_them() {
        let date = chrono::NaiveDate::from_ymd_opt(2024, 2, 1).expect("a date");
        let cases = [
            (
                Assumption::DefaultCapital(10_000.0),
                "no `capital` or `contribute` line: assumed a starting capital of 10,000 USD",
            ),
            (
                Assumption::AdjustedPrices(vec!["IWM".into(), "SPY".into()]),
                "prices adjusted for dividends and splits with adj_close (total return): IWM, SPY",
            ),
            (
                Assumption::Dividends {
                    reinvest: true,
                    withholding: 0.15,
                    paid: vec![("IWO".into(), "IWO_div.csv".into())],
                    without: vec!["IWN".into()],
                },
                "dividends are paid as cash on their ex-dates, on the shares held at the close before, less \
                 15% withheld, and buy more of the same symbol by the fill rule (`reinvest dividends`); \
                 prices are the raw close, not an adjusted close, so that no dividend is counted twice: \
                 IWO (IWO_div.csv); no dividend data for IWN: their prices are used as the data has them \
                 (an adjusted close holds the dividends, a raw one none)",
            ),
            (
                Assumption::Dividends {
                    reinvest: false,
                    withholding: 0.1544,
                    paid: Vec::new(),
                    without: Vec::new(),
                },
                "dividends are paid as cash on their ex-dates, on the shares held at the close before, \
                 less 15.44% withheld; but no symbol has dividend data, so none is paid",
            ),
            (
                Assumption::ListedFrom {
                    symbol: "CCC".into(),
                    date,
                },
                "CCC has prices only from 2024-02-01; orders before that are skipped",
            ),
            (
                Assumption::BarFrequency(Frequency::of(&[19_000, 19_007, 19_014, 19_021], None)),
                "bars: weekly (a median of 7 days apart): volatility, Sharpe and Sortino are annualised with 52 bars a year (`bars per year N` to change)",
            ),
            (
                Assumption::BarFrequency(Frequency::of(&[19_000, 19_015, 19_030, 19_045, 19_060], None)),
                "bars: irregular (a median of 15 days apart): volatility, Sharpe and Sortino are annualised with 24.35 bars a year (`bars per year N` to change)",
            ),
            (
                // Two weeks of a bar every day, from Monday 2024-01-01.
                Assumption::BarFrequency(Frequency::of(&(19_723..19_737).collect::<Vec<_>>(), None)),
                "bars: daily (a median of 1 day apart) on every day of the week (a bar on the Saturday and the Sunday of most weeks, so 365 a year, not 252): volatility, Sharpe and Sortino are annualised with 365 bars a year (`bars per year N` to change)",
            ),
            (
                Assumption::BarFrequency(Frequency::of(&[19_000, 19_000, 19_001, 19_001], None)),
                "bars: intraday, 2 bars a trading day × 252 days: volatility, Sharpe and Sortino are annualised with 504 bars a year (`bars per year N` to change)",
            ),
            (
                Assumption::Delisted(Delisting {
                    symbol: "DDD".into(),
                    last_day: crate::engine::days_of(date),
                    last_close: 12.5,
                    shares: 10.25,
                    carried_days: 47,
                    sold_on: None,
                }),
                "DDD: no prices after 2024-02-01; its 10.25 shares are valued at that day's close (12.50 USD) for the last 47 trading days of the run (`delisted sell` sells such a holding)",
            ),
            (
                Assumption::Delisted(Delisting {
                    symbol: "DDD".into(),
                    last_day: crate::engine::days_of(date),
                    last_close: 1234.5,
                    shares: 3.0,
                    carried_days: 5,
                    sold_on: Some(crate::engine::days_of(date) + 7),
                }),
                "DDD: no prices after 2024-02-01; its 3 shares were sold at that day's close (1,234.50 USD) on 2024-02-08, 5 trading days later (`delisted sell`)",
            ),
            (
                Assumption::ExpenseOnMarketPrices(vec!["IWO".into(), "VTWG".into()]),
                "expense IWO, VTWG: market prices of a fund already net out its expenses, so they are taken twice; use `expense` with index levels (a `^` ticker) or the synthetic sample",
            ),
            (
                Assumption::LongerThanData {
                    reach: Reach::Window(Window::Duration(60.0, crate::syntax::ast::TimeUnit::Years)),
                    bars: 15_120,
                    data_bars: 5_217,
                },
                "`60 years` needs 15,120 bars but the data has 5,217: what uses it is never available",
            ),
            (
                Assumption::LongerThanData {
                    reach: Reach::Window(Window::Bars(20_000.0)),
                    bars: 20_000,
                    data_bars: 5_217,
                },
                "`20000` needs 20,000 bars but the data has 5,217: what uses it is never available",
            ),
            (
                Assumption::LongerThanData {
                    reach: Reach::Lag(6000),
                    bars: 6_000,
                    data_bars: 5_217,
                },
                "`[6000]` needs 6,000 bars but the data has 5,217: what uses it is never available",
            ),
        ];
        for (fact, text) in cases {
            assert_eq!(words(&fact), text);
        }
    }
}
