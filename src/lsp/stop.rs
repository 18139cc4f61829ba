//! Why the server stopped before the editor's `shutdown` and `exit`, with a help that fits
//! each cause: who sent what, and what to do about it.

use std::fmt;

/// Why `rotor lsp` stopped early (its exit status is then 1).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stop {
    /// The input never started the protocol: it ended, or something other than an
    /// `initialize` request came first. The reason says which.
    NotStarted(String),
    /// The input is not the protocol's framing or not JSON-RPC (too large, a malformed
    /// header, a body that is not a message): a client's fault, or another program's.
    BadInput(String),
    /// The messages broke the protocol's order after the handshake (a request after
    /// `shutdown`, for one).
    Protocol(String),
    /// `exit` came without `shutdown` before it: the protocol's exit code 1.
    ExitWithoutShutdown,
    /// The server could not write its answers, or start its threads.
    Io(String),
}

impl Stop {
    /// What to do about it, in a sentence.
    pub fn help(&self) -> &'static str {
        match self {
            Stop::NotStarted(_) => {
                "start it from an editor's LSP client, which speaks to it on standard input and output \
                 and opens with an `initialize` request; see docs/EDITORS.md"
            }
            Stop::BadInput(_) => {
                "an LSP client frames each message as `Content-Length: N`, CRLF, a blank line (CRLF), \
                 then N bytes of one JSON-RPC 2.0 object; whatever writes to the server's standard \
                 input sent something else: report it to the client's authors, with the input if you \
                 can"
            }
            Stop::Protocol(_) => {
                "the editor sent messages out of the protocol's order; restart the server from the \
                 editor, and report it to the client's authors if it happens again"
            }
            Stop::ExitWithoutShutdown => {
                "the editor ended the session without `shutdown` before `exit`, which the protocol \
                 answers with exit code 1; nothing was lost (the server writes no files), and the \
                 editor can start it again"
            }
            Stop::Io(_) => {
                "the server could not write its answers (the editor closed its end) or start a \
                 thread; restart the server from the editor"
            }
        }
    }
}

impl fmt::Display for Stop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Stop::NotStarted(reason) | Stop::BadInput(reason) | Stop::Protocol(reason) | Stop::Io(reason) => {
                f.write_str(reason)
            }
            Stop::ExitWithoutShutdown => f.write_str("the editor sent `exit` without `shutdown` first"),
        }
    }
}
