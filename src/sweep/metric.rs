//! The figure variants are ranked by (`--metric`).

use std::cmp::Ordering;

use clap::ValueEnum;
use serde::{Deserialize, Serialize};

use super::Outcome;

/// What "best" means in a sweep.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq, Serialize, ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    #[default]
    Sharpe,
    Cagr,
    Xirr,
    /// Final value.
    Final,
    /// Max drawdown depth: smaller is better.
    #[value(name = "max_drawdown")]
    MaxDrawdown,
}

impl Metric {
    /// The outcome's value of this metric (`NaN` when not available).
    pub fn of(self, o: &Outcome) -> f64 {
        match self {
            Metric::Sharpe => o.sharpe,
            Metric::Cagr => o.cagr,
            Metric::Xirr => o.xirr,
            Metric::Final => o.final_value,
            Metric::MaxDrawdown => o.max_drawdown,
        }
    }

    /// The name used on the command line and in output.
    pub fn name(self) -> &'static str {
        match self {
            Metric::Sharpe => "sharpe",
            Metric::Cagr => "cagr",
            Metric::Xirr => "xirr",
            Metric::Final => "final",
            Metric::MaxDrawdown => "max_drawdown",
        }
    }

    /// Best first; variants without the figure go last; ties keep grid order, so the
    /// ranking never depends on which worker finished first.
    pub fn rank(self, a: &Outcome, b: &Outcome) -> Ordering {
        let (x, y) = (self.of(a), self.of(b));
        let by_value = match (x.is_nan(), y.is_nan()) {
            (true, true) => Ordering::Equal,
            (true, false) => Ordering::Greater,
            (false, true) => Ordering::Less,
            (false, false) if self == Metric::MaxDrawdown => x.total_cmp(&y),
            (false, false) => y.total_cmp(&x),
        };
        by_value.then(a.index.cmp(&b.index))
    }

    /// Sorts best first.
    pub fn sort(self, outcomes: &mut [Outcome]) {
        outcomes.sort_by(|a, b| self.rank(a, b));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(index: usize, sharpe: f64, depth: f64) -> Outcome {
        Outcome {
            index,
            parameters: Vec::new(),
            final_value: 0.0,
            cagr: f64::NAN,
            xirr: f64::NAN,
            sharpe,
            max_drawdown: depth,
            trades: 0,
        }
    }

    #[test]
    fn higher_is_better_except_drawdown_and_nan_goes_last() {
        let mut v = vec![
            outcome(0, 0.5, 0.3),
            outcome(1, f64::NAN, 0.1),
            outcome(2, 1.5, 0.2),
            outcome(3, 0.5, 0.4),
        ];
        Metric::Sharpe.sort(&mut v);
        // 1.5 first; the two 0.5s in grid order; NaN last.
        assert_eq!(v.iter().map(|o| o.index).collect::<Vec<_>>(), [2, 0, 3, 1]);
        Metric::MaxDrawdown.sort(&mut v);
        assert_eq!(v.iter().map(|o| o.index).collect::<Vec<_>>(), [1, 2, 0, 3]);
    }
}
