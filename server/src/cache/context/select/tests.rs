use super::*;
use crate::cache::context::walk::{Entry, EntryKind};

fn entry(path: &str) -> Entry {
    let (path, kind, link_target) = if let Some((p, t)) = path.split_once(" -> ") {
        (p, EntryKind::Symlink, Some(t.to_owned()))
    } else if let Some(p) = path.strip_suffix('/') {
        (p, EntryKind::Dir, None)
    } else {
        (path, EntryKind::File, None)
    };
    Entry {
        path: path.to_owned(),
        kind,
        size: 0,
        mode: 0o644,
        link_target,
        mtime: None,
    }
}

/// `dir/` is a directory, `a -> b` a symlink, anything else a file.
fn index(paths: &[&str]) -> ContextIndex {
    ContextIndex::from_entries(paths.iter().map(|p| entry(p)).collect())
}

fn tree() -> ContextIndex {
    index(&[
        "Dockerfile",
        ".dockerignore",
        "go.mod",
        "main.go",
        "README.md",
        "docs/",
        "docs/a.md",
        "docs/img/",
        "docs/img/logo.png",
        "docs/img/notes.md",
        "src/",
        "src/app.go",
        "src/app_test.go",
        "src/util/",
        "src/util/str.go",
        "src/util/deep/",
        "src/util/deep/x.go",
        "[x].txt",
        "star*.txt",
    ])
}

fn sel_paths(ix: &ContextIndex, src: &str, excludes: &[&str], parents: bool) -> Vec<String> {
    let s = CopySource::new(src, excludes, parents).select(ix);
    s.paths(ix).map(str::to_owned).collect()
}

fn plain(ix: &ContextIndex, src: &str) -> Vec<String> {
    sel_paths(ix, src, &[], false)
}

#[test]
fn plain_sources() {
    let ix = tree();
    assert_eq!(plain(&ix, "main.go"), vec!["main.go"]);
    assert_eq!(
        plain(&ix, "src"),
        vec![
            "src",
            "src/app.go",
            "src/app_test.go",
            "src/util",
            "src/util/deep",
            "src/util/deep/x.go",
            "src/util/str.go"
        ]
    );
    // Normalisation: leading ./ or /, trailing /, inner .., no escaping the root.
    for src in [
        "./src/util/",
        "/src/util",
        "src/../src/util",
        "../../src/util",
        "src//util/.",
    ] {
        assert_eq!(
            plain(&ix, src),
            vec![
                "src/util",
                "src/util/deep",
                "src/util/deep/x.go",
                "src/util/str.go"
            ],
            "{src}"
        );
    }
    // The root takes everything, the Dockerfile and the ignore file included.
    let all = plain(&ix, ".");
    assert_eq!(all.len(), ix.entries().len());
    assert!(all.contains(&"Dockerfile".to_owned()));
    let s = CopySource::new(".", &[] as &[&str], false).select(&ix);
    assert_eq!(
        (s.roots.clone(), s.dirs_matched, s.wildcard),
        (vec![String::new()], 1, false)
    );
}

#[test]
fn missing_plain_source_is_not_found() {
    let ix = tree();
    let s = select(&ix, "nope.txt", &[] as &[&str]);
    assert!(s.not_found && s.entries.is_empty());
    // With filters the checksum is empty rather than an error, but the copy still fails.
    let s = select(&ix, "nope", &["x"]);
    assert!(s.not_found && s.entries.is_empty());
}

