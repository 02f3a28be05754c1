//! Which context paths a `COPY`/`ADD` source feeds into BuildKit's content checksum.
//!
//! Follows `frontend/dockerfile/dockerfile2llb/convert_copy.go` (how the source becomes a
//! selector), `solver/llbsolver/ops/file.go` (`addSelector`: wildcard only if the path has
//! `*`, `?` or `[`) and `cache/contenthash/checksum.go` (`includedPaths`):
//!
//! * The source is cleaned onto `/` (a relative `..` cannot escape the context).
//! * With wildcards, `path.Match` is applied to whole paths: `*`/`?` stay within a segment,
//!   `**` is just `*`. The first (shallowest) matching path is a root; its whole subtree
//!   follows.
//! * `--exclude` patterns use moby/patternmatcher (so `**` works) and are matched relative
//!   to each root, the root itself being `""` — hence `--exclude=*` excludes everything.
//! * `--parents` is not cosmetic: the source splits at `/./` (or is the root) and the rest
//!   becomes a patternmatcher *include* pattern, so `COPY --parents **/*.go` is recursive.
//! * A directory left out by a filter is still part of the checksum (its header) when
//!   something inside it is included.
//! * Symlinks in the non-wildcard part of the source are resolved inside the context; a
//!   matched root that is itself a symlink is followed to its target (`FollowSymlinks`).

use std::path::{Path, PathBuf};

use super::dockerignore::{IgnoreFile, MatchState, PatternSet, Rule};
use super::golang;
use super::walk::ContextIndex;

/// BuildKit's `maxSymlinkLimit` (`cache/contenthash/path.go`).
const MAX_SYMLINKS: usize = 255;

/// One compiled `COPY`/`ADD` context source with its `--exclude` / `--parents` options.
#[derive(Debug, Clone)]
pub struct CopySource {
    src: String,
    /// Normalised selector path relative to the context root; `""` is the root.
    key: String,
    wildcard: bool,
    parents: bool,
    include: Option<PatternSet>,
    exclude: Option<PatternSet>,
    /// `--parents` without wildcards: BuildKit requires some included path to start with this
    /// (`/`-rooted, compared as a plain string prefix like BuildKit does).
    required: Option<String>,
    errors: Vec<String>,
}

/// The checksum selection of one source.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// Positions in [`ContextIndex::entries`] whose metadata or content feed the checksum,
    /// in index order.
    pub entries: Vec<usize>,
    /// Paths the source itself matched (for a wildcard, every match; otherwise the source).
    pub roots: Vec<String>,
    /// How many roots are directories (their whole subtree is selected).
    pub dirs_matched: usize,
    pub wildcard: bool,
    pub parents: bool,
    /// A source BuildKit requires to exist does not: the build fails with "not found".
    pub not_found: bool,
    /// Symlinks the selection reads through: `(link path, resolved path)`.
    pub followed_links: Vec<(String, String)>,
    /// The index is partial (walk stopped early), so the selection may be too.
    pub partial: bool,
    /// Problems BuildKit would fail on (bad pattern, dangling link, link loop).
    pub errors: Vec<String>,
}

impl Selection {
    /// The selected paths.
    pub fn paths<'a>(&'a self, index: &'a ContextIndex) -> impl Iterator<Item = &'a str> + 'a {
        self.entries
            .iter()
            .filter_map(|&i| index.entries().get(i).map(|e| e.path.as_str()))
    }
}

/// `containsWildcards` from `ops/file.go`: `*`, `?`, `[`, skipping `\`-escaped characters.
fn contains_wildcards(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 1,
            b'*' | b'?' | b'[' => return true,
            _ => {}
        }
        i += 1;
    }
    false
}

/// `system.NormalizePath("/", p, "linux", false)`: relative paths are joined onto `/` (and so
/// cleaned); absolute ones are returned untouched; empty means `/`.
fn normalize_path(p: &str) -> String {
    if p.is_empty() {
        "/".to_owned()
    } else if p.starts_with('/') {
        p.to_owned()
    } else {
        golang::clean(&format!("/{p}"))
    }
}

