//! The rules' conditions as a report draws them: for each distinct condition, the values it
//! compares (a line each, with the threshold it is compared with) and the bars where it
//! held, so a reader sees why the strategy traded.
//!
//! [`plan`] reads the checked program before the run and lists the terms the engine must
//! record ([`crate::engine::Trace`]); the run's [`crate::engine::Detail`] then holds one
//! value a bar for each.

use serde::Serialize;

use super::term_text::text;
use crate::check::{BinaryOp, GuardKind, Program, Term};
use crate::engine::Trace;

/// One condition of the rules (a `while`, `if`, `when` or `unless` clause), shared by every
/// rule that reads it, with `not` and `unless` taken off: the chart shades where it holds.
#[derive(Clone, Debug, Serialize)]
pub struct Condition {
    /// The condition as text, constants folded: `fed_cut_prob > 0.8`.
    pub text: String,
    /// The rules that read it.
    pub uses: Vec<Use>,
    /// Its index in the trace (1 where it holds, 0 where not, NaN where not available).
    pub term: usize,
    /// What it compares, a chart each.
    pub panels: Vec<Panel>,
}

/// A rule reading a condition.
#[derive(Clone, Debug, Serialize)]
pub struct Use {
    /// The rule's number (1-based, as in the trades' `rule`).
    pub rule: usize,
    /// `while`, `if`, `when` or `unless`.
    pub word: &'static str,
    /// The rule acts where the condition does not hold (`unless`, `not …`).
    pub negated: bool,
}

/// A value a condition reads, drawn as a line.
#[derive(Clone, Debug, Serialize)]
pub struct Panel {
    pub label: String,
    /// Its index in the trace.
    pub term: usize,
    /// The comparison with a constant, as `(">", 0.8)`: the value drawn as a level line.
    pub threshold: Option<(&'static str, f64)>,
    /// The value it is compared with when that is not a constant (`sma(IWM, 200)`): a
    /// second line, with its label and index in the trace.
    pub other: Option<(String, usize)>,
}

/// What to record, and how to draw it.
#[derive(Clone, Debug, Default)]
pub struct Conditions {
    pub trace: Trace,
    pub list: Vec<Condition>,
}

/// Lets read through while looking for comparisons, at most: a longer chain is drawn as
/// the value it ends in.
const DEPTH: usize = 8;

/// The conditions of `program`'s rules and the terms a run must record to draw them;
/// `scripts` names the scripts' functions by index.
pub fn plan(program: &Program, scripts: &[String]) -> Conditions {
    let mut out = Conditions::default();
    for (i, rule) in program.rules.iter().enumerate() {
        // A `hold`'s condition is drawn as an `if`: where it held, the first side was meant.
        let hold = match &rule.action {
            crate::check::Action::Hold { condition, .. } => Some((GuardKind::If, condition)),
            _ => None,
        };
        let guards = rule.guards.iter().map(|g| (g.kind, &g.condition)).chain(hold);
        for (kind, condition) in guards {
            let (term, mut negated) = strip_not(condition);
            negated ^= kind == GuardKind::Unless;
            let usage = Use {
                rule: i + 1,
                word: word(kind),
                negated,
            };
            let index = traced(&mut out.trace, term);
            if let Some(c) = out.list.iter_mut().find(|c| c.term == index) {
                c.uses.push(usage);
                continue;
            }
            let mut panels = Vec::new();
            for part in parts(term, program) {
                panel(part, program, scripts, &mut out.trace, &mut panels);
            }
            out.list.push(Condition {
                text: text(term, program, scripts),
                uses: vec![usage],
                term: index,
                panels,
            });
        }
    }
    out
}

fn word(kind: GuardKind) -> &'static str {
    match kind {
        GuardKind::While => "while",
        GuardKind::If => "if",
        GuardKind::When => "when",
        GuardKind::Unless => "unless",
    }
}

/// `not not x` is `x`; `not x` is `x`, negated.
fn strip_not(mut term: &Term) -> (&Term, bool) {
    let mut negated = false;
    while let Term::Not(inner) = term {
        term = inner;
        negated = !negated;
    }
    (term, negated)
}

/// The term's index in the trace, adding it if new.
fn traced(trace: &mut Trace, term: &Term) -> usize {
    match trace.terms.iter().position(|t| t == term) {
        Some(i) => i,
        None => {
            trace.terms.push(term.clone());
            trace.terms.len() - 1
        }
    }
}

/// A piece of a condition: a comparison, or a value read as true or false.
enum Part<'a> {
    Compare(BinaryOp, &'a Term, &'a Term),
    Plain(&'a Term),
}

/// The comparisons and plain values a condition is made of, through `and`, `or`, `not`
/// and `let`s.
fn parts<'a>(term: &'a Term, program: &'a Program) -> Vec<Part<'a>> {
    let mut out = Vec::new();
    let mut todo = vec![(term, 0)];
    while let Some((t, depth)) = todo.pop() {
        match t {
            Term::Binary(BinaryOp::And | BinaryOp::Or, a, b) => {
                todo.push((b, depth));
                todo.push((a, depth));
            }
            Term::Not(a) => todo.push((a, depth)),
            Term::Let(i) if depth < DEPTH => match program.lets.get(*i) {
                Some(l) if is_condition(&l.value) => todo.push((&l.value, depth + 1)),
                _ => out.push(Part::Plain(t)),
            },
            Term::Binary(op, a, b) if op.is_comparison() => out.push(Part::Compare(*op, a, b)),
            _ => out.push(Part::Plain(t)),
        }
    }
    out
}

