use super::*;
use crate::ide::nav_fixture::fixture;
use crate::syntax::TextSize;

/// `line:column` (1-based line, 0-based byte column) of an offset.
fn pos(text: &str, offset: TextSize) -> String {
    let before = &text[..usize::from(offset)];
    let line = before.matches('\n').count() + 1;
    let col = before.len() - before.rfind('\n').map_or(0, |i| i + 1);
    format!("{line}:{col}")
}

fn render(text: &str, symbols: &[DocumentSymbol], depth: usize, out: &mut String) {
    for s in symbols {
        out.push_str(&format!(
            "{}{:?} {:?}{} {}-{} sel={:?}\n",
            "  ".repeat(depth),
            s.kind,
            s.name,
            s.detail
                .as_ref()
                .map(|d| format!(" ({d})"))
                .unwrap_or_default(),
            pos(text, s.range.start()),
            pos(text, s.range.end()),
            &text[s.selection_range],
        ));
        assert!(
            s.range.contains_range(s.selection_range),
            "selection outside range: {s:?}"
        );
        render(text, &s.children, depth + 1, out);
    }
}

#[track_caller]
fn check(src: &str, expected: &str) {
    let f = fixture(src);
    let mut out = String::new();
    render(&f.text, &document_symbols(&f.parse, &f.model), 0, &mut out);
    assert_eq!(out, expected, "\n{out}");
}

#[test]
fn outline_of_a_multi_stage_file() {
    check(
        "# syntax=docker/dockerfile:1
ARG NODE=20 BASE
# a comment
FROM node:${NODE} AS build
WORKDIR /src
RUN npm ci \\
    && npm run build
ENV NODE_ENV=production PORT=8080

FROM --platform=$BUILDPLATFORM alpine
COPY --from=build /src/dist /srv
RUN <<EOF
echo done
EOF
FROM build
ONBUILD ARG LATE=1
",
        r#"Directive "syntax=docker/dockerfile:1" 1:0-1:28 sel="syntax"
Instruction "ARG NODE=20 BASE" 2:0-2:16 sel="ARG"
  GlobalArg "NODE" (20) 2:4-2:11 sel="NODE"
  GlobalArg "BASE" 2:12-2:16 sel="BASE"
Stage "build (node:20)" 4:0-8:33 sel="build"
  Instruction "WORKDIR /src" 5:0-5:12 sel="WORKDIR"
  Instruction "RUN npm ci && npm run build" 6:0-7:20 sel="RUN"
  Instruction "ENV NODE_ENV=production PORT=8080" 8:0-8:33 sel="ENV"
    Env "NODE_ENV" (production) 8:4-8:23 sel="NODE_ENV"
    Env "PORT" (8080) 8:24-8:33 sel="PORT"
Stage "stage 1 (alpine)" (--platform=$BUILDPLATFORM) 10:0-14:3 sel="FROM"
  Instruction "COPY --from=build /src/dist /srv" 11:0-11:32 sel="COPY"
  Instruction "RUN <<EOF" 12:0-14:3 sel="RUN"
Stage "stage 2 (build)" 15:0-16:18 sel="FROM"
  Instruction "ONBUILD ARG LATE=1" 16:0-16:18 sel="ONBUILD"
    Arg "LATE" (1) 16:12-16:18 sel="LATE"
"#,
    );
}

#[test]
fn odd_files() {
    // Instructions before the first FROM, an unknown instruction, a bare FROM, long args.
    check(
        "RUN early\nfrom\nfrobnicate  a   b\nrun echo 0123456789012345678901234567890123456789012345678901234567890123456789\n",
        r#"Instruction "RUN early" 1:0-1:9 sel="RUN"
Stage "stage 0 (?)" 2:0-4:79 sel="from"
  Instruction "frobnicate a b" 3:0-3:17 sel="frobnicate"
  Instruction "RUN echo 0123456789012345678901234567890123…" 4:0-4:79 sel="run"
"#,
    );
    check("", "");
    check("# just a comment\n", "");
}

#[test]
fn cjk_and_emoji_ranges() {
    check(
        "FROM alpine AS 建置\nRUN echo \"建置階段😀\" $APP_HOME\nENV 名=😀\n",
        r#"Stage "建置 (alpine)" 1:0-3:12 sel="建置"
  Instruction "RUN echo \"建置階段😀\" $APP_HOME" 2:0-2:37 sel="RUN"
  Instruction "ENV 名=😀" 3:0-3:12 sel="ENV"
    Env "名" (😀) 3:4-3:12 sel="名"
"#,
    );
}

#[test]
fn workspace_symbols_across_documents() {
    let a = fixture("ARG VERSION=1\nFROM alpine AS build\nARG VERSION\nENV BUILD_DIR=/b\n");
    let b = fixture("FROM alpine AS builder\nFROM alpine\nENV VERBOSE=1\n");
    let docs = [("a", &a.parse, &a.model), ("b", &b.parse, &b.model)];
    let names = |q: &str| -> Vec<(String, &str, Option<String>)> {
        workspace_symbols(docs.iter().map(|(d, p, m)| (*d, *p, *m)), q)
            .into_iter()
            .map(|s| (s.name, s.document, s.container))
            .collect()
    };
    assert_eq!(
        names("build"),
        [
            ("build".to_string(), "a", None),
            ("builder".to_string(), "b", None),
            ("BUILD_DIR".to_string(), "a", Some("build".to_string())),
        ]
    );
    assert_eq!(
        names("vrs"),
        [
            ("VERSION".to_string(), "a", Some("global".to_string())),
            ("VERSION".to_string(), "a", Some("build".to_string())),
            ("VERBOSE".to_string(), "b", Some("stage 1".to_string())),
        ]
    );
    assert_eq!(names("").len(), 6);
    assert!(names("zzz").is_empty());
    let first = &workspace_symbols(docs.iter().map(|(d, p, m)| (*d, *p, *m)), "builder")[0];
    assert_eq!(&b.text[first.range], "builder");
    assert_eq!(first.kind, SymbolKind::Stage);
}
