//! Differential property test: random strategies over random price and series files (gaps,
//! differing calendars, late starts, early ends), run by rotor and by the reference
//! backtester in tests/reference/, must agree on every trade, every day's flows and equity,
//! the final cash and holdings, and the benchmark's equity, to 1e-9. Each case also runs
//! rotor on the data cut at a day of the run: nothing before the cut may change.
//!
//! `ROTOR_PROPTEST_CASES=N` runs N cases (256 by default), `ROTOR_PROPTEST_SEED=S` draws
//! another set, `ROTOR_PROPTEST_ENABLE=…` switches on known divergences (see
//! tests/reference/features.rs and docs/REFERENCE.md).

mod common;
mod reference;

use std::cell::Cell;
use std::path::Path;
use std::time::Instant;

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};

use reference::features::Features;
use reference::generate;
use reference::market::{Market, MarketSpec};
use reference::model::{Model, Sym};
use reference::simulate::{Outcome, simulate};
use rotor::pipeline::{RunOptions, run_file};
use rotor::source::SourceMap;

/// What rotor reports, in the reference's terms. The one place that reads rotor's run
/// record, so a change of the engine's types is fixed here only.
/// A fill as both sides report it.
#[derive(Clone, Debug)]
struct FillRow {
    date: String,
    symbol: String,
    buy: bool,
    shares: f64,
    price: f64,
    value: f64,
    fee: f64,
    rule: usize,
}

impl FillRow {
    fn key(&self) -> (String, usize, String, bool) {
        (self.date.clone(), self.rule, self.symbol.clone(), self.buy)
    }

    fn same_as(&self, o: &FillRow) -> bool {
        self.key() == o.key()
            && close(self.shares, o.shares)
            && close(self.price, o.price)
            && close(self.value, o.value)
            && close(self.fee, o.fee)
    }
}

struct Rotor {
    days: Vec<String>,
    equity: Vec<f64>,
    flows: Vec<f64>,
    trades: Vec<FillRow>,
    cash: f64,
    holdings: Vec<(String, f64)>,
    benchmark: Option<Vec<f64>>,
}

fn run_rotor(path: &Path) -> Result<Rotor, String> {
    let mut sources = SourceMap::new();
    let out = run_file(path, &RunOptions::default(), &mut sources).map_err(|f| f.render(false))?;
    let run = &out.backtest.run;
    Ok(Rotor {
        days: run.days.iter().map(|d| rotor::civil::iso(*d)).collect(),
        equity: run.equity.clone(),
        flows: run.flows.clone(),
        trades: run
            .trades
            .iter()
            .map(|t| FillRow {
                date: t.date.clone(),
                symbol: t.symbol.clone(),
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
        benchmark: out.backtest.benchmark.as_ref().map(|(_, b)| b.equity.clone()),
    })
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

/// The first difference between rotor and the reference, in words.
fn compare(rotor: &Rotor, reference: &Outcome) -> Result<(), String> {
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
fn causal(full: &Rotor, cut_market: &Market, text: &str, cut: chrono::NaiveDate) -> Result<(), String> {
    let dir = common::temp_dir("properties-cut");
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

/// What a case compared.
enum Checked {
    /// Agreed, with this many fills.
    Agreed(usize),
    /// Differed only where a condition was decided by less than rounding.
    Fragile,
}

/// One case: writes the data and the strategy, runs both, compares.
fn check_case(spec: MarketSpec, mut model: Model, features: &Features) -> Result<Checked, TestCaseError> {
    features.restrict(&mut model);
    let market = Market::generate(spec);
    let dir = common::temp_dir("properties");
    market.write(&dir).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let text = model.render("prices.csv", "series.csv");
    let path = dir.join("s.rotor");
    std::fs::write(&path, &text).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let rotor = run_rotor(&path).map_err(|e| TestCaseError::fail(format!("rotor refused:\n{e}\n{text}")))?;
    let reference = simulate(&model, &market, features.minimums());
    // A cut after every symbol's and series' first row, so the cut data has all the names.
    let starts = market.prices.values().filter_map(|h| h.keys().next());
    let earliest = starts
        .chain(market.series.values().filter_map(|o| o.first().map(|(d, _)| d)))
        .max();
    let cuts: Vec<_> = reference.days.iter().filter(|d| Some(*d) >= earliest).collect();
    let result = compare(&rotor, &reference).and_then(|()| match cuts.len() {
        0 => Ok(()),
        n => {
            let cut = *cuts[(spec.seed % n as u64) as usize];
            causal(&rotor, &market.cut(cut), &text, cut)
        }
    });
    match result {
        Ok(()) => {
            let _ = std::fs::remove_dir_all(&dir);
            Ok(Checked::Agreed(reference.fills.len()))
        }
        Err(_) if reference.fragile => {
            let _ = std::fs::remove_dir_all(&dir);
            Ok(Checked::Fragile)
        }
        Err(why) => Err(TestCaseError::fail(format!(
            "{why}\n--- strategy (data in {}) ---\n{text}",
            dir.display()
        ))),
    }
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

#[test]
fn rotor_agrees_with_the_reference() {
    let cases = env_number("ROTOR_PROPTEST_CASES", 256) as u32;
    let seed = env_number("ROTOR_PROPTEST_SEED", 12);
    let features = Features::from_env();
    let mut seed_bytes = [0u8; 32];
    seed_bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    let mut runner = TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &seed_bytes));
    let (fragile, fills, active) = (Cell::new(0u32), Cell::new(0usize), Cell::new(0u32));
    let started = Instant::now();
    let strategy = generate::market_spec().prop_flat_map(|spec| (Just(spec), generate::model(spec)));
    let result = runner.run(&strategy, |(spec, model)| {
        match check_case(spec, model, &features)? {
            Checked::Agreed(n) => {
                fills.set(fills.get() + n);
                active.set(active.get() + u32::from(n > 0));
            }
            Checked::Fragile => fragile.set(fragile.get() + 1),
        }
        Ok(())
    });
    eprintln!(
        "{cases} cases in {:.1} s: {} with fills, {} fills in all; {} decided by rounding, not compared",
        started.elapsed().as_secs_f64(),
        active.get(),
        fills.get(),
        fragile.get()
    );
    if let Err(e) = result {
        panic!("{e}");
    }
}
