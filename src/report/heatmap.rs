//! A sweep's metric over two varied parameters (`rotor sweep --report`): one cell per pair
//! of values. With more than two parameters, a cell holds the best variant among those
//! with that pair (the page says so); with one, the map is a single row.

use std::cmp::Ordering;

use crate::sweep::{Metric, Outcome, SweepReport};

/// The grid of cells: `rows` values of the second parameter, `columns` of the first.
#[derive(Clone, Debug, PartialEq)]
pub struct Heatmap {
    /// The first varied parameter's name and values, in `--vary` order.
    pub x: (String, Vec<String>),
    /// The second's, or `None` with one parameter.
    pub y: Option<(String, Vec<String>)>,
    /// `cells[row][column]`: the grid index of the best variant there, and its value
    /// (NaN when the figure is not available); `None` where no variant ran (a shard).
    pub cells: Vec<Vec<Option<(usize, f64)>>>,
    /// Parameters beyond the first two, over which each cell takes the best variant.
    pub folded: Vec<String>,
}

impl Heatmap {
    /// The heatmap of `report`'s metric; `None` when nothing was varied.
    pub fn of(report: &SweepReport) -> Option<Heatmap> {
        let first = report.parameters.first()?;
        let values = |p: usize| {
            let mut seen: Vec<(usize, String)> = Vec::new();
            for v in &report.variants {
                if let Some((_, value)) = v.parameters.get(p)
                    && !seen.iter().any(|(_, s)| s == value)
                {
                    seen.push((v.index, value.clone()));
                }
            }
            // Grid order is --vary order: the cartesian product keeps each axis's order.
            seen.sort_by_key(|(i, _)| *i);
            seen.into_iter().map(|(_, s)| s).collect::<Vec<_>>()
        };
        let xs = values(0);
        let ys = (report.parameters.len() > 1).then(|| values(1));
        let rows = ys.as_ref().map_or(1, Vec::len);
        let mut cells: Vec<Vec<Option<(usize, f64)>>> = vec![vec![None; xs.len()]; rows];
        let metric = report.metric;
        for v in &report.variants {
            let Some(c) = position(&xs, v, 0) else { continue };
            let r = match &ys {
                Some(ys) => match position(ys, v, 1) {
                    Some(r) => r,
                    None => continue,
                },
                None => 0,
            };
            let value = metric.of(v);
            let better = match cells[r][c] {
                None => true,
                Some((i, old)) => rank(metric, value, v.index, old, i) == Ordering::Less,
            };
            if better {
                cells[r][c] = Some((v.index, value));
            }
        }
        Some(Heatmap {
            x: (first.clone(), xs),
            y: ys.map(|ys| (report.parameters[1].clone(), ys)),
            cells,
            folded: report.parameters.iter().skip(2).cloned().collect(),
        })
    }

    /// The lowest and highest value in the map (`None` when no cell has one).
    pub fn range(&self) -> Option<(f64, f64)> {
        let values = self
            .cells
            .iter()
            .flatten()
            .flatten()
            .map(|c| c.1)
            .filter(|v| v.is_finite());
        values.fold(None, |acc, v| match acc {
            None => Some((v, v)),
            Some((lo, hi)) => Some((f64::min(lo, v), f64::max(hi, v))),
        })
    }
}

fn position(values: &[String], v: &Outcome, p: usize) -> Option<usize> {
    let value = &v.parameters.get(p)?.1;
    values.iter().position(|s| s == value)
}

/// As [`Metric::rank`] on two values: better first, NaN last, then grid order.
fn rank(metric: Metric, a: f64, ia: usize, b: f64, ib: usize) -> Ordering {
    let by_value = match (a.is_nan(), b.is_nan()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        (false, false) if metric == Metric::MaxDrawdown => a.total_cmp(&b),
        (false, false) => b.total_cmp(&a),
    };
    by_value.then(ia.cmp(&ib))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(index: usize, parameters: &[(&str, &str)], sharpe: f64) -> Outcome {
        Outcome {
            index,
            parameters: parameters.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect(),
            final_value: 0.0,
            cagr: 0.0,
            xirr: 0.0,
            sharpe,
            max_drawdown: 0.0,
            trades: 0,
        }
    }

    fn report(parameters: &[&str], variants: Vec<Outcome>) -> SweepReport {
        SweepReport {
            schema_version: crate::sweep::SCHEMA_VERSION,
            file: "s.rotor".into(),
            metric: Metric::Sharpe,
            grid_size: variants.len(),
            parameters: parameters.iter().map(|s| s.to_string()).collect(),
            shard: None,
            variants,
            fingerprint: None,
            notes: Vec::new(),
        }
    }

    #[test]
    fn two_parameters_make_a_grid_in_vary_order() {
        // Grid order: a=20 b=x, a=20 b=y, a=10 b=x, a=10 b=y; ranked by Sharpe.
        let r = report(
            &["a", "b"],
            vec![
                outcome(3, &[("a", "10"), ("b", "y")], 0.9),
                outcome(0, &[("a", "20"), ("b", "x")], 0.5),
                outcome(2, &[("a", "10"), ("b", "x")], f64::NAN),
                outcome(1, &[("a", "20"), ("b", "y")], 0.1),
            ],
        );
        let h = Heatmap::of(&r).unwrap();
        assert_eq!(h.x, ("a".to_string(), vec!["20".to_string(), "10".to_string()]));
        assert_eq!(h.y, Some(("b".to_string(), vec!["x".to_string(), "y".to_string()])));
        assert_eq!(h.cells[0][0], Some((0, 0.5)));
        assert_eq!(h.cells[1][0], Some((1, 0.1)));
        assert!(h.cells[0][1].unwrap().1.is_nan());
        assert_eq!(h.cells[1][1], Some((3, 0.9)));
        assert_eq!(h.range(), Some((0.1, 0.9)));
        assert!(h.folded.is_empty());
    }

    #[test]
    fn a_third_parameter_is_folded_into_the_best_of_each_cell() {
        let r = report(
            &["a", "b", "c"],
            vec![
                outcome(0, &[("a", "1"), ("b", "x"), ("c", "p")], 0.2),
                outcome(1, &[("a", "1"), ("b", "x"), ("c", "q")], 0.7),
            ],
        );
        let h = Heatmap::of(&r).unwrap();
        assert_eq!(h.cells, vec![vec![Some((1, 0.7))]]);
        assert_eq!(h.folded, vec!["c".to_string()]);
    }

    #[test]
    fn one_parameter_is_one_row_and_none_is_no_map() {
        let r = report(
            &["a"],
            vec![outcome(0, &[("a", "1")], 0.2), outcome(1, &[("a", "2")], 0.3)],
        );
        let h = Heatmap::of(&r).unwrap();
        assert_eq!(h.y, None);
        assert_eq!(h.cells, vec![vec![Some((0, 0.2)), Some((1, 0.3))]]);
        assert_eq!(Heatmap::of(&report(&[], vec![outcome(0, &[], 0.2)])), None);
    }
}
