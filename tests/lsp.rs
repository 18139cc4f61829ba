//! `rotor lsp` driven over standard input and output as an editor drives it: the
//! handshake, documents opened and changed, every request the server answers, and input no
//! editor should send. Expected positions and texts are worked out here from the fixture
//! texts, not taken from the server.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// Generous: the machine running the tests may be busy.
const TIMEOUT: Duration = Duration::from_secs(60);

struct Client {
    child: Child,
    input: ChildStdin,
    messages: Receiver<Value>,
    /// Notifications received while waiting for something else.
    notifications: Vec<Value>,
    next_id: i64,
}

impl Client {
    /// Starts `rotor lsp` in `dir` and completes the handshake; `utf8` offers UTF-8
    /// positions. Returns the client and the server's capabilities.
    fn start(dir: &Path, utf8: bool) -> (Client, Value) {
        Client::start_with(dir, utf8, &[])
    }

    /// [`Client::start`] with more arguments for `rotor lsp`.
    fn start_with(dir: &Path, utf8: bool, args: &[&str]) -> (Client, Value) {
        let mut child = Command::new(env!("CARGO_BIN_EXE_rotor"))
            .arg("lsp")
            .args(args)
            .current_dir(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("rotor lsp starts");
        let input = child.stdin.take().expect("stdin is piped");
        let output = child.stdout.take().expect("stdout is piped");
        let (sender, messages) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(output);
            while let Some(message) = read_message(&mut reader) {
                if sender.send(message).is_err() {
                    break;
                }
            }
        });
        let mut client = Client {
            child,
            input,
            messages,
            notifications: Vec::new(),
            next_id: 0,
        };
        let encodings = if utf8 {
            json!(["utf-8", "utf-16"])
        } else {
            json!(["utf-16"])
        };
        let init = client.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": null,
                "capabilities": { "general": { "positionEncodings": encodings } },
            }),
        );
        client.notify("initialized", json!({}));
        (client, init["result"].clone())
    }

    fn send(&mut self, message: &Value) {
        let body = message.to_string();
        write!(self.input, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("the server reads its input");
        self.input.flush().expect("the server reads its input");
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    /// Sends a request and returns the whole response (with `result` or `error`).
    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let message = self
                .receive(deadline)
                .unwrap_or_else(|| panic!("no reply to `{method}`"));
            if message["id"] == json!(id) {
                return message;
            }
            self.notifications.push(message);
        }
    }

    fn receive(&mut self, deadline: Instant) -> Option<Value> {
        self.messages
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .ok()
    }

    /// Waits for diagnostics of `uri` that satisfy `wanted` (earlier ones are skipped:
    /// the first are sent before the data is loaded).
    fn diagnostics(&mut self, uri: &str, wanted: impl Fn(&[Value]) -> bool) -> Vec<Value> {
        let deadline = Instant::now() + TIMEOUT;
        let mut seen = Vec::new();
        loop {
            let next = if self.notifications.is_empty() {
                self.receive(deadline)
            } else {
                Some(self.notifications.remove(0))
            };
            let Some(message) = next else {
                panic!("no wanted diagnostics for {uri}; got {seen:#?}")
            };
            if message["method"] == "textDocument/publishDiagnostics" && message["params"]["uri"] == uri {
                let list = message["params"]["diagnostics"].as_array().cloned().unwrap_or_default();
                if wanted(&list) {
                    return list;
                }
                seen.push(list);
            }
        }
    }

    /// `shutdown`, `exit`, and the server's exit code.
    fn stop(mut self) -> i32 {
        let reply = self.request("shutdown", Value::Null);
        assert_eq!(reply["result"], Value::Null, "{reply}");
        self.notify("exit", Value::Null);
        drop(self.input);
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().expect("the server can be waited for") {
                return status.code().unwrap_or(-1);
            }
            assert!(Instant::now() < deadline, "the server did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(n) = line.strip_prefix("Content-Length: ") {
            length = n.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

/// The `file:` URI of a path in a temporary folder (no characters that need escaping).
fn uri_of(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// Line and UTF-16 column of the first `needle` in `text`.
fn position_of(text: &str, needle: &str) -> (u64, u64) {
    let at = text.find(needle).unwrap_or_else(|| panic!("{needle:?} is in the text"));
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = text[..at].matches('\n').count();
    (line as u64, text[line_start..at].encode_utf16().count() as u64)
}

fn open(client: &mut Client, uri: &str, text: &str) {
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": "rotor", "version": 1, "text": text } }),
    );
}

fn at(uri: &str, line: u64, character: u64) -> Value {
    json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": character } })
}

/// The sample strategy with a typo in its series name.
fn rate_cut_with_typo() -> String {
    let text = std::fs::read_to_string(common::root().join("strategies/rate_cut_dca.rotor"))
        .expect("the sample strategy is in the repository");
    assert!(text.contains("while fed_cut_prob > threshold"));
    text.replace("while fed_cut_prob > threshold", "while fed_cut_prb > threshold")
}

#[test]
fn an_editor_session_gets_diagnostics_fixes_completion_hover_and_formatting() {
    let dir = common::temp_dir("lsp-session");
    let path = dir.join("rate_cut_dca.rotor");
    let text = rate_cut_with_typo();
    std::fs::write(&path, &text).expect("the fixture can be written");
    let uri = uri_of(&path);
    let (mut client, capabilities) = Client::start(&dir, false);
    assert_eq!(capabilities["capabilities"]["positionEncoding"], "utf-16");
    assert_eq!(capabilities["serverInfo"]["name"], "rotor");
    // The modifiers beyond the standard ones are those editors/vscode/package.json declares.
    assert_eq!(
        capabilities["capabilities"]["semanticTokensProvider"]["legend"]["tokenModifiers"],
        json!(["defaultLibrary", "readonly", "percentage", "money", "date"])
    );

    // The typo is found once the (bundled) data is loaded, at its place, with its help.
    open(&mut client, &uri, &text);
    let found = client.diagnostics(&uri, |d| !d.is_empty());
    assert_eq!(found.len(), 1, "{found:#?}");
    let typo = &found[0];
    let (line, column) = position_of(&text, "fed_cut_prb");
    assert_eq!(typo["range"]["start"], json!({ "line": line, "character": column }));
    assert_eq!(typo["range"]["end"], json!({ "line": line, "character": column + 11 }));
    assert_eq!(typo["code"], "rotor::check::unknown_name");
    assert_eq!(typo["source"], "rotor");
    let message = typo["message"].as_str().expect("a message");
    assert!(message.starts_with("unknown series `fed_cut_prb`"), "{message}");
    assert!(message.contains("help: did you mean `fed_cut_prob`?"), "{message}");
    assert_eq!(typo["relatedInformation"][0]["message"], "not found");

    // The quick fix puts the suggestion in the typo's place.
    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": { "uri": uri },
            "range": typo["range"],
            "context": { "diagnostics": [typo] },
        }),
    );
    let action = &actions["result"][0];
    assert_eq!(action["kind"], "quickfix");
    let edit = &action["edit"]["changes"][&uri][0];
    assert_eq!(edit["range"], typo["range"]);
    assert_eq!(edit["newText"], "fed_cut_prob");

    // The editor applies it as an incremental change: no diagnostics are left.
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": uri, "version": 2 },
            "contentChanges": [{ "range": typo["range"], "text": "fed_cut_prob" }],
        }),
    );
    client.diagnostics(&uri, |d| d.is_empty());
    let fixed = text.replace("fed_cut_prb", "fed_cut_prob");

    // Completion by position: a schedule after the symbol, the data's series in a condition.
    let (last_line, _) = position_of(&fixed, "buy IWO monthly");
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": uri, "version": 3 },
            "contentChanges": [{
                "range": { "start": { "line": last_line + 1, "character": 0 }, "end": { "line": last_line + 1, "character": 0 } },
                "text": "sell IWO quar",
            }],
        }),
    );
    let items = client.request("textDocument/completion", at(&uri, last_line + 1, 13));
    assert_eq!(labels(&items["result"]), ["quarterly"]);
    let (line, column) = position_of(&fixed, "fed_cut_prob > threshold");
    let items = client.request("textDocument/completion", at(&uri, line, column + 4));
    let series = items["result"]
        .as_array()
        .expect("a list")
        .iter()
        .find(|i| i["label"] == "fed_cut_prob")
        .expect("the bundled data's series is offered")
        .clone();
    assert_eq!(series["detail"], "series");
    assert_eq!(
        series["textEdit"]["range"]["start"],
        json!({ "line": line, "character": column })
    );

    // Hover: a parameter's value, a schedule's meaning, a series in the data.
    let (line, column) = position_of(&fixed, "threshold\n");
    let hover = client.request("textDocument/hover", at(&uri, line, column + 2));
    let shown = hover["result"]["contents"]["value"].as_str().expect("hover text");
    assert!(shown.contains("let threshold = 0.8"), "{shown}");
    let (line, column) = position_of(&fixed, "monthly while");
    let hover = client.request("textDocument/hover", at(&uri, line, column + 1));
    let shown = hover["result"]["contents"]["value"].as_str().expect("hover text");
    assert_eq!(shown, "`monthly`: the first trading day of each month");
    let (line, column) = position_of(&fixed, "fed_cut_prob > threshold");
    let hover = client.request("textDocument/hover", at(&uri, line, column));
    let shown = hover["result"]["contents"]["value"].as_str().expect("hover text");
    assert!(
        shown.starts_with("series `fed_cut_prob` in `examples/data/macro_daily.csv`"),
        "{shown}"
    );

    // Go to definition: the parameter's `let` line.
    let definition = client.request("textDocument/definition", at(&uri, line, column + 16));
    let (let_line, let_column) = position_of(&fixed, "threshold = 0.8");
    assert_eq!(
        definition["result"]["range"]["start"],
        json!({ "line": let_line, "character": let_column })
    );

    // Formatting is `rotor fmt`: the half-typed last line does not parse, so nothing is
    // rewritten; once it parses, it is put in canonical form.
    let reply = client.request(
        "textDocument/formatting",
        json!({ "textDocument": { "uri": uri }, "options": { "tabSize": 4, "insertSpaces": true } }),
    );
    assert_eq!(reply["result"], Value::Null, "{reply}");
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": uri, "version": 4 },
            "contentChanges": [{ "text": "capital   1000 USD\nbuy  IWO   monthly\n\n\n" }],
        }),
    );
    let reply = client.request(
        "textDocument/formatting",
        json!({ "textDocument": { "uri": uri }, "options": { "tabSize": 4, "insertSpaces": true } }),
    );
    assert_eq!(reply["result"][0]["newText"], "capital 1000 USD\nbuy IWO monthly\n");
    assert_eq!(
        reply["result"][0]["range"],
        json!({ "start": { "line": 0, "character": 0 }, "end": { "line": 4, "character": 0 } })
    );
    assert_eq!(client.stop(), 0);
}

