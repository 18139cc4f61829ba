//! The exchange calendar a strategy keeps: its `calendar` line, else its traded symbols'
//! exchange, set on every `on last trading day` schedule so the engine needs no default.

use super::program::Program;
use crate::calendar::Exchange;
use crate::source::Span;
use crate::syntax::ast::{Anchor, ScheduleKind};

/// The calendar of `program`: the `calendar` line's, else KRX when every traded symbol is
/// a Korean listing ([`Exchange::of_symbol`]), else NYSE.
pub fn chosen(program: &Program) -> Exchange {
    if let Some((exchange, _)) = program.calendar {
        return exchange;
    }
    let korean = !program.traded.is_empty() && program.traded.iter().all(|s| Exchange::of_symbol(s) == Exchange::Krx);
    if korean { Exchange::Krx } else { Exchange::Nyse }
}

/// Sets the calendar of every `on last trading day` schedule of `program`'s rules and
/// contributions to [`chosen`]'s.
pub fn resolve(program: &mut Program) {
    let exchange = chosen(program);
    let rules = program.rules.iter_mut().filter_map(|r| r.schedule.as_mut());
    let contributions = program.contributions.iter_mut().map(|c| &mut c.schedule);
    for kind in rules.chain(contributions) {
        if let Some(Anchor::LastTradingDay(calendar)) = anchor_mut(kind) {
            *calendar = Some(exchange);
        }
    }
}

/// Whether any schedule of `program` fires on a period's last trading day.
pub fn uses_last_trading_day(program: &Program) -> bool {
    let rules = program.rules.iter().filter_map(|r| r.schedule.as_ref());
    let contributions = program.contributions.iter().map(|c| &c.schedule);
    rules
        .chain(contributions)
        .any(|kind| matches!(anchor(kind), Some(Anchor::LastTradingDay(_))))
}

/// The `on last trading day` schedules of `program`'s rules and contributions: the months
/// in their period (1, 3 or 12) and the line each is on.
pub fn last_trading_day_lines(program: &Program) -> Vec<(u32, Span)> {
    let rules = program
        .rules
        .iter()
        .filter_map(|r| Some((r.schedule.as_ref()?, r.span)));
    let contributions = program.contributions.iter().map(|c| (&c.schedule, c.span));
    rules
        .chain(contributions)
        .filter_map(|(kind, span)| match kind {
            ScheduleKind::Monthly(Some(Anchor::LastTradingDay(_))) => Some((1, span)),
            ScheduleKind::Quarterly(Some(Anchor::LastTradingDay(_))) => Some((3, span)),
            ScheduleKind::Yearly(Some(Anchor::LastTradingDay(_))) => Some((12, span)),
            _ => None,
        })
        .collect()
}

fn anchor(kind: &ScheduleKind) -> Option<&Anchor> {
    match kind {
        ScheduleKind::Monthly(a) | ScheduleKind::Quarterly(a) | ScheduleKind::Yearly(a) => a.as_ref(),
        _ => None,
    }
}

fn anchor_mut(kind: &mut ScheduleKind) -> Option<&mut Anchor> {
    match kind {
        ScheduleKind::Monthly(a) | ScheduleKind::Quarterly(a) | ScheduleKind::Yearly(a) => a.as_mut(),
        _ => None,
    }
}
