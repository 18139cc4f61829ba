use miette::Diagnostic;
use thiserror::Error;

/// An output rotor refused to write.
#[derive(Clone, Debug, Diagnostic, Error, PartialEq)]
pub enum OutputError {
    #[error("`{path}` is {what} this run reads; `{option}` would overwrite it")]
    #[diagnostic(
        code(rotor::output::overwrites_input),
        help("write `{option}` to another file; rotor never writes over a file it reads")
    )]
    OverwritesInput {
        path: String,
        /// "the strategy", "a data file", "a script", "a shard file".
        what: &'static str,
        option: String,
    },

    /// `--trades -`: many tools read `-` as standard output; rotor writes files only, and
    /// would otherwise create one named `-`.
    #[error("`{option} -` names no file: rotor writes `{option}` to a file, not to standard output")]
    #[diagnostic(
        code(rotor::output::dash),
        help("name a file, such as `{option} {example}`; for a file really named `-`, write `./-`")
    )]
    Dash { option: String, example: &'static str },

    #[error("`{first}` and `{second}` would both write `{path}`")]
    #[diagnostic(code(rotor::output::same_file), help("give each output a file of its own"))]
    SameFile {
        path: String,
        first: String,
        second: String,
    },
}
