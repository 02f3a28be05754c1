//! Caps on what one request may return, so a generated or pasted file of megabytes cannot
//! make one answer take seconds to build, send and render (and hold up the others). Each cap
//! is far above what a hand-written Dockerfile reaches; hitting one is logged at `info`.
//!
//! Rename is not capped: a partial rename would corrupt the file.

/// Diagnostics sent for one document (the most severe kept, then in file order).
pub const MAX_DIAGNOSTICS: usize = 2000;
/// Document symbols, in pre-order (the outline of the file's beginning stays whole).
pub const MAX_DOCUMENT_SYMBOLS: usize = 5000;
/// Semantic tokens of one full or range result (the rest of the file is left uncoloured).
pub const MAX_SEMANTIC_TOKENS: usize = 100_000;
/// References and document highlights.
pub const MAX_LOCATIONS: usize = 10_000;
/// Code actions of one request (a selection over a whole generated file meets every
/// diagnostic).
pub const MAX_CODE_ACTIONS: usize = 500;
/// Completion items; the list is then marked incomplete, so the client asks again as the
/// user types.
pub const MAX_COMPLETION_ITEMS: usize = 1000;

/// Truncates `items` to `max`, logging what was dropped; true when it did.
pub fn cap<T>(what: &str, items: &mut Vec<T>, max: usize) -> bool {
    if items.len() <= max {
        return false;
    }
    tracing::info!("{what}: {} results, sending the first {max}", items.len());
    items.truncate(max);
    true
}
