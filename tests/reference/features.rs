//! Switches for the faults of issue 12 that rotor's engine still has.
//!
//! The reference always implements the intended semantics. While a fault is known and not
//! fixed, its switch is off: the generator does not produce the situations that show it (or
//! the comparison leaves out exactly what it changes), so the property test stays green
//! and keeps guarding everything else. Switching one on — in [`KNOWN_DIVERGENCES`] or with
//! `ROTOR_PROPTEST_ENABLE=name,name` (or `all`) — reproduces that fault as a failing,
//! shrunk case. When the engine is fixed, switch it on for good. docs/REFERENCE.md lists
//! each fault with a minimal case worked out by hand.

use super::account::Minimums;
use super::model::{Action, Amount, Computed, Model, Sym};

/// Which situations the generator may produce and the comparison may see in full.
#[derive(Clone, Copy, Debug)]
pub struct Features {
    /// Issue 12 item 1: `from` with conditions that read bars before it (indicators, `x[n]`,
    /// crossings, rankings) or with symbols missing on the period's first day. Off: such
    /// strategies get no `from`.
    pub warm_up: bool,
    /// Item 2: fills worth less than a cent: the residue of `buy … all` bought again
    /// (1e-12 USD), tiny rebalance legs, positions of 1e-10 shares. Off: the reference
    /// uses rotor's current minimums ([`Minimums::ROTOR_TODAY`]) instead of the intended
    /// ones ([`Minimums::INTENDED`]).
    pub dust: bool,
    /// Item 3: a fixed fee per trade on fills worth less than the fee. Off: fixed fees only
    /// with rules that buy and sell `all`, which never make such fills.
    pub fee_eats_fill: bool,
    /// Item 4: the benchmark's timing of contributions with `fill next open`. Off: no
    /// benchmark beside contributions with `fill next open`.
    pub benchmark_flows: bool,
    /// Item 5: `fill close` on a day a traded symbol has no row. Off: with `fill close`, only
    /// symbols on the base calendar are traded (and benchmarked).
    pub close_fill_without_row: bool,
    /// Item 5: a rebalance or rotation leg whose symbol has no row on the fill day. Off: no
    /// calendar gaps among traded symbols when a rule rebalances or rotates.
    pub leg_without_row: bool,
    /// Item 5: `rotate` ranking a candidate that has no row on the decision day (a stale
    /// close, or a file that has ended). Off: as for `leg_without_row`.
    pub rank_without_row: bool,
    /// Item 18: `tolerance` ignoring cash beyond its target. Off: tolerance only on a
    /// single 100% target, where cash can never drift further than the target.
    pub tolerance_counts_cash: bool,
}

/// The faults rotor's engine still has (off), and those fixed (on); see docs/REFERENCE.md.
pub const KNOWN_DIVERGENCES: Features = Features {
    warm_up: true,
    dust: true,
    fee_eats_fill: true,
    benchmark_flows: true,
    close_fill_without_row: true,
    leg_without_row: true,
    rank_without_row: true,
    tolerance_counts_cash: true,
};

