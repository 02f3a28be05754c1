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

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use ropey::Rope;
use tower_lsp_server::ls_types::{Position, Range};

use super::config::Config;
use super::convert::{self, Encoding};
use crate::cache::{CacheAnalysis, CacheOptions};
use crate::checks::{self, CheckCache, Diagnostic};
use crate::model::{self, Model};
use crate::syntax::{self, Parse, TextEdit, TextRange, TextSize};

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
    /// The document's file, for `file:` URIs: its build context gives `.dockerignore`.
    pub path: Option<PathBuf>,
    pub parse: Parse,
    /// Stages, scopes and references (with the settings' build args and target).
    pub model: Model,
    /// False when analysing this text panicked: `parse` is then of the empty text, and
    /// diagnostics are not published (stale ones are better than a wrong empty list).
    pub analysed: bool,
    diagnostics: OnceLock<Arc<[Diagnostic]>>,
    /// The previous version's per-instruction check results and the edit since, so the
    /// checks only look again at what changed.
    checks_seed: Option<(Arc<CheckCache>, TextEdit)>,
    /// This version's per-instruction check results, for the next version.
    check_cache: OnceLock<Arc<CheckCache>>,
    /// Line starts, for fast position conversion; built on first use.
    lines: OnceLock<convert::LineIndex>,
    /// The build-cache analysis, for the cache options it was computed with (they change
    /// when the ignore file does, without a new snapshot). See [`Snapshot::cache_analysis`].
    cache: Mutex<Option<(Arc<CacheOptions>, Arc<CacheAnalysis>)>>,
}

/// What [`analyze`] needs besides the text.
#[derive(Debug, Clone)]
pub struct AnalysisInput {
    pub revision: u64,
    pub version: i32,
    pub encoding: Encoding,
    pub config: Arc<Config>,
    /// The document's file path (`None` for other URI schemes).
    pub path: Option<PathBuf>,
}

/// How the text of this version came from the previous snapshot's, when it did: the parse
/// and the model then reuse everything the edit did not touch.
pub struct Previous<'a> {
    pub snapshot: &'a Snapshot,
    /// The edit, in the previous text's byte offsets; `None` when unknown (the new text is
    /// then compared with the old one to find it).
    pub edit: Option<TextEdit>,
}

/// Analyses one version of a document. Must not be slow: see the module docs.
pub fn analyze(rope: &Rope, input: AnalysisInput, previous: Option<Previous<'_>>) -> Snapshot {
    let text = rope.to_string();
    let options = model_options(&input.config);
    let (parse, model, checks_seed) = match previous.filter(|p| p.snapshot.analysed) {
        Some(prev) => {
            let old = &prev.snapshot.parse;
            let edit = prev.edit.unwrap_or_else(|| difference(old.text(), &text));
            let parse = old.reparse(&text, &edit);
            let model = prev.snapshot.model.update(&parse, &options);
            // The previous version's check results, if they were computed (they are not
            // for versions superseded before their diagnostics were wanted).
            let seed = prev.snapshot.check_cache.get().cloned().map(|c| (c, edit));
            (parse, model, seed)
        }
        None => {
            let parse = syntax::parse(&text);
            let model = Model::new(&parse, &options);
            (parse, model, None)
        }
    };
    Snapshot {
        revision: input.revision,
        version: input.version,
        rope: rope.clone(),
        encoding: input.encoding,
        config: input.config,
        path: input.path,
        parse,
        model,
        analysed: true,
        diagnostics: OnceLock::new(),
        checks_seed,
        check_cache: OnceLock::new(),
        lines: OnceLock::new(),
        cache: Mutex::new(None),
    }
}

/// The ignore file of the build context of the Dockerfile at `path` (see
/// [`Config::context_dir`]).
fn load_ignore_file(
    path: &Path,
    config: &Config,
) -> Option<Arc<crate::cache::context::IgnoreFile>> {
    let dir = path.parent()?;
    let context = config.context_dir(path)?;
    let file = crate::cache::context::ignore_file_path(path, &context)?;
    let bytes = match crate::cache::context::read_ignore_file(&file, &[&context, dir]) {
        Ok(bytes) => bytes,
        Err(e) => {
            tracing::warn!("{}: {e}", file.display());
            return None;
        }
    };
    let text = String::from_utf8_lossy(&bytes);
    Some(Arc::new(crate::cache::context::IgnoreFile::parse(&text)))
}

