//! `textDocument/formatting`, `rangeFormatting` and `onTypeFormatting`: [`ide::formatting`]
//! with the editor's indentation and our `formatting.reindentContinuations` setting.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    DocumentFormattingParams, DocumentOnTypeFormattingParams, DocumentRangeFormattingParams,
    FormattingOptions, TextEdit,
};

use super::analysis::Snapshot;
use super::server::Server;
use crate::ide::formatting::{self as ide, FormatOptions};

/// On-type formatting runs after a newline (it indents a new continuation line).
pub const ON_TYPE_TRIGGER: &str = "\n";

fn options(snap: &Snapshot, editor: &FormattingOptions) -> FormatOptions {
    FormatOptions {
        tab_size: editor.tab_size,
        insert_spaces: editor.insert_spaces,
        reindent_continuations: snap.config.formatting.reindent_continuations,
    }
}

fn edits(snap: &Snapshot, edits: Vec<ide::TextEdit>) -> Option<Vec<TextEdit>> {
    Some(
        edits
            .into_iter()
            .map(|e| TextEdit {
                range: snap.range(e.range),
                new_text: e.new_text,
            })
            .collect(),
    )
}

pub async fn formatting(
    server: &Server,
    params: DocumentFormattingParams,
) -> Result<Option<Vec<TextEdit>>> {
    server
        .with_snapshot("formatting", &params.text_document.uri, move |snap| {
            let options = options(snap, &params.options);
            edits(snap, ide::format(&snap.parse, &options))
        })
        .await
}

pub async fn range_formatting(
    server: &Server,
    params: DocumentRangeFormattingParams,
) -> Result<Option<Vec<TextEdit>>> {
    server
        .with_snapshot("rangeFormatting", &params.text_document.uri, move |snap| {
            let options = options(snap, &params.options);
            let range = snap.text_range(params.range);
            edits(snap, ide::format_range(&snap.parse, range, &options))
        })
        .await
}

pub async fn on_type_formatting(
    server: &Server,
    params: DocumentOnTypeFormattingParams,
) -> Result<Option<Vec<TextEdit>>> {
    let at = params.text_document_position;
    server
        .with_snapshot("onTypeFormatting", &at.text_document.uri, move |snap| {
            let options = options(snap, &params.options);
            let ch = params.ch.chars().next()?;
            let offset = snap.offset(at.position);
            edits(snap, ide::format_on_type(&snap.parse, offset, ch, &options))
        })
        .await
}
