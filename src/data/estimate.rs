//! How many rows a history will end up with, so its columns grow once or twice rather
//! than by doubling (which copies every column and leaves up to half of it unused).

/// The capacity a history of `len` rows should grow to when full, judging by the bytes
/// its rows took so far: it started at byte `first_at`, the reader is at `consumed`, and
/// the text is `total` bytes long.
///
/// In a long file the rows since `first_at` include other symbols' rows, so the history's
/// share of what remains is estimated by its share so far. The estimate gets 2% slack, and
/// a growth step is at least an eighth, which bounds the number of regrowths when rows get
/// shorter further down.
pub(crate) fn capacity_for(len: usize, first_at: usize, consumed: usize, total: usize) -> usize {
    let read = consumed.saturating_sub(first_at).max(1);
    let remaining = total.saturating_sub(consumed);
    let ahead = ((len + 1) as u128 * remaining as u128 / read as u128) as usize;
    let predicted = len + 1 + ahead;
    (predicted + predicted / 50 + 16).max(len + len / 8 + 16)
}

/// Grows `column` to at least `capacity`, exactly.
pub(crate) fn reserve_to<T>(column: &mut Vec<T>, capacity: usize) {
    column.reserve_exact(capacity.saturating_sub(column.len()));
}

/// Gives back what a generous estimate left unused, when it is worth a copy.
pub(crate) fn trim<T>(column: &mut Vec<T>) {
    if column.capacity() - column.len() > column.len() / 16 + 64 {
        column.shrink_to_fit();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_symbol_file_is_sized_from_its_first_row() {
        // A 1,000-byte file of 10-byte rows after a 20-byte header: 98 rows.
        let capacity = capacity_for(0, 20, 30, 1_000);
        assert!((98..=120).contains(&capacity), "{capacity}");
    }

    #[test]
    fn a_symbol_of_a_long_file_gets_its_share() {
        // One row in three so far (30 of 90 bytes since it started); 900 bytes to go.
        let capacity = capacity_for(2, 10, 100, 1_000);
        assert!((3 + 30..=3 + 30 + 20).contains(&capacity), "{capacity}");
    }

    #[test]
    fn growth_is_at_least_an_eighth() {
        assert_eq!(capacity_for(800, 0, 999_999, 1_000_000), 800 + 100 + 16);
    }
}
