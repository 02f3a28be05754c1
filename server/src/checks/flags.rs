//! Flags as BuildKit's `BFlags.Parse` reads them (unknown, repeated, missing or non-bool
//! values), the values RUN and HEALTHCHECK validate (`--network`, `--security`,
//! `--device`, `--mount` per type, durations, retries), and the frontend version each flag
//! and mount key needs.

use super::instructions::known_value;
use super::suggest::{search, with_suggestion};
use super::{Ctx, Fix, golang};
use crate::docs::{self, FlagKind, FrontendVersion};
use crate::model::{Mount, MountField};
use crate::syntax::shell::go_quote;
use crate::syntax::{Command, Entry, Flag, Keyword, TextRange, TextSize};

/// The flags of one instruction (and of its ONBUILD trigger).
pub(super) fn entry(ctx: &mut Ctx<'_>, i: usize, entry: Entry<'_>) {
    let cmd = &entry.inst.command;
    command(ctx, i, entry, cmd, false);
    if let (Keyword::Onbuild, Some(trigger)) = (cmd.kind, &cmd.trigger) {
        command(ctx, i, entry, trigger, true);
    }
}

/// Reports `what` when the pinned frontend lacks it (`since`, or a labs channel).
pub(super) fn require(
    ctx: &mut Ctx<'_>,
    i: usize,
    range: TextRange,
    since: FrontendVersion,
    labs_only: bool,
    what: &str,
) {
    if ctx.supports(since, labs_only) {
        return;
    }
    let frontend = &ctx.model.frontend;
    let labs = labs_only && !frontend.labs;
    let message = if labs {
        format!("{what} requires a labs frontend (# syntax=docker/dockerfile:1-labs)")
    } else {
        let pinned = frontend
            .pinned
            .map_or_else(|| "1".to_string(), |p| p.to_string());
        format!(
            "{what} requires Dockerfile frontend {since} or later (the file pins docker/dockerfile:{pinned})"
        )
    };
    let fix = ctx.parse.directive("syntax").map(|d| {
        let image_len = d.value.split(' ').next().map_or(0, str::len);
        let range = TextRange::at(d.value_range.start(), TextSize::from(image_len as u32));
        let suffix = if labs || frontend.labs { "-labs" } else { "" };
        let tag = if labs {
            "1".to_string()
        } else {
            since.to_string()
        };
        let value = format!("docker/dockerfile:{tag}{suffix}");
        Fix::replace(format!("Use {value}"), range, value)
    });
    let d = ctx.error("RequiresNewerFrontend", range, message, Some(i));
    if let Some(fix) = fix {
        d.fix(fix);
    }
}

/// The range of a flag including the blank before it (for removal).
fn removal_range(ctx: &Ctx<'_>, r: TextRange) -> TextRange {
    let text = ctx.text();
    let start = usize::from(r.start());
    let blanks = text[..start].len() - text[..start].trim_end_matches([' ', '\t']).len();
    TextRange::new(TextSize::from((start - blanks) as u32), r.end())
}

