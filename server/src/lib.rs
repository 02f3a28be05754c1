//! dockerfile-lsp: one engine (syntax → model → checks | ide | cache) behind three faces:
//! the language server, the command line, and the editor packages.
//!
//! Types flow one way: `syntax` knows nothing of `model`; `model` nothing of `checks`,
//! `ide`, `cache`; only `lsp` knows LSP types and UTF-16.

pub mod cache;
pub mod checks;
pub mod cli;
pub mod docs;
pub mod ide;
pub mod lsp;
pub mod model;
pub mod syntax;
