//! Hover: what the thing under the cursor is and what it holds, in markdown.
//!
//! - a variable: its value at that point and where the value comes from (default, ENV value,
//!   `--build-arg`, predefined, unset, the unknown base image), and where it is defined;
//! - a stage name (definition or reference): the chain of bases (`final ← build ← node:20`)
//!   and the image config the stage produces, shaped like `docker image inspect`'s `Config`,
//!   saying what comes from a base image we cannot see;
//! - a base image or an image in `--from=`: its full name and its registry page;
//! - a heredoc delimiter: the body's lines and how it is used;
//! - an instruction keyword, a flag, a `--mount` key or type, a flag value, a parser directive
//!   or a rule name in `# check=`: the reference text from [`crate::docs`], with a link.
//!
//! Like the other features it starts from the instruction under the cursor (a binary search)
//! and reads only that instruction and the model's per-instruction data.

use std::fmt::Write as _;

use super::image_ref;
use super::navigation::{Symbol, heredoc_names, inherited_global, line_of, symbol_at};
use crate::docs::{self, FlagInfo};
use crate::model::{
    Base, DefKind, EnvList, Model, Mount, Origin, Stage, StageRef, UseContext, VarDef, VarUse,
};
use crate::syntax::{Command, Entry, Keyword, Parse, TextRange, TextSize};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hover {
    /// What the hover is about (the word to underline).
    pub range: TextRange,
    pub markdown: String,
}

/// Longest value shown inline before it is cut.
const MAX_VALUE: usize = 200;

pub fn hover(parse: &Parse, model: &Model, offset: TextSize) -> Option<Hover> {
    if let Some(d) = parse
        .directives()
        .iter()
        .find(|d| d.range.contains_inclusive(offset))
    {
        return directive_hover(parse, model, d, offset);
    }
    let i = parse.entry_at(offset)?;
    let entry = parse.entry(i)?;
    if let Some(at) = symbol_at(parse, model, offset) {
        let markdown = match at.symbol {
            Symbol::VarUse(u) => Some(use_hover(parse, model, &model.var_uses[u])),
            Symbol::VarDef(d) => Some(def_hover(parse, model, d)),
            Symbol::StageDef(s) => Some(stage_hover(parse, model, s)),
            Symbol::StageRef(r) => Some(stage_ref_hover(parse, model, &model.stage_refs[r])),
            Symbol::Heredoc { heredoc, .. } => heredoc_hover(parse, entry, heredoc),
        };
        if let Some(markdown) = markdown {
            return Some(Hover {
                range: at.range,
                markdown,
            });
        }
    }
    let info = model.entries.get(i)?;
    if let Some(stage) = info.stage.and_then(|s| model.stages.get(s)) {
        if stage.from_entry == i {
            if let Some(range) = stage.base_range.filter(|r| r.contains_inclusive(offset)) {
                return Some(Hover {
                    range,
                    markdown: base_hover(parse, model, stage),
                });
            }
        }
    }
    let cmd = &entry.inst.command;
    for c in [Some(cmd), cmd.trigger.as_deref()].into_iter().flatten() {
        if let Some(hover) = command_hover(parse, entry, c, offset) {
            return Some(hover);
        }
    }
    None
}

// ---- Markdown helpers ----------------------------------------------------------------------------

/// Inline code that survives backticks in `s` (cut when very long).
fn code(s: &str) -> String {
    let s: String = if s.chars().count() > MAX_VALUE {
        let mut cut: String = s.chars().take(MAX_VALUE).collect();
        cut.push('…');
        cut
    } else {
        s.to_string()
    };
    let s = s.replace('\n', "⏎");
    let longest = s.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    if s.is_empty() {
        return "*(empty)*".to_string();
    }
    let pad = if s.starts_with('`') || s.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{s}{pad}{fence}")
}

fn link(label: &str, url: &str) -> String {
    format!("[{label}]({url})")
}

fn line_of_def(parse: &Parse, def: &VarDef) -> u32 {
    line_of(parse, def.entry, def.range.start())
}

fn stage_line(parse: &Parse, stage: &Stage) -> u32 {
    line_of(parse, stage.from_entry, TextSize::from(0))
}

