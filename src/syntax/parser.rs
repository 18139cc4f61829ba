//! Text → AST. The only module that sees pest types.
//!
//! The file is parsed one logical line at a time with the grammar's `line` rule, so a
//! mistake on one line is reported and the next line is parsed as if nothing happened: all
//! errors of a file are found in one pass, in time linear in the file's size. Each
//! `parse_<rule>` function mirrors a grammar rule and turns its pair into an AST node at once
//! (tera v1's style).

use pest::Parser as _;
use pest::error::{ErrorVariant, InputLocation};
use pest::iterators::Pair;

use super::ast::*;
use super::error::SyntaxError;
use super::expected::{STATEMENT_KEYWORDS, describe};
use super::extent::{Extent, Inside};
use crate::calendar::Exchange;
use crate::source::{SourceFile, Span};
use crate::suggest::{did_you_mean, offer};

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/rotor.pest"]
pub(crate) struct RotorParser;

/// Brackets nested deeper than this are refused before pest sees them.
pub const MAX_NESTING: usize = 32;
/// Expressions deeper than this (operators inside operators) are refused.
pub const MAX_DEPTH: usize = 128;
/// Errors after this many in one file are not reported (a binary file would give thousands).
pub const MAX_ERRORS: usize = 50;
/// The smallest number literal refused: 10^13. Below it an amount of money is kept to the
/// cent in f64 (the spacing of f64 values is 2^-9 ≈ 0.002 at 10^13, and passes a cent only
/// above 2^46 ≈ 7.0 × 10^13); a literal of hundreds of digits would be infinite.
pub const MAX_NUMBER: f64 = 1e13;
/// [`MAX_NUMBER`] less one, as messages write it.
const MAX_NUMBER_TEXT: &str = "9,999,999,999,999 (13 digits)";
/// Bytes in one statement (a line and the lines that continue it): pest keeps a token queue
/// of a few hundred bytes per byte of the statement it parses, so this bounds the memory a
/// file can make the parser take (a 10 MB expression line took 5 GB).
pub const MAX_STATEMENT_BYTES: usize = 16 * 1024;

/// Parses a whole file. Returns every line that parsed, and every error found.
pub fn parse_file(file: &SourceFile) -> (File, Vec<SyntaxError>) {
    let text = file.text.as_str();
    let base = file.base as usize;
    let mut lines = Vec::new();
    let mut errors = Vec::new();
    if let Some(bad) = text.find('\u{FFFD}') {
        // A source without a path is a REPL input (or an editor's unsaved buffer).
        let (what, help) = match file.path {
            Some(_) => ("the file", "strategy files are plain text; save the file as UTF-8"),
            None => (
                "this input",
                "rotor reads UTF-8 text: type or paste the line again as UTF-8",
            ),
        };
        errors.push(SyntaxError::NotText {
            what,
            span: Span::new(base + bad, base + bad + 3),
            help,
        });
        return (File { lines }, errors);
    }
    // A comment starting at byte `at`, to the end of its line (at least one byte).
    let comment_span = |at: usize| {
        let line_end = next_line(text, at);
        Span::new(base + at, base + line_end.saturating_sub(1).max(at + 1))
    };
    let mut pos = if text.starts_with('\u{FEFF}') { 3 } else { 0 };
    while pos < text.len() && errors.len() < MAX_ERRORS {
        // Blank lines are read here, not by pest (whose start-up and try at every statement
        // cost microseconds a line), and a run of them is one blank `Line` with the first
        // one's span: a file of a million blank lines is one scan and one `Line`.
        if let Some((content_end, mut next)) = blank_line(text, pos) {
            while let Some((_, after)) = blank_line(text, next).filter(|_| next < text.len()) {
                next = after;
            }
            lines.push(Line {
                statement: None,
                comment: None,
                span: Span::new(base + pos, base + content_end),
            });
            pos = next;
            continue;
        }
        let extent = Extent::scan(text, pos);
        if let Some(deep) = extent.too_deep {
            errors.push(SyntaxError::TooDeep {
                limit: MAX_NESTING,
                span: Span::new(base + deep, base + deep + 1),
            });
            pos = extent.end;
            continue;
        }
        // pest never sees more than MAX_STATEMENT_BYTES of one statement.
        let line_end = next_line(text, pos);
        let cut = (extent.end - pos > MAX_STATEMENT_BYTES).then(|| floor_boundary(text, pos + MAX_STATEMENT_BYTES));
        let too_long = |errors: &mut Vec<SyntaxError>, at: usize| {
            let next = text[at..].chars().next().map_or(0, char::len_utf8);
            let lines = text[pos..extent.end].trim_end_matches(['\n', '\r']).split('\n').count();
            errors.push(SyntaxError::TooLong {
                what: match lines {
                    1 => "line".to_string(),
                    n => format!("statement of {n} lines"),
                },
                length: extent.end - pos,
                limit: MAX_STATEMENT_BYTES,
                span: Span::new(base + at, base + at + next),
            });
        };
        if let Some(at) = cut
            && line_end > at
        {
            // The first line alone is too long.
            too_long(&mut errors, at);
            pos = extent.end;
            continue;
        }
        // A statement that goes on inside parentheses is parsed with those line breaks
        // made spaces (same offsets); pest's expressions stay on one line otherwise.
        let inside = cut.is_none().then(|| Inside::scan(&text[pos..extent.end]));
        let joined = match &inside {
            None => None,
            Some(inside) => match inside.joined(&text[pos..extent.end]) {
                Ok(joined) => joined,
                Err(comment) => {
                    errors.push(SyntaxError::CommentInParentheses {
                        span: comment_span(pos + comment),
                    });
                    pos = extent.end;
                    continue;
                }
            },
        };
        // A comment with more of the statement after it (`IWO 50%,  # first⏎ IWN 50%`).
        if let Some(comment) = inside.as_ref().and_then(Inside::comment_before_more) {
            errors.push(SyntaxError::CommentInStatement {
                span: comment_span(pos + comment),
            });
            pos = extent.end;
            continue;
        }
        let input = joined.as_deref().unwrap_or(&text[pos..cut.unwrap_or(text.len())]);
        match RotorParser::parse(Rule::line, input) {
            // Cut short, the statement parsed up to the cut, or ended before it where the
            // rest carries it on (a list going on after thousands of blank lines): it goes
            // on past the limit.
            Ok(pairs) if cut.is_some() && pairs.peek().is_some_and(|p| pos + p.as_span().end() < extent.end) => {
                too_long(&mut errors, cut.unwrap_or(pos));
                pos = extent.end;
            }
            Ok(mut pairs) => {
                let pair = pairs.next().expect("a successful `line` parse yields the line pair");
                let consumed = pair.as_span().end();
                let mut builder = Builder {
                    off: base + pos,
                    errors: &mut errors,
                };
                if let Some(line) = builder.parse_line(pair) {
                    lines.push(line);
                }
                // `line` always consumes at least a line ending unless at the end of input.
                pos = if consumed == 0 { text.len() } else { pos + consumed };
            }
            Err(error) => {
                let at = match error.location {
                    InputLocation::Pos(p) => p,
                    InputLocation::Span((s, _)) => s,
                };
                match cut {
                    // A mistake past the statement's first line, in a statement cut short:
                    // the statement is too long (what pest saw there is not what is written).
                    Some(cut) if pos + at >= line_end => {
                        too_long(&mut errors, cut);
                        pos = extent.end;
                    }
                    _ => {
                        errors.push(convert_error(text, pos, pos + at, base, &error.variant));
                        // A joined statement is wrong as a whole: its later lines are not
                        // statements of their own.
                        pos = if joined.is_some() {
                            extent.end
                        } else {
                            next_line(text, pos + at)
                        };
                    }
                }
            }
        }
    }
    (File { lines }, errors)
}

