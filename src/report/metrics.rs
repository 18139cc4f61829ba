//! The figures of a backtest report, computed from its equity curve and cash flows.
//!
//! Everything here is a pure function of a [`Curve`]; [`compute`] walks the bars once.
//! Dates in the output are strings `"YYYY-MM-DD"` so that JSON reports read without a
//! calendar at hand. Figures that can be undefined are `Option<f64>` (JSON `null`).

use std::collections::BTreeMap;

use serde::Serialize;

use super::meaning::{self, Spread};
use super::xirr::xirr;
use super::years;
use crate::civil;
use crate::engine::Flows;

/// The length of the report's year, in days: the mean Julian year, so leap years even out.
pub(super) const DAYS_PER_YEAR: f64 = 365.25;

/// One backtest's daily record, as the engine produces it.
///
/// All slices have one entry per bar (the same length as `days`); should they differ, the
/// extra entries of the longer ones are ignored.
#[derive(Debug, Clone, Copy)]
pub struct Curve<'a> {
    /// Bar dates as days since 1970-01-01 (`i32`), ascending, one per bar.
    pub days: &'a [i32],
    /// Portfolio value at each bar's close (after that bar's flows and trades).
    pub equity: &'a [f64],
    /// Each bar's external cash flow (initial capital on bar 0, contributions later;
    /// positive = money in, negative = withdrawal; 0 if none), kept sparse.
    pub flows: &'a Flows,
    /// The part of each bar's flow that moved at its close (withdrawals, money moved between
    /// sleeves, tax paid in from outside); the rest arrived at its start. Empty: all of
    /// every flow arrived at the start ([`super::returns::bar_return`]).
    pub closing: &'a [f64],
    /// Value of positions (equity - cash) at each bar's close, for exposure.
    pub invested: &'a [f64],
    /// Optional risk-free rate per bar, annual rate in PERCENT (as FRED publishes it,
    /// e.g. 5.33); NaN = unknown on that bar (treat as 0).
    pub risk_free: Option<&'a [f64]>,
    /// Bars per year for annualisation (252 for daily bars).
    pub periods_per_year: f64,
    /// The trading days of the whole data, before and after the run too (ascending), to
    /// tell whole calendar years from partial ones ([`super::years`]); empty if unknown.
    pub data_days: &'a [i32],
}

/// The performance figures of one backtest.
///
/// Returns and rates are fractions (0.1 = 10%). Dates are `"YYYY-MM-DD"` strings.
///
/// The per-bar return is r_t = (equity_t − closing_t) / (equity_{t-1} + start_t) - 1 for
/// t ≥ 1, and r_0 = (equity_0 − closing_0) / start_0 - 1, with start_t = flow_t − closing_t
/// the flow before the open and closing_t the flow at the close
/// ([`super::returns::bar_return`]); a bar whose denominator is ≤ 0 has r = 0. The wealth
/// index is W_t = Π_{s≤t}(1+r_s).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Metrics {
    /// Period: the first bar's date (`None` for an empty curve).
    pub start: Option<String>,
    /// Period: the last bar's date (`None` for an empty curve).
    pub end: Option<String>,
    /// Period: years = (last - first days) / 365.25.
    pub years: f64,
    /// Number of bars.
    pub bars: usize,
    /// Number of distinct days with a bar (equal to `bars` for daily data).
    pub trading_days: usize,
    /// Contributed = sum of flows: net of withdrawals, so it falls below the money put in
    /// (and below zero) when more is taken out than was put in.
    pub contributed: f64,
    /// Withdrawn = the money taken out, positive: the sum of each bar's negative flow before
    /// the open and negative flow at the close (0 if none). Money put in and taken out on
    /// one bar at one time (tax paid in from outside at the close of a withdrawal's day)
    /// counts net. Contributed + withdrawn is the money put in.
    pub withdrawn: f64,
    /// Final value = last equity (0 for an empty curve).
    pub final_value: f64,
    /// Profit = final value - contributed.
    pub profit: f64,
    /// Time-weighted return: TWR = Π(1+r_t) - 1, the growth of one unit of money invested
    /// at the start, unaffected by when contributions and withdrawals happen (`None` when
    /// no money was ever contributed).
    pub twr: Option<f64>,
    /// CAGR = (1+TWR)^(1/years) - 1 (`None` if years == 0).
    pub cagr: Option<f64>,
    /// Money-weighted return (XIRR): the rate r solving Σ CF_i·(1+r)^(-(d_i-d_0)/365) = 0,
    /// where the investor's flows are -flow_t on their dates and +final equity on the last
    /// date (`None` if there is no solution).
    pub xirr: Option<f64>,
    /// Volatility = sample stdev of r_t (t ≥ 1) × sqrt(periods_per_year) (`None` with fewer
    /// than two such returns).
    pub volatility: Option<f64>,
    /// Sharpe = mean(e_t)/stdev(e_t) × sqrt(ppy) with e_t = r_t - rf_t/100/ppy (t ≥ 1, rf_t
    /// the risk-free rate in percent, 0 where unknown); `None` with fewer than two returns,
    /// or where it means nothing (see [`super::meaning`]).
    pub sharpe: Option<f64>,
    /// Sortino = mean(e_t) / sqrt(mean(min(e_t,0)^2)) × sqrt(ppy); `None` if no downside,
    /// or where it means nothing (see [`super::meaning`]).
    pub sortino: Option<f64>,
    /// Max drawdown on the TWR wealth index W_t.
    pub max_drawdown: Drawdown,
    /// Calmar = CAGR / max drawdown depth (`None` if there is no drawdown or CAGR is
    /// undefined).
    pub calmar: Option<f64>,
    /// Calendar-year returns from W, oldest first.
    pub calendar_years: Vec<YearReturn>,
    /// The full (not partial) calendar year with the highest return (`None` if no full year).
    pub best_year: Option<YearReturn>,
    /// The full (not partial) calendar year with the lowest return (`None` if no full year).
    pub worst_year: Option<YearReturn>,
    /// Exposure ("time in market") = fraction of bars with invested > 0 (`None` for an
    /// empty curve).
    pub exposure: Option<f64>,
    /// Mean of equity over all bars (`None` for an empty curve), the denominator of
    /// [`annual_turnover`].
    pub average_equity: Option<f64>,
    /// Why each `None` figure is `None`, by field name (see [`super::meaning`]).
    pub why_null: BTreeMap<&'static str, &'static str>,
    /// With a tax rule: the final value and XIRR after the tax still due is paid
    /// ([`super::after_tax`]); left out of the JSON without one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after_tax: Option<super::after_tax::AfterTax>,
}

