//! Diagnostics: BuildKit's parse errors, its hard errors and build checks, and our own rules.
//!
//! One entry point, [`check`], over a parse and its model: every problem at once (BuildKit
//! stops at the first hard error), each with a precise range, sorted by position. BuildKit's
//! build checks keep BuildKit's rule names as codes and behave as `dockerfile2llb` does; the
//! file's `# check=` directive and per-instruction `# check=skip=` comments are honoured as
//! `linter.ParseLintOptions` / `WithMergedConfigFromComments` do. Quick fixes travel with
//! each diagnostic as plain data ([`Fix`]).
//!
//! Families, one file each: [`instructions`] (unknown instructions, arity and per-instruction
//! argument rules), [`flags`] (flag parsing, `RUN --mount/--network/--security/--device`,
//! frontend version gates), [`stages`] (stage names and bases, `--from`, dependency cycles),
//! [`variables`] (substitution errors, UndefinedVar and the FROM-argument rules),
//! [`buildkit`] (the other BuildKit build checks), [`ours`] (this project's rules), [`lint`]
//! (the `check` directive and the "ignore" fixes), [`registry`] (codes, severities, URLs).

mod buildkit;
mod flags;
mod golang;
mod instructions;
mod lint;
mod ours;
mod quote;
pub mod reference;
pub mod registry;
mod stages;
pub mod suggest;
#[cfg(test)]
mod tests;
mod variables;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use crate::cache::context::{ContextIndex, IgnoreFile};
use crate::docs::RuleInfo;
use crate::model::{Model, Options, StageIdentity};
use crate::syntax::shell::Lexer;
use crate::syntax::{Entry, Parse, TextEdit, TextRange, TextSize};

pub use lint::{LintOptions, ignore_fixes};

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
    Info,
    Hint,
}

impl Severity {
    /// `error`, `warning`, `info` or `hint` (the CLI's JSON spelling).
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
            Severity::Hint => "hint",
        }
    }
}

/// Who reports a diagnostic: BuildKit itself (its parser, its hard errors and build checks),
/// or this project's own rules. The CLI prints it as `source`.
pub const SOURCE_BUILDKIT: &str = "buildkit";
/// See [`SOURCE_BUILDKIT`].
pub const SOURCE_OURS: &str = "dockerfile-lsp";

/// What a [`Fix`] does, so an editor can order and label the actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FixKind {
    /// Repairs the problem.
    QuickFix,
    /// Adds the rule to a `# check=skip=` comment above the instruction.
    IgnoreInstruction,
    /// Adds the rule to the file's `# check=skip=` directive.
    IgnoreFile,
}

/// A quick fix: text edits (byte ranges of the document, applied together).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub title: String,
    /// Non-overlapping edits; each replaces a range with new text.
    pub edits: Vec<(TextRange, String)>,
    /// The obvious fix (editors may apply it on "fix all" / auto-fix).
    pub preferred: bool,
    pub kind: FixKind,
}

impl Fix {
    pub(crate) fn new(title: impl Into<String>, edits: Vec<(TextRange, String)>) -> Fix {
        Fix {
            title: title.into(),
            edits,
            preferred: false,
            kind: FixKind::QuickFix,
        }
    }

    pub(crate) fn replace(
        title: impl Into<String>,
        range: TextRange,
        text: impl Into<String>,
    ) -> Fix {
        Fix::new(title, vec![(range, text.into())])
    }

    pub(crate) fn preferred(mut self) -> Fix {
        self.preferred = true;
        self
    }
}

/// One problem in a Dockerfile, in byte offsets of the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub range: TextRange,
    pub severity: Severity,
    /// BuildKit's rule name where BuildKit has the rule (`StageNameCasing`), else ours
    /// (see [`registry`]).
    pub code: String,
    pub message: String,
    /// The rule's documentation page, if it has one.
    pub url: Option<String>,
    /// Shown struck through by editors (e.g. MAINTAINER).
    pub deprecated: bool,
    /// Shown faded by editors (e.g. an ignored CMD).
    pub unnecessary: bool,
    /// [`SOURCE_BUILDKIT`] or [`SOURCE_OURS`].
    pub source: &'static str,
    /// Quick fixes, then (for rules that can be skipped) the two "ignore" actions.
    pub fixes: Vec<Fix>,
}

