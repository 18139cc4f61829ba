//! Round trips: a run's fills matched first in, first out (FIFO), as a trading platform's
//! strategy tester lists closed trades, with their statistics.
//!
//! [`Fifo`] is a pure lot book: buys open lots, a sale closes the oldest lots first (part
//! of a lot when the sale is smaller), and every closed piece is a [`RoundTrip`] with its
//! cost basis and proceeds. It knows nothing of the engine, so a cost-basis or tax report
//! can keep lots with it too. [`replay`] feeds it a run's trades, with the fund expenses the
//! engine takes as shares.

use std::collections::{BTreeMap, VecDeque};

use serde::Serialize;

use crate::civil;
use crate::engine::Trade;

/// Shares left in a lot below this (relative to the lot) are rounding, not a holding.
const LEFTOVER: f64 = 1e-9;

/// A purchase still held, in whole or in part: a tax lot.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Lot {
    /// The purchase date, days since 1970-01-01.
    #[serde(skip)]
    pub day: i32,
    pub opened: String,
    pub shares: f64,
    /// The fill price per share (slippage included), USD.
    pub price: f64,
    /// What the shares still held cost, the purchase fee included (the cost basis), USD.
    pub cost: f64,
}

/// Shares bought and later sold: one lot, or the part of it one sale closed.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RoundTrip {
    pub symbol: String,
    pub opened: String,
    pub closed: String,
    /// Shares sold (fewer than bought when fund expenses were taken as shares).
    pub shares: f64,
    /// Fill prices per share, slippage included, USD.
    pub entry_price: f64,
    pub exit_price: f64,
    /// Cost basis of the shares: their part of the purchase, fee included, USD.
    pub cost: f64,
    /// Their part of the sale, less their part of its fee, USD.
    pub proceeds: f64,
    /// proceeds - cost, USD.
    pub profit: f64,
    /// profit / cost.
    #[serde(rename = "return")]
    pub ret: f64,
    /// Calendar days from the purchase to the sale.
    pub days_held: i32,
}

/// Open lots per symbol, oldest first.
#[derive(Clone, Debug, Default)]
pub struct Fifo {
    lots: BTreeMap<String, VecDeque<Lot>>,
}

impl Fifo {
    /// Opens a lot: `shares` bought on `day` at `price` with `fee`.
    pub fn buy(&mut self, symbol: &str, day: i32, shares: f64, price: f64, fee: f64) {
        self.lots.entry(symbol.to_string()).or_default().push_back(Lot {
            day,
            opened: civil::iso(day),
            shares,
            price,
            cost: shares * price + fee,
        });
    }

    /// Sells `shares` on `day` at `price` with `fee`, closing the oldest lots first. Returns
    /// the round trips closed and the shares no lot held (0 unless more was sold than
    /// bought).
    pub fn sell(&mut self, symbol: &str, day: i32, shares: f64, price: f64, fee: f64) -> (Vec<RoundTrip>, f64) {
        let mut closed = Vec::new();
        let mut left = shares;
        let lots = self.lots.entry(symbol.to_string()).or_default();
        while left > LEFTOVER * shares.max(1.0) {
            let Some(lot) = lots.front_mut() else { break };
            let q = left.min(lot.shares);
            let part = if lot.shares > 0.0 { q / lot.shares } else { 1.0 };
            let cost = lot.cost * part;
            let proceeds = q * price - fee * q / shares;
            closed.push(RoundTrip {
                symbol: symbol.to_string(),
                opened: lot.opened.clone(),
                closed: civil::iso(day),
                shares: q,
                entry_price: lot.price,
                exit_price: price,
                cost,
                proceeds,
                profit: proceeds - cost,
                ret: if cost > 0.0 { proceeds / cost - 1.0 } else { f64::NAN },
                days_held: day - lot.day,
            });
            lot.shares -= q;
            lot.cost -= cost;
            left -= q;
            if lot.shares <= LEFTOVER * (lot.shares + q).max(1.0) {
                lots.pop_front();
            }
        }
        (closed, left.max(0.0))
    }

    /// Takes the fraction `factor` of every open lot of `symbol` away, keeping its cost:
    /// how the engine charges a fund's expense ratio (fewer shares for the same money).
    pub fn shrink(&mut self, symbol: &str, factor: f64) {
        for lot in self.lots.get_mut(symbol).into_iter().flatten() {
            lot.shares *= 1.0 - factor;
        }
    }

