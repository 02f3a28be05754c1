//! The language server: the only code that knows LSP types, URIs and UTF-16.
//!
//! | module | what |
//! |---|---|
//! | [`server`] | server state; the `LanguageServer` impl, a table from methods to modules |
//! | [`capabilities`] | what `initialize` negotiated ([`capabilities::Session`]); every declared capability |
//! | [`documents`] | open documents (`DashMap<Uri, Document>`), incremental edits |
//! | [`analysis`] | [`analysis::Snapshot`] and [`analysis::analyze`]: what the engine derives from one version |
//! | [`convert`] | byte offsets ⇄ positions in the negotiated encoding |
//! | [`config`] | the `dockerfile` settings |
//! | [`diagnostics`] | push and pull diagnostics (`checks::check`) |
//! | `code_actions` | quick fixes and "ignore" actions of the diagnostics (`checks`' fix data) |
//! | `text_sync`, `workspace`, `syntax_tree` | handlers of one method group each |
//! | `navigation`, `rename`, `hover`, `symbols`, `links` | definition / references / highlight, rename, hover, document and workspace symbols, document links |
//! | `completion`, `signature_help`, [`semantic_tokens`], `folding`, `formatting` | the editing aids of [`crate::ide`] |
//! | [`cache`], `inlay_hints`, `code_lens`, `cache_hover` | build-cache presentation: baseline and watched context files; hints on rebuilt steps; what-if lenses; context files of a COPY source |
//! | [`guard`] | panics become log lines and error responses |
//! | [`limits`] | caps on the size of one answer |
//! | `test_hooks` | faults on demand for the end-to-end tests (environment variables) |
//! | [`transport`] | input framing that survives malformed messages |
//!
//! # Adding a feature (e.g. hover)
//!
//! 1. Write the feature as a pure function in `ide/` over byte offsets, e.g.
//!    `ide::hover(&Parse, TextSize) -> Option<ide::Hover>`.
//! 2. Add `lsp/hover.rs` with the glue, and `mod hover;` below:
//!    ```ignore
//!    pub async fn hover(server: &Server, params: HoverParams) -> Result<Option<Hover>> {
//!        let at = params.text_document_position_params;
//!        server.with_snapshot("hover", &at.text_document.uri, move |snap| {
//!            let found = ide::hover(&snap.parse, snap.offset(at.position))?;
//!            Some(Hover { contents: ..., range: Some(snap.range(found.range)) })
//!        }).await
//!    }
//!    ```
//!    `with_snapshot` answers `null`/`[]` for a document that is not open, runs the closure
//!    on a blocking thread with panics caught, and converts positions with the snapshot's
//!    encoding (`snap.offset`, `snap.position`, `snap.range`, `snap.text_range`).
//! 3. In `server.rs`, override the trait method:
//!    `async fn hover(&self, p: HoverParams) -> Result<Option<Hover>> { hover::hover(self, p).await }`.
//! 4. In `capabilities.rs`, declare it: `hover_provider: Some(HoverProviderCapability::Simple(true))`.
//! 5. Add `tests/tests/lsp_hover.rs` using `e2e::lsp_client::LspClient`.
//!
//! A request that is not in the `LanguageServer` trait is an inherent `async fn` on `Server`
//! registered with `.custom_method` in [`run`] (see `syntax_tree.rs`).

pub mod analysis;
pub mod cache;
mod cache_hover;
pub mod capabilities;
mod code_actions;
mod code_lens;
mod completion;
pub mod config;
pub mod convert;
pub mod diagnostics;
pub mod documents;
mod folding;
mod formatting;
pub mod guard;
mod hover;
mod inlay_hints;
pub mod limits;
mod links;
mod navigation;
mod rename;
pub mod semantic_tokens;
pub mod server;
mod signature_help;
mod symbols;
mod syntax_tree;
mod test_hooks;
mod text_sync;
pub mod transport;
mod workspace;

use std::io::IsTerminal;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite};
use tower_lsp_server::LspService;
use tracing_subscriber::EnvFilter;

pub use server::Server;

use guard::{GuardedService, Lifecycle};

/// How many messages tower-lsp works on at once. A message waits until one of these slots
/// is free, and a notification's synchronous part (applying an edit) only runs then: with
/// tower-lsp's default of 4, four slow requests on a huge file (what an editor sends when it
/// opens one) held up every edit. Requests run on blocking threads, so a slot costs nothing
/// while it waits.
const MAX_CONCURRENT_MESSAGES: usize = 64;

