//! `.dockerignore`: parsing (moby/patternmatcher `ignorefile.ReadAll`) and matching
//! (moby/patternmatcher `PatternMatcher`), reproduced exactly — including its quirks.
//!
//! Matching works the way moby does it: each cleaned pattern becomes an *exact*, *prefix*,
//! *suffix* or *regexp* matcher (`patternmatcher.go` `compile`). The regexp is the Go regexp
//! string patternmatcher would build, translated by our Go-regexp parser (`goregex.rs`), so user text that
//! reaches Go's regexp parser (`[`, `]`, `^`, `\d`...) means what it means to Docker.
//!
//! Two evaluation orders exist in BuildKit and they are not equivalent:
//! * [`IgnoreFile::decide`] — `MatchesUsingParentResults` chained from the top directory down,
//!   which is what fsutil's walker does when it sends the build context
//!   (`fsutil/filter.go` 259). This decides what the builder actually receives.
//! * [`IgnoreFile::decide_or_parent`] — `MatchesOrParentMatches`, used by the Dockerfile
//!   frontend's `CopyIgnoredFile` lint (`dockerfile2llb/validations.go` 57) and ported by
//!   `@balena/dockerignore`. It re-tests every parent directory against every rule, while the
//!   walker only inherits a rule's parent result if that rule was *evaluated* for the parent.
//!   Example: `docs/*.md` then `!docs` — the walker excludes `docs/a.md` (`!docs` was skipped
//!   at `docs`, which was not excluded yet), `MatchesOrParentMatches` includes it.

use std::path::{Path, PathBuf};

use regex::Regex;

use super::golang;

/// Why a pattern is malformed, and what Docker does about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PatternError {
    /// `filepath.Match` rejects the pattern: `patternmatcher.New` fails, so Docker refuses
    /// the whole ignore file ("syntax error in pattern").
    Syntax,
    /// A lone `!` (also `!/`, which cleans to `!`): `New` fails with "illegal exclusion pattern".
    IllegalExclusion,
    /// The Go regexp built from the pattern does not compile. Docker fails the build when the
    /// rule is first evaluated ("syntax error in pattern").
    Regexp(String),
}

impl std::fmt::Display for PatternError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PatternError::Syntax => f.write_str("syntax error in pattern"),
            PatternError::IllegalExclusion => f.write_str("illegal exclusion pattern: \"!\""),
            PatternError::Regexp(msg) => write!(f, "syntax error in pattern ({msg})"),
        }
    }
}

#[derive(Debug, Clone)]
enum Matcher {
    Exact(String),
    /// Cleaned pattern minus its trailing `**`, compared as bytes (Go slices bytes).
    Prefix(Vec<u8>),
    /// Cleaned pattern minus its leading `**`, compared as bytes.
    Suffix(Vec<u8>),
    Regexp(Regex),
    /// Malformed: never matches here (Docker would fail instead).
    Never,
}

/// One compiled pattern (`patternmatcher.Pattern`).
#[derive(Debug, Clone)]
struct Pattern {
    exclusion: bool,
    cleaned: String,
    matcher: Matcher,
    error: Option<PatternError>,
    /// Index of the input string this came from.
    source: usize,
}

impl Pattern {
    fn matches(&self, path: &str) -> bool {
        match &self.matcher {
            Matcher::Exact(p) => path == p,
            Matcher::Prefix(p) => path.as_bytes().starts_with(p),
            Matcher::Suffix(s) => {
                // `**/foo` also matches `foo` itself.
                path.as_bytes().ends_with(s)
                    || (s.first() == Some(&b'/') && path.as_bytes() == &s[1..])
            }
            Matcher::Regexp(re) => re.is_match(path),
            Matcher::Never => false,
        }
    }
}

