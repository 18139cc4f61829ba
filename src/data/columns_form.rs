//! Loaded histories as raw columns: the form in which the binary embeds the bundled sample
//! data, so that a run without `data` lines parses no CSV at start (issue 19).
//!
//! `examples/data/*.csv` stay the source of truth. [`encode`] writes what rotor's own
//! loader made of them (`cargo run --example make_sample_data` writes
//! `examples/data/sample.columns`; tests/sample_data.rs fails when that file is stale), and
//! [`decode`] gives back, for any projection, the [`DataSet`] the loader gives for the same
//! projection: the histories wanted, the others listed as not loaded in the order the file
//! meets them (the tests compare the two, name by name). Only a file that loads without a
//! note, a warning or a skipped row can be written: a projection of such a file has none
//! either, so nothing the report says depends on which form was read.
//!
//! Layout, little-endian, in 8-byte words: [`MAGIC`], the number of files, then per file
//! its name, its kind (prices or series) and its histories; each history is its name, the
//! byte length of its body (so an unwanted one is passed over by one addition, its pages
//! never touched) and the body: flags, the number of rows, then each column as 8-byte
//! values (`ts` as `i64`, prices and values as the bits of `f64`, so every value comes
//! back to the last bit). A name is its byte length and its bytes, padded with zeros to a
//! whole word, so that every column starts on a multiple of 8 bytes: read from 8-byte
//! aligned bytes on a little-endian machine, a price history's columns are borrowed in
//! place ([`Column::Borrowed`](std::borrow::Cow::Borrowed)), not copied. Elsewhere they
//! are copied, to the same values.

use std::borrow::Cow;
use std::collections::BTreeSet;

use zerocopy::FromBytes;

use super::store::{Column, DataSet, NameKind, PriceHistory, SeriesHistory, Unloaded};
use super::unread::Unread;

/// The first bytes of the form; a change of layout changes the version.
const MAGIC: &[u8; 16] = b"rotor columns 2\n";

const PRICES: u8 = 0;
const SERIES: u8 = 1;

// A history's flags: which optional columns follow, and the price history's two switches.
const ADJ_CLOSE: u8 = 1;
const VOLUME: u8 = 1 << 1;
const DIVIDENDS: u8 = 1 << 2;
const OPEN_IS_CLOSE: u8 = 1 << 3;
const CLOSE_IS_ADJUSTED: u8 = 1 << 4;
const OBSERVED: u8 = 1 << 5;

/// The columnar form of `files`, each a file's name and what loading it gave. An error
/// names a file that holds more than histories (notes, warnings, skipped rows, FedWatch or
/// dividend files, histories not loaded), or both prices and series, or histories from
/// another file: the form cannot carry them.
pub fn encode(files: &[(&str, &DataSet)]) -> Result<Vec<u8>, String> {
    let mut out = MAGIC.to_vec();
    put_len(&mut out, files.len());
    for &(file, set) in files {
        let extra = !set.notes.is_empty()
            || !set.warnings.is_empty()
            || set.skipped_rows != 0
            || !set.unloaded.is_empty()
            || set.fedwatch.is_some()
            || !set.fedwatch_files.is_empty()
            || !set.dividends.is_empty();
        if extra {
            return Err(format!(
                "{file}: loading it gives notes, warnings, skipped rows or other files' data, which the columnar form cannot carry"
            ));
        }
        if !set.prices.is_empty() && !set.series.is_empty() {
            return Err(format!("{file}: both prices and series; one file is one kind"));
        }
        let mut files_named = (set.prices.iter().map(|p| &p.file)).chain(set.series.iter().map(|s| &s.file));
        if let Some(other) = files_named.find(|f| *f != file) {
            return Err(format!("{file}: holds a history of {other}"));
        }
        put_str(&mut out, file);
        if set.series.is_empty() {
            put_len(&mut out, PRICES.into());
            put_len(&mut out, set.prices.len());
            for p in &set.prices {
                put_history(&mut out, &p.symbol, &price_body(p));
            }
        } else {
            put_len(&mut out, SERIES.into());
            put_len(&mut out, set.series.len());
            for s in &set.series {
                put_history(&mut out, &s.name, &series_body(s));
            }
        }
    }
    Ok(out)
}

