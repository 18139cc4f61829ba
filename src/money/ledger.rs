//! The money side of one run, for the engine: it converts contributions, books every fill
//! into lots, and at the end of each day accrues interest and pays the tax that fell due.
//! It never reads a price or a rate dated after the day it is told about (no look-ahead):
//! the engine hands it each day's values as the day ends.

use std::collections::BTreeMap;

use serde::Serialize;

use super::fx::Spread;
use super::interest::Accrual;
use super::lots::Book;
use super::tax::{self, Netting, TaxYear};
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
    /// Dividends paid on the shares held, before withholding, USD; and in the base
    /// currency at each ex-date's rate (null without one).
    pub dividends_received: f64,
    pub dividends_received_base: Option<f64>,
    /// Tax withheld from dividends at payment, USD; and in the base currency.
    pub withholding_tax: f64,
    pub withholding_tax_base: Option<f64>,
    /// Dividends paid on a day without an exchange rate (none yet, or expired by `stale`):
    /// left out of the base-currency totals above, and said under "Assumed".
    pub dividends_without_rate: u32,
    /// Capital-gains tax paid from cash (and from outside), USD.
    pub taxes_paid: f64,
    /// Tax paid by the investor from outside the account because cash was short, USD
    /// (also a contribution of its day).
    pub taxes_paid_from_outside: f64,
    /// Tax owed at the end of the run but not yet due for payment, USD at the last day's
    /// rate and spread; and in the rule's currency.
    pub taxes_due: f64,
    pub taxes_due_in_rule_currency: f64,
    /// The tax selling every holding at the last close would add, under the same rule
    /// (no fee or slippage on that sale), USD and in the rule's currency: what the
    /// unrealized gains owe.
    pub taxes_if_sold: f64,
    pub taxes_if_sold_in_rule_currency: f64,
    /// Sales whose gain in the base currency is unknown: the sale, or the purchase of a lot
    /// it closed, fell on a day without an exchange rate (none yet, or older than `stale`).
    /// Their years' tax under a base-currency rule is unknown; said under "Assumed".
    #[serde(skip)]
    pub sales_without_rate: u32,
    /// Tax withheld from sales' proceeds (`korea-listed`), USD; part of `taxes_paid`.
    pub taxes_withheld: f64,
    /// Paid out by `withdraw`, USD, and in the base currency as the investor received it.
    pub withdrawn: f64,
    pub withdrawn_base: Option<f64>,
    /// Withdrawals that could not be paid in full, oldest first.
    pub withdrawals_short: Vec<ShortWithdrawal>,
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

/// A withdrawal the account could not pay in full: it paid what it had.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ShortWithdrawal {
    pub date: String,
    /// Asked and paid, USD.
    pub asked: f64,
    pub paid: f64,
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
    /// The fraction withheld from each dividend.
    dividend_tax: f64,
    spread: Spread,
    tax: Option<TaxRule>,
    has_base: bool,
    book: Book,
    interest: Accrual,
    /// (symbol, year) → realized gain (USD, base currency).
    realized: BTreeMap<(usize, i64), (f64, f64)>,
    /// Year → net gain in the rule's currency, for years whose tax is not paid yet.
    unpaid: BTreeMap<i64, f64>,
    /// The last day's exchange rate, once [`Ledger::finish`] knows it.
    end_rate: Option<f64>,
    /// `account isa`: the net gain of every sale so far, in the rule's currency.
    account_gain: f64,
    /// `korea-listed`: each year's sales (the tax withheld at each).
    withheld: BTreeMap<i64, TaxYear>,
    record: MoneyRecord,
}

