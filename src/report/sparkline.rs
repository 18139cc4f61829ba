//! A one-line chart of a series in unicode block characters, for the text report.

/// The eight heights, lowest first.
const BLOCKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// The height a flat series is drawn at: the middle, so it reads as "no change" rather
/// than "zero" or "maximum".
const FLAT: char = '▄';

/// A sparkline of `values` in `▁▂▃▄▅▆▇█`, at most `width` characters long.
///
/// NaN (and infinite) values are skipped. When more than `width` values remain, they are cut
/// into `width` buckets of consecutive values (sizes differing by at most one) and each
/// bucket is drawn by its LAST value, so the final character is always the latest value, as
/// an equity curve's end should be. The lowest drawn value maps to `▁`, the highest to `█`,
/// others linearly in between (rounded). A flat series is all `▄`; no values, or a width of
/// 0, give "".
pub fn sparkline(values: &[f64], width: usize) -> String {
    let finite = || values.iter().copied().filter(|value| value.is_finite());
    let count = finite().count();
    let buckets = count.min(width);
    if buckets == 0 {
        return String::new();
    }

    // Bucket k holds the finite values with index in [k·count/buckets, (k+1)·count/buckets).
    // The last index of the bucket being filled, worked out again only when it is passed:
    // a division a bucket, not a value.
    let mut shown = Vec::with_capacity(buckets);
    let mut last = count / buckets;
    for (index, value) in finite().enumerate() {
        if index + 1 == last {
            shown.push(value);
            last = (shown.len() + 1) * count / buckets;
        }
    }

    let low = shown.iter().copied().fold(f64::INFINITY, f64::min);
    let high = shown.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let span = high - low;
    shown
        .iter()
        .map(|&value| {
            if span > 0.0 && span.is_finite() {
                let level = ((value - low) / span * 7.0).round() as usize;
                BLOCKS[level.min(7)]
            } else {
                FLAT
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_character_per_value_when_it_fits() {
        // 0..7 spread evenly over the eight heights: (v - 0) / 7 · 7 = v.
        let values: Vec<f64> = (0..8).map(f64::from).collect();
        assert_eq!(sparkline(&values, 8), "▁▂▃▄▅▆▇█");
        assert_eq!(sparkline(&values, 100), "▁▂▃▄▅▆▇█");
    }

    #[test]
    fn heights_round_to_the_nearest_level() {
        // Range 0..10: 5 → 3.5 → rounds to level 4 (▅); 2 → 1.4 → level 1 (▂).
        assert_eq!(sparkline(&[0.0, 5.0, 2.0, 10.0], 10), "▁▅▂█");
    }

    #[test]
    fn downsampling_keeps_the_last_value_of_each_bucket() {
        // Ten values into 3 buckets: [0,3) [3,6) [6,10) by k·10/3 = 0, 3, 6, 10, so the
        // drawn values are those at indices 2, 5 and 9; over the range 2..9 their levels
        // are (v - 2) / 7 · 7 = 0, 3, 7.
        let values: Vec<f64> = (0..10).map(f64::from).collect();
        assert_eq!(sparkline(&values, 3), "▁▄█");
        assert_eq!(sparkline(&values, 3).chars().count(), 3);
    }

    #[test]
    fn last_value_is_always_drawn() {
        // A spike at the very end must survive downsampling to 4 characters.
        let mut values = vec![1.0; 99];
        values.push(50.0);
        let line = sparkline(&values, 4);
        assert_eq!(line, "▁▁▁█");
    }

    #[test]
    fn nan_values_are_skipped() {
        assert_eq!(sparkline(&[f64::NAN, 0.0, f64::NAN, 7.0, f64::INFINITY], 10), "▁█");
        assert_eq!(sparkline(&[f64::NAN, f64::NAN], 10), "");
    }

    #[test]
    fn flat_series_is_the_middle_block() {
        assert_eq!(sparkline(&[3.0, 3.0, 3.0], 10), "▄▄▄");
        assert_eq!(sparkline(&[42.0], 10), "▄");
    }

    #[test]
    fn empty_input_or_zero_width() {
        assert_eq!(sparkline(&[], 10), "");
        assert_eq!(sparkline(&[1.0, 2.0], 0), "");
    }

    #[test]
    fn never_wider_than_asked() {
        let values: Vec<f64> = (0..1000).map(|i| f64::from(i).sin()).collect();
        for width in 1..40 {
            assert_eq!(sparkline(&values, width).chars().count(), width);
        }
    }
}
