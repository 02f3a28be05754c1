//! A small LSP client for end-to-end tests: it runs the built `dockerfile-lsp` over stdio.
//!
//! * Framing is checked strictly: anything on the server's stdout that is not a
//!   `Content-Length` frame holding a JSON-RPC 2.0 message fails the test.
//! * Requests of the server are answered at once, from a reader thread:
//!   `workspace/configuration` with the settings the test set ([`LspClient::set_settings`]),
//!   `client/registerCapability` and every other request with `null`. All are recorded
//!   ([`LspClient::server_requests`]); those other than the two named are also queued like
//!   notifications, for the test to read.
//! * Every wait has a timeout and fails the test instead of hanging.
//! * The test must read every notification the server sent: [`LspClient::shutdown_and_exit`]
//!   and [`LspClient::wait_exit`] fail if any is left unread (as ruff's harness does), so a
//!   stray or duplicated message cannot go unnoticed.
//!
//! ```ignore
//! let mut lsp = LspClient::spawn();
//! lsp.initialize(&["utf-16"], json!({}));
//! lsp.open("file:///w/Dockerfile", "ENV A\n");
//! let diags = lsp.wait_diagnostics("file:///w/Dockerfile", Some(1));
//! assert_eq!(lsp.shutdown_and_exit().code(), Some(0));
//! ```

use std::collections::{HashMap, VecDeque};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, ChildStdout, Command, ExitStatus, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// How long any single wait may take before the test fails.
pub const TIMEOUT: Duration = Duration::from_secs(30);

/// Server requests answered without queuing them for the test.
const PLUMBING: [&str; 2] = ["workspace/configuration", "client/registerCapability"];

/// A JSON-RPC error object, as returned by [`LspClient::try_request`].
pub type RpcError = Value;

enum Incoming {
    Message(Value),
    /// Bytes on stdout that are not a JSON-RPC frame.
    Violation(String),
    Closed,
}

#[derive(Default)]
struct Shared {
    settings: Mutex<Value>,
    server_requests: Mutex<Vec<Value>>,
    stderr: Mutex<Vec<u8>>,
}

pub struct LspClient {
    child: Child,
    stdin: Arc<Mutex<Option<ChildStdin>>>,
    inbox: Receiver<Incoming>,
    shared: Arc<Shared>,
    next_id: i64,
    /// Responses read but not yet claimed, by id.
    responses: HashMap<i64, Value>,
    /// Notifications (and queued server requests) read but not yet consumed, in order.
    notifications: VecDeque<Value>,
    /// The server's stdout ended.
    closed: bool,
    finished: bool,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl LspClient {
    /// Starts `dockerfile-lsp` with no arguments.
    pub fn spawn() -> Self {
        Self::spawn_with_args(&[])
    }

    pub fn spawn_with_args(args: &[&str]) -> Self {
        Self::spawn_with(args, &[])
    }

    /// Starts `dockerfile-lsp` with `args` and extra environment variables.
    pub fn spawn_with(args: &[&str], env: &[(&str, &str)]) -> Self {
        let mut child = Command::new(crate::binary())
            .args(args)
            .envs(env.iter().copied())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("dockerfile-lsp starts");
        let stdin = Arc::new(Mutex::new(child.stdin.take()));
        let stdout = child.stdout.take().expect("piped stdout");
        let mut stderr = child.stderr.take().expect("piped stderr");
        let shared = Arc::new(Shared::default());
        let (tx, inbox) = channel();
        {
            let (stdin, shared) = (stdin.clone(), shared.clone());
            thread::spawn(move || read_stdout(stdout, tx, stdin, shared));
        }
        {
            let shared = shared.clone();
            thread::spawn(move || {
                let mut buf = [0u8; 4096];
                while let Ok(n @ 1..) = stderr.read(&mut buf) {
                    lock(&shared.stderr).extend_from_slice(&buf[..n]);
                }
            });
        }
        LspClient {
            child,
            stdin,
            inbox,
            shared,
            next_id: 0,
            responses: HashMap::new(),
            notifications: VecDeque::new(),
            closed: false,
            finished: false,
        }
    }

    /// `initialize` (offering `encodings` in `general.positionEncodings`, and `settings` as
    /// `initializationOptions` and as the answer to `workspace/configuration`), then
    /// `initialized`. Returns the `InitializeResult`.
    pub fn initialize(&mut self, encodings: &[&str], settings: Value) -> Value {
        let mut params = json!({
            "processId": null,
            "rootUri": null,
            "capabilities": {
                "workspace": {
                    "configuration": true,
                    "didChangeConfiguration": {"dynamicRegistration": true},
                },
                "textDocument": {
                    "synchronization": {"didSave": true},
                    "publishDiagnostics": {"versionSupport": true, "tagSupport": {"valueSet": [1, 2]}},
                },
            },
            "initializationOptions": settings.clone(),
        });
        if !encodings.is_empty() {
            params["capabilities"]["general"] = json!({"positionEncodings": encodings});
        }
        self.set_settings(settings);
        self.initialize_with(params)
    }

    /// `initialize` with exactly `params`, then `initialized`.
    pub fn initialize_with(&mut self, params: Value) -> Value {
        let result = self.request("initialize", params);
        self.notify("initialized", json!({}));
        result
    }

    /// What `workspace/configuration` answers for section `dockerfile` from now on.
    pub fn set_settings(&self, settings: Value) {
        *lock(&self.shared.settings) = settings;
    }

    /// Sends a request and waits for its result; fails the test on an error response.
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        match self.try_request(method, params) {
            Ok(result) => result,
            Err(error) => panic!("{method} failed: {error}"),
        }
    }

