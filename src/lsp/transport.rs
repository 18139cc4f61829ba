//! The server's end of the protocol on standard input and output: lsp-server's framing (a
//! `Content-Length` header, a blank line, then that many bytes of JSON-RPC) read with
//! limits. lsp-server's own reader allocates whatever a header announces before reading a
//! byte of it, so `Content-Length: 99999999999` aborted the process; here a message larger
//! than [`MAX_MESSAGE_BYTES`] is refused, and a body is read into memory only as it
//! arrives.

use std::io::{self, BufRead, Read};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::{self, JoinHandle};

use crossbeam_channel::bounded;
use lsp_server::{Connection, Message};

use super::Stop;
use crate::access::human_size;

/// Largest message read, in bytes. A message carries one document's text (a strategy is a
/// few kilobytes; one over [`crate::access::MAX_STRATEGY_BYTES`] is received only to be
/// refused with a diagnostic) and JSON's escapes around it.
pub const MAX_MESSAGE_BYTES: u64 = 64 * 1024 * 1024;
/// Longest header line, in bytes (`Content-Length: 123` and `Content-Type: …` are short).
const MAX_HEADER_BYTES: u64 = 8 * 1024;

/// The threads that read standard input and write standard output.
pub struct Io {
    reader: JoinHandle<Result<(), String>>,
    writer: JoinHandle<io::Result<()>>,
    /// Why the reader stopped, when it stopped on bad input: set before the connection
    /// closes, so whoever sees it closed finds the reason here.
    failure: Arc<Mutex<Option<String>>>,
}

/// A connection on standard input and output, and the threads serving it.
///
/// # Errors
/// The reason, when a thread cannot be started.
pub fn stdio() -> Result<(Connection, Io), Stop> {
    let (to_writer, from_server) = bounded::<Message>(0);
    let writer = thread::Builder::new()
        .name("rotor-lsp-writer".into())
        .spawn(move || {
            let stdout = io::stdout();
            let mut out = stdout.lock();
            from_server.into_iter().try_for_each(|m| m.write(&mut out))
        })
        .map_err(|e| Stop::Io(format!("cannot start the writer: {e}")))?;
    let (to_server, from_reader) = bounded::<Message>(0);
    let failure = Arc::new(Mutex::new(None));
    let reason = failure.clone();
    let reader = thread::Builder::new()
        .name("rotor-lsp-reader".into())
        .spawn(move || {
            let stdin = io::stdin();
            let result = forward(&mut stdin.lock(), |m| to_server.send(m).is_ok());
            if let Err(e) = &result {
                *reason.lock().unwrap_or_else(PoisonError::into_inner) = Some(e.clone());
            }
            result
        })
        .map_err(|e| Stop::Io(format!("cannot start the reader: {e}")))?;
    let connection = Connection {
        sender: to_writer,
        receiver: from_reader,
    };
    Ok((
        connection,
        Io {
            reader,
            writer,
            failure,
        },
    ))
}

