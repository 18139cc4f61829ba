//! Figures that can be computed but mean nothing are `None`, and say why (issue 12 item 14).
//!
//! A Sharpe ratio of an all-cash run divides the risk-free rate by its own day-to-day
//! wobble (−246.8); a Sortino or Calmar ratio over a constant holding divides by rounding
//! noise (2.5e14); a return with no money in is 0/0. Each such figure is `None` (JSON
//! `null`, `-` in the summary), and [`Metrics::why_null`] names the reason, as it does for
//! every other `None` figure.

use super::metrics::{Drawdown, Metrics};

/// A per-bar standard deviation (of returns, or of their downside) at or below this is no
/// variation: 1e-9 a bar is 0.0000016% a year, far below any real series and far above
/// floating-point noise (1e-16).
pub const NEGLIGIBLE_DEVIATION: f64 = 1e-9;

/// The same for a drawdown depth.
pub const NEGLIGIBLE_DRAWDOWN: f64 = 1e-9;

/// Per-bar spreads of the returns the ratios divide by.
#[derive(Clone, Copy, Debug)]
pub struct Spread {
    /// Whether any money came in (a positive flow).
    pub money_in: bool,
    /// Sample standard deviation of r_t (t ≥ 1); `None` with fewer than two returns.
    pub returns: Option<f64>,
    /// √mean(min(e_t, 0)²) of the excess returns; `None` with none.
    pub downside: Option<f64>,
    /// Whether some bar has no value (a base currency's figures on a day without an
    /// exchange rate): every figure built on the returns is then unknown.
    pub unvalued: bool,
}

const NO_MONEY: &str = "nothing was contributed: there is no invested capital to have a return";
const SHORT: &str = "fewer than two returns";
const NO_RISK: &str = "the returns do not vary (volatility 0): there is no risk for a ratio to reward";
const NO_DOWNSIDE: &str = "no bar returned less than the risk-free rate: there is no downside to divide by";
const NO_DRAWDOWN: &str = "the time-weighted value never fell: there is no drawdown to divide by";
const NO_YEARS: &str = "the period is shorter than a day";
const BELOW_ZERO: &str = "the time-weighted value fell below zero";
const NO_RATE: &str = "no annual rate makes the cash flows' present value zero";
const NO_FULL_YEAR: &str = "no full calendar year in the period";
const NO_BARS: &str = "the run has no bars";
const UNVALUED: &str = "the value is unknown on some days: no exchange rate those days (see Assumed)";

/// Why each `None` figure is `None`, by figure ([`Metrics::why_null`]).
type Reasons = std::collections::BTreeMap<&'static str, &'static str>;

/// The figures read off the time-weighted value curve, by their JSON names, beside the
/// reasons map: each is unknown when a value of the curve is, and means nothing without
/// money in.
fn curve_figures(m: &mut Metrics) -> ([(&'static str, &mut Option<f64>); 7], &mut Reasons) {
    let Metrics {
        twr,
        cagr,
        xirr,
        volatility,
        sharpe,
        sortino,
        calmar,
        why_null,
        ..
    } = m;
    (
        [
            ("twr", twr),
            ("cagr", cagr),
            ("xirr", xirr),
            ("volatility", volatility),
            ("sharpe", sharpe),
            ("sortino", sortino),
            ("calmar", calmar),
        ],
        why_null,
    )
}

/// Sets to `None` the figures of `m` that mean nothing and records why each `None` figure
/// is `None`.
pub fn explain(m: &mut Metrics, spread: Spread) {
    for (figure, missing, reason) in [
        ("best_year", m.best_year.is_none(), NO_FULL_YEAR),
        ("worst_year", m.worst_year.is_none(), NO_FULL_YEAR),
        ("start", m.start.is_none(), NO_BARS),
        ("end", m.end.is_none(), NO_BARS),
        ("exposure", m.exposure.is_none(), NO_BARS),
        ("average_equity", m.average_equity.is_none(), NO_BARS),
    ] {
        if missing {
            m.why_null.insert(figure, reason);
        }
    }
    if spread.unvalued {
        // A figure built on a value that is not known is not known, whatever else it lacks.
        let (figures, why_null) = curve_figures(m);
        for (figure, slot) in figures {
            if !slot.is_some_and(f64::is_finite) {
                *slot = None;
                why_null.insert(figure, UNVALUED);
            }
        }
        // The drawdown tracker stops at the first unknown value: what it holds is the
        // deepest fall before it, not the run's.
        m.max_drawdown = Drawdown::unknown();
        m.why_null.insert("max_drawdown", UNVALUED);
    }
    if !spread.money_in {
        // Without money the value never moves: a year's 0.00% would be a plausible figure.
        for (figure, slot) in [("best_year", &mut m.best_year), ("worst_year", &mut m.worst_year)] {
            if slot.take().is_some() {
                m.why_null.insert(figure, NO_MONEY);
            }
        }
        let (figures, why_null) = curve_figures(m);
        for (figure, slot) in figures {
            *slot = None;
            why_null.insert(figure, NO_MONEY);
        }
        return;
    }
    let flat = spread.returns.is_some_and(|d| d <= NEGLIGIBLE_DEVIATION);
    if flat {
        m.sharpe = None;
        m.sortino = None;
        m.why_null.entry("sharpe").or_insert(NO_RISK);
        m.why_null.entry("sortino").or_insert(NO_RISK);
    }
    if spread.downside.is_some_and(|d| d <= NEGLIGIBLE_DEVIATION) {
        m.sortino = None;
        m.why_null.entry("sortino").or_insert(NO_DOWNSIDE);
    }
    if m.max_drawdown.depth <= NEGLIGIBLE_DRAWDOWN {
        m.calmar = None;
        m.why_null.entry("calmar").or_insert(NO_DRAWDOWN);
    }
    let years = if m.years > 0.0 { BELOW_ZERO } else { NO_YEARS };
    for (figure, missing, reason) in [
        ("volatility", m.volatility.is_none(), SHORT),
        (
            "sharpe",
            m.sharpe.is_none(),
            if spread.returns.is_none() { SHORT } else { NO_RISK },
        ),
        (
            "sortino",
            m.sortino.is_none(),
            if spread.downside.is_none() { SHORT } else { NO_DOWNSIDE },
        ),
        ("cagr", m.cagr.is_none(), years),
        ("calmar", m.calmar.is_none(), years),
        ("xirr", m.xirr.is_none(), NO_RATE),
    ] {
        if missing {
            m.why_null.entry(figure).or_insert(reason);
        }
    }
}
