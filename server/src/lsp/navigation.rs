//! `textDocument/definition`, `textDocument/references`, `textDocument/documentHighlight`:
//! glue over [`crate::ide::navigation`].

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    DocumentHighlight, DocumentHighlightKind, DocumentHighlightParams, GotoDefinitionParams,
    GotoDefinitionResponse, Location, LocationLink, ReferenceParams,
};

use super::limits;
use super::server::Server;
use crate::ide::navigation::{self, HighlightKind};

pub async fn definition(
    server: &Server,
    params: GotoDefinitionParams,
) -> Result<Option<GotoDefinitionResponse>> {
    let at = params.text_document_position_params;
    let uri = at.text_document.uri;
    let links = server.session().definition_links;
    server
        .with_snapshot("definition", &uri.clone(), move |snap| {
            let model = &snap.model;
            let found = navigation::definition(&snap.parse, model, snap.offset(at.position))?;
            Some(if links {
                GotoDefinitionResponse::Link(
                    found
                        .targets
                        .iter()
                        .map(|t| LocationLink {
                            origin_selection_range: Some(snap.range(found.origin)),
                            target_uri: uri.clone(),
                            target_range: snap.range(t.full_range),
                            target_selection_range: snap.range(t.focus_range),
                        })
                        .collect(),
                )
            } else {
                GotoDefinitionResponse::Array(
                    found
                        .targets
                        .iter()
                        .map(|t| Location::new(uri.clone(), snap.range(t.focus_range)))
                        .collect(),
                )
            })
        })
        .await
}

pub async fn references(server: &Server, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
    let at = params.text_document_position;
    let uri = at.text_document.uri;
    let include_declaration = params.context.include_declaration;
    server
        .with_snapshot("references", &uri.clone(), move |snap| {
            let model = &snap.model;
            let offset = snap.offset(at.position);
            navigation::occurrences(&snap.parse, model, offset)?;
            let mut found = navigation::references(&snap.parse, model, offset, include_declaration);
            limits::cap("references", &mut found, limits::MAX_LOCATIONS);
            Some(
                found
                    .into_iter()
                    .map(|r| Location::new(uri.clone(), snap.range(r)))
                    .collect(),
            )
        })
        .await
}

pub async fn highlight(
    server: &Server,
    params: DocumentHighlightParams,
) -> Result<Option<Vec<DocumentHighlight>>> {
    let at = params.text_document_position_params;
    server
        .with_snapshot("documentHighlight", &at.text_document.uri, move |snap| {
            let model = &snap.model;
            let mut found = navigation::occurrences(&snap.parse, model, snap.offset(at.position))?;
            limits::cap("documentHighlight", &mut found, limits::MAX_LOCATIONS);
            Some(
                found
                    .into_iter()
                    .map(|h| DocumentHighlight {
                        range: snap.range(h.range),
                        kind: Some(match h.kind {
                            HighlightKind::Write => DocumentHighlightKind::WRITE,
                            HighlightKind::Read => DocumentHighlightKind::READ,
                        }),
                    })
                    .collect(),
            )
        })
        .await
}