/// The deepest fall of the wealth index W_t from a running peak.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Drawdown {
    /// Depth as a positive fraction: 1 - W_trough / W_peak (0 if W never fell); NaN (JSON
    /// `null`, with the reason in [`Metrics::why_null`]) when some value of W is unknown (a
    /// base currency's figures over days without an exchange rate).
    ///
    /// The running peak starts at 1, the value of the first contribution as it arrives at
    /// the start of the first bar, so a loss on the first bar counts.
    pub depth: f64,
    /// Date of the peak the fall started from (`None` if depth is 0).
    pub peak: Option<String>,
    /// Date of the lowest point (`None` if depth is 0).
    pub trough: Option<String>,
    /// Recovery date: first date W ≥ peak value after the trough (`None` if never).
    pub recovery: Option<String>,
}

/// One calendar year's return on the wealth index.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct YearReturn {
    /// The calendar year.
    pub year: i32,
    /// A year's return = W at its last bar / W at the previous year's last bar - 1; the
    /// first year from the start (W = 1). A year without bars has no entry; its change is
    /// in the next year that has bars.
    #[serde(rename = "return")]
    pub value: f64,
    /// Partial: the run does not cover the year's first and last trading days in the data
    /// ([`super::years`]).
    pub partial: bool,
}

/// Annual turnover = traded_value_total / average_equity / years.
///
/// `traded_value_total` is the sum of the values of all buys and all sells, so selling
/// everything and buying something else once a year is a turnover of 2.0 (200%).
/// `None` when average equity or years are not positive.
pub fn annual_turnover(traded_value_total: f64, average_equity: f64, years: f64) -> Option<f64> {
    (average_equity > 0.0 && years > 0.0).then(|| traded_value_total / average_equity / years)
}

/// The report's figures for `curve`. Never panics: an empty or one-bar curve gives zeros and
/// `None`s.
pub fn compute(curve: &Curve) -> Metrics {
    let bars = curve
        .days
        .len()
        .min(curve.equity.len())
        .min(curve.flows.len())
        .min(curve.invested.len());
    let mut pass = Pass::new(curve);
    curve.flows.each(bars, |t, flow| pass.observe(curve, t, flow));
    pass.metrics(curve, bars)
}

/// What one pass over a curve gathers, bar by bar.
struct Pass {
    contributed: f64,
    withdrawn: f64,
    equity_sum: f64,
    invested_bars: usize,
    /// The investor's cash flows for XIRR: money put in is negative.
    investor_flows: Vec<(i32, f64)>,
    returns: Moments,
    /// Returns above the risk-free rate; not kept when they are the returns themselves
    /// (`excess_is_returns`).
    excess: Moments,
    /// Whether each excess return is the return to the bit: without a risk-free curve the
    /// rate taken off is `0 / 100 / periods_per_year`, and subtracting a positive zero
    /// leaves every value as it is (-0 and NaN included), so `returns` serves both.
    excess_is_returns: bool,
    downside_squares: f64,
    /// Time-weighted growth of 1 so far.
    wealth: f64,
    drawdown: DrawdownTracker,
    calendar: YearTable,
    years: civil::Years,
}

impl Pass {
    fn new(curve: &Curve) -> Pass {
        let no_rate: f64 = 0.0 / 100.0 / curve.periods_per_year;
        Pass {
            excess_is_returns: curve.risk_free.is_none() && no_rate == 0.0 && no_rate.is_sign_positive(),
            contributed: 0.0,
            withdrawn: 0.0,
            equity_sum: 0.0,
            invested_bars: 0,
            investor_flows: Vec::new(),
            returns: Moments::default(),
            excess: Moments::default(),
            downside_squares: 0.0,
            wealth: 1.0,
            drawdown: DrawdownTracker::default(),
            calendar: YearTable::default(),
            years: civil::Years::default(),
        }
    }