/// When the physical line starting at `pos` is blank (spaces and tabs only): where its
/// content ends (before its line break) and where the next line starts. A line break is
/// `\n`, `\r\n` or `\r`, as the grammar's `NEWLINE`.
fn blank_line(text: &str, pos: usize) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let end = pos + bytes[pos..].iter().take_while(|b| matches!(b, b' ' | b'\t')).count();
    match bytes.get(end) {
        None => Some((end, end)),
        Some(b'\n') => Some((end, end + 1)),
        Some(b'\r') if bytes.get(end + 1) == Some(&b'\n') => Some((end, end + 2)),
        Some(b'\r') => Some((end, end + 1)),
        Some(_) => None,
    }
}

/// The largest character boundary of `text` at or before `at`.
fn floor_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Start of the physical line after the one containing `at`.
fn next_line(text: &str, at: usize) -> usize {
    text[at.min(text.len())..].find('\n').map_or(text.len(), |i| at + i + 1)
}

/// Turns pest's error into one a user can act on.
fn convert_error(text: &str, line_start: usize, at: usize, base: usize, variant: &ErrorVariant<Rule>) -> SyntaxError {
    let rest = &text[at.min(text.len())..];
    let word_len = rest
        .char_indices()
        .find(|(_, c)| !(c.is_alphanumeric() || matches!(c, '_' | '.' | '^')))
        .map_or(rest.len(), |(i, _)| i);
    let (found, len) = if word_len > 0 {
        (format!("`{}`", &rest[..word_len]), word_len)
    } else {
        match rest.chars().next() {
            None => ("end of file".to_string(), 0),
            Some('\n' | '\r') => ("end of line".to_string(), 0),
            Some(c) => (format!("`{c}`"), c.len_utf8()),
        }
    };
    let span = Span::new(base + at, base + at + len);
    let word = &rest[..word_len];

    // An opening quote with no closing one on its line.
    let line_end = text[line_start..].find('\n').map_or(text.len(), |i| line_start + i);
    let line = &text[line_start..line_end];
    if let Some(open) = unterminated_quote(line) {
        return SyntaxError::UnterminatedString {
            span: Span::new(base + line_start + open, base + line_end),
        };
    }

    // An opening parenthesis never closed on this line.
    if (found == "end of line" || found == "end of file")
        && let Some(i) = unclosed_parenthesis(line)
    {
        return SyntaxError::Unclosed {
            span: Span::new(base + line_start + i, base + line_start + i + 1),
        };
    }

    // A time after a date (`from 2024-03-04 09:30`, minute data): dates are whole days.
    let time_len = time_of_day(rest);
    if time_len > 0 && ends_with_date(text[line_start..at].trim_end()) {
        return SyntaxError::TimeOfDay {
            time: rest[..time_len].to_string(),
            span: Span::new(base + at, base + at + time_len),
        };
    }

    let positives: &[Rule] = match variant {
        ErrorVariant::ParsingError { positives, .. } => positives,
        ErrorVariant::CustomError { .. } => &[],
    };
    let at_statement_start = text[line_start..at].trim().is_empty() || text[line_start..at].trim() == "\u{FEFF}";
    if at_statement_start && word_len > 0 {
        let help = if matches!(word, "and" | "or") {
            // A condition carried on to the next line: only parentheses let it go on.
            format!(
                "a condition goes on to the next line only inside parentheses: \
                 `buy IWO monthly while (close(IWO) > 100 {word}⏎ fed_cut_prob > 0.8)`, \
                 or write it on one line"
            )
        } else {
            match did_you_mean(word, STATEMENT_KEYWORDS.iter().copied()) {
                Some(best) => offer(best),
                None => "a line starts with a statement such as `buy`, `sell`, `rebalance`, `rotate`, `let`, \
                         `capital`, `contribute` or `data`, or with `#` for a comment"
                    .to_string(),
            }
        };
        return SyntaxError::UnknownStatement {
            word: word.to_string(),
            span,
            help,
        };
    }

    let mut keywords: Vec<&str> = Vec::new();
    for rule in positives {
        keywords.extend_from_slice(describe(*rule).1);
    }
    let best = if word_len > 0 {
        did_you_mean(word, keywords.iter().copied())
    } else {
        None
    };
    let expected = expected_words(positives, best);
    let reserved = super::RESERVED.contains(&word)
        && positives
            .iter()
            .any(|r| matches!(r, Rule::name | Rule::plain_name | Rule::quoted_name | Rule::digit_name));
    let guard_after_with = matches!(word, "if" | "when" | "while" | "unless")
        && text[line_start..at].split_whitespace().any(|w| w == "with");
    let help = if reserved {
        Some(format!(
            "`{word}` is a reserved word: choose another name, or write it in backticks: `` `{word}` ``"
        ))
    } else if let Some(full) = exponent_number(rest) {
        Some(match full.parse::<f64>() {
            Ok(value) if value < MAX_NUMBER => {
                format!("numbers are written without an exponent: write `{full}` (`_` may group digits: `1_000_000`)")
            }
            _ => format!("numbers are written without an exponent, and are at most {MAX_NUMBER_TEXT}"),
        })
    } else if guard_after_with {
        Some(format!(
            "guards (`if`, `when`, `while`, `unless`) go before `with`: write the `{word} …` part first, \
             as in `buy IWM monthly {word} … with stop loss 10%`"
        ))
    } else {
        best.map(offer).or_else(|| super::shape::hint(line, at - line_start))
    };
    SyntaxError::Unexpected {
        found,
        expected,
        span,
        help,
    }
}

/// The length of the time of day (`09:30`, `9:30`, `09:30:15`) at the start of `rest`, or 0.
fn time_of_day(rest: &str) -> usize {
    let b = rest.as_bytes();
    let digits = |from: usize| b[from.min(b.len())..].iter().take_while(|c| c.is_ascii_digit()).count();
    let hours = digits(0);
    if !(1..=2).contains(&hours) || b.get(hours) != Some(&b':') || digits(hours + 1) != 2 {
        return 0;
    }
    let mut len = hours + 3;
    if b.get(len) == Some(&b':') && digits(len + 1) == 2 {
        len += 3;
    }
    let ends_word = b
        .get(len)
        .is_none_or(|c| !(c.is_ascii_alphanumeric() || matches!(c, b'_' | b':')));
    if ends_word { len } else { 0 }
}

/// Whether `before` ends with a date written `YYYY-MM-DD`.
fn ends_with_date(before: &str) -> bool {
    let b = before.as_bytes();
    b.len() >= 10 && {
        let d = &b[b.len() - 10..];
        let shape = d.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        });
        shape && (b.len() == 10 || !b[b.len() - 11].is_ascii_alphanumeric())
    }
}

/// The number written with an exponent at the start of `rest` (`1e15`, `2.5E-3`), in full
/// (`1000000000000000`, `0.0025`); `None` when `rest` does not start with one.
fn exponent_number(rest: &str) -> Option<String> {
    let token = rest
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ')' | '%'))
        .next()?;
    let mantissa_end = token.find(['e', 'E'])?;
    let digits = |t: &str| !t.is_empty() && t.chars().all(|c| c.is_ascii_digit() || c == '.');
    let exponent = token[mantissa_end + 1..].trim_start_matches(['+', '-']);
    if !digits(&token[..mantissa_end]) || !exponent.chars().all(|c| c.is_ascii_digit()) || exponent.is_empty() {
        return None;
    }
    let value: f64 = token.parse().ok()?;
    // Rust writes every finite f64 in full, without an exponent.
    value.is_finite().then(|| format!("{value}"))
}

