//! A price file's histories once every row is read: newest-first files turned around,
//! raw prices made continuous at splits, and what the report should say about it all.

use super::date::format_timestamp;
use super::input::{Input, span};
use super::layout::PriceLayout;
use super::price_builder::Builder;
use super::prices::ReadPrices;
use super::splits::{adjust_for_splits, split_like_moves};
use super::two_scales::drop_raw_range;
use super::warning::DataWarning;
use crate::display::count;

/// Finishes the histories read into `builders`; `no_volume` rows had no volume.
pub(crate) fn finish(
    layout: &PriceLayout,
    builders: Vec<Builder>,
    unloaded: Vec<String>,
    no_volume: usize,
    input: &Input,
) -> ReadPrices {
    let name = input.name;
    let column = |i: usize| format!("`{}`", input.header[i]);
    let mut notes = Vec::new();
    let mut warnings = Vec::new();
    let mut reversed = Vec::new();
    let mut split_notes = Vec::new();
    let mut histories = Vec::new();
    for mut builder in builders {
        if builder.rows.is_empty() {
            // Every row of this symbol was skipped; the skip note says so.
            continue;
        }
        let mut history = builder.take_history();
        if builder.order.descending() {
            history.reverse();
            reversed.push(history.symbol.clone());
        }
        if layout.split.is_some() {
            adjust_for_splits(&mut history, &mut builder.splits);
            let applied: Vec<String> = builder
                .splits
                .iter()
                .map(|s| format!("{} on {}", s.coefficient, format_timestamp(s.ts)))
                .collect();
            if !applied.is_empty() && layout.adj_close.is_none() {
                split_notes.push(format!("{} ({})", history.symbol, applied.join(", ")));
            }
        }
        if let Some(warning) = drop_raw_range(&mut history, name, &input.header[layout.close]) {
            notes.push(warning.to_string());
            warnings.push(warning);
        }
        let watch = layout.adj_close.is_none() && layout.split.is_none();
        let moves = if watch {
            split_like_moves(&history.ts, &history.close)
        } else {
            Vec::new()
        };
        for found in moves {
            let description = found.describe();
            notes.push(format!(
                "{name}: {} {description}; the file has no split information, so the prices \
                 are read as they are",
                history.symbol
            ));
            let row = super::sanity::row_of(input, &history.symbol, found.ts);
            warnings.push(DataWarning::SplitLikeMove {
                symbol: history.symbol.clone(),
                description,
                src: input.source(),
                span: row.as_ref().map(span),
                help: "if it was a split, use a file with an adjusted close or a \
                       `split_coefficient` column (Yahoo's `Adj Close`, Alpha Vantage's daily \
                       adjusted); if the price really moved so, nothing needs doing"
                    .to_owned(),
            });
        }
        notes.extend(super::gaps::note(
            name,
            &history.symbol,
            &super::gaps::gaps(&history.symbol, &history.ts),
        ));
        histories.push(history);
    }
    if !reversed.is_empty() {
        notes.insert(
            0,
            format!(
                "{name}: rows of {} run newest first; rotor reads them oldest first",
                reversed.join(", ")
            ),
        );
    }
    let absent: Vec<&str> = [(layout.open, "open"), (layout.high, "high"), (layout.low, "low")]
        .into_iter()
        .filter_map(|(column, what)| column.is_none().then_some(what))
        .collect();
    if !absent.is_empty() {
        notes.push(format!(
            "{name}: no {} column; rotor uses the close in its place",
            absent.join(", ")
        ));
    }
    if let Some(splits) = layout.yfinance_splits {
        notes.push(format!(
            "{name}: {} is yfinance's column, and without an `Adj Close` its {} is adjusted for \
             dividends and splits (yfinance's `auto_adjust=True`, the default); rotor reads it as an \
             adjusted close",
            column(splits),
            column(layout.close)
        ));
    } else if layout.adj_close == Some(layout.close) {
        notes.push(format!(
            "{name}: the only close is the adjusted close {}; rotor uses it as the close",
            column(layout.close)
        ));
    }
    notes.extend(adjustment_notes(layout, &split_notes, input));
    for miss in &layout.near_misses {
        let written = &input.header[miss.column];
        notes.push(format!(
            "{name}: column `{written}` is not read (did you mean `{}`?)",
            miss.meant
        ));
    }
    if !layout.ignored.is_empty() {
        let ignored: Vec<String> = layout.ignored.iter().map(|&i| column(i)).collect();
        let columns = if ignored.len() == 1 { "column" } else { "columns" };
        notes.push(format!("{name}: ignored {columns} {}", ignored.join(", ")));
    }
    if no_volume > 0 {
        let have = if no_volume == 1 { "has" } else { "have" };
        notes.push(format!("{name}: {} {have} no volume", count(no_volume, "row")));
    }
    ReadPrices {
        histories,
        notes,
        unloaded,
        warnings,
    }
}

/// What the report says about adjustment for dividends and splits: which close is used,
/// and what becomes of split and dividend columns.
fn adjustment_notes(layout: &PriceLayout, split_notes: &[String], input: &Input) -> Vec<String> {
    let name = input.name;
    let column = |i: usize| format!("`{}`", input.header[i]);
    let extra: Vec<String> = [layout.dividend, layout.split]
        .into_iter()
        .flatten()
        .map(column)
        .collect();
    let mut notes = Vec::new();
    match (layout.adj_close, layout.split) {
        (Some(adj), _) if !extra.is_empty() => notes.push(format!(
            "{name}: the adjusted close {} already accounts for {}; rotor uses it, not them ({})",
            column(adj),
            extra.join(", "),
            if adj == layout.close {
                "it is the only close, so dividends paid as cash would be counted twice, and are refused"
            } else {
                "with dividends paid as cash, the close and the dividends instead"
            }
        )),
        (Some(_), _) => {}
        (None, Some(split)) => {
            let applied = if split_notes.is_empty() {
                "the file has no split".to_owned()
            } else {
                format!(
                    "prices before each split divided by its coefficient: {}",
                    split_notes.join("; ")
                )
            };
            notes.push(format!(
                "{name}: raw prices made continuous with {}: {applied}",
                column(split)
            ));
        }
        (None, None) => {}
    }
    if layout.adj_close.is_none() {
        let dividends = match layout.dividend {
            Some(i) => format!("{} is paid only with `dividends cash`; otherwise ", column(i)),
            None => String::new(),
        };
        notes.push(format!(
            "{name}: no adjusted close: {dividends}prices are not adjusted for dividends and a run \
             over them earns none (price return, unless the vendor already adjusted the close, \
             or dividends are paid as cash with `dividends cash`)"
        ));
    }
    notes
}