/// `keyPath(path.Join("/", p))` without the leading slash: `""` for the root.
fn key_of(p: &str) -> String {
    golang::clean(&format!("/{p}"))
        .trim_start_matches('/')
        .to_owned()
}

impl CopySource {
    /// Compile a source as the Dockerfile frontend would pass it on.
    pub fn new<S: AsRef<str>>(src: &str, excludes: &[S], parents: bool) -> CopySource {
        let mut errors = Vec::new();
        let mut include = None;
        let mut required = None;
        let mut pivot = src;
        if parents {
            // convert_copy.go 232-254: optional pivot point `/./`.
            let pattern_raw = match src.split_once("/./") {
                Some((parent, pattern)) => {
                    pivot = parent;
                    pattern
                }
                None => {
                    pivot = "/";
                    src
                }
            };
            let pattern = normalize_path(pattern_raw);
            let trimmed = pattern.strip_prefix('/').unwrap_or(&pattern).to_owned();
            if !contains_wildcards(pivot) && !contains_wildcards(&pattern) {
                let joined = golang::clean(&format!("{pivot}/{pattern}"));
                required = Some(normalize_path(&joined));
            }
            include = Some(PatternSet::new(&[trimmed]));
        }
        let selector = normalize_path(pivot);
        let wildcard = contains_wildcards(&selector);
        let key = key_of(&selector);
        let exclude = (!excludes.is_empty()).then(|| PatternSet::new(excludes));
        for set in include.iter().chain(exclude.iter()) {
            for (_, e) in set.errors() {
                errors.push(format!("invalid pattern: {e}"));
            }
        }
        if wildcard && golang::path_match(&key, "").is_err() {
            errors.push(format!(
                "invalid wildcard in source {src:?}: syntax error in pattern"
            ));
        }
        CopySource {
            src: src.to_owned(),
            key,
            wildcard,
            parents,
            include,
            exclude,
            required,
            errors,
        }
    }

    /// The source as written.
    pub fn source(&self) -> &str {
        &self.src
    }

    /// The normalised selector path (`""` = the context root).
    pub fn key(&self) -> &str {
        &self.key
    }

    pub fn is_wildcard(&self) -> bool {
        self.wildcard
    }

    fn has_filters(&self) -> bool {
        self.include.is_some() || self.exclude.is_some()
    }

    /// `shouldIncludePath`: include patterns, then exclude patterns, chained from the parent
    /// directory's states. Like BuildKit, a path failing the include test leaves its exclude
    /// state at the zero value (`checksum.go` 731-733).
    fn filter(&self, candidate: &str, parent: Option<&FilterState>) -> (bool, FilterState) {
        let mut state = FilterState::default();
        if let Some(inc) = &self.include {
            let (v, s) = inc.matches_using_parent_results(candidate, parent.map(|p| &p.include));
            state.include = s;
            if !v.matched {
                return (false, state);
            }
        }
        if let Some(exc) = &self.exclude {
            let (v, s) = exc.matches_using_parent_results(candidate, parent.map(|p| &p.exclude));
            state.exclude = s;
            if v.matched {
                return (false, state);
            }
        }
        (true, state)
    }

    /// Whether the filters keep `candidate` (relative to a root), evaluated down its chain.
    fn filter_chain(&self, candidate: &str) -> bool {
        if !self.has_filters() {
            return true;
        }
        let (mut keep, mut state) = self.filter("", None);
        if candidate.is_empty() {
            return keep;
        }
        let mut end = 0;
        loop {
            let next = candidate[end..].find('/').map(|k| end + k);
            let prefix = &candidate[..next.unwrap_or(candidate.len())];
            let (k, s) = self.filter(prefix, Some(&state));
            keep = k;
            state = s;
            match next {
                Some(k) => end = k + 1,
                None => return keep,
            }
        }
    }