impl Io {
    /// Why the reader stopped, if it stopped on bad input.
    pub fn failure(&self) -> Option<String> {
        self.failure.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// Waits for the writer to write what the server sent before it stopped and dropped
    /// its connection (a refusal of a request before `initialize`, say): exiting at once
    /// lost it. The reader may still wait for input, and is left.
    pub fn finish_writing(self) {
        let _ = self.writer.join();
    }

    /// Waits for both threads (the server has dropped its connection).
    ///
    /// # Errors
    /// Why the reader stopped on bad input, or why writing failed.
    pub fn join(self) -> Result<(), Stop> {
        let read = (self.reader.join()).map_err(|_| Stop::Io("the reader stopped".into()))?;
        let written = (self.writer.join()).map_err(|_| Stop::Io("the writer stopped".into()))?;
        read.map_err(Stop::BadInput)?;
        written.map_err(|e| Stop::Io(format!("cannot write to the editor: {e}")))
    }
}

/// Reads messages from `input` and hands each to `send` until the input ends, `exit`
/// arrives, or `send` says nobody listens.
///
/// # Errors
/// What is wrong with the input, in a sentence.
fn forward(input: &mut impl BufRead, send: impl Fn(Message) -> bool) -> Result<(), String> {
    while let Some(message) = read_message(input)? {
        let exit = matches!(&message, Message::Notification(n) if n.method == "exit");
        if !send(message) || exit {
            break;
        }
    }
    Ok(())
}

/// One message: `None` when the input ends before one starts.
///
/// # Errors
/// A header that is not `Name: value` ended by CRLF, a line longer than 8 KiB, no
/// `Content-Length`, two, or one above [`MAX_MESSAGE_BYTES`], a byte-order mark before the
/// first header, input ending inside the message, or a body that is not a JSON-RPC message.
pub fn read_message(input: &mut impl BufRead) -> Result<Option<Message>, String> {
    let mut length: Option<u64> = None;
    let mut started = false;
    loop {
        let mut line = Vec::new();
        let read = input
            .by_ref()
            .take(MAX_HEADER_BYTES + 1)
            .read_until(b'\n', &mut line)
            .map_err(|e| e.to_string())?;
        if read == 0 {
            return if started {
                Err("the input ended inside a message's header".into())
            } else {
                Ok(None)
            };
        }
        if !started && line.starts_with(BOM) {
            return Err(
                "the input starts with a UTF-8 byte-order mark (bytes EF BB BF) before the first header; \
                 a message starts with `Content-Length: ` itself"
                    .into(),
            );
        }
        started = true;
        if line.len() as u64 > MAX_HEADER_BYTES {
            return Err(format!("a header line is longer than {}", human_size(MAX_HEADER_BYTES)));
        }
        let Some(header) = line.strip_suffix(b"\r\n") else {
            return Err(format!("malformed header: {}", quoted(&line)));
        };
        if header.is_empty() {
            break;
        }
        let text = std::str::from_utf8(header).map_err(|_| format!("malformed header: {}", quoted(&line)))?;
        let Some((name, value)) = text.split_once(": ") else {
            return Err(format!("malformed header: {}", quoted(&line)));
        };
        if name.eq_ignore_ascii_case("Content-Length") {
            if length.is_some() {
                return Err("a message has two Content-Length headers".into());
            }
            length = Some(content_length(value)?);
        }
    }
    let length = length.ok_or("a message has no Content-Length header")?;
    // Read as it arrives: a message that announces more than it sends costs what it sent.
    let mut body = Vec::new();
    input
        .by_ref()
        .take(length)
        .read_to_end(&mut body)
        .map_err(|e| e.to_string())?;
    if (body.len() as u64) < length {
        return Err(format!(
            "the input ended after {} of a message's {} bytes",
            body.len(),
            length
        ));
    }
    let message = match serde_json::from_slice(&body) {
        Ok(message) => message,
        Err(_) if replace_lone_surrogates(&mut body) => {
            serde_json::from_slice(&body).map_err(|e| not_rpc(&body, &e))?
        }
        Err(e) => return Err(not_rpc(&body, &e)),
    };
    if let Message::Notification(n) = &message
        && let Some(why) = unanswerable(&n.method, &body)
    {
        return Err(why);
    }
    Ok(Some(message))
}

/// Why a message lsp-server read as a notification (it has a `method`) is a request it cannot
/// answer: it has an `id`, but not one lsp-server reads (an integer up to 2³¹ − 1, or a
/// string), so the editor would wait for ever for the answer. `None` without an `id`.
fn unanswerable(method: &str, body: &[u8]) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct WithId {
        #[serde(default, deserialize_with = "written")]
        id: Option<serde_json::Value>,
    }
    /// `Some` for every `id` written, `null` too.
    fn written<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<serde_json::Value>, D::Error> {
        <serde_json::Value as serde::Deserialize>::deserialize(d).map(Some)
    }
    let id = serde_json::from_slice::<WithId>(body).ok()?.id?;
    let show = |text: &str| crate::display::escape_line(&crate::display::quoted(text)).into_owned();
    Some(format!(
        "a `{}` request's id is `{}`; an LSP request's id is an integer (at most 2147483647) or a string",
        show(method),
        show(&id.to_string())
    ))
}

