//! The change kinds of cache-model.md §3.3: what-if edits, exact diffs, changed context
//! files, changed build args, new base digests. Each turns into seeds on nodes; one
//! propagation ([`super::impact::propagate`]) then gives every step its status.

use std::collections::HashMap;

use smol_str::SmolStr;

use super::align;
use super::analysis::{CacheAnalysis, Content, NodeId, NodeKind};
use super::context::CopySource;
use super::fingerprint::Part;
use super::impact::{Cause, Impact, Seeds, Status, propagate};
use crate::model::{DefKind, Origin, PROXY_ARGS, UseContext};
use crate::syntax::Keyword;

/// One change to ask about. Several changes together are one rebuild.
#[derive(Debug, Clone, Copy)]
pub enum Change<'a> {
    /// "If the instruction at this entry changed meaning, what rebuilds?"
    EditEntry(usize),
    /// The same for a 0-based line: an instruction's line, a parser directive, or a comment
    /// or blank line (which only matters when the Dockerfile is copied into the image).
    EditLine(u32),
    /// The exact difference from an older version of the file (this analysis is the new one).
    Diff(&'a CacheAnalysis),
    /// A build-context path (relative to the context root) changed, appeared or went away.
    ContextFile(&'a str),
    /// A `--build-arg` value changed (or was given, or removed).
    BuildArg(&'a str),
    /// The image of this stage's FROM got a new digest.
    BaseDigest(usize),
    /// An image reference got a new digest (every FROM and `--from` using it).
    ImageDigest(&'a str),
}

impl CacheAnalysis {
    /// The outcome of a rebuild with the given changes (none: only remote sources are
    /// re-checked).
    pub fn impact(&self, changes: &[Change<'_>]) -> Impact {
        let mut seeds = Seeds::new(self);
        for change in changes {
            match *change {
                Change::EditEntry(e) => self.seed_edit(e, &mut seeds),
                Change::EditLine(l) => self.seed_line(l, &mut seeds),
                Change::Diff(old) => self.seed_diff(old, &mut seeds),
                Change::ContextFile(p) => self.seed_context_file(p, &mut seeds),
                Change::BuildArg(name) => self.seed_build_arg(name, &mut seeds),
                Change::BaseDigest(stage) => match self.stages.get(stage) {
                    Some(s) => match s.image.clone() {
                        Some(image) => self.seed_image(&image, &mut seeds),
                        None => {
                            seeds.note(format!("stage {} does not start from an image", s.label()))
                        }
                    },
                    None => seeds.note(format!("there is no stage {stage}")),
                },
                Change::ImageDigest(image) => self.seed_image(image, &mut seeds),
            }
        }
        propagate(self, seeds)
    }

    /// What rebuilds if the instruction at `entry` changed meaning.
    pub fn what_if_edit(&self, entry: usize) -> Impact {
        self.impact(&[Change::EditEntry(entry)])
    }

    /// What rebuilds compared with `old`, an earlier version of the same Dockerfile analysed
    /// with the same options.
    pub fn diff(old: &CacheAnalysis, new: &CacheAnalysis) -> Impact {
        new.impact(&[Change::Diff(old)])
    }

    /// What rebuilds when a build-context file changes.
    pub fn changed_context_file(&self, rel_path: &str) -> Impact {
        self.impact(&[Change::ContextFile(rel_path)])
    }

    /// What rebuilds when `--build-arg NAME` changes.
    pub fn changed_build_arg(&self, name: &str) -> Impact {
        self.impact(&[Change::BuildArg(name)])
    }

    /// What rebuilds when the image of this stage's FROM gets a new digest.
    pub fn new_base_digest(&self, stage: usize) -> Impact {
        self.impact(&[Change::BaseDigest(stage)])
    }

    /// A rebuild with nothing changed: only the remote sources matter.
    pub fn rebuild(&self) -> Impact {
        self.impact(&[])
    }

    fn reachable(&self, node: NodeId) -> bool {
        self.stages[self.nodes[node].stage].reachable
    }

    /// Seeds every step node of the reachable stages.
    fn seed_all(&self, seeds: &mut Seeds, status: Status, cause: &Cause) {
        for step in &self.steps {
            if self.stages[step.stage].reachable {
                seeds.seed(step.node, status, cause.clone());
                if let Some(c) = step.copy_node {
                    seeds.seed(c, status, cause.clone());
                }
            }
        }
    }

    fn seed_line(&self, line: u32, seeds: &mut Seeds) {
        if self.is_directive_line(line) {
            if self.syntax.as_ref().is_some_and(|(l, _)| *l == line) {
                seeds.note("the # syntax directive selects the frontend that converts the file");
            } else {
                seeds.note("a parser directive changes how the whole file is read");
            }
            self.seed_all(seeds, Status::Conditional, &Cause::Frontend);
            self.seed_dockerfile(seeds);
            return;
        }
        match self.entry_at_line(line) {
            Some(e) => self.seed_edit(e, seeds),
            None => {
                seeds.note(format!(
                    "line {} holds no instruction: a comment or blank line is in no step's key",
                    line + 1
                ));
                self.seed_dockerfile(seeds);
            }
        }
    }

    fn seed_edit(&self, entry: usize, seeds: &mut Seeds) {
        let Some(info) = self.entries.get(entry).copied() else {
            seeds.note(format!("there is no instruction {entry}"));
            return;
        };
        let cause = Cause::Edited { entry };
        let mut any = false;
        for step in self.steps.iter().filter(|s| s.origin == entry) {
            seeds.seed(step.node, Status::Invalidated, cause.clone());
            if let Some(c) = step.copy_node {
                seeds.seed(c, Status::Invalidated, cause.clone());
            }
            any = true;
        }
        // A FROM that is not an image: the stage's virtual root.
        if info.keyword == Keyword::From {
            if let Some(stage) = self.stages.iter().find(|s| s.from_entry == entry) {
                seeds.seed(stage.root, Status::Invalidated, cause.clone());
                any = true;
            }
        }
        let mut taint = Taint::new(self);
        let effective = info.trigger.unwrap_or(info.keyword);
        match effective {
            Keyword::Env | Keyword::Arg => {
                for (d, def) in self.defs.iter().enumerate() {
                    if def.entry == entry {
                        taint.defs[d] = true;
                    }
                }
            }
            Keyword::User | Keyword::Workdir | Keyword::Shell => taint.setters[entry] = true,
            _ => {}
        }
        let before = seeds.count;
        self.seed_taint(taint, seeds, None);
        any |= seeds.count != before;
        let unbuilt = info.stage.is_some_and(|s| !self.stages[s].reachable);
        if unbuilt {
            let stage = info
                .stage
                .map_or_else(String::new, |s| self.stages[s].label());
            let target = self
                .target
                .map_or_else(String::new, |t| self.stages[t].label());
            seeds.note(format!(
                "{} is in stage {stage}, which is not built for target {target}",
                info.keyword.as_str()
            ));
        } else if !any {
            let kw = info.keyword.as_str();
            match effective {
                Keyword::Label
                | Keyword::Expose
                | Keyword::Cmd
                | Keyword::Entrypoint
                | Keyword::Healthcheck
                | Keyword::Stopsignal
                | Keyword::Volume
                | Keyword::Maintainer => seeds.note(format!(
                    "{kw} only changes the image config: no build step depends on it"
                )),
                Keyword::Onbuild => seeds.note(
                    "ONBUILD triggers run only in stages built FROM this one (none is built here)",
                ),
                _ => seeds.note(format!("no build step depends on this {kw}")),
            }
        }
        self.seed_dockerfile(seeds);
    }

    /// An edit of the file changes the Dockerfile's bytes: steps that copy it rebuild.
    fn seed_dockerfile(&self, seeds: &mut Seeds) {
        if let Some(path) = self.dockerfile_in_context.clone() {
            self.seed_context_path(&path, seeds, &|p| Cause::Dockerfile {
                path: p.to_string(),
            });
        }
    }

    fn seed_context_file(&self, rel_path: &str, seeds: &mut Seeds) {
        let path = normalize_rel(rel_path);
        if path.is_empty() {
            seeds.note("the context root itself is not a file");
            return;
        }
        if self.ignore_file_in_context.as_deref() == Some(path.as_str()) {
            // Without the old rules we cannot tell which files toggle: every step that reads
            // the context may see other files.
            seeds.note(format!(
                "{path} decides which files are sent to the builder: steps reading the context may rebuild"
            ));
            for (i, node) in self.nodes.iter().enumerate() {
                if self.reachable(i)
                    && node
                        .content
                        .iter()
                        .any(|c| matches!(c, Content::Context { .. }))
                {
                    seeds.seed(
                        i,
                        Status::Conditional,
                        Cause::IgnoreFile { path: path.clone() },
                    );
                }
            }
        }
        if let Some(ignore) = self.ignore.as_deref() {
            let decision = ignore.decide(&path);
            if decision.excluded {
                match decision.rule {
                    Some(rule) => seeds.note(format!(
                        "{path} is excluded by .dockerignore rule '{}' (line {}): it is never sent to the builder",
                        rule.text, rule.line
                    )),
                    None => seeds.note(format!("{path} is excluded by .dockerignore")),
                }
                return;
            }
        }
        let before = seeds.count;
        self.seed_context_path(&path, seeds, &|p| Cause::ContextFile {
            path: p.to_string(),
            mount: false,
        });
        if seeds.count == before {
            seeds.note(format!("no step of the target copies or mounts {path}"));
        }
    }

    fn seed_context_path(&self, path: &str, seeds: &mut Seeds, cause: &dyn Fn(&str) -> Cause) {
        for (i, node) in self.nodes.iter().enumerate() {
            if !self.reachable(i) {
                continue;
            }
            for c in &node.content {
                if let Content::Context {
                    sources,
                    excludes,
                    parents,
                    mount,
                } = c
                {
                    let hit = sources
                        .iter()
                        .any(|src| CopySource::new(src, excludes, *parents).contains(path));
                    if hit {
                        let mut cause = cause(path);
                        if let Cause::ContextFile { mount: m, .. } = &mut cause {
                            *m = *mount;
                        }
                        seeds.seed(i, Status::Invalidated, cause);
                    }
                }
            }
        }
    }

    fn seed_image(&self, image: &str, seeds: &mut Seeds) {
        let cause = Cause::BaseImage {
            image: image.to_string(),
        };
        if image.contains('@') {
            seeds.note(format!(
                "{image} is pinned by digest: it changes only when the digest in the file is edited"
            ));
        }
        let mut any = false;
        for (i, node) in self.nodes.iter().enumerate() {
            if !self.reachable(i) {
                continue;
            }
            if node.kind == NodeKind::Image
                && self.stages[node.stage].image.as_deref() == Some(image)
            {
                seeds.seed(i, Status::Invalidated, cause.clone());
                any = true;
            }
            for c in &node.content {
                if matches!(c, Content::Image { reference } if reference == image) {
                    seeds.seed(i, Status::Conditional, cause.clone());
                    any = true;
                }
            }
        }
        if !any {
            seeds.note(format!("no stage built for the target uses {image}"));
        }
    }

    fn seed_build_arg(&self, name: &str, seeds: &mut Seeds) {
        let mut taint = Taint::new(self);
        let mut declared = false;
        for (d, def) in self.defs.iter().enumerate() {
            let is_arg = match def.kind {
                DefKind::Arg | DefKind::GlobalArg => true,
                DefKind::Onbuild => {
                    self.entries.get(def.entry).and_then(|e| e.trigger) == Some(Keyword::Arg)
                }
                DefKind::Env => false,
            };
            if is_arg && def.name == name {
                taint.defs[d] = true;
                declared = true;
            }
        }
        let before = seeds.count;
        self.seed_taint(taint, seeds, Some(name));
        match name {
            "SOURCE_DATE_EPOCH" => {
                for (i, node) in self.nodes.iter().enumerate() {
                    if node.kind == NodeKind::Workdir && self.reachable(i) {
                        seeds.seed(i, Status::Invalidated, Cause::SourceDateEpoch);
                    }
                }
            }
            "BUILDKIT_SANDBOX_HOSTNAME" => {
                for (i, node) in self.nodes.iter().enumerate() {
                    if node.kind == NodeKind::Run && self.reachable(i) {
                        seeds.seed(i, Status::Invalidated, Cause::SandboxHostname);
                    }
                }
            }
            "BUILDKIT_CACHE_MOUNT_NS" => {
                for (i, node) in self.nodes.iter().enumerate() {
                    if node.kind == NodeKind::Run && node.default_cache && self.reachable(i) {
                        seeds.seed(i, Status::Invalidated, Cause::CacheNamespace);
                    }
                }
            }
            "BUILDKIT_SYNTAX" => {
                seeds.note("BUILDKIT_SYNTAX selects the frontend");
                self.seed_all(seeds, Status::Conditional, &Cause::Frontend);
            }
            _ => {}
        }
        if seeds.count == before {
            if PROXY_ARGS.contains(&name) && !declared {
                seeds.note(format!(
                    "{name} is a predefined proxy arg: BuildKit passes it to RUN outside the cache key unless the Dockerfile declares ARG {name}"
                ));
            } else if !declared && name.starts_with("BUILDKIT_") {
                seeds.note(format!(
                    "{name} is a BuildKit option, not part of any step's key"
                ));
            } else if !declared {
                seeds.note(format!(
                    "no ARG {name} in the Dockerfile: the build arg is unused"
                ));
            } else {
                seeds.note(format!(
                    "ARG {name} is declared, but no step built for the target depends on it"
                ));
            }
        }
    }

    /// Turns tainted definitions and state-setting entries into seeds.
    fn seed_taint(&self, mut taint: Taint, seeds: &mut Seeds, build_arg: Option<&str>) {
        if !taint.any() && build_arg.is_none() {
            return;
        }
        let mut hits = taint.close(self);
        if let Some(name) = build_arg {
            // A --build-arg also overrides a predefined arg (TARGETARCH, …) used in FROM.
            for u in &self.uses {
                if u.context == UseContext::From && u.def.is_none() && u.name == name {
                    hits.push((u.entry, u.name.clone(), None));
                }
            }
        }
        // Entries whose own text uses a tainted variable.
        let mut hit_at: HashMap<usize, (SmolStr, Option<usize>)> = HashMap::new();
        for (entry, name, def_entry) in hits {
            hit_at.entry(entry).or_insert((name, def_entry));
        }
        for stage in &self.stages {
            if !stage.reachable {
                continue;
            }
            if let Some((name, def_entry)) = hit_at.get(&stage.from_entry) {
                let cause = match build_arg {
                    Some(b) if b == name.as_str() => Cause::BuildArgInFrom { name: name.clone() },
                    _ => Cause::Var {
                        name: name.clone(),
                        entry: *def_entry,
                    },
                };
                seeds.seed(stage.root, Status::Invalidated, cause);
            }
        }
        for (i, node) in self.nodes.iter().enumerate() {
            if !self.reachable(i) || node.step.is_none() {
                continue;
            }
            if let Some(cause) = self.taint_cause(node, &taint, &hit_at, build_arg) {
                seeds.seed(i, Status::Invalidated, cause);
            }
        }
    }

    fn taint_cause(
        &self,
        node: &super::analysis::Node,
        taint: &Taint,
        hit_at: &HashMap<usize, (SmolStr, Option<usize>)>,
        build_arg: Option<&str>,
    ) -> Option<Cause> {
        if let Some(env) = &node.env {
            for v in env.vars() {
                let (Origin::Def(d) | Origin::BuildArg(d)) = v.origin else {
                    continue;
                };
                if taint.defs.get(d as usize).copied().unwrap_or(false) {
                    let def = &self.defs[d as usize];
                    if build_arg == Some(def.name.as_str()) {
                        return Some(Cause::BuildArg {
                            name: v.name.clone(),
                            entry: def.entry,
                            used: self.command_uses(node.entry, &v.name),
                        });
                    }
                    let keyword = match def.kind {
                        DefKind::Env => Keyword::Env,
                        DefKind::Onbuild => self
                            .entries
                            .get(def.entry)
                            .and_then(|e| e.trigger)
                            .unwrap_or(Keyword::Onbuild),
                        _ => Keyword::Arg,
                    };
                    return Some(Cause::Env {
                        name: v.name.clone(),
                        entry: def.entry,
                        keyword,
                    });
                }
            }
            // A declared ARG without a value now gets one (or the reverse).
            if let Some(declared) = &node.declared {
                for (name, d) in declared.iter().rev() {
                    if env.get_var(name).is_some() {
                        continue;
                    }
                    let latest = declared.iter().rev().find(|(n, _)| n == name);
                    if latest.map(|(_, l)| l) != Some(d) {
                        continue;
                    }
                    if taint.defs.get(*d as usize).copied().unwrap_or(false) {
                        let entry = self.defs[*d as usize].entry;
                        return Some(match build_arg {
                            Some(_) => Cause::BuildArg {
                                name: name.clone(),
                                entry,
                                used: self.command_uses(node.entry, name),
                            },
                            None => Cause::EnvAppears {
                                name: name.clone(),
                                entry,
                            },
                        });
                    }
                }
            }
        }
        if let Some((name, def_entry)) = hit_at.get(&node.entry) {
            return Some(Cause::Var {
                name: name.clone(),
                entry: *def_entry,
            });
        }
        let set =
            |e: Option<u32>| e.filter(|&e| taint.setters.get(e as usize).copied().unwrap_or(false));
        if let Some(e) = set(node.user_from) {
            return Some(Cause::User { entry: e as usize });
        }
        if let Some(e) = set(node.shell_from) {
            return Some(Cause::Shell { entry: e as usize });
        }
        if let Some(from) = &node.cwd_from {
            if let Some(&e) = from
                .iter()
                .find(|&&e| taint.setters.get(e as usize).copied().unwrap_or(false))
            {
                return Some(Cause::Workdir { entry: e as usize });
            }
        }
        None
    }

    /// Whether the RUN command text at `entry` mentions `$name` (the shell expands it).
    fn command_uses(&self, entry: usize, name: &str) -> bool {
        self.shell_uses
            .iter()
            .any(|(e, n)| *e == entry && n == name)
    }

    fn seed_diff(&self, old: &CacheAnalysis, seeds: &mut Seeds) {
        let new = self;
        // The frontend decides the LLB: a different one may emit other steps.
        let old_syntax = old.syntax.as_ref().map(|(_, v)| v.as_str());
        let new_syntax = new.syntax.as_ref().map(|(_, v)| v.as_str());
        if old_syntax != new_syntax {
            seeds.note(format!(
                "the # syntax directive changed ({} → {})",
                old_syntax.unwrap_or("none"),
                new_syntax.unwrap_or("none")
            ));
            new.seed_all(seeds, Status::Conditional, &Cause::Frontend);
        }
        if old.text_hash != new.text_hash {
            new.seed_dockerfile(seeds);
        }

        // Old nodes that had a cache entry: those of the stages built for the target. BuildKit
        // merges identical ops (two `FROM alpine` are one vertex): each old node gets a
        // canonical id, the first node with the same definition, the same definition inputs
        // and the same content inputs.
        type Key = (u64, Vec<NodeId>);
        let mut built: HashMap<Key, Vec<NodeId>> = HashMap::new();
        let mut unbuilt: HashMap<Key, Vec<NodeId>> = HashMap::new();
        let mut canon: Vec<NodeId> = Vec::with_capacity(old.nodes.len());
        for (i, o) in old.nodes.iter().enumerate() {
            let key = (o.fp, o.hard.iter().map(|&h| canon[h]).collect::<Vec<_>>());
            let ids: Vec<ContentId> = o
                .content
                .iter()
                .map(|c| content_id(c, |u| Some(canon[u])))
                .collect();
            let same = |c: &NodeId| {
                old.nodes[*c]
                    .content
                    .iter()
                    .map(|x| content_id(x, |u| Some(canon[u])))
                    .eq(ids.iter().copied())
            };
            let existing = built
                .get(&key)
                .into_iter()
                .chain(unbuilt.get(&key))
                .flatten()
                .copied()
                .find(same);
            let c = existing.unwrap_or(i);
            canon.push(c);
            // A vertex is cached if any stage built for the target produced it.
            let map = if old.stages[o.stage].reachable {
                &mut built
            } else {
                &mut unbuilt
            };
            let list = map.entry(key).or_default();
            if !list.contains(&c) {
                list.push(c);
            }
        }
        let mut aligned: Option<Vec<Option<NodeId>>> = None;
        let mut corr: Vec<Option<NodeId>> = vec![None; new.nodes.len()];
        let mut hards: Vec<NodeId> = Vec::new();
        for (i, n) in new.nodes.iter().enumerate() {
            if !new.reachable(i) {
                continue;
            }
            hards.clear();
            let all = n.hard.iter().all(|h| match corr[*h] {
                Some(o) => {
                    hards.push(o);
                    true
                }
                None => false,
            });
            if all {
                let key = (n.fp, std::mem::take(&mut hards));
                let candidates = built.get(&key).cloned().unwrap_or_default();
                let was_unbuilt = candidates.is_empty() && unbuilt.contains_key(&key);
                hards = key.1;
                if !candidates.is_empty() {
                    // The op with the same inputs, else one reading other bytes (content
                    // edges are compared by checksum: cached if the bytes are the same).
                    let ids: Vec<ContentId> = n
                        .content
                        .iter()
                        .map(|c| content_id(c, |u| corr[u]))
                        .collect();
                    let exact = candidates.iter().copied().find(|&c| {
                        old.nodes[c]
                            .content
                            .iter()
                            .map(|x| content_id(x, |u| Some(canon[u])))
                            .eq(ids.iter().copied())
                    });
                    match exact {
                        Some(o) => corr[i] = Some(o),
                        None => {
                            corr[i] = candidates.first().copied();
                            seeds.seed(i, Status::Conditional, Cause::UpstreamSwitched);
                        }
                    }
                    continue;
                }
                if was_unbuilt {
                    seeds.seed(i, Status::Invalidated, Cause::NotBuiltBefore);
                    continue;
                }
            }
            if n.step.is_none() && !all {
                continue;
            }
            // The node's own key changed (or it chains on one that did): say what differs
            // from the step it replaces.
            let aligned = aligned.get_or_insert_with(|| align::align(old, new));
            match aligned.get(i).copied().flatten() {
                // Same definition on top of other inputs: it moved.
                Some(o) if old.nodes[o].fp == n.fp && all => {
                    seeds.seed(i, Status::Invalidated, Cause::Moved);
                }
                Some(o) if old.nodes[o].fp == n.fp => {}
                Some(o) => {
                    let cause = describe(old, o, new, i);
                    seeds.seed(i, Status::Invalidated, cause);
                }
                None if n.step.is_some() => seeds.seed(i, Status::Invalidated, Cause::New),
                None => {}
            }
        }
    }
}

/// What a content edge reads, for telling ops apart: the context, a node (by canonical or
/// corresponding id), or an image.
type ContentId = (u8, u64);

fn content_id(c: &Content, node: impl Fn(NodeId) -> Option<NodeId>) -> ContentId {
    match c {
        Content::Context { .. } => (0, 0),
        Content::Stage { node: u, .. } => (1, node(*u).map_or(u64::MAX, |x| x as u64)),
        Content::Image { reference } => (
            2,
            super::fingerprint::Fp::new("image").str(reference).finish(),
        ),
    }
}

/// The first ingredient that differs between an old and a new node, as a cause.
fn describe(old: &CacheAnalysis, o: NodeId, new: &CacheAnalysis, n: NodeId) -> Cause {
    let (on, nn) = (&old.nodes[o], &new.nodes[n]);
    let part = new
        .parts_of(n)
        .iter()
        .zip(old.parts_of(o).iter())
        .find(|(a, b)| a != b)
        .map_or(Part::Base, |(a, _)| a.0);
    let changed = |entry: Option<usize>| Cause::Changed {
        part,
        entry,
        old: None,
        new: None,
    };
    match part {
        Part::Env => env_cause(old, on, new, nn).unwrap_or_else(|| changed(None)),
        Part::Command if on.detail == nn.detail => Cause::Changed {
            part,
            entry: None,
            old: None,
            new: Some("heredoc".to_string()),
        },
        Part::Image => Cause::Changed {
            part,
            entry: None,
            old: old.stages[on.stage].image.clone(),
            new: new.stages[nn.stage].image.clone(),
        },
        Part::Shell => changed(nn.shell_from.map(|e| e as usize)),
        Part::User | Part::Owner => changed(nn.user_from.map(|e| e as usize)),
        Part::Workdir | Part::Dest => changed(
            nn.cwd_from
                .as_ref()
                .and_then(|f| f.last())
                .map(|&e| e as usize),
        ),
        _ => changed(None),
    }
}

/// Which variable made two environments differ.
fn env_cause(
    old: &CacheAnalysis,
    on: &super::analysis::Node,
    new: &CacheAnalysis,
    nn: &super::analysis::Node,
) -> Option<Cause> {
    let (oe, ne) = (on.env.as_ref()?, nn.env.as_ref()?);
    let def_entry = |an: &CacheAnalysis, origin: Origin| match origin {
        Origin::Def(d) | Origin::BuildArg(d) => an.defs.get(d as usize).map(|d| (d.entry, d.kind)),
        _ => None,
    };
    for v in ne.vars() {
        match oe.get_var(&v.name) {
            Some(ov) if ov.value == v.value => {}
            _ => {
                return Some(match def_entry(new, v.origin) {
                    Some((entry, kind)) => Cause::Env {
                        name: v.name.clone(),
                        entry,
                        keyword: match kind {
                            DefKind::Env => Keyword::Env,
                            DefKind::Onbuild => Keyword::Onbuild,
                            _ => Keyword::Arg,
                        },
                    },
                    None => Cause::Changed {
                        part: Part::Env,
                        entry: None,
                        old: None,
                        new: None,
                    },
                });
            }
        }
    }
    for v in oe.vars() {
        if ne.get_var(&v.name).is_none() {
            return Some(Cause::EnvRemoved {
                name: v.name.clone(),
            });
        }
    }
    // Same variables and values in another order: the one set latest moved to the end.
    let k = oe
        .vars()
        .iter()
        .zip(ne.vars())
        .position(|(a, b)| a.name != b.name)?;
    let moved = ne.vars()[k..]
        .iter()
        .max_by_key(|v| def_entry(new, v.origin).map_or(0, |(e, _)| e + 1))?;
    let _ = old;
    Some(Cause::EnvOrder {
        name: moved.name.clone(),
        entry: def_entry(new, moved.origin).map(|(e, _)| e),
    })
}

/// A context path as the ignore matcher and the selectors expect it.
fn normalize_rel(p: &str) -> String {
    let cleaned = super::state::clean(&format!("/{}", p.replace('\\', "/")));
    cleaned.trim_start_matches('/').to_string()
}

/// Which definitions and state-setting entries a change touches, closed over the values
/// that are computed from them (`ENV B=$A`, `ARG X` inheriting a global `ARG X`).
struct Taint {
    defs: Vec<bool>,
    setters: Vec<bool>,
}

/// Uses of tainted definitions: `(entry, name, defining entry)`.
type Hits = Vec<(usize, SmolStr, Option<usize>)>;

impl Taint {
    fn new(an: &CacheAnalysis) -> Taint {
        Taint {
            defs: vec![false; an.defs.len()],
            setters: vec![false; an.entries.len()],
        }
    }

    fn any(&self) -> bool {
        self.defs.iter().any(|&b| b) || self.setters.iter().any(|&b| b)
    }

    /// Closes the taint over uses; returns every use of a tainted definition as
    /// `(entry, name, defining entry)`.
    fn close(&mut self, an: &CacheAnalysis) -> Hits {
        let mut hits = Vec::new();
        let mut seen = vec![false; an.uses.len()];
        loop {
            let mut changed = false;
            for (d, def) in an.defs.iter().enumerate() {
                if !self.defs[d] && def.inherits.is_some_and(|g| self.defs[g as usize]) {
                    self.defs[d] = true;
                    changed = true;
                }
            }
            for (k, u) in an.uses.iter().enumerate() {
                if seen[k] {
                    continue;
                }
                let Some(d) = u.def else { continue };
                if !self.defs.get(d as usize).copied().unwrap_or(false) {
                    continue;
                }
                seen[k] = true;
                let def_entry = an.defs.get(d as usize).map(|d| d.entry);
                hits.push((u.entry, u.name.clone(), def_entry));
                // The use sits in a definition's value: that definition is tainted too.
                let start = an.defs.partition_point(|x| x.entry < u.entry);
                let at_entry: Vec<usize> = (start..an.defs.len())
                    .take_while(|&x| an.defs[x].entry == u.entry)
                    .collect();
                let containing: Vec<usize> = at_entry
                    .iter()
                    .copied()
                    .filter(|&x| an.defs[x].span.0 <= u.at && u.at <= an.defs[x].span.1)
                    .collect();
                let targets = if containing.is_empty() {
                    at_entry
                } else {
                    containing
                };
                for x in targets {
                    if !self.defs[x] {
                        self.defs[x] = true;
                        changed = true;
                    }
                }
                // A USER / WORKDIR / SHELL whose value uses it.
                if let Some(e) = an.entries.get(u.entry) {
                    let kw = e.trigger.unwrap_or(e.keyword);
                    if matches!(kw, Keyword::User | Keyword::Workdir | Keyword::Shell)
                        && !self.setters[u.entry]
                    {
                        self.setters[u.entry] = true;
                        changed = true;
                    }
                }
            }
            if !changed {
                break;
            }
        }
        hits
    }
}
