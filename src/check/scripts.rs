//! Script functions against the built-ins: a script may not define a function a strategy
//! could mean either way.

use super::functions;
use super::{CheckError, Checker};
use crate::source::Span;

impl Checker<'_> {
    /// Reports every script function named like a built-in (`sma`, `close`): which one a
    /// call meant would depend on rotor's lookup order, which a reader cannot see. `uses`
    /// are the spans of the strategy's `use` lines, in the order the scripts were given.
    pub(super) fn shadowed_builtins(&mut self, uses: &[Span]) {
        for script in self.ctx.scripts {
            let Some(builtin) = functions::lookup(&script.name) else {
                continue;
            };
            self.errors.push(CheckError::ShadowsBuiltin {
                name: script.name.clone(),
                builtin: builtin.signature(),
                span: script.span,
                used: uses.get(script.file).copied(),
                help: format!(
                    "`{}` is rotor's built-in ({}); rename the script's function, such as \
                     `my_{}`, so that a call says which one it means",
                    builtin.name, builtin.doc, builtin.name
                ),
            });
        }
    }
}
