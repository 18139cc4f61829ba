//! Sleeves: `sleeve momentum 70%:` and the statements indented below it
//! ([`crate::syntax::ast::File::depths`]). A sleeve is a budget of its share of what
//! encloses it (the account, or the sleeve it is indented under); its rules manage it on
//! their own (src/engine/sleeves.rs). Here: each sleeve's share and parent, which sleeve
//! each statement stands in, and the diagnostics: shares over 100%, a setting inside a
//! sleeve, a name used twice, a sleeve with no rules, rules left 0% to manage.

use super::*;

/// At most this many sleeves in a strategy, nested at most this deep: the engine keeps a
/// book of cash and shares per sleeve and values each every bar, and the checks here look
/// at every pair of a level's sleeves (docs/SECURITY.md).
pub const MAX_SLEEVES: usize = 100;
pub const MAX_SLEEVE_DEPTH: usize = 8;

impl Checker<'_> {
    /// Reads the file's `sleeve` lines into `s.sleeves` and returns, for each statement
    /// in file order, the sleeve it stands in (`None` outside any).
    pub(super) fn sleeves(&mut self, file: &File, s: &mut Program) -> Vec<Option<usize>> {
        let depths = file.depths();
        // The open sleeves, outermost first.
        let mut open: Vec<usize> = Vec::new();
        let mut within = Vec::new();
        // Whether each sleeve has a rule written in it (its own or a nested sleeve's), read
        // from the lines: a rule that fails to check still belongs to its sleeve.
        let mut has_rule: Vec<bool> = Vec::new();
        for (line, depth) in file.lines.iter().zip(depths) {
            let Some(st) = &line.statement else { continue };
            open.truncate(depth);
            let parent = open.last().copied();
            within.push(parent);
            match &st.kind {
                StatementKind::Sleeve { name, .. }
                    if s.sleeves.len() >= MAX_SLEEVES || open.len() >= MAX_SLEEVE_DEPTH =>
                {
                    // Not read: what is indented below it stands in the enclosing sleeve.
                    let what = if open.len() >= MAX_SLEEVE_DEPTH {
                        "sleeves are nested too deep"
                    } else {
                        "the strategy has too many sleeves"
                    };
                    self.errors.push(CheckError::TooManySleeves { what, span: name.span });
                }
                StatementKind::Sleeve {
                    name,
                    share,
                    rebalanced,
                } => {
                    if let Some(first) = s.sleeves.iter().find(|x| x.name == name.text) {
                        self.errors.push(CheckError::DuplicateSleeve {
                            name: name.text.clone(),
                            span: name.span,
                            first: first.span,
                        });
                    }
                    if let Some(r) = rebalanced {
                        self.schedule(r);
                    }
                    let share = self.sleeve_share(share);
                    s.sleeves.push(Sleeve {
                        name: name.text.clone(),
                        share,
                        parent,
                        rebalanced: rebalanced.as_ref().map(|r| r.kind.clone()),
                        span: name.span,
                    });
                    open.push(s.sleeves.len() - 1);
                    has_rule.push(false);
                    self.sleeves_add_up(s, parent);
                }
                StatementKind::Rule(_) => {
                    for &k in &open {
                        has_rule[k] = true;
                    }
                }
                StatementKind::Let { .. } => {}
                other => {
                    if let Some(p) = parent {
                        self.errors.push(CheckError::SettingInSleeve {
                            setting: setting_word(other).to_string(),
                            span: st.span,
                            sleeve: s.sleeves[p].name.clone(),
                        });
                    }
                }
            }
        }
        self.sleeves_without_rules(s, &has_rule);
        within
    }

    /// Every sleeve has a rule written in it (its own or a nested sleeve's). Not said when
    /// a setting stands in a sleeve: that error says what is wrong with the block already.
    fn sleeves_without_rules(&mut self, s: &Program, has_rule: &[bool]) {
        if (self.errors.iter()).any(|e| matches!(e, CheckError::SettingInSleeve { .. })) {
            return;
        }
        for (sleeve, _) in s.sleeves.iter().zip(has_rule).filter(|(_, has)| !**has) {
            self.errors.push(CheckError::EmptySleeve {
                name: sleeve.name.clone(),
                span: sleeve.span,
            });
        }
    }

    /// A sleeve's share: a percentage above 0% and at most 100%.
    fn sleeve_share(&mut self, e: &Expr) -> f64 {
        match self.percent(e, "a sleeve's share", 0.0, 1.0) {
            Some(p) if p > 0.0 => p,
            Some(_) => {
                self.invalid(
                    e.span,
                    "a sleeve's share of 0% has nothing to manage".into(),
                    "write a share above 0%, such as `30%`",
                );
                0.0
            }
            None => 0.0,
        }
    }

    /// The sleeves directly inside `parent` must add up to at most 100% (checked as each
    /// is added, so the label is at the one that passes it).
    fn sleeves_add_up(&mut self, s: &Program, parent: Option<usize>) {
        let total: f64 = s.sleeves.iter().filter(|x| x.parent == parent).map(|x| x.share).sum();
        // A billionth of slack: 33.3% + 33.3% + 33.4% is 100% however it rounds.
        if total > 1.0 + 1e-9 {
            let last = s.sleeves.last().expect("a sleeve was just added");
            let inside = match parent {
                Some(p) => format!("inside `{}`", s.sleeves[p].name),
                None => "of the account".to_string(),
            };
            self.errors.push(CheckError::SleevesOver100 {
                inside,
                total: format!("{}%", (total * 1e6).round() / 1e4),
                span: last.span,
            });
        }
    }

    /// Rules outside a set of sleeves that take 100% have nothing to manage.
    pub(super) fn sleeve_rules(&mut self, s: &Program) {
        if s.sleeves.is_empty() {
            return;
        }
        let mut parents: Vec<Option<usize>> = vec![None];
        parents.extend((0..s.sleeves.len()).map(Some));
        for parent in parents {
            let taken: f64 = s.sleeves.iter().filter(|x| x.parent == parent).map(|x| x.share).sum();
            if taken < 1.0 - 1e-9 {
                continue;
            }
            if let Some(rule) = s.rules.iter().find(|r| r.sleeve == parent) {
                let what = match parent {
                    Some(p) => format!("the rest of the sleeve `{}`", s.sleeves[p].name),
                    None => "the account outside the sleeves".to_string(),
                };
                self.errors.push(CheckError::NoShareLeft { what, span: rule.span });
            }
        }
    }
}

