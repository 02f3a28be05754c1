//! BuildKit's build checks (`linter/ruleset.go`) other than the variable rules
//! ([`super::variables`]) and the EXPOSE rules ([`super::instructions`]), each where and
//! how `dockerfile2llb` runs it: casing, stage names, JSON arguments, MAINTAINER, relative
//! WORKDIR, repeated CMD/ENTRYPOINT/HEALTHCHECK, legacy `key value`, secrets in ARG/ENV,
//! FROM `--platform`, definition descriptions, empty continuation lines, and files that
//! `.dockerignore` excludes.

use std::sync::OnceLock;

use regex::Regex;

use super::instructions::{known_value, node_range, sources_and_dest};
use super::{Ctx, Fix, golang, quote};
use crate::cache::context::golang::clean;
use crate::model::{DefKind, StageRefKind};
use crate::syntax::shell::go_quote;
use crate::syntax::{Command, Entry, Keyword, TextRange, TextSize};

/// The build checks BuildKit runs on one instruction.
pub(super) fn entry(ctx: &mut Ctx<'_>, i: usize, entry: Entry<'_>) {
    let cmd = &entry.inst.command;
    let in_stage = ctx.model.entries.get(i).is_some_and(|e| e.stage.is_some());
    match cmd.kind {
        Keyword::From => from_rules(ctx, i, entry, cmd),
        Keyword::Maintainer => maintainer(ctx, i, entry, cmd),
        Keyword::Cmd | Keyword::Entrypoint if in_stage => json_args(ctx, i, entry, cmd),
        Keyword::Workdir if in_stage => workdir(ctx, i, entry, cmd),
        Keyword::Env | Keyword::Label if in_stage => legacy_key_value(ctx, i, entry, cmd),
        Keyword::Copy | Keyword::Add if in_stage => copy_ignored(ctx, i, entry, cmd),
        _ => {}
    }
    if matches!(cmd.kind, Keyword::Arg) {
        definition_description(ctx, i, entry, cmd);
    }
    empty_continuation(ctx, i, entry);
}

/// The build checks that look across instructions and stages.
pub(super) fn file(ctx: &mut Ctx<'_>) {
    instruction_casing(ctx);
    stage_names(ctx);
    multiple_instructions(ctx);
    secrets(ctx);
}

/// StageNameCasing, FromAsCasing, the platform rules and the stage description (run while
/// BuildKit parses a FROM, with the FROM's `# check=` comments).
fn from_rules(ctx: &mut Ctx<'_>, i: usize, entry: Entry<'_>, cmd: &Command) {
    let n = cmd.nodes.len();
    if n == 3 {
        let name = &cmd.nodes[2];
        let lower = name.value.to_lowercase();
        if name.value != lower {
            let range = node_range(entry, cmd, name);
            let stage = ctx
                .model
                .stages
                .iter()
                .find(|s| s.from_entry == i && s.name_range == Some(range))
                .map(|s| s.index);
            let fix = stage.map(|index| {
                let mut edits = vec![(range, lower.clone())];
                for r in ctx.model.refs_to_stage(index) {
                    if matches!(
                        r.kind,
                        StageRefKind::From | StageRefKind::CopyFrom | StageRefKind::MountFrom
                    ) && !r.by_index
                        && r.text != lower
                    {
                        edits.push((r.range, lower.clone()));
                    }
                }
                Fix::new(format!("Rename the stage to {lower}"), edits).preferred()
            });
            let f = ctx.rule(
                "StageNameCasing",
                range,
                format!("Stage name '{}' should be lowercase", name.value),
                Some(i),
            );
            if let Some(fix) = fix {
                f.fix(fix);
            }
        }
    }
    if n >= 3 {
        let kw = cmd.keyword.as_str();
        let as_word = cmd.nodes[1].value.as_str();
        let kw_lower = kw == kw.to_lowercase();
        let kw_upper = kw == kw.to_uppercase();
        let mismatch = (kw_lower && as_word != as_word.to_lowercase())
            || (!kw_lower && kw_upper && as_word != as_word.to_uppercase());
        if (kw_lower || kw_upper) && mismatch {
            let range = node_range(entry, cmd, &cmd.nodes[1]);
            let fixed = if kw_lower {
                as_word.to_lowercase()
            } else {
                as_word.to_uppercase()
            };
            ctx.rule(
                "FromAsCasing",
                range,
                format!("'{as_word}' and '{kw}' keywords' casing do not match"),
                Some(i),
            )
            .fix(Fix::replace(format!("Change to {fixed}"), range, fixed).preferred());
        }
    }
    platform_rules(ctx, i, entry, cmd);
    let stage_name = ctx
        .model
        .stages
        .iter()
        .find(|s| s.from_entry == i)
        .and_then(|s| s.name.clone());
    if let Some(name) = stage_name {
        let valid = name.starts_with(|c: char| c.is_ascii_lowercase())
            && name.bytes().all(|b| {
                b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_' | b'.')
            });
        if valid {
            description(ctx, i, entry, cmd, "FROM", &[name.to_string()]);
        }
    }
}

