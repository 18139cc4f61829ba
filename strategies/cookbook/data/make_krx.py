#!/usr/bin/env python3
"""Writes synthetic_krx.csv and synthetic_usdkrw.csv: SYNTHETIC data (not market data) for
the cookbook's won-listing strategy, on the trading days of synthetic_index.csv.

- usdkrw (synthetic_usdkrw.csv, `Date,Value`): won per dollar, a random walk from 1,120
  with 7% yearly volatility, pulled back towards 1,200 (so it stays between about 1,000
  and 1,450 as the rate did in 2019-2024);
- IWO: a US small-cap fund in dollars, about 7% a year with 22% volatility;
- 360750.KS: a fund listed in Korea that holds US large caps, priced in won: a US index in
  dollars (about 9% a year, 17% volatility, correlated 0.8 with IWO) times the day's
  usdkrw, divided by 10, so a won investor in it carries the dollar's moves.

Deterministic: its own 64-bit generator (SplitMix64, as make_funds.py) and Box-Muller, so
every run writes the same bytes; seed 11. Run from this folder: `python3 make_krx.py`.
"""

import math

MASK = (1 << 64) - 1


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def uniform(self):
        return ((self.next() >> 11) + 0.5) / float(1 << 53)

    def normal(self):
        u, v = self.uniform(), self.uniform()
        return math.sqrt(-2.0 * math.log(u)) * math.cos(2.0 * math.pi * v)


def dates(path):
    with open(path) as f:
        next(f)
        return [line.split(",")[0] for line in f if line.strip()]


def main():
    rng = SplitMix64(11)
    days = dates("synthetic_index.csv")
    rate, iwo, us = 1120.0, 180.0, 100.0
    krx, rates = [], []
    for day in days:
        a, b = rng.normal(), rng.normal()
        r_iwo = 0.07 / 252 + 0.22 / math.sqrt(252) * a
        r_us = 0.09 / 252 + 0.17 / math.sqrt(252) * (0.8 * a + 0.6 * b)
        rate *= math.exp(0.07 / math.sqrt(252) * rng.normal() + 0.002 * math.log(1200.0 / rate))
        iwo_open, us_open = iwo, us
        iwo *= math.exp(r_iwo)
        us *= math.exp(r_us)
        fund_open, fund = us_open * rate / 10.0, us * rate / 10.0
        krx.append(f"{day},IWO,{iwo_open:.2f},{max(iwo_open, iwo):.2f},{min(iwo_open, iwo):.2f},{iwo:.2f}")
        krx.append(
            f"{day},360750.KS,{fund_open:.0f},{max(fund_open, fund):.0f},{min(fund_open, fund):.0f},{fund:.0f}"
        )
        rates.append(f"{day},{rate:.2f}")
    with open("synthetic_krx.csv", "w") as f:
        f.write("date,symbol,open,high,low,close\n" + "\n".join(krx) + "\n")
    with open("synthetic_usdkrw.csv", "w") as f:
        f.write("Date,Value\n" + "\n".join(rates) + "\n")


if __name__ == "__main__":
    main()
