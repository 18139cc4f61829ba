//! The Korea Exchange's closures on weekdays, from 2001 (before then the year-end closing
//! ran over several days) to 2040 (the end of the lunar table), as the exchange lists them
//! (https://global.krx.co.kr, "Market Holidays"):
//!
//! - Korea's public holidays: New Year's Day; Seollal (three days around lunar 1/1);
//!   Independence Movement Day (1 March); Arbor Day (5 April, until 2005); Children's Day
//!   (5 May); Buddha's Birthday (lunar 4/8); Memorial Day (6 June); Constitution Day (17
//!   July, until 2007 and again from 2026); Labor Day (1 May, from 2026); Liberation Day
//!   (15 August); Chuseok (three days around lunar 8/15); National Foundation Day (3
//!   October); Hangul Day (9 October, from 2013); Christmas. Lunar dates come from
//!   [`super::lunar`].
//! - Substitute holidays (Public Holidays Act): from 2014 for Seollal and Chuseok (a day
//!   of them on a Sunday or on another holiday) and Children's Day (on a weekend or another
//!   holiday); from 15 August 2021 for 1 March, 15 August, 3 October and 9 October on a
//!   weekend; from Buddha's Birthday 2023 for it and Christmas on a weekend; from 2026 for
//!   Labor Day and Constitution Day on a weekend. The substitute is the next weekday that
//!   is no holiday.
//! - Days the exchange alone closes: Labor Day (1 May, until 2025) and the year-end closing
//!   (the last weekday of December).
//! - Election days and temporary holidays the government declared, and the elections to
//!   come on the days the election law sets ([`AD_HOC`]). Temporary holidays declared
//!   later are not known here: the run warns where the data disagrees with this calendar
//!   about a month's last trading day.
//!
//! Checked day by day against an independent implementation, the `holidays` Python
//! package's XKRX calendar (version 0.109): every weekday of 2001–2040 agrees.

use chrono::{Datelike, Duration, NaiveDate, Weekday};

use super::{lunar, ymd};

/// Weekday closures no rule gives, from 2001: election days and temporary holidays.
const AD_HOC: &[(i32, u32, u32)] = &[
    (2002, 6, 13),  // local elections
    (2002, 7, 1),   // temporary holiday (World Cup)
    (2002, 12, 19), // presidential election
    (2004, 4, 15),  // general election
    (2006, 5, 31),  // local elections
    (2007, 12, 19), // presidential election
    (2008, 4, 9),   // general election
    (2010, 6, 2),   // local elections
    (2012, 4, 11),  // general election
    (2012, 12, 19), // presidential election
    (2014, 6, 4),   // local elections
    (2015, 8, 14),  // temporary holiday (70th Liberation Day)
    (2016, 4, 13),  // general election
    (2016, 5, 6),   // temporary holiday
    (2017, 5, 9),   // presidential election
    (2017, 10, 2),  // temporary holiday
    (2018, 6, 13),  // local elections
    (2020, 4, 15),  // general election
    (2020, 8, 17),  // temporary holiday
    (2022, 3, 9),   // presidential election
    (2022, 6, 1),   // local elections
    (2023, 10, 2),  // temporary holiday
    (2024, 4, 10),  // general election
    (2024, 10, 1),  // temporary holiday (Armed Forces Day)
    (2025, 1, 27),  // temporary holiday
    (2025, 6, 3),   // presidential election
    (2026, 6, 3),   // local elections
    // Elections to come, on the days the Public Official Election Act sets for them.
    (2028, 4, 12), // general election
    (2030, 3, 27), // presidential election
    (2030, 6, 12), // local elections (moved a week: 6 June is Memorial Day)
    (2032, 4, 14), // general election
    (2034, 5, 31), // local elections
    (2035, 3, 28), // presidential election
    (2036, 4, 9),  // general election
    (2038, 6, 2),  // local elections
    (2040, 3, 28), // presidential election
    (2040, 4, 11), // general election
];

/// Whether the Korea Exchange is closed on a weekday `date`.
pub fn is_holiday(date: NaiveDate) -> bool {
    AD_HOC.contains(&(date.year(), date.month(), date.day())) || closures(date.year()).contains(&date)
}

