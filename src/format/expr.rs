//! Expressions: single spaces around binary operators, no space after a unary one, and
//! parentheses wherever the tree would otherwise read back differently.

use super::token;
use crate::syntax::ast::{BinaryOp, Expr, ExprKind, UnaryOp};

/// How tightly an expression holds together, following the grammar's rule nesting:
/// `or` 1, `and` 2, `not` 3, comparison 4, `+ -` 5, `* /` 6, unary minus 7, lag 8, atoms 9.
/// A child that binds looser than its place requires is printed in parentheses.
pub(super) type Level = u8;

/// Any expression fits (a guard, `let`, `by`, a call argument, inside parentheses).
pub(super) const ANY: Level = 0;
const NOT: Level = 3;
/// Only a `sum` fits: amounts, weights, fees, where the grammar reads no comparison.
pub(super) const SUM: Level = 5;
const NEG: Level = 7;
const LAG: Level = 8;
const ATOM: Level = 9;

fn level(expr: &Expr) -> Level {
    match &expr.kind {
        ExprKind::Binary { op, .. } => op.precedence(),
        ExprKind::Unary { op: UnaryOp::Not, .. } => NOT,
        ExprKind::Unary { op: UnaryOp::Neg, .. } => NEG,
        ExprKind::Lag { .. } => LAG,
        ExprKind::Number(_)
        | ExprKind::Percent(_)
        | ExprKind::Money { .. }
        | ExprKind::Duration { .. }
        | ExprKind::Bool(_)
        | ExprKind::Name(_)
        | ExprKind::Call { .. }
        | ExprKind::Group(_) => ATOM,
        // Only a call's first argument, which takes any expression before `since entry`.
        ExprKind::SinceEntry(_) => ANY,
    }
}

/// Appends `expr`, in parentheses if it binds looser than `min`.
pub(super) fn write(out: &mut String, expr: &Expr, min: Level) {
    if level(expr) < min {
        out.push('(');
        write_bare(out, expr);
        out.push(')');
    } else {
        write_bare(out, expr);
    }
}

fn write_bare(out: &mut String, expr: &Expr) {
    match &expr.kind {
        ExprKind::Number(n) => out.push_str(&n.text),
        ExprKind::Percent(n) => {
            out.push_str(&n.text);
            out.push('%');
        }
        ExprKind::Money { amount, currency: None } => {
            out.push('$');
            out.push_str(&amount.text);
        }
        ExprKind::Money {
            amount,
            currency: Some(code),
        } => {
            out.push_str(&amount.text);
            out.push(' ');
            out.push_str(code);
        }
        ExprKind::Duration { amount, unit } => {
            out.push_str(&amount.text);
            out.push(' ');
            out.push_str(unit.word(amount.value));
        }
        ExprKind::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        ExprKind::Name(name) => out.push_str(&token::name(name)),
        ExprKind::Call { func, args } => {
            out.push_str(&token::name(func));
            out.push('(');
            for (i, arg) in args.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write(out, arg, ANY);
            }
            out.push(')');
        }
        ExprKind::Lag { expr, bars } => {
            write(out, expr, LAG);
            out.push('[');
            out.push_str(&bars.to_string());
            out.push(']');
        }
        ExprKind::Unary { op: UnaryOp::Neg, expr } => {
            out.push('-');
            write(out, expr, NEG);
        }
        ExprKind::Unary { op: UnaryOp::Not, expr } => {
            out.push_str("not ");
            // `not_op* ~ comparison`: a `not` takes another `not` or a comparison.
            write(out, expr, NOT);
        }
        ExprKind::Binary { op, lhs, rhs } => {
            let (left, right) = operand_levels(*op);
            write(out, lhs, left);
            out.push(' ');
            out.push_str(op.symbol());
            out.push(' ');
            write(out, rhs, right);
        }
        ExprKind::Group(inner) => {
            out.push('(');
            write(out, inner, ANY);
            out.push(')');
        }
        ExprKind::SinceEntry(inner) => {
            write(out, inner, ANY);
            out.push_str(" since entry");
        }
    }
}