/// `ARG NAME=default` / `ENV NAME=value` as written, for a code block.
fn def_source(parse: &Parse, def: &VarDef) -> String {
    let keyword = def_keyword(parse, def);
    let end = def.value_range.map_or(def.range.end(), |v| v.end());
    let written = parse
        .text()
        .get(def.range.start().into()..end.into())
        .unwrap_or(def.name.as_str());
    let written = if written.contains('\n') {
        def.name.as_str()
    } else {
        written
    };
    format!("{keyword} {written}")
}

/// `ARG` or `ENV`, also inside ONBUILD.
fn def_keyword(parse: &Parse, def: &VarDef) -> &'static str {
    match def.kind {
        DefKind::Env => "ENV",
        DefKind::Arg | DefKind::GlobalArg => "ARG",
        DefKind::Onbuild => match parse
            .entry(def.entry)
            .map(|e| e.inst.command.effective().kind)
        {
            Some(Keyword::Env) => "ENV",
            _ => "ARG",
        },
    }
}

// ---- Variables -----------------------------------------------------------------------------------

/// Where a use's value comes from.
enum ValueOrigin {
    Default(u32),
    Env,
    BuildArg,
    Predefined,
    DefaultPath,
    /// Declared (ARG without a default, no global value) and not passed.
    Unset(u32),
    /// Not defined in the file; the stage builds on an image whose ENV is unknown.
    BaseImage(String),
    /// A global ARG used in a stage that did not re-declare it.
    GlobalNotDeclared(u32),
    /// An ARG used where only ENV is visible (CMD, ENTRYPOINT, HEALTHCHECK).
    ArgAtRuntime(u32),
    Undefined,
}

/// The environment a use was resolved in.
fn use_env<'m>(model: &'m Model, u: &VarUse) -> Option<&'m EnvList> {
    let info = model.entries.get(u.entry)?;
    Some(match u.context {
        UseContext::From => &model.global_env,
        UseContext::Runtime => &info.runtime_env,
        UseContext::Builder | UseContext::Shell => &info.env,
    })
}

fn by_kind(model: &Model, parse: &Parse, d: u32) -> ValueOrigin {
    match model.var_defs.get(d as usize) {
        Some(def) if def_keyword(parse, def) == "ENV" => ValueOrigin::Env,
        _ => ValueOrigin::Default(d),
    }
}

fn value_origin(parse: &Parse, model: &Model, u: &VarUse) -> ValueOrigin {
    if let Some(var) = use_env(model, u).and_then(|env| env.get_var(&u.name)) {
        return match var.origin {
            Origin::BuildArg(_) => ValueOrigin::BuildArg,
            Origin::Def(d) => by_kind(model, parse, d),
            Origin::Predefined => ValueOrigin::Predefined,
            Origin::DefaultPath => ValueOrigin::DefaultPath,
        };
    }
    if let Some(d) = u.def {
        // Defined earlier on the same ARG line (the entry's environment predates the line).
        return if u.value.is_some() {
            by_kind(model, parse, d)
        } else {
            ValueOrigin::Unset(d)
        };
    }
    if u.predefined {
        return ValueOrigin::Predefined;
    }
    let info = model.entries.get(u.entry);
    if u.context == UseContext::Runtime {
        if let Some((_, d)) =
            info.and_then(|i| i.declared_args.iter().rev().find(|(n, _)| *n == u.name))
        {
            return ValueOrigin::ArgAtRuntime(*d);
        }
    }
    let stage = info.and_then(|i| i.stage).and_then(|s| model.stages.get(s));
    if u.context != UseContext::From {
        if let Some(Origin::Def(g) | Origin::BuildArg(g)) =
            model.global_env.get_var(&u.name).map(|v| v.origin)
        {
            return ValueOrigin::GlobalNotDeclared(g);
        }
        if let Some(stage) = stage.filter(|s| s.base_env_unknown) {
            return ValueOrigin::BaseImage(root_image(model, stage));
        }
    }
    ValueOrigin::Undefined
}

/// The image at the root of a stage's base chain, as text.
fn root_image(model: &Model, stage: &Stage) -> String {
    let mut s = stage;
    for _ in 0..=model.stages.len() {
        match &s.base {
            Base::Stage(p) => match model.stages.get(*p) {
                Some(parent) => s = parent,
                None => break,
            },
            Base::Image(image) => return image.clone(),
            Base::Scratch => return "scratch".to_string(),
            Base::Unresolved(_) => break,
        }
    }
    s.base_text.to_string()
}

