//! `cargo bench`: parsing, loading, a 20-year run, and a rhai indicator against the same
//! indicator built in. Figures and the machine are written down in docs/PERFORMANCE.md.

use std::hint::black_box;
use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use rotor::engine::Period;
use rotor::pipeline::{self, LoadedData};
use rotor::script::{Arg, CallContext, Scripts, SeriesView};
use rotor::source::{SourceMap, Span};

/// A strategy text checked against the bundled data, ready to run.
fn prepare(text: &str, data: &LoadedData) -> (rotor::check::Strategy, Option<Arc<Scripts>>, SourceMap) {
    let mut sources = SourceMap::new();
    let file = sources.add(
        "bench.rotor",
        Some(std::path::PathBuf::from("strategies/bench.rotor")),
        text.to_string(),
    );
    let ast = pipeline::parse(&file, &sources).expect("parses");
    let scripts = pipeline::load_scripts(&ast, &file.dir(), &mut sources).expect("scripts load");
    let strategy =
        pipeline::check(&ast, Some(&pipeline::catalog(&data.data)), scripts.as_deref(), &sources).expect("checks");
    (strategy, scripts, sources)
}

fn benches(c: &mut Criterion) {
    let data = LoadedData {
        data: rotor::data::bundled().expect("bundled data"),
        sources: Vec::new(),
        bundled: true,
    };

    let line = "buy IWO monthly while fed_cut_prob > 0.8 and sma(IWO, 50 days) > sma(IWO, 200 days)\n";
    let thousand = line.repeat(1000);
    c.bench_function("parse a 1,000-line strategy", |b| {
        b.iter(|| {
            let mut sources = SourceMap::new();
            let file = sources.add("big.rotor", None, thousand.clone());
            black_box(rotor::syntax::parse_file(&file))
        })
    });

    c.bench_function("load 21 years x 6 symbols + 6 series (bundled CSV)", |b| {
        b.iter(|| black_box(rotor::data::bundled().expect("loads")))
    });

    let trend = "capital 10000 USD\nbuy IWM daily while close(IWM) > sma(IWM, 200)\nsell all IWM when close(IWM) crosses below sma(IWM, 200)\n";
    let (strategy, _, _) = prepare(trend, &data);
    c.bench_function("20-year daily backtest, 200-day SMA trend filter", |b| {
        b.iter(|| black_box(rotor::engine::backtest(&strategy, &data.data, Period::default(), None).expect("runs")))
    });

    let builtin = "capital 10000 USD\nbuy IWO daily while return(IWO, 90) > 0\nsell all IWO when return(IWO, 90) < 0\n";
    let scripted = "use \"../examples/indicators/momentum.rhai\"\ncapital 10000 USD\nbuy IWO daily while momentum(IWO, 90) > 0\nsell all IWO when momentum(IWO, 90) < 0\n";
    let (s1, _, _) = prepare(builtin, &data);
    let (s2, scripts, _) = prepare(scripted, &data);
    c.bench_function("momentum daily for 21 years, built in (return)", |b| {
        b.iter(|| black_box(rotor::engine::backtest(&s1, &data.data, Period::default(), None).expect("runs")))
    });
    c.bench_function("momentum daily for 21 years, rhai (momentum.rhai)", |b| {
        b.iter(|| {
            black_box(rotor::engine::backtest(&s2, &data.data, Period::default(), scripts.as_ref()).expect("runs"))
        })
    });

    let scripts = scripts.expect("the scripted strategy uses a script");
    let column: Arc<[f64]> = (0..5000).map(|i| 100.0 + i as f64 * 0.01).collect::<Vec<_>>().into();
    let view = SeriesView::new(column, 4000);
    let index = scripts
        .functions()
        .iter()
        .position(|f| f.name == "momentum")
        .expect("defined");
    c.bench_function("one rhai call: momentum(prices, 90)", |b| {
        let ctx = CallContext {
            call_span: Span::default(),
            date: "2024-01-02",
        };
        b.iter(|| {
            black_box(
                scripts
                    .call(index, &[Arg::Series(&view), Arg::Number(90.0)], &ctx)
                    .expect("ok"),
            )
        })
    });
}

criterion_group! {
    name = backtest;
    config = Criterion::default().sample_size(20);
    targets = benches
}
criterion_main!(backtest);
