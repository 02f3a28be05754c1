use super::*;

fn ig(text: &str) -> IgnoreFile {
    IgnoreFile::parse(text)
}

fn excluded(file: &IgnoreFile, path: &str) -> bool {
    file.decide(path).excluded
}

/// Assert the decision for several paths, with both evaluation orders agreeing.
fn check(text: &str, cases: &[(&str, bool)]) {
    let f = ig(text);
    for &(path, want) in cases {
        assert_eq!(excluded(&f, path), want, "{text:?} on {path:?} (walker)");
        assert_eq!(
            f.decide_or_parent(path).excluded,
            want,
            "{text:?} on {path:?} (or-parent)"
        );
    }
}

fn patterns(f: &IgnoreFile) -> Vec<(u32, String, bool)> {
    f.rules()
        .iter()
        .map(|r| (r.line, r.pattern.clone(), r.exception))
        .collect()
}

#[test]
fn parse_follows_ignorefile_readall() {
    let f = ig(
        "\u{FEFF}# comment\n\n  *.md  \n #not-a-comment\n!  keep.md\n/abs/path/\n./rel//x/../y\r\n.\n",
    );
    assert_eq!(
        patterns(&f),
        vec![
            (3, "*.md".to_owned(), false),
            (4, "#not-a-comment".to_owned(), false),
            (5, "keep.md".to_owned(), true),
            (6, "abs/path".to_owned(), false),
            (7, "rel/y".to_owned(), false),
            (8, ".".to_owned(), false),
        ]
    );
    // Original text is kept for hovers (without the line ending).
    assert_eq!(f.rules()[0].text, "  *.md  ");
    assert_eq!(f.rules()[4].text, "./rel//x/../y");
    assert!(f.diagnostics().is_empty());
    assert!(f.has_exceptions());
}

#[test]
fn bom_only_stripped_on_first_line() {
    let f = ig("a\n\u{FEFF}b");
    // A BOM later in the file is part of the pattern (Go only trims it on line 1).
    assert_eq!(f.rules()[1].pattern, "\u{FEFF}b");
    assert!(!excluded(&f, "b"));
    assert!(excluded(&f, "\u{FEFF}b"));
}

#[test]
fn dot_and_root_patterns_exclude_nothing() {
    check(".\n/\n./\n", &[("a", false), (".", false), ("a/b", false)]);
    // The root itself can never be excluded.
    check("*\n**\n", &[("", false), (".", false), ("/", false)]);
}

#[test]
fn anchored_at_root_unlike_gitignore() {
    check(
        "*.md\n",
        &[
            ("README.md", true),
            ("docs/README.md", false),
            ("a.mdx", false),
            (".md", true),
        ],
    );
    check(
        "**/*.md\n",
        &[
            ("README.md", true),
            ("docs/a/README.md", true),
            ("x.txt", false),
        ],
    );
    check(
        "foo\n",
        &[
            ("foo", true),
            ("foo/bar", true),
            ("a/foo", false),
            ("foobar", false),
        ],
    );
}

#[test]
fn double_star_forms() {
    check("**\n", &[("a", true), ("a/b/c", true)]);
    check(
        "a/**\n",
        &[("a", false), ("a/b", true), ("a/b/c", true), ("ab", false)],
    );
    check(
        "**/foo\n",
        &[
            ("foo", true),
            ("x/foo", true),
            ("x/y/foo/z", true),
            ("xfoo", false),
        ],
    );
    check(
        "a/**/b\n",
        &[
            ("a/b", true),
            ("a/x/b", true),
            ("a/x/y/b/c", true),
            ("a/xb", false),
        ],
    );
    check(
        "**/*.go\n",
        &[("m.go", true), ("a/b/m.go", true), ("a/b/m.gox", false)],
    );
    // `a**` is a prefix match: it crosses directories.
    check("a**\n", &[("a", true), ("abc/def", true), ("b/a", false)]);
}

