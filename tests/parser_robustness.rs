//! No input may make the parser panic, overflow its stack or hang; bad input gets a
//! diagnostic whose span lies inside the file, and never more than `MAX_ERRORS` of them.
//!
//! Every test runs on a thread with a 2 MiB stack (the test harness's default, made
//! explicit so `RUST_MIN_STACK` cannot hide a deep recursion), and every diagnostic is
//! rendered with miette's graphical handler, as the CLI would, so a span that would make
//! rendering panic fails the test too.

use std::sync::Arc;

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme};
use rotor::source::{SourceFile, SourceMap};
use rotor::syntax::{self, MAX_ERRORS, MAX_NESTING, MAX_STATEMENT_BYTES, SyntaxError, ast::File};

/// The stack a test thread gets by default.
const TEST_STACK: usize = 2 * 1024 * 1024;

const MEGABYTE: usize = 1024 * 1024;

/// Valid lines of every statement kind, each on its own line.
const VALID_LINES: &[&str] = &[
    "strategy \"Rate-cut DCA\"",
    "description \"Buy small-cap growth (each month) while a cut is priced in.\"",
    "data \"../examples/data/etf_daily.csv\" as etf",
    "fomc \"../examples/fedwatch/fomc_meetings.csv\"",
    "use \"indicators/momentum.rhai\"",
    "capital 10000 USD",
    "contribute 500 USD monthly",
    "fees 0.05%, 1 USD per trade",
    "slippage 0.02%",
    "expense IWO 0.24%, VTWG 0.10%",
    "fill next open",
    "benchmark SPY",
    "currency KRW using usdkrw",
    "whole shares",
    "lag fed_cut_prob 1 day",
    "risk free `^IRX`",
    "from 2015-01-02 to 2024-12-31",
    "let threshold = 0.8",
    "buy 500 USD of IWO monthly while fed_cut_prob > threshold # the core rule",
    "buy VTWG monthly on day 15 if change(fed_funds_rate, 3 months) < 0",
    "buy 10% of cash of SPMD weekly on friday unless rsi(SPMD, 14) > 70",
    "sell all IWM when close(IWM) crosses below sma(IWM, 200 days)",
    "sell 50% of IWO when not (drawdown(IWO) > 25%) and -x[1] * 2 >= 1 - y",
    "rebalance quarterly to IWO 40%, IWN 30%, SPMD 30% tolerance 5% unless portfolio.drawdown > 20%",
    "rotate monthly to top 1 of IWO, IWN, SPMD by return(3 months)",
    "buy IWM once on 2025-09-17",
    "# a comment line",
    "",
];

/// What one parse produced, with the map its spans live in.
struct Parsed {
    map: SourceMap,
    file: Arc<SourceFile>,
    ast: File,
    errors: Vec<SyntaxError>,
}

/// Parses `text` as the second file of a map (so spans are global offsets, not local
/// ones), then checks what every parse must satisfy whatever the input.
fn parse(text: String) -> Parsed {
    let mut map = SourceMap::new();
    map.add("before.rotor", None, "buy IWO\n".to_string());
    let file = map.add("fuzzed.rotor", None, text);
    let (ast, errors) = syntax::parse_file(&file);
    assert!(
        errors.len() <= MAX_ERRORS,
        "{} errors, more than the cap of {MAX_ERRORS}",
        errors.len()
    );
    let file_end = file.base as usize + file.text.len();
    for error in &errors {
        let span = error.span();
        let owner = map.file_at(span.start).map(|f| f.name.as_str());
        assert_eq!(owner, Some("fuzzed.rotor"), "{error:?} points outside its file");
        assert!(span.end as usize <= file_end, "{error:?} runs past the end of the file");
        let local = (span.start - file.base) as usize..(span.end - file.base) as usize;
        assert!(
            file.text.get(local).is_some(),
            "{error:?} does not start and end on character boundaries"
        );
        assert_eq!(map.slice(span).len(), span.len(), "{error:?} is cut short by the map");
    }
    render_all(&map, &errors);
    Parsed { map, file, ast, errors }
}

