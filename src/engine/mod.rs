//! The backtest: a checked strategy and loaded data → a day-by-day record.
//!
//! Look-ahead is impossible by construction: the [`frame::Frame`] aligns every column to
//! the trading days before the loop, and the loop ([`run`]) evaluates bar `t` from row `t`
//! and the state left by bars before it; indicators are fed one value per bar.

mod action;
mod assumption;
pub mod clock;
pub mod columns;
pub mod compile;
mod computed;
mod counters;
mod coverage;
pub mod dates;
mod delisted;
mod error;
mod exits;
mod fill;
mod firings;
pub mod flows;
pub mod frame;
pub mod frequency;
pub mod invariants;
mod ledger;
pub mod mixed;
pub mod node;
mod nothing;
pub mod period;
pub mod plan;
pub mod portfolio;
pub mod position;
mod priced;
pub mod release;
pub mod run;
pub mod schedule;
pub mod settled;
mod shared;
mod sleeves;
pub mod staleness;
pub mod trace;
pub mod unpriced;
mod withdraw;

use chrono::NaiveDate;

pub use assumption::{Assumption, Reach};
pub use counters::Counters;
pub use coverage::{Uncovered, UncoveredKind};
pub use delisted::Delisting;
pub use error::RunError;
pub use flows::Flows;
pub use frame::{Frame, date_of, day_of, days_of};
pub use frequency::Frequency;
pub use portfolio::{ListedPrice, Trade};
pub use run::Run;
pub use settled::Settled;
pub use shared::Shared;
pub use sleeves::SleeveRun;
pub use trace::{Detail, Trace};

use crate::check::{Money, Program, SeriesLag, StaleAfter, Term};
use crate::data::DataSet;
use crate::source::Span;

/// Default starting cash when a strategy names neither `capital` nor `contribute`.
pub const DEFAULT_CAPITAL: f64 = 10_000.0;

/// A finished backtest: the strategy's run, the benchmark's, and what was assumed.
#[derive(Clone, Debug)]
pub struct Backtest {
    pub run: Run,
    pub benchmark: Option<(String, Run)>,
    /// Defaults applied and facts about the data, for the report.
    pub assumptions: Vec<Assumption>,
    /// Comparisons whose outcome the data settles over the run, for warnings.
    pub settled: Vec<Settled>,
    /// Series and symbols read whose data does not cover the run, for warnings (not
    /// looked for in a sweep's variants, which show no warnings of their own).
    pub uncovered: Vec<Uncovered>,
    pub capital: Money,
}

/// Limits of the period, from the command line (they override the file's `from`/`to`).
#[derive(Clone, Copy, Debug, Default)]
pub struct Period {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

/// Runs a checked strategy (and its benchmark) over the data.
pub fn backtest(
    strategy: &Program,
    data: &DataSet,
    period: Period,
    scripts: Option<&std::sync::Arc<crate::script::Scripts>>,
) -> Result<Backtest, RunError> {
    backtest_shared(strategy, data, period, scripts, None, true)
}

/// [`backtest`], recording what `trace` asks for bar by bar in the strategy's
/// [`Run::detail`] (what the HTML report draws).
pub fn backtest_traced(
    strategy: &Program,
    data: &DataSet,
    period: Period,
    scripts: Option<&std::sync::Arc<crate::script::Scripts>>,
    trace: &Trace,
) -> Result<Backtest, RunError> {
    backtest_inner(strategy, data, period, scripts, None, true, Record::Traced(trace))
}

/// [`backtest`], reusing (and adding to) what earlier runs of a sweep built: the frame and
/// data columns, each keyed by everything it depends on. Without `benchmark`, the benchmark
/// still sets the calendar (so the strategy's figures do not change) but is not run.
pub fn backtest_shared<'d>(
    strategy: &Program,
    data: &'d DataSet,
    period: Period,
    scripts: Option<&std::sync::Arc<crate::script::Scripts>>,
    shared: Option<&Shared<'d>>,
    benchmark: bool,
) -> Result<Backtest, RunError> {
    backtest_inner(strategy, data, period, scripts, shared, benchmark, Record::Trades)
}

