//! `textDocument/hover`: glue over [`crate::ide::hover`] (markdown), followed on a COPY/ADD
//! source by the build-context files it selects ([`super::cache_hover`]).

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{Hover, HoverContents, HoverParams, MarkupContent, MarkupKind};

use super::cache_hover;
use super::server::Server;
use crate::ide;

pub async fn hover(server: &Server, params: HoverParams) -> Result<Option<Hover>> {
    let at = params.text_document_position_params;
    let state = server.clone();
    let uri = at.text_document.uri.clone();
    server
        .with_snapshot("hover", &at.text_document.uri, move |snap| {
            let model = &snap.model;
            let offset = snap.offset(at.position);
            let found = ide::hover::hover(&snap.parse, model, offset);
            let context = cache_hover::copy_source(&state.cache.doc(&uri, snap), snap, offset);
            let (markdown, range) = match (found, context) {
                (Some(f), Some((c, _))) => (format!("{}\n\n---\n\n{c}", f.markdown), f.range),
                (Some(f), None) => (f.markdown, f.range),
                (None, Some((c, range))) => (c, range),
                (None, None) => return None,
            };
            Some(Hover {
                contents: HoverContents::Markup(MarkupContent {
                    kind: MarkupKind::Markdown,
                    value: markdown,
                }),
                range: Some(snap.range(range)),
            })
        })
        .await
}