/// Renders every error as the CLI would; a bad span panics here.
fn render_all(map: &SourceMap, errors: &[SyntaxError]) {
    let handler = GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor());
    for error in errors {
        let report = miette::Report::new(error.clone()).with_source_code(map.clone());
        let mut out = String::new();
        handler
            .render_report(&mut out, report.as_ref())
            .expect("rendering into a String cannot fail");
        assert!(out.contains(&code(error)), "the rendering lost the code: {out}");
    }
}

/// Runs `test` on a thread with the default test stack and propagates its panic.
fn on_test_stack(test: impl FnOnce() + Send + 'static) {
    let thread = std::thread::Builder::new()
        .stack_size(TEST_STACK)
        .spawn(test)
        .expect("spawning a test thread");
    if let Err(panic) = thread.join() {
        std::panic::resume_unwind(panic);
    }
}

fn code(error: &SyntaxError) -> String {
    error.code().map(|c| c.to_string()).unwrap_or_default()
}

fn codes(errors: &[SyntaxError]) -> Vec<String> {
    errors.iter().map(code).collect()
}

/// A fixed-seed linear congruential generator (Knuth's MMIX constants), so the "random"
/// inputs are the same on every run.
struct Lcg(u64);

impl Lcg {
    fn next_byte(&mut self) -> u8 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 56) as u8
    }

    fn below(&mut self, n: usize) -> usize {
        let wide = (u16::from(self.next_byte()) << 8) | u16::from(self.next_byte());
        usize::from(wide) % n
    }
}

// ------------------------------------------------------------ large inputs

#[test]
fn a_megabyte_of_valid_lines_parses_without_errors() {
    on_test_stack(|| {
        let mut text = String::new();
        let mut statements = 0;
        while text.len() < MEGABYTE {
            for line in VALID_LINES {
                text.push_str(line);
                text.push('\n');
                statements += usize::from(!line.is_empty() && !line.starts_with('#'));
            }
        }
        let physical_lines = text.matches('\n').count();
        let parsed = parse(text);
        assert_eq!(codes(&parsed.errors), Vec::<String>::new());
        assert_eq!(parsed.ast.statements().count(), statements);
        assert_eq!(parsed.ast.lines.len(), physical_lines);
    });
}

#[test]
fn a_megabyte_of_garbage_reports_at_most_the_cap() {
    on_test_stack(|| {
        let garbage = [
            "@@ ((( buy buy ]] \"unterminated",
            "rebalance to to to , , ,",
            "let = = = )))",
            "buy $$$ of of of while while",
            "fees 1% and and",
            "once on 9999-99-99",
            "rotate to top 99999999999999999999 of X by y",
            "`",
            "sell `` IWO",
            "}{][)(",
        ];
        let mut text = String::new();
        while text.len() < MEGABYTE {
            for line in garbage {
                text.push_str(line);
                text.push('\n');
            }
        }
        let parsed = parse(text);
        // Every line is wrong, so the cap is reached.
        assert_eq!(parsed.errors.len(), MAX_ERRORS);
    });
}

#[test]
fn random_bytes_do_not_break_the_parser() {
    on_test_stack(|| {
        let mut lcg = Lcg(0x5EED);
        let bytes: Vec<u8> = (0..64 * 1024).map(|_| lcg.next_byte()).collect();
        let parsed = parse(String::from_utf8_lossy(&bytes).into_owned());
        // Random bytes are not UTF-8; that is said once, at the first bad byte.
        assert_eq!(codes(&parsed.errors), ["rotor::syntax::not_text"]);
        let first_bad = std::str::from_utf8(&bytes).expect_err("random bytes").valid_up_to();
        assert_eq!(
            parsed.errors[0].span().start as usize,
            parsed.file.base as usize + first_bad
        );
    });
}

