use super::*;
use crate::ide::nav_fixture::{apply_edits, fixture, mark};

/// Renames the symbol at `$0` to `new` and compares the resulting text.
#[track_caller]
fn check_rename(before: &str, new: &str, after: &str) {
    let f = fixture(before);
    let edits =
        rename(&f.parse, &f.model, f.offset, new).unwrap_or_else(|e| panic!("rename refused: {e}"));
    let edits: Vec<_> = edits.into_iter().map(|e| (e.range, e.new_text)).collect();
    assert_eq!(apply_edits(&f.text, &edits), after);
}

/// The rename is refused with a message containing `needle`.
#[track_caller]
fn check_refused(before: &str, new: &str, needle: &str) {
    let f = fixture(before);
    match rename(&f.parse, &f.model, f.offset, new) {
        Err(RenameError::Refused(msg)) => assert!(msg.contains(needle), "message: {msg}"),
        other => panic!("expected a refusal containing {needle:?}, got {other:?}"),
    }
}

/// prepareRename at `$0` gives the `«…»` range, with its text as placeholder.
#[track_caller]
fn check_prepare(src: &str) {
    let f = fixture(src);
    let p = prepare_rename(&f.parse, &f.model, f.offset)
        .unwrap_or_else(|e| panic!("prepare refused: {e}"));
    assert_eq!(mark(&f.text, &[p.range]), src.replace("$0", ""));
    assert_eq!(p.placeholder, &f.text[p.range]);
}

#[test]
fn stage_rename_everywhere_but_index_references() {
    check_rename(
        "FROM node:20 AS bu$0ild
FROM build AS test
COPY --from=build /a /a
COPY --from=0 /b /b
RUN --mount=type=cache,from=build,target=/c true
ONBUILD COPY --from=build /d /d
",
        "compile",
        "FROM node:20 AS compile
FROM compile AS test
COPY --from=compile /a /a
COPY --from=0 /b /b
RUN --mount=type=cache,from=compile,target=/c true
ONBUILD COPY --from=compile /d /d
",
    );
}

#[test]
fn stage_rename_keeps_each_casing_style() {
    // From a reference; FROM references are always lower case (FROM matches exactly).
    check_rename(
        "FROM alpine AS Build
FROM build
COPY --from=BUILD /a /a
COPY --from=Build /a /a
COPY --from=bu$0ild /a /a
",
        "compile",
        "FROM alpine AS Compile
FROM compile
COPY --from=COMPILE /a /a
COPY --from=Compile /a /a
COPY --from=compile /a /a
",
    );
    // A name typed with capitals is written as typed (FROM still lower case).
    check_rename(
        "FROM alpine AS b$0\nFROM b\nCOPY --from=B /a /a\n",
        "Tools",
        "FROM alpine AS Tools\nFROM tools\nCOPY --from=Tools /a /a\n",
    );
    // A change of case only: exactly as typed (fixes StageNameCasing).
    check_rename(
        "FROM alpine AS Bu$0ild\nFROM build\nCOPY --from=BUILD /a /a\n",
        "build",
        "FROM alpine AS build\nFROM build\nCOPY --from=build /a /a\n",
    );
}

#[test]
fn forward_references_are_renamed_forward_from_is_not() {
    check_rename(
        "FROM alpine AS first
COPY --from=later /a /a
FROM later
FROM alpine AS la$0ter
FROM later
",
        "next",
        "FROM alpine AS first
COPY --from=next /a /a
FROM later
FROM alpine AS next
FROM next
",
    );
}

#[test]
fn stage_rename_validation() {
    let src = "FROM alpine AS bu$0ild\nFROM alpine AS other\nFROM build\n";
    check_refused(src, "1build", "not a valid stage name");
    check_refused(src, "my build", "not a valid stage name");
    check_refused(src, "b@d", "not a valid stage name");
    check_refused(src, "scratch", "reserved");
    check_refused(src, "Context", "reserved");
    check_refused(src, "OTHER", "already exists on line 2");
    // A later FROM / --from naming an image would be captured.
    check_refused(
        "FROM alpine AS bu$0ild\nFROM nginx\nFROM nginx\n",
        "nginx",
        "`FROM nginx` on line 2 pulls an image",
    );
    check_refused(
        "FROM alpine AS bu$0ild\nCOPY --from=Nginx /a /a\n",
        "nginx",
        "`--from=Nginx` on line 2",
    );
    check_rename(
        src,
        "Build.v2_x-y",
        "FROM alpine AS Build.v2_x-y\nFROM alpine AS other\nFROM build.v2_x-y\n",
    );
}

#[test]
fn prepare_rename_ranges_and_refusals() {
    check_prepare("FROM alpine AS «Bu$0ild»\n");
    check_prepare("FROM alpine AS build\nCOPY --from=«BUI$0LD» /a /a\n");
    check_prepare("FROM alpine AS build\nCOPY --from=\"«bui$0ld»\" /a /a\n");
    check_prepare("ARG «V$0»=1\nFROM alpine:$V\n");
    check_prepare("ARG V=1\nFROM alpine:${«V$0»:-2}\n");
    check_prepare("FROM alpine\nRUN <<-\"«EO$0F»\"\n\tx\n\tEOF\n");
    check_prepare("FROM alpine\nRUN <<-\"EOF\"\n\tx\n\t«EO$0F»\n");
    let f = fixture("FROM alpine\nFROM scratch\nCOPY --from=$00 /a /a\n");
    assert!(matches!(
        prepare_rename(&f.parse, &f.model, f.offset),
        Err(RenameError::Refused(m)) if m.contains("by index") && m.contains("line 1")
    ));
    let f = fixture("FROM alpine\nCOPY --from=ngi$0nx /a /a\n");
    assert!(matches!(
        prepare_rename(&f.parse, &f.model, f.offset),
        Err(RenameError::Refused(m)) if m.contains("not a stage")
    ));
    let f = fixture("FROM alpine\nRUN echo $HO$0ME\n");
    assert!(matches!(
        prepare_rename(&f.parse, &f.model, f.offset),
        Err(RenameError::Refused(m)) if m.contains("not defined in this file")
    ));
    let f = fixture("FROM alpine\nRUN ec$0ho\n");
    assert_eq!(
        prepare_rename(&f.parse, &f.model, f.offset),
        Err(RenameError::NoSymbol)
    );
    let f = fixture("FROM alpine\nENV X=1\nENV $X$0=2\n");
    assert!(matches!(
        prepare_rename(&f.parse, &f.model, f.offset),
        Err(RenameError::Refused(m)) if m.contains("computed")
    ));
}