    /// Takes in bar `t`, whose flow is `flow`.
    fn observe(&mut self, curve: &Curve, t: usize, flow: f64) {
        let (day, equity) = (curve.days[t], curve.equity[t]);
        self.contributed += flow;
        let closing = curve.closing.get(t).copied().unwrap_or(0.0);
        self.withdrawn += (closing - flow).max(0.0) + (-closing).max(0.0);
        self.equity_sum += equity;
        if curve.invested[t] > 0.0 {
            self.invested_bars += 1;
        }
        if flow != 0.0 {
            self.investor_flows.push((day, -flow));
        }

        let r = super::returns::bar_return(curve.equity, flow, curve.closing, t);
        if t >= 1 {
            self.returns.push(r);
            let e = if self.excess_is_returns {
                r
            } else {
                let rate = curve
                    .risk_free
                    .and_then(|rates| rates.get(t).copied())
                    .filter(|rate| !rate.is_nan())
                    .unwrap_or(0.0);
                let e = r - rate / 100.0 / curve.periods_per_year;
                self.excess.push(e);
                e
            };
            self.downside_squares += e.min(0.0).powi(2);
        }

        self.wealth *= 1.0 + r;
        self.drawdown.observe(t, self.wealth);
        self.calendar.observe(self.years.of(day) as i32, self.wealth);
    }

    /// The figures, once the first `bars` bars of `curve` are taken in.
    fn metrics(mut self, curve: &Curve, bars: usize) -> Metrics {
        let ppy = curve.periods_per_year;
        let days = &curve.days[..bars];
        let (start, end) = (days.first().copied(), days.last().copied());
        let years = match (start, end) {
            (Some(first), Some(last)) => (f64::from(last) - f64::from(first)) / DAYS_PER_YEAR,
            _ => 0.0,
        };
        let final_value = curve.equity[..bars].last().copied().unwrap_or(0.0);
        if let Some(last) = end {
            self.investor_flows.push((last, final_value));
        }

        let twr = self.wealth - 1.0;
        let cagr = (years > 0.0 && 1.0 + twr >= 0.0).then(|| (1.0 + twr).powf(1.0 / years) - 1.0);
        let max_drawdown = self.drawdown.finish(days);
        let calmar = cagr
            .filter(|_| max_drawdown.depth > 0.0)
            .map(|cagr| cagr / max_drawdown.depth);

        let excess = if self.excess_is_returns {
            &self.returns
        } else {
            &self.excess
        };
        let sharpe = excess
            .sample_deviation()
            .filter(|&deviation| deviation > meaning::NEGLIGIBLE_DEVIATION)
            .map(|deviation| excess.mean / deviation * ppy.sqrt());
        let sortino = (self.downside_squares > 0.0)
            .then(|| excess.mean / (self.downside_squares / excess.count).sqrt() * ppy.sqrt());

        let mut calendar_years = self.calendar.finish();
        if let (Some(first), Some(last)) = (start, end) {
            years::mark_partial(&mut calendar_years, first, last, curve.data_days);
        }
        let full_years = || {
            calendar_years
                .iter()
                .filter(|year| !year.partial && !year.value.is_nan())
        };
        let best_year = full_years().max_by(|a, b| a.value.total_cmp(&b.value)).cloned();
        let worst_year = full_years().min_by(|a, b| a.value.total_cmp(&b.value)).cloned();

        let per_bar = |total: f64| (bars > 0).then(|| total / bars as f64);

        let spread = Spread {
            money_in: (curve.flows.nonzero().iter())
                .take_while(|&&(t, _)| t < bars)
                .any(|&(_, f)| f > 0.0),
            returns: self.returns.sample_deviation(),
            downside: (excess.count > 0.0).then(|| (self.downside_squares / excess.count).sqrt()),
            // A day without a value makes the time-weighted return NaN: only then is the
            // curve scanned (a run's figures are computed several times; most never need it).
            unvalued: !twr.is_finite() && curve.equity[..bars].iter().any(|e| !e.is_finite()),
        };
        let mut metrics = Metrics {
            start: start.map(civil::iso),
            end: end.map(civil::iso),
            years,
            bars,
            trading_days: days.windows(2).filter(|w| w[0] != w[1]).count() + usize::from(bars > 0),
            contributed: self.contributed,
            withdrawn: self.withdrawn,
            final_value,
            profit: final_value - self.contributed,
            twr: Some(twr),
            cagr,
            xirr: xirr(&self.investor_flows),
            volatility: self.returns.sample_deviation().map(|deviation| deviation * ppy.sqrt()),
            sharpe,
            sortino,
            max_drawdown,
            calmar,
            calendar_years,
            best_year,
            worst_year,
            exposure: per_bar(self.invested_bars as f64),
            average_equity: per_bar(self.equity_sum),
            why_null: BTreeMap::new(),
            after_tax: None,
        };
        meaning::explain(&mut metrics, spread);
        metrics
    }
}

