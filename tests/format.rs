//! `rotor fmt`: hand cases with their canonical text written out, every sample strategy,
//! and property tests that formatting any valid file keeps its meaning and is stable.

use std::path::Path;

use proptest::prelude::*;
use proptest::sample::select;

use rotor::format::{format_file, format_source};
use rotor::source::{SourceFile, Span, ignoring_positions};
use rotor::syntax::ast::{
    Action, Amount, BinaryOp, Expr, ExprKind, File, Line, Name, Num, Rule, Statement, StatementKind, TimeUnit, UnaryOp,
};
use rotor::syntax::parse_file;

fn source(text: &str) -> SourceFile {
    SourceFile {
        name: "test.rotor".to_string(),
        path: None,
        text: text.to_string(),
        base: 0,
    }
}

fn parse(text: &str) -> File {
    let (file, errors) = parse_file(&source(text));
    assert!(errors.is_empty(), "{text:?} should parse, got {errors:?}");
    file
}

fn fmt(text: &str) -> String {
    match format_source(&source(text)) {
        Ok(out) => out,
        Err(errors) => panic!("{text:?} should format, got {errors:?}"),
    }
}

/// What every formatted file must look like, whatever went in.
fn assert_canonical_layout(out: &str) {
    assert!(!out.contains('\r'), "CR in {out:?}");
    assert!(!out.starts_with('\u{FEFF}'), "BOM in {out:?}");
    assert!(!out.starts_with('\n'), "blank line at the start of {out:?}");
    assert!(
        out.is_empty() || (out.ends_with('\n') && !out.ends_with("\n\n")),
        "bad end of {out:?}"
    );
    assert!(!out.contains("\n\n\n"), "two blank lines in a row in {out:?}");
    for line in out.lines() {
        assert_eq!(line, line.trim_end(), "trailing whitespace in {out:?}");
    }
}

/// The lines a formatted file should have, worked out from the parsed input on its own
/// terms: no blank lines at either end, and each run of blank lines down to one.
fn collapse_blank_lines(file: File) -> File {
    let is_blank = |line: &Line| line.statement.is_none() && line.comment.is_none();
    let mut lines: Vec<Line> = Vec::new();
    for line in file.lines {
        let after_blank = lines.last().is_none_or(is_blank);
        if !(is_blank(&line) && after_blank) {
            lines.push(line);
        }
    }
    if lines.last().is_some_and(is_blank) {
        lines.pop();
    }
    File { lines }
}

/// The property the brief asks for: the text means the same after formatting (the same
/// tree, up to the blank lines formatting removes), and formatting again changes nothing.
fn assert_round_trip(text: &str) {
    let out = fmt(text);
    assert_canonical_layout(&out);
    ignoring_positions(|| {
        assert_eq!(
            parse(&out),
            collapse_blank_lines(parse(text)),
            "formatting changed the meaning of {text:?} into {out:?}"
        )
    });
    assert_eq!(fmt(&out), out, "formatting {text:?} is not idempotent");
}

// ------------------------------------------------------------ hand cases

#[test]
fn every_sample_strategy_is_stable_and_keeps_its_meaning() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("strategies");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).expect("the strategies folder exists") {
        let path = entry.expect("a readable folder entry").path();
        if path.extension().is_some_and(|e| e == "rotor") {
            let text = std::fs::read_to_string(&path).expect("a sample strategy is UTF-8 text");
            assert_round_trip(&text);
            seen += 1;
        }
    }
    assert!(seen > 0, "no sample strategies found in {}", dir.display());
}

#[test]
fn the_full_example_is_already_canonical() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/language/issue_example.rotor");
    let text = std::fs::read_to_string(path).expect("the full example exists");
    assert_eq!(fmt(&text), text);
}

