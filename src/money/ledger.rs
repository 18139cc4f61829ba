//! The money side of one run, for the engine: it converts contributions, books every fill
//! into lots, and at the end of each day accrues interest and pays the tax that fell due.
//! It never reads a price or a rate dated after the day it is told about (no look-ahead):
//! the engine hands it each day's values as the day ends.

use std::collections::BTreeMap;

use serde::Serialize;

use super::fx::Spread;
use super::interest::Accrual;
use super::lots::{Book, Realized};
use super::tax::{self, TaxYear};
use super::{Settings, TaxRule};
use crate::civil;

/// What the end of a day did to the account.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct DayEnd {
    /// Added to cash (interest) less what left it (tax), USD.
    pub cash: f64,
    /// Tax that cash could not pay, paid by the investor from outside the account: a
    /// contribution of the same day, USD and in the base currency.
    pub outside: f64,
    pub outside_base: f64,
}

/// The money record of one run, at its end.
#[derive(Clone, Debug, Default, Serialize)]
pub struct MoneyRecord {
    /// Interest credited to cash, USD.
    pub interest_earned: f64,
    /// Interest accrued in the last month but not credited by the end of the run, USD
    /// (not in any figure).
    pub interest_accrued: f64,
    /// Calendar days on which the interest rate series had no value yet (no interest).
    pub interest_days_without_rate: u32,
    /// What the FX spread cost on conversions, USD.
    pub fx_costs: f64,
    /// Capital-gains tax paid from cash (and from outside), USD.
    pub taxes_paid: f64,
    /// Tax paid by the investor from outside the account because cash was short, USD
    /// (also a contribution of its day).
    pub taxes_paid_from_outside: f64,
    /// Tax owed at the end of the run but not yet due for payment, USD at the last day's
    /// rate and spread; and in the rule's currency.
    pub taxes_due: f64,
    pub taxes_due_in_rule_currency: f64,
    /// Each tax year with a sale, oldest first.
    pub tax_years: Vec<TaxYear>,
    /// Realized gains by symbol and calendar year of the sale.
    pub realized: Vec<RealizedRow>,
    /// Each symbol ever held: realized gains, and what it holds at the end against its cost.
    pub positions: Vec<PositionGains>,
    /// Cash moves other than contributions and fills (interest credited, tax paid): day
    /// number and amount, USD. What the engine's invariants rebuild cash with.
    #[serde(skip)]
    pub cash_moves: Vec<(i32, f64)>,
}

/// Realized gains of one symbol in one calendar year.
#[derive(Clone, Debug, Serialize)]
pub struct RealizedRow {
    pub symbol: String,
    pub year: i64,
    /// USD.
    pub gain: f64,
    /// In the base currency (lots at their buy dates' rates, proceeds at the sale's); null
    /// without one.
    pub gain_base: Option<f64>,
}

/// One symbol's gains over the run.
#[derive(Clone, Debug, Serialize)]
pub struct PositionGains {
    pub symbol: String,
    /// Realized over the run, USD.
    pub realized: f64,
    /// Shares held at the end, their cost basis and their value at the last close, USD.
    pub shares: f64,
    pub cost_basis: f64,
    pub value: f64,
    /// `value − cost_basis`.
    pub unrealized: f64,
}

/// The run's money state (see the module doc).
#[derive(Clone, Debug)]
pub struct Ledger {
    interest_rate: bool,
    spread: Spread,
    tax: Option<TaxRule>,
    has_base: bool,
    book: Book,
    interest: Accrual,
    /// (symbol, year) → realized gain (USD, base currency).
    realized: BTreeMap<(usize, i64), (f64, f64)>,
    /// Year → net gain in the rule's currency, for years whose tax is not paid yet.
    unpaid: BTreeMap<i64, f64>,
    record: MoneyRecord,
}

impl Ledger {
    /// The ledger of a run over `symbols` symbols; `has_base` when the strategy declares a
    /// base currency.
    pub fn new(settings: &Settings, symbols: usize, has_base: bool) -> Ledger {
        Ledger {
            interest_rate: settings.interest.is_some(),
            spread: Spread(settings.fx_spread),
            tax: settings.tax.clone(),
            has_base,
            book: Book::new(symbols, settings.basis),
            interest: Accrual::default(),
            realized: BTreeMap::new(),
            unpaid: BTreeMap::new(),
            record: MoneyRecord::default(),
        }
    }