impl Diagnostic {
    fn new(range: TextRange, severity: Severity, code: &str, message: String) -> Diagnostic {
        Diagnostic {
            range,
            severity,
            code: code.to_string(),
            message,
            url: None,
            deprecated: false,
            unnecessary: false,
            source: SOURCE_BUILDKIT,
            fixes: Vec::new(),
        }
    }
}

/// A severity setting for one rule: `off|hint|info|warning|error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Level {
    Off,
    Hint,
    Info,
    Warning,
    Error,
}

impl Level {
    /// Parses `off`, `hint`, `info`, `warning` or `error`.
    pub fn parse(s: &str) -> Option<Level> {
        Some(match s {
            "off" => Level::Off,
            "hint" => Level::Hint,
            "info" => Level::Info,
            "warning" => Level::Warning,
            "error" => Level::Error,
            _ => return None,
        })
    }

    /// The severity to report with, or `None` for `off`.
    pub fn severity(self) -> Option<Severity> {
        match self {
            Level::Off => None,
            Level::Hint => Some(Severity::Hint),
            Level::Info => Some(Severity::Info),
            Level::Warning => Some(Severity::Warning),
            Level::Error => Some(Severity::Error),
        }
    }
}

/// What the checks depend on besides the text. Plain data: the language server fills it from
/// its settings (section `dockerfile`, key `rules`), the CLI from the file system.
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// Severity overrides by code (BuildKit rule names, our rule codes, hard-error codes).
    pub rules: BTreeMap<String, Level>,
    /// `--build-arg` values assumed (also give them to the model, see [`Config::model_options`]).
    /// `BUILDKIT_DOCKERFILE_CHECK` replaces the file's `# check=` directive, as in BuildKit.
    pub build_args: BTreeMap<String, String>,
    /// `--target`; `None` builds the last stage.
    pub target: Option<String>,
    /// Target platform `os/arch[/variant]`; `None` is linux/amd64.
    pub platform: Option<String>,
    /// Run BuildKit's experimental rules as if the file said `# check=experimental=all`.
    pub experimental: bool,
    /// The build context's ignore file, loaded by the caller (`ignore_file_path`). Without
    /// it `CopyIgnoredFile` cannot run.
    pub ignore_file: Option<Arc<IgnoreFile>>,
    /// A walk of the build context, if the caller has one: lets
    /// `CopyBeforeDependencyInstall` see which copied directories hold lock files.
    pub context: Option<Arc<ContextIndex>>,
}

impl Config {
    /// The model options that match this configuration.
    pub fn model_options(&self) -> Options {
        Options {
            build_args: self.build_args.clone(),
            target: self.target.clone(),
            platform: self.platform.clone(),
        }
    }
}

/// Every diagnostic of a file: parse errors, BuildKit's hard errors and build checks, and
/// our own rules, with the file's `# check=` settings and `config` applied. Sorted by
/// position; deterministic. `model` must be built from `parse` (with
/// [`Config::model_options`]).
pub fn check(parse: &Parse, model: &Model, config: &Config) -> Vec<Diagnostic> {
    check_incremental(parse, model, config, None).0
}

/// The result of an earlier run and the edit since, for [`check_incremental`].
#[derive(Debug, Clone, Copy)]
pub struct Previous<'a> {
    pub cache: &'a CheckCache,
    /// The edit that turned the earlier text into this one, in the earlier text's offsets.
    pub edit: &'a TextEdit,
}

/// What one run found per instruction, for reuse by the next run after an edit: the
/// instructions of a stage whose evaluation the model reused (so the stage's instructions and
/// state are unchanged) have the same findings, moved. Kept per stage, so that a stage with
/// no findings is carried over whole, without a look at its instructions.
#[derive(Debug, Default)]
pub struct CheckCache {
    /// The parse the run was on ([`Parse::id`]): only a parse re-parsed from it may use the
    /// cache.
    parse_id: u64,
    /// By the stage evaluation the findings were made with.
    stages: HashMap<StageIdentity, CachedStage>,
    /// The ignore-file rules the run used (CopyIgnoredFile depends on them).
    ignore: Vec<(u32, String)>,
}

