//! This project's own rules (codes and documentation in `docs::rules()`):
//! CopyBeforeDependencyInstall, AptUpdateAlone, RemoteAddWithoutChecksum,
//! UnpinnedBaseImage and SecretInBuildArg.

use std::collections::HashSet;
use std::ops::Range;

use super::buildkit::is_secret_name;
use super::instructions::{known_value, known_value_ref, node_range, sources, sources_and_dest};
use super::{Ctx, Fix, reference};
use crate::docs::v;
use crate::model::{Base, DefKind, UseContext};
use crate::syntax::{Command, Entry, Keyword, TextRange, TextSize};

/// Our rules about one instruction.
pub(super) fn entry(ctx: &mut Ctx<'_>, i: usize, entry: Entry<'_>) {
    let cmd = &entry.inst.command;
    match cmd.kind {
        Keyword::Run => apt_update_alone(ctx, i, entry, cmd),
        Keyword::Add => remote_add(ctx, i, entry, cmd),
        _ => {}
    }
}

/// Our rules that look across instructions.
pub(super) fn file(ctx: &mut Ctx<'_>) {
    copy_before_install(ctx);
    unpinned_base(ctx);
    secret_in_build_arg(ctx);
}

/// One word of a simple shell command: its text with quotes removed, and where it sits in
/// the command text.
struct Word {
    text: String,
    range: Range<usize>,
}

/// Splits shell text into simple commands at `&&`, `||`, `;`, `|`, `&`, newlines and
/// parentheses, outside quotes. Rough, but enough to recognise `npm ci` or
/// `apt-get update`.
fn simple_commands(text: &str) -> Vec<Vec<Word>> {
    let mut commands = Vec::new();
    let mut words: Vec<Word> = Vec::new();
    let mut cur = String::new();
    let mut start: Option<usize> = None;
    let mut quote: Option<char> = None;
    let mut chars = text.char_indices().peekable();
    let finish_word =
        |words: &mut Vec<Word>, cur: &mut String, start: &mut Option<usize>, end: usize| {
            if let Some(s) = start.take() {
                words.push(Word {
                    text: std::mem::take(cur),
                    range: s..end,
                });
            }
        };
    while let Some((pos, c)) = chars.next() {
        if let Some(q) = quote {
            if c == q {
                quote = None;
            } else {
                cur.push(c);
            }
            continue;
        }
        match c {
            '\'' | '"' => {
                quote = Some(c);
                start.get_or_insert(pos);
            }
            '\\' => {
                start.get_or_insert(pos);
                if let Some((_, n)) = chars.next() {
                    if n != '\n' {
                        cur.push(n);
                    }
                }
            }
            ' ' | '\t' | '\r' => finish_word(&mut words, &mut cur, &mut start, pos),
            ';' | '&' | '|' | '\n' | '(' | ')' => {
                finish_word(&mut words, &mut cur, &mut start, pos);
                if !words.is_empty() {
                    commands.push(std::mem::take(&mut words));
                }
            }
            '#' if start.is_none() => {
                // A comment runs to the end of the line.
                finish_word(&mut words, &mut cur, &mut start, pos);
                while chars.peek().is_some_and(|&(_, c)| c != '\n') {
                    chars.next();
                }
            }
            c => {
                start.get_or_insert(pos);
                cur.push(c);
            }
        }
    }
    finish_word(&mut words, &mut cur, &mut start, text.len());
    if !words.is_empty() {
        commands.push(words);
    }
    commands
}

/// The program and its arguments, past `VAR=x` assignments and `sudo`/`env`/`exec`.
fn program(words: &[Word]) -> &[Word] {
    let mut i = 0;
    while i < words.len() {
        let w = &words[i].text;
        let assignment = w.split_once('=').is_some_and(|(k, _)| {
            !k.is_empty() && k.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        });
        if assignment
            || matches!(
                w.as_str(),
                "sudo" | "env" | "exec" | "time" | "nice" | "command"
            )
        {
            i += 1;
        } else {
            break;
        }
    }
    &words[i..]
}