/// The word a setting starts with, for a diagnostic.
fn setting_word(kind: &StatementKind) -> &'static str {
    match kind {
        StatementKind::Strategy(_) => "strategy",
        StatementKind::Description(_) => "description",
        StatementKind::Data { .. } => "data",
        StatementKind::Fomc(_) => "fomc",
        StatementKind::Use(_) => "use",
        StatementKind::Capital(_) => "capital",
        StatementKind::Contribute { .. } => "contribute",
        StatementKind::Fees(_) => "fees",
        StatementKind::Slippage(_) => "slippage",
        StatementKind::Expense(_) => "expense",
        StatementKind::Fill(_) => "fill",
        StatementKind::Benchmark(_) => "benchmark",
        StatementKind::Currency { .. } => "currency",
        StatementKind::Priced { .. } => "priced in",
        StatementKind::Shares(_) => "shares",
        StatementKind::Lag { .. } => "lag",
        StatementKind::Stale { .. } => "stale",
        StatementKind::Calendar(_) => "calendar",
        StatementKind::RiskFree(_) => "risk free",
        StatementKind::BarsPerYear(_) => "bars per year",
        StatementKind::Delisted(_) => "delisted",
        StatementKind::Period { .. } => "from … to …",
        StatementKind::CashInterest(_) => "cash interest",
        StatementKind::CostBasis(_) => "cost basis",
        StatementKind::Tax(_) => "tax",
        StatementKind::FxSpread(_) => "fx spread",
        StatementKind::Dividends(_) => "dividends",
        StatementKind::Exit { kind, .. } => kind.words(),
        StatementKind::Account { .. } => "account",
        StatementKind::Withdraw { .. } => "withdraw",
        StatementKind::Let { .. } => "let",
        StatementKind::Rule(_) => "rule",
        StatementKind::Sleeve { .. } => "sleeve",
    }
}
