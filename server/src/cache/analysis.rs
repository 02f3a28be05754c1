//! The evaluation pass (cache-model.md §3.2): one walk over the reachable and unreachable
//! stages in BuildKit's order, emitting a node per LLB op that has a cache entry, with its
//! fingerprint, its hard edges (the chain) and its content edges.
//!
//! Node graph, per stage:
//!
//! ```text
//! root ── FROM image (source op)      or a virtual root: scratch / another stage's last node
//!   └─ trigger steps of a same-file parent (ONBUILD), then RUN / COPY / ADD / WORKDIR≠/
//!      COPY --link: copy node (no parent: it copies onto scratch) + merge node (chain)
//! ```
//!
//! Hard edges (`Node::hard`) are definition edges: when the input misses, the node misses.
//! Content edges (`Node::content`) are compared by the checksum of the selected bytes: the
//! build context (COPY sources, bind mounts), another stage's output, an image's files.

use std::collections::BTreeMap;
use std::sync::Arc;

use smol_str::SmolStr;

use super::CacheOptions;
use super::fingerprint::{Fp, Part, combine};
use super::state::{self, Ctx, IMAGE_DEFAULT, State};
use crate::cache::context::IgnoreFile;
use crate::model::{Base, DefKind, EnvList, Model, Mount, UseContext};
use crate::syntax::shell::Lexer;
use crate::syntax::{Command, Heredoc, Keyword, Parse, TextRange};

/// Index into [`CacheAnalysis::steps`].
pub type StepId = usize;
pub(crate) type NodeId = usize;

/// One build step as the user sees it: an instruction that creates an op with a cache entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// The entry (index into `Parse::entries`) the step is reported at. For an ONBUILD
    /// trigger this is the FROM of the stage it runs in.
    pub entry: usize,
    /// The entry that defines the step (the ONBUILD instruction, for a trigger).
    pub origin: usize,
    /// Runs as an ONBUILD trigger of a same-file parent stage.
    pub trigger: bool,
    pub stage: usize,
    /// FROM, RUN, COPY, ADD or WORKDIR.
    pub keyword: Keyword,
    /// 0-based first and last line of the reporting entry (heredoc bodies included).
    pub line: u32,
    pub end_line: u32,
    /// Absolute range of the reporting entry.
    pub range: TextRange,
    /// `COPY --link`: the files are copied onto scratch and merged onto the stage, so a
    /// change below the step re-runs only the cheap merge.
    pub link: bool,
    /// The remote source this step fetches without a pin (ADD URL without --checksum, a git
    /// branch), which makes it re-check on every build.
    pub volatile: Option<String>,
    pub(crate) node: NodeId,
    pub(crate) copy_node: Option<NodeId>,
}

impl Step {
    /// `RUN`, or `ONBUILD RUN` for a trigger.
    pub fn instruction(&self) -> String {
        if self.trigger {
            format!("ONBUILD {}", self.keyword.as_str())
        } else {
            self.keyword.as_str().to_string()
        }
    }
}

/// A stage as the cache sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageInfo {
    pub index: usize,
    /// The lower-cased name, if any.
    pub name: Option<SmolStr>,
    /// Needed to build the target.
    pub reachable: bool,
    pub from_entry: usize,
    /// The image this stage starts from (after ARG expansion), if it is an image.
    pub image: Option<String>,
    /// The stage this one starts from (`FROM <stage>`).
    pub parent: Option<usize>,
    pub(crate) root: NodeId,
    pub(crate) last: NodeId,
}