/// What a sweep's table shows of one variant's run.
#[derive(Clone, Debug)]
pub struct Variant {
    /// The figures it is ranked by, in USD, equal to the bit to
    /// [`ranked_of`](crate::report::ranked::ranked_of) over its whole curve.
    pub ranked: crate::report::ranked::Ranked,
    /// Its counts; [`Counters::trades`] is the number of fills.
    pub counters: Counters,
    /// Comparisons whose outcome the data settles over its run, for the sweep's warnings.
    pub settled: Vec<Settled>,
}

/// One variant of a sweep: [`backtest_shared`] without the benchmark's run, whose fills are
/// counted ([`Counters::trades`](counters::Counters)) but not written down, and whose ranked
/// figures are folded in the loop instead of kept as curves: what a sweep's table shows.
pub fn backtest_variant<'d>(
    strategy: &Program,
    data: &'d DataSet,
    period: Period,
    scripts: Option<&std::sync::Arc<crate::script::Scripts>>,
    shared: &Shared<'d>,
) -> Result<Variant, RunError> {
    let backtest = backtest_inner(strategy, data, period, scripts, Some(shared), false, Record::Counts)?;
    let run = backtest.run;
    Ok(Variant {
        ranked: run.ranked.expect("a variant's run folds its ranked figures"),
        counters: run.counters,
        settled: backtest.settled,
    })
}

/// What a run writes down beside its curves and counts.
#[derive(Clone, Copy)]
enum Record<'t> {
    /// Its trades, as reports show them.
    Trades,
    /// Its trades, and what the trace asks for bar by bar ([`Run::detail`]).
    Traced(&'t Trace),
    /// Neither: a sweep's variant, whose table shows only how many fills it made.
    Counts,
}

