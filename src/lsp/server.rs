//! The server's loop: messages from the editor, finished data loads and due diagnostics,
//! one at a time. No message can stop it but `exit` (an error when no `shutdown` came before
//! it): a request it cannot answer gets an error reply, one that panics an "internal error"
//! reply, a notification about an unknown document is ignored. A document larger than a
//! strategy file may be gets `rotor check`'s refusal as its one diagnostic and is not
//! analysed.

use std::collections::{HashMap, HashSet};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant};

use crossbeam_channel::{after, never, select};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidChangeWatchedFiles, DidCloseTextDocument, DidOpenTextDocument, DidSaveTextDocument,
    Notification as _, PublishDiagnostics,
};
use lsp_types::request::{
    CodeActionRequest, Completion, Formatting, GotoDefinition, HoverRequest, Request as _, SemanticTokensFullRequest,
    SignatureHelpRequest,
};
use lsp_types::{
    CodeActionParams, CompletionParams, DidChangeTextDocumentParams, DidCloseTextDocumentParams,
    DidOpenTextDocumentParams, DidSaveTextDocumentParams, DocumentFormattingParams, GotoDefinitionParams,
    GotoDefinitionResponse, HoverParams, Location, PublishDiagnosticsParams, SemanticTokensParams, SignatureHelpParams,
    TextDocumentPositionParams, Uri,
};
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::data::DataCache;
use super::definition::{self, Target};
use super::document::Document;
use super::position::{Encoding, LineIndex};
use super::stop::Stop;
use super::{actions, completion, diagnostics, formatting, hover, semantic, signature, uri};

/// How long after the last change diagnostics are sent: long enough that typing a word
/// does not check every letter, short enough to feel immediate.
pub const DEBOUNCE: Duration = Duration::from_millis(250);

pub struct Server {
    connection: Connection,
    encoding: Encoding,
    documents: HashMap<Uri, Document>,
    data: DataCache,
    /// Documents whose diagnostics are due, and when.
    due: HashMap<Uri, Instant>,
}

/// A reply's result, or its error code and message.
type Reply = Result<Value, (ErrorCode, String)>;

impl Server {
    pub fn new(connection: Connection, encoding: Encoding, policy: super::Policy) -> Self {
        Server {
            connection,
            encoding,
            documents: HashMap::new(),
            data: DataCache::new(policy),
            due: HashMap::new(),
        }
    }

    /// Runs until the editor says `exit` or goes away.
    ///
    /// # Errors
    /// `exit` without `shutdown` before it, or messages out of the protocol's order.
    pub fn run(mut self) -> Result<(), Stop> {
        loop {
            let next_due = self.due.values().min().copied();
            let timer = next_due.map_or_else(never, |at| after(at.saturating_duration_since(Instant::now())));
            let receiver = self.connection.receiver.clone();
            let done = self.data.done.clone();
            select! {
                recv(receiver) -> message => match message {
                    Ok(message) => {
                        if self.message(message)? {
                            return Ok(());
                        }
                    }
                    // The editor closed the connection without `exit`.
                    Err(_) => return Ok(()),
                },
                recv(done) -> finished => {
                    if let Ok(finished) = finished {
                        let key = finished.key().clone();
                        self.data.finish(finished);
                        self.data_changed(&key);
                    }
                },
                recv(timer) -> _ => self.publish_due(),
            }
        }
    }

    /// Handles one message; `true` after `exit`.
    fn message(&mut self, message: Message) -> Result<bool, Stop> {
        match message {
            Message::Request(request) => {
                let shutdown = self.connection.handle_shutdown(&request);
                if shutdown.map_err(|e| Stop::Protocol(format!("after `shutdown`: {e}")))? {
                    return Ok(true);
                }
                let id = request.id.clone();
                let reply = catch_unwind(AssertUnwindSafe(|| self.request(request))).unwrap_or_else(|_| {
                    Err((
                        ErrorCode::InternalError,
                        "rotor lsp failed on this request; please report it with the file".into(),
                    ))
                });
                let response = match reply {
                    Ok(value) => Response::new_ok(id, value),
                    Err((code, message)) => Response::new_err(id, code as i32, message),
                };
                self.send(response.into());
            }
            // After `shutdown`, `handle_shutdown` above takes the `exit`; one before it is
            // an exit the editor did not prepare, which the protocol ends with code 1.
            Message::Notification(n) if n.method == "exit" => {
                return Err(Stop::ExitWithoutShutdown(
                    "the editor sent `exit` without `shutdown` first".into(),
                ));
            }
            Message::Notification(n) => {
                let method = n.method.clone();
                if catch_unwind(AssertUnwindSafe(|| self.notification(n))).is_err() {
                    // The method name is the client's text: escaped like any other.
                    let method = crate::display::escape_line(&method);
                    eprintln!("rotor lsp: failed on a `{method}` notification");
                }
            }
            Message::Response(_) => {}
        }
        Ok(false)
    }