    /// Every open lot, by symbol (alphabetical) and then oldest first.
    pub fn open(&self) -> impl Iterator<Item = (&str, &Lot)> {
        (self.lots.iter()).flat_map(|(s, lots)| lots.iter().map(move |l| (s.as_str(), l)))
    }
}

/// The statistics of closed round trips (as a strategy tester shows them). Money in USD;
/// `None` where there is nothing to average or divide by.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Statistics {
    pub closed: usize,
    /// Round trips with a profit above 0, and with a loss (below 0).
    pub winners: usize,
    pub losers: usize,
    /// winners / closed.
    pub win_rate: Option<f64>,
    /// Sum of the profits of the winners, and of the losses of the losers (a positive number).
    pub gross_profit: f64,
    pub gross_loss: f64,
    /// gross profit - gross loss.
    pub net_profit: f64,
    /// gross profit / gross loss.
    pub profit_factor: Option<f64>,
    pub average_trade: Option<f64>,
    pub average_win: Option<f64>,
    /// A positive number.
    pub average_loss: Option<f64>,
    /// average win / average loss.
    pub win_loss_ratio: Option<f64>,
    pub largest_win: Option<f64>,
    /// A positive number.
    pub largest_loss: Option<f64>,
    /// Mean calendar days from purchase to sale.
    pub average_days_held: Option<f64>,
}

impl Statistics {
    pub fn of(trips: &[RoundTrip]) -> Statistics {
        let wins: Vec<f64> = trips.iter().map(|t| t.profit).filter(|&p| p > 0.0).collect();
        let losses: Vec<f64> = trips.iter().map(|t| -t.profit).filter(|&l| l > 0.0).collect();
        let mean = |v: &[f64]| (!v.is_empty()).then(|| v.iter().sum::<f64>() / v.len() as f64);
        let largest = |v: &[f64]| v.iter().copied().reduce(f64::max);
        let gross_profit: f64 = wins.iter().sum();
        let gross_loss: f64 = losses.iter().sum();
        let (average_win, average_loss) = (mean(&wins), mean(&losses));
        let profits: Vec<f64> = trips.iter().map(|t| t.profit).collect();
        let held: Vec<f64> = trips.iter().map(|t| f64::from(t.days_held)).collect();
        Statistics {
            closed: trips.len(),
            winners: wins.len(),
            losers: losses.len(),
            win_rate: (!trips.is_empty()).then(|| wins.len() as f64 / trips.len() as f64),
            gross_profit,
            gross_loss,
            net_profit: gross_profit - gross_loss,
            profit_factor: (gross_loss > 0.0).then(|| gross_profit / gross_loss),
            average_trade: mean(&profits),
            average_win,
            average_loss,
            win_loss_ratio: average_win.zip(average_loss).map(|(w, l)| w / l),
            largest_win: largest(&wins),
            largest_loss: largest(&losses),
            average_days_held: mean(&held),
        }
    }
}

