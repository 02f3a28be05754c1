use super::*;
use crate::ide::nav_fixture::{fixture, mark};

/// Hover at `$0`: its range must be the `«…»` one; returns the markdown.
#[track_caller]
fn hover_at(src: &str) -> String {
    let f = fixture(src);
    let h = hover(&f.parse, &f.model, f.offset).expect("a hover");
    assert_eq!(mark(&f.text, &[h.range]), src.replace("$0", ""));
    h.markdown
}

#[track_caller]
fn contains(md: &str, parts: &[&str]) {
    for p in parts {
        assert!(md.contains(p), "missing {p:?} in:\n{md}");
    }
}

#[track_caller]
fn no_hover(src: &str) {
    let f = fixture(src);
    assert_eq!(hover(&f.parse, &f.model, f.offset), None);
}

#[test]
fn variable_values_and_their_origins() {
    let md = hover_at("ARG TAG=3.20\nFROM alpine:${«T$0AG»}\n");
    contains(
        &md,
        &[
            "**ARG** `TAG`",
            "Value here: `3.20` (default).",
            "```dockerfile\nARG TAG=3.20\n```\nDefined on line 1.",
        ],
    );
    let md = hover_at("ARG TAG=3.20\nFROM alpine\nARG TAG\nRUN echo $«T$0AG»\n");
    contains(
        &md,
        &[
            "Value here: `3.20`, the default of the global ARG on line 1.",
            "Defined on line 3; the value comes from line 1.",
        ],
    );
    let md = hover_at("FROM alpine\nARG MODE=dev\nENV MODE=prod\nRUN echo $«MO$0DE»\n");
    contains(
        &md,
        &[
            "**ENV** `MODE`",
            "Value here: `prod` (ENV value).",
            "line 3",
        ],
    );
    let md = hover_at("FROM alpine\nARG TOKEN\nRUN echo $«TOK$0EN»\n");
    contains(
        &md,
        &[
            "Unset here — declared on line 2 without a default",
            "--build-arg TOKEN=…",
        ],
    );
    let md = hover_at("FROM --platform=$«BUILD$0PLATFORM» alpine\n");
    contains(
        &md,
        &[
            "**predefined** `BUILDPLATFORM`",
            "`linux/amd64` (predefined)",
            "automatic-platform-args",
        ],
    );
    let md = hover_at("FROM node:20\nRUN echo $«HO$0ME»\n");
    contains(&md, &["from the base image `node:20` (unknown here)"]);
    let md = hover_at("FROM scratch\nRUN echo $«HO$0ME»\n");
    contains(&md, &["Not defined here."]);
    let md = hover_at("ARG V=1\nFROM alpine\nRUN echo $«$0V»\n");
    contains(
        &md,
        &[
            "global ARG on line 1 is only seen by `FROM` lines",
            "Add `ARG V`",
        ],
    );
    let md = hover_at("FROM alpine\nARG V=1\nCMD echo $«V$0»\n");
    contains(&md, &["the ARG on line 2 exists only while building"]);
    let md = hover_at("FROM alpine\nRUN echo $«PA$0TH»\n");
    contains(&md, &["BuildKit's default `PATH`"]);
}

#[test]
fn from_build_arg() {
    let text = "ARG V=1\nFROM alpine:$V\n";
    let parse = crate::syntax::parse(text);
    let mut options = crate::model::Options::default();
    options.build_args.insert("V".into(), "9".into());
    let model = Model::new(&parse, &options);
    let h = hover(&parse, &model, TextSize::from(21)).expect("hover");
    contains(&h.markdown, &["Value here: `9` (from `--build-arg`)."]);
}

#[test]
fn variable_definitions() {
    let md = hover_at("ARG «V$0ER»=1.2\n");
    contains(
        &md,
        &[
            "**global ARG** `VER`",
            "Value: `1.2`.",
            "declare `ARG VER` again",
        ],
    );
    let md = hover_at("ARG VER=1.2\nFROM alpine\nARG «V$0ER»\n");
    contains(
        &md,
        &["Value: `1.2`, the default of the global ARG on line 1."],
    );
    let md = hover_at("FROM alpine\nARG «V$0ER»\n");
    contains(
        &md,
        &["No default: unset unless passed with `--build-arg VER=…`."],
    );
    let md = hover_at("FROM alpine\nENV A=x\nENV «B$0»=${A}-y\n");
    contains(&md, &["**ENV** `B`", "Value: `x-y` (from `${A}-y`)."]);
    let md = hover_at("FROM alpine\nARG «TARGET$0ARCH»\n");
    contains(
        &md,
        &["Value: `amd64`", "Architecture part of `TARGETPLATFORM`"],
    );
}