/// RedundantTargetPlatform and FromPlatformFlagConstDisallowed.
fn platform_rules(ctx: &mut Ctx<'_>, i: usize, entry: Entry<'_>, cmd: &Command) {
    let Some(flag) = cmd.flag("platform") else {
        return;
    };
    let (Some(raw), Some(vr)) = (flag.value.as_deref(), flag.value_range) else {
        return;
    };
    let Ok(p) = ctx.lexer.process_word(raw, &ctx.model.global_env) else {
        return;
    };
    let mut matched = p.matched.clone();
    matched.sort_unstable();
    matched.dedup();
    if matched.len() == 1 && p.unmatched.is_empty() && matched[0] == "TARGETPLATFORM" {
        let target = ctx
            .model
            .global_env
            .get_var("TARGETPLATFORM")
            .map(|v| v.value.as_str())
            .unwrap_or("");
        if p.value == target {
            // The flag and the blanks after it.
            let removal = {
                let text = ctx.text();
                let r = entry.abs(flag.range);
                let end = usize::from(r.end());
                let trailing =
                    text[end..].len() - text[end..].trim_start_matches([' ', '\t']).len();
                TextRange::new(r.start(), TextSize::from((end + trailing) as u32))
            };
            ctx.rule(
                "RedundantTargetPlatform",
                entry.abs(flag.range),
                format!("Setting platform to predefined {raw} in FROM is redundant as this is the default behavior"),
                Some(i),
            )
            .fix(Fix::replace("Remove --platform", removal, "").preferred());
        }
    }
    if p.matched.is_empty() && p.unmatched.is_empty() {
        if let Ok(platform) = golang::parse_platform(&p.value) {
            let stage_name = ctx
                .model
                .stages
                .iter()
                .find(|s| s.from_entry == i)
                .and_then(|s| s.name.as_deref())
                .unwrap_or("");
            if !stage_name.contains(&platform.os) && !stage_name.contains(&platform.arch) {
                ctx.rule(
                    "FromPlatformFlagConstDisallowed",
                    entry.abs(vr),
                    format!(
                        "FROM --platform flag should not use constant value {}",
                        go_quote(&p.value)
                    ),
                    Some(i),
                );
            }
        }
    }
}

/// InvalidDefinitionDescription (experimental): the comment right above a named FROM or
/// an ARG should start with the name.
fn description(
    ctx: &mut Ctx<'_>,
    i: usize,
    entry: Entry<'_>,
    cmd: &Command,
    what: &str,
    keys: &[String],
) {
    let Some(last) = entry.inst.comments.last() else {
        return;
    };
    if keys.is_empty() {
        return;
    }
    let first = last.split(' ').next().unwrap_or("");
    if keys.iter().any(|k| k == first) {
        return;
    }
    let example = if keys.len() > 1 {
        "<arg_key>"
    } else {
        keys[0].as_str()
    };
    ctx.rule(
        "InvalidDefinitionDescription",
        entry.abs(cmd.keyword_range),
        format!("Comment for {what} should follow the format: `# {example} <description>`"),
        Some(i),
    );
}

fn definition_description(ctx: &mut Ctx<'_>, i: usize, entry: Entry<'_>, cmd: &Command) {
    if entry.inst.comments.is_empty()
        || cmd.nodes.is_empty()
        || cmd.nodes.iter().any(|n| n.value.starts_with('='))
    {
        return;
    }
    let keys: Vec<String> = cmd
        .nodes
        .iter()
        .map(|n| {
            n.value
                .split_once('=')
                .map_or(n.value.as_str(), |(k, _)| k)
                .to_string()
        })
        .collect();
    description(ctx, i, entry, cmd, "ARG", &keys);
}