/// Running mean and sum of squared deviations (Welford), so the deviation needs one pass
/// and no stored series.
#[derive(Clone, Debug, Default)]
pub(super) struct Moments {
    /// Values pushed, as a float (exact below 2^53): the same value as the count converted
    /// on each push, without the conversion.
    count: f64,
    mean: f64,
    squares: f64,
}

impl Moments {
    pub(super) fn push(&mut self, value: f64) {
        self.count += 1.0;
        let before = value - self.mean;
        self.mean += before / self.count;
        self.squares += before * (value - self.mean);
    }

    /// The mean of the values pushed (0 before any).
    pub(super) fn mean(&self) -> f64 {
        self.mean
    }

    /// Sample standard deviation (n - 1 in the denominator); `None` below two values.
    pub(super) fn sample_deviation(&self) -> Option<f64> {
        (self.count >= 2.0).then(|| (self.squares / (self.count - 1.0)).sqrt())
    }
}

impl Drawdown {
    /// The drawdown of a curve with an unknown value: depth NaN, no dates.
    pub fn unknown() -> Drawdown {
        Drawdown {
            depth: f64::NAN,
            peak: None,
            trough: None,
            recovery: None,
        }
    }
}

/// Follows the running peak of W and remembers the deepest fall from it, as bar indices.
struct DrawdownTracker {
    /// Bar index and value of the running peak.
    peak: (usize, f64),
    deepest: Option<Fall>,
}

/// A fall from a peak, as bar indices.
struct Fall {
    depth: f64,
    peak: usize,
    peak_value: f64,
    trough: usize,
    recovery: Option<usize>,
}

impl Default for DrawdownTracker {
    fn default() -> Self {
        // The money is worth 1 as it arrives at the start of bar 0.
        Self {
            peak: (0, 1.0),
            deepest: None,
        }
    }
}

impl DrawdownTracker {
    fn observe(&mut self, bar: usize, wealth: f64) {
        if let Some(fall) = &mut self.deepest
            && fall.recovery.is_none()
            && wealth >= fall.peak_value
        {
            fall.recovery = Some(bar);
        }
        if wealth >= self.peak.1 {
            // At an equal value the later bar is the peak: a fall starts after the last high.
            self.peak = (bar, wealth);
            return;
        }
        let depth = 1.0 - wealth / self.peak.1;
        if depth > self.deepest.as_ref().map_or(0.0, |fall| fall.depth) {
            self.deepest = Some(Fall {
                depth,
                peak: self.peak.0,
                peak_value: self.peak.1,
                trough: bar,
                recovery: None,
            });
        }
    }

    fn finish(self, days: &[i32]) -> Drawdown {
        let on = |bar: usize| days.get(bar).map(|&day| civil::iso(day));
        match self.deepest {
            Some(fall) => Drawdown {
                depth: fall.depth,
                peak: on(fall.peak),
                trough: on(fall.trough),
                recovery: fall.recovery.and_then(on),
            },
            None => Drawdown {
                depth: 0.0,
                peak: None,
                trough: None,
                recovery: None,
            },
        }
    }
}

/// Closes a calendar year each time the year of the bars changes.
struct YearTable {
    rows: Vec<YearReturn>,
    /// The year being accumulated (`None` before the first bar).
    year: Option<i32>,
    /// W at the previous year's last bar (1 at the start).
    base: f64,
    /// W at the latest bar.
    latest: f64,
}

impl Default for YearTable {
    fn default() -> Self {
        Self {
            rows: Vec::new(),
            year: None,
            base: 1.0,
            latest: 1.0,
        }
    }
}

impl YearTable {
    fn observe(&mut self, year: i32, wealth: f64) {
        if let Some(current) = self.year
            && current != year
        {
            self.close(current, self.rows.is_empty());
            self.base = self.latest;
        }
        self.year = Some(year);
        self.latest = wealth;
    }

    fn close(&mut self, year: i32, partial: bool) {
        self.rows.push(YearReturn {
            year,
            value: self.latest / self.base - 1.0,
            partial,
        });
    }

    fn finish(mut self) -> Vec<YearReturn> {
        if let Some(current) = self.year {
            self.close(current, true);
        }
        self.rows
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    /// Days since 1970-01-01, counted by chrono's date subtraction rather than the
    /// module's day-number conversion.
    fn day(year: i32, month: u32, day: u32) -> i32 {
        let date = NaiveDate::from_ymd_opt(year, month, day).expect("valid test date");
        let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).expect("valid epoch");
        i32::try_from((date - epoch).num_days()).expect("test dates fit i32")
    }

    fn close(actual: f64, expected: f64) -> bool {
        (actual - expected).abs() <= 1e-9 * (1.0 + expected.abs())
    }

    fn assert_close(actual: Option<f64>, expected: f64) {
        let actual = actual.expect("figure is defined");
        assert!(close(actual, expected), "{actual} vs {expected}");
    }

    /// Sample mean and standard deviation written out from scratch.
    fn naive_mean_deviation(values: &[f64]) -> (f64, f64) {
        let n = values.len() as f64;
        let mean = values.iter().sum::<f64>() / n;
        let variance = values.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (n - 1.0);
        (mean, variance.sqrt())
    }

