//! The session's statements as blocks: which `sleeve` each statement is in, for `:rules`
//! (indented as `rotor fmt` writes them) and for `:drop` of a sleeve line (its statements
//! then belong to another sleeve, or to none, and the answer says so).

use crate::syntax::ast::{File, Line, StatementKind};

/// Spaces a sleeve level indents in `:rules`, as `rotor fmt` writes it.
const INDENT: usize = 2;

/// For each line, the name of the innermost `sleeve` it stands in (`None`: outside every
/// sleeve), read from the lines' indentation as the checker reads it
/// ([`File::depths`]).
pub fn owners(lines: &[Line]) -> Vec<Option<String>> {
    let depths = File { lines: lines.to_vec() }.depths();
    // The names of the sleeves open above the current line, outermost first.
    let mut open: Vec<String> = Vec::new();
    lines
        .iter()
        .zip(&depths)
        .map(|(line, &depth)| {
            open.truncate(depth);
            let owner = open.last().cloned();
            if let Some(StatementKind::Sleeve { name, .. }) = line.statement.as_ref().map(|s| &s.kind) {
                open.push(name.text.clone());
            }
            owner
        })
        .collect()
}

/// The indentation `:rules` shows before each line.
pub fn indents(lines: &[Line]) -> Vec<String> {
    (File { lines: lines.to_vec() }.depths())
        .into_iter()
        .map(|depth| " ".repeat(depth * INDENT))
        .collect()
}

/// What `:drop` says about the statements after the dropped one whose sleeve changed (named
/// by the first of them):
/// `before` are the owners of the lines that followed it before the drop, `after` the same
/// lines' owners now; `first` is the number the first of them now has (1-based).
pub fn moved(before: &[Option<String>], after: &[Option<String>], first: usize) -> Option<String> {
    let changed: Vec<usize> = (0..before.len().min(after.len()))
        .filter(|&i| before[i] != after[i])
        .collect();
    let (&low, &high) = (changed.first()?, changed.last()?);
    let numbers = if low == high {
        format!("statement {}", first + low)
    } else {
        format!("statements {}–{}", first + low, first + high)
    };
    let place = |owner: &Option<String>| match owner {
        Some(name) => format!("sleeve `{name}`"),
        None => "no sleeve (the account's own rules)".to_owned(),
    };
    Some(format!(
        "{numbers} stood in {} and now belong to {}; `:drop` them too, or `:load` an edited \
         file, if that is not what you want\n",
        place(&before[low]),
        place(&after[low])
    ))
}