#[test]
fn leading_double_star_without_slash_is_a_suffix_match() {
    // patternmatcher.go 388-390: `**` first makes a suffix match, so `**b` matches "ab"
    // (a regexp would have required "b" or ".../b").
    check(
        "**b\n",
        &[("b", true), ("ab", true), ("x/ab", true), ("ba", false)],
    );
    // …unless a later metacharacter turns it back into a regexp.
    check("**b*\n", &[("b", true), ("x/bc", true), ("ab", false)]);
}

#[test]
fn star_and_question_stay_in_one_segment() {
    check(
        "a/*/c\n?x\n",
        &[
            ("a/b/c", true),
            ("a/b/d/c", false),
            ("a/c", false),
            ("ax", true),
            ("a/x", false),
        ],
    );
    check("*\n", &[("a", true), ("a/b", true), (".hidden", true)]);
}

#[test]
fn character_classes() {
    check(
        "[a-c].txt\n",
        &[("a.txt", true), ("c.txt", true), ("d.txt", false)],
    );
    check("[^a].txt\n", &[("a.txt", false), ("b.txt", true)]);
    // `!` is not a negation in Go: `[!a]` means `!` or `a`.
    check(
        "[!a].txt\n",
        &[("a.txt", true), ("!.txt", true), ("b.txt", false)],
    );
    // A negated class can match '/' (Go's regexp class does not exclude it).
    check("x[^a]y\n", &[("x/y", true), ("x/y/z", true), ("xby", true)]);
    // POSIX classes reach Go's regexp parser.
    check("[[:digit:]]*\n", &[("1abc", true), ("abc", false)]);
}

#[test]
fn class_swallowing_translated_star() {
    // `[*]` becomes the Go regexp `^[[^/]*]$`: a class {[, ^, /} repeated, then `]`.
    check(
        "[*]\n",
        &[("]", true), ("[]", true), ("*", false), ("a]", false)],
    );
}

#[test]
fn escapes() {
    check("\\*.txt\n", &[("*.txt", true), ("a.txt", false)]);
    check("a\\?b\n", &[("a?b", true), ("axb", false)]);
    check("\\#file\n", &[("#file", true)]);
    check("\\[x]\n", &[("[x]", true), ("x", false)]);
    // The escaped character reaches Go's regexp: `\d` is a digit class, `\x41` is "A".
    check("f\\d\n", &[("f7", true), ("fd", false)]);
    check("\\x41\n", &[("A", true), ("x41", false)]);
}

#[test]
fn regexp_metacharacters_are_literal() {
    check(
        "{a,b}\na+b\n(x)\np|q\n$d\na.b\n",
        &[
            ("{a,b}", true),
            ("a", false),
            ("a+b", true),
            ("aab", false),
            ("(x)", true),
            ("x", false),
            ("p|q", true),
            ("p", false),
            ("$d", true),
            ("a.b", true),
            ("axb", false),
        ],
    );
}

#[test]
fn caret_is_literal_only_in_exact_patterns() {
    // No metacharacter: exact comparison, so `^` is an ordinary character…
    check("a^b\n", &[("a^b", true)]);
    // …but with one, Go's regexp reads `^` as begin-of-text and nothing matches.
    check("a^b*\n", &[("a^b", false), ("a^bc", false)]);
}

#[test]
fn last_match_wins() {
    check(
        "*.md\n!README.md\n",
        &[("a.md", true), ("README.md", false)],
    );
    check("!README.md\n*.md\n", &[("README.md", true)]);
    check("*.md\n!README.md\nREADME.md\n", &[("README.md", true)]);
}

#[test]
fn parent_directory_exclusion_and_reinclusion() {
    check(
        "build\n",
        &[("build", true), ("build/x/y.o", true), ("builder", false)],
    );
    check(
        "vendor\n!vendor/keep\n",
        &[
            ("vendor/a", true),
            ("vendor/keep", false),
            ("vendor/keep/sub/f", false),
        ],
    );
    check(
        "*\n!src\n",
        &[("a", true), ("src", false), ("src/x", false)],
    );
    check(
        "*\n!src/*.go\n",
        &[("src", true), ("src/a.go", false), ("src/a.rs", true)],
    );
}