fn use_hover(parse: &Parse, model: &Model, u: &VarUse) -> String {
    let mut md = String::new();
    let origin = value_origin(parse, model, u);
    let def = u.def.and_then(|d| model.var_defs.get(d as usize));
    let kind = match (&origin, def) {
        (ValueOrigin::Predefined | ValueOrigin::DefaultPath, _) => "predefined",
        (_, Some(def)) => def_keyword(parse, def),
        _ => "variable",
    };
    let _ = writeln!(md, "**{kind}** {}", code(&u.name));
    md.push('\n');
    let value = u.value.as_deref().map(code);
    let line = |d: u32| {
        model
            .var_defs
            .get(d as usize)
            .map_or(0, |def| line_of_def(parse, def))
    };
    let sentence = match &origin {
        ValueOrigin::Default(d) => {
            let from_global = inherited_global(model, *d);
            match (value, from_global) {
                (Some(v), Some(g)) => format!(
                    "Value here: {v}, the default of the global ARG on line {}.",
                    line(g)
                ),
                (Some(v), None) => format!("Value here: {v} (default)."),
                (None, _) => "Unset here.".to_string(),
            }
        }
        ValueOrigin::Env => match value {
            Some(v) => format!("Value here: {v} (ENV value)."),
            None => "Unset here.".to_string(),
        },
        ValueOrigin::BuildArg => match value {
            Some(v) => format!("Value here: {v} (from `--build-arg`)."),
            None => "Set with `--build-arg`.".to_string(),
        },
        ValueOrigin::Predefined => match value {
            Some(v) => format!("Value here: {v} (predefined)."),
            None => "Predefined: set by the builder or with `--build-arg`; \
                     unset unless passed."
                .to_string(),
        },
        ValueOrigin::DefaultPath => format!(
            "Value here: {} (BuildKit's default `PATH`, used when the base image sets none).",
            value.unwrap_or_default()
        ),
        ValueOrigin::Unset(d) => format!(
            "Unset here — declared on line {} without a default; pass `--build-arg {}=…` to set it.",
            line(*d),
            u.name
        ),
        ValueOrigin::BaseImage(image) => format!(
            "Not defined in this file: if set, it comes from the base image {} (unknown here).",
            code(image)
        ),
        ValueOrigin::GlobalNotDeclared(g) => format!(
            "Not visible here: the global ARG on line {} is only seen by `FROM` lines. \
             Add `ARG {}` to this stage to use it.",
            line(*g),
            u.name
        ),
        ValueOrigin::ArgAtRuntime(d) => format!(
            "Not set when this runs: the ARG on line {} exists only while building; \
             `CMD`, `ENTRYPOINT` and `HEALTHCHECK` see ENV variables only.",
            line(*d)
        ),
        ValueOrigin::Undefined => "Not defined here.".to_string(),
    };
    let _ = writeln!(md, "{sentence}");
    if let Some(def) = def {
        let _ = write!(
            md,
            "\n```dockerfile\n{}\n```\nDefined on line {}",
            def_source(parse, def),
            line_of_def(parse, def)
        );
        if let Some(g) = u.def.and_then(|d| inherited_global(model, d)) {
            let _ = write!(md, "; the value comes from line {}", line(g));
        }
        md.push_str(".\n");
    }
    if matches!(origin, ValueOrigin::Predefined) || u.def.is_none() {
        if let Some(p) = docs::predefined_arg(&u.name) {
            let _ = write!(
                md,
                "\n{}\n\n{}\n",
                p.doc,
                link("Dockerfile reference", p.url)
            );
        }
    }
    md
}

fn def_hover(parse: &Parse, model: &Model, d: u32) -> String {
    let def = &model.var_defs[d as usize];
    let keyword = def_keyword(parse, def);
    let mut md = String::new();
    let scope = match def.kind {
        DefKind::GlobalArg => "global ARG",
        DefKind::Onbuild => "ONBUILD",
        _ => keyword,
    };
    let _ = writeln!(md, "**{scope}** {}\n", code(&def.name));
    let _ = writeln!(md, "```dockerfile\n{}\n```", def_source(parse, def));
    let value = def.value.as_deref().map(code);
    let sentence = match (def.kind, &def.default, value) {
        (DefKind::Onbuild, _, _) => {
            "Runs when another build uses this stage's image as its base.".to_string()
        }
        (_, None, Some(v)) => match inherited_global(model, d) {
            Some(g) => format!(
                "Value: {v}, the default of the global ARG on line {}.",
                line_of_def(parse, &model.var_defs[g as usize])
            ),
            None => format!("Value: {v} (from `--build-arg`)."),
        },
        (_, None, None) => format!(
            "No default: unset unless passed with `--build-arg {}=…`.",
            def.name
        ),
        (_, Some(raw), Some(v)) if raw.as_str() != def.value.as_deref().unwrap_or_default() => {
            format!("Value: {v} (from {}).", code(raw))
        }
        (_, Some(_), Some(v)) => format!("Value: {v}."),
        (_, Some(_), None) => "The value could not be expanded.".to_string(),
    };
    let _ = writeln!(md, "{sentence}");
    if def.kind == DefKind::GlobalArg {
        let _ = writeln!(
            md,
            "\nVisible to `FROM` lines; inside a stage, declare `ARG {}` again to use it.",
            def.name
        );
    }
    if let Some(p) = docs::predefined_arg(&def.name) {
        let _ = write!(
            md,
            "\n{}\n\n{}\n",
            p.doc,
            link("Dockerfile reference", p.url)
        );
    }
    md
}

