//! The build-cache model: what a change invalidates, and the build context.

pub mod context;
