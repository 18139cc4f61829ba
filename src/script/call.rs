//! What crosses from the engine into a script call: the function, its arguments, the bar.

use rhai::{Dynamic, FuncArgs};

use super::series::SeriesView;
use crate::source::Span;

/// A function a script defines, as strategies see it.
#[derive(Clone, Debug, PartialEq)]
pub struct ScriptFunction {
    pub name: String,
    /// Number of parameters.
    pub arity: usize,
    /// The function's name in the `.rhai` source (global offsets).
    pub span: Span,
    /// Which script defines it: the index in the list given to [`Scripts::load`](super::Scripts::load).
    pub file: usize,
}

/// A call argument.
#[derive(Clone, Copy, Debug)]
pub enum Arg<'a> {
    /// Arrives in the script as a float, or as `()` when `NaN` (not available).
    Number(f64),
    /// Arrives as a `Series`, cut off at the current bar.
    Series(&'a SeriesView),
}

/// Where and when a call happens, for error messages.
#[derive(Clone, Copy, Debug)]
pub struct CallContext<'a> {
    /// The call in the strategy.
    pub call_span: Span,
    /// The bar's date, as the report shows it.
    pub date: &'a str,
}

/// Feeds arguments to rhai without collecting them into a `Vec` first.
pub(super) struct Args<'a>(pub &'a [Arg<'a>]);

impl FuncArgs for Args<'_> {
    fn parse<ARGS: Extend<Dynamic>>(self, args: &mut ARGS) {
        args.extend(self.0.iter().map(|arg| match *arg {
            Arg::Number(x) if x.is_nan() => Dynamic::UNIT,
            Arg::Number(x) => Dynamic::from_float(x),
            Arg::Series(view) => Dynamic::from(view.clone()),
        }));
    }
}
