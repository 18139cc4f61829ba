//! rotor's side of the comparison: running a strategy file through the library, the
//! record read into the reference's terms (the one place that reads rotor's run types, so
//! a change of the engine's types is fixed here only), and the comparison itself.

use std::path::Path;

use ::rotor::pipeline::{RunOptions, run_file};
use ::rotor::source::SourceMap;

use super::market::Market;
use super::model::Sym;
use super::simulate::Outcome;

/// A fill as both sides report it.
#[derive(Clone, Debug)]
pub struct FillRow {
    pub date: String,
    pub symbol: String,
    pub buy: bool,
    pub shares: f64,
    pub price: f64,
    pub value: f64,
    pub fee: f64,
    pub rule: usize,
}

impl FillRow {
    pub fn key(&self) -> (String, usize, String, bool) {
        (self.date.clone(), self.rule, self.symbol.clone(), self.buy)
    }

    pub fn same_as(&self, o: &FillRow) -> bool {
        self.key() == o.key()
            && close(self.shares, o.shares)
            && close(self.price, o.price)
            && close(self.value, o.value)
            && close(self.fee, o.fee)
    }
}

pub struct Rotor {
    pub days: Vec<String>,
    pub equity: Vec<f64>,
    pub flows: Vec<f64>,
    /// The part of each day's flow at its close (none recorded: all zero).
    pub closing: Vec<f64>,
    /// The report's time-weighted return and max drawdown depth.
    pub twr: Option<f64>,
    pub drawdown: f64,
    pub trades: Vec<FillRow>,
    pub cash: f64,
    pub holdings: Vec<(String, f64)>,
    pub benchmark: Option<Vec<f64>>,
}

pub fn run_rotor(path: &Path) -> Result<Rotor, String> {
    let mut sources = SourceMap::new();
    let out = run_file(path, &RunOptions::default(), &mut sources).map_err(|f| f.render(false))?;
    let run = &out.backtest.run;
    Ok(Rotor {
        days: run.days.iter().map(|d| rotor::civil::iso(*d)).collect(),
        equity: run.equity.to_vec(),
        flows: run.flows.to_vec(),
        closing: match run.closing.len() {
            0 => vec![0.0; run.flows.len()],
            _ => run.closing.to_vec(),
        },
        twr: out.report.metrics.twr,
        drawdown: out.report.metrics.max_drawdown.depth,
        trades: run
            .trades
            .iter()
            .map(|t| FillRow {
                date: t.date.to_string(),
                symbol: t.symbol.to_string(),
                buy: t.side == "buy",
                shares: t.shares,
                price: t.price,
                value: t.value,
                fee: t.fee,
                rule: t.rule,
            })
            .collect(),
        cash: run.cash,
        holdings: run.holdings.iter().map(|(s, q, _)| (s.clone(), *q)).collect(),
        benchmark: out.backtest.benchmark.as_ref().map(|(_, b)| b.equity.to_vec()),
    })
}

pub fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