    /// Does this source pick up `rel_path`? Lexical — no walk, no symlink resolution — for
    /// deciding quickly whether a changed file matters. The caller checks `.dockerignore`
    /// separately. A directory that is itself filtered out but has included children is
    /// reported as not picked up; use [`CopySource::select`] when that matters.
    pub fn contains(&self, rel_path: &str) -> bool {
        let path = key_of(rel_path);
        let root = if self.wildcard {
            // The shallowest matching path, as BuildKit iterates parents first.
            let mut found = None;
            let mut end = 0;
            loop {
                let next = path[end..].find('/').map(|k| end + k);
                let prefix = &path[..next.unwrap_or(path.len())];
                if golang::path_match(&self.key, prefix).unwrap_or(false) {
                    found = Some(prefix.len());
                    break;
                }
                match next {
                    Some(k) => end = k + 1,
                    None => break,
                }
            }
            match found {
                Some(len) => len,
                None => return false,
            }
        } else if self.key.is_empty() {
            0
        } else if path == self.key || path.starts_with(&format!("{}/", self.key)) {
            self.key.len()
        } else {
            return false;
        };
        let candidate = path[root..].trim_start_matches('/');
        self.filter_chain(candidate)
    }

    /// The selection over a walked context.
    pub fn select(&self, index: &ContextIndex) -> Selection {
        let mut sel = Selection {
            wildcard: self.wildcard,
            parents: self.parents,
            partial: !index.status().is_complete(),
            errors: self.errors.clone(),
            ..Selection::default()
        };
        if !self.wildcard && !self.has_filters() {
            self.select_plain(index, &mut sel);
        } else {
            self.select_filtered(index, &mut sel);
        }
        if let Some(req) = &self.required {
            let found = sel.entries.iter().any(|&i| {
                index
                    .entries()
                    .get(i)
                    .is_some_and(|e| format!("/{}", e.path).starts_with(req.as_str()))
            });
            if !found {
                sel.not_found = true;
            }
        }
        sel.entries.sort_unstable();
        sel.entries.dedup();
        sel
    }

    /// `lazyChecksum(p, followLinks=true)`: the resolved path and its whole subtree.
    fn select_plain(&self, index: &ContextIndex, sel: &mut Selection) {
        sel.roots.push(self.key.clone());
        match resolve(index, &self.key, true) {
            Err(e) => sel.errors.push(e),
            Ok(None) => sel.not_found = true,
            Ok(Some(real)) => {
                if real != self.key {
                    sel.followed_links.push((self.key.clone(), real.clone()));
                }
                if real.is_empty() || index.get(&real).is_some_and(|e| e.is_dir()) {
                    sel.dirs_matched += 1;
                }
                add_subtree(index, &real, sel);
            }
        }
    }