/// Offset of the last `(` on a line (before any comment) that no `)` closes.
fn unclosed_parenthesis(line: &str) -> Option<usize> {
    let mut open = Vec::new();
    for (i, c) in line.char_indices() {
        match c {
            '#' => break,
            '(' => open.push(i),
            ')' => {
                open.pop();
            }
            _ => {}
        }
    }
    open.last().copied()
}

/// What the grammar expected at an error, in words: with a likely typo (`best`), only what
/// the intended word belongs to; otherwise everything, the end of the line last.
fn expected_words(positives: &[Rule], best: Option<&str>) -> String {
    let relevant = |rule: &&Rule| best.is_none_or(|b| describe(**rule).1.contains(&b));
    let mut expected: Vec<&str> = Vec::new();
    for rule in positives.iter().filter(relevant) {
        let words = describe(*rule).0;
        if !expected.contains(&words) {
            expected.push(words);
        }
    }
    // Continuing an expression is always possible; say so only when nothing else fits.
    let noise = |w: &&str| {
        w.starts_with("a lag")
            || w.starts_with("an operator")
            || w.starts_with("a currency")
            || w.starts_with("a time unit")
    };
    if expected.iter().any(|w| !noise(w)) {
        expected.retain(|w| !noise(w));
    }
    // "the end of the line" reads best last.
    if let Some(i) = expected.iter().position(|w| *w == "the end of the line") {
        let end = expected.remove(i);
        expected.push(end);
    }
    match expected.len() {
        0 => "something else".to_string(),
        1 => expected[0].to_string(),
        n => format!("{} or {}", expected[..n - 1].join(", "), expected[n - 1]),
    }
}

/// Offset of a `"` that opens a string never closed on this line.
fn unterminated_quote(line: &str) -> Option<usize> {
    let mut open = None;
    let mut chars = line.char_indices();
    while let Some((i, c)) = chars.next() {
        match (open, c) {
            (None, '#') => return None,
            (None, '"') => open = Some(i),
            // A quoted name may hold a `"`; it opens no string.
            (None, '`') => {
                chars.find(|(_, c)| *c == '`');
            }
            (Some(_), '\\') => {
                chars.next();
            }
            (Some(_), '"') => open = None,
            _ => {}
        }
    }
    open
}

/// Builds AST nodes from pairs of one line. `off` is the global offset of the line's input.
struct Builder<'e> {
    off: usize,
    errors: &'e mut Vec<SyntaxError>,
}

type P<'i> = Pair<'i, Rule>;

