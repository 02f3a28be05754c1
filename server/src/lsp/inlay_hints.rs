//! `textDocument/inlayHint`: on every build step the buffer rebuilds compared with the
//! baseline (see [`super::cache`]), or that a changed context file rebuilds:
//! `⟳ rebuilds: ENV APP_ENV on line 3 changed`, with the full reason as the tooltip.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    InlayHint, InlayHintLabel, InlayHintParams, InlayHintTooltip, MarkupContent, MarkupKind,
};

use super::analysis::Snapshot;
use super::server::Server;
use crate::cache::{Change, Status};
use crate::syntax::TextSize;

pub async fn inlay_hints(
    server: &Server,
    params: InlayHintParams,
) -> Result<Option<Vec<InlayHint>>> {
    let uri = params.text_document.uri;
    let state = server.clone();
    let key = uri.clone();
    server
        .with_snapshot("inlayHint", &uri, move |snap| {
            if !snap.config.cache.inlay_hints || !snap.analysed {
                return Some(Vec::new());
            }
            let doc = state.cache.doc(&key, snap);
            let current = snap.cache_analysis(&doc.base.options);
            let baseline = doc.base.analysis();
            let mut changes = vec![Change::Diff(&baseline)];
            changes.extend(doc.changed.iter().map(|p| Change::ContextFile(p)));
            let impact = current.impact(&changes);
            let range = snap.text_range(params.range);
            let mut hints = Vec::new();
            for s in &impact.steps {
                if !matches!(s.status, Status::Invalidated | Status::Conditional) {
                    continue;
                }
                let step = &current.steps()[s.step];
                let end = line_end(snap, step.range.start());
                if end < range.start() || end > range.end() {
                    continue;
                }
                let mut tooltip = format!("**{}**: {}", s.status.as_str(), s.reason);
                if !doc.changed.is_empty() {
                    tooltip.push_str(&format!(
                        "\n\nContext files changed since the Dockerfile was opened or saved: {}",
                        doc.changed
                            .iter()
                            .map(|p| format!("`{p}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ));
                }
                tooltip.push_str(&format!(
                    "\n\n_Compared with the {} version._",
                    doc.base.source
                ));
                hints.push(InlayHint {
                    position: snap.position(end),
                    label: InlayHintLabel::String(s.label(&current)),
                    kind: None,
                    text_edits: None,
                    tooltip: Some(InlayHintTooltip::MarkupContent(MarkupContent {
                        kind: MarkupKind::Markdown,
                        value: tooltip,
                    })),
                    padding_left: Some(true),
                    padding_right: None,
                    data: None,
                });
            }
            Some(hints)
        })
        .await
}

/// The end of the text of the line where `start` is (before its line break), by the
/// parser's notion of lines (`\n` only; ropey also breaks at other characters).
fn line_end(snap: &Snapshot, start: TextSize) -> TextSize {
    let text = snap.parse.text();
    let from = usize::from(start).min(text.len());
    let mut end = text[from..].find('\n').map_or(text.len(), |i| from + i);
    if end > from && text.as_bytes()[end - 1] == b'\r' {
        end -= 1;
    }
    TextSize::from(end as u32)
}
