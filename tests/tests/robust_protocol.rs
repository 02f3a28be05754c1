//! Protocol faults are answered, never fatal: after each, the server still answers the next
//! request promptly (measured), and exits cleanly at the end.
//!
//! Which test covers which fault (some were covered before this file; they are listed so the
//! whole set is in one place):
//!
//! | fault | test |
//! |---|---|
//! | malformed JSON, truncated messages, bad headers, junk between messages | `lsp_lifecycle::malformed_input_does_not_kill_the_server`; here `malformed_messages_are_answered_promptly` (timed, plus invalid UTF-8 and a lone surrogate in the JSON, and a 1 MB junk body) |
//! | unknown methods (MethodNotFound) | `lsp_lifecycle::unknown_methods`; timed here in `malformed_messages_are_answered_promptly` |
//! | bad params (InvalidParams) | `lsp_lifecycle::bad_params_are_an_error_and_the_server_goes_on` |
//! | requests for documents never opened | `lsp_lifecycle::a_document_never_opened` (syntax tree, pull diagnostics, edits, close, save); here `every_request_on_a_document_never_opened` (every other method) |
//! | positions beyond the end of a line or of the file, in the middle of a surrogate pair or of a UTF-8 sequence | `positions_out_of_range_in_every_request` (both encodings, every position-taking method) |
//! | `didChange` ranges inverted, out of range, in a surrogate pair | `lsp_sync::invalid_edits_are_clamped_never_fatal`; `robust_incremental` (in-process, random) |
//! | a 5 MB single line (and 2 MB lines of dense ENV, LABEL, JSON) | `five_megabyte_single_lines` |
//! | NUL and control bytes | `control_bytes` |
//! | invalid UTF-8 on disk | `invalid_utf8_ignore_file_on_disk` (server); `checks_cli::invalid_utf8_is_an_error_at_the_first_bad_byte` and `robust_cli` (CLI) |
//! | 2 000 stages; self and circular stage references | `two_thousand_stages_in_a_cycle`, `self_references` |
//! | a 20 000-line unterminated heredoc | `unterminated_heredoc` |
//! | variable substitutions nested thousands deep | `deeply_nested_substitutions` |
//!
//! Bounds: tests run against a debug build on a shared machine, so the bounds are generous
//! multiples of what a release build needs (see [`PROMPT`]), yet far below "hung".

use std::time::{Duration, Instant};

use e2e::lsp_client::{LspClient, edit};
use serde_json::{Value, json};

/// The next request after a fault, on a small document: answered within this. A release
/// build answers in milliseconds; a debug build on a loaded machine in tens of them.
const PROMPT: Duration = Duration::from_secs(1);
/// Opening (parse, model, checks) or editing one of the pathological documents, and any one
/// feature on it, in a debug build. A release build needs well under a second for each.
const HEAVY: Duration = Duration::from_secs(30);

const SMALL: &str = "file:///robust/small/Dockerfile";
const BIG: &str = "file:///robust/big/Dockerfile";
const SMALL_TEXT: &str = "FROM alpine:3.20 AS base\nARG VERSION=1\nRUN echo $VERSION\n";

fn start(encoding: &str) -> LspClient {
    let mut lsp = LspClient::spawn();
    lsp.initialize(&[encoding], json!({}));
    lsp.open(SMALL, SMALL_TEXT);
    lsp.wait_diagnostics(SMALL, Some(1));
    lsp
}

fn at(uri: &str, line: u32, character: u32) -> Value {
    json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}})
}

/// Sends a request and returns its result and how long it took. Fails on an error answer,
/// except RequestFailed (-32803), how rename refuses a symbol it cannot rename.
fn timed(lsp: &mut LspClient, method: &str, params: Value) -> (Value, Duration) {
    let started = Instant::now();
    let result = match lsp.try_request(method, params) {
        Ok(result) => result,
        Err(e) if e["code"] == -32803 => Value::Null,
        Err(e) => panic!("{method} failed: {e}"),
    };
    (result, started.elapsed())
}