impl StageInfo {
    /// How a user names the stage: its name, or its index.
    pub fn label(&self) -> String {
        match &self.name {
            Some(n) => n.to_string(),
            None => self.index.to_string(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum NodeKind {
    Image,
    Root,
    Run,
    Copy,
    Workdir,
    Merge,
}

/// A content edge.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Content {
    /// Paths of the build context: COPY/ADD sources (as expanded) or a bind mount's source.
    Context {
        sources: Vec<String>,
        excludes: Vec<String>,
        parents: bool,
        mount: bool,
    },
    /// The output of another stage.
    Stage { stage: usize, node: NodeId },
    /// Files of an image (`COPY --from=alpine`, `--mount from=alpine`).
    Image { reference: String },
}

/// A node's definition edges: its chain parent, and for a merge also the copy it merges.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Hard {
    ids: [NodeId; 2],
    len: u8,
}

impl Hard {
    pub fn push(&mut self, id: NodeId) {
        if let Some(slot) = self.ids.get_mut(usize::from(self.len)) {
            *slot = id;
            self.len += 1;
        }
    }
}

impl std::ops::Deref for Hard {
    type Target = [NodeId];

    fn deref(&self) -> &[NodeId] {
        &self.ids[..usize::from(self.len)]
    }
}

/// One LLB op with a cache entry (or a virtual stage root).
#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub kind: NodeKind,
    pub step: Option<StepId>,
    pub stage: usize,
    /// The entry whose text defines the node (the ONBUILD entry for a trigger).
    pub entry: usize,
    pub fp: u64,
    /// Its parts: a range of [`CacheAnalysis::parts`] (one allocation for all nodes).
    pub parts: (u32, u32),
    /// Hashes that are not in the key but tell a reason apart (e.g. the RUN line without its
    /// heredoc bodies).
    pub detail: u64,
    pub hard: Hard,
    pub content: Vec<Content>,
    pub volatile: Option<String>,
    /// RUN: the environment and declared ARGs (origins say which line set each value).
    pub env: Option<EnvList>,
    pub declared: Option<Arc<Vec<(SmolStr, u32)>>>,
    /// The entries whose state this node's key depends on.
    pub user_from: Option<u32>,
    pub shell_from: Option<u32>,
    pub cwd_from: Option<Arc<Vec<u32>>>,
    /// RUN: has a cache mount in default form (its id, and so `BUILDKIT_CACHE_MOUNT_NS`,
    /// is in the key).
    pub default_cache: bool,
}

/// A variable definition, as much as classification needs.
#[derive(Debug, Clone)]
pub(crate) struct DefInfo {
    pub name: SmolStr,
    pub kind: DefKind,
    pub entry: usize,
    /// Key start .. value end, absolute.
    pub span: (u32, u32),
    /// A stage `ARG X` without default that takes the global ARG's value: that global def.
    pub inherits: Option<u32>,
}

/// A variable use in text BuildKit expands (not the RUN command, which the shell expands).
#[derive(Debug, Clone)]
pub(crate) struct UseInfo {
    pub entry: usize,
    pub def: Option<u32>,
    pub name: SmolStr,
    pub at: u32,
    pub context: UseContext,
}

/// Per entry of the parse: lines and keyword.
#[derive(Debug, Clone, Copy)]
pub(crate) struct EntryLines {
    pub line: u32,
    pub end_line: u32,
    pub keyword: Keyword,
    /// The ONBUILD trigger's keyword.
    pub trigger: Option<Keyword>,
    pub stage: Option<usize>,
}

/// The cache view of one Dockerfile under one build configuration: its build steps with
/// their fingerprints and edges. Build it with [`CacheAnalysis::new`]; ask what a change
/// invalidates with [`CacheAnalysis::impact`] and the methods around it.
#[derive(Debug, Clone)]
pub struct CacheAnalysis {
    pub(crate) steps: Vec<Step>,
    pub(crate) nodes: Vec<Node>,
    pub(crate) parts: Vec<(Part, u64)>,
    pub(crate) stages: Vec<StageInfo>,
    pub(crate) target: Option<usize>,
    pub(crate) entries: Vec<EntryLines>,
    pub(crate) defs: Vec<DefInfo>,
    pub(crate) uses: Vec<UseInfo>,
    /// `$X` in RUN commands (expanded by the shell, not BuildKit): `(entry, name)`.
    pub(crate) shell_uses: Vec<(usize, SmolStr)>,
    /// `(line, value)` of the `# syntax=` directive.
    pub(crate) syntax: Option<(u32, String)>,
    /// 0-based lines of all parser directives.
    pub(crate) directive_lines: Vec<u32>,
    pub(crate) text_hash: u64,
    pub(crate) dockerfile_in_context: Option<String>,
    pub(crate) ignore_file_in_context: Option<String>,
    pub(crate) ignore: Option<Arc<IgnoreFile>>,
    pub(crate) line_count: u32,
}

impl CacheAnalysis {
    pub(crate) fn parts_of(&self, node: NodeId) -> &[(Part, u64)] {
        let (a, b) = self.nodes[node].parts;
        self.parts.get(a as usize..b as usize).unwrap_or_default()
    }

    /// Runs the evaluation pass. `model` must be the model of `parse` built with
    /// `options.build`. Pure: no I/O.
    pub fn new(parse: &Parse, model: &Model, options: &CacheOptions) -> CacheAnalysis {
        Builder::new(parse, model, options).run()
    }

    /// Every build step in file order (a trigger is placed at the FROM of the stage it runs
    /// in, before that stage's own steps).
    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    pub fn stages(&self) -> &[StageInfo] {
        &self.stages
    }

    /// The stage being built, if the file has one (and `--target` names an existing stage).
    pub fn target(&self) -> Option<usize> {
        self.target
    }

    /// The steps an entry defines (its own op, or its triggers where they run).
    pub fn steps_of_entry(&self, entry: usize) -> impl Iterator<Item = &Step> {
        self.steps.iter().filter(move |s| s.origin == entry)
    }

    /// The steps reported at an entry (for a FROM: the pull, or the triggers run there).
    pub fn steps_at_entry(&self, entry: usize) -> impl Iterator<Item = &Step> {
        self.steps.iter().filter(move |s| s.entry == entry)
    }

    /// Where the Dockerfile sits in the build context when `COPY . .` can pick it up.
    pub fn dockerfile_in_context(&self) -> Option<&str> {
        self.dockerfile_in_context.as_deref()
    }

    /// The ignore file in effect.
    pub fn ignore_file(&self) -> Option<&IgnoreFile> {
        self.ignore.as_deref()
    }

    /// 0-based line → the entry whose lines contain it.
    pub fn entry_at_line(&self, line: u32) -> Option<usize> {
        let i = self.entries.partition_point(|e| e.line <= line);
        let i = i.checked_sub(1)?;
        (line <= self.entries[i].end_line).then_some(i)
    }

    /// 0-based first and last line of an entry.
    pub fn entry_lines(&self, entry: usize) -> Option<(u32, u32)> {
        self.entries.get(entry).map(|e| (e.line, e.end_line))
    }

    /// The instruction keyword of an entry.
    pub fn entry_keyword(&self, entry: usize) -> Option<Keyword> {
        self.entries.get(entry).map(|e| e.keyword)
    }

    /// Whether a 0-based line holds a parser directive (`# syntax=`, `# escape=`, …).
    pub fn is_directive_line(&self, line: u32) -> bool {
        self.directive_lines.contains(&line)
    }

    /// The stage an image-pulling FROM step belongs to, by its entry.
    pub fn stage_of_entry(&self, entry: usize) -> Option<usize> {
        self.entries.get(entry).and_then(|e| e.stage)
    }

    /// Number of physical lines of the file.
    pub fn line_count(&self) -> u32 {
        self.line_count
    }

    /// The content edges into the build context of the steps an entry defines.
    pub fn context_sources_of_entry(&self, entry: usize) -> Vec<ContextSource<'_>> {
        (0..self.steps.len())
            .filter(|&s| self.steps[s].origin == entry && !self.steps[s].trigger)
            .flat_map(|s| self.context_sources(s))
            .collect()
    }

