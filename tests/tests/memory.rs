//! Memory over a long editing session, counted by a global allocator that tracks every
//! allocation of this test binary: typing keeps the live heap flat (after 10,000 edits
//! within 10% of after 100) and closing a document frees what it held. This drives the
//! server's document store and analysis path (`lsp::documents`: rope, incremental parse,
//! model, checks and their caches), in process, so the count is exact; resident memory of
//! the binary depends on the allocator's retention and is reported in docs/benchmarks.md.
//!
//! One test per file: the counter is global to the test binary.

use std::alloc::System;
use std::sync::Arc;

use dockerfile_lsp::ide::symbols::document_symbols;
use dockerfile_lsp::lsp::config::Config;
use dockerfile_lsp::lsp::convert::Encoding;
use dockerfile_lsp::lsp::documents::Documents;
use stats_alloc::{INSTRUMENTED_SYSTEM, StatsAlloc};
use tower_lsp_server::ls_types::{Position, Range, TextDocumentContentChangeEvent, Uri};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// Bytes allocated and not yet freed.
fn live() -> i64 {
    let s = GLOBAL.stats();
    // (`bytes_reallocated` is already in these two.)
    s.bytes_allocated as i64 - s.bytes_deallocated as i64
}

/// A multi-stage Dockerfile of about `lines` lines, with findings in every stage.
fn dockerfile(lines: usize) -> String {
    let mut text = String::from("# syntax=docker/dockerfile:1\nARG BASE=alpine:3.20\n");
    let mut stage = 0;
    while text.lines().count() < lines {
        text.push_str(&format!(
            "FROM ${{BASE}} AS s{stage}\nENV VAR_{stage}=x HOME_{stage}=/h\nWORKDIR /app\n\
             RUN apt-get update && apt-get install -y curl \\\n    && rm -rf /var/lib/apt/lists/*\n\
             COPY --from=s0 /a /b\nRUN echo $VAR_{stage} $UNDEFINED 日本 😀\nmaintainer me\n"
        ));
        stage += 1;
    }
    text
}

struct Session {
    docs: Documents,
    uri: Uri,
    config: Arc<Config>,
    version: i32,
    typed: u32,
}

impl Session {
    /// Types `count` characters at the end of line 3, deleting them every 40 as a user
    /// fixing a typo would; each version is analysed as the server does (diagnostics and
    /// the outline).
    fn type_keys(&mut self, count: usize) {
        const LINE: u32 = 3;
        const END: u32 = 25; // the end of `ENV VAR_0=x HOME_0=/h`
        for _ in 0..count {
            let (range, text) = if self.typed == 40 {
                self.typed = 0;
                (
                    Range::new(Position::new(LINE, END), Position::new(LINE, END + 40)),
                    "",
                )
            } else {
                let at = Position::new(LINE, END + self.typed);
                self.typed += 1;
                (Range::new(at, at), "x")
            };
            self.version += 1;
            let change = TextDocumentContentChangeEvent {
                range: Some(range),
                range_length: None,
                text: text.to_string(),
            };
            let snap = self
                .docs
                .change(
                    &self.uri,
                    self.version,
                    &[change],
                    Encoding::Utf16,
                    &self.config,
                )
                .expect("the document is open");
            assert!(!snap.diagnostics().is_empty());
            assert!(!document_symbols(&snap.parse, &snap.model).is_empty());
        }
    }
}

#[test]
fn typing_keeps_the_heap_flat_and_closing_frees_it() {
    let config = Arc::new(Config::default());
    let docs = Documents::default();
    let uri: Uri = "file:///work/memory/Dockerfile".parse().expect("uri");
    let text = dockerfile(200);
    // Once-per-process state (rule tables, the store's shards) is not the document's.
    let warm: Uri = "file:///work/memory/warm".parse().expect("uri");
    let snap = docs.open(warm.clone(), 1, &text, Encoding::Utf16, &config);
    assert!(!snap.diagnostics().is_empty());
    assert!(!document_symbols(&snap.parse, &snap.model).is_empty());
    drop(snap);
    assert!(docs.close(&warm));
    let before_open = live();
    let snap = docs.open(uri.clone(), 1, &text, Encoding::Utf16, &config);
    assert!(!snap.diagnostics().is_empty());
    drop(snap);
    drop(text);
    let mut session = Session {
        docs,
        uri,
        config,
        version: 1,
        typed: 0,
    };

    session.type_keys(100);
    let after_100 = live();
    session.type_keys(9_900);
    let after_10k = live();
    eprintln!(
        "live heap: {before_open} B before opening, {after_100} B after 100 edits, {after_10k} B after 10,000"
    );
    assert!(
        after_10k * 10 <= after_100 * 11,
        "the live heap grew from {after_100} B after 100 edits to {after_10k} B after 10,000"
    );

    let held = after_10k - before_open;
    assert!(session.docs.close(&session.uri));
    let after_close = live();
    eprintln!("after closing: {after_close} B (the document held {held} B)");
    assert!(
        after_close - before_open < held / 20,
        "closing the document kept {} of its {held} B",
        after_close - before_open
    );
}