/// The model's inputs from the settings.
fn model_options(config: &Config) -> model::Options {
    model::Options {
        build_args: config.build_args.clone(),
        target: config.target.clone(),
        platform: None,
    }
}

/// The smallest single edit that turns `old` into `new` (common prefix and suffix kept).
fn difference(old: &str, new: &str) -> TextEdit {
    let (a, b) = (old.as_bytes(), new.as_bytes());
    let mut prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    while !old.is_char_boundary(prefix) || !new.is_char_boundary(prefix) {
        prefix -= 1;
    }
    let max_suffix = a.len().min(b.len()) - prefix;
    let mut suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take(max_suffix)
        .take_while(|(x, y)| x == y)
        .count();
    while !old.is_char_boundary(a.len() - suffix) || !new.is_char_boundary(b.len() - suffix) {
        suffix -= 1;
    }
    TextEdit {
        range: TextRange::new(
            TextSize::from(prefix as u32),
            TextSize::from((a.len() - suffix) as u32),
        ),
        insert: new[prefix..b.len() - suffix].to_string(),
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
            path: input.path,
            parse: syntax::parse(""),
            model: Model::new(&syntax::parse(""), &model::Options::default()),
            analysed: false,
            diagnostics: OnceLock::new(),
            checks_seed: None,
            check_cache: OnceLock::new(),
            lines: OnceLock::new(),
            cache: Mutex::new(None),
        }
    }

    /// The build-cache analysis of this version (cheap: ~3 ms for 10 000 lines), computed on
    /// first use on a blocking thread and kept while `options` stay the same.
    pub fn cache_analysis(&self, options: &Arc<CacheOptions>) -> Arc<CacheAnalysis> {
        let mut slot = self.cache.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((o, analysis)) = slot.as_ref() {
            if Arc::ptr_eq(o, options) {
                return analysis.clone();
            }
        }
        let analysis = Arc::new(CacheAnalysis::new(&self.parse, &self.model, options));
        *slot = Some((options.clone(), analysis.clone()));
        analysis
    }

    /// Every diagnostic of this version (`checks::check` with the settings, and the
    /// build context's `.dockerignore` read now). Computed on first use (on a blocking
    /// thread) and shared by push, pull and code actions.
    pub fn diagnostics(&self) -> Arc<[Diagnostic]> {
        self.diagnostics
            .get_or_init(|| {
                let mut config = self.config.checks_config();
                config.ignore_file = self
                    .path
                    .as_deref()
                    .and_then(|p| load_ignore_file(p, &self.config));
                let previous = self
                    .checks_seed
                    .as_ref()
                    .map(|(cache, edit)| checks::Previous { cache, edit });
                let (diagnostics, cache) =
                    checks::check_incremental(&self.parse, &self.model, &config, previous);
                let _ = self.check_cache.set(Arc::new(cache));
                diagnostics.into()
            })
            .clone()
    }

    /// The line index of this version's text (the real text, also when analysis failed).
    fn lines(&self) -> &convert::LineIndex {
        self.lines.get_or_init(|| {
            let text = if self.analysed {
                self.parse.shared_text()
            } else {
                Arc::from(self.rope.to_string())
            };
            convert::LineIndex::new(text)
        })
    }

    /// The byte offset of a client position (clamped into the text).
    pub fn offset(&self, position: Position) -> TextSize {
        self.lines().offset(position, self.encoding)
    }

    /// The client position of a byte offset.
    pub fn position(&self, offset: TextSize) -> Position {
        self.lines().position(offset, self.encoding)
    }

    /// The client range of a byte range.
    pub fn range(&self, range: TextRange) -> Range {
        self.lines().lsp_range(range, self.encoding)
    }

    /// The byte range of a client range.
    pub fn text_range(&self, range: Range) -> TextRange {
        self.lines().text_range(range, self.encoding)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn difference_is_minimal_and_applies() {
        for (old, new) in [
            ("FROM a\nRUN b\n", "FROM a\nRUN bc\n"),
            ("abc", "abc"),
            ("", "x"),
            ("aaa", "aa"),
            ("建置😀", "建😀"),
            ("x😀", "x😁"),
        ] {
            let edit = difference(old, new);
            assert_eq!(edit.apply(old), new, "{old:?} → {new:?}");
        }
        let edit = difference("FROM a\nRUN b\n", "FROM a\nRUN bc\n");
        assert_eq!(
            (u32::from(edit.range.start()), edit.insert.as_str()),
            (12, "c")
        );
    }
}