impl Builder<'_> {
    fn span(&self, pair: &P) -> Span {
        let s = pair.as_span();
        Span::new(self.off + s.start(), self.off + s.end())
    }

    fn parse_line(&mut self, pair: P) -> Option<Line> {
        let span = self.span(&pair);
        let mut statement = None;
        let mut comment = None;
        let mut failed = false;
        let newline_len = trailing_newline_len(&pair);
        for inner in pair.into_inner() {
            match inner.as_rule() {
                Rule::comment => comment = Some(self.parse_text_raw(&inner)),
                Rule::EOI => {}
                _ => match self.parse_statement(inner) {
                    Some(s) => statement = Some(s),
                    None => failed = true,
                },
            }
        }
        // A line whose statement had an error (a bad date, a number too large) is left out
        // rather than kept half-built.
        if failed {
            return None;
        }
        let trimmed_end = span.end - span.len().min(newline_len) as u32;
        Some(Line {
            statement,
            comment,
            span: Span {
                start: span.start,
                end: trimmed_end,
            },
        })
    }

    fn parse_text_raw(&self, pair: &P) -> Text {
        Text {
            value: pair.as_str().trim_end().to_string(),
            span: self.span(pair),
        }
    }

    fn parse_statement(&mut self, pair: P) -> Option<Statement> {
        let span = self.span(&pair);
        let rule = pair.as_rule();
        let words = pair.as_str();
        let mut it = pair.into_inner().filter(|p| !is_keyword(p.as_rule()));
        let mut next = || it.next().expect("the grammar guarantees this part of the statement");
        let kind = match rule {
            Rule::strategy_stmt => StatementKind::Strategy(self.parse_string(next())),
            Rule::description_stmt => StatementKind::Description(self.parse_string(next())),
            Rule::data_stmt => {
                let path = self.parse_string(next());
                let (mut alias, mut dates, mut series) = (None, None, false);
                for part in it.by_ref() {
                    match part.as_rule() {
                        Rule::date_order if part.as_str() == "day-first" => dates = Some(DateOrder::DayFirst),
                        Rule::date_order => dates = Some(DateOrder::MonthFirst),
                        Rule::as_series => {
                            series = true;
                            let name = part.into_inner().find(|p| p.as_rule() == Rule::name);
                            alias = Some(self.parse_name(name.expect("`as series` names the series")));
                        }
                        // `as series` without a name would name the file's column
                        // `series`: a file meant as a series, whose name is missing.
                        _ if part.as_str() == "series" => {
                            self.errors.push(SyntaxError::Unexpected {
                                found: "the end of the line".into(),
                                expected: "the series' name after `as series`".into(),
                                span: self.span(&part),
                                help: Some(format!(
                                    "name the series its values go by: `data \"{}\" as series NAME`, such as `as series UNRATE`",
                                    path.value
                                )),
                            });
                            return None;
                        }
                        _ => alias = Some(self.parse_name(part)),
                    }
                }
                StatementKind::Data {
                    path,
                    alias,
                    dates,
                    series,
                }
            }
            Rule::fomc_stmt => StatementKind::Fomc(self.parse_string(next())),
            Rule::use_stmt => StatementKind::Use(self.parse_string(next())),
            Rule::capital_stmt => StatementKind::Capital(self.parse_expr(next())?),
            Rule::contribute_stmt => {
                let amount = self.parse_expr(next())?;
                let schedule = self.parse_schedule(next())?;
                StatementKind::Contribute { amount, schedule }
            }
            Rule::fees_stmt => StatementKind::Fees(self.parse_fees_stmt(it)?),
            Rule::slippage_stmt => StatementKind::Slippage(self.parse_expr(next())?),
            Rule::bars_stmt => StatementKind::BarsPerYear(self.parse_expr(next())?),
            Rule::expense_stmt => StatementKind::Expense(self.parse_expense_stmt(it)?),
            Rule::fill_stmt => StatementKind::Fill(parse_fill_stmt(it)),
            Rule::delisted_stmt => StatementKind::Delisted(if words.trim_end().ends_with("sell") {
                Delisted::Sell
            } else {
                Delisted::Hold
            }),
            Rule::benchmark_stmt => StatementKind::Benchmark(self.parse_name(next())),
            Rule::currency_stmt => {
                let code = next();
                let code = Name {
                    text: code.as_str().to_string(),
                    span: self.span(&code),
                };
                StatementKind::Currency {
                    code,
                    rate: self.parse_name(next()),
                }
            }
            Rule::priced_stmt => {
                let code = next();
                let code = Name {
                    text: code.as_str().to_string(),
                    span: self.span(&code),
                };
                let symbols = it.map(|p| self.parse_name(p)).collect();
                StatementKind::Priced { code, symbols }
            }
            Rule::shares_stmt => {
                let whole = words.starts_with("whole");
                StatementKind::Shares(if whole { ShareMode::Whole } else { ShareMode::Fractional })
            }
            Rule::lag_stmt => {
                let series = self.parse_name(next());
                let by = self.parse_duration_expr(next())?;
                StatementKind::Lag { series, by }
            }
            Rule::calendar_stmt => StatementKind::Calendar(match next().as_str() {
                "krx" => Exchange::Krx,
                "weekdays" => Exchange::Weekdays,
                _ => Exchange::Nyse,
            }),
            Rule::stale_stmt => {
                let first = next();
                let (series, duration) = match first.as_rule() {
                    Rule::name => (Some(self.parse_name(first)), next()),
                    _ => (None, first),
                };
                let after = self.parse_duration_expr(duration)?;
                StatementKind::Stale { series, after }
            }
            Rule::risk_free_stmt => StatementKind::RiskFree(self.parse_name(next())),
            Rule::period_stmt => self.parse_period_stmt(words, it)?,
            Rule::let_stmt => {
                let name = self.parse_name(next());
                let value = self.parse_expr(next())?;
                StatementKind::Let { name, value }
            }
            Rule::interest_stmt => StatementKind::CashInterest(self.parse_expr(next())?),
            Rule::basis_stmt => StatementKind::CostBasis(if next().as_str() == "average" {
                CostBasis::Average
            } else {
                CostBasis::Fifo
            }),
            Rule::tax_stmt => StatementKind::Tax(self.parse_tax(next())?),
            Rule::fx_stmt => StatementKind::FxSpread(self.parse_expr(next())?),
            Rule::reinvest_stmt => StatementKind::Dividends(Dividends::Reinvest),
            Rule::dividends_stmt => {
                let first = next();
                StatementKind::Dividends(match first.as_rule() {
                    Rule::dividends_cash => Dividends::Cash,
                    _ => Dividends::File {
                        path: self.parse_string(first),
                        symbol: self.parse_name(next()),
                    },
                })
            }
            Rule::account_stmt => StatementKind::Account {
                low_income: it.any(|p| p.as_rule() == Rule::low_income),
            },
            Rule::withdraw_stmt => {
                let amount = self.parse_expr(next())?;
                let schedule = self.parse_schedule(next())?;
                let from = match it.next() {
                    Some(d) => Some(self.parse_date(d)?),
                    None => None,
                };
                StatementKind::Withdraw { amount, schedule, from }
            }
            Rule::buy_stmt | Rule::sell_stmt => StatementKind::Rule(self.parse_trade(rule, span, it)?),
            Rule::rebalance_stmt => StatementKind::Rule(self.parse_rebalance(span, it)?),
            Rule::rotate_stmt => StatementKind::Rule(self.parse_rotate(span, it)?),
            Rule::hold_stmt => StatementKind::Rule(self.parse_hold(span, it)?),
            Rule::stop_stmt | Rule::take_stmt | Rule::trailing_stmt => self.parse_exit(rule, it)?,
            Rule::sleeve_stmt => {
                let name = self.parse_name(next());
                let share = self.parse_expr(next())?;
                let rebalanced = match it.next() {
                    Some(s) => Some(self.parse_schedule(s)?),
                    None => None,
                };
                StatementKind::Sleeve {
                    name,
                    share,
                    rebalanced,
                }
            }
            other => unreachable!("`statement` only contains statements, not {other:?}"),
        };
        Some(Statement { kind, span })
    }

    /// `korea`, or `capital gains 22% [above 2500000 KRW] yearly` after `tax`.
    fn parse_tax(&mut self, pair: P) -> Option<Tax> {
        let span = self.span(&pair);
        if pair.as_rule() == Rule::tax_preset {
            return Some(if pair.as_str() == "korea-listed" {
                Tax::KoreaListed(span)
            } else {
                Tax::Korea(span)
            });
        }
        if pair.as_rule() == Rule::tax_dividends {
            let rate = pair.into_inner().find(|p| !is_keyword(p.as_rule()));
            let rate = self.parse_expr(rate.expect("a dividend tax has a rate"))?;
            return Some(Tax::Dividends { rate, span });
        }
        let mut parts = pair.into_inner().filter(|p| !is_keyword(p.as_rule()));
        let rate = self.parse_expr(parts.next().expect("a capital gains tax has a rate"))?;
        let above = match parts.next() {
            Some(p) => Some(self.parse_expr(p)?),
            None => None,
        };
        Some(Tax::CapitalGains { rate, above, span })
    }

    /// `fees 0.05%, 1 USD per trade`
    fn parse_fees_stmt<'i>(&mut self, it: impl Iterator<Item = P<'i>>) -> Option<Vec<Fee>> {
        let mut fees = Vec::new();
        for fee in it.filter(|p| p.as_rule() == Rule::fee) {
            let span = self.span(&fee);
            let mut parts = fee.into_inner();
            let amount = self.parse_expr(parts.next().expect("a fee has an amount"))?;
            let per_trade = parts.any(|p| p.as_rule() == Rule::kw_trade);
            fees.push(Fee {
                amount,
                per_trade,
                span,
            });
        }
        Some(fees)
    }

    /// `expense IWO 0.24%, VTWG 0.10%`
    fn parse_expense_stmt<'i>(&mut self, it: impl Iterator<Item = P<'i>>) -> Option<Vec<(Name, Expr)>> {
        let mut items = Vec::new();
        for item in it {
            let mut parts = item.into_inner();
            let name = self.parse_name(parts.next().expect("an expense item has a symbol"));
            let ratio = self.parse_expr(parts.next().expect("an expense item has a ratio"))?;
            items.push((name, ratio));
        }
        Some(items)
    }

    /// `from D [to D]` or `to D`; keywords are filtered out of `it`, so `words` (the raw
    /// text) tells which.
    fn parse_period_stmt<'i>(&mut self, words: &str, it: impl Iterator<Item = P<'i>>) -> Option<StatementKind> {
        let mut parsed = Vec::new();
        for d in it {
            parsed.push(self.parse_date(d)?);
        }
        let mut parsed = parsed.into_iter();
        let from = if words.starts_with("from") { parsed.next() } else { None };
        Some(StatementKind::Period {
            from,
            to: parsed.next(),
        })
    }

    fn parse_trade<'i>(&mut self, rule: Rule, span: Span, it: impl Iterator<Item = P<'i>>) -> Option<Rule_> {
        let mut amount = None;
        let mut symbol = None;
        let mut schedule = None;
        let mut guards = Vec::new();
        let mut cooldown = None;
        let mut exits = Vec::new();
        for part in it {
            match part.as_rule() {
                Rule::order_size => amount = Some(self.parse_order_size(part)?),
                Rule::name => symbol = Some(self.parse_name(part)),
                Rule::schedule => schedule = Some(self.parse_schedule(part)?),
                Rule::guard => guards.push(self.parse_guard(part)?),
                Rule::cooldown => cooldown = Some(self.parse_cooldown(part)?),
                Rule::rule_exits => exits = self.parse_rule_exits(part)?,
                other => unreachable!("not part of a buy or sell: {other:?}"),
            }
        }
        let symbol = symbol.expect("the grammar requires a symbol");
        let action = if rule == Rule::buy_stmt {
            Action::Buy { amount, symbol }
        } else {
            Action::Sell { amount, symbol }
        };
        Some(Rule_ {
            action,
            schedule,
            guards,
            cooldown,
            exits,
            span,
        })
    }

    fn parse_order_size(&mut self, pair: P) -> Option<Amount> {
        let inner = pair
            .into_inner()
            .find(|p| matches!(p.as_rule(), Rule::all_amount | Rule::amount))
            .expect("an order size is `all` or an amount");
        if inner.as_rule() == Rule::all_amount {
            return Some(Amount::All(self.span(&inner)));
        }
        let amount = inner.into_inner().next().expect("an amount has one form");
        let span = self.span(&amount);
        let rule = amount.as_rule();
        let mut parts = amount.into_inner().filter(|p| !is_keyword(p.as_rule()));
        let value = self.parse_expr(parts.next().expect("an amount starts with a value"))?;
        Some(match rule {
            Rule::shares_amount => Amount::Shares(value),
            Rule::money_amount => Amount::Money {
                value,
                currency: parts.next().map_or_else(String::new, |c| c.as_str().to_string()),
                span,
            },
            Rule::fraction => {
                let of = match parts.next().map(|p| p.as_str()) {
                    Some("cash") => FractionBase::Cash,
                    Some("equity") => FractionBase::Equity,
                    _ => FractionBase::Position,
                };
                Amount::Fraction { share: value, of, span }
            }
            _ => Amount::Value(value),
        })
    }

    /// `IWM, IWO weighted by EXPR` or `IWM, IWO weighted equally`.
    fn parse_weighted(&mut self, pair: P) -> Option<(Vec<Name>, Weighting)> {
        let mut symbols = Vec::new();
        let mut weighting = None;
        for part in pair.into_inner() {
            match part.as_rule() {
                Rule::name => symbols.push(self.parse_name(part)),
                Rule::kw_equally => weighting = Some(Weighting::Equally(self.span(&part))),
                Rule::expr => weighting = Some(Weighting::By(self.parse_expr(part)?)),
                _ => {}
            }
        }
        Some((symbols, weighting.expect("the grammar requires `equally` or `by`")))
    }

    fn parse_rebalance<'i>(&mut self, span: Span, it: impl Iterator<Item = P<'i>>) -> Option<Rule_> {
        let mut weighted = None;
        let mut targets = Vec::new();
        let mut tolerance = None;
        let mut schedule = None;
        let mut guards = Vec::new();
        let mut cooldown = None;
        let mut exits = Vec::new();
        for part in it {
            match part.as_rule() {
                Rule::schedule => schedule = Some(self.parse_schedule(part)?),
                Rule::target => targets.push(self.parse_target(part)?),
                Rule::weighted => weighted = Some(self.parse_weighted(part)?),
                Rule::tolerance => tolerance = Some(self.parse_tolerance(part)?),
                Rule::guard => guards.push(self.parse_guard(part)?),
                Rule::cooldown => cooldown = Some(self.parse_cooldown(part)?),
                Rule::rule_exits => exits = self.parse_rule_exits(part)?,
                other => unreachable!("not part of a rebalance: {other:?}"),
            }
        }
        let action = match weighted {
            Some((symbols, weighting)) => Action::RebalanceWeighted {
                symbols,
                weighting,
                tolerance,
            },
            None => Action::Rebalance { targets, tolerance },
        };
        Some(Rule_ {
            action,
            schedule,
            guards,
            cooldown,
            exits,
            span,
        })
    }

    fn parse_rotate<'i>(&mut self, span: Span, it: impl Iterator<Item = P<'i>>) -> Option<Rule_> {
        let mut rank = None;
        let mut candidates = Vec::new();
        let mut by = None;
        let mut schedule = None;
        let mut guards = Vec::new();
        let mut cooldown = None;
        let mut exits = Vec::new();
        for part in it {
            match part.as_rule() {
                Rule::schedule => schedule = Some(self.parse_schedule(part)?),
                Rule::rank => {
                    let rspan = self.span(&part);
                    let top = part.as_str().starts_with("top");
                    let n = part.into_inner().find(|p| p.as_rule() == Rule::integer);
                    let n = self.parse_integer(n.expect("a rank has a count"))?;
                    rank = Some(Rank { top, n, span: rspan });
                }
                Rule::name => candidates.push(self.parse_name(part)),
                Rule::expr => by = Some(self.parse_expr(part)?),
                Rule::guard => guards.push(self.parse_guard(part)?),
                Rule::cooldown => cooldown = Some(self.parse_cooldown(part)?),
                Rule::rule_exits => exits = self.parse_rule_exits(part)?,
                other => unreachable!("not part of a rotate: {other:?}"),
            }
        }
        Some(Rule_ {
            action: Action::Rotate {
                rank: rank.expect("the grammar requires a rank"),
                candidates,
                by: by.expect("the grammar requires `by`"),
            },
            schedule,
            guards,
            cooldown,
            exits,
            span,
        })
    }

    /// `IWO 40%` or `cash 10%`.
    fn parse_target(&mut self, part: P) -> Option<Target> {
        let span = self.span(&part);
        let mut inner = part.into_inner();
        let first = inner.next().expect("a target names a holding");
        let holding = if first.as_rule() == Rule::kw_cash {
            Holding::Cash(self.span(&first))
        } else {
            Holding::Symbol(self.parse_name(first))
        };
        let weight = self.parse_expr(inner.next().expect("a target has a weight"))?;
        Some(Target { holding, weight, span })
    }

    /// `hold [SCHEDULE] SIDE if COND else SIDE [tolerance P] [GUARD…] [COOLDOWN]`
    /// `tolerance 5%`: its value.
    fn parse_tolerance(&mut self, part: P<'_>) -> Option<Expr> {
        let value = part.into_inner().find(|p| p.as_rule() == Rule::sum);
        self.parse_expr(value.expect("a tolerance has a value"))
    }

    fn parse_hold<'i>(&mut self, span: Span, it: impl Iterator<Item = P<'i>>) -> Option<Rule_> {
        let mut sides = Vec::with_capacity(2);
        let (mut condition, mut tolerance, mut schedule, mut cooldown) = (None, None, None, None);
        let mut exits = Vec::new();
        let mut guards = Vec::new();
        for part in it {
            match part.as_rule() {
                Rule::schedule => schedule = Some(self.parse_schedule(part)?),
                Rule::hold_side => sides.push(self.parse_hold_side(part)?),
                Rule::expr => condition = Some(self.parse_expr(part)?),
                Rule::tolerance => tolerance = Some(self.parse_tolerance(part)?),
                Rule::guard => guards.push(self.parse_guard(part)?),
                Rule::cooldown => cooldown = Some(self.parse_cooldown(part)?),
                Rule::rule_exits => exits = self.parse_rule_exits(part)?,
                Rule::kw_if | Rule::kw_else => {}
                other => unreachable!("not part of a hold: {other:?}"),
            }
        }
        let mut sides = sides.into_iter();
        let then = sides.next().expect("the grammar requires a side before `if`");
        let otherwise = sides.next().expect("the grammar requires a side after `else`");
        Some(Rule_ {
            action: Action::Hold {
                then,
                condition: condition.expect("the grammar requires a condition"),
                otherwise,
                tolerance,
            },
            schedule,
            guards,
            cooldown,
            exits,
            span,
        })
    }

    fn parse_hold_side(&mut self, pair: P) -> Option<HoldSide> {
        let mut inner = pair.into_inner().peekable();
        let first = inner.peek().expect("a side has a holding");
        Some(match first.as_rule() {
            Rule::kw_cash => HoldSide::Cash(self.span(first)),
            Rule::name => HoldSide::Symbol(self.parse_name(inner.next().expect("peeked"))),
            _ => {
                let mut targets = Vec::new();
                for t in inner.filter(|p| p.as_rule() == Rule::target) {
                    targets.push(self.parse_target(t)?);
                }
                HoldSide::Weights(targets)
            }
        })
    }

    /// `at most once per month`, `at most once per 20 days`.
    fn parse_cooldown(&mut self, pair: P) -> Option<Cooldown> {
        let span = self.span(&pair);
        let spec = pair
            .into_inner()
            .find(|p| p.as_rule() == Rule::cooldown_span)
            .expect("a cooldown has a period");
        let mut parts = spec.into_inner();
        let first = parts.next().expect("a period has a word");
        let period = if first.as_rule() == Rule::cooldown_unit {
            CooldownPeriod::Calendar(CalendarPeriod::parse(first.as_str()).expect("the grammar's words"))
        } else {
            let n = self.parse_integer(first)?;
            let unit = parts.next().and_then(|p| TimeUnit::parse(p.as_str()));
            CooldownPeriod::Days {
                n,
                unit: unit.expect("the grammar only accepts time units"),
            }
        };
        Some(Cooldown { period, span })
    }

    /// `with stop loss 10%, trailing stop 15%` after a rule.
    fn parse_rule_exits(&mut self, pair: P) -> Option<Vec<RuleExit>> {
        let mut exits = Vec::new();
        for part in pair.into_inner().filter(|p| p.as_rule() == Rule::rule_exit) {
            let span = self.span(&part);
            let mut inner = part.into_inner();
            let kind = match inner.next().map(|p| p.as_rule()) {
                Some(Rule::kw_take) => ExitKind::TakeProfit,
                Some(Rule::kw_trailing) => ExitKind::TrailingStop,
                _ => ExitKind::StopLoss,
            };
            let level = inner.find(|p| p.as_rule() == Rule::sum).expect("an exit has a level");
            let level = self.parse_expr(level)?;
            exits.push(RuleExit { kind, level, span });
        }
        Some(exits)
    }

    /// `stop loss 10% [on SYM, …]`, `take profit …`, `trailing stop …`.
    fn parse_exit<'i>(&mut self, rule: Rule, mut it: impl Iterator<Item = P<'i>>) -> Option<StatementKind> {
        let kind = match rule {
            Rule::take_stmt => ExitKind::TakeProfit,
            Rule::trailing_stmt => ExitKind::TrailingStop,
            _ => ExitKind::StopLoss,
        };
        let (mut level, mut symbols) = (None, Vec::new());
        let parts = it.next().expect("an exit has a level").into_inner();
        for part in parts {
            match part.as_rule() {
                Rule::sum => level = Some(self.parse_expr(part)?),
                Rule::name => symbols.push(self.parse_name(part)),
                _ => {}
            }
        }
        Some(StatementKind::Exit {
            kind,
            level: level.expect("the grammar requires a level"),
            symbols,
        })
    }

    fn parse_guard(&mut self, pair: P) -> Option<Guard> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let kind = match inner.next().map(|p| p.as_str()) {
            Some("while") => GuardKind::While,
            Some("if") => GuardKind::If,
            Some("when") => GuardKind::When,
            _ => GuardKind::Unless,
        };
        let condition = self.parse_expr(inner.next().expect("a guard has a condition"))?;
        Some(Guard { kind, condition, span })
    }

    fn parse_schedule(&mut self, pair: P) -> Option<Schedule> {
        let span = self.span(&pair);
        let inner = pair.into_inner().next().expect("a schedule has one form");
        let rule = inner.as_rule();
        let mut parts = inner.into_inner().filter(|p| !is_keyword(p.as_rule()));
        let kind = match rule {
            Rule::daily => ScheduleKind::Daily,
            Rule::hourly => ScheduleKind::Hourly,
            Rule::every_bar => ScheduleKind::EveryBar,
            Rule::weekly => ScheduleKind::Weekly(parts.next().map(|p| parse_weekday(p.as_str()))),
            Rule::monthly | Rule::quarterly | Rule::yearly => {
                let anchor = match parts.next() {
                    Some(a) => Some(self.parse_anchor(a)?),
                    None => None,
                };
                match rule {
                    Rule::monthly => ScheduleKind::Monthly(anchor),
                    Rule::quarterly => ScheduleKind::Quarterly(anchor),
                    _ => ScheduleKind::Yearly(anchor),
                }
            }
            Rule::every => {
                let n = self.parse_integer(parts.next().expect("`every` has a count"))?;
                let word = parts.next().expect("`every` has a unit");
                match (TimeUnit::parse(word.as_str()), ClockUnit::parse(word.as_str())) {
                    (Some(unit), _) => ScheduleKind::Every { n, unit },
                    (None, Some(unit)) => ScheduleKind::EveryClock { n, unit },
                    (None, None) => unreachable!("the grammar only accepts time units"),
                }
            }
            Rule::once => ScheduleKind::Once(self.parse_date(parts.next().expect("`once on` has a date"))?),
            other => unreachable!("not a schedule: {other:?}"),
        };
        Some(Schedule { kind, span })
    }

    fn parse_anchor(&mut self, pair: P) -> Option<Anchor> {
        let inner = pair.into_inner().next().expect("an anchor has one form");
        Some(match inner.as_rule() {
            Rule::day_number => {
                let n = inner.into_inner().find(|p| p.as_rule() == Rule::integer);
                Anchor::Day(self.parse_integer(n.expect("`day` has a number"))?)
            }
            Rule::first_trading_day => Anchor::FirstTradingDay,
            _ => Anchor::LastTradingDay(None),
        })
    }

    /// A duration in a `lag` or `stale` statement, as an expression node like any other
    /// duration.
    fn parse_duration_expr(&mut self, pair: P) -> Option<Expr> {
        let span = self.span(&pair);
        let mut parts = pair.into_inner();
        let amount = self.parse_num(&parts.next().expect("a duration has a number"));
        let unit = parts.next().and_then(|p| TimeUnit::parse(p.as_str()));
        Some(Expr {
            kind: ExprKind::Duration {
                amount,
                unit: unit.expect("the grammar only accepts time units"),
            },
            span,
        })
    }

    // ------------------------------------------------------------ expressions

    fn parse_expr(&mut self, pair: P) -> Option<Expr> {
        let expr = self.parse_expr_inner(pair)?;
        if depth(&expr) > MAX_DEPTH {
            self.errors.push(SyntaxError::TooComplex {
                limit: MAX_DEPTH,
                span: expr.span,
            });
            return None;
        }
        Some(expr)
    }

    fn parse_expr_inner(&mut self, pair: P) -> Option<Expr> {
        let pair = skip_wrappers(pair);
        match pair.as_rule() {
            Rule::or_expr | Rule::and_expr | Rule::sum | Rule::product | Rule::comparison => {
                self.parse_binary_chain(pair)
            }
            Rule::not_expr | Rule::unary => self.parse_unary(pair),
            Rule::postfix => self.parse_postfix(pair),
            Rule::group => {
                let span = self.span(&pair);
                let inner = self.parse_expr_inner(pair.into_inner().next().expect("a group holds an expression"))?;
                Some(Expr {
                    kind: ExprKind::Group(Box::new(inner)),
                    span,
                })
            }
            Rule::selected => self.parse_selected(pair),
            Rule::call => {
                let span = self.span(&pair);
                let mut parts = pair.into_inner();
                let func = self.parse_name(parts.next().expect("a call starts with a name"));
                let mut args: Vec<Expr> = Vec::new();
                for arg in parts {
                    if arg.as_rule() == Rule::since_entry {
                        // Wraps the argument before it: `close(IWM) since entry`.
                        let end = self.span(&arg).end;
                        let inner = args.pop().expect("the grammar puts `since entry` after an argument");
                        let span = Span {
                            start: inner.span.start,
                            end,
                        };
                        args.push(Expr {
                            kind: ExprKind::SinceEntry(Box::new(inner)),
                            span,
                        });
                        continue;
                    }
                    args.push(self.parse_expr_inner(arg)?);
                }
                Some(Expr {
                    kind: ExprKind::Call { func, args },
                    span,
                })
            }
            Rule::name => {
                let name = self.parse_name(pair);
                Some(Expr {
                    span: name.span,
                    kind: ExprKind::Name(name),
                })
            }
            Rule::number => {
                let span = self.span(&pair);
                Some(Expr {
                    kind: ExprKind::Number(self.parse_num(&pair)),
                    span,
                })
            }
            Rule::percent => {
                let span = self.span(&pair);
                let text = pair.as_str().trim_end_matches('%');
                Some(Expr {
                    kind: ExprKind::Percent(Num {
                        value: number_value(text) / 100.0,
                        text: text.to_string(),
                    }),
                    span,
                })
            }
            Rule::money => Some(self.parse_money(pair)),
            Rule::duration => self.parse_duration_expr(pair),
            Rule::date_value => {
                self.errors.push(SyntaxError::DateInExpression {
                    text: pair.as_str().to_string(),
                    span: self.span(&pair),
                });
                None
            }
            Rule::boolean => {
                let span = self.span(&pair);
                Some(Expr {
                    kind: ExprKind::Bool(pair.as_str() == "true"),
                    span,
                })
            }
            other => unreachable!("not an expression rule: {other:?}"),
        }
    }

    /// `not x`, `-x`: a chain of prefix operators and their operand.
    fn parse_unary(&mut self, pair: P) -> Option<Expr> {
        let span = self.span(&pair);
        let mut parts: Vec<P> = pair.into_inner().collect();
        let operand = parts.pop().expect("a unary rule ends with its operand");
        let mut expr = self.parse_expr_inner(operand)?;
        // Refused before it is built: `not not … x` a hundred thousand times deep
        // would overflow the stack of whatever walks or drops it.
        if parts.len() + depth(&expr) > MAX_DEPTH {
            return self.too_complex(span);
        }
        for op in parts.into_iter().rev() {
            let op_span = self.span(&op);
            let kind = if op.as_rule() == Rule::not_op {
                UnaryOp::Not
            } else {
                UnaryOp::Neg
            };
            let span = op_span.to(expr.span);
            expr = Expr {
                kind: ExprKind::Unary {
                    op: kind,
                    expr: Box::new(expr),
                },
                span,
            };
        }
        Some(expr)
    }

    /// `x[1]`: an operand and a chain of lags.
    fn parse_postfix(&mut self, pair: P) -> Option<Expr> {
        let span = self.span(&pair);
        let mut parts = pair.into_inner();
        let mut expr = self.parse_expr_inner(parts.next().expect("postfix starts with a primary"))?;
        let lags: Vec<P> = parts.collect();
        // As for unary chains: `x[1][1]…` is refused before it is built.
        if lags.len() + depth(&expr) > MAX_DEPTH {
            return self.too_complex(span);
        }
        for lag in lags {
            let lag_span = self.span(&lag);
            let n = lag.into_inner().next().expect("a lag has a count");
            let bars = self.parse_integer(n)?;
            let span = expr.span.to(lag_span);
            expr = Expr {
                kind: ExprKind::Lag {
                    expr: Box::new(expr),
                    bars,
                },
                span,
            };
        }
        Some(expr)
    }

    /// `500 USD`, `$500`
    fn parse_money(&mut self, pair: P) -> Expr {
        let span = self.span(&pair);
        let mut parts = pair.into_inner();
        let first = parts.next().expect("money starts with `$` or a number");
        let (amount, currency) = if first.as_rule() == Rule::dollars {
            let num = first.into_inner().next().expect("`$` is followed by a number");
            (self.parse_num(&num), None)
        } else {
            let code = parts.next().expect("a number of money has a currency");
            (self.parse_num(&first), Some(code.as_str().to_string()))
        };
        Expr {
            kind: ExprKind::Money { amount, currency },
            span,
        }
    }

    fn too_complex<T>(&mut self, span: Span) -> Option<T> {
        self.errors.push(SyntaxError::TooComplex { limit: MAX_DEPTH, span });
        None
    }

    /// `a op b op c …`, folded to the left.
    fn parse_binary_chain(&mut self, pair: P) -> Option<Expr> {
        let mut parts = pair.into_inner();
        let mut lhs = self.parse_expr_inner(parts.next().expect("a chain starts with an operand"))?;
        while let Some(op) = parts.next() {
            let op = binary_op(&op);
            let rhs = self.parse_expr_inner(parts.next().expect("an operator has a right operand"))?;
            let span = lhs.span.to(rhs.span);
            lhs = Expr {
                kind: ExprKind::Binary {
                    op,
                    lhs: Box::new(lhs),
                    rhs: Box::new(rhs),
                },
                span,
            };
            if depth(&lhs) > MAX_DEPTH {
                self.errors.push(SyntaxError::TooComplex { limit: MAX_DEPTH, span });
                return None;
            }
        }
        Some(lhs)
    }

    // ------------------------------------------------------------ atoms

    fn parse_name(&self, pair: P) -> Name {
        let span = self.span(&pair);
        let text = pair.as_str();
        let text = text.strip_prefix('`').and_then(|t| t.strip_suffix('`')).unwrap_or(text);
        Name {
            text: text.to_string(),
            span,
        }
    }

    fn parse_string(&self, pair: P) -> Text {
        let span = self.span(&pair);
        let raw = pair.into_inner().next().map_or("", |p| p.as_str());
        let mut value = String::with_capacity(raw.len());
        let mut chars = raw.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                match chars.next() {
                    Some('n') => value.push('\n'),
                    Some('t') => value.push('\t'),
                    Some(other) => value.push(other),
                    None => {}
                }
            } else {
                value.push(c);
            }
        }
        Text { value, span }
    }

    /// A number literal. One of [`MAX_NUMBER`] or more is an error (and reads as 0 so that
    /// parsing goes on): past it money cannot be kept to the cent in f64, and a literal of
    /// hundreds of digits would be infinite.
    fn parse_num(&mut self, pair: &P) -> Num {
        let text = pair.as_str();
        let mut value = number_value(text);
        if value >= MAX_NUMBER {
            // A literal of hundreds of digits is shown by its start and length.
            let shown = if text.len() > 24 {
                format!("{}… ({} characters)", &text[..16], text.len())
            } else {
                text.to_string()
            };
            self.errors.push(SyntaxError::NumberTooLarge {
                text: shown,
                help: format!(
                    "numbers are at most {MAX_NUMBER_TEXT}: larger amounts of money cannot be kept to the cent"
                ),
                span: self.span(pair),
            });
            value = 0.0;
        }
        Num {
            value,
            text: text.to_string(),
        }
    }

    fn parse_integer(&mut self, pair: P) -> Option<u32> {
        let text = pair.as_str();
        match text.replace('_', "").parse::<u32>() {
            Ok(n) => Some(n),
            Err(_) => {
                self.errors.push(SyntaxError::NumberTooLarge {
                    text: text.to_string(),
                    help: "counts here must be whole numbers below 4,294,967,296".to_string(),
                    span: self.span(&pair),
                });
                None
            }
        }
    }

    /// `fed_cut_prob(meeting 2)` → the name `fed_cut_prob(meeting 2)`, spelled one way
    /// (see [`crate::fedwatch::series`]); the checker tells whether the name has that series.
    fn parse_selected(&mut self, pair: P) -> Option<Expr> {
        let span = self.span(&pair);
        let mut parts = pair.into_inner();
        let base = self.parse_name(parts.next().expect("a selected series starts with a name"));
        let mut meeting = parts.next().expect("a selected series has a meeting").into_inner();
        let word = meeting.next().expect("a meeting starts with its keyword");
        let value = meeting.next().expect("a meeting has a count or a date");
        let selector = if word.as_rule() == Rule::kw_meeting {
            format!("meeting {}", self.parse_integer(value)?)
        } else {
            format!("by {}", self.parse_date(value)?.date)
        };
        Some(Expr {
            kind: ExprKind::Name(Name {
                text: crate::fedwatch::series::selector_name(&base.text, &selector),
                span,
            }),
            span,
        })
    }

    fn parse_date(&mut self, pair: P) -> Option<Date> {
        let text = pair.as_str();
        let span = self.span(&pair);
        let field = |range: std::ops::Range<usize>| text[range].parse::<u32>().unwrap_or(0);
        let (y, m, d) = (field(0..4) as i32, field(5..7), field(8..10));
        match chrono::NaiveDate::from_ymd_opt(y, m, d) {
            Some(date) => Some(Date { date, span }),
            None => {
                let reason = if !(1..=12).contains(&m) {
                    format!("there is no month {m}")
                } else {
                    format!("day {d} does not exist in {y}-{m:02}")
                };
                self.errors.push(SyntaxError::BadDate {
                    text: text.to_string(),
                    reason,
                    span,
                });
                None
            }
        }
    }
}

