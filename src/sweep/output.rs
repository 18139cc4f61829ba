//! What a sweep prints and writes: the ranked table, the JSON object (which is also a
//! shard's file for `--merge`), the CSV, and the train/test and walk-forward tables.

use std::path::Path;

use comfy_table::{CellAlignment, Table, presets};
use serde::{Deserialize, Serialize};

use super::shard::check_cover;
use super::{Fold, Metric, Outcome, SweepError};
use crate::display::{count, escape, escape_line};
use crate::report::number::money;
use crate::report::zero::{clean, fixed};

/// Version of the sweep JSON layout; raised when a field changes meaning or goes away.
pub const SCHEMA_VERSION: u32 = 1;

/// A ranked sweep (or one shard of it): what `--json` prints and `--merge` reads.
#[derive(Clone, Debug, Deserialize, PartialEq, Serialize)]
pub struct SweepReport {
    pub schema_version: u32,
    pub file: String,
    pub metric: Metric,
    /// Variants in the whole grid, over all shards.
    pub grid_size: usize,
    /// The varied parameters, in `--vary` order.
    pub parameters: Vec<String>,
    /// `K/N` when this is one shard.
    pub shard: Option<String>,
    /// Best first by `metric`.
    pub variants: Vec<Outcome>,
    /// What the sweep ran with; `--merge` requires every shard's to be the same. Absent in
    /// shards of rotor versions before it, which `--merge` refuses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<super::Fingerprint>,
    /// What the reader must know about the figures ranked: with `currency` or a tax rule,
    /// that they are in USD before tax ([`crate::sweep::Sweeper::ranking_basis`]). Left out
    /// of the JSON when there is nothing to say.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl SweepReport {
    /// Reads a shard's JSON file.
    pub fn read(path: &Path) -> Result<SweepReport, SweepError> {
        let bad = |reason: String| SweepError::BadShardFile {
            path: path.display().to_string(),
            reason,
        };
        // A shard is read like a data file: a regular file of at most the default data size.
        let shown = path.display().to_string();
        let resolved = path.canonicalize().map_err(|e| bad(e.to_string()))?;
        let (bytes, _) = crate::access::read_regular(
            &resolved,
            &shown,
            crate::access::DEFAULT_MAX_DATA_BYTES,
            "shard file",
            false,
        )
        .map_err(|e| match e {
            crate::access::Denied::Io(e) => bad(e.to_string()),
            crate::access::Denied::Refused(e) => bad(e.to_string()),
        })?;
        let text = String::from_utf8(bytes).map_err(|_| bad("it is not UTF-8 text".into()))?;
        let report: SweepReport = serde_json::from_str(&text).map_err(|e| bad(e.to_string()))?;
        if report.schema_version != SCHEMA_VERSION {
            return Err(bad(format!("its schema_version is {}", report.schema_version)));
        }
        Ok(report)
    }

    /// Merges shards into one ranking by `metric`, checking that together they hold every
    /// variant of the grid exactly once.
    pub fn merge(shards: Vec<SweepReport>, metric: Metric) -> Result<SweepReport, SweepError> {
        let first = shards.first().ok_or(SweepError::Coverage {
            problem: "no shard files were given".into(),
        })?;
        let (size, file, parameters) = (first.grid_size, first.file.clone(), first.parameters.clone());
        if let Some(other) = shards
            .iter()
            .find(|s| s.grid_size != size || s.parameters != parameters)
        {
            return Err(SweepError::MixedGrids {
                first: size,
                other: other.grid_size,
            });
        }
        let fingerprint = first.fingerprint.clone();
        let notes = first.notes.clone();
        let mut variants: Vec<Outcome> = shards.into_iter().flat_map(|s| s.variants).collect();
        check_cover(size, variants.iter().map(|v| v.index))?;
        metric.sort(&mut variants);
        Ok(SweepReport {
            schema_version: SCHEMA_VERSION,
            file,
            metric,
            grid_size: size,
            parameters,
            shard: None,
            variants,
            fingerprint,
            notes,
        })
    }