    fn send(&self, message: Message) {
        // A closed connection ends the loop at its next receive.
        let _ = self.connection.sender.send(message);
    }

    // ------------------------------------------------------------ notifications

    fn notification(&mut self, n: Notification) {
        match n.method.as_str() {
            DidOpenTextDocument::METHOD => {
                if let Ok(p) = parse::<DidOpenTextDocumentParams>(n.params) {
                    let d = p.text_document;
                    self.documents
                        .insert(d.uri.clone(), Document::new(d.uri.clone(), d.text, d.version));
                    self.publish(&d.uri);
                }
            }
            DidChangeTextDocument::METHOD => {
                if let Ok(p) = parse::<DidChangeTextDocumentParams>(n.params)
                    && let Some(doc) = self.documents.get_mut(&p.text_document.uri)
                {
                    doc.apply(p.content_changes, p.text_document.version, self.encoding);
                    self.due.insert(p.text_document.uri, Instant::now() + DEBOUNCE);
                }
            }
            // A save is when the files a strategy uses (its `use`d scripts) were likely
            // edited too: check it again from its text, not from the last analysis.
            DidSaveTextDocument::METHOD => {
                if let Ok(p) = parse::<DidSaveTextDocumentParams>(n.params) {
                    if let Some(doc) = self.documents.get_mut(&p.text_document.uri) {
                        doc.invalidate();
                    }
                    self.publish(&p.text_document.uri);
                }
            }
            DidCloseTextDocument::METHOD => {
                if let Ok(p) = parse::<DidCloseTextDocumentParams>(n.params) {
                    self.due.remove(&p.text_document.uri);
                    if self.documents.remove(&p.text_document.uri).is_some() {
                        self.send_diagnostics(p.text_document.uri, Vec::new(), None);
                    }
                    let used: HashSet<_> = self.documents.values().filter_map(|d| d.data_key().cloned()).collect();
                    self.data.keep_only(&used);
                }
            }
            // A data file may have changed: check every document's data again.
            DidChangeWatchedFiles::METHOD => {
                let now = Instant::now();
                for uri in self.documents.keys() {
                    self.due.insert(uri.clone(), now);
                }
            }
            _ => {}
        }
    }

    /// Sends the diagnostics of every document that is due.
    fn publish_due(&mut self) {
        let now = Instant::now();
        let due: Vec<Uri> = self
            .due
            .iter()
            .filter(|(_, at)| **at <= now)
            .map(|(u, _)| u.clone())
            .collect();
        for uri in due {
            self.due.remove(&uri);
            self.publish(&uri);
        }
    }

    /// Sends a document's diagnostics, and starts loading its data if it is not loaded
    /// or its files changed.
    fn publish(&mut self, uri: &Uri) {
        let Some(doc) = self.documents.get_mut(uri) else { return };
        let Some(analysis) = doc.analysis(&self.data) else {
            // Too large to analyse: that alone, at the start, as `rotor check` says it.
            let refused = doc.too_large().map(|e| diagnostics::whole(&e));
            let version = doc.version;
            self.send_diagnostics(uri.clone(), refused.into_iter().collect(), Some(version));
            return;
        };
        let located = diagnostics::diagnostics(&analysis, &doc.index, self.encoding);
        let version = doc.version;
        self.send_diagnostics(uri.clone(), diagnostics::plain(&located), Some(version));
        self.data.refresh(&analysis.key);
    }