fn backtest_inner<'d>(
    strategy: &Program,
    data: &'d DataSet,
    period: Period,
    scripts: Option<&std::sync::Arc<crate::script::Scripts>>,
    shared: Option<&Shared<'d>>,
    benchmark: bool,
    record: Record,
) -> Result<Backtest, RunError> {
    dividends_once(strategy, data)?;
    let spec = FrameSpec::of(strategy, data, period);
    let entry = shared.map(|shared| shared.frame(spec.key(), || spec.build(data)));
    let owned;
    let frame: &Frame = match &entry {
        Some(e) => &e.frame,
        None => {
            owned = spec.build(data);
            &owned
        }
    };
    let columns = entry.as_deref().map(|e| &e.columns);
    // The bar frequency, inferred once for the strategy's run and its benchmark's (and,
    // with a shared frame, every run on it).
    let alone = frequency::Inferred::default();
    let inferred = entry.as_deref().map_or(&alone, |e| &e.frequency);
    // The period's dates, copied once for the run and its benchmark (and every run on a
    // shared frame).
    let own_dates = dates::Dates::default();
    let dates = entry.as_deref().map_or(&own_dates, |e| &e.dates);
    let start = spec.start(frame);
    if start >= frame.len() {
        return Err(spec.no_trading_days(strategy, data));
    }

    let default_capital = match (&strategy.capital, strategy.contributions.is_empty()) {
        (None, true) => Some(DEFAULT_CAPITAL),
        _ => None,
    };
    let capital = match &strategy.capital {
        Some(c) => c.clone(),
        None => Money {
            amount: default_capital.unwrap_or(0.0),
            currency: None,
            span: Span::default(),
        },
    };
    let period_facts = period::facts(strategy, &spec, frame, start, data)?;
    let rules = run::Rules::Program(&strategy.rules);
    let aids = run::Aids {
        scripts,
        cache: columns,
        trace: match record {
            Record::Traced(trace) => Some(trace),
            _ => None,
        },
        // Debug builds write the trades all the same, for the invariants below to check.
        lean: matches!(record, Record::Counts) && !cfg!(debug_assertions),
        frequency: Some(inferred),
        dates: Some(dates),
        fold: matches!(record, Record::Counts),
        firings: entry.as_deref().map(|e| &e.firings),
    };
    let run = run::simulate(strategy, rules, frame, start, &capital, aids)?;
    let mut assumptions = assumption::assumptions(strategy, frame, start, default_capital, &run);
    assumptions.extend(period_facts.into_iter().map(Assumption::Period));
    let stale = staleness::stale_uses(strategy, frame, start, data);
    assumptions.extend(stale.into_iter().map(Assumption::StaleSeries));
    assumptions.extend(
        staleness::unlagged(strategy, data)
            .into_iter()
            .map(Assumption::Unlagged),
    );
    let settled = settled::settled(strategy, frame, start);
    let uncovered = match record {
        Record::Counts => Vec::new(),
        _ => coverage::uncovered(frame, start, data),
    };
    // After the run's own frequency (or first, when `bars per year` declared it).
    if !matches!(record, Record::Counts)
        && let Some(m) = mixed::mixed(frame, start, &run.frequency)
    {
        let at = (assumptions.iter())
            .position(|a| matches!(a, Assumption::BarFrequency(_)))
            .map_or(0, |i| i + 1);
        assumptions.insert(at, Assumption::MixedFrequencies(m));
    }
    assumptions.extend(run.found.iter().cloned());
    let benchmark = match &strategy.benchmark {
        Some((sym, _)) if benchmark => {
            let rules = run::Rules::Benchmark(sym);
            let aids = run::Aids {
                frequency: Some(inferred),
                dates: Some(dates),
                ..run::Aids::default()
            };
            let run = run::simulate(strategy, rules, frame, start, &capital, aids)?;
            // A benchmark that bought nothing (no price on any bar of the period, or no cash
            // to buy with) would stand in the report as a row of 0% figures: left out, and
            // said so.
            if run.counters.trades == 0 {
                assumptions.push(Assumption::BenchmarkBoughtNothing(sym.clone()));
                None
            } else {
                Some((sym.clone(), run))
            }
        }
        _ => None,
    };
    #[cfg(debug_assertions)]
    let run = {
        invariants::assert_backtest(&run, benchmark.as_ref(), frame, start, strategy);
        // The figures folded in the loop are those of the whole curve, to the bit.
        if let Some(folded) = run.ranked {
            invariants::assert_same_ranked(folded, crate::report::ranked::ranked_of(&run));
        }
        // Then what a release build's run holds.
        let mut run = run;
        if matches!(record, Record::Counts) {
            run.trades = std::sync::Arc::default();
        }
        run
    };
    Ok(Backtest {
        run,
        benchmark,
        assumptions,
        settled,
        uncovered,
        capital,
    })
}

/// With dividends paid as cash, refuses a traded symbol (or the benchmark) that has
/// dividend data but whose only close is an adjusted one: its prices already hold the
/// dividends the run would pay. Reads only the data's names and flags, so `rotor check`
/// asks it too, before any run.
pub fn dividends_once(program: &Program, data: &DataSet) -> Result<(), RunError> {
    let Some(payout) = &program.money.dividends else {
        return Ok(());
    };
    for symbol in &calendar_of(program) {
        if let (Some(p), Some(_)) = (data.price(symbol), data.dividends(symbol))
            && p.close_is_adjusted
        {
            return Err(RunError::DividendsCountedTwice {
                symbol: symbol.clone(),
                file: p.file.clone(),
                span: payout.span,
            });
        }
    }
    Ok(())
}

/// The first and last trading days of a run of `program` in `period` (the command line's
/// over the file's), and how they differ from the period asked for: what a walk-forward
/// splits into windows.
pub fn run_span(
    program: &Program,
    data: &DataSet,
    period: Period,
) -> Result<(NaiveDate, NaiveDate, Vec<period::PeriodFact>), RunError> {
    let spec = FrameSpec::of(program, data, period);
    let frame = spec.build(data);
    let start = spec.start(&frame);
    let facts = period::facts(program, &spec, &frame, start, data)?;
    match (frame.days.get(start), frame.days.last()) {
        (Some(&first), Some(&last)) => Ok((date_of(first), date_of(last), facts)),
        _ => Err(spec.no_trading_days(program, data)),
    }
}