    /// The text a person reads: a heading and the ranked table.
    pub fn render(&self) -> String {
        let what = match &self.shard {
            Some(shard) => format!(
                "shard {shard}: {} of {}",
                self.variants.len(),
                crate::display::count(self.grid_size, "variant")
            ),
            None => crate::display::count(self.variants.len(), "variant"),
        };
        let mut text = format!(
            "Sweep of {}: {what}, best {} first\n{}\n",
            self.file,
            self.metric.name(),
            table(&self.parameters, &self.variants)
        );
        for note in &self.notes {
            text.push_str(&format!("\nNote: {note}\n"));
        }
        escape(&text).into_owned()
    }

    /// One line per variant, best first, full precision; blank where a figure is not
    /// available.
    pub fn csv(&self) -> String {
        let mut s = String::from("rank,index");
        for p in &self.parameters {
            s.push(',');
            s.push_str(p);
        }
        s.push_str(",final_value,cagr,xirr,sharpe,max_drawdown,trades\n");
        for (rank, v) in self.variants.iter().enumerate() {
            s.push_str(&format!("{},{}", rank + 1, v.index));
            for (_, value) in &v.parameters {
                s.push(',');
                s.push_str(value);
            }
            for x in [v.final_value, v.cagr, v.xirr, v.sharpe, v.max_drawdown] {
                s.push(',');
                if !x.is_nan() {
                    s.push_str(&clean(x).to_string());
                }
            }
            s.push_str(&format!(",{}\n", v.trades));
        }
        s
    }
}

/// The ranked table: rank, grid index, each parameter, then the key figures.
pub fn table(parameters: &[String], variants: &[Outcome]) -> String {
    let mut t = Table::new();
    t.load_preset(presets::NOTHING);
    let mut header = vec!["Rank".to_string(), "#".to_string()];
    // Names and values may come from a shard file: escaped before the table measures them.
    header.extend(parameters.iter().map(|p| escape_line(p).into_owned()));
    header.extend(figure_names());
    t.set_header(header);
    for (rank, v) in variants.iter().enumerate() {
        let mut row = vec![(rank + 1).to_string(), v.index.to_string()];
        row.extend(v.parameters.iter().map(|(_, value)| escape_line(value).into_owned()));
        row.extend(figures(v));
        t.add_row(row);
    }
    align_numbers(&mut t, 2 + parameters.len());
    t.to_string()
}

/// One train/test step in words: the winner and its figures in and out of sample.
pub fn render_fold(file: &str, metric: Metric, parameters: &[String], fold: &Fold) -> String {
    let mut out = format!(
        "In sample ({}): {} of {file}, best {} first\n{}\n\n",
        fold.train.label(),
        crate::display::count(fold.ranking.len(), "variant"),
        metric.name(),
        table(parameters, &fold.ranking)
    );
    out.push_str(&format!(
        "Best in sample: {} (#{})\n",
        fold.in_sample.label(),
        fold.in_sample.index
    ));
    let mut t = Table::new();
    t.load_preset(presets::NOTHING);
    let mut header = vec!["Period".to_string(), String::new()];
    header.extend(figure_names());
    t.set_header(header);
    for (name, span, o) in [
        ("train", fold.train, &fold.in_sample),
        ("test", fold.test, &fold.out_of_sample),
    ] {
        let mut row = vec![name.to_string(), span.label()];
        row.extend(figures(o));
        t.add_row(row);
    }
    align_numbers(&mut t, 2);
    out.push_str(&format!("{t}\n"));
    escape(&out).into_owned()
}