#[derive(Debug, Clone)]
struct CachedStage {
    /// The instructions after the FROM, in order.
    entries: Arc<[CachedEntry]>,
    /// No instruction has findings or is broken: nothing to move.
    clean: bool,
}

#[derive(Debug, Clone)]
struct CachedEntry {
    findings: Vec<Finding>,
    /// BuildKit cannot expand the instruction (see `variables::entry`).
    broken: bool,
}

fn ignore_key(config: &Config) -> Vec<(u32, String)> {
    config.ignore_file.as_ref().map_or_else(Vec::new, |f| {
        f.rules().iter().map(|r| (r.line, r.text.clone())).collect()
    })
}

/// [`check`], reusing the per-instruction findings of an earlier run where the instruction
/// and its stage's evaluation did not change. Returns the cache for the next run. The
/// result equals [`check`]'s.
pub fn check_incremental(
    parse: &Parse,
    model: &Model,
    config: &Config,
    previous: Option<Previous<'_>>,
) -> (Vec<Diagnostic>, CheckCache) {
    let mut ctx = Ctx::new(parse, model, config);
    for d in syntax_diagnostics(parse) {
        ctx.findings.push(Finding::hard(d));
    }
    ctx.lint = lint::file_options(&mut ctx);
    let ignore = ignore_key(config);
    let previous =
        previous.filter(|p| Some(p.cache.parse_id) == parse.base_id() && p.cache.ignore == ignore);
    let mut cache = CheckCache {
        parse_id: parse.id(),
        stages: HashMap::with_capacity(model.stages.len()),
        ignore,
    };
    let mut broken = HashSet::new();
    let mut i = 0;
    let mut stages = model.stages.iter().enumerate().peekable();
    while let Some(entry) = parse.entry(i) {
        let Some((s, stage)) = stages.next_if(|(_, st)| st.from_entry == i) else {
            // Before the first FROM: in no stage.
            check_entry(&mut ctx, &mut broken, i, entry);
            i += 1;
            continue;
        };
        // FROM lines are always checked: their fixes reach into other stages.
        check_entry(&mut ctx, &mut broken, i, entry);
        let identity = model.stage_identity(s);
        let old = identity
            .as_ref()
            .zip(previous)
            .and_then(|(id, p)| Some((p.cache.stages.get(id)?, p.edit)));
        let first = stage.from_entry + 1;
        let entries: Arc<[CachedEntry]> = match old {
            // The same evaluation has the same instructions: nothing to look at.
            Some((old, _)) if old.clean => old.entries.clone(),
            Some((old, edit)) => {
                let mut entries = Vec::with_capacity(old.entries.len());
                for (i, cached) in (first..).zip(old.entries.iter()) {
                    if let Some(moved) = moved_findings(&cached.findings, edit, i) {
                        if cached.broken {
                            broken.insert(i);
                        }
                        ctx.findings.extend(moved.iter().cloned());
                        entries.push(CachedEntry {
                            findings: moved,
                            broken: cached.broken,
                        });
                    } else if let Some(entry) = parse.entry(i) {
                        entries.push(check_entry(&mut ctx, &mut broken, i, entry));
                    }
                }
                entries.into()
            }
            None => (first..stage.end_entry)
                .filter_map(|i| Some(check_entry(&mut ctx, &mut broken, i, parse.entry(i)?)))
                .collect(),
        };
        if let Some(identity) = identity {
            let clean = entries.iter().all(|e| e.findings.is_empty() && !e.broken);
            cache
                .stages
                .insert(identity, CachedStage { entries, clean });
        }
        i = stage.end_entry.max(i + 1);
    }
    instructions::file(&mut ctx);
    stages::check(&mut ctx);
    variables::file(&mut ctx, &broken);
    buildkit::file(&mut ctx);
    ours::file(&mut ctx);
    (lint::finish(ctx), cache)
}

