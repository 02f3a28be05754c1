//! Variables: substitution syntax errors and modifier version gates in the words BuildKit
//! expands, and the build checks about variables — UndefinedVar, UndefinedArgInFrom and
//! InvalidDefaultArgInFrom.

use std::collections::HashSet;

use super::suggest::{search, with_suggestion};
use super::{Ctx, Fix, reference};
use crate::model::UseContext;
use crate::syntax::shell::{FrontendSupport, Lexer, VarScan};
use crate::syntax::{Command, Entry, Keyword, TextRange, TextSize};

/// Build args BuildKit never puts in the environment (and never reports as undefined).
const NON_ENV_ARGS: [&str; 2] = ["BUILDKIT_SBOM_SCAN_CONTEXT", "BUILDKIT_SBOM_SCAN_STAGE"];

/// Substitution errors and version gates in one instruction's expanded words. Returns
/// whether BuildKit cannot expand the instruction at all.
pub(super) fn entry(ctx: &mut Ctx<'_>, i: usize, entry: Entry<'_>) -> bool {
    let mut broken = false;
    for word in builder_words(ctx, entry, &entry.inst.command) {
        broken |= scan_word(ctx, i, &word);
    }
    broken
}

/// The variable checks over the whole file. `broken`: the instructions BuildKit cannot
/// expand (their undefined names would only add noise).
pub(super) fn file(ctx: &mut Ctx<'_>, broken: &HashSet<usize>) {
    undefined_var(ctx, broken);
    from_args(ctx);
    invalid_default_arg_in_from(ctx);
}

/// Where a word's text sits in the source, so positions inside it can be mapped back.
#[derive(Clone, Copy)]
enum Span {
    /// A slice of the instruction's logical line (relative).
    Logical(TextRange),
    /// Exactly this absolute range.
    Source(TextRange),
    /// Somewhere in this absolute range (quotes or escapes make offsets inexact).
    Approx(TextRange),
}

/// A text BuildKit's word processor expands.
struct Word<'a> {
    text: &'a str,
    span: Span,
    /// COPY/ADD heredoc bodies: `\` escape and quotes left alone.
    raw: bool,
}

fn node_span(entry: Entry<'_>, node: &crate::syntax::ArgNode) -> Option<Span> {
    let logical = &entry.inst.logical.text;
    match (node.logical, node.range) {
        (Some(l), _)
            if logical.get(usize::from(l.start())..usize::from(l.end()))
                == Some(node.value.as_str()) =>
        {
            Some(Span::Logical(l))
        }
        (_, Some(r)) => Some(Span::Approx(entry.abs(r))),
        _ => None,
    }
}

fn flag_span(ctx: &Ctx<'_>, entry: Entry<'_>, flag: &crate::syntax::Flag) -> Option<Span> {
    let (value, range) = (flag.value.as_deref()?, flag.value_range?);
    let abs = entry.abs(range);
    Some(if ctx.slice(abs) == value {
        Span::Source(abs)
    } else {
        Span::Approx(abs)
    })
}

fn needs_scan(text: &str, escape: char) -> bool {
    text.contains(['$', '\'', '"']) || text.contains(escape)
}

