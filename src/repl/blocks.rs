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

/// The name of a `sleeve` among `lines` that no statement stands in, if any (`owners` are
/// the lines' [`owners`]).
pub fn emptied(lines: &[Line], owners: &[Option<String>]) -> Option<String> {
    lines
        .iter()
        .find_map(|line| match line.statement.as_ref().map(|s| &s.kind) {
            Some(StatementKind::Sleeve { name, .. }) if !owners.iter().flatten().any(|o| *o == name.text) => {
                Some(name.text.clone())
            }
            _ => None,
        })
}

/// The indentation `:rules` shows before each line.
pub fn indents(lines: &[Line]) -> Vec<String> {
    (File { lines: lines.to_vec() }.depths())
        .into_iter()
        .map(|depth| " ".repeat(depth * INDENT))
        .collect()
}

/// What `:drop` says about the statements after the dropped one whose sleeve changed: one
/// line for each run of consecutive statements that moved to the same place. `before` are
/// the owners of the lines that followed the dropped one before the drop, `after` the same
/// lines' owners now; `first` is the number the first of them now has (1-based).
pub fn moved(before: &[Option<String>], after: &[Option<String>], first: usize) -> Option<String> {
    let place = |owner: &Option<String>| match owner {
        Some(name) => format!("sleeve `{name}`"),
        None => "no sleeve (the account's own rules)".to_owned(),
    };
    let changed: Vec<usize> = (0..before.len().min(after.len()))
        .filter(|&i| before[i] != after[i])
        .collect();
    let mut out = String::new();
    let same_run = |a: &usize, b: &usize| *b == a + 1 && before[*a] == before[*b] && after[*a] == after[*b];
    for run in changed.chunk_by(same_run) {
        let (low, high) = (run[0], run[run.len() - 1]);
        let (numbers, verb) = if low == high {
            (format!("statement {}", first + low), "belongs")
        } else {
            (format!("statements {}–{}", first + low, first + high), "belong")
        };
        out.push_str(&format!(
            "{numbers} stood in {} and now {verb} to {}\n",
            place(&before[low]),
            place(&after[low])
        ));
    }
    if out.is_empty() {
        return None;
    }
    out.push_str("(`:drop` them too, or `:load` an edited file, if that is not what you want)\n");
    Some(out)
}