#[test]
fn every_statement_prints_in_canonical_form() {
    let messy = "\
strategy   \"Rate-cut \\\"DCA\\\"\"
description\t\"two\\nlines\\tand a \\\\ backslash\"
data \"prices.csv\"   as   `IWO`
data \"a b.csv\" as `BRK-B`
data \"ewg.csv\"  dates   day-first
data \"spy.csv\" as SPY dates month-first
fomc   \"fomc meetings.csv\"
use \"indicators/momentum.rhai\"
capital 10_000   USD
capital $500
contribute 500 USD   every 2 week
fees 0.05%   and 1 USD per   trade
slippage 0.02%
expense IWO 0.24% ,VTWG 0.10%
fill next   open
fill close
benchmark SPY
currency KRW using usdkrw
whole shares
fractional   shares
delisted   sell
delisted hold
lag cpi_yoy 1 months
risk free fed_funds_rate
from 2010-01-01 to 2020-12-31
from 2010-01-01
to 2020-12-31
cash   interest 4.5%
cash interest   DFF
cost basis   average
cost basis fifo
tax   korea
tax capital gains 22%   above 2_500_000 KRW   yearly
tax capital gains 15% yearly
fx spread   0.25%
tax   dividends 15%
dividends   cash
reinvest   dividends
dividends \"IWO div.csv\"   for   IWO
tax   korea-listed
account   isa
account isa   low-income
withdraw 1_000_000 KRW   monthly   from 2040-01-01
withdraw 4%   yearly
let threshold=0.8
buy 500 USD of IWO monthly while fed_cut_prob>threshold
buy all of IWO weekly on friday
buy 1 shares of IWO every   bar
buy 1 shares of IWO   hourly
buy 1 shares of IWO every 15 minute
buy 1 shares of IWO every 1 hours
sell all IWM when close(IWM)crosses   below sma(IWM,200 day)
buy 10 shares of `005930.KS` quarterly on last trading day
buy 10% of cash of SPMD yearly on first trading day unless rsi(SPMD , 14)>70
sell 50% of position of IWO if not x[1]>=-2 and (a or b)
buy 5 of `cash` daily
rebalance monthly on day 15 to IWO 40%,cash 10%, `cash` 50% tolerance 5% when a!=b
rotate once on 2025-09-17 to bottom 2 of IWO,IWN by -return(3 months)*2/(1+x) unless `true`==false
";
    let canonical = "\
strategy \"Rate-cut \\\"DCA\\\"\"
description \"two\\nlines\\tand a \\\\ backslash\"
data \"prices.csv\" as IWO
data \"a b.csv\" as `BRK-B`
data \"ewg.csv\" dates day-first
data \"spy.csv\" as SPY dates month-first
fomc \"fomc meetings.csv\"
use \"indicators/momentum.rhai\"
capital 10_000 USD
capital $500
contribute 500 USD every 2 weeks
fees 0.05%, 1 USD per trade
slippage 0.02%
expense IWO 0.24%, VTWG 0.10%
fill next open
fill close
benchmark SPY
currency KRW using usdkrw
whole shares
fractional shares
delisted sell
delisted hold
lag cpi_yoy 1 month
risk free fed_funds_rate
from 2010-01-01 to 2020-12-31
from 2010-01-01
to 2020-12-31
cash interest 4.5%
cash interest DFF
cost basis average
cost basis fifo
tax korea
tax capital gains 22% above 2_500_000 KRW yearly
tax capital gains 15% yearly
fx spread 0.25%
tax dividends 15%
dividends cash
reinvest dividends
dividends \"IWO div.csv\" for IWO
tax korea-listed
account isa
account isa low-income
withdraw 1_000_000 KRW monthly from 2040-01-01
withdraw 4% yearly
let threshold = 0.8
buy 500 USD of IWO monthly while fed_cut_prob > threshold
buy all IWO weekly on friday
buy 1 shares of IWO every bar
buy 1 shares of IWO hourly
buy 1 shares of IWO every 15 minutes
buy 1 shares of IWO every 1 hour
sell all IWM when close(IWM) crosses below sma(IWM, 200 days)
buy 10 shares of 005930.KS quarterly on last trading day
buy 10% of cash of SPMD yearly on first trading day unless rsi(SPMD, 14) > 70
sell 50% of position of IWO if not x[1] >= -2 and (a or b)
buy 5 of `cash` daily
rebalance monthly on day 15 to IWO 40%, cash 10%, `cash` 50% tolerance 5% when a != b
rotate once on 2025-09-17 to bottom 2 of IWO, IWN by -return(3 months) * 2 / (1 + x) unless `true` == false
";
    assert_eq!(fmt(messy), canonical);
    ignoring_positions(|| assert_eq!(parse(canonical), collapse_blank_lines(parse(messy))));
    assert_eq!(fmt(canonical), canonical);
}

#[test]
fn comments_are_kept() {
    let text = "# Rate-cut rotation   \n   #indented note\nbuy IWO monthly   # why monthly  \n#\n";
    assert_eq!(
        fmt(text),
        "# Rate-cut rotation\n#indented note\nbuy IWO monthly  # why monthly\n#\n"
    );
}

#[test]
fn runs_of_blank_lines_collapse_to_one_and_vanish_at_the_ends() {
    let text = "\n\n   \n# top\n\n\n\t\nbuy IWO\nsell IWO\n\n\n\n# end\n\n  \n\n";
    assert_eq!(fmt(text), "# top\n\nbuy IWO\nsell IWO\n\n# end\n");
}

#[test]
fn continued_statements_are_joined_onto_one_line() {
    let text = "\
rebalance quarterly to IWO 40%,
    IWN 30%,

    SPMD 30%   # three funds
buy 500 USD of IWO monthly \\
    while fed_cut_prob > 0.8
let x = sma(
    IWO,
    50
) + (
  1
)
";
    assert_eq!(
        fmt(text),
        "\
rebalance quarterly to IWO 40%, IWN 30%, SPMD 30%  # three funds
buy 500 USD of IWO monthly while fed_cut_prob > 0.8
let x = sma(IWO, 50) + (1)
"
    );
}

