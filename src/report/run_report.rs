//! The result of `rotor run` as one serialisable value: what `--json` prints (its schema is
//! docs/OUTPUT.md) and what the text summary is drawn from.

use std::sync::Arc;

use serde::Serialize;

use super::after_tax::after_tax;
use super::assumption;
use super::metrics::{Curve, Metrics, annual_turnover, compute};
use crate::check::Program;
use crate::data::LoadedData;
use crate::engine::{Backtest, Counters, Flows, Frequency, Run, Trade};

/// Version of the JSON layout; raised when a field changes meaning or goes away.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub schema_version: u32,
    pub strategy: StrategyInfo,
    pub data: DataInfo,
    /// Defaults applied and facts about the data, in words.
    pub assumptions: Vec<String>,
    /// Every warning the run gave on standard error (about the data files, then about the
    /// strategy: a condition that never holds, a withdrawal not paid in full), each as
    /// `rotor check --format json` writes a diagnostic; empty when there was none.
    #[serde(rename = "warnings")]
    pub diagnostics: Vec<crate::diagnostic::JsonDiagnostic>,
    /// How often the bars come, and what volatility, Sharpe and Sortino are annualised with.
    pub bar_frequency: Frequency,
    /// Figures in US dollars.
    pub metrics: Metrics,
    pub costs: Costs,
    pub activity: Counters,
    pub holdings: Vec<Holding>,
    pub cash: f64,
    /// Each sleeve's value, returns and holdings (the part outside the sleeves first);
    /// left out without sleeves (src/report/sleeves.rs).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sleeves: Vec<super::sleeves::SleeveReport>,
    pub benchmark: Option<Benchmark>,
    /// The same figures in the base currency (`currency KRW using usdkrw`).
    pub base_currency: Option<BaseCurrency>,
    /// Realized gains by symbol and year, and each position against its cost basis.
    pub gains: Gains,
    /// With a `tax` rule: each tax year.
    pub tax: Option<TaxReport>,
    /// Every fill of the run, shared with it ([`Run::trades`]).
    #[serde(serialize_with = "shared_trades")]
    pub trades: Arc<Vec<Trade>>,
    /// With listings priced in the base currency (`priced in KRW`): their fills' prices in
    /// it, each with its index in `trades` ([`Run::listed`]); left out of the JSON when
    /// there are none.
    #[serde(rename = "listed_prices", skip_serializing_if = "Vec::is_empty")]
    pub listed: Vec<crate::engine::ListedPrice>,
    /// Warnings about the data files, for standard error (each is also among
    /// `data.notes`).
    #[serde(skip)]
    pub warnings: Vec<crate::data::DataWarning>,
    /// The strategy's record bar by bar, for what draws it (the summary's sparkline, the
    /// equity CSV). Not in the JSON.
    #[serde(skip)]
    pub curve: EquityCurve,
    /// What the HTML report draws besides the figures, when the run recorded it.
    #[serde(skip)]
    pub detail: Option<Arc<super::detail::RunDetail>>,
}

/// A run's curves, bar by bar, shared with the engine's [`Run`] rather than copied. Money in
/// US dollars.
#[derive(Clone, Debug)]
pub struct EquityCurve {
    /// Each bar's date, in days since 1970-01-01.
    pub days: Arc<Vec<i32>>,
    /// Each bar's timestamp and how finely the data gives them (what the equity file writes).
    pub ts: Arc<Vec<i64>>,
    pub resolution: crate::data::Resolution,
    /// The portfolio's value at each bar's close.
    pub equity: Arc<Vec<f64>>,
    /// Cash put in on each bar (less what was taken out), and the part of it that moved at
    /// the bar's close ([`Run::closing`]); the flows kept sparse ([`Flows`]).
    pub flows: Arc<Flows>,
    pub closing: Arc<Vec<f64>>,
    /// The holdings' value at each bar's close.
    pub invested: Arc<Vec<f64>>,
    /// The risk-free rate at each bar (annual percent; NaN where unknown), when the
    /// strategy names one (`risk free SERIES`).
    pub risk_free: Option<Arc<Vec<f64>>>,
}

