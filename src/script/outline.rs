//! Where things are in a script's text: its `fn` definitions, code outside them, and the
//! byte offset of a rhai line:column position.
//!
//! rhai's public AST gives function names but not their positions, and does not expose the
//! top-level statements, so rotor reads the outline of the text itself. It runs only on
//! scripts rhai has already parsed, so it may assume balanced braces and closed strings.

use rhai::Position;

/// The outline of a script: its function definitions and any code outside them.
#[derive(Debug, Default, PartialEq)]
pub struct Outline {
    pub functions: Vec<Definition>,
    /// Byte ranges (local to the script) of statements outside any function.
    pub top_level: Vec<(usize, usize)>,
}

/// One `fn name(params) { … }`.
#[derive(Debug, PartialEq)]
pub struct Definition {
    pub name: String,
    pub arity: usize,
    /// Local byte range of the name.
    pub name_at: (usize, usize),
}

impl Outline {
    pub fn of(text: &str) -> Outline {
        let mut scanner = Scanner {
            text: text.as_bytes(),
            at: 0,
        };
        let mut outline = Outline::default();
        if text.starts_with("#!") {
            scanner.skip_line();
        }
        loop {
            scanner.skip_blank();
            let start = scanner.at;
            match scanner.word() {
                None if scanner.at >= scanner.text.len() => break,
                Some("private") => {
                    scanner.skip_blank();
                    if scanner.word() != Some("fn") {
                        outline.top_level.push(scanner.statement_from(start));
                        continue;
                    }
                    outline.functions.push(scanner.definition());
                }
                Some("fn") => outline.functions.push(scanner.definition()),
                _ if scanner.peek() == Some(b';') => scanner.at += 1,
                _ => outline.top_level.push(scanner.statement_from(start)),
            }
        }
        outline
    }
}

struct Scanner<'a> {
    text: &'a [u8],
    at: usize,
}

impl<'a> Scanner<'a> {
    fn peek(&self) -> Option<u8> {
        self.text.get(self.at).copied()
    }

    fn starts_with(&self, s: &str) -> bool {
        self.text[self.at..].starts_with(s.as_bytes())
    }

    fn skip_line(&mut self) {
        while let Some(c) = self.peek() {
            self.at += 1;
            if c == b'\n' {
                break;
            }
        }
    }

    /// Skips whitespace and comments (rhai's block comments nest).
    fn skip_blank(&mut self) {
        loop {
            match self.peek() {
                Some(c) if c.is_ascii_whitespace() => self.at += 1,
                Some(b'/') if self.starts_with("//") => self.skip_line(),
                Some(b'/') if self.starts_with("/*") => {
                    let mut depth = 0;
                    while self.at < self.text.len() {
                        if self.starts_with("/*") {
                            depth += 1;
                            self.at += 2;
                        } else if self.starts_with("*/") {
                            depth -= 1;
                            self.at += 2;
                            if depth == 0 {
                                break;
                            }
                        } else {
                            self.at += 1;
                        }
                    }
                }
                _ => return,
            }
        }
    }