#[test]
fn crlf_and_bom_become_lf_without_bom() {
    let text = "\u{FEFF}# head\r\nbuy IWO \\\r\n  monthly\r\n\r\n\r\nsell IWO  # out\r\n";
    assert_eq!(fmt(text), "# head\nbuy IWO monthly\n\nsell IWO  # out\n");
}

#[test]
fn the_last_line_gets_exactly_one_line_ending() {
    assert_eq!(fmt("buy IWO"), "buy IWO\n");
    assert_eq!(fmt("buy IWO\n\n\n"), "buy IWO\n");
    assert_eq!(fmt("# only a comment"), "# only a comment\n");
}

#[test]
fn names_keep_backticks_only_when_they_need_them() {
    let text = "let `a` = `IWO` + `and` + `BRK-B` + `top` + `^RUT` + `1x` + `x.`\nbenchmark `SPY`\n";
    assert_eq!(
        fmt(text),
        "let a = IWO + `and` + `BRK-B` + `top` + ^RUT + `1x` + `x.`\nbenchmark SPY\n"
    );
}

#[test]
fn numbers_keep_their_text() {
    let text = "let x = 10_000 + 0.50 + 007 + 1_000.25% + $1_000 + 2.5 EUR + 1_0 days\n";
    assert_eq!(fmt(text), text);
    // Counts are whole numbers in the tree; their `_` goes.
    assert_eq!(
        fmt("rotate every 1_0 days to top 0_1 of A by x[0_2]\n"),
        "rotate every 10 days to top 1 of A by x[2]\n"
    );
}

#[test]
fn a_file_with_a_syntax_error_is_refused() {
    let text = "buy IWO monthly\nbuy IWO fortnightly\nsell IWO\n";
    let errors = format_source(&source(text)).expect_err("a broken file must not be formatted");
    assert_eq!(errors.len(), 1, "{errors:?}");
    // A line the parser leaves out for a bad value also refuses the whole file.
    assert!(format_source(&source("buy IWO\nbuy IWO once on 2025-02-30\n")).is_err());
    assert!(format_source(&source("let x = (1\n")).is_err());
}

// ------------------------------------------------------------ random valid files
//
// The generator follows the grammar rule by rule and writes placeholders where the grammar
// allows whitespace; `fill_space` then spells each one out: a space, several, a tab, a
// backslash continuation, or a line break where the grammar takes one.

/// Required whitespace between two words.
const W: char = '\u{1}';
/// Optional whitespace, next to an operator or a bracket.
const O: char = '\u{2}';
/// Optional whitespace that may break the line: inside brackets, around list commas.
const N: char = '\u{3}';

fn fill_space(text: &str, choices: &[u8]) -> String {
    const REQUIRED: &[&str] = &[" ", " ", " ", "  ", "\t", " \\\n    ", "\\\n"];
    const OPTIONAL: &[&str] = &["", "", " ", "  ", " \\\n  "];
    const BREAK: &[&str] = &["", " ", " ", "\n    ", "\n\n  ", "  \\\n"];
    let mut out = String::with_capacity(text.len() * 2);
    let mut i = 0;
    for c in text.chars() {
        let table = match c {
            W => REQUIRED,
            O => OPTIONAL,
            N => BREAK,
            other => {
                out.push(other);
                continue;
            }
        };
        let pick = choices.get(i % choices.len().max(1)).copied().unwrap_or(0) as usize;
        out.push_str(table[pick % table.len()]);
        i += 1;
    }
    out
}

fn reserved_first_word(text: &str) -> bool {
    let first = text.split('.').next().unwrap_or(text);
    rotor::syntax::RESERVED.contains(&first) || ["cash", "equity", "position"].contains(&first)
}

fn name_text() -> BoxedStrategy<String> {
    prop_oneof![
        6 => "[A-Za-z_^][A-Za-z0-9_]{0,5}(\\.[A-Za-z0-9_]{1,3}){0,2}"
            .prop_filter("not a keyword", |n| !reserved_first_word(n)),
        1 => "[0-9]{1,6}(\\.[A-Z][A-Z0-9]{0,2}){1,2}",
        2 => prop_oneof![
            select(vec!["and", "top", "to", "cash", "equity", "true", "BRK-B", "my series", "1abc", "x.", "on.x"])
                .prop_map(str::to_string),
            "[A-Za-z0-9 _.+-]{1,8}",
        ]
        .prop_map(|n| format!("`{n}`")),
    ]
    .boxed()
}

fn number_text() -> BoxedStrategy<String> {
    "[0-9]{1,3}(_[0-9]{3}){0,2}(\\.[0-9]{1,3})?".boxed()
}

