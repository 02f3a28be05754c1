//! Statuses, causes, and the propagation rule of cache-model.md §3.3: a node misses if its
//! own key changed, or a hard input (the chain) misses; it is *conditional* when only a
//! content input from a rebuilt stage changed (early cut-off is possible); it is *volatile*
//! when it depends on remote content that BuildKit re-checks on every build.

use smol_str::SmolStr;

use super::analysis::{CacheAnalysis, Content, NodeId, NodeKind, StepId};
use super::fingerprint::Part;
use crate::syntax::Keyword;

/// What happens to a step's cache entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    /// Reused.
    Cached,
    /// Depends on remote content BuildKit re-checks on every build.
    Volatile,
    /// Misses unless an upstream output comes out byte-identical (early cut-off).
    Conditional,
    /// Certainly re-executes.
    Invalidated,
    /// The target does not need this stage.
    NotBuilt,
}

impl Status {
    /// The word the command line prints.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Cached => "cached",
            Status::Volatile => "volatile",
            Status::Conditional => "conditional",
            Status::Invalidated => "invalidated",
            Status::NotBuilt => "not-built",
        }
    }

    /// Re-executes for sure or possibly.
    pub fn rebuilds(self) -> bool {
        matches!(self, Status::Invalidated | Status::Conditional)
    }
}

/// Why a step has its status. Entries are indices into `Parse::entries`; nodes are internal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cause {
    /// Nothing it depends on changed.
    Unchanged,
    /// The stage is not needed for the target.
    NotNeeded,
    /// What-if: this very instruction is the one edited.
    Edited {
        entry: usize,
    },
    /// Diff: this step's own key changed; `part` says which ingredient.
    Changed {
        part: Part,
        /// The instruction that set the changed state (WORKDIR, USER, SHELL), if any.
        entry: Option<usize>,
        /// For the base image: the old and new reference.
        old: Option<String>,
        new: Option<String>,
    },
    /// Diff: the step did not exist in the old version.
    New,
    /// Diff: the same step now follows other steps (moved, or the steps before it were
    /// reordered).
    Moved,
    /// Diff: the stage was not built for the target before, so nothing of it is cached.
    NotBuiltBefore,
    /// A variable of this RUN's environment is set (or re-set) at `entry`.
    Env {
        name: SmolStr,
        entry: usize,
        keyword: Keyword,
    },
    /// Diff: only the order of the environment changed; `name` moved to the end at `entry`.
    EnvOrder {
        name: SmolStr,
        entry: Option<usize>,
    },
    /// Diff: a variable left the environment.
    EnvRemoved {
        name: SmolStr,
    },
    /// What-if: an ARG declared at `entry` would enter this RUN's environment.
    EnvAppears {
        name: SmolStr,
        entry: usize,
    },
    /// `$name` in the step's own text (COPY paths, WORKDIR, mount options, FROM) changes.
    Var {
        name: SmolStr,
        entry: Option<usize>,
    },
    /// The build arg is in this RUN's environment (declared at `entry`); `used` = the command
    /// mentions it.
    BuildArg {
        name: SmolStr,
        entry: usize,
        used: bool,
    },
    /// The build arg is used in the FROM line.
    BuildArgInFrom {
        name: SmolStr,
    },
    /// The working directory set at `entry` changes.
    Workdir {
        entry: usize,
    },
    User {
        entry: usize,
    },
    Shell {
        entry: usize,
    },
    /// A changed build-context file is copied (or mounted) here.
    ContextFile {
        path: String,
        mount: bool,
    },
    /// The Dockerfile itself is in the context and copied here.
    Dockerfile {
        path: String,
    },
    /// The ignore file changed: which context files this step reads may have changed.
    IgnoreFile {
        path: String,
    },
    /// A new digest of the image.
    BaseImage {
        image: String,
    },
    /// Chains on `node`, the first step of the chain that rebuilds.
    Chain {
        node: NodeId,
    },
    /// Reads the output of `node` (in another stage), which rebuilds.
    Upstream {
        node: NodeId,
    },
    /// Diff: reads the output of a different stage than before.
    UpstreamSwitched,
    /// A remote download or git ref without a pin.
    Remote {
        url: String,
    },
    /// The `# syntax` frontend changed.
    Frontend,
    /// `SOURCE_DATE_EPOCH` sets the time of every WORKDIR directory.
    SourceDateEpoch,
    /// `BUILDKIT_SANDBOX_HOSTNAME` is in every RUN's key.
    SandboxHostname,
    /// `BUILDKIT_CACHE_MOUNT_NS` is in the id of default cache mounts.
    CacheNamespace,
}

