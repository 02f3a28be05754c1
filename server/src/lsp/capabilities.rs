//! What was negotiated at `initialize`: the client's abilities we depend on ([`Session`]) and
//! every capability the server declares ([`server_capabilities`], the one place to add one).

use serde_json::{Map, Value};
use tower_lsp_server::ls_types::{
    ClientCapabilities, CodeActionKind, CodeActionOptions, CodeActionProviderCapability,
    CodeLensOptions, CompletionOptions, DiagnosticOptions, DiagnosticServerCapabilities,
    DocumentLinkOptions, DocumentOnTypeFormattingOptions, DocumentSymbolOptions,
    FoldingRangeProviderCapability, HoverProviderCapability, InitializeParams, OneOf,
    RenameOptions, SaveOptions, SemanticTokensFullOptions, SemanticTokensOptions,
    SemanticTokensServerCapabilities, ServerCapabilities, SignatureHelpOptions,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    TextDocumentSyncSaveOptions,
};

use super::convert::Encoding;
use super::{formatting, semantic_tokens, syntax_tree};
use crate::ide;

/// The parts of the client's capabilities the server acts on, fixed at `initialize`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Session {
    pub encoding: Encoding,
    /// The client pulls diagnostics (`textDocument/diagnostic`), so we do not push them:
    /// VS Code would show both.
    pub pull_diagnostics: bool,
    /// The client answers `workspace/diagnostic/refresh` (re-pull after a settings change).
    pub diagnostic_refresh: bool,
    /// The client answers `workspace/configuration`.
    pub configuration: bool,
    /// The client accepts `client/registerCapability` for `workspace/didChangeConfiguration`
    /// (some clients send that notification only when the server registers for it).
    pub register_configuration: bool,
    /// Completion items may be snippets (`${1:placeholder}`).
    pub completion_snippets: bool,
    /// Completion items may carry an insert and a replace range.
    pub completion_insert_replace: bool,
    /// Go-to-definition may answer `LocationLink`s (with the origin and the whole target).
    pub definition_links: bool,
    /// Document symbols may be a tree (`DocumentSymbol`) rather than a flat list.
    pub hierarchical_symbols: bool,
    /// The client answers `workspace/inlayHint/refresh` and `workspace/codeLens/refresh`
    /// (the build-cache hints change when a baseline arrives or a context file changes).
    pub inlay_hint_refresh: bool,
    pub code_lens_refresh: bool,
    /// The client accepts `client/registerCapability` for `workspace/didChangeWatchedFiles`.
    pub watched_files: bool,
}

impl Session {
    pub fn new(params: &InitializeParams) -> Self {
        let caps: &ClientCapabilities = &params.capabilities;
        let offered = caps
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_deref());
        let workspace = caps.workspace.as_ref();
        let text_document = caps.text_document.as_ref();
        Session {
            encoding: Encoding::negotiate(offered),
            pull_diagnostics: text_document.is_some_and(|t| t.diagnostic.is_some()),
            diagnostic_refresh: workspace
                .and_then(|w| w.diagnostics.as_ref())
                .and_then(|d| d.refresh_support)
                .unwrap_or(false),
            configuration: workspace.and_then(|w| w.configuration).unwrap_or(false),
            register_configuration: workspace
                .and_then(|w| w.did_change_configuration.as_ref())
                .and_then(|d| d.dynamic_registration)
                .unwrap_or(false),
            completion_snippets: completion_item(caps)
                .and_then(|c| c.snippet_support)
                .unwrap_or(false),
            completion_insert_replace: completion_item(caps)
                .and_then(|c| c.insert_replace_support)
                .unwrap_or(false),
            definition_links: text_document
                .and_then(|t| t.definition.as_ref())
                .and_then(|d| d.link_support)
                .unwrap_or(false),
            hierarchical_symbols: text_document
                .and_then(|t| t.document_symbol.as_ref())
                .and_then(|d| d.hierarchical_document_symbol_support)
                .unwrap_or(false),
            inlay_hint_refresh: workspace
                .and_then(|w| w.inlay_hint.as_ref())
                .and_then(|i| i.refresh_support)
                .unwrap_or(false),
            code_lens_refresh: workspace
                .and_then(|w| w.code_lens.as_ref())
                .and_then(|c| c.refresh_support)
                .unwrap_or(false),
            watched_files: workspace
                .and_then(|w| w.did_change_watched_files.as_ref())
                .and_then(|d| d.dynamic_registration)
                .unwrap_or(false),
        }
    }
}

fn completion_item(
    caps: &ClientCapabilities,
) -> Option<&tower_lsp_server::ls_types::CompletionItemCapability> {
    caps.text_document
        .as_ref()?
        .completion
        .as_ref()?
        .completion_item
        .as_ref()
}

fn strings(items: &[&str]) -> Option<Vec<String>> {
    Some(items.iter().map(|s| s.to_string()).collect())
}

