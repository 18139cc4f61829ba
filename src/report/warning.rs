//! Warnings about a strategy that only its data can show, in words: each is a diagnostic
//! with a label in the strategy, carrying the source map it points into, so it is shown
//! like any other (`rotor run` and `rotor check` print them; the run goes on).

use miette::Diagnostic;
use thiserror::Error;

use crate::calendar::{DataDay, Exchange};
use crate::check::{BinaryOp, Comparison, Program};
use crate::engine::Settled;
use crate::source::{SourceMap, Span};

/// A warning about the strategy, at the place in it that it concerns.
#[derive(Clone, Debug, Error, Diagnostic)]
pub enum StrategyWarning {
    /// A comparison that is false on every bar of the run.
    #[error("`{comparison}` never holds over the run: {range}")]
    #[diagnostic(code(rotor::run::never_true), severity(Warning))]
    NeverTrue {
        comparison: String,
        range: String,
        #[source_code]
        src: SourceMap,
        #[label("never true in this run")]
        span: Span,
        #[help]
        help: String,
    },

    /// A comparison that is true on every bar of the run.
    #[error("`{comparison}` always holds over the run: {range}")]
    #[diagnostic(code(rotor::run::always_true), severity(Warning))]
    AlwaysTrue {
        comparison: String,
        range: String,
        #[source_code]
        src: SourceMap,
        #[label("always true in this run")]
        span: Span,
        #[help]
        help: String,
    },

    /// A form that checks but does nothing ([`crate::check::NoEffect`]): `hold IWM if … else
    /// IWM`, `weighted by 1`.
    #[error("{message}")]
    #[diagnostic(code(rotor::check::no_effect), severity(Warning))]
    NoEffect {
        message: String,
        #[source_code]
        src: SourceMap,
        #[label("{label}")]
        span: Span,
        label: String,
        #[help]
        help: String,
    },

    /// Months whose last trading day by the strategy's calendar the data has elsewhere.
    #[error("the data disagrees with the {exchange} calendar about {count} month end{s} of the run: {examples}")]
    #[diagnostic(code(rotor::run::calendar), severity(Warning))]
    CalendarDisagrees {
        exchange: &'static str,
        count: usize,
        s: &'static str,
        examples: String,
        #[source_code]
        src: SourceMap,
        #[label("month ends by the {exchange} calendar")]
        span: Span,
        #[help]
        help: String,
    },