/// The walk-forward table: per step the windows, the winner, its metric in and out of
/// sample; then the mean out-of-sample metric.
pub fn render_walk_forward(file: &str, metric: Metric, folds: &[Fold], mean: f64) -> String {
    let name = metric.name();
    let mut t = Table::new();
    t.load_preset(presets::NOTHING);
    t.set_header(vec![
        "Step".to_string(),
        "Train".to_string(),
        "Test".to_string(),
        "Best in sample".to_string(),
        format!("{name} in"),
        format!("{name} out"),
    ]);
    for (i, f) in folds.iter().enumerate() {
        t.add_row(vec![
            (i + 1).to_string(),
            f.train.label(),
            f.test.label(),
            escape_line(&f.in_sample.label()).into_owned(),
            format_metric(metric, metric.of(&f.in_sample)),
            format_metric(metric, metric.of(&f.out_of_sample)),
        ]);
    }
    for col in [4, 5] {
        if let Some(c) = t.column_mut(col) {
            c.set_cell_alignment(CellAlignment::Right);
        }
    }
    let available = folds.iter().filter(|f| !metric.of(&f.out_of_sample).is_nan()).count();
    // Steps whose figure out of sample is of a variant no choice picked: out of the mean.
    let unpicked: Vec<String> = (folds.iter().enumerate())
        .filter(|(_, f)| !f.picked(metric) && !metric.of(&f.out_of_sample).is_nan())
        .map(|(i, _)| (i + 1).to_string())
        .collect();
    let have = if available == 1 { "has" } else { "have" };
    let counted = if unpicked.is_empty() {
        format!("{available} of {} {have} it", count(folds.len(), "step"))
    } else {
        let (step, its) = if unpicked.len() == 1 {
            ("step", "its figure is")
        } else {
            ("steps", "their figures are")
        };
        format!(
            "{available} of {} {have} it; {step} {} left out: {its} of a variant not picked by {name}",
            count(folds.len(), "step"),
            unpicked.join(", ")
        )
    };
    let mut text = format!(
        "Walk-forward of {file}: {}, {}, by {name}\n{t}\n\nMean out-of-sample {name}: {} ({counted})\n",
        count(folds.len() + 1, "window"),
        count(folds.len(), "train/test step"),
        format_metric(metric, mean),
    );
    for note in walk_forward_notes(metric, folds) {
        text.push_str(&note);
        text.push('\n');
    }
    escape(&text).into_owned()
}

/// What a reader of a walk-forward must know beside its figures, one sentence each: the
/// steps whose training window ranked no variant (a stand-in was tested), and why a picked
/// variant has no figure out of sample. The text prints them under the table; the JSON
/// carries them as `notes`.
pub fn walk_forward_notes(metric: Metric, folds: &[Fold]) -> Vec<String> {
    let name = metric.name();
    let mut notes = Vec::new();
    // A step whose training window ranked nothing (every variant without the metric) still
    // tests a variant, the first of the grid: its figure out of sample was not picked.
    let unranked: Vec<String> = (folds.iter().enumerate())
        .filter(|(_, f)| !f.picked(metric))
        .map(|(i, _)| (i + 1).to_string())
        .collect();
    if !unranked.is_empty() {
        let steps = if unranked.len() == 1 { "Step" } else { "Steps" };
        notes.push(format!(
            "{steps} {}: no variant has a {name} in the training window, so none was picked; the \
             grid's first variant stands in, and its figure out of sample says nothing about \
             choosing by {name}",
            unranked.join(", ")
        ));
    }
    // A pick among equals: the ranking keeps grid order for ties, which is no choice.
    for (i, f) in folds.iter().enumerate() {
        let best = metric.of(&f.in_sample);
        if !f.picked(metric) {
            continue;
        }
        let tied = (f.ranking.iter()).filter(|o| metric.of(o) == best).count();
        if tied > 1 {
            notes.push(format!(
                "Step {}: {tied} variants tie on {name} in the training window ({}); {}, the first in the grid, was taken",
                i + 1,
                format_metric(metric, best),
                f.in_sample.label()
            ));
        }
    }
    // A picked variant without the figure out of sample: why the `-`.
    for (i, f) in folds.iter().enumerate() {
        let o = &f.out_of_sample;
        if !f.picked(metric) || !metric.of(o).is_nan() {
            continue;
        }
        let why = if o.trades == 0 {
            "it made no trade in the test window, so its money stayed in cash"
        } else {
            "the test window's figures leave it undefined (`rotor run --from … --to …` on that window says why)"
        };
        notes.push(format!(
            "Step {}: {} has no {name} out of sample: {why}",
            i + 1,
            f.in_sample.label()
        ));
    }
    notes
}