    /// A contribution: `amount` in the base currency, or in USD when `usd`, at `rate` (base
    /// per USD, `None` without a base currency). Returns what reaches the account in USD and
    /// what the investor paid in the base currency, the spread applied either way.
    pub fn contribution(&mut self, usd: bool, amount: f64, rate: Option<f64>) -> (f64, f64) {
        let Some(r) = rate else { return (amount, 0.0) };
        if usd {
            let base = self.spread.cost_of_usd(amount, r);
            self.record.fx_costs += base / r - amount;
            (amount, base)
        } else {
            let got = self.spread.buy_usd(amount, r);
            self.record.fx_costs += amount / r - got;
            (got, amount)
        }
    }

    /// Before the fills of a day: the shares the engine holds of `sym`, which fund expenses
    /// may have shrunk since the lots were booked.
    pub fn holding(&mut self, sym: usize, shares: f64) {
        let booked = self.book.shares(sym);
        if (booked - shares).abs() > 1e-12 * booked.max(1.0) {
            self.book.rescale(sym, shares);
        }
    }

    /// A buy filled on `day` at `rate` (1 without a base currency).
    pub fn buy(&mut self, sym: usize, day: i32, shares: f64, value: f64, fee: f64, rate: f64) {
        self.book.buy(sym, day, shares, value, fee, rate);
    }

    /// A sale filled on `day` at `rate` (1 without a base currency).
    pub fn sell(&mut self, sym: usize, day: i32, shares: f64, value: f64, fee: f64, rate: f64) -> Realized {
        let r = self.book.sell(sym, shares, value, fee, rate);
        let year = civil::ymd(day).0;
        let row = self.realized.entry((sym, year)).or_default();
        row.0 += r.gain();
        row.1 += r.gain_base();
        if let Some(rule) = &self.tax {
            *self.unpaid.entry(year).or_default() += if rule.in_base { r.gain_base() } else { r.gain() };
        }
        r
    }

    /// A new trading day `day` has closed, the day before it being `held.0` with `held.1`
    /// in cash at its close and `held.2` the yearly interest rate known then (a fraction;
    /// NaN if not known). Interest accrues on that cash over the calendar days from that
    /// day up to `day` and is credited at each month end among them; the tax of a year is
    /// paid on the first trading day on or after its deadline, at `rate` (base per USD),
    /// from `cash` (the account's cash now) as far as it goes. Only values dated on or
    /// before `day` are used: a run cut at any day agrees with the full run up to it.
    pub fn day_end(&mut self, held: Option<(i32, f64, f64)>, day: i32, cash: f64, rate: Option<f64>) -> DayEnd {
        let mut out = DayEnd::default();
        if let (true, Some((from, balance, interest))) = (self.interest_rate, held) {
            out.cash += self.interest.hold(balance, interest, from, day);
        }
        // Deadlines grow with the year, so the years due are the first ones of the map: this
        // runs on every day of every run, and most days nothing is due.
        while let Some((&year, &gain)) = self.unpaid.first_key_value()
            && day >= tax::deadline(year)
        {
            self.unpaid.pop_first();
            let mut row = self.tax_year(year, gain);
            let usd = self.usd_to_pay(row.tax, rate);
            let available = (cash + out.cash).max(0.0);
            let outside = (usd - available).max(0.0);
            out.cash -= usd - outside;
            out.outside += outside;
            if let Some(r) = rate {
                out.outside_base += outside * r * (1.0 - self.spread.0);
            }
            row.paid_on = Some(civil::iso(day));
            row.paid_usd = usd;
            self.record.taxes_paid += usd;
            self.record.taxes_paid_from_outside += outside;
            self.record.tax_years.push(row);
        }
        // Cash changes by `out.cash`; the engine records the outside payment as a
        // contribution, so the move besides contributions is the rest.
        if out.cash != 0.0 || out.outside != 0.0 {
            self.record.cash_moves.push((day, out.cash - out.outside));
        }
        self.record.interest_earned = self.interest.credited;
        self.record.interest_accrued = self.interest.accrued;
        self.record.interest_days_without_rate = self.interest.days_without_rate;
        out
    }

    /// What the tax of `year` comes to on its net gain.
    fn tax_year(&self, year: i64, net_gain: f64) -> TaxYear {
        let rule = self.tax.as_ref().expect("only a tax rule records gains to tax");
        TaxYear {
            year,
            net_gain,
            deduction: rule.deduction,
            taxable: rule.taxable(net_gain),
            tax: rule.tax(net_gain),
            paid_on: None,
            paid_usd: 0.0,
        }
    }

