//! Builds a [`Model`] from a parse, in BuildKit's order: split stages, evaluate the global
//! scope (`defaultArgs` + `buildMetaArgs`), resolve each FROM against earlier stages, then
//! walk each stage's instructions keeping the state `dispatch` keeps.

use std::collections::HashMap;
use std::sync::Arc;

use smol_str::SmolStr;

use super::{
    Base, DefKind, EntryInfo, EnvList, Frontend, ImageConfig, Model, Mount, Options, Origin, Stage,
    StageRef, StageRefKind, UseContext, VarDef, VarUse,
};
use crate::syntax::shell::{Lexer, RefMode, var_refs};
use crate::syntax::{Command, Entry, Instruction, Keyword, Parse, TextRange, TextSize};

/// Build args BuildKit never puts in the environment.
const NON_ENV_ARGS: [&str; 2] = ["BUILDKIT_SBOM_SCAN_CONTEXT", "BUILDKIT_SBOM_SCAN_STAGE"];

/// Proxy args are usable without an ARG (BuildKit passes them to RUN out of band, outside
/// the cache key unless an ARG declares them).
pub(crate) const PROXY_ARGS: [&str; 10] = [
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "FTP_PROXY",
    "ftp_proxy",
    "NO_PROXY",
    "no_proxy",
    "ALL_PROXY",
    "all_proxy",
];

/// The default `PATH` BuildKit adds to Linux images that have none.
const DEFAULT_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// Where a value's text sits, so that references inside it get source ranges.
#[derive(Clone, Copy)]
enum Span {
    /// A slice of the instruction's logical line (relative range).
    Logical(TextRange),
    /// Exactly this absolute source range.
    Source(TextRange),
    /// Somewhere in this absolute range (quotes or escapes make offsets inexact).
    Approx(TextRange),
}

/// Everything `dispatch` tracks for a stage.
#[derive(Debug, Clone, Default)]
struct State {
    env: EnvList,
    runtime_env: EnvList,
    declared: Arc<Vec<(SmolStr, u32)>>,
    workdir: Option<Arc<str>>,
    workdir_set: bool,
    user: Option<SmolStr>,
    shell: Option<Arc<[String]>>,
    config: ImageConfig,
    base_env_unknown: bool,
    /// A CMD was set in this stage (ENTRYPOINT then keeps it).
    cmd_set: bool,
}

/// Analyses `parse`, reusing the stage evaluations of `previous` (the analysis of an earlier
/// version of the file) whose inputs did not change.
pub(super) fn analyze(parse: &Parse, options: &Options, previous: Option<&Model>) -> Model {
    let previous = previous
        .filter(|p| p.cache.options == *options && p.cache.escape == parse.escape())
        .map(|p| {
            p.cache
                .results
                .iter()
                .map(|r| (r.key.entries[0].0, Arc::clone(r)))
                .collect()
        })
        .unwrap_or_default();
    let mut b = Builder {
        parse,
        options,
        lexer: Lexer::new(parse.escape()),
        results: Vec::new(),
        previous,
        union_log: Vec::new(),
        first_arg: std::collections::HashMap::new(),
        model: Model {
            frontend: parse
                .directive("syntax")
                .map_or_else(Frontend::default, |d| Frontend::from_syntax(&d.value)),
            stages: Vec::new(),
            meta_args: Vec::new(),
            orphans: Vec::new(),
            // Filled in order: the instructions before the first FROM, then each stage's
            // (a default-filled vector would be written twice and read once more to drop).
            entries: Vec::with_capacity(parse.entry_count()),
            global_env: EnvList::default(),
            global_defaults: EnvList::default(),
            var_defs: Vec::with_capacity(parse.entry_count()),
            var_uses: Vec::with_capacity(parse.entry_count()),
            stage_refs: Vec::new(),
            target: None,
            target_missing: None,
            reachable: Vec::new(),
            groups: Vec::with_capacity(parse.entry_count()),
            cache: Arc::default(),
        },
    };
    b.split_stages();
    let first_from = b
        .model
        .stages
        .first()
        .map_or(parse.entry_count(), |s| s.from_entry);
    b.model.entries.resize_with(first_from, EntryInfo::default);
    b.global_scope();
    for index in 0..b.model.stages.len() {
        b.stage(index);
    }
    b.model
        .entries
        .resize_with(parse.entry_count(), EntryInfo::default);
    b.resolve_stage_refs();
    b.reachability();
    b.model.cache = Arc::new(ModelCache {
        options: options.clone(),
        escape: parse.escape(),
        results: b.results,
    });
    b.model
}

/// What the next analysis may reuse.
#[derive(Debug, Default)]
pub(super) struct ModelCache {
    options: Options,
    escape: char,
    results: Vec<Arc<StageResult>>,
}

impl ModelCache {
    /// The evaluation of stage `index`.
    pub(super) fn stage(&self, index: usize) -> Option<&Arc<StageResult>> {
        self.results.get(index)
    }
}

/// Everything a stage's evaluation depends on. Equal keys give equal evaluations, up to
/// moving positions and entry indices.
#[derive(Debug, PartialEq)]
struct StageKey {
    /// Each instruction (by address: the parser reuses untouched ones) and its offset from
    /// the stage's FROM.
    entries: Vec<(usize, TextSize)>,
    /// The id of the stage's first definition (ids are embedded in values' origins).
    def_base: u32,
    global: EnvList,
    base: BaseKey,
}

#[derive(Debug, PartialEq)]
enum BaseKey {
    Other(Base),
    /// A parent stage, by the address of its evaluation.
    Stage(usize),
}

/// One stage's evaluation, with the positions it had when evaluated.
#[derive(Debug)]
pub(super) struct StageResult {
    key: StageKey,
    offset: TextSize,
    from_entry: usize,
    defs: Vec<VarDef>,
    uses: Vec<VarUse>,
    refs: Vec<StageRef>,
    entries: Vec<EntryInfo>,
    unions: Vec<(u32, u32)>,
    stage: Stage,
    final_state: State,
}

