//! Instruction-level hard errors, as `instructions.Parse*` and the dispatchers report them:
//! unknown instructions, argument counts, ENV/LABEL/ARG names, SHELL, HEALTHCHECK, ONBUILD,
//! EXPOSE (with ExposeProtoCasing and ExposeInvalidFormat), STOPSIGNAL, VOLUME, COPY/ADD
//! (heredoc destination, `--chmod`, `--checksum`, URL sources), heredoc version gates, and
//! instructions outside any stage.

use std::borrow::Cow;

use super::suggest::search;
use super::{Ctx, Fix, golang, quote};
use crate::docs::v;
use crate::syntax::shell::go_quote;
use crate::syntax::{ArgNode, Command, Entry, Keyword, TextRange, TextSize};

/// The checks of one instruction on its own.
pub(super) fn entry(ctx: &mut Ctx<'_>, i: usize, entry: Entry<'_>) {
    let cmd = &entry.inst.command;
    if !unknown_instruction(ctx, i, entry, cmd) {
        return;
    }
    command(ctx, i, entry, cmd, false);
    if cmd.kind == Keyword::Onbuild {
        onbuild(ctx, i, entry, cmd);
    }
}

/// The checks about the file as a whole.
pub(super) fn file(ctx: &mut Ctx<'_>) {
    let parse = ctx.parse;
    let model = ctx.model;
    for &i in &model.orphans {
        if let Some(e) = ctx.entry(i) {
            if e.inst.command.kind == Keyword::Unknown {
                continue;
            }
            let r = e.abs(e.inst.command.keyword_range);
            ctx.error(
                "NoBuildStage",
                r,
                "no build stage in current context",
                Some(i),
            );
        }
    }
    if ctx.model.stages.is_empty() && ctx.model.orphans.is_empty() {
        if let Some(e) = parse.entry(0) {
            let r = e.abs(e.inst.command.keyword_range);
            ctx.error(
                "NoBuildStage",
                r,
                "dockerfile contains no stages to build",
                None,
            );
        }
    }
}

/// Reports an unknown keyword; returns whether the instruction is known.
fn unknown_instruction(ctx: &mut Ctx<'_>, i: usize, entry: Entry<'_>, cmd: &Command) -> bool {
    if cmd.kind != Keyword::Unknown {
        return true;
    }
    let names = Keyword::ALL.map(Keyword::as_str);
    let suggestion = search(&cmd.keyword, names, false);
    let range = entry.abs(cmd.keyword_range);
    let message = format!("unknown instruction: {}", cmd.keyword);
    ctx.error_suggesting("UnknownInstruction", range, message, suggestion, Some(i));
    false
}

/// The source range of a node, or of the keyword for synthetic nodes.
pub(super) fn node_range(entry: Entry<'_>, cmd: &Command, node: &ArgNode) -> TextRange {
    entry.abs(node.range.unwrap_or(cmd.keyword_range))
}

fn keyword_range(entry: Entry<'_>, cmd: &Command) -> TextRange {
    entry.abs(cmd.keyword_range)
}

/// The range of nodes `from..` (for "too many arguments"-style errors).
fn nodes_range(entry: Entry<'_>, cmd: &Command, from: usize) -> TextRange {
    let ranges: Vec<TextRange> = cmd.nodes[from.min(cmd.nodes.len())..]
        .iter()
        .filter_map(|n| n.range)
        .collect();
    match (ranges.first(), ranges.last()) {
        (Some(a), Some(b)) => entry.abs(a.cover(*b)),
        _ => keyword_range(entry, cmd),
    }
}

fn at_least_one(ctx: &mut Ctx<'_>, i: usize, entry: Entry<'_>, cmd: &Command, name: &str) {
    ctx.error(
        "ArgumentCount",
        keyword_range(entry, cmd),
        format!("{name} requires at least one argument"),
        Some(i),
    );
}

