//! `rotor compare A.rotor B.rotor …`: several runs side by side. This is the data every
//! output of a comparison shares (the text table, the JSON, the HTML page, the picture):
//! each run under a name of its own, and the facts a reader must know before comparing
//! them (different periods, different data).

use comfy_table::{CellAlignment, Table, presets};
use serde::Serialize;

use super::Report;
use super::rows::{
    NO_TAX_RULE, Row, after_tax_rows, amounts_differ, any_withdrawn, base_rows, periods_differ, rank, rows,
};
use crate::display::escape_line;

/// The runs compared, in the order given, each with the name it is shown under.
pub struct Comparison {
    pub runs: Vec<Compared>,
}

pub struct Compared {
    /// The strategy's `strategy "NAME"`, or its file name; made unique with the file when
    /// two share a name.
    pub name: String,
    pub report: Report,
}

/// `rotor compare --json`: `{"strategies": [<each run as rotor run --json>…]}`.
#[derive(Serialize)]
pub struct ComparisonJson<'a> {
    pub strategies: Vec<&'a Report>,
}

impl Comparison {
    /// Names each report: its strategy's name, or its file; `name (file)` where names repeat.
    pub fn of(reports: Vec<Report>) -> Comparison {
        let plain: Vec<String> = (reports.iter())
            .map(|r| r.strategy.name.clone().unwrap_or_else(|| r.strategy.file.clone()))
            .collect();
        let runs = (reports.into_iter().zip(&plain))
            .map(|(report, name)| {
                let repeated = plain.iter().filter(|n| *n == name).count() > 1;
                let name = if repeated && report.strategy.name.is_some() {
                    format!("{name} ({})", report.strategy.file)
                } else {
                    name.clone()
                };
                Compared { name, report }
            })
            .collect();
        Comparison { runs }
    }

