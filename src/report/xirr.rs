//! Money-weighted return: the internal rate of return of dated cash flows (XIRR).

/// Days in the discount exponent's year, as in the spreadsheet `XIRR` function.
const DAYS_PER_YEAR: f64 = 365.0;

/// The rate Newton's method starts from, as in the spreadsheet `XIRR` function.
const FIRST_GUESS: f64 = 0.1;

/// Newton steps before giving up and bisecting instead.
const NEWTON_STEPS: usize = 60;

/// Lowest and highest rate the bisection searches (-99.99% to +100,000,000%).
const LOWEST_RATE: f64 = -0.9999;
const HIGHEST_RATE: f64 = 1e6;

/// Points at which the bisection looks for a sign change between the two ends; enough that
/// two roots of a realistic flow pattern do not hide between neighbours.
const GRID_POINTS: usize = 400;

/// The internal rate of return of dated cash flows, as an annual fraction (0.1 = 10%).
///
/// `flows` are `(day, amount)` pairs: days since 1970-01-01, amounts from the investor's point
/// of view (negative = money paid in, positive = money received). Their order does not matter
/// and several may share a day.
///
/// The rate r solves Σ CF_i·(1+r)^(-(d_i-d_0)/365) = 0, where d_0 is the earliest day.
/// Newton's method from 10% is tried first; if it fails to converge, the rate is found by
/// bisection on the first sign change nearest 0% between -99.99% and +1e6 (100,000,000%).
///
/// `None` when there is no solution: fewer than one payment in and one out, a non-finite
/// amount, every flow on the same day (no time passes, so no rate), or no sign change of the
/// net present value anywhere in the search range.
pub fn xirr(flows: &[(i32, f64)]) -> Option<f64> {
    if flows.iter().any(|&(_, amount)| !amount.is_finite())
        || !flows.iter().any(|&(_, amount)| amount > 0.0)
        || !flows.iter().any(|&(_, amount)| amount < 0.0)
    {
        return None;
    }
    let first = flows.iter().map(|&(day, _)| day).min()?;
    let last = flows.iter().map(|&(day, _)| day).max()?;
    if first == last {
        return None;
    }
    let cash: Vec<(f64, f64)> = flows
        .iter()
        .map(|&(day, amount)| ((f64::from(day) - f64::from(first)) / DAYS_PER_YEAR, amount))
        .collect();
    newton(&cash).or_else(|| bisection(&cash))
}

/// Net present value at `rate` of `(years, amount)` flows, its derivative with respect to the
/// rate, and the sum of the discounted amounts' magnitudes (the scale for "close to zero").
fn npv(cash: &[(f64, f64)], rate: f64) -> (f64, f64, f64) {
    let growth = 1.0 + rate;
    cash.iter()
        .fold((0.0, 0.0, 0.0), |(value, slope, scale), &(years, amount)| {
            let discounted = amount * growth.powf(-years);
            (
                value + discounted,
                slope - years * discounted / growth,
                scale + discounted.abs(),
            )
        })
}

/// Newton's method on the rate; `None` when it leaves the domain (rate ≤ -100%), overflows,
/// meets a flat spot, or does not settle within [`NEWTON_STEPS`].
fn newton(cash: &[(f64, f64)]) -> Option<f64> {
    let mut rate = FIRST_GUESS;
    for _ in 0..NEWTON_STEPS {
        let (value, slope, _) = npv(cash, rate);
        if !value.is_finite() || !slope.is_finite() || slope == 0.0 {
            return None;
        }
        let next = rate - value / slope;
        if !next.is_finite() || next <= -1.0 {
            return None;
        }
        if (next - rate).abs() <= 1e-12 * (1.0 + next.abs()) {
            // A tiny step can also mean a stall far from a root; only accept a real zero.
            let (value, _, scale) = npv(cash, next);
            return (value.abs() <= 1e-9 * scale).then_some(next);
        }
        rate = next;
    }
    None
}