    /// The content edges of a step into the build context: for each, the sources (as
    /// expanded), the `--exclude` patterns, `--parents`, and whether it is a bind mount.
    pub fn context_sources(&self, step: StepId) -> Vec<ContextSource<'_>> {
        let Some(s) = self.steps.get(step) else {
            return Vec::new();
        };
        let node = s.copy_node.unwrap_or(s.node);
        self.nodes[node]
            .content
            .iter()
            .filter_map(|c| match c {
                Content::Context {
                    sources,
                    excludes,
                    parents,
                    mount,
                } => Some(ContextSource {
                    sources,
                    excludes,
                    parents: *parents,
                    mount: *mount,
                }),
                _ => None,
            })
            .collect()
    }
}

/// One content edge of a step into the build context.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContextSource<'a> {
    pub sources: &'a [String],
    pub excludes: &'a [String],
    pub parents: bool,
    pub mount: bool,
}

struct Builder<'a> {
    parse: &'a Parse,
    model: &'a Model,
    options: &'a CacheOptions,
    lexer: Lexer,
    out: CacheAnalysis,
    /// Per stage: the state at its end (what `FROM <stage>` children start from).
    ends: Vec<State>,
    platforms: Vec<String>,
    epoch: Option<String>,
    hostname: Option<String>,
    cache_ns: String,
    /// The last environment hashed: consecutive RUNs usually share the model's list.
    env_cache: std::cell::Cell<(usize, usize, u64)>,
    /// Per definition: the hash of `name=value` it last produced (a definition gives the same
    /// value wherever it is seen, except in replayed triggers, hence the check).
    var_hashes: std::cell::RefCell<Vec<Option<(SmolStr, u64)>>>,
}

/// The step a node reports as, while it is being built.
struct StepSpec {
    entry: usize,
    origin: usize,
    trigger: bool,
    keyword: Keyword,
}

impl<'a> Builder<'a> {
    fn new(parse: &'a Parse, model: &'a Model, options: &'a CacheOptions) -> Self {
        let build_args = &options.build.build_args;
        // getBuildArgValue: a --build-arg wins, else a global ARG's value.
        let epoch = build_args
            .get("SOURCE_DATE_EPOCH")
            .cloned()
            .or_else(|| {
                model
                    .global_env
                    .get_var("SOURCE_DATE_EPOCH")
                    .map(|v| v.value.to_string())
            })
            .filter(|v| !v.is_empty());
        let entries = parse
            .entries()
            .enumerate()
            .map(|(i, e)| EntryLines {
                line: e.line,
                end_line: e.last_line(),
                keyword: e.inst.command.kind,
                trigger: e.inst.command.trigger.as_ref().map(|t| t.kind),
                stage: model.entries.get(i).and_then(|info| info.stage),
            })
            .collect();
        let cache_ns = build_args
            .get("BUILDKIT_CACHE_MOUNT_NS")
            .cloned()
            .unwrap_or_default();
        Builder {
            parse,
            model,
            options,
            lexer: Lexer::new(parse.escape()),
            out: CacheAnalysis {
                steps: Vec::new(),
                nodes: Vec::with_capacity(parse.entry_count()),
                parts: Vec::with_capacity(parse.entry_count() * 4),
                stages: Vec::with_capacity(model.stages.len()),
                target: model.target,
                entries,
                defs: Vec::new(),
                uses: Vec::new(),
                shell_uses: Vec::new(),
                syntax: parse.directive("syntax").map(|d| (d.line, d.value.clone())),
                directive_lines: parse.directives().iter().map(|d| d.line).collect(),
                text_hash: Fp::new("text").str(parse.text()).finish(),
                dockerfile_in_context: options.dockerfile_in_context.clone(),
                ignore_file_in_context: options.ignore_file_in_context.clone(),
                ignore: options.ignore.clone(),
                line_count: parse.line_count(),
            },
            ends: Vec::with_capacity(model.stages.len()),
            platforms: Vec::with_capacity(model.stages.len()),
            epoch,
            hostname: build_args.get("BUILDKIT_SANDBOX_HOSTNAME").cloned(),
            cache_ns,
            env_cache: std::cell::Cell::new((0, usize::MAX, 0)),
            var_hashes: std::cell::RefCell::new(vec![None; model.var_defs.len()]),
        }
    }

