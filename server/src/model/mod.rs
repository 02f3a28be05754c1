//! The meaning of one Dockerfile: stages and their graph, ARG/ENV scopes with BuildKit's
//! rules, the values variables have at each instruction, and an index of every definition
//! and reference (variables and stages). Pure data, byte offsets, no LSP types.
//!
//! Mirrors BuildKit's `instructions.Parse` and `dockerfile2llb` (stage resolution,
//! `buildMetaArgs`, `dispatchArg`/`dispatchEnv`, the image config a stage produces) without
//! pulling images: what comes from a base image is marked unknown.

mod build;
pub(crate) use build::PROXY_ARGS;
pub mod env;
pub mod frontend;
pub mod mount;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::sync::Arc;

use smol_str::SmolStr;

use crate::syntax::{Parse, TextRange};

pub use env::{EnvList, EnvVar, Origin};
pub use frontend::Frontend;
pub use mount::{Mount, MountField};

/// What the analysis depends on besides the text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// `--build-arg` values.
    pub build_args: BTreeMap<String, String>,
    /// `--target`; `None` builds the last stage.
    pub target: Option<String>,
    /// The target platform, `os/arch[/variant]`; `None` means linux/amd64.
    pub platform: Option<String>,
}

/// The analysis of one file.
#[derive(Debug, Clone)]
pub struct Model {
    pub frontend: Frontend,
    pub stages: Vec<Stage>,
    /// ARG instructions before the first FROM (entry indices).
    pub meta_args: Vec<usize>,
    /// Instructions other than ARG before the first FROM (BuildKit: "no build stage in
    /// current context").
    pub orphans: Vec<usize>,
    /// Per entry of the parse: its stage and the state before it runs.
    pub entries: Vec<EntryInfo>,
    /// Global scope: BuildKit's predefined args plus the meta ARGs, with `--build-arg` values.
    pub global_env: EnvList,
    /// The same, with defaults only (no `--build-arg`), as BuildKit's
    /// `validateBaseImagesWithDefaultArgs` sees it.
    pub global_defaults: EnvList,
    pub var_defs: Vec<VarDef>,
    pub var_uses: Vec<VarUse>,
    pub stage_refs: Vec<StageRef>,
    /// The stage being built, if it exists.
    pub target: Option<usize>,
    /// `--target` names a stage that does not exist.
    pub target_missing: Option<String>,
    /// Per stage: needed to build the target.
    pub reachable: Vec<bool>,
    /// Union-find parents grouping definitions that are one variable for rename purposes.
    groups: Vec<u32>,
    /// Per-stage evaluations the next analysis can reuse.
    cache: Arc<build::ModelCache>,
}

/// One build stage: a FROM and the instructions up to the next FROM.
#[derive(Debug, Clone, PartialEq)]
pub struct Stage {
    pub index: usize,
    /// Lower-cased name (`AS Name` → `name`), as BuildKit stores it.
    pub name: Option<SmolStr>,
    /// The name as written, absolute.
    pub name_range: Option<TextRange>,
    /// Entry index of the FROM.
    pub from_entry: usize,
    /// Entry indices of the stage's instructions after FROM: `from_entry + 1 .. end_entry`.
    pub end_entry: usize,
    /// The base as written (`FROM <base>`), and its absolute range.
    pub base_text: SmolStr,
    pub base_range: Option<TextRange>,
    pub base: Base,
    /// `--platform` as written and expanded.
    pub platform: Option<(SmolStr, Option<String>)>,
    /// The image config this stage produces, as far as the file determines it. Shared: an
    /// edit elsewhere reuses the stage, and copying its labels and env was a cost per stage
    /// on every keystroke.
    pub config: Arc<ImageConfig>,
    /// ARGs declared in the stage chain (BuildKit's `buildArgs`) at the end of the stage:
    /// name and definition.
    pub declared_args: Arc<Vec<(SmolStr, u32)>>,
    /// Whether the environment includes an unknown base image's ENV (any image base in
    /// the chain; `scratch` and stages of this file are fully known).
    pub base_env_unknown: bool,
    /// Stages this one depends on (base, `COPY --from`, `RUN --mount from=`, ONBUILD).
    pub deps: Vec<usize>,
}

/// What a stage starts from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Base {
    /// `FROM scratch`.
    Scratch,
    /// An earlier stage of this file.
    Stage(usize),
    /// An image reference (after ARG expansion).
    Image(String),
    /// The base could not be determined: the FROM has no argument, its expansion failed or
    /// is blank. The string says why.
    Unresolved(String),
}