    /// An identifier or keyword at the cursor, if there is one.
    fn word(&mut self) -> Option<&'a str> {
        let start = self.at;
        while self
            .peek()
            .is_some_and(|c| c == b'_' || c.is_ascii_alphanumeric() || c >= 0x80)
        {
            self.at += 1;
        }
        std::str::from_utf8(&self.text[start..self.at])
            .ok()
            .filter(|w| !w.is_empty())
    }

    /// After `fn`: the name, the parameters and the body.
    fn definition(&mut self) -> Definition {
        self.skip_blank();
        let name_start = self.at;
        let name = self.word().unwrap_or_default().to_string();
        let name_at = (name_start, self.at);
        self.skip_blank();
        let mut arity = 0;
        if self.peek() == Some(b'(') {
            self.at += 1;
            let mut in_param = false;
            while let Some(c) = self.peek() {
                self.at += 1;
                match c {
                    b')' => break,
                    b',' => in_param = false,
                    c if !c.is_ascii_whitespace() && !in_param => {
                        in_param = true;
                        arity += 1;
                    }
                    _ => {}
                }
            }
        }
        while self.peek().is_some_and(|c| c != b'{') {
            self.at += 1;
        }
        self.block();
        Definition { name, arity, name_at }
    }

    /// Skips a `{ … }` block, stepping over strings, characters and comments.
    fn block(&mut self) {
        let mut depth = 0usize;
        while let Some(c) = self.peek() {
            match c {
                b'{' => {
                    depth += 1;
                    self.at += 1;
                }
                b'}' => {
                    self.at += 1;
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return;
                    }
                }
                b'"' | b'\'' => self.quoted(c),
                b'`' => self.backtick(),
                b'/' if self.starts_with("//") || self.starts_with("/*") => self.skip_blank(),
                _ => self.at += 1,
            }
        }
    }

    /// Skips a `"…"` string or `'…'` character with backslash escapes.
    fn quoted(&mut self, quote: u8) {
        self.at += 1;
        while let Some(c) = self.peek() {
            self.at += 1;
            if c == b'\\' {
                self.at += 1;
            } else if c == quote {
                return;
            }
        }
    }

    /// Skips a `` `…` `` string, whose `${ … }` parts are code and may hold anything.
    fn backtick(&mut self) {
        self.at += 1;
        while let Some(c) = self.peek() {
            if c == b'`' {
                self.at += 1;
                return;
            } else if self.starts_with("${") {
                self.at += 1;
                self.block();
            } else {
                self.at += 1;
            }
        }
    }

    /// A top-level statement from `start`: up to the end of its line, or through its block
    /// when it opens one on that line (`loop {`, `if x {`).
    fn statement_from(&mut self, start: usize) -> (usize, usize) {
        self.at = start;
        while let Some(c) = self.peek() {
            match c {
                b'\n' | b';' => break,
                b'{' => {
                    self.block();
                    break;
                }
                b'"' | b'\'' => self.quoted(c),
                b'`' => self.backtick(),
                _ => self.at += 1,
            }
        }
        let end = self.at;
        if self.peek() == Some(b';') {
            self.at += 1;
        }
        // Trailing whitespace is not part of the statement.
        let trimmed = end
            - self.text[start..end]
                .iter()
                .rev()
                .take_while(|c| c.is_ascii_whitespace())
                .count();
        (start, trimmed.max(start + 1).min(self.text.len().max(start)))
    }
}

/// The local byte offset of rhai's `position` in `text`. rhai counts lines from 1 and
/// characters (not bytes) from 1, with "no column" meaning the start of the line.
pub fn offset_of(text: &str, position: Position) -> Option<usize> {
    let line = position.line()?;
    let line_start = if line == 1 {
        0
    } else {
        text.match_indices('\n').nth(line - 2).map(|(i, _)| i + 1)?
    };
    let column = position.position().unwrap_or(1);
    let rest = &text[line_start..];
    let within = rest.char_indices().nth(column - 1).map_or(rest.len(), |(i, _)| i);
    Some(line_start + within)
}

/// Where each `fn` keyword of `text` starts, outside `//` comments, read before rhai parses
/// the text (a `fn` inside a string or a block comment counts too: the count bounds the
/// functions a script defines, [`super::MAX_FUNCTIONS`]). One pass over the text.
pub fn fn_keywords(text: &str) -> impl Iterator<Item = usize> + '_ {
    let word = |c: char| c == '_' || c.is_alphanumeric();
    let mut line_start = 0;
    text.split_inclusive('\n').flat_map(move |line| {
        let start = line_start;
        line_start += line.len();
        let code = line.find("//").map_or(line, |comment| &line[..comment]);
        code.match_indices("fn")
            .filter(move |&(i, _)| {
                !code[..i].chars().next_back().is_some_and(word)
                    && code[i + 2..].chars().next().is_some_and(char::is_whitespace)
            })
            .map(move |(i, _)| start + i)
    })
}

/// Where each line of a script starts, so that many rhai positions are turned into byte
/// offsets in one pass over the text ([`offset_of`] walks the text for each one).
pub struct Lines<'t> {
    text: &'t str,
    /// The local byte offset each line starts at; the first is 0.
    starts: Vec<usize>,
}