fn command(ctx: &mut Ctx<'_>, i: usize, entry: Entry<'_>, cmd: &Command, in_trigger: bool) {
    let Some(info) = docs::instruction(&cmd.keyword) else {
        return;
    };
    if !info.parses_flags || cmd.flags.is_empty() {
        return;
    }
    if cmd.kind == Keyword::Healthcheck {
        // Only `HEALTHCHECK CMD` (or an unknown type) reads flags; NONE ignores them, and
        // no argument at all fails before.
        match cmd.nodes.first() {
            Some(n) if !n.value.eq_ignore_ascii_case("none") => {}
            _ => return,
        }
    }
    let kw = cmd.kind.as_str();
    let mut seen: Vec<&str> = Vec::with_capacity(cmd.flags.len());
    for flag in &cmd.flags {
        let name_range = entry.abs(flag.name_range);
        let range = entry.abs(flag.range);
        let dashed = || format!("--{}", flag.name);
        let Some(fi) = info.flag(&flag.name) else {
            let dashed = dashed();
            let suggestion = search(&flag.name, info.flags.iter().map(|f| f.name), true);
            let message = with_suggestion(format!("unknown flag: {dashed}"), suggestion.as_deref());
            let removal = removal_range(ctx, range);
            let d = ctx.error("UnknownFlag", range, message, Some(i));
            if let Some(s) = suggestion {
                d.fix(Fix::replace(format!("Change to --{s}"), name_range, s).preferred());
            } else {
                d.fix(Fix::replace(format!("Remove {dashed}"), removal, ""));
            }
            continue;
        };
        let repeated = seen.contains(&flag.name.as_str());
        seen.push(&flag.name);
        if repeated && fi.kind != FlagKind::MultiString {
            let dashed = dashed();
            let removal = removal_range(ctx, range);
            ctx.error(
                "DuplicateFlag",
                range,
                format!("duplicate flag specified: {dashed}"),
                Some(i),
            )
            .fix(Fix::replace(format!("Remove this {dashed}"), removal, ""));
        }
        // Frontend version: device is labs-only (BuildKit's own message when not labs).
        if fi.labs_only && !ctx.supports(fi.since, true) && !ctx.model.frontend.labs {
            ctx.error(
                "RequiresNewerFrontend",
                range,
                "device feature is only supported in Dockerfile frontend 1.14.0-labs or later (# syntax=docker/dockerfile:1-labs)",
                Some(i),
            );
        } else if ctx.model.frontend.official
            && !fi.available_in(ctx.model.frontend.version(), ctx.model.frontend.labs)
        {
            let since = if ctx.model.frontend.labs {
                fi.labs_since.map_or(fi.since, |l| l.min(fi.since))
            } else {
                fi.since
            };
            require(
                ctx,
                i,
                name_range,
                since,
                fi.labs_only,
                &format!("{kw} {}", dashed()),
            );
        }
        match (fi.kind, flag.value.as_deref()) {
            (FlagKind::Bool, Some("")) | (FlagKind::String | FlagKind::MultiString, None) => {
                ctx.error(
                    "FlagMissingValue",
                    range,
                    format!("missing a value on flag: {}", dashed()),
                    Some(i),
                );
                continue;
            }
            (FlagKind::Bool, Some(v)) if !matches!(v.to_lowercase().as_str(), "true" | "false") => {
                let vr = flag.value_range.map_or(range, |r| entry.abs(r));
                let d = ctx.error(
                    "InvalidFlagValue",
                    vr,
                    format!("expecting boolean value for flag {}, not: {v}", dashed()),
                    Some(i),
                );
                if golang::parse_bool(v).is_some() {
                    let b = golang::parse_bool(v).unwrap_or(true);
                    d.fix(Fix::replace(format!("Change to {b}"), vr, b.to_string()).preferred());
                }
                continue;
            }
            _ => {}
        }
        if in_trigger {
            continue;
        }
        let value = flag.value.as_deref().unwrap_or("");
        let vr = flag.value_range.map_or(range, |r| entry.abs(r));
        match (cmd.kind, flag.name.as_str()) {
            (Keyword::Run, "network") => {
                enum_value(ctx, i, vr, fi, value, "InvalidNetwork", |v| {
                    format!("invalid network mode {}", go_quote(v))
                });
            }
            (Keyword::Run, "security") => {
                enum_value(ctx, i, vr, fi, value, "InvalidSecurity", |v| {
                    format!("security {} is not valid", go_quote(v))
                });
            }
            (Keyword::Run, "device") => device(ctx, i, vr, value),
            (Keyword::Run, "mount") => mount(ctx, i, entry, flag),
            (Keyword::Healthcheck, "retries") => {
                if value.is_empty() {
                    continue;
                }
                match golang::parse_int(value, 32) {
                    Err(e) => {
                        ctx.error(
                            "InvalidFlagValue",
                            vr,
                            e.message("ParseInt", value),
                            Some(i),
                        );
                    }
                    Ok(n) if n < 0 => {
                        ctx.error(
                            "InvalidFlagValue",
                            vr,
                            format!("--retries cannot be negative ({n})"),
                            Some(i),
                        );
                    }
                    Ok(_) => {}
                }
            }
            (Keyword::Healthcheck, name) => {
                if value.is_empty() {
                    continue;
                }
                match golang::parse_duration(value) {
                    Err(e) => {
                        ctx.error("InvalidFlagValue", vr, e, Some(i));
                    }
                    Ok(d) if d != 0 && d < 1_000_000 => {
                        ctx.error(
                            "InvalidFlagValue",
                            vr,
                            format!("Interval {} cannot be less than 1ms", go_quote(name)),
                            Some(i),
                        );
                    }
                    Ok(_) => {}
                }
            }
            _ => {}
        }
    }
}

