//! `.dockerignore` parsing and matching on arbitrary rules and paths: never panics, and the
//! three ways of deciding agree where they must — the walker's incremental form
//! (`decide_child`, component by component) equals `decide`; without `!` exceptions,
//! `decide_or_parent` equals `decide`; and a directory the walker may skip
//! (`can_skip_excluded_dir`) really has every path below it excluded.
//!
//! Input: the ignore file, a NUL byte, then paths one per line.

use dockerfile_lsp::cache::context::IgnoreFile;

/// A path as the walker produces it: relative, `/`-separated, no empty, `.` or `..` parts.
fn is_clean(path: &str) -> bool {
    !path.is_empty()
        && path
            .split('/')
            .all(|c| !c.is_empty() && c != "." && c != "..")
}

/// Panics when an invariant does not hold.
pub fn run(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let (rules, paths) = text.split_once('\0').unwrap_or((&text, "a/b/c\nsrc/x.md"));
    let ignore = IgnoreFile::parse(rules);
    for r in ignore.rules() {
        assert!(r.line >= 1);
    }
    for path in paths.split('\n').take(16) {
        let decided = ignore.decide(path);
        let or_parent = ignore.decide_or_parent(path);
        if !ignore.has_exceptions() {
            assert_eq!(decided.excluded, or_parent.excluded, "{path:?}");
        }
        if !is_clean(path) {
            continue;
        }
        let mut state = None;
        let mut chained;
        let mut end = 0;
        let mut skipped_above = false;
        loop {
            let next = path[end..].find('/').map(|k| end + k);
            let prefix = &path[..next.unwrap_or(path.len())];
            let (d, s) = ignore.decide_child(prefix, state.as_ref());
            if next.is_some() && d.excluded && ignore.can_skip_excluded_dir(prefix) {
                skipped_above = true;
            }
            chained = d;
            state = Some(s);
            match next {
                Some(k) => end = k + 1,
                None => break,
            }
        }
        assert_eq!(
            chained.excluded, decided.excluded,
            "{path:?}: decide_child vs decide"
        );
        assert_eq!(
            chained.rule.map(|r| r.line),
            decided.rule.map(|r| r.line),
            "{path:?}: the deciding rule"
        );
        if skipped_above {
            assert!(
                decided.excluded,
                "{path:?} is below a skipped directory but included"
            );
        }
    }
}
