//! The parameter grid: `--vary NAME=FROM:TO:STEP` or `--vary NAME=a,b,c`, one axis each, and
//! their cartesian product in a fixed order.

use super::SweepError;

/// Values above this many variants are almost always a typo in the step (`0:1000:0.001`).
const MAX_VARIANTS: usize = 1_000_000;

/// One varied parameter and the values it takes, each as the text `--set` would get.
#[derive(Clone, Debug, PartialEq)]
pub struct Axis {
    pub name: String,
    pub values: Vec<String>,
}

impl Axis {
    /// Parses `NAME=FROM:TO:STEP` (inclusive; integers, decimals or percents) or
    /// `NAME=v1,v2,…` (numbers, percents, symbols: anything a `let` takes).
    pub fn parse(spec: &str) -> Result<Axis, SweepError> {
        let bad = || SweepError::BadVary { spec: spec.to_string() };
        let (name, rhs) = spec.split_once('=').ok_or_else(bad)?;
        let (name, rhs) = (name.trim(), rhs.trim());
        if name.is_empty() || rhs.is_empty() {
            return Err(bad());
        }
        let values = if rhs.contains(':') {
            range(spec, rhs)?
        } else {
            let values: Vec<String> = top_level(rhs).map(|v| v.trim().to_string()).collect();
            if values.iter().any(String::is_empty) {
                return Err(bad());
            }
            values
        };
        Ok(Axis {
            name: name.to_string(),
            values,
        })
    }
}