/// Whether a `let`'s value is itself a condition to take apart (rather than a value to draw).
fn is_condition(term: &Term) -> bool {
    match term {
        Term::Binary(op, _, _) => op.is_comparison() || matches!(op, BinaryOp::And | BinaryOp::Or),
        Term::Not(_) => true,
        _ => false,
    }
}

/// Adds the panels that draw `part`, unless an equal one is there.
fn panel(part: Part, program: &Program, scripts: &[String], trace: &mut Trace, panels: &mut Vec<Panel>) {
    let mut add = |line: &Term, threshold: Option<(&'static str, f64)>, other: Option<&Term>| {
        let term = traced(trace, line);
        let other = other.map(|o| (text(o, program, scripts), traced(trace, o)));
        let exists = panels.iter().any(|p| {
            p.term == term && p.threshold == threshold && p.other.as_ref().map(|o| o.1) == other.as_ref().map(|o| o.1)
        });
        if !exists {
            panels.push(Panel {
                label: text(line, program, scripts),
                term,
                threshold,
                other,
            });
        }
    };
    match part {
        Part::Compare(op, a, Term::Number(v)) => add(a, Some((op.symbol(), *v)), None),
        Part::Compare(op, Term::Number(v), b) => add(b, Some((flipped(op).symbol(), *v)), None),
        Part::Compare(_, a, b) => add(a, None, Some(b)),
        Part::Plain(t) => {
            // A function of data (a script's signal): draw the data it reads.
            let leaves: Vec<&Term> = match t {
                Term::Call(..) | Term::Script { .. } => t
                    .walk()
                    .filter(|x| matches!(x, Term::Series(_) | Term::Symbol(_) | Term::Data(_) | Term::Let(_)))
                    .collect(),
                _ => Vec::new(),
            };
            if leaves.is_empty() {
                add(t, None, None);
            }
            for leaf in leaves {
                add(leaf, None, None);
            }
        }
    }
}

/// `a < b` is `b > a`.
fn flipped(op: BinaryOp) -> BinaryOp {
    match op {
        BinaryOp::Lt => BinaryOp::Gt,
        BinaryOp::Gt => BinaryOp::Lt,
        BinaryOp::Le => BinaryOp::Ge,
        BinaryOp::Ge => BinaryOp::Le,
        BinaryOp::CrossesAbove => BinaryOp::CrossesBelow,
        BinaryOp::CrossesBelow => BinaryOp::CrossesAbove,
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{Action, Guard, Let, Rule, Size};

    fn rule(kind: GuardKind, condition: Term) -> Rule {
        Rule {
            action: Action::Trade {
                buy: true,
                symbol: "IWO".into(),
                size: Size::All,
                computed: None,
            },
            schedule: None,
            guards: vec![Guard { kind, condition }],
            cooldown: None,
            span: Default::default(),
            sleeve: None,
        }
    }

    fn series(n: &str) -> Box<Term> {
        Box::new(Term::Series(n.into()))
    }

    #[test]
    fn a_comparison_with_a_constant_is_a_line_and_a_threshold() {
        let cond = Term::Binary(BinaryOp::Gt, series("fed_cut_prob"), Box::new(Term::Number(0.8)));
        let program = Program {
            rules: vec![rule(GuardKind::While, cond.clone())],
            ..Program::default()
        };
        let c = plan(&program, &[]);
        assert_eq!(c.trace.terms, vec![cond, Term::Series("fed_cut_prob".into())]);
        assert_eq!(c.list.len(), 1);
        assert_eq!(c.list[0].text, "fed_cut_prob > 0.8");
        let p = &c.list[0].panels[0];
        assert_eq!(
            (p.label.as_str(), p.term, p.threshold),
            ("fed_cut_prob", 1, Some((">", 0.8)))
        );
    }

    #[test]
    fn one_condition_read_by_several_rules_through_lets_and_negations() {
        // let danger = gap >= 0.5 or 0.2 > odds; `sell when danger`, `buy when not danger`,
        // `buy unless danger`.
        let danger = Term::Binary(
            BinaryOp::Or,
            Box::new(Term::Binary(BinaryOp::Ge, series("gap"), Box::new(Term::Number(0.5)))),
            Box::new(Term::Binary(BinaryOp::Gt, Box::new(Term::Number(0.2)), series("odds"))),
        );
        let program = Program {
            lets: vec![Let {
                name: "danger".into(),
                value: danger,
                span: Default::default(),
            }],
            rules: vec![
                rule(GuardKind::When, Term::Let(0)),
                rule(GuardKind::When, Term::Not(Box::new(Term::Let(0)))),
                rule(GuardKind::Unless, Term::Let(0)),
            ],
            ..Program::default()
        };
        let c = plan(&program, &[]);
        assert_eq!(c.list.len(), 1);
        let uses: Vec<(usize, &str, bool)> = c.list[0].uses.iter().map(|u| (u.rule, u.word, u.negated)).collect();
        assert_eq!(uses, vec![(1, "when", false), (2, "when", true), (3, "unless", true)]);
        let panels: Vec<(&str, Option<(&str, f64)>)> = c.list[0]
            .panels
            .iter()
            .map(|p| (p.label.as_str(), p.threshold))
            .collect();
        assert_eq!(panels, vec![("gap", Some((">=", 0.5))), ("odds", Some(("<", 0.2)))]);
    }
}