    /// An equity curve invested from bar 0 with a single contribution of 100 and the
    /// given wealth index (equity = 100·W), invested on every bar.
    fn grown(days: &[i32], wealth: &[f64]) -> (Vec<f64>, Flows) {
        let equity: Vec<f64> = wealth.iter().map(|w| 100.0 * w).collect();
        let mut flows = vec![0.0; days.len()];
        flows[0] = 100.0;
        (equity, Flows::from(flows))
    }

    /// Five bars across three calendar years, with a contribution on bar 2:
    ///
    /// | bar | date       | flow | equity | r_t                          | W       |
    /// |-----|------------|------|--------|------------------------------|---------|
    /// | 0   | 2020-12-30 | 1000 | 1000   | 1000/1000 - 1 = 0            | 1       |
    /// | 1   | 2020-12-31 | 0    | 1100   | 1100/(1000+0) - 1 = 0.10     | 1.1     |
    /// | 2   | 2021-01-04 | 500  | 1440   | 1440/(1100+500) - 1 = -0.10  | 0.99    |
    /// | 3   | 2021-12-31 | 0    | 1296   | 1296/(1440+0) - 1 = -0.10    | 0.891   |
    /// | 4   | 2022-06-30 | 0    | 1620   | 1620/(1296+0) - 1 = 0.25     | 1.11375 |
    struct Example {
        days: Vec<i32>,
        equity: Vec<f64>,
        flows: Flows,
        invested: Vec<f64>,
    }

    impl Example {
        fn new() -> Self {
            Self {
                days: vec![
                    day(2020, 12, 30),
                    day(2020, 12, 31),
                    day(2021, 1, 4),
                    day(2021, 12, 31),
                    day(2022, 6, 30),
                ],
                equity: vec![1000.0, 1100.0, 1440.0, 1296.0, 1620.0],
                flows: Flows::from([1000.0, 0.0, 500.0, 0.0, 0.0]),
                // All cash on bars 0 and 3: 3 of 5 bars in the market.
                invested: vec![0.0, 1100.0, 1440.0, 0.0, 1620.0],
            }
        }

        fn curve<'a>(&'a self, risk_free: Option<&'a [f64]>) -> Curve<'a> {
            Curve {
                days: &self.days,
                equity: &self.equity,
                flows: &self.flows,
                closing: &[],
                invested: &self.invested,
                risk_free,
                periods_per_year: 252.0,
                data_days: &[],
            }
        }
    }

    /// Without a risk-free curve the excess returns are the returns, to the bit: every
    /// figure is what a risk-free rate of 0 on every bar gives, and a rate that is not 0
    /// still moves the Sharpe ratio.
    #[test]
    fn no_risk_free_curve_is_a_rate_of_zero() {
        let example = Example::new();
        let zero = [0.0; 5];
        let none = compute(&example.curve(None));
        assert_eq!(none, compute(&example.curve(Some(&zero))));
        assert!(none.sharpe.is_some() && none.sortino.is_some());
        let rates = [5.0; 5];
        assert_ne!(none.sharpe, compute(&example.curve(Some(&rates))).sharpe);
    }

    #[test]
    fn worked_example_totals_and_period() {
        let example = Example::new();
        let m = compute(&example.curve(None));
        assert_eq!(m.start.as_deref(), Some("2020-12-30"));
        assert_eq!(m.end.as_deref(), Some("2022-06-30"));
        assert_eq!(m.bars, 5);
        // 2020-12-30 → 2021-12-30 is 365 days (2021 is not a leap year), +1 to 2021-12-31,
        // then Jan..Jun 2022 = 31+28+31+30+31+30 = 181: 547 days.
        assert!(close(m.years, 547.0 / 365.25), "{}", m.years);
        assert_eq!(m.contributed, 1500.0);
        assert_eq!(m.final_value, 1620.0);
        assert_eq!(m.profit, 120.0);
        // 3 of 5 bars invested; mean equity (1000+1100+1440+1296+1620)/5 = 6456/5.
        assert_close(m.exposure, 0.6);
        assert_close(m.average_equity, 1291.2);
    }

    #[test]
    fn worked_example_returns() {
        let example = Example::new();
        let m = compute(&example.curve(None));
        // TWR = 1 · 1.1 · 0.9 · 0.9 · 1.25 - 1 = 1.11375 - 1
        assert_close(m.twr, 0.11375);
        // CAGR = 1.11375^(365.25/547) - 1 ≈ 0.0746
        let cagr = 1.11375_f64.powf(365.25 / 547.0) - 1.0;
        assert_close(m.cagr, cagr);
        assert!((0.074..0.075).contains(&cagr));
        // Calmar = CAGR / 0.19
        assert_close(m.calmar, cagr / 0.19);
    }

