//! End-to-end latency over stdio: the built `dockerfile-lsp` binary is spawned, a generated
//! multi-stage Dockerfile is opened, then each sample types one character (and waits for the
//! diagnostics of that version) or sends one request and waits for the answer.
//!
//! Run: `cargo build --release -p dockerfile-lsp && cargo bench -p e2e --bench lsp_latency`
//! (the benchmark drives `target/release/dockerfile-lsp`, which it does not build).

#[path = "../../server/benches/common/mod.rs"]
mod common;

use divan::Bencher;
use e2e::lsp_client::{LspClient, edit};
use serde_json::{Value, json};

fn main() {
    divan::main();
}

const URI: &str = "file:///bench/Dockerfile";

/// A server with the generated file open; also the line and column where lspbench types.
fn open(lines: usize) -> (LspClient, u32, u32) {
    let text = common::synthetic_dockerfile(lines);
    let at = common::edit_offset(&text);
    let line = text[..at].matches('\n').count() as u32;
    let column = (at - text[..at].rfind('\n').map_or(0, |i| i + 1)) as u32;
    let mut client = LspClient::spawn();
    client.initialize(&["utf-16"], json!({}));
    client.open(URI, &text);
    client.wait_diagnostics(URI, Some(1));
    (client, line, column)
}

#[divan::bench(args = [1_000, 10_000, 50_000], sample_count = 30, sample_size = 1)]
fn edit_to_diagnostics(bencher: Bencher, lines: usize) {
    let (mut client, line, mut column) = open(lines);
    let mut version = 1;
    bencher.bench_local(|| {
        version += 1;
        client.change(
            URI,
            version,
            vec![edit((line, column), (line, column), "x")],
        );
        column += 1;
        client.wait_diagnostics(URI, Some(version))
    });
    let _ = client.shutdown_and_exit();
}

fn request(bencher: Bencher, method: &str, params: Value) {
    let (mut client, _, _) = open(10_000);
    bencher.bench_local(|| client.request(method, params.clone()));
    let _ = client.shutdown_and_exit();
}

fn at(line: u32, character: u32) -> Value {
    json!({"textDocument": {"uri": URI}, "position": {"line": line, "character": character}})
}

#[divan::bench(sample_count = 30, sample_size = 1)]
fn hover_10k(bencher: Bencher) {
    request(bencher, "textDocument/hover", at(12, 1));
}

#[divan::bench(sample_count = 30, sample_size = 1)]
fn completion_10k(bencher: Bencher) {
    request(bencher, "textDocument/completion", at(4, 0));
}

#[divan::bench(sample_count = 30, sample_size = 1)]
fn semantic_tokens_full_10k(bencher: Bencher) {
    request(
        bencher,
        "textDocument/semanticTokens/full",
        json!({"textDocument": {"uri": URI}}),
    );
}

#[divan::bench(sample_count = 30, sample_size = 1)]
fn document_symbol_10k(bencher: Bencher) {
    request(
        bencher,
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": URI}}),
    );
}