#[test]
fn stage_chain_and_image_config() {
    let src = "FROM node:20 AS build
WORKDIR /src
ENV NODE_ENV=production
FROM build AS «fi$0nal»
USER node
EXPOSE 3000 53/udp
LABEL org.opencontainers.image.title=\"app\"
CMD [\"node\", \"server.js\"]
HEALTHCHECK CMD curl -f http://localhost:3000/ || exit 1
";
    let md = hover_at(src);
    assert_eq!(
        md,
        r#"**stage** `final` (index 1, line 4)

`final ← build ← node:20`

```json
{
  "User": "node",
  "ExposedPorts": {"3000/tcp": {}, "53/udp": {}},
  "Env": ["NODE_ENV=production"],
  "Cmd": ["node", "server.js"],
  "Healthcheck": {
    "Test": ["CMD-SHELL", "curl -f http://localhost:3000/ || exit 1"]
  },
  "WorkingDir": "/src",
  "Labels": {"org.opencontainers.image.title": "app"}
}
```

Fields not shown, and any further `Env`, come from `node:20` (not inspected here).
"#
    );
    // The same on a reference.
    let md = hover_at("FROM alpine AS a\nFROM scratch\nCOPY --from=«$0a» /x /x\n");
    contains(&md, &["**stage** `a` (index 0, line 1)", "`a ← alpine`"]);
    assert!(!md.contains("Not needed"));
    let md = hover_at("FROM alpine AS «a$0»\nFROM scratch\n");
    contains(&md, &["Not needed to build the target stage."]);
    // Scratch: everything is known, PATH included.
    let md = hover_at(
        "FROM scratch AS «m$0in»\nENTRYPOINT [\"/app\"]\nSTOPSIGNAL SIGINT\nVOLUME /data\nSHELL [\"/bin/ash\", \"-c\"]\n",
    );
    contains(
        &md,
        &[
            "\"Env\": [\n    \"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\"\n  ]",
            "\"Cmd\": null",
            "\"Entrypoint\": [\"/app\"]",
            "\"StopSignal\": \"SIGINT\"",
            "\"Volumes\": {\"/data\": {}}",
            "\"Shell\": [\"/bin/ash\", \"-c\"]",
        ],
    );
    assert!(!md.contains("not inspected"));
    // By index.
    let md = hover_at("FROM alpine\nFROM scratch\nCOPY --from=«1$0» /x /x\n");
    contains(
        &md,
        &[
            "**stage** `stage 1` (index 1, line 2)",
            "`stage 1 ← scratch`",
            "PATH=",
        ],
    );
    let md = hover_at("FROM alpine\nCOPY --from=«5$0» /x /x\n");
    contains(&md, &["There is no stage 5 in this file (it has 1)."]);
}

#[test]
fn images() {
    let md = hover_at("ARG TAG=3.20\nFROM «alpine:$$0{TAG}»\n");
    // The cursor is on `$`, which is part of the use's full range but not its name.
    contains(
        &md,
        &[
            "**image** `alpine:3.20`",
            "Pulled as `docker.io/library/alpine:3.20`.",
            "[Open on Docker Hub](https://hub.docker.com/_/alpine)",
            "`alpine:${TAG}` expands to `alpine:3.20`.",
        ],
    );
    let md = hover_at("FROM alpine\nCOPY --from=«ngi$0nx:1» /a /a\n");
    contains(&md, &["**image** `nginx:1`", "Not a stage of this file"]);
    let md = hover_at("FROM «lat$0er»\nFROM alpine AS later\n");
    contains(
        &md,
        &["Not the stage `later` on line 2: `FROM` only refers to stages defined above it"],
    );
    let md = hover_at("FROM alpine AS build\nFROM «Bu$0ild»\n");
    contains(
        &md,
        &[
            "**image** `Build`",
            "Not a valid image reference.",
            "compares stage names exactly",
        ],
    );
    let md = hover_at("FROM «scr$0atch»\n");
    contains(&md, &["The empty image"]);
    let md = hover_at("FROM «$0${NOPE}»\n");
    contains(
        &md,
        &["Cannot be determined: base name (${NOPE}) should not be blank."],
    );
}

#[test]
fn heredocs() {
    let md = hover_at("FROM alpine\nRUN <<«E$0OF»\necho hi\necho there\nEOF\n");
    contains(
        &md,
        &[
            "**heredoc** `EOF`",
            "Body: lines 3–4.",
            "Run as the script",
            "the shell expands",
        ],
    );
    let md = hover_at("FROM alpine\nRUN python3 <<-'«P$0Y»'\n\tprint(1)\n\tPY\n");
    contains(
        &md,
        &["Body: line 3.", "standard input", "`<<-`", "not expanded"],
    );
    let md = hover_at("FROM alpine\nCOPY <<«cfg$0»  /etc/app.conf\nx=1\ncfg\n");
    contains(&md, &["Written as a file", "BuildKit expands"]);
}

#[test]
fn keywords_flags_and_mounts() {
    let md = hover_at("FROM alpine\n«c$0opy» --from=a /x /y\n");
    contains(
        &md,
        &[
            "**COPY** —",
            "```dockerfile\nCOPY [",
            "https://docs.docker.com/reference/dockerfile/#copy",
        ],
    );
    let md = hover_at("FROM alpine\nONBUILD «R$0UN» echo\n");
    contains(&md, &["**RUN** —"]);
    let md = hover_at("FROM alpine\n«ONBU$0ILD» RUN echo\n");
    contains(&md, &["**ONBUILD** —"]);
    let md = hover_at("FROM alpine\nCOPY «--ch$0own=1:1» a b\n");
    contains(
        &md,
        &["**COPY** `--chown=", "since 1.0", "[Dockerfile reference]"],
    );
    let md = hover_at("FROM alpine\nRUN --network=«ho$0st» true\n");
    contains(&md, &["`--network=host`:", "**RUN** `--network="]);
    let md = hover_at("FROM alpine\nCOPY «--nope$0=1» a b\n");
    contains(&md, &["**unknown flag** `--nope` for `COPY`", "`--from`"]);
    let md = hover_at("FROM alpine\nRUN --mount=type=cache,«tar$0get»=/c true\n");
    contains(
        &md,
        &[
            "**mount option** `target` (also `dst`, `destination`)",
            "#run---mounttype",
        ],
    );
    let md = hover_at("FROM alpine\nRUN --mount=type=«ca$0che»,target=/c true\n");
    contains(&md, &["**mount type** `cache`", "Required keys: `target`."]);
    let md = hover_at("FROM alpine\nRUN --mount=type=cache,target=/c,sharing=«loc$0ked» true\n");
    contains(&md, &["`sharing=locked`:", "**mount option** `sharing`"]);
    let md = hover_at("FROM alpine\nRUN «--mo$0unt=type=cache,target=/c» true\n");
    contains(
        &md,
        &[
            "**RUN** `--mount=",
            "Types: `bind`, `cache`, `tmpfs`, `secret`, `ssh`.",
        ],
    );
}

#[test]
fn directives_and_rules() {
    let md = hover_at("# «syn$0tax»=docker/dockerfile:1.7-labs\nFROM alpine\n");
    contains(&md, &["**# syntax=**", "frontend 1.7 (labs)", "#syntax"]);
    let md = hover_at("# check=skip=«JSONArgs$0Recommended»,StageNameCasing\nFROM alpine\n");
    contains(&md, &["**JSONArgsRecommended**", "Rule reference"]);
    let md = hover_at("# «esc$0ape»=`\nFROM alpine\n");
    contains(&md, &["**# escape=**"]);
}

#[test]
fn nothing_to_say() {
    // Inside a multi-byte character of a directive's value.
    let f = fixture("# check=skip=建\nFROM alpine\n");
    for offset in 13..17 {
        let _ = hover(&f.parse, &f.model, TextSize::from(offset));
    }
    no_hover("FROM alpine\nRUN ec$0ho hi\n");
    no_hover("# a comm$0ent\nFROM alpine\n");
    no_hover("FROM alpine\n\n$0\n");
    no_hover("");
}

#[test]
fn cjk_and_emoji() {
    let md = hover_at("FROM alpine\nARG APP_HOME=/建置\nRUN echo \"建置階段😀\" $«APP_HO$0ME»\n");
    contains(&md, &["Value here: `/建置` (default)."]);
    let md = hover_at("FROM alpine AS «建$0置»\nENV 名=😀\n");
    contains(&md, &["\"Env\": [\"名=😀\"]"]);
}
