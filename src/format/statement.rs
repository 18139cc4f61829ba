//! Statements, rules and schedules, each on one line with single spaces between words.

use super::expr::{self, ANY, SUM};
use super::token::{self, HOLDING_WORDS};
use crate::syntax::ast::{
    Action, Amount, Anchor, CooldownPeriod, CostBasis, DateOrder, Delisted, Dividends, Expr, FillModel, Guard,
    HoldSide, Holding, Rule, Schedule, ScheduleKind, ShareMode, Statement, StatementKind, Target, Tax, Weighting,
};

/// Writes one statement into `out`, which must start empty. A `from`/`to` period with neither date (only code can build one)
/// restricts nothing and is left out.
pub(super) fn write(out: &mut String, statement: &Statement) {
    let w = &mut Words { out };
    match &statement.kind {
        StatementKind::Strategy(text) => {
            w.word("strategy").word(&token::string(&text.value));
        }
        StatementKind::Description(text) => {
            w.word("description").word(&token::string(&text.value));
        }
        StatementKind::Data {
            path,
            alias,
            dates,
            series,
        } => {
            w.word("data").word(&token::string(&path.value));
            if let Some(alias) = alias {
                w.word("as");
                if *series {
                    w.word("series");
                }
                // `as series dates …` would read `dates` as the series' name.
                w.word(&token::name_avoiding(alias, &["series"]));
            }
            match dates {
                Some(DateOrder::DayFirst) => w.word("dates").word("day-first"),
                Some(DateOrder::MonthFirst) => w.word("dates").word("month-first"),
                None => w,
            };
        }
        StatementKind::Fomc(text) => {
            w.word("fomc").word(&token::string(&text.value));
        }
        StatementKind::Use(text) => {
            w.word("use").word(&token::string(&text.value));
        }
        StatementKind::Capital(amount) => {
            w.word("capital").expr(amount, SUM);
        }
        StatementKind::Contribute { amount, schedule } => {
            w.word("contribute").expr(amount, SUM).schedule(schedule);
        }
        StatementKind::Fees(fees) => {
            w.word("fees").list(fees, |w, fee| {
                w.expr(&fee.amount, SUM);
                if fee.per_trade {
                    w.word("per").word("trade");
                }
            });
        }
        StatementKind::Slippage(amount) => {
            w.word("slippage").expr(amount, SUM);
        }
        StatementKind::BarsPerYear(n) => {
            w.word("bars").word("per").word("year").expr(n, SUM);
        }
        StatementKind::Expense(items) => {
            w.word("expense").list(items, |w, (symbol, ratio)| {
                w.word(&token::name(symbol)).expr(ratio, SUM);
            });
        }
        StatementKind::Fill(FillModel::NextOpen) => {
            w.word("fill").word("next").word("open");
        }
        StatementKind::Fill(FillModel::Close) => {
            w.word("fill").word("close");
        }
        StatementKind::Benchmark(symbol) => {
            w.word("benchmark").word(&token::name(symbol));
        }
        StatementKind::Currency { code, rate } => {
            // A currency code is its own token (three capitals), never a quoted name.
            w.word("currency")
                .word(&code.text)
                .word("using")
                .word(&token::name(rate));
        }
        StatementKind::Priced { code, symbols } => {
            w.word("priced").word("in").word(&code.text).list(symbols, |w, symbol| {
                w.word(&token::name(symbol));
            });
        }
        StatementKind::Shares(ShareMode::Whole) => {
            w.word("whole").word("shares");
        }
        StatementKind::Shares(ShareMode::Fractional) => {
            w.word("fractional").word("shares");
        }
        StatementKind::Delisted(Delisted::Hold) => {
            w.word("delisted").word("hold");
        }
        StatementKind::Delisted(Delisted::Sell) => {
            w.word("delisted").word("sell");
        }
        StatementKind::Calendar(exchange) => {
            w.word("calendar").word(exchange.keyword());
        }
        StatementKind::Stale { series, after } => {
            w.word("stale");
            if let Some(series) = series {
                w.word(&token::name(series));
            }
            w.word("after").expr(after, ANY);
        }
        StatementKind::Lag { series, by } => {
            w.word("lag").word(&token::name(series)).expr(by, ANY);
        }
        StatementKind::RiskFree(series) => {
            w.word("risk").word("free").word(&token::name(series));
        }
        StatementKind::Period { from, to } => {
            if let Some(from) = from {
                w.word("from").word(&token::date(from));
            }
            if let Some(to) = to {
                w.word("to").word(&token::date(to));
            }
        }
        StatementKind::Let { name, value } => {
            w.word("let").word(&token::name(name)).word("=").expr(value, ANY);
        }
        StatementKind::CashInterest(rate) => {
            w.word("cash").word("interest").expr(rate, SUM);
        }
        StatementKind::CostBasis(CostBasis::Fifo) => {
            w.word("cost").word("basis").word("fifo");
        }
        StatementKind::CostBasis(CostBasis::Average) => {
            w.word("cost").word("basis").word("average");
        }
        StatementKind::Tax(Tax::Korea(_)) => {
            w.word("tax").word("korea");
        }
        StatementKind::Tax(Tax::KoreaListed(_)) => {
            w.word("tax").word("korea-listed");
        }
        StatementKind::Account { low_income } => {
            w.word("account").word("isa");
            if *low_income {
                w.word("low-income");
            }
        }
        StatementKind::Withdraw { amount, schedule, from } => {
            w.word("withdraw").expr(amount, SUM).schedule(schedule);
            if let Some(from) = from {
                w.word("from").word(&token::date(from));
            }
        }
        StatementKind::Tax(Tax::CapitalGains { rate, above, .. }) => {
            w.word("tax").word("capital").word("gains").expr(rate, SUM);
            if let Some(above) = above {
                w.word("above").expr(above, SUM);
            }
            w.word("yearly");
        }
        StatementKind::FxSpread(spread) => {
            w.word("fx").word("spread").expr(spread, SUM);
        }
        StatementKind::Tax(Tax::Dividends { rate, .. }) => {
            w.word("tax").word("dividends").expr(rate, SUM);
        }
        StatementKind::Dividends(Dividends::Cash) => {
            w.word("dividends").word("cash");
        }
        StatementKind::Dividends(Dividends::Reinvest) => {
            w.word("reinvest").word("dividends");
        }
        StatementKind::Dividends(Dividends::File { path, symbol }) => {
            w.word("dividends")
                .word(&token::string(&path.value))
                .word("for")
                .word(&token::name(symbol));
        }
        StatementKind::Exit { kind, level, symbols } => {
            w.word(kind.words()).expr(level, SUM);
            if !symbols.is_empty() {
                w.word("on").list(symbols, |w, symbol| {
                    w.word(&token::name(symbol));
                });
            }
        }
        StatementKind::Rule(rule) => write_rule(w, rule),
        StatementKind::Sleeve {
            name,
            share,
            rebalanced,
        } => {
            w.word("sleeve").word(&token::name(name)).expr(share, SUM);
            if let Some(schedule) = rebalanced {
                w.word("rebalanced").schedule(schedule);
            }
            // The colon closes the header, with no space before it.
            w.out.push(':');
        }
    }
}

