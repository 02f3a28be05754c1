//! The server state and the `LanguageServer` impl: a table from LSP methods to the modules
//! that handle them. Lifecycle methods live here; everything else one call away.

use std::ops::Deref;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock, PoisonError, RwLock};

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    CodeActionParams, CodeActionResponse, CodeLens, CodeLensParams, CompletionParams,
    CompletionResponse, DidChangeConfigurationParams, DidChangeTextDocumentParams,
    DidChangeWatchedFilesParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams,
    DidSaveTextDocumentParams, DocumentDiagnosticParams, DocumentDiagnosticReportResult,
    DocumentFormattingParams, DocumentHighlight, DocumentHighlightParams, DocumentLink,
    DocumentLinkParams, DocumentOnTypeFormattingParams, DocumentRangeFormattingParams,
    DocumentSymbolParams, DocumentSymbolResponse, FoldingRange, FoldingRangeParams,
    GotoDefinitionParams, GotoDefinitionResponse, Hover, HoverParams, InitializeParams,
    InitializeResult, InitializedParams, InlayHint, InlayHintParams, Location,
    PrepareRenameResponse, ReferenceParams, RenameParams, SemanticTokensDeltaParams,
    SemanticTokensFullDeltaResult, SemanticTokensParams, SemanticTokensRangeParams,
    SemanticTokensRangeResult, SemanticTokensResult, ServerInfo, SignatureHelp,
    SignatureHelpParams, TextDocumentPositionParams, TextEdit, Uri, WorkspaceEdit,
    WorkspaceSymbolParams, WorkspaceSymbolResponse,
};
use tower_lsp_server::{Client, LanguageServer};

use super::analysis::Snapshot;
use super::cache::{self, CacheState};
use super::capabilities::{self, Session};
use super::config::Config;
use super::documents::Documents;
use super::guard::{guarded, internal_error};
use super::semantic_tokens::TokenCache;
use super::{
    code_actions, code_lens, completion, diagnostics, folding, formatting, hover, inlay_hints,
    links, navigation, rename, semantic_tokens, signature_help, symbols, text_sync, workspace,
};

/// A cheap handle on the server state; clone it into spawned tasks.
#[derive(Clone)]
pub struct Server(Arc<ServerState>);

pub struct ServerState {
    pub client: Client,
    pub documents: Documents,
    /// Build-cache baselines and changed context files per open document.
    pub cache: CacheState,
    session: OnceLock<Session>,
    /// Held for reading while a document is analysed, and for writing while the settings
    /// change and every document is re-analysed, so no document keeps old settings.
    config: RwLock<Arc<Config>>,
    /// Serialises "is this still the latest version? then publish" (see `diagnostics`).
    pub(super) publish_order: tokio::sync::Mutex<()>,
    /// One diagnostics computation at a time per document (see `diagnostics::publish`).
    pub(super) computing: dashmap::DashMap<Uri, Arc<tokio::sync::Mutex<()>>>,
    /// The last full semantic tokens of each document, for `semanticTokens/full/delta`.
    pub(super) semantic_tokens: TokenCache,
}

impl Deref for Server {
    type Target = ServerState;

    fn deref(&self) -> &ServerState {
        &self.0
    }
}

impl Server {
    pub fn new(client: Client) -> Self {
        Server(Arc::new(ServerState {
            client,
            documents: Documents::default(),
            cache: CacheState::default(),
            session: OnceLock::new(),
            config: RwLock::new(Arc::default()),
            publish_order: tokio::sync::Mutex::new(()),
            computing: dashmap::DashMap::new(),
            semantic_tokens: TokenCache::default(),
        }))
    }

    /// What `initialize` negotiated (the defaults before it).
    pub fn session(&self) -> Session {
        self.session.get().copied().unwrap_or_default()
    }