#[test]
fn walker_and_or_parent_differ_when_an_exception_was_skipped() {
    // `!docs` is only tested at `docs` while `docs` is not yet excluded, so the walker
    // does not record it for `docs`; `docs/a.md` is excluded by `docs/*.md` and the
    // walker never re-tests `docs` against `!docs`.
    let f = ig("docs/*.md\n!docs\n");
    assert!(f.decide("docs/a.md").excluded);
    assert!(!f.decide_or_parent("docs/a.md").excluded);
    // Same shape with a repeated rule.
    let f = ig("a\n!a/c\na\n");
    assert!(!f.decide("a/c").excluded);
    assert!(f.decide_or_parent("a/c").excluded);
}

#[test]
fn decision_names_the_rule() {
    let f = ig("# header\n*.md\n!README.md\n");
    let d = f.decide("notes.md");
    assert!(d.excluded);
    let rule = d.rule.expect("rule");
    assert_eq!((rule.line, rule.text.as_str()), (2, "*.md"));
    let d = f.decide("README.md");
    assert!(!d.excluded);
    assert_eq!(d.rule.map(|r| r.line), Some(3));
    assert_eq!(f.decide("x.txt").rule, None);
}

#[test]
fn exclamation_corner_cases() {
    // A lone `!` (or `!/`, which cleans to `!`) makes `patternmatcher.New` fail.
    for text in ["!\n", "!/\n", "! \n"] {
        let f = ig(text);
        assert_eq!(
            f.rules()[0].error,
            Some(PatternError::IllegalExclusion),
            "{text:?}"
        );
        assert_eq!(f.diagnostics().len(), 1);
    }
    // `/!a` loses its slash and becomes an exception.
    let f = ig("*\n/!a\n");
    assert!(f.rules()[1].exception);
    assert!(!excluded(&f, "a"));
    // `!../../x`: the second Clean (of "!../../x") treats "!.." as a name, so the
    // `!` disappears and the rule becomes a plain exclusion of `x`.
    let f = ig("!../../x\n");
    assert!(!f.rules()[0].exception);
    assert_eq!(f.rules()[0].pattern, "x");
    assert!(excluded(&f, "x"));
    assert!(!f.has_exceptions());
}

#[test]
fn malformed_patterns_are_reported_not_fatal() {
    let f = ig("[\n[]a]\na\\\n\\q\n[z-a]\nok\n");
    let errs: Vec<_> = f.rules().iter().map(|r| r.error.clone()).collect();
    assert_eq!(errs[0], Some(PatternError::Syntax));
    assert_eq!(errs[1], Some(PatternError::Syntax));
    assert_eq!(errs[2], Some(PatternError::Syntax));
    // Valid for filepath.Match, rejected by Go's regexp compiler.
    assert!(matches!(errs[3], Some(PatternError::Regexp(_))));
    assert!(matches!(errs[4], Some(PatternError::Regexp(_))));
    assert_eq!(errs[5], None);
    assert_eq!(f.diagnostics().len(), 5);
    assert_eq!(f.diagnostics()[0].line, 1);
    assert!(excluded(&f, "ok"));
    assert!(!excluded(&f, "q"));
}

#[test]
fn long_lines_are_flagged() {
    let long = "a".repeat(70_000);
    let f = ig(&format!("x\n{long}\n"));
    assert_eq!(f.diagnostics().len(), 1);
    assert_eq!(f.diagnostics()[0].line, 2);
}

#[test]
fn input_paths_are_cleaned() {
    let f = ig("a/b\n");
    assert!(excluded(&f, "./a/b"));
    assert!(excluded(&f, "a//b/"));
    assert!(excluded(&f, "/a/b/c"));
}