    fn ctx(&self) -> Ctx<'_> {
        Ctx {
            model: self.model,
            lexer: &self.lexer,
            build_args: &self.options.build.build_args,
        }
    }

    fn run(mut self) -> CacheAnalysis {
        self.vars();
        for s in 0..self.model.stages.len() {
            self.stage(s);
        }
        // Stages are walked in file order and a trigger is emitted at its child's FROM, before
        // the child's own steps: the steps are already in file order.
        debug_assert!(self.out.steps.windows(2).all(|w| w[0].entry <= w[1].entry));
        self.out
    }

    /// Compact copies of the model's definitions and of the uses BuildKit expands.
    fn vars(&mut self) {
        let model = self.model;
        self.out.defs = model
            .var_defs
            .iter()
            .map(|d| {
                let end = d.value_range.unwrap_or(d.range).end();
                let inherits = (d.kind == DefKind::Arg && d.default.is_none())
                    .then(|| match model.global_env.get_var(&d.name)?.origin {
                        crate::model::Origin::Def(g) | crate::model::Origin::BuildArg(g) => Some(g),
                        _ => None,
                    })
                    .flatten();
                DefInfo {
                    name: d.name.clone(),
                    kind: d.kind,
                    entry: d.entry,
                    span: (u32::from(d.range.start()), u32::from(end)),
                    inherits,
                }
            })
            .collect();
        self.out.uses = model
            .var_uses
            .iter()
            .filter(|u| matches!(u.context, UseContext::Builder | UseContext::From))
            .map(|u| UseInfo {
                entry: u.entry,
                def: u.def,
                name: u.name.clone(),
                at: u32::from(u.full_range.start()),
                context: u.context,
            })
            .collect();
        self.out.shell_uses = model
            .var_uses
            .iter()
            .filter(|u| u.context == UseContext::Shell)
            .map(|u| (u.entry, u.name.clone()))
            .collect();
    }

    fn new_node(&mut self, node: Node) -> NodeId {
        self.out.nodes.push(node);
        self.out.nodes.len() - 1
    }

    fn new_step(&mut self, spec: &StepSpec, stage: usize, node: NodeId) -> StepId {
        let entry = self
            .parse
            .entry(spec.entry)
            .expect("entry indices come from the parse");
        let volatile = self.out.nodes[node].volatile.clone();
        self.out.steps.push(Step {
            entry: spec.entry,
            origin: spec.origin,
            trigger: spec.trigger,
            stage,
            keyword: spec.keyword,
            line: entry.line,
            end_line: entry.last_line(),
            range: entry.range(),
            link: false,
            volatile,
            node,
            copy_node: None,
        });
        let id = self.out.steps.len() - 1;
        self.out.nodes[node].step = Some(id);
        id
    }

    fn bare_node(
        &mut self,
        kind: NodeKind,
        stage: usize,
        entry: usize,
        parts: &[(Part, u64)],
    ) -> Node {
        let start = self.out.parts.len() as u32;
        self.out.parts.extend_from_slice(parts);
        Node {
            kind,
            step: None,
            stage,
            entry,
            fp: combine(parts),
            parts: (start, self.out.parts.len() as u32),
            detail: 0,
            hard: Hard::default(),
            content: Vec::new(),
            volatile: None,
            env: None,
            declared: None,
            user_from: None,
            shell_from: None,
            cwd_from: None,
            default_cache: false,
        }
    }

    fn stage(&mut self, s: usize) {
        let model = self.model;
        let stage = &model.stages[s];
        let platform = match &stage.platform {
            Some((raw, expanded)) => expanded.clone().unwrap_or_else(|| raw.to_string()),
            None => match stage.base {
                Base::Stage(p) => self.platforms[p].clone(),
                _ => self
                    .options
                    .build
                    .platform
                    .clone()
                    .unwrap_or_else(|| "linux/amd64".to_string()),
            },
        };
        self.platforms.push(platform.clone());
        let platform_hash = Fp::new("platform").str(&platform).finish();

        // The chain root.
        let (root, mut state) = match &stage.base {
            Base::Image(reference) => {
                let parts = [
                    (Part::Image, Fp::new("image").str(reference).finish()),
                    (Part::Platform, platform_hash),
                ];
                let node = self.bare_node(NodeKind::Image, s, stage.from_entry, &parts);
                let id = self.new_node(node);
                self.new_step(
                    &StepSpec {
                        entry: stage.from_entry,
                        origin: stage.from_entry,
                        trigger: false,
                        keyword: Keyword::From,
                    },
                    s,
                    id,
                );
                (id, self.initial_state(stage.from_entry))
            }
            Base::Stage(p) => {
                let parent_last = self.out.stages[*p].last;
                let parts = [(Part::Base, Fp::new("stage").finish())];
                let mut node = self.bare_node(NodeKind::Root, s, stage.from_entry, &parts);
                node.hard.push(parent_last);
                (self.new_node(node), self.ends[*p].clone())
            }
            Base::Scratch => {
                let parts = [(Part::Base, Fp::new("scratch").finish())];
                let node = self.bare_node(NodeKind::Root, s, stage.from_entry, &parts);
                (self.new_node(node), self.initial_state(stage.from_entry))
            }
            Base::Unresolved(_) => {
                let parts = [(
                    Part::Base,
                    Fp::new("unresolved").str(&stage.base_text).finish(),
                )];
                let node = self.bare_node(NodeKind::Root, s, stage.from_entry, &parts);
                (self.new_node(node), self.initial_state(stage.from_entry))
            }
        };
        self.out.stages.push(StageInfo {
            index: s,
            name: stage.name.clone(),
            reachable: model.reachable.get(s).copied().unwrap_or(false),
            from_entry: stage.from_entry,
            image: match &stage.base {
                Base::Image(r) => Some(r.clone()),
                _ => None,
            },
            parent: match stage.base {
                Base::Stage(p) => Some(p),
                _ => None,
            },
            root,
            last: root,
        });
        let mut last = root;

        // ONBUILD triggers of a same-file parent run first, each in the state the previous
        // one left (the model does not record those states, so they are replayed here).
        if let Base::Stage(p) = stage.base {
            let parent = &model.stages[p];
            for i in parent.from_entry + 1..parent.end_entry {
                let Some(entry) = self.parse.entry(i) else {
                    continue;
                };
                let cmd = &entry.inst.command;
                let (Keyword::Onbuild, Some(trigger)) = (cmd.kind, &cmd.trigger) else {
                    continue;
                };
                let spec = StepSpec {
                    entry: stage.from_entry,
                    origin: i,
                    trigger: true,
                    keyword: trigger.kind,
                };
                last = self.instruction(s, &spec, trigger, &[], &state, last, platform_hash);
                let ctx = self.ctx();
                state::apply(&ctx, &mut state, i, trigger);
            }
        }

        for i in stage.from_entry + 1..stage.end_entry {
            let Some(entry) = self.parse.entry(i) else {
                continue;
            };
            // The model's state is authoritative for the file's own instructions.
            if let Some(info) = model.entries.get(i) {
                state.env = info.env.clone();
                state.env_replayed = false;
                state.declared = info.declared_args.clone();
                state.user = info.user.clone();
                state.shell = info.shell.clone();
            }
            let spec = StepSpec {
                entry: i,
                origin: i,
                trigger: false,
                keyword: entry.inst.command.kind,
            };
            let cmd = &entry.inst.command;
            last = self.instruction(
                s,
                &spec,
                cmd,
                &entry.inst.heredocs,
                &state,
                last,
                platform_hash,
            );
            // The model gives the next instruction's environment; only the state it does not
            // track (setters, the LLB working directory) and the stage's end state are ours.
            let setter = matches!(cmd.kind, Keyword::User | Keyword::Workdir | Keyword::Shell);
            if setter || i + 1 == stage.end_entry {
                let ctx = self.ctx();
                state::apply(&ctx, &mut state, i, cmd);
            }
        }
        self.out.stages[s].last = last;
        self.ends.push(state);
    }

    /// The state at the start of a stage that is not based on another stage.
    fn initial_state(&self, from_entry: usize) -> State {
        let mut state = State::default();
        // The model seeds BuildKit's default PATH (an image's own ENV is unknown, and the
        // same in both versions of any comparison).
        if let Some(info) = self.model.entries.get(from_entry + 1) {
            if info.stage == self.model.entries.get(from_entry).and_then(|e| e.stage) {
                state.env = info.env.clone();
                return state;
            }
        }
        state.env.set(
            "PATH",
            "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            crate::model::Origin::DefaultPath,
        );
        state
    }

    /// Emits the node(s) of one instruction or trigger; returns the new chain tip.
    #[allow(clippy::too_many_arguments)]
    fn instruction(
        &mut self,
        s: usize,
        spec: &StepSpec,
        cmd: &Command,
        heredocs: &[Heredoc],
        state: &State,
        last: NodeId,
        platform: u64,
    ) -> NodeId {
        match cmd.kind {
            Keyword::Run => {
                let mut node = self.run_node(s, spec.origin, cmd, heredocs, state, platform);
                node.hard.push(last);
                let id = self.new_node(node);
                self.new_step(spec, s, id);
                id
            }
            Keyword::Copy | Keyword::Add => self.copy_step(s, spec, cmd, heredocs, state, last),
            Keyword::Workdir => {
                let Some(node) = cmd.nodes.first() else {
                    return last;
                };
                let path = self.ctx().expand(&node.value, &state.env);
                let wd = state::workdir(state.cwd.as_deref(), &path);
                if wd == "/" {
                    return last;
                }
                let relative = !path.starts_with('/');
                let mut parts = vec![
                    (
                        Part::Path,
                        Fp::new("mkdir")
                            .str(&state::llb_normalize(&wd, false))
                            .finish(),
                    ),
                    (
                        Part::Owner,
                        Fp::new("owner").opt(state.user.as_deref()).finish(),
                    ),
                ];
                if let Some(epoch) = &self.epoch {
                    parts.push((Part::Epoch, Fp::new("epoch").str(epoch).finish()));
                }
                let mut node = self.bare_node(NodeKind::Workdir, s, spec.origin, &parts);
                node.hard.push(last);
                node.user_from = state.user_from;
                if relative {
                    node.cwd_from = Some(state.cwd_from.clone());
                }
                let id = self.new_node(node);
                self.new_step(spec, s, id);
                id
            }
            _ => last,
        }
    }

    fn run_node(
        &mut self,
        s: usize,
        origin: usize,
        cmd: &Command,
        heredocs: &[Heredoc],
        state: &State,
        platform: u64,
    ) -> Node {
        let mut command = Fp::new("argv");
        // Tells a heredoc body change from a command line change (not part of the key).
        let mut detail = Fp::new("line");
        let shell_form = !cmd.json;
        if cmd.json {
            let argv: Vec<&str> = cmd.nodes.iter().map(|n| n.value.as_str()).collect();
            command.strs(&argv);
            detail.strs(&argv);
        } else {
            let line = cmd.nodes.first().map_or("", |n| n.value.as_str());
            if !heredocs.is_empty() {
                detail.str(line);
            }
            match (heredocs.first(), self.single_heredoc(line)) {
                (Some(h), true) => {
                    let data = if h.chomp {
                        chomp(&h.content)
                    } else {
                        h.content.clone()
                    };
                    if data.starts_with("#!") {
                        // Written to a file (an extra mkfile op, keyed by its bytes) and run.
                        command
                            .str("mkfile")
                            .str(&h.name)
                            .str(&data)
                            .strs(&[state::join("/dev/pipes/", &h.name)]);
                    } else {
                        command.strs(&[data]);
                    }
                }
                (Some(_), false) => {
                    let mut full = line.to_string();
                    for h in heredocs {
                        full.push('\n');
                        full.push_str(&h.content);
                        full.push_str(&h.name);
                    }
                    command.strs(&[full]);
                }
                (None, _) => {
                    command.strs(&[line]);
                }
            }
        }
        let shell = if shell_form {
            match &state.shell {
                Some(sh) => Fp::new("shell").strs(sh).finish(),
                None => Fp::new("shell").str(IMAGE_DEFAULT).finish(),
            }
        } else {
            Fp::new("exec").finish()
        };
        let env = self.env_hash(&state.env, state.env_replayed);

        // Mounts, sorted by destination as the LLB exec op keeps them.
        let mut mounts: Vec<(String, u64)> = Vec::new();
        let mut content = Vec::new();
        let mut default_cache = false;
        for flag in cmd.flags.iter().filter(|f| f.name == "mount") {
            let Some(value) = &flag.value else { continue };
            let mount = Mount::parse(value);
            let (dest, hash, edge, default_form) = self.mount_key(s, &mount, state);
            mounts.push((dest, hash));
            content.extend(edge);
            default_cache |= default_form;
        }
        mounts.sort();
        let mut mounts_fp = Fp::new("mounts");
        for (dest, hash) in &mounts {
            mounts_fp.str(dest).u64(*hash);
        }
        let mut options = Fp::new("options");
        for flag in &cmd.flags {
            if flag.name != "mount" {
                options.str(&flag.name).opt(flag.value.as_deref());
            }
        }
        options.opt(self.hostname.as_deref());
        let parts = [
            (Part::Command, command.finish()),
            (Part::Shell, shell),
            (Part::Env, env),
            (
                Part::Workdir,
                Fp::new("cwd").opt(state.cwd.as_deref()).finish(),
            ),
            (
                Part::User,
                Fp::new("user").opt(state.user.as_deref()).finish(),
            ),
            (Part::Mounts, mounts_fp.finish()),
            (Part::Options, options.finish()),
            (Part::Platform, platform),
        ];
        let mut node = self.bare_node(NodeKind::Run, s, origin, &parts);
        node.detail = if heredocs.is_empty() {
            parts[0].1
        } else {
            detail.finish()
        };
        node.content = content;
        node.env = Some(state.env.clone());
        node.declared = Some(state.declared.clone());
        node.user_from = state.user_from;
        node.shell_from = if shell_form { state.shell_from } else { None };
        node.cwd_from = Some(state.cwd_from.clone());
        node.default_cache = default_cache;
        node
    }

    /// The hash of an ordered environment. The model shares one list between instructions
    /// until an ENV or ARG changes it, so the last result is reused by identity.
    fn env_hash(&self, env: &EnvList, replayed: bool) -> u64 {
        let vars = env.vars();
        let id = (vars.as_ptr() as usize, vars.len());
        let (ptr, len, hash) = self.env_cache.get();
        if (ptr, len) == id {
            return hash;
        }
        let mut memo = self.var_hashes.borrow_mut();
        let mut fp = Fp::new("env");
        for v in vars {
            let def = match v.origin {
                crate::model::Origin::Def(d) | crate::model::Origin::BuildArg(d) => {
                    Some(d as usize)
                }
                _ => None,
            };
            let known = def
                .and_then(|d| memo.get(d))
                .and_then(Option::as_ref)
                .filter(|(value, _)| !replayed || *value == v.value)
                .map(|(_, h)| *h);
            let h = known.unwrap_or_else(|| {
                let h = Fp::new("var").str(&v.name).str(&v.value).finish();
                // Only the model's own values are remembered, so an unchecked lookup above
                // never sees a replayed value.
                if !replayed {
                    if let Some(slot) = def.and_then(|d| memo.get_mut(d)) {
                        *slot = Some((v.value.clone(), h));
                    }
                }
                h
            });
            fp.u64(h);
        }
        let hash = fp.finish();
        self.env_cache.set((id.0, id.1, hash));
        hash
    }

    /// `MustParseHeredoc(cmd) != nil`: the whole command is one heredoc opener, so the body
    /// alone becomes the command (`^(\d*)<<(-?)\s*([^<]*)$` with a one-word delimiter).
    fn single_heredoc(&self, line: &str) -> bool {
        let digits = line.bytes().take_while(u8::is_ascii_digit).count();
        let Some(after) = line[digits..].strip_prefix("<<") else {
            return false;
        };
        let after = after.strip_prefix('-').unwrap_or(after);
        let rest = after.trim_start_matches(['\t', '\n', '\x0c', '\r', ' ']);
        if rest.is_empty() || rest.contains('<') {
            return false;
        }
        let mut lexer = Lexer::new('\\');
        lexer.skip_unset_env = true;
        let empty: BTreeMap<String, String> = BTreeMap::new();
        matches!(lexer.process_words(rest, &MapEnv(&empty)), Ok(w) if w.len() == 1)
    }

    /// One `--mount`: its sort key (destination), its hash, its content edge, and whether it
    /// is a cache mount in default form.
    fn mount_key(
        &self,
        s: usize,
        mount: &Mount,
        state: &State,
    ) -> (String, u64, Option<Content>, bool) {
        let ctx = self.ctx();
        let get = |key: &str| -> Option<String> {
            mount
                .get(key)
                .and_then(|f| f.value.as_ref())
                .map(|v| ctx.expand(v, &state.env))
        };
        let kind = mount.kind();
        let mut fp = Fp::new("mount");
        fp.str(&kind);
        // roAuto: bind (and secret/ssh) mounts default to read-only, cache/tmpfs to rw.
        let mut readonly = !matches!(kind.as_str(), "cache" | "tmpfs");
        for field in &mount.fields {
            match (field.canonical_key(), &field.value) {
                ("readonly", None) => readonly = true,
                ("readwrite", None) => readonly = false,
                ("readonly", Some(v)) => readonly = parse_bool(&ctx.expand(v, &state.env)),
                ("readwrite", Some(v)) => readonly = !parse_bool(&ctx.expand(v, &state.env)),
                _ => {}
            }
        }
        let target = get("target").unwrap_or_default();
        let source = get("source").unwrap_or_default();
        let required = mount.get("required").is_some_and(|f| {
            f.value
                .as_ref()
                .is_none_or(|v| parse_bool(&ctx.expand(v, &state.env)))
        });
        let (uid, gid, mode) = (get("uid"), get("gid"), get("mode"));
        match kind.as_str() {
            "secret" => {
                let id = get("id");
                let id = if !source.is_empty() {
                    source.clone()
                } else {
                    id.filter(|i| !i.is_empty())
                        .unwrap_or_else(|| base_name(&target))
                };
                let env = get("env");
                let dest = if env.is_none() && target.is_empty() {
                    format!("/run/secrets/{}", base_name(&id))
                } else {
                    target.clone()
                };
                fp.str(&id).str(&dest).opt(env.as_deref()).bool(required);
                if uid.is_some() || gid.is_some() || mode.is_some() {
                    fp.opt(uid.as_deref())
                        .opt(gid.as_deref())
                        .str(mode.as_deref().unwrap_or("0400"));
                }
                (dest, fp.finish(), None, false)
            }
            "ssh" => {
                let id = get("id").unwrap_or_default();
                fp.str(&id).str(&target).bool(required);
                if uid.is_some() || gid.is_some() || mode.is_some() {
                    fp.opt(uid.as_deref())
                        .opt(gid.as_deref())
                        .str(mode.as_deref().unwrap_or("0600"));
                }
                (target, fp.finish(), None, false)
            }
            _ => {
                let cleaned = state::clean(&target);
                let dest = if cleaned.starts_with('/') {
                    target.clone()
                } else {
                    state::join(
                        "/",
                        &state::join(state.cwd.as_deref().unwrap_or(IMAGE_DEFAULT), &target),
                    )
                };
                fp.str(&dest).bool(readonly);
                if kind == "tmpfs" {
                    fp.opt(get("size").as_deref());
                    return (dest, fp.finish(), None, false);
                }
                let selector = state::join("/", &source);
                fp.str(&selector);
                let mut default_form = false;
                if kind == "cache" {
                    // The cache-id rule (exec.go checkShouldClearCacheOpts): id and sharing are
                    // in the key only for a mount in default form.
                    let id = get("id")
                        .filter(|i| !i.is_empty())
                        .unwrap_or_else(|| cleaned.clone());
                    let sharing = get("sharing").map(|v| v.to_lowercase()).unwrap_or_default();
                    let shared = sharing.is_empty() || sharing == "shared";
                    let full_id = format!("{}/{}", self.cache_ns, id);
                    let trimmed = full_id.split_once('/').map(|(_, t)| t);
                    default_form = shared && (full_id == dest || trimmed == Some(dest.as_str()));
                    if default_form {
                        fp.str("id").str(&full_id);
                    }
                    if selector == "/" && (uid.is_some() || gid.is_some() || mode.is_some()) {
                        fp.str("mkdir")
                            .str(uid.as_deref().unwrap_or("0"))
                            .str(gid.as_deref().unwrap_or("0"))
                            .str(mode.as_deref().unwrap_or("755"));
                    }
                }
                let from = mount.get("from").and_then(|f| f.value.clone());
                let edge = match from {
                    Some(from) if !from.is_empty() => {
                        fp.str("from");
                        Some(self.source_edge(s, &from, false))
                    }
                    _ if kind == "cache" => {
                        fp.str("scratch");
                        None
                    }
                    _ => {
                        fp.str("context");
                        Some(Content::Context {
                            sources: vec![if source.is_empty() {
                                "/".to_string()
                            } else {
                                source.clone()
                            }],
                            excludes: Vec::new(),
                            parents: false,
                            mount: true,
                        })
                    }
                };
                (dest, fp.finish(), edge, default_form)
            }
        }
    }

    /// The content edge of `COPY --from=X` / `--mount from=X`: a stage defined earlier, or
    /// else an image. COPY also takes a stage index (`toCommand`); a mount resolves by name
    /// only, so a number there is an image (`detectRunMount`).
    fn source_edge(&self, s: usize, from: &str, by_index: bool) -> Content {
        let stage = match from.parse::<usize>() {
            Ok(n) if by_index => (n < self.model.stages.len()).then_some(n),
            _ => self.model.stage_by_name(from).map(|st| st.index),
        };
        match stage {
            // BuildKit rejects a stage that is not built before this one.
            Some(t) if t < s => Content::Stage {
                stage: t,
                node: self.out.stages[t].last,
            },
            Some(_) => Content::Image {
                reference: format!("\u{0}stage:{from}"),
            },
            None => Content::Image {
                reference: from.to_string(),
            },
        }
    }

    fn copy_step(
        &mut self,
        s: usize,
        spec: &StepSpec,
        cmd: &Command,
        heredocs: &[Heredoc],
        state: &State,
        last: NodeId,
    ) -> NodeId {
        let is_add = cmd.kind == Keyword::Add;
        let ctx = self.ctx();
        let flag = |name: &str| cmd.flags.iter().rev().find(|f| f.name == name);
        let flag_value = |name: &str| {
            flag(name)
                .and_then(|f| f.value.as_deref())
                .map(|v| ctx.expand(v, &state.env))
        };
        let bool_flag = |name: &str| flag(name).map(|f| f.value.as_deref().is_none_or(parse_bool));
        let chown = flag_value("chown").unwrap_or_default();
        let chmod = flag_value("chmod").unwrap_or_default();
        let checksum = if is_add {
            flag_value("checksum").unwrap_or_default()
        } else {
            String::new()
        };
        let excludes: Vec<String> = cmd
            .flags
            .iter()
            .filter(|f| f.name == "exclude")
            .filter_map(|f| f.value.as_ref().map(|v| v.to_string()))
            .collect();
        let parents = !is_add && bool_flag("parents").unwrap_or(false);
        let link = bool_flag("link").unwrap_or(false);
        let keep_git_dir = bool_flag("keep-git-dir");
        let unpack = bool_flag("unpack");
        let from = if is_add {
            None
        } else {
            flag("from").and_then(|f| f.value.clone())
        };

        let mut sources = Fp::new("sources");
        let mut content = Vec::new();
        let mut local = Vec::new();
        let mut volatile = None;
        let n = cmd.nodes.len();
        let (srcs, dest) = match n {
            0 => (&cmd.nodes[..], None),
            _ => (&cmd.nodes[..n - 1], cmd.nodes.last()),
        };
        for node in srcs {
            let heredoc = heredocs
                .iter()
                .rev()
                .find(|h| node.range.is_some_and(|r| r.contains_range(h.range)));
            if let Some(h) = heredoc {
                let mut data = if h.chomp {
                    chomp(&h.content)
                } else {
                    h.content.clone()
                };
                if h.expand {
                    let mut lexer = Lexer::new('\\');
                    lexer.skip_process_quotes = true;
                    if let Ok(p) = lexer.process_word(&data, &state.env) {
                        data = p.value;
                    }
                }
                sources.str("heredoc").str(&h.name).str(&data);
                continue;
            }
            let src = ctx.expand(&node.value, &state.env);
            if is_add && is_git(&src) {
                sources
                    .str("git")
                    .str(&src)
                    .opt(keep_git_dir.map(|b| if b { "1" } else { "0" }));
                if checksum.is_empty() && !git_pinned(&src) {
                    volatile = Some(src.clone());
                }
            } else if is_add && (src.starts_with("http://") || src.starts_with("https://")) {
                sources.str("http").str(&src);
                if checksum.is_empty() {
                    volatile = Some(src.clone());
                }
            } else {
                sources
                    .str("local")
                    .str(&state::normalize_path("/", &src, false));
                local.push(src);
            }
        }
        if !local.is_empty() {
            match &from {
                Some(from) if !from.is_empty() => content.push(self.source_edge(s, from, true)),
                _ => content.push(Content::Context {
                    sources: local,
                    excludes: excludes.clone(),
                    parents,
                    mount: false,
                }),
            }
        }
        if from.as_ref().is_some_and(|f| !f.is_empty()) {
            sources.str("from");
        }
        let (dest, relative) = match dest {
            Some(d) => state::copy_dest(state.cwd.as_deref(), &ctx.expand(&d.value, &state.env)),
            None => (String::new(), false),
        };
        let merge = link && chmod.is_empty();
        let mut flags = Fp::new("flags");
        flags
            .bool(is_add)
            .str(&chown)
            .str(&chmod)
            .strs(&excludes)
            .bool(parents)
            .bool(merge)
            .str(&checksum)
            .opt(unpack.map(|b| if b { "1" } else { "0" }));
        let parts = [
            (Part::Sources, sources.finish()),
            (Part::Dest, Fp::new("dest").str(&dest).finish()),
            (Part::Flags, flags.finish()),
        ];
        let mut node = self.bare_node(NodeKind::Copy, s, spec.origin, &parts);
        node.content = content;
        node.volatile = volatile;
        if relative {
            node.cwd_from = Some(state.cwd_from.clone());
        }
        if merge {
            // The copy runs on scratch (no chain parent); the merge joins it to the stage.
            let copy = self.new_node(node);
            let parts = [(Part::Merge, Fp::new("merge").finish())];
            let mut merge_node = self.bare_node(NodeKind::Merge, s, spec.origin, &parts);
            merge_node.hard.push(last);
            merge_node.hard.push(copy);
            let id = self.new_node(merge_node);
            let step = self.new_step(spec, s, id);
            self.out.nodes[copy].step = Some(step);
            let st = &mut self.out.steps[step];
            st.link = true;
            st.copy_node = Some(copy);
            st.volatile = self.out.nodes[copy].volatile.clone();
            id
        } else {
            node.hard.push(last);
            let id = self.new_node(node);
            self.new_step(spec, s, id);
            id
        }
    }
}