/// Argument rules of one command (an instruction, or an ONBUILD trigger).
fn command(ctx: &mut Ctx<'_>, i: usize, entry: Entry<'_>, cmd: &Command, in_trigger: bool) {
    let upper = cmd.kind.as_str();
    match cmd.kind {
        Keyword::From => {
            let n = cmd.nodes.len();
            let as_ok = n == 3 && cmd.nodes[1].value.eq_ignore_ascii_case("as");
            if n != 1 && !as_ok {
                let range = if n == 0 {
                    keyword_range(entry, cmd)
                } else if n == 3 {
                    node_range(entry, cmd, &cmd.nodes[1])
                } else {
                    nodes_range(entry, cmd, 1)
                };
                let mut message = "FROM requires either one or three arguments".to_string();
                if n == 3 {
                    message.push_str(&format!(
                        " (expected AS before the stage name, found {})",
                        go_quote(&cmd.nodes[1].value)
                    ));
                }
                let d = ctx.error("ArgumentCount", range, message, Some(i));
                if n == 3 && search(&cmd.nodes[1].value, ["AS"], false).is_some() {
                    let word = if cmd.keyword == cmd.keyword.to_lowercase() {
                        "as"
                    } else {
                        "AS"
                    };
                    d.fix(Fix::replace(format!("Change to {word}"), range, word).preferred());
                }
            }
        }
        Keyword::Env | Keyword::Label => {
            if cmd.nodes.is_empty() && entry.inst.errors.is_empty() {
                at_least_one(ctx, i, entry, cmd, upper);
            }
            for triplet in cmd.nodes.chunks(3) {
                if let Some(key) = triplet.first() {
                    if key.value.is_empty() && key.range.is_some() {
                        let r = node_range(entry, cmd, key);
                        ctx.error(
                            "BlankName",
                            r,
                            format!("{upper} names can not be blank"),
                            Some(i),
                        );
                    }
                }
            }
        }
        Keyword::Arg => {
            if cmd.nodes.is_empty() {
                at_least_one(ctx, i, entry, cmd, upper);
            }
            for node in &cmd.nodes {
                if node.value.starts_with('=') {
                    let r = node_range(entry, cmd, node);
                    ctx.error("BlankName", r, "ARG names can not be blank", Some(i));
                }
            }
            ignored_flags(ctx, i, entry, cmd);
        }
        Keyword::Maintainer | Keyword::Workdir | Keyword::User | Keyword::Stopsignal => {
            if cmd.nodes.len() != 1 {
                ctx.error(
                    "ArgumentCount",
                    keyword_range(entry, cmd),
                    format!("{upper} requires exactly one argument"),
                    Some(i),
                );
            }
            if cmd.kind == Keyword::Stopsignal {
                ignored_flags(ctx, i, entry, cmd);
                if !in_trigger {
                    stop_signal(ctx, i, entry, cmd);
                }
            }
        }
        Keyword::Expose => {
            if cmd.nodes.is_empty() {
                at_least_one(ctx, i, entry, cmd, upper);
            } else if !in_trigger {
                expose(ctx, i, entry, cmd);
            }
        }
        Keyword::Volume => {
            if cmd.nodes.is_empty() {
                at_least_one(ctx, i, entry, cmd, upper);
            }
            for node in &cmd.nodes {
                let empty = node.value.trim().is_empty()
                    || (!in_trigger && expands_to_empty(ctx, i, &node.value));
                if empty {
                    let r = node_range(entry, cmd, node);
                    ctx.error(
                        "EmptyVolume",
                        r,
                        "VOLUME specified can not be an empty string",
                        Some(i),
                    );
                }
            }
        }
        Keyword::Add | Keyword::Copy => copy(ctx, i, entry, cmd, in_trigger),
        Keyword::Shell => {
            if !cmd.nodes.is_empty() && !cmd.json {
                let r = entry.abs(cmd.args_range);
                let d = ctx.error(
                    "ShellNotJson",
                    r,
                    "SHELL requires the arguments to be in JSON form",
                    Some(i),
                );
                let words: Vec<&str> = cmd.nodes[0].value.split_whitespace().collect();
                d.fix(
                    Fix::replace("Convert to JSON form", r, quote::json_array(words)).preferred(),
                );
            } else if cmd.nodes.is_empty() && entry.inst.errors.is_empty() {
                at_least_one(ctx, i, entry, cmd, upper);
            }
        }
        Keyword::Healthcheck => healthcheck(ctx, i, entry, cmd),
        Keyword::Onbuild | Keyword::Run | Keyword::Cmd | Keyword::Entrypoint => {}
        Keyword::Unknown => {}
    }
    heredoc_gates(ctx, i, entry, cmd);
}

