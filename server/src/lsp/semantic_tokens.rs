//! `textDocument/semanticTokens/full`, `full/delta` and `range`: [`ide::semantic_tokens`]
//! encoded in the negotiated position encoding.
//!
//! The last full result of each document is kept (its `resultId` is the snapshot revision),
//! so `full/delta` can answer with the one edit between it and the new tokens.

use std::sync::Arc;

use dashmap::DashMap;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    SemanticToken, SemanticTokenModifier, SemanticTokenType, SemanticTokens, SemanticTokensDelta,
    SemanticTokensDeltaParams, SemanticTokensEdit, SemanticTokensFullDeltaResult,
    SemanticTokensLegend, SemanticTokensParams, SemanticTokensRangeParams,
    SemanticTokensRangeResult, SemanticTokensResult, Uri,
};

use super::analysis::Snapshot;
use super::convert::Encoding;
use super::limits;
use super::server::Server;
use crate::ide::semantic_tokens as ide;

/// The token types and modifiers, in the order of `ide::semantic_tokens`'s numbering.
pub fn legend() -> SemanticTokensLegend {
    SemanticTokensLegend {
        token_types: ide::TOKEN_TYPES
            .iter()
            .map(|t| SemanticTokenType::new(t))
            .collect(),
        token_modifiers: ide::TOKEN_MODIFIERS
            .iter()
            .map(|m| SemanticTokenModifier::new(m))
            .collect(),
    }
}

/// The last full result per document: `(result id, data)`.
#[derive(Default)]
pub struct TokenCache(DashMap<Uri, (String, Arc<Vec<u32>>)>);

impl TokenCache {
    pub fn forget(&self, uri: &Uri) {
        self.0.remove(uri);
    }
}

fn encoded(snap: &Snapshot, within: Option<crate::syntax::TextRange>) -> Vec<u32> {
    let mut tokens = ide::semantic_tokens(&snap.parse, &snap.model, within);
    limits::cap("semanticTokens", &mut tokens, limits::MAX_SEMANTIC_TOKENS);
    let encoding = match snap.encoding {
        Encoding::Utf8 => ide::Encoding::Utf8,
        Encoding::Utf16 => ide::Encoding::Utf16,
    };
    ide::encode(snap.parse.text(), &tokens, encoding)
}

fn to_lsp(data: &[u32]) -> Vec<SemanticToken> {
    data.chunks_exact(5)
        .map(|c| SemanticToken {
            delta_line: c[0],
            delta_start: c[1],
            length: c[2],
            token_type: c[3],
            token_modifiers_bitset: c[4],
        })
        .collect()
}

/// Computes the full tokens and remembers them for the next delta request.
fn full(server: &Server, uri: &Uri, snap: &Snapshot) -> (String, Arc<Vec<u32>>) {
    let data = Arc::new(encoded(snap, None));
    let id = snap.revision.to_string();
    server
        .semantic_tokens
        .0
        .insert(uri.clone(), (id.clone(), data.clone()));
    (id, data)
}

pub async fn full_request(
    server: &Server,
    params: SemanticTokensParams,
) -> Result<Option<SemanticTokensResult>> {
    let uri = params.text_document.uri;
    let srv = server.clone();
    server
        .with_snapshot("semanticTokens/full", &uri.clone(), move |snap| {
            let (id, data) = full(&srv, &uri, snap);
            Some(SemanticTokensResult::Tokens(SemanticTokens {
                result_id: Some(id),
                data: to_lsp(&data),
            }))
        })
        .await
}

pub async fn delta_request(
    server: &Server,
    params: SemanticTokensDeltaParams,
) -> Result<Option<SemanticTokensFullDeltaResult>> {
    let uri = params.text_document.uri;
    let previous = params.previous_result_id;
    let srv = server.clone();
    server
        .with_snapshot("semanticTokens/full/delta", &uri.clone(), move |snap| {
            let old = srv
                .semantic_tokens
                .0
                .get(&uri)
                .filter(|entry| entry.0 == previous)
                .map(|entry| entry.1.clone());
            let (id, data) = full(&srv, &uri, snap);
            Some(match old {
                Some(old) => SemanticTokensFullDeltaResult::TokensDelta(SemanticTokensDelta {
                    result_id: Some(id),
                    edits: ide::diff(&old, &data)
                        .into_iter()
                        .map(|e| SemanticTokensEdit {
                            start: e.start,
                            delete_count: e.delete_count,
                            data: Some(to_lsp(&e.data)),
                        })
                        .collect(),
                }),
                None => SemanticTokensFullDeltaResult::Tokens(SemanticTokens {
                    result_id: Some(id),
                    data: to_lsp(&data),
                }),
            })
        })
        .await
}

pub async fn range_request(
    server: &Server,
    params: SemanticTokensRangeParams,
) -> Result<Option<SemanticTokensRangeResult>> {
    server
        .with_snapshot(
            "semanticTokens/range",
            &params.text_document.uri,
            move |snap| {
                let range = snap.text_range(params.range);
                Some(SemanticTokensRangeResult::Tokens(SemanticTokens {
                    result_id: None,
                    data: to_lsp(&encoded(snap, Some(range))),
                }))
            },
        )
        .await
}