#[test]
fn random_ascii_does_not_break_the_parser() {
    on_test_stack(|| {
        let mut lcg = Lcg(42);
        let bytes: Vec<u8> = (0..64 * 1024).map(|_| lcg.next_byte() & 0x7f).collect();
        let text = String::from_utf8(bytes).expect("bytes below 0x80 are ASCII");
        let parsed = parse(text);
        assert!(!parsed.errors.is_empty());
    });
}

#[test]
fn random_tokens_do_not_break_the_parser() {
    // Near-valid input reaches deeper into the grammar than random bytes do.
    const TOKENS: &[&str] = &[
        "buy",
        "sell",
        "rebalance",
        "rotate",
        "let",
        "fees",
        "expense",
        "x",
        "IWO",
        "`BRK-B`",
        "=",
        "(",
        ")",
        "[1]",
        ",",
        "and",
        "or",
        "not",
        "-",
        "+",
        "*",
        "/",
        ">",
        "crosses",
        "above",
        "1",
        "40%",
        "$5",
        "500 USD",
        "3 months",
        "monthly",
        "on",
        "day",
        "15",
        "while",
        "to",
        "of",
        "top",
        "by",
        "\"s\"",
        "\"",
        "#",
        "\\",
        "\n",
        "\r\n",
        "\r",
        " ",
        "\t",
        "2025-09-17",
        "f(",
        "\u{FEFF}",
        "é",
        "\0",
    ];
    on_test_stack(|| {
        let mut lcg = Lcg(7);
        for _ in 0..200 {
            let mut text = String::new();
            for _ in 0..lcg.below(300) {
                text.push_str(TOKENS[lcg.below(TOKENS.len())]);
                if lcg.below(3) > 0 {
                    text.push(' ');
                }
            }
            parse(text);
        }
    });
}

#[test]
fn a_megabyte_on_one_line_is_refused_at_the_statement_limit() {
    on_test_stack(|| {
        let long = "a".repeat(MEGABYTE);
        for text in [
            format!("# {long}"),
            format!("strategy \"{long}\""),
            format!("buy {long} monthly"),
            format!("let x = `{long}`"),
            long.clone(),
            format!("let x = y[{}]", "9".repeat(MEGABYTE)),
            format!("let x = f({})", vec!["1"; MEGABYTE / 3].join(", ")),
        ] {
            let parsed = parse(text);
            assert_eq!(codes(&parsed.errors), ["rotor::syntax::too_long"]);
            // The fuzzed file starts after `buy IWO\n` and a separating byte.
            assert_eq!(parsed.errors[0].span().start as usize, 9 + MAX_STATEMENT_BYTES);
        }
        // Just under the limit, the same lines parse.
        let under = "a".repeat(MAX_STATEMENT_BYTES - 20);
        for text in [
            format!("# {under}"),
            format!("strategy \"{under}\""),
            format!("buy {under} monthly"),
        ] {
            let parsed = parse(text);
            assert_eq!(codes(&parsed.errors), Vec::<String>::new());
            assert_eq!(parsed.ast.lines.len(), 1);
        }
    });
}

#[test]
fn a_statement_continued_past_the_limit_is_too_long() {
    on_test_stack(|| {
        // A list may go on over lines ending in `,`; together they are one statement.
        let symbols: Vec<String> = (0..5_000).map(|i| format!("S{i}")).collect();
        let parsed = parse(format!(
            "rotate monthly to top 1 of {} by return(3 months)",
            symbols.join(",\n")
        ));
        assert_eq!(codes(&parsed.errors), ["rotor::syntax::too_long"]);
    });
}