impl<'t> Lines<'t> {
    pub fn of(text: &'t str) -> Lines<'t> {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Lines { text, starts }
    }

    /// [`offset_of`], the same answer in time in proportion to the line's length.
    pub fn offset_of(&self, position: Position) -> Option<usize> {
        let line_start = *self.starts.get(position.line()?.checked_sub(1)?)?;
        let column = position.position().unwrap_or(1);
        let rest = &self.text[line_start..];
        let within = rest.char_indices().nth(column - 1).map_or(rest.len(), |(i, _)| i);
        Some(line_start + within)
    }
}

/// The extent of the token starting at `offset`: a whole word or number, else one character.
pub fn token_at(text: &str, offset: usize) -> (usize, usize) {
    let rest = text.get(offset..).unwrap_or("");
    let word = |c: char| c == '_' || c == '.' || c.is_alphanumeric();
    let len = match rest.chars().next() {
        None => 0,
        Some(c) if c == '_' || c.is_alphanumeric() => rest.find(|c| !word(c)).unwrap_or(rest.len()),
        Some(c) => c.len_utf8(),
    };
    (offset, offset + len)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fn_keywords_are_words_outside_line_comments() {
        let text = "fn a(s) { s }\n// fn b(s)\nprivate fn c(x) {\n  x }\nfn_d fnx(s) fn\tz\n";
        let found: Vec<&str> = fn_keywords(text).map(|i| &text[i..i + 4]).collect();
        assert_eq!(found, ["fn a", "fn c", "fn\tz"]);
    }

    #[test]
    fn the_line_index_finds_what_offset_of_finds() {
        let text = "fn a(s) {\n  b(s)\n}\n// é\nfn ü(x) { x }\n\n";
        let lines = Lines::of(text);
        for line in 1..=8 {
            for column in [None, Some(1), Some(3), Some(7), Some(40)] {
                let position = match column {
                    Some(c) => Position::new(line, c),
                    None => Position::new(line, 0),
                };
                assert_eq!(
                    lines.offset_of(position),
                    offset_of(text, position),
                    "{line}:{column:?}"
                );
            }
        }
        assert_eq!(lines.offset_of(Position::NONE), None);
    }

    fn names(text: &str) -> Vec<(String, usize, &str)> {
        Outline::of(text)
            .functions
            .into_iter()
            .map(|d| (d.name, d.arity, &text[d.name_at.0..d.name_at.1]))
            .collect()
    }

    #[test]
    fn finds_definitions_and_their_arity() {
        let text = "// header\nfn momentum(prices, n) {\n  prices[0] / prices[n] - 1\n}\n\nprivate fn helper() { 1 }\nfn three(a,b , c){}";
        assert_eq!(
            names(text),
            vec![
                ("momentum".to_string(), 2, "momentum"),
                ("helper".to_string(), 0, "helper"),
                ("three".to_string(), 3, "three"),
            ]
        );
        assert!(Outline::of(text).top_level.is_empty());
    }

    #[test]
    fn braces_in_strings_comments_and_characters_do_not_end_a_body() {
        let text =
            "fn a() { let s = \"}\"; let c = '}'; /* } /* } */ } */ let t = `${ \"}\" }}`; // }\n 1 }\nfn b(x) { x }";
        let found = names(text);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[1], ("b".to_string(), 1, "b"));
        assert!(Outline::of(text).top_level.is_empty());
    }

    #[test]
    fn code_outside_functions_is_found() {
        let text = "fn f(x) { f(x) }\nf(1);\nlet y = 2;\nloop {\n}\n";
        let outline = Outline::of(text);
        let spans: Vec<&str> = outline.top_level.iter().map(|&(s, e)| &text[s..e]).collect();
        assert_eq!(spans, vec!["f(1)", "let y = 2", "loop {\n}"]);
    }

    #[test]
    fn positions_count_characters_from_one() {
        let text = "ab\n  é x\n";
        // Line 2, character 5 is `x` (the `é` is two bytes but one character).
        let at = offset_of(text, Position::new(2, 5)).expect("in the text");
        assert_eq!(&text[at..at + 1], "x");
        assert_eq!(offset_of(text, Position::new(1, 1)), Some(0));
        assert_eq!(offset_of(text, Position::NONE), None);
        assert_eq!(offset_of(text, Position::new(9, 1)), None);
    }

    #[test]
    fn tokens_are_words_or_single_characters() {
        let text = "x = foo_bar + 12.5;";
        assert_eq!(token_at(text, 4), (4, 11));
        assert_eq!(token_at(text, 12), (12, 13));
        assert_eq!(token_at(text, 14), (14, 18));
        assert_eq!(token_at(text, 99), (99, 99));
    }
}