/// Every rule-based closure of year `y` (weekend days included; they change nothing).
fn closures(y: i32) -> Vec<NaiveDate> {
    let mut public = vec![
        ymd(y, 1, 1),
        ymd(y, 3, 1),
        ymd(y, 5, 5),
        ymd(y, 6, 6),
        ymd(y, 8, 15),
        ymd(y, 10, 3),
        ymd(y, 12, 25),
    ];
    if y <= 2005 {
        public.push(ymd(y, 4, 5));
    }
    // Constitution Day: a holiday until 2007 and again from 2026.
    if y <= 2007 || y >= 2026 {
        public.push(ymd(y, 7, 17));
    }
    // Labor Day: a day the exchange closed, a public holiday from 2026.
    if y >= 2026 {
        public.push(ymd(y, 5, 1));
    }
    if y >= 2013 {
        public.push(ymd(y, 10, 9));
    }
    let lunar = lunar::dates(y);
    let three = |d: NaiveDate| [d - Duration::days(1), d, d + Duration::days(1)];
    if let Some([seollal, buddha, chuseok]) = lunar {
        public.extend(three(seollal));
        public.push(buddha);
        public.extend(three(chuseok));
    }
    let mut out = public.clone();
    let substitute = |after: NaiveDate, out: &mut Vec<NaiveDate>| {
        let mut d = after + Duration::days(1);
        while is_weekend(d) || out.contains(&d) {
            d += Duration::days(1);
        }
        out.push(d);
    };
    let others = |days: &[NaiveDate], d: NaiveDate| {
        public.iter().filter(|p| **p == d).count() > days.iter().filter(|p| **p == d).count()
    };
    if y >= 2014 {
        if let Some([seollal, _, chuseok]) = lunar {
            for period in [three(seollal), three(chuseok)] {
                let clashes = period
                    .iter()
                    .filter(|&&d| d.weekday() == Weekday::Sun || others(&period, d))
                    .count();
                // Each clash adds one day after the period (past any added already).
                for _ in 0..clashes {
                    substitute(period[2], &mut out);
                }
            }
        }
        let children = ymd(y, 5, 5);
        if is_weekend(children) || others(&[children], children) {
            substitute(children, &mut out);
        }
    }
    let weekend_rule = |d: NaiveDate| {
        let from_2021 = [(3, 1), (8, 15), (10, 3), (10, 9)].contains(&(d.month(), d.day())) && d >= ymd(2021, 8, 15);
        let from_2023 = (lunar.is_some_and(|l| l[1] == d) || (d.month(), d.day()) == (12, 25)) && d >= ymd(2023, 5, 27);
        let from_2026 = [(5, 1), (7, 17)].contains(&(d.month(), d.day())) && d.year() >= 2026;
        (from_2021 || from_2023 || from_2026) && is_weekend(d)
    };
    let mut weekend_days: Vec<NaiveDate> = public.iter().copied().filter(|&d| weekend_rule(d)).collect();
    weekend_days.sort();
    weekend_days.dedup();
    for d in weekend_days {
        substitute(d, &mut out);
    }
    out.push(ymd(y, 5, 1));
    let mut year_end = ymd(y, 12, 31);
    while is_weekend(year_end) {
        year_end -= Duration::days(1);
    }
    out.push(year_end);
    out
}

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().expect("a test date")
    }

    #[test]
    fn closures_checked_by_hand() {
        for closed in [
            "2024-02-09", // Seollal 2024: 9–11 February, the 11th a Sunday…
            "2024-02-12", // …so Monday the 12th is a substitute holiday
            "2023-01-24", // Seollal 2023 (21–23 January, the 22nd a Sunday): substitute
            "2027-02-09", // Seollal 2027 is 7 February (KASI): 6–8, the 7th a Sunday
            "2022-09-12", // Chuseok 2022 (9–11 September, the 11th a Sunday): substitute
            "2017-10-06", // Chuseok 2017 (3–5 October) on National Foundation Day: substitute
            "2028-10-05", // Chuseok 2028 (2–4 October) on National Foundation Day: substitute
            "2025-05-06", // Children's Day 2025 is Buddha's Birthday too: substitute
            "2024-05-06", // Children's Day 2024, a Sunday: substitute
            "2021-08-16", // Liberation Day 2021, a Sunday: substitute (from 2021)
            "2025-03-03", // Independence Movement Day 2025, a Saturday: substitute
            "2023-05-29", // Buddha's Birthday 2023, a Saturday: substitute (from 2023)
            "2027-12-27", // Christmas 2027, a Saturday: substitute
            "2024-05-01", // Labor Day: KRX closes
            "2024-12-31", // year-end closing
            "2023-12-29", // year-end closing: the 31st is a Sunday
            "2024-04-10", // general election
            "2024-10-01", // temporary holiday
            "2027-07-19", // Constitution Day 2027 (a holiday again from 2026), a Saturday
            "2028-04-12", // general election, the second Wednesday of April
        ] {
            assert!(is_holiday(d(closed)), "{closed} is a KRX holiday");
        }
        for open in [
            "2020-08-14", // Liberation Day 2020 was a Saturday, before substitutes for it
            "2019-09-16", // Chuseok 2019 (12–14 September, the 14th a Saturday): none
            "2013-09-23", // before substitutes for Chuseok (2014)
            "2024-12-30",
            "2024-02-13",
        ] {
            assert!(!is_holiday(d(open)), "{open} is a KRX trading day");
        }
    }
}