#[test]
fn functions_get_signatures_and_data_files_their_dates() {
    let dir = common::temp_dir("lsp-data");
    // Three closes by hand: hover must say 2024-01-02 to 2024-01-04, last close 12.5.
    std::fs::write(
        dir.join("ABC.csv"),
        "Date,Close\n2024-01-02,10\n2024-01-03,11\n2024-01-04,12.5\n",
    )
    .expect("the fixture can be written");
    let path = dir.join("s.rotor");
    let text = "data \"ABC.csv\"\ndata \"missing.csv\"\nbuy ABC monthly while sma(ABC, 2) > 1\n";
    std::fs::write(&path, text).expect("the fixture can be written");
    let uri = uri_of(&path);
    let (mut client, _) = Client::start(&dir, false);
    open(&mut client, &uri, text);

    // A missing file is a diagnostic on its `data` line.
    let found = client.diagnostics(&uri, |d| !d.is_empty());
    assert_eq!(found[0]["code"], "rotor::data::not_found");
    let (line, column) = position_of(text, "\"missing.csv\"");
    assert_eq!(found[0]["range"]["start"], json!({ "line": line, "character": column }));

    // Without it the data loads, and the symbol's hover tells its dates.
    let text = text.replace("data \"missing.csv\"\n", "");
    change(&mut client, &uri, 2, &text);
    client.diagnostics(&uri, |d| d.is_empty());
    let (line, column) = position_of(&text, "ABC monthly");
    let deadline = Instant::now() + TIMEOUT;
    let shown = loop {
        // The data may still be loading: ask until the hover has the dates.
        let hover = client.request("textDocument/hover", at(&uri, line, column + 1));
        let shown = hover["result"]["contents"]["value"].as_str().unwrap_or("").to_string();
        if shown.contains("rows") || Instant::now() > deadline {
            break shown;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(
        shown.contains("2024-01-02 to 2024-01-04, 3 rows; last close 12.5"),
        "{shown}"
    );

    // Inside `sma(ABC, 2)`: the signature, the second parameter active.
    let (line, column) = position_of(&text, ", 2)");
    let help = client.request("textDocument/signatureHelp", at(&uri, line, column + 2));
    let signature = &help["result"]["signatures"][0];
    assert_eq!(signature["label"], "sma(source, window)");
    assert_eq!(help["result"]["activeParameter"], 1);
    assert_eq!(signature["parameters"][1]["label"], json!([12, 18]));

    // The function's hover has its doc and what a window is.
    let (line, column) = position_of(&text, "sma(");
    let hover = client.request("textDocument/hover", at(&uri, line, column + 1));
    let shown = hover["result"]["contents"]["value"].as_str().expect("hover text");
    assert!(
        shown.contains("simple moving average") && shown.contains("trading days"),
        "{shown}"
    );

    // Semantic tokens: `data` is a keyword, `"ABC.csv"` a string, then `buy`, `ABC` a
    // symbol (type 4), `monthly`, `while`, `sma` a built-in function, `ABC`, `2`, `1`.
    let tokens = client.request(
        "textDocument/semanticTokens/full",
        json!({ "textDocument": { "uri": uri } }),
    );
    let data: Vec<u64> = serde_json::from_value(tokens["result"]["data"].clone()).expect("numbers");
    assert_eq!(
        data.chunks(5).map(|t| t.to_vec()).collect::<Vec<_>>(),
        [
            vec![0, 0, 4, 0, 0],
            vec![0, 5, 9, 7, 0],
            vec![1, 0, 3, 0, 0],
            vec![0, 4, 3, 4, 0],
            vec![0, 4, 7, 0, 0],
            vec![0, 8, 5, 0, 0],
            vec![0, 6, 3, 1, 1],
            vec![0, 4, 3, 4, 0],
            vec![0, 5, 1, 6, 0],
            vec![0, 5, 1, 6, 0],
        ]
    );
    assert_eq!(client.stop(), 0);
}

#[test]
fn script_functions_are_completed_explained_and_found_in_their_file() {
    let dir = common::temp_dir("lsp-script");
    let script = "// Momentum: how far the price rose over `n` bars.\nfn momentum(prices, n) {\n    prices[0] / prices[n] - 1.0\n}\n";
    std::fs::write(dir.join("ind.rhai"), script).expect("the fixture can be written");
    let path = dir.join("s.rotor");
    let text = "use \"ind.rhai\"\nbuy IWO monthly while momentum(IWO, 20) > 0\n";
    std::fs::write(&path, text).expect("the fixture can be written");
    let uri = uri_of(&path);
    let (mut client, _) = Client::start(&dir, false);
    open(&mut client, &uri, text);
    client.diagnostics(&uri, |d| d.is_empty());

    // Go to definition: the function's name in the script.
    let (line, column) = position_of(text, "momentum(");
    let definition = client.request("textDocument/definition", at(&uri, line, column + 2));
    assert_eq!(definition["result"]["uri"], uri_of(&dir.join("ind.rhai")));
    assert_eq!(
        definition["result"]["range"],
        json!({ "start": { "line": 1, "character": 3 }, "end": { "line": 1, "character": 11 } })
    );
    // Hover: its parameters as the script names them, and its comment.
    let hover = client.request("textDocument/hover", at(&uri, line, column + 2));
    let shown = hover["result"]["contents"]["value"].as_str().expect("hover text");
    assert!(
        shown.contains("momentum(prices, n)") && shown.contains("how far the price rose"),
        "{shown}"
    );
    // Completion offers it in a condition; signature help names its parameters.
    let items = client.request("textDocument/completion", at(&uri, line, column + 3));
    assert!(
        items["result"]
            .as_array()
            .expect("a list")
            .iter()
            .any(|i| i["label"] == "momentum")
    );
    let help = client.request("textDocument/signatureHelp", at(&uri, line, column + 13));
    assert_eq!(help["result"]["signatures"][0]["label"], "momentum(prices, n)");
    assert_eq!(help["result"]["activeParameter"], 1);

    // A mistake in the script is shown on the `use` line, pointing into the script.
    std::fs::write(dir.join("ind.rhai"), "fn momentum(prices, n) {\n    prices[0 /\n}\n")
        .expect("the fixture can be written");
    client.notify("textDocument/didSave", json!({ "textDocument": { "uri": uri } }));
    let found = client.diagnostics(&uri, |d| !d.is_empty());
    let (line, column) = position_of(text, "\"ind.rhai\"");
    assert_eq!(found[0]["range"]["start"], json!({ "line": line, "character": column }));
    assert!(
        found[0]["code"]
            .as_str()
            .is_some_and(|c| c.starts_with("rotor::script")),
        "{found:#?}"
    );
    assert_eq!(
        found[0]["relatedInformation"][0]["location"]["uri"],
        uri_of(&dir.join("ind.rhai"))
    );
    assert_eq!(client.stop(), 0);
}

#[test]
fn utf8_positions_are_used_when_the_editor_offers_them() {
    let dir = common::temp_dir("lsp-utf8");
    let path = dir.join("s.rotor");
    let text = "strategy \"é𝄞\"  buy\nbuy IWO monthy\n";
    std::fs::write(&path, text).expect("the fixture can be written");
    let uri = uri_of(&path);
    let (mut client, capabilities) = Client::start(&dir, true);
    assert_eq!(capabilities["capabilities"]["positionEncoding"], "utf-8");
    open(&mut client, &uri, "strategy \"é𝄞\" # x\nbuy IWO monthy\n");
    let found = client.diagnostics(&uri, |d| !d.is_empty());
    // `monthy` starts at byte 8 of line 1.
    assert_eq!(found[0]["range"]["start"], json!({ "line": 1, "character": 8 }));
    assert_eq!(found[0]["code"], "rotor::syntax::unexpected");
    // A position inside `é` (byte 11 of line 0) is taken as the character's start.
    let hover = client.request("textDocument/hover", at(&uri, 0, 11));
    assert!(hover.get("error").is_none(), "{hover}");
    assert_eq!(client.stop(), 0);
}

#[test]
fn hostile_input_never_stops_the_server() {
    let dir = common::temp_dir("lsp-hostile");
    let path = dir.join("s.rotor");
    let uri = uri_of(&path);
    let (mut client, _) = Client::start(&dir, false);

    // A change and a close before any open, and a request about a document never opened.
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 2 }, "contentChanges": [{ "text": "x" }] }),
    );
    client.notify("textDocument/didClose", json!({ "textDocument": { "uri": uri } }));
    let reply = client.request("textDocument/hover", at(&uri, 0, 0));
    assert_eq!(reply["result"], Value::Null);

    // A 10 MB line: one name of 10 million letters. Over the 1 MiB a strategy file may be,
    // it is refused whole, in a short message.
    let huge = format!("buy IWO monthly while {} > 1\n", "x".repeat(10_000_000));
    open(&mut client, &uri, &huge);
    let found = client.diagnostics(&uri, |d| !d.is_empty());
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0]["code"], "rotor::access::too_large");
    assert!(found[0]["message"].as_str().is_some_and(|m| m.len() < 500));
    let reply = client.request("textDocument/completion", at(&uri, 0, 9_000_000));
    assert_eq!(reply["result"], Value::Null, "{reply}");
    client.notify("textDocument/didClose", json!({ "textDocument": { "uri": uri } }));

    // A 1 MB line, under the limit: one name of a million letters, analysed.
    let long = format!("buy IWO monthly while {} > 1\n", "x".repeat(1_000_000));
    open(&mut client, &uri, &long);
    let found = client.diagnostics(&uri, |d| !d.is_empty());
    assert!(
        found
            .iter()
            .all(|d| d["message"].as_str().is_some_and(|m| m.len() < 5000))
    );
    let reply = client.request("textDocument/completion", at(&uri, 0, 900_000));
    assert!(reply.get("error").is_none(), "{reply}");
    let reply = client.request(
        "textDocument/semanticTokens/full",
        json!({ "textDocument": { "uri": uri } }),
    );
    assert!(reply["result"]["data"].as_array().is_some_and(|d| d.len() <= 500_000));

    // Positions past the end and inside a surrogate pair; a change with a range past the end.
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 3 }, "contentChanges": [{ "text": "strategy \"𝄞\"\n" }] }),
    );
    for (line, character) in [(0, 11), (0, u32::MAX as u64), (u32::MAX as u64, 0), (7, 3)] {
        for method in [
            "textDocument/hover",
            "textDocument/completion",
            "textDocument/signatureHelp",
            "textDocument/definition",
        ] {
            let reply = client.request(method, at(&uri, line, character));
            assert!(reply.get("error").is_none(), "{method} at {line}:{character}: {reply}");
        }
    }
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": uri, "version": 4 },
            "contentChanges": [{
                "range": { "start": { "line": 0, "character": 11 }, "end": { "line": 99, "character": 99 } },
                "text": "é",
            }],
        }),
    );
    // Parameters of the wrong shape, and a method the server does not know.
    let reply = client.request("textDocument/hover", json!({ "textDocument": 5 }));
    assert_eq!(reply["error"]["code"], -32602);
    let reply = client.request("rotor/unknown", json!({}));
    assert_eq!(reply["error"]["code"], -32601);

    // Closed twice; then the server still answers and stops cleanly.
    client.notify("textDocument/didClose", json!({ "textDocument": { "uri": uri } }));
    client.notify("textDocument/didClose", json!({ "textDocument": { "uri": uri } }));
    open(&mut client, &uri, "buy IWO monthly\n");
    let hover = client.request("textDocument/hover", at(&uri, 0, 10));
    assert_eq!(
        hover["result"]["contents"]["value"],
        "`monthly`: the first trading day of each month"
    );
    assert_eq!(client.stop(), 0);
}