/// The first difference between rotor and the reference, in words.
pub fn compare(rotor: &Rotor, reference: &Outcome) -> Result<(), String> {
    let days: Vec<String> = reference.days.iter().map(|d| d.to_string()).collect();
    if rotor.days != days {
        return Err(format!(
            "trading days differ:\n rotor     {:?}\n reference {:?}",
            rotor.days, days
        ));
    }
    let mut ours = rotor.trades.clone();
    let mut theirs: Vec<FillRow> = reference
        .fills
        .iter()
        .map(|f| FillRow {
            date: f.date.to_string(),
            symbol: f.symbol.name().to_string(),
            buy: f.buy,
            shares: f.shares,
            price: f.price,
            value: f.value,
            fee: f.fee,
            rule: f.rule,
        })
        .collect();
    ours.sort_by_key(FillRow::key);
    theirs.sort_by_key(FillRow::key);
    for (i, (a, b)) in ours.iter().zip(&theirs).enumerate() {
        if !a.same_as(b) {
            let around = |list: &[FillRow]| {
                list[i.saturating_sub(4)..(i + 3).min(list.len())]
                    .iter()
                    .map(|t| format!("  {t:?}"))
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            return Err(format!(
                "fill {i} differs:\n rotor     {a:?}\n reference {b:?}\nrotor's fills around it:\n{}\nthe reference's:\n{}",
                around(&ours),
                around(&theirs)
            ));
        }
    }
    if ours.len() != theirs.len() {
        let n = ours.len().min(theirs.len());
        return Err(format!(
            "{} fills in rotor, {} in the reference; the first extra: {:?}",
            ours.len(),
            theirs.len(),
            ours.get(n).or(theirs.get(n))
        ));
    }
    for (t, day) in days.iter().enumerate() {
        if !close(rotor.flows[t], reference.flows[t]) {
            return Err(format!(
                "flow on {day}: rotor {} reference {}",
                rotor.flows[t], reference.flows[t]
            ));
        }
        if !close(rotor.equity[t], reference.equity[t]) {
            return Err(format!(
                "equity on {day}: rotor {} reference {}",
                rotor.equity[t], reference.equity[t]
            ));
        }
        if !close(rotor.closing[t], reference.closing[t]) {
            return Err(format!(
                "flow at the close on {day}: rotor {} reference {}",
                rotor.closing[t], reference.closing[t]
            ));
        }
    }
    // The time-weighted figures, compounded over every day: to 1e-8 of the value index.
    let (twr, depth) = reference.twr();
    let index_close = |a: f64, b: f64| (a - b).abs() <= 1e-8 * a.abs().max(b.abs()).max(1.0);
    let agrees = match rotor.twr {
        Some(r) => index_close(1.0 + r, 1.0 + twr),
        // No money ever came in: no return to speak of.
        None => !reference.flows.iter().any(|f| *f > 0.0),
    };
    if !agrees || !index_close(rotor.drawdown, depth) {
        return Err(format!(
            "time-weighted return: rotor {:?} (max drawdown {}) reference {twr} ({depth})",
            rotor.twr, rotor.drawdown
        ));
    }
    if !close(rotor.cash, reference.cash) {
        return Err(format!("final cash: rotor {} reference {}", rotor.cash, reference.cash));
    }
    for sym in Sym::ALL {
        let held = |list: &[(String, f64)]| list.iter().find(|(s, _)| s == sym.name()).map_or(0.0, |(_, q)| *q);
        let theirs: Vec<(String, f64)> = reference
            .holdings
            .iter()
            .map(|(s, q)| (s.name().to_string(), *q))
            .collect();
        if !close(held(&rotor.holdings), held(&theirs)) {
            return Err(format!(
                "final shares of {}: rotor {} reference {}",
                sym.name(),
                held(&rotor.holdings),
                held(&theirs)
            ));
        }
    }
    match (&rotor.benchmark, &reference.benchmark) {
        (None, None) => {}
        (Some(a), Some(b)) => {
            for (t, day) in days.iter().enumerate() {
                if !close(a[t], b[t]) {
                    return Err(format!("benchmark equity on {day}: rotor {} reference {}", a[t], b[t]));
                }
            }
        }
        _ => return Err("a benchmark in one run only".into()),
    }
    Ok(())
}

/// No look-ahead: rotor on the data cut after `cut` makes the same fills and has the same
/// equity up to `cut` as on the whole data.
pub fn causal(full: &Rotor, cut_market: &Market, text: &str, cut: chrono::NaiveDate) -> Result<(), String> {
    let dir = super::temp_dir("properties-cut");
    cut_market.write(&dir).map_err(|e| e.to_string())?;
    let path = dir.join("s.rotor");
    std::fs::write(&path, text).map_err(|e| e.to_string())?;
    let part = run_rotor(&path).map_err(|e| format!("rotor refused the cut data:\n{e}"))?;
    let _ = std::fs::remove_dir_all(&dir);
    let cut = cut.to_string();
    let before = |r: &Rotor| -> Vec<FillRow> { r.trades.iter().filter(|t| t.date <= cut).cloned().collect() };
    let (a, b) = (before(full), before(&part));
    if a.len() != b.len() || a.iter().zip(&b).any(|(x, y)| !x.same_as(y)) {
        return Err(format!(
            "fills up to {cut} change when the data ends there:\n {a:?}\n {b:?}"
        ));
    }
    for (t, day) in part.days.iter().enumerate() {
        if full.days.get(t) != Some(day) || full.equity[t] != part.equity[t] {
            return Err(format!("equity on {day} changes when the data ends on {cut}"));
        }
    }
    Ok(())
}
