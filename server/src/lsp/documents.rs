//! The open documents: a rope per document, edited in place, and the latest [`Snapshot`].
//!
//! Every method here is synchronous and returns owned values (`Arc<Snapshot>`), so no
//! `dashmap` guard can live across an `.await` in a handler.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use dashmap::DashMap;
use ropey::Rope;
use tower_lsp_server::ls_types::{TextDocumentContentChangeEvent, Uri};

use super::analysis::{self, AnalysisInput, Previous, Snapshot};
use super::config::Config;
use super::convert::{self, Encoding};
use super::guard::guarded;
use crate::syntax::{TextEdit, TextRange, TextSize};

/// One open document.
#[derive(Debug)]
pub struct Document {
    pub version: i32,
    pub rope: Rope,
    pub snapshot: Arc<Snapshot>,
}

#[derive(Debug, Default)]
pub struct Documents {
    map: DashMap<Uri, Document>,
    revision: AtomicU64,
}

impl Documents {
    /// Opens (or reopens) a document.
    pub fn open(
        &self,
        uri: Uri,
        version: i32,
        text: &str,
        encoding: Encoding,
        config: &Arc<Config>,
    ) -> Arc<Snapshot> {
        let rope = Rope::from_str(text);
        let snapshot = self.analyze(&uri, &rope, version, encoding, config, None);
        self.map.insert(
            uri,
            Document {
                version,
                rope,
                snapshot: snapshot.clone(),
            },
        );
        snapshot
    }

    /// Applies `changes` in order and re-analyses. `None` when the document is not open.
    pub fn change(
        &self,
        uri: &Uri,
        version: i32,
        changes: &[TextDocumentContentChangeEvent],
        encoding: Encoding,
        config: &Arc<Config>,
    ) -> Option<Arc<Snapshot>> {
        let mut doc = self.map.get_mut(uri)?;
        let edit = apply_changes(&mut doc.rope, changes, encoding);
        doc.version = version;
        let previous = doc.snapshot.clone();
        let snapshot = self.analyze(
            uri,
            &doc.rope,
            version,
            encoding,
            config,
            Some((&previous, edit)),
        );
        doc.snapshot = snapshot.clone();
        Some(snapshot)
    }

    /// Replaces the whole text when it differs from ours (`didSave` with text: the client's
    /// buffer is the truth). Returns the new snapshot, or `None` when nothing changed.
    pub fn resync(
        &self,
        uri: &Uri,
        text: &str,
        encoding: Encoding,
        config: &Arc<Config>,
    ) -> Option<Arc<Snapshot>> {
        let mut doc = self.map.get_mut(uri)?;
        if doc.rope == text {
            return None;
        }
        tracing::warn!(
            "{}: saved text differs from ours; resynchronising",
            uri.as_str()
        );
        doc.rope = Rope::from_str(text);
        let version = doc.version;
        let snapshot = self.analyze(uri, &doc.rope, version, encoding, config, None);
        doc.snapshot = snapshot.clone();
        Some(snapshot)
    }

    /// Closes a document; false when it was not open.
    pub fn close(&self, uri: &Uri) -> bool {
        self.map.remove(uri).is_some()
    }

    /// The latest snapshot of `uri`; the map entry is released before this returns.
    pub fn snapshot(&self, uri: &Uri) -> Option<Arc<Snapshot>> {
        self.map.get(uri).map(|doc| doc.snapshot.clone())
    }

    /// The latest snapshot of every open document (for workspace-wide features).
    pub fn snapshots(&self) -> Vec<(Uri, Arc<Snapshot>)> {
        self.map
            .iter()
            .map(|doc| (doc.key().clone(), doc.snapshot.clone()))
            .collect()
    }

    pub fn is_open(&self, uri: &Uri) -> bool {
        self.map.contains_key(uri)
    }

    /// Whether `revision` is still the latest snapshot of `uri`.
    pub fn is_current(&self, uri: &Uri, revision: u64) -> bool {
        self.map
            .get(uri)
            .is_some_and(|doc| doc.snapshot.revision == revision)
    }