// ---- Stages --------------------------------------------------------------------------------------

fn stage_title(stage: &Stage) -> String {
    match &stage.name {
        Some(name) => name.to_string(),
        None => format!("stage {}", stage.index),
    }
}

/// `final ← build ← node:20`
pub fn base_chain(model: &Model, s: usize) -> String {
    let mut parts = Vec::new();
    let mut cur = model.stages.get(s);
    let mut guard = 0;
    while let Some(stage) = cur {
        parts.push(stage_title(stage));
        guard += 1;
        if guard > model.stages.len() {
            break;
        }
        cur = match &stage.base {
            Base::Stage(p) => model.stages.get(*p),
            Base::Image(image) => {
                parts.push(image_ref::parse(image).map_or(image.clone(), |r| r.familiar()));
                None
            }
            Base::Scratch => {
                parts.push("scratch".to_string());
                None
            }
            Base::Unresolved(_) => {
                parts.push("?".to_string());
                None
            }
        };
    }
    parts.join(" ← ")
}

fn stage_hover(parse: &Parse, model: &Model, s: usize) -> String {
    let Some(stage) = model.stages.get(s) else {
        return String::new();
    };
    let mut md = String::new();
    let _ = writeln!(
        md,
        "**stage** {} (index {}, line {})\n",
        code(&stage_title(stage)),
        stage.index,
        stage_line(parse, stage)
    );
    let _ = writeln!(md, "{}\n", code(&base_chain(model, s)));
    let root = root_of(model, stage);
    let unknown_base = match &root.base {
        Base::Image(image) => Some(image.clone()),
        _ => None,
    };
    let json = config_json(stage, unknown_base.is_some());
    let _ = writeln!(md, "```json\n{json}\n```");
    match (&root.base, unknown_base) {
        (_, Some(image)) => {
            let _ = writeln!(
                md,
                "\nFields not shown, and any further `Env`, come from {} (not inspected here).",
                code(&image)
            );
        }
        (Base::Unresolved(why), None) => {
            let _ = writeln!(md, "\nThe base image is unknown: {why}.");
        }
        _ => {}
    }
    if model.reachable.get(s) == Some(&false) {
        let _ = writeln!(md, "\nNot needed to build the target stage.");
    }
    md
}

/// The stage at the root of the FROM chain.
fn root_of<'m>(model: &'m Model, stage: &'m Stage) -> &'m Stage {
    let mut s = stage;
    for _ in 0..=model.stages.len() {
        match s.base {
            Base::Stage(p) => match model.stages.get(p) {
                Some(parent) => s = parent,
                None => break,
            },
            _ => break,
        }
    }
    s
}

fn json_str(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| format!("\"{s}\""))
}

/// A JSON array on one line when short, else one element per line.
fn json_array(items: &[String], indent: &str) -> String {
    let quoted: Vec<String> = items.iter().map(|s| json_str(s)).collect();
    let inline = format!("[{}]", quoted.join(", "));
    if inline.len() <= 60 {
        return inline;
    }
    let inner = format!("{indent}  ");
    format!(
        "[\n{}\n{indent}]",
        quoted
            .iter()
            .map(|q| format!("{inner}{q}"))
            .collect::<Vec<_>>()
            .join(",\n")
    )
}

