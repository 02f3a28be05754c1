//! The properties the fuzz targets check, one module per target, each a `run(&[u8])` that
//! panics when an invariant breaks. Shared by the fuzz targets (`fuzz_targets/<name>.rs`)
//! and by `tests/tests/robust_regressions.rs`, which replays every input kept under
//! `tests/fixtures/regressions/<name>/` in `cargo test`.
#![allow(dead_code)] // each fuzz target uses one module

pub mod analysis;
pub mod cache;
pub mod checks;
pub mod common;
pub mod context;
pub mod dockerignore;
pub mod format;
pub mod ide;
pub mod model;
pub mod parse;
pub mod transport;
