//! The overfitting guard: pick the best variant on one period (train) and see how it does on
//! the next (test) — once with `--train/--test`, or window after window with `--walk-forward`.

use chrono::{Duration, NaiveDate};
use serde::Serialize;

use super::{Grid, Metric, Outcome, SweepError, Sweeper};
use crate::diagnostic::Failure;
use crate::engine::Period;

/// An inclusive range of dates; in JSON `{"from": "YYYY-MM-DD", "to": "YYYY-MM-DD"}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Span {
    /// Parses `FROM..TO` (YYYY-MM-DD, FROM ≤ TO).
    pub fn parse(spec: &str) -> Result<Span, SweepError> {
        let bad = || SweepError::BadPeriod { spec: spec.to_string() };
        let (from, to) = spec.split_once("..").ok_or_else(bad)?;
        let date = |s: &str| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| bad());
        let span = Span {
            from: date(from)?,
            to: date(to)?,
        };
        if span.from > span.to {
            return Err(bad());
        }
        Ok(span)
    }

    /// The engine's period limits for this span.
    pub fn period(self) -> Period {
        Period {
            from: Some(self.from),
            to: Some(self.to),
        }
    }

    /// `2020-01-01..2020-12-31`
    pub fn label(self) -> String {
        format!("{}..{}", self.from, self.to)
    }

    /// `n` consecutive spans covering `from..=to`, as equal in days as whole days allow.
    pub fn split(self, n: usize) -> Result<Vec<Span>, SweepError> {
        let days = (self.to - self.from).num_days() + 1;
        if n < 2 || n as i64 > days {
            return Err(SweepError::WalkForward { days, windows: n });
        }
        let start = |k: usize| self.from + Duration::days(days * k as i64 / n as i64);
        Ok((0..n)
            .map(|k| Span {
                from: start(k),
                to: start(k + 1) - Duration::days(1),
            })
            .collect())
    }
}

impl Serialize for Span {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Span", 2)?;
        st.serialize_field("from", &self.from.to_string())?;
        st.serialize_field("to", &self.to.to_string())?;
        st.end()
    }
}

/// One train/test step: the best variant in sample, and the same variant out of sample.
#[derive(Clone, Debug, Serialize)]
pub struct Fold {
    pub train: Span,
    pub test: Span,
    /// The in-sample winner, with its in-sample figures.
    pub in_sample: Outcome,
    /// The same variant's figures on the test span.
    pub out_of_sample: Outcome,
    /// Every variant's in-sample figures, best first.
    #[serde(skip)]
    pub ranking: Vec<Outcome>,
}

impl Fold {
    /// Whether the training window ranked a variant by `metric` (some variant has it
    /// there); if not, the grid's first variant stands in, picked by nothing.
    pub fn picked(&self, metric: Metric) -> bool {
        !metric.of(&self.in_sample).is_nan()
    }
}

/// Runs the whole grid on `train`, takes the best by `metric`, and runs it on `test`.
pub fn fold(
    sweeper: &Sweeper,
    grid: &Grid,
    metric: Metric,
    train: Span,
    test: Span,
    jobs: Option<usize>,
    progress: bool,
) -> Result<Fold, Failure> {
    let indices: Vec<usize> = (0..grid.len()).collect();
    let mut ranking = sweeper.run_many(grid, &indices, train.period(), jobs, progress)?;
    metric.sort(&mut ranking);
    let best = ranking.first().expect("a grid has at least one variant").clone();
    let out_of_sample = sweeper.run_many(grid, &[best.index], test.period(), Some(1), false)?;
    let out_of_sample = out_of_sample.into_iter().next().expect("one variant was run");
    Ok(Fold {
        train,
        test,
        in_sample: best,
        out_of_sample,
        ranking,
    })
}

/// Walk-forward over `n` windows of `span`: window k-1 trains, window k tests, for k ≥ 1.
pub fn walk_forward(
    sweeper: &Sweeper,
    grid: &Grid,
    metric: Metric,
    span: Span,
    n: usize,
    jobs: Option<usize>,
    progress: bool,
) -> Result<Vec<Fold>, Failure> {
    let windows = span.split(n).map_err(|e| Failure::one(e, &Default::default()))?;
    windows
        .windows(2)
        .map(|w| fold(sweeper, grid, metric, w[0], w[1], jobs, progress))
        .collect()
}

/// The mean of the folds' out-of-sample metric over the folds where it is available and of
/// a variant picked by it (`NaN` when there are none): a fold whose training window ranked
/// nothing ([`Fold::picked`]) tests the grid's first variant, which no choice made, so its
/// figure says nothing about choosing by the metric and stays out of the mean.
pub fn mean_out_of_sample(folds: &[Fold], metric: Metric) -> f64 {
    let values: Vec<f64> = folds
        .iter()
        .filter(|f| f.picked(metric))
        .map(|f| metric.of(&f.out_of_sample))
        .filter(|v| !v.is_nan())
        .collect();
    if values.is_empty() {
        f64::NAN
    } else {
        values.iter().sum::<f64>() / values.len() as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("a date")
    }

    #[test]
    fn parses_periods() {
        assert_eq!(
            Span::parse("2020-01-01..2020-12-31"),
            Ok(Span {
                from: d("2020-01-01"),
                to: d("2020-12-31")
            })
        );
        for bad in ["2020-01-01", "2020-12-31..2020-01-01", "2020-01-01..later"] {
            assert!(matches!(Span::parse(bad), Err(SweepError::BadPeriod { .. })), "{bad}");
        }
    }

    #[test]
    fn split_is_consecutive_and_covers_the_span() {
        // 10 days in 3: starts at day 0, 10·1/3 = 3, 10·2/3 = 6.
        let span = Span::parse("2024-01-01..2024-01-10").expect("valid");
        let parts = span.split(3).expect("splittable");
        let labels: Vec<String> = parts.iter().map(|s| s.label()).collect();
        assert_eq!(
            labels,
            [
                "2024-01-01..2024-01-03",
                "2024-01-04..2024-01-06",
                "2024-01-07..2024-01-10"
            ]
        );
        assert!(span.split(1).is_err());
        assert!(span.split(11).is_err());
    }
}
