//! The server process over stdio: start, handshake, exit status, position encoding, stdout
//! hygiene, and surviving bad input.

use e2e::lsp_client::LspClient;
use serde_json::{Value, json};

const URI: &str = "file:///work/Dockerfile";
const SYNTAX_TREE: &str = "dockerfile-lsp/syntaxTree";

#[test]
fn shutdown_then_exit_exits_0() {
    let mut lsp = LspClient::spawn();
    let result = lsp.initialize(&[], json!({}));
    assert_eq!(result["serverInfo"]["name"], "dockerfile-lsp");
    assert_eq!(lsp.shutdown_and_exit().code(), Some(0));
}

#[test]
fn the_stdio_flag_serves_too() {
    let mut lsp = LspClient::spawn_with_args(&["--stdio"]);
    lsp.initialize(&[], json!({}));
    lsp.open(URI, "FROM scratch\nENV A\n");
    assert_eq!(lsp.wait_diagnostics(URI, Some(1)).len(), 1);
    assert_eq!(lsp.shutdown_and_exit().code(), Some(0));
}

#[test]
fn exit_without_shutdown_exits_1() {
    let mut lsp = LspClient::spawn();
    lsp.initialize(&[], json!({}));
    lsp.notify("exit", Value::Null);
    assert_eq!(lsp.wait_exit().code(), Some(1));
}

#[test]
fn exit_before_initialize_exits_1() {
    let mut lsp = LspClient::spawn();
    lsp.notify("exit", Value::Null);
    assert_eq!(lsp.wait_exit().code(), Some(1));
}

#[test]
fn end_of_input_without_exit_exits_1() {
    let mut lsp = LspClient::spawn();
    lsp.initialize(&[], json!({}));
    lsp.close_stdin();
    assert_eq!(lsp.wait_exit().code(), Some(1));

    // Even after a clean shutdown, a vanished client is not a clean exit.
    let mut lsp = LspClient::spawn();
    lsp.initialize(&[], json!({}));
    lsp.request("shutdown", Value::Null);
    lsp.close_stdin();
    assert_eq!(lsp.wait_exit().code(), Some(1));
}

#[test]
fn requests_after_shutdown_are_refused() {
    let mut lsp = LspClient::spawn();
    lsp.initialize(&[], json!({}));
    lsp.request("shutdown", Value::Null);
    let error = lsp
        .try_request(SYNTAX_TREE, json!({"textDocument": {"uri": URI}}))
        .expect_err("refused");
    assert_eq!(error["code"], -32600);
    lsp.notify("exit", Value::Null);
    assert_eq!(lsp.wait_exit().code(), Some(0));
}

#[test]
fn requests_before_initialize_are_refused() {
    let mut lsp = LspClient::spawn();
    let error = lsp
        .try_request(SYNTAX_TREE, json!({"textDocument": {"uri": URI}}))
        .expect_err("refused");
    assert_eq!(error["code"], -32002);
    lsp.initialize(&[], json!({}));
    assert_eq!(lsp.shutdown_and_exit().code(), Some(0));
}

#[test]
fn capabilities() {
    let mut lsp = LspClient::spawn();
    let caps = lsp.initialize(&[], json!({}))["capabilities"].clone();
    assert_eq!(
        caps["textDocumentSync"],
        json!({"openClose": true, "change": 2, "save": {"includeText": true}})
    );
    assert_eq!(caps["diagnosticProvider"]["identifier"], "dockerfile-lsp");
    assert_eq!(caps["experimental"][SYNTAX_TREE], true);
    assert_eq!(lsp.shutdown_and_exit().code(), Some(0));
}

/// The range of "ENV must have two arguments" for `ENV 建置😀` ends after 2 CJK chars (3
/// bytes, 1 UTF-16 unit each) and an emoji (4 bytes, 2 units).
fn env_error_end(encodings: &[&str]) -> (Value, Value) {
    let mut lsp = LspClient::spawn();
    let caps = lsp.initialize(encodings, json!({}))["capabilities"].clone();
    lsp.open(URI, "FROM scratch\nENV 建置😀\n");
    let diags = lsp.wait_diagnostics(URI, Some(1));
    assert_eq!(diags.len(), 1, "{diags:#?}");
    let range = diags[0]["range"].clone();
    assert_eq!(range["start"], json!({"line": 1, "character": 4}));
    assert_eq!(lsp.shutdown_and_exit().code(), Some(0));
    (
        caps["positionEncoding"].clone(),
        range["end"]["character"].clone(),
    )
}

#[test]
fn utf8_when_the_client_offers_it() {
    assert_eq!(
        env_error_end(&["utf-16", "utf-8"]),
        (json!("utf-8"), json!(14))
    );
    assert_eq!(env_error_end(&["utf-8"]), (json!("utf-8"), json!(14)));
}

#[test]
fn utf16_otherwise() {
    assert_eq!(env_error_end(&[]), (json!("utf-16"), json!(8)));
    assert_eq!(
        env_error_end(&["utf-32", "utf-16"]),
        (json!("utf-16"), json!(8))
    );
}