/// An empty environment for lexing heredoc delimiters.
struct MapEnv<'a>(&'a BTreeMap<String, String>);

impl crate::syntax::shell::Env for MapEnv<'_> {
    fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }
}

/// `parser.ChompHeredocContent`: leading tabs of every line removed.
fn chomp(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for line in s.split_inclusive('\n') {
        out.push_str(line.trim_start_matches('\t'));
    }
    out
}

/// Go's `strconv.ParseBool` (an invalid value fails the build; treat it as true).
fn parse_bool(v: &str) -> bool {
    !matches!(v, "0" | "f" | "F" | "false" | "FALSE" | "False")
}

fn base_name(p: &str) -> String {
    let trimmed = p.trim_end_matches('/');
    if trimmed.is_empty() {
        return if p.is_empty() { ".".into() } else { "/".into() };
    }
    trimmed.rsplit('/').next().unwrap_or(trimmed).to_string()
}

/// `dfgitutil.ParseGitRef` succeeds: a git URL rather than a file or an HTTP download.
pub(crate) fn is_git(src: &str) -> bool {
    if src.starts_with("./") || src.starts_with("../") {
        return false;
    }
    if src.starts_with("git://") || src.starts_with("git@") || src.starts_with("ssh://") {
        return true;
    }
    for scheme in ["https://", "http://"] {
        if let Some(rest) = src.strip_prefix(scheme) {
            let path = rest.split(['#', '?']).next().unwrap_or(rest);
            return path.ends_with(".git");
        }
    }
    false
}