/// The comparisons of `program` that its data settles over the period (the command line's
/// over the file's): what `rotor check` warns about without running the strategy.
pub fn settled_comparisons(program: &Program, data: &DataSet, period: Period) -> Vec<Settled> {
    let spec = FrameSpec::of(program, data, period);
    let frame = spec.build(data);
    settled::settled(program, &frame, spec.start(&frame))
}

/// The symbols whose dates are a run's trading days: the traded ones and the benchmark.
fn calendar_of(program: &Program) -> Vec<String> {
    let mut calendar = program.traded.clone();
    if let Some((b, _)) = &program.benchmark
        && !calendar.contains(b)
    {
        calendar.push(b.clone());
    }
    calendar
}

/// What a run's frame is built from: everything it depends on, so that runs of a sweep
/// with equal specs share one frame. The period's start is not among them: the frame holds
/// the data from its first row (warm-up), and each run starts its account at its own bar.
struct FrameSpec<'p> {
    /// The traded symbols and the benchmark: their dates are the trading days.
    calendar: Vec<String>,
    /// How many of `calendar` are traded: the benchmark, when it is not traded, is last.
    traded: usize,
    /// Symbols only read by expressions.
    watched: Vec<String>,
    series: Vec<String>,
    lags: &'p [SeriesLag],
    stale: &'p [StaleAfter],
    /// The period (the command line's over the file's).
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    /// The command line's period alone: which end of [`FrameSpec::from`] and
    /// [`FrameSpec::to`] a flag set, for the error of a reversed period.
    period: Period,
    /// With a base currency, the run starts once its exchange rate is known.
    rate_series: Option<&'p str>,
    /// Dividends are paid as cash: symbols with dividend data get their raw close.
    cash_dividends: bool,
    /// `priced in KRW …`: listings converted to USD at `rate_series` (engine/priced.rs).
    priced: Option<&'p crate::check::Priced>,
}

