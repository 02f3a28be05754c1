//! `textDocument/codeAction`: the fixes `checks` attaches to each diagnostic (quick fixes,
//! then "ignore for this instruction" and "ignore in this file"), as `quickfix` actions
//! with their diagnostic attached and the edits inline.

use std::collections::HashMap;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, CodeActionResponse,
    NumberOrString, TextEdit, WorkspaceEdit,
};

use super::analysis::Snapshot;
use super::diagnostics;
use super::limits::MAX_CODE_ACTIONS;
use super::server::Server;
use crate::checks::Diagnostic;
use crate::syntax::TextRange;

pub async fn code_actions(
    server: &Server,
    params: CodeActionParams,
) -> Result<Option<CodeActionResponse>> {
    let uri = params.text_document.uri.clone();
    server
        .with_snapshot("textDocument/codeAction", &uri.clone(), move |snap| {
            let actions = actions(snap, &params, &uri);
            (!actions.is_empty()).then_some(actions)
        })
        .await
}

/// Whether the client asked for quick fixes (no `only` means every kind).
fn wants_quickfix(params: &CodeActionParams) -> bool {
    params.context.only.as_ref().is_none_or(|only| {
        only.iter()
            .any(|k| k == &CodeActionKind::QUICKFIX || k.as_str().is_empty())
    })
}

/// Whether `d` is one of the diagnostics the client sent (same code and range).
fn sent_by_client(snap: &Snapshot, params: &CodeActionParams, d: &Diagnostic) -> bool {
    // Codes first: converting the range costs more, and a selection over a generated file
    // can meet hundreds of thousands of diagnostics.
    let code = NumberOrString::String(d.code.clone());
    let mut same_code = params
        .context
        .diagnostics
        .iter()
        .filter(|c| c.code.as_ref() == Some(&code))
        .peekable();
    if same_code.peek().is_none() {
        return false;
    }
    let range = snap.range(d.range);
    same_code.any(|c| c.range == range)
}

fn touches(a: TextRange, b: TextRange) -> bool {
    a.start() <= b.end() && b.start() <= a.end()
}

fn actions(
    snap: &Snapshot,
    params: &CodeActionParams,
    uri: &tower_lsp_server::ls_types::Uri,
) -> Vec<CodeActionOrCommand> {
    if !wants_quickfix(params) {
        return Vec::new();
    }
    let range = snap.text_range(params.range);
    let all = snap.diagnostics();
    let near: Vec<&Diagnostic> = all.iter().filter(|d| touches(d.range, range)).collect();
    // The client names the diagnostics it wants fixes for; when none of them is ours (an
    // older version's, or another server's), offer the fixes of everything at the range.
    let chosen: Vec<&Diagnostic> = {
        let sent: Vec<&Diagnostic> = near
            .iter()
            .copied()
            .filter(|d| sent_by_client(snap, params, d))
            .collect();
        if sent.is_empty() { near } else { sent }
    };
    let mut out = Vec::new();
    for d in chosen {
        if out.len() >= MAX_CODE_ACTIONS {
            tracing::info!("codeAction: capped at {MAX_CODE_ACTIONS} actions");
            break;
        }
        let lsp_diagnostic = diagnostics::convert(snap, d);
        for fix in &d.fixes {
            let edits: Vec<TextEdit> = fix
                .edits
                .iter()
                .map(|(r, text)| TextEdit {
                    range: snap.range(*r),
                    new_text: text.clone(),
                })
                .collect();
            out.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: fix.title.clone(),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![lsp_diagnostic.clone()]),
                edit: Some(WorkspaceEdit {
                    changes: Some(HashMap::from([(uri.clone(), edits)])),
                    ..WorkspaceEdit::default()
                }),
                command: None,
                is_preferred: fix.preferred.then_some(true),
                disabled: None,
                data: None,
            }));
        }
    }
    out
}
