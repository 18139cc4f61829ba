//! The Korean lunar holidays in the Gregorian calendar, 2000–2040: Seollal (lunar 1/1),
//! Buddha's Birthday (lunar 4/8) and Chuseok (lunar 8/15), by the Korea Astronomy and
//! Space Science Institute's (KASI) lunar calendar — the one the Korean government declares
//! holidays by, which differs from the Chinese one on some days (Seollal 2027 is 7
//! February in Korea, 6 February in China). Generated with the `korean-lunar-calendar`
//! package (KASI data); the closures they give agree with the `holidays` Python package's
//! XKRX calendar on every weekday of 2001–2040 (see [`super::krx`]).

use chrono::NaiveDate;

/// (year, Seollal, Buddha's Birthday, Chuseok), each (month, day).
type Row = (i32, (u32, u32), (u32, u32), (u32, u32));

const TABLE: &[Row] = &[
    (2000, (2, 5), (5, 11), (9, 12)),
    (2001, (1, 24), (5, 1), (10, 1)),
    (2002, (2, 12), (5, 19), (9, 21)),
    (2003, (2, 1), (5, 8), (9, 11)),
    (2004, (1, 22), (5, 26), (9, 28)),
    (2005, (2, 9), (5, 15), (9, 18)),
    (2006, (1, 29), (5, 5), (10, 6)),
    (2007, (2, 18), (5, 24), (9, 25)),
    (2008, (2, 7), (5, 12), (9, 14)),
    (2009, (1, 26), (5, 2), (10, 3)),
    (2010, (2, 14), (5, 21), (9, 22)),
    (2011, (2, 3), (5, 10), (9, 12)),
    (2012, (1, 23), (5, 28), (9, 30)),
    (2013, (2, 10), (5, 17), (9, 19)),
    (2014, (1, 31), (5, 6), (9, 8)),
    (2015, (2, 19), (5, 25), (9, 27)),
    (2016, (2, 8), (5, 14), (9, 15)),
    (2017, (1, 28), (5, 3), (10, 4)),
    (2018, (2, 16), (5, 22), (9, 24)),
    (2019, (2, 5), (5, 12), (9, 13)),
    (2020, (1, 25), (4, 30), (10, 1)),
    (2021, (2, 12), (5, 19), (9, 21)),
    (2022, (2, 1), (5, 8), (9, 10)),
    (2023, (1, 22), (5, 27), (9, 29)),
    (2024, (2, 10), (5, 15), (9, 17)),
    (2025, (1, 29), (5, 5), (10, 6)),
    (2026, (2, 17), (5, 24), (9, 25)),
    (2027, (2, 7), (5, 13), (9, 15)),
    (2028, (1, 27), (5, 2), (10, 3)),
    (2029, (2, 13), (5, 20), (9, 22)),
    (2030, (2, 3), (5, 9), (9, 12)),
    (2031, (1, 23), (5, 28), (10, 1)),
    (2032, (2, 11), (5, 16), (9, 19)),
    (2033, (1, 31), (5, 6), (9, 8)),
    (2034, (2, 19), (5, 25), (9, 27)),
    (2035, (2, 8), (5, 15), (9, 16)),
    (2036, (1, 28), (5, 3), (10, 4)),
    (2037, (2, 15), (5, 22), (9, 24)),
    (2038, (2, 4), (5, 11), (9, 13)),
    (2039, (1, 24), (4, 30), (10, 2)),
    (2040, (2, 12), (5, 18), (9, 21)),
];

/// The lunar holidays of `year`: Seollal, Buddha's Birthday, Chuseok; `None` outside
/// the table.
pub fn dates(year: i32) -> Option<[NaiveDate; 3]> {
    let &(_, s, b, c) = TABLE.iter().find(|r| r.0 == year)?;
    let day = |(m, d): (u32, u32)| NaiveDate::from_ymd_opt(year, m, d).expect("the table holds real dates");
    Some([day(s), day(b), day(c)])
}