    /// Withdrawals the account could not pay in full (docs/TAXES.md "Withdrawals").
    #[error(
        "{count} withdrawal{s} could not be paid in full, the first on {first}: {asked} USD asked, {paid} USD paid"
    )]
    #[diagnostic(
        code(rotor::run::withdrawal_short),
        severity(Warning),
        help(
            "the account had too little cash and holdings that traded that day; each short withdrawal is in the JSON's `costs.withdrawals_short`"
        )
    )]
    WithdrawalShort {
        count: usize,
        s: &'static str,
        first: String,
        asked: String,
        paid: String,
        #[source_code]
        src: SourceMap,
        #[label("short")]
        span: Span,
    },

    /// A sweep's variant whose contributions in the base currency met days without an
    /// exchange rate: some were credited late (on the first later bar with a rate), some
    /// never (docs/LANGUAGE.md, "Days without an exchange rate"). Its final value is not
    /// that of the plan as written.
    #[error("{what} for want of a usable `{rate}`: the money did not all go in when the plan says")]
    #[diagnostic(
        code(rotor::run::contributions_without_rate),
        severity(Warning),
        help(
            "final values and profits of such variants are not those of their plans; `rotor run` with the variant's values says when, under Assumed"
        )
    )]
    ContributionsWithoutRate {
        /// "1 contribution credited late, 2 never credited".
        what: String,
        rate: String,
        #[source_code]
        src: SourceMap,
        #[label("no usable rate on some days a contribution was due")]
        span: Span,
    },

    /// A rule scheduled `once on DATE` whose date is not within the run's bars: it never
    /// fires, and a run that trades nothing must not look like a strategy that chose not to.
    #[error("`once on {date}` never fires: the run's bars are from {first} to {last}")]
    #[diagnostic(code(rotor::run::once_outside), severity(Warning))]
    OnceOutside {
        date: String,
        first: String,
        last: String,
        #[source_code]
        src: SourceMap,
        #[label("never fires in this run")]
        span: Span,
        #[help]
        help: String,
    },

    /// A series or symbol the strategy reads whose data does not cover the run
    /// ([`crate::engine::Uncovered`]).
    #[error("{what} `{name}` does not cover the run: {dates}; {consequence}")]
    #[diagnostic(code(rotor::run::data_outside_run), severity(Warning))]
    DataOutsideRun {
        /// "series" or "symbol".
        what: &'static str,
        name: String,
        /// Its data's dates and the run's.
        dates: String,
        /// What the run made of it.
        consequence: &'static str,
        #[help]
        help: String,
    },

    /// A traded symbol that is a Korean listing ([`Exchange::of_symbol`]: a six-digit KRX
    /// code, a `.KS` or `.KQ` ticker): its prices are in won, and rotor values every price
    /// as US dollars.
    #[error("`{symbol}` is a Korean listing, priced in won, but rotor values every price as US dollars: {consequence}")]
    #[diagnostic(code(rotor::run::price_currency), severity(Warning))]
    KoreanPricesAsUsd {
        symbol: String,
        consequence: String,
        #[source_code]
        src: SourceMap,
        #[label("its prices are taken as USD")]
        span: Span,
        #[help]
        help: String,
    },

    /// Contributions to an ISA above its yearly limit.
    #[error("ISA contributions exceed the yearly limit of 20,000,000 KRW in {years}")]
    #[diagnostic(
        code(rotor::run::isa_limit),
        severity(Warning),
        help("rotor does not cap them; an ISA would refuse the excess (docs/TAXES.md)")
    )]
    IsaOverLimit {
        years: String,
        #[source_code]
        src: SourceMap,
        #[label("more than 20,000,000 KRW a year")]
        span: Span,
    },

    /// Contributions to an ISA above its limit over the account's life.
    #[error(
        "ISA contributions reach {total} KRW on {date}, above the limit of 100,000,000 KRW over the account's life"
    )]
    #[diagnostic(
        code(rotor::run::isa_limit),
        severity(Warning),
        help("rotor does not cap them; an ISA would refuse the excess (docs/TAXES.md)")
    )]
    IsaOverTotal {
        total: String,
        date: String,
        #[source_code]
        src: SourceMap,
        #[label("more than 100,000,000 KRW in all")]
        span: Span,
    },
}

/// The warnings for rules scheduled `once on DATE` with a date outside the run's bars
/// (`days`, days since 1970): before its first, or after its last.
pub fn once_outside(program: &Program, days: &[i32], sources: &SourceMap) -> Vec<StrategyWarning> {
    let (Some(&first), Some(&last)) = (days.first(), days.last()) else {
        return Vec::new();
    };
    let (first, last) = (crate::engine::date_of(first), crate::engine::date_of(last));
    (program.rules.iter())
        .filter_map(|rule| match &rule.schedule {
            Some(crate::check::ScheduleKind::Once(d)) if d.date < first || d.date > last => Some((rule, d.date)),
            _ => None,
        })
        .map(|(rule, date)| StrategyWarning::OnceOutside {
            date: date.to_string(),
            first: first.to_string(),
            last: last.to_string(),
            src: sources.clone(),
            span: rule.span,
            help: format!(
                "move the date into the run ({first} to {last}), or let the period (`from`, `to`) and the data cover {date}"
            ),
        })
        .collect()
}

/// The warnings about data the run reads that does not cover it (`uncovered`).
pub fn uncovered(uncovered: &[crate::engine::Uncovered]) -> Vec<StrategyWarning> {
    use crate::engine::UncoveredKind;
    (uncovered.iter())
        .map(|u| {
            let (what, consequence) = match u.kind {
                UncoveredKind::SeriesNever => (
                    "series",
                    "it has no value on any bar, so whatever reads it is not available (a condition is false)",
                ),
                UncoveredKind::SeriesCarried => {
                    ("series", "every bar reads its last value, carried from before the run")
                }
                UncoveredKind::Symbol => ("symbol", "it has no price on any bar of the run"),
            };
            let data = match u.data {
                Some((from, to)) => format!("its data is from {from} to {to}"),
                None => "it has no data".to_owned(),
            };
            let (from, to) = u.run;
            StrategyWarning::DataOutsideRun {
                what,
                name: u.name.clone(),
                dates: format!("{data}, the run's bars from {from} to {to}"),
                consequence,
                help: format!(
                    "load data for `{}` that covers the run, or run over its dates (`from`, `to`, or --from and --to)",
                    u.name
                ),
            }
        })
        .collect()
}