/// A git source pinned to a commit: `#<sha>`, `?ref=<sha>`, `?checksum=…` / `?commit=…`.
fn git_pinned(src: &str) -> bool {
    let is_sha =
        |s: &str| (s.len() == 40 || s.len() == 64) && s.bytes().all(|b| b.is_ascii_hexdigit());
    if let Some((_, fragment)) = src.split_once('#') {
        let reference = fragment.split(':').next().unwrap_or(fragment);
        if is_sha(reference) {
            return true;
        }
    }
    if let Some((_, query)) = src.split_once('?') {
        let query = query.split('#').next().unwrap_or(query);
        for pair in query.split('&') {
            match pair.split_once('=') {
                Some(("checksum" | "commit", v)) if !v.is_empty() => return true,
                Some(("ref", v)) if is_sha(v) => return true,
                _ => {}
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn git_sources() {
        assert!(is_git("https://github.com/moby/buildkit.git#v0.13"));
        assert!(is_git("git@github.com:moby/buildkit.git"));
        assert!(!is_git("https://example.com/tool.tar.gz"));
        assert!(!is_git("./x.git"));
        assert!(git_pinned(
            "https://github.com/a/b.git#0123456789abcdef0123456789abcdef01234567"
        ));
        assert!(git_pinned(
            "https://github.com/a/b.git?ref=main&checksum=abc"
        ));
        assert!(!git_pinned("https://github.com/a/b.git#main"));
    }

    #[test]
    fn chomp_removes_leading_tabs() {
        assert_eq!(chomp("\t\ta\n\tb\n c\n"), "a\nb\n c\n");
    }
}