/// `--network` / `--security`: compared exactly, with a "did you mean" for typos.
fn enum_value(
    ctx: &mut Ctx<'_>,
    i: usize,
    vr: TextRange,
    fi: &docs::FlagInfo,
    value: &str,
    code: &str,
    message: impl Fn(&str) -> String,
) {
    if fi.value(value).is_some() {
        return;
    }
    let suggestion = search(value, fi.values.iter().map(|v| v.value), true);
    ctx.error_suggesting(code, vr, message(value), suggestion, Some(i));
}

/// `ParseDevice`: a CSV of a name, `name=`, and `required[=bool]`.
fn device(ctx: &mut Ctx<'_>, i: usize, vr: TextRange, value: &str) {
    let m = Mount::parse(value);
    if let Some((e, _)) = &m.csv_error {
        ctx.error(
            "InvalidDevice",
            vr,
            format!("failed to parse csv devices: {e}"),
            Some(i),
        );
        return;
    }
    let mut name = false;
    for f in &m.fields {
        let raw = field_text(value, f);
        match (f.key.as_str(), f.value.as_deref()) {
            ("required", None) => {}
            (_, None) if !name => name = true,
            (_, None) => {
                ctx.error(
                    "InvalidDevice",
                    vr,
                    format!("invalid field '{raw}' must be a key=value pair"),
                    Some(i),
                );
                return;
            }
            ("name", Some(v)) => {
                if name {
                    ctx.error(
                        "InvalidDevice",
                        vr,
                        format!("device name already set to {v}"),
                        Some(i),
                    );
                    return;
                }
                name = true;
            }
            ("required", Some(v)) => {
                if golang::parse_bool(v).is_none() {
                    ctx.error(
                        "InvalidDevice",
                        vr,
                        format!("invalid value for required: {v}"),
                        Some(i),
                    );
                    return;
                }
            }
            (key, Some(_)) => {
                if !name {
                    name = true;
                    continue;
                }
                let s = search(key, ["name", "required"], true);
                ctx.error(
                    "InvalidDevice",
                    vr,
                    with_suggestion(format!("unexpected key '{key}' in '{raw}'"), s.as_deref()),
                    Some(i),
                );
                return;
            }
        }
    }
}

/// The text of a field as BuildKit sees it (after CSV unquoting).
fn field_text(value: &str, f: &MountField) -> String {
    match &f.value {
        Some(v) => {
            // Keys are lower-cased in `MountField`; show the key as written.
            let raw = value.get(f.key_range.clone()).unwrap_or(&f.key);
            let key = raw.trim_matches('"').split('=').next().unwrap_or(raw);
            format!("{key}={v}")
        }
        None => value
            .get(f.range.clone())
            .map_or_else(|| f.key.to_string(), |s| s.trim_matches('"').to_string()),
    }
}

/// `units.RAMInBytes`: `12`, `64m`, `1.5GiB`, `2 kb`.
fn is_ram_size(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if i == 0 {
        return false;
    }
    if b.get(i) == Some(&b'.') {
        let frac = b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
        if frac == 0 {
            return false;
        }
        i += 1 + frac;
    }
    let mut rest = &s[i..];
    rest = rest.strip_prefix(' ').unwrap_or(rest);
    let mut r = rest.chars().peekable();
    if r.peek().is_some_and(|c| "kKmMgGtTpP".contains(*c)) {
        r.next();
    }
    if r.peek().is_some_and(|c| *c == 'i' || *c == 'I') {
        r.next();
    }
    if r.peek().is_some_and(|c| *c == 'b' || *c == 'B') {
        r.next();
    }
    r.next().is_none()
}

const MOUNT_KEYS: [&str; 19] = [
    "type",
    "from",
    "source",
    "target",
    "readonly",
    "id",
    "sharing",
    "required",
    "size",
    "mode",
    "uid",
    "gid",
    "src",
    "dst",
    "destination",
    "ro",
    "rw",
    "readwrite",
    "env",
];

