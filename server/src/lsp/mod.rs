//! The language server: the only code that knows LSP types, URIs and UTF-16.

pub mod config;
pub mod convert;
pub mod guard;