#[test]
fn stdout_carries_only_json_rpc_even_with_trace_logs() {
    // The client fails the test on any stray byte on stdout; trace logging is the most
    // likely source of one.
    let mut lsp = LspClient::spawn_with(&[], &[("RUST_LOG", "trace")]);
    lsp.initialize(&["utf-8"], json!({"rules": {"Nope": 3}}));
    lsp.open(URI, "FROM scratch\nENV A\n");
    lsp.wait_diagnostics(URI, Some(1));
    lsp.request(SYNTAX_TREE, json!({"textDocument": {"uri": URI}}));
    let stderr = lsp.wait_stderr("dockerfile.rules.Nope");
    assert!(stderr.contains("TRACE"), "logs go to stderr: {stderr}");
    assert_eq!(lsp.shutdown_and_exit().code(), Some(0));
}

#[test]
fn unknown_methods() {
    let mut lsp = LspClient::spawn();
    lsp.initialize(&[], json!({}));
    let error = lsp
        .try_request("dockerfile-lsp/noSuchThing", json!({}))
        .expect_err("unknown method");
    assert_eq!(error["code"], -32601);
    // Unknown notifications are dropped silently, `$/` ones by the protocol's rule.
    lsp.notify("dockerfile-lsp/noSuchNotification", json!({}));
    lsp.notify("$/noSuchNotification", json!({}));
    lsp.open(URI, "FROM scratch\nENV A\n");
    assert_eq!(lsp.wait_diagnostics(URI, Some(1)).len(), 1);
    assert_eq!(lsp.shutdown_and_exit().code(), Some(0));
}

#[test]
fn bad_params_are_an_error_and_the_server_goes_on() {
    let mut lsp = LspClient::spawn();
    lsp.initialize(&[], json!({}));
    let error = lsp
        .try_request(SYNTAX_TREE, json!({"textDocument": 5}))
        .expect_err("invalid params");
    assert_eq!(error["code"], -32602);
    // A notification with bad params is dropped.
    lsp.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": URI}}),
    );
    lsp.open(URI, "FROM scratch\nENV A\n");
    assert_eq!(lsp.wait_diagnostics(URI, Some(1)).len(), 1);
    assert_eq!(lsp.shutdown_and_exit().code(), Some(0));
}

#[test]
fn a_document_never_opened() {
    let mut lsp = LspClient::spawn();
    lsp.initialize(&[], json!({}));
    let other = "file:///work/never/Dockerfile";
    let tree = lsp.request(SYNTAX_TREE, json!({"textDocument": {"uri": other}}));
    assert_eq!(tree, Value::Null);
    let report = lsp.request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": other}}),
    );
    assert_eq!(report, json!({"kind": "full", "items": []}));
    // Edits and closes for it are ignored.
    lsp.change(other, 2, vec![e2e::lsp_client::replace_all("ENV A\n")]);
    lsp.close(other);
    lsp.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": other}, "text": "x"}),
    );
    assert_eq!(
        lsp.request(SYNTAX_TREE, json!({"textDocument": {"uri": other}})),
        Value::Null
    );
    lsp.expect_no_notification(
        "textDocument/publishDiagnostics",
        std::time::Duration::from_millis(200),
    );
    assert_eq!(lsp.shutdown_and_exit().code(), Some(0));
}

fn frame(body: &str) -> String {
    format!("Content-Length: {}\r\n\r\n{body}", body.len())
}

/// The server answers the request after `junk`, so it is still reading its input.
fn survives(lsp: &mut LspClient, junk: &str, expected_code: i64) {
    lsp.send_raw(junk.as_bytes());
    let id = lsp.send_request(SYNTAX_TREE, json!({"textDocument": {"uri": URI}}));
    let error = lsp.null_id_error();
    assert_eq!(error["code"], expected_code, "after {junk:?}: {error}");
    assert!(lsp.response(id).is_ok(), "after {junk:?}");
}

#[test]
fn malformed_input_does_not_kill_the_server() {
    let mut lsp = LspClient::spawn();
    lsp.initialize(&[], json!({}));
    lsp.open(URI, "FROM scratch\nENV A\n");
    lsp.wait_diagnostics(URI, Some(1));

    survives(&mut lsp, &frame(r#"{"jsonrpc":"2.0","method":"#), -32700);
    survives(&mut lsp, &frame(r#"[{"jsonrpc":"2.0"}]"#), -32600);
    survives(
        &mut lsp,
        &frame(r#"{"jsonrpc":"1.0","id":3,"method":"x"}"#),
        -32600,
    );
    survives(&mut lsp, "Content-Length: abc\r\n\r\n", -32700);
    survives(&mut lsp, "garbage without a header", -32700);
    // A header cut off in its line, then a whole message.
    survives(&mut lsp, "Content-Len", -32700);
    // A body shorter than its Content-Length, then a whole message.
    survives(&mut lsp, "Content-Length: 5000\r\n\r\n{\"jsonrpc\"", -32700);
    // A header that lost its blank line: the next header wins, nothing to report.
    lsp.send_raw(b"Content-Length: 99\r\n");
    assert!(
        lsp.try_request(SYNTAX_TREE, json!({"textDocument": {"uri": URI}}))
            .is_ok()
    );

    // Documents are intact and edits still flow.
    lsp.change(URI, 2, vec![e2e::lsp_client::edit((1, 5), (1, 5), "=1")]);
    assert_eq!(lsp.wait_diagnostics(URI, Some(2)), Vec::<Value>::new());
    lsp.wait_stderr("unreadable message");
    assert_eq!(lsp.shutdown_and_exit().code(), Some(0));
}