    /// `includedPaths`: wildcard matching and/or include/exclude filters.
    fn select_filtered(&self, index: &ContextIndex, sel: &mut Selection) {
        // The part of the path before any wildcard is resolved through symlinks first.
        let (orig_prefix, follow_trailing) = if self.wildcard {
            let (d1, d2) = split_wildcards(&self.key);
            (d1, !d2.is_empty())
        } else {
            (self.key.clone(), false)
        };
        let resolved = if orig_prefix.is_empty() {
            Some(String::new())
        } else {
            match resolve(index, &orig_prefix, follow_trailing) {
                Err(e) => {
                    sel.errors.push(e);
                    return;
                }
                Ok(r) => r,
            }
        };
        if let Some(r) = resolved.as_ref().filter(|r| **r != orig_prefix) {
            sel.followed_links.push((orig_prefix.clone(), r.clone()));
        }

        // Root-level state when the root has no index entry: the context root itself is the
        // first path BuildKit tests (its header), as `""`.
        let mut root_state: Option<FilterState> = None;
        let candidates: Vec<usize> = if self.wildcard {
            match &resolved {
                Some(r) => index.subtree(r).collect(),
                // Prefix not found: BuildKit scans the whole tree from the start.
                None => (0..index.entries().len()).collect(),
            }
        } else {
            sel.roots.push(orig_prefix.clone());
            match &resolved {
                None => {
                    sel.not_found = true;
                    return;
                }
                Some(r) if r.is_empty() => {
                    sel.dirs_matched += 1;
                    root_state = Some(self.filter("", None).1);
                    (0..index.entries().len()).collect()
                }
                Some(r) => {
                    // BuildKit's iterator seeks past a non-directory source and checksums
                    // nothing (`checksum.go` 549-553); we keep the file so a change to it is
                    // still reported: a conservative over-approximation.
                    let mut v: Vec<usize> = index.position(r).into_iter().collect();
                    if index.get(r).is_some_and(|e| e.is_dir()) {
                        sel.dirs_matched += 1;
                    }
                    v.extend(index.subtree(r));
                    v
                }
            }
        };
        let resolved = resolved.unwrap_or_else(|| orig_prefix.clone());

        let mut stack: Vec<Header> = Vec::new();
        let mut last_matched: Option<String> = None;
        for pos in candidates {
            let Some(entry) = index.entries().get(pos) else {
                continue;
            };
            // Match in the namespace of the source as written (`checksum.go` 577-579).
            let fname = translate(&entry.path, &resolved, &orig_prefix);
            while let Some(top) = stack.last() {
                if is_under(&fname, &top.path) {
                    break;
                }
                stack.pop();
            }
            let is_root;
            let candidate: String = if self.wildcard {
                let inside = last_matched.as_deref().is_some_and(|m| is_under(&fname, m));
                is_root = !inside;
                if is_root {
                    match golang::path_match(&self.key, &fname) {
                        Err(_) => return, // reported in `errors` at construction
                        Ok(false) => continue,
                        Ok(true) => {}
                    }
                    stack.clear();
                    sel.roots.push(fname.clone());
                    if entry.is_dir() {
                        sel.dirs_matched += 1;
                    }
                    last_matched = Some(fname.clone());
                }
                relative_to(&fname, last_matched.as_deref().unwrap_or(""))
            } else {
                is_root = fname == orig_prefix;
                relative_to(&fname, &orig_prefix)
            };
            let parent = stack.last().map(|h| &h.state).or(root_state.as_ref());
            let (keep, state) = self.filter(&candidate, parent);
            if keep {
                for h in stack.iter_mut().filter(|h| !h.included) {
                    sel.entries.push(h.pos);
                    h.included = true;
                }
                sel.entries.push(pos);
                // A root that is a symlink is followed (`FollowLinks` for parent-less paths).
                if is_root && entry.is_symlink() {
                    match resolve(index, &entry.path, true) {
                        Ok(Some(real)) => {
                            sel.followed_links.push((entry.path.clone(), real.clone()));
                            add_subtree(index, &real, sel);
                        }
                        Ok(None) => sel.errors.push(format!(
                            "{}: dangling symlink: BuildKit fails with not found",
                            entry.path
                        )),
                        Err(e) => sel.errors.push(e),
                    }
                }
            }
            if entry.is_dir() {
                stack.push(Header {
                    path: fname,
                    state,
                    included: keep,
                    pos,
                });
            }
        }
    }
}

#[derive(Debug, Clone, Default)]
struct FilterState {
    include: MatchState,
    exclude: MatchState,
}

struct Header {
    path: String,
    state: FilterState,
    included: bool,
    pos: usize,
}

fn is_under(path: &str, dir: &str) -> bool {
    dir.is_empty()
        || (path.len() > dir.len() && path.starts_with(dir) && path.as_bytes()[dir.len()] == b'/')
}

fn relative_to(path: &str, root: &str) -> String {
    if root.is_empty() {
        return path.to_owned();
    }
    match path.strip_prefix(root) {
        Some("") => String::new(),
        Some(rest) => rest.trim_start_matches('/').to_owned(),
        None => path.to_owned(),
    }
}

/// Map a real index path under `resolved` back to the source's own prefix.
fn translate(real: &str, resolved: &str, orig: &str) -> String {
    if resolved == orig || resolved.is_empty() {
        return real.to_owned();
    }
    if real == resolved {
        return orig.to_owned();
    }
    if is_under(real, resolved) {
        return format!("{orig}{}", &real[resolved.len()..]);
    }
    real.to_owned()
}

/// `splitWildcards`: the segments before the first one with a wildcard, and the rest.
fn split_wildcards(key: &str) -> (String, String) {
    let mut d1 = Vec::new();
    let mut d2 = Vec::new();
    let mut found = false;
    for part in key.split('/').filter(|s| !s.is_empty()) {
        if !found && contains_wildcards(part) {
            found = true;
        }
        if found { d2.push(part) } else { d1.push(part) }
    }
    (d1.join("/"), d2.join("/"))
}

