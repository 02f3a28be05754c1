//! Stages: name syntax, what FROM's image and `--platform` expand to, `COPY --from` and
//! mount `from=` references (variables, indices, stages defined later), dependency cycles,
//! and the configured target.

use std::collections::HashMap;

use smol_str::SmolStr;

use super::suggest::{search, with_suggestion};
use super::{Ctx, golang, reference};
use crate::model::{Base, Mount, Stage};
use crate::syntax::shell::go_quote;
use crate::syntax::{Keyword, TextRange, TextSize};

pub(super) fn check(ctx: &mut Ctx<'_>) {
    let model = ctx.model;
    let stages = &model.stages;
    for stage in stages {
        stage_name(ctx, stage);
        base(ctx, stage);
        platform(ctx, stage);
    }
    let edges = references(ctx);
    cycles(ctx, &edges);
    if let Some(t) = &ctx.model.target_missing {
        let names: Vec<&str> = stages.iter().filter_map(|s| s.name.as_deref()).collect();
        let s = search(t, names, true);
        let message = with_suggestion(
            format!("target stage {} could not be found", go_quote(t)),
            s.as_deref(),
        );
        ctx.error(
            "TargetNotFound",
            TextRange::empty(TextSize::from(0)),
            message,
            None,
        );
    }
}

/// BuildKit's name for a stage in messages: its name, or `stage-N`.
pub(super) fn display_name(stage: &Stage) -> String {
    stage
        .name
        .as_ref()
        .map_or_else(|| format!("stage-{}", stage.index), |n| n.to_string())
}

fn stage_name(ctx: &mut Ctx<'_>, stage: &Stage) {
    let (Some(name), Some(range)) = (&stage.name, stage.name_range) else {
        return;
    };
    let valid = name.starts_with(|c: char| c.is_ascii_lowercase())
        && name.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_' | b'.')
        });
    if !valid {
        let written = ctx.slice(range).to_string();
        ctx.error(
            "InvalidStageName",
            range,
            format!(
                "invalid name for build stage: {}, name can't start with a number or contain symbols",
                go_quote(&written)
            ),
            Some(stage.from_entry),
        );
    }
}

/// Whether an expansion depends on a global ARG the user is expected to pass with
/// `--build-arg` (declared, and not given in the configuration). BuildKit without that
/// build arg fails; with it, it may not. The InvalidDefaultArgInFrom check covers the
/// case instead.
fn needs_build_arg(ctx: &Ctx<'_>, text: &str) -> bool {
    let scan = ctx.lexer.var_refs(text);
    scan.refs.iter().any(|r| {
        !ctx.config.build_args.contains_key(&r.name)
            && ctx.model.meta_args.iter().any(|&i| {
                ctx.model
                    .var_defs
                    .iter()
                    .any(|d| d.entry == i && d.name == r.name)
            })
    })
}

fn base(ctx: &mut Ctx<'_>, stage: &Stage) {
    let Some(range) = stage.base_range else {
        return;
    };
    let raw = stage.base_text.as_str();
    let Ok(p) = ctx.lexer.process_word(raw, &ctx.model.global_env) else {
        return; // a substitution error, reported with the others
    };
    if p.value.is_empty() {
        if !needs_build_arg(ctx, raw) {
            ctx.error(
                "BlankBaseName",
                range,
                format!("base name ({raw}) should not be blank"),
                Some(stage.from_entry),
            );
        }
        return;
    }
    if !matches!(stage.base, Base::Image(_)) {
        return;
    }
    if let Err(e) = reference::parse_normalized_named(&p.value) {
        if !needs_build_arg(ctx, raw) {
            ctx.error(
                "InvalidBaseName",
                range,
                format!("failed to parse stage name {}: {e}", go_quote(&p.value)),
                Some(stage.from_entry),
            );
        }
    }
}

fn platform(ctx: &mut Ctx<'_>, stage: &Stage) {
    let Some(entry) = ctx.entry(stage.from_entry) else {
        return;
    };
    let Some(flag) = entry.inst.command.flag("platform") else {
        return;
    };
    let (Some(raw), Some(vr)) = (flag.value.as_deref(), flag.value_range) else {
        return;
    };
    let range = entry.abs(vr);
    let Ok(p) = ctx.lexer.process_word(raw, &ctx.model.global_env) else {
        return;
    };
    if needs_build_arg(ctx, raw) {
        return;
    }
    if p.value.is_empty() {
        ctx.error(
            "InvalidPlatform",
            range,
            format!("empty platform value from expression {raw}"),
            Some(stage.from_entry),
        );
    } else if let Err(e) = golang::parse_platform(&p.value) {
        ctx.error(
            "InvalidPlatform",
            range,
            format!("failed to parse platform {raw}: {e}"),
            Some(stage.from_entry),
        );
    }
}

/// A dependency of stage `from` on stage `to`, written at `range`.
pub(super) struct Edge {
    from: usize,
    to: usize,
    range: TextRange,
    entry: usize,
}

