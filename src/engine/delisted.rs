//! Holdings whose prices stop: a symbol with no row on any of the last five trading days
//! ([`super::action::CURRENT_DAYS`]: its file has ended, or a long halt) has no current
//! price. A holding of it is carried at its last close (`delisted hold`, the default) or
//! sold at that close (`delisted sell`), and either way the report says which, since when
//! and for how long (issue 12 item 5). The five days are a trading week: a holiday of one
//! exchange never counts as an end, and no look-ahead is needed to tell one.

use super::action::Engine;
use super::portfolio::FillOutcome;

/// A holding whose symbol stopped trading, as the report states it.
#[derive(Clone, Debug, PartialEq)]
pub struct Delisting {
    pub symbol: String,
    /// The date of its last row, days since 1970.
    pub last_day: i32,
    /// Its last close (adjusted when the prices are), USD.
    pub last_close: f64,
    /// Shares held when it was found (and sold, with `delisted sell`).
    pub shares: f64,
    /// Trading days from its last row to the sale, or to the end of the run.
    pub carried_days: usize,
    /// The day it was sold, with `delisted sell`; `None` when it was held to the end.
    pub sold_on: Option<i32>,
}

impl Engine<'_> {
    /// The last row of `s` at or before bar `t`: its bar and the trading days since.
    fn last_row(&self, s: usize, t: usize) -> Option<(usize, usize)> {
        let (days, open) = (&self.frame.days, &self.frame.symbols[s].open);
        let mut since = 0;
        for k in (0..=t).rev() {
            if !open[k].is_nan() {
                return Some((k, since));
            }
            if k > 0 && days[k - 1] != days[k] {
                since += 1;
            }
        }
        None
    }

    /// The delisting of a holding of `s` found at bar `t`, if `s` has no current price.
    fn delisting(&self, s: usize, t: usize) -> Option<Delisting> {
        let shares = self.pf.shares[s];
        if shares <= 0.0 || self.current(s, t) {
            return None;
        }
        let (k, since) = self.last_row(s, t)?;
        let c = &self.frame.symbols[s];
        Some(Delisting {
            symbol: c.name.clone(),
            last_day: self.frame.days[k],
            last_close: c.close[k],
            shares,
            carried_days: since,
            sold_on: None,
        })
    }

    /// `delisted sell`: sells, at its last close, every holding whose price has just
    /// stopped being current (on the first bar of the fifth trading day without a row); the
    /// sale is a trade of no rule (rule 0), with the usual fees and slippage. A sale that
    /// does not happen (less than a cent, a fee not smaller than it) is not tried again:
    /// nothing about it changes later.
    pub(super) fn sell_delisted_here(&mut self, t: usize, found: &mut Vec<Delisting>) {
        let days = &self.frame.days;
        if t > 0 && days[t - 1] == days[t] {
            return;
        }
        for s in 0..self.pf.shares.len() {
            let Some(mut d) = self.delisting(s, t) else { continue };
            if d.carried_days != super::action::CURRENT_DAYS {
                continue;
            }
            let outcome = self.pf.sell_shares(s, d.shares, d.last_close);
            if matches!(outcome, FillOutcome::Filled { .. }) {
                d.sold_on = Some(self.frame.days[t]);
                found.push(d);
            }
            self.record(0, s, false, outcome, t, false);
        }
    }

    /// The holdings at the last bar `t` that have no current price: carried to the end.
    pub(super) fn held_delisted(&self, t: usize) -> Vec<Delisting> {
        (0..self.pf.shares.len()).filter_map(|s| self.delisting(s, t)).collect()
    }
}