/// Runs the per-instruction checks of entry `i`; returns what they found, for the cache.
fn check_entry(
    ctx: &mut Ctx<'_>,
    broken: &mut HashSet<usize>,
    i: usize,
    entry: Entry<'_>,
) -> CachedEntry {
    let mark = ctx.findings.len();
    instructions::entry(ctx, i, entry);
    flags::entry(ctx, i, entry);
    let is_broken = variables::entry(ctx, i, entry);
    buildkit::entry(ctx, i, entry);
    ours::entry(ctx, i, entry);
    if is_broken {
        broken.insert(i);
    }
    CachedEntry {
        findings: ctx.findings[mark..].to_vec(),
        broken: is_broken,
    }
}

/// An earlier run's findings of one instruction, moved through `edit` to instruction `i`
/// of the new text; `None` when they cannot be moved exactly (a range the edit touched,
/// or a finding governed by another instruction).
fn moved_findings(findings: &[Finding], edit: &TextEdit, i: usize) -> Option<Vec<Finding>> {
    let start = u32::from(edit.range.start());
    let end = u32::from(edit.range.end());
    let delta = edit.insert.len() as i64 - i64::from(end - start);
    let offset = |o: TextSize| -> Option<TextSize> {
        let o = u32::from(o);
        if o <= start {
            Some(TextSize::from(o))
        } else if o >= end {
            Some(TextSize::from((i64::from(o) + delta) as u32))
        } else {
            None
        }
    };
    let range = |r: TextRange| -> Option<TextRange> {
        let (s, e) = (offset(r.start())?, offset(r.end())?);
        // A range around the edit point would grow or shrink with it: not the same finding.
        (u32::from(r.start()) >= end || u32::from(r.end()) <= start).then(|| TextRange::new(s, e))
    };
    findings
        .iter()
        .map(|f| {
            let mut f = f.clone();
            if f.governing.is_some() {
                f.governing = Some(i);
            }
            f.diag.range = range(f.diag.range)?;
            for fix in &mut f.diag.fixes {
                for (r, _) in &mut fix.edits {
                    *r = range(*r)?;
                }
            }
            Some(f)
        })
        .collect()
}

/// Diagnostics for the errors BuildKit's parser itself raises.
pub fn syntax_diagnostics(parse: &Parse) -> Vec<Diagnostic> {
    parse
        .errors()
        .into_iter()
        .map(|e| {
            let mut d = Diagnostic::new(
                e.range,
                Severity::Error,
                &format!("{:?}", e.code),
                e.message,
            );
            d.url = Some(crate::docs::REFERENCE_URL.to_string());
            d
        })
        .collect()
}

/// One diagnostic on its way out, with what decides whether it is reported.
#[derive(Debug, Clone)]
pub(crate) struct Finding {
    pub diag: Diagnostic,
    /// The build-check rule, `None` for hard errors (never skipped).
    pub rule: Option<&'static RuleInfo>,
    /// The instruction whose `# check=` comment applies (BuildKit merges the comments of
    /// the instruction being processed, which is not always the one reported: see
    /// MultipleInstructionsDisallowed). `None`: only the file's settings apply.
    pub governing: Option<usize>,
    /// We cannot see everything BuildKit sees (a base image's ENV): reported as a hint and
    /// never raised by `error=true`.
    pub uncertain: bool,
}

impl Finding {
    fn hard(diag: Diagnostic) -> Finding {
        Finding {
            diag,
            rule: None,
            governing: None,
            uncertain: false,
        }
    }
}

/// What every check family works with.
pub(crate) struct Ctx<'a> {
    pub parse: &'a Parse,
    pub model: &'a Model,
    pub config: &'a Config,
    /// BuildKit's word processor with the file's escape character.
    pub lexer: Lexer,
    pub lint: LintOptions,
    pub findings: Vec<Finding>,
}

impl<'a> Ctx<'a> {
    fn new(parse: &'a Parse, model: &'a Model, config: &'a Config) -> Ctx<'a> {
        Ctx {
            parse,
            model,
            config,
            lexer: Lexer::new(parse.escape()),
            lint: LintOptions::default(),
            findings: Vec::new(),
        }
    }

    pub fn text(&self) -> &'a str {
        self.parse.text()
    }

