//! Functions a rotor script cannot call, found in the text when the script loads.
//!
//! The engine has none of them (see `sandbox.rs`), so a call would fail anyway, but only on
//! the first bar that reaches it; a strategy someone shares should fail `rotor check`
//! instead, at the line, saying why.

/// Names scripts may not call, with what they would do: rhai's own clock and sleep, and the
/// file, network, process and environment functions other rhai hosts add.
pub const NOT_AVAILABLE: &[(&str, &str)] = &[
    ("sleep", "`sleep` waits"),
    ("timestamp", "`timestamp` reads the clock"),
    ("elapsed", "`elapsed` reads the clock"),
    ("exit", "`exit` ends the script early"),
    ("open_file", "`open_file` opens a file"),
    ("read_file", "`read_file` reads a file"),
    ("write_file", "`write_file` writes a file"),
    ("read_string", "`read_string` reads a file"),
    ("write_string", "`write_string` writes a file"),
    ("env", "`env` reads the environment"),
    ("env_var", "`env_var` reads the environment"),
    ("set_env", "`set_env` changes the environment"),
    ("system", "`system` runs a program"),
    ("exec", "`exec` runs a program"),
    ("command", "`command` runs a program"),
    ("http_get", "`http_get` reaches the network"),
    ("http_post", "`http_post` reaches the network"),
];

/// Calls (`name(` or `.name(`) of [`NOT_AVAILABLE`] functions in a script's text, outside
/// strings and comments, as (name, what it would do, local byte range). A function the
/// script defines itself under such a name (`fn sleep(x)`) is its own and not reported.
pub fn calls(text: &str) -> Vec<(&'static str, &'static str, (usize, usize))> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut at = 0;
    let mut previous_word: &str = "";
    // Depth of `${ … }` code inside backtick strings, and whether a backtick string is open
    // at each level.
    let mut in_template: Vec<usize> = Vec::new();
    while at < bytes.len() {
        let c = bytes[at];
        match c {
            b'/' if bytes.get(at + 1) == Some(&b'/') => {
                while at < bytes.len() && bytes[at] != b'\n' {
                    at += 1;
                }
            }
            b'/' if bytes.get(at + 1) == Some(&b'*') => at = skip_block_comment(bytes, at),
            b'"' | b'\'' => at = skip_quoted(bytes, at),
            b'`' => {
                at += 1;
                // Text of the template up to its end or to a `${`, whose code is scanned.
                while at < bytes.len() && bytes[at] != b'`' {
                    if bytes[at] == b'$' && bytes.get(at + 1) == Some(&b'{') {
                        in_template.push(0);
                        at += 2;
                        break;
                    }
                    at += if bytes[at] == b'\\' { 2 } else { 1 };
                }
                if bytes.get(at) == Some(&b'`') {
                    at += 1;
                }
                continue;
            }
            b'{' if !in_template.is_empty() => {
                if let Some(depth) = in_template.last_mut() {
                    *depth += 1;
                }
                at += 1;
            }
            b'}' if !in_template.is_empty() => {
                match in_template.last_mut() {
                    Some(0) => {
                        // Back in the template's text: continue it as a backtick string.
                        in_template.pop();
                        at += 1;
                        while at < bytes.len() && bytes[at] != b'`' {
                            at += if bytes[at] == b'\\' { 2 } else { 1 };
                        }
                        at += 1;
                    }
                    Some(depth) => {
                        *depth -= 1;
                        at += 1;
                    }
                    None => at += 1,
                }
            }
            c if c == b'_' || c.is_ascii_alphabetic() => {
                let start = at;
                while at < bytes.len() && (bytes[at] == b'_' || bytes[at].is_ascii_alphanumeric()) {
                    at += 1;
                }
                let word = &text[start..at];
                let mut next = at;
                while next < bytes.len() && bytes[next].is_ascii_whitespace() {
                    next += 1;
                }
                if bytes.get(next) == Some(&b'(')
                    && previous_word != "fn"
                    && let Some(&(name, what)) = NOT_AVAILABLE.iter().find(|(n, _)| *n == word)
                {
                    found.push((name, what, (start, at)));
                }
                previous_word = word;
                continue;
            }
            _ => at += 1,
        }
        if !c.is_ascii_whitespace() {
            previous_word = "";
        }
    }
    found
}

fn skip_quoted(bytes: &[u8], start: usize) -> usize {
    let quote = bytes[start];
    let mut at = start + 1;
    while at < bytes.len() && bytes[at] != quote {
        at += if bytes[at] == b'\\' { 2 } else { 1 };
    }
    at + 1
}

/// Past a `/* … */` comment; rhai's block comments nest.
fn skip_block_comment(bytes: &[u8], start: usize) -> usize {
    let mut depth = 0usize;
    let mut at = start;
    while at + 1 < bytes.len() {
        if bytes[at] == b'/' && bytes[at + 1] == b'*' {
            depth += 1;
            at += 2;
        } else if bytes[at] == b'*' && bytes[at + 1] == b'/' {
            depth -= 1;
            at += 2;
            if depth == 0 {
                return at;
            }
        } else {
            at += 1;
        }
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<(&str, &str)> {
        calls(text).into_iter().map(|(n, _, (s, e))| (n, &text[s..e])).collect()
    }

    #[test]
    fn calls_and_method_calls_are_found() {
        assert_eq!(names("fn f(x) { sleep(100.0); x }"), [("sleep", "sleep")]);
        assert_eq!(
            names("fn f(x) { 100.sleep(); timestamp () }"),
            [("sleep", "sleep"), ("timestamp", "timestamp")]
        );
        assert_eq!(
            names("fn f() { let t = `at ${ timestamp() }`; t }"),
            [("timestamp", "timestamp")]
        );
    }

    #[test]
    fn strings_comments_definitions_and_other_words_are_not_calls() {
        let text = "// sleep(1)\n/* exit() /* nested */ env() */\nfn sleep(x) { x }\n\
                    fn f(s) { let a = \"sleep(1)\"; let b = `exit(0) ${ 1 }`; let sleeping = 1; sleep_well(2) }";
        assert_eq!(names(text), []);
    }
}