/// The least binding levels of a binary operator's operands. Chains are folded to the left,
/// so a right operand of the same precedence needs parentheses (`a - (b - c)`); a comparison
/// takes one operator at most, so neither side may be a comparison.
fn operand_levels(op: BinaryOp) -> (Level, Level) {
    let p = op.precedence();
    if op.is_comparison() { (p + 1, p + 1) } else { (p, p + 1) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Span;
    use crate::syntax::ast::{Name, Num};

    fn e(kind: ExprKind) -> Expr {
        Expr {
            kind,
            span: Span::default(),
        }
    }
    fn name(text: &str) -> Expr {
        e(ExprKind::Name(Name {
            text: text.to_string(),
            span: Span::default(),
        }))
    }
    fn num(text: &str) -> Expr {
        e(ExprKind::Number(Num {
            value: text.replace('_', "").parse().expect("a test number"),
            text: text.to_string(),
        }))
    }
    fn bin(op: BinaryOp, lhs: Expr, rhs: Expr) -> Expr {
        e(ExprKind::Binary {
            op,
            lhs: Box::new(lhs),
            rhs: Box::new(rhs),
        })
    }
    fn un(op: UnaryOp, expr: Expr) -> Expr {
        e(ExprKind::Unary {
            op,
            expr: Box::new(expr),
        })
    }
    fn text(expr: &Expr, min: Level) -> String {
        let mut out = String::new();
        write(&mut out, expr, min);
        out
    }

    #[test]
    fn parentheses_appear_only_where_the_tree_needs_them() {
        use BinaryOp::*;
        let (a, b, c) = (name("a"), name("b"), name("c"));
        let cases = [
            (bin(Sub, bin(Sub, a.clone(), b.clone()), c.clone()), "a - b - c"),
            (bin(Sub, a.clone(), bin(Sub, b.clone(), c.clone())), "a - (b - c)"),
            (bin(Mul, bin(Add, a.clone(), b.clone()), c.clone()), "(a + b) * c"),
            (bin(Add, a.clone(), bin(Mul, b.clone(), c.clone())), "a + b * c"),
            (bin(Gt, bin(Lt, a.clone(), b.clone()), c.clone()), "(a < b) > c"),
            (bin(Gt, a.clone(), bin(Lt, b.clone(), c.clone())), "a > (b < c)"),
            (bin(And, bin(Or, a.clone(), b.clone()), c.clone()), "(a or b) and c"),
            (bin(Or, bin(And, a.clone(), b.clone()), c.clone()), "a and b or c"),
            (un(UnaryOp::Not, bin(Gt, a.clone(), b.clone())), "not a > b"),
            (un(UnaryOp::Not, bin(And, a.clone(), b.clone())), "not (a and b)"),
            (bin(Gt, un(UnaryOp::Not, a.clone()), b.clone()), "(not a) > b"),
            (bin(And, un(UnaryOp::Not, a.clone()), b.clone()), "not a and b"),
            (un(UnaryOp::Not, un(UnaryOp::Not, a.clone())), "not not a"),
            (un(UnaryOp::Neg, bin(Add, a.clone(), b.clone())), "-(a + b)"),
            (un(UnaryOp::Neg, un(UnaryOp::Neg, a.clone())), "--a"),
            (bin(Sub, a.clone(), un(UnaryOp::Neg, num("1"))), "a - -1"),
            (
                e(ExprKind::Lag {
                    expr: Box::new(un(UnaryOp::Neg, a.clone())),
                    bars: 2,
                }),
                "(-a)[2]",
            ),
            (
                un(
                    UnaryOp::Neg,
                    e(ExprKind::Lag {
                        expr: Box::new(a.clone()),
                        bars: 2,
                    }),
                ),
                "-a[2]",
            ),
            (e(ExprKind::Group(Box::new(a.clone()))), "(a)"),
            (bin(CrossesAbove, a.clone(), b.clone()), "a crosses above b"),
        ];
        for (expr, expected) in cases {
            assert_eq!(text(&expr, ANY), expected);
        }
    }

    #[test]
    fn a_sum_place_wraps_comparisons_and_not() {
        let cmp = bin(BinaryOp::Ge, name("a"), num("1"));
        assert_eq!(text(&cmp, SUM), "(a >= 1)");
        assert_eq!(text(&un(UnaryOp::Not, name("a")), SUM), "(not a)");
        assert_eq!(text(&bin(BinaryOp::Add, name("a"), num("10_000")), SUM), "a + 10_000");
    }
}
