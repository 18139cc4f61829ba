//! `priced in KRW 069500.KS, 360750.KS`: listings whose prices are in the base currency
//! (docs/DATA.md, "Listings priced in won"). The engine converts them to USD at each
//! bar's rate (engine/priced.rs); here, what the line may say and what it may stand beside.

use super::*;

use crate::suggest::did_you_mean;

impl Checker<'_> {
    /// The line itself: a currency that is the strategy's base currency, and symbols each
    /// named once.
    pub(super) fn priced(&mut self, code: &Name, symbols: &[Name], span: Span) -> Option<Priced> {
        let mut ok = true;
        match self.currency.clone() {
            _ if code.text == "USD" => {
                self.errors.push(CheckError::InvalidValue {
                    message: "prices are taken as US dollars already".into(),
                    span: code.span,
                    label: "no conversion needed".into(),
                    help: "remove this line; `priced in KRW …` names listings priced in won".into(),
                });
                ok = false;
            }
            None => {
                self.errors.push(CheckError::InvalidValue {
                    message: format!(
                        "`priced in {}` needs an exchange rate, but the strategy has no `currency` line",
                        code.text
                    ),
                    span: code.span,
                    label: "converted with which rate?".into(),
                    help: format!(
                        "add `currency {0} using <series of {0} per USD>`, such as `currency KRW using usdkrw`: \
                         each day's prices are converted at that day's rate",
                        code.text
                    ),
                });
                ok = false;
            }
            Some(base) if base != code.text => {
                self.errors.push(CheckError::InvalidValue {
                    message: format!("`priced in {}`, but the strategy's currency is {base}", code.text),
                    span: code.span,
                    label: format!("not {base}"),
                    help: format!(
                        "rotor converts prices from the base currency only, at the `currency {base}` line's rate: \
                         write `priced in {base} …`"
                    ),
                });
                ok = false;
            }
            Some(_) => {}
        }
        let mut listed = Vec::new();
        for name in symbols {
            if let Some(first) = self.named_seen.insert(format!("priced {}", name.text), name.span) {
                self.errors.push(CheckError::DuplicateSetting {
                    what: format!("`{}` in `priced in`", name.text),
                    span: name.span,
                    first,
                    help: format!("name `{}` once", name.text),
                });
                ok = false;
                continue;
            }
            match self.symbol(name) {
                Some(symbol) => listed.push((symbol, name.span)),
                None => ok = false,
            }
        }
        ok.then(|| Priced {
            code: code.text.clone(),
            symbols: listed,
            span,
        })
    }

    /// Once the traded symbols are known: each listing of `priced in` is traded or the
    /// benchmark, and the money settings beside it are ones rotor can model for it.
    pub(super) fn priced_fits(&mut self, s: &Program) {
        let Some(priced) = &s.priced else { return };
        let benchmark = s.benchmark.as_ref().map(|(b, _)| b.as_str());
        for (symbol, span) in &priced.symbols {
            if s.traded.contains(symbol) || benchmark == Some(symbol.as_str()) {
                continue;
            }
            self.errors.push(CheckError::InvalidValue {
                message: format!("`{symbol}` is priced in {}, but no rule trades it", priced.code),
                span: *span,
                label: "never bought or sold".into(),
                help: format!(
                    "list only the symbols the rules trade (or the benchmark); a symbol only read by expressions \
                     keeps its prices as the data has them{}",
                    did_you_mean(symbol, s.traded.iter().map(String::as_str))
                        .map_or(String::new(), |best| format!(" (did you mean `{best}`?)"))
                ),
            });
        }
        if s.money.fx_spread > 0.0
            && let Some(&at) = self.seen.get("fx spread")
        {
            self.errors.push(CheckError::Contradiction {
                what: "`fx spread` and `priced in`".into(),
                span: at,
                first: priced.span,
                help: format!(
                    "rotor keeps cash in USD, so it would charge the spread on won spent on {} listings, which \
                     an investor buys with won and no exchange: remove `fx spread`, or keep the won listings and the \
                     dollar ones in separate strategies",
                    priced.code
                ),
            });
        }
        let Some(rule) = &s.money.tax else { return };
        let at = (self.seen.get("tax").or(self.seen.get("account"))).copied();
        let Some(at) = at else { return };
        let mixed: Vec<&String> = s.traded.iter().filter(|t| !priced.has(t)).collect();
        let name = rule.name.as_str();
        if name == "korea" {
            let korean: Vec<&str> = priced.symbols.iter().map(|(p, _)| p.as_str()).collect();
            self.errors.push(CheckError::Contradiction {
                what: "`tax korea` and `priced in`".into(),
                span: at,
                first: priced.span,
                help: format!(
                    "`tax korea` is the rule for overseas shares; {} {} listed in Korea, whose gains that rule \
                     does not tax: use `tax korea-listed` for Korean-listed funds of overseas shares, or leave \
                     the won listings out of this strategy",
                    korean.join(", "),
                    if korean.len() == 1 { "is" } else { "are" }
                ),
            });
        } else if (name == "korea-listed" || name.starts_with("isa")) && !mixed.is_empty() {
            let written = if name == "korea-listed" {
                "tax korea-listed"
            } else {
                "account isa"
            };
            self.errors.push(CheckError::Contradiction {
                what: format!("`{written}` and `priced in`"),
                span: at,
                first: priced.span,
                help: format!(
                    "`{written}` is the rule for funds listed in Korea, but {} {} priced in USD: rotor has one \
                     tax rule a strategy, so it would tax {} as a Korean listing; add {} to `priced in` if \
                     listed in Korea, or keep the two in separate strategies",
                    mixed.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>().join(", "),
                    if mixed.len() == 1 { "is" } else { "are" },
                    if mixed.len() == 1 { "it" } else { "them" },
                    if mixed.len() == 1 { "it" } else { "them" },
                ),
            });
        }
    }
}