#[test]
fn blank_lines_inside_a_list_count_toward_the_statement_limit() {
    on_test_stack(|| {
        // A list goes on over any number of blank lines, after a trailing `,` or `and` or
        // before a leading one; the blank lines are bytes of the statement like any other.
        let forms: [(&str, &str); 4] = [
            ("fees 1%,", " 2%"),
            ("fees 1% and", " 2%"),
            ("fees 1%", ", 2%"),
            ("fees 1%", " and 2%"),
        ];
        for (head, tail) in forms {
            let statement = |blank: usize| format!("{head}{}{tail}\n", "\n".repeat(blank + 1));
            // The most blank lines that keep the statement within the limit: it parses.
            let most = MAX_STATEMENT_BYTES - head.len() - tail.len() - 2;
            assert_eq!(statement(most).len(), MAX_STATEMENT_BYTES);
            let parsed = parse(format!("{}buy X monthly\n", statement(most)));
            assert_eq!(codes(&parsed.errors), Vec::<String>::new(), "{head:?} {most} {tail:?}");
            assert_eq!(parsed.ast.lines.len(), 2, "{head:?} {most} {tail:?}");
            // One more, and far more: the statement is too long, and said so once (its
            // last line is not read as a statement of its own). The next line is read.
            for blank in [most + 1, 16_383, 16_384, 100_000] {
                let parsed = parse(format!("{}buy X monthly\n", statement(blank)));
                assert_eq!(
                    codes(&parsed.errors),
                    ["rotor::syntax::too_long"],
                    "{head:?} {blank} {tail:?}"
                );
                assert_eq!(parsed.ast.lines.len(), 1, "{head:?} {blank} {tail:?}");
                let message = parsed.errors[0].to_string();
                let length = statement(blank).len();
                let lines = blank + 2;
                assert!(
                    message.starts_with(&format!("this statement of {lines} lines is {length} bytes long")),
                    "{message}"
                );
            }
        }
    });
}

// ------------------------------------------------------------ deep inputs

#[test]
fn ten_thousand_nested_parentheses_are_too_deep() {
    on_test_stack(|| {
        let n = 10_000;
        let nested = format!("{}1{}", "(".repeat(n), ")".repeat(n));
        let prefix = "let x = ";
        let parsed = parse(format!("{prefix}{nested}\n"));
        assert_eq!(codes(&parsed.errors), ["rotor::syntax::too_deep"]);
        // The label sits on the first bracket past the limit.
        let at = parsed.errors[0].span().start - parsed.file.base;
        assert_eq!(at as usize, prefix.len() + MAX_NESTING);
        assert_eq!(parsed.map.slice(parsed.errors[0].span()), "(");
    });
}

#[test]
fn nesting_right_at_the_limit_parses() {
    on_test_stack(|| {
        let nested = format!("{}1{}", "(".repeat(MAX_NESTING), ")".repeat(MAX_NESTING));
        let parsed = parse(format!("let x = {nested}\n"));
        assert_eq!(codes(&parsed.errors), Vec::<String>::new());
        let one_more = format!("({nested})");
        let parsed = parse(format!("let x = {one_more}\n"));
        assert_eq!(codes(&parsed.errors), ["rotor::syntax::too_deep"]);
    });
}

#[test]
fn deep_nesting_is_caught_wherever_the_grammar_allows_brackets() {
    on_test_stack(|| {
        let n = 10_000;
        let deep = format!("{}1{}", "(".repeat(n), ")".repeat(n));
        let calls = format!("{}1{}", "f(".repeat(n), ")".repeat(n));
        let cases = [
            // Nested calls.
            format!("let x = {calls}"),
            // A continuation line: the statement goes on after a trailing backslash.
            format!("let x = 1 + \\\n{deep}"),
            // Lists may continue with a comma at the start of the next line.
            format!("fees 1%\n, {deep}"),
            format!("fees 1%\n\n  and {deep}"),
            format!("rebalance to IWO 40%\n, IWN {deep}"),
            format!("expense IWO 1%\n, IWN {deep}"),
            // A `"` inside a quoted name does not open a string.
            format!("let x = `a\"b` + {deep}"),
            // Brackets inside a quoted name do not close anything.
            format!("let x = f(`)`\n, {deep})"),
            // `\r` alone ends a line for the grammar.
            format!("let x = 1\r\rlet y = {deep}"),
        ];
        for text in cases {
            let parsed = parse(text.clone());
            assert!(
                codes(&parsed.errors).contains(&"rotor::syntax::too_deep".to_string()),
                "no too_deep error for {:?}…: {:?}",
                &text[..40],
                codes(&parsed.errors)
            );
        }
    });
}