/// The `label` of every item of a list in a reply (completion items, signatures).
fn labels(list: &Value) -> Vec<&str> {
    list.as_array()
        .expect("a list")
        .iter()
        .filter_map(|i| i["label"].as_str())
        .collect()
}

/// Replaces the whole text of a document, as a new version.
fn change(client: &mut Client, uri: &str, version: i32, text: &str) {
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [{ "text": text }] }),
    );
}

/// Semantic tokens as absolute (line, start, length, type, modifiers), from the protocol's
/// relative encoding.
fn absolute_tokens(data: &[u64]) -> Vec<[u64; 5]> {
    let (mut line, mut start) = (0, 0);
    data.chunks(5)
        .map(|t| {
            if t[0] > 0 {
                start = 0;
            }
            line += t[0];
            start += t[1];
            [line, start, t[2], t[3], t[4]]
        })
        .collect()
}

/// The hover text at a position, asked again while the data may still be loading
/// (until `ready` holds, or the timeout).
fn hover_when(client: &mut Client, uri: &str, line: u64, column: u64, ready: &str) -> Value {
    let deadline = Instant::now() + TIMEOUT;
    loop {
        let hover = client.request("textDocument/hover", at(uri, line, column));
        let shown = hover["result"]["contents"]["value"].as_str().unwrap_or("");
        if shown.contains(ready) || Instant::now() > deadline {
            return hover["result"].clone();
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn fedwatch_series_the_new_settings_and_data_warnings_reach_the_editor() {
    let dir = common::temp_dir("lsp-fedwatch");
    // `Adj Clse` is one slip from `Adj Close`: a warning, at byte 25 of the header.
    std::fs::write(
        dir.join("IWO.csv"),
        "Date,Open,High,Low,Close,Adj Clse,Volume\n2024-12-02,251,252,249,251.25,248.1,1000\n\
         2024-12-03,251.5,253,250,252.75,249.58,1100\n",
    )
    .expect("the fixture can be written");
    // One FedWatch export of the 2024-12-18 meeting; the range in force in December 2024
    // is 4.50-4.75 (cut on 2024-11-07), so (425-450) is a cut: 0.70, then 0.95.
    std::fs::create_dir_all(dir.join("fedwatch")).expect("a folder");
    std::fs::write(
        dir.join("fedwatch/FedMeeting_20241218.csv"),
        "Date,(400-425),(425-450),(450-475),(475-500)\n2024/12/2,0,0.70,0.30,0\n2024/12/16,0,0.95,0.05,0\n",
    )
    .expect("the fixture can be written");
    let path = dir.join("s.rotor");
    let text = "data \"IWO.csv\" dates day-first\ndata \"fedwatch\"\nbars per year 252\n\
                buy IWO monthly while fed_cut_prob > 0.8 and fed_cut_prob(by 2024-12-31) > 0.5\n";
    std::fs::write(&path, text).expect("the fixture can be written");
    let uri = uri_of(&path);
    let (mut client, _) = Client::start(&dir, false);
    open(&mut client, &uri, text);

    // The data's warning is a warning (severity 2) on the `data` line of its file, and
    // points into the file; the strategy itself has no error. Beside it are `rotor check`'s
    // two warnings about the strategy: on the run's two days (2024-12-02 and 03) both
    // series are 0.70, so `> 0.8` never holds and `> 0.5` always does.
    let found = client.diagnostics(&uri, |d| d.len() >= 3);
    assert_eq!(found.len(), 3, "{found:#?}");
    for (code, needle) in [
        ("rotor::run::never_true", "fed_cut_prob > 0.8"),
        ("rotor::run::always_true", "fed_cut_prob(by 2024-12-31) > 0.5"),
    ] {
        let settled = found.iter().find(|d| d["code"] == code).expect("a warning of each");
        assert_eq!(settled["severity"], 2);
        let (line, column) = position_of(text, needle);
        let end = column + needle.len() as u64;
        assert_eq!(
            settled["range"],
            json!({ "start": { "line": line, "character": column }, "end": { "line": line, "character": end } })
        );
    }
    let warning = found
        .iter()
        .find(|d| d["code"] == "rotor::data::unknown_column")
        .expect("the data's warning");
    assert_eq!(warning["severity"], 2);
    let (line, column) = position_of(text, "\"IWO.csv\"");
    assert_eq!(
        warning["range"],
        json!({ "start": { "line": line, "character": column }, "end": { "line": line, "character": column + 9 } })
    );
    let related = &warning["relatedInformation"][0]["location"];
    assert_eq!(related["uri"], uri_of(&dir.join("IWO.csv")));
    assert_eq!(
        related["range"],
        json!({ "start": { "line": 0, "character": 25 }, "end": { "line": 0, "character": 33 } })
    );

    // Hover: the next meeting's series, then the one of the last meeting by 2024-12-31
    // (the whole selector), each with its meaning and its last value (0.95 on 2024-12-16).
    let (line, column) = position_of(text, "fed_cut_prob > 0.8");
    let shown = hover_when(&mut client, &uri, line, column + 3, "last value");
    let value = shown["contents"]["value"].as_str().expect("hover text");
    assert!(value.contains("last value 0.95"), "{value}");
    assert!(
        value.contains("below today's (0-1), for the next FOMC meeting"),
        "{value}"
    );
    let (line, column) = position_of(text, "fed_cut_prob(by");
    let shown = hover_when(&mut client, &uri, line, column + 3, "last value");
    let value = shown["contents"]["value"].as_str().expect("hover text");
    assert!(
        value.contains("series `fed_cut_prob(by 2024-12-31)`") && value.contains("on or before 2024-12-31"),
        "{value}"
    );
    assert!(value.contains("last value 0.95"), "{value}");
    let selector = "fed_cut_prob(by 2024-12-31)".len() as u64;
    assert_eq!(
        shown["range"],
        json!({ "start": { "line": line, "character": column }, "end": { "line": line, "character": column + selector } })
    );
    // The newer settings' words explain themselves.
    let hover = client.request("textDocument/hover", at(&uri, 0, 25));
    let value = hover["result"]["contents"]["value"].as_str().expect("hover text");
    assert!(value.contains("1 February 2024"), "{value}");
    let hover = client.request("textDocument/hover", at(&uri, 2, 1));
    let value = hover["result"]["contents"]["value"].as_str().expect("hover text");
    assert!(value.starts_with("`bars per year N`"), "{value}");
    // Every statement's first word says what the statement does (language::statement).
    let hover = client.request("textDocument/hover", at(&uri, 0, 1));
    let value = hover["result"]["contents"]["value"].as_str().expect("hover text");
    assert!(value.starts_with("`data \"FILE\"`: a CSV file or folder"), "{value}");

    // Signature help in the selector: its two forms, the `by` one active.
    let help = client.request("textDocument/signatureHelp", at(&uri, line, column + 16));
    assert_eq!(
        labels(&help["result"]["signatures"]),
        ["fed_cut_prob(meeting N)", "fed_cut_prob(by DATE)"]
    );
    assert_eq!(help["result"]["activeSignature"], 1);

    // Semantic tokens: `day-first` one keyword; `fed_cut_prob` a read-only series of
    // rotor's own (variable, readonly | defaultLibrary), `by` a keyword, the date a date.
    let tokens = client.request(
        "textDocument/semanticTokens/full",
        json!({ "textDocument": { "uri": uri } }),
    );
    let data: Vec<u64> = serde_json::from_value(tokens["result"]["data"].clone()).expect("numbers");
    let tokens = absolute_tokens(&data);
    let (l, c) = position_of(text, "day-first");
    assert!(tokens.contains(&[l, c, 9, 0, 0]), "{tokens:?}");
    assert!(tokens.contains(&[line, column, 12, 3, 0b11]), "{tokens:?}");
    assert!(tokens.contains(&[line, column + 13, 2, 0, 0]), "{tokens:?}");
    assert!(tokens.contains(&[line, column + 16, 10, 6, 0b1_0000]), "{tokens:?}");

    // Completion: a FedWatch series with its meaning, and in its brackets only a meeting.
    change(&mut client, &uri, 2, &format!("{text}sell IWO monthly while fed_h"));
    let items = client.request("textDocument/completion", at(&uri, 4, 28));
    let hike = items["result"]
        .as_array()
        .expect("a list")
        .iter()
        .find(|i| i["label"] == "fed_hike_prob")
        .expect("FedWatch's series are offered")
        .clone();
    assert!(
        hike["documentation"]
            .as_str()
            .is_some_and(|d| d.starts_with("probability the target range after the meeting is above")),
        "{hike}"
    );
    change(
        &mut client,
        &uri,
        3,
        &format!("{text}sell IWO monthly while fed_hike_prob("),
    );
    let items = client.request("textDocument/completion", at(&uri, 4, 37));
    assert_eq!(labels(&items["result"]), ["by", "meeting"]);
    assert_eq!(client.stop(), 0);
}

#[test]
fn a_document_reads_only_what_rotor_check_would_and_never_shows_a_refused_file() {
    let dir = common::temp_dir("lsp-access");
    let folder = dir.join("strategy");
    let private = dir.join("private");
    std::fs::create_dir_all(&folder).expect("a folder");
    std::fs::create_dir_all(&private).expect("a folder");
    // Closes no other fixture uses, so any reply that shows them shows the file.
    std::fs::write(
        private.join("XYZ.csv"),
        "Date,Close\n2024-01-02,731.25\n2024-01-03,732.75\n",
    )
    .expect("the fixture can be written");
    std::fs::write(private.join("ind.rhai"), "fn hidden_signal(x) { x * 918273 }\n")
        .expect("the fixture can be written");
    let path = folder.join("s.rotor");
    let text = "data \"../private/XYZ.csv\"\nuse \"../private/ind.rhai\"\nbuy XYZ monthly\nsell XYZ monthly while hidden_signal(XYZ) > 1\n";
    std::fs::write(&path, text).expect("the fixture can be written");
    let uri = uri_of(&path);

    // Started in the strategy's folder with no `--allow-path`: both files are outside it.
    let (mut client, _) = Client::start(&folder, false);
    open(&mut client, &uri, text);
    let found = client.diagnostics(&uri, |d| d.iter().any(|x| x["code"] == "rotor::access::outside"));
    let shown = serde_json::to_string(&found).expect("JSON");
    assert!(!shown.contains("731.25") && !shown.contains("918273"), "{shown}");
    let outside = found
        .iter()
        .find(|x| x["code"] == "rotor::access::outside")
        .expect("the refusal is a diagnostic");
    let message = outside["message"].as_str().expect("a message");
    assert!(message.contains("--allow-path"), "{message}");
    // It sits on the line that names the file.
    let line = outside["range"]["start"]["line"].as_u64().expect("a line");
    assert!(line <= 1, "{outside:#}");
    // Go to definition does not open a refused file, completion offers nothing from it,
    // and no hover tells its values.
    let (l, c) = position_of(text, "../private/XYZ.csv");
    let target = client.request("textDocument/definition", at(&uri, l, c + 3));
    assert_eq!(target["result"], Value::Null, "{target}");
    let (l, c) = position_of(text, "hid");
    let items = client.request("textDocument/completion", at(&uri, l, c + 3));
    assert!(!labels(&items["result"]).contains(&"hidden_signal"), "{items}");
    let (l, c) = position_of(text, "XYZ monthly");
    let hover = client.request("textDocument/hover", at(&uri, l, c + 1));
    assert!(!hover.to_string().contains("731"), "{hover}");
    assert_eq!(client.stop(), 0);

    // With `--allow-path` the same document reads both, as `rotor check` would.
    let allowed = private.display().to_string();
    let (mut client, _) = Client::start_with(&folder, false, &["--allow-path", &allowed]);
    open(&mut client, &uri, text);
    let (l, c) = position_of(text, "XYZ monthly");
    let shown = hover_when(&mut client, &uri, l, c + 1, "rows");
    let value = shown["contents"]["value"].as_str().unwrap_or("");
    assert!(value.contains("last close 732.75"), "{shown}");
    let (l, c) = position_of(text, "hid");
    let items = client.request("textDocument/completion", at(&uri, l, c + 3));
    assert!(labels(&items["result"]).contains(&"hidden_signal"), "{items}");
    let (l, c) = position_of(text, "../private/XYZ.csv");
    let target = client.request("textDocument/definition", at(&uri, l, c + 3));
    let target_uri = target["result"]["uri"].as_str().expect("a location");
    assert!(target_uri.ends_with("/private/XYZ.csv"), "{target}");
    assert_eq!(client.stop(), 0);
}

/// Runs `rotor lsp` on raw `input` (no handshake) and returns its exit code and stderr
/// (its words, each separated by one space).
fn lsp_on(input: &[u8]) -> (i32, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rotor"))
        .arg("lsp")
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("rotor lsp starts");
    let mut stdin = child.stdin.take().expect("stdin is piped");
    // The server may stop before reading it all.
    let _ = stdin.write_all(input);
    drop(stdin);
    let out = child.wait_with_output().expect("the server finishes");
    // The message as one line: miette wraps it and marks the wrap with `│`.
    let err = String::from_utf8_lossy(&out.stderr);
    let words: Vec<&str> = err.split_whitespace().filter(|w| *w != "│").collect();
    (out.status.code().unwrap_or(-1), words.join(" "))
}

#[test]
fn a_message_larger_than_the_limit_is_refused_with_a_reason_not_an_abort() {
    // 99,999,999,999 bytes announced (about 93 GiB): allocating it first aborted the
    // process (exit 134); the limit is 64 MiB.
    let (code, err) = lsp_on(b"Content-Length: 99999999999\r\n\r\n{}");
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("a message of 99999999999 bytes is more than rotor lsp reads (at most 64.0 MiB"),
        "{err}"
    );
    // A length under the limit that the input never delivers: read as it arrives.
    let (code, err) = lsp_on(b"Content-Length: 60000000\r\n\r\n{\"jsonrpc\"");
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("the input ended after 10 of a message's 60000000 bytes"),
        "{err}"
    );
}

/// `body` framed as a message: its `Content-Length` header, a blank line, the body.
fn framed(body: &Value) -> Vec<u8> {
    let body = body.to_string();
    format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
}

#[test]
fn exit_without_shutdown_is_exit_code_1_and_framing_faults_are_named() {
    // The protocol: "exit with success code 0 if the shutdown request has been received
    // before; otherwise with error code 1".
    let mut input = framed(&json!({ "jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": { "processId": null, "rootUri": null, "capabilities": {} } }));
    input.extend(framed(
        &json!({ "jsonrpc": "2.0", "method": "initialized", "params": {} }),
    ));
    input.extend(framed(&json!({ "jsonrpc": "2.0", "method": "exit" })));
    let (code, err) = lsp_on(&input);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("the editor sent `exit` without `shutdown` first"), "{err}");

    // Two lengths: the last one won silently; here it would have read `{}` as the body.
    let (code, err) = lsp_on(b"Content-Length: 9\r\nContent-Length: 2\r\n\r\n{}");
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("a message has two Content-Length headers"), "{err}");
    // A byte-order mark before the header was reported as a missing header.
    let (code, err) = lsp_on(b"\xEF\xBB\xBFContent-Length: 2\r\n\r\n{}");
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("starts with a UTF-8 byte-order mark (bytes EF BB BF)"),
        "{err}"
    );
    assert!(!err.contains("no Content-Length"), "{err}");
    // JSON that is not a message: said in words, not serde's.
    let (code, err) = lsp_on(&framed(&json!({ "a": 1 })));
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("a message is JSON but not JSON-RPC: expected an object"),
        "{err}"
    );
    assert!(!err.contains("untagged"), "{err}");
}