#[test]
fn wildcards_are_per_segment() {
    let ix = tree();
    assert_eq!(plain(&ix, "*.go"), vec!["main.go"]);
    assert_eq!(
        plain(&ix, "src/*.go"),
        vec!["src/app.go", "src/app_test.go"]
    );
    // `**` is only `*` for COPY sources: one segment, no recursion.
    assert_eq!(plain(&ix, "**/*.go"), vec!["src/app.go", "src/app_test.go"]);
    assert_eq!(plain(&ix, "src/**/*.go"), vec!["src/util/str.go"]);
    // A matched directory brings its subtree.
    assert_eq!(
        plain(&ix, "src/u*"),
        vec![
            "src/util",
            "src/util/deep",
            "src/util/deep/x.go",
            "src/util/str.go"
        ]
    );
    assert_eq!(plain(&ix, "?ain.go"), vec!["main.go"]);
    assert_eq!(
        plain(&ix, "[dm]*"),
        vec![
            "docs",
            "docs/a.md",
            "docs/img",
            "docs/img/logo.png",
            "docs/img/notes.md",
            "main.go"
        ]
    );
    // An escaped metacharacter does not make a wildcard (`containsWildcards` skips it), so
    // the source is looked up literally, backslash included, and is not found…
    assert!(select(&ix, "star\\*.txt", &[] as &[&str]).not_found);
    // …but inside a real wildcard `path.Match` honours the escape.
    assert_eq!(plain(&ix, "star\\*.t?t"), vec!["star*.txt"]);
    assert_eq!(plain(&ix, "\\[x].tx?"), vec!["[x].txt"]);
    let s = select(&ix, "*.rs", &[] as &[&str]);
    assert!(
        s.entries.is_empty() && !s.not_found && s.wildcard,
        "empty wildcard is allowed"
    );
    let s = select(&ix, "src/*", &[] as &[&str]);
    assert_eq!((s.roots.len(), s.dirs_matched), (3, 1));
}

#[test]
fn bad_wildcard_is_reported() {
    let ix = tree();
    let s = select(&ix, "src/[", &[] as &[&str]);
    assert!(s.entries.is_empty());
    assert_eq!(s.errors.len(), 1);
}

#[test]
fn excludes_are_relative_to_each_root() {
    let ix = tree();
    assert_eq!(
        sel_paths(&ix, "docs", &["*.md"], false),
        vec!["docs", "docs/img", "docs/img/logo.png", "docs/img/notes.md"]
    );
    assert_eq!(
        sel_paths(&ix, "docs", &["**/*.md"], false),
        vec!["docs", "docs/img", "docs/img/logo.png"]
    );
    // Relative to the root `*.md` is top-level only: docs/a.md stays.
    let kept = sel_paths(&ix, ".", &["*.md", "src"], false);
    assert_eq!(kept.len(), ix.entries().len() - 1 - 7);
    assert!(kept.contains(&"docs/a.md".to_owned()) && !kept.contains(&"README.md".to_owned()));
    // The root itself is the empty path, which `*` matches: everything goes.
    assert!(sel_paths(&ix, "src", &["*"], false).is_empty());
    assert!(sel_paths(&ix, ".", &["*"], false).is_empty());
    // Exceptions re-include; the excluded parent directory comes back as a header.
    assert_eq!(
        sel_paths(&ix, "docs", &["img", "!img/logo.png"], false),
        vec!["docs", "docs/a.md", "docs/img", "docs/img/logo.png"]
    );
    // With a wildcard source each match is its own root and is matched as "" — so a
    // matched *file* is never excluded by a name pattern (fsutil's copy agrees: it does not
    // filter the top-level item, copy.go 345). `deep` is relative to the `src/util` root.
    assert_eq!(
        sel_paths(&ix, "src/*", &["*_test.go", "deep"], false),
        vec![
            "src/app.go",
            "src/app_test.go",
            "src/util",
            "src/util/str.go"
        ]
    );
    assert_eq!(sel_paths(&ix, "src/*", &["util/deep"], false).len(), 6);
    // `--exclude` does not strip a leading slash (patternmatcher.New, not ignorefile).
    assert_eq!(sel_paths(&ix, "docs", &["/a.md"], false).len(), 5);
}

