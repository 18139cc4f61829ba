//! The call the cursor is in, for signature hints (the REPL's hint, the language server's
//! signature help).

/// A call whose argument list is open at the end of the text before the cursor.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenCall<'a> {
    /// The function's name.
    pub name: &'a str,
    /// Byte offset of the name in the text.
    pub start: usize,
    /// Which argument the cursor is in, from 0: the commas before it at the call's depth.
    pub argument: usize,
}

/// The innermost call open at the end of `before` (the text of the statement before the
/// cursor), if any. Brackets in strings, quoted names and comments do not count.
pub fn open_call(before: &str) -> Option<OpenCall<'_>> {
    // Each open bracket and the commas seen at its depth.
    let mut opens: Vec<(usize, usize)> = Vec::new();
    let mut quote: Option<char> = None;
    for (i, c) in before.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), '\n') => quote = None,
            (Some(_), _) => {}
            (None, '"' | '`' | '#') => quote = Some(if c == '#' { '\n' } else { c }),
            (None, '(') => opens.push((i, 0)),
            (None, ')') => {
                opens.pop();
            }
            (None, ',') => {
                if let Some(open) = opens.last_mut() {
                    open.1 += 1;
                }
            }
            _ => {}
        }
    }
    let (open, argument) = *opens.last()?;
    let head = before[..open].trim_end();
    let start = head
        .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .map_or(0, |i| i + 1);
    let name = &head[start..];
    (!name.is_empty()).then_some(OpenCall { name, start, argument })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_innermost_open_call_and_the_argument_the_cursor_is_in() {
        let call = |s| open_call(s).map(|c| (c.name, c.argument));
        assert_eq!(call("buy IWO while sma(IWO, "), Some(("sma", 1)));
        assert_eq!(call("sma(IWO, 5)"), None);
        assert_eq!(call("max(sma(IWO, 5), ema("), Some(("ema", 0)));
        assert_eq!(call("max(sma(IWO, 5), "), Some(("max", 1)));
        assert_eq!(call("max(\"a,(\", `b,(`, "), Some(("max", 2)));
        assert_eq!(call("(1, "), None);
        assert_eq!(call("sma (IWO"), Some(("sma", 0)));
        assert_eq!(open_call("x + rsi(").map(|c| c.start), Some(4));
    }
}