    fn send_diagnostics(&self, uri: Uri, diagnostics: Vec<lsp_types::Diagnostic>, version: Option<i32>) {
        let params = PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        };
        self.send(Notification::new(PublishDiagnostics::METHOD.into(), params).into());
    }

    /// New data for `key`: the documents that read it are checked again now.
    fn data_changed(&mut self, key: &super::data::DataKey) {
        let affected: Vec<Uri> = self
            .documents
            .values_mut()
            .filter(|d| d.data_key() == Some(key))
            .map(|d| {
                d.invalidate();
                d.uri.clone()
            })
            .collect();
        for uri in affected {
            self.due.remove(&uri);
            self.publish(&uri);
        }
    }

    // ------------------------------------------------------------ requests

    fn request(&mut self, request: Request) -> Reply {
        let encoding = self.encoding;
        match request.method.as_str() {
            Completion::METHOD => {
                let p: CompletionParams = parse(request.params)?;
                self.at(&p.text_document_position, |doc, a, _| {
                    json(completion::completion(
                        a,
                        &doc.index,
                        p.text_document_position.position,
                        encoding,
                    ))
                })
            }
            HoverRequest::METHOD => {
                let p: HoverParams = parse(request.params)?;
                self.at(&p.text_document_position_params, |doc, a, offset| {
                    let found = hover::hover(a, offset).map(|(markdown, start, end)| {
                        hover::to_lsp(markdown, doc.index.range(&doc.text, start, end, encoding))
                    });
                    json(found)
                })
            }
            SignatureHelpRequest::METHOD => {
                let p: SignatureHelpParams = parse(request.params)?;
                self.at(&p.text_document_position_params, |_, a, offset| {
                    json(signature::signature_help(a, offset))
                })
            }
            GotoDefinition::METHOD => {
                let p: GotoDefinitionParams = parse(request.params)?;
                let at = p.text_document_position_params;
                self.at(&at, |doc, a, offset| {
                    let location = definition::definition(a, offset).and_then(|target| match target {
                        Target::Here(s, e) => Some(Location::new(
                            doc.uri.clone(),
                            doc.index.range(&doc.text, s, e, encoding),
                        )),
                        Target::There(path, s, e, text) => Some(Location::new(
                            uri::from_path(&path)?,
                            LineIndex::new(&text).range(&text, s, e, encoding),
                        )),
                    });
                    json(location.map(GotoDefinitionResponse::Scalar))
                })
            }
            Formatting::METHOD => {
                let p: DocumentFormattingParams = parse(request.params)?;
                self.document(&p.text_document.uri, |doc, a| {
                    json(formatting::formatting(a, &doc.index, encoding))
                })
            }
            CodeActionRequest::METHOD => {
                let p: CodeActionParams = parse(request.params)?;
                self.document(&p.text_document.uri, |doc, a| {
                    let located = diagnostics::diagnostics(a, &doc.index, encoding);
                    json(actions::quick_fixes(&doc.uri, &located, &p.range))
                })
            }
            SemanticTokensFullRequest::METHOD => {
                let p: SemanticTokensParams = parse(request.params)?;
                self.document(&p.text_document.uri, |_, a| {
                    json(semantic::semantic_tokens(a, encoding))
                })
            }
            other => Err((
                ErrorCode::MethodNotFound,
                format!("rotor lsp does not answer `{other}`"),
            )),
        }
    }

    /// Runs `f` on an open document and its analysis; `null` for a document not open or
    /// too large to analyse.
    fn document(&mut self, uri: &Uri, f: impl FnOnce(&Document, &super::analysis::Analysis) -> Reply) -> Reply {
        let Some(doc) = self.documents.get_mut(uri) else {
            return Ok(Value::Null);
        };
        let Some(analysis) = doc.analysis(&self.data) else {
            return Ok(Value::Null);
        };
        f(doc, &analysis)
    }

    /// [`Server::document`] with the byte offset of a position in it.
    fn at(
        &mut self,
        at: &TextDocumentPositionParams,
        f: impl FnOnce(&Document, &super::analysis::Analysis, usize) -> Reply,
    ) -> Reply {
        let encoding = self.encoding;
        self.document(&at.text_document.uri, |doc, a| {
            let offset = doc.index.offset(&doc.text, at.position, encoding);
            f(doc, a, offset)
        })
    }
}

fn parse<P: DeserializeOwned>(params: Value) -> Result<P, (ErrorCode, String)> {
    serde_json::from_value(params).map_err(|e| (ErrorCode::InvalidParams, format!("invalid parameters: {e}")))
}

fn json(value: impl serde::Serialize) -> Reply {
    serde_json::to_value(value).map_err(|e| (ErrorCode::InternalError, e.to_string()))
}
