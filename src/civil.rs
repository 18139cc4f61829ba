//! Day numbers (days since 1970-01-01) to civil dates with integer arithmetic only.
//!
//! The engine and the metrics ask for the year or month of every bar and print a date for
//! every trade; going through a calendar type and `Display` for that costs more than the
//! rest of a bar's work. Howard Hinnant's `civil_from_days` does it in a few operations,
//! for any day number (proleptic Gregorian calendar).

/// The (year, month 1–12, day 1–31) of a day number.
pub fn ymd(day: i32) -> (i64, u32, u32) {
    let z = day as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// The day number of a civil date (Hinnant's `days_from_civil`).
pub fn days(year: i64, month: u32, day: u32) -> i64 {
    let y = year - i64::from(month <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The year of day numbers that mostly arrive in order: remembers the current year's
/// first and last day, so most lookups are two comparisons.
#[derive(Clone, Copy, Debug, Default)]
pub struct Years {
    from: i64,
    until: i64,
    year: i64,
}

impl Years {
    /// The year of `day`.
    pub fn of(&mut self, day: i32) -> i64 {
        let d = i64::from(day);
        if !(self.from..self.until).contains(&d) {
            let (year, _, _) = ymd(day);
            *self = Years {
                from: days(year, 1, 1),
                until: days(year + 1, 1, 1),
                year,
            };
        }
        self.year
    }
}

/// `YYYY-MM-DD` of a day number (years 0–9999; others are printed with their sign and
/// digits, as chrono prints them).
pub fn iso(day: i32) -> String {
    let mut out = String::with_capacity(10);
    push_iso(&mut out, day);
    out
}

/// `YYYY-MM-DD` of a day number followed by the first `fields` (0 to 3) of `hh:mm:ss` of
/// `seconds` (the seconds since the day's midnight, 0–86,399): `2024-01-31 09:30` for two.
/// Written digit by digit: a minute run prints a date for each of thousands of fills.
pub fn iso_time(day: i32, seconds: i64, fields: usize) -> String {
    let parts = [seconds / 3600, seconds / 60 % 60, seconds % 60];
    let (y, m, d) = ymd(day);
    if !(0..=9999).contains(&y) {
        let mut out = String::with_capacity(19);
        push_iso(&mut out, day);
        for (i, v) in parts.into_iter().take(fields).enumerate() {
            out.push(if i == 0 { ' ' } else { ':' });
            push_two_digits(&mut out, v as u32);
        }
        return out;
    }
    // The whole text in place, cut after the fields asked for: one copy into the string
    // rather than a push (and its capacity check) per character.
    let mut text = *b"0000-00-00 00:00:00";
    let [h, mi, s] = parts.map(|v| v as u32);
    let y = y as u32;
    for (at, v) in [(0, y / 100), (2, y % 100), (5, m), (8, d), (11, h), (14, mi), (17, s)] {
        // `% 10` on both digits keeps every byte an ASCII digit whatever `v` is.
        text[at] = b'0' + (v / 10 % 10) as u8;
        text[at + 1] = b'0' + (v % 10) as u8;
    }
    let len = 10 + 3 * fields.min(3);
    String::from(std::str::from_utf8(&text[..len]).expect("digits, dashes, a space and colons are ASCII"))
}

fn push_iso(out: &mut String, day: i32) {
    let (y, m, d) = ymd(day);
    if (0..=9999).contains(&y) {
        for digit in [y / 1000, y / 100 % 10, y / 10 % 10, y % 10] {
            out.push(char::from(b'0' + digit as u8));
        }
        for v in [m, d] {
            out.push('-');
            push_two_digits(out, v);
        }
    } else {
        out.push_str(&format!("{y:+05}-{m:02}-{d:02}"));
    }
}

/// `v` (below 100) as two digits.
fn push_two_digits(out: &mut String, v: u32) {
    out.push(char::from(b'0' + (v / 10) as u8));
    out.push(char::from(b'0' + (v % 10) as u8));
}

/// The day numbers of timestamps (seconds since 1970) that mostly arrive in order:
/// remembers the current day's first and last second, so the bars of one day cost two
/// comparisons, not a division each.
#[derive(Clone, Copy, Debug, Default)]
pub struct Days {
    from: i64,
    until: i64,
    day: i32,
}

impl Days {
    /// The day of timestamp `ts` (as [`crate::data::day_of`]).
    #[inline]
    pub fn of(&mut self, ts: i64) -> i32 {
        if !(self.from..self.until).contains(&ts) {
            let day = crate::data::day_of(ts);
            let from = i64::from(day) * SECONDS_PER_DAY;
            *self = Days {
                from,
                until: from + SECONDS_PER_DAY,
                day,
            };
        }
        self.day
    }
}

const SECONDS_PER_DAY: i64 = 86_400;

#[cfg(test)]
mod tests {
    use chrono::{Datelike, NaiveDate};

    use super::*;

    #[test]
    fn agrees_with_chrono_on_every_day_from_1600_to_2400() {
        let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).expect("a date");
        let from = (NaiveDate::from_ymd_opt(1600, 1, 1).expect("a date") - epoch).num_days() as i32;
        let to = (NaiveDate::from_ymd_opt(2400, 12, 31).expect("a date") - epoch).num_days() as i32;
        for day in from..=to {
            let date = epoch + chrono::Duration::days(day as i64);
            assert_eq!(ymd(day), (date.year() as i64, date.month(), date.day()), "{date}");
            assert_eq!(iso(day), date.to_string());
            assert_eq!(days(date.year() as i64, date.month(), date.day()), day as i64, "{date}");
        }
    }

    /// Every field count, across years 0 to 9999 (one day in 997) and the ends of a day,
    /// as chrono writes the date and time; and a year beyond 9999 written with its sign.
    #[test]
    fn times_agree_with_chrono() {
        let epoch = NaiveDate::from_ymd_opt(1970, 1, 1)
            .expect("a date")
            .and_hms_opt(0, 0, 0)
            .expect("a time");
        let first = (NaiveDate::from_ymd_opt(0, 1, 1).expect("a date") - epoch.date()).num_days();
        let last = (NaiveDate::from_ymd_opt(9999, 12, 31).expect("a date") - epoch.date()).num_days();
        for day in (first..=last).step_by(997).chain([first, last]) {
            for seconds in [0, 59, 60, 34_215, 86_399] {
                let at = epoch + chrono::Duration::days(day) + chrono::Duration::seconds(seconds);
                let full = at.format("%Y-%m-%d %H:%M:%S").to_string();
                for fields in 0..=3 {
                    assert_eq!(iso_time(day as i32, seconds, fields), full[..10 + 3 * fields], "{full}");
                }
            }
        }
        let later = (NaiveDate::from_ymd_opt(10_000, 1, 1).expect("a date") - epoch.date()).num_days();
        assert_eq!(iso_time(later as i32, 59, 3), "+10000-01-01 00:00:59");
    }

    #[test]
    fn years_of_days_in_and_out_of_order() {
        let mut years = Years::default();
        for day in [0, 1, 364, 365, -1, 11_016, 11_017, 10_957, 0] {
            assert_eq!(years.of(day), ymd(day).0, "day {day}");
        }
    }

    #[test]
    fn days_of_timestamps_in_and_out_of_order() {
        let mut days = Days::default();
        // Midnight and the second before it, a day later, back before 1970, then forward.
        for ts in [0, 86_399, 86_400, 90_000, -1, -86_400, -86_401, 1_700_000_000, 0] {
            assert_eq!(days.of(ts), ts.div_euclid(86_400) as i32, "ts {ts}");
        }
    }

    #[test]
    fn times_of_day_written_by_hand() {
        // 09:30:15 is 9 × 3600 + 30 × 60 + 15 = 34,215 seconds after midnight.
        assert_eq!(iso_time(0, 34_215, 0), "1970-01-01");
        assert_eq!(iso_time(0, 34_215, 2), "1970-01-01 09:30");
        assert_eq!(iso_time(0, 34_215, 3), "1970-01-01 09:30:15");
        assert_eq!(iso_time(-1, 86_399, 3), "1969-12-31 23:59:59");
    }

    #[test]
    fn hand_checked_days() {
        assert_eq!(iso(0), "1970-01-01");
        assert_eq!(iso(-1), "1969-12-31");
        // 2000-02-29: 30 years (7 of them leap: 72, 76, …, 96) plus January and 28 days.
        assert_eq!(iso(30 * 365 + 7 + 31 + 28), "2000-02-29");
    }
}
