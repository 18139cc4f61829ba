//! Files of a megabyte or more are read as two halves on two threads. These tests load such
//! files and compare every column with the values the test wrote, and check that a bad row
//! in the second half gets the same diagnostic as anywhere else.

use std::collections::BTreeSet;
use std::sync::Arc;

use miette::Diagnostic;
use rotor::data::{LoadOptions, load_str};

const DAYS: usize = 12_000;

/// The close of symbol `s` on day `d`: two decimals, different for every row.
fn close(s: usize, d: usize) -> f64 {
    ((10_000 + s * 1_000 + d * 7 % 5_000) as f64) / 100.0
}

fn date(d: usize) -> String {
    (chrono::NaiveDate::from_ymd_opt(1980, 1, 1).expect("a date") + chrono::Duration::days(d as i64)).to_string()
}

/// A long file of `symbols` symbols, one row each a day, sorted by date; symbol `late`
/// starts halfway through. Newest first when `descending`.
fn long_file(symbols: usize, late: usize, descending: bool) -> String {
    let mut rows = Vec::new();
    for d in 0..DAYS {
        for s in 0..symbols {
            if s == late && d < DAYS / 2 {
                continue;
            }
            let c = close(s, d);
            rows.push(format!(
                "{},S{s},{c:.2},{:.2},{:.2},{c:.2},{}",
                date(d),
                c + 1.0,
                c - 1.0,
                1000 + d
            ));
        }
    }
    if descending {
        rows.reverse();
    }
    format!("date,symbol,open,high,low,close,volume\n{}\n", rows.join("\n"))
}

#[test]
fn a_long_file_read_in_halves_holds_every_row_it_was_written_with() {
    let text = long_file(4, 3, false);
    assert!(text.len() > 1 << 20, "big enough to be read in halves: {}", text.len());
    let set = load_str("big.csv", &text, &LoadOptions::default()).expect("loads");
    let names: Vec<&str> = set.prices.iter().map(|p| p.symbol.as_str()).collect();
    assert_eq!(names, ["S0", "S1", "S2", "S3"]);
    for (s, p) in set.prices.iter().enumerate() {
        let first = if s == 3 { DAYS / 2 } else { 0 };
        assert_eq!(p.len(), DAYS - first, "{}", p.symbol);
        for (i, d) in (first..DAYS).enumerate() {
            assert_eq!(p.ts[i], (3_652 + d as i64) * 86_400, "{} row {i}", p.symbol);
            assert_eq!(p.close[i], close(s, d), "{} row {i}", p.symbol);
            // As written: two decimals.
            let high: f64 = format!("{:.2}", close(s, d) + 1.0).parse().expect("a number");
            assert_eq!(p.high[i], high, "{} row {i}", p.symbol);
            assert_eq!(p.volume.as_ref().expect("a volume column")[i], (1000 + d) as f64);
        }
    }
}

#[test]
fn newest_first_and_projected_files_read_in_halves_come_out_oldest_first() {
    let text = long_file(3, 99, true);
    let only: BTreeSet<String> = ["S1".to_string()].into();
    let opts = LoadOptions {
        only: Some(Arc::new(only)),
        ..LoadOptions::default()
    };
    let set = load_str("big.csv", &text, &opts).expect("loads");
    assert_eq!(set.prices.len(), 1);
    let p = &set.prices[0];
    assert_eq!(p.symbol, "S1");
    let expected: Vec<f64> = (0..DAYS).map(|d| close(1, d)).collect();
    assert_eq!(p.close, expected);
    assert!(p.ts.windows(2).all(|w| w[0] < w[1]));
    let unloaded: Vec<&str> = set.unloaded.iter().map(|u| u.name.as_str()).collect();
    assert_eq!(unloaded, ["S2", "S0"], "in the order met, newest rows first");
}

