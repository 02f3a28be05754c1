use super::*;
use std::sync::atomic::{AtomicUsize, Ordering as AtomicOrdering};

/// A scratch directory under the system temp dir, removed on drop.
struct TempTree {
    root: PathBuf,
}

impl TempTree {
    fn new(tag: &str) -> TempTree {
        static N: AtomicUsize = AtomicUsize::new(0);
        let n = N.fetch_add(1, AtomicOrdering::Relaxed);
        let root = std::env::temp_dir().join(format!("dfls-walk-{tag}-{}-{n}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        fs::create_dir_all(&root).expect("create temp dir");
        TempTree { root }
    }

    fn file(&self, rel: &str, content: &str) -> &Self {
        let p = self.root.join(rel);
        if let Some(parent) = p.parent() {
            fs::create_dir_all(parent).expect("mkdir");
        }
        fs::write(p, content).expect("write");
        self
    }

    fn dir(&self, rel: &str) -> &Self {
        fs::create_dir_all(self.root.join(rel)).expect("mkdir");
        self
    }

    #[cfg(unix)]
    fn link(&self, rel: &str, target: &str) -> &Self {
        std::os::unix::fs::symlink(target, self.root.join(rel)).expect("symlink");
        self
    }
}

impl Drop for TempTree {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.root);
    }
}

fn paths(index: &ContextIndex) -> Vec<&str> {
    index.entries().iter().map(|e| e.path.as_str()).collect()
}

fn walk(t: &TempTree, ignore: Option<&str>) -> ContextIndex {
    let ig = ignore.map(IgnoreFile::parse);
    walk_context(&t.root, ig.as_ref(), &WalkOptions::default())
}

#[test]
fn order_is_segment_wise_and_subtrees_are_contiguous() {
    let t = TempTree::new("order");
    t.file("a-b", "")
        .file("a/x", "")
        .file("a/y/z", "")
        .file("a.txt", "")
        .file("b", "");
    let index = walk(&t, None);
    assert_eq!(
        paths(&index),
        vec!["a", "a/x", "a/y", "a/y/z", "a-b", "a.txt", "b"]
    );
    assert!(index.status().is_complete());
    assert_eq!(index.subtree("a"), 1..4);
    assert_eq!(index.subtree("a/y"), 3..4);
    assert_eq!(index.subtree("b"), 7..7);
    assert_eq!(index.position("a.txt"), Some(5));
    assert_eq!(index.position("nope"), None);
}

#[test]
fn records_metadata() {
    let t = TempTree::new("meta");
    t.file("f.txt", "hello").dir("d");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        t.file("run.sh", "#!/bin/sh\n");
        fs::set_permissions(t.root.join("run.sh"), fs::Permissions::from_mode(0o755))
            .expect("chmod");
    }
    let index = walk(&t, None);
    let f = index.get("f.txt").expect("f.txt");
    assert_eq!((f.kind, f.size), (EntryKind::File, 5));
    assert!(f.mtime.is_some());
    assert!(index.get("d").expect("d").is_dir());
    #[cfg(unix)]
    {
        assert!(index.get("run.sh").expect("run.sh").is_executable());
        assert!(!f.is_executable());
        assert_eq!(f.mode & 0o170_000, 0o100_000);
    }
}

#[cfg(unix)]
#[test]
fn symlinks_are_recorded_never_followed() {
    let outside = TempTree::new("outside");
    outside.file("secret/passwd", "x");
    let t = TempTree::new("links");
    t.dir("d").file("d/f", "");
    t.link("loop1", "loop2").link("loop2", "loop1"); // a symlink loop
    t.link("d/up", ".."); // a directory loop through a link
    t.link("self", "."); // another one
    let out_target = outside.root.join("secret").to_string_lossy().into_owned();
    t.link("out", &out_target); // pointing outside the context
    t.link("dangling", "missing");
    let index = walk(&t, None);
    assert_eq!(
        paths(&index),
        vec![
            "d", "d/f", "d/up", "dangling", "loop1", "loop2", "out", "self"
        ]
    );
    let out = index.get("out").expect("out");
    assert!(out.is_symlink());
    assert_eq!(out.link_target.as_deref(), Some(out_target.as_str()));
    assert_eq!(
        index.get("d/up").and_then(|e| e.link_target.as_deref()),
        Some("..")
    );
    assert!(index.entries().iter().all(|e| !e.path.contains("passwd")));
    assert!(index.errors().is_empty(), "{:?}", index.errors());
}