struct Builder<'a> {
    parse: &'a Parse,
    options: &'a Options,
    lexer: Lexer,
    /// Each stage's evaluation (its end state feeds `FROM <stage>` children).
    results: Vec<Arc<StageResult>>,
    /// Evaluations of the previous analysis, by the address of their FROM instruction.
    previous: HashMap<usize, Arc<StageResult>>,
    /// Every union made, so a reused stage can replay its own.
    union_log: Vec<(u32, u32)>,
    /// The first ARG definition of each name (all ARGs of a name are one build argument).
    first_arg: std::collections::HashMap<SmolStr, u32>,
    model: Model,
}

fn platform_parts(platform: &str) -> (String, String, String) {
    let mut parts = platform.split('/');
    let os = parts.next().unwrap_or("linux").to_string();
    let arch = parts.next().unwrap_or("amd64").to_string();
    let variant = parts.next().unwrap_or_default().to_string();
    (os, arch, variant)
}

/// Joins a WORKDIR path onto the current one and cleans it, like BuildKit does for Linux.
fn join_workdir(current: Option<&str>, path: &str) -> String {
    let joined = if path.starts_with('/') {
        path.to_string()
    } else {
        format!("{}/{}", current.unwrap_or("/"), path)
    };
    let mut parts: Vec<&str> = Vec::new();
    for part in joined.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    format!("/{}", parts.join("/"))
}

