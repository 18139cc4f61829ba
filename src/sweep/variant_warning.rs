//! The warnings `rotor check` would give a variant of a sweep that the file as written does
//! not get (a Korean symbol given only in `--vary`, a threshold out of range in a `--vary`
//! value): each distinct one once, naming the variants that get it.

use miette::Diagnostic;
use thiserror::Error;

use crate::report::StrategyWarning;

/// Variants named in full in a warning; more are counted.
const NAMED: usize = 5;

/// One distinct warning and the variants that get it.
#[derive(Debug, Error, Diagnostic)]
#[error("{warning} — in {variants}")]
#[diagnostic(forward(warning))]
pub struct VariantWarning {
    pub warning: StrategyWarning,
    /// `2 variants: t=80; t=90`.
    pub variants: String,
}

/// What tells two warnings apart: the message, where it points and its help (the same
/// check of the same words at the same place says the same thing).
type Key = (String, Vec<(usize, usize)>, Option<String>);

fn key(w: &StrategyWarning) -> Key {
    let labels = w
        .labels()
        .map(|l| l.map(|l| (l.offset(), l.len())).collect())
        .unwrap_or_default();
    (w.to_string(), labels, w.help().map(|h| h.to_string()))
}

/// A distinct warning, with the grid index and label of each variant that gets it.
type Found = (Key, StrategyWarning, Vec<(usize, String)>);

/// The variants' warnings, gathered as they run.
#[derive(Debug, Default)]
pub(crate) struct Gathered {
    /// What was said already (the file as written): not repeated.
    said: Vec<Key>,
    /// Each distinct warning, in the order of the first variant that got it, with the
    /// labels of the variants that did (in grid order, without repeats).
    found: Vec<Found>,
}

impl Gathered {
    /// Notes warnings already shown, which no variant repeats.
    pub fn said(&mut self, warnings: &[StrategyWarning]) {
        self.said.extend(warnings.iter().map(key));
    }

    /// Takes in the warnings of the variant at grid `index`, labelled `label`.
    pub fn add(&mut self, index: usize, label: String, warnings: Vec<StrategyWarning>) {
        for w in warnings {
            let k = key(&w);
            if self.said.contains(&k) {
                continue;
            }
            match self.found.iter_mut().find(|(fk, _, _)| *fk == k) {
                Some((_, _, variants)) => {
                    if let Err(at) = variants.binary_search_by_key(&index, |(i, _)| *i) {
                        variants.insert(at, (index, label.clone()));
                    }
                }
                None => self.found.push((k, w, vec![(index, label.clone())])),
            }
        }
    }

    /// Each distinct warning once, naming its variants; emptied.
    pub fn take(&mut self) -> Vec<VariantWarning> {
        std::mem::take(&mut self.found)
            .into_iter()
            .map(|(_, warning, variants)| {
                let mut names: Vec<&str> = variants.iter().take(NAMED).map(|(_, l)| l.as_str()).collect();
                let more = variants.len().saturating_sub(NAMED);
                let more_text = format!("{more} more");
                if more > 0 {
                    names.push(&more_text);
                }
                VariantWarning {
                    warning,
                    variants: format!(
                        "{}: {}",
                        crate::display::count(variants.len(), "variant"),
                        names.join("; ")
                    ),
                }
            })
            .collect()
    }
}