    #[test]
    fn worked_example_risk() {
        let example = Example::new();
        let m = compute(&example.curve(None));
        // r_1..r_4 = 0.1, -0.1, -0.1, 0.25: mean 0.15/4 = 0.0375; deviations 0.0625,
        // -0.1375, -0.1375, 0.2125; squares sum to 0.086875; sample variance 0.086875/3.
        let deviation = (0.086_875_f64 / 3.0).sqrt();
        let (mean, naive) = naive_mean_deviation(&[0.1, -0.1, -0.1, 0.25]);
        assert!(close(naive, deviation) && close(mean, 0.0375));
        let annual = 252.0_f64.sqrt();
        assert_close(m.volatility, deviation * annual);
        // No risk-free rate: e_t = r_t.
        assert_close(m.sharpe, 0.0375 / deviation * annual);
        // Downside: min(e,0)² = 0, 0.01, 0.01, 0 → mean 0.02/4 = 0.005.
        assert_close(m.sortino, 0.0375 / 0.005_f64.sqrt() * annual);
    }

    #[test]
    fn worked_example_drawdown() {
        let example = Example::new();
        let m = compute(&example.curve(None));
        // Peak W = 1.1 on bar 1, trough 0.891 on bar 3: 1 - 0.891/1.1 = 1 - 0.81 = 0.19;
        // W = 1.11375 ≥ 1.1 first on bar 4.
        assert!(close(m.max_drawdown.depth, 0.19), "{:?}", m.max_drawdown);
        assert_eq!(m.max_drawdown.peak.as_deref(), Some("2020-12-31"));
        assert_eq!(m.max_drawdown.trough.as_deref(), Some("2021-12-31"));
        assert_eq!(m.max_drawdown.recovery.as_deref(), Some("2022-06-30"));
    }

    #[test]
    fn worked_example_calendar_years() {
        let example = Example::new();
        let m = compute(&example.curve(None));
        // 2020: 1.1/1 - 1 = 0.1 (first, partial); 2021: 0.891/1.1 - 1 = -0.19;
        // 2022: 1.11375/0.891 - 1 = 0.25 (last, partial).
        let years: Vec<(i32, bool)> = m.calendar_years.iter().map(|y| (y.year, y.partial)).collect();
        assert_eq!(years, [(2020, true), (2021, false), (2022, true)]);
        let values = [0.1, -0.19, 0.25];
        for (row, expected) in m.calendar_years.iter().zip(values) {
            assert!(close(row.value, expected), "{row:?}");
        }
        // Only 2021 is a full year, so it is both the best and the worst.
        assert_eq!(m.best_year.as_ref().map(|y| y.year), Some(2021));
        assert_eq!(m.worst_year.as_ref().map(|y| y.year), Some(2021));
    }

    #[test]
    fn worked_example_xirr_plugs_back_to_zero() {
        let example = Example::new();
        let m = compute(&example.curve(None));
        let rate = m.xirr.expect("a rate exists");
        // Investor: -1000 on day 0, -500 on day 5 (2020-12-30 → 2021-01-04), +1620 on day 547.
        let npv = -1000.0 - 500.0 / (1.0 + rate).powf(5.0 / 365.0) + 1620.0 / (1.0 + rate).powf(547.0 / 365.0);
        assert!(npv.abs() < 1e-6, "{rate}: {npv}");
    }

    #[test]
    fn risk_free_rate_is_subtracted_per_bar() {
        let example = Example::new();
        // 2.52% a year over 252 bars is 0.0001 a bar; NaN (bar 2) counts as 0; bar 0's rate
        // is unused because r_0 is not part of the statistics.
        let rates = [9.0, 2.52, f64::NAN, 2.52, 2.52];
        let m = compute(&example.curve(Some(&rates)));
        let excess = [0.1 - 0.0001, -0.1, -0.1 - 0.0001, 0.25 - 0.0001];
        let (mean, deviation) = naive_mean_deviation(&excess);
        let annual = 252.0_f64.sqrt();
        assert_close(m.sharpe, mean / deviation * annual);
        let downside = (0.1_f64.powi(2) + 0.1001_f64.powi(2)) / 4.0;
        assert_close(m.sortino, mean / downside.sqrt() * annual);
        // Volatility is of r_t, not e_t: unchanged.
        assert_close(m.volatility, (0.086_875_f64 / 3.0).sqrt() * annual);

        let unknown = [f64::NAN; 5];
        assert_eq!(compute(&example.curve(Some(&unknown))), compute(&example.curve(None)));
    }

    #[test]
    fn steady_growth_has_no_drawdown_and_no_downside() {
        let days = [0, 1, 2, 3];
        let (equity, flows) = grown(&days, &[1.0, 1.01, 1.02, 1.03]);
        let m = compute(&Curve {
            days: &days,
            equity: &equity,
            flows: &flows,
            closing: &[],
            invested: &equity,
            risk_free: None,
            periods_per_year: 252.0,
            data_days: &[],
        });
        assert_eq!(
            m.max_drawdown,
            Drawdown {
                depth: 0.0,
                peak: None,
                trough: None,
                recovery: None,
            }
        );
        assert_eq!(m.calmar, None);
        assert_eq!(m.sortino, None);
        assert!(m.sharpe.is_some());
    }

    #[test]
    fn constant_returns_have_no_sharpe() {
        // r = 0.01 on every bar: standard deviation 0.
        let days = [0, 1, 2, 3];
        let (equity, flows) = grown(&days, &[1.0, 1.01, 1.0201, 1.030301]);
        let m = compute(&Curve {
            days: &days,
            equity: &equity,
            flows: &flows,
            closing: &[],
            invested: &equity,
            risk_free: None,
            periods_per_year: 252.0,
            data_days: &[],
        });
        assert_eq!(m.sharpe, None);
        assert!(m.volatility.expect("three returns") < 1e-12);
    }

