//! One immutable [`Snapshot`] per version of a document: the text, and everything the engine
//! derives from it. Features read a snapshot; nothing mutates one.
//!
//! **Adding a layer** (the model, the cache analysis, …): add a field and fill it in
//! [`analyze`] when it is cheap and every feature needs it; otherwise add a `OnceLock` field
//! and an accessor that computes it on first use, like [`Snapshot::diagnostics`]. Features run
//! on blocking threads (`Server::with_snapshot`), so a lazy field is computed off the protocol
//! loop. `analyze` itself runs synchronously inside `didOpen`/`didChange` (edits must be
//! applied in order), so it must stay linear and cheap: the full parse of a 20 000-line file
//! takes about 11 ms in a release build.

use std::sync::{Arc, OnceLock};

use ropey::Rope;
use tower_lsp_server::ls_types::{Position, Range};

use super::config::Config;
use super::convert::{self, Encoding};
use crate::checks::{self, Diagnostic};
use crate::model::{self, Model};
use crate::syntax::{self, Parse, TextRange, TextSize};

/// Everything known about one version of one document.
#[derive(Debug)]
pub struct Snapshot {
    /// Increases with every snapshot the server makes (new text or new settings), across all
    /// documents; says which of two snapshots is newer and serves as the pull-diagnostics
    /// `resultId`.
    pub revision: u64,
    /// The client's version number of this text.
    pub version: i32,
    /// The text; cloning a rope is cheap. Positions are converted over it.
    pub rope: Rope,
    /// The position encoding negotiated with the client.
    pub encoding: Encoding,
    pub config: Arc<Config>,
    pub parse: Parse,
    /// False when analysing this text panicked: `parse` is then of the empty text, and
    /// diagnostics are not published (stale ones are better than a wrong empty list).
    pub analysed: bool,
    diagnostics: OnceLock<Arc<[Diagnostic]>>,
    /// Stages, scopes and the symbol index; built on first use by a feature that needs it.
    model: OnceLock<Arc<Model>>,
}

/// What [`analyze`] needs besides the text.
#[derive(Debug, Clone)]
pub struct AnalysisInput {
    pub revision: u64,
    pub version: i32,
    pub encoding: Encoding,
    pub config: Arc<Config>,
}

/// Analyses one version of a document. Must not be slow: see the module docs.
pub fn analyze(rope: &Rope, input: AnalysisInput) -> Snapshot {
    let text = rope.to_string();
    let parse = syntax::parse(&text);
    Snapshot {
        revision: input.revision,
        version: input.version,
        rope: rope.clone(),
        encoding: input.encoding,
        config: input.config,
        parse,
        analysed: true,
        diagnostics: OnceLock::new(),
        model: OnceLock::new(),
    }
}

impl Snapshot {
    /// The snapshot to keep when [`analyze`] panicked on this text: features see an empty
    /// file, and positions still convert over the real text.
    pub fn unanalysed(rope: &Rope, input: AnalysisInput) -> Snapshot {
        Snapshot {
            revision: input.revision,
            version: input.version,
            rope: rope.clone(),
            encoding: input.encoding,
            config: input.config,
            parse: syntax::parse(""),
            analysed: false,
            diagnostics: OnceLock::new(),
            model: OnceLock::new(),
        }
    }

    /// Every diagnostic of this version, with the `rules` settings applied. Computed on first
    /// use (on a blocking thread) and shared by push and pull.
    pub fn diagnostics(&self) -> Arc<[Diagnostic]> {
        self.diagnostics
            .get_or_init(|| {
                let mut diagnostics = checks::syntax_diagnostics(&self.parse);
                self.config.apply_rules(&mut diagnostics);
                diagnostics.into()
            })
            .clone()
    }

    /// The model of this version, with the `buildArgs` and `target` settings. Computed on first
    /// use (on a blocking thread) and shared by every feature.
    pub fn model(&self) -> Arc<Model> {
        self.model
            .get_or_init(|| {
                let options = model::Options {
                    build_args: self.config.build_args.clone(),
                    target: self.config.target.clone(),
                    platform: None,
                };
                Arc::new(Model::new(&self.parse, &options))
            })
            .clone()
    }

    /// The byte offset of a client position (clamped into the text).
    pub fn offset(&self, position: Position) -> TextSize {
        convert::offset(&self.rope, position, self.encoding)
    }

    /// The client position of a byte offset.
    pub fn position(&self, offset: TextSize) -> Position {
        convert::position(&self.rope, offset, self.encoding)
    }

    /// The client range of a byte range.
    pub fn range(&self, range: TextRange) -> Range {
        convert::lsp_range(&self.rope, range, self.encoding)
    }

    /// The byte range of a client range.
    pub fn text_range(&self, range: Range) -> TextRange {
        convert::text_range(&self.rope, range, self.encoding)
    }
}
