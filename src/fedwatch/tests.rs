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
    set.finish().expect("the exports go together");
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
        let mut set = load(name, text, &LoadOptions::default())
            .expect("valid")
            .expect("an export");
        set.finish().expect("one export");
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
    let mut data = load("FedMeeting_20250917.csv", text, &LoadOptions::default())
        .expect("valid")
        .expect("an export");
    data.finish().expect("one export");
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

fn export(name: &str, text: &str) -> DataSet {
    load(name, text, &LoadOptions::default())
        .expect("valid")
        .expect("an export")
}

const SEP: (&str, &str) = (
    "FedMeeting_20250917.csv",
    "Date,(400-425),(425-450)\n2025/8/1,0.4,0.6\n",
);
const OCT: (&str, &str) = (
    "FedMeeting_20251029.csv",
    "Date,(375-400),(400-425)\n2025/8/1,0.3,0.7\n",
);

#[test]
fn files_are_put_together_once_when_the_data_set_is_finished() {
    let mut data = DataSet::default();
    data.merge(export(SEP.0, SEP.1)).expect("merges");
    data.merge(export(OCT.0, OCT.1)).expect("merges");
    // Merging only gathers the files: nothing is derived yet.
    assert!(data.fedwatch.is_none());
    assert!(data.series("fed_cut_prob").is_none());
    data.finish().expect("the exports go together");
    let set = data.fedwatch.as_deref().expect("one set");
    assert_eq!(set.files().names, [SEP.0, OCT.0]);
    assert!(data.fedwatch_files.is_empty());
    // On 2025-08-01 the range is 4.25–4.50: September's (400-425) is a cut (0.4); both of
    // October's bands are below it (0.3 + 0.7).
    let t = NaiveDate::from_ymd_opt(2025, 8, 1).expect("a date");
    assert!(same(as_of(data.series("fed_cut_prob"), t), 0.4));
    assert!(same(as_of(data.series("fed_cut_prob(meeting 2)"), t), 1.0));
    assert_eq!(data.series.iter().filter(|s| s.name == "fed_cut_prob").count(), 1);
}

#[test]
fn a_finished_set_merged_with_more_files_becomes_one_set_again() {
    let mut first = export(SEP.0, SEP.1);
    first.finish().expect("one export");
    first.merge(export(OCT.0, OCT.1)).expect("merges");
    assert!(first.fedwatch.is_none(), "the earlier set is files again");
    assert!(first.series("fed_cut_prob").is_none(), "and its series are taken out");
    first.finish().expect("the exports go together");
    let t = NaiveDate::from_ymd_opt(2025, 8, 1).expect("a date");
    assert!(same(as_of(first.series("fed_cut_prob"), t), 0.4));
    assert!(same(as_of(first.series("fed_cut_prob(meeting 2)"), t), 1.0));
    assert_eq!(first.series.iter().filter(|s| s.name == "fed_cut_prob").count(), 1);
    let notes = first.notes.iter().filter(|n| n.starts_with("FedWatch: fed_cut_prob"));
    assert_eq!(notes.count(), 1, "{:?}", first.notes);
}

#[test]
fn a_plain_column_named_like_a_fedwatch_series_is_loaded_twice() {
    let plain = crate::data::load_str(
        "macro.csv",
        "date,fed_cut_prob\n2025-08-01,0.5\n",
        &LoadOptions::default(),
    )
    .expect("a series file");
    let mut data = export(SEP.0, SEP.1);
    data.merge(plain).expect("no name twice yet");
    match data.finish() {
        Err(crate::data::DataError::DuplicateName { name, first, second }) => {
            assert_eq!(name, "fed_cut_prob");
            assert_eq!(first, SEP.0);
            assert_eq!(second, "macro.csv", "the file that can be renamed with `as`");
        }
        other => panic!("expected a name loaded twice, got {other:?}"),
    }
}