fn json_object(pairs: &[(String, String)], indent: &str) -> String {
    let entries: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{}: {v}", json_str(k)))
        .collect();
    let inline = format!("{{{}}}", entries.join(", "));
    if inline.len() <= 60 {
        return inline;
    }
    let inner = format!("{indent}  ");
    format!(
        "{{\n{}\n{indent}}}",
        entries
            .iter()
            .map(|e| format!("{inner}{e}"))
            .collect::<Vec<_>>()
            .join(",\n")
    )
}

/// The config fields the stage sets, in `docker image inspect`'s order.
fn config_json(stage: &Stage, unknown_base: bool) -> String {
    let c = &stage.config;
    let ind = "  ";
    let mut fields: Vec<(&str, String)> = Vec::new();
    if let Some(user) = &c.user {
        fields.push(("User", json_str(user)));
    }
    if !c.exposed_ports.is_empty() {
        let ports: Vec<(String, String)> = c
            .exposed_ports
            .iter()
            .map(|p| (p.clone(), "{}".to_string()))
            .collect();
        fields.push(("ExposedPorts", json_object(&ports, ind)));
    }
    // BuildKit's default PATH is only added when the image has none; an unknown image may.
    let env: Vec<String> = c
        .env
        .vars()
        .iter()
        .filter(|v| !(unknown_base && v.origin == Origin::DefaultPath))
        .map(|v| format!("{}={}", v.name, v.value))
        .collect();
    if !env.is_empty() {
        fields.push(("Env", json_array(&env, ind)));
    }
    if let Some(cmd) = &c.cmd {
        fields.push(("Cmd", json_array(cmd, ind)));
    } else if c.entrypoint.is_some() {
        // ENTRYPOINT clears an inherited CMD.
        fields.push(("Cmd", "null".to_string()));
    }
    if let Some(test) = &c.healthcheck {
        fields.push((
            "Healthcheck",
            json_object(
                &[("Test".to_string(), json_array(test, &format!("{ind}  ")))],
                ind,
            ),
        ));
    }
    if !c.volumes.is_empty() {
        let volumes: Vec<(String, String)> = c
            .volumes
            .iter()
            .map(|v| (v.clone(), "{}".to_string()))
            .collect();
        fields.push(("Volumes", json_object(&volumes, ind)));
    }
    if let Some(dir) = &c.working_dir {
        fields.push(("WorkingDir", json_str(dir)));
    }
    if let Some(entrypoint) = &c.entrypoint {
        fields.push(("Entrypoint", json_array(entrypoint, ind)));
    }
    if !c.onbuild.is_empty() {
        fields.push(("OnBuild", json_array(&c.onbuild, ind)));
    }
    if !c.labels.is_empty() {
        let labels: Vec<(String, String)> = c
            .labels
            .iter()
            .map(|(k, v)| (k.clone(), json_str(v)))
            .collect();
        fields.push(("Labels", json_object(&labels, ind)));
    }
    if let Some(signal) = &c.stop_signal {
        fields.push(("StopSignal", json_str(signal)));
    }
    if let Some(shell) = &c.shell {
        fields.push(("Shell", json_array(shell, ind)));
    }
    if fields.is_empty() {
        return "{}".to_string();
    }
    let body: Vec<String> = fields
        .iter()
        .map(|(k, v)| format!("{ind}{}: {v}", json_str(k)))
        .collect();
    format!("{{\n{}\n}}", body.join(",\n"))
}

fn stage_ref_hover(parse: &Parse, model: &Model, r: &StageRef) -> String {
    if let Some(s) = r.target {
        let mut md = stage_hover(parse, model, s);
        if r.onbuild {
            md.push_str(
                "\nIn an ONBUILD trigger: resolved when a build uses this stage as its base.\n",
            );
        }
        return md;
    }
    if r.by_index {
        return format!(
            "**stage index** {}\n\nThere is no stage {} in this file (it has {}).\n",
            code(&r.text),
            r.text,
            model.stages.len()
        );
    }
    let mut md = image_hover(&r.text);
    md.push_str(
        "\nNot a stage of this file: BuildKit uses the named build context or pulls this image.\n",
    );
    md
}

fn image_hover(image: &str) -> String {
    match image_ref::parse(image) {
        Some(r) => {
            let mut md = format!("**image** {}\n\n", code(&r.familiar()));
            let canonical = r.canonical();
            if canonical != r.familiar() {
                let _ = writeln!(md, "Pulled as {}.", code(&canonical));
            }
            if let Some((url, site)) = image_ref::registry_page(&r) {
                let _ = writeln!(md, "\n{}", link(&format!("Open on {site}"), &url));
            }
            md
        }
        None => format!(
            "**image** {}\n\nNot a valid image reference.\n",
            code(image)
        ),
    }
}