    /// Re-analyses every open document (the settings changed).
    pub fn reanalyze_all(
        &self,
        encoding: Encoding,
        config: &Arc<Config>,
    ) -> Vec<(Uri, Arc<Snapshot>)> {
        let mut out = Vec::new();
        for mut doc in self.map.iter_mut() {
            let uri = doc.key().clone();
            let version = doc.version;
            let snapshot = self.analyze(&uri, &doc.rope, version, encoding, config, None);
            doc.snapshot = snapshot.clone();
            out.push((uri, snapshot));
        }
        out
    }

    fn analyze(
        &self,
        uri: &Uri,
        rope: &Rope,
        version: i32,
        encoding: Encoding,
        config: &Arc<Config>,
        previous: Option<(&Snapshot, Option<TextEdit>)>,
    ) -> Arc<Snapshot> {
        let input = AnalysisInput {
            revision: self.revision.fetch_add(1, Ordering::Relaxed) + 1,
            version,
            encoding,
            config: config.clone(),
            path: uri.to_file_path().map(|p| p.into_owned()),
        };
        let what = format!("analysis of {} (version {version})", uri.as_str());
        // Settings changes and resyncs analyse from scratch; edits reuse the previous version.
        let previous = previous.filter(|(p, _)| Arc::ptr_eq(&p.config, config));
        let snapshot = guarded(&what, || {
            let previous = previous.map(|(snapshot, edit)| Previous { snapshot, edit });
            analysis::analyze(rope, input.clone(), previous)
        })
        .unwrap_or_else(|| Snapshot::unanalysed(rope, input));
        Arc::new(snapshot)
    }
}

/// Applies content changes in order. Never panics: positions are clamped and snapped (see
/// `convert`), an inverted range is put the right way round, and a change without a range
/// replaces the whole text. Returns the edit in byte offsets of the text before, when there
/// was exactly one ranged change (the common case while typing).
pub fn apply_changes(
    rope: &mut Rope,
    changes: &[TextDocumentContentChangeEvent],
    enc: Encoding,
) -> Option<TextEdit> {
    let mut single = None;
    for change in changes {
        let Some(range) = change.range else {
            *rope = Rope::from_str(&change.text);
            continue;
        };
        let start = convert::resolve(rope, range.start, enc);
        let end = convert::resolve(rope, range.end, enc);
        if !(start.exact && end.exact) {
            tracing::debug!("edit range {range:?} clamped or snapped to {start:?}..{end:?}");
        }
        let (mut from, mut to) = (start.char, end.char);
        if from > to {
            tracing::warn!("inverted edit range {range:?}; applying it the right way round");
            std::mem::swap(&mut from, &mut to);
        }
        if changes.len() == 1 {
            let byte = |c: usize| TextSize::from(rope.char_to_byte(c) as u32);
            single = Some(TextEdit {
                range: TextRange::new(byte(from), byte(to)),
                insert: change.text.clone(),
            });
        }
        rope.remove(from..to);
        rope.insert(from, &change.text);
    }
    single
}

#[cfg(test)]
mod tests {
    use tower_lsp_server::ls_types::{Position, Range};

    use super::*;