#[test]
fn a_document_larger_than_a_strategy_file_may_be_is_refused_as_rotor_check_refuses_it() {
    let dir = common::temp_dir("lsp-too-large");
    let path = dir.join("big.rotor");
    let uri = uri_of(&path);
    let (mut client, _) = Client::start(&dir, false);
    let refused = |d: &[Value]| d.len() == 1 && d[0]["code"] == "rotor::access::too_large";

    // 1,500,016 bytes: 1.4 MiB, over the 1 MiB `rotor check` reads of a strategy file.
    let big = format!("{}buy IWO monthly\n", "\n".repeat(1_500_000));
    open(&mut client, &uri, &big);
    let found = client.diagnostics(&uri, |d| !d.is_empty());
    assert!(refused(&found), "{found:#?}");
    let message = found[0]["message"].as_str().expect("a message");
    assert!(
        message.contains("big.rotor` is 1.4 MiB, more than the 1.0 MiB a strategy file may be"),
        "{message}"
    );
    assert_eq!(found[0]["range"]["start"], json!({ "line": 0, "character": 0 }));
    // Not analysed: no feature answers about it.
    let hover = client.request("textDocument/hover", at(&uri, 1_500_000, 10));
    assert_eq!(hover["result"], Value::Null, "{hover}");
    let tokens = client.request(
        "textDocument/semanticTokens/full",
        json!({ "textDocument": { "uri": uri } }),
    );
    assert_eq!(tokens["result"], Value::Null, "{tokens}");

    // An edit by range that removes the blank lines: the rest is analysed again.
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": { "uri": uri, "version": 2 },
            "contentChanges": [{
                "range": { "start": { "line": 0, "character": 0 }, "end": { "line": 1_500_000, "character": 0 } },
                "text": "",
            }],
        }),
    );
    client.diagnostics(&uri, |d| !refused(d));
    let hover = client.request("textDocument/hover", at(&uri, 0, 10));
    assert_eq!(
        hover["result"]["contents"]["value"],
        "`monthly`: the first trading day of each month"
    );
    // And a change that makes it too large again is refused again.
    change(&mut client, &uri, 3, &big);
    let found = client.diagnostics(&uri, refused);
    assert_eq!(found.len(), 1);
    assert_eq!(client.stop(), 0);
}

