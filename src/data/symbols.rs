//! The symbols met in a long price file, and what became of each.

use std::collections::HashMap;

use ahash::RandomState;

/// Past this many symbols a hash map finds one faster than a scan does.
const SCAN_LIMIT: usize = 16;

/// Each symbol met so far with its builder, or `None` for a symbol not wanted.
///
/// A long file usually holds a handful of symbols, and a row's symbol changes every row
/// when the file is sorted by date: comparing a few short strings is cheaper than hashing.
#[derive(Debug, Default)]
pub(crate) struct Symbols {
    seen: Vec<(String, Option<usize>)>,
    /// [`short_key`] of each symbol in `seen`, so most lookups compare integers.
    keys: Vec<Option<u64>>,
    /// Position in `seen` by symbol, once there are more than [`SCAN_LIMIT`]. Looked up on
    /// every row, so hashed with aHash (keyed per process, as std's SipHash is) at a
    /// fraction of SipHash's cost for a short ticker.
    index: HashMap<String, usize, RandomState>,
}

impl Symbols {
    /// What became of `symbol`: `None` if it was never met.
    pub fn get(&self, symbol: &str) -> Option<Option<usize>> {
        if self.seen.len() <= SCAN_LIMIT {
            if let Some(key) = short_key(symbol) {
                return self.keys.iter().position(|&k| k == Some(key)).map(|i| self.seen[i].1);
            }
            return self.seen.iter().find(|(s, _)| s == symbol).map(|&(_, b)| b);
        }
        self.index.get(symbol).map(|&i| self.seen[i].1)
    }

    /// Records a symbol met for the first time.
    pub fn insert(&mut self, symbol: &str, builder: Option<usize>) {
        self.seen.push((symbol.to_owned(), builder));
        self.keys.push(short_key(symbol));
        if self.seen.len() == SCAN_LIMIT + 1 {
            self.index = self.seen.iter().enumerate().map(|(i, (s, _))| (s.clone(), i)).collect();
        } else if self.seen.len() > SCAN_LIMIT {
            self.index.insert(symbol.to_owned(), self.seen.len() - 1);
        }
    }
}

/// A symbol of up to 7 bytes as one integer: its bytes, and its length in the top byte (so
/// `"A"` and `"A\0"` differ). Longer symbols have none and are compared as strings.
fn short_key(symbol: &str) -> Option<u64> {
    let bytes = symbol.as_bytes();
    if bytes.len() > 7 {
        return None;
    }
    let mut word = [0u8; 8];
    word[..bytes.len()].copy_from_slice(bytes);
    word[7] = bytes.len() as u8;
    Some(u64::from_le_bytes(word))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn found_before_and_after_the_map_takes_over() {
        let mut symbols = Symbols::default();
        for i in 0..40 {
            let builder = (i % 3 != 0).then_some(i);
            symbols.insert(&format!("S{i}"), builder);
            // Every symbol so far, whichever way it is looked up now.
            for j in 0..=i {
                assert_eq!(
                    symbols.get(&format!("S{j}")),
                    Some((j % 3 != 0).then_some(j)),
                    "{i} {j}"
                );
            }
            assert_eq!(symbols.get("NOPE"), None);
            assert_eq!(symbols.get("S"), None);
            assert_eq!(symbols.get(&format!("S{i}\0")), None);
        }
    }
}