fn count_text() -> BoxedStrategy<String> {
    prop_oneof![4 => "[1-9][0-9]{0,2}", 1 => "[1-9]_[0-9]"].boxed()
}

fn unit_text() -> BoxedStrategy<String> {
    select(vec!["day", "days", "week", "weeks", "month", "months", "year", "years"])
        .prop_map(str::to_string)
        .boxed()
}

fn atom_text() -> BoxedStrategy<String> {
    prop_oneof![
        3 => number_text(),
        1 => number_text().prop_map(|n| format!("{n}%")),
        1 => number_text().prop_map(|n| format!("${n}")),
        1 => (number_text(), "[A-Z]{3}").prop_map(|(n, c)| format!("{n}{W}{c}")),
        1 => (number_text(), unit_text()).prop_map(|(n, u)| format!("{n}{W}{u}")),
        1 => select(vec!["true", "false"]).prop_map(str::to_string),
        4 => name_text(),
    ]
    .boxed()
}

/// `lower`, or two or three of them joined by one of `ops`.
fn chain(lower: BoxedStrategy<String>, ops: Vec<String>) -> BoxedStrategy<String> {
    let op = select(ops);
    prop_oneof![
        6 => lower.clone(),
        1 => (lower.clone(), op.clone(), lower.clone()).prop_map(|(a, o, b)| format!("{a}{o}{b}")),
        1 => (lower.clone(), op.clone(), lower.clone(), op, lower)
            .prop_map(|(a, o, b, p, c)| format!("{a}{o}{b}{p}{c}")),
    ]
    .boxed()
}

fn symbols(words: &[&str], pad: char) -> Vec<String> {
    words.iter().map(|w| format!("{pad}{w}{pad}")).collect()
}

/// The expression levels of the grammar above a given `primary`: (sum, expr).
fn levels(primary: BoxedStrategy<String>) -> (BoxedStrategy<String>, BoxedStrategy<String>) {
    let postfix = prop_oneof![
        4 => primary.clone(),
        1 => (primary, prop::collection::vec(prop_oneof!["[0-9]{1,2}", "1_0"], 1..3))
            .prop_map(|(p, lags)| lags.iter().fold(p, |acc, n| format!("{acc}{O}[{O}{n}{O}]"))),
    ]
    .boxed();
    let unary = prop_oneof![
        5 => postfix.clone(),
        1 => postfix.clone().prop_map(|p| format!("-{O}{p}")),
        1 => postfix.prop_map(|p| format!("-{O}-{O}{p}")),
    ]
    .boxed();
    let product = chain(unary, symbols(&["*", "/"], O));
    let sum = chain(product, symbols(&["+", "-"], O));
    let mut compare = symbols(&[">", "<", ">=", "<=", "==", "!="], O);
    compare.extend(symbols(
        &[format!("crosses{W}above").as_str(), format!("crosses{W}below").as_str()],
        W,
    ));
    let comparison = prop_oneof![
        3 => sum.clone(),
        1 => (sum.clone(), select(compare), sum.clone()).prop_map(|(a, o, b)| format!("{a}{o}{b}")),
    ]
    .boxed();
    let not = prop_oneof![
        4 => comparison.clone(),
        1 => comparison.clone().prop_map(|c| format!("not{W}{c}")),
        1 => comparison.prop_map(|c| format!("not{W}not{W}{c}")),
    ]
    .boxed();
    let and = chain(not, symbols(&["and"], W));
    let or = chain(and, symbols(&["or"], W));
    (sum, or)
}

/// (sum, expr) strategies with groups and calls nested a few levels deep.
fn expressions() -> (BoxedStrategy<String>, BoxedStrategy<String>) {
    let expr = atom_text().prop_recursive(3, 24, 3, |inner| {
        let primary = prop_oneof![
            4 => atom_text(),
            1 => inner.clone().prop_map(|e| format!("({N}{e}{N})")),
            1 => (name_text(), prop::collection::vec(inner, 0..3)).prop_map(|(f, args)| {
                format!("{f}{O}({N}{}{N})", args.join(&format!("{N},{N}")))
            }),
        ]
        .boxed();
        levels(primary).1
    });
    let primary = prop_oneof![
        4 => atom_text(),
        1 => expr.clone().prop_map(|e| format!("({N}{e}{N})")),
    ]
    .boxed();
    let (sum, _) = levels(primary);
    (sum, expr.boxed())
}

fn string_text() -> BoxedStrategy<String> {
    "[a-zA-Z0-9 #\"\\\\\n\té().]{0,12}"
        .prop_map(|value| {
            let escaped: String = value
                .chars()
                .map(|c| match c {
                    '"' => "\\\"".to_string(),
                    '\\' => "\\\\".to_string(),
                    '\n' => "\\n".to_string(),
                    '\t' => "\\t".to_string(),
                    other => other.to_string(),
                })
                .collect();
            format!("\"{escaped}\"")
        })
        .boxed()
}

