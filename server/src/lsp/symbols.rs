//! `textDocument/documentSymbol` (a tree, or a flat list for clients without hierarchy
//! support) and `workspace/symbol` over the open documents: glue over [`crate::ide::symbols`].

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    DocumentSymbol, DocumentSymbolParams, DocumentSymbolResponse, Location, SymbolInformation,
    SymbolKind, Uri, WorkspaceSymbolParams, WorkspaceSymbolResponse,
};

use super::analysis::Snapshot;
use super::limits::MAX_DOCUMENT_SYMBOLS;
use super::server::Server;
use crate::ide::symbols::{self, SymbolKind as Kind};

/// Keeps the first `budget` symbols in pre-order.
fn prune(symbols: &mut Vec<symbols::DocumentSymbol>, budget: &mut usize) {
    let mut kept = 0;
    for s in symbols.iter_mut() {
        if *budget == 0 {
            break;
        }
        *budget -= 1;
        kept += 1;
        prune(&mut s.children, budget);
    }
    symbols.truncate(kept);
}

/// At most this many workspace symbols are returned (clients filter further as you type).
const MAX_WORKSPACE_SYMBOLS: usize = 1000;

fn kind(kind: Kind) -> SymbolKind {
    match kind {
        Kind::Directive => SymbolKind::KEY,
        Kind::Stage => SymbolKind::MODULE,
        Kind::Instruction => SymbolKind::FUNCTION,
        Kind::GlobalArg => SymbolKind::CONSTANT,
        Kind::Arg => SymbolKind::VARIABLE,
        Kind::Env => SymbolKind::PROPERTY,
    }
}

#[allow(deprecated)] // `DocumentSymbol::deprecated` must still be written.
fn tree(snap: &Snapshot, symbol: symbols::DocumentSymbol) -> DocumentSymbol {
    DocumentSymbol {
        name: symbol.name,
        detail: symbol.detail,
        kind: kind(symbol.kind),
        tags: None,
        deprecated: None,
        range: snap.range(symbol.range),
        selection_range: snap.range(symbol.selection_range),
        // Leaves carry no `children: []`: an outline of 10,000 lines has thousands of them.
        children: (!symbol.children.is_empty())
            .then(|| symbol.children.into_iter().map(|c| tree(snap, c)).collect()),
    }
}

#[allow(deprecated)] // `SymbolInformation::deprecated` must still be written.
fn flatten(
    snap: &Snapshot,
    uri: &Uri,
    symbol: symbols::DocumentSymbol,
    container: Option<&str>,
    out: &mut Vec<SymbolInformation>,
) {
    out.push(SymbolInformation {
        name: symbol.name.clone(),
        kind: kind(symbol.kind),
        tags: None,
        deprecated: None,
        location: Location::new(uri.clone(), snap.range(symbol.range)),
        container_name: container.map(str::to_string),
    });
    for child in symbol.children {
        flatten(snap, uri, child, Some(&symbol.name), out);
    }
}

pub async fn document_symbols(
    server: &Server,
    params: DocumentSymbolParams,
) -> Result<Option<DocumentSymbolResponse>> {
    let uri = params.text_document.uri;
    let hierarchical = server.session().hierarchical_symbols;
    server
        .with_snapshot("documentSymbol", &uri.clone(), move |snap| {
            let model = &snap.model;
            let mut found = symbols::document_symbols(&snap.parse, model);
            let mut budget = MAX_DOCUMENT_SYMBOLS;
            prune(&mut found, &mut budget);
            if budget == 0 {
                tracing::info!("documentSymbol: capped at {MAX_DOCUMENT_SYMBOLS} symbols");
            }
            Some(if hierarchical {
                DocumentSymbolResponse::Nested(found.into_iter().map(|s| tree(snap, s)).collect())
            } else {
                let mut flat = Vec::new();
                for s in found {
                    flatten(snap, &uri, s, None, &mut flat);
                }
                DocumentSymbolResponse::Flat(flat)
            })
        })
        .await
}

#[allow(deprecated)] // `SymbolInformation::deprecated` must still be written.
pub async fn workspace_symbols(
    server: &Server,
    params: WorkspaceSymbolParams,
) -> Result<Option<WorkspaceSymbolResponse>> {
    let mut documents = server.documents.snapshots();
    // The map's order is arbitrary; answers should not be.
    documents.sort_by(|a, b| a.0.as_str().cmp(b.0.as_str()));
    let query = params.query;
    server
        .run_blocking("workspace/symbol", move || {
            let found = symbols::workspace_symbols(
                documents
                    .iter()
                    .enumerate()
                    .map(|(i, (_, snap))| (i, &snap.parse, &snap.model)),
                &query,
            );
            let list = found
                .into_iter()
                .take(MAX_WORKSPACE_SYMBOLS)
                .map(|s| {
                    let (uri, snap) = &documents[s.document];
                    SymbolInformation {
                        name: s.name,
                        kind: kind(s.kind),
                        tags: None,
                        deprecated: None,
                        location: Location::new(uri.clone(), snap.range(s.range)),
                        container_name: s.container,
                    }
                })
                .collect();
            Some(WorkspaceSymbolResponse::Flat(list))
        })
        .await
}
