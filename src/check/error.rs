use miette::Diagnostic;
use thiserror::Error;

use crate::source::Span;

use super::sleeves::{MAX_SLEEVE_DEPTH, MAX_SLEEVES};

/// A strategy that parses but does not make sense: unknown names, wrong arguments,
/// mismatched types, impossible settings. Found before the backtest runs.
#[derive(Clone, Debug, Diagnostic, Error, PartialEq)]
pub enum CheckError {
    #[error("unknown {what} `{name}`")]
    #[diagnostic(code(rotor::check::unknown_name))]
    UnknownName {
        what: &'static str,
        name: String,
        #[label("not found")]
        span: Span,
        #[help]
        help: String,
    },

    #[error("the script function `{name}` has the name of the built-in `{builtin}`")]
    #[diagnostic(code(rotor::check::shadows_builtin), help("{help}"))]
    ShadowsBuiltin {
        name: String,
        /// The built-in's signature, such as `sma(source, window)`.
        builtin: String,
        #[label("defined here")]
        span: Span,
        #[label("the script is used here")]
        used: Option<Span>,
        help: String,
    },

    #[error("this window is longer than any data rotor reads")]
    #[diagnostic(
        code(rotor::check::window_too_long),
        help(
            "a window or a look-back may count at most {limit} bars (a duration: at most 100 \
             years of trading days); a window longer than the data is never available. Write \
             one shorter than the data, such as `200 days`"
        )
    )]
    WindowTooLong {
        #[label("too long")]
        span: Span,
        limit: String,
    },

    #[error("unknown function `{name}`")]
    #[diagnostic(code(rotor::check::unknown_function))]
    UnknownFunction {
        name: String,
        #[label("no such function")]
        span: Span,
        #[help]
        help: String,
        /// Where a close match is defined (in a `.rhai` script).
        #[label(collection)]
        related: Vec<miette::LabeledSpan>,
    },

    #[error("`{name}` takes {expected}, not {found}")]
    #[diagnostic(code(rotor::check::arity), help("write `{signature}`"))]
    Arity {
        name: String,
        expected: String,
        found: usize,
        signature: String,
        #[label("{found} given")]
        span: Span,
        /// Where the function is defined, for script functions.
        #[label(collection)]
        related: Vec<miette::LabeledSpan>,
    },

    #[error("{message}")]
    #[diagnostic(code(rotor::check::type_mismatch))]
    TypeMismatch {
        message: String,
        #[label("{label}")]
        span: Span,
        label: String,
        #[help]
        help: String,
    },

    #[error("a money amount where a weight is expected")]
    #[diagnostic(
        code(rotor::check::money_as_weight),
        help("target weights are percentages of the portfolio, such as `IWO 40%`")
    )]
    MoneyAsWeight {
        #[label("this is money")]
        span: Span,
    },

    #[error("weight {weight} is outside 0% to 100%")]
    #[diagnostic(code(rotor::check::weight_range), help("a target weight is between 0% and 100%"))]
    WeightRange {
        weight: String,
        #[label("out of range")]
        span: Span,
    },

    #[error("target weights add up to {total}, not 100%")]
    #[diagnostic(code(rotor::check::weights_sum))]
    WeightsSum {
        total: String,
        #[label("these weights")]
        span: Span,
        #[help]
        help: String,
    },

    #[error("`{name}` is defined twice")]
    #[diagnostic(code(rotor::check::duplicate_let), help("rename one of them, or remove the first"))]
    DuplicateLet {
        name: String,
        #[label("defined again here")]
        span: Span,
        #[label("first defined here")]
        first: Span,
    },

    #[error("`{name}` is named twice in one rule")]
    #[diagnostic(code(rotor::check::duplicate_symbol), help("{help}"))]
    DuplicateSymbol {
        name: String,
        #[label("again here")]
        span: Span,
        #[label("first here")]
        first: Span,
        help: &'static str,
    },

    /// A setting given twice: `what` as the message names it (`` `capital` ``, "an expense
    /// ratio for `IWO`"); [`CheckError::setting_twice`] builds the common case.
    #[error("{what} is given twice")]
    #[diagnostic(code(rotor::check::duplicate_setting), help("{help}"))]
    DuplicateSetting {
        what: String,
        #[label("again here")]
        span: Span,
        #[label("first here")]
        first: Span,
        help: String,
    },

    /// Two settings that say opposite things (`dividends cash`, `reinvest dividends`).
    #[error("{what} are both given")]
    #[diagnostic(code(rotor::check::contradiction), help("{help}"))]
    Contradiction {
        what: String,
        #[label("the other here")]
        span: Span,
        #[label("one here")]
        first: Span,
        help: String,
    },

    #[error("`{path}` is named by two `data` lines")]
    #[diagnostic(
        code(rotor::check::duplicate_data),
        help("remove one of the two lines: each file or folder is read once")
    )]
    DuplicateData {
        path: String,
        #[label("again here")]
        span: Span,
        #[label("first here")]
        first: Span,
    },

    #[error("`when` can never fire on a `once` schedule")]
    #[diagnostic(
        code(rotor::check::when_cannot_fire),
        help(
            "`when` acts where its condition becomes true, which needs an earlier check to compare with; use `if` for a one-off rule"
        )
    )]
    WhenCannotFire {
        #[label("`when` needs a repeating schedule")]
        span: Span,
        #[label("checked only once")]
        schedule: Span,
    },

    #[error("{message}")]
    #[diagnostic(code(rotor::check::invalid_value))]
    InvalidValue {
        message: String,
        #[label("{label}")]
        span: Span,
        label: String,
        #[help]
        help: String,
    },

    #[error("`{name}` is never traded, so {what} has no position to read")]
    #[diagnostic(code(rotor::check::not_traded))]
    NotTraded {
        name: String,
        what: String,
        #[label("no rule buys or sells `{name}`")]
        span: Span,
        #[help]
        help: String,
    },

    #[error("`since entry` can only follow the first argument of `highest` or `lowest`")]
    #[diagnostic(
        code(rotor::check::since_entry),
        help("write `highest(close(IWM) since entry)`: the highest close since the position in IWM was opened")
    )]
    SinceEntry {
        #[label("{label}")]
        span: Span,
        label: String,
    },

    /// Two exits of one kind for one symbol's position from different places (rules'
    /// `with`, an `on` line), or a rule's exit on a symbol that another rule buys without it:
    /// positions are per symbol, so one exit would sell what the other place bought.
    #[error("{message}")]
    #[diagnostic(code(rotor::check::exit_conflict))]
    ExitConflict {
        message: String,
        #[label("{label}")]
        span: Span,
        #[label("{other_label}")]
        other: Span,
        label: String,
        other_label: String,
        #[help]
        help: String,
    },

    #[error("the strategy has no rules")]
    #[diagnostic(
        code(rotor::check::no_rules),
        help("add a rule such as `buy IWO monthly`; see docs/LANGUAGE.md")
    )]
    NoRules {
        #[label("nothing to do")]
        span: Span,
    },

    #[error("the sleeves {inside} add up to {total}, more than 100%")]
    #[diagnostic(
        code(rotor::check::sleeves_over_100),
        help(
            "a sleeve's share is of what encloses it (the account, or the sleeve it is indented under); make the shares add up to at most 100%: what they leave is managed by the rules outside them"
        )
    )]
    SleevesOver100 {
        inside: String,
        total: String,
        #[label("this sleeve takes the total past 100%")]
        span: Span,
    },

    #[error("`{setting}` is a setting of the whole account, not of a sleeve")]
    #[diagnostic(
        code(rotor::check::setting_in_sleeve),
        help(
            "write it at the start of the line, outside any `sleeve` block; a sleeve holds rules (and `let`s and sleeves)"
        )
    )]
    SettingInSleeve {
        setting: String,
        #[label("inside the sleeve `{sleeve}`")]
        span: Span,
        sleeve: String,
    },

    #[error("{what}")]
    #[diagnostic(
        code(rotor::check::too_many_sleeves),
        help(
            "a strategy may have at most {MAX_SLEEVES} sleeves, nested at most {MAX_SLEEVE_DEPTH} deep (docs/SECURITY.md)"
        )
    )]
    TooManySleeves {
        what: &'static str,
        #[label("here")]
        span: Span,
    },

    #[error("a sleeve named `{name}` is already defined")]
    #[diagnostic(code(rotor::check::duplicate_sleeve), help("give each sleeve its own name"))]
    DuplicateSleeve {
        name: String,
        #[label("defined again here")]
        span: Span,
        #[label("first defined here")]
        first: Span,
    },

    #[error("the sleeve `{name}` has no rules")]
    #[diagnostic(
        code(rotor::check::empty_sleeve),
        help(
            "indent the rules that manage it below the `sleeve` line, such as `  rotate monthly to top 1 of IWM, IWO by return(3 months)`; money no rule manages can stay outside the sleeves, where a share without rules stays in cash"
        )
    )]
    EmptySleeve {
        name: String,
        #[label("nothing indented below it")]
        span: Span,
    },

    #[error("these rules manage {what}, which the sleeves take all of")]
    #[diagnostic(
        code(rotor::check::no_share_left),
        help(
            "the sleeves' shares add up to 100%, so nothing is left for rules outside them: lower a share, or move the rule into a sleeve by indenting it below the `sleeve` line"
        )
    )]
    NoShareLeft {
        what: String,
        #[label("0% to manage")]
        span: Span,
    },
}

impl CheckError {
    /// `` `{setting}` is given twice ``, with the help to keep one line of it.
    pub fn setting_twice(setting: &str, span: Span, first: Span) -> CheckError {
        CheckError::DuplicateSetting {
            what: format!("`{setting}`"),
            span,
            first,
            help: format!("keep one `{setting}` line"),
        }
    }
}