fn date_text() -> BoxedStrategy<String> {
    "(19|20)[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])".boxed()
}

fn schedule_text() -> BoxedStrategy<String> {
    let anchor = prop_oneof![
        2 => Just(String::new()),
        1 => count_text().prop_map(|n| format!("{W}on{W}day{W}{n}")),
        1 => Just(format!("{W}on{W}first{W}trading{W}day")),
        1 => Just(format!("{W}on{W}last{W}trading{W}day")),
    ];
    let weekday = select(vec![
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ]);
    prop_oneof![
        Just("daily".to_string()),
        Just("weekly".to_string()),
        weekday.prop_map(|d| format!("weekly{W}on{W}{d}")),
        (select(vec!["monthly", "quarterly", "yearly"]), anchor).prop_map(|(k, a)| format!("{k}{a}")),
        (count_text(), unit_text()).prop_map(|(n, u)| format!("every{W}{n}{W}{u}")),
        date_text().prop_map(|d| format!("once{W}on{W}{d}")),
    ]
    .boxed()
}

fn list(items: BoxedStrategy<String>) -> BoxedStrategy<String> {
    prop::collection::vec(items, 1..4)
        .prop_map(|items| items.join(&format!("{N},{N}")))
        .boxed()
}

/// ` schedule` and ` guard`s, each part optional.
fn when_text(expr: BoxedStrategy<String>) -> BoxedStrategy<String> {
    let guard = (select(vec!["while", "if", "when", "unless"]), expr).prop_map(|(k, e)| format!("{W}{k}{W}{e}"));
    (prop::option::of(schedule_text()), prop::collection::vec(guard, 0..3))
        .prop_map(|(s, guards)| {
            let schedule = s.map(|s| format!("{W}{s}")).unwrap_or_default();
            format!("{schedule}{}", guards.concat())
        })
        .boxed()
}

