use super::{Date, Expr, Name, Rule, Schedule, Text};
use crate::source::Span;

/// One statement: a setting or a rule.
#[derive(Clone, Debug, PartialEq)]
pub struct Statement {
    pub kind: StatementKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum StatementKind {
    /// `strategy "Rate-cut DCA"`
    Strategy(Text),
    /// `description "Buy small-cap growth…"`
    Description(Text),
    /// `data "prices.csv" [as IWO] [dates day-first]`: a file or folder of CSV files, and
    /// how to read dates such as `01/02/2024` in it. `as series irx` (`series`): a file of
    /// values that are not prices (a rate, an index level), read as the series `irx`.
    Data {
        path: Text,
        alias: Option<Name>,
        dates: Option<DateOrder>,
        series: bool,
    },
    /// `fomc "meetings.csv"`: an FOMC calendar file, adding or replacing meetings and
    /// target-range decisions of the bundled ones (docs/FEDWATCH.md).
    Fomc(Text),
    /// `use "indicators/momentum.rhai"`
    Use(Text),
    /// `capital 10000 USD`: cash on the first day.
    Capital(Expr),
    /// `contribute 500 USD monthly`
    Contribute { amount: Expr, schedule: Schedule },
    /// `fees 0.05%, 1 USD per trade`
    Fees(Vec<Fee>),
    /// `slippage 0.02%`
    Slippage(Expr),
    /// `expense IWO 0.24%, VTWG 0.10%`: yearly fund expense ratios.
    Expense(Vec<(Name, Expr)>),
    /// `fill next open` or `fill close`
    Fill(FillModel),
    /// `benchmark SPY`
    Benchmark(Name),
    /// `currency KRW using usdkrw`
    Currency { code: Name, rate: Name },
    /// `priced in KRW 069500.KS, 360750.KS`: listings whose prices are in that currency
    /// (the base currency of `currency`), not US dollars.
    Priced { code: Name, symbols: Vec<Name> },
    /// `whole shares` or `fractional shares`
    Shares(ShareMode),
    /// `lag cpi_yoy 1 month`: the series becomes visible only that long after its date.
    Lag { series: Name, by: Expr },
    /// `stale after 30 days`, `stale fed_cut_prob after 30 days`: a series' value older than
    /// that (calendar time since it became visible) is not available.
    Stale { series: Option<Name>, after: Expr },
    /// `calendar nyse`, `calendar krx`, `calendar weekdays`: whose holidays a schedule's
    /// "last trading day" keeps.
    Calendar(crate::calendar::Exchange),
    /// `risk free fed_funds_rate`
    RiskFree(Name),
    /// `bars per year 52`: annualise with this many bars a year instead of the frequency
    /// inferred from the dates.
    BarsPerYear(Expr),
    /// `delisted hold` or `delisted sell`: what becomes of a holding whose prices stop.
    Delisted(Delisted),
    /// `from 2010-01-01 to 2020-12-31`
    Period { from: Option<Date>, to: Option<Date> },
    /// `let threshold = 0.8`
    Let { name: Name, value: Expr },
    /// `cash interest 4.5%` or `cash interest DFF`: a yearly rate on idle cash.
    CashInterest(Expr),
    /// `cost basis fifo` or `cost basis average`
    CostBasis(CostBasis),
    /// `tax korea`, `tax capital gains 22% above 2500000 KRW yearly`
    Tax(Tax),
    /// `fx spread 0.25%`: the half-spread of every conversion to and from USD.
    FxSpread(Expr),
    /// `dividends cash`, `dividends "IWO_div.csv" for IWO` or `reinvest dividends`.
    Dividends(Dividends),
    /// `stop loss 10%`, `take profit 25% on IWM`, `trailing stop 15% on IWM, IWO`: an exit
    /// judged on each close while a position is open; no symbols means every traded one.
    Exit {
        kind: ExitKind,
        level: Expr,
        symbols: Vec<Name>,
    },
    /// `account isa` or `account isa low-income`: a Korean ISA's tax rule.
    Account { low_income: bool },
    /// `withdraw 1000000 KRW monthly from 2040-01-01`, `withdraw 4% yearly`.
    Withdraw {
        amount: Expr,
        schedule: Schedule,
        from: Option<Date>,
    },
    /// `buy …`, `sell …`, `rebalance …`, `rotate …`, `hold …`
    Rule(Rule),
    /// `sleeve momentum 70% [rebalanced yearly]:`: a budget of that share of the enclosing
    /// one, managed by the statements indented below it ([`super::File::depths`]).
    Sleeve {
        name: Name,
        share: Expr,
        rebalanced: Option<Schedule>,
    },
}

/// Which exit an `Exit` line sets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ExitKind {
    /// The close at or below the entry price less the level.
    StopLoss,
    /// The close at or above the entry price plus the level.
    TakeProfit,
    /// The close at or below the highest close since entry less the level.
    TrailingStop,
}

impl ExitKind {
    /// Its name in the JSON and CSV outputs: `stop_loss`.
    pub fn key(self) -> &'static str {
        match self {
            ExitKind::StopLoss => "stop_loss",
            ExitKind::TakeProfit => "take_profit",
            ExitKind::TrailingStop => "trailing_stop",
        }
    }

    /// How the setting is written: `stop loss`.
    pub fn words(self) -> &'static str {
        match self {
            ExitKind::StopLoss => "stop loss",
            ExitKind::TakeProfit => "take profit",
            ExitKind::TrailingStop => "trailing stop",
        }
    }
}

/// `dates day-first` or `dates month-first` on a `data` line: which of the two numbers
/// before the year is the day, in dates such as `01/02/2024`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateOrder {
    DayFirst,
    MonthFirst,
}

/// One part of a `fees` line.
#[derive(Clone, Debug, PartialEq)]
pub struct Fee {
    pub amount: Expr,
    /// `per trade`: a fixed amount per fill rather than a percentage.
    pub per_trade: bool,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FillModel {
    /// Orders decided on a day's close fill at the next day's open (the default).
    NextOpen,
    /// Orders fill at the close of the day they are decided.
    Close,
}

/// What becomes of a holding whose symbol has stopped trading (no row for 5 trading days).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Delisted {
    /// Carried at its last close to the end (the default); the report says so.
    #[default]
    Hold,
    /// Sold at its last close.
    Sell,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShareMode {
    Fractional,
    Whole,
}

/// How sales are matched with buys for the cost basis.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CostBasis {
    /// First in, first out (the default).
    Fifo,
    /// Moving average cost.
    Average,
}

/// How dividends are paid (src/money/ledger.rs, docs/TAXES.md).
#[derive(Clone, Debug, PartialEq)]
pub enum Dividends {
    /// `dividends cash`: each symbol's dividends to cash on their ex-dates.
    Cash,
    /// `reinvest dividends`: paid, then bought more of the same symbol with.
    Reinvest,
    /// `dividends "IWO_div.csv" for IWO`: a file of one symbol's dividends (paid as cash).
    File { path: Text, symbol: Name },
}

/// A tax rule.
#[derive(Clone, Debug, PartialEq)]
pub enum Tax {
    /// `tax korea`: Korea's rules for a resident holding US-listed shares.
    Korea(Span),
    /// `tax korea-listed`: a Korean-listed fund holding overseas shares.
    KoreaListed(Span),
    /// `tax capital gains 22% above 2500000 KRW yearly`
    CapitalGains {
        rate: Expr,
        above: Option<Expr>,
        span: Span,
    },
    /// `tax dividends 15%`: withheld from each dividend at payment.
    Dividends { rate: Expr, span: Span },
}