/// The data sets of the files in `bytes` (written by [`encode`]), one a file in the order
/// written, with the histories `only` names (all with `None`) and the others listed in
/// [`DataSet::unloaded`] as a projected load lists them; the price columns `unread` names
/// are left empty as the loader leaves them. Price columns are borrowed from `bytes` when
/// they can be (see the module's documentation), copied otherwise.
///
/// Panics on bytes [`encode`] did not write: the form is only ever read from the bytes
/// compiled into the binary, which the tests read whole.
pub(crate) fn decode(bytes: &'static [u8], only: Option<&BTreeSet<String>>, unread: Unread) -> Vec<DataSet> {
    let mut r = Cursor { bytes, at: 0 };
    assert!(
        r.take(MAGIC.len()) == MAGIC,
        "the embedded columns start with their magic line"
    );
    let files = r.len();
    (0..files)
        .map(|_| {
            let file = r.str();
            let kind = r.len();
            let mut set = DataSet::default();
            for _ in 0..r.len() {
                let name = r.str();
                let length = r.len();
                let body = Cursor {
                    bytes: r.take(length),
                    at: 0,
                };
                if only.is_some_and(|names| !names.contains(name)) {
                    set.unloaded.push(Unloaded {
                        name: name.to_owned(),
                        kind: if kind == usize::from(PRICES) {
                            NameKind::Symbol
                        } else {
                            NameKind::Series
                        },
                        file: file.to_owned(),
                    });
                } else if kind == usize::from(PRICES) {
                    set.prices.push(price(name, file, body, unread));
                } else {
                    set.series.push(series(name, file, body));
                }
            }
            set
        })
        .collect()
}

fn price_body(p: &PriceHistory) -> Vec<u8> {
    let flags = [
        (p.adj_close.is_some(), ADJ_CLOSE),
        (p.volume.is_some(), VOLUME),
        (p.dividends.is_some(), DIVIDENDS),
        (p.open_is_close, OPEN_IS_CLOSE),
        (p.close_is_adjusted, CLOSE_IS_ADJUSTED),
    ];
    let mut body = Vec::new();
    let flags = flags.iter().filter(|(on, _)| *on).fold(0, |all, (_, flag)| all | flag);
    put_len(&mut body, flags.into());
    put_len(&mut body, p.len());
    body.extend(p.ts.iter().flat_map(|t| t.to_le_bytes()));
    let columns = [Some(&p.open), Some(&p.high), Some(&p.low), Some(&p.close)];
    let optional = [p.adj_close.as_ref(), p.volume.as_ref(), p.dividends.as_ref()];
    for column in columns.into_iter().chain(optional).flatten() {
        body.extend(column.iter().flat_map(|v| v.to_le_bytes()));
    }
    body
}

fn series_body(s: &SeriesHistory) -> Vec<u8> {
    let mut body = Vec::new();
    put_len(&mut body, if s.observed.is_some() { OBSERVED } else { 0 }.into());
    put_len(&mut body, s.len());
    body.extend(s.ts.iter().flat_map(|t| t.to_le_bytes()));
    body.extend(s.values.iter().flat_map(|v| v.to_le_bytes()));
    for t in s.observed.iter().flatten() {
        body.extend(t.to_le_bytes());
    }
    body
}

fn price(symbol: &str, file: &str, mut body: Cursor, unread: Unread) -> PriceHistory {
    let flags = body.len();
    let rows = body.len();
    let has = |flag: u8| flags & usize::from(flag) != 0;
    PriceHistory {
        symbol: symbol.to_owned(),
        file: file.to_owned(),
        ts: body.i64s(rows).into(),
        open: body.f64s(rows, true),
        high: body.f64s(rows, !unread.high_low),
        low: body.f64s(rows, !unread.high_low),
        close: body.f64s(rows, true),
        adj_close: has(ADJ_CLOSE).then(|| body.f64s(rows, true)),
        volume: has(VOLUME).then(|| body.f64s(rows, !unread.volume)),
        dividends: has(DIVIDENDS).then(|| body.f64s(rows, true)),
        open_is_close: has(OPEN_IS_CLOSE),
        close_is_adjusted: has(CLOSE_IS_ADJUSTED),
    }
}

