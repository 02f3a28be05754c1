//! `textDocument/codeLens` and `codeLens/resolve`: above each instruction, what an edit
//! there rebuilds — `edit → 4 steps rebuild (lines 5–9, stages build, final)`, or
//! `no cache effect`. Lenses are listed without a command and resolved one by one, so a
//! 10 000-line file costs only the lenses the editor shows.

use serde_json::{Value, json};
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{CodeLens, CodeLensParams, Command};

use super::server::Server;

pub async fn code_lens(server: &Server, params: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
    let uri = params.text_document.uri;
    let doc = server.cache.id_of(&uri);
    server
        .with_snapshot("codeLens", &uri, move |snap| {
            if !snap.config.cache.code_lens || !snap.analysed {
                return Some(Vec::new());
            }
            let lenses = snap
                .parse
                .entries()
                .enumerate()
                .map(|(i, entry)| {
                    // An empty range at the keyword: a lens only needs its line, and one
                    // position conversion per lens instead of two adds up at 5000 lenses.
                    let at = snap.position(entry.abs(entry.inst.command.keyword_range).start());
                    CodeLens {
                        range: tower_lsp_server::ls_types::Range::new(at, at),
                        command: None,
                        // `[entry, document]`: small, as a 10 000-line file has thousands.
                        data: Some(json!([i, doc])),
                    }
                })
                .collect();
            Some(lenses)
        })
        .await
}

pub async fn resolve(server: &Server, mut lens: CodeLens) -> Result<CodeLens> {
    let data = lens.data.clone().unwrap_or(Value::Null);
    let entry = data[0].as_u64().map(|e| e as usize);
    let uri = data[1].as_u64().and_then(|id| server.cache.uri_of(id));
    let (Some(uri), Some(entry)) = (uri, entry) else {
        lens.command = Some(title("no cache effect"));
        return Ok(lens);
    };
    let state = server.clone();
    let key = uri.clone();
    let text = server
        .with_snapshot("codeLens/resolve", &uri, move |snap| {
            if entry >= snap.parse.entry_count() {
                return Some("…".to_string());
            }
            let doc = state.cache.doc(&key, snap);
            let analysis = snap.cache_analysis(&doc.base.options);
            let impact = analysis.what_if_edit(entry);
            Some(if impact.rebuilt().next().is_some() {
                format!("edit → {}", impact.summary(&analysis))
            } else {
                "no cache effect".to_string()
            })
        })
        .await?;
    lens.command = Some(title(text.as_deref().unwrap_or("no cache effect")));
    Ok(lens)
}

/// A lens that only shows text (no command to run).
fn title(text: &str) -> Command {
    Command {
        title: text.to_string(),
        command: String::new(),
        arguments: None,
    }
}
