//! `rotor lsp`: a Language Server Protocol server, so any LSP editor shows what
//! `rotor check` finds as the user types, and completes, explains and formats strategies.
//!
//! The transport is rust-analyzer's `lsp-server` (JSON-RPC, the handshake; its framing is
//! read with limits by [`transport`]); the language is rotor's own, reused whole: each
//! document goes through the pipeline ([`crate::pipeline::prepare`],
//! [`crate::pipeline::check`] and its warnings, as `rotor check` does)
//! into an [`analysis::Analysis`] that every feature reads; completion, highlighting and
//! call hints are the REPL's ([`crate::language`]); formatting is `rotor fmt`
//! ([`crate::format`]); quick fixes apply the checker's "did you mean" ([`crate::suggest`]).
//!
//! Data is loaded on a thread of its own ([`data`]); diagnostics are sent when a document
//! opens and [`server::DEBOUNCE`] after the last change. A document reads its data and
//! scripts under `rotor check`'s file-access policy ([`policy`]): its own folder, and what
//! `rotor lsp --allow-path` adds. docs/EDITORS.md sets up editors.

mod actions;
mod analysis;
mod completion;
mod data;
mod definition;
mod diagnostics;
mod document;
mod formatting;
mod handshake;
mod hover;
mod policy;
mod position;
mod semantic;
mod server;
mod signature;
mod stop;
mod transport;
mod uri;
mod word;

use lsp_server::Connection;
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionProviderCapability, CompletionOptions, HoverProviderCapability,
    InitializeParams, OneOf, PositionEncodingKind, SaveOptions, SemanticTokensFullOptions, SemanticTokensOptions,
    SemanticTokensServerCapabilities, ServerCapabilities, SignatureHelpOptions, TextDocumentSyncCapability,
    TextDocumentSyncKind, TextDocumentSyncOptions, TextDocumentSyncSaveOptions,
};

pub use policy::Policy;
pub use position::Encoding;
pub use stop::Stop;

/// Serves one editor on standard input and output until it says `exit`; the documents
/// read files as `policy` allows.
///
/// # Errors
/// Why it stopped early ([`Stop`], each with its help): input that never started the
/// protocol, bad input (a message larger than [`transport::MAX_MESSAGE_BYTES`], a malformed
/// header, a body that is not JSON-RPC), messages out of the protocol's order, `exit`
/// without `shutdown` before it (the protocol's exit code 1), or output that failed.
pub fn serve_stdio(policy: Policy) -> Result<(), Stop> {
    let (connection, io) = transport::stdio()?;
    if let Err(e) = serve(connection, policy) {
        // The reader's reason, when bad input is why the connection closed under the server.
        let stop = io.failure().map_or(e, Stop::BadInput);
        io.finish_writing();
        return Err(stop);
    }
    io.join()
}

/// Serves one editor on `connection`: the handshake (what comes before `initialize` is
/// answered as the protocol says: requests refused, notifications dropped), then requests
/// until `exit`.
///
/// # Errors
/// As [`serve_stdio`], but for bad input, which only the transport sees.
pub fn serve(connection: Connection, policy: Policy) -> Result<(), Stop> {
    let (id, params) = handshake::wait_for_initialize(&connection)?;
    // Parameters a client sends that rotor does not know are no reason to refuse it.
    let params: InitializeParams = serde_json::from_value(params).unwrap_or_default();
    let encoding = negotiate(&params);
    let result = serde_json::json!({
        "capabilities": capabilities(encoding),
        "serverInfo": { "name": "rotor", "version": env!("CARGO_PKG_VERSION") },
    });
    connection.initialize_finish(id, result).map_err(|e| {
        if e.channel_is_disconnected() {
            Stop::NotStarted("the input ended before the editor's `initialized` notification".into())
        } else {
            Stop::Protocol("the editor's next message after `initialize` was not `initialized`".into())
        }
    })?;
    server::Server::new(connection, encoding, policy).run()
}

/// UTF-8 positions when the client offers them (no conversion), else the protocol's
/// default, UTF-16.
fn negotiate(params: &InitializeParams) -> Encoding {
    let offered = params
        .capabilities
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.as_ref());
    if offered.is_some_and(|o| o.contains(&PositionEncodingKind::UTF8)) {
        Encoding::Utf8
    } else {
        Encoding::Utf16
    }
}

fn capabilities(encoding: Encoding) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(match encoding {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
        }),
        text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(TextDocumentSyncKind::INCREMENTAL),
            save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                include_text: Some(false),
            })),
            ..TextDocumentSyncOptions::default()
        })),
        completion_provider: Some(CompletionOptions::default()),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        signature_help_provider: Some(SignatureHelpOptions {
            trigger_characters: Some(vec!["(".into(), ",".into()]),
            ..SignatureHelpOptions::default()
        }),
        definition_provider: Some(OneOf::Left(true)),
        document_formatting_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            ..CodeActionOptions::default()
        })),
        semantic_tokens_provider: Some(SemanticTokensServerCapabilities::SemanticTokensOptions(
            SemanticTokensOptions {
                legend: semantic::legend(),
                full: Some(SemanticTokensFullOptions::Bool(true)),
                ..SemanticTokensOptions::default()
            },
        )),
        ..ServerCapabilities::default()
    }
}
