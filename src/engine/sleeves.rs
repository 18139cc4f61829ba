//! Sleeves in the account (`sleeve momentum 70%:`, src/check/sleeves.rs): each sleeve's
//! own cash and shares, kept beside the account's totals.
//!
//! The account is split into **books**: book 0 is the part outside every sleeve, book
//! `i + 1` the part of sleeve `i` its own rules manage (the sleeve less the sleeves nested
//! in it). The portfolio ([`super::portfolio::Portfolio`]) keeps the account's totals; the
//! books always add up to them. How each event reaches the books:
//!
//! - a rule's order is decided and filled **inside** its book: the portfolio's cash and
//!   shares are swapped for the book's while it runs ([`Engine::enter`]), so a rotation's
//!   1/N, a rebalance's weights, a tolerance's drift, `buy … of cash`, `of equity` and a
//!   plain buy's "all the cash" are all of the book; what it changed is then added to the
//!   totals ([`Engine::leave`]). Each sleeve's fills are its own (two sleeves buying the
//!   same symbol on one day are two fills, each paying its fee): nothing is netted;
//! - the capital and each contribution are split by the books' fractions of the account;
//! - a withdrawal is paid by each book in proportion to its value, from its cash first,
//!   then by selling its holdings (as the account does, engine/withdraw.rs);
//! - a dividend goes to the books in proportion to the shares each holds;
//! - what the account does to a whole position — an exit's sale, a `delisted sell` sale,
//!   a reinvested dividend's buy, fund expenses — is one fill (or one shrinking) of the
//!   account, shared by the books in proportion to their shares of it, cash included;
//! - interest credited goes to the books in proportion to their cash, tax paid at the
//!   day's end in proportion to their values.
//!
//! Sleeves drift: nothing moves money between books unless a sleeve is `rebalanced` on a
//! schedule; then, at that day's close before the rules run, the sleeve's books are
//! brought to their fractions of the account and the books outside it share what is left
//! in proportion to their values: a book above its target pays the difference out as a
//! withdrawal would (cash first, then its holdings sold at the close in proportion), and
//! the books below theirs are credited it in cash, in proportion to what they lack; their
//! rules invest it when they next fire (that day's, if they fire on it).

use super::action::Engine;
use super::frame::Frame;
use super::portfolio::SHARE_EPSILON;
use crate::check::Program;

/// One book's cash (USD) and shares per frame symbol.
#[derive(Clone, Debug)]
struct Book {
    cash: f64,
    shares: Vec<f64>,
}

/// A book being traded in: which, and its cash and shares when it was entered.
#[derive(Clone, Debug)]
struct Inside {
    book: usize,
    cash: f64,
    shares: Vec<f64>,
}

/// The books of a run with sleeves, and what the report needs of them.
#[derive(Clone, Debug)]
pub(super) struct Sleeves {
    books: Vec<Book>,
    /// Each book's fraction of the account: what it is credited of each contribution.
    fraction: Vec<f64>,
    /// The book of each rule, by its 1-based number (entry 0 is not a rule).
    of_rule: Vec<usize>,
    inside: Option<Inside>,
    /// For each node (0: the account outside the sleeves; `i + 1`: sleeve `i`), the books
    /// it holds: its own and those of the sleeves nested in it.
    members: Vec<Vec<usize>>,
    /// Each book's value at each bar's close, the money put in (less taken out) on it, and
    /// the part of that which moved at the close (withdrawals, rebalancing transfers, tax
    /// paid in from outside).
    values: Vec<Vec<f64>>,
    flows: Vec<Vec<f64>>,
    closing: Vec<Vec<f64>>,
    bar_flow: Vec<f64>,
    bar_close: Vec<f64>,
    /// Each `rebalanced` sleeve's bars of its schedule and its books (its own and those
    /// nested in it).
    rebalance: Vec<(Vec<bool>, Vec<usize>)>,
}