fn series(name: &str, file: &str, mut body: Cursor) -> SeriesHistory {
    let flags = body.len();
    let rows = body.len();
    SeriesHistory {
        name: name.to_owned(),
        file: file.to_owned(),
        ts: body.i64s(rows).into_owned(),
        values: body.f64s(rows, true).into_owned(),
        observed: (flags & usize::from(OBSERVED) != 0).then(|| body.i64s(rows).into_owned()),
    }
}

fn put_history(out: &mut Vec<u8>, name: &str, body: &[u8]) {
    put_str(out, name);
    put_len(out, body.len());
    out.extend_from_slice(body);
}

fn put_len(out: &mut Vec<u8>, n: usize) {
    out.extend((n as u64).to_le_bytes());
}

/// Its length, its bytes and zeros up to a whole word.
fn put_str(out: &mut Vec<u8>, s: &str) {
    put_len(out, s.len());
    out.extend_from_slice(s.as_bytes());
    out.resize(out.len() + padding(s.len()), 0);
}

/// The zeros after `n` bytes up to a multiple of 8.
fn padding(n: usize) -> usize {
    n.next_multiple_of(8) - n
}

/// Reads the form front to back.
struct Cursor {
    bytes: &'static [u8],
    at: usize,
}

impl Cursor {
    fn take(&mut self, n: usize) -> &'static [u8] {
        let taken = self
            .bytes
            .get(self.at..self.at + n)
            .expect("the embedded columns are whole (tests read them all)");
        self.at += n;
        taken
    }

    fn len(&mut self) -> usize {
        let n = u64::from_le_bytes(eight(self.take(8)));
        usize::try_from(n).expect("a length of the embedded columns fits in memory")
    }

    fn str(&mut self) -> &'static str {
        let n = self.len();
        let name = std::str::from_utf8(self.take(n)).expect("names in the embedded columns are UTF-8");
        self.take(padding(n));
        name
    }

    fn i64s(&mut self, n: usize) -> Column<i64> {
        let bytes = self.take(n * 8);
        match <[i64]>::ref_from_bytes(bytes) {
            Ok(column) if cfg!(target_endian = "little") => Cow::Borrowed(column),
            _ => Cow::Owned(bytes.chunks_exact(8).map(|c| i64::from_le_bytes(eight(c))).collect()),
        }
    }

    /// The next `n` values; with `keep` false they are passed over and the column is empty
    /// (a column a run does not read, [`Unread`]).
    fn f64s(&mut self, n: usize, keep: bool) -> Column<f64> {
        let bytes = self.take(n * 8);
        if !keep {
            return Column::default();
        }
        match <[f64]>::ref_from_bytes(bytes) {
            Ok(column) if cfg!(target_endian = "little") => Cow::Borrowed(column),
            _ => Cow::Owned(bytes.chunks_exact(8).map(|c| f64::from_le_bytes(eight(c))).collect()),
        }
    }
}