#[test]
fn pattern_set_keeps_new_semantics() {
    // COPY --exclude goes straight to patternmatcher.New: no leading-slash removal.
    let set = PatternSet::new(&["/abs", "", "  *.md ", "!keep.md"]);
    assert!(set.has_exceptions());
    assert!(!set.matches_or_parent_matches("abs").matched);
    assert!(set.matches_or_parent_matches("a.md").matched);
    assert!(!set.matches_or_parent_matches("keep.md").matched);
    // The source index skips the empty input.
    assert_eq!(set.source_of(1), 2);
    // `!./a` is cleaned before the `!` is split off, so "./a" stays unclean: no match.
    let set = PatternSet::new(&["*", "!./a"]);
    assert!(set.matches_or_parent_matches("a").matched);
}

#[test]
fn skip_excluded_dir_shortcut() {
    let f = ig("node_modules\n");
    assert!(f.can_skip_excluded_dir("node_modules"));
    let f = ig("node_modules\n!node_modules/keep\n");
    assert!(!f.can_skip_excluded_dir("node_modules"));
    assert!(f.can_skip_excluded_dir("other"));
    let f = ig("a\n!**/keep\n");
    assert!(!f.can_skip_excluded_dir("a"));
}

#[test]
fn walker_state_matches_decide() {
    let f = ig("*\n!src\nsrc/gen\n!src/gen/keep.rs\n");
    let (d1, s1) = f.decide_child("src", None);
    let (d2, s2) = f.decide_child("src/gen", Some(&s1));
    let (d3, _) = f.decide_child("src/gen/keep.rs", Some(&s2));
    let (d4, _) = f.decide_child("src/gen/x.rs", Some(&s2));
    assert!(!d1.excluded && d2.excluded && !d3.excluded && d4.excluded);
    for p in ["src", "src/gen", "src/gen/keep.rs", "src/gen/x.rs"] {
        assert_eq!(f.decide(p).excluded, f.decide_or_parent(p).excluded, "{p}");
    }
}