fn statement_text() -> BoxedStrategy<String> {
    let (sum, expr) = expressions();
    let size = prop_oneof![
        1 => Just(String::new()),
        1 => Just(format!("all{W}")),
        1 => Just(format!("all{W}of{W}")),
        1 => sum.clone().prop_map(|s| format!("{s}{W}shares{W}of{W}")),
        1 => (sum.clone(), select(vec!["cash", "equity", "position"]))
            .prop_map(|(s, b)| format!("{s}{W}of{W}{b}{W}of{W}")),
        2 => sum.clone().prop_map(|s| format!("{s}{W}of{W}")),
        1 => (expr.clone(), select(vec!["USD", "KRW"])).prop_map(|(e, c)| format!("({e}){O}{c}{W}of{W}")),
    ];
    let trade = (select(vec!["buy", "sell"]), size, name_text(), when_text(expr.clone()))
        .prop_map(|(verb, size, symbol, when)| format!("{verb}{W}{size}{symbol}{when}"));
    let target = (
        prop_oneof![1 => Just("cash".to_string()), 4 => name_text()],
        sum.clone(),
    )
        .prop_map(|(h, w)| format!("{h}{W}{w}"))
        .boxed();
    let guards_only = prop::collection::vec(
        (select(vec!["while", "if", "when", "unless"]), expr.clone()).prop_map(|(k, e)| format!("{W}{k}{W}{e}")),
        0..2,
    )
    .prop_map(|g| g.concat());
    let rebalance = (
        prop::option::of(schedule_text()),
        list(target),
        prop::option::of(sum.clone()),
        guards_only.clone(),
    )
        .prop_map(|(s, targets, tol, guards)| {
            let s = s.map(|s| format!("{W}{s}")).unwrap_or_default();
            let tol = tol.map(|t| format!("{W}tolerance{W}{t}")).unwrap_or_default();
            format!("rebalance{s}{W}to{W}{targets}{tol}{guards}")
        });
    let weighted = (
        prop::option::of(schedule_text()),
        list(name_text()),
        prop::option::of(expr.clone()),
        prop::option::of(sum.clone()),
        guards_only.clone(),
    )
        .prop_map(|(s, names, by, tol, guards)| {
            let s = s.map(|s| format!("{W}{s}")).unwrap_or_default();
            let weighting = by.map_or_else(|| "equally".to_string(), |e| format!("by{W}{e}"));
            let tol = tol.map(|t| format!("{W}tolerance{W}{t}")).unwrap_or_default();
            format!("rebalance{s}{W}to{W}{names}{W}weighted{W}{weighting}{tol}{guards}")
        });
    let rotate = (
        prop::option::of(schedule_text()),
        select(vec!["top", "bottom"]),
        count_text(),
        list(name_text()),
        expr.clone(),
        guards_only,
    )
        .prop_map(|(s, rank, n, names, by, guards)| {
            let s = s.map(|s| format!("{W}{s}")).unwrap_or_default();
            format!("rotate{s}{W}to{W}{rank}{W}{n}{W}of{W}{names}{W}by{W}{by}{guards}")
        });
    let fee = (sum.clone(), any::<bool>()).prop_map(|(s, per)| if per { format!("{s}{W}per{W}trade") } else { s });
    let fees = prop::collection::vec((fee, select(vec![",".to_string(), format!("{W}and")])), 1..4).prop_map(|fees| {
        let mut out = String::from("fees");
        for (i, (fee, sep)) in fees.iter().enumerate() {
            out.push_str(if i == 0 { "" } else { sep });
            out.push(W);
            out.push_str(fee);
        }
        out
    });
    let settings = prop_oneof![
        string_text().prop_map(|s| format!("strategy{W}{s}")),
        string_text().prop_map(|s| format!("description{W}{s}")),
        (string_text(), prop::option::of(name_text()))
            .prop_map(|(s, a)| format!("data{W}{s}{}", a.map(|a| format!("{W}as{W}{a}")).unwrap_or_default())),
        (string_text(), name_text()).prop_map(|(s, a)| format!("data{W}{s}{W}as{W}series{W}{a}")),
        string_text().prop_map(|s| format!("use{W}{s}")),
        sum.clone().prop_map(|s| format!("capital{W}{s}")),
        (sum.clone(), schedule_text()).prop_map(|(s, k)| format!("contribute{W}{s}{W}{k}")),
        fees,
        sum.clone().prop_map(|s| format!("slippage{W}{s}")),
        list((name_text(), sum).prop_map(|(n, s)| format!("{n}{W}{s}")).boxed()).prop_map(|l| format!("expense{W}{l}")),
        Just(format!("fill{W}next{W}open")),
        Just(format!("fill{W}close")),
        name_text().prop_map(|n| format!("benchmark{W}{n}")),
        ("[A-Z]{3}", name_text()).prop_map(|(c, n)| format!("currency{W}{c}{W}using{W}{n}")),
        Just(format!("whole{W}shares")),
        Just(format!("fractional{W}shares")),
        (name_text(), number_text(), unit_text()).prop_map(|(s, n, u)| format!("lag{W}{s}{W}{n}{W}{u}")),
        name_text().prop_map(|n| format!("risk{W}free{W}{n}")),
        (date_text(), prop::option::of(date_text()))
            .prop_map(|(f, t)| { format!("from{W}{f}{}", t.map(|t| format!("{W}to{W}{t}")).unwrap_or_default()) }),
        date_text().prop_map(|t| format!("to{W}{t}")),
        (name_text(), expr).prop_map(|(n, e)| format!("let{W}{n}{O}={O}{e}")),
    ];
    // `sleeve NAME SHARE [rebalanced SCHEDULE]:`: the lines indented below it are inside.
    let sleeve = (name_text(), number_text(), prop::option::of(schedule_text())).prop_map(|(n, p, r)| {
        let r = r.map(|r| format!("{W}rebalanced{W}{r}")).unwrap_or_default();
        format!("sleeve{W}{n}{W}{p}%{r}:")
    });
    prop_oneof![2 => settings, 1 => trade, 1 => rebalance, 1 => weighted, 1 => rotate, 1 => sleeve].boxed()
}

fn comment_text() -> BoxedStrategy<String> {
    "#[a-zA-Z0-9 #\"`()\\\\]{0,16}[ \t]{0,2}".boxed()
}

fn line_text() -> BoxedStrategy<String> {
    prop_oneof![
        6 => (" {0,2}", statement_text(), prop::option::of(comment_text()), " {0,2}")
            .prop_map(|(indent, s, c, tail)| match c {
                Some(c) => format!("{indent}{s} {c}"),
                None => format!("{indent}{s}{tail}"),
            }),
        1 => (" {0,2}", comment_text()).prop_map(|(indent, c)| format!("{indent}{c}")),
        1 => "[ \t]{0,2}",
    ]
    .boxed()
}

/// A whole file: lines, maybe a final line ending, maybe CRLF, maybe a BOM.
fn file_text() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(line_text(), 0..10),
        prop::collection::vec(any::<u8>(), 1..64),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(lines, choices, final_newline, crlf, bom)| {
            let mut text = fill_space(&lines.join("\n"), &choices);
            if final_newline {
                text.push('\n');
            }
            if crlf {
                text = text.replace('\n', "\r\n");
            }
            if bom {
                text.insert(0, '\u{FEFF}');
            }
            text
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn formatting_a_valid_file_keeps_its_meaning(text in file_text()) {
        // The generator only writes valid files; check that first, so a generator mistake
        // reads as one.
        let (before, errors) = parse_file(&source(&text));
        prop_assert!(errors.is_empty(), "generated an invalid file {:?}: {:?}", text, errors);
        let out = format_file(&before);
        assert_canonical_layout(&out);
        let (after, errors) = parse_file(&source(&out));
        prop_assert!(errors.is_empty(), "formatted {:?} into invalid {:?}: {:?}", text, out, errors);
        let before = collapse_blank_lines(before);
        let same = ignoring_positions(|| after == before);
        prop_assert!(same, "formatted {:?} into {:?}:\n{:?}", text, out, after);
        // Which statements stand in which `sleeve` block is meaning too.
        prop_assert_eq!(after.depths(), before.depths(), "formatted {:?} into {:?}", text, out);
        prop_assert_eq!(format_file(&after), out);
    }
}