/// The image config fields a stage sets (`docker image inspect`'s `Config`). `None` means
/// "not set in this file" (inherited from the base image if any).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImageConfig {
    /// ENV only (ARGs are not part of the image).
    pub env: EnvList,
    pub exposed_ports: Vec<String>,
    pub cmd: Option<Vec<String>>,
    pub entrypoint: Option<Vec<String>>,
    pub working_dir: Option<String>,
    pub user: Option<String>,
    pub labels: Vec<(String, String)>,
    pub healthcheck: Option<Vec<String>>,
    pub shell: Option<Vec<String>>,
    pub stop_signal: Option<String>,
    pub volumes: Vec<String>,
    pub onbuild: Vec<String>,
    pub maintainer: Option<String>,
}

/// The state in which an instruction runs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EntryInfo {
    /// `None` for instructions before the first FROM.
    pub stage: Option<usize>,
    /// Variables visible to expansion (`$X` in COPY, ENV, …) and in RUN's environment.
    /// For a FROM this is the global scope.
    pub env: EnvList,
    /// ENV only: what CMD/ENTRYPOINT/HEALTHCHECK see at run time.
    pub runtime_env: EnvList,
    /// ARGs declared so far in the stage chain (they count as defined for UndefinedVar even
    /// without a value): name and definition.
    pub declared_args: Arc<Vec<(SmolStr, u32)>>,
    /// The working directory, if set in this file's stage chain.
    pub workdir: Option<Arc<str>>,
    /// A WORKDIR was set earlier in the stage chain (WorkdirRelativePath).
    pub workdir_set: bool,
    pub user: Option<SmolStr>,
    /// The SHELL in effect, if set in the stage chain.
    pub shell: Option<Arc<[String]>>,
    /// For RUN: its `--mount` values, in order, with their absolute value ranges.
    pub mounts: Vec<(Mount, TextRange)>,
}

/// Kinds of variable definitions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DefKind {
    /// ARG before the first FROM.
    GlobalArg,
    Arg,
    Env,
    /// ARG/ENV inside an ONBUILD trigger.
    Onbuild,
}

/// A variable definition: one key of an ARG or ENV instruction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VarDef {
    pub name: SmolStr,
    pub kind: DefKind,
    /// The key, absolute.
    pub range: TextRange,
    /// The value text (`=…` part), absolute, if any.
    pub value_range: Option<TextRange>,
    /// The raw value text (quotes kept), if any.
    pub default: Option<SmolStr>,
    /// The value it had when defined (expanded; a `--build-arg` value wins for ARGs).
    pub value: Option<SmolStr>,
    pub entry: usize,
    pub stage: Option<usize>,
}

/// Where a variable is used, which decides its scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UseContext {
    /// Expanded by BuildKit with the build-time environment (COPY, ENV, WORKDIR, …).
    Builder,
    /// In a FROM line: global ARGs and predefined args only.
    From,
    /// In a shell command run at build time (RUN, RUN heredocs): the shell sees ARGs and ENVs.
    Shell,
    /// In a command run by the container (CMD, ENTRYPOINT, HEALTHCHECK): only ENV.
    Runtime,
}

/// A `$NAME` / `${NAME…}` occurrence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VarUse {
    pub name: SmolStr,
    /// The name only, absolute.
    pub range: TextRange,
    /// The whole `$X` / `${X:-y}`, absolute.
    pub full_range: TextRange,
    pub entry: usize,
    pub context: UseContext,
    /// The definition it resolves to, if any.
    pub def: Option<u32>,
    /// The value at this point, when known.
    pub value: Option<SmolStr>,
    /// Resolves to a predefined arg (TARGETPLATFORM, HTTP_PROXY, …).
    pub predefined: bool,
}

/// How a stage is referenced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StageRefKind {
    /// `FROM <stage>`.
    From,
    /// `COPY --from=<stage>`.
    CopyFrom,
    /// `RUN --mount=…,from=<stage>`.
    MountFrom,
}

/// A reference to a stage (by name or index) or to something that is not a stage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageRef {
    pub kind: StageRefKind,
    /// The text as written.
    pub text: SmolStr,
    /// Absolute range of the text.
    pub range: TextRange,
    pub entry: usize,
    /// The stage it names, as BuildKit resolves it.
    pub target: Option<usize>,
    /// A numeric `--from=N`.
    pub by_index: bool,
    /// Inside an ONBUILD trigger (it resolves in the downstream build).
    pub onbuild: bool,
}