/// STOPSIGNAL and ARG never parse flags: BuildKit keeps `--x` as an argument.
fn ignored_flags(ctx: &mut Ctx<'_>, i: usize, entry: Entry<'_>, cmd: &Command) {
    for flag in &cmd.flags {
        let r = entry.abs(flag.range);
        let message = format!(
            "{} does not take flags: BuildKit ignores {}",
            cmd.kind.as_str(),
            flag.text
        );
        // Not a BuildKit error: BuildKit accepts this silently; the warning is ours.
        let d = ctx.error("IgnoredFlag", r, message, Some(i));
        d.severity = super::Severity::Warning;
        d.source = super::SOURCE_OURS;
    }
}

fn onbuild(ctx: &mut Ctx<'_>, i: usize, entry: Entry<'_>, cmd: &Command) {
    let Some(trigger) = &cmd.trigger else {
        at_least_one(ctx, i, entry, cmd, "ONBUILD");
        return;
    };
    let r = entry.abs(trigger.keyword_range);
    match trigger.kind {
        Keyword::Onbuild => {
            ctx.error(
                "InvalidOnbuild",
                r,
                "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed",
                Some(i),
            );
        }
        Keyword::From | Keyword::Maintainer => {
            ctx.error(
                "InvalidOnbuild",
                r,
                format!(
                    "{} isn't allowed as an ONBUILD trigger",
                    trigger.kind.as_str()
                ),
                Some(i),
            );
        }
        _ => {
            // The trigger is parsed when a build uses this image as its base.
            if unknown_instruction(ctx, i, entry, trigger) {
                command(ctx, i, entry, trigger, true);
            }
        }
    }
}

/// Whether a word expands to the empty string with known values only.
fn expands_to_empty(ctx: &Ctx<'_>, i: usize, word: &str) -> bool {
    if !word.contains('$') {
        return false;
    }
    let Some(info) = ctx.model.entries.get(i) else {
        return false;
    };
    match ctx.lexer.process_word(word, &info.env) {
        Ok(p) => p.unmatched.is_empty() && p.value.trim().is_empty(),
        Err(_) => false,
    }
}

/// Expands a word with the instruction's environment; `None` when the value depends on
/// something unknown (an unset variable, a base image's ENV) or does not expand.
pub(super) fn known_value(ctx: &Ctx<'_>, i: usize, word: &str) -> Option<String> {
    known_value_ref(ctx, i, word).map(Cow::into_owned)
}

/// [`known_value`], borrowing the word when nothing in it expands (no copy per word for
/// the checks that look at every instruction).
pub(super) fn known_value_ref<'w>(ctx: &Ctx<'_>, i: usize, word: &'w str) -> Option<Cow<'w, str>> {
    if !word.contains(['$', '\'', '"']) && !word.contains(ctx.lexer.escape()) {
        return Some(Cow::Borrowed(word));
    }
    let info = ctx.model.entries.get(i)?;
    let p = ctx.lexer.process_word(word, &info.env).ok()?;
    p.unmatched.is_empty().then_some(Cow::Owned(p.value))
}

fn stop_signal(ctx: &mut Ctx<'_>, i: usize, entry: Entry<'_>, cmd: &Command) {
    let Some(node) = cmd.nodes.first() else {
        return;
    };
    let Some(value) = known_value(ctx, i, &node.value) else {
        return;
    };
    if !golang::is_signal(&value) {
        let r = node_range(entry, cmd, node);
        ctx.error(
            "InvalidStopSignal",
            r,
            format!("invalid signal: {value}"),
            Some(i),
        );
    }
}

fn healthcheck(ctx: &mut Ctx<'_>, i: usize, entry: Entry<'_>, cmd: &Command) {
    let Some(kind) = cmd.nodes.first() else {
        if entry.inst.errors.is_empty() {
            at_least_one(ctx, i, entry, cmd, "HEALTHCHECK");
        }
        return;
    };
    let typ = kind.value.to_uppercase();
    match typ.as_str() {
        "NONE" => {
            if cmd.nodes.len() > 1 {
                let r = nodes_range(entry, cmd, 1);
                let d = ctx.error(
                    "InvalidHealthcheck",
                    r,
                    "HEALTHCHECK NONE takes no arguments",
                    Some(i),
                );
                let cut = TextRange::new(node_range(entry, cmd, kind).end(), r.end());
                d.fix(Fix::replace("Remove the arguments", cut, "").preferred());
            }
        }
        "CMD" => {
            let empty = cmd.nodes.len() == 1 || (!cmd.json && cmd.nodes[1].value.is_empty());
            if empty && entry.inst.errors.is_empty() {
                let r = node_range(entry, cmd, kind);
                ctx.error(
                    "InvalidHealthcheck",
                    r,
                    "Missing command after HEALTHCHECK CMD",
                    Some(i),
                );
            }
        }
        _ => {
            let r = node_range(entry, cmd, kind);
            let d = ctx.error(
                "InvalidHealthcheck",
                r,
                format!("Unknown type {} in HEALTHCHECK (try CMD)", go_quote(&typ)),
                Some(i),
            );
            if search(&typ, ["CMD", "NONE"], false).is_some() || typ.is_empty() {
                d.fix(Fix::replace("Change to CMD", r, "CMD"));
            }
        }
    }
}

