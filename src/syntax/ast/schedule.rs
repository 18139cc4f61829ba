use super::Date;
use crate::source::Span;
use chrono::Weekday;

/// When a rule or a contribution is considered: `monthly on day 15`, `every 2 weeks`.
#[derive(Clone, Debug, PartialEq)]
pub struct Schedule {
    pub kind: ScheduleKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ScheduleKind {
    /// `daily`: every trading day.
    Daily,
    /// `weekly`, `weekly on friday`: the first trading day of the week, or the given day.
    Weekly(Option<Weekday>),
    /// `monthly [on …]`: bare means the first trading day of the month.
    Monthly(Option<Anchor>),
    /// `quarterly [on …]`: periods start in January, April, July, October.
    Quarterly(Option<Anchor>),
    /// `yearly [on …]`
    Yearly(Option<Anchor>),
    /// `every 2 weeks`: every n calendar units, counted from the first day of the run.
    Every { n: u32, unit: super::TimeUnit },
    /// `once on 2025-09-17`
    Once(Date),
}

/// Where in a month, quarter or year a schedule fires.
#[derive(Clone, Debug, PartialEq)]
pub enum Anchor {
    /// `on day 15`: that calendar day of the period's first month (rolled forward to the next
    /// trading day; clamped to the month's length).
    Day(u32),
    /// `on first trading day`
    FirstTradingDay,
    /// `on last trading day`: the period's last trading day by an exchange's calendar
    /// (rolled forward to the next bar when the data has none that day). The parser leaves
    /// the calendar `None`; the checker sets the one the strategy keeps (its `calendar`
    /// line, else its traded symbols' exchange).
    LastTradingDay(Option<crate::calendar::Exchange>),
}