/// Each reason `rotor lsp` stops early comes with a help that fits it: only input that never
/// starts the protocol says to start the server from an editor; a framing fault says what a
/// client must send; `exit` without `shutdown` says what the editor did, and that it is safe.
#[test]
fn each_way_the_server_stops_has_a_help_that_fits_its_cause() {
    let from_an_editor = "start it from an editor's LSP client";
    let initialize = framed(&json!({ "jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": { "processId": null, "rootUri": null, "capabilities": {} } }));

    // No input at all: someone ran it by hand, or the client never spoke.
    let (code, err) = lsp_on(b"");
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("the input ended before the editor's `initialize` request"),
        "{err}"
    );
    assert!(!err.contains("disconnected channel"), "{err}");
    assert!(err.contains(from_an_editor), "{err}");

    // Framing faults, before and after the handshake: what a client must send.
    let mut after_handshake = initialize.clone();
    after_handshake.extend(b"Content-Length: x\r\n\r\n");
    for input in [
        &b"Content-Length: 2\r\n\r\n{}"[..],
        b"Content-Length: 9\r\nContent-Length: 2\r\n\r\n{}",
        &after_handshake,
    ] {
        let (code, err) = lsp_on(input);
        assert_eq!(code, 1, "{err}");
        assert!(
            !err.contains(from_an_editor),
            "a protocol error, not a way of starting it: {err}"
        );
        assert!(
            err.contains("help: an LSP client frames each message as `Content-Length: N`"),
            "{err}"
        );
    }

    // The handshake left unfinished: `exit` instead of `initialized`.
    let mut input = initialize.clone();
    input.extend(framed(&json!({ "jsonrpc": "2.0", "method": "exit" })));
    let (code, err) = lsp_on(&input);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("the editor's next message after `initialize` was not `initialized`"),
        "{err}"
    );
    assert!(
        err.contains("help: the editor sent messages out of the protocol's order"),
        "{err}"
    );

    // `exit` without `shutdown`: the editor's order of messages; nothing is lost.
    let mut input = initialize;
    input.extend(framed(
        &json!({ "jsonrpc": "2.0", "method": "initialized", "params": {} }),
    ));
    input.extend(framed(&json!({ "jsonrpc": "2.0", "method": "exit" })));
    let (code, err) = lsp_on(&input);
    assert_eq!(code, 1, "{err}");
    assert!(!err.contains(from_an_editor), "{err}");
    assert!(
        err.contains("help: the editor ended the session without `shutdown`"),
        "{err}"
    );
}