impl EquityCurve {
    fn of(run: &Run) -> EquityCurve {
        EquityCurve {
            days: run.days.clone(),
            ts: run.ts.clone(),
            resolution: run.resolution,
            equity: run.equity.clone(),
            flows: run.flows.clone(),
            closing: run.closing.clone(),
            invested: run.invested.clone(),
            risk_free: run.risk_free.clone().map(Arc::new),
        }
    }

    /// The time-weighted value index at each bar ([`super::returns::wealth`]): what one
    /// dollar invested throughout would be worth.
    pub fn wealth(&self) -> Vec<f64> {
        super::returns::wealth(&super::returns::bar_returns(&self.equity, &self.flows, &self.closing))
    }

    /// How far the value index stands below its last peak at each bar, a fraction ≤ 0
    /// ([`super::underwater::underwater`]).
    pub fn underwater(&self) -> Vec<f64> {
        super::underwater::underwater(&self.wealth())
    }

    /// Money put in up to each bar.
    pub fn contributed(&self) -> Vec<f64> {
        let mut total = 0.0;
        (self.flows.iter())
            .map(|f| {
                total += f;
                total
            })
            .collect()
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct StrategyInfo {
    pub name: Option<String>,
    pub description: Option<String>,
    pub file: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct DataInfo {
    pub sources: Vec<String>,
    /// True when the bundled synthetic sample data was used: not market prices.
    pub synthetic: bool,
    pub notes: Vec<String>,
    pub skipped_rows: usize,
}

#[derive(Clone, Debug, Serialize)]
pub struct Costs {
    pub fees_paid: f64,
    pub slippage_paid: f64,
    /// Fund expenses (`expense`) taken from held value.
    pub expense_drag: f64,
    /// Total value bought and sold.
    pub traded_value: f64,
    /// Traded value per year over average equity.
    pub annual_turnover: Option<f64>,
    /// Interest credited to idle cash (`cash interest`).
    pub interest_earned: f64,
    /// What the FX spread cost on conversions (`fx spread`).
    pub fx_costs: f64,
    /// Dividends paid as cash (`dividends cash`) on the shares held at each ex-date,
    /// before withholding, USD; and in the base currency at each ex-date's rate (null
    /// without one).
    pub dividends_received: f64,
    pub dividends_received_base: Option<f64>,
    /// Tax withheld from those dividends at payment (`tax dividends`, 15% under `tax
    /// korea`), USD; and in the base currency.
    pub withholding_tax: f64,
    pub withholding_tax_base: Option<f64>,
    /// Capital-gains tax paid as it fell due (`tax`), including what the investor paid from
    /// outside the account when cash was short (`taxes_paid_from_outside`).
    pub taxes_paid: f64,
    pub taxes_paid_from_outside: f64,
    /// Tax owed at the end but not yet due, at the last day's rate: subtracted in
    /// `metrics.after_tax`.
    pub taxes_due: f64,
    /// Tax withheld from sales' proceeds (`tax korea-listed`), part of `taxes_paid`.
    pub taxes_withheld: f64,
    /// The tax selling every holding at the last close would add, at the last day's rate:
    /// subtracted in `metrics.after_tax.final_value_if_sold`.
    pub taxes_if_sold: f64,
    /// What `withdraw` paid out, USD, and in the base currency as received (null without
    /// one).
    pub withdrawn: f64,
    pub withdrawn_base: Option<f64>,
    /// Withdrawals that could not be paid in full: date, asked and paid (USD).
    pub withdrawals_short: Vec<crate::money::ledger::ShortWithdrawal>,
}

impl Costs {
    /// The money record's part of the costs, the trading costs zero: what the benchmark's
    /// run reports.
    fn money(m: &crate::money::MoneyRecord) -> Costs {
        Costs {
            fees_paid: 0.0,
            slippage_paid: 0.0,
            expense_drag: 0.0,
            traded_value: 0.0,
            annual_turnover: None,
            interest_earned: m.interest_earned,
            fx_costs: m.fx_costs,
            dividends_received: m.dividends_received,
            dividends_received_base: m.dividends_received_base,
            withholding_tax: m.withholding_tax,
            withholding_tax_base: m.withholding_tax_base,
            taxes_paid: m.taxes_paid,
            taxes_paid_from_outside: m.taxes_paid_from_outside,
            taxes_due: m.taxes_due,
            taxes_withheld: m.taxes_withheld,
            taxes_if_sold: m.taxes_if_sold,
            withdrawn: m.withdrawn,
            withdrawn_base: m.withdrawn_base,
            withdrawals_short: m.withdrawals_short.clone(),
        }
    }
}

/// The tax rule and each tax year (`tax`).
#[derive(Clone, Debug, Serialize)]
pub struct TaxReport {
    /// `korea`, or `capital gains` for the generic form.
    pub rule: String,
    /// The currency gains and tax are computed in.
    pub currency: String,
    /// Each year with a sale, oldest first; a year whose tax is not paid by the end of the
    /// run has `paid_on` null.
    pub years: Vec<crate::money::tax::TaxYear>,
}

/// Realized and unrealized gains (`lots`).
#[derive(Clone, Debug, Serialize)]
pub struct Gains {
    /// How sales were matched with buys: `fifo` or `average`.
    pub cost_basis: &'static str,
    /// By symbol and calendar year of the sale.
    pub realized: Vec<crate::money::ledger::RealizedRow>,
    /// By symbol, over the run, with what is held at the end.
    pub positions: Vec<crate::money::ledger::PositionGains>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Holding {
    pub symbol: String,
    pub shares: f64,
    pub value: f64,
}

#[derive(Clone, Debug, Serialize)]
pub struct Benchmark {
    pub symbol: String,
    pub metrics: Metrics,
    /// Its costs as the strategy's `costs`: the same money rules (interest, tax, FX
    /// spread, withdrawals) and the same trading costs.
    pub costs: Costs,
    /// The benchmark's record bar by bar, on the strategy's bars. Not in the JSON.
    #[serde(skip)]
    pub curve: EquityCurve,
}

#[derive(Clone, Debug, Serialize)]
pub struct BaseCurrency {
    pub code: String,
    pub metrics: Metrics,
    pub benchmark: Option<Metrics>,
}

impl Report {
    pub fn build(strategy: &Program, backtest: &Backtest, data: &LoadedData, file: &str) -> Report {
        let run = &backtest.run;
        let days = super::years::data_days(strategy, &data.data);
        let tax = strategy.money.tax.as_ref();
        let mut metrics = metrics_of(run, None, &days);
        metrics.after_tax = after_tax(run, None, tax);
        let money = &run.money;
        let costs = Costs {
            fees_paid: run.fees_paid,
            slippage_paid: run.slippage_paid,
            expense_drag: run.expense_drag,
            traded_value: run.traded_value,
            annual_turnover: metrics
                .average_equity
                .and_then(|avg| annual_turnover(run.traded_value, avg, metrics.years)),
            ..Costs::money(money)
        };
        let with_tax = |r: &Run, b: Option<&crate::engine::run::BaseCurve>| {
            let mut m = metrics_of(r, b, &days);
            m.after_tax = after_tax(r, b, tax);
            m
        };
        let base_currency = run.base.as_ref().map(|b| BaseCurrency {
            code: b.code.clone(),
            metrics: with_tax(run, Some(b)),
            benchmark: backtest
                .benchmark
                .as_ref()
                .and_then(|(_, r)| r.base.as_ref().map(|bb| with_tax(r, Some(bb)))),
        });
        let gains = Gains {
            cost_basis: match strategy.money.basis {
                crate::money::Basis::Fifo => "fifo",
                crate::money::Basis::Average => "average",
            },
            realized: money.realized.clone(),
            positions: money.positions.clone(),
        };
        let tax = tax.map(|rule| TaxReport {
            rule: rule.name.clone(),
            currency: match (&strategy.currency, rule.in_base) {
                (Some(c), true) => c.code.clone(),
                _ => "USD".to_string(),
            },
            years: money.tax_years.clone(),
        });
        let synthetic = data.bundled.then(|| assumption::SYNTHETIC_DATA.to_string());
        // The synthetic sample is no fund's price: nothing in it nets out an expense.
        let stated = |a: &&crate::engine::Assumption| {
            !(data.bundled && matches!(a, crate::engine::Assumption::ExpenseOnMarketPrices(_)))
        };
        let adjusted = backtest.assumptions.iter().find_map(|a| match a {
            crate::engine::Assumption::AdjustedPrices(symbols) => Some(&symbols[..]),
            _ => None,
        });
        let assumptions = synthetic
            .into_iter()
            .chain(backtest.assumptions.iter().filter(stated).map(assumption::words))
            .chain(super::after_tax::assumptions(strategy, run, adjusted))
            .chain(assumption::short_run(&metrics))
            .collect();
        Report {
            schema_version: SCHEMA_VERSION,
            strategy: StrategyInfo {
                name: strategy.name.clone(),
                description: strategy.description.clone(),
                file: file.to_string(),
            },
            data: DataInfo {
                sources: data.sources.clone(),
                synthetic: data.bundled,
                notes: data.data.notes.clone(),
                skipped_rows: data.data.skipped_rows,
            },
            assumptions,
            // Filled by the pipeline, which has the strategy's warnings and their sources.
            diagnostics: Vec::new(),
            bar_frequency: run.frequency.clone(),
            metrics,
            costs,
            activity: run.counters.clone(),
            holdings: run
                .holdings
                .iter()
                .map(|(symbol, shares, value)| Holding {
                    symbol: symbol.clone(),
                    shares: *shares,
                    value: *value,
                })
                .collect(),
            cash: run.cash,
            sleeves: super::sleeves::sleeves(run),
            benchmark: backtest.benchmark.as_ref().map(|(symbol, r)| Benchmark {
                symbol: symbol.clone(),
                metrics: with_tax(r, None),
                costs: Costs {
                    fees_paid: r.fees_paid,
                    slippage_paid: r.slippage_paid,
                    expense_drag: r.expense_drag,
                    traded_value: r.traded_value,
                    ..Costs::money(&r.money)
                },
                curve: EquityCurve::of(r),
            }),
            base_currency,
            gains,
            tax,
            trades: Arc::clone(&run.trades),
            listed: run.listed.clone(),
            warnings: data.data.warnings.clone(),
            curve: EquityCurve::of(run),
            detail: None,
        }
    }
}

/// The trades as a list (what the JSON has always held), however the report shares them.
fn shared_trades<S: serde::Serializer>(trades: &Arc<Vec<Trade>>, s: S) -> Result<S::Ok, S::Error> {
    trades.as_slice().serialize(s)
}

/// The metrics of a run, in USD or (with `base`) in the base currency, annualised with the
/// run's bars per year ([`Frequency`]); `data_days` are the data's trading days
/// ([`super::years::data_days`]; empty if unknown).
pub fn metrics_of(run: &Run, base: Option<&crate::engine::run::BaseCurve>, data_days: &[i32]) -> Metrics {
    let (equity, flows, closing) = match base {
        Some(b) => (&b.equity[..], &b.flows, &b.closing[..]),
        None => (&run.equity[..], &*run.flows, &run.closing[..]),
    };
    compute(&Curve {
        days: &run.days,
        equity,
        flows,
        closing,
        invested: &run.invested,
        risk_free: run.risk_free.as_deref(),
        periods_per_year: run.frequency.bars_per_year,
        data_days,
    })
}
