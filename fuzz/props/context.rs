//! COPY/ADD source selection over a build context (the cache's view of the context): any
//! source, `--exclude` list and `--parents` flag over any set of paths never panics; a
//! selection's entries exist, are unique and sorted; and for a literal source over a context
//! without symlinks, the lexical `contains` agrees with the selection on every file.
//!
//! Input: a flags byte, then lines: the source, the excludes up to an empty line, then the
//! context's paths (a trailing `/` makes a directory, `@` a symlink to what follows it).

use dockerfile_lsp::cache::context::{ContextIndex, CopySource, Entry, EntryKind};

fn entry(spec: &str) -> Entry {
    let (path, kind, link_target) = match spec.split_once('@') {
        Some((p, target)) => (p, EntryKind::Symlink, Some(target.to_string())),
        None => match spec.strip_suffix('/') {
            Some(p) => (p, EntryKind::Dir, None),
            None => (spec, EntryKind::File, None),
        },
    };
    Entry {
        path: path.to_string(),
        kind,
        size: 1,
        mode: match kind {
            EntryKind::Dir => 0o040_755,
            EntryKind::Symlink => 0o120_777,
            _ => 0o100_644,
        },
        link_target,
        mtime: None,
    }
}

/// Panics when an invariant does not hold.
pub fn run(data: &[u8]) {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let mut lines = text.split('\n');
    let src = lines.next().unwrap_or("");
    let excludes: Vec<&str> = lines
        .by_ref()
        .take_while(|l| !l.is_empty())
        .take(8)
        .collect();
    let specs: Vec<&str> = lines.filter(|l| !l.is_empty()).take(64).collect();
    let entries: Vec<Entry> = specs.iter().map(|s| entry(s)).collect();
    // The walker lists every parent directory of a path.
    let mut parents = Vec::new();
    for e in &entries {
        let mut p = e.path.as_str();
        while let Some((dir, _)) = p.rsplit_once('/') {
            parents.push(entry(&format!("{dir}/")));
            p = dir;
        }
    }
    // A path with children is a directory, whatever its spec said (the index keeps the
    // first of equal paths): a file cannot hold files.
    parents.extend(entries);
    let entries = parents;
    let has_links = entries.iter().any(|e| e.is_symlink());
    let index = ContextIndex::from_entries(entries);

    let source = CopySource::new(src, &excludes, flags & 1 != 0);
    let _ = (source.source(), source.key(), source.is_wildcard());
    let selection = source.select(&index);
    for w in selection.entries.windows(2) {
        assert!(
            w[0] < w[1],
            "selection entries unsorted or repeated: {:?}",
            selection.entries
        );
    }
    for &i in &selection.entries {
        assert!(i < index.entries().len());
    }
    let selected: Vec<&str> = selection.paths(&index).collect();
    let clean = |p: &str| p.split('/').all(|c| !c.is_empty() && c != "." && c != "..");
    if flags & 1 == 0 && !has_links && !source.is_wildcard() && selection.errors.is_empty() {
        for e in index.entries() {
            if e.kind == EntryKind::File && clean(&e.path) {
                assert_eq!(
                    source.contains(&e.path),
                    selected.contains(&e.path.as_str()),
                    "{src:?} excluding {excludes:?}: {}",
                    e.path
                );
            }
        }
    }
    for e in index.entries().iter().take(16) {
        let _ = source.contains(&e.path);
        let _ = index.subtree(&e.path);
    }
}