// ------------------------------------------------------------ trees built by code
//
// A tree built without `Group` nodes must print with the parentheses its shape needs: read
// back, it is the same tree once the parser's `Group` nodes are taken out.

fn span() -> Span {
    Span::default()
}

fn expr(kind: ExprKind) -> Expr {
    Expr { kind, span: span() }
}

fn num(text: &str) -> Num {
    Num {
        value: text
            .replace('_', "")
            .parse()
            .expect("the generator writes valid numbers"),
        text: text.to_string(),
    }
}

fn bare_name(text: String) -> Name {
    Name { text, span: span() }
}

fn name_value() -> BoxedStrategy<String> {
    prop_oneof![
        3 => "[A-Za-z_^][A-Za-z0-9_]{0,4}(\\.[A-Za-z0-9]{1,2})?",
        1 => "[0-9]{1,3}\\.[A-Z]{1,2}",
        1 => "[A-Za-z0-9 _.+-]{1,6}",
    ]
    .boxed()
}

fn leaf() -> BoxedStrategy<Expr> {
    let unit = select(vec![TimeUnit::Days, TimeUnit::Weeks, TimeUnit::Months, TimeUnit::Years]);
    prop_oneof![
        number_text().prop_map(|t| expr(ExprKind::Number(num(&t)))),
        number_text().prop_map(|t| {
            let n = num(&t);
            expr(ExprKind::Percent(Num {
                value: n.value / 100.0,
                text: t,
            }))
        }),
        (number_text(), prop::option::of("[A-Z]{3}")).prop_map(|(t, currency)| expr(ExprKind::Money {
            amount: num(&t),
            currency
        })),
        (number_text(), unit).prop_map(|(t, unit)| expr(ExprKind::Duration { amount: num(&t), unit })),
        any::<bool>().prop_map(|b| expr(ExprKind::Bool(b))),
        name_value().prop_map(|n| expr(ExprKind::Name(bare_name(n)))),
    ]
    .boxed()
}

fn tree() -> impl Strategy<Value = Expr> {
    let ops = vec![
        BinaryOp::Or,
        BinaryOp::And,
        BinaryOp::Lt,
        BinaryOp::Le,
        BinaryOp::Gt,
        BinaryOp::Ge,
        BinaryOp::Eq,
        BinaryOp::Ne,
        BinaryOp::CrossesAbove,
        BinaryOp::CrossesBelow,
        BinaryOp::Add,
        BinaryOp::Sub,
        BinaryOp::Mul,
        BinaryOp::Div,
    ];
    leaf().prop_recursive(6, 48, 3, move |inner| {
        prop_oneof![
            4 => (select(ops.clone()), inner.clone(), inner.clone()).prop_map(|(op, lhs, rhs)| expr(
                ExprKind::Binary { op, lhs: Box::new(lhs), rhs: Box::new(rhs) }
            )),
            2 => (select(vec![UnaryOp::Neg, UnaryOp::Not]), inner.clone())
                .prop_map(|(op, e)| expr(ExprKind::Unary { op, expr: Box::new(e) })),
            1 => (inner.clone(), 0..300u32).prop_map(|(e, bars)| expr(ExprKind::Lag { expr: Box::new(e), bars })),
            1 => (name_value(), prop::collection::vec(inner, 0..3))
                .prop_map(|(f, args)| expr(ExprKind::Call { func: bare_name(f), args })),
        ]
    })
}

fn strip_groups(e: &Expr) -> Expr {
    let kind = match &e.kind {
        ExprKind::Group(inner) => return strip_groups(inner),
        ExprKind::Call { func, args } => ExprKind::Call {
            func: func.clone(),
            args: args.iter().map(strip_groups).collect(),
        },
        ExprKind::Lag { expr, bars } => ExprKind::Lag {
            expr: Box::new(strip_groups(expr)),
            bars: *bars,
        },
        ExprKind::Unary { op, expr } => ExprKind::Unary {
            op: *op,
            expr: Box::new(strip_groups(expr)),
        },
        ExprKind::Binary { op, lhs, rhs } => ExprKind::Binary {
            op: *op,
            lhs: Box::new(strip_groups(lhs)),
            rhs: Box::new(strip_groups(rhs)),
        },
        other => other.clone(),
    };
    Expr { kind, span: e.span }
}