/// One sleeve's record (or the account outside the sleeves), for the report.
#[derive(Clone, Debug, PartialEq)]
pub struct SleeveRun {
    /// The sleeve's name; `None` for the part of the account outside every sleeve.
    pub name: Option<String>,
    /// The enclosing sleeve, as an index into [`super::Run::sleeves`]; `None` at the top.
    pub parent: Option<usize>,
    /// Its share of what encloses it, and of the account (fractions).
    pub share: f64,
    pub fraction: f64,
    /// Whether it is brought back to its share on a schedule (`rebalanced …`).
    pub rebalanced: bool,
    /// Its value at each bar's close (with the sleeves nested in it), USD.
    pub equity: Vec<f64>,
    /// What came in on each bar (contributions, money moved to it by a rebalance) less
    /// what went out (withdrawals, money moved away), USD.
    pub flows: super::Flows,
    /// The part of `flows` that moved at the bar's close: everything but the capital and
    /// contributions (see [`super::Run::closing`]), USD.
    pub closing: Vec<f64>,
    /// Cash at the end (with nested sleeves'), USD.
    pub cash: f64,
    /// Holdings at the end (with nested sleeves'): symbol, shares, value (USD).
    pub holdings: Vec<(String, f64, f64)>,
}

impl Sleeves {
    /// The books of `program`'s sleeves, or `None` when it has none.
    pub(super) fn new(program: &Program, frame: &Frame, start: usize) -> Option<Box<Sleeves>> {
        if program.sleeves.is_empty() {
            return None;
        }
        let n = program.sleeves.len();
        // Each sleeve's fraction of the account: its share of its parent's.
        let mut whole = vec![0.0; n];
        for (i, s) in program.sleeves.iter().enumerate() {
            whole[i] = s.share * s.parent.map_or(1.0, |p| whole[p]);
        }
        let node = |p: Option<usize>| p.map_or(0, |i| i + 1);
        let mut fraction = vec![0.0; n + 1];
        fraction[0] = 1.0;
        fraction[1..].copy_from_slice(&whole);
        for (i, s) in program.sleeves.iter().enumerate() {
            fraction[node(s.parent)] -= whole[i];
        }
        for f in &mut fraction {
            // 40% + 60% of a sleeve leaves 1e-17, not a book with money.
            if f.abs() < 1e-12 {
                *f = 0.0;
            }
        }
        let mut members: Vec<Vec<usize>> = (0..=n).map(|k| vec![k]).collect();
        for i in 0..n {
            let mut up = program.sleeves[i].parent;
            while let Some(p) = up {
                members[p + 1].push(i + 1);
                up = program.sleeves[p].parent;
            }
        }
        let mut of_rule = vec![0];
        of_rule.extend(program.rules.iter().map(|r| node(r.sleeve)));
        let books = vec![
            Book {
                cash: 0.0,
                shares: vec![0.0; frame.symbols.len()],
            };
            n + 1
        ];
        let rebalance = (program.sleeves.iter().enumerate())
            .filter_map(|(i, s)| {
                Some((
                    super::run::schedule(s.rebalanced.as_ref()?, frame, start),
                    members[i + 1].clone(),
                ))
            })
            .collect();
        Some(Box::new(Sleeves {
            books,
            fraction,
            of_rule,
            inside: None,
            members,
            values: vec![Vec::new(); n + 1],
            flows: vec![Vec::new(); n + 1],
            closing: vec![Vec::new(); n + 1],
            bar_flow: vec![0.0; n + 1],
            bar_close: vec![0.0; n + 1],
            rebalance,
        }))
    }

    /// Each book's value at bar `t`'s close.
    fn book_values(&self, frame: &Frame, t: usize) -> Vec<f64> {
        self.books.iter().map(|b| value(b, frame, t)).collect()
    }