    /// The `index`-th instruction (indices come from the parse or the model).
    pub fn entry(&self, index: usize) -> Option<Entry<'a>> {
        self.parse.entry(index)
    }

    /// The source text of an absolute range ("" when out of bounds).
    pub fn slice(&self, range: TextRange) -> &'a str {
        self.text()
            .get(usize::from(range.start())..usize::from(range.end()))
            .unwrap_or("")
    }

    /// A hard error (BuildKit fails the build). The URL is the instruction's reference
    /// section when `entry` is given.
    pub fn error(
        &mut self,
        code: &str,
        range: TextRange,
        message: impl Into<String>,
        entry: Option<usize>,
    ) -> &mut Diagnostic {
        let mut d = Diagnostic::new(range, Severity::Error, code, message.into());
        d.url = Some(
            entry
                .and_then(|i| self.entry(i))
                .and_then(|e| crate::docs::instruction(&e.inst.command.keyword))
                .map_or(crate::docs::REFERENCE_URL, |info| info.url)
                .to_string(),
        );
        self.findings.push(Finding::hard(d));
        let last = self.findings.len() - 1;
        &mut self.findings[last].diag
    }

    /// A hard error whose value was probably mistyped: "(did you mean X?)" in the message
    /// and the preferred fix "Change to X", when `suggestion` has one.
    pub fn error_suggesting(
        &mut self,
        code: &str,
        range: TextRange,
        message: String,
        suggestion: Option<String>,
        entry: Option<usize>,
    ) -> &mut Diagnostic {
        let message = suggest::with_suggestion(message, suggestion.as_deref());
        let d = self.error(code, range, message, entry);
        if let Some(s) = suggestion {
            d.fix(Fix::replace(format!("Change to {s}"), range, s).preferred());
        }
        d
    }

    /// A build-check finding of rule `code` (from `docs::rules()`), governed by the `# check=`
    /// comments of entry `governing`.
    pub fn rule(
        &mut self,
        code: &str,
        range: TextRange,
        message: impl Into<String>,
        governing: Option<usize>,
    ) -> &mut Finding {
        let info = crate::docs::rule(code);
        let severity = info.map_or(Severity::Warning, |r| {
            registry::severity_of(r.default_severity)
        });
        let mut d = Diagnostic::new(range, severity, code, message.into());
        if let Some(info) = info {
            if !info.url.is_empty() {
                d.url = Some(info.url.to_string());
            }
            d.deprecated = info.flags_deprecated_syntax;
            if info.origin == crate::docs::RuleOrigin::Ours {
                d.source = SOURCE_OURS;
            }
        }
        self.findings.push(Finding {
            diag: d,
            rule: info,
            governing,
            uncertain: false,
        });
        let last = self.findings.len() - 1;
        &mut self.findings[last]
    }

    /// Whether a feature of frontend `since` (labs-only when `labs_only`) is available.
    pub fn supports(&self, since: crate::docs::FrontendVersion, labs_only: bool) -> bool {
        let f = &self.model.frontend;
        if !f.official {
            // A custom frontend: we do not know its syntax, so gate nothing.
            return true;
        }
        f.supports(since, labs_only)
    }
}

impl Finding {
    pub(crate) fn fix(&mut self, fix: Fix) -> &mut Finding {
        self.diag.fixes.push(fix);
        self
    }

    pub(crate) fn uncertain(&mut self) -> &mut Finding {
        self.uncertain = true;
        self.diag.severity = Severity::Hint;
        self
    }
}

impl Diagnostic {
    pub(crate) fn fix(&mut self, fix: Fix) -> &mut Diagnostic {
        self.fixes.push(fix);
        self
    }
}

#[cfg(test)]
mod incremental_tests {
    use proptest::prelude::*;

    use super::*;
    use crate::syntax::parse;

    fn run(text: &str, edit: &TextEdit) {
        run_all(text, std::slice::from_ref(edit));
    }

    /// Edits one after the other, each run reusing the cache the previous incremental run
    /// made; every result equals a full run.
    fn run_all(text: &str, edits: &[TextEdit]) {
        let config = Config::default();
        let mut text = text.to_string();
        let mut old_parse = parse(&text);
        let mut old_model = Model::new(&old_parse, &config.model_options());
        let (_, mut cache) = check_incremental(&old_parse, &old_model, &config, None);
        for edit in edits {
            let new_text = edit.apply(&text);
            let new_parse = old_parse.reparse(&new_text, edit);
            let new_model = old_model.update(&new_parse, &config.model_options());
            let previous = Previous {
                cache: &cache,
                edit,
            };
            let (incremental, new_cache) =
                check_incremental(&new_parse, &new_model, &config, Some(previous));
            assert_eq!(
                incremental,
                check(&new_parse, &new_model, &config),
                "after {edit:?} on {text:?}"
            );
            (text, old_parse, old_model, cache) = (new_text, new_parse, new_model, new_cache);
        }
    }

