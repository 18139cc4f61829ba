//! Symbols looked up by name when the two halves of a file read at once are joined: a
//! search of the list for each symbol took time in the square of the symbols. Kept out of
//! `prices` so that the row loop's code there stays as it was.

use std::collections::{HashMap, HashSet};

/// Where each symbol is in a list (its first place).
pub(crate) struct SymbolIndex(HashMap<String, usize>);

impl SymbolIndex {
    /// The index of `symbols`, each at its first place in them.
    #[inline(never)]
    pub fn of<'s>(symbols: impl Iterator<Item = &'s str>) -> SymbolIndex {
        let mut index = HashMap::new();
        for (i, symbol) in symbols.enumerate() {
            index.entry(symbol.to_owned()).or_insert(i);
        }
        SymbolIndex(index)
    }

    pub fn get(&self, symbol: &str) -> Option<usize> {
        self.0.get(symbol).copied()
    }

    /// Notes `symbol` at place `at`, unless it is already in.
    pub fn add(&mut self, symbol: &str, at: usize) {
        self.0.entry(symbol.to_owned()).or_insert(at);
    }
}

/// Appends to `list` each of `more` it does not hold yet, in order.
#[inline(never)]
pub(crate) fn add_new(list: &mut Vec<String>, more: Vec<String>) {
    let mut held: HashSet<String> = list.iter().cloned().collect();
    for symbol in more {
        if held.insert(symbol.clone()) {
            list.push(symbol);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_symbol_is_found_at_its_first_place_and_added_once() {
        let mut index = SymbolIndex::of(["A", "B", "A"].into_iter());
        assert_eq!(
            (index.get("A"), index.get("B"), index.get("C")),
            (Some(0), Some(1), None)
        );
        index.add("C", 3);
        index.add("A", 4);
        assert_eq!((index.get("A"), index.get("C")), (Some(0), Some(3)));
        let mut list = vec!["A".to_string(), "B".to_string()];
        add_new(&mut list, vec!["B".into(), "C".into(), "C".into()]);
        assert_eq!(list, ["A", "B", "C"]);
    }
}