/// `getFollowLinks` over the index: resolve symlinks component by component inside the
/// context (absolute targets restart at the root, `..` stops at the root). `Ok(None)` when
/// the path does not exist.
fn resolve(
    index: &ContextIndex,
    key: &str,
    follow_trailing: bool,
) -> Result<Option<String>, String> {
    if key.is_empty() {
        return Ok(Some(String::new()));
    }
    if let Some(e) = index.get(key) {
        if !follow_trailing || !e.is_symlink() {
            return Ok(Some(key.to_owned()));
        }
    }
    let mut current = String::new();
    let mut remaining = key.to_owned();
    let mut links = 0;
    let mut exists = true;
    while !remaining.is_empty() {
        let (part, rest) = match remaining.split_once('/') {
            Some((p, r)) => (p.to_owned(), r.to_owned()),
            None => (remaining.clone(), String::new()),
        };
        remaining = rest;
        let next = key_of(&format!("{current}/{part}"));
        let entry = index.get(&next);
        exists = entry.is_some() || next.is_empty();
        let Some(target) = entry
            .filter(|e| e.is_symlink())
            .map(|e| e.link_target.clone().unwrap_or_default())
        else {
            current = next;
            continue;
        };
        if !follow_trailing && remaining.is_empty() {
            current = next;
            break;
        }
        links += 1;
        if links > MAX_SYMLINKS {
            return Err(format!("{key}: too many levels of symbolic links"));
        }
        if target.starts_with('/') {
            current = String::new();
        }
        remaining = if remaining.is_empty() {
            target
        } else {
            format!("{target}/{remaining}")
        };
    }
    Ok(exists.then_some(current))
}

/// The entry at `real` (unless it is the root) and its whole subtree.
fn add_subtree(index: &ContextIndex, real: &str, sel: &mut Selection) {
    sel.entries.extend(index.position(real));
    sel.entries.extend(index.subtree(real));
}

/// Compile and select in one go (no `--parents`).
pub fn select<S: AsRef<str>>(index: &ContextIndex, src: &str, excludes: &[S]) -> Selection {
    CopySource::new(src, excludes, false).select(index)
}

/// Does `COPY <src>` (with these `--exclude`s) pick up `rel_path`? No walk needed.
pub fn selection_contains<S: AsRef<str>>(src: &str, excludes: &[S], rel_path: &str) -> bool {
    CopySource::new(src, excludes, false).contains(rel_path)
}

/// Where a file stands relative to the build context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Membership {
    /// Not under the context directory: no COPY can pick it up.
    Outside,
    /// Under the context but removed by the ignore file.
    Excluded {
        rel_path: String,
        rule: Option<Rule>,
    },
    /// Part of the context: `COPY . .` includes it, so editing it invalidates that step.
    Included { rel_path: String },
}

/// Whether `file` (e.g. the Dockerfile or its ignore file) is inside `context` and not
/// ignored. Paths are compared after resolving symlinks where possible.
pub fn context_membership(file: &Path, context: &Path, ignore: Option<&IgnoreFile>) -> Membership {
    // Resolve symlinks (e.g. /tmp -> /private/tmp) on both sides; a file that does not exist
    // yet (an unsaved buffer) is placed via its canonical parent directory.
    let canon = |p: &Path| -> PathBuf {
        p.canonicalize()
            .unwrap_or_else(|_| match (p.parent(), p.file_name()) {
                (Some(dir), Some(name)) => dir
                    .canonicalize()
                    .map_or_else(|_| p.to_path_buf(), |d| d.join(name)),
                _ => p.to_path_buf(),
            })
    };
    let (file, context) = (canon(file), canon(context));
    let Ok(rel) = file.strip_prefix(&context) else {
        return Membership::Outside;
    };
    let rel_path = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/");
    if rel_path.is_empty() {
        return Membership::Outside;
    }
    match ignore.map(|i| i.decide(&rel_path)) {
        Some(d) if d.excluded => Membership::Excluded {
            rel_path,
            rule: d.rule.cloned(),
        },
        _ => Membership::Included { rel_path },
    }
}

#[cfg(test)]
mod tests;
