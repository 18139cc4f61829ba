//! The run loop's calls into the money ledger ([`crate::money::Ledger`]): lots for every
//! fill, and at the end of each day interest on cash and tax that fell due. Kept apart from
//! the loop so the loop only calls [`Keep::bar_end`] where a bar's cash is final.

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

/// The ledger and what it reads from the frame.
pub(super) struct Keep<'f> {
    pub(super) ledger: Ledger,
    interest: Interest<'f>,
    /// Whether fund expenses shrink holdings (the lots then follow the engine's shares).
    expenses: bool,
    /// Trades already booked into lots.
    seen: usize,
    /// The last bar so far: its day, the cash at its close and the interest rate known
    /// then, which earns interest until the next day closes.
    held: Option<(i32, f64, f64)>,
}

impl<'f> Keep<'f> {
    pub(super) fn new(program: &Program, frame: &'f Frame<'f>, has_base: bool) -> Keep<'f> {
        let interest = match &program.money.interest {
            None => Interest::None,
            Some(Rate::Fixed(r)) => Interest::Fixed(*r),
            Some(Rate::Series(name)) => match frame.series_index(name) {
                Some(i) => Interest::Series(&frame.series[i].1),
                None => Interest::None,
            },
        };
        Keep {
            ledger: Ledger::new(&program.money, frame.symbols.len(), has_base),
            interest,
            expenses: !program.expenses.is_empty(),
            seen: 0,
            held: None,
        }
    }

    /// Bar `t` is done (its fills and contributions are in): books its fills into lots
    /// and, on the first bar of a new day, accrues interest on the cash held since the day
    /// before and pays tax that fell due. Changes the engine's cash by that and returns it.
    pub(super) fn bar_end(&mut self, t: usize, engine: &mut Engine) -> DayEnd {
        let frame = engine.frame;
        let day = frame.days[t];
        let rate = engine.rate.map(|r| r[t]);
        let fills = &engine.trades[self.seen..];
        if self.expenses {
            // The shares before this bar's fills, which expenses may have shrunk.
            for s in 0..frame.symbols.len() {
                let name = &frame.symbols[s].name;
                let filled: f64 = (fills.iter().filter(|f| &f.symbol == name))
                    .map(|f| if f.side == "buy" { f.shares } else { -f.shares })
                    .sum();
                self.ledger.holding(s, engine.pf.shares[s] - filled);
            }
        }
        for f in fills {
            let Some(s) = frame.symbol_index(&f.symbol) else {
                continue;
            };
            let r = rate.unwrap_or(1.0);
            if f.side == "buy" {
                self.ledger.buy(s, day, f.shares, f.value, f.fee, r);
            } else {
                self.ledger.sell(s, day, f.shares, f.value, f.fee, r);
            }
        }
        self.seen = engine.trades.len();
        let interest = match self.interest {
            Interest::None => f64::NAN,
            Interest::Fixed(r) => r,
            Interest::Series(col) => col[t] / 100.0,
        };
        let mut end = DayEnd::default();
        // On a day's later bars (intraday data) only what is held changes.
        if self.held.is_none_or(|(d, _, _)| d != day) {
            end = self.ledger.day_end(self.held, day, engine.pf.cash, rate);
            engine.pf.cash += end.cash;
        }
        self.held = Some((day, engine.pf.cash, interest));
        end
    }

    /// The record at the end of the run.
    pub(super) fn finish(self, frame: &Frame, rate: Option<&[f64]>) -> MoneyRecord {
        let last = frame.len().saturating_sub(1);
        let names: Vec<String> = frame.symbols.iter().map(|s| s.name.clone()).collect();
        let closes: Vec<f64> = frame.symbols.iter().map(|s| s.close[last]).collect();
        self.ledger.finish(&names, &closes, rate.map(|r| r[last]))
    }
}