#[test]
fn a_bad_row_in_the_second_half_is_reported_where_it_is() {
    let good = long_file(4, 99, false);
    // Break the date of a row three quarters down.
    let at = good.len() * 3 / 4;
    let row = at + good[at..].find('\n').expect("a row") + 1;
    let mut text = good.clone();
    text.replace_range(row..row + 10, "1999-13-01");
    let line = text[..row].matches('\n').count() + 1;
    let error = load_str("big.csv", &text, &LoadOptions::default()).expect_err("a bad date");
    assert_eq!(error.to_string(), "`1999-13-01` is not a date");
    let label = error.labels().and_then(|mut l| l.next()).expect("a label");
    assert_eq!(label.offset(), row, "the cell of line {line}");
}

/// One symbol's raw prices in rows of equal length, halving on the days in `halvings`;
/// with `coefficients`, a `split_coefficient` column says so. Returns the text and the
/// row that the second half starts with (the row after the middle byte's).
fn raw_file(days: usize, halvings: &[usize], coefficients: bool) -> (String, usize) {
    let header = if coefficients {
        "date,open,high,low,close,volume,split_coefficient\n"
    } else {
        "date,open,high,low,close,volume\n"
    };
    let mut text = header.to_owned();
    let mut price = 4_000.0;
    let mut row_len = 0;
    for d in 0..days {
        if halvings.contains(&d) {
            price /= 2.0;
        }
        let split = if halvings.contains(&d) { 2 } else { 1 };
        let extra = if coefficients {
            format!(",{split}.0")
        } else {
            String::new()
        };
        let row = format!(
            "{},{price:07.2},{price:07.2},{price:07.2},{price:07.2},{:07}{extra}\n",
            date(d),
            1000 + d
        );
        row_len = row.len();
        text.push_str(&row);
    }
    let middle = header.len() + (text.len() - header.len()) / 2;
    (text, (middle - header.len()) / row_len + 1)
}

#[test]
fn split_like_moves_are_found_in_either_half_and_across_the_seam() {
    let days = 24_000;
    let (_, seam) = raw_file(days, &[], false);
    let halvings = [1_000, seam, days - 1_000];
    let (text, _) = raw_file(days, &halvings, false);
    assert!(text.len() > 1 << 20, "big enough to be read in halves: {}", text.len());
    let set = load_str("RAW.csv", &text, &LoadOptions::default()).expect("loads");
    let raw = set.price("RAW").expect("named by the file");
    assert_eq!(raw.len(), days);
    let warned: Vec<String> = set.warnings.iter().map(|w| w.to_string()).collect();
    let expected: Vec<String> = halvings
        .iter()
        .zip([4_000.0, 2_000.0, 1_000.0])
        .map(|(&d, before)| {
            format!(
                "RAW fell 50.0% on {} ({before:.2} → {:.2}), as a 2-for-1 split would",
                date(d),
                before / 2.0
            )
        })
        .collect();
    assert_eq!(warned, expected);
}

#[test]
fn split_coefficients_apply_across_the_seam() {
    let days = 20_000;
    let (_, seam) = raw_file(days, &[], true);
    let (text, _) = raw_file(days, &[500, seam], true);
    assert!(text.len() > 1 << 20, "big enough to be read in halves: {}", text.len());
    let set = load_str("RAW.csv", &text, &LoadOptions::default()).expect("loads");
    let raw = set.price("RAW").expect("named by the file");
    // Both splits undone: one price throughout, the last as traded (1,000), volumes
    // multiplied by 4 before the first split and by 2 between them.
    assert!(raw.close.iter().all(|&c| c == 1_000.0), "continuous");
    let volume = raw.volume.as_ref().expect("a volume column");
    assert_eq!(
        (volume[0], volume[500], volume[days - 1]),
        (4_000.0, 3_000.0, (1000 + days - 1) as f64)
    );
    assert!(set.warnings.is_empty());
}