impl Model {
    /// Analyses a parse.
    pub fn new(parse: &Parse, options: &Options) -> Model {
        build::analyze(parse, options, None)
    }

    /// Analyses a parse of an edited version of the file this model was made for: stages
    /// whose instructions and inputs did not change are reused, not evaluated again. The
    /// result equals `Model::new(parse, options)`.
    pub fn update(&self, parse: &Parse, options: &Options) -> Model {
        build::analyze(parse, options, Some(self))
    }

    /// The stage an entry belongs to.
    pub fn stage_of(&self, entry: usize) -> Option<&Stage> {
        self.entries.get(entry)?.stage.map(|s| &self.stages[s])
    }

    /// A stage by name as `COPY --from` resolves it (case-insensitive; the last definition
    /// of a duplicated name wins, as in BuildKit).
    pub fn stage_by_name(&self, name: &str) -> Option<&Stage> {
        let lower = name.to_lowercase();
        self.stages
            .iter()
            .rev()
            .find(|s| s.name.as_deref() == Some(lower.as_str()))
    }

    /// The definition group (one variable for rename) of a definition.
    pub fn group(&self, def: u32) -> u32 {
        let mut d = def;
        while let Some(&parent) = self.groups.get(d as usize) {
            if parent == d {
                break;
            }
            d = parent;
        }
        d
    }

    /// Definitions in the same group as `def`.
    pub fn defs_in_group(&self, def: u32) -> impl Iterator<Item = (u32, &VarDef)> {
        let g = self.group(def);
        self.var_defs
            .iter()
            .enumerate()
            .map(|(i, d)| (i as u32, d))
            .filter(move |(i, _)| self.group(*i) == g)
    }

    /// Uses that resolve into the group of `def`.
    pub fn uses_of_group(&self, def: u32) -> impl Iterator<Item = &VarUse> {
        let g = self.group(def);
        self.var_uses
            .iter()
            .filter(move |u| u.def.is_some_and(|d| self.group(d) == g))
    }

    /// The definition whose key covers `offset`, or the use whose name covers it.
    pub fn var_at(&self, offset: crate::syntax::TextSize) -> Option<VarAt<'_>> {
        if let Some((i, d)) = self
            .var_defs
            .iter()
            .enumerate()
            .find(|(_, d)| d.range.contains_inclusive(offset))
        {
            return Some(VarAt::Def(i as u32, d));
        }
        self.var_uses
            .iter()
            .find(|u| u.range.contains_inclusive(offset))
            .map(VarAt::Use)
    }

    /// The stage reference or stage name definition at `offset`.
    pub fn stage_at(&self, offset: crate::syntax::TextSize) -> Option<StageAt<'_>> {
        if let Some(s) = self
            .stages
            .iter()
            .find(|s| s.name_range.is_some_and(|r| r.contains_inclusive(offset)))
        {
            return Some(StageAt::Definition(s.index));
        }
        self.stage_refs
            .iter()
            .find(|r| r.range.contains_inclusive(offset))
            .map(StageAt::Reference)
    }

    /// The identity of stage `index`'s evaluation: equal between two analyses exactly when
    /// the later one reused the earlier one's evaluation of the stage, so everything derived
    /// from the stage's instructions and state is unchanged (up to moved positions).
    pub fn stage_identity(&self, index: usize) -> Option<StageIdentity> {
        self.cache.stage(index).cloned().map(StageIdentity)
    }

    /// References that resolve to stage `index`.
    pub fn refs_to_stage(&self, index: usize) -> impl Iterator<Item = &StageRef> {
        self.stage_refs
            .iter()
            .filter(move |r| r.target == Some(index))
    }
}

/// See [`Model::stage_identity`]. Holding one keeps the evaluation alive, so identities
/// compare by address safely.
#[derive(Debug, Clone)]
pub struct StageIdentity(Arc<build::StageResult>);

impl PartialEq for StageIdentity {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for StageIdentity {}

impl std::hash::Hash for StageIdentity {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        Arc::as_ptr(&self.0).hash(state);
    }
}

/// A variable under the cursor.
#[derive(Debug, Clone, Copy)]
pub enum VarAt<'a> {
    Def(u32, &'a VarDef),
    Use(&'a VarUse),
}

/// A stage name under the cursor.
#[derive(Debug, Clone, Copy)]
pub enum StageAt<'a> {
    Definition(usize),
    Reference(&'a StageRef),
}