fn maintainer(ctx: &mut Ctx<'_>, i: usize, entry: Entry<'_>, cmd: &Command) {
    let range = entry.range();
    let fix = cmd.nodes.first().map(|n| {
        let label = if cmd.keyword == cmd.keyword.to_lowercase() {
            "label"
        } else {
            "LABEL"
        };
        let value = quote::double_quoted_literal(&n.value, ctx.lexer.escape());
        let text = format!("{label} org.opencontainers.image.authors={value}");
        Fix::replace("Convert to a LABEL", range, text).preferred()
    });
    let f = ctx.rule(
        "MaintainerDeprecated",
        range,
        "Maintainer instruction is deprecated in favor of using label",
        Some(i),
    );
    if let Some(fix) = fix {
        f.fix(fix);
    }
}

/// Characters that make a command need a shell.
fn needs_shell(s: &str) -> bool {
    s.contains([
        '$', '|', '&', ';', '<', '>', '(', ')', '`', '\\', '"', '\'', '*', '?', '[', ']', '~', '#',
        '\n', '{', '}', '=',
    ])
}

fn json_args(ctx: &mut Ctx<'_>, i: usize, entry: Entry<'_>, cmd: &Command) {
    // Not JSON because it failed to parse as such: BuildKit stops at the parse error.
    if cmd.json || !entry.inst.errors.is_empty() {
        return;
    }
    let shell_set = ctx
        .model
        .entries
        .get(i)
        .is_some_and(|e| e.shell.as_ref().is_some_and(|s| !s.is_empty()));
    if shell_set {
        return;
    }
    let range = if cmd.args_range.is_empty() {
        entry.abs(cmd.keyword_range)
    } else {
        entry.abs(cmd.args_range)
    };
    let command = cmd
        .nodes
        .first()
        .map(|n| n.value.to_string())
        .unwrap_or_default();
    let single_line = entry.inst.line_count == 1;
    let f = ctx.rule(
        "JSONArgsRecommended",
        range,
        format!(
            "JSON arguments recommended for {} to prevent unintended behavior related to OS signals",
            cmd.keyword
        ),
        Some(i),
    );
    if command.is_empty() || !single_line {
        return;
    }
    if needs_shell(&command) {
        let json = quote::json_array(["/bin/sh", "-c", command.as_str()]);
        f.fix(Fix::replace(
            "Convert to exec form (through /bin/sh -c)",
            range,
            json,
        ));
    } else {
        let json = quote::json_array(command.split_whitespace());
        f.fix(Fix::replace("Convert to exec form", range, json).preferred());
    }
}

/// Whether a WORKDIR path is absolute. Windows paths with a drive letter count as absolute
/// (BuildKit's Linux check calls `C:\go` relative; on a Windows builder it is absolute).
fn is_abs(path: &str, windows: bool) -> bool {
    let b = path.as_bytes();
    let drive =
        b.len() >= 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && matches!(b[2], b'\\' | b'/');
    path.starts_with('/') || drive || (windows && path.starts_with('\\'))
}

fn workdir(ctx: &mut Ctx<'_>, i: usize, entry: Entry<'_>, cmd: &Command) {
    let Some(info) = ctx.model.entries.get(i) else {
        return;
    };
    if info.workdir_set {
        return;
    }
    let Some(node) = cmd.nodes.first() else {
        return;
    };
    let Some(stage) = info.stage.map(|s| &ctx.model.stages[s]) else {
        return;
    };
    let path = if node.value.contains('$') {
        match ctx.lexer.process_word(&node.value, &info.env) {
            Ok(p) if p.unmatched.is_empty() || !stage.base_env_unknown => p.value,
            // The value may come from the base image's ENV.
            _ => return,
        }
    } else {
        match known_value(ctx, i, &node.value) {
            Some(v) => v,
            None => return,
        }
    };
    let windows = stage
        .platform
        .as_ref()
        .and_then(|(_, expanded)| expanded.as_deref())
        .is_some_and(|p| p.starts_with("windows"));
    if is_abs(&path, windows) {
        return;
    }
    ctx.rule(
        "WorkdirRelativePath",
        node_range(entry, cmd, node),
        format!(
            "Relative workdir {} can have unexpected results if the base image changes",
            go_quote(&path)
        ),
        Some(i),
    );
}

