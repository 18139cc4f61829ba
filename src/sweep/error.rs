//! What can be wrong with a sweep's grid, shards or merge, before or around the runs.

use miette::Diagnostic;
use thiserror::Error;

/// A problem with `rotor sweep`'s arguments or inputs (the runs' own errors keep their phase).
#[derive(Clone, Debug, Diagnostic, Error, PartialEq)]
pub enum SweepError {
    #[error("`--vary {spec}` is not a parameter grid")]
    #[diagnostic(
        code(rotor::sweep::bad_vary),
        help("write `--vary NAME=FROM:TO:STEP` (such as `window=20:250:10`) or `--vary NAME=a,b,c`")
    )]
    BadVary { spec: String },

    #[error("`--vary {spec}` is an empty range: {reason}")]
    #[diagnostic(
        code(rotor::sweep::empty_range),
        help("write FROM:TO:STEP with FROM ≤ TO and a step above 0, such as `20:250:10`")
    )]
    EmptyRange { spec: String, reason: String },

    /// A grid past the largest sweep rotor runs: `what` is "values" for one range, or
    /// "variants" for the product of the axes.
    #[error("`--vary {spec}` has more than a million {what}")]
    #[diagnostic(
        code(rotor::sweep::too_many_variants),
        help("a sweep runs at most 1,000,000 variants: take a larger step or fewer values")
    )]
    TooManyVariants { spec: String, what: &'static str },

    #[error("`{name}` is varied twice")]
    #[diagnostic(
        code(rotor::sweep::repeated_parameter),
        help("give each parameter one `--vary`; list all its values there, such as `{name}=1,2,3`")
    )]
    RepeatedParameter { name: String },

    #[error("the strategy has no parameter `{name}` to vary")]
    #[diagnostic(code(rotor::sweep::unknown_parameter))]
    UnknownParameter {
        name: String,
        #[help]
        help: String,
    },

    #[error("`--shard {spec}` is not a shard")]
    #[diagnostic(
        code(rotor::sweep::bad_shard),
        help("write `--shard K/N` with 1 ≤ K ≤ N, such as `--shard 2/8` for the second of eight")
    )]
    BadShard { spec: String },

    #[error("`{spec}` is not a period")]
    #[diagnostic(
        code(rotor::sweep::bad_period),
        help("write FROM..TO with dates as YYYY-MM-DD, such as `2015-01-01..2019-12-31`")
    )]
    BadPeriod { spec: String },

    #[error("cannot split the data's {days} days into {windows} walk-forward windows")]
    #[diagnostic(
        code(rotor::sweep::walk_forward),
        help("use at least 2 windows and no more than the data has days, such as `--walk-forward 4`")
    )]
    WalkForward { days: i64, windows: usize },

    #[error("the grid has {size} variants; shard {shard} gets none of them")]
    #[diagnostic(
        code(rotor::sweep::empty_shard),
        help("use fewer shards than variants, such as `--shard 1/{size}`")
    )]
    EmptyShard { shard: String, size: usize },

    #[error("`{path}` is not the JSON of a sweep: {reason}")]
    #[diagnostic(
        code(rotor::sweep::bad_shard_file),
        help("merge the files written by `rotor sweep … --shard K/N --json`")
    )]
    BadShardFile { path: String, reason: String },

    #[error("the shards are of different grids ({first} and {other} variants)")]
    #[diagnostic(
        code(rotor::sweep::mixed_grids),
        help("merge only the shards of one sweep: same file, same `--vary` arguments")
    )]
    MixedGrids { first: usize, other: usize },

    #[error("`{other}` is not a shard of the same sweep as `{first}`: their {field} differ")]
    #[diagnostic(
        code(rotor::sweep::shard_mismatch),
        help(
            "{field}: `{first_value}` in the first, `{other_value}` in the other; make every shard with the same rotor, strategy, scripts, data, `--vary`, `--from`/`--to` and options"
        )
    )]
    ShardMismatch {
        field: &'static str,
        first: String,
        other: String,
        first_value: String,
        other_value: String,
    },

    #[error("`{path}` has no fingerprint, so rotor cannot tell which sweep it belongs to")]
    #[diagnostic(
        code(rotor::sweep::no_fingerprint),
        help(
            "make the shard again with this rotor (`rotor sweep … --shard K/N --json`): its JSON then says which strategy, data, grid, period and options it was run with"
        )
    )]
    NoFingerprint { path: String },

    #[error("the shards do not cover the grid exactly once: {problem}")]
    #[diagnostic(
        code(rotor::sweep::coverage),
        help("merge one JSON file per shard K/N, for every K from 1 to N, each once")
    )]
    Coverage { problem: String },

    #[error("variant #{index} ({params}) failed; its errors follow")]
    #[diagnostic(
        code(rotor::sweep::variant_failed),
        help("fix or remove the value this variant sets; the errors below say what is wrong")
    )]
    VariantFailed { index: usize, params: String },
}

impl From<SweepError> for crate::diagnostic::Error {
    fn from(e: SweepError) -> Self {
        crate::diagnostic::Error::Other(crate::diagnostic::Other(Box::new(e)))
    }
}