impl<'a> Builder<'a> {
    /// An entry of the parse; not tied to `&self`, so the builder can be mutated meanwhile.
    fn entry(&self, index: usize) -> Entry<'a> {
        let parse: &'a Parse = self.parse;
        parse
            .entry(index)
            .expect("entry indices come from the parse")
    }

    fn split_stages(&mut self) {
        for (i, entry) in self.parse.entries().enumerate() {
            let cmd = &entry.inst.command;
            if cmd.kind == Keyword::From {
                let index = self.model.stages.len();
                let base = cmd.nodes.first();
                let named = cmd.nodes.len() == 3 && cmd.nodes[1].value.eq_ignore_ascii_case("as");
                let name_node = named.then(|| &cmd.nodes[2]);
                self.model.stages.push(Stage {
                    index,
                    name: name_node.map(|n| SmolStr::new(n.value.to_lowercase())),
                    name_range: name_node.and_then(|n| n.range).map(|r| entry.abs(r)),
                    from_entry: i,
                    end_entry: i + 1,
                    base_text: base.map(|n| n.value.clone()).unwrap_or_default(),
                    base_range: base.and_then(|n| n.range).map(|r| entry.abs(r)),
                    base: Base::Unresolved("FROM requires either one or three arguments".into()),
                    platform: cmd
                        .flag("platform")
                        .map(|f| (f.value.clone().unwrap_or_default(), None)),
                    config: Arc::default(),
                    declared_args: Arc::default(),
                    base_env_unknown: false,
                    deps: Vec::new(),
                });
            } else if let Some(stage) = self.model.stages.last_mut() {
                stage.end_entry = i + 1;
            } else if cmd.kind == Keyword::Arg {
                self.model.meta_args.push(i);
            } else {
                self.model.orphans.push(i);
            }
        }
    }

    /// BuildKit's `defaultArgs` then `buildMetaArgs`, once with `--build-arg` values and once
    /// with defaults only.
    fn global_scope(&mut self) {
        let (os, arch, variant) =
            platform_parts(self.options.platform.as_deref().unwrap_or("linux/amd64"));
        let formatted = if variant.is_empty() {
            format!("{os}/{arch}")
        } else {
            format!("{os}/{arch}/{variant}")
        };
        let target = match &self.options.target {
            Some(t) if !t.is_empty() => t.clone(),
            _ => self
                .model
                .stages
                .last()
                .and_then(|s| s.name.clone())
                .map_or_else(|| "default".to_string(), |n| n.to_string()),
        };
        let predefined = [
            ("BUILDPLATFORM", formatted.as_str()),
            ("BUILDOS", os.as_str()),
            ("BUILDOSVERSION", ""),
            ("BUILDARCH", arch.as_str()),
            ("BUILDVARIANT", variant.as_str()),
            ("TARGETPLATFORM", formatted.as_str()),
            ("TARGETOS", os.as_str()),
            ("TARGETOSVERSION", ""),
            ("TARGETARCH", arch.as_str()),
            ("TARGETVARIANT", variant.as_str()),
            ("TARGETSTAGE", target.as_str()),
        ];
        let mut env = EnvList::default();
        let mut defaults = EnvList::default();
        for (name, value) in predefined {
            let given = self
                .options
                .build_args
                .get(name)
                .map_or(value, String::as_str);
            env.set(name, given, Origin::Predefined);
            defaults.set(name, value, Origin::Predefined);
        }
        for &i in &self.model.meta_args.clone() {
            let entry = self.entry(i);
            for node in &entry.inst.command.nodes {
                let Some(ArgWord {
                    key,
                    default,
                    key_range,
                    value_range,
                }) = split_arg(entry, node)
                else {
                    continue;
                };
                let def = self.model.var_defs.len() as u32;
                self.refs_in_default(entry, i, node, &default, UseContext::From, &env);
                let expanded_default = default.as_ref().and_then(|d| self.expand(d, &defaults));
                let value = match self.options.build_args.get(key.as_str()) {
                    Some(v) => Some((SmolStr::new(v), Origin::BuildArg(def))),
                    None => default
                        .as_ref()
                        .and_then(|d| self.expand(d, &env))
                        .map(|v| (v, Origin::Def(def))),
                };
                self.push_def(VarDef {
                    name: key.clone(),
                    kind: DefKind::GlobalArg,
                    range: key_range,
                    value_range,
                    default: default.clone(),
                    value: value.as_ref().map(|(v, _)| v.clone()),
                    entry: i,
                    stage: None,
                });
                self.union_same_arg(def);
                if let Some((v, origin)) = value {
                    env.set(&key, &v, origin);
                }
                if let Some(v) = expanded_default {
                    defaults.set(&key, &v, Origin::Def(def));
                }
            }
            self.model.entries[i].env = env.clone();
        }
        self.model.global_env = env;
        self.model.global_defaults = defaults;
    }

    fn expand(&self, word: &str, env: &EnvList) -> Option<SmolStr> {
        self.lexer
            .process_word(word, env)
            .ok()
            .map(|p| SmolStr::new(p.value))
    }

    fn push_def(&mut self, def: VarDef) -> u32 {
        let id = self.model.var_defs.len() as u32;
        self.model.var_defs.push(def);
        self.model.groups.push(id);
        id
    }

    /// Joins two definitions into one variable. Recorded, so a reused stage replays it: its
    /// inputs (parent, global scope, first definition id) are part of the reuse key.
    fn union(&mut self, a: u32, b: u32) {
        self.union_log.push((a, b));
        self.join(a, b);
    }

    fn join(&mut self, a: u32, b: u32) {
        let (ra, rb) = (self.model.group(a), self.model.group(b));
        if ra != rb {
            let (low, high) = if ra < rb { (ra, rb) } else { (rb, ra) };
            self.model.groups[high as usize] = low;
        }
    }

    /// ARGs of one name are one build argument (one `--build-arg` sets them all). This
    /// depends on every earlier stage, so it is not recorded: reused stages redo it.
    fn union_same_arg(&mut self, def: u32) {
        let name = self.model.var_defs[def as usize].name.clone();
        match self.first_arg.get(&name) {
            Some(&first) => self.join(def, first),
            None => {
                self.first_arg.insert(name, def);
            }
        }
    }

    /// Evaluates stage `index`, or reuses the previous analysis's evaluation of it.
    fn stage(&mut self, index: usize) {
        let base = self.resolve_base(index);
        let (from_entry, end_entry) = {
            let s = &self.model.stages[index];
            (s.from_entry, s.end_entry)
        };
        // Entries before this stage are in place (stages follow each other).
        self.model
            .entries
            .resize_with(from_entry, EntryInfo::default);
        let offset = self.entry(from_entry).offset;
        let key = StageKey {
            entries: (from_entry..end_entry)
                .map(|i| {
                    let e = self.entry(i);
                    (e.inst as *const Instruction as usize, e.offset - offset)
                })
                .collect(),
            def_base: self.model.var_defs.len() as u32,
            global: self.model.global_env.clone(),
            base: match &base {
                Base::Stage(p) => BaseKey::Stage(Arc::as_ptr(&self.results[*p]) as usize),
                other => BaseKey::Other(other.clone()),
            },
        };
        if let Some(old) = self
            .previous
            .get(&key.entries[0].0)
            .filter(|r| r.key == key)
            .cloned()
        {
            self.replay(index, &old, offset, &base);
            self.results.push(old);
            return;
        }
        self.model.entries.resize_with(end_entry, || EntryInfo {
            stage: Some(index),
            ..EntryInfo::default()
        });
        let marks = (
            self.model.var_defs.len(),
            self.model.var_uses.len(),
            self.model.stage_refs.len(),
            self.union_log.len(),
        );
        let final_state = self.evaluate_stage(index, base);
        let result = StageResult {
            key,
            offset,
            from_entry,
            defs: self.model.var_defs[marks.0..].to_vec(),
            uses: self.model.var_uses[marks.1..].to_vec(),
            refs: self.model.stage_refs[marks.2..].to_vec(),
            entries: self.model.entries[from_entry..end_entry].to_vec(),
            unions: self.union_log[marks.3..].to_vec(),
            stage: self.model.stages[index].clone(),
            final_state,
        };
        self.results.push(Arc::new(result));
    }

    /// Puts a reused evaluation in place: positions and entry indices move with the text,
    /// stage indices follow the current file.
    fn replay(&mut self, index: usize, old: &StageResult, offset: TextSize, base: &Base) {
        let shift = |r: TextRange| -> TextRange {
            let start = u32::from(r.start()) as i64 - u32::from(old.offset) as i64
                + u32::from(offset) as i64;
            TextRange::at(TextSize::from(start as u32), r.len())
        };
        let from_entry = self.model.stages[index].from_entry;
        let entry_shift = |e: usize| e + from_entry - old.from_entry;
        let stage_of = |s: Option<usize>| s.map(|_| index);
        self.model.var_defs.extend(old.defs.iter().map(|d| VarDef {
            range: shift(d.range),
            value_range: d.value_range.map(shift),
            entry: entry_shift(d.entry),
            stage: stage_of(d.stage),
            ..d.clone()
        }));
        let first = self.model.groups.len();
        self.model
            .groups
            .extend((first..first + old.defs.len()).map(|i| i as u32));
        self.model.var_uses.extend(old.uses.iter().map(|u| VarUse {
            range: shift(u.range),
            full_range: shift(u.full_range),
            entry: entry_shift(u.entry),
            ..u.clone()
        }));
        let parent = match base {
            Base::Stage(p) => Some(*p),
            _ => None,
        };
        self.model
            .stage_refs
            .extend(old.refs.iter().map(|r| StageRef {
                range: shift(r.range),
                entry: entry_shift(r.entry),
                // A FROM reference names the parent, whose index may have moved.
                target: if r.kind == StageRefKind::From {
                    parent
                } else {
                    r.target
                },
                ..r.clone()
            }));
        for (i, info) in old.entries.iter().enumerate() {
            // Field by field: `..info.clone()` would copy the mounts only to drop them.
            debug_assert_eq!(self.model.entries.len(), from_entry + i);
            self.model.entries.push(EntryInfo {
                stage: Some(index),
                env: info.env.clone(),
                runtime_env: info.runtime_env.clone(),
                declared_args: info.declared_args.clone(),
                workdir: info.workdir.clone(),
                workdir_set: info.workdir_set,
                user: info.user.clone(),
                shell: info.shell.clone(),
                mounts: info
                    .mounts
                    .iter()
                    .map(|(m, r)| (m.clone(), shift(*r)))
                    .collect(),
            });
        }
        for &(a, b) in &old.unions {
            self.union(a, b);
        }
        let first_def = self.model.var_defs.len() - old.defs.len();
        for (i, d) in old.defs.iter().enumerate() {
            if matches!(d.kind, DefKind::Arg | DefKind::GlobalArg) {
                self.union_same_arg((first_def + i) as u32);
            }
        }
        let s = &mut self.model.stages[index];
        s.base = base.clone();
        s.platform = old.stage.platform.clone();
        s.config = old.stage.config.clone();
        s.declared_args = old.stage.declared_args.clone();
        s.base_env_unknown = old.stage.base_env_unknown;
    }

    /// BuildKit's base resolution: expand with the global scope, then `scratch`, an earlier
    /// stage (exact, lower-cased name; the latest wins), or an image.
    fn resolve_base(&self, index: usize) -> Base {
        let stage = &self.model.stages[index];
        let from = self.entry(stage.from_entry);
        if from.inst.command.nodes.is_empty() {
            return Base::Unresolved("FROM requires either one or three arguments".into());
        }
        match self
            .lexer
            .process_word(&stage.base_text, &self.model.global_env)
        {
            Err(e) => Base::Unresolved(e.buildkit_message(&stage.base_text)),
            Ok(p) if p.value.is_empty() => Base::Unresolved(format!(
                "base name ({}) should not be blank",
                stage.base_text
            )),
            Ok(p) if p.value == "scratch" => Base::Scratch,
            Ok(p) => match self.model.stages[..index]
                .iter()
                .rev()
                .find(|s| s.name.as_deref() == Some(p.value.as_str()))
            {
                Some(parent) => Base::Stage(parent.index),
                None => Base::Image(p.value),
            },
        }
    }

    fn evaluate_stage(&mut self, index: usize, base: Base) -> State {
        let stage = self.model.stages[index].clone();
        let from = self.entry(stage.from_entry);
        let global = self.model.global_env.clone();
        self.model.entries[stage.from_entry].env = global.clone();

        // FROM: image and --platform expand with the global scope only.
        if let Some(node) = from.inst.command.nodes.first() {
            self.refs_in_node(
                from,
                stage.from_entry,
                from.inst,
                node,
                UseContext::From,
                &global,
                None,
            );
        }
        if let Some(flag) = from.inst.command.flag("platform") {
            self.refs_in_flag(
                from,
                stage.from_entry,
                flag,
                UseContext::From,
                &global,
                None,
            );
        }
        if let (Base::Stage(parent), Some(range)) = (&base, stage.base_range) {
            if !stage.base_text.contains('$') {
                self.model.stage_refs.push(StageRef {
                    kind: StageRefKind::From,
                    text: stage.base_text.clone(),
                    range,
                    entry: stage.from_entry,
                    target: Some(*parent),
                    by_index: false,
                    onbuild: false,
                });
            }
        }
        let platform = stage.platform.as_ref().map(|(raw, _)| {
            let expanded = self.lexer.process_word(raw, &global).ok().map(|p| p.value);
            (raw.clone(), expanded)
        });

        let mut state = match &base {
            Base::Stage(parent) => {
                let mut s = self.results[*parent].final_state.clone();
                s.config.onbuild.clear();
                s.cmd_set = false;
                s
            }
            other => {
                let mut s = State::default();
                s.env.set("PATH", DEFAULT_PATH, Origin::DefaultPath);
                s.runtime_env.set("PATH", DEFAULT_PATH, Origin::DefaultPath);
                s.config.env = s.runtime_env.clone();
                s.base_env_unknown = !matches!(other, Base::Scratch);
                s
            }
        };
        // ONBUILD triggers of a same-file parent run first in the child.
        if let Base::Stage(parent) = base {
            let parent_stage = self.model.stages[parent].clone();
            for i in parent_stage.from_entry + 1..parent_stage.end_entry {
                let entry = self.entry(i);
                if let (Keyword::Onbuild, Some(trigger)) =
                    (entry.inst.command.kind, &entry.inst.command.trigger)
                {
                    self.apply(i, entry, trigger, &mut state, false);
                }
            }
        }
        for i in stage.from_entry + 1..stage.end_entry {
            self.model.entries[i] = EntryInfo {
                stage: Some(index),
                env: state.env.clone(),
                runtime_env: state.runtime_env.clone(),
                declared_args: state.declared.clone(),
                workdir: state.workdir.clone(),
                workdir_set: state.workdir_set,
                user: state.user.clone(),
                shell: state.shell.clone(),
                mounts: Vec::new(),
            };
            let entry = self.entry(i);
            self.apply(i, entry, &entry.inst.command, &mut state, true);
        }
        let s = &mut self.model.stages[index];
        s.base = base;
        s.platform = platform;
        s.config = Arc::new(state.config.clone());
        s.declared_args = state.declared.clone();
        s.base_env_unknown = state.base_env_unknown;
        state
    }

    /// One instruction's effect on the state (and, when `record`, its definitions and uses).
    fn apply(
        &mut self,
        i: usize,
        entry: Entry<'_>,
        cmd: &Command,
        state: &mut State,
        record: bool,
    ) {
        let inst = entry.inst;
        let in_trigger = !std::ptr::eq(cmd, &inst.command);
        match cmd.kind {
            Keyword::Arg => self.apply_arg(i, entry, cmd, state, record, in_trigger),
            Keyword::Env => {
                let before = state.env.clone();
                let mut sets = Vec::new();
                for triplet in cmd.nodes.chunks(3) {
                    let [key, value, _] = triplet else { continue };
                    if record {
                        self.refs_in_node(
                            entry,
                            i,
                            inst,
                            key,
                            UseContext::Builder,
                            &before,
                            Some(&state.declared),
                        );
                        self.refs_in_node(
                            entry,
                            i,
                            inst,
                            value,
                            UseContext::Builder,
                            &before,
                            Some(&state.declared),
                        );
                    }
                    let name = self
                        .expand(&key.value, &before)
                        .unwrap_or_else(|| key.value.clone());
                    let v = self.expand(&value.value, &before);
                    let Some(key_range) = key.range else { continue };
                    let def = if record {
                        let def = self.push_def(VarDef {
                            name: name.clone(),
                            kind: if in_trigger {
                                DefKind::Onbuild
                            } else {
                                DefKind::Env
                            },
                            range: entry.abs(key_range),
                            value_range: value.range.map(|r| entry.abs(r)),
                            default: Some(value.value.clone()),
                            value: v.clone(),
                            entry: i,
                            stage: self.model.entries[i].stage,
                        });
                        Some(def)
                    } else {
                        self.def_at(i, &name)
                    };
                    sets.push((name, v.unwrap_or_default(), def));
                }
                for (name, value, def) in sets {
                    let origin = def.map_or(Origin::Predefined, Origin::Def);
                    if let (Some(def), Some(old)) = (def, self.origin_def(&state.env, &name)) {
                        self.union(def, old);
                    }
                    state.env.set(&name, &value, origin);
                    state.runtime_env.set(&name, &value, origin);
                }
                state.config.env = state.runtime_env.clone();
            }
            Keyword::Label => {
                let mut pairs = Vec::new();
                for triplet in cmd.nodes.chunks(3) {
                    let [key, value, _] = triplet else { continue };
                    if record {
                        self.refs_in_node(
                            entry,
                            i,
                            inst,
                            key,
                            UseContext::Builder,
                            &state.env,
                            Some(&state.declared),
                        );
                        self.refs_in_node(
                            entry,
                            i,
                            inst,
                            value,
                            UseContext::Builder,
                            &state.env,
                            Some(&state.declared),
                        );
                    }
                    let k = self
                        .expand(&key.value, &state.env)
                        .unwrap_or_default()
                        .to_string();
                    let v = self
                        .expand(&value.value, &state.env)
                        .unwrap_or_default()
                        .to_string();
                    pairs.push((k, v));
                }
                set_labels(&mut state.config.labels, pairs);
            }
            Keyword::Workdir => {
                if let Some(node) = cmd.nodes.first() {
                    if record {
                        self.refs_in_node(
                            entry,
                            i,
                            inst,
                            node,
                            UseContext::Builder,
                            &state.env,
                            Some(&state.declared),
                        );
                    }
                    let path = self.expand(&node.value, &state.env).unwrap_or_default();
                    let dir = join_workdir(state.workdir.as_deref(), &path);
                    state.config.working_dir = Some(dir.clone());
                    state.workdir = Some(Arc::from(dir));
                    state.workdir_set = true;
                }
            }
            Keyword::User => {
                if let Some(node) = cmd.nodes.first() {
                    if record {
                        self.refs_in_node(
                            entry,
                            i,
                            inst,
                            node,
                            UseContext::Builder,
                            &state.env,
                            Some(&state.declared),
                        );
                    }
                    let user = self.expand(&node.value, &state.env).unwrap_or_default();
                    state.config.user = Some(user.to_string());
                    state.user = Some(user);
                }
            }
            Keyword::Shell => {
                if cmd.json && !cmd.nodes.is_empty() {
                    let shell: Vec<String> =
                        cmd.nodes.iter().map(|n| n.value.to_string()).collect();
                    state.config.shell = Some(shell.clone());
                    state.shell = Some(Arc::from(shell));
                }
            }
            Keyword::Cmd | Keyword::Entrypoint => {
                if record && !cmd.json {
                    self.shell_refs(entry, i, inst, cmd, UseContext::Runtime, &state.runtime_env);
                }
                let line = self.command_line(cmd, state);
                if cmd.kind == Keyword::Cmd {
                    state.config.cmd = Some(line);
                    state.cmd_set = true;
                } else {
                    state.config.entrypoint = Some(line);
                    if !state.cmd_set {
                        state.config.cmd = None;
                    }
                }
            }
            Keyword::Healthcheck => {
                let kind = cmd.nodes.first().map(|n| n.value.to_uppercase());
                if kind.as_deref() == Some("NONE") {
                    state.config.healthcheck = Some(vec!["NONE".into()]);
                } else if kind.as_deref() == Some("CMD") {
                    let args = &cmd.nodes[1..];
                    if cmd.json {
                        let mut v = vec!["CMD".to_string()];
                        v.extend(args.iter().map(|n| n.value.to_string()));
                        state.config.healthcheck = Some(v);
                    } else if let Some(node) = args.first() {
                        if record {
                            self.refs_in_node(
                                entry,
                                i,
                                inst,
                                node,
                                UseContext::Runtime,
                                &state.runtime_env,
                                None,
                            );
                        }
                        state.config.healthcheck =
                            Some(vec!["CMD-SHELL".into(), node.value.to_string()]);
                    }
                }
            }
            Keyword::Expose => {
                for node in &cmd.nodes {
                    if record {
                        self.refs_in_node(
                            entry,
                            i,
                            inst,
                            node,
                            UseContext::Builder,
                            &state.env,
                            Some(&state.declared),
                        );
                    }
                    let words = self
                        .lexer
                        .process_words(&node.value, &state.env)
                        .unwrap_or_default();
                    for word in words {
                        let port = match word.split_once('/') {
                            Some((p, proto)) => format!("{p}/{}", proto.to_lowercase()),
                            None => format!("{word}/tcp"),
                        };
                        if !state.config.exposed_ports.contains(&port) {
                            state.config.exposed_ports.push(port);
                        }
                    }
                }
            }
            Keyword::Volume => {
                for node in &cmd.nodes {
                    if record {
                        self.refs_in_node(
                            entry,
                            i,
                            inst,
                            node,
                            UseContext::Builder,
                            &state.env,
                            Some(&state.declared),
                        );
                    }
                    let v = self
                        .expand(&node.value, &state.env)
                        .unwrap_or_default()
                        .to_string();
                    if !state.config.volumes.contains(&v) {
                        state.config.volumes.push(v);
                    }
                }
            }
            Keyword::Stopsignal => {
                if let Some(node) = cmd.nodes.first() {
                    if record {
                        self.refs_in_node(
                            entry,
                            i,
                            inst,
                            node,
                            UseContext::Builder,
                            &state.env,
                            Some(&state.declared),
                        );
                    }
                    state.config.stop_signal = Some(
                        self.expand(&node.value, &state.env)
                            .unwrap_or_default()
                            .to_string(),
                    );
                }
            }
            Keyword::Maintainer => {
                state.config.maintainer = cmd.nodes.first().map(|n| n.value.to_string());
            }
            Keyword::Onbuild => {
                if let Some(trigger) = &cmd.trigger {
                    // The image config keeps the trigger's text, as BuildKit's `Expression`.
                    let start = inst
                        .logical
                        .logical_offset(trigger.keyword_range.start())
                        .unwrap_or(0);
                    let expression = inst.logical.text.get(start..).unwrap_or_default();
                    state.config.onbuild.push(expression.trim_end().to_string());
                    if record {
                        // Definitions and uses inside the trigger, seen from here.
                        let mut scratch = state.clone();
                        self.apply(i, entry, trigger, &mut scratch, true);
                    }
                }
            }
            Keyword::Copy | Keyword::Add => {
                if record {
                    self.copy_refs(i, entry, cmd, state, in_trigger);
                }
            }
            Keyword::Run => {
                if record {
                    self.run_refs(i, entry, cmd, state, in_trigger);
                }
            }
            Keyword::From | Keyword::Unknown => {}
        }
    }

    fn apply_arg(
        &mut self,
        i: usize,
        entry: Entry<'_>,
        cmd: &Command,
        state: &mut State,
        record: bool,
        in_trigger: bool,
    ) {
        for node in &cmd.nodes {
            let Some(ArgWord {
                key,
                default,
                key_range,
                value_range,
            }) = split_arg(entry, node)
            else {
                continue;
            };
            if record {
                self.refs_in_default(entry, i, node, &default, UseContext::Builder, &state.env);
            }
            let def = if record {
                let def = self.push_def(VarDef {
                    name: key.clone(),
                    kind: if in_trigger {
                        DefKind::Onbuild
                    } else {
                        DefKind::Arg
                    },
                    range: key_range,
                    value_range,
                    default: default.clone(),
                    value: None,
                    entry: i,
                    stage: self.model.entries[i].stage,
                });
                self.union_same_arg(def);
                def
            } else {
                match self.def_at(i, &key) {
                    Some(d) => d,
                    None => continue,
                }
            };
            let value = match self.options.build_args.get(key.as_str()) {
                Some(v) => Some((SmolStr::new(v), Origin::BuildArg(def))),
                None => match &default {
                    Some(d) => self.expand(d, &state.env).map(|v| (v, Origin::Def(def))),
                    // No default: inherit the global value (and be one variable with it).
                    None => self
                        .model
                        .global_env
                        .get_var(&key)
                        .map(|g| (g.value.clone(), Origin::Def(def))),
                },
            };
            if default.is_none() {
                if let Some(Origin::Def(g) | Origin::BuildArg(g)) =
                    self.model.global_env.get_var(&key).map(|v| v.origin)
                {
                    self.union(def, g);
                }
            }
            if let Some(old) = self.origin_def(&state.env, &key) {
                self.union(def, old);
            }
            Arc::make_mut(&mut state.declared).push((key.clone(), def));
            if record {
                self.model.var_defs[def as usize].value = value.as_ref().map(|(v, _)| v.clone());
            }
            if let Some((v, origin)) = value {
                if !NON_ENV_ARGS.contains(&key.as_str()) {
                    state.env.set(&key, &v, origin);
                }
            }
        }
    }

    /// The definition recorded for `name` at entry `i` (used when re-applying ONBUILD
    /// triggers in a child stage).
    fn def_at(&self, i: usize, name: &str) -> Option<u32> {
        self.model
            .var_defs
            .iter()
            .position(|d| d.entry == i && d.name == name)
            .map(|p| p as u32)
    }

    fn origin_def(&self, env: &EnvList, name: &str) -> Option<u32> {
        match env.get_var(name)?.origin {
            Origin::Def(d) | Origin::BuildArg(d) => Some(d),
            Origin::Predefined | Origin::DefaultPath => None,
        }
    }

    /// The argv a CMD/ENTRYPOINT produces: exec form as is, shell form behind the SHELL.
    fn command_line(&self, cmd: &Command, state: &State) -> Vec<String> {
        if cmd.json {
            return cmd.nodes.iter().map(|n| n.value.to_string()).collect();
        }
        let mut line: Vec<String> = match &state.shell {
            Some(shell) => shell.to_vec(),
            None => vec!["/bin/sh".into(), "-c".into()],
        };
        if let Some(node) = cmd.nodes.first() {
            line.push(node.value.to_string());
        }
        line
    }

    fn copy_refs(
        &mut self,
        i: usize,
        entry: Entry<'_>,
        cmd: &Command,
        state: &State,
        in_trigger: bool,
    ) {
        let inst = entry.inst;
        let declared = state.declared.clone();
        for node in &cmd.nodes {
            // Heredoc openers are not paths.
            if inst
                .heredocs
                .iter()
                .any(|h| node.range.is_some_and(|r| r.contains_range(h.range)))
            {
                continue;
            }
            self.refs_in_node(
                entry,
                i,
                inst,
                node,
                UseContext::Builder,
                &state.env,
                Some(&declared),
            );
        }
        for flag in &cmd.flags {
            match flag.name.as_str() {
                "chown" | "chmod" | "checksum" => {
                    self.refs_in_flag(
                        entry,
                        i,
                        flag,
                        UseContext::Builder,
                        &state.env,
                        Some(&declared),
                    );
                }
                "from" => {
                    if let (Some(value), Some(range)) = (&flag.value, flag.value_range) {
                        self.push_stage_ref(
                            StageRefKind::CopyFrom,
                            value,
                            entry.abs(range),
                            i,
                            in_trigger,
                        );
                    }
                }
                _ => {}
            }
        }
        for heredoc in &inst.heredocs {
            if heredoc.expand && !in_trigger {
                // BuildKit expands COPY/ADD heredoc bodies with `\` as the escape and quotes
                // left alone.
                let mut lexer = Lexer::new('\\');
                lexer.skip_process_quotes = true;
                let scan = lexer.var_refs(&heredoc.content);
                let span = Span::Source(entry.abs(heredoc.body));
                self.push_uses(
                    entry,
                    i,
                    inst,
                    &scan.refs,
                    span,
                    UseContext::Builder,
                    &state.env,
                    Some(&declared),
                );
            }
        }
    }

    fn run_refs(
        &mut self,
        i: usize,
        entry: Entry<'_>,
        cmd: &Command,
        state: &State,
        in_trigger: bool,
    ) {
        let inst = entry.inst;
        let declared = state.declared.clone();
        let mut mounts = Vec::new();
        for flag in cmd.flags.iter().filter(|f| f.name == "mount") {
            let (Some(value), Some(value_range)) = (&flag.value, flag.value_range) else {
                continue;
            };
            let mount = Mount::parse(value);
            let abs = entry.abs(value_range);
            let exact =
                self.parse.text().get(abs.start().into()..abs.end().into()) == Some(value.as_str());
            for field in &mount.fields {
                let (Some(v), Some(vr)) = (&field.value, &field.value_range) else {
                    continue;
                };
                let field_range = if exact {
                    TextRange::new(
                        abs.start() + TextSize::from(vr.start as u32),
                        abs.start() + TextSize::from(vr.end as u32),
                    )
                } else {
                    abs
                };
                if field.canonical_key() == "from" {
                    self.push_stage_ref(StageRefKind::MountFrom, v, field_range, i, in_trigger);
                } else {
                    let span = if exact {
                        Span::Source(field_range)
                    } else {
                        Span::Approx(abs)
                    };
                    let scan = self.lexer.var_refs(v);
                    self.push_uses(
                        entry,
                        i,
                        inst,
                        &scan.refs,
                        span,
                        UseContext::Builder,
                        &state.env,
                        Some(&declared),
                    );
                }
            }
            mounts.push((mount, abs));
        }
        if !in_trigger {
            self.model.entries[i].mounts = mounts;
        }
        if !cmd.json {
            self.shell_refs(entry, i, inst, cmd, UseContext::Shell, &state.env);
        }
        for heredoc in &inst.heredocs {
            if heredoc.expand {
                let scan = var_refs(&heredoc.content, '\\', RefMode::Shell);
                let span = Span::Source(entry.abs(heredoc.body));
                self.push_uses(
                    entry,
                    i,
                    inst,
                    &scan.refs,
                    span,
                    UseContext::Shell,
                    &state.env,
                    Some(&declared),
                );
            }
        }
    }

    /// References in a shell-form command (the one argument node), by sh rules.
    fn shell_refs(
        &mut self,
        entry: Entry<'_>,
        i: usize,
        inst: &Instruction,
        cmd: &Command,
        context: UseContext,
        env: &EnvList,
    ) {
        let Some(node) = cmd.nodes.first() else {
            return;
        };
        let Some(logical) = node.logical else { return };
        let scan = var_refs(&node.value, self.parse.escape(), RefMode::Shell);
        let declared =
            (context == UseContext::Shell).then(|| self.model.entries[i].declared_args.clone());
        self.push_uses(
            entry,
            i,
            inst,
            &scan.refs,
            Span::Logical(logical),
            context,
            env,
            declared.as_ref(),
        );
    }

    fn refs_in_default(
        &mut self,
        entry: Entry<'_>,
        i: usize,
        node: &crate::syntax::ArgNode,
        default: &Option<SmolStr>,
        context: UseContext,
        env: &EnvList,
    ) {
        let (Some(default), Some(logical)) = (default, node.logical) else {
            return;
        };
        // The default is the tail of the word after `=`.
        let start = logical.end() - TextSize::from(default.len() as u32);
        let scan = self.lexer.var_refs(default);
        let span = Span::Logical(TextRange::new(start, logical.end()));
        let declared = self.model.entries[i].declared_args.clone();
        self.push_uses(
            entry,
            i,
            entry.inst,
            &scan.refs,
            span,
            context,
            env,
            Some(&declared),
        );
    }

    #[allow(clippy::too_many_arguments)]
    fn refs_in_node(
        &mut self,
        entry: Entry<'_>,
        i: usize,
        inst: &Instruction,
        node: &crate::syntax::ArgNode,
        context: UseContext,
        env: &EnvList,
        declared: Option<&Arc<Vec<(SmolStr, u32)>>>,
    ) {
        if !node.value.contains('$') {
            return;
        }
        let span = match (node.logical, node.range) {
            (Some(l), _)
                if inst
                    .logical
                    .text
                    .get(usize::from(l.start())..usize::from(l.end()))
                    == Some(node.value.as_str()) =>
            {
                Span::Logical(l)
            }
            (Some(l), _)
                if l.len() >= TextSize::from(2)
                    && inst
                        .logical
                        .text
                        .get(usize::from(l.start()) + 1..usize::from(l.end()) - 1)
                        == Some(node.value.as_str()) =>
            {
                Span::Logical(TextRange::new(
                    l.start() + TextSize::from(1),
                    l.end() - TextSize::from(1),
                ))
            }
            (_, Some(r)) => Span::Approx(entry.abs(r)),
            _ => return,
        };
        let mode_lexer = if context == UseContext::Runtime {
            None
        } else {
            Some(&self.lexer)
        };
        let scan = match mode_lexer {
            Some(lexer) => lexer.var_refs(&node.value),
            None => var_refs(&node.value, self.parse.escape(), RefMode::Shell),
        };
        let declared = declared.cloned();
        self.push_uses(
            entry,
            i,
            inst,
            &scan.refs,
            span,
            context,
            env,
            declared.as_ref(),
        );
    }

    fn refs_in_flag(
        &mut self,
        entry: Entry<'_>,
        i: usize,
        flag: &crate::syntax::Flag,
        context: UseContext,
        env: &EnvList,
        declared: Option<&Arc<Vec<(SmolStr, u32)>>>,
    ) {
        let (Some(value), Some(range)) = (&flag.value, flag.value_range) else {
            return;
        };
        if !value.contains('$') {
            return;
        }
        let abs = entry.abs(range);
        let exact =
            self.parse.text().get(abs.start().into()..abs.end().into()) == Some(value.as_str());
        let span = if exact {
            Span::Source(abs)
        } else {
            Span::Approx(abs)
        };
        let scan = self.lexer.var_refs(value);
        let declared = declared.cloned();
        self.push_uses(
            entry,
            i,
            entry.inst,
            &scan.refs,
            span,
            context,
            env,
            declared.as_ref(),
        );
    }

    #[allow(clippy::too_many_arguments)]
    fn push_uses(
        &mut self,
        entry: Entry<'_>,
        i: usize,
        inst: &Instruction,
        refs: &[crate::syntax::shell::VarRef],
        span: Span,
        context: UseContext,
        env: &EnvList,
        declared: Option<&Arc<Vec<(SmolStr, u32)>>>,
    ) {
        for r in refs {
            let map = |inner: &std::ops::Range<usize>| -> TextRange {
                match span {
                    Span::Logical(l) => {
                        let start = usize::from(l.start());
                        entry.abs(
                            inst.logical
                                .source_range(start + inner.start..start + inner.end),
                        )
                    }
                    Span::Source(s) => TextRange::new(
                        s.start() + TextSize::from(inner.start as u32),
                        s.start() + TextSize::from(inner.end as u32),
                    ),
                    Span::Approx(a) => a,
                }
            };
            let var = env.get_var(&r.name);
            let def = match var.map(|v| v.origin) {
                Some(Origin::Def(d) | Origin::BuildArg(d)) => Some(d),
                _ => declared.and_then(|d| {
                    d.iter()
                        .rev()
                        .find(|(n, _)| *n == r.name)
                        .map(|(_, id)| *id)
                }),
            };
            let predefined = def.is_none()
                && (matches!(
                    var.map(|v| v.origin),
                    Some(Origin::Predefined | Origin::DefaultPath)
                ) || PROXY_ARGS.contains(&r.name.as_str()));
            self.model.var_uses.push(VarUse {
                name: SmolStr::new(&r.name),
                range: map(&r.name_range),
                full_range: map(&r.range),
                entry: i,
                context,
                def,
                value: var.map(|v| v.value.clone()),
                predefined,
            });
        }
    }

    fn push_stage_ref(
        &mut self,
        kind: StageRefKind,
        text: &str,
        range: TextRange,
        entry: usize,
        onbuild: bool,
    ) {
        self.model.stage_refs.push(StageRef {
            kind,
            text: SmolStr::new(text),
            range,
            entry,
            target: None,
            // Only `COPY --from` accepts a stage index; `--mount from=` looks names up only.
            by_index: kind == StageRefKind::CopyFrom && text.parse::<usize>().is_ok(),
            onbuild,
        });
    }

    /// `COPY --from` and `--mount from=` resolve against all stages, by name
    /// (case-insensitive) or index, as BuildKit's `findStateByName`/`findStateByIndex`.
    fn resolve_stage_refs(&mut self) {
        // Many references name few stages: look each name up once.
        let mut by_name: HashMap<SmolStr, Option<usize>> = HashMap::new();
        for r in 0..self.model.stage_refs.len() {
            let sr = &self.model.stage_refs[r];
            if sr.kind == StageRefKind::From {
                continue;
            }
            let target = if sr.by_index {
                sr.text
                    .parse::<usize>()
                    .ok()
                    .filter(|&n| n < self.model.stages.len())
            } else {
                let model = &self.model;
                *by_name
                    .entry(sr.text.clone())
                    .or_insert_with(|| model.stage_by_name(&sr.text).map(|s| s.index))
            };
            self.model.stage_refs[r].target = target;
        }
        // References by entry, so each stage looks only at its own (not every reference of
        // the file once per stage).
        let mut order: Vec<u32> = (0..self.model.stage_refs.len() as u32).collect();
        order.sort_by_key(|&r| self.model.stage_refs[r as usize].entry);
        let refs = &self.model.stage_refs;
        let within = |range: std::ops::Range<usize>| {
            let from = order.partition_point(|&r| refs[r as usize].entry < range.start);
            let to = order.partition_point(|&r| refs[r as usize].entry < range.end);
            order[from..to.max(from)].iter().map(|&r| &refs[r as usize])
        };
        // Dependencies: base, COPY --from / mount from=, and a parent's ONBUILD triggers.
        let mut all_deps = Vec::with_capacity(self.model.stages.len());
        for stage in &self.model.stages {
            let mut deps = Vec::new();
            if let Base::Stage(p) = stage.base {
                deps.push(p);
                let parent = &self.model.stages[p];
                deps.extend(
                    within(parent.from_entry + 1..parent.end_entry)
                        .filter(|r| r.onbuild)
                        .filter_map(|r| r.target),
                );
            }
            deps.extend(
                within(stage.from_entry + 1..stage.end_entry)
                    .filter(|r| !r.onbuild && r.kind != StageRefKind::From)
                    .filter_map(|r| r.target),
            );
            deps.sort_unstable();
            deps.dedup();
            all_deps.push(deps);
        }
        for (stage, deps) in self.model.stages.iter_mut().zip(all_deps) {
            stage.deps = deps;
        }
    }

    fn reachability(&mut self) {
        let n = self.model.stages.len();
        self.model.reachable = vec![false; n];
        let target = match &self.options.target {
            Some(t) if !t.is_empty() => match self.model.stage_by_name(t) {
                Some(s) => Some(s.index),
                None => {
                    self.model.target_missing = Some(t.clone());
                    None
                }
            },
            _ => n.checked_sub(1),
        };
        self.model.target = target;
        let mut stack: Vec<usize> = target.into_iter().collect();
        while let Some(s) = stack.pop() {
            if std::mem::replace(&mut self.model.reachable[s], true) {
                continue;
            }
            stack.extend(self.model.stages[s].deps.iter().copied());
        }
    }
}