fn base_hover(parse: &Parse, model: &Model, stage: &Stage) -> String {
    match &stage.base {
        Base::Image(image) => {
            let mut md = image_hover(image);
            if stage.base_text.as_str() != image {
                let _ = writeln!(
                    md,
                    "\n{} expands to {}.",
                    code(&stage.base_text),
                    code(image)
                );
            }
            let lower = image.to_lowercase();
            if let Some(named) = model
                .stages
                .iter()
                .find(|s| s.name.as_deref() == Some(lower.as_str()))
            {
                let why = if named.index > stage.index {
                    "`FROM` only refers to stages defined above it"
                } else {
                    "`FROM` compares stage names exactly, and stage names are stored in lower case"
                };
                let _ = writeln!(
                    md,
                    "\nNot the stage {} on line {}: {why}, so this pulls an image.",
                    code(named.name.as_deref().unwrap_or_default()),
                    stage_line(parse, named)
                );
            }
            md
        }
        Base::Scratch => {
            "**scratch**\n\nThe empty image: the stage starts with no files and an empty config.\n"
                .to_string()
        }
        Base::Stage(p) => stage_hover(parse, model, *p),
        Base::Unresolved(why) => format!(
            "**base image** {}\n\nCannot be determined: {why}.\n",
            code(&stage.base_text)
        ),
    }
}

// ---- Heredocs ------------------------------------------------------------------------------------

fn heredoc_hover(parse: &Parse, entry: Entry<'_>, index: usize) -> Option<String> {
    let h = entry.inst.heredocs.get(index)?;
    heredoc_names(parse, entry, h)?;
    let body = entry.abs(h.body);
    let text = parse.text();
    let first = line_at_offset(text, body.start());
    let lines = h.content.lines().count() as u32;
    let mut md = format!("**heredoc** {}\n\n", code(&h.name));
    if lines == 0 {
        md.push_str("The body is empty.");
    } else if lines == 1 {
        let _ = write!(md, "Body: line {first}.");
    } else {
        let _ = write!(md, "Body: lines {first}–{}.", first + lines - 1);
    }
    if h.terminator.is_none() {
        md.push_str(" No terminator line: BuildKit reports an unterminated heredoc.");
    }
    md.push('\n');
    let cmd = entry.inst.command.effective();
    let usage = match cmd.kind {
        Keyword::Copy | Keyword::Add => {
            "Written as a file (named after the delimiter when the destination is a directory)."
                .to_string()
        }
        Keyword::Run if only_heredoc(cmd, entry) => {
            "Run as the script of this step (a `#!` line picks the interpreter).".to_string()
        }
        Keyword::Run if h.fd == 0 => "Fed to the command on standard input.".to_string(),
        Keyword::Run => format!("Fed to the command on file descriptor {}.", h.fd),
        _ => String::new(),
    };
    if !usage.is_empty() {
        let _ = writeln!(md, "\n{usage}");
    }
    if h.chomp {
        md.push_str("\n`<<-`: leading tabs are removed from the body and the terminator.\n");
    }
    if h.expand {
        let who = if cmd.kind == Keyword::Run {
            "the shell expands"
        } else {
            "BuildKit expands"
        };
        let _ = writeln!(md, "\nVariables in the body: {who} them.");
    } else {
        md.push_str(
            "\nThe delimiter is quoted: the body is used as written, variables are not expanded.\n",
        );
    }
    Some(md)
}

/// `RUN <<EOF` with nothing but the heredoc.
fn only_heredoc(cmd: &Command, entry: Entry<'_>) -> bool {
    let args = cmd
        .nodes
        .first()
        .map(|n| n.value.trim())
        .unwrap_or_default();
    entry
        .inst
        .heredocs
        .iter()
        .any(|h| args.ends_with(h.name.as_str()) && !args.contains(' '))
}

fn line_at_offset(text: &str, offset: TextSize) -> u32 {
    let end = usize::from(offset).min(text.len());
    memchr::memchr_iter(b'\n', &text.as_bytes()[..end]).count() as u32 + 1
}

// ---- Keywords, flags, mounts, directives --------------------------------------------------------

