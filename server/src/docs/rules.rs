//! Lint rules: BuildKit's 22 build checks, in the order of `linter/ruleset.go` (names and
//! URLs exactly as there; `since` from `git tag --contains` on the commit that added each
//! rule), followed by this project's own rules.

use super::RuleOrigin::{BuildKit, Ours};
use super::RuleSeverity::{Information, Warning};
use super::{RuleInfo, v};

pub(super) static RULES: [RuleInfo; 27] = [
    RuleInfo {
        code: "StageNameCasing",
        origin: BuildKit,
        since: v(1, 8),
        experimental: false,
        experimental_until: None,
        deprecated: false,
        flags_deprecated_syntax: false,
        default_severity: Warning,
        summary: "Stage names should be lower case.",
        doc: r#"Reports an `AS <name>` whose name contains upper-case letters.

Stage names are not case-sensitive: BuildKit lowercases them, so `AS Build` and `--from=build` are the same stage. Mixed case suggests a difference that does not exist and reads inconsistently next to the references.

**Fix:** write the name in lower case, e.g. `FROM golang:1.24 AS build`."#,
        url: "https://docs.docker.com/go/dockerfile/rule/stage-name-casing/",
    },
    RuleInfo {
        code: "FromAsCasing",
        origin: BuildKit,
        since: v(1, 8),
        experimental: false,
        experimental_until: None,
        deprecated: false,
        flags_deprecated_syntax: false,
        default_severity: Warning,
        summary: "The AS keyword should use the same case as FROM.",
        doc: r#"Reports `FROM image as name` when `FROM` is upper case, or `from image AS name` when it is lower case. Only checked when the `FROM` keyword itself is entirely upper or entirely lower case.

**Fix:** match the casing: `FROM image AS name` or `from image as name`."#,
        url: "https://docs.docker.com/go/dockerfile/rule/from-as-casing/",
    },
    RuleInfo {
        code: "NoEmptyContinuation",
        origin: BuildKit,
        since: v(1, 8),
        experimental: false,
        experimental_until: None,
        deprecated: false,
        flags_deprecated_syntax: false,
        default_severity: Warning,
        summary: "A continued instruction should not contain empty lines.",
        doc: r#"Reports a blank line inside an instruction that is continued with the escape character. BuildKit skips the line for now, but it makes the end of the instruction hard to see, and BuildKit has announced that it will become an error. Comment lines inside a continuation are fine.

**Fix:** delete the blank line, or turn it into a comment:

```dockerfile
RUN apt-get update && \
    # tools for the build
    apt-get install -y make
```"#,
        url: "https://docs.docker.com/go/dockerfile/rule/no-empty-continuation/",
    },
    RuleInfo {
        code: "ConsistentInstructionCasing",
        origin: BuildKit,
        since: v(1, 8),
        experimental: false,
        experimental_until: None,
        deprecated: false,
        flags_deprecated_syntax: false,
        default_severity: Warning,
        summary: "All instruction keywords should use the same case.",
        doc: r#"Reports a keyword in mixed case (`Run`), or in a different case from most keywords of the file (a lone `copy` among upper-case instructions). Keywords are case-insensitive, so this is purely about readability; when both cases are equally common, upper case counts as the majority.

**Fix:** write every instruction in the same case, conventionally upper case."#,
        url: "https://docs.docker.com/go/dockerfile/rule/consistent-instruction-casing/",
    },
    RuleInfo {
        code: "DuplicateStageName",
        origin: BuildKit,
        since: v(1, 8),
        experimental: false,
        experimental_until: None,
        deprecated: false,
        flags_deprecated_syntax: false,
        default_severity: Warning,
        summary: "Each stage name should be used only once.",
        doc: r#"Reports a `FROM … AS <name>` whose name an earlier stage already uses (compared case-insensitively). References such as `COPY --from=<name>` and `--target <name>` become ambiguous, which is almost never intended.

**Fix:** give every stage its own name."#,
        url: "https://docs.docker.com/go/dockerfile/rule/duplicate-stage-name/",
    },
    RuleInfo {
        code: "ReservedStageName",
        origin: BuildKit,
        since: v(1, 8),
        experimental: false,
        experimental_until: None,
        deprecated: false,
        flags_deprecated_syntax: false,
        default_severity: Warning,
        summary: "`scratch` and `context` are reserved and should not name a stage.",
        doc: r#"Reports a stage named `scratch` or `context`. Both words already have a meaning in Dockerfiles (`scratch` is the empty base image, `context` the build context), so a stage with either name confuses readers and tools alike.

**Fix:** pick another name, such as `base` or `build`."#,
        url: "https://docs.docker.com/go/dockerfile/rule/reserved-stage-name/",
    },
    RuleInfo {
        code: "JSONArgsRecommended",
        origin: BuildKit,
        since: v(1, 8),
        experimental: false,
        experimental_until: None,
        deprecated: false,
        flags_deprecated_syntax: false,
        default_severity: Warning,
        summary: "CMD and ENTRYPOINT should use the JSON (exec) form.",
        doc: r#"Reports `CMD` or `ENTRYPOINT` written in shell form. Such a command runs as a child of `/bin/sh -c`; the shell is PID 1 and does not pass signals on, so `docker stop` cannot ask the program to shut down cleanly and it is killed after the timeout. Not reported when the image has a custom `SHELL` (set in the stage or inherited from the base image).

**Fix:** use the JSON form, `CMD ["my-app", "--serve"]`. If you need shell features, move them into a script and start that in JSON form, or set `SHELL` explicitly to show the shell is intended."#,
        url: "https://docs.docker.com/go/dockerfile/rule/json-args-recommended/",
    },
    RuleInfo {
        code: "MaintainerDeprecated",
        origin: BuildKit,
        since: v(1, 8),
        experimental: false,
        experimental_until: None,
        deprecated: false,
        flags_deprecated_syntax: true,
        default_severity: Warning,
        summary: "MAINTAINER is deprecated; record the author in a label.",
        doc: r#"Reports any `MAINTAINER` instruction. It only fills the image's legacy `Author` field, which current tools do not read.

**Fix:** replace it with a label:

```dockerfile
LABEL org.opencontainers.image.authors="team@example.com"
```"#,
        url: "https://docs.docker.com/go/dockerfile/rule/maintainer-deprecated/",
    },
    RuleInfo {
        code: "UndefinedArgInFrom",
        origin: BuildKit,
        since: v(1, 8),
        experimental: false,
        experimental_until: None,
        deprecated: false,
        flags_deprecated_syntax: false,
        default_severity: Warning,
        summary: "Variables in FROM must be declared as global ARGs.",
        doc: r#"Reports a `$VAR` in a `FROM` image reference or `--platform` value that is neither a global `ARG` (declared before the first `FROM`) nor a predefined one such as `BUILDPLATFORM`. It expands to an empty string, which usually produces a wrong or invalid reference. ARGs declared inside a stage do not count for `FROM` lines. A close match is suggested when the name looks like a typo.

**Fix:** declare it before the first `FROM` (`ARG TAG=3.21`), or correct the spelling."#,
        url: "https://docs.docker.com/go/dockerfile/rule/undefined-arg-in-from/",
    },
    RuleInfo {
        code: "WorkdirRelativePath",
        origin: BuildKit,
        since: v(1, 8),
        experimental: false,
        experimental_until: None,
        deprecated: false,
        flags_deprecated_syntax: false,
        default_severity: Warning,
        summary: "The first WORKDIR should be an absolute path.",
        doc: r#"Reports a relative `WORKDIR` when no earlier `WORKDIR` of this stage, or of the stages it is built from in this Dockerfile, has set one. The path is then resolved against the base image's working directory, which its publisher can change at any time, silently moving everything that follows.

**Fix:** start from an absolute path (`WORKDIR /app`); relative `WORKDIR`s after that are fine."#,
        url: "https://docs.docker.com/go/dockerfile/rule/workdir-relative-path/",
    },
    RuleInfo {
        code: "UndefinedVar",
        origin: BuildKit,
        since: v(1, 8),
        experimental: false,
        experimental_until: None,
        deprecated: false,
        flags_deprecated_syntax: false,
        default_severity: Warning,
        summary: "Variables should be declared before they are used.",
        doc: r#"Reports a `$VAR` in an instruction the builder expands (`COPY`, `ADD`, `ENV`, `ARG`, `LABEL`, `WORKDIR`, `USER`, `EXPOSE`, …) when no `ARG` or `ENV` in scope declares it and the base image's environment does not define it either. An undefined variable silently becomes an empty string. Shell-form `RUN`, `CMD` and `ENTRYPOINT` are not checked, because the shell expands those. A close match is suggested for typos (`$PAHT` → `$PATH`).

**Fix:** declare the variable first (`ARG NAME` or `ENV NAME=…`; a global ARG must be declared again inside the stage), or correct the spelling."#,
        url: "https://docs.docker.com/go/dockerfile/rule/undefined-var/",
    },
    RuleInfo {
        code: "MultipleInstructionsDisallowed",
        origin: BuildKit,
        since: v(1, 8),
        experimental: false,
        experimental_until: None,
        deprecated: false,
        flags_deprecated_syntax: false,
        default_severity: Warning,
        summary: "Only the last CMD, ENTRYPOINT or HEALTHCHECK of a stage takes effect.",
        doc: r#"Reports a `CMD`, `ENTRYPOINT` or `HEALTHCHECK` that a later instruction of the same kind in the same stage overrides. Only the last one ends up in the image, so the earlier one has no effect and is probably a mistake. The `CMD` inside `HEALTHCHECK … CMD` is separate and not counted.

**Fix:** delete the earlier instruction, or merge the two into one."#,
        url: "https://docs.docker.com/go/dockerfile/rule/multiple-instructions-disallowed/",
    },
    RuleInfo {
        code: "LegacyKeyValueFormat",
        origin: BuildKit,
        since: v(1, 8),
        experimental: false,
        experimental_until: None,
        deprecated: false,
        flags_deprecated_syntax: false,
        default_severity: Warning,
        summary: "ENV and LABEL should use key=value, not key value.",
        doc: r#"Reports `ENV key value` or `LABEL key value`, the old form with a space instead of `=`. It sets only one variable per line, and the value is the rest of the line taken as is, including indentation carried in from continuation lines, which is easy to get wrong.

**Fix:** write `ENV key=value`, quoting values that contain spaces. When converting a multi-line value, remember that the continuation lines' indentation was part of the value and stays part of it inside quotes."#,
        url: "https://docs.docker.com/go/dockerfile/rule/legacy-key-value-format/",
    },
    RuleInfo {
        code: "InvalidBaseImagePlatform",
        origin: BuildKit,
        since: v(1, 8),
        experimental: false,
        experimental_until: None,
        deprecated: false,
        flags_deprecated_syntax: false,
        default_severity: Warning,
        summary: "The base image does not match the platform being built.",
        doc: r#"Reported when the image resolved for a `FROM` has another OS or architecture than the stage's target platform, for example an `amd64`-only image in an `arm64` build. The result will not run natively on the target, if at all. BuildKit only knows after fetching the image's manifest, so a check without registry access cannot see it.

**Fix:** use an image or tag that offers the target platform, or set `FROM --platform=…` on purpose when a stage really needs another platform (such as `$BUILDPLATFORM` for a cross-compiling stage)."#,
        url: "",
    },
    RuleInfo {
        code: "RedundantTargetPlatform",
        origin: BuildKit,
        since: v(1, 9),
        experimental: false,
        experimental_until: None,
        deprecated: false,
        flags_deprecated_syntax: false,
        default_severity: Warning,
        summary: "FROM --platform=$TARGETPLATFORM is the default and can be dropped.",
        doc: r#"Reports `FROM --platform=$TARGETPLATFORM` (or `${TARGETPLATFORM}`). A stage is built for the target platform anyway, so the flag adds nothing.

**Fix:** remove the `--platform` flag."#,
        url: "https://docs.docker.com/go/dockerfile/rule/redundant-target-platform/",
    },
    RuleInfo {
        code: "SecretsUsedInArgOrEnv",
        origin: BuildKit,
        since: v(1, 9),
        experimental: false,
        experimental_until: None,
        deprecated: false,
        flags_deprecated_syntax: false,
        default_severity: Warning,
        summary: "ARG and ENV should not carry secrets.",
        doc: r#"Reports an `ARG` or `ENV` whose name suggests a secret: one of its `_`-separated words is `apikey`, `auth`, `credential`, `credentials`, `key`, `password`, `passwd`, `pword`, `secret` or `token` (in any case), and none is `public`, `file` or `version`. Build args and environment variables are stored in the image config, history or provenance, where anyone who has the image can read them.

**Fix:** pass the secret with `docker build --secret` and mount it only in the step that uses it:

```dockerfile
RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci
```"#,
        url: "https://docs.docker.com/go/dockerfile/rule/secrets-used-in-arg-or-env/",
    },
    RuleInfo {
        code: "InvalidDefaultArgInFrom",
        origin: BuildKit,
        since: v(1, 9),
        experimental: false,
        experimental_until: None,
        deprecated: false,
        flags_deprecated_syntax: false,
        default_severity: Warning,
        summary: "With default ARG values only, FROM must still name a valid image.",
        doc: r#"Reports a `FROM` whose image reference is empty or invalid when every global ARG keeps its default, e.g. `ARG TAG` without a value followed by `FROM alpine:${TAG}`, which becomes `alpine:`. Such a Dockerfile only builds when the right `--build-arg` is passed.

**Fix:** give the ARG a default (`ARG TAG=3.21`) or a fallback where it is used (`FROM alpine:${TAG:-3.21}`). An ARG may stay empty when the reference is valid without it."#,
        url: "https://docs.docker.com/go/dockerfile/rule/invalid-default-arg-in-from/",
    },
    RuleInfo {
        code: "FromPlatformFlagConstDisallowed",
        origin: BuildKit,
        since: v(1, 9),
        experimental: false,
        experimental_until: None,
        deprecated: false,
        flags_deprecated_syntax: false,
        default_severity: Warning,
        summary: "FROM --platform should not be a fixed value.",
        doc: r#"Reports `FROM --platform=<constant>`, such as `linux/amd64`. A fixed platform ties the stage to one architecture: the Dockerfile can no longer produce multi-platform images, and elsewhere the stage runs under emulation. Not reported when the stage name contains that OS or architecture (e.g. `AS build-amd64`), which marks a deliberate per-platform stage.

**Fix:** drop the flag and choose platforms with `docker build --platform`, or use a variable such as `$BUILDPLATFORM`."#,
        url: "https://docs.docker.com/go/dockerfile/rule/from-platform-flag-const-disallowed/",
    },
    RuleInfo {
        code: "CopyIgnoredFile",
        origin: BuildKit,
        since: v(1, 9),
        experimental: false,
        experimental_until: Some(v(1, 21)),
        deprecated: false,
        flags_deprecated_syntax: false,
        default_severity: Warning,
        summary: "COPY or ADD uses a source that .dockerignore excludes.",
        doc: r#"Reports a `COPY` or `ADD` source from the build context that a `.dockerignore` pattern excludes, directly or through a parent directory. Excluded files never reach the builder, so the step fails or quietly copies less than intended. Not checked when `.dockerignore` contains `!` exceptions; `.` is only reported when the patterns exclude everything. Experimental (off by default) before frontend 1.21.

**Fix:** remove or narrow the pattern, add a `!` exception, or stop copying the file."#,
        url: "https://docs.docker.com/go/dockerfile/rule/copy-ignored-file/",
    },
    RuleInfo {
        code: "InvalidDefinitionDescription",
        origin: BuildKit,
        since: v(1, 11),
        experimental: true,
        experimental_until: None,
        deprecated: false,
        flags_deprecated_syntax: false,
        default_severity: Warning,
        summary: "A comment right above a named FROM or an ARG should start with that name.",
        doc: r#"Experimental: enable it with `# check=experimental=InvalidDefinitionDescription`.

`docker buildx build --call=outline` and `--call=targets` use the comment directly above a named `FROM` or an `ARG` as its description when the comment starts with the name (`# build compiles the binary`). This rule reports such a comment that does not start with the name, since tools will not show it as a description.

**Fix:** begin the comment with the stage or ARG name, or separate an unrelated comment from the instruction with a blank line."#,
        url: "https://docs.docker.com/go/dockerfile/rule/invalid-definition-description/",
    },
    RuleInfo {
        code: "ExposeProtoCasing",
        origin: BuildKit,
        since: v(1, 18),
        experimental: false,
        experimental_until: None,
        deprecated: false,
        flags_deprecated_syntax: false,
        default_severity: Warning,
        summary: "EXPOSE protocols should be lower case.",
        doc: r#"Reports a protocol in `EXPOSE` written with upper-case letters, such as `80/TCP`. BuildKit accepts it and lowercases it, but lower case is the canonical spelling used everywhere else.

**Fix:** `EXPOSE 80/tcp`."#,
        url: "https://docs.docker.com/go/dockerfile/rule/expose-proto-casing/",
    },
    RuleInfo {
        code: "ExposeInvalidFormat",
        origin: BuildKit,
        since: v(1, 18),
        experimental: false,
        experimental_until: None,
        // BuildKit keeps `Deprecated: true` commented out (a TODO to turn this into an
        // error), and a deprecated rule is never reported. It fires today.
        deprecated: false,
        flags_deprecated_syntax: false,
        default_severity: Warning,
        summary: "EXPOSE should list container ports only, without addresses or host ports.",
        doc: r#"Reports `EXPOSE` entries such as `8080:80` or `127.0.0.1:80:80`. `EXPOSE` only documents the container's ports; the host address and port are chosen when the container runs (`docker run -p`). BuildKit keeps just the container port and warns, and has announced that this will become an error.

**Fix:** `EXPOSE 80`, and publish with `docker run -p 127.0.0.1:8080:80`."#,
        url: "https://docs.docker.com/go/dockerfile/rule/expose-invalid-format/",
    },
    RuleInfo {
        code: "CopyBeforeDependencyInstall",
        origin: Ours,
        since: v(1, 0),
        experimental: false,
        experimental_until: None,
        deprecated: false,
        flags_deprecated_syntax: false,
        default_severity: Warning,
        summary: "Copy only the dependency manifests before installing dependencies.",
        doc: r#"Reports a `COPY` or `ADD` of the whole build context (`COPY . .`), or of a directory holding a lock file, that comes before a dependency install needing only the manifests, such as `npm ci`, `yarn install`, `pip install -r requirements.txt`, `go mod download` or `bundle install`.

The build cache works step by step: a step runs again when anything it copies has changed, and so does everything after it. With all sources copied first, every code edit re-runs the install and downloads all dependencies again.

**Fix:** copy the manifest and lock files, install, then copy the rest:

```dockerfile
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
```"#,
        url: "",
    },
    RuleInfo {
        code: "AptUpdateAlone",
        origin: Ours,
        since: v(1, 0),
        experimental: false,
        experimental_until: None,
        deprecated: false,
        flags_deprecated_syntax: false,
        default_severity: Warning,
        summary: "apt-get update should run in the same RUN as apt-get install.",
        doc: r#"Reports a `RUN` that runs `apt-get update` without installing anything in the same step. The package lists it fetches are cached with that layer; when a later `RUN apt-get install` line changes, it reuses those old lists, which may name package versions the mirrors no longer carry, so the install fails or gets outdated packages.

**Fix:** update and install in one `RUN`, and remove the lists in the same step:

```dockerfile
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/*
```"#,
        url: "",
    },
    RuleInfo {
        code: "RemoteAddWithoutChecksum",
        origin: Ours,
        since: v(1, 6),
        experimental: false,
        experimental_until: None,
        deprecated: false,
        flags_deprecated_syntax: false,
        default_severity: Warning,
        summary: "ADD of an HTTP(S) URL should pin the content with --checksum.",
        doc: r#"Reports `ADD http://…` or `ADD https://…` without `--checksum`. Whatever the server returns goes into the image: a tampered or replaced file is not noticed, and the same Dockerfile can build different images over time.

**Fix:** add the expected SHA-256 digest (for example from `sha256sum` on a copy you trust); the build then fails if the download differs. Needs frontend 1.6 or later.

```dockerfile
ADD --checksum=sha256:<digest> https://example.com/tool.tar.gz /tmp/
```"#,
        url: "",
    },
    RuleInfo {
        code: "UnpinnedBaseImage",
        origin: Ours,
        since: v(1, 0),
        experimental: false,
        experimental_until: None,
        deprecated: false,
        flags_deprecated_syntax: false,
        default_severity: Information,
        summary: "The base image should name a version tag or digest, not latest.",
        doc: r#"Reports a `FROM` image with neither tag nor digest (which means `latest`) or with the tag `latest`. Stage names and `scratch` are not images and are not reported.

`latest` moves whenever the publisher pushes, so rebuilding the same Dockerfile can quietly switch to a new major version, and two builds of one commit may differ.

**Fix:** pin a version tag (`FROM node:22-bookworm-slim`), or a digest as well for fully repeatable builds (`FROM node:22@sha256:…`)."#,
        url: "",
    },
    RuleInfo {
        code: "SecretInBuildArg",
        origin: Ours,
        since: v(1, 2),
        experimental: false,
        experimental_until: None,
        deprecated: false,
        flags_deprecated_syntax: false,
        default_severity: Warning,
        summary: "A secret-looking ARG is used by RUN; mount it as a secret instead.",
        doc: r#"Reports a `RUN` that uses an `ARG` whose name looks like a credential (`NPM_TOKEN`, `GITHUB_TOKEN`, `DB_PASSWORD`, …). Build-arg values are recorded in the image history and the build provenance, and a `RUN` that sees one includes it in its cache key, so anyone with the image or the cache can recover it. BuildKit's `SecretsUsedInArgOrEnv` flags the declaration; this rule points at the use and suggests the replacement.

**Fix:** pass the value with `docker build --secret id=npm_token,env=NPM_TOKEN` and mount it only where it is needed. The `env=` option needs frontend 1.10; before that, read the file under `/run/secrets/`.

```dockerfile
RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci
```"#,
        url: "",
    },
];
