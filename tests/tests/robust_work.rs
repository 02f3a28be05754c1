//! Panics and long work in the real binary: a panicking handler becomes an error response
//! and a log line and serving goes on; slow requests (on a huge file, or made slow by a test
//! hook) hold up neither edits nor requests on other documents; a cancelled request is
//! answered RequestCancelled at once, and its work stops. The hooks are environment
//! variables read by `server/src/lsp/test_hooks.rs`.

use std::time::{Duration, Instant};

use e2e::lsp_client::{LspClient, edit};
use serde_json::{Value, json};

/// A request or an edit's diagnostics on a small document, while other work runs: a debug
/// build needs milliseconds; this allows for a loaded machine.
const PROMPT: Duration = Duration::from_secs(2);

const SMALL: &str = "file:///work/small/Dockerfile";
const BIG: &str = "file:///work/big/Dockerfile";

fn start(env: &[(&str, &str)]) -> LspClient {
    let mut lsp = LspClient::spawn_with(&[], env);
    lsp.initialize(&["utf-16"], json!({}));
    lsp.open(SMALL, "FROM alpine:3.20\nENV A\n");
    assert_eq!(lsp.wait_diagnostics(SMALL, Some(1)).len(), 1);
    lsp
}

fn hover(uri: &str, line: u32, character: u32) -> Value {
    json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}})
}

/// An edit of the small document, and its diagnostics, within [`PROMPT`].
fn assert_edits_flow(lsp: &mut LspClient, version: i32) {
    let started = Instant::now();
    let text = if version % 2 == 0 { "=1" } else { "" };
    let end = if version % 2 == 0 { 5 } else { 7 };
    lsp.change(SMALL, version, vec![edit((1, 5), (1, end), text)]);
    let diagnostics = lsp.wait_diagnostics(SMALL, Some(version));
    assert_eq!(diagnostics.len(), usize::from(version % 2 == 1));
    let took = started.elapsed();
    assert!(took < PROMPT, "edit + diagnostics took {took:?}");
    let started = Instant::now();
    let symbols = lsp.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": SMALL}}),
    );
    assert!(symbols.as_array().is_some_and(|s| !s.is_empty()));
    assert!(started.elapsed() < PROMPT, "{:?}", started.elapsed());
}

#[test]
fn a_panicking_handler_answers_an_internal_error_and_serving_goes_on() {
    let mut lsp = start(&[("DOCKERFILE_LSP_TEST_PANIC", "hover,completion")]);
    for _ in 0..3 {
        let error = lsp
            .try_request("textDocument/hover", hover(SMALL, 1, 1))
            .expect_err("the hook panics");
        assert_eq!(error["code"], -32603, "{error}");
        assert!(
            error["message"]
                .as_str()
                .is_some_and(|m| m.contains("hover")),
            "{error}"
        );
    }
    let error = lsp
        .try_request("textDocument/completion", hover(SMALL, 1, 1))
        .expect_err("the hook panics");
    assert_eq!(error["code"], -32603);
    let stderr = lsp.wait_stderr("panic in completion");
    assert!(
        stderr.contains("panic in hover: test hook: hover panics"),
        "{stderr}"
    );
    // Other features, edits and diagnostics carry on.
    assert_edits_flow(&mut lsp, 2);
    assert_edits_flow(&mut lsp, 3);
    assert_eq!(lsp.shutdown_and_exit().code(), Some(0));
}

#[test]
fn a_cancelled_request_answers_at_once_and_its_work_stops() {
    let mut lsp = start(&[
        ("DOCKERFILE_LSP_TEST_SLOW", "hover"),
        ("RUST_LOG", "dockerfile_lsp=info"),
    ]);
    let id = lsp.send_request("textDocument/hover", hover(SMALL, 1, 1));
    // Let it start working.
    std::thread::sleep(Duration::from_millis(200));
    let started = Instant::now();
    lsp.notify("$/cancelRequest", json!({"id": id}));
    let error = lsp.response(id).expect_err("cancelled");
    assert_eq!(error["code"], -32800, "RequestCancelled: {error}");
    assert!(started.elapsed() < PROMPT, "{:?}", started.elapsed());
    // The work itself noticed (the hook polls the flag a long feature would check).
    let stderr = lsp.wait_stderr("(cancelled: true)");
    assert!(stderr.contains("test hook: hover stopped"), "{stderr}");
    assert_edits_flow(&mut lsp, 2);
    assert_eq!(lsp.shutdown_and_exit().code(), Some(0));
}

#[test]
fn many_slow_requests_do_not_hold_up_edits_or_other_requests() {
    let mut lsp = start(&[("DOCKERFILE_LSP_TEST_SLOW", "hover")]);
    // More slow requests than tower-lsp's default concurrency (4): the edit used to wait
    // for one of them to finish (here: a minute).
    let ids: Vec<i64> = (0..10)
        .map(|_| lsp.send_request("textDocument/hover", hover(SMALL, 1, 1)))
        .collect();
    assert_edits_flow(&mut lsp, 2);
    assert_edits_flow(&mut lsp, 3);
    for &id in &ids {
        lsp.notify("$/cancelRequest", json!({"id": id}));
    }
    for id in ids {
        assert_eq!(lsp.response(id).expect_err("cancelled")["code"], -32800);
    }
    assert_eq!(lsp.shutdown_and_exit().code(), Some(0));
}

#[test]
fn a_huge_files_slow_requests_do_not_block_a_small_files_edits() {
    let mut lsp = start(&[]);
    let text = format!("FROM alpine\nRUN {}\n", "echo $a ".repeat((4 << 20) / 8));
    lsp.open(BIG, &text);
    lsp.wait_diagnostics(BIG, Some(1));
    // What an editor asks when it shows a file, several times over: each takes a while on
    // 4 MB in a debug build.
    let doc = json!({"textDocument": {"uri": BIG}});
    let mut ids = Vec::new();
    for _ in 0..3 {
        for method in [
            "textDocument/semanticTokens/full",
            "textDocument/foldingRange",
            "textDocument/documentLink",
        ] {
            ids.push(lsp.send_request(method, doc.clone()));
        }
        ids.push(lsp.send_request(
            "textDocument/references",
            json!({"textDocument": {"uri": BIG}, "position": {"line": 1, "character": 10},
                   "context": {"includeDeclaration": true}}),
        ));
    }
    assert_edits_flow(&mut lsp, 2);
    assert_edits_flow(&mut lsp, 3);
    for id in ids {
        assert!(lsp.response(id).is_ok());
    }
    assert_eq!(lsp.shutdown_and_exit().code(), Some(0));
}
