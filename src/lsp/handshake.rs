//! The wait for the editor's `initialize` request, as the protocol orders it: "Until the
//! server has responded to the initialize request", requests "should error with code
//! -32002" and notifications "should be dropped, except for the exit notification". What
//! came instead is kept (how many, the first few methods) to say what the client did when
//! the input ends before `initialize`.

use lsp_server::{Connection, ErrorCode, Message, RequestId, Response};
use serde_json::Value;

use super::stop::Stop;
use crate::display::{count, escape_line, quoted};

/// The reply to a request before `initialize`.
pub const NOT_INITIALIZED: &str = "rotor lsp is not initialized: the editor sends `initialize` first";

/// Methods named in a stop message (the rest are counted).
const NAMED: usize = 3;

/// Messages that came before `initialize`: dropped notifications and refused requests.
#[derive(Default)]
struct Early {
    notifications: Vec<String>,
    dropped: usize,
    requests: Vec<String>,
    refused: usize,
}

impl Early {
    /// "; before it came 1 notification (`a`), dropped, and 2 requests (`b`, `c`), refused",
    /// or nothing when nothing came.
    fn describe(&self) -> String {
        let part = |n: usize, what: &str, methods: &[String], fate: &str| {
            let names: Vec<String> = methods.iter().map(|m| format!("`{m}`")).collect();
            let more = if n > methods.len() { ", …" } else { "" };
            format!("{} ({}{more}), {fate}", count(n, what), names.join(", "))
        };
        let mut parts = Vec::new();
        if self.dropped > 0 {
            parts.push(part(self.dropped, "notification", &self.notifications, "dropped"));
        }
        if self.refused > 0 {
            parts.push(part(self.refused, "request", &self.requests, "refused"));
        }
        match parts.is_empty() {
            true => String::new(),
            false => format!("; before it came {}", parts.join(", and ")),
        }
    }
}

/// Waits for `initialize` on `connection`, answering what comes before it as the protocol
/// says; returns the request's id and parameters.
///
/// # Errors
/// [`Stop::NotStarted`] when the input ends first (saying what came instead) or a response
/// comes first; [`Stop::ExitWithoutShutdown`] for `exit`.
pub fn wait_for_initialize(connection: &Connection) -> Result<(RequestId, Value), Stop> {
    let mut early = Early::default();
    loop {
        let Ok(message) = connection.receiver.recv() else {
            return Err(Stop::NotStarted(format!(
                "the input ended before the editor's `initialize` request{}",
                early.describe()
            )));
        };
        match message {
            Message::Request(request) if request.method == "initialize" => return Ok((request.id, request.params)),
            Message::Request(request) => {
                early.refused += 1;
                if early.requests.len() < NAMED {
                    early.requests.push(name(&request.method));
                }
                let reply = Response::new_err(
                    request.id,
                    ErrorCode::ServerNotInitialized as i32,
                    NOT_INITIALIZED.into(),
                );
                // A closed connection shows at the next receive.
                let _ = connection.sender.send(reply.into());
            }
            Message::Notification(n) if n.method == "exit" => {
                return Err(Stop::ExitWithoutShutdown(
                    "the editor sent `exit` before `initialize`".into(),
                ));
            }
            Message::Notification(n) => {
                early.dropped += 1;
                if early.notifications.len() < NAMED {
                    early.notifications.push(name(&n.method));
                }
            }
            Message::Response(_) => {
                return Err(Stop::NotStarted(
                    "a response came before the editor's `initialize` request (the server had asked nothing)".into(),
                ));
            }
        }
    }
}

/// A method name as a message quotes it: the client's text, escaped and cut.
fn name(method: &str) -> String {
    escape_line(&quoted(method)).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_came_before_initialize_is_counted_and_the_first_methods_named() {
        assert_eq!(Early::default().describe(), "");
        let early = Early {
            notifications: vec!["a".into(), "b".into(), "c".into()],
            dropped: 5,
            requests: vec!["h".into()],
            refused: 1,
        };
        assert_eq!(
            early.describe(),
            "; before it came 5 notifications (`a`, `b`, `c`, …), dropped, and 1 request (`h`), refused"
        );
        assert_eq!(name("a\u{1b}[31m"), "a\\u{1b}[31m");
    }
}