#[test]
fn ignore_file_path_precedence() {
    let dir = std::env::temp_dir().join(format!("dfls-ignpath-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let ctx = dir.join("ctx");
    let df_dir = dir.join("build");
    std::fs::create_dir_all(&ctx).expect("mkdir");
    std::fs::create_dir_all(&df_dir).expect("mkdir");
    let dockerfile = df_dir.join("app.Dockerfile");
    std::fs::write(&dockerfile, "FROM scratch\n").expect("write");

    assert_eq!(ignore_file_path(&dockerfile, &ctx), None);
    std::fs::write(ctx.join(".dockerignore"), "x\n").expect("write");
    assert_eq!(
        ignore_file_path(&dockerfile, &ctx),
        Some(ctx.join(".dockerignore"))
    );
    // The Dockerfile-specific file wins, even when empty.
    std::fs::write(df_dir.join("app.Dockerfile.dockerignore"), "").expect("write");
    assert_eq!(
        ignore_file_path(&dockerfile, &ctx),
        Some(df_dir.join("app.Dockerfile.dockerignore"))
    );
    // A directory of that name does not count.
    std::fs::remove_file(df_dir.join("app.Dockerfile.dockerignore")).expect("rm");
    std::fs::create_dir(df_dir.join("app.Dockerfile.dockerignore")).expect("mkdir");
    assert_eq!(
        ignore_file_path(&dockerfile, &ctx),
        Some(ctx.join(".dockerignore"))
    );
    // The lowercase fallback name was requested as `Dockerfile`.
    let lower = df_dir.join("dockerfile");
    std::fs::write(&lower, "FROM scratch\n").expect("write");
    std::fs::write(df_dir.join("Dockerfile.dockerignore"), "y\n").expect("write");
    let found = ignore_file_path(&lower, &ctx).expect("an ignore file");
    // On a case-insensitive file system both spellings are the same file.
    let name = found
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase());
    assert_eq!(name.as_deref(), Some("dockerfile.dockerignore"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn decides_quickly() {
    // A realistic 40-rule file: deciding a path must stay in the microsecond range.
    let mut text = String::new();
    for i in 0..10 {
        text.push_str(&format!("**/*.tmp{i}\ndir{i}/**\n!dir{i}/keep\nlit{i}\n"));
    }
    let f = ig(&text);
    let paths: Vec<String> = (0..2000)
        .map(|i| format!("src/module{}/sub{}/file{i}.rs", i % 7, i % 3))
        .collect();
    let start = std::time::Instant::now();
    let mut n = 0;
    for p in &paths {
        n += usize::from(f.decide(p).excluded);
    }
    let per_path = start.elapsed() / u32::try_from(paths.len()).unwrap_or(1);
    assert_eq!(n, 0);
    // Generous for unoptimised test builds on a loaded machine.
    assert!(
        per_path < std::time::Duration::from_micros(500),
        "{per_path:?} per path"
    );
}

mod prop {
    use super::*;
    use proptest::prelude::*;

    fn piece() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("*".to_owned()),
            Just("**".to_owned()),
            Just("?".to_owned()),
            Just("[".to_owned()),
            Just("]".to_owned()),
            Just("^".to_owned()),
            Just("!".to_owned()),
            Just("\\".to_owned()),
            Just("/".to_owned()),
            Just(".".to_owned()),
            Just("-".to_owned()),
            Just("{".to_owned()),
            Just("(".to_owned()),
            Just(":".to_owned()),
            Just("a".to_owned()),
            Just("é".to_owned()),
            Just("\u{FEFF}".to_owned()),
            "[a-z]{1,3}",
            any::<char>().prop_map(String::from),
        ]
    }

    fn pattern() -> impl Strategy<Value = String> {
        proptest::collection::vec(piece(), 0..8).prop_map(|v| v.concat())
    }

    proptest! {
        #[test]
        fn never_panics(pats in proptest::collection::vec(pattern(), 0..5), path in pattern()) {
            let f = IgnoreFile::parse(&pats.join("\n"));
            let _ = f.decide(&path);
            let _ = f.decide_or_parent(&path);
            let _ = f.can_skip_excluded_dir(&path);
            let set = PatternSet::new(&pats);
            let _ = set.matches_chained(&path);
        }

        #[test]
        fn arbitrary_text_never_panics(text in ".{0,200}", path in ".{0,40}") {
            let f = IgnoreFile::parse(&text);
            let _ = f.decide(&path);
        }
    }
}

#[cfg(unix)]
#[test]
fn a_symlinked_ignore_file_is_read_only_inside_the_context() {
    let dir = std::env::temp_dir().join(format!("dfls-ignlink-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let ctx = dir.join("ctx");
    let outside = dir.join("outside");
    std::fs::create_dir_all(&ctx).expect("mkdir");
    std::fs::create_dir_all(&outside).expect("mkdir");
    std::fs::write(outside.join("secret"), "node_modules\n").expect("write");
    std::fs::write(ctx.join("rules"), "*.md\n").expect("write");

    std::os::unix::fs::symlink(ctx.join("rules"), ctx.join(".dockerignore")).expect("link");
    let inside = read_ignore_file(&ctx.join(".dockerignore"), &[&ctx]).expect("inside");
    assert_eq!(inside, b"*.md\n");

    std::fs::remove_file(ctx.join(".dockerignore")).expect("rm");
    std::os::unix::fs::symlink(outside.join("secret"), ctx.join(".dockerignore")).expect("link");
    let refused = read_ignore_file(&ctx.join(".dockerignore"), &[&ctx]).expect_err("outside");
    assert_eq!(refused.kind(), std::io::ErrorKind::PermissionDenied);
    assert!(
        refused.to_string().contains("outside the build context"),
        "{refused}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
