//! `textDocument/documentLink`: glue over [`crate::ide::links`]. Targets are complete, so
//! there is nothing to resolve.

use std::str::FromStr;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{DocumentLink, DocumentLinkParams, Uri};

use super::server::Server;
use crate::ide;

pub async fn document_links(
    server: &Server,
    params: DocumentLinkParams,
) -> Result<Option<Vec<DocumentLink>>> {
    server
        .with_snapshot("documentLink", &params.text_document.uri, |snap| {
            let model = &snap.model;
            Some(
                ide::links::document_links(&snap.parse, model)
                    .into_iter()
                    .filter_map(|l| {
                        Some(DocumentLink {
                            range: snap.range(l.range),
                            target: Some(Uri::from_str(&l.target).ok()?),
                            tooltip: Some(l.tooltip),
                            data: None,
                        })
                    })
                    .collect(),
            )
        })
        .await
}