/// One side of a `hold`: a symbol, `cash`, or weights as in a rebalance.
fn write_side(w: &mut Words, side: &HoldSide) {
    match side {
        HoldSide::Cash(_) => {
            w.word("cash");
        }
        // A bare symbol spelled `cash` would be read as the cash side.
        HoldSide::Symbol(symbol) => {
            w.word(&token::name_avoiding(symbol, &["cash"]));
        }
        HoldSide::Weights(targets) => write_targets(w, targets),
    }
}

/// `IWO 40%, cash 10%`
fn write_targets(w: &mut Words, targets: &[Target]) {
    w.list(targets, |w, target| {
        match &target.holding {
            Holding::Cash(_) => w.word("cash"),
            // A target starting with the word `cash` is read as the cash holding.
            Holding::Symbol(symbol) => w.word(&token::name_avoiding(symbol, &["cash"])),
        };
        w.expr(&target.weight, SUM);
    });
}

fn write_rule(w: &mut Words, rule: &Rule) {
    match &rule.action {
        Action::Buy { amount, symbol } | Action::Sell { amount, symbol } => {
            let verb = if matches!(rule.action, Action::Buy { .. }) {
                "buy"
            } else {
                "sell"
            };
            w.word(verb);
            // After `AMOUNT of`, the grammar first tries `cash`, `equity` and `position` as
            // the base of a fraction, so a symbol spelled that way needs backticks.
            let mut avoid: &[&str] = &[];
            match amount {
                None => {}
                Some(Amount::All(_)) => {
                    w.word("all");
                }
                Some(Amount::Shares(n)) => {
                    w.expr(n, SUM).word("shares").word("of");
                }
                Some(Amount::Value(value)) => {
                    w.expr(value, SUM).word("of");
                    avoid = HOLDING_WORDS;
                }
                Some(Amount::Fraction { share, of, .. }) => {
                    w.expr(share, SUM).word("of").word(of.word()).word("of");
                }
                Some(Amount::Money { value, currency, .. }) => {
                    w.expr(value, SUM).word(currency).word("of");
                    avoid = HOLDING_WORDS;
                }
            }
            w.word(&token::name_avoiding(symbol, avoid));
            if let Some(schedule) = &rule.schedule {
                w.schedule(schedule);
            }
        }
        Action::Rebalance { targets, tolerance } => {
            w.word("rebalance");
            if let Some(schedule) = &rule.schedule {
                w.schedule(schedule);
            }
            w.word("to");
            write_targets(w, targets);
            if let Some(tolerance) = tolerance {
                w.word("tolerance").expr(tolerance, SUM);
            }
        }
        Action::RebalanceWeighted {
            symbols,
            weighting,
            tolerance,
        } => {
            w.word("rebalance");
            if let Some(schedule) = &rule.schedule {
                w.schedule(schedule);
            }
            w.word("to");
            w.list(symbols, |w, symbol| {
                w.word(&token::name(symbol));
            });
            w.word("weighted");
            match weighting {
                Weighting::Equally(_) => w.word("equally"),
                Weighting::By(by) => w.word("by").expr(by, ANY),
            };
            if let Some(tolerance) = tolerance {
                w.word("tolerance").expr(tolerance, SUM);
            }
        }
        Action::Rotate { rank, candidates, by } => {
            w.word("rotate");
            if let Some(schedule) = &rule.schedule {
                w.schedule(schedule);
            }
            w.word("to")
                .word(if rank.top { "top" } else { "bottom" })
                .word(&rank.n.to_string());
            w.word("of");
            w.list(candidates, |w, symbol| {
                w.word(&token::name(symbol));
            });
            w.word("by").expr(by, ANY);
        }
        Action::Hold {
            then,
            condition,
            otherwise,
            tolerance,
        } => {
            w.word("hold");
            if let Some(schedule) = &rule.schedule {
                w.schedule(schedule);
            }
            write_side(w, then);
            w.word("if").expr(condition, ANY).word("else");
            write_side(w, otherwise);
            if let Some(tolerance) = tolerance {
                w.word("tolerance").expr(tolerance, SUM);
            }
        }
    }
    for guard in &rule.guards {
        w.guard(guard);
    }
    if let Some(cooldown) = &rule.cooldown {
        w.word("at").word("most").word("once").word("per");
        match cooldown.period {
            CooldownPeriod::Calendar(period) => w.word(period.word()),
            CooldownPeriod::Days { n, unit } => w.word(&n.to_string()).word(unit.word(f64::from(n))),
        };
    }
    if !rule.exits.is_empty() {
        w.word("with").list(&rule.exits, |w, exit| {
            w.word(exit.kind.words()).expr(&exit.level, SUM);
        });
    }
}