fn legacy_key_value(ctx: &mut Ctx<'_>, i: usize, entry: Entry<'_>, cmd: &Command) {
    if !entry.inst.errors.is_empty() {
        return;
    }
    for triplet in cmd.nodes.chunks(3) {
        let [key, value, delim] = triplet else {
            continue;
        };
        if !delim.value.is_empty() {
            continue;
        }
        let (Some(kr), Some(vr)) = (key.range, value.range) else {
            continue;
        };
        let range = entry.abs(kr.cover(vr));
        let fix = (entry.inst.continuation_comments.is_empty()).then(|| {
            let word = quote::as_single_word(&value.value, ctx.lexer.escape());
            Fix::replace("Use key=value", range, format!("{}={word}", key.value)).preferred()
        });
        let name = &cmd.keyword;
        let f = ctx.rule(
            "LegacyKeyValueFormat",
            range,
            format!(
                "\"{name} key=value\" should be used instead of legacy \"{name} key value\" format"
            ),
            Some(i),
        );
        if let Some(fix) = fix {
            f.fix(fix);
        }
    }
}

fn empty_continuation(ctx: &mut Ctx<'_>, _i: usize, entry: Entry<'_>) {
    let lines = &entry.inst.empty_continuation_lines;
    let (Some(first), Some(last)) = (lines.first(), lines.last()) else {
        return;
    };
    let text = ctx.text();
    let edits: Vec<(TextRange, String)> = lines
        .iter()
        .map(|r| {
            let r = entry.abs(*r);
            let end = usize::from(r.end());
            let with_break = text[end..].find('\n').map_or(end, |p| end + p + 1);
            (
                TextRange::new(r.start(), TextSize::from(with_break as u32)),
                String::new(),
            )
        })
        .collect();
    let range = entry.abs(first.cover(*last));
    ctx.rule(
        "NoEmptyContinuation",
        range,
        "Empty continuation line",
        None,
    )
    .fix(Fix::new("Remove the empty continuation lines", edits).preferred());
}

/// ConsistentInstructionCasing: FROM lines and stage instructions (not the global ARGs)
/// vote; ties go to upper case.
fn instruction_casing(ctx: &mut Ctx<'_>) {
    let (parse, model) = (ctx.parse, ctx.model);
    // The instructions of stages (`from_entry..end_entry`: those whose model entry has a
    // stage), known ones only.
    let voters = || {
        model
            .stages
            .iter()
            .flat_map(|s| s.from_entry..s.end_entry)
            .filter_map(|i| parse.entry(i))
            .filter(|e| e.inst.command.kind != Keyword::Unknown)
    };
    // Known keywords are ASCII (matched with `eq_ignore_ascii_case`), so ASCII case tests
    // agree with Unicode casing and no instruction needs an allocation: this runs over the
    // whole file on every keystroke.
    let has = |kw: &str, upper: bool| {
        kw.bytes().any(|b| {
            if upper {
                b.is_ascii_uppercase()
            } else {
                b.is_ascii_lowercase()
            }
        })
    };
    let (mut lower, mut upper) = (0, 0);
    for e in voters() {
        let kw = e.inst.command.keyword.as_str();
        if !has(kw, true) {
            lower += 1;
        } else if !has(kw, false) {
            upper += 1;
        }
    }
    let majority_lower = lower > upper;
    for e in voters() {
        let kw = e.inst.command.keyword.as_str();
        // Wrong case: a letter of the minority case.
        if !has(kw, majority_lower) {
            continue;
        }
        let (wanted, casing) = if majority_lower {
            (kw.to_ascii_lowercase(), "lowercase")
        } else {
            (kw.to_ascii_uppercase(), "uppercase")
        };
        let range = e.abs(e.inst.command.keyword_range);
        ctx.rule(
            "ConsistentInstructionCasing",
            range,
            format!("Command '{kw}' should match the case of the command majority ({casing})"),
            None,
        )
        .fix(Fix::replace(format!("Change to {wanted}"), range, wanted).preferred());
    }
}

