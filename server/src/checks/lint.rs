//! The `# check=` directive and per-instruction `# check=skip=` comments, exactly as
//! BuildKit's `linter.ParseLintOptions` and `Linter.WithMergedConfigFromComments` read them;
//! applying them (and the user's severity overrides) to the findings; and the two "ignore"
//! fixes that write them.

use std::collections::HashMap;

use super::{Ctx, Diagnostic, Finding, Fix, FixKind, Severity, golang, registry};
use crate::docs::{RuleInfo, RuleOrigin};
use crate::syntax::shell::go_quote;
use crate::syntax::{Parse, TextRange, TextSize};

/// BuildKit's `linter.Config` (minus the callback).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LintOptions {
    pub skip_all: bool,
    pub skip: Vec<String>,
    pub experimental_all: bool,
    pub experimental: Vec<String>,
    /// `error=true`: any reported check fails the build.
    pub error: bool,
}

/// Go's `strings.TrimSpace` (Unicode white space).
fn trim(s: &str) -> &str {
    s.trim_matches(char::is_whitespace)
}

impl LintOptions {
    /// `linter.ParseLintOptions`: up to three `;`-separated `skip=…`, `experimental=…`,
    /// `error=…` parts. The error is BuildKit's message.
    pub fn parse(check: &str) -> Result<LintOptions, String> {
        let check = trim(check);
        let mut o = LintOptions::default();
        if check.is_empty() {
            return Ok(o);
        }
        for part in check.splitn(3, ';') {
            let Some((k, v)) = part.split_once('=') else {
                return Err(format!("invalid check option {}", go_quote(part)));
            };
            let list = |v: &str| -> (bool, Vec<String>) {
                let v = trim(v);
                if v == "all" {
                    (true, Vec::new())
                } else {
                    (false, v.split(',').map(|r| trim(r).to_string()).collect())
                }
            };
            match trim(k) {
                "skip" => (o.skip_all, o.skip) = list(v),
                "experimental" => (o.experimental_all, o.experimental) = list(v),
                "error" => {
                    o.error = golang::parse_bool(trim(v)).ok_or_else(|| {
                        format!(
                            "failed to parse check option {}: {}",
                            go_quote(part),
                            golang::NumError::Syntax.message("ParseBool", trim(v))
                        )
                    })?;
                }
                k => return Err(format!("invalid check option {}", go_quote(k))),
            }
        }
        Ok(o)
    }

    /// `WithMergedConfig`: skips and experimental rules add up; `error` stays.
    fn merged(&self, other: &LintOptions) -> LintOptions {
        let mut m = self.clone();
        m.experimental_all |= other.experimental_all;
        m.experimental.extend(other.experimental.iter().cloned());
        m.skip_all |= other.skip_all;
        m.skip.extend(other.skip.iter().cloned());
        m
    }

    fn skips(&self, code: &str) -> bool {
        self.skip_all || self.skip.iter().any(|s| s == code)
    }

    fn enables(&self, code: &str) -> bool {
        self.experimental_all || self.experimental.iter().any(|s| s == code)
    }
}

/// A comment's text (after `#`, trimmed) read as a directive, `DirectiveParser.ParseLine`
/// with an empty comment prefix: the lower-cased name and the value, and the value's byte
/// offset in `comment`.
fn comment_directive(comment: &str) -> Option<(String, &str, usize)> {
    let body = comment.trim_start_matches(char::is_whitespace);
    let (name, value) = crate::syntax::split_directive(body)?;
    let offset = value.as_ptr() as usize - comment.as_ptr() as usize;
    Some((name.to_ascii_lowercase(), value, offset))
}

/// The options in force for the whole file: `BUILDKIT_DOCKERFILE_CHECK` if configured
/// (it replaces the directive, as in BuildKit), else the `# check=` directive. A value
/// BuildKit cannot parse is an error (BuildKit then runs no checks; we keep checking).
pub(super) fn file_options(ctx: &mut Ctx<'_>) -> LintOptions {
    let mut options = LintOptions::default();
    if let Some(v) = ctx.config.build_args.get("BUILDKIT_DOCKERFILE_CHECK") {
        match LintOptions::parse(v) {
            Ok(o) => options = o,
            Err(e) => {
                ctx.error(
                    "InvalidCheckDirective",
                    TextRange::empty(TextSize::from(0)),
                    format!("failed to parse check options (BUILDKIT_DOCKERFILE_CHECK): {e}"),
                    None,
                );
            }
        }
    } else if let Some(d) = ctx.parse.directive("check") {
        let value = d.value.split(' ').next().unwrap_or("");
        match LintOptions::parse(value) {
            Ok(o) => options = o,
            Err(e) => {
                let url = crate::docs::directive("check").map(|i| i.url.to_string());
                let diag = ctx.error(
                    "InvalidCheckDirective",
                    d.value_range,
                    format!("failed to parse check options: {e}"),
                    None,
                );
                diag.url = url;
            }
        }
    }
    if ctx.config.experimental {
        options.experimental_all = true;
    }
    options
}