/// The server is alive and prompt: hover and documentSymbol on the small document.
fn assert_prompt(lsp: &mut LspClient, after: &str) {
    let (hover, took) = timed(lsp, "textDocument/hover", at(SMALL, 2, 11));
    assert!(hover["contents"].is_object(), "after {after}: {hover}");
    assert!(took < PROMPT, "after {after}: hover took {took:?}");
    let (symbols, took) = timed(
        lsp,
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": SMALL}}),
    );
    assert!(
        symbols.as_array().is_some_and(|s| !s.is_empty()),
        "{symbols}"
    );
    assert!(took < PROMPT, "after {after}: documentSymbol took {took:?}");
}

/// Every document request at `(line, character)` of `uri`, answered without error.
fn requests_at(uri: &str, line: u32, character: u32) -> Vec<(&'static str, Value)> {
    let doc = json!({"uri": uri});
    let pos = json!({"line": line, "character": character});
    let range = json!({"start": {"line": line, "character": 0}, "end": pos});
    vec![
        ("textDocument/hover", at(uri, line, character)),
        ("textDocument/definition", at(uri, line, character)),
        ("textDocument/documentHighlight", at(uri, line, character)),
        (
            "textDocument/references",
            json!({"textDocument": doc, "position": pos, "context": {"includeDeclaration": true}}),
        ),
        ("textDocument/prepareRename", at(uri, line, character)),
        (
            "textDocument/rename",
            json!({"textDocument": doc, "position": pos, "newName": "renamed"}),
        ),
        ("textDocument/completion", at(uri, line, character)),
        ("textDocument/signatureHelp", at(uri, line, character)),
        (
            "textDocument/onTypeFormatting",
            json!({"textDocument": doc, "position": pos, "ch": "\n",
                   "options": {"tabSize": 4, "insertSpaces": true}}),
        ),
        (
            "textDocument/rangeFormatting",
            json!({"textDocument": doc, "range": range,
                   "options": {"tabSize": 4, "insertSpaces": true}}),
        ),
        (
            "textDocument/semanticTokens/range",
            json!({"textDocument": doc, "range": range}),
        ),
        (
            "textDocument/codeAction",
            json!({"textDocument": doc, "range": range, "context": {"diagnostics": []}}),
        ),
    ]
}

/// Every request on a whole document.
fn document_requests(uri: &str) -> Vec<(&'static str, Value)> {
    let doc = json!({"textDocument": {"uri": uri}});
    let mut with_options = doc.clone();
    with_options["options"] = json!({"tabSize": 4, "insertSpaces": true});
    vec![
        ("textDocument/documentSymbol", doc.clone()),
        ("textDocument/semanticTokens/full", doc.clone()),
        ("textDocument/foldingRange", doc.clone()),
        ("textDocument/documentLink", doc.clone()),
        ("textDocument/formatting", with_options),
        ("textDocument/diagnostic", doc.clone()),
        ("workspace/symbol", json!({"query": "s"})),
    ]
}

/// Opens `text` as [`BIG`], runs every feature on it (each within [`HEAVY`]), edits it in
/// the middle, and checks the small document is still served promptly. Returns the
/// diagnostics of the first version.
fn survives_document(name: &str, text: &str, encoding: &str) -> Vec<Value> {
    let mut lsp = start(encoding);
    let started = Instant::now();
    lsp.open(BIG, text);
    let diagnostics = lsp.wait_diagnostics(BIG, Some(1));
    let took = started.elapsed();
    assert!(took < HEAVY, "{name}: open + diagnostics took {took:?}");
    assert_prompt(&mut lsp, name);

    let lines = text.split('\n').count() as u32;
    let mid_line = lines / 2;
    let mut requests = document_requests(BIG);
    for (line, character) in [(0, 0), (mid_line, 3), (lines - 1, 100_000)] {
        requests.extend(requests_at(BIG, line, character));
    }
    for (method, params) in requests {
        let (_, took) = timed(&mut lsp, method, params);
        assert!(took < HEAVY, "{name}: {method} took {took:?}");
    }
    let started = Instant::now();
    lsp.change(BIG, 2, vec![edit((mid_line, 2), (mid_line, 2), "x")]);
    lsp.wait_diagnostics(BIG, Some(2));
    let took = started.elapsed();
    assert!(took < HEAVY, "{name}: edit + diagnostics took {took:?}");
    assert_prompt(&mut lsp, name);
    assert_eq!(lsp.shutdown_and_exit().code(), Some(0), "{name}");
    diagnostics
}