/// A sweep's variant whose contributions waited for an exchange rate, or never came in for
/// want of one (its `counters`), at the `currency` line: the sweep's table has no Assumed
/// to say it under.
pub fn contributions_without_rate(
    program: &Program,
    counters: &crate::engine::Counters,
    sources: &SourceMap,
) -> Option<StrategyWarning> {
    let currency = program.currency.as_ref()?;
    let (late, never) = (counters.contributions_late_no_rate, counters.contributions_skipped);
    let what = match (late, never) {
        (0, 0) => return None,
        (late, 0) => format!("{} credited late", crate::display::count(late, "contribution")),
        (0, never) => format!("{} never credited", crate::display::count(never, "contribution")),
        (late, never) => format!(
            "{} credited late, {never} never credited",
            crate::display::count(late, "contribution")
        ),
    };
    Some(StrategyWarning::ContributionsWithoutRate {
        what,
        rate: currency.rate_series.clone(),
        src: sources.clone(),
        span: currency.span,
    })
}

/// The warnings about what the money rules met in the run (`run`): withdrawals that could
/// not be paid in full, ISA contributions above the yearly limit or the limit over the
/// account's life.
pub fn money(program: &Program, run: &crate::engine::Run, sources: &SourceMap) -> Vec<StrategyWarning> {
    let mut out = Vec::new();
    let short = &run.money.withdrawals_short;
    if let (Some(first), Some(w)) = (short.first(), program.withdrawals.first()) {
        out.push(StrategyWarning::WithdrawalShort {
            count: short.len(),
            s: if short.len() == 1 { "" } else { "s" },
            first: first.date.clone(),
            asked: super::number::money(first.asked),
            paid: super::number::money(first.paid),
            src: sources.clone(),
            span: w.span,
        });
    }
    let isa = program
        .money
        .tax
        .as_ref()
        .is_some_and(|t| t.netting == crate::money::Netting::Account);
    let years = if isa { isa_years_over_limit(run) } else { Vec::new() };
    let span = (program.contributions.first().map(|c| c.span)).or(program.capital.as_ref().map(|c| c.span));
    if let (false, Some(span)) = (years.is_empty(), span) {
        let years: Vec<String> = years.iter().map(|(y, _)| y.to_string()).collect();
        out.push(StrategyWarning::IsaOverLimit {
            years: years.join(", "),
            src: sources.clone(),
            span,
        });
    }
    if let (Some((day, total)), Some(span)) = (isa.then(|| isa_total_over_limit(run)).flatten(), span) {
        out.push(StrategyWarning::IsaOverTotal {
            total: super::number::money(total),
            date: crate::civil::iso(day),
            src: sources.clone(),
            span,
        });
    }
    out
}

/// The first day on which an ISA's contributions so far (the run's positive base-currency
/// flows) pass its limit over the account's life, with their total then.
pub fn isa_total_over_limit(run: &crate::engine::Run) -> Option<(i32, f64)> {
    let base = run.base.as_ref()?;
    let mut total = 0.0;
    for (d, f) in run.days.iter().zip(&base.flows) {
        if f > 0.0 {
            total += f;
            if total > crate::money::tax::ISA_TOTAL_LIMIT + 0.5 {
                return Some((*d, total));
            }
        }
    }
    None
}

/// Calendar years in which more than an ISA's yearly limit went in, in the base currency
/// (the run's positive base-currency flows), with the amount.
pub fn isa_years_over_limit(run: &crate::engine::Run) -> Vec<(i64, f64)> {
    let Some(base) = &run.base else { return Vec::new() };
    let mut years: std::collections::BTreeMap<i64, f64> = std::collections::BTreeMap::new();
    for (d, f) in run.days.iter().zip(&base.flows) {
        if f > 0.0 {
            *years.entry(crate::civil::ymd(*d).0).or_default() += f;
        }
    }
    (years.into_iter())
        .filter(|(_, total)| *total > crate::money::tax::ISA_YEARLY_LIMIT + 0.5)
        .collect()
}

