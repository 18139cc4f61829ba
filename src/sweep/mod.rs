//! `rotor sweep`: run one strategy over a grid of parameter values, rank the variants, guard
//! against overfitting with train/test and walk-forward splits, and split big grids into
//! shards for a cluster (docs/SCALING.md).
//!
//! [`Grid`] (the `--vary` axes) → [`Sweeper`] (data read once, variants run in parallel)
//! → [`Outcome`]s ranked by a [`Metric`] → [`SweepReport`] (table, JSON, CSV, merge).

mod error;
mod fingerprint;
mod grid;
mod metric;
mod outcome;
mod output;
mod run;
mod shard;
mod variant_warning;
mod walk_forward;

pub use error::SweepError;
pub use fingerprint::{Fingerprint, check_same};
pub use grid::{Axis, Grid};
pub use metric::Metric;
pub use outcome::Outcome;
pub use output::{
    SCHEMA_VERSION, SweepReport, format_metric, render_fold, render_walk_forward, table, walk_forward_csv,
    walk_forward_notes,
};
pub use run::{Sweeper, cores, worker_threads};
pub use shard::{Shard, check_cover};
pub use variant_warning::VariantWarning;
pub use walk_forward::{Fold, Span, fold, mean_out_of_sample, walk_forward};
