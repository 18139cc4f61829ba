//! Helpers shared by the indicator tests: deterministic pseudo-random data, comparison with
//! a naive recomputation, and closed forms that do not share code with the indicators.

/// A 64-bit linear congruential generator (Knuth's MMIX constants): reproducible test data
/// without a dependency.
pub(crate) struct Lcg(u64);

impl Lcg {
    pub(crate) fn new(seed: u64) -> Self {
        Self(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    /// Uniform in [0, 1).
    pub(crate) fn next_f64(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        // The high bits of an LCG are the random ones.
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// A positive random walk from 100 with steps up to ±3%; about one step in eight is flat,
/// so runs of equal values (zero changes, zero variance) occur.
pub(crate) fn prices(seed: u64, len: usize) -> Vec<f64> {
    let mut rng = Lcg::new(seed);
    let mut price = 100.0;
    (0..len)
        .map(|_| {
            let u = rng.next_f64();
            if u >= 0.125 {
                price *= 1.0 + 0.06 * (rng.next_f64() - 0.5);
            }
            price
        })
        .collect()
}

/// `xs` with about one value in seven replaced by NaN (the series is missing on that bar).
pub(crate) fn with_gaps(xs: &[f64], seed: u64) -> Vec<f64> {
    let mut rng = Lcg::new(seed);
    xs.iter()
        .map(|&x| if rng.next_f64() < 1.0 / 7.0 { f64::NAN } else { x })
        .collect()
}

/// The available (non-NaN) values of `prefix`: what an indicator has actually consumed.
pub(crate) fn available(prefix: &[f64]) -> Vec<f64> {
    prefix.iter().copied().filter(|x| !x.is_nan()).collect()
}

/// Equal to 1e-9 relative (plus 1e-12 absolute for results near 0); NaN equals NaN.
pub(crate) fn assert_close(actual: f64, expected: f64, context: &str) {
    if expected.is_nan() {
        assert!(actual.is_nan(), "{context}: expected NaN, got {actual}");
        return;
    }
    let tolerance = 1e-9 * expected.abs() + 1e-12;
    assert!(
        (actual - expected).abs() <= tolerance,
        "{context}: expected {expected}, got {actual}"
    );
}

/// Feeds `xs` one bar at a time and checks every output against `naive` applied to the
/// available values so far; on a NaN bar the output must be NaN. Since later bars are checked
/// against recomputations that never saw the NaN, this also checks NaN bars leave no trace.
pub(crate) fn check_against_naive(
    xs: &[f64],
    mut update: impl FnMut(f64) -> f64,
    naive: impl Fn(&[f64]) -> f64,
    name: &str,
) {
    for (t, &x) in xs.iter().enumerate() {
        let actual = update(x);
        let expected = if x.is_nan() {
            f64::NAN
        } else {
            naive(&available(&xs[..=t]))
        };
        assert_close(actual, expected, &format!("{name} at bar {t}"));
    }
}

/// How many values are fed before the first non-NaN output (the first available output is
/// on bar `warm_up(..)`, counting from 1).
pub(crate) fn warm_up(mut update: impl FnMut(f64) -> f64) -> usize {
    let xs = prices(99, 1000);
    1 + xs
        .iter()
        .position(|&x| !update(x).is_nan())
        .expect("the indicator produces a value within 1000 bars")
}

/// An exponential average of `values` seeded with the mean of the first `n`, in closed form:
/// `(1-a)^k * seed + Σ a (1-a)^(k-j) x_j` over the `k` values after the seed. NaN for fewer
/// than `n` values.
pub(crate) fn seeded_average_closed_form(values: &[f64], n: usize, alpha: f64) -> f64 {
    if values.len() < n {
        return f64::NAN;
    }
    let seed = values[..n].iter().sum::<f64>() / n as f64;
    let rest = &values[n..];
    let k = rest.len();
    let decay = 1.0 - alpha;
    let tail: f64 = rest
        .iter()
        .enumerate()
        .map(|(j, x)| alpha * decay.powi((k - 1 - j) as i32) * x)
        .sum();
    decay.powi(k as i32) * seed + tail
}

/// A series of a million values built to make an uncompensated rolling sum drift: values
/// around 1000 with occasional spikes of up to 1e12 (whose squares, 1e24, swallow the low
/// digits of everything else in a plain running sum of squares).
pub(crate) fn drift_series(len: usize) -> Vec<f64> {
    let mut rng = Lcg::new(7);
    (0..len)
        .map(|_| {
            let spike = rng.next_f64() < 0.001;
            let u = rng.next_f64();
            if spike { 1e12 * u } else { 1000.0 + u }
        })
        .collect()
}

/// The mean and the sum of squared deviations of `values`, computed in two passes.
pub(crate) fn mean_and_squared_deviations(values: &[f64]) -> (f64, f64) {
    let mean = values.iter().sum::<f64>() / values.len() as f64;
    let squares = values.iter().map(|x| (x - mean) * (x - mean)).sum();
    (mean, squares)
}

/// Feeds [`drift_series`] (a million values) and compares the output with `naive` on the
/// prefix at a few checkpoints, the last one after the millionth update.
pub(crate) fn check_no_drift(mut update: impl FnMut(f64) -> f64, naive: impl Fn(&[f64]) -> f64) {
    const LEN: usize = 1_000_000;
    let xs = drift_series(LEN);
    for (t, &x) in xs.iter().enumerate() {
        let actual = update(x);
        if (t + 1) % 250_000 == 0 || t + 1 == LEN {
            let expected = naive(&xs[..=t]);
            let relative = ((actual - expected) / expected).abs();
            assert!(
                relative <= 1e-9,
                "after {} updates: expected {expected}, got {actual} (relative error {relative:e})",
                t + 1
            );
        }
    }
}