/// Odd documents: only blank lines, and 900 KB of comments. Each is checked as `rotor check`
/// checks it (no rules), and requests about it are answered (nothing there to hover; every
/// comment line highlighted as a comment).
#[test]
fn a_document_of_blank_lines_or_of_comments_is_answered() {
    let dir = common::temp_dir("lsp-odd-documents");
    let (mut client, _) = Client::start(&dir, false);
    let no_rules = |d: &[Value]| d.len() == 1 && d[0]["code"] == "rotor::check::no_rules";

    let blank = uri_of(&dir.join("blank.rotor"));
    open(&mut client, &blank, &"\n".repeat(100_000));
    let found = client.diagnostics(&blank, no_rules);
    assert_eq!(found[0]["range"]["start"], json!({ "line": 0, "character": 0 }));
    let hover = client.request("textDocument/hover", at(&blank, 50_000, 0));
    assert_eq!(hover["result"], Value::Null, "{hover}");
    let tokens = client.request(
        "textDocument/semanticTokens/full",
        json!({ "textDocument": { "uri": blank } }),
    );
    assert_eq!(tokens["result"]["data"], json!([]), "{tokens}");

    // 16,000 lines of 57 bytes: 912,000 bytes, under the 1 MiB a strategy file may be.
    let line = "# a comment line of some length, as an editor may hold\n";
    let lines = 16_000;
    let comments = uri_of(&dir.join("comments.rotor"));
    open(&mut client, &comments, &line.repeat(lines));
    client.diagnostics(&comments, no_rules);
    let hover = client.request("textDocument/hover", at(&comments, 8_000, 10));
    assert_eq!(hover["result"], Value::Null, "{hover}");
    let tokens = client.request(
        "textDocument/semanticTokens/full",
        json!({ "textDocument": { "uri": comments } }),
    );
    let data: Vec<u64> = serde_json::from_value(tokens["result"]["data"].clone()).expect("numbers");
    let absolute = absolute_tokens(&data);
    assert_eq!(absolute.len(), lines, "one token a line");
    let width = line.trim_end().len() as u64;
    assert!(
        absolute
            .iter()
            .enumerate()
            .all(|(i, t)| t[0] == i as u64 && t[1] == 0 && t[2] == width),
        "every line is one comment from its start: {:?}",
        &absolute[..3]
    );
    assert_eq!(client.stop(), 0);
}