/// One step's outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepImpact {
    pub step: StepId,
    pub status: Status,
    pub cause: Cause,
    /// One line of plain English.
    pub reason: String,
    /// `COPY --link`: only the cheap merge re-runs; the copied files stay cached.
    pub link_only: bool,
}

/// The outcome of a change for every step, in file order, plus notes that concern the
/// change as a whole ("excluded by .dockerignore rule …").
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Impact {
    pub steps: Vec<StepImpact>,
    pub notes: Vec<String>,
}

impl Impact {
    /// The steps that re-execute (certainly or possibly).
    pub fn rebuilt(&self) -> impl Iterator<Item = &StepImpact> {
        self.steps.iter().filter(|s| s.status.rebuilds())
    }

    pub fn get(&self, step: StepId) -> Option<&StepImpact> {
        self.steps.iter().find(|s| s.step == step)
    }

    /// A short summary for a code lens: `4 steps rebuild (lines 5–9, stages build, final)`.
    pub fn summary(&self, analysis: &CacheAnalysis) -> String {
        let rebuilt: Vec<&StepImpact> = self.rebuilt().collect();
        if rebuilt.is_empty() {
            return "no cache effect".to_string();
        }
        let steps = analysis.steps();
        let lines: Vec<u32> = rebuilt.iter().map(|s| steps[s.step].line + 1).collect();
        let (lo, hi) = (
            lines.iter().min().copied().unwrap_or(0),
            lines.iter().max().copied().unwrap_or(0),
        );
        let mut stages: Vec<usize> = rebuilt.iter().map(|s| steps[s.step].stage).collect();
        stages.dedup();
        stages.sort_unstable();
        stages.dedup();
        let names: Vec<String> = stages
            .iter()
            .map(|&s| analysis.stages()[s].label())
            .collect();
        let n = rebuilt.len();
        format!(
            "{n} step{} rebuild{} (line{} {}, stage{} {})",
            if n == 1 { "" } else { "s" },
            if n == 1 { "s" } else { "" },
            if lo == hi { "" } else { "s" },
            if lo == hi {
                lo.to_string()
            } else {
                format!("{lo}–{hi}")
            },
            if names.len() == 1 { "" } else { "s" },
            names.join(", ")
        )
    }
}

/// Per node: the status a change gives it directly (before propagation), and why.
#[derive(Debug, Clone)]
pub(crate) struct Seeds {
    pub nodes: Vec<Option<(Status, Cause)>>,
    pub notes: Vec<String>,
    /// How many times a seed was set or raised (to tell whether a change did anything).
    pub count: usize,
}

impl Seeds {
    pub fn new(analysis: &CacheAnalysis) -> Seeds {
        Seeds {
            nodes: vec![None; analysis.nodes.len()],
            notes: Vec::new(),
            count: 0,
        }
    }

    /// Keeps the strongest status; on a tie the first cause stays.
    pub fn seed(&mut self, node: NodeId, status: Status, cause: Cause) {
        if let Some(slot) = self.nodes.get_mut(node) {
            match slot {
                Some((s, _)) if *s >= status => {}
                _ => {
                    *slot = Some((status, cause));
                    self.count += 1;
                }
            }
        }
    }

