//! The fast path for date cells: ISO dates with an optional time of day.
//!
//! Consecutive rows mostly share a day (one-minute bars, long files listing every symbol
//! for a date), so the calendar work of [`parse_year_first`] is done once per day: the
//! cache keeps the last date's ten bytes and its midnight.

use super::date::{SECONDS_PER_DAY, parse_year_first};

/// Whether two ten-byte dates are equal, as two integer comparisons (a slice comparison
/// calls `memcmp`, which costs more than the rest of a cached lookup).
fn same_ten(a: &[u8], b: &[u8; 10]) -> bool {
    let word = |x: &[u8]| u64::from_le_bytes(x[..8].try_into().expect("eight bytes"));
    word(a) == word(b) && a[8..10] == b[8..10]
}

/// The last `YYYY-MM-DD` read and its midnight.
#[derive(Debug, Default)]
pub(crate) struct DayCache {
    date: [u8; 10],
    midnight: Option<i64>,
}

impl DayCache {
    /// Reads `YYYY-MM-DD`, `YYYY-MM-DD HH:MM[:SS]` or `YYYY-MM-DDTHH:MM[:SS]` starting at
    /// `bytes[at]`, up to the first byte after it, and returns the timestamp and where it
    /// ends. `None` means "not handled here": the caller parses the cell the general way.
    #[inline(always)]
    pub fn timestamp(&mut self, bytes: &[u8], at: usize) -> Option<(i64, usize)> {
        let date = bytes.get(at..at + 10)?;
        let midnight = match self.midnight {
            Some(midnight) if same_ten(date, &self.date) => midnight,
            _ => self.new_day(date)?,
        };
        let i = at + 10;
        if !matches!(bytes.get(i), Some(b' ' | b'T')) {
            return Some((midnight, i));
        }
        if let Some(time) = word_time(bytes, i + 1) {
            return Some((midnight + time, i + 9));
        }
        let (time, end) = field_time(bytes, i + 1)?;
        Some((midnight + time, end))
    }

    /// The midnight of the ten bytes of `date`, a day other than the last one read, which
    /// it becomes; `None` unless it is `YYYY-MM-DD`. Out of line: most rows share their day
    /// with the row before.
    #[cold]
    #[inline(never)]
    fn new_day(&mut self, date: &[u8]) -> Option<i64> {
        let shaped = date.iter().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                *b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
        if !shaped {
            return None;
        }
        let text = std::str::from_utf8(date).expect("ten ASCII bytes are UTF-8");
        let midnight = parse_year_first(text)?;
        self.date.copy_from_slice(date);
        self.midnight = Some(midnight);
        Some(midnight)
    }
}

/// `HH:MM[:SS]` at `bytes[at]`, a field at a time (the forms [`word_time`] does not read),
/// as seconds into the day and where it ends. Out of line, to keep the common form's path
/// short where it is inlined.
#[inline(never)]
fn field_time(bytes: &[u8], at: usize) -> Option<(i64, usize)> {
    let hours = two_digits(bytes, at)?;
    if bytes.get(at + 2) != Some(&b':') {
        return None;
    }
    let minutes = two_digits(bytes, at + 3)?;
    let mut i = at + 5;
    let seconds = if bytes.get(i) == Some(&b':') {
        i += 3;
        two_digits(bytes, i - 2)?
    } else {
        0
    };
    if hours > 23 || minutes > 59 || seconds > 59 {
        return None;
    }
    let time = (hours * 60 + minutes) * 60 + seconds;
    debug_assert!(time < SECONDS_PER_DAY);
    Some((time, i))
}

