//! What the investor keeps: interest on idle cash, lots and cost basis, capital-gains tax
//! and the cost of converting currency (issue 16; docs/TAXES.md).
//!
//! Each concept is a small pure module that works on numbers and day numbers, tested by
//! hand: [`interest`] (daily accrual, monthly credit), [`lots`] (FIFO or average cost,
//! realized and unrealized gains in USD and in the base currency), [`tax`] (netting per
//! year, per sale or over an account's life, a deduction, a rate, when it is paid) and
//! [`fx`] (a spread on every conversion). [`ledger::Ledger`] joins them for the engine, which calls it where
//! cash changes: a contribution converted, the bar's fills, the end of each day.

pub mod fx;
pub mod interest;
pub mod ledger;
pub mod lots;
pub mod tax;

pub use ledger::{Ledger, MoneyRecord};
pub use lots::Basis;
pub use tax::{Netting, TaxRule};

/// The money settings of a strategy, as the checker resolved them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Settings {
    /// `cash interest 4.5%` or `cash interest DFF`.
    pub interest: Option<Rate>,
    /// `cost basis fifo` (the default) or `cost basis average`.
    pub basis: Basis,
    /// `tax korea`, `tax korea-listed`, `tax capital gains 22% above 2500000 KRW yearly`,
    /// or the rule of `account isa`.
    pub tax: Option<TaxRule>,
    /// `fx spread 0.25%`: the half-spread (a fraction) of every conversion between the base
    /// currency and USD.
    pub fx_spread: f64,
    /// Dividends paid as cash on their ex-dates (`dividends cash`, a dividend file,
    /// `reinvest dividends`); `None`: dividends stay inside the prices as the data has them.
    pub dividends: Option<Payout>,
    /// The fraction withheld from each dividend at payment: `tax dividends 15%`, or 15%
    /// (the US–Korea treaty rate) under `tax korea`; 0 without either.
    pub dividend_tax: f64,
}

impl Settings {
    /// Whether anything beyond the lot book is asked for.
    pub fn any(&self) -> bool {
        self.interest.is_some() || self.tax.is_some() || self.fx_spread > 0.0 || self.dividends.is_some()
    }

    /// The tax on distributions that the tax rule implies, a fraction: 15.4% under `tax
    /// korea-listed` (a Korean fund's distributions are dividend income). `None` when the
    /// rule says nothing about distributions.
    pub fn dividend_tax(&self) -> Option<f64> {
        self.tax.as_ref().and_then(|t| t.dividend_rate)
    }
}

/// How dividends paid as cash are used.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Payout {
    /// `reinvest dividends`: each payment (after withholding) buys more of the same symbol,
    /// filled by the strategy's fill rule.
    pub reinvest: bool,
    /// The first line that asks for dividends as cash, for diagnostics.
    pub span: crate::source::Span,
}

/// A yearly interest rate on cash.
#[derive(Clone, Debug, PartialEq)]
pub enum Rate {
    /// `cash interest 4.5%`: a fraction (0.045).
    Fixed(f64),
    /// `cash interest DFF`: a series of yearly rates in percent (5.33 is 5.33%), as-of
    /// joined to the trading days.
    Series(String),
}
