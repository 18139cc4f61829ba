//! Each sleeve's part of a run (`sleeve momentum 70%:`): its value, what went in, its
//! returns and holdings, in the JSON (`sleeves`) and as a block of the text summary.
//! The figures come from the sleeve's own curve ([`crate::engine::SleeveRun`]): its value
//! at each close and the money that came in or went out on each bar (contributions, a
//! withdrawal's part, money moved by `rebalanced`), with the same formulas as the
//! account's ([`super::metrics`]).

use serde::Serialize;

use super::metrics::{Curve, Drawdown, compute};
use super::number::money;
use super::rows::{pct, pct_opt};
use super::run_report::Holding;
use super::zero::fixed;
use crate::engine::{Run, SleeveRun};

/// One sleeve (or the part of the account outside the sleeves) in the report.
#[derive(Clone, Debug, Serialize)]
pub struct SleeveReport {
    /// The sleeve's name; null for the part outside every sleeve.
    pub name: Option<String>,
    /// The enclosing sleeve's name; null at the top.
    pub parent: Option<String>,
    /// Its share of what encloses it, and of the account (fractions: 0.7 is 70%).
    pub share: f64,
    pub fraction: f64,
    /// `rebalanced SCHEDULE`: brought back to its share on that schedule (else it drifts).
    pub rebalanced: bool,
    /// Money put in (contributions, money moved to it) less taken out, USD.
    pub contributed: f64,
    /// Value at the last close, USD, and its share of the account's value then.
    pub final_value: f64,
    pub weight: f64,
    pub profit: f64,
    /// Time-weighted return over the run, its CAGR, and the money-weighted return.
    pub twr: Option<f64>,
    pub cagr: Option<f64>,
    pub xirr: Option<f64>,
    pub max_drawdown: Drawdown,
    pub cash: f64,
    pub holdings: Vec<Holding>,
}

/// The sleeves of `run` (empty without sleeves).
pub fn sleeves(run: &Run) -> Vec<SleeveReport> {
    let total = run.equity.last().copied().unwrap_or(0.0);
    let names: Vec<Option<String>> = run.sleeves.iter().map(|s| s.name.clone()).collect();
    (run.sleeves.iter())
        .map(|s| one(run, s, total, s.parent.and_then(|p| names[p].clone())))
        .collect()
}

fn one(run: &Run, s: &SleeveRun, total: f64, parent: Option<String>) -> SleeveReport {
    // What is not cash is invested; the sleeve's cash is known only at the end, so its
    // time in market is not reported (the curve's `invested` is its value).
    let m = compute(&Curve {
        days: &run.days,
        equity: &s.equity,
        flows: &s.flows,
        closing: &s.closing,
        invested: &s.equity,
        risk_free: run.risk_free.as_deref(),
        periods_per_year: run.frequency.bars_per_year,
        data_days: &[],
    });
    let final_value = s.equity.last().copied().unwrap_or(0.0);
    SleeveReport {
        name: s.name.clone(),
        parent,
        share: s.share,
        fraction: s.fraction,
        rebalanced: s.rebalanced,
        contributed: m.contributed,
        final_value,
        weight: if total > 0.0 { final_value / total } else { 0.0 },
        profit: m.profit,
        twr: m.twr,
        cagr: m.cagr,
        xirr: m.xirr,
        max_drawdown: m.max_drawdown,
        cash: s.cash,
        holdings: (s.holdings.iter())
            .map(|(symbol, shares, value)| Holding {
                symbol: symbol.clone(),
                shares: *shares,
                value: *value,
            })
            .collect(),
    }
}

/// The text block: one paragraph a sleeve, nested ones indented.
pub fn render(sleeves: &[SleeveReport]) -> String {
    if sleeves.is_empty() {
        return String::new();
    }
    let mut out = String::from("\nSleeves:\n");
    for s in sleeves {
        // How deep it stands: one level for each enclosing sleeve.
        let mut depth = 1;
        let mut up = s.parent.as_ref();
        while let Some(p) = up {
            depth += 1;
            up = sleeves
                .iter()
                .find(|x| x.name.as_ref() == Some(p))
                .and_then(|x| x.parent.as_ref());
        }
        let pad = "  ".repeat(depth);
        let title = match &s.name {
            Some(name) => format!(
                "{name} {} ({} of the account{})",
                pct_share(s.share),
                pct_share(s.fraction),
                if s.rebalanced { ", rebalanced" } else { "" }
            ),
            None if s.final_value == 0.0 && s.holdings.is_empty() && s.fraction == 0.0 => continue,
            None => format!("outside the sleeves {}", pct_share(s.fraction)),
        };
        out.push_str(&format!(
            "{pad}{title}: {} USD ({} of the account), net money in {} USD, TWR {}, CAGR {}, max drawdown {}\n",
            money(s.final_value),
            pct(s.weight),
            money(s.contributed),
            pct_opt(s.twr),
            pct_opt(s.cagr),
            pct(-s.max_drawdown.depth),
        ));
        let mut held: Vec<String> = (s.holdings.iter())
            .map(|h| format!("{} {} shares ({} USD)", h.symbol, fixed(h.shares, 4), money(h.value)))
            .collect();
        held.push(format!("cash {} USD", money(s.cash)));
        out.push_str(&format!("{pad}  holds {}\n", held.join(", ")));
    }
    out
}

/// A share as written in a strategy: `70%`, `33.3%`.
fn pct_share(f: f64) -> String {
    format!("{}%", (f * 1e6).round() / 1e4)
}