/// Fifty versions of a document sent at once, each followed by a request: the answers come
/// in the order the requests were sent, every diagnostic published after the answer to the
/// request that followed version `v` is for version `v` or later (by its version and by what
/// it says: version `v` names the unknown `x{v}`), and the last ones are for the last version.
#[test]
fn rapid_changes_are_answered_in_order_with_no_stale_diagnostics() {
    let dir = common::temp_dir("lsp-rapid-changes");
    let (mut client, _) = Client::start(&dir, false);
    let uri = uri_of(&dir.join("typing.rotor"));
    let text = |v: i32| format!("buy IWO monthly while x{v} > 0\n");
    open(&mut client, &uri, &text(1));
    let versions = 2..=51;
    for v in versions.clone() {
        change(&mut client, &uri, v, &text(v));
        let id = 1_000 + i64::from(v);
        client.send(&json!({ "jsonrpc": "2.0", "id": id, "method": "textDocument/hover",
            "params": at(&uri, 0, 1) }));
    }
    // What arrives, in order: answers (by id) and diagnostics (version, the `x` they name),
    // until every request is answered and the last version's unknown name is reported (once
    // the data is loaded).
    let deadline = Instant::now() + TIMEOUT;
    let mut answered: Vec<i64> = Vec::new();
    // The latest version answered for so far: diagnostics must be at least this new.
    let mut floor = 1;
    let mut last_named = None;
    while answered.len() < 50 || last_named.as_deref() != Some("x51") {
        let message = client
            .receive(deadline)
            .unwrap_or_else(|| panic!("answers {answered:?}, last name reported {last_named:?}"));
        if let Some(id) = message["id"].as_i64() {
            assert!(message.get("result").is_some(), "{message}");
            answered.push(id);
            floor = i32::try_from(id - 1_000).expect("a version");
            continue;
        }
        if message["method"] != "textDocument/publishDiagnostics" || message["params"]["uri"] != uri {
            continue;
        }
        let version = message["params"]["version"]
            .as_i64()
            .expect("diagnostics carry the version");
        let version = i32::try_from(version).expect("a version");
        assert!(
            version >= floor,
            "diagnostics of version {version} after version {floor} was read"
        );
        for d in message["params"]["diagnostics"].as_array().expect("a list") {
            let said = d["message"].as_str().unwrap_or_default();
            if let Some(named) = said.split('`').find(|w| w.starts_with('x')) {
                assert_eq!(named, format!("x{version}"), "{said}");
                last_named = Some(named.to_string());
            }
        }
    }
    let expected: Vec<i64> = versions.map(|v| 1_000 + i64::from(v)).collect();
    assert_eq!(answered, expected, "answers in the order asked");
    assert_eq!(client.stop(), 0);
}