/// The first pair below `pair` that makes an AST node. Every bracket takes pest through
/// all eleven precedence levels; recursing once per level instead of once per bracket made
/// brackets at the nesting limit overflow a 2 MiB stack in debug builds.
fn skip_wrappers(mut pair: P) -> P {
    loop {
        let wraps = matches!(
            pair.as_rule(),
            Rule::expr
                | Rule::primary
                | Rule::literal
                | Rule::or_expr
                | Rule::and_expr
                | Rule::not_expr
                | Rule::comparison
                | Rule::sum
                | Rule::product
                | Rule::unary
                | Rule::postfix
        );
        let mut inner = pair.clone().into_inner();
        match (inner.next(), inner.next()) {
            (Some(only), None) if wraps => pair = only,
            _ => return pair,
        }
    }
}

/// `Rule_` is the AST's rule (a trading rule), not pest's `Rule`.
use super::ast::Rule as Rule_;

fn trailing_newline_len(pair: &P) -> usize {
    let s = pair.as_str();
    if s.ends_with("\r\n") {
        2
    } else if s.ends_with('\n') || s.ends_with('\r') {
        1
    } else {
        0
    }
}

fn number_value(text: &str) -> f64 {
    text.replace('_', "")
        .parse()
        .expect("the grammar only accepts digits, `_` and one `.`")
}