/// Compile a cleaned pattern the way `Pattern.compile` does, including its type detection:
/// a pattern is *exact* until a metacharacter is seen; `**` at the end of an otherwise literal
/// pattern makes it a *prefix* match; `**` at the very start makes it a *suffix* match unless
/// a later metacharacter turns it into a regexp.
fn compile(cleaned: &str) -> Result<Matcher, PatternError> {
    #[derive(PartialEq, Clone, Copy)]
    enum Kind {
        Exact,
        Prefix,
        Suffix,
        Regexp,
    }
    let chars: Vec<char> = cleaned.chars().collect();
    // text/scanner silently skips a byte-order mark at the start of its input.
    let mut k = usize::from(chars.first() == Some(&'\u{FEFF}'));
    let mut re = String::from("^");
    let mut kind = Kind::Exact;
    let mut i = 0usize;
    while k < chars.len() {
        let ch = chars[k];
        k += 1;
        match ch {
            '*' if chars.get(k) == Some(&'*') => {
                k += 1;
                // `**/` is treated as `**`.
                if chars.get(k) == Some(&'/') {
                    k += 1;
                }
                if k >= chars.len() {
                    if kind == Kind::Exact {
                        kind = Kind::Prefix;
                    } else {
                        re.push_str(".*");
                        kind = Kind::Regexp;
                    }
                } else {
                    re.push_str("(.*/)?");
                    kind = Kind::Regexp;
                }
                if i == 0 {
                    kind = Kind::Suffix;
                }
            }
            '*' => {
                re.push_str("[^/]*");
                kind = Kind::Regexp;
            }
            '?' => {
                re.push_str("[^/]");
                kind = Kind::Regexp;
            }
            '.' | '+' | '(' | ')' | '|' | '{' | '}' | '$' => {
                re.push('\\');
                re.push(ch);
            }
            '\\' => {
                if let Some(&next) = chars.get(k) {
                    re.push('\\');
                    re.push(next);
                    k += 1;
                    kind = Kind::Regexp;
                } else {
                    re.push('\\');
                }
            }
            '[' | ']' => {
                re.push(ch);
                kind = Kind::Regexp;
            }
            _ => re.push(ch),
        }
        i += 1;
    }
    let bytes = cleaned.as_bytes();
    Ok(match kind {
        Kind::Exact => Matcher::Exact(cleaned.to_owned()),
        Kind::Prefix => Matcher::Prefix(bytes[..bytes.len().saturating_sub(2)].to_vec()),
        Kind::Suffix => Matcher::Suffix(bytes.get(2..).unwrap_or_default().to_vec()),
        Kind::Regexp => {
            re.push('$');
            let rust = super::goregex::translate(&re).map_err(|e| PatternError::Regexp(e.0))?;
            let compiled = regex::RegexBuilder::new(&rust)
                .size_limit(1 << 22)
                .build()
                .map_err(|e| PatternError::Regexp(e.to_string()))?;
            Matcher::Regexp(compiled)
        }
    })
}

/// Per-rule "matched this path or an ancestor" flags, carried from a directory to its
/// children during a walk (`patternmatcher.MatchInfo`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MatchState {
    parent_matched: Vec<bool>,
}

/// Result of matching one path against a pattern list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Verdict {
    pub matched: bool,
    /// Index (into the pattern list) of the last rule that matched, i.e. the one that decided.
    pub pattern: Option<usize>,
}

/// A compiled pattern list with `patternmatcher.New` semantics (no ignore-file processing):
/// used for `.dockerignore` rules and for `COPY --exclude` / `--parents` patterns.
#[derive(Debug, Clone, Default)]
pub struct PatternSet {
    patterns: Vec<Pattern>,
    exclusions: bool,
}

impl PatternSet {
    /// `patternmatcher.New`: trim, drop empty, `filepath.Clean`, split off `!`, validate.
    /// Malformed patterns are kept (never matching) and reported by [`PatternSet::errors`].
    pub fn new<S: AsRef<str>>(patterns: &[S]) -> PatternSet {
        let mut set = PatternSet::default();
        for (source, raw) in patterns.iter().enumerate() {
            let p = raw.as_ref().trim();
            if p.is_empty() {
                continue;
            }
            let mut p = golang::clean(p);
            let mut exclusion = false;
            let mut error = None;
            if let Some(rest) = p.strip_prefix('!') {
                if rest.is_empty() {
                    error = Some(PatternError::IllegalExclusion);
                }
                exclusion = true;
                p = rest.to_owned();
                set.exclusions = true;
            }
            if error.is_none() && !golang::valid_glob(&p) {
                error = Some(PatternError::Syntax);
            }
            let matcher = if error.is_some() {
                Matcher::Never
            } else {
                match compile(&p) {
                    Ok(m) => m,
                    Err(e) => {
                        error = Some(e);
                        Matcher::Never
                    }
                }
            };
            set.patterns.push(Pattern {
                exclusion,
                cleaned: p,
                matcher,
                error,
                source,
            });
        }
        set
    }