/// `WithMergedConfigFromComments`: the first comment that is a `check` directive counts
/// (text after its first space is ignored); if it does not parse, the comments change
/// nothing.
fn merged_with_comments(base: &LintOptions, comments: &[String]) -> LintOptions {
    for comment in comments {
        let Some((name, value, _)) = comment_directive(comment) else {
            continue;
        };
        if name != "check" {
            continue;
        }
        let value = value.split(' ').next().unwrap_or("");
        return match LintOptions::parse(value) {
            Ok(o) => base.merged(&o),
            Err(_) => base.clone(),
        };
    }
    base.clone()
}

/// Applies the lint options and the configured severities, attaches the "ignore" fixes,
/// and sorts.
pub(super) fn finish(ctx: Ctx<'_>) -> Vec<Diagnostic> {
    let version = ctx.model.frontend.version();
    let official = ctx.model.frontend.official;
    let mut per_entry: HashMap<usize, LintOptions> = HashMap::new();
    let mut out = Vec::with_capacity(ctx.findings.len());
    for finding in ctx.findings {
        let Finding {
            mut diag,
            rule,
            governing,
            uncertain,
        } = finding;
        let configured = ctx.config.rules.get(diag.code.as_str()).copied();
        let Some(rule) = rule else {
            // Hard errors are never skipped; only the user's setting changes them.
            match configured.map(|l| l.severity()) {
                Some(None) => continue,
                Some(Some(s)) => diag.severity = s,
                None => {}
            }
            out.push(diag);
            continue;
        };
        // A frontend older than the rule does not run it.
        if official && ctx.model.frontend.pinned.is_some() && version < rule.since {
            continue;
        }
        let options = match governing.and_then(|i| ctx.parse.entry(i).map(|e| (i, e))) {
            Some((i, e)) if !e.inst.comments.is_empty() => per_entry
                .entry(i)
                .or_insert_with(|| merged_with_comments(&ctx.lint, &e.inst.comments)),
            _ => &ctx.lint,
        };
        let buildkit = rule.origin == RuleOrigin::BuildKit;
        if buildkit && rule.experimental_in(version) {
            // BuildKit: experimental rules run only when enabled, and `skip` does not apply.
            if !options.enables(rule.code) {
                continue;
            }
        } else if options.skips(rule.code) {
            continue;
        }
        if uncertain {
            if configured == Some(super::Level::Off) {
                continue;
            }
            diag.severity = Severity::Hint;
        } else {
            match configured.map(|l| l.severity()) {
                Some(None) => continue,
                Some(Some(s)) => diag.severity = s,
                None => {}
            }
            if buildkit && options.error {
                diag.severity = Severity::Error;
            }
        }
        // `skip` does not apply to an experimental rule (above): an "ignore" fix would do
        // nothing, so it is not offered.
        if !(buildkit && rule.experimental_in(version)) {
            diag.fixes
                .extend(ignore_fixes(ctx.parse, rule.code, governing));
        }
        out.push(diag);
    }
    out.sort_by(|a, b| {
        (a.range.start(), a.range.end(), &a.code, &a.message).cmp(&(
            b.range.start(),
            b.range.end(),
            &b.code,
            &b.message,
        ))
    });
    out.dedup_by(|a, b| a.range == b.range && a.code == b.code && a.message == b.message);
    out
}

/// Whether `code` can be skipped for a single instruction by BuildKit (rules BuildKit runs
/// with the merged comment configuration) — i.e. whether a diagnostic of this rule on
/// `entry` gets an "ignore for this instruction" fix.
fn rule_info(code: &str) -> Option<&'static RuleInfo> {
    crate::docs::rule(code)
}