    #[test]
    fn reused_findings_move_with_the_text() {
        let text = "FROM alpine AS Build\nRUN apt-get update\nENV A 1\nmaintainer me\nFROM build\nRUN --mount=type=bogus true\nCOPY $UNDEF /x\n";
        for (start, end, insert) in [
            (26, 26, "x"),
            (0, 0, "# c\n"),
            (60, 60, "RUN y\n"),
            (21, 40, ""),
        ] {
            let edit = TextEdit {
                range: TextRange::new((start as u32).into(), (end as u32).into()),
                insert: insert.to_string(),
            };
            run(text, &edit);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(800))]

        #[test]
        fn incremental_checks_equal_a_full_run(
            lines in proptest::collection::vec(
                prop_oneof![
                    Just("FROM alpine AS Base"), Just("FROM base AS b"), Just("from scratch"),
                    Just("RUN apt-get update"), Just("ENV A 1"), Just("ENV B=$A C=$NOPE"),
                    Just("ARG SECRET_TOKEN"), Just("RUN echo $SECRET_TOKEN"), Just("COPY . ."),
                    Just("RUN npm ci"), Just("WORKDIR rel"), Just("CMD echo hi"),
                    Just("EXPOSE 80/TCP"), Just("RUN --mount=type=cache,target=/c,size=1 x"),
                    Just("COPY --from=b /a /b"), Just("MAINTAINER me"), Just("ADD http://x/y /z"),
                    Just("# check=skip=JSONArgsRecommended"), Just(""), Just("RUN a \\"), Just("  b"),
                ],
                0..18,
            ),
            at in 0usize..400, len in 0usize..10,
            insert in prop_oneof![
                Just(String::new()), Just("\n".to_string()), Just("x".to_string()),
                Just("RUN y\n".to_string()), Just("FROM z AS Q\n".to_string()), "[ -~\n]{0,5}",
            ],
        ) {
            let text = lines.join("\n");
            let start = at.min(text.len());
            let end = (start + len).min(text.len());
            let edit = TextEdit {
                range: TextRange::new((start as u32).into(), (end as u32).into()),
                insert,
            };
            run(&text, &edit);
        }

        #[test]
        fn incremental_checks_equal_a_full_run_over_edit_sequences(
            lines in proptest::collection::vec(
                prop_oneof![
                    Just("FROM alpine AS Base"), Just("FROM base AS b"), Just("from scratch"),
                    Just("RUN apt-get update"), Just("ENV A 1"), Just("ENV B=$A C=$NOPE"),
                    Just("ARG SECRET_TOKEN"), Just("RUN echo $SECRET_TOKEN"), Just("COPY . ."),
                    Just("RUN npm ci"), Just("WORKDIR rel"), Just("MAINTAINER me"),
                    Just("COPY --from=b /a /b"), Just("# check=skip=JSONArgsRecommended"),
                ],
                0..14,
            ),
            edits in proptest::collection::vec(
                (0usize..300, 0usize..6, prop_oneof![
                    Just(String::new()), Just("\n".to_string()), Just("x".to_string()),
                    Just("RUN y\n".to_string()), Just("FROM z AS Q\n".to_string()),
                    Just("ENV $".to_string()), "[ -~\n]{0,4}",
                ]),
                1..5,
            ),
        ) {
            let text = lines.join("\n");
            let mut len = text.len();
            let edits: Vec<TextEdit> = edits
                .into_iter()
                .map(|(at, n, insert)| {
                    let start = at.min(len);
                    let end = (start + n).min(len);
                    len = len - (end - start) + insert.len();
                    TextEdit {
                        range: TextRange::new((start as u32).into(), (end as u32).into()),
                        insert,
                    }
                })
                .collect();
            run_all(&text, &edits);
        }
    }
}
