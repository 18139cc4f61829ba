//! `cargo bench`: parsing, loading, a 20-year run, a rhai indicator against the same
//! indicator built in, the 144-variant sweep, the 1,200-variant sweep over 50 tickers,
//! 500,000 one-minute bars (the trend rule daily and on every bar), loading a 35 MB minute
//! file, and how run time grows with bars, symbols and variants (issues 7 and 19). Figures and the machine are written down in
//! docs/PERFORMANCE.md; `scripts/measure` times the same work as whole processes.

#[path = "support/minute_data.rs"]
mod minute_data;

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use criterion::{BenchmarkId, Criterion, SamplingMode, Throughput};
use rotor::data::LoadedData;
use rotor::engine::Period;
use rotor::pipeline::{self, Load, RunOptions};
use rotor::script::{Arg, CallContext, Scripts, SeriesView};
use rotor::source::{SourceMap, Span};
use rotor::sweep::{Grid, Outcome, Sweeper};

/// A strategy text checked against the bundled data, ready to run.
fn prepare(text: &str, data: &Arc<LoadedData>) -> (rotor::check::Program, Option<Arc<Scripts>>, SourceMap) {
    let mut sources = SourceMap::new();
    let file = sources.add(
        "bench.rotor",
        Some(std::path::PathBuf::from("strategies/bench.rotor")),
        text.to_string(),
    );
    let options = RunOptions {
        load: Load::Loaded(data.clone()),
        ..RunOptions::default()
    };
    let prepared = pipeline::prepare(&file, &options, &mut sources).expect("scripts load");
    let strategy = pipeline::check(&prepared, &sources).expect("checks");
    (strategy, prepared.scripts, sources)
}

