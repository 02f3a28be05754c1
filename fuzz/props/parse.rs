//! The parser on arbitrary bytes: never panics, always lossless, and an incremental
//! re-parse after an edit equals a full parse of the new text.

use dockerfile_lsp::syntax;

/// Panics when an invariant does not hold.
pub fn run(data: &[u8]) {
    let parse = syntax::parse_bytes(data);
    let text = String::from_utf8_lossy(data);
    assert_eq!(parse.syntax().to_string(), text);
    let _ = syntax::dump::dump(&parse);

    let (text, edit) = super::common::text_and_edit(data);
    let old = syntax::parse(&text);
    let new_text = edit.apply(&text);
    let incremental = old.reparse(&new_text, &edit);
    let full = syntax::parse(&new_text);
    assert!(incremental.entries().eq(full.entries()), "entries differ");
    assert_eq!(incremental.errors(), full.errors());
    assert_eq!(incremental.syntax().to_string(), new_text);
}