/// Writes words separated by single spaces into a buffer that holds one statement.
struct Words<'o> {
    out: &'o mut String,
}

impl Words<'_> {
    fn space(&mut self) {
        if !self.out.is_empty() {
            self.out.push(' ');
        }
    }

    fn word(&mut self, word: &str) -> &mut Self {
        self.space();
        self.out.push_str(word);
        self
    }

    fn expr(&mut self, expr: &Expr, min: expr::Level) -> &mut Self {
        self.space();
        expr::write(self.out, expr, min);
        self
    }

    /// `a, b, c`: commas glue to the item before them.
    fn list<T>(&mut self, items: &[T], mut each: impl FnMut(&mut Self, &T)) -> &mut Self {
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                self.out.push(',');
            }
            each(self, item);
        }
        self
    }

    fn schedule(&mut self, schedule: &Schedule) -> &mut Self {
        match &schedule.kind {
            ScheduleKind::Daily => self.word("daily"),
            ScheduleKind::Weekly(day) => {
                self.word("weekly");
                if let Some(day) = day {
                    self.word("on").word(crate::syntax::ast::weekday_word(*day));
                }
                self
            }
            ScheduleKind::Monthly(anchor) => self.word("monthly").anchor(anchor.as_ref()),
            ScheduleKind::Quarterly(anchor) => self.word("quarterly").anchor(anchor.as_ref()),
            ScheduleKind::Yearly(anchor) => self.word("yearly").anchor(anchor.as_ref()),
            ScheduleKind::Every { n, unit } => self.word("every").word(&n.to_string()).word(unit.word(f64::from(*n))),
            ScheduleKind::Once(date) => self.word("once").word("on").word(&token::date(date)),
            ScheduleKind::EveryBar => self.word("every").word("bar"),
            ScheduleKind::Hourly => self.word("hourly"),
            ScheduleKind::EveryClock { n, unit } => self.word("every").word(&n.to_string()).word(unit.word(*n)),
        }
    }

    fn anchor(&mut self, anchor: Option<&Anchor>) -> &mut Self {
        match anchor {
            None => self,
            Some(Anchor::Day(n)) => self.word("on").word("day").word(&n.to_string()),
            Some(Anchor::FirstTradingDay) => self.word("on").word("first").word("trading").word("day"),
            Some(Anchor::LastTradingDay(_)) => self.word("on").word("last").word("trading").word("day"),
        }
    }

    fn guard(&mut self, guard: &Guard) -> &mut Self {
        self.word(guard.kind.word()).expr(&guard.condition, ANY)
    }
}