/// Replays a run's trades through a [`Fifo`]: on each day of `days` (the run's bars), the
/// fund expenses the engine took since the bar before (`expenses`: symbol and yearly ratio;
/// a fraction `ratio × calendar days / 365` of the shares, before the day's fills), then the
/// day's trades in the order they filled. Returns the round trips closed and the lots still
/// open at the end.
pub fn replay(trades: &[Trade], days: &[i32], expenses: &[(String, f64)]) -> (Vec<RoundTrip>, Fifo) {
    let mut book = Fifo::default();
    let mut trips = Vec::new();
    let mut next = 0;
    for (t, &day) in days.iter().enumerate() {
        if t > 0 && days[t - 1] == day {
            continue;
        }
        if t > 0 {
            let dt = f64::from(day - days[t - 1]);
            for (symbol, ratio) in expenses {
                book.shrink(symbol, ratio * dt / 365.0);
            }
        }
        let date = civil::iso(day);
        while let Some(trade) = trades.get(next).filter(|tr| tr.date == date) {
            if trade.side == "buy" {
                book.buy(&trade.symbol, day, trade.shares, trade.price, trade.fee);
            } else {
                trips.extend(book.sell(&trade.symbol, day, trade.shares, trade.price, trade.fee).0);
            }
            next += 1;
        }
    }
    (trips, book)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sale_closes_the_oldest_lots_first_and_splits_one() {
        let mut book = Fifo::default();
        book.buy("AAA", 0, 10.0, 10.0, 1.0); // cost 101
        book.buy("AAA", 5, 10.0, 20.0, 2.0); // cost 202
        // Sell 15 at 30 with a fee of 3: 10 from the first lot, 5 from the second.
        let (trips, unmatched) = book.sell("AAA", 9, 15.0, 30.0, 3.0);
        assert_eq!(unmatched, 0.0);
        assert_eq!(trips.len(), 2);
        assert_eq!((trips[0].shares, trips[0].cost), (10.0, 101.0));
        assert!((trips[0].proceeds - (300.0 - 2.0)).abs() < 1e-12);
        assert!((trips[0].profit - 197.0).abs() < 1e-12);
        assert_eq!(trips[0].days_held, 9);
        assert_eq!((trips[1].shares, trips[1].cost), (5.0, 101.0));
        assert!((trips[1].proceeds - (150.0 - 1.0)).abs() < 1e-12);
        assert_eq!(trips[1].days_held, 4);
        // Half of the second lot is left, with half its cost.
        let open: Vec<_> = book.open().collect();
        assert_eq!(open.len(), 1);
        assert_eq!((open[0].1.shares, open[0].1.cost), (5.0, 101.0));
    }

    #[test]
    fn selling_more_than_was_bought_reports_the_rest() {
        let mut book = Fifo::default();
        book.buy("AAA", 0, 1.0, 10.0, 0.0);
        let (trips, unmatched) = book.sell("AAA", 1, 3.0, 10.0, 0.0);
        assert_eq!(trips.len(), 1);
        assert_eq!(unmatched, 2.0);
    }

    #[test]
    fn expenses_taken_as_shares_keep_the_cost() {
        let mut book = Fifo::default();
        book.buy("AAA", 0, 100.0, 10.0, 0.0);
        book.shrink("AAA", 0.01);
        let (trips, unmatched) = book.sell("AAA", 1, 99.0, 10.0, 0.0);
        assert_eq!(unmatched, 0.0);
        assert_eq!(book.open().count(), 0);
        assert!((trips[0].profit + 10.0).abs() < 1e-9);
    }

    #[test]
    fn statistics_of_wins_and_losses() {
        let trip = |profit: f64, days_held: i32| RoundTrip {
            symbol: "AAA".into(),
            opened: String::new(),
            closed: String::new(),
            shares: 1.0,
            entry_price: 0.0,
            exit_price: 0.0,
            cost: 100.0,
            proceeds: 100.0 + profit,
            profit,
            ret: profit / 100.0,
            days_held,
        };
        let s = Statistics::of(&[trip(30.0, 10), trip(10.0, 20), trip(-20.0, 30), trip(0.0, 40)]);
        assert_eq!((s.closed, s.winners, s.losers), (4, 2, 1));
        assert_eq!(s.win_rate, Some(0.5));
        assert_eq!((s.gross_profit, s.gross_loss, s.net_profit), (40.0, 20.0, 20.0));
        assert_eq!(s.profit_factor, Some(2.0));
        assert_eq!(s.average_trade, Some(5.0));
        assert_eq!((s.average_win, s.average_loss), (Some(20.0), Some(20.0)));
        assert_eq!(s.win_loss_ratio, Some(1.0));
        assert_eq!((s.largest_win, s.largest_loss), (Some(30.0), Some(20.0)));
        assert_eq!(s.average_days_held, Some(25.0));
        let none = Statistics::of(&[]);
        assert_eq!(
            (none.win_rate, none.profit_factor, none.average_trade),
            (None, None, None)
        );
    }

    #[test]
    fn replay_takes_expenses_before_the_days_fills() {
        let trade = |date: &str, side: &'static str, shares: f64| Trade {
            date: date.into(),
            symbol: "AAA".into(),
            side,
            shares,
            price: 10.0,
            value: shares * 10.0,
            fee: 0.0,
            rule: 1,
            exit: None,
        };
        let days = [0, 365];
        // 100 shares bought on day 0; 1% a year for 365 days leaves 99, all sold on day 365.
        let trades = [
            trade("1970-01-01", "buy", 100.0),
            trade("1971-01-01", "sell", 100.0 * 0.99),
        ];
        let (trips, book) = replay(&trades, &days, &[("AAA".into(), 0.01)]);
        assert_eq!(trips.len(), 1);
        assert_eq!(book.open().count(), 0, "no crumb of a lot is left open");
        assert!((trips[0].shares - 99.0).abs() < 1e-9);
    }
}