/// The warning for the months of the run (its bars' `days`, days since 1970) whose last
/// trading day by `program`'s calendar the data disagrees with, if it has `on last
/// trading day` schedules; at the `calendar` line, else the first such schedule's.
pub fn calendar(program: &Program, days: &[i32], sources: &SourceMap) -> Option<StrategyWarning> {
    let lines = crate::check::calendar::last_trading_day_lines(program);
    let months_per_period = lines.iter().map(|(m, _)| *m).min()?;
    let exchange = crate::check::calendar::chosen(program);
    let dates: Vec<_> = days.iter().map(|&d| crate::engine::date_of(d)).collect();
    let found = crate::calendar::disagreements(exchange, &dates, months_per_period);
    if found.is_empty() {
        return None;
    }
    const SHOWN: usize = 3;
    let mut examples: Vec<String> = found
        .iter()
        .take(SHOWN)
        .map(|d| match d.data {
            DataDay::Later(row) => format!("a row on {row}, after {} (closed by the calendar)", d.last),
            DataDay::Missing => format!("no row on {}, the month's last trading day", d.last),
        })
        .collect();
    if found.len() > SHOWN {
        examples.push(format!("and {} more", found.len() - SHOWN));
    }
    let span = program.calendar.map_or(lines[0].1, |(_, span)| span);
    let others: Vec<&str> = [Exchange::Nyse, Exchange::Krx, Exchange::Weekdays]
        .into_iter()
        .filter(|e| *e != exchange)
        .map(|e| e.keyword())
        .collect();
    Some(StrategyWarning::CalendarDisagrees {
        exchange: exchange.name(),
        count: found.len(),
        s: if found.len() == 1 { "" } else { "s" },
        examples: examples.join("; "),
        src: sources.clone(),
        span,
        help: format!(
            "the schedule fires on the calendar's last trading day, or on the next bar when the data has no row \
             that day; if the data keeps another exchange's days, write `calendar {}` or `calendar {}`, else \
             look for missing rows",
            others[0], others[1]
        ),
    })
}

/// The warnings for comparisons the data settles (`settled`, of `program`), pointing into
/// `sources`.
pub fn settled(program: &Program, settled: &[Settled], sources: &SourceMap) -> Vec<StrategyWarning> {
    settled
        .iter()
        .filter_map(|s| {
            let c = program.comparisons.get(s.comparison)?;
            let comparison = format!("{} {} {}", c.series, c.op.symbol(), constant(c.constant, c.percent));
            let range = format!("{} ranges from {} to {}", c.series, short(s.min), short(s.max));
            let help = suggestion(c, s).unwrap_or_else(|| {
                format!(
                    "as written the condition decides nothing in this period; `{} from DATE` at `rotor repl` lists the series' values",
                    c.series
                )
            });
            let (src, span) = (sources.clone(), c.span);
            Some(if s.holds {
                StrategyWarning::AlwaysTrue {
                    comparison,
                    range,
                    src,
                    span,
                    help,
                }
            } else {
                StrategyWarning::NeverTrue {
                    comparison,
                    range,
                    src,
                    span,
                    help,
                }
            })
        })
        .collect()
}

/// The likely meant constant, when the written one is 100 times too large or too small:
/// a percentage written as a number against a series of fractions (`80` for 0.8), or a
/// fraction against a series in percentage points (`5%` for 5).
fn suggestion(c: &Comparison, s: &Settled) -> Option<String> {
    let in_range = |v: f64| (s.min..=s.max).contains(&v) || (c.op == BinaryOp::Ne && v.is_finite());
    let hundredth = c.constant / 100.0;
    let hundredfold = c.constant * 100.0;
    // A percentage written as a number is above 1 (`80`); a constant of 1 or less is
    // already a fraction, and dividing it again would suggest nonsense (`0.8` → `0.008`
    // over a period where the series stayed low).
    if in_range(hundredth) && !c.percent && c.constant.abs() > 1.0 {
        Some(format!(
            "did you mean `{}` ({}%)? {}'s values are fractions",
            short(hundredth),
            short(c.constant),
            c.series
        ))
    } else if in_range(hundredfold) {
        Some(format!(
            "did you mean `{}`? {} is in percentage points, and `{}` is {}",
            short(hundredfold),
            c.series,
            constant(c.constant, c.percent),
            short(c.constant)
        ))
    } else {
        None
    }
}

/// A constant as it is written: `80`, `0.95`, `5%`.
fn constant(v: f64, percent: bool) -> String {
    if percent {
        format!("{}%", short(v * 100.0))
    } else {
        short(v)
    }
}