fn command_hover(
    parse: &Parse,
    entry: Entry<'_>,
    cmd: &Command,
    offset: TextSize,
) -> Option<Hover> {
    let keyword_range = entry.abs(cmd.keyword_range);
    if keyword_range.contains_inclusive(offset) && cmd.kind != Keyword::Unknown {
        let info = docs::instruction(cmd.kind.as_str())?;
        let mut md = format!("**{}** — {}\n\n```dockerfile\n", info.name, info.summary);
        for sig in info.signatures {
            md.push_str(sig);
            md.push('\n');
        }
        let _ = write!(
            md,
            "```\n\n{}\n\n{}\n",
            info.doc,
            link("Dockerfile reference", info.url)
        );
        return Some(Hover {
            range: keyword_range,
            markdown: md,
        });
    }
    let flag = cmd
        .flags
        .iter()
        .find(|f| entry.abs(f.range).contains_inclusive(offset))?;
    let flag_range = entry.abs(flag.range);
    let info = docs::flag(cmd.kind.as_str(), &flag.name);
    let value_range = flag.value_range.map(|r| entry.abs(r));
    if let (Some(info), Some(vr)) = (info, value_range) {
        if vr.contains_inclusive(offset) {
            if flag.name == "mount" {
                if let Some(h) = mount_hover(parse, vr, offset) {
                    return Some(h);
                }
            } else if let Some(v) = flag.value.as_deref().and_then(|v| info.value(v)) {
                let md = format!(
                    "{}: {}\n\n---\n\n{}",
                    code(&format!("--{}={}", info.name, v.value)),
                    v.doc,
                    flag_doc(cmd, info)
                );
                return Some(Hover {
                    range: vr,
                    markdown: md,
                });
            }
        }
    }
    let md = match info {
        Some(info) => flag_doc(cmd, info),
        None => {
            let known: Vec<String> = docs::instruction(cmd.kind.as_str())
                .map(|i| i.flags.iter().map(|f| format!("`--{}`", f.name)).collect())
                .unwrap_or_default();
            let known = if known.is_empty() {
                "none".to_string()
            } else {
                known.join(", ")
            };
            format!(
                "**unknown flag** {} for `{}`\n\nIts flags: {known}.\n",
                code(&format!("--{}", flag.name)),
                cmd.kind.as_str()
            )
        }
    };
    Some(Hover {
        range: flag_range,
        markdown: md,
    })
}

fn flag_doc(cmd: &Command, info: &FlagInfo) -> String {
    let mut md = format!(
        "**{}** {}",
        cmd.kind.as_str(),
        code(&format!("--{}={}", info.name, info.placeholder))
    );
    if info.placeholder.is_empty() {
        md = format!(
            "**{}** {}",
            cmd.kind.as_str(),
            code(&format!("--{}", info.name))
        );
    }
    if info.labs_only {
        let _ = write!(md, " — labs only, since {}", info.since);
    } else {
        let _ = write!(md, " — since {}", info.since);
    }
    let _ = write!(md, "\n\n{}\n", info.doc);
    if !info.values.is_empty() {
        md.push_str("\nValues:\n");
        for v in info.values {
            let _ = writeln!(md, "- {}: {}", code(v.value), v.doc);
        }
    }
    if info.name == "mount" {
        let types: Vec<String> = docs::mount_types().iter().map(|t| code(t.name)).collect();
        let _ = writeln!(md, "\nTypes: {}.", types.join(", "));
    }
    let _ = writeln!(md, "\n{}", link("Dockerfile reference", info.url));
    md
}

