//! `textDocument/foldingRange`: [`ide::folding`] in LSP terms (whole lines).

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{FoldingRange, FoldingRangeKind, FoldingRangeParams};

use super::server::Server;
use crate::ide::folding::{self as ide, FoldKind};

pub async fn folding_range(
    server: &Server,
    params: FoldingRangeParams,
) -> Result<Option<Vec<FoldingRange>>> {
    server
        .with_snapshot("foldingRange", &params.text_document.uri, |snap| {
            // The folds carry our line numbers (lines end at `\n`); the client also ends a
            // line at a lone `\r`, so only then are lines converted one by one.
            let text = snap.parse.text();
            let lone_cr = memchr::memchr_iter(b'\r', text.as_bytes())
                .any(|i| text.as_bytes().get(i + 1) != Some(&b'\n'));
            let folds = ide::folding_ranges(&snap.parse)
                .into_iter()
                .filter_map(|f| {
                    let (start, end) = if lone_cr {
                        let start = snap.position(f.range.start()).line;
                        (start, snap.position(f.range.end()).line)
                    } else {
                        (f.start_line, f.end_line)
                    };
                    (end > start).then(|| FoldingRange {
                        start_line: start,
                        end_line: end,
                        kind: Some(match f.kind {
                            FoldKind::Comment => FoldingRangeKind::Comment,
                            FoldKind::Region => FoldingRangeKind::Region,
                        }),
                        ..FoldingRange::default()
                    })
                })
                .collect();
            Some(folds)
        })
        .await
}