    #[test]
    fn deeper_later_drawdown_replaces_a_recovered_one() {
        // W: 1, 1.1, 1.0, 1.2, 0.9, 1.2. First fall 1 - 1.0/1.1 ≈ 0.0909 (recovered on bar 3),
        // then 1 - 0.9/1.2 = 0.25 from bar 3 to bar 4, recovered on bar 5 (1.2 ≥ 1.2).
        let days = [0, 1, 2, 3, 4, 5];
        let (equity, flows) = grown(&days, &[1.0, 1.1, 1.0, 1.2, 0.9, 1.2]);
        let m = compute(&Curve {
            days: &days,
            equity: &equity,
            flows: &flows,
            closing: &[],
            invested: &equity,
            risk_free: None,
            periods_per_year: 252.0,
            data_days: &[],
        });
        assert!(close(m.max_drawdown.depth, 0.25), "{:?}", m.max_drawdown);
        assert_eq!(m.max_drawdown.peak.as_deref(), Some("1970-01-04"));
        assert_eq!(m.max_drawdown.trough.as_deref(), Some("1970-01-05"));
        assert_eq!(m.max_drawdown.recovery.as_deref(), Some("1970-01-06"));
    }

    #[test]
    fn unrecovered_drawdown_and_first_bar_loss() {
        // Invest 1000, worth 900 at the first close (r_0 = -0.1), then 950: the fall from
        // the 1 the money was worth on arrival is 0.1, on bar 0, never recovered.
        let days = [day(2024, 1, 2), day(2024, 1, 3)];
        let m = compute(&Curve {
            days: &days,
            equity: &[900.0, 950.0],
            flows: &Flows::from([1000.0, 0.0]),
            closing: &[],
            invested: &[900.0, 950.0],
            risk_free: None,
            periods_per_year: 252.0,
            data_days: &[],
        });
        assert!(close(m.max_drawdown.depth, 0.1), "{:?}", m.max_drawdown);
        assert_eq!(m.max_drawdown.peak.as_deref(), Some("2024-01-02"));
        assert_eq!(m.max_drawdown.trough.as_deref(), Some("2024-01-02"));
        assert_eq!(m.max_drawdown.recovery, None);
        // W = 0.9 · 950/900 = 0.95.
        assert_close(m.twr, -0.05);
    }

    #[test]
    fn non_positive_denominators_count_as_no_return() {
        // Bar 0 has no flow (r_0 = 0); bar 1's base is 0 + 100 (r = 0.1); bar 2 withdraws
        // 200 from 110, base -90 ≤ 0 (r = 0). TWR = 1 · 1.1 · 1 - 1 = 0.1.
        let m = compute(&Curve {
            days: &[0, 1, 2],
            equity: &[0.0, 110.0, 0.0],
            flows: &Flows::from([0.0, 100.0, -200.0]),
            closing: &[],
            invested: &[0.0, 110.0, 0.0],
            risk_free: None,
            periods_per_year: 252.0,
            data_days: &[],
        });
        assert_close(m.twr, 0.1);
        assert_eq!(m.contributed, -100.0);
        assert_eq!(m.withdrawn, 200.0);
        assert_eq!(m.profit, 100.0);
    }

    #[test]
    fn withdrawn_counts_money_out_at_the_open_and_at_the_close_apart() {
        // Bar 0: 1,000 in. Bar 1: 300 in before the open, 50 out at the close (flow 250,
        // closing -50). Bar 2: 100 out at the close. Withdrawn 50 + 100 = 150; contributed
        // 1,000 + 250 - 100 = 1,150, and 1,150 + 150 = 1,300 put in.
        let m = compute(&Curve {
            days: &[0, 1, 2],
            equity: &[1000.0, 1250.0, 1150.0],
            flows: &Flows::from([1000.0, 250.0, -100.0]),
            closing: &[0.0, -50.0, -100.0],
            invested: &[0.0, 0.0, 0.0],
            risk_free: None,
            periods_per_year: 252.0,
            data_days: &[],
        });
        assert_eq!(m.withdrawn, 150.0);
        assert_eq!(m.contributed, 1150.0);
    }

    #[test]
    fn best_and_worst_skip_partial_years() {
        // W by year end: 2018 1.05 (+5%, partial), 2019 1.26 (+20%), 2020 1.134 (-10%),
        // 2021 1.1907 (+5%), 2022 0.95256 (-20%, partial).
        let days = [
            day(2018, 6, 29),
            day(2018, 12, 31),
            day(2019, 12, 31),
            day(2020, 12, 31),
            day(2021, 12, 31),
            day(2022, 3, 31),
        ];
        let (equity, flows) = grown(&days, &[1.0, 1.05, 1.26, 1.134, 1.1907, 0.95256]);
        let m = compute(&Curve {
            days: &days,
            equity: &equity,
            flows: &flows,
            closing: &[],
            invested: &equity,
            risk_free: None,
            periods_per_year: 252.0,
            data_days: &[],
        });
        let table: Vec<(i32, bool)> = m.calendar_years.iter().map(|y| (y.year, y.partial)).collect();
        assert_eq!(
            table,
            [(2018, true), (2019, false), (2020, false), (2021, false), (2022, true)]
        );
        let best = m.best_year.expect("full years exist");
        let worst = m.worst_year.expect("full years exist");
        assert_eq!(best.year, 2019);
        assert!(close(best.value, 0.2), "{best:?}");
        assert_eq!(worst.year, 2020);
        assert!(close(worst.value, -0.1), "{worst:?}");
    }

