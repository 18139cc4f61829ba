//! Differential property test: random strategies over random price and series files (gaps,
//! differing calendars, late starts, early ends), run by rotor and by the reference
//! backtester in tests/reference/, must agree on every trade, every day's flows (and the
//! part of them at the close) and equity, the final cash and holdings, and the benchmark's
//! equity, to 1e-9, and on the time-weighted return and max drawdown to 1e-8. Each case also runs
//! rotor on the data cut at a day of the run: nothing before the cut may change.
//!
//! `ROTOR_PROPTEST_CASES=N` runs N cases (256 by default), `ROTOR_PROPTEST_SEED=S` draws
//! another set, `ROTOR_PROPTEST_ENABLE=…` switches on known divergences (see
//! tests/reference/features.rs and docs/REFERENCE.md).

mod reference;

use std::cell::Cell;
use std::time::Instant;

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};

use reference::compare::{causal, compare, run_rotor};
use reference::features::Features;
use reference::generate;
use reference::market::{Market, MarketSpec};
use reference::model::Model;
use reference::simulate::simulate;

/// What rotor reports, in the reference's terms. The one place that reads rotor's run
/// record, so a change of the engine's types is fixed here only.
/// What a case compared.
enum Checked {
    /// Agreed, with this many fills, of which this many `delisted sell` sales and this many
    /// sales by exits; whether the strategy had a sleeve; and whether a rule had exits
    /// (`with stop loss …`), and whether it withdrew money.
    Agreed(usize, usize, usize, bool, bool, bool),
    /// Differed only where a condition was decided by less than rounding.
    Fragile,
}

/// One case: writes the data and the strategy, runs both, compares.
fn check_case(spec: MarketSpec, mut model: Model, features: &Features) -> Result<Checked, TestCaseError> {
    features.restrict(&mut model);
    let market = Market::generate(spec);
    let dir = reference::temp_dir("properties");
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
            let no_rule = reference.fills.iter().filter(|f| f.rule == 0 && !f.buy).count();
            Ok(Checked::Agreed(
                reference.fills.len(),
                no_rule - reference.exits,
                reference.exits,
                model.sleeve.is_some(),
                model.rules.iter().any(|r| !r.exits.is_empty()),
                reference.closing.iter().any(|c| *c < 0.0),
            ))
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
    let (delisted, exits, sleeves) = (Cell::new(0usize), Cell::new(0usize), Cell::new(0u32));
    let (rule_exits, withdrew) = (Cell::new(0u32), Cell::new(0u32));
    let started = Instant::now();
    let strategy = generate::market_spec().prop_flat_map(|spec| (Just(spec), generate::model(spec)));
    let result = runner.run(&strategy, |(spec, model)| {
        match check_case(spec, model, &features)? {
            Checked::Agreed(n, sales, exit_sales, sleeve, with_exits, withdrawal) => {
                withdrew.set(withdrew.get() + u32::from(withdrawal));
                sleeves.set(sleeves.get() + u32::from(sleeve));
                rule_exits.set(rule_exits.get() + u32::from(with_exits));
                fills.set(fills.get() + n);
                delisted.set(delisted.get() + sales);
                exits.set(exits.get() + exit_sales);
                active.set(active.get() + u32::from(n > 0));
            }
            Checked::Fragile => fragile.set(fragile.get() + 1),
        }
        Ok(())
    });
    eprintln!(
        "{cases} cases in {:.1} s: {} with fills, {} with a sleeve, {} fills in all ({} `delisted sell` sales, {} by exits); {} with exits on a rule; {} with withdrawals paid; {} decided by rounding, not compared",
        started.elapsed().as_secs_f64(),
        active.get(),
        sleeves.get(),
        fills.get(),
        delisted.get(),
        exits.get(),
        rule_exits.get(),
        withdrew.get(),
        fragile.get()
    );
    if let Err(e) = result {
        panic!("{e}");
    }
}