    /// Whether any pattern is a `!` exception.
    pub fn has_exceptions(&self) -> bool {
        self.exclusions
    }

    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// `(input index, error)` for every malformed pattern.
    pub fn errors(&self) -> impl Iterator<Item = (usize, &PatternError)> {
        self.patterns
            .iter()
            .filter_map(|p| p.error.as_ref().map(|e| (p.source, e)))
    }

    /// The input index of pattern `i`.
    pub(crate) fn source_of(&self, i: usize) -> usize {
        self.patterns.get(i).map_or(usize::MAX, |p| p.source)
    }

    /// `MatchesOrParentMatches`: the path or any parent directory, re-tested per rule.
    pub(crate) fn matches_or_parent_matches(&self, file: &str) -> Verdict {
        let parents = parent_prefixes(file);
        let mut verdict = Verdict {
            matched: false,
            pattern: None,
        };
        for (i, pat) in self.patterns.iter().enumerate() {
            // An inclusion is only tested while unmatched, an exception only while matched.
            if pat.exclusion != verdict.matched {
                continue;
            }
            let hit = pat.matches(file) || parents.iter().any(|p| pat.matches(p));
            if hit {
                verdict = Verdict {
                    matched: !pat.exclusion,
                    pattern: Some(i),
                };
            }
        }
        verdict
    }

    /// `MatchesUsingParentResults`. With `parent == None` (top level, or no information),
    /// parents are re-tested like `MatchesOrParentMatches`.
    pub(crate) fn matches_using_parent_results(
        &self,
        file: &str,
        parent: Option<&MatchState>,
    ) -> (Verdict, MatchState) {
        let parent = parent.filter(|p| p.parent_matched.len() == self.patterns.len());
        let mut state = MatchState {
            parent_matched: vec![false; self.patterns.len()],
        };
        let mut verdict = Verdict {
            matched: false,
            pattern: None,
        };
        let mut parents: Option<Vec<&str>> = None;
        for (i, pat) in self.patterns.iter().enumerate() {
            let mut hit = parent.is_some_and(|p| p.parent_matched[i]);
            if !hit {
                if pat.exclusion != verdict.matched {
                    continue;
                }
                hit = pat.matches(file);
                if !hit && parent.is_none() {
                    let ps = parents.get_or_insert_with(|| parent_prefixes(file));
                    hit = ps.iter().any(|p| pat.matches(p));
                }
            }
            state.parent_matched[i] = hit;
            if hit {
                verdict = Verdict {
                    matched: !pat.exclusion,
                    pattern: Some(i),
                };
            }
        }
        (verdict, state)
    }

    /// The walk's answer for `path`, evaluated top-down through its ancestors.
    pub(crate) fn matches_chained(&self, path: &str) -> Verdict {
        let mut state: Option<MatchState> = None;
        let mut end = 0;
        loop {
            let next = path[end..].find('/').map(|k| end + k);
            let prefix = &path[..next.unwrap_or(path.len())];
            let (verdict, s) = self.matches_using_parent_results(prefix, state.as_ref());
            match next {
                Some(k) => end = k + 1,
                None => return verdict,
            }
            state = Some(s);
        }
    }

    /// fsutil's `onlyPrefixExcludeExceptions` shortcut: an excluded directory is not entered
    /// when no exception could match anything inside it (`fsutil/filter.go` 268-288).
    pub(crate) fn can_skip_excluded_dir(&self, dir: &str) -> bool {
        if !self.exclusions {
            return true;
        }
        let dir_slash = format!("{dir}/");
        let mut prefix_only = true;
        let mut reaches_inside = false;
        for pat in self.patterns.iter().filter(|p| p.exclusion) {
            let stem = pattern_without_trailing_glob(&pat.cleaned);
            if stem.contains(['*', '[', ']', '?', '^', '\\']) {
                prefix_only = false;
            }
            if format!("{stem}/").starts_with(&dir_slash) {
                reaches_inside = true;
            }
        }
        prefix_only && !reaches_inside
    }
}

fn pattern_without_trailing_glob(p: &str) -> &str {
    let p = p.strip_suffix("/**").unwrap_or(p);
    p.strip_suffix("/*").unwrap_or(p)
}

/// `a/b/c` → `["a", "a/b"]` (what `filepath.Dir` + `strings.Split` yield; none at top level).
fn parent_prefixes(file: &str) -> Vec<&str> {
    let dir = match file.rfind('/') {
        Some(k) => &file[..k],
        None => return Vec::new(),
    };
    // filepath.Dir cleans; our paths are clean, so "." only for a top-level path.
    if dir.is_empty() {
        return vec![""];
    }
    let mut out = Vec::new();
    for (k, b) in dir.bytes().enumerate() {
        if b == b'/' {
            out.push(&dir[..k]);
        }
    }
    out.push(dir);
    out
}