    #[test]
    fn one_year_ten_percent_xirr_and_cagr() {
        // 1000 in on day 0, 1100 out on day 365: XIRR 10%; CAGR uses 365.25-day years,
        // 1.1^(365.25/365) - 1.
        let m = compute(&Curve {
            days: &[0, 200, 365],
            equity: &[1000.0, 1030.0, 1100.0],
            flows: &Flows::from([1000.0, 0.0, 0.0]),
            closing: &[],
            invested: &[1000.0, 1030.0, 1100.0],
            risk_free: None,
            periods_per_year: 252.0,
            data_days: &[],
        });
        assert_close(m.xirr, 0.1);
        assert_close(m.cagr, 1.1_f64.powf(365.25 / 365.0) - 1.0);
    }

    #[test]
    fn empty_curve() {
        let m = compute(&Curve {
            days: &[],
            equity: &[],
            flows: &Flows::new(),
            closing: &[],
            invested: &[],
            risk_free: None,
            periods_per_year: 252.0,
            data_days: &[],
        });
        let expected = Metrics {
            start: None,
            end: None,
            years: 0.0,
            bars: 0,
            trading_days: 0,
            contributed: 0.0,
            withdrawn: 0.0,
            final_value: 0.0,
            profit: 0.0,
            twr: None,
            cagr: None,
            xirr: None,
            volatility: None,
            sharpe: None,
            sortino: None,
            max_drawdown: Drawdown {
                depth: 0.0,
                peak: None,
                trough: None,
                recovery: None,
            },
            calmar: None,
            calendar_years: Vec::new(),
            best_year: None,
            worst_year: None,
            exposure: None,
            average_equity: None,
            // Nothing was contributed: no return figure means anything; no bars, no year.
            why_null: ["twr", "cagr", "xirr", "volatility", "sharpe", "sortino", "calmar"]
                .into_iter()
                .map(|f| {
                    (
                        f,
                        "nothing was contributed: there is no invested capital to have a return",
                    )
                })
                .chain(["start", "end", "exposure", "average_equity"].map(|f| (f, "the run has no bars")))
                .chain(["best_year", "worst_year"].map(|f| (f, "no full calendar year in the period")))
                .collect(),
            after_tax: None,
        };
        assert_eq!(m, expected);
    }

    #[test]
    fn one_bar_curve() {
        // 1000 in, 1010 at the close: r_0 = 0.01, but no time has passed.
        let m = compute(&Curve {
            days: &[day(2024, 5, 1)],
            equity: &[1010.0],
            flows: &Flows::from([1000.0]),
            closing: &[],
            invested: &[1010.0],
            risk_free: Some(&[5.33]),
            periods_per_year: 252.0,
            data_days: &[],
        });
        assert_close(m.twr, 0.01);
        assert_eq!(m.years, 0.0);
        assert_eq!((m.cagr, m.xirr, m.calmar), (None, None, None));
        assert_eq!((m.volatility, m.sharpe, m.sortino), (None, None, None));
        assert_eq!(m.exposure, Some(1.0));
        assert_eq!(m.calendar_years.len(), 1);
        assert!(m.calendar_years[0].partial);
        assert_eq!(m.best_year, None);
    }

    #[test]
    fn mismatched_lengths_and_extreme_days_do_not_panic() {
        let m = compute(&Curve {
            days: &[i32::MIN, 0, i32::MAX],
            equity: &[100.0, 110.0],
            flows: &Flows::from([100.0]),
            closing: &[],
            invested: &[],
            risk_free: Some(&[]),
            periods_per_year: 252.0,
            data_days: &[],
        });
        assert_eq!(m.bars, 0);
        let m = compute(&Curve {
            days: &[i32::MIN, i32::MAX],
            equity: &[100.0, 110.0],
            flows: &Flows::from([100.0, 0.0]),
            closing: &[],
            invested: &[100.0, 110.0],
            risk_free: None,
            periods_per_year: 252.0,
            data_days: &[],
        });
        assert_eq!(m.bars, 2);
        assert!(m.start.is_some() && m.end.is_some());
    }

    #[test]
    fn turnover() {
        // 300,000 traded on 100,000 average equity over 1.5 years: 3 / 1.5 = 2.0 a year.
        assert_eq!(annual_turnover(300_000.0, 100_000.0, 1.5), Some(2.0));
        assert_eq!(annual_turnover(300_000.0, 0.0, 1.5), None);
        assert_eq!(annual_turnover(300_000.0, 100_000.0, 0.0), None);
    }
}