/// Every capability the server declares.
pub fn server_capabilities(session: &Session) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(session.encoding.kind()),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                will_save: None,
                will_save_wait_until: None,
                save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                    include_text: Some(true),
                })),
            },
        )),
        diagnostic_provider: Some(DiagnosticServerCapabilities::Options(DiagnosticOptions {
            identifier: Some("dockerfile-lsp".into()),
            // No check reads another open document yet. A check that reads the build
            // context (e.g. `.dockerignore`) must set this, so clients re-pull on changes.
            inter_file_dependencies: false,
            workspace_diagnostics: false,
            work_done_progress_options: Default::default(),
        })),
        completion_provider: Some(CompletionOptions {
            resolve_provider: Some(false),
            trigger_characters: strings(&ide::completion::TRIGGER_CHARACTERS),
            ..CompletionOptions::default()
        }),
        signature_help_provider: Some(SignatureHelpOptions {
            trigger_characters: strings(&ide::signature_help::TRIGGER_CHARACTERS),
            retrigger_characters: strings(&ide::signature_help::RETRIGGER_CHARACTERS),
            work_done_progress_options: Default::default(),
        }),
        semantic_tokens_provider: Some(SemanticTokensServerCapabilities::SemanticTokensOptions(
            SemanticTokensOptions {
                work_done_progress_options: Default::default(),
                legend: semantic_tokens::legend(),
                range: Some(true),
                full: Some(SemanticTokensFullOptions::Delta { delta: Some(true) }),
            },
        )),
        folding_range_provider: Some(FoldingRangeProviderCapability::Simple(true)),
        document_formatting_provider: Some(OneOf::Left(true)),
        document_range_formatting_provider: Some(OneOf::Left(true)),
        document_on_type_formatting_provider: Some(DocumentOnTypeFormattingOptions {
            first_trigger_character: formatting::ON_TYPE_TRIGGER.to_string(),
            more_trigger_character: None,
        }),
        experimental: Some(experimental()),
        // Navigation and information (`navigation`, `rename`, `hover`, `symbols`, `links`).
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        document_highlight_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: Default::default(),
        })),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        document_symbol_provider: Some(OneOf::Right(DocumentSymbolOptions {
            label: Some("Dockerfile".into()),
            work_done_progress_options: Default::default(),
        })),
        workspace_symbol_provider: Some(OneOf::Left(true)),
        document_link_provider: Some(DocumentLinkOptions {
            resolve_provider: Some(false),
            work_done_progress_options: Default::default(),
        }),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            resolve_provider: Some(false),
            work_done_progress_options: Default::default(),
        })),
        // Build cache (`inlay_hints`, `code_lens`): lenses resolve one by one.
        inlay_hint_provider: Some(OneOf::Left(true)),
        code_lens_provider: Some(CodeLensOptions {
            resolve_provider: Some(true),
        }),
        ..ServerCapabilities::default()
    }
}

/// Our own requests, named for clients that want to offer them.
fn experimental() -> Value {
    let mut map = Map::new();
    map.insert(syntax_tree::METHOD.into(), Value::Bool(true));
    Value::Object(map)
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::*;

    fn session(capabilities: Value) -> Session {
        let params: InitializeParams =
            serde_json::from_value(json!({ "capabilities": capabilities })).expect("params");
        Session::new(&params)
    }

    #[test]
    fn a_bare_client() {
        let s = session(json!({}));
        assert_eq!(s, Session::default());
        let caps = serde_json::to_value(server_capabilities(&s)).expect("json");
        assert_eq!(caps["positionEncoding"], "utf-16");
        assert_eq!(
            caps["textDocumentSync"],
            json!({"openClose": true, "change": 2, "save": {"includeText": true}})
        );
        assert_eq!(caps["diagnosticProvider"]["interFileDependencies"], false);
    }

    #[test]
    fn a_modern_client() {
        let s = session(json!({
            "general": {"positionEncodings": ["utf-16", "utf-8"]},
            "textDocument": {"diagnostic": {"dynamicRegistration": false}},
            "workspace": {
                "configuration": true,
                "didChangeConfiguration": {"dynamicRegistration": true},
                "diagnostics": {"refreshSupport": true},
            },
        }));
        assert_eq!(
            s,
            Session {
                encoding: Encoding::Utf8,
                pull_diagnostics: true,
                diagnostic_refresh: true,
                configuration: true,
                register_configuration: true,
                completion_snippets: false,
                completion_insert_replace: false,
                definition_links: false,
                hierarchical_symbols: false,
                inlay_hint_refresh: false,
                code_lens_refresh: false,
                watched_files: false,
            }
        );
        let caps = serde_json::to_value(server_capabilities(&s)).expect("json");
        assert_eq!(caps["positionEncoding"], "utf-8");
    }
}