/// The text a RUN executes (shell form or exec form), with heredoc bodies, and a way to map
/// offsets in it back to the source.
struct RunText {
    text: String,
    /// The logical-line span of the command text, when offsets map directly.
    logical: Option<TextRange>,
}

fn run_text(entry: Entry<'_>, cmd: &Command) -> RunText {
    if cmd.json {
        let parts: Vec<&str> = cmd.nodes.iter().map(|n| n.value.as_str()).collect();
        return RunText {
            text: parts.join(" "),
            logical: None,
        };
    }
    let mut text = cmd
        .nodes
        .first()
        .map(|n| n.value.to_string())
        .unwrap_or_default();
    let logical = cmd.nodes.first().and_then(|n| n.logical);
    for h in &entry.inst.heredocs {
        text.push('\n');
        text.push_str(&h.content);
    }
    RunText { text, logical }
}

/// The source range of `inner` (offsets in the RUN text), or the instruction's arguments.
fn run_range(entry: Entry<'_>, cmd: &Command, rt: &RunText, inner: Range<usize>) -> TextRange {
    match rt.logical {
        Some(l) if inner.end <= usize::from(l.len()) => {
            let start = usize::from(l.start());
            entry.abs(
                entry
                    .inst
                    .logical
                    .source_range(start + inner.start..start + inner.end),
            )
        }
        _ => entry.abs(if cmd.args_range.is_empty() {
            cmd.keyword_range
        } else {
            cmd.args_range
        }),
    }
}

fn is_apt(w: &str) -> bool {
    matches!(w, "apt-get" | "apt")
}

fn apt_update_alone(ctx: &mut Ctx<'_>, i: usize, entry: Entry<'_>, cmd: &Command) {
    let mentions = cmd.nodes.iter().any(|n| n.value.contains("update"))
        || entry
            .inst
            .heredocs
            .iter()
            .any(|h| h.content.contains("update"));
    if !mentions {
        return;
    }
    let rt = run_text(entry, cmd);
    let mut update: Option<Range<usize>> = None;
    let mut installs = false;
    for words in simple_commands(&rt.text) {
        let p = program(&words);
        if p.is_empty() || !is_apt(&p[0].text) {
            continue;
        }
        let sub = p[1..].iter().find(|w| !w.text.starts_with('-'));
        match sub.map(|w| w.text.as_str()) {
            Some("update") if update.is_none() => {
                update = sub.map(|w| p[0].range.start..w.range.end);
            }
            Some(
                "install" | "upgrade" | "dist-upgrade" | "full-upgrade" | "build-dep" | "reinstall",
            ) => {
                installs = true;
            }
            _ => {}
        }
    }
    let Some(update) = update else { return };
    if installs {
        return;
    }
    let range = run_range(entry, cmd, &rt, update);
    ctx.rule(
        "AptUpdateAlone",
        range,
        "apt-get update runs in a RUN without apt-get install: its package lists are cached with this step, so a later install can use stale lists; update and install in the same RUN",
        Some(i),
    );
}

fn is_url(s: &str) -> bool {
    s.starts_with("http://") || s.starts_with("https://")
}

fn remote_add(ctx: &mut Ctx<'_>, i: usize, entry: Entry<'_>, cmd: &Command) {
    if cmd.flag("checksum").is_some() {
        return;
    }
    let (srcs, _) = sources_and_dest(entry, cmd);
    for node in srcs {
        let value = known_value(ctx, i, &node.value).unwrap_or_else(|| node.value.to_string());
        let base = value.split('#').next().unwrap_or("");
        if !is_url(&value) || base.ends_with(".git") {
            continue;
        }
        ctx.rule(
            "RemoteAddWithoutChecksum",
            node_range(entry, cmd, node),
            format!(
                "ADD downloads {value} without --checksum: the content is not verified and can change between builds; pin it with --checksum=sha256:<digest>"
            ),
            Some(i),
        );
    }
}

