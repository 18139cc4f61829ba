//! One variant's result: its grid index, the values it set and the key metrics.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::engine::Variant;

/// The result of one variant. Numbers that are not available are `NaN` (`null` in JSON).
#[derive(Clone, Debug, Deserialize, PartialEq, Serialize)]
pub struct Outcome {
    /// Position in the grid (0-based), so shards can be merged back into one table.
    pub index: usize,
    /// `(name, value)` for each varied parameter, in `--vary` order.
    pub parameters: Vec<(String, String)>,
    #[serde(serialize_with = "nan_as_null", deserialize_with = "null_as_nan")]
    pub final_value: f64,
    #[serde(serialize_with = "nan_as_null", deserialize_with = "null_as_nan")]
    pub cagr: f64,
    #[serde(serialize_with = "nan_as_null", deserialize_with = "null_as_nan")]
    pub xirr: f64,
    #[serde(serialize_with = "nan_as_null", deserialize_with = "null_as_nan")]
    pub sharpe: f64,
    /// Depth as a positive fraction (0.25 is a 25% fall).
    #[serde(serialize_with = "nan_as_null", deserialize_with = "null_as_nan")]
    pub max_drawdown: f64,
    /// Fills.
    pub trades: usize,
}

impl Outcome {
    /// The figures of a finished variant (in USD, as `rotor run` reports them), annualised
    /// as the strategy's `bars per year` says, or as its dates show
    /// ([`Run::frequency`](crate::engine::Run::frequency)).
    pub fn new(index: usize, parameters: Vec<(String, String)>, run: &Variant) -> Outcome {
        // Only the ranked figures, folded in the loop: equal to the full report's to the bit.
        let m = run.ranked;
        Outcome {
            index,
            parameters,
            final_value: m.final_value,
            cagr: m.cagr.unwrap_or(f64::NAN),
            xirr: m.xirr.unwrap_or(f64::NAN),
            sharpe: m.sharpe.unwrap_or(f64::NAN),
            max_drawdown: m.max_drawdown,
            trades: run.counters.trades,
        }
    }

    /// `window=20 sym=IWM`
    pub fn label(&self) -> String {
        let parts: Vec<String> = self.parameters.iter().map(|(n, v)| format!("{n}={v}")).collect();
        if parts.is_empty() {
            "as written".into()
        } else {
            parts.join(" ")
        }
    }
}

fn nan_as_null<S: Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
    if v.is_finite() {
        s.serialize_f64(*v)
    } else {
        s.serialize_none()
    }
}

fn null_as_nan<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    Ok(Option::<f64>::deserialize(d)?.unwrap_or(f64::NAN))
}
