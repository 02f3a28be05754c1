//! The language server's analysis path under a sequence of LSP edits (`didChange` ranges in
//! UTF-8 or UTF-16, beyond the end of lines and of the file, inverted, inside characters;
//! several changes per notification; whole-text replacements): after every notification the
//! incrementally updated snapshot equals a fresh analysis of the same text — tree, parse
//! errors, model — and at the end so do diagnostics and document symbols. Positions convert
//! back and forth without loss.
//!
//! Input: an encoding byte, the initial text, a NUL byte, then 6 bytes per change.

use std::sync::Arc;

use dockerfile_lsp::ide::symbols::document_symbols;
use dockerfile_lsp::lsp::analysis::Snapshot;
use dockerfile_lsp::lsp::config::Config;
use dockerfile_lsp::lsp::convert::Encoding;
use dockerfile_lsp::lsp::documents::Documents;
use dockerfile_lsp::syntax::TextSize;
use tower_lsp_server::ls_types::{Position, Range, TextDocumentContentChangeEvent, Uri};

use super::common::{INSERTS, model_summary};

fn same(incremental: &Snapshot, fresh: &Snapshot, all: bool) {
    let text = incremental.parse.text();
    assert_eq!(text, fresh.parse.text());
    assert_eq!(
        incremental.rope.to_string(),
        text,
        "rope and parse disagree"
    );
    assert_eq!(
        format!("{:#?}", incremental.parse.syntax()),
        format!("{:#?}", fresh.parse.syntax()),
        "tree of {text:?}"
    );
    assert_eq!(
        incremental.parse.errors(),
        fresh.parse.errors(),
        "errors of {text:?}"
    );
    assert_eq!(
        model_summary(&incremental.model),
        model_summary(&fresh.model),
        "model of {text:?}"
    );
    if all {
        assert_eq!(
            incremental.diagnostics(),
            fresh.diagnostics(),
            "diagnostics of {text:?}"
        );
        assert_eq!(
            document_symbols(&incremental.parse, &incremental.model),
            document_symbols(&fresh.parse, &fresh.model),
            "symbols of {text:?}"
        );
    }
}

fn position(snap: &Snapshot, line: u8, character: u8) -> Position {
    let lines = snap.rope.len_lines() as u32;
    // Mostly real lines; now and then one beyond the end.
    Position::new(u32::from(line) % (lines + 2), u32::from(character))
}

/// Panics when an invariant does not hold.
pub fn run(data: &[u8]) {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let encoding = if flags & 1 == 0 {
        Encoding::Utf16
    } else {
        Encoding::Utf8
    };
    let split = rest.iter().position(|&b| b == 0).unwrap_or(rest.len());
    let text = String::from_utf8_lossy(&rest[..split]).into_owned();
    let script = rest.get(split + 1..).unwrap_or(&[]);
    let config = Arc::new(Config::default());
    let docs = Documents::default();
    let uri: Uri = "untitled:fuzz".parse().expect("uri");
    let fresh_uri: Uri = "untitled:fresh".parse().expect("uri");
    let mut snap = docs.open(uri.clone(), 1, &text, encoding, &config);
    let mut version = 1;
    let mut steps = script.chunks_exact(6).take(24).peekable();
    while let Some(step) = steps.next() {
        let mut changes = Vec::new();
        let mut step = step;
        loop {
            let start = position(&snap, step[0], step[1]);
            let end = position(&snap, step[2], step[3]);
            let insert =
                INSERTS[step[4] as usize % INSERTS.len()].repeat(1 + (step[5] >> 6) as usize);
            changes.push(TextDocumentContentChangeEvent {
                range: (step[5] != 0xff).then(|| Range::new(start, end)),
                range_length: None,
                text: insert,
            });
            // Bit 5: another change in the same notification.
            match steps.peek() {
                Some(_) if step[5] & 0x20 != 0 && changes.len() < 4 => {
                    step = steps.next().expect("peeked");
                }
                _ => break,
            }
        }
        version += 1;
        snap = docs
            .change(&uri, version, &changes, encoding, &config)
            .expect("open");
        let fresh = docs.open(
            fresh_uri.clone(),
            version,
            &snap.rope.to_string(),
            encoding,
            &config,
        );
        same(&snap, &fresh, false);
    }
    let fresh = docs.open(
        fresh_uri,
        version,
        &snap.rope.to_string(),
        encoding,
        &config,
    );
    same(&snap, &fresh, true);

    // Positions: every char boundary survives offset → position → offset.
    let text = snap.parse.text();
    for (i, _) in text.char_indices().chain([(text.len(), ' ')]).take(512) {
        let at = TextSize::from(i as u32);
        let pos = snap.position(at);
        let back = usize::from(snap.offset(pos));
        // Between `\r` and `\n` (or on a line break) a position means the line's end.
        let on_break = text[..i].ends_with('\r') && text[i..].starts_with('\n');
        if !on_break {
            assert_eq!(back, i, "{pos:?} of {text:?}");
        }
    }
}