/// Makes each `\u` escape of a lone UTF-16 surrogate in `body` a `\ufffd`, the replacement
/// character (same length, so nothing moves); whether there was one. A JavaScript string —
/// an editor's buffer — may hold half of a surrogate pair, and `JSON.stringify` writes it as
/// `\ud800`, but serde_json refuses it, which stopped the server. The document then holds
/// U+FFFD there, which `rotor check` reports as text that is not UTF-8.
fn replace_lone_surrogates(body: &mut [u8]) -> bool {
    // The code unit of the `\uXXXX` escape at `at`, if one is there.
    let unit = |body: &[u8], at: usize| {
        let escape = body.get(at..at + 6)?;
        let hex = std::str::from_utf8(&escape[2..]).ok()?;
        (escape.starts_with(b"\\u") && hex.bytes().all(|b| b.is_ascii_hexdigit()))
            .then(|| u16::from_str_radix(hex, 16).ok())
            .flatten()
    };
    let mut replaced = false;
    let mut i = 0;
    while i < body.len() {
        if body[i] != b'\\' {
            i += 1;
            continue;
        }
        match unit(body, i) {
            Some(0xD800..=0xDBFF) if unit(body, i + 6).is_some_and(|low| (0xDC00..=0xDFFF).contains(&low)) => {
                i += 12;
            }
            Some(0xD800..=0xDFFF) => {
                body[i + 2..i + 6].copy_from_slice(b"fffd");
                replaced = true;
                i += 6;
            }
            Some(_) => i += 6,
            // `\\`, `\"` and the other escapes of one character.
            None => i += 2,
        }
    }
    replaced
}

/// The UTF-8 byte-order mark, which some writers put before text.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Why `body`, which lsp-server's `Message` refused with `e`, is not a message: not JSON
/// (serde_json's words say where), or JSON of another shape (its words are serde's
/// internals, so they are replaced by what a message is).
fn not_rpc(body: &[u8], e: &serde_json::Error) -> String {
    if serde_json::from_slice::<serde::de::IgnoredAny>(body).is_err() {
        return format!("a message is not JSON: {e}");
    }
    "a message is JSON but not JSON-RPC: expected an object with `\"jsonrpc\": \"2.0\"` and either \
     a `method` (a notification, or a request with an `id`) or an `id` with a `result` or an `error` \
     (a response)"
        .into()
}

/// The value of a `Content-Length` header, at most [`MAX_MESSAGE_BYTES`].
fn content_length(value: &str) -> Result<u64, String> {
    let value = value.trim();
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "Content-Length `{}` is not a number of bytes",
            crate::display::escape_line(value)
        ));
    }
    // Digits that overflow a u64 are too many bytes as well.
    let length = value.parse::<u64>().unwrap_or(u64::MAX);
    if length > MAX_MESSAGE_BYTES {
        return Err(format!(
            "a message of {value} bytes is more than rotor lsp reads (at most {} in one message)",
            human_size(MAX_MESSAGE_BYTES)
        ));
    }
    Ok(length)
}