fn benches(c: &mut Criterion) {
    let data = Arc::new(LoadedData {
        data: rotor::data::bundled().expect("bundled data"),
        sources: Vec::new(),
        bundled: true,
    });

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
    let scripted = "use \"indicators/momentum.rhai\"\ncapital 10000 USD\nbuy IWO daily while momentum(IWO, 90) > 0\nsell all IWO when momentum(IWO, 90) < 0\n";
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

/// The symbols of the bundled data, as `--vary sym=…` takes them.
const ALL_SYMBOLS: &str = "IWM,IWO,IWN,SPMD,VTWG,SPY";

/// The trend rule on one symbol, as in `benches/minute_trend.rotor`.
fn trend_rules(sym: &str) -> String {
    format!(
        "buy {sym} daily while close({sym}) > sma({sym}, 200)\nsell all {sym} when close({sym}) crosses below sma({sym}, 200)\n"
    )
}

/// A folder of generated files for this run of the benches, removed at the end.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Scratch {
        let dir = std::env::temp_dir().join(format!("rotor-bench-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("the temporary folder is writable");
        Scratch(dir)
    }

    /// `name` in the folder, written by `contents` the first time it is asked for, so a
    /// filtered `cargo bench -- parse` generates nothing.
    fn file(&self, name: &str, contents: impl FnOnce() -> String) -> PathBuf {
        let path = self.0.join(name);
        if !path.exists() {
            let dir = path.parent().expect("a file in the folder");
            std::fs::create_dir_all(dir).expect("the temporary folder is writable");
            std::fs::write(&path, contents()).expect("the temporary folder is writable");
        }
        path
    }

    /// `bars` one-minute bars of `MIN`, in a file named so the symbol is `MIN`.
    fn minute_bars(&self, bars: usize) -> PathBuf {
        self.file(&format!("bars-{bars}/MIN.csv"), || minute_data::minute_csv(bars))
    }

    /// Twenty years of daily bars of `tickers` tickers in one long-layout file.
    fn tickers(&self, tickers: usize) -> PathBuf {
        self.file(&format!("tickers-{tickers}.csv"), || {
            minute_data::daily_long_csv(tickers, minute_data::TWENTY_YEARS)
        })
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        // Best effort: a leftover folder in the temporary folder harms nothing.
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// `rotor run FILE --data DATA…`, end to end: read, parse, load, check, run, report.
fn run_file(strategy: &Path, data: &[PathBuf]) -> pipeline::RunOutput {
    let options = RunOptions {
        data: data.to_vec(),
        ..RunOptions::default()
    };
    pipeline::run_file(strategy, &options, &mut SourceMap::new()).expect("the strategy runs")
}

/// `rotor sweep FILE --vary SPEC…` on the bundled data, load included. The only call of
/// the sweeper in the benches, so a change of its signature is a one-line fix.
fn sweep(strategy: &Path, specs: &[&str], jobs: Option<usize>) -> Vec<Outcome> {
    let specs: Vec<String> = specs.iter().map(|s| s.to_string()).collect();
    let grid = Grid::parse(&specs).expect("the grid is well formed");
    // The values of the axes are names the variants read, as `rotor sweep` passes them.
    let values: Vec<String> = grid.axes.iter().flat_map(|a| a.values.iter().cloned()).collect();
    let sweeper = Sweeper::load(strategy, &Default::default(), &values).expect("the strategy loads");
    let indices: Vec<usize> = (0..grid.len()).collect();
    sweeper
        .run_many(&grid, &indices, Period::default(), jobs, false)
        .expect("every variant runs")
}

/// `rotor sweep FILE --data DATA --vary SPEC…`: [`sweep`] on data from a file.
fn sweep_data(strategy: &Path, data: &Path, specs: &[String], jobs: Option<usize>) -> Vec<Outcome> {
    let grid = Grid::parse(specs).expect("the grid is well formed");
    let values: Vec<String> = grid.axes.iter().flat_map(|a| a.values.iter().cloned()).collect();
    let options = RunOptions {
        data: vec![data.to_path_buf()],
        ..RunOptions::default()
    };
    let sweeper = Sweeper::load(strategy, &options, &values).expect("the strategy loads");
    let indices: Vec<usize> = (0..grid.len()).collect();
    sweeper
        .run_many(&grid, &indices, Period::default(), jobs, false)
        .expect("every variant runs")
}

/// A long-layout file of `symbols` symbols with `bars` bars each, and a strategy giving each
/// symbol the trend rules.
fn symbols_files(scratch: &Scratch, symbols: usize, bars: usize) -> (PathBuf, PathBuf) {
    let data = scratch.file(&format!("symbols-{symbols}.csv"), || {
        minute_data::long_csv(symbols, bars)
    });
    let strategy = scratch.file(&format!("symbols-{symbols}.rotor"), || {
        let rules: String = minute_data::long_symbols(symbols)
            .iter()
            .map(|s| trend_rules(s))
            .collect();
        format!("capital 10000 USD\n{rules}")
    });
    (data, strategy)
}

fn bench_file(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("benches").join(name)
}

/// The 144-variant sweep, on all cores and on one.
fn sweeps(c: &mut Criterion) {
    let strategy = bench_file("sweep_trend.rotor");
    let vary = ["window=20:250:10", &format!("sym={ALL_SYMBOLS}")];
    let mut group = c.benchmark_group("sweep 144 variants (24 windows x 6 symbols)");
    group.sample_size(10).sampling_mode(SamplingMode::Flat);
    group.throughput(Throughput::Elements(144));
    group.bench_function("all cores", |b| b.iter(|| black_box(sweep(&strategy, &vary, None))));
    group.bench_function("--jobs 1", |b| b.iter(|| black_box(sweep(&strategy, &vary, Some(1)))));
    group.finish();
}

/// The 1,200-variant sweep: 24 windows on each of 50 synthetic tickers, twenty years daily.
fn wide_sweep(c: &mut Criterion, scratch: &Scratch) {
    let strategy = bench_file("sweep_wide.rotor");
    let vary = [
        "window=20:250:10".to_string(),
        format!("sym={}", minute_data::tickers(50).join(",")),
    ];
    let mut group = c.benchmark_group("sweep 1,200 variants (24 windows x 50 tickers)");
    group.sample_size(10).sampling_mode(SamplingMode::Flat);
    group.throughput(Throughput::Elements(1_200));
    group.bench_function("all cores", |b| {
        let data = scratch.tickers(50);
        b.iter(|| black_box(sweep_data(&strategy, &data, &vary, None)))
    });
    group.finish();
}

/// The 500,000 one-minute bars, CSV load included: the trend rule once a day and on
/// every bar.
fn half_million(c: &mut Criterion, scratch: &Scratch) {
    let mut group = c.benchmark_group("500k one-minute bars, load + run");
    group.sample_size(10).sampling_mode(SamplingMode::Flat);
    group.throughput(Throughput::Elements(500_000));
    for (name, file) in [
        ("rotor run", "minute_trend.rotor"),
        ("every bar", "minute_every_bar.rotor"),
    ] {
        let strategy = bench_file(file);
        group.bench_function(name, |b| {
            let data = [scratch.minute_bars(500_000)];
            b.iter(|| black_box(run_file(&strategy, &data)))
        });
    }
    group.finish();
}

/// Loading a 35 MB file of 700,000 one-minute bars, every cell read (as `rotor check` does).
fn minute_load(c: &mut Criterion, scratch: &Scratch) {
    let mut group = c.benchmark_group("load a 35 MB minute file");
    group.sample_size(10).sampling_mode(SamplingMode::Flat);
    group.throughput(Throughput::Elements(700_000));
    group.bench_function("700k bars", |b| {
        let path = scratch.minute_bars(700_000);
        let options = rotor::data::LoadOptions::default();
        b.iter(|| black_box(rotor::data::load_path(&path, &options).expect("loads")))
    });
    group.finish();
}

/// How a whole run grows with bars, with symbols, and a sweep with variants.
fn growth(c: &mut Criterion, scratch: &Scratch) {
    let minute = bench_file("minute_trend.rotor");
    let mut group = c.benchmark_group("growth/bars");
    group.sample_size(10).sampling_mode(SamplingMode::Flat);
    for bars in [10_000, 50_000, 100_000, 500_000] {
        group.throughput(Throughput::Elements(bars as u64));
        group.bench_with_input(BenchmarkId::from_parameter(bars), &bars, |b, &bars| {
            let data = [scratch.minute_bars(bars)];
            b.iter(|| black_box(run_file(&minute, &data)))
        });
    }
    group.finish();

    // 50,000 bars of each symbol in one long-layout file; each symbol has the trend rule.
    const BARS: usize = 50_000;
    let mut group = c.benchmark_group("growth/symbols");
    group.sample_size(10).sampling_mode(SamplingMode::Flat);
    for symbols in [1, 2, 4, 8] {
        group.throughput(Throughput::Elements((symbols * BARS) as u64));
        group.bench_with_input(BenchmarkId::from_parameter(symbols), &symbols, |b, &symbols| {
            let (data, strategy) = symbols_files(scratch, symbols, BARS);
            b.iter(|| black_box(run_file(&strategy, std::slice::from_ref(&data))))
        });
    }
    group.finish();

    // The engine alone (data loaded and the strategy checked before timing): symbol-bars a
    // second, the figure the 50 million a second per core is about.
    let mut group = c.benchmark_group("engine/symbol-bars");
    group.sample_size(10).sampling_mode(SamplingMode::Flat);
    for symbols in [1, 8] {
        group.throughput(Throughput::Elements((symbols * BARS) as u64));
        let (data, strategy) = symbols_files(scratch, symbols, BARS);
        let mut sources = SourceMap::new();
        let file = pipeline::read(&strategy, &mut sources).expect("the strategy reads");
        let options = RunOptions {
            data: vec![data],
            ..RunOptions::default()
        };
        let prepared = pipeline::prepare(&file, &options, &mut sources).expect("the data loads");
        let strategy = pipeline::check(&prepared, &sources).expect("the strategy checks");
        let data = prepared.data.expect("loaded");
        group.bench_with_input(BenchmarkId::from_parameter(symbols), &strategy, |b, s| {
            b.iter(|| black_box(rotor::engine::backtest(s, &data.data, Period::default(), None).expect("runs")))
        });
    }
    group.finish();

    let strategy = bench_file("sweep_trend.rotor");
    let all = format!("sym={ALL_SYMBOLS}");
    let grids: [(u64, [&str; 2]); 4] = [
        (6, ["window=200", &all]),
        (24, ["window=20:250:10", "sym=IWM"]),
        (72, ["window=20:250:10", "sym=IWM,IWO,IWN"]),
        (144, ["window=20:250:10", &all]),
    ];
    let mut group = c.benchmark_group("growth/variants");
    group.sample_size(10).sampling_mode(SamplingMode::Flat);
    for (variants, vary) in grids {
        group.throughput(Throughput::Elements(variants));
        group.bench_with_input(BenchmarkId::from_parameter(variants), &vary, |b, vary| {
            b.iter(|| black_box(sweep(&strategy, vary, None)))
        });
    }
    group.finish();
}

// By hand rather than `criterion_main!`, so the generated files outlive every group and are
// removed after the last.
fn main() {
    let scratch = Scratch::new();
    let mut c = Criterion::default().sample_size(20).configure_from_args();
    benches(&mut c);
    sweeps(&mut c);
    wide_sweep(&mut c, &scratch);
    half_million(&mut c, &scratch);
    minute_load(&mut c, &scratch);
    growth(&mut c, &scratch);
    c.final_summary();
}