/// A dependency install and the files it needs.
struct Install {
    /// The command as written, e.g. `npm ci`.
    command: String,
    manifests: Vec<String>,
}

fn install_of(words: &[Word]) -> Option<Install> {
    let p = program(words);
    let prog = p.first()?.text.as_str();
    let args: Vec<&str> = p[1..].iter().map(|w| w.text.as_str()).collect();
    let positional: Vec<&str> = args
        .iter()
        .copied()
        .filter(|a| !a.starts_with('-'))
        .collect();
    let cmd = |n: usize| {
        p[..n.min(p.len())]
            .iter()
            .map(|w| w.text.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let install = |n: usize, manifests: &[&str]| {
        Some(Install {
            command: cmd(n),
            manifests: manifests.iter().map(|s| s.to_string()).collect(),
        })
    };
    match (prog, positional.as_slice()) {
        ("npm", ["ci", ..]) => install(2, &["package.json", "package-lock.json"]),
        ("npm", ["install" | "i"]) => install(2, &["package.json", "package-lock.json"]),
        ("yarn", []) | ("yarn", ["install"]) => {
            install(positional.len() + 1, &["package.json", "yarn.lock"])
        }
        ("pnpm", ["install" | "i" | "fetch"]) => install(2, &["package.json", "pnpm-lock.yaml"]),
        ("poetry", ["install"]) => install(2, &["pyproject.toml", "poetry.lock"]),
        ("uv", ["sync"]) => install(2, &["pyproject.toml", "uv.lock"]),
        ("cargo", ["fetch"]) => install(2, &["Cargo.toml", "Cargo.lock"]),
        ("go", ["mod", "download", ..]) => install(3, &["go.mod", "go.sum"]),
        ("bundle", ["install"]) | ("bundler", ["install"]) => {
            install(2, &["Gemfile", "Gemfile.lock"])
        }
        ("composer", ["install"]) => install(2, &["composer.json", "composer.lock"]),
        _ => {
            // pip install -r <file>, python -m pip install -r, uv pip install -r / sync.
            let pip_at = match prog {
                "pip" | "pip3" => Some(1),
                "python" | "python3"
                    if args.first() == Some(&"-m") && matches!(args.get(1), Some(&"pip")) =>
                {
                    Some(3)
                }
                "uv" if args.first() == Some(&"pip") => Some(2),
                _ => None,
            }?;
            let rest = &p[pip_at.min(p.len())..];
            let sub = rest.first()?.text.as_str();
            if sub == "sync" && prog == "uv" {
                let file = rest.get(1)?.text.clone();
                return Some(Install {
                    command: cmd(pip_at + 2),
                    manifests: vec![file],
                });
            }
            if sub != "install" {
                return None;
            }
            let mut files = Vec::new();
            let mut it = rest[1..].iter();
            while let Some(w) = it.next() {
                let t = w.text.as_str();
                if t == "-r" || t == "--requirement" {
                    if let Some(f) = it.next() {
                        files.push(f.text.clone());
                    }
                } else if let Some(f) = t
                    .strip_prefix("--requirement=")
                    .or_else(|| t.strip_prefix("-r").filter(|f| !f.is_empty()))
                {
                    files.push(f.to_string());
                }
            }
            if files.is_empty() {
                return None;
            }
            Some(Install {
                command: cmd(pip_at + 1),
                manifests: files,
            })
        }
    }
}

/// Lock files whose presence in a copied directory means "the dependency manifests are in
/// there".
const LOCK_FILES: [&str; 10] = [
    "package-lock.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "poetry.lock",
    "uv.lock",
    "Cargo.lock",
    "go.sum",
    "Gemfile.lock",
    "composer.lock",
    "requirements.txt",
];

/// Whether a COPY source takes the whole build context (or, with a context walk, a
/// directory holding a lock file).
fn copies_everything(ctx: &Ctx<'_>, src: &str) -> bool {
    let trimmed = src.trim_end_matches('/');
    if matches!(src, "." | "./" | "/" | "*" | "./*") || trimmed == "." {
        return true;
    }
    let Some(index) = &ctx.config.context else {
        return false;
    };
    let dir = trimmed.trim_start_matches("./");
    if index.get(dir).is_none_or(|e| !e.is_dir()) {
        return false;
    }
    LOCK_FILES
        .iter()
        .any(|lock| index.get(&format!("{dir}/{lock}")).is_some())
}

/// CopyBeforeDependencyInstall: a COPY of the whole context followed, in the same stage,
/// by a dependency install that only needs the manifests.
fn copy_before_install(ctx: &mut Ctx<'_>) {
    let parse = ctx.parse;
    for stage in &ctx.model.stages {
        // (entry, source node index) of whole-context copies seen so far, not yet reported.
        let mut pending: Vec<(usize, TextRange, String)> = Vec::new();
        for i in stage.from_entry + 1..stage.end_entry {
            let Some(entry) = parse.entry(i) else {
                continue;
            };
            let cmd = &entry.inst.command;
            match cmd.kind {
                Keyword::Copy | Keyword::Add if cmd.flag("from").is_none() => {
                    for node in sources(entry, cmd) {
                        let value = known_value_ref(ctx, i, &node.value).unwrap_or_default();
                        if copies_everything(ctx, &value) {
                            let dest = cmd.nodes.last().map(|d| d.value.to_string());
                            let dest = dest.unwrap_or_default();
                            pending.push((i, node_range(entry, cmd, node), dest));
                            break;
                        }
                    }
                }
                Keyword::Run if !pending.is_empty() => {
                    let rt = run_text(entry, cmd);
                    let Some(install) =
                        simple_commands(&rt.text).iter().find_map(|w| install_of(w))
                    else {
                        continue;
                    };
                    let line = entry.line + 1;
                    for (copy_entry, range, dest) in std::mem::take(&mut pending) {
                        let manifests = install.manifests.join(" and ");
                        let what = &install.command;
                        let message = format!(
                            "COPY of the whole build context before `{what}` (line {line}): any source change invalidates the build cache here and re-runs `{what}`. Copy {manifests} first, run `{what}`, then copy the rest"
                        );
                        let fix = move_install_fix(ctx, copy_entry, i, &install.manifests, &dest);
                        let f = ctx.rule(
                            "CopyBeforeDependencyInstall",
                            range,
                            message,
                            Some(copy_entry),
                        );
                        if let Some(fix) = fix {
                            f.fix(fix);
                        }
                    }
                }
                Keyword::Workdir => pending.clear(),
                _ => {}
            }
        }
    }
}

/// "Copy the manifests and install first": a `COPY <manifests> <dest>` and the install RUN
/// before the whole-context COPY (the RUN moves).
fn move_install_fix(
    ctx: &Ctx<'_>,
    copy: usize,
    run: usize,
    manifests: &[String],
    dest: &str,
) -> Option<Fix> {
    let copy_entry = ctx.entry(copy)?;
    let run_entry = ctx.entry(run)?;
    let text = ctx.text();
    let run_start = usize::from(run_entry.offset);
    let run_end = usize::from(run_entry.offset + run_entry.inst.full_len).min(text.len());
    let mut run_text = text[run_start..run_end].to_string();
    if !run_text.ends_with('\n') {
        run_text.push('\n');
    }
    let dest = if manifests.len() > 1 && !dest.ends_with('/') {
        format!("{dest}/")
    } else {
        dest.to_string()
    };
    let kw = &copy_entry.inst.command.keyword;
    let insert = format!("{kw} {} {dest}\n{run_text}", manifests.join(" "));
    let at = TextRange::empty(copy_entry.offset);
    let removal = TextRange::new(
        TextSize::from(run_start as u32),
        TextSize::from(run_end as u32),
    );
    Some(Fix::new(
        "Copy the manifests and install before copying the rest",
        vec![(at, insert), (removal, String::new())],
    ))
}

/// UnpinnedBaseImage: an image with neither tag nor digest, or tagged `latest`.
fn unpinned_base(ctx: &mut Ctx<'_>) {
    for stage in &ctx.model.stages {
        let (Base::Image(image), Some(range)) = (&stage.base, stage.base_range) else {
            continue;
        };
        let Ok(r) = reference::parse_normalized_named(image) else {
            continue;
        };
        if r.digest.is_some() {
            continue;
        }
        let message = match r.tag.as_deref() {
            None => format!(
                "The base image {image} has no tag, so it means :latest, which moves over time; pin a version tag (or a digest)"
            ),
            Some("latest") => format!(
                "The base image {image} uses the tag latest, which moves over time; pin a version tag (or a digest)"
            ),
            Some(_) => continue,
        };
        ctx.rule("UnpinnedBaseImage", range, message, Some(stage.from_entry));
    }
}

/// SecretInBuildArg: a RUN that uses an ARG whose name looks like a secret.
fn secret_in_build_arg(ctx: &mut Ctx<'_>) {
    let model = ctx.model;
    let mut seen = HashSet::new();
    for u in &model.var_uses {
        if u.context != UseContext::Shell {
            continue;
        }
        let Some(def) = u.def.and_then(|d| model.var_defs.get(d as usize)) else {
            continue;
        };
        if !matches!(def.kind, DefKind::Arg | DefKind::GlobalArg) || !is_secret_name(&def.name) {
            continue;
        }
        let Some(entry) = ctx.entry(u.entry) else {
            continue;
        };
        if entry.inst.command.kind != Keyword::Run || !seen.insert((u.entry, u.name.clone())) {
            continue;
        }
        let name = &u.name;
        let id = name.to_lowercase();
        let message = format!(
            "RUN uses the build argument {name}, which looks like a secret: build-arg values are kept in the image history and the build cache key. Pass it with `docker build --secret id={id},env={name}` and use RUN --mount=type=secret,id={id},env={name}"
        );
        let fix = ctx.supports(v(1, 10), false).then(|| {
            let kw = entry.abs(entry.inst.command.keyword_range);
            Fix::replace(
                format!("Mount {name} as a secret"),
                TextRange::empty(kw.end()),
                format!(" --mount=type=secret,id={id},env={name}"),
            )
        });
        let f = ctx.rule("SecretInBuildArg", u.range, message, Some(u.entry));
        if let Some(fix) = fix {
            f.fix(fix);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmds(text: &str) -> Vec<Vec<String>> {
        simple_commands(text)
            .into_iter()
            .map(|ws| ws.into_iter().map(|w| w.text).collect())
            .collect()
    }

    #[test]
    fn splitting_shell_text() {
        assert_eq!(
            cmds("apt-get update && apt-get install -y 'a b' ; echo \"x;y\" | cat # note"),
            [
                vec!["apt-get", "update"],
                vec!["apt-get", "install", "-y", "a b"],
                vec!["echo", "x;y"],
                vec!["cat"],
            ]
        );
    }

    #[test]
    fn installs() {
        let find = |t: &str| {
            simple_commands(t)
                .iter()
                .find_map(|w| install_of(w))
                .map(|i| (i.command, i.manifests))
        };
        assert_eq!(
            find("npm ci --omit=dev").map(|x| x.0),
            Some("npm ci".to_string())
        );
        assert_eq!(find("npm install express"), None);
        assert_eq!(
            find("pip install --no-cache-dir -r requirements/prod.txt").map(|x| x.1),
            Some(vec!["requirements/prod.txt".to_string()])
        );
        assert_eq!(
            find("CGO_ENABLED=0 go mod download").map(|x| x.0),
            Some("go mod download".to_string())
        );
        assert_eq!(find("yarn").map(|x| x.0), Some("yarn".to_string()));
        assert_eq!(find("yarn build"), None);
        assert_eq!(
            find("python3 -m pip install -r req.txt").map(|x| x.1),
            Some(vec!["req.txt".to_string()])
        );
    }
}
