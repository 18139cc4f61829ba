//! What an editor needs to know about the language, shared by the REPL's line editor and
//! the language server (`rotor lsp`): the class of each word for highlighting
//! ([`token`]), what may be typed at the cursor ([`complete`]), the call the cursor is in
//! ([`call`]) and what its brackets hold ([`signature`]), where a statement continues on
//! the next line ([`continuation`]), what a schedule means in words ([`schedule`]) and what
//! a statement does ([`statement`]).
//!
//! Nothing here knows about terminals or the LSP; both front ends turn these answers into
//! their own form (ANSI colours, completion items, semantic tokens).

pub mod call;
pub mod complete;
pub mod continuation;
pub mod schedule;
pub mod signature;
pub mod statement;
pub mod token;
pub mod words;

pub use call::{OpenCall, open_call};
pub use complete::{Candidate, Kind, Vocabulary, complete, matching, word_start};
pub use continuation::{
    block_is_open, input_continues, is_incomplete, logical_line_start, split_trailing_command, unfinished_on_empty_line,
};
pub use signature::Signature;
pub use token::{Class, Token, tokens};