#[test]
fn ignored_paths_are_skipped_but_queryable() {
    let t = TempTree::new("ignore");
    t.file("README.md", "")
        .file("main.go", "")
        .file("node_modules/x/y.js", "");
    t.file("docs/a.md", "").file("docs/keep.md", "");
    let index = walk(&t, Some("*.md\nnode_modules\ndocs/*.md\n!docs/keep.md\n"));
    assert_eq!(paths(&index), vec!["docs", "docs/keep.md", "main.go"]);
    // README.md, node_modules (skipped whole), docs/a.md
    assert_eq!(index.excluded_count(), 3);
    let d = index
        .ignore_decision("node_modules/x/y.js")
        .expect("ignore file");
    assert!(d.excluded);
    assert_eq!(
        d.rule.map(|r| (r.line, r.text.as_str())),
        Some((2, "node_modules"))
    );
}

#[test]
fn excluded_dir_with_reincluded_child_is_part_of_the_context() {
    let t = TempTree::new("reinclude");
    t.file("vendor/a/x", "")
        .file("vendor/keep/y", "")
        .file("vendor/z", "");
    let index = walk(&t, Some("vendor\n!vendor/keep\n"));
    // `vendor` is excluded, yet sent because `vendor/keep` is included (fsutil parentDirs).
    assert_eq!(
        paths(&index),
        vec!["vendor", "vendor/keep", "vendor/keep/y"]
    );
    // An exception with a glob forces entering every excluded directory.
    let index = walk(&t, Some("vendor\n!**/y\n"));
    assert_eq!(
        paths(&index),
        vec!["vendor", "vendor/keep", "vendor/keep/y"]
    );
}

#[test]
fn walk_uses_walker_semantics() {
    let t = TempTree::new("chained");
    t.file("docs/a.md", "").file("docs/b.txt", "");
    let index = walk(&t, Some("docs/*.md\n!docs\n"));
    assert_eq!(paths(&index), vec!["docs", "docs/b.txt"]);
}

#[test]
fn entry_limit_stops_with_a_status() {
    let t = TempTree::new("limit");
    for i in 0..20 {
        t.file(&format!("f{i:02}"), "");
    }
    let opts = WalkOptions {
        max_entries: 7,
        ..WalkOptions::default()
    };
    let index = walk_context(&t.root, None, &opts);
    assert_eq!(index.entries().len(), 7);
    assert_eq!(
        index.status(),
        &WalkStatus::Stopped {
            entries_seen: 7,
            reason: StopReason::EntryLimit(7)
        }
    );
    assert_eq!(
        index.status().message().as_deref(),
        Some("context walk stopped after 7 files: limit of 7 files reached")
    );
}

#[test]
fn time_limit_stops_with_a_status() {
    let t = TempTree::new("time");
    t.file("a", "").file("b", "");
    let opts = WalkOptions {
        max_duration: Duration::ZERO,
        ..WalkOptions::default()
    };
    // Sleep past the zero budget so the very first check trips it.
    let index = {
        let ig = None;
        std::thread::sleep(Duration::from_millis(2));
        walk_context(&t.root, ig, &opts)
    };
    match index.status() {
        WalkStatus::Stopped {
            reason: StopReason::TimeLimit(_),
            ..
        } => {}
        other => panic!("expected a time stop, got {other:?}"),
    }
    let msg = index.status().message().unwrap_or_default();
    assert!(msg.starts_with("context walk stopped after "), "{msg}");
    assert!(msg.contains("time limit"), "{msg}");
}

#[test]
fn missing_root_fails_cleanly() {
    let index = walk_context(
        Path::new("/definitely/not/a/context/dir"),
        None,
        &WalkOptions::default(),
    );
    assert!(matches!(index.status(), WalkStatus::Failed(_)));
    assert!(index.entries().is_empty());
}

#[test]
fn walk_writes_nothing() {
    let t = TempTree::new("readonly");
    t.file("a/b", "x").file("c", "y");
    let before: Vec<_> = walk(&t, None).entries().to_vec();
    let again: Vec<_> = walk(&t, Some("*\n")).entries().to_vec();
    assert!(again.is_empty());
    assert_eq!(walk(&t, None).entries(), &before[..]);
}

#[test]
fn from_entries_sorts_and_dedups() {
    let e = |p: &str, kind| Entry {
        path: p.to_owned(),
        kind,
        size: 0,
        mode: 0,
        link_target: None,
        mtime: None,
    };
    let index = ContextIndex::from_entries(vec![
        e("b", EntryKind::File),
        e("a/x", EntryKind::File),
        e("a", EntryKind::Dir),
        e("a-1", EntryKind::File),
        e("b", EntryKind::File),
    ]);
    assert_eq!(paths(&index), vec!["a", "a/x", "a-1", "b"]);
}

#[test]
fn cmp_paths_orders_separator_first() {
    assert_eq!(cmp_paths("a/b", "a-b"), Ordering::Less);
    assert_eq!(cmp_paths("a", "a/b"), Ordering::Less);
    assert_eq!(cmp_paths("a/b", "a/b"), Ordering::Equal);
    assert_eq!(cmp_paths("ab", "a/z"), Ordering::Greater);
}