fn codes(diagnostics: &[Value]) -> Vec<&str> {
    diagnostics
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect()
}

/// Five megabytes of plain words or of one letter; two of dense ENV, LABEL and JSON, which
/// make ten times as many tokens, definitions and diagnostics per byte.
#[test]
fn five_megabyte_single_lines() {
    const MB5: usize = 5 << 20;
    const MB2: usize = 2 << 20;
    let cases = [
        (
            "RUN words",
            format!("FROM a\nRUN {}\n", "echo $a ".repeat(MB5 / 8)),
        ),
        ("comment", format!("# {}", "x".repeat(MB5))),
        (
            "ENV distinct keys",
            format!(
                "FROM a\nENV {}\n",
                (0..MB2 / 10)
                    .map(|i| format!("k{i}=v "))
                    .collect::<String>()
            ),
        ),
        (
            "LABEL with substitutions",
            format!("FROM a\nLABEL {}\n", "\"${x:-y}\"=1 ".repeat(MB2 / 12)),
        ),
        (
            "JSON form",
            format!("FROM a\nCMD [{}\"x\"]\n", "\"a\",".repeat(MB2 / 4)),
        ),
        ("no newline at all", "a".repeat(MB5)),
    ];
    for (name, text) in cases {
        survives_document(name, &text, "utf-16");
    }
}

#[test]
fn control_bytes() {
    let controls: String = (0u32..0x20)
        .chain([0x7f, 0x85, 0x2028, 0xfeff, 0xfffd])
        .filter_map(char::from_u32)
        .collect();
    let text = format!(
        "FROM a{controls}\nRUN {controls} \\\n{controls}\nENV {controls}={controls}\n\0\0\0\nCOPY \0 /\n{controls}"
    );
    survives_document("control bytes", &text, "utf-16");
    survives_document("control bytes", &text, "utf-8");
}

#[test]
fn two_thousand_stages_in_a_cycle() {
    let mut text = String::new();
    for i in 0..2000 {
        text += &format!(
            "FROM alpine AS s{i}\nCOPY --from=s{} / /\nRUN --mount=from=s{},target=/x echo\n",
            (i + 1) % 2000,
            (i + 7) % 2000
        );
    }
    let diagnostics = survives_document("2000 stages", &text, "utf-16");
    assert!(
        codes(&diagnostics).contains(&"CircularDependency"),
        "{:?}",
        codes(&diagnostics)
    );
}

#[test]
fn self_references() {
    let mut text = String::new();
    for i in 0..2000 {
        text += &format!("FROM s{i} AS s{i}\nCOPY --from=s{i} / /\n");
    }
    survives_document("self references", &text, "utf-8");
}

#[test]
fn unterminated_heredoc() {
    let text = format!(
        "FROM alpine\nRUN <<EOF <<EOT cat\n{}",
        "echo line $x \\\n".repeat(20_000)
    );
    survives_document("unterminated heredoc", &text, "utf-16");
}

#[test]
fn deeply_nested_substitutions() {
    for depth in [5_000, 50_000] {
        let nested = format!("{}x{}", "${a:-".repeat(depth), "}".repeat(depth));
        let text = format!(
            "ARG a\nFROM {nested}\nARG a\nENV b={nested}\nRUN echo {nested}\nCOPY --from={nested} {nested} /\n"
        );
        survives_document(&format!("nesting {depth}"), &text, "utf-16");
    }
}