fn parse_weekday(word: &str) -> chrono::Weekday {
    use chrono::Weekday::*;
    match word {
        "monday" => Mon,
        "tuesday" => Tue,
        "wednesday" => Wed,
        "thursday" => Thu,
        "friday" => Fri,
        "saturday" => Sat,
        _ => Sun,
    }
}

fn binary_op(pair: &P) -> BinaryOp {
    match pair.as_str() {
        "or" => BinaryOp::Or,
        "and" => BinaryOp::And,
        "<" => BinaryOp::Lt,
        "<=" => BinaryOp::Le,
        ">" => BinaryOp::Gt,
        ">=" => BinaryOp::Ge,
        "==" => BinaryOp::Eq,
        "!=" => BinaryOp::Ne,
        "+" => BinaryOp::Add,
        "-" => BinaryOp::Sub,
        "*" => BinaryOp::Mul,
        "/" => BinaryOp::Div,
        _ if pair.as_str().ends_with("above") => BinaryOp::CrossesAbove,
        _ => BinaryOp::CrossesBelow,
    }
}

/// `fill next open` or `fill close`: `kw_close` is filtered out with the other keywords,
/// `next_open` is not.
fn parse_fill_stmt<'i>(mut it: impl Iterator<Item = P<'i>>) -> FillModel {
    match it.next() {
        Some(p) if p.as_rule() == Rule::next_open => FillModel::NextOpen,
        _ => FillModel::Close,
    }
}