/// Source nodes of COPY/ADD that are not heredoc openers, and the destination.
/// The sources of [`sources_and_dest`], without collecting them.
pub(super) fn sources<'c>(entry: Entry<'c>, cmd: &'c Command) -> impl Iterator<Item = &'c ArgNode> {
    let srcs = cmd.nodes.split_last().map_or(&[][..], |(_, srcs)| srcs);
    srcs.iter().filter(move |n| !is_heredoc_node(entry, n))
}

pub(super) fn sources_and_dest<'c>(
    entry: Entry<'_>,
    cmd: &'c Command,
) -> (Vec<&'c ArgNode>, Option<&'c ArgNode>) {
    let Some((dest, srcs)) = cmd.nodes.split_last() else {
        return (Vec::new(), None);
    };
    let srcs = srcs.iter().filter(|n| !is_heredoc_node(entry, n)).collect();
    (srcs, Some(dest))
}

fn is_heredoc_node(entry: Entry<'_>, node: &ArgNode) -> bool {
    node.range.is_some_and(|r| {
        entry
            .inst
            .heredocs
            .iter()
            .any(|h| h.range.intersect(r).is_some_and(|x| !x.is_empty()))
    })
}

fn is_url(s: &str) -> bool {
    s.starts_with("http://") || s.starts_with("https://")
}

/// A rough `dfgitutil.ParseGitRef`: sources BuildKit fetches with git.
fn is_git(s: &str) -> bool {
    if s.starts_with("git@") || s.starts_with("git://") || s.starts_with("ssh://") {
        return true;
    }
    let base = s.split('#').next().unwrap_or(s);
    is_url(s) && (base.ends_with(".git") || s.contains(".git#"))
}

fn copy(ctx: &mut Ctx<'_>, i: usize, entry: Entry<'_>, cmd: &Command, in_trigger: bool) {
    let upper = cmd.kind.as_str();
    let is_add = cmd.kind == Keyword::Add;
    if cmd.nodes.len() < 2 {
        if entry.inst.errors.is_empty() {
            ctx.error(
                "ArgumentCount",
                keyword_range(entry, cmd),
                format!(
                    "{upper} requires at least two arguments, but only one was provided. Destination could not be determined"
                ),
                Some(i),
            );
        }
        return;
    }
    let (srcs, dest) = sources_and_dest(entry, cmd);
    if let Some(dest) = dest {
        if is_heredoc_node(entry, dest) {
            let r = node_range(entry, cmd, dest);
            ctx.error(
                "HeredocAsDestination",
                r,
                format!("{upper} cannot accept a heredoc as a destination"),
                Some(i),
            );
        }
    }
    if in_trigger {
        return;
    }
    if let Some(flag) = cmd.flag("chmod") {
        if let (Some(value), Some(vr)) = (&flag.value, flag.value_range) {
            if let Some(mode) = known_value(ctx, i, value) {
                chmod(ctx, i, entry.abs(vr), &mode);
            }
        }
    }
    // Only values that can be (or expand to) a URL matter below.
    let src_values: Vec<(TextRange, Option<String>)> = srcs
        .iter()
        .map(|n| {
            let value = if n.value.contains([':', '$']) {
                known_value(ctx, i, &n.value)
            } else {
                Some(String::new())
            };
            (node_range(entry, cmd, n), value)
        })
        .collect();
    if is_add {
        if let Some(flag) = cmd.flag("checksum") {
            if let (Some(value), Some(vr)) = (&flag.value, flag.value_range) {
                let r = entry.abs(vr);
                let checksum = known_value(ctx, i, value);
                if checksum.as_deref().is_some_and(|c| !c.is_empty()) {
                    if src_values.len() != 1 {
                        ctx.error(
                            "InvalidCopySource",
                            r,
                            "checksum can't be specified for multiple sources",
                            Some(i),
                        );
                    } else if let Some(src) = &src_values[0].1 {
                        if !is_url(src) && !is_git(src) {
                            ctx.error(
                                "InvalidCopySource",
                                r,
                                "checksum requires HTTP(S) or Git sources",
                                Some(i),
                            );
                        } else if !is_git(src) {
                            if let Err(e) =
                                super::reference::parse_digest(checksum.as_deref().unwrap_or(""))
                            {
                                ctx.error("InvalidFlagValue", r, e, Some(i));
                            }
                        }
                    }
                }
            }
        }
    } else if cmd.flag("from").is_none() {
        for (r, value) in &src_values {
            let Some(src) = value else { continue };
            if is_git(src) {
                ctx.error(
                    "InvalidCopySource",
                    *r,
                    "source can't be a git ref for COPY",
                    Some(i),
                );
            } else if is_url(src) {
                let d = ctx.error(
                    "InvalidCopySource",
                    *r,
                    "source can't be a URL for COPY",
                    Some(i),
                );
                let kw = keyword_range(entry, cmd);
                let add = if cmd.keyword == cmd.keyword.to_lowercase() {
                    "add"
                } else {
                    "ADD"
                };
                d.fix(Fix::replace("Use ADD for remote sources", kw, add));
            }
        }
    }
}

