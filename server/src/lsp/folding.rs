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
            let folds = ide::folding_ranges(&snap.parse)
                .into_iter()
                .filter_map(|f| {
                    // Lines as the client counts them (`convert` knows about lone `\r`).
                    let start = snap.position(f.range.start()).line;
                    let end = snap.position(f.range.end()).line;
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