/// Runs `rotor lsp` on raw `input` as [`lsp_on`] does, and returns the messages it wrote too.
fn lsp_messages(input: &[u8]) -> (i32, Vec<Value>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_rotor"))
        .arg("lsp")
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("rotor lsp starts");
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let _ = stdin.write_all(input);
    drop(stdin);
    let out = child.wait_with_output().expect("the server finishes");
    let mut reader = BufReader::new(&out.stdout[..]);
    let messages = std::iter::from_fn(|| read_message(&mut reader)).collect();
    let err = String::from_utf8_lossy(&out.stderr);
    let words: Vec<&str> = err.split_whitespace().filter(|w| *w != "│").collect();
    (out.status.code().unwrap_or(-1), messages, words.join(" "))
}

/// The protocol: before `initialize`, "notifications should be dropped, except for the exit
/// notification", and "requests should error with code: -32002". A client that opens a
/// document first is told what it did, not that the input ended.
#[test]
fn messages_before_initialize_are_answered_as_the_protocol_says() {
    let uri = "file:///tmp/early.rotor";
    let did_open = framed(&json!({ "jsonrpc": "2.0", "method": "textDocument/didOpen",
        "params": { "textDocument": { "uri": uri, "languageId": "rotor", "version": 1,
            "text": "buy IWO monthly\n" } } }));
    let hover = |id: i64| {
        framed(&json!({ "jsonrpc": "2.0", "id": id, "method": "textDocument/hover",
            "params": at(uri, 0, 10) }))
    };
    let initialize = framed(&json!({ "jsonrpc": "2.0", "id": 3, "method": "initialize",
        "params": { "processId": null, "rootUri": null, "capabilities": {} } }));

    // A document opened, a request, and the input ends: the stop names what came instead.
    let mut input = did_open.clone();
    input.extend(hover(1));
    let (code, messages, err) = lsp_messages(&input);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("rotor::lsp::not_started"), "{err}");
    // miette may wrap the line inside a method name (after its `/`): compared without spaces.
    let squashed = |s: &str| s.split_whitespace().collect::<String>();
    assert!(
        squashed(&err).contains(&squashed(
            "the input ended before the editor's `initialize` request; before it came 1 \
             notification (`textDocument/didOpen`), dropped, and 1 request \
             (`textDocument/hover`), refused"
        )),
        "{err}"
    );
    // The request was refused with the protocol's code, in words.
    assert_eq!(messages.len(), 1, "{messages:#?}");
    assert_eq!(messages[0]["id"], 1);
    assert_eq!(messages[0]["error"]["code"], -32002);
    assert_eq!(
        messages[0]["error"]["message"],
        "rotor lsp is not initialized: the editor sends `initialize` first"
    );

    // The same, then the handshake: the session goes on, and the document opened before it
    // is not open (the notification was dropped).
    let mut input = did_open;
    input.extend(hover(1));
    input.extend(initialize);
    input.extend(framed(
        &json!({ "jsonrpc": "2.0", "method": "initialized", "params": {} }),
    ));
    input.extend(hover(4));
    input.extend(framed(&json!({ "jsonrpc": "2.0", "id": 5, "method": "shutdown" })));
    input.extend(framed(&json!({ "jsonrpc": "2.0", "method": "exit" })));
    let (code, messages, err) = lsp_messages(&input);
    assert_eq!(code, 0, "{err}");
    let reply = |id: i64| messages.iter().find(|m| m["id"] == id).cloned().unwrap_or_default();
    assert_eq!(reply(1)["error"]["code"], -32002, "{messages:#?}");
    assert!(reply(3)["result"]["capabilities"].is_object(), "{messages:#?}");
    assert_eq!(reply(4)["result"], Value::Null, "{messages:#?}");
    assert!(
        !messages
            .iter()
            .any(|m| m["method"] == "textDocument/publishDiagnostics"),
        "{messages:#?}"
    );

    // `exit` before `initialize`: the protocol's exit without `shutdown` (code 1), said as such.
    let (code, _, err) = lsp_messages(&framed(&json!({ "jsonrpc": "2.0", "method": "exit" })));
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("rotor::lsp::exit_without_shutdown"), "{err}");
    assert!(err.contains("the editor sent `exit` before `initialize`"), "{err}");
}

/// Each way of stopping has a code of its own, so an editor's log or a script can tell
/// them apart.
#[test]
fn each_way_the_server_stops_has_a_code_of_its_own() {
    let initialize = framed(&json!({ "jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": { "processId": null, "rootUri": null, "capabilities": {} } }));
    let initialized = framed(&json!({ "jsonrpc": "2.0", "method": "initialized", "params": {} }));
    let exit = framed(&json!({ "jsonrpc": "2.0", "method": "exit" }));
    let cases: [(Vec<u8>, &str); 4] = [
        (Vec::new(), "rotor::lsp::not_started"),
        (b"Content-Length: x\r\n\r\n".to_vec(), "rotor::lsp::bad_input"),
        ([initialize.clone(), exit.clone()].concat(), "rotor::lsp::protocol"),
        (
            [initialize, initialized, exit].concat(),
            "rotor::lsp::exit_without_shutdown",
        ),
    ];
    for (input, wanted) in cases {
        let (code, err) = lsp_on(&input);
        assert_eq!(code, 1, "{err}");
        assert!(err.contains(wanted), "{wanted}: {err}");
        assert!(!err.contains("rotor::usage::invalid_argument"), "{err}");
    }
}

/// A document holding half of a surrogate pair (a JavaScript string may, and
/// `JSON.stringify` writes it as `\ud800`) stopped the server as "JSON but not JSON-RPC";
/// it is a document with a character that is not text, and the session goes on.
#[test]
fn a_lone_surrogate_in_a_document_is_a_diagnostic_not_a_stop() {
    let mut input = framed(&json!({ "jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": { "processId": null, "rootUri": null, "capabilities": {} } }));
    input.extend(framed(
        &json!({ "jsonrpc": "2.0", "method": "initialized", "params": {} }),
    ));
    // serde_json cannot write a lone surrogate: the body is written by hand.
    let body = r#"{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///tmp/half.rotor","languageId":"rotor","version":1,"text":"buy \ud800IWO monthly\n"}}}"#;
    input.extend(format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes());
    input.extend(framed(&json!({ "jsonrpc": "2.0", "id": 2, "method": "shutdown" })));
    input.extend(framed(&json!({ "jsonrpc": "2.0", "method": "exit" })));
    let (code, messages, err) = lsp_messages(&input);
    assert_eq!(code, 0, "{err}");
    let published = messages
        .iter()
        .find(|m| m["method"] == "textDocument/publishDiagnostics")
        .unwrap_or_else(|| panic!("no diagnostics: {messages:#?}"));
    let diagnostics = published["params"]["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    assert_eq!(diagnostics[0]["code"], "rotor::syntax::not_text");
    // At the character, one UTF-16 unit after `buy `, as the editor counts it.
    assert_eq!(diagnostics[0]["range"]["start"], json!({ "line": 0, "character": 4 }));
}