/// The "ignore" fixes for a diagnostic of rule `code`: for the instruction `governing`
/// (whose `# check=` comments BuildKit consults for it), when there is one, and for the
/// whole file. Empty for codes that are not rules (hard errors cannot be skipped).
pub fn ignore_fixes(parse: &Parse, code: &str, governing: Option<usize>) -> Vec<Fix> {
    if rule_info(code).is_none() && registry::lookup(code).is_none() {
        return Vec::new();
    }
    if rule_info(code).is_none() {
        return Vec::new();
    }
    let mut fixes = Vec::new();
    if let Some(i) = governing {
        if let Some(edits) = instruction_skip_edit(parse, i, code) {
            fixes.push(Fix {
                title: format!("Ignore {code} for this instruction"),
                edits: vec![edits],
                preferred: false,
                kind: FixKind::IgnoreInstruction,
            });
        }
    }
    if let Some(edit) = file_skip_edit(parse, code) {
        fixes.push(Fix {
            title: format!("Ignore {code} in this file"),
            edits: vec![edit],
            preferred: false,
            kind: FixKind::IgnoreFile,
        });
    }
    fixes
}

/// The edit that adds `code` to an options string (`skip=A;error=true`) found at `at`.
/// `None` when it cannot be added (`skip=all`, or three parts without a skip).
fn extend_options(options: &str, at: TextSize, code: &str) -> Option<(TextRange, String)> {
    let mut offset = 0;
    let parts: Vec<&str> = options.splitn(3, ';').collect();
    for part in &parts {
        if let Some((k, v)) = part.split_once('=') {
            if trim(k) == "skip" {
                let v_trim = trim(v);
                if v_trim == "all" {
                    return None;
                }
                if v_trim.split(',').any(|r| trim(r) == code) {
                    return None;
                }
                // Insert after the last non-blank character of the value.
                let v_start = offset + k.len() + 1;
                let v_end = v_start + v.trim_end_matches(char::is_whitespace).len();
                let insert = if v_trim.is_empty() {
                    code.to_string()
                } else {
                    format!(",{code}")
                };
                let pos = at + TextSize::from(v_end as u32);
                return Some((TextRange::empty(pos), insert));
            }
        }
        offset += part.len() + 1;
    }
    if parts.len() >= 3 {
        return None;
    }
    let end = options.trim_end_matches(char::is_whitespace).len();
    Some((
        TextRange::empty(at + TextSize::from(end as u32)),
        format!(";skip={code}"),
    ))
}

/// One physical line: its range without the line break, and whether a break follows.
struct Line {
    start: usize,
    end: usize,
}

fn lines_in(text: &str, from: usize, to: usize) -> Vec<Line> {
    let mut out = Vec::new();
    let mut pos = from;
    while pos < to {
        let end = text[pos..to].find('\n').map_or(to, |i| pos + i);
        let content_end = if text[pos..end].ends_with('\r') {
            end - 1
        } else {
            end
        };
        out.push(Line {
            start: pos,
            end: content_end,
        });
        pos = end + 1;
    }
    out
}

/// The line number (0-based) of an offset.
fn line_of(text: &str, offset: usize) -> u32 {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count() as u32
}

/// Where a new line would be read as a parser directive: everything above it is one.
fn in_directive_block(parse: &Parse, line: u32) -> bool {
    parse.directives().last().map_or(0, |d| d.line + 1) == line
}

/// Adds `code` to the instruction's `# check=skip=` comment, or writes one above it.
fn instruction_skip_edit(parse: &Parse, index: usize, code: &str) -> Option<(TextRange, String)> {
    let text = parse.text();
    let entry = parse.entry(index)?;
    let start = usize::from(entry.offset);
    let prev_end = index
        .checked_sub(1)
        .and_then(|p| parse.entry(p))
        .map_or(0, |p| usize::from(p.offset + p.inst.full_len).min(start));
    // The comment block BuildKit collects (`PrevComment`), with positions.
    let directive_lines: Vec<u32> = parse.directives().iter().map(|d| d.line).collect();
    let first_line = line_of(text, prev_end);
    let mut block: Vec<(usize, &str)> = Vec::new();
    for (n, line) in lines_in(text, prev_end, start).iter().enumerate() {
        let content = &text[line.start..line.end];
        let trimmed = content.trim_start_matches([' ', '\t']);
        let Some(after) = trimmed.strip_prefix('#') else {
            continue;
        };
        if directive_lines.contains(&(first_line + n as u32)) {
            continue;
        }
        let comment = trim(after);
        if comment.is_empty() {
            block.clear();
        } else {
            let at = line.start + (content.len() - trimmed.len()) + 1;
            // Offset of the trimmed comment within the line.
            let lead = after.len() - after.trim_start_matches(char::is_whitespace).len();
            block.push((at + lead, comment));
        }
    }
    for (at, comment) in &block {
        let Some((name, value, value_offset)) = comment_directive(comment) else {
            continue;
        };
        if name != "check" {
            continue;
        }
        let options = value.split(' ').next().unwrap_or("");
        LintOptions::parse(options).ok()?;
        return extend_options(options, TextSize::from((at + value_offset) as u32), code);
    }
    let line_text = &text[start..];
    let indent_len = line_text.len() - line_text.trim_start_matches([' ', '\t']).len();
    let indent = &line_text[..indent_len];
    let mut insert = format!("{indent}# check=skip={code}\n");
    if in_directive_block(parse, entry.line) || (start == 0 && parse.directives().is_empty()) {
        // Right below the directives a `# check=` line would itself be a directive (for the
        // whole file); a blank line ends the directive block without ending the comment
        // block.
        insert.insert(0, '\n');
    }
    Some((TextRange::empty(entry.offset), insert))
}

