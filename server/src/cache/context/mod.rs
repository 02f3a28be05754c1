//! The build context: `.dockerignore` matching, the bounded context walk, COPY/ADD source
//! selection.
//!
//! * [`dockerignore`] — parse and match `.dockerignore` exactly as BuildKit does
//!   (moby/patternmatcher + fsutil), keeping each rule's line for hovers.
//! * [`walk`] — a bounded, read-only, never-following-symlinks walk of the context into a
//!   sorted [`walk::ContextIndex`].
//! * [`mod@select`] — which context paths a COPY/ADD source feeds into BuildKit's content
//!   checksum (`cache/contenthash/checksum.go`), with `--exclude` and `--parents`.

pub mod dockerignore;
pub(crate) mod golang;
mod goregex;
pub mod select;
pub mod walk;

pub use dockerignore::{
    Decision, IgnoreFile, PatternError, PatternSet, Rule, ignore_file_path, read_ignore_file,
};
pub use select::{
    CopySource, Membership, Selection, context_membership, select, selection_contains,
};
pub use walk::{ContextIndex, Entry, EntryKind, WalkOptions, WalkStatus, walk_context};