/// The walk-forward steps as CSV, one line per step.
pub fn walk_forward_csv(metric: Metric, folds: &[Fold]) -> String {
    let name = metric.name();
    let mut s = format!("step,train_from,train_to,test_from,test_to,best_index,best,{name}_in,{name}_out\n");
    for (i, f) in folds.iter().enumerate() {
        let num = |x: f64| {
            if x.is_nan() {
                String::new()
            } else {
                clean(x).to_string()
            }
        };
        s.push_str(&format!(
            "{},{},{},{},{},{},{},{},{}\n",
            i + 1,
            f.train.from,
            f.train.to,
            f.test.from,
            f.test.to,
            f.in_sample.index,
            f.in_sample.label(),
            num(metric.of(&f.in_sample)),
            num(metric.of(&f.out_of_sample))
        ));
    }
    s
}

fn figure_names() -> [String; 6] {
    ["Final", "CAGR", "XIRR", "Sharpe", "Max DD", "Trades"].map(String::from)
}

fn figures(o: &Outcome) -> [String; 6] {
    [
        money(o.final_value),
        pct(o.cagr),
        pct(o.xirr),
        num(o.sharpe),
        pct(o.max_drawdown),
        o.trades.to_string(),
    ]
}

/// Right-aligns the figure columns, which start at `from`.
fn align_numbers(t: &mut Table, from: usize) {
    for col in from..from + 6 {
        if let Some(c) = t.column_mut(col) {
            c.set_cell_alignment(CellAlignment::Right);
        }
    }
}

/// A metric's value written the way the table writes that column.
pub fn format_metric(metric: Metric, v: f64) -> String {
    match metric {
        Metric::Sharpe => num(v),
        Metric::Cagr | Metric::Xirr | Metric::MaxDrawdown => pct(v),
        Metric::Final => money(v),
    }
}

fn pct(v: f64) -> String {
    if v.is_finite() {
        format!("{}%", fixed(v * 100.0, 2))
    } else {
        "-".into()
    }
}

fn num(v: f64) -> String {
    fixed(v, 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(index: usize, sharpe: f64) -> Outcome {
        Outcome {
            index,
            parameters: vec![("w".into(), (10 * index).to_string())],
            final_value: 100.0,
            cagr: f64::NAN,
            xirr: f64::NAN,
            sharpe,
            max_drawdown: 0.0,
            trades: 1,
        }
    }

    fn shard(size: usize, variants: Vec<Outcome>) -> SweepReport {
        SweepReport {
            schema_version: SCHEMA_VERSION,
            file: "s.rotor".into(),
            metric: Metric::Sharpe,
            grid_size: size,
            parameters: vec!["w".into()],
            shard: Some("1/2".into()),
            variants,
            fingerprint: None,
            notes: Vec::new(),
        }
    }

    #[test]
    fn merge_ranks_all_shards_together() {
        let a = shard(3, vec![outcome(0, 0.5), outcome(2, f64::NAN)]);
        let b = shard(3, vec![outcome(1, 0.9)]);
        let merged = SweepReport::merge(vec![a, b], Metric::Sharpe).expect("a cover");
        assert_eq!(merged.shard, None);
        assert_eq!(merged.variants.iter().map(|v| v.index).collect::<Vec<_>>(), [1, 0, 2]);
    }

    #[test]
    fn merge_refuses_shards_of_different_grids() {
        let a = shard(3, vec![outcome(0, 0.5)]);
        let b = shard(4, vec![outcome(1, 0.9)]);
        let err = SweepReport::merge(vec![a, b], Metric::Sharpe);
        assert_eq!(err, Err(SweepError::MixedGrids { first: 3, other: 4 }));
    }

    #[test]
    fn nan_is_null_in_json_and_blank_in_csv() {
        let report = shard(1, vec![outcome(0, f64::NAN)]);
        let json = serde_json::to_value(&report).expect("serialises");
        assert!(json["variants"][0]["sharpe"].is_null());
        let back: SweepReport = serde_json::from_value(json).expect("reads back");
        assert!(back.variants[0].sharpe.is_nan());
        assert_eq!(report.csv().lines().nth(1), Some("1,0,0,100,,,,0,1"));
    }
}