/// The sign of the net present value at growth factor e^x, computed without overflow.
///
/// The value is multiplied by the positive factor e^(x·t_ref), which leaves its sign alone;
/// t_ref is the latest flow's time when x < 0 and 0 otherwise, so every exponent
/// -x·(t - t_ref) is ≤ 0 and no term can overflow even over a century of flows.
fn scaled_npv(cash: &[(f64, f64)], x: f64, latest: f64) -> f64 {
    let reference = if x < 0.0 { latest } else { 0.0 };
    cash.iter()
        .map(|&(years, amount)| amount * (-x * (years - reference)).exp())
        .sum()
}

/// Bisection in x = ln(1 + rate) on the sign change nearest rate 0 within the search range.
fn bisection(cash: &[(f64, f64)]) -> Option<f64> {
    let latest = cash.iter().map(|&(years, _)| years).fold(0.0, f64::max);
    let low = (1.0 + LOWEST_RATE).ln();
    let high = (1.0 + HIGHEST_RATE).ln();
    let at = |i: usize| low + (high - low) * i as f64 / GRID_POINTS as f64;

    let mut bracket: Option<(f64, f64)> = None;
    let mut previous = (low, scaled_npv(cash, low, latest));
    for i in 1..=GRID_POINTS {
        let x = at(i);
        let value = scaled_npv(cash, x, latest);
        if previous.1 == 0.0 {
            return Some(previous.0.exp_m1());
        }
        if previous.1.signum() != value.signum() {
            let nearer = match bracket {
                Some((a, b)) => (previous.0 + x).abs() < (a + b).abs(),
                None => true,
            };
            if nearer {
                bracket = Some((previous.0, x));
            }
        }
        previous = (x, value);
    }
    if previous.1 == 0.0 {
        return Some(previous.0.exp_m1());
    }

    let (mut a, mut b) = bracket?;
    let sign_a = scaled_npv(cash, a, latest).signum();
    // Halving 0.06 (one grid step) 60 times reaches f64 resolution.
    for _ in 0..100 {
        let middle = 0.5 * (a + b);
        if middle == a || middle == b {
            break;
        }
        let value = scaled_npv(cash, middle, latest);
        if value == 0.0 {
            return Some(middle.exp_m1());
        }
        if value.signum() == sign_a {
            a = middle;
        } else {
            b = middle;
        }
    }
    Some((0.5 * (a + b)).exp_m1())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Net present value written out directly from the definition, independent of the
    /// module's own evaluation.
    fn naive_npv(flows: &[(i32, f64)], rate: f64) -> f64 {
        let first = flows.iter().map(|f| f.0).min().expect("test flows are non-empty");
        flows
            .iter()
            .map(|&(day, amount)| amount / (1.0 + rate).powf(f64::from(day - first) / 365.0))
            .sum()
    }

    fn close(actual: f64, expected: f64, tolerance: f64) -> bool {
        (actual - expected).abs() <= tolerance * (1.0 + expected.abs())
    }

    #[test]
    fn one_year_ten_percent() {
        // -1000 + 1100/(1+r)^(365/365) = 0  →  1+r = 1.1  →  r = 0.10
        let rate = xirr(&[(0, -1000.0), (365, 1100.0)]).expect("a rate exists");
        assert!(close(rate, 0.10, 1e-10), "{rate}");
    }

    #[test]
    fn two_years_by_hand() {
        // -100 + 150/(1+r)^(730/365) = 0  →  (1+r)^2 = 1.5  →  r = √1.5 - 1 = 0.224744871...
        let rate = xirr(&[(18_000, -100.0), (18_730, 150.0)]).expect("a rate exists");
        assert!(close(rate, 0.224_744_871_391_589, 1e-10), "{rate}");
    }

    #[test]
    fn three_flows_by_quadratic_formula() {
        // -1000 + 600v + 600v² = 0 with v = 1/(1+r):
        // v = (-600 + √(600² + 4·600·1000)) / (2·600) = (-600 + √2,760,000) / 1200
        let v = (-600.0 + 2_760_000.0_f64.sqrt()) / 1200.0;
        let expected = 1.0 / v - 1.0; // ≈ 0.13066
        let rate = xirr(&[(0, -1000.0), (365, 600.0), (730, 600.0)]).expect("a rate exists");
        assert!(close(rate, expected, 1e-10), "{rate} vs {expected}");
        assert!(close(expected, 0.130_662, 1e-5));
    }

    #[test]
    fn losing_half_in_a_year() {
        // -1000 + 500/(1+r) = 0  →  r = -0.5
        let rate = xirr(&[(0, -1000.0), (365, 500.0)]).expect("a rate exists");
        assert!(close(rate, -0.5, 1e-10), "{rate}");
    }

    #[test]
    fn same_day_flows_add_up() {
        // Two payments of 500 on day 0 are one payment of 1000: 10% as in the first case.
        let rate = xirr(&[(365, 1100.0), (0, -500.0), (0, -500.0)]).expect("a rate exists");
        assert!(close(rate, 0.10, 1e-10), "{rate}");
    }

    #[test]
    fn decades_of_monthly_contributions_plug_back_to_zero() {
        // 40 years of 100 a month (every 30.4375 days), worth 400,000 at the end.
        let mut flows: Vec<(i32, f64)> = (0..480)
            .map(|month| ((f64::from(month) * 30.4375) as i32, -100.0))
            .collect();
        flows.push((14_610, 400_000.0));
        let rate = xirr(&flows).expect("a rate exists");
        // 48,000 paid in grows to 400,000: somewhere between 0% and 20% a year.
        assert!(rate > 0.0 && rate < 0.2, "{rate}");
        let paid: f64 = flows.iter().filter(|f| f.1 < 0.0).map(|f| -f.1).sum();
        assert!(naive_npv(&flows, rate).abs() < 1e-6 * paid, "{rate}");
    }

    #[test]
    fn huge_gain_is_found() {
        // -1 + 1,000,000/(1+r) = 0  →  r = 999,999
        let rate = xirr(&[(0, -1.0), (365, 1e6)]).expect("a rate exists");
        assert!(close(rate, 999_999.0, 1e-8), "{rate}");
    }

    #[test]
    fn near_total_loss_over_a_century() {
        // -1000 + 1/(1+r)^100 = 0  →  r = 0.001^(1/100) - 1
        let expected = 0.001_f64.powf(0.01) - 1.0; // ≈ -0.0667
        let rate = xirr(&[(0, -1000.0), (36_500, 1.0)]).expect("a rate exists");
        assert!(close(rate, expected, 1e-9), "{rate} vs {expected}");
    }

    #[test]
    fn bisection_alone_finds_the_root() {
        // The fallback path on its own, on the quadratic case: 1.5 in, 1 out a year apart.
        let cash = [(0.0, -1.0), (1.0, 1.5)];
        let rate = bisection(&cash).expect("a sign change exists");
        assert!(close(rate, 0.5, 1e-12), "{rate}");
        // And one Newton cannot start from: its first step jumps below -100%.
        // -1 + 0.001/(1+r) = 0 → r = -0.999; from 10% the step is f/f' ≈ -0.999/-0.000826.
        let cash = [(0.0, -1.0), (1.0, 0.001)];
        assert_eq!(newton(&cash), None);
        let rate = bisection(&cash).expect("a sign change exists");
        assert!(close(rate, -0.999, 1e-9), "{rate}");
    }

    #[test]
    fn no_solution() {
        assert_eq!(xirr(&[]), None);
        assert_eq!(xirr(&[(0, -1000.0)]), None, "a single flow");
        assert_eq!(xirr(&[(0, -1000.0), (365, -5.0)]), None, "no money back");
        assert_eq!(xirr(&[(0, 0.0), (365, 0.0)]), None, "all zero");
        assert_eq!(xirr(&[(7, -1000.0), (7, 1100.0)]), None, "no time passes");
        assert_eq!(xirr(&[(0, -1000.0), (365, f64::NAN)]), None, "not a number");
        // A 0.0001 return on 1000 over a day needs r < -99.99%, outside the range.
        assert_eq!(xirr(&[(0, -1000.0), (1, 0.0001)]), None, "beyond the range");
    }
}