/// Bytes of a header as a message quotes them: escaped, and cut after 80 characters.
fn quoted(line: &[u8]) -> String {
    let text = String::from_utf8_lossy(line);
    let cut: String = text.chars().take(80).collect();
    let more = if text.chars().count() > 80 { "…" } else { "" };
    format!("`{}{more}`", crate::display::escape_line(&cut))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(bytes: &[u8]) -> Result<Option<Message>, String> {
        read_message(&mut io::Cursor::new(bytes))
    }

    #[test]
    fn a_message_is_read_and_the_end_of_input_is_none() {
        let body = br#"{"jsonrpc":"2.0","method":"exit"}"#;
        let mut framed = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        framed.extend_from_slice(body);
        match read(&framed) {
            Ok(Some(Message::Notification(n))) => assert_eq!(n.method, "exit"),
            other => panic!("{other:?}"),
        }
        assert!(matches!(read(b""), Ok(None)));
    }

    #[test]
    fn a_huge_or_bad_length_is_refused_before_anything_is_allocated() {
        let too_big = read(b"Content-Length: 99999999999\r\n\r\n{}").expect_err("refused");
        assert!(
            too_big.contains("99999999999 bytes is more than rotor lsp reads"),
            "{too_big}"
        );
        let overflow = read(b"Content-Length: 99999999999999999999999999\r\n\r\n").expect_err("refused");
        assert!(overflow.contains("more than rotor lsp reads"), "{overflow}");
        let negative = read(b"Content-Length: -5\r\n\r\n{}").expect_err("refused");
        assert!(negative.contains("`-5` is not a number of bytes"), "{negative}");
        let short = read(b"Content-Length: 10\r\n\r\n{}").expect_err("refused");
        assert!(short.contains("ended after 2 of a message's 10 bytes"), "{short}");
        let none = read(b"Content-Type: x\r\n\r\n{}").expect_err("refused");
        assert!(none.contains("no Content-Length"), "{none}");
        let bare = read(b"Content-Length: 2\n\n{}").expect_err("refused");
        assert!(bare.contains("malformed header"), "{bare}");
        let long = read(&vec![b'x'; 20_000]).expect_err("refused");
        assert!(long.contains("longer than 8.0 KiB"), "{long}");
        let junk = read(b"Content-Length: 2\r\n\r\n{}").expect_err("refused");
        assert!(junk.contains("not JSON-RPC"), "{junk}");
    }

    /// The text of the `didOpen` notification whose `text` is written `escaped` in JSON.
    fn opened_text(escaped: &str) -> Result<String, String> {
        let body = format!(
            r#"{{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{{"textDocument":{{"uri":"file:///a.rotor","languageId":"rotor","version":1,"text":"{escaped}"}}}}}}"#
        );
        let framed = format!("Content-Length: {}\r\n\r\n{body}", body.len());
        match read(framed.as_bytes())? {
            Some(Message::Notification(n)) => Ok(n.params["textDocument"]["text"]
                .as_str()
                .unwrap_or_default()
                .to_string()),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_lone_surrogate_is_read_as_the_replacement_character() {
        // A JavaScript string may hold half of a surrogate pair, and `JSON.stringify` writes
        // it as `\ud800`; serde_json refuses it, which stopped the server.
        assert_eq!(opened_text(r"buy \ud800 IWO").as_deref(), Ok("buy \u{fffd} IWO"));
        assert_eq!(opened_text(r"\udc00\ud800").as_deref(), Ok("\u{fffd}\u{fffd}"));
        assert_eq!(opened_text(r"a\uD83D").as_deref(), Ok("a\u{fffd}"));
        // A pair is one character; an escaped backslash before `u` is no escape.
        assert_eq!(opened_text(r"\ud83d\ude80 \\ud800").as_deref(), Ok("🚀 \\ud800"));
        assert_eq!(opened_text(r"\ud83d\u0041").as_deref(), Ok("\u{fffd}A"));
    }

    #[test]
    fn a_request_whose_id_is_not_an_integer_or_a_string_is_refused() {
        // lsp-server read it as a notification (it has a `method`), so the request was never
        // answered and the editor waited for ever.
        for id in ["null", "{\"a\":1}", "1.5", "[1]", "true", "99999999999"] {
            let body = format!(r#"{{"jsonrpc":"2.0","id":{id},"method":"textDocument/hover","params":{{}}}}"#);
            let framed = format!("Content-Length: {}\r\n\r\n{body}", body.len());
            let refused = read(framed.as_bytes()).expect_err("refused");
            assert_eq!(
                refused,
                format!(
                    "a `textDocument/hover` request's id is `{id}`; an LSP request's id is an integer \
                     (at most 2147483647) or a string"
                )
            );
        }
        // A notification has no id; a request's id may be a string.
        for body in [
            r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#,
            r#"{"jsonrpc":"2.0","id":"a","method":"shutdown"}"#,
            r#"{"jsonrpc":"2.0","id":2147483647,"method":"shutdown"}"#,
        ] {
            let framed = format!("Content-Length: {}\r\n\r\n{body}", body.len());
            assert!(read(framed.as_bytes()).is_ok(), "{body}");
        }
    }

    #[test]
    fn two_lengths_a_byte_order_mark_and_a_body_of_another_shape_are_named() {
        // The last length no longer wins: with it the body below would be read whole.
        let two = read(b"Content-Length: 5\r\nContent-Length: 2\r\n\r\n{}").expect_err("refused");
        assert_eq!(two, "a message has two Content-Length headers");
        let bom = read(b"\xEF\xBB\xBFContent-Length: 2\r\n\r\n{}").expect_err("refused");
        assert!(
            bom.contains("starts with a UTF-8 byte-order mark (bytes EF BB BF)"),
            "{bom}"
        );
        assert!(!bom.contains("no Content-Length"), "{bom}");
        let other = read(b"Content-Length: 7\r\n\r\n{\"a\":1}").expect_err("refused");
        assert!(
            other.starts_with("a message is JSON but not JSON-RPC: expected an object"),
            "{other}"
        );
        assert!(!other.contains("untagged"), "{other}");
        let text = read(b"Content-Length: 5\r\n\r\nhello").expect_err("refused");
        assert!(
            text.starts_with("a message is not JSON: expected value at line 1 column 1"),
            "{text}"
        );
    }
}
