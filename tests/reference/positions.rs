//! Position state, kept from the account's fills as the reference makes them: the entry
//! price (the average fill price of the buys since the position was opened from nothing),
//! the calendar bar and date of the opening fill, the date of the sale that last emptied
//! it, and whether an exit's sale is waiting. Written apart from rotor's engine.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::account::{Account, Fill};
use super::model::Sym;

#[derive(Clone, Copy, Debug)]
pub struct Open {
    pub entry_price: f64,
    /// Index in the full calendar of the opening fill's bar.
    pub bar: usize,
    pub date: NaiveDate,
    pub exiting: bool,
}

#[derive(Clone, Debug, Default)]
pub struct Positions {
    pub open: BTreeMap<Sym, Open>,
    pub last_exit: BTreeMap<Sym, NaiveDate>,
}

impl Positions {
    /// Takes in the fills the account made since `from` (its fills' count before), on the
    /// full-calendar bar `bar`. Each order fills a symbol at most once, so the shares held
    /// now are those after its fill.
    pub fn note(&mut self, account: &Account, from: usize, bar: usize) {
        for f in &account.fills[from..] {
            self.fill(f, account.held(f.symbol), bar);
        }
    }

    fn fill(&mut self, f: &Fill, held: f64, bar: usize) {
        if f.buy {
            let open = match self.open.get(&f.symbol) {
                None => Open {
                    entry_price: f.price,
                    bar,
                    date: f.date,
                    exiting: false,
                },
                Some(o) => Open {
                    entry_price: (o.entry_price * (held - f.shares) + f.price * f.shares) / held,
                    ..*o
                },
            };
            self.open.insert(f.symbol, open);
        } else if held == 0.0 && self.open.remove(&f.symbol).is_some() {
            self.last_exit.insert(f.symbol, f.date);
        }
    }
}
