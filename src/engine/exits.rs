//! Exits and cooldowns: what holds a position or a rule back, bar by bar.
//!
//! `stop loss`, `take profit` and `trailing stop` are judged on each close while a position
//! is open, against its entry price (the average fill price, [`super::position`]) or the
//! highest close since entry; one that fires places an order to sell the whole position,
//! filled by the strategy's fill rule (the next open, or at once at the close). There is no
//! intrabar high or low: a stop is a close-based stop, and a gap past it fills at the next
//! open, wherever that is.
//!
//! A cooldown (`at most once per month`) keeps a rule from placing an order while one of
//! its orders waits to fill, and within the period after the decision of its last order
//! that traded. An order that came to nothing does not start a cooldown.

use super::action::{Engine, Order, OrderKind};
use super::frame::Frame;
use super::position::SinceEntry;
use crate::check::{CalendarPeriod, CooldownPeriod, ExitKind, Program, TimeUnit};

/// The exit levels of every frame symbol, and the highest close since entry of each.
pub(super) struct Exits {
    /// Per frame symbol: the levels of its stop loss, trailing stop and take profit, in the
    /// order they are judged (NaN where none applies).
    levels: Vec<[f64; 3]>,
    peaks: Vec<SinceEntry>,
}

const KINDS: [ExitKind; 3] = [ExitKind::StopLoss, ExitKind::TrailingStop, ExitKind::TakeProfit];

impl Exits {
    /// The program's exits over the frame's symbols; `None` when it has none.
    pub(super) fn new(program: &Program, frame: &Frame) -> Option<Exits> {
        if program.exits.is_empty() {
            return None;
        }
        let levels = frame
            .symbols
            .iter()
            .map(|c| KINDS.map(|kind| program.exit_for(kind, &c.name).map_or(f64::NAN, |e| e.level)))
            .collect();
        let peaks = frame.symbols.iter().map(|_| SinceEntry::new(true)).collect();
        Some(Exits { levels, peaks })
    }

    /// Judges every open position on bar `t`'s close; returns the exit orders placed (rule
    /// 0), at most one a position until it has filled.
    pub(super) fn judge(&mut self, engine: &mut Engine, t: usize) -> Vec<Order> {
        let frame = engine.frame;
        let mut orders = Vec::new();
        for (s, levels) in self.levels.iter().enumerate() {
            let c = &frame.symbols[s];
            let open = engine.positions.open[s];
            let peak = self.peaks[s].update(c.close[t], t, open.map(|o| o.bar));
            let Some(open) = open else { continue };
            // No row today: no new close to judge.
            if open.exiting || c.open[t].is_nan() {
                continue;
            }
            let close = c.close[t];
            let fired = KINDS.iter().zip(levels).find(|(kind, level)| match kind {
                ExitKind::StopLoss => close <= open.entry_price * (1.0 - **level),
                ExitKind::TrailingStop => close <= peak * (1.0 - **level),
                ExitKind::TakeProfit => close >= open.entry_price * (1.0 + **level),
            });
            if let Some((kind, _)) = fired {
                if let Some(o) = &mut engine.positions.open[s] {
                    o.exiting = true;
                }
                engine.counters.orders += 1;
                orders.push(Order {
                    rule: 0,
                    kind: OrderKind::Exit(s, *kind),
                    decided: t,
                });
            }
        }
        orders
    }
}

/// Whether a rule whose last order that traded was decided on day `last` (days since
/// 1970-01-01) is still cooling down on day `today`.
pub(super) fn cooling(period: CooldownPeriod, last: i32, today: i32) -> bool {
    match period {
        CooldownPeriod::Days { n, unit } => {
            let days = match unit {
                TimeUnit::Days => i64::from(n),
                TimeUnit::Weeks => 7 * i64::from(n),
                // The checker refuses months and years: their length in days varies.
                TimeUnit::Months | TimeUnit::Years => 31 * i64::from(n),
            };
            i64::from(today - last) < days
        }
        CooldownPeriod::Calendar(period) => calendar_period(period, last) == calendar_period(period, today),
    }
}

/// The calendar period a day falls in, as a number that differs between periods: the day,
/// the Monday of its week, or its month, quarter or year.
fn calendar_period(period: CalendarPeriod, day: i32) -> i64 {
    let (y, m, _) = crate::civil::ymd(day);
    match period {
        CalendarPeriod::Day => i64::from(day),
        // 1970-01-01 was a Thursday: days since the Monday before it, in whole weeks.
        CalendarPeriod::Week => (i64::from(day) + 3).div_euclid(7),
        CalendarPeriod::Month => y * 12 + i64::from(m),
        CalendarPeriod::Quarter => y * 4 + i64::from((m - 1) / 3),
        CalendarPeriod::Year => y,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i64, m: u32, d: u32) -> i32 {
        crate::civil::days(y, m, d) as i32
    }

    #[test]
    fn calendar_periods_end_at_their_boundaries() {
        let month = CooldownPeriod::Calendar(CalendarPeriod::Month);
        assert!(cooling(month, day(2024, 1, 2), day(2024, 1, 31)));
        assert!(!cooling(month, day(2024, 1, 31), day(2024, 2, 1)), "a new month");
        // Weeks start on Monday: Friday 2024-01-05 and Monday 2024-01-08 differ, Monday and
        // Sunday 2024-01-14 do not.
        let week = CooldownPeriod::Calendar(CalendarPeriod::Week);
        assert!(!cooling(week, day(2024, 1, 5), day(2024, 1, 8)));
        assert!(cooling(week, day(2024, 1, 8), day(2024, 1, 14)));
        let quarter = CooldownPeriod::Calendar(CalendarPeriod::Quarter);
        assert!(cooling(quarter, day(2024, 1, 2), day(2024, 3, 29)));
        assert!(!cooling(quarter, day(2024, 3, 29), day(2024, 4, 1)));
    }

    #[test]
    fn a_number_of_days_counts_calendar_days() {
        let twenty = CooldownPeriod::Days {
            n: 20,
            unit: TimeUnit::Days,
        };
        assert!(cooling(twenty, day(2024, 1, 2), day(2024, 1, 21)), "19 days");
        assert!(!cooling(twenty, day(2024, 1, 2), day(2024, 1, 22)), "20 days");
    }
}