/// The `--mount` key or type under the cursor. The mount text is re-split from the source so
/// that offsets are exact.
fn mount_hover(parse: &Parse, value: TextRange, offset: TextSize) -> Option<Hover> {
    let raw = parse.text().get(value.start().into()..value.end().into())?;
    let mount = Mount::parse(raw);
    let at = usize::from(offset - value.start());
    let field = mount
        .fields
        .iter()
        .find(|f| f.range.start <= at && at <= f.range.end)?;
    let abs = |r: &std::ops::Range<usize>| {
        TextRange::new(
            value.start() + TextSize::from(r.start as u32),
            value.start() + TextSize::from(r.end as u32),
        )
    };
    let on_value = field
        .value_range
        .as_ref()
        .is_some_and(|v| v.start <= at && at <= v.end && field.key_range != *v);
    if field.canonical_key() == "type" && on_value {
        let ty = docs::mount_type(field.value.as_deref()?)?;
        let md = format!(
            "**mount type** {}\n\n{}\n\nRequired keys: {}.\n\n{}\n",
            code(ty.name),
            ty.doc,
            if ty.required.is_empty() {
                "none".to_string()
            } else {
                ty.required
                    .iter()
                    .map(|k| code(k))
                    .collect::<Vec<_>>()
                    .join(", ")
            },
            link("Dockerfile reference", ty.url)
        );
        return Some(Hover {
            range: abs(field.value_range.as_ref()?),
            markdown: md,
        });
    }
    let option = docs::mount_option(&field.key)?;
    let mut md = String::new();
    let mut range = abs(&field.key_range);
    if on_value {
        if let Some(v) = field.value.as_deref().and_then(|v| {
            option
                .values
                .iter()
                .find(|x| x.value.eq_ignore_ascii_case(v))
        }) {
            let _ = write!(
                md,
                "{}: {}\n\n---\n\n",
                code(&format!("{}={}", option.name, v.value)),
                v.doc
            );
            range = field.value_range.as_ref().map_or(range, abs);
        }
    }
    let _ = write!(md, "**mount option** {}", code(option.name));
    if !option.aliases.is_empty() {
        let aliases: Vec<String> = option.aliases.iter().map(|a| code(a)).collect();
        let _ = write!(md, " (also {})", aliases.join(", "));
    }
    let _ = write!(
        md,
        " — for {}, since {}\n\n{}\n",
        option
            .types
            .iter()
            .map(|t| code(t))
            .collect::<Vec<_>>()
            .join(", "),
        option.since,
        option.doc
    );
    if !option.values.is_empty() {
        md.push_str("\nValues:\n");
        for v in option.values {
            let _ = writeln!(md, "- {}: {}", code(v.value), v.doc);
        }
    }
    // Link to the section of this mount's type when the key belongs to it.
    let kind = mount.kind();
    let type_url = docs::mount_type(&kind)
        .filter(|t| option.applies_to(t.name))
        .or_else(|| {
            docs::mount_types()
                .iter()
                .find(|t| option.applies_to(t.name))
        })
        .map_or(
            "https://docs.docker.com/reference/dockerfile/#run---mount",
            |t| t.url,
        );
    let _ = writeln!(md, "\n{}", link("Dockerfile reference", type_url));
    Some(Hover {
        range,
        markdown: md,
    })
}

fn directive_hover(
    parse: &Parse,
    model: &Model,
    d: &crate::syntax::Directive,
    offset: TextSize,
) -> Option<Hover> {
    if d.name == "check" && d.value_range.contains_inclusive(offset) {
        // A rule name in `skip=A,B` / `experimental=A`.
        let value = parse
            .text()
            .get(d.value_range.start().into()..d.value_range.end().into())?;
        let at = usize::from(offset - d.value_range.start());
        // Offsets come from clients; one inside a character finds no rule.
        if !value.is_char_boundary(at) {
            return None;
        }
        let is_word = |c: char| c.is_ascii_alphanumeric();
        let start = value[..at]
            .rfind(|c: char| !is_word(c))
            .map_or(0, |i| i + 1);
        let end = value[at..]
            .find(|c: char| !is_word(c))
            .map_or(value.len(), |i| at + i);
        if let Some(rule) = value.get(start..end).and_then(docs::rule) {
            let mut md = format!("**{}** — {}\n\n{}\n", rule.code, rule.summary, rule.doc);
            if !rule.url.is_empty() {
                let _ = writeln!(md, "\n{}", link("Rule reference", rule.url));
            }
            return Some(Hover {
                range: TextRange::new(
                    d.value_range.start() + TextSize::from(start as u32),
                    d.value_range.start() + TextSize::from(end as u32),
                ),
                markdown: md,
            });
        }
    }
    let info = docs::directive(&d.name)?;
    let mut md = format!("**# {}=**\n\n{}\n", info.name, info.doc);
    if info.name == "syntax" {
        let f = &model.frontend;
        if f.official {
            let _ = writeln!(
                md,
                "\nFeatures and checks here follow Dockerfile frontend {}{}.",
                f.version(),
                if f.labs { " (labs)" } else { "" }
            );
        } else {
            md.push_str("\nThis is not the official Dockerfile frontend: what it accepts is unknown here.\n");
        }
    }
    let _ = writeln!(md, "\n{}", link("Dockerfile reference", info.url));
    Some(Hover {
        range: d.name_range,
        markdown: md,
    })
}

#[cfg(test)]
mod tests;