impl<'p> FrameSpec<'p> {
    fn of(program: &'p Program, data: &DataSet, period: Period) -> FrameSpec<'p> {
        let calendar = calendar_of(program);
        let names = &program.reads;
        let watched = names.iter().filter(|n| data.price(n).is_some()).cloned().collect();
        let mut series: Vec<String> = names.iter().filter(|n| data.series(n).is_some()).cloned().collect();
        let rates = program.currency.iter().map(|c| &c.rate_series);
        // money: `cash interest SERIES` reads its series every day.
        let interest = match &program.money.interest {
            Some(crate::money::Rate::Series(name)) => Some(name),
            _ => None,
        };
        let rates = rates.chain(interest);
        for extra in rates.chain(program.risk_free.iter().map(|(n, _)| n)) {
            if !series.contains(extra) {
                series.push(extra.clone());
            }
        }
        FrameSpec {
            traded: program.traded.len(),
            calendar,
            watched,
            series,
            lags: &program.lags,
            stale: &program.stale,
            from: period.from.or(program.from),
            to: period.to.or(program.to),
            period,
            rate_series: program.currency.as_ref().map(|c| c.rate_series.as_str()),
            cash_dividends: program.money.dividends.is_some(),
            priced: program.priced.as_ref(),
        }
    }

    /// The error of a period in which the traded symbols have no bar, with what they have:
    /// the first and last day of their data, and whether the period ends before it starts.
    fn no_trading_days(&self, program: &Program, data: &DataSet) -> RunError {
        let days = (self.calendar.iter())
            .filter_map(|s| data.price(s))
            .filter_map(|p| Some((*p.ts.first()?, *p.ts.last()?)));
        let range = days.fold(None, |r: Option<(i64, i64)>, (a, b)| match r {
            Some((lo, hi)) => Some((lo.min(a), hi.max(b))),
            None => Some((a, b)),
        });
        let date = |ts: i64| date_of(crate::data::date::day_of(ts));
        if let (Some(from), Some(to)) = (self.from, self.to)
            && to < from
        {
            let source = |flag: Option<NaiveDate>, flag_name, file_name| match flag {
                Some(_) => flag_name,
                None => file_name,
            };
            return RunError::PeriodReversed {
                from: from.to_string(),
                to: to.to_string(),
                from_source: source(self.period.from, "`--from`", "the strategy's `from`"),
                to_source: source(self.period.to, "`--to`", "the strategy's `to`"),
            };
        }
        let help = match (self.from, self.to, range) {
            // Inside the data, yet no bar: a weekend, a holiday, a gap in the data.
            (from, to, Some((first, last)))
                if from.is_none_or(|f| f >= date(first)) && to.is_none_or(|t| t <= date(last)) =>
            {
                format!(
                    "the traded symbols have prices from {} to {}, but no bar falls in this period \
                     (a weekend, a holiday or a gap in the data): choose a longer period",
                    date(first),
                    date(last)
                )
            }
            (_, _, Some((first, last))) => format!(
                "the traded symbols have prices from {} to {}: choose a period within them",
                date(first),
                date(last)
            ),
            _ => "the traded symbols have no prices; check the data files".to_string(),
        };
        RunError::NoTradingDays {
            from: self.from.map(|d| d.to_string()),
            to: self.to.map(|d| d.to_string()),
            span: program.rules.first().map_or(Span::default(), |r| r.span),
            help,
        }
    }

    /// Spells out every input, so equal keys mean equal frames.
    fn key(&self) -> String {
        let FrameSpec {
            calendar,
            traded: _,
            watched,
            series,
            lags,
            stale,
            from: _,
            to,
            // Already in `from` and `to`.
            period: _,
            rate_series,
            cash_dividends,
            priced,
        } = self;
        let mut key = format!("{calendar:?} {watched:?} {series:?} {lags:?} {stale:?} {to:?} {cash_dividends}");
        if let Some(p) = priced {
            key.push_str(&format!(" priced {:?} at {rate_series:?}", p.symbols));
        }
        key
    }

    fn build<'d>(&self, data: &'d DataSet) -> Frame<'d> {
        let mut frame = Frame::build_paying(
            data,
            &self.calendar,
            &self.watched,
            &self.series,
            self.lags,
            self.to.map(days_of),
            self.cash_dividends,
        );
        staleness::expire(&mut frame, self.stale, self.lags);
        if let (Some(priced), Some(rate)) = (self.priced, self.rate_series) {
            priced::to_usd(&mut frame, priced, rate);
        }
        frame
    }

    /// The run's first bar on `frame`: the period's first on which a traded symbol has a
    /// row (the benchmark's rows alone never start a run: a yardstick does not move the
    /// strategy's period), or later with a base currency, once its exchange rate is known
    /// (and not expired by a `stale` line). The bars before it stay in the frame, for the
    /// warm-up.
    fn start(&self, frame: &Frame) -> usize {
        let from = frame.start_of(self.from.map(days_of));
        let start = self.first_traded_row(frame, from);
        match self.rate_series.and_then(|r| frame.series_index(r)) {
            Some(i) => {
                let rates = &frame.series[i].1;
                let known = rates[start.min(rates.len())..].iter().position(|r| !r.is_nan());
                known.map_or(frame.len(), |k| start + k)
            }
            None => start,
        }
    }
}

impl FrameSpec<'_> {
    /// The first bar from `from` on which a traded symbol has a row (an open: NaN where it
    /// has none); `from` itself when only the benchmark is in the calendar, or when no
    /// traded symbol has a row from there (the run then has no trading day of its own, and
    /// its figures say so as they did).
    fn first_traded_row(&self, frame: &Frame, from: usize) -> usize {
        let traded = &self.calendar[..self.traded];
        if traded.len() == self.calendar.len() || traded.is_empty() {
            return from;
        }
        let rows = (traded.iter())
            .filter_map(|name| frame.symbol_index(name))
            .filter_map(|s| frame.symbols[s].open.get(from..)?.iter().position(|o| !o.is_nan()));
        rows.min().map_or(from, |k| from + k)
    }
}

/// Evaluates a term of a checked program on every trading day of the data (all symbols'
/// dates, up to `to`), outside any rule: what the REPL shows for `sma(IWO, 50) @ last`.
/// The program's settings apply as in a run (a `lag` delays its series); `scripts` are its
/// compiled `use`d scripts. Portfolio values (`cash`, `position(…)`) are not available
/// here. Returns (days, values); a script's error stops it, as it stops a run.
pub fn evaluate_series(
    program: &Program,
    term: &Term,
    data: &DataSet,
    scripts: Option<&std::sync::Arc<crate::script::Scripts>>,
    to: Option<NaiveDate>,
) -> Result<(Vec<i32>, Vec<f64>), RunError> {
    evaluate_bars(program, term, data, scripts, to).map(|bars| (bars.days, bars.values))
}

