//! `:command` lines: parsed into [`Command`] with spans into the line as typed.

use std::ops::Range;

use chrono::NaiveDate;

use super::error::ReplError;
use crate::source::Span;
use crate::suggest::{did_you_mean, offer};

/// Every command, with the arguments it takes and one line of help (`:help commands`).
pub const COMMANDS: &[(&str, &str, &str)] = &[
    ("rules", "", "list the session's statements, numbered"),
    ("drop", "N", "remove statement N"),
    (
        "run",
        "[--from DATE] [--to DATE]",
        "backtest the session and print the summary",
    ),
    ("set", "NAME VALUE", "change a parameter (`let`) and run again"),
    ("trades", "", "list the fills of the last run"),
    ("save", "FILE", "write the session as a formatted .rotor file"),
    ("save!", "FILE", "the same, replacing a file that exists"),
    ("load", "FILE", "replace the session with a file"),
    (
        "data",
        "[PATH]",
        "add a CSV file or folder; alone, list the data's names",
    ),
    ("help", "[commands|language|functions]", "show help"),
    ("quit", "", "leave (Ctrl-D does too)"),
];

/// A parsed `:command`.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    Rules,
    Drop(usize),
    Run {
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    },
    /// The value is a byte range of the input, so it can be parsed where it was typed.
    Set {
        name: String,
        value: Range<usize>,
    },
    Trades,
    Save {
        path: String,
        force: bool,
    },
    Load(String),
    Data(Option<String>),
    Help(Option<String>),
    Quit,
}

/// A word of the line and where it starts.
struct Word<'a> {
    text: &'a str,
    at: usize,
}

/// Parses `text` (which starts with `:`); `base` is its global offset, for spans.
pub fn parse(text: &str, base: usize) -> Result<Command, ReplError> {
    let line = Line::new(text, base);
    let (name, args) = (line.name, &line.words[1..]);
    let command = match name {
        "rules" => {
            line.expect_args(0, 0)?;
            Command::Rules
        }
        "drop" => {
            line.expect_args(1, 1)?;
            let n = args[0].text.parse::<usize>().map_err(|_| {
                line.usage(
                    format!("`{}` is not a statement number", args[0].text),
                    line.span_of(&args[0]),
                    "expected a number",
                    "write `:drop N` with N from `:rules`".into(),
                )
            })?;
            Command::Drop(n)
        }
        "run" => line.run()?,
        "set" => {
            line.expect_args(2, usize::MAX)?;
            Command::Set {
                name: args[0].text.to_string(),
                value: args[1].at..text.trim_end().len(),
            }
        }
        "trades" => {
            line.expect_args(0, 0)?;
            Command::Trades
        }
        "save" | "save!" => {
            line.expect_args(1, 1)?;
            Command::Save {
                path: args[0].text.to_string(),
                force: name == "save!",
            }
        }
        "load" => {
            line.expect_args(1, 1)?;
            Command::Load(args[0].text.to_string())
        }
        "data" => {
            line.expect_args(0, 1)?;
            Command::Data(args.first().map(|w| w.text.to_string()))
        }
        "help" | "h" | "?" => {
            line.expect_args(0, 1)?;
            Command::Help(args.first().map(|w| w.text.to_string()))
        }
        "quit" | "q" | "exit" => {
            line.expect_args(0, 0)?;
            Command::Quit
        }
        _ => {
            let names = COMMANDS.iter().map(|c| c.0);
            let help = match did_you_mean(name, names) {
                Some(best) => offer(&format!(":{best}")),
                None => "`:help commands` lists the commands".into(),
            };
            return Err(ReplError::UnknownCommand {
                name: name.to_string(),
                span: line.span_of(&line.words[0]),
                help,
            });
        }
    };
    Ok(command)
}

/// A `:command` line split into words, with what its errors need.
struct Line<'a> {
    words: Vec<Word<'a>>,
    /// The command's name, without the `:`.
    name: &'a str,
    /// The line's global offset.
    base: usize,
    /// Where the line ends (before trailing blanks), in the line.
    end: usize,
}