    /// The dollars that pay `tax` in the rule's currency.
    fn usd_to_pay(&mut self, tax: f64, rate: Option<f64>) -> f64 {
        match (&self.tax, rate) {
            (Some(rule), Some(r)) if rule.in_base => {
                let usd = self.spread.usd_to_pay(tax, r);
                self.record.fx_costs += usd - tax / r;
                usd
            }
            _ => tax,
        }
    }

    /// The record at the end of the run: the tax still owed (every unpaid year, the last
    /// one to date), and each symbol's gains. `names` are the symbols' names and `closes`
    /// their last closes; `rate` the last day's exchange rate.
    pub fn finish(mut self, names: &[String], closes: &[f64], rate: Option<f64>) -> MoneyRecord {
        let unpaid = std::mem::take(&mut self.unpaid);
        for (year, gain) in unpaid {
            let row = self.tax_year(year, gain);
            self.record.taxes_due_in_rule_currency += row.tax;
            self.record.taxes_due += match (&self.tax, rate) {
                (Some(rule), Some(r)) if rule.in_base => self.spread.usd_to_pay(row.tax, r),
                _ => row.tax,
            };
            self.record.tax_years.push(row);
        }
        let mut by_symbol = vec![0.0; names.len()];
        for (&(sym, year), &(gain, base)) in &self.realized {
            by_symbol[sym] += gain;
            self.record.realized.push(RealizedRow {
                symbol: names[sym].clone(),
                year,
                gain,
                gain_base: self.has_base.then_some(base),
            });
        }
        for (sym, name) in names.iter().enumerate() {
            let shares = self.book.shares(sym);
            if shares == 0.0 && !self.realized.keys().any(|(s, _)| *s == sym) {
                continue;
            }
            let cost_basis = self.book.cost(sym).0;
            let value = if shares == 0.0 { 0.0 } else { shares * closes[sym] };
            self.record.positions.push(PositionGains {
                symbol: name.clone(),
                realized: by_symbol[sym],
                shares,
                cost_basis,
                value,
                unrealized: value - cost_basis,
            });
        }
        self.record
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i64, m: u32, d: u32) -> i32 {
        civil::days(y, m, d) as i32
    }

    fn korea(spread: f64) -> Ledger {
        let settings = Settings {
            tax: Some(TaxRule::korea()),
            fx_spread: spread,
            ..Settings::default()
        };
        Ledger::new(&settings, 1, true)
    }

    #[test]
    fn the_issue_example_is_paid_at_the_end_of_the_next_may() {
        // 100 shares bought at 100 USD (1,300 KRW/USD), sold at 150 (1,350) in 2024:
        // 1,045,000 KRW of tax, due 2025-05-31 (a Saturday), paid on the next trading day,
        // 2025-06-02, at 1,400 KRW/USD: 746.43 USD.
        let mut l = korea(0.0);
        l.buy(0, day(2024, 3, 4), 100.0, 10_000.0, 0.0, 1300.0);
        l.sell(0, day(2024, 9, 2), 100.0, 15_000.0, 0.0, 1350.0);
        let end = l.day_end(None, day(2024, 12, 31), 15_000.0, Some(1350.0));
        assert_eq!(end, DayEnd::default(), "nothing is paid in the year of the gain");
        let before = l.day_end(None, day(2025, 5, 30), 15_000.0, Some(1400.0));
        assert_eq!(before.cash, 0.0);
        let paid = l.day_end(None, day(2025, 6, 2), 15_000.0, Some(1400.0));
        assert!((paid.cash + 1_045_000.0 / 1400.0).abs() < 1e-9);
        let rec = l.finish(&["IWO".into()], &[150.0], Some(1400.0));
        assert_eq!(rec.tax_years.len(), 1);
        let y = &rec.tax_years[0];
        assert_eq!((y.year, y.net_gain, y.taxable), (2024, 7_250_000.0, 4_750_000.0));
        assert!((y.tax - 1_045_000.0).abs() < 1e-6);
        assert_eq!(y.paid_on.as_deref(), Some("2025-06-02"));
        assert_eq!(rec.taxes_due, 0.0);
        assert_eq!(rec.cash_moves.len(), 1);
    }