#[test]
fn parents_uses_include_patterns() {
    let ix = tree();
    // No pivot: the whole source is a patternmatcher pattern from the root, so `**` recurses.
    assert_eq!(
        sel_paths(&ix, "src/**/*.go", &[], true),
        vec![
            "src",
            "src/app.go",
            "src/app_test.go",
            "src/util",
            "src/util/deep",
            "src/util/deep/x.go",
            "src/util/str.go"
        ]
    );
    assert_eq!(
        sel_paths(&ix, "**/*.md", &[], true),
        vec![
            "README.md",
            "docs",
            "docs/a.md",
            "docs/img",
            "docs/img/notes.md"
        ]
    );
    // With a pivot, the part after `/./` is matched below the pivot.
    assert_eq!(
        sel_paths(&ix, "./src/./util/*.go", &[], true),
        vec!["src", "src/util", "src/util/str.go"]
    );
    let s = CopySource::new("src/util/str.go", &[] as &[&str], true).select(&ix);
    assert!(s.parents && !s.not_found);
    // A literal --parents source must exist.
    let s = CopySource::new("src/nope.go", &[] as &[&str], true).select(&ix);
    assert!(s.not_found);
    // Excludes combine with it.
    assert_eq!(
        sel_paths(&ix, "src/**/*.go", &["**/*_test.go", "src/util/deep"], true),
        vec!["src", "src/app.go", "src/util", "src/util/str.go"]
    );
}

#[test]
fn symlinks_in_the_source() {
    let ix = index(&[
        "real/",
        "real/a.go",
        "real/sub/",
        "real/sub/b.go",
        "alias -> real",
        "abs -> /real",
        "up -> real/../real/sub",
        "file.txt",
        "flink -> file.txt",
        "dangling -> nowhere",
        "loop1 -> loop2",
        "loop2 -> loop1",
        "lnk/",
        "lnk/inner -> ../real",
    ]);
    // A plain source is resolved fully.
    let s = select(&ix, "alias", &[] as &[&str]);
    assert_eq!(
        s.paths(&ix).collect::<Vec<_>>(),
        vec!["real", "real/a.go", "real/sub", "real/sub/b.go"]
    );
    assert_eq!(
        s.followed_links,
        vec![("alias".to_owned(), "real".to_owned())]
    );
    assert_eq!(
        select(&ix, "abs/sub", &[] as &[&str])
            .paths(&ix)
            .collect::<Vec<_>>(),
        vec!["real/sub", "real/sub/b.go"]
    );
    assert_eq!(
        select(&ix, "up", &[] as &[&str])
            .paths(&ix)
            .collect::<Vec<_>>(),
        vec!["real/sub", "real/sub/b.go"]
    );
    assert_eq!(
        select(&ix, "flink", &[] as &[&str])
            .paths(&ix)
            .collect::<Vec<_>>(),
        vec!["file.txt"]
    );
    // The wildcard part is matched in the source's own namespace, below the resolved link.
    assert_eq!(
        select(&ix, "alias/*.go", &[] as &[&str])
            .paths(&ix)
            .collect::<Vec<_>>(),
        vec!["real/a.go"]
    );
    assert_eq!(
        select(&ix, "lnk/inner/*.go", &[] as &[&str])
            .paths(&ix)
            .collect::<Vec<_>>(),
        vec!["real/a.go"]
    );
    // A wildcard root that is a symlink is followed; links deeper down are not.
    let s = select(&ix, "fl*", &[] as &[&str]);
    assert_eq!(s.paths(&ix).collect::<Vec<_>>(), vec!["file.txt", "flink"]);
    let s = select(&ix, "l*", &[] as &[&str]);
    assert_eq!(
        s.paths(&ix).collect::<Vec<_>>(),
        vec!["lnk", "lnk/inner", "loop1", "loop2"]
    );
    assert_eq!(
        s.errors.len(),
        2,
        "both loop links fail to resolve: {:?}",
        s.errors
    );
    // Dangling and looping plain sources.
    assert!(select(&ix, "dangling", &[] as &[&str]).not_found);
    assert_eq!(select(&ix, "loop1", &[] as &[&str]).errors.len(), 1);
    let s = select(&ix, "dang*", &[] as &[&str]);
    assert_eq!(s.errors.len(), 1);
}