fn eight(chunk: &[u8]) -> [u8; 8] {
    chunk.try_into().expect("chunks of eight bytes")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn price_history(symbol: &str, file: &str) -> PriceHistory {
        PriceHistory {
            symbol: symbol.into(),
            file: file.into(),
            ts: vec![86_400, 172_800, -86_400 * 365].into(),
            open: vec![1.5, f64::MIN_POSITIVE, 3.0].into(),
            high: vec![2.0, 0.1 + 0.2, 3.5].into(),
            low: vec![1.0, 1e-300, 2.5].into(),
            close: vec![1.75, 1e300, 3.25].into(),
            adj_close: None,
            volume: Some(vec![100.0, f64::NAN, 0.0].into()),
            dividends: Some(vec![0.0, 0.25, 0.0].into()),
            open_is_close: true,
            close_is_adjusted: false,
        }
    }

    fn sample() -> (DataSet, DataSet) {
        let prices = DataSet {
            prices: vec![price_history("B", "p.csv"), price_history("A", "p.csv")],
            ..DataSet::default()
        };
        let series = DataSet {
            series: vec![SeriesHistory {
                name: "rate".into(),
                file: "s.csv".into(),
                ts: vec![0, 86_400],
                values: vec![4.25, -0.5],
                observed: Some(vec![-5, 86_000]),
            }],
            ..DataSet::default()
        };
        (prices, series)
    }

    #[test]
    fn every_history_comes_back_to_the_bit() {
        let (prices, series) = sample();
        let bytes = encode(&[("p.csv", &prices), ("s.csv", &series)]).expect("encodable");
        let back = decode(bytes.leak(), None, Unread::default());
        assert_eq!(back.len(), 2);
        // NaN != NaN: compare the volume's bits, then the rest with it taken out.
        let bits = |set: &DataSet| -> Vec<Vec<u64>> {
            (set.prices.iter())
                .map(|p| p.volume.iter().flat_map(|v| v.iter()).map(|v| v.to_bits()).collect())
                .collect()
        };
        assert_eq!(bits(&back[0]), bits(&prices));
        let without_volume = |mut set: DataSet| {
            set.prices.iter_mut().for_each(|p| p.volume = None);
            set
        };
        assert_eq!(without_volume(back[0].clone()), without_volume(prices));
        assert_eq!(back[1], series);
    }

    #[test]
    fn a_projection_lists_the_others_in_file_order() {
        let (prices, series) = sample();
        let bytes = encode(&[("p.csv", &prices), ("s.csv", &series)]).expect("encodable");
        let only: BTreeSet<String> = ["A".to_string()].into();
        let back = decode(bytes.leak(), Some(&only), Unread::default());
        assert_eq!(back[0].prices.len(), 1);
        assert_eq!(back[0].prices[0].symbol, "A");
        let unloaded = |set: &DataSet| -> Vec<(String, NameKind, String)> {
            (set.unloaded.iter())
                .map(|u| (u.name.clone(), u.kind, u.file.clone()))
                .collect()
        };
        assert_eq!(unloaded(&back[0]), [("B".into(), NameKind::Symbol, "p.csv".into())]);
        assert!(back[1].series.is_empty());
        assert_eq!(unloaded(&back[1]), [("rate".into(), NameKind::Series, "s.csv".into())]);
    }

    #[test]
    fn columns_are_borrowed_from_aligned_bytes_and_copied_from_others() {
        let (prices, _) = sample();
        let bytes = encode(&[("p.csv", &prices)]).expect("encodable");
        assert_eq!(bytes.len() % 8, 0, "the form is whole words");
        // Words are 8-byte aligned: the form at their start, and one byte past it.
        let buffer = |shift: usize| -> &'static [u8] {
            let words: &'static mut [u64] = vec![0u64; bytes.len() / 8 + 1].leak();
            let all = zerocopy::IntoBytes::as_mut_bytes(words);
            all[shift..shift + bytes.len()].copy_from_slice(&bytes);
            &all[shift..shift + bytes.len()]
        };
        let (on, off) = (buffer(0), buffer(1));
        let (borrowed, copied) = (
            decode(on, None, Unread::default()),
            decode(off, None, Unread::default()),
        );
        let first = |sets: &[DataSet]| sets[0].prices[0].clone();
        if cfg!(target_endian = "little") {
            assert!(matches!(first(&borrowed).close, Cow::Borrowed(_)));
            assert!(matches!(first(&borrowed).ts, crate::data::Times::Static(_)));
        }
        assert!(matches!(first(&copied).close, Cow::Owned(_)));
        for (a, b) in [
            (first(&borrowed), first(&copied)),
            (first(&borrowed), prices.prices[0].clone()),
        ] {
            assert_eq!(
                (&a.ts, &a.open, &a.close, &a.dividends),
                (&b.ts, &b.open, &b.close, &b.dividends)
            );
        }
    }

    #[test]
    fn columns_a_run_does_not_read_stay_empty() {
        let (prices, _) = sample();
        let bytes = encode(&[("p.csv", &prices)]).expect("encodable");
        let unread = Unread {
            high_low: true,
            volume: true,
        };
        let back = &decode(bytes.leak(), None, unread)[0].prices[0];
        assert!(back.high.is_empty() && back.low.is_empty());
        assert_eq!(back.volume.as_deref(), Some(&[][..]), "the file has a volume, not kept");
        assert_eq!(back.close[..], prices.prices[0].close[..]);
    }

    #[test]
    fn what_the_form_cannot_carry_is_refused() {
        let (mut prices, series) = sample();
        assert!(encode(&[("other.csv", &prices)]).is_err(), "a history of another file");
        let mut both = prices.clone();
        both.series = series.series.clone();
        assert!(encode(&[("p.csv", &both)]).is_err(), "prices and series");
        prices.notes.push("p.csv: a note".into());
        assert!(encode(&[("p.csv", &prices)]).is_err(), "a note");
    }
}
