//! `:help [topic]`: the commands, a summary of the language, the built-in functions.

use super::command::COMMANDS;
use crate::check::{FUNCTIONS, PORTFOLIO_NAMES};
use crate::fedwatch::Measure;

/// The topics `:help` knows.
pub const TOPICS: &[&str] = &["commands", "language", "functions"];

/// The help text of a topic (`None`: an overview), or `None` if there is no such topic.
pub fn text(topic: Option<&str>) -> Option<String> {
    Some(match topic {
        None => format!(
            "Type an expression to see its value, a statement to add it to the session.\n\
             \n  fed_cut_prob @ 2024-09-16          value as of a date\n  \
             close(MIN) @ 2024-03-05 11:07      value as of a time (bars of minutes)\n  \
             sma(IWO, 50 days) @ last           latest value (the same as leaving out `@ last`)\n  \
             close(IWO) from 2024-01-01 to 2024-03-01\n  \
             buy IWO monthly while fed_cut_prob > 0.8\n\n{}\nMore: :help commands, :help language, :help functions\n",
            commands()
        ),
        Some("commands") => commands(),
        Some("language") => LANGUAGE.to_string(),
        Some("functions") => functions(),
        Some(_) => return None,
    })
}

fn commands() -> String {
    let mut out = String::from("Commands:\n");
    for (name, args, doc) in COMMANDS {
        let usage = format!(":{name} {args}");
        out.push_str(&row(&usage, doc));
    }
    out
}

fn functions() -> String {
    let mut out = String::from("Built-in functions:\n");
    for f in FUNCTIONS {
        out.push_str(&row(&f.signature(), f.doc));
    }
    out.push_str("FedWatch series (with CME FedWatch exports or fed funds futures loaded; docs/FEDWATCH.md):\n");
    for m in Measure::ALL {
        out.push_str(&row(m.name(), m.doc()));
    }
    out.push_str(&row(
        "fed_cut_prob(meeting 2), (by 2025-12-31)",
        "the same for a later meeting",
    ));
    out.push_str("Portfolio values (in rules only; n/a at the prompt):\n");
    for (name, doc) in PORTFOLIO_NAMES {
        out.push_str(&row(name, doc));
    }
    out
}

/// Width of the left column of a help table.
const NAME_WIDTH: usize = 44;

/// One row of a help table: `name` in the left column and `doc` beside it, or, when
/// `name` fills the column, `doc` on the next line at the same indent as the others.
fn row(name: &str, doc: &str) -> String {
    if name.chars().count() < NAME_WIDTH {
        format!("  {name:<NAME_WIDTH$}{doc}\n")
    } else {
        format!("  {name}\n  {:NAME_WIDTH$}{doc}\n", "")
    }
}

const LANGUAGE: &str = "\
A strategy is lines of settings, parameters and rules (docs/LANGUAGE.md has it all):
  strategy \"Rate-cut DCA\"             a name
  capital 10000 USD                   starting cash
  contribute 500 USD monthly          regular deposits
  fees 0.05%, 1 USD per trade         costs; also `slippage 0.02%`
  cash interest 4.5%                  interest on idle cash; also `tax korea`, `fx spread 0.25%`
  dividends cash                      dividends paid on their ex-dates; or `reinvest dividends`
  withdraw 4% yearly                  take money out; also `account isa`, `tax korea-listed`
  stale after 30 days                 older series values are not available
  let threshold = 0.8                 a parameter (`:set threshold 0.7` changes it)
  buy IWO monthly while fed_cut_prob > threshold
  sell all of IWO when rsi(IWO) > 70
  rebalance quarterly to IWO 60%, cash 40%
  rotate monthly to top 1 of IWO, IWN by return(3 months)
Schedules: daily, weekly on friday, monthly on day 15, every 2 weeks, once on 2024-01-02.
Values: 0.8, 25%, 500 USD, 200 days; `x[1]` is yesterday's x.
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_topic_has_text_and_lists_what_it_should() {
        for topic in TOPICS {
            assert!(text(Some(topic)).is_some(), "{topic}");
        }
        assert!(text(None).is_some());
        assert!(text(Some("nonsense")).is_none());
        let functions = text(Some("functions")).expect("a topic");
        assert!(FUNCTIONS.iter().all(|f| functions.contains(f.doc)));
        assert!(Measure::ALL.iter().all(|m| functions.contains(m.name())));
        // Every description starts in its column, apart from its name (the macd rows'
        // signatures are longer than the column).
        for f in FUNCTIONS {
            let line = functions.lines().find(|l| l.contains(f.doc)).expect("listed");
            assert_eq!(line.find(f.doc), Some(2 + NAME_WIDTH), "{line:?}");
        }
        let commands = text(Some("commands")).expect("a topic");
        assert!(COMMANDS.iter().all(|c| commands.contains(&format!(":{}", c.0))));
    }
}