#[test]
fn a_hundred_thousand_nots_are_too_complex() {
    on_test_stack(|| {
        let parsed = parse(format!("buy X while {}x", "not ".repeat(2_000)));
        assert_eq!(codes(&parsed.errors), ["rotor::syntax::too_complex"]);
    });
}

#[test]
fn a_hundred_thousand_terms_are_too_complex() {
    on_test_stack(|| {
        let terms = vec!["1"; 4_000].join("+");
        let parsed = parse(format!("let x = {terms}"));
        assert_eq!(codes(&parsed.errors), ["rotor::syntax::too_complex"]);
    });
}

#[test]
fn long_minus_chains_are_too_complex() {
    on_test_stack(|| {
        for chain in [
            // Unary minus: `- - - … 1`.
            format!("{}1", "- ".repeat(4_000)),
            format!("{}1", "-".repeat(4_000)),
            // Binary minus: `1-1-…-1`.
            vec!["1"; 4_000].join("-"),
            // Both: `1 - -1 - -1 …`.
            vec!["1"; 2_000].join(" - -"),
        ] {
            let parsed = parse(format!("let x = {chain}"));
            assert_eq!(codes(&parsed.errors), ["rotor::syntax::too_complex"]);
        }
    });
}

#[test]
fn long_lag_chains_are_too_complex() {
    on_test_stack(|| {
        let parsed = parse(format!("let x = y{}", "[1]".repeat(4_000)));
        assert_eq!(codes(&parsed.errors), ["rotor::syntax::too_complex"]);
    });
}

#[test]
fn many_call_arguments_parse() {
    on_test_stack(|| {
        let args = vec!["1"; 5_000].join(", ");
        let parsed = parse(format!("let x = f({args})"));
        assert_eq!(codes(&parsed.errors), Vec::<String>::new());
    });
}

#[test]
fn complexity_is_counted_per_expression() {
    on_test_stack(|| {
        // 64 operators in each of two guards: each expression is under the limit, so the
        // line parses although the line as a whole holds more than 128 operators.
        let half = vec!["x"; 65].join(" + ");
        let parsed = parse(format!("buy X while {half} > 0 unless {half} > 0"));
        assert_eq!(codes(&parsed.errors), Vec::<String>::new());
        // Under the limit, a chain of `not`s is fine.
        let parsed = parse(format!("buy X while {}x", "not ".repeat(100)));
        assert_eq!(codes(&parsed.errors), Vec::<String>::new());
    });
}

// ------------------------------------------------------------ odd files

/// A file of only line breaks is blank: one blank line in the tree however many there are
/// (the parser reads a run of blank lines in one scan, without pest; a megabyte of them took
/// 360 MB and seconds when each was a `Line` of its own, parsed by pest), spanning the first.
#[test]
fn a_file_of_only_line_breaks_is_one_blank_line() {
    on_test_stack(|| {
        for newline in ["\r\n", "\n", "\r", " \t\n", "\t\r\n"] {
            let parsed = parse(newline.repeat(MEGABYTE / newline.len()));
            assert_eq!(codes(&parsed.errors), Vec::<String>::new());
            assert_eq!(parsed.ast.statements().count(), 0);
            assert_eq!(parsed.ast.lines.len(), 1, "lines of {newline:?}");
            let blank = newline.trim_end_matches(['\r', '\n']).len();
            let span = parsed.ast.lines[0].span;
            assert_eq!(span.start as usize, parsed.file.base as usize, "{newline:?}");
            assert_eq!(span.len(), blank, "the first line's blanks: {newline:?}");
        }
    });
}