/// A file of one symbol (no symbol column) of `DAYS * 2` rows with `ending` after each row
/// but the last, newest first when `descending`, and a blank line after every 1,000th row of
/// the first quarter (rows the halves' room was counted for but that hold no bar).
fn one_symbol_file(ending: &str, descending: bool) -> String {
    let days = DAYS * 2;
    let mut order: Vec<usize> = (0..days).collect();
    if descending {
        order.reverse();
    }
    let mut text = format!("date,open,high,low,close,volume{ending}");
    for (i, &d) in order.iter().enumerate() {
        let c = close(0, d);
        text.push_str(&format!(
            "{},{c:.2},{:.2},{:.2},{c:.2},{}",
            date(d),
            c + 1.0,
            c - 1.0,
            1000 + d
        ));
        if i + 1 < days {
            text.push_str(ending);
        }
        if i < days / 4 && i % 1_000 == 999 {
            text.push_str(ending);
        }
    }
    text
}

#[test]
fn a_file_of_one_symbol_read_in_halves_holds_every_row_whatever_its_line_ends() {
    for (ending, descending) in [("\n", false), ("\r\n", false), ("\n", true), ("\r\n", true)] {
        let text = one_symbol_file(ending, descending);
        assert!(text.len() > 1 << 20, "big enough to be read in halves: {}", text.len());
        for unread in [
            rotor::data::Unread::default(),
            rotor::data::Unread {
                high_low: true,
                volume: true,
            },
        ] {
            let opts = LoadOptions {
                unread,
                ..LoadOptions::default()
            };
            let set = load_str("ONE.csv", &text, &opts).expect("loads");
            let p = set.price("ONE").expect("named by the file");
            let case = format!("{ending:?}, descending {descending}, {unread:?}");
            assert_eq!(p.len(), DAYS * 2, "{case}");
            assert_eq!(set.skipped_rows, 0, "{case}");
            for d in 0..DAYS * 2 {
                assert_eq!(p.ts[d], (3_652 + d as i64) * 86_400, "{case} row {d}");
                assert_eq!((p.open[d], p.close[d]), (close(0, d), close(0, d)), "{case} row {d}");
            }
            let volume = p.volume.as_ref().expect("a volume column");
            if unread.high_low {
                assert!(p.high.is_empty() && p.low.is_empty() && volume.is_empty(), "{case}");
            } else {
                for d in 0..DAYS * 2 {
                    let high: f64 = format!("{:.2}", close(0, d) + 1.0).parse().expect("a number");
                    let low: f64 = format!("{:.2}", close(0, d) - 1.0).parse().expect("a number");
                    assert_eq!((p.high[d], p.low[d]), (high, low), "{case} row {d}");
                    assert_eq!(volume[d], (1000 + d) as f64, "{case} row {d}");
                }
            }
        }
    }
}

#[test]
fn a_newest_first_symbol_with_one_row_past_the_seam_comes_out_oldest_first() {
    // Rows of equal length, grouped by symbol, each symbol newest first. The middle byte
    // starts row `n / 2`, so the second half starts at row `n / 2 + 1`: symbol A's last row
    // (its oldest) is the only row of A the second half reads.
    let n = 60_000;
    let a = n / 2 + 2;
    let row = |symbol: &str, d: usize| format!("{},{symbol},{:06.2}\n", date(d), 100.0 + (d % 100) as f64);
    let mut text = "date,symbol,close\n".to_owned();
    for d in (0..a).rev() {
        text.push_str(&row("A", d));
    }
    for d in (0..n - a).rev() {
        text.push_str(&row("B", d));
    }
    assert!(text.len() > 1 << 20, "big enough to be read in halves: {}", text.len());
    let set = load_str("big.csv", &text, &LoadOptions::default()).expect("loads");
    for (symbol, len) in [("A", a), ("B", n - a)] {
        let p = set.price(symbol).expect("loaded");
        assert_eq!(p.len(), len, "{symbol}");
        let oldest_first =
            p.ts.iter()
                .enumerate()
                .all(|(d, &ts)| ts == (3_652 + d as i64) * 86_400);
        assert!(oldest_first, "{symbol}: oldest first, one day a row");
    }
}