    /// Shares `amount` out over the books in proportion to `weights`; all to book 0 when
    /// the weights add up to nothing. Returns each book's part.
    fn spread(&self, amount: f64, weights: &[f64]) -> Vec<f64> {
        let total: f64 = weights.iter().sum();
        if total > 0.0 && total.is_finite() {
            weights.iter().map(|w| amount * w / total).collect()
        } else {
            let mut parts = vec![0.0; weights.len()];
            parts[0] = amount;
            parts
        }
    }
}

/// A book's cash plus its holdings at bar `t`'s close (a holding without a price counts 0,
/// as the account's equity counts it).
fn value(b: &Book, frame: &Frame, t: usize) -> f64 {
    let held: f64 = (b.shares.iter().enumerate())
        .filter(|(_, q)| **q != 0.0)
        .map(|(s, q)| {
            let p = frame.symbols[s].close[t];
            if p.is_nan() { 0.0 } else { q * p }
        })
        .sum();
    b.cash + held
}

/// What a rounding leaves of a sold-out position is no position.
fn clean(q: &mut f64) {
    if q.abs() < SHARE_EPSILON {
        *q = 0.0;
    }
}

impl Engine<'_> {
    /// The book rule number `rule` trades in, when the run has sleeves (rule 0, the
    /// account's own orders, has none).
    fn book_of(&self, rule: usize) -> Option<usize> {
        let sleeves = self.sleeves.as_ref()?;
        (rule > 0).then(|| sleeves.of_rule.get(rule).copied().unwrap_or(0))
    }

    /// Trades in book `k` from now on: the portfolio's cash and shares are the book's
    /// until [`Self::leave`].
    fn enter(&mut self, k: usize) {
        let Some(sleeves) = self.sleeves.as_mut() else { return };
        let book = &mut sleeves.books[k];
        std::mem::swap(&mut self.pf.cash, &mut book.cash);
        std::mem::swap(&mut self.pf.shares, &mut book.shares);
        sleeves.inside = Some(Inside {
            book: k,
            cash: self.pf.cash,
            shares: self.pf.shares.clone(),
        });
    }

    /// Back to the account's totals, with what the book's trades changed added to them.
    fn leave(&mut self) {
        let Some(sleeves) = self.sleeves.as_mut() else { return };
        let Some(inside) = sleeves.inside.take() else { return };
        let totals = &mut sleeves.books[inside.book];
        totals.cash += self.pf.cash - inside.cash;
        for (s, q) in totals.shares.iter_mut().enumerate() {
            let change = self.pf.shares[s] - inside.shares[s];
            if change != 0.0 {
                *q += change;
                clean(q);
            }
        }
        std::mem::swap(&mut self.pf.cash, &mut totals.cash);
        std::mem::swap(&mut self.pf.shares, &mut totals.shares);
    }

    /// The account's shares of `s`, also while a book is being traded in: what a
    /// position's state (entry price, lots) follows.
    pub(super) fn account_shares(&self, s: usize) -> f64 {
        match self.sleeves.as_ref().and_then(|x| x.inside.as_ref().map(|i| (x, i))) {
            Some((sleeves, inside)) => sleeves.books[inside.book].shares[s] + self.pf.shares[s] - inside.shares[s],
            None => self.pf.shares[s],
        }
    }

    /// Decides rule `rule`'s order ([`Self::decide_here`]) inside its sleeve's book.
    pub(super) fn decide(
        &mut self,
        rule: usize,
        act: &super::action::Act,
        value: &dyn Fn(usize) -> f64,
        t: usize,
    ) -> Option<super::action::Order> {
        let Some(k) = self.book_of(rule) else {
            return self.decide_here(rule, act, value, t);
        };
        self.enter(k);
        let order = self.decide_here(rule, act, value, t);
        self.leave();
        order
    }

    /// Fills an order ([`Self::execute_here`]): a rule's inside its sleeve's book; the
    /// account's own (an exit, a reinvested dividend) on the totals, then shared by the
    /// books in proportion to their shares of what it traded.
    pub(super) fn execute(
        &mut self,
        order: super::action::Order,
        t: usize,
        at_open: bool,
        waiting: &mut Vec<super::action::Order>,
    ) {
        if self.sleeves.is_none() {
            return self.execute_here(order, t, at_open, waiting);
        }
        match self.book_of(order.rule) {
            Some(k) => {
                self.enter(k);
                self.execute_here(order, t, at_open, waiting);
                self.leave();
            }
            None => {
                let before = (self.pf.cash, self.pf.shares.clone());
                self.execute_here(order, t, at_open, waiting);
                self.settle(before, t);
            }
        }
    }

    /// `delisted sell` ([`Self::sell_delisted_here`]) on the totals, shared by the books.
    pub(super) fn sell_delisted(&mut self, t: usize, found: &mut Vec<super::delisted::Delisting>) {
        let before = self.sleeves.is_some().then(|| (self.pf.cash, self.pf.shares.clone()));
        self.sell_delisted_here(t, found);
        if let Some(before) = before {
            self.settle(before, t);
        }
    }

    /// Shares what the account did on its own since `before` (its cash and shares then)
    /// out over the books: each symbol's change in proportion to the books' shares of it,
    /// the cash it moved in proportion to each book's part of those changes.
    fn settle(&mut self, before: (f64, Vec<f64>), t: usize) {
        let frame = self.frame;
        let Some(sleeves) = self.sleeves.as_mut() else { return };
        let (cash, shares) = before;
        let mut weights = vec![0.0; sleeves.books.len()];
        for (s, &old) in shares.iter().enumerate() {
            let new = self.pf.shares[s];
            if old == new {
                continue;
            }
            let p = frame.symbols[s].close[t];
            let p = if p > 0.0 { p } else { 1.0 };
            if old > 0.0 {
                let ratio = new / old;
                for (k, b) in sleeves.books.iter_mut().enumerate() {
                    let q = b.shares[s] * ratio;
                    weights[k] += (b.shares[s] - q).abs() * p;
                    b.shares[s] = q;
                    clean(&mut b.shares[s]);
                }
            } else {
                // No book held it: the part outside the sleeves takes it.
                weights[0] += (new - old).abs() * p;
                sleeves.books[0].shares[s] += new - old;
            }
        }
        let parts = sleeves.spread(self.pf.cash - cash, &weights);
        for (b, part) in sleeves.books.iter_mut().zip(parts) {
            b.cash += part;
        }
    }

    /// Pays `usd` out of the account at bar `t`'s close ([`Self::withdraw_here`]): each
    /// book its part, in proportion to its value. Returns what was paid.
    pub(super) fn withdraw(&mut self, usd: f64, t: usize) -> f64 {
        let Some(sleeves) = self.sleeves.as_ref() else {
            return self.withdraw_here(usd, t);
        };
        let weights: Vec<f64> = (sleeves.book_values(self.frame, t).into_iter())
            .map(|v| v.max(0.0))
            .collect();
        let parts = sleeves.spread(usd, &weights);
        let mut paid = 0.0;
        for (k, part) in parts.into_iter().enumerate() {
            if part <= 0.0 {
                continue;
            }
            self.enter(k);
            let p = self.withdraw_here(part, t);
            self.leave();
            if let Some(sleeves) = self.sleeves.as_mut() {
                sleeves.bar_flow[k] -= p;
                sleeves.bar_close[k] -= p;
            }
            paid += p;
        }
        paid
    }

    /// Cash credited to the account (the capital, a contribution): each book its fraction.
    pub(super) fn sleeves_credit(&mut self, usd: f64) {
        let Some(sleeves) = self.sleeves.as_mut() else { return };
        for k in 0..sleeves.books.len() {
            let part = usd * sleeves.fraction[k];
            sleeves.books[k].cash += part;
            sleeves.bar_flow[k] += part;
        }
    }

    /// A dividend of `net` USD paid on the account's shares of `s`: each book its part.
    pub(super) fn sleeves_dividend(&mut self, s: usize, net: f64) {
        let Some(sleeves) = self.sleeves.as_mut() else { return };
        let weights: Vec<f64> = sleeves.books.iter().map(|b| b.shares[s].max(0.0)).collect();
        let parts = sleeves.spread(net, &weights);
        for (b, part) in sleeves.books.iter_mut().zip(parts) {
            b.cash += part;
        }
    }

    /// The account's shares of `s` were multiplied by `factor` (fund expenses).
    pub(super) fn sleeves_scale(&mut self, s: usize, factor: f64) {
        let Some(sleeves) = self.sleeves.as_mut() else { return };
        for b in &mut sleeves.books {
            b.shares[s] *= factor;
        }
    }

    /// At the day's end, `moved` USD reached cash without a trade (interest credited is
    /// positive, tax paid negative), `outside` of it paid in by the investor (tax the
    /// cash could not pay): shared by the books' cash (interest) or values (tax).
    pub(super) fn sleeves_cash_moved(&mut self, moved: f64, outside: f64, t: usize) {
        let frame = self.frame;
        let Some(sleeves) = self.sleeves.as_mut() else { return };
        if moved == 0.0 && outside == 0.0 {
            return;
        }
        let weights: Vec<f64> = if moved > 0.0 {
            sleeves.books.iter().map(|b| b.cash.max(0.0)).collect()
        } else {
            sleeves.book_values(frame, t).into_iter().map(|v| v.max(0.0)).collect()
        };
        let parts = sleeves.spread(moved, &weights);
        let paid_in = sleeves.spread(outside, &weights);
        for k in 0..parts.len() {
            sleeves.books[k].cash += parts[k];
            sleeves.bar_flow[k] += paid_in[k];
            sleeves.bar_close[k] += paid_in[k];
        }
    }

    /// Step 5, before the rules: on a `rebalanced` sleeve's day, money moves between the
    /// books at the close: the sleeve's books to their fractions of the account, the books outside it
    /// to what is left, in proportion to their values (see the module doc).
    pub(super) fn rebalance_sleeves(&mut self, t: usize) {
        let Some(sleeves) = self.sleeves.as_ref() else { return };
        let due: Vec<Vec<usize>> = (sleeves.rebalance.iter())
            .filter(|(fires, _)| fires[t])
            .map(|(_, books)| books.clone())
            .collect();
        for group in due {
            let Some(sleeves) = self.sleeves.as_ref() else { return };
            let values = sleeves.book_values(self.frame, t);
            let total: f64 = values.iter().sum();
            let (inside, outside): (Vec<usize>, Vec<usize>) = (0..values.len()).partition(|k| group.contains(k));
            let goal: f64 = inside.iter().map(|k| sleeves.fraction[*k] * total).sum();
            let rest: f64 = outside.iter().map(|k| values[*k].max(0.0)).sum();
            if total <= 0.0 || rest <= 0.0 {
                continue;
            }
            let mut targets = vec![0.0; values.len()];
            for k in inside {
                targets[k] = sleeves.fraction[k] * total;
            }
            for k in outside {
                targets[k] = values[k].max(0.0) / rest * (total - goal);
            }
            self.move_to(&values, &targets, t);
        }
    }

    /// Moves money between the books from `values` towards `targets` at bar `t`'s close:
    /// a book over its target pays what is over as a withdrawal of it would (cash first,
    /// then its holdings sold in proportion); those under it are credited what was
    /// raised, in proportion to what they lack.
    fn move_to(&mut self, values: &[f64], targets: &[f64], t: usize) {
        let mut raised = 0.0;
        for k in 0..values.len() {
            let over = values[k] - targets[k];
            if over < super::portfolio::MIN_ORDER_USD {
                continue;
            }
            self.enter(k);
            let paid = self.withdraw_here(over, t);
            self.leave();
            // The account keeps the money: it only moves to another book.
            self.pf.cash += paid;
            if let Some(sleeves) = self.sleeves.as_mut() {
                sleeves.bar_flow[k] -= paid;
                sleeves.bar_close[k] -= paid;
            }
            raised += paid;
        }
        let lack: Vec<f64> = (0..values.len()).map(|k| (targets[k] - values[k]).max(0.0)).collect();
        let Some(sleeves) = self.sleeves.as_mut() else { return };
        let parts = sleeves.spread(raised, &lack);
        for (k, part) in parts.into_iter().enumerate() {
            sleeves.books[k].cash += part;
            sleeves.bar_flow[k] += part;
            sleeves.bar_close[k] += part;
        }
    }

    /// Step 7: each book's value at bar `t`'s close, and what came in on it.
    pub(super) fn sleeves_record(&mut self, t: usize) {
        let frame = self.frame;
        let Some(sleeves) = self.sleeves.as_mut() else { return };
        let values = sleeves.book_values(frame, t);
        for (k, v) in values.into_iter().enumerate() {
            sleeves.values[k].push(v);
            sleeves.flows[k].push(std::mem::take(&mut sleeves.bar_flow[k]));
            sleeves.closing[k].push(std::mem::take(&mut sleeves.bar_close[k]));
        }
        debug_assert!(self.books_add_up(), "the books add up to the account");
    }

    /// Whether the books' cash and shares add up to the account's (to rounding).
    fn books_add_up(&self) -> bool {
        let Some(sleeves) = self.sleeves.as_ref() else {
            return true;
        };
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-6 * a.abs().max(b.abs()).max(1.0);
        let cash: f64 = sleeves.books.iter().map(|b| b.cash).sum();
        close(cash, self.pf.cash)
            && (0..self.pf.shares.len())
                .all(|s| close(sleeves.books.iter().map(|b| b.shares[s]).sum(), self.pf.shares[s]))
    }

    /// Each sleeve's record at the end of the run (the part outside the sleeves first),
    /// `last` the last bar.
    pub(super) fn sleeves_finish(&mut self, program: &Program, last: usize) -> Vec<SleeveRun> {
        let frame = self.frame;
        let Some(sleeves) = self.sleeves.take() else {
            return Vec::new();
        };
        let whole = |node: usize| -> f64 { sleeves.members[node].iter().map(|k| sleeves.fraction[*k]).sum() };
        (0..sleeves.members.len())
            .map(|node| {
                let books = &sleeves.members[node];
                let sum = |curves: &Vec<Vec<f64>>| -> Vec<f64> {
                    let n = curves[0].len();
                    (0..n).map(|i| books.iter().map(|k| curves[*k][i]).sum()).collect()
                };
                let holdings = (0..frame.symbols.len())
                    .filter_map(|s| {
                        let q: f64 = books.iter().map(|k| sleeves.books[*k].shares[s]).sum();
                        (q != 0.0).then(|| (frame.symbols[s].name.clone(), q, q * frame.symbols[s].close[last]))
                    })
                    .collect();
                let sleeve = node.checked_sub(1).map(|i| &program.sleeves[i]);
                SleeveRun {
                    name: sleeve.map(|s| s.name.clone()),
                    parent: sleeve.and_then(|s| s.parent.map(|p| p + 1)),
                    share: sleeve.map_or(sleeves.fraction[0], |s| s.share),
                    fraction: whole(node),
                    // A sleeve inside a rebalanced one is brought back with it.
                    rebalanced: (sleeves.rebalance.iter()).any(|(_, group)| group.contains(&node)),
                    equity: sum(&sleeves.values),
                    flows: super::Flows::from(sum(&sleeves.flows)),
                    closing: sum(&sleeves.closing),
                    cash: books.iter().map(|k| sleeves.books[*k].cash).sum(),
                    holdings,
                }
            })
            .collect()
    }
}