/// The words of one instruction that BuildKit expands (not RUN/CMD/ENTRYPOINT commands,
/// HEALTHCHECK, SHELL, `COPY --from`, or ONBUILD triggers, which expand downstream).
fn builder_words<'a>(ctx: &Ctx<'_>, entry: Entry<'a>, cmd: &'a Command) -> Vec<Word<'a>> {
    let mut words = Vec::new();
    let esc = ctx.lexer.escape();
    let node = |n: &'a crate::syntax::ArgNode, words: &mut Vec<Word<'a>>| {
        if n.range.is_some() && needs_scan(&n.value, esc) {
            if let Some(span) = node_span(entry, n) {
                words.push(Word {
                    text: &n.value,
                    span,
                    raw: false,
                });
            }
        }
    };
    match cmd.kind {
        Keyword::From => {
            if let Some(n) = cmd.nodes.first() {
                node(n, &mut words);
            }
        }
        Keyword::Env | Keyword::Label => {
            for triplet in cmd.nodes.chunks(3) {
                for n in triplet.iter().take(2) {
                    node(n, &mut words);
                }
            }
        }
        Keyword::Arg => {
            for n in &cmd.nodes {
                let (Some((key, default)), Some(l)) = (n.value.split_once('='), n.logical) else {
                    continue;
                };
                if !needs_scan(default, esc) {
                    continue;
                }
                let start = l.start() + TextSize::from(key.len() as u32 + 1);
                words.push(Word {
                    text: default,
                    span: Span::Logical(TextRange::new(start.min(l.end()), l.end())),
                    raw: false,
                });
            }
        }
        Keyword::Workdir
        | Keyword::User
        | Keyword::Stopsignal
        | Keyword::Volume
        | Keyword::Expose => {
            for n in &cmd.nodes {
                node(n, &mut words);
            }
        }
        Keyword::Add | Keyword::Copy => {
            let (srcs, dest) = super::instructions::sources_and_dest(entry, cmd);
            for n in srcs.into_iter().chain(dest) {
                node(n, &mut words);
            }
            for f in &cmd.flags {
                let expanded = matches!(f.name.as_str(), "chown" | "chmod")
                    || (cmd.kind == Keyword::Add && f.name == "checksum");
                if expanded && f.value.as_deref().is_some_and(|v| needs_scan(v, esc)) {
                    if let (Some(text), Some(span)) = (f.value.as_deref(), flag_span(ctx, entry, f))
                    {
                        words.push(Word {
                            text,
                            span,
                            raw: false,
                        });
                    }
                }
            }
            for h in &entry.inst.heredocs {
                if h.expand && h.content.contains('$') {
                    words.push(Word {
                        text: &h.content,
                        span: Span::Source(entry.abs(h.body)),
                        raw: true,
                    });
                }
            }
        }
        _ => {}
    }
    words
}

fn map(entry: Entry<'_>, span: Span, inner: &std::ops::Range<usize>) -> TextRange {
    match span {
        Span::Logical(l) => {
            let start = usize::from(l.start());
            entry.abs(
                entry
                    .inst
                    .logical
                    .source_range(start + inner.start..start + inner.end),
            )
        }
        Span::Source(s) => {
            let end = (s.start() + TextSize::from(inner.end as u32)).min(s.end());
            let start = (s.start() + TextSize::from(inner.start as u32)).min(end);
            TextRange::new(start, end)
        }
        Span::Approx(a) => a,
    }
}

/// Substitution errors and modifiers the pinned frontend lacks, in one word. Returns
/// whether the word does not expand.
fn scan_word(ctx: &mut Ctx<'_>, i: usize, word: &Word<'_>) -> bool {
    // Without `$` only an unterminated quote can fail; most words are fine.
    if !word.text.contains('$') && quotes_balanced(word.text, ctx.lexer.escape()) {
        return false;
    }
    let Some(entry) = ctx.entry(i) else {
        return false;
    };
    let scan: VarScan = if word.raw {
        let mut lexer = Lexer::new('\\');
        lexer.skip_process_quotes = true;
        lexer.var_refs(word.text)
    } else {
        ctx.lexer.var_refs(word.text)
    };
    if let Some(e) = scan.errors.first() {
        let r = map(entry, word.span, &e.range);
        let message = e.buildkit_message(word.text);
        ctx.error("InvalidSubstitution", r, message, Some(i));
    }
    let broken = !scan.errors.is_empty();
    let Some(pinned) = ctx
        .model
        .frontend
        .pinned
        .filter(|_| ctx.model.frontend.official)
    else {
        return broken;
    };
    for r in &scan.refs {
        let Some(m) = &r.modifier else { continue };
        if let FrontendSupport::Since(v) = m.min_frontend_version() {
            let since = crate::docs::FrontendVersion::new(v.major as u16, v.minor as u16);
            if pinned < since {
                let range = map(entry, word.span, &r.range);
                let what = format!("the substitution {}", ctx.slice(range));
                super::flags::require(ctx, i, range, since, false, &what);
            }
        }
    }
    broken
}

/// Whether every quote of a word is closed, as the word processor reads them.
fn quotes_balanced(text: &str, escape: char) -> bool {
    let mut chars = text.chars();
    let mut quote: Option<char> = None;
    while let Some(c) = chars.next() {
        match quote {
            None | Some('"') if c == escape => {
                chars.next();
            }
            None if c == '\'' || c == '"' => quote = Some(c),
            Some(q) if c == q => quote = None,
            _ => {}
        }
    }
    quote.is_none()
}

