//! Why the server stopped before the editor's `shutdown` and `exit`, with a code and a help
//! that fit each cause: who sent what, and what to do about it.

use miette::Diagnostic;
use thiserror::Error;

/// Why `rotor lsp` stopped early (its exit status is then 1). Each cause has its own
/// `rotor::lsp::…` code (docs/EDITORS.md lists them).
#[derive(Clone, Debug, Diagnostic, Error, PartialEq, Eq)]
pub enum Stop {
    /// The input never started the protocol: it ended before an `initialize` request, or a
    /// response came first. The reason says which, and what came before.
    #[error("the language server stopped: {0}")]
    #[diagnostic(
        code(rotor::lsp::not_started),
        help(
            "start it from an editor's LSP client, which speaks to it on standard input and output \
             and opens with an `initialize` request; see docs/EDITORS.md"
        )
    )]
    NotStarted(String),
    /// The input is not the protocol's framing or not JSON-RPC (too large, a malformed
    /// header, a body that is not a message): a client's fault, or another program's.
    #[error("the language server stopped: {0}")]
    #[diagnostic(
        code(rotor::lsp::bad_input),
        help(
            "an LSP client frames each message as `Content-Length: N`, CRLF, a blank line (CRLF), \
             then N bytes of one JSON-RPC 2.0 object; whatever writes to the server's standard \
             input sent something else: report it to the client's authors, with the input if you \
             can"
        )
    )]
    BadInput(String),
    /// The messages broke the protocol's order after `initialize` (a request after
    /// `shutdown`, for one).
    #[error("the language server stopped: {0}")]
    #[diagnostic(
        code(rotor::lsp::protocol),
        help(
            "the editor sent messages out of the protocol's order; restart the server from the \
             editor, and report it to the client's authors if it happens again"
        )
    )]
    Protocol(String),
    /// `exit` came without `shutdown` before it (after the handshake, or before
    /// `initialize`): the protocol's exit code 1. The reason says when.
    #[error("the language server stopped: {0}")]
    #[diagnostic(
        code(rotor::lsp::exit_without_shutdown),
        help(
            "the editor ended the session without `shutdown` before `exit`, which the protocol \
             answers with exit code 1; nothing was lost (the server writes no files), and the \
             editor can start it again"
        )
    )]
    ExitWithoutShutdown(String),
    /// The server could not write its answers, or start its threads.
    #[error("the language server stopped: {0}")]
    #[diagnostic(
        code(rotor::lsp::io),
        help(
            "the server could not write its answers (the editor closed its end) or start a \
             thread; restart the server from the editor"
        )
    )]
    Io(String),
}