/// Keyword pairs carry no information beyond their rule; AST builders skip them.
fn is_keyword(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::kw_above
            | Rule::kw_sleeve
            | Rule::kw_rebalanced
            | Rule::kw_account
            | Rule::kw_isa
            | Rule::kw_withdraw
            | Rule::kw_all
            | Rule::kw_as
            | Rule::kw_dates
            | Rule::kw_below
            | Rule::kw_benchmark
            | Rule::kw_bottom
            | Rule::kw_buy
            | Rule::kw_by
            | Rule::kw_basis
            | Rule::kw_capital
            | Rule::kw_cash
            | Rule::kw_cost
            | Rule::kw_fx
            | Rule::kw_dividends
            | Rule::dividends_word
            | Rule::kw_for
            | Rule::kw_reinvest
            | Rule::kw_gains
            | Rule::kw_interest
            | Rule::kw_spread
            | Rule::kw_tax
            | Rule::kw_close
            | Rule::kw_contribute
            | Rule::kw_crosses
            | Rule::kw_currency
            | Rule::kw_priced
            | Rule::kw_in
            | Rule::kw_daily
            | Rule::kw_data
            | Rule::kw_fomc
            | Rule::kw_day
            | Rule::kw_delisted
            | Rule::kw_description
            | Rule::kw_every
            | Rule::kw_expense
            | Rule::kw_fees
            | Rule::kw_fill
            | Rule::kw_first
            | Rule::kw_fractional
            | Rule::kw_free
            | Rule::kw_hold
            | Rule::kw_hourly
            | Rule::delisted_sell
            | Rule::kw_from
            | Rule::kw_lag
            | Rule::kw_stale
            | Rule::kw_calendar
            | Rule::kw_after
            | Rule::kw_last
            | Rule::kw_let
            | Rule::kw_monthly
            | Rule::kw_next
            | Rule::kw_of
            | Rule::kw_on
            | Rule::kw_once
            | Rule::kw_open
            | Rule::kw_per
            | Rule::kw_quarterly
            | Rule::kw_rebalance
            | Rule::kw_risk
            | Rule::kw_rotate
            | Rule::kw_sell
            | Rule::kw_shares
            | Rule::kw_slippage
            | Rule::kw_strategy
            | Rule::kw_to
            | Rule::kw_tolerance
            | Rule::kw_top
            | Rule::kw_trade
            | Rule::kw_trading
            | Rule::kw_use
            | Rule::kw_using
            | Rule::kw_weekly
            | Rule::kw_whole
            | Rule::kw_yearly
            | Rule::kw_bar
            | Rule::kw_bars
            | Rule::kw_year
            | Rule::kw_at
            | Rule::kw_most
            | Rule::kw_since
            | Rule::kw_entry
            | Rule::kw_stop
            | Rule::kw_loss
            | Rule::kw_take
            | Rule::kw_profit
            | Rule::kw_trailing
            | Rule::kw_series
    )
}