/// Serves LSP over stdin/stdout until `exit` or the end of input. Logs go to stderr
/// (`RUST_LOG`, default `warn`). Exit status 0 after `shutdown` + `exit`, else 1.
pub fn serve() -> ExitCode {
    init_logging();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            tracing::error!("cannot start the async runtime: {e}");
            return ExitCode::from(1);
        }
    };
    let status = runtime.block_on(run(tokio::io::stdin(), tokio::io::stdout()));
    // Do not wait for leftovers: tokio's stdin reader is a blocking read that cannot be
    // cancelled, and a spawned publish may still be waiting for the closed client channel.
    runtime.shutdown_timeout(Duration::from_millis(100));
    ExitCode::from(status)
}

/// Serves LSP over any byte streams; returns the exit status (see [`serve`]).
pub async fn run<I, O>(input: I, output: O) -> u8
where
    I: AsyncRead + Unpin + Send + 'static,
    O: AsyncWrite,
{
    let lifecycle = Arc::new(Lifecycle::default());
    let (service, socket) = LspService::build(Server::new)
        .custom_method(syntax_tree::METHOD, Server::syntax_tree)
        .custom_method(transport::INVALID_MESSAGE, Server::invalid_message)
        .finish();
    let (reader, writer) = tokio::io::duplex(64 * 1024);
    let pump = tokio::spawn(transport::pump(input, writer));
    tower_lsp_server::Server::new(reader, output, socket)
        .concurrency_level(MAX_CONCURRENT_MESSAGES)
        .serve(GuardedService::new(service, lifecycle.clone()))
        .await;
    pump.abort();
    lifecycle.exit_status()
}

fn init_logging() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("warn"));
    // `try_init`: a second server in the same process (tests) keeps the first subscriber.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .try_init();
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};
    use tokio::io::{AsyncReadExt, AsyncWriteExt, DuplexStream};

    use super::transport::{Frame, FrameDecoder};
    use super::*;

    /// A client on pipes, enough to sequence the lifecycle.
    struct Pipe {
        to_server: DuplexStream,
        from_server: DuplexStream,
        decoder: FrameDecoder,
    }

    impl Pipe {
        async fn send(&mut self, message: Value) {
            let body = message.to_string();
            let frame = format!("Content-Length: {}\r\n\r\n{body}", body.len());
            self.to_server
                .write_all(frame.as_bytes())
                .await
                .expect("write");
        }

        async fn receive(&mut self) -> Value {
            loop {
                if let Some(frame) = self.decoder.next() {
                    let Frame::Message(body) = frame else {
                        panic!("{frame:?}");
                    };
                    return serde_json::from_slice(&body).expect("json");
                }
                let mut buf = [0u8; 4096];
                let n = self.from_server.read(&mut buf).await.expect("read");
                assert!(n > 0, "the server closed its output");
                self.decoder.push(&buf[..n]);
            }
        }
    }

    fn start() -> (Pipe, tokio::task::JoinHandle<u8>) {
        let (to_server, server_in) = tokio::io::duplex(1 << 16);
        let (server_out, from_server) = tokio::io::duplex(1 << 16);
        let server = tokio::spawn(run(server_in, server_out));
        let pipe = Pipe {
            to_server,
            from_server,
            decoder: FrameDecoder::default(),
        };
        (pipe, server)
    }

    fn initialize() -> Value {
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}})
    }

    #[tokio::test]
    async fn shutdown_and_exit_sent_together_exit_0() {
        let (mut client, server) = start();
        client.send(initialize()).await;
        assert_eq!(client.receive().await["id"], 1);
        // Without waiting for the answer: tower-lsp cancels `shutdown` on `exit`, yet it counts.
        client
            .send(json!({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}))
            .await;
        client
            .send(json!({"jsonrpc": "2.0", "method": "exit"}))
            .await;
        assert_eq!(server.await.expect("joined"), 0);
    }

    #[tokio::test]
    async fn shutdown_refused_before_initialize_does_not_count() {
        let (mut client, server) = start();
        client
            .send(json!({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}))
            .await;
        assert_eq!(client.receive().await["error"]["code"], -32002);
        client
            .send(json!({"jsonrpc": "2.0", "method": "exit"}))
            .await;
        assert_eq!(server.await.expect("joined"), 1);
    }

    #[tokio::test]
    async fn end_of_input_exits_1() {
        let (mut client, server) = start();
        client.send(initialize()).await;
        assert_eq!(client.receive().await["id"], 1);
        drop(client);
        assert_eq!(server.await.expect("joined"), 1);
    }
}