    /// Sends a request and waits for its result or error object.
    pub fn try_request(&mut self, method: &str, params: Value) -> Result<Value, RpcError> {
        let id = self.send_request(method, params);
        self.response(id)
    }

    /// Sends a request without waiting; claim the answer with [`response`](Self::response).
    pub fn send_request(&mut self, method: &str, params: Value) -> i64 {
        self.next_id += 1;
        let id = self.next_id;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        id
    }

    /// Waits for the response to request `id`.
    pub fn response(&mut self, id: i64) -> Result<Value, RpcError> {
        let message = self.wait_for(&format!("the response to request {id}"), |me| {
            me.responses.remove(&id)
        });
        match message.get("error") {
            Some(error) => Err(error.clone()),
            None => Ok(message.get("result").cloned().unwrap_or(Value::Null)),
        }
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Writes bytes as they are (for malformed-input tests).
    pub fn send_raw(&mut self, bytes: &[u8]) {
        let mut stdin = lock(&self.stdin);
        let stdin = stdin.as_mut().expect("stdin is open");
        stdin.write_all(bytes).expect("write to the server");
        stdin.flush().expect("flush");
    }

    fn send(&mut self, message: &Value) {
        let body = message.to_string();
        let frame = format!("Content-Length: {}\r\n\r\n{body}", body.len());
        self.send_raw(frame.as_bytes());
    }

    /// `didOpen` at version 1.
    pub fn open(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "dockerfile", "version": 1, "text": text}}),
        );
    }

    /// `didChange` with `changes`, each made by [`edit`] or [`replace_all`].
    pub fn change(&mut self, uri: &str, version: i32, changes: Vec<Value>) {
        self.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": changes}),
        );
    }

    pub fn close(&mut self, uri: &str) {
        self.notify(
            "textDocument/didClose",
            json!({"textDocument": {"uri": uri}}),
        );
    }

    /// Waits for the next notification (or queued server request) called `method` and
    /// returns its params. Other notifications stay queued.
    pub fn notification(&mut self, method: &str) -> Value {
        self.wait_for(&format!("a {method} notification"), |me| {
            let i = me
                .notifications
                .iter()
                .position(|n| n["method"] == method)?;
            me.notifications.remove(i).map(|n| n["params"].clone())
        })
    }

    /// Waits for `publishDiagnostics` of `uri` (at `version`, if given) and returns its
    /// diagnostics. Earlier publications for `uri` are consumed on the way; their versions
    /// must not decrease.
    pub fn wait_diagnostics(&mut self, uri: &str, version: Option<i32>) -> Vec<Value> {
        let mut last_version: Option<i64> = None;
        let what = format!("diagnostics of {uri} at version {version:?}");
        self.wait_for(&what, |me| {
            loop {
                let i = me.notifications.iter().position(|n| {
                    n["method"] == "textDocument/publishDiagnostics" && n["params"]["uri"] == uri
                })?;
                let params = me.notifications.remove(i)?["params"].clone();
                let got = params["version"].as_i64();
                if let (Some(last), Some(got)) = (last_version, got) {
                    assert!(
                        got >= last,
                        "{uri}: diagnostics for version {got} after {last}"
                    );
                }
                last_version = got.or(last_version);
                if version.is_none_or(|v| got == Some(i64::from(v))) {
                    return Some(
                        params["diagnostics"]
                            .as_array()
                            .cloned()
                            .expect("diagnostics array"),
                    );
                }
                if let (Some(want), Some(got)) = (version, got) {
                    assert!(
                        got < i64::from(want),
                        "{uri}: waited for version {want}, got {got}"
                    );
                }
            }
        })
    }

    /// Waits for an error response with id `null` (the answer to a message the server could
    /// not read) and returns its error object.
    pub fn null_id_error(&mut self) -> RpcError {
        self.wait_for("an error response with id null", |me| {
            let i = me
                .notifications
                .iter()
                .position(|m| m.get("id") == Some(&Value::Null) && m.get("error").is_some())?;
            me.notifications.remove(i).map(|m| m["error"].clone())
        })
    }

    /// Consumes `publishDiagnostics` of `uri` until one satisfies `accept`, and returns it.
    /// For when settings and edits race, and only the outcome is fixed.
    pub fn wait_diagnostics_until(
        &mut self,
        uri: &str,
        mut accept: impl FnMut(&[Value]) -> bool,
    ) -> Vec<Value> {
        loop {
            let diagnostics = self.wait_diagnostics(uri, None);
            if accept(&diagnostics) {
                return diagnostics;
            }
        }
    }

    /// Waits `quiet` and fails if a notification called `method` arrived meanwhile.
    pub fn expect_no_notification(&mut self, method: &str, quiet: Duration) {
        let deadline = Instant::now() + quiet;
        while self.receive_until(deadline) {}
        let found: Vec<_> = self
            .notifications
            .iter()
            .filter(|n| n["method"] == method)
            .collect();
        assert!(found.is_empty(), "unexpected {method}: {found:#?}");
    }

    /// Server requests received so far that are called `method` (answered automatically).
    pub fn server_requests(&self, method: &str) -> Vec<Value> {
        lock(&self.shared.server_requests)
            .iter()
            .filter(|r| r["method"] == method)
            .cloned()
            .collect()
    }

    /// Waits until the server has sent `count` requests called `method`.
    pub fn wait_server_requests(&mut self, method: &str, count: usize) -> Vec<Value> {
        self.wait_for(&format!("{count} {method} requests"), |me| {
            let got = me.server_requests(method);
            (got.len() >= count).then_some(got)
        })
    }

    /// What the server wrote to stderr so far.
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&lock(&self.shared.stderr)).into_owned()
    }

    /// Waits until the server's stderr contains `needle` (it is read by another thread, so
    /// a log line written before a response may be seen after it); returns all of stderr.
    pub fn wait_stderr(&self, needle: &str) -> String {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let stderr = self.stderr();
            if stderr.contains(needle) {
                return stderr;
            }
            assert!(
                Instant::now() < deadline,
                "stderr never contained {needle:?}:\n{stderr}"
            );
            thread::sleep(Duration::from_millis(10));
        }
    }

    /// `shutdown`, then `exit`; waits for the process and returns its status.
    pub fn shutdown_and_exit(mut self) -> ExitStatus {
        let result = self.request("shutdown", Value::Null);
        assert_eq!(result, Value::Null, "shutdown result");
        self.notify("exit", Value::Null);
        self.wait_exit()
    }

    /// Closes the server's stdin (a vanished client).
    pub fn close_stdin(&mut self) {
        lock(&self.stdin).take();
    }

    /// Waits for the process to end, reads what it wrote last, and checks that the test read
    /// every message. Returns the exit status.
    pub fn wait_exit(mut self) -> ExitStatus {
        let deadline = Instant::now() + TIMEOUT;
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                break status;
            }
            assert!(Instant::now() < deadline, "the server did not exit");
            self.receive_until(Instant::now() + Duration::from_millis(20));
        };
        while !self.closed && self.receive_until(deadline) {}
        assert!(self.closed, "stdout still open after the server exited");
        self.finished = true;
        let unread: Vec<_> = self.notifications.iter().collect();
        assert!(
            unread.is_empty(),
            "the test did not read these messages of the server: {unread:#?}"
        );
        assert!(
            self.responses.is_empty(),
            "unclaimed responses: {:#?}",
            self.responses
        );
        status
    }

    /// Reads messages until `found` returns something or the timeout passes (test fails).
    fn wait_for<T>(&mut self, what: &str, mut found: impl FnMut(&mut Self) -> Option<T>) -> T {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(value) = found(self) {
                return value;
            }
            // Short slices: some conditions (server requests) change without a message.
            let slice = deadline.min(Instant::now() + Duration::from_millis(20));
            if !self.receive_until(slice) && (self.closed || Instant::now() >= deadline) {
                let why = if self.closed {
                    "the server closed its stdout"
                } else {
                    "timed out"
                };
                panic!(
                    "waiting for {what}: {why}\nunread: {:#?}\nstderr:\n{}",
                    self.notifications,
                    self.stderr()
                );
            }
        }
    }

    /// Receives one message; false when the deadline passed or stdout is closed.
    fn receive_until(&mut self, deadline: Instant) -> bool {
        if self.closed {
            return false;
        }
        let wait = deadline.saturating_duration_since(Instant::now());
        match self.inbox.recv_timeout(wait) {
            Ok(Incoming::Message(message)) => {
                match message.get("id").and_then(Value::as_i64) {
                    Some(id) if message.get("method").is_none() => {
                        let previous = self.responses.insert(id, message);
                        assert!(previous.is_none(), "two responses to request {id}");
                    }
                    _ => self.notifications.push_back(message),
                }
                true
            }
            Ok(Incoming::Violation(what)) => {
                self.finished = true;
                panic!("the server wrote something other than JSON-RPC to stdout: {what}")
            }
            Ok(Incoming::Closed) | Err(RecvTimeoutError::Disconnected) => {
                self.closed = true;
                false
            }
            Err(RecvTimeoutError::Timeout) => false,
        }
    }
}

