//! `textDocument/didOpen`, `didChange`, `didSave`, `didClose`.
//!
//! These handlers are plain functions with no `.await`: tower-lsp runs up to four handlers
//! at once, and only the part of a handler before its first `.await` is guaranteed to run in
//! arrival order. So the edit and the analysis happen right here, synchronously, and the
//! slower work (computing and publishing diagnostics) is spawned with the snapshot it is for.

use tower_lsp_server::ls_types::{
    DidChangeTextDocumentParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams,
    DidSaveTextDocumentParams,
};

use super::server::Server;
use super::{cache, diagnostics};

pub fn did_open(server: &Server, params: DidOpenTextDocumentParams) {
    let doc = params.text_document;
    let encoding = server.session().encoding;
    let snapshot = server.with_config(|config| {
        server
            .documents
            .open(doc.uri.clone(), doc.version, &doc.text, encoding, config)
    });
    diagnostics::publish(server, doc.uri.clone(), snapshot);
    cache::did_open(server, doc.uri, &doc.text);
}

pub fn did_change(server: &Server, params: DidChangeTextDocumentParams) {
    let doc = params.text_document;
    let encoding = server.session().encoding;
    let snapshot = server.with_config(|config| {
        server.documents.change(
            &doc.uri,
            doc.version,
            &params.content_changes,
            encoding,
            config,
        )
    });
    match snapshot {
        Some(snapshot) => diagnostics::publish(server, doc.uri, snapshot),
        None => tracing::warn!(
            "didChange for {}, which is not open; ignored",
            doc.uri.as_str()
        ),
    }
}

/// With the saved text (we ask for it), a document that drifted from the client's buffer is
/// put right.
pub fn did_save(server: &Server, params: DidSaveTextDocumentParams) {
    // The saved text is the new build-cache baseline (in `disk` mode).
    cache::did_save(
        server,
        params.text_document.uri.clone(),
        params.text.clone(),
    );
    let Some(text) = params.text else {
        return;
    };
    let uri = params.text_document.uri;
    let encoding = server.session().encoding;
    let snapshot =
        server.with_config(|config| server.documents.resync(&uri, &text, encoding, config));
    if let Some(snapshot) = snapshot {
        diagnostics::publish(server, uri, snapshot);
    }
}

pub fn did_close(server: &Server, params: DidCloseTextDocumentParams) {
    let uri = params.text_document.uri;
    cache::did_close(server, &uri);
    if server.documents.close(&uri) {
        diagnostics::clear(server, uri);
    } else {
        tracing::warn!("didClose for {}, which is not open; ignored", uri.as_str());
    }
}
