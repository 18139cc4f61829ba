#!/usr/bin/env python3
"""Writes synthetic_funds.csv: three SYNTHETIC funds (not market data) for the cookbook's
stock/bond strategies, on the trading days of synthetic_index.csv.

- VTI: a stock fund, about 8% a year with 17% volatility, a crash in March 2020 and a
  bear market in 2022 (shaped, every day's number random);
- VEU: a second stock fund, correlated with VTI (0.8), lower drift;
- AGG: a bond fund priced from synthetic_irx.csv's bill rate: each day's return is the
  yield (the bill rate + 1 point) / 252 minus a duration of 6 times the yield's change,
  plus a little noise, so bonds fall when rates rise (2022) as bond funds do.

Deterministic: its own 64-bit generator (SplitMix64) and Box-Muller, so every run writes
the same bytes. The seed, 6, is the one of seeds 1 to 8 whose path ends nearest the shape of
2019-2024 (stocks about doubling, bonds flat after 2022); the numbers stay random. Run from this folder: `python3 make_funds.py`.
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


def rows(path):
    with open(path) as f:
        next(f)
        return [line.strip().split(",") for line in f if line.strip()]


def shock(date):
    """Extra daily drift of the stock funds in the shaped episodes."""
    if "2020-02-20" <= date <= "2020-03-23":
        return -0.012
    if "2020-03-24" <= date <= "2020-06-30":
        return 0.004
    if "2022-01-03" <= date <= "2022-10-14":
        return -0.0012
    return 0.0


def main():
    days = [r[0] for r in rows("synthetic_index.csv")]
    bill = {r[0]: float(r[4]) for r in rows("synthetic_irx.csv")}
    rng = SplitMix64(6)
    vti, veu, agg = 100.0, 50.0, 100.0
    last_yield = None
    out = ["date,symbol,open,high,low,close"]
    for day in days:
        z1, z2, z3 = rng.normal(), rng.normal(), rng.normal()
        z2 = 0.8 * z1 + 0.6 * z2
        y = (bill.get(day, 0.0) + 1.0) / 100.0
        dy = 0.0 if last_yield is None else y - last_yield
        last_yield = y
        moves = [
            ("VTI", 0.08 / 252 + shock(day) + 0.17 / math.sqrt(252) * z1),
            ("VEU", 0.05 / 252 + shock(day) + 0.16 / math.sqrt(252) * z2),
            ("AGG", y / 252 - 6.0 * dy + 0.02 / math.sqrt(252) * z3),
        ]
        prices = {"VTI": vti, "VEU": veu, "AGG": agg}
        for symbol, r in moves:
            open_ = prices[symbol]
            close = open_ * (1.0 + r)
            open_c, close_c = round(open_, 2), round(close, 2)
            hi, lo = max(open_c, close_c), min(open_c, close_c)
            out.append(f"{day},{symbol},{open_c:.2f},{hi:.2f},{lo:.2f},{close_c:.2f}")
            prices[symbol] = close
        vti, veu, agg = prices["VTI"], prices["VEU"], prices["AGG"]
    with open("synthetic_funds.csv", "w") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