/// Between statements, a run of blank lines is one blank line too, and the statement after
/// it keeps its indentation (which says which sleeve it stands in).
#[test]
fn blank_lines_between_statements_are_one_blank_line() {
    on_test_stack(|| {
        let blanks = "\n  \n".repeat(100_000);
        let parsed = parse(format!("sleeve a 50%:\n{blanks}  buy IWM monthly\n\nbuy IWO monthly"));
        assert_eq!(codes(&parsed.errors), Vec::<String>::new());
        assert_eq!(parsed.ast.lines.len(), 5);
        assert_eq!(parsed.ast.depths(), vec![0, 0, 1, 0, 0]);
        let rule = parsed.ast.lines[2].statement.as_ref().expect("the indented rule");
        assert_eq!(rule.span.start - parsed.ast.lines[2].span.start, 2, "its indentation");
    });
}

#[test]
fn a_byte_order_mark_alone_is_an_empty_file() {
    on_test_stack(|| {
        let parsed = parse("\u{FEFF}".to_string());
        assert_eq!(codes(&parsed.errors), Vec::<String>::new());
        assert_eq!(parsed.ast.lines.len(), 0);
        let parsed = parse("\u{FEFF}buy IWO\r\n".to_string());
        assert_eq!(codes(&parsed.errors), Vec::<String>::new());
        assert_eq!(parsed.ast.statements().count(), 1);
        // A second mark is not a statement.
        let parsed = parse("\u{FEFF}\u{FEFF}buy IWO".to_string());
        assert_eq!(parsed.errors.len(), 1);
    });
}

#[test]
fn nul_bytes_are_errors_not_crashes() {
    on_test_stack(|| {
        let parsed = parse("\0".repeat(1_000));
        assert_eq!(parsed.errors.len(), 1);
        let parsed = parse("buy IWO\0 monthly\nsell\0\nlet x = \"\0\"\n\0".to_string());
        assert_eq!(parsed.errors.len(), 4);
        // A NUL inside a string is just a character.
        let parsed = parse("strategy \"a\0b\"".to_string());
        assert_eq!(codes(&parsed.errors), Vec::<String>::new());
    });
}

#[test]
fn errors_are_capped_at_max_errors() {
    on_test_stack(|| {
        let parsed = parse("bogus\n".repeat(10_000));
        assert_eq!(parsed.errors.len(), MAX_ERRORS);
        // The cap counts every kind of error, not only unknown statements.
        let parsed = parse("once on 2025-02-30\nbuy X once on 2025-13-01\n".repeat(1_000));
        assert_eq!(parsed.errors.len(), MAX_ERRORS);
    });
}

#[test]
fn unbalanced_brackets_in_quoted_names_do_not_make_parsing_quadratic() {
    // Each line is valid, but counting the brackets in its name would make every line look
    // unclosed and every line's statement run to the end of the file.
    on_test_stack(|| {
        let lines = 20_000;
        let parsed = parse("buy `)(`\n".repeat(lines));
        assert_eq!(codes(&parsed.errors), Vec::<String>::new());
        assert_eq!(parsed.ast.statements().count(), lines);
    });
}

#[test]
fn many_unclosed_lines_do_not_make_parsing_quadratic() {
    on_test_stack(|| {
        // Each line opens a bracket it never closes, so each statement could run on; the
        // cap on errors bounds how often that is tried.
        let parsed = parse("let x = )(\n".repeat(100_000));
        assert_eq!(parsed.errors.len(), MAX_ERRORS);
    });
}

#[test]
fn errors_at_the_very_end_have_valid_spans() {
    on_test_stack(|| {
        for text in [
            "buy",
            "buy ",
            "let x =",
            "let x = (",
            "strategy \"",
            "é",
            "buy é",
            "let x = 1 +\\",
            "`",
        ] {
            let parsed = parse(text.to_string());
            assert_eq!(parsed.errors.len(), 1, "{text:?}: {:?}", codes(&parsed.errors));
        }
    });
}
