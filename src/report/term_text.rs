//! A checked term written back as text, for the labels of a report's charts: names as
//! written, constants folded (`fed_cut_prob > 0.8` for `fed_cut_prob > threshold`).

use crate::check::{Arg, Builtin, FUNCTIONS, Program, Term, Window};

/// Binding strength of `not` (between `and` and the comparisons) and of a prefix or a call.
const NOT: u8 = 3;
const ATOM: u8 = 9;

/// `term` as text; `scripts` names the `use`d scripts' functions by index.
pub fn text(term: &Term, program: &Program, scripts: &[String]) -> String {
    write(term, program, scripts).0
}

/// The text and its binding strength (to put parentheses where a reader needs them).
fn write(term: &Term, program: &Program, scripts: &[String]) -> (String, u8) {
    let sub = |t: &Term, min: u8| {
        let (s, p) = write(t, program, scripts);
        if p < min { format!("({s})") } else { s }
    };
    match term {
        Term::Number(v) => (number(*v), ATOM),
        Term::Symbol(n) | Term::Series(n) | Term::Data(n) => (n.clone(), ATOM),
        Term::Subject => ("the candidate".into(), ATOM),
        Term::Cash => ("cash".into(), ATOM),
        Term::Equity => ("portfolio.value".into(), ATOM),
        Term::Drawdown => ("portfolio.drawdown".into(), ATOM),
        Term::Let(i) => (program.lets.get(*i).map_or("?".into(), |l| l.name.clone()), ATOM),
        Term::Lag(a, n) => (format!("{}[{n}]", sub(a, ATOM)), ATOM),
        Term::Neg(a) => (format!("-{}", sub(a, ATOM)), ATOM),
        Term::Not(a) => (format!("not {}", sub(a, NOT + 1)), NOT),
        Term::Binary(op, a, b) => {
            let p = op.precedence();
            (format!("{} {} {}", sub(a, p), op.symbol(), sub(b, p + 1)), p)
        }
        Term::Call(builtin @ (Builtin::HighestSinceEntry | Builtin::LowestSinceEntry), args) => {
            let name = if *builtin == Builtin::HighestSinceEntry {
                "highest"
            } else {
                "lowest"
            };
            let value = match args.first() {
                Some(Arg::Value(t)) => write(t, program, scripts).0,
                _ => "?".into(),
            };
            (format!("{name}({value} since entry)"), ATOM)
        }
        Term::Call(builtin, args) => {
            let name = FUNCTIONS.iter().find(|f| f.builtin == *builtin).map_or("?", |f| f.name);
            let args: Vec<String> = args
                .iter()
                .map(|a| match a {
                    Arg::Value(t) => write(t, program, scripts).0,
                    Arg::Window(Window::Bars(n)) => number(*n),
                    Arg::Window(Window::Duration(n, unit)) => format!("{} {}", number(*n), unit.word(*n)),
                })
                .collect();
            (format!("{name}({})", args.join(", ")), ATOM)
        }
        Term::Script { index, args, .. } => {
            let name = scripts
                .get(*index)
                .cloned()
                .unwrap_or_else(|| format!("script#{index}"));
            let args: Vec<String> = args.iter().map(|a| write(a, program, scripts).0).collect();
            (format!("{name}({})", args.join(", ")), ATOM)
        }
    }
}

/// A constant as a person writes it: `0.8`, `21`, `1e-6`.
fn number(v: f64) -> String {
    if v.is_nan() {
        "NaN".into()
    } else if v == v.trunc() && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{BinaryOp, Builtin, TimeUnit};

    #[test]
    fn writes_names_operators_calls_and_parentheses() {
        let p = Program::default();
        let series = |n: &str| Box::new(Term::Series(n.into()));
        let gt = Term::Binary(BinaryOp::Gt, series("fed_cut_prob"), Box::new(Term::Number(0.8)));
        assert_eq!(text(&gt, &p, &[]), "fed_cut_prob > 0.8");
        let sum = Term::Binary(BinaryOp::Add, series("a"), series("b"));
        let product = Term::Binary(BinaryOp::Mul, Box::new(sum), series("c"));
        assert_eq!(text(&product, &p, &[]), "(a + b) * c");
        let sma = Term::Call(
            Builtin::Sma,
            vec![
                Arg::Value(Term::Symbol("IWM".into())),
                Arg::Window(Window::Duration(5.0, TimeUnit::Days)),
            ],
        );
        assert_eq!(text(&sma, &p, &[]), "sma(IWM, 5 days)");
        let not = Term::Not(Box::new(Term::Binary(BinaryOp::Or, series("a"), series("b"))));
        assert_eq!(text(&not, &p, &[]), "not (a or b)");
        let script = Term::Script {
            index: 0,
            args: vec![Term::Series("x".into()), Term::Number(21.0)],
            span: Default::default(),
        };
        assert_eq!(text(&script, &p, &["signal".into()]), "signal(x, 21)");
    }
}
