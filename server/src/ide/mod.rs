//! Editor features as pure functions over one snapshot (`&Parse`, `&Model`, byte offsets).
//! Results are plain structs with byte ranges; only `lsp/` turns them into LSP types.

pub mod completion;
pub mod folding;
pub mod formatting;
pub mod semantic_tokens;
pub mod signature_help;
mod text_util;