/// One line of a `.dockerignore` that became a pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// 1-based line in the file.
    pub line: u32,
    /// The line as written (BOM and line ending removed).
    pub text: String,
    /// The pattern as Docker uses it: cleaned, leading `/` removed, without `!`.
    pub pattern: String,
    /// A `!` exception (re-includes).
    pub exception: bool,
    /// Set when the pattern is malformed; such a rule never matches here.
    pub error: Option<PatternError>,
}

/// The outcome for one path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decision<'a> {
    pub excluded: bool,
    /// The last rule that matched: the exclusion that removed the path, or the exception that
    /// re-included it. `None` when no rule matched.
    pub rule: Option<&'a Rule>,
}

/// A problem with the ignore file as a whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IgnoreDiagnostic {
    pub line: u32,
    pub message: String,
}

/// A parsed and compiled `.dockerignore`.
#[derive(Debug, Clone, Default)]
pub struct IgnoreFile {
    rules: Vec<Rule>,
    set: PatternSet,
    diagnostics: Vec<IgnoreDiagnostic>,
}

/// bufio.Scanner's default maximum token size: a longer line makes `ReadAll` fail.
const MAX_LINE: usize = 64 * 1024;

impl IgnoreFile {
    /// `ignorefile.ReadAll` followed by `patternmatcher.New`. Never fails: malformed lines
    /// are kept as rules with an [`PatternError`] and listed in [`IgnoreFile::diagnostics`].
    pub fn parse(text: &str) -> IgnoreFile {
        let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
        let mut rules = Vec::new();
        let mut patterns = Vec::new();
        let mut diagnostics = Vec::new();
        for (idx, raw_line) in text.split('\n').enumerate() {
            let line_no = u32::try_from(idx + 1).unwrap_or(u32::MAX);
            // bufio.ScanLines drops one trailing '\r'.
            let line = raw_line.strip_suffix('\r').unwrap_or(raw_line);
            if line.len() >= MAX_LINE {
                diagnostics.push(IgnoreDiagnostic {
                    line: line_no,
                    message: "line is longer than 64 KiB: Docker cannot read this ignore file"
                        .to_owned(),
                });
            }
            // Comments are recognised before trimming: " #x" is a pattern.
            if line.starts_with('#') {
                continue;
            }
            let mut pattern = line.trim();
            if pattern.is_empty() {
                continue;
            }
            let invert = pattern.starts_with('!');
            if invert {
                pattern = pattern[1..].trim();
            }
            let mut p = String::new();
            if !pattern.is_empty() {
                p = golang::clean(pattern);
                if p.len() > 1 && p.starts_with('/') {
                    p.remove(0);
                }
            }
            if invert {
                p.insert(0, '!');
            }
            patterns.push(p);
            rules.push(Rule {
                line: line_no,
                text: line.to_owned(),
                pattern: String::new(),
                exception: false,
                error: None,
            });
        }
        let set = PatternSet::new(&patterns);
        // Every ignore-file pattern is non-empty, so `New` keeps them all, in order.
        for pat in &set.patterns {
            if let Some(rule) = rules.get_mut(pat.source) {
                rule.pattern.clone_from(&pat.cleaned);
                rule.exception = pat.exclusion;
                rule.error.clone_from(&pat.error);
                if let Some(e) = &pat.error {
                    let consequence = match e {
                        PatternError::Regexp(_) => {
                            "Docker fails the build when it reaches this rule"
                        }
                        _ => "Docker rejects the whole ignore file",
                    };
                    diagnostics.push(IgnoreDiagnostic {
                        line: rule.line,
                        message: format!("{e}: {consequence}"),
                    });
                }
            }
        }
        diagnostics.sort_by_key(|d| d.line);
        IgnoreFile {
            rules,
            set,
            diagnostics,
        }
    }

    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    pub fn diagnostics(&self) -> &[IgnoreDiagnostic] {
        &self.diagnostics
    }

    /// Whether any rule is a `!` exception (then excluded directories must still be walked).
    pub fn has_exceptions(&self) -> bool {
        self.set.has_exceptions()
    }

