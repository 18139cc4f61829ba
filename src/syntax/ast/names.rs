//! The one way to walk the names of a syntax tree (just's `Expression::references`): what
//! an expression reads, what a rule trades, and every name a file mentions.
//!
//! The walks keep their own stack instead of recursing, so no nesting a user writes can
//! overflow the stack.

use std::collections::BTreeSet;

use super::{Action, Amount, Expr, ExprKind, File, HoldSide, Holding, Name, Rule, StatementKind, Weighting};

impl Expr {
    /// Every sub-expression, this one first, in the order they are written (pre-order).
    pub fn walk(&self) -> impl Iterator<Item = &Expr> {
        let mut stack = vec![self];
        std::iter::from_fn(move || {
            let e = stack.pop()?;
            match &e.kind {
                ExprKind::Call { args, .. } => stack.extend(args.iter().rev()),
                ExprKind::Lag { expr, .. }
                | ExprKind::Unary { expr, .. }
                | ExprKind::Group(expr)
                | ExprKind::SinceEntry(expr) => stack.push(expr),
                ExprKind::Binary { lhs, rhs, .. } => {
                    stack.push(rhs);
                    stack.push(lhs);
                }
                ExprKind::Number(_)
                | ExprKind::Percent(_)
                | ExprKind::Money { .. }
                | ExprKind::Duration { .. }
                | ExprKind::Bool(_)
                | ExprKind::Name(_) => {}
            }
            Some(e)
        })
    }

    /// The names the expression reads, in the order written, repeats included: symbols,
    /// series, parameters and portfolio values (`IWO`, `threshold`, `cash`), not the
    /// functions it calls.
    pub fn names(&self) -> impl Iterator<Item = &Name> {
        self.walk().filter_map(|e| match &e.kind {
            ExprKind::Name(n) => Some(n),
            _ => None,
        })
    }
}

impl Action {
    /// The symbols the action trades, in the order written.
    pub fn symbols(&self) -> Vec<&Name> {
        match self {
            Action::Buy { symbol, .. } | Action::Sell { symbol, .. } => vec![symbol],
            Action::Rebalance { targets, .. } => targets
                .iter()
                .filter_map(|t| match &t.holding {
                    Holding::Symbol(n) => Some(n),
                    Holding::Cash(_) => None,
                })
                .collect(),
            Action::RebalanceWeighted { symbols, .. } => symbols.iter().collect(),
            Action::Rotate { candidates, .. } => candidates.iter().collect(),
            Action::Hold { then, otherwise, .. } => then.symbols().chain(otherwise.symbols()).collect(),
        }
    }
}

impl HoldSide {
    /// The symbols of one side of a `hold`, in the order written.
    pub fn symbols(&self) -> impl Iterator<Item = &Name> {
        let (one, many): (Option<&Name>, &[super::Target]) = match self {
            HoldSide::Symbol(n) => (Some(n), &[]),
            HoldSide::Weights(targets) => (None, targets),
            HoldSide::Cash(_) => (None, &[]),
        };
        one.into_iter().chain(many.iter().filter_map(|t| match &t.holding {
            Holding::Symbol(n) => Some(n),
            Holding::Cash(_) => None,
        }))
    }

    /// The weights a side writes (none for a bare symbol or `cash`).
    pub fn weights(&self) -> impl Iterator<Item = &Expr> {
        let targets: &[super::Target] = match self {
            HoldSide::Weights(targets) => targets,
            _ => &[],
        };
        targets.iter().map(|t| &t.weight)
    }
}

impl Rule {
    /// Every expression of the rule, in the order written: amount, weights, tolerance,
    /// ranking, then the guards' conditions.
    pub fn exprs(&self) -> Vec<&Expr> {
        let mut out: Vec<&Expr> = Vec::new();
        match &self.action {
            Action::Buy { amount, .. } | Action::Sell { amount, .. } => match amount {
                None | Some(Amount::All(_)) => {}
                Some(Amount::Shares(e) | Amount::Value(e)) => out.push(e),
                Some(Amount::Fraction { share, .. }) => out.push(share),
                Some(Amount::Money { value, .. }) => out.push(value),
            },
            Action::Rebalance { targets, tolerance } => {
                out.extend(targets.iter().map(|t| &t.weight));
                out.extend(tolerance);
            }
            Action::RebalanceWeighted {
                weighting, tolerance, ..
            } => {
                if let Weighting::By(by) = weighting {
                    out.push(by);
                }
                out.extend(tolerance);
            }
            Action::Rotate { by, .. } => out.push(by),
            Action::Hold {
                then,
                condition,
                otherwise,
                tolerance,
            } => {
                out.extend(then.weights());
                out.push(condition);
                out.extend(otherwise.weights());
                out.extend(tolerance);
            }
        }
        out.extend(self.guards.iter().map(|g| &g.condition));
        out.extend(self.exits.iter().map(|e| &e.level));
        out
    }
}