    fn edit(l1: u32, c1: u32, l2: u32, c2: u32, text: &str) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: Some(Range::new(Position::new(l1, c1), Position::new(l2, c2))),
            range_length: None,
            text: text.to_string(),
        }
    }

    fn full(text: &str) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: None,
            range_length: None,
            text: text.to_string(),
        }
    }

    fn applied(text: &str, changes: &[TextDocumentContentChangeEvent], enc: Encoding) -> String {
        let mut rope = Rope::from_str(text);
        let edit = apply_changes(&mut rope, changes, enc);
        if let Some(edit) = edit {
            assert_eq!(
                edit.apply(text),
                rope.to_string(),
                "the reported edit is exact"
            );
        }
        rope.to_string()
    }

    #[test]
    fn changes_apply_in_order_each_on_the_previous_result() {
        let changes = [
            edit(0, 0, 0, 0, "FROM a\n"),
            edit(1, 0, 1, 0, "ENV A=1\n"),
            edit(1, 4, 1, 5, "BB"),
        ];
        assert_eq!(applied("", &changes, Encoding::Utf16), "FROM a\nENV BB=1\n");
    }

    #[test]
    fn full_replacement_then_incremental() {
        let changes = [full("RUN x\n"), edit(0, 4, 0, 5, "y")];
        assert_eq!(applied("junk", &changes, Encoding::Utf8), "RUN y\n");
    }

    #[test]
    fn multibyte_in_both_encodings() {
        let text = "RUN echo \"建置階段😀\" $APP_HOME\n";
        // Replace `$APP_HOME`: UTF-16 column 18, UTF-8 column 28.
        assert_eq!(
            applied(text, &[edit(0, 18, 0, 27, "$X")], Encoding::Utf16),
            "RUN echo \"建置階段😀\" $X\n"
        );
        assert_eq!(
            applied(text, &[edit(0, 28, 0, 37, "$X")], Encoding::Utf8),
            "RUN echo \"建置階段😀\" $X\n"
        );
        // Delete the emoji (2 UTF-16 units).
        assert_eq!(
            applied(text, &[edit(0, 14, 0, 16, "")], Encoding::Utf16),
            "RUN echo \"建置階段\" $APP_HOME\n"
        );
    }

    #[test]
    fn invalid_ranges_never_panic() {
        let text = "ENV 😀\r\nRUN x";
        let cases = [
            // Past the end of a line: clamps before `\r\n`.
            (edit(0, 50, 0, 60, "!"), "ENV 😀!\r\nRUN x"),
            // Past the end of the file.
            (edit(9, 0, 12, 4, "\nEND"), "ENV 😀\r\nRUN x\nEND"),
            // Inverted.
            (edit(1, 3, 0, 4, ""), "ENV  x"),
            // Inside the surrogate pair: snaps to the emoji's start.
            (edit(0, 5, 0, 6, "Z"), "ENV Z\r\nRUN x"),
        ];
        for (change, expected) in cases {
            assert_eq!(
                applied(text, std::slice::from_ref(&change), Encoding::Utf16),
                expected,
                "{change:?}"
            );
        }
        // Inside the emoji's UTF-8 bytes: both ends snap down to a char start.
        assert_eq!(
            applied(text, &[edit(0, 5, 0, 8, "Z")], Encoding::Utf8),
            "ENV Z\r\nRUN x"
        );
        assert_eq!(
            applied(text, &[edit(0, 6, 0, 7, "Z")], Encoding::Utf8),
            "ENV Z😀\r\nRUN x"
        );
    }

    #[test]
    fn store_versions_and_revisions() {
        let docs = Documents::default();
        let uri: Uri = "file:///a/Dockerfile".parse().expect("uri");
        let config = Arc::new(Config::default());
        let first = docs.open(uri.clone(), 1, "ENV A\n", Encoding::Utf16, &config);
        assert!(docs.is_current(&uri, first.revision));
        let second = docs
            .change(&uri, 2, &[edit(0, 5, 0, 5, " 1")], Encoding::Utf16, &config)
            .expect("open");
        assert_eq!(second.version, 2);
        assert!(second.revision > first.revision);
        assert!(!docs.is_current(&uri, first.revision));
        assert_eq!(second.parse.text(), "ENV A 1\n");
        assert_eq!(first.parse.text(), "ENV A\n", "old snapshots are immutable");
        assert!(
            docs.resync(&uri, "ENV A 1\n", Encoding::Utf16, &config)
                .is_none()
        );
        let third = docs
            .resync(&uri, "ENV B 2\n", Encoding::Utf16, &config)
            .expect("differs");
        assert_eq!((third.version, third.parse.text()), (2, "ENV B 2\n"));
        assert!(docs.close(&uri));
        assert!(!docs.close(&uri));
        assert!(docs.snapshot(&uri).is_none());
        let other: Uri = "file:///b".parse().expect("uri");
        assert!(
            docs.change(&other, 1, &[], Encoding::Utf16, &config)
                .is_none()
        );
    }
}