/// Every expression of the statements this test builds, with groups taken out.
fn expressions_of(file: &File) -> Vec<Expr> {
    file.statements()
        .map(|s| match &s.kind {
            StatementKind::Let { value, .. } => strip_groups(value),
            StatementKind::Capital(amount) => strip_groups(amount),
            StatementKind::Rule(Rule {
                action:
                    Action::Buy {
                        amount: Some(Amount::Value(v)),
                        ..
                    },
                ..
            }) => strip_groups(v),
            other => panic!("this test builds no {other:?}"),
        })
        .collect()
}

fn line(kind: StatementKind) -> Line {
    Line {
        statement: Some(Statement { kind, span: span() }),
        comment: None,
        span: span(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn a_tree_without_groups_reads_back_as_itself(e in tree()) {
        // The same tree where any expression fits (`let`) and where only a sum does
        // (`capital`, a `buy` amount).
        let file = File {
            lines: vec![
                line(StatementKind::Let { name: bare_name("x".into()), value: e.clone() }),
                line(StatementKind::Capital(e.clone())),
                line(StatementKind::Rule(Rule {
                    action: Action::Buy { amount: Some(Amount::Value(e.clone())), symbol: bare_name("cash".into()) },
                    schedule: None,
                    guards: Vec::new(),
                    cooldown: None,
                    exits: Vec::new(),
                    span: span(),
                })),
            ],
        };
        let out = format_file(&file);
        let (back, errors) = parse_file(&source(&out));
        prop_assert!(errors.is_empty(), "{:?} does not parse: {:?}", out, errors);
        let same = ignoring_positions(|| expressions_of(&back) == vec![e.clone(), e.clone(), e.clone()]);
        prop_assert!(same, "printed {:?} as {:?}, read back as {:?}", e, out, expressions_of(&back));
        // The symbol spelled like a fraction base must have kept its backticks.
        let symbol = back.statements().find_map(|s| match &s.kind {
            StatementKind::Rule(Rule { action: Action::Buy { symbol, .. }, .. }) => Some(symbol.text.clone()),
            _ => None,
        });
        prop_assert_eq!(symbol.as_deref(), Some("cash"));
    }
}

#[test]
fn sleeve_blocks_are_indented_two_spaces_a_level() {
    let text = "sleeve  outer 80%  rebalanced   yearly :\n\tbuy IWM monthly\n\t  sleeve inner 50%:\n\t\t\t\tbuy IWO monthly\n    # a comment inside\n\t\t\t\tsell IWO when IWO < 100\n\t rotate monthly to top 1 of IWM, IWO by return(3 months)\nbuy SPMD monthly\n";
    let out = fmt(text);
    assert_eq!(
        out,
        "sleeve outer 80% rebalanced yearly:\n  buy IWM monthly\n  sleeve inner 50%:\n    buy IWO monthly\n    # a comment inside\n    sell IWO when IWO < 100\n  rotate monthly to top 1 of IWM, IWO by return(3 months)\nbuy SPMD monthly\n"
    );
    assert_round_trip(text);
    assert_eq!(parse(text).depths(), [0, 1, 1, 2, 2, 2, 1, 0]);
    assert_eq!(parse(&out).depths(), parse(text).depths());
}

#[test]
fn computed_amounts_weights_and_series_files_print_in_canonical_form() {
    let messy = "\
data \"IRX.csv\"  as   series  irx
data \"a.csv\" as series `a-b` dates day-first
data \"b.csv\" as `series` dates day-first
buy (2*base)  USD of IWM monthly if cheap
buy (cash/10)KRW of IWM
sell (n+1) shares of IWM
buy (k*10%) of cash of IWM
rebalance monthly to IWM,IWO , IWN weighted   by 1/volatility(63 days) tolerance 5%
rebalance to IWM,
  IWO weighted equally unless x
let y = percent_rank(usdkrw,1 year)>80% and prev(UNRATE)<UNRATE
";
    let canonical = "\
data \"IRX.csv\" as series irx
data \"a.csv\" as series `a-b` dates day-first
data \"b.csv\" as `series` dates day-first
buy (2 * base) USD of IWM monthly if cheap
buy (cash / 10) KRW of IWM
sell (n + 1) shares of IWM
buy (k * 10%) of cash of IWM
rebalance monthly to IWM, IWO, IWN weighted by 1 / volatility(63 days) tolerance 5%
rebalance to IWM, IWO weighted equally unless x
let y = percent_rank(usdkrw, 1 year) > 80% and prev(UNRATE) < UNRATE
";
    assert_eq!(fmt(messy), canonical);
    ignoring_positions(|| assert_eq!(parse(canonical), collapse_blank_lines(parse(messy))));
    assert_eq!(fmt(canonical), canonical);
}
