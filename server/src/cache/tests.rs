//! Unit tests of the evaluation pass and the classifiers. Statuses are written compactly:
//! `"1c 3i 5k"` = line 1 cached, line 3 invalidated, line 5 conditional (`v` volatile,
//! `n` not built).

use std::sync::Arc;

use super::*;

fn analysis(text: &str) -> CacheAnalysis {
    analyze_text(text, &CacheOptions::default())
}

fn with(text: &str, options: &CacheOptions) -> CacheAnalysis {
    analyze_text(text, options)
}

fn compact(an: &CacheAnalysis, impact: &Impact) -> String {
    impact
        .steps
        .iter()
        .map(|s| {
            let letter = match s.status {
                Status::Cached => 'c',
                Status::Invalidated => 'i',
                Status::Conditional => 'k',
                Status::Volatile => 'v',
                Status::NotBuilt => 'n',
            };
            format!("{}{letter}", an.steps()[s.step].line + 1)
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn diff(old: &str, new: &str) -> String {
    let (o, n) = (analysis(old), analysis(new));
    compact(&n, &CacheAnalysis::diff(&o, &n))
}

fn edit(text: &str, line: u32) -> String {
    let an = analysis(text);
    compact(&an, &an.impact(&[Change::EditLine(line - 1)]))
}

fn build_arg(text: &str, name: &str) -> String {
    let an = analysis(text);
    compact(&an, &an.changed_build_arg(name))
}

fn reason_of(an: &CacheAnalysis, impact: &Impact, line: u32) -> String {
    impact
        .steps
        .iter()
        .find(|s| an.steps()[s.step].line + 1 == line)
        .map(|s| s.reason.clone())
        .unwrap_or_default()
}

#[test]
fn steps_in_file_order() {
    let an = analysis(
        "FROM alpine AS a\nONBUILD RUN echo t\nWORKDIR /\nWORKDIR /x\nLABEL a=b\nFROM a\nRUN echo c\n",
    );
    let steps: Vec<(u32, String)> = an
        .steps()
        .iter()
        .map(|s| (s.line + 1, s.instruction()))
        .collect();
    assert_eq!(
        steps,
        [
            (1, "FROM".to_string()),
            (4, "WORKDIR".to_string()),
            (6, "ONBUILD RUN".to_string()),
            (7, "RUN".to_string())
        ]
    );
}

#[test]
fn unchanged_text_has_no_effect() {
    let text = "FROM alpine\nENV A=1\nRUN echo $A\nCOPY . /src\n";
    assert_eq!(diff(text, text), "1c 3c 4c");
}

#[test]
fn heredoc_runs() {
    let base = "FROM alpine\nRUN <<EOF\necho hi\nEOF\nRUN echo next\n";
    // The body is the command: quoting the delimiter changes nothing (BuildKit ignores
    // expansion for RUN heredocs), the body does.
    assert_eq!(
        diff(
            base,
            "FROM alpine\nRUN <<'EOF'\necho hi\nEOF\nRUN echo next\n"
        ),
        "1c 2c 5c"
    );
    assert_eq!(
        diff(
            base,
            "FROM alpine\nRUN <<EOF\necho  hi\nEOF\nRUN echo next\n"
        ),
        "1c 2i 5i"
    );
    // `<<-` strips leading tabs from the body, so a tab-indented body equals the plain one.
    assert_eq!(
        diff(
            base,
            "FROM alpine\nRUN <<-EOF\n\techo hi\nEOF\nRUN echo next\n"
        ),
        "1c 2c 5c"
    );
    // A heredoc that is not the whole command keeps the command line in the key.
    let piped = "FROM alpine\nRUN <<EOF sh -e\necho hi\nEOF\n";
    assert_eq!(
        diff(piped, "FROM alpine\nRUN <<EOF sh -ex\necho hi\nEOF\n"),
        "1c 2i"
    );
    let shebang = "FROM alpine\nRUN <<EOF\n#!/usr/bin/env python3\nprint(1)\nEOF\n";
    assert_eq!(
        diff(
            shebang,
            "FROM alpine\nRUN <<EOF\n#!/usr/bin/env python3\nprint(2)\nEOF\n"
        ),
        "1c 2i"
    );
    let an = analysis(base);
    let new = analysis("FROM alpine\nRUN <<EOF\necho  hi\nEOF\nRUN echo next\n");
    let impact = CacheAnalysis::diff(&an, &new);
    assert!(reason_of(&new, &impact, 2).contains("heredoc"));
}

#[test]
fn cache_mount_id_and_sharing_rules() {
    let base = "FROM golang\nRUN --mount=type=cache,target=/go/pkg/mod go build\n";
    let variant = |mount: &str| format!("FROM golang\nRUN --mount={mount} go build\n");
    // Spelling the default id, or the default sharing, out is still the default form.
    assert_eq!(
        diff(
            base,
            &variant("type=cache,target=/go/pkg/mod,id=/go/pkg/mod")
        ),
        "1c 2c"
    );
    assert_eq!(
        diff(
            base,
            &variant("type=cache,target=/go/pkg/mod,sharing=shared")
        ),
        "1c 2c"
    );
    assert_eq!(
        diff(base, &variant("target=/go/pkg/mod,type=cache")),
        "1c 2c",
        "field order"
    );
    // Leaving the default form: the kept id is lost.
    assert_eq!(
        diff(
            base,
            &variant("type=cache,target=/go/pkg/mod,sharing=locked")
        ),
        "1c 2i"
    );
    assert_eq!(
        diff(base, &variant("type=cache,target=/go/pkg/mod,id=x")),
        "1c 2i"
    );
    // Outside the default form, id and sharing are not in the key.
    let named = variant("type=cache,target=/m,id=a,sharing=locked");
    assert_eq!(
        diff(
            &named,
            &variant("type=cache,target=/m,id=b,sharing=private")
        ),
        "1c 2c"
    );
    // Mode of the cache directory (an mkdir input) is.
    assert_eq!(
        diff(
            &named,
            &variant("type=cache,target=/m,id=a,sharing=locked,mode=0700")
        ),
        "1c 2i"
    );
    // Several mounts: their order does not matter (sorted by target).
    let two = "FROM golang\nRUN --mount=type=cache,target=/a --mount=type=cache,target=/b x\n";
    assert_eq!(
        diff(
            two,
            "FROM golang\nRUN --mount=type=cache,target=/b --mount=type=cache,target=/a x\n"
        ),
        "1c 2c"
    );
    // The cache namespace build arg changes the id of default-form mounts only.
    // (`id=b,target=/b` would still be default form: BuildKit compares the id with the target.)
    let ns = "FROM golang\nRUN --mount=type=cache,target=/a x\nRUN --mount=type=cache,target=/b,id=bb y\nFROM golang\nRUN --mount=type=cache,target=/b,id=bb y\n";
    assert_eq!(build_arg(ns, "BUILDKIT_CACHE_MOUNT_NS"), "1n 2n 3n 4c 5c");
    assert_eq!(
        build_arg(&ns.replace(",id=bb y\n", " y\n"), "BUILDKIT_CACHE_MOUNT_NS"),
        "1n 2n 3n 4c 5i"
    );
}

#[test]
fn secret_value_and_bind_mounts() {
    let text = "FROM alpine\nRUN --mount=type=secret,id=npmrc echo\nRUN --mount=type=bind,source=scripts,target=/s /s/run\n";
    // Nothing about the secret's value is in the key; its id is.
    assert_eq!(
        diff(text, &text.replace("id=npmrc", "id=npmrc,required")),
        "1c 2i 3i"
    );
    let an = analysis(text);
    assert_eq!(
        compact(&an, &an.changed_context_file("scripts/run")),
        "1c 2c 3i"
    );
    assert_eq!(
        compact(&an, &an.changed_context_file("scriptsx")),
        "1c 2c 3c"
    );
}

#[test]
fn env_order_and_move_to_end() {
    let base = "FROM alpine\nENV A=1\nENV B=2\nRUN echo\n";
    assert_eq!(diff(base, "FROM alpine\nENV A=1 B=2\nRUN echo\n"), "1c 3c");
    assert_eq!(
        diff(base, "FROM alpine\nENV B=2\nENV A=1\nRUN echo\n"),
        "1c 4i"
    );
    let new = analysis("FROM alpine\nENV A=1\nENV B=2\nENV A=1\nRUN echo\n");
    let impact = CacheAnalysis::diff(&analysis(base), &new);
    assert_eq!(compact(&new, &impact), "1c 5i");
    let reason = reason_of(&new, &impact, 5);
    assert!(
        reason.contains("order") && reason.contains("line 4"),
        "{reason}"
    );
    // An ENV re-set to the same value masks an ARG: the list is equal in both builds.
    let masked = "FROM alpine\nARG X=1\nRUN echo one\nENV X=const\nRUN echo two\n";
    assert_eq!(build_arg(masked, "X"), "1c 3i 5i");
    let masked_first = "FROM alpine\nRUN echo zero\nARG X=1\nENV X=const\nRUN echo two\n";
    assert_eq!(build_arg(masked_first, "X"), "1c 2c 5c");
    // … unless the ENV's value is computed from it.
    assert_eq!(
        build_arg(&masked_first.replace("X=const", "X=${X}-suffix"), "X"),
        "1c 2c 5i"
    );
}

#[test]
fn what_if_state_instructions() {
    // ENV used by a COPY path (expanded by BuildKit) and later RUNs.
    let text = "FROM alpine\nENV DIR=/app\nCOPY a $DIR/\nRUN echo\nLABEL x=y\nRUN echo 2\n";
    assert_eq!(edit(text, 2), "1c 3i 4i 6i");
    assert_eq!(edit(text, 5), "1c 3c 4c 6c");
    // A value derived from the edited one.
    let derived =
        "FROM alpine\nARG A=1\nRUN echo one\nFROM alpine\nARG A\nENV B=$A\nRUN echo two\n";
    // Only global ARGs reach another stage; the first stage is not built for the target.
    assert_eq!(edit(derived, 2), "1n 3n 4c 7c");
    let global =
        "ARG A=1\nFROM alpine\nRUN echo one\nFROM alpine\nARG A\nENV B=x$A\nRUN echo two\n";
    assert_eq!(edit(global, 1), "2n 3n 4c 7i");
    // ARG without a value: giving it one would put it in the environment.
    let bare = "FROM alpine\nARG X\nRUN echo\n";
    let an = analysis(bare);
    let impact = an.impact(&[Change::EditLine(1)]);
    assert_eq!(compact(&an, &impact), "1c 3i");
    assert!(reason_of(&an, &impact, 3).contains("ARG X (line 2)"));
    // USER: RUN and the WORKDIR mkdir owner, not COPY.
    let user = "FROM alpine\nUSER app\nCOPY a /a\nWORKDIR /w\n";
    assert_eq!(edit(user, 2), "1c 3c 4i");
    // SHELL: only shell-form RUNs.
    let shell = "FROM alpine\nSHELL [\"/bin/bash\", \"-c\"]\nRUN [\"echo\"]\nRUN echo\n";
    assert_eq!(edit(shell, 2), "1c 3c 4i");
    // WORKDIR /: no step, but the RUN after it runs there.
    let root = "FROM alpine\nCOPY a /a\nWORKDIR /\nCOPY b /b\nRUN pwd\n";
    assert_eq!(edit(root, 3), "1c 2c 4c 5i");
    // A relative WORKDIR after it depends on it.
    let rel = "FROM alpine\nWORKDIR /\nCOPY b /b\nWORKDIR sub\n";
    assert_eq!(edit(rel, 2), "1c 3c 4i");
    // Comment lines only matter when the Dockerfile is copied.
    assert_eq!(edit("# hi\nFROM alpine\nRUN x\n", 1), "2c 3c");
}

#[test]
fn workdir_string_is_kept_as_written() {
    // `/app/` and `/app` create the same directory, but the RUN's cwd string differs.
    assert_eq!(
        diff(
            "FROM alpine\nWORKDIR /app\nRUN pwd\n",
            "FROM alpine\nWORKDIR /app/\nRUN pwd\n"
        ),
        "1c 2c 3i"
    );
    assert_eq!(
        diff(
            "FROM alpine\nWORKDIR /app\nCOPY a ./\n",
            "FROM alpine\nWORKDIR /app/\nCOPY a ./\n"
        ),
        "1c 2c 3c"
    );
}

#[test]
fn proxy_args() {
    for name in ["HTTP_PROXY", "https_proxy", "NO_PROXY", "all_proxy"] {
        let text = "FROM alpine\nRUN echo hi\n";
        let an = analysis(text);
        let impact = an.changed_build_arg(name);
        assert_eq!(compact(&an, &impact), "1c 2c");
        assert!(impact.notes[0].contains("proxy"), "{:?}", impact.notes);
        let declared = format!("FROM alpine\nARG {name}\nRUN echo hi\n");
        assert_eq!(build_arg(&declared, name), "1c 3i");
    }
}

#[test]
fn build_args_special() {
    let text = "FROM alpine\nWORKDIR /app\nRUN echo\nFROM alpine AS b\nRUN echo b\n";
    assert_eq!(build_arg(text, "SOURCE_DATE_EPOCH"), "1n 2n 3n 4c 5c");
    let text = "FROM alpine\nWORKDIR /app\nRUN echo\n";
    assert_eq!(build_arg(text, "SOURCE_DATE_EPOCH"), "1c 2i 3i");
    assert_eq!(build_arg(text, "BUILDKIT_SANDBOX_HOSTNAME"), "1c 2c 3i");
    assert_eq!(build_arg(text, "BUILDKIT_INLINE_CACHE"), "1c 2c 3c");
    assert_eq!(build_arg(text, "UNUSED"), "1c 2c 3c");
    // TARGETARCH used in FROM without a declaration (a predefined arg).
    let from =
        "FROM --platform=$BUILDPLATFORM alpine AS a\nRUN x\nFROM alpine:$TARGETARCH\nRUN y\n";
    assert_eq!(build_arg(from, "TARGETARCH"), "1n 2n 3i 4i");
    // With a value given for the analysis, SOURCE_DATE_EPOCH is in the WORKDIR key.
    let mut options = CacheOptions::default();
    options
        .build
        .build_args
        .insert("SOURCE_DATE_EPOCH".into(), "1".into());
    let mut other = options.clone();
    other
        .build
        .build_args
        .insert("SOURCE_DATE_EPOCH".into(), "2".into());
    let (a, b) = (with(text, &options), with(text, &other));
    assert_eq!(compact(&b, &CacheAnalysis::diff(&a, &b)), "1c 2i 3i");
}

#[test]
fn copy_link_and_chmod_fallback() {
    let link = "FROM nginx\nCOPY --link a /a\nRUN x\n";
    let an = analysis(link);
    let impact = an.new_base_digest(0);
    assert_eq!(compact(&an, &impact), "1i 2i 3i");
    assert!(impact.steps[1].link_only);
    // A changed source re-copies for real.
    let impact = an.changed_context_file("a");
    assert_eq!(compact(&an, &impact), "1c 2i 3i");
    assert!(!impact.steps[1].link_only);
    // --link --chmod falls back to a plain copy (convert_copy.go).
    let chmod = analysis("FROM nginx\nCOPY --link --chmod=644 a /a\nRUN x\n");
    let impact = chmod.new_base_digest(0);
    assert!(!impact.steps[1].link_only);
    // Adding --link changes the op structure.
    assert_eq!(
        diff("FROM nginx\nCOPY a /a\n", "FROM nginx\nCOPY --link a /a\n"),
        "1c 2i"
    );
}

#[test]
fn onbuild_triggers() {
    let text = "FROM alpine AS base\nONBUILD ENV MODE=x\nONBUILD COPY --from=tools /t /t\nRUN echo base\nFROM alpine AS tools\nRUN echo tools\nFROM base\nRUN echo child\n";
    // The ONBUILD COPY --from makes `tools` reachable; it is reported at the child's FROM.
    let an = analysis(text);
    let lines: Vec<(u32, String)> = an
        .steps()
        .iter()
        .map(|s| (s.line + 1, s.instruction()))
        .collect();
    assert!(
        lines.contains(&(7, "ONBUILD COPY".to_string())),
        "{lines:?}"
    );
    assert!(an.stages()[1].reachable);
    // Editing the ENV trigger: the child's RUN has MODE in its environment.
    assert_eq!(edit(text, 2), "1c 4c 5c 6c 7c 8i");
    // The trigger reads tools: a rebuilt tools makes it conditional.
    assert_eq!(edit(text, 6), "1c 4c 5c 6i 7k 8k");
    let impact = an.impact(&[Change::EditLine(1)]);
    assert!(
        reason_of(&an, &impact, 8).contains("MODE"),
        "{:?}",
        impact.steps
    );
    // An ONBUILD in a stage nobody builds FROM: no effect here.
    let an = analysis("FROM alpine\nONBUILD RUN x\nRUN y\n");
    let impact = an.what_if_edit(1);
    assert_eq!(compact(&an, &impact), "1c 3c");
    assert!(impact.notes[0].contains("ONBUILD"));
}

#[test]
fn unreachable_stages() {
    let text = "FROM alpine AS a\nRUN a\nFROM alpine AS b\nRUN b\n";
    let an = analysis(text);
    let impact = an.what_if_edit(1);
    assert_eq!(compact(&an, &impact), "1n 2n 3c 4c");
    assert!(impact.steps[1].reason.contains("not needed for target b"));
    assert!(impact.notes[0].contains("not built"));
    // A stage that becomes needed was not built before.
    let now = "FROM alpine AS a\nRUN a\nFROM alpine AS b\nCOPY --from=a /x /x\nRUN b\n";
    assert_eq!(diff(text, now), "1c 2i 3c 4i 5i");
}

#[test]
fn parents_and_exclude() {
    let text = "FROM alpine\nCOPY --exclude=*.md --exclude=tests docs/ /d/\nCOPY --parents **/*.go /out/\nRUN x\n";
    let an = analysis(text);
    assert_eq!(
        compact(&an, &an.changed_context_file("docs/a.txt")),
        "1c 2i 3i 4i"
    );
    assert_eq!(
        compact(&an, &an.changed_context_file("docs/README.md")),
        "1c 2c 3c 4c"
    );
    assert_eq!(
        compact(&an, &an.changed_context_file("docs/tests/x.txt")),
        "1c 2c 3c 4c"
    );
    assert_eq!(
        compact(&an, &an.changed_context_file("pkg/a/b.go")),
        "1c 2c 3i 4i"
    );
    assert_eq!(
        compact(&an, &an.changed_context_file("pkg/a/b.txt")),
        "1c 2c 3c 4c"
    );
    // --exclude is part of the key.
    assert_eq!(
        diff(
            "FROM alpine\nCOPY --exclude=*.md docs/ /d/\n",
            "FROM alpine\nCOPY --exclude=*.txt docs/ /d/\n"
        ),
        "1c 2i"
    );
    // Wildcards are per path segment (no `**`): `*.txt` does not reach into directories.
    let an = analysis("FROM alpine\nCOPY *.txt /t/\n");
    assert_eq!(compact(&an, &an.changed_context_file("a.txt")), "1c 2i");
    assert_eq!(compact(&an, &an.changed_context_file("d/a.txt")), "1c 2c");
}

#[test]
fn dockerignore_and_dockerfile_in_context() {
    let options = CacheOptions {
        ignore: Some(Arc::new(IgnoreFile::parse("*.md\n!KEEP.md\n"))),
        dockerfile_in_context: Some("Dockerfile".into()),
        ..CacheOptions::default()
    };
    let text = "FROM alpine\nCOPY . /src\n";
    let an = with(text, &options);
    let impact = an.changed_context_file("README.md");
    assert_eq!(compact(&an, &impact), "1c 2c");
    assert!(
        impact.notes[0].contains("'*.md' (line 1)"),
        "{:?}",
        impact.notes
    );
    assert_eq!(compact(&an, &an.changed_context_file("KEEP.md")), "1c 2i");
    assert_eq!(
        compact(&an, &an.changed_context_file("./sub/../x")),
        "1c 2i"
    );
    // Any edit of the file, even a comment, changes the copied Dockerfile.
    let edited = with("# comment\nFROM alpine\nCOPY . /src\n", &options);
    let impact = CacheAnalysis::diff(&an, &edited);
    assert_eq!(compact(&edited, &impact), "2c 3i");
    assert!(impact.steps[1].reason.contains("Dockerfile"));
    assert_eq!(
        compact(&edited, &edited.impact(&[Change::EditLine(0)])),
        "2c 3i"
    );
}

#[test]
fn diff_insertions_and_moves() {
    let old = "FROM alpine\nRUN a\nRUN b\nFROM alpine AS x\nRUN c\n";
    let new = "FROM alpine\nRUN a\nRUN new\nRUN b\nFROM alpine AS x\nRUN c\n";
    let (o, n) = (analysis(old), analysis(new));
    let impact = CacheAnalysis::diff(&o, &n);
    assert_eq!(compact(&n, &impact), "1n 2n 3n 4n 5c 6c");
    // Stage renamed along with its uses: the same LLB, so all cached.
    let old = "FROM alpine AS build\nRUN make\nFROM alpine\nCOPY --from=build /o /o\n";
    let new = "FROM alpine AS builder\nRUN make\nFROM alpine\nCOPY --from=builder /o /o\n";
    assert_eq!(diff(old, new), "1c 2c 3c 4c");
    // Reading another stage: cached only if its files are identical. (Stage b was not
    // needed before, so it is built now; a is no longer needed.)
    let old =
        "FROM alpine AS a\nRUN a\nFROM alpine AS b\nRUN b\nFROM alpine\nCOPY --from=a /o /o\n";
    let new = old.replace("--from=a", "--from=b");
    assert_eq!(diff(old, &new), "1n 2n 3c 4i 5c 6k");
    let both = "FROM alpine AS a\nRUN a\nFROM alpine AS b\nRUN b\nFROM alpine\nCOPY --from=a /o /o\nCOPY --from=b /p /p\n";
    let (o, n) = (
        analysis(both),
        analysis(&both.replace("--from=a /o", "--from=b /o")),
    );
    let impact = CacheAnalysis::diff(&o, &n);
    assert_eq!(compact(&n, &impact), "1n 2n 3c 4c 5c 6k 7k");
    assert!(impact.steps[5].reason.contains("different stage"));
    // A step inserted in the middle of the target stage.
    let old = "FROM alpine\nRUN a\nRUN b\n";
    let new = "FROM alpine\nRUN a\nRUN new\nRUN b\n";
    let (o, n) = (analysis(old), analysis(new));
    let impact = CacheAnalysis::diff(&o, &n);
    assert_eq!(compact(&n, &impact), "1c 2c 3i 4i");
    assert!(impact.steps[2].reason.contains("new step"));
    assert!(impact.steps[3].reason.contains("line 3"));
    // The base image text changed.
    let (o, n) = (
        analysis("FROM node:20\nRUN x\n"),
        analysis("FROM node:22\nRUN x\n"),
    );
    let impact = CacheAnalysis::diff(&o, &n);
    assert_eq!(compact(&n, &impact), "1i 2i");
    assert!(impact.steps[0].reason.contains("node:20 to node:22"));
}

#[test]
fn base_digest() {
    let text = "FROM node:20 AS a\nRUN a\nFROM alpine\nCOPY --from=node:20 /x /x\nRUN --mount=from=a,target=/m b\n";
    let an = analysis(text);
    assert_eq!(compact(&an, &an.new_base_digest(0)), "1i 2i 3c 4k 5k");
    let pinned = analysis("FROM alpine@sha256:0123\nRUN x\n");
    let impact = pinned.new_base_digest(0);
    assert!(impact.notes[0].contains("pinned"));
    let scratch = analysis("FROM scratch\nCOPY a /a\n");
    assert!(scratch.new_base_digest(0).notes[0].contains("not start from an image"));
}

#[test]
fn remote_sources() {
    let text = "FROM alpine\nADD https://example.com/x.tgz /x\nADD https://github.com/a/b.git#main /b\nADD https://github.com/a/b.git#0123456789abcdef0123456789abcdef01234567 /c\n";
    let an = analysis(text);
    assert_eq!(compact(&an, &an.rebuild()), "1c 2v 3v 4v");
    let an = analysis(
        "FROM alpine\nADD https://github.com/a/b.git#0123456789abcdef0123456789abcdef01234567 /c\nRUN x\n",
    );
    assert_eq!(compact(&an, &an.rebuild()), "1c 2c 3c");
}

#[test]
fn several_changes_are_one_rebuild() {
    let text = "FROM alpine\nARG V=1\nCOPY a /a\nRUN x\nFROM alpine AS other\nCOPY b /b\n";
    let an = analysis(text);
    let impact = an.impact(&[Change::BuildArg("V"), Change::ContextFile("b")]);
    assert_eq!(compact(&an, &impact), "1n 3n 4n 5c 6i");
    let an = with(
        text,
        &CacheOptions {
            build: crate::model::Options {
                target: Some("0".into()),
                ..Default::default()
            },
            ..Default::default()
        },
    );
    assert!(an.target().is_none(), "--target is a stage name");
}

#[test]
fn summary_for_lenses() {
    let an = analysis(
        "FROM alpine AS build\nRUN a\nRUN b\nFROM alpine AS final\nCOPY --from=build /o /o\nRUN c\n",
    );
    let impact = an.what_if_edit(1);
    assert_eq!(
        impact.summary(&an),
        "4 steps rebuild (lines 2–6, stages build, final)"
    );
    assert_eq!(
        an.what_if_edit(5).summary(&an),
        "1 step rebuilds (line 6, stage final)"
    );
}

#[test]
fn reordered_steps() {
    let (o, n) = (
        analysis("FROM alpine\nRUN a\nRUN b\n"),
        analysis("FROM alpine\nRUN b\nRUN a\n"),
    );
    let impact = CacheAnalysis::diff(&o, &n);
    assert_eq!(compact(&n, &impact), "1c 2i 3i");
}

mod prop {
    use proptest::prelude::*;

    use super::*;

    /// Lines that exercise every instruction the engine looks at, broken ones included.
    const LINES: &[&str] = &[
        "FROM alpine AS a",
        "FROM a AS b",
        "FROM $BASE",
        "FROM --platform=$BUILDPLATFORM node:20",
        "FROM scratch",
        "FROM",
        "ARG BASE=alpine",
        "ARG X",
        "ARG HTTP_PROXY",
        "ENV X=1 Y=$X",
        "ENV Z ${X:-w}",
        "RUN echo $X",
        "RUN [\"sh\", \"-c\", \"x\"]",
        "RUN --mount=type=cache,target=/c,id=$X echo",
        "RUN --mount=type=bind,from=a,source=/o,target=rel echo",
        "RUN --mount=type=secret,id=s --network=none echo",
        "RUN --mount=\"type=bind,source=a,b\" x",
        "RUN <<EOF",
        "RUN <<-EOF cat",
        "#!/bin/sh",
        "echo body",
        "EOF",
        "COPY . .",
        "COPY --from=a /x /y",
        "COPY --from=0 /x /y",
        "COPY --link --chmod=755 a b/",
        "COPY --parents --exclude=*.md ./src/./**/*.go /out/",
        "COPY <<EOF /f",
        "COPY",
        "ADD https://example.com/a.tgz /",
        "ADD --checksum=sha256:00 https://example.com/b /",
        "ADD git@github.com:a/b.git#main /g",
        "WORKDIR /app/",
        "WORKDIR rel/$X",
        "WORKDIR /",
        "USER $X",
        "SHELL [\"/bin/bash\", \"-c\"]",
        "ONBUILD RUN echo t",
        "ONBUILD ENV T=1",
        "ONBUILD COPY --from=a /x /x",
        "ONBUILD WORKDIR /t",
        "LABEL a=b",
        "CMD x",
        "# syntax=docker/dockerfile:1",
        "# escape=`",
        "# comment",
        "",
        "RUN a \\",
        "  b",
        "ünïcödé \u{1F600}",
    ];

    fn dockerfile() -> impl Strategy<Value = String> {
        proptest::collection::vec(0..LINES.len(), 0..24)
            .prop_map(|v| v.iter().map(|&i| LINES[i]).collect::<Vec<_>>().join("\n"))
    }

    fn check(an: &CacheAnalysis, impact: &Impact) {
        assert_eq!(impact.steps.len(), an.steps().len());
        for s in &impact.steps {
            let step = &an.steps()[s.step];
            assert_eq!(
                s.status == Status::NotBuilt,
                !an.stages()[step.stage].reachable
            );
            assert!(!s.reason.is_empty());
            let _ = impact.summary(an);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        #[test]
        fn never_panics(old in dockerfile(), new in dockerfile(), cut in 0usize..400, insert in "[a-z$ \\\\\n=-]{0,4}") {
            // Also an arbitrary text edit of the new version.
            let mut edited = new.clone();
            let at = edited.char_indices().map(|(i, _)| i).nth(cut).unwrap_or(edited.len());
            edited.insert_str(at, &insert);
            let options = CacheOptions {
                dockerfile_in_context: Some("Dockerfile".into()),
                ignore: Some(Arc::new(IgnoreFile::parse("*.md\n"))),
                ..CacheOptions::default()
            };
            let o = with(&old, &options);
            for text in [&new, &edited] {
                let n = with(text, &options);
                check(&n, &CacheAnalysis::diff(&o, &n));
                check(&n, &n.rebuild());
                for e in 0..n.entries.len() {
                    check(&n, &n.what_if_edit(e));
                }
                for line in 0..n.line_count() + 1 {
                    check(&n, &n.impact(&[Change::EditLine(line)]));
                }
                for s in 0..n.stages().len() + 1 {
                    check(&n, &n.new_base_digest(s));
                }
                for name in ["X", "BASE", "HTTP_PROXY", "SOURCE_DATE_EPOCH", "BUILDKIT_CACHE_MOUNT_NS"] {
                    check(&n, &n.changed_build_arg(name));
                }
                for path in ["a", "src/x/y.go", "README.md", "", "../x", "/abs"] {
                    check(&n, &n.changed_context_file(path));
                }
                // A version compared with itself changes nothing.
                let same = CacheAnalysis::diff(&n, &n);
                for s in &same.steps {
                    prop_assert!(matches!(s.status, Status::Cached | Status::Volatile | Status::NotBuilt), "{:?}", s);
                }
            }
        }
    }
}

#[test]
fn ignore_file_edit_is_conservative() {
    let options = CacheOptions {
        ignore: Some(Arc::new(IgnoreFile::parse("*.md\n.dockerignore\n"))),
        ignore_file_in_context: Some(".dockerignore".into()),
        ..CacheOptions::default()
    };
    let an = with(
        "FROM alpine\nCOPY src/ /src/\nRUN x\nCOPY --from=alpine /etc /e\n",
        &options,
    );
    let impact = an.changed_context_file(".dockerignore");
    assert_eq!(compact(&an, &impact), "1c 2k 3k 4k");
    assert!(
        impact
            .notes
            .iter()
            .any(|n| n.contains("decides which files"))
    );
}

#[test]
fn identical_ops_are_one_vertex_only_with_the_same_inputs() {
    // Two stages with the same FROM and RUN are one vertex in BuildKit: moving the RUN into
    // the other stage keeps it cached.
    let old = "FROM alpine AS a\nRUN make\nFROM alpine\nCOPY --from=a /o /o\n";
    let new = "FROM alpine AS a\nRUN other\nFROM alpine AS b\nRUN make\nFROM alpine\nCOPY --from=b /o /o\n";
    assert_eq!(diff(old, new), "1n 2n 3c 4c 5c 6c");
    // Same selectors from different sources are different ops.
    let text =
        "FROM alpine AS a\nRUN a\nFROM alpine\nCOPY --from=a /x /y\nCOPY --from=alpine:3 /x /y\n";
    assert_eq!(diff(text, text), "1c 2c 3c 4c 5c");
}

#[test]
fn short_labels() {
    let (o, n) = (
        analysis("FROM alpine\nENV APP_ENV=prod\nRUN x\nRUN y\n"),
        analysis("FROM alpine\nENV APP_ENV=staging\nRUN x\nRUN y\n"),
    );
    let impact = CacheAnalysis::diff(&o, &n);
    let labels: Vec<String> = impact.steps.iter().map(|s| s.label(&n)).collect();
    assert_eq!(
        labels,
        [
            "",
            "⟳ rebuilds: ENV APP_ENV on line 2 changed",
            "⟳ rebuilds: ENV APP_ENV on line 2 changed"
        ]
    );
}

#[test]
fn from_numbers() {
    // COPY --from=0 is the first stage; a mount's from=0 is an image called "0".
    let text = "FROM alpine AS a\nRUN a\nFROM alpine\nCOPY --from=0 /x /x\nRUN --mount=from=0,target=/m y\n";
    let an = analysis(text);
    assert_eq!(compact(&an, &an.what_if_edit(1)), "1c 2i 3c 4k 5k");
    let an = analysis("FROM alpine AS a\nRUN a\nFROM alpine\nRUN --mount=from=0,target=/m y\n");
    assert_eq!(compact(&an, &an.what_if_edit(1)), "1n 2n 3c 4c");
}