#[test]
fn contains_agrees_with_select() {
    let ix = tree();
    let cases: &[(&str, &[&str], bool)] = &[
        ("src", &[], false),
        (".", &[], false),
        ("*.go", &[], false),
        ("src/*", &[], false),
        ("src/**/*.go", &[], false),
        ("[dm]*", &[], false),
        ("docs", &["*.md"], false),
        ("docs", &["**/*.md"], false),
        ("docs", &["img", "!img/logo.png"], false),
        (".", &["*.md", "!README.md", "src/util"], false),
        ("src/*", &["*_test.go", "deep"], false),
        ("src", &["*"], false),
        ("src/**/*.go", &[], true),
        ("**/*.md", &["docs/img"], true),
        ("./src/./util/*.go", &[], true),
    ];
    for &(src, excludes, parents) in cases {
        let cs = CopySource::new(src, excludes, parents);
        let s = cs.select(&ix);
        for (i, e) in ix.entries().iter().enumerate() {
            if e.is_dir() {
                continue; // directories may be selected as headers of included children
            }
            assert_eq!(
                cs.contains(&e.path),
                s.entries.contains(&i),
                "{src} {excludes:?} parents={parents} on {}",
                e.path
            );
        }
    }
    assert!(selection_contains("src", &[] as &[&str], "src/new/file.go"));
    assert!(!selection_contains("src", &["new"], "src/new/file.go"));
    assert!(selection_contains("*.txt", &[] as &[&str], "new.txt"));
    assert!(!selection_contains("*.txt", &[] as &[&str], "sub/new.txt"));
    assert!(selection_contains(
        "sub*",
        &[] as &[&str],
        "subdir/deep/new.txt"
    ));
    assert!(!selection_contains("src", &[] as &[&str], "srcx/a"));
    assert!(selection_contains(".", &[] as &[&str], "anything/at/all"));
}

#[test]
fn context_membership_of_the_dockerfile() {
    let root = std::env::temp_dir().join(format!("dfls-member-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let ctx = root.join("ctx");
    std::fs::create_dir_all(ctx.join("build")).expect("mkdir");
    let df = ctx.join("build/Dockerfile");
    std::fs::write(&df, "FROM scratch\n").expect("write");
    let outside = root.join("Dockerfile.other");
    std::fs::write(&outside, "").expect("write");

    assert_eq!(
        context_membership(&df, &ctx, None),
        Membership::Included {
            rel_path: "build/Dockerfile".to_owned()
        }
    );
    let ig = IgnoreFile::parse("# x\n**/Dockerfile\n");
    match context_membership(&df, &ctx, Some(&ig)) {
        Membership::Excluded { rel_path, rule } => {
            assert_eq!(rel_path, "build/Dockerfile");
            assert_eq!(rule.map(|r| r.line), Some(2));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        context_membership(&outside, &ctx, None),
        Membership::Outside
    );
    assert_eq!(context_membership(&ctx, &ctx, None), Membership::Outside);
    // Not on disk yet, reached through a `..`: still placed correctly.
    let unsaved = ctx.join("build/../new.Dockerfile");
    assert_eq!(
        context_membership(&unsaved, &ctx, None),
        Membership::Included {
            rel_path: "new.Dockerfile".to_owned()
        }
    );
    let _ = std::fs::remove_dir_all(&root);
}

mod prop {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn never_panics(src in "[a-z*?\\[\\]\\\\/.!-]{0,12}", ex in "[a-z*?\\[\\]\\\\/.!-]{0,8}", path in "[a-z/.]{0,12}", parents: bool) {
            let ix = tree();
            let cs = CopySource::new(&src, &[ex], parents);
            let _ = cs.select(&ix);
            let _ = cs.contains(&path);
        }
    }
}
