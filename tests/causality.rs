//! No look-ahead: for every strategy in strategies/ and examples/, a run on the full data
//! and a run on data cut at a date D make identical trades and have identical values
//! before D.

mod common;

use std::sync::Arc;

use rotor::data::{DataSet, LoadedData};
use rotor::engine::{Period, day_of, days_of};
use rotor::pipeline::{self, Load, RunOptions};
use rotor::script::Budget;
use rotor::source::SourceMap;

/// The data with every row after `cut` removed.
fn cut(data: &DataSet, cut: chrono::NaiveDate) -> DataSet {
    let last = days_of(cut);
    let mut out = data.clone();
    for p in &mut out.prices {
        let n = p.ts.iter().take_while(|&&t| day_of(t) <= last).count();
        p.ts.to_mut().truncate(n);
        p.open.to_mut().truncate(n);
        p.high.to_mut().truncate(n);
        p.low.to_mut().truncate(n);
        p.close.to_mut().truncate(n);
        if let Some(a) = &mut p.adj_close {
            a.to_mut().truncate(n);
        }
        if let Some(v) = &mut p.volume {
            v.to_mut().truncate(n);
        }
    }
    for s in &mut out.series {
        let n = s.ts.iter().take_while(|&&t| day_of(t) <= last).count();
        s.ts.truncate(n);
        s.values.truncate(n);
    }
    out
}

/// This test is about look-ahead, not the scripts' budget, whose wall time a loaded machine
/// and a debug build stretch (tests/safety/scripts.rs tests the budget).
fn budget() -> Budget {
    Budget {
        time: std::time::Duration::from_secs(3600),
        ..Budget::default()
    }
}

#[test]
fn every_strategy_is_causal() {
    let mut paths: Vec<_> = ["strategies", "strategies/cookbook", "examples"]
        .iter()
        .flat_map(|dir| std::fs::read_dir(common::root().join(dir)).expect("a folder of strategies"))
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "rotor"))
        .collect();
    paths.sort();
    let cuts = ["2009-03-09", "2016-06-24", "2020-03-16", "2024-09-18"];
    for path in paths {
        let mut sources = SourceMap::new();
        let file = pipeline::read(&path, &mut sources).expect("readable");
        let everything = RunOptions {
            load: Load::All,
            budget: budget(),
            ..RunOptions::default()
        };
        let prepared = pipeline::prepare(&file, &everything, &mut sources).expect("data loads");
        let strategy = pipeline::check(&prepared, &sources).expect("checks");
        let full = prepared.data.clone().expect("data loaded");
        let whole = pipeline::run(&prepared, strategy.clone(), Period::default(), &sources).expect("runs on full data");
        for d in cuts {
            let d: chrono::NaiveDate = d.parse().expect("date");
            let truncated = LoadedData {
                data: cut(&full.data, d),
                sources: full.sources.clone(),
                bundled: full.bundled,
            };
            let options = RunOptions {
                load: Load::Loaded(Arc::new(truncated)),
                budget: budget(),
                ..RunOptions::default()
            };
            let part = pipeline::prepare(&file, &options, &mut sources).expect("prepares");
            let Ok(part) = pipeline::run(&part, strategy.clone(), Period::default(), &sources) else {
                continue; // the strategy's period starts after the cut
            };
            let limit = days_of(d);
            let before = |days: &[i32]| days.iter().take_while(|&&x| x < limit).count();
            let n = before(&part.backtest.run.days);
            assert!(n > 0 || part.backtest.run.days.is_empty());
            assert_eq!(
                &whole.backtest.run.days[..n],
                &part.backtest.run.days[..n],
                "{}: calendars differ before {d}",
                path.display()
            );
            assert_eq!(
                &whole.backtest.run.equity[..n],
                &part.backtest.run.equity[..n],
                "{}: equity differs before {d}",
                path.display()
            );
            // Each sleeve's own curve too (docs/LANGUAGE.md, "Sleeves").
            for (w, p) in whole.backtest.run.sleeves.iter().zip(&part.backtest.run.sleeves) {
                assert_eq!(
                    &w.equity[..n],
                    &p.equity[..n],
                    "{}: sleeve {:?} differs before {d}",
                    path.display(),
                    w.name
                );
            }
            let trades_before = |out: &pipeline::RunOutput| {
                out.report
                    .trades
                    .iter()
                    .filter(|t| t.date.as_str() < d.to_string().as_str())
                    .cloned()
                    .collect::<Vec<_>>()
            };
            assert_eq!(
                trades_before(&whole),
                trades_before(&part),
                "{}: trades differ before {d}",
                path.display()
            );
        }
    }
}
