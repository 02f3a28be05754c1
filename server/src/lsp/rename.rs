//! `textDocument/prepareRename` and `textDocument/rename`: glue over [`crate::ide::rename`].
//! "Nothing to rename here" answers `null`; a refused rename answers an error whose message
//! the client shows (why it can't be renamed, or why not to that name).

use std::collections::HashMap;

use tower_lsp_server::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp_server::ls_types::{
    PrepareRenameResponse, RenameParams, TextDocumentPositionParams, TextEdit, WorkspaceEdit,
};

use super::server::Server;
use crate::ide::rename::{self, RenameError};

/// LSP's `RequestFailed`: the request was valid but could not be carried out.
const REQUEST_FAILED: i64 = -32803;

fn refused(message: String) -> Error {
    Error {
        code: ErrorCode::ServerError(REQUEST_FAILED),
        message: message.into(),
        data: None,
    }
}

pub async fn prepare(
    server: &Server,
    params: TextDocumentPositionParams,
) -> Result<Option<PrepareRenameResponse>> {
    let answer = server
        .with_snapshot("prepareRename", &params.text_document.uri, move |snap| {
            let model = &snap.model;
            Some(
                match rename::prepare_rename(&snap.parse, model, snap.offset(params.position)) {
                    Ok(p) => Ok(Some(PrepareRenameResponse::RangeWithPlaceholder {
                        range: snap.range(p.range),
                        placeholder: p.placeholder,
                    })),
                    Err(RenameError::NoSymbol) => Ok(None),
                    Err(RenameError::Refused(message)) => Err(message),
                },
            )
        })
        .await?;
    match answer {
        None => Ok(None),
        Some(result) => result.map_err(refused),
    }
}

pub async fn rename(server: &Server, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
    let at = params.text_document_position;
    let uri = at.text_document.uri;
    let new_name = params.new_name;
    let answer = server
        .with_snapshot("rename", &uri.clone(), move |snap| {
            let model = &snap.model;
            let offset = snap.offset(at.position);
            Some(
                match rename::rename(&snap.parse, model, offset, &new_name) {
                    Ok(edits) => {
                        let edits = edits
                            .into_iter()
                            .map(|e| TextEdit::new(snap.range(e.range), e.new_text))
                            .collect();
                        Ok(Some(WorkspaceEdit {
                            changes: Some(HashMap::from([(uri, edits)])),
                            ..WorkspaceEdit::default()
                        }))
                    }
                    Err(RenameError::NoSymbol) => Ok(None),
                    Err(RenameError::Refused(message)) => Err(message),
                },
            )
        })
        .await?;
    match answer {
        None => Ok(None),
        Some(result) => result.map_err(refused),
    }
}