/// Adds `code` to the file's `# check=` directive, or writes one at the end of the
/// directive block.
fn file_skip_edit(parse: &Parse, code: &str) -> Option<(TextRange, String)> {
    let text = parse.text();
    if let Some(d) = parse.directive("check") {
        let options = d.value.split(' ').next().unwrap_or("");
        LintOptions::parse(options).ok()?;
        return extend_options(options, d.value_range.start(), code);
    }
    let insert = format!("# check=skip={code}\n");
    match parse.directives().last() {
        Some(last) => {
            let end = usize::from(last.range.end());
            match text[end..].find('\n') {
                Some(i) => Some((
                    TextRange::empty(TextSize::from((end + i + 1) as u32)),
                    insert,
                )),
                None => Some((
                    TextRange::empty(TextSize::from(text.len() as u32)),
                    format!("\n# check=skip={code}"),
                )),
            }
        }
        None => {
            let at = if text.starts_with('\u{feff}') { 3 } else { 0 };
            Some((TextRange::empty(TextSize::from(at)), insert))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_lint_options_like_buildkit() {
        let o = LintOptions::parse(" skip=A, B ;error=true").expect("valid");
        assert_eq!(o.skip, ["A", "B"]);
        assert!(o.error && !o.skip_all);
        let o = LintOptions::parse("skip=all;experimental=all").expect("valid");
        assert!(o.skip_all && o.experimental_all);
        assert_eq!(LintOptions::parse(""), Ok(LintOptions::default()));
        assert_eq!(
            LintOptions::parse("skip"),
            Err("invalid check option \"skip\"".to_string())
        );
        assert_eq!(
            LintOptions::parse("foo=bar"),
            Err("invalid check option \"foo\"".to_string())
        );
        assert_eq!(
            LintOptions::parse("error=yes"),
            Err("failed to parse check option \"error=yes\": strconv.ParseBool: parsing \"yes\": invalid syntax".to_string())
        );
        // Three parts at most: the third keeps its `;`.
        let o = LintOptions::parse("skip=A;error=false;skip=B;C").expect("valid");
        assert_eq!(o.skip, ["B;C"]);
    }

    #[test]
    fn comments_as_directives() {
        assert_eq!(
            comment_directive("check=skip=A // why").map(|(n, v, _)| (n, v)),
            Some(("check".to_string(), "skip=A // why"))
        );
        assert_eq!(
            comment_directive("CHECK = skip=A"),
            Some(("check".to_string(), "skip=A", 8))
        );
        assert_eq!(comment_directive("just a comment"), None);
        let base = LintOptions::default();
        let m = merged_with_comments(
            &base,
            &[
                "hello".into(),
                "check=skip=A,B reason".into(),
                "check=skip=C".into(),
            ],
        );
        assert_eq!(m.skip, ["A", "B"]);
        let m = merged_with_comments(&base, &["check=bogus".into(), "check=skip=C".into()]);
        assert!(
            m.skip.is_empty(),
            "a check comment that fails to parse ends the search"
        );
    }

    #[test]
    fn extending_options() {
        let at = TextSize::from(10);
        assert_eq!(
            extend_options("skip=A", at, "B"),
            Some((TextRange::empty(TextSize::from(16)), ",B".into()))
        );
        assert_eq!(
            extend_options("error=true", at, "B"),
            Some((TextRange::empty(TextSize::from(20)), ";skip=B".into()))
        );
        assert_eq!(extend_options("skip=all", at, "B"), None);
        assert_eq!(extend_options("skip=B", at, "B"), None);
        assert_eq!(
            extend_options("error=true;skip= A ;experimental=X", at, "B"),
            Some((TextRange::empty(TextSize::from(28)), ",B".into()))
        );
    }
}
