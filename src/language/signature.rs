//! What goes between a name's brackets, for the REPL's hint and the language server's
//! signature help: a built-in function's parameters, or the meeting a FedWatch series is
//! about (`fed_cut_prob(meeting 2)`, `fed_cut_prob(by 2025-12-31)`; the grammar's
//! `selected` rule). A script's functions are the language server's to add: only it has
//! the scripts.

use crate::check::functions;
use crate::fedwatch::Measure;

/// The ways a name may be written with brackets, and what it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signature {
    pub name: &'static str,
    /// The parameters of each form, as written: `[["source", "window"]]` for `sma`;
    /// `[["meeting N"], ["by DATE"]]` for a FedWatch series.
    pub forms: Vec<Vec<String>>,
    /// One line on what it computes or measures.
    pub doc: &'static str,
}

impl Signature {
    /// The signature of a built-in function or a FedWatch series called `name`.
    pub fn of(name: &str) -> Option<Signature> {
        if let Some(m) = Measure::from_name(name) {
            return Some(Signature {
                name: m.name(),
                forms: vec![vec!["meeting N".into()], vec!["by DATE".into()]],
                doc: m.doc(),
            });
        }
        let f = functions::lookup(name)?;
        Some(Signature {
            name: f.name,
            forms: vec![f.params.iter().map(|p| p.written()).collect()],
            doc: f.doc,
        })
    }

    /// Each form written out: `sma(source, window)`.
    pub fn labels(&self) -> Vec<String> {
        self.forms
            .iter()
            .map(|params| format!("{}({})", self.name, params.join(", ")))
            .collect()
    }

    /// One line: `sma(source, window) — …`, or
    /// `fed_cut_prob(meeting N) or fed_cut_prob(by DATE) — …`.
    pub fn hint(&self) -> String {
        format!("{} — {}", self.labels().join(" or "), self.doc)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn functions_and_fedwatch_series_have_signatures() {
        let sma = Signature::of("sma").expect("sma is built in");
        assert_eq!(sma.labels(), ["sma(source, window)"]);
        let fed = Signature::of("fed_hike_prob").expect("a FedWatch series");
        assert!(
            fed.hint()
                .starts_with("fed_hike_prob(meeting N) or fed_hike_prob(by DATE) — probability"),
            "{}",
            fed.hint()
        );
        assert_eq!(Signature::of("IWO"), None);
    }
}
