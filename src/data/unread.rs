//! The column projection of a run: price columns a strategy never reads are not kept.
//!
//! A run reads a symbol's close (everything), its open (fills at the next open; exits judge
//! only bars with a row, whose open is not NaN) and its adjustments (adjusted close, splits,
//! dividends: they change every price). The high and low are read only by `high(…)`,
//! `low(…)` and `atr(…)` (stops judge the close), the volume only by `volume(…)`. The cells
//! of a column left out are still read and validated exactly as before, so every diagnostic,
//! note and skipped row of a cell stays the same; only their values are not stored. The
//! checks of whole bars (`sanity.rs`: a high below the low, a negative volume, a close
//! outside the range) look at the columns kept alone; a lenient load therefore keeps every
//! column (`pipeline::load_data`), so that the rows it drops do not depend on what the
//! strategy reads.

/// Price columns that are validated but not kept (their [`PriceHistory`] column stays
/// empty). The default keeps every column: what `rotor check`, the REPL and the language
/// server load.
///
/// [`PriceHistory`]: super::PriceHistory
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Unread {
    /// `high` and `low` stay empty.
    pub high_low: bool,
    /// `volume` stays empty (`Some` of an empty column when the file has one).
    pub volume: bool,
}

/// The functions that read the high and the low column.
const READ_HIGH_LOW: [&str; 3] = ["high", "low", "atr"];

/// The function that reads the volume column.
const READ_VOLUME: &str = "volume";

impl Unread {
    /// What a strategy can never read, given every name it mentions, the functions it
    /// calls included (`ast::File::names`, plus a sweep's `--vary` values). A name that
    /// merely contains a function's name (a symbol `HIGHLAND`, a value `atr(IWM, 14)`)
    /// keeps its columns: an extra column costs memory, a missing one would be a wrong run.
    pub fn of_names<'a>(names: impl IntoIterator<Item = &'a str>) -> Unread {
        let mut unread = Unread {
            high_low: true,
            volume: true,
        };
        for name in names {
            let name = name.to_ascii_lowercase();
            if READ_HIGH_LOW.iter().any(|f| name.contains(f)) {
                unread.high_low = false;
            }
            if name.contains(READ_VOLUME) {
                unread.volume = false;
            }
        }
        unread
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_functions_that_read_a_column_keep_it() {
        let of = |names: &[&str]| Unread::of_names(names.iter().copied());
        let none = Unread {
            high_low: true,
            volume: true,
        };
        assert_eq!(of(&["MIN", "close", "sma"]), none);
        assert_eq!(
            of(&["IWM", "atr"]),
            Unread {
                high_low: false,
                ..none
            }
        );
        assert_eq!(
            of(&["high"]),
            Unread {
                high_low: false,
                ..none
            }
        );
        assert_eq!(
            of(&["low"]),
            Unread {
                high_low: false,
                ..none
            }
        );
        assert_eq!(of(&["volume", "IWM"]), Unread { volume: false, ..none });
        // Anything that might be such a call keeps the column.
        assert_eq!(
            of(&["atr(IWM, 14)"]),
            Unread {
                high_low: false,
                ..none
            }
        );
        assert_eq!(of(&["VOLUME_FUND"]), Unread { volume: false, ..none });
    }
}