/// At most six decimals, without trailing zeros: `0.8`, `4.75`, `80`.
fn short(v: f64) -> String {
    let s = format!("{v:.6}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}

/// A warning for each traded symbol that is a Korean listing, at the first rule that trades
/// it: rotor takes every price as US dollars (docs/DATA.md, "Prices are taken as
/// US dollars"), so a won price of 11,905 is valued as 11,905 USD. Certain from the name
/// alone (the same test that picks the KRX calendar); none when no such symbol is traded
/// but those a `priced in KRW` line names, which are converted.
pub fn korean_prices(program: &Program, sources: &SourceMap) -> Vec<StrategyWarning> {
    let listings = program.unconverted_korean_listings();
    let consequence = match &program.currency {
        Some(c) => format!(
            "with `currency {} using {}` a share is worth its won price times the {} per USD rate in \
             the account, and the account's value in {} moves with the rate alone",
            c.code, c.rate_series, c.code, c.code
        ),
        None => "every figure labelled USD is in the prices' currency, won".to_string(),
    };
    // One warning a listing, at the first rule that trades it; the help names the line to
    // add, or the `priced in` line to add it to.
    let how = match &program.priced {
        Some(p) => format!("add it to the `priced in {}` line", p.code),
        None => "add `priced in KRW {symbol}`, with `currency KRW using <series of KRW per USD>` (such as \
                 `currency KRW using usdkrw`)"
            .to_string(),
    };
    listings
        .filter_map(|symbol| {
            let rule = (program.rules.iter()).find(|r| r.action.symbols().contains(&symbol.as_str()))?;
            Some(StrategyWarning::KoreanPricesAsUsd {
                symbol: symbol.clone(),
                consequence: consequence.clone(),
                src: sources.clone(),
                span: rule.span,
                help: format!(
                    "say its prices are in won: {}; each day's prices are then converted to USD at that day's \
                     rate (docs/DATA.md, \"Listings priced in won\")",
                    how.replace("{symbol}", symbol)
                ),
            })
        })
        .collect()
}

/// The warnings the strategy's text alone gives: forms that do nothing.
pub fn no_effects(program: &Program, sources: &SourceMap) -> Vec<StrategyWarning> {
    (program.no_effects.iter())
        .map(|n| StrategyWarning::NoEffect {
            message: n.message.clone(),
            src: sources.clone(),
            span: n.span,
            label: n.label.clone(),
            help: n.help.clone(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn warn(op: BinaryOp, constant: f64, percent: bool, min: f64, max: f64) -> (String, String) {
        let program = Program {
            comparisons: vec![Comparison {
                series: "x".into(),
                op,
                constant,
                percent,
                span: Span::default(),
            }],
            ..Program::default()
        };
        let holds = matches!(op, BinaryOp::Lt) == (constant > max);
        let fact = Settled {
            comparison: 0,
            holds,
            min,
            max,
        };
        let w = settled(&program, &[fact], &SourceMap::new()).remove(0);
        (w.to_string(), w.help().map(|h| h.to_string()).unwrap_or_default())
    }

    #[test]
    fn the_words_name_the_comparison_the_range_and_the_meant_value() {
        assert_eq!(
            warn(BinaryOp::Gt, 80.0, false, 0.02, 0.97),
            (
                "`x > 80` never holds over the run: x ranges from 0.02 to 0.97".into(),
                "did you mean `0.8` (80%)? x's values are fractions".into()
            )
        );
        assert_eq!(
            warn(BinaryOp::Lt, 0.05, true, 4.5, 5.33).1,
            "did you mean `5`? x is in percentage points, and `5%` is 0.05"
        );
        assert!(
            warn(BinaryOp::Lt, 80.0, false, 0.02, 0.97)
                .0
                .starts_with("`x < 80` always holds")
        );
        // 0.95 against 0.2 … 0.9: neither 95 nor 0.0095 is in range.
        assert!(warn(BinaryOp::Gt, 0.95, false, 0.2, 0.9).1.starts_with("as written"));
        // 0.8 against 0.004 … 0.183 (a period where the series stayed low): 0.008 is in
        // range, but 0.8 is a fraction already; nothing is suggested.
        assert!(
            !warn(BinaryOp::Gt, 0.8, false, 0.004, 0.183).1.contains("did you mean"),
            "{:?}",
            warn(BinaryOp::Gt, 0.8, false, 0.004, 0.183)
        );
    }
}
