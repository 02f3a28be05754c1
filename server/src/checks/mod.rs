//! Diagnostics: BuildKit's parse errors, its hard errors and build checks, and our own rules.

use crate::syntax::{Parse, TextRange};

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
    Info,
    Hint,
}

/// One problem in a Dockerfile, in byte offsets of the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub range: TextRange,
    pub severity: Severity,
    /// BuildKit's rule name where BuildKit has the rule (`StageNameCasing`), else ours.
    pub code: String,
    pub message: String,
    /// The rule's documentation page, if it has one.
    pub url: Option<String>,
    /// Shown struck through by editors (e.g. MAINTAINER).
    pub deprecated: bool,
    /// Shown faded by editors (e.g. an ignored CMD).
    pub unnecessary: bool,
}

/// Diagnostics for the errors BuildKit's parser itself raises.
pub fn syntax_diagnostics(parse: &Parse) -> Vec<Diagnostic> {
    parse
        .errors()
        .into_iter()
        .map(|e| Diagnostic {
            range: e.range,
            severity: Severity::Error,
            code: format!("{:?}", e.code),
            message: e.message,
            url: None,
            deprecated: false,
            unnecessary: false,
        })
        .collect()
}