/// [`evaluate_series`]'s values with each bar's timestamp as well as its day, for data of
/// several bars a day (the REPL shows their times).
#[derive(Debug, Clone, PartialEq)]
pub struct EvaluatedBars {
    /// Bar timestamps, seconds since 1970 (exchange local time).
    pub ts: Vec<i64>,
    /// Bar dates, days since 1970.
    pub days: Vec<i32>,
    /// The term's value on each bar (NaN where not available).
    pub values: Vec<f64>,
}

/// [`evaluate_series`], keeping the bars' timestamps.
pub fn evaluate_bars(
    program: &Program,
    term: &Term,
    data: &DataSet,
    scripts: Option<&std::sync::Arc<crate::script::Scripts>>,
    to: Option<NaiveDate>,
) -> Result<EvaluatedBars, RunError> {
    let symbols: Vec<String> = data.prices.iter().map(|p| p.symbol.clone()).collect();
    let mut series: Vec<String> = data.series.iter().map(|s| s.name.clone()).collect();
    // A later meeting's FedWatch series (`fed_cut_prob(meeting 2)`) is in no list: the
    // program's reads name it.
    let unlisted: Vec<String> = (program.reads.iter())
        .filter(|n| !series.contains(n) && data.series(n).is_some())
        .cloned()
        .collect();
    series.extend(unlisted);
    // With `dividends cash`, symbols with dividend data read their raw close, as in a run.
    let cash = program.money.dividends.is_some();
    let mut frame = Frame::build_paying(data, &symbols, &[], &series, &program.lags, to.map(days_of), cash);
    staleness::expire(&mut frame, &program.stale, &program.lags);
    if let (Some(priced), Some(c)) = (&program.priced, &program.currency) {
        priced::to_usd(&mut frame, priced, &c.rate_series);
    }
    let frequency = Frequency::of(&frame.days, program.bars_per_year);
    let scope = compile::Scope {
        frame: &frame,
        program,
        subject: None,
        bars: frequency.scale(&frame.days),
    };
    let mut p = plan::Plan::with_scripts(scripts.cloned());
    let slot = p.compile(term, &scope);
    // As in a run ([`RunError::MixedSpacing`]); the term has no place of its own.
    if let Some(change) = scope.bars.change.filter(|_| p.durations) {
        return Err(RunError::MixedSpacing {
            change: change.describe(),
            later: crate::civil::iso(change.second.1 + 1),
            span: Span::default(),
        });
    }
    // Outside a run no holding is known: a position's value is not available (NaN, shown
    // `n/a`), like cash and the other portfolio values, rather than 0.
    let none = vec![f64::NAN; frame.symbols.len()];
    // Position state is never available either.
    let flat = position::Positions::new(frame.symbols.len());
    let held = plan::Held {
        shares: &none,
        positions: &flat,
    };
    let view = plan::PortfolioView {
        cash: f64::NAN,
        equity: f64::NAN,
        drawdown: f64::NAN,
    };
    let mut values = Vec::with_capacity(frame.len());
    let mut start = 0;
    while start < frame.len() {
        let end = (start + columns::BLOCK).min(frame.len());
        let block = p.fill_block(&frame, start..end, None);
        let block_view = block.view();
        for t in start..end {
            p.step(t, &frame, held, view, &block_view);
            if let Some(e) = p.error_at(t) {
                return Err(Box::new(e).into());
            }
            values.push(block_view.value(slot, t, &p.values));
        }
        start = end;
    }
    // The frame is this function's alone: its days and times are taken, not copied.
    Ok(EvaluatedBars {
        ts: std::sync::Arc::unwrap_or_clone(frame.ts),
        days: std::sync::Arc::unwrap_or_clone(frame.days),
        values,
    })
}
