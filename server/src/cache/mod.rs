//! The build-cache model: which build steps a change invalidates, by BuildKit's rules
//! (`shared/design/cache-model.md`), and the build context (`.dockerignore`, COPY sources).
//!
//! ```text
//! Parse ─► Model ─► CacheAnalysis::new        the evaluation pass (§3.2): steps, fingerprints,
//!                        │                    hard edges (chain), content edges (sources)
//!                        ├─ what_if_edit(entry)          "if this instruction changed…"
//!                        ├─ diff(old, new)               exact: fingerprints of two versions
//!                        ├─ changed_context_file(path)   via .dockerignore and COPY selections
//!                        ├─ changed_build_arg(name)      §3.3(c): ARG scope, FROM, proxies
//!                        ├─ new_base_digest(stage)       §3.3(d)
//!                        └─ impact(&[Change…])           several changes as one rebuild
//!                                      └─► Impact: per step a Status, a Cause and a reason
//! ```
//!
//! Everything here is pure: byte ranges and entry indices in, plain structs out, no I/O
//! except [`CacheOptions::load`] (which reads the ignore file through [`context`]).
//!
//! # Exact, and where it cannot be
//!
//! Fingerprints hold what BuildKit's op keys hold (`solver/llbsolver/ops/exec.go` and
//! `file.go` `CacheMap`, `dockerfile2llb`), so a diff is exact for the definition side.
//! Where the outcome depends on what the file cannot show, the status says so:
//!
//! * bytes produced by a rebuilt stage and read by another (`COPY --from`, `--mount from=`)
//!   → `conditional`: cached again if they come out identical (early cut-off);
//! * `# syntax` (or another parser directive) changed → every step `conditional`: another
//!   frontend may emit other steps;
//! * remote sources without a pin (`ADD <url>` without `--checksum`, git refs other than a
//!   commit) → `volatile`, and so is every step after them in the chain;
//! * a FROM whose text (or a build arg in it) changes → `invalidated`, "unless both resolve
//!   to the same digest"; what a base image brings (ENV, WORKDIR, USER, SHELL, ONBUILD) is
//!   unknown and taken as equal in both versions;
//! * an edited `.dockerignore` → every step reading the context `conditional` (which files
//!   toggle needs the old rules);
//! * a changed context file is taken as a content change (an event cannot tell an mtime-only
//!   touch, which BuildKit ignores); paths are matched lexically (symlinks are not resolved);
//! * only stages built for the old target count as cached in a diff; CLI-only inputs
//!   (`--platform` beyond the model's, `--network`, `--add-host`, named contexts,
//!   `--no-cache-filter`) and the cache's own state (pruning, another builder) are out of
//!   scope.

mod align;
mod analysis;
mod changes;
pub mod context;
mod fingerprint;
mod impact;
mod state;
#[cfg(test)]
mod tests;

use std::path::Path;
use std::sync::Arc;

pub use analysis::{CacheAnalysis, ContextSource, StageInfo, Step, StepId};
pub use changes::Change;
pub use context::IgnoreFile;
pub use fingerprint::Part;
pub use impact::{Cause, Impact, Status, StepImpact};

use crate::model;

/// What the analysis depends on besides the text.
#[derive(Debug, Clone, Default)]
pub struct CacheOptions {
    /// Build args, target and platform: the same options the model was built with.
    pub build: model::Options,
    /// The ignore file in effect (see [`context::ignore_file_path`]).
    pub ignore: Option<Arc<IgnoreFile>>,
    /// The Dockerfile's path relative to the context root, when it is inside the context
    /// and not ignored (see [`context::context_membership`]): then editing the file changes
    /// what `COPY . .` copies.
    pub dockerfile_in_context: Option<String>,
    /// The ignore file's path relative to the context root, when it lies inside it: a change
    /// to it changes which files every COPY of the context sees.
    pub ignore_file_in_context: Option<String>,
}

impl CacheOptions {
    /// Reads the ignore file BuildKit would use for `dockerfile` and `context`, and places
    /// the Dockerfile in the context. Errors are one line of text.
    pub fn load(
        dockerfile: &Path,
        context: &Path,
        build: model::Options,
    ) -> Result<CacheOptions, String> {
        let ignore_path = context::ignore_file_path(dockerfile, context);
        let ignore = match &ignore_path {
            Some(path) => {
                let roots = [context, dockerfile.parent().unwrap_or(context)];
                let bytes = context::read_ignore_file(path, &roots)
                    .map_err(|e| format!("{}: {e}", path.display()))?;
                Some(Arc::new(IgnoreFile::parse(&String::from_utf8_lossy(
                    &bytes,
                ))))
            }
            None => None,
        };
        // Placed without applying the rules: even an ignored ignore file decides what is sent.
        let ignore_file_in_context =
            ignore_path.and_then(|p| match context::context_membership(&p, context, None) {
                context::Membership::Included { rel_path } => Some(rel_path),
                _ => None,
            });
        let dockerfile_in_context =
            match context::context_membership(dockerfile, context, ignore.as_deref()) {
                context::Membership::Included { rel_path } => Some(rel_path),
                _ => None,
            };
        Ok(CacheOptions {
            build,
            ignore,
            dockerfile_in_context,
            ignore_file_in_context,
        })
    }
}

/// Parses, models and analyses a text in one go.
pub fn analyze_text(text: &str, options: &CacheOptions) -> CacheAnalysis {
    let parse = crate::syntax::parse(text);
    let model = model::Model::new(&parse, &options.build);
    CacheAnalysis::new(&parse, &model, options)
}
