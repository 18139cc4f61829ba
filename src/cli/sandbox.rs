//! The options every command that reads a strategy shares: what else it may read and how
//! much (docs/SECURITY.md).

use std::path::PathBuf;

use std::time::Duration;

use clap::Args;

use crate::access;
use crate::pipeline::RunOptions;
use crate::script::Budget;

#[derive(Clone, Debug, Default, Args)]
pub struct SandboxArgs {
    /// Let the strategy also read files under DIR (may be repeated). A strategy reads only
    /// its own folder and the `--data` paths otherwise.
    #[arg(long = "allow-path", value_name = "DIR")]
    pub allow_path: Vec<PathBuf>,
    /// Largest data file rotor reads, such as `4GiB` or `500MB` [default: 1GiB].
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    pub max_data_size: Option<u64>,
    /// Seconds all script calls of one run may take together [default: 10].
    #[arg(long, value_name = "SECONDS", value_parser = parse_seconds)]
    pub script_time: Option<Duration>,
    /// rhai operations all script calls of one run may do together [default: 100000000].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub script_operations: Option<u64>,
}

impl SandboxArgs {
    /// The script budget of one run these options set.
    pub fn budget(&self) -> Budget {
        let default = Budget::default();
        Budget {
            operations: self.script_operations.unwrap_or(default.operations),
            time: self.script_time.unwrap_or(default.time),
        }
    }

    /// Run options with what these flags allow (more paths, limits, the script budget) and
    /// everything else at its default.
    pub fn options(&self) -> RunOptions {
        RunOptions {
            allow: self.allow_path.clone(),
            limits: self.limits(),
            budget: self.budget(),
            ..RunOptions::default()
        }
    }

    /// The size limits these options set.
    pub fn limits(&self) -> access::Limits {
        access::Limits {
            data_bytes: self.max_data_size.unwrap_or(access::DEFAULT_MAX_DATA_BYTES),
            ..access::Limits::default()
        }
    }
}

/// A positive number of seconds, such as `30` or `2.5`.
fn parse_seconds(s: &str) -> Result<Duration, String> {
    match s.trim().parse::<f64>() {
        Ok(x) if x > 0.0 && x < 1e9 => Ok(Duration::from_secs_f64(x)),
        _ => Err(format!("`{s}` is not a number of seconds; write e.g. `30`")),
    }
}

/// `1048576`, `500MB`, `1.5GiB`: bytes, or a number with a unit (k, M, G, T; with or
/// without `i` and `B`, all powers of 1,024).
pub fn parse_size(s: &str) -> Result<u64, String> {
    let bad = || format!("`{s}` is not a size; write bytes or a number with a unit, such as `2GiB` or `500MB`");
    let t = s.trim();
    let split = t.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let number: f64 = number.parse().map_err(|_| bad())?;
    let unit = unit.trim().to_ascii_lowercase();
    let unit = unit.trim_end_matches('b').trim_end_matches('i');
    let scale: u64 = match unit {
        "" => 1,
        "k" => 1 << 10,
        "m" => 1 << 20,
        "g" => 1 << 30,
        "t" => 1 << 40,
        _ => return Err(bad()),
    };
    let bytes = number * scale as f64;
    if !bytes.is_finite() || bytes < 1.0 || bytes > u64::MAX as f64 {
        return Err(bad());
    }
    Ok(bytes as u64)
}

#[cfg(test)]
mod tests {
    use super::parse_size;

    #[test]
    fn sizes_with_and_without_units() {
        assert_eq!(parse_size("1048576"), Ok(1 << 20));
        assert_eq!(parse_size("500MB"), Ok(500 << 20));
        assert_eq!(parse_size("2GiB"), Ok(2 << 30));
        assert_eq!(parse_size("1.5g"), Ok(3 << 29));
        assert_eq!(parse_size("64 k"), Ok(64 << 10));
        for bad in ["", "GB", "-1", "0", "12 parsecs", "1e999"] {
            assert!(parse_size(bad).is_err(), "{bad}");
        }
    }
}