impl StatementKind {
    /// The names the statement itself holds (a `data … as` alias, a benchmark, a `let`'s
    /// name, the symbols a rule trades), then every expression it holds.
    fn parts(&self) -> (Vec<&Name>, Vec<&Expr>) {
        use StatementKind as S;
        match self {
            S::Data { alias, .. } => (alias.iter().collect(), Vec::new()),
            S::Benchmark(n) | S::RiskFree(n) => (vec![n], Vec::new()),
            S::Currency { code, rate } => (vec![code, rate], Vec::new()),
            S::Priced { symbols, .. } => (symbols.iter().collect(), Vec::new()),
            S::Expense(items) => items.iter().map(|(n, e)| (n, e)).unzip(),
            S::Lag { series, by } => (vec![series], vec![by]),
            S::Stale { series, after } => (series.iter().collect(), vec![after]),
            S::Let { name, value } => (vec![name], vec![value]),
            S::Capital(e)
            | S::Slippage(e)
            | S::BarsPerYear(e)
            | S::CashInterest(e)
            | S::FxSpread(e)
            | S::Contribute { amount: e, .. }
            | S::Withdraw { amount: e, .. } => (Vec::new(), vec![e]),
            S::Fees(fees) => (Vec::new(), fees.iter().map(|f| &f.amount).collect()),
            S::Tax(super::Tax::CapitalGains { rate, above, .. }) => {
                (Vec::new(), std::iter::once(rate).chain(above).collect())
            }
            S::Tax(super::Tax::Dividends { rate, .. }) => (Vec::new(), vec![rate]),
            S::Dividends(super::Dividends::File { symbol, .. }) => (vec![symbol], Vec::new()),
            S::Rule(rule) => (rule.action.symbols(), rule.exprs()),
            S::Exit { level, symbols, .. } => (symbols.iter().collect(), vec![level]),
            // A sleeve's name names no data.
            S::Sleeve { share, .. } => (Vec::new(), vec![share]),
            S::Strategy(_)
            | S::Description(_)
            | S::Fomc(_)
            | S::Use(_)
            | S::Fill(_)
            | S::Calendar(_)
            | S::Shares(_)
            | S::CostBasis(_)
            | S::Dividends(super::Dividends::Cash | super::Dividends::Reinvest)
            | S::Tax(super::Tax::Korea(_) | super::Tax::KoreaListed(_))
            | S::Account { .. }
            | S::Delisted(_)
            | S::Period { .. } => (Vec::new(), Vec::new()),
        }
    }
}

impl File {
    /// Every name node the file holds, with its span, in the order written: each
    /// statement's own names, then those its expressions read. What an editor looks up
    /// under the cursor.
    pub fn name_nodes(&self) -> impl Iterator<Item = &Name> {
        self.statements().flat_map(|statement| {
            let (own, exprs) = statement.kind.parts();
            own.into_iter().chain(exprs.into_iter().flat_map(|e| e.names()))
        })
    }

    /// Every name the file mentions that could name data: symbols, series, parameters,
    /// `data … as` aliases, the functions it calls and the currencies of its amounts.
    /// Loading just these loads everything the strategy can read; extra names do no harm.
    pub fn names(&self) -> BTreeSet<&str> {
        let mut names = BTreeSet::new();
        for statement in self.statements() {
            let (own, exprs) = statement.kind.parts();
            names.extend(own.iter().map(|n| n.text.as_str()));
            for e in exprs.iter().flat_map(|e| e.walk()) {
                match &e.kind {
                    ExprKind::Name(n) | ExprKind::Call { func: n, .. } => {
                        names.insert(n.text.as_str());
                    }
                    ExprKind::Money { currency: Some(c), .. } => {
                        names.insert(c.as_str());
                    }
                    _ => {}
                }
            }
        }
        names
    }
}

#[cfg(test)]
mod tests {
    use crate::source::SourceMap;
    use crate::syntax::parse_file;

    fn file(text: &str) -> super::File {
        let mut sources = SourceMap::new();
        let source = sources.add("t.rotor", None, text.to_string());
        let (ast, errors) = parse_file(&source);
        assert!(errors.is_empty(), "{errors:?}");
        ast
    }

    fn let_value(ast: &super::File) -> &super::Expr {
        ast.statements()
            .find_map(|s| match &s.kind {
                super::StatementKind::Let { value, .. } => Some(value),
                _ => None,
            })
            .expect("a let line")
    }

    #[test]
    fn an_expression_reads_its_names_in_the_order_written() {
        let ast = file("let x = sma(IWO, n)[1] > -(a + b) and not cash > max(c, IWO)\n");
        let names: Vec<&str> = let_value(&ast).names().map(|n| n.text.as_str()).collect();
        // Functions called are not names read; repeats stay.
        assert_eq!(names, ["IWO", "n", "a", "b", "cash", "c", "IWO"]);
    }

    #[test]
    fn a_file_names_everything_that_could_name_data() {
        let ast = file(
            "data \"x.csv\" as AL\ncurrency KRW using fx\nlet k = 500 KRW\n\
             rebalance monthly to A 50%, cash 50% tolerance t\nbuy B monthly while zscore(S, 5) > 0\n",
        );
        let names: Vec<&str> = ast.names().into_iter().collect();
        assert_eq!(
            names,
            ["A", "AL", "B", "KRW", "S", "fx", "k", "t", "zscore"],
            "aliases, currencies, a `let`'s own name, traded symbols and called functions"
        );
    }
}