    pub fn note(&mut self, note: impl Into<String>) {
        let note = note.into();
        if !self.notes.contains(&note) {
            self.notes.push(note);
        }
    }
}

/// Propagates seeds through the graph (nodes are in dependency order) and renders reasons.
pub(crate) fn propagate(an: &CacheAnalysis, seeds: Seeds) -> Impact {
    let mut state: Vec<(Status, Cause)> = Vec::with_capacity(an.nodes.len());
    for (i, node) in an.nodes.iter().enumerate() {
        if !an.stages[node.stage].reachable {
            state.push((Status::NotBuilt, Cause::NotNeeded));
            continue;
        }
        let mut best = (Status::Cached, Cause::Unchanged);
        let mut consider = |status: Status, cause: Cause| {
            if status > best.0 {
                best = (status, cause);
            }
        };
        if let Some((status, cause)) = seeds.nodes.get(i).cloned().flatten() {
            consider(status, cause);
        }
        // The first node of a chain of misses (not across content edges: a stage that reads
        // another is not built on it).
        let root = |n: NodeId| match &state[n].1 {
            Cause::Chain { node } => *node,
            _ => n,
        };
        for &h in node.hard.iter() {
            let Some((status, _)) = state.get(h) else {
                continue;
            };
            match status {
                Status::Invalidated | Status::Conditional | Status::Volatile => {
                    consider(*status, Cause::Chain { node: root(h) });
                }
                Status::Cached | Status::NotBuilt => {}
            }
        }
        for c in &node.content {
            if let Content::Stage { node: u, .. } = c {
                match state.get(*u).map(|s| s.0) {
                    Some(Status::Invalidated | Status::Conditional) => {
                        consider(Status::Conditional, Cause::Upstream { node: root(*u) });
                    }
                    Some(Status::Volatile) => {
                        consider(Status::Volatile, Cause::Upstream { node: root(*u) });
                    }
                    _ => {}
                }
            }
        }
        if let Some(url) = &node.volatile {
            consider(Status::Volatile, Cause::Remote { url: url.clone() });
        }
        state.push(best);
    }

    let mut steps = Vec::with_capacity(an.steps.len());
    for (id, step) in an.steps.iter().enumerate() {
        let (mut status, mut cause) = state[step.node].clone();
        let mut link_only = false;
        if let Some(copy) = step.copy_node {
            let (cs, cc) = state[copy].clone();
            if cs >= status {
                status = cs;
                cause = cc;
            } else if cs == Status::Cached && status.rebuilds() {
                link_only = true;
                // The merge's chain cause is the copy node itself only when the copy rebuilt.
            }
        }
        let reason = reason(an, id, status, &cause, link_only, &state);
        steps.push(StepImpact {
            step: id,
            status,
            cause,
            reason,
            link_only,
        });
    }
    Impact {
        steps,
        notes: seeds.notes,
    }
}

fn line(an: &CacheAnalysis, entry: usize) -> u32 {
    an.entries.get(entry).map_or(0, |e| e.line + 1)
}

/// "RUN on line 4", "the ONBUILD RUN of line 4 (run at line 5)".
fn describe_step(an: &CacheAnalysis, step: StepId) -> String {
    let s = &an.steps[step];
    if s.trigger {
        format!(
            "the ONBUILD {} of line {} (run at line {})",
            s.keyword.as_str(),
            line(an, s.origin),
            s.line + 1
        )
    } else {
        format!("{} on line {}", s.keyword.as_str(), s.line + 1)
    }
}

fn stage_label(an: &CacheAnalysis, stage: usize) -> String {
    format!(
        "stage {}",
        an.stages
            .get(stage)
            .map_or(stage.to_string(), |s| s.label())
    )
}

