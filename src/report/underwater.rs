//! The underwater chart: how far the time-weighted value index W stands below its running
//! peak at each bar, and the worst drawdowns as separate episodes.

use crate::civil;

/// How far W is below its running peak at each bar, as a fraction ≤ 0 (-0.25 is 25% below).
/// The peak starts at 1, as for the report's max drawdown, so a loss on the first bar counts.
pub fn underwater(wealth: &[f64]) -> Vec<f64> {
    let mut peak = 1.0_f64;
    wealth
        .iter()
        .map(|&w| {
            peak = peak.max(w);
            if peak > 0.0 { w / peak - 1.0 } else { 0.0 }
        })
        .collect()
}

/// One drawdown: from a peak of W to the next bar W is back at that peak.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Episode {
    /// Depth as a positive fraction: 1 - W_trough / W_peak.
    pub depth: f64,
    /// Dates (`YYYY-MM-DD`) of the peak, the trough and the recovery (`None`: not yet).
    pub peak: String,
    pub trough: String,
    pub recovery: Option<String>,
    /// Bar indices of the same.
    #[serde(skip)]
    pub bars: (usize, usize, Option<usize>),
}

/// The `n` deepest drawdowns that do not overlap, deepest first. Each runs from a running
/// peak of W (the first bar's start, W = 1, counts as one) to the first bar back at it; the
/// deepest is the report's max drawdown.
pub fn worst(wealth: &[f64], days: &[i32], n: usize) -> Vec<Episode> {
    let mut episodes = Vec::new();
    // The current peak (bar index, `None` for the start) and the deepest point since it.
    let mut peak: (Option<usize>, f64) = (None, 1.0);
    let mut trough: Option<(usize, f64)> = None;
    for (t, &w) in wealth.iter().enumerate() {
        if w >= peak.1 {
            if let Some((tr, low)) = trough.take() {
                episodes.push(episode(peak, tr, low, Some(t), days));
            }
            peak = (Some(t), w);
        } else if trough.is_none_or(|(_, low)| w < low) {
            trough = Some((t, w));
        }
    }
    if let Some((tr, low)) = trough {
        episodes.push(episode(peak, tr, low, None, days));
    }
    episodes.retain(|e| e.depth > 0.0);
    episodes.sort_by(|a, b| b.depth.total_cmp(&a.depth));
    episodes.truncate(n);
    episodes
}

fn episode(peak: (Option<usize>, f64), trough: usize, low: f64, recovery: Option<usize>, days: &[i32]) -> Episode {
    let p = peak.0.unwrap_or(0);
    Episode {
        depth: if peak.1 > 0.0 { 1.0 - low / peak.1 } else { 0.0 },
        peak: civil::iso(days[p]),
        trough: civil::iso(days[trough]),
        recovery: recovery.map(|r| civil::iso(days[r])),
        bars: (p, trough, recovery),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn underwater_is_the_fall_from_the_running_peak() {
        let u = underwater(&[1.0, 1.2, 0.9, 1.2, 1.3]);
        let expected = [0.0, 0.0, 0.9 / 1.2 - 1.0, 0.0, 0.0];
        for (a, b) in u.iter().zip(expected) {
            assert!((a - b).abs() < 1e-12);
        }
        // A loss on the first bar counts: the peak starts at 1.
        assert!((underwater(&[0.8])[0] + 0.2).abs() < 1e-12);
    }

    #[test]
    fn episodes_are_separate_and_deepest_first() {
        // Peak 1.2 (bar 1) → 0.9 (bar 2) → back at 1.2 (bar 3); peak 1.3 (bar 4) → 1.04
        // (bar 5), never recovered.
        let w = [1.0, 1.2, 0.9, 1.2, 1.3, 1.04];
        let days: Vec<i32> = (0..6).collect();
        let e = worst(&w, &days, 5);
        assert_eq!(e.len(), 2);
        assert!((e[0].depth - 0.25).abs() < 1e-12);
        assert_eq!(e[0].bars, (1, 2, Some(3)));
        assert!((e[1].depth - 0.2).abs() < 1e-12);
        assert_eq!(e[1].bars, (4, 5, None));
        assert_eq!(e[1].recovery, None);
        assert_eq!(worst(&w, &days, 1).len(), 1);
    }
}