/// ReservedStageName and DuplicateStageName (checked with the file's settings only).
fn stage_names(ctx: &mut Ctx<'_>) {
    let mut seen = std::collections::HashSet::new();
    for stage in &ctx.model.stages {
        let (Some(name), Some(range)) = (&stage.name, stage.name_range) else {
            continue;
        };
        if matches!(name.as_str(), "context" | "scratch") {
            ctx.rule(
                "ReservedStageName",
                range,
                format!(
                    "Stage name should not use the same name as reserved stage {}",
                    go_quote(name)
                ),
                None,
            );
        }
        if !seen.insert(name.clone()) {
            ctx.rule(
                "DuplicateStageName",
                range,
                format!(
                    "Duplicate stage name {}, stage names should be unique",
                    go_quote(name)
                ),
                None,
            );
        }
    }
}

/// MultipleInstructionsDisallowed: reported on the earlier instruction, with the later
/// one's `# check=` comments and name.
fn multiple_instructions(ctx: &mut Ctx<'_>) {
    let parse = ctx.parse;
    for stage in &ctx.model.stages {
        let mut last: [Option<usize>; 3] = [None; 3];
        for i in stage.from_entry + 1..stage.end_entry {
            let Some(e) = parse.entry(i) else { continue };
            let slot = match e.inst.command.kind {
                Keyword::Cmd => 0,
                Keyword::Entrypoint => 1,
                Keyword::Healthcheck => 2,
                _ => continue,
            };
            if let Some(prev) = last[slot].and_then(|p| parse.entry(p)) {
                let text = ctx.text();
                let start = prev.offset;
                let end = usize::from(prev.offset + prev.inst.full_len).min(text.len());
                let removal = TextRange::new(start, TextSize::from(end as u32));
                let f = ctx.rule(
                    "MultipleInstructionsDisallowed",
                    prev.range(),
                    format!(
                        "Multiple {} instructions should not be used in the same stage because only the last one will be used",
                        e.inst.command.keyword
                    ),
                    Some(i),
                );
                f.diag.unnecessary = true;
                f.fix(Fix::replace(
                    "Remove the overridden instruction",
                    removal,
                    "",
                ));
            }
            last[slot] = Some(i);
        }
    }
}

fn secrets_regexes() -> &'static (Regex, Regex) {
    static RE: OnceLock<(Regex, Regex)> = OnceLock::new();
    RE.get_or_init(|| {
        let deny = "(?i)(?:_|^)(?:apikey|auth|credential|credentials|key|password|pword|passwd|secret|token)(?:_|$)";
        let allow = "(?i)(?:_|^)(?:public|file|version)(?:_|$)";
        (
            Regex::new(deny).expect("a valid regex"),
            Regex::new(allow).expect("a valid regex"),
        )
    })
}

/// Whether a variable name looks like a secret to BuildKit's SecretsUsedInArgOrEnv.
pub(super) fn is_secret_name(name: &str) -> bool {
    if name.is_ascii() {
        // For ASCII names the regexes come down to comparing the `_`-separated words (no
        // Unicode case folding can apply), several times faster: this runs for every ARG and
        // ENV key of the file on every keystroke.
        let has = |words: &[&str]| {
            name.split('_').any(|part| {
                // Most parts have a length no word has.
                (3..=11).contains(&part.len()) && words.iter().any(|w| part.eq_ignore_ascii_case(w))
            })
        };
        return has(&SECRET_WORDS) && !has(&NOT_SECRET_WORDS);
    }
    is_secret_name_regex(name)
}

/// The words of the deny pattern in [`secrets_regexes`].
const SECRET_WORDS: [&str; 10] = [
    "apikey",
    "auth",
    "credential",
    "credentials",
    "key",
    "password",
    "pword",
    "passwd",
    "secret",
    "token",
];

/// The words of the allow pattern in [`secrets_regexes`].
const NOT_SECRET_WORDS: [&str; 3] = ["public", "file", "version"];

/// [`is_secret_name`] as BuildKit writes it.
fn is_secret_name_regex(name: &str) -> bool {
    let (deny, allow) = secrets_regexes();
    deny.is_match(name) && !allow.is_match(name)
}