    pub fn json(&self) -> ComparisonJson<'_> {
        ComparisonJson {
            strategies: self.runs.iter().map(|r| &r.report).collect(),
        }
    }

    /// What a reader must know before comparing the figures: runs over different periods
    /// or data, synthetic data. Each is one sentence.
    pub fn cautions(&self) -> Vec<String> {
        let mut out = Vec::new();
        let period = |r: &Compared| {
            let m = &r.report.metrics;
            format!(
                "{} to {}",
                m.start.as_deref().unwrap_or("?"),
                m.end.as_deref().unwrap_or("?")
            )
        };
        if let Some(first) = self.runs.first()
            && self.runs.iter().any(|r| period(r) != period(first))
        {
            let each: Vec<String> = self.runs.iter().map(|r| format!("{}: {}", r.name, period(r))).collect();
            out.push(format!(
                "the runs cover different periods ({}); give --from and --to to compare the same one",
                each.join("; ")
            ));
        }
        if let Some(first) = self.runs.first()
            && self
                .runs
                .iter()
                .any(|r| r.report.data.sources != first.report.data.sources)
        {
            // Each run's files, the first three and how many more (a folder can hold dozens).
            let each: Vec<String> = (self.runs.iter())
                .map(|r| {
                    let files = &r.report.data.sources;
                    let mut shown: Vec<String> = files.iter().take(3).cloned().collect();
                    if files.len() > 3 {
                        shown.push(format!("{} more", files.len() - 3));
                    }
                    format!("{}: {}", r.name, shown.join(", "))
                })
                .collect();
            out.push(format!("the runs read different data files ({})", each.join("; ")));
        }
        // Different money in makes final values and profits incomparable (tax paid from
        // outside the account counts as money in, too): say so, in each currency the table
        // ranks them in, and what compares.
        let differing = self.differing_amounts();
        if !differing.is_empty() {
            let each: Vec<String> = (self.runs.iter())
                .map(|r| {
                    let amounts: Vec<String> = (differing.iter())
                        .filter_map(|(unit, base)| {
                            of(&r.report, *base).map(|m| format!("{} {unit}", super::number::money(m.contributed)))
                        })
                        .collect();
                    format!("{}: {}", r.name, amounts.join(", "))
                })
                .collect();
            out.push(format!(
                "the runs put in different amounts ({}): their final values and profits{} do not compare; their money-weighted returns (XIRR) do",
                each.join("; "),
                self.in_units(&differing)
            ));
        }
        // Money that waited for an exchange rate, or never came: the run is not its plan.
        let rateless: Vec<String> = (self.runs.iter())
            .filter_map(|r| {
                let a = &r.report.activity;
                let mut parts = Vec::new();
                if a.contributions_late_no_rate > 0 {
                    parts.push(format!("{} credited late", a.contributions_late_no_rate));
                }
                if a.contributions_skipped > 0 {
                    parts.push(format!("{} never credited", a.contributions_skipped));
                }
                (!parts.is_empty()).then(|| format!("{}: {}", r.name, parts.join(", ")))
            })
            .collect();
        if !rateless.is_empty() {
            out.push(format!(
                "contributions came in late or not at all for want of an exchange rate ({}): their money did not go \
                 in when their plans say (each run's Assumed says when), so their final values and profits are not \
                 those of the plans as written",
                rateless.join("; ")
            ));
        }
        if self.runs.iter().any(|r| r.report.data.synthetic) {
            out.push("bundled SYNTHETIC sample data — not market prices — is used".to_string());
        }
        out
    }

    /// The currencies the table ranks money in (USD, and the base currency every run shares,
    /// [`Comparison::base_unit`]) in which the runs put in different amounts: the Best
    /// column names no run on their final values and profits ([`rank`]), and the note and
    /// the footnote say so in the same currencies.
    pub fn differing_amounts(&self) -> Vec<(String, bool)> {
        let mut units = vec![("USD".to_string(), false)];
        units.extend(self.base_unit().map(|code| (code, true)));
        units
            .into_iter()
            .filter(|(_, base)| amounts_differ(self.runs.iter().filter_map(|r| of(&r.report, *base))))
            .collect()
    }

    /// The base currency every run reports in too (`currency KRW using …` in each, the same
    /// code): the table then shows each run's figures in it ([`base_rows`]), and the
    /// after-tax rows in it with a tax rule. `None` when a run has none or another.
    pub fn base_unit(&self) -> Option<String> {
        let code = self.runs.first()?.report.base_currency.as_ref()?.code.clone();
        (self.runs.iter())
            .all(|r| r.report.base_currency.as_ref().is_some_and(|b| b.code == code))
            .then_some(code)
    }

    /// Whether the after-tax rows are shown with a run without a tax rule in them: its
    /// cells are its pre-tax figures, marked, and the footnote says why.
    fn untaxed_beside_taxed(&self) -> bool {
        !self.after_tax_units().is_empty() && self.runs.iter().any(|r| r.report.metrics.after_tax.is_none())
    }

    /// `""` when the amounts differ in every currency the table ranks money in, else
    /// ` in KRW`: which final values and profits do not compare.
    fn in_units(&self, differing: &[(String, bool)]) -> String {
        let shown = 1 + usize::from(self.base_unit().is_some());
        if differing.len() == shown {
            String::new()
        } else {
            let units: Vec<&str> = differing.iter().map(|(u, _)| u.as_str()).collect();
            format!(" in {}", units.join(" and "))
        }
    }

    /// The text table: a row per figure, a column per run, and the best run per row.
    pub fn table(&self) -> String {
        let mut t = Table::new();
        t.load_preset(presets::NOTHING);
        let mut header = vec![String::new()];
        header.extend(self.runs.iter().map(|r| escape_line(&r.name).into_owned()));
        header.push("Best".into());
        t.set_header(header);
        // Each row with whether it reads the base currency's figures.
        let withdrawn = any_withdrawn(self.runs.iter().map(|r| &r.report.metrics));
        let mut all: Vec<(Row, bool)> = rows("USD", withdrawn).into_iter().map(|row| (row, false)).collect();
        if let Some(code) = self.base_unit() {
            let withdrawn = any_withdrawn(self.runs.iter().filter_map(|r| of(&r.report, true)));
            all.extend(base_rows(&code, withdrawn).into_iter().map(|row| (row, true)));
        }
        for (unit, base) in self.after_tax_units() {
            all.extend(after_tax_rows(&unit).into_iter().map(|row| (row, base)));
        }
        for (row, base) in all {
            let metrics: Vec<_> = self.runs.iter().map(|r| of(&r.report, base)).collect();
            let best = rank(&row, &metrics);
            let mut cells = vec![row.label.clone()];
            cells.extend((self.runs.iter()).map(|r| of(&r.report, base).map_or("-".to_string(), |m| (row.text)(m))));
            let names: Vec<String> = best
                .iter()
                .map(|&i| escape_line(&self.runs[i].name).into_owned())
                .collect();
            cells.push(if names.is_empty() { "-".into() } else { names.join(", ") });
            t.add_row(cells);
        }
        for i in 1..=self.runs.len() {
            if let Some(c) = t.column_mut(i) {
                c.set_cell_alignment(CellAlignment::Right);
            }
        }
        format!("{t}\n")
    }

    /// The units of the after-tax rows, with whether each reads the base currency's
    /// figures: none without a tax rule in any run; USD with one, and the base currency
    /// too when every run has the same (docs/TAXES.md). The text table and the HTML page
    /// both show these.
    pub fn after_tax_units(&self) -> Vec<(String, bool)> {
        if !self.runs.iter().any(|r| r.report.metrics.after_tax.is_some()) {
            return Vec::new();
        }
        let mut units = vec![("USD".to_string(), false)];
        units.extend(self.base_unit().map(|code| (code, true)));
        units
    }

    /// The text `rotor compare` prints: the runs, the cautions, the table.
    pub fn render(&self) -> String {
        let mut out = String::from("Comparing:\n");
        for r in &self.runs {
            let m = &r.report.metrics;
            out.push_str(&format!(
                "  {} — {} ({} to {})\n",
                escape_line(&r.name),
                escape_line(&r.report.strategy.file),
                m.start.as_deref().unwrap_or("?"),
                m.end.as_deref().unwrap_or("?")
            ));
        }
        let cautions = self.cautions();
        if !cautions.is_empty() {
            out.push_str("\nNote:\n");
            for c in cautions {
                out.push_str(&format!("  - {}\n", escape_line(&c)));
            }
        }
        out.push('\n');
        out.push_str(&self.table());
        // The footnote: one short line per reason a Best cell is `-`.
        out.push_str("\nBest: the highest figure (the lowest volatility and drawdown).\n");
        out.push_str("`-` under Best: a fact, not a score (money in, time in the market).\n");
        let differing = self.differing_amounts();
        if !differing.is_empty() {
            out.push_str(&format!(
                "`-` on final values and profits{}: the runs put in different amounts.\n",
                self.in_units(&differing)
            ));
        }
        if let Some(code) = self.base_unit()
            && (self.runs.iter()).any(|r| of(&r.report, true).is_some_and(|m| !m.why_null.is_empty()))
        {
            out.push_str(&format!(
                "`-` in a {code} row: unknown there (a day without an exchange rate) or meaningless; that run's own\n  \
                 report says why.\n"
            ));
        }
        if self.untaxed_beside_taxed() {
            out.push_str(&format!(
                "{NO_TAX_RULE}: a run without a tax rule pays no tax in the model; its after-tax figures are its\n  \
                 figures before tax, not ranked against a taxed run's.\n"
            ));
        }
        if periods_differ(self.runs.iter().map(|r| &r.report.metrics)) {
            out.push_str(
                "`-` on totals (final value, profit, total time-weighted return), max drawdown, Calmar and\n  \
                 best and worst year: the runs cover different periods; a longer one grows more, meets\n  \
                 more falls and has more years.\n",
            );
        }
        out
    }
}

/// A report's figures in USD, or in its base currency with `base`.
pub fn of(r: &Report, base: bool) -> Option<&super::metrics::Metrics> {
    if base {
        r.base_currency.as_ref().map(|b| &b.metrics)
    } else {
        Some(&r.metrics)
    }
}
