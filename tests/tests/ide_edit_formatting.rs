//! Formatting never changes what BuildKit builds: over the 178 real-world Dockerfiles, the
//! BuildKit parser suite and random inputs, formatting keeps the parser dump (every RUN
//! command string included) and every heredoc body, and formatting twice equals once.

use dockerfile_lsp::ide::formatting::{FormatOptions, apply_edits, format};
use dockerfile_lsp::syntax::{Parse, dump::dump, parse};
use e2e::{real_world_files, shared_dir};
use proptest::prelude::*;

/// What BuildKit sees: the dump, and each heredoc's body.
fn meaning(p: &Parse) -> (String, Vec<String>) {
    let bodies = p
        .entries()
        .flat_map(|e| e.inst.heredocs.iter().map(|h| h.content.clone()))
        .collect();
    (dump(p), bodies)
}

/// Keywords and line structure, for the re-indenting mode (which changes command strings).
fn shape(p: &Parse) -> Vec<(String, u32, usize)> {
    p.entries()
        .map(|e| {
            (
                e.inst.command.keyword.to_ascii_lowercase(),
                e.line,
                e.inst.heredocs.len(),
            )
        })
        .collect()
}

/// Checks one text; returns whether formatting changed it.
fn check(name: &str, text: &str) -> bool {
    let before = parse(text);
    let once = apply_edits(text, &format(&before, &FormatOptions::default()));
    let after = parse(&once);
    assert_eq!(meaning(&before), meaning(&after), "{name}: meaning changed");
    assert_eq!(
        before.errors().len(),
        after.errors().len(),
        "{name}: parse errors changed"
    );
    let twice = apply_edits(&once, &format(&after, &FormatOptions::default()));
    assert_eq!(once, twice, "{name}: not idempotent");

    let options = FormatOptions {
        reindent_continuations: true,
        tab_size: 2,
        ..FormatOptions::default()
    };
    let re = apply_edits(text, &format(&before, &options));
    let re_parse = parse(&re);
    assert_eq!(shape(&before), shape(&re_parse), "{name}: re-indent shape");
    let bodies = |p: &Parse| meaning(p).1;
    assert_eq!(bodies(&before), bodies(&re_parse), "{name}: heredoc bodies");
    let re2 = apply_edits(&re, &format(&re_parse, &options));
    assert_eq!(re, re2, "{name}: re-indent not idempotent");
    once != text
}

#[test]
fn real_world_corpus_keeps_meaning() {
    let root = shared_dir().join("corpus/real-world");
    let files = real_world_files();
    assert_eq!(files.len(), 178, "the corpus has 178 Dockerfiles");
    let mut changed = 0;
    for rel in &files {
        let bytes = std::fs::read(root.join(rel)).expect("readable");
        let (text, _) = dockerfile_lsp::syntax::decode(&bytes);
        if check(&rel.display().to_string(), &text) {
            changed += 1;
        }
    }
    println!("{changed}/{} files changed by formatting", files.len());
}

#[test]
fn buildkit_parser_suite_keeps_meaning() {
    let suite = shared_dir().join("corpus/buildkit-parser");
    let mut count = 0;
    for dir in ["testfiles", "testfiles-negative"] {
        for case in std::fs::read_dir(suite.join(dir)).expect("suite").flatten() {
            let path = case.path().join("Dockerfile");
            let Ok(bytes) = std::fs::read(&path) else {
                continue;
            };
            let (text, _) = dockerfile_lsp::syntax::decode(&bytes);
            check(&path.display().to_string(), &text);
            count += 1;
        }
    }
    assert!(count > 30);
}

/// Lines built from the pieces that matter: keywords in any case, continuations with
/// trailing blanks, comments, heredocs, both escape characters, non-ASCII text.
fn line() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "FROM alpine AS b",
        "from x",
        "Run echo hi",
        "RUN a \\",
        "RUN a \\ \t",
        "RUN a `  ",
        "  b \\  ",
        "\\",
        "`",
        "  c",
        "# comment  ",
        "# escape=`",
        "# syntax=docker/dockerfile:1 ",
        "",
        "   ",
        "\t",
        "RUN <<EOF  ",
        "COPY <<-X /x ",
        "\tX",
        "X",
        "EOF",
        "EOF  ",
        "ENV a=1 b=\"x \\",
        "LABEL 日本=\"🐳\"  ",
        "onbuild run x  ",
        "echo \\\\  ",
        "CMD [\"a\",  ",
        "\"b\"]  ",
        "HEALTHCHECK CMD x \\",
    ])
    .prop_map(str::to_string)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn random_files_keep_meaning(lines in prop::collection::vec(line(), 0..14), crlf in any::<bool>()) {
        let text = lines.join(if crlf { "\r\n" } else { "\n" });
        check("random", &text);
    }
}