impl Drop for LspClient {
    fn drop(&mut self) {
        if !self.finished {
            let _ = self.child.kill();
            let _ = self.child.wait();
            if thread::panicking() {
                eprintln!("--- dockerfile-lsp stderr ---\n{}", self.stderr());
            } else {
                panic!("the test ended without shutdown_and_exit() or wait_exit()");
            }
        }
    }
}

/// An incremental change: replace `start..end` (line, character) by `text`.
pub fn edit(start: (u32, u32), end: (u32, u32), text: &str) -> Value {
    json!({
        "range": {
            "start": {"line": start.0, "character": start.1},
            "end": {"line": end.0, "character": end.1},
        },
        "text": text,
    })
}

/// A change that replaces the whole text.
pub fn replace_all(text: &str) -> Value {
    json!({ "text": text })
}

/// The messages of `diagnostics`, in order.
pub fn messages(diagnostics: &[Value]) -> Vec<String> {
    diagnostics
        .iter()
        .map(|d| d["message"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// Reads the server's stdout frame by frame, answering its requests.
fn read_stdout(
    stdout: ChildStdout,
    tx: Sender<Incoming>,
    stdin: Arc<Mutex<Option<ChildStdin>>>,
    shared: Arc<Shared>,
) {
    let mut reader = BufReader::new(stdout);
    loop {
        let message = match read_frame(&mut reader) {
            Ok(Some(message)) => message,
            Ok(None) => break,
            Err(violation) => {
                let _ = tx.send(Incoming::Violation(violation));
                // Keep draining so the server never blocks on a full pipe.
                let _ = std::io::copy(&mut reader, &mut std::io::sink());
                break;
            }
        };
        let is_request = message.get("method").is_some() && message.get("id").is_some();
        if is_request {
            let method = message["method"].as_str().unwrap_or_default().to_string();
            lock(&shared.server_requests).push(message.clone());
            let result = match method.as_str() {
                "workspace/configuration" => configuration(&message, &lock(&shared.settings)),
                _ => Value::Null,
            };
            let answer =
                json!({"jsonrpc": "2.0", "id": message["id"], "result": result}).to_string();
            let frame = format!("Content-Length: {}\r\n\r\n{answer}", answer.len());
            if let Some(stdin) = lock(&stdin).as_mut() {
                let _ = stdin
                    .write_all(frame.as_bytes())
                    .and_then(|()| stdin.flush());
            }
            if PLUMBING.contains(&method.as_str()) {
                continue;
            }
        }
        if tx.send(Incoming::Message(message)).is_err() {
            break;
        }
    }
    let _ = tx.send(Incoming::Closed);
}

/// One frame: `Ok(None)` at a clean end of stream, `Err` for anything malformed.
fn read_frame(reader: &mut impl BufRead) -> Result<Option<Value>, String> {
    let mut length = None;
    let mut first = true;
    loop {
        let mut line = Vec::new();
        let n = reader
            .read_until(b'\n', &mut line)
            .map_err(|e| e.to_string())?;
        if n == 0 {
            return if first {
                Ok(None)
            } else {
                Err("stdout ended inside a header".into())
            };
        }
        first = false;
        let text = String::from_utf8_lossy(&line).into_owned();
        let Some(text) = text.strip_suffix("\r\n") else {
            return Err(format!("header line without CRLF: {text:?}"));
        };
        if text.is_empty() {
            break;
        }
        match text.split_once(": ") {
            Some(("Content-Length", value)) => {
                length = Some(
                    value
                        .parse::<usize>()
                        .map_err(|_| format!("bad Content-Length: {text:?}"))?,
                );
            }
            Some(("Content-Type", _)) => {}
            _ => return Err(format!("unexpected header line: {text:?}")),
        }
    }
    let length = length.ok_or("a header without Content-Length")?;
    let mut body = vec![0u8; length];
    reader
        .read_exact(&mut body)
        .map_err(|e| format!("stdout ended inside a body: {e}"))?;
    let message: Value = serde_json::from_slice(&body)
        .map_err(|e| format!("body is not JSON ({e}): {}", String::from_utf8_lossy(&body)))?;
    if message["jsonrpc"] != "2.0" {
        return Err(format!("not a JSON-RPC 2.0 message: {message}"));
    }
    Ok(Some(message))
}

/// Answers `workspace/configuration`: `dockerfile` (or a part, `dockerfile.cache`) from the
/// test's settings, `null` for anything else.
fn configuration(request: &Value, settings: &Value) -> Value {
    let items = request["params"]["items"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    items
        .iter()
        .map(|item| {
            let section = item["section"].as_str().unwrap_or_default();
            let mut parts = section.split('.');
            if parts.next() != Some("dockerfile") {
                return Value::Null;
            }
            parts
                .try_fold(settings, |v, part| v.get(part))
                .cloned()
                .unwrap_or(Value::Null)
        })
        .collect()
}