/// `--chmod` as `dispatchCopy` validates it: octal up to 07777, or (1.14+) symbolic.
fn chmod(ctx: &mut Ctx<'_>, i: usize, r: TextRange, mode: &str) {
    if mode.is_empty() {
        return;
    }
    let non_octal = || {
        format!(
            "invalid chmod parameter: '{mode}'. it should be octal string and between 0 and 07777"
        )
    };
    match golang::parse_uint(mode, 8, 32) {
        Ok(p) if p > 0o7777 => {
            ctx.error("InvalidFlagValue", r, non_octal(), Some(i));
        }
        Ok(_) => {}
        Err(_) if mode.as_bytes()[0].is_ascii_digit() => {
            ctx.error("InvalidFlagValue", r, non_octal(), Some(i));
        }
        Err(_) => {
            if !golang::is_symbolic_mode(mode) {
                ctx.error(
                    "InvalidFlagValue",
                    r,
                    format!("invalid chmod parameter: '{mode}': invalid syntax"),
                    Some(i),
                );
            } else {
                super::flags::require(ctx, i, r, v(1, 14), false, "symbolic --chmod modes");
            }
        }
    }
}

/// Heredocs need 1.4; `<< EOF` with a blank after `<<` needs 1.16.
fn heredoc_gates(ctx: &mut Ctx<'_>, i: usize, entry: Entry<'_>, cmd: &Command) {
    if !matches!(cmd.kind, Keyword::Run | Keyword::Copy | Keyword::Add) {
        return;
    }
    for h in &entry.inst.heredocs {
        let r = entry.abs(h.range);
        super::flags::require(ctx, i, r, v(1, 4), false, "heredocs");
        let word = ctx.slice(r);
        let after = word
            .find("<<")
            .map(|p| &word[p + 2..])
            .map(|w| w.strip_prefix('-').unwrap_or(w))
            .unwrap_or("");
        if after.starts_with([' ', '\t']) {
            super::flags::require(
                ctx,
                i,
                r,
                v(1, 16),
                false,
                "a blank between << and the heredoc name",
            );
        }
    }
}

/// EXPOSE: each word expanded and split as `dispatchExpose` does, then checked as
/// `parsePort` does, with the two lint rules it runs.
fn expose(ctx: &mut Ctx<'_>, i: usize, entry: Entry<'_>, cmd: &Command) {
    for node in &cmd.nodes {
        let r = node_range(entry, cmd, node);
        let words: Vec<String> =
            if node.value.contains(['$', '\'', '"']) || node.value.contains(ctx.lexer.escape()) {
                let Some(info) = ctx.model.entries.get(i) else {
                    continue;
                };
                // Only words whose value we know are checked.
                match ctx.lexer.process_word(&node.value, &info.env) {
                    Ok(p) if p.unmatched.is_empty() => ctx
                        .lexer
                        .process_words(&node.value, &info.env)
                        .unwrap_or_default(),
                    _ => continue,
                }
            } else {
                vec![node.value.to_string()]
            };
        let exact = words.len() == 1 && words[0] == node.value.as_str();
        for word in words {
            port(ctx, i, r, &word, exact);
        }
    }
}

