//! Go to definition: a parameter's `let` line, a script function's `fn` line in its
//! `.rhai` file, the file a `use`, `data` or `fomc` line names.

use std::path::{Path, PathBuf};

use super::analysis::{Analysis, Meaning};
use super::word;
use crate::language::Class;
use crate::syntax::ast::StatementKind;

/// Where the thing at byte `offset` is defined.
pub enum Target {
    /// A byte range of the document.
    Here(usize, usize),
    /// A byte range of another file, and that file's text.
    There(PathBuf, usize, usize, String),
}

pub fn definition(analysis: &Analysis, offset: usize) -> Option<Target> {
    let word = word::at(analysis.text(), offset)?;
    match word.class {
        Class::Name => match analysis.meaning(word.text)? {
            Meaning::Let(name, _) => {
                let (s, e) = analysis.local(name.span)?;
                Some(Target::Here(s, e))
            }
            _ => None,
        },
        Class::Call => {
            let (f, file) = analysis.script_function(word.text)?;
            let start = (f.span.start - file.base) as usize;
            let end = (f.span.end - file.base) as usize;
            Some(Target::There(file.path.clone()?, start, end, file.text.clone()))
        }
        Class::String => {
            // Only a file the strategy may read is offered: a path outside its folder (and
            // the `--allow-path` ones) is refused on its line, not opened for the user.
            let access = &analysis.access;
            analysis.ast.statements().find_map(|s| {
                let path = match &s.kind {
                    StatementKind::Use(p) | StatementKind::Data { path: p, .. } | StatementKind::Fomc(p) => p,
                    _ => return None,
                };
                let (start, end) = analysis.local(path.span)?;
                if offset < start || end < offset {
                    return None;
                }
                let file = access.resolve(&access.join(Path::new(&path.value))).ok()?;
                file.is_file().then(|| Target::There(file, 0, 0, String::new()))
            })
        }
        _ => None,
    }
}