/// How many operators deep an expression goes.
pub fn depth(expr: &Expr) -> usize {
    match &expr.kind {
        ExprKind::Number(_)
        | ExprKind::Percent(_)
        | ExprKind::Money { .. }
        | ExprKind::Duration { .. }
        | ExprKind::Bool(_)
        | ExprKind::Name(_) => 1,
        ExprKind::Call { args, .. } => 1 + args.iter().map(depth).max().unwrap_or(0),
        ExprKind::Lag { expr, .. }
        | ExprKind::Unary { expr, .. }
        | ExprKind::Group(expr)
        | ExprKind::SinceEntry(expr) => 1 + depth(expr),
        ExprKind::Binary { lhs, rhs, .. } => 1 + depth(lhs).max(depth(rhs)),
    }
}

#[cfg(test)]
mod tests {
    use super::exponent_number;

    #[test]
    fn numbers_with_an_exponent_are_written_in_full() {
        assert_eq!(exponent_number("1e15 USD").as_deref(), Some("1000000000000000"));
        assert_eq!(exponent_number("2.5E-3)").as_deref(), Some("0.0025"));
        assert_eq!(exponent_number("1e+3%").as_deref(), Some("1000"));
        for not in ["1eur", "e5", "1e", "1e-", "IWM", "15", "1e999"] {
            assert_eq!(exponent_number(not), None, "{not}");
        }
    }
}
