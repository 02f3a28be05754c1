//! Diagnostics: pushed (`textDocument/publishDiagnostics`) to clients that do not pull, and
//! pulled (`textDocument/diagnostic`) by those that do. Both come from
//! [`Snapshot::diagnostics`].
//!
//! Push ordering: each edit spawns one publishing task for its snapshot. A task publishes only
//! if its snapshot is still the document's latest, and it checks that and sends under
//! `publish_order`. Any newer snapshot, once stored, therefore stops every older task from
//! sending, and the last message for a document is always for its latest version.

use std::sync::Arc;

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    self as lsp, CodeDescription, DiagnosticSeverity, DiagnosticTag, DocumentDiagnosticParams,
    DocumentDiagnosticReport, DocumentDiagnosticReportResult, FullDocumentDiagnosticReport,
    NumberOrString, RelatedFullDocumentDiagnosticReport, RelatedUnchangedDocumentDiagnosticReport,
    UnchangedDocumentDiagnosticReport, Uri,
};

use super::analysis::Snapshot;
use super::guard::internal_error;
use super::limits::MAX_DIAGNOSTICS;
use super::server::Server;
use crate::checks::{Diagnostic, Severity};

/// The `source` of our own rules' diagnostics (BuildKit's are `buildkit`).
pub const SOURCE: &str = crate::checks::SOURCE_OURS;

/// Publishes the diagnostics of `snapshot` in the background, unless the client pulls them
/// or a newer snapshot of the document exists by then.
pub fn publish(server: &Server, uri: Uri, snapshot: Arc<Snapshot>) {
    if server.session().pull_diagnostics || !snapshot.analysed {
        return;
    }
    // The task holds the revision, not the snapshot: while hundreds of edits queue up, the
    // superseded snapshots are freed at once instead of waiting for their task to run.
    let revision = snapshot.revision;
    drop(snapshot);
    let server = server.clone();
    tokio::spawn(async move {
        // One computation per document at a time: while it runs, the edits typed meanwhile
        // queue here and all but the newest are skipped below. Without this, a burst of
        // edits ran many computations at once, each on its own blocking thread, and the
        // thread pool (and the memory each thread's allocator keeps) grew with the burst.
        let computing = server.computing.entry(uri.clone()).or_default().clone();
        let _computing = computing.lock().await;
        let Some(snapshot) = server
            .documents
            .snapshot(&uri)
            .filter(|s| s.revision == revision)
        else {
            if !server.documents.is_open(&uri) {
                // Closed meanwhile: do not keep the entry `clear` removed.
                server.computing.remove(&uri);
            }
            return;
        };
        let snap = snapshot.clone();
        let Ok(items) = server
            .run_blocking("diagnostics", move || to_lsp(&snap))
            .await
        else {
            return;
        };
        let _order = server.publish_order.lock().await;
        if server.documents.is_current(&uri, snapshot.revision) {
            let version = Some(snapshot.version);
            drop(snapshot);
            server.client.publish_diagnostics(uri, items, version).await;
        }
    });
}

/// Clears the diagnostics of a closed document (unless it was opened again meanwhile).
pub fn clear(server: &Server, uri: Uri) {
    server.computing.remove(&uri);
    if server.session().pull_diagnostics {
        // Pull clients drop a closed document's diagnostics themselves.
        return;
    }
    let server = server.clone();
    tokio::spawn(async move {
        let _order = server.publish_order.lock().await;
        if !server.documents.is_open(&uri) {
            server
                .client
                .publish_diagnostics(uri, Vec::new(), None)
                .await;
        }
    });
}

/// `textDocument/diagnostic`. A document that is not open has no diagnostics. The result id
/// is the snapshot's revision, so an unchanged document answers "unchanged".
pub async fn pull(
    server: &Server,
    params: DocumentDiagnosticParams,
) -> Result<DocumentDiagnosticReportResult> {
    const WHAT: &str = "textDocument/diagnostic";
    let Some(snapshot) = server.documents.snapshot(&params.text_document.uri) else {
        return Ok(full_report(None, Vec::new()));
    };
    if !snapshot.analysed {
        return Err(internal_error(WHAT));
    }
    let result_id = snapshot.revision.to_string();
    if params.previous_result_id.as_deref() == Some(result_id.as_str()) {
        let report = RelatedUnchangedDocumentDiagnosticReport {
            related_documents: None,
            unchanged_document_diagnostic_report: UnchangedDocumentDiagnosticReport { result_id },
        };
        return Ok(DocumentDiagnosticReport::Unchanged(report).into());
    }
    let items = server.run_blocking(WHAT, move || to_lsp(&snapshot)).await?;
    Ok(full_report(Some(result_id), items))
}

fn full_report(
    result_id: Option<String>,
    items: Vec<lsp::Diagnostic>,
) -> DocumentDiagnosticReportResult {
    let report = RelatedFullDocumentDiagnosticReport {
        related_documents: None,
        full_document_diagnostic_report: FullDocumentDiagnosticReport { result_id, items },
    };
    DocumentDiagnosticReport::Full(report).into()
}

