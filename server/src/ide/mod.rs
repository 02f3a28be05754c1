//! Editor features as pure functions over one snapshot: inputs are a [`crate::syntax::Parse`],
//! its [`crate::model::Model`] and byte offsets; outputs are plain structs with byte ranges.
//! No LSP types here: `lsp/` converts offsets to positions in the negotiated encoding.

pub mod completion;
pub mod folding;
pub mod formatting;
pub mod hover;
pub mod image_ref;
pub mod links;
pub mod navigation;
pub mod rename;
pub mod semantic_tokens;
pub mod signature_help;
pub mod symbols;
mod text_util;

#[cfg(test)]
mod nav_fixture;
#[cfg(test)]
mod nav_proptest;