/// An ARG word split at its first `=`: name, raw default, and the absolute ranges of both.
struct ArgWord {
    key: SmolStr,
    default: Option<SmolStr>,
    key_range: TextRange,
    value_range: Option<TextRange>,
}

fn split_arg(entry: Entry<'_>, node: &crate::syntax::ArgNode) -> Option<ArgWord> {
    let logical = node.logical?;
    let word = node.value.as_str();
    let start = usize::from(logical.start());
    let end = usize::from(logical.end());
    let source = |a: usize, b: usize| entry.abs(entry.inst.logical.source_range(a..b));
    Some(match word.split_once('=') {
        Some((key, value)) => ArgWord {
            key: SmolStr::new(key),
            default: Some(SmolStr::new(value)),
            key_range: source(start, start + key.len()),
            value_range: Some(source(start + key.len() + 1, end)),
        },
        None => ArgWord {
            key: SmolStr::new(word),
            default: None,
            key_range: source(start, end),
            value_range: None,
        },
    })
}

/// Sets `pairs` in order, each key moving to the end (`retain` + `push` for each pair), in
/// one pass: a LABEL with 100 000 keys on one line took seconds to minutes.
fn set_labels(labels: &mut Vec<(String, String)>, pairs: Vec<(String, String)>) {
    if pairs.len() <= 1 {
        for (k, v) in pairs {
            labels.retain(|(name, _)| *name != k);
            labels.push((k, v));
        }
        return;
    }
    // The last occurrence of each key wins and decides its place.
    let mut last: HashMap<&str, usize> = HashMap::with_capacity(pairs.len());
    for (i, (k, _)) in pairs.iter().enumerate() {
        last.insert(k, i);
    }
    labels.retain(|(name, _)| !last.contains_key(name.as_str()));
    let keep: Vec<bool> = (0..pairs.len())
        .map(|i| last.get(pairs[i].0.as_str()) == Some(&i))
        .collect();
    labels.extend(
        pairs
            .into_iter()
            .zip(keep)
            .filter_map(|(pair, keep)| keep.then_some(pair)),
    );
}
