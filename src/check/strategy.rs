use chrono::NaiveDate;

use crate::source::Span;
use crate::syntax::ast::{Expr, FillModel, Rule, Schedule, ShareMode};

/// A checked strategy: settings with their defaults resolved, parameters and rules in file
/// order. Rules are the syntax tree's, with the implicit subject of `rotate … by` made
/// explicit as the name [`SUBJECT`].
#[derive(Clone, Debug)]
pub struct Strategy {
    pub name: Option<String>,
    pub description: Option<String>,
    pub data: Vec<DataLine>,
    pub scripts: Vec<(String, Span)>,
    pub capital: Option<Money>,
    pub contributions: Vec<Contribution>,
    pub fee_rate: f64,
    pub fee_per_trade: f64,
    pub slippage: f64,
    pub expenses: Vec<(String, f64, Span)>,
    pub fill: FillModel,
    pub fill_given: bool,
    pub benchmark: Option<(String, Span)>,
    pub currency: Option<Currency>,
    pub shares: ShareMode,
    pub lags: Vec<SeriesLag>,
    pub risk_free: Option<(String, Span)>,
    /// `bars per year N`: overrides the bar frequency the report infers from the dates.
    pub bars_per_year: Option<f64>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub params: Vec<Param>,
    pub rules: Vec<Rule>,
}

/// The name standing for each candidate in a `rotate … by` expression.
pub const SUBJECT: &str = "@subject";

#[derive(Clone, Debug)]
pub struct DataLine {
    pub path: String,
    pub alias: Option<String>,
    pub span: Span,
}

/// An amount of money; `currency` is `None` for US dollars.
#[derive(Clone, Debug, PartialEq)]
pub struct Money {
    pub amount: f64,
    pub currency: Option<String>,
    pub span: Span,
}

impl Money {
    pub fn is_usd(&self) -> bool {
        self.currency.as_deref().is_none_or(|c| c == "USD")
    }
}

#[derive(Clone, Debug)]
pub struct Contribution {
    pub amount: Money,
    pub schedule: Schedule,
    pub span: Span,
}

/// `currency KRW using usdkrw`
#[derive(Clone, Debug)]
pub struct Currency {
    pub code: String,
    pub rate_series: String,
    pub span: Span,
}

/// `lag cpi_yoy 1 month`: calendar delay before a series' observations become visible.
#[derive(Clone, Debug)]
pub struct SeriesLag {
    pub series: String,
    pub days: i32,
    pub months: i32,
    pub span: Span,
}

/// `let NAME = EXPR`
#[derive(Clone, Debug)]
pub struct Param {
    pub name: String,
    pub value: Expr,
    pub span: Span,
}
