//! The derived series against a deliberately simple reference, on generated exports, and
//! the no-look-ahead property: data cut at a day gives the same values up to that day.

use chrono::NaiveDate;
use proptest::prelude::*;

use super::{Calendar, TargetHistory, load, timestamp};
use crate::data::{DataSet, LoadOptions, SeriesHistory};

const MEETINGS: [(u32, u32); 2] = [(9, 17), (10, 29)];
const BANDS: [(i32, i32); 3] = [(375, 400), (400, 425), (425, 450)];

/// One meeting's rows: (day of the year 2025 as an ordinal offset from July 1, thousandths
/// of the first two bands; the third gets the rest).
type Rows = Vec<(u32, u32, u32)>;

fn day(offset: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 7, 1).expect("a date") + chrono::Duration::days(i64::from(offset))
}

fn export_text(rows: &Rows) -> String {
    let mut text = String::from("Date,(375-400),(400-425),(425-450)\n");
    let mut seen = std::collections::BTreeSet::new();
    for &(offset, a, b) in rows {
        if !seen.insert(offset) {
            continue;
        }
        let d = day(offset);
        text.push_str(&format!(
            "{}/{}/{},{:.3},{:.3},{:.3}\n",
            chrono::Datelike::year(&d),
            chrono::Datelike::month(&d),
            chrono::Datelike::day(&d),
            f64::from(a) / 1000.0,
            f64::from(b) / 1000.0,
            f64::from(1000 - a - b) / 1000.0
        ));
    }
    text
}

fn load_all(meetings: &[Rows]) -> DataSet {
    let mut set = DataSet::default();
    for (&(m, d), rows) in MEETINGS.iter().zip(meetings) {
        if rows.is_empty() {
            continue;
        }
        let name = format!("FedMeeting_2025{m:02}{d:02}.csv");
        let loaded = load(&name, &export_text(rows), &LoadOptions::default())
            .expect("valid")
            .expect("a FedWatch export");
        set.merge(loaded).expect("one FedWatch set");
    }
    set
}

/// The value of a series on a day: its last point on or before it (the engine's as-of join).
fn as_of(series: Option<&SeriesHistory>, t: NaiveDate) -> f64 {
    let Some(s) = series else { return f64::NAN };
    let at = s.ts.iter().rposition(|&ts| ts <= timestamp(t));
    at.map_or(f64::NAN, |i| s.values[i])
}

/// fed_cut_prob by the definition, read off the rows with plain loops.
fn reference(meetings: &[Rows], t: NaiveDate, ahead: usize) -> f64 {
    let calendar = Calendar::bundled();
    let Some(next) = calendar.dates().iter().filter(|&&d| d > t).nth(ahead - 1) else {
        return f64::NAN;
    };
    let Some(index) = MEETINGS
        .iter()
        .position(|&(m, d)| NaiveDate::from_ymd_opt(2025, m, d) == Some(*next))
    else {
        return f64::NAN;
    };
    let mut latest: Option<(u32, u32, u32)> = None;
    for &(offset, a, b) in &meetings[index] {
        let earlier_kept = latest.is_some_and(|l| l.0 >= offset);
        if day(offset) <= t && !earlier_kept {
            latest = Some((offset, a, b));
        }
    }
    let Some((_, a, b)) = latest else { return f64::NAN };
    let range = TargetHistory::bundled().in_force(t).expect("a range in 2025");
    let probabilities = [a, b, 1000 - a - b];
    let mut cut = 0.0;
    for (&(_, high), &p) in BANDS.iter().zip(&probabilities) {
        if high <= range.low_bp {
            cut += f64::from(p) / 1000.0;
        }
    }
    cut
}

fn rows() -> impl Strategy<Value = Rows> {
    prop::collection::vec((0u32..130, 0u32..=500, 0u32..=500), 0..12)
}

fn same(a: f64, b: f64) -> bool {
    (a.is_nan() && b.is_nan()) || (a - b).abs() < 1e-9
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn the_series_follow_the_definition(sep in rows(), oct in rows()) {
        let meetings = [sep, oct];
        let data = load_all(&meetings);
        for offset in 0..130 {
            let t = day(offset);
            let next = as_of(data.series("fed_cut_prob"), t);
            prop_assert!(same(next, reference(&meetings, t, 1)), "{t}: {next} vs {}", reference(&meetings, t, 1));
            let second = as_of(data.series("fed_cut_prob(meeting 2)"), t);
            prop_assert!(same(second, reference(&meetings, t, 2)), "{t} meeting 2");
        }
    }

    #[test]
    fn data_cut_at_a_day_gives_the_same_values_up_to_it(sep in rows(), oct in rows(), cut in 0u32..130) {
        let full = load_all(&[sep.clone(), oct.clone()]);
        let keep = |rows: &Rows| rows.iter().copied().filter(|r| r.0 <= cut).collect::<Rows>();
        let part = load_all(&[keep(&sep), keep(&oct)]);
        for offset in 0..=cut {
            let t = day(offset);
            for name in ["fed_cut_prob", "fed_expected_rate", "fed_hold_prob(meeting 2)", "fed_cuts_priced(by 2025-10-31)"] {
                let (a, b) = (as_of(full.series(name), t), as_of(part.series(name), t));
                prop_assert!(same(a, b), "{name} on {t}: {a} with all data, {b} with data to day {cut}");
            }
        }
    }
}

#[test]
fn values_past_the_known_target_history_are_noted() {
    let noted = |name: &str, text: &str| {
        let set = load(name, text, &LoadOptions::default())
            .expect("valid")
            .expect("an export");
        set.notes
            .iter()
            .any(|n| n.contains("take the range as still 3.50–3.75 %"))
    };
    // 2026-09-16 is the first meeting the bundled history does not know the outcome of: a
    // value on or after it compares with a range rotor assumes.
    assert!(noted(
        "FedMeeting_20261028.csv",
        "Date,(325-350),(350-375)\n2026/9/20,0.5,0.5\n"
    ));
    // Values that all come before it need no note.
    assert!(!noted(
        "FedMeeting_20260729.csv",
        "Date,(325-350),(350-375)\n2026/7/1,0.5,0.5\n"
    ));
}

#[test]
fn each_value_keeps_the_day_of_its_observation() {
    let text = "Date,(400-425),(425-450)\n2025/8/1,0.4,0.6\n2025/8/4,0.75,0.25\n";
    let data = load("FedMeeting_20250917.csv", text, &LoadOptions::default())
        .expect("valid")
        .expect("an export");
    let set = data.fedwatch.as_deref().expect("a FedWatch set");
    let d = |m, dd| NaiveDate::from_ymd_opt(2025, m, dd).expect("a date");
    // A week after the last row, the value is still 2025-08-04's: that is its age.
    assert_eq!(set.observed("fed_cut_prob", d(8, 11)), Some(d(8, 4)));
    assert_eq!(set.observed("fed_cut_prob", d(8, 1)), Some(d(8, 1)));
    assert_eq!(set.observed("fed_cut_prob", d(7, 31)), None, "before the first row");
    assert_eq!(
        set.observed("fed_cut_prob", d(9, 17)),
        None,
        "the next meeting is October's"
    );
}
