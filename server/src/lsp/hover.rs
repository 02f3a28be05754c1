//! `textDocument/hover`: glue over [`crate::ide::hover`] (markdown).

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{Hover, HoverContents, HoverParams, MarkupContent, MarkupKind};

use super::server::Server;
use crate::ide;

pub async fn hover(server: &Server, params: HoverParams) -> Result<Option<Hover>> {
    let at = params.text_document_position_params;
    server
        .with_snapshot("hover", &at.text_document.uri, move |snap| {
            let model = &snap.model;
            let found = ide::hover::hover(&snap.parse, model, snap.offset(at.position))?;
            Some(Hover {
                contents: HoverContents::Markup(MarkupContent {
                    kind: MarkupKind::Markdown,
                    value: found.markdown,
                }),
                range: Some(snap.range(found.range)),
            })
        })
        .await
}