/// SecretsUsedInArgOrEnv: ARG and ENV keys of stage instructions (global ARGs are never
/// dispatched, so never checked).
fn secrets(ctx: &mut Ctx<'_>) {
    let parse = ctx.parse;
    for d in &ctx.model.var_defs {
        let what = match d.kind {
            DefKind::Arg => "ARG",
            DefKind::Env => "ENV",
            _ => continue,
        };
        if d.stage.is_none() || !is_secret_name(&d.name) {
            continue;
        }
        if parse
            .entry(d.entry)
            .is_some_and(|e| e.inst.command.kind == Keyword::Onbuild)
        {
            continue;
        }
        ctx.rule(
            "SecretsUsedInArgOrEnv",
            d.range,
            format!(
                "Do not use ARG or ENV instructions for sensitive data ({what} {})",
                go_quote(&d.name)
            ),
            Some(d.entry),
        );
    }
}

/// CopyIgnoredFile: a local COPY/ADD source that `.dockerignore` excludes (skipped when the
/// ignore file has `!` exceptions, as BuildKit does).
fn copy_ignored(ctx: &mut Ctx<'_>, i: usize, entry: Entry<'_>, cmd: &Command) {
    let Some(ignore) = ctx.config.ignore_file.clone() else {
        return;
    };
    if ignore.has_exceptions() || (cmd.kind == Keyword::Copy && cmd.flag("from").is_some()) {
        return;
    }
    if cmd.nodes.len() < 2 {
        return;
    }
    let root_ignored = ignore
        .rules()
        .iter()
        .any(|r| !r.exception && matches!(r.pattern.as_str(), "*" | "**" | "**/*"));
    let verb = if cmd.kind == Keyword::Add {
        "Add"
    } else {
        "Copy"
    };
    let (srcs, _) = sources_and_dest(entry, cmd);
    for node in srcs {
        let Some(src) = known_value(ctx, i, &node.value) else {
            continue;
        };
        if src.starts_with("http://") || src.starts_with("https://") || src.starts_with("git@") {
            continue;
        }
        let src = clean(&src.replace('\\', "/"));
        if (src == "." || src == "/") && !root_ignored {
            continue;
        }
        let excluded = if src == "." || src == "/" {
            true
        } else {
            ignore.decide_or_parent(&src).excluded
        };
        if excluded {
            ctx.rule(
                "CopyIgnoredFile",
                node_range(entry, cmd, node),
                format!(
                    "Attempting to {verb} file {} that is excluded by .dockerignore",
                    go_quote(&src)
                ),
                Some(i),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_names_like_buildkit() {
        for yes in [
            "API_KEY",
            "password",
            "GITHUB_TOKEN",
            "secret_MESSAGE",
            "AUTH",
            "db_Passwd",
        ] {
            assert!(is_secret_name(yes), "{yes}");
        }
        for no in [
            "KEYS",
            "MONKEY",
            "PUBLIC_KEY",
            "KEY_FILE",
            "TOKEN_VERSION",
            "TOKENIZER",
        ] {
            assert!(!is_secret_name(no), "{no}");
        }
    }

    proptest::proptest! {
        /// The ASCII shortcut agrees with BuildKit's regexes.
        #[test]
        fn secret_names_shortcut_equals_the_regexes(
            words in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::strategy::Just("key".to_string()),
                    proptest::strategy::Just("Token".to_string()),
                    proptest::strategy::Just("PUBLIC".to_string()),
                    proptest::strategy::Just("credentials".to_string()),
                    proptest::strategy::Just("fiLe".to_string()),
                    "[a-zA-Z0-9_ -]{0,6}",
                ],
                0..5,
            ),
            sep in "[_a-z-]",
        ) {
            let name = words.join(&sep);
            proptest::prop_assert_eq!(is_secret_name(&name), is_secret_name_regex(&name), "{:?}", name);
        }
    }

    #[test]
    fn paths() {
        assert_eq!(clean("./a/../b/"), "b");
        assert_eq!(clean("."), ".");
        assert_eq!(clean("/"), "/");
        assert_eq!(clean("../x"), "../x");
        assert!(is_abs("/app", false));
        assert!(is_abs("C:\\go", false));
        assert!(!is_abs("app", false));
        assert!(is_abs("\\app", true));
    }
}