fn port(ctx: &mut Ctx<'_>, i: usize, r: TextRange, raw: &str, exact: bool) {
    let parts: Vec<&str> = raw.split(':').collect();
    let n = parts.len();
    let (ip, host, container) = match n {
        1 => (String::new(), "", parts[0]),
        2 => (String::new(), parts[0], parts[1]),
        _ => (parts[..n - 2].join(":"), parts[n - 2], parts[n - 1]),
    };
    let (port_part, proto) = container.split_once('/').unwrap_or((container, ""));
    let q = go_quote(raw);
    if port_part.is_empty() {
        ctx.error(
            "InvalidExpose",
            r,
            format!("invalid port: {q}: no port specified"),
            Some(i),
        );
        return;
    }
    if !matches!(proto.to_lowercase().as_str(), "" | "tcp" | "udp" | "sctp") {
        let d = ctx.error(
            "InvalidExpose",
            r,
            format!("invalid port: {q}: invalid proto: {proto}"),
            Some(i),
        );
        if exact {
            if let Some(s) = search(proto, ["tcp", "udp", "sctp"], false) {
                let at = r.end() - TextSize::from(proto.len() as u32);
                d.fix(
                    Fix::replace(
                        format!("Change to {s}"),
                        TextRange::new(at, r.end()),
                        s.to_lowercase(),
                    )
                    .preferred(),
                );
            }
        }
        return;
    }
    if proto != proto.to_lowercase() {
        let f = ctx.rule(
            "ExposeProtoCasing",
            r,
            format!("Defined protocol '{raw}' in EXPOSE instruction should be lowercase"),
            Some(i),
        );
        if exact {
            let at = r.end() - TextSize::from(proto.len() as u32);
            f.fix(
                Fix::replace(
                    "Use lowercase",
                    TextRange::new(at, r.end()),
                    proto.to_lowercase(),
                )
                .preferred(),
            );
        }
    }
    if !ip.is_empty() || !host.is_empty() {
        let f = ctx.rule(
            "ExposeInvalidFormat",
            r,
            format!("EXPOSE instruction should not define an IP address or host-port mapping, found '{raw}'"),
            Some(i),
        );
        if exact {
            f.fix(Fix::replace("Keep only the container port", r, container));
        }
    }
    let mut ip = ip;
    if ip.starts_with('[') {
        match ip.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
            Some(inner) => ip = inner.to_string(),
            None => {
                ctx.error(
                    "InvalidExpose",
                    r,
                    format!("invalid IP address {ip}"),
                    Some(i),
                );
                return;
            }
        }
    }
    if !ip.is_empty() && !golang::is_ip(&ip) {
        ctx.error(
            "InvalidExpose",
            r,
            format!("invalid IP address: {ip}"),
            Some(i),
        );
        return;
    }
    let Some((start, end)) = port_range(port_part) else {
        ctx.error(
            "InvalidExpose",
            r,
            format!("invalid containerPort: {port_part}"),
            Some(i),
        );
        return;
    };
    if !host.is_empty() {
        let Some((hs, he)) = port_range(host) else {
            ctx.error(
                "InvalidExpose",
                r,
                format!("invalid hostPort: {host}"),
                Some(i),
            );
            return;
        };
        if end - start != he - hs && end != start {
            ctx.error(
                "InvalidExpose",
                r,
                format!(
                    "invalid ranges specified for container and host Ports: {port_part} and {host}"
                ),
                Some(i),
            );
        }
    }
}

/// `parsePortRange`: `n` or `start-end` with ports in 0–65535 and end ≥ start.
fn port_range(s: &str) -> Option<(i64, i64)> {
    let number = |p: &str| {
        golang::parse_int(p, 64)
            .ok()
            .filter(|n| (0..=65535).contains(n))
    };
    if s.is_empty() {
        return None;
    }
    let (a, b) = match s.split_once('-') {
        Some((a, b)) => (a, Some(b)),
        None => (s, None),
    };
    let start = number(a)?;
    match b {
        None => Some((start, start)),
        Some(b) if b == a => Some((start, start)),
        Some(b) => {
            let end = number(b)?;
            (end >= start).then_some((start, end))
        }
    }
}
