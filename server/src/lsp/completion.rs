//! `textDocument/completion`: [`ide::completion`] in LSP terms.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    CompletionItem, CompletionItemKind, CompletionItemTag, CompletionList, CompletionParams,
    CompletionResponse, CompletionTextEdit, Documentation, InsertReplaceEdit, InsertTextFormat,
    MarkupContent, MarkupKind, TextEdit,
};

use super::limits;
use super::server::Server;
use crate::ide::completion::{self as ide, CompletionKind};

pub async fn completion(
    server: &Server,
    params: CompletionParams,
) -> Result<Option<CompletionResponse>> {
    let at = params.text_document_position;
    let session = server.session();
    server
        .with_snapshot("completion", &at.text_document.uri, move |snap| {
            let offset = snap.offset(at.position);
            let mut items = ide::completion(&snap.parse, &snap.model, offset);
            let incomplete = items.len() > limits::MAX_COMPLETION_ITEMS;
            if incomplete {
                items.sort_by(|a, b| a.sort_text.cmp(&b.sort_text));
                limits::cap("completion", &mut items, limits::MAX_COMPLETION_ITEMS);
            }
            let items: Vec<CompletionItem> = items
                .into_iter()
                .map(|item| {
                    let range = snap.range(item.range);
                    let text_edit = if session.completion_insert_replace {
                        CompletionTextEdit::InsertAndReplace(InsertReplaceEdit {
                            new_text: String::new(),
                            insert: range,
                            replace: snap.range(item.replace_range),
                        })
                    } else {
                        CompletionTextEdit::Edit(TextEdit {
                            range,
                            new_text: String::new(),
                        })
                    };
                    let snippet = item.snippet && session.completion_snippets;
                    let new_text = if item.snippet && !snippet {
                        ide::snippet_to_plain(&item.insert_text)
                    } else {
                        item.insert_text
                    };
                    let text_edit = match text_edit {
                        CompletionTextEdit::Edit(e) => {
                            CompletionTextEdit::Edit(TextEdit { new_text, ..e })
                        }
                        CompletionTextEdit::InsertAndReplace(e) => {
                            CompletionTextEdit::InsertAndReplace(InsertReplaceEdit {
                                new_text,
                                ..e
                            })
                        }
                    };
                    CompletionItem {
                        label: item.label,
                        kind: Some(kind(item.kind)),
                        detail: item.detail,
                        documentation: item.documentation.map(|value| {
                            Documentation::MarkupContent(MarkupContent {
                                kind: MarkupKind::Markdown,
                                value,
                            })
                        }),
                        sort_text: Some(item.sort_text),
                        text_edit: Some(text_edit),
                        insert_text_format: Some(if snippet {
                            InsertTextFormat::SNIPPET
                        } else {
                            InsertTextFormat::PLAIN_TEXT
                        }),
                        tags: item.deprecated.then(|| vec![CompletionItemTag::DEPRECATED]),
                        ..CompletionItem::default()
                    }
                })
                .collect();
            Some(if incomplete {
                CompletionResponse::List(CompletionList {
                    is_incomplete: true,
                    items,
                })
            } else {
                CompletionResponse::Array(items)
            })
        })
        .await
}

fn kind(kind: CompletionKind) -> CompletionItemKind {
    match kind {
        CompletionKind::Instruction | CompletionKind::Keyword | CompletionKind::Directive => {
            CompletionItemKind::KEYWORD
        }
        CompletionKind::Flag => CompletionItemKind::PROPERTY,
        CompletionKind::MountOption => CompletionItemKind::FIELD,
        CompletionKind::Value => CompletionItemKind::VALUE,
        CompletionKind::Variable => CompletionItemKind::VARIABLE,
        CompletionKind::Stage => CompletionItemKind::REFERENCE,
        CompletionKind::Rule => CompletionItemKind::CONSTANT,
    }
}