    pub fn config(&self) -> Arc<Config> {
        self.config
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Runs `f` with the settings held, so a settings change waits for it (see `config`).
    pub fn with_config<T>(&self, f: impl FnOnce(&Arc<Config>) -> T) -> T {
        let config = self.config.read().unwrap_or_else(PoisonError::into_inner);
        f(&config)
    }

    /// Replaces the settings. When they differ, re-analyses every open document and
    /// re-publishes (push) or asks the client to re-pull (pull) its diagnostics.
    pub fn replace_config(&self, mut new: Config) {
        new.workspace_folders = self.cache.folders();
        let session = self.session();
        let changed = {
            let mut config = self.config.write().unwrap_or_else(PoisonError::into_inner);
            if **config == new {
                None
            } else {
                *config = Arc::new(new);
                Some(self.documents.reanalyze_all(session.encoding, &config))
            }
        };
        let Some(snapshots) = changed else {
            return;
        };
        tracing::info!(
            "settings changed; {} open documents re-analysed",
            snapshots.len()
        );
        for (uri, snapshot) in snapshots {
            diagnostics::publish(self, uri, snapshot);
        }
        cache::settings_changed(self);
        if session.pull_diagnostics && session.diagnostic_refresh {
            let client = self.client.clone();
            tokio::spawn(async move {
                if let Err(e) = client.workspace_diagnostic_refresh().await {
                    tracing::warn!("workspace/diagnostic/refresh failed: {e}");
                }
            });
        }
    }

    /// Runs a feature on the latest snapshot of `uri`, on a blocking thread (so the protocol
    /// loop keeps reading), with panics caught. A document that is not open answers
    /// `R::default()`: `null` for an `Option`, `[]` for a `Vec`.
    ///
    /// The snapshot is taken before the first `.await`, so the answer is for the text as of
    /// this request, even when edits arrive while it runs.
    pub async fn with_snapshot<R, F>(&self, what: &'static str, uri: &Uri, f: F) -> Result<R>
    where
        R: Default + Send + 'static,
        F: FnOnce(&Snapshot) -> R + Send + 'static,
    {
        let Some(snapshot) = self.documents.snapshot(uri) else {
            tracing::debug!("{what}: {} is not open", uri.as_str());
            return Ok(R::default());
        };
        self.run_blocking(what, move || f(&snapshot)).await
    }

    /// Runs `f` on a blocking thread with panics caught: a panic is logged and becomes an
    /// internal-error response.
    ///
    /// Cancellation: tower-lsp answers a cancelled request (`$/cancelRequest`) at once by
    /// dropping this future, but a blocking thread cannot be stopped from outside. So the
    /// drop raises a flag, and work that has not started by then (waiting for a thread
    /// behind others) is skipped.
    pub async fn run_blocking<R, F>(&self, what: &'static str, f: F) -> Result<R>
    where
        R: Send + 'static,
        F: FnOnce() -> R + Send + 'static,
    {
        let wanted = Wanted::default();
        let flag = wanted.0.clone();
        let task = tokio::task::spawn_blocking(move || {
            if !flag.load(Ordering::Relaxed) {
                tracing::debug!("{what}: cancelled before it started; skipped");
                return Some(None);
            }
            guarded(what, || {
                super::test_hooks::before(what, &flag);
                f()
            })
            .map(Some)
        });
        match task.await {
            Ok(Some(Some(value))) => Ok(value),
            Ok(Some(None)) => Err(tower_lsp_server::jsonrpc::Error::request_cancelled()),
            Ok(None) => Err(internal_error(what)),
            Err(e) => {
                tracing::error!("{what}: blocking task failed: {e}");
                Err(internal_error(what))
            }
        }
    }
}

/// True while the request that started a blocking task still wants its result; cleared
/// when its future is dropped (cancelled) before the task finished.
struct Wanted(Arc<AtomicBool>);

impl Default for Wanted {
    fn default() -> Self {
        Wanted(Arc::new(AtomicBool::new(true)))
    }
}

impl Drop for Wanted {
    fn drop(&mut self) {
        self.0.store(false, Ordering::Relaxed);
    }
}

impl LanguageServer for Server {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        let session = Session::new(&params);
        self.cache.initialize(&params);
        if self.session.set(session).is_err() {
            // tower-lsp answers a second `initialize` itself; keep the first negotiation.
            tracing::warn!("initialize received twice");
        }
        if let Some((config, warnings)) =
            Config::from_initialization_options(params.initialization_options.as_ref())
        {
            for w in warnings {
                tracing::warn!("initializationOptions: {w}");
            }
            self.replace_config(config);
        }
        tracing::info!("initialized: {session:?}");
        Ok(InitializeResult {
            capabilities: capabilities::server_capabilities(&session),
            server_info: Some(ServerInfo {
                name: "dockerfile-lsp".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
            offset_encoding: None,
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        workspace::initialized(self);
    }

    async fn shutdown(&self) -> Result<()> {
        // Noted by `GuardedService` (for the exit status); nothing to release.
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        text_sync::did_open(self, params);
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        text_sync::did_change(self, params);
    }

    async fn did_save(&self, params: DidSaveTextDocumentParams) {
        text_sync::did_save(self, params);
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        self.semantic_tokens.forget(&params.text_document.uri);
        text_sync::did_close(self, params);
    }

    async fn diagnostic(
        &self,
        params: DocumentDiagnosticParams,
    ) -> Result<DocumentDiagnosticReportResult> {
        diagnostics::pull(self, params).await
    }

    async fn did_change_configuration(&self, params: DidChangeConfigurationParams) {
        workspace::did_change_configuration(self, params);
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        cache::did_change_watched_files(self, params);
    }

    async fn inlay_hint(&self, params: InlayHintParams) -> Result<Option<Vec<InlayHint>>> {
        inlay_hints::inlay_hints(self, params).await
    }

    async fn code_lens(&self, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
        code_lens::code_lens(self, params).await
    }

    async fn code_lens_resolve(&self, params: CodeLens) -> Result<CodeLens> {
        code_lens::resolve(self, params).await
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        completion::completion(self, params).await
    }

    async fn signature_help(&self, params: SignatureHelpParams) -> Result<Option<SignatureHelp>> {
        signature_help::signature_help(self, params).await
    }

    async fn semantic_tokens_full(
        &self,
        params: SemanticTokensParams,
    ) -> Result<Option<SemanticTokensResult>> {
        semantic_tokens::full_request(self, params).await
    }

    async fn semantic_tokens_full_delta(
        &self,
        params: SemanticTokensDeltaParams,
    ) -> Result<Option<SemanticTokensFullDeltaResult>> {
        semantic_tokens::delta_request(self, params).await
    }

    async fn semantic_tokens_range(
        &self,
        params: SemanticTokensRangeParams,
    ) -> Result<Option<SemanticTokensRangeResult>> {
        semantic_tokens::range_request(self, params).await
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        folding::folding_range(self, params).await
    }

    async fn formatting(&self, params: DocumentFormattingParams) -> Result<Option<Vec<TextEdit>>> {
        formatting::formatting(self, params).await
    }

    async fn range_formatting(
        &self,
        params: DocumentRangeFormattingParams,
    ) -> Result<Option<Vec<TextEdit>>> {
        formatting::range_formatting(self, params).await
    }

    async fn on_type_formatting(
        &self,
        params: DocumentOnTypeFormattingParams,
    ) -> Result<Option<Vec<TextEdit>>> {
        formatting::on_type_formatting(self, params).await
    }

    async fn goto_definition(
        &self,
        params: GotoDefinitionParams,
    ) -> Result<Option<GotoDefinitionResponse>> {
        navigation::definition(self, params).await
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        navigation::references(self, params).await
    }

    async fn document_highlight(
        &self,
        params: DocumentHighlightParams,
    ) -> Result<Option<Vec<DocumentHighlight>>> {
        navigation::highlight(self, params).await
    }

    async fn prepare_rename(
        &self,
        params: TextDocumentPositionParams,
    ) -> Result<Option<PrepareRenameResponse>> {
        rename::prepare(self, params).await
    }

    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        rename::rename(self, params).await
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        hover::hover(self, params).await
    }

    async fn document_symbol(
        &self,
        params: DocumentSymbolParams,
    ) -> Result<Option<DocumentSymbolResponse>> {
        symbols::document_symbols(self, params).await
    }

    async fn symbol(
        &self,
        params: WorkspaceSymbolParams,
    ) -> Result<Option<WorkspaceSymbolResponse>> {
        symbols::workspace_symbols(self, params).await
    }

    async fn document_link(&self, params: DocumentLinkParams) -> Result<Option<Vec<DocumentLink>>> {
        links::document_links(self, params).await
    }

    async fn code_action(&self, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
        code_actions::code_actions(self, params).await
    }
}