/// `HH:MM:SS` at `bytes[at]` as seconds into the day, read as one eight-byte word (the
/// form of nearly every intraday timestamp); `None` for anything else, which
/// [`DayCache::timestamp`] then reads a field at a time, with the same result.
#[inline(always)]
fn word_time(bytes: &[u8], at: usize) -> Option<i64> {
    let chunk: [u8; 8] = bytes.get(at..at + 8)?.try_into().ok()?;
    // Each byte XOR b'0': digits become 0..=9 and `:` becomes 10.
    let x = u64::from_le_bytes(chunk) ^ 0x3030_3030_3030_3030;
    let not_digit = (((x & 0x7F7F_7F7F_7F7F_7F7F).wrapping_add(0x7676_7676_7676_7676)) | x) & 0x8080_8080_8080_8080;
    const DIGITS: u64 = 0x8080_0080_8000_8080;
    const COLONS: u64 = 0x0000_FF00_00FF_0000;
    if not_digit & DIGITS != 0 || x & COLONS != 0x0000_0A00_000A_0000 {
        return None;
    }
    let pair = |k: usize| i64::from(chunk[k] - b'0') * 10 + i64::from(chunk[k + 1] - b'0');
    let (hours, minutes, seconds) = (pair(0), pair(3), pair(6));
    if hours > 23 || minutes > 59 || seconds > 59 {
        return None;
    }
    Some((hours * 60 + minutes) * 60 + seconds)
}

fn two_digits(bytes: &[u8], at: usize) -> Option<i64> {
    match bytes.get(at..at + 2)? {
        &[a, b] if a.is_ascii_digit() && b.is_ascii_digit() => Some(i64::from((a - b'0') * 10 + (b - b'0'))),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::date::parse_timestamp;
    use proptest::prelude::*;

    fn whole(cache: &mut DayCache, text: &str) -> Option<i64> {
        cache
            .timestamp(text.as_bytes(), 0)
            .and_then(|(ts, end)| (end == text.len()).then_some(ts))
    }

    #[test]
    fn dates_and_times() {
        let mut cache = DayCache::default();
        // 2024-01-02 is day 19,724 since 1970-01-01: 54 years with 13 leap days, plus one.
        let midnight = (54 * 365 + 13 + 1) * 86_400;
        assert_eq!(whole(&mut cache, "2024-01-02"), Some(midnight));
        assert_eq!(
            whole(&mut cache, "2024-01-02 09:31"),
            Some(midnight + 9 * 3600 + 31 * 60)
        );
        assert_eq!(whole(&mut cache, "2024-01-02T23:59:59"), Some(midnight + 86_399));
        assert_eq!(cache.timestamp(b"2024-01-02,5", 0), Some((midnight, 10)));
    }

    #[test]
    fn other_forms_are_left_to_the_slow_path() {
        let mut cache = DayCache::default();
        for text in [
            "2024/01/02",
            "20240102",
            "2024-01-02 24:00",
            "2024-01-02 9:30",
            "2024-02-30",
            "2024-01-0",
        ] {
            assert_eq!(whole(&mut cache, text), None, "{text}");
        }
        // The cache must not let a bad time through on a known day.
        assert!(whole(&mut cache, "2024-01-02").is_some());
        assert_eq!(whole(&mut cache, "2024-01-02 12:60"), None);
    }

    proptest! {
        #[test]
        fn equals_parse_timestamp(
            days in proptest::collection::vec(("[0-9]{4}", 0u32..15, 0u32..34), 1..4),
            times in proptest::collection::vec(proptest::option::of((" |T", 0u32..26, 0u32..62, proptest::option::of(0u32..62))), 1..6),
        ) {
            // Several rows through one cache, so hits and misses both happen.
            let mut cache = DayCache::default();
            for (year, month, day) in &days {
                for time in &times {
                    let mut text = format!("{year}-{month:02}-{day:02}");
                    if let Some((sep, h, m, s)) = time {
                        text.push_str(&format!("{sep}{h:02}:{m:02}"));
                        if let Some(s) = s {
                            text.push_str(&format!(":{s:02}"));
                        }
                    }
                    let expected = parse_timestamp(&text);
                    // Every cell of these shapes is one the fast path takes or rejects alike.
                    prop_assert_eq!(whole(&mut cache, &text), expected, "{}", text);
                }
            }
        }
    }
}