#[test]
fn variable_rename_follows_buildkit_scoping() {
    check_rename(
        "ARG VER$0SION=3.20
FROM alpine:${VERSION}
ARG VERSION
RUN echo $VERSION \"${VERSION:-x}\" '$VERSION'
RUN <<EOF
echo $VERSION
EOF
RUN --mount=type=cache,id=$VERSION,target=/c true
FROM alpine AS other
ARG VERSION
ENV X=$VERSION
",
        "RELEASE",
        "ARG RELEASE=3.20
FROM alpine:${RELEASE}
ARG RELEASE
RUN echo $RELEASE \"${RELEASE:-x}\" '$VERSION'
RUN <<EOF
echo $RELEASE
EOF
RUN --mount=type=cache,id=$RELEASE,target=/c true
FROM alpine AS other
ARG RELEASE
ENV X=$RELEASE
",
    );
    // An ENV in another, unrelated stage is another variable.
    check_rename(
        "FROM alpine AS a\nENV M$0=1\nRUN echo $M\nFROM a\nCMD echo $M\nFROM alpine\nENV M=2\n",
        "MODE",
        "FROM alpine AS a\nENV MODE=1\nRUN echo $MODE\nFROM a\nCMD echo $MODE\nFROM alpine\nENV M=2\n",
    );
}

#[test]
fn variable_rename_validation() {
    let src = "FROM alpine\nARG A$0=1\nENV B=2\nRUN echo $A $B\n";
    check_refused(src, "1A", "not a valid variable name");
    check_refused(src, "A-B", "not a valid variable name");
    check_refused(src, "B", "already used on line 3");
    check_refused(src, "TARGETARCH", "predefined");
    check_refused(src, "PATH", "predefined");
    // A use of the new name that is unresolved today would be captured.
    check_refused(
        "FROM alpine\nARG A$0=1\nRUN echo $A $HOME\n",
        "HOME",
        "already used on line 3",
    );
    // A child stage sees the variable: its names count too.
    check_refused(
        "FROM alpine AS base\nARG A$0=1\nFROM base\nENV C=1\n",
        "C",
        "already used on line 4",
    );
    // ARGs anywhere: one `--build-arg` sets every ARG of a name.
    check_refused(
        "ARG V$0=1\nFROM alpine\nARG B=2\n",
        "B",
        "already a build argument (line 3)",
    );
    // Unrelated stages don't.
    check_rename(
        "FROM alpine\nARG A$0=1\nFROM alpine\nENV C=1\n",
        "C",
        "FROM alpine\nARG C=1\nFROM alpine\nENV C=1\n",
    );
    check_refused(
        "FROM alpine\nARG TARGET$0ARCH\nRUN echo $TARGETARCH\n",
        "ARCH",
        "predefined build argument",
    );
    // Same name: nothing to do.
    let f = fixture(src);
    assert_eq!(rename(&f.parse, &f.model, f.offset, "A"), Ok(Vec::new()));
}

#[test]
fn heredoc_rename() {
    check_rename(
        "FROM alpine\nRUN <<E$0OF cat\nhello\nEOF\nRUN <<EOF\nEOF\n",
        "END",
        "FROM alpine\nRUN <<END cat\nhello\nEND\nRUN <<EOF\nEOF\n",
    );
    check_rename(
        "FROM alpine\nRUN <<-EOF\n\techo\n\tE$0OF\n",
        "DONE",
        "FROM alpine\nRUN <<-DONE\n\techo\n\tDONE\n",
    );
    check_rename(
        "FROM alpine\nCOPY <<'D$0OC' /x\n$NOT\nDOC\n",
        "note.txt",
        "FROM alpine\nCOPY <<'note.txt' /x\n$NOT\nnote.txt\n",
    );
    // Mixed quoting: the delimiter is written afresh, still quoted.
    check_rename(
        "FROM alpine\nRUN <<E\"O$0F\"\nx\nEOF\n",
        "END",
        "FROM alpine\nRUN <<\"END\"\nx\nEND\n",
    );
    check_refused(
        "FROM alpine\nRUN <<E$0OF\nEND\nEOF\n",
        "END",
        "line 3 of the body",
    );
    check_refused("FROM alpine\nRUN <<E$0OF\nx\nEOF\n", "a b", "not a plain");
}

#[test]
fn rename_on_lines_with_cjk_and_emoji() {
    check_rename(
        "ARG APP_HOME=/srv
FROM alpine AS 建置
ARG APP_HOME
RUN echo \"建置階段😀\" $APP_HO$0ME \\
    \"😀\" ${APP_HOME}
COPY <<😀 /x
建置 $APP_HOME 😀
😀
",
        "ROOT",
        "ARG ROOT=/srv
FROM alpine AS 建置
ARG ROOT
RUN echo \"建置階段😀\" $ROOT \\
    \"😀\" ${ROOT}
COPY <<😀 /x
建置 $ROOT 😀
😀
",
    );
}