/// One `RUN --mount` value, as `parseMount` (with the expander) and `dispatchRunMounts`
/// validate it.
fn mount(ctx: &mut Ctx<'_>, i: usize, entry: Entry<'_>, flag: &Flag) {
    let (Some(value), Some(vr)) = (flag.value.as_deref(), flag.value_range) else {
        return;
    };
    let abs = entry.abs(vr);
    let exact = ctx.slice(abs) == value;
    let field_range = |r: &std::ops::Range<usize>| -> TextRange {
        if exact {
            TextRange::new(
                abs.start() + TextSize::from(r.start as u32),
                abs.start() + TextSize::from(r.end as u32),
            )
        } else {
            abs
        }
    };
    let m = Mount::parse(value);
    if let Some((e, _)) = &m.csv_error {
        ctx.error(
            "InvalidMount",
            abs,
            format!("failed to parse csv mounts: {e}"),
            Some(i),
        );
        return;
    }
    let mut ty = "bind".to_string();
    let mut ty_known = true;
    let (mut from, mut source, mut target, mut id, mut sharing) = (
        None::<String>,
        None::<String>,
        None::<String>,
        None::<String>,
        None::<String>,
    );
    let (mut mode, mut uid, mut gid, mut target_unknown) = (false, false, false, false);
    for f in &m.fields {
        let fr = field_range(&f.range);
        let raw = field_text(value, f);
        let key = f.key.as_str();
        let Some(raw_value) = f.value.as_deref() else {
            match key {
                "readonly" | "ro" | "readwrite" | "rw" => {}
                "required" => {
                    if ty_known && ty != "secret" && ty != "ssh" {
                        ctx.error(
                            "InvalidMount",
                            fr,
                            format!("unexpected key 'required' for mount type '{ty}'"),
                            Some(i),
                        );
                    }
                }
                _ => {
                    ctx.error(
                        "InvalidMount",
                        fr,
                        format!("invalid field '{raw}' must be a key=value pair"),
                        Some(i),
                    );
                }
            }
            continue;
        };
        if let Some(opt) = docs::mount_option(key) {
            if !ctx.supports(opt.since, false) {
                require(
                    ctx,
                    i,
                    fr,
                    opt.since,
                    false,
                    &format!("the mount option {}", opt.name),
                );
            }
        }
        let vr = f.value_range.as_ref().map_or(fr, &field_range);
        if key == "from" {
            // Checked by the stages family (no variables in `from=`).
            from = Some(raw_value.to_string());
            continue;
        }
        let expanded = known_value(ctx, i, raw_value);
        let Some(val) = expanded else {
            if key == "type" {
                ty_known = false;
            }
            if matches!(key, "target" | "dst" | "destination") {
                target_unknown = true;
            }
            continue;
        };
        match key {
            "type" => {
                let lower = val.to_lowercase();
                if docs::mount_type(&lower).is_none() {
                    let types = docs::mount_types().iter().map(|t| t.name);
                    let s = search(&val, types, true);
                    let message = format!("unsupported mount type {}", go_quote(&val));
                    ctx.error_suggesting("InvalidMount", vr, message, s, Some(i));
                    ty_known = false;
                } else {
                    ty = lower;
                    ty_known = true;
                }
            }
            "source" | "src" => source = Some(val),
            "target" | "dst" | "destination" => target = Some(val),
            "id" => id = Some(val),
            "env" => {}
            "readonly" | "ro" | "readwrite" | "rw" => {
                if golang::parse_bool(&val).is_none() {
                    ctx.error(
                        "InvalidMount",
                        vr,
                        format!("invalid value for {key}: {val}"),
                        Some(i),
                    );
                }
            }
            "required" => {
                if ty_known && ty != "secret" && ty != "ssh" {
                    ctx.error(
                        "InvalidMount",
                        fr,
                        format!("unexpected key 'required' for mount type '{ty}'"),
                        Some(i),
                    );
                } else if golang::parse_bool(&val).is_none() {
                    ctx.error(
                        "InvalidMount",
                        vr,
                        format!("invalid value for {key}: {val}"),
                        Some(i),
                    );
                }
            }
            "size" => {
                if ty_known && ty != "tmpfs" {
                    ctx.error(
                        "InvalidMount",
                        fr,
                        format!("unexpected key 'size' for mount type '{ty}'"),
                        Some(i),
                    );
                } else if !is_ram_size(&val) {
                    ctx.error(
                        "InvalidMount",
                        vr,
                        format!("invalid value for size: {val}"),
                        Some(i),
                    );
                }
            }
            "sharing" => {
                let lower = val.to_lowercase();
                if !matches!(lower.as_str(), "shared" | "private" | "locked") {
                    let s = search(&val, ["shared", "private", "locked"], true);
                    let message = format!("unsupported sharing value {}", go_quote(&val));
                    ctx.error_suggesting("InvalidMount", vr, message, s, Some(i));
                } else {
                    sharing = Some(lower);
                }
            }
            "mode" | "uid" | "gid" => {
                let base = if key == "mode" { 8 } else { 10 };
                if golang::parse_uint(&val, base, 32).is_err() {
                    ctx.error(
                        "InvalidMount",
                        vr,
                        format!("invalid value {val} for {key}"),
                        Some(i),
                    );
                }
                match key {
                    "mode" => mode = true,
                    "uid" => uid = true,
                    _ => gid = true,
                }
            }
            _ => {
                let s = search(key, MOUNT_KEYS, true);
                let kr = field_range(&f.key_range);
                let d = ctx.error(
                    "InvalidMount",
                    kr,
                    with_suggestion(format!("unexpected key '{key}' in '{raw}'"), s.as_deref()),
                    Some(i),
                );
                if let Some(s) = s {
                    if exact {
                        d.fix(Fix::replace(format!("Change to {s}"), kr, s).preferred());
                    }
                }
            }
        }
    }
    if !ty_known {
        return;
    }
    let ty_q = go_quote(&ty);
    if !matches!(ty.as_str(), "secret" | "ssh" | "cache") {
        for (set, key) in [(mode, "mode"), (uid, "uid"), (gid, "gid")] {
            if set {
                ctx.error(
                    "InvalidMount",
                    abs,
                    format!("{key} not allowed for {ty_q} type mounts"),
                    Some(i),
                );
            }
        }
    }
    if ty == "secret" {
        if from.is_some() {
            ctx.error(
                "InvalidMount",
                abs,
                "secret mount should not have a from",
                Some(i),
            );
        }
        if sharing.is_some() {
            ctx.error(
                "InvalidMount",
                abs,
                "secret mount should not define sharing",
                Some(i),
            );
        }
        let set = |o: &Option<String>| o.as_deref().is_some_and(|s| !s.is_empty());
        if !set(&source) && !set(&target) && !set(&id) && !target_unknown {
            ctx.error(
                "InvalidMount",
                abs,
                "invalid secret mount. one of source, target required",
                Some(i),
            );
        }
        if set(&source) && set(&id) {
            ctx.error(
                "InvalidMount",
                abs,
                "both source and id can't be set",
                Some(i),
            );
        }
    }
    if sharing.is_some() && ty != "cache" {
        ctx.error(
            "InvalidMount",
            abs,
            format!("invalid cache sharing set for {ty} mount"),
            Some(i),
        );
    }
    if ty == "ssh" && source.as_deref().is_some_and(|s| !s.is_empty()) {
        ctx.error("InvalidMount", abs, "ssh does not support source", Some(i));
    }
    if matches!(ty.as_str(), "bind" | "cache" | "tmpfs") && !target_unknown {
        mount_target(ctx, i, abs, target.as_deref().unwrap_or(""));
    }
}