impl Ledger {
    /// The ledger of a run over `symbols` symbols; `has_base` when the strategy declares a
    /// base currency.
    pub fn new(settings: &Settings, symbols: usize, has_base: bool) -> Ledger {
        Ledger {
            interest_rate: settings.interest.is_some(),
            dividend_tax: settings.dividend_tax,
            spread: Spread(settings.fx_spread),
            tax: settings.tax.clone(),
            has_base,
            book: Book::new(symbols, settings.basis),
            interest: Accrual::default(),
            realized: BTreeMap::new(),
            unpaid: BTreeMap::new(),
            record: MoneyRecord {
                dividends_received_base: has_base.then_some(0.0),
                withholding_tax_base: has_base.then_some(0.0),
                ..MoneyRecord::default()
            },
            end_rate: None,
            account_gain: 0.0,
            withheld: BTreeMap::new(),
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

    /// A sale filled on `day` at `rate` (1 without a base currency). Returns the tax
    /// withheld from its proceeds, USD (`korea-listed`; 0 under other rules), which the
    /// caller takes from cash.
    pub fn sell(&mut self, sym: usize, day: i32, shares: f64, value: f64, fee: f64, rate: f64) -> f64 {
        let r = self.book.sell(sym, shares, value, fee, rate);
        let year = civil::ymd(day).0;
        let row = self.realized.entry((sym, year)).or_default();
        row.0 += r.gain();
        row.1 += r.gain_base();
        if self.has_base && !r.gain_base().is_finite() {
            self.record.sales_without_rate += 1;
        }
        let Some(rule) = &self.tax else { return 0.0 };
        let gain = if rule.in_base { r.gain_base() } else { r.gain() };
        match rule.netting {
            Netting::Yearly => *self.unpaid.entry(year).or_default() += gain,
            Netting::Account => self.account_gain += gain,
            Netting::Sale => return self.withhold(year, day, gain, rate),
        }
        0.0
    }

    /// A distribution (dividend) of `usd` paid on `day` at `rate` (1 without a base
    /// currency), as the tax rule sees it: under `account isa` it joins the account's net
    /// income (taxed at the end, nothing withheld now); under `korea-listed` 15.4% of it is
    /// withheld now. Returns the tax withheld, USD, which the caller takes from the payment.
    /// Under other rules the dividend path applies its own withholding and this returns 0.
    /// For the dividend path (issue 16 part 2), which pays the distribution.
    pub fn distribution(&mut self, day: i32, usd: f64, rate: f64) -> f64 {
        let Some(rule) = &self.tax else { return 0.0 };
        let amount = if rule.in_base { usd * rate } else { usd };
        match (rule.netting, rule.dividend_rate) {
            (Netting::Account, _) => {
                self.account_gain += amount;
                0.0
            }
            (_, Some(r)) if rule.netting == Netting::Sale => {
                let tax = rule.levied(amount.max(0.0), r);
                let tax_usd = if rule.in_base { tax / rate } else { tax };
                self.record.taxes_paid += tax_usd;
                self.record.taxes_withheld += tax_usd;
                self.record.cash_moves.push((day, -tax_usd));
                tax_usd
            }
            _ => 0.0,
        }
    }

    /// `korea-listed`: the tax on one sale's gain, taken from its proceeds in the fund's
    /// currency (no conversion, so no spread), converted to USD at the sale's rate.
    fn withhold(&mut self, year: i64, day: i32, gain: f64, rate: f64) -> f64 {
        let rule = self.tax.as_ref().expect("called with a rule");
        let tax = rule.tax(gain);
        let row = self.withheld.entry(year).or_insert_with(|| TaxYear {
            year,
            withheld_at_sale: true,
            ..TaxYear::default()
        });
        row.net_gain += gain;
        row.taxable += rule.taxable(gain);
        row.tax += tax;
        let usd = if rule.in_base { tax / rate } else { tax };
        // An unknown gain (no exchange rate that day) withholds nothing: the year's tax
        // stays unknown (NaN) rather than turning cash into NaN.
        if usd.is_nan() || usd <= 0.0 {
            return 0.0;
        }
        row.paid_on = Some(civil::iso(day));
        row.paid_usd += usd;
        self.record.taxes_paid += usd;
        self.record.taxes_withheld += usd;
        self.record.cash_moves.push((day, -usd));
        usd
    }

    /// A withdrawal on `day`: `asked` USD were due and `paid` left the account; `base` is
    /// what the investor received in the base currency, `fx` what the conversion cost (USD).
    pub fn withdrawal(&mut self, day: i32, asked: f64, paid: f64, base: Option<f64>, fx: f64) {
        self.record.withdrawn += paid;
        if let Some(b) = base {
            *self.record.withdrawn_base.get_or_insert(0.0) += b;
        }
        self.record.fx_costs += fx;
        // Short by more than a cent: reported, never silently shrunk.
        if asked - paid > 0.005 {
            self.record.withdrawals_short.push(ShortWithdrawal {
                date: civil::iso(day),
                asked,
                paid,
            });
        }
    }

    /// The FX spread every conversion pays.
    pub fn spread(&self) -> Spread {
        self.spread
    }

    /// A dividend of symbol `_sym` paid on `day`, its ex-date: `gross` USD, the shares held
    /// at the close of the trading day before times the amount per share. `rate` is the
    /// day's exchange rate (base per USD; `None` without a base currency). Withholds the
    /// dividend tax and returns what was withheld, USD: cash receives `gross − withheld`.
    /// The one place a dividend is taxed, so another rule (a Korean-listed fund's 15.4% on
    /// distributions) plugs in here.
    pub fn dividend(&mut self, day: i32, _sym: usize, gross: f64, rate: Option<f64>) -> f64 {
        // Under `account isa` a dividend joins the account's net income (nothing withheld now).
        let isa = self.tax.as_ref().is_some_and(|t| t.netting == Netting::Account);
        let withheld = if isa {
            self.distribution(day, gross, rate.unwrap_or(1.0))
        } else {
            gross * self.dividend_tax
        };
        self.record.dividends_received += gross;
        self.record.withholding_tax += withheld;
        // A day whose rate expired (`stale`) has none: its dividend is left out of the
        // base-currency totals rather than making them NaN.
        match (
            rate.filter(|r| r.is_finite()),
            self.record.dividends_received_base.as_mut(),
            self.record.withholding_tax_base.as_mut(),
        ) {
            (Some(r), Some(received), Some(tax)) => {
                *received += gross * r;
                *tax += withheld * r;
            }
            (None, Some(_), Some(_)) => self.record.dividends_without_rate += 1,
            _ => {}
        }
        self.record.cash_moves.push((day, gross - withheld));
        withheld
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
            let mut row = self.tax_year(year, gain);
            if row.tax.is_nan() {
                // The year's gain is unknown (a sale without an exchange rate): so is its
                // tax. Nothing is paid; the row says unknown and "Assumed" says why.
                self.unpaid.pop_first();
                self.record.tax_years.push(row);
                continue;
            }
            if self.tax.as_ref().is_some_and(|t| t.converted()) && !rate.is_some_and(f64::is_finite) {
                // No exchange rate today to buy the won with: paid on the next day with one.
                break;
            }
            self.unpaid.pop_first();
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
            withheld_at_sale: false,
        }
    }

    /// A tax year owed at the end of the run.
    fn due(&mut self, row: TaxYear) {
        self.record.taxes_due_in_rule_currency += row.tax;
        self.record.taxes_due += self.usd_at_end(row.tax, self.end_rate);
        self.record.tax_years.push(row);
    }

    /// What `tax` in the rule's currency is worth in USD at the end at `rate`: with the
    /// spread when the investor would convert dollars to pay it, at the mid rate when the
    /// account holds the currency (a Korean fund, an ISA).
    fn usd_at_end(&self, tax: f64, rate: Option<f64>) -> f64 {
        match (&self.tax, rate) {
            (Some(rule), Some(r)) if rule.converted() => self.spread.usd_to_pay(tax, r),
            (Some(rule), Some(r)) if rule.in_base => tax / r,
            _ => tax,
        }
    }

    /// The tax selling every holding at its last close (`closes`) would add to what is owed
    /// under the rule, with `last_year_gain` the net gain so far of the last year (yearly
    /// netting). Each symbol's sale is one sale; no fee or slippage is charged on it.
    fn if_sold(&mut self, closes: &[f64], rate: Option<f64>, last_year_gain: f64) {
        let Some(rule) = self.tax.clone() else { return };
        let r = rate.unwrap_or(1.0);
        let gains: Vec<f64> = (0..closes.len())
            .filter(|&s| self.book.shares(s) > 0.0)
            .map(|s| {
                let value = self.book.shares(s) * closes[s];
                let (cost, cost_base) = self.book.cost(s);
                if rule.in_base {
                    value * r - cost_base
                } else {
                    value - cost
                }
            })
            .collect();
        let total: f64 = gains.iter().sum();
        let tax = match rule.netting {
            Netting::Sale => gains.iter().map(|g| rule.tax(*g)).sum(),
            Netting::Yearly => rule.tax(last_year_gain + total) - rule.tax(last_year_gain),
            Netting::Account => rule.tax(self.account_gain + total) - rule.tax(self.account_gain),
        };
        self.record.taxes_if_sold_in_rule_currency = tax;
        self.record.taxes_if_sold = self.usd_at_end(tax, rate);
    }

    /// The dollars that pay `tax` in the rule's currency.
    fn usd_to_pay(&mut self, tax: f64, rate: Option<f64>) -> f64 {
        match (&self.tax, rate) {
            (Some(rule), Some(r)) if rule.converted() => {
                let usd = self.spread.usd_to_pay(tax, r);
                self.record.fx_costs += usd - tax / r;
                usd
            }
            _ => tax,
        }
    }

    /// The record at the end of the run on `last_day`: the tax still owed (every unpaid
    /// year, the last one to date; an ISA's tax on its whole life), the tax selling
    /// everything at the last close would add, and each symbol's gains. `names` are the
    /// symbols' names and `closes` their last closes; `rate` the last day's exchange rate.
    pub fn finish(mut self, names: &[String], closes: &[f64], rate: Option<f64>, last_day: i32) -> MoneyRecord {
        self.end_rate = rate;
        let unpaid = std::mem::take(&mut self.unpaid);
        let last_year = civil::ymd(last_day).0;
        let mut last_year_gain = 0.0;
        for (year, gain) in unpaid {
            if year == last_year {
                last_year_gain = gain;
            }
            let row = self.tax_year(year, gain);
            self.due(row);
        }
        let withheld = std::mem::take(&mut self.withheld);
        self.record.tax_years.extend(withheld.into_values());
        if self.tax.as_ref().is_some_and(|r| r.netting == Netting::Account) {
            // The account's whole life, owed when it is closed: one row, dated the last year.
            let row = self.tax_year(last_year, self.account_gain);
            self.due(row);
        }
        self.record.tax_years.sort_by_key(|y| y.year);
        self.if_sold(closes, rate, last_year_gain);
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
        let rec = l.finish(&["IWO".into()], &[150.0], Some(1400.0), day(2025, 6, 2));
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
        let rec = l.finish(&["A".into(), "B".into()], &[0.0, 0.0], Some(1000.0), day(2025, 2, 3));
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
        let rec = l.finish(&["IWO".into()], &[1.0], None, day(2024, 6, 3));
        assert!((rec.interest_earned - 3.65).abs() < 1e-9);
        assert!((rec.interest_accrued - 7.300_73).abs() < 1e-9);
        assert_eq!(rec.cash_moves, vec![(day(2024, 6, 3), end.cash)]);
    }

    #[test]
    fn a_dividend_is_withheld_at_payment_in_usd_and_in_the_base_currency() {
        // 100 USD gross at 1,350 KRW/USD under 15%: 15 USD (20,250 KRW) withheld, 85 to cash.
        let settings = Settings {
            dividend_tax: 0.15,
            ..Settings::default()
        };
        let mut l = Ledger::new(&settings, 1, true);
        let withheld = l.dividend(day(2024, 3, 5), 0, 100.0, Some(1350.0));
        assert!((withheld - 15.0).abs() < 1e-12);
        let rec = l.finish(&["IWO".into()], &[1.0], Some(1350.0), day(2024, 3, 5));
        assert_eq!(rec.dividends_received, 100.0);
        assert!((rec.withholding_tax - 15.0).abs() < 1e-12);
        assert_eq!(rec.dividends_received_base, Some(135_000.0));
        assert!((rec.withholding_tax_base.unwrap_or(0.0) - 20_250.0).abs() < 1e-9);
        assert_eq!(rec.cash_moves, vec![(day(2024, 3, 5), 85.0)]);
        // Without a base currency the base totals are null.
        let mut usd = Ledger::new(&Settings::default(), 1, false);
        assert_eq!(usd.dividend(day(2024, 3, 5), 0, 10.0, None), 0.0);
        let rec = usd.finish(&["IWO".into()], &[1.0], None, day(2024, 3, 5));
        assert_eq!((rec.dividends_received, rec.dividends_received_base), (10.0, None));
    }

    #[test]
    fn a_dividend_on_a_day_without_a_rate_is_counted_not_converted() {
        // 100 USD at 1,350, then 50 USD on a day whose rate expired: the KRW total holds the
        // first alone and the second is counted for "Assumed".
        let mut l = Ledger::new(&Settings::default(), 1, true);
        l.dividend(day(2024, 3, 5), 0, 100.0, Some(1350.0));
        l.dividend(day(2024, 6, 5), 0, 50.0, None);
        let rec = l.finish(&["IWO".into()], &[1.0], Some(1350.0), day(2024, 6, 5));
        assert_eq!(rec.dividends_received, 150.0);
        assert_eq!(rec.dividends_received_base, Some(135_000.0));
        assert_eq!(rec.dividends_without_rate, 1);
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
        let rec = l.finish(&["IWO".into()], &[1.0], Some(1350.0), day(2024, 6, 3));
        assert!((rec.fx_costs - 5.0).abs() < 1e-9);
    }

    #[test]
    fn korea_listed_withholds_each_sale_on_its_own() {
        // A gain of 7,250,000 KRW: 15.4% = 1,116,500 KRW, at 1,350 = 827.037 USD withheld;
        // a loss of 2,200,000 KRW the same day: nothing, and nothing netted.
        let settings = Settings {
            tax: Some(TaxRule::korea_listed()),
            ..Settings::default()
        };
        let mut l = Ledger::new(&settings, 2, true);
        l.buy(0, day(2024, 3, 4), 100.0, 10_000.0, 0.0, 1300.0);
        l.buy(1, day(2024, 3, 4), 200.0, 10_000.0, 0.0, 1300.0);
        let w = l.sell(0, day(2024, 9, 2), 100.0, 15_000.0, 0.0, 1350.0);
        assert!((w - 1_116_500.0 / 1350.0).abs() < 1e-9);
        assert_eq!(l.sell(1, day(2024, 9, 2), 200.0, 8_000.0, 0.0, 1350.0), 0.0);
        let rec = l.finish(&["A".into(), "B".into()], &[0.0, 0.0], Some(1400.0), day(2024, 12, 31));
        assert!((rec.taxes_withheld - w).abs() < 1e-9);
        assert_eq!(rec.taxes_due, 0.0);
        let y = &rec.tax_years[0];
        assert!(y.withheld_at_sale);
        assert!((y.tax - 1_116_500.0).abs() < 1e-6);
        assert_eq!(rec.cash_moves, vec![(day(2024, 9, 2), -w)]);
    }

    #[test]
    fn an_isa_owes_on_its_whole_life_and_if_sold_adds_the_unrealized_gain() {
        // Sold: +7,250,000 KRW (2024) and −1,800,000 (2025): 5,450,000 net, 3,450,000
        // taxable, 341,550 KRW due. Still held: 100 shares bought at 100 (1,300) worth 160
        // at 1,400: +9,400,000 KRW; with it 14,850,000 net, 12,850,000 taxable, 1,272,150
        // KRW: 930,600 more if sold.
        let settings = Settings {
            tax: Some(TaxRule::isa(false)),
            ..Settings::default()
        };
        let mut l = Ledger::new(&settings, 2, true);
        l.buy(0, day(2024, 3, 4), 100.0, 10_000.0, 0.0, 1300.0);
        l.sell(0, day(2024, 9, 2), 100.0, 15_000.0, 0.0, 1350.0);
        l.buy(1, day(2024, 3, 4), 200.0, 10_000.0, 0.0, 1300.0);
        l.sell(1, day(2025, 6, 2), 200.0, 8_000.0, 0.0, 1400.0);
        l.buy(0, day(2025, 6, 2), 100.0, 10_000.0, 0.0, 1300.0);
        let rec = l.finish(&["A".into(), "B".into()], &[160.0, 40.0], Some(1400.0), day(2025, 6, 3));
        assert!((rec.taxes_due_in_rule_currency - 341_550.0).abs() < 1e-6);
        assert!((rec.taxes_due - 341_550.0 / 1400.0).abs() < 1e-9);
        assert!((rec.taxes_if_sold_in_rule_currency - 930_600.0).abs() < 1e-6);
        assert_eq!(rec.tax_years.len(), 1);
        assert_eq!(rec.tax_years[0].year, 2025);
    }

    #[test]
    fn if_sold_under_yearly_netting_joins_the_last_years_gain() {
        // 2024: 1,000,000 KRW realized (below the deduction). Held at the end: +4,000,000.
        // Together 5,000,000: 22% × 2,500,000 = 550,000 KRW if sold; at 1,000 with a 0.25%
        // spread, 550,000 / 997.5 USD.
        let mut l = korea(0.0025);
        l.buy(0, day(2024, 1, 2), 20.0, 2_000.0, 0.0, 1000.0);
        l.sell(0, day(2024, 6, 3), 10.0, 2_000.0, 0.0, 1000.0);
        let rec = l.finish(&["A".into()], &[500.0], Some(1000.0), day(2024, 12, 31));
        assert!((rec.taxes_if_sold_in_rule_currency - 550_000.0).abs() < 1e-6);
        assert!((rec.taxes_if_sold - 550_000.0 / 997.5).abs() < 1e-9);
    }

    #[test]
    fn distributions_are_withheld_under_korea_listed_and_netted_in_an_isa() {
        // 100 USD at 1,300: 130,000 KRW; 15.4% = 20,020 KRW = 15.4 USD withheld.
        let listed = Settings {
            tax: Some(TaxRule::korea_listed()),
            ..Settings::default()
        };
        let mut l = Ledger::new(&listed, 1, true);
        assert!((l.distribution(day(2024, 3, 4), 100.0, 1300.0) - 15.4).abs() < 1e-9);
        // In an ISA nothing now; 130,000 KRW joins the account: with a 2,000,000 KRW gain,
        // 2,130,000 − 2,000,000 = 130,000 taxable, 12,870 KRW due.
        let isa = Settings {
            tax: Some(TaxRule::isa(false)),
            ..Settings::default()
        };
        let mut l = Ledger::new(&isa, 1, true);
        assert_eq!(l.distribution(day(2024, 3, 4), 100.0, 1300.0), 0.0);
        l.buy(0, day(2024, 3, 4), 10.0, 1_000.0, 0.0, 1000.0);
        l.sell(0, day(2024, 6, 3), 10.0, 3_000.0, 0.0, 1000.0);
        let rec = l.finish(&["A".into()], &[0.0], Some(1000.0), day(2024, 6, 3));
        assert!((rec.taxes_due_in_rule_currency - 12_870.0).abs() < 1e-6);
    }

    /// A deliberately simple reference for `tax korea-listed`: FIFO lots of (shares, KRW
    /// cost), each sale's KRW gain taxed 15.4% if positive (14% + 1.4%, each to ten won),
    /// converted at the sale's rate.
    fn withheld_by_hand(trades: &[(bool, f64, f64, f64)]) -> f64 {
        let mut lots: Vec<(f64, f64)> = Vec::new();
        let mut total = 0.0;
        for &(buy, shares, price, rate) in trades {
            if buy {
                lots.push((shares, shares * price * rate));
                continue;
            }
            let held: f64 = lots.iter().map(|l| l.0).sum();
            let q = shares.min(held);
            let (mut left, mut cost) = (q, 0.0);
            while left > 1e-12 && !lots.is_empty() {
                let take = left.min(lots[0].0);
                cost += lots[0].1 * take / lots[0].0;
                lots[0].1 -= lots[0].1 * take / lots[0].0;
                lots[0].0 -= take;
                left -= take;
                if lots[0].0 <= 1e-12 {
                    lots.remove(0);
                }
            }
            let gain = q * price * rate - cost;
            // In whole won, 14% national cut to ten won, the local 10% of it cut to ten won
            // (docs/TAXES.md), in integers.
            let won = gain.max(0.0).floor() as u64;
            let national = won * 14 / 1000 * 10;
            let local = national / 100 * 10;
            total += (national + local) as f64 / rate;
        }
        total
    }

    proptest::proptest! {
        #[test]
        fn korea_listed_withholding_matches_a_simple_reference(
            trades in proptest::collection::vec(
                (proptest::bool::ANY, 1.0f64..100.0, 10.0f64..200.0, 1000.0f64..1500.0),
                1..30,
            )
        ) {
            let settings = Settings {
                tax: Some(TaxRule::korea_listed()),
                ..Settings::default()
            };
            let mut l = Ledger::new(&settings, 1, true);
            let mut held = 0.0;
            let mut withheld = 0.0;
            let mut done = Vec::new();
            for (i, &(buy, shares, price, rate)) in trades.iter().enumerate() {
                let d = day(2024, 1, 1) + i as i32;
                if buy {
                    l.buy(0, d, shares, shares * price, 0.0, rate);
                    held += shares;
                    done.push((true, shares, price, rate));
                } else if held > 0.0 {
                    // As the engine does: never more than is held.
                    let q = shares.min(held);
                    withheld += l.sell(0, d, q, q * price, 0.0, rate);
                    held -= q;
                    done.push((false, q, price, rate));
                }
            }
            let expected = withheld_by_hand(&done);
            proptest::prop_assert!((withheld - expected).abs() <= 1e-6 * expected.max(1.0), "{} != {}", withheld, expected);
        }
    }
}
