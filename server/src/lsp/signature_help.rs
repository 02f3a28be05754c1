//! `textDocument/signatureHelp`: [`ide::signature_help`] in LSP terms.

use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    Documentation, MarkupContent, MarkupKind, ParameterInformation, ParameterLabel, SignatureHelp,
    SignatureHelpParams, SignatureInformation,
};

use super::server::Server;
use crate::ide::signature_help as ide;

fn markdown(value: String) -> Documentation {
    Documentation::MarkupContent(MarkupContent {
        kind: MarkupKind::Markdown,
        value,
    })
}

pub async fn signature_help(
    server: &Server,
    params: SignatureHelpParams,
) -> Result<Option<SignatureHelp>> {
    let at = params.text_document_position_params;
    server
        .with_snapshot("signatureHelp", &at.text_document.uri, move |snap| {
            let help = ide::signature_help(&snap.parse, snap.offset(at.position))?;
            Some(SignatureHelp {
                signatures: help
                    .signatures
                    .into_iter()
                    .map(|s| SignatureInformation {
                        documentation: s.documentation.map(markdown),
                        // Labels are ASCII: byte offsets are UTF-16 offsets too.
                        parameters: Some(
                            s.parameters
                                .into_iter()
                                .map(|p| ParameterInformation {
                                    label: ParameterLabel::LabelOffsets([p.label.0, p.label.1]),
                                    documentation: p.documentation.map(markdown),
                                })
                                .collect(),
                        ),
                        active_parameter: None,
                        label: s.label,
                    })
                    .collect(),
                active_signature: Some(help.active_signature),
                // On the keyword there is none; LSP cannot say so before 3.18 (`null`), so
                // the field is left out and clients highlight the first parameter.
                active_parameter: help.active_parameter,
            })
        })
        .await
}