/// Checks `COPY --from` and mount `from=` values and returns the stage-to-stage edges
/// (BuildKit's `deps`, which do not include the FROM base).
fn references(ctx: &mut Ctx<'_>) -> Vec<Edge> {
    let mut edges = Vec::new();
    let n = ctx.model.stages.len();
    // A stage's instructions are `from_entry..end_entry` (what `entries[i].stage` says, without
    // reading the model's entry of every instruction).
    let model = ctx.model;
    let in_stages = model
        .stages
        .iter()
        .flat_map(|s| (s.from_entry..s.end_entry).map(|i| (i, s.index)));
    // Many references name few stages: look each name up once.
    let mut by_name: HashMap<SmolStr, Option<usize>> = HashMap::new();
    let mut stage_by_name = |name: &str| {
        if let Some(&found) = by_name.get(name) {
            return found;
        }
        let found = model.stage_by_name(name).map(|s| s.index);
        by_name.insert(SmolStr::new(name), found);
        found
    };
    for (i, current) in in_stages {
        let Some(entry) = ctx.parse.entry(i) else {
            continue;
        };
        let cmd = &entry.inst.command;
        match cmd.kind {
            Keyword::Copy => {
                let Some(flag) = cmd.flags.iter().rev().find(|f| f.name == "from") else {
                    continue;
                };
                let (Some(value), Some(vr)) = (flag.value.as_deref(), flag.value_range) else {
                    continue;
                };
                let range = entry.abs(vr);
                let empty = crate::model::EnvList::default();
                match ctx.lexer.process_word(value, &empty) {
                    Err(e) => {
                        ctx.error(
                            "InvalidSubstitution",
                            range,
                            e.buildkit_message(value),
                            Some(i),
                        );
                        continue;
                    }
                    Ok(p) if p.value != value => {
                        ctx.error(
                            "VariableInFrom",
                            range,
                            "variable expansion is not supported for --from, define a new stage with FROM using ARG from global scope as a workaround",
                            Some(i),
                        );
                        continue;
                    }
                    Ok(_) => {}
                }
                let target = match golang::parse_int(value, 64) {
                    Ok(index) => {
                        if index < 0 || index as usize >= n {
                            ctx.error(
                                "InvalidStageIndex",
                                range,
                                format!("invalid stage index {index}"),
                                Some(i),
                            );
                            continue;
                        }
                        index as usize
                    }
                    Err(_) => match stage_by_name(value) {
                        Some(s) => s,
                        None => continue,
                    },
                };
                if target > current {
                    let message = format!(
                        "cannot copy from stage {}, it needs to be defined before current stage {}",
                        go_quote(value),
                        go_quote(&display_name(&ctx.model.stages[current]))
                    );
                    ctx.error("ForwardStageReference", range, message, Some(i));
                }
                edges.push(Edge {
                    from: current,
                    to: target,
                    range,
                    entry: i,
                });
            }
            Keyword::Run => {
                for flag in cmd.flags.iter().filter(|f| f.name == "mount") {
                    let (Some(value), Some(vr)) = (flag.value.as_deref(), flag.value_range) else {
                        continue;
                    };
                    let abs = entry.abs(vr);
                    let m = Mount::parse(value);
                    let Some(field) = m.get("from") else { continue };
                    let Some(from) = field.value.as_deref() else {
                        continue;
                    };
                    let exact = ctx.slice(abs) == value;
                    let range = match (&field.value_range, exact) {
                        (Some(r), true) => TextRange::new(
                            abs.start() + TextSize::from(r.start as u32),
                            abs.start() + TextSize::from(r.end as u32),
                        ),
                        _ => abs,
                    };
                    if from.find('$').is_some_and(|p| p != from.len() - 1) {
                        ctx.error(
                            "VariableInFrom",
                            range,
                            "'from' doesn't support variable expansion, define alias stage instead",
                            Some(i),
                        );
                        continue;
                    }
                    // Mounts look stages up by name only (a number is an image name here).
                    let Some(target) = stage_by_name(from) else {
                        continue;
                    };
                    if target > current {
                        let dst = m
                            .get("target")
                            .and_then(|f| f.value.as_deref())
                            .unwrap_or("")
                            .to_string();
                        let message = format!(
                            "cannot mount from stage {} to {}, stage needs to be defined before current command",
                            go_quote(from),
                            go_quote(&dst)
                        );
                        ctx.error("ForwardStageReference", range, message, Some(i));
                    }
                    edges.push(Edge {
                        from: current,
                        to: target,
                        range,
                        entry: i,
                    });
                }
            }
            _ => {}
        }
    }
    edges
}

/// `validateCircularDependency`: every reference on a cycle of stage dependencies (a stage
/// copying from itself included) is an error.
fn cycles(ctx: &mut Ctx<'_>, edges: &[Edge]) {
    if edges.is_empty() {
        return;
    }
    let n = ctx.model.stages.len();
    let mut adjacency = vec![Vec::new(); n];
    for e in edges {
        adjacency[e.from].push(e.to);
    }
    for list in &mut adjacency {
        list.sort_unstable();
        list.dedup();
    }
    // What each stage reaches, once per stage that has dependencies.
    let mut reach: Vec<Option<Vec<bool>>> = vec![None; n];
    let mut reaches = |from: usize, to: usize| -> bool {
        let seen = reach[from].get_or_insert_with(|| {
            let mut seen = vec![false; n];
            let mut stack = vec![from];
            while let Some(s) = stack.pop() {
                for &t in &adjacency[s] {
                    if !std::mem::replace(&mut seen[t], true) {
                        stack.push(t);
                    }
                }
            }
            seen
        });
        seen[to]
    };
    for e in edges {
        if e.to == e.from || reaches(e.to, e.from) {
            let name = display_name(&ctx.model.stages[e.from]);
            ctx.error(
                "CircularDependency",
                e.range,
                format!("circular dependency detected on stage: {name}"),
                Some(e.entry),
            );
        }
    }
}
