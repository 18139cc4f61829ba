//! Splitting a grid across machines (`--shard K/N`) and checking that merged shards cover it.

use std::fmt;

use super::SweepError;

/// Shard `k` of `n` (1-based): the variants whose index `i` has `i % n == k - 1`. Striding
/// rather than cutting into blocks spreads slow and fast corners of the grid over all shards.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    pub k: usize,
    pub n: usize,
}

impl Shard {
    /// Parses `K/N` with 1 ≤ K ≤ N.
    pub fn parse(spec: &str) -> Result<Shard, SweepError> {
        let bad = || SweepError::BadShard { spec: spec.to_string() };
        let (k, n) = spec.split_once('/').ok_or_else(bad)?;
        let k: usize = k.trim().parse().map_err(|_| bad())?;
        let n: usize = n.trim().parse().map_err(|_| bad())?;
        if k == 0 || k > n {
            return Err(bad());
        }
        Ok(Shard { k, n })
    }

    /// This shard's grid indices, in grid order.
    pub fn indices(self, size: usize) -> Vec<usize> {
        (self.k - 1..size).step_by(self.n).collect()
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.k, self.n)
    }
}

/// Checks that `indices` (from all shards together) hold every index below `size` once.
pub fn check_cover(size: usize, indices: impl IntoIterator<Item = usize>) -> Result<(), SweepError> {
    let mut seen = vec![0usize; size];
    let mut outside = Vec::new();
    for i in indices {
        match seen.get_mut(i) {
            Some(n) => *n += 1,
            None => outside.push(i),
        }
    }
    let missing: Vec<usize> = (0..size).filter(|&i| seen[i] == 0).collect();
    let twice: Vec<usize> = (0..size).filter(|&i| seen[i] > 1).collect();
    let mut problems = Vec::new();
    if !missing.is_empty() {
        problems.push(format!("missing {}", list(&missing)));
    }
    if !twice.is_empty() {
        problems.push(format!("more than once {}", list(&twice)));
    }
    if !outside.is_empty() {
        problems.push(format!("beyond the grid's {size} variants {}", list(&outside)));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(SweepError::Coverage {
            problem: problems.join("; "),
        })
    }
}

/// `#3, #7` — at most ten, then how many more.
fn list(indices: &[usize]) -> String {
    let shown: Vec<String> = indices.iter().take(10).map(|i| format!("#{i}")).collect();
    match indices.len().saturating_sub(10) {
        0 => shown.join(", "),
        more => format!("{} and {more} more", shown.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_k_of_n() {
        assert_eq!(Shard::parse("2/8"), Ok(Shard { k: 2, n: 8 }));
        for bad in ["0/3", "4/3", "1", "a/3", "1/0", "-1/3"] {
            assert!(matches!(Shard::parse(bad), Err(SweepError::BadShard { .. })), "{bad}");
        }
    }

    #[test]
    fn shards_partition_the_grid() {
        let size = 11;
        let mut all: Vec<usize> = (1..=3).flat_map(|k| Shard { k, n: 3 }.indices(size)).collect();
        assert_eq!(Shard { k: 2, n: 3 }.indices(size), [1, 4, 7, 10]);
        assert_eq!(check_cover(size, all.iter().copied()), Ok(()));
        all.sort_unstable();
        assert_eq!(all, (0..size).collect::<Vec<_>>());
    }

    #[test]
    fn cover_names_missing_and_repeated_indices() {
        let err = check_cover(5, [0, 1, 1, 4, 9]).expect_err("not a cover");
        let SweepError::Coverage { problem } = err else {
            panic!("a coverage error")
        };
        assert_eq!(
            problem,
            "missing #2, #3; more than once #1; beyond the grid's 5 variants #9"
        );
    }
}
