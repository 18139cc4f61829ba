//! How many rows a history will end up with, so its columns grow once or twice rather
//! than by doubling (which copies every column and leaves up to half of it unused).

/// Rows a history gets room for at its first row.
const FIRST: usize = 4;
/// A growth at most multiplies the rows a history holds by this.
const STEP: usize = 8;

/// The capacity a history of `len` rows should grow to when full, judging by the bytes
/// its rows took so far: it started at byte `first_at`, the reader is at `consumed`, and
/// the text is `total` bytes long.
///
/// In a long file the rows since `first_at` include other symbols' rows, so the history's
/// share of what remains is estimated by its share so far. The estimate gets 2% slack, and
/// a growth step is at least an eighth, which bounds the number of regrowths when rows get
/// shorter further down.
///
/// A history's room is at most [`STEP`] times its rows (and [`FIRST`] rows at its first
/// row): a few rows say little about a history's share, and each of 20,000 one-row
/// symbols, sized as if the rest of the file were its own, took 4 GB for a 600 KB file.
/// So the room of all histories together is in proportion to the rows read, and one
/// history of n rows grows about log₈(n) times.
pub(crate) fn capacity_for(len: usize, first_at: usize, consumed: usize, total: usize) -> usize {
    let read = consumed.saturating_sub(first_at).max(1);
    let remaining = total.saturating_sub(consumed);
    let ahead = ((len + 1) as u128 * remaining as u128 / read as u128) as usize;
    let predicted = len + 1 + ahead;
    let estimate = (predicted + predicted / 50 + 16).max(len + len / 8 + 16);
    estimate.min(len.saturating_mul(STEP).saturating_add(FIRST))
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
    fn a_first_row_gets_room_for_a_few_rows_whatever_follows() {
        // A 1,000-byte file of 10-byte rows after a 20-byte header: 98 rows may follow,
        // or 98 other symbols.
        assert_eq!(capacity_for(0, 20, 30, 1_000), FIRST);
    }

    #[test]
    fn one_symbol_file_is_sized_in_a_few_growths() {
        // 500,000 rows of 40 bytes after a 20-byte header, all of one symbol.
        let (rows, width, header) = (500_000, 40, 20);
        let total = header + rows * width;
        let (mut len, mut room, mut growths) = (0, 0, 0);
        while len < rows {
            if len == room {
                room = capacity_for(len, header, header + (len + 1) * width, total);
                growths += 1;
            }
            len += 1;
        }
        assert!(growths <= 8, "{growths} growths");
        assert!(room <= rows + rows / 50 + 16, "room for {room} rows");
    }

    #[test]
    fn room_of_many_short_histories_is_in_proportion_to_the_file() {
        // 20,000 symbols of 2 rows each, one after the other: 20 bytes a row.
        let (symbols, width) = (20_000, 20);
        let total = symbols * 2 * width;
        let mut room = 0;
        for symbol in 0..symbols {
            let first_at = symbol * 2 * width;
            let first = capacity_for(0, first_at, first_at + width, total);
            // The second row fits or the history grows once more.
            room += if first >= 2 {
                first
            } else {
                capacity_for(1, first_at, first_at + 2 * width, total)
            };
        }
        assert!(room <= symbols * FIRST, "room for {room} rows of {} read", symbols * 2);
    }

    #[test]
    fn a_symbol_of_a_long_file_gets_its_share() {
        // One row in three so far (30 rows of 10 bytes in 900 bytes since it started, enough
        // rows for the share to count rather than the step, see `STEP`); 900 bytes to go.
        let capacity = capacity_for(29, 10, 910, 1_810);
        assert!((30 + 30..=30 + 30 + 20).contains(&capacity), "{capacity}");
    }

    #[test]
    fn growth_is_at_least_an_eighth() {
        assert_eq!(capacity_for(800, 0, 999_999, 1_000_000), 800 + 100 + 16);
    }
}