/// UndefinedVar: a variable BuildKit expands (not in RUN/CMD/ENTRYPOINT text, EXPOSE or
/// ONBUILD) that is neither in the environment nor a declared ARG.
fn undefined_var(ctx: &mut Ctx<'_>, broken: &HashSet<usize>) {
    let model = ctx.model;
    let parse = ctx.parse;
    for u in &model.var_uses {
        if u.context != UseContext::Builder || u.def.is_some() || u.value.is_some() {
            continue;
        }
        if NON_ENV_ARGS.contains(&u.name.as_str()) || broken.contains(&u.entry) {
            continue;
        }
        let Some(entry) = parse.entry(u.entry) else {
            continue;
        };
        if matches!(entry.inst.command.kind, Keyword::Onbuild | Keyword::Expose) {
            continue;
        }
        let Some(info) = model.entries.get(u.entry) else {
            continue;
        };
        let Some(stage) = info.stage.map(|s| &model.stages[s]) else {
            continue;
        };
        if info.declared_args.iter().any(|(n, _)| *n == u.name) {
            continue;
        }
        let suggestion = search(&u.name, info.env.names(), true);
        let message = with_suggestion(
            format!("Usage of undefined variable '${}'", u.name),
            suggestion.as_deref().map(|s| format!("${s}")).as_deref(),
        );
        let f = ctx.rule("UndefinedVar", u.range, message, Some(u.entry));
        if let Some(s) = &suggestion {
            f.fix(Fix::replace(format!("Change to ${s}"), u.range, s.clone()).preferred());
        } else if stage.base_env_unknown {
            // BuildKit also counts the base image's ENV, which we cannot see.
            f.uncertain();
            f.diag
                .message
                .push_str(" (unless the base image defines it; its ENV is not known offline)");
        }
    }
}

/// UndefinedArgInFrom: a variable in FROM (image or `--platform`) that is neither a
/// global ARG nor predefined.
fn from_args(ctx: &mut Ctx<'_>) {
    let model = ctx.model;
    let mut known: HashSet<&str> = model.global_env.names().collect();
    for &i in &model.meta_args {
        for d in model.var_defs.iter().filter(|d| d.entry == i) {
            known.insert(d.name.as_str());
        }
    }
    let mut options: Vec<&str> = known.iter().copied().collect();
    options.sort_unstable();
    for stage in &model.stages {
        let Some(entry) = ctx.entry(stage.from_entry) else {
            continue;
        };
        let mut words: Vec<&str> = Vec::new();
        if !stage.base_text.is_empty() {
            words.push(&stage.base_text);
        }
        if let Some(v) = entry
            .inst
            .command
            .flag("platform")
            .and_then(|f| f.value.as_deref())
        {
            words.push(v);
        }
        let mut reported = HashSet::new();
        for word in words {
            if !word.contains('$') {
                continue;
            }
            let Ok(p) = ctx.lexer.process_word(word, &model.global_env) else {
                continue;
            };
            for name in p.unmatched {
                if known.contains(name.as_str()) || !reported.insert(name.clone()) {
                    continue;
                }
                let range = model
                    .var_uses
                    .iter()
                    .find(|u| u.entry == stage.from_entry && u.name == name)
                    .map_or_else(|| entry.abs(entry.inst.command.keyword_range), |u| u.range);
                let s = search(&name, options.iter().copied(), true);
                let message = with_suggestion(
                    format!("FROM argument '{name}' is not declared"),
                    s.as_deref(),
                );
                let f = ctx.rule("UndefinedArgInFrom", range, message, Some(stage.from_entry));
                if let Some(s) = s {
                    f.fix(Fix::replace(format!("Change to {s}"), range, s).preferred());
                }
            }
        }
    }
}

/// InvalidDefaultArgInFrom: with every global ARG at its default, FROM must still name a
/// valid image. BuildKit stops at the first FROM that fails to expand.
fn invalid_default_arg_in_from(ctx: &mut Ctx<'_>) {
    let model = ctx.model;
    for stage in &model.stages {
        let Some(range) = stage.base_range else {
            continue;
        };
        let Ok(p) = ctx
            .lexer
            .process_word(&stage.base_text, &model.global_defaults)
        else {
            return;
        };
        if reference::parse_normalized_named(&p.value).is_err() {
            ctx.rule(
                "InvalidDefaultArgInFrom",
                range,
                format!(
                    "Default value for ARG {} results in empty or invalid base image name",
                    stage.base_text
                ),
                None,
            );
        }
    }
}
