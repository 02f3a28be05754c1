use super::*;
use crate::ide::nav_fixture::{expected, fixture, mark};

/// Highlights at `$0` must be exactly the `«…»` ranges.
#[track_caller]
fn check_highlights(src: &str) {
    let f = fixture(src);
    let got: Vec<TextRange> = highlights(&f.parse, &f.model, f.offset)
        .iter()
        .map(|h| h.range)
        .collect();
    assert_eq!(mark(&f.text, &got), expected(src));
}

/// The definition targets' focus ranges at `$0` must be exactly the `«…»` ranges.
#[track_caller]
fn check_definition(src: &str) {
    let f = fixture(src);
    let got: Vec<TextRange> = definition(&f.parse, &f.model, f.offset)
        .map(|d| d.targets.iter().map(|t| t.focus_range).collect())
        .unwrap_or_default();
    assert_eq!(mark(&f.text, &got), expected(src));
}

#[test]
fn stage_occurrences_in_every_kind_of_reference() {
    let src = "FROM node:20 AS «bu$0ild»
RUN make
FROM «build» AS test
COPY --from=«BUILD» /out /out
RUN --mount=type=cache,target=/c,from=«build» true
ONBUILD COPY --from=«Build» /x /x
COPY --from=«0» /y /y
";
    check_highlights(src);
    // From any occurrence, the same set.
    check_highlights(&src.replace("$0", "").replace("«BUILD»", "«BU$0ILD»"));
    check_highlights(&src.replace("$0", "").replace("«0»", "«0$0»"));
    let f = fixture(src);
    let kinds: Vec<_> = highlights(&f.parse, &f.model, f.offset)
        .iter()
        .map(|h| h.kind)
        .collect();
    assert_eq!(kinds[0], HighlightKind::Write);
    assert!(kinds[1..].iter().all(|k| *k == HighlightKind::Read));
}

#[test]
fn forward_copy_from_is_a_reference_but_forward_from_is_an_image() {
    // BuildKit resolves `COPY --from` against all stages (later ones too); `FROM` only sees
    // earlier stages, so the first `FROM later` pulls an image called `later`.
    check_highlights(
        "FROM alpine AS first
COPY --from=«later» /a /a
FROM later
FROM alpine AS «la$0ter»
FROM «later» AS again
",
    );
    check_definition(
        "FROM alpine AS first
COPY --from=la$0ter /a /a
FROM alpine AS «later»
",
    );
    // On the image `FROM later` there is nothing to go to.
    check_definition("FROM alpine AS first\nFROM lat$0er\nFROM alpine AS later\n");
}

#[test]
fn from_matches_exactly_copy_from_case_insensitively() {
    check_highlights(
        "FROM alpine AS «Bu$0ild»
FROM Build
FROM «build»
COPY --from=«BUILD» /a /a
",
    );
}

#[test]
fn definition_of_stage_references() {
    check_definition("FROM alpine AS «build»\nFROM bu$0ild\n");
    check_definition("FROM alpine AS «build»\nFROM scratch\nCOPY --from=BU$0ILD /a /a\n");
    check_definition(
        "FROM alpine AS «build»\nFROM scratch\nRUN --mount=from=build$0,target=/m true\n",
    );
    check_definition("FROM alpine AS «build»\nONBUILD COPY --from=$0build /a /a\n");
    // An unnamed stage reached by index: the FROM keyword.
    check_definition("«FROM» alpine\nFROM scratch\nCOPY --from=$00 /a /a\n");
    // An index past the last stage, and an image, go nowhere.
    check_definition("FROM alpine\nCOPY --from=$07 /a /a\n");
    check_definition("FROM alpine\nCOPY --from=$0nginx:1 /a /a\n");
}

#[test]
fn definition_on_a_definition_is_itself() {
    check_definition("FROM alpine AS «bu$0ild»\n");
    check_definition("FROM alpine\nENV «A$0»=1\n");
}

#[test]
fn global_args_and_redeclarations() {
    let src = "ARG «VER$0SION»=3.20
FROM alpine:${«VERSION»}
RUN echo $VERSION_NOT
ARG «VERSION»
RUN echo $«VERSION» \"${«VERSION»:-x}\"
FROM alpine
ARG «VERSION»
";
    check_highlights(src);
    // A use after the re-declaration goes to it, then to the global that gives the value.
    check_definition(
        "ARG «VERSION»=3.20
FROM alpine
ARG «VERSION»
RUN echo $VER$0SION
",
    );
    // On the re-declaration itself: the global.
    check_definition("ARG «V»=1\nFROM alpine\nARG V$0\n");
    // In FROM: the global.
    check_definition("ARG «TAG»=1\nFROM alpine:$T$0AG\n");
}

