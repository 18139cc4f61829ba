//! The probabilities of the target ranges a meeting can end with, and what they say about
//! a cut, a hold or a hike from the range in force.

use super::target_range::TargetRange;

/// Probabilities of the target range after a meeting: (range, probability), ranges in
/// increasing order, probabilities summing to 1.
#[derive(Clone, Debug, PartialEq)]
pub struct Distribution {
    bands: Vec<(TargetRange, f64)>,
}

/// A meeting's outcome seen from the range in force on a day.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Outcome {
    /// Probability of a range below the one in force (every band whose top is at or
    /// under its bottom).
    pub cut: f64,
    /// Probability of the same range (every band neither below nor above it).
    pub hold: f64,
    /// Probability of a range above it.
    pub hike: f64,
    /// The probability-weighted midpoint, in percent.
    pub expected_rate: f64,
    /// (midpoint in force − expected rate) / 0.25.
    pub cuts_priced: f64,
}

impl Distribution {
    /// Ranges with their probabilities, which must add up to more than 0; they are divided
    /// by their sum (CME's rows add up to 1 within rounding), equal ranges merged and
    /// ranges of probability 0 left out.
    pub fn new(mut bands: Vec<(TargetRange, f64)>) -> Distribution {
        bands.retain(|b| b.1 > 0.0);
        bands.sort_by_key(|b| b.0);
        bands.dedup_by(|later, kept| {
            let same = later.0 == kept.0;
            if same {
                kept.1 += later.1;
            }
            same
        });
        let sum: f64 = bands.iter().map(|b| b.1).sum();
        if sum > 0.0 {
            for band in &mut bands {
                band.1 /= sum;
            }
        }
        Distribution { bands }
    }

    /// A range known for certain.
    pub fn certain(range: TargetRange) -> Distribution {
        Distribution {
            bands: vec![(range, 1.0)],
        }
    }

    pub fn bands(&self) -> &[(TargetRange, f64)] {
        &self.bands
    }

    /// The outcome measured from `current`, the range in force.
    pub fn outcome(&self, current: TargetRange) -> Outcome {
        let (mut cut, mut hike, mut expected) = (0.0, 0.0, 0.0);
        for &(band, p) in &self.bands {
            if band.high_bp <= current.low_bp && band != current {
                cut += p;
            } else if band.low_bp >= current.high_bp && band != current {
                hike += p;
            }
            expected += p * band.mid();
        }
        Outcome {
            cut,
            hold: (1.0 - cut - hike).max(0.0),
            hike,
            expected_rate: expected,
            cuts_priced: (current.mid() - expected) / 0.25,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn band(low_bp: i32) -> TargetRange {
        TargetRange {
            low_bp,
            high_bp: low_bp + 25,
        }
    }

    #[test]
    fn cut_hold_hike_and_the_expected_rate_by_hand() {
        // From 4.25–4.50: 4.00–4.25 is a cut (0.2), 3.75–4.00 too (0.1), 4.25–4.50 a hold (0.6),
        // 4.50–4.75 a hike (0.1). Expected: 0.1·3.875 + 0.2·4.125 + 0.6·4.375 + 0.1·4.625
        // = 0.3875 + 0.825 + 2.625 + 0.4625 = 4.3; cuts priced (4.375 − 4.3) / 0.25 = 0.3.
        let d = Distribution::new(vec![
            (band(450), 0.1),
            (band(375), 0.1),
            (band(400), 0.2),
            (band(425), 0.6),
        ]);
        let o = d.outcome(band(425));
        assert!((o.cut - 0.3).abs() < 1e-12);
        assert!((o.hold - 0.6).abs() < 1e-12);
        assert!((o.hike - 0.1).abs() < 1e-12);
        assert!((o.expected_rate - 4.3).abs() < 1e-12);
        assert!((o.cuts_priced - 0.3).abs() < 1e-12);
    }

    #[test]
    fn rows_that_miss_1_by_rounding_are_scaled_and_repeats_merged() {
        // 0.5 + 0.2 + 0.297 = 0.997 → each divided by 0.997.
        let d = Distribution::new(vec![(band(400), 0.5), (band(425), 0.2), (band(400), 0.297)]);
        assert_eq!(d.bands().len(), 2);
        assert!((d.bands()[0].1 - 0.797 / 0.997).abs() < 1e-12);
        assert!((d.bands().iter().map(|b| b.1).sum::<f64>() - 1.0).abs() < 1e-12);
    }

    #[test]
    fn against_a_single_target_the_bands_on_each_side_are_a_cut_and_a_hike() {
        // Before December 2008 the target was one rate: 3.00 % sits on the edge of two bands.
        let target = TargetRange {
            low_bp: 300,
            high_bp: 300,
        };
        let o = Distribution::new(vec![(band(275), 0.25), (band(300), 0.75)]).outcome(target);
        assert_eq!((o.cut, o.hike), (0.25, 0.75));
    }
}