fn reason(
    an: &CacheAnalysis,
    id: StepId,
    status: Status,
    cause: &Cause,
    link_only: bool,
    state: &[(Status, Cause)],
) -> String {
    let step = &an.steps[id];
    let base = cause_text(an, id, cause, state);
    match status {
        Status::Cached => match &step.volatile {
            Some(url) => format!("unchanged ({url} is pinned)"),
            None => base,
        },
        _ if link_only => {
            let why = match cause {
                Cause::Chain { node } => chain_root(an, id, *node, state),
                _ => base,
            };
            format!(
                "only the cheap re-link of COPY --link runs ({why}); the copied files stay cached"
            )
        }
        _ => base,
    }
}

fn cause_text(an: &CacheAnalysis, id: StepId, cause: &Cause, state: &[(Status, Cause)]) -> String {
    let step = &an.steps[id];
    let this = match step.keyword {
        Keyword::Run => "this RUN",
        Keyword::Copy => "this COPY",
        Keyword::Add => "this ADD",
        Keyword::Workdir => "this WORKDIR",
        _ => "this step",
    };
    match cause {
        Cause::Unchanged => "unchanged".to_string(),
        Cause::NotNeeded => match an.target {
            Some(t) => match &an.stages[t].name {
                Some(name) => format!(
                    "{} is not needed for target {name}",
                    stage_label(an, step.stage)
                ),
                None => format!(
                    "{} is not needed for the target (stage {t})",
                    stage_label(an, step.stage)
                ),
            },
            None => format!("{} is not built", stage_label(an, step.stage)),
        },
        Cause::Edited { entry } => {
            if step.trigger {
                format!(
                    "the ONBUILD trigger on line {} is edited, and it runs here",
                    line(an, *entry)
                )
            } else if step.keyword == Keyword::From {
                "the base image changes".to_string()
            } else {
                "this instruction is edited: its own cache key changes".to_string()
            }
        }
        Cause::Changed {
            part,
            entry,
            old,
            new,
        } => changed_text(an, step.keyword, *part, *entry, old, new),
        Cause::New => "new step: there was no such step before".to_string(),
        Cause::Moved => {
            "moved: the step is unchanged but now follows different steps".to_string()
        }
        Cause::NotBuiltBefore => {
            "nothing of this stage was built for the target before".to_string()
        }
        Cause::Env {
            name,
            entry,
            keyword,
        } => format!(
            "{} {name} (line {}) changes the environment of {this}",
            keyword.as_str(),
            line(an, *entry)
        ),
        Cause::EnvOrder { name, entry } => match entry {
            Some(e) => format!(
                "the order of the environment changes: {name} is set again on line {}, which moves it to the end",
                line(an, *e)
            ),
            None => format!("the order of the environment changes ({name} moved)"),
        },
        Cause::EnvRemoved { name } => format!("{name} is no longer in the environment of {this}"),
        Cause::EnvAppears { name, entry } => format!(
            "ARG {name} (line {}) puts {name} into the environment of {this}",
            line(an, *entry)
        ),
        Cause::Var { name, entry } => match entry {
            Some(e) => format!(
                "uses ${name}, which is set on line {}",
                line(an, *e)
            ),
            None => format!("uses ${name}"),
        },
        Cause::BuildArg { name, entry, used } => {
            if *used {
                format!(
                    "build arg {name} (ARG on line {}) is in the environment of {this}, which uses it",
                    line(an, *entry)
                )
            } else {
                format!(
                    "build arg {name} (ARG on line {}) is in the environment of {this}, even though it does not use it",
                    line(an, *entry)
                )
            }
        }
        Cause::BuildArgInFrom { name } => format!(
            "build arg {name} is used in the FROM line: a different base, unless both values resolve to the same image digest"
        ),
        Cause::Workdir { entry } => format!(
            "{this} runs in the working directory set on line {}",
            line(an, *entry)
        ),
        Cause::User { entry } => match step.keyword {
            Keyword::Workdir => format!(
                "the directory is created as the USER set on line {}",
                line(an, *entry)
            ),
            _ => format!("{this} runs as the USER set on line {}", line(an, *entry)),
        },
        Cause::Shell { entry } => format!(
            "{this} runs in the SHELL set on line {}",
            line(an, *entry)
        ),
        Cause::ContextFile { path, mount } => {
            if *mount {
                format!("{path} is mounted here")
            } else {
                format!("{path} is copied here")
            }
        }
        Cause::Dockerfile { path } => format!(
            "the Dockerfile ({path}) is part of the build context and is copied here; add it to .dockerignore to avoid this"
        ),
        Cause::IgnoreFile { path } => format!(
            "{path} changed, which may change the files sent for this step; it rebuilds if a file it reads was added or removed"
        ),
        Cause::BaseImage { image } => match step.keyword {
            Keyword::From => format!(
                "a new digest of {image} is pulled (the new image may also bring other ENV, WORKDIR, USER or ONBUILD triggers)"
            ),
            _ => format!("reads files of {image}, which has a new digest"),
        },
        Cause::Chain { node } => chain_text(an, id, *node, state),
        Cause::Upstream { node } => {
            let n = &an.nodes[*node];
            let upstream = match n.step {
                Some(s) => format!(
                    "reads files of {}, which rebuilds from {}",
                    stage_label(an, n.stage),
                    describe_step(an, s)
                ),
                None => format!("reads files of {}, which rebuilds", stage_label(an, n.stage)),
            };
            format!("{upstream}; cached again if those files come out identical")
        }
        Cause::UpstreamSwitched => {
            "reads from a different stage than before; cached only if the copied files are identical"
                .to_string()
        }
        Cause::Remote { url } => format!(
            "fetches {url} without a pin: BuildKit re-checks it on every build and rebuilds if it changed (pin it with --checksum or a commit)"
        ),
        Cause::Frontend => {
            "possibly rebuilds: the # syntax frontend changed, and another frontend version may emit different build steps"
                .to_string()
        }
        Cause::SourceDateEpoch => {
            "SOURCE_DATE_EPOCH sets the timestamp of the directory WORKDIR creates".to_string()
        }
        Cause::SandboxHostname => {
            "BUILDKIT_SANDBOX_HOSTNAME is the host name every RUN sees".to_string()
        }
        Cause::CacheNamespace => {
            "BUILDKIT_CACHE_MOUNT_NS is part of the id of this RUN's cache mount".to_string()
        }
    }
}