    fn rule_for(&self, verdict: Verdict) -> Option<&Rule> {
        verdict
            .pattern
            .and_then(|i| self.rules.get(self.set.source_of(i)))
    }

    /// Whether `rel_path` (relative to the context root, `/`-separated) is left out of the
    /// build context, as fsutil's walker decides it. The path is cleaned first; the root
    /// itself is never excluded.
    pub fn decide(&self, rel_path: &str) -> Decision<'_> {
        let Some(path) = normalize_rel(rel_path) else {
            return Decision {
                excluded: false,
                rule: None,
            };
        };
        let v = self.set.matches_chained(&path);
        Decision {
            excluded: v.matched,
            rule: self.rule_for(v),
        }
    }

    /// `MatchesOrParentMatches` semantics (BuildKit's `CopyIgnoredFile` lint, and
    /// `@balena/dockerignore`). Differs from [`IgnoreFile::decide`] only for rule lists
    /// where an exception follows a rule it cannot have been evaluated against; see the
    /// module documentation.
    pub fn decide_or_parent(&self, rel_path: &str) -> Decision<'_> {
        let Some(path) = normalize_rel(rel_path) else {
            return Decision {
                excluded: false,
                rule: None,
            };
        };
        let v = self.set.matches_or_parent_matches(&path);
        Decision {
            excluded: v.matched,
            rule: self.rule_for(v),
        }
    }

    /// Incremental form of [`IgnoreFile::decide`] for walkers: `rel_path` is a child of the
    /// directory whose state is `parent` (`None` for top-level entries).
    pub fn decide_child(
        &self,
        rel_path: &str,
        parent: Option<&MatchState>,
    ) -> (Decision<'_>, MatchState) {
        let (v, state) = self.set.matches_using_parent_results(rel_path, parent);
        (
            Decision {
                excluded: v.matched,
                rule: self.rule_for(v),
            },
            state,
        )
    }

    /// Whether a walker may skip the contents of the excluded directory `dir` (fsutil's
    /// shortcut; exact, because no exception could re-include anything inside).
    pub fn can_skip_excluded_dir(&self, dir: &str) -> bool {
        self.set.can_skip_excluded_dir(dir)
    }
}

/// Clean a context-relative path; `None` for the context root itself.
fn normalize_rel(rel: &str) -> Option<String> {
    let cleaned = golang::clean(rel);
    let cleaned = cleaned.trim_start_matches('/');
    if cleaned.is_empty() || cleaned == "." {
        return None;
    }
    Some(cleaned.to_owned())
}

/// The ignore file BuildKit uses: `<Dockerfile name>.dockerignore` next to the Dockerfile
/// wins over `<context>/.dockerignore` (`frontend/dockerui/config.go` 343 and 409-415: the
/// Dockerfile-specific file is read with the Dockerfile and, if present — even empty — the
/// context one is never loaded). Only these two places are consulted; nested
/// `.dockerignore` files mean nothing.
///
/// A Dockerfile found under the lowercase fallback name `dockerfile` was still requested as
/// `Dockerfile`, so BuildKit looks for `Dockerfile.dockerignore` (config.go 346-348, 409).
pub fn ignore_file_path(dockerfile: &Path, context: &Path) -> Option<PathBuf> {
    if let Some(name) = dockerfile.file_name() {
        let mut names = vec![name.to_os_string()];
        if name == "dockerfile" {
            names.push("Dockerfile".into());
        }
        for mut specific in names {
            specific.push(".dockerignore");
            let candidate = dockerfile.with_file_name(specific);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    let default = context.join(".dockerignore");
    default.is_file().then_some(default)
}

/// Reads an ignore file found by [`ignore_file_path`]. A symlink is followed only when it
/// resolves inside one of `roots` (the build context and the Dockerfile's folder): the
/// server reads nothing outside the workspace and the build context.
pub fn read_ignore_file(path: &Path, roots: &[&Path]) -> std::io::Result<Vec<u8>> {
    if std::fs::symlink_metadata(path)?.file_type().is_symlink() {
        let target = path.canonicalize()?;
        let inside = roots
            .iter()
            .filter_map(|r| r.canonicalize().ok())
            .any(|r| target.starts_with(r));
        if !inside {
            return Err(std::io::Error::new(
                std::io::ErrorKind::PermissionDenied,
                format!(
                    "a symlink to {}, outside the build context: not read",
                    target.display()
                ),
            ));
        }
    }
    std::fs::read(path)
}

#[cfg(test)]
mod tests;