impl Features {
    /// [`KNOWN_DIVERGENCES`] with the switches named in `ROTOR_PROPTEST_ENABLE` turned on.
    pub fn from_env() -> Features {
        let mut f = KNOWN_DIVERGENCES;
        let Ok(list) = std::env::var("ROTOR_PROPTEST_ENABLE") else {
            return f;
        };
        for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            let all = name == "all";
            let mut known = false;
            for (switch, flag) in [
                ("warm_up", &mut f.warm_up),
                ("dust", &mut f.dust),
                ("fee_eats_fill", &mut f.fee_eats_fill),
                ("benchmark_flows", &mut f.benchmark_flows),
                ("close_fill_without_row", &mut f.close_fill_without_row),
                ("leg_without_row", &mut f.leg_without_row),
                ("rank_without_row", &mut f.rank_without_row),
                ("tolerance_counts_cash", &mut f.tolerance_counts_cash),
            ] {
                if all || switch == name {
                    *flag = true;
                    known = true;
                }
            }
            assert!(known, "ROTOR_PROPTEST_ENABLE: no switch named `{name}`");
        }
        f
    }

    /// Removes from a generated strategy what the switches that are off exclude.
    pub fn restrict(&self, m: &mut Model) {
        // Withdrawals are tested without trading costs, whole shares, a benchmark or a
        // sleeve: the reference pays them in one round of sales at the close (see
        // `Run::withdraw`), where rotor repeats rounds for what costs take, and does not
        // withdraw from a benchmark or split a withdrawal between sleeves.
        if !m.withdrawals.is_empty() {
            (m.fee_rate, m.fee_fixed, m.slippage, m.whole) = (0.0, 0.0, 0.0, false);
            m.benchmark = None;
            m.sleeve = None;
        }
        let targets = m.rules.iter().any(|r| {
            matches!(
                r.action,
                Action::Rebalance { .. } | Action::Rotate { .. } | Action::Hold { .. } | Action::Weighted { .. }
            )
        });
        let rotates = m.rules.iter().any(|r| matches!(r.action, Action::Rotate { .. }));
        let no_gaps = (m.fill_close && !self.close_fill_without_row)
            || (targets && !self.leg_without_row)
            || (rotates && !self.rank_without_row);
        if no_gaps {
            replace_gap_symbols(m);
        }
        if !self.fee_eats_fill
            && !m
                .rules
                .iter()
                .all(|r| matches!(r.action, Action::Buy(Amount::All, _) | Action::Sell(Amount::All, _)))
        {
            m.fee_fixed = 0.0;
        }
        if !self.benchmark_flows && !m.fill_close && !m.contributions.is_empty() {
            m.benchmark = None;
        }
        if !self.tolerance_counts_cash {
            for rule in &mut m.rules {
                if let Action::Rebalance { targets, tolerance } = &mut rule.action
                    && !(targets.len() == 1 && targets[0].1 == 100)
                {
                    *tolerance = None;
                }
            }
        }
        let gaps = m.calendar_symbols().iter().any(|s| s.makes_gaps());
        if !self.warm_up && (m.reads_history() || gaps) {
            m.from = None;
        }
        m.positions_on_traded();
        // Last: a case with a sleeve leaves out what the account does as a whole, so the
        // reference can run the sleeve as an account of its own ([`Model::sleeve_fits`]);
        // the other cases test those.
        if m.sleeve.is_some() {
            m.exits.clear();
            m.delisted_sell = false;
            m.expense = None;
            m.benchmark = None;
            if !m.sleeve_fits() {
                m.sleeve = None;
            }
        }
    }

    /// The smallest order and position the reference applies.
    pub fn minimums(&self) -> Minimums {
        if self.dust {
            Minimums::INTENDED
        } else {
            Minimums::ROTOR_TODAY
        }
    }
}

/// CCC (own holidays) → AAA and DDD (ends early) → BBB, in rules and benchmark, keeping
/// rebalance targets and rotation candidates distinct.
/// Targets with each symbol swapped, weights of a symbol named twice added up.
fn merge_swapped(targets: &mut Vec<(Sym, u32)>, swap: impl Fn(Sym) -> Sym) {
    let mut merged: Vec<(Sym, u32)> = Vec::new();
    for (s, w) in targets.iter() {
        match merged.iter_mut().find(|(x, _)| *x == swap(*s)) {
            Some(entry) => entry.1 += w,
            None => merged.push((swap(*s), *w)),
        }
    }
    *targets = merged;
}

fn replace_gap_symbols(m: &mut Model) {
    let swap = |s: Sym| match s {
        Sym::Ccc => Sym::Aaa,
        Sym::Ddd => Sym::Bbb,
        other => other,
    };
    m.benchmark = m.benchmark.map(swap);
    for (_, _, sym) in &mut m.exits {
        *sym = sym.map(swap);
    }
    if let Some((s, r)) = m.expense {
        m.expense = Some((swap(s), r));
    }
    for rule in &mut m.rules {
        match &mut rule.action {
            Action::Buy(amount, s) | Action::Sell(amount, s) => {
                *s = swap(*s);
                if let Amount::Computed(Computed::Sma(c, _) | Computed::Change(c, _)) = amount {
                    *c = swap(*c);
                }
            }
            Action::Weighted { symbols, .. } => {
                let mut kept: Vec<Sym> = Vec::new();
                for s in symbols.iter().map(|s| swap(*s)) {
                    if !kept.contains(&s) {
                        kept.push(s);
                    }
                }
                *symbols = kept;
            }
            Action::Rebalance { targets, .. } => {
                let mut merged: Vec<(Sym, u32)> = Vec::new();
                for (s, w) in targets.iter() {
                    match merged.iter_mut().find(|(x, _)| *x == swap(*s)) {
                        Some(entry) => entry.1 += w,
                        None => merged.push((swap(*s), *w)),
                    }
                }
                *targets = merged;
            }
            Action::Rotate { n, candidates, .. } => {
                let mut kept: Vec<Sym> = Vec::new();
                for s in candidates.iter().map(|s| swap(*s)) {
                    if !kept.contains(&s) {
                        kept.push(s);
                    }
                }
                *n = (*n).min(kept.len() as u32);
                *candidates = kept;
            }
            Action::Hold { then, otherwise, .. } => {
                merge_swapped(then, swap);
                merge_swapped(otherwise, swap);
            }
        }
    }
}
