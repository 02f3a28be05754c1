//! `dockerfile-lsp/syntaxTree`: the server's syntax tree of a document, as text (like
//! rust-analyzer's "View Syntax Tree"). For people debugging the parser, and for tests that
//! must see exactly what text the server holds. `null` when the document is not open.

use serde::Deserialize;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::TextDocumentIdentifier;

use super::server::Server;

pub const METHOD: &str = "dockerfile-lsp/syntaxTree";

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SyntaxTreeParams {
    pub text_document: TextDocumentIdentifier,
}

impl Server {
    pub async fn syntax_tree(&self, params: SyntaxTreeParams) -> Result<Option<String>> {
        let uri = params.text_document.uri;
        self.with_snapshot(METHOD, &uri, |snapshot| {
            Some(format!("{:#?}", snapshot.parse.syntax()))
        })
        .await
    }
}
