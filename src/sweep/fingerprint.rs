//! What makes shards parts of one sweep: the same rotor, strategy, scripts, data, grid,
//! period and options. Every shard's JSON carries a [`Fingerprint`]; `--merge` refuses shards
//! whose fingerprints differ, naming the field, instead of printing a table of variants that
//! were never comparable.

use std::hash::Hasher;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{Grid, SweepError};
use crate::access::{self, ReadFile};
use crate::engine::Period;
use crate::pipeline::RunOptions;

/// What a sweep's results depend on. Contents are hashed (64-bit FNV-1a, a fixed algorithm,
/// so the same bytes give the same text on every machine); what a person can compare is kept
/// as text.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq, Serialize)]
pub struct Fingerprint {
    /// The rotor version that ran the sweep.
    pub rotor: String,
    /// The strategy file and the scripts it uses, hashed.
    pub strategy: String,
    /// Every data file read, hashed in the order read; `bundled` for the sample data.
    pub data: String,
    /// The `--vary` axes, as `name=v1,v2,…; …`.
    pub grid: String,
    /// `--from`..`--to`, empty where not given.
    pub period: String,
    /// Options that change results: lenient loading and the scripts' budget.
    pub options: String,
}

impl Fingerprint {
    /// The fingerprint of a sweep of `grid` over `period` with `options`, that read `files`
    /// (see [`crate::access::Access::files_read`]). Reads the files again to hash them.
    pub fn new(files: &[ReadFile], grid: &Grid, period: Period, options: &RunOptions) -> std::io::Result<Fingerprint> {
        let mut strategy = fnv::FnvHasher::default();
        let mut data = fnv::FnvHasher::default();
        let mut any_data = false;
        for file in files {
            let hasher = if file.what == "a data file" {
                any_data = true;
                &mut data
            } else {
                &mut strategy
            };
            let shown = file.path.display().to_string();
            let (bytes, _) =
                access::read_regular(&file.path, &shown, u64::MAX, file.what, false).map_err(|e| match e {
                    access::Denied::Io(e) => e,
                    access::Denied::Refused(e) => std::io::Error::other(e.to_string()),
                })?;
            hasher.write(file.path.file_name().map_or(&[][..], |n| n.as_encoded_bytes()));
            hasher.write(&[0]);
            hasher.write(&bytes);
        }
        let grid = grid
            .axes
            .iter()
            .map(|a| format!("{}={}", a.name, a.values.join(",")))
            .collect::<Vec<_>>()
            .join("; ");
        let day = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        Ok(Fingerprint {
            rotor: env!("CARGO_PKG_VERSION").to_string(),
            strategy: format!("{:016x}", strategy.finish()),
            data: if any_data {
                format!("{:016x}", data.finish())
            } else {
                "bundled".to_string()
            },
            grid,
            period: format!("{}..{}", day(period.from), day(period.to)),
            options: format!(
                "lenient={}; script time={:?}; script operations={}",
                options.lenient, options.budget.time, options.budget.operations
            ),
        })
    }

    /// The first field in which `self` and `other` differ, with both values.
    pub fn difference(&self, other: &Fingerprint) -> Option<(&'static str, String, String)> {
        let fields = [
            ("rotor version", &self.rotor, &other.rotor),
            ("strategy and scripts", &self.strategy, &other.strategy),
            ("data", &self.data, &other.data),
            ("grid", &self.grid, &other.grid),
            ("period", &self.period, &other.period),
            ("options", &self.options, &other.options),
        ];
        fields
            .into_iter()
            .find(|(_, a, b)| a != b)
            .map(|(name, a, b)| (name, a.clone(), b.clone()))
    }
}

/// Checks that every shard (its file and its fingerprint) comes from the same sweep as the
/// first.
pub fn check_same(shards: &[(&Path, Option<&Fingerprint>)]) -> Result<(), SweepError> {
    let Some(&(first_path, first)) = shards.first() else {
        return Ok(());
    };
    for &(path, fingerprint) in shards {
        let (Some(first), Some(this)) = (first, fingerprint) else {
            let missing = if first.is_none() { first_path } else { path };
            return Err(SweepError::NoFingerprint {
                path: missing.display().to_string(),
            });
        };
        if let Some((field, a, b)) = first.difference(this) {
            return Err(SweepError::ShardMismatch {
                field,
                first: first_path.display().to_string(),
                other: path.display().to_string(),
                first_value: a,
                other_value: b,
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn print(grid: &str) -> Fingerprint {
        Fingerprint {
            rotor: "0.1.0".into(),
            strategy: "00000000000000aa".into(),
            data: "bundled".into(),
            grid: grid.into(),
            period: "..".into(),
            options: "lenient=false".into(),
        }
    }

    #[test]
    fn the_first_differing_field_is_named() {
        let a = print("w=1,2");
        let mut b = print("w=1,2,3");
        b.period = "2020-01-01..".into();
        assert_eq!(a.difference(&a.clone()), None);
        assert_eq!(a.difference(&b), Some(("grid", "w=1,2".into(), "w=1,2,3".into())));
        let (p, q) = (Path::new("a.json"), Path::new("b.json"));
        match check_same(&[(p, Some(&a)), (q, Some(&b))]) {
            Err(SweepError::ShardMismatch { field, other, .. }) => {
                assert_eq!((field, other.as_str()), ("grid", "b.json"))
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            check_same(&[(p, Some(&a)), (q, None)]),
            Err(SweepError::NoFingerprint { path }) if path == "b.json"
        ));
    }
}