#[test]
fn global_arg_is_invisible_in_a_stage_until_redeclared() {
    // `$V` in the RUN does not see the global: it is another (undefined) variable.
    check_highlights("ARG V=1\nFROM alpine\nRUN echo $«V$0» $«V»\nARG V\nRUN echo $V\n");
}

#[test]
fn env_shadows_arg_and_children_inherit() {
    check_highlights(
        "FROM alpine AS base
ARG «MODE»=dev
ENV «MODE»=$«MODE$0»
FROM base
RUN echo $«MODE»
CMD echo $«MODE»
FROM alpine
ENV MODE=other
",
    );
}

#[test]
fn uses_in_shell_run_heredocs_and_flags() {
    check_highlights(
        "FROM alpine
ARG «DIR$0»=/app
WORKDIR $«DIR»
RUN --mount=type=cache,target=$«DIR»/cache echo '$DIR' \"$«DIR»\" \\
    && ls ${«DIR»}
RUN <<EOF
cd $«DIR»
EOF
COPY <<'RAW' /x
$DIR
RAW
COPY --chown=$«DIR» <<BODY /y
${«DIR»}
BODY
",
    );
}

#[test]
fn unresolved_variables_highlight_their_namesakes() {
    check_highlights(
        "FROM alpine
RUN echo $«HO$0ME»
ENV X=$«HOME»
FROM alpine AS other
RUN echo $«HOME»
",
    );
    check_definition("FROM alpine\nRUN echo $HO$0ME\n");
}

#[test]
fn heredoc_delimiters() {
    check_highlights("FROM alpine\nRUN <<«E$0OF» cat\nhello EOF\n«EOF»\nRUN <<EOF\nEOF\n");
    check_highlights("FROM alpine\nRUN <<-«END»\n\techo\n\t«E$0ND»\n");
    check_highlights("FROM alpine\nCOPY <<\"«DO$0C»\" /x\n$NOT\n«DOC»\n");
    check_highlights("FROM alpine\nRUN 3<<'«A»' cat <<B\na\n«A$0»\nb\nB\n");
    check_definition("FROM alpine\nRUN <<-«END»\n\techo\n\tE$0ND\n");
    check_definition("FROM alpine\nCOPY <<\"«DOC»\" /x\nx\nD$0OC\n");
}

#[test]
fn cjk_and_emoji_keep_byte_ranges_right() {
    check_highlights(
        "FROM alpine AS 建置
ARG «APP_HOME»=/app
RUN echo \"建置階段😀\" $«APP_HOME$0»
COPY --from=建置 /a /a
",
    );
    check_highlights(
        "FROM alpine AS «bu$0ild»
COPY --from=«build» /😀 /建置階段😀
RUN --mount=from=«build»,target=/建置 echo 😀
",
    );
    check_definition(
        "ARG «APP_HOME»=/srv
FROM alpine
ARG «APP_HOME»
RUN echo \"建置階段😀\" $APP_HO$0ME \\
    \"😀\" ${APP_HOME}
",
    );
}

#[test]
fn cursor_at_the_end_of_a_name_and_between_names() {
    check_highlights("FROM alpine\nARG A=1 «B»=2\nRUN echo $A$«B$0»\n");
    check_highlights("FROM alpine\nARG «A»=1 B=2\nRUN echo $«A$0»$B\n");
    // Outside any name: nothing.
    check_highlights("FROM alpine\nRUN e$0cho\n");
    check_highlights("# comm$0ent\nFROM alpine\n");
}

#[test]
fn references_with_and_without_declaration() {
    let f = fixture("FROM alpine AS b$0\nFROM b\nCOPY --from=b /a /a\n");
    let all = references(&f.parse, &f.model, f.offset, true);
    let uses = references(&f.parse, &f.model, f.offset, false);
    assert_eq!(all.len(), 3);
    assert_eq!(uses, all[1..]);
}

#[test]
fn ordered_indexes() {
    // The binary searches rely on the model's lists being ordered by instruction.
    let f = fixture(
        "ARG A=1\nFROM x:$A AS one\nONBUILD COPY --from=one /a /a\nENV B=$A\nCOPY --from=two /b /b\nFROM one AS two\nRUN echo $B\n",
    );
    assert!(f.model.var_uses.is_sorted_by_key(|u| u.entry));
    assert!(f.model.var_defs.is_sorted_by_key(|d| d.entry));
    assert!(f.model.stage_refs.is_sorted_by_key(|r| r.entry));
}

#[test]
fn crlf_line_endings() {
    check_highlights("FROM alpine\r\nRUN <<«E$0OF»\r\nx\r\n«EOF»\r\n");
    check_highlights("FROM alpine AS «b$0»\r\nARG A=1\r\nFROM «b»\r\n");
    check_highlights("FROM alpine\r\nARG «A$0»=1\r\nRUN echo $«A» \\\r\n  ${«A»}\r\n");
}
