//! Comparisons the data settles: a series compared with a constant outside every value the
//! series takes over the run (`fed_cut_prob > 80` on a 0–1 series) has the same outcome on
//! every bar. The facts are found here; `report::warning` words them.

use super::frame::Frame;
use crate::check::{BinaryOp, Program};

/// A comparison of [`Program::comparisons`] whose constant lies outside the range of its
/// series over the run.
#[derive(Clone, Debug, PartialEq)]
pub struct Settled {
    /// Its index in [`Program::comparisons`].
    pub comparison: usize,
    /// Whether it holds on every bar (true) or on none (false).
    pub holds: bool,
    /// The least and greatest value the series takes on the run's bars.
    pub min: f64,
    pub max: f64,
}

/// The comparisons of `program` that the values of their series on `frame`'s bars from
/// `start` (the run's; the bars before it are warm-up, on which nothing is decided) settle.
/// A series with no value on any of them settles nothing here (its conditions are "not
/// available", which the run counts).
pub fn settled(program: &Program, frame: &Frame, start: usize) -> Vec<Settled> {
    let mut out = Vec::new();
    for (i, c) in program.comparisons.iter().enumerate() {
        let Some(column) = frame.series_index(&c.series).map(|s| &frame.series[s].1) else {
            continue;
        };
        let values = column[start.min(column.len())..].iter().filter(|v| !v.is_nan());
        let (min, max) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
            (lo.min(v), hi.max(v))
        });
        if min > max || (min..=max).contains(&c.constant) {
            continue;
        }
        // Outside the range, every comparison has one outcome: the constant is above every
        // value (`x < c` always, `x > c` never) or below every value.
        let above = c.constant > max;
        let holds = match c.op {
            BinaryOp::Lt | BinaryOp::Le => above,
            BinaryOp::Gt | BinaryOp::Ge => !above,
            BinaryOp::Ne => true,
            // Equal to a value it never takes; crossing a level it is always on one side of.
            _ => false,
        };
        out.push(Settled {
            comparison: i,
            holds,
            min,
            max,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::Comparison;
    use crate::engine::Frame;
    use crate::source::Span;

    fn frame(values: Vec<f64>) -> Frame<'static> {
        Frame {
            resolution: crate::data::Resolution::Day,
            ts: std::sync::Arc::new((0..values.len() as i64).map(|d| d * 86_400).collect()),
            days: std::sync::Arc::new((0..values.len() as i32).collect()),
            symbols: Vec::new(),
            observed: vec![vec![0; values.len()]],
            previous: vec![vec![f64::NAN; values.len()]],
            no_rate: Vec::new(),
            rateless_dividends: Vec::new(),
            series: vec![("x".into(), values)],
        }
    }

    fn program(op: BinaryOp, constant: f64) -> Program {
        Program {
            comparisons: vec![Comparison {
                series: "x".into(),
                op,
                constant,
                percent: false,
                span: Span::default(),
            }],
            ..Program::default()
        }
    }

    #[test]
    fn a_constant_outside_the_values_settles_every_comparison() {
        // x takes 0.2 … 0.9 (NaN before its first value).
        let f = frame(vec![f64::NAN, 0.2, 0.5, 0.9]);
        let outcome = |op, c| settled(&program(op, c), &f, 0).first().map(|s| (s.holds, s.min, s.max));
        assert_eq!(outcome(BinaryOp::Gt, 80.0), Some((false, 0.2, 0.9)));
        assert_eq!(outcome(BinaryOp::Ge, 80.0), Some((false, 0.2, 0.9)));
        assert_eq!(outcome(BinaryOp::Lt, 80.0), Some((true, 0.2, 0.9)));
        assert_eq!(outcome(BinaryOp::Le, 0.1), Some((false, 0.2, 0.9)));
        assert_eq!(outcome(BinaryOp::Gt, 0.1), Some((true, 0.2, 0.9)));
        assert_eq!(outcome(BinaryOp::Eq, 1.0), Some((false, 0.2, 0.9)));
        assert_eq!(outcome(BinaryOp::Ne, 1.0), Some((true, 0.2, 0.9)));
        assert_eq!(outcome(BinaryOp::CrossesAbove, 1.0), Some((false, 0.2, 0.9)));
        assert_eq!(outcome(BinaryOp::CrossesBelow, 0.0), Some((false, 0.2, 0.9)));
        // Inside the range (bounds included), or a series without values: nothing settled.
        assert_eq!(outcome(BinaryOp::Gt, 0.9), None);
        assert_eq!(outcome(BinaryOp::Gt, 0.2), None);
        assert!(settled(&program(BinaryOp::Gt, 80.0), &frame(vec![f64::NAN]), 0).is_empty());
        // A run from bar 3 sees only 0.9: the warm-up's 0.2 and 0.5 decide nothing.
        let from_3 = settled(&program(BinaryOp::Gt, 0.6), &f, 3);
        assert_eq!(from_3.first().map(|s| (s.holds, s.min, s.max)), Some((true, 0.9, 0.9)));
    }
}
