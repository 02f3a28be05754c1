//! Text → lossless tree, exactly as BuildKit's `frontend/dockerfile/parser` reads it.

pub mod shell;
