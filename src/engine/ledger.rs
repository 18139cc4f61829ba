//! The run loop's calls into the money ledger ([`crate::money::Ledger`], held by the
//! [`Engine`]): lots for every fill as it is made ([`Engine::book`]), and at the end of
//! each day interest on cash and tax that fell due ([`Keep::bar_end`]). Kept apart from the
//! loop so the loop only calls them where cash is final.

use super::action::Engine;
use super::frame::Frame;
use crate::check::Program;
use crate::money::{Ledger, MoneyRecord, Rate, ledger::DayEnd};

/// The interest rate the run reads: a constant, or a series column (yearly percent).
enum Interest<'f> {
    None,
    Fixed(f64),
    Series(&'f [f64]),
}

/// What the loop keeps for the ledger between days.
pub(super) struct Keep<'f> {
    interest: Interest<'f>,
    /// The last bar so far: its day, the cash at its close and the interest rate known
    /// then, which earns interest until the next day closes.
    held: Option<(i32, f64, f64)>,
    /// Whether the day's end has work: interest on cash, or a tax rule's years to pay.
    /// Decided once from the program, so a strategy without either does nothing per day.
    work: bool,
}

/// The ledger of a run of `program` over `frame`.
pub(super) fn ledger(program: &Program, frame: &Frame, has_base: bool) -> Ledger {
    Ledger::new(&program.money, frame.symbols.len(), has_base)
}

impl Engine<'_> {
    /// A fill of symbol `s` on bar `t` (`shares` for `value` USD and `fee`), booked into
    /// the lots at the bar's exchange rate. A sale's withheld tax (`tax korea-listed`)
    /// leaves cash at once.
    pub(super) fn book(&mut self, s: usize, buy: bool, shares: f64, value: f64, fee: f64, t: usize) {
        if !self.book_lots {
            return;
        }
        let day = self.frame.days[t];
        let rate = self.rate.map_or(1.0, |r| r[t]);
        if self.expenses {
            // The shares before this fill, which expenses may have shrunk since the lots
            // were booked.
            let before = self.account_shares(s) + if buy { -shares } else { shares };
            self.ledger.holding(s, before);
        }
        if buy {
            self.ledger.buy(s, day, shares, value, fee, rate);
        } else {
            self.pf.cash -= self.ledger.sell(s, day, shares, value, fee, rate);
        }
    }
}

impl<'f> Keep<'f> {
    pub(super) fn new(program: &Program, frame: &'f Frame<'f>) -> Keep<'f> {
        let interest = match &program.money.interest {
            None => Interest::None,
            Some(Rate::Fixed(r)) => Interest::Fixed(*r),
            Some(Rate::Series(name)) => match frame.series_index(name) {
                Some(i) => Interest::Series(&frame.series[i].1),
                None => Interest::None,
            },
        };
        let work = program.money.interest.is_some() || program.money.tax.is_some();
        Keep {
            interest,
            held: None,
            work,
        }
    }

    /// Whether the day's end has work to do (interest on cash, or tax): without it,
    /// [`Self::bar_end`] does nothing.
    pub(super) fn works(&self) -> bool {
        self.work
    }

    /// Bar `t` is done (its fills, contributions and withdrawals are in): on the first bar
    /// of a new day, accrues interest on the cash held since the day before and pays tax
    /// that fell due. Changes the engine's cash by that and returns it.
    pub(super) fn bar_end(&mut self, t: usize, engine: &mut Engine) -> DayEnd {
        if !self.work {
            // Without interest or tax a day's end accrues and pays nothing.
            return DayEnd::default();
        }
        let day = engine.frame.days[t];
        let rate = engine.rate.map(|r| r[t]);
        let interest = match self.interest {
            Interest::None => f64::NAN,
            Interest::Fixed(r) => r,
            Interest::Series(col) => col[t] / 100.0,
        };
        let mut end = DayEnd::default();
        // On a day's later bars (intraday data) only what is held changes.
        if self.held.is_none_or(|(d, _, _)| d != day) {
            end = engine.ledger.day_end(self.held, day, engine.pf.cash, rate);
            engine.pf.cash += end.cash;
        }
        self.held = Some((day, engine.pf.cash, interest));
        end
    }
}

/// The record at the end of the run: `ledger` after the last bar of `frame`.
pub(super) fn finish(ledger: Ledger, frame: &Frame, rate: Option<&[f64]>) -> MoneyRecord {
    let last = frame.len().saturating_sub(1);
    let names: Vec<String> = frame.symbols.iter().map(|s| s.name.clone()).collect();
    let closes: Vec<f64> = frame.symbols.iter().map(|s| s.close[last]).collect();
    let day = frame.days.get(last).copied().unwrap_or(0);
    ledger.finish(&names, &closes, rate.map(|r| r[last]), day)
}