    #[test]
    fn losses_net_gains_of_other_symbols_within_a_year_and_a_loss_year_owes_nothing() {
        // 2024: A gains 10,000,000 KRW, B loses 4,000,000: net 6,000,000, taxable
        // 3,500,000, tax 770,000. 2025: B loses 1,000,000 KRW: nothing, nothing carried.
        let settings = Settings {
            tax: Some(TaxRule::korea()),
            ..Settings::default()
        };
        let mut l = Ledger::new(&settings, 2, true);
        l.buy(0, day(2024, 1, 2), 100.0, 10_000.0, 0.0, 1000.0);
        l.sell(0, day(2024, 6, 3), 100.0, 20_000.0, 0.0, 1000.0);
        l.buy(1, day(2024, 1, 2), 100.0, 10_000.0, 0.0, 1000.0);
        l.sell(1, day(2024, 6, 3), 50.0, 1_000.0, 0.0, 1000.0);
        l.sell(1, day(2025, 2, 3), 50.0, 4_000.0, 0.0, 1000.0);
        let rec = l.finish(&["A".into(), "B".into()], &[0.0, 0.0], Some(1000.0));
        let years: Vec<(i64, f64, f64)> = rec.tax_years.iter().map(|y| (y.year, y.net_gain, y.tax)).collect();
        assert_eq!(years.len(), 2);
        assert_eq!((years[0].0, years[0].1), (2024, 6_000_000.0));
        assert!((years[0].2 - 770_000.0).abs() < 1e-6);
        assert_eq!((years[1].0, years[1].1, years[1].2), (2025, -1_000_000.0, 0.0));
        // Both are due at the end (the run ended before 2025-05-31): 770,000 KRW = 770 USD.
        assert!((rec.taxes_due - 770.0).abs() < 1e-9);
        let b = &rec.positions[1];
        assert_eq!((b.symbol.as_str(), b.realized), ("B", -5_000.0));
    }

    #[test]
    fn tax_larger_than_cash_is_paid_from_outside() {
        // A tax of 1,045,000 KRW at 1,000 KRW/USD is 1,045 USD; 45 USD of cash pays 45.
        let mut l = korea(0.0);
        l.buy(0, day(2024, 3, 4), 100.0, 10_000.0, 0.0, 1300.0);
        l.sell(0, day(2024, 9, 2), 100.0, 15_000.0, 0.0, 1350.0);
        let paid = l.day_end(None, day(2025, 6, 2), 45.0, Some(1000.0));
        assert!((paid.cash + 45.0).abs() < 1e-9);
        assert!((paid.outside - 1000.0).abs() < 1e-9);
        assert!((paid.outside_base - 1_000_000.0).abs() < 1e-6);
    }

    #[test]
    fn interest_accrues_on_the_cash_held_since_the_day_before() {
        // 36,500 USD held from the close of Friday 2024-05-31 to Monday 2024-06-03 at 3.65%:
        // May 31 accrues 3.65 and is credited with the month; June 1 and 2 accrue on
        // 36,503.65 (7.30073) and wait for June's end.
        let settings = Settings {
            interest: Some(super::super::Rate::Fixed(0.0365)),
            ..Settings::default()
        };
        let mut l = Ledger::new(&settings, 1, false);
        let end = l.day_end(
            Some((day(2024, 5, 31), 36_500.0, 0.0365)),
            day(2024, 6, 3),
            36_500.0,
            None,
        );
        assert!((end.cash - 3.65).abs() < 1e-9);
        let rec = l.finish(&["IWO".into()], &[1.0], None);
        assert!((rec.interest_earned - 3.65).abs() < 1e-9);
        assert!((rec.interest_accrued - 7.300_73).abs() < 1e-9);
        assert_eq!(rec.cash_moves, vec![(day(2024, 6, 3), end.cash)]);
    }

    #[test]
    fn contributions_pay_the_spread() {
        // 1,353,375 KRW at 1,350 with a 0.25% spread buys 1,000 USD; at mid it would be
        // 1,002.5: the spread cost 2.5 USD. 1,000 USD costs 1,353,375 KRW: 2.5 USD more.
        let mut l = korea(0.0025);
        let (usd, base) = l.contribution(false, 1_353_375.0, Some(1350.0));
        assert!((usd - 1000.0).abs() < 1e-9);
        assert_eq!(base, 1_353_375.0);
        let (usd, base) = l.contribution(true, 1000.0, Some(1350.0));
        assert_eq!(usd, 1000.0);
        assert!((base - 1_353_375.0).abs() < 1e-6);
        let rec = l.finish(&["IWO".into()], &[1.0], Some(1350.0));
        assert!((rec.fx_costs - 5.0).abs() < 1e-9);
    }
}
