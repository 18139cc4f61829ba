//! What the HTML report draws besides a run's figures: the strategy's text, its rules as
//! written, the conditions and the engine's bar-by-bar record of holdings, closes and
//! condition values. A [`super::Report`] has it only when the run recorded it
//! (`pipeline::RunOptions::detail`, set by `--report`).

use std::sync::Arc;

use super::conditions::Condition;
use crate::check::Program;
use crate::engine::Detail;
use crate::source::SourceMap;

/// A run's detail for charts, in US dollars.
#[derive(Clone, Debug, Default)]
pub struct RunDetail {
    /// The strategy file's text.
    pub source: String,
    /// `--set NAME=VALUE`s applied to it.
    pub sets: Vec<(String, String)>,
    /// Each rule as written, in file order (the trades' `rule` numbers them from 1).
    pub rules: Vec<String>,
    /// The symbols the rules trade.
    pub traded: Vec<String>,
    /// Yearly expense ratios (fractions) by symbol, which the engine takes as shares.
    pub expenses: Vec<(String, f64)>,
    /// The conditions of the rules; their values are in `record.terms`.
    pub conditions: Vec<Condition>,
    /// The engine's record: closes, holdings and traced terms, one entry a bar.
    pub record: Arc<Detail>,
    /// The data's trading days, before and after the run too (days since 1970-01-01), to
    /// tell whole months from partial ones.
    pub data_days: Arc<Vec<i32>>,
}

impl RunDetail {
    /// The detail of a run of `program` (read from `file_name` in `sources`).
    pub fn new(
        program: &Program,
        file_name: &str,
        sources: &SourceMap,
        conditions: Vec<Condition>,
        record: Arc<Detail>,
        data_days: Vec<i32>,
    ) -> RunDetail {
        let file = program
            .rules
            .first()
            .and_then(|r| sources.file_at(r.span.start))
            .or_else(|| sources.files().find(|f| f.name == file_name));
        RunDetail {
            source: file.map(|f| f.text.clone()).unwrap_or_default(),
            sets: Vec::new(),
            rules: program
                .rules
                .iter()
                .map(|r| sources.slice(r.span).trim().to_string())
                .collect(),
            traded: program.traded.clone(),
            expenses: program.expenses.iter().map(|(s, r, _)| (s.clone(), *r)).collect(),
            conditions,
            record,
            data_days: Arc::new(data_days),
        }
    }
}