impl<'a> Line<'a> {
    fn new(text: &'a str, base: usize) -> Line<'a> {
        let words = words(text);
        let name = &words[0].text[1..];
        Line {
            name,
            words,
            base,
            end: text.trim_end().len(),
        }
    }

    fn span_of(&self, w: &Word) -> Span {
        Span::new(self.base + w.at, self.base + w.at + w.text.len())
    }

    /// The end of the line, where a missing argument would go.
    fn line_end(&self) -> Span {
        Span::new(self.base + self.end, self.base + self.end)
    }

    fn usage(&self, message: String, at: Span, label: &str, help: String) -> ReplError {
        ReplError::Usage {
            message,
            span: at,
            label: label.into(),
            help,
        }
    }

    /// Fails unless the command has from `min` to `max` arguments.
    fn expect_args(&self, min: usize, max: usize) -> Result<(), ReplError> {
        let args = &self.words[1..];
        let (what, args_help) = COMMANDS
            .iter()
            .find(|c| c.0 == self.name)
            .map(|c| (c.0, c.1))
            .unwrap_or((self.name, ""));
        let write = if args_help.is_empty() {
            format!("write `:{what}` alone")
        } else {
            format!("write `:{what} {args_help}`")
        };
        if args.len() < min {
            let needs = if min == 1 { "an argument" } else { "more arguments" };
            return Err(self.usage(
                format!("`:{what}` needs {needs}"),
                self.line_end(),
                "missing here",
                write,
            ));
        }
        if args.len() > max {
            let extra = self.span_of(&args[max]).to(self.span_of(&args[args.len() - 1]));
            return Err(self.usage(
                format!("too many arguments for `:{what}`"),
                extra,
                "not expected",
                write,
            ));
        }
        Ok(())
    }

    /// `:run [--from DATE] [--to DATE]`
    fn run(&self) -> Result<Command, ReplError> {
        let args = &self.words[1..];
        let mut from = None;
        let mut to = None;
        let mut i = 0;
        while i < args.len() {
            let flag = &args[i];
            let slot = match flag.text {
                "--from" => &mut from,
                "--to" => &mut to,
                // `--from 2024-03-04 09:30`: minute data, but a period is whole days.
                time if i >= 2 && is_time_of_day(time) => {
                    return Err(self.usage(
                        format!(
                            "`{time}` is a time of day, but `{}` takes a whole day",
                            args[i - 2].text
                        ),
                        self.span_of(flag),
                        "a time of day",
                        "write the date alone: a period runs from the first bar of its `--from` day to the last \
                         bar of its `--to` day"
                            .into(),
                    ));
                }
                _ => {
                    return Err(self.usage(
                        format!("`{}` is not an option of `:run`", flag.text),
                        self.span_of(flag),
                        "unknown option",
                        "write `:run`, `:run --from 2020-01-01` or `:run --to 2020-12-31`".into(),
                    ));
                }
            };
            if slot.is_some() {
                return Err(self.usage(
                    format!("`{}` is given twice", flag.text),
                    self.span_of(flag),
                    "again",
                    "write each of `--from` and `--to` once".into(),
                ));
            }
            let Some(value) = args.get(i + 1) else {
                return Err(self.usage(
                    format!("`{}` needs a date", flag.text),
                    self.line_end(),
                    "missing date",
                    format!("write `{} YYYY-MM-DD`", flag.text),
                ));
            };
            *slot = Some(date(value.text).ok_or_else(|| {
                self.usage(
                    format!("`{}` is not a date", value.text),
                    self.span_of(value),
                    "expected YYYY-MM-DD",
                    "write a date such as `2020-01-31`".into(),
                )
            })?);
            i += 2;
        }
        Ok(Command::Run { from, to })
    }
}

/// `YYYY-MM-DD`
pub fn date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

fn words(text: &str) -> Vec<Word<'_>> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_whitespace(), start) {
            (true, Some(s)) => {
                out.push(Word {
                    text: &text[s..i],
                    at: s,
                });
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(Word {
            text: &text[s..],
            at: s,
        });
    }
    out
}

/// Whether `word` is a time of day as data files write it: `09:30`, `9:30`, `09:30:15`.
fn is_time_of_day(word: &str) -> bool {
    let parts: Vec<&str> = word.split(':').collect();
    let digits =
        |p: &str, n: std::ops::RangeInclusive<usize>| n.contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit());
    matches!(parts.len(), 2 | 3) && digits(parts[0], 1..=2) && parts[1..].iter().all(|p| digits(p, 2..=2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_and_their_arguments() {
        assert_eq!(parse(":rules", 0), Ok(Command::Rules));
        assert_eq!(parse(":drop 2", 0), Ok(Command::Drop(2)));
        assert_eq!(
            parse(":run --to 2020-12-31", 0),
            Ok(Command::Run {
                from: None,
                to: NaiveDate::from_ymd_opt(2020, 12, 31)
            })
        );
        // The value is everything after the name, so `:set x 5 days` keeps its unit.
        assert_eq!(
            parse(":set window 5 days", 0),
            Ok(Command::Set {
                name: "window".into(),
                value: 12..18
            })
        );
        assert_eq!(
            parse(":save! a.rotor", 0),
            Ok(Command::Save {
                path: "a.rotor".into(),
                force: true
            })
        );
        assert_eq!(parse(":data", 0), Ok(Command::Data(None)));
        assert_eq!(parse(":q", 0), Ok(Command::Quit));
    }

    #[test]
    fn mistakes_point_at_what_was_typed() {
        // `:rule` is one letter from `:rules`; the span covers `:rule` at global offset 10.
        match parse(":rule", 10) {
            Err(ReplError::UnknownCommand { span, help, .. }) => {
                assert_eq!((span.start, span.end), (10, 15));
                assert_eq!(help, "did you mean `:rules`?");
            }
            other => panic!("expected an unknown command, got {other:?}"),
        }
        match parse(":drop x", 0) {
            Err(ReplError::Usage { span, .. }) => assert_eq!((span.start, span.end), (6, 7)),
            other => panic!("expected a usage error, got {other:?}"),
        }
        match parse(":run --from 2020-13-01", 0) {
            Err(ReplError::Usage { message, .. }) => assert_eq!(message, "`2020-13-01` is not a date"),
            other => panic!("expected a usage error, got {other:?}"),
        }
        assert!(matches!(parse(":trades now", 0), Err(ReplError::Usage { .. })));
        assert!(matches!(parse(":load", 0), Err(ReplError::Usage { .. })));
        // A flag given twice: the later date was taken without a word (as `rotor run`, which
        // refuses it, does not).
        match parse(":run --from 2024-01-01 --from 2024-01-02", 0) {
            Err(ReplError::Usage { message, span, .. }) => {
                assert_eq!(message, "`--from` is given twice");
                assert_eq!((span.start, span.end), (23, 29));
            }
            other => panic!("expected a usage error, got {other:?}"),
        }
    }
}