/// `dispatchRunMounts`: a target that resolves to `/` (relative to the WORKDIR) is an
/// error. Only reported when the WORKDIR is known (set in the file, or a base with no
/// unknown image in its chain).
fn mount_target(ctx: &mut Ctx<'_>, i: usize, abs: TextRange, target: &str) {
    let Some(info) = ctx.model.entries.get(i) else {
        return;
    };
    let dir = match (&info.workdir, info.stage.map(|s| &ctx.model.stages[s])) {
        (Some(w), _) => w.to_string(),
        (None, Some(stage)) if !stage.base_env_unknown => "/".to_string(),
        _ => return,
    };
    let joined = if target.starts_with('/') {
        target.to_string()
    } else {
        format!("{dir}/{target}")
    };
    let cleaned: Vec<&str> = joined.split('/').fold(Vec::new(), |mut acc, p| {
        match p {
            "" | "." => {}
            ".." => {
                acc.pop();
            }
            p => acc.push(p),
        }
        acc
    });
    if cleaned.is_empty() {
        let message = if target.is_empty() {
            "invalid mount target \"/\" (the mount needs a target=)".to_string()
        } else {
            "invalid mount target \"/\"".to_string()
        };
        ctx.error("InvalidMount", abs, message, Some(i));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ram_sizes() {
        for ok in ["12", "64m", "1.5GiB", "2 kb", "10MB", "3K"] {
            assert!(is_ram_size(ok), "{ok}");
        }
        for bad in ["", "m", "1.", "12x", "1 2", "-1"] {
            assert!(!is_ram_size(bad), "{bad}");
        }
    }
}