/// The snapshot's diagnostics as LSP diagnostics: at most [`MAX_DIAGNOSTICS`], the most
/// severe first, then in order. A generated file can have hundreds of thousands (436 000 for
/// one 5 MB LABEL line), which no one reads and which took over a minute to send.
pub fn to_lsp(snapshot: &Snapshot) -> Vec<lsp::Diagnostic> {
    let all = snapshot.diagnostics();
    if all.len() <= MAX_DIAGNOSTICS {
        return all.iter().map(|d| convert(snapshot, d)).collect();
    }
    tracing::info!(
        "{} diagnostics; sending the {MAX_DIAGNOSTICS} most severe",
        all.len()
    );
    let mut kept: Vec<usize> = (0..all.len()).collect();
    // Stable: among equal severities, the earlier in the file first.
    kept.sort_by_key(|&i| all[i].severity);
    kept.truncate(MAX_DIAGNOSTICS);
    kept.sort_unstable();
    kept.into_iter()
        .map(|i| convert(snapshot, &all[i]))
        .collect()
}

pub(super) fn convert(snapshot: &Snapshot, d: &Diagnostic) -> lsp::Diagnostic {
    let mut tags = Vec::new();
    if d.deprecated {
        tags.push(DiagnosticTag::DEPRECATED);
    }
    if d.unnecessary {
        tags.push(DiagnosticTag::UNNECESSARY);
    }
    lsp::Diagnostic {
        range: snapshot.range(d.range),
        severity: Some(match d.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
            Severity::Info => DiagnosticSeverity::INFORMATION,
            Severity::Hint => DiagnosticSeverity::HINT,
        }),
        code: Some(NumberOrString::String(d.code.clone())),
        code_description: d.url.as_deref().and_then(|url| match url.parse() {
            Ok(href) => Some(CodeDescription { href }),
            Err(e) => {
                tracing::warn!("rule {}: bad documentation URL {url:?}: {e}", d.code);
                None
            }
        }),
        source: Some(d.source.into()),
        // Some clients reject an empty message.
        message: if d.message.is_empty() {
            d.code.clone()
        } else {
            d.message.clone()
        },
        related_information: None,
        tags: (!tags.is_empty()).then_some(tags),
        data: None,
    }
}

#[cfg(test)]
mod tests {
    use ropey::Rope;
    use serde_json::json;

    use super::*;
    use crate::lsp::analysis::{AnalysisInput, analyze};
    use crate::lsp::config::Config;
    use crate::lsp::convert::Encoding;
    use crate::syntax::{TextRange, TextSize};

    fn snapshot(text: &str, encoding: Encoding) -> Snapshot {
        let input = AnalysisInput {
            revision: 1,
            version: 1,
            encoding,
            config: Arc::new(Config::default()),
            path: None,
        };
        analyze(&Rope::from_str(text), input, None)
    }

    #[test]
    fn syntax_errors_in_both_encodings() {
        let text = "FROM alpine:3.20\nENV 建置😀\n";
        for (encoding, end) in [(Encoding::Utf16, 8), (Encoding::Utf8, 14)] {
            let snap = snapshot(text, encoding);
            let got = serde_json::to_value(to_lsp(&snap)).expect("json");
            assert_eq!(
                got,
                json!([{
                    "range": {"start": {"line": 1, "character": 4}, "end": {"line": 1, "character": end}},
                    "severity": 1,
                    "code": "MissingValue",
                    "codeDescription": {"href": "https://docs.docker.com/reference/dockerfile/"},
                    "source": "buildkit",
                    "message": "ENV must have two arguments",
                }]),
                "{encoding:?}"
            );
        }
    }

    /// Thousands of warnings and, at the end, one error: the error is kept, the count is
    /// capped, and what is sent stays in file order.
    #[test]
    fn at_most_max_diagnostics_most_severe_first() {
        let mut text = String::from("FROM alpine:3.20\n");
        for _ in 0..MAX_DIAGNOSTICS + 500 {
            text.push_str("MAINTAINER me\n");
        }
        text.push_str("ENV A\n");
        let snap = snapshot(&text, Encoding::Utf16);
        assert!(snap.diagnostics().len() > MAX_DIAGNOSTICS);
        let sent = to_lsp(&snap);
        assert_eq!(sent.len(), MAX_DIAGNOSTICS);
        assert!(
            sent.iter()
                .any(|d| d.severity == Some(DiagnosticSeverity::ERROR))
        );
        assert!(
            sent.windows(2)
                .all(|w| w[0].range.start <= w[1].range.start)
        );
    }

    #[test]
    fn every_field_maps() {
        let snap = snapshot("MAINTAINER me\n", Encoding::Utf16);
        let d = Diagnostic {
            range: TextRange::new(TextSize::from(0), TextSize::from(10)),
            severity: Severity::Hint,
            code: "MaintainerDeprecated".into(),
            message: String::new(),
            url: Some(
                "https://docs.docker.com/reference/build-checks/maintainer-deprecated/".into(),
            ),
            deprecated: true,
            unnecessary: true,
            source: crate::checks::SOURCE_BUILDKIT,
            fixes: Vec::new(),
        };
        let got = serde_json::to_value(convert(&snap, &d)).expect("json");
        assert_eq!(got["severity"], 4);
        assert_eq!(got["tags"], json!([2, 1]));
        assert_eq!(
            got["codeDescription"]["href"],
            "https://docs.docker.com/reference/build-checks/maintainer-deprecated/"
        );
        assert_eq!(got["message"], "MaintainerDeprecated");
        let bad_url = Diagnostic {
            url: Some("not a url with spaces".into()),
            ..d
        };
        assert!(convert(&snap, &bad_url).code_description.is_none());
    }
}