/// "FROM on line 1 pulls a new nginx:1.27" / "RUN on line 4 rebuilds": the first miss of a
/// chain, without the chain sentence.
fn chain_root(an: &CacheAnalysis, id: StepId, node: NodeId, state: &[(Status, Cause)]) -> String {
    let n = &an.nodes[node];
    match n.step {
        Some(s) if an.steps[s].keyword == Keyword::From => format!(
            "FROM on line {} pulls a new {}",
            an.steps[s].line + 1,
            an.stages[n.stage].image.clone().unwrap_or_default()
        ),
        Some(s) => {
            let verb = match state.get(node).map(|s| s.0) {
                Some(Status::Conditional) => "may rebuild",
                Some(Status::Volatile) => "may change",
                _ => "rebuilds",
            };
            if n.stage == an.steps[id].stage {
                format!("{} {verb}", describe_step(an, s))
            } else {
                format!(
                    "{} {verb} at {}",
                    stage_label(an, n.stage),
                    describe_step(an, s)
                )
            }
        }
        None => "the stage's base changes".to_string(),
    }
}

fn chain_text(an: &CacheAnalysis, id: StepId, node: NodeId, state: &[(Status, Cause)]) -> String {
    let step = &an.steps[id];
    let n = &an.nodes[node];
    let conditional = state.get(node).is_some_and(|s| s.0 == Status::Conditional);
    let volatile = state.get(node).is_some_and(|s| s.0 == Status::Volatile);
    let verb = if conditional {
        "may rebuild (if the files it reads changed)"
    } else if volatile {
        "changes whenever its remote source does"
    } else {
        "rebuilds"
    };
    match n.step {
        Some(s) if s == id => "its copied files change".to_string(),
        Some(s) if n.stage == step.stage => {
            if an.steps[s].keyword == Keyword::From {
                let image = an.stages[n.stage].image.clone().unwrap_or_default();
                format!(
                    "FROM on line {} pulls a new {image}, and every later step of the stage chains on it",
                    an.steps[s].line + 1
                )
            } else {
                format!(
                    "{} {verb}, and every later step of the stage chains on it",
                    capitalize(&describe_step(an, s))
                )
            }
        }
        Some(s) => format!(
            "{} {verb} at {}, and this stage is built on it",
            stage_label(an, n.stage),
            describe_step(an, s)
        ),
        None => {
            // A virtual stage root: say why the base changed.
            let why = match state.get(node).map(|s| &s.1) {
                Some(Cause::Chain { node: inner }) if *inner != node => {
                    return chain_text(an, id, *inner, state);
                }
                Some(cause) if n.kind == NodeKind::Root => match cause {
                    Cause::Edited { entry } => {
                        format!("the FROM on line {} is edited", line(an, *entry))
                    }
                    Cause::BuildArgInFrom { name } => {
                        format!("build arg {name} changes the FROM line")
                    }
                    Cause::Var { name, .. } => format!("${name} in the FROM line changes"),
                    Cause::Changed { .. } | Cause::New => "the stage's base changed".to_string(),
                    _ => "the stage's base changes".to_string(),
                },
                _ => "the stage's base changes".to_string(),
            };
            format!("{why}, and every step of the stage is built on it")
        }
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn changed_text(
    an: &CacheAnalysis,
    keyword: Keyword,
    part: Part,
    entry: Option<usize>,
    old: &Option<String>,
    new: &Option<String>,
) -> String {
    let at = |what: &str| match entry {
        Some(e) => format!("{what} (line {})", line(an, e)),
        None => what.to_string(),
    };
    match part {
        Part::Image => match (old, new) {
            (Some(o), Some(n)) => format!(
                "the base image changed from {o} to {n}; cached only if both resolve to the same digest"
            ),
            _ => "the base image changed".to_string(),
        },
        Part::Platform => "the platform changed".to_string(),
        Part::Command => match new.as_deref() {
            Some("heredoc") => {
                "the heredoc body changed (comments and indentation count)".to_string()
            }
            _ => "the command changed".to_string(),
        },
        Part::Shell => format!("the shell changed: {}", at("SHELL")),
        Part::Env => "the environment changed".to_string(),
        Part::Workdir => format!("the working directory changed: {}", at("WORKDIR")),
        Part::User => format!("the user changed: {}", at("USER")),
        Part::Mounts => "the --mount options changed".to_string(),
        Part::Options => "the RUN options (--network, --security, …) changed".to_string(),
        Part::Sources => format!("the {} sources changed", keyword.as_str()),
        Part::Dest => match entry {
            Some(_) => format!("the destination changed: {}", at("WORKDIR")),
            None => "the destination changed".to_string(),
        },
        Part::Flags => format!("the {} flags changed", keyword.as_str()),
        Part::Path => "the directory changed".to_string(),
        Part::Owner => format!("the directory's owner changed: {}", at("USER")),
        Part::Epoch => "SOURCE_DATE_EPOCH changed".to_string(),
        Part::Base => "the stage's base changed".to_string(),
        Part::Merge => "the COPY --link changed".to_string(),
    }
}

impl StepImpact {
    /// A few words for an inlay hint: `⟳ rebuilds: ENV APP_ENV on line 3 changed`. Empty
    /// when the step does not rebuild.
    pub fn label(&self, an: &CacheAnalysis) -> String {
        let verb = match self.status {
            Status::Invalidated if self.link_only => "⟳ re-links",
            Status::Invalidated => "⟳ rebuilds",
            Status::Conditional => "⟳ may rebuild",
            _ => return String::new(),
        };
        format!("{verb}: {}", short(an, &self.cause))
    }
}

/// The cause in a few words.
fn short(an: &CacheAnalysis, cause: &Cause) -> String {
    let at = |entry: &usize| line(an, *entry);
    match cause {
        Cause::Unchanged => "unchanged".into(),
        Cause::NotNeeded => "not built".into(),
        Cause::Edited { .. } => "edited".into(),
        Cause::Changed { part, entry, .. } => {
            let on = |what: &str| match entry {
                Some(e) => format!("{what} on line {} changed", at(e)),
                None => format!("{what} changed"),
            };
            match part {
                Part::Command => "command changed".into(),
                Part::Shell => on("SHELL"),
                Part::Env => "environment changed".into(),
                Part::Workdir => on("WORKDIR"),
                Part::User | Part::Owner => on("USER"),
                Part::Mounts => "--mount changed".into(),
                Part::Options => "RUN options changed".into(),
                Part::Sources => "sources changed".into(),
                Part::Dest => "destination changed".into(),
                Part::Flags => "flags changed".into(),
                Part::Path => "directory changed".into(),
                Part::Epoch => "SOURCE_DATE_EPOCH changed".into(),
                Part::Image => "base image changed".into(),
                Part::Platform => "platform changed".into(),
                Part::Base | Part::Merge => "base changed".into(),
            }
        }
        Cause::New => "new step".into(),
        Cause::Moved => "moved".into(),
        Cause::NotBuiltBefore => "stage newly needed".into(),
        Cause::Env {
            name,
            entry,
            keyword,
        } => format!("{} {name} on line {} changed", keyword.as_str(), at(entry)),
        Cause::EnvOrder { entry, .. } => match entry {
            Some(e) => format!("environment order changed (line {})", at(e)),
            None => "environment order changed".into(),
        },
        Cause::EnvRemoved { name } => format!("{name} removed from the environment"),
        Cause::EnvAppears { name, entry } => format!("ARG {name} on line {}", at(entry)),
        Cause::Var { name, .. } => format!("${name} changed"),
        Cause::BuildArg { name, .. } | Cause::BuildArgInFrom { name } => {
            format!("build arg {name} changed")
        }
        Cause::Workdir { entry } => format!("WORKDIR on line {} changed", at(entry)),
        Cause::User { entry } => format!("USER on line {} changed", at(entry)),
        Cause::Shell { entry } => format!("SHELL on line {} changed", at(entry)),
        Cause::ContextFile { path, .. } => format!("{path} changed"),
        Cause::Dockerfile { .. } => "the Dockerfile is copied".into(),
        Cause::IgnoreFile { path } => format!("{path} changed"),
        Cause::BaseImage { image } => format!("new {image}"),
        Cause::Chain { node } => match an.nodes[*node].step {
            Some(s) if an.nodes[*node].stage != an.steps.get(s).map_or(0, |x| x.stage) => {
                "after its base stage".into()
            }
            Some(s) => format!("after line {}", an.steps[s].line + 1),
            None => "its base changed".into(),
        },
        Cause::Upstream { node } => format!("{} rebuilds", stage_label(an, an.nodes[*node].stage)),
        Cause::UpstreamSwitched => "reads another stage".into(),
        Cause::Remote { .. } => "remote source".into(),
        Cause::Frontend => "frontend changed".into(),
        Cause::SourceDateEpoch => "SOURCE_DATE_EPOCH".into(),
        Cause::SandboxHostname => "BUILDKIT_SANDBOX_HOSTNAME".into(),
        Cause::CacheNamespace => "BUILDKIT_CACHE_MOUNT_NS".into(),
    }
}