#[test]
fn malformed_messages_are_answered_promptly() {
    let mut lsp = start("utf-16");
    let frame = |body: &[u8]| {
        let mut f = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        f.extend_from_slice(body);
        f
    };
    let junk: [(&str, Vec<u8>, i64); 5] = [
        (
            "truncated JSON",
            frame(br#"{"jsonrpc":"2.0","id":9,"method":"textDocument/hover","par"#),
            -32700,
        ),
        (
            "invalid UTF-8 in a string",
            frame(b"{\"jsonrpc\":\"2.0\",\"method\":\"x\",\"params\":\"\xff\xfe\"}"),
            -32700,
        ),
        (
            "a lone surrogate",
            frame(br#"{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///s","languageId":"dockerfile","version":1,"text":"\ud800"}}}"#),
            -32700,
        ),
        ("a 1 MB body of junk", frame(&vec![b'x'; 1 << 20]), -32700),
        (
            "an object that is not JSON-RPC",
            frame(br#"{"id":1,"result":2,"error":3}"#),
            -32600,
        ),
    ];
    for (name, bytes, code) in junk {
        let started = Instant::now();
        lsp.send_raw(&bytes);
        assert_eq!(lsp.null_id_error()["code"], code, "{name}");
        assert!(
            started.elapsed() < PROMPT,
            "{name}: {:?}",
            started.elapsed()
        );
        assert_prompt(&mut lsp, name);
    }
    let started = Instant::now();
    let error = lsp
        .try_request("textDocument/noSuchMethod", json!({}))
        .expect_err("MethodNotFound");
    assert_eq!(error["code"], -32601);
    assert!(started.elapsed() < PROMPT);
    assert_prompt(&mut lsp, "an unknown method");
    lsp.wait_stderr("unreadable message");
    assert_eq!(lsp.shutdown_and_exit().code(), Some(0));
}

#[test]
fn every_request_on_a_document_never_opened() {
    let mut lsp = start("utf-16");
    let never = "file:///robust/never/Dockerfile";
    let mut requests = document_requests(never);
    requests.extend(requests_at(never, 3, 4));
    for (method, params) in requests {
        let (result, took) = timed(&mut lsp, method, params);
        assert!(took < PROMPT, "{method} took {took:?}");
        let empty = result.is_null()
            || result.as_array().is_some_and(|a| a.is_empty())
            || result == json!({"kind": "full", "items": []})
            || method == "workspace/symbol";
        assert!(empty, "{method}: {result}");
    }
    assert_prompt(&mut lsp, "requests for a document never opened");
    assert_eq!(lsp.shutdown_and_exit().code(), Some(0));
}

#[test]
fn positions_out_of_range_in_every_request() {
    // Line 1 holds an emoji (a UTF-16 surrogate pair, 4 UTF-8 bytes) at column 9.
    let text = "FROM alpine:3.20 AS base\nENV A=\"x 😀 y\" B=$A\r\nRUN echo $A\n";
    for encoding in ["utf-16", "utf-8"] {
        let mut lsp = start(encoding);
        lsp.open(BIG, text);
        lsp.wait_diagnostics(BIG, Some(1));
        let positions = [
            (0, 500), // beyond the end of a line
            (1, 10),  // inside the surrogate pair / the UTF-8 sequence
            (1, 11),  // inside the UTF-8 sequence
            (1, 400), // beyond the end of a CRLF line
            (3, 0),   // the empty last line
            (40, 2),  // beyond the last line
            (u32::MAX, u32::MAX),
        ];
        for (line, character) in positions {
            for (method, params) in requests_at(BIG, line, character) {
                let (_, took) = timed(&mut lsp, method, params);
                assert!(
                    took < PROMPT,
                    "{encoding} {method} at {line}:{character} took {took:?}"
                );
            }
        }
        assert_prompt(&mut lsp, "positions out of range");
        assert_eq!(lsp.shutdown_and_exit().code(), Some(0));
    }
}

/// A temporary workspace folder, removed when dropped.
struct TempDir(std::path::PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let dir = std::env::temp_dir().join(format!(
            "dockerfile-lsp-robust-{name}-{}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("a temp dir");
        TempDir(dir)
    }

    fn uri(&self, name: &str) -> String {
        format!("file://{}/{name}", self.0.display())
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn invalid_utf8_ignore_file_on_disk() {
    let dir = TempDir::new("ignore-utf8");
    std::fs::write(dir.0.join(".dockerignore"), b"\xff\xfe\n*.md\n\xc3\x28\n").expect("write");
    let uri = dir.uri("Dockerfile");
    let mut lsp = start("utf-16");
    lsp.open(&uri, "FROM alpine:3.20\nCOPY README.md /\n");
    let diagnostics = lsp.wait_diagnostics(&uri, Some(1));
    assert_eq!(codes(&diagnostics), ["CopyIgnoredFile"], "{diagnostics:#?}");
    assert_prompt(&mut lsp, "an ignore file that is not UTF-8");
    assert_eq!(lsp.shutdown_and_exit().code(), Some(0));
}