/// The values of a list `v1,v2,…`, split at the commas outside parentheses, brackets and
/// quotes: `atr(IWM, 5),close(IWM)` is two values, as a `let` would read each.
fn top_level(list: &str) -> impl Iterator<Item = &str> {
    let mut depth = 0usize;
    let mut quoted = false;
    let mut start = 0;
    let mut cuts = Vec::new();
    for (i, c) in list.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '(' | '[' if !quoted => depth += 1,
            ')' | ']' if !quoted => depth = depth.saturating_sub(1),
            ',' if !quoted && depth == 0 => {
                cuts.push(&list[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    cuts.push(&list[start..]);
    cuts.into_iter()
}

/// The values of `FROM:TO:STEP`, written with as many decimals as the widest of the three so
/// that `0.1:0.3:0.1` gives `0.1, 0.2, 0.3` and not float noise.
fn range(spec: &str, rhs: &str) -> Result<Vec<String>, SweepError> {
    let bad = || SweepError::BadVary { spec: spec.to_string() };
    let parts: Vec<&str> = rhs.split(':').map(str::trim).collect();
    let [from, to, step] = parts[..] else {
        return Err(bad());
    };
    let percents = [from, to, step].iter().filter(|p| p.ends_with('%')).count();
    let percent = match percents {
        0 => false,
        3 => true,
        _ => return Err(bad()),
    };
    let strip = |s: &str| s.trim_end_matches('%').to_string();
    let (from, to, step) = (strip(from), strip(to), strip(step));
    let number = |s: &str| s.parse::<f64>().ok().filter(|x| x.is_finite()).ok_or_else(bad);
    let (a, b, d) = (number(&from)?, number(&to)?, number(&step)?);
    let empty = |reason: &str| SweepError::EmptyRange {
        spec: spec.to_string(),
        reason: reason.to_string(),
    };
    if d <= 0.0 {
        return Err(empty("the step is not above 0"));
    }
    if a > b {
        return Err(empty("FROM is above TO"));
    }
    let decimals = [&from, &to, &step]
        .iter()
        .map(|s| s.split_once('.').map_or(0, |(_, f)| f.len()))
        .max()
        .unwrap_or(0);
    // The small slack keeps TO when (b - a) / d lands a hair below a whole number.
    let steps = ((b - a) / d + 1e-9).floor();
    if steps + 1.0 > MAX_VARIANTS as f64 {
        return Err(SweepError::TooManyVariants {
            spec: spec.to_string(),
            what: "values",
        });
    }
    let suffix = if percent { "%" } else { "" };
    Ok((0..=steps as usize)
        .map(|k| format!("{:.decimals$}{suffix}", a + k as f64 * d))
        .collect())
}

/// The cartesian product of the axes. Variant 0 takes every axis's first value; the last
/// axis changes fastest, like nested loops written in the order of the `--vary` arguments.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Grid {
    pub axes: Vec<Axis>,
}

impl Grid {
    /// A grid from `--vary` specs; a parameter may be varied once.
    pub fn parse(specs: &[String]) -> Result<Grid, SweepError> {
        let mut axes: Vec<Axis> = Vec::new();
        for spec in specs {
            let axis = Axis::parse(spec)?;
            if axes.iter().any(|a| a.name == axis.name) {
                return Err(SweepError::RepeatedParameter { name: axis.name });
            }
            axes.push(axis);
        }
        let grid = Grid { axes };
        if grid
            .axes
            .iter()
            .try_fold(1usize, |n, a| n.checked_mul(a.values.len()))
            .is_none_or(|n| n > MAX_VARIANTS)
        {
            return Err(SweepError::TooManyVariants {
                spec: specs.join(" --vary "),
                what: "variants",
            });
        }
        Ok(grid)
    }

    /// Number of variants (1 for no axes: the strategy as written).
    pub fn len(&self) -> usize {
        self.axes.iter().map(|a| a.values.len()).product()
    }

    /// Never true: a grid without axes still has the one variant as written.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The `--set` pairs of variant `index` (0-based, below [`Grid::len`]).
    pub fn variant(&self, index: usize) -> Vec<(String, String)> {
        let mut rest = index;
        let mut sets = vec![(String::new(), String::new()); self.axes.len()];
        for (slot, axis) in sets.iter_mut().zip(&self.axes).rev() {
            let n = axis.values.len();
            *slot = (axis.name.clone(), axis.values[rest % n].clone());
            rest /= n;
        }
        sets
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(spec: &str) -> Vec<String> {
        Axis::parse(spec).expect("a valid spec").values
    }

    #[test]
    fn integer_range_is_inclusive() {
        assert_eq!(values("w=20:50:10"), ["20", "30", "40", "50"]);
        // 20 + 4·10 = 60 passes 55, so 55 is not reached and not added.
        assert_eq!(values("w=20:55:10"), ["20", "30", "40", "50"]);
        assert_eq!(values("w=5:5:1"), ["5"]);
    }

    #[test]
    fn decimal_and_percent_ranges_have_no_float_noise() {
        assert_eq!(values("t=0.1:0.3:0.1"), ["0.1", "0.2", "0.3"]);
        assert_eq!(values("t=0.5:1:0.25"), ["0.50", "0.75", "1.00"]);
        assert_eq!(values("p=50%:90%:10%"), ["50%", "60%", "70%", "80%", "90%"]);
    }

    #[test]
    fn lists_keep_their_order() {
        assert_eq!(values("sym=IWM, IWO,SPY"), ["IWM", "IWO", "SPY"]);
        assert_eq!(values("p=10%,20%"), ["10%", "20%"]);
    }

    #[test]
    fn lists_split_only_at_top_level_commas() {
        assert_eq!(values("x=atr(IWM, 5),close(IWM)"), ["atr(IWM, 5)", "close(IWM)"]);
        assert_eq!(
            values("x=sma(close(IWM), 5), max(1, 2)"),
            ["sma(close(IWM), 5)", "max(1, 2)"]
        );
        assert_eq!(values("x=\"a,b\",c"), ["\"a,b\"", "c"]);
    }

    #[test]
    fn bad_specs_are_errors() {
        for spec in ["w", "=1,2", "w=", "w=1,,2", "w=1:2", "w=a:b:1", "w=1%:2:1", "w=1:2:3:4"] {
            assert!(matches!(Axis::parse(spec), Err(SweepError::BadVary { .. })), "{spec}");
        }
        for spec in ["w=5:1:1", "w=1:5:0", "w=1:5:-1"] {
            assert!(
                matches!(Axis::parse(spec), Err(SweepError::EmptyRange { .. })),
                "{spec}"
            );
        }
        let twice = Grid::parse(&["w=1,2".into(), "w=3".into()]);
        assert!(matches!(twice, Err(SweepError::RepeatedParameter { .. })));
    }

    #[test]
    fn variants_are_the_product_with_the_last_axis_fastest() {
        let grid = Grid::parse(&["a=1:3:1".into(), "b=x,y".into()]).expect("valid");
        assert_eq!(grid.len(), 6);
        let mut expected = Vec::new();
        for a in ["1", "2", "3"] {
            for b in ["x", "y"] {
                expected.push(vec![("a".to_string(), a.to_string()), ("b".to_string(), b.to_string())]);
            }
        }
        let got: Vec<_> = (0..grid.len()).map(|i| grid.variant(i)).collect();
        assert_eq!(got, expected);
        assert_eq!(Grid::default().len(), 1);
        assert_eq!(Grid::default().variant(0), Vec::new());
    }
}
