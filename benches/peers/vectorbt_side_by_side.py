#!/usr/bin/env python3
"""The speed issue's workloads in vectorbt, for the side-by-side table in docs/PERFORMANCE.md.

Not part of `cargo test` or CI. Needs Python 3 with vectorbt (`pip install vectorbt`, which
brings pandas, numpy and numba) and the data files `scripts/measure` writes:

    cargo run --release --example make_minute_data -- /tmp/bars/MIN.csv
    cargo run --release --example make_minute_data -- /tmp/bars/big/MIN.csv 700000
    cargo run --release --example make_daily_data -- /tmp/bars/tickers.csv
    python3 benches/peers/vectorbt_side_by_side.py --bars /tmp/bars

Each workload runs the rule of benches/*.rotor: hold the symbol while its close is above
its N-bar simple moving average, sell when the close crosses below it, starting with 10,000
USD. vectorbt fills at the signal bar's close; rotor (by default) at the next bar's open, so
the two agree on the work done, not to the cent. Like the issue's first table, vectorbt is
timed with the data already in memory (pandas' CSV read is listed on its own) and after a
warm-up run that compiles its numba kernels; the figures are the median of `--repeat` runs,
CPU time of this process (both cores count) and wall time.
"""

import argparse
import os
import statistics
import sys
import time

import numpy as np
import pandas as pd
import vectorbt as vbt

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
ETF = os.path.join(ROOT, "examples", "data", "etf_daily.csv")
WINDOWS = list(range(20, 251, 10))  # --vary window=20:250:10: 24 windows
SIX = ["IWM", "IWO", "IWN", "SPMD", "VTWG", "SPY"]
DAILY = 252
MINUTE = 390 * 252


def closes(path, price="adj_close"):
    """Closes by date (rows) and symbol (columns) from rotor's long layout, adjusted where the
    file has an adjusted close (as rotor reads it)."""
    frame = pd.read_csv(path, parse_dates=["date"])
    column = price if price in frame.columns else "close"
    return frame.pivot(index="date", columns="symbol", values=column).sort_index()


def one_symbol(path):
    frame = pd.read_csv(path, parse_dates=["date"], index_col="date")
    return frame["close"]


def trend(close, windows, freq_per_year):
    """The trend rule for every (window, symbol) column at once; returns the Sharpe ratios."""
    ma = vbt.MA.run(close, window=windows, short_name="sma")
    above = ma.close_above(ma)
    below = ma.close_crossed_below(ma)
    pf = vbt.Portfolio.from_signals(close, above, below, init_cash=10_000, freq="1D")
    returns = pf.returns()
    return returns.mean() / returns.std() * np.sqrt(freq_per_year)


def timed(work, repeat):
    """Median CPU and wall seconds of `repeat` runs of `work`, after one warm-up run."""
    work()
    cpu, wall = [], []
    for _ in range(repeat):
        c0, w0 = time.process_time(), time.perf_counter()
        work()
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - w0)
    return statistics.median(cpu), statistics.median(wall)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bars", default="/tmp/bars", help="folder of MIN.csv, big/MIN.csv, tickers.csv")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    etf = closes(ETF)
    tickers = closes(os.path.join(args.bars, "tickers.csv"))
    minute = one_symbol(os.path.join(args.bars, "MIN.csv"))
    big = os.path.join(args.bars, "big", "MIN.csv")

    workloads = [
        ("one trend backtest, 20 years daily (IWM, SMA 200)", lambda: trend(etf[["IWM"]], [200], DAILY)),
        ("144-variant sweep (6 symbols x 24 windows)", lambda: trend(etf[SIX], WINDOWS, DAILY)),
        ("1,200-variant sweep (50 tickers x 24 windows)", lambda: trend(tickers, WINDOWS, DAILY)),
        ("trend rule every bar, 500,000 one-minute bars", lambda: trend(minute.to_frame("MIN"), [200], MINUTE)),
        ("pandas.read_csv of the 35 MB minute file", lambda: pd.read_csv(big, parse_dates=["date"])),
    ]
    print(f"vectorbt {vbt.__version__}, pandas {pd.__version__}, numpy {np.__version__}, "
          f"Python {sys.version.split()[0]}; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"| workload | vectorbt CPU (ms) | vectorbt wall (ms) |")
    print(f"|---|---|---|")
    for name, work in workloads:
        cpu, wall = timed(work, args.repeat)
        print(f"| {name} | {cpu * 1e3:.0f} | {wall * 1e3:.0f} |")


if __name__ == "__main__":
    main()
